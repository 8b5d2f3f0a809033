//! bcrypt (`$2a$`, `$2b$`, `$2y$`) via the bcrypt crate (72-byte truncation as in every implementation).

/// Verify `plain` against a bcrypt hash. Malformed hashes are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    if hash.len() != 60 || cost_of(hash).is_none() {
        return false;
    }
    bcrypt::verify(plain.as_bytes(), hash).unwrap_or(false)
}

/// The cost factor (log2 of the rounds), if the hash has a valid one (4..=31).
pub fn cost_of(hash: &str) -> Option<u32> {
    let c = hash.get(4..6)?;
    if !c.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let c: u32 = c.parse().ok()?;
    (4..=31).contains(&c).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        // From the OpenBSD test suite: cost 5, empty password.
        let h = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy";
        assert!(verify("", h));
        assert!(!verify("x", h));
        assert_eq!(cost_of(h), Some(5));
        assert_eq!(cost_of("$2b$31$x"), Some(31));
        assert_eq!(cost_of("$2b$32$x"), None);
        assert_eq!(cost_of("$2b$+5$x"), None);
        assert_eq!(cost_of("$2b$"), None);
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$2a$05$short"));
        assert!(!verify(
            "x",
            "$2a$99$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"
        ));
    }
}
