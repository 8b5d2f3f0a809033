//! LM: plaintexts of whole LM hashes and of LM halves (hashcat `-m 3000` and john crack each
//! 7-character half on its own), and the NT plaintext found from the upper-case LM one by trying
//! the case of each letter against the NT hash (what DPAT calls lm2ntcrack).

use super::{Key, Method, Secret, State, Target};
use crate::hash;
use crate::hash::md4x::{Blocks, LANES};
use crate::model::Scheme;
use std::collections::BTreeMap;

/// Turn LM hits into one upper-case LM plaintext per target: a whole-hash hit, or both halves
/// (the second half of a password of at most 7 characters is the empty half).
pub(crate) fn gather(
    targets: &[Target],
    whole: Vec<(u32, Key, Secret)>,
    halves: Vec<(u32, bool, Key, Secret)>,
    st: &mut State,
) {
    let mut best: BTreeMap<u32, (Key, Secret)> = BTreeMap::new();
    for (t, k, p) in whole {
        if best.get(&t).is_none_or(|(bk, _)| k < *bk) {
            best.insert(t, (k, p));
        }
    }
    for (t, (_, p)) in best {
        st.lm_known[t as usize].get_or_insert(p);
    }
    // Halves: every first-half plaintext with every second-half one (in key order), the pair
    // trusted only when the whole LM hash verifies.
    let mut parts: BTreeMap<(u32, bool), Vec<(Key, Secret)>> = BTreeMap::new();
    for (t, second, k, p) in halves {
        parts.entry((t, second)).or_default().push((k, p));
    }
    for v in parts.values_mut() {
        v.sort_by_key(|(k, _)| *k);
        v.dedup_by(|a, b| a.1 == b.1);
        v.truncate(8);
    }
    let empty = [(
        Key {
            tier: super::Tier::Pot,
            source: 0,
            index: 0,
        },
        Secret::new(""),
    )];
    for ((t, second), firsts) in &parts {
        if *second || st.lm_known[*t as usize].is_some() {
            continue;
        }
        let t_ = &targets[*t as usize];
        let Some(stored) = t_
            .lm
            .as_ref()
            .or(t_.hash.as_ref().filter(|h| h.scheme == Scheme::Lm))
            .and_then(|h| hash::stored_digest(Scheme::Lm, h.text.expose()))
        else {
            continue;
        };
        let seconds: &[(Key, Secret)] = match parts.get(&(*t, true)) {
            Some(v) => v,
            None => &empty,
        };
        'pairs: for (_, a) in firsts {
            for (_, b) in seconds {
                let whole = format!("{}{}", a.expose(), b.expose());
                if hash::lm(&whole).is_some_and(|d| hash::ct_eq(&d, &stored)) {
                    st.lm_known[*t as usize] = Some(Secret::new(whole));
                    break 'pairs;
                }
            }
        }
    }
}

/// For every target whose LM plaintext is known and whose NT plaintext is not: find the NT
/// plaintext among the case variants of the LM one (at most 2^14), verified against the NT hash.
pub(crate) fn resolve_to_nt(targets: &[Target], st: &mut State) {
    for (i, t) in targets.iter().enumerate() {
        if st.found[i].is_some() {
            continue;
        }
        let upper = match st.lm_known.get(i).cloned().flatten() {
            Some(u) => u,
            None => continue,
        };
        let Some(nt) = t
            .hash
            .as_ref()
            .filter(|h| h.scheme == Scheme::Nt)
            .and_then(|h| hash::stored_digest(Scheme::Nt, h.text.expose()))
        else {
            continue;
        };
        if let Some(p) = toggle_case(upper.expose(), &nt) {
            st.set(i, Secret::new(p), Method::Lm);
        }
    }
}

/// The case variant of `upper` whose NT hash is `nt`, if any.
pub fn toggle_case(upper: &str, nt: &[u8]) -> Option<String> {
    let chars: Vec<u8> = upper.bytes().collect();
    if !upper.is_ascii() || chars.len() > 14 {
        return None;
    }
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_ascii_alphabetic())
        .collect();
    let total: u32 = 1 << letters.len();
    let mut blocks = Blocks::new();
    let mut out = [[0u32; 4]; LANES];
    let mut cand = [0u8; 14];
    let mut variant = 0u32;
    let make = |v: u32, cand: &mut [u8; 14]| {
        cand[..chars.len()].copy_from_slice(&chars);
        for (bit, &pos) in letters.iter().enumerate() {
            if v >> bit & 1 == 0 {
                cand[pos] = cand[pos].to_ascii_lowercase();
            }
        }
    };
    while variant < total {
        let batch = (total - variant).min(LANES as u32);
        for lane in 0..batch {
            make(variant + lane, &mut cand);
            blocks.set_bytes(lane as usize, &cand[..chars.len()]);
        }
        blocks.hash(&mut out);
        for (lane, words) in out.iter().enumerate().take(batch as usize) {
            let mut d = [0u8; 16];
            for (k, w) in words.iter().enumerate() {
                d[4 * k..4 * k + 4].copy_from_slice(&w.to_le_bytes());
            }
            if hash::ct_eq(&d, nt) {
                make(variant + lane as u32, &mut cand);
                let s = String::from_utf8_lossy(&cand[..chars.len()]).into_owned();
                zeroize::Zeroize::zeroize(&mut cand);
                for l in 0..LANES {
                    blocks.set_bytes(l, &[]);
                }
                return Some(s);
            }
        }
        variant += batch;
    }
    for l in 0..LANES {
        blocks.set_bytes(l, &[]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggles_case_to_the_nt_plaintext() {
        let nt = hash::nt("PassWord12!");
        assert_eq!(
            toggle_case("PASSWORD12!", &nt).as_deref(),
            Some("PassWord12!")
        );
        assert_eq!(toggle_case("PASSWORD12?", &nt), None);
        assert_eq!(
            toggle_case("12345", &hash::nt("12345")).as_deref(),
            Some("12345")
        );
        let long = hash::nt("abcdefghijklmn");
        assert_eq!(
            toggle_case("ABCDEFGHIJKLMN", &long).as_deref(),
            Some("abcdefghijklmn")
        );
        assert_eq!(toggle_case("ABCDEFGHIJKLMNO", &long), None);
    }
}

#[cfg(test)]
mod gather_tests {
    use super::super::{State, Stats, Tier};
    use super::*;
    use crate::model::HashValue;

    fn target(pw: &str) -> Target {
        Target {
            id: 0,
            account: "x".into(),
            hash: Some(HashValue {
                scheme: Scheme::Nt,
                text: Secret::new(hex::encode(hash::nt(pw))),
            }),
            lm: Some(HashValue {
                scheme: Scheme::Lm,
                text: Secret::new(hex::encode(hash::lm(pw).unwrap())),
            }),
            given: None,
            salted_work: true,
        }
    }

    fn key(i: u32) -> Key {
        Key {
            tier: Tier::Pot,
            source: 0,
            index: i,
        }
    }

    #[test]
    fn halves_are_trusted_only_when_the_whole_hash_verifies() {
        let targets = vec![target("Pass12word"), target("abc")];
        let mut st = State {
            found: vec![None; 2],
            salted: vec![None; 2],
            lm_known: vec![None; 2],
            stats: Stats::default(),
        };
        let halves = vec![
            // An uneven split (8 + 2) and a wrong second half first.
            (0, false, key(1), Secret::new("PASS12WO")),
            (0, true, key(2), Secret::new("XX")),
            (0, true, key(3), Secret::new("RD")),
            // A short password: only its first half is in the pot.
            (1, false, key(4), Secret::new("ABC")),
        ];
        gather(&targets, Vec::new(), halves, &mut st);
        assert_eq!(st.lm_known[0].as_ref().unwrap().expose(), "PASS12WORD");
        assert_eq!(st.lm_known[1].as_ref().unwrap().expose(), "ABC");
        resolve_to_nt(&targets, &mut st);
        assert_eq!(st.found[0].as_ref().unwrap().plain.expose(), "Pass12word");
        assert_eq!(st.found[0].as_ref().unwrap().method, Method::Lm);
        assert_eq!(st.found[1].as_ref().unwrap().plain.expose(), "abc");
    }
}
