//! The circuit breaker of a batch of range requests: a service that does not answer, or a
//! deadline that passed, ends the batch at once instead of costing every range its timeouts and
//! retries. Shared by the online source and `kensa hibp download`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{GaveUp, GiveUpReason};

/// The circuit breaker of one batch, shared by its workers: counts ranges in a row that failed
/// after every retry (from [`GIVE_UP_AFTER`](super::online::GIVE_UP_AFTER) on, a range gets one
/// attempt) and requests in a row that got no answer at all, and watches the deadline. Once open
/// it stays open: every range not yet answered ends with its [`GaveUp::message`], and no request
/// is made for it.
pub(crate) struct Breaker {
    streak: AtomicUsize,
    silent: AtomicUsize,
    silent_limit: usize,
    /// When the batch must end, and the deadline as given (for the message).
    deadline: Option<(Instant, Duration)>,
    open: OnceLock<GaveUp>,
}

impl Breaker {
    /// A breaker that opens at `deadline` from now (`None`: never) or after `silent_limit`
    /// requests in a row got no answer.
    pub(crate) fn new(deadline: Option<Duration>, silent_limit: usize) -> Self {
        Breaker {
            streak: AtomicUsize::new(0),
            silent: AtomicUsize::new(0),
            silent_limit: silent_limit.max(1),
            deadline: deadline.map(|d| (Instant::now() + d, d)),
            open: OnceLock::new(),
        }
    }

    /// Why the breaker is open, opening it first if the deadline has passed.
    pub(crate) fn open(&self) -> Option<&GaveUp> {
        if let Some(g) = self.open.get() {
            return Some(g);
        }
        let (at, d) = self.deadline?;
        (Instant::now() >= at).then(|| {
            let why = format!(
                "the deadline of {} for breach lookups was reached",
                describe_duration(d)
            );
            self.trip(GiveUpReason::Deadline, format!("not completed: {why}"), why)
        })
    }

    /// Why it opened, if it did (without looking at the clock).
    pub(crate) fn tripped(&self) -> Option<&GaveUp> {
        self.open.get()
    }

    /// Ranges in a row that failed after every retry.
    pub(crate) fn streak(&self) -> usize {
        self.streak.load(Ordering::Relaxed)
    }

    /// The time left before the deadline, if there is one.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|(at, _)| at.saturating_duration_since(Instant::now()))
    }

    /// A range was answered: the streak of failed ranges ends.
    pub(crate) fn range_ok(&self) {
        self.streak.store(0, Ordering::Relaxed);
    }

    /// A range failed after every retry.
    pub(crate) fn range_failed(&self) {
        self.streak.fetch_add(1, Ordering::Relaxed);
    }

    fn trip(&self, reason: GiveUpReason, message: String, why: String) -> &GaveUp {
        self.open.get_or_init(|| GaveUp {
            reason,
            message,
            why,
        })
    }

    /// The server answered (any status): the service is there.
    pub(crate) fn answered(&self) {
        self.silent.store(0, Ordering::Relaxed);
    }

    /// A request got no answer at all (`why`: timed out, refused…).
    pub(crate) fn unanswered(&self, why: &str) {
        // A request cut short by the deadline opens the breaker for the deadline.
        if self.open().is_some() {
            return;
        }
        let n = self.silent.fetch_add(1, Ordering::Relaxed) + 1;
        if n >= self.silent_limit {
            let why = format!("{n} requests in a row got no answer; the last: {why}");
            self.trip(
                GiveUpReason::Unreachable,
                format!("not completed: the Pwned Passwords API is unreachable ({why})"),
                why,
            );
        }
    }

    /// Sleeps `d`, less if the breaker opens or the deadline comes first.
    pub(crate) fn sleep(&self, d: Duration) {
        let until = Instant::now() + d;
        while self.open().is_none() {
            let now = Instant::now();
            if now >= until {
                return;
            }
            std::thread::sleep((until - now).min(Duration::from_millis(20)));
        }
    }
}

/// A duration as a person writes it: `90s`, `10m`, `2h`, `1500ms`.
pub fn describe_duration(d: Duration) -> String {
    let s = d.as_secs();
    if d.subsec_nanos() != 0 || s == 0 {
        format!("{}ms", d.as_millis())
    } else if s.is_multiple_of(3600) {
        format!("{}h", s / 3600)
    } else if s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breach::online::DEFAULT_DEADLINE;

    #[test]
    fn durations_are_described_as_written() {
        let d = |ms| describe_duration(Duration::from_millis(ms));
        assert_eq!(d(90_000), "90s");
        assert_eq!(d(600_000), "10m");
        assert_eq!(d(7_200_000), "2h");
        assert_eq!(d(1_500), "1500ms");
        assert_eq!(d(0), "0ms");
        assert_eq!(describe_duration(DEFAULT_DEADLINE), "10m");
    }

    #[test]
    fn a_breaker_opens_on_silence_or_the_deadline_and_stays_open() {
        let b = Breaker::new(None, 3);
        b.unanswered("timed out");
        b.unanswered("timed out");
        b.answered();
        b.unanswered("timed out");
        b.unanswered("timed out");
        assert!(b.open().is_none(), "an answer starts the count again");
        b.unanswered("connection failed: refused");
        let g = b.open().expect("open").clone();
        assert_eq!(g.reason, GiveUpReason::Unreachable);
        assert!(g.message.contains("3 requests") && g.message.ends_with("refused)"));
        b.answered();
        assert_eq!(b.open(), Some(&g), "stays open");

        let b = Breaker::new(Some(Duration::ZERO), 3);
        assert_eq!(b.tripped(), None);
        b.unanswered("timed out");
        assert_eq!(b.tripped().map(|g| g.reason), Some(GiveUpReason::Deadline));
        let b = Breaker::new(Some(Duration::from_secs(3600)), usize::MAX);
        assert!(b.open().is_none());
        assert!(b.remaining().unwrap() > Duration::from_secs(3500));
    }
}
