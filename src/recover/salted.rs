//! Salted hashes and the cross-check of known plaintexts.
//!
//! Every plaintext known anywhere in the audit is joined against the unsalted hashes (one digest
//! per plaintext and scheme) and verified against the salted ones. Salted work is bounded by a
//! budget per hash and one budget for the whole audit, in NT-hash units ([`hash::cost`]), spent in
//! tiers ordered by likelihood: plaintexts already known here, then the account's own name and the
//! most common passwords, then context words and the full rules on the name, then pot-file
//! plaintexts and the rest of the wordlists. Within a tier the cheapest hashes are served first.
//! A hash whose one verification costs more than the budget per hash, or needs more memory than
//! kensa allows, is never tried ([`hash::admit`], the rule the pot-file walk follows too).
//! Grants and refunds are computed in a fixed order, so the result does not depend on threads or
//! on the machine's speed; what each hash got is reported in [`SaltedWork`].

use super::{
    candidates, lm, Found, Hits, Index, Joiner, Key, Method, Options, Progress, SaltedWork, State,
    Target, Tier,
};
use crate::hash;
use crate::input::potfile;
use crate::model::{PotFile, Secret};
use crate::recover::wordlists::Wordlists;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Size of the head of the wordlists a salted hash tries early: a third of it the most common
/// passwords, then every factory default, then the next third of the common ones.
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
    // A hash whose one verification is over the budget per hash (or needs more memory than
    // kensa allows) is never tried: it stays out of the budget and says why.
    let mut per = BTreeMap::new();
    for &i in &salted {
        let h = targets[i].hash.as_ref().expect("salted hash");
        let text = h.text.expose();
        st.salted[i] = Some(match hash::admit(h.scheme, text, opts.salted_budget) {
            Ok(cost) => {
                per.insert(i, (cost, opts.salted_budget));
                SaltedWork {
                    tries: 0,
                    cost,
                    complete: true,
                    skipped: None,
                    params: None,
                }
            }
            Err(why) => SaltedWork {
                tries: 0,
                cost: hash::cost(h.scheme, text),
                complete: false,
                skipped: Some(why),
                params: hash::parameters(h.scheme, text),
            },
        });
    }
    let salted: Vec<usize> = salted.into_iter().filter(|i| per.contains_key(i)).collect();
    let mut b = Budget {
        total: opts.salted_total,
        per,
    };
    let mut cross = CrossCheck {
        targets,
        idx,
        salted: &salted,
        joined: Known::default(),
        tried: Known::default(),
    };
    cross.round(&mut b, st, progress);
    if salted.is_empty() {
        // Nothing salted to spend on: only joins of what becomes known, until nothing new.
        cross.until_nothing_new(&mut b, st, progress);
        return;
    }

    let context_full: Vec<Secret> = {
        let mut seen = HashSet::new();
        opts.context_words
            .iter()
            .filter(|w| !w.is_empty())
            .flat_map(|w| candidates::sets().context.strings(w))
            .filter(|c| seen.insert(c.clone()))
            .collect()
    };
    // The head a salted hash tries before anything else: the most common passwords, then the
    // factory defaults, then the next common ones (a server's account is likelier to hold
    // `password1` than a device's default).
    let d = lists.defaults_len.min(lists.candidates.len());
    let c = &lists.candidates;
    let head: Vec<&str> = c
        .range(d, d + SALTED_HEAD / 3)
        .chain(c.range(0, d))
        .chain(c.range(d + SALTED_HEAD / 3, d + 2 * SALTED_HEAD / 3))
        .collect();
    let tail: Vec<&str> = c.range(d + 2 * SALTED_HEAD / 3, c.len()).collect();
    // The account's own name through a rule set (nothing for names under 3 characters).
    let own = |i: usize, set: &candidates::Compiled, base: bool| -> Vec<Secret> {
        let a = &targets[i].account;
        let user = a.rsplit('\\').next().unwrap_or(a);
        if user.chars().count() < 3 {
            return Vec::new();
        }
        if base {
            set.strings(&super::name_base(user))
        } else {
            set.strings(user)
        }
    };
    let sets = candidates::sets();
    // Tier 2: the account's own name with light rules, and the most common passwords.
    spend(
        targets,
        &salted,
        &mut b,
        st,
        progress,
        "salted",
        &|i| (own(i, &sets.light, false).len() + head.len()) as u64,
        &|i, f| {
            let _ = offer(
                own(i, &sets.light, false).iter().map(Secret::expose),
                Method::Context,
                f,
            ) && offer(head.iter(), Method::Wordlist, f);
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
        &|i| (own(i, &sets.name, true).len() + context_full.len()) as u64,
        &|i, f| {
            let _ = offer(context_full.iter().map(Secret::expose), Method::Context, f)
                && offer(
                    own(i, &sets.name, true).iter().map(Secret::expose),
                    Method::Context,
                    f,
                );
        },
    );
    // Tier 4: pot-file plaintexts and the rest of the wordlists. The count is of exactly what the
    // walk offers (lines that parse and are UTF-8), so `complete` says the truth.
    let mut pot_plains = 0u64;
    pot_walk(pots, &mut |_| {
        pot_plains += 1;
        true
    });
    spend(
        targets,
        &salted,
        &mut b,
        st,
        progress,
        "salted",
        &|_| pot_plains + tail.len() as u64,
        &|_, f| {
            if pot_walk(pots, &mut |s| f(s, Method::Potfile)) {
                let _ = offer(tail.iter(), Method::Wordlist, f);
            }
        },
    );
    // What the salted work found is checked against every other hash, until nothing new appears.
    cross.until_nothing_new(&mut b, st, progress);
}

/// Hand every UTF-8 pot plaintext to `f` until it says stop; false when it did.
fn pot_walk(pots: &[PotFile], f: &mut dyn FnMut(&str) -> bool) -> bool {
    let mut buf = zeroize::Zeroizing::new(Vec::new());
    for p in pots {
        for (_, line) in potfile::lines(p.text.expose()) {
            let Ok(line) = line else { continue };
            if potfile::plain_bytes(line.plain, &mut buf).is_err() {
                continue;
            }
            if let Ok(s) = std::str::from_utf8(&buf) {
                if !f(s) {
                    return false;
                }
            }
        }
    }
    true
}

/// Hand candidates to `f` until it says stop; false when it did.
fn offer<S: AsRef<str>>(
    cands: impl Iterator<Item = S>,
    m: Method,
    f: &mut dyn FnMut(&str, Method) -> bool,
) -> bool {
    for c in cands {
        if !f(c.as_ref(), m) {
            return false;
        }
    }
    true
}

/// Plaintexts already handled, by their 128-bit xxh3 (no copy of the plaintexts is kept).
type Known = HashSet<u128, std::hash::BuildHasherDefault<super::join::Passthrough>>;

/// A plaintext's key in [`Known`].
fn plain_key(p: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(p.as_bytes())
}

/// The salted budget: what is left for the audit, and per hash (cost of one try, units left).
struct Budget {
    total: u64,
    per: BTreeMap<usize, (u64, u64)>,
}

/// The cross-check of known plaintexts, round after round: what it works on, and the plaintexts
/// already joined and already tried against the salted hashes (keys only: no copy of a secret).
struct CrossCheck<'a> {
    targets: &'a [Target],
    idx: &'a Index,
    salted: &'a [usize],
    joined: Known,
    tried: Known,
}

impl CrossCheck<'_> {
    /// Rounds until one finds nothing new.
    fn until_nothing_new(&mut self, b: &mut Budget, st: &mut State, progress: Progress<'_>) {
        while self.round(b, st, progress) {}
    }

    /// One round: join every known plaintext not joined yet against the unsalted hashes, and
    /// verify every known plaintext not tried yet against the salted hashes still unknown
    /// (within the budget). True if something new became known.
    fn round(&mut self, b: &mut Budget, st: &mut State, progress: Progress<'_>) -> bool {
        let (targets, idx, salted) = (self.targets, self.idx, self.salted);
        let (joined, tried_known) = (&mut self.joined, &mut self.tried);
        let before = st.found.iter().filter(|f| f.is_some()).count();
        let salted_left = !salted.is_empty();
        // Distinct known plaintexts not yet joined (or, with salted hashes, not yet tried on them),
        // most shared first, then by the first account holding them.
        // Unsalted: a join. Hashes whose accounts are all known already are not reported again.
        let known_slots: Vec<bool> = (0..idx.nt.len() as u32)
            .map(|s| {
                idx.nt
                    .targets(s)
                    .iter()
                    .all(|&t| st.found[t as usize].is_some())
            })
            .collect();
        // A plaintext verified against an NT hash whose accounts are all known has nothing left to
        // find in the NT map: its digest is that hash's.
        let nt_done = |i: usize| {
            let s = idx.nt_slot[i];
            s != super::NO_SLOT
                && known_slots[s as usize]
                && st.found[i]
                    .as_ref()
                    .is_some_and(|f| f.method != Method::Given)
        };
        // LM hashes of known plaintexts only while an account with an LM hash is still unknown.
        let with_lm = (0..idx.lm.len() as u32)
            .flat_map(|s| idx.lm.targets(s))
            .any(|&t| st.found[t as usize].is_none());
        let other_maps = with_lm || !idx.sha1.is_empty();
        let mut by_plain: HashMap<
            &str,
            (usize, usize, bool),
            xxhash_rust::xxh3::Xxh3DefaultBuilder,
        > = HashMap::default();
        for (i, f) in st.found.iter().enumerate() {
            if let Some(f) = f {
                if !salted_left && !other_maps && nt_done(i) {
                    // Nothing to join it with and nothing salted to try it on.
                    continue;
                }
                let p = f.plain.expose();
                let h = plain_key(p);
                if joined.contains(&h) && (!salted_left || tried_known.contains(&h)) {
                    continue;
                }
                let e = by_plain.entry(p).or_insert((0, i, false));
                e.0 += 1;
                e.2 |= nt_done(i);
            }
        }
        let mut order: Vec<(&str, usize, usize, bool)> = by_plain
            .into_iter()
            .map(|(p, (n, first, nt_done))| (p, n, first, nt_done))
            .collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let mut j = Joiner::new(idx);
        j.skip_nt = Some(&known_slots);
        j.with_lm = with_lm;
        for &(p, _, first, nt_done) in &order {
            if joined.insert(plain_key(p)) {
                let key = Key {
                    tier: Tier::Known,
                    source: first as u32,
                    index: 0,
                };
                if !nt_done {
                    j.push_str(p, key);
                } else if other_maps {
                    j.push_str_without_nt(p, key);
                }
            }
        }
        let (hits, n): (Hits, u64) = j.finish();
        // The plaintexts for the salted hashes, most shared first (copied: `st` changes below).
        let fresh: Vec<Secret> = if salted_left {
            order
                .iter()
                .filter(|(p, _, _, _)| tried_known.insert(plain_key(p)))
                .map(|(p, _, _, _)| Secret::new(*p))
                .collect()
        } else {
            Vec::new()
        };
        drop(order);
        st.stats.cross_verifications += n;
        st.apply(idx, targets, hits);
        lm::resolve_to_nt(targets, st);
        // Salted: known plaintexts not tried yet, within the budget.
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
                    let _ = offer(fresh.iter().map(Secret::expose), Method::Reuse, f);
                },
            );
            st.stats.cross_verifications += st.stats.salted_verifications - t0;
        }
        st.found.iter().filter(|f| f.is_some()).count() > before
    }
}

/// Candidates verified at once against one hash (in parallel: an expensive hash left alone still
/// uses every core).
const BATCH: usize = 32;

/// Batched verification against one hash; the first hit in candidate order wins, and the tries
/// counted are the candidates up to it, so the result does not depend on threads.
struct Verifier<'a> {
    scheme: crate::model::Scheme,
    hash: &'a str,
    batch: Vec<(Secret, Method)>,
    tried: u64,
    hit: Option<Found>,
}

impl Verifier<'_> {
    /// Verify the batch; true on a hit.
    fn flush(&mut self) -> bool {
        let (scheme, hash) = (self.scheme, self.hash);
        let pos = self
            .batch
            .par_iter()
            .position_first(|(c, _)| hash::verify(scheme, c.expose(), hash));
        match pos {
            Some(p) => {
                self.tried += p as u64 + 1;
                let (plain, method) = self.batch.swap_remove(p);
                self.hit = Some(Found { plain, method });
                self.batch.clear();
                true
            }
            None => {
                self.tried += self.batch.len() as u64;
                self.batch.clear();
                false
            }
        }
    }
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
    // (hash, tries granted, cost of a try, candidates of the tier)
    let mut grants: Vec<(usize, u64, u64, u64)> = Vec::new();
    for i in order {
        let (cost, left) = b.per[&i];
        if left / cost == 0 || b.total / cost == 0 {
            // Nothing left for this hash: the tier's candidates are not even made.
            if let Some(w) = st.salted[i].as_mut() {
                w.complete = false;
            }
            continue;
        }
        let want = count(i);
        let g = want.min(left / cost).min(b.total / cost);
        if g == 0 {
            if want > 0 {
                if let Some(w) = st.salted[i].as_mut() {
                    w.complete = false;
                }
            }
            continue;
        }
        b.total -= g * cost;
        b.per.get_mut(&i).expect("budget").1 -= g * cost;
        grants.push((i, g, cost, want));
    }
    let total = grants.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress(phase, 0, total);
    let results: Vec<(usize, u64, Option<Found>)> = grants
        .par_iter()
        .map(|&(i, grant, _, _)| {
            let h = targets[i].hash.as_ref().expect("salted hash");
            let mut v = Verifier {
                scheme: h.scheme,
                hash: h.text.expose(),
                batch: Vec::with_capacity(BATCH),
                tried: 0,
                hit: None,
            };
            let mut offered = 0u64;
            walk(i, &mut |c, m| {
                if offered == grant {
                    return false;
                }
                offered += 1;
                v.batch.push((Secret::new(c), m));
                v.batch.len() < BATCH || !v.flush()
            });
            if v.hit.is_none() {
                v.flush();
            }
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(phase, n, total);
            (i, v.tried, v.hit)
        })
        .collect();
    for ((i, tried, hit), &(_, grant, cost, want)) in results.into_iter().zip(&grants) {
        let refund = (grant - tried) * cost;
        b.total += refund;
        b.per.get_mut(&i).expect("budget").1 += refund;
        st.stats.salted_verifications += tried;
        st.stats.salted_units += tried * cost;
        if let Some(w) = st.salted[i].as_mut() {
            w.tries += tried;
            // Cut short: the grant ran out before the tier's candidates did.
            if hit.is_none() && grant < want {
                w.complete = false;
            }
        }
        if let Some(f) = hit {
            st.set(i, f.plain, f.method);
        }
    }
}
