//! Plain data shared by every stage: systems, accounts, credentials, policies, findings.

pub mod evidence;
mod facts;
pub mod linux;
pub mod secret;
pub mod tags;

pub use facts::*;
pub use secret::Secret;

use serde::{Deserialize, Serialize};

/// A password hash scheme kensa can verify.
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
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Windows NT hash: MD4 over UTF-16LE, 32 hex digits.
    Nt,
    /// Windows LAN Manager hash, 32 hex digits.
    Lm,
    /// `$1$` md5crypt.
    Md5crypt,
    /// `$apr1$` Apache md5crypt variant.
    Apr1,
    /// `$5$` sha256crypt.
    Sha256crypt,
    /// `$6$` sha512crypt.
    Sha512crypt,
    /// `$2a$`, `$2b$`, `$2y$` bcrypt.
    Bcrypt,
    /// `$y$` yescrypt.
    Yescrypt,
    /// `$argon2i$`, `$argon2d$`, `$argon2id$`.
    Argon2,
    /// PBKDF2 in PHC (`$pbkdf2-sha256$`), passlib (`$pbkdf2-sha256$` ab64) or Django (`pbkdf2_sha256$`) form.
    Pbkdf2,
    /// `$scrypt$` (PHC or passlib form).
    Scrypt,
    /// LDAP `{SHA}`: unsalted SHA-1, base64.
    Sha1,
    /// LDAP `{SSHA}`: salted SHA-1, base64.
    Ssha,
    /// A plaintext credential (inventory); not a hash.
    Plaintext,
}

impl Scheme {
    /// The stable name used in evidence JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Nt => "nt",
            Scheme::Lm => "lm",
            Scheme::Md5crypt => "md5crypt",
            Scheme::Apr1 => "apr1",
            Scheme::Sha256crypt => "sha256crypt",
            Scheme::Sha512crypt => "sha512crypt",
            Scheme::Bcrypt => "bcrypt",
            Scheme::Yescrypt => "yescrypt",
            Scheme::Argon2 => "argon2",
            Scheme::Pbkdf2 => "pbkdf2",
            Scheme::Scrypt => "scrypt",
            Scheme::Sha1 => "sha1",
            Scheme::Ssha => "ssha",
            Scheme::Plaintext => "plaintext",
        }
    }
    /// Unsalted schemes: one digest per candidate serves every hash of that scheme.
    pub fn is_unsalted(self) -> bool {
        matches!(self, Scheme::Nt | Scheme::Lm | Scheme::Sha1)
    }
    /// Schemes too weak to store passwords with (fast unsalted, or md5-based).
    pub fn is_weak(self) -> bool {
        matches!(
            self,
            Scheme::Lm | Scheme::Sha1 | Scheme::Ssha | Scheme::Md5crypt | Scheme::Apr1
        )
    }
}

/// A stored hash: its scheme and its whole text (a secret: never printed whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashValue {
    pub scheme: Scheme,
    pub text: Secret,
}

/// Why an account is not audited as a person's password.
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
pub enum SkipReason {
    /// Shadow `!`/`*`/`!!`/`!$6$…`: the account cannot log in with a password.
    Locked,
    /// No password credential at all (shadow `*` on a service account, for instance).
    NoPassword,
    /// `(status=Disabled)` in a secretsdump line.
    Disabled,
    /// A machine account (`name$`): a random secret managed by the domain.
    #[serde(rename = "machine_account")]
    Machine,
    /// A password-history entry (`_history0`): an old password, not a current credential.
    #[serde(rename = "password_history")]
    History,
    /// krbtgt and similar service secrets, not a person's password.
    ServiceSecret,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Locked => "locked",
            SkipReason::NoPassword => "no_password",
            SkipReason::Disabled => "disabled",
            SkipReason::Machine => "machine_account",
            SkipReason::History => "password_history",
            SkipReason::ServiceSecret => "service_secret",
        }
    }
}

/// One account as read from an input file, before any analysis.
#[derive(Debug, Clone, Default)]
pub struct RawAccount {
    /// System id; `None` means "the system the file belongs to". Inventory rows name their own.
    pub system: Option<String>,
    pub name: String,
    /// The 1-based line where the account was read (its source is `file:line`, see
    /// [`RawAccount::source`]); kept as a number so a million accounts hold no string for it.
    pub line: usize,
    /// The main stored hash (NT for pwdump), if any.
    pub hash: Option<HashValue>,
    /// A stored LM hash (pwdump), if not the empty LM constant.
    pub lm: Option<HashValue>,
    /// A known plaintext (inventory, or a cleartext `userPassword`).
    pub plaintext: Option<Secret>,
    /// The plaintext is the credential as the system itself stores it (an LDIF `userPassword`
    /// without a hash scheme), not a list kept for the audit (an inventory's password column).
    pub plaintext_stored: bool,
    pub skip: Option<SkipReason>,
    /// Per-account two-factor flag (inventory `mfa` column).
    pub mfa: Option<bool>,
    /// Per-account maximum password age in days (shadow field 5); `Some(-1)` = never expires.
    pub max_age_days: Option<i64>,
    /// When the password was last set (secretsdump `pwdLastSet`, shadow field 3), if the input says.
    pub password_set: Option<PasswordSet>,
    /// The relative identifier of a Windows account (pwdump/secretsdump's second field): 500 is
    /// the built-in Administrator whatever it was renamed to.
    pub rid: Option<u32>,
}

impl RawAccount {
    /// `label:line`, where the account was read from the file named `label`.
    pub fn source(&self, label: &str) -> String {
        format!("{label}:{}", self.line)
    }
}

/// When an account's password was last set: a day, or never (secretsdump `pwdLastSet=never`,
/// shadow's last-change day `0`: the password must be changed at the next logon). Four bytes of
/// payload, so a million account rows carry it inline. Serializes as `YYYY-MM-DD` or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PasswordSet {
    /// Days since 1970-01-01 (shadow's own unit).
    Day(u32),
    Never,
}

impl PasswordSet {
    /// The day of a calendar date; `None` before 1970.
    pub fn on(date: chrono::NaiveDate) -> Option<PasswordSet> {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
        u32::try_from((date - epoch).num_days())
            .ok()
            .map(PasswordSet::Day)
    }
    /// The calendar date of a day; `None` for [`PasswordSet::Never`].
    pub fn date(self) -> Option<chrono::NaiveDate> {
        match self {
            PasswordSet::Day(d) => chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                .and_then(|e| e.checked_add_days(chrono::Days::new(u64::from(d)))),
            PasswordSet::Never => None,
        }
    }
}

impl Serialize for PasswordSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.date() {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_str("never"),
        }
    }
}

impl<'de> Deserialize<'de> for PasswordSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        if s == "never" {
            return Ok(PasswordSet::Never);
        }
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .ok()
            .and_then(PasswordSet::on)
            .ok_or_else(|| serde::de::Error::custom("expected YYYY-MM-DD (from 1970) or never"))
    }
}

/// In the schema: `YYYY-MM-DD` or `never`, as it serializes.
impl schemars::JsonSchema for PasswordSet {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PasswordSet".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|never)$"
        })
    }
}

/// A hashcat/john pot file kept whole (its decoded text is a secret: it holds plaintexts), walked
/// line by line by recovery instead of being split into a value per line.
#[derive(Debug, Clone)]
pub struct PotFile {
    /// The file as named in `file:line` sources.
    pub label: String,
    pub text: Secret,
}

/// Character classes a policy can require.
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
#[serde(rename_all = "lowercase")]
pub enum CharClass {
    Letter,
    Digit,
    Symbol,
    Upper,
    Lower,
}

/// What one policy source says. Unset fields are `None`; the engine merges the fragments of a system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyFragment {
    /// `file` (or `file:line`) of the source.
    pub source: String,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    /// Classes every password must contain.
    pub require: Vec<CharClass>,
    /// Windows `PasswordComplexity = 1`: 3 of 4 categories (no symbol guarantee).
    pub complexity_3of4: bool,
    /// pwquality `minclass` (of 4: upper, lower, digit, other).
    pub min_class: Option<u32>,
    /// Enforced maximum password age in days; `Some(0)` or negative = never expires.
    pub max_age_days: Option<i64>,
    pub mfa: Option<bool>,
    /// Failed logins that lock an account; `Some(0)` = accounts are never locked.
    pub lockout_threshold: Option<u32>,
    /// How long a locked account stays locked, in minutes; `Some(-1)` = until an administrator
    /// unlocks it.
    pub lockout_duration_minutes: Option<i64>,
    /// Minutes after which the count of failed logins starts again.
    pub lockout_reset_minutes: Option<u32>,
    /// What a Linux PAM source states as it stands (pwquality and faillock options), combined with
    /// the system's other Linux sources in the order PAM reads them before anything is judged
    /// (`rules::linux`). Boxed: most fragments have none.
    pub linux: Option<Box<linux::LinuxSettings>>,
}

/// The result of parsing one input file.
#[derive(Debug, Default)]
pub struct ParsedInput {
    /// How many records (non-comment lines / entries) the file held.
    pub records: usize,
    pub accounts: Vec<RawAccount>,
    pub policy: Option<PolicyFragment>,
    pub errors: Vec<InputError>,
}

/// A malformed record: `file:line` and a reason that never quotes a secret.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct InputError {
    pub source: String,
    pub message: String,
}

/// Finding severity.
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
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Fail,
    Warn,
    Info,
}

impl Severity {
    /// The name in the evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Fail => "fail",
            Severity::Warn => "warn",
            Severity::Info => "info",
        }
    }
}

/// Stable finding codes (contract §4).
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
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    EmptyPassword,
    TooShort,
    NotMixed,
    Guessable,
    DefaultPassword,
    Breached,
    NoRotation,
    RotationTooLong,
    LmHashStored,
    WeakHashScheme,
    /// The credential is stored as cleartext where the system keeps it (an LDIF `userPassword`
    /// without a hash scheme): a warning, as weak hash schemes are (rules.md makes no storage
    /// form but LM fail 2-⑦).
    PlaintextStored,
    NonAscii,
    ReusedAcrossSystems,
    ReusedWithinSystem,
    /// History shows the current password is a previous one incremented or barely changed.
    PredictableRotation,
    /// The last change is older than the enforced maximum age (or the password was never set).
    PasswordAgeExceedsPolicy,
    PolicyMinLength,
    PolicyComposition,
    PolicyRotationTooLong,
    PolicyNoRotation,
    #[serde(rename = "POLICY_MAX_LENGTH_LT64")]
    PolicyMaxLengthLt64,
    /// No policy source configures account lockout, or one turns it off (advisory; guideline 第7.0版).
    PolicyNoLockout,
    #[serde(rename = "NIST_SINGLE_FACTOR_LT15")]
    NistSingleFactorLt15,
    NistRotationDiscouraged,
    NistCompositionDiscouraged,
}

impl Code {
    /// Every code, in declaration order.
    pub const ALL: [Code; 25] = [
        Code::EmptyPassword,
        Code::TooShort,
        Code::NotMixed,
        Code::Guessable,
        Code::DefaultPassword,
        Code::Breached,
        Code::NoRotation,
        Code::RotationTooLong,
        Code::LmHashStored,
        Code::WeakHashScheme,
        Code::PlaintextStored,
        Code::NonAscii,
        Code::ReusedAcrossSystems,
        Code::ReusedWithinSystem,
        Code::PredictableRotation,
        Code::PasswordAgeExceedsPolicy,
        Code::PolicyMinLength,
        Code::PolicyComposition,
        Code::PolicyRotationTooLong,
        Code::PolicyNoRotation,
        Code::PolicyMaxLengthLt64,
        Code::PolicyNoLockout,
        Code::NistSingleFactorLt15,
        Code::NistRotationDiscouraged,
        Code::NistCompositionDiscouraged,
    ];

    /// The stable name (contract §4), as in the evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::EmptyPassword => "EMPTY_PASSWORD",
            Code::TooShort => "TOO_SHORT",
            Code::NotMixed => "NOT_MIXED",
            Code::Guessable => "GUESSABLE",
            Code::DefaultPassword => "DEFAULT_PASSWORD",
            Code::Breached => "BREACHED",
            Code::NoRotation => "NO_ROTATION",
            Code::RotationTooLong => "ROTATION_TOO_LONG",
            Code::LmHashStored => "LM_HASH_STORED",
            Code::WeakHashScheme => "WEAK_HASH_SCHEME",
            Code::PlaintextStored => "PLAINTEXT_STORED",
            Code::NonAscii => "NON_ASCII",
            Code::ReusedAcrossSystems => "REUSED_ACROSS_SYSTEMS",
            Code::ReusedWithinSystem => "REUSED_WITHIN_SYSTEM",
            Code::PredictableRotation => "PREDICTABLE_ROTATION",
            Code::PasswordAgeExceedsPolicy => "PASSWORD_AGE_EXCEEDS_POLICY",
            Code::PolicyMinLength => "POLICY_MIN_LENGTH",
            Code::PolicyComposition => "POLICY_COMPOSITION",
            Code::PolicyRotationTooLong => "POLICY_ROTATION_TOO_LONG",
            Code::PolicyNoRotation => "POLICY_NO_ROTATION",
            Code::PolicyMaxLengthLt64 => "POLICY_MAX_LENGTH_LT64",
            Code::PolicyNoLockout => "POLICY_NO_LOCKOUT",
            Code::NistSingleFactorLt15 => "NIST_SINGLE_FACTOR_LT15",
            Code::NistRotationDiscouraged => "NIST_ROTATION_DISCOURAGED",
            Code::NistCompositionDiscouraged => "NIST_COMPOSITION_DISCOURAGED",
        }
    }

    /// What a finding of this code means, in one English sentence (the reports translate it).
    pub fn description(self) -> &'static str {
        match self {
            Code::EmptyPassword => "The password is empty.",
            Code::TooShort => {
                "The password is shorter than 2-⑦ allows (8, or 13 without two-factor authentication or rotation)."
            }
            Code::NotMixed => "The password does not mix letters, digits and symbols.",
            Code::Guessable => {
                "The password is easy to guess (a common word, a name, a keyboard walk, context words)."
            }
            Code::DefaultPassword => "The password is a vendor's factory default.",
            Code::Breached => {
                "The password appears in the Pwned Passwords corpus of breached passwords."
            }
            Code::NoRotation => {
                "Below 13 characters without two-factor authentication, and no maximum password age is enforced."
            }
            Code::RotationTooLong => {
                "Below 13 characters without two-factor authentication, and the maximum age exceeds 60 days."
            }
            Code::LmHashStored => "An LM hash is stored: crackable whatever the password.",
            Code::WeakHashScheme => {
                "The password is stored with a weak hash scheme (fast unsalted or md5-based)."
            }
            Code::PlaintextStored => {
                "The password is stored as cleartext where the system keeps it."
            }
            Code::NonAscii => {
                "The password contains characters other than ASCII letters, digits and symbols."
            }
            Code::ReusedAcrossSystems => {
                "The same password is used on accounts of two or more systems (fails 2-⑧)."
            }
            Code::ReusedWithinSystem => {
                "Several accounts of one system share a password (a warning unless --strict-reuse)."
            }
            Code::PredictableRotation => {
                "The password history shows the current password is a previous one barely changed."
            }
            Code::PasswordAgeExceedsPolicy => {
                "The password was last set longer ago than the enforced maximum age, or never."
            }
            Code::PolicyMinLength => "The enforced minimum length is below what 2-⑦ requires.",
            Code::PolicyComposition => {
                "The enforced policy does not require letters, digits and symbols."
            }
            Code::PolicyRotationTooLong => {
                "The enforced maximum password age exceeds 60 days where rotation is needed."
            }
            Code::PolicyNoRotation => {
                "No maximum password age is enforced where rotation is needed."
            }
            Code::PolicyMaxLengthLt64 => {
                "The policy does not allow passwords of 64 characters (advisory)."
            }
            Code::PolicyNoLockout => {
                "No policy source configures account lockout, or one turns it off (advisory)."
            }
            Code::NistSingleFactorLt15 => {
                "Single-factor passwords shorter than 15 characters are accepted (NIST SP 800-63B, advisory)."
            }
            Code::NistRotationDiscouraged => {
                "Periodic changes are forced, which NIST SP 800-63B advises against (advisory)."
            }
            Code::NistCompositionDiscouraged => {
                "Composition rules are imposed, which NIST SP 800-63B advises against (advisory)."
            }
        }
    }
}

/// A finding: a stable code, a severity and a detail that never quotes a secret.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// In English: evidence.json's words, rendered from `facts` when the finding has them.
    pub detail: String,
    /// The facts the detail says, for rendering it in the report's language. Not serialized:
    /// every report is rendered from the audit's own findings (a baseline compares codes only),
    /// and evidence.json keeps its shape; a finding read back carries [`Facts::Text`].
    #[serde(skip)]
    pub facts: Facts,
}

impl Finding {
    pub fn new(code: Code, severity: Severity, detail: impl Into<String>) -> Self {
        Finding {
            code,
            severity,
            detail: detail.into(),
            facts: Facts::Text,
        }
    }
    pub fn fail(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, Severity::Fail, detail)
    }
    pub fn warn(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, Severity::Warn, detail)
    }
    pub fn info(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, detail)
    }
}

/// System kinds of the manifest.
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
    Default,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    #[default]
    Server,
    TerminalPc,
    NetworkDevice,
    Application,
    ExternalService,
}

/// Who answers for a system: the facility (医療機関確認用) or its vendor (事業者確認用).
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
    Default,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ManagedBy {
    #[default]
    Institution,
    Vendor,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_names_and_each_has_a_description() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            let back: Code = serde_json::from_value(c.as_str().into()).unwrap();
            assert_eq!(back, c);
            assert!(seen.insert(c), "{c:?} listed twice");
            assert!(c.description().ends_with('.'), "{c:?}");
        }
    }
}
