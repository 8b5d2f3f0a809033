//! `/etc/login.defs`: Linux password aging (`PASS_MAX_DAYS`); `PASS_MIN_LEN` is ignored under PAM.
//!
//! Read as shadow's getdef reads it: `KEY value` separated by spaces or tabs, `#` comments on
//! lines of their own, quotes around a value dropped, a key alone skipped, the last definition
//! of a key winning; keys kensa has no use for are skipped.

use super::{error, numbered_lines};
use crate::model::{ParsedInput, PolicyFragment};

/// Parse login.defs. Only `PASS_MAX_DAYS` becomes policy; `PASS_MIN_LEN` has no effect with PAM.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let mut policy = PolicyFragment {
        source: label.to_string(),
        ..PolicyFragment::default()
    };
    for (no, line) in numbered_lines(text) {
        let Some((key, value)) = setting(line) else {
            continue;
        };
        if key != "PASS_MAX_DAYS" || value.is_empty() {
            continue;
        }
        match value.parse::<i64>() {
            Ok(d) => {
                out.records += 1;
                policy.max_age_days = Some(if !(0..NEVER).contains(&d) { -1 } else { d });
            }
            Err(_) => out
                .errors
                .push(error(label, no, "PASS_MAX_DAYS: the value is not a number")),
        }
    }
    out.policy = Some(policy);
    out
}

/// Content looks like login.defs: upper-case `KEY value` lines including a `PASS_*` aging key.
pub fn sniff(text: &str) -> bool {
    let mut pass_key = false;
    let mut other = 0;
    for (_, line) in numbered_lines(text) {
        if super::is_comment(line) {
            continue;
        }
        match setting(line) {
            Some((k, _)) if k.starts_with("PASS_") => pass_key = true,
            Some(_) => {}
            None => other += 1,
        }
    }
    pass_key && other == 0
}

/// login.defs' conventional "never expires" value.
const NEVER: i64 = 99999;

/// A `KEY value` line (upper-case key, whitespace-separated; the value without its quotes, as
/// getdef reads it); `None` for comments and blanks.
fn setting(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (key, value) = line.split_once([' ', '\t']).unwrap_or((line, ""));
    let value = value.trim_start_matches([' ', '\t', '"']);
    let value = value.split('"').next().unwrap_or(value).trim_end();
    let upper = key
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    (upper && !key.is_empty()).then_some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# /etc/login.defs\r\nMAIL_DIR /var/mail\r\nPASS_MAX_DAYS\t60\r\n\
        PASS_MIN_DAYS 0\r\nPASS_MIN_LEN 14\r\nPASS_WARN_AGE 7\r\nENCRYPT_METHOD SHA512\r\n";

    #[test]
    fn reads_max_days_and_ignores_min_len() {
        let p = parse(SAMPLE, "login.defs");
        let pol = p.policy.unwrap();
        assert_eq!(pol.max_age_days, Some(60));
        assert_eq!(pol.min_length, None, "PASS_MIN_LEN is ignored under PAM");
        assert_eq!(pol.source, "login.defs");
        assert_eq!(p.records, 1);
        assert!(p.errors.is_empty());
    }

    #[test]
    fn tabs_quotes_unknown_keys_and_the_last_definition() {
        let text = "#\n# /etc/login.defs - Configuration control definitions for the login package.\n\
            MAIL_DIR\t\t/var/mail\nFAILLOG_ENAB\t\tyes\nENV_SUPATH\tPATH=/usr/local/sbin:/usr/sbin\n\
            ERASECHAR\t0177\nPASS_MAX_DAYS\t99999\n  PASS_MAX_DAYS \t \"45\"\nPASS_MIN_DAYS\t1\n\
            PASS_WARN_AGE\t7\nENCRYPT_METHOD YESCRYPT\nCONSOLE_GROUPS\t\tfloppy:audio:cdrom\n\
            PASS_MAX_DAYS\n";
        assert!(sniff(text));
        let p = parse(text, "login.defs");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.policy.unwrap().max_age_days, Some(45));
        // getdef does not read inline comments: the value is not a number.
        let p = parse("PASS_MAX_DAYS 60 # two months\n", "l");
        assert_eq!(p.errors.len(), 1);
    }

    #[test]
    fn never_and_errors() {
        let p = parse("PASS_MAX_DAYS 99999\n", "l");
        assert_eq!(p.policy.unwrap().max_age_days, Some(-1));
        let p = parse("# x\nPASS_MAX_DAYS ninety\n", "l");
        assert_eq!(p.policy.unwrap().max_age_days, None);
        assert_eq!(p.errors[0].source, "l:2");
    }

    #[test]
    fn sniff_recognises_login_defs() {
        assert!(sniff(SAMPLE));
        assert!(!sniff("minlen = 8\n"));
        assert!(!sniff("[System Access]\nMinimumPasswordLength = 8\n"));
    }
}
