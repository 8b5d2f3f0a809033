//! Checklist editions as data: R8 (provisional) from a manifest, unknown editions refused,
//! `--edition` over the manifest, a user's `--rules` file, and `kensa rules`.

use crate::support::{account, audit, code, item, kensa, kensa_stdin, name, root, stderr, stdout};
use kensa::model::Code;
use std::path::{Path, PathBuf};

/// A facility of one application with enforced 42-day rotation and a policy file without
/// lockout: `rot` has 10 letters, digits and a symbol (8+rotation under R7), `long` 13 letters
/// and digits (no symbol), `mfa` sits on a two-factor system with 10 letters and digits.
fn facility(dir: &Path, edition: &str) -> PathBuf {
    let m = dir.join("audit.toml");
    std::fs::write(
        &m,
        format!(
            "facility = \"t\"\n{edition}checked_on = \"2026-11-30\"\ninputs = [\"inv.csv\"]\n\
             [[system]]\nid = \"app\"\nkind = \"application\"\nrotation_days = 42\n\
             inputs = [\"policy:app.toml\"]\n\
             [[system]]\nid = \"vpn\"\nkind = \"application\"\nmfa = true\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("inv.csv"),
        "system,account,password\napp,rot,x9Gh2&kLp4\napp,long,Vq7tLm2eRw9Kz\nvpn,mfa,x9Gh2kLp4z\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("app.toml"),
        "min_length = 8\nrequire = [\"letter\", \"digit\", \"symbol\"]\nmax_age_days = 42\n",
    )
    .unwrap();
    m
}

fn run(
    m: &Path,
    extra: &[&str],
) -> (
    std::process::Output,
    kensa::model::evidence::Evidence,
    tempfile::TempDir,
) {
    let mut args = vec!["--manifest", m.to_str().unwrap(), "--hibp", "off"];
    args.extend_from_slice(extra);
    audit(&args)
}

#[test]
fn r8_fails_rotation_passes_long_letters_and_digits_and_is_marked_provisional() {
    let dir = tempfile::tempdir().unwrap();
    let m = facility(dir.path(), "edition = \"R8\"\n");
    let (o, ev, out) = run(&m, &["--format", "json,md,html"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(ev.edition, "R8");
    assert_eq!(ev.rules, "MHLW R8 2-7/2-8, kensa rules 1");
    let r = ev.edition_rules.as_ref().unwrap();
    assert!(r.provisional);
    assert!(r.source.contains("14.1.1"), "{}", r.source);
    assert_eq!(item(&ev, "2-7").label, "令和8年度版 2-⑦");
    assert_eq!(item(&ev, "2-8").label, "令和8年度版 2-⑧");

    // 8+rotation is no longer a path.
    let rot = account(&ev, "app", "rot");
    assert_eq!(name(&rot.status), "fail");
    let short = rot
        .findings
        .iter()
        .find(|f| f.code == Code::TooShort)
        .expect("TOO_SHORT");
    assert!(
        short
            .detail
            .contains("periodic change is no longer a way to pass"),
        "{}",
        short.detail
    );
    assert!(!rot.findings.iter().any(|f| f.code == Code::NoRotation));
    // 13 letters and digits: symbols are not required; two-factor with 10 letters and digits.
    let long = account(&ev, "app", "long");
    assert_eq!(name(&long.status), "pass", "{:?}", long.findings);
    assert_eq!(name(&long.path), "13+");
    let mfa = account(&ev, "vpn", "mfa");
    assert_eq!(name(&mfa.path), "8+mfa", "{:?}", mfa.findings);
    assert_eq!(name(&item(&ev, "2-7").answer), "no");

    // Lockout is expected: a warning finding of the policy (which fails on its own account here:
    // its 8 characters relied on rotation).
    let p = ev.policies.iter().find(|p| p.system == "app").unwrap();
    let lock = p
        .findings
        .iter()
        .find(|f| f.code == Code::PolicyNoLockout)
        .expect("POLICY_NO_LOCKOUT in the policy's findings");
    assert_eq!(name(&lock.severity), "warn");
    assert!(p.findings.iter().any(|f| f.code == Code::PolicyMinLength));

    // Every report says 暫定 with the source, and the terminal summary too.
    let md = std::fs::read_to_string(out.path().join("report/evidence.md")).unwrap();
    let html = std::fs::read_to_string(out.path().join("report/evidence.html")).unwrap();
    for text in [&md, &html] {
        assert!(text.contains("令和8年度版（暫定）"), "no 暫定");
        assert!(text.contains("14.1.1"));
        assert!(text.contains("令和8年度版 2-⑦"));
        assert!(text.contains("（暫定）パスワードは、二要素認証の場合"));
        // The path of `long` in R8's words: letters and digits, not R7's 英数字記号混在.
        assert!(text.contains("13文字以上・英字と数字の混在・推定困難"));
    }
    assert!(stdout(&o).contains("令和8年度版（暫定）"), "{}", stdout(&o));
    let (o, _, out) = run(&m, &["--format", "json,md", "--lang", "en"]);
    assert_eq!(code(&o), 1);
    let md = std::fs::read_to_string(out.path().join("report/evidence.md")).unwrap();
    assert!(
        md.contains("FY2026 (Reiwa 8) edition (provisional)"),
        "{md}"
    );
    assert!(stdout(&o).contains("(provisional)"));
}

#[test]
fn the_same_facility_under_r7_passes_by_rotation_and_says_nothing_provisional() {
    let dir = tempfile::tempdir().unwrap();
    // The manifest says R8; --edition R7 overrides it.
    let m = facility(dir.path(), "edition = \"R8\"\n");
    let (o, ev, out) = run(&m, &["--edition", "R7", "--format", "json,md"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(ev.edition, "R7");
    assert!(!ev.edition_rules.as_ref().unwrap().provisional);
    assert_eq!(item(&ev, "2-7").label, "令和7年度版 2-⑦");
    let rot = account(&ev, "app", "rot");
    assert_eq!(name(&rot.path), "8+rotation", "{:?}", rot.findings);
    // No symbol: R7 fails it.
    let long = account(&ev, "app", "long");
    assert!(long.findings.iter().any(|f| f.code == Code::NotMixed));
    let p = ev.policies.iter().find(|p| p.system == "app").unwrap();
    assert!(!p.findings.iter().any(|f| f.code == Code::PolicyNoLockout));
    let md = std::fs::read_to_string(out.path().join("report/evidence.md")).unwrap();
    assert!(!md.contains("暫定"));
    assert!(!stdout(&o).contains("暫定"));
}

#[test]
fn an_unknown_edition_is_a_usage_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["R6", "foo"] {
        let m = facility(dir.path(), &format!("edition = \"{bad}\"\n"));
        let o = kensa(&[
            "audit",
            "--manifest",
            m.to_str().unwrap(),
            "--hibp",
            "off",
            "--out",
            dir.path().join("out").to_str().unwrap(),
        ]);
        assert_eq!(code(&o), 2);
        let e = stderr(&o);
        assert!(e.contains(&format!("{}:2:", m.display())), "{e}");
        assert!(e.contains(&format!("unknown edition `{bad}`")), "{e}");
        assert!(e.contains("R7, R8"), "{e}");
        assert!(!dir.path().join("out/evidence.json").exists());
    }
    let o = kensa(&["rules", "--edition", "R6"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("known editions: R7, R8"));
}

#[test]
fn a_user_rules_file_changes_a_verdict_and_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let m = facility(dir.path(), "");
    let r7 = std::fs::read_to_string(root().join("src/rules/editions/R7.toml")).unwrap();
    // The facility's own reading: rotation at most every 30 days.
    let own = r7
        .replace("id = \"R7\"", "id = \"R7-30days\"")
        .replace("max_age_days = 60", "max_age_days = 30");
    let rules = dir.path().join("my-rules.toml");
    std::fs::write(&rules, &own).unwrap();
    let (o, ev, _out) = run(
        &m,
        &["--rules", rules.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(ev.edition, "R7-30days");
    let rot = account(&ev, "app", "rot");
    assert_eq!(name(&rot.status), "fail");
    let too_long = rot
        .findings
        .iter()
        .find(|f| f.code == Code::RotationTooLong)
        .expect("ROTATION_TOO_LONG");
    assert_eq!(too_long.detail, "42 > 30 days");
    let f = ev.edition_rules.as_ref().unwrap().file.as_ref().unwrap();
    assert_eq!(f.path, rules.display().to_string());
    assert_eq!(f.sha256.as_deref().map(str::len), Some(64));
    // `kensa verify` checks the rules file as an input: changed after the run, it is named.
    let report = _out.path().join("report");
    let o = kensa(&["verify", report.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    std::fs::write(
        &rules,
        own.replace("max_age_days = 30", "max_age_days = 31"),
    )
    .unwrap();
    let o = kensa(&["verify", report.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let changed: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| l.trim_start().starts_with("changed "))
        .map(String::from)
        .collect();
    assert_eq!(changed.len(), 1, "{}", stdout(&o));
    assert!(changed[0].contains("my-rules.toml"), "{}", changed[0]);
    std::fs::write(&rules, &own).unwrap();
    // Without it, the same account passes by rotation.
    let (_, ev, _out) = run(&m, &["--format", "json"]);
    assert_eq!(name(&account(&ev, "app", "rot").path), "8+rotation");

    // A malformed file: file and line, exit 2, no evidence.
    let bad = own.replace(
        "[lockout]\nexpected = false",
        "[lockout]\nexpected = false\nstrict = true",
    );
    let line = bad.lines().position(|l| l.starts_with("strict")).unwrap() + 1;
    std::fs::write(&rules, &bad).unwrap();
    let o = kensa(&[
        "audit",
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--rules",
        rules.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(e.contains(&format!("{}:{line}:", rules.display())), "{e}");
    assert!(e.contains("strict"), "{e}");
    // A file that takes a built-in id is refused.
    std::fs::write(&rules, &r7).unwrap();
    let o = kensa(&["rules", "--rules", rules.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("not one of kensa's editions"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn kensa_rules_prints_the_edition_in_force() {
    let o = kensa(&["rules", "--edition", "R8", "--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let t = stdout(&o);
    for want in [
        "Edition: R8 (FY2026 (Reiwa 8) edition)",
        "Provisional: yes",
        "14.1.1",
        "13+        without two-factor authentication: 13 characters or more; required classes: letter, digit",
        "8+mfa      with two-factor authentication: 8 characters or more; required classes: letter, digit",
        "8+rotation with periodic change: not a way to pass",
        "PIN unlocking the second factor: 4 characters or more",
        "Account lockout: expected",
    ] {
        assert!(t.contains(want), "{want:?} not in\n{t}");
    }
    let o = kensa(&["rules"]);
    let t = stdout(&o);
    assert!(t.contains("版: R7 (令和7年度版)"), "{t}");
    assert!(t.contains("暫定: いいえ"), "{t}");
    assert!(t.contains("有効期間の上限（日）: 60"), "{t}");
    let o = kensa(&["rules", "--edition", "R8", "--json"]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["id"], "R8");
    assert_eq!(j["provisional"], true);
    assert_eq!(j["password"]["rotation"]["path"], false);
    assert_eq!(j["password"]["long"]["min_length"], 13);
    let o = kensa(&["rules", "--edition", "R8", "--toml"]);
    assert_eq!(
        stdout(&o),
        std::fs::read_to_string(root().join("src/rules/editions/R8.toml")).unwrap()
    );
}

#[test]
fn check_and_policy_take_the_edition_too() {
    let args = ["check", "--rotation-days", "42", "--json"];
    let r7 = kensa_stdin(&args, "x9Gh2&kLp4\n");
    assert_eq!(code(&r7), 0, "{}", stdout(&r7));
    let r8 = kensa_stdin(&[&args[..], &["--edition", "R8"]].concat(), "x9Gh2&kLp4\n");
    assert_eq!(code(&r8), 1);
    let j: serde_json::Value = serde_json::from_str(&stdout(&r8)).unwrap();
    assert_eq!(j["edition"], "R8");
    assert_eq!(j["status"], "fail");
    assert!(!stdout(&r8).contains("x9Gh2"));

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    std::fs::write(&p, "min_length = 13\nrequire = [\"letter\", \"digit\"]\n").unwrap();
    let o = kensa(&["policy", p.to_str().unwrap(), "--json"]);
    assert_eq!(code(&o), 1, "R7 asks for symbols");
    let o = kensa(&["policy", p.to_str().unwrap(), "--json", "--edition", "R8"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["status"], "pass");
    assert!(j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "POLICY_NO_LOCKOUT" && f["severity"] == "warn"));
}
