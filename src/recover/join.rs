//! The join of unsalted schemes: one map from digest to the targets that store it, probed once per
//! candidate and scheme, so a candidate costs one digest whatever the number of accounts.
//!
//! A bitmap of the digests' leading bits answers most misses without touching the map; the map is
//! keyed by the raw digest with its first eight bytes as the hash (digests are uniform already).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Index of a slot: one distinct stored digest (several targets may share it).
pub type Slot = u32;

/// Digest → slot, with a bitmap filter in front.
/// (No `Debug`: it holds whole stored digests.)
pub struct DigestMap<const N: usize> {
    /// A small filter (at most 1 MiB, so it stays in the core's cache) tried first, then the
    /// large bitmap (about 64 bits a digest); most misses never reach the large one. The small
    /// one is a blocked Bloom filter: a digest sets three bits of one word, so a miss costs one
    /// load and passes about 3 % of the time at 8 bits a digest (one bit: 12 %).
    small: Vec<u64>,
    /// The small filter's word is picked by the key's top bits (the large bitmap by its low bits).
    small_shift: u32,
    bits: Vec<u64>,
    mask: u64,
    map: HashMap<[u8; N], Slot, BuildHasherDefault<Passthrough>>,
    /// Targets of slot `s`: `targets[offsets[s]..offsets[s + 1]]`, in target order.
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl<const N: usize> DigestMap<N> {
    /// A map of the given `(digest, target)` pairs.
    pub fn new(pairs: impl IntoIterator<Item = ([u8; N], u32)>) -> Self {
        use rayon::prelude::*;
        // Sorted by digest then target, equal digests side by side; slots numbered in order of
        // their first target, each slot's targets in target order.
        let mut pairs: Vec<([u8; N], u32)> = pairs.into_iter().collect();
        // (The leading eight bytes first: one integer compare settles nearly every pair.)
        pairs.par_sort_unstable_by(|a, b| {
            key(&a.0)
                .cmp(&key(&b.0))
                .then_with(|| a.0.cmp(&b.0))
                .then(a.1.cmp(&b.1))
        });
        let mut runs: Vec<(u32, u32, u32)> = Vec::new();
        let mut start = 0;
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            runs.push((run[0].1, start as u32, (start + run.len()) as u32));
            start += run.len();
        }
        runs.par_sort_unstable();
        let mut map: HashMap<[u8; N], Slot, BuildHasherDefault<Passthrough>> =
            HashMap::with_capacity_and_hasher(runs.len(), Default::default());
        let mut offsets: Vec<u32> = Vec::with_capacity(runs.len() + 1);
        let mut flat: Vec<u32> = Vec::with_capacity(pairs.len());
        for (slot, &(_, a, b)) in runs.iter().enumerate() {
            offsets.push(flat.len() as u32);
            flat.extend(pairs[a as usize..b as usize].iter().map(|p| p.1));
            map.insert(pairs[a as usize].0, slot as Slot);
        }
        offsets.push(flat.len() as u32);
        drop(runs);
        drop(pairs);
        // About 64 bits per digest (a miss passes the filter ~1.5 % of the time), at least 2^16.
        let want = (map.len() as u64 * 64)
            .next_power_of_two()
            .clamp(1 << 16, 1 << 30);
        let mut bits = vec![0u64; (want / 64) as usize];
        let mask = want - 1;
        let small_words = (want / 64).min(1 << 17);
        let mut small = vec![0u64; small_words as usize];
        let small_shift = 64 - small_words.trailing_zeros();
        for d in map.keys() {
            let k = key(d);
            let h = k & mask;
            bits[(h >> 6) as usize] |= 1 << (h & 63);
            small[(k >> small_shift) as usize] |= small_bits(k);
        }
        DigestMap {
            small,
            small_shift,
            bits,
            mask,
            map,
            offsets,
            targets: flat,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of distinct digests.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// The slot storing `d`, if any.
    #[inline]
    pub fn probe(&self, d: &[u8; N]) -> Option<Slot> {
        if !self.maybe(key(d)) {
            return None;
        }
        self.map.get(d).copied()
    }

    /// The bitmap test alone, on the digest's first eight bytes read little-endian.
    #[inline]
    pub fn maybe(&self, first8: u64) -> bool {
        let b = small_bits(first8);
        if self.small[(first8 >> self.small_shift) as usize] & b != b {
            return false;
        }
        let h = first8 & self.mask;
        self.bits[(h >> 6) as usize] & (1 << (h & 63)) != 0
    }

    /// The targets of a slot.
    pub fn targets(&self, s: Slot) -> &[u32] {
        let s = s as usize;
        &self.targets[self.offsets[s] as usize..self.offsets[s + 1] as usize]
    }
}

/// The three bits a key sets in its word of the small filter: from the key's middle bits, apart
/// from the top bits that pick the word and the low bits that index the large bitmap.
#[inline]
fn small_bits(k: u64) -> u64 {
    (1 << ((k >> 29) & 63)) | (1 << ((k >> 35) & 63)) | (1 << ((k >> 41) & 63))
}

/// The first eight bytes of a digest, little-endian (N ≥ 8 for every scheme joined).
#[inline]
fn key<const N: usize>(d: &[u8; N]) -> u64 {
    let mut k = [0u8; 8];
    k.copy_from_slice(&d[..8]);
    u64::from_le_bytes(k)
}

/// A hasher for keys that are already uniform: the first eight bytes written are the hash.
#[derive(Default)]
pub struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Arrays hash as their bytes; only the first write (the digest's leading bytes) counts.
        if self.0 == 0 {
            let mut k = [0u8; 8];
            let n = bytes.len().min(8);
            k[..n].copy_from_slice(&bytes[..n]);
            self.0 = u64::from_le_bytes(k) | 1;
        }
    }
    fn write_usize(&mut self, _: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_filter_stops_most_misses_at_its_full_size() {
        // Enough digests that the small filter is at its cap (8 bits a digest here).
        let digest = |i: u64| -> [u8; 16] {
            let a = xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes());
            let b = xxhash_rust::xxh3::xxh3_64(&a.to_le_bytes());
            let mut d = [0u8; 16];
            d[..8].copy_from_slice(&a.to_le_bytes());
            d[8..].copy_from_slice(&b.to_le_bytes());
            d
        };
        let n = 1u64 << 20;
        let m = DigestMap::new((0..n).map(|i| (digest(i), i as u32)));
        assert_eq!(m.small.len(), 1 << 17);
        for i in (0..n).step_by(997) {
            assert!(m.probe(&digest(i)).is_some());
        }
        let (mut small, mut both) = (0, 0);
        for i in n..n + 200_000 {
            let k = key(&digest(i));
            let b = small_bits(k);
            if m.small[(k >> m.small_shift) as usize] & b == b {
                small += 1;
            }
            if m.maybe(k) {
                both += 1;
            }
        }
        // One bit a digest in the same space would pass about 12 %.
        assert!(
            small < 200_000 * 5 / 100,
            "{small} of 200000 passed the small filter"
        );
        assert!(both < 200_000 / 50, "{both} of 200000 passed both filters");
    }

    #[test]
    fn probes_find_every_stored_digest_and_group_targets() {
        let d = |i: u8| {
            let mut x = [0u8; 16];
            x[0] = i;
            x[9] = i.wrapping_mul(7);
            crate::hash::md4x::nt(&format!("{i}"))
                .iter()
                .zip(x)
                .map(|(a, b)| a ^ b)
                .collect::<Vec<u8>>()
                .try_into()
                .unwrap()
        };
        let pairs: Vec<([u8; 16], u32)> = (0..200u32).map(|t| (d((t % 150) as u8), t)).collect();
        let m = DigestMap::new(pairs);
        assert_eq!(m.len(), 150);
        for i in 0..150u8 {
            let s = m.probe(&d(i)).expect("stored");
            let want: Vec<u32> = (0..200u32).filter(|t| t % 150 == u32::from(i)).collect();
            assert_eq!(m.targets(s), want.as_slice());
        }
        let misses = (150..=255u8).filter(|i| m.probe(&d(*i)).is_some()).count();
        assert_eq!(misses, 0);
        // Random keys that are not stored pass the filters rarely (about 64 bits a digest).
        let misses = (0..100_000u32)
            .filter(|i| {
                let k = crate::hash::md4x::nt(&format!("miss{i}"));
                let mut f = [0u8; 8];
                f.copy_from_slice(&k[..8]);
                m.maybe(u64::from_le_bytes(f))
            })
            .count();
        assert!(
            misses < 2_000,
            "{misses} of 100000 misses passed the filters"
        );
        let empty: DigestMap<20> = DigestMap::new(std::iter::empty());
        assert!(empty.is_empty() && empty.probe(&[0; 20]).is_none());
    }
}
