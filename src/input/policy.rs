//! kensa's own policy TOML, for systems whose password settings cannot be exported.

use super::{error, LineError};
use crate::model::{CharClass, InputError, ParsedInput, PolicyFragment};

/// Parse a kensa policy file: `min_length`, `max_length`, `require`, `max_age_days`, `mfa`,
/// `lockout_threshold` (0 = accounts are never locked), `lockout_duration_minutes` (0 or less =
/// until an administrator unlocks), `lockout_reset_minutes`, at top level or under a `[policy]`
/// table.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = ParsedInput::default();
    let mut policy = PolicyFragment {
        source: label.to_string(),
        ..PolicyFragment::default()
    };
    let table = match toml::from_str::<toml::Table>(text) {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            out.errors
                .push(error(label, line, toml_message(e.message())));
            out.policy = Some(policy);
            return out;
        }
    };
    let (entries, twice) = entries(&table, text);
    for (key, line) in twice {
        let named = if KEYS.contains(&key.as_str()) {
            key.as_str()
        } else {
            "a key"
        };
        out.errors.push(error(
            label,
            line,
            format!("{named}: given both at top level and under [policy]"),
        ));
    }
    for (key, value, line) in entries {
        let at = |msg: String| InputError {
            source: format!("{label}:{line}"),
            message: msg,
        };
        let result = match key.as_str() {
            "min_length" => count(value).map(|n| policy.min_length = Some(n)),
            "max_length" => count(value).map(|n| policy.max_length = Some(n)),
            "max_age_days" => match value.as_integer() {
                Some(n) => {
                    policy.max_age_days = Some(n);
                    Ok(())
                }
                None => Err(LineError::PolicyDays),
            },
            "mfa" => match value.as_bool() {
                Some(b) => {
                    policy.mfa = Some(b);
                    Ok(())
                }
                None => Err(LineError::PolicyBool),
            },
            "require" => classes(value).map(|c| policy.require = c),
            "lockout_threshold" => count(value).map(|n| policy.lockout_threshold = Some(n)),
            "lockout_duration_minutes" => match value.as_integer() {
                Some(n) => {
                    policy.lockout_duration_minutes = Some(if n <= 0 { -1 } else { n });
                    Ok(())
                }
                None => Err(LineError::PolicyMinutes),
            },
            "lockout_reset_minutes" => count(value).map(|n| policy.lockout_reset_minutes = Some(n)),
            // Not quoted: an unknown key may be a password typed on the wrong line.
            _ => Err(LineError::PolicyUnknownKey),
        };
        match result {
            Ok(()) => out.records += 1,
            Err(e) if KEYS.contains(&key.as_str()) => out.errors.push(at(format!("{key}: {e}"))),
            Err(e) => out.errors.push(at(e.to_string())),
        }
    }
    out.policy = Some(policy);
    out
}

/// `invalid TOML: REASON`, with the parser's reason only when it quotes nothing of the file
/// (the parser quotes keys and values in backticks or quotes: they may hold a password).
fn toml_message(reason: &str) -> String {
    let reason = reason.trim();
    if reason.is_empty() || reason.contains(['`', '"', '\'']) || reason.contains('\n') {
        "invalid TOML (the parser's message is not shown: it quotes the file)".into()
    } else {
        format!("invalid TOML: {reason}")
    }
}

/// Content looks like a kensa policy: valid TOML with at least one kensa policy key at top level
/// or under `[policy]`.
pub fn sniff(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    toml::from_str::<toml::Table>(text).is_ok_and(|t| {
        let inner = t.get("policy").and_then(toml::Value::as_table);
        KEYS.iter()
            .any(|k| t.contains_key(*k) || inner.is_some_and(|i| i.contains_key(*k)))
    })
}

/// The policy's keys with their values and lines: those at top level, then those of a `[policy]`
/// table. Also the keys given in both places, with the line of the second.
#[allow(clippy::type_complexity)]
fn entries<'t>(
    table: &'t toml::Table,
    text: &str,
) -> (
    Vec<(&'t String, &'t toml::Value, usize)>,
    Vec<(&'t String, usize)>,
) {
    let inner = table.get("policy").and_then(toml::Value::as_table);
    let mut out: Vec<(&String, &toml::Value, usize)> = table
        .iter()
        .filter(|(k, _)| !(k.as_str() == "policy" && inner.is_some()))
        .map(|(k, v)| (k, v, key_line(text, k, 1)))
        .collect();
    let mut twice = Vec::new();
    if let Some(inner) = inner {
        let start = table_line(text, "policy");
        for (k, v) in inner {
            let line = key_line(text, k, start);
            if table.contains_key(k) {
                twice.push((k, line));
            } else {
                out.push((k, v, line));
            }
        }
    }
    (out, twice)
}

/// The keys of a kensa policy file.
pub(super) const KEYS: [&str; 8] = [
    "min_length",
    "max_length",
    "require",
    "max_age_days",
    "mfa",
    "lockout_threshold",
    "lockout_duration_minutes",
    "lockout_reset_minutes",
];

fn count(value: &toml::Value) -> Result<u32, LineError> {
    value
        .as_integer()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(LineError::PolicyCount)
}

fn classes(value: &toml::Value) -> Result<Vec<CharClass>, LineError> {
    let Some(items) = value.as_array() else {
        return Err(LineError::PolicyList);
    };
    let mut out = Vec::new();
    for item in items {
        let class = match item.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("letter") => CharClass::Letter,
            Some("digit") => CharClass::Digit,
            Some("symbol") => CharClass::Symbol,
            Some("upper") => CharClass::Upper,
            Some("lower") => CharClass::Lower,
            _ => return Err(LineError::PolicyClass),
        };
        if !out.contains(&class) {
            out.push(class);
        }
    }
    Ok(out)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The first line from line `from` on where `key` is assigned (1 if not found).
fn key_line(text: &str, key: &str, from: usize) -> usize {
    super::numbered_lines(text)
        .skip(from.saturating_sub(1))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .or_else(|| l.trim_start().strip_prefix(&format!("\"{key}\"")))
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|(n, _)| n)
        .unwrap_or(1)
}

/// The line of the header `[name]` (1 if not found).
fn table_line(text: &str, name: &str) -> usize {
    super::numbered_lines(text)
        .find(|(_, l)| {
            l.trim()
                .strip_prefix('[')
                .and_then(|r| r.split('#').next())
                .and_then(|r| r.trim_end().strip_suffix(']'))
                .is_some_and(|n| n.trim().trim_matches('"') == name)
        })
        .map(|(n, _)| n)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CharClass::*;

    #[test]
    fn reads_every_key() {
        let text = "\u{feff}# device policy\r\nmin_length = 12\r\nrequire = [\"letter\", \"digit\", \"symbol\"]\r\n\
            max_age_days = 60\r\nmfa = true\r\nmax_length = 32\r\n";
        let p = parse(text, "router.toml");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records, 5);
        assert_eq!(
            p.policy.unwrap(),
            PolicyFragment {
                source: "router.toml".into(),
                min_length: Some(12),
                max_length: Some(32),
                require: vec![Letter, Digit, Symbol],
                max_age_days: Some(60),
                mfa: Some(true),
                ..PolicyFragment::default()
            }
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key_and_line() {
        let p = parse(
            "min_length = 8\nminlen = 9\nrequire = [\"emoji\"]\nmfa = \"yes\"\n",
            "p.toml",
        );
        let errs: Vec<&str> = p.errors.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(errs, ["p.toml:4", "p.toml:2", "p.toml:3"]);
        assert!(p.errors[1]
            .message
            .starts_with("an unknown key (not quoted"));
        assert!(!p.errors[1].message.contains("minlen"));
        assert_eq!(p.policy.unwrap().min_length, Some(8));
        let bad = parse("min_length = \n", "b.toml");
        assert_eq!(bad.errors.len(), 1);
        assert!(bad.errors[0].message.starts_with("invalid TOML"));
        assert_eq!(bad.errors[0].source, "b.toml:1");
    }

    #[test]
    fn errors_quote_no_key_or_value_of_the_file() {
        for text in [
            "\"Winter2024!\" = 1\n",
            "min_length = 8\n\"Winter2024!\" = 1\n\"Winter2024!\" = 2\n",
            "min_length = \"Winter2024!\n",
            "\"Winter2024!\" = 1\n[policy]\n\"Winter2024!\" = 1\n",
        ] {
            let p = parse(text, "p.toml");
            assert!(!p.errors.is_empty(), "{text:?}");
            for e in &p.errors {
                assert!(!e.message.contains("Winter"), "{}", e.message);
            }
        }
    }

    #[test]
    fn reads_lockout_keys() {
        let p = parse(
            "lockout_threshold = 10\nlockout_duration_minutes = 0\nlockout_reset_minutes = 30\n",
            "nas.toml",
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let pol = p.policy.unwrap();
        assert_eq!(pol.lockout_threshold, Some(10));
        assert_eq!(pol.lockout_duration_minutes, Some(-1));
        assert_eq!(pol.lockout_reset_minutes, Some(30));
        let p = parse("lockout_threshold = -1\n", "b.toml");
        assert_eq!(p.errors.len(), 1);
        assert!(sniff("lockout_threshold = 0\n"));
    }

    #[test]
    fn keys_may_sit_under_a_policy_table() {
        let text =
            "# router\n[policy]\nmin_length = 12\nrequire = [\"letter\", \"digit\"]\nmfa = true\n";
        let p = parse(text, "router.toml");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records, 3);
        let f = p.policy.unwrap();
        assert_eq!(
            (f.min_length, f.require, f.mfa),
            (Some(12), vec![Letter, Digit], Some(true))
        );
        assert!(sniff(text));
        assert_eq!(
            super::super::detect(text, "router.txt"),
            Some(super::super::Format::Policy)
        );
        // Mixed with top-level keys; errors name the line under the table; a key given twice is
        // an error at its second place.
        let text =
            "max_age_days = 60\nmfa = false\n[policy] # the device\nminlen = 9\nmfa = true\n";
        let p = parse(text, "p.toml");
        let errs: Vec<(&str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.source.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(
            errs[0],
            (
                "p.toml:5",
                "mfa: given both at top level and under [policy]"
            )
        );
        assert_eq!(errs[1].0, "p.toml:4");
        assert!(errs[1].1.starts_with("an unknown key"));
        let f = p.policy.unwrap();
        assert_eq!((f.max_age_days, f.mfa), (Some(60), Some(false)));
        // Any other table is still an unknown key.
        let p = parse("[device]\nmin_length = 8\n", "d.toml");
        assert!(p.errors[0].message.starts_with("an unknown key"));
    }

    #[test]
    fn sniff_recognises_policy() {
        assert!(sniff("min_length = 13\n"));
        assert!(!sniff("minlen = 13\n"));
        assert!(!sniff("PASS_MAX_DAYS 60\n"));
    }
}
