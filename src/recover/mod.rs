//! Recovery of plaintexts (audit-sized, not a cracker): pot files, wordlists, per-account context,
//! and the verification of every recovered plaintext against every other hash in the audit.
//!
//! Unsalted schemes (NT, {SHA}) hash each candidate once and join on the digest. Salted schemes try
//! candidates per hash in a fixed order until a cost budget is spent (`--salted-budget`, in units of
//! one NT hash; see [`hash::cost`]), so the result does not depend on the machine's speed.

pub mod mangle;
pub mod rules;
pub mod wordlists;

use crate::hash;
use crate::model::{PotEntry, Scheme, Secret};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use wordlists::Wordlists;

/// Default budget per salted hash, in NT-hash units (about one to two seconds of one core).
pub const DEFAULT_SALTED_BUDGET: u64 = 20_000_000;

/// Wordlist candidates per parallel work unit (unsalted schemes).
const CHUNK: usize = 4096;

/// How many of the first wordlist candidates get leet variants (unsalted schemes).
const LEET_TOP: usize = 2_000;

/// How many of the first wordlist candidates a salted hash tries before the full context rules.
const SALTED_HEAD: usize = 300;

/// How a plaintext became known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// Given in an inventory.
    Given,
    /// The stored NT hash is the hash of the empty string.
    EmptyHash,
    /// A pot-file line, re-verified against the hash.
    Potfile,
    /// A wordlist candidate.
    Wordlist,
    /// A mangled context word or account name.
    Context,
    /// A plaintext recovered for another account, verified against this hash.
    Reuse,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Given => "given",
            Method::EmptyHash => "empty_hash",
            Method::Potfile => "potfile",
            Method::Wordlist => "wordlist",
            Method::Context => "context",
            Method::Reuse => "reuse",
        }
    }
}

/// One hash to recover.
#[derive(Debug, Clone)]
pub struct Target {
    pub scheme: Scheme,
    /// The whole stored hash (secret).
    pub hash: Secret,
    /// The account name (user part), a source of candidates.
    pub account: String,
}

/// Options for recovery.
#[derive(Debug, Clone)]
pub struct Options {
    pub context_words: Vec<String>,
    /// Budget per salted hash in NT-hash units.
    pub salted_budget: u64,
}

/// Counts for the evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub candidates_unsalted: usize,
    pub salted_hashes: usize,
    pub salted_verifications: u64,
    pub potfile_lines_matched: usize,
    pub potfile_lines_rejected: usize,
    pub cross_verifications: u64,
}

/// Recover what can be recovered. `known[i]` may already hold a plaintext (given); on return it holds
/// every plaintext found. `progress(done, total, phase)` reports long phases.
pub fn recover(
    targets: &[Option<Target>],
    known: &mut [Option<(Secret, Method)>],
    pots: &[PotEntry],
    lists: &Wordlists,
    opts: &Options,
    progress: &(dyn Fn(&str, usize, usize) + Sync),
) -> Stats {
    let mut stats = Stats::default();
    // Digest index for unsalted targets.
    let mut by_digest: HashMap<(Scheme, Vec<u8>), Vec<usize>> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        if let Some(t) = t {
            if let Some(d) = hash::stored_digest(t.scheme, t.hash.expose()) {
                by_digest.entry((t.scheme, d)).or_default().push(i);
            }
        }
    }
    let unsalted_schemes: Vec<Scheme> = {
        let mut s: Vec<Scheme> = by_digest.keys().map(|k| k.0).collect();
        s.sort();
        s.dedup();
        s
    };

    // 1. Empty NT hashes.
    for (i, t) in targets.iter().enumerate() {
        if let (Some(t), None) = (t, &known[i]) {
            if t.scheme == Scheme::Nt && hash::verify(Scheme::Nt, "", t.hash.expose()) {
                known[i] = Some((Secret::new(""), Method::EmptyHash));
            }
        }
    }

    // 2. Pot files: match by digest (unsalted) or whole hash (salted), then re-verify.
    let mut extra_plains: Vec<Secret> = Vec::new();
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        if let Some(t) = t {
            by_text.entry(t.hash.expose()).or_default().push(i);
        }
    }
    for p in pots {
        extra_plains.push(p.plain.clone());
        let Some(scheme) = hash::identify(p.hash.expose()) else {
            continue;
        };
        let hits: Vec<usize> = match hash::stored_digest(scheme, p.hash.expose()) {
            Some(d) => by_digest.get(&(scheme, d)).cloned().unwrap_or_default(),
            None => by_text.get(p.hash.expose()).cloned().unwrap_or_default(),
        };
        if hits.is_empty() {
            continue;
        }
        let t = targets[hits[0]].as_ref().expect("indexed target");
        if hash::verify(t.scheme, p.plain.expose(), t.hash.expose()) {
            stats.potfile_lines_matched += 1;
            for i in hits {
                if known[i].is_none() {
                    known[i] = Some((p.plain.clone(), Method::Potfile));
                }
            }
        } else {
            stats.potfile_lines_rejected += 1;
        }
    }

    // 3. Unsalted: every candidate hashed once per scheme, joined on the digest.
    let mut context_cands: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for w in opts.context_words.iter().filter(|w| !w.is_empty()) {
        for c in mangle::full(w) {
            if seen.insert(c.clone()) {
                context_cands.push(c);
            }
        }
    }
    let mut account_words: Vec<&str> = targets
        .iter()
        .flatten()
        .map(|t| t.account.as_str())
        .filter(|a| a.chars().count() >= 3)
        .collect();
    account_words.sort();
    account_words.dedup();
    if !unsalted_schemes.is_empty() {
        // Candidates are generated per base word in parallel and joined at once, never all held
        // in memory. Each carries an order key (tier, word, variant): the smallest key wins, so
        // the recovered plaintext and its method do not depend on thread timing.
        let light_words: Vec<&String> = lists
            .candidates
            .iter()
            .filter(|w| w.chars().count() >= 4)
            .collect();
        let units: Vec<(u8, usize)> = (0..context_cands.len().min(1))
            .map(|_| (0u8, 0usize))
            .chain((0..account_words.len()).map(|i| (1, i)))
            .chain((0..lists.candidates.len().div_ceil(CHUNK)).map(|i| (2, i)))
            .chain((0..light_words.len()).map(|i| (3, i)))
            .chain((0..lists.candidates.len().min(LEET_TOP)).map(|i| (4, i)))
            .collect();
        let total = units.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let tried = std::sync::atomic::AtomicUsize::new(0);
        progress("unsalted", 0, total);
        type Hit = ((u8, usize, usize), usize, String);
        let hits: Vec<Hit> = units
            .par_iter()
            .flat_map_iter(|&(tier, i)| {
                let words: Vec<String> = match tier {
                    0 => context_cands.clone(),
                    1 => mangle::full(account_words[i]),
                    2 => lists.candidates[i * CHUNK..((i + 1) * CHUNK).min(lists.candidates.len())]
                        .to_vec(),
                    3 => mangle::light(light_words[i]),
                    _ => mangle::leet_variants(&lists.candidates[i].to_lowercase())
                        .into_iter()
                        .flat_map(|c| [mangle::capitalise(&c), c])
                        .collect(),
                };
                tried.fetch_add(words.len(), std::sync::atomic::Ordering::Relaxed);
                let mut out = Vec::new();
                for (vi, c) in words.into_iter().enumerate() {
                    for s in &unsalted_schemes {
                        if let Some(d) = hash::digest(*s, &c) {
                            if let Some(v) = by_digest.get(&(*s, d)) {
                                out.extend(v.iter().map(|&t| ((tier, i, vi), t, c.clone())));
                            }
                        }
                    }
                }
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress("unsalted", n, total);
                out.into_iter()
            })
            .collect();
        stats.candidates_unsalted = tried.into_inner();
        let mut best: HashMap<usize, ((u8, usize, usize), String)> = HashMap::new();
        for (key, t, c) in hits {
            match best.get(&t) {
                Some((k, _)) if *k <= key => {}
                _ => {
                    best.insert(t, (key, c));
                }
            }
        }
        for (t, (key, c)) in best {
            if known[t].is_none() {
                let m = if key.0 <= 1 {
                    Method::Context
                } else {
                    Method::Wordlist
                };
                known[t] = Some((Secret::new(c), m));
            }
        }
    }

    // 4. Salted: per hash, candidates in a fixed order within the budget: the account name with
    // light rules and the most common passwords first, then the full rules on context words and
    // the account name, then the rest of the wordlists.
    let head: Vec<&str> = lists
        .candidates
        .iter()
        .take(SALTED_HEAD)
        .map(String::as_str)
        .collect();
    let tail: Vec<&str> = lists
        .candidates
        .iter()
        .skip(SALTED_HEAD)
        .map(String::as_str)
        .collect();
    let salted: Vec<usize> = (0..targets.len())
        .filter(|&i| known[i].is_none())
        .filter(|&i| matches!(&targets[i], Some(t) if !t.scheme.is_unsalted()))
        .collect();
    stats.salted_hashes = salted.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress("salted", 0, salted.len());
    type Attempt = (usize, Option<(String, Method)>, u64);
    let found: Vec<Attempt> = salted
        .par_iter()
        .map(|&i| {
            let t = targets[i].as_ref().expect("salted target");
            let cost = hash::cost(t.scheme, t.hash.expose()).max(1);
            let mut allowed = (opts.salted_budget / cost).max(1);
            let mut tried = 0u64;
            let named = t.account.chars().count() >= 3;
            let own_light = if named {
                mangle::light(&t.account)
            } else {
                Vec::new()
            };
            let own_full = if named {
                mangle::full(&t.account)
            } else {
                Vec::new()
            };
            let order = own_light
                .iter()
                .map(|c| (c.as_str(), Method::Context))
                .chain(head.iter().map(|c| (*c, Method::Wordlist)))
                .chain(context_cands.iter().map(|c| (c.as_str(), Method::Context)))
                .chain(own_full.iter().map(|c| (c.as_str(), Method::Context)))
                .chain(tail.iter().map(|c| (*c, Method::Wordlist)));
            let mut seen: HashSet<&str> = HashSet::new();
            let mut hit = None;
            for (c, m) in order {
                if allowed == 0 {
                    break;
                }
                if !seen.insert(c) {
                    continue;
                }
                allowed -= 1;
                tried += 1;
                if hash::verify(t.scheme, c, t.hash.expose()) {
                    hit = Some((c.to_string(), m));
                    break;
                }
            }
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress("salted", n, salted.len());
            (i, hit, tried)
        })
        .collect();
    for (i, hit, tried) in found {
        stats.salted_verifications += tried;
        if let Some((p, m)) = hit {
            known[i] = Some((Secret::new(p), m));
        }
    }

    // 5. Every plaintext known anywhere, against every hash still unknown.
    let mut plains: Vec<Secret> = known.iter().flatten().map(|(p, _)| p.clone()).collect();
    plains.extend(extra_plains);
    plains.sort();
    plains.dedup();
    let unknown: Vec<usize> = (0..targets.len())
        .filter(|&i| known[i].is_none() && targets[i].is_some())
        .collect();
    let total = unknown.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress("cross-check", 0, total);
    let cross: Vec<(usize, Option<Secret>, u64)> = unknown
        .par_iter()
        .map(|&i| {
            let t = targets[i].as_ref().expect("target");
            let mut n = 0u64;
            let hit = if let Some(d) = hash::stored_digest(t.scheme, t.hash.expose()) {
                plains.iter().find(|p| {
                    n += 1;
                    hash::digest(t.scheme, p.expose()).as_deref() == Some(d.as_slice())
                })
            } else {
                plains.iter().find(|p| {
                    n += 1;
                    hash::verify(t.scheme, p.expose(), t.hash.expose())
                })
            };
            let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress("cross-check", k, total);
            (i, hit.cloned(), n)
        })
        .collect();
    for (i, hit, n) in cross {
        stats.cross_verifications += n;
        if let Some(p) = hit {
            known[i] = Some((p, Method::Reuse));
        }
    }
    stats
}
