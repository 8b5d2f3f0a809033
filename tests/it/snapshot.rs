//! The example facility's evidence, byte for byte, against the files in `tests/snapshots/`.
//!
//! The reports of `examples/koro-hospital` (the README's main command) are pinned whole, so a
//! change anywhere in the pipeline that alters a byte of the evidence shows here as a diff. The
//! facts of the run (start time, duration) and the checkout's path are masked. After an intended change of the output,
//! rewrite the files with `KENSA_BLESS=1 cargo test --test it snapshot` and review the diff.

use crate::support::root;
use std::path::Path;
use std::process::Command;

/// The lines that carry the time of the run, whatever the language or format.
const RUN_FACTS: [&str; 9] = [
    "\"started_at\"",
    "\"duration_ms\"",
    "実行開始",
    "所要時間",
    "Run started",
    "Duration",
    // How old the manifest's 確認日 is depends on the day the test runs.
    "\"checked_on_days_before_run\"",
    "確認日の指定",
    "Check date from",
];

/// `text` with the run's facts masked and the checkout's own path (recorded in
/// `run_info.*.absolute`) written `<repo>`, so the files match on any clone.
fn masked(text: &str) -> String {
    let root = root().display().to_string();
    let text = text.replace(&root, "<repo>");
    let mut out = String::with_capacity(text.len());
    // Inside evidence.json's `run` (its last key), the digests of the other reports
    // (`run.reports`) change with their run times.
    let mut in_run = false;
    for line in text.split_inclusive('\n') {
        in_run |= line.starts_with("  \"run\": {");
        let digest = in_run && (line.contains("\"sha256\"") || line.contains("\"size\""));
        if digest || RUN_FACTS.iter().any(|k| line.contains(k)) {
            let indent = line.len() - line.trim_start().len();
            out.push_str(&line[..indent]);
            out.push_str("<run fact masked>\n");
        } else {
            out.push_str(line);
        }
    }
    out
}

fn run_example(lang: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .current_dir(root())
        .args(["audit", "--manifest", "examples/koro-hospital/audit.toml"])
        .args(["--hibp", "off", "--quiet", "--format", "json,md,html,csv"])
        .args(["--lang", lang, "--out"])
        .arg(out)
        .status()
        .expect("kensa runs");
    // The example has failing accounts: exit 1 (findings).
    assert_eq!(status.code(), Some(1), "exit code of the example facility");
}

#[test]
fn example_facility_evidence_is_byte_identical() {
    let bless = std::env::var_os("KENSA_BLESS").is_some_and(|v| v == "1");
    let kept = root().join("tests/snapshots/koro-hospital");
    let mut mismatches = Vec::new();
    for lang in ["ja", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        run_example(lang, tmp.path());
        let files: &[&str] = match lang {
            "ja" => &[
                "evidence.json",
                "evidence.md",
                "evidence.html",
                "evidence.csv",
            ],
            // JSON and CSV do not depend on the language.
            _ => &["evidence.md", "evidence.html"],
        };
        for file in files {
            let got = std::fs::read_to_string(tmp.path().join(file)).unwrap();
            let got = masked(&got);
            let path = kept.join(format!("{lang}.{file}"));
            if bless {
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if got != want {
                let line = got
                    .lines()
                    .zip(want.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| got.lines().count().min(want.lines().count()))
                    + 1;
                mismatches.push(format!("{} differs from line {line}", path.display()));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "the example facility's evidence changed (KENSA_BLESS=1 to rewrite after review):\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn masking_keeps_every_other_line() {
    let text = "a\n  \"started_at\": \"x\",\nb\n- **所要時間（ミリ秒）**: 3\n";
    assert_eq!(
        masked(text),
        "a\n  <run fact masked>\nb\n<run fact masked>\n"
    );
    let json = "  \"inputs\": [{\n    \"sha256\": \"ab\",\n  \"run\": {\n      \"path\": \"evidence.md\",\n      \"sha256\": \"cd\",\n      \"size\": 9\n";
    assert_eq!(
        masked(json),
        "  \"inputs\": [{\n    \"sha256\": \"ab\",\n  \"run\": {\n      \"path\": \"evidence.md\",\n      <run fact masked>\n      <run fact masked>\n"
    );
}
