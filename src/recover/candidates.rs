//! Candidates for the unsalted joins: context words through `kensa-context.rule`, each distinct
//! account-name part (a run of 3+ letters of a login) through `kensa-name.rule`, each login of
//! several parts whole through `kensa-login.rule`, wordlist words through `kensa-light.rule` (the
//! most common words also through the name rules). The rule files are hashcat rules
//! (`wordlists/rules/`), so `hashcat -r` reproduces the candidates.
//!
//! Candidates are made in reusable byte buffers, one set per thread: each distinct transform of a
//! word (the rule without its trailing appends) is computed once, then every suffix is appended
//! to it and the candidate goes straight into a [`Joiner`] lane. Nothing is allocated per
//! candidate.

use super::rules::{self, Rule, RuleSet};
use super::{name_base, Hits, Index, Joiner, Key, Progress, Target, Tier};
use crate::recover::wordlists::Wordlists;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// Wordlist words per parallel work unit.
const CHUNK: usize = 4096;

/// Account-name parts per parallel work unit.
const NAMES_PER_UNIT: usize = 16;

/// Whole logins per parallel work unit (`kensa-login.rule` is short).
const LOGINS_PER_UNIT: usize = 512;

/// How many of the first wordlist words also go through the name rules (leet spellings and years).
const NAME_RULES_TOP: usize = 2_000;

/// Offset of name-rule indices in a wordlist word's keys (after the light rules).
const NAME_RULES_KEY: u32 = 1 << 16;

/// kensa's rule sets, parsed once.
pub struct Sets {
    pub context: Compiled,
    pub name: Compiled,
    pub light: Compiled,
    pub login: Compiled,
}

/// The rule sets shipped in `wordlists/rules/` (embedded in the binary).
pub fn sets() -> &'static Sets {
    static SETS: OnceLock<Sets> = OnceLock::new();
    SETS.get_or_init(|| {
        let parse = |name: &str, text: &str| {
            Compiled::new(
                &RuleSet::parse(text)
                    .unwrap_or_else(|e| panic!("built-in rule file {name} does not parse: {e}")),
            )
        };
        Sets {
            context: parse(
                "kensa-context.rule",
                include_str!("../../wordlists/rules/kensa-context.rule"),
            ),
            name: parse(
                "kensa-name.rule",
                include_str!("../../wordlists/rules/kensa-name.rule"),
            ),
            light: parse(
                "kensa-light.rule",
                include_str!("../../wordlists/rules/kensa-light.rule"),
            ),
            login: parse(
                "kensa-login.rule",
                include_str!("../../wordlists/rules/kensa-login.rule"),
            ),
        }
    })
}

/// A rule set split for fast expansion: its distinct transforms, and every rule as (transform,
/// appended suffix) in file order.
pub struct Compiled {
    transforms: Vec<Rule>,
    pairs: Vec<(u16, Vec<u8>)>,
    /// Rule indices grouped by transform (file order within a transform).
    by_transform: Vec<u32>,
    /// Whether each rule's suffix is ASCII.
    suffix_ascii: Vec<bool>,
    /// `covers[j][k]`: every suffix transform `k` is followed by also follows `j`, so when both
    /// give the same bytes `k` adds nothing.
    covers: Vec<Vec<bool>>,
}

impl Compiled {
    pub fn new(set: &RuleSet) -> Self {
        let mut transforms: Vec<Rule> = Vec::new();
        let mut pairs = Vec::with_capacity(set.rules.len());
        let mut noop: Option<Rule> = None;
        for r in &set.rules {
            let (t, suffix) = r.split_appends();
            // `:` and a rule of appends only both leave the word as it is.
            let t = if t.is_noop() {
                noop.get_or_insert(t).clone()
            } else {
                t
            };
            let k = match transforms.iter().position(|x| *x == t) {
                Some(k) => k,
                None => {
                    transforms.push(t);
                    transforms.len() - 1
                }
            };
            pairs.push((k as u16, suffix));
        }
        let mut suffixes: Vec<std::collections::HashSet<&[u8]>> =
            vec![Default::default(); transforms.len()];
        for (t, sfx) in &pairs {
            suffixes[*t as usize].insert(sfx.as_slice());
        }
        let covers = (0..transforms.len())
            .map(|j| {
                (0..transforms.len())
                    .map(|k| suffixes[k].is_subset(&suffixes[j]))
                    .collect()
            })
            .collect();
        let mut by_transform: Vec<u32> = (0..pairs.len() as u32).collect();
        by_transform.sort_by_key(|&ri| pairs[ri as usize].0);
        let suffix_ascii = pairs.iter().map(|(_, s)| s.is_ascii()).collect();
        Compiled {
            transforms,
            pairs,
            by_transform,
            suffix_ascii,
            covers,
        }
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Every candidate of `word` as owned strings (zeroized: one of them may be the password),
    /// in rule order, without repeats (for salted hashes, where a verification costs far more
    /// than a string).
    pub fn strings(&self, word: &str) -> Vec<crate::model::Secret> {
        let mut e = Expander::default();
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        e.expand(self, word.as_bytes(), |_, c| {
            if let Ok(s) = std::str::from_utf8(c) {
                let s = crate::model::Secret::new(s);
                if seen.insert(s.clone()) {
                    out.push(s);
                }
            }
        });
        out
    }
}

/// Per-thread buffers for expanding words: one per transform, and one for the candidate.
#[derive(Default)]
pub struct Expander {
    outs: Vec<Vec<u8>>,
    alive: Vec<bool>,
    seen: HashMap<u64, usize, std::hash::BuildHasherDefault<super::join::Passthrough>>,
    cand: Vec<u8>,
}

impl Expander {
    /// Call `f(rule index, candidate)` for every rule of `c` on `word`, in rule order. A
    /// transform that gives the same bytes as an earlier one is skipped with all its suffixes
    /// (`l` on a lower-case word).
    pub fn expand(&mut self, c: &Compiled, word: &[u8], mut f: impl FnMut(u32, &[u8])) {
        self.transform(c, word);
        for ri in 0..c.pairs.len() {
            if let Some(cand) = self.candidate(c, ri) {
                f(ri as u32, cand);
            }
        }
    }

    /// Like [`Expander::expand`] in transform order (the rules of one transform together), each
    /// candidate given as `f(rule index, prefix, suffix, both ASCII, new prefix)` so the caller
    /// can write it without joining the two, and prepare each prefix once. A candidate the rules
    /// would cut at their length limit comes joined, with an empty suffix.
    pub fn expand_pairs(
        &mut self,
        c: &Compiled,
        word: &[u8],
        mut f: impl FnMut(u32, &[u8], &[u8], bool, bool),
    ) {
        self.transform(c, word);
        let mut last = usize::MAX;
        let mut ascii = false;
        for &ri in &c.by_transform {
            let (t, suffix) = &c.pairs[ri as usize];
            let t = *t as usize;
            if !self.alive[t] {
                continue;
            }
            let fresh = t != last;
            if fresh {
                last = t;
                ascii = self.outs[t].is_ascii();
            }
            let pre = &self.outs[t];
            if pre.len() + suffix.len() < rules::MAX_LEN {
                f(ri, pre, suffix, ascii && c.suffix_ascii[ri as usize], fresh);
            } else {
                self.cand.clear();
                self.cand.extend_from_slice(pre);
                rules::append(&mut self.cand, suffix);
                f(ri, &self.cand, &[], self.cand.is_ascii(), true);
                // The next candidate of this transform needs its prefix again.
                last = usize::MAX;
            }
        }
    }

    /// Every distinct transform of `word` into `outs`, `alive` false for a failed or repeated one.
    fn transform(&mut self, c: &Compiled, word: &[u8]) {
        let n = c.transforms.len();
        if self.outs.len() < n {
            self.outs
                .resize_with(n, || Vec::with_capacity(rules::MAX_LEN));
            self.alive.resize(n, false);
        }
        if self.cand.capacity() < rules::MAX_LEN {
            self.cand.reserve(rules::MAX_LEN);
        }
        self.seen.clear();
        for (k, t) in c.transforms.iter().enumerate() {
            let ok = t.apply(word, &mut self.outs[k]);
            self.alive[k] = ok;
            if !self.alive[k] {
                continue;
            }
            let h = xxhash_rust::xxh3::xxh3_64(&self.outs[k]);
            match self.seen.get(&h) {
                Some(&j) if self.outs[j] == self.outs[k] && c.covers[j][k] => self.alive[k] = false,
                _ => {
                    self.seen.insert(h, k);
                }
            }
        }
    }

    /// Rule `ri`'s candidate after [`Expander::transform`], or None if its transform is skipped.
    fn candidate(&mut self, c: &Compiled, ri: usize) -> Option<&[u8]> {
        let (t, suffix) = &c.pairs[ri];
        let t = *t as usize;
        if !self.alive[t] {
            return None;
        }
        self.cand.clear();
        self.cand.extend_from_slice(&self.outs[t]);
        if self.cand.len() + suffix.len() < rules::MAX_LEN {
            self.cand.extend_from_slice(suffix);
        } else {
            rules::append(&mut self.cand, suffix);
        }
        Some(&self.cand)
    }
}

impl Drop for Expander {
    fn drop(&mut self) {
        // The buffers held candidate plaintexts.
        for o in &mut self.outs {
            zeroize::Zeroize::zeroize(o);
        }
        zeroize::Zeroize::zeroize(&mut self.cand);
    }
}

/// What the candidate walk covers.
pub(crate) struct Plan<'a> {
    /// Context words, lower-cased.
    pub context: Vec<String>,
    /// Distinct name parts: the runs of at least 3 letters of the account-name bases
    /// (`sato.hanako01` gives `sato` and `hanako`).
    pub parts: Vec<String>,
    /// Distinct account-name bases of at least 3 characters that are not one name part.
    pub logins: Vec<String>,
    pub lists: &'a Wordlists,
}

/// The runs of at least 3 letters of a lower-cased name base.
pub fn name_parts(base: &str) -> impl Iterator<Item = &str> {
    base.split(|c: char| !c.is_alphabetic())
        .filter(|p| p.chars().count() >= 3)
}

impl<'a> Plan<'a> {
    pub fn new(targets: &[Target], context: &[String], lists: &'a Wordlists) -> Self {
        let bases: BTreeSet<String> = targets
            .iter()
            .map(|t| name_base(&t.account))
            .filter(|b| b.chars().count() >= 3)
            .collect();
        let mut parts: BTreeSet<String> = BTreeSet::new();
        let mut logins = Vec::new();
        for b in bases {
            let mut whole = false;
            for p in name_parts(&b) {
                whole |= p.len() == b.len();
                if !parts.contains(p) {
                    parts.insert(p.to_string());
                }
            }
            if !whole {
                logins.push(b);
            }
        }
        let context: BTreeSet<String> = context.iter().filter(|w| !w.is_empty()).cloned().collect();
        Plan {
            context: context.into_iter().collect(),
            parts: parts.into_iter().collect(),
            logins,
            lists,
        }
    }
}

/// Walk every candidate of the plan through the joins; returns how many candidates were tried.
pub(crate) fn run(plan: &Plan<'_>, idx: &Index, hits: &mut Hits, progress: Progress<'_>) -> usize {
    let sets = sets();
    let words = &plan.lists.candidates;
    // Name-tier sources: the parts, then the logins.
    let np = plan.parts.len();
    let unit = |tier: Tier, n: usize, per: usize, base: usize| {
        (0..n.div_ceil(per)).map(move |i| (tier, base + i * per, base + ((i + 1) * per).min(n)))
    };
    let units: Vec<(Tier, usize, usize)> = (0..plan.context.len())
        .map(|i| (Tier::Context, i, i + 1))
        .chain(unit(Tier::Name, np, NAMES_PER_UNIT, 0))
        .chain(unit(Tier::Name, plan.logins.len(), LOGINS_PER_UNIT, np))
        .chain(unit(Tier::Wordlist, words.len(), CHUNK, 0))
        .collect();
    let total = units.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress("candidates", 0, total);
    let parts: Vec<(Hits, u64)> = units
        .par_chunks(4)
        .map(|us| {
            let mut j = Joiner::new(idx);
            let mut e = Expander::default();
            for &(tier, start, end) in us {
                let mut feed = |set: &Compiled, word: &str, source: usize, offset: u32| {
                    e.expand_pairs(set, word.as_bytes(), |ri, pre, suf, ascii, fresh| {
                        j.push_pair(
                            pre,
                            suf,
                            ascii,
                            fresh,
                            Key {
                                tier,
                                source: source as u32,
                                index: offset + ri,
                            },
                        )
                    });
                };
                match tier {
                    Tier::Context => feed(&sets.context, &plan.context[start], start, 0),
                    Tier::Name => {
                        for b in start..end {
                            match plan.parts.get(b) {
                                Some(p) => feed(&sets.name, p, b, 0),
                                None => feed(&sets.login, &plan.logins[b - np], b, 0),
                            }
                        }
                    }
                    _ => {
                        for (wi, w) in (start..end).zip(words.range(start, end)) {
                            feed(&sets.light, w, wi, 0);
                            if wi < NAME_RULES_TOP {
                                feed(&sets.name, &w.to_lowercase(), wi, NAME_RULES_KEY);
                            }
                        }
                    }
                }
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress("candidates", n, total);
            }
            j.finish()
        })
        .collect();
    let mut tried = 0;
    for (h, t) in parts {
        hits.extend(h);
        tried += t;
    }
    tried as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule applied on its own, in file order, without the transform sharing.
    fn naive(set: &str, word: &str) -> Vec<Vec<u8>> {
        let rs = RuleSet::parse(set).unwrap();
        let mut out = Vec::new();
        rs.rules
            .iter()
            .filter_map(|r| {
                let mut b = Vec::new();
                r.apply(word.as_bytes(), &mut b).then_some(b)
            })
            .filter(|b| {
                let new = !out.contains(b);
                if new {
                    out.push(b.clone());
                }
                new
            })
            .collect()
    }

    #[test]
    fn expansion_equals_each_rule_applied_alone_without_repeats() {
        let files = [
            include_str!("../../wordlists/rules/kensa-light.rule"),
            include_str!("../../wordlists/rules/kensa-name.rule"),
            include_str!("../../wordlists/rules/kensa-context.rule"),
            include_str!("../../wordlists/rules/kensa-login.rule"),
            ":\nl\n$1\nu $1\nsa@\nsa@ $!\n",
        ];
        for f in files {
            let c = Compiled::new(&RuleSet::parse(f).unwrap());
            let mut e = Expander::default();
            for w in ["kango", "Sakura", "koro", "1234", "päss", "", "a"] {
                let mut got: Vec<Vec<u8>> = Vec::new();
                e.expand(&c, w.as_bytes(), |_, b| {
                    if !got.contains(&b.to_vec()) {
                        got.push(b.to_vec())
                    }
                });
                let want = naive(f, w);
                assert_eq!(got.len(), want.len(), "{w}");
                let g: BTreeSet<_> = got.into_iter().collect();
                let n: BTreeSet<_> = want.into_iter().collect();
                assert_eq!(g, n, "{w}");
            }
        }
        // The same candidates in transform order, as prefix and suffix.
        for f in files {
            let c = Compiled::new(&RuleSet::parse(f).unwrap());
            let mut e = Expander::default();
            for w in ["kango", "Sakura", "päss", ""] {
                let mut a: Vec<(u32, Vec<u8>)> = Vec::new();
                e.expand(&c, w.as_bytes(), |ri, b| a.push((ri, b.to_vec())));
                let mut b: Vec<(u32, Vec<u8>)> = Vec::new();
                e.expand_pairs(&c, w.as_bytes(), |ri, p, s, ascii, _| {
                    let j = [p, s].concat();
                    assert_eq!(ascii, j.is_ascii());
                    b.push((ri, j))
                });
                a.sort();
                b.sort();
                assert_eq!(a, b, "{w}");
            }
        }
        let has = |v: &[crate::model::Secret], w: &str| v.iter().any(|s| s.expose() == w);
        let s = sets().light.strings("kango");
        assert_eq!(s[0].expose(), "kango");
        assert!(has(&s, "kango2020") && has(&s, "Kango123!"));
        assert!(has(&sets().name.strings("koro"), "k0r0!"));
        assert!(has(&sets().context.strings("koro"), "K0r02025!"));
        assert!(has(&sets().login.strings("sato.hanako"), "Sato.hanako2024"));
    }

    #[test]
    fn names_split_into_parts_and_whole_logins() {
        let lists = Wordlists::empty();
        let t = |a: &str| Target {
            id: 0,
            account: a.into(),
            hash: None,
            lm: None,
            given: None,
            salted_work: false,
        };
        let targets: Vec<Target> = [
            "KORO\\Sato.Hanako01",
            "sato",
            "sato_history2",
            "tanaka01",
            "yamada_t",
            "ab",
        ]
        .iter()
        .map(|a| t(a))
        .collect();
        let plan = Plan::new(&targets, &[], &lists);
        assert_eq!(plan.parts, ["hanako", "sato", "tanaka", "yamada"]);
        assert_eq!(plan.logins, ["sato.hanako01", "tanaka01", "yamada_t"]);
        assert_eq!(
            name_parts("nmq.ylbl0000000").collect::<Vec<_>>(),
            ["nmq", "ylbl"]
        );
    }
}
