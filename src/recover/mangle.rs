//! Mangling rules that turn a base word (context word, account name, wordlist word) into candidates.
//!
//! Full rules (context words and account names): case variants (lower, Capitalised, UPPER),
//! leet variants (every combination of a→@, a→4, e→3, i→1, o→0, s→$, s→5, at most 64), each followed by nothing, one of the years
//! 1990–2035 (also as two digits and followed by `!`/`@`/`#`), `1` `12` `123` `1234` `01` `0`,
//! or one of `! @ # $ ? .` alone or after `1`/`123`. Light rules (wordlist words for unsalted
//! schemes): case variants followed by nothing, `1`, `123`, `!`, `1!`, `123!` or the years 2015–2030.

/// Years appended by the full rules: 1990–2035, the most recent first (a fixed order, so results
/// do not depend on the date of the run).
pub fn years() -> impl Iterator<Item = u32> {
    (1990..=2026).rev().chain(2027..=2035)
}

/// Every full-rule variant of `word`, most likely first, without duplicates.
pub fn full(word: &str) -> Vec<String> {
    let mut suffixes: Vec<String> = vec![String::new()];
    for s in [
        "1", "12", "123", "1234", "01", "0", "!", "@", "#", "$", "?", ".", "1!", "123!", "!!", "@1",
    ] {
        suffixes.push(s.into());
    }
    for y in years() {
        let short = format!("{:02}", y % 100);
        suffixes.push(y.to_string());
        for sym in ["!", "@", "#"] {
            suffixes.push(format!("{y}{sym}"));
        }
        suffixes.push(short.clone());
        suffixes.push(format!("{short}!"));
    }
    expand(word, &suffixes, true)
}

/// The light-rule variants of `word`.
pub fn light(word: &str) -> Vec<String> {
    let mut suffixes: Vec<String> = ["", "1", "123", "!", "1!", "123!"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    suffixes.extend((2015..=2030).map(|y| y.to_string()));
    expand(word, &suffixes, false)
}

fn expand(word: &str, suffixes: &[String], leet_too: bool) -> Vec<String> {
    let lower = word.to_lowercase();
    let mut bases = vec![lower.clone(), capitalise(&lower), word.to_uppercase()];
    if word != lower {
        bases.insert(0, word.to_string());
    }
    if leet_too {
        for l in leet_variants(&lower) {
            bases.push(capitalise(&l));
            bases.push(l);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(bases.len() * suffixes.len());
    for s in suffixes {
        for b in &bases {
            let c = format!("{b}{s}");
            if seen.insert(c.clone()) {
                out.push(c);
            }
        }
    }
    out
}

/// `koro` → `Koro`.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Substitutions tried by the leet rules.
const LEET: [(char, char); 7] = [
    ('a', '@'),
    ('a', '4'),
    ('e', '3'),
    ('i', '1'),
    ('o', '0'),
    ('s', '$'),
    ('s', '5'),
];

/// Every leet spelling of a lower-case word (each substitutable letter kind either kept or
/// replaced), without the word itself; at most 64, in a fixed order.
pub fn leet_variants(lower: &str) -> Vec<String> {
    // For each letter kind present, the choices: keep it, or one of its substitutes.
    let mut kinds: Vec<(char, Vec<char>)> = Vec::new();
    for (from, to) in LEET {
        if lower.contains(from) {
            match kinds.iter_mut().find(|k| k.0 == from) {
                Some(k) => k.1.push(to),
                None => kinds.push((from, vec![from, to])),
            }
        }
    }
    let mut out: Vec<String> = vec![lower.to_string()];
    for (from, choices) in &kinds {
        let mut next = Vec::new();
        for w in &out {
            for &c in choices {
                next.push(w.replace(*from, &c.to_string()));
                if next.len() >= 64 {
                    break;
                }
            }
        }
        out = next;
    }
    out.retain(|w| w != lower);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_rules_cover_documented_examples() {
        let v = full("koro");
        for want in [
            "koro",
            "Koro",
            "KORO",
            "Koro2025!",
            "koro123",
            "K0r0",
            "k0r0",
            "Koro99",
            "Koro2035#",
            "koro!",
        ] {
            assert!(v.iter().any(|c| c == want), "missing {want}");
        }
        let unique: std::collections::HashSet<_> = v.iter().collect();
        assert_eq!(unique.len(), v.len());
        assert_eq!(v[0], "koro");
    }

    #[test]
    fn leet_variants_cover_partial_substitutions() {
        let v = leet_variants("password");
        assert!(v.contains(&"pa$$w0rd".to_string()) && v.contains(&"p@55word".to_string()));
        assert!(!v.contains(&"password".to_string()));
        assert!(v.len() <= 64);
        assert!(leet_variants("xyz").is_empty());
    }

    #[test]
    fn light_rules_are_small() {
        let v = light("sakura");
        assert!(v.contains(&"Sakura123".to_string()) && v.contains(&"sakura2024".to_string()));
        assert!(v.len() < 70);
    }
}
