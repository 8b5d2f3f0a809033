//! `/etc/shadow`: Linux crypt(3) hashes, locked and password-less entries, per-account maximum age
//! and day of the last change.

use super::{error, identify_hash, numbered_lines, unknown_scheme, LineError};
use crate::model::{HashValue, ParsedInput, PasswordSet, RawAccount, Secret, SkipReason};

/// Parse a shadow file (`name:hash:lastchg:min:max:warn:inactive:expire:`).
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    for (no, line) in numbered_lines(text) {
        if super::is_comment(line) || is_nis_compat(line) {
            continue;
        }
        out.records += 1;
        match parse_line(line) {
            Ok(mut acc) => {
                acc.line = no;
                out.accounts.push(acc);
            }
            Err(e) => out.errors.push(error(label, no, e.to_string())),
        }
    }
    out
}

/// Content looks like shadow: most lines have 9 fields with numeric (or empty) aging fields.
pub fn sniff(text: &str) -> bool {
    super::mostly(line_hits(text))
}

/// Of the first 200 data lines, how many have shadow's 9 fields with numeric (or empty) aging
/// fields, and how many there are.
pub(crate) fn line_hits(text: &str) -> (usize, usize) {
    super::count_lines(text, super::is_comment, |l| {
        let f: Vec<&str> = l.split(':').collect();
        (7..=9).contains(&f.len())
            && !f[0].is_empty()
            && f[2..].iter().all(|x| is_number_or_empty(x))
    })
}

/// shadow's "never expires" maximum age.
const NEVER: i64 = 99999;

fn parse_line(line: &str) -> Result<RawAccount, LineError> {
    let f: Vec<&str> = line.split(':').collect();
    if f.len() < 2 || f.len() > 9 {
        return Err(LineError::ShadowFields(f.len()));
    }
    if f[0].is_empty() {
        return Err(LineError::ShadowEmptyUser);
    }
    if let Some(i) = (2..f.len()).find(|&i| !is_number_or_empty(f[i])) {
        return Err(LineError::ShadowNotNumber(i + 1));
    }
    let mut acc = RawAccount {
        name: f[0].to_string(),
        ..RawAccount::default()
    };
    // Field 3, the day of the last change: `0` = must change at the next login; empty = no aging.
    acc.password_set = match f.get(2).map(|d| d.trim().parse::<i64>()) {
        Some(Ok(0)) => Some(PasswordSet::Never),
        Some(Ok(d)) => u32::try_from(d).ok().map(PasswordSet::Day),
        _ => None,
    };
    if let Some(max) = f.get(4) {
        acc.max_age_days = Some(match max.trim().parse::<i64>() {
            Ok(d) if (0..NEVER).contains(&d) => d,
            _ => -1,
        });
    }
    let h = f[1];
    if h.is_empty() {
        // No password needed to log in: the engine reports EMPTY_PASSWORD.
        acc.plaintext = Some(Secret::new(""));
    } else if h == "!!" || h == "NP" || h == "x" {
        // `!!`: useradd's "password never set"; Solaris `NP`; a stray `x` placeholder.
        acc.skip = Some(SkipReason::NoPassword);
    } else if h.starts_with('!') || h == "*LK*" {
        acc.skip = Some(SkipReason::Locked);
    } else if h.starts_with('*') {
        acc.skip = Some(SkipReason::NoPassword);
    } else if let Some((scheme, text)) = identify_hash(h) {
        acc.hash = Some(HashValue {
            scheme,
            text: Secret::new(text),
        });
    } else if h.starts_with('$') || super::is_des_crypt(h) {
        return Err(unknown_scheme("password field (2)", h));
    } else {
        // Not a crypt(3) string at all: no password can match it, so the account is locked.
        acc.skip = Some(SkipReason::Locked);
    }
    Ok(acc)
}

/// NIS compat entries (`+`, `+@group`, `-user`) are references, not accounts.
fn is_nis_compat(line: &str) -> bool {
    line.starts_with('+') || line.starts_with('-')
}

fn is_number_or_empty(s: &str) -> bool {
    let s = s.trim();
    s.is_empty() || s.parse::<i64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scheme;

    const SAMPLE: &str = "\u{feff}root:$6$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu./:19700:0:99999:7:::\r\n\
        # comment\r\n\
        daemon:*:19700:0:99999:7:::\r\n\
        nurse:!$6$saltsalt$abcdef:19700:0:90:7:::\r\n\
        newbie:!!:0:0:99999:7:::\r\n\
        locked:!:19700::::::\r\n\
        open::19700:0:60:7:::\r\n\
        ykk:$y$j9T$abcdefghijklmnop$ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abc:19700:1:42:7:::\r\n\
        old:abcdefghij./X:19700:0:99999:7:::\r\n\
        weird:$9z$abc$def:19700:0:99999:7:::\r\n\
        bad:$6$x$y:abc:0:99999:7:::\r\n\
        +::::::::\r\n\
        \r\n";

    #[test]
    fn parses_hashes_locks_and_aging() {
        let p = parse(SAMPLE, "shadow");
        let names: Vec<&str> = p.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["root", "daemon", "nurse", "newbie", "locked", "open", "ykk"]
        );
        let root = &p.accounts[0];
        assert_eq!(root.source("shadow"), "shadow:1");
        assert_eq!(root.hash.as_ref().unwrap().scheme, Scheme::Sha512crypt);
        assert!(root
            .hash
            .as_ref()
            .unwrap()
            .text
            .expose()
            .starts_with("$6$saltsalt$"));
        assert_eq!(root.max_age_days, Some(-1));
        assert_eq!(root.password_set, Some(PasswordSet::Day(19700)));
        assert_eq!(p.accounts[4].password_set, Some(PasswordSet::Day(19700)));
        assert_eq!(root.skip, None);
        assert_eq!(p.accounts[1].skip, Some(SkipReason::NoPassword));
        assert_eq!(p.accounts[2].skip, Some(SkipReason::Locked));
        assert_eq!(p.accounts[2].max_age_days, Some(90));
        assert_eq!(p.accounts[3].skip, Some(SkipReason::NoPassword));
        assert_eq!(
            p.accounts[3].password_set,
            Some(PasswordSet::Never),
            "0 = change at next login"
        );
        assert_eq!(p.accounts[4].skip, Some(SkipReason::Locked));
        assert_eq!(p.accounts[4].max_age_days, Some(-1), "empty max = never");
        let open = &p.accounts[5];
        assert_eq!(open.plaintext.as_ref().map(|s| s.expose()), Some(""));
        assert!(open.hash.is_none() && open.skip.is_none());
        assert_eq!(open.source("shadow"), "shadow:7");
        assert_eq!(
            p.accounts[6].hash.as_ref().unwrap().scheme,
            Scheme::Yescrypt
        );
        assert_eq!(p.accounts[6].max_age_days, Some(42));
        assert_eq!(p.records, 10);
        let errs: Vec<(&str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.source.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            errs,
            [
                (
                    "shadow:9",
                    "password field (2): unsupported hash scheme (DES crypt)"
                ),
                ("shadow:10", "password field (2): not a hash scheme kensa recognises (the value is not shown)"),
                (
                    "shadow:11",
                    "malformed shadow line: field 3 is not a number"
                ),
            ]
        );
    }

    #[test]
    fn sniff_recognises_shadow() {
        assert!(sniff(SAMPLE));
        assert!(!sniff("admin:$apr1$abc$def\n"));
        assert!(!sniff("[System Access]\nMinimumPasswordLength = 8\n"));
    }
}
