//! One facility exported the way the field exports it, audited in one run: a secretsdump with an
//! undecodable line, a Shift_JIS vendor inventory with Japanese names, a CIS-hardened Linux
//! server (pwquality.conf and drop-ins, PAM, faillock), a domain with LM halves, history and a
//! non-UTF-8 `$HEX[]` pot plain, and a secretsdump with `pwdLastSet`/`status` suffixes and a
//! `net accounts` policy. The fixtures are those of tests/fixtures/{field,linux-policy,recovery,
//! windows}, each made by the generator beside it; this test only puts them in one manifest.

use crate::support::{account, codes, evidence, fixtures, kensa, name};
use kensa::model::evidence::{AccountStatus, Encoding};
use kensa::model::Code;
use std::fs;
use std::path::{Path, PathBuf};

fn path(rel: &str) -> String {
    let p = fixtures(rel);
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

#[test]
fn a_facility_exported_as_the_field_exports_it_is_audited_whole_but_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let m = manifest(dir.path());
    let out = dir.path().join("report");
    let o = kensa(&[
        "audit",
        "--manifest",
        m.to_str().unwrap(),
        "--potfile",
        &path("recovery/cracked.potfile"),
        "--potfile",
        &path("windows/cracked.potfile"),
        "--hibp",
        "off",
        "--no-progress",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let ev = evidence(&out, &o);

    // Exactly one input error: the undecodable line, named by file and line; the evidence is
    // incomplete because of it (exit 2).
    let errors = &ev.input_errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].source.ends_with("ward-ntds.txt:4"), "{errors:?}");
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(!ev.complete);

    // Every input read, with its encoding.
    let enc = |suffix: &str| {
        ev.inputs
            .iter()
            .find(|i| i.path.ends_with(suffix))
            .unwrap_or_else(|| panic!("no input {suffix}"))
            .encoding
    };
    assert_eq!(enc("vendor-inventory.csv"), Some(Encoding::ShiftJis));
    assert_eq!(enc("ward-ntds.txt"), Some(Encoding::Utf8));

    // The rest of the broken dump is audited.
    let ward: Vec<_> = ev
        .accounts
        .iter()
        .filter(|a| &*a.system == "ward")
        .collect();
    assert!(ward.len() >= 5, "{} ward accounts", ward.len());

    // Japanese names from the Shift_JIS inventory come through intact.
    for name in ["髙橋", "管理者①", "ｶﾙﾃ担当", "山田太郎"] {
        assert!(
            ev.accounts.iter().any(|a| a.account == name),
            "{name} missing"
        );
    }

    // The hardened Linux policy passes, lockout read, and no advisory about it.
    let cis = ev.policies.iter().find(|p| p.system == "cis01").unwrap();
    assert_eq!(name(&cis.status), "pass", "{cis:?}");
    assert_eq!(cis.effective.lockout_threshold, Some(5), "{cis:?}");
    assert!(!ev
        .advisories
        .iter()
        .any(|a| a.system == "cis01" && a.finding.code == Code::PolicyNoLockout));

    // LM halves, a non-UTF-8 $HEX[] plain read as hashcat's NT kernel read it, history.
    assert_eq!(name(&account(&ev, "ad01", "ito").recovered_by), "lm");
    assert_eq!(name(&account(&ev, "ad01", "mori").recovered_by), "potfile");
    assert!(codes(&account(&ev, "ad01", "sato").findings).contains(&Code::PredictableRotation));
    assert_eq!(
        account(&ev, "ad01", "sato_history0").status,
        AccountStatus::Skipped
    );

    // Password age from pwdLastSet against the enforced maximum age.
    assert!(ev
        .accounts
        .iter()
        .filter(|a| &*a.system == "dc02")
        .any(|a| codes(&a.findings).contains(&Code::PasswordAgeExceedsPolicy)));

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
