//! hashcat's view of a stored hash: the mode of hashcat 6.2.6 that cracks it, the line hashcat
//! parses for that mode, and the key at which a stored hash and a hashcat pot line naming it meet.
//!
//! Most schemes go to hashcat as kensa stores them. PBKDF2 and scrypt are converted (hashcat
//! takes `sha256:rounds:b64salt:b64hash` and `SCRYPT:N:r:p:b64salt:b64hash`, and writes its pot
//! lines in the same form), `{SHA}`/`{SSHA}` are re-encoded with standard padded base64, and
//! sha-crypt loses an explicit `rounds=5000$` (hashcat writes the default rounds implicitly).
//! [`canonical`] gives every stored form of one hash the same key, so that a pot line written by
//! hashcat finds the account whose hash it names.

use super::{ldap, nt, pbkdf2, scrypt, strip_ldap_crypt};
use crate::model::{Scheme, Secret};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::borrow::Cow;

/// A hashcat hash mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mode {
    /// hashcat's `-m` number.
    pub number: u32,
    /// A short name, used in file names (`1000-nt.txt`).
    pub name: &'static str,
    /// Fast to compute: rules and masks are worth running against it.
    pub fast: bool,
}

const fn mode(number: u32, name: &'static str, fast: bool) -> Mode {
    Mode { number, name, fast }
}

pub const NT: Mode = mode(1000, "nt", true);
pub const LM: Mode = mode(3000, "lm", true);
pub const MD5CRYPT: Mode = mode(500, "md5crypt", false);
pub const APR1: Mode = mode(1600, "apr1", false);
pub const SHA256CRYPT: Mode = mode(7400, "sha256crypt", false);
pub const SHA512CRYPT: Mode = mode(1800, "sha512crypt", false);
pub const BCRYPT: Mode = mode(3200, "bcrypt", false);
pub const SHA1: Mode = mode(101, "sha1", true);
pub const SSHA: Mode = mode(111, "ssha", true);
pub const PBKDF2_SHA1: Mode = mode(12000, "pbkdf2-sha1", false);
pub const PBKDF2_SHA256: Mode = mode(10900, "pbkdf2-sha256", false);
pub const PBKDF2_SHA512: Mode = mode(12100, "pbkdf2-sha512", false);
pub const SCRYPT: Mode = mode(8900, "scrypt", false);

/// A stored hash as hashcat takes it.
#[derive(Debug, Clone)]
pub struct Line {
    pub mode: Mode,
    /// Settings that must be the same for every hash of one hashcat run (scrypt: `N16384-r8-p1`;
    /// hashcat 6.2.6 stops with "Mixed hash settings are not supported" otherwise).
    pub settings: Option<String>,
    /// The line hashcat parses (a whole hash: never print it).
    pub text: Secret,
}

/// Why a stored hash cannot go to hashcat 6.2.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoMode {
    /// hashcat 6.2.6 has no mode for the scheme (yescrypt, argon2).
    Scheme,
    /// Parameters hashcat 6.2.6 refuses (scrypt: N below 1024, output other than 32 bytes, salt
    /// above 33 bytes; PBKDF2: output below 16 bytes, salt above 256 bytes).
    Parameters,
    /// The stored hash does not parse.
    Malformed,
}

/// The hashcat line of a stored hash, or why there is none.
pub fn line(scheme: Scheme, text: &str) -> Result<Line, NoMode> {
    let h = strip_ldap_crypt(text.trim());
    // `$id$[rounds=N$]salt$hash`: the salt at most `salt_max` characters, the hash `len`.
    let crypt = |mode: Mode, id: &str, salt_max: usize, len: usize| -> Result<Line, NoMode> {
        let body = h.strip_prefix(id).ok_or(NoMode::Malformed)?;
        let body = match body.strip_prefix("rounds=") {
            Some(r) if id != "$1$" && id != "$apr1$" => {
                let (n, rest) = r.split_once('$').ok_or(NoMode::Malformed)?;
                if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(NoMode::Malformed);
                }
                rest
            }
            _ => body,
        };
        let (salt, hash) = body.rsplit_once('$').ok_or(NoMode::Malformed)?;
        if !is_crypt_text(h) || salt.len() > salt_max || salt.contains('$') || hash.len() != len {
            return Err(NoMode::Malformed);
        }
        Ok(plain_line(mode, sha_crypt_default_rounds(h).into_owned()))
    };
    match scheme {
        Scheme::Nt | Scheme::Lm => {
            let d = nt::parse_hex16(h).ok_or(NoMode::Malformed)?;
            let mode = if scheme == Scheme::Nt { NT } else { LM };
            Ok(plain_line(mode, hex::encode(d)))
        }
        Scheme::Md5crypt => crypt(MD5CRYPT, "$1$", 8, 22),
        Scheme::Apr1 => crypt(APR1, "$apr1$", 8, 22),
        Scheme::Sha256crypt => crypt(SHA256CRYPT, "$5$", 16, 43),
        Scheme::Sha512crypt => crypt(SHA512CRYPT, "$6$", 16, 86),
        Scheme::Bcrypt => {
            let ok = h.len() == 60
                && ["$2a$", "$2b$", "$2y$"].iter().any(|p| h.starts_with(p))
                && is_crypt_text(h);
            if !ok {
                return Err(NoMode::Malformed);
            }
            Ok(plain_line(BCRYPT, h.to_string()))
        }
        Scheme::Sha1 | Scheme::Ssha | Scheme::Pbkdf2 | Scheme::Scrypt => {
            let form = converted(scheme, h).ok_or(NoMode::Malformed)?;
            match scheme {
                Scheme::Sha1 => Ok(plain_line(SHA1, form)),
                Scheme::Ssha => Ok(plain_line(SSHA, form)),
                Scheme::Pbkdf2 => {
                    let p = pbkdf2::parse(h).ok_or(NoMode::Malformed)?;
                    if p.expected.len() < 16 || p.salt.len() > 256 {
                        return Err(NoMode::Parameters);
                    }
                    let mode = match p.prf {
                        pbkdf2::Prf::Sha1 => PBKDF2_SHA1,
                        pbkdf2::Prf::Sha256 => PBKDF2_SHA256,
                        pbkdf2::Prf::Sha512 => PBKDF2_SHA512,
                    };
                    Ok(plain_line(mode, form))
                }
                _ => {
                    let s = scrypt::parse(h).ok_or(NoMode::Malformed)?;
                    if s.ln < 10 || s.expected.len() != 32 || s.salt.len() > 33 {
                        return Err(NoMode::Parameters);
                    }
                    Ok(Line {
                        mode: SCRYPT,
                        settings: Some(format!("N{}-r{}-p{}", 1u64 << s.ln, s.r, s.p)),
                        text: Secret::new(form),
                    })
                }
            }
        }
        Scheme::Yescrypt | Scheme::Argon2 | Scheme::Plaintext => Err(NoMode::Scheme),
    }
}

/// The key at which a stored hash and a pot line naming the same hash meet, whatever form each
/// is written in: PBKDF2 and scrypt in hashcat's form, `{SHA}`/`{SSHA}` in padded base64 with an
/// upper-case tag, sha-crypt without `rounds=5000$`, `{CRYPT}` stripped; anything else (and any
/// hash that does not parse) as written, trimmed.
pub fn canonical(scheme: Scheme, text: &str) -> Cow<'_, str> {
    let h = strip_ldap_crypt(text.trim());
    match scheme {
        Scheme::Sha256crypt | Scheme::Sha512crypt => sha_crypt_default_rounds(h),
        Scheme::Sha1 | Scheme::Ssha | Scheme::Pbkdf2 | Scheme::Scrypt => {
            match converted(scheme, h) {
                Some(c) if c != h => Cow::Owned(c),
                _ => Cow::Borrowed(h),
            }
        }
        _ => Cow::Borrowed(h),
    }
}

/// A pot line whose hash is in one of hashcat's ':'-separated forms (PBKDF2 `sha1:`/`sha256:`/
/// `sha512:` with four fields, `SCRYPT:` with six): the scheme, the hash and the plaintext as
/// written. The hash has a fixed number of fields, so the plaintext keeps any ':' of its own.
pub fn split_pot_line(line: &str) -> Option<(Scheme, &str, &str)> {
    let (scheme, fields) = if line.starts_with("SCRYPT:") {
        (Scheme::Scrypt, 6)
    } else if ["sha1:", "sha256:", "sha512:"]
        .iter()
        .any(|p| line.starts_with(p))
    {
        (Scheme::Pbkdf2, 4)
    } else {
        return None;
    };
    let (end, _) = line.match_indices(':').nth(fields - 1)?;
    let (hash, plain) = (&line[..end], &line[end + 1..]);
    let parses = match scheme {
        Scheme::Pbkdf2 => pbkdf2::parse(hash).is_some(),
        _ => scrypt::parse(hash).is_some(),
    };
    parses.then_some((scheme, hash, plain))
}

fn plain_line(mode: Mode, text: String) -> Line {
    Line {
        mode,
        settings: None,
        text: Secret::new(text),
    }
}

/// The converted form of a `{SHA}`, `{SSHA}`, PBKDF2 or scrypt hash, without hashcat's limits.
fn converted(scheme: Scheme, h: &str) -> Option<String> {
    match scheme {
        Scheme::Sha1 => Some(format!("{{SHA}}{}", STANDARD.encode(ldap::sha_digest(h)?))),
        Scheme::Ssha => Some(format!("{{SSHA}}{}", STANDARD.encode(ldap::ssha_bytes(h)?))),
        Scheme::Pbkdf2 => {
            let p = pbkdf2::parse(h)?;
            Some(format!(
                "{}:{}:{}:{}",
                p.prf.name(),
                p.iterations,
                STANDARD.encode(&p.salt),
                STANDARD.encode(&p.expected)
            ))
        }
        Scheme::Scrypt => {
            let s = scrypt::parse(h)?;
            Some(format!(
                "SCRYPT:{}:{}:{}:{}:{}",
                1u64 << s.ln,
                s.r,
                s.p,
                STANDARD.encode(&s.salt),
                STANDARD.encode(&s.expected)
            ))
        }
        _ => None,
    }
}

/// sha-crypt with an explicit `rounds=5000$` (the default) as hashcat writes it: without.
fn sha_crypt_default_rounds(h: &str) -> Cow<'_, str> {
    for id in ["$5$", "$6$"] {
        if let Some(rest) = h
            .strip_prefix(id)
            .and_then(|r| r.strip_prefix("rounds=5000$"))
        {
            return Cow::Owned(format!("{id}{rest}"));
        }
    }
    Cow::Borrowed(h)
}

/// Printable ASCII without ':' or spaces: safe as one line of a hashcat hash file.
fn is_crypt_text(h: &str) -> bool {
    !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic() && b != b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `hashcat --example-hashes -m M` of hashcat 6.2.6 (the password is `hashcat`), and the same
    /// hash in the forms kensa reads: each must convert to exactly hashcat's line.
    #[test]
    fn pbkdf2_forms_convert_to_hashcat_examples() {
        let cases = [
            (
                "sha256:1000:NjI3MDM3:vVfavLQL9ZWjg8BUMq6/FB8FtpkIGWYk",
                10900,
                &[
                    // Django: the salt is text ("627037").
                    "pbkdf2_sha256$1000$627037$vVfavLQL9ZWjg8BUMq6/FB8FtpkIGWYk",
                    // PHC (standard base64, no padding).
                    "$pbkdf2-sha256$i=1000,l=24$NjI3MDM3$vVfavLQL9ZWjg8BUMq6/FB8FtpkIGWYk",
                    // passlib (adapted base64: '.' for '+').
                    "$pbkdf2-sha256$1000$NjI3MDM3$vVfavLQL9ZWjg8BUMq6/FB8FtpkIGWYk",
                ][..],
            ),
            (
                "sha1:1000:MTYwNTM4MDU4Mzc4MzA=:aGghFQBtQ8+WVlMk5GEaMw==",
                12000,
                &[
                    "$pbkdf2$1000$MTYwNTM4MDU4Mzc4MzA$aGghFQBtQ8.WVlMk5GEaMw",
                    "$pbkdf2-sha1$i=1000,l=16$MTYwNTM4MDU4Mzc4MzA$aGghFQBtQ8+WVlMk5GEaMw",
                    "pbkdf2_sha1$1000$16053805837830$aGghFQBtQ8+WVlMk5GEaMw==",
                ][..],
            ),
            (
                "sha512:1000:NzY2:DNWohLbdIWIt4Npk9gpTvA==",
                12100,
                &[
                    "$pbkdf2-sha512$1000$NzY2$DNWohLbdIWIt4Npk9gpTvA",
                    "$pbkdf2-sha512$i=1000,l=16$NzY2$DNWohLbdIWIt4Npk9gpTvA",
                ][..],
            ),
        ];
        for (example, number, forms) in cases {
            // kensa's PBKDF2 agrees with hashcat's example (a 16-24 byte prefix of the output).
            assert!(super::super::verify(Scheme::Pbkdf2, "hashcat", example));
            assert!(!super::super::verify(Scheme::Pbkdf2, "hashcaT", example));
            assert_eq!(split_pot_line(&format!("{example}:hash:cat")), {
                Some((Scheme::Pbkdf2, example, "hash:cat"))
            });
            for form in forms.iter().chain([&example]) {
                let l = line(Scheme::Pbkdf2, form).unwrap();
                assert_eq!(l.mode.number, number, "{number}");
                assert_eq!(l.text.expose(), example, "{number}");
                assert_eq!(l.settings, None);
                assert_eq!(canonical(Scheme::Pbkdf2, form), example);
            }
        }
    }

    #[test]
    fn scrypt_forms_convert_to_hashcat_example() {
        let example = "SCRYPT:16384:8:1:OTEyNzU0ODg=:Cc8SPjRH1hFQhuIPCdF51uNGtJ2aOY/isuoMlMUsJ8c=";
        let phc = "$scrypt$ln=14,r=8,p=1$OTEyNzU0ODg$Cc8SPjRH1hFQhuIPCdF51uNGtJ2aOY/isuoMlMUsJ8c";
        let passlib = phc.replace('+', ".");
        assert!(super::super::verify(Scheme::Scrypt, "hashcat", example));
        for form in [phc, &passlib, example] {
            let l = line(Scheme::Scrypt, form).unwrap();
            assert_eq!((l.mode.number, l.text.expose()), (8900, example));
            assert_eq!(l.settings.as_deref(), Some("N16384-r8-p1"));
            assert_eq!(canonical(Scheme::Scrypt, form), example);
        }
        assert_eq!(
            split_pot_line(&format!("{example}:a:b")),
            Some((Scheme::Scrypt, example, "a:b"))
        );
        // hashcat 6.2.6 refuses N below 1024 ("Salt-value exception") and outputs of 64 bytes;
        // the canonical key is still hashcat's form.
        let small = "$scrypt$ln=4,r=8,p=1$R8iZ0xqDkPJeK2VMKaVUCg$SacJLauPeSZQdAMb4p0F96eF/9SHtuWCDyy+Ws8nexY";
        assert_eq!(line(Scheme::Scrypt, small).unwrap_err(), NoMode::Parameters);
        assert!(canonical(Scheme::Scrypt, small).starts_with("SCRYPT:16:8:1:"));
    }

    #[test]
    fn stored_forms_that_hashcat_takes_as_they_are() {
        let keep = [
            (Scheme::Md5crypt, "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", 500),
            (Scheme::Apr1, "$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/", 1600),
            (
                Scheme::Sha512crypt,
                "$6$rounds=1000$C2nCwP9fFt1hc45c$dVWu8k8qF1dKG/ndHv0JUg9s7P6SZZYKnxkBYGxPXS/JTdACiYAOpSyB4W2zEadrlIAicFt.J/hXIe/Rj9wO.0",
                1800,
            ),
            (
                Scheme::Sha256crypt,
                "$5$RyAvfQoIsqred/pr$LXY8iS35rR2EE/8JrFGGUFn470Vf0q6/PNWhtddnAL1",
                7400,
            ),
            (
                Scheme::Bcrypt,
                "$2y$04$yTJE5vxbeB3ujU1ER9tVb.qHNVICHElJ0IAJ6kXGTzWtD5x1n3qK6",
                3200,
            ),
            (Scheme::Sha1, "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", 101),
            (
                Scheme::Ssha,
                "{SSHA}IP5KJxajGKCjppwYvhQqhcZYz+d5r5Wy",
                111,
            ),
        ];
        for (scheme, h, number) in keep {
            let l = line(scheme, h).unwrap();
            assert_eq!((l.mode.number, l.text.expose()), (number, h));
            assert_eq!(canonical(scheme, h), h);
            assert_eq!(canonical(scheme, &format!("{{CRYPT}}{h}")), h);
        }
        // NT and LM: lower-case hex, as hashcat writes them.
        let l = line(Scheme::Nt, "8846F7EAEE8FB117AD06BDD830B7586C").unwrap();
        assert_eq!(
            (l.mode, l.text.expose()),
            (NT, "8846f7eaee8fb117ad06bdd830b7586c")
        );
        assert_eq!(
            line(Scheme::Lm, "E52CAC67419A9A224A3B108F3FA6CB6D")
                .unwrap()
                .mode,
            LM
        );
    }

    #[test]
    fn forms_hashcat_rewrites() {
        // hashcat writes sha-crypt's default rounds implicitly (glibc crypt(3) made these).
        let six = "$6$rounds=5000$abcdefgh12345678$mVZR3tU3sBXBM2jEcsh60UZm1Clqp6Qy4kE/ZaiwbjjJn5ROoF3X6P.o.t9l5QYfEOCMJr0s4QFPONzPyCxfO1";
        let l = line(Scheme::Sha512crypt, six).unwrap();
        assert_eq!(l.text.expose(), six.replace("rounds=5000$", ""));
        assert!(super::super::verify(
            Scheme::Sha512crypt,
            "Tr0ub4dor&3",
            l.text.expose()
        ));
        let five = "$5$rounds=5000$abcdefgh12345678$w/nlwJ5et8NBDCOTjcZEzzDUK2tX/dZin9C9yzRnft5";
        assert_eq!(
            canonical(Scheme::Sha256crypt, five),
            "$5$abcdefgh12345678$w/nlwJ5et8NBDCOTjcZEzzDUK2tX/dZin9C9yzRnft5"
        );
        // LDAP tags in any case, base64 without padding.
        assert_eq!(
            line(Scheme::Ssha, "{ssha}IP5KJxajGKCjppwYvhQqhcZYz+d5r5Wy")
                .unwrap()
                .text
                .expose(),
            "{SSHA}IP5KJxajGKCjppwYvhQqhcZYz+d5r5Wy"
        );
        assert_eq!(
            canonical(Scheme::Sha1, "{sha}W6ph5Mm5Pz8GgiULbPgzG37mj9g"),
            "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="
        );
    }

    #[test]
    fn no_mode_and_malformed() {
        let y = "$y$j9T$q9ThAZq6QxkWib/c8C$abc";
        assert_eq!(line(Scheme::Yescrypt, y).unwrap_err(), NoMode::Scheme);
        assert_eq!(
            line(Scheme::Argon2, "$argon2id$v=19$m=1024,t=1,p=1$s$h").unwrap_err(),
            NoMode::Scheme
        );
        assert_eq!(line(Scheme::Nt, "xyz").unwrap_err(), NoMode::Malformed);
        assert_eq!(
            line(Scheme::Md5crypt, "$1$abc").unwrap_err(),
            NoMode::Malformed
        );
        assert_eq!(
            line(Scheme::Md5crypt, "$1$sa lt$qjXMvbEw8oaL.CzflDtaK/").unwrap_err(),
            NoMode::Malformed
        );
        assert_eq!(
            line(Scheme::Md5crypt, "$1$saltsaltX$qjXMvbEw8oaL.CzflDtaK/").unwrap_err(),
            NoMode::Malformed
        );
        assert_eq!(
            line(Scheme::Md5crypt, "$6$saltsalt$qjXMvbEw8oaL.CzflDtaK/").unwrap_err(),
            NoMode::Malformed
        );
        assert_eq!(
            line(
                Scheme::Sha256crypt,
                "$5$rounds=x$salt$LXY8iS35rR2EE/8JrFGGUFn470Vf0q6/PNWhtddnAL1"
            )
            .unwrap_err(),
            NoMode::Malformed
        );
        assert_eq!(
            line(Scheme::Bcrypt, "$2y$04$short").unwrap_err(),
            NoMode::Malformed
        );
        assert_eq!(
            line(Scheme::Pbkdf2, "$pbkdf2-sha256$1000$!!$AAAA").unwrap_err(),
            NoMode::Malformed
        );
        // Unparsable hashes keep their text as key.
        assert_eq!(canonical(Scheme::Pbkdf2, " $pbkdf2$x "), "$pbkdf2$x");
        assert_eq!(split_pot_line("sha256:1000:c2FsdA==:!!:plain"), None);
        assert_eq!(split_pot_line("sha256:1000:c2FsdA=="), None);
        assert_eq!(split_pot_line("sha1lover:plain"), None);
    }
}
