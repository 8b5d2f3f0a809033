//! The curated wordlists shipped in `wordlists/` (built into the binary) plus user `--wordlist` files.
//!
//! Built-in files (origin and licence in `wordlists/SOURCES.md`): `defaults.txt` (vendor factory
//! defaults, `#` comment lines name the vendor), `common.txt` (breached/common passwords, most frequent
//! first), `keyboard.txt` (keyboard walks), `japanese.txt` and `medical.txt` (hand-curated).

use crate::error::{classify, ExitClass};
use std::io::BufRead;
use std::path::PathBuf;
use xxhash_rust::xxh3::xxh3_64;

/// Factory defaults of network devices and medical systems (`#` lines are vendor comments).
pub const DEFAULTS_TXT: &str = include_str!("../../wordlists/defaults.txt");
/// Common/breached passwords, most frequent first.
pub const COMMON_TXT: &str = include_str!("../../wordlists/common.txt");
/// Keyboard walks (US/JIS rows, columns, zig-zags, keypad).
pub const KEYBOARD_TXT: &str = include_str!("../../wordlists/keyboard.txt");
/// Japanese passwords, words, names and romaji.
pub const JAPANESE_TXT: &str = include_str!("../../wordlists/japanese.txt");
/// Hospital and medical terms (English and romaji) and medical system product names.
pub const MEDICAL_TXT: &str = include_str!("../../wordlists/medical.txt");

/// Distinct strings in insertion order, kept in one buffer (no allocation per word) with a hash
/// table of their indices for lookups. A list of a million words costs its bytes plus about
/// 16 bytes a word.
#[derive(Default)]
pub struct WordSet {
    text: String,
    ends: Vec<usize>,
    table: hashbrown::HashTable<u32>,
}

impl std::fmt::Debug for WordSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WordSet({} words)", self.len())
    }
}

impl WordSet {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th distinct word. Panics if `i >= len()`.
    pub fn get(&self, i: usize) -> &str {
        word(&self.text, &self.ends, i)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.range(0, self.len())
    }

    /// Words `a..b`, both clamped to `len()`.
    pub fn range(&self, a: usize, b: usize) -> impl ExactSizeIterator<Item = &str> + '_ {
        let b = b.min(self.len());
        (a.min(b)..b).map(|i| self.get(i))
    }

    pub fn contains(&self, w: &str) -> bool {
        self.table
            .find(xxh3_64(w.as_bytes()), |&i| self.get(i as usize) == w)
            .is_some()
    }

    /// Room for `words` more words of `bytes` bytes in all.
    pub fn reserve(&mut self, words: usize, bytes: usize) {
        self.text.reserve(bytes);
        self.ends.reserve(words);
        let WordSet { text, ends, table } = self;
        table.reserve(words, |&j| xxh3_64(word(text, ends, j as usize).as_bytes()));
    }

    /// Adds `w` unless it is there; true when it was new.
    pub fn insert(&mut self, w: &str) -> bool {
        let h = xxh3_64(w.as_bytes());
        let WordSet { text, ends, table } = self;
        if table
            .find(h, |&i| word(text, ends, i as usize) == w)
            .is_some()
        {
            return false;
        }
        let i = u32::try_from(ends.len()).expect("fewer than 2^32 words");
        table.insert_unique(h, i, |&j| xxh3_64(word(text, ends, j as usize).as_bytes()));
        text.push_str(w);
        ends.push(text.len());
        true
    }
}

/// Word `i` of a set's buffer and end offsets (a free function, so the table's closures can
/// borrow the buffer while the table itself is borrowed mutably).
fn word<'t>(text: &'t str, ends: &[usize], i: usize) -> &'t str {
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start..ends[i]]
}

/// Lower-cases `s` into `buf` (ASCII without allocating) and returns it.
fn lower_into<'b>(s: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&s.to_lowercase());
    }
    buf
}

/// Loaded wordlists. `candidates` keeps file order (most likely first); the sets are lower-cased.
#[derive(Debug, Default)]
pub struct Wordlists {
    /// Candidate plaintexts for recovery, de-duplicated, in order.
    pub candidates: WordSet,
    /// Lower-cased common/breached/Japanese/medical words: a whole-string match is guessable.
    pub common: WordSet,
    /// Lower-cased factory-default passwords of devices and medical systems.
    pub defaults: WordSet,
    /// Lower-cased base words (length ≥ 4) for the "word + trailing digits/symbols" check.
    pub base_words: WordSet,
    /// Lines skipped in user wordlist files because they were not valid UTF-8.
    pub invalid_utf8_lines: usize,
    /// How many of the first `candidates` are factory defaults (`defaults.txt`); common
    /// passwords follow them.
    pub defaults_len: usize,
}

impl Wordlists {
    /// The built-in lists (from `wordlists/`, embedded at compile time).
    /// Candidate order: defaults, common, keyboard, japanese, medical (first occurrence kept).
    pub fn builtin() -> Self {
        let mut w = Wordlists::default();
        let mut buf = String::new();
        for (name, text) in BUILTIN {
            for entry in builtin_entries(name, text) {
                let lower = lower_into(entry, &mut buf);
                if name == "defaults" {
                    w.defaults.insert(lower);
                }
                if is_base_word(lower) {
                    w.base_words.insert(lower);
                }
                w.common.insert(lower);
                w.candidates.insert(entry);
            }
            if name == "defaults" {
                w.defaults_len = w.candidates.len();
            }
        }
        w
    }

    /// No lists at all (`--no-default-wordlists`).
    pub fn empty() -> Self {
        Wordlists::default()
    }

    /// Add a user wordlist file's lines (UTF-8, one password per line, `\r` stripped).
    /// Empty lines are ignored; lines that are not valid UTF-8 are skipped and counted in
    /// [`Wordlists::invalid_utf8_lines`]. Every line counts as "in a wordlist" (`common`); new ones
    /// are appended to `candidates`. Returns the number of lines added (valid, non-empty lines read);
    /// errors name the path.
    pub fn add_file(&mut self, path: &std::path::Path) -> Result<usize, WordlistError> {
        let file = std::fs::File::open(path).map_err(|source| WordlistError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        // Room for about one word per 10 bytes, so the tables are not rebuilt as they grow.
        if let Ok(m) = file.metadata() {
            let words = usize::try_from(m.len() / 10).unwrap_or(0).min(1 << 26);
            self.candidates.reserve(words, m.len() as usize);
            self.common.reserve(words, m.len() as usize);
        }
        self.add_reader(std::io::BufReader::new(file))
            .map_err(|source| WordlistError::Read {
                path: path.to_path_buf(),
                source,
            })
    }

    /// Like [`Wordlists::add_file`] for any reader (used by tests and by `add_file`).
    pub fn add_reader<R: BufRead>(&mut self, mut reader: R) -> std::io::Result<usize> {
        let mut added = 0;
        let mut buf = Vec::new();
        let mut lower = String::new();
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.is_empty() {
                continue;
            }
            let Ok(line) = std::str::from_utf8(&buf) else {
                self.invalid_utf8_lines += 1;
                continue;
            };
            added += 1;
            self.common.insert(lower_into(line, &mut lower));
            self.candidates.insert(line);
        }
        Ok(added)
    }

    /// Is the lower-cased string `lower` in any list (built-in or user)?
    pub fn contains(&self, lower: &str) -> bool {
        self.common.contains(lower)
    }

    /// Is the lower-cased string `lower` a known factory default?
    pub fn is_default(&self, lower: &str) -> bool {
        self.defaults.contains(lower)
    }

    /// Is the lower-cased string `lower` a base word (alphabetic, length ≥ 4)?
    pub fn is_base_word(&self, lower: &str) -> bool {
        self.base_words.contains(lower)
    }
}

/// The built-in files in candidate order, with their short names.
const BUILTIN: [(&str, &str); 5] = [
    ("defaults", DEFAULTS_TXT),
    ("common", COMMON_TXT),
    ("keyboard", KEYBOARD_TXT),
    ("japanese", JAPANESE_TXT),
    ("medical", MEDICAL_TXT),
];

/// Why a `--wordlist` file cannot be read (an input error: the audit would miss its words).
#[derive(Debug, thiserror::Error)]
pub enum WordlistError {
    #[error("cannot open wordlist {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read wordlist {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

classify!(WordlistError, |_e| ExitClass::Input);

/// Entries of one built-in file: `\r` stripped, empty lines skipped, `#` comments only in the
/// hand-made files (common passwords may start with `#`).
fn builtin_entries<'a>(name: &'a str, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let comments = matches!(name, "defaults" | "japanese" | "medical");
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(move |l| !(l.is_empty() || (comments && l.starts_with('#'))))
}

/// Alphabetic (ASCII letters only) and at least 4 characters long.
fn is_base_word(lower: &str) -> bool {
    lower.len() >= 4 && lower.bytes().all(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn builtin_loads_every_file_in_order() {
        let w = Wordlists::builtin();
        // defaults come first, in file order
        assert_eq!(w.candidates.get(0), "admin");
        assert!(w.candidates.len() > 30_000);
        for word in [
            "123456", "password", "qwerty", "1qaz2wsx", "7410", "sakura", "doraemon", "byouin",
            "kangoshi", "calvin", "orthanc", "ubnt",
        ] {
            assert!(w.contains(word), "{word} should be in the lists");
        }
        let pos = |s: &str| w.candidates.iter().position(|c| c == s).unwrap();
        assert!(pos("calvin") < pos("dragon"));
        assert!(pos("dragon") < pos("doraemon"));
        assert!(pos("doraemon") < pos("kangoshi"));
        // de-duplicated
        let unique: std::collections::HashSet<&str> = w.candidates.iter().collect();
        assert_eq!(unique.len(), w.candidates.len());
        assert!(!w.candidates.iter().any(|c| c.starts_with("#!comment")));
    }

    #[test]
    fn sets_are_lower_cased_and_defaults_exclude_comments() {
        let w = Wordlists::builtin();
        assert!(w.defaults.contains("calvin"));
        assert!(w.defaults.contains("p@ssw0rd"));
        assert!(w.is_default("vmware1!"));
        assert!(!w
            .defaults
            .iter()
            .any(|d| d.starts_with('#') || d.is_empty()));
        assert!(!w.defaults.contains("sakura"));
        assert!(w.common.iter().all(|c| c == c.to_lowercase()));
        assert!(w.is_base_word("hospital"));
        assert!(w.is_base_word("sakura"));
        assert!(!w.is_base_word("abc")); // too short
        assert!(!w.base_words.contains("abc123")); // not alphabetic
    }

    #[test]
    fn empty_has_nothing() {
        let w = Wordlists::empty();
        assert!(w.candidates.is_empty() && w.common.is_empty() && w.defaults.is_empty());
        assert!(!w.contains("password"));
    }

    #[test]
    fn add_file_handles_crlf_invalid_utf8_and_duplicates() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"Kensa2025!\r\n\r\nzzqq\xff\xfe\r\nsakura\nKensa2025!\nLast")
            .unwrap();
        let mut w = Wordlists::builtin();
        let before = w.candidates.len();
        let n = w.add_file(f.path()).unwrap();
        assert_eq!(n, 4);
        assert_eq!(w.invalid_utf8_lines, 1);
        assert!(w.contains("kensa2025!"));
        assert!(w.contains("last"));
        // sakura was already a candidate; Kensa2025! added once
        assert_eq!(w.candidates.len(), before + 2);
        assert_eq!(w.candidates.get(before), "Kensa2025!");
    }

    #[test]
    fn add_file_error_names_the_path() {
        let mut w = Wordlists::empty();
        let err = w
            .add_file(std::path::Path::new("/nonexistent/kensa-words.txt"))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot open wordlist /nonexistent/kensa-words.txt: "),
            "{err}"
        );
        assert_eq!(crate::error::Classify::class(&err), ExitClass::Input);
    }
}
