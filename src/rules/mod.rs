//! Verdicts: 2-⑦ per account ([`seven`]) and per policy ([`policy`]), 2-⑧ reuse groups ([`reuse`]),
//! guessability ([`guess`]), predictable changes seen in the password history ([`rotation`]),
//! passwords older than the enforced maximum age ([`age`]), what a Linux PAM stack guarantees
//! ([`linux`]) and the checklist answers ([`answer`]).

pub mod age;
pub mod answer;
pub mod guess;
pub mod linux;
pub mod policy;
pub mod reuse;
pub mod rotation;
pub mod seven;
