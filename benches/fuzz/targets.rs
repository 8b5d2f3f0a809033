//! The fuzz targets: every parser through its stable entry point, with the checks made on each
//! execution besides "no panic, no hang" (which the driver makes): every error names
//! `file:line` (or the body line), no error shows a secret, and the breach corpora answer like
//! a brute-force reference whenever the corpus is well-formed.

use crate::seeds::{self, Fixtures, Secrets, MARKER};
use kensa::breach::offline::{build_index, OfflineSource};
use kensa::breach::online::parse_range;
use kensa::breach::{BreachSource, Lookup, Query};
use kensa::input::{self, Format};
use kensa::manifest::Manifest;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The file name the input targets pass as the label of `file:line` sources.
pub const LABEL: &str = "fuzz-input.txt";

/// What one execution found besides panics and hangs.
#[derive(Debug, Default)]
pub struct Exec {
    /// A summary of the behaviour (error shapes, record kinds): an input that shows a new one
    /// joins the corpus.
    pub signature: u64,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Panic,
    Slow,
    /// An error that does not name `file:line`, or names a line the input does not have.
    Location,
    /// An error (or a redacting `Debug`) that shows a secret.
    Leak,
    /// A breach corpus answering unlike the reference.
    Differential,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Panic => "panic",
            Kind::Slow => "slow",
            Kind::Location => "location",
            Kind::Leak => "leak",
            Kind::Differential => "differential",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: Kind,
    /// What makes two problems the same finding (the place and the shape of the message).
    pub key: String,
    pub detail: String,
}

impl Problem {
    pub fn new(kind: Kind, key: impl Into<String>, detail: impl Into<String>) -> Problem {
        Problem {
            kind,
            key: key.into(),
            detail: detail.into(),
        }
    }
}

/// The first `n` words of `message`, each word with a digit or longer than 20 bytes as `*`
/// (runs of `*` merged): a message's shape, for telling findings apart.
pub fn words(message: &str, n: usize) -> String {
    let mut out: Vec<&str> = Vec::new();
    for w in message.split_whitespace().take(n) {
        let w = if w.len() > 20 || w.bytes().any(|b| b.is_ascii_digit()) {
            "*"
        } else {
            w
        };
        if !(w == "*" && out.last() == Some(&"*")) {
            out.push(w);
        }
    }
    out.join(" ")
}

/// One parser under test.
pub trait Target {
    fn name(&self) -> String;
    fn seeds(&self) -> Vec<Vec<u8>>;
    /// The share of the campaign's executions this target gets (1 = all of them).
    fn scale(&self) -> f64 {
        1.0
    }
    fn exec(&mut self, input: &[u8], secrets: &Secrets) -> Exec;
}

/// Every target: one per input format (whatever `Format::ALL` holds), the manifest, the range
/// API bodies of both modes, and the offline corpora (sorted text, per-prefix directory, index).
pub fn all(fixtures: &Fixtures, root: &Path, scratch: &Path) -> Vec<Box<dyn Target>> {
    let mut t: Vec<Box<dyn Target>> = Vec::new();
    for f in Format::ALL {
        let mut seeds = fixtures.of(f);
        seeds.extend(seeds::marked(f));
        if seeds.is_empty() {
            // A format with no fixture yet starts from every fixture.
            seeds = fixtures.all();
        }
        t.push(Box::new(InputTarget {
            format: f,
            seeds,
            execs: 0,
        }));
    }
    let mut m = fixtures.manifests();
    m.push(seeds::manifest_seed());
    t.push(Box::new(ManifestTarget {
        seeds: m,
        path: scratch.join("audit.toml"),
    }));
    for (suffix_len, mode) in [(35, "sha1"), (27, "ntlm")] {
        t.push(Box::new(RangeTarget {
            mode,
            suffix_len,
            seeds: seeds::range_bodies(root, suffix_len).1,
        }));
    }
    let mut text = seeds::corpus_text(root, 40);
    text.extend(seeds::corpus_text(root, 32));
    t.push(Box::new(TextCorpusTarget {
        seeds: text.clone(),
        path: scratch.join("corpus.txt"),
    }));
    let (prefix, mut bodies) = seeds::range_bodies(root, 35);
    bodies.extend(seeds::range_bodies(root, 27).1);
    let dir = scratch.join("prefix-dir");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    t.push(Box::new(DirCorpusTarget {
        seeds: bodies,
        file: dir.join(format!("{prefix}.txt")),
        dir,
        prefix,
    }));
    t.push(Box::new(IndexTarget {
        seeds: text,
        text: scratch.join("index-corpus.txt"),
        index: scratch.join("corpus.idx"),
    }));
    t
}

/// Digits replaced by `#` and the scratch paths by `<path>`: the shape of a message.
pub fn shape(message: &str, paths: &[&str]) -> String {
    let mut m = message.to_string();
    for p in paths {
        m = m.replace(p, "<path>");
    }
    let mut out = String::with_capacity(m.len());
    let mut digit = false;
    for c in m.chars() {
        if c.is_ascii_digit() {
            if !digit {
                out.push('#');
            }
            digit = true;
        } else {
            out.push(c);
            digit = false;
        }
    }
    out
}

fn hash_of(h: &mut DefaultHasher, s: &str) {
    s.hash(h);
}

/// Lines in `bytes` as `file:line` counts them (`\n`-separated; a last empty line included).
fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// `LABEL:N` with `1 <= N <= lines`?
fn names_line(source: &str, label: &str, lines: usize) -> bool {
    source
        .strip_prefix(label)
        .and_then(|r| r.strip_prefix(':'))
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|n| (1..=lines).contains(&n))
}

/// The line number in `path:N:` within `message`, if the message has one.
fn path_line(message: &str, path: &str) -> Option<Option<usize>> {
    let at = message.find(path)?;
    let rest = &message[at + path.len()..];
    let Some(r) = rest.strip_prefix(':') else {
        return Some(None);
    };
    let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
    Some(digits.parse().ok())
}

fn leak(problems: &mut Vec<Problem>, secrets: &Secrets, what: &str, message: &str) {
    if let Some(s) = secrets.leak(message) {
        problems.push(Problem::new(
            Kind::Leak,
            format!("{what}: {}", words(message, 2)),
            format!("{what} shows {s}: {message:?}"),
        ));
    }
}

/// `message` with its backtick-quoted spans (values) as `` `…` ``: the shape of a TOML message.
fn unquote(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { "…" })
        .collect::<Vec<_>>()
        .join("`")
}

/// Is `text` a valid TOML document (after byte-order marks)? kensa's own configuration files
/// (the manifest, the policy format) hold no secret field, so what their messages quote of a
/// valid TOML file (an unknown key, a bad value) is the auditor's own configuration. A file that
/// is not TOML (a dump given as a policy by mistake, say) gets the full check, but for what the
/// TOML parser quotes of the file in backticks ([`unquote`]).
fn own_toml(text: &str) -> bool {
    toml::from_str::<toml::Table>(text.trim_start_matches('\u{feff}')).is_ok()
}

/// An input format through `input::decode_borrowed` (the engine's decode path), `input::detect`
/// and `input::parse`.
struct InputTarget {
    format: Format,
    seeds: Vec<Vec<u8>>,
    execs: u64,
}

impl Target for InputTarget {
    fn name(&self) -> String {
        self.format.as_str().to_string()
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn exec(&mut self, bytes: &[u8], secrets: &Secrets) -> Exec {
        let mut h = DefaultHasher::new();
        let mut problems = Vec::new();
        // Decoded line by line as the engine does: an undecodable line is an error of its own
        // (checked below with the parser's errors); a file mostly undecodable is one error.
        let (decoded, _) = input::decode_input(bytes, Some(self.format), "fuzz-input");
        if !decoded.is_text() {
            let msg = decoded.binary_message();
            leak(&mut problems, secrets, "decode error", &msg);
            hash_of(&mut h, &shape(&msg, &[]));
            return Exec {
                signature: h.finish(),
                problems,
            };
        }
        let text = decoded.text();
        // Detection runs every sniffer over the text: every input target reaches it, so each
        // does it one execution in four.
        self.execs += 1;
        if self.execs.is_multiple_of(4) {
            hash_of(
                &mut h,
                input::detect(text, "fuzz-input").map_or("?", |f| f.as_str()),
            );
        }
        let mut p = input::parse(self.format, text, LABEL);
        p.errors.extend(decoded.errors(LABEL));
        let lines = line_count(text.as_bytes());
        let mut own: Option<Vec<String>> = None;
        let mut own_config: Option<bool> = None;
        // The behaviour: which kinds of error and of record, not how many.
        let mut kinds: BTreeSet<String> = BTreeSet::new();
        for e in &p.errors {
            if !names_line(&e.source, LABEL, lines) {
                problems.push(Problem::new(
                    Kind::Location,
                    format!("{}: {}", shape(&e.source, &[]), words(&e.message, 3)),
                    format!(
                        "error source {:?} is not `{LABEL}:N` with N in 1..={lines} (message {:?})",
                        e.source, e.message
                    ),
                ));
            }
            kinds.insert(words(&e.message, 4));
            let own_config =
                *own_config.get_or_insert_with(|| self.format == Format::Policy && own_toml(text));
            if own_config {
                continue;
            }
            let message = if self.format == Format::Policy {
                unquote(&e.message)
            } else {
                e.message.clone()
            };
            leak(&mut problems, secrets, "error message", &message);
            leak(&mut problems, secrets, "error source", &e.source);
            // A secret field kensa read from another line of this very input.
            let own = own.get_or_insert_with(|| seeds::parsed_secrets(self.format, text, 9));
            if let Some(s) = own.iter().find(|s| message.contains(s.as_str())) {
                problems.push(Problem::new(
                    Kind::Leak,
                    format!("own field: {}", words(&e.message, 2)),
                    format!(
                        "error message shows a secret field of the input ({} bytes): {:?}",
                        s.len(),
                        e.message
                    ),
                ));
            }
        }
        // What was read, without names or secrets; and the redacting Debug of every secret.
        p.accounts.len().min(3).hash(&mut h);
        let mut debug = String::new();
        for a in &p.accounts {
            let record = (
                a.hash.as_ref().map(|x| x.scheme),
                a.lm.is_some(),
                a.plaintext.is_some(),
                a.skip,
                a.mfa,
                a.max_age_days.map(i64::signum),
            );
            kinds.insert(format!("{record:?}"));
            debug.push_str(&format!("{:?}{:?}{:?}", a.hash, a.lm, a.plaintext));
        }
        if let Some(pol) = &p.policy {
            let d = format!("{pol:?}");
            kinds.insert(shape(&d, &[]));
            debug.push_str(&d);
        }
        kinds.hash(&mut h);
        if debug.contains(MARKER) {
            problems.push(Problem::new(
                Kind::Leak,
                "debug",
                "a Debug rendering of what was read shows the marker",
            ));
        }
        Exec {
            signature: h.finish(),
            problems,
        }
    }
}

/// The audit manifest through `Manifest::load` (a file in the scratch directory).
struct ManifestTarget {
    seeds: Vec<Vec<u8>>,
    path: PathBuf,
}

impl Target for ManifestTarget {
    fn name(&self) -> String {
        "manifest".into()
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn exec(&mut self, bytes: &[u8], secrets: &Secrets) -> Exec {
        let mut h = DefaultHasher::new();
        let mut problems = Vec::new();
        std::fs::write(&self.path, bytes).expect("write the manifest");
        let path = self.path.display().to_string();
        match Manifest::load(&self.path).map_err(|e| e.to_string()) {
            Ok(m) => {
                (m.systems.len().min(3), m.inputs.len().min(2)).hash(&mut h);
                let kinds: BTreeSet<String> = m
                    .systems
                    .iter()
                    .map(|s| format!("{:?}{:?}", s.kind, s.managed_by))
                    .collect();
                kinds.hash(&mut h);
            }
            Err(msg) => {
                let lines = line_count(bytes);
                // Unreadable text (not UTF-8) is about the whole file; anything else about a line.
                let whole_file = msg.contains("cannot read manifest");
                match path_line(&msg, &path) {
                    Some(Some(n)) if (1..=lines).contains(&n) => {}
                    Some(None) if whole_file => {}
                    _ => problems.push(Problem::new(
                        Kind::Location,
                        words(&unquote(&msg.replace(&path, "<path>")), 8),
                        format!(
                            "manifest error does not name `<path>:N` with N in 1..={lines}: {:?}",
                            msg.replace(&path, "<path>")
                        ),
                    )),
                }
                if !own_toml(&String::from_utf8_lossy(bytes)) {
                    leak(&mut problems, secrets, "manifest error", &unquote(&msg));
                }
                hash_of(&mut h, &words(&unquote(&msg.replace(&path, "<path>")), 8));
            }
        }
        Exec {
            signature: h.finish(),
            problems,
        }
    }
}

/// A range-API response body through `breach::online::parse_range` (the body as `reqwest`'s
/// `text()` gives it: invalid UTF-8 replaced).
struct RangeTarget {
    mode: &'static str,
    suffix_len: usize,
    seeds: Vec<Vec<u8>>,
}

impl Target for RangeTarget {
    fn name(&self) -> String {
        format!("range-body:{}", self.mode)
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn exec(&mut self, bytes: &[u8], secrets: &Secrets) -> Exec {
        let mut h = DefaultHasher::new();
        let mut problems = Vec::new();
        let body = String::from_utf8_lossy(bytes);
        match parse_range(&body, self.suffix_len) {
            Ok(map) => {
                map.len().min(3).hash(&mut h);
                if let Some((s, n)) = map.iter().find(|(s, n)| {
                    s.len() != self.suffix_len
                        || !s
                            .bytes()
                            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
                        || **n == 0
                }) {
                    problems.push(Problem::new(
                        Kind::Differential,
                        "bad entry",
                        format!("range parsed into suffix {s:?} with count {n}"),
                    ));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                let lines = line_count(body.as_bytes());
                let line = msg
                    .strip_prefix("malformed response body (line ")
                    .map(|r| {
                        r.chars()
                            .take_while(char::is_ascii_digit)
                            .collect::<String>()
                    })
                    .and_then(|d| d.parse::<usize>().ok());
                let ok = match line {
                    Some(n) => (1..=lines).contains(&n),
                    None => msg == "empty response body",
                };
                if !ok {
                    problems.push(Problem::new(
                        Kind::Location,
                        words(&msg, 4),
                        format!("range error names no line in 1..={lines}: {msg:?}"),
                    ));
                }
                leak(&mut problems, secrets, "range error", &msg);
                hash_of(&mut h, &words(&msg, 6));
            }
        }
        Exec {
            signature: h.finish(),
            problems,
        }
    }
}

/// A well-formed corpus as the reference reads it: hash bytes -> count, and the hash length.
struct Reference {
    hex_len: usize,
    counts: BTreeMap<Vec<u8>, u64>,
}

/// The reference reading of a sorted `HASH:COUNT` text corpus: `None` unless every line is
/// well-formed (40 or 32 hex as told by line 1, `:`, 1 to 20 digits fitting a u64, an optional
/// `\r`) and the hashes strictly ascend. One final `\n` is allowed.
fn reference_text(bytes: &[u8]) -> Option<Reference> {
    if bytes.is_empty() {
        return None;
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut hex_len = None;
    let mut counts = BTreeMap::new();
    let mut prev: Option<Vec<u8>> = None;
    for line in body.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let colon = line.iter().position(|&b| b == b':')?;
        let n = *hex_len.get_or_insert(colon);
        if colon != n || !(n == 40 || n == 32) {
            return None;
        }
        let hash = hex::decode(&line[..n]).ok()?;
        let digits = &line[n + 1..];
        if digits.is_empty() || digits.len() > 20 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let count: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        if prev.as_ref().is_some_and(|p| *p >= hash) {
            return None;
        }
        prev = Some(hash.clone());
        counts.insert(hash, count);
    }
    Some(Reference {
        hex_len: hex_len?,
        counts,
    })
}

/// The reference reading of one per-prefix file (`SUFFIX:COUNT`, the suffix length told by the
/// first non-empty line: 35 or 27): `None` unless well-formed, the non-zero lines strictly
/// ascending. Padding (`:0`) may come anywhere. An empty last line is allowed.
fn reference_prefix(prefix: &str, bytes: &[u8]) -> Option<Reference> {
    let mut suffix_len = None;
    let mut counts = BTreeMap::new();
    let mut prev: Option<Vec<u8>> = None;
    let mut rest = bytes;
    while !rest.is_empty() {
        let (line, tail) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = tail;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if rest.is_empty() {
                break;
            }
            return None;
        }
        let colon = line.iter().position(|&b| b == b':')?;
        let n = *suffix_len.get_or_insert(colon);
        if colon != n || !(n == 35 || n == 27) {
            return None;
        }
        let mut hex = prefix.as_bytes().to_vec();
        hex.extend_from_slice(&line[..n]);
        let hash = hex::decode(&hex).ok()?;
        let digits = &line[n + 1..];
        if digits.is_empty() || digits.len() > 20 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let count: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        if count == 0 {
            continue;
        }
        if prev.as_ref().is_some_and(|p| *p >= hash) {
            return None;
        }
        prev = Some(hash.clone());
        counts.insert(hash, count);
    }
    Some(Reference {
        hex_len: suffix_len? + 5,
        counts,
    })
}

/// Queries near the data: the hashes of some lines of `bytes` (each as written, and the next
/// value up), plus a few of each mode at random; sorted and distinct, as the engine asks.
fn queries(bytes: &[u8], prefix: &str, hex_lens: &[usize], salt: u64) -> Vec<Query> {
    let mut rng = crate::mutate::Rng::new(salt);
    let mut hexes: Vec<Vec<u8>> = Vec::new();
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    for _ in 0..lines.len().min(12) {
        let l = lines[rng.below(lines.len())];
        let head = l.split(|&b| b == b':').next().unwrap_or(l);
        let mut hex = prefix.as_bytes().to_vec();
        hex.extend_from_slice(head);
        hexes.push(hex);
    }
    for &n in hex_lens {
        for _ in 0..3 {
            let mut hex = prefix.as_bytes().to_vec();
            while hex.len() < n {
                hex.push(b"0123456789ABCDEF"[rng.below(16)]);
            }
            hexes.push(hex);
        }
    }
    let mut qs = Vec::new();
    for hex in hexes {
        let Ok(mut b) = hex::decode(&hex) else {
            continue;
        };
        for step in 0..2 {
            if step == 1 {
                // The next hash up (absent unless the corpus holds it too).
                if let Some(last) = b.last_mut() {
                    *last = last.wrapping_add(1);
                }
            }
            match b.len() {
                20 => qs.push(Query::Sha1(b.clone().try_into().expect("20 bytes"))),
                16 => qs.push(Query::Ntlm(b.clone().try_into().expect("16 bytes"))),
                _ => {}
            }
        }
    }
    qs.sort();
    qs.dedup();
    qs
}

/// Checks the answers of a corpus against the reference (when the corpus is well-formed) and
/// the errors' places (`path:N` within the input, or at least the path).
#[allow(clippy::too_many_arguments)]
fn check_answers(
    what: &str,
    path: &str,
    lines: usize,
    reference: Option<&Reference>,
    qs: &[Query],
    answers: &[Lookup],
    cap: u64,
    secrets: &Secrets,
    seen: &mut BTreeSet<String>,
    problems: &mut Vec<Problem>,
) {
    for (q, a) in qs.iter().zip(answers) {
        let same_mode = reference.is_some_and(|r| r.hex_len == q.bytes().len() * 2);
        match a {
            Lookup::Error(msg) => {
                seen.insert(words(&msg.replace(path, "<path>"), 8));
                leak(problems, secrets, "lookup error", msg);
                if msg.starts_with("no offline ") {
                    // A query of the other mode: not an error of this corpus.
                    continue;
                }
                check_place(what, path, lines, msg, problems);
                if same_mode {
                    let msg = msg.replace(path, "<path>");
                    problems.push(Problem::new(
                        Kind::Differential,
                        format!("{what}: error: {}", words(&msg, 5)),
                        format!("{what}: a well-formed corpus answered an error: {msg:?}"),
                    ));
                }
            }
            found => {
                let Some(r) = reference.filter(|_| same_mode) else {
                    continue;
                };
                let want = match r.counts.get(q.bytes()).copied().unwrap_or(0).min(cap) {
                    0 => Lookup::NotFound,
                    n => Lookup::Found(n),
                };
                if *found != want {
                    let name =
                        |l: &Lookup| format!("{l:?}").split('(').next().unwrap_or("").to_string();
                    problems.push(Problem::new(
                        Kind::Differential,
                        format!("{what}: {} for {}", name(found), name(&want)),
                        format!(
                            "{what}: {} answered {found:?}, the reference {want:?}",
                            hex::encode_upper(q.bytes())
                        ),
                    ));
                }
                seen.insert(format!("{:?}", std::mem::discriminant(found)));
            }
        }
    }
}

/// An error about a corpus file must name it, and a line of it when it names one.
fn check_place(what: &str, path: &str, lines: usize, msg: &str, problems: &mut Vec<Problem>) {
    let ok = match path_line(msg, path) {
        Some(Some(n)) => (1..=lines).contains(&n),
        // `FILE: line N is …` or a whole-file problem (empty, unreadable).
        Some(None) => {
            let line = msg
                .split("line ")
                .nth(1)
                .map(|r| {
                    r.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                })
                .and_then(|d| d.parse::<usize>().ok());
            line.is_none_or(|n| (1..=lines).contains(&n))
        }
        None => false,
    };
    if !ok {
        let msg = msg.replace(path, "<path>");
        problems.push(Problem::new(
            Kind::Location,
            format!("{what}: {}", words(&msg, 5)),
            format!("{what}: error does not name `<path>:N` with N in 1..={lines}: {msg:?}"),
        ));
    }
}

/// The downloader's sorted text file through `OfflineSource::open` and `lookup`.
struct TextCorpusTarget {
    seeds: Vec<Vec<u8>>,
    path: PathBuf,
}

impl Target for TextCorpusTarget {
    fn name(&self) -> String {
        "corpus:text".into()
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn exec(&mut self, bytes: &[u8], secrets: &Secrets) -> Exec {
        let mut h = DefaultHasher::new();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        std::fs::write(&self.path, bytes).expect("write the corpus");
        let path = self.path.display().to_string();
        let lines = line_count(bytes);
        let reference = reference_text(bytes);
        reference.is_some().hash(&mut h);
        match OfflineSource::open(std::slice::from_ref(&self.path)) {
            Err(msg) => {
                let msg = msg.to_string();
                hash_of(&mut h, &words(&msg.replace(&path, "<path>"), 8));
                leak(&mut problems, secrets, "open error", &msg);
                check_place("open", &path, lines, &msg, &mut problems);
                if reference.is_some() {
                    let msg = msg.replace(&path, "<path>");
                    problems.push(Problem::new(
                        Kind::Differential,
                        format!("refused: {}", words(&msg, 5)),
                        format!("a well-formed corpus was refused: {msg:?}"),
                    ));
                }
            }
            Ok(src) => {
                let qs = queries(bytes, "", &[40, 32], bytes.len() as u64);
                let answers = src.lookup(&qs, &|_| {});
                check_answers(
                    "text corpus",
                    &path,
                    lines,
                    reference.as_ref(),
                    &qs,
                    &answers,
                    u64::MAX - 1,
                    secrets,
                    &mut seen,
                    &mut problems,
                );
            }
        }
        seen.hash(&mut h);
        Exec {
            signature: h.finish(),
            problems,
        }
    }
}

/// One per-prefix range body in a directory, through `OfflineSource::open` and `lookup`.
struct DirCorpusTarget {
    seeds: Vec<Vec<u8>>,
    dir: PathBuf,
    file: PathBuf,
    prefix: String,
}

impl Target for DirCorpusTarget {
    fn name(&self) -> String {
        "corpus:prefix-dir".into()
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn exec(&mut self, bytes: &[u8], secrets: &Secrets) -> Exec {
        let mut h = DefaultHasher::new();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        std::fs::write(&self.file, bytes).expect("write the prefix file");
        let file = self.file.display().to_string();
        let lines = line_count(bytes);
        let reference = reference_prefix(&self.prefix, bytes);
        reference.is_some().hash(&mut h);
        match OfflineSource::open(std::slice::from_ref(&self.dir)) {
            Err(msg) => {
                let msg = msg.to_string();
                hash_of(&mut h, &words(&msg.replace(&file, "<path>"), 8));
                leak(&mut problems, secrets, "open error", &msg);
                // Opening tells the mode from the first non-empty line, or says the file is empty.
                if !msg.contains("every prefix file is empty") {
                    check_place("open", &file, lines, &msg, &mut problems);
                }
                if reference.as_ref().is_some_and(|r| !r.counts.is_empty()) {
                    let msg = msg.replace(&file, "<path>");
                    problems.push(Problem::new(
                        Kind::Differential,
                        format!("refused: {}", words(&msg, 5)),
                        format!("a well-formed prefix file was refused: {msg:?}"),
                    ));
                }
            }
            Ok(src) => {
                let qs = queries(bytes, &self.prefix, &[40, 32], bytes.len() as u64);
                let answers = src.lookup(&qs, &|_| {});
                check_answers(
                    "prefix directory",
                    &file,
                    lines,
                    reference.as_ref(),
                    &qs,
                    &answers,
                    u64::MAX - 1,
                    secrets,
                    &mut seen,
                    &mut problems,
                );
            }
        }
        seen.hash(&mut h);
        Exec {
            signature: h.finish(),
            problems,
        }
    }
}

/// A sorted text corpus through `build_index`, then the index through `OfflineSource`. Each
/// build writes an 8 MiB prefix table, so this target gets a tenth of the executions.
struct IndexTarget {
    seeds: Vec<Vec<u8>>,
    text: PathBuf,
    index: PathBuf,
}

impl Target for IndexTarget {
    fn name(&self) -> String {
        "corpus:index".into()
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn scale(&self) -> f64 {
        0.1
    }
    fn exec(&mut self, bytes: &[u8], secrets: &Secrets) -> Exec {
        let mut h = DefaultHasher::new();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        std::fs::write(&self.text, bytes).expect("write the corpus");
        let _ = std::fs::remove_file(&self.index);
        let path = self.text.display().to_string();
        let lines = line_count(bytes);
        let reference = reference_text(bytes);
        reference.is_some().hash(&mut h);
        match build_index(std::slice::from_ref(&self.text), &self.index, &|_, _| {}) {
            Err(msg) => {
                let msg = msg.to_string();
                hash_of(&mut h, &words(&msg.replace(&path, "<path>"), 8));
                leak(&mut problems, secrets, "index error", &msg);
                check_place("index", &path, lines, &msg, &mut problems);
                if reference.is_some() {
                    let msg = msg.replace(&path, "<path>");
                    problems.push(Problem::new(
                        Kind::Differential,
                        format!("not indexed: {}", words(&msg, 5)),
                        format!("a well-formed corpus could not be indexed: {msg:?}"),
                    ));
                }
            }
            Ok(info) => {
                if reference.is_none() {
                    problems.push(Problem::new(
                        Kind::Differential,
                        "malformed indexed",
                        "a malformed corpus was indexed without an error",
                    ));
                }
                info.records.min(3).hash(&mut h);
                match OfflineSource::open(std::slice::from_ref(&self.index)) {
                    Err(msg) => problems.push(Problem::new(
                        Kind::Differential,
                        "index does not open",
                        format!("a freshly built index does not open: {msg:?}"),
                    )),
                    Ok(src) => {
                        let qs = queries(bytes, "", &[40, 32], bytes.len() as u64);
                        let answers = src.lookup(&qs, &|_| {});
                        check_answers(
                            "index",
                            &self.index.display().to_string(),
                            lines,
                            reference.as_ref(),
                            &qs,
                            &answers,
                            u64::from(u32::MAX),
                            secrets,
                            &mut seen,
                            &mut problems,
                        );
                    }
                }
            }
        }
        seen.hash(&mut h);
        Exec {
            signature: h.finish(),
            problems,
        }
    }
}
