//! Password history (secretsdump -history): a new password that is the old one with a number bumped or a few characters changed at an end is not 「推定困難」.

use crate::model::{Code, Facts, Finding, HistoryChange};

/// How a current password relates to one of its history passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Incremented,
    EndsChanged,
}

/// The fewest characters that must stay unchanged for two different passwords to be related.
const MIN_UNCHANGED: usize = 4;
/// The most characters that may be added, removed or changed at the two ends together.
const MAX_END_EDITS: usize = 2;

/// Some(change) when `current` equals `old`, or is `old` with a run of digits (number or year)
/// changed to a different number (`Sakura2024!`→`Sakura2025!`, `pass9`→`pass10`,
/// `Spring01`→`Spring02`, a change anywhere where the strings differ only inside one run of
/// digits), or differs from it only by at most two characters added/removed/changed at the start
/// and/or the end in total (`Koro2025!`→`Koro2025#`, `Winter!`→`Winter!!`, `xsecret`→`secret`);
/// None otherwise. Compared by chars (Unicode), case-sensitive, without normalisation.
///
/// Exact rules, checked in this order:
/// - **Same**: the strings are equal (whatever their length).
/// - **Incremented**: outside their common prefix and common suffix, both strings hold only
///   digits (ASCII `0-9` or full-width `０-９`), that window widened to whole digit runs is a
///   non-empty run in *both* strings (so inserting a number where there was none is not
///   "incremented"), and the common prefix and suffix together are at least 4 characters. Any
///   different number counts (`1999`→`2000`, `01`→`1`), not only +1.
/// - **EndsChanged**: `current = A + X + B` and `old = A' + X + B'` with a common core `X` of
///   at least 4 characters, `max(|A|,|A'|) + max(|B|,|B'|) ≤ 2`, and where both `A` and `A'`
///   are non-empty their first characters differ (where both `B` and `B'` are non-empty their
///   last characters differ): an edit must touch the outermost character, so `Pass2024` →
///   `Pbss2024` (second character changed) is None.
pub fn change(current: &str, old: &str) -> Option<Change> {
    if current == old {
        return Some(Change::Same);
    }
    let c: Vec<char> = current.chars().collect();
    let o: Vec<char> = old.chars().collect();
    if incremented(&c, &o) {
        Some(Change::Incremented)
    } else if ends_changed(&c, &o) {
        Some(Change::EndsChanged)
    } else {
        None
    }
}

/// A decimal digit: ASCII or full-width (as typed with a Japanese IME).
fn is_digit(ch: char) -> bool {
    ch.is_ascii_digit() || ('０'..='９').contains(&ch)
}

/// The strings (known to differ) differ only inside one run of digits present in both.
fn incremented(c: &[char], o: &[char]) -> bool {
    let (n, m) = (c.len(), o.len());
    let p = c.iter().zip(o).take_while(|(x, y)| x == y).count();
    let s = c[p..]
        .iter()
        .rev()
        .zip(o[p..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if p + s < MIN_UNCHANGED {
        return false;
    }
    let (mid_c, mid_o) = (&c[p..n - s], &o[p..m - s]);
    if !mid_c.iter().chain(mid_o).all(|&ch| is_digit(ch)) {
        return false;
    }
    // Widen to whole digit runs; the widening happens inside the shared prefix and suffix,
    // so it is the same in both strings.
    let left = c[..p].iter().rev().take_while(|&&ch| is_digit(ch)).count();
    let right = c[n - s..].iter().take_while(|&&ch| is_digit(ch)).count();
    mid_c.len() + left + right > 0 && mid_o.len() + left + right > 0
}

/// The strings differ only by at most two characters added, removed or changed at their ends.
fn ends_changed(c: &[char], o: &[char]) -> bool {
    let (n, m) = (c.len(), o.len());
    if n < MIN_UNCHANGED || m < MIN_UNCHANGED {
        return false;
    }
    for a in 0..=MAX_END_EDITS {
        for a_old in 0..=MAX_END_EDITS {
            let start = a.max(a_old);
            if start > MAX_END_EDITS || (a > 0 && a_old > 0 && c[0] == o[0]) {
                continue;
            }
            for b in 0..=MAX_END_EDITS - start {
                for b_old in 0..=MAX_END_EDITS - start {
                    if a + b + MIN_UNCHANGED > n || a_old + b_old + MIN_UNCHANGED > m {
                        continue;
                    }
                    if b > 0 && b_old > 0 && c[n - 1] == o[m - 1] {
                        continue;
                    }
                    if c[a..n - b] == o[a_old..m - b_old] {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// The finding for an account whose current password is predictable from its history: fail when
/// `only_via_rotation` (the account would pass 2-⑦ only via the `8+rotation` path), warn
/// otherwise. The detail is fixed English words and the history index as given (secretsdump
/// names entries `user_history0`, `user_history1`, …; the caller chooses the numbering); it never
/// quotes a password.
pub fn finding(change: Change, history_index: usize, only_via_rotation: bool) -> Finding {
    let facts = Facts::Predictable {
        change: match change {
            Change::Same => HistoryChange::Same,
            Change::Incremented => HistoryChange::Incremented,
            Change::EndsChanged => HistoryChange::EndsChanged,
        },
        index: super::seven::n32(history_index),
        only_rotation: only_via_rotation,
    };
    if only_via_rotation {
        super::fail(Code::PredictableRotation, facts)
    } else {
        super::warn(Code::PredictableRotation, facts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    /// `old`→`new` as in the doc examples; checked as given and with the roles swapped.
    fn both_ways(old: &str, new: &str, want: Option<Change>) {
        assert_eq!(change(new, old), want, "{old} -> {new}");
        assert_eq!(change(old, new), want, "{new} -> {old}");
    }

    #[test]
    fn same_password() {
        both_ways("Sakura2024!", "Sakura2024!", Some(Change::Same));
        both_ways("ab", "ab", Some(Change::Same));
        both_ways("さくら2024", "さくら2024", Some(Change::Same));
    }

    #[test]
    fn numbers_and_years_changed() {
        for (old, new) in [
            ("Sakura2024!", "Sakura2025!"),
            ("pass9", "pass10"),
            ("Spring01", "Spring02"),
            ("Koro1999#x", "Koro2000#x"),
            ("2024Sakura!", "2025Sakura!"),
            ("Sak12ura!", "Sak13ura!"),
            ("pass1", "pass11"),
            ("12345", "12346"),
            ("Spring01", "Spring1"),
            ("さくら2024", "さくら2025"),
            ("さくら２０２４", "さくら２０２５"),
        ] {
            both_ways(old, new, Some(Change::Incremented));
        }
    }

    #[test]
    fn a_year_split_around_letters_is_deterministic() {
        // Only one of the two digit runs changes: the strings differ inside one run.
        both_ways("20Koro24", "20Koro25", Some(Change::Incremented));
        both_ways("20Koro24", "21Koro24", Some(Change::Incremented));
        // Both runs change: not inside one run. Only the outermost characters changed: at the
        // ends (2 in total); the second character changed: not at an end.
        both_ways("20Koro24", "30Koro25", Some(Change::EndsChanged));
        both_ways("20Koro24", "21Koro25", None);
        // Both runs change by more than two characters in total.
        both_ways("20Koro24", "19Koro99", None);
    }

    #[test]
    fn ends_changed() {
        for (old, new) in [
            ("Koro2025!", "Koro2025#"),
            ("Winter!", "Winter!!"),
            ("xsecret", "secret"),
            ("Winter", "Winter!!"),
            ("!Winter", "Winter?"),
            ("abWinter", "Winter"),
            ("さくら咲く！", "さくら咲く"),
            ("Sakura!", "sakura?"),
            ("Sakura", "sakura2"),
            ("Koro2024!", "Koro2024!x1"),
        ] {
            both_ways(old, new, Some(Change::EndsChanged));
        }
    }

    #[test]
    fn unrelated_or_too_different() {
        for (old, new) in [
            ("Sakura2024!", "Momiji2024!"),
            ("Winter", "Winter!!!"),
            ("Winter", "123Winter"),
            ("!Winter", "Winter?!"),
            ("Pass2024", "Pbss2024"),
            ("Pass2024", "Pas2024"),
            ("Password!", "Passsword!"),
            ("ab", "cd"),
            ("abc", "abd"),
            ("abc1", "abc2"),
            ("ab12", "ab13"),
            ("2024", "2025"),
            ("Sakura", "sakura23"),
            ("Koro2024!", "Koro2024!x12"),
            ("Koro!", "Koro1!"),
            ("Sakura2024!", "SAKURA2024!"),
            ("", "abcd"),
            ("", "a"),
            ("abc", ""),
            ("さくら2024", "もみじ2024"),
        ] {
            both_ways(old, new, None);
        }
    }

    #[test]
    fn severity_follows_the_rotation_path() {
        for ch in [Change::Same, Change::Incremented, Change::EndsChanged] {
            let f = finding(ch, 3, true);
            assert_eq!(f.code, Code::PredictableRotation);
            assert_eq!(f.severity, Severity::Fail);
            assert!(f.detail.contains("(history entry 3)"), "{}", f.detail);
            let w = finding(ch, 0, false);
            assert_eq!(w.code, Code::PredictableRotation);
            assert_eq!(w.severity, Severity::Warn);
            assert!(w.detail.contains("(history entry 0)"), "{}", w.detail);
        }
        assert_eq!(
            finding(Change::Incremented, 1, false).detail,
            "the current password is a previous one with a number incremented or changed (history entry 1)"
        );
        assert!(finding(Change::Same, 1, false).detail.contains("equals"));
        assert!(finding(Change::EndsChanged, 1, false)
            .detail
            .contains("only at its ends"));
    }

    #[test]
    fn details_never_quote_a_password() {
        for (old, new) in [
            ("Sakura2024!", "Sakura2025!"),
            ("Koro2025!", "Koro2025#"),
            ("Winter!", "Winter!"),
            ("さくら2024", "さくら2025"),
        ] {
            let ch = change(new, old).unwrap();
            for only in [true, false] {
                let d = finding(ch, 2, only).detail;
                assert!(!d.contains(old) && !d.contains(new), "{d}");
                for word in ["Sakura", "Koro", "Winter", "さくら", "2024", "2025"] {
                    assert!(!d.contains(word), "{d}");
                }
            }
        }
    }

    #[test]
    fn the_code_serialises_as_in_the_contract() {
        assert_eq!(
            serde_json::to_string(&Code::PredictableRotation).unwrap(),
            "\"PREDICTABLE_ROTATION\""
        );
    }
}
