//! The queries of one lookup batch, one hash mode at a time, made ready for a walk through a
//! sorted corpus.
//!
//! A batch is not sorted as a whole before a walk through a memory-mapped corpus. Its entries
//! are only *partitioned* by their leading bits into buckets of a few hundred entries (a
//! counting sort: one pass to count, one to place, no comparison, several parts of the queries
//! in parallel). A task of whole buckets is then sorted by the thread that walks it, just
//! before it walks it: the sorting is spread over the walk's threads and overlaps the corpus
//! reads of the other threads, instead of holding the walk back. Hashes are uniform, so the
//! buckets are even; a skewed batch only makes some buckets larger, which are sorted the same
//! way. (A per-prefix directory is read prefix by prefix: its batch is sorted, task by task in
//! parallel, before it is read.)
//!
//! Each entry keeps the position of its query, and its answer is stored straight into that
//! query's slot (an atomic, so that tasks on several threads can write their answers).

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::super::Query;
use super::{key64, Mode};

/// The value of a query's slot before its answer is stored (never a count: counts are capped
/// one below it).
pub(crate) const NOT_DONE: u64 = u64::MAX;

/// One query of a mode: its hash as numbers that order like the hash bytes, and its position in
/// the batch.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Entry {
    k0: u64,
    k1: u64,
    k2: u32,
    at: u32,
}

impl Entry {
    /// The query at position `at` as an entry, when it is of `mode`.
    fn of(q: &Query, mode: Mode, at: usize) -> Option<Entry> {
        if Mode::of(q) != mode {
            return None;
        }
        let h = q.bytes();
        // SHA-1's last 4 bytes (an NTLM hash has none: zeros, as in a 20-byte buffer).
        let k2 = h
            .get(16..20)
            .map_or(0, |t| u32::from_be_bytes([t[0], t[1], t[2], t[3]]));
        Some(Entry {
            k0: key64(h),
            k1: key64(&h[8..]),
            k2,
            at: at as u32,
        })
    }

    /// The sort key (the hash's order).
    #[inline]
    fn key(&self) -> (u64, u64, u32) {
        (self.k0, self.k1, self.k2)
    }

    /// The hash in a 20-byte buffer (an NTLM hash is followed by zeros).
    fn hash(&self) -> [u8; 20] {
        let mut h = [0u8; 20];
        h[..8].copy_from_slice(&self.k0.to_be_bytes());
        h[8..16].copy_from_slice(&self.k1.to_be_bytes());
        h[16..].copy_from_slice(&self.k2.to_be_bytes());
        h
    }
}

/// The entries of one mode, partitioned into buckets by their leading bits. The queries are
/// cut into a few parts partitioned in parallel, each into its own buckets; a task gathers its
/// buckets from every part.
pub(crate) struct Batch {
    parts: Vec<Part>,
    /// Entries in each bucket, over all parts.
    sizes: Vec<usize>,
    /// Leading bits that pick the bucket (0: one bucket).
    bits: u32,
}

/// The entries of one part of the queries, bucket after bucket (unsorted within a bucket).
struct Part {
    entries: Vec<Entry>,
    /// Where each bucket starts in `entries`, and the end (one more than the buckets).
    starts: Vec<usize>,
}

impl Part {
    fn bucket(&self, b: usize) -> &[Entry] {
        &self.entries[self.starts[b]..self.starts[b + 1]]
    }
}

/// The bucket of a hash whose first 8 bytes are `k0`, when `bits` leading bits pick it.
fn bucket_of(k0: u64, bits: u32) -> usize {
    k0.checked_shr(64 - bits).unwrap_or(0) as usize
}

/// Entries a bucket holds on average (when the hashes are uniform).
const BUCKET: usize = 256;
/// Queries in a part at least (a batch has a part per thread at most). Small in unit tests,
/// so that their batches have several parts.
#[cfg(not(test))]
const PART: usize = 1 << 16;
#[cfg(test)]
const PART: usize = 1 << 10;

impl Batch {
    /// The queries of `mode` (about `n` of them: the count only sets the number of buckets),
    /// partitioned: each part of the queries on its own thread, in two passes (one counts the
    /// entries of each bucket, one places them).
    pub(crate) fn new(queries: &[Query], mode: Mode, n: usize) -> Batch {
        assert!(
            queries.len() < u32::MAX as usize,
            "a lookup batch holds fewer than 2^32 queries"
        );
        let bits = (n / BUCKET).max(1).ilog2().min(16);
        let bucket = |k0: u64| bucket_of(k0, bits);
        let buckets = 1usize << bits;
        let part = queries
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(PART);
        let parts: Vec<Part> = queries
            .par_chunks(part.max(1))
            .enumerate()
            .map(|(p, qs)| {
                let mut counts = vec![0usize; buckets];
                for q in qs.iter().filter(|q| Mode::of(q) == mode) {
                    counts[bucket(key64(q.bytes()))] += 1;
                }
                let mut starts = Vec::with_capacity(buckets + 1);
                let mut at = 0;
                for c in &counts {
                    starts.push(at);
                    at += c;
                }
                starts.push(at);
                let mut next = counts;
                next.copy_from_slice(&starts[..buckets]);
                let mut entries = vec![Entry::default(); at];
                for (i, q) in qs.iter().enumerate() {
                    if let Some(e) = Entry::of(q, mode, p * part + i) {
                        let b = bucket(e.k0);
                        entries[next[b]] = e;
                        next[b] += 1;
                    }
                }
                Part { entries, starts }
            })
            .collect();
        let sizes = (0..buckets)
            .map(|b| parts.iter().map(|p| p.bucket(b).len()).sum())
            .collect();
        Batch { parts, sizes, bits }
    }

    /// Buckets in the batch (some may be empty).
    pub(crate) fn buckets(&self) -> usize {
        self.sizes.len()
    }

    /// The smallest hash bucket `b` can hold.
    pub(crate) fn floor(&self, b: usize) -> [u8; 20] {
        let k0 = (b as u64).checked_shl(64 - self.bits).unwrap_or(0);
        let mut h = [0u8; 20];
        h[..8].copy_from_slice(&k0.to_be_bytes());
        h
    }

    /// Entries in some buckets.
    pub(crate) fn entries(&self, buckets: Range<usize>) -> usize {
        self.sizes[buckets].iter().sum()
    }

    /// Entries in the batch (queries of its mode, duplicates included).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.sizes.iter().sum()
    }

    /// Cuts some buckets into tasks of whole buckets, in order, of about `target` entries each
    /// (more for a bucket larger than that). Empty buckets make no task of their own.
    pub(crate) fn tasks(&self, buckets: Range<usize>, target: usize) -> Vec<Task<'_>> {
        let target = target.max(1);
        let mut tasks = Vec::new();
        let (mut from, mut len) = (buckets.start, 0);
        for b in buckets.clone() {
            len += self.sizes[b];
            if len >= target || (b + 1 == buckets.end && len > 0) {
                tasks.push(Task {
                    batch: self,
                    buckets: from..b + 1,
                    len,
                    entries: Vec::new(),
                });
                (from, len) = (b + 1, 0);
            }
        }
        tasks
    }
}

/// A run of whole buckets of a batch, walked by one thread.
pub(crate) struct Task<'a> {
    batch: &'a Batch,
    buckets: Range<usize>,
    len: usize,
    /// The task's entries, sorted (gathered from the parts by [`Task::sort`]).
    entries: Vec<Entry>,
}

impl Task<'_> {
    /// Entries in the task.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Gathers the task's entries from the parts and sorts them (bucket by bucket: the buckets
    /// are in order); returns its distinct hashes in order.
    pub(crate) fn sort(&mut self) -> Vec<[u8; 20]> {
        self.entries = Vec::with_capacity(self.len);
        for b in self.buckets.clone() {
            let from = self.entries.len();
            for p in &self.batch.parts {
                self.entries.extend_from_slice(p.bucket(b));
            }
            self.entries[from..].sort_unstable_by_key(Entry::key);
        }
        let mut keys: Vec<[u8; 20]> = Vec::with_capacity(self.entries.len());
        let mut prev = None;
        for e in self.entries.iter() {
            if prev != Some(e.key()) {
                keys.push(e.hash());
                prev = Some(e.key());
            }
        }
        keys
    }

    /// Stores each entry's answer in its query's slot: `answers[i]` is the count of the i-th
    /// distinct hash returned by [`Task::sort`] (0: absent). Frees the gathered entries.
    pub(crate) fn answer(&mut self, answers: &[u64], slots: &[AtomicU64]) {
        let mut i = 0;
        for (j, e) in self.entries.iter().enumerate() {
            if j > 0 && self.entries[j - 1].key() != e.key() {
                i += 1;
            }
            let count = answers.get(i).map_or(NOT_DONE, |&c| c.min(NOT_DONE - 1));
            slots[e.at as usize].store(count, Ordering::Relaxed);
        }
        self.entries = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ntlm(v: u128) -> Query {
        Query::Ntlm(v.to_be_bytes())
    }

    #[test]
    fn tasks_cover_every_entry_once_in_hash_order() {
        // Uniform, duplicated and skewed hashes, and queries of the other mode mixed in.
        let mut qs = Vec::new();
        let mut x: u128 = 0x1234_5678_9ABC_DEF0_0FED_CBA9_8765_4321;
        for i in 0..5000u128 {
            x = x.wrapping_mul(0x2545_F491_4F6C_DD1D_9E37_79B9_7F4A_7C15) ^ (x >> 61);
            qs.push(ntlm(x));
            if i % 7 == 0 {
                qs.push(ntlm(x)); // a duplicate
                qs.push(Query::Sha1([i as u8; 20]));
            }
            if i % 3 == 0 {
                qs.push(ntlm(i)); // packed near zero: one large bucket
            }
        }
        // Four threads, so the batch has several parts whatever the machine.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let b = pool.install(|| Batch::new(&qs, Mode::Ntlm, qs.len()));
        let want_len = qs.iter().filter(|q| matches!(q, Query::Ntlm(_))).count();
        assert_eq!(b.len(), want_len);
        assert!(b.sizes.len() > 8, "{} buckets", b.sizes.len());
        assert!(b.parts.len() > 1, "{} parts", b.parts.len());
        // Each bucket holds the hashes from its floor up to the next bucket's.
        for bk in 0..b.buckets() {
            for p in &b.parts {
                for e in p.bucket(bk) {
                    assert!(e.hash() >= b.floor(bk));
                    assert!(bk + 1 == b.buckets() || e.hash() < b.floor(bk + 1));
                }
            }
        }
        let slots: Vec<AtomicU64> = (0..qs.len()).map(|_| AtomicU64::new(NOT_DONE)).collect();
        let mut all_keys: Vec<[u8; 20]> = Vec::new();
        for target in [1, 100, 1_000_000] {
            for s in &slots {
                s.store(NOT_DONE, Ordering::Relaxed);
            }
            all_keys.clear();
            // The buckets in two runs, as a walk in rounds cuts them.
            let half = b.buckets() / 2;
            let mut tasks = b.tasks(0..half, target);
            tasks.extend(b.tasks(half..b.buckets(), target));
            assert!(tasks.iter().all(|t| t.len() > 0));
            assert_eq!(tasks.iter().map(|t| t.len()).sum::<usize>(), want_len);
            for t in tasks.iter_mut() {
                let keys = t.sort();
                // Answer each hash with a value derived from it, to check the mapping back.
                let answers: Vec<u64> = keys.iter().map(|k| u64::from(k[15]) + 1).collect();
                t.answer(&answers, &slots);
                all_keys.extend(keys);
            }
            // Distinct and strictly increasing across tasks.
            assert!(all_keys.windows(2).all(|w| w[0] < w[1]), "target {target}");
            for (q, s) in qs.iter().zip(&slots) {
                let got = s.load(Ordering::Relaxed);
                match q {
                    Query::Ntlm(h) => assert_eq!(got, u64::from(h[15]) + 1),
                    Query::Sha1(_) => assert_eq!(got, NOT_DONE),
                }
            }
        }
        let mut distinct: Vec<u128> = qs
            .iter()
            .filter_map(|q| match q {
                Query::Ntlm(h) => Some(u128::from_be_bytes(*h)),
                _ => None,
            })
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(all_keys.len(), distinct.len());
    }

    #[test]
    fn sha1_entries_order_by_all_twenty_bytes() {
        let mut a = [7u8; 20];
        let mut b = a;
        a[19] = 2;
        b[19] = 1;
        let qs = vec![Query::Sha1(a), Query::Sha1(b), Query::Sha1(a)];
        let batch = Batch::new(&qs, Mode::Sha1, 3);
        let mut tasks = batch.tasks(0..batch.buckets(), 10);
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].sort(), vec![b, a]);
        let slots: Vec<AtomicU64> = (0..3).map(|_| AtomicU64::new(NOT_DONE)).collect();
        tasks[0].answer(&[5, u64::MAX], &slots);
        let got: Vec<u64> = slots.iter().map(|s| s.load(Ordering::Relaxed)).collect();
        // A count is capped below NOT_DONE.
        assert_eq!(got, vec![NOT_DONE - 1, 5, NOT_DONE - 1]);
    }

    #[test]
    fn an_empty_batch_has_no_task() {
        let b = Batch::new(&[Query::Sha1([0; 20])], Mode::Ntlm, 0);
        assert_eq!(b.len(), 0);
        assert!(b.tasks(0..b.buckets(), 10).is_empty());
    }
}
