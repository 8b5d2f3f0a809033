//! The Pwned Passwords range API (k-anonymity): only the 5-character prefix leaves the machine.
//!
//! One request per distinct (mode, prefix) over a whole batch, answered by a small pool of worker
//! threads sharing one blocking `reqwest` client. Padding (`SUFFIX:0`) is dropped, a malformed body
//! or a request that still fails after the retries turns every query of that prefix into
//! [`Lookup::Error`] — never into [`Lookup::NotFound`]. An optional on-disk cache
//! (`DIR/sha1/PREFIX.txt`, `DIR/ntlm/PREFIX.txt`, the per-prefix corpus layout) answers ranges
//! younger than a maximum age without touching the network.
//!
//! A batch never hangs on a service that does not answer: a circuit breaker
//! ([`breaker`](super::breaker)) ends it when its deadline passes ([`OnlineOptions::deadline`])
//! or when requests in a row got no answer at all ([`UNANSWERED_ROUNDS`] rounds of the workers);
//! every range not yet answered is then an error at once, all with the same message
//! ([`BreachSource::gave_up`]).
//!
//! A server is trusted no further than it has to be: a range body larger than
//! [`MAX_RANGE_BODY`] is refused while it is read (never buffered whole), and a redirect is
//! followed only to the same scheme, host and port (at most [`MAX_REDIRECTS`], no loop); both
//! end the range as an error that is not retried.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::breaker::Breaker;
use super::{BreachError, BreachSource, GaveUp, Lookup, Query};
use crate::error::{classify, ExitClass};

/// Settings for the online source.
#[derive(Debug, Clone)]
pub struct OnlineOptions {
    /// Base URL, default `https://api.pwnedpasswords.com` (no trailing slash needed).
    pub base_url: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout: std::time::Duration,
    /// Retries on 5xx/429/transport errors, with exponential backoff.
    pub retries: u32,
    /// First backoff delay; doubles each retry.
    pub backoff: std::time::Duration,
    /// On-disk cache of range bodies; `None` (the default) caches nothing.
    pub cache: Option<CacheOptions>,
    /// How long one batch of lookups may take in all ([`DEFAULT_DEADLINE`]); `None`: no limit.
    /// When it passes, requests in flight are cut short and every lookup not yet answered is an
    /// error.
    pub deadline: Option<Duration>,
}

/// The default [`OnlineOptions::deadline`]: 10 minutes, ample for the API answering tens of
/// thousands of ranges, and a bound on an audit behind a firewall that drops packets.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(600);

/// The breaker opens when this many rounds of requests (one per worker: `concurrency` requests,
/// and at least [`GIVE_UP_AFTER`]) in a row got no answer at all (timed out, refused, no route):
/// two rounds of timeouts, not hours of them. Any answer, even an HTTP error, starts the count
/// again.
pub const UNANSWERED_ROUNDS: usize = 2;

impl Default for OnlineOptions {
    fn default() -> Self {
        OnlineOptions {
            base_url: "https://api.pwnedpasswords.com".into(),
            concurrency: 8,
            timeout: std::time::Duration::from_secs(20),
            retries: 4,
            backoff: std::time::Duration::from_millis(500),
            cache: None,
            deadline: Some(DEFAULT_DEADLINE),
        }
    }
}

/// Where range bodies are cached and for how long they stay valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheOptions {
    /// Holds `sha1/PREFIX.txt` and `ntlm/PREFIX.txt` (created 0700; files 0600).
    pub dir: PathBuf,
    /// A cached body older than this (by modification time) is fetched again.
    pub max_age: Duration,
}

impl CacheOptions {
    /// A sensible maximum age when none is given: 30 days.
    pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);
}

/// The User-Agent sent with every request (the API answers 403 without one).
pub const USER_AGENT: &str = concat!("kensa/", env!("CARGO_PKG_VERSION"), " (+password audit)");

/// The longest wait between two attempts, whatever `Retry-After` or the backoff say.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// The largest range body accepted, in bytes. A real range holds one to two thousand suffixes,
/// about 40-90 KB for SHA-1 with padding (NTLM lines are shorter); 4 MiB is some fifty times that,
/// so only a broken or hostile server sends more. The body is read up to this limit and no
/// further (a `Content-Length` above it is refused before reading): memory stays bounded whatever
/// the server sends. Such a range is an error, not retried.
pub const MAX_RANGE_BODY: u64 = 4 * 1024 * 1024;

/// Redirects followed in one request, at most, and only within the origin (scheme, host and
/// port) of the request: a redirect to another origin, a loop or a longer chain is an error
/// that is not retried (the answer it leads to is never read).
pub const MAX_REDIRECTS: usize = 5;

/// After this many ranges in a row failed despite every retry, the rest of the batch gets one
/// attempt each (an API that is down must not cost minutes per range); a success resets it.
pub const GIVE_UP_AFTER: usize = 3;

/// The online range-API source.
pub struct OnlineSource {
    opts: OnlineOptions,
    client: reqwest::blocking::Client,
    requests: AtomicUsize,
    cache_hits: AtomicUsize,
    cache_write_errors: AtomicUsize,
    /// Requests the server answered (any HTTP status).
    answered: AtomicUsize,
    /// Why the first request that got no answer at all failed (DNS, refused, no route, timeout).
    unanswered: Mutex<Option<String>>,
    /// The newest `Last-Modified` seen.
    newest: Mutex<Option<chrono::DateTime<chrono::FixedOffset>>>,
    /// The first batch given up.
    gave_up: Mutex<Option<GaveUp>>,
}

impl OnlineSource {
    /// Builds the HTTP client once (must not be called from inside an async runtime) and creates
    /// the cache directories when a cache is configured.
    pub fn new(mut opts: OnlineOptions) -> Result<Self, BreachError> {
        opts.base_url = check_base_url(&opts.base_url)?;
        opts.concurrency = opts.concurrency.max(1);
        let client = client(opts.timeout)?;
        if let Some(c) = &opts.cache {
            for sub in ["sha1", "ntlm"] {
                create_private_dir(&c.dir.join(sub)).map_err(|source| BreachError::Cache {
                    dir: c.dir.clone(),
                    source,
                })?;
            }
        }
        Ok(OnlineSource {
            opts,
            client,
            requests: AtomicUsize::new(0),
            cache_hits: AtomicUsize::new(0),
            cache_write_errors: AtomicUsize::new(0),
            answered: AtomicUsize::new(0),
            unanswered: Mutex::new(None),
            newest: Mutex::new(None),
            gave_up: Mutex::new(None),
        })
    }

    /// The base URL in use (trailing slash removed).
    pub fn base_url(&self) -> &str {
        &self.opts.base_url
    }

    /// Range bodies that could not be written to the cache (the lookups themselves succeeded).
    pub fn cache_write_errors(&self) -> usize {
        self.cache_write_errors.load(Ordering::Relaxed)
    }
}

impl BreachSource for OnlineSource {
    fn mode(&self) -> crate::model::evidence::BreachMode {
        crate::model::evidence::BreachMode::Online
    }

    fn dataset(&self) -> String {
        format!("Pwned Passwords range API ({})", self.opts.base_url)
    }

    fn lookup(&self, queries: &[Query], progress: &(dyn Fn(usize) + Sync)) -> Vec<Lookup> {
        // Group the queries by (mode, prefix): one request per group.
        let mut groups: BTreeMap<(Mode, String), Vec<usize>> = BTreeMap::new();
        for (i, q) in queries.iter().enumerate() {
            let (mode, hex) = split(q);
            groups
                .entry((mode, hex[..5].to_string()))
                .or_default()
                .push(i);
        }
        let groups: Vec<((Mode, String), Vec<usize>)> = groups.into_iter().collect();
        let results: Mutex<(Vec<Option<Lookup>>, usize)> =
            Mutex::new((vec![None; queries.len()], 0));
        let next = AtomicUsize::new(0);
        let breaker = Breaker::new(
            self.opts.deadline,
            (UNANSWERED_ROUNDS * self.opts.concurrency).max(GIVE_UP_AFTER),
        );
        let workers = self.opts.concurrency.min(groups.len());

        let work = || loop {
            let g = next.fetch_add(1, Ordering::Relaxed);
            let Some(((mode, prefix), idx)) = groups.get(g) else {
                break;
            };
            let answer = self.fetch(*mode, prefix, &breaker);
            let mut guard = results.lock().unwrap_or_else(|p| p.into_inner());
            for &i in idx {
                let l = match &answer {
                    Ok(map) => {
                        let (_, hex) = split(&queries[i]);
                        match map.get(&hex[5..]) {
                            Some(&n) => Lookup::Found(n),
                            None => Lookup::NotFound,
                        }
                    }
                    Err(e) => Lookup::Error(e.to_string()),
                };
                guard.0[i] = Some(l);
            }
            guard.1 += idx.len();
            // Called under the lock so the counts reach the callback in increasing order.
            progress(guard.1);
        };
        if workers <= 1 {
            work();
        } else {
            std::thread::scope(|s| {
                for _ in 0..workers {
                    s.spawn(work);
                }
            });
        }

        if let Some(g) = breaker.tripped() {
            self.gave_up
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert_with(|| g.clone());
        }
        let (answers, _) = results.into_inner().unwrap_or_else(|p| p.into_inner());
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Lookup::Error("lookup was not performed".into())))
            .collect()
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    fn date(&self) -> Option<String> {
        let newest = self.newest.lock().unwrap_or_else(|p| p.into_inner());
        newest.map(|d| d.with_timezone(&chrono::Utc).format("%Y-%m-%d").to_string())
    }

    fn cache_hits(&self) -> usize {
        self.cache_hits.load(Ordering::Relaxed)
    }

    fn unreachable(&self) -> Option<String> {
        if self.answered.load(Ordering::Relaxed) > 0 {
            return None;
        }
        self.unanswered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn gave_up(&self) -> Option<GaveUp> {
        self.gave_up
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// The two range-API modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Mode {
    Sha1,
    Ntlm,
}

impl Mode {
    /// Hex characters after the 5-character prefix.
    pub(super) fn suffix_len(self) -> usize {
        match self {
            Mode::Sha1 => 35,
            Mode::Ntlm => 27,
        }
    }
    pub(super) fn label(self) -> &'static str {
        match self {
            Mode::Sha1 => "SHA-1",
            Mode::Ntlm => "NTLM",
        }
    }
    /// The directory / manifest name of the mode: `sha1` or `ntlm`.
    pub(super) fn name(self) -> &'static str {
        match self {
            Mode::Sha1 => "sha1",
            Mode::Ntlm => "ntlm",
        }
    }
}

/// One failed attempt: whether it is worth retrying, the server's `Retry-After`, why, and
/// whether the server answered at all (an HTTP status or a body, as opposed to a request that
/// never got an answer: DNS failure, connection refused, no route, timeout).
pub(super) struct Failure {
    pub(super) retry: bool,
    pub(super) retry_after: Option<Duration>,
    pub(super) why: String,
    pub(super) answered: bool,
}

/// One accepted HTTP answer: 200 with its body, or 304 (empty body).
pub(super) struct Answer {
    pub(super) not_modified: bool,
    pub(super) body: String,
    pub(super) etag: Option<String>,
    pub(super) last_modified: Option<String>,
}

/// Validates and normalises a base URL (scheme required, trailing slash removed).
pub(super) fn check_base_url(url: &str) -> Result<String, BreachError> {
    let base = url.trim().trim_end_matches('/').to_string();
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return Err(BreachError::BaseUrl(base));
    }
    Ok(base)
}

/// The blocking client every range request goes through.
pub(super) fn client(timeout: Duration) -> Result<reqwest::blocking::Client, BreachError> {
    reqwest::blocking::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        // Our own retry loop counts and paces every attempt.
        .retry(reqwest::retry::never())
        .redirect(reqwest::redirect::Policy::custom(redirect_policy))
        .build()
        .map_err(BreachError::Client)
}

/// `BASE/range/PREFIX`, with `?mode=ntlm` for NT hashes.
pub(super) fn range_url(base: &str, mode: Mode, prefix: &str) -> String {
    match mode {
        Mode::Sha1 => format!("{base}/range/{prefix}"),
        Mode::Ntlm => format!("{base}/range/{prefix}?mode=ntlm"),
    }
}

/// One GET of a range. Non-2xx answers (other than 304 to a conditional request) are failures,
/// retryable for 5xx and 429.
pub(super) fn get_range(
    client: &reqwest::blocking::Client,
    url: &str,
    padding: bool,
    if_none_match: Option<&str>,
    timeout: Option<Duration>,
) -> Result<Answer, Failure> {
    let mut req = client.get(url);
    if let Some(t) = timeout {
        req = req.timeout(t);
    }
    if padding {
        req = req.header("Add-Padding", "true");
    }
    if let Some(tag) = if_none_match {
        req = req.header(reqwest::header::IF_NONE_MATCH, tag);
    }
    let resp = req.send().map_err(|e| transport(&e))?;
    let status = resp.status();
    let header = |name: reqwest::header::HeaderName| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);
    if status.as_u16() == 304 && if_none_match.is_some() {
        return Ok(Answer {
            not_modified: true,
            body: String::new(),
            etag,
            last_modified,
        });
    }
    if !status.is_success() {
        let retry = status.is_server_error() || status.as_u16() == 429;
        let retry_after = header(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs);
        return Err(Failure {
            retry,
            retry_after,
            why: format!("HTTP {status}"),
            answered: true,
        });
    }
    let body = read_body(resp)?;
    Ok(Answer {
        not_modified: false,
        body,
        etag,
        last_modified,
    })
}

/// Follows a redirect only within the origin of the first request, never in a loop, and at most
/// [`MAX_REDIRECTS`] times; anything else fails the request with a reason that names no URL.
fn redirect_policy(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let next = attempt.url();
    let previous = attempt.previous();
    let same_origin = previous.first().is_some_and(|first| {
        first.scheme() == next.scheme()
            && first.host_str() == next.host_str()
            && first.port_or_known_default() == next.port_or_known_default()
    });
    if !same_origin {
        attempt.error(Redirect::OtherOrigin)
    } else if previous.contains(next) {
        attempt.error(Redirect::Loop)
    } else if previous.len() > MAX_REDIRECTS {
        attempt.error(Redirect::TooMany)
    } else {
        attempt.follow()
    }
}

/// Why a redirect was not followed (the error reqwest reports; it never names the URL).
#[derive(Debug)]
enum Redirect {
    OtherOrigin,
    Loop,
    TooMany,
}

impl std::fmt::Display for Redirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Redirect::OtherOrigin => "redirect to another origin not followed",
            Redirect::Loop => "redirect loop",
            Redirect::TooMany => "too many redirects",
        })
    }
}

impl std::error::Error for Redirect {}

/// Reads a 200's body, at most [`MAX_RANGE_BODY`] bytes of it: a larger one (announced by
/// `Content-Length` or found while reading) is a failure that is not retried, and the
/// connection is dropped unread.
fn read_body(resp: reqwest::blocking::Response) -> Result<String, Failure> {
    let too_large = || Failure {
        retry: false,
        retry_after: None,
        why: format!(
            "response body larger than {} MiB (no real range is)",
            MAX_RANGE_BODY / (1024 * 1024)
        ),
        answered: true,
    };
    if resp.content_length().is_some_and(|n| n > MAX_RANGE_BODY) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    resp.take(MAX_RANGE_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(
            |e| match e.get_ref().and_then(|r| r.downcast_ref::<reqwest::Error>()) {
                Some(inner) => Failure {
                    answered: true,
                    ..transport(inner)
                },
                None => Failure {
                    retry: true,
                    retry_after: None,
                    why: format!("response body could not be read: {}", e.kind()),
                    answered: true,
                },
            },
        )?;
    if bytes.len() as u64 > MAX_RANGE_BODY {
        return Err(too_large());
    }
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Why a range could not be had: the text of the [`Lookup::Error`] of every query under it
/// (and of a download's failed prefix).
#[derive(Debug, thiserror::Error)]
pub(super) enum RangeError {
    /// The batch was given up (deadline, API unreachable): the breaker's message.
    #[error("{0}")]
    GaveUp(String),
    /// The range failed for good or its retries ran out.
    #[error("Pwned Passwords range {prefix} ({mode}): {detail}")]
    Failed {
        prefix: String,
        mode: &'static str,
        detail: RangeFailure,
    },
}

/// How a range failed (after `Pwned Passwords range PREFIX (MODE): `).
#[derive(Debug, thiserror::Error)]
pub(super) enum RangeFailure {
    /// A failure not worth retrying.
    #[error("{0}")]
    Final(String),
    /// The last failure once the attempts ran out.
    #[error("{why} (after {attempts} attempts)")]
    Exhausted { why: String, attempts: u32 },
    /// The one attempt made while earlier ranges kept failing.
    #[error("{0} (not retried: earlier ranges kept failing)")]
    NotRetried(String),
}

classify!(RangeError, |_e| ExitClass::Network);

/// Runs `attempt` until it succeeds, fails for good, or the retries run out, sleeping with
/// exponential backoff (at least `Retry-After`, at most [`MAX_RETRY_DELAY`]) in between.
/// `attempt` is given the time left before the deadline, to cap its request's timeout.
/// The `breaker` counts what happens: from [`GIVE_UP_AFTER`] ranges in a row failed, the API is
/// taken to be down and each range gets one attempt; once it is open (deadline, no answer),
/// no attempt is made and `Err` is its message. Otherwise `Err` names the prefix only.
pub(super) fn retrying<T>(
    retries: u32,
    backoff: Duration,
    breaker: &Breaker,
    mode: Mode,
    prefix: &str,
    mut attempt: impl FnMut(Option<Duration>) -> Result<T, Failure>,
) -> Result<T, RangeError> {
    let down = breaker.streak() >= GIVE_UP_AFTER;
    let attempts = if down { 1 } else { retries.saturating_add(1) };
    let failed = |detail| RangeError::Failed {
        prefix: prefix.to_string(),
        mode: mode.label(),
        detail,
    };
    let mut last = String::new();
    for n in 0..attempts {
        if let Some(g) = breaker.open() {
            return Err(RangeError::GaveUp(g.message.clone()));
        }
        let f = match attempt(breaker.remaining()) {
            Ok(v) => {
                breaker.answered();
                breaker.range_ok();
                return Ok(v);
            }
            Err(f) => f,
        };
        if f.answered {
            breaker.answered();
        } else {
            breaker.unanswered(&f.why);
        }
        if !f.retry {
            return Err(failed(RangeFailure::Final(f.why)));
        }
        if let Some(g) = breaker.open() {
            return Err(RangeError::GaveUp(g.message.clone()));
        }
        last = f.why;
        if n + 1 < attempts {
            let delay = backoff
                .checked_mul(1u32.checked_shl(n).unwrap_or(u32::MAX))
                .unwrap_or(MAX_RETRY_DELAY);
            let wait = f.retry_after.map_or(delay, |ra| ra.max(delay));
            breaker.sleep(wait.min(MAX_RETRY_DELAY));
        }
    }
    if let Some(g) = breaker.open() {
        return Err(RangeError::GaveUp(g.message.clone()));
    }
    breaker.range_failed();
    Err(failed(if down {
        RangeFailure::NotRetried(last)
    } else {
        RangeFailure::Exhausted {
            why: last,
            attempts,
        }
    }))
}

/// Creates `dir` and its missing parents with mode 0700 (existing directories are left as they are).
pub(super) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Writes `data` to `path` atomically: a 0600 temporary file in the same directory, synced,
/// then renamed over `path`.
pub(super) fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    // tempfile creates the file with mode 0600 on Unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".kensa-tmp-")
        .tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

impl OnlineSource {
    /// Answers one range from the cache or the network; `Err` names the status and the prefix only.
    fn fetch(
        &self,
        mode: Mode,
        prefix: &str,
        breaker: &Breaker,
    ) -> Result<HashMap<String, u64>, RangeError> {
        let cached = self
            .opts
            .cache
            .as_ref()
            .map(|c| cache_path(c, mode, prefix));
        if let (Some(c), Some(path)) = (&self.opts.cache, &cached) {
            if let Some(map) = read_cache(path, c.max_age, mode) {
                self.cache_hits.fetch_add(1, Ordering::Relaxed);
                return Ok(map);
            }
        }
        let url = range_url(&self.opts.base_url, mode, prefix);
        let map = retrying(
            self.opts.retries,
            self.opts.backoff,
            breaker,
            mode,
            prefix,
            |left| self.attempt(&url, mode, left),
        )?;
        if let Some(path) = &cached {
            if write_atomic(path, render(&map).as_bytes()).is_err() {
                self.cache_write_errors.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(map)
    }

    /// One HTTP request, its body parsed; `left` (the time before the deadline) caps its timeout.
    fn attempt(
        &self,
        url: &str,
        mode: Mode,
        left: Option<Duration>,
    ) -> Result<HashMap<String, u64>, Failure> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let timeout = left.map(|l| l.min(self.opts.timeout));
        let answer = get_range(&self.client, url, true, None, timeout).inspect_err(|f| {
            if f.answered {
                self.answered.fetch_add(1, Ordering::Relaxed);
            } else {
                let mut first = self.unanswered.lock().unwrap_or_else(|p| p.into_inner());
                first.get_or_insert_with(|| f.why.clone());
            }
        })?;
        self.answered.fetch_add(1, Ordering::Relaxed);
        if let Some(d) = answer
            .last_modified
            .as_deref()
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
        {
            let mut newest = self.newest.lock().unwrap_or_else(|p| p.into_inner());
            if newest.is_none_or(|n| d > n) {
                *newest = Some(d);
            }
        }
        parse_range(&answer.body, mode.suffix_len()).map_err(|why| Failure {
            retry: false,
            retry_after: None,
            why: why.to_string(),
            answered: true,
        })
    }
}

/// `DIR/sha1/PREFIX.txt` or `DIR/ntlm/PREFIX.txt`.
fn cache_path(c: &CacheOptions, mode: Mode, prefix: &str) -> PathBuf {
    c.dir.join(mode.name()).join(format!("{prefix}.txt"))
}

/// A cached range if the file is younger than `max_age` and well-formed. A range whose live
/// body held padding only is cached as an empty file, which is valid here.
fn read_cache(path: &Path, max_age: Duration, mode: Mode) -> Option<HashMap<String, u64>> {
    let meta = std::fs::metadata(path).ok()?;
    let age = SystemTime::now()
        .duration_since(meta.modified().ok()?)
        .ok()?;
    if age > max_age || !meta.is_file() {
        return None;
    }
    let body = std::fs::read_to_string(path).ok()?;
    if body.is_empty() {
        return Some(HashMap::new());
    }
    parse_range(&body, mode.suffix_len()).ok()
}

/// A parsed range as a body again: `SUFFIX:COUNT` lines sorted by suffix, CRLF-separated.
fn render(map: &HashMap<String, u64>) -> String {
    let sorted: BTreeMap<&String, &u64> = map.iter().collect();
    sorted
        .into_iter()
        .map(|(s, n)| format!("{s}:{n}"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// Describes a transport error without the URL (it only holds the prefix, but stay terse): its
/// kind and its innermost cause (e.g. `Connection refused (os error 111)`, a DNS failure).
fn transport(e: &reqwest::Error) -> Failure {
    // A body that could not be read came after an answer, and so did a redirect that was not
    // followed; every other error means none came.
    let body_error = e.is_body() || e.is_decode();
    if e.is_redirect() {
        // A server that redirects elsewhere or in circles will do it again: not retried.
        let why = std::error::Error::source(e)
            .map_or_else(|| "redirect not followed".to_string(), |c| c.to_string());
        return Failure {
            retry: false,
            retry_after: None,
            why,
            answered: true,
        };
    }
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "response body could not be read"
    } else {
        "request failed"
    };
    let mut why = kind.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(inner) = cause.and_then(std::error::Error::source) {
        cause = Some(inner);
    }
    if let Some(c) = cause {
        why.push_str(&format!(": {c}"));
    }
    Failure {
        retry: true,
        retry_after: None,
        why,
        answered: body_error,
    }
}

/// Why a range body cannot be used (its line, never its content); the text of the failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("malformed response body (line {0})")]
    Malformed(usize),
    #[error("malformed response body (line {line}: suffix of {got} characters, expected {want})")]
    Suffix {
        line: usize,
        got: usize,
        want: usize,
    },
    #[error("empty response body")]
    Empty,
}

classify!(BodyError, |_e| ExitClass::Network);

/// Parses a range body: `SUFFIX:COUNT` lines (CRLF or LF) whose suffixes have `suffix_len` hex
/// characters (35 for SHA-1, 27 for NTLM); drops padding (`:0`). Any line of the wrong shape makes
/// the whole range unusable; the error names the line, never its content. Public so that the
/// fuzz harness (`benches/fuzz`) reaches it the way a response does.
pub fn parse_range(body: &str, suffix_len: usize) -> Result<HashMap<String, u64>, BodyError> {
    let mut map = HashMap::new();
    let mut lines = 0usize;
    for (n, line) in body.split('\n').enumerate() {
        let line = line.trim_end_matches('\r').trim();
        if line.is_empty() {
            continue;
        }
        lines += 1;
        let bad = || BodyError::Malformed(n + 1);
        let (suffix, count) = line.split_once(':').ok_or_else(bad)?;
        if suffix.len() != suffix_len || !suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BodyError::Suffix {
                line: n + 1,
                got: suffix.len(),
                want: suffix_len,
            });
        }
        let count: u64 = count.trim().parse().map_err(|_| bad())?;
        if count == 0 {
            continue;
        }
        let e = map.entry(suffix.to_ascii_uppercase()).or_insert(0);
        *e = (*e).max(count);
    }
    if lines == 0 {
        // Every real range holds hundreds of suffixes (and padding): an empty body was cut short.
        return Err(BodyError::Empty);
    }
    Ok(map)
}

/// The mode and the uppercase hex of a query.
fn split(q: &Query) -> (Mode, String) {
    match q {
        Query::Sha1(h) => (Mode::Sha1, upper_hex(h)),
        Query::Ntlm(h) => (Mode::Ntlm, upper_hex(h)),
    }
}

fn upper_hex(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_crlf_and_lf_and_drops_padding() {
        let s = "0018A45C4D1DEF81644B54AB7F969B88D65:10\r\n\
                 00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n\
                 011053FD0102E94D6AE2F8B83D76FAF94F6:1\n";
        let m = parse_range(s, 35).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m["0018A45C4D1DEF81644B54AB7F969B88D65"], 10);
        assert_eq!(m["011053FD0102E94D6AE2F8B83D76FAF94F6"], 1);
    }

    #[test]
    fn lowercase_suffixes_are_matched() {
        let m = parse_range("0018a45c4d1def81644b54ab7f969b88d65:3", 35).unwrap();
        assert_eq!(m["0018A45C4D1DEF81644B54AB7F969B88D65"], 3);
    }

    #[test]
    fn wrong_length_or_count_is_an_error() {
        assert!(parse_range("0018A45C4D1DEF81644B54AB7F969B88D65:1", 27).is_err());
        assert!(parse_range("0018A45C4D1DEF81644B54AB7F969B88D65:x", 35).is_err());
        assert!(parse_range("0018A45C4D1DEF81644B54AB7F969B88D65", 35).is_err());
        assert!(parse_range("ZZ18A45C4D1DEF81644B54AB7F969B88D65:1", 35).is_err());
        assert!(parse_range("\r\n", 35).is_err());
    }

    #[test]
    fn trailing_slash_is_stripped_and_dataset_names_url() {
        let s = OnlineSource::new(OnlineOptions {
            base_url: "http://127.0.0.1:9/".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.base_url(), "http://127.0.0.1:9");
        assert_eq!(
            s.dataset(),
            "Pwned Passwords range API (http://127.0.0.1:9)"
        );
        assert!(USER_AGENT.starts_with("kensa/"));
    }
}
