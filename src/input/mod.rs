//! Input formats: decode bytes, detect the format from content, parse into plain model data.
//!
//! Each format lives in a file of its own and exposes `parse(text, label) -> ParsedInput`;
//! `label` is the file name used in `file:line` sources.

mod decode;
pub mod dropin;
mod error;
pub mod faillock;
pub mod htpasswd;
pub mod inventory;
pub mod ldif;
pub mod logindefs;
pub mod netaccounts;
pub mod pam;
pub mod policy;
pub mod potfile;
pub mod pwdump;
pub mod pwquality;
pub mod secedit;
pub mod shadow;

pub use decode::{decode_input, decode_lines, Decoded};
pub use error::{LineError, ReadError};

use crate::model::{InputError, ParsedInput, Scheme};

/// Every input format kensa reads (contract §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Pwdump,
    Shadow,
    Htpasswd,
    Ldif,
    Inventory,
    Potfile,
    Secedit,
    LoginDefs,
    Pwquality,
    Policy,
    /// PAM configuration (`/etc/pam.d/*`, `/etc/pam.conf`): pam_pwquality and lockout arguments.
    Pam,
    /// `/etc/security/faillock.conf`: account lockout.
    Faillock,
    /// `net accounts` output (English or Japanese Windows).
    NetAccounts,
}

impl Format {
    pub const ALL: [Format; 13] = [
        Format::Pwdump,
        Format::Shadow,
        Format::Htpasswd,
        Format::Ldif,
        Format::Inventory,
        Format::Potfile,
        Format::Secedit,
        Format::LoginDefs,
        Format::Pwquality,
        Format::Policy,
        Format::Pam,
        Format::Faillock,
        Format::NetAccounts,
    ];
    /// The stable name used in evidence and in `FORMAT:PATH` arguments.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pwdump => "pwdump",
            Format::Shadow => "shadow",
            Format::Htpasswd => "htpasswd",
            Format::Ldif => "ldif",
            Format::Inventory => "inventory",
            Format::Potfile => "potfile",
            Format::Secedit => "secedit",
            Format::LoginDefs => "login.defs",
            Format::Pwquality => "pwquality.conf",
            Format::Policy => "policy",
            Format::Pam => "pam",
            Format::Faillock => "faillock.conf",
            Format::NetAccounts => "netaccounts",
        }
    }
    /// Parse a format name as written in `FORMAT:PATH` (aliases: `ldap`, `pot`, `logindefs`,
    /// `pwquality`, `pam.d`, `faillock`).
    pub fn from_name(name: &str) -> Option<Format> {
        let n = name.to_ascii_lowercase();
        Some(match n.as_str() {
            "pwdump" | "ntds" | "sam" => Format::Pwdump,
            "shadow" => Format::Shadow,
            "htpasswd" => Format::Htpasswd,
            "ldif" | "ldap" => Format::Ldif,
            "inventory" | "csv" => Format::Inventory,
            "potfile" | "pot" => Format::Potfile,
            "secedit" | "inf" => Format::Secedit,
            "login.defs" | "logindefs" | "login_defs" => Format::LoginDefs,
            "pwquality.conf" | "pwquality" => Format::Pwquality,
            "policy" | "toml" => Format::Policy,
            "pam" | "pam.d" | "pam.conf" => Format::Pam,
            "faillock.conf" | "faillock" => Format::Faillock,
            "netaccounts" | "net-accounts" | "net_accounts" => Format::NetAccounts,
            _ => return None,
        })
    }
    /// Formats that carry policy settings rather than accounts.
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            Format::Secedit
                | Format::LoginDefs
                | Format::Pwquality
                | Format::Policy
                | Format::Pam
                | Format::Faillock
                | Format::NetAccounts
        )
    }
}

/// Split a `FORMAT:PATH` argument. A plain path (or an existing file whose name has a colon)
/// has no forced format; an unknown format name is an error listing the known ones.
pub fn split_format(arg: &str) -> Result<(Option<Format>, &str), ReadError> {
    match arg.split_once(':') {
        Some((f, rest)) if !rest.is_empty() && !std::path::Path::new(arg).exists() => {
            match Format::from_name(f) {
                Some(fmt) => Ok((Some(fmt), rest)),
                None => Err(ReadError::UnknownFormat {
                    name: f.to_string(),
                    arg: arg.to_string(),
                    known: Format::ALL.map(|f| f.as_str()).join(", "),
                }),
            }
        }
        _ => Ok((None, arg)),
    }
}

/// Decode raw file bytes as a whole (UTF-8 with or without BOM, UTF-16LE/BE): for small files
/// that are read only if every line decodes. Errors name the first undecodable line only (the
/// caller adds the path). Input files are read with [`decode_input`], line by line.
pub fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let d = decode_lines(bytes);
    match d.bad_lines.first() {
        Some(&line) => Err(ReadError::Undecodable {
            line,
            encoding: d.encoding,
        }),
        None => Ok(d.text().to_string()),
    }
}

/// Guess the format of a decoded file from its content (the file name is only a tie-breaker).
///
/// Every format's `sniff` is tried in a fixed order; when several match, the one the file name
/// suggests wins, else the first. When none match, the line formats (pwdump, shadow, pot file,
/// htpasswd) are counted line by line: the one with the most well-formed lines wins, however
/// many malformed lines surround them (each of those is then an input error of its own), the
/// file name breaking a tie. When no line is recognised at all (e.g. a file of comments only),
/// the file name decides.
pub fn detect(text: &str, file_name: &str) -> Option<Format> {
    let hint = name_hint(file_name);
    // The sniffers look at the head of the file only (whole lines of its first 64 KiB).
    let text = head(text, SNIFF_BYTES);
    let matching: Vec<Format> = SNIFF_ORDER
        .iter()
        .copied()
        .filter(|f| sniff(*f, text))
        .collect();
    match (matching.as_slice(), hint) {
        ([], hint) => most_lines(text, hint).or(hint),
        (many, Some(h)) if many.contains(&h) => Some(h),
        (many, _) => many.first().copied(),
    }
}

/// The line format with the most well-formed lines in `text` (at least one): `hint` when it is
/// among the best, else the first of them in [`SNIFF_ORDER`].
fn most_lines(text: &str, hint: Option<Format>) -> Option<Format> {
    let scores: Vec<(Format, usize)> = SNIFF_ORDER
        .iter()
        .filter_map(|&f| {
            let (hits, _) = match f {
                Format::Pwdump => pwdump::line_hits(text),
                Format::Shadow => shadow::line_hits(text),
                Format::Potfile => potfile::line_hits(text),
                Format::Htpasswd => htpasswd::line_hits(text),
                _ => return None,
            };
            Some((f, hits))
        })
        .collect();
    let best = scores.iter().map(|&(_, n)| n).max().filter(|&n| n > 0)?;
    let mut tied = scores.iter().filter(|&&(_, n)| n == best).map(|&(f, _)| f);
    let first = tied.clone().next();
    match hint {
        Some(h) if tied.any(|f| f == h) => Some(h),
        _ => first,
    }
}

/// How much of a file format detection looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The whole lines within the first `max` bytes of `text` (all of it when shorter).
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let cut = text.as_bytes()[..max]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(max, |i| i + 1);
    let mut cut = cut;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Why a file that parsed without an error still gave nothing to audit, if it did: an account
/// format with no account, or a Windows or kensa policy with no setting. The caller makes it an
/// error naming the file (not a line): an empty export is not a clean one. The Linux policy files
/// are left alone: as distributions ship them they set nothing, and that states the defaults.
pub fn nothing_read(format: Format, p: &ParsedInput) -> Option<&'static str> {
    let no_accounts = p.accounts.is_empty();
    match format {
        Format::Pwdump | Format::Shadow | Format::Htpasswd | Format::Inventory if no_accounts => {
            Some("no accounts found in the file (an empty export?)")
        }
        Format::Ldif if no_accounts && p.records > 0 => Some(
            "no entry has a userPassword (exported without the right to read it? \
             ldapsearch shows userPassword only to a bind allowed to read it)",
        ),
        Format::Ldif if no_accounts => Some("no entries found in the file (an empty export?)"),
        Format::Secedit if p.records == 0 => Some(
            "no settings found: no password or lockout setting under [System Access] \
             (export with `secedit /export /cfg FILE /areas SECURITYPOLICY`)",
        ),
        Format::NetAccounts if p.records == 0 => {
            Some("no settings found in the `net accounts` output")
        }
        Format::Policy if p.records == 0 => {
            Some("no settings found: no kensa policy key in the file")
        }
        _ => None,
    }
}

/// Parse `text` as `format`; `label` is the file name used in `file:line` sources.
pub fn parse(format: Format, text: &str, label: &str) -> ParsedInput {
    match format {
        Format::Pwdump => pwdump::parse(text, label),
        Format::Shadow => shadow::parse(text, label),
        Format::Htpasswd => htpasswd::parse(text, label),
        Format::Ldif => ldif::parse(text, label),
        Format::Inventory => inventory::parse(text, label),
        Format::Potfile => potfile::parse(text, label),
        Format::Secedit => secedit::parse(text, label),
        Format::LoginDefs => logindefs::parse(text, label),
        Format::Pwquality => pwquality::parse(text, label),
        Format::Policy => policy::parse(text, label),
        Format::Pam => pam::parse(text, label),
        Format::Faillock => faillock::parse(text, label),
        Format::NetAccounts => netaccounts::parse(text, label),
    }
}

/// The order in which content sniffers are tried: the most distinctive formats first.
const SNIFF_ORDER: [Format; 13] = [
    Format::Secedit,
    Format::NetAccounts,
    Format::Ldif,
    Format::Pwdump,
    Format::Shadow,
    Format::Inventory,
    Format::Potfile,
    Format::Htpasswd,
    Format::LoginDefs,
    Format::Pam,
    Format::Pwquality,
    Format::Faillock,
    Format::Policy,
];

fn sniff(format: Format, text: &str) -> bool {
    match format {
        Format::Pwdump => pwdump::sniff(text),
        Format::Shadow => shadow::sniff(text),
        Format::Htpasswd => htpasswd::sniff(text),
        Format::Ldif => ldif::sniff(text),
        Format::Inventory => inventory::sniff(text),
        Format::Potfile => potfile::sniff(text),
        Format::Secedit => secedit::sniff(text),
        Format::LoginDefs => logindefs::sniff(text),
        Format::Pwquality => pwquality::sniff(text),
        Format::Policy => policy::sniff(text),
        Format::Pam => pam::sniff(text),
        Format::Faillock => faillock::sniff(text),
        Format::NetAccounts => netaccounts::sniff(text),
    }
}

/// The format a file name suggests, if any (base name only; case-insensitive).
fn name_hint(file_name: &str) -> Option<Format> {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    Some(if base == "login.defs" {
        Format::LoginDefs
    } else if base.contains("pwquality") {
        Format::Pwquality
    } else if base.contains("netaccounts")
        || base.contains("net-accounts")
        || base.contains("net_accounts")
    {
        Format::NetAccounts
    } else if base.contains("faillock") {
        Format::Faillock
    } else if is_pam_name(&base) {
        Format::Pam
    } else if ext == "inf" || base.contains("secedit") {
        Format::Secedit
    } else if ext == "ldif" {
        Format::Ldif
    } else if ext == "pot" || base.contains("potfile") {
        Format::Potfile
    } else if base.contains("shadow") {
        Format::Shadow
    } else if base.contains("htpasswd") {
        Format::Htpasswd
    } else if ext == "csv" {
        Format::Inventory
    } else if ext == "toml" {
        Format::Policy
    } else if base.contains("ntds") || base.contains("pwdump") || base.contains("secretsdump") {
        Format::Pwdump
    } else {
        return None;
    })
}

/// The PAM files that carry password and lockout settings (`common-password`, `system-auth`, …).
fn is_pam_name(base: &str) -> bool {
    base.starts_with("common-")
        || base.starts_with("pam.")
        || matches!(
            base,
            "system-auth" | "password-auth" | "system-auth-ac" | "password-auth-ac"
        )
}

/// A libpwquality / pam_faillock option line with the comment cut off: the name (up to the first
/// space or `=`) and the value (after the spaces and at most one `=` that follow). `None` for
/// blank and comment lines.
pub(crate) fn option_line(line: &str) -> Option<(&str, &str)> {
    let line = line.split('#').next().unwrap_or("").trim();
    if line.is_empty() {
        return None;
    }
    let end = line
        .find(|c: char| c.is_ascii_whitespace() || c == '=')
        .unwrap_or(line.len());
    let (name, rest) = line.split_at(end);
    let mut eq = false;
    let value = rest.trim_start_matches(|c: char| {
        if c == '=' && !eq {
            eq = true;
            true
        } else {
            c.is_ascii_whitespace()
        }
    });
    Some((name, value))
}

/// Lines with 1-based numbers: a leading UTF-8 BOM is dropped and `\r\n` endings are accepted.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

/// A run of whole lines of a text, for parsing a large file in parallel: the concatenated lines of
/// [`line_chunks`] are those of [`numbered_lines`], with the same numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineChunk<'a> {
    /// The lines, each ended by `\n` but the last (which may be empty).
    text: &'a str,
    /// The number of the chunk's first line.
    first: usize,
}

impl<'a> LineChunk<'a> {
    /// The chunk's lines with their numbers, as [`numbered_lines`] gives them.
    pub(crate) fn lines(self) -> impl Iterator<Item = (usize, &'a str)> {
        self.text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .enumerate()
            .map(move |(i, l)| (self.first + i, l))
    }
}

/// Chunks of roughly `target` bytes (at least one) that together hold the lines of
/// [`numbered_lines`]`(text)`. Line numbers are counted in parallel.
pub(crate) fn line_chunks(text: &str, target: usize) -> Vec<LineChunk<'_>> {
    use rayon::prelude::*;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.strip_suffix('\n').unwrap_or(text);
    let bytes = text.as_bytes();
    let target = target.max(1);
    // Cut after a '\n' at or beyond every `target` bytes; each piece but the last ends with '\n',
    // which is not part of its lines.
    let mut cuts = vec![0usize];
    let mut at = 0;
    while at + target < bytes.len() {
        match memchr::memchr(b'\n', &bytes[at + target..]) {
            Some(i) => {
                at += target + i + 1;
                cuts.push(at);
            }
            None => break,
        }
    }
    cuts.push(bytes.len() + 1);
    let pieces: Vec<&str> = cuts
        .windows(2)
        .map(|w| &text[w[0]..(w[1] - 1).min(bytes.len())])
        .collect();
    let counts: Vec<usize> = pieces
        .par_iter()
        .map(|p| memchr::memchr_iter(b'\n', p.as_bytes()).count() + 1)
        .collect();
    let mut first = 1;
    pieces
        .into_iter()
        .zip(counts)
        .map(|(text, n)| {
            let c = LineChunk { text, first };
            first += n;
            c
        })
        .collect()
}

/// The chunk size [`line_chunks`] is given for parsing: a few chunks per thread, at least 1 MiB.
pub(crate) fn chunk_bytes(len: usize) -> usize {
    (len / (rayon::current_num_threads() * 4)).max(1 << 20)
}

/// `label:line`, the source of a record.
pub(crate) fn source(label: &str, line: usize) -> String {
    format!("{label}:{line}")
}

/// An input error at `label:line`.
pub(crate) fn error(label: &str, line: usize, message: impl Into<String>) -> InputError {
    InputError {
        source: source(label, line),
        message: message.into(),
    }
}

/// Is this line blank or a `#` comment?
pub(crate) fn is_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Of the (first 200) data lines of `text` (those `skip` does not leave out), how many match
/// `pred`, and how many there are.
pub(crate) fn count_lines(
    text: &str,
    skip: impl Fn(&str) -> bool,
    pred: impl Fn(&str) -> bool,
) -> (usize, usize) {
    let (mut seen, mut hits) = (0usize, 0usize);
    for (_, line) in numbered_lines(text) {
        if skip(line) {
            continue;
        }
        seen += 1;
        if pred(line) {
            hits += 1;
        }
        if seen >= 200 {
            break;
        }
    }
    (hits, seen)
}

/// A content sniffer's verdict from `(hits, seen)`: at least one line matches and at least half do.
pub(crate) fn mostly((hits, seen): (usize, usize)) -> bool {
    hits > 0 && hits * 2 >= seen
}

/// Identify a stored hash and return its scheme with the text to keep: `{CRYPT}` stripped,
/// hex hashes (NT) lower-cased. `None` for anything `crate::hash::identify` does not recognise.
pub(crate) fn identify_hash(hash: &str) -> Option<(Scheme, String)> {
    let inner = crate::hash::strip_ldap_crypt(hash);
    let scheme = crate::hash::identify(inner)?;
    let text = match scheme {
        Scheme::Nt | Scheme::Lm => inner.to_ascii_lowercase(),
        _ => inner.to_string(),
    };
    Some((scheme, text))
}

/// A traditional DES crypt(3) hash: 13 characters of the crypt alphabet.
pub(crate) fn is_des_crypt(hash: &str) -> bool {
    hash.len() == 13
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
}

/// Why a stored value is not a hash kensa reads, as `FIELD: REASON` with a fixed reason: a value
/// in a hash field may be a password typed into the wrong place (`bob:$Winter$2024`), so not one
/// byte of it is quoted. A scheme is named only when its tag is one of [`KNOWN_UNSUPPORTED`], and
/// then by the list's own words.
pub(crate) fn unknown_scheme(field: &'static str, hash: &str) -> LineError {
    let hash = crate::hash::strip_ldap_crypt(hash.trim());
    if is_des_crypt(hash) {
        return LineError::UnsupportedScheme {
            field,
            scheme: "DES crypt",
        };
    }
    match known_unsupported(hash) {
        Some(scheme) => LineError::UnsupportedScheme { field, scheme },
        None => LineError::UnknownScheme { field },
    }
}

/// Real password hash schemes kensa cannot verify, by the tag that starts them: crypt(3) `$id$`
/// (exact) and LDAP `{TAG}` (any case). Each entry: the tag, and the name messages print.
pub(crate) const KNOWN_UNSUPPORTED: [(&str, &str); 32] = [
    ("$md5$", "$md5$ Sun MD5 crypt"),
    ("$md5,", "$md5$ Sun MD5 crypt"),
    ("$sha1$", "$sha1$ NetBSD SHA-1 crypt"),
    ("$3$", "$3$ FreeBSD NT-hash crypt"),
    ("$7$", "$7$ scrypt crypt"),
    ("$gy$", "$gy$ gost-yescrypt"),
    ("$sm3$", "$sm3$ SM3 crypt"),
    ("$2$", "$2$ original bcrypt"),
    ("$2x$", "$2x$ bcrypt (crypt_blowfish bug variant)"),
    ("$8$", "$8$ Cisco type 8 (PBKDF2-SHA256)"),
    ("$9$", "$9$ Cisco type 9 (scrypt)"),
    ("$P$", "$P$ phpass"),
    ("$H$", "$H$ phpass"),
    ("{MD5}", "{MD5}"),
    ("{SMD5}", "{SMD5}"),
    ("{SHA256}", "{SHA256}"),
    ("{SSHA256}", "{SSHA256}"),
    ("{SHA384}", "{SHA384}"),
    ("{SSHA384}", "{SSHA384}"),
    ("{SHA512}", "{SHA512}"),
    ("{SSHA512}", "{SSHA512}"),
    ("{PBKDF2}", "{PBKDF2}"),
    ("{PBKDF2-SHA1}", "{PBKDF2-SHA1}"),
    ("{PBKDF2-SHA256}", "{PBKDF2-SHA256}"),
    ("{PBKDF2-SHA512}", "{PBKDF2-SHA512}"),
    ("{PBKDF2_SHA256}", "{PBKDF2_SHA256}"),
    ("{ARGON2}", "{ARGON2}"),
    ("{BCRYPT}", "{BCRYPT}"),
    ("{NS-MTA-MD5}", "{NS-MTA-MD5}"),
    ("{GOST_YESCRYPT}", "{GOST_YESCRYPT}"),
    ("{SASL}", "{SASL}"),
    ("{K5KEY}", "{K5KEY}"),
];

/// The name of the known scheme `hash` starts with, from [`KNOWN_UNSUPPORTED`].
fn known_unsupported(hash: &str) -> Option<&'static str> {
    KNOWN_UNSUPPORTED.iter().find_map(|(tag, name)| {
        let head = hash.get(..tag.len())?;
        let hit = if tag.starts_with('{') {
            head.eq_ignore_ascii_case(tag)
        } else {
            head == *tag
        };
        hit.then_some(*name)
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn split_format_forces_known_formats_only() {
        assert_eq!(
            split_format("pwdump:a.txt").unwrap(),
            (Some(Format::Pwdump), "a.txt")
        );
        assert_eq!(split_format("a.txt").unwrap(), (None, "a.txt"));
        assert!(split_format("nosuch:a.txt")
            .unwrap_err()
            .to_string()
            .contains("known:"));
    }

    use super::*;

    const NT: &str = "8846f7eaee8fb117ad06bdd830b7586c";

    fn samples() -> Vec<(Format, String)> {
        vec![
            (
                Format::Pwdump,
                format!("[*] Dumping\nKORO\\a:500:aad3b435b51404eeaad3b435b51404ee:{NT}::: (status=Enabled)\n"),
            ),
            (
                Format::Shadow,
                "root:$6$salt$abcdef:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\n".into(),
            ),
            (
                Format::Htpasswd,
                "admin:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n".into(),
            ),
            (
                Format::Ldif,
                "dn: uid=a,dc=koro\nuid: a\nuserPassword: {SSHA}AAAA\n".into(),
            ),
            (
                Format::Inventory,
                "system,account,password,mfa\nrouter,admin,x,no\n".into(),
            ),
            (Format::Potfile, format!("{NT}:password\n$6$salt$abc:x:y\n")),
            (
                Format::Secedit,
                "[Unicode]\nUnicode=yes\n[System Access]\nMinimumPasswordLength = 8\n".into(),
            ),
            (
                Format::LoginDefs,
                "# login.defs\nMAIL_DIR /var/mail\nPASS_MAX_DAYS 90\nUMASK 022\n".into(),
            ),
            (Format::Pwquality, "# pwquality\nminlen = 12\ndcredit = -1\n".into()),
            (
                Format::Policy,
                "min_length = 13\nrequire = [\"letter\", \"digit\", \"symbol\"]\n".into(),
            ),
            (
                Format::Pam,
                "# common-password\npassword requisite pam_pwquality.so retry=3 minlen=14\n\
                 password [success=1 default=ignore] pam_unix.so obscure use_authtok yescrypt\n"
                    .into(),
            ),
            (
                Format::Faillock,
                "# faillock.conf\ndeny = 5\nunlock_time = 900\neven_deny_root\n".into(),
            ),
            (
                Format::NetAccounts,
                "Minimum password age (days):       0\nMaximum password age (days):       42\n\
                 Minimum password length:           8\nLockout threshold:                 Never\n\
                 The command completed successfully.\n"
                    .into(),
            ),
        ]
    }

    #[test]
    fn detect_every_format_from_content() {
        for (format, text) in samples() {
            assert_eq!(
                detect(&text, "input.txt"),
                Some(format),
                "{}",
                format.as_str()
            );
            // With CRLF line endings and a BOM too.
            let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            assert_eq!(
                detect(&crlf, "input"),
                Some(format),
                "{} (CRLF)",
                format.as_str()
            );
            // The only sniffer that matches is the format's own.
            let others: Vec<Format> = Format::ALL
                .into_iter()
                .filter(|f| *f != format && sniff(*f, &text))
                .collect();
            assert!(
                others.is_empty(),
                "{} also sniffed as {others:?}",
                format.as_str()
            );
        }
    }

    #[test]
    fn detect_uses_the_file_name_for_ties_and_empty_files() {
        assert_eq!(
            detect("# all defaults\n", "/etc/login.defs"),
            Some(Format::LoginDefs)
        );
        assert_eq!(
            detect("# minlen = 8\n", "/etc/security/pwquality.conf"),
            Some(Format::Pwquality)
        );
        assert_eq!(detect("", "x.inf"), Some(Format::Secedit));
        assert_eq!(detect("", "C:\\exports\\dump.ldif"), Some(Format::Ldif));
        assert_eq!(detect("just some words\n", "notes.txt"), None);
        // Content wins over a misleading name.
        let pw = format!("a:500:aad3b435b51404eeaad3b435b51404ee:{NT}:::\n");
        assert_eq!(detect(&pw, "shadow"), Some(Format::Pwdump));
    }

    #[test]
    fn detect_goes_by_the_lines_that_parse_when_most_are_malformed() {
        let junk = "garbage line\nmore: garbage: here\n\u{1}\u{2}\nstill garbage\n";
        for (format, good) in [
            (
                Format::Pwdump,
                format!("yoshida:1104:aad3b435b51404eeaad3b435b51404ee:{NT}:::\n"),
            ),
            (
                Format::Shadow,
                "root:$6$salt$abcdef:19700:0:99999:7:::\n".to_string(),
            ),
            (
                Format::Htpasswd,
                "admin:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n".to_string(),
            ),
            (Format::Potfile, format!("{NT}:password\n")),
        ] {
            // One good line among four bad ones, under a name that says nothing.
            let text = format!("{junk}{good}");
            assert!(
                !sniff(format, &text),
                "{}: a majority sniffer",
                format.as_str()
            );
            assert_eq!(
                detect(&text, "export.txt"),
                Some(format),
                "{}",
                format.as_str()
            );
            // And the parser then reports each bad line with its number and reads the good one.
            let p = parse(format, &text, "export.txt");
            assert_eq!(p.accounts.len() + usize::from(format == Format::Potfile), 1);
            if format != Format::Potfile {
                let lines: Vec<&str> = p.errors.iter().map(|e| e.source.as_str()).collect();
                assert!(
                    lines.contains(&"export.txt:1"),
                    "{}: {lines:?}",
                    format.as_str()
                );
            }
        }
        // The most well-formed lines win; the file name breaks a tie.
        let two_shadow = format!(
            "{junk}root:$6$salt$abc:19700:0:99999:7:::\nbin:$6$s$d:19700:0:99999:7:::\n\
             a:1:aad3b435b51404eeaad3b435b51404ee:{NT}:::\n{junk}{junk}"
        );
        assert_eq!(detect(&two_shadow, "x"), Some(Format::Shadow));
        let tie = format!("{junk}admin:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n{NT}:pw\n{junk}");
        assert_eq!(detect(&tie, "x"), Some(Format::Potfile));
        assert_eq!(detect(&tie, "web.htpasswd"), Some(Format::Htpasswd));
        // No recognisable line at all: the name, or nothing.
        assert_eq!(detect(junk, "notes.txt"), None);
        assert_eq!(detect(junk, "site.htpasswd"), Some(Format::Htpasswd));
    }

    #[test]
    fn a_file_that_yields_nothing_to_audit_is_an_error() {
        // What the engine and `kensa policy` report: the parser's errors, or why nothing was read.
        let empty = |f: Format, text: &str| {
            let p = parse(f, text, "f");
            let mut errs: Vec<(String, String)> = p
                .errors
                .iter()
                .map(|e| (e.source.clone(), e.message.clone()))
                .collect();
            if errs.is_empty() {
                errs.extend(nothing_read(f, &p).map(|m| ("f".to_string(), m.to_string())));
            }
            errs
        };
        // A secedit export of other sections only, and an empty one.
        let other = "[Unicode]\r\nUnicode=yes\r\n[Event Audit]\r\nAuditLogonEvents = 3\r\n\
                     [Version]\r\nsignature=\"$CHICAGO$\"\r\n";
        for text in [other, "", "[System Access]\r\nNewGuestName = \"Guest\"\r\n"] {
            let errs = empty(Format::Secedit, text);
            assert_eq!(errs.len(), 1, "{text:?}");
            assert_eq!(errs[0].0, "f");
            assert!(errs[0].1.starts_with("no settings found"), "{}", errs[0].1);
        }
        assert!(
            empty(Format::NetAccounts, "The command completed successfully.\n")[0]
                .1
                .starts_with("no settings found")
        );
        assert!(empty(Format::Policy, "# nothing\n")[0]
            .1
            .starts_with("no settings found"));
        for f in [Format::Pwdump, Format::Shadow, Format::Htpasswd] {
            assert_eq!(
                empty(f, "# comments only\n\n"),
                [(
                    "f".into(),
                    "no accounts found in the file (an empty export?)".into()
                )],
                "{}",
                f.as_str()
            );
        }
        assert!(empty(Format::Inventory, "system,account,password\n")[0]
            .1
            .starts_with("no accounts found"));
        assert!(empty(Format::Ldif, "dn: uid=a,dc=koro\nuid: a\n")[0]
            .1
            .starts_with("no entry has a userPassword"));
        // Linux files as shipped, a pot file with nothing cracked: nothing to report.
        for f in [
            Format::LoginDefs,
            Format::Pwquality,
            Format::Faillock,
            Format::Pam,
            Format::Potfile,
        ] {
            assert!(empty(f, "# all defaults\n").is_empty(), "{}", f.as_str());
        }
        // A file with errors already says why: no second error.
        assert_eq!(empty(Format::Htpasswd, "junk\n").len(), 1);
        // Something read: no error.
        assert!(empty(
            Format::Secedit,
            "[System Access]\nMinimumPasswordLength = 8\n"
        )
        .is_empty());
        assert!(empty(Format::Shadow, "daemon:*:19700:0:99999:7:::\n").is_empty());
    }

    #[test]
    fn detect_linux_policy_files_as_hardened_servers_write_them() {
        // Bare flags (pwquality.conf(5)) and the CIS layout, under any name.
        let cis = "# CIS\nenforce_for_root\nminclass = 4\nminlen = 14\n";
        assert_eq!(detect(cis, "input"), Some(Format::Pwquality));
        assert_eq!(
            detect("enforce_for_root\n", "50-cis.conf"),
            Some(Format::Pwquality)
        );
        assert_eq!(
            detect("deny = 5\nunlock_time = 900\neven_deny_root\n", "input"),
            Some(Format::Faillock)
        );
        // Files of comments only go by their names.
        assert_eq!(
            detect("# deny = 3\n", "/etc/security/faillock.conf"),
            Some(Format::Faillock)
        );
        assert_eq!(detect("# nothing\n", "common-auth"), Some(Format::Pam));
        let auth = "auth required pam_faillock.so preauth silent deny=5 unlock_time=900\n\
                    auth [default=die] pam_faillock.so authfail deny=5 unlock_time=900\n";
        assert_eq!(detect(auth, "system-auth"), Some(Format::Pam));
        assert_eq!(detect(auth, "input"), Some(Format::Pam));
        assert_eq!(split_format("pam:sshd").unwrap().0, Some(Format::Pam));
        assert_eq!(
            split_format("faillock:f.conf").unwrap().0,
            Some(Format::Faillock)
        );
        assert!(Format::Pam.is_policy() && Format::Faillock.is_policy());
    }

    #[test]
    fn detect_utf16le_secedit_after_decode() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMaximumPasswordAge = -1\r\n"
            .encode_utf16()
        {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let text = decode(&bytes).unwrap();
        assert_eq!(detect(&text, "gpo.txt"), Some(Format::Secedit));
        let parsed = parse(Format::Secedit, &text, "gpo.txt");
        assert_eq!(parsed.policy.unwrap().max_age_days, Some(-1));
    }

    #[test]
    fn parse_dispatches_and_numbers_lines() {
        let p = parse(Format::Pwdump, &samples()[0].1, "ad.txt");
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].source("ad.txt"), "ad.txt:2");
        let lines: Vec<(usize, &str)> = numbered_lines("\u{feff}a\r\n\r\nb").collect();
        assert_eq!(lines, [(1, "a"), (2, ""), (3, "b")]);
    }

    #[test]
    fn unknown_scheme_messages_name_the_field_and_quote_nothing() {
        assert_eq!(
            unknown_scheme("hash field", "$md5$rounds=1$abc").to_string(),
            "hash field: unsupported hash scheme ($md5$ Sun MD5 crypt)"
        );
        assert_eq!(
            unknown_scheme("userPassword", "{ssha512}AAAAAAAA").to_string(),
            "userPassword: unsupported hash scheme ({SSHA512})"
        );
        assert_eq!(
            unknown_scheme("userPassword", "{CRYPT}$7$CU..../....abc").to_string(),
            "userPassword: unsupported hash scheme ($7$ scrypt crypt)"
        );
        assert_eq!(
            unknown_scheme("hash field", "abcdefghij./X").to_string(),
            "hash field: unsupported hash scheme (DES crypt)"
        );
        // A plaintext in a hash field: nothing of it, not even a tag-shaped part, is shown.
        for value in [
            "hunter2hunter2hunter2",
            "$Winter$2024",
            "{Summer}2024!",
            "$Md5$x",
            "{Herbst}",
            "$2024$",
        ] {
            let m = unknown_scheme("hash field", value).to_string();
            assert_eq!(
                m, "hash field: not a hash scheme kensa recognises (the value is not shown)",
                "{value}"
            );
        }
    }
}
