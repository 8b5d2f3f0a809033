//! Verdicts: 2-⑦ per account and per policy, 2-⑧ reuse groups, NIST advisories.

pub mod guess;
