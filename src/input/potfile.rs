//! hashcat and john pot files (`hash:plain`): plaintexts already recovered by a cracking run.

use super::{error, numbered_lines, source};
use crate::model::{ParsedInput, PotEntry, Scheme, Secret};

/// Parse a pot file. Lines whose hash kensa does not know (other hash types) are skipped silently.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    for (no, line) in numbered_lines(text) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.records += 1;
        match parse_line(line) {
            Ok(Some((hash, plain))) => out.pot.push(PotEntry {
                hash: Secret::new(hash),
                plain: Secret::new(plain),
                source: source(label, no),
            }),
            Ok(None) => {}
            Err(msg) => out.errors.push(error(label, no, msg)),
        }
    }
    out
}

/// Content looks like a pot file: most lines start with a known hash followed by `:`.
pub fn sniff(text: &str) -> bool {
    super::mostly(
        text,
        |l| l.is_empty() || l.starts_with('#'),
        |l| split(l).is_some() || l.starts_with("$dynamic_"),
    )
}

/// `Ok(Some((hash, plain)))`, `Ok(None)` for a hash type kensa does not use, or an error.
fn parse_line(line: &str) -> Result<Option<(String, String)>, String> {
    if !line.contains(':') {
        return Err("malformed pot line: no ':' between hash and plaintext".into());
    }
    if line.starts_with("$dynamic_") {
        return Ok(None);
    }
    let Some((hash, plain)) = split(line) else {
        return Ok(None);
    };
    let plain = decode_plain(plain)?;
    Ok(Some((hash, plain)))
}

/// Split at the first `:` whose left side is a recognised hash (none of the hashes kensa knows
/// contains `:`, so the plaintext keeps any `:` of its own). Returns the normalised hash text.
fn split(line: &str) -> Option<(String, &str)> {
    let (left, plain) = line.split_once(':')?;
    if let Some(hex) = left.strip_prefix("$NT$") {
        return is_hex(hex, 32).then(|| (hex.to_ascii_lowercase(), plain));
    }
    if let Some(hex) = left.strip_prefix("$LM$") {
        // john stores LM as two 8-character halves (16 hex digits each); hashcat the same.
        return (is_hex(hex, 16) || is_hex(hex, 32)).then(|| (hex.to_ascii_lowercase(), plain));
    }
    let inner = crate::hash::strip_ldap_crypt(left);
    let scheme = crate::hash::identify(inner)?;
    // `{CRYPT}` is stripped as for LDIF accounts, so pot and account hashes compare equal.
    let hash = match scheme {
        Scheme::Nt | Scheme::Lm => inner.to_ascii_lowercase(),
        _ => inner.to_string(),
    };
    Some((hash, plain))
}

/// `$HEX[4142]` => `AB`; anything else is the plaintext as written.
fn decode_plain(plain: &str) -> Result<String, String> {
    let Some(hex) = plain
        .strip_prefix("$HEX[")
        .and_then(|r| r.strip_suffix(']'))
    else {
        return Ok(plain.to_string());
    };
    let bytes =
        hex::decode(hex).map_err(|_| "invalid hex digits in $HEX[] plaintext".to_string())?;
    String::from_utf8(bytes).map_err(|_| "non-UTF-8 plaintext in $HEX[]".to_string())
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
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
        $1$salt$abc:$HEX[ff00]\r\n\
        $1$salt$abc:$HEX[zz]\r\n\
        nocolon\r\n\
        31d6cfe0d16ae931b73c59d7e0c089c0:\r\n";

    #[test]
    fn parses_hashcat_and_john_lines() {
        let p = parse(SAMPLE, "cracked.pot");
        let got: Vec<(&str, &str, &str)> = p
            .pot
            .iter()
            .map(|e| (e.hash.expose(), e.plain.expose(), e.source.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "8846f7eaee8fb117ad06bdd830b7586c",
                    "password",
                    "cracked.pot:1"
                ),
                (
                    "32ed87bdb5fdc5e9cba88547376818d4",
                    "123456",
                    "cracked.pot:2"
                ),
                ("e52cac67419a9a22", "PASSWOR", "cracked.pot:3"),
                ("$6$salt$abcdef", "with:colons", "cracked.pot:4"),
                (
                    "{SSHA}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    "はい",
                    "cracked.pot:5"
                ),
                ("$apr1$salt$abc", "pa:ss", "cracked.pot:6"),
                ("$5$s$h", "crypt", "cracked.pot:8"),
                (
                    "5f4dcc3b5aa765d61d8327deb882cf99",
                    "salt:plain",
                    "cracked.pot:9"
                ),
                ("31d6cfe0d16ae931b73c59d7e0c089c0", "", "cracked.pot:13"),
            ]
        );
        assert_eq!(p.records, 13);
        let errs: Vec<(&str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.source.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            errs,
            [
                ("cracked.pot:10", "non-UTF-8 plaintext in $HEX[]"),
                ("cracked.pot:11", "invalid hex digits in $HEX[] plaintext"),
                (
                    "cracked.pot:12",
                    "malformed pot line: no ':' between hash and plaintext"
                ),
            ]
        );
    }

    #[test]
    fn sniff_recognises_pot() {
        assert!(sniff(SAMPLE));
        assert!(!sniff("admin:$apr1$abc$def\n"));
        assert!(!sniff("Administrator:500:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n"));
    }
}
