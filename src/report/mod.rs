//! Renders the [`Evidence`] into the report files (json, md, html, csv, xlsx) in Japanese or
//! English.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
mod markup;
pub mod svg;
pub mod worklist;
pub mod write;
pub mod xlsx;

mod doc;
#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod golden;

use crate::model::evidence::{Evidence, ReportDigest};
use rayon::prelude::*;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A report file kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Md,
    Html,
    Csv,
    Xlsx,
}

impl ReportFormat {
    /// Every format, in a stable order (text reports first, then the xlsx workbook).
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Json,
        ReportFormat::Md,
        ReportFormat::Html,
        ReportFormat::Csv,
        ReportFormat::Xlsx,
    ];

    /// Parses a `--format` name (case-insensitive): `json`, `md`/`markdown`, `html`/`htm`, `csv`,
    /// `xlsx`/`excel`.
    pub fn from_name(name: &str) -> Option<ReportFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "json" => Some(ReportFormat::Json),
            "md" | "markdown" => Some(ReportFormat::Md),
            "html" | "htm" => Some(ReportFormat::Html),
            "csv" => Some(ReportFormat::Csv),
            "xlsx" | "excel" => Some(ReportFormat::Xlsx),
            _ => None,
        }
    }

    /// The canonical `--format` name.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Md => "md",
            ReportFormat::Html => "html",
            ReportFormat::Csv => "csv",
            ReportFormat::Xlsx => "xlsx",
        }
    }

    /// The file written for this format: `evidence.json`, `evidence.md`, `evidence.html`,
    /// `evidence.csv`, `evidence.xlsx`.
    pub fn file_name(self) -> &'static str {
        match self {
            ReportFormat::Json => "evidence.json",
            ReportFormat::Md => "evidence.md",
            ReportFormat::Html => "evidence.html",
            ReportFormat::Csv => "evidence.csv",
            ReportFormat::Xlsx => "evidence.xlsx",
        }
    }

    /// Whether the report is UTF-8 text (everything but xlsx), i.e. whether [`render`] applies.
    pub fn is_text(self) -> bool {
        self != ReportFormat::Xlsx
    }
}

/// The language of the human reports (defined with the words).
pub use crate::words::Lang;

/// Text from the inputs (account and system names, file names, remarks that quote them) as every
/// human report and the terminal show it: control characters become visible stand-ins, so a NUL,
/// an escape sequence or a line break in a name can neither hide, break a table or an XML part,
/// nor pass as two lines. C0 (tab and line breaks included) and DEL become their Control Pictures
/// (`␀` `␉` `␊` `␛` `␡`, U+2400–U+2421); C1 controls, the line and paragraph separators and the
/// bidirectional controls that reorder what a reader sees become `<U+XXXX>`. The JSON evidence
/// keeps the exact text (serde escapes it).
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    use std::fmt::Write as _;
    let Some(first) = s.find(|c| stand_in(c).is_some()) else {
        return std::borrow::Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match stand_in(c) {
            Some(Ok(picture)) => out.push(picture),
            Some(Err(code)) => {
                let _ = write!(out, "<U+{code:04X}>");
            }
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What [`visible`] shows for `c`: a Control Picture, or the code point to write as `<U+XXXX>`;
/// `None` for a character shown as it is.
fn stand_in(c: char) -> Option<Result<char, u32>> {
    let n = u32::from(c);
    match n {
        0x00..=0x1F => char::from_u32(0x2400 + n).map(Ok),
        0x7F => Some(Ok('\u{2421}')),
        0x80..=0x9F
        | 0x2028
        | 0x2029
        | 0x061C
        | 0x200E
        | 0x200F
        | 0x202A..=0x202E
        | 0x2066..=0x2069 => Some(Err(n)),
        _ => None,
    }
}

/// Renders one text report to a string. The xlsx workbook is binary: for
/// [`ReportFormat::Xlsx`] this returns an empty string; use [`render_bytes`] for it.
pub fn render(ev: &Evidence, format: ReportFormat, lang: Lang) -> String {
    match format {
        ReportFormat::Json => json::render(ev),
        ReportFormat::Md => markdown::render(ev, lang),
        ReportFormat::Html => html::render(ev, lang),
        ReportFormat::Csv => csv::render(ev, lang),
        ReportFormat::Xlsx => String::new(),
    }
}

/// Renders one report to the bytes of its file: the xlsx workbook, or the UTF-8 of a text report.
pub fn render_bytes(ev: &Evidence, format: ReportFormat, lang: Lang) -> Vec<u8> {
    match format {
        ReportFormat::Xlsx => xlsx::render(ev, lang),
        _ => render(ev, format, lang).into_bytes(),
    }
}

/// Writes one report into `out`: the same bytes as [`render_bytes`], the text reports streamed
/// as they are rendered.
pub fn write_to(
    ev: &Evidence,
    format: ReportFormat,
    lang: Lang,
    out: &mut impl Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => json::write(ev, out),
        ReportFormat::Md => markdown::write(ev, lang, out),
        ReportFormat::Html => html::write(ev, lang, out),
        ReportFormat::Csv => csv::write(ev, lang, out),
        ReportFormat::Xlsx => {
            let bytes = xlsx::try_render(ev, lang)
                .map_err(|e| io::Error::other(format!("evidence.xlsx: {e}")))?;
            out.write_all(&bytes)
        }
    }
}

/// Size of the buffer between a report being rendered and its file.
const WRITE_BUFFER: usize = 256 * 1024;

/// The SHA-256 list of the files a run wrote, beside them, in `sha256sum` format
/// (`sha256sum -c evidence.sha256` in the directory checks the set, evidence.json included).
pub const SUMS_FILE: &str = "evidence.sha256";

/// The files of an evidence set: what [`write_reports`] replaces in its directory, whichever formats
/// a run writes (a previous run's other formats are removed, so a directory never mixes two runs).
pub const SET_FILES: [&str; 7] = [
    "evidence.json",
    "evidence.md",
    "evidence.html",
    "evidence.csv",
    "evidence.xlsx",
    worklist::FILE_NAME,
    SUMS_FILE,
];

/// Writes the requested reports into `dir` (created with mode 0700 if missing), each atomically
/// with mode 0600, and [`SUMS_FILE`], the SHA-256 of each of them. Returns the paths written, in
/// the order of `formats` (duplicates written once), then [`SUMS_FILE`]. evidence.json is the one
/// [`Evidence`] serialised: the engine's, with what the command line added to it (`baseline`,
/// `run`) and, when it has a `run`, `run.reports`: the digests of the other reports, which this
/// function sets (so evidence.json names the md that goes with it).
///
/// The reports are rendered in parallel, each streamed into its file in a private staging
/// directory inside `dir` and hashed as it is written: JSON by serde, the others row by row, so
/// that writing them adds only their buffers to the memory of the run, however many accounts
/// there are (xlsx, built in memory, is the exception). evidence.json comes after the others,
/// which it lists, and the SHA-256 list last. Only when every file is written and synced is the
/// set swapped in ([`write::replace_set`]). On an error the first one in the order of `formats`
/// among the other reports (else evidence.json's, else the list's) is returned, the previous set
/// in `dir` is untouched and no staging file is left behind.
pub fn write_reports(
    ev: &mut Evidence,
    dir: &Path,
    formats: &[ReportFormat],
    lang: Lang,
) -> io::Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let in_way = write::in_the_way(dir, &SET_FILES);
    if !in_way.is_empty() {
        return Err(io::Error::other(format!(
            "{} is in the way (not a regular file); nothing was written",
            in_way.join(", ")
        )));
    }
    let mut unique: Vec<ReportFormat> = Vec::new();
    for &format in formats {
        if !unique.contains(&format) {
            unique.push(format);
        }
    }
    let staging = write::PrivateDir::new(dir, "staging")?;
    let others: Vec<ReportFormat> = unique
        .iter()
        .copied()
        .filter(|&f| f != ReportFormat::Json)
        .collect();
    let want_json = unique.contains(&ReportFormat::Json);
    let with_worklist = unique.contains(&ReportFormat::Csv);
    let shared: &Evidence = ev;
    let staged = staging.path();
    // evidence.json is written beside the others, all but its `run` object, which lists their
    // digests and is added once they are known. Its writer waits for them on a thread of its own,
    // never on one of rayon's (a rayon thread waiting could be the one the others need).
    let (tx, rx) = std::sync::mpsc::channel::<Vec<ReportDigest>>();
    let (others_done, json_done) = std::thread::scope(|s| {
        let json = want_json.then(|| s.spawn(move || stage_json(shared, staged, rx)));
        // worklist.csv goes with evidence.csv: the CSV format writes both.
        let jobs: Vec<Option<ReportFormat>> = others
            .iter()
            .map(|&f| Some(f))
            .chain(with_worklist.then_some(None))
            .collect();
        let results: Vec<io::Result<ReportDigest>> = jobs
            .par_iter()
            .map(|&job| match job {
                Some(format) => stage(shared, format, lang, staged),
                None => stage_worklist(shared, lang, staged),
            })
            .collect();
        let mut done: io::Result<Vec<ReportDigest>> = results.into_iter().collect();
        if let Ok(d) = &mut done {
            d.sort_by(|a, b| a.path.cmp(&b.path));
            // The writer of evidence.json is waiting for this (a closed channel tells it to stop).
            let _ = tx.send(d.clone());
        }
        drop(tx);
        let json = json.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(io::Error::other("evidence.json: its writer panicked")))
        });
        (done, json)
    });
    let mut digests = others_done?;
    if let Some(json) = json_done {
        if let Some(run) = ev.run.as_mut() {
            run.reports = digests.clone();
        }
        digests.push(json?);
        digests.sort_by(|a, b| a.path.cmp(&b.path));
    }
    write::write_atomic(
        &staging.path().join(SUMS_FILE),
        write::sums_text(&digests).as_bytes(),
    )?;
    let mut names: Vec<&str> = Vec::new();
    for f in &unique {
        names.push(f.file_name());
        if *f == ReportFormat::Csv {
            names.push(worklist::FILE_NAME);
        }
    }
    names.push(SUMS_FILE);
    write::replace_set(dir, staging.path(), &names, &SET_FILES)?;
    Ok(names.iter().map(|n| dir.join(n)).collect())
}

/// Writes one report into `staging` (atomically, 0600), hashing the bytes as they go to the file.
fn stage(
    ev: &Evidence,
    format: ReportFormat,
    lang: Lang,
    staging: &Path,
) -> io::Result<ReportDigest> {
    stage_file(format.file_name(), staging, |mut out| {
        write_to(ev, format, lang, &mut out)
    })
}

/// Writes worklist.csv into `staging`, as [`stage`] writes a report.
fn stage_worklist(ev: &Evidence, lang: Lang, staging: &Path) -> io::Result<ReportDigest> {
    stage_file(worklist::FILE_NAME, staging, |mut out| {
        worklist::write(ev, lang, &mut out)
    })
}

/// Writes the file `name` into `staging` with `content` (atomically, 0600), hashing the bytes
/// as they go to the file.
fn stage_file(
    name: &str,
    staging: &Path,
    content: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<ReportDigest> {
    let mut digest = None;
    write::write_atomic_with(&staging.join(name), |file| {
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, write::Digesting::new(file));
        content(&mut out)?;
        let hashed = out.into_inner().map_err(|e| e.into_error())?;
        digest = Some(hashed.finish());
        Ok(())
    })?;
    report_digest(name, digest)
}

/// The digest of the report `name` as its writer left it (none: the writer did not finish).
fn report_digest(name: &str, digest: Option<(String, u64)>) -> io::Result<ReportDigest> {
    let (sha256, size) = digest.ok_or_else(|| io::Error::other("report not hashed"))?;
    Ok(ReportDigest {
        path: name.to_string(),
        sha256,
        size,
    })
}

/// Writes evidence.json into `staging`, hashing it as it goes: everything but the `run` object
/// (kept last in [`Evidence`]) while the other reports are rendered, then `run` with their digests
/// (`run.reports`) once `reports` sends them. The bytes are those of [`json::render`] of the
/// evidence with `run.reports` filled in. Without a `run` there is nothing to wait for.
fn stage_json(
    ev: &Evidence,
    staging: &Path,
    reports: std::sync::mpsc::Receiver<Vec<ReportDigest>>,
) -> io::Result<ReportDigest> {
    let Some(run) = &ev.run else {
        return stage(ev, ReportFormat::Json, Lang::Ja, staging);
    };
    let name = ReportFormat::Json.file_name();
    let mut digest = None;
    write::write_atomic_with(&staging.join(name), |file| {
        let tail = json::run_tail(run)?;
        let held = write::HoldBack::new(write::Digesting::new(file), tail.len());
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, held);
        json::write(ev, &mut out)?;
        let held = out.into_inner().map_err(|e| e.into_error())?;
        let (mut hashed, last) = held.into_parts();
        if last != tail.as_bytes() {
            return Err(io::Error::other(
                "evidence.json: the run object is not last",
            ));
        }
        let digests = reports
            .recv()
            .map_err(|_| io::Error::other("evidence.json: another report was not written"))?;
        let mut run = run.clone();
        run.reports = digests;
        hashed.write_all(json::run_tail(&run)?.as_bytes())?;
        digest = Some(hashed.finish());
        Ok(())
    })?;
    report_digest(name, digest)
}

/// Creates `dir` (and missing parents) with mode 0700; an existing directory is left as it is.
pub(crate) fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    // The umask may have narrowed the mode; set it exactly.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_become_visible_stand_ins() {
        use super::visible;
        assert!(matches!(visible("yoshida"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(visible("ad\0min"), "ad\u{2400}min");
        assert_eq!(visible("a\tb\r\nc\x1b[31m\x7f"), "a␉b␍␊c␛[31m␡");
        assert_eq!(
            visible("x\u{85}y\u{202e}z\u{2028}"),
            "x<U+0085>y<U+202E>z<U+2028>"
        );
        assert_eq!(visible("コロ病院 ゆき"), "コロ病院 ゆき");
        // Idempotent: a stand-in is shown as it is.
        assert_eq!(visible(&visible("a\0\u{9b}")), "a␀<U+009B>");
    }

    use super::*;
    use std::fs;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_set_is_every_format_file_and_the_sha256_list() {
        let mut names: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.file_name()).collect();
        names.push(worklist::FILE_NAME);
        names.push(SUMS_FILE);
        assert_eq!(names, SET_FILES);
    }

    #[test]
    fn format_names_and_files() {
        assert_eq!(ReportFormat::from_name("JSON"), Some(ReportFormat::Json));
        assert_eq!(ReportFormat::from_name("markdown"), Some(ReportFormat::Md));
        assert_eq!(ReportFormat::from_name(" html "), Some(ReportFormat::Html));
        assert_eq!(ReportFormat::from_name("csv"), Some(ReportFormat::Csv));
        assert_eq!(ReportFormat::from_name("XLSX"), Some(ReportFormat::Xlsx));
        assert_eq!(ReportFormat::from_name("xls"), None);
        for f in ReportFormat::ALL {
            assert_eq!(ReportFormat::from_name(f.name()), Some(f));
            assert_eq!(f.file_name(), format!("evidence.{}", f.name()));
        }
        assert_eq!(Lang::from_name("EN"), Some(Lang::En));
        assert_eq!(Lang::from_name("ja"), Some(Lang::Ja));
        assert_eq!(Lang::from_name("fr"), None);
    }

    #[test]
    fn writes_every_format_private_in_a_new_dir() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out").join("kensa-report");
        let mut ev = fixture::sample(true);
        let formats = [
            ReportFormat::Json,
            ReportFormat::Md,
            ReportFormat::Html,
            ReportFormat::Csv,
            ReportFormat::Xlsx,
            ReportFormat::Md,
        ];
        let paths = write_reports(&mut ev, &dir, &formats, Lang::Ja).unwrap();
        let names: Vec<_> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "evidence.json",
                "evidence.md",
                "evidence.html",
                "evidence.csv",
                "worklist.csv",
                "evidence.xlsx",
                "evidence.sha256"
            ]
        );
        assert_eq!(mode(&dir), 0o700);
        for p in &paths {
            assert_eq!(p.parent().unwrap(), dir);
            assert_eq!(mode(p), 0o600, "{}", p.display());
        }
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 7);
        let md = fs::read_to_string(dir.join("evidence.md")).unwrap();
        assert_eq!(md, render(&ev, ReportFormat::Md, Lang::Ja));
        let xlsx = fs::read(dir.join("evidence.xlsx")).unwrap();
        assert_eq!(xlsx, xlsx::render(&ev, Lang::Ja));
        assert_eq!(xlsx, render_bytes(&ev, ReportFormat::Xlsx, Lang::Ja));
        assert_eq!(
            render_bytes(&ev, ReportFormat::Csv, Lang::Ja),
            render(&ev, ReportFormat::Csv, Lang::Ja).into_bytes()
        );
        assert!(!ReportFormat::Xlsx.is_text() && ReportFormat::Html.is_text());
        assert_eq!(render(&ev, ReportFormat::Xlsx, Lang::Ja), "");
    }

    #[test]
    fn existing_dir_keeps_its_mode_and_old_files_are_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::set_permissions(dir, fs::Permissions::from_mode(0o750)).unwrap();
        let old = dir.join("evidence.json");
        fs::write(&old, "stale").unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o644)).unwrap();
        let mut ev = fixture::sample(false);
        let paths = write_reports(&mut ev, dir, &[ReportFormat::Json], Lang::En).unwrap();
        assert_eq!(paths, vec![old.clone(), dir.join(SUMS_FILE)]);
        assert_eq!(mode(dir), 0o750);
        assert_eq!(mode(&old), 0o600);
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&old).unwrap()).unwrap();
        assert_eq!(v["complete"], false);
    }

    #[test]
    fn streamed_files_are_the_rendered_bytes() {
        for complete in [true, false] {
            let mut ev = fixture::sample(complete);
            if !complete {
                ev.run = Some(crate::model::evidence::Run {
                    started_at: "2026-11-24T09:00:00+09:00".into(),
                    duration_ms: 1234,
                    breach_requests: 3,
                    breach_cache_hits: 1,
                    checked_on_days_before_run: None,
                    reports: Vec::new(),
                });
            }
            for lang in [Lang::Ja, Lang::En] {
                let tmp = tempfile::tempdir().unwrap();
                let paths = write_reports(&mut ev, tmp.path(), &ReportFormat::ALL, lang).unwrap();
                // Every format, worklist.csv after evidence.csv, and the SHA-256 list.
                assert_eq!(paths.len(), ReportFormat::ALL.len() + 2);
                let worklist = &paths[4];
                assert_eq!(
                    fs::read_to_string(worklist).unwrap(),
                    worklist::render(&ev, lang)
                );
                let mut streamed = Vec::new();
                worklist::write(&ev, lang, &mut streamed).unwrap();
                assert_eq!(streamed, fs::read(worklist).unwrap());
                let paths: Vec<&PathBuf> = paths.iter().filter(|p| *p != worklist).collect();
                for (format, path) in ReportFormat::ALL.into_iter().zip(paths) {
                    let rendered = render_bytes(&ev, format, lang);
                    assert_eq!(fs::read(path).unwrap(), rendered, "{path:?} {lang:?}");
                    if format.is_text() {
                        assert_eq!(rendered, render(&ev, format, lang).into_bytes());
                    }
                    let mut streamed = Vec::new();
                    write_to(&ev, format, lang, &mut streamed).unwrap();
                    assert_eq!(streamed, rendered, "{format:?} {lang:?}");
                }
            }
        }
    }

    #[test]
    fn a_report_that_cannot_be_written_leaves_the_previous_set_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("evidence.json"), "previous").unwrap();
        fs::write(dir.join("evidence.xlsx"), "previous").unwrap();
        // A non-empty directory where evidence.html goes: the set cannot be replaced.
        fs::create_dir(dir.join("evidence.html")).unwrap();
        fs::write(dir.join("evidence.html").join("x"), "x").unwrap();
        let mut ev = fixture::sample(true);
        let formats = [ReportFormat::Json, ReportFormat::Html, ReportFormat::Csv];
        let e = write_reports(&mut ev, dir, &formats, Lang::Ja).unwrap_err();
        assert!(e.to_string().contains("evidence.html is in the way"), "{e}");
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // No new csv or json beside the previous xlsx, no staging directory.
        assert_eq!(names, ["evidence.html", "evidence.json", "evidence.xlsx"]);
        assert!(dir.join("evidence.html").is_dir());
        assert_eq!(fs::read(dir.join("evidence.json")).unwrap(), b"previous");
        // Without the obstacle the whole new set replaces the previous one (the xlsx goes).
        fs::remove_dir_all(dir.join("evidence.html")).unwrap();
        write_reports(&mut ev, dir, &formats, Lang::Ja).unwrap();
        names = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "evidence.csv",
                "evidence.html",
                "evidence.json",
                "evidence.sha256",
                "worklist.csv"
            ]
        );
        assert_eq!(
            fs::read(dir.join("evidence.csv")).unwrap(),
            render_bytes(&ev, ReportFormat::Csv, Lang::Ja)
        );
    }

    #[test]
    fn the_sha256_list_and_run_reports_name_every_file_written() {
        use sha2::Digest;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let mut ev = fixture::sample(true);
        ev.run = Some(crate::model::evidence::Run {
            started_at: "2026-11-24T09:00:00+09:00".into(),
            duration_ms: 1234,
            breach_requests: 0,
            breach_cache_hits: 0,
            checked_on_days_before_run: None,
            reports: Vec::new(),
        });
        let formats = [ReportFormat::Xlsx, ReportFormat::Json, ReportFormat::Md];
        write_reports(&mut ev, dir, &formats, Lang::Ja).unwrap();
        let digest = |name: &str| {
            let bytes = fs::read(dir.join(name)).unwrap();
            (
                hex::encode(sha2::Sha256::digest(&bytes)),
                bytes.len() as u64,
            )
        };
        // sha256sum's format, sorted by name, evidence.json included, the list itself not.
        let sums = fs::read_to_string(dir.join(SUMS_FILE)).unwrap();
        let want: String = ["evidence.json", "evidence.md", "evidence.xlsx"]
            .iter()
            .map(|n| format!("{}  {n}\n", digest(n).0))
            .collect();
        assert_eq!(sums, want);
        assert_eq!(mode(&dir.join(SUMS_FILE)), 0o600);
        // evidence.json lists the others (not itself), as written, and so does the caller's copy.
        let written: Evidence =
            serde_json::from_slice(&fs::read(dir.join("evidence.json")).unwrap()).unwrap();
        let reports = written.run.unwrap().reports;
        let names: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(names, ["evidence.md", "evidence.xlsx"]);
        for r in &reports {
            assert_eq!((r.sha256.clone(), r.size), digest(&r.path), "{}", r.path);
        }
        assert_eq!(ev.run.as_ref().unwrap().reports, reports);
        // Written beside the others and finished with their digests, evidence.json is byte for
        // byte the evidence rendered whole, `run.reports` included.
        assert_eq!(
            fs::read_to_string(dir.join("evidence.json")).unwrap(),
            json::render(&ev)
        );
        // A run with nothing else to list writes it whole too (and with no run at all).
        write_reports(&mut ev, dir, &[ReportFormat::Json], Lang::Ja).unwrap();
        assert!(ev.run.as_ref().unwrap().reports.is_empty());
        assert_eq!(
            fs::read_to_string(dir.join("evidence.json")).unwrap(),
            json::render(&ev)
        );
        let mut bare = fixture::sample(true);
        write_reports(
            &mut bare,
            dir,
            &[ReportFormat::Json, ReportFormat::Md],
            Lang::Ja,
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("evidence.json")).unwrap(),
            json::render(&bare)
        );
        // A later run writing fewer formats leaves no line and no file of the earlier one.
        write_reports(&mut ev, dir, &[ReportFormat::Csv], Lang::Ja).unwrap();
        let sums = fs::read_to_string(dir.join(SUMS_FILE)).unwrap();
        assert_eq!(
            sums,
            format!(
                "{}  evidence.csv\n{}  worklist.csv\n",
                digest("evidence.csv").0,
                digest("worklist.csv").0
            )
        );
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["evidence.csv", "evidence.sha256", "worklist.csv"]);
    }

    #[test]
    fn unwritable_target_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("not-a-dir");
        fs::write(&file, "x").unwrap();
        let mut ev = fixture::sample(true);
        assert!(write_reports(&mut ev, &file, &[ReportFormat::Csv], Lang::Ja).is_err());
    }
}
