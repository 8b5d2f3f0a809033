//! Checks kensa's hash module against vectors made by independent tools
//! (tests/fixtures/hashes/generate.py: libpass, libxcrypt, htpasswd, impacket, argon2, hashlib, openssl).

use kensa::hash;
use kensa::model::Scheme;

const VECTORS: &str = include_str!("../fixtures/hashes/vectors.tsv");

const ALL_SCHEMES: [Scheme; 14] = [
    Scheme::Nt,
    Scheme::Lm,
    Scheme::Md5crypt,
    Scheme::Apr1,
    Scheme::Sha256crypt,
    Scheme::Sha512crypt,
    Scheme::Bcrypt,
    Scheme::Yescrypt,
    Scheme::Argon2,
    Scheme::Pbkdf2,
    Scheme::Scrypt,
    Scheme::Sha1,
    Scheme::Ssha,
    Scheme::Plaintext,
];

struct Vector {
    line: usize,
    scheme: Scheme,
    tool: String,
    plain: String,
    hash: String,
}

impl Vector {
    /// Identifies a vector in assertion messages without quoting the whole hash.
    fn at(&self) -> String {
        let prefix: String = self.hash.chars().take(8).collect();
        format!("vectors.tsv:{} ({} {prefix})", self.line, self.tool)
    }
}

fn vectors() -> Vec<Vector> {
    VECTORS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "line {}: 4 fields", i + 1);
            let scheme = ALL_SCHEMES
                .into_iter()
                .find(|s| s.as_str() == f[0])
                .unwrap_or_else(|| panic!("line {}: unknown scheme", i + 1));
            let plain = String::from_utf8(hex::decode(f[2]).expect("hex plaintext"))
                .expect("utf-8 plaintext");
            Vector {
                line: i + 1,
                scheme,
                tool: f[1].to_string(),
                plain,
                hash: f[3].to_string(),
            }
        })
        .collect()
}

/// A different password for the negative check; it must differ for LM too (case-insensitive).
fn wrong(plain: &str) -> String {
    if plain.is_empty() {
        "x".to_string()
    } else {
        let mut w: String = plain.chars().skip(1).collect();
        w.push('9');
        w
    }
}

#[test]
fn fixture_covers_every_hash_scheme() {
    let v = vectors();
    for s in ALL_SCHEMES.iter().filter(|s| **s != Scheme::Plaintext) {
        let tools: std::collections::BTreeSet<&str> = v
            .iter()
            .filter(|x| x.scheme == *s)
            .map(|x| x.tool.split(['.', '-']).next().unwrap())
            .collect();
        assert!(
            tools.len() >= 2,
            "{}: vectors from at least two independent tools",
            s.as_str()
        );
        // LM has no non-ASCII vector: Windows stores none kensa can reproduce (OEM code page).
        assert!(
            *s == Scheme::Lm || v.iter().any(|x| x.scheme == *s && !x.plain.is_ascii()),
            "{}: a non-ASCII vector",
            s.as_str()
        );
        assert!(
            v.iter().any(|x| x.scheme == *s && x.plain.is_empty()),
            "{}: an empty-password vector",
            s.as_str()
        );
    }
}

#[test]
fn identify_gives_the_scheme() {
    for v in vectors() {
        let want = if v.scheme == Scheme::Lm {
            // A bare 32-hex value cannot be told apart from NT; pwdump says which column it is.
            Scheme::Nt
        } else {
            v.scheme
        };
        assert_eq!(hash::identify(&v.hash), Some(want), "{}", v.at());
    }
}

#[test]
fn verify_right_and_wrong_plaintext() {
    for v in vectors() {
        assert!(
            hash::verify(v.scheme, &v.plain, &v.hash),
            "right: {}",
            v.at()
        );
        assert!(
            !hash::verify(v.scheme, &wrong(&v.plain), &v.hash),
            "wrong: {}",
            v.at()
        );
    }
}

#[test]
fn unsalted_digest_joins_stored_digest() {
    let mut n = 0;
    for v in vectors().into_iter().filter(|v| v.scheme.is_unsalted()) {
        let stored = hash::stored_digest(v.scheme, &v.hash).expect("stored digest");
        assert_eq!(hash::digest(v.scheme, &v.plain), Some(stored), "{}", v.at());
        n += 1;
    }
    assert!(n >= 15);
}

#[test]
fn costs_are_positive_and_ordered() {
    for v in vectors() {
        let c = hash::cost(v.scheme, &v.hash);
        assert!((1..u64::MAX).contains(&c), "{}", v.at());
        if !v.scheme.is_unsalted() && v.scheme != Scheme::Ssha {
            assert!(
                c > 100,
                "salted slow scheme costs more than 100 NT: {}",
                v.at()
            );
        }
    }
}

#[test]
fn malformed_hashes_verify_false_without_panicking() {
    let mut checked = 0;
    for v in vectors() {
        let h = &v.hash;
        let mut variants: Vec<String> = Vec::new();
        // Truncations (at char boundaries), a doubled separator, a multibyte intruder, junk tail.
        for (i, _) in h.char_indices().step_by(4) {
            variants.push(h[..i].to_string());
        }
        variants.push(h.replacen('$', "$$", 2));
        variants.push(format!("{}é{}", &h[..h.len() / 2], &h[h.len() / 2..]));
        variants.push(format!("{h}$extra"));
        variants.push(h.replace(['=', ','], "~"));
        for m in variants {
            if m == *h {
                continue;
            }
            // Must not panic; a mangled hash must not accept the plaintext.
            let ok = hash::verify(v.scheme, &v.plain, &m);
            let _ = hash::identify(&m);
            let _ = hash::cost(v.scheme, &m);
            let _ = hash::stored_digest(v.scheme, &m);
            if ok {
                // The only harmless mangling: base64 padding dropped from the end.
                let dropped_padding =
                    h.starts_with(m.as_str()) && h[m.len()..].chars().all(|c| c == '=');
                assert!(dropped_padding, "mangled hash verified: {}", v.at());
            }
            checked += 1;
        }
    }
    assert!(checked > 1000);
}
