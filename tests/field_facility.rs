//! One facility exported the way the field exports it, audited in one run: a secretsdump with an
//! undecodable line, a Shift_JIS vendor inventory with Japanese names, a CIS-hardened Linux
//! server (pwquality.conf and drop-ins, PAM, faillock), a domain with LM halves, history and a
//! non-UTF-8 `$HEX[]` pot plain, and a secretsdump with `pwdLastSet`/`status` suffixes and a
//! `net accounts` policy. The fixtures are those of tests/fixtures/{field,linux-policy,recovery,
//! windows}, each made by the generator beside it; this test only puts them in one manifest.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn path(rel: &str) -> String {
    let p = fixtures().join(rel);
    assert!(p.exists(), "fixture {rel} missing");
    p.to_string_lossy().replace('\\', "/")
}

fn manifest(dir: &Path) -> PathBuf {
    let cis = |f: &str| path(&format!("linux-policy/cis01/etc/{f}"));
    let text = format!(
        r#"facility = "みなと総合病院"
checked_on = "2026-11-24"
target_date = "2027-03-31"
inputs = ["{inventory}"]

[[system]]
id = "ward"
kind = "server"
inputs = ["{ward}"]

[[system]]
id = "cis01"
kind = "server"
inputs = ["{shadow}", "{defs}", "{pwq}", "{pwqd}", "{faillock}", "{pampw}", "{pamauth}"]

[[system]]
id = "ad01"
kind = "server"
inputs = ["{rec_ntds}", "{rec_inf}"]

[[system]]
id = "dc02"
kind = "server"
inputs = ["{win_ntds}", "{win_net}", "{win_toml}"]
"#,
        inventory = path("field/vendor-inventory.csv"),
        ward = path("field/ward-ntds.txt"),
        shadow = cis("shadow"),
        defs = cis("login.defs"),
        pwq = cis("security/pwquality.conf"),
        pwqd = cis("security/pwquality.conf.d"),
        faillock = cis("security/faillock.conf"),
        pampw = cis("pam.d/common-password"),
        pamauth = cis("pam.d/common-auth"),
        rec_ntds = path("recovery/ad01-ntds.txt"),
        rec_inf = path("recovery/ad01-secedit.inf"),
        win_ntds = path("windows/ad01-ntds.txt"),
        win_net = path("windows/ad01-net-accounts.txt"),
        win_toml = path("windows/ad01-policy.toml"),
    );
    let m = dir.join("audit.toml");
    fs::write(&m, text).unwrap();
    m
}

fn account<'a>(ev: &'a Value, sys: &str, name: &str) -> &'a Value {
    ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["system"] == sys && a["account"] == name)
        .unwrap_or_else(|| panic!("no account {sys}/{name}"))
}

fn codes(a: &Value) -> Vec<String> {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_facility_exported_as_the_field_exports_it_is_audited_whole_but_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let m = manifest(dir.path());
    let out = dir.path().join("report");
    let o = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(["audit", "--manifest"])
        .arg(&m)
        .args(["--potfile", &path("recovery/cracked.potfile")])
        .args(["--potfile", &path("windows/cracked.potfile")])
        .args(["--hibp", "off", "--no-progress", "--out"])
        .arg(&out)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let ev: Value = serde_json::from_str(
        &fs::read_to_string(out.join("evidence.json"))
            .unwrap_or_else(|_| panic!("no evidence.json; stderr: {stderr}")),
    )
    .unwrap();

    // Exactly one input error: the undecodable line, named by file and line; the evidence is
    // incomplete because of it (exit 2).
    let errors = ev["input_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]["source"]
            .as_str()
            .unwrap()
            .ends_with("ward-ntds.txt:4"),
        "{errors:?}"
    );
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert_eq!(ev["complete"], false);

    // Every input read, with its encoding.
    let enc = |suffix: &str| {
        ev["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no input {suffix}"))["encoding"]
            .clone()
    };
    assert_eq!(enc("vendor-inventory.csv"), "shift_jis");
    assert_eq!(enc("ward-ntds.txt"), "utf-8");

    // The rest of the broken dump is audited.
    let ward: Vec<&Value> = ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["system"] == "ward")
        .collect();
    assert!(ward.len() >= 5, "{} ward accounts", ward.len());

    // Japanese names from the Shift_JIS inventory come through intact.
    for name in ["髙橋", "管理者①", "ｶﾙﾃ担当", "山田太郎"] {
        assert!(
            ev["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["account"] == name),
            "{name} missing"
        );
    }

    // The hardened Linux policy passes, lockout read, and no advisory about it.
    let cis = ev["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["system"] == "cis01")
        .unwrap();
    assert_eq!(cis["status"], "pass", "{cis}");
    assert_eq!(cis["effective"]["lockout_threshold"], 5, "{cis}");
    assert!(!ev["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["system"] == "cis01" && a["finding"]["code"] == "POLICY_NO_LOCKOUT"));

    // LM halves, a non-UTF-8 $HEX[] plain read as hashcat's NT kernel read it, history.
    assert_eq!(account(&ev, "ad01", "ito")["recovered_by"], "lm");
    assert_eq!(account(&ev, "ad01", "mori")["recovered_by"], "potfile");
    assert!(codes(account(&ev, "ad01", "sato")).contains(&"PREDICTABLE_ROTATION".to_string()));
    assert_eq!(account(&ev, "ad01", "sato_history0")["status"], "skipped");

    // Password age from pwdLastSet against the enforced maximum age.
    assert!(ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["system"] == "dc02")
        .any(|a| codes(a).contains(&"PASSWORD_AGE_EXCEEDS_POLICY".to_string())));

    // No plaintext from either pot file and no whole hash in anything written or printed.
    let mut secrets: Vec<String> = Vec::new();
    for pot in ["recovery/cracked.potfile", "windows/cracked.potfile"] {
        for line in fs::read_to_string(path(pot)).unwrap().lines() {
            if let Some((h, p)) = line.rsplit_once(':') {
                if p.len() >= 6 && !p.starts_with("$HEX[") {
                    secrets.push(p.to_string());
                }
                if h.len() >= 32 {
                    secrets.push(h.to_string());
                }
            }
        }
    }
    assert!(secrets.len() >= 10);
    let mut texts = vec![String::from_utf8_lossy(&o.stdout).into_owned(), stderr];
    for f in fs::read_dir(&out).unwrap() {
        texts.push(String::from_utf8_lossy(&fs::read(f.unwrap().path()).unwrap()).into_owned());
    }
    for t in &texts {
        for s in &secrets {
            assert!(
                !t.contains(s.as_str()),
                "a plaintext or whole hash reached the output"
            );
        }
    }
}
