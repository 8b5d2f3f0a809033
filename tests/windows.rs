//! Windows sources end to end on tests/fixtures/windows (made by generate.py there with impacket):
//! a directory of per-PC SAM dumps from impacket and Metasploit (one system per file, the shared
//! local Administrator found across them), a secretsdump NTDS dump with `pwdLastSet` and `status`
//! suffixes judged for password age at the check date, and `net accounts` output in English and
//! Japanese as a policy source.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/windows")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn kensa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run kensa")
}

/// Run an audit into a fresh directory; returns (output, evidence, dir).
fn audit(args: &[&str]) -> (Output, Value, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let mut a = vec![
        "audit",
        "--hibp",
        "off",
        "--no-progress",
        "--salted-budget",
        "1000000",
        "--out",
        out.to_str().unwrap(),
    ];
    a.extend_from_slice(args);
    let o = kensa(&a);
    let text = fs::read_to_string(out.join("evidence.json")).unwrap_or_else(|_| {
        panic!(
            "no evidence.json; stderr: {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o, serde_json::from_str(&text).unwrap(), dir)
}

fn account<'a>(ev: &'a Value, sys: &str, name: &str) -> &'a Value {
    ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["system"] == sys
                && a["account"].as_str().unwrap().rsplit('\\').next().unwrap() == name
        })
        .unwrap_or_else(|| panic!("no account {sys}/{name}"))
}

/// (code, severity) of every finding of an account.
fn findings(a: &Value) -> BTreeSet<(String, String)> {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn age(severity: &str) -> (String, String) {
    ("PASSWORD_AGE_EXCEEDS_POLICY".into(), severity.into())
}

#[test]
fn a_directory_of_sam_dumps_is_one_system_per_pc_and_finds_the_shared_administrator() {
    let pcs = fixture("pcs");
    let (o, ev, _dir) = audit(&[&pcs]);
    assert!(
        ev["complete"].as_bool().unwrap(),
        "{:?}",
        ev["input_errors"]
    );
    assert_eq!(o.status.code(), Some(1), "cross-system reuse fails 2-⑧");
    let systems: Vec<&str> = ev["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(systems, ["pc-01", "pc-02", "pc-03"]);
    // One input per file, each read as pwdump (impacket, Meterpreter, smart_hashdump).
    let inputs: Vec<(String, String, Value)> = ev["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                i["format"].as_str().unwrap().to_string(),
                i["systems"].clone(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            (
                "pc-01.txt".into(),
                "pwdump".into(),
                serde_json::json!(["pc-01"])
            ),
            (
                "pc-02.txt".into(),
                "pwdump".into(),
                serde_json::json!(["pc-02"])
            ),
            (
                "pc-03.txt".into(),
                "pwdump".into(),
                serde_json::json!(["pc-03"])
            ),
        ]
    );
    // The local Administrator of pc-01 and pc-02 shares one password: a cross-system group.
    let admin_group = ev["reuse_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["system"] == "pc-01" && m["account"] == "Administrator")
        })
        .expect("a group with pc-01's Administrator");
    let members: Vec<(String, String)> = admin_group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["system"].as_str().unwrap().into(),
                m["account"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("pc-01".to_string(), "Administrator".to_string()),
            ("pc-02".to_string(), "Administrator".to_string())
        ]
    );
    assert_eq!(admin_group["scope"], "cross_system");
    assert_eq!(admin_group["evidence"], "identical_unsalted_hash");
    let item8 = ev["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "2-8")
        .unwrap();
    assert_eq!(item8["answer"], "no");
    // pc-03's Administrator is not in it; its accounts came from smart_hashdump's `[+]` lines.
    let pc03 = account(&ev, "pc-03", "Administrator");
    assert_ne!(pc03["reuse_group"], admin_group["id"]);
    account(&ev, "pc-03", "nurse02");
    // impacket's SAM suffixes: disabled accounts are skipped, the last change is kept.
    let guest = account(&ev, "pc-01", "Guest");
    assert_eq!(guest["status"], "skipped");
    assert_eq!(guest["skip_reason"], "disabled");
    assert_eq!(guest["password_last_set"], "never");
    assert_eq!(
        account(&ev, "pc-01", "Administrator")["password_last_set"],
        "2019-04-01"
    );
    assert!(account(&ev, "pc-02", "Administrator")
        .get("password_last_set")
        .is_none());
}

#[test]
fn secretsdump_pwd_last_set_and_status_decide_password_age_at_the_check_date() {
    let manifest = fixture("audit.toml");
    let pot = fixture("cracked.potfile");
    let (o, ev, _dir) = audit(&["--manifest", &manifest, "--potfile", &pot]);
    assert!(
        ev["complete"].as_bool().unwrap(),
        "{:?}",
        ev["input_errors"]
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(ev["checked_on"], "2026-11-24");
    // The policy: length and maximum age from `net accounts`, composition from the TOML.
    let pol = &ev["policies"][0];
    assert_eq!(pol["system"], "ad01");
    assert_eq!(pol["effective"]["min_length"], 8);
    assert_eq!(pol["effective"]["max_age_days"], 42);
    assert_eq!(pol["status"], "pass");
    assert_eq!(pol["path"], "8+rotation");
    assert!(pol["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "ad01-net-accounts.txt"));
    let fmt = |name: &str| {
        ev["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == name)
            .map(|i| i["format"].as_str().unwrap().to_string())
    };
    assert_eq!(fmt("ad01-net-accounts.txt").as_deref(), Some("netaccounts"));

    // Changed 22 days before the check date: 8+rotation holds.
    let sato = account(&ev, "ad01", "sato");
    assert_eq!(sato["password_last_set"], "2026-11-02");
    assert_eq!(
        (sato["status"].as_str(), sato["path"].as_str()),
        (Some("pass"), Some("8+rotation"))
    );
    assert!(findings(sato).is_empty(), "{}", sato["findings"]);
    // Changed in April 2025 on a 42-day policy: rotation is not applied, so it fails.
    let suzuki = account(&ev, "ad01", "suzuki");
    assert_eq!(suzuki["status"], "fail");
    assert_eq!(findings(suzuki), BTreeSet::from([age("fail")]));
    let detail = suzuki["findings"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("last changed 2025-04-01, 602 days"),
        "{detail}"
    );
    // pwdLastSet=never: older than any age.
    let tanaka = account(&ev, "ad01", "tanaka");
    assert_eq!(tanaka["password_last_set"], "never");
    assert_eq!(tanaka["status"], "fail");
    assert_eq!(findings(tanaka), BTreeSet::from([age("fail")]));
    // 15 characters pass via 13+ whatever the age; the age is a warning.
    let kato = account(&ev, "ad01", "kato");
    assert_eq!(kato["path"], "13+");
    assert_eq!(findings(kato), BTreeSet::from([age("warn")]));
    // Unknown plaintext: the policy passes it only when rotation holds for it.
    let admin = account(&ev, "ad01", "Administrator");
    assert_eq!(
        (admin["status"].as_str(), admin["path"].as_str()),
        (Some("pass"), Some("policy"))
    );
    let ito = account(&ev, "ad01", "ito");
    assert_eq!(ito["status"], "unverified");
    assert_eq!(findings(ito), BTreeSet::from([age("warn")]));
    // status=Disabled, machine and service accounts are skipped.
    for (name, why) in [
        ("mori", "disabled"),
        ("Guest", "disabled"),
        ("PC01$", "machine_account"),
        ("krbtgt", "service_secret"),
    ] {
        let a = account(&ev, "ad01", name);
        assert_eq!(
            (a["status"].as_str(), a["skip_reason"].as_str()),
            (Some("skipped"), Some(why)),
            "{name}"
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
