//! Item 2-⑦ for one account: length, character classes, guessability, and the passing paths of
//! the edition in force ([`Edition`]).

use super::age;
use super::edition::{self, Class, Edition, Way};
use super::guess::{self, GuessContext};
use crate::model::tags::PassPath;
use crate::model::{Code, Facts, Finding, Guesses, ShortOf, Tag};
use unicode_normalization::UnicodeNormalization;

/// What the system around an account guarantees (two-factor, enforced rotation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountContext {
    pub mfa: bool,
    /// Enforced maximum password age in days; `None` or `Some(d <= 0)` = never enforced.
    pub max_age_days: Option<i64>,
    /// Passwords on this system are PINs unlocking an IC card or certificate (the other factor).
    pub pin_exempt: bool,
    /// A vendor-default password here is a factory default left unchanged (a device, an
    /// application, or a built-in admin account); elsewhere it is only a guessable password.
    pub default_applies: bool,
    /// The password is older than `max_age_days` at the check date ([`age::exceeded`]): rotation
    /// is evidently not applied to this account.
    pub age_exceeded: Option<age::Exceeded>,
}

/// The facts about one plaintext, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Length in code points after NFKC.
    pub length: usize,
    pub letter: bool,
    pub digit: bool,
    pub symbol: bool,
    pub non_ascii: bool,
    pub guess: Vec<guess::GuessReason>,
    pub default: bool,
}

impl Assessment {
    pub fn mixed(&self) -> bool {
        self.letter && self.digit && self.symbol
    }
    /// Does the password hold a character of class `c`?
    pub fn has(&self, c: Class) -> bool {
        match c {
            Class::Letter => self.letter,
            Class::Digit => self.digit,
            Class::Symbol => self.symbol,
        }
    }
    pub fn guessable(&self) -> bool {
        self.default || self.guess.iter().any(|r| r.fail)
    }
}

/// The 2-⑦ verdict for one account with a known plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `13+`, `8+mfa`, `8+rotation`, `pin_exempt`; `None` when it fails.
    pub path: Option<PassPath>,
    pub findings: Vec<Finding>,
}

impl Verdict {
    pub fn passes(&self) -> bool {
        self.path.is_some()
    }
}

/// Is `c` one of the 32 printable ASCII punctuation characters (a "symbol")?
pub fn is_symbol(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// Measure a plaintext (rules.md 2-⑦ steps 1–4).
pub fn assess(plain: &str, ctx: &GuessContext<'_>) -> Assessment {
    let norm: String = plain.nfkc().collect();
    let mut a = Assessment {
        length: norm.chars().count(),
        letter: norm.chars().any(|c| c.is_ascii_alphabetic()),
        digit: norm.chars().any(|c| c.is_ascii_digit()),
        symbol: norm.chars().any(is_symbol),
        non_ascii: !norm.is_ascii(),
        guess: Vec::new(),
        default: false,
    };
    if !norm.is_empty() {
        a.guess = guess::assess(&norm, ctx);
        a.default = guess::is_default(&norm, ctx.lists);
    }
    a
}

/// Decide 2-⑦ for an assessed plaintext in its context (rules.md step 5).
pub fn decide(a: &Assessment, ctx: &AccountContext, ed: &Edition) -> Verdict {
    let mut f = Vec::new();
    if a.length == 0 {
        f.push(super::fail(Code::EmptyPassword, Facts::Empty));
        return Verdict {
            path: None,
            findings: f,
        };
    }
    let is_default = a.default && ctx.default_applies;
    if is_default {
        f.push(super::fail(Code::DefaultPassword, Facts::FactoryDefault));
    }
    let guess_fail: Guesses = a
        .guess
        .iter()
        .filter(|r| r.fail)
        .fold(Guesses::default(), |g, r| g.union(r.why));
    if !guess_fail.is_empty() {
        f.push(super::fail(Code::Guessable, Facts::Guessable(guess_fail)));
    } else if let Some(r) = a.guess.iter().find(|r| !r.fail) {
        f.push(super::warn(Code::Guessable, Facts::Guessable(r.why)));
    }
    if a.non_ascii {
        f.push(super::warn(Code::NonAscii, Facts::NonAscii));
    }
    if ctx.pin_exempt {
        // A PIN that unlocks an IC card or certificate used as the other factor is exempt from
        // classes and guessability, and from length when the edition says so (R7; R8: 4+); a
        // factory default still fails.
        f.retain(|x| x.code != Code::Guessable);
        let pin_min = ed.password.pin.min_length;
        let short = a.length < pin_min;
        if short {
            f.push(super::fail(
                Code::TooShort,
                Facts::TooShort {
                    len: n32(a.length),
                    min: n32(pin_min),
                    of: ShortOf::Pin,
                },
            ));
        }
        return Verdict {
            path: (!is_default && !short).then_some(PassPath::PinExempt),
            findings: f,
        };
    }
    let len = a.length;
    let ways = ed.paths(ctx.mfa, ctx.max_age_days);
    // The paths this length and this system's context allow, before classes are looked at.
    let by_length: Vec<&Way<'_>> = ways
        .iter()
        .filter(|w| w.holds && len >= w.min_length)
        .collect();
    let taken = ways.iter().find(|w| w.takes(len, |c| a.has(c)));
    if taken.is_none() {
        // The classes asked of the path in view: the first the length allows, else the one the
        // system's context offers.
        let view = by_length
            .first()
            .copied()
            .or_else(|| ways[1..].iter().find(|w| w.holds))
            .unwrap_or(&ways[0]);
        let missing = edition::class_set(view.classes.iter().filter(|c| !a.has(**c)));
        if missing.0 != 0 {
            f.push(super::fail(
                Code::NotMixed,
                Facts::NotMixed {
                    missing,
                    asked: edition::class_set(view.classes.iter()),
                },
            ));
        }
    }
    let floor = ed.floor();
    if len < floor {
        f.push(super::fail(
            Code::TooShort,
            Facts::TooShort {
                len: n32(len),
                min: n32(floor),
                of: ShortOf::Floor,
            },
        ));
    } else if by_length.is_empty() {
        f.extend(too_short(len, ctx.mfa, ctx.max_age_days, ed));
    }
    if let Some(e) = ctx.age_exceeded {
        // Rotation that is not applied cannot be the way to pass.
        let only_rotation = matches!(by_length[..], [w] if w.path == PassPath::Len8Rotation);
        f.push(age::finding(e, only_rotation));
    }
    let fails = f.iter().any(|x| x.severity == crate::model::Severity::Fail);
    let path = if fails { None } else { taken.map(|w| w.path) };
    f.sort();
    Verdict { path, findings: f }
}

/// The findings of a password of `len` characters (at least the edition's shortest) that no
/// path allows on its system: why each path is closed.
fn too_short(len: usize, mfa: bool, max_age_days: Option<i64>, ed: &Edition) -> Vec<Finding> {
    let p = &ed.password;
    let long = p.long.min_length;
    if mfa {
        return vec![super::fail(
            Code::TooShort,
            Facts::TooShort {
                len: n32(len),
                min: n32(p.mfa.min_length),
                of: ShortOf::Mfa,
            },
        )];
    }
    if !p.rotation.path {
        return vec![match Tag::new(&ed.id) {
            Some(id) => super::fail(
                Code::TooShort,
                Facts::TooShort {
                    len: n32(len),
                    min: n32(long),
                    of: ShortOf::NoRotationPath(id),
                },
            ),
            // An edition id of the user's own too long to hold inline: English words only.
            None => Finding::fail(
                Code::TooShort,
                format!(
                    "{len} < {long} without two-factor authentication; periodic change is no longer a way to pass ({})",
                    ed.id
                ),
            ),
        }];
    }
    let max = p.rotation.max_age_days;
    let rotation = match max_age_days {
        Some(d) if d > max => super::fail(
            Code::RotationTooLong,
            Facts::RotationTooLong {
                days: d,
                max_days: n32(max),
            },
        ),
        Some(d) if d > 0 && len < p.rotation.min_length => super::fail(
            Code::TooShort,
            Facts::TooShort {
                len: n32(len),
                min: n32(p.rotation.min_length),
                of: ShortOf::Rotation,
            },
        ),
        _ => super::fail(Code::NoRotation, Facts::NoRotation),
    };
    vec![
        super::fail(
            Code::TooShort,
            Facts::TooShort {
                len: n32(len),
                min: n32(long),
                of: ShortOf::NoWay { max_days: n32(max) },
            },
        ),
        rotation,
    ]
}

/// The 2-⑦ verdict for an account whose plaintext is unknown, given the path the system's
/// enforced policy guarantees ([`super::policy::Effective::guarantees`]): that path, unless it is
/// `8+rotation` and rotation does not hold for this account (its own maximum age is never, or its
/// password is older than the maximum age). An exceeded age is a warning: the length is unknown.
pub fn by_policy(guarantee: Option<PassPath>, ctx: &AccountContext, ed: &Edition) -> Verdict {
    let rotation = ed.rotation_holds(ctx.max_age_days) && ctx.age_exceeded.is_none();
    Verdict {
        path: guarantee.filter(|p| *p != PassPath::Len8Rotation || rotation),
        findings: ctx
            .age_exceeded
            .map(|e| age::finding(e, false))
            .into_iter()
            .collect(),
    }
}

/// A count as the facts of a detail hold it (saturating; no password is that long).
pub(crate) fn n32<T: TryInto<u32>>(n: T) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::wordlists::Wordlists;

    fn r7() -> &'static Edition {
        Edition::builtin("R7").unwrap()
    }

    fn verdict(pw: &str, account: &str, words: &[&str], ctx: AccountContext) -> Verdict {
        let lists = Wordlists::builtin();
        let words: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        let g = GuessContext {
            account,
            context_words: &words,
            lists: &lists,
        };
        decide(&assess(pw, &g), &ctx, r7())
    }

    fn codes(v: &Verdict) -> Vec<Code> {
        v.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn mhlw_public_vectors_all_fail() {
        for pw in [
            "Administrator",
            "12345678",
            "pa$$w0rd",
            "i234567&9",
            "qwerty",
            "7410",
            "KoroHospital",
            "KoroTaro",
        ] {
            let v = verdict(pw, "taro", &["koro"], AccountContext::default());
            assert!(!v.passes(), "{pw} must fail 2-⑦, got {:?}", v.path);
            assert!(
                v.findings
                    .iter()
                    .any(|f| f.severity == crate::model::Severity::Fail),
                "{pw}"
            );
        }
    }

    #[test]
    fn three_paths() {
        let long = verdict("Vq7#tLm2$eRw9!", "u", &[], AccountContext::default());
        assert_eq!(long.path, Some(PassPath::Len13), "{:?}", long.findings);
        let mfa = AccountContext {
            mfa: true,
            ..Default::default()
        };
        assert_eq!(
            verdict("x9%Gh2&kLp", "u", &[], mfa).path,
            Some(PassPath::Len8Mfa)
        );
        let rot = AccountContext {
            max_age_days: Some(42),
            ..Default::default()
        };
        assert_eq!(
            verdict("x9%Gh2&kLp", "u", &[], rot).path,
            Some(PassPath::Len8Rotation)
        );
        let slow = AccountContext {
            max_age_days: Some(90),
            ..Default::default()
        };
        let v = verdict("x9%Gh2&kLp", "u", &[], slow);
        assert_eq!(v.path, None);
        assert_eq!(codes(&v), vec![Code::TooShort, Code::RotationTooLong]);
        let v = verdict("x9%Gh2&kLp", "u", &[], AccountContext::default());
        assert_eq!(codes(&v), vec![Code::TooShort, Code::NoRotation]);
    }

    #[test]
    fn classes_and_length_rules() {
        let v = verdict("", "u", &[], AccountContext::default());
        assert_eq!(codes(&v), vec![Code::EmptyPassword]);
        let v = verdict("Vq7tLm2eRw9Kz", "u", &[], AccountContext::default());
        assert_eq!(codes(&v), vec![Code::NotMixed]);
        assert!(v.findings[0].detail.contains("symbol"));
        // Space counts toward length but is not a symbol.
        let v = verdict("Vq7 tLm2 eRw9", "u", &[], AccountContext::default());
        assert!(codes(&v).contains(&Code::NotMixed));
        // Full-width characters are NFKC-normalised to ASCII before counting.
        let a = assess(
            "Ｖｑ７＃ｔＬｍ２＄ｅＲｗ９！",
            &GuessContext {
                account: "u",
                context_words: &[],
                lists: &Wordlists::empty(),
            },
        );
        assert!(a.mixed() && !a.non_ascii && a.length == 14);
        // Kana count toward length with no class, and warn.
        let v = verdict("さくら7#Qzx!Lp9Wm", "u", &[], AccountContext::default());
        assert!(codes(&v).contains(&Code::NonAscii));
        assert_eq!(v.path, Some(PassPath::Len13));
    }

    #[test]
    fn a_password_older_than_the_maximum_age_cannot_pass_via_rotation() {
        let check = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let old = PasswordSetOn::day(2026, 1, 5);
        let ctx = |max: i64, mfa: bool| AccountContext {
            mfa,
            max_age_days: Some(max),
            age_exceeded: age::exceeded(Some(old), Some(max), check),
            ..Default::default()
        };
        // 10 characters on a 42-day policy: only 8+rotation could pass it, and it does not hold.
        let v = verdict("x9%Gh2&kLp", "u", &[], ctx(42, false));
        assert_eq!(v.path, None);
        assert_eq!(codes(&v), vec![Code::PasswordAgeExceedsPolicy]);
        assert_eq!(v.findings[0].severity, crate::model::Severity::Fail);
        // With two-factor authentication, or 13+ characters, it passes; the age is a warning.
        let v = verdict("x9%Gh2&kLp", "u", &[], ctx(42, true));
        assert_eq!(v.path, Some(PassPath::Len8Mfa));
        assert_eq!(v.findings[0].severity, crate::model::Severity::Warn);
        let v = verdict("Vq7#tLm2$eRw9!", "u", &[], ctx(42, false));
        assert_eq!(v.path, Some(PassPath::Len13));
        assert_eq!(codes(&v), vec![Code::PasswordAgeExceedsPolicy]);
        // A 90-day policy fails the short password already; the age adds a warning.
        let v = verdict("x9%Gh2&kLp", "u", &[], ctx(90, false));
        assert_eq!(
            codes(&v),
            vec![
                Code::TooShort,
                Code::RotationTooLong,
                Code::PasswordAgeExceedsPolicy
            ]
        );
        // Changed within the maximum age: 8+rotation as before.
        let fresh = AccountContext {
            max_age_days: Some(42),
            age_exceeded: age::exceeded(Some(PasswordSetOn::day(2026, 11, 1)), Some(42), check),
            ..Default::default()
        };
        assert_eq!(
            verdict("x9%Gh2&kLp", "u", &[], fresh).path,
            Some(PassPath::Len8Rotation)
        );
    }

    #[test]
    fn policy_paths_need_rotation_that_holds_for_the_account() {
        let check = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let rot = AccountContext {
            max_age_days: Some(42),
            ..Default::default()
        };
        assert_eq!(
            by_policy(Some(PassPath::Len8Rotation), &rot, r7()).path,
            Some(PassPath::Len8Rotation)
        );
        assert!(by_policy(Some(PassPath::Len8Rotation), &rot, r7())
            .findings
            .is_empty());
        // Password older than the maximum age, or never set.
        let stale = AccountContext {
            age_exceeded: age::exceeded(Some(crate::model::PasswordSet::Never), Some(42), check),
            ..rot
        };
        let v = by_policy(Some(PassPath::Len8Rotation), &stale, r7());
        assert_eq!(v.path, None);
        assert_eq!(codes(&v), vec![Code::PasswordAgeExceedsPolicy]);
        assert_eq!(v.findings[0].severity, crate::model::Severity::Warn);
        assert_eq!(
            by_policy(Some(PassPath::Len13), &stale, r7()).path,
            Some(PassPath::Len13)
        );
        // The account's own maximum age is never (shadow 99999).
        let exempt = AccountContext {
            max_age_days: Some(-1),
            ..Default::default()
        };
        assert_eq!(
            by_policy(Some(PassPath::Len8Rotation), &exempt, r7()).path,
            None
        );
        assert_eq!(
            by_policy(Some(PassPath::Len8Mfa), &exempt, r7()).path,
            Some(PassPath::Len8Mfa)
        );
        assert_eq!(by_policy(None, &rot, r7()).path, None);
    }

    /// Days of calendar dates, for tests.
    struct PasswordSetOn;
    impl PasswordSetOn {
        fn day(y: i32, m: u32, d: u32) -> crate::model::PasswordSet {
            crate::model::PasswordSet::on(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
                .unwrap()
        }
    }

    #[test]
    fn pin_exempt_passes_short_pins_but_not_empty() {
        let pin = AccountContext {
            pin_exempt: true,
            ..Default::default()
        };
        assert_eq!(
            verdict("8461", "u", &[], pin).path,
            Some(PassPath::PinExempt)
        );
        assert_eq!(verdict("", "u", &[], pin).path, None);
    }

    fn verdict8(pw: &str, ctx: AccountContext) -> Verdict {
        let lists = Wordlists::builtin();
        let g = GuessContext {
            account: "u",
            context_words: &[],
            lists: &lists,
        };
        decide(&assess(pw, &g), &ctx, Edition::builtin("R8").unwrap())
    }

    #[test]
    fn r8_rotation_is_no_path_and_symbols_are_not_required() {
        let rot = AccountContext {
            max_age_days: Some(42),
            ..Default::default()
        };
        // 10 characters changed every 42 days: 8+rotation under R7, a failure under R8.
        assert_eq!(
            verdict("x9Gh2&kLp4", "u", &[], rot).path,
            Some(PassPath::Len8Rotation)
        );
        let v = verdict8("x9Gh2&kLp4", rot);
        assert_eq!(v.path, None);
        assert_eq!(codes(&v), vec![Code::TooShort]);
        assert_eq!(
            v.findings[0].detail,
            "10 < 13 without two-factor authentication; periodic change is no longer a way to pass (R8)"
        );
        // Letters and digits suffice, with two-factor authentication (8+) or without it (13+).
        let mfa = AccountContext {
            mfa: true,
            ..Default::default()
        };
        assert_eq!(verdict8("x9Gh2kLp4z", mfa).path, Some(PassPath::Len8Mfa));
        let v = verdict8("Vq7tLm2eRw9Kz", AccountContext::default());
        assert_eq!(v.path, Some(PassPath::Len13), "{:?}", v.findings);
        let v = verdict("Vq7tLm2eRw9Kz", "u", &[], AccountContext::default());
        assert_eq!(codes(&v), vec![Code::NotMixed]);
        // Letters only: no digit, said in R8's words.
        let v = verdict8("VqxtLmbeRwpKz", AccountContext::default());
        assert_eq!(codes(&v), vec![Code::NotMixed]);
        assert_eq!(
            v.findings[0].detail,
            "no digit (letters and digits must be mixed)"
        );
        // Under 8: too short whatever the context.
        let v = verdict8("x9Gh2kL", mfa);
        assert_eq!(v.findings[0].detail, "7 < 8 characters");
    }

    #[test]
    fn r8_pins_need_four_characters() {
        let pin = AccountContext {
            pin_exempt: true,
            ..Default::default()
        };
        assert_eq!(
            verdict("846", "u", &[], pin).path,
            Some(PassPath::PinExempt)
        );
        let v = verdict8("846", pin);
        assert_eq!(v.path, None);
        assert_eq!(codes(&v), vec![Code::TooShort]);
        assert!(v.findings[0].detail.contains("3 < 4"), "{:?}", v.findings);
        assert_eq!(verdict8("8461", pin).path, Some(PassPath::PinExempt));
    }

    #[test]
    fn r8_policy_guarantee_by_rotation_does_not_hold() {
        let rot = AccountContext {
            max_age_days: Some(42),
            ..Default::default()
        };
        let r8 = Edition::builtin("R8").unwrap();
        assert_eq!(by_policy(Some(PassPath::Len8Rotation), &rot, r8).path, None);
        assert_eq!(
            by_policy(Some(PassPath::Len8Rotation), &rot, r7()).path,
            Some(PassPath::Len8Rotation)
        );
    }
}
