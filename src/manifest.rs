//! The audit manifest (contract §2): facility, dates, context words, systems and their input files.

use crate::error::{classify, ExitClass};
use crate::model::{ManagedBy, SystemKind};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The manifest as written in TOML.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub facility: String,
    #[serde(default)]
    pub edition: Option<String>,
    #[serde(default)]
    pub checked_on: Option<String>,
    #[serde(default)]
    pub target_date: Option<String>,
    #[serde(default)]
    pub context_words: Vec<String>,
    /// Files spanning several systems (inventories, pot files).
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default, rename = "system")]
    pub systems: Vec<SystemDef>,
}

/// One `[[system]]` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemDef {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: SystemKind,
    #[serde(default)]
    pub managed_by: ManagedBy,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub mfa: bool,
    #[serde(default)]
    pub rotation_days: Option<i64>,
    /// Passwords on this system are PINs that unlock an IC card or certificate (exempt, rules.md 2-⑦ c).
    #[serde(default)]
    pub pin_exempt: bool,
    #[serde(default)]
    pub inputs: Vec<String>,
    /// 目標日 for this system's remediation (`YYYY-MM-DD`); the facility's `target_date` when absent.
    #[serde(default)]
    pub target_date: Option<String>,
    /// Accounts of this system to treat as privileged besides the built-in administrators
    /// (`rules::privileged`), e.g. a backup service account.
    #[serde(default)]
    pub privileged_accounts: Vec<String>,
}

/// Why a manifest or a date in it cannot be used. Every case is a usage error: the audit has not
/// begun and nothing was read yet.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{}: cannot read manifest: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `line` is the 1-based line of the value at fault, when the parser knows it.
    #[error("{}{}: invalid manifest: {reason}", path.display(), line.map(|n| format!(":{n}")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        reason: String,
    },
    #[error("`{0}` is not a date of the form YYYY-MM-DD")]
    Date(String),
}

classify!(ManifestError, |_e| ExitClass::Usage);

/// The values the manifest's own checks judge, with their places in the file.
#[derive(Deserialize)]
struct Positions {
    #[serde(default)]
    edition: Option<toml::Spanned<String>>,
    #[serde(default)]
    checked_on: Option<toml::Spanned<String>>,
    #[serde(default)]
    target_date: Option<toml::Spanned<String>>,
    #[serde(default, rename = "system")]
    systems: Vec<SystemPosition>,
}

#[derive(Deserialize)]
struct SystemPosition {
    id: toml::Spanned<String>,
    #[serde(default)]
    target_date: Option<toml::Spanned<String>>,
}

impl Positions {
    fn validate(&self) -> Result<(), (std::ops::Range<usize>, String)> {
        let mut seen = std::collections::BTreeSet::new();
        for s in &self.systems {
            let id = s.id.get_ref();
            if id.trim().is_empty() {
                return Err((s.id.span(), "a [[system]] has an empty id".into()));
            }
            if !seen.insert(id.as_str()) {
                return Err((s.id.span(), format!("system id `{id}` is used twice")));
            }
        }
        if let Some(e) = &self.edition {
            // R6's items were numbered otherwise: an edition kensa does not know is refused, not
            // printed as if its rules were applied.
            crate::rules::edition::Edition::named(e.get_ref())
                .map_err(|err| (e.span(), err.to_string()))?;
        }
        let systems = self.systems.iter().map(|s| &s.target_date);
        for d in [&self.checked_on, &self.target_date]
            .into_iter()
            .chain(systems)
            .flatten()
        {
            parse_date(d.get_ref()).map_err(|e| (d.span(), e.to_string()))?;
        }
        Ok(())
    }
}

impl Manifest {
    /// Read and validate a manifest. Errors name the file and the line of the offending value.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        Self::load_text(path).map(|(m, _)| m)
    }

    /// Like [`Manifest::load`], also giving the text parsed: the audit records its digest, so
    /// the recorded SHA-256 is that of the bytes the audit read.
    pub fn load_text(path: &Path) -> Result<(Manifest, String), ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let m = Self::parse(&text).map_err(|(line, reason)| ManifestError::Invalid {
            path: path.to_path_buf(),
            line,
            reason,
        })?;
        Ok((m, text))
    }

    /// Parse and validate manifest text; an error carries the 1-based line of the value at fault.
    fn parse(text: &str) -> Result<Manifest, (Option<usize>, String)> {
        let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
        let toml_err =
            |e: toml::de::Error| (e.span().map(|s| line_of(s.start)), e.message().to_string());
        let m: Manifest = toml::from_str(text).map_err(toml_err)?;
        // A second, span-keeping read of the values `validate` judges, so its errors name a line.
        let at: Positions = toml::from_str(text).map_err(toml_err)?;
        at.validate()
            .map_err(|(span, e)| (Some(line_of(span.start)), e))?;
        Ok(m)
    }

    /// Resolve a manifest-relative path.
    pub fn resolve(manifest: &Path, input: &str) -> PathBuf {
        let p = Path::new(input);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            manifest.parent().unwrap_or(Path::new(".")).join(p)
        }
    }
}

/// Parse `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, ManifestError> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ManifestError::Date(s.to_string()))
}

/// A 確認日 fixed in the manifest more than this many days before the run is warned about: a
/// scheduled job would otherwise stamp an old date on every run's evidence.
pub const STALE_CHECKED_ON_DAYS: i64 = 30;

/// How many days `checked_on` lies before `today` (both `YYYY-MM-DD`; negative when after).
pub fn days_before(checked_on: &str, today: &str) -> Option<i64> {
    let c = parse_date(checked_on).ok()?;
    let t = parse_date(today).ok()?;
    Some((t - c).num_days())
}

/// 31 March that ends the Japanese fiscal year (April–March) containing `day`.
pub fn fiscal_year_end(day: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let year = if day.month() >= 4 {
        day.year() + 1
    } else {
        day.year()
    };
    chrono::NaiveDate::from_ymd_opt(year, 3, 31).expect("31 March exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_year_end_is_next_march_from_april() {
        let d = |s| parse_date(s).unwrap();
        assert_eq!(fiscal_year_end(d("2026-11-24")), d("2027-03-31"));
        assert_eq!(fiscal_year_end(d("2027-03-31")), d("2027-03-31"));
        assert_eq!(fiscal_year_end(d("2027-04-01")), d("2028-03-31"));
    }

    #[test]
    fn validation_errors_name_the_line_of_the_value() {
        let (line, e) =
            Manifest::parse("facility = \"x\"\n\nchecked_on = \"2026-13-01\"\n").unwrap_err();
        assert_eq!(line, Some(3));
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let (line, _) =
            Manifest::parse("target_date = \"2027-03-31\"\n[[system]]\nname = \"a\"\nid = \" \"\n")
                .unwrap_err();
        assert_eq!(line, Some(4));
        let (line, e) = Manifest::parse("[[system]]\nname = \"a\"\n").unwrap_err();
        assert_eq!(line, Some(1), "{e}");
        assert!(Manifest::parse("checked_on = \"2026-11-30\"\n[[system]]\nid = \"a\"\n").is_ok());
    }

    #[test]
    fn load_errors_keep_their_message_and_are_usage_errors() {
        use crate::error::Classify;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.toml");
        std::fs::write(&p, "facility = \"x\"\nchecked_on = \"2026-13-01\"\n").unwrap();
        let e = Manifest::load(&p).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}:2: invalid manifest: `2026-13-01` is not a date of the form YYYY-MM-DD",
                p.display()
            )
        );
        assert_eq!(e.class(), ExitClass::Usage);
        std::fs::write(&p, "facility = ").unwrap();
        let e = Manifest::load(&p).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("{}:1: invalid manifest: ", p.display())),
            "{e}"
        );
        let missing = dir.path().join("none.toml");
        let e = Manifest::load(&missing).unwrap_err();
        assert!(e
            .to_string()
            .starts_with(&format!("{}: cannot read manifest: ", missing.display())));
        assert_eq!(e.class(), ExitClass::Usage);
    }

    #[test]
    fn only_known_editions_are_accepted() {
        for bad in ["R6", "foo", "r7", ""] {
            let (line, e) =
                Manifest::parse(&format!("facility = \"x\"\nedition = \"{bad}\"\n")).unwrap_err();
            assert_eq!(line, Some(2), "{bad}");
            assert!(e.contains(&format!("unknown edition `{bad}`")), "{e}");
            assert!(e.contains("known editions: R7, R8"), "{e}");
        }
        for good in ["R7", "R8"] {
            let m = Manifest::parse(&format!("edition = \"{good}\"\n")).unwrap();
            assert_eq!(m.edition.as_deref(), Some(good));
        }
    }

    #[test]
    fn unknown_keys_and_duplicate_ids_are_errors() {
        assert!(toml::from_str::<Manifest>("facilty = \"x\"").is_err());
        let (line, e) =
            Manifest::parse("[[system]]\nid = \"a\"\n[[system]]\nid = \"a\"\n").unwrap_err();
        assert_eq!(line, Some(4));
        assert!(e.contains("twice"), "{e}");
        let m: Manifest = toml::from_str(
            "facility = \"コロ病院\"\n[[system]]\nid = \"ad01\"\nkind = \"network_device\"\nmanaged_by = \"vendor\"\nmfa = true\nrotation_days = 42\ninputs = [\"a.txt\"]\n",
        )
        .unwrap();
        assert_eq!(m.systems[0].kind, SystemKind::NetworkDevice);
        assert_eq!(m.systems[0].managed_by, ManagedBy::Vendor);
    }

    #[test]
    fn a_system_has_its_own_target_date_and_privileged_accounts() {
        let m = Manifest::parse(
            "target_date = \"2027-03-31\"\n[[system]]\nid = \"net\"\ntarget_date = \"2026-12-31\"\nprivileged_accounts = [\"svc-backup\"]\n[[system]]\nid = \"pc\"\n",
        )
        .unwrap();
        assert_eq!(m.systems[0].target_date.as_deref(), Some("2026-12-31"));
        assert_eq!(m.systems[0].privileged_accounts, ["svc-backup"]);
        assert_eq!(m.systems[1].target_date, None);
        assert!(m.systems[1].privileged_accounts.is_empty());
        // A bad date names its line, as the facility's does.
        let (line, e) = Manifest::parse(
            "facility = \"x\"\n[[system]]\nid = \"net\"\ntarget_date = \"2026-13-01\"\n",
        )
        .unwrap_err();
        assert_eq!(line, Some(4));
        assert!(e.contains("2026-13-01"), "{e}");
    }
}
