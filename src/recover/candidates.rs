//! Candidates for the unsalted joins: context words with the full rules, each distinct
//! account-name base with the name rules, and wordlist words with the light rules (and leet
//! spellings of the most common ones), generated per work unit in parallel and fed to a
//! [`Joiner`] without being held together in memory.

use super::{mangle, name_base, Hits, Index, Joiner, Key, Progress, Target, Tier};
use crate::recover::wordlists::Wordlists;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Wordlist words per parallel work unit.
const CHUNK: usize = 4096;

/// How many of the first wordlist words also get leet spellings.
const LEET_TOP: usize = 2_000;

/// What the candidate walk covers.
pub(crate) struct Plan<'a> {
    /// Context words, lower-cased (full rules).
    pub context: Vec<String>,
    /// Distinct account-name bases of at least 3 characters (name rules).
    pub bases: Vec<String>,
    pub lists: &'a Wordlists,
}

impl<'a> Plan<'a> {
    pub fn new(targets: &[Target], context: &[String], lists: &'a Wordlists) -> Self {
        let bases: BTreeSet<String> = targets
            .iter()
            .map(|t| name_base(&t.account))
            .filter(|b| b.chars().count() >= 3)
            .collect();
        let context: BTreeSet<String> = context.iter().filter(|w| !w.is_empty()).cloned().collect();
        Plan {
            context: context.into_iter().collect(),
            bases: bases.into_iter().collect(),
            lists,
        }
    }
}

/// Walk every candidate of the plan through the joins; returns how many candidates were tried.
pub(crate) fn run(plan: &Plan<'_>, idx: &Index, hits: &mut Hits, progress: Progress<'_>) -> usize {
    let words = &plan.lists.candidates;
    let units: Vec<(Tier, usize)> = (0..plan.context.len())
        .map(|i| (Tier::Context, i))
        .chain((0..plan.bases.len()).map(|i| (Tier::Name, i)))
        .chain((0..words.len().div_ceil(CHUNK)).map(|i| (Tier::Wordlist, i)))
        .collect();
    let total = units.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress("candidates", 0, total);
    let parts: Vec<(Hits, u64)> = units
        .par_chunks(8)
        .map(|us| {
            let mut j = Joiner::new(idx);
            for &(tier, i) in us {
                match tier {
                    Tier::Context | Tier::Name => {
                        let word = if tier == Tier::Context {
                            &plan.context[i]
                        } else {
                            &plan.bases[i]
                        };
                        for (vi, c) in mangle::full(word).iter().enumerate() {
                            j.push_str(
                                c,
                                Key {
                                    tier,
                                    source: i as u32,
                                    index: vi as u32,
                                },
                            );
                        }
                    }
                    _ => {
                        let end = ((i + 1) * CHUNK).min(words.len());
                        for (wi, w) in words[i * CHUNK..end].iter().enumerate() {
                            let wi = i * CHUNK + wi;
                            let key = |index: u32| Key {
                                tier: Tier::Wordlist,
                                source: wi as u32,
                                index,
                            };
                            j.push_str(w, key(0));
                            if w.chars().count() >= 4 {
                                for (vi, c) in mangle::light(w).iter().enumerate() {
                                    j.push_str(c, key(1 + vi as u32));
                                }
                            }
                            if wi < LEET_TOP {
                                for (vi, l) in
                                    mangle::leet_variants(&w.to_lowercase()).iter().enumerate()
                                {
                                    j.push_str(&mangle::capitalise(l), key(10_000 + 2 * vi as u32));
                                    j.push_str(l, key(10_001 + 2 * vi as u32));
                                }
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
