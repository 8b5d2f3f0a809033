//! yescrypt (`$y$`, the default of current Debian/Ubuntu/Fedora shadow files) via the yescrypt crate.
//!
//! The parameter field is decoded here (the crate does not tell the mode or `t`, and `t`
//! multiplies the work), in 64-bit arithmetic; a hash whose parameters kensa has not read and
//! admitted is never handed to the crate.

use yescrypt::{PasswordVerifier, Yescrypt};

/// Verify `plain` against a `$y$` hash. Malformed hashes (or parameters needing more memory than
/// [`super::MAX_MEMORY`]) are false.
pub fn verify(plain: &str, hash: &str) -> bool {
    if params(hash).is_none_or(|p| p.memory() > super::MAX_MEMORY) {
        return false;
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

/// The parameters of a `$y$` hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// yescrypt's native read-write mode (else classic scrypt or write-once/read-many).
    pub rw: bool,
    /// log2 N (1..=63).
    pub n_log2: u32,
    pub r: u32,
    pub p: u32,
    /// Extra time factor (0 is the default).
    pub t: u32,
}

impl Params {
    /// N.
    pub fn n(&self) -> u64 {
        1u64 << self.n_log2
    }

    /// Bytes one verification allocates: V (128·r·N), B (128·r·p), XY and one 12 KiB S-box per
    /// thread of p. Saturating.
    pub fn memory(&self) -> u64 {
        let (r, p) = (u64::from(self.r), u64::from(self.p));
        128u64
            .saturating_mul(r)
            .saturating_mul(self.n().saturating_add(p).saturating_add(2))
            .saturating_add(p.saturating_mul(12 * 1024))
    }

    /// Block operations of one verification in thirds of N·r (SMix1 is N, SMix2 what `t` makes
    /// it): read-write mode 4/3 N at t = 0, 5/3 N at t = 1, t·N above; the other modes 2 N,
    /// 5/2 N, (t+1)·N.
    pub fn thirds(&self) -> u64 {
        let t = u64::from(self.t);
        match (self.rw, t) {
            (true, 0) => 4,
            (true, 1) => 5,
            (true, _) => 3 * t,
            (false, 0) => 6,
            (false, 1) => 8,
            (false, _) => 3 * (t + 1),
        }
    }
}

/// The parameters of a `$y$` hash, decoded from its parameter field; `None` when they do not
/// decode or the crate would refuse them.
pub fn params(hash: &str) -> Option<Params> {
    let field = hash.strip_prefix("$y$")?.split('$').next()?.as_bytes();
    let mut pos = 0;
    let flavor = decode(field, &mut pos, 0)?;
    // Classic scrypt, write-once/read-many, and read-write with the flags the crate supports.
    let rw = match flavor {
        0 | 1 => false,
        0b10_1111 => true,
        _ => return None,
    };
    let n_log2 = decode(field, &mut pos, 1)?;
    let r = decode(field, &mut pos, 1)?;
    let (mut p, mut t) = (1, 0);
    if pos < field.len() {
        let have = decode(field, &mut pos, 1)?;
        if have & 1 != 0 {
            p = decode(field, &mut pos, 2)?;
        }
        if have & 2 != 0 {
            t = decode(field, &mut pos, 1)?;
        }
        // g (cost upgrades) and NROM: the crate supports neither.
        if have & !3 != 0 {
            return None;
        }
    }
    if pos != field.len() || n_log2 > 63 || u64::from(r) * u64::from(p) >= 1 << 30 {
        return None;
    }
    // Read-write mode needs N / p > 1 and r of at least one pwxform block.
    if rw && ((1u64 << n_log2) / u64::from(p) <= 1 || r < 1) {
        return None;
    }
    Some(Params {
        rw,
        n_log2,
        r,
        p,
        t,
    })
}

/// One variable-length number of yescrypt's parameter encoding (as `decode64_uint32` in the
/// reference implementation), at least `min`; `None` past the end, on a character outside the
/// alphabet, or above 32 bits.
fn decode(src: &[u8], pos: &mut usize, min: u32) -> Option<u32> {
    let atoi = |b: u8| -> Option<u64> {
        let i = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .iter()
            .position(|&c| c == b)?;
        Some(i as u64)
    };
    let c = atoi(*src.get(*pos)?)?;
    *pos += 1;
    let (mut start, mut end, mut chars, mut bits) = (0u64, 47u64, 1u32, 0u32);
    let mut dst = u64::from(min);
    while c > end {
        dst += (end + 1 - start) << bits;
        start = end + 1;
        end = start + (62 - end) / 2;
        chars += 1;
        bits += 6;
    }
    dst += (c - start) << bits;
    while chars > 1 {
        chars -= 1;
        let c = atoi(*src.get(*pos)?)?;
        *pos += 1;
        bits -= 6;
        dst += c << bits;
    }
    u32::try_from(dst).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parsing() {
        // j9T: the libxcrypt default (N = 4096, r = 32).
        let p = params("$y$j9T$salt$hash").unwrap();
        assert_eq!((p.rw, p.n(), p.r, p.p, p.t), (true, 4096, 32, 1, 0));
        assert_eq!(p.memory(), 128 * 32 * (4096 + 3) + 12 * 1024);
        // `have` = 2, then t = 1; `have` = 3, then p = 2 and t = 2.
        assert_eq!(params("$y$j9T/.$s$h").unwrap().t, 1);
        let p = params("$y$j9T0./$s$h").unwrap();
        assert_eq!((p.p, p.t), (2, 2));
        assert_eq!(params("$y$!!$salt$hash"), None);
        assert_eq!(params("$y$j9$salt$hash"), None);
        // g and NROM are refused, as is anything after the fields.
        assert_eq!(params("$y$j9T1.$s$h"), None);
        assert_eq!(params("$y$j9T/.x$s$h"), None);
    }

    #[test]
    fn params_agree_with_the_crate() {
        for field in [
            "j9T", "j75", "jAT", "jBT", "j9T/.", "j9T//", "j9T0./", "/9T", ".9T",
        ] {
            let ours = params(&format!("$y${field}$s$h")).expect(field);
            let theirs: yescrypt::Params = field.parse().expect(field);
            assert_eq!(ours.n(), theirs.n(), "{field}");
            assert_eq!(ours.r, theirs.r(), "{field}");
            assert_eq!(ours.p, theirs.p(), "{field}");
        }
    }

    #[test]
    fn extreme_fields_decode_without_overflow() {
        // The largest number (six characters) is read exactly; a seventh character is not read.
        assert_eq!(decode(b"zzzzzz", &mut 0, 1), Some(1_091_060_272));
        let mut pos = 0;
        assert_eq!(decode(b"zzzzzzz", &mut pos, 1), Some(1_091_060_272));
        assert_eq!(pos, 6);
        assert_eq!(decode(b"0", &mut 0, 1), Some(3));
        // Three characters: 48 + 8·64 values below, then (59 - 56)·4096 and two more of 6 bits.
        assert_eq!(decode(b"v./", &mut 0, 0), Some(48 + 8 * 64 + 3 * 4096 + 1));
        assert_eq!(decode(b"v.", &mut 0, 0), None);
        // N = 2^63 is read (and needs more memory than kensa allows); N = 2^64 is not.
        let max = params("$y$jxT$s$h");
        assert!(max.is_none_or(|p| p.n_log2 <= 63));
        let mut seen = 0;
        let alphabet = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for &a in alphabet.iter().step_by(3) {
            for &b in alphabet.iter().step_by(5) {
                for tail in ["", "T", "zz", "zzzzzz", "T/z", "Tzzzzzz", "T3zzzzzzzz"] {
                    let field = format!("j{}{}{tail}", a as char, b as char);
                    if let Some(p) = params(&format!("$y${field}$s$h")) {
                        seen += 1;
                        assert!(p.n_log2 <= 63 && u64::from(p.r) * u64::from(p.p) < 1 << 30);
                        let _ = (p.memory(), p.thirds());
                    }
                }
            }
        }
        assert!(seen > 50, "{seen}");
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$y$"));
        assert!(!verify("x", "$y$j9T$"));
        assert!(!verify("x", "$y$j9T$abc$def$ghi"));
    }
}
