//! Item 2-⑦ at policy level: merge a system's policy sources into one effective policy and judge it.

use super::edition::{self, Class, Edition};
use super::linux;
use super::seven::n32;
use crate::model::evidence::EffectivePolicy;
use crate::model::tags::{PassPath, PolicyStatus};
use crate::model::{CharClass, Code, Facts, Finding, PolicyFragment, ShortOf, Tag};

/// The merged policy of one system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    pub sources: Vec<String>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub letter: bool,
    pub digit: bool,
    pub symbol: bool,
    pub complexity_3of4: bool,
    /// Enforced maximum age; `Some(d <= 0)` = never.
    pub max_age_days: Option<i64>,
    pub mfa: bool,
    /// Failed logins that lock an account; `Some(0)` = never locked.
    pub lockout_threshold: Option<u32>,
    /// Minutes a locked account stays locked; `Some(-1)` = until an administrator unlocks it.
    pub lockout_duration_minutes: Option<i64>,
    /// Minutes after which the count of failed logins starts again.
    pub lockout_reset_minutes: Option<u32>,
}

/// The policy verdict of one system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVerdict {
    /// `unknown`: no length or composition setting in any source.
    pub status: PolicyStatus,
    pub path: Option<PassPath>,
    pub findings: Vec<Finding>,
    /// NIST SP 800-63B advisories (never change an answer).
    pub advisories: Vec<Finding>,
}

/// Merge fragments (in precedence order: the first that sets a field wins for scalar fields;
/// required classes are united). `mfa` and `rotation_days` from the manifest come first. Linux
/// PAM sources are first combined as PAM reads them ([`linux::combine`]).
pub fn merge(fragments: &[PolicyFragment], mfa: bool, rotation_days: Option<i64>) -> Effective {
    let mut e = Effective {
        mfa,
        max_age_days: rotation_days,
        ..Default::default()
    };
    for f in &linux::combine(fragments) {
        if !e.sources.contains(&f.source) {
            e.sources.push(f.source.clone());
        }
        e.min_length = e.min_length.or(f.min_length);
        e.max_length = e.max_length.or(f.max_length);
        e.max_age_days = e.max_age_days.or(f.max_age_days);
        if e.lockout_threshold.is_none() && f.lockout_threshold.is_some() {
            // The duration and reset time go with the threshold they were set with.
            e.lockout_threshold = f.lockout_threshold;
            e.lockout_duration_minutes = f.lockout_duration_minutes;
            e.lockout_reset_minutes = f.lockout_reset_minutes;
        }
        e.mfa |= f.mfa.unwrap_or(false);
        e.complexity_3of4 |= f.complexity_3of4;
        for c in &f.require {
            match c {
                CharClass::Letter | CharClass::Upper | CharClass::Lower => e.letter = true,
                CharClass::Digit => e.digit = true,
                CharClass::Symbol => e.symbol = true,
            }
        }
        if f.min_class.is_some_and(|n| n >= 4) {
            e.letter = true;
            e.digit = true;
            e.symbol = true;
        }
    }
    e
}

impl Effective {
    pub fn requires_mixed(&self) -> bool {
        self.letter && self.digit && self.symbol
    }
    /// Does the policy require a character of class `c`?
    pub fn requires(&self, c: Class) -> bool {
        match c {
            Class::Letter => self.letter,
            Class::Digit => self.digit,
            Class::Symbol => self.symbol,
        }
    }
    /// Does this policy guarantee a passing path of the edition for every password it accepts?
    /// Returns the path.
    pub fn guarantees(&self, ed: &Edition) -> Option<PassPath> {
        let min = self.min_length? as usize;
        ed.paths(self.mfa, self.max_age_days)
            .iter()
            .find(|w| w.takes(min, |c| self.requires(c)))
            .map(|w| w.path)
    }
    /// The JSON form.
    pub fn to_evidence(&self) -> EffectivePolicy {
        let mut require = Vec::new();
        if self.requires_mixed() {
            require = vec!["letter".into(), "digit".into(), "symbol".into()];
        } else {
            if self.letter {
                require.push("letter".into());
            }
            if self.digit {
                require.push("digit".into());
            }
            if self.symbol {
                require.push("symbol".into());
            }
            if self.complexity_3of4 {
                require.push("3-of-4".into());
            }
        }
        EffectivePolicy {
            min_length: self.min_length,
            require,
            max_age_days: self.max_age_days,
            mfa: self.mfa,
            max_length: self.max_length,
            lockout_threshold: self.lockout_threshold,
            lockout_duration_minutes: self.lockout_duration_minutes,
            lockout_reset_minutes: self.lockout_reset_minutes,
        }
    }
}

/// Judge an effective policy (rules.md, policy level) by the edition in force.
pub fn judge(e: &Effective, ed: &Edition) -> PolicyVerdict {
    let mut findings = Vec::new();
    let mut advisories = Vec::new();
    let known = e.min_length.is_some() || e.letter || e.digit || e.symbol || e.complexity_3of4;
    if let Some(max) = e.max_length {
        if max < 64 {
            advisories.push(super::info(
                Code::PolicyMaxLengthLt64,
                Facts::PolicyMaxLength { max: n32(max) },
            ));
        }
    }
    if e.max_age_days.is_some_and(|d| d > 0) {
        // Whether the checklist still counts rotation as a way to pass depends on the edition.
        advisories.push(super::info(
            Code::NistRotationDiscouraged,
            Facts::PolicyRotation {
                allowed: ed.password.rotation.path,
            },
        ));
    }
    if e.letter || e.digit || e.symbol || e.complexity_3of4 {
        advisories.push(super::info(
            Code::NistCompositionDiscouraged,
            Facts::PolicyComposition,
        ));
    }
    if !e.sources.is_empty() {
        let detail = match e.lockout_threshold {
            None => Some(Facts::PolicyNoLockout),
            Some(0) => Some(Facts::PolicyLockoutOff),
            Some(_) => None,
        };
        // Expected by the edition (R8): a warning of the policy, which does not change its
        // status; otherwise an advisory (R7).
        match detail {
            Some(d) if ed.lockout.expected => findings.push(super::warn(Code::PolicyNoLockout, d)),
            Some(d) => advisories.push(super::info(Code::PolicyNoLockout, d)),
            None => {}
        }
    }
    if !e.mfa && e.min_length.is_some_and(|m| m < 15) {
        advisories.push(super::info(
            Code::NistSingleFactorLt15,
            Facts::PolicySingleFactor,
        ));
    }
    if !known {
        return PolicyVerdict {
            status: PolicyStatus::Unknown,
            path: None,
            findings,
            advisories,
        };
    }
    let min = e.min_length.unwrap_or(0);
    let ways = ed.paths(e.mfa, e.max_age_days);
    let by_length: Vec<_> = ways
        .iter()
        .filter(|w| w.holds && min as usize >= w.min_length)
        .collect();
    // The classes asked of the path in view: the first the minimum length allows, else the one
    // the system's context offers.
    let view = by_length
        .first()
        .copied()
        .or_else(|| ways[1..].iter().find(|w| w.holds))
        .unwrap_or(&ways[0]);
    let missing: Vec<Class> = view
        .classes
        .iter()
        .copied()
        .filter(|c| !e.requires(*c))
        .collect();
    if !missing.is_empty() {
        let facts = if e.complexity_3of4 && missing.contains(&Class::Symbol) {
            Facts::PolicyComplexity3of4
        } else {
            Facts::PolicyMissing {
                missing: edition::class_set(missing.iter()),
            }
        };
        findings.push(super::fail(Code::PolicyComposition, facts));
    }
    let floor = ed.floor();
    let long = ed.password.long.min_length;
    if (min as usize) < floor {
        findings.push(super::fail(
            Code::PolicyMinLength,
            Facts::PolicyMinLength {
                len: min,
                min: n32(floor),
                of: ShortOf::Floor,
            },
        ));
    } else if by_length.is_empty() && e.mfa {
        findings.push(super::fail(
            Code::PolicyMinLength,
            Facts::PolicyMinLength {
                len: min,
                min: n32(ed.password.mfa.min_length),
                of: ShortOf::Mfa,
            },
        ));
    } else if by_length.is_empty() && !ed.password.rotation.path {
        findings.push(match Tag::new(&ed.id) {
            Some(id) => super::fail(
                Code::PolicyMinLength,
                Facts::PolicyMinLength {
                    len: min,
                    min: n32(long),
                    of: ShortOf::NoRotationPath(id),
                },
            ),
            // An edition id of the user's own too long to hold inline: English words only.
            None => Finding::fail(
                Code::PolicyMinLength,
                format!(
                    "minimum length {min} < {long} without two-factor authentication; periodic change is no longer a way to pass ({})",
                    ed.id
                ),
            ),
        });
    } else if by_length.is_empty() {
        let max = ed.password.rotation.max_age_days;
        findings.push(super::fail(
            Code::PolicyMinLength,
            Facts::PolicyMinLength {
                len: min,
                min: n32(long),
                of: ShortOf::NoWay { max_days: n32(max) },
            },
        ));
        match e.max_age_days {
            Some(d) if d > max => findings.push(super::fail(
                Code::PolicyRotationTooLong,
                Facts::RotationTooLong {
                    days: d,
                    max_days: n32(max),
                },
            )),
            Some(d) if d > 0 => {}
            _ => findings.push(super::fail(Code::PolicyNoRotation, Facts::PolicyNoRotation)),
        }
    }
    findings.sort();
    let path = e.guarantees(ed);
    PolicyVerdict {
        status: if path.is_some() {
            PolicyStatus::Pass
        } else {
            PolicyStatus::Fail
        },
        path,
        findings,
        advisories,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r7() -> &'static Edition {
        Edition::builtin("R7").unwrap()
    }
    fn judge7(e: &Effective) -> PolicyVerdict {
        judge(e, r7())
    }

    fn frag(min: Option<u32>, require: &[CharClass], age: Option<i64>, c3: bool) -> PolicyFragment {
        PolicyFragment {
            source: "p".into(),
            min_length: min,
            require: require.to_vec(),
            max_age_days: age,
            complexity_3of4: c3,
            ..Default::default()
        }
    }
    use CharClass::*;

    #[test]
    fn windows_complexity_does_not_guarantee_symbols() {
        let e = merge(&[frag(Some(14), &[], Some(42), true)], false, None);
        let v = judge(&e, r7());
        assert_eq!(v.status, PolicyStatus::Fail);
        assert_eq!(v.findings.len(), 1);
        assert_eq!(v.findings[0].code, Code::PolicyComposition);
        assert!(v.findings[0].detail.contains("3 of 4"));
    }

    #[test]
    fn paths() {
        let all = [Letter, Digit, Symbol];
        assert_eq!(
            judge7(&merge(&[frag(Some(13), &all, None, false)], false, None)).path,
            Some(PassPath::Len13)
        );
        assert_eq!(
            judge7(&merge(&[frag(Some(8), &all, None, false)], true, None)).path,
            Some(PassPath::Len8Mfa)
        );
        assert_eq!(
            judge7(&merge(&[frag(Some(8), &all, Some(60), false)], false, None)).path,
            Some(PassPath::Len8Rotation)
        );
        let v = judge7(&merge(&[frag(Some(8), &all, Some(90), false)], false, None));
        assert_eq!(v.status, PolicyStatus::Fail);
        let codes: Vec<_> = v.findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            vec![Code::PolicyMinLength, Code::PolicyRotationTooLong]
        );
        let v = judge7(&merge(&[frag(Some(8), &all, Some(-1), false)], false, None));
        assert!(v.findings.iter().any(|f| f.code == Code::PolicyNoRotation));
        let v = judge7(&merge(&[frag(Some(6), &all, Some(30), false)], false, None));
        assert!(v.findings.iter().any(|f| f.code == Code::PolicyMinLength));
    }

    #[test]
    fn lockout_is_reported_and_its_absence_is_an_advisory_only() {
        let all = [Letter, Digit, Symbol];
        let no_lockout = |v: &PolicyVerdict| {
            v.advisories
                .iter()
                .filter(|f| f.code == Code::PolicyNoLockout)
                .map(|f| f.detail.clone())
                .collect::<Vec<_>>()
        };
        // No source configures lockout: advisory, the verdict is unchanged.
        let v = judge7(&merge(&[frag(Some(14), &all, None, false)], false, None));
        assert_eq!(v.status, PolicyStatus::Pass);
        assert!(v.findings.is_empty());
        assert_eq!(no_lockout(&v).len(), 1);
        assert!(v
            .advisories
            .iter()
            .all(|f| f.severity == crate::model::Severity::Info));
        // Secedit with a threshold: reported, no advisory; the first source that sets it wins.
        let inf = PolicyFragment {
            lockout_threshold: Some(5),
            lockout_duration_minutes: Some(30),
            lockout_reset_minutes: Some(15),
            ..frag(Some(14), &all, None, false)
        };
        let toml = PolicyFragment {
            source: "q".into(),
            lockout_threshold: Some(0),
            ..PolicyFragment::default()
        };
        let e = merge(&[inf.clone(), toml.clone()], false, None);
        let ev = e.to_evidence();
        assert_eq!(
            (
                ev.lockout_threshold,
                ev.lockout_duration_minutes,
                ev.lockout_reset_minutes
            ),
            (Some(5), Some(30), Some(15))
        );
        assert!(no_lockout(&judge(&e, r7())).is_empty());
        // Threshold 0: lockout is off.
        let v = judge7(&merge(&[toml, inf], false, None));
        assert_eq!(no_lockout(&v), ["account lockout is off (threshold 0)"]);
        assert_eq!(v.status, PolicyStatus::Pass);
        // Without any policy source (the manifest alone) nothing is said.
        assert!(no_lockout(&judge7(&merge(&[], true, Some(30)))).is_empty());
        // Absent from the JSON when no source says.
        let json = serde_json::to_value(merge(&[], false, None).to_evidence()).unwrap();
        assert!(json.get("lockout_threshold").is_none());
    }

    #[test]
    fn merge_login_defs_and_pwquality_and_manifest() {
        // login.defs gives aging, pwquality gives length and classes, the manifest gives rotation.
        let login = frag(None, &[], Some(90), false);
        let pwq = frag(Some(12), &[Digit, Symbol, Lower], None, false);
        let e = merge(&[pwq.clone(), login.clone()], false, None);
        assert_eq!(e.max_age_days, Some(90));
        assert_eq!(e.min_length, Some(12));
        assert!(e.requires_mixed());
        assert_eq!(judge(&e, r7()).status, PolicyStatus::Fail);
        let e = merge(&[pwq, login], false, Some(30));
        assert_eq!(judge(&e, r7()).path, Some(PassPath::Len8Rotation));
        assert_eq!(
            judge7(&merge(&[], false, Some(30))).status,
            PolicyStatus::Unknown
        );
    }

    #[test]
    fn r8_policies_pass_by_length_or_two_factor_only_and_expect_lockout() {
        let r8 = Edition::builtin("R8").unwrap();
        let ld = [Letter, Digit];
        // 8 characters, letters and digits, 42-day rotation: no longer guaranteed.
        let e = merge(&[frag(Some(8), &ld, Some(42), false)], false, None);
        assert_eq!(
            judge(&e, r7()).status,
            PolicyStatus::Fail,
            "R7 asks for symbols"
        );
        let v = judge(&e, r8);
        assert_eq!(v.status, PolicyStatus::Fail);
        assert_eq!(e.guarantees(r8), None);
        let min = v
            .findings
            .iter()
            .find(|f| f.code == Code::PolicyMinLength)
            .unwrap();
        assert!(
            min.detail
                .contains("periodic change is no longer a way to pass"),
            "{}",
            min.detail
        );
        assert!(!v.findings.iter().any(|f| f.code == Code::PolicyComposition));
        // The NIST advisory on rotation does not say the checklist allows it.
        let nist = |v: &PolicyVerdict| {
            v.advisories
                .iter()
                .find(|f| f.code == Code::NistRotationDiscouraged)
                .map(|f| f.detail.clone())
                .unwrap()
        };
        assert!(nist(&v).contains("no longer counts it"), "{}", nist(&v));
        assert!(nist(&judge(&e, r7())).contains("the checklist allows it"));
        // 13+ letters and digits, or 8+ with two-factor authentication: pass.
        let v = judge(&merge(&[frag(Some(13), &ld, None, false)], false, None), r8);
        assert_eq!(v.path, Some(PassPath::Len13));
        assert_eq!(
            judge(&merge(&[frag(Some(8), &ld, None, false)], true, None), r8).path,
            Some(PassPath::Len8Mfa)
        );
        // No lockout: a warning finding of the policy (not an advisory), status unchanged.
        let lock: Vec<_> = v
            .findings
            .iter()
            .filter(|f| f.code == Code::PolicyNoLockout)
            .collect();
        assert_eq!(lock.len(), 1);
        assert_eq!(lock[0].severity, crate::model::Severity::Warn);
        assert_eq!(v.status, PolicyStatus::Pass);
        assert!(!v.advisories.iter().any(|f| f.code == Code::PolicyNoLockout));
        // Under R7 it stays an advisory.
        let v7 = judge(
            &merge(
                &[frag(Some(14), &[Letter, Digit, Symbol], None, false)],
                false,
                None,
            ),
            r7(),
        );
        assert!(v7.findings.is_empty());
        assert!(v7
            .advisories
            .iter()
            .any(|f| f.code == Code::PolicyNoLockout));
    }
}
