//! The evidence document (contract §3, schema `kensa/evidence/1`): what every report renders.

pub use super::tags::*;
use super::{Finding, ManagedBy, Scheme, Severity, SkipReason, SystemKind};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// The first characters of a stored hash, at most 8 characters and 24 bytes, held inline (an
/// account row carries one; a million rows would otherwise make a million small allocations).
/// It serializes as the plain string.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HashPrefix {
    len: u8,
    bytes: [u8; 24],
}

impl HashPrefix {
    pub const CHARS: usize = 8;

    /// The first [`Self::CHARS`] characters of `s` (fewer when they would not fit in 24 bytes).
    pub fn of(s: &str) -> Self {
        let mut end = 0;
        for (n, (i, c)) in s.char_indices().enumerate() {
            if n == Self::CHARS || i + c.len_utf8() > 24 {
                break;
            }
            end = i + c.len_utf8();
        }
        let mut bytes = [0u8; 24];
        bytes[..end].copy_from_slice(&s.as_bytes()[..end]);
        HashPrefix {
            len: end as u8,
            bytes,
        }
    }

    pub fn as_str(&self) -> &str {
        // Cut at a character boundary of a `&str` in `of`.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl std::ops::Deref for HashPrefix {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for HashPrefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for HashPrefix {
    fn from(s: &str) -> Self {
        HashPrefix::of(s)
    }
}

impl Serialize for HashPrefix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HashPrefix {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Ok(HashPrefix::of(&s))
    }
}

/// In the schema: a string of at most 8 characters (it serializes as the plain string).
impl schemars::JsonSchema for HashPrefix {
    fn schema_name() -> Cow<'static, str> {
        "HashPrefix".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "maxLength": HashPrefix::CHARS,
            "description": "At most the first 8 characters of the stored hash; never the whole hash."
        })
    }
}

pub const SCHEMA: &str = "kensa/evidence/1";
pub const HIBP_ATTRIBUTION: &str = "Pwned Passwords by haveibeenpwned.com, CC BY 4.0";

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evidence {
    pub schema: String,
    pub tool: Tool,
    pub edition: String,
    pub facility: String,
    pub checked_on: String,
    /// Where `checked_on` came from: the manifest, `--check-date`, or the day of the run (absent
    /// in evidence written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_on_source: Option<DateSource>,
    /// `true` when some input could not be read whole or some breach lookup failed.
    pub complete: bool,
    pub items: Vec<Item>,
    /// The same answers split by who answers for the systems (医療機関確認用 / 事業者確認用).
    pub checklists: Vec<Checklist>,
    /// One 事業者確認用 per vendor, from that vendor's systems only (each with its `vendor`; the
    /// systems managed by a vendor not named form one list without a name). The aggregate
    /// 事業者確認用 stays in `checklists`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vendor_checklists: Vec<Checklist>,
    pub systems: Vec<SystemSummary>,
    pub accounts: Vec<AccountEvidence>,
    pub reuse_groups: Vec<ReuseGroup>,
    pub policies: Vec<PolicyEvidence>,
    pub advisories: Vec<Advisory>,
    pub input_errors: Vec<super::InputError>,
    pub inputs: Vec<InputSummary>,
    pub recovery: Recovery,
    pub breach_check: BreachCheck,
    /// The rules applied ([`RULES`]; empty in evidence made without the engine).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rules: String,
    /// The checklist edition applied: its name, whether it is provisional, its source, its
    /// questions, and the user's edition file when `--rules` gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition_rules: Option<EditionRules>,
    /// The manifest read, with the SHA-256 and size of the bytes the audit parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<FileRef>,
    /// Where each of `inputs` was read from, in the same order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_paths: Vec<FileRef>,
    /// The comparison with an earlier evidence.json (`--baseline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineReport>,
    /// How far each part of the audit got (inputs, recovery, breach check), with the reason
    /// when a part is incomplete or was not performed (absent in evidence written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<Completeness>,
    /// A bundle for handing over (`kensa audit --vendor NAME`): only that vendor's systems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Account names are masked (`--mask-accounts`): `yamada` → `ya***a`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked_accounts: bool,
    /// The facts of the run (when, how long, how many requests): kept last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
}

/// The edition of the rules in force, as the reports name it (`rules::edition`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EditionRules {
    /// As in `edition` (`R7`, `R8`, or a user file's own id).
    pub id: String,
    pub name: JaEn,
    /// Built from text not yet confirmed: every report marks it 「暫定」 / provisional.
    pub provisional: bool,
    /// Where the rules come from (the citation).
    pub source: String,
    /// The items' labels and questions, in item order.
    pub items: Vec<EditionItem>,
    /// How the reports name each passing path under this edition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<EditionPath>,
    /// A user's edition file (`--rules FILE`): its path and SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileRef>,
}

/// A passing path of an edition and its description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EditionPath {
    pub path: PassPath,
    pub description: JaEn,
    /// The path's minimum length (absent in evidence written before the numbers were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// The character classes the path requires (`letter`, `digit`, `symbol`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// The periodic-change path only, when it is a path under this edition: the longest
    /// enforced maximum password age that counts (days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_days: Option<i64>,
}

/// One checklist item of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EditionItem {
    /// `2-7`, `2-8`.
    pub item: String,
    pub label: JaEn,
    pub question: JaEn,
}

/// A text in Japanese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JaEn {
    pub ja: String,
    pub en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Undetermined,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Checklist {
    /// `institution` (医療機関確認用) or `vendor` (事業者確認用).
    pub managed_by: ManagedBy,
    pub title: String,
    /// The vendor (事業者名) of a per-vendor list (`vendor_checklists`); absent in the aggregate
    /// lists and in the list of vendor-managed systems whose vendor is not named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    pub systems: Vec<String>,
    pub items: Vec<Item>,
}

/// What a bundle covers (`scope`): the vendor whose systems alone it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scope {
    pub vendor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// Policy verdict (`none`: no policy source).
    pub policy: PolicyStatus,
    /// 目標日 for this system's remediation: its own `target_date` in the manifest, else the
    /// facility's (absent in evidence written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    Pass,
    Fail,
    Unverified,
    Skipped,
}

impl AccountStatus {
    /// The name in the evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Pass => "pass",
            AccountStatus::Fail => "fail",
            AccountStatus::Unverified => "unverified",
            AccountStatus::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountEvidence {
    /// One allocation per system, shared by its accounts.
    pub system: Arc<str>,
    pub account: String,
    pub source: String,
    pub scheme: Scheme,
    /// At most the first 8 characters of the stored hash; never the whole hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_prefix: Option<HashPrefix>,
    pub plaintext_known: bool,
    /// How the plaintext became known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered_by: Option<Method>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<usize>,
    pub status: AccountStatus,
    pub path: Option<PassPath>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<SkipReason>,
    pub findings: Vec<Finding>,
    pub breach: Breach,
    pub reuse_group: Option<String>,
    /// For a salted hash recovery worked on: how much was tried (boxed: few rows carry one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salted: Option<Box<SaltedWork>>,
    /// When the password was last set, `YYYY-MM-DD` or `never` (secretsdump `pwdLastSet`, shadow
    /// field 3); absent when the input does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_last_set: Option<super::PasswordSet>,
    /// The account's own settings exempt its password from expiry (shadow maximum age empty or
    /// 99999): whatever the system's policy says, rotation does not hold for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub password_never_expires: bool,
    /// An administrator or built-in privileged account (`rules::privileged`): listed first in the
    /// remediation worklist. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub privileged: bool,
}

/// What was tried against one salted hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SaltedWork {
    /// Verifications made.
    pub tries: u64,
    /// Cost of one verification, in NT-hash units (`u64::MAX` when the parameters cannot be read).
    pub cost: u64,
    /// Every candidate of kensa's salted order was tried (the budget did not cut it short).
    pub complete: bool,
    /// Why not one verification was attempted, pot-file lines included (absent when kensa could
    /// try).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SaltedSkip>,
    /// With `skipped`: the hash's cost parameters as kensa read them (`cost=20`,
    /// `rounds=999999999`, `m=4194304,t=3,p=1`), written from the numbers, never copied from the
    /// hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<String>,
}

/// Why kensa never verifies anything against a salted hash (`account.salted.skipped`; closed set).
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
pub enum SaltedSkip {
    /// One verification costs more than the budget per hash (`--salted-budget`).
    CostExceedsBudget,
    /// One verification needs more memory than kensa allows itself (1 GiB).
    MemoryExceedsLimit,
    /// The hash's cost parameters cannot be read: nothing can be verified against it.
    Malformed,
}

impl SaltedSkip {
    /// Every value, in order.
    pub const ALL: [SaltedSkip; 3] = [
        SaltedSkip::CostExceedsBudget,
        SaltedSkip::MemoryExceedsLimit,
        SaltedSkip::Malformed,
    ];

    /// The name in the evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            SaltedSkip::CostExceedsBudget => "cost_exceeds_budget",
            SaltedSkip::MemoryExceedsLimit => "memory_exceeds_limit",
            SaltedSkip::Malformed => "malformed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BreachStatus {
    Found,
    NotFound,
    Unchecked,
    Error,
}

impl BreachStatus {
    /// The name in the evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            BreachStatus::Found => "found",
            BreachStatus::NotFound => "not_found",
            BreachStatus::Unchecked => "unchecked",
            BreachStatus::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Breach {
    pub status: BreachStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Which form was looked up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Member {
    pub system: String,
    pub account: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReuseGroup {
    pub id: String,
    pub scope: ReuseScope,
    pub severity: Severity,
    /// The strongest proof among the links.
    pub evidence: Proof,
    /// Every kind of proof that links members of this group, sorted by name.
    pub proofs: Vec<Proof>,
    pub systems: Vec<String>,
    pub members: Vec<Member>,
    /// How each link between two members was proved (a spanning set of links).
    pub links: Vec<Link>,
    /// The shared password is a factory default (fails 2-⑧ on its own).
    pub default_password: bool,
    /// In a bundle (`scope`): how many accounts on systems outside it share the password (not
    /// named; `members` and `links` keep only the bundle's).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub outside_members: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Link {
    pub from: Member,
    pub to: Member,
    pub evidence: Proof,
}

/// What recovery did: how plaintexts became known and how much work it took.
#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct Recovery {
    /// Accounts whose plaintext became known, by method (in the order of the names).
    pub recovered: std::collections::BTreeMap<Method, usize>,
    pub candidates_unsalted: usize,
    pub salted_hashes: usize,
    pub salted_budget: u64,
    pub salted_verifications: u64,
    /// Salted work for the whole audit, and how much of it was spent (NT-hash units).
    #[serde(default)]
    pub salted_total: u64,
    #[serde(default)]
    pub salted_units: u64,
    pub cross_verifications: u64,
    pub potfile_lines_matched: usize,
    /// Pot-file lines whose plaintext did not verify against the hash (not trusted).
    pub potfile_lines_rejected: usize,
    /// Pot-file lines naming a hash of the audit that kensa does not verify (see
    /// `account.salted.skipped`): neither trusted nor rejected.
    #[serde(default)]
    pub potfile_lines_skipped: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct EffectivePolicy {
    pub min_length: Option<u32>,
    pub require: Vec<String>,
    pub max_age_days: Option<i64>,
    pub mfa: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Failed logins that lock an account (`0`: accounts are never locked); absent when no source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout_threshold: Option<u32>,
    /// How long a locked account stays locked; `-1` = until an administrator unlocks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout_duration_minutes: Option<i64>,
    /// Minutes after which the count of failed logins starts again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout_reset_minutes: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyEvidence {
    pub system: String,
    pub sources: Vec<String>,
    pub status: PolicyStatus,
    pub path: Option<PassPath>,
    pub effective: EffectivePolicy,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Advisory {
    pub system: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub finding: Finding,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputSummary {
    pub path: String,
    pub format: String,
    pub sha256: String,
    pub size: u64,
    pub systems: Vec<String>,
    pub records: usize,
    pub errors: usize,
    /// The character encoding the file was read in; absent when it could not be read as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
}

/// The character encoding of an input file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Shift_JIS as Windows writes it (CP932), e.g. a CSV saved by Excel in Japan.
    #[serde(rename = "shift_jis")]
    ShiftJis,
}

impl Encoding {
    /// The name written in the evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::ShiftJis => "shift_jis",
        }
    }
    /// The name used in messages (`line is not valid … text`).
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le | Encoding::Utf16Be => "UTF-16",
            Encoding::ShiftJis => "Shift_JIS",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BreachCheck {
    pub mode: BreachMode,
    pub status: BreachCheckStatus,
    pub lookups: usize,
    pub found: usize,
    pub errors: usize,
    pub dataset: String,
    /// The dataset's date (`YYYY-MM-DD`) when known: Last-Modified online, the corpus date offline.
    pub date: Option<String>,
    pub attribution: String,
    /// Present when the online lookups were given up before all were done: why, and how many
    /// lookups failed for that reason (each is also an `input_errors` entry and an account's
    /// `breach.status` = `error`, never `not_found`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gave_up: Option<BreachGaveUp>,
}

/// Why the breach lookups were given up (`breach_check.gave_up`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BreachGaveUp {
    pub reason: GiveUpReason,
    /// One sentence, with no hash or prefix: e.g. the deadline that was reached, or how many
    /// requests in a row got no answer and the last reason (timed out, connection refused).
    pub detail: String,
    /// Lookups that failed for this reason.
    pub lookups: usize,
}

/// `deadline`: the deadline for breach lookups (`--hibp-deadline`) was reached;
/// `unreachable`: the service did not answer (timeouts, refused connections, no route).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GiveUpReason {
    Deadline,
    Unreachable,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Run {
    pub started_at: String,
    pub duration_ms: u64,
    /// Network requests (online, retries included) or distinct 4 KiB pages and prefix files
    /// read (offline) that the breach lookups took.
    pub breach_requests: usize,
    /// Range bodies answered from the on-disk cache.
    pub breach_cache_hits: usize,
    /// How many days `checked_on` lies before the day of the run, when it was fixed by the
    /// manifest or `--check-date` (negative: after it). It depends on the day of the run, so it
    /// lives here and not beside `checked_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_on_days_before_run: Option<i64>,
    /// The other files of the evidence set this run wrote (md, html, csv, xlsx), each with its
    /// SHA-256 and size, sorted by path, for `kensa verify`. Here, in `run`, because those
    /// reports carry the run's times: their digests differ from one run to the next. evidence.json
    /// cannot list itself; `evidence.sha256` beside it covers it with the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ReportDigest>,
}

/// One report file of the set (`run.reports`): its name in the evidence directory, SHA-256 and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReportDigest {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// How far each part of the audit got (`completeness`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Completeness {
    /// Every input read whole, or not.
    pub inputs: Part,
    /// Finding plaintexts (wordlists, pot files, cross-verification).
    pub recovery: Part,
    /// The breach lookups.
    pub breach_check: Part,
}

impl Completeness {
    /// The three parts with their names, in the order the reports list them.
    pub fn parts(&self) -> [(PartName, &Part); 3] {
        [
            (PartName::Inputs, &self.inputs),
            (PartName::Recovery, &self.recovery),
            (PartName::BreachCheck, &self.breach_check),
        ]
    }
}

/// The parts of [`Completeness`], for the words that name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartName {
    Inputs,
    Recovery,
    BreachCheck,
}

/// One part of the audit: its status, and why when it is not complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Part {
    pub status: PartStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<PartReason>,
    /// How many: input errors, salted hashes not fully tried, failed lookups (with `reason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// The inputs not read whole (with `input_errors`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

impl Part {
    /// A complete part.
    pub fn complete() -> Part {
        Part {
            status: PartStatus::Complete,
            reason: None,
            count: None,
            files: Vec::new(),
        }
    }
    /// A part with `status` for `reason`.
    pub fn because(status: PartStatus, reason: PartReason, count: Option<u64>) -> Part {
        Part {
            status,
            reason: Some(reason),
            count,
            files: Vec::new(),
        }
    }
}

/// The rules `kensa audit` applies, recorded in evidence.json as `rules`.
pub const RULES: &str = "MHLW R7 2-7/2-8, kensa rules 1";

/// A file the audit read: the path as given and the absolute path (`kensa verify` re-reads it).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct FileRef {
    pub path: String,
    pub absolute: String,
    /// Only for the manifest (inputs carry theirs in `inputs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// The comparison with an earlier evidence.json (`--baseline`), matched by names, never by secrets.
#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct BaselineReport {
    /// The earlier evidence.json as given.
    pub path: String,
    pub checked_on: String,
    pub counts: BaselineCounts,
    pub new: Vec<BaselineEntry>,
    pub unchanged: Vec<BaselineEntry>,
    pub resolved: Vec<BaselineEntry>,
}

impl BaselineReport {
    /// Sets `counts` from the three lists (after they are made, or cut to a vendor's systems).
    pub fn recount(&mut self) {
        self.counts = BaselineCounts {
            new: self.new.len(),
            unchanged: self.unchanged.len(),
            resolved: self.resolved.len(),
            new_cross_system_reuse: self
                .new
                .iter()
                .filter(|e| e.kind == "reuse" && e.scope.as_deref() == Some("cross_system"))
                .count(),
            new_failing: self.new.iter().filter(|e| e.severity == "fail").count(),
        };
    }
}

#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, Default, PartialEq, Eq, schemars::JsonSchema,
)]
pub struct BaselineCounts {
    pub new: usize,
    pub unchanged: usize,
    pub resolved: usize,
    /// New cross-system reuse groups (what `--fail-on new-reuse` looks at).
    pub new_cross_system_reuse: usize,
    /// New findings of severity `fail` (what `--fail-on new` looks at).
    pub new_failing: usize,
}

/// One finding in the comparison: an account finding `(system, account, code)`, a policy finding
/// `(system, code)`, or a reuse group (its members).
#[derive(
    Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema,
)]
pub struct BaselineEntry {
    /// `account` | `policy` | `reuse`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Reuse groups: the group's id in the evidence it comes from (the new one, or the old one if resolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Reuse groups: `cross_system` | `same_system`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberKey>,
    /// `fail` | `warn` | `info`.
    pub severity: String,
}

/// A reuse group member as a sortable key.
#[derive(
    Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash, schemars::JsonSchema,
)]
pub struct MemberKey {
    pub system: String,
    pub account: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_prefix_keeps_at_most_eight_characters_and_round_trips_as_a_string() {
        assert_eq!(HashPrefix::of("$6$rounds=5000$abc").as_str(), "$6$round");
        assert_eq!(HashPrefix::of("8846f7ea").as_str(), "8846f7ea");
        assert_eq!(HashPrefix::of("abc").as_str(), "abc");
        assert_eq!(HashPrefix::of("").as_str(), "");
        // Characters, not bytes; cut at a character boundary within 24 bytes.
        assert_eq!(
            HashPrefix::of("ハッシュの先頭部分です").as_str(),
            "ハッシュの先頭部"
        );
        assert_eq!(HashPrefix::of("😀😀😀😀😀😀😀😀").as_str(), "😀😀😀😀😀😀");
        let json = serde_json::to_string(&HashPrefix::of("$2b$12$abcdef")).unwrap();
        assert_eq!(json, "\"$2b$12$a\"");
        let back: HashPrefix = serde_json::from_str("\"$apr1$xyzxyz\"").unwrap();
        assert_eq!(back.as_str(), "$apr1$xy");
    }

    #[test]
    fn salted_skips_serialize_as_their_names() {
        for s in SaltedSkip::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            let back: SaltedSkip = serde_json::from_value(s.as_str().into()).unwrap();
            assert_eq!(back, s);
        }
        let w: SaltedWork =
            serde_json::from_str(r#"{"tries": 0, "cost": 9, "complete": true}"#).unwrap();
        assert_eq!(
            (w.skipped, w.params),
            (None, None),
            "written before the fields existed"
        );
        let w = SaltedWork {
            tries: 0,
            cost: 1 << 40,
            complete: false,
            skipped: Some(SaltedSkip::CostExceedsBudget),
            params: Some("cost=20".into()),
        };
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"tries":0,"cost":1099511627776,"complete":false,"skipped":"cost_exceeds_budget","params":"cost=20"}"#
        );
    }

    #[test]
    fn account_rows_serialize_tags_and_shared_names_as_plain_strings() {
        let row = AccountEvidence {
            system: "ad01".into(),
            account: "sato".into(),
            source: "ntds.txt:3".into(),
            scheme: Scheme::Nt,
            hash_prefix: Some(HashPrefix::of("8846f7eaee8fb117")),
            plaintext_known: true,
            recovered_by: Some(Method::Wordlist),
            length: Some(8),
            status: AccountStatus::Fail,
            path: None,
            skip_reason: None,
            findings: Vec::new(),
            breach: Breach {
                status: BreachStatus::Found,
                count: Some(3),
                via: Some(Via::Ntlm),
            },
            reuse_group: None,
            salted: Some(Box::new(SaltedWork {
                tries: 2,
                cost: 5,
                complete: false,
                skipped: None,
                params: None,
            })),
            password_last_set: super::super::PasswordSet::on(
                chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
            ),
            password_never_expires: false,
            privileged: false,
        };
        let v = serde_json::to_value(&row).unwrap();
        assert_eq!(v["password_last_set"], "2025-10-01");
        assert!(
            v.get("password_never_expires").is_none(),
            "false is left out"
        );
        assert_eq!(v["system"], "ad01");
        assert_eq!(v["scheme"], "nt");
        assert_eq!(v["hash_prefix"], "8846f7ea");
        assert_eq!(v["recovered_by"], "wordlist");
        assert_eq!(v["breach"]["via"], "ntlm");
        assert_eq!(v["salted"]["tries"], 2);
        assert!(v["salted"].get("skipped").is_none(), "absent when tried");
        let back: AccountEvidence = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), v);
        // `never`, and rows written before these fields existed.
        let mut never = v.clone();
        never["password_last_set"] = "never".into();
        never["password_never_expires"] = true.into();
        let back: AccountEvidence = serde_json::from_value(never.clone()).unwrap();
        assert_eq!(
            back.password_last_set,
            Some(super::super::PasswordSet::Never)
        );
        assert!(back.password_never_expires);
        assert_eq!(serde_json::to_value(&back).unwrap(), never);
        let mut old = v.clone();
        old.as_object_mut().unwrap().remove("password_last_set");
        let back: AccountEvidence = serde_json::from_value(old).unwrap();
        assert_eq!(back.password_last_set, None);
        assert!(serde_json::from_value::<AccountEvidence>({
            let mut bad = v;
            bad["password_last_set"] = "1969-12-31".into();
            bad
        })
        .is_err());
    }

    #[test]
    fn evidence_json_keeps_run_last_and_reads_back() {
        let mut ev = crate::report::fixture::sample(true);
        ev.rules = RULES.into();
        ev.manifest = Some(FileRef {
            path: "kensa.toml".into(),
            absolute: "/etc/kensa.toml".into(),
            sha256: Some("00ff".into()),
            size: Some(12),
        });
        ev.baseline = Some(BaselineReport {
            path: "old/evidence.json".into(),
            ..Default::default()
        });
        for with_run in [true, false] {
            ev.run = with_run.then(|| Run {
                started_at: "2026-11-24T09:00:00+09:00".into(),
                duration_ms: 1234,
                breach_requests: 3,
                breach_cache_hits: 1,
                checked_on_days_before_run: None,
                reports: Vec::new(),
            });
            let text = serde_json::to_string_pretty(&ev).unwrap();
            let last_key = &text[text.rfind("\n  \"").unwrap()..];
            let want = if with_run {
                "\n  \"run\": {"
            } else {
                "\n  \"completeness\": {"
            };
            assert!(last_key.starts_with(want), "{last_key}");
            let back: Evidence = serde_json::from_str(&text).unwrap();
            assert_eq!(back.run.is_some(), with_run);
            assert_eq!(back.manifest, ev.manifest);
            assert_eq!(back.accounts.len(), ev.accounts.len());
        }
    }
}
