//! Argon2 (`$argon2i$`, `$argon2d$`, `$argon2id$` in PHC form) via the argon2 crate.

use argon2::{Argon2, PasswordVerifier};

/// Verify `plain` against an Argon2 PHC string. Malformed hashes (or parameters needing more
/// memory than [`super::MAX_MEMORY`]) are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    if params(hash).is_none_or(|(m, _, _)| memory(m) > super::MAX_MEMORY) {
        return false;
    }
    // At least 16 bytes of output (22 base64 characters): a truncated hash must not match by chance.
    if hash.rsplit('$').next().map_or(0, str::len) < 22 {
        return false;
    }
    Argon2::default()
        .verify_password(plain.as_bytes(), hash)
        .is_ok()
}

/// Bytes one verification allocates for `m` KiB.
pub fn memory(m: u64) -> u64 {
    m.saturating_mul(1024)
}

/// `(m KiB, t, p)` of an Argon2 PHC string (numbers too long for 64 bits taken as the largest).
pub fn params(hash: &str) -> Option<(u64, u64, u64)> {
    let field = hash.split('$').find(|f| f.starts_with("m="))?;
    let (mut m, mut t, mut p) = (None, None, None);
    for kv in field.split(',') {
        let (k, v) = kv.split_once('=')?;
        let v = super::decimal(v)?;
        match k {
            "m" => m = Some(v),
            "t" => t = Some(v),
            "p" => p = Some(v),
            _ => {}
        }
    }
    Some((m?, t?, p.unwrap_or(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parsing() {
        assert_eq!(
            params("$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaA"),
            Some((1024, 2, 1))
        );
        assert_eq!(params("$argon2id$v=19$x$y"), None);
        // Terabytes and 2^64 passes: read, not wrapped.
        assert_eq!(
            params("$argon2id$v=19$m=4294967295,t=99999999999999999999999,p=1$s$h"),
            Some((4_294_967_295, u64::MAX, 1))
        );
        assert_eq!(memory(4_294_967_295), 4_398_046_510_080);
        assert_eq!(memory(u64::MAX), u64::MAX);
        assert_eq!(params("$argon2id$v=19$m=-1,t=1,p=1$s$h"), None);
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$argon2id$"));
        assert!(!verify("x", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$"));
        assert!(!verify(
            "x",
            "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
        ));
    }
}
