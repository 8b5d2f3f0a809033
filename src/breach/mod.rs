//! Breach corpus lookups (Pwned Passwords): one trait, an online range-API source (and later offline ones).

pub mod breaker;
pub mod corpus;
pub mod download;
mod error;
pub mod offline;
pub mod online;

pub use error::BreachError;

/// One hash to look up: SHA-1 of the UTF-8 plaintext, or an NT hash (`mode=ntlm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Query {
    Sha1([u8; 20]),
    Ntlm([u8; 16]),
}

impl Query {
    /// The hash's bytes (20 for SHA-1, 16 for NTLM).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Query::Sha1(h) => h,
            Query::Ntlm(h) => h,
        }
    }
}

/// The answer for one query. A lookup that failed is `Error`, never `NotFound`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(u64),
    NotFound,
    /// Why it failed (no secret in it: at most the 5-character prefix).
    Error(String),
}

/// Why a source gave up on a batch before every lookup was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUpReason {
    /// The batch's deadline passed.
    Deadline,
    /// The service stopped answering (requests in a row got no answer at all).
    Unreachable,
}

/// A batch given up (the online source's circuit breaker opened): why, and the one message that
/// every lookup it did not complete carries as its [`Lookup::Error`] (the same text for all, with
/// no prefix: most of them were never asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GaveUp {
    pub reason: GiveUpReason,
    /// The error of every lookup it ended: `not completed: …`.
    pub message: String,
    /// What happened, in a few words (the deadline, or the requests that got no answer).
    pub why: String,
}

/// A breach corpus.
pub trait BreachSource: Send + Sync {
    /// Online or offline.
    fn mode(&self) -> crate::model::evidence::BreachMode;
    /// A description of the dataset (URL or path, and date when known).
    fn dataset(&self) -> String;
    /// Look up every query; the answer has the same length and order as `queries`.
    /// `progress` is called with the number of queries answered so far.
    fn lookup(&self, queries: &[Query], progress: &(dyn Fn(usize) + Sync)) -> Vec<Lookup>;
    /// How many requests / reads the lookups took (for the evidence).
    fn requests(&self) -> usize;
    /// The date of the dataset (`YYYY-MM-DD`) when known: the newest Last-Modified seen online,
    /// the build date recorded in an index, or the corpus file's modification date.
    fn date(&self) -> Option<String> {
        None
    }
    /// Range bodies answered from the on-disk cache instead of the network.
    fn cache_hits(&self) -> usize {
        0
    }
    /// Why the source could not be reached at all: no request got an answer (no route, DNS
    /// failure, connection refused, timeouts), so every lookup that needed the network failed
    /// the same way. `None` when some request was answered or none was made.
    fn unreachable(&self) -> Option<String> {
        None
    }
    /// Whether a batch was given up before every lookup was done (the first one that was): the
    /// deadline passed or the service stopped answering. Its lookups are errors, never "not found".
    fn gave_up(&self) -> Option<GaveUp> {
        None
    }
    /// Whether SHA-1 queries can be answered (an offline source needs a SHA-1 corpus).
    fn answers_sha1(&self) -> bool {
        true
    }
    /// Whether NT-hash queries can be answered (an offline source needs an NTLM corpus).
    fn answers_ntlm(&self) -> bool {
        true
    }
}
