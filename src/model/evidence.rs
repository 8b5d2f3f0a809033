//! The evidence document (contract §3, schema `kensa/evidence/1`): what every report renders.

use super::{Finding, ManagedBy, SystemKind};
use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "kensa/evidence/1";
pub const HIBP_ATTRIBUTION: &str = "Pwned Passwords by haveibeenpwned.com, CC BY 4.0";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    pub schema: String,
    pub tool: Tool,
    pub edition: String,
    pub facility: String,
    pub checked_on: String,
    /// `true` when some input could not be read whole or some breach lookup failed.
    pub complete: bool,
    pub items: Vec<Item>,
    /// The same answers split by who answers for the systems (医療機関確認用 / 事業者確認用).
    pub checklists: Vec<Checklist>,
    pub systems: Vec<SystemSummary>,
    pub accounts: Vec<AccountEvidence>,
    pub reuse_groups: Vec<ReuseGroup>,
    pub policies: Vec<PolicyEvidence>,
    pub advisories: Vec<Advisory>,
    pub input_errors: Vec<super::InputError>,
    pub inputs: Vec<InputSummary>,
    pub recovery: Recovery,
    pub breach_check: BreachCheck,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Undetermined,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub item: String,
    pub label: String,
    pub answer: Answer,
    pub checked_on: String,
    pub target_date: Option<String>,
    pub remarks: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failing: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverified: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passing: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checklist {
    /// `institution` (医療機関確認用) or `vendor` (事業者確認用).
    pub managed_by: ManagedBy,
    pub title: String,
    pub systems: Vec<String>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SystemSummary {
    pub id: String,
    pub name: Option<String>,
    pub kind: SystemKind,
    pub managed_by: ManagedBy,
    pub vendor: Option<String>,
    pub mfa: bool,
    pub accounts: usize,
    pub failing: usize,
    pub unverified: usize,
    pub passing: usize,
    pub skipped: usize,
    /// Policy verdict: `pass` | `fail` | `none` (no policy source).
    pub policy: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    Pass,
    Fail,
    Unverified,
    Skipped,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountEvidence {
    pub system: String,
    pub account: String,
    pub source: String,
    pub scheme: String,
    /// At most the first 8 characters of the stored hash; never the whole hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_prefix: Option<String>,
    pub plaintext_known: bool,
    /// How the plaintext became known: `given`, `potfile`, `wordlist`, `context`, `reuse`, `empty_hash`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<usize>,
    pub status: AccountStatus,
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    pub findings: Vec<Finding>,
    pub breach: Breach,
    pub reuse_group: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachStatus {
    Found,
    NotFound,
    Unchecked,
    Error,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Breach {
    pub status: BreachStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// `sha1` or `ntlm`: which form was looked up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    pub system: String,
    pub account: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReuseGroup {
    pub id: String,
    pub scope: String,
    pub severity: String,
    /// The strongest proof among the links: `identical_unsalted_hash` | `verified_plaintext` | `same_plaintext`.
    pub evidence: String,
    /// Every kind of proof that links members of this group, sorted.
    pub proofs: Vec<String>,
    pub systems: Vec<String>,
    pub members: Vec<Member>,
    /// How each link between two members was proved (a spanning set of links).
    pub links: Vec<Link>,
    /// The shared password is a factory default (fails 2-⑧ on its own).
    pub default_password: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub from: Member,
    pub to: Member,
    /// `identical_unsalted_hash` | `verified_plaintext` | `same_plaintext`.
    pub evidence: String,
}

/// What recovery did: how plaintexts became known and how much work it took.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Recovery {
    /// Accounts whose plaintext became known, by method (`given`, `potfile`, `wordlist`, …).
    pub recovered: std::collections::BTreeMap<String, usize>,
    pub candidates_unsalted: usize,
    pub salted_hashes: usize,
    pub salted_budget: u64,
    pub salted_verifications: u64,
    pub cross_verifications: u64,
    pub potfile_lines_matched: usize,
    /// Pot-file lines whose plaintext did not verify against the hash (not trusted).
    pub potfile_lines_rejected: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct EffectivePolicy {
    pub min_length: Option<u32>,
    pub require: Vec<String>,
    pub max_age_days: Option<i64>,
    pub mfa: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyEvidence {
    pub system: String,
    pub sources: Vec<String>,
    pub status: String,
    pub path: Option<String>,
    pub effective: EffectivePolicy,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Advisory {
    pub system: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub finding: Finding,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputSummary {
    pub path: String,
    pub format: String,
    pub sha256: String,
    pub size: u64,
    pub systems: Vec<String>,
    pub records: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BreachCheck {
    /// `online` | `offline` | `off`.
    pub mode: String,
    /// `complete` | `incomplete` | `skipped`.
    pub status: String,
    pub lookups: usize,
    pub found: usize,
    pub errors: usize,
    pub dataset: String,
    pub attribution: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    pub started_at: String,
    pub duration_ms: u64,
}
