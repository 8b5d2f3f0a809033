//! Pot files walked in place: every line's plaintext is verified against the hash the line names
//! before it is trusted, and is a candidate against every other unsalted hash of the audit. A
//! salted hash whose one verification is not admitted ([`hash::admit`]: over the budget per hash,
//! or over kensa's memory limit) is never verified, whatever the pot says; an admitted one gets at
//! most as many verifications as its budget buys (the budget per hash over the cost of one try),
//! spent on its pot lines in file order, so a pot file naming one slow hash on many lines cannot
//! stall the audit and the outcome does not depend on threads.
//!
//! A plaintext with bytes outside ASCII is also read the way hashcat's NT kernel reads it (each
//! byte one UTF-16 code unit): a Latin-1 wordlist cracks `Möm` as `$HEX[4df66d]`, which is not
//! UTF-8, and that reading is accepted only when the hash verifies.

use super::{Hits, Index, JoinScheme, Joiner, Key, Progress, Target, Tier};
use crate::hash;
use crate::input::potfile::{self, PotHash};
use crate::model::{PotFile, Scheme, Secret};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use zeroize::Zeroizing;

/// Pot lines whose hash is one of the audit's: verified, rejected, or not verified because one
/// verification of that hash is not admitted ([`hash::admit`]).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PotStats {
    pub matched: usize,
    pub rejected: usize,
    pub skipped: usize,
}

/// A salted hash of the audit as a pot line finds it: the targets storing it, the first one's
/// own hash (a pot line is verified against the account's hash, never against the pot's text),
/// and whether one verification against it is admitted.
struct Stored<'a> {
    /// Its number, for the lines waiting for verification.
    id: u32,
    targets: Vec<u32>,
    scheme: Scheme,
    hash: &'a str,
    admitted: bool,
    /// Units of one verification ([`hash::cost`]).
    cost: u64,
}

/// A pot line naming an admitted salted hash, waiting for its verification: the hash's number,
/// where the line is, and its plaintext bytes (zeroized).
struct Pending {
    id: u32,
    key: Key,
    plain: Zeroizing<Vec<u8>>,
}

/// Bytes of pot text walked by one task.
const CHUNK: usize = 1 << 20;

/// Walk every pot file and gather its hits. `budget` is the budget per salted hash: a line
/// naming a hash whose one verification costs more is not verified.
pub(crate) fn walk(
    pots: &[PotFile],
    idx: &Index,
    targets: &[Target],
    hits: &mut Hits,
    budget: u64,
    progress: Progress<'_>,
) -> PotStats {
    // Salted hashes by canonical text.
    let mut by_text: HashMap<Cow<'_, str>, Stored<'_>> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        if let Some(h) = t.hash.as_ref().filter(|h| !h.scheme.is_unsalted()) {
            let text = h.text.expose();
            let id = by_text.len() as u32;
            by_text
                .entry(hash::hashcat::canonical(h.scheme, text))
                .or_insert_with(|| Stored {
                    id,
                    targets: Vec::new(),
                    scheme: h.scheme,
                    hash: text,
                    admitted: hash::admit(h.scheme, text, budget).is_ok(),
                    cost: hash::cost(h.scheme, text),
                })
                .targets
                .push(i as u32);
        }
    }
    let chunks: Vec<(u32, usize, &str)> = pots
        .iter()
        .enumerate()
        .flat_map(|(fi, p)| {
            split(p.text.expose())
                .into_iter()
                .map(move |(base, c)| (fi as u32, base, c))
        })
        .collect();
    let total = chunks.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress("potfile", 0, total);
    let parts: Vec<(Hits, PotStats, Vec<Pending>)> = chunks
        .par_iter()
        .map(|&(fi, base, chunk)| {
            let r = walk_chunk(fi, base, chunk, idx, &by_text);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress("potfile", n, total);
            r
        })
        .collect();
    let mut stats = PotStats::default();
    let mut pending = Vec::new();
    for (h, s, p) in parts {
        hits.extend(h);
        stats.matched += s.matched;
        stats.rejected += s.rejected;
        stats.skipped += s.skipped;
        pending.extend(p);
    }
    let s = verify_salted(pending, &by_text, budget, idx, hits);
    stats.matched += s.matched;
    stats.rejected += s.rejected;
    stats.skipped += s.skipped;
    stats
}

/// Verify the pot lines naming admitted salted hashes: per hash, in file order, at most
/// `budget / cost` verifications (one at least: the hash is admitted), stopping at the first
/// that verifies; a later line with the same plaintext counts as matched, any other is rejected
/// without a try, and the lines past the budget are skipped. Hashes are verified in parallel. The
/// plaintexts that verified nothing are candidates against the unsalted hashes, as every pot
/// plaintext is.
fn verify_salted(
    mut pending: Vec<Pending>,
    by_text: &HashMap<Cow<'_, str>, Stored<'_>>,
    budget: u64,
    idx: &Index,
    hits: &mut Hits,
) -> PotStats {
    if pending.is_empty() {
        return PotStats::default();
    }
    let mut stored: Vec<&Stored<'_>> = by_text.values().collect();
    stored.sort_by_key(|s| s.id);
    pending.sort_by_key(|p| (p.id, p.key));
    let groups: Vec<&[Pending]> = pending.chunk_by(|a, b| a.id == b.id).collect();
    let done: Vec<(Hits, PotStats, Vec<&Pending>)> = groups
        .par_iter()
        .map(|lines| {
            let own = stored[lines[0].id as usize];
            let allowed = (budget / own.cost.max(1)).max(1);
            let mut hits = Hits::default();
            let mut stats = PotStats::default();
            let mut unverified = Vec::new();
            let mut tries = 0u64;
            let mut found: Option<&[u8]> = None;
            for line in lines.iter() {
                if let Some(f) = found {
                    if f == line.plain.as_slice() {
                        stats.matched += 1;
                        continue;
                    }
                    stats.rejected += 1;
                } else if tries == allowed {
                    stats.skipped += 1;
                } else {
                    tries += 1;
                    match std::str::from_utf8(&line.plain) {
                        Ok(p) if hash::verify(own.scheme, p, own.hash) => {
                            stats.matched += 1;
                            found = Some(&line.plain);
                            for &t in &own.targets {
                                hits.salted.push((t, line.key, Secret::new(p)));
                            }
                            continue;
                        }
                        _ => stats.rejected += 1,
                    }
                }
                unverified.push(line);
            }
            (hits, stats, unverified)
        })
        .collect();
    let mut stats = PotStats::default();
    let mut j = Joiner::new(idx);
    j.with_lm = true;
    for (h, s, unverified) in done {
        hits.extend(h);
        stats.matched += s.matched;
        stats.rejected += s.rejected;
        stats.skipped += s.skipped;
        for line in unverified {
            push_readings(&mut j, &line.plain, line.key);
        }
    }
    hits.extend(j.finish().0);
    stats
}

fn walk_chunk(
    file: u32,
    base: usize,
    chunk: &str,
    idx: &Index,
    by_text: &HashMap<Cow<'_, str>, Stored<'_>>,
) -> (Hits, PotStats, Vec<Pending>) {
    let mut pending = Vec::new();
    let mut j = Joiner::new(idx);
    j.with_lm = true;
    let mut stats = PotStats::default();
    let mut buf = Zeroizing::new(Vec::with_capacity(256));
    for (no, line) in potfile::lines(chunk) {
        let Ok(line) = line else { continue };
        if potfile::plain_bytes(line.plain, &mut buf).is_err() {
            continue;
        }
        let key = Key {
            tier: Tier::Pot,
            source: file,
            index: (base + no) as u32,
        };
        let utf8 = std::str::from_utf8(&buf).ok();
        let readings_nt = || {
            // Each reading of the plaintext (secrets, so zeroized) with its NT digest.
            let mut r: Vec<(Secret, [u8; 16])> = Vec::with_capacity(2);
            if let Some(p) = utf8 {
                r.push((Secret::new(p), hash::md4x::nt(p)));
            }
            if !buf.is_ascii() {
                let l = Secret::new(buf.iter().map(|&c| char::from(c)).collect::<String>());
                let d = hash::md4x::nt(l.expose());
                r.push((l, d));
            }
            r
        };
        let mut verified = false;
        match line.hash {
            PotHash::Salted(scheme, h) => {
                let found = if by_text.is_empty() {
                    None
                } else {
                    by_text.get(&*hash::hashcat::canonical(scheme, h))
                };
                match found {
                    Some(own) if !own.admitted => stats.skipped += 1,
                    Some(own) => {
                        // Verified after the walk, within the hash's budget (verify_salted).
                        pending.push(Pending {
                            id: own.id,
                            key,
                            plain: Zeroizing::new(buf.to_vec()),
                        });
                        continue;
                    }
                    None => {}
                }
            }
            PotHash::Hex32(d) => {
                if let Some(slot) = idx.nt.probe(&d) {
                    if let Some((p, _)) = readings_nt().into_iter().find(|(_, x)| *x == d) {
                        verified = true;
                        j.hits.unsalted.push((JoinScheme::Nt, slot, key, p));
                    }
                    count(&mut stats, verified);
                } else if idx.lm.probe(&d).is_some() {
                    verified = lm_whole(idx, &d, utf8, key, &mut j.hits);
                    count(&mut stats, verified);
                }
            }
            PotHash::Lm(d) => {
                if idx.lm.probe(&d).is_some() {
                    verified = lm_whole(idx, &d, utf8, key, &mut j.hits);
                    count(&mut stats, verified);
                }
            }
            PotHash::LmHalf(h) => {
                let first = idx.lm_first.probe(&h);
                let second = idx.lm_second.probe(&h);
                if first.is_some() || second.is_some() {
                    // Kept even when the half alone does not verify: some tools split LM
                    // plaintexts unevenly (8 + 6); the halves are checked together against the
                    // whole LM hash before they are trusted (lm::gather).
                    if let Some(u) = utf8
                        .filter(|p| p.is_ascii() && p.len() <= 14)
                        .map(|p| p.to_ascii_uppercase())
                    {
                        verified = u.len() <= 7 && hash::lm_half(u.as_bytes()) == h;
                        for (slot, is_second) in [(first, false), (second, true)] {
                            if let Some(s) = slot {
                                for &t in idx.lm_first_or_second(is_second).targets(s) {
                                    j.hits.lm_halves.push((
                                        t,
                                        is_second,
                                        key,
                                        Secret::new(u.clone()),
                                    ));
                                }
                            }
                        }
                    }
                    count(&mut stats, verified);
                }
            }
            PotHash::Other => {}
        }
        if verified {
            continue;
        }
        // A plaintext is a candidate against every other hash, whatever hash its line names.
        push_readings(&mut j, &buf, key);
    }
    (j.finish().0, stats, pending)
}

/// A pot plaintext as a candidate against the unsalted hashes: its UTF-8 reading, and for bytes
/// outside ASCII also hashcat's reading of each byte as one UTF-16 code unit.
fn push_readings(j: &mut Joiner<'_>, plain: &[u8], key: Key) {
    if let Ok(p) = std::str::from_utf8(plain) {
        j.push_str(p, key);
    }
    if !plain.is_ascii() {
        j.push_latin1(plain, key);
    }
}

fn count(s: &mut PotStats, verified: bool) {
    if verified {
        s.matched += 1;
    } else {
        s.rejected += 1;
    }
}

/// A pot line naming a whole LM hash of the audit: its plaintext, upper-cased, if it verifies.
fn lm_whole(idx: &Index, d: &[u8; 16], utf8: Option<&str>, key: Key, hits: &mut Hits) -> bool {
    let Some(p) = utf8.filter(|p| hash::lm(p).as_ref() == Some(d)) else {
        return false;
    };
    if let Some(slot) = idx.lm.probe(d) {
        for &t in idx.lm.targets(slot) {
            hits.lm.push((t, key, Secret::new(p.to_ascii_uppercase())));
        }
    }
    true
}

/// Cut a text into pieces of whole lines of about [`CHUNK`] bytes, each with the number of lines
/// before it.
fn split(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut lines) = (0usize, 0usize);
    while start < bytes.len() {
        let mut end = (start + CHUNK).min(bytes.len());
        if end < bytes.len() {
            end = match memchr::memchr(b'\n', &bytes[end..]) {
                Some(i) => end + i + 1,
                None => bytes.len(),
            };
        }
        out.push((lines, &text[start..end]));
        lines += memchr::memchr_iter(b'\n', &bytes[start..end]).count();
        start = end;
    }
    out
}

impl Index {
    pub(crate) fn lm_first_or_second(&self, second: bool) -> &super::join::DigestMap<8> {
        if second {
            &self.lm_second
        } else {
            &self.lm_first
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_line_numbers() {
        let mut s = String::new();
        for i in 0..200_000 {
            s.push_str(&format!("{i:032x}:p{i}\n"));
        }
        let parts = split(&s);
        assert!(parts.len() > 1);
        let mut seen = 0;
        for (base, c) in &parts {
            assert_eq!(*base, seen);
            assert!(c.ends_with('\n'));
            seen += c.matches('\n').count();
        }
        assert_eq!(seen, 200_000);
        assert_eq!(split("a:b"), vec![(0, "a:b")]);
        assert!(split("").is_empty());
    }
}
