//! Password age: a last change (secretsdump `pwdLastSet`, shadow field 3) older than the enforced
//! maximum age at the check date shows that rotation is not applied to the account, so it cannot
//! pass 2-⑦ on the strength of rotation (rules.md, "Password age").

use crate::model::{Code, Facts, Finding, PasswordSet};

/// A password older than the enforced maximum age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    /// The last change: a day, or never (`pwdLastSet=never`, shadow `0`).
    pub last: PasswordSet,
    /// Days between the last change and the check date; `None` when never set.
    pub age_days: Option<u32>,
    /// The enforced maximum age in days.
    pub max_days: u32,
}

/// Is the password older than the enforced maximum age (`max_age_days`; none or `<= 0` = never
/// expires, so nothing can exceed it) at `checked_on`? A password never set counts as older than
/// any age; a change after the check date is not older.
pub fn exceeded(
    last: Option<PasswordSet>,
    max_age_days: Option<i64>,
    checked_on: chrono::NaiveDate,
) -> Option<Exceeded> {
    let max_days = u32::try_from(max_age_days.filter(|d| *d > 0)?).unwrap_or(u32::MAX);
    let last = last?;
    let age_days = match last {
        PasswordSet::Never => None,
        PasswordSet::Day(d) => {
            let PasswordSet::Day(today) = PasswordSet::on(checked_on)? else {
                return None;
            };
            let age = today.checked_sub(d)?;
            if age <= max_days {
                return None;
            }
            Some(age)
        }
    };
    Some(Exceeded {
        last,
        age_days,
        max_days,
    })
}

/// The finding for an exceeded age: `fail` when the account would otherwise pass only via
/// `8+rotation`, a warning otherwise (it passes another way, or fails for other reasons, or its
/// plaintext is unknown).
pub fn finding(e: Exceeded, only_rotation: bool) -> Finding {
    let facts = Facts::AgeExceeded {
        last: e.last,
        age_days: e.age_days,
        max_days: e.max_days,
        only_rotation,
    };
    if only_rotation {
        super::fail(Code::PasswordAgeExceedsPolicy, facts)
    } else {
        super::warn(Code::PasswordAgeExceedsPolicy, facts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    fn date(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn on(s: &str) -> Option<PasswordSet> {
        PasswordSet::on(date(s))
    }

    #[test]
    fn older_than_the_maximum_age_at_the_check_date() {
        let check = date("2026-11-24");
        // 42 days before the check date is not older than 42 days; 43 is.
        assert_eq!(exceeded(on("2026-10-13"), Some(42), check), None);
        let e = exceeded(on("2026-10-12"), Some(42), check).unwrap();
        assert_eq!((e.age_days, e.max_days), (Some(43), 42));
        // Never set: older than any age.
        let never = exceeded(Some(PasswordSet::Never), Some(42), check).unwrap();
        assert_eq!(never.age_days, None);
        // No enforced maximum age, no known change, or a change after the check date: nothing.
        for max in [None, Some(0), Some(-1)] {
            assert_eq!(exceeded(on("2001-01-01"), max, check), None);
            assert_eq!(exceeded(Some(PasswordSet::Never), max, check), None);
        }
        assert_eq!(exceeded(None, Some(42), check), None);
        assert_eq!(exceeded(on("2027-01-01"), Some(42), check), None);
    }

    #[test]
    fn findings_fail_only_when_rotation_is_the_only_way() {
        let check = date("2026-11-24");
        let e = exceeded(on("2025-10-01"), Some(60), check).unwrap();
        let f = finding(e, true);
        assert_eq!(
            (f.code, f.severity),
            (Code::PasswordAgeExceedsPolicy, Severity::Fail)
        );
        assert_eq!(
            f.detail,
            "last changed 2025-10-01, 419 days before the check date > maximum age 60 days; \
             rotation is not applied, so 8+rotation does not hold"
        );
        let w = finding(e, false);
        assert_eq!(w.severity, Severity::Warn);
        let n = finding(
            exceeded(Some(PasswordSet::Never), Some(60), check).unwrap(),
            false,
        );
        assert!(n.detail.starts_with("never set"), "{}", n.detail);
        assert_eq!(
            serde_json::to_string(&Code::PasswordAgeExceedsPolicy).unwrap(),
            "\"PASSWORD_AGE_EXCEEDS_POLICY\""
        );
    }
}
