//! The evidence says what is true of each part of the audit: inputs, recovery and the breach
//! check are complete, incomplete or not performed (never 完了 under `--hibp off`); an item is
//! never はい when an account input of its scope was not read whole; and a 確認日 fixed long ago
//! in the manifest is warned about and noted.

use crate::support::{audit, code, example, stderr, stdout};
use kensa::model::evidence::{Answer, Evidence};
use kensa::model::tags::{DateSource, PartReason, PartStatus};
use std::fs;
use std::io::Read;
use std::path::Path;

/// Every part of every file of the workbook, as text (the cells are in the shared strings).
fn workbook_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = String::new();
        if part.read_to_string(&mut text).is_ok() {
            all.push_str(&text);
        }
    }
    all
}

/// The header of a Markdown report: the lines before the first section.
fn md_header(md: &str) -> &str {
    &md[..md.find("\n## ").unwrap()]
}

#[test]
fn hibp_off_is_not_performed_in_the_evidence_and_in_every_report() {
    let m = example();
    let (o, ev, d) = audit(&[
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--salted-budget",
        "1000000",
        "--format",
        "json,md,html,xlsx",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let c = ev.completeness.as_ref().expect("completeness");
    assert_eq!(c.breach_check.status, PartStatus::NotPerformed);
    assert_eq!(c.breach_check.reason, Some(PartReason::HibpOff));
    assert_eq!(c.inputs.status, PartStatus::Complete);
    // Not performed is not incomplete: the exit code stays that of the findings.
    assert!(ev.complete);
    let text = fs::read_to_string(d.path().join("report/evidence.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["completeness"]["breach_check"],
        serde_json::json!({"status": "not_performed", "reason": "hibp_off"})
    );
    // Just before `run`, which stays last.
    let at = |k: &str| text.find(&format!("\n  \"{k}\": ")).unwrap();
    assert!(at("breach_check") < at("completeness") && at("completeness") < at("run"));

    let claim = "漏えい照会：未実施 — --hibp off が指定された";
    let md = fs::read_to_string(d.path().join("report/evidence.md")).unwrap();
    let head = md_header(&md);
    assert!(head.contains("- **エビデンスの状態**: 一部未"), "{head}");
    assert!(head.contains(claim), "{head}");
    assert!(head.contains("- **漏えい照会**: 未実施 — --hibp off が指定された"));
    assert!(!head.contains("完全"), "{head}");
    let html = fs::read_to_string(d.path().join("report/evidence.html")).unwrap();
    assert!(html.contains("<dt>漏えい照会</dt><dd>未実施 — --hibp off が指定された</dd>"));
    assert!(!html.contains("完全（"));
    let xlsx = workbook_text(&d.path().join("report/evidence.xlsx"));
    assert!(xlsx.contains(claim));
    assert!(xlsx.contains("未実施 — --hibp off が指定された"));
    assert!(!xlsx.contains("完全（"));
    let out = stdout(&o);
    assert!(
        out.contains("  漏えい照会: 未実施 — --hibp off が指定された\n"),
        "{out}"
    );
    assert!(out.contains("  エビデンスの状態: 一部未"), "{out}");
    assert!(!out.contains("完全"), "{out}");
    assert!(out.contains("／漏えい照会：未実施\n"), "{out}");
    assert!(!out.contains("skipped (0 found)"), "{out}");
}

/// A facility of one system whose inventory gives one strong password, plus `extra` lines.
fn one_strong_account(dir: &Path, extra: &str) -> std::path::PathBuf {
    fs::write(
        dir.join("web.csv"),
        format!("system,account,password,mfa\nweb,admin,Kx8#mQ2$vL9!pZ4&,\n{extra}"),
    )
    .unwrap();
    let m = dir.join("audit.toml");
    fs::write(
        &m,
        "facility = \"テスト病院\"\n[[system]]\nid = \"web\"\nkind = \"application\"\ninputs = [\"web.csv\"]\n",
    )
    .unwrap();
    m
}

fn audit_one(m: &Path) -> (std::process::Output, Evidence, tempfile::TempDir) {
    audit(&[
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--no-default-wordlists",
    ])
}

#[test]
fn an_account_input_not_read_whole_makes_yes_undetermined_and_inputs_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let m = one_strong_account(dir.path(), "");
    let (o, ev, _d) = audit_one(&m);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        ev.items.iter().map(|i| i.answer).collect::<Vec<_>>(),
        [Answer::Yes, Answer::Yes]
    );
    let c = ev.completeness.as_ref().unwrap();
    assert_eq!(c.inputs.status, PartStatus::Complete);
    // Every password was given: nothing to recover.
    assert_eq!(
        (c.recovery.status, c.recovery.reason),
        (PartStatus::NotPerformed, Some(PartReason::NoHashes))
    );

    // The same, with a line that cannot be read (an extra comma): the account it held is lost.
    let m = one_strong_account(dir.path(), "web,carol,,Zq7!kW3#rT8$yU2%\n");
    let (o, ev, d) = audit_one(&m);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(!ev.complete);
    for i in &ev.items {
        assert_eq!(i.answer, Answer::Undetermined, "{}: {}", i.item, i.remarks);
        assert!(i.remarks.contains("web.csv"), "{}", i.remarks);
    }
    for c in &ev.checklists {
        assert!(c.items.iter().all(|i| i.answer == Answer::Undetermined));
    }
    let c = ev.completeness.as_ref().unwrap();
    assert_eq!(c.inputs.status, PartStatus::Incomplete);
    assert_eq!(c.inputs.reason, Some(PartReason::InputErrors));
    assert_eq!(c.inputs.count, Some(1));
    assert_eq!(c.inputs.files, ["web.csv"]);
    let md = fs::read_to_string(d.path().join("report/evidence.md")).unwrap();
    assert!(md_header(&md).contains("- **入力の読み取り**: 未完了 — 入力エラー 1 件（web.csv）"));
    assert!(!md.contains("Zq7!kW3#rT8$yU2%"));
}

/// A copy of the example facility in `dir` whose manifest sets `checked_on` to `date` (or
/// leaves it out).
fn example_with_checked_on(dir: &Path, date: Option<&str>) -> std::path::PathBuf {
    for e in fs::read_dir(crate::support::example_dir()).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let text = fs::read_to_string(example()).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("checked_on") {
            if let Some(d) = date {
                out.push_str(&format!("checked_on = \"{d}\"\n"));
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    let m = dir.join("audit.toml");
    fs::write(&m, out).unwrap();
    m
}

fn audit_dated(m: &Path, extra: &[&str]) -> (std::process::Output, Evidence, tempfile::TempDir) {
    let mut args = vec![
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--no-default-wordlists",
        "--salted-budget",
        "1000",
    ];
    args.extend_from_slice(extra);
    audit(&args)
}

#[test]
fn an_old_checked_on_is_warned_about_and_noted_and_check_date_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let m = example_with_checked_on(dir.path(), Some("2020-01-06"));
    let (o, ev, d) = audit_dated(&m, &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("kensa: warning: ") && err.contains("checked_on = 2020-01-06"),
        "{err}"
    );
    assert!(err.contains("audit.toml"), "{err}");
    assert_eq!(ev.checked_on, "2020-01-06");
    assert_eq!(ev.checked_on_source, Some(DateSource::Manifest));
    let days = ev.run.as_ref().unwrap().checked_on_days_before_run.unwrap();
    assert!(days > 30, "{days}");
    let md = fs::read_to_string(d.path().join("report/evidence.md")).unwrap();
    assert!(
        md_header(&md).contains(&format!(
            "- **確認日の指定**: マニフェストで指定（実行日の{days}日前）"
        )),
        "{md}"
    );
    // --quiet hides warnings (errors never).
    let (o, _, _d) = audit_dated(&m, &["--quiet"]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));

    // --check-date wins over the manifest: no warning, the option recorded.
    let (o, ev, _d) = audit_dated(&m, &["--check-date", "2026-01-05"]);
    assert!(!stderr(&o).contains("checked_on"), "{}", stderr(&o));
    assert_eq!(ev.checked_on, "2026-01-05");
    assert_eq!(ev.checked_on_source, Some(DateSource::CheckDateOption));
    assert!(ev.items.iter().all(|i| i.checked_on == "2026-01-05"));

    // A recent checked_on is not warned about; none at all is the day of the run.
    let today = chrono::Local::now().date_naive();
    let recent = (today - chrono::Days::new(3)).to_string();
    let m = example_with_checked_on(dir.path(), Some(&recent));
    let (o, ev, _d) = audit_dated(&m, &[]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    assert_eq!(ev.run.as_ref().unwrap().checked_on_days_before_run, Some(3));
    let m = example_with_checked_on(dir.path(), None);
    let (_, ev, d) = audit_dated(&m, &[]);
    assert_eq!(ev.checked_on_source, Some(DateSource::Today));
    assert_eq!(ev.checked_on, today.to_string());
    assert_eq!(ev.run.as_ref().unwrap().checked_on_days_before_run, None);
    let md = fs::read_to_string(d.path().join("report/evidence.md")).unwrap();
    assert!(!md.contains("確認日の指定"));
}
