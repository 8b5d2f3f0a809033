//! Verdicts: 2-⑦ per account ([`seven`]) and per policy ([`policy`]), 2-⑧ reuse groups ([`reuse`]),
//! guessability ([`guess`]), predictable changes seen in the password history ([`rotation`]),
//! passwords older than the enforced maximum age ([`age`]), what a Linux PAM stack guarantees
//! ([`linux`]), how a password is stored and whether it is breached ([`stored`]) and the
//! checklist answers ([`answer`]); which accounts are privileged ([`privileged`]). Every finding code is decided here.

pub mod age;
pub mod answer;
pub mod edition;
pub mod guess;
pub mod linux;
pub mod policy;
pub mod privileged;
pub mod reuse;
pub mod rotation;
pub mod seven;
pub mod stored;
