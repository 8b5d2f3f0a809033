//! `kensa verify DIR`: re-reads every input an evidence.json records and every report file of the
//! set (evidence.sha256, `run.reports`) and compares SHA-256 and size, so an inspector can confirm
//! the evidence was made from the files in front of them and that no report was edited since.

use super::args::VerifyArgs;
use super::{out, Outcome};
use crate::error::{Error, ExitClass};
use crate::model::evidence::{Evidence, FileRef, ReportDigest};
use crate::report::write::{parse_sums, SumLine};
use crate::report::{SET_FILES, SUMS_FILE};
use sha2::Digest;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Run `kensa verify`: 0 all inputs and reports unchanged, 1 some changed or missing (or the two
/// lists of report digests disagree), 2 evidence unreadable.
pub fn run(a: VerifyArgs) -> Result<Outcome, Error> {
    let (dir, file) = if a.dir.is_dir() {
        (a.dir.clone(), a.dir.join("evidence.json"))
    } else {
        (
            a.dir.parent().map_or(PathBuf::from("."), Path::to_path_buf),
            a.dir.clone(),
        )
    };
    let ev = read_evidence(&file)?;
    let mut rows = Vec::new();
    // The manifest, and a user's edition file (`--rules FILE`), which decided the verdicts: each
    // recorded with its own digest.
    let rules_file = ev.edition_rules.as_ref().and_then(|e| e.file.as_ref());
    for (role, r) in [("manifest", ev.manifest.as_ref()), ("rules", rules_file)] {
        if let Some(r) = r.filter(|r| r.sha256.is_some()) {
            rows.push(check(
                role,
                &r.path,
                &open_path(r, None),
                r.sha256.as_deref().unwrap_or(""),
                r.size.unwrap_or(0),
            ));
        }
    }
    for (i, input) in ev.inputs.iter().enumerate() {
        let recorded = ev.input_paths.get(i).filter(|r| r.path == input.path);
        let path = match recorded {
            Some(r) => open_path(r, None),
            // Older evidence without input_paths: relative to the manifest, else as recorded.
            None => match &ev.manifest {
                Some(m) => crate::manifest::Manifest::resolve(Path::new(&m.absolute), &input.path),
                None => PathBuf::from(&input.path),
            },
        };
        rows.push(check(
            "input",
            &input.path,
            &path,
            &input.sha256,
            input.size,
        ));
    }
    let inputs = rows.len();
    let text = std::fs::read(dir.join(SUMS_FILE))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let sums = match &text {
        Ok(t) => Sums::Text(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Sums::Absent,
        Err(e) => Sums::Unreadable(e.to_string()),
    };
    let reports = check_reports(&dir, ev.run.as_ref().map(|r| r.reports.as_slice()), sums);
    rows.extend(reports.rows.iter().cloned());
    let bad = rows.iter().filter(|r| r.status != "ok").count() + reports.problems.len();
    let mode_warnings = evidence_modes(&dir);
    for w in &mode_warnings {
        eprintln!("kensa: warning: {w}");
    }
    if a.json {
        let j = serde_json::json!({
            "evidence": file.display().to_string(),
            "ok": bad == 0,
            "files": rows.iter().map(|r| serde_json::json!({
                "role": r.role, "path": r.path, "opened": r.opened,
                "status": r.status,
                "reason": r.reason,
                "expected": {"sha256": r.expected_sha, "size": r.expected_size},
                "actual": r.actual.as_ref().map(|(h, n)| serde_json::json!({"sha256": h, "size": n})),
            })).collect::<Vec<_>>(),
            "reports": {
                "checked": reports.checked,
                "list": SUMS_FILE,
                "problems": reports.problems,
                "note": reports.note,
            },
            "mode_warnings": mode_warnings,
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&j).unwrap_or_default()
        ));
    } else {
        out(&table(&rows, &file, inputs, &reports));
    }
    Ok(if bad == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// One re-checked file.
#[derive(Debug, Clone)]
struct Row {
    /// `manifest` | `input` | `report`.
    role: &'static str,
    path: String,
    opened: String,
    expected_sha: String,
    /// Unknown for evidence.json, which only evidence.sha256 lists (with no size).
    expected_size: Option<u64>,
    actual: Option<(String, u64)>,
    /// `ok` | `changed` | `missing`.
    status: &'static str,
    /// For a report not `ok`: what it was compared with, e.g. `SHA-256 differs from evidence.sha256`.
    reason: Option<String>,
}

/// The check of the report files: one row per file either list names, and what is wrong with the
/// lists themselves (they disagree, a line is malformed, a file of the set is in neither).
#[derive(Debug, Default)]
struct Reports {
    /// False when there was nothing to check against (evidence written before the lists).
    checked: bool,
    rows: Vec<Row>,
    problems: Vec<String>,
    /// Said instead of a verdict when `checked` is false.
    note: Option<String>,
}

/// What evidence.sha256 holds.
enum Sums<'a> {
    Absent,
    Unreadable(String),
    Text(&'a str),
}

/// Checks the files of the evidence set in `dir` against the SHA-256 list (`sums`) and the digests
/// evidence.json records (`listed`: its `run.reports`, `None` when it has no `run`).
fn check_reports(dir: &Path, listed: Option<&[ReportDigest]>, sums: Sums<'_>) -> Reports {
    let listed = listed.unwrap_or(&[]);
    let mut r = Reports::default();
    if matches!(sums, Sums::Absent) && listed.is_empty() {
        r.note = Some(format!(
            "the report files were not checked: this evidence has neither {SUMS_FILE} nor \
             run.reports (written before kensa recorded report digests)"
        ));
        return r;
    }
    r.checked = true;
    // name -> (digest in evidence.sha256, digest and size in run.reports)
    let mut names: BTreeMap<String, (Option<String>, Option<&ReportDigest>)> = BTreeMap::new();
    let sums_read = matches!(sums, Sums::Text(_));
    match sums {
        Sums::Absent => r.problems.push(format!(
            "{SUMS_FILE}: missing (evidence.json lists reports; evidence.json itself cannot be checked)"
        )),
        Sums::Unreadable(e) => r
            .problems
            .push(format!("{SUMS_FILE}: cannot be read: {e}")),
        Sums::Text(text) => {
            for line in parse_sums(text) {
                match line {
                    SumLine::File { name, sha256 } => {
                        let slot = names.entry(name.clone()).or_default();
                        if slot.0.is_some() {
                            r.problems
                                .push(format!("{SUMS_FILE}: {name} is listed more than once"));
                        }
                        slot.0 = Some(sha256);
                    }
                    SumLine::Malformed { line, why } => {
                        r.problems.push(format!("{SUMS_FILE} line {line}: {why}"))
                    }
                }
            }
            if !names.contains_key("evidence.json") {
                r.problems.push(format!(
                    "{SUMS_FILE}: evidence.json is not listed (it is always written with the list)"
                ));
            }
        }
    }
    for d in listed {
        if d.path.contains('/') || d.path == ".." {
            r.problems.push(format!(
                "evidence.json run.reports: {} is not a file name of this directory",
                d.path
            ));
            continue;
        }
        names.entry(d.path.clone()).or_default().1 = Some(d);
    }
    for (name, (in_sums, in_json)) in &names {
        if name == "evidence.json" && in_json.is_some() {
            r.problems
                .push("evidence.json run.reports: lists evidence.json itself".to_string());
        }
        match (in_sums, in_json) {
            (Some(_), None) if name != "evidence.json" && !listed.is_empty() => r.problems.push(
                format!("{name}: in {SUMS_FILE} but not in evidence.json run.reports"),
            ),
            (None, Some(_)) if sums_read => r.problems.push(format!(
                "{name}: in evidence.json run.reports but not in {SUMS_FILE}"
            )),
            (Some(a), Some(b)) if !a.eq_ignore_ascii_case(&b.sha256) => r.problems.push(format!(
                "{name}: {SUMS_FILE} and evidence.json run.reports disagree on its SHA-256"
            )),
            _ => {}
        }
        r.rows
            .push(check_report(dir, name, in_sums.as_deref(), *in_json));
    }
    // A file of the set beside them that neither list names was not written with them.
    for name in SET_FILES {
        if name != SUMS_FILE && !names.contains_key(name) && dir.join(name).exists() {
            r.problems.push(format!(
                "{name}: present but in neither {SUMS_FILE} nor evidence.json run.reports \
                 (not written by the run that wrote them)"
            ));
        }
    }
    r
}

/// Re-hashes one report and compares it with what each list says.
fn check_report(
    dir: &Path,
    name: &str,
    in_sums: Option<&str>,
    in_json: Option<&ReportDigest>,
) -> Row {
    let open = dir.join(name);
    let actual = crate::engine::read_regular(&open, u64::MAX)
        .ok()
        .map(|b| (hex::encode(sha2::Sha256::digest(&b)), b.len() as u64));
    let mut differs = Vec::new();
    if let Some((h, n)) = &actual {
        if in_sums.is_some_and(|s| !s.eq_ignore_ascii_case(h)) {
            differs.push(SUMS_FILE);
        }
        if in_json.is_some_and(|d| !d.sha256.eq_ignore_ascii_case(h) || d.size != *n) {
            differs.push("evidence.json run.reports");
        }
    }
    let (status, reason) = match &actual {
        None => (
            "missing",
            Some("the file is gone or not a regular file".to_string()),
        ),
        Some(_) if !differs.is_empty() => (
            "changed",
            Some(format!("SHA-256 differs from {}", differs.join(" and "))),
        ),
        Some(_) => ("ok", None),
    };
    Row {
        role: "report",
        path: name.to_string(),
        opened: open.display().to_string(),
        expected_sha: in_json
            .map(|d| d.sha256.clone())
            .or(in_sums.map(str::to_string))
            .unwrap_or_default(),
        expected_size: in_json.map(|d| d.size),
        actual,
        status,
        reason,
    }
}

fn read_evidence(file: &Path) -> Result<Evidence, Error> {
    let bad = |m: String| Error::new(ExitClass::Input, m);
    let text = std::fs::read_to_string(file)
        .map_err(|e| bad(format!("{}: cannot read the evidence: {e}", file.display())))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| bad(format!("{}: the evidence is not JSON: {e}", file.display())))?;
    let schema = v.get("schema").and_then(|s| s.as_str()).unwrap_or("");
    if !schema.starts_with("kensa/evidence/") {
        return Err(bad(format!(
            "{}: not a kensa evidence.json",
            file.display()
        )));
    }
    serde_json::from_value(v)
        .map_err(|e| bad(format!("{}: malformed evidence: {e}", file.display())))
}

/// The absolute path when recorded, else the path as given (relative to `base` when one is given).
fn open_path(r: &FileRef, base: Option<&Path>) -> PathBuf {
    if !r.absolute.is_empty() {
        return PathBuf::from(&r.absolute);
    }
    match base {
        Some(b) => b.join(&r.path),
        None => PathBuf::from(&r.path),
    }
}

fn check(role: &'static str, path: &str, open: &Path, sha: &str, size: u64) -> Row {
    // A drop-in directory stands in the evidence for the digest of its files' listing.
    let actual = if open.is_dir() {
        crate::input::dropin::read(open)
            .ok()
            .map(|d| (d.sha256, d.size))
    } else {
        // Never waits on a named pipe put where an input was.
        crate::engine::read_regular(open, u64::MAX)
            .ok()
            .map(|b| (hex::encode(sha2::Sha256::digest(&b)), b.len() as u64))
    };
    let status = match &actual {
        None => "missing",
        Some((h, n)) if !sha.is_empty() && h.eq_ignore_ascii_case(sha) && *n == size => "ok",
        Some(_) => "changed",
    };
    Row {
        role,
        path: path.to_string(),
        opened: open.display().to_string(),
        expected_sha: sha.to_string(),
        expected_size: Some(size),
        actual,
        status,
        reason: None,
    }
}

/// Evidence files in `dir` whose mode is not 0600.
fn evidence_modes(dir: &Path) -> Vec<String> {
    let mut w = Vec::new();
    for name in SET_FILES {
        let p = dir.join(name);
        if let Ok(m) = std::fs::metadata(&p) {
            let mode = m.permissions().mode() & 0o777;
            if mode != 0o600 {
                w.push(format!(
                    "{}: mode {mode:o}, expected 600 (readable by others)",
                    p.display()
                ));
            }
        }
    }
    w
}

fn short(sha: &str) -> String {
    if sha.is_empty() {
        "-".into()
    } else {
        sha.chars().take(16).collect()
    }
}

fn table(rows: &[Row], file: &Path, inputs: usize, reports: &Reports) -> String {
    let width = rows
        .iter()
        .map(|r| r.path.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut s = format!("evidence {}\n", file.display());
    s.push_str(&format!(
        "  {:<7} {:<width$}  {:<16} {:>10}  {:<16} {:>10}\n",
        "status", "path", "expected sha256", "size", "actual sha256", "size"
    ));
    for r in rows {
        let (ah, an) = r
            .actual
            .as_ref()
            .map_or(("-".to_string(), "-".to_string()), |(h, n)| {
                (short(h), n.to_string())
            });
        s.push_str(&format!(
            "  {:<7} {:<width$}  {:<16} {:>10}  {:<16} {:>10}\n",
            r.status,
            r.path,
            short(&r.expected_sha),
            r.expected_size.map_or("-".to_string(), |n| n.to_string()),
            ah,
            an
        ));
    }
    // Each report by name, with what it was compared with: the line an inspector reads.
    for r in rows.iter().filter(|r| r.role == "report") {
        match &r.reason {
            Some(why) => s.push_str(&format!("  {}: {} ({why})\n", r.path, r.status)),
            None => s.push_str(&format!("  {}: {}\n", r.path, r.status)),
        }
    }
    for p in &reports.problems {
        s.push_str(&format!("  {p}\n"));
    }
    let bad = rows.iter().filter(|r| r.status != "ok").count();
    let report_rows = rows.len() - inputs;
    if !reports.checked {
        s.push_str(&if bad == 0 {
            format!("  all {inputs} inputs unchanged\n")
        } else {
            format!("  {bad} of {inputs} inputs changed or missing\n")
        });
        if let Some(note) = &reports.note {
            s.push_str(&format!("  {note}\n"));
        }
        return s;
    }
    let problems = reports.problems.len();
    s.push_str(&match (bad, problems) {
        (0, 0) => format!(
            "  all {} files unchanged ({inputs} inputs, {report_rows} reports)\n",
            rows.len()
        ),
        (0, _) => format!(
            "  no file differs from its recorded digest, but the report digest lists have \
             {problems} problem(s): the set does not hold\n"
        ),
        _ => format!("  {bad} of {} files changed or missing\n", rows.len()),
    });
    if bad > 0 && problems > 0 {
        s.push_str(&format!(
            "  {problems} problem(s) with the report digest lists\n"
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A set as `kensa audit` leaves it: md and html listed in run.reports, everything in the list.
    fn set(dir: &Path) -> (Vec<ReportDigest>, String) {
        let digest = |name: &str, body: &str| {
            fs::write(dir.join(name), body).unwrap();
            ReportDigest {
                path: name.into(),
                sha256: hex::encode(sha2::Sha256::digest(body.as_bytes())),
                size: body.len() as u64,
            }
        };
        let listed = vec![
            digest("evidence.html", "<td>いいえ</td>"),
            digest("evidence.md", "| 2-⑦ | いいえ |"),
        ];
        let json = digest("evidence.json", "{}");
        let mut all = vec![listed[0].clone(), json, listed[1].clone()];
        all.sort_by(|a, b| a.path.cmp(&b.path));
        (listed, crate::report::write::sums_text(&all))
    }

    fn statuses(r: &Reports) -> Vec<(String, &'static str)> {
        r.rows.iter().map(|x| (x.path.clone(), x.status)).collect()
    }

    #[test]
    fn an_untouched_set_holds() {
        let tmp = tempfile::tempdir().unwrap();
        let (listed, sums) = set(tmp.path());
        let r = check_reports(tmp.path(), Some(&listed), Sums::Text(&sums));
        assert!(r.checked && r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(
            statuses(&r),
            [
                ("evidence.html".into(), "ok"),
                ("evidence.json".into(), "ok"),
                ("evidence.md".into(), "ok")
            ]
        );
    }

    #[test]
    fn edited_reports_are_named_changed_with_what_they_differ_from() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let (listed, sums) = set(d);
        fs::write(d.join("evidence.md"), "| 2-⑦ | はい |").unwrap();
        fs::write(d.join("evidence.json"), "{\"edited\": 1}").unwrap();
        let r = check_reports(d, Some(&listed), Sums::Text(&sums));
        assert_eq!(
            statuses(&r),
            [
                ("evidence.html".into(), "ok"),
                ("evidence.json".into(), "changed"),
                ("evidence.md".into(), "changed")
            ]
        );
        assert_eq!(
            r.rows[2].reason.as_deref(),
            Some("SHA-256 differs from evidence.sha256 and evidence.json run.reports")
        );
        assert_eq!(
            r.rows[1].reason.as_deref(),
            Some("SHA-256 differs from evidence.sha256")
        );
        // The list recomputed after the edit still disagrees with evidence.json.
        let mut forged = sums.clone();
        let md = hex::encode(sha2::Sha256::digest("| 2-⑦ | はい |".as_bytes()));
        forged = forged
            .lines()
            .map(|l| {
                if l.ends_with("evidence.md") {
                    format!("{md}  evidence.md\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        let r = check_reports(d, Some(&listed), Sums::Text(&forged));
        assert_eq!(r.rows[2].status, "changed");
        assert_eq!(
            r.rows[2].reason.as_deref(),
            Some("SHA-256 differs from evidence.json run.reports")
        );
        assert!(
            r.problems.iter().any(|p| p.contains("disagree")),
            "{:?}",
            r.problems
        );
    }

    #[test]
    fn missing_reports_and_a_missing_list_are_caught() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let (listed, sums) = set(d);
        fs::remove_file(d.join("evidence.html")).unwrap();
        let r = check_reports(d, Some(&listed), Sums::Text(&sums));
        assert_eq!(r.rows[0].status, "missing");
        assert!(r.problems.is_empty());
        // Without evidence.sha256, run.reports is still checked and the absence is a problem.
        let r = check_reports(d, Some(&listed), Sums::Absent);
        assert!(r.checked);
        assert!(
            r.problems[0].starts_with("evidence.sha256: missing"),
            "{:?}",
            r.problems
        );
        assert_eq!(r.rows.len(), 2);
    }

    #[test]
    fn an_extra_or_malformed_line_and_an_unlisted_file_are_problems() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let (listed, sums) = set(d);
        fs::write(d.join("evidence.csv"), "a,b\n").unwrap();
        let extra = format!(
            "{sums}{}  evidence.csv\nnot a line\n{}  ../etc/passwd\n",
            "ab".repeat(32),
            "cd".repeat(32)
        );
        let r = check_reports(d, Some(&listed), Sums::Text(&extra));
        let problems = r.problems.join("\n");
        assert!(
            problems
                .contains("evidence.csv: in evidence.sha256 but not in evidence.json run.reports"),
            "{problems}"
        );
        assert!(
            problems.contains("evidence.sha256 line 5: not a SHA-256 in hex"),
            "{problems}"
        );
        assert!(
            problems.contains("line 6: not a file name of this directory"),
            "{problems}"
        );
        let csv = r.rows.iter().find(|x| x.path == "evidence.csv").unwrap();
        assert_eq!(csv.status, "changed");
        // A file of the set that no list names.
        let r = check_reports(d, Some(&listed), Sums::Text(&sums));
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert!(r.problems[0].starts_with("evidence.csv: present but in neither"));
    }

    #[test]
    fn evidence_without_either_list_is_not_called_unchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let r = check_reports(tmp.path(), None, Sums::Absent);
        assert!(!r.checked && r.rows.is_empty() && r.problems.is_empty());
        assert!(r.note.unwrap().contains("not checked"));
        let rows = vec![];
        let text = table(
            &rows,
            Path::new("evidence.json"),
            0,
            &check_reports(tmp.path(), Some(&[]), Sums::Absent),
        );
        assert!(!text.contains("files unchanged"), "{text}");
        assert!(text.contains("report files were not checked"), "{text}");
    }
}
