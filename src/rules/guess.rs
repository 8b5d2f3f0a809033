//! Guessability (推定困難でない): wordlists, context words, sequences, keyboard walks, dates, zxcvbn.

use crate::recover::wordlists::Wordlists;

/// What the password is checked against besides itself.
pub struct GuessContext<'a> {
    pub account: &'a str,
    /// Facility, people and product names from the manifest (lower-case).
    pub context_words: &'a [String],
    pub lists: &'a Wordlists,
}

/// One reason a password is guessable. `severity_fail` is false only for date-like runs (a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuessReason {
    /// Stable short key: `wordlist`, `default`, `context_word`, `username`, `word_plus_suffix`,
    /// `sequence`, `repeat`, `keyboard_walk`, `date`, `zxcvbn`.
    pub kind: &'static str,
    /// Human detail in English that never quotes the password (it may name a list or a context word).
    pub detail: String,
    pub fail: bool,
}

/// Every reason `password` (already NFKC-normalised) is guessable; empty when none applies.
pub fn assess(password: &str, ctx: &GuessContext<'_>) -> Vec<GuessReason> {
    let _ = (password, ctx);
    Vec::new()
}

/// Is `password` a known factory default (vendor lists)? Compared case-sensitively and lower-cased.
pub fn is_default(password: &str, lists: &Wordlists) -> bool {
    let _ = (password, lists);
    false
}
