//! End-to-end tests of files as they come from the field: the real `kensa` binary on a Shift_JIS
//! inventory, a dump with one undecodable line and a UTF-16 dump without a BOM
//! (tests/fixtures/field/generate.py), and on input paths that are not there.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/field")
}

/// Run kensa in `dir` (so file arguments are named as a user would name them).
fn kensa_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run kensa")
}

/// Audit `files` (named relative to the fixtures) into a fresh directory.
fn audit(files: &[&str]) -> (Output, Value, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report");
    let mut args = vec![
        "audit",
        "--hibp",
        "off",
        "--no-progress",
        "--out",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(files);
    let o = kensa_in(&fixtures(), &args);
    let text = fs::read_to_string(report.join("evidence.json")).unwrap_or_else(|_| {
        panic!(
            "no evidence.json; stderr: {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o, serde_json::from_str(&text).unwrap(), out)
}

fn accounts(ev: &Value) -> Vec<(String, String, String)> {
    ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["system"].as_str().unwrap().to_string(),
                a["account"].as_str().unwrap().to_string(),
                a["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every file written under `dir`, as bytes, with its name.
fn written(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(written(&p));
        } else {
            out.push((p.clone(), fs::read(&p).unwrap()));
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_dump_with_one_undecodable_line_loses_that_line_only() {
    let (o, ev, dir) = audit(&["ward-ntds.txt"]);
    // The evidence is incomplete (one input error), every other account is audited.
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(ev["complete"], false);
    let errors = ev["input_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["source"], "ward-ntds.txt:4");
    assert_eq!(errors[0]["message"], "line is not valid UTF-8 text");
    let got = accounts(&ev);
    let want: Vec<(String, String, String)> = [
        ("alice_w", 2),
        ("bob_k", 3),
        ("carol_s", 5),
        ("dave_t", 6),
        ("erin_y", 7),
    ]
    .iter()
    .map(|(n, l)| {
        (
            "ward-ntds".to_string(),
            n.to_string(),
            format!("ward-ntds.txt:{l}"),
        )
    })
    .collect();
    assert_eq!(got, want);
    let carol = &ev["accounts"][2];
    assert_eq!(carol["status"], "fail", "the audit went on: {carol}");
    let input = &ev["inputs"][0];
    assert_eq!(input["format"], "pwdump");
    assert_eq!(input["encoding"], "utf-8");
    assert_eq!(input["errors"], 1);
    // The line's bytes are quoted nowhere: not on stderr, not in any report.
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("ward-ntds.txt:4: line is not valid UTF-8 text"),
        "{stderr}"
    );
    for (path, bytes) in written(dir.path()).into_iter().chain([
        ("stderr".into(), o.stderr.clone()),
        ("stdout".into(), o.stdout),
    ]) {
        for needle in [
            &b"R\xe9my"[..],
            "Rémy".as_bytes(),
            "R駑y".as_bytes(),
            b"1103",
        ] {
            assert!(
                !contains(&bytes, needle),
                "{} quotes the line",
                path.display()
            );
        }
    }
}

#[test]
fn a_shift_jis_inventory_keeps_its_japanese_names() {
    let (o, ev, dir) = audit(&["vendor-inventory.csv"]);
    assert!(
        ev["input_errors"].as_array().unwrap().is_empty(),
        "{}",
        ev["input_errors"]
    );
    assert_eq!(ev["complete"], true);
    // Complete; a weak password is a finding.
    assert_eq!(o.status.code(), Some(1));
    let input = &ev["inputs"][0];
    assert_eq!(input["format"], "inventory");
    assert_eq!(input["encoding"], "shift_jis");
    assert_eq!(input["records"], 4);
    let mut got: Vec<(String, String)> =
        accounts(&ev).into_iter().map(|(s, a, _)| (s, a)).collect();
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("医事会計", "髙橋"),
        ("電子カルテ", "山田太郎"),
        ("電子カルテ", "管理者①"),
        ("ＰＡＣＳ", "ｶﾙﾃ担当"),
    ]
    .iter()
    .map(|(s, a)| (s.to_string(), a.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
    let systems: Vec<&str> = ev["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for s in ["医事会計", "電子カルテ", "ＰＡＣＳ"] {
        assert!(systems.contains(&s), "{systems:?}");
    }
    let find = |name: &str| {
        ev["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["account"] == name)
            .unwrap()
            .clone()
    };
    // The MFA column in Japanese was read: 10 characters pass with two-factor authentication.
    assert_eq!(find("管理者①")["path"], "8+mfa");
    assert_eq!(find("髙橋")["status"], "fail");
    // The names reach the reports intact; the plaintexts reach nothing.
    let files = written(dir.path());
    let md = files
        .iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "md"))
        .expect("a Markdown report");
    let md = String::from_utf8(md.1.clone()).unwrap();
    for name in ["髙橋", "管理者①", "ｶﾙﾃ担当", "電子カルテ", "shift\\_jis"] {
        assert!(md.contains(name), "the report lacks {name}");
    }
    for (path, bytes) in files
        .into_iter()
        .chain([("stderr".into(), o.stderr), ("stdout".into(), o.stdout)])
    {
        for plain in ["Kt7#vQ2m", "Zx9$Lp4wRt", "hanako2024"] {
            assert!(
                !contains(&bytes, plain.as_bytes()),
                "{} holds a plaintext",
                path.display()
            );
        }
    }
}

#[test]
fn a_utf16_dump_without_a_bom_is_read() {
    let (_, ev, _dir) = audit(&["pc-utf16-sam.txt"]);
    assert!(ev["input_errors"].as_array().unwrap().is_empty());
    let input = &ev["inputs"][0];
    assert_eq!(
        (&input["format"], &input["encoding"]),
        (&"pwdump".into(), &"utf-16le".into())
    );
    let names: Vec<String> = accounts(&ev).into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(names, ["Administrator", "Guest", "nurse01"]);
}

#[test]
fn a_missing_path_stops_the_audit_before_any_work() {
    // The example facility with one of its manifest's inputs gone, and options naming files that
    // are not there: each is named, and nothing is audited or written.
    let facility = tempfile::tempdir().unwrap();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/koro-hospital");
    for e in fs::read_dir(&example).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, facility.path().join(p.file_name().unwrap())).unwrap();
    }
    fs::remove_file(facility.path().join("pc-02-sam.txt")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report");
    let started = std::time::Instant::now();
    let o = kensa_in(
        facility.path(),
        &[
            "audit",
            "--manifest",
            "audit.toml",
            "--potfile",
            "no-such.potfile",
            "--wordlist",
            "no-such-words.txt",
            "--hibp",
            "no-such-corpus",
            "--no-progress",
            "--out",
            report.to_str().unwrap(),
            "missing-arg.txt",
        ],
    );
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    for path in [
        "pc-02-sam.txt",
        "no-such.potfile",
        "no-such-words.txt",
        "no-such-corpus",
        "missing-arg.txt",
    ] {
        assert!(
            stderr.contains(&format!("{path}: cannot read: no such file")),
            "{path} not named: {stderr}"
        );
    }
    assert!(stderr.contains("5 inputs cannot be read"), "{stderr}");
    assert!(!report.exists(), "nothing is written");
    // The whole audit of the example takes many seconds; the check takes milliseconds.
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");

    // A wordlist that is a directory, and an export, are checked the same way.
    let o = kensa_in(
        facility.path(),
        &["audit", "--wordlist", ".", "--hibp", "off", "pc-01-sam.txt"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".: cannot read: is a directory"));
    let o = kensa_in(
        facility.path(),
        &[
            "export",
            "hashcat",
            "--manifest",
            "audit.toml",
            "-o",
            "crack",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pc-02-sam.txt: cannot read"));
    assert!(!facility.path().join("crack").exists());
}
