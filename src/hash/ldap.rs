//! LDAP userPassword schemes: `{SHA}` (base64 SHA-1) and `{SSHA}` (base64 SHA-1(pw+salt)||salt).
//! `{CRYPT}` is unwrapped in `hash::strip_ldap_crypt`. Tags are case-insensitive.

use sha1::{Digest, Sha1};

/// The raw 20-byte digest of a `{SHA}` value.
pub fn sha_digest(hash: &str) -> Option<Vec<u8>> {
    let body = tagged(hash, "SHA")?;
    let d = super::b64_decode(body)?;
    (d.len() == 20).then_some(d)
}

/// Verify `plain` against a `{SHA}` value.
pub fn verify_sha(plain: &str, hash: &str) -> bool {
    match sha_digest(hash) {
        Some(d) => super::ct_eq(&d, &Sha1::digest(plain.as_bytes())),
        None => false,
    }
}

/// The decoded bytes of a `{SSHA}` value: the 20-byte digest followed by a salt of one byte or more.
pub fn ssha_bytes(hash: &str) -> Option<Vec<u8>> {
    let d = super::b64_decode(tagged(hash, "SSHA")?)?;
    (d.len() > 20).then_some(d)
}

/// Verify `plain` against a `{SSHA}` value.
pub fn verify_ssha(plain: &str, hash: &str) -> bool {
    let Some(d) = ssha_bytes(hash) else {
        return false;
    };
    let (digest, salt) = d.split_at(20);
    let mut h = Sha1::new();
    h.update(plain.as_bytes());
    h.update(salt);
    super::ct_eq(digest, &h.finalize())
}

/// The body after `{TAG}` when the tag matches (case-insensitive).
fn tagged<'a>(hash: &'a str, tag: &str) -> Option<&'a str> {
    let rest = hash.trim().strip_prefix('{')?;
    let (t, body) = rest.split_once('}')?;
    t.eq_ignore_ascii_case(tag).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha_known_value() {
        // base64(SHA-1("password"))
        let h = "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=";
        assert!(verify_sha("password", h));
        assert!(verify_sha("password", "{sha}W6ph5Mm5Pz8GgiULbPgzG37mj9g="));
        assert!(!verify_sha("Password", h));
        assert_eq!(
            hex::encode(sha_digest(h).unwrap()),
            "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"
        );
    }

    #[test]
    fn ssha_roundtrip() {
        use base64::Engine;
        let mut h = Sha1::new();
        h.update(b"secret");
        h.update(b"salt1234");
        let mut v = h.finalize().to_vec();
        v.extend_from_slice(b"salt1234");
        let s = format!(
            "{{SSHA}}{}",
            base64::engine::general_purpose::STANDARD.encode(v)
        );
        assert!(verify_ssha("secret", &s));
        assert!(!verify_ssha("secreT", &s));
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify_sha("x", "{SHA}"));
        assert!(!verify_sha("x", "{SHA}!!!"));
        assert!(!verify_ssha("x", "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="));
        assert!(!verify_ssha("x", "SSHA}abc"));
    }
}
