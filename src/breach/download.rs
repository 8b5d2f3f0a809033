//! `kensa hibp download`: mirrors the Pwned Passwords range space into one file per prefix
//! (`OUT/00000.txt`…, the official downloader's per-prefix layout), verified, resumable, with each
//! prefix's ETag, Last-Modified and SHA-256 recorded in `OUT/kensa-download.tsv`.
//!
//! The manifest is appended (one line per completed prefix) while the run goes, so an interrupted
//! run loses nothing, and rewritten compactly (one line per prefix, sorted) at the end. A rerun
//! fetches only prefixes whose file is missing, malformed or differs from its recorded SHA-256;
//! with `refresh` it also asks the API again, conditionally (`If-None-Match`), for the others.
//! Requests go through the online source's client and reader: a body over
//! [`MAX_RANGE_BODY`](super::online::MAX_RANGE_BODY) or a redirect out of the origin fails the
//! prefix at once, without a retry.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::breaker::Breaker;
use super::corpus::CorpusError;
use super::online::{
    check_base_url, client, create_private_dir, get_range, range_url, retrying, write_atomic,
    Failure, Mode, RangeError,
};
use super::BreachError;
use crate::error::{classify, ExitClass};

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = "kensa-download.tsv";

/// The last 5-hex prefix (`FFFFF`).
pub const LAST_PREFIX: u32 = 0xF_FFFF;

/// After this many ranges in a row failed (after their retries), or this many requests in a row
/// got no answer at all (timed out, refused), the API is taken to be down: no new prefix is
/// attempted and the rest is counted in [`DownloadReport::not_attempted`].
pub const ABORT_AFTER: usize = 64;

/// Settings of one download run.
#[derive(Debug, Clone)]
pub struct DownloadOptions {
    /// Base URL, default `https://api.pwnedpasswords.com` (no trailing slash needed).
    pub base_url: String,
    /// Output directory (created if missing).
    pub out: PathBuf,
    /// NT hashes (`?mode=ntlm`) instead of SHA-1.
    pub ntlm: bool,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Retries on 5xx/429/transport errors and malformed bodies, with exponential backoff.
    pub retries: u32,
    /// Per-request timeout.
    pub timeout: Duration,
    /// First backoff delay; doubles each retry.
    pub backoff: Duration,
    /// Inclusive prefix range, default `0..=0xFFFFF`.
    pub range: (u32, u32),
    /// Also revalidate prefixes already downloaded (`If-None-Match` with the recorded ETag;
    /// a 304 keeps the file).
    pub refresh: bool,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            base_url: "https://api.pwnedpasswords.com".into(),
            out: PathBuf::from("pwnedpasswords"),
            ntlm: false,
            concurrency: 16,
            retries: 6,
            timeout: Duration::from_secs(30),
            backoff: Duration::from_secs(1),
            range: (0, LAST_PREFIX),
            refresh: false,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// Prefixes downloaded and written (new, broken, or changed on refresh).
    pub fetched: u64,
    /// Prefixes whose file was already complete and verified (no request made).
    pub skipped: u64,
    /// `PREFIX: reason` for each prefix that still failed after the retries (its old file, if
    /// any, is kept). Non-empty means the caller should exit 2.
    pub failed: Vec<String>,
    /// Prefixes revalidated on `refresh` and found unchanged (304 to `If-None-Match`, or the
    /// same SHA-256 when no ETag was recorded); their files are kept.
    pub not_modified: u64,
    /// Bytes written to prefix files in this run.
    pub bytes: u64,
    /// Prefixes not tried at all because [`ABORT_AFTER`] ranges in a row failed.
    pub not_attempted: u64,
}

/// One manifest line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The prefix as a number (`0..=0xFFFFF`).
    pub prefix: u32,
    pub etag: Option<String>,
    /// As the server sent it (an HTTP date).
    pub last_modified: Option<String>,
    /// Lowercase hex SHA-256 of the prefix file.
    pub sha256: String,
    /// Size of the prefix file in bytes.
    pub size: u64,
}

/// The manifest of a download directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The directory holds NTLM ranges (else SHA-1).
    pub ntlm: bool,
    /// The latest record per prefix.
    pub entries: BTreeMap<u32, ManifestEntry>,
}

impl Manifest {
    /// The newest Last-Modified recorded, as `YYYY-MM-DD` (the dataset date).
    pub fn newest_last_modified(&self) -> Option<String> {
        self.entries
            .values()
            .filter_map(|e| e.last_modified.as_deref())
            .filter_map(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
            .max()
            .map(|d| d.with_timezone(&chrono::Utc).format("%Y-%m-%d").to_string())
    }
}

/// Reads `DIR/kensa-download.tsv`; `Ok(None)` when there is none. Torn or malformed lines
/// (an interrupted append) are skipped: their prefixes count as not downloaded.
pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>, BreachError> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CorpusError::Read {
                op: "read",
                what: "",
                path,
                source,
            }
            .into())
        }
    };
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("");
    let ntlm = match header_mode(header) {
        Some(Mode::Ntlm) => true,
        Some(Mode::Sha1) => false,
        None => return Err(CorpusError::NotManifest { path }.into()),
    };
    let mut entries = BTreeMap::new();
    for line in lines {
        if let Some(e) = parse_entry(line) {
            entries.insert(e.prefix, e);
        }
    }
    Ok(Some(Manifest { ntlm, entries }))
}

/// Downloads every prefix of `opts.range` into `opts.out`. `progress(done, total)` is called
/// after each prefix, with `done` increasing. `Err` only for problems with the output directory
/// or the options (a mode mix, an unwritable directory); failed prefixes are in the report.
pub fn download(
    opts: &DownloadOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<DownloadReport, BreachError> {
    let base = check_base_url(&opts.base_url)?;
    let (first, last) = opts.range;
    if first > last || last > LAST_PREFIX {
        return Err(BreachError::PrefixRange { first, last });
    }
    let mode = if opts.ntlm { Mode::Ntlm } else { Mode::Sha1 };
    let out = &opts.out;
    create_private_dir(out).map_err(|source| CorpusError::Create {
        path: out.clone(),
        source,
    })?;
    remove_stale_temporaries(out);

    let old = read_manifest(out)?;
    let records = match old {
        Some(m) => {
            let have = if m.ntlm { Mode::Ntlm } else { Mode::Sha1 };
            if have != mode {
                return Err(mode_mix(out, have, mode));
            }
            m.entries
        }
        None => {
            if let Some(have) = existing_mode(out) {
                if have != mode {
                    return Err(mode_mix(out, have, mode));
                }
            }
            BTreeMap::new()
        }
    };
    let http = client(opts.timeout)?;
    let log = ManifestLog::open(out, mode, &base)?;

    let total = u64::from(last - first) + 1;
    let state = Mutex::new(Progress {
        report: DownloadReport::default(),
        done: 0,
    });
    let records = Mutex::new(records);
    let next = AtomicUsize::new(0);
    // No deadline: a whole download takes hours, and a rerun resumes it.
    let breaker = Breaker::new(None, ABORT_AFTER);
    let job = Job {
        opts,
        mode,
        base: &base,
        http: &http,
        breaker: &breaker,
    };

    let work = || loop {
        if breaker.streak() >= ABORT_AFTER || breaker.open().is_some() {
            break;
        }
        let i = next.fetch_add(1, Ordering::Relaxed) as u64;
        if i >= total {
            break;
        }
        let prefix = first + i as u32;
        let recorded = records
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&prefix)
            .cloned();
        let outcome = job.run(prefix, recorded.as_ref());
        let mut line_error = None;
        if let Some(entry) = outcome.record() {
            if let Err(e) = log.append(entry) {
                line_error = Some(e);
            }
            records
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(prefix, entry.clone());
        }
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Outcome::Skipped => st.report.skipped += 1,
            Outcome::NotModified(_) => st.report.not_modified += 1,
            Outcome::Fetched(e) => {
                st.report.fetched += 1;
                st.report.bytes += e.size;
            }
            Outcome::Failed(why) => st.report.failed.push(format!("{prefix:05X}: {why}")),
        }
        if let Some(e) = line_error {
            st.report
                .failed
                .push(format!("{prefix:05X}: manifest not updated: {e}"));
        }
        st.done += 1;
        // Under the lock so `done` reaches the callback in increasing order.
        progress(st.done, total);
    };
    let workers = opts.concurrency.max(1).min(total as usize);
    if workers <= 1 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(work);
            }
        });
    }

    let mut st = state.into_inner().unwrap_or_else(|p| p.into_inner());
    st.report.not_attempted = total - st.done;
    // Prefix order for a readable report.
    st.report.failed.sort();
    drop(log);
    let records = records.into_inner().unwrap_or_else(|p| p.into_inner());
    write_manifest(out, mode, &base, &records)?;
    Ok(st.report)
}

struct Progress {
    report: DownloadReport,
    done: u64,
}

/// What happened to one prefix.
enum Outcome {
    Skipped,
    NotModified(ManifestEntry),
    Fetched(ManifestEntry),
    Failed(String),
}

impl Outcome {
    /// The manifest line to record, if any.
    fn record(&self) -> Option<&ManifestEntry> {
        match self {
            Outcome::NotModified(e) | Outcome::Fetched(e) => Some(e),
            _ => None,
        }
    }
}

/// What every prefix of a run shares.
struct Job<'a> {
    opts: &'a DownloadOptions,
    mode: Mode,
    base: &'a str,
    http: &'a reqwest::blocking::Client,
    breaker: &'a Breaker,
}

/// One successful answer: a verified, normalised body or a 304.
enum Got {
    Body {
        body: String,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    NotModified {
        last_modified: Option<String>,
    },
}

impl Job<'_> {
    fn run(&self, prefix: u32, recorded: Option<&ManifestEntry>) -> Outcome {
        let hex = format!("{prefix:05X}");
        let path = self.opts.out.join(format!("{hex}.txt"));
        let intact = recorded.filter(|r| is_intact(&path, r, self.mode));
        if intact.is_some() && !self.opts.refresh {
            return Outcome::Skipped;
        }
        let if_none_match = intact.and_then(|r| r.etag.as_deref());
        let url = range_url(self.base, self.mode, &hex);
        let got = retrying(
            self.opts.retries,
            self.opts.backoff,
            self.breaker,
            self.mode,
            &hex,
            |_| self.attempt(&url, if_none_match),
        );
        let got = match got {
            Ok(g) => g,
            // The prefix is the download's own: the failure without it.
            Err(RangeError::Failed { detail, .. }) => return Outcome::Failed(detail.to_string()),
            Err(e @ RangeError::GaveUp(_)) => return Outcome::Failed(e.to_string()),
        };
        match got {
            Got::NotModified { last_modified } => {
                // `intact` is Some whenever a conditional request was made.
                let mut e = intact.cloned().unwrap_or_else(|| ManifestEntry {
                    prefix,
                    etag: None,
                    last_modified: None,
                    sha256: String::new(),
                    size: 0,
                });
                if last_modified.is_some() {
                    e.last_modified = last_modified;
                }
                Outcome::NotModified(e)
            }
            Got::Body {
                body,
                etag,
                last_modified,
            } => {
                let sha256 = sha256_hex(body.as_bytes());
                if let Some(old) = intact.filter(|r| r.sha256 == sha256) {
                    // Revalidated without an ETag: the same bytes, nothing to write.
                    return Outcome::NotModified(ManifestEntry {
                        etag: etag.or_else(|| old.etag.clone()),
                        last_modified: last_modified.or_else(|| old.last_modified.clone()),
                        ..old.clone()
                    });
                }
                if let Err(e) = write_atomic(&path, body.as_bytes()) {
                    return Outcome::Failed(format!("cannot write {}: {e}", path.display()));
                }
                Outcome::Fetched(ManifestEntry {
                    prefix,
                    etag,
                    last_modified,
                    sha256,
                    size: body.len() as u64,
                })
            }
        }
    }

    /// One request; a malformed body is a retryable failure (a cut-short transfer).
    fn attempt(&self, url: &str, if_none_match: Option<&str>) -> Result<Got, Failure> {
        // Padding makes an empty range (possible on a mirror) distinguishable from a cut-short body.
        let a = get_range(self.http, url, true, if_none_match, None)?;
        if a.not_modified {
            return Ok(Got::NotModified {
                last_modified: a.last_modified,
            });
        }
        let body = normalise(&a.body, self.mode).map_err(|why| Failure {
            retry: true,
            retry_after: None,
            why: why.to_string(),
            answered: true,
        })?;
        Ok(Got::Body {
            body,
            etag: a.etag,
            last_modified: a.last_modified,
        })
    }
}

/// Why a downloaded range body is refused (its line, never its content). It becomes the
/// failure's text: a range that keeps failing with it is reported, not an error of the run.
#[derive(Debug, thiserror::Error)]
enum BodyError {
    #[error("malformed body (line {0}: no `:`)")]
    NoColon(usize),
    #[error("malformed body (line {line}: suffix of {got} characters, expected {want} hex)")]
    Suffix {
        line: usize,
        got: usize,
        want: usize,
    },
    #[error("malformed body (line {0}: count)")]
    Count(usize),
    #[error("malformed body (line {0}: suffixes not in ascending order)")]
    Order(usize),
    #[error("empty body")]
    Empty,
}

classify!(BodyError, |_e| ExitClass::Network);

/// Verifies a range body and returns it as the file stores it: uppercase `SUFFIX:COUNT` lines
/// joined by CRLF (no trailing newline, like the API), padding (`:0`) dropped. Every line must
/// have a suffix of the mode's length, a decimal count, and suffixes must strictly ascend.
fn normalise(body: &str, mode: Mode) -> Result<String, BodyError> {
    let want = mode.suffix_len();
    let mut out = String::with_capacity(body.len());
    let mut prev: Option<String> = None;
    let mut padded = false;
    for (n, line) in body.split('\n').enumerate() {
        let line = line.trim_end_matches('\r').trim();
        if line.is_empty() {
            continue;
        }
        let (suffix, count) = line.split_once(':').ok_or(BodyError::NoColon(n + 1))?;
        if suffix.len() != want || !suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BodyError::Suffix {
                line: n + 1,
                got: suffix.len(),
                want,
            });
        }
        let count = count.trim();
        if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BodyError::Count(n + 1));
        }
        count.parse::<u64>().map_err(|_| BodyError::Count(n + 1))?;
        let suffix = suffix.to_ascii_uppercase();
        if count.bytes().all(|b| b == b'0') {
            // Padding: dropped, and not held to the order of the real lines.
            padded = true;
            continue;
        }
        if prev.as_ref().is_some_and(|p| *p >= suffix) {
            return Err(BodyError::Order(n + 1));
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        out.push_str(&suffix);
        out.push(':');
        out.push_str(count);
        prev = Some(suffix);
    }
    if out.is_empty() && !padded {
        // Downloads ask for padding, so even a range with no hash has lines: an empty answer was
        // cut short.
        return Err(BodyError::Empty);
    }
    Ok(out)
}

/// The file exists, matches its recorded size and SHA-256, and verifies.
fn is_intact(path: &Path, r: &ManifestEntry, mode: Mode) -> bool {
    let Ok(data) = std::fs::read(path) else {
        return false;
    };
    if data.len() as u64 != r.size || sha256_hex(&data) != r.sha256 {
        return false;
    }
    // A range that held padding only was stored empty (and recorded so).
    if data.is_empty() {
        return true;
    }
    std::str::from_utf8(&data).is_ok_and(|t| normalise(t, mode).is_ok())
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The appended manifest, shared by the workers.
struct ManifestLog {
    file: Mutex<File>,
}

impl ManifestLog {
    /// Opens `OUT/kensa-download.tsv` for appending, writing the header if it is new and
    /// terminating a torn last line.
    fn open(out: &Path, mode: Mode, base: &str) -> Result<Self, BreachError> {
        let path = out.join(MANIFEST);
        let err = |source: std::io::Error| CorpusError::Write {
            path: path.clone(),
            source,
        };
        if !path.exists() {
            write_atomic(&path, header(mode, base).as_bytes()).map_err(err)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&path)
            .map_err(err)?;
        let len = file.metadata().map_err(err)?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1)).map_err(err)?;
            file.read_exact(&mut last).map_err(err)?;
            if last[0] != b'\n' {
                // A torn last line: end it so the next record starts on its own line.
                file.write_all(b"\n").map_err(err)?;
            }
        }
        Ok(ManifestLog {
            file: Mutex::new(file),
        })
    }

    /// Appends one record in a single write.
    fn append(&self, e: &ManifestEntry) -> std::io::Result<()> {
        let line = entry_line(e);
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        f.write_all(line.as_bytes())?;
        f.flush()
    }
}

/// Rewrites the manifest atomically: header, then one line per prefix in order.
fn write_manifest(
    out: &Path,
    mode: Mode,
    base: &str,
    records: &BTreeMap<u32, ManifestEntry>,
) -> Result<(), BreachError> {
    let mut text = header(mode, base);
    for e in records.values() {
        text.push_str(&entry_line(e));
    }
    let path = out.join(MANIFEST);
    write_atomic(&path, text.as_bytes())
        .map_err(|source| CorpusError::Write { path, source }.into())
}

fn header(mode: Mode, base: &str) -> String {
    format!(
        "# kensa-download\tformat=1\tmode={}\tsource={}\n# prefix\tetag\tlast_modified\tsha256\tsize\n",
        mode.name(),
        clean(base)
    )
}

fn header_mode(line: &str) -> Option<Mode> {
    let rest = line.strip_prefix("# kensa-download")?;
    rest.split('\t').find_map(|f| match f.trim() {
        "mode=sha1" => Some(Mode::Sha1),
        "mode=ntlm" => Some(Mode::Ntlm),
        _ => None,
    })
}

fn entry_line(e: &ManifestEntry) -> String {
    let opt = |v: &Option<String>| v.as_deref().map_or("-".to_string(), clean);
    format!(
        "{:05X}\t{}\t{}\t{}\t{}\n",
        e.prefix,
        opt(&e.etag),
        opt(&e.last_modified),
        e.sha256,
        e.size
    )
}

fn parse_entry(line: &str) -> Option<ManifestEntry> {
    if line.starts_with('#') {
        return None;
    }
    let f: Vec<&str> = line.split('\t').collect();
    let [prefix, etag, lm, sha, size] = f.as_slice() else {
        return None;
    };
    if prefix.len() != 5 || sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let opt = |v: &str| (v != "-" && !v.is_empty()).then(|| v.to_string());
    Some(ManifestEntry {
        prefix: u32::from_str_radix(prefix, 16).ok()?,
        etag: opt(etag),
        last_modified: opt(lm),
        sha256: sha.to_ascii_lowercase(),
        size: size.parse().ok()?,
    })
}

/// A header value without tabs or line breaks.
fn clean(v: &str) -> String {
    v.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn mode_mix(out: &Path, have: Mode, want: Mode) -> BreachError {
    BreachError::ModeMix {
        dir: out.to_path_buf(),
        have: have.label(),
        want: want.label(),
    }
}

/// The mode of the first `XXXXX.txt` found in a directory without a manifest (by suffix length).
fn existing_mode(dir: &Path) -> Option<Mode> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(stem) = name.strip_suffix(".txt") else {
            continue;
        };
        if stem.len() != 5 || !stem.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).ok()?;
        let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
        return match first.split_once(':')?.0.len() {
            35 => Some(Mode::Sha1),
            27 => Some(Mode::Ntlm),
            _ => None,
        };
    }
    None
}

/// Removes temporaries an interrupted run left behind (`.kensa-tmp-*` older than an hour, so
/// that a run still going in the same directory is not disturbed).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(".kensa-tmp-")
        {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0018A45C4D1DEF81644B54AB7F969B88D65";
    const B: &str = "00D4F6E8FA6EECAD2A3AA415EEC418D38EC";
    const C: &str = "011053FD0102E94D6AE2F8B83D76FAF94F6";

    #[test]
    fn normalises_to_uppercase_crlf_without_padding() {
        let body = format!("{}:10\n{B}:0\r\n{C}:1\r\n", A.to_ascii_lowercase());
        assert_eq!(
            normalise(&body, Mode::Sha1).unwrap(),
            format!("{A}:10\r\n{C}:1")
        );
    }

    #[test]
    fn rejects_wrong_length_order_count_and_empty() {
        assert!(normalise(&format!("{A}:1"), Mode::Ntlm).is_err());
        assert!(normalise(&format!("{C}:1\r\n{A}:1"), Mode::Sha1).is_err());
        assert!(normalise(&format!("{A}:1\r\n{A}:2"), Mode::Sha1).is_err());
        assert!(normalise(&format!("{A}:-1"), Mode::Sha1).is_err());
        assert!(normalise(&format!("{A}:1x"), Mode::Sha1).is_err());
        assert!(normalise(A, Mode::Sha1).is_err());
        assert!(normalise("", Mode::Sha1).is_err());
        // A padded answer for a range with no hash is valid and stored empty.
        assert_eq!(normalise(&format!("{B}:0"), Mode::Sha1).unwrap(), "");
    }

    #[test]
    fn manifest_lines_round_trip() {
        let e = ManifestEntry {
            prefix: 0xABCDE,
            etag: Some("\"x1\"".into()),
            last_modified: Some("Mon, 03 Mar 2025 10:00:00 GMT".into()),
            sha256: "a".repeat(64),
            size: 42,
        };
        let line = entry_line(&e);
        assert_eq!(
            line,
            format!(
                "ABCDE\t\"x1\"\tMon, 03 Mar 2025 10:00:00 GMT\t{}\t42\n",
                "a".repeat(64)
            )
        );
        assert_eq!(parse_entry(line.trim_end()), Some(e.clone()));
        let bare = ManifestEntry {
            etag: None,
            last_modified: None,
            ..e
        };
        assert_eq!(parse_entry(entry_line(&bare).trim_end()), Some(bare));
        assert_eq!(parse_entry("ABCDE\t-\t-\tabc"), None, "torn line");
        assert_eq!(
            header_mode(header(Mode::Ntlm, "http://x").lines().next().unwrap()),
            Some(Mode::Ntlm)
        );
    }
}
