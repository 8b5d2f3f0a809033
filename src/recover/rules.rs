//! hashcat's rule language over byte buffers: kensa's mangling rules are hashcat rules, so users can run the same set in hashcat.
//!
//! The semantics are those of the rule engine that hashcat 6.2.6 runs for `-a 0 -r FILE`
//! (`OpenCL/inc_rp.cl`, the same code `--stdout` runs on the host), op for op:
//!
//! * Case ops touch ASCII letters only, byte by byte; every other byte is left as it is.
//! * A position (`N`, `M`) is one of `0`-`9`, `A`-`Z` (10-35). An op whose position lies outside
//!   the word does nothing; it does not reject the word.
//! * A candidate holds at most 256 bytes and an op may grow it to at most 255: an op that would
//!   make it longer does nothing (hashcat neither rejects nor truncates the candidate). A base
//!   word longer than 256 bytes is skipped, as hashcat's wordlist reader skips it.
//! * A character (`X`, `Y`) is any byte but a line break, or `\xHH`.
//! * Ops may be separated by spaces; a rule has at most 31 ops (hashcat's limit).
//!
//! The reject ops (`<N >N !X /X (X )X =NX %NX`) follow hashcat's host rule engine, the one behind
//! `-j`/`-k`: hashcat's `-r` engine refuses any rule containing them ("Cannot convert rule for use
//! on OpenCL device") and skips it, so a rule file meant for `hashcat -r` should not use them;
//! kensa's own files do not.
//!
//! One known difference from hashcat 6.2.6 itself: its `--stdout` mode fills the bytes past a word
//! with the next words of the batch, which the doubling ops `d` and `f` then OR into their copy
//! (hashcat issue 3596, fixed after 6.2.6). Here `d` and `f` double the word, as hashcat's crackers
//! do.

use std::fmt;

/// The most bytes a candidate can hold (hashcat's `RP_PASSWORD_SIZE`).
pub const MAX_LEN: usize = 256;

/// The most ops hashcat accepts in one rule (`MAX_KERNEL_RULES`).
pub const MAX_OPS: usize = 31;

/// One rule: a sequence of ops applied in order to a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    ops: Vec<Op>,
}

/// The rules of a rule file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

/// Why a rule file does not parse. `reason` names at most the op character, never more of the
/// rule's text.
/// An input error: the rule file is read like any other input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule line {line}: {reason}")]
pub struct RuleError {
    /// 1-based line number in the rule file (1 for [`Rule::parse`]).
    pub line: usize,
    pub reason: String,
}

crate::error::classify!(RuleError, |_e| crate::error::ExitClass::Input);

impl RuleSet {
    /// One rule per line; blank lines and lines starting with '#' are skipped, as hashcat does.
    /// An unsupported op is an error naming the line and the op.
    ///
    /// As in hashcat, trailing carriage returns are dropped and a line of spaces only is a rule
    /// that changes nothing. Unlike hashcat, which warns and skips a rule it cannot use, the first
    /// such rule is an error: a rule set shipped with kensa must mean the same thing everywhere.
    pub fn parse(text: &str) -> Result<RuleSet, RuleError> {
        let mut rules = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let rule = parse_rule(line.as_bytes()).map_err(|reason| RuleError {
                line: i + 1,
                reason,
            })?;
            rules.push(rule);
        }
        Ok(RuleSet { rules })
    }
}

impl Rule {
    /// One rule in hashcat's notation (a single line, without comment handling).
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        parse_rule(text.as_bytes()).map_err(|reason| RuleError { line: 1, reason })
    }

    /// Clears `out` and sets it to the rule applied to `word`. Returns false when hashcat would
    /// not produce the candidate: a reject op fired (then `out` holds a partial result), or `word`
    /// is longer than 256 bytes, which hashcat's wordlist reader skips.
    ///
    /// No result is longer than 256 bytes and none is rejected for its length: as in hashcat
    /// (checked with `hashcat --stdout`), an op that would grow the candidate past 255 bytes does
    /// nothing, and a 256-byte word stays as long. Does not allocate when `out` has capacity ≥ 256
    /// ([`MAX_LEN`]).
    pub fn apply(&self, word: &[u8], out: &mut Vec<u8>) -> bool {
        out.clear();
        if word.len() > MAX_LEN {
            return false;
        }
        out.extend_from_slice(word);
        self.ops.iter().all(|op| op.apply(out))
    }

    /// Splits the trailing append ops (`$X` ...) off: (the rule without them, the appended
    /// bytes). Lets kensa compute each distinct transform of a word once and add suffixes to it.
    ///
    /// Applying the first part and then [`append`] with the bytes gives exactly what the whole
    /// rule gives.
    pub fn split_appends(&self) -> (Rule, Vec<u8>) {
        let keep = self
            .ops
            .iter()
            .rposition(|op| !matches!(op, Op::Append(_)))
            .map_or(0, |i| i + 1);
        let appended = self.ops[keep..]
            .iter()
            .map(|op| match op {
                Op::Append(c) => *c,
                _ => unreachable!("only appends follow `keep`"),
            })
            .collect();
        (
            Rule {
                ops: self.ops[..keep].to_vec(),
            },
            appended,
        )
    }

    /// True for the no-op rule `:` (or an empty op list).
    pub fn is_noop(&self) -> bool {
        self.ops.iter().all(|op| *op == Op::Noop)
    }
}

/// Appends `bytes` to a candidate as that many `$X` ops do: each byte only while the candidate is
/// shorter than 255 bytes. The counterpart of [`Rule::split_appends`]; does not allocate when
/// `out` has capacity ≥ 256.
pub fn append(out: &mut Vec<u8>, bytes: &[u8]) {
    for &c in bytes {
        Op::Append(c).apply(out);
    }
}

/// Renders the rule in hashcat's notation, ops separated by a space; a character that is not
/// printable ASCII (or is a space or a backslash) is written as `\xHH`.
impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ops.is_empty() {
            return f.write_str(":");
        }
        for (i, op) in self.ops.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            op.fmt(f)?;
        }
        Ok(())
    }
}

/// One op with its parameters: positions as numbers (0-35), characters as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Noop,
    Lower,
    Upper,
    Capitalize,
    InvertCapitalize,
    ToggleAll,
    ToggleAt(u8),
    ToggleAfterNth(u8, u8),
    Reverse,
    Duplicate,
    DuplicateTimes(u8),
    Reflect,
    RotateLeft,
    RotateRight,
    Append(u8),
    Prepend(u8),
    DeleteFirst,
    DeleteLast,
    DeleteAt(u8),
    Extract(u8, u8),
    Omit(u8, u8),
    Insert(u8, u8),
    Overwrite(u8, u8),
    Truncate(u8),
    Replace(u8, u8),
    Purge(u8),
    DupFirstChar(u8),
    DupLastChar(u8),
    DupEachChar,
    SwapFront,
    SwapBack,
    Swap(u8, u8),
    ShiftLeft(u8),
    ShiftRight(u8),
    Increment(u8),
    Decrement(u8),
    CopyNext(u8),
    CopyPrev(u8),
    DupBlockFront(u8),
    DupBlockBack(u8),
    Title,
    TitleSep(u8),
    RejectLonger(u8),
    RejectShorter(u8),
    RejectContains(u8),
    RejectMissing(u8),
    RejectFirstNot(u8),
    RejectLastNot(u8),
    RejectAtNot(u8, u8),
    RejectFewer(u8, u8),
}

/// Grows `out` by `by` bytes only if it stays below `MAX_LEN` (hashcat's `out_len >= 256` check).
fn can_grow(out: &[u8], by: usize) -> bool {
    out.len() + by < MAX_LEN
}

/// Lower-case everything, then upper-case the first byte and every byte that follows `sep` in
/// the word as it was (hashcat's `mangle_title_sep`).
fn title(out: &mut [u8], sep: u8) {
    // hashcat leaves a full 256-byte buffer alone here.
    if out.len() >= MAX_LEN {
        return;
    }
    let mut after_sep = true;
    for b in out.iter_mut() {
        let was = *b;
        *b = if after_sep {
            was.to_ascii_uppercase()
        } else {
            was.to_ascii_lowercase()
        };
        after_sep = was == sep;
    }
}

/// `strchr` on the word as a C string, as hashcat's host engine tests `!X` and `/X`: the search
/// stops at the first NUL byte, and NUL itself is always found.
fn c_contains(out: &[u8], c: u8) -> bool {
    c == 0 || out.iter().take_while(|&&b| b != 0).any(|&b| b == c)
}

fn toggle(b: &mut u8) {
    if b.is_ascii_alphabetic() {
        *b ^= 0x20;
    }
}

impl Op {
    /// Applies the op in place; false when it rejects the candidate.
    fn apply(self, out: &mut Vec<u8>) -> bool {
        let len = out.len();
        match self {
            Op::Noop => {}
            Op::Lower => out.make_ascii_lowercase(),
            Op::Upper => out.make_ascii_uppercase(),
            Op::Capitalize => {
                out.make_ascii_lowercase();
                if let Some(b) = out.first_mut() {
                    b.make_ascii_uppercase();
                }
            }
            Op::InvertCapitalize => {
                out.make_ascii_uppercase();
                if let Some(b) = out.first_mut() {
                    b.make_ascii_lowercase();
                }
            }
            Op::ToggleAll => out.iter_mut().for_each(toggle),
            Op::ToggleAt(n) => {
                if let Some(b) = out.get_mut(n as usize) {
                    toggle(b);
                }
            }
            Op::ToggleAfterNth(n, c) => {
                if len < MAX_LEN {
                    let nth = out
                        .iter()
                        .enumerate()
                        .filter(|&(_, &b)| b == c)
                        .nth(n as usize);
                    if let Some((at, _)) = nth {
                        if let Some(b) = out.get_mut(at + 1) {
                            toggle(b);
                        }
                    }
                }
            }
            Op::Reverse => out.reverse(),
            Op::Duplicate => {
                if can_grow(out, len) {
                    out.extend_from_within(..);
                }
            }
            Op::DuplicateTimes(n) => {
                if can_grow(out, len * n as usize) {
                    for _ in 0..n {
                        out.extend_from_within(..len);
                    }
                }
            }
            Op::Reflect => {
                if can_grow(out, len) {
                    out.extend_from_within(..);
                    out[len..].reverse();
                }
            }
            Op::RotateLeft => {
                if len > 0 {
                    out.rotate_left(1);
                }
            }
            Op::RotateRight => {
                if len > 0 {
                    out.rotate_right(1);
                }
            }
            Op::Append(c) => {
                if can_grow(out, 1) {
                    out.push(c);
                }
            }
            Op::Prepend(c) => {
                if can_grow(out, 1) {
                    out.insert(0, c);
                }
            }
            Op::DeleteFirst => {
                if len > 0 {
                    out.remove(0);
                }
            }
            Op::DeleteLast => {
                out.pop();
            }
            Op::DeleteAt(n) => {
                if (n as usize) < len {
                    out.remove(n as usize);
                }
            }
            Op::Extract(n, m) => {
                let (n, m) = (n as usize, m as usize);
                if n < len && n + m <= len {
                    out.copy_within(n..n + m, 0);
                    out.truncate(m);
                }
            }
            Op::Omit(n, m) => {
                let (n, m) = (n as usize, m as usize);
                if n < len && n + m <= len {
                    out.copy_within(n + m.., n);
                    out.truncate(len - m);
                }
            }
            Op::Insert(n, c) => {
                if n as usize <= len && can_grow(out, 1) {
                    out.insert(n as usize, c);
                }
            }
            Op::Overwrite(n, c) => {
                if let Some(b) = out.get_mut(n as usize) {
                    *b = c;
                }
            }
            Op::Truncate(n) => out.truncate(n as usize),
            Op::Replace(x, y) => out.iter_mut().filter(|b| **b == x).for_each(|b| *b = y),
            Op::Purge(x) => out.retain(|&b| b != x),
            Op::DupFirstChar(n) => {
                let n = n as usize;
                if len > 0 && can_grow(out, n) {
                    let c = out[0];
                    out.resize(len + n, c);
                    out.copy_within(..len, n);
                    out[..n].fill(c);
                }
            }
            Op::DupLastChar(n) => {
                if len > 0 && can_grow(out, n as usize) {
                    let c = out[len - 1];
                    out.resize(len + n as usize, c);
                }
            }
            Op::DupEachChar => {
                if can_grow(out, len) {
                    out.resize(2 * len, 0);
                    // From the end, so each byte is read before anything is written over it.
                    for i in (0..len).rev() {
                        let c = out[i];
                        out[2 * i] = c;
                        out[2 * i + 1] = c;
                    }
                }
            }
            Op::SwapFront => {
                if len >= 2 {
                    out.swap(0, 1);
                }
            }
            Op::SwapBack => {
                if len >= 2 {
                    out.swap(len - 2, len - 1);
                }
            }
            Op::Swap(n, m) => {
                if (n as usize) < len && (m as usize) < len {
                    out.swap(n as usize, m as usize);
                }
            }
            Op::ShiftLeft(n) => {
                if let Some(b) = out.get_mut(n as usize) {
                    *b <<= 1;
                }
            }
            Op::ShiftRight(n) => {
                if let Some(b) = out.get_mut(n as usize) {
                    *b >>= 1;
                }
            }
            Op::Increment(n) => {
                if let Some(b) = out.get_mut(n as usize) {
                    *b = b.wrapping_add(1);
                }
            }
            Op::Decrement(n) => {
                if let Some(b) = out.get_mut(n as usize) {
                    *b = b.wrapping_sub(1);
                }
            }
            Op::CopyNext(n) => {
                let n = n as usize;
                if n + 1 < len {
                    out[n] = out[n + 1];
                }
            }
            Op::CopyPrev(n) => {
                let n = n as usize;
                if n > 0 && n < len {
                    out[n] = out[n - 1];
                }
            }
            Op::DupBlockFront(n) => {
                let n = n as usize;
                if n <= len && can_grow(out, n) {
                    out.resize(len + n, 0);
                    // The first n bytes stay where they are and the whole word follows them.
                    out.copy_within(..len, n);
                }
            }
            Op::DupBlockBack(n) => {
                let n = n as usize;
                if n <= len && can_grow(out, n) {
                    out.extend_from_within(len - n..);
                }
            }
            Op::Title => title(out, b' '),
            Op::TitleSep(c) => title(out, c),
            Op::RejectLonger(n) => return len <= n as usize,
            Op::RejectShorter(n) => return len >= n as usize,
            Op::RejectContains(c) => return !c_contains(out, c),
            Op::RejectMissing(c) => return c_contains(out, c),
            // hashcat's host engine reads the (zeroed) buffer for an empty word here.
            Op::RejectFirstNot(c) => return out.first().copied().unwrap_or(0) == c,
            Op::RejectLastNot(c) => return out.last() == Some(&c),
            Op::RejectAtNot(n, c) => return out.get(n as usize) == Some(&c),
            Op::RejectFewer(n, c) => {
                // hashcat's host engine also rejects when N is not below the length.
                let n = n as usize;
                return n < len && out.iter().filter(|&&b| b == c).count() >= n;
            }
        }
        true
    }

    /// The op character and the kinds of its parameters.
    fn shape(self) -> (u8, &'static [Param], [u8; 2]) {
        use Param::{Char as C, Pos as P};
        match self {
            Op::Noop => (b':', &[], [0; 2]),
            Op::Lower => (b'l', &[], [0; 2]),
            Op::Upper => (b'u', &[], [0; 2]),
            Op::Capitalize => (b'c', &[], [0; 2]),
            Op::InvertCapitalize => (b'C', &[], [0; 2]),
            Op::ToggleAll => (b't', &[], [0; 2]),
            Op::ToggleAt(n) => (b'T', &[P], [n, 0]),
            Op::ToggleAfterNth(n, c) => (b'3', &[P, C], [n, c]),
            Op::Reverse => (b'r', &[], [0; 2]),
            Op::Duplicate => (b'd', &[], [0; 2]),
            Op::DuplicateTimes(n) => (b'p', &[P], [n, 0]),
            Op::Reflect => (b'f', &[], [0; 2]),
            Op::RotateLeft => (b'{', &[], [0; 2]),
            Op::RotateRight => (b'}', &[], [0; 2]),
            Op::Append(c) => (b'$', &[C], [c, 0]),
            Op::Prepend(c) => (b'^', &[C], [c, 0]),
            Op::DeleteFirst => (b'[', &[], [0; 2]),
            Op::DeleteLast => (b']', &[], [0; 2]),
            Op::DeleteAt(n) => (b'D', &[P], [n, 0]),
            Op::Extract(n, m) => (b'x', &[P, P], [n, m]),
            Op::Omit(n, m) => (b'O', &[P, P], [n, m]),
            Op::Insert(n, c) => (b'i', &[P, C], [n, c]),
            Op::Overwrite(n, c) => (b'o', &[P, C], [n, c]),
            Op::Truncate(n) => (b'\'', &[P], [n, 0]),
            Op::Replace(x, y) => (b's', &[C, C], [x, y]),
            Op::Purge(c) => (b'@', &[C], [c, 0]),
            Op::DupFirstChar(n) => (b'z', &[P], [n, 0]),
            Op::DupLastChar(n) => (b'Z', &[P], [n, 0]),
            Op::DupEachChar => (b'q', &[], [0; 2]),
            Op::SwapFront => (b'k', &[], [0; 2]),
            Op::SwapBack => (b'K', &[], [0; 2]),
            Op::Swap(n, m) => (b'*', &[P, P], [n, m]),
            Op::ShiftLeft(n) => (b'L', &[P], [n, 0]),
            Op::ShiftRight(n) => (b'R', &[P], [n, 0]),
            Op::Increment(n) => (b'+', &[P], [n, 0]),
            Op::Decrement(n) => (b'-', &[P], [n, 0]),
            Op::CopyNext(n) => (b'.', &[P], [n, 0]),
            Op::CopyPrev(n) => (b',', &[P], [n, 0]),
            Op::DupBlockFront(n) => (b'y', &[P], [n, 0]),
            Op::DupBlockBack(n) => (b'Y', &[P], [n, 0]),
            Op::Title => (b'E', &[], [0; 2]),
            Op::TitleSep(c) => (b'e', &[C], [c, 0]),
            Op::RejectLonger(n) => (b'<', &[P], [n, 0]),
            Op::RejectShorter(n) => (b'>', &[P], [n, 0]),
            Op::RejectContains(c) => (b'!', &[C], [c, 0]),
            Op::RejectMissing(c) => (b'/', &[C], [c, 0]),
            Op::RejectFirstNot(c) => (b'(', &[C], [c, 0]),
            Op::RejectLastNot(c) => (b')', &[C], [c, 0]),
            Op::RejectAtNot(n, c) => (b'=', &[P, C], [n, c]),
            Op::RejectFewer(n, c) => (b'%', &[P, C], [n, c]),
        }
    }

    /// Builds the op named by `name` from its parsed parameters; None for a character that is not
    /// an op kensa supports.
    fn build(name: u8, p: [u8; 2]) -> Option<Op> {
        let [a, b] = p;
        Some(match name {
            b':' => Op::Noop,
            b'l' => Op::Lower,
            b'u' => Op::Upper,
            b'c' => Op::Capitalize,
            b'C' => Op::InvertCapitalize,
            b't' => Op::ToggleAll,
            b'T' => Op::ToggleAt(a),
            b'3' => Op::ToggleAfterNth(a, b),
            b'r' => Op::Reverse,
            b'd' => Op::Duplicate,
            b'p' => Op::DuplicateTimes(a),
            b'f' => Op::Reflect,
            b'{' => Op::RotateLeft,
            b'}' => Op::RotateRight,
            b'$' => Op::Append(a),
            b'^' => Op::Prepend(a),
            b'[' => Op::DeleteFirst,
            b']' => Op::DeleteLast,
            b'D' => Op::DeleteAt(a),
            b'x' => Op::Extract(a, b),
            b'O' => Op::Omit(a, b),
            b'i' => Op::Insert(a, b),
            b'o' => Op::Overwrite(a, b),
            b'\'' => Op::Truncate(a),
            b's' => Op::Replace(a, b),
            b'@' => Op::Purge(a),
            b'z' => Op::DupFirstChar(a),
            b'Z' => Op::DupLastChar(a),
            b'q' => Op::DupEachChar,
            b'k' => Op::SwapFront,
            b'K' => Op::SwapBack,
            b'*' => Op::Swap(a, b),
            b'L' => Op::ShiftLeft(a),
            b'R' => Op::ShiftRight(a),
            b'+' => Op::Increment(a),
            b'-' => Op::Decrement(a),
            b'.' => Op::CopyNext(a),
            b',' => Op::CopyPrev(a),
            b'y' => Op::DupBlockFront(a),
            b'Y' => Op::DupBlockBack(a),
            b'E' => Op::Title,
            b'e' => Op::TitleSep(a),
            b'<' => Op::RejectLonger(a),
            b'>' => Op::RejectShorter(a),
            b'!' => Op::RejectContains(a),
            b'/' => Op::RejectMissing(a),
            b'(' => Op::RejectFirstNot(a),
            b')' => Op::RejectLastNot(a),
            b'=' => Op::RejectAtNot(a, b),
            b'%' => Op::RejectFewer(a, b),
            _ => return None,
        })
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, kinds, values) = self.shape();
        write!(f, "{}", name as char)?;
        for (kind, &v) in kinds.iter().zip(values.iter()) {
            match kind {
                Param::Pos => write!(f, "{}", POSITIONS[v as usize] as char)?,
                Param::Char if v.is_ascii_graphic() && v != b'\\' => write!(f, "{}", v as char)?,
                Param::Char => write!(f, "\\x{v:02X}")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    /// `0`-`9`, `A`-`Z`.
    Pos,
    /// Any byte, or `\xHH`.
    Char,
}

const POSITIONS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The parameter kinds each op takes, looked up by op character (the inverse of `Op::shape`).
fn params_of(name: u8) -> Option<&'static [Param]> {
    // Any parameter values give the same shape; build a representative op to ask it.
    Op::build(name, [0, 0]).map(|op| op.shape().1)
}

fn show_op(name: u8) -> String {
    if name.is_ascii_graphic() {
        format!("'{}'", name as char)
    } else {
        format!("byte \\x{name:02X}")
    }
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Parses one rule the way hashcat's `cpu_rule_to_kernel_rule` reads it. The error is the reason
/// alone; the caller adds the line.
fn parse_rule(text: &[u8]) -> Result<Rule, String> {
    let mut ops = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if ops.len() == MAX_OPS {
            // hashcat stops reading after the 31st op and refuses a rule with anything left over,
            // even spaces.
            return Err(format!(
                "more than {MAX_OPS} ops or text after the {MAX_OPS}st (hashcat's limit)"
            ));
        }
        let name = text[i];
        i += 1;
        if name == b' ' {
            continue;
        }
        let kinds = params_of(name).ok_or_else(|| format!("unsupported op {}", show_op(name)))?;
        let mut values = [0u8; 2];
        for (slot, kind) in values.iter_mut().zip(kinds) {
            let Some(&b) = text.get(i) else {
                return Err(format!("op {} is missing a parameter", show_op(name)));
            };
            match kind {
                Param::Pos => {
                    *slot = POSITIONS.iter().position(|&p| p == b).ok_or_else(|| {
                        format!(
                            "op {} needs a position (0-9 or A-Z) as its parameter",
                            show_op(name)
                        )
                    })? as u8;
                    i += 1;
                }
                Param::Char => {
                    // `\xHH` is one byte, as in hashcat's `is_hex_notation`.
                    let hex = text.get(i..i + 4).and_then(|h| {
                        (h[0] == b'\\' && h[1] == b'x')
                            .then(|| Some(hex_digit(h[2])? << 4 | hex_digit(h[3])?))
                            .flatten()
                    });
                    match hex {
                        Some(v) => {
                            *slot = v;
                            i += 4;
                        }
                        None => {
                            *slot = b;
                            i += 1;
                        }
                    }
                }
            }
        }
        ops.push(Op::build(name, values).expect("params_of accepted the op"));
    }
    Ok(Rule { ops })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies `rule` to `word`, or None when rejected.
    fn run(rule: &str, word: &[u8]) -> Option<Vec<u8>> {
        let rule = Rule::parse(rule).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::with_capacity(MAX_LEN);
        rule.apply(word, &mut out).then_some(out)
    }

    /// Applies `rule` to `word` and returns the result as a string (must not be rejected).
    fn s(rule: &str, word: &str) -> String {
        let out = run(rule, word.as_bytes()).expect("not rejected");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn noop_and_case_ops() {
        assert_eq!(s(":", "pAss"), "pAss");
        assert_eq!(s("", "pAss"), "pAss");
        assert_eq!(s("   ", "pAss"), "pAss");
        assert_eq!(s("l", "PaSS1!"), "pass1!");
        assert_eq!(s("u", "PaSs1!"), "PASS1!");
        assert_eq!(s("c", "pASS word"), "Pass word");
        assert_eq!(s("c", "1ABC"), "1abc");
        assert_eq!(s("C", "pass Word"), "pASS WORD");
        assert_eq!(s("t", "PaSs1"), "pAsS1");
        assert_eq!(s("T0", "pass"), "Pass");
        assert_eq!(s("T3", "pass"), "pasS");
        assert_eq!(s("T4", "pass"), "pass");
        assert_eq!(s("TZ", "pass"), "pass");
        assert_eq!(s("T0", "1ass"), "1ass");
        for r in ["l", "u", "c", "C", "t", "T0", "E", "e-"] {
            assert_eq!(s(r, ""), "", "{r} on the empty word");
        }
    }

    #[test]
    fn case_ops_touch_ascii_letters_only() {
        // "é" in Latin-1 (0xE9) and UTF-8 (0xC3 0xA9), and the bytes next to the letter ranges.
        let word = b"\xe9t\xc3\xa9@[`{Z";
        assert_eq!(run("u", word).unwrap(), b"\xe9T\xc3\xa9@[`{Z");
        assert_eq!(run("l", word).unwrap(), b"\xe9t\xc3\xa9@[`{z");
        assert_eq!(run("t", word).unwrap(), b"\xe9T\xc3\xa9@[`{z");
        assert_eq!(run("c", word).unwrap(), b"\xe9t\xc3\xa9@[`{z");
        assert_eq!(run("T0", word).unwrap(), word);
    }

    #[test]
    fn title_ops() {
        assert_eq!(s("E", "hELLO wORLD  x"), "Hello World  X");
        assert_eq!(s("E", " lead"), " Lead");
        assert_eq!(s("e-", "jean-PAUL-"), "Jean-Paul-");
        // The separator is compared with the word as it was, before lower-casing.
        assert_eq!(s("eA", "xAyaz"), "XaYaz");
    }

    #[test]
    fn toggle_after_nth() {
        assert_eq!(s("30-", "a-b-c"), "a-B-c");
        assert_eq!(s("31-", "a-b-c"), "a-b-C");
        assert_eq!(s("32-", "a-b-c"), "a-b-c");
        assert_eq!(s("30-", "ab-"), "ab-");
        assert_eq!(s("30-", "a--b"), "a--b");
        assert_eq!(s("31-", "a--b"), "a--B");
    }

    #[test]
    fn whole_word_ops() {
        assert_eq!(s("r", "abc"), "cba");
        assert_eq!(s("r", ""), "");
        assert_eq!(s("d", "ab"), "abab");
        assert_eq!(s("p0", "ab"), "ab");
        assert_eq!(s("p1", "ab"), "abab");
        assert_eq!(s("p2", "ab"), "ababab");
        assert_eq!(s("pZ", "ab"), "ab".repeat(36));
        assert_eq!(s("f", "abc"), "abccba");
        assert_eq!(s("{", "abcd"), "bcda");
        assert_eq!(s("}", "abcd"), "dabc");
        assert_eq!(s("{", "a"), "a");
        assert_eq!(s("}", ""), "");
        assert_eq!(s("q", "abc"), "aabbcc");
        assert_eq!(s("q", ""), "");
        assert_eq!(s("d", ""), "");
    }

    #[test]
    fn append_prepend_delete() {
        assert_eq!(s("$1 $2", "ab"), "ab12");
        assert_eq!(s("^1 ^2", "ab"), "21ab");
        assert_eq!(s("$ ", "ab"), "ab ");
        assert_eq!(s("$\\x41$\\x7e", "ab"), "abA~");
        assert_eq!(s("[", "abc"), "bc");
        assert_eq!(s("]", "abc"), "ab");
        assert_eq!(s("[ ]", ""), "");
        assert_eq!(s("D0", "abc"), "bc");
        assert_eq!(s("D2", "abc"), "ab");
        assert_eq!(s("D3", "abc"), "abc");
        assert_eq!(run("$\\xff", b"").unwrap(), b"\xff");
        assert_eq!(run("$\\x00", b"a").unwrap(), b"a\x00");
    }

    #[test]
    fn dangling_hex_is_literal() {
        // `\x4` is not hex notation: `$` takes the backslash, then `x4` needs two positions.
        assert!(Rule::parse("$\\x4").is_err());
        assert_eq!(s("$\\x41", "a"), "aA");
        assert_eq!(s("$\\xZZ", "abc"), "abc\\");
    }

    #[test]
    fn extract_omit_insert_overwrite_truncate() {
        assert_eq!(s("x12", "abcdef"), "bc");
        assert_eq!(s("x10", "abcdef"), "");
        assert_eq!(s("x06", "abcdef"), "abcdef");
        assert_eq!(s("x07", "abcdef"), "abcdef");
        assert_eq!(s("x60", "abcdef"), "abcdef");
        assert_eq!(s("O12", "abcdef"), "adef");
        assert_eq!(s("O06", "abcdef"), "");
        assert_eq!(s("O52", "abcdef"), "abcdef");
        assert_eq!(s("O60", "abcdef"), "abcdef");
        assert_eq!(s("i0!", "ab"), "!ab");
        assert_eq!(s("i1!", "ab"), "a!b");
        assert_eq!(s("i2!", "ab"), "ab!");
        assert_eq!(s("i3!", "ab"), "ab");
        assert_eq!(s("i0!", ""), "!");
        assert_eq!(s("o0!", "ab"), "!b");
        assert_eq!(s("o2!", "ab"), "ab");
        assert_eq!(s("o0!", ""), "");
        assert_eq!(s("'0", "ab"), "");
        assert_eq!(s("'1", "ab"), "a");
        assert_eq!(s("'2", "ab"), "ab");
        assert_eq!(s("'Z", "ab"), "ab");
    }

    #[test]
    fn replace_and_purge() {
        assert_eq!(s("sa@", "banana"), "b@n@n@");
        assert_eq!(s("sa@ s@a", "banana"), "banana");
        assert_eq!(s("sxy", "banana"), "banana");
        assert_eq!(s("@a", "banana"), "bnn");
        assert_eq!(s("@a", "aaa"), "");
        assert_eq!(run("s\\xe9e", b"caf\xe9").unwrap(), b"cafe");
    }

    #[test]
    fn dupe_char_and_block_ops() {
        assert_eq!(s("z2", "abc"), "aaabc");
        assert_eq!(s("Z2", "abc"), "abccc");
        assert_eq!(s("z0", "abc"), "abc");
        assert_eq!(s("z3", ""), "");
        assert_eq!(s("Z3", ""), "");
        assert_eq!(s("y2", "abcd"), "ababcd");
        assert_eq!(s("Y2", "abcd"), "abcdcd");
        assert_eq!(s("y4", "abcd"), "abcdabcd");
        assert_eq!(s("y5", "abcd"), "abcd");
        assert_eq!(s("Y5", "abcd"), "abcd");
        assert_eq!(s("y0", ""), "");
    }

    #[test]
    fn swap_shift_and_copy_ops() {
        assert_eq!(s("k", "abc"), "bac");
        assert_eq!(s("K", "abc"), "acb");
        assert_eq!(s("k", "a"), "a");
        assert_eq!(s("K", ""), "");
        assert_eq!(s("*02", "abc"), "cba");
        assert_eq!(s("*03", "abc"), "abc");
        assert_eq!(s("*30", "abc"), "abc");
        assert_eq!(s("*11", "abc"), "abc");
        assert_eq!(run("L0", b"abc").unwrap(), [0xc2, b'b', b'c']);
        assert_eq!(run("L0", b"\xc1").unwrap(), [0x82]);
        assert_eq!(run("R1", b"abc").unwrap(), [b'a', 0x31, b'c']);
        assert_eq!(run("+0", b"\xffa").unwrap(), [0x00, b'a']);
        assert_eq!(run("-0", b"\x00a").unwrap(), [0xff, b'a']);
        assert_eq!(s("+1", "abc"), "acc");
        assert_eq!(s("-2", "abc"), "abb");
        assert_eq!(s("+3 -3 L3 R3", "abc"), "abc");
        assert_eq!(s(".0", "abc"), "bbc");
        assert_eq!(s(".1", "abc"), "acc");
        assert_eq!(s(".2", "abc"), "abc");
        assert_eq!(s(",0", "abc"), "abc");
        assert_eq!(s(",2", "abc"), "abb");
        assert_eq!(s(",3", "abc"), "abc");
    }

    #[test]
    fn reject_ops() {
        assert_eq!(run("<3", b"abc"), Some(b"abc".to_vec()));
        assert_eq!(run("<2", b"abc"), None);
        assert_eq!(run(">3", b"abc"), Some(b"abc".to_vec()));
        assert_eq!(run(">4", b"abc"), None);
        assert_eq!(run("!a", b"abc"), None);
        assert_eq!(run("!z", b"abc"), Some(b"abc".to_vec()));
        assert_eq!(run("/a", b"abc"), Some(b"abc".to_vec()));
        assert_eq!(run("/z", b"abc"), None);
        assert_eq!(run("(a", b"abc"), Some(b"abc".to_vec()));
        assert_eq!(run("(b", b"abc"), None);
        assert_eq!(run("(a", b""), None);
        assert_eq!(run(")c", b"abc"), Some(b"abc".to_vec()));
        assert_eq!(run(")b", b"abc"), None);
        assert_eq!(run(")c", b""), None);
        assert_eq!(run("=1b", b"abc"), Some(b"abc".to_vec()));
        assert_eq!(run("=1c", b"abc"), None);
        assert_eq!(run("=3c", b"abc"), None);
        assert_eq!(run("%2a", b"banana"), Some(b"banana".to_vec()));
        assert_eq!(run("%4a", b"banana"), None);
        // hashcat's host engine: N must also be below the length.
        assert_eq!(run("%2a", b"aa"), None);
        // Reject ops see the word as the ops before them left it.
        assert_eq!(run("$1 <3", b"abc"), None);
        assert_eq!(run("] <2", b"abc"), Some(b"ab".to_vec()));
        // A rejected candidate leaves `out` in an unspecified state but apply says false.
        let mut out = Vec::new();
        assert!(!Rule::parse("$x !x").unwrap().apply(b"ab", &mut out));
    }

    #[test]
    fn length_limit_matches_hashcat() {
        let w255 = vec![b'a'; 255];
        let w256 = vec![b'a'; 256];
        let w254 = vec![b'a'; 254];
        // Growing to 255 is allowed, to 256 is not: the op does nothing.
        assert_eq!(run("$1", &w254).unwrap().len(), 255);
        assert_eq!(run("$1", &w255).unwrap(), w255);
        assert_eq!(run("^1 i01 z1 Z1 y1 Y1", &w255).unwrap(), w255);
        assert_eq!(run("d", &w255[..128]).unwrap().len(), 128);
        assert_eq!(run("d", &w255[..127]).unwrap().len(), 254);
        assert_eq!(run("f", &w255[..128]).unwrap().len(), 128);
        assert_eq!(run("q", &w255[..128]).unwrap().len(), 128);
        assert_eq!(run("p2", &w255[..86]).unwrap().len(), 86);
        assert_eq!(run("p2", &w255[..85]).unwrap().len(), 255);
        // Appends stop at 255 bytes, each on its own.
        assert_eq!(run("$1 $2 $3", &w254).unwrap(), [&w254[..], b"1"].concat());
        // A 256-byte word passes through; ops that do not grow it still apply, except E/e/3.
        assert_eq!(run(":", &w256).unwrap(), w256);
        assert_eq!(run("u $1", &w256).unwrap(), vec![b'A'; 256]);
        assert_eq!(run("E", &w256).unwrap(), w256);
        assert_eq!(run("]", &w256).unwrap().len(), 255);
        // A longer word is skipped, as hashcat's wordlist reader skips it.
        assert_eq!(run(":", &[b'a'; 257]), None);
    }

    #[test]
    fn split_appends_and_noop() {
        let r = Rule::parse("c sa@ $2 $0 $2 $5 $!").unwrap();
        let (t, suffix) = r.split_appends();
        assert_eq!(t, Rule::parse("c sa@").unwrap());
        assert_eq!(suffix, b"2025!");
        // Only trailing appends split off.
        let (t, suffix) = Rule::parse("$1 u $2").unwrap().split_appends();
        assert_eq!(t.to_string(), "$1 u");
        assert_eq!(suffix, b"2");
        let (t, suffix) = Rule::parse("$1$2").unwrap().split_appends();
        assert!(t.is_noop());
        assert_eq!(suffix, b"12");
        let (t, suffix) = Rule::parse("u").unwrap().split_appends();
        assert_eq!(t.to_string(), "u");
        assert!(suffix.is_empty());
        // Transform then `append` = the whole rule, also at the length limit.
        for word in [&b"admin"[..], &[b'a'; 253]] {
            let mut whole = Vec::with_capacity(MAX_LEN);
            let mut parts = Vec::with_capacity(MAX_LEN);
            assert!(r.apply(word, &mut whole));
            let (t, suffix) = r.split_appends();
            assert!(t.apply(word, &mut parts));
            append(&mut parts, &suffix);
            assert_eq!(whole, parts);
        }

        assert!(Rule::parse(":").unwrap().is_noop());
        assert!(Rule::parse("").unwrap().is_noop());
        assert!(Rule::parse(": :").unwrap().is_noop());
        assert!(!Rule::parse("l").unwrap().is_noop());
        assert!(!Rule::parse("$1").unwrap().is_noop());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            ":",
            "l u c C t T5 3A- r d p3 f { } $1 ^! [ ] DZ x12 O34 i5x o6y '7",
            "sa@ @b z2 Z3 q k K *12 L1 R2 +3 -4 .5 ,6 y2 Y3 E e- <5 >2 !a /b (c )d =1e %2f",
            "$\\x00 $\\x5C $\\x20 $\\xE9",
        ] {
            let rule = Rule::parse(text).unwrap();
            assert_eq!(rule.to_string(), text);
            assert_eq!(Rule::parse(&rule.to_string()).unwrap(), rule);
        }
        assert_eq!(Rule::parse("").unwrap().to_string(), ":");
        assert_eq!(Rule::parse("$1$2c").unwrap().to_string(), "$1 $2 c");
    }

    #[test]
    fn parse_errors_name_line_and_op() {
        let text = "# comment\n\n:\nc $1\nu a\n";
        let err = RuleSet::parse(text).unwrap_err();
        assert_eq!(err.line, 5);
        assert!(err.reason.contains("'a'"), "{}", err.reason);
        assert_eq!(err.to_string(), format!("rule line 5: {}", err.reason));
        let class = crate::error::Classify::class(&err);
        assert_eq!(class, crate::error::ExitClass::Input);

        let err = RuleSet::parse(":\r\n$").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains("'$'") && err.reason.contains("missing"));

        let err = RuleSet::parse("Ta").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.reason.contains("'T'") && err.reason.contains("position"));

        // Memory ops and the unimplemented `a` are not in hashcat's -r engine either.
        for op in ["X012", "4", "6", "M", "Q", "a", "\t"] {
            assert!(Rule::parse(op).is_err(), "{op:?}");
        }
        let err = Rule::parse("\u{e9}").unwrap_err();
        assert!(err.reason.contains("\\xC3"), "{}", err.reason);

        // The reason never carries more of the rule than its op character.
        let err = RuleSet::parse("$s $e $c $r $e $t ~").unwrap_err();
        assert!(!err.reason.contains("secret"));
        assert!(err.reason.contains("'~'"));

        // 31 ops are fine, a 32nd (or anything after the 31st) is not.
        assert!(Rule::parse(&"$1".repeat(31)).is_ok());
        assert!(Rule::parse(&format!("{}$1", "$1 ".repeat(30))).is_ok());
        assert!(Rule::parse(&"$1".repeat(32)).is_err());
        assert!(Rule::parse(&format!("{} ", "$1".repeat(31))).is_err());
    }

    #[test]
    fn parse_skips_comments_and_blank_lines_and_keeps_space_lines() {
        let set = RuleSet::parse("#x\n:\n\n  \r\r\n#\nc\n \n").unwrap();
        assert_eq!(set.rules.len(), 4);
        assert!(set.rules[0].is_noop());
        assert!(set.rules[1].is_noop());
        assert_eq!(set.rules[2].to_string(), "c");
        assert!(set.rules[3].is_noop());
        assert!(RuleSet::parse("").unwrap().rules.is_empty());
    }

    #[test]
    fn apply_does_not_allocate_with_capacity() {
        let set = RuleSet::parse(
            ":\nd\nf\np9\nq\nz9 Z9\ny5 Y5\n^a ^b i0c $d\nsa@ c $2 $0 $2 $5 $!\nE\n@a\nx12\nO12\n",
        )
        .unwrap();
        let mut out = Vec::with_capacity(MAX_LEN);
        let ptr = out.as_ptr();
        let cap = out.capacity();
        let long = vec![b'a'; 256];
        for word in [&b""[..], b"banana", &long[..200], &long[..], &long[..255]] {
            for rule in &set.rules {
                assert!(rule.apply(word, &mut out));
                assert!(out.len() <= MAX_LEN);
                assert_eq!(out.as_ptr(), ptr);
                assert_eq!(out.capacity(), cap);
                append(&mut out, b"123456");
                assert_eq!(out.as_ptr(), ptr);
            }
        }
    }
}
