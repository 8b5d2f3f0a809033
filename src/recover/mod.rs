//! Recovery of plaintexts (audit-sized, not a cracker): pot files, wordlists with rules, context
//! words and account names, LM halves, and the verification of every known plaintext against
//! every other hash of the audit.
//!
//! The stage takes one [`Target`] per credential and gives back one [`Outcome`] per target. Its parts:
//! - [`join`]: unsalted schemes (NT, `{SHA}`, and LM for pot and known plaintexts) are joins —
//!   every plaintext or candidate is digested once per scheme present and looked up in one
//!   digest→targets map, never compared pair by pair;
//! - [`candidates`]: context words, account-name bases (each mangled once) and wordlists through
//!   kensa's rules, hashed [`md4x::LANES`](crate::hash::md4x::LANES) at a time;
//! - [`pot`]: pot files walked in place, each line verified before it is trusted;
//! - [`lm`]: LM halves and whole LM hashes, and the NT plaintext by case toggling;
//! - [`history`]: password-history entries linked to their owners for the rotation check;
//! - [`salted`]: salted hashes share one budget for the whole audit, spent in tiers ordered by
//!   likelihood (plaintexts already known here first), so cheap and likely work is done first and
//!   the result does not depend on the machine's speed.

pub mod candidates;
pub mod history;
pub mod join;
pub mod lm;
pub mod pot;
pub mod rules;
pub mod salted;
pub mod wordlists;

use crate::hash;
use crate::hash::md4x::{self, Blocks, Blocks2, LANES, MAX_UNITS, MAX_UNITS2};
use crate::model::{HashValue, PotFile, Scheme, Secret};
use join::{DigestMap, Slot};
use wordlists::Wordlists;

/// Default budget per salted hash, in NT-hash units: about 8 s of one core on the reference
/// machine ([`hash::NANOS_PER_UNIT`]), what the former 20,000,000 units took before the costs were
/// measured against a unit of 80 ns. A hash whose one verification costs more is never tried
/// ([`hash::admit`]).
pub const DEFAULT_SALTED_BUDGET: u64 = 100_000_000;

/// Default budget for all salted hashes of an audit together, in NT-hash units: about 6.4 s of
/// one core on the reference machine.
pub const DEFAULT_SALTED_TOTAL: u64 = 80_000_000;

/// How a plaintext became known (a closed set of the evidence).
pub use crate::model::tags::Method;

/// One credential to recover.
#[derive(Debug, Clone)]
pub struct Target {
    /// The caller's id for this record (returned in [`Outcome::id`]).
    pub id: usize,
    /// The account name as read (`DOMAIN\user`, `user_history3` …): its base is a candidate source.
    pub account: String,
    /// The stored hash, if any.
    pub hash: Option<HashValue>,
    /// A stored LM hash (pwdump), if any.
    pub lm: Option<HashValue>,
    /// A plaintext given in the input (inventory).
    pub given: Option<Secret>,
    /// Salted work is spent on this target (an account audited as a person's password); history
    /// entries and disabled accounts take part in the joins only.
    pub salted_work: bool,
}

/// A recovered plaintext.
#[derive(Debug, Clone)]
pub struct Found {
    pub plain: Secret,
    pub method: Method,
}

pub use crate::model::evidence::SaltedWork;

/// The result for one target.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: usize,
    pub found: Option<Found>,
    /// For a salted hash: how much was tried (`None` for unsalted and given ones).
    pub salted: Option<SaltedWork>,
}

/// Options for recovery.
#[derive(Debug, Clone)]
pub struct Options {
    pub context_words: Vec<String>,
    /// Budget per salted hash in NT-hash units.
    pub salted_budget: u64,
    /// Budget for all salted hashes together in NT-hash units.
    pub salted_total: u64,
}

/// Counts for the evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub candidates_unsalted: usize,
    pub salted_hashes: usize,
    pub salted_verifications: u64,
    pub potfile_lines_matched: usize,
    pub potfile_lines_rejected: usize,
    /// Pot lines naming a salted hash whose one verification is not admitted.
    #[serde(default)]
    pub potfile_lines_skipped: usize,
    pub cross_verifications: u64,
    /// Salted work spent, in NT-hash units.
    pub salted_units: u64,
}

/// Progress of long phases: `(phase, done, total)`.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// Recover what can be recovered: one [`Outcome`] per target, in target order.
pub fn recover(
    targets: &[Target],
    pots: &[PotFile],
    lists: &Wordlists,
    opts: &Options,
    progress: Progress<'_>,
) -> (Vec<Outcome>, Stats) {
    let idx = Index::new(targets);
    let mut st = State {
        found: vec![None; targets.len()],
        salted: vec![None; targets.len()],
        lm_known: vec![None; targets.len()],
        stats: Stats::default(),
    };
    // 1. Given plaintexts, then empty NT hashes (one lookup of the empty password's digest).
    for (i, t) in targets.iter().enumerate() {
        if let Some(p) = &t.given {
            st.set(i, p.clone(), Method::Given);
        }
    }
    if let Some(slot) = idx.nt.probe(&md4x::nt("")) {
        for &t in idx.nt.targets(slot) {
            st.set(t as usize, Secret::new(""), Method::EmptyHash);
        }
    }
    let mut hits = Hits::default();
    // 2. Pot files.
    let pot_stats = pot::walk(pots, &idx, targets, &mut hits, opts.salted_budget, progress);
    st.stats.potfile_lines_matched = pot_stats.matched;
    st.stats.potfile_lines_rejected = pot_stats.rejected;
    st.stats.potfile_lines_skipped = pot_stats.skipped;
    // 3. Candidates: context words, account names, wordlists.
    if !idx.nt.is_empty() || !idx.sha1.is_empty() {
        let plan = candidates::Plan::new(targets, &opts.context_words, lists);
        st.stats.candidates_unsalted = candidates::run(&plan, &idx, &mut hits, progress);
    }
    // 4. Resolve the joins (the smallest key wins, so threads do not decide), then LM.
    st.apply(&idx, targets, hits);
    lm::resolve_to_nt(targets, &mut st);
    // 5. Every plaintext known here against every other hash: unsalted by join, salted within
    // the budget, until nothing new is found.
    salted::run(targets, &idx, pots, lists, opts, &mut st, progress);
    let outcomes = st
        .found
        .into_iter()
        .zip(st.salted)
        .zip(targets)
        .map(|((found, salted), t)| Outcome {
            id: t.id,
            found,
            salted,
        })
        .collect();
    (outcomes, st.stats)
}

/// The account-name base candidates come from: lower-cased, without `DOMAIN\` and without a
/// history suffix, so `Sato`, `sato_history3` and `KORO\sato` are mangled once.
pub fn name_base(account: &str) -> String {
    let user = account.rsplit('\\').next().unwrap_or(account);
    let user = crate::input::pwdump::split_history(user).map_or(user, |(b, _)| b);
    user.to_lowercase()
}

/// Where a candidate came from. Of several hits on one hash the smallest key wins, so the
/// recorded plaintext and method do not depend on thread timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    pub tier: Tier,
    pub source: u32,
    pub index: u32,
}

/// Candidate sources, most trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Tier {
    Pot,
    Context,
    Name,
    Wordlist,
    Known,
}

impl Tier {
    fn method(self) -> Method {
        match self {
            Tier::Pot => Method::Potfile,
            Tier::Context | Tier::Name => Method::Context,
            Tier::Wordlist => Method::Wordlist,
            Tier::Known => Method::Reuse,
        }
    }
}

/// The digest maps of every unsalted scheme present in the audit (no `Debug`: whole digests).
pub(crate) struct Index {
    pub nt: DigestMap<16>,
    /// Each target's slot in `nt` ([`NO_SLOT`] when it has no NT hash).
    pub nt_slot: Vec<Slot>,
    pub sha1: DigestMap<20>,
    pub lm: DigestMap<16>,
    pub lm_first: DigestMap<8>,
    pub lm_second: DigestMap<8>,
}

impl Index {
    fn new(targets: &[Target]) -> Self {
        use rayon::prelude::*;
        // Each target's stored digests, read in parallel: (NT, SHA-1, LM of the hash, LM field).
        type Digests = (
            Option<[u8; 16]>,
            Option<[u8; 20]>,
            Option<[u8; 16]>,
            Option<[u8; 16]>,
        );
        let hex16 = |h: &HashValue| crate::hash::stored_digest(h.scheme, h.text.expose());
        let read: Vec<Digests> = targets
            .par_iter()
            .map(|t| {
                let mut d: Digests = (None, None, None, None);
                if let Some(h) = &t.hash {
                    match h.scheme {
                        Scheme::Nt => d.0 = hex16(h).map(|v| to16(&v)),
                        Scheme::Lm => d.2 = hex16(h).map(|v| to16(&v)),
                        Scheme::Sha1 => {
                            d.1 = hex16(h).and_then(|v| <[u8; 20]>::try_from(v.as_slice()).ok())
                        }
                        _ => {}
                    }
                }
                d.3 = t.lm.as_ref().and_then(hex16).map(|v| to16(&v));
                d
            })
            .collect();
        let mut nt = Vec::new();
        let mut sha1 = Vec::new();
        let mut lm = Vec::new();
        for (i, (n, s, l, l2)) in read.into_iter().enumerate() {
            let i = i as u32;
            nt.extend(n.map(|d| (d, i)));
            sha1.extend(s.map(|d| (d, i)));
            lm.extend(l.map(|d| (d, i)));
            lm.extend(l2.map(|d| (d, i)));
        }
        let half = |second: bool| {
            DigestMap::new(lm.iter().map(|(d, i)| {
                let mut h = [0u8; 8];
                h.copy_from_slice(if second { &d[8..] } else { &d[..8] });
                (h, *i)
            }))
        };
        let nt = DigestMap::new(nt);
        let mut nt_slot = vec![NO_SLOT; targets.len()];
        for s in 0..nt.len() as Slot {
            for &t in nt.targets(s) {
                nt_slot[t as usize] = s;
            }
        }
        Index {
            lm_first: half(false),
            lm_second: half(true),
            nt,
            nt_slot,
            sha1: DigestMap::new(sha1),
            lm: DigestMap::new(lm),
        }
    }
}

/// No slot: see [`Index::nt_slot`].
pub(crate) const NO_SLOT: Slot = Slot::MAX;

fn to16(d: &[u8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    a.copy_from_slice(&d[..16]);
    a
}

/// Join hits gathered by the walks, resolved once.
#[derive(Debug, Default)]
pub(crate) struct Hits {
    /// (scheme map, slot, key, plaintext) for NT and `{SHA}`.
    pub unsalted: Vec<(JoinScheme, Slot, Key, Secret)>,
    /// LM plaintexts (upper-case) of whole LM hashes: (target, key, plaintext).
    pub lm: Vec<(u32, Key, Secret)>,
    /// LM halves: (target, second half?, key, upper-case plaintext of the half).
    pub lm_halves: Vec<(u32, bool, Key, Secret)>,
    /// Salted hashes named by a pot line, verified: (target, key, plaintext).
    pub salted: Vec<(u32, Key, Secret)>,
}

impl Hits {
    fn extend(&mut self, other: Hits) {
        self.unsalted.extend(other.unsalted);
        self.lm.extend(other.lm);
        self.lm_halves.extend(other.lm_halves);
        self.salted.extend(other.salted);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum JoinScheme {
    Nt,
    Sha1,
}

/// What recovery has established so far, per target (internal; the caller sees [`Outcome`]s).
pub(crate) struct State {
    pub found: Vec<Option<Found>>,
    pub salted: Vec<Option<SaltedWork>>,
    /// Upper-case LM plaintexts (whole, or both halves), per target.
    pub lm_known: Vec<Option<Secret>>,
    pub stats: Stats,
}

impl State {
    pub fn set(&mut self, i: usize, plain: Secret, method: Method) -> bool {
        if self.found[i].is_some() {
            return false;
        }
        self.found[i] = Some(Found { plain, method });
        true
    }

    /// Every target of each slot that has a hit gets that hit's plaintext, slots in order.
    fn apply_best<const N: usize>(&mut self, map: &DigestMap<N>, best: Vec<Option<(Key, Secret)>>) {
        for (slot, b) in best.into_iter().enumerate() {
            let Some((key, plain)) = b else { continue };
            for &t in map.targets(slot as Slot) {
                self.set(t as usize, plain.clone(), key.tier.method());
            }
        }
    }

    /// Apply join hits: per slot (or target) the hit with the smallest key.
    fn apply(&mut self, idx: &Index, targets: &[Target], hits: Hits) {
        // Slots are dense per scheme: the best hit of each is kept in a vector by slot, and the
        // slots are then taken in order (NT, then SHA-1), as a sort by (scheme, slot) would.
        let mut best_nt: Vec<Option<(Key, Secret)>> = Vec::new();
        let mut best_sha1: Vec<Option<(Key, Secret)>> = Vec::new();
        if !hits.unsalted.is_empty() {
            best_nt.resize_with(idx.nt.len(), || None);
            best_sha1.resize_with(idx.sha1.len(), || None);
        }
        for (s, slot, key, plain) in hits.unsalted {
            let b = match s {
                JoinScheme::Nt => &mut best_nt[slot as usize],
                JoinScheme::Sha1 => &mut best_sha1[slot as usize],
            };
            match b {
                Some((k, _)) if *k <= key => {}
                _ => *b = Some((key, plain)),
            }
        }
        self.apply_best(&idx.nt, best_nt);
        self.apply_best(&idx.sha1, best_sha1);
        let mut salted = hits.salted;
        salted.sort_by_key(|a| (a.0, a.1));
        for (t, key, plain) in salted {
            self.set(t as usize, plain, key.tier.method());
        }
        lm::gather(targets, hits.lm, hits.lm_halves, self);
    }
}

/// A per-thread sink of candidates: NT digests are computed [`LANES`] at a time (one-block
/// candidates of up to 27 code units in one batch, two-block ones of up to 59 in another) and
/// probed in the maps of every unsalted scheme present; nothing is allocated per candidate, only
/// per hit. A hit's plaintext is read back from its lane, so candidates are not copied aside.
pub(crate) struct Joiner<'a> {
    idx: &'a Index,
    short: Batch<Blocks>,
    long: Batch<Blocks2>,
    units: [u16; MAX_UNITS2],
    /// A rule candidate joined from prefix and suffix when it cannot go straight into a lane.
    joined: Vec<u8>,
    /// The current rule prefix as one-block message words (None: too long for one block).
    prefix: Option<md4x::Prefix>,
    /// Also join whole LM hashes (pot and known plaintexts; not wordlist candidates).
    pub with_lm: bool,
    /// NT slots not to report (their accounts are all known already), by slot.
    pub skip_nt: Option<&'a [bool]>,
    pub hits: Hits,
    pub tried: u64,
}

/// One batch of lanes and the keys of the candidates in them.
struct Batch<B> {
    blocks: B,
    n: usize,
    keys: [Key; LANES],
}

impl<B: Default> Batch<B> {
    fn new() -> Self {
        Batch {
            blocks: B::default(),
            n: 0,
            keys: [Key {
                tier: Tier::Pot,
                source: 0,
                index: 0,
            }; LANES],
        }
    }
}

/// The string of a lane's code units (they came from a `&str` or bytes, so nothing is lost).
fn decode_units(units: impl Iterator<Item = u16>) -> String {
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// What the joiner needs of a batch type.
trait Lanes {
    fn digests(&self, out: &mut [[u32; 4]; LANES]);
    fn plain(&self, lane: usize) -> String;
    fn wipe(&mut self);
}

impl Lanes for Blocks {
    fn digests(&self, out: &mut [[u32; 4]; LANES]) {
        self.hash(out)
    }
    fn plain(&self, lane: usize) -> String {
        decode_units(self.lane_units(lane))
    }
    fn wipe(&mut self) {
        *self = Blocks::new();
    }
}

impl Lanes for Blocks2 {
    fn digests(&self, out: &mut [[u32; 4]; LANES]) {
        self.hash(out)
    }
    fn plain(&self, lane: usize) -> String {
        decode_units(self.lane_units(lane))
    }
    fn wipe(&mut self) {
        *self = Blocks2::new();
    }
}

impl<'a> Joiner<'a> {
    pub fn new(idx: &'a Index) -> Self {
        Joiner {
            idx,
            short: Batch::new(),
            long: Batch::new(),
            units: [0; MAX_UNITS2],
            joined: Vec::with_capacity(rules::MAX_LEN),
            prefix: None,
            with_lm: false,
            skip_nt: None,
            hits: Hits::default(),
            tried: 0,
        }
    }

    /// Offer a UTF-8 candidate under every unsalted scheme present.
    #[inline]
    pub fn push_str(&mut self, s: &str, key: Key) {
        self.push_str_in(s, key, true)
    }

    /// [`Self::push_str`] without the NT map, for a plaintext whose NT digest is known to be in
    /// a slot that is not reported (its accounts are all known).
    pub fn push_str_without_nt(&mut self, s: &str, key: Key) {
        self.push_str_in(s, key, false)
    }

    fn push_str_in(&mut self, s: &str, key: Key, nt: bool) {
        self.tried += 1;
        let b = s.as_bytes();
        if nt && !self.idx.nt.is_empty() {
            if b.is_ascii() {
                self.nt_bytes(b, s, key);
            } else {
                let mut n = 0;
                let mut fits = true;
                for u in s.encode_utf16() {
                    if n == MAX_UNITS2 {
                        fits = false;
                        break;
                    }
                    self.units[n] = u;
                    n += 1;
                }
                if !fits {
                    self.nt_scalar(s, key);
                } else if n <= MAX_UNITS {
                    self.short.blocks.set_units(self.short.n, &self.units[..n]);
                    self.short_added(key);
                } else {
                    self.long.blocks.set_units(self.long.n, &self.units[..n]);
                    self.long_added(key);
                }
            }
        }
        if !self.idx.sha1.is_empty() {
            if let Some(slot) = self.idx.sha1.probe(&hash::sha1(s)) {
                self.hits
                    .unsalted
                    .push((JoinScheme::Sha1, slot, key, Secret::new(s)));
            }
        }
        if self.with_lm && !self.idx.lm.is_empty() {
            if let Some(d) = hash::lm(s) {
                if let Some(slot) = self.idx.lm.probe(&d) {
                    for &t in self.idx.lm.targets(slot) {
                        self.hits
                            .lm
                            .push((t, key, Secret::new(s.to_ascii_uppercase())));
                    }
                }
            }
        }
    }

    /// NT of bytes read one byte per code unit (ASCII, or Latin-1 as hashcat's NT kernel reads
    /// bytes); `s` is the same candidate as a string, for the rare one too long for two blocks.
    #[inline]
    fn nt_bytes(&mut self, b: &[u8], s: &str, key: Key) {
        if self.short.blocks.set_bytes(self.short.n, b) {
            self.short_added(key);
        } else if self.long.blocks.set_bytes(self.long.n, b) {
            self.long_added(key);
        } else {
            self.nt_scalar(s, key);
        }
    }

    /// Offer the rule candidate `pre` + `suf` (`ascii`: both are ASCII; `fresh`: `pre` differs
    /// from the previous call's). When it is ASCII and NT is the only unsalted scheme, it is
    /// written into a lane from the prefix's words, computed once per prefix.
    #[inline]
    pub fn push_pair(&mut self, pre: &[u8], suf: &[u8], ascii: bool, fresh: bool, key: Key) {
        let only_nt = self.idx.sha1.is_empty() && !self.with_lm;
        if fresh {
            self.prefix = if only_nt && pre.is_ascii() {
                md4x::Prefix::new(pre)
            } else {
                None
            };
        }
        if ascii && only_nt {
            self.tried += 1;
            if self.idx.nt.is_empty() {
                return;
            }
            if let Some(p) = &self.prefix {
                if self.short.blocks.set_prefixed(self.short.n, p, suf) {
                    self.short_added(key);
                    return;
                }
            }
        }
        let mut joined = std::mem::take(&mut self.joined);
        joined.clear();
        joined.extend_from_slice(pre);
        joined.extend_from_slice(suf);
        if let Ok(s) = std::str::from_utf8(&joined) {
            if ascii && only_nt {
                // Counted above; too long for one block.
                self.nt_bytes(s.as_bytes(), s, key);
            } else {
                self.push_str(s, key);
            }
        }
        self.joined = joined;
    }

    /// Offer bytes as hashcat's NT kernel reads them: each byte one UTF-16 code unit. NT only.
    #[inline]
    pub fn push_latin1(&mut self, b: &[u8], key: Key) {
        if self.idx.nt.is_empty() {
            return;
        }
        self.tried += 1;
        if self.short.blocks.set_bytes(self.short.n, b) {
            self.short_added(key);
        } else if self.long.blocks.set_bytes(self.long.n, b) {
            self.long_added(key);
        } else {
            let s: String = b.iter().map(|&c| char::from(c)).collect();
            self.nt_scalar(&s, key);
        }
    }

    #[inline]
    fn short_added(&mut self, key: Key) {
        Self::added(self.idx, self.skip_nt, &mut self.short, &mut self.hits, key);
    }

    #[inline]
    fn long_added(&mut self, key: Key) {
        Self::added(self.idx, self.skip_nt, &mut self.long, &mut self.hits, key);
    }

    /// The lane just set in `batch` holds the candidate of `key`; a full batch is hashed.
    #[inline]
    fn added<B: Lanes>(
        idx: &Index,
        skip: Option<&[bool]>,
        batch: &mut Batch<B>,
        hits: &mut Hits,
        key: Key,
    ) {
        batch.keys[batch.n] = key;
        batch.n += 1;
        if batch.n == LANES {
            Self::flush_batch(idx, skip, batch, hits);
        }
    }

    fn nt_scalar(&mut self, s: &str, key: Key) {
        if let Some(slot) = self.idx.nt.probe(&md4x::nt(s)) {
            if self.skip_nt.is_some_and(|k| k[slot as usize]) {
                return;
            }
            self.hits
                .unsalted
                .push((JoinScheme::Nt, slot, key, Secret::new(s)));
        }
    }

    /// Hash the lanes filled so far and probe their digests.
    fn flush_batch<B: Lanes>(
        idx: &Index,
        skip: Option<&[bool]>,
        batch: &mut Batch<B>,
        hits: &mut Hits,
    ) {
        if batch.n == 0 {
            return;
        }
        let mut digests = [[0u32; 4]; LANES];
        batch.blocks.digests(&mut digests);
        for (lane, w) in digests.iter().enumerate().take(batch.n) {
            if !idx.nt.maybe(u64::from(w[0]) | (u64::from(w[1]) << 32)) {
                continue;
            }
            let mut d = [0u8; 16];
            for (i, x) in w.iter().enumerate() {
                d[4 * i..4 * i + 4].copy_from_slice(&x.to_le_bytes());
            }
            if let Some(slot) = idx.nt.probe(&d) {
                if skip.is_some_and(|k| k[slot as usize]) {
                    continue;
                }
                hits.unsalted.push((
                    JoinScheme::Nt,
                    slot,
                    batch.keys[lane],
                    Secret::new(batch.blocks.plain(lane)),
                ));
            }
        }
        batch.n = 0;
    }

    /// Hash the lanes filled so far and probe their digests.
    pub fn flush(&mut self) {
        Self::flush_batch(self.idx, self.skip_nt, &mut self.short, &mut self.hits);
        Self::flush_batch(self.idx, self.skip_nt, &mut self.long, &mut self.hits);
    }

    /// Flush and hand over the hits.
    pub fn finish(mut self) -> (Hits, u64) {
        self.flush();
        (std::mem::take(&mut self.hits), self.tried)
    }
}

impl Drop for Joiner<'_> {
    fn drop(&mut self) {
        // The lanes held candidate plaintexts.
        self.short.blocks.wipe();
        self.long.blocks.wipe();
        self.units = [0; MAX_UNITS2];
        zeroize::Zeroize::zeroize(&mut self.joined);
        self.prefix = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An NT target whose plaintext is `p`.
    fn nt_target(id: usize, p: &str) -> Target {
        let hex: String = md4x::nt(p).iter().map(|b| format!("{b:02x}")).collect();
        Target {
            id,
            account: format!("u{id}"),
            hash: Some(HashValue {
                scheme: Scheme::Nt,
                text: Secret::new(hex),
            }),
            lm: None,
            given: None,
            salted_work: false,
        }
    }

    #[test]
    fn a_plaintext_found_through_lm_reaches_every_account_sharing_its_nt_hash() {
        // Account 0 stores LM and NT; account 1 the same NT only; account 2 an empty NT hash.
        // The pot gives the LM plaintext: account 0 by case toggling, account 1 only by the
        // cross-check, which must not take account 0's hash for an all-known one.
        let pw = "Hm7!Kz3qBn";
        let mut t0 = nt_target(0, pw);
        t0.lm = Some(HashValue {
            scheme: Scheme::Lm,
            text: Secret::new(hex::encode(hash::lm(pw).unwrap())),
        });
        let targets = vec![t0, nt_target(1, pw), nt_target(2, "")];
        let pot = PotFile {
            label: "p.pot".into(),
            text: Secret::new(format!(
                "{}:{}\n",
                hex::encode(hash::lm(pw).unwrap()),
                pw.to_ascii_uppercase()
            )),
        };
        let (out, stats) = recover(
            &targets,
            &[pot],
            &Wordlists::empty(),
            &Options {
                context_words: Vec::new(),
                salted_budget: 0,
                salted_total: 0,
            },
            &|_, _, _| {},
        );
        let got: Vec<(Option<&str>, Option<Method>)> = out
            .iter()
            .map(|o| {
                (
                    o.found.as_ref().map(|f| f.plain.expose()),
                    o.found.as_ref().map(|f| f.method),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(pw), Some(Method::Lm)),
                (Some(pw), Some(Method::Reuse)),
                (Some(""), Some(Method::EmptyHash)),
            ]
        );
        assert!(stats.cross_verifications >= 1);
    }

    #[test]
    fn joiner_finds_candidates_of_every_length_and_names_them() {
        // One- and two-block lengths, past two blocks, non-ASCII and Latin-1 readings.
        let mut plains: Vec<String> = (0..70)
            .map(|n| "Kensa2025!".repeat(7)[..n].to_string())
            .collect();
        plains.extend(["päss", "パスワード2025", "€uro", "ÿ"].map(String::from));
        let targets: Vec<Target> = plains
            .iter()
            .enumerate()
            .map(|(i, p)| nt_target(i, p))
            .collect();
        let idx = Index::new(&targets);
        let key = |i: usize| Key {
            tier: Tier::Wordlist,
            source: i as u32,
            index: 0,
        };
        let mut j = Joiner::new(&idx);
        for (i, p) in plains.iter().enumerate() {
            // Decoys between the real ones, so hits land in different lanes of both batches.
            j.push_str(&format!("x{p}"), key(1000 + i));
            match i % 3 {
                0 => j.push_str(p, key(i)),
                1 => {
                    let cut = p
                        .char_indices()
                        .nth(p.chars().count() / 2)
                        .map_or(p.len(), |c| c.0);
                    let b = p.as_bytes();
                    j.push_pair(&b[..cut], &b[cut..], p.is_ascii(), true, key(i))
                }
                _ => j.push_pair(p.as_bytes(), &[], p.is_ascii(), true, key(i)),
            }
        }
        // Latin-1 reading: the bytes of "ÿ" in Latin-1 is one byte 0xFF.
        j.push_latin1(&[0xff], key(2000));
        let (hits, tried) = j.finish();
        assert_eq!(tried as usize, 2 * plains.len() + 1);
        let mut found: Vec<(u32, String)> = hits
            .unsalted
            .iter()
            .map(|(_, slot, k, p)| {
                assert_eq!(idx.nt.targets(*slot).len(), 1);
                let t = idx.nt.targets(*slot)[0] as usize;
                assert_eq!(plains[t], p.expose());
                (k.source, p.expose().to_string())
            })
            .collect();
        found.sort();
        let mut want: Vec<(u32, String)> = plains
            .iter()
            .enumerate()
            .map(|(i, p)| (i as u32, p.clone()))
            .collect();
        want.push((2000, "ÿ".into()));
        assert_eq!(found, want);
    }

    #[test]
    fn name_bases_merge_domain_case_and_history() {
        assert_eq!(name_base("KORO\\Sato"), "sato");
        assert_eq!(name_base("sato_history3"), "sato");
        assert_eq!(name_base("Sato"), "sato");
        assert_eq!(name_base("a_historyx"), "a_historyx");
    }
}
