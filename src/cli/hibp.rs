//! `kensa hibp …`: build and inspect the offline breach index, download the corpus.

use super::args::{HibpCommand, HibpDownloadArgs, HibpIndexArgs, HibpInfoArgs};
use super::{out, Outcome, Progress};
use crate::breach::download::{self, DownloadOptions};
use crate::breach::offline::index;
use crate::error::{Error, ExitClass};
use std::io::IsTerminal;

/// Run a `kensa hibp` subcommand.
pub fn run(cmd: HibpCommand) -> Result<Outcome, Error> {
    match cmd {
        HibpCommand::Index(a) => build(a),
        HibpCommand::Download(a) => fetch(a),
        HibpCommand::Info(a) => info(a),
    }
}

fn show(no_progress: bool) -> bool {
    !no_progress && std::io::stderr().is_terminal()
}

fn build(a: HibpIndexArgs) -> Result<Outcome, Error> {
    let p = Progress::bytes(show(a.no_progress), "indexing");
    let started = std::time::Instant::now();
    let info = index::build_index(&a.corpus, &a.out, &|d, t| p.set("indexing", d, t));
    p.clear();
    let info = info?;
    out(&format!(
        "wrote {} ({} {} records, corpus date {}, checksum {}) in {:.1} s\n",
        a.out.display(),
        info.records,
        info.mode,
        info.corpus_date.as_deref().unwrap_or("-"),
        info.checksum,
        started.elapsed().as_secs_f64()
    ));
    Ok(Outcome::Clean)
}

/// `00000-0FFFF` → (0, 0xFFFF).
fn parse_range(r: &str) -> Result<(u32, u32), Error> {
    let bad = || {
        Error::usage(format!(
            "--range: `{r}` is not FIRST-LAST with 5 hex digits each (e.g. 00000-0FFFF)"
        ))
    };
    let (a, b) = r.split_once('-').ok_or_else(bad)?;
    let p = |s: &str| {
        (s.len() == 5)
            .then(|| u32::from_str_radix(s, 16).ok())
            .flatten()
            .ok_or_else(bad)
    };
    let (a, b) = (p(a)?, p(b)?);
    if a > b {
        return Err(bad());
    }
    Ok((a, b))
}

fn fetch(a: HibpDownloadArgs) -> Result<Outcome, Error> {
    let range = match &a.range {
        Some(r) => parse_range(r)?,
        None => (0, download::LAST_PREFIX),
    };
    let opts = DownloadOptions {
        base_url: a.hibp_url.clone(),
        out: a.out.clone(),
        ntlm: a.ntlm,
        concurrency: a.concurrency.max(1),
        retries: a.retries,
        range,
        refresh: a.refresh,
        ..Default::default()
    };
    let p = Progress::new(show(a.no_progress));
    let report = download::download(&opts, &|d, t| p.set("download", d, t));
    p.clear();
    let report = report?;
    out(&format!(
        "{}: {} fetched, {} already present, {} not modified, {} failed, {} not attempted ({} bytes)\n",
        a.out.display(),
        report.fetched,
        report.skipped,
        report.not_modified,
        report.failed.len(),
        report.not_attempted,
        report.bytes
    ));
    for f in report.failed.iter().take(20) {
        eprintln!("kensa: range {f}");
    }
    if report.failed.len() > 20 {
        eprintln!(
            "kensa: … and {} more failed ranges",
            report.failed.len() - 20
        );
    }
    if !report.failed.is_empty() || report.not_attempted > 0 {
        eprintln!("kensa: the download is incomplete; run the same command again to fetch what is missing");
        return Ok(Outcome::Incomplete);
    }
    if let Some(idx) = &a.index {
        if range != (0, download::LAST_PREFIX) {
            return Err(Error::usage(
                "--index needs the whole range space (no --range)",
            ));
        }
        build(HibpIndexArgs {
            corpus: vec![a.out.clone()],
            out: idx.clone(),
            no_progress: a.no_progress,
        })?;
    }
    Ok(Outcome::Clean)
}

fn info(a: HibpInfoArgs) -> Result<Outcome, Error> {
    let info = index::verify(&a.index)?;
    if a.json {
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&info)
                .map_err(|e| Error::new(ExitClass::Output, e.to_string()))?
        ));
    } else {
        let mut s = format!(
            "index      {}\nmode       {}\nrecords    {}\nchecksum   {} (verified)\nbuilt at   {}\ncorpus     {}\n",
            a.index.display(),
            info.mode,
            info.records,
            info.checksum,
            info.built_at,
            info.corpus_date.as_deref().unwrap_or("-")
        );
        for src in &info.sources {
            s.push_str(&format!(
                "source     {} ({}, {} bytes, {} files, modified {})\n",
                src.path,
                src.kind,
                src.size,
                src.files,
                src.modified.as_deref().unwrap_or("-")
            ));
        }
        out(&s);
    }
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("00000-0FFFF").unwrap(), (0, 0xFFFF));
        assert_eq!(parse_range("FFFFF-FFFFF").unwrap(), (0xFFFFF, 0xFFFFF));
        assert!(parse_range("0000-1").is_err());
        assert!(parse_range("00010-00001").is_err());
        assert!(parse_range("0000G-00001").is_err());
    }
}
