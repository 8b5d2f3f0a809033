//! The Pwned Passwords range API (k-anonymity): only the 5-character prefix leaves the machine.
//!
//! One request per distinct (mode, prefix) over a whole batch, answered by a small pool of worker
//! threads sharing one blocking `reqwest` client. Padding (`SUFFIX:0`) is dropped, a malformed body
//! or a request that still fails after the retries turns every query of that prefix into
//! [`Lookup::Error`] — never into [`Lookup::NotFound`].

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::{BreachSource, Lookup, Query};

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
}

impl Default for OnlineOptions {
    fn default() -> Self {
        OnlineOptions {
            base_url: "https://api.pwnedpasswords.com".into(),
            concurrency: 8,
            timeout: std::time::Duration::from_secs(20),
            retries: 4,
            backoff: std::time::Duration::from_millis(500),
        }
    }
}

/// The User-Agent sent with every request (the API answers 403 without one).
pub const USER_AGENT: &str = concat!("kensa/", env!("CARGO_PKG_VERSION"), " (+password audit)");

/// The longest wait between two attempts, whatever `Retry-After` or the backoff say.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// After this many ranges in a row failed despite every retry, the rest of the batch gets one
/// attempt each (an API that is down must not cost minutes per range); a success resets it.
pub const GIVE_UP_AFTER: usize = 3;

/// The online range-API source.
pub struct OnlineSource {
    opts: OnlineOptions,
    client: reqwest::blocking::Client,
    requests: AtomicUsize,
}

impl OnlineSource {
    /// Builds the HTTP client once (must not be called from inside an async runtime).
    pub fn new(mut opts: OnlineOptions) -> Result<Self, String> {
        let base = opts.base_url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(format!(
                "breach API URL `{base}` must start with https:// or http://"
            ));
        }
        opts.base_url = base;
        opts.concurrency = opts.concurrency.max(1);
        let client = reqwest::blocking::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
            // Our own retry loop counts and paces every attempt.
            .retry(reqwest::retry::never())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(OnlineSource {
            opts,
            client,
            requests: AtomicUsize::new(0),
        })
    }

    /// The base URL in use (trailing slash removed).
    pub fn base_url(&self) -> &str {
        &self.opts.base_url
    }
}

impl BreachSource for OnlineSource {
    fn mode(&self) -> &'static str {
        "online"
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
        let streak = AtomicUsize::new(0);
        let workers = self.opts.concurrency.min(groups.len());

        let work = || loop {
            let g = next.fetch_add(1, Ordering::Relaxed);
            let Some(((mode, prefix), idx)) = groups.get(g) else {
                break;
            };
            let answer = self.fetch(*mode, prefix, &streak);
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
                    Err(msg) => Lookup::Error(msg.clone()),
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

        let (answers, _) = results.into_inner().unwrap_or_else(|p| p.into_inner());
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Lookup::Error("lookup was not performed".into())))
            .collect()
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Sha1,
    Ntlm,
}

impl Mode {
    fn suffix_len(self) -> usize {
        match self {
            Mode::Sha1 => 35,
            Mode::Ntlm => 27,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Mode::Sha1 => "SHA-1",
            Mode::Ntlm => "NTLM",
        }
    }
}

/// One failed attempt: whether it is worth retrying, the server's `Retry-After`, and why.
struct Failure {
    retry: bool,
    retry_after: Option<Duration>,
    why: String,
}

impl OnlineSource {
    /// Fetches one range with retries; `Err` names the status and the prefix only.
    /// `streak` counts ranges in a row of this batch that failed after every retry: from
    /// [`GIVE_UP_AFTER`] on, the API is taken to be down and each range gets one attempt.
    fn fetch(
        &self,
        mode: Mode,
        prefix: &str,
        streak: &AtomicUsize,
    ) -> Result<HashMap<String, u64>, String> {
        let url = match mode {
            Mode::Sha1 => format!("{}/range/{prefix}", self.opts.base_url),
            Mode::Ntlm => format!("{}/range/{prefix}?mode=ntlm", self.opts.base_url),
        };
        let down = streak.load(Ordering::Relaxed) >= GIVE_UP_AFTER;
        let attempts = if down {
            1
        } else {
            self.opts.retries.saturating_add(1)
        };
        let mut last = String::new();
        for attempt in 0..attempts {
            let f = match self.attempt(&url, mode) {
                Ok(map) => {
                    streak.store(0, Ordering::Relaxed);
                    return Ok(map);
                }
                Err(f) => f,
            };
            if !f.retry {
                return Err(format!(
                    "Pwned Passwords range {prefix} ({}): {}",
                    mode.label(),
                    f.why
                ));
            }
            last = f.why;
            if attempt + 1 < attempts {
                let backoff = self
                    .opts
                    .backoff
                    .checked_mul(1u32.checked_shl(attempt).unwrap_or(u32::MAX))
                    .unwrap_or(MAX_RETRY_DELAY);
                let wait = f.retry_after.map_or(backoff, |ra| ra.max(backoff));
                std::thread::sleep(wait.min(MAX_RETRY_DELAY));
            }
        }
        streak.fetch_add(1, Ordering::Relaxed);
        let tail = if down {
            "not retried: earlier ranges kept failing".to_string()
        } else {
            format!("after {attempts} attempts")
        };
        Err(format!(
            "Pwned Passwords range {prefix} ({}): {last} ({tail})",
            mode.label()
        ))
    }

    /// One HTTP request.
    fn attempt(&self, url: &str, mode: Mode) -> Result<HashMap<String, u64>, Failure> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let resp = self
            .client
            .get(url)
            .header("Add-Padding", "true")
            .send()
            .map_err(|e| transport(&e))?;
        let status = resp.status();
        if !status.is_success() {
            let retry = status.is_server_error() || status.as_u16() == 429;
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(Failure {
                retry,
                retry_after,
                why: format!("HTTP {status}"),
            });
        }
        let body = resp.text().map_err(|e| transport(&e))?;
        parse_range(&body, mode.suffix_len()).map_err(|why| Failure {
            retry: false,
            retry_after: None,
            why,
        })
    }
}

/// Describes a transport error without the URL (it only holds the prefix, but stay terse).
fn transport(e: &reqwest::Error) -> Failure {
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
    let mut src = std::error::Error::source(e);
    if let Some(s) = src.take() {
        why.push_str(&format!(": {s}"));
    }
    Failure {
        retry: true,
        retry_after: None,
        why,
    }
}

/// Parses a range body: `SUFFIX:COUNT` lines (CRLF or LF); drops padding (`:0`).
/// Any line of the wrong shape makes the whole range unusable.
fn parse_range(body: &str, suffix_len: usize) -> Result<HashMap<String, u64>, String> {
    let mut map = HashMap::new();
    let mut lines = 0usize;
    for (n, line) in body.split('\n').enumerate() {
        let line = line.trim_end_matches('\r').trim();
        if line.is_empty() {
            continue;
        }
        lines += 1;
        let bad = || format!("malformed response body (line {})", n + 1);
        let (suffix, count) = line.split_once(':').ok_or_else(bad)?;
        if suffix.len() != suffix_len || !suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "malformed response body (line {}: suffix of {} characters, expected {suffix_len})",
                n + 1,
                suffix.len()
            ));
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
        return Err("empty response body".into());
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
