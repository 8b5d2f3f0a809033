//! scrypt in passlib (`$scrypt$ln=..,r=..,p=..$ab64salt$ab64hash`) and PHC (standard base64) form.

/// Parameters above 1 GiB of memory (128 * N * r * p bytes... p runs sequentially, so 128 * N * r)
/// are refused.
const MAX_MEMORY: u64 = 1 << 30;

/// Verify `plain` against a `$scrypt$` hash. Malformed hashes (or absurd parameters) are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    let Some((ln, r, p)) = params(hash) else {
        return false;
    };
    if (128u64 << ln).saturating_mul(u64::from(r)) > MAX_MEMORY || p > 16 {
        return false;
    }
    let mut fields = hash.split('$').skip(3);
    let (Some(salt), Some(expected), None) = (fields.next(), fields.next(), fields.next()) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (super::b64_decode(salt), super::b64_decode(expected))
    else {
        return false;
    };
    // passlib and RustCrypto write 32 bytes (RFC 7914's examples 64): a truncated hash must not
    // match by chance.
    if expected.len() != 32 && expected.len() != 64 {
        return false;
    }
    let Ok(params) = scrypt::Params::new(ln, r, p) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if scrypt::scrypt(plain.as_bytes(), &salt, &params, &mut out).is_err() {
        return false;
    }
    super::ct_eq(&out, &expected)
}

/// `(log2 N, r, p)` of a `$scrypt$` hash.
pub fn params(hash: &str) -> Option<(u8, u32, u32)> {
    let field = hash.strip_prefix("$scrypt$")?.split('$').next()?;
    let (mut ln, mut r, mut p) = (None, None, None);
    for kv in field.split(',') {
        let (k, v) = kv.split_once('=')?;
        match k {
            "ln" => ln = v.parse::<u8>().ok().filter(|l| *l > 0 && *l < 40),
            "r" => r = v.parse::<u32>().ok().filter(|r| *r > 0),
            "p" => p = v.parse::<u32>().ok().filter(|p| *p > 0),
            _ => {}
        }
    }
    Some((ln?, r?, p?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7914_vector() {
        // RFC 7914 §12: P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64.
        let dk = hex::decode(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162\
             2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
        )
        .unwrap();
        use base64::Engine;
        let e = base64::engine::general_purpose::STANDARD_NO_PAD;
        let h = format!(
            "$scrypt$ln=10,r=8,p=16${}${}",
            e.encode(b"NaCl"),
            e.encode(&dk)
        );
        assert!(verify("password", &h));
        assert!(!verify("Password", &h));
        assert_eq!(params(&h), Some((10, 8, 16)));
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$scrypt$"));
        assert!(!verify("x", "$scrypt$ln=4,r=8$c2FsdA$AAAA"));
        assert!(!verify("x", "$scrypt$ln=39,r=8,p=1$c2FsdA$AAAA"));
        assert!(!verify("x", "$scrypt$ln=4,r=8,p=1$c2FsdA$"));
    }
}
