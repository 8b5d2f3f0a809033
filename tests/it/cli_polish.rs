//! End-to-end tests of the command line's integrity, baseline and polish features (`kensa verify`,
//! `--baseline`, `--fail-on new-reuse`, `completions`, `man`, `init`, colors) on the real binary
//! and the example facility.

use crate::support::{audit_into, code, evidence_json, example_dir, kensa_env, stderr, stdout};
use kensa::model::evidence::Evidence;
use serde_json::Value;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Fast, offline audit options.
const QUICK: [&str; 4] = ["--hibp", "off", "--salted-budget", "1000000"];

/// kensa without the caller's `NO_COLOR`: what these tests say about colours holds either way.
fn kensa(args: &[&str]) -> Output {
    kensa_env(args, &[])
}

/// Audit `manifest` into `out` with `extra` options; returns the output and the evidence.
fn audit(manifest: &Path, out: &Path, extra: &[&str]) -> (Output, Evidence) {
    let mut a: Vec<&str> = vec!["--manifest", manifest.to_str().unwrap()];
    a.extend_from_slice(&QUICK);
    a.extend_from_slice(extra);
    audit_into(out, &a)
}

/// A copy of the example facility in a fresh temp dir; returns (dir, manifest path).
fn facility_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fac = dir.path().join("facility");
    fs::create_dir(&fac).unwrap();
    for e in fs::read_dir(example_dir()).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, fac.join(p.file_name().unwrap())).unwrap();
    }
    let m = fac.join("audit.toml");
    (dir, m)
}

#[test]
fn evidence_records_rules_manifest_and_input_paths() {
    let (dir, m) = facility_copy();
    let out = dir.path().join("r");
    let (_, typed) = audit(&m, &out, &[]);
    // What the command line adds beside the evidence, read from the file as written.
    let ev = evidence_json(&out);
    assert_eq!(ev["rules"], "MHLW R7 2-7/2-8, kensa rules 1");
    assert_eq!(ev["manifest"]["path"], m.to_str().unwrap());
    assert_eq!(ev["manifest"]["size"], fs::metadata(&m).unwrap().len());
    let paths = ev["input_paths"].as_array().unwrap();
    assert_eq!(typed.inputs.len(), paths.len());
    for (i, p) in typed.inputs.iter().zip(paths) {
        assert_eq!(i.path, p["path"]);
        let abs = Path::new(p["absolute"].as_str().unwrap());
        assert!(abs.is_absolute() && abs.is_file(), "{abs:?}");
    }
    // `run` stays the last key.
    let text = fs::read_to_string(out.join("evidence.json")).unwrap();
    let run = text.find("\n  \"run\": {").unwrap();
    assert!(!text[run + 3..].contains("\n  \""));
}

#[test]
fn verify_ok_then_changed_then_missing() {
    let (dir, m) = facility_copy();
    let out = dir.path().join("r");
    audit(&m, &out, &[]);
    let o = kensa(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("all 17 files unchanged (12 inputs, 5 reports)"),
        "{}",
        stdout(&o)
    );
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));

    // One input edited: changed, exit 1.
    let sam = m.parent().unwrap().join("pc-01-sam.txt");
    let mut text = fs::read_to_string(&sam).unwrap();
    text.push_str(
        "extra:1001:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::\n",
    );
    fs::write(&sam, text).unwrap();
    let o = kensa(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let line = stdout(&o)
        .lines()
        .find(|l| l.contains("pc-01-sam.txt"))
        .unwrap()
        .to_string();
    assert!(line.trim_start().starts_with("changed"), "{line}");
    assert!(stdout(&o).contains("1 of 17 files changed or missing"));

    // Another removed: missing; JSON output says which.
    fs::remove_file(m.parent().unwrap().join("web01.htpasswd")).unwrap();
    let o = kensa(&[
        "verify",
        "--json",
        out.join("evidence.json").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ok"], false);
    let status = |name: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == name)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("web01.htpasswd"), "missing");
    assert_eq!(status("pc-01-sam.txt"), "changed");
    assert_eq!(status("ad01-ntds.txt"), "ok");

    // An evidence file readable by others is reported.
    fs::set_permissions(out.join("evidence.json"), fs::Permissions::from_mode(0o644)).unwrap();
    let o = kensa(&["verify", out.to_str().unwrap()]);
    assert!(stderr(&o).contains("mode 644"), "{}", stderr(&o));
}

#[test]
fn verify_unreadable_evidence_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&kensa(&["verify", dir.path().to_str().unwrap()])), 2);
    fs::write(dir.path().join("evidence.json"), r#"{"schema": "other"}"#).unwrap();
    let o = kensa(&["verify", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a kensa evidence"));
}

#[test]
fn baseline_rerun_reports_nothing_new() {
    let dir = tempfile::tempdir().unwrap();
    let m = example_dir().join("audit.toml");
    let (_, first) = audit(&m, &dir.path().join("r1"), &[]);
    let old = dir.path().join("r1/evidence.json");
    for fail_on in ["new-reuse", "new"] {
        let (o, _) = audit(
            &m,
            &dir.path().join("r2"),
            &["--baseline", old.to_str().unwrap(), "--fail-on", fail_on],
        );
        assert_eq!(code(&o), 0, "{fail_on}: {}", stderr(&o));
        let ev = evidence_json(&dir.path().join("r2"));
        let b = &ev["baseline"];
        assert_eq!(b["counts"]["new"], 0);
        assert_eq!(b["counts"]["resolved"], 0);
        assert!(b["counts"]["unchanged"].as_u64().unwrap() > 10);
        assert_eq!(b["checked_on"], first.checked_on);
        assert_eq!(b["path"], old.to_str().unwrap());
        assert!(stdout(&o).contains("新規 0"), "{}", stdout(&o));
    }
    // The comparison never shows hashes or prefixes.
    let text = fs::read_to_string(dir.path().join("r2/evidence.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(!v["baseline"].to_string().contains("hash_prefix"));
}

#[test]
fn a_reuse_group_missing_from_the_baseline_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let m = example_dir().join("audit.toml");
    audit(&m, &dir.path().join("r1"), &[]);
    // Drop one cross-system reuse group (and its account findings) from the old evidence, as a
    // file: the edited JSON is the baseline.
    let mut first = evidence_json(&dir.path().join("r1"));
    let groups = first["reuse_groups"].as_array_mut().unwrap();
    let at = groups
        .iter()
        .position(|g| g["scope"] == "cross_system")
        .expect("the example has cross-system reuse");
    let gone = groups.remove(at);
    let members = gone["members"].as_array().unwrap().len();
    let old = dir.path().join("old.json");
    fs::write(&old, serde_json::to_string_pretty(&first).unwrap()).unwrap();

    let (o, _) = audit(
        &m,
        &dir.path().join("r2"),
        &[
            "--baseline",
            old.to_str().unwrap(),
            "--fail-on",
            "new-reuse",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let ev = evidence_json(&dir.path().join("r2"));
    let b = &ev["baseline"];
    assert_eq!(b["counts"]["new"], 1);
    assert_eq!(b["counts"]["new_cross_system_reuse"], 1);
    assert_eq!(b["new"][0]["kind"], "reuse");
    assert_eq!(b["new"][0]["members"].as_array().unwrap().len(), members);
    assert_eq!(b["new"][0]["group"], gone["id"]);

    // Only reuse selected: new policy findings elsewhere would not count, a rerun against the
    // full baseline passes; without a baseline new-reuse acts as reuse.
    let (o, _) = audit(&m, &dir.path().join("r3"), &["--fail-on", "new-reuse"]);
    assert_eq!(code(&o), 1);
    let (o, _) = audit(&m, &dir.path().join("r4"), &["--fail-on", "none"]);
    assert_eq!(code(&o), 0);
}

#[test]
fn bad_baseline_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let m = example_dir().join("audit.toml");
    let bad = dir.path().join("bad.json");
    fs::write(&bad, r#"{"hello": "world"}"#).unwrap();
    for b in [bad.clone(), dir.path().join("missing.json")] {
        let mut a = vec![
            "audit",
            "--manifest",
            m.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--baseline",
            b.to_str().unwrap(),
        ];
        a.extend_from_slice(&QUICK);
        let o = kensa(&a);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains("baseline") || stderr(&o).contains("kensa evidence"));
    }
    assert!(!dir.path().join("evidence.json").exists());
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = kensa(&["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}");
        let s = stdout(&o);
        assert!(
            s.contains("kensa") && s.contains("verify") && s.len() > 500,
            "{shell}"
        );
    }
    assert_eq!(code(&kensa(&["completions", "tcsh"])), 2);
    let o = kensa(&["man"]);
    assert_eq!(code(&o), 0);
    let s = stdout(&o);
    assert!(s.contains(".TH kensa"), "{}", &s[..s.len().min(200)]);
    assert!(s.contains("audit"));
}

#[test]
fn init_writes_a_manifest_that_audits() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("audit.toml");
    let o = kensa(&[
        "init",
        example_dir().to_str().unwrap(),
        "--out",
        manifest.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        fs::metadata(&manifest).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = fs::read_to_string(&manifest).unwrap();
    for want in [
        "id = \"ad01\"",
        "id = \"pc-01\"",
        "id = \"linux01\"",
        "id = \"net\"",
        "# context_words",
        "# managed_by",
        "# kind",
        "# mfa",
        "# rotation_days",
        "vendor-inventory.csv",
    ] {
        assert!(text.contains(want), "missing {want}:\n{text}");
    }
    // The shipped manifest in the folder is not taken for an input.
    assert!(!text.contains("audit.toml\""));

    let (o, ev) = audit(&manifest, &dir.path().join("r"), &[]);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    assert!(ev.complete);
    assert!(ev.input_errors.is_empty());
    assert_eq!(ev.inputs.len(), 12 - 1);
    let systems: Vec<&str> = ev.systems.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        systems,
        ["ad01", "ldap01", "linux01", "net", "pc-01", "pc-02", "web01"]
    );

    // No overwrite without --force.
    let o = kensa(&[
        "init",
        example_dir().to_str().unwrap(),
        "--out",
        manifest.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"));
    let o = kensa(&[
        "init",
        example_dir().to_str().unwrap(),
        "--out",
        manifest.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code(&o), 0);
}

#[test]
fn init_beside_the_exports_uses_relative_paths() {
    let (_dir, m) = facility_copy();
    fs::remove_file(&m).unwrap();
    let fac = m.parent().unwrap();
    let o = kensa(&["init", fac.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = fs::read_to_string(&m).unwrap();
    assert!(
        text.contains("inputs = [\"ad01-ntds.txt\", \"ad01-secedit.inf\"]"),
        "{text}"
    );
    let (o, ev) = audit(&m, &fac.join("r"), &[]);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    assert!(ev.complete);
}

#[test]
fn piped_or_no_color_output_has_no_escape_codes() {
    let dir = tempfile::tempdir().unwrap();
    let m = example_dir().join("audit.toml");
    for env in [vec![], vec![("NO_COLOR", "1")]] {
        let mut a = vec![
            "audit",
            "--manifest",
            m.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ];
        a.extend_from_slice(&QUICK);
        let o = kensa_env(&a, &env);
        assert!(stdout(&o).contains("いいえ"));
        assert!(!o.stdout.contains(&0x1b), "{}", stdout(&o));
        assert!(!o.stderr.contains(&0x1b), "{}", stderr(&o));
    }
}
