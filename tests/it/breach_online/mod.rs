//! The online Pwned Passwords source against a real local HTTP server (tests/it/support/range_server.rs).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::support::range_server::{to_hex, Misbehaviour, RangeServer, FOREVER};
use kensa::breach::online::{
    CacheOptions, OnlineOptions, OnlineSource, MAX_RANGE_BODY, MAX_REDIRECTS, UNANSWERED_ROUNDS,
};
use kensa::breach::{BreachSource, GiveUpReason, Lookup, Query};

mod cache;
mod failing;

/// NT hash of "password".
const NT_PASSWORD: &str = "8846F7EAEE8FB117AD06BDD830B7586C";

fn source(url: &str) -> OnlineSource {
    OnlineSource::new(options(url)).unwrap()
}

/// Quick retries, no cache, no deadline.
fn options(url: &str) -> OnlineOptions {
    OnlineOptions {
        base_url: url.to_string(),
        concurrency: 4,
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff: Duration::from_millis(2),
        cache: None,
        deadline: None,
    }
}

fn sha1(plain: &str) -> [u8; 20] {
    kensa::hash::sha1(plain)
}

fn nt_bytes(hex: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn lookup(src: &OnlineSource, queries: &[Query]) -> Vec<Lookup> {
    src.lookup(queries, &|_| {})
}

/// The error text, or a panic naming what came back instead.
fn error_text(l: &Lookup) -> &str {
    match l {
        Lookup::Error(m) => m,
        other => panic!("expected Lookup::Error, got {other:?}"),
    }
}

fn raw_get(url: &str, target: &str, extra_headers: &str) -> String {
    let addr = url.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\n{extra_headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn found_and_not_found_in_both_modes() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 9_545_824)], &[(NT_PASSWORD, 1_234)]);
    let src = source(&server.url);
    let unknown_nt = nt_bytes("8846F7EAEE8FB117AD06BDD830B7586D");
    let got = lookup(
        &src,
        &[
            Query::Sha1(sha1("password")),
            Query::Sha1(sha1("kensa: a passphrase nobody breached 7f3a")),
            Query::Ntlm(nt_bytes(NT_PASSWORD)),
            Query::Ntlm(unknown_nt),
        ],
    );
    assert_eq!(
        got,
        vec![
            Lookup::Found(9_545_824),
            Lookup::NotFound,
            Lookup::Found(1_234),
            Lookup::NotFound
        ]
    );
    // The NT hash "…586C" and "…586D" share a prefix: 3 distinct (mode, prefix) pairs.
    assert_eq!(src.requests(), 3);
    let log = server.log();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|r| r.add_padding), "{log:?}");
    assert!(log.iter().all(|r| r
        .user_agent
        .as_deref()
        .is_some_and(|u| u.starts_with("kensa/") && u.ends_with("(+password audit)"))));
    let mut paths = server.requests();
    paths.sort();
    let sha_prefix = &pw[..5];
    assert_eq!(
        paths,
        vec![
            format!("/range/{sha_prefix}"),
            format!(
                "/range/{}",
                &to_hex(&sha1("kensa: a passphrase nobody breached 7f3a"))[..5]
            ),
            "/range/8846F?mode=ntlm".to_string(),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
}

#[test]
fn one_request_per_distinct_prefix_and_mode() {
    let a = sha1("password");
    let mut b = a;
    b[19] ^= 0xFF; // same 5-hex prefix, different suffix
    let c = sha1("correct horse battery staple");
    let (ha, hb) = (to_hex(&a), to_hex(&b));
    assert_eq!(ha[..5], hb[..5]);
    let server = RangeServer::start(&[(&ha, 10), (&hb, 20)], &[]);
    let src = source(&server.url);
    // An NT query whose bytes start like `a` is a different (mode, prefix): its own request.
    let mut nt = [0u8; 16];
    nt.copy_from_slice(&a[..16]);
    let queries = [
        Query::Sha1(a),
        Query::Sha1(b),
        Query::Sha1(a),
        Query::Sha1(c),
        Query::Sha1(b),
        Query::Ntlm(nt),
    ];
    let got = lookup(&src, &queries);
    assert_eq!(
        got,
        vec![
            Lookup::Found(10),
            Lookup::Found(20),
            Lookup::Found(10),
            Lookup::NotFound,
            Lookup::Found(20),
            Lookup::NotFound
        ]
    );
    assert_eq!(src.requests(), 3);
    let paths = server.requests();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert_eq!(
        paths
            .iter()
            .filter(|p| **p == format!("/range/{}", &ha[..5]))
            .count(),
        1
    );
    assert!(paths.contains(&format!("/range/{}?mode=ntlm", &ha[..5])));
    // requests() keeps counting across batches.
    lookup(&src, &[Query::Sha1(a)]);
    assert_eq!(src.requests(), 4);
}

#[test]
fn padding_lines_are_dropped_not_found() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 5)], &[]);
    // Read the padded body as the client would see it and pick a padding suffix.
    let raw = raw_get(
        &server.url,
        &format!("/range/{}", &pw[..5]),
        "User-Agent: test\r\nAdd-Padding: true\r\n",
    );
    let body = raw.split("\r\n\r\n").nth(1).unwrap();
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert!(lines.len() > 1, "padding expected: {body:?}");
    let pad = lines
        .iter()
        .find(|l| l.ends_with(":0"))
        .expect("a padding line");
    let pad_suffix = &pad[..35];
    assert_eq!(pad_suffix, pad_suffix.to_ascii_uppercase());
    let full = format!("{}{pad_suffix}", &pw[..5]);
    let mut padded = [0u8; 20];
    for (i, byte) in padded.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&full[2 * i..2 * i + 2], 16).unwrap();
    }
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Sha1(padded), Query::Sha1(sha1("password"))]);
    assert_eq!(got, vec![Lookup::NotFound, Lookup::Found(5)]);
}

#[test]
fn retry_after_503_succeeds() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 7)], &[]);
    server.fail_prefix(&pw[..5], 503, 2);
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Sha1(sha1("password"))]);
    assert_eq!(got, vec![Lookup::Found(7)]);
    assert_eq!(src.requests(), 3, "two failures then success");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn retry_after_header_is_honoured_on_429() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 7)], &[]);
    server.fail_prefix(&pw[..5], 429, 1);
    server.set_retry_after(Some(1));
    let src = source(&server.url);
    let t = Instant::now();
    let got = lookup(&src, &[Query::Sha1(sha1("password"))]);
    assert_eq!(got, vec![Lookup::Found(7)]);
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(src.requests(), 2);
}

#[test]
fn server_error_forever_is_an_error_not_not_found() {
    let pw = to_hex(&sha1("password"));
    let other = sha1("another password entirely");
    let server = RangeServer::start(&[(&pw, 7)], &[]);
    server.fail_prefix(&pw[..5], 500, FOREVER);
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Sha1(sha1("password")), Query::Sha1(other)]);
    let msg = error_text(&got[0]);
    assert!(msg.contains("500"), "{msg}");
    assert!(msg.contains(&pw[..5]), "{msg}");
    assert!(
        !msg.contains(&pw[..6]),
        "only the 5-char prefix may appear: {msg}"
    );
    assert!(!msg.contains("password"), "{msg}");
    assert_eq!(got[1], Lookup::NotFound, "other prefixes are unaffected");
    // 1 + 3 retries for the failing prefix, 1 for the other.
    assert_eq!(src.requests(), 5);
}

#[test]
fn client_error_is_an_error_without_retry() {
    let server = RangeServer::start(&[], &[]);
    server.fail_all(404);
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Ntlm(nt_bytes(NT_PASSWORD))]);
    let msg = error_text(&got[0]);
    assert!(msg.contains("404") && msg.contains("8846F"), "{msg}");
    assert!(!msg.contains("8846F7"), "{msg}");
    assert_eq!(src.requests(), 1, "4xx other than 429 is not retried");
}

#[test]
fn malformed_bodies_are_errors() {
    let a = sha1("password");
    let b = sha1("letmein");
    let c = sha1("dragon");
    let (ha, hb, hc) = (to_hex(&a), to_hex(&b), to_hex(&c));
    assert!(ha[..5] != hb[..5] && hb[..5] != hc[..5] && ha[..5] != hc[..5]);
    let server = RangeServer::start(&[(&ha, 1), (&hb, 1), (&hc, 1)], &[]);
    // An NTLM-length suffix in a SHA-1 range, next to the real line.
    server.set_body(
        &ha[..5],
        &format!("{}:1\r\n0123456789ABCDEF0123456789A:3", &ha[5..]),
    );
    // A count that is not a number.
    server.set_body(&hb[..5], &format!("{}:many", &hb[5..]));
    // An empty 200 (a cut-short answer).
    server.set_body(&hc[..5], "");
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Sha1(a), Query::Sha1(b), Query::Sha1(c)]);
    for (l, h) in got.iter().zip([&ha, &hb, &hc]) {
        let msg = error_text(l);
        assert!(msg.contains(&h[..5]) && !msg.contains(&h[..6]), "{msg}");
    }
    // A SHA-1-length suffix in an NTLM range.
    let server = RangeServer::start(&[], &[]);
    server.set_body("8846F", &format!("{}:5\n", &ha[5..]));
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Ntlm(nt_bytes(NT_PASSWORD))]);
    error_text(&got[0]);
}

#[test]
fn lowercase_and_lf_bodies_are_accepted() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[], &[]);
    server.set_body(
        &pw[..5],
        &format!(
            "{}:42\n{}:0\n",
            pw[5..].to_ascii_lowercase(),
            "A".repeat(35)
        ),
    );
    let src = source(&server.url);
    assert_eq!(
        lookup(&src, &[Query::Sha1(sha1("password"))]),
        vec![Lookup::Found(42)]
    );
}

#[test]
fn only_the_five_char_prefix_is_ever_sent() {
    let plains = [
        "password",
        "Tokyo2025!",
        "病院のパスワード",
        "hunter2",
        "letmein",
    ];
    let mut queries: Vec<Query> = plains.iter().map(|p| Query::Sha1(sha1(p))).collect();
    queries.push(Query::Ntlm(nt_bytes(NT_PASSWORD)));
    let server = RangeServer::start(&[], &[]);
    server.fail_prefix(&to_hex(&sha1("hunter2"))[..5], 503, 1);
    let src = source(&server.url);
    lookup(&src, &queries);
    let paths = server.requests();
    assert_eq!(paths.len(), 7, "{paths:?}");
    for p in &paths {
        let rest = p.strip_prefix("/range/").expect(p);
        let prefix = rest.strip_suffix("?mode=ntlm").unwrap_or(rest);
        assert_eq!(prefix.len(), 5, "{p}");
        assert!(
            prefix
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)),
            "{p}"
        );
    }
    for q in &queries {
        let full = match q {
            Query::Sha1(h) => to_hex(h),
            Query::Ntlm(h) => to_hex(h),
        };
        assert!(paths.iter().all(|p| !p.contains(&full[..6])), "{full:.8}");
    }
}

#[test]
fn server_requires_a_user_agent() {
    let server = RangeServer::start(&[(&to_hex(&sha1("password")), 3)], &[]);
    let without = raw_get(&server.url, "/range/5BAA6", "");
    assert!(without.starts_with("HTTP/1.1 403"), "{without}");
    let with = raw_get(&server.url, "/range/5BAA6", "User-Agent: t\r\n");
    assert!(with.starts_with("HTTP/1.1 200"), "{with}");
    // Without Add-Padding: only the real suffix, uppercase.
    assert!(
        with.ends_with("\r\n\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD8:3"),
        "{with}"
    );
    let bad = raw_get(&server.url, "/range/5BAA61", "User-Agent: t\r\n");
    assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn trailing_slash_in_base_url() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 2)], &[]);
    let src = source(&format!("{}/", server.url));
    assert_eq!(
        src.dataset(),
        format!("Pwned Passwords range API ({})", server.url)
    );
    assert_eq!(
        lookup(&src, &[Query::Sha1(sha1("password"))]),
        vec![Lookup::Found(2)]
    );
    assert_eq!(server.requests(), vec![format!("/range/{}", &pw[..5])]);
}

#[test]
fn many_prefixes_with_bounded_concurrency_and_progress() {
    let plains: Vec<String> = (0..60).map(|i| format!("pw-{i}")).collect();
    let hexes: Vec<String> = plains.iter().map(|p| to_hex(&sha1(p))).collect();
    let known: Vec<(&str, u64)> = hexes
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, h)| (h.as_str(), i as u64 + 1))
        .collect();
    let server = RangeServer::start(&known, &[]);
    let src = source(&server.url);
    let queries: Vec<Query> = plains.iter().map(|p| Query::Sha1(sha1(p))).collect();
    let seen = Mutex::new(Vec::new());
    let got = src.lookup(&queries, &|n| seen.lock().unwrap().push(n));
    for (i, l) in got.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(*l, Lookup::Found(i as u64 + 1), "#{i}");
        } else {
            assert_eq!(*l, Lookup::NotFound, "#{i}");
        }
    }
    let distinct: std::collections::BTreeSet<&str> = hexes.iter().map(|h| &h[..5]).collect();
    assert_eq!(src.requests(), distinct.len());
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), distinct.len());
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(*seen.last().unwrap(), queries.len());
}

#[test]
fn unreachable_server_is_an_error_after_retries() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let src = source(&format!("http://127.0.0.1:{port}"));
    let got = lookup(&src, &[Query::Sha1(sha1("password"))]);
    let msg = error_text(&got[0]);
    assert!(msg.contains("5BAA6") && !msg.contains("5BAA61"), "{msg}");
    assert_eq!(src.requests(), 4);
}

#[test]
fn a_source_that_never_answered_says_why_once() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let src = OnlineSource::new(OnlineOptions {
        base_url: format!("http://127.0.0.1:{port}"),
        retries: 0,
        ..OnlineOptions::default()
    })
    .unwrap();
    assert_eq!(src.unreachable(), None, "nothing asked yet");
    let queries: Vec<Query> = (0..6)
        .map(|i| Query::Sha1(sha1(&format!("closed-{i}"))))
        .collect();
    let got = lookup(&src, &queries);
    // Every lookup is an error naming its prefix only, never "not found".
    assert!(got.iter().all(|l| matches!(l, Lookup::Error(_))), "{got:?}");
    let why = src.unreachable().expect("no request was answered");
    assert!(why.starts_with("connection failed"), "{why}");
    assert!(!why.contains("/range/"), "{why}");

    // A server that answers, even with errors, is reachable.
    let server = RangeServer::start(&[], &[]);
    server.fail_all(500);
    let src = source(&server.url);
    let got = lookup(&src, &queries[..1]);
    assert!(matches!(&got[0], Lookup::Error(m) if m.contains("500")));
    assert_eq!(src.unreachable(), None);
}

#[test]
fn fail_all_marks_every_query_error_and_empty_batch_is_free() {
    let server = RangeServer::start(&[], &[]);
    server.fail_all(502);
    let src = source(&server.url);
    let got = lookup(
        &src,
        &[Query::Sha1(sha1("a")), Query::Ntlm(nt_bytes(NT_PASSWORD))],
    );
    assert!(got
        .iter()
        .all(|l| matches!(l, Lookup::Error(m) if m.contains("502"))));
    assert_eq!(src.requests(), 8);
    assert!(lookup(&src, &[]).is_empty());
    assert_eq!(src.requests(), 8);
    server.clear_failures();
    assert_eq!(
        lookup(&src, &[Query::Sha1(sha1("a"))]),
        vec![Lookup::NotFound]
    );
}

#[test]
fn concurrency_is_bounded_but_parallel() {
    let server = RangeServer::start(&[], &[]);
    server.set_delay(Duration::from_millis(40));
    let src = OnlineSource::new(OnlineOptions {
        base_url: server.url.clone(),
        concurrency: 3,
        timeout: Duration::from_secs(5),
        retries: 0,
        backoff: Duration::from_millis(1),
        cache: None,
        deadline: None,
    })
    .unwrap();
    let queries: Vec<Query> = (0..12)
        .map(|i| Query::Sha1(sha1(&format!("c-{i}"))))
        .collect();
    let got = lookup(&src, &queries);
    assert!(got.iter().all(|l| *l == Lookup::NotFound), "{got:?}");
    let max = server.max_in_flight();
    assert!((2..=3).contains(&max), "max in flight {max}");
}

#[test]
fn error_message_shape() {
    let server = RangeServer::start(&[], &[]);
    server.fail_all(503);
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Sha1(sha1("password"))]);
    assert_eq!(
        error_text(&got[0]),
        "Pwned Passwords range 5BAA6 (SHA-1): HTTP 503 Service Unavailable (after 4 attempts)"
    );
}
