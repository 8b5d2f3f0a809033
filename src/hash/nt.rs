//! Windows NT and LM hashes: the unsalted schemes of SAM/NTDS dumps, computed directly.

use des::cipher::{BlockCipherEncrypt, KeyInit};
use des::Des;
use md4::{Digest, Md4};

/// NT hash: MD4 over the UTF-16LE code units of the raw string (no normalisation).
pub fn nt(plain: &str) -> [u8; 16] {
    let utf16: Vec<u8> = plain.encode_utf16().flat_map(u16::to_le_bytes).collect();
    Md4::digest(&utf16).into()
}

/// LM hash, or `None` when the password cannot have one (longer than 14 bytes once upper-cased
/// in the OEM code page; non-ASCII characters are treated as not representable).
pub fn lm(plain: &str) -> Option<[u8; 16]> {
    if !plain.is_ascii() {
        return None;
    }
    let upper = plain.to_ascii_uppercase();
    if upper.len() > 14 {
        return None;
    }
    let mut pw = [0u8; 14];
    pw[..upper.len()].copy_from_slice(upper.as_bytes());
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&lm_half(&pw[..7]));
    out[8..].copy_from_slice(&lm_half(&pw[7..]));
    Some(out)
}

/// One half of an LM hash: DES of the constant under a key made of 7 upper-case bytes
/// (shorter input is padded with zeros, as LM pads the password to 14).
pub fn lm_half(upper: &[u8]) -> [u8; 8] {
    let mut seven = [0u8; 7];
    let n = upper.len().min(7);
    seven[..n].copy_from_slice(&upper[..n]);
    let key = des_key(&seven);
    let cipher = Des::new(&key.into());
    let mut block = (*b"KGS!@#$%").into();
    cipher.encrypt_block(&mut block);
    block.into()
}

/// Decode a 32-hex-digit NT/LM hash (any case) to its 16 bytes.
pub fn parse_hex16(hash: &str) -> Option<[u8; 16]> {
    let h = hash.trim();
    if h.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    hex::decode_to_slice(h, &mut out).ok()?;
    Some(out)
}

/// Spread 7 bytes (56 bits) over the 8 bytes of a DES key, 7 bits each (parity bit left 0).
fn des_key(seven: &[u8]) -> [u8; 8] {
    let mut bits: u64 = 0;
    for b in seven {
        bits = (bits << 8) | u64::from(*b);
    }
    let mut key = [0u8; 8];
    for (i, k) in key.iter_mut().enumerate() {
        let shift = 49 - 7 * i as u32;
        *k = (((bits >> shift) & 0x7f) as u8) << 1;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nt_known_values() {
        assert_eq!(
            hex::encode(nt("password")),
            "8846f7eaee8fb117ad06bdd830b7586c"
        );
        assert_eq!(hex::encode(nt("")), "31d6cfe0d16ae931b73c59d7e0c089c0");
    }

    #[test]
    fn lm_known_values() {
        assert_eq!(
            hex::encode(lm("password").unwrap()),
            "e52cac67419a9a224a3b108f3fa6cb6d"
        );
        assert_eq!(
            hex::encode(lm("").unwrap()),
            "aad3b435b51404eeaad3b435b51404ee"
        );
        // Case-insensitive by construction.
        assert_eq!(lm("PassWord"), lm("password"));
        assert!(lm("fifteen-chars!!").is_none());
        assert!(lm("14-chars-ok!!!").is_some());
    }

    #[test]
    fn hex_parsing() {
        assert_eq!(
            parse_hex16("8846F7EAEE8FB117AD06BDD830B7586C"),
            Some(nt("password"))
        );
        assert_eq!(parse_hex16("8846f7"), None);
        assert_eq!(parse_hex16("zz46f7eaee8fb117ad06bdd830b7586c"), None);
    }
}
