//! The online source against a service that fails: down for good, never answering, stopping
//! mid-batch, past the deadline, flooding a body, or redirecting elsewhere or in circles.

use super::*;

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
