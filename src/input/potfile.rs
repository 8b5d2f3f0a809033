//! hashcat and john pot files (`hash:plain`): plaintexts already recovered by a cracking run.
//!
//! A pot file can hold millions of lines, so nothing is kept per line: [`parse`] only checks the
//! lines (records and `file:line` errors) and recovery walks the text again with [`lines`].

use super::{error, numbered_lines};
use crate::model::{ParsedInput, Scheme};

/// What a pot line's hash says, as far as recovery needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PotHash<'a> {
    /// 32 hex digits, no tag: an NT hash (or a whole LM or raw MD5 hash; the plaintext is joined
    /// under every unsalted scheme of the audit whatever the pot says).
    Hex32([u8; 16]),
    /// john's `$LM$` with 32 hex digits: a whole LM hash.
    Lm([u8; 16]),
    /// 16 hex digits (hashcat `-m 3000`, john `$LM$`): one half of an LM hash.
    LmHalf([u8; 8]),
    /// A salted hash kensa verifies, as kensa stores it (`{CRYPT}` stripped).
    Salted(Scheme, &'a str),
    /// A hash kensa does not know: only the plaintext is of use (as a candidate).
    Other,
}

/// One pot line: its hash and its plaintext as written (`$HEX[...]` not yet decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PotLine<'a> {
    pub hash: PotHash<'a>,
    pub plain: &'a str,
}

/// Check a pot file: count its records and report malformed lines. Lines of hash types kensa
/// does not know are records too (their plaintexts are still candidates).
pub fn parse(text: &str, label: &str) -> ParsedInput {
    parse_chunked(text, label, super::chunk_bytes(text.len()))
}

/// [`parse`] on chunks of about `chunk` bytes in parallel (the errors in line order all the same).
fn parse_chunked(text: &str, label: &str, chunk: usize) -> ParsedInput {
    use rayon::prelude::*;
    let parts: Vec<ParsedInput> = super::line_chunks(text, chunk)
        .into_par_iter()
        .map(|c| {
            let mut out = ParsedInput::default();
            let mut buf = Vec::new();
            for (no, line) in data_lines(c.lines()) {
                out.records += 1;
                match line.and_then(|l| plain_bytes(l.plain, &mut buf)) {
                    Ok(()) => {}
                    Err(msg) => out.errors.push(error(label, no, msg)),
                }
            }
            zeroize::Zeroize::zeroize(&mut buf);
            out
        })
        .collect();
    let mut out = ParsedInput::default();
    for mut p in parts {
        out.records += p.records;
        out.errors.append(&mut p.errors);
    }
    out
}

/// The data lines of a pot file with their 1-based numbers (blank and `#` lines left out).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, Result<PotLine<'_>, &'static str>)> {
    data_lines(numbered_lines(text))
}

/// The data lines among numbered lines, parsed.
fn data_lines<'a>(
    lines: impl Iterator<Item = (usize, &'a str)>,
) -> impl Iterator<Item = (usize, Result<PotLine<'a>, &'static str>)> {
    lines
        .filter(|(_, l)| !(l.is_empty() || l.starts_with('#')))
        .map(|(no, l)| (no, parse_line(l)))
}

/// The plaintext's bytes: `$HEX[...]` decoded (the bytes need not be UTF-8: hashcat writes any
/// plaintext with bytes outside printable ASCII that way), anything else as written. A lower-case
/// `$hex[...]` is a literal password, not an encoding.
pub fn plain_bytes(plain: &str, out: &mut Vec<u8>) -> Result<(), &'static str> {
    out.clear();
    let Some(hex) = plain
        .strip_prefix("$HEX[")
        .and_then(|r| r.strip_suffix(']'))
    else {
        out.extend_from_slice(plain.as_bytes());
        return Ok(());
    };
    if hex.len() % 2 != 0 {
        return Err("invalid hex digits in $HEX[] plaintext");
    }
    for pair in hex.as_bytes().chunks_exact(2) {
        match (hex_val(pair[0]), hex_val(pair[1])) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            _ => {
                out.clear();
                return Err("invalid hex digits in $HEX[] plaintext");
            }
        }
    }
    Ok(())
}

/// Content looks like a pot file: most lines start with a known hash followed by `:`.
pub fn sniff(text: &str) -> bool {
    super::mostly(line_hits(text))
}

/// Of the first 200 data lines, how many are pot lines of a known hash, and how many there are.
pub(crate) fn line_hits(text: &str) -> (usize, usize) {
    super::count_lines(
        text,
        |l| l.is_empty() || l.starts_with('#'),
        |l| {
            matches!(
                parse_line(l),
                Ok(PotLine {
                    hash: PotHash::Hex32(_)
                        | PotHash::Lm(_)
                        | PotHash::LmHalf(_)
                        | PotHash::Salted(..),
                    ..
                })
            ) || l.starts_with("$dynamic_")
        },
    )
}

fn parse_line(line: &str) -> Result<PotLine<'_>, &'static str> {
    // hashcat's PBKDF2 and scrypt forms hold ':' themselves, in a fixed number of fields.
    if let Some((scheme, hash, plain)) = crate::hash::hashcat::split_pot_line(line) {
        return Ok(PotLine {
            hash: PotHash::Salted(scheme, hash),
            plain,
        });
    }
    let Some((left, plain)) = line.split_once(':') else {
        return Err("malformed pot line: no ':' between hash and plaintext");
    };
    // Salted crypt hashes contain no ':', so the first one ends the hash and the plaintext keeps
    // any ':' of its own.
    let hash = if let Some(hex) = left.strip_prefix("$NT$") {
        hex16(hex).map_or(PotHash::Other, PotHash::Hex32)
    } else if let Some(hex) = left.strip_prefix("$LM$") {
        match (hex16(hex), hex8(hex)) {
            (Some(d), _) => PotHash::Lm(d),
            (_, Some(h)) => PotHash::LmHalf(h),
            _ => PotHash::Other,
        }
    } else if let Some(d) = hex16(left) {
        PotHash::Hex32(d)
    } else if let Some(h) = hex8(left) {
        PotHash::LmHalf(h)
    } else {
        let inner = crate::hash::strip_ldap_crypt(left);
        match crate::hash::identify(inner) {
            Some(s) if !s.is_unsalted() => PotHash::Salted(s, inner),
            Some(Scheme::Sha1) => PotHash::Salted(Scheme::Sha1, inner),
            _ => PotHash::Other,
        }
    };
    Ok(PotLine { hash, plain })
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex16(s: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    (s.len() == 32 && hex::decode_to_slice(s, &mut out).is_ok()).then_some(out)
}

fn hex8(s: &str) -> Option<[u8; 8]> {
    let mut out = [0u8; 8];
    (s.len() == 16 && hex::decode_to_slice(s, &mut out).is_ok()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "8846F7EAEE8FB117AD06BDD830B7586C:password\r\n\
        $NT$32ed87bdb5fdc5e9cba88547376818d4:123456\r\n\
        $LM$e52cac67419a9a22:PASSWOR\r\n\
        $6$salt$abcdef:with:colons\r\n\
        {SSHA}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:$HEX[e381afe38184]\r\n\
        $apr1$salt$abc:$HEX[70613a7373]\r\n\
        $dynamic_0$abc:x\r\n\
        {CRYPT}$5$s$h:crypt\r\n\
        5f4dcc3b5aa765d61d8327deb882cf99:salt:plain\r\n\
        $1$salt$abc:$HEX[f6ff]\r\n\
        $1$salt$abc:$HEX[zz]\r\n\
        nocolon\r\n\
        31d6cfe0d16ae931b73c59d7e0c089c0:\r\n\
        e52cac67419a9a22:PASSWOR\r\n\
        # comment\r\n\
        $1$salt$abc:$hex[41]\r\n";

    fn plain_of(l: &PotLine<'_>) -> Vec<u8> {
        let mut b = Vec::new();
        plain_bytes(l.plain, &mut b).unwrap();
        b
    }

    #[test]
    fn lines_give_hash_kind_and_plain_bytes() {
        let got: Vec<(usize, PotLine<'_>)> = lines(SAMPLE)
            .filter_map(|(n, l)| l.ok().map(|l| (n, l)))
            .collect();
        let nos: Vec<usize> = got.iter().map(|g| g.0).collect();
        assert_eq!(nos, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 16]);
        assert_eq!(got[0].1.hash, PotHash::Hex32(crate::hash::nt("password")));
        assert!(matches!(got[1].1.hash, PotHash::Hex32(_)));
        assert!(matches!(got[2].1.hash, PotHash::LmHalf(_)));
        assert_eq!(
            got[3].1.hash,
            PotHash::Salted(Scheme::Sha512crypt, "$6$salt$abcdef")
        );
        assert_eq!(plain_of(&got[3].1), b"with:colons");
        assert_eq!(plain_of(&got[4].1), "はい".as_bytes());
        assert_eq!(plain_of(&got[5].1), b"pa:ss");
        assert_eq!(got[6].1.hash, PotHash::Other);
        assert_eq!(
            got[7].1.hash,
            PotHash::Salted(Scheme::Sha256crypt, "$5$s$h")
        );
        assert_eq!(plain_of(&got[8].1), b"salt:plain");
        // Not UTF-8: still a plaintext (of bytes).
        assert_eq!(plain_of(&got[9].1), [0xf6, 0xff]);
        assert_eq!(plain_of(&got[11].1), b"");
        assert!(matches!(got[12].1.hash, PotHash::LmHalf(_)));
        // Lower-case $hex[] is a literal password.
        assert_eq!(plain_of(&got[13].1), b"$hex[41]");
    }

    #[test]
    fn parse_counts_records_and_reports_bad_lines() {
        let p = parse(SAMPLE, "cracked.pot");
        assert_eq!(p.records, 15);
        let errs: Vec<(&str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.source.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            errs,
            [
                ("cracked.pot:11", "invalid hex digits in $HEX[] plaintext"),
                (
                    "cracked.pot:12",
                    "malformed pot line: no ':' between hash and plaintext"
                ),
            ]
        );
        assert!(p.accounts.is_empty());
    }

    #[test]
    fn chunks_check_like_one_piece() {
        let text = SAMPLE.repeat(9);
        let whole = parse_chunked(&text, "p", usize::MAX);
        assert_eq!(whole.records, 15 * 9);
        for chunk in [1, 3, 40, 500] {
            let p = parse_chunked(&text, "p", chunk);
            assert_eq!(p.records, whole.records);
            assert_eq!(p.errors, whole.errors, "chunk {chunk}");
        }
    }

    #[test]
    fn hashcat_forms_with_colons() {
        let pbkdf2 = "sha256:1000:NjI3MDM3:vVfavLQL9ZWjg8BUMq6/FB8FtpkIGWYk";
        let scrypt = "SCRYPT:16384:8:1:OTEyNzU0ODg=:Cc8SPjRH1hFQhuIPCdF51uNGtJ2aOY/isuoMlMUsJ8c=";
        let text = format!(
            "{pbkdf2}:hashcat\n{pbkdf2}:a:b\n{scrypt}:$HEX[3a3a]\nsha1:1000:c2FsdA==:!!:x\n"
        );
        let got: Vec<PotLine<'_>> = lines(&text).map(|(_, l)| l.unwrap()).collect();
        assert_eq!(got[0].hash, PotHash::Salted(Scheme::Pbkdf2, pbkdf2));
        assert_eq!(got[0].plain, "hashcat");
        assert_eq!(got[1].plain, "a:b");
        assert_eq!(got[2].hash, PotHash::Salted(Scheme::Scrypt, scrypt));
        assert_eq!(plain_of(&got[2]), b"::");
        // Not a PBKDF2 hash after all: split at the first ':' as before.
        assert_eq!(got[3].hash, PotHash::Other);
        assert!(sniff(&text));
    }

    #[test]
    fn sniff_recognises_pot() {
        assert!(sniff(SAMPLE));
        assert!(!sniff("admin:$apr1$abc$def\n"));
        assert!(!sniff("Administrator:500:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n"));
    }
}
