//! The downloader's single text file sorted by full hash, searched in place: memory-mapped,
//! interpolation search from the hash value, every touched line validated.

use std::cmp::Ordering as Cmp;
use std::path::{Path, PathBuf};

use super::{
    key64, mtime_date, parse_line, read_error, release, CorpusError, LineFault, Mode, PageCounter,
    PageSet, Walk, RELEASE,
};

/// A sorted `HASH:COUNT` text file.
pub(crate) struct TextCorpus {
    pub(crate) path: PathBuf,
    pub(crate) mode: Mode,
    pub(crate) date: Option<String>,
    map: memmap2::Mmap,
}

/// Below this many bytes left between the bounds, lines are scanned one by one.
const SCAN: usize = 1024;
/// First step (bytes) of the gallop away from the interpolation probe: a few lines.
const GALLOP: usize = 256;

impl TextCorpus {
    /// Maps the file and tells the mode from its first line.
    pub(crate) fn open(p: &Path) -> Result<TextCorpus, CorpusError> {
        let file = std::fs::File::open(p).map_err(read_error("open", "offline corpus ", p))?;
        let meta = file
            .metadata()
            .map_err(read_error("read", "offline corpus ", p))?;
        if meta.len() == 0 {
            return Err(CorpusError::Empty {
                path: p.to_path_buf(),
            });
        }
        // SAFETY: the map is only read; a corpus truncated by another program while we read
        // it is outside what kensa can defend against (as for any mapped input).
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(read_error(
            "map",
            "offline corpus ",
            p,
        ))?;
        let first = &map[..map.len().min(80)];
        let colon = first.iter().position(|&c| c == b':');
        let mode = colon
            .and_then(Mode::from_hex_len)
            .ok_or_else(|| CorpusError::NotCorpus {
                path: p.to_path_buf(),
            })?;
        let corpus = TextCorpus {
            path: p.to_path_buf(),
            mode,
            date: mtime_date(&meta),
            map,
        };
        // The first line must parse (catches binary files that happen to hold a colon).
        let mut h = [0u8; 20];
        corpus.line_at(0, &mut h, &mut PageCounter::none())?;
        Ok(corpus)
    }

    fn data(&self) -> &[u8] {
        &self.map
    }
}

impl Walk for TextCorpus {
    /// The mapped file.
    fn map(&self) -> &memmap2::Mmap {
        &self.map
    }

    /// Where a key lies in the file, estimated from its value (the hashes are uniform).
    fn offset_of(&self, k: &[u8; 20]) -> usize {
        ((u128::from(key64(k)) * self.map.len() as u128) >> 64) as usize
    }

    /// Looks up sorted distinct keys, walking forward through the file; writes each key's
    /// count (0: absent) to `out`.
    fn lookup_chunk(
        &self,
        keys: &[[u8; 20]],
        out: &mut [u64],
        pages: &PageSet,
        drop_behind: bool,
    ) -> Result<(), CorpusError> {
        let n = self.mode.bytes();
        let mut pages = PageCounter::new(pages);
        // Lines before `lo` all hold hashes below the current key; `lo_hash` is the last of them.
        let mut lo = 0usize;
        let mut lo_hash: Option<[u8; 20]> = None;
        // Every probe of a key lies at or after the previous key's `lo`, so the pages behind it
        // are done with. With `drop_behind` they are released every few MiB (from the first
        // line this walk read) and all at the end, so the resident set stays a few MiB a thread
        // whatever the file; without, the read-ahead thread of the dense walk releases them
        // round by round.
        let mut released = usize::MAX;
        let r = (|| {
            for (k, o) in keys.iter().zip(out.iter_mut()) {
                *o = self.find(&k[..n], &mut lo, &mut lo_hash, &mut pages)?;
                if released == usize::MAX {
                    released = pages.lowest.min(lo);
                }
                if drop_behind && lo - released >= RELEASE {
                    release(&self.map, released, lo);
                    released = lo;
                }
            }
            Ok(())
        })();
        if drop_behind && pages.lowest < self.map.len() {
            release(&self.map, pages.lowest, pages.highest);
        }
        r
    }
}

impl TextCorpus {
    /// Finds one key at or after line start `lo`; on return `lo` and `lo_hash` are advanced so
    /// that they hold for any larger key. Returns the key's count (0: absent).
    ///
    /// One interpolation probe from the hash values (the hashes are uniform, so it lands within
    /// a few lines of the key), then probes galloping away from it (doubling steps) until the
    /// key is bracketed, then bisection down to [`SCAN`] bytes and a line-by-line scan: a key
    /// costs a handful of probes, all near it, whatever the data.
    fn find(
        &self,
        h: &[u8],
        lo: &mut usize,
        lo_hash: &mut Option<[u8; 20]>,
        pages: &mut PageCounter,
    ) -> Result<u64, CorpusError> {
        #[derive(Clone, Copy)]
        enum Step {
            Interpolate,
            Up(usize),
            Down(usize),
            Bisect,
        }
        let data = self.data();
        let n = self.mode.bytes();
        let mut hi = data.len();
        let mut hi_hash: Option<[u8; 20]> = None;
        let k = key64(h) as u128;
        let mut buf = [0u8; 20];
        let mut step = Step::Interpolate;
        loop {
            if hi - *lo <= SCAN {
                return self.scan(h, lo, lo_hash, hi, hi_hash.as_ref(), pages);
            }
            let span = hi - *lo;
            let pos = match step {
                Step::Interpolate => {
                    let lk = lo_hash.as_ref().map_or(0, |x| key64(&x[..n]) as u128);
                    let hk = hi_hash
                        .as_ref()
                        .map_or(1u128 << 64, |x| key64(&x[..n]) as u128);
                    if hk > lk {
                        *lo + ((k.saturating_sub(lk)) * span as u128 / (hk - lk)) as usize
                    } else {
                        *lo + span / 2
                    }
                }
                Step::Up(d) => *lo + d.min(span),
                Step::Down(d) => hi - d.min(span),
                Step::Bisect => *lo + span / 2,
            };
            let pos = pos.clamp(*lo, hi - 1);
            let ls = self.line_start(pos, *lo)?;
            let (count, next) = self.line_at(ls, &mut buf, pages)?;
            self.check_between(ls, &buf[..n], lo_hash.as_ref(), hi_hash.as_ref())?;
            match buf[..n].cmp(h) {
                Cmp::Equal => {
                    self.check_next(next, &buf[..n], pages)?;
                    *lo = next;
                    *lo_hash = Some(buf);
                    return Ok(count);
                }
                Cmp::Less => {
                    *lo = next;
                    *lo_hash = Some(buf);
                    step = match step {
                        Step::Interpolate => Step::Up(GALLOP),
                        Step::Up(d) => Step::Up(d * 2),
                        _ => Step::Bisect,
                    };
                }
                Cmp::Greater => {
                    self.check_next(next, &buf[..n], pages)?;
                    hi = ls;
                    hi_hash = Some(buf);
                    step = match step {
                        Step::Interpolate => Step::Down(GALLOP),
                        Step::Down(d) => Step::Down(d * 2),
                        _ => Step::Bisect,
                    };
                }
            }
        }
    }

    /// Scans the lines in `[lo, hi)` one by one.
    fn scan(
        &self,
        h: &[u8],
        lo: &mut usize,
        lo_hash: &mut Option<[u8; 20]>,
        hi: usize,
        hi_hash: Option<&[u8; 20]>,
        pages: &mut PageCounter,
    ) -> Result<u64, CorpusError> {
        let n = self.mode.bytes();
        let mut buf = [0u8; 20];
        while *lo < hi {
            let (count, next) = self.line_at(*lo, &mut buf, pages)?;
            self.check_between(*lo, &buf[..n], lo_hash.as_ref(), hi_hash)?;
            match buf[..n].cmp(h) {
                Cmp::Less => {
                    *lo = next;
                    *lo_hash = Some(buf);
                }
                Cmp::Equal => {
                    self.check_next(next, &buf[..n], pages)?;
                    *lo = next;
                    *lo_hash = Some(buf);
                    return Ok(count);
                }
                Cmp::Greater => {
                    self.check_next(next, &buf[..n], pages)?;
                    return Ok(0);
                }
            }
        }
        Ok(0)
    }

    /// Checks that the line at `next` (when there is one) sorts after `h`: the answer of a
    /// query is validated against both neighbours.
    fn check_next(
        &self,
        next: usize,
        h: &[u8],
        pages: &mut PageCounter,
    ) -> Result<(), CorpusError> {
        if next >= self.data().len() {
            return Ok(());
        }
        let mut buf = [0u8; 20];
        self.line_at(next, &mut buf, pages)?;
        if buf[..h.len()] <= *h {
            return Err(self.bad(next, LineFault::Unsorted));
        }
        Ok(())
    }

    /// The start of the line holding byte `pos` (no earlier than `floor`, itself a line start).
    fn line_start(&self, pos: usize, floor: usize) -> Result<usize, CorpusError> {
        let data = self.data();
        let from = floor.max(pos.saturating_sub(self.mode.max_line() + 1));
        match data[from..pos].iter().rposition(|&c| c == b'\n') {
            Some(i) => Ok(from + i + 1),
            None if from == floor => Ok(floor),
            None => Err(self.bad(from, LineFault::TooLong)),
        }
    }

    /// Parses the line starting at `off` into `out`; returns its count and the next line start.
    fn line_at(
        &self,
        off: usize,
        out: &mut [u8; 20],
        pages: &mut PageCounter,
    ) -> Result<(u64, usize), CorpusError> {
        let data = self.data();
        pages.touch(off);
        let end = data.len().min(off + self.mode.max_line() + 1);
        let (line, next) = match data[off..end].iter().position(|&c| c == b'\n') {
            Some(i) => (&data[off..off + i], off + i + 1),
            None if end == data.len() => (&data[off..end], end),
            None => return Err(self.bad(off, LineFault::TooLong)),
        };
        pages.touch(next.saturating_sub(1));
        let count = parse_line(line, self.mode.hex_len(), out).map_err(|fault| {
            let mode = self.mode.label();
            self.bad(off, LineFault::ParseLine { fault, mode })
        })?;
        Ok((count, next))
    }

    /// Checks that the hash read at `off` lies strictly between its known neighbours.
    fn check_between(
        &self,
        off: usize,
        h: &[u8],
        below: Option<&[u8; 20]>,
        above: Option<&[u8; 20]>,
    ) -> Result<(), CorpusError> {
        let n = h.len();
        if below.is_some_and(|b| &b[..n] >= h) || above.is_some_and(|a| &a[..n] <= h) {
            return Err(self.bad(off, LineFault::Unsorted));
        }
        Ok(())
    }

    /// An error naming the file and the line. Only on this error path are the newlines before
    /// `off` counted (one sequential read up to the bad line), so lookups stay random-access.
    fn bad(&self, off: usize, fault: LineFault) -> CorpusError {
        let end = off.min(self.map.len());
        let line = self.map[..end].iter().filter(|&&c| c == b'\n').count() as u64 + 1;
        CorpusError::TextLine {
            path: self.path.clone(),
            line,
            offset: off,
            fault,
        }
    }
}
