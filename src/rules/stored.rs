//! How a password is stored, whatever the password: an LM hash beside it, cleartext, or a weak
//! hash scheme are findings of their own (the store, not the choice of password, is at fault).

use crate::model::tags::Via;
use crate::model::{Code, Facts, Finding, Scheme};

/// The storage findings of one account: `lm_stored` (an LM hash is kept beside it),
/// `plaintext_stored` (kept as cleartext, see [`crate::model::RawAccount::plaintext_stored`]) and
/// the scheme of its stored hash, in that order.
pub fn findings(lm_stored: bool, plaintext_stored: bool, scheme: Option<Scheme>) -> Vec<Finding> {
    let mut out = Vec::new();
    if lm_stored {
        out.push(super::fail(Code::LmHashStored, Facts::LmStored));
    }
    if plaintext_stored {
        out.push(super::warn(Code::PlaintextStored, Facts::PlaintextStored));
    }
    if let Some(s) = scheme.filter(|s| s.is_weak()) {
        out.push(super::warn(Code::WeakHashScheme, Facts::WeakScheme(s)));
    }
    out
}

/// A password found in the breach corpus `count` times, looked up by `via` (the SHA-1 of a
/// plaintext or an NT hash; `kensa check` asks by SHA-1).
pub fn breached(count: u64, via: Via) -> Finding {
    super::fail(Code::Breached, Facts::Breached { count, via })
}

/// The NIST SP 800-63B rev. 4 advisory for a single-factor password shorter than 15
/// characters (`None` with MFA, or when the length is unknown or 15 or more).
pub fn nist_single_factor(length: usize, mfa: bool) -> Option<Finding> {
    (!mfa && length < 15 && length > 0).then(|| {
        super::info(
            Code::NistSingleFactorLt15,
            Facts::NistShort {
                len: super::seven::n32(length),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    #[test]
    fn storage_findings_come_in_a_fixed_order() {
        let f = findings(true, true, Some(Scheme::Sha1));
        let codes: Vec<Code> = f.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                Code::LmHashStored,
                Code::PlaintextStored,
                Code::WeakHashScheme
            ]
        );
        assert!(findings(false, false, Some(Scheme::Nt))
            .iter()
            .all(|f| f.code != Code::LmHashStored));
    }

    #[test]
    fn breach_and_nist_details() {
        assert_eq!(
            breached(3, Via::Ntlm).detail,
            "in the Pwned Passwords corpus (3 times, ntlm lookup)"
        );
        assert_eq!(breached(3, Via::Sha1).severity, Severity::Fail);
        assert!(nist_single_factor(14, true).is_none());
        assert!(nist_single_factor(15, false).is_none());
        assert!(nist_single_factor(0, false).is_none());
        assert_eq!(
            nist_single_factor(8, false).unwrap().severity,
            Severity::Info
        );
    }
}
