//! Escaping for the HTML report and its SVG charts: one place below both, so neither imports the
//! other.

use std::fmt;

/// Escapes text for HTML element content and quoted attribute values: `& < > " '`, after
/// control characters are made visible ([`super::visible`]).
pub(crate) fn escape(s: &str) -> String {
    Escaped(s).to_string()
}

/// Displays a string as [`escape`] does, without building the escaped copy.
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = super::visible(self.0);
        let s = &*shown;
        let mut done = 0;
        for (i, b) in s.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            // The five are ASCII: `i` and `i + 1` are char boundaries.
            f.write_str(&s[done..i])?;
            f.write_str(entity)?;
            done = i + 1;
        }
        f.write_str(&s[done..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_script_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("a \"b\" & c"), "a &quot;b&quot; &amp; c");
        assert_eq!(escape("&lt;"), "&amp;lt;");
        assert_eq!(escape("コロ病院"), "コロ病院");
    }
}
