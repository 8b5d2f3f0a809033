//! A real HTTP/1.1 stand-in for the Pwned Passwords range API, on 127.0.0.1, for the tests.
//!
//! Self-contained (std only): `crate::support::range_server` in every test module. It answers `/range/XXXXX` and
//! `/range/XXXXX?mode=ntlm` like the real API (uppercase suffixes, CRLF, `SUFFIX:0` padding when the
//! request says `Add-Padding: true`, 403 without a User-Agent), records every request, and can be
//! told to fail (`fail_prefix`, `fail_all`) or to serve a raw body (`set_body`). Every 200 carries
//! an `ETag` (a hash of the unpadded body and the mode) and a `Last-Modified` (`set_last_modified`);
//! a matching `If-None-Match` is answered `304 Not Modified`.
//!
//! It can also misbehave on every request ([`RangeServer::misbehave`]): accept and never answer,
//! flood a huge body, redirect to another server, or redirect in a loop or an endless chain.
#![allow(unused)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// `times` value for [`RangeServer::fail_prefix`] that never stops failing.
pub const FOREVER: usize = usize::MAX;

/// A way to misbehave on every request (the request is still recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misbehaviour {
    /// Read the request, then never answer (until the mode changes or the server stops).
    Hang,
    /// Answer the first `n` requests (counted since the start or `clear_requests`) as usual, then
    /// hang like [`Misbehaviour::Hang`]: a service that stops answering.
    HangAfter(usize),
    /// Answer 200 with `bytes` of well-formed `SUFFIX:1` lines of the request's mode, streamed,
    /// with a `Content-Length` when `declare_length`, else until the connection closes.
    Flood { bytes: usize, declare_length: bool },
    /// Answer `302 Found` to the same target on another server (`http://127.0.0.1:PORT`).
    RedirectTo(String),
    /// Answer `302 Found` to the very same target.
    RedirectLoop,
    /// Answer `302 Found` to the same path with one more `hop=N` in the query, until the
    /// request has this many (then answer as usual); `usize::MAX`: endlessly.
    RedirectChain(usize),
}

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Request target, e.g. `/range/5BAA6` or `/range/8846F?mode=ntlm`.
    pub path: String,
    pub user_agent: Option<String>,
    pub add_padding: bool,
    /// The `If-None-Match` header, if sent.
    pub if_none_match: Option<String>,
}

/// The `Last-Modified` sent until [`RangeServer::set_last_modified`] says otherwise.
pub const DEFAULT_LAST_MODIFIED: &str = "Mon, 03 Mar 2025 10:00:00 GMT";

/// The running server; stops (and joins its threads) on drop.
pub struct RangeServer {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub url: String,
    addr: SocketAddr,
    state: Arc<State>,
    accept: Option<JoinHandle<()>>,
}

impl RangeServer {
    /// Serves the given SHA-1 (40 hex) and NT (32 hex) hashes with their counts.
    /// Panics on a malformed hash (test input).
    pub fn start(sha1: &[(&str, u64)], ntlm: &[(&str, u64)]) -> RangeServer {
        let state = Arc::new(State {
            sha1: index(sha1, 40),
            ntlm: index(ntlm, 32),
            log: Mutex::new(Vec::new()),
            failures: Mutex::new(HashMap::new()),
            fail_all: Mutex::new(None),
            bodies: Mutex::new(HashMap::new()),
            retry_after: Mutex::new(None),
            delay: Mutex::new(Duration::ZERO),
            last_modified: Mutex::new(Some(DEFAULT_LAST_MODIFIED.to_string())),
            statuses: Mutex::new(Vec::new()),
            in_flight: Mutex::new((0, 0)),
            misbehave: Mutex::new(None),
            flooded: Mutex::new(0),
            stop: AtomicBool::new(false),
            conns: Mutex::new(Vec::new()),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let st = Arc::clone(&state);
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let st2 = Arc::clone(&st);
                let h = std::thread::spawn(move || serve(stream, &st2));
                st.conns.lock().unwrap().push(h);
            }
        });
        RangeServer {
            url: format!("http://{addr}"),
            addr,
            state,
            accept: Some(accept),
        }
    }

    /// Every request target received so far, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.log().into_iter().map(|r| r.path).collect()
    }

    /// Every request with the headers that matter.
    pub fn log(&self) -> Vec<Recorded> {
        self.state.log.lock().unwrap().clone()
    }

    /// Forgets the recorded requests (and the statuses counted by [`RangeServer::status_count`]).
    pub fn clear_requests(&self) {
        self.state.log.lock().unwrap().clear();
        self.state.statuses.lock().unwrap().clear();
    }

    /// Answers `status` to the next `times` requests for `prefix` (either mode), then normally.
    /// `times = FOREVER` never recovers.
    pub fn fail_prefix(&self, prefix: &str, status: u16, times: usize) {
        self.state
            .failures
            .lock()
            .unwrap()
            .insert(prefix.to_ascii_uppercase(), (status, times));
    }

    /// Answers `status` to every request from now on.
    pub fn fail_all(&self, status: u16) {
        *self.state.fail_all.lock().unwrap() = Some(status);
    }

    /// Removes every injected failure.
    pub fn clear_failures(&self) {
        self.state.failures.lock().unwrap().clear();
        *self.state.fail_all.lock().unwrap() = None;
    }

    /// Serves `body` verbatim (200) for `prefix` (either mode), e.g. a malformed one.
    pub fn set_body(&self, prefix: &str, body: &str) {
        self.state
            .bodies
            .lock()
            .unwrap()
            .insert(prefix.to_ascii_uppercase(), body.to_string());
    }

    /// Waits `delay` before answering each request (to observe concurrency).
    pub fn set_delay(&self, delay: Duration) {
        *self.state.delay.lock().unwrap() = delay;
    }

    /// The most requests that were being answered at the same moment.
    pub fn max_in_flight(&self) -> usize {
        self.state.in_flight.lock().unwrap().1
    }

    /// The `Last-Modified` header of 200 and 304 answers (`None`: no header).
    pub fn set_last_modified(&self, http_date: Option<&str>) {
        *self.state.last_modified.lock().unwrap() = http_date.map(str::to_string);
    }

    /// How many answers had status `status` (e.g. 304) since the start or `clear_requests`.
    pub fn status_count(&self, status: u16) -> usize {
        self.state
            .statuses
            .lock()
            .unwrap()
            .iter()
            .filter(|s| **s == status)
            .count()
    }

    /// Misbehaves on every request from now on (`None`: behave again).
    pub fn misbehave(&self, m: Option<Misbehaviour>) {
        *self.state.misbehave.lock().unwrap() = m;
    }

    /// Bytes of flood bodies written so far (what the clients took before hanging up).
    pub fn flooded_bytes(&self) -> usize {
        *self.state.flooded.lock().unwrap()
    }

    /// Adds `Retry-After: secs` to injected 429/503 answers.
    pub fn set_retry_after(&self, secs: Option<u64>) {
        *self.state.retry_after.lock().unwrap() = secs;
    }
}

impl Drop for RangeServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        let conns: Vec<JoinHandle<()>> = std::mem::take(&mut *self.state.conns.lock().unwrap());
        for h in conns {
            let _ = h.join();
        }
    }
}

struct State {
    /// prefix (5 uppercase hex) -> (suffix uppercase, count), sorted by suffix.
    sha1: HashMap<String, Vec<(String, u64)>>,
    ntlm: HashMap<String, Vec<(String, u64)>>,
    log: Mutex<Vec<Recorded>>,
    failures: Mutex<HashMap<String, (u16, usize)>>,
    fail_all: Mutex<Option<u16>>,
    bodies: Mutex<HashMap<String, String>>,
    retry_after: Mutex<Option<u64>>,
    delay: Mutex<Duration>,
    last_modified: Mutex<Option<String>>,
    /// Status of every answer, in order.
    statuses: Mutex<Vec<u16>>,
    /// (now, maximum) requests being answered.
    in_flight: Mutex<(usize, usize)>,
    misbehave: Mutex<Option<Misbehaviour>>,
    flooded: Mutex<usize>,
    stop: AtomicBool,
    conns: Mutex<Vec<JoinHandle<()>>>,
}

fn index(hashes: &[(&str, u64)], len: usize) -> HashMap<String, Vec<(String, u64)>> {
    let mut m: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for (h, n) in hashes {
        assert!(
            h.len() == len && h.bytes().all(|b| b.is_ascii_hexdigit()),
            "RangeServer: expected {len} hex characters"
        );
        let h = h.to_ascii_uppercase();
        m.entry(h[..5].to_string())
            .or_default()
            .push((h[5..].to_string(), *n));
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

/// One connection: HTTP/1.1 keep-alive until the client closes or the server stops.
fn serve(mut stream: TcpStream, st: &State) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let end = loop {
            if let Some(p) = find(&buf, b"\r\n\r\n") {
                break p + 4;
            }
            if st.stop.load(Ordering::SeqCst) || buf.len() > 64 * 1024 {
                return;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    continue
                }
                Err(_) => return,
            }
        };
        let head: Vec<u8> = buf.drain(..end).collect();
        let head = String::from_utf8_lossy(&head).into_owned();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or("");
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("").to_string();
        let version = parts.next().unwrap_or("").to_string();
        let mut headers: HashMap<String, String> = HashMap::new();
        for l in lines {
            if let Some((k, v)) = l.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        // A GET has no body, but skip one if it was sent.
        let body_len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < body_len {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    if st.stop.load(Ordering::SeqCst) {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
        buf.drain(..body_len);

        let close = match headers.get("connection").map(|v| v.to_ascii_lowercase()) {
            Some(v) if v == "close" => true,
            Some(v) if v == "keep-alive" => false,
            _ => version != "HTTP/1.1",
        };
        let misbehaviour = st.misbehave.lock().unwrap().clone();
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let hang = match misbehaviour {
            Some(Misbehaviour::Hang) => true,
            Some(Misbehaviour::HangAfter(n)) => st.log.lock().unwrap().len() >= n,
            _ => false,
        };
        if hang {
            record(st, &target, &headers);
            while !st.stop.load(Ordering::SeqCst) && *st.misbehave.lock().unwrap() == misbehaviour {
                std::thread::sleep(Duration::from_millis(10));
            }
            return;
        }
        let location = match misbehaviour {
            None | Some(Misbehaviour::Hang) | Some(Misbehaviour::HangAfter(_)) => None,
            Some(Misbehaviour::Flood {
                bytes,
                declare_length,
            }) => {
                record(st, &target, &headers);
                let ntlm = query.split('&').any(|p| p == "mode=ntlm");
                flood(&mut stream, st, ntlm, bytes, declare_length);
                return;
            }
            Some(Misbehaviour::RedirectTo(base)) => Some(format!("{base}{target}")),
            Some(Misbehaviour::RedirectLoop) => Some(target.clone()),
            Some(Misbehaviour::RedirectChain(max)) => {
                let hops = query.split('&').filter(|p| p.starts_with("hop=")).count();
                (hops < max).then(|| {
                    if query.is_empty() {
                        format!("{path}?hop={}", hops + 1)
                    } else {
                        format!("{path}?{query}&hop={}", hops + 1)
                    }
                })
            }
        };
        if let Some(location) = location {
            record(st, &target, &headers);
            st.statuses.lock().unwrap().push(302);
            let out = format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n{}",
                if close {
                    "Connection: close\r\n\r\n"
                } else {
                    "Connection: keep-alive\r\n\r\n"
                }
            );
            if stream.write_all(out.as_bytes()).is_err() || stream.flush().is_err() || close {
                return;
            }
            continue;
        }
        // Recorded on arrival, before any delay.
        record(st, &target, &headers);
        {
            let mut f = st.in_flight.lock().unwrap();
            f.0 += 1;
            f.1 = f.1.max(f.0);
        }
        let delay = *st.delay.lock().unwrap();
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let (status, extra, body) = respond(st, &method, &target, &headers);
        st.statuses.lock().unwrap().push(status);
        st.in_flight.lock().unwrap().0 -= 1;
        let mut out = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n",
            reason(status),
            body.len()
        );
        for (k, v) in extra {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str(if close {
            "Connection: close\r\n\r\n"
        } else {
            "Connection: keep-alive\r\n\r\n"
        });
        out.push_str(&body);
        if stream.write_all(out.as_bytes()).is_err() || stream.flush().is_err() || close {
            return;
        }
    }
}

/// Adds a request to the log.
fn record(st: &State, target: &str, headers: &HashMap<String, String>) {
    st.log.lock().unwrap().push(Recorded {
        path: target.to_string(),
        user_agent: headers.get("user-agent").cloned(),
        add_padding: headers
            .get("add-padding")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        if_none_match: headers.get("if-none-match").cloned(),
    });
}

/// Streams a 200 of about `bytes` well-formed lines (a whole number of them), with or without a
/// `Content-Length`, until done, the client hangs up or the server stops; then closes.
fn flood(stream: &mut TcpStream, st: &State, ntlm: bool, bytes: usize, declare_length: bool) {
    st.statuses.lock().unwrap().push(200);
    let suffix_len = if ntlm { 27 } else { 35 };
    let line_len = suffix_len + ":1\r\n".len();
    let lines = bytes / line_len;
    let mut head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n".to_string();
    if declare_length {
        head.push_str(&format!("Content-Length: {}\r\n", lines * line_len));
    }
    head.push_str("Connection: close\r\n\r\n");
    // A client that stops reading must not block the server's shutdown.
    let _ = stream.set_write_timeout(Some(Duration::from_millis(50)));
    if !send(stream, st, head.as_bytes()) {
        return;
    }
    let mut n = 0usize;
    while n < lines {
        let mut chunk = String::with_capacity(64 * 1024);
        while n < lines && chunk.len() + line_len <= 64 * 1024 {
            chunk.push_str(&format!("{n:0suffix_len$X}:1\r\n"));
            n += 1;
        }
        if !send(stream, st, chunk.as_bytes()) {
            return;
        }
        *st.flooded.lock().unwrap() += chunk.len();
    }
    let _ = stream.flush();
}

/// Writes all of `data` unless the client hangs up or the server stops.
fn send(stream: &mut TcpStream, st: &State, mut data: &[u8]) -> bool {
    while !data.is_empty() {
        if st.stop.load(Ordering::SeqCst) {
            return false;
        }
        match stream.write(data) {
            Ok(0) => return false,
            Ok(n) => data = &data[n..],
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut
                    || e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

/// Decides the answer to one request: (status, extra headers, body).
fn respond(
    st: &State,
    method: &str,
    target: &str,
    headers: &HashMap<String, String>,
) -> (u16, Vec<(String, String)>, String) {
    let user_agent = headers.get("user-agent").cloned();
    let if_none_match = headers.get("if-none-match").cloned();
    let add_padding = headers
        .get("add-padding")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if method != "GET" {
        return (405, vec![], "Method not allowed".into());
    }
    if user_agent.as_deref().is_none_or(|u| u.trim().is_empty()) {
        return (403, vec![], "A User-Agent is required".into());
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let Some(prefix) = path.strip_prefix("/range/") else {
        return (404, vec![], "Not found".into());
    };
    if prefix.len() != 5 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return (
            400,
            vec![],
            "The hash prefix was not in a valid format".into(),
        );
    }
    let prefix = prefix.to_ascii_uppercase();
    let mut ntlm = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("mode", "ntlm")) => ntlm = true,
            Some(("mode", "sha1")) => ntlm = false,
            Some(("mode", _)) => return (400, vec![], "Unknown mode".into()),
            _ => {}
        }
    }

    if let Some(status) = *st.fail_all.lock().unwrap() {
        return failure(st, status);
    }
    {
        let mut f = st.failures.lock().unwrap();
        if let Some((status, times)) = f.get_mut(&prefix) {
            if *times > 0 {
                if *times != FOREVER {
                    *times -= 1;
                }
                let status = *status;
                drop(f);
                return failure(st, status);
            }
        }
    }
    if let Some(body) = st.bodies.lock().unwrap().get(&prefix).cloned() {
        return conditional(st, ntlm, body, if_none_match.as_deref());
    }

    let (table, suffix_len) = if ntlm { (&st.ntlm, 27) } else { (&st.sha1, 35) };
    let mut entries: Vec<(String, u64)> = table.get(&prefix).cloned().unwrap_or_default();
    let tag = etag(ntlm, &join(&entries));
    if add_padding {
        let mut seed = fnv(&prefix) ^ if ntlm { 0x9E37_79B9_7F4A_7C15 } else { 0 };
        let pad = 8 + (seed % 17) as usize;
        for _ in 0..pad {
            let mut s = String::with_capacity(suffix_len);
            while s.len() < suffix_len {
                seed = xorshift(seed);
                s.push(hex_digit((seed & 0xF) as u8));
            }
            if !entries.iter().any(|(e, _)| *e == s) {
                entries.push((s, 0));
            }
        }
        entries.sort();
    }
    answer(st, tag, join(&entries), if_none_match.as_deref())
}

/// `SUFFIX:COUNT` lines joined by CRLF.
fn join(entries: &[(String, u64)]) -> String {
    entries
        .iter()
        .map(|(s, n)| format!("{s}:{n}"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// The quoted ETag of a range's (unpadded) body.
fn etag(ntlm: bool, body: &str) -> String {
    format!("\"{:016x}{}\"", fnv(body), if ntlm { "n" } else { "s" })
}

/// A verbatim body, with its own ETag.
fn conditional(
    st: &State,
    ntlm: bool,
    body: String,
    if_none_match: Option<&str>,
) -> (u16, Vec<(String, String)>, String) {
    answer(st, etag(ntlm, &body), body, if_none_match)
}

/// 200 with `body`, or 304 when `If-None-Match` names `tag`; both with ETag and Last-Modified.
fn answer(
    st: &State,
    tag: String,
    body: String,
    if_none_match: Option<&str>,
) -> (u16, Vec<(String, String)>, String) {
    let mut extra = vec![("ETag".to_string(), tag.clone())];
    if let Some(lm) = st.last_modified.lock().unwrap().clone() {
        extra.push(("Last-Modified".to_string(), lm));
    }
    let matches =
        if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        return (304, extra, String::new());
    }
    (200, extra, body)
}

fn failure(st: &State, status: u16) -> (u16, Vec<(String, String)>, String) {
    let mut extra = Vec::new();
    if status == 429 || status == 503 {
        if let Some(s) = *st.retry_after.lock().unwrap() {
            extra.push(("Retry-After".to_string(), s.to_string()));
        }
    }
    (status, extra, format!("error {status}"))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn hex_digit(n: u8) -> char {
    b"0123456789ABCDEF"[(n & 0xF) as usize] as char
}

/// Uppercase hex, by hand (std only).
pub fn to_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .flat_map(|b| [hex_digit(b >> 4), hex_digit(b & 0xF)])
        .collect()
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) | 1
}

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}
