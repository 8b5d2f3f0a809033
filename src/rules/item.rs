//! Which checklist item a finding code belongs to: 2-⑦ (推定困難なパスワード) or 2-⑧ (使い回しの禁止).
//! The answers count findings this way (`answer.rs`); the CSV and the worklist name the item of each
//! finding row from here, so both say the same.

use crate::model::Code;

/// The item id (`2-7`, `2-8`, as in evidence.json `items[].item`) a finding of `code` belongs to,
/// or `None` for advisories, which never change an answer.
///
/// `DEFAULT_PASSWORD` is listed under 2-⑧: the MHLW manual names factory defaults left unchanged
/// among its examples of reuse, and its fix (a password of the device's own) is a 2-⑧ fix; it
/// fails 2-⑦ too, which the account's other findings already show.
pub fn checklist_item(code: Code) -> Option<&'static str> {
    match code {
        Code::ReusedAcrossSystems | Code::ReusedWithinSystem | Code::DefaultPassword => Some("2-8"),
        Code::PolicyMaxLengthLt64
        | Code::PolicyNoLockout
        | Code::NistSingleFactorLt15
        | Code::NistRotationDiscouraged
        | Code::NistCompositionDiscouraged => None,
        Code::EmptyPassword
        | Code::TooShort
        | Code::NotMixed
        | Code::Guessable
        | Code::Breached
        | Code::NoRotation
        | Code::RotationTooLong
        | Code::LmHashStored
        | Code::WeakHashScheme
        | Code::PlaintextStored
        | Code::NonAscii
        | Code::PredictableRotation
        | Code::PasswordAgeExceedsPolicy
        | Code::PolicyMinLength
        | Code::PolicyComposition
        | Code::PolicyRotationTooLong
        | Code::PolicyNoRotation => Some("2-7"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuse_and_defaults_are_2_8_advisories_none_the_rest_2_7() {
        assert_eq!(checklist_item(Code::ReusedAcrossSystems), Some("2-8"));
        assert_eq!(checklist_item(Code::DefaultPassword), Some("2-8"));
        assert_eq!(checklist_item(Code::TooShort), Some("2-7"));
        assert_eq!(checklist_item(Code::PolicyRotationTooLong), Some("2-7"));
        assert_eq!(checklist_item(Code::NistRotationDiscouraged), None);
        assert_eq!(checklist_item(Code::PolicyNoLockout), None);
        let items: std::collections::BTreeSet<_> = Code::ALL
            .iter()
            .filter_map(|c| checklist_item(*c))
            .collect();
        assert_eq!(items.into_iter().collect::<Vec<_>>(), ["2-7", "2-8"]);
    }
}
