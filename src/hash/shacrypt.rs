//! SHA-crypt (`$5$` sha256crypt, `$6$` sha512crypt, optional `rounds=`), via the sha-crypt crate.

use sha_crypt::{PasswordVerifier, ShaCrypt};

/// Verify `plain` against a `$5$`/`$6$` hash. Malformed hashes are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    if !(hash.starts_with("$5$") || hash.starts_with("$6$")) {
        return false;
    }
    ShaCrypt::default()
        .verify_password(plain.as_bytes(), hash)
        .is_ok()
}

/// The `rounds=` of a SHA-crypt hash (5000 when absent) as the specification reads it: clamped
/// to 1,000..=999,999,999, a number too long for 64 bits taken as the largest. `None` when the
/// field is not a decimal number.
pub fn rounds(hash: &str) -> Option<u64> {
    let Some(r) = hash
        .split('$')
        .nth(2)
        .and_then(|f| f.strip_prefix("rounds="))
    else {
        return Some(5_000);
    };
    let r = super::decimal(r)?;
    Some(r.clamp(1_000, 999_999_999))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Spec vectors, confirmed with `mkpasswd -m sha-256 -S saltstring` (libxcrypt).
    #[test]
    fn spec_vectors() {
        assert!(verify(
            "Hello world!",
            "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"
        ));
        assert!(verify(
            "Hello world!",
            "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."
        ));
        assert!(!verify(
            "Hello world?",
            "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"
        ));
    }

    #[test]
    fn rounds_parsing() {
        assert_eq!(rounds("$6$rounds=10000$salt$x"), Some(10_000));
        assert_eq!(rounds("$6$salt$x"), Some(5_000));
        assert_eq!(rounds("$6$rounds=10$salt$x"), Some(1_000));
        assert_eq!(rounds("$6$rounds=999999999$salt$x"), Some(999_999_999));
        assert_eq!(rounds("$6$rounds=5000000000$salt$x"), Some(999_999_999));
        assert_eq!(
            rounds("$6$rounds=99999999999999999999999999999$salt$x"),
            Some(999_999_999)
        );
        assert_eq!(rounds("$6$rounds=abc$salt$x"), None);
        assert_eq!(rounds("$6$rounds=$salt$x"), None);
        assert_eq!(rounds("$6$rounds=-1$salt$x"), None);
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$6$"));
        assert!(!verify("x", "$6$salt"));
        assert!(!verify("x", "$6$rounds=abc$salt$zz"));
    }
}
