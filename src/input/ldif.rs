//! LDIF exports of LDAP directories: `userPassword` values (`{SSHA}`, `{SHA}`, `{CRYPT}`, cleartext).

use super::{error, identify_hash, numbered_lines, source, unknown_scheme, LineError};
use crate::model::{HashValue, InputError, ParsedInput, RawAccount, Secret};
use base64::Engine as _;

/// Parse an LDIF file: one account per entry that has a `userPassword`.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    for record in records(text) {
        let Some(first) = record.first() else {
            continue;
        };
        if record.len() == 1 && first.attr == "version" {
            continue;
        }
        out.records += 1;
        match account(&record) {
            Ok(Some((acc, no))) => out.accounts.push(RawAccount { line: no, ..acc }),
            Ok(None) => {}
            Err((no, e)) => out.errors.push(error(label, no, e.to_string())),
        }
        for attr in &record {
            if let Err(e) = &attr.value {
                if attr.attr != "userpassword" {
                    out.errors.push(InputError {
                        source: source(label, attr.line),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// Content looks like LDIF: a `dn:` line starts an entry.
pub fn sniff(text: &str) -> bool {
    let mut dn = false;
    let mut attrs = 0;
    for (_, line) in numbered_lines(text).take(500) {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("dn:") {
            dn = true;
        } else if dn && line.contains(':') && !line.starts_with(' ') && !line.starts_with('#') {
            attrs += 1;
        }
    }
    dn && attrs > 0
}

/// One attribute line of an entry (after unfolding).
struct Attr {
    /// Lower-case attribute name without options (`userpassword` for `userPassword;binary`).
    attr: String,
    /// The value, base64-decoded if written with `::`.
    value: Result<String, LineError>,
    /// 1-based line where the attribute starts.
    line: usize,
}

/// Split into entries (blank-line separated) of unfolded attribute lines; comments dropped.
fn records(text: &str) -> Vec<Vec<Attr>> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut blocks: Vec<Vec<(usize, String)>> = Vec::new();
    let mut in_comment = false;
    for (no, line) in numbered_lines(text) {
        if let Some(cont) = line.strip_prefix(' ') {
            if in_comment {
                continue;
            }
            if let Some((_, last)) = logical.last_mut() {
                last.push_str(cont);
                continue;
            }
        }
        in_comment = false;
        if line.trim().is_empty() {
            if !logical.is_empty() {
                blocks.push(std::mem::take(&mut logical));
            }
        } else if line.starts_with('#') {
            in_comment = true;
        } else if line.trim() != "-" {
            logical.push((no, line.to_string()));
        }
    }
    if !logical.is_empty() {
        blocks.push(logical);
    }
    blocks
        .into_iter()
        .map(|b| b.into_iter().map(|(no, l)| parse_attr(no, &l)).collect())
        .collect()
}

fn parse_attr(line: usize, text: &str) -> Attr {
    let Some((name, rest)) = text.split_once(':') else {
        return Attr {
            attr: String::new(),
            value: Err(LineError::LdifNoColon),
            line,
        };
    };
    let attr = name
        .split(';')
        .next()
        .unwrap_or(name)
        .trim()
        .to_ascii_lowercase();
    // The name is quoted only when it is one kensa reads: whatever precedes the first ':' of a
    // stray line (`HASH::plain`) could be a secret.
    let named = [
        "dn",
        "uid",
        "cn",
        "userpassword",
        "samaccountname",
        "mail",
        "objectclass",
    ]
    .into_iter()
    .find(|n| *n == attr)
    .unwrap_or("(other)");
    let value = if let Some(b64) = rest.strip_prefix(':') {
        let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
        match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| LineError::LdifNotUtf8(named)),
            Err(_) => Err(LineError::LdifBase64(named)),
        }
    } else if rest.starts_with('<') {
        Err(LineError::LdifUrl(named))
    } else {
        Ok(rest.trim_start_matches(' ').to_string())
    };
    Attr { attr, value, line }
}

/// The account of an entry, with the line of the `userPassword` used; `None` if it has none.
fn account(record: &[Attr]) -> Result<Option<(RawAccount, usize)>, (usize, LineError)> {
    let get = |name: &str| {
        record
            .iter()
            .find(|a| a.attr == name)
            .and_then(|a| a.value.as_ref().ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let passwords: Vec<&Attr> = record.iter().filter(|a| a.attr == "userpassword").collect();
    let Some(first) = passwords.first() else {
        return Ok(None);
    };
    let dn = get("dn");
    if dn.is_none() {
        return Err((record[0].line, LineError::LdifNoDn));
    }
    let name = get("uid")
        .or_else(|| get("cn"))
        .or_else(|| dn.as_deref().and_then(first_rdn_value));
    let Some(name) = name else {
        return Err((first.line, LineError::LdifNoName));
    };
    let mut first_error = None;
    for pw in &passwords {
        match pw
            .value
            .as_ref()
            .map_err(|e| *e)
            .and_then(|v| credential(v))
        {
            Ok(acc) => return Ok(Some((RawAccount { name, ..acc }, pw.line))),
            Err(msg) => {
                first_error.get_or_insert((pw.line, msg));
            }
        }
    }
    Err(first_error.unwrap_or((first.line, LineError::LdifNoPassword)))
}

/// A `userPassword` value: `{SCHEME}…` is a hash, `{CLEARTEXT}` or untagged is a plaintext.
fn credential(value: &str) -> Result<RawAccount, LineError> {
    let mut acc = RawAccount::default();
    if let Some(rest) = value.strip_prefix('{') {
        let (tag, inner) = rest.split_once('}').unwrap_or((rest, ""));
        // OpenLDAP's `{CLEARTEXT}`, 389 Directory Server's `{CLEAR}`.
        if tag.eq_ignore_ascii_case("CLEARTEXT") || tag.eq_ignore_ascii_case("CLEAR") {
            acc.plaintext = Some(Secret::new(inner));
            acc.plaintext_stored = true;
            return Ok(acc);
        }
        let Some((scheme, text)) = identify_hash(value) else {
            return Err(unknown_scheme("userPassword", value));
        };
        acc.hash = Some(HashValue {
            scheme,
            text: Secret::new(text),
        });
    } else {
        // OpenLDAP stores untagged values as cleartext.
        acc.plaintext = Some(Secret::new(value));
        acc.plaintext_stored = true;
    }
    Ok(acc)
}

/// `uid=yoshida,ou=people,dc=koro` => `yoshida`.
fn first_rdn_value(dn: &str) -> Option<String> {
    let rdn = dn.split(',').next()?;
    let (_, v) = rdn.split_once('=')?;
    let v = v.split('+').next()?.trim();
    (!v.is_empty()).then(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scheme;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    fn sample() -> String {
        format!(
            "\u{feff}version: 1\r\n\
             \r\n\
             # people\r\n\
             dn: uid=yoshida,ou=people,dc=koro,dc=example\r\n\
             objectClass: inetOrgPerson\r\n\
             uid: yoshida\r\n\
             cn: Yoshida Taro\r\n\
             userPassword: {{SSHA}}AAAAAAAAAAAAAAAAAAAAAA\r\n \
             AAAAAAAAAAA=\r\n\
             \r\n\
             dn: cn=nurse01,ou=people,dc=koro,dc=example\r\n\
             cn: nurse01\r\n\
             userPassword:: {}\r\n\
             \r\n\
             dn: cn=svc,ou=apps,dc=koro\r\n\
             userPassword: {{CRYPT}}$6$salt$abcdef\r\n\
             \r\n\
             dn: ou=people,dc=koro,dc=example\r\n\
             objectClass: organizationalUnit\r\n\
             \r\n\
             dn: uid=plain,dc=koro\r\n\
             userPassword: letmein\r\n\
             \r\n\
             dn: uid=multi,dc=koro\r\n\
             userPassword: {{MD4}}zzzz\r\n\
             userPassword: {{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\r\n\
             \r\n\
             dn: uid=broken,dc=koro\r\n\
             userPassword: {{SSHA512}}AAAA\r\n\
             \r\n\
             dn: uid=bad64,dc=koro\r\n\
             userPassword:: !!!notbase64\r\n",
            b64("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=")
        )
    }

    #[test]
    fn parses_entries_folding_and_base64() {
        let p = parse(&sample(), "dir.ldif");
        let sources: Vec<String> = p.accounts.iter().map(|a| a.source("dir.ldif")).collect();
        let got: Vec<(&str, &str)> = p
            .accounts
            .iter()
            .zip(&sources)
            .map(|(a, s)| (a.name.as_str(), s.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("yoshida", "dir.ldif:8"),
                ("nurse01", "dir.ldif:13"),
                ("svc", "dir.ldif:16"),
                ("plain", "dir.ldif:22"),
                ("multi", "dir.ldif:26"),
            ]
        );
        let h = |i: usize| p.accounts[i].hash.as_ref().unwrap();
        assert_eq!(h(0).scheme, Scheme::Ssha);
        assert_eq!(
            h(0).text.expose(),
            "{SSHA}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        );
        assert_eq!(h(1).scheme, Scheme::Sha1);
        assert_eq!(h(1).text.expose(), "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=");
        assert_eq!(h(2).scheme, Scheme::Sha512crypt);
        assert_eq!(
            h(2).text.expose(),
            "$6$salt$abcdef",
            "{{CRYPT}} is stripped"
        );
        assert_eq!(
            p.accounts[3].plaintext.as_ref().unwrap().expose(),
            "letmein"
        );
        // Cleartext as the directory stores it; hashes are not.
        let stored: Vec<bool> = p.accounts.iter().map(|a| a.plaintext_stored).collect();
        assert_eq!(stored, [false, false, false, true, false]);
        assert_eq!(h(4).scheme, Scheme::Sha1);
        assert_eq!(p.records, 8);
        let errs: Vec<(&str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.source.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            errs,
            [
                (
                    "dir.ldif:29",
                    "userPassword: unsupported hash scheme ({SSHA512})"
                ),
                (
                    "dir.ldif:32",
                    "LDIF attribute userpassword: invalid base64 value"
                ),
            ]
        );
    }

    #[test]
    fn a_stray_line_is_not_quoted_in_an_error() {
        // Whatever precedes the first ':' of a stray line may be a hash or a password.
        for text in [
            "3cf2fc6c73a3:::\n",
            "dn: uid=a,dc=koro\nWinter2024x:: !!\nuserPassword: {SSHA}x\n",
            "dn: uid=a,dc=koro\nSummer2025y:< file:///x\n",
        ] {
            let p = parse(text, "x.ldif");
            assert!(!p.errors.is_empty(), "{text:?}");
            for e in &p.errors {
                for secret in ["3cf2fc6c73a3", "winter2024x", "summer2025y"] {
                    assert!(!e.message.to_lowercase().contains(secret), "{}", e.message);
                }
            }
        }
    }

    #[test]
    fn a_password_in_user_password_is_not_echoed_through_its_braces() {
        let p = parse(
            "dn: uid=a,dc=koro\nuserPassword: {Summer}2024!\n\n\
             dn: uid=b,dc=koro\nuserPassword: {CRYPT}$Winter$2024\n\n\
             dn: uid=c,dc=koro\nuserPassword: {pbkdf2-sha256}10000$abc$def\n",
            "x.ldif",
        );
        let errs: Vec<&str> = p.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            errs,
            [
                "userPassword: not a hash scheme kensa recognises (the value is not shown)",
                "userPassword: not a hash scheme kensa recognises (the value is not shown)",
                "userPassword: unsupported hash scheme ({PBKDF2-SHA256})",
            ]
        );
        // 389 Directory Server's cleartext tag.
        let p = parse(
            "dn: uid=d,dc=koro\nuserPassword: {clear}letmein\n",
            "y.ldif",
        );
        assert_eq!(
            p.accounts[0].plaintext.as_ref().unwrap().expose(),
            "letmein"
        );
        assert!(p.accounts[0].plaintext_stored);
    }

    #[test]
    fn rdn_fallback_and_sniff() {
        let p = parse(
            "dn: cn=only+sn=x,dc=koro\nuserPassword: {SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n",
            "f",
        );
        assert_eq!(p.accounts[0].name, "only");
        assert!(sniff(&sample()));
        assert!(!sniff("admin:$apr1$abc$def\n"));
    }
}
