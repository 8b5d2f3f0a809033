//! `--baseline`: compares this audit's findings with an earlier evidence.json and marks each one
//! new, unchanged or resolved. Findings are matched by names only — (system, account, code) for
//! accounts, (system, code) for policies, the set of (system, account) members for reuse groups —
//! never by a password, a hash or a hash prefix.

use crate::error::{classify, ExitClass};
use crate::model::evidence::{BaselineEntry, BaselineReport, Evidence, MemberKey};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The parts of an evidence.json a comparison needs (read leniently, so evidence written by an
/// older kensa still compares).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Snapshot {
    #[serde(default)]
    pub schema: String,
    #[serde(default)]
    pub checked_on: String,
    #[serde(default)]
    accounts: Vec<SnapAccount>,
    #[serde(default)]
    policies: Vec<SnapPolicy>,
    #[serde(default)]
    reuse_groups: Vec<SnapGroup>,
}

/// Why `--baseline` cannot be read. Every case is a usage error: the option names a file that is
/// not an earlier evidence.json.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{}: cannot read the baseline: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the baseline is not JSON: {source}", path.display())]
    NotJson {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// `schema` is cut to 40 characters: it is whatever the file holds.
    #[error("{}: not a kensa evidence.json (schema `{schema}`)", path.display())]
    NotEvidence { path: PathBuf, schema: String },
    #[error("{}: malformed kensa evidence: {source}", path.display())]
    Malformed {
        path: PathBuf,
        source: serde_json::Error,
    },
}

classify!(BaselineError, |_e| ExitClass::Usage);

/// Read an earlier evidence.json.
pub fn load(path: &Path) -> Result<Snapshot, BaselineError> {
    let path_buf = || path.to_path_buf();
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
        path: path_buf(),
        source,
    })?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| BaselineError::NotJson {
            path: path_buf(),
            source,
        })?;
    let schema = v.get("schema").and_then(|s| s.as_str()).unwrap_or("");
    if !schema.starts_with("kensa/evidence/") {
        return Err(BaselineError::NotEvidence {
            path: path_buf(),
            schema: schema.chars().take(40).collect(),
        });
    }
    serde_json::from_value(v).map_err(|source| BaselineError::Malformed {
        path: path_buf(),
        source,
    })
}

impl Snapshot {
    /// The comparable parts of freshly made evidence.
    pub fn of(ev: &Evidence) -> Snapshot {
        serde_json::to_value(ev)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }
}

/// Compare `new` with `old` (read from `old_path`).
pub fn compare(old: &Snapshot, old_path: &str, new: &Snapshot) -> BaselineReport {
    let old_keys = entries(old);
    let new_keys = entries(new);
    let mut r = BaselineReport {
        path: old_path.to_string(),
        checked_on: old.checked_on.clone(),
        ..Default::default()
    };
    for (k, e) in &new_keys {
        if old_keys.contains_key(k) {
            r.unchanged.push(e.clone());
        } else {
            r.new.push(e.clone());
        }
    }
    for (k, e) in &old_keys {
        if !new_keys.contains_key(k) {
            r.resolved.push(e.clone());
        }
    }
    r.recount();
    r
}

/// Where a finding stands relative to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    New,
    Unchanged,
    Resolved,
}

impl State {
    /// The stable name, as the CSV's `baseline` column writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Unchanged => "unchanged",
            State::Resolved => "resolved",
        }
    }
}

/// The state of each finding of the evidence the comparison was made for: every one of them is
/// new or unchanged (the resolved ones are no longer in it), so only the new keys are kept.
#[derive(Debug, Clone, Default)]
pub struct States {
    accounts: BTreeSet<(String, String, String)>,
    policies: BTreeSet<(String, String)>,
    reuse: BTreeSet<BTreeSet<MemberKey>>,
}

impl States {
    pub fn of(r: &BaselineReport) -> States {
        let mut s = States::default();
        for e in &r.new {
            let sys = || e.system.clone().unwrap_or_default();
            let code = || e.code.clone().unwrap_or_default();
            match e.kind.as_str() {
                "account" => {
                    s.accounts
                        .insert((sys(), e.account.clone().unwrap_or_default(), code()));
                }
                "policy" => {
                    s.policies.insert((sys(), code()));
                }
                _ => {
                    s.reuse.insert(e.members.iter().cloned().collect());
                }
            }
        }
        s
    }

    fn pick(new: bool) -> State {
        if new {
            State::New
        } else {
            State::Unchanged
        }
    }

    /// The finding `code` of account `account` on `system`.
    pub fn account(&self, system: &str, account: &str, code: &str) -> State {
        // Keys are owned strings; a tuple of borrowed ones cannot look them up.
        Self::pick(self.accounts.contains(&(
            system.to_string(),
            account.to_string(),
            code.to_string(),
        )))
    }

    /// The finding `code` of the policy of `system`.
    pub fn policy(&self, system: &str, code: &str) -> State {
        Self::pick(
            self.policies
                .contains(&(system.to_string(), code.to_string())),
        )
    }

    /// The reuse group of these members (in any order).
    pub fn reuse<'m>(&self, members: impl Iterator<Item = (&'m str, &'m str)>) -> State {
        let key: BTreeSet<MemberKey> = members
            .map(|(system, account)| MemberKey {
                system: system.to_string(),
                account: account.to_string(),
            })
            .collect();
        Self::pick(self.reuse.contains(&key))
    }
}

#[derive(Debug, Clone, Deserialize)]
struct SnapFinding {
    code: String,
    #[serde(default)]
    severity: String,
}

#[derive(Debug, Clone, Deserialize)]
struct SnapAccount {
    system: String,
    account: String,
    #[serde(default)]
    findings: Vec<SnapFinding>,
}

#[derive(Debug, Clone, Deserialize)]
struct SnapPolicy {
    system: String,
    #[serde(default)]
    findings: Vec<SnapFinding>,
}

#[derive(Debug, Clone, Deserialize)]
struct SnapGroup {
    #[serde(default)]
    id: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    members: Vec<MemberKey>,
}

/// What identifies an entry across runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Account(String, String, String),
    Policy(String, String),
    Reuse(BTreeSet<MemberKey>),
}

/// Every finding of a snapshot by key (the strongest severity when a key repeats), in a stable order.
fn entries(s: &Snapshot) -> BTreeMap<Key, BaselineEntry> {
    let mut m: BTreeMap<Key, BaselineEntry> = BTreeMap::new();
    let mut put = |k: Key, e: BaselineEntry| {
        m.entry(k)
            .and_modify(|old| {
                if rank(&e.severity) > rank(&old.severity) {
                    old.severity = e.severity.clone();
                }
            })
            .or_insert(e);
    };
    for a in &s.accounts {
        for f in &a.findings {
            put(
                Key::Account(a.system.clone(), a.account.clone(), f.code.clone()),
                BaselineEntry {
                    kind: "account".into(),
                    system: Some(a.system.clone()),
                    account: Some(a.account.clone()),
                    code: Some(f.code.clone()),
                    group: None,
                    scope: None,
                    members: Vec::new(),
                    severity: f.severity.clone(),
                },
            );
        }
    }
    for p in &s.policies {
        for f in &p.findings {
            put(
                Key::Policy(p.system.clone(), f.code.clone()),
                BaselineEntry {
                    kind: "policy".into(),
                    system: Some(p.system.clone()),
                    account: None,
                    code: Some(f.code.clone()),
                    group: None,
                    scope: None,
                    members: Vec::new(),
                    severity: f.severity.clone(),
                },
            );
        }
    }
    for g in &s.reuse_groups {
        let members: BTreeSet<MemberKey> = g.members.iter().cloned().collect();
        put(
            Key::Reuse(members.clone()),
            BaselineEntry {
                kind: "reuse".into(),
                system: None,
                account: None,
                code: None,
                group: Some(g.id.clone()),
                scope: Some(g.scope.clone()),
                members: members.into_iter().collect(),
                severity: g.severity.clone(),
            },
        );
    }
    m
}

fn rank(severity: &str) -> u8 {
    match severity {
        "fail" => 3,
        "warn" => 2,
        "info" => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(v: serde_json::Value) -> Snapshot {
        serde_json::from_value(v).unwrap()
    }

    fn sample() -> serde_json::Value {
        serde_json::json!({
            "schema": "kensa/evidence/1",
            "checked_on": "2026-11-24",
            "accounts": [
                {"system": "ad01", "account": "yoshida", "hash_prefix": "aabbccdd",
                 "findings": [{"code": "TOO_SHORT", "severity": "fail", "detail": "x"}]},
                {"system": "pc-01", "account": "Administrator",
                 "findings": [{"code": "REUSED_ACROSS_SYSTEMS", "severity": "fail", "detail": "R1"}]}
            ],
            "policies": [{"system": "ad01", "findings": [{"code": "POLICY_NO_ROTATION", "severity": "fail"}]}],
            "reuse_groups": [{"id": "R1", "scope": "cross_system", "severity": "fail",
                "members": [{"system": "pc-01", "account": "Administrator"},
                            {"system": "pc-02", "account": "Administrator"}]}]
        })
    }

    #[test]
    fn same_evidence_has_nothing_new() {
        let s = snap(sample());
        let r = compare(&s, "old.json", &s);
        assert_eq!(r.counts.new, 0);
        assert_eq!(r.counts.resolved, 0);
        assert_eq!(r.counts.unchanged, 4);
        assert_eq!(r.checked_on, "2026-11-24");
    }

    #[test]
    fn new_and_resolved_by_names_not_hashes() {
        let old = snap(sample());
        let mut v = sample();
        // Same finding, different hash prefix and detail: unchanged.
        v["accounts"][0]["hash_prefix"] = "11223344".into();
        v["accounts"][0]["findings"][0]["detail"] = "y".into();
        // The reuse group gains a member: a different group (new), the old one resolved.
        v["reuse_groups"][0]["members"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"system": "ad01", "account": "Administrator"}));
        v["reuse_groups"][0]["id"] = "R7".into();
        // The policy finding is gone.
        v["policies"][0]["findings"] = serde_json::json!([]);
        let r = compare(&old, "old.json", &snap(v));
        assert_eq!(r.counts.new, 1);
        assert_eq!(r.new[0].kind, "reuse");
        assert_eq!(r.new[0].group.as_deref(), Some("R7"));
        assert_eq!(r.counts.new_cross_system_reuse, 1);
        assert_eq!(r.counts.new_failing, 1);
        let resolved: Vec<&str> = r.resolved.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(resolved, ["policy", "reuse"]);
        assert_eq!(r.resolved[1].group.as_deref(), Some("R1"));
        assert_eq!(r.counts.unchanged, 2);
    }

    #[test]
    fn reuse_groups_match_whatever_the_member_order() {
        let old = snap(sample());
        let mut v = sample();
        v["reuse_groups"][0]["members"]
            .as_array_mut()
            .unwrap()
            .reverse();
        v["reuse_groups"][0]["id"] = "R2".into();
        assert_eq!(compare(&old, "o", &snap(v)).counts.new, 0);
    }

    #[test]
    fn states_name_each_current_finding_new_or_unchanged() {
        let old = snap(sample());
        let mut v = sample();
        v["accounts"][0]["findings"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"code": "BREACHED", "severity": "fail"}));
        v["policies"][0]["findings"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"code": "POLICY_MIN_LENGTH", "severity": "fail"}));
        v["reuse_groups"][0]["members"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"system": "ad01", "account": "Administrator"}));
        let s = States::of(&compare(&old, "o", &snap(v)));
        assert_eq!(s.account("ad01", "yoshida", "TOO_SHORT"), State::Unchanged);
        assert_eq!(s.account("ad01", "yoshida", "BREACHED"), State::New);
        // The key is the whole triple: the same code on another account is not new.
        assert_eq!(s.account("ad01", "suzuki", "BREACHED"), State::Unchanged);
        assert_eq!(s.policy("ad01", "POLICY_NO_ROTATION"), State::Unchanged);
        assert_eq!(s.policy("ad01", "POLICY_MIN_LENGTH"), State::New);
        let grown = [
            ("pc-02", "Administrator"),
            ("ad01", "Administrator"),
            ("pc-01", "Administrator"),
        ];
        assert_eq!(s.reuse(grown.into_iter()), State::New);
        assert_eq!(s.reuse(grown[..1].iter().copied()), State::Unchanged);
        assert_eq!(State::Resolved.as_str(), "resolved");
    }

    #[test]
    fn load_rejects_non_kensa_json() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        std::fs::write(&p, r#"{"schema": "other/1"}"#).unwrap();
        let e = load(&p).unwrap_err();
        assert!(e.to_string().contains("not a kensa evidence"));
        assert_eq!(crate::error::Classify::class(&e), ExitClass::Usage);
        std::fs::write(&p, "not json").unwrap();
        assert!(load(&p).unwrap_err().to_string().contains("not JSON"));
        assert!(load(&dir.path().join("missing.json")).is_err());
        std::fs::write(&p, sample().to_string()).unwrap();
        assert_eq!(load(&p).unwrap().checked_on, "2026-11-24");
    }
}
