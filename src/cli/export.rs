//! `kensa export hashcat`: the hashes kensa could not verify, written for hashcat, with a short
//! summary. Thin glue over `engine::unverified_hashes` and `export::hashcat`.

use super::args::{ExportCommand, ExportHashcatArgs};
use super::{out, Outcome, Progress};
use crate::engine::{self, absolute};
use crate::error::{Error, ExitClass};
use crate::export::hashcat::{self, Sheet, POT_FILE};
use crate::input;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Run a `kensa export` subcommand.
pub fn run(cmd: ExportCommand) -> Result<Outcome, Error> {
    match cmd {
        ExportCommand::Hashcat(a) => export_hashcat(a),
    }
}

fn export_hashcat(a: ExportHashcatArgs) -> Result<Outcome, Error> {
    a.source.init_threads()?;
    let opts = a.source.options();
    super::audit::check_paths(&opts, &[])?;
    let show = !a.quiet && !a.no_progress && std::io::stderr().is_terminal();
    let progress = Progress::new(show);
    let (hashes, problems) = engine::unverified_hashes(&opts, &|p, d, t| progress.tick(p, d, t))?;
    progress.clear();
    let export = hashcat::plan(&hashes);
    drop(hashes);
    let sheet = Sheet {
        version: env!("CARGO_PKG_VERSION").into(),
        way_back: way_back(&a),
    };
    let written = hashcat::write(&export, &a.out, &sheet).map_err(|e| {
        Error::new(
            ExitClass::Output,
            format!("{}: cannot write the export: {e}", a.out.display()),
        )
    })?;
    if !a.quiet {
        out(&summary(&export, &a.out, &written, &sheet));
    }
    for p in &problems {
        eprintln!("kensa: {}: {}", p.source, p.message);
    }
    if problems.is_empty() {
        Ok(Outcome::Clean)
    } else {
        eprintln!(
            "kensa: the export is incomplete ({} problems in the inputs; the files hold what could be read)",
            problems.len()
        );
        Ok(Outcome::Incomplete)
    }
}

fn summary(e: &hashcat::Export, dir: &Path, written: &[PathBuf], sheet: &Sheet) -> String {
    let total: usize = e.files.iter().map(|f| f.hashes.len()).sum();
    let mut s = format!(
        "kensa export hashcat: {total} {} in {} {} -> {}\n",
        if total == 1 { "hash" } else { "hashes" },
        e.files.len(),
        if e.files.len() == 1 { "file" } else { "files" },
        dir.display()
    );
    let width = e.files.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for f in &e.files {
        s.push_str(&format!(
            "  {:<width$}  mode {:<5} {:>7} {}\n",
            f.name,
            f.mode.number,
            f.hashes.len(),
            if f.hashes.len() == 1 {
                "hash"
            } else {
                "hashes"
            }
        ));
    }
    for l in &e.left_out {
        s.push_str(&format!("  {}\n", hashcat::left_out_line(l)));
    }
    let sheets: Vec<String> = written
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n == hashcat::JOBS_MD || n == hashcat::JOBS_JSON)
        })
        .map(|p| p.display().to_string())
        .collect();
    s.push_str(&format!("  job sheet: {}\n", sheets.join(", ")));
    s.push_str(&format!("  then: {}\n", sheet.way_back));
    s
}

/// The `kensa audit` command that reads the results back: the same inputs (absolute paths, so it
/// runs from anywhere) and the export's pot file.
fn way_back(a: &ExportHashcatArgs) -> String {
    let src = &a.source;
    let mut parts: Vec<String> = vec!["kensa".into(), "audit".into()];
    if let Some(m) = &src.manifest {
        parts.push("--manifest".into());
        parts.push(sh_quote(&absolute(m)));
    }
    for f in &src.files {
        let arg = match input::split_format(f) {
            Ok((Some(fmt), rest)) => format!("{}:{}", fmt.as_str(), absolute(Path::new(rest))),
            _ => absolute(Path::new(f)),
        };
        parts.push(sh_quote(&arg));
    }
    for w in &src.wordlist {
        parts.push("--wordlist".into());
        parts.push(sh_quote(&absolute(w)));
    }
    if src.no_default_wordlists {
        parts.push("--no-default-wordlists".into());
    }
    for p in &src.potfile {
        parts.push("--potfile".into());
        parts.push(sh_quote(&absolute(p)));
    }
    parts.push("--potfile".into());
    parts.push(sh_quote(&absolute(&a.out.join(POT_FILE))));
    parts.join(" ")
}

/// A word for a POSIX shell: as it is when it holds only safe characters, else single-quoted.
fn sh_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(sh_quote("/tmp/a-b_c.toml"), "/tmp/a-b_c.toml");
        assert_eq!(sh_quote("pwdump:/x/y"), "pwdump:/x/y");
        assert_eq!(sh_quote("/tmp/コロ 病院"), "'/tmp/コロ 病院'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
    }
}
