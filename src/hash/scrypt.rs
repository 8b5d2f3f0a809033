//! scrypt in passlib (`$scrypt$ln=..,r=..,p=..$ab64salt$ab64hash`) and PHC (standard base64) form,
//! and in the form hashcat reads and writes to its pot file (`SCRYPT:N:r:p:b64salt:b64hash`, mode 8900).

/// Verify `plain` against a scrypt hash. Malformed hashes (or parameters needing more memory
/// than [`super::MAX_MEMORY`]) are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    let Some(s) = parse(hash) else {
        return false;
    };
    if memory(s.ln, s.r, s.p) > super::MAX_MEMORY {
        return false;
    }
    // passlib and RustCrypto write 32 bytes (RFC 7914's examples 64): a truncated hash must not
    // match by chance.
    if s.expected.len() != 32 && s.expected.len() != 64 {
        return false;
    }
    let Ok(params) = scrypt::Params::new(s.ln, s.r, s.p) else {
        return false;
    };
    let mut out = vec![0u8; s.expected.len()];
    if scrypt::scrypt(plain.as_bytes(), &s.salt, &params, &mut out).is_err() {
        return false;
    }
    super::ct_eq(&out, &s.expected)
}

/// Bytes one verification allocates: V (128·r·N), B (128·r·p) and XY (256·r). Saturating.
pub fn memory(ln: u8, r: u32, p: u32) -> u64 {
    let n = 1u64.checked_shl(u32::from(ln)).unwrap_or(u64::MAX);
    128u64
        .saturating_mul(u64::from(r))
        .saturating_mul(n.saturating_add(u64::from(p)).saturating_add(2))
}

/// `(log2 N, r, p)` of a scrypt hash (log2 N below 64).
pub fn params(hash: &str) -> Option<(u8, u32, u32)> {
    if let Some(s) = parse_hashcat(hash) {
        return Some((s.ln, s.r, s.p));
    }
    let field = hash.strip_prefix("$scrypt$")?.split('$').next()?;
    let (mut ln, mut r, mut p) = (None, None, None);
    for kv in field.split(',') {
        let (k, v) = kv.split_once('=')?;
        match k {
            "ln" => ln = v.parse::<u8>().ok().filter(|l| *l > 0 && *l < 64),
            "r" => r = v.parse::<u32>().ok().filter(|r| *r > 0),
            "p" => p = v.parse::<u32>().ok().filter(|p| *p > 0),
            _ => {}
        }
    }
    Some((ln?, r?, p?))
}

/// A scrypt hash, decoded.
pub(super) struct Parsed {
    /// log2 N.
    pub(super) ln: u8,
    pub(super) r: u32,
    pub(super) p: u32,
    pub(super) salt: Vec<u8>,
    pub(super) expected: Vec<u8>,
}

/// A scrypt hash in either form, decoded.
pub(super) fn parse(hash: &str) -> Option<Parsed> {
    if let Some(s) = parse_hashcat(hash) {
        return Some(s);
    }
    let (ln, r, p) = params(hash)?;
    let mut fields = hash.split('$').skip(3);
    let (Some(salt), Some(expected), None) = (fields.next(), fields.next(), fields.next()) else {
        return None;
    };
    Some(Parsed {
        ln,
        r,
        p,
        salt: super::b64_decode(salt)?,
        expected: super::b64_decode(expected)?,
    })
}

/// hashcat's form: `SCRYPT:N:r:p:salt:hash`, N a power of two, base64 with padding.
fn parse_hashcat(hash: &str) -> Option<Parsed> {
    let mut f = hash.strip_prefix("SCRYPT:")?.split(':');
    let num = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let n = num(f.next()?)?;
    let r = u32::try_from(num(f.next()?)?).ok().filter(|r| *r > 0)?;
    let p = u32::try_from(num(f.next()?)?).ok().filter(|p| *p > 0)?;
    let (salt, expected) = (f.next()?, f.next()?);
    if f.next().is_some() || !n.is_power_of_two() || n < 2 {
        return None;
    }
    let ln = u8::try_from(n.trailing_zeros()).ok()?;
    Some(Parsed {
        ln,
        r,
        p,
        salt: super::b64_decode(salt)?,
        expected: super::b64_decode(expected)?,
    })
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
        let std = base64::engine::general_purpose::STANDARD;
        let hc = format!(
            "SCRYPT:1024:8:16:{}:{}",
            std.encode(b"NaCl"),
            std.encode(&dk)
        );
        assert!(verify("password", &hc));
        assert!(!verify("Password", &hc));
        assert_eq!(params(&hc), Some((10, 8, 16)));
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$scrypt$"));
        assert!(!verify("x", "$scrypt$ln=4,r=8$c2FsdA$AAAA"));
        assert!(!verify("x", "$scrypt$ln=39,r=8,p=1$c2FsdA$AAAA"));
        assert!(!verify("x", "$scrypt$ln=4,r=8,p=1$c2FsdA$"));
        assert!(!verify("x", "SCRYPT:1000:8:1:c2FsdA==:AAAA"));
        assert!(!verify("x", "SCRYPT:1024:0:1:c2FsdA==:AAAA"));
        assert!(!verify("x", "SCRYPT:1024:8:1:c2FsdA=="));
        assert!(!verify("x", "SCRYPT:1024:8:1:c2FsdA==:AAAA:x"));
        assert_eq!(params("SCRYPT:16384:8:1:c2FsdA==:AAAA"), Some((14, 8, 1)));
    }

    #[test]
    fn extreme_parameters_are_read_and_refused_without_allocating() {
        let out = "SacJLauPeSZQdAMb4p0F96eF/9SHtuWCDyy+Ws8nexY";
        let h = format!("$scrypt$ln=63,r=8,p=1$R8iZ0xqDkPJeK2VMKaVUCg${out}");
        assert_eq!(params(&h), Some((63, 8, 1)));
        assert_eq!(memory(63, 8, 1), u64::MAX);
        assert!(!verify("x", &h));
        assert_eq!(params("$scrypt$ln=64,r=8,p=1$c2FsdA$AAAA"), None);
        assert_eq!(memory(20, 8, 1), 128 * 8 * ((1 << 20) + 3));
        assert_eq!(memory(1, u32::MAX, u32::MAX), u64::MAX);
        // p alone can make B larger than the limit.
        assert!(memory(1, 1, u32::MAX) > crate::hash::MAX_MEMORY);
    }
}
