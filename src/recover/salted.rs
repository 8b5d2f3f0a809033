//! Salted hashes and the cross-check of known plaintexts.
//!
//! Every plaintext known anywhere in the audit is joined against the unsalted hashes (one digest
//! per plaintext and scheme) and verified against the salted ones. Salted work is bounded by a
//! budget per hash and one budget for the whole audit, in NT-hash units ([`hash::cost`]), spent in
//! tiers ordered by likelihood: plaintexts already known here, then the account's own name and the
//! most common passwords, then context words and the full rules on the name, then pot-file
//! plaintexts and the rest of the wordlists. Within a tier the cheapest hashes are served first.
//! Grants and refunds are computed in a fixed order, so the result does not depend on threads or
//! on the machine's speed; what each hash got is reported in [`SaltedWork`].

use super::{
    lm, mangle, Found, Hits, Index, Joiner, Key, Method, Options, Progress, SaltedWork, State,
    Target, Tier,
};
use crate::hash;
use crate::input::potfile;
use crate::model::{PotFile, Secret};
use crate::recover::wordlists::Wordlists;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// How many of the first wordlist candidates a salted hash tries before the full context rules.
const SALTED_HEAD: usize = 300;

/// Cross-check known plaintexts, then spend the salted budget, then cross-check what it found.
pub(crate) fn run(
    targets: &[Target],
    idx: &Index,
    pots: &[PotFile],
    lists: &Wordlists,
    opts: &Options,
    st: &mut State,
    progress: Progress<'_>,
) {
    let salted: Vec<usize> = (0..targets.len())
        .filter(|&i| st.found[i].is_none() && targets[i].salted_work)
        .filter(|&i| {
            targets[i].hash.as_ref().is_some_and(|h| {
                !h.scheme.is_unsalted() && h.scheme != crate::model::Scheme::Plaintext
            })
        })
        .collect();
    st.stats.salted_hashes = salted.len();
    let mut b = Budget {
        total: opts.salted_total,
        per: salted
            .iter()
            .map(|&i| {
                let h = targets[i].hash.as_ref().expect("salted hash");
                (
                    i,
                    (hash::cost(h.scheme, h.text.expose()), opts.salted_budget),
                )
            })
            .collect(),
    };
    for &i in &salted {
        st.salted[i] = Some(SaltedWork {
            tries: 0,
            cost: b.per[&i].0,
            complete: true,
        });
    }
    let mut joined: HashSet<String> = HashSet::new();
    let mut tried_known: HashSet<String> = HashSet::new();

    cross_check(
        targets,
        idx,
        &salted,
        &mut b,
        st,
        &mut joined,
        &mut tried_known,
        progress,
    );

    let context_full: Vec<String> = {
        let mut seen = HashSet::new();
        opts.context_words
            .iter()
            .filter(|w| !w.is_empty())
            .flat_map(|w| mangle::full(w))
            .filter(|c| seen.insert(c.clone()))
            .collect()
    };
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
    let user = |i: usize| {
        let a = &targets[i].account;
        a.rsplit('\\').next().unwrap_or(a).to_string()
    };
    let named = |i: usize| user(i).chars().count() >= 3;
    // Tier 2: the account's own name with light rules, and the most common passwords.
    spend(
        targets,
        &salted,
        &mut b,
        st,
        progress,
        "salted",
        &|i| {
            let own = if named(i) {
                mangle::light(&user(i)).len()
            } else {
                0
            };
            (own + head.len()) as u64
        },
        &|i, f| {
            if named(i) {
                for c in mangle::light(&user(i)) {
                    if !f(&c, Method::Context) {
                        return;
                    }
                }
            }
            for c in &head {
                if !f(c, Method::Wordlist) {
                    return;
                }
            }
        },
    );
    // Tier 3: context words and the full rules on the account name.
    spend(
        targets,
        &salted,
        &mut b,
        st,
        progress,
        "salted",
        &|i| {
            let own = if named(i) {
                mangle::full(&user(i)).len()
            } else {
                0
            };
            (own + context_full.len()) as u64
        },
        &|i, f| {
            for c in &context_full {
                if !f(c, Method::Context) {
                    return;
                }
            }
            if named(i) {
                for c in mangle::full(&user(i)) {
                    if !f(&c, Method::Context) {
                        return;
                    }
                }
            }
        },
    );
    // Tier 4: pot-file plaintexts and the rest of the wordlists.
    let pot_lines: u64 = pots
        .iter()
        .map(|p| potfile::lines(p.text.expose()).count() as u64)
        .sum();
    spend(
        targets,
        &salted,
        &mut b,
        st,
        progress,
        "salted",
        &|_| pot_lines + tail.len() as u64,
        &|_, f| {
            let mut buf = zeroize::Zeroizing::new(Vec::new());
            for p in pots {
                for (_, line) in potfile::lines(p.text.expose()) {
                    let Ok(line) = line else { continue };
                    if potfile::plain_bytes(line.plain, &mut buf).is_err() {
                        continue;
                    }
                    if let Ok(s) = std::str::from_utf8(&buf) {
                        if !f(s, Method::Potfile) {
                            return;
                        }
                    }
                }
            }
            for c in &tail {
                if !f(c, Method::Wordlist) {
                    return;
                }
            }
        },
    );
    // What the salted work found is checked against every other hash, until nothing new appears.
    while cross_check(
        targets,
        idx,
        &salted,
        &mut b,
        st,
        &mut joined,
        &mut tried_known,
        progress,
    ) {}
}

/// The salted budget: what is left for the audit, and per hash (cost of one try, units left).
struct Budget {
    total: u64,
    per: BTreeMap<usize, (u64, u64)>,
}

/// Join every known plaintext not joined yet against the unsalted hashes, and verify every known
/// plaintext not tried yet against the salted hashes still unknown (within the budget). True if
/// something new became known.
#[allow(clippy::too_many_arguments)]
fn cross_check(
    targets: &[Target],
    idx: &Index,
    salted: &[usize],
    b: &mut Budget,
    st: &mut State,
    joined: &mut HashSet<String>,
    tried_known: &mut HashSet<String>,
    progress: Progress<'_>,
) -> bool {
    let before = st.found.iter().filter(|f| f.is_some()).count();
    // Distinct known plaintexts, most shared first, then by the first account holding them.
    let mut by_plain: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, f) in st.found.iter().enumerate() {
        if let Some(f) = f {
            let e = by_plain.entry(f.plain.expose()).or_insert((0, i));
            e.0 += 1;
        }
    }
    let mut order: Vec<(&str, usize, usize)> = by_plain
        .into_iter()
        .map(|(p, (n, first))| (p, n, first))
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let plains: Vec<(Secret, usize)> = order
        .iter()
        .map(|(p, _, first)| (Secret::new(*p), *first))
        .collect();
    // Unsalted: a join.
    let mut j = Joiner::new(idx);
    j.with_lm = true;
    for (p, first) in &plains {
        if joined.insert(p.expose().to_string()) {
            j.push_str(
                p.expose(),
                Key {
                    tier: Tier::Known,
                    source: *first as u32,
                    index: 0,
                },
            );
        }
    }
    let (hits, n): (Hits, u64) = j.finish();
    st.stats.cross_verifications += n;
    st.apply_known(idx, targets, hits);
    lm::resolve_to_nt(targets, st);
    // Salted: known plaintexts not tried yet, within the budget.
    let fresh: Vec<Secret> = plains
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !tried_known.contains(p.expose()))
        .collect();
    for p in &fresh {
        tried_known.insert(p.expose().to_string());
    }
    if !fresh.is_empty() {
        let t0 = st.stats.salted_verifications;
        spend(
            targets,
            salted,
            b,
            st,
            progress,
            "cross-check",
            &|_| fresh.len() as u64,
            &|_, f| {
                for p in &fresh {
                    if !f(p.expose(), Method::Reuse) {
                        return;
                    }
                }
            },
        );
        st.stats.cross_verifications += st.stats.salted_verifications - t0;
    }
    st.found.iter().filter(|f| f.is_some()).count() > before
}

/// Candidates of one tier for target `i`, handed one by one to `f` until it returns false.
type Walk<'a> = dyn Fn(usize, &mut dyn FnMut(&str, Method) -> bool) + Sync + 'a;

/// Spend one tier: grant tries per hash in a fixed order (cheapest hashes first), verify in
/// parallel, refund what was not used.
#[allow(clippy::too_many_arguments)]
fn spend(
    targets: &[Target],
    salted: &[usize],
    b: &mut Budget,
    st: &mut State,
    progress: Progress<'_>,
    phase: &str,
    count: &(dyn Fn(usize) -> u64 + Sync),
    walk: &Walk<'_>,
) {
    let mut order: Vec<usize> = salted
        .iter()
        .copied()
        .filter(|i| st.found[*i].is_none())
        .collect();
    order.sort_by_key(|i| (b.per[i].0, *i));
    let mut grants: Vec<(usize, u64, u64)> = Vec::new();
    for i in order {
        let (cost, left) = b.per[&i];
        let want = count(i);
        let g = want.min(left / cost).min(b.total / cost);
        if g < want {
            if let Some(w) = st.salted[i].as_mut() {
                w.complete = false;
            }
        }
        if g == 0 {
            continue;
        }
        b.total -= g * cost;
        b.per.get_mut(&i).expect("budget").1 -= g * cost;
        grants.push((i, g, cost));
    }
    let total = grants.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress(phase, 0, total);
    let results: Vec<(usize, u64, Option<Found>)> = grants
        .par_iter()
        .map(|&(i, grant, _)| {
            let h = targets[i].hash.as_ref().expect("salted hash");
            let mut tried = 0u64;
            let mut hit = None;
            walk(i, &mut |c, m| {
                if tried == grant {
                    return false;
                }
                tried += 1;
                if hash::verify(h.scheme, c, h.text.expose()) {
                    hit = Some(Found {
                        plain: Secret::new(c),
                        method: m,
                    });
                    return false;
                }
                true
            });
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(phase, n, total);
            (i, tried, hit)
        })
        .collect();
    for ((i, tried, hit), &(_, grant, cost)) in results.into_iter().zip(&grants) {
        let refund = (grant - tried) * cost;
        b.total += refund;
        b.per.get_mut(&i).expect("budget").1 += refund;
        st.stats.salted_verifications += tried;
        st.stats.salted_units += tried * cost;
        if let Some(w) = st.salted[i].as_mut() {
            w.tries += tried;
        }
        if let Some(f) = hit {
            st.set(i, f.plain, f.method);
        }
    }
}
