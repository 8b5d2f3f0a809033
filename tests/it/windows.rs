//! Windows sources end to end on tests/fixtures/windows (made by generate.py there with impacket):
//! a directory of per-PC SAM dumps from impacket and Metasploit (one system per file, the shared
//! local Administrator found across them), a secretsdump NTDS dump with `pwdLastSet` and `status`
//! suffixes judged for password age at the check date, and `net accounts` output in English and
//! Japanese as a policy source.

use crate::support::{account, account_json, evidence_json, fixtures, item, kensa, name};
use kensa::model::evidence::{AccountEvidence, AccountStatus, Answer, Evidence};
use kensa::model::{Code, Severity};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::process::Output;

fn fixture(name: &str) -> String {
    fixtures("windows")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Run an audit into a fresh directory; returns (output, evidence, dir).
fn audit(args: &[&str]) -> (Output, Evidence, tempfile::TempDir) {
    let mut a = vec!["--hibp", "off", "--salted-budget", "1000000"];
    a.extend_from_slice(args);
    crate::support::audit(&a)
}

/// (code, severity) of every finding of an account.
fn findings(a: &AccountEvidence) -> BTreeSet<(Code, Severity)> {
    a.findings.iter().map(|f| (f.code, f.severity)).collect()
}

fn age(severity: Severity) -> (Code, Severity) {
    (Code::PasswordAgeExceedsPolicy, severity)
}

#[test]
fn a_directory_of_sam_dumps_is_one_system_per_pc_and_finds_the_shared_administrator() {
    let pcs = fixture("pcs");
    let (o, ev, _dir) = audit(&[&pcs]);
    assert!(ev.complete, "{:?}", ev.input_errors);
    assert_eq!(o.status.code(), Some(1), "cross-system reuse fails 2-⑧");
    let systems: Vec<&str> = ev.systems.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(systems, ["pc-01", "pc-02", "pc-03"]);
    // One input per file, each read as pwdump (impacket, Meterpreter, smart_hashdump).
    let inputs: Vec<(&str, &str, Vec<String>)> = ev
        .inputs
        .iter()
        .map(|i| {
            (
                i.path.rsplit('/').next().unwrap(),
                i.format.as_str(),
                i.systems.clone(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            ("pc-01.txt", "pwdump", vec!["pc-01".to_string()]),
            ("pc-02.txt", "pwdump", vec!["pc-02".to_string()]),
            ("pc-03.txt", "pwdump", vec!["pc-03".to_string()]),
        ]
    );
    // The local Administrator of pc-01 and pc-02 shares one password: a cross-system group.
    let admin_group = ev
        .reuse_groups
        .iter()
        .find(|g| {
            g.members
                .iter()
                .any(|m| m.system == "pc-01" && m.account == "Administrator")
        })
        .expect("a group with pc-01's Administrator");
    let members: Vec<(String, String)> = admin_group
        .members
        .iter()
        .map(|m| (m.system.clone(), m.account.clone()))
        .collect();
    assert_eq!(
        members,
        [
            ("pc-01".to_string(), "Administrator".to_string()),
            ("pc-02".to_string(), "Administrator".to_string())
        ]
    );
    assert_eq!(name(&admin_group.scope), "cross_system");
    assert_eq!(name(&admin_group.evidence), "identical_unsalted_hash");
    assert_eq!(item(&ev, "2-8").answer, Answer::No);
    // pc-03's Administrator is not in it; its accounts came from smart_hashdump's `[+]` lines.
    let pc03 = account(&ev, "pc-03", "Administrator");
    assert_ne!(pc03.reuse_group.as_ref(), Some(&admin_group.id));
    account(&ev, "pc-03", "nurse02");
    // impacket's SAM suffixes: disabled accounts are skipped, the last change is kept.
    let guest = account(&ev, "pc-01", "Guest");
    assert_eq!(guest.status, AccountStatus::Skipped);
    assert_eq!(name(&guest.skip_reason), "disabled");
    assert_eq!(name(&guest.password_last_set), "never");
    assert_eq!(
        name(&account(&ev, "pc-01", "Administrator").password_last_set),
        "2019-04-01"
    );
    // Not known: the key is left out of the row.
    let json = evidence_json(&_dir.path().join("report"));
    assert!(account_json(&json, "pc-02", "Administrator")
        .get("password_last_set")
        .is_none());
}

#[test]
fn secretsdump_pwd_last_set_and_status_decide_password_age_at_the_check_date() {
    let manifest = fixture("audit.toml");
    let pot = fixture("cracked.potfile");
    let (o, ev, _dir) = audit(&["--manifest", &manifest, "--potfile", &pot]);
    assert!(ev.complete, "{:?}", ev.input_errors);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(ev.checked_on, "2026-11-24");
    // The policy: length and maximum age from `net accounts`, composition from the TOML.
    let pol = &ev.policies[0];
    assert_eq!(pol.system, "ad01");
    assert_eq!(pol.effective.min_length, Some(8));
    assert_eq!(pol.effective.max_age_days, Some(42));
    assert_eq!(name(&pol.status), "pass");
    assert_eq!(name(&pol.path), "8+rotation");
    assert!(pol.sources.iter().any(|s| s == "ad01-net-accounts.txt"));
    let fmt = |path: &str| {
        ev.inputs
            .iter()
            .find(|i| i.path == path)
            .map(|i| i.format.clone())
    };
    assert_eq!(fmt("ad01-net-accounts.txt").as_deref(), Some("netaccounts"));

    // Changed 22 days before the check date: 8+rotation holds.
    let sato = account(&ev, "ad01", "sato");
    assert_eq!(name(&sato.password_last_set), "2026-11-02");
    assert_eq!(
        (sato.status, name(&sato.path)),
        (AccountStatus::Pass, "8+rotation".to_string())
    );
    assert!(findings(sato).is_empty(), "{:?}", sato.findings);
    // Changed in April 2025 on a 42-day policy: rotation is not applied, so it fails.
    let suzuki = account(&ev, "ad01", "suzuki");
    assert_eq!(suzuki.status, AccountStatus::Fail);
    assert_eq!(findings(suzuki), BTreeSet::from([age(Severity::Fail)]));
    let detail = &suzuki.findings[0].detail;
    assert!(
        detail.contains("last changed 2025-04-01, 602 days"),
        "{detail}"
    );
    // pwdLastSet=never: older than any age.
    let tanaka = account(&ev, "ad01", "tanaka");
    assert_eq!(name(&tanaka.password_last_set), "never");
    assert_eq!(tanaka.status, AccountStatus::Fail);
    assert_eq!(findings(tanaka), BTreeSet::from([age(Severity::Fail)]));
    // 15 characters pass via 13+ whatever the age; the age is a warning.
    let kato = account(&ev, "ad01", "kato");
    assert_eq!(name(&kato.path), "13+");
    assert_eq!(findings(kato), BTreeSet::from([age(Severity::Warn)]));
    // Unknown plaintext: the policy passes it only when rotation holds for it.
    let admin = account(&ev, "ad01", "Administrator");
    assert_eq!(
        (admin.status, name(&admin.path)),
        (AccountStatus::Pass, "policy".to_string())
    );
    let ito = account(&ev, "ad01", "ito");
    assert_eq!(ito.status, AccountStatus::Unverified);
    assert_eq!(findings(ito), BTreeSet::from([age(Severity::Warn)]));
    // status=Disabled, machine and service accounts are skipped.
    for (user, why) in [
        ("mori", "disabled"),
        ("Guest", "disabled"),
        ("PC01$", "machine_account"),
        ("krbtgt", "service_secret"),
    ] {
        let a = account(&ev, "ad01", user);
        assert_eq!(
            (a.status, name(&a.skip_reason)),
            (AccountStatus::Skipped, why.to_string()),
            "{user}"
        );
    }
    // No report holds a plaintext or a whole hash of the fixture.
    let dir = _dir.path().join("report");
    let pot_text = fs::read_to_string(&pot).unwrap();
    let ntds = fs::read_to_string(fixture("ad01-ntds.txt")).unwrap();
    let secrets: Vec<&str> = pot_text
        .lines()
        .flat_map(|l| l.split(':'))
        .chain(ntds.lines().filter_map(|l| l.split(':').nth(3)))
        .filter(|s| s.len() >= 8 && *s != "aad3b435b51404eeaad3b435b51404ee")
        .collect();
    assert!(secrets.len() >= 10);
    for f in fs::read_dir(&dir).unwrap() {
        let text =
            String::from_utf8_lossy(&fs::read(f.as_ref().unwrap().path()).unwrap()).to_string();
        for s in &secrets {
            assert!(!text.contains(s), "{:?} holds a secret", f.unwrap().path());
        }
    }
    // The reports name the finding in both languages.
    let md = fs::read_to_string(dir.join("evidence.md")).unwrap();
    assert!(
        md.contains("最長有効期間"),
        "Japanese words for the new code"
    );
    let (_, _, en) = audit(&["--manifest", &manifest, "--potfile", &pot, "--lang", "en"]);
    let md = fs::read_to_string(en.path().join("report/evidence.md")).unwrap();
    assert!(md.contains("longer ago than the enforced maximum age"));
}

#[test]
fn net_accounts_in_english_and_japanese_is_a_policy_source() {
    let en = fixture("ad01-net-accounts.txt");
    let o = kensa(&["policy", "--json", &en]);
    assert!(o.status.success() || o.status.code() == Some(1), "{o:?}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["effective"]["min_length"], 8);
    assert_eq!(v["effective"]["max_age_days"], 42);
    // Japanese Windows, saved by PowerShell as UTF-16LE and by cmd.exe as CP932:
    // 無制限 = never expires.
    for name in ["net-accounts-ja.txt", "net-accounts-ja-cp932.txt"] {
        let ja = fixture(name);
        let o = kensa(&["policy", "--json", &ja]);
        assert!(
            o.stderr.is_empty(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["effective"]["min_length"], 0, "{name}");
        assert_eq!(v["effective"]["max_age_days"], -1, "{name}");
        assert_eq!(v["effective"]["lockout_threshold"], 10, "{name}");
        assert_eq!(v["effective"]["lockout_duration_minutes"], 10, "{name}");
        assert_eq!(v["effective"]["lockout_reset_minutes"], 10, "{name}");
        assert_eq!(v["status"], "fail", "{name}");
    }
}
