//! The closed sets of the evidence (policy status, pass path, recovery method, reuse proof and
//! scope, breach mode and status, lookup form) as enums: every stage and report matches on them,
//! and each serializes to the name contract §3 gives it, so evidence.json reads as before.

use serde::{Deserialize, Serialize};

/// Implements `as_str` (the evidence name, the same as the serde name) and `ALL` (every value,
/// in declaration order) for a closed set.
macro_rules! names {
    ($t:ident { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            /// Every value, in declaration order.
            pub const ALL: &'static [$t] = &[$($t::$v),+];
            /// The name in the evidence.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($t::$v => $s),+
                }
            }
        }
    };
}

/// A system's policy verdict (`policies[].status`, `systems[].policy`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    /// The enforced policy guarantees a way to pass 2-⑦.
    Pass,
    /// It does not.
    Fail,
    /// Its sources set neither length nor composition: nothing can be said.
    Unknown,
    /// The system has no policy source at all.
    None,
}
names!(PolicyStatus { Pass => "pass", Fail => "fail", Unknown => "unknown", None => "none" });

/// Why an account (or a policy) passes 2-⑦ (`account.path`, `policies[].path`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum PassPath {
    /// 13 or more characters, mixed, hard to guess.
    #[serde(rename = "13+")]
    Len13,
    /// 8 or more, mixed, hard to guess, with two-factor authentication.
    #[serde(rename = "8+mfa")]
    Len8Mfa,
    /// 8 or more, mixed, hard to guess, changed at least every 60 days.
    #[serde(rename = "8+rotation")]
    Len8Rotation,
    /// Plaintext unknown; the enforced policy guarantees one of the above.
    #[serde(rename = "policy")]
    Policy,
    /// A PIN unlocking an IC card (part of two-factor authentication, exempt).
    #[serde(rename = "pin_exempt")]
    PinExempt,
}
names!(PassPath {
    Len13 => "13+",
    Len8Mfa => "8+mfa",
    Len8Rotation => "8+rotation",
    Policy => "policy",
    PinExempt => "pin_exempt",
});

/// How a plaintext became known (`account.recovered_by`, keys of `recovery.recovered`).
/// Declared in the order of the names, so a map keyed by it lists them as a map of names did.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A mangled context word or account name.
    Context,
    /// The stored NT hash is the hash of the empty string.
    EmptyHash,
    /// Given in an inventory.
    Given,
    /// The LM hash's plaintext, its letters' case found against the NT hash.
    Lm,
    /// A pot-file line, verified against the hash.
    Potfile,
    /// A plaintext recovered for another account, verified against this hash.
    Reuse,
    /// A wordlist candidate.
    Wordlist,
}
names!(Method {
    Context => "context",
    EmptyHash => "empty_hash",
    Given => "given",
    Lm => "lm",
    Potfile => "potfile",
    Reuse => "reuse",
    Wordlist => "wordlist",
});

/// The proof that two accounts share a password (`reuse_groups[].evidence`, `.proofs`, `.links`),
/// strongest first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Proof {
    IdenticalUnsaltedHash,
    VerifiedPlaintext,
    SamePlaintext,
}
names!(Proof {
    IdenticalUnsaltedHash => "identical_unsalted_hash",
    VerifiedPlaintext => "verified_plaintext",
    SamePlaintext => "same_plaintext",
});

/// Where a reuse group's members are (`reuse_groups[].scope`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReuseScope {
    /// On two or more systems: fails 2-⑧.
    CrossSystem,
    /// On one system: a warning unless `--strict-reuse`.
    SameSystem,
}
names!(ReuseScope { CrossSystem => "cross_system", SameSystem => "same_system" });

/// Which form of a password was looked up in the breach corpus (`account.breach.via`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Sha1,
    Ntlm,
}
names!(Via { Sha1 => "sha1", Ntlm => "ntlm" });

/// How the breach check ran (`breach_check.mode`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum BreachMode {
    /// The Pwned Passwords range API.
    Online,
    /// A local corpus.
    Offline,
    /// Not run (`--hibp off`).
    Off,
}
names!(BreachMode { Online => "online", Offline => "offline", Off => "off" });

/// How far the breach check got (`breach_check.status`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum BreachCheckStatus {
    Complete,
    /// Some lookups failed.
    Incomplete,
    Skipped,
}
names!(BreachCheckStatus { Complete => "complete", Incomplete => "incomplete", Skipped => "skipped" });

/// How far one part of the audit got (`completeness.inputs.status`, `.recovery.status`,
/// `.breach_check.status`): a part not performed is neither complete nor incomplete, so no
/// report may call it 完了.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PartStatus {
    Complete,
    Incomplete,
    NotPerformed,
}
names!(PartStatus { Complete => "complete", Incomplete => "incomplete", NotPerformed => "not_performed" });

/// Why a part of the audit is incomplete or was not performed (`completeness.*.reason`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PartReason {
    /// Inputs: some could not be read whole (malformed lines, unreadable text).
    InputErrors,
    /// Recovery: the salted work (per hash or for the whole audit) ran out before every
    /// candidate was tried against some salted hashes.
    SaltedBudgetExhausted,
    /// Recovery: some salted hashes could not be tried at all (one verification costs more than
    /// the budget or memory allows, or the parameters cannot be read).
    SaltedHashesNotTried,
    /// Recovery: there were hashes but no candidate at all (no wordlist, no pot file line, no
    /// usable name).
    NoCandidates,
    /// Recovery: no account has a hash to recover (every password was given).
    NoHashes,
    /// Breach check: `--hibp off` was given.
    HibpOff,
    /// Breach check: no account had a password or an NT hash to look up.
    NoLookups,
    /// Breach check: some lookups failed.
    LookupsFailed,
}
names!(PartReason {
    InputErrors => "input_errors",
    SaltedBudgetExhausted => "salted_budget_exhausted",
    SaltedHashesNotTried => "salted_hashes_not_tried",
    NoCandidates => "no_candidates",
    NoHashes => "no_hashes",
    HibpOff => "hibp_off",
    NoLookups => "no_lookups",
    LookupsFailed => "lookups_failed",
});

/// Where the 確認日 came from (`checked_on_source`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// `checked_on` in the manifest.
    Manifest,
    /// `--check-date`, which overrides the manifest.
    CheckDateOption,
    /// Neither: the day of the run.
    Today,
}
names!(DateSource { Manifest => "manifest", CheckDateOption => "check_date_option", Today => "today" });

#[cfg(test)]
mod tests {
    use super::*;

    /// Each set serializes to its `as_str` name and reads back.
    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
        T: Named,
    {
        for &v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), v.name());
            let back: T = serde_json::from_value(v.name().into()).unwrap();
            assert_eq!(back, v);
        }
    }

    trait Named {
        fn name(self) -> &'static str;
    }
    macro_rules! named {
        ($($t:ident),+) => {$(impl Named for $t { fn name(self) -> &'static str { self.as_str() } })+};
    }
    named!(
        PolicyStatus,
        PassPath,
        Method,
        Proof,
        ReuseScope,
        Via,
        BreachMode,
        BreachCheckStatus,
        PartStatus,
        PartReason,
        DateSource
    );

    #[test]
    fn closed_sets_serialize_as_their_evidence_names() {
        round_trips(PolicyStatus::ALL);
        round_trips(PassPath::ALL);
        round_trips(Method::ALL);
        round_trips(Proof::ALL);
        round_trips(ReuseScope::ALL);
        round_trips(Via::ALL);
        round_trips(BreachMode::ALL);
        round_trips(BreachCheckStatus::ALL);
        round_trips(PartStatus::ALL);
        round_trips(PartReason::ALL);
        round_trips(DateSource::ALL);
    }

    #[test]
    fn methods_order_as_their_names() {
        let mut names: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
        names.sort();
        let ordered: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
        assert_eq!(
            names, ordered,
            "recovery.recovered keeps the order of the names"
        );
    }
}
