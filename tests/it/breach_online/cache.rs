//! The online source's on-disk cache: answers from disk, expiry, broken files, the dataset's date
//! and revalidation by ETag.

use super::*;
use crate::support::mode_of;

fn cached_source(url: &str, dir: &std::path::Path, max_age: Duration) -> OnlineSource {
    OnlineSource::new(OnlineOptions {
        cache: Some(CacheOptions {
            dir: dir.to_path_buf(),
            max_age,
        }),
        ..options(url)
    })
    .unwrap()
}

/// Sets a file's modification time `ago` in the past.
fn age_file(p: &std::path::Path, ago: Duration) {
    let f = std::fs::OpenOptions::new().write(true).open(p).unwrap();
    f.set_modified(std::time::SystemTime::now() - ago).unwrap();
}

#[test]
fn cache_answers_the_second_lookup_without_requests() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 9)], &[(NT_PASSWORD, 1234)]);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cache");
    let queries = [
        Query::Sha1(sha1("password")),
        Query::Ntlm(nt_bytes(NT_PASSWORD)),
        // A range the server only pads: cached as an empty body, still a valid answer.
        Query::Sha1(sha1("kensa: nobody breached this 41c2")),
    ];
    let want = vec![Lookup::Found(9), Lookup::Found(1234), Lookup::NotFound];

    let first = cached_source(&server.url, &dir, Duration::from_secs(3600));
    assert_eq!(lookup(&first, &queries), want);
    assert_eq!((first.requests(), first.cache_hits()), (3, 0));
    assert_eq!(first.date().as_deref(), Some("2025-03-03"));
    let sha_file = dir.join("sha1").join(format!("{}.txt", &pw[..5]));
    let nt_file = dir.join("ntlm").join("8846F.txt");
    // Padding is not stored: exactly the real line, CRLF-separated like the API.
    assert_eq!(
        std::fs::read_to_string(&sha_file).unwrap(),
        format!("{}:9", &pw[5..])
    );
    assert_eq!(
        std::fs::read_to_string(&nt_file).unwrap(),
        format!("{}:1234", &NT_PASSWORD[5..])
    );
    #[cfg(unix)]
    {
        assert_eq!(mode_of(&sha_file), 0o600);
        assert_eq!(mode_of(&nt_file), 0o600);
        assert_eq!(mode_of(&dir), 0o700);
        assert_eq!(mode_of(&dir.join("sha1")), 0o700);
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(dir.join("sha1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".txt")), "{names:?}");

    server.clear_requests();
    let second = cached_source(&server.url, &dir, Duration::from_secs(3600));
    assert_eq!(lookup(&second, &queries), want);
    assert_eq!(second.requests(), 0);
    assert_eq!(second.cache_hits(), 3);
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    assert_eq!(second.date(), None, "no Last-Modified seen from the cache");
    // Without a cache nothing is read from the directory.
    let plain = source(&server.url);
    assert_eq!(lookup(&plain, &queries), want);
    assert_eq!((plain.requests(), plain.cache_hits()), (3, 0));
}

#[test]
fn expired_cache_entries_are_fetched_again() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 9)], &[]);
    let tmp = tempfile::tempdir().unwrap();
    let q = [Query::Sha1(sha1("password"))];
    let src = cached_source(&server.url, tmp.path(), Duration::from_secs(3600));
    assert_eq!(lookup(&src, &q), vec![Lookup::Found(9)]);
    let file = tmp.path().join("sha1").join(format!("{}.txt", &pw[..5]));
    age_file(&file, Duration::from_secs(7200));
    let src = cached_source(&server.url, tmp.path(), Duration::from_secs(3600));
    assert_eq!(lookup(&src, &q), vec![Lookup::Found(9)]);
    assert_eq!((src.requests(), src.cache_hits()), (1, 0));
    assert_eq!(server.requests().len(), 2);
    // The refetch renewed the file: now it is fresh again.
    let src = cached_source(&server.url, tmp.path(), Duration::from_secs(3600));
    assert_eq!(lookup(&src, &q), vec![Lookup::Found(9)]);
    assert_eq!((src.requests(), src.cache_hits()), (0, 1));
    // A longer max age accepts the same old file.
    age_file(&file, Duration::from_secs(7200));
    let src = cached_source(&server.url, tmp.path(), Duration::from_secs(3 * 3600));
    assert_eq!(lookup(&src, &q), vec![Lookup::Found(9)]);
    assert_eq!((src.requests(), src.cache_hits()), (0, 1));
}

#[test]
fn broken_cache_files_are_ignored_and_replaced() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 9)], &[(NT_PASSWORD, 5)]);
    let tmp = tempfile::tempdir().unwrap();
    let sha_file = tmp.path().join("sha1").join(format!("{}.txt", &pw[..5]));
    let nt_file = tmp.path().join("ntlm").join("8846F.txt");
    let q = [
        Query::Sha1(sha1("password")),
        Query::Ntlm(nt_bytes(NT_PASSWORD)),
    ];
    let src = cached_source(&server.url, tmp.path(), Duration::from_secs(3600));
    lookup(&src, &q);
    // A fresh but malformed SHA-1 file (claims a different count), and an NTLM file holding a
    // SHA-1-length suffix: neither may answer.
    std::fs::write(&sha_file, format!("{}:77\r\ngarbage", &pw[5..])).unwrap();
    std::fs::write(&nt_file, format!("{}:3", &pw[5..])).unwrap();
    let src = cached_source(&server.url, tmp.path(), Duration::from_secs(3600));
    assert_eq!(lookup(&src, &q), vec![Lookup::Found(9), Lookup::Found(5)]);
    assert_eq!((src.requests(), src.cache_hits()), (2, 0));
    assert_eq!(
        std::fs::read_to_string(&sha_file).unwrap(),
        format!("{}:9", &pw[5..])
    );
    #[cfg(unix)]
    assert_eq!(mode_of(&sha_file), 0o600);
    // A failed fetch does not write the cache, and is still an error.
    std::fs::remove_file(&sha_file).unwrap();
    server.fail_all(500);
    let src = cached_source(&server.url, tmp.path(), Duration::from_secs(3600));
    let got = lookup(&src, &q);
    assert!(
        matches!(&got[0], Lookup::Error(m) if m.contains("500")),
        "{got:?}"
    );
    assert_eq!(got[1], Lookup::Found(5), "the repaired NTLM file answers");
    assert!(!sha_file.exists());
}

#[test]
fn date_is_the_newest_last_modified() {
    let a = sha1("password");
    let b = sha1("letmein");
    let server = RangeServer::start(&[(&to_hex(&a), 1), (&to_hex(&b), 2)], &[]);
    let src = source(&server.url);
    assert_eq!(src.date(), None);
    server.set_last_modified(Some("Wed, 16 Apr 2025 08:00:00 GMT"));
    lookup(&src, &[Query::Sha1(a)]);
    server.set_last_modified(Some("Sun, 02 Feb 2025 23:59:59 GMT"));
    lookup(&src, &[Query::Sha1(b)]);
    assert_eq!(src.date().as_deref(), Some("2025-04-16"));
    server.set_last_modified(None);
    let other = source(&server.url);
    lookup(&other, &[Query::Sha1(a)]);
    assert_eq!(other.date(), None);
}

#[test]
fn server_sends_etag_and_answers_304() {
    let server = RangeServer::start(&[(&to_hex(&sha1("password")), 3)], &[]);
    let first = raw_get(&server.url, "/range/5BAA6", "User-Agent: t\r\n");
    let etag = first
        .lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .expect("ETag header")
        .to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert!(
        first.contains("Last-Modified: Mon, 03 Mar 2025 10:00:00 GMT"),
        "{first}"
    );
    // Padding does not change the ETag (it names the data).
    let padded = raw_get(
        &server.url,
        "/range/5BAA6",
        "User-Agent: t\r\nAdd-Padding: true\r\n",
    );
    assert!(padded.contains(&format!("ETag: {etag}")), "{padded}");
    let again = raw_get(
        &server.url,
        "/range/5BAA6",
        &format!("User-Agent: t\r\nIf-None-Match: {etag}\r\n"),
    );
    assert!(again.starts_with("HTTP/1.1 304"), "{again}");
    assert!(again.ends_with("\r\n\r\n"), "no body: {again}");
    let stale = raw_get(
        &server.url,
        "/range/5BAA6",
        "User-Agent: t\r\nIf-None-Match: \"0000\"\r\n",
    );
    assert!(stale.starts_with("HTTP/1.1 200"), "{stale}");
    let ntlm = raw_get(&server.url, "/range/5BAA6?mode=ntlm", "User-Agent: t\r\n");
    assert!(
        !ntlm.contains(&format!("ETag: {etag}")),
        "modes differ: {ntlm}"
    );
    assert_eq!(server.status_count(304), 1);
    assert_eq!(
        server.log()[2].if_none_match.as_deref(),
        Some(etag.as_str())
    );
}
