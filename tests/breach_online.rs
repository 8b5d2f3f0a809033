//! The online Pwned Passwords source against a real local HTTP server (tests/support/range_server.rs).

#[path = "support/range_server.rs"]
mod range_server;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kensa::breach::online::{
    CacheOptions, OnlineOptions, OnlineSource, MAX_RANGE_BODY, MAX_REDIRECTS, UNANSWERED_ROUNDS,
};
use kensa::breach::{BreachSource, GiveUpReason, Lookup, Query};
use range_server::{to_hex, Misbehaviour, RangeServer, FOREVER};

/// NT hash of "password".
const NT_PASSWORD: &str = "8846F7EAEE8FB117AD06BDD830B7586C";

fn source(url: &str) -> OnlineSource {
    OnlineSource::new(OnlineOptions {
        base_url: url.to_string(),
        concurrency: 4,
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff: Duration::from_millis(2),
        cache: None,
        deadline: None,
    })
    .unwrap()
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

#[test]
fn an_api_that_stays_down_stops_being_retried() {
    let server = RangeServer::start(&[], &[]);
    server.fail_all(500);
    let src = OnlineSource::new(OnlineOptions {
        base_url: server.url.clone(),
        concurrency: 1,
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff: Duration::from_millis(1),
        cache: None,
        deadline: None,
    })
    .unwrap();
    let queries: Vec<Query> = (0..10)
        .map(|i| Query::Sha1(sha1(&format!("down-{i}"))))
        .collect();
    let distinct: std::collections::BTreeSet<String> = queries
        .iter()
        .map(|q| match q {
            Query::Sha1(h) => to_hex(h)[..5].to_string(),
            Query::Ntlm(h) => to_hex(h)[..5].to_string(),
        })
        .collect();
    assert_eq!(distinct.len(), 10);
    let got = lookup(&src, &queries);
    assert!(got
        .iter()
        .all(|l| matches!(l, Lookup::Error(m) if m.contains("500"))));
    // Three ranges get 1 + 3 retries, the seven after them one attempt each.
    assert_eq!(src.requests(), 3 * 4 + 7);
    // A new batch starts afresh, and a success resets the streak.
    server.clear_failures();
    assert_eq!(lookup(&src, &queries[..1]), vec![Lookup::NotFound]);
    assert_eq!(src.requests(), 20);
}

// ---- A service that does not answer: circuit breaker and deadline ---------------------------

/// `n` SHA-1 queries, distinct prefixes for most of them.
fn many(tag: &str, n: usize) -> Vec<Query> {
    (0..n)
        .map(|i| Query::Sha1(sha1(&format!("{tag}-{i}"))))
        .collect()
}

fn prefixes_of(queries: &[Query]) -> std::collections::BTreeSet<String> {
    queries
        .iter()
        .map(|q| match q {
            Query::Sha1(h) => to_hex(h)[..5].to_string(),
            Query::Ntlm(h) => to_hex(h)[..5].to_string(),
        })
        .collect()
}

/// Every lookup is an error carrying exactly the message the source gave up with.
fn all_gave_up(src: &OnlineSource, got: &[Lookup], queries: &[Query]) -> String {
    let g = src.gave_up().expect("the source gave up");
    for l in got {
        assert_eq!(error_text(l), g.message);
    }
    // One message for all, naming no prefix.
    for p in prefixes_of(queries) {
        assert!(!g.message.contains(&p), "{}", g.message);
    }
    g.message
}

#[test]
fn a_server_that_never_answers_opens_the_breaker_promptly() {
    let server = RangeServer::start(&[], &[]);
    server.misbehave(Some(Misbehaviour::Hang));
    let src = OnlineSource::new(OnlineOptions {
        base_url: server.url.clone(),
        concurrency: 4,
        timeout: Duration::from_millis(300),
        retries: 4,
        backoff: Duration::from_millis(10),
        cache: None,
        // The breaker alone.
        deadline: None,
    })
    .unwrap();
    let queries = many("hang", 100);
    assert!(prefixes_of(&queries).len() > 90);
    let t = Instant::now();
    let got = lookup(&src, &queries);
    let took = t.elapsed();
    // Without the breaker: ~100 ranges × 5 attempts × 0.3 s / 4 workers, about 40 s.
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert_eq!(got.len(), queries.len());
    let msg = all_gave_up(&src, &got, &queries);
    assert_eq!(src.gave_up().unwrap().reason, GiveUpReason::Unreachable);
    assert!(
        msg.contains("unreachable") && msg.contains("timed out"),
        "{msg}"
    );
    // Two rounds of the four workers, and the requests in flight when it opened.
    let asked = server.requests().len();
    assert!(
        (UNANSWERED_ROUNDS * 4..UNANSWERED_ROUNDS * 4 + 4).contains(&asked),
        "{asked}"
    );
    assert_eq!(
        src.unreachable()
            .as_deref()
            .map(|w| w.starts_with("timed out")),
        Some(true)
    );

    // The next batch starts afresh: the service is back.
    server.misbehave(None);
    assert_eq!(lookup(&src, &queries[..1]), vec![Lookup::NotFound]);
}

#[test]
fn a_service_that_stops_answering_opens_the_breaker() {
    let server = RangeServer::start(&[], &[]);
    server.misbehave(Some(Misbehaviour::HangAfter(5)));
    let src = OnlineSource::new(OnlineOptions {
        base_url: server.url.clone(),
        concurrency: 1,
        timeout: Duration::from_millis(200),
        retries: 4,
        backoff: Duration::from_millis(1),
        cache: None,
        deadline: None,
    })
    .unwrap();
    let queries = many("stops", 60);
    let got = lookup(&src, &queries);
    let g = src.gave_up().expect("gave up");
    assert_eq!(g.reason, GiveUpReason::Unreachable);
    assert!(
        g.why.starts_with("3 requests in a row got no answer"),
        "{}",
        g.why
    );
    // One worker asks the ranges in prefix order: the first five were answered, the rest not.
    let answered: Vec<String> = prefixes_of(&queries).into_iter().take(5).collect();
    for (q, l) in queries.iter().zip(&got) {
        let Query::Sha1(h) = q else { unreachable!() };
        if answered.contains(&to_hex(h)[..5].to_string()) {
            assert_eq!(*l, Lookup::NotFound);
        } else {
            assert_eq!(error_text(l), g.message);
        }
    }
    // Answered before: not "unreachable" from the start.
    assert_eq!(src.unreachable(), None);
    // Five answered, then three that got no answer (one range, retried), and no more.
    assert_eq!(server.requests().len(), 5 + 3);
}

#[test]
fn the_deadline_ends_a_batch_against_a_server_that_never_answers() {
    let server = RangeServer::start(&[], &[]);
    server.misbehave(Some(Misbehaviour::Hang));
    let src = OnlineSource::new(OnlineOptions {
        base_url: server.url.clone(),
        // The defaults: a request would wait 20 s, five times per range.
        concurrency: 8,
        timeout: Duration::from_secs(20),
        retries: 4,
        backoff: Duration::from_millis(500),
        cache: None,
        deadline: Some(Duration::from_secs(2)),
    })
    .unwrap();
    let queries = many("deadline", 100);
    let t = Instant::now();
    let got = lookup(&src, &queries);
    let took = t.elapsed();
    // The requests in flight are cut at the deadline (the old way: minutes).
    assert!(took < Duration::from_secs(15), "{took:?}");
    let msg = all_gave_up(&src, &got, &queries);
    assert_eq!(src.gave_up().unwrap().reason, GiveUpReason::Deadline);
    assert_eq!(
        msg,
        "not completed: the deadline of 2s for breach lookups was reached"
    );
    assert_eq!(server.requests().len(), 8, "one round, cut short");
}

#[test]
fn lookups_answered_before_the_deadline_stand_the_rest_are_errors() {
    let server = RangeServer::start(&[], &[]);
    server.set_delay(Duration::from_millis(150));
    let src = OnlineSource::new(OnlineOptions {
        base_url: server.url.clone(),
        concurrency: 1,
        timeout: Duration::from_secs(5),
        retries: 2,
        backoff: Duration::from_millis(1),
        cache: None,
        deadline: Some(Duration::from_millis(1200)),
    })
    .unwrap();
    let queries = many("slow", 40);
    let got = lookup(&src, &queries);
    let answered = got.iter().filter(|l| **l == Lookup::NotFound).count();
    assert!(answered >= 1 && answered < queries.len(), "{answered}");
    let g = src.gave_up().expect("deadline");
    assert_eq!(g.reason, GiveUpReason::Deadline);
    assert!(g.message.contains("1200ms"), "{}", g.message);
    for l in &got {
        match l {
            Lookup::NotFound => {}
            Lookup::Error(m) => assert_eq!(*m, g.message),
            other => panic!("{other:?}"),
        }
    }
    // The requests made: the answered ranges and the one cut short (if the deadline came while
    // it was in flight), no more.
    let asked = server.requests().len();
    assert!(
        asked == answered || asked == answered + 1,
        "{asked} {answered}"
    );
    // A server that answers is reachable.
    assert_eq!(src.unreachable(), None);
}

// ---- Hostile servers: huge bodies, redirects -----------------------------------------------

/// 50 MB, well-formed lines all the way: a client without a cap would read it and answer.
const FLOOD: usize = 50 * 1024 * 1024;

#[test]
fn a_flooding_server_is_an_error_read_no_further_than_the_cap() {
    for declare_length in [true, false] {
        let pw = to_hex(&sha1("password"));
        let server = RangeServer::start(&[], &[]);
        server.misbehave(Some(Misbehaviour::Flood {
            bytes: FLOOD,
            declare_length,
        }));
        let src = source(&server.url);
        let got = lookup(
            &src,
            &[
                Query::Sha1(sha1("password")),
                Query::Ntlm(nt_bytes(NT_PASSWORD)),
            ],
        );
        for (l, prefix) in got.iter().zip([&pw[..5], "8846F"]) {
            let msg = error_text(l);
            assert!(msg.contains("larger than 4 MiB"), "{msg}");
            assert!(msg.contains(prefix), "{msg}");
        }
        // Not retried: a range this size is no passing fault.
        assert_eq!(server.requests().len(), 2, "{:?}", server.requests());
        assert_eq!(src.requests(), 2);
        // The client hung up: the server could not write the whole body.
        let sent = server.flooded_bytes();
        assert!(
            sent < FLOOD / 2,
            "declare_length {declare_length}: {sent} bytes sent"
        );
        assert_eq!(MAX_RANGE_BODY, 4 * 1024 * 1024);
    }
}

#[test]
fn a_body_just_under_the_cap_is_still_read() {
    let server = RangeServer::start(&[], &[]);
    // Some 3.9 MiB of well-formed lines: no suffix of ours among them.
    server.misbehave(Some(Misbehaviour::Flood {
        bytes: MAX_RANGE_BODY as usize - 100_000,
        declare_length: false,
    }));
    let src = source(&server.url);
    assert_eq!(
        lookup(&src, &[Query::Sha1(sha1("password"))]),
        vec![Lookup::NotFound]
    );
}

#[test]
fn a_redirect_to_another_origin_is_not_followed_nor_trusted() {
    let pw = to_hex(&sha1("password"));
    // The other server would say every password is breached.
    let other = RangeServer::start(&[(&pw, 999_999)], &[(NT_PASSWORD, 999_999)]);
    let server = RangeServer::start(&[], &[]);
    server.misbehave(Some(Misbehaviour::RedirectTo(other.url.clone())));
    let src = source(&server.url);
    let got = lookup(
        &src,
        &[
            Query::Sha1(sha1("password")),
            Query::Ntlm(nt_bytes(NT_PASSWORD)),
        ],
    );
    for l in &got {
        let msg = error_text(l);
        assert!(msg.contains("another origin"), "{msg}");
        assert!(
            !msg.contains(&other.url) && !msg.contains("127.0.0.1"),
            "{msg}"
        );
    }
    assert!(other.requests().is_empty(), "{:?}", other.requests());
    // Not retried.
    assert_eq!(server.requests().len(), 2, "{:?}", server.requests());
    // The same origin on another port is another origin too.
    let port = server.url.rsplit(':').next().unwrap();
    let same_host = format!("http://localhost:{port}");
    server.misbehave(Some(Misbehaviour::RedirectTo(same_host)));
    server.clear_requests();
    let got = lookup(&src, &[Query::Sha1(sha1("password"))]);
    assert!(error_text(&got[0]).contains("another origin"));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_redirect_within_the_origin_is_followed() {
    let pw = to_hex(&sha1("password"));
    let server = RangeServer::start(&[(&pw, 12)], &[(NT_PASSWORD, 34)]);
    server.misbehave(Some(Misbehaviour::RedirectChain(2)));
    let src = source(&server.url);
    let got = lookup(
        &src,
        &[
            Query::Sha1(sha1("password")),
            Query::Ntlm(nt_bytes(NT_PASSWORD)),
        ],
    );
    assert_eq!(got, vec![Lookup::Found(12), Lookup::Found(34)]);
    assert_eq!(server.status_count(302), 4);
    // The padding header went along.
    assert!(server.log().iter().all(|r| r.add_padding));
}

#[test]
fn a_redirect_loop_or_endless_chain_is_an_error_not_retried() {
    let server = RangeServer::start(&[], &[]);
    server.misbehave(Some(Misbehaviour::RedirectLoop));
    let src = source(&server.url);
    let got = lookup(&src, &[Query::Sha1(sha1("password"))]);
    let msg = error_text(&got[0]);
    assert!(
        msg.contains("redirect loop") && msg.contains("5BAA6"),
        "{msg}"
    );
    // The loop is seen at the first redirect, and the range is not asked again.
    assert_eq!(server.requests(), vec!["/range/5BAA6".to_string()]);

    server.clear_requests();
    server.misbehave(Some(Misbehaviour::RedirectChain(usize::MAX)));
    let got = lookup(&src, &[Query::Ntlm(nt_bytes(NT_PASSWORD))]);
    let msg = error_text(&got[0]);
    assert!(msg.contains("too many redirects"), "{msg}");
    // One request and MAX_REDIRECTS hops, once: with the 3 retries it would be four times that.
    assert_eq!(server.requests().len(), 1 + MAX_REDIRECTS);
}

// ---- On-disk cache --------------------------------------------------------------------------

fn cached_source(url: &str, dir: &std::path::Path, max_age: Duration) -> OnlineSource {
    OnlineSource::new(OnlineOptions {
        base_url: url.to_string(),
        concurrency: 4,
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff: Duration::from_millis(2),
        cache: Some(CacheOptions {
            dir: dir.to_path_buf(),
            max_age,
        }),
        deadline: None,
    })
    .unwrap()
}

#[cfg(unix)]
fn mode_of(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
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
