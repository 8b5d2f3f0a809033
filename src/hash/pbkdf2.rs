//! PBKDF2-HMAC hashes in their three stored forms: PHC (`$pbkdf2-sha256$i=..,l=..$salt$hash`),
//! passlib (`$pbkdf2-sha256$rounds$ab64salt$ab64hash`, `$pbkdf2$` = SHA-1) and Django
//! (`pbkdf2_sha256$rounds$salt$base64hash`, the salt used as text), and in the form hashcat reads
//! and writes to its pot file (`sha256:rounds:b64salt:b64hash`, modes 12000/10900/12100).

use sha1::Sha1;
use sha2::{Sha256, Sha512};

/// Verify `plain` against a PBKDF2 hash in any of the three forms. Malformed hashes are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    let Some(p) = parse(hash) else {
        return false;
    };
    // The output has the digest's size (or PHC's `l=`), so a truncated hash cannot match by chance.
    let full = match p.prf {
        Prf::Sha1 => 20,
        Prf::Sha256 => 32,
        Prf::Sha512 => 64,
    };
    let len_ok = match p.length {
        Some(l) => (16..=1024).contains(&l),
        None => p.expected.len() == full || (p.phc && p.expected.len() == 32),
    };
    if !len_ok {
        return false;
    }
    // The crate counts rounds in 32 bits; more than that is beyond any budget anyway.
    let Ok(rounds) = u32::try_from(p.iterations) else {
        return false;
    };
    let mut out = vec![0u8; p.expected.len()];
    let pw = plain.as_bytes();
    match p.prf {
        Prf::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(pw, &p.salt, rounds, &mut out),
        Prf::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(pw, &p.salt, rounds, &mut out),
        Prf::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(pw, &p.salt, rounds, &mut out),
    }
    super::ct_eq(&out, &p.expected)
}

/// The digest, iterations and output blocks of one verification (each output block is one more
/// pass of the iterations).
pub fn work(hash: &str) -> Option<(Prf, u64, u64)> {
    let p = parse(hash)?;
    let block = match p.prf {
        Prf::Sha1 => 20,
        Prf::Sha256 => 32,
        Prf::Sha512 => 64,
    };
    let blocks = p.expected.len().div_ceil(block).max(1) as u64;
    Some((p.prf, p.iterations, blocks))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prf {
    Sha1,
    Sha256,
    Sha512,
}

impl Prf {
    /// The digest's name in hashcat's form (`sha1:…`).
    pub(super) fn name(self) -> &'static str {
        match self {
            Prf::Sha1 => "sha1",
            Prf::Sha256 => "sha256",
            Prf::Sha512 => "sha512",
        }
    }
}

pub(super) struct Parsed {
    pub(super) prf: Prf,
    /// PHC form (`i=` parameters), whose default output is 32 bytes whatever the digest.
    phc: bool,
    /// PHC `l=` (or the length of a hashcat form's output), already checked against the stored
    /// output's length.
    length: Option<usize>,
    /// Numbers too long for 64 bits are taken as the largest.
    pub(super) iterations: u64,
    pub(super) salt: Vec<u8>,
    pub(super) expected: Vec<u8>,
}

/// A PBKDF2 hash in any of the four forms, decoded.
pub(super) fn parse(hash: &str) -> Option<Parsed> {
    if let Some(p) = parse_hashcat(hash) {
        return Some(p);
    }
    let (prf, rest, django) = if let Some(r) = hash.strip_prefix("pbkdf2_sha256$") {
        (Prf::Sha256, r, true)
    } else if let Some(r) = hash.strip_prefix("pbkdf2_sha1$") {
        (Prf::Sha1, r, true)
    } else if let Some(r) = hash.strip_prefix("$pbkdf2-sha256$") {
        (Prf::Sha256, r, false)
    } else if let Some(r) = hash.strip_prefix("$pbkdf2-sha512$") {
        (Prf::Sha512, r, false)
    } else if let Some(r) = hash
        .strip_prefix("$pbkdf2-sha1$")
        .or_else(|| hash.strip_prefix("$pbkdf2$"))
    {
        (Prf::Sha1, r, false)
    } else {
        return None;
    };
    let mut fields = rest.split('$');
    let params = fields.next()?;
    let salt = fields.next()?;
    let expected = fields.next()?;
    if fields.next().is_some() {
        return None;
    }
    let (iterations, length) = if params.contains('=') {
        let get = |k: &str| params.split(',').find_map(|kv| kv.strip_prefix(k));
        let length = match get("l=") {
            Some(l) => Some(l.parse::<usize>().ok()?),
            None => None,
        };
        (super::decimal(get("i=")?)?, length)
    } else {
        (super::decimal(params)?, None)
    };
    if iterations == 0 {
        return None;
    }
    let salt = if django {
        salt.as_bytes().to_vec()
    } else {
        super::b64_decode(salt)?
    };
    let expected = super::b64_decode(expected)?;
    if length.is_some_and(|l| l != expected.len()) {
        return None;
    }
    Some(Parsed {
        prf,
        phc: params.contains('='),
        length,
        iterations,
        salt,
        expected,
    })
}

/// hashcat's form: `sha1:`, `sha256:` or `sha512:`, then rounds, salt and output in standard
/// base64, separated by ':'. Its output may be cut short (hashcat compares 16 bytes or more).
fn parse_hashcat(hash: &str) -> Option<Parsed> {
    let (name, rest) = hash.split_once(':')?;
    let prf = [Prf::Sha1, Prf::Sha256, Prf::Sha512]
        .into_iter()
        .find(|p| p.name() == name)?;
    let mut fields = rest.split(':');
    let (rounds, salt, expected) = (fields.next()?, fields.next()?, fields.next()?);
    if fields.next().is_some() {
        return None;
    }
    let iterations = super::decimal(rounds)?;
    if iterations == 0 {
        return None;
    }
    let salt = super::b64_decode(salt)?;
    let expected = super::b64_decode(expected)?;
    Some(Parsed {
        prf,
        phc: false,
        length: Some(expected.len()),
        iterations,
        salt,
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6070_sha1_vector() {
        // RFC 6070: P="password", S="salt", c=2, dkLen=20.
        let dk = "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957";
        let bytes = hex::decode(dk).unwrap();
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
        let salt = base64::engine::general_purpose::STANDARD_NO_PAD.encode(b"salt");
        let phc = format!("$pbkdf2-sha1$i=2,l=20${salt}${b64}");
        assert!(verify("password", &phc));
        assert!(!verify("passwort", &phc));
        let passlib = format!("$pbkdf2$2${}${}", salt, b64.replace('+', "."));
        assert!(verify("password", &passlib));
        assert_eq!(work(&passlib), Some((Prf::Sha1, 2, 1)));
        let django = format!("pbkdf2_sha1$2$salt${}=", b64);
        assert!(verify("password", &django));
        let hashcat = format!("sha1:2:c2FsdA==:{b64}=");
        assert!(verify("password", &hashcat));
        assert!(!verify("passwort", &hashcat));
        // hashcat compares a prefix of 16 bytes or more; kensa verifies what is there.
        let short = base64::engine::general_purpose::STANDARD.encode(&bytes[..16]);
        assert!(verify("password", &format!("sha1:2:c2FsdA==:{short}")));
        let tiny = base64::engine::general_purpose::STANDARD.encode(&bytes[..8]);
        assert!(!verify("password", &format!("sha1:2:c2FsdA==:{tiny}")));
    }

    #[test]
    fn huge_iteration_counts_are_read_not_wrapped() {
        let out = "A8ha75Y/P/vzs5aBzsWjI5Mx1gFXuUbUy9XpFIzdoYc";
        let at = |i: &str| format!("$pbkdf2-sha256${i}$P4fQmhOi1PofAyDE.L93zg${out}");
        assert_eq!(work(&at("600000")), Some((Prf::Sha256, 600_000, 1)));
        assert_eq!(
            work(&at("18446744073709551616")),
            Some((Prf::Sha256, u64::MAX, 1))
        );
        assert_eq!(
            work(&format!("sha512:99999999999999999999:c2FsdA==:{out}")),
            Some((Prf::Sha512, u64::MAX, 1))
        );
        // Beyond the crate's 32 bits: false at once, nothing computed.
        assert!(!verify("x", &at("4294967296")));
        assert!(!verify("x", &at("18446744073709551616")));
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$pbkdf2-sha256$"));
        assert!(!verify("x", "$pbkdf2-sha256$0$c2FsdA$AAAA"));
        assert!(!verify("x", "$pbkdf2-sha256$1000$c2FsdA$"));
        assert!(!verify("x", "pbkdf2_sha256$abc$salt$AAAA"));
        assert!(!verify("x", "$pbkdf2-sha256$1000$!!$AAAA"));
        assert!(!verify("x", "sha256:1000:c2FsdA=="));
        assert!(!verify("x", "sha256:1000:c2FsdA==:AAAA:extra"));
        assert!(!verify(
            "x",
            "sha384:1000:c2FsdA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        ));
        assert!(!verify(
            "x",
            "sha256:+1000:c2FsdA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        ));
    }
}
