//! Verdicts: 2-⑦ per account ([`seven`]) and per policy ([`policy`]), 2-⑧ reuse groups ([`reuse`]),
//! guessability ([`guess`]), predictable changes seen in the password history ([`rotation`]),
//! passwords older than the enforced maximum age ([`age`]), what a Linux PAM stack guarantees
//! ([`linux`]), how a password is stored and whether it is breached ([`stored`]) and the
//! checklist answers ([`answer`]); which accounts are privileged ([`privileged`]). Every finding code is decided here.

pub mod age;
pub mod answer;
pub mod edition;
pub mod guess;
pub mod item;
pub mod linux;
pub mod policy;
pub mod privileged;
pub mod reuse;
pub mod rotation;
pub mod seven;
pub mod stored;

use crate::model::{Code, Facts, Finding, Severity};

/// A finding from its facts: the stored English detail is the facts' English words
/// (`words::english`), so the evidence and a report in either language say the same.
pub(crate) fn found(code: Code, severity: Severity, facts: Facts) -> Finding {
    Finding {
        code,
        severity,
        detail: crate::words::english(&facts).unwrap_or_default(),
        facts,
    }
}

pub(crate) fn fail(code: Code, facts: Facts) -> Finding {
    found(code, Severity::Fail, facts)
}

pub(crate) fn warn(code: Code, facts: Facts) -> Finding {
    found(code, Severity::Warn, facts)
}

pub(crate) fn info(code: Code, facts: Facts) -> Finding {
    found(code, Severity::Info, facts)
}
