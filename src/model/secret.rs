//! Secrets (plaintext passwords and whole hashes) live in this type: zeroized on drop, never printable.

use std::fmt;
use zeroize::Zeroizing;

/// A secret string: a plaintext password or a whole hash value.
///
/// `Debug` and `Display` print `[redacted]`, so nothing that formats a value can leak it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(Zeroizing::new(s.into()))
    }
    /// The secret text. Callers must never print or log it.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// At most the first 8 characters: enough to identify a hash, never the whole of it.
    /// Only for hashes; never call it on a plaintext.
    pub fn hash_prefix(&self) -> super::evidence::HashPrefix {
        super::evidence::HashPrefix::of(self.expose())
    }
}

impl std::hash::Hash for Secret {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.expose().hash(state)
    }
}
// Hash, Eq and Ord are those of the text, so sets of secrets can be asked with a `&str`.
impl std::borrow::Borrow<str> for Secret {
    fn borrow(&self) -> &str {
        self.expose()
    }
}
impl PartialOrd for Secret {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Secret {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.expose().cmp(other.expose())
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}
impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("hunter2-Secret!");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(s.expose(), "hunter2-Secret!");
        assert_eq!(
            Secret::new("$6$abcdefghijk").hash_prefix().as_str(),
            "$6$abcde"
        );
    }
}
