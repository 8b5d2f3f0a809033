//! The kensa breach index: a compact binary form of one Pwned Passwords corpus, built
//! streaming, looked up through a prefix table and an interpolation inside the prefix.
//!
//! Layout (all integers little-endian):
//! - header, 64 bytes: magic `KENSAIDX`, format version (u32 = 2), mode (u8: 1 = SHA-1,
//!   2 = NTLM), key bytes per record (u8: 18 / 14), record size (u8: 22 / 18), a zero byte,
//!   record count (u64), table offset, records offset, trailer offset, trailer length (u64 each),
//!   checksum (u64);
//! - prefix table: 2^20 + 1 u64 record indexes; the records whose hash starts with the 20-bit
//!   prefix `p` are `table[p] .. table[p + 1]`;
//! - zero bytes up to the next 4 KiB boundary (format 2; format 1, also read, has none);
//! - records, sorted by hash: the hash bytes after the first two, then the count as a u32
//!   (saturated; lines with count 0 are dropped);
//! - trailer: the [`IndexInfo`] as JSON.
//!
//! The checksum is xxh3-64 (crate `xxhash-rust`) over the record bytes followed by the prefix
//! table bytes; [`verify`] recomputes it, checks the padding and re-checks the order.
//!
//! The build streams: a text corpus is memory-mapped and cut into blocks of about 8 MiB of
//! whole lines; batches of blocks are parsed in parallel straight from the page cache while a
//! thread reads ahead (a byte a page, up to 128 MiB ahead) and releases the pages behind the
//! parse, and appended in order (each block's first hash checked against the last one before
//! it); a writer thread checksums the
//! records and writes them to `OUT.tmp` (whole 4 KiB blocks with `O_DIRECT` where allowed),
//! then the table, trailer and header; then fsync and rename. Memory stays bounded whatever the
//! corpus size: the table (8 MiB), the mapped pages of a batch and of the read-ahead (at most 16
//! blocks and 128 MiB, released behind the parse) and the records of a batch (about 300 MiB peak
//! on two cores).

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3Default;

use super::dir::{dir_mode, parse_prefix_file, prefix_of, prefix_path, PREFIXES};
use super::{
    mtime_date, num_key, parse_line, parse_next, release, with_read_ahead, Ahead, Mode,
    PageCounter, PageSet, Walk, PAGE, RELEASE,
};
use super::{read_error, CorpusError, IndexFault, LineFault};
use crate::breach::BreachError;

/// What an index records about itself (its JSON trailer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// Format version (1 or 2; see the module documentation).
    pub format: u32,
    /// `sha1` or `ntlm`.
    pub mode: String,
    /// Number of records (distinct hashes with a non-zero count).
    pub records: u64,
    /// `xxh3-64:` and 16 hex digits, over the records then the prefix table.
    pub checksum: String,
    /// When the index was built (RFC 3339, UTC).
    pub built_at: String,
    /// The corpus date: the newest modification date among the sources (`YYYY-MM-DD`).
    pub corpus_date: Option<String>,
    /// The corpora the index was built from, in order.
    pub sources: Vec<SourceInfo>,
    /// Lines with a count of 0 (range padding) that were dropped.
    pub dropped_zero: u64,
}

/// One corpus an index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The path as given.
    pub path: String,
    /// `sorted-text` or `prefix-dir`.
    pub kind: String,
    /// Bytes (the sum over the prefix files for a directory).
    pub size: u64,
    /// Files read (1 for a text file).
    pub files: u64,
    /// Modification date (`YYYY-MM-DD`; the newest prefix file for a directory).
    pub modified: Option<String>,
}

/// Builds an index at `out` from one sorted text file or one per-prefix directory (several
/// corpora are read one after the other and must together be sorted; all of one mode).
/// `progress(bytes_read, total_bytes)` is called as the input is read.
pub fn build_index(
    corpora: &[PathBuf],
    out: &Path,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<IndexInfo, BreachError> {
    const NONE: BreachError = BreachError::NoCorpus("no corpus to index");
    if corpora.is_empty() {
        return Err(NONE);
    }
    // Survey: kinds, modes, sizes, dates (and missing prefix files) before writing anything.
    let mut plan: Vec<(Kind, SourceInfo)> = Vec::new();
    let mut mode: Option<Mode> = None;
    for c in corpora {
        let (kind, m, info) = survey(c)?;
        if let Some(prev) = mode {
            if prev != m {
                return Err(CorpusError::MixedModes {
                    path: c.clone(),
                    mode: m.label(),
                    prev: prev.label(),
                }
                .into());
            }
        }
        mode = Some(m);
        plan.push((kind, info));
    }
    let mode = mode.ok_or(NONE)?;
    let total: u64 = plan.iter().map(|(_, i)| i.size).sum();

    let tmp = tmp_path(out);
    let r = (|| {
        let file = std::fs::File::create(&tmp).map_err(|source| CorpusError::Create {
            path: tmp.clone(),
            source,
        })?;
        let mut sink = Sink::new(file, mode, &tmp);
        let mut read = 0u64;
        for (c, (kind, _)) in corpora.iter().zip(&plan) {
            // A corpus that cannot be read or is malformed is an input error; a write of the
            // sink that fails here is an output error.
            match kind {
                Kind::Text => stream_text(c, mode, &mut sink, &mut read, total, progress),
                Kind::Dir => stream_dir(c, mode, &mut sink, &mut read, total, progress),
            }?;
        }
        progress(total, total);
        let sources = plan.iter().map(|(_, i)| i.clone()).collect();
        sink.finish(sources)
    })();
    match r {
        Ok(info) => {
            std::fs::rename(&tmp, out).map_err(|source| {
                let _ = std::fs::remove_file(&tmp);
                CorpusError::Rename {
                    from: tmp.clone(),
                    to: out.to_path_buf(),
                    source,
                }
            })?;
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                if let Ok(d) = std::fs::File::open(dir) {
                    let _ = d.sync_all();
                }
            }
            Ok(info)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e.into())
        }
    }
}

/// Reads an index's header and trailer (cheap: no record is read).
pub fn read_info(index: &Path) -> Result<IndexInfo, BreachError> {
    Ok(info_of(index)?)
}

/// Reads an index's header and trailer (see [`read_info`]).
fn info_of(index: &Path) -> Result<IndexInfo, CorpusError> {
    let mut f = std::fs::File::open(index).map_err(read_error("open", "index ", index))?;
    let len = f
        .metadata()
        .map_err(read_error("read", "index ", index))?
        .len();
    let mut hb = [0u8; HEADER];
    f.read_exact(&mut hb).map_err(|_| CorpusError::TooShort {
        path: index.to_path_buf(),
    })?;
    let h = Header::parse(&hb, len, index)?;
    let mut trailer = vec![0u8; h.trailer_len as usize];
    f.seek(SeekFrom::Start(h.trailer_off))
        .and_then(|_| f.read_exact(&mut trailer))
        .map_err(read_error("read", "index ", index))?;
    h.trailer(&trailer, index)
}

/// Reads the whole index: recomputes the checksum and re-checks the record order and the
/// prefix table. Returns the recorded information when everything matches.
pub fn verify(index: &Path) -> Result<IndexInfo, BreachError> {
    Ok(check(index)?)
}

/// Reads and checks the whole index (see [`verify`]).
fn check(index: &Path) -> Result<IndexInfo, CorpusError> {
    let damaged = |fault| CorpusError::Index {
        path: index.to_path_buf(),
        fault,
    };
    let c = IndexCorpus::open(index)?;
    let h = &c.header;
    let m = &c.map[..];
    let recs = &m[h.records_off as usize..h.trailer_off as usize];
    let table = &m[h.table_off as usize..h.table_off as usize + TABLE_LEN];
    if m[h.table_off as usize + TABLE_LEN..h.records_off as usize]
        .iter()
        .any(|&b| b != 0)
    {
        return Err(damaged(IndexFault::Padding));
    }
    let mut x = Xxh3Default::new();
    x.update(recs);
    x.update(table);
    if x.digest() != h.checksum {
        return Err(damaged(IndexFault::Checksum));
    }
    let rs = h.rec_size;
    let kb = h.key_bytes;
    for p in 0..PREFIXES as usize {
        let (a, b) = (c.table(p), c.table(p + 1));
        for i in a..b {
            let r = &recs[i as usize * rs..i as usize * rs + kb];
            if (r[0] >> 4) as usize != p & 0xF
                || (i > a && recs[(i as usize - 1) * rs..(i as usize - 1) * rs + kb] >= *r)
            {
                return Err(damaged(IndexFault::RecordOrder(i)));
            }
        }
    }
    Ok(c.info.clone())
}

/// True when the file starts with the index magic.
pub(crate) fn is_index(p: &Path) -> Result<bool, CorpusError> {
    let mut f = std::fs::File::open(p).map_err(read_error("open", "offline corpus ", p))?;
    let mut m = [0u8; 8];
    let mut got = 0;
    while got < 8 {
        match f.read(&mut m[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(read_error("read", "offline corpus ", p)(e)),
        }
    }
    Ok(got == 8 && &m == MAGIC)
}

/// An opened, memory-mapped index.
pub(crate) struct IndexCorpus {
    pub(crate) path: PathBuf,
    pub(crate) mode: Mode,
    pub(crate) info: IndexInfo,
    header: Header,
    map: memmap2::Mmap,
}

impl IndexCorpus {
    /// Maps the index and checks its header, trailer and prefix table (not the records).
    pub(crate) fn open(p: &Path) -> Result<IndexCorpus, CorpusError> {
        let file = std::fs::File::open(p).map_err(read_error("open", "index ", p))?;
        // SAFETY: read-only map; see the text corpus.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(read_error("map", "index ", p))?;
        if map.len() < HEADER {
            return Err(CorpusError::TooShort {
                path: p.to_path_buf(),
            });
        }
        let header = Header::parse(&map[..HEADER], map.len() as u64, p)?;
        let info = header.trailer(
            &map[header.trailer_off as usize..(header.trailer_off + header.trailer_len) as usize],
            p,
        )?;
        let c = IndexCorpus {
            path: p.to_path_buf(),
            mode: header.mode,
            info,
            header,
            map,
        };
        let mut prev = 0u64;
        for i in 0..=PREFIXES as usize {
            let t = c.table(i);
            if t < prev || t > c.header.count || (i == 0 && t != 0) {
                return Err(index_fault(p, IndexFault::PrefixTable));
            }
            prev = t;
        }
        if prev != c.header.count {
            return Err(index_fault(p, IndexFault::PrefixTable));
        }
        Ok(c)
    }

    fn table(&self, i: usize) -> u64 {
        let o = self.header.table_off as usize + i * 8;
        u64::from_le_bytes(self.map[o..o + 8].try_into().unwrap_or([0; 8]))
    }
}

impl Walk for IndexCorpus {
    /// The mapped file.
    fn map(&self) -> &memmap2::Mmap {
        &self.map
    }

    /// Where the records of `k`'s prefix start in the file.
    fn offset_of(&self, k: &[u8; 20]) -> usize {
        self.header.records_off as usize
            + self.table(prefix_of(k) as usize) as usize * self.header.rec_size
    }

    /// Looks up sorted distinct keys and writes each one's count (0: absent) to `out`: the
    /// prefix table gives the key's records; an interpolation from the key's next bits (the
    /// hashes are uniform) lands within a few records of it, and a short walk from there
    /// finds it or the place it would be. So a key reads one table entry and one or two cache
    /// lines of records, and a batch reads the index front to back once at most.
    fn lookup_chunk(
        &self,
        keys: &[[u8; 20]],
        out: &mut [u64],
        pages: &PageSet,
        drop_behind: bool,
    ) -> Result<(), CorpusError> {
        let mut pages = PageCounter::new(pages);
        let rs = self.header.rec_size;
        let recs = &self.map[self.header.records_off as usize..self.header.trailer_off as usize];
        let base = self.header.records_off as usize;
        let sha1 = self.mode == Mode::Sha1;
        let table = |p: usize| self.header.table_off as usize + p * 8;
        let mut released = usize::MAX;
        let mut first = usize::MAX;
        let mut at = 0usize;
        // Where the interpolation puts a key: its prefix, the prefix's records, the estimate
        // in them, and the key as records hold it.
        let estimate = |k: &[u8; 20]| {
            let p = prefix_of(k) as usize;
            let (lo, hi) = (self.table(p) as usize, self.table(p + 1) as usize);
            let want = RecKey::of_hash(k, sha1);
            // The bits after the 20-bit prefix, as a fraction of the prefix's range.
            let frac = (want.0 << 4) >> 64;
            let est = lo + ((frac * (hi - lo) as u128) >> 64) as usize;
            (p, lo, hi, est, want)
        };
        for (n, (k, o)) in keys.iter().zip(out.iter_mut()).enumerate() {
            // Ask the memory for the record a later key will read, so the loads of several
            // keys overlap instead of waiting one after the other (a hint: no fault, no
            // effect on a page not mapped yet).
            if let Some(ahead) = keys.get(n + PREFETCH) {
                let (_, lo, hi, est, _) = estimate(ahead);
                if lo < hi {
                    let o = est * rs;
                    prefetch(&recs[o.saturating_sub(64)..]);
                    prefetch(&recs[o..]);
                    if o + 64 < recs.len() {
                        prefetch(&recs[o + 64..]);
                    }
                }
            }
            let (p, lo, hi, est, want) = estimate(k);
            pages.touch(table(p));
            *o = 0;
            if lo < hi {
                let rec = |i: usize| &recs[i * rs..(i + 1) * rs];
                let key = |i: usize| RecKey::of_record(rec(i), sha1);
                pages.touch(base + est * rs);
                // `i`: the first record of the prefix whose key is not below `want`. A few
                // steps from the estimate find it on uniform data; a binary search finishes
                // the job on skewed data.
                let (mut a, mut b) = if key(est) < want {
                    (est + 1, hi)
                } else {
                    (lo, est)
                };
                let mut steps = 0;
                if b == hi {
                    while a < b && steps < WALK && key(a) < want {
                        (a, steps) = (a + 1, steps + 1);
                        pages.touch(base + a * rs);
                    }
                    if steps < WALK {
                        b = a;
                    }
                } else {
                    while a < b && steps < WALK && key(b - 1) >= want {
                        (b, steps) = (b - 1, steps + 1);
                        pages.touch(base + b.saturating_sub(1) * rs);
                    }
                    if steps < WALK {
                        a = b;
                    }
                }
                while a < b {
                    let m = a + (b - a) / 2;
                    pages.touch(base + m * rs);
                    if key(m) < want {
                        a = m + 1;
                    } else {
                        b = m;
                    }
                }
                let i = a.min(hi - 1);
                pages.touch(base + i * rs);
                if a < hi && key(a) == want {
                    let c = &rec(a)[rs - 4..];
                    *o = u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
                }
                at = base + i * rs;
                if released == usize::MAX {
                    (released, first) = (at, at);
                } else if drop_behind && at >= released + RELEASE {
                    release(&self.map, released, at);
                    released = at;
                }
            }
        }
        if !drop_behind {
            return Ok(());
        }
        // This walk's part of the records and of the table (other walks own the rest).
        if first != usize::MAX {
            release(&self.map, first, at + PAGE);
        }
        if let (Some(a), Some(b)) = (keys.first(), keys.last()) {
            release(
                &self.map,
                table(prefix_of(a) as usize),
                table(prefix_of(b) as usize + 2),
            );
        }
        Ok(())
    }
}

/// A record key (the hash after its first two bytes: 14 bytes for NTLM, 18 for SHA-1) as two
/// numbers that order like its bytes, loaded at fixed widths: comparing two keys is two
/// integer comparisons, no `memcmp`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct RecKey(u128, u16);

impl RecKey {
    /// From a record (key then a 4-byte count; at least 18 bytes).
    #[inline]
    fn of_record(r: &[u8], sha1: bool) -> RecKey {
        let mut b = [0u8; 16];
        b.copy_from_slice(&r[..16]);
        let hi = u128::from_be_bytes(b);
        if sha1 {
            RecKey(hi, u16::from_be_bytes([r[16], r[17]]))
        } else {
            // Bytes 14 and 15 are the start of the count.
            RecKey(hi & !0xFFFF, 0)
        }
    }
    /// From a whole hash (20-byte buffer; NTLM hashes are followed by zeros): its bytes
    /// after the first two are laid out as a record's.
    #[inline]
    fn of_hash(h: &[u8; 20], sha1: bool) -> RecKey {
        RecKey::of_record(&h[2..], sha1)
    }
}

/// Records stepped over one by one from the interpolated estimate before bisecting.
const WALK: usize = 16;
/// How many keys ahead the walk asks for the record a key will need.
const PREFETCH: usize = 16;

/// A prefetch hint for the cache line at the start of `b` (nothing on other targets).
#[inline(always)]
fn prefetch(b: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it reads nothing the program sees and does not
    // fault, and the pointer comes from a live slice.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(b.as_ptr().cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = b;
}

const MAGIC: &[u8; 8] = b"KENSAIDX";
/// Format version written. Version 2 starts the records at a 4 KiB boundary (so they can be
/// written around the page cache); version 1 right after the table. Both are read.
const VERSION: u32 = 2;
/// Alignment of the records and of the direct writes.
const ALIGN: usize = 4096;

/// Where the records start in an index of format `version`.
fn records_off(version: u32) -> u64 {
    let packed = HEADER + TABLE_LEN;
    if version >= 2 {
        packed.div_ceil(ALIGN) as u64 * ALIGN as u64
    } else {
        packed as u64
    }
}
const HEADER: usize = 64;
const TABLE_LEN: usize = (PREFIXES as usize + 1) * 8;
/// Size of the read and write buffers of the build.
const BUF: usize = 8 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Dir,
}

/// The fixed header.
struct Header {
    mode: Mode,
    key_bytes: usize,
    rec_size: usize,
    count: u64,
    table_off: u64,
    records_off: u64,
    trailer_off: u64,
    trailer_len: u64,
    checksum: u64,
}

impl Header {
    fn for_mode(mode: Mode) -> Header {
        let key_bytes = mode.bytes() - 2;
        Header {
            mode,
            key_bytes,
            rec_size: key_bytes + 4,
            count: 0,
            table_off: HEADER as u64,
            records_off: records_off(VERSION),
            trailer_off: 0,
            trailer_len: 0,
            checksum: 0,
        }
    }

    fn encode(&self) -> [u8; HEADER] {
        let mut b = [0u8; HEADER];
        b[..8].copy_from_slice(MAGIC);
        b[8..12].copy_from_slice(&VERSION.to_le_bytes());
        b[12] = match self.mode {
            Mode::Sha1 => 1,
            Mode::Ntlm => 2,
        };
        b[13] = self.key_bytes as u8;
        b[14] = self.rec_size as u8;
        for (i, v) in [
            self.count,
            self.table_off,
            self.records_off,
            self.trailer_off,
            self.trailer_len,
            self.checksum,
        ]
        .into_iter()
        .enumerate()
        {
            b[16 + i * 8..24 + i * 8].copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    fn parse(b: &[u8], file_len: u64, p: &Path) -> Result<Header, CorpusError> {
        let bad = |fault| index_fault(p, fault);
        if b.len() < HEADER || &b[..8] != MAGIC {
            return Err(bad(IndexFault::Magic));
        }
        let version = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
        if !(1..=VERSION).contains(&version) {
            return Err(bad(IndexFault::Version {
                version,
                max: VERSION,
            }));
        }
        let mode = match b[12] {
            1 => Mode::Sha1,
            2 => Mode::Ntlm,
            _ => return Err(bad(IndexFault::UnknownMode)),
        };
        let u = |i: usize| {
            let mut x = [0u8; 8];
            x.copy_from_slice(&b[16 + i * 8..24 + i * 8]);
            u64::from_le_bytes(x)
        };
        let mut h = Header::for_mode(mode);
        h.records_off = records_off(version);
        if b[13] as usize != h.key_bytes || b[14] as usize != h.rec_size {
            return Err(bad(IndexFault::RecordSize));
        }
        h.count = u(0);
        h.trailer_off = u(3);
        h.trailer_len = u(4);
        h.checksum = u(5);
        let ok = u(1) == h.table_off
            && u(2) == h.records_off
            && h.count
                .checked_mul(h.rec_size as u64)
                .and_then(|r| r.checked_add(h.records_off))
                == Some(h.trailer_off)
            && h.trailer_off.checked_add(h.trailer_len) == Some(file_len);
        if !ok {
            return Err(bad(IndexFault::Sizes));
        }
        Ok(h)
    }

    fn trailer(&self, t: &[u8], p: &Path) -> Result<IndexInfo, CorpusError> {
        let info: IndexInfo =
            serde_json::from_slice(t).map_err(|e| index_fault(p, IndexFault::Metadata(e)))?;
        if info.records != self.count
            || info.mode != self.mode.name()
            || info.checksum != checksum_text(self.checksum)
        {
            return Err(index_fault(p, IndexFault::MetadataMismatch));
        }
        Ok(info)
    }
}

/// An index that is damaged.
fn index_fault(p: &Path, fault: IndexFault) -> CorpusError {
    CorpusError::Index {
        path: p.to_path_buf(),
        fault,
    }
}

fn checksum_text(c: u64) -> String {
    format!("xxh3-64:{c:016x}")
}

fn tmp_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

/// Kind, mode and description of one corpus; a missing prefix file is an error here.
fn survey(c: &Path) -> Result<(Kind, Mode, SourceInfo), CorpusError> {
    let meta = std::fs::metadata(c).map_err(read_error("read", "corpus ", c))?;
    if meta.is_dir() {
        let mode = dir_mode(c)?;
        let mut size = 0u64;
        let mut newest: Option<std::time::SystemTime> = None;
        for p in 0..PREFIXES {
            let f = prefix_path(c, p);
            let m = std::fs::metadata(&f).map_err(|_| CorpusError::MissingPrefix {
                dir: c.to_path_buf(),
                file: f.clone(),
            })?;
            size += m.len();
            if let Ok(t) = m.modified() {
                newest = Some(newest.map_or(t, |n| n.max(t)));
            }
        }
        let modified = newest.map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .format("%Y-%m-%d")
                .to_string()
        });
        let info = SourceInfo {
            path: c.display().to_string(),
            kind: "prefix-dir".into(),
            size,
            files: u64::from(PREFIXES),
            modified,
        };
        return Ok((Kind::Dir, mode, info));
    }
    if is_index(c)? {
        return Err(CorpusError::AlreadyIndex {
            path: c.to_path_buf(),
        });
    }
    let mut f = std::fs::File::open(c).map_err(read_error("open", "", c))?;
    let mut head = [0u8; 80];
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) => return Err(read_error("read", "", c)(e)),
        }
    }
    let mode = head[..got]
        .iter()
        .position(|&b| b == b':')
        .and_then(Mode::from_hex_len)
        .ok_or_else(|| CorpusError::Line {
            path: c.to_path_buf(),
            line: 1,
            fault: LineFault::NotHashCount,
        })?;
    let info = SourceInfo {
        path: c.display().to_string(),
        kind: "sorted-text".into(),
        size: meta.len(),
        files: 1,
        modified: mtime_date(&meta),
    };
    Ok((Kind::Text, mode, info))
}

/// A buffer whose bytes start at a 4 KiB boundary in memory, as direct I/O needs.
struct AlignedBuf {
    v: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedBuf {
    fn new() -> AlignedBuf {
        let v = vec![0u8; BUF + ALIGN];
        let start = v.as_ptr().align_offset(ALIGN).min(ALIGN);
        AlignedBuf { v, start, len: 0 }
    }
    #[inline]
    fn extend(&mut self, b: &[u8]) {
        let at = self.start + self.len;
        self.v[at..at + b.len()].copy_from_slice(b);
        self.len += b.len();
    }
    fn bytes(&self) -> &[u8] {
        &self.v[self.start..self.start + self.len]
    }
}

/// The thread that checksums and writes the records while the parse goes on. Whole 4 KiB
/// blocks go through a second handle opened with `O_DIRECT` where the system allows it:
/// the records are written once and read later, so copying them into the page cache first
/// would only cost time (it is the slowest part of a buffered build). The tail, the table,
/// trailer and header go through the ordinary handle.
struct Writer {
    tx: Option<std::sync::mpsc::SyncSender<(AlignedBuf, bool)>>,
    back: std::sync::mpsc::Receiver<AlignedBuf>,
    handle: Option<std::thread::JoinHandle<Result<(std::fs::File, Xxh3Default), CorpusError>>>,
}

impl Writer {
    /// `file` is the open temporary file; records are written from byte `at` (aligned).
    fn new(file: std::fs::File, tmp: &Path, at: u64) -> Writer {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(AlignedBuf, bool)>(2);
        let (back_tx, back) = std::sync::mpsc::channel::<AlignedBuf>();
        let name = tmp.to_path_buf();
        let mut direct = open_direct(tmp);
        let handle = std::thread::spawn(move || {
            use std::os::unix::fs::FileExt;
            let mut hasher = Xxh3Default::new();
            let mut pos = at;
            for (mut buf, tail) in rx {
                let bytes = buf.bytes();
                hasher.update(bytes);
                let mut done = false;
                if let (Some(d), false) = (&direct, tail) {
                    match d.write_all_at(bytes, pos) {
                        Ok(()) => done = true,
                        // Refused (alignment, file system): go on without direct I/O.
                        Err(e)
                            if matches!(
                                e.kind(),
                                std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported
                            ) =>
                        {
                            direct = None
                        }
                        Err(source) => return Err(CorpusError::Write { path: name, source }),
                    }
                }
                if !done {
                    file.write_all_at(bytes, pos)
                        .map_err(|source| CorpusError::Write {
                            path: name.clone(),
                            source,
                        })?;
                }
                pos += bytes.len() as u64;
                buf.len = 0;
                let _ = back_tx.send(buf);
            }
            Ok((file, hasher))
        });
        Writer {
            tx: Some(tx),
            back,
            handle: Some(handle),
        }
    }

    /// Hand a filled buffer over (`tail`: the last one, of any length); returns an empty one
    /// to fill next.
    fn send(&mut self, buf: AlignedBuf, tail: bool) -> Result<AlignedBuf, CorpusError> {
        let sent = self
            .tx
            .as_ref()
            .map(|tx| tx.send((buf, tail)).is_ok())
            .unwrap_or(false);
        if !sent {
            // The writer stopped: its error is the one to report.
            return Err(self
                .join()
                .err()
                .unwrap_or(CorpusError::Writer("index writer stopped")));
        }
        Ok(self.back.try_recv().unwrap_or_else(|_| AlignedBuf::new()))
    }

    /// Wait for every buffer to be written; returns the file and the checksum state.
    fn join(&mut self) -> Result<(std::fs::File, Xxh3Default), CorpusError> {
        self.tx = None;
        match self.handle.take() {
            Some(h) => h
                .join()
                .map_err(|_| CorpusError::Writer("index writer panicked"))?,
            None => Err(CorpusError::Writer("index writer already finished")),
        }
    }
}

impl Drop for Writer {
    /// A build that stops on an error waits for the writer, so nothing is written to the
    /// temporary file after it has been removed.
    fn drop(&mut self) {
        if self.handle.is_some() {
            let _ = self.join();
        }
    }
}

/// A second handle on the temporary file that bypasses the page cache, when the system and
/// the file system allow it.
#[cfg(target_os = "linux")]
fn open_direct(p: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_DIRECT)
        .open(p)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_: &Path) -> Option<std::fs::File> {
    None
}

/// Receives the records in order, checks the order, fills the prefix table and hands the
/// records to the [`Writer`].
struct Sink<'a> {
    writer: Writer,
    tmp: &'a Path,
    header: Header,
    table: Vec<u64>,
    /// Prefixes below this have their table entry set.
    next_prefix: usize,
    prev: (u128, u32),
    have_prev: bool,
    buf: AlignedBuf,
    dropped_zero: u64,
}

impl<'a> Sink<'a> {
    fn new(file: std::fs::File, mode: Mode, tmp: &'a Path) -> Sink<'a> {
        let header = Header::for_mode(mode);
        Sink {
            writer: Writer::new(file, tmp, header.records_off),
            tmp,
            header,
            table: vec![0u64; PREFIXES as usize + 1],
            next_prefix: 0,
            prev: (0, 0),
            have_prev: false,
            buf: AlignedBuf::new(),
            dropped_zero: 0,
        }
    }

    /// One hash in input order (`where_` makes the error of its `file:line`).
    #[inline]
    fn push(
        &mut self,
        h: &[u8; 20],
        count: u64,
        where_: &dyn Fn(LineFault) -> CorpusError,
    ) -> Result<(), CorpusError> {
        // Hashes shorter than 20 bytes are followed by zeros, so whole buffers compare alike.
        self.push_key(num_key(h), count, where_)
    }

    /// One hash as the numbers [`num_key`] makes of it (what the text parse produces directly,
    /// without going through bytes).
    #[inline]
    fn push_key(
        &mut self,
        key: (u128, u32),
        count: u64,
        where_: &dyn Fn(LineFault) -> CorpusError,
    ) -> Result<(), CorpusError> {
        if self.have_prev && self.prev >= key {
            return Err(where_(order_error(self.prev == key)));
        }
        self.prev = key;
        self.have_prev = true;
        if count == 0 {
            self.dropped_zero += 1;
            return Ok(());
        }
        self.start_prefix((key.0 >> 108) as usize, self.header.count);
        let (rec, rs) = encode_record(key, count, self.header.mode);
        self.buf.extend(&rec[..rs]);
        self.header.count += 1;
        if self.buf.len + 64 > BUF {
            self.flush(false)?;
        }
        Ok(())
    }

    /// Records that the records of `prefix` (and of any prefix before it not yet seen, which
    /// have none) start at record `at`.
    #[inline]
    fn start_prefix(&mut self, prefix: usize, at: u64) {
        while self.next_prefix <= prefix {
            self.table[self.next_prefix] = at;
            self.next_prefix += 1;
        }
    }

    /// Appends a block parsed by [`parse_block`]: its first hash checked against the last one
    /// before it, its errors reported with the line numbers `where_(line in block)` gives.
    fn append(
        &mut self,
        p: &Parsed,
        where_: &dyn Fn(u64, LineFault) -> CorpusError,
    ) -> Result<(), CorpusError> {
        // A line that does not parse comes before its order check.
        if let Some((1, why)) = p.err {
            return Err(where_(1, why));
        }
        if let (true, Some(first)) = (self.have_prev, p.first) {
            if self.prev >= first {
                return Err(where_(1, order_error(self.prev == first)));
            }
        }
        if let Some((line, why)) = p.err {
            return Err(where_(line, why));
        }
        if let Some(last) = p.last {
            self.prev = last;
            self.have_prev = true;
        }
        self.dropped_zero += p.dropped_zero;
        for &(prefix, at) in &p.starts {
            self.start_prefix(prefix as usize, self.header.count + at);
        }
        self.header.count += (p.recs.len() / self.header.rec_size) as u64;
        let mut rest = &p.recs[..];
        while !rest.is_empty() {
            let room = BUF - self.buf.len;
            let k = room.min(rest.len());
            self.buf.extend(&rest[..k]);
            rest = &rest[k..];
            if self.buf.len + 64 > BUF {
                self.flush(false)?;
            }
        }
        Ok(())
    }

    /// Sends the whole 4 KiB blocks of the buffer to the writer (all of it when `tail`); the
    /// rest starts the next buffer.
    fn flush(&mut self, tail: bool) -> Result<(), CorpusError> {
        let whole = if tail {
            self.buf.len
        } else {
            self.buf.len / ALIGN * ALIGN
        };
        if whole == 0 && !tail {
            return Ok(());
        }
        let rest = self.buf.bytes()[whole..].to_vec();
        self.buf.len = whole;
        let full = std::mem::replace(
            &mut self.buf,
            AlignedBuf {
                v: Vec::new(),
                start: 0,
                len: 0,
            },
        );
        self.buf = self.writer.send(full, tail)?;
        self.buf.extend(&rest);
        Ok(())
    }

    fn finish(mut self, sources: Vec<SourceInfo>) -> Result<IndexInfo, CorpusError> {
        self.flush(true)?;
        let (mut file, mut hasher) = self.writer.join()?;
        // The end entry (and any prefix after the last record): the record count.
        self.start_prefix(PREFIXES as usize, self.header.count);
        let mut tb = Vec::with_capacity(TABLE_LEN);
        for t in &self.table {
            tb.extend_from_slice(&t.to_le_bytes());
        }
        hasher.update(&tb);
        self.header.checksum = hasher.digest();
        let corpus_date = sources.iter().filter_map(|s| s.modified.clone()).max();
        let info = IndexInfo {
            format: VERSION,
            mode: self.header.mode.name().into(),
            records: self.header.count,
            checksum: checksum_text(self.header.checksum),
            built_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            corpus_date,
            sources,
            dropped_zero: self.dropped_zero,
        };
        let trailer = serde_json::to_vec_pretty(&info).map_err(CorpusError::Encode)?;
        self.header.trailer_off =
            self.header.records_off + self.header.count * self.header.rec_size as u64;
        self.header.trailer_len = trailer.len() as u64;
        let io = |source: std::io::Error| CorpusError::Write {
            path: self.tmp.to_path_buf(),
            source,
        };
        file.seek(SeekFrom::Start(self.header.trailer_off))
            .map_err(io)?;
        file.write_all(&trailer).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(&self.header.encode()).map_err(io)?;
        file.write_all(&tb).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(info)
    }
}

/// Text parsed per block (one task of the parallel parse).
const BLOCK: usize = 8 << 20;
/// How far ahead of the parse the text is read (more hides the disk's latency better: 32, 64
/// and 128 MiB built the benchmark corpus cold in about 4.2, 2.9 and 2.5 s).
const AHEAD: usize = 128 << 20;

/// A block parsed on its own, to be checked against its neighbours and appended in order.
#[derive(Default)]
struct Parsed {
    /// The records, [`Header::rec_size`] bytes each.
    recs: Vec<u8>,
    /// `(prefix, record)` for each record whose prefix differs from the record before it in
    /// the block (the first record included).
    starts: Vec<(u32, u64)>,
    /// The first and last hashes of the block (zero counts included: they are ordered too).
    first: Option<(u128, u32)>,
    last: Option<(u128, u32)>,
    lines: u64,
    dropped_zero: u64,
    /// The first malformed or misordered line: its number in the block and what is wrong.
    err: Option<(u64, LineFault)>,
}

/// Parses one block: every line checked (shape, hex, count, order within the block). The
/// records go to `recs` (emptied first; a buffer of an earlier block, to reuse its memory).
fn parse_block(text: &[u8], mode: Mode, mut recs: Vec<u8>) -> Parsed {
    let hex_len = mode.hex_len();
    let n = mode.bytes();
    let rs = n + 2;
    recs.clear();
    recs.reserve(text.len() / (hex_len + 3) * rs + rs);
    let mut out = Parsed {
        recs,
        ..Parsed::default()
    };
    let mut prev: Option<(u128, u32)> = None;
    let mut prev_prefix = u32::MAX;
    let mut count_recs = 0u64;
    let mut pos = 0usize;
    let mut h = [0u8; 20];
    while pos < text.len() {
        out.lines += 1;
        let (key, count) = match parse_next(text, pos, hex_len) {
            Some((key, count, next)) => {
                pos = next;
                (key, count)
            }
            None => {
                // The slow path: find the line, then parse it again to say what is wrong.
                let rest = &text[pos..];
                let (line, next) = match memchr::memchr(b'\n', rest) {
                    Some(i) => (&rest[..i], pos + i + 1),
                    None => (rest, text.len()),
                };
                pos = next;
                match parse_line(line, hex_len, &mut h) {
                    Ok(count) => (num_key(&h), count),
                    Err(fault) => {
                        let mode = mode.label();
                        out.err = Some((out.lines, LineFault::Parse { fault, mode }));
                        return out;
                    }
                }
            }
        };
        if let Some(p) = prev {
            if p >= key {
                out.err = Some((out.lines, order_error(p == key)));
                return out;
            }
        } else {
            out.first = Some(key);
        }
        prev = Some(key);
        if count == 0 {
            out.dropped_zero += 1;
            continue;
        }
        let prefix = (key.0 >> 108) as u32;
        if prefix != prev_prefix {
            out.starts.push((prefix, count_recs));
            prev_prefix = prefix;
        }
        push_record(&mut out.recs, key, count, mode);
        count_recs += 1;
    }
    out.last = prev;
    out
}

/// Appends one record to `recs`.
#[inline]
fn push_record(recs: &mut Vec<u8>, key: (u128, u32), count: u64, mode: Mode) {
    let (r, _) = encode_record(key, count, mode);
    // Fixed lengths: copies the compiler can inline (this runs once a line).
    if mode == Mode::Sha1 {
        recs.extend_from_slice(&r[..22]);
    } else {
        recs.extend_from_slice(&r[..18]);
    }
}

/// One record: the hash (as [`num_key`] numbers) after its first two bytes, then the count as
/// a little-endian u32 (saturated); the bytes and their number (18 for NTLM, 22 for SHA-1).
#[inline]
fn encode_record(key: (u128, u32), count: u64, mode: Mode) -> ([u8; 24], usize) {
    let c = u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes();
    let mut r = [0u8; 24];
    r[..16].copy_from_slice(&((key.0 << 16) | u128::from(key.1 >> 16)).to_be_bytes());
    if mode == Mode::Sha1 {
        r[16..18].copy_from_slice(&(key.1 as u16).to_be_bytes());
        r[18..22].copy_from_slice(&c);
        (r, 22)
    } else {
        r[14..18].copy_from_slice(&c);
        (r, 18)
    }
}

/// Why two consecutive hashes cannot follow each other.
fn order_error(equal: bool) -> LineFault {
    if equal {
        LineFault::Duplicate
    } else {
        LineFault::OutOfOrder
    }
}

/// Streams one sorted text file into the sink. The file is memory-mapped and cut into blocks
/// of whole lines; batches of blocks are parsed in parallel straight from the page cache (no
/// copy), then checked against each other and appended in order, so errors name the same first
/// bad line as a line-by-line read would. A thread reads up to [`AHEAD`] bytes ahead of the
/// parse ([`with_read_ahead`]) and the pages behind are released, so the resident set stays
/// at a few batches whatever the file.
fn stream_text(
    path: &Path,
    mode: Mode,
    sink: &mut Sink,
    read: &mut u64,
    total: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(), CorpusError> {
    let file = std::fs::File::open(path).map_err(read_error("open", "", path))?;
    let len = file.metadata().map_err(read_error("read", "", path))?.len() as usize;
    if len == 0 {
        return Ok(());
    }
    // SAFETY: a read-only map of a file this build only reads; a corpus truncated by another
    // program while it is read is outside what kensa can defend against (as for any mapped
    // input: see the text corpus lookup).
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(read_error("map", "", path))?;
    // Two blocks a thread, at most 16.
    let batch = (2 * rayon::current_num_threads()).clamp(2, 16);
    with_read_ahead(&map, 0, AHEAD, Ahead::Touch, |parsed| {
        parse_mapped(&map, path, mode, batch, sink, read, total, progress, parsed)
    })
}

/// The parse loop of [`stream_text`]: batches of blocks of whole lines parsed in parallel,
/// appended in order; `parsed(offset)` is told how far the parse has got after each batch.
#[allow(clippy::too_many_arguments)]
fn parse_mapped(
    map: &memmap2::Mmap,
    path: &Path,
    mode: Mode,
    batch: usize,
    sink: &mut Sink,
    read: &mut u64,
    total: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
    parsed: &dyn Fn(usize),
) -> Result<(), CorpusError> {
    use rayon::prelude::*;
    let len = map.len();
    let mut spare_recs: Vec<Vec<u8>> = Vec::new();
    let (mut pos, mut lines) = (0usize, 0u64);
    while pos < len {
        // The next batch: blocks of about BLOCK bytes, each cut after its last newline.
        let start = pos;
        let mut blocks: Vec<(usize, usize)> = Vec::with_capacity(batch);
        while blocks.len() < batch && pos < len {
            let end = if len - pos <= BLOCK {
                len
            } else {
                match memchr::memrchr(b'\n', &map[pos..pos + BLOCK]) {
                    Some(i) => pos + i + 1,
                    None => {
                        // Not a line of a corpus: report it after the blocks before it.
                        blocks.push((pos, pos));
                        break;
                    }
                }
            };
            blocks.push((pos, end));
            pos = end;
        }
        let recs: Vec<Vec<u8>> = (0..blocks.len())
            .map(|_| spare_recs.pop().unwrap_or_default())
            .collect();
        let parsed_blocks: Vec<Parsed> = blocks
            .par_iter()
            .zip(recs.into_par_iter())
            .map(|(&(a, b), r)| parse_block(&map[a..b], mode, r))
            .collect();
        for (&(a, b), p) in blocks.iter().zip(&parsed_blocks) {
            if a == b {
                return Err(CorpusError::Line {
                    path: path.to_path_buf(),
                    line: lines + 1,
                    fault: LineFault::TooLong,
                });
            }
            sink.append(p, &|l, fault| CorpusError::Line {
                path: path.to_path_buf(),
                line: lines + l,
                fault,
            })?;
            lines += p.lines;
        }
        spare_recs.extend(parsed_blocks.into_iter().map(|p| p.recs));
        parsed(pos);
        *read += (pos - start) as u64;
        progress(*read, total);
    }
    Ok(())
}

/// Streams the prefix files of a directory, 00000 to FFFFF, into the sink.
fn stream_dir(
    dir: &Path,
    mode: Mode,
    sink: &mut Sink,
    read: &mut u64,
    total: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(), CorpusError> {
    let mut data = Vec::with_capacity(1 << 16);
    for p in 0..PREFIXES {
        let file = prefix_path(dir, p);
        data.clear();
        std::fs::File::open(&file)
            .and_then(|mut f| f.read_to_end(&mut data))
            .map_err(read_error("read", "prefix file ", &file))?;
        *read += data.len() as u64;
        let dropped = parse_prefix_file(&file, p, mode, &data, &mut |h, c, ln| {
            sink.push(h, c, &|fault| CorpusError::Line {
                path: file.clone(),
                line: ln,
                fault,
            })
        })?;
        sink.dropped_zero += dropped;
        if p % 1024 == 1023 {
            progress(*read, total);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one record encoding serves the text parse and the per-prefix directory alike.
    #[test]
    fn records_hold_the_hash_after_two_bytes_then_the_saturated_count() {
        let sha1: Vec<u8> = (1..=20).collect();
        let mut h = [0u8; 20];
        h.copy_from_slice(&sha1);
        let (r, n) = encode_record(num_key(&h), 0x1_0000_0005, Mode::Sha1);
        assert_eq!(n, 22);
        assert_eq!(&r[..18], &sha1[2..]);
        assert_eq!(&r[18..22], &u32::MAX.to_le_bytes());
        let mut h = [0u8; 20];
        h[..16].copy_from_slice(&sha1[..16]);
        let (r, n) = encode_record(num_key(&h), 7, Mode::Ntlm);
        assert_eq!(n, 18);
        assert_eq!(&r[..14], &sha1[2..16]);
        assert_eq!(&r[14..18], &7u32.to_le_bytes());
        let mut recs = Vec::new();
        push_record(&mut recs, num_key(&h), 7, Mode::Ntlm);
        assert_eq!(recs, &r[..18]);
        // And the lookup key of the same hash compares equal to the record's.
        assert!(RecKey::of_record(&r[..18], false) == RecKey::of_hash(&h, false));
    }
}
