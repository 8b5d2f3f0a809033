//! Offline breach corpus benchmark helpers (issue 3), driven by `benches/hibp/run.sh`:
//! generate a synthetic sorted NTLM corpus and a pwdump audit input, time kensa's batched
//! lookup (`OfflineSource`), and time the one-binary-search-per-query baseline (DSInternals).
//!
//! Usage (the binary is built by `cargo bench --bench hibp_lookup --no-run`):
//! - `hibp_lookup gen CORPUS AUDIT LINES QUERIES`: writes CORPUS (LINES sorted `HASH:COUNT\r\n`
//!   lines, uppercase hex NT hashes, uniform) and AUDIT (QUERIES pwdump lines, half of them
//!   hashes of CORPUS, half random hashes absent from it, shuffled);
//! - `hibp_lookup lookup PATH AUDIT`: opens PATH (index, sorted text or per-prefix directory)
//!   with `OfflineSource` and times one batched `lookup` of every NT hash of AUDIT;
//! - `hibp_lookup bsearch TEXT AUDIT QUERIES`: one binary search per query over the sorted text
//!   file with `pread` (no batching, no mmap), for the first QUERIES hashes of AUDIT.
//!
//! Each mode prints one `key=value` line on stdout for the script to parse.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::time::Instant;

use kensa::breach::offline::OfflineSource;
use kensa::breach::{BreachSource, Lookup, Query};

fn main() {
    // `cargo bench` appends `--bench`; ignore it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let r = match a.as_slice() {
        ["gen", corpus, audit, lines, queries] => gen(corpus, audit, num(lines), num(queries)),
        ["lookup", path, audit] => lookup(path, audit),
        ["bsearch", text, audit, queries] => bsearch(text, audit, num(queries)),
        [] => {
            eprintln!(
                "hibp_lookup: no mode given (gen | lookup | bsearch); see benches/hibp/run.sh"
            );
            Ok(())
        }
        _ => Err(format!("hibp_lookup: bad arguments {a:?}")),
    };
    if let Err(e) = r {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

/// Parses a count such as `100000000` or `1e8`.
fn num(s: &str) -> u64 {
    if let Some((m, e)) = s.split_once('e') {
        let m: u64 = m.parse().expect("number");
        let e: u32 = e.parse().expect("exponent");
        return m * 10u64.pow(e);
    }
    s.parse().expect("number")
}

/// SplitMix64: fast, good enough for synthetic data, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn next128(&mut self) -> u128 {
        ((self.next() as u128) << 64) | self.next() as u128
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn hex32(v: u128, out: &mut [u8]) {
    for (i, o) in out[..32].iter_mut().enumerate() {
        *o = HEX[((v >> (124 - 4 * i)) & 0xF) as usize];
    }
}

/// Sorted uniform values made in order: each is the previous plus a random gap of mean about
/// 2^128 / LINES, so no sort is needed.
fn gen(corpus: &str, audit: &str, lines: u64, queries: u64) -> Result<(), String> {
    let t = Instant::now();
    let mut rng = Rng(0x6B65_6E73_6121);
    // Slack of 1e5 means above the line count: the sum of the gaps exceeds it only beyond many
    // standard deviations (about 0.58 * sqrt(LINES) means); checked_add guards it anyway.
    let mean = u128::MAX / (lines as u128 + lines as u128 / 1000 + 100_000);
    // Gaps uniform over [1, 2 * mean] in steps of `unit` (one 64-bit draw, no 128-bit division).
    let unit = (2 * mean) >> 64;
    let present = queries / 2;
    // Each line is picked for the audit with probability present/lines (a 64-bit threshold).
    let pick = ((present as u128) << 64) / lines as u128;
    let mut w = BufWriter::with_capacity(
        8 << 20,
        File::create(corpus).map_err(|e| format!("{corpus}: {e}"))?,
    );
    let mut picked: Vec<u128> = Vec::with_capacity(present as usize + 1024);
    let mut v: u128 = 0;
    let mut line = [0u8; 64];
    let mut bytes = 0u64;
    for _ in 0..lines {
        let gap = 1 + rng.next() as u128 * unit;
        v = v.checked_add(gap).ok_or("corpus overflowed 2^128")?;
        hex32(v, &mut line);
        line[32] = b':';
        // Skewed counts: mostly small, some large (like the real corpus).
        let r = rng.next();
        let count = 1 + ((r & 0xFFFF_FFFF) >> (r >> 59).min(31));
        let mut n = 33;
        let mut digits = [0u8; 20];
        let mut d = 0;
        let mut c = count;
        loop {
            digits[d] = b'0' + (c % 10) as u8;
            d += 1;
            c /= 10;
            if c == 0 {
                break;
            }
        }
        while d > 0 {
            d -= 1;
            line[n] = digits[d];
            n += 1;
        }
        line[n] = b'\r';
        line[n + 1] = b'\n';
        n += 2;
        w.write_all(&line[..n])
            .map_err(|e| format!("{corpus}: {e}"))?;
        bytes += n as u64;
        if ((rng.next() as u128) < pick) && (picked.len() as u64) < present {
            picked.push(v);
        }
    }
    w.flush().map_err(|e| format!("{corpus}: {e}"))?;
    let in_corpus = picked.len();
    // Absent queries: random 128-bit values (a collision with 1e8 corpus hashes has odds ~2^-101).
    let mut all: Vec<(u128, bool)> = picked.into_iter().map(|h| (h, true)).collect();
    while (all.len() as u64) < queries {
        all.push((rng.next128(), false));
    }
    // Fisher-Yates shuffle: audit order is unrelated to hash order.
    for i in (1..all.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        all.swap(i, j);
    }
    let mut a = BufWriter::new(File::create(audit).map_err(|e| format!("{audit}: {e}"))?);
    let mut h = [0u8; 32];
    for (i, (q, _)) in all.iter().enumerate() {
        hex32(*q, &mut h);
        let nt = std::str::from_utf8(&h).expect("hex");
        writeln!(
            a,
            "user{i}:{}:aad3b435b51404eeaad3b435b51404ee:{nt}:::",
            1000 + i
        )
        .map_err(|e| format!("{audit}: {e}"))?;
    }
    a.flush().map_err(|e| format!("{audit}: {e}"))?;
    println!(
        "gen lines={lines} bytes={bytes} queries={} present={in_corpus} secs={:.2}",
        all.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The NT hashes (4th field) of a pwdump file.
fn read_audit(audit: &str) -> Result<Vec<[u8; 16]>, String> {
    let f = File::open(audit).map_err(|e| format!("{audit}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{audit}: {e}"))?;
        let nt = line
            .split(':')
            .nth(3)
            .ok_or_else(|| format!("{audit}:{}: not a pwdump line", n + 1))?;
        let mut h = [0u8; 16];
        hex::decode_to_slice(nt, &mut h).map_err(|_| format!("{audit}:{}: bad NT hash", n + 1))?;
        out.push(h);
    }
    Ok(out)
}

/// Peak resident set size of this process (VmHWM), in KiB.
fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn lookup(path: &str, audit: &str) -> Result<(), String> {
    let hashes = read_audit(audit)?;
    let queries: Vec<Query> = hashes.into_iter().map(Query::Ntlm).collect();
    let rss_before = vm_hwm_kib();
    let t = Instant::now();
    let src = OfflineSource::open(&[path.into()]).map_err(|e| e.to_string())?;
    let opened = t.elapsed().as_secs_f64();
    let answers = src.lookup(&queries, &|_| {});
    let secs = t.elapsed().as_secs_f64();
    let hwm = vm_hwm_kib();
    let (mut found, mut not_found, mut errors) = (0usize, 0usize, 0usize);
    for a in &answers {
        match a {
            Lookup::Found(_) => found += 1,
            Lookup::NotFound => not_found += 1,
            Lookup::Error(e) => {
                if errors == 0 {
                    eprintln!("first error: {e}");
                }
                errors += 1
            }
        }
    }
    println!(
        "lookup queries={} found={found} not_found={not_found} errors={errors} open_secs={opened:.3} \
         secs={secs:.3} pages={} hwm_before_kib={rss_before} hwm_kib={}",
        queries.len(),
        src.requests(),
        hwm
    );
    Ok(())
}

/// One binary search per query over the sorted text, with `pread` (the DSInternals approach):
/// bisect byte offsets; at each step read a 128-byte window around the midpoint, take the line
/// holding the midpoint and compare. About log2(lines) reads per query, no batching, no mmap.
fn bsearch(text: &str, audit: &str, n: u64) -> Result<(), String> {
    let hashes = read_audit(audit)?;
    let hashes = &hashes[..(n as usize).min(hashes.len())];
    let f = File::open(text).map_err(|e| format!("{text}: {e}"))?;
    let len = f.metadata().map_err(|e| format!("{text}: {e}"))?.len();
    let t = Instant::now();
    let (mut found, mut reads) = (0usize, 0u64);
    let mut buf = [0u8; 128];
    for want in hashes {
        let mut hex = [0u8; 32];
        hex32(u128::from_be_bytes(*want), &mut hex);
        // `lo` and `hi` are line starts (or the end); the hash, if present, starts in [lo, hi).
        let (mut lo, mut hi) = (0u64, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let off = lo.max(mid.saturating_sub(60));
            reads += 1;
            let k = f
                .read_at(&mut buf, off)
                .map_err(|e| format!("{text}: {e}"))?;
            let back = (mid - off) as usize;
            // The start of the line holding `mid` (no earlier than lo, itself a line start).
            let s = buf[..back]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1);
            let line = &buf[s..k];
            let eol = line
                .iter()
                .position(|&c| c == b'\n')
                .map_or(line.len(), |i| i + 1);
            if line.len() < 32 {
                return Err(format!("{text}: short line at byte {}", off + s as u64));
            }
            match line[..32].cmp(&hex) {
                std::cmp::Ordering::Equal => {
                    found += 1;
                    break;
                }
                std::cmp::Ordering::Less => lo = off + (s + eol) as u64,
                std::cmp::Ordering::Greater => hi = off + s as u64,
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "bsearch queries={} found={found} reads={reads} reads_per_query={:.1} secs={secs:.3} hwm_kib={}",
        hashes.len(),
        reads as f64 / hashes.len().max(1) as f64,
        vm_hwm_kib()
    );
    Ok(())
}
