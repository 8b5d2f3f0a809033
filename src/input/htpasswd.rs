//! Apache `.htpasswd` (`user:hash`): web application and device accounts.

use super::{error, identify_hash, numbered_lines, unknown_scheme, LineError};
use crate::model::{HashValue, ParsedInput, RawAccount, Secret};

/// Parse an htpasswd file.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    for (no, line) in numbered_lines(text) {
        if super::is_comment(line) {
            continue;
        }
        out.records += 1;
        match parse_line(line) {
            Ok(acc) => out.accounts.push(RawAccount { line: no, ..acc }),
            Err(e) => out.errors.push(error(label, no, e.to_string())),
        }
    }
    out
}

/// Content looks like htpasswd: most lines are `user:hash` with a known (or DES) hash.
pub fn sniff(text: &str) -> bool {
    super::mostly(line_hits(text))
}

/// Of the first 200 data lines, how many are `user:hash` with a known (or DES) hash, and how
/// many there are.
pub(crate) fn line_hits(text: &str) -> (usize, usize) {
    super::count_lines(text, super::is_comment, |l| match l.split_once(':') {
        Some((user, hash)) => {
            !user.is_empty()
                && !hash.contains(':')
                && identify_hash(user).is_none()
                && !user.starts_with('$')
                && (identify_hash(hash).is_some() || super::is_des_crypt(hash))
        }
        None => false,
    })
}

fn parse_line(line: &str) -> Result<RawAccount, LineError> {
    let Some((user, hash)) = line.split_once(':') else {
        return Err(LineError::HtpasswdNoColon);
    };
    if user.is_empty() {
        return Err(LineError::HtpasswdEmptyUser);
    }
    if hash.contains(':') {
        return Err(LineError::HtpasswdColons);
    }
    let hash = hash.trim_end();
    if hash.is_empty() {
        return Err(LineError::HtpasswdEmptyHash);
    }
    let Some((scheme, text)) = identify_hash(hash) else {
        return Err(unknown_scheme("hash field", hash));
    };
    Ok(RawAccount {
        name: user.to_string(),
        hash: Some(HashValue {
            scheme,
            text: Secret::new(text),
        }),
        ..RawAccount::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scheme;

    const SAMPLE: &str = "admin:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\r\n\
        bob:$2y$05$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\r\n\
        carol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\r\n\
        dave:$6$salt$abcdef\r\n\
        erin:$5$salt$abcdef\r\n\
        frank:$1$salt$abcdef\r\n\
        # a comment\r\n\
        old:abcdefghij./X\r\n\
        nocolon\r\n\
        digest:realm:0123456789abcdef0123456789abcdef\r\n";

    #[test]
    fn parses_schemes_and_reports_bad_lines() {
        let p = parse(SAMPLE, "web.htpasswd");
        let got: Vec<(&str, Scheme)> = p
            .accounts
            .iter()
            .map(|a| (a.name.as_str(), a.hash.as_ref().unwrap().scheme))
            .collect();
        assert_eq!(
            got,
            [
                ("admin", Scheme::Apr1),
                ("bob", Scheme::Bcrypt),
                ("carol", Scheme::Sha1),
                ("dave", Scheme::Sha512crypt),
                ("erin", Scheme::Sha256crypt),
                ("frank", Scheme::Md5crypt),
            ]
        );
        assert_eq!(p.accounts[2].source("web.htpasswd"), "web.htpasswd:3");
        assert_eq!(
            p.accounts[2].hash.as_ref().unwrap().text.expose(),
            "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="
        );
        assert_eq!(p.records, 9);
        assert_eq!(p.errors.len(), 3);
        assert_eq!(p.errors[0].source, "web.htpasswd:8");
        assert_eq!(
            p.errors[0].message,
            "hash field: unsupported hash scheme (DES crypt)"
        );
        assert_eq!(p.errors[1].source, "web.htpasswd:9");
        assert_eq!(p.errors[2].source, "web.htpasswd:10");
        for e in &p.errors {
            assert!(!e.message.contains("abcdef"), "{e:?}");
        }
    }

    #[test]
    fn a_password_in_the_hash_field_is_not_echoed() {
        // A plaintext typed where the hash belongs: no tag-shaped part of it is quoted.
        let p = parse(
            "bob:$Winter$2024\ncarol:{Summer}2024!\ndave:$md5$rounds=5000$abc$def\n",
            "web.htpasswd",
        );
        assert!(p.accounts.is_empty());
        let errs: Vec<(&str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.source.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            errs,
            [
                (
                    "web.htpasswd:1",
                    "hash field: not a hash scheme kensa recognises (the value is not shown)"
                ),
                (
                    "web.htpasswd:2",
                    "hash field: not a hash scheme kensa recognises (the value is not shown)"
                ),
                (
                    "web.htpasswd:3",
                    "hash field: unsupported hash scheme ($md5$ Sun MD5 crypt)"
                ),
            ]
        );
    }

    #[test]
    fn sniff_recognises_htpasswd() {
        assert!(sniff(SAMPLE));
        assert!(!sniff("$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/:password\n"));
        assert!(!sniff("root:$6$abc$def:19000:0:99999:7:::\n"));
    }
}
