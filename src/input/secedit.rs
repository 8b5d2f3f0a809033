//! Windows `secedit /export` INF files: the domain or local password policy in `[System Access]`,
//! with the account lockout policy (`LockoutBadCount`, `LockoutDuration`, `ResetLockoutCount`).

use super::{error, numbered_lines};
use crate::model::{ParsedInput, PolicyFragment};

/// Parse an already-decoded secedit INF (see [`super::decode`] for UTF-16LE files).
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let mut policy = PolicyFragment {
        source: label.to_string(),
        ..PolicyFragment::default()
    };
    let mut section = String::new();
    for (no, line) in numbered_lines(text) {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_ascii_lowercase();
            continue;
        }
        if section != "system access" {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            out.errors
                .push(error(label, no, "malformed INF line: no '='"));
            continue;
        };
        // Messages name a setting by this list's spelling, not the file's.
        let known = [
            "MinimumPasswordLength",
            "PasswordComplexity",
            "MaximumPasswordAge",
            "LockoutBadCount",
            "LockoutDuration",
            "ResetLockoutCount",
        ];
        let Some(key) = known
            .into_iter()
            .find(|k| k.eq_ignore_ascii_case(key.trim()))
        else {
            continue;
        };
        let lower = key.to_ascii_lowercase();
        let Ok(n) = value.trim().parse::<i64>() else {
            out.errors.push(error(
                label,
                no,
                format!("{key}: the value is not a number"),
            ));
            continue;
        };
        out.records += 1;
        match lower.as_str() {
            "minimumpasswordlength" => match u32::try_from(n) {
                Ok(n) => policy.min_length = Some(n),
                Err(_) => out
                    .errors
                    .push(error(label, no, format!("{key}: negative length"))),
            },
            "passwordcomplexity" => match n {
                0 => policy.complexity_3of4 = false,
                1 => policy.complexity_3of4 = true,
                _ => out
                    .errors
                    .push(error(label, no, format!("{key}: expected 0 or 1"))),
            },
            // 0 failed logins: accounts are never locked.
            "lockoutbadcount" => match u32::try_from(n) {
                Ok(n) => policy.lockout_threshold = Some(n),
                Err(_) => out
                    .errors
                    .push(error(label, no, format!("{key}: negative count"))),
            },
            // 0 (the dialog) or -1 (the export): locked until an administrator unlocks it.
            "lockoutduration" => {
                policy.lockout_duration_minutes = Some(if n <= 0 { -1 } else { n })
            }
            "resetlockoutcount" => match u32::try_from(n) {
                Ok(n) => policy.lockout_reset_minutes = Some(n),
                Err(_) => out
                    .errors
                    .push(error(label, no, format!("{key}: negative minutes"))),
            },
            _ => policy.max_age_days = Some(if n <= 0 { -1 } else { n }),
        }
    }
    out.policy = Some(policy);
    out
}

/// Content looks like a secedit export: a `[System Access]` section (or the `[Unicode]`/`$CHICAGO$` header).
pub fn sniff(text: &str) -> bool {
    numbered_lines(text).take(400).any(|(_, l)| {
        let l = l.trim().to_ascii_lowercase();
        l == "[system access]" || l.contains("$chicago$")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordAge = 1\r\n\
        MaximumPasswordAge = 42\r\nMinimumPasswordLength = 8\r\nPasswordComplexity = 1\r\n\
        PasswordHistorySize = 24\r\nNewAdministratorName = \"Administrator\"\r\n\
        [Event Audit]\r\nMinimumPasswordLength = abc\r\n\
        [Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n";

    fn utf16le_with_bom(s: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn reads_system_access_from_utf16le() {
        let text = super::super::decode(&utf16le_with_bom(SAMPLE)).unwrap();
        let p = parse(&text, "ad01.inf");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records, 3);
        assert_eq!(
            p.policy,
            Some(PolicyFragment {
                source: "ad01.inf".into(),
                min_length: Some(8),
                complexity_3of4: true,
                max_age_days: Some(42),
                ..PolicyFragment::default()
            })
        );
        assert!(p.accounts.is_empty());
    }

    #[test]
    fn never_expiring_and_bad_values() {
        let text = "\u{feff}[System Access]\nMaximumPasswordAge = -1\nPasswordComplexity = 0\nMinimumPasswordLength = eight\n";
        let p = parse(text, "x.inf");
        let pol = p.policy.unwrap();
        assert_eq!(pol.max_age_days, Some(-1));
        assert!(!pol.complexity_3of4);
        assert_eq!(pol.min_length, None);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "x.inf:4");
        let zero = parse("[System Access]\nMaximumPasswordAge = 0\n", "z.inf");
        assert_eq!(zero.policy.unwrap().max_age_days, Some(-1));
    }

    #[test]
    fn reads_the_lockout_policy() {
        let text = "[System Access]\r\nLockoutBadCount = 5\r\nResetLockoutCount = 15\r\n\
                    LockoutDuration = 30\r\n";
        let p = parse(text, "gpo.inf");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records, 3);
        let pol = p.policy.unwrap();
        assert_eq!(pol.lockout_threshold, Some(5));
        assert_eq!(pol.lockout_duration_minutes, Some(30));
        assert_eq!(pol.lockout_reset_minutes, Some(15));
        let p = parse(
            "[System Access]\nLockoutBadCount = 0\nLockoutDuration = -1\nResetLockoutCount = -5\n",
            "x.inf",
        );
        let pol = p.policy.unwrap();
        assert_eq!(pol.lockout_threshold, Some(0), "0 = never locked");
        assert_eq!(pol.lockout_duration_minutes, Some(-1));
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "x.inf:4");
    }

    #[test]
    fn sniff_finds_section() {
        assert!(sniff(SAMPLE));
        assert!(!sniff("minlen = 8\n"));
    }
}
