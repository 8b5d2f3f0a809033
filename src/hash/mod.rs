//! Hash schemes: identify a stored hash, verify a plaintext against it, fast digests for unsalted schemes.

use crate::model::Scheme;

/// Identify the scheme of a stored hash string (as found in shadow/htpasswd/LDAP/pot/inventory).
/// A bare 32-hex-digit string is taken as NT.
pub fn identify(hash: &str) -> Option<Scheme> {
    let _ = hash;
    None
}

/// Does `plain` produce `hash` under `scheme`? Malformed hashes verify as false.
pub fn verify(scheme: Scheme, plain: &str, hash: &str) -> bool {
    let _ = (scheme, plain, hash);
    false
}

/// The NT hash: MD4 over the UTF-16LE encoding of the raw (not normalised) string.
pub fn nt(plain: &str) -> [u8; 16] {
    let _ = plain;
    [0; 16]
}

/// SHA-1 over UTF-8 (the form Pwned Passwords indexes).
pub fn sha1(plain: &str) -> [u8; 20] {
    let _ = plain;
    [0; 20]
}

/// For unsalted schemes (NT, LM, {SHA}): the raw digest stored in `hash`, to join against.
pub fn stored_digest(scheme: Scheme, hash: &str) -> Option<Vec<u8>> {
    let _ = (scheme, hash);
    None
}

/// For unsalted schemes: the digest of `plain`, comparable with `stored_digest`.
/// LM: `None` when the plaintext cannot have an LM hash (longer than 14 characters).
pub fn digest(scheme: Scheme, plain: &str) -> Option<Vec<u8>> {
    let _ = (scheme, plain);
    None
}

/// Relative cost of one verification against `hash` (1 = one NT hash), from its parameters.
/// Used to fit salted recovery into a budget.
pub fn cost(scheme: Scheme, hash: &str) -> u64 {
    let _ = (scheme, hash);
    1
}
