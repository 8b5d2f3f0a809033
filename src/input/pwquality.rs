//! `/etc/security/pwquality.conf`: the length and character classes pam_pwquality guarantees.
//!
//! Semantics checked against libpwquality 1.4.5 (python3-pwquality): `minlen` is raised to 6;
//! each positive credit lets up to that many characters of its class count twice, so the shortest
//! accepted password has max(minlen − Σ positive credits, ⌈minlen / 2⌉) characters; negative credits
//! require that many characters of the class; `minclass` counts digits, upper, lower and other.

use super::{error, numbered_lines};
use crate::model::{CharClass, ParsedInput, PolicyFragment};

/// Parse pwquality.conf into the guarantees it gives (nothing is guaranteed when `enforcing = 0`).
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let mut s = Settings::default();
    for (no, line) in numbered_lines(text) {
        let Some((key, value)) = setting(line) else {
            if !super::is_comment(line) {
                out.errors
                    .push(error(label, no, "malformed line: expected key = value"));
            }
            continue;
        };
        let slot = match key.as_str() {
            "minlen" => &mut s.minlen,
            "dcredit" => &mut s.dcredit,
            "ucredit" => &mut s.ucredit,
            "lcredit" => &mut s.lcredit,
            "ocredit" => &mut s.ocredit,
            "minclass" => &mut s.minclass,
            "enforcing" => &mut s.enforcing,
            _ => continue,
        };
        match value.parse::<i64>() {
            Ok(n) => {
                *slot = Some(n);
                out.records += 1;
            }
            Err(_) => out.errors.push(error(
                label,
                no,
                format!("{key}: the value is not a number"),
            )),
        }
    }
    out.policy = Some(s.fragment(label));
    out
}

/// Content looks like pwquality.conf: `key = value` lines with at least one pwquality key.
pub fn sniff(text: &str) -> bool {
    let mut known = false;
    for (_, line) in numbered_lines(text) {
        if super::is_comment(line) {
            continue;
        }
        match setting(line) {
            Some((k, _)) if KEYS.contains(&k.as_str()) => known = true,
            Some((k, _)) if !k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
                return false
            }
            Some(_) => {}
            None => return false,
        }
    }
    known
}

/// Every option libpwquality reads from pwquality.conf.
const KEYS: [&str; 19] = [
    "minlen",
    "dcredit",
    "ucredit",
    "lcredit",
    "ocredit",
    "minclass",
    "maxrepeat",
    "maxsequence",
    "maxclassrepeat",
    "gecoscheck",
    "dictcheck",
    "usercheck",
    "usersubstr",
    "enforcing",
    "badwords",
    "dictpath",
    "retry",
    "enforce_for_root",
    "local_users_only",
];

/// libpwquality's defaults and floor.
const DEFAULT_MINLEN: i64 = 8;
const MIN_MINLEN: i64 = 6;

#[derive(Default)]
struct Settings {
    minlen: Option<i64>,
    dcredit: Option<i64>,
    ucredit: Option<i64>,
    lcredit: Option<i64>,
    ocredit: Option<i64>,
    minclass: Option<i64>,
    enforcing: Option<i64>,
}

impl Settings {
    fn fragment(&self, label: &str) -> PolicyFragment {
        let mut p = PolicyFragment {
            source: label.to_string(),
            ..PolicyFragment::default()
        };
        if self.enforcing == Some(0) {
            // Warn-only mode: pam_pwquality accepts every password.
            return p;
        }
        let credits = [self.dcredit, self.ucredit, self.lcredit, self.ocredit];
        if self.minlen.is_some() || credits.iter().any(Option::is_some) {
            let minlen = self.minlen.unwrap_or(DEFAULT_MINLEN).max(MIN_MINLEN);
            let bonus: i64 = credits.iter().flatten().filter(|c| **c > 0).sum();
            let shortest = (minlen - bonus).max((minlen + 1) / 2);
            p.min_length = u32::try_from(shortest).ok();
        }
        let required = |c: Option<i64>| c.is_some_and(|c| c < 0);
        let (d, u, l, o) = (
            required(self.dcredit),
            required(self.ucredit),
            required(self.lcredit),
            required(self.ocredit),
        );
        let minclass = self.minclass.unwrap_or(0).clamp(0, 4);
        if let Some(c) = self.minclass {
            p.min_class = u32::try_from(c.clamp(0, 4)).ok();
        }
        let all = minclass >= 4;
        // Without upper and lower only digits and other remain: three classes force a letter.
        let letter = u || l || minclass >= 3;
        for (on, class) in [
            (letter, CharClass::Letter),
            (d || all, CharClass::Digit),
            (o || all, CharClass::Symbol),
            (u || all, CharClass::Upper),
            (l || all, CharClass::Lower),
        ] {
            if on {
                p.require.push(class);
            }
        }
        p
    }
}

/// A `key = value` line, key lower-cased; `None` for comments, blanks and lines without `=`.
fn setting(line: &str) -> Option<(String, &str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (k, v) = line.split_once('=')?;
    Some((k.trim().to_ascii_lowercase(), v.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CharClass::*;

    fn policy(text: &str) -> PolicyFragment {
        let p = parse(text, "pwquality.conf");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.policy.unwrap()
    }

    #[test]
    fn negative_credits_require_classes() {
        let p = policy("# comment\r\nminlen = 14\r\ndcredit = -1\r\nucredit=-1\r\nocredit = -2\r\ndictcheck = 1\r\n");
        assert_eq!(p.min_length, Some(14));
        assert_eq!(p.require, [Letter, Digit, Symbol, Upper]);
        assert_eq!(p.min_class, None);
        assert_eq!(p.source, "pwquality.conf");
    }

    #[test]
    fn positive_credits_shorten_the_minimum() {
        // Oracle (libpwquality 1.4.5): minlen=8 with four credits of 1 accepts "aB3$" (4 chars);
        // minlen=12 accepts 8; minlen=9 dcredit=3 accepts "abc123" (6); minlen=6 dcredit=5 accepts "193".
        let ones = "dcredit=1\nucredit=1\nlcredit=1\nocredit=1\n";
        assert_eq!(policy(&format!("minlen=8\n{ones}")).min_length, Some(4));
        assert_eq!(policy(&format!("minlen=12\n{ones}")).min_length, Some(8));
        assert_eq!(policy("minlen=9\ndcredit=3\n").min_length, Some(6));
        assert_eq!(policy("minlen=6\ndcredit=5\n").min_length, Some(3));
        assert_eq!(
            policy("minlen=5\n").min_length,
            Some(6),
            "minlen is raised to 6"
        );
        assert_eq!(
            policy("dcredit=-1\n").min_length,
            Some(8),
            "default minlen 8"
        );
        assert_eq!(policy("retry=3\n").min_length, None);
    }

    #[test]
    fn minclass_guarantees() {
        let p = policy("minlen=8\nminclass=4\n");
        assert_eq!(p.min_class, Some(4));
        assert_eq!(p.require, [Letter, Digit, Symbol, Upper, Lower]);
        let p = policy("minlen=8\nminclass=3\n");
        assert_eq!(p.min_class, Some(3));
        assert_eq!(
            p.require,
            [Letter],
            "3 classes force a letter, not a symbol"
        );
        assert_eq!(policy("minclass=2\n").require, []);
    }

    #[test]
    fn warn_only_and_bad_values() {
        assert_eq!(
            policy("minlen=14\ndcredit=-1\nenforcing=0\n").min_length,
            None
        );
        let p = parse("minlen = fourteen\ngarbage\n", "pq");
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.errors[0].source, "pq:1");
        assert_eq!(p.errors[1].source, "pq:2");
    }

    #[test]
    fn sniff_recognises_pwquality() {
        assert!(sniff("# x\nminlen = 12\nminclass = 3\n"));
        assert!(!sniff("min_length = 12\nrequire = [\"letter\"]\n"));
        assert!(!sniff("PASS_MAX_DAYS 60\n"));
    }
}
