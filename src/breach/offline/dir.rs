//! A directory of per-prefix range bodies (`00000.txt` … `FFFFF.txt`, `SUFFIX:COUNT` lines):
//! each file a batch needs is read once and validated whole (they are small).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{decode_hex, mtime_date, parse_count, read_error, CorpusError, LineFault, Mode};

/// Number of prefix files in a complete directory.
pub(crate) const PREFIXES: u32 = 1 << 20;

/// A per-prefix directory.
pub(crate) struct DirCorpus {
    pub(crate) path: PathBuf,
    pub(crate) mode: Mode,
    pub(crate) date: Option<String>,
}

impl DirCorpus {
    /// Tells the mode from the first prefix file found (normally `00000.txt`).
    pub(crate) fn open(p: &Path) -> Result<DirCorpus, CorpusError> {
        let mode = dir_mode(p)?;
        let date = std::fs::metadata(p).ok().and_then(|m| mtime_date(&m));
        Ok(DirCorpus {
            path: p.to_path_buf(),
            mode,
            date,
        })
    }

    /// Reads the prefix file of each group of sorted keys (in parallel) and answers them with
    /// their counts (0: not in the corpus).
    pub(crate) fn lookup_sorted(
        &self,
        keys: &[[u8; 20]],
        requests: &AtomicUsize,
        tick: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<u64>, CorpusError> {
        let n = self.mode.bytes();
        let mut groups: Vec<(u32, &[[u8; 20]])> = Vec::new();
        let mut start = 0;
        for i in 1..=keys.len() {
            if i == keys.len() || prefix_of(&keys[i]) != prefix_of(&keys[start]) {
                groups.push((prefix_of(&keys[start]), &keys[start..i]));
                start = i;
            }
        }
        let parts: Vec<Result<Vec<u64>, CorpusError>> = groups
            .par_iter()
            .map(|(prefix, ks)| {
                let file = prefix_path(&self.path, *prefix);
                requests.fetch_add(1, Ordering::Relaxed);
                let data = std::fs::read(&file).map_err(|source| CorpusError::PrefixFile {
                    dir: self.path.clone(),
                    file: file.clone(),
                    source,
                })?;
                let mut recs: Vec<([u8; 20], u64)> = Vec::with_capacity(data.len() / 40);
                parse_prefix_file(&file, *prefix, self.mode, &data, &mut |h, c, _| {
                    recs.push((*h, c));
                    Ok(())
                })?;
                let r = ks
                    .iter()
                    .map(|k| {
                        recs.binary_search_by(|(h, _)| h[..n].cmp(&k[..n]))
                            .map_or(0, |i| recs[i].1)
                    })
                    .collect();
                tick(ks.len());
                Ok(r)
            })
            .collect();
        let mut all = Vec::with_capacity(keys.len());
        for p in parts {
            all.extend(p?);
        }
        Ok(all)
    }
}

/// The path of one prefix file (`XXXXX.txt`, uppercase hex).
pub(crate) fn prefix_path(dir: &Path, prefix: u32) -> PathBuf {
    dir.join(format!("{prefix:05X}.txt"))
}

/// The top 20 bits of a hash.
pub(crate) fn prefix_of(h: &[u8]) -> u32 {
    (u32::from(h[0]) << 12) | (u32::from(h[1]) << 4) | (u32::from(h[2]) >> 4)
}

/// The mode of a per-prefix directory, from the suffix length in its first prefix file.
pub(crate) fn dir_mode(p: &Path) -> Result<Mode, CorpusError> {
    // A directory made by `kensa hibp download` records its mode.
    if let Ok(Some(m)) = crate::breach::download::read_manifest(p) {
        return Ok(if m.ntlm { Mode::Ntlm } else { Mode::Sha1 });
    }
    // Otherwise the first non-empty prefix file tells (a range may hold no hash at all).
    let mut candidates = vec![prefix_path(p, 0)];
    let rd = std::fs::read_dir(p).map_err(read_error("read", "offline corpus directory ", p))?;
    candidates.extend(rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|f| {
        f.file_name().and_then(|s| s.to_str()).is_some_and(|s| {
            s.len() == 9 && s.ends_with(".txt") && s[..5].bytes().all(|c| c.is_ascii_hexdigit())
        })
    }));
    let mut any = false;
    for f in candidates.iter().filter(|f| f.is_file()) {
        any = true;
        let data = std::fs::read(f).map_err(read_error("read", "prefix file ", f))?;
        let Some(line) = data
            .split(|&c| c == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .find(|l| !l.is_empty())
        else {
            continue;
        };
        return match line.iter().position(|&c| c == b':') {
            Some(35) => Ok(Mode::Sha1),
            Some(27) => Ok(Mode::Ntlm),
            _ => Err(CorpusError::Line {
                path: f.clone(),
                line: 1,
                fault: LineFault::NotRangeBody,
            }),
        };
    }
    let path = p.to_path_buf();
    Err(if any {
        CorpusError::EmptyDir { path }
    } else {
        CorpusError::NoPrefixFiles { path }
    })
}

/// Receives `(hash, count, line number)`.
pub(crate) type RecordFn<'a> = dyn FnMut(&[u8; 20], u64, u64) -> Result<(), CorpusError> + 'a;

/// Parses and validates one prefix file; calls `f(hash, count, line)` for each line with a
/// non-zero count in order. `:0` padding lines are dropped before the order check (padding may
/// come in any order); the others must be strictly ascending. Errors name `file:line`.
/// Returns the number of padding lines dropped.
pub(crate) fn parse_prefix_file(
    file: &Path,
    prefix: u32,
    mode: Mode,
    data: &[u8],
    f: &mut RecordFn,
) -> Result<u64, CorpusError> {
    let n = mode.bytes();
    let mut dropped = 0u64;
    let suffix_len = mode.hex_len() - 5;
    let mut hexbuf = [0u8; 40];
    hexbuf[..5].copy_from_slice(format!("{prefix:05X}").as_bytes());
    let mut prev: Option<[u8; 20]> = None;
    let mut h = [0u8; 20];
    let mut rest = data;
    let mut line_no = 0u64;
    while !rest.is_empty() {
        line_no += 1;
        let (line, tail) = match rest.iter().position(|&c| c == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = tail;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let bad = |fault| CorpusError::Line {
            path: file.to_path_buf(),
            line: line_no,
            fault,
        };
        if line.is_empty() {
            if rest.is_empty() {
                break;
            }
            return Err(bad(LineFault::Empty));
        }
        let colon = line
            .iter()
            .position(|&c| c == b':')
            .ok_or_else(|| bad(LineFault::NoSuffixCount))?;
        if colon != suffix_len {
            return Err(bad(LineFault::SuffixLength {
                got: colon,
                want: suffix_len,
                mode: mode.label(),
            }));
        }
        hexbuf[5..5 + suffix_len].copy_from_slice(&line[..suffix_len]);
        if !decode_hex(&hexbuf[..2 * n], &mut h[..n]) {
            return Err(bad(LineFault::SuffixNotHex));
        }
        let count = parse_count(&line[colon + 1..]).ok_or_else(|| bad(LineFault::Count))?;
        if count == 0 {
            dropped += 1;
            continue;
        }
        if let Some(p) = &prev {
            if p[..n] >= h[..n] {
                return Err(bad(if p[..n] == h[..n] {
                    LineFault::DuplicateSuffix
                } else {
                    LineFault::SuffixOutOfOrder
                }));
            }
        }
        prev = Some(h);
        f(&h, count, line_no)?;
    }
    Ok(dropped)
}
