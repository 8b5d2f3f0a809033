//! Offline Pwned Passwords corpora: the downloader's sorted text file, its per-prefix directory,
//! or a kensa index — memory-mapped and walked once per batch of sorted queries.
//!
//! [`OfflineSource::open`] takes up to one corpus per hash mode (SHA-1 and NTLM) and tells each
//! path's kind apart by content:
//! - a kensa index (starts with the magic `KENSAIDX`, see [`index`]);
//! - a directory of per-prefix range bodies `00000.txt` … `FFFFF.txt` (`SUFFIX:COUNT`, the mode
//!   told by the suffix length: 35 = SHA-1, 27 = NTLM; `:0` padding lines are dropped);
//! - the downloader's single text file sorted by full hash (`HASH:COUNT`, 40 hex = SHA-1,
//!   32 hex = NTLM), searched in place by interpolation (hashes are uniform), so that one query
//!   touches about one or two pages.
//!
//! Every line the lookups touch is validated (shape, hex, count, order against its neighbours);
//! any malformed line makes every query of that mode a [`Lookup::Error`] naming the file and the
//! byte offset (and the line number when it is known). A mode without a corpus answers
//! `Lookup::Error`, never `NotFound`.
//!
//! [`BreachSource::requests`] counts the distinct 4 KiB pages of the text files and indexes
//! touched by each batch of lookups (a page counts once however many queries read it) plus the
//! per-prefix files read.

pub mod index;

mod batch;
mod dir;
mod text;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{BreachError, BreachSource, Lookup, Query};
use batch::{Batch, Task, NOT_DONE};

pub use super::corpus::{CorpusError, IndexFault, LineFault, ParseFault};
pub use index::{build_index, read_info, verify, IndexInfo, SourceInfo};

/// An offline breach source: at most one corpus per mode.
pub struct OfflineSource {
    sha1: Option<Corpus>,
    ntlm: Option<Corpus>,
    requests: AtomicUsize,
}

impl OfflineSource {
    /// Opens each path (index, per-prefix directory or sorted text file, told apart by content).
    /// Two corpora of one mode, an unreadable path or an unrecognised format are errors.
    pub fn open(paths: &[PathBuf]) -> Result<OfflineSource, BreachError> {
        let mut src = OfflineSource {
            sha1: None,
            ntlm: None,
            requests: AtomicUsize::new(0),
        };
        if paths.is_empty() {
            return Err(BreachError::NoCorpus("no offline breach corpus given"));
        }
        for p in paths {
            let corpus = Corpus::open(p)?;
            let slot = match corpus.mode() {
                Mode::Sha1 => &mut src.sha1,
                Mode::Ntlm => &mut src.ntlm,
            };
            if let Some(prev) = slot {
                return Err(BreachError::TwoCorpora {
                    mode: corpus.mode().label(),
                    first: prev.path().to_path_buf(),
                    second: p.clone(),
                });
            }
            *slot = Some(corpus);
        }
        Ok(src)
    }
}

impl BreachSource for OfflineSource {
    fn mode(&self) -> crate::model::evidence::BreachMode {
        crate::model::evidence::BreachMode::Offline
    }

    fn answers_sha1(&self) -> bool {
        self.sha1.is_some()
    }

    fn answers_ntlm(&self) -> bool {
        self.ntlm.is_some()
    }

    fn dataset(&self) -> String {
        let parts: Vec<String> = [&self.sha1, &self.ntlm]
            .into_iter()
            .flatten()
            .map(|c| c.describe())
            .collect();
        format!("Pwned Passwords offline corpus: {}", parts.join("; "))
    }

    fn lookup(&self, queries: &[Query], progress: &(dyn Fn(usize) + Sync)) -> Vec<Lookup> {
        // Each query's answer: its count (0: absent), or NOT_DONE until it is looked up.
        let slots: Vec<AtomicU64> = (0..queries.len())
            .into_par_iter()
            .map(|_| AtomicU64::new(NOT_DONE))
            .collect();
        let done = AtomicUsize::new(0);
        let tick = |n: usize| {
            let d = done.fetch_add(n, Ordering::Relaxed) + n;
            progress(d.min(queries.len()));
        };
        // Why the queries of a mode failed (all of them fail together).
        let mut failed: [Option<String>; 2] = [None, None];
        for mode in [Mode::Sha1, Mode::Ntlm] {
            let n = queries.iter().filter(|q| Mode::of(q) == mode).count();
            if n == 0 {
                continue;
            }
            let corpus = match mode {
                Mode::Sha1 => self.sha1.as_ref(),
                Mode::Ntlm => self.ntlm.as_ref(),
            };
            let r = match corpus {
                None => Err(format!("no offline {} corpus given", mode.label())),
                Some(c) => c
                    .lookup_batch(queries, mode, n, &slots, &self.requests, &tick)
                    .map_err(|e| e.to_string()),
            };
            failed[mode as usize] = r.err();
        }
        progress(queries.len());
        queries
            .par_iter()
            .zip(slots.par_iter())
            .map(
                |(q, slot)| match (&failed[Mode::of(q) as usize], slot.load(Ordering::Relaxed)) {
                    (Some(e), _) => Lookup::Error(e.clone()),
                    (None, NOT_DONE) => Lookup::Error("lookup was not performed".into()),
                    (None, 0) => Lookup::NotFound,
                    (None, n) => Lookup::Found(n),
                },
            )
            .collect()
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// The oldest corpus date among the corpora given (an index's recorded corpus date, a text
    /// file's or a directory's modification date): the evidence never overstates freshness.
    fn date(&self) -> Option<String> {
        [&self.sha1, &self.ntlm]
            .into_iter()
            .flatten()
            .filter_map(|c| c.date())
            .min()
    }
}

/// The hash mode of a corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mode {
    Sha1,
    Ntlm,
}

impl Mode {
    /// The mode of a query.
    pub(crate) fn of(q: &Query) -> Mode {
        match q {
            Query::Sha1(_) => Mode::Sha1,
            Query::Ntlm(_) => Mode::Ntlm,
        }
    }
    /// Bytes in a hash.
    pub(crate) fn bytes(self) -> usize {
        match self {
            Mode::Sha1 => 20,
            Mode::Ntlm => 16,
        }
    }
    /// Hex characters in a full hash.
    pub(crate) fn hex_len(self) -> usize {
        self.bytes() * 2
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            Mode::Sha1 => "SHA-1",
            Mode::Ntlm => "NTLM",
        }
    }
    /// The name used in [`IndexInfo::mode`].
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Sha1 => "sha1",
            Mode::Ntlm => "ntlm",
        }
    }
    /// The mode whose full hashes have `n` hex characters.
    pub(crate) fn from_hex_len(n: usize) -> Option<Mode> {
        match n {
            40 => Some(Mode::Sha1),
            32 => Some(Mode::Ntlm),
            _ => None,
        }
    }
    /// Longest acceptable line: hash, `:`, 20 count digits, CR.
    pub(crate) fn max_line(self) -> usize {
        self.hex_len() + 22
    }
}

/// An opened corpus of one mode.
enum Corpus {
    Index(index::IndexCorpus),
    Text(text::TextCorpus),
    Dir(dir::DirCorpus),
}

impl Corpus {
    fn open(p: &Path) -> Result<Corpus, CorpusError> {
        let meta = std::fs::metadata(p).map_err(read_error("read", "offline corpus ", p))?;
        if meta.is_dir() {
            return Ok(Corpus::Dir(dir::DirCorpus::open(p)?));
        }
        if index::is_index(p)? {
            return Ok(Corpus::Index(index::IndexCorpus::open(p)?));
        }
        Ok(Corpus::Text(text::TextCorpus::open(p)?))
    }
    fn mode(&self) -> Mode {
        match self {
            Corpus::Index(c) => c.mode,
            Corpus::Text(c) => c.mode,
            Corpus::Dir(c) => c.mode,
        }
    }
    fn path(&self) -> &Path {
        match self {
            Corpus::Index(c) => &c.path,
            Corpus::Text(c) => &c.path,
            Corpus::Dir(c) => &c.path,
        }
    }
    fn date(&self) -> Option<String> {
        match self {
            Corpus::Index(c) => c.info.corpus_date.clone(),
            Corpus::Text(c) => c.date.clone(),
            Corpus::Dir(c) => c.date.clone(),
        }
    }
    fn describe(&self) -> String {
        let date = self.date().map(|d| format!(", {d}")).unwrap_or_default();
        let (kind, extra) = match self {
            Corpus::Index(c) => ("kensa index", format!(", {} records", c.info.records)),
            Corpus::Text(_) => ("sorted text", String::new()),
            Corpus::Dir(_) => ("per-prefix directory", String::new()),
        };
        format!(
            "{} {kind} {}{extra}{date}",
            self.mode().label(),
            self.path().display()
        )
    }
    /// Looks up the `n` queries of `mode`, storing each one's count (0: not in the corpus) in
    /// its slot; `Err` when the corpus is malformed (all of the mode's queries fail).
    fn lookup_batch(
        &self,
        queries: &[Query],
        mode: Mode,
        n: usize,
        slots: &[AtomicU64],
        requests: &AtomicUsize,
        tick: &(dyn Fn(usize) + Sync),
    ) -> Result<(), CorpusError> {
        let threads = rayon::current_num_threads().max(1);
        let c: &dyn Walk = match self {
            Corpus::Dir(c) => {
                // The per-prefix files are read by prefix: the whole batch sorted first.
                let batch = Batch::new(queries, mode, n);
                let mut tasks = batch.tasks(0..batch.buckets(), n.div_ceil(threads));
                let keys: Vec<Vec<[u8; 20]>> = tasks.par_iter_mut().map(|t| t.sort()).collect();
                let answers = c.lookup_sorted(&keys.concat(), requests, tick)?;
                let mut from = 0;
                for (t, k) in tasks.iter_mut().zip(&keys) {
                    t.answer(&answers[from..from + k.len()], slots);
                    from += k.len();
                }
                return Ok(());
            }
            Corpus::Index(c) => c,
            Corpus::Text(c) => c,
        };
        let map = c.map();
        let len = map.len();
        // A batch with a key every few pages reads most of the file: the kernel's read-ahead
        // helps. A sparser one reads pages here and there: each fault then reads only its page
        // (otherwise every fault of a cold file reads a whole read-ahead window around it).
        let dense = n.saturating_mul(DENSE) >= len;
        #[cfg(unix)]
        let _ = map.advise(if dense {
            memmap2::Advice::Normal
        } else {
            memmap2::Advice::Random
        });
        // Tasks of whole buckets, each sorted by the thread that walks it, then walked through
        // its own part of the file, its answers stored in their slots. A dense batch goes
        // through the file in rounds of about ROUND bytes, a task a thread, while a thread
        // reads the next rounds ahead; a sparse one is cut into a few tasks a thread.
        let pages = PageSet::new(len);
        let walk = |t: &mut Task| -> Result<(), CorpusError> {
            let keys = t.sort();
            let mut out = vec![0u64; keys.len()];
            let r = c.lookup_chunk(&keys, &mut out, &pages, !dense);
            t.answer(&out, slots);
            tick(t.len());
            r
        };
        let results: Vec<Result<(), CorpusError>> = if dense {
            // The reading starts at once, from the start of the file, while the batch is
            // partitioned (the first key of a dense batch lies near the start).
            with_read_ahead(map, 0, LOOKUP_AHEAD, Ahead::Map, |walked| {
                let batch = Batch::new(queries, mode, n);
                // Rounds of whole buckets spanning about ROUND bytes of the file each (told by
                // where the smallest hash each bucket can hold lies), whatever the queries:
                // what a round maps stays bounded even when many queries repeat one hash.
                let floor = |b: usize| c.offset_of(&batch.floor(b));
                let mut rounds = Vec::new();
                let (mut from, mut from_at) = (0, floor(0));
                for b in 1..batch.buckets() {
                    let at = floor(b);
                    if at >= from_at + ROUND {
                        rounds.push((from..b, from_at));
                        (from, from_at) = (b, at);
                    }
                }
                rounds.push((from..batch.buckets(), from_at));
                let mut results = Vec::new();
                for (buckets, at) in rounds {
                    let entries = batch.entries(buckets.clone());
                    let mut tasks = batch.tasks(buckets, entries.div_ceil(threads));
                    // Everything before this round is done with.
                    walked(at);
                    #[cfg(test)]
                    tests::ROUNDS.with(|r| r.set(r.get() + 1));
                    results.par_extend(tasks.par_iter_mut().map(walk));
                }
                results
            })
        } else {
            let batch = Batch::new(queries, mode, n);
            let target = n.div_ceil(threads * 4).max(1024);
            let mut tasks = batch.tasks(0..batch.buckets(), target);
            tasks.par_iter_mut().map(walk).collect()
        };
        requests.fetch_add(pages.count(), Ordering::Relaxed);
        // The first error in key order, so the message does not depend on thread timing.
        results.into_iter().collect()
    }
}

/// A memory-mapped corpus walked in chunks of sorted keys (an index or a sorted text file).
pub(crate) trait Walk: Sync {
    /// The mapped file.
    fn map(&self) -> &memmap2::Mmap;
    /// Where `k` lies in the file, or would lie (exactly or estimated: it guides reading
    /// ahead and cutting a dense walk into rounds, and what is released behind a round).
    fn offset_of(&self, k: &[u8; 20]) -> usize;
    /// Looks up sorted distinct keys, writing each one's count (0: absent) to `out`. With
    /// `drop_behind`, the walk releases the pages behind it as it goes and its part of the file
    /// at the end (a sparse batch); without, it leaves that to the read-ahead thread of a dense
    /// walk, which releases them round by round ([`with_read_ahead`]).
    fn lookup_chunk(
        &self,
        keys: &[[u8; 20]],
        out: &mut [u64],
        pages: &PageSet,
        drop_behind: bool,
    ) -> Result<(), CorpusError>;
}

/// Hex digit values, 0xFF for anything else.
const NIBBLE: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'A' as usize + i] = 10 + i as u8;
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Decodes `2 * out.len()` hex characters into `out`; false when one is not a hex digit.
pub(crate) fn decode_hex(src: &[u8], out: &mut [u8]) -> bool {
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(src.chunks_exact(2)) {
        let hi = NIBBLE[pair[0] as usize];
        let lo = NIBBLE[pair[1] as usize];
        bad |= hi | lo;
        *o = (hi << 4) | (lo & 0x0F);
    }
    bad & 0xF0 == 0
}

/// Parses a decimal count of 1–20 digits that fits a u64.
pub(crate) fn parse_count(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for &c in s {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(d as u64)?;
    }
    Some(n)
}

/// The error of a file that cannot be opened, read or mapped (`what`: the kind of file and a
/// space, or nothing), for `map_err`.
pub(crate) fn read_error<'a>(
    op: &'static str,
    what: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> CorpusError + 'a {
    move |source| CorpusError::Read {
        op,
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Parses one `HASH:COUNT` line (without its `\n`; a trailing `\r` is allowed) whose hash has
/// `hex_len` characters, into `out` (`hex_len / 2` bytes). `Err` says what is wrong.
pub(crate) fn parse_line(line: &[u8], hex_len: usize, out: &mut [u8]) -> Result<u64, ParseFault> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // Fast path: the colon where it belongs; otherwise find it to say what is wrong.
    let colon = if line.get(hex_len) == Some(&b':') {
        hex_len
    } else {
        memchr::memchr(b':', line).ok_or(ParseFault::NoCount)?
    };
    if colon != hex_len {
        return Err(ParseFault::HashLength {
            got: colon,
            want: hex_len,
        });
    }
    if !decode_hex(&line[..hex_len], &mut out[..hex_len / 2]) {
        return Err(ParseFault::NotHex);
    }
    parse_count(&line[hex_len + 1..]).ok_or(ParseFault::Count)
}

/// The fast path of the line-by-line parse of a text corpus: the well-formed line starting at
/// `pos` of `text` (`HASH:COUNT`, then `\r\n`, `\n` or the end of `text`) as its key, its
/// count and the start of the next line, found without searching for the newline first.
/// `None` for anything else; the caller then takes the slow path, which says what is wrong.
#[inline]
pub(crate) fn parse_next(
    text: &[u8],
    pos: usize,
    hex_len: usize,
) -> Option<((u128, u32), u64, usize)> {
    let colon = pos + hex_len;
    if text.get(colon) != Some(&b':') {
        return None;
    }
    let key = parse_hex_key(&text[pos..colon])?;
    let (count, end) = parse_digits(text, colon + 1)?;
    let next = match text.get(end) {
        None => end,
        Some(b'\n') => end + 1,
        Some(b'\r') if text.get(end + 1) == Some(&b'\n') => end + 2,
        Some(b'\r') if end + 1 == text.len() => end + 1,
        Some(_) => return None,
    };
    Some((key, count, next))
}

/// Up to 40 hex digits as the numbers [`num_key`] makes of their bytes.
#[inline]
fn parse_hex_key(hex: &[u8]) -> Option<(u128, u32)> {
    let hex_len = hex.len();
    if hex_len == 0 || hex_len > 40 {
        return None;
    }
    let mut hi: u128 = 0;
    let mut lo: u32 = 0;
    let mut chunks = hex.chunks_exact(8);
    let mut done = 0usize;
    for c in &mut chunks {
        let v = u128::from(hex8(c)?);
        if done < 32 {
            hi = (hi << 32) | v;
        } else {
            lo = v as u32;
        }
        done += 8;
    }
    for &c in chunks.remainder() {
        let v = NIBBLE[c as usize];
        if v > 0x0F {
            return None;
        }
        if done < 32 {
            hi = (hi << 4) | u128::from(v);
        } else {
            lo = (lo << 4) | u32::from(v);
        }
        done += 1;
    }
    // Left-aligned like the bytes of a 20-byte buffer (shorter hashes followed by zeros).
    hi <<= 4 * (32 - hex_len.min(32));
    if hex_len > 32 {
        lo <<= 4 * (40 - hex_len);
    }
    Some((hi, lo))
}

/// Eight hex digits (either case) as a number, the first digit most significant; `None` when
/// one is not a hex digit. All eight at once in a u64 (SWAR), no table and no branch a digit.
#[inline]
fn hex8(c: &[u8]) -> Option<u32> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_be_bytes(c.try_into().ok()?);
    // Bytes in `lo..=hi` (for bytes below 0x80, which the first test ensures): the sums never
    // carry from one byte into the next.
    let within = |v: u64, lo: u64, hi: u64| {
        (v.wrapping_add(ONES * (0x80 - lo)) & !v.wrapping_add(ONES * (0x7F - hi))) & HIGH
    };
    let lower = x | (ONES * 0x20);
    let ok = within(x, b'0' as u64, b'9' as u64) | within(lower, b'a' as u64, b'f' as u64);
    if x & HIGH != 0 || ok != HIGH {
        return None;
    }
    // '0'-'9' -> 0-9; 'a'-'f' / 'A'-'F' (bit 6 set) -> 1-6 + 9.
    let v = (x & (ONES * 0x0F)) + ((x >> 6) & ONES) * 9;
    // Pack the eight nibbles, first one most significant.
    let v = (v | (v >> 4)) & 0x00FF_00FF_00FF_00FF;
    let v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF;
    Some(((v | (v >> 16)) & 0xFFFF_FFFF) as u32)
}

/// The decimal count starting at `at` (1 to 19 digits; 20 are left to [`parse_count`]) and
/// the offset just after it. Eight digits at a time, without a branch per digit.
#[inline]
fn parse_digits(text: &[u8], at: usize) -> Option<(u64, usize)> {
    let mut value = 0u64;
    let mut p = at;
    loop {
        let Some(chunk) = text.get(p..p + 8) else {
            // Near the end of the text: one digit at a time.
            let mut q = p;
            while let Some(d) = text
                .get(q)
                .map(|c| c.wrapping_sub(b'0'))
                .filter(|d| *d < 10)
            {
                value = value.checked_mul(10)?.checked_add(u64::from(d))?;
                q += 1;
            }
            return (q > at && q - at < 20).then_some((value, q));
        };
        let x = u64::from_le_bytes(chunk.try_into().ok()?);
        let sub = x.wrapping_sub(0x3030_3030_3030_3030);
        // The high bit of each byte that is not a digit (a borrow or a carry only reaches the
        // bytes after the first non-digit, which do not matter).
        let flags = (sub.wrapping_add(0x7676_7676_7676_7676) | sub) & 0x8080_8080_8080_8080;
        let d = (flags.trailing_zeros() / 8) as usize;
        if d > 0 {
            // The `d` digits, first one most significant, right-aligned in 8 lanes of a byte.
            let mut v = sub << (8 * (8 - d));
            v = ((v & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561)) >> 8;
            v = ((v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601)) >> 16;
            v = ((v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001)) >> 32;
            const POW10: [u64; 9] = [
                1,
                10,
                100,
                1_000,
                10_000,
                100_000,
                1_000_000,
                10_000_000,
                100_000_000,
            ];
            value = if p == at {
                v
            } else {
                value.checked_mul(POW10[d])?.checked_add(v)?
            };
        }
        p += d;
        if d < 8 {
            return (p > at && p - at < 20).then_some((value, p));
        }
    }
}

/// A file's modification date as `YYYY-MM-DD` (UTC).
pub(crate) fn mtime_date(meta: &std::fs::Metadata) -> Option<String> {
    let t = meta.modified().ok()?;
    Some(
        chrono::DateTime::<chrono::Utc>::from(t)
            .format("%Y-%m-%d")
            .to_string(),
    )
}

/// A 20-byte hash as numbers that order like its bytes.
#[inline]
pub(crate) fn num_key(k: &[u8; 20]) -> (u128, u32) {
    let mut hi = [0u8; 16];
    hi.copy_from_slice(&k[..16]);
    let mut lo = [0u8; 4];
    lo.copy_from_slice(&k[16..]);
    (u128::from_be_bytes(hi), u32::from_be_bytes(lo))
}

/// The first 8 bytes of a hash as a big-endian number (for interpolation).
pub(crate) fn key64(h: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    u64::from_be_bytes(b)
}

/// Size of the pages counted by [`BreachSource::requests`].
pub(crate) const PAGE: usize = 4096;
/// Keys closer than this many bytes apart on average make a dense walk, which reads most of the
/// file it walks (a key every 16 pages).
const DENSE: usize = 16 * PAGE;
/// A dense walk goes through the file in rounds of about this many bytes (the unit tests use
/// small rounds, so that their small corpora take many).
#[cfg(not(test))]
const ROUND: usize = 16 << 20;
#[cfg(test)]
const ROUND: usize = 64 << 10;
/// A walk that releases its own pages (a sparse batch) does so each time it has moved this
/// many bytes.
const RELEASE: usize = 4 << 20;
/// How far ahead of a dense walk the file is read (what it maps counts in the resident set,
/// which a lookup keeps under 256 MB).
const LOOKUP_AHEAD: usize = 64 << 20;

/// The distinct 4 KiB pages of one file a batch touches: a bit a page, shared by the threads
/// of the batch, so each page counts once however often and by whichever thread it is read
/// (1 MiB of bits for a 32 GiB file).
pub(crate) struct PageSet {
    bits: Vec<AtomicU64>,
}

impl PageSet {
    pub(crate) fn new(len: usize) -> PageSet {
        PageSet {
            bits: (0..len.div_ceil(PAGE).div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }
    /// Pages touched so far.
    pub(crate) fn count(&self) -> usize {
        self.bits
            .iter()
            .map(|w| w.load(Ordering::Relaxed).count_ones() as usize)
            .sum()
    }
}

/// One thread's view of a [`PageSet`]: the bits of a 64-page word are gathered before they
/// are set in the shared set. A walk moves
/// forward through two places at once (an index's prefix table and its records), so two words
/// are gathered at a time: that is one shared write per 64 pages of each, not one per page.
/// The bits reach the set when a word is replaced and when the counter is dropped.
pub(crate) struct PageCounter<'a> {
    set: Option<&'a PageSet>,
    /// The two 64-page words being gathered (`usize::MAX`: none) and their bits; the one
    /// touched last comes first.
    words: [(usize, u64); 2],
    /// The lowest byte offset touched (`usize::MAX` before the first touch).
    pub(crate) lowest: usize,
    /// The highest byte offset touched (0 before the first touch).
    pub(crate) highest: usize,
}

impl<'a> PageCounter<'a> {
    pub(crate) fn new(set: &'a PageSet) -> Self {
        PageCounter {
            set: Some(set),
            ..PageCounter::none()
        }
    }
    /// A counter that counts nothing (reads outside a batch, such as opening a corpus).
    pub(crate) fn none() -> Self {
        PageCounter {
            set: None,
            words: [(usize::MAX, 0); 2],
            lowest: usize::MAX,
            highest: 0,
        }
    }
    #[inline]
    pub(crate) fn touch(&mut self, off: usize) {
        self.lowest = self.lowest.min(off);
        self.highest = self.highest.max(off);
        let p = off / PAGE;
        let (w, bit) = (p / 64, 1u64 << (p % 64));
        if self.words[0].0 == w {
            self.words[0].1 |= bit;
        } else if self.words[1].0 == w {
            self.words[1].1 |= bit;
            self.words.swap(0, 1);
        } else {
            self.flush(1);
            self.words[1] = self.words[0];
            self.words[0] = (w, bit);
        }
    }
    /// Sets the bits of word `i` in the shared set.
    fn flush(&mut self, i: usize) {
        let (w, bits) = self.words[i];
        if let Some(word) = self.set.and_then(|s| s.bits.get(w)) {
            word.fetch_or(bits, Ordering::Relaxed);
        }
        self.words[i] = (usize::MAX, 0);
    }
}

impl Drop for PageCounter<'_> {
    fn drop(&mut self) {
        self.flush(0);
        self.flush(1);
    }
}

/// How the thread of [`with_read_ahead`] reads ahead.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ahead {
    /// Touches one byte a page: for work that reads every byte of the pages (the index build).
    Touch,
    /// Maps a block at a time with `MADV_POPULATE_READ` (pages already in the page cache are
    /// mapped without being read through the processor's caches): for work that reads a few
    /// cache lines a page (the lookups). Where that is refused (before Linux 5.14, other
    /// systems) it touches one byte a page.
    Map,
}

/// Runs `work` while a second thread reads `map` ahead of it, from `start` to at most `ahead`
/// bytes past the offset `work` last reported through its argument: the disk reads while `work`
/// computes, and `work` finds its pages in memory. (Plain page faults or `MADV_POPULATE_READ`:
/// on the machines measured they read a cold file faster than `MADV_SEQUENTIAL` or
/// `MADV_WILLNEED`, see BENCHMARKS.md.)
///
/// By reporting an offset, `work` says it is done with everything before it: the same thread
/// releases those pages (it never maps a page below the last offset reported, so nothing it
/// maps is left behind the releases), and when `work` returns, the whole range from `start` is
/// released, including pages `work` mapped again behind an offset it had reported.
pub(crate) fn with_read_ahead<R>(
    map: &memmap2::Mmap,
    start: usize,
    ahead: usize,
    how: Ahead,
    work: impl FnOnce(&dyn Fn(usize)) -> R,
) -> R {
    let len = map.len();
    let done = AtomicUsize::new(start);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let r = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut at = start;
            let mut released = start;
            let mut populate = cfg!(target_os = "linux") && how == Ahead::Map;
            while !stop.load(Ordering::Relaxed) {
                let d = done.load(Ordering::Relaxed);
                if d > released {
                    release(map, released, d);
                    released = d;
                }
                at = at.max(d.next_multiple_of(PAGE));
                if at >= len {
                    break;
                }
                if at >= d + ahead {
                    std::thread::park();
                    continue;
                }
                let end = len.min(at + READ_BLOCK).min(d + ahead);
                #[cfg(target_os = "linux")]
                if populate {
                    populate = map
                        .advise_range(memmap2::Advice::PopulateRead, at, end - at)
                        .is_ok();
                }
                if !populate {
                    for p in (at..end).step_by(PAGE) {
                        std::hint::black_box(map[p]);
                    }
                }
                at = end.next_multiple_of(PAGE);
            }
        });
        let r = work(&|offset| {
            done.fetch_max(offset, Ordering::Relaxed);
            reader.thread().unpark();
        });
        stop.store(true, Ordering::Relaxed);
        reader.thread().unpark();
        r
    });
    release(map, start, len);
    r
}

/// The read-ahead thread of [`with_read_ahead`] reads this many bytes at a time.
const READ_BLOCK: usize = 1 << 20;

/// Tells the kernel the walked part `[from, to)` of a map is no longer needed, so the
/// resident set of a long batched walk stays small (the pages remain in the page cache). Only
/// the pages wholly inside the range are dropped: the pages at its ends may be shared with the
/// walk's next key or with a neighbouring walk.
pub(crate) fn release(map: &memmap2::Mmap, from: usize, to: usize) {
    let base = map.as_ptr() as usize;
    let from = (base + from).next_multiple_of(PAGE) - base;
    let to = ((base + to.min(map.len())) & !(PAGE - 1)).saturating_sub(base);
    if to > from + 16 * PAGE {
        // SAFETY: the map is read-only and file-backed: a dropped page is read again from
        // the file on the next access, so no data the program relies on is lost.
        #[cfg(unix)]
        unsafe {
            let _ = map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Rounds of dense walks started on this thread.
        pub(super) static ROUNDS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// A dense batch through many rounds (ROUND is 64 KiB in unit tests), with duplicates, of
    /// both modes at once, through the sorted text and an index built from it, against a
    /// reference map.
    #[test]
    fn dense_batches_over_many_rounds_match_a_reference() {
        use std::collections::HashMap;
        let t = tempfile::tempdir().unwrap();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for bytes in [16usize, 20] {
            let mut corpus: Vec<(Vec<u8>, u64)> = (0..30_000)
                .map(|_| {
                    let h: Vec<u8> = (0..bytes).map(|_| next() as u8).collect();
                    (h, 1 + next() % 5000)
                })
                .collect();
            corpus.sort();
            corpus.dedup_by(|a, b| a.0 == b.0);
            let text = t.path().join(format!("c{bytes}.txt"));
            let lines: String = corpus
                .iter()
                .map(|(h, c)| format!("{}:{c}\r\n", hex::encode_upper(h)))
                .collect();
            std::fs::write(&text, lines).unwrap();
            let idx = t.path().join(format!("c{bytes}.idx"));
            build_index(std::slice::from_ref(&text), &idx, &|_, _| {}).unwrap();
            let reference: HashMap<&[u8], u64> =
                corpus.iter().map(|(h, c)| (h.as_slice(), *c)).collect();
            // Every third corpus hash (some twice), random absent hashes, and a few queries of
            // the other mode, which has no corpus here.
            let mut qs: Vec<Vec<u8>> = corpus.iter().step_by(3).map(|(h, _)| h.clone()).collect();
            qs.extend(corpus.iter().step_by(301).map(|(h, _)| h.clone()));
            qs.extend((0..4000).map(|_| (0..bytes).map(|_| next() as u8).collect()));
            qs.extend((0..50).map(|_| vec![7u8; 36 - bytes]));
            for i in (1..qs.len()).rev() {
                qs.swap(i, next() as usize % (i + 1));
            }
            let queries: Vec<Query> = qs
                .iter()
                .map(|h| match h.len() {
                    20 => Query::Sha1(h.as_slice().try_into().unwrap()),
                    _ => Query::Ntlm(h.as_slice().try_into().unwrap()),
                })
                .collect();
            for path in [&text, &idx] {
                let src = OfflineSource::open(std::slice::from_ref(path)).unwrap();
                // Four threads, so the batch has several parts whatever the machine.
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(4)
                    .build()
                    .unwrap();
                let (got, rounds) = pool.install(|| {
                    let before = ROUNDS.with(|r| r.get());
                    let got = src.lookup(&queries, &|_| {});
                    (got, ROUNDS.with(|r| r.get()) - before)
                });
                assert!(rounds > 5, "{rounds} rounds through {}", path.display());
                for (h, l) in qs.iter().zip(&got) {
                    let want = if h.len() != bytes {
                        let other = if bytes == 16 { "SHA-1" } else { "NTLM" };
                        Lookup::Error(format!("no offline {other} corpus given"))
                    } else {
                        reference
                            .get(h.as_slice())
                            .map_or(Lookup::NotFound, |&c| Lookup::Found(c))
                    };
                    assert_eq!(*l, want, "{} in {}", hex::encode(h), path.display());
                }
            }
        }
    }

    #[test]
    fn hex_and_counts_parse_without_allocation() {
        let mut out = [0u8; 2];
        assert!(decode_hex(b"0aFf", &mut out));
        assert_eq!(out, [0x0A, 0xFF]);
        assert!(!decode_hex(b"0g00", &mut out));
        assert_eq!(parse_count(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_count(b"18446744073709551616"), None);
        assert_eq!(parse_count(b""), None);
        assert_eq!(parse_count(b"1 "), None);
    }

    #[test]
    fn the_fast_parse_agrees_with_the_checked_one() {
        // Twenty digits are left to the slow path.
        let max = b"ffffffffffffffffffffffffffffffff:18446744073709551615";
        assert_eq!(parse_next(max, 0, 32), None);
        assert_eq!(parse_line(max, 32, &mut [0u8; 20]), Ok(u64::MAX));
        for (line, hex_len) in [
            (&b"31D6CFE0D16AE931B73C59D7E0C089C0:42\r"[..], 32),
            (b"00000000000000000000000000000001:1", 32),
            (b"ffffffffffffffffffffffffffffffff:1844674407370955161", 32),
            (b"7C4A8D09CA3762AF61E59520943DC26494F8941B:24230577", 40),
            (b"000000000000000000000000000000000000000A:3\r", 40),
            (b"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0001:9", 40),
        ] {
            let mut h = [0u8; 20];
            let count = parse_line(line, hex_len, &mut h).unwrap();
            assert_eq!(
                parse_next(line, 0, hex_len),
                Some((num_key(&h), count, line.len())),
                "{line:?}"
            );
        }
        for (line, hex_len) in [
            (&b"31D6CFE0D16AE931B73C59D7E0C089CZ:1"[..], 32),
            (b"31D6CFE0D16AE931B73C59D7E0C089C0:", 32),
            (b"31D6CFE0D16AE931B73C59D7E0C089C0", 32),
            (b"31D6CFE0D16AE931B73C59D7E0C089C:1", 32),
            (b"31D6CFE0D16AE931B73C59D7E0C089C0:1x", 32),
            (b"31D6CFE0D16AE931B73C59D7E0C089C0:1", 40),
        ] {
            assert_eq!(parse_next(line, 0, hex_len), None, "{line:?}");
            assert!(parse_line(line, hex_len, &mut [0u8; 20]).is_err());
        }
    }

    #[test]
    fn eight_hex_digits_at_once_match_the_table() {
        // Every byte value in every position, against the table decoder.
        for pos in 0..8 {
            for b in 0..=255u8 {
                let mut c = *b"09afAF7e";
                c[pos] = b;
                let mut out = [0u8; 4];
                let want = decode_hex(&c, &mut out).then(|| u32::from_be_bytes(out));
                assert_eq!(hex8(&c), want, "{c:?}");
            }
        }
        assert_eq!(hex8(b"DEADbeef"), Some(0xDEAD_BEEF));
        assert_eq!(hex8(b"00000000"), Some(0));
    }

    #[test]
    fn the_fused_parse_agrees_with_the_line_parse() {
        let mut r = 0x1234_5678_9ABC_DEF0u64;
        let mut next = || {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            r
        };
        let alphabet = b"0123456789abcdefABCDEF:\r\n xG";
        for round in 0..20_000 {
            let hex_len = if round % 2 == 0 { 32 } else { 40 };
            let mut text: Vec<u8> = (0..hex_len)
                .map(|_| b"0123456789ABCDEFabcdef"[(next() % 22) as usize])
                .collect();
            text.push(b':');
            let digits = 1 + next() % 21;
            for _ in 0..digits {
                text.push(b'0' + (next() % 10) as u8);
            }
            match next() % 4 {
                0 => text.extend_from_slice(b"\r\n"),
                1 => text.push(b'\n'),
                2 => {}
                _ => text.push(b'\r'),
            }
            // Sometimes damage one byte; sometimes add a following line.
            if next() % 3 == 0 {
                let at = (next() as usize) % text.len();
                text[at] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            if next() % 2 == 0 {
                text.extend_from_slice(b"FFFF");
            }
            let fused = parse_next(&text, 0, hex_len);
            let end = memchr::memchr(b'\n', &text).map_or(text.len(), |i| i);
            let mut h = [0u8; 20];
            let slow = parse_line(&text[..end], hex_len, &mut h).ok();
            match fused {
                Some((key, count, next_at)) => {
                    assert_eq!(slow, Some(count), "{:?}", String::from_utf8_lossy(&text));
                    assert_eq!(key, num_key(&h));
                    assert_eq!(next_at, (end + 1).min(text.len()));
                }
                // The fast path may only give up on lines the slow path rejects, or on
                // 20-digit counts.
                None => assert!(
                    slow.is_none() || end - hex_len > 20,
                    "{:?}",
                    String::from_utf8_lossy(&text)
                ),
            }
        }
    }

    #[test]
    fn lines_are_checked_for_length_hex_and_count() {
        let mut h = [0u8; 20];
        let ok = b"31D6CFE0D16AE931B73C59D7E0C089C0:42\r";
        assert_eq!(parse_line(ok, 32, &mut h), Ok(42));
        assert_eq!(h[0], 0x31);
        assert!(parse_line(ok, 40, &mut h)
            .unwrap_err()
            .to_string()
            .contains("32 characters"));
        assert!(parse_line(b"31D6CFE0D16AE931B73C59D7E0C089CZ:1", 32, &mut h).is_err());
        assert!(parse_line(b"31D6CFE0D16AE931B73C59D7E0C089C0:", 32, &mut h).is_err());
        assert!(parse_line(b"31D6CFE0D16AE931B73C59D7E0C089C0", 32, &mut h).is_err());
    }

    #[test]
    fn pages_count_once_however_often_touched() {
        let set = PageSet::new(3 * PAGE + 1);
        let mut a = PageCounter::new(&set);
        let mut b = PageCounter::new(&set);
        for off in [0, 10, 4095, 4096, 4100, 0, 4096, 3 * PAGE] {
            a.touch(off);
            b.touch(off);
        }
        // Out of range (past the end): ignored rather than counted or panicking.
        a.touch(100 * PAGE);
        drop((a, b));
        assert_eq!(set.count(), 3);
        // Touches moving between several 64-page words (a table and records): every word
        // gathered reaches the set, whether replaced or flushed at the end.
        let words = PageSet::new(256 * PAGE);
        let mut c = PageCounter::new(&words);
        for p in [0, 100, 1, 101, 150, 2, 0, 199, 64, 255] {
            c.touch(p * PAGE + 7);
        }
        drop(c);
        assert_eq!(words.count(), 9);
        PageCounter::none().touch(2 * PAGE);
        assert_eq!(set.count(), 3);
        assert_eq!(dir::prefix_of(&[0xAB, 0xCD, 0xEF]), 0xABCDE);
        assert_eq!(key64(&[1, 0, 0, 0, 0, 0, 0, 2, 9]), (1 << 56) | 2);
    }
}
