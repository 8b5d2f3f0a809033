//! `kensa verify DIR`: re-reads every input an evidence.json records and compares SHA-256 and size,
//! so an inspector can confirm the evidence was made from the files in front of them.

use super::args::VerifyArgs;
use super::{out, Outcome};
use crate::error::{Error, ExitClass};
use crate::model::evidence::{Evidence, FileRef};
use sha2::Digest;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Run `kensa verify`: 0 all inputs unchanged, 1 some changed or missing, 2 evidence unreadable.
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
    if let Some(m) = ev.manifest.as_ref().filter(|m| m.sha256.is_some()) {
        rows.push(check(
            "manifest",
            &m.path,
            &open_path(m, None),
            m.sha256.as_deref().unwrap_or(""),
            m.size.unwrap_or(0),
        ));
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
    let bad = rows.iter().filter(|r| r.status != "ok").count();
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
                "expected": {"sha256": r.expected_sha, "size": r.expected_size},
                "actual": r.actual.as_ref().map(|(h, n)| serde_json::json!({"sha256": h, "size": n})),
            })).collect::<Vec<_>>(),
            "mode_warnings": mode_warnings,
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&j).unwrap_or_default()
        ));
    } else {
        out(&table(&rows, &file, bad));
    }
    Ok(if bad == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// One re-checked file.
struct Row {
    role: &'static str,
    path: String,
    opened: String,
    expected_sha: String,
    expected_size: u64,
    actual: Option<(String, u64)>,
    /// `ok` | `changed` | `missing`.
    status: &'static str,
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
        expected_size: size,
        actual,
        status,
    }
}

/// Evidence files in `dir` whose mode is not 0600.
fn evidence_modes(dir: &Path) -> Vec<String> {
    let mut w = Vec::new();
    for name in [
        "evidence.json",
        "evidence.md",
        "evidence.html",
        "evidence.csv",
        "evidence.xlsx",
    ] {
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

fn table(rows: &[Row], file: &Path, bad: usize) -> String {
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
            r.expected_size,
            ah,
            an
        ));
    }
    s.push_str(&if bad == 0 {
        format!("  all {} files unchanged\n", rows.len())
    } else {
        format!("  {bad} of {} files changed or missing\n", rows.len())
    });
    s
}
