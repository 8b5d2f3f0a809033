//! Hash schemes: identify a stored hash, verify a plaintext against it, fast digests for unsalted schemes.

mod argon2;
mod bcrypt;
pub mod hashcat;
mod ldap;
pub mod md4x;
mod md5crypt;
mod nt;
mod pbkdf2;
mod scrypt;
mod shacrypt;
mod yescrypt;

use crate::model::evidence::SaltedSkip;
use crate::model::Scheme;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// Identify the scheme of a stored hash string (as found in shadow/htpasswd/LDAP/pot/inventory).
/// A bare 32-hex-digit string is taken as NT.
pub fn identify(hash: &str) -> Option<Scheme> {
    let h = strip_ldap_crypt(hash.trim());
    if let Some((tag, _)) = ldap_tag(h) {
        return match tag.to_ascii_uppercase().as_str() {
            "SHA" => Some(Scheme::Sha1),
            "SSHA" => Some(Scheme::Ssha),
            _ => None,
        };
    }
    let prefixes: &[(&str, Scheme)] = &[
        ("$1$", Scheme::Md5crypt),
        ("$apr1$", Scheme::Apr1),
        ("$5$", Scheme::Sha256crypt),
        ("$6$", Scheme::Sha512crypt),
        ("$2a$", Scheme::Bcrypt),
        ("$2b$", Scheme::Bcrypt),
        ("$2y$", Scheme::Bcrypt),
        ("$y$", Scheme::Yescrypt),
        ("$argon2i$", Scheme::Argon2),
        ("$argon2d$", Scheme::Argon2),
        ("$argon2id$", Scheme::Argon2),
        ("$pbkdf2$", Scheme::Pbkdf2),
        ("$pbkdf2-sha1$", Scheme::Pbkdf2),
        ("$pbkdf2-sha256$", Scheme::Pbkdf2),
        ("$pbkdf2-sha512$", Scheme::Pbkdf2),
        ("pbkdf2_sha256$", Scheme::Pbkdf2),
        ("pbkdf2_sha1$", Scheme::Pbkdf2),
        ("$scrypt$", Scheme::Scrypt),
    ];
    for (p, s) in prefixes {
        if h.starts_with(p) {
            return Some(*s);
        }
    }
    if h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(Scheme::Nt);
    }
    None
}

/// `{CRYPT}$6$...` (any case of the tag) => `$6$...`; anything else is returned unchanged.
pub fn strip_ldap_crypt(hash: &str) -> &str {
    match ldap_tag(hash) {
        Some((tag, rest)) if tag.eq_ignore_ascii_case("CRYPT") => rest,
        _ => hash,
    }
}

/// Does `plain` produce `hash` under `scheme`? Malformed hashes verify as false.
pub fn verify(scheme: Scheme, plain: &str, hash: &str) -> bool {
    let h = strip_ldap_crypt(hash.trim());
    match scheme {
        Scheme::Nt => nt::parse_hex16(h).is_some_and(|d| ct_eq(&d, &nt::nt(plain))),
        Scheme::Lm => match (nt::parse_hex16(h), nt::lm(plain)) {
            (Some(d), Some(l)) => ct_eq(&d, &l),
            _ => false,
        },
        Scheme::Md5crypt => h.starts_with("$1$") && md5crypt::verify(plain, h),
        Scheme::Apr1 => h.starts_with("$apr1$") && md5crypt::verify(plain, h),
        Scheme::Sha256crypt => h.starts_with("$5$") && shacrypt::verify(plain, h),
        Scheme::Sha512crypt => h.starts_with("$6$") && shacrypt::verify(plain, h),
        Scheme::Bcrypt => bcrypt::verify(plain, h),
        Scheme::Yescrypt => yescrypt::verify(plain, h),
        Scheme::Argon2 => argon2::verify(plain, h),
        Scheme::Pbkdf2 => pbkdf2::verify(plain, h),
        Scheme::Scrypt => scrypt::verify(plain, h),
        Scheme::Sha1 => ldap::verify_sha(plain, h),
        Scheme::Ssha => ldap::verify_ssha(plain, h),
        Scheme::Plaintext => ct_eq(plain.as_bytes(), hash.as_bytes()),
    }
}

/// The NT hash: MD4 over the UTF-16LE encoding of the raw (not normalised) string.
pub fn nt(plain: &str) -> [u8; 16] {
    nt::nt(plain)
}

/// SHA-1 over UTF-8 (the form Pwned Passwords indexes).
pub fn sha1(plain: &str) -> [u8; 20] {
    use sha1::Digest;
    sha1::Sha1::digest(plain.as_bytes()).into()
}

/// For unsalted schemes (NT, LM, {SHA}): the raw digest stored in `hash`, to join against.
pub fn stored_digest(scheme: Scheme, hash: &str) -> Option<Vec<u8>> {
    let h = hash.trim();
    match scheme {
        Scheme::Nt | Scheme::Lm => nt::parse_hex16(h).map(|d| d.to_vec()),
        Scheme::Sha1 => ldap::sha_digest(h),
        _ => None,
    }
}

/// For unsalted schemes: the digest of `plain`, comparable with `stored_digest`.
/// LM: `None` when the plaintext cannot have an LM hash (longer than 14 characters).
pub fn digest(scheme: Scheme, plain: &str) -> Option<Vec<u8>> {
    match scheme {
        Scheme::Nt => Some(nt::nt(plain).to_vec()),
        Scheme::Lm => nt::lm(plain).map(|d| d.to_vec()),
        Scheme::Sha1 => Some(sha1(plain).to_vec()),
        _ => None,
    }
}

/// LM hash of `plain`, or `None` when it has none (longer than 14 characters, or non-ASCII:
/// the OEM code-page conversion Windows applies is not modelled).
pub fn lm(plain: &str) -> Option<[u8; 16]> {
    nt::lm(plain)
}

/// One half of an LM hash from at most 7 bytes already upper-cased (ASCII).
pub fn lm_half(upper: &[u8]) -> [u8; 8] {
    nt::lm_half(upper)
}

/// Memory one verification may allocate: a hash whose parameters need more is never verified,
/// whatever the budget.
pub const MAX_MEMORY: u64 = 1 << 30;

/// Nanoseconds of one core per unit of [`cost`] on the reference machine (one NT hash there; see
/// BENCHMARKS.md, "Salted cost calibration"): what a budget in units means in time.
pub const NANOS_PER_UNIT: u64 = 80;

/// What one verification against a stored hash takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effort {
    /// Work, in NT-hash units (saturating: `u64::MAX` is more than any budget).
    pub units: u64,
    /// Bytes allocated (saturating; 0 where it is a few KiB).
    pub memory: u64,
}

/// The work and memory of one verification against `hash`, from its parameters alone (nothing
/// is allocated beyond the hash's own length, and no arithmetic wraps). `None` when the
/// parameters cannot be read.
pub fn effort(scheme: Scheme, hash: &str) -> Option<Effort> {
    let h = strip_ldap_crypt(hash.trim());
    let cpu = |units: u64| Effort { units, memory: 0 };
    let e = match scheme {
        Scheme::Nt | Scheme::Sha1 | Scheme::Ssha | Scheme::Plaintext => cpu(1),
        Scheme::Lm => cpu(COST_LM),
        Scheme::Md5crypt | Scheme::Apr1 => cpu(COST_MD5CRYPT),
        Scheme::Sha256crypt => cpu(scaled(
            &[shacrypt::rounds(h)?],
            COST_SHA256CRYPT_PER_1000_ROUNDS,
            1000,
        )),
        Scheme::Sha512crypt => cpu(scaled(
            &[shacrypt::rounds(h)?],
            COST_SHA512CRYPT_PER_1000_ROUNDS,
            1000,
        )),
        Scheme::Bcrypt => cpu(scaled(
            &[1u64 << bcrypt::cost_of(h)?],
            COST_BCRYPT_PER_ROUND,
            1,
        )),
        Scheme::Yescrypt => {
            let p = yescrypt::params(h)?;
            Effort {
                units: scaled(
                    &[p.n(), u64::from(p.r), p.thirds()],
                    COST_YESCRYPT_PER_1000_NR_THIRDS,
                    1000,
                ),
                memory: p.memory(),
            }
        }
        Scheme::Argon2 => {
            let (m, t, _) = argon2::params(h)?;
            let per_kib = t
                .saturating_mul(COST_ARGON2_PER_KIB_PASS)
                .saturating_add(COST_ARGON2_PER_KIB_FILL);
            Effort {
                units: scaled(&[m, per_kib], 1, 1),
                memory: argon2::memory(m),
            }
        }
        Scheme::Pbkdf2 => {
            let (prf, iterations, blocks) = pbkdf2::work(h)?;
            let per_iteration_x10 = match prf {
                pbkdf2::Prf::Sha1 => COST_PBKDF2_SHA1_PER_10_ITERATIONS,
                pbkdf2::Prf::Sha256 => COST_PBKDF2_SHA256_PER_10_ITERATIONS,
                pbkdf2::Prf::Sha512 => COST_PBKDF2_SHA512_PER_10_ITERATIONS,
            };
            cpu(scaled(&[iterations, blocks], per_iteration_x10, 10))
        }
        Scheme::Scrypt => {
            let (ln, r, p) = scrypt::params(h)?;
            let n = 1u64.checked_shl(u32::from(ln)).unwrap_or(u64::MAX);
            Effort {
                units: scaled(&[n, u64::from(r), u64::from(p)], COST_SCRYPT_PER_10_NRP, 10)
                    .saturating_add(COST_SCRYPT_OVERHEAD),
                memory: scrypt::memory(ln, r, p),
            }
        }
    };
    Some(Effort {
        units: e.units.max(1),
        ..e
    })
}

/// Relative cost of one verification against `hash` (1 = one NT hash), from its parameters;
/// `u64::MAX` when they cannot be read. Used to fit salted recovery into a budget.
pub fn cost(scheme: Scheme, hash: &str) -> u64 {
    effort(scheme, hash).map_or(u64::MAX, |e| e.units)
}

/// The one rule for every verification against a salted hash (pot-file lines, known plaintexts,
/// candidates): one verification is attempted only when it needs at most [`MAX_MEMORY`] and
/// costs at most `budget` units, the budget per hash (`--salted-budget`). `Ok` is the cost of
/// one try; `Err` says why nothing may be tried.
pub fn admit(scheme: Scheme, hash: &str, budget: u64) -> Result<u64, SaltedSkip> {
    let e = effort(scheme, hash).ok_or(SaltedSkip::Malformed)?;
    if e.memory > MAX_MEMORY {
        Err(SaltedSkip::MemoryExceedsLimit)
    } else if e.units > budget {
        Err(SaltedSkip::CostExceedsBudget)
    } else {
        Ok(e.units)
    }
}

/// The cost parameters of a stored hash in a few words (`cost=20`, `rounds=999999999`,
/// `m=65536,t=3,p=4`, `N=2^12,r=32`, `sha256,i=600000`, `ln=16,r=8,p=1`), written from the
/// numbers kensa read, never copied from the hash; `None` for schemes without parameters and
/// for parameters that cannot be read.
pub fn parameters(scheme: Scheme, hash: &str) -> Option<String> {
    let h = strip_ldap_crypt(hash.trim());
    Some(match scheme {
        Scheme::Bcrypt => format!("cost={}", bcrypt::cost_of(h)?),
        Scheme::Sha256crypt | Scheme::Sha512crypt => format!("rounds={}", shacrypt::rounds(h)?),
        Scheme::Yescrypt => {
            let p = yescrypt::params(h)?;
            let mut s = format!("N=2^{},r={}", p.n_log2, p.r);
            if p.p != 1 {
                s.push_str(&format!(",p={}", p.p));
            }
            if p.t != 0 {
                s.push_str(&format!(",t={}", p.t));
            }
            s
        }
        Scheme::Argon2 => {
            let (m, t, p) = argon2::params(h)?;
            format!("m={m},t={t},p={p}")
        }
        Scheme::Pbkdf2 => {
            let (prf, iterations, _) = pbkdf2::work(h)?;
            format!("{},i={iterations}", prf.name())
        }
        Scheme::Scrypt => {
            let (ln, r, p) = scrypt::params(h)?;
            format!("ln={ln},r={r},p={p}")
        }
        _ => return None,
    })
}

/// A number of ASCII digits only; one too long for 64 bits is taken as the largest.
pub(crate) fn decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

/// The product of `factors`, times `num / den`, saturating at `u64::MAX`.
fn scaled(factors: &[u64], num: u64, den: u64) -> u64 {
    let p = factors
        .iter()
        .fold(u128::from(num), |a, &f| a.saturating_mul(u128::from(f)));
    u64::try_from(p / u128::from(den.max(1))).unwrap_or(u64::MAX)
}

/// Split `{TAG}rest` into `(TAG, rest)`.
fn ldap_tag(hash: &str) -> Option<(&str, &str)> {
    let rest = hash.strip_prefix('{')?;
    let end = rest.find('}')?;
    Some((&rest[..end], &rest[end + 1..]))
}

// Relative costs (1 = one NT hash: MD4 of a 12-character password in the md4 crate, ~80 ns of one
// core), measured with `cargo test --release --lib hash::tests::measure_costs -- --ignored
// --nocapture` on the 2-core reference machine at the parameters met in the field (thread CPU
// time, best of three; figures in BENCHMARKS.md, "Salted cost calibration (issue 11)"). Where the
// cost per unit of a parameter grows with memory (argon2, yescrypt, scrypt), the constant is the
// one of the larger sizes: an estimate errs on the dear side.
const COST_LM: u64 = 2;
const COST_MD5CRYPT: u64 = 1_820;
const COST_SHA256CRYPT_PER_1000_ROUNDS: u64 = 1_020;
const COST_SHA512CRYPT_PER_1000_ROUNDS: u64 = 3_610;
const COST_BCRYPT_PER_ROUND: u64 = 900;
/// yescrypt: 0.85 per N·r per third of N (read-write mode at t = 0 runs 4 thirds).
const COST_YESCRYPT_PER_1000_NR_THIRDS: u64 = 850;
/// argon2: per KiB of `m`, per pass and once for filling the memory.
const COST_ARGON2_PER_KIB_PASS: u64 = 8;
const COST_ARGON2_PER_KIB_FILL: u64 = 6;
/// PBKDF2: per ten iterations of one output block (SHA-1 and SHA-256 use SHA extensions).
const COST_PBKDF2_SHA1_PER_10_ITERATIONS: u64 = 14;
const COST_PBKDF2_SHA256_PER_10_ITERATIONS: u64 = 16;
const COST_PBKDF2_SHA512_PER_10_ITERATIONS: u64 = 64;
/// scrypt: per ten units of N·r·p, plus the PBKDF2 wrapping.
const COST_SCRYPT_PER_10_NRP: u64 = 36;
const COST_SCRYPT_OVERHEAD: u64 = 30;

/// Constant-time equality of two byte strings (length is not secret).
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Lenient base64: standard alphabet or passlib's adapted one (`.` for `+`), padding optional.
pub(crate) fn b64_decode(s: &str) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let s = s.trim();
    if s.contains('.') {
        LENIENT.decode(s.replace('.', "+")).ok()
    } else {
        LENIENT.decode(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identify_prefixes() {
        let cases = [
            ("8846F7EAEE8FB117AD06BDD830B7586C", Some(Scheme::Nt)),
            ("$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", Some(Scheme::Md5crypt)),
            ("$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/", Some(Scheme::Apr1)),
            ("$5$salt$x", Some(Scheme::Sha256crypt)),
            ("$6$rounds=1000$salt$x", Some(Scheme::Sha512crypt)),
            ("{CRYPT}$6$salt$x", Some(Scheme::Sha512crypt)),
            ("{crypt}$y$j9T$salt$x", Some(Scheme::Yescrypt)),
            ("$2y$05$x", Some(Scheme::Bcrypt)),
            ("$argon2id$v=19$m=1024,t=1,p=1$s$h", Some(Scheme::Argon2)),
            ("$pbkdf2$1000$s$h", Some(Scheme::Pbkdf2)),
            ("pbkdf2_sha256$1000$s$h", Some(Scheme::Pbkdf2)),
            ("$scrypt$ln=4,r=8,p=1$s$h", Some(Scheme::Scrypt)),
            ("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", Some(Scheme::Sha1)),
            ("{ssha}abc", Some(Scheme::Ssha)),
            ("{MD5}abc", None),
            ("8846f7eaee8fb117ad06bdd830b7586", None),
            ("hunter2", None),
            ("", None),
        ];
        for (h, want) in cases {
            assert_eq!(identify(h), want, "prefix {}", &h[..h.len().min(8)]);
        }
    }

    #[test]
    fn strip_crypt() {
        assert_eq!(strip_ldap_crypt("{CRYPT}$6$a$b"), "$6$a$b");
        assert_eq!(strip_ldap_crypt("{SHA}abc"), "{SHA}abc");
        assert_eq!(strip_ldap_crypt("$6$a$b"), "$6$a$b");
    }

    #[test]
    fn unsalted_digests_join() {
        let nt_hex = "8846F7EAEE8FB117AD06BDD830B7586C";
        assert_eq!(
            stored_digest(Scheme::Nt, nt_hex),
            digest(Scheme::Nt, "password")
        );
        assert_eq!(
            stored_digest(Scheme::Lm, "e52cac67419a9a224a3b108f3fa6cb6d"),
            digest(Scheme::Lm, "password")
        );
        assert_eq!(digest(Scheme::Lm, "longer-than-14-chars"), None);
        assert_eq!(
            stored_digest(Scheme::Sha1, "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="),
            digest(Scheme::Sha1, "password")
        );
        assert_eq!(
            hex::encode(sha1("password")),
            "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"
        );
        assert_eq!(stored_digest(Scheme::Bcrypt, "$2y$05$x"), None);
        assert_eq!(digest(Scheme::Md5crypt, "password"), None);
    }

    #[test]
    fn verify_dispatch() {
        assert!(verify(
            Scheme::Nt,
            "password",
            "8846f7eaee8fb117ad06bdd830b7586c"
        ));
        assert!(!verify(
            Scheme::Nt,
            "Password",
            "8846f7eaee8fb117ad06bdd830b7586c"
        ));
        assert!(verify(
            Scheme::Lm,
            "PASSWORD",
            "e52cac67419a9a224a3b108f3fa6cb6d"
        ));
        assert!(verify(
            Scheme::Md5crypt,
            "password",
            "{CRYPT}$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"
        ));
        // The scheme must match the hash's prefix.
        assert!(!verify(
            Scheme::Apr1,
            "password",
            "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"
        ));
        assert!(!verify(Scheme::Nt, "password", "not a hash"));
    }

    #[test]
    fn costs_follow_parameters() {
        assert_eq!(cost(Scheme::Nt, "8846f7eaee8fb117ad06bdd830b7586c"), 1);
        let b4 = cost(
            Scheme::Bcrypt,
            "$2b$04$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy",
        );
        let b5 = cost(
            Scheme::Bcrypt,
            "$2b$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy",
        );
        assert_eq!(b5, 2 * b4);
        assert!(
            cost(Scheme::Sha512crypt, "$6$rounds=10000$s$h") > cost(Scheme::Sha512crypt, "$6$s$h")
        );
        assert!(cost(Scheme::Argon2, "$argon2id$v=19$m=65536,t=3,p=4$s$h") > 100_000);
        assert!(cost(Scheme::Md5crypt, "$1$s$h") > 100);
        assert!(
            cost(Scheme::Pbkdf2, "$pbkdf2-sha512$1000$c2FsdA$AAAA")
                > cost(Scheme::Pbkdf2, "$pbkdf2$1000$c2FsdA$AAAA")
        );
        assert!(
            cost(Scheme::Scrypt, "$scrypt$ln=16,r=8,p=1$c2FsdA$AAAA")
                > cost(Scheme::Scrypt, "$scrypt$ln=4,r=8,p=1$c2FsdA$AAAA")
        );
        assert_eq!(cost(Scheme::Bcrypt, "garbage"), u64::MAX);
    }

    #[test]
    fn extreme_parameters_cost_without_overflow_and_are_never_admitted() {
        use SaltedSkip::*;
        let budget = crate::recover::DEFAULT_SALTED_BUDGET;
        let sha512 = "OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.";
        let b64 = "c29tZXNhbHR2YWx1ZQ$wUXAoT3Niz9MNqtr1IvLI4nZyTSTL3yebyHa9oWoA50";
        let y = "7G8SbbVvfgm76ivutSVp2/$P3WIFZKijIZa6MSoKhGcB2sn983SeCwNM7b762JjnF.";
        let cases: Vec<(Scheme, String, SaltedSkip)> = vec![
            (
                Scheme::Bcrypt,
                "$2b$20$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123.".into(),
                CostExceedsBudget,
            ),
            (
                Scheme::Bcrypt,
                "$2b$31$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123.".into(),
                CostExceedsBudget,
            ),
            (
                Scheme::Sha512crypt,
                format!("$6$rounds=999999999$saltstringsaltst${sha512}"),
                CostExceedsBudget,
            ),
            (
                Scheme::Sha512crypt,
                format!("$6$rounds=18446744073709551616999$saltstringsaltst${sha512}"),
                CostExceedsBudget,
            ),
            (
                Scheme::Sha256crypt,
                "{CRYPT}$5$rounds=999999999$s$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5".into(),
                CostExceedsBudget,
            ),
            (
                Scheme::Argon2,
                format!("$argon2id$v=19$m=4294967295,t=3,p=1${b64}"),
                MemoryExceedsLimit,
            ),
            (
                Scheme::Argon2,
                format!("$argon2id$v=19$m=99999999999999999999,t=1,p=1${b64}"),
                MemoryExceedsLimit,
            ),
            (
                Scheme::Argon2,
                format!("$argon2id$v=19$m=1024,t=4294967295,p=1${b64}"),
                CostExceedsBudget,
            ),
            (
                Scheme::Scrypt,
                "$scrypt$ln=63,r=8,p=1$c2FsdA$SacJLauPeSZQdAMb4p0F96eF/9SHtuWCDyy+Ws8nexY".into(),
                MemoryExceedsLimit,
            ),
            (
                Scheme::Scrypt,
                "$scrypt$ln=14,r=8,p=1000$c2FsdA$SacJLauPeSZQdAMb4p0F96eF/9SHtuWCDyy+Ws8nexY"
                    .into(),
                CostExceedsBudget,
            ),
            // N = 2^48; then N = 2^12 with t = 1,091,060,272.
            (Scheme::Yescrypt, format!("$y$jjT${y}"), MemoryExceedsLimit),
            (Scheme::Yescrypt, format!("$y$j9T/zzzzzz${y}"), CostExceedsBudget),
            (
                Scheme::Pbkdf2,
                "$pbkdf2-sha256$18446744073709551616$c2FsdA$A8ha75Y/P/vzs5aBzsWjI5Mx1gFXuUbUy9XpFIzdoYc"
                    .into(),
                CostExceedsBudget,
            ),
            (
                Scheme::Pbkdf2,
                "sha1:4294967295:c2FsdA==:NU5d593yu3UchmP0s3ArjlUlc1k=".into(),
                CostExceedsBudget,
            ),
            (
                Scheme::Bcrypt,
                "$2b$xx$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123.".into(),
                Malformed,
            ),
            (Scheme::Sha512crypt, "$6$rounds=lots$s$x".into(), Malformed),
            (Scheme::Argon2, "$argon2id$v=19$m=1k,t=1,p=1$s$h".into(), Malformed),
            (Scheme::Yescrypt, "$y$~~~$s$h".into(), Malformed),
        ];
        for (scheme, h, why) in &cases {
            let at = format!(
                "{} {}",
                scheme.as_str(),
                parameters(*scheme, h).unwrap_or_default()
            );
            assert_eq!(admit(*scheme, h, budget), Err(*why), "{at}");
            let e = effort(*scheme, h);
            match why {
                Malformed => assert_eq!((e, cost(*scheme, h)), (None, u64::MAX), "{at}"),
                MemoryExceedsLimit => assert!(e.unwrap().memory > MAX_MEMORY, "{at}"),
                CostExceedsBudget => {
                    let e = e.unwrap();
                    assert!(e.units > budget && e.memory <= MAX_MEMORY, "{at}");
                    // No budget is too large for the rule to hold at its edge.
                    assert_eq!(admit(*scheme, h, e.units), Ok(e.units), "{at}");
                    assert_eq!(admit(*scheme, h, e.units - 1), Err(*why), "{at}");
                }
            }
            // Memory is refused whatever the budget, and verify itself never allocates it.
            if *why == MemoryExceedsLimit {
                assert_eq!(admit(*scheme, h, u64::MAX), Err(*why), "{at}");
                assert!(!verify(*scheme, "x", h), "{at}");
            }
        }
        assert_eq!(
            cost(Scheme::Bcrypt, &cases[1].1),
            (1u64 << 31) * COST_BCRYPT_PER_ROUND
        );
        assert_eq!(
            cost(Scheme::Sha512crypt, &cases[3].1),
            cost(Scheme::Sha512crypt, &cases[2].1),
            "rounds clamp at 999,999,999"
        );
        assert_eq!(cost(Scheme::Pbkdf2, &cases[12].1), u64::MAX);
    }

    #[test]
    fn the_hashes_met_in_the_field_are_admitted_by_default() {
        let budget = crate::recover::DEFAULT_SALTED_BUDGET;
        for (scheme, h) in [
            (
                Scheme::Bcrypt,
                "$2b$12$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy",
            ),
            (Scheme::Sha512crypt, "$6$rounds=656000$s$x"),
            (Scheme::Sha512crypt, "$6$s$x"),
            (Scheme::Yescrypt, "$y$j9T$s$x"),
            (Scheme::Argon2, "$argon2id$v=19$m=65536,t=3,p=4$s$h"),
            (
                Scheme::Pbkdf2,
                "pbkdf2_sha256$600000$salt$MOGjoeajng9e94nJZ4tgmTxjmjyTq8ElEpAwQf+vogw=",
            ),
            (
                Scheme::Scrypt,
                "$scrypt$ln=16,r=8,p=1$c2FsdA$SacJLauPeSZQdAMb4p0F96eF/9SHtuWCDyy+Ws8nexY",
            ),
            (Scheme::Md5crypt, "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"),
            (Scheme::Ssha, "{SSHA}abc"),
        ] {
            let c = admit(scheme, h, budget).unwrap_or_else(|e| panic!("{h}: {e:?}"));
            assert_eq!(c, cost(scheme, h));
        }
        // bcrypt cost 16 (about 4.7 s of one core) is within the default budget of ~8 s, cost 17
        // (9.4 s) is over it.
        let bcrypt =
            |c: u32| format!("$2b${c}$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy");
        assert!(admit(Scheme::Bcrypt, &bcrypt(16), budget).is_ok());
        assert_eq!(
            admit(Scheme::Bcrypt, &bcrypt(17), budget),
            Err(SaltedSkip::CostExceedsBudget)
        );
    }

    #[test]
    fn parameters_in_words_are_written_from_numbers() {
        let cases = [
            (
                Scheme::Bcrypt,
                "$2y$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy",
                Some("cost=5"),
            ),
            (Scheme::Sha512crypt, "{CRYPT}$6$salt$x", Some("rounds=5000")),
            (
                Scheme::Sha256crypt,
                "$5$rounds=0099999999999$s$x",
                Some("rounds=999999999"),
            ),
            (Scheme::Yescrypt, "$y$j9T$s$h", Some("N=2^12,r=32")),
            (
                Scheme::Yescrypt,
                "$y$j9T0./$s$h",
                Some("N=2^12,r=32,p=2,t=2"),
            ),
            (
                Scheme::Argon2,
                "$argon2i$v=19$m=1024,t=2,p=1$s$h",
                Some("m=1024,t=2,p=1"),
            ),
            (
                Scheme::Pbkdf2,
                "$pbkdf2$1000$fs8ZgxDiXGvNWSvlvPf.nw$NU5d593yu3UchmP0s3ArjlUlc1k",
                Some("sha1,i=1000"),
            ),
            (
                Scheme::Scrypt,
                "SCRYPT:16384:8:1:c2FsdA==:AAAA",
                Some("ln=14,r=8,p=1"),
            ),
            (Scheme::Md5crypt, "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", None),
            (Scheme::Bcrypt, "$2b$9x$", None),
        ];
        for (scheme, h, want) in cases {
            assert_eq!(
                parameters(scheme, h).as_deref(),
                want,
                "{}",
                scheme.as_str()
            );
        }
        assert_eq!(decimal("007"), Some(7));
        assert_eq!(decimal("18446744073709551616"), Some(u64::MAX));
        assert_eq!(decimal(""), None);
        assert_eq!(decimal("+1"), None);
        assert_eq!(scaled(&[u64::MAX, u64::MAX, 3], 850, 1000), u64::MAX);
        assert_eq!(scaled(&[4096, 32, 4], 850, 1000), 445_644);
    }

    #[test]
    fn b64_lenient() {
        assert_eq!(b64_decode("c2FsdA==").unwrap(), b"salt");
        assert_eq!(b64_decode("c2FsdA").unwrap(), b"salt");
        assert_eq!(b64_decode("+/8").unwrap(), b64_decode("./8").unwrap());
        assert!(b64_decode("!!").is_none());
    }

    /// Prints, for hashes with the parameters met in the field, the measured time of one
    /// verification in NT-hash units next to `cost()`'s estimate. Times are the thread's CPU time
    /// (on a shared machine wall time inflates long calls more than short ones), each the best of
    /// three rounds of at least 0.3 s.
    #[test]
    #[ignore = "timing measurement, run by hand"]
    fn measure_costs() {
        fn cpu() -> f64 {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID exists on Linux.
            let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
            assert_eq!(rc, 0);
            ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
        }
        let per = |f: &dyn Fn()| {
            let mut best = f64::MAX;
            for _ in 0..3 {
                let t = cpu();
                let mut n = 0u32;
                while n < 2 || cpu() - t < 0.3 {
                    f();
                    n += 1;
                }
                best = best.min((cpu() - t) / f64::from(n));
            }
            best
        };
        // The unit: MD4 of a 12-character password's UTF-16LE, one at a time in the md4 crate.
        let nt_time = per(&|| {
            use md4::Digest;
            for _ in 0..1000 {
                std::hint::black_box(md4::Md4::digest(std::hint::black_box([7u8; 24])));
            }
        }) / 1000.0;
        eprintln!("one NT hash (the unit): {:.1} ns", nt_time * 1e9);
        let bcrypt =
            |c: u32| format!("$2b${c:02}$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy");
        let sha256 = |r: u32| {
            format!("$5$rounds={r}$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5")
        };
        let sha512 = |r: u32| {
            format!(
                "$6$rounds={r}$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/\
                 UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."
            )
        };
        let yescrypt = |p: &str| {
            format!("$y${p}$7G8SbbVvfgm76ivutSVp2/$P3WIFZKijIZa6MSoKhGcB2sn983SeCwNM7b762JjnF.")
        };
        let argon2 = |m: u32, t: u32, p: u32| {
            format!(
                "$argon2id$v=19$m={m},t={t},p={p}$c29tZXNhbHR2YWx1ZQ$\
                 wUXAoT3Niz9MNqtr1IvLI4nZyTSTL3yebyHa9oWoA50"
            )
        };
        let scrypt = |ln: u32, r: u32, p: u32| {
            format!(
                "$scrypt$ln={ln},r={r},p={p}$R8iZ0xqDkPJeK2VMKaVUCg$\
                 SacJLauPeSZQdAMb4p0F96eF/9SHtuWCDyy+Ws8nexY"
            )
        };
        let cases: Vec<(Scheme, String, String)> = vec![
            (Scheme::Md5crypt, "".into(), "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/".into()),
            (Scheme::Sha256crypt, "rounds=5000".into(), sha256(5000)),
            (Scheme::Sha256crypt, "rounds=535000".into(), sha256(535_000)),
            (Scheme::Sha512crypt, "rounds=1000".into(), sha512(1000)),
            (Scheme::Sha512crypt, "rounds=5000".into(), sha512(5000)),
            (Scheme::Sha512crypt, "rounds=656000".into(), sha512(656_000)),
            (Scheme::Bcrypt, "cost=5".into(), bcrypt(5)),
            (Scheme::Bcrypt, "cost=10".into(), bcrypt(10)),
            (Scheme::Bcrypt, "cost=12".into(), bcrypt(12)),
            (Scheme::Yescrypt, "j75 N=2^10,r=8".into(), yescrypt("j75")),
            (Scheme::Yescrypt, "j9T N=2^12,r=32".into(), yescrypt("j9T")),
            (Scheme::Yescrypt, "jAT N=2^13,r=32".into(), yescrypt("jAT")),
            (Scheme::Yescrypt, "jBT N=2^14,r=32".into(), yescrypt("jBT")),
            (Scheme::Yescrypt, "j9T/. N=2^12,r=32,t=1".into(), yescrypt("j9T/.")),
            (Scheme::Yescrypt, "j9T// N=2^12,r=32,t=2".into(), yescrypt("j9T//")),
            (Scheme::Argon2, "m=1024,t=1,p=1".into(), argon2(1024, 1, 1)),
            (Scheme::Argon2, "m=19456,t=2,p=1".into(), argon2(19456, 2, 1)),
            (Scheme::Argon2, "m=65536,t=1,p=1".into(), argon2(65536, 1, 1)),
            (Scheme::Argon2, "m=65536,t=3,p=4".into(), argon2(65536, 3, 4)),
            (Scheme::Argon2, "m=262144,t=1,p=1".into(), argon2(262_144, 1, 1)),
            (
                Scheme::Pbkdf2,
                "sha1 i=131000".into(),
                "$pbkdf2$131000$fs8ZgxDiXGvNWSvlvPf.nw$NU5d593yu3UchmP0s3ArjlUlc1k".into(),
            ),
            (
                Scheme::Pbkdf2,
                "sha256 i=29000".into(),
                "$pbkdf2-sha256$29000$P4fQmhOi1PofAyDE.L93zg$A8ha75Y/P/vzs5aBzsWjI5Mx1gFXuUbUy9XpFIzdoYc"
                    .into(),
            ),
            (
                Scheme::Pbkdf2,
                "sha256 i=600000".into(),
                "pbkdf2_sha256$600000$mjXFF7LnVe7n$MOGjoeajng9e94nJZ4tgmTxjmjyTq8ElEpAwQf+vogw=".into(),
            ),
            (
                Scheme::Pbkdf2,
                "sha512 i=25000".into(),
                "$pbkdf2-sha512$25000$vVdqLYXwnrM2pjQm5HxPKQ$c2N8zmq39ab6PrOMoCEwDEbOs8e4/ctpJNdyKL1YVGSvuApMsmZd3MG27k.9eUD9Qbivtm.VpxlExp/lgXXmbA"
                    .into(),
            ),
            (Scheme::Scrypt, "ln=14,r=8,p=1".into(), scrypt(14, 8, 1)),
            (Scheme::Scrypt, "ln=16,r=8,p=1".into(), scrypt(16, 8, 1)),
            (Scheme::Scrypt, "ln=14,r=8,p=4".into(), scrypt(14, 8, 4)),
        ];
        for (scheme, params, h) in &cases {
            assert_eq!(identify(h), Some(*scheme), "{params}");
            let t = per(&|| {
                std::hint::black_box(verify(*scheme, "x", h));
            });
            let est = cost(*scheme, h);
            eprintln!(
                "{:12} {:24} {:>10.1} ms  measured {:>12.0}  estimate {:>12}  estimate/measured {:.2}",
                scheme.as_str(),
                params,
                t * 1e3,
                t / nt_time,
                est,
                est as f64 / (t / nt_time)
            );
        }
    }

    #[test]
    fn ct_eq_works() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
