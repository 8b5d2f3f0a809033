//! Renders the [`Evidence`] into the report files (json, md, html, csv, xlsx) in Japanese or
//! English.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod svg;
pub mod text;
pub mod write;
pub mod xlsx;

mod doc;
#[cfg(test)]
mod fixture;

use crate::model::evidence::Evidence;
use std::io;
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

/// Language of the human-readable reports (md, html). JSON and CSV are language-neutral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// Parses a `--lang` name: `ja` or `en` (case-insensitive).
    pub fn from_name(name: &str) -> Option<Lang> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Some(Lang::Ja),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The BCP 47 tag (`ja`, `en`), as used in the HTML `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// Renders one text report to a string. The xlsx workbook is binary: for
/// [`ReportFormat::Xlsx`] this returns an empty string; use [`render_bytes`] for it.
pub fn render(ev: &Evidence, format: ReportFormat, lang: Lang) -> String {
    match format {
        ReportFormat::Json => json::render(ev),
        ReportFormat::Md => markdown::render(ev, lang),
        ReportFormat::Html => html::render(ev, lang),
        ReportFormat::Csv => csv::render(ev),
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

/// Writes the requested reports into `dir` (created with mode 0700 if missing), each atomically
/// with mode 0600. Returns the paths written, in the order of `formats` (duplicates written once).
pub fn write_reports(
    ev: &Evidence,
    dir: &Path,
    formats: &[ReportFormat],
    lang: Lang,
) -> io::Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let mut written = Vec::new();
    for (i, &format) in formats.iter().enumerate() {
        if formats[..i].contains(&format) {
            continue;
        }
        let path = dir.join(format.file_name());
        let bytes = match format {
            ReportFormat::Xlsx => xlsx::try_render(ev, lang)
                .map_err(|e| io::Error::other(format!("evidence.xlsx: {e}")))?,
            _ => render_bytes(ev, format, lang),
        };
        write::write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
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
    use super::*;
    use std::fs;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
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
        let ev = fixture::sample(true);
        let formats = [
            ReportFormat::Json,
            ReportFormat::Md,
            ReportFormat::Html,
            ReportFormat::Csv,
            ReportFormat::Xlsx,
            ReportFormat::Md,
        ];
        let paths = write_reports(&ev, &dir, &formats, Lang::Ja).unwrap();
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
                "evidence.xlsx"
            ]
        );
        assert_eq!(mode(&dir), 0o700);
        for p in &paths {
            assert_eq!(p.parent().unwrap(), dir);
            assert_eq!(mode(p), 0o600, "{}", p.display());
        }
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 5);
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
        let ev = fixture::sample(false);
        let paths = write_reports(&ev, dir, &[ReportFormat::Json], Lang::En).unwrap();
        assert_eq!(paths, vec![old.clone()]);
        assert_eq!(mode(dir), 0o750);
        assert_eq!(mode(&old), 0o600);
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&old).unwrap()).unwrap();
        assert_eq!(v["complete"], false);
    }

    #[test]
    fn unwritable_target_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("not-a-dir");
        fs::write(&file, "x").unwrap();
        let ev = fixture::sample(true);
        assert!(write_reports(&ev, &file, &[ReportFormat::Csv], Lang::Ja).is_err());
    }
}
