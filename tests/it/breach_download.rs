//! `breach::download` against a real local range server (tests/it/support/range_server.rs):
//! both modes, resumability, failures, ETag revalidation and the manifest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use crate::support::range_server::{Misbehaviour, RangeServer, DEFAULT_LAST_MODIFIED, FOREVER};
use kensa::breach::download::{
    download, read_manifest, DownloadOptions, DownloadReport, ABORT_AFTER, MANIFEST,
};
use sha2::{Digest, Sha256};

/// Prefixes 00000–000FF (256), three hashes each, plus one just outside the range.
fn corpus(hex_len: usize, seed: u64) -> Vec<(String, u64)> {
    let mut x = seed | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = Vec::new();
    for p in (0u32..=0xFF).chain([0x100]) {
        for k in 0..3u64 {
            let mut h = format!("{p:05X}");
            while h.len() < hex_len {
                h.push_str(&format!("{:016X}", next()));
            }
            h.truncate(hex_len);
            out.push((h, 1 + (next() % 5000) * (k + 1)));
        }
    }
    out
}

/// Hashes (hex) with their counts.
type Corpus = Vec<(String, u64)>;

fn start() -> (RangeServer, Corpus, Corpus) {
    let sha = corpus(40, 0x5EED);
    let nt = corpus(32, 0xBEEF);
    let s: Vec<(&str, u64)> = sha.iter().map(|(h, n)| (h.as_str(), *n)).collect();
    let n: Vec<(&str, u64)> = nt.iter().map(|(h, n)| (h.as_str(), *n)).collect();
    (RangeServer::start(&s, &n), sha, nt)
}

/// The body the API gives for `prefix` (no padding), as the file must hold it.
fn expected(corpus: &[(String, u64)], prefix: u32) -> String {
    let p = format!("{prefix:05X}");
    let mut lines: Vec<(String, u64)> = corpus
        .iter()
        .filter(|(h, _)| h.starts_with(&p))
        .map(|(h, n)| (h[5..].to_string(), *n))
        .collect();
    lines.sort();
    lines
        .iter()
        .map(|(s, n)| format!("{s}:{n}"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn opts(url: &str, out: &Path, ntlm: bool) -> DownloadOptions {
    DownloadOptions {
        base_url: url.to_string(),
        out: out.to_path_buf(),
        ntlm,
        concurrency: 6,
        retries: 2,
        timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(1),
        range: (0, 0xFF),
        refresh: false,
    }
}

fn run(o: &DownloadOptions) -> DownloadReport {
    download(o, &|_, _| {}).unwrap()
}

fn file(out: &Path, prefix: u32) -> std::path::PathBuf {
    out.join(format!("{prefix:05X}.txt"))
}

fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The request targets, as a set of prefixes.
fn prefixes(server: &RangeServer) -> BTreeSet<String> {
    server
        .requests()
        .iter()
        .map(|p| p["/range/".len().."/range/".len() + 5].to_string())
        .collect()
}

/// The manifest's data lines, as fields.
fn manifest_rows(out: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(out.join(MANIFEST))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn check_mode(ntlm: bool) {
    let (server, sha, nt) = start();
    let corpus = if ntlm { &nt } else { &sha };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pp");
    let seen = Mutex::new(Vec::new());
    let report = download(&opts(&server.url, &out, ntlm), &|d, t| {
        seen.lock().unwrap().push((d, t))
    })
    .unwrap();
    let total: u64 = (0..=0xFF)
        .map(|p| std::fs::metadata(file(&out, p)).unwrap().len())
        .sum();
    assert_eq!(
        report,
        DownloadReport {
            fetched: 256,
            skipped: 0,
            failed: vec![],
            not_modified: 0,
            bytes: total,
            not_attempted: 0,
        }
    );
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 256);
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "increasing");
    assert_eq!(seen.last(), Some(&(256, 256)));

    // Exactly one request per prefix, in the right mode, with padding (so that a range with no
    // hash is told apart from a cut-short body); nothing outside the range.
    let log = server.log();
    assert_eq!(log.len(), 256);
    assert!(log
        .iter()
        .all(|r| r.add_padding && r.if_none_match.is_none()));
    assert!(
        log.iter()
            .all(|r| r.path.ends_with("?mode=ntlm") == ntlm
                && r.path.len() == 12 + 10 * ntlm as usize)
    );
    assert_eq!(prefixes(&server).len(), 256);
    assert!(!file(&out, 0x100).exists());

    // Each file is the API body: uppercase, CRLF, 35 / 27-character suffixes.
    let suffix_len = if ntlm { 27 } else { 35 };
    for p in 0..=0xFF {
        let text = std::fs::read_to_string(file(&out, p)).unwrap();
        assert_eq!(text, expected(corpus, p), "{p:05X}");
        assert!(text
            .split("\r\n")
            .all(|l| l.split_once(':').unwrap().0.len() == suffix_len));
    }

    // The manifest: header with the mode, then one sorted row per prefix.
    let head = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    let first = head.lines().next().unwrap();
    assert!(first.starts_with("# kensa-download"), "{first}");
    assert!(
        first.contains(if ntlm { "mode=ntlm" } else { "mode=sha1" }),
        "{first}"
    );
    let rows = manifest_rows(&out);
    assert_eq!(rows.len(), 256);
    for (p, row) in rows.iter().enumerate() {
        let body = std::fs::read(file(&out, p as u32)).unwrap();
        assert_eq!(row[0], format!("{p:05X}"));
        assert!(row[1].starts_with('"') && row[1].ends_with('"'), "{row:?}");
        assert_eq!(row[2], DEFAULT_LAST_MODIFIED);
        assert_eq!(row[3], sha256(&body));
        assert_eq!(row[4], body.len().to_string());
    }
    let m = read_manifest(&out).unwrap().unwrap();
    assert_eq!(m.ntlm, ntlm);
    assert_eq!(m.entries.len(), 256);
    assert_eq!(m.newest_last_modified().as_deref(), Some("2025-03-03"));

    // A second run has nothing to do.
    server.clear_requests();
    let again = run(&opts(&server.url, &out, ntlm));
    assert_eq!((again.fetched, again.skipped), (0, 256));
    assert!(server.requests().is_empty());
}

#[test]
fn downloads_a_sha1_range() {
    check_mode(false);
}

#[test]
fn downloads_an_ntlm_range() {
    check_mode(true);
}

#[test]
fn a_rerun_fetches_only_missing_or_broken_prefixes() {
    let (server, sha, _) = start();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let o = opts(&server.url, out, false);
    run(&o);
    let before: BTreeMap<u32, Vec<u8>> = (0..=0xFF)
        .map(|p| (p, std::fs::read(file(out, p)).unwrap()))
        .collect();

    // Missing files.
    for p in [0x00, 0x7F, 0xFF] {
        std::fs::remove_file(file(out, p)).unwrap();
    }
    // Still well-formed but not what was downloaded (recorded SHA-256 differs).
    let changed = expected(&sha, 0x10).replacen(':', ":9", 1);
    std::fs::write(file(out, 0x10), &changed).unwrap();
    // Malformed (cut short in the middle of a line).
    let cut = &before[&0x20][..50];
    std::fs::write(file(out, 0x20), cut).unwrap();
    // Same size, one byte flipped.
    let mut flipped = before[&0x30].clone();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    std::fs::write(file(out, 0x30), &flipped).unwrap();

    server.clear_requests();
    let r = run(&o);
    assert_eq!((r.fetched, r.skipped, r.failed.len()), (6, 250, 0), "{r:?}");
    let want: BTreeSet<String> = ["00000", "0007F", "000FF", "00010", "00020", "00030"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(prefixes(&server), want);
    assert_eq!(server.requests().len(), 6);
    for p in 0..=0xFF {
        assert_eq!(std::fs::read(file(out, p)).unwrap(), before[&p], "{p:05X}");
    }
    assert_eq!(manifest_rows(out).len(), 256);
}

#[test]
fn an_interrupted_run_loses_nothing() {
    let (server, _, _) = start();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let mut o = opts(&server.url, out, false);
    o.concurrency = 1;
    // Interrupt the run after 100 prefixes (a panic in the progress callback).
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        download(&o, &|done, _| {
            if done == 100 {
                panic!("interrupted");
            }
        })
    }));
    assert!(res.is_err());
    // What completed is already in the manifest (appended, not yet compacted).
    assert_eq!(manifest_rows(out).len(), 100);
    // A torn last line (a crash in the middle of the append) is ignored: that prefix is refetched.
    let path = out.join(MANIFEST);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() - 30]).unwrap();

    server.clear_requests();
    o.concurrency = 4;
    let r = run(&o);
    assert_eq!((r.fetched, r.skipped), (157, 99), "{r:?}");
    let fetched = prefixes(&server);
    assert_eq!(fetched.len(), 157);
    assert_eq!(fetched.first().map(String::as_str), Some("00063"));
    assert_eq!(manifest_rows(out).len(), 256);
    assert!(manifest_rows(out).iter().all(|r| r.len() == 5));
}

#[test]
fn a_prefix_failing_forever_is_reported_and_the_rest_kept() {
    let (server, _, _) = start();
    server.fail_prefix("00042", 500, FOREVER);
    // An unsorted body is a verification failure (retried, then reported).
    let unsorted = format!("{}:1\r\n{}:2", "F".repeat(35), "0".repeat(35));
    server.set_body("00043", &unsorted);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let o = opts(&server.url, out, false);
    let r = run(&o);
    assert_eq!(r.fetched, 254);
    assert_eq!(r.failed.len(), 2, "{:?}", r.failed);
    assert_eq!(
        r.failed[0],
        "00042: HTTP 500 Internal Server Error (after 3 attempts)"
    );
    assert!(
        r.failed[1].starts_with("00043: malformed body") && r.failed[1].contains("ascending"),
        "{}",
        r.failed[1]
    );
    let reqs = server.requests();
    assert_eq!(reqs.iter().filter(|p| *p == "/range/00042").count(), 3);
    assert_eq!(reqs.iter().filter(|p| *p == "/range/00043").count(), 3);
    assert!(!file(out, 0x42).exists() && !file(out, 0x43).exists());
    let rows = manifest_rows(out);
    assert_eq!(rows.len(), 254);
    assert!(rows.iter().all(|r| r[0] != "00042" && r[0] != "00043"));

    // Once the server recovers, a rerun fetches only those two.
    server.clear_failures();
    server.set_body(
        "00043",
        &format!("{}:2\r\n{}:1", "0".repeat(35), "F".repeat(35)),
    );
    server.clear_requests();
    let r = run(&o);
    assert_eq!((r.fetched, r.skipped, r.failed.len()), (2, 254, 0), "{r:?}");
    let mut reqs = server.requests();
    reqs.sort();
    assert_eq!(reqs, vec!["/range/00042", "/range/00043"]);
    assert_eq!(manifest_rows(out).len(), 256);
}

#[test]
fn refresh_revalidates_with_etags() {
    let (server, _, _) = start();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let mut o = opts(&server.url, out, true);
    run(&o);
    let etags: BTreeMap<String, String> = manifest_rows(out)
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    // One range changes upstream, with a newer date.
    let new_body = format!("{}:5\r\n{}:6", "0".repeat(27), "A".repeat(27));
    server.set_body("00010", &new_body);
    server.set_last_modified(Some("Wed, 16 Apr 2025 08:00:00 GMT"));
    // A refresh where one range keeps failing keeps its old file.
    server.fail_prefix("00020", 503, FOREVER);
    let old20 = std::fs::read(file(out, 0x20)).unwrap();
    server.clear_requests();
    o.refresh = true;
    let r = run(&o);
    assert_eq!((r.fetched, r.not_modified, r.skipped), (1, 254, 0), "{r:?}");
    assert_eq!(r.failed.len(), 1, "{:?}", r.failed);
    assert!(r.failed[0].starts_with("00020: HTTP 503"), "{:?}", r.failed);
    assert_eq!(r.bytes, new_body.len() as u64);
    assert_eq!(server.status_count(304), 254);
    // Every request was conditional, on the ETag recorded for its prefix.
    for rec in server.log() {
        let p = &rec.path["/range/".len().."/range/".len() + 5];
        assert_eq!(rec.if_none_match.as_ref(), Some(&etags[p]), "{}", rec.path);
    }
    assert_eq!(std::fs::read_to_string(file(out, 0x10)).unwrap(), new_body);
    assert_eq!(std::fs::read(file(out, 0x20)).unwrap(), old20);
    let m = read_manifest(out).unwrap().unwrap();
    assert_eq!(m.entries.len(), 256);
    let e10 = &m.entries[&0x10];
    assert_ne!(e10.etag.as_ref(), Some(&etags["00010"]));
    assert_eq!(e10.sha256, sha256(new_body.as_bytes()));
    // 304s record the new Last-Modified too; the failed prefix keeps the old one.
    assert_eq!(
        m.entries[&0x11].last_modified.as_deref(),
        Some("Wed, 16 Apr 2025 08:00:00 GMT")
    );
    assert_eq!(
        m.entries[&0x20].last_modified.as_deref(),
        Some(DEFAULT_LAST_MODIFIED)
    );
    assert_eq!(m.newest_last_modified().as_deref(), Some("2025-04-16"));
}

#[test]
fn modes_do_not_mix_in_one_directory() {
    let (server, _, _) = start();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let mut o = opts(&server.url, out, true);
    o.range = (0, 3);
    run(&o);
    server.clear_requests();
    o.ntlm = false;
    let err = download(&o, &|_, _| {}).unwrap_err().to_string();
    assert!(err.contains("NTLM") && err.contains("SHA-1"), "{err}");
    // Without the manifest, the files themselves give the mode away.
    std::fs::remove_file(out.join(MANIFEST)).unwrap();
    let err = download(&o, &|_, _| {}).unwrap_err().to_string();
    assert!(err.contains("NTLM"), "{err}");
    assert!(server.requests().is_empty());
    // Without a manifest the NTLM files are not trusted: they are fetched again.
    o.ntlm = true;
    let r = run(&o);
    assert_eq!((r.fetched, r.skipped), (4, 0));
}

#[test]
fn an_api_that_stays_down_is_abandoned() {
    let (server, _, _) = start();
    server.fail_all(503);
    let tmp = tempfile::tempdir().unwrap();
    let mut o = opts(&server.url, tmp.path(), false);
    o.concurrency = 2;
    let r = run(&o);
    assert_eq!(r.fetched, 0);
    assert!(r.not_attempted > 0, "{r:?}");
    assert!(
        r.failed.len() >= ABORT_AFTER && r.failed.len() < 256,
        "{}",
        r.failed.len()
    );
    assert_eq!(r.failed.len() as u64 + r.not_attempted, 256);
    assert!(
        server.requests().len() < ABORT_AFTER + 12,
        "{}",
        server.requests().len()
    );
}

#[test]
fn a_server_that_never_answers_is_abandoned_after_abort_after_requests() {
    let (server, _, _) = start();
    server.misbehave(Some(Misbehaviour::Hang));
    let tmp = tempfile::tempdir().unwrap();
    let mut o = opts(&server.url, tmp.path(), false);
    o.timeout = Duration::from_millis(200);
    let t = std::time::Instant::now();
    let r = run(&o);
    // Without the breaker: ABORT_AFTER ranges × 3 attempts × 0.2 s / 6 workers and more.
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    assert_eq!(r.fetched, 0);
    assert!(r.not_attempted > 0, "{r:?}");
    assert_eq!(r.failed.len() as u64 + r.not_attempted, 256);
    assert!(
        r.failed.iter().any(|f| f.contains("unreachable")),
        "{:?}",
        r.failed
    );
    // ABORT_AFTER requests in a row got no answer, plus those in flight: not ABORT_AFTER ranges
    // of three attempts each.
    let asked = server.requests().len();
    assert!((ABORT_AFTER..ABORT_AFTER + 6).contains(&asked), "{asked}");
}

#[test]
fn a_flooded_or_redirected_range_fails_without_retry() {
    let (server, sha, _) = start();
    let tmp = tempfile::tempdir().unwrap();
    let mut o = opts(&server.url, tmp.path(), false);
    o.range = (0, 1);
    // 50 MB of well-formed, ascending lines: without a cap it would be written as a range file.
    server.misbehave(Some(Misbehaviour::Flood {
        bytes: 50 * 1024 * 1024,
        declare_length: false,
    }));
    let r = run(&o);
    assert_eq!(r.fetched, 0, "{r:?}");
    assert_eq!(r.failed.len(), 2, "{r:?}");
    assert!(
        r.failed.iter().all(|f| f.contains("larger than 4 MiB")),
        "{r:?}"
    );
    assert_eq!(server.requests().len(), 2, "not retried");
    assert!(!file(tmp.path(), 0).exists());
    assert!(server.flooded_bytes() < 25 * 1024 * 1024);

    // A redirect to another origin: the other server's ranges are not taken.
    let (other, _, _) = start();
    server.clear_requests();
    server.misbehave(Some(Misbehaviour::RedirectTo(other.url.clone())));
    let r = run(&o);
    assert_eq!((r.fetched, r.failed.len()), (0, 2), "{r:?}");
    assert!(
        r.failed.iter().all(|f| f.contains("another origin")),
        "{r:?}"
    );
    assert!(other.requests().is_empty());
    assert_eq!(server.requests().len(), 2, "not retried");

    // Behaving again, the same run completes.
    server.misbehave(None);
    let r = run(&o);
    assert_eq!(r.fetched, 2, "{r:?}");
    assert_eq!(
        std::fs::read_to_string(file(tmp.path(), 0)).unwrap(),
        expected(&sha, 0)
    );
}

#[test]
fn bad_options_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let mut o = opts("ftp://example", tmp.path(), false);
    assert!(download(&o, &|_, _| {})
        .unwrap_err()
        .to_string()
        .contains("http"));
    o.base_url = "http://127.0.0.1:9".into();
    o.range = (0x10, 0x0F);
    assert!(download(&o, &|_, _| {}).is_err());
    o.range = (0, 0x100000);
    assert!(download(&o, &|_, _| {}).is_err());
    // A manifest that is not ours.
    std::fs::write(tmp.path().join(MANIFEST), "hello\n").unwrap();
    o.range = (0, 0);
    assert!(download(&o, &|_, _| {})
        .unwrap_err()
        .to_string()
        .contains("manifest"));
}

#[test]
fn refresh_without_recorded_etags_compares_the_bytes() {
    let (server, _, _) = start();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let mut o = opts(&server.url, out, false);
    o.range = (0, 0x1F);
    run(&o);
    // A manifest from a server that sent no ETags (as the API sometimes does for NTLM).
    let path = out.join(MANIFEST);
    let text: String = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split('\t').collect();
            if !l.starts_with('#') {
                f[1] = "-";
            }
            f.join("\t") + "\n"
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    server.set_body("00005", &format!("{}:1", "C".repeat(35)));
    server.clear_requests();
    o.refresh = true;
    let r = run(&o);
    assert_eq!((r.fetched, r.not_modified, r.skipped), (1, 31, 0), "{r:?}");
    assert!(server.log().iter().all(|l| l.if_none_match.is_none()));
    assert_eq!(server.status_count(200), 32);
    // The ETags are recorded now.
    assert!(manifest_rows(out).iter().all(|r| r[1].starts_with('"')));
    assert_eq!(
        std::fs::read_to_string(file(out, 5)).unwrap(),
        format!("{}:1", "C".repeat(35))
    );
}
