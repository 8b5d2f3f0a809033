//! yescrypt (`$y$`, the default of current Debian/Ubuntu/Fedora shadow files) via the yescrypt crate.

use yescrypt::{PasswordVerifier, Yescrypt};

/// Verify `plain` against a `$y$` hash. Malformed hashes (or absurd parameters) are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    match params(hash) {
        // Refuse parameters that would need more than 1 GiB (128 * N * r bytes).
        Some((n, r)) if n.saturating_mul(r).saturating_mul(128) <= 1 << 30 => {}
        _ => return false,
    }
    // The crate compares only as many bytes as the stored output has: insist on the full
    // 32 bytes (43 characters) so a truncated hash cannot match by chance.
    if hash.rsplit('$').next().map(str::len) != Some(43) {
        return false;
    }
    Yescrypt::default()
        .verify_password(plain.as_bytes(), hash)
        .is_ok()
}

/// `(N, r)` of a `$y$` hash, decoded from its parameter field.
pub fn params(hash: &str) -> Option<(u64, u64)> {
    let field = hash.strip_prefix("$y$")?.split('$').next()?;
    let p: yescrypt::Params = field.parse().ok()?;
    Some((p.n(), u64::from(p.r())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parsing() {
        // j9T: the libxcrypt default (N = 4096, r = 32).
        assert_eq!(params("$y$j9T$salt$hash"), Some((4096, 32)));
        assert_eq!(params("$y$!!$salt$hash"), None);
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$y$"));
        assert!(!verify("x", "$y$j9T$"));
        assert!(!verify("x", "$y$j9T$abc$def$ghi"));
    }
}
