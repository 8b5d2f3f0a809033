//! Checklist editions as data: every threshold and passing path of 2-⑦, the lockout expectation,
//! the items' labels and questions and the source citation live in an edition file
//! (`editions/R7.toml`, `editions/R8.toml`, embedded; or a user's own with `--rules FILE`), so a
//! new edition is a new file, not new code.

use crate::error::{classify, ExitClass};
use crate::model::evidence::{EditionItem, EditionPath, EditionRules, FileRef, JaEn};
use crate::model::tags::PassPath;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The editions built into kensa, oldest first.
pub const KNOWN: [&str; 2] = ["R7", "R8"];
/// The edition of a manifest that names none.
pub const DEFAULT: &str = "R7";

const R7: &str = include_str!("editions/R7.toml");
const R8: &str = include_str!("editions/R8.toml");

/// A character class a path can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Letter,
    Digit,
    Symbol,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Letter => "letter",
            Class::Digit => "digit",
            Class::Symbol => "symbol",
        }
    }
}

/// A passing path: the shortest length and the classes that must all be present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathRule {
    pub min_length: usize,
    pub classes: Vec<Class>,
    /// As the reports name the path.
    pub description: JaEn,
}

/// The periodic-change path (R7's b.), and whether it is a path at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationRule {
    /// `false`: rotation no longer lets a shorter password pass (R8).
    pub path: bool,
    pub min_length: usize,
    pub classes: Vec<Class>,
    /// The longest enforced maximum password age that counts (days).
    pub max_age_days: i64,
    pub description: JaEn,
}

/// A PIN unlocking the second factor (an IC card, a certificate) on a `pin_exempt` system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinRule {
    /// `0`: exempt from length (R7); otherwise its shortest length (R8: 4).
    pub min_length: usize,
    pub description: JaEn,
}

/// Item 2-⑦: the three paths and the PIN rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Password {
    /// Without two-factor authentication or rotation (R7 a., 13+).
    pub long: PathRule,
    /// With two-factor authentication (R7 c., 8+).
    pub mfa: PathRule,
    pub rotation: RotationRule,
    pub pin: PinRule,
}

/// Account lockout after failed logins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lockout {
    /// `true`: a policy without lockout is a warning finding (R8); `false`: an advisory (R7).
    pub expected: bool,
}

/// The label and question of one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemText {
    pub label: JaEn,
    pub question: JaEn,
}

/// Items 2-⑦ and 2-⑧.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Items {
    #[serde(rename = "2-7")]
    pub seven: ItemText,
    #[serde(rename = "2-8")]
    pub eight: ItemText,
}

/// One edition of the rules (the TOML format of `editions/*.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub id: String,
    pub provisional: bool,
    pub source: String,
    pub name: JaEn,
    pub password: Password,
    pub lockout: Lockout,
    pub items: Items,
    /// Set when read from a user's file (`--rules`); never part of the file itself.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileRef>,
}

/// Why an edition cannot be used: always a usage error (the audit has not begun).
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    #[error("unknown edition `{name}`; known editions: {}", KNOWN.join(", "))]
    Unknown { name: String },
    #[error("{}: cannot read the edition file: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}{}: invalid edition file: {reason}", path.display(), line.map(|n| format!(":{n}")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        reason: String,
    },
}

classify!(EditionError, |_e| ExitClass::Usage);

impl Edition {
    /// A built-in edition by id (`R7`, `R8`).
    pub fn builtin(id: &str) -> Option<&'static Edition> {
        static EDITIONS: OnceLock<Vec<Edition>> = OnceLock::new();
        let all = EDITIONS.get_or_init(|| {
            [R7, R8]
                .iter()
                .map(|t| parse(t).expect("the embedded editions parse"))
                .collect()
        });
        all.iter().find(|e| e.id == id)
    }

    /// A built-in edition by id, or the usage error listing the known ones.
    pub fn named(id: &str) -> Result<&'static Edition, EditionError> {
        Self::builtin(id).ok_or_else(|| EditionError::Unknown { name: id.into() })
    }

    /// Read a user's edition file: the embedded format, strictly (every key required, no unknown
    /// key; errors name the file and line). Its id must not be a built-in one, so evidence that
    /// says `R7` or `R8` always means kensa's own rules; its path and SHA-256 are kept.
    pub fn load(path: &Path) -> Result<Edition, EditionError> {
        let bytes = std::fs::read(path).map_err(|source| EditionError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |line, reason| EditionError::Invalid {
            path: path.to_path_buf(),
            line,
            reason,
        };
        let text = std::str::from_utf8(&bytes).map_err(|e| invalid(None, e.to_string()))?;
        let mut e = parse(text).map_err(|(line, reason)| invalid(line, reason))?;
        if KNOWN.contains(&e.id.as_str()) || e.id.trim().is_empty() {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("id"))
                .map(|n| n + 1);
            return Err(invalid(
                line,
                format!(
                    "id `{}` must be a name of its own, not empty and not one of kensa's editions ({})",
                    e.id,
                    KNOWN.join(", ")
                ),
            ));
        }
        e.file = Some(FileRef {
            path: path.display().to_string(),
            absolute: std::path::absolute(path)
                .unwrap_or_else(|_| path.to_path_buf())
                .display()
                .to_string(),
            sha256: Some(hex::encode(Sha256::digest(&bytes))),
            size: Some(bytes.len() as u64),
        });
        Ok(e)
    }

    /// The edition in force: `--rules FILE`, else `--edition E`, else `None` (the manifest's).
    pub fn choose(
        edition: Option<&str>,
        rules: Option<&Path>,
    ) -> Result<Option<Edition>, EditionError> {
        match (rules, edition) {
            (Some(p), _) => Self::load(p).map(Some),
            (None, Some(id)) => Self::named(id).map(|e| Some(e.clone())),
            (None, None) => Ok(None),
        }
    }

    /// Like [`Edition::choose`], R7 when neither is given (commands without a manifest).
    pub fn choose_or_default(
        edition: Option<&str>,
        rules: Option<&Path>,
    ) -> Result<Edition, EditionError> {
        Ok(Self::choose(edition, rules)?
            .unwrap_or_else(|| Self::named(DEFAULT).expect("R7").clone()))
    }

    /// The text of a built-in edition file.
    pub fn builtin_text(id: &str) -> Option<&'static str> {
        match id {
            "R7" => Some(R7),
            "R8" => Some(R8),
            _ => None,
        }
    }

    /// Does an enforced maximum age make the rotation path hold? Never when rotation is no path.
    pub fn rotation_holds(&self, max_age_days: Option<i64>) -> bool {
        let r = &self.password.rotation;
        r.path && matches!(max_age_days, Some(d) if d > 0 && d <= r.max_age_days)
    }

    /// The paths in the order they are tried (13+, two-factor, rotation), each with whether its
    /// condition holds for a system with `mfa` and an enforced `max_age_days`.
    pub fn paths(&self, mfa: bool, max_age_days: Option<i64>) -> [Way<'_>; 3] {
        let p = &self.password;
        [
            Way {
                path: PassPath::Len13,
                min_length: p.long.min_length,
                classes: &p.long.classes,
                holds: true,
            },
            Way {
                path: PassPath::Len8Mfa,
                min_length: p.mfa.min_length,
                classes: &p.mfa.classes,
                holds: mfa,
            },
            Way {
                path: PassPath::Len8Rotation,
                min_length: p.rotation.min_length,
                classes: &p.rotation.classes,
                holds: self.rotation_holds(max_age_days),
            },
        ]
    }

    /// The shortest length any path accepts: below it a password always fails.
    pub fn floor(&self) -> usize {
        let p = &self.password;
        let mut floor = p.long.min_length.min(p.mfa.min_length);
        if p.rotation.path {
            floor = floor.min(p.rotation.min_length);
        }
        floor
    }

    /// The label and question of an item (`2-7`, `2-8`).
    pub fn item(&self, item: &str) -> Option<&ItemText> {
        match item {
            "2-7" => Some(&self.items.seven),
            "2-8" => Some(&self.items.eight),
            _ => None,
        }
    }

    /// The evidence's record of this edition.
    pub fn to_evidence(&self) -> EditionRules {
        let item = |id: &str, t: &ItemText| EditionItem {
            item: id.into(),
            label: t.label.clone(),
            question: t.question.clone(),
        };
        EditionRules {
            id: self.id.clone(),
            name: self.name.clone(),
            provisional: self.provisional,
            source: self.source.clone(),
            items: vec![
                item("2-7", &self.items.seven),
                item("2-8", &self.items.eight),
            ],
            paths: {
                let p = &self.password;
                let r = &p.rotation;
                let names = |c: &[Class]| c.iter().map(|c| c.as_str().to_string()).collect();
                vec![
                    EditionPath {
                        path: PassPath::Len13,
                        description: p.long.description.clone(),
                        min_length: Some(p.long.min_length),
                        classes: names(&p.long.classes),
                        max_age_days: None,
                    },
                    EditionPath {
                        path: PassPath::Len8Mfa,
                        description: p.mfa.description.clone(),
                        min_length: Some(p.mfa.min_length),
                        classes: names(&p.mfa.classes),
                        max_age_days: None,
                    },
                    EditionPath {
                        path: PassPath::Len8Rotation,
                        description: r.description.clone(),
                        min_length: Some(r.min_length),
                        classes: names(&r.classes),
                        max_age_days: r.path.then_some(r.max_age_days),
                    },
                    EditionPath {
                        path: PassPath::PinExempt,
                        description: p.pin.description.clone(),
                        min_length: None,
                        classes: Vec::new(),
                        max_age_days: None,
                    },
                ]
            },
            file: self.file.clone(),
        }
    }
}

/// One passing path as an edition defines it, and whether its condition holds here.
#[derive(Debug, Clone, Copy)]
pub struct Way<'a> {
    pub path: PassPath,
    pub min_length: usize,
    pub classes: &'a [Class],
    /// Two-factor authentication for `8+mfa`, rotation within the maximum for `8+rotation`.
    pub holds: bool,
}

impl Way<'_> {
    /// Does a password (or a policy's minimum) of `len` with `has` classes take this path?
    pub fn takes(&self, len: usize, has: impl Fn(Class) -> bool) -> bool {
        self.holds && len >= self.min_length && self.classes.iter().all(|c| has(*c))
    }
}

/// The classes as a set of the facts of a detail.
pub fn class_set<'a>(classes: impl Iterator<Item = &'a Class>) -> crate::model::Classes {
    classes.fold(crate::model::Classes::default(), |set, c| {
        set.with(match c {
            Class::Letter => crate::model::Classes::LETTER,
            Class::Digit => crate::model::Classes::DIGIT,
            Class::Symbol => crate::model::Classes::SYMBOL,
        })
    })
}

/// Parse edition text; an error carries the 1-based line the parser points at.
fn parse(text: &str) -> Result<Edition, (Option<usize>, String)> {
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    toml::from_str(text)
        .map_err(|e: toml::de::Error| (e.span().map(|s| line_of(s.start)), e.message().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_editions_hold_the_rules_md_numbers() {
        let r7 = Edition::builtin("R7").unwrap();
        assert!(!r7.provisional);
        assert_eq!(r7.password.long.min_length, 13);
        assert_eq!(r7.password.mfa.min_length, 8);
        assert!(r7.password.rotation.path);
        assert_eq!(r7.password.rotation.max_age_days, 60);
        assert_eq!(r7.password.pin.min_length, 0);
        assert!(!r7.lockout.expected);
        assert_eq!(r7.floor(), 8);
        assert_eq!(r7.items.seven.label.ja, "令和7年度版 2-⑦");
        assert!(r7.rotation_holds(Some(60)) && !r7.rotation_holds(Some(61)));
        assert!(!r7.rotation_holds(Some(0)) && !r7.rotation_holds(None));
        let r8 = Edition::builtin("R8").unwrap();
        assert!(r8.provisional);
        assert!(r8.source.contains("第7.0版") && r8.source.contains("14.1.1"));
        assert!(!r8.password.rotation.path);
        assert!(!r8.rotation_holds(Some(30)));
        assert_eq!(r8.password.long.classes, [Class::Letter, Class::Digit]);
        assert_eq!(r8.password.pin.min_length, 4);
        assert!(r8.lockout.expected);
        assert_eq!(r8.items.eight.label.ja, "令和8年度版 2-⑧");
        for id in KNOWN {
            assert_eq!(Edition::builtin(id).unwrap().id, id);
            assert!(Edition::builtin_text(id).is_some());
        }
        let e = Edition::named("R6").unwrap_err().to_string();
        assert_eq!(e, "unknown edition `R6`; known editions: R7, R8");
    }

    #[test]
    fn r7_words_its_paths_as_the_reports_always_did() {
        use crate::words::{pass_path, pass_path_in, Lang};
        let r7 = Edition::builtin("R7").unwrap().to_evidence();
        let r8 = Edition::builtin("R8").unwrap().to_evidence();
        for p in [
            PassPath::Len13,
            PassPath::Len8Mfa,
            PassPath::Len8Rotation,
            PassPath::PinExempt,
            PassPath::Policy,
        ] {
            for lang in [Lang::Ja, Lang::En] {
                assert_eq!(pass_path_in(lang, p, Some(&r7)), pass_path(lang, p));
            }
        }
        // R8 does not ask for symbols: its 13+ path must not say "mixed" in R7's sense.
        assert_eq!(
            pass_path_in(Lang::Ja, PassPath::Len13, Some(&r8)),
            "13文字以上・英字と数字の混在・推定困難"
        );
    }

    fn user_file(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("rules.toml");
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn a_user_file_is_read_strictly_and_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let own = R8
            .replace("id = \"R8\"", "id = \"R8-draft\"")
            .replace("min_length = 13", "min_length = 12");
        let p = user_file(dir.path(), &own);
        let e = Edition::load(&p).unwrap();
        assert_eq!(e.id, "R8-draft");
        assert_eq!(e.password.long.min_length, 12);
        let f = e.file.as_ref().unwrap();
        assert_eq!(f.path, p.display().to_string());
        assert_eq!(
            f.sha256.as_deref(),
            Some(hex::encode(Sha256::digest(own.as_bytes())).as_str())
        );
        assert_eq!(e.to_evidence().file.as_ref(), Some(f));

        // Its id may not shadow a built-in edition.
        let p = user_file(dir.path(), R7);
        let err = Edition::load(&p).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}:4: invalid edition file: id `R7`", p.display())),
            "{err}"
        );
        // An unknown key, a missing key: file and line.
        let typo = own.replace("[lockout]\nexpected", "[lockout]\nexpectd");
        let p = user_file(dir.path(), &typo);
        let err = Edition::load(&p).unwrap_err();
        let line = typo.lines().position(|l| l.starts_with("expectd")).unwrap() + 1;
        assert!(
            err.to_string()
                .starts_with(&format!("{}:{line}: ", p.display())),
            "{err}"
        );
        assert_eq!(
            crate::error::Classify::class(&err),
            crate::error::ExitClass::Usage
        );
        let missing = own.replace("provisional = true\n", "");
        let p = user_file(dir.path(), &missing);
        let err = Edition::load(&p).unwrap_err().to_string();
        assert!(err.contains("provisional"), "{err}");
        assert!(err.starts_with(&format!("{}:", p.display())), "{err}");
    }
}
