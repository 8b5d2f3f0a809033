//! The integrity of an evidence set end to end: the SHA-256 list `kensa audit` writes beside the
//! reports (checked with the real `sha256sum`), `kensa verify` naming an edited report, and the
//! example facility's evidence.json validated against `kensa schema` by an independent validator
//! (Python's `jsonschema`).

use crate::support::{audit_into, code, example, kensa, stderr, stdout};
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

/// Audit the example facility offline into `out`.
fn audit_example(out: &Path, formats: &str) {
    let (o, _) = audit_into(
        out,
        &[
            "--manifest",
            example().to_str().unwrap(),
            "--hibp",
            "off",
            "--quiet",
            "--format",
            formats,
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn audit_writes_a_sha256_list_that_sha256sum_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    audit_example(&out, "all");
    let sums = fs::read_to_string(out.join("evidence.sha256")).unwrap();
    let listed: Vec<&str> = sums.lines().map(|l| &l[66..]).collect();
    assert_eq!(
        listed,
        [
            "evidence.csv",
            "evidence.html",
            "evidence.json",
            "evidence.md",
            "evidence.xlsx",
            "worklist.csv"
        ]
    );
    assert_eq!(crate::support::mode_of(&out.join("evidence.sha256")), 0o600);
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", "evidence.sha256"])
        .current_dir(&out)
        .output()
        .expect("sha256sum runs");
    assert!(check.status.success(), "{}", stdout(&check));
    assert_eq!(stdout(&check).matches(": OK").count(), 6);

    // evidence.json lists the other five with the same digests, and their sizes.
    let ev: Value =
        serde_json::from_str(&fs::read_to_string(out.join("evidence.json")).unwrap()).unwrap();
    let reports = ev["run"]["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 5);
    for r in reports {
        let name = r["path"].as_str().unwrap();
        let line = sums.lines().find(|l| l.ends_with(name)).unwrap();
        assert_eq!(r["sha256"], line[..64], "{name}");
        assert_eq!(
            r["size"],
            fs::metadata(out.join(name)).unwrap().len(),
            "{name}"
        );
    }

    // A later run with fewer formats: the list and the directory hold that run's files only.
    audit_example(&out, "json,md");
    assert_eq!(
        names_in(&out),
        ["evidence.json", "evidence.md", "evidence.sha256"]
    );
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", "evidence.sha256"])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
    assert_eq!(stdout(&check).lines().count(), 2);
}

#[test]
fn verify_names_the_edited_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    audit_example(&out, "json,md,html,csv");
    let dir = out.to_str().unwrap();
    let o = kensa(&["verify", dir]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("evidence.md: ok"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("files unchanged (12 inputs, 5 reports)"),
        "{}",
        stdout(&o)
    );

    // The issue's check: いいえ edited to はい in the md and the html.
    for name in ["evidence.md", "evidence.html"] {
        let p = out.join(name);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains("いいえ"), "{name}");
        fs::write(&p, text.replacen("いいえ", "はい", 1)).unwrap();
    }
    let o = kensa(&["verify", dir]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let text = stdout(&o);
    for name in ["evidence.md", "evidence.html"] {
        assert!(
            text.contains(&format!(
                "{name}: changed (SHA-256 differs from evidence.sha256 and evidence.json run.reports)"
            )),
            "{text}"
        );
    }
    assert!(text.contains("evidence.csv: ok") && text.contains("evidence.json: ok"));
    assert!(text.contains("2 of 17 files changed or missing"), "{text}");

    // evidence.json itself edited (its run.reports made to match): caught by evidence.sha256.
    let p = out.join("evidence.json");
    let json = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        json.replacen("\"answer\": \"no\"", "\"answer\": \"yes\"", 1),
    )
    .unwrap();
    fs::remove_file(out.join("evidence.csv")).unwrap();
    let o = kensa(&["verify", "--json", dir]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let status = |name: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == name && f["role"] == "report")
            .unwrap_or_else(|| panic!("{name} in {v}"))["status"]
            .clone()
    };
    assert_eq!(status("evidence.json"), "changed");
    assert_eq!(status("evidence.csv"), "missing");
    assert_eq!(status("evidence.md"), "changed");
    assert_eq!(v["ok"], false);
    assert_eq!(v["reports"]["checked"], true);
}

#[test]
fn evidence_without_report_digests_is_not_called_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    audit_example(&out, "json,md");
    // As an older kensa wrote it: no evidence.sha256, no run.reports.
    fs::remove_file(out.join("evidence.sha256")).unwrap();
    let p = out.join("evidence.json");
    let mut v: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
    v["run"].as_object_mut().unwrap().remove("reports");
    fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = kensa(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("all 12 inputs unchanged"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("report files were not checked"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("files unchanged"), "{}", stdout(&o));
    let o = kensa(&["verify", "--json", out.to_str().unwrap()]);
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["reports"]["checked"], false);
}

/// Validates each of `docs` against `schema` with Python's `jsonschema` (draft 2020-12): `None`
/// when the validator is not installed (a notice, or a failure under `KENSA_REQUIRE_JSONSCHEMA=1`,
/// which CI sets), else one `valid` or `invalid: …` per document.
fn validate(schema: &Path, docs: &[&Path]) -> Option<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit(77)
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path, encoding="utf-8"))), key=str)
    print("valid" if not errors else "invalid: " + errors[0].message)
"#;
    let o = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(schema)
        .args(docs)
        .output();
    let missing = match &o {
        Err(_) => true,
        Ok(o) => o.status.code() == Some(77),
    };
    if missing {
        if std::env::var("KENSA_REQUIRE_JSONSCHEMA").as_deref() == Ok("1") {
            panic!("python3 with the jsonschema module is required (KENSA_REQUIRE_JSONSCHEMA=1)");
        }
        eprintln!("python3 -c 'import jsonschema' fails: the schema is not validated here");
        return None;
    }
    let o = o.unwrap();
    assert!(o.status.success(), "validator failed: {}", stderr(&o));
    Some(stdout(&o).lines().map(str::to_string).collect())
}

#[test]
fn the_example_evidence_validates_against_kensa_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let o = kensa(&["schema"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let schema: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(schema["$id"], "kensa/evidence/1");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let schema_path = tmp.path().join("schema.json");
    fs::write(&schema_path, stdout(&o)).unwrap();

    let out = tmp.path().join("report");
    audit_example(&out, "json");
    let good = out.join("evidence.json");
    let ev: Value = serde_json::from_str(&fs::read_to_string(&good).unwrap()).unwrap();
    // The schema must not be permissive: an unknown key anywhere, or an answer kensa never
    // writes, is invalid.
    let variant = |name: &str, edit: &dyn Fn(&mut Value)| {
        let mut v = ev.clone();
        edit(&mut v);
        let p = tmp.path().join(name);
        fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        p
    };
    let unknown_top = variant("top.json", &|v| {
        v["signed_by"] = "nobody".into();
    });
    let unknown_nested = variant("nested.json", &|v| {
        v["accounts"][0]["password"] = "x".into();
    });
    let maybe = variant("maybe.json", &|v| {
        v["items"][0]["answer"] = "maybe".into();
    });
    let no_schema = variant("missing.json", &|v| {
        v.as_object_mut().unwrap().remove("items");
    });
    let Some(verdicts) = validate(
        &schema_path,
        &[&good, &unknown_top, &unknown_nested, &maybe, &no_schema],
    ) else {
        return;
    };
    assert_eq!(verdicts.len(), 5, "{verdicts:?}");
    assert_eq!(verdicts[0], "valid", "the example's evidence.json");
    for (i, what) in ["top", "nested", "maybe", "missing"].iter().enumerate() {
        assert!(
            verdicts[i + 1].starts_with("invalid"),
            "{what}: {}",
            verdicts[i + 1]
        );
    }
    assert!(verdicts[1].contains("signed_by"), "{}", verdicts[1]);
    assert!(verdicts[3].contains("maybe"), "{}", verdicts[3]);
}
