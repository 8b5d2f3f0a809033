//! md5crypt (`$1$`) and Apache's `$apr1$` variant: no maintained crate does them, so here on md-5.

use md5::{Digest, Md5};

/// Verify `plain` against a `$1$salt$hash` or `$apr1$salt$hash` string.
pub fn verify(plain: &str, hash: &str) -> bool {
    let Some((magic, rest)) = split_magic(hash) else {
        return false;
    };
    let Some((salt, encoded)) = rest.split_once('$') else {
        return false;
    };
    if encoded.len() != 22 || salt.len() > 8 {
        return false;
    }
    let computed = md5crypt(plain.as_bytes(), salt.as_bytes(), magic);
    super::ct_eq(computed.as_bytes(), encoded.as_bytes())
}

/// The 22-character md5crypt output for `password` and `salt` (at most 8 bytes used) under
/// `magic` (`"$1$"` or `"$apr1$"`).
pub fn md5crypt(password: &[u8], salt: &[u8], magic: &str) -> String {
    let salt = &salt[..salt.len().min(8)];
    let alt = {
        let mut h = Md5::new();
        h.update(password);
        h.update(salt);
        h.update(password);
        h.finalize()
    };
    let mut ctx = Md5::new();
    ctx.update(password);
    ctx.update(magic.as_bytes());
    ctx.update(salt);
    let mut left = password.len();
    while left > 0 {
        let n = left.min(16);
        ctx.update(&alt[..n]);
        left -= n;
    }
    let mut i = password.len();
    while i > 0 {
        if i & 1 == 1 {
            ctx.update([0u8]);
        } else {
            ctx.update(&password[..1]);
        }
        i >>= 1;
    }
    let mut fin: [u8; 16] = ctx.finalize().into();
    for round in 0..1000 {
        let mut h = Md5::new();
        if round & 1 == 1 {
            h.update(password);
        } else {
            h.update(fin);
        }
        if round % 3 != 0 {
            h.update(salt);
        }
        if round % 7 != 0 {
            h.update(password);
        }
        if round & 1 == 1 {
            h.update(fin);
        } else {
            h.update(password);
        }
        fin = h.finalize().into();
    }
    let mut out = String::with_capacity(22);
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        let v = (u32::from(fin[a]) << 16) | (u32::from(fin[b]) << 8) | u32::from(fin[c]);
        push_b64(&mut out, v, 4);
    }
    push_b64(&mut out, u32::from(fin[11]), 2);
    out
}

const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn push_b64(out: &mut String, mut v: u32, n: usize) {
    for _ in 0..n {
        out.push(ITOA64[(v & 0x3f) as usize] as char);
        v >>= 6;
    }
}

fn split_magic(hash: &str) -> Option<(&'static str, &str)> {
    if let Some(rest) = hash.strip_prefix("$1$") {
        Some(("$1$", rest))
    } else {
        hash.strip_prefix("$apr1$").map(|rest| ("$apr1$", rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // openssl passwd -1 -salt saltsalt password / openssl passwd -apr1 -salt saltsalt password
        assert!(verify("password", "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"));
        assert!(verify("password", "$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/"));
        assert!(!verify("Password", "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"));
    }

    #[test]
    fn malformed_is_false() {
        assert!(!verify("x", "$1$"));
        assert!(!verify("x", "$1$abc"));
        assert!(!verify("x", "$1$abc$short"));
        assert!(!verify("x", "$5$abc$qjXMvbEw8oaL.CzflDugX/"));
    }
}
