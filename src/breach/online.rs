//! The Pwned Passwords range API (k-anonymity): only the 5-character prefix leaves the machine.

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

/// The online range-API source.
pub struct OnlineSource {
    opts: OnlineOptions,
}

impl OnlineSource {
    pub fn new(opts: OnlineOptions) -> Result<Self, String> {
        Ok(OnlineSource { opts })
    }
}

impl BreachSource for OnlineSource {
    fn mode(&self) -> &'static str {
        "online"
    }
    fn dataset(&self) -> String {
        self.opts.base_url.clone()
    }
    fn lookup(&self, queries: &[Query], _progress: &(dyn Fn(usize) + Sync)) -> Vec<Lookup> {
        queries
            .iter()
            .map(|_| Lookup::Error("online lookups not implemented".into()))
            .collect()
    }
    fn requests(&self) -> usize {
        0
    }
}
