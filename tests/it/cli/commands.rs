//! `kensa check` and `kensa policy` on the command line, and a facility of policy files only (the
//! CIS-hardened Linux server) audited whole.

use super::QUICK;
use crate::support::{audit, code, item, kensa, kensa_stdin, name, root};
use kensa::model::evidence::{AccountStatus, Answer};
use kensa::model::Code;
use serde_json::Value;
use std::fs;

#[test]
fn check_reads_stdin_and_never_echoes() {
    let o = kensa_stdin(
        &["check", "--account", "taro", "--context", "koro"],
        "pa$$w0rd\n",
    );
    assert_eq!(code(&o), 1);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains("pa$$w0rd"));
    assert!(all.contains("GUESSABLE"), "{all}");
    let o = kensa_stdin(&["check", "--json"], "Vq7#tLm2$eRw9!\n");
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "pass");
    assert_eq!(v["path"], "13+");
    let o = kensa_stdin(&["check", "--mfa", "--json"], "x9%Gh2&kLp\n");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], "8+mfa");
}

#[test]
fn policy_command_judges_secedit_utf16() {
    let inf = root().join("examples/koro-hospital/ad01-secedit.inf");
    assert_eq!(
        &fs::read(&inf).unwrap()[..2],
        &[0xFF, 0xFE],
        "fixture is UTF-16LE with BOM"
    );
    let o = kensa(&["policy", "--lang", "en", inf.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("POLICY_COMPOSITION") && s.contains("3 of 4"),
        "{s}"
    );
    let o = kensa(&["policy", "--json", inf.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["effective"]["min_length"], 14);
    // [System Access] LockoutBadCount / ResetLockoutCount / LockoutDuration.
    assert_eq!(v["effective"]["lockout_threshold"], 5);
    assert_eq!(v["effective"]["lockout_reset_minutes"], 30);
    assert_eq!(v["effective"]["lockout_duration_minutes"], 30);
}

/// The CIS-hardened Linux server made by tests/fixtures/linux-policy/generate.py (checked there
/// with libpwquality and sha256sum, whose answers are in expected.json).
#[test]
fn linux_policy_cis_hardened_server_reads_whole_and_passes() {
    let fx = root().join("tests/fixtures/linux-policy");
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(fx.join("expected.json")).unwrap()).unwrap();
    let (o, ev, dir) = audit(&[
        "--manifest",
        fx.join("audit.toml").to_str().unwrap(),
        "--hibp",
        "off",
        QUICK[0],
        QUICK[1],
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 0, "{stderr}\n{:#?}", ev.input_errors);
    assert!(ev.input_errors.is_empty());
    assert!(ev.complete);
    // Every file detected from its content, the drop-in directory as one input.
    let formats: Vec<(&str, &str)> = ev
        .inputs
        .iter()
        .map(|i| {
            assert_eq!(i.errors, 0, "{i:?}");
            (i.path.as_str(), i.format.as_str())
        })
        .collect();
    assert_eq!(
        formats,
        [
            ("cis01/etc/shadow", "shadow"),
            ("cis01/etc/login.defs", "login.defs"),
            ("cis01/etc/security/pwquality.conf", "pwquality.conf"),
            ("cis01/etc/security/pwquality.conf.d", "pwquality.conf"),
            ("cis01/etc/security/faillock.conf", "faillock.conf"),
            ("cis01/etc/pam.d/common-password", "pam"),
            ("cis01/etc/pam.d/common-auth", "pam"),
        ]
    );
    let drop_ins = &ev.inputs[3];
    assert_eq!(drop_ins.sha256, expected["dropins"]["sha256"]);
    assert_eq!(drop_ins.size, expected["dropins"]["size"]);
    assert_eq!(
        drop_ins.records,
        expected["dropins"]["files"].as_array().unwrap().len()
    );
    // The policy as rules.md decides it; the length is what libpwquality read (expected.json,
    // written by the generator, is compared as JSON).
    let p = &ev.policies[0];
    let want = &expected["policy_by_rules_md"];
    assert_eq!(p.system, "cis01");
    assert_eq!(name(&p.status), want["status"]);
    assert_eq!(name(&p.path), want["path"]);
    assert!(p.findings.is_empty());
    assert_eq!(p.sources.len(), 6);
    let effective = serde_json::to_value(&p.effective).unwrap();
    assert_eq!(
        effective["min_length"],
        expected["libpwquality"]["read"]["minlen"]
    );
    for k in [
        "min_length",
        "require",
        "max_age_days",
        "lockout_threshold",
        "lockout_duration_minutes",
        "lockout_reset_minutes",
    ] {
        assert_eq!(effective[k], want[k], "{k}");
    }
    let advisories: Vec<Code> = ev.advisories.iter().map(|a| a.finding.code).collect();
    assert!(
        !advisories.contains(&Code::PolicyNoLockout),
        "{advisories:?}"
    );
    assert_eq!(item(&ev, "2-7").answer, Answer::Yes);
    for a in &ev.accounts {
        assert!(
            matches!(a.status, AccountStatus::Pass | AccountStatus::Skipped),
            "{a:?}"
        );
    }
    // The reports say it in words.
    let md = fs::read_to_string(dir.path().join("report/evidence.md")).unwrap();
    assert!(md.contains("5回の失敗でロック（15分間、15分で回数をリセット）"));
    // kensa verify recomputes the directory's digest.
    let o = kensa(&["verify", dir.path().join("report").to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));

    // The quality settings alone: the same pass, and lockout missing is an advisory only.
    let etc = fx.join("cis01/etc/security");
    let o = kensa(&[
        "policy",
        "--json",
        etc.join("pwquality.conf").to_str().unwrap(),
        etc.join("pwquality.conf.d").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], "13+");
    assert!(v["effective"].get("lockout_threshold").is_none());
    assert!(v["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["code"] == "POLICY_NO_LOCKOUT" && a["severity"] == "info"));
}
