//! The curated wordlists shipped in `wordlists/` (built into the binary) plus user `--wordlist` files.
//!
//! Built-in files (origin and licence in `wordlists/SOURCES.md`): `defaults.txt` (vendor factory
//! defaults, `#` comment lines name the vendor), `common.txt` (breached/common passwords, most frequent
//! first), `keyboard.txt` (keyboard walks), `japanese.txt` and `medical.txt` (hand-curated).

use std::collections::HashSet;
use std::io::BufRead;

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
        let mut seen: HashSet<String> = HashSet::new();
        for (name, text) in BUILTIN {
            for entry in builtin_entries(name, text) {
                let lower = entry.to_lowercase();
                if name == "defaults" {
                    w.defaults.insert(lower.clone());
                }
                if is_base_word(&lower) {
                    w.base_words.insert(lower.clone());
                }
                w.common.insert(lower);
                if seen.insert(entry.to_string()) {
                    w.candidates.push(entry.to_string());
                }
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
    pub fn add_file(&mut self, path: &std::path::Path) -> Result<usize, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("cannot open wordlist {}: {e}", path.display()))?;
        self.add_reader(std::io::BufReader::new(file))
            .map_err(|e| format!("cannot read wordlist {}: {e}", path.display()))
    }

    /// Like [`Wordlists::add_file`] for any reader (used by tests and by `add_file`).
    pub fn add_reader<R: BufRead>(&mut self, mut reader: R) -> std::io::Result<usize> {
        let mut seen: HashSet<String> = self.candidates.iter().cloned().collect();
        let mut added = 0;
        let mut buf = Vec::new();
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
            self.common.insert(line.to_lowercase());
            if seen.insert(line.to_string()) {
                self.candidates.push(line.to_string());
            }
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
        assert_eq!(w.candidates[0], "admin");
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
        let unique: HashSet<&String> = w.candidates.iter().collect();
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
        assert!(w.common.iter().all(|c| *c == c.to_lowercase()));
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
        assert_eq!(w.candidates[before], "Kensa2025!");
    }

    #[test]
    fn add_file_error_names_the_path() {
        let mut w = Wordlists::empty();
        let err = w
            .add_file(std::path::Path::new("/nonexistent/kensa-words.txt"))
            .unwrap_err();
        assert!(err.contains("/nonexistent/kensa-words.txt"), "{err}");
    }
}
