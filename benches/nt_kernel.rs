//! NT candidates per second on one core: each multi-buffer MD4 kernel, and the `md4` crate one at a time,
//! for one-block candidates (10 to 12 characters, `Blocks`) and two-block ones (30 to 54, `Blocks2`).
//! Run with `cargo bench --bench nt_kernel`; figures go to BENCHMARKS.md with the machine and command.
//! Candidates are made the way a cracker makes them (a base word plus a changing suffix, written
//! into the lanes with `set_bytes`), and each digest's first word is looked up in a 2^24-bit
//! bitmap, so the whole loop is measured and the compiler cannot drop the hashing.
//! Under `cargo test` it runs once on small inputs, so the suite checks that it works.

use kensa::hash::md4x::{Blocks, Blocks2, Kernel, LANES};
use md4::{Digest, Md4};
use std::hint::black_box;
use std::time::{Duration, Instant};

const BASES: &[&[u8]] = &[b"Summer", b"password", b"Welcome", b"kensa!"];
/// Two-block bases: with the suffix 30 to 54 characters, all past one block's 27.
const LONG_BASES: &[&[u8]] = &[
    b"eftnex.ixgfswsf0000002-backup",
    b"svc_sql_reporting_prod_east",
    b"correct horse battery staple, twice over...",
    b"CompanyName@HeadOffice2024!!",
];
const SUFFIX: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz!@#$";
const SUFFIX_LEN: usize = 4;
const BITMAP_BITS: u32 = 24;

/// `cargo bench` passes `--bench`; under `cargo test` the bench runs once on small inputs.
fn is_quick() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Candidate stream: base word + 4-character suffix counted like an odometer, in an N-byte buffer.
struct Candidates<const N: usize> {
    bases: &'static [&'static [u8]],
    buf: [u8; N],
    base: usize,
    digits: [usize; SUFFIX_LEN],
}

impl<const N: usize> Candidates<N> {
    fn new(bases: &'static [&'static [u8]]) -> Self {
        assert!(bases.iter().all(|b| b.len() + SUFFIX_LEN <= N));
        let mut c = Candidates {
            bases,
            buf: [0; N],
            base: 0,
            digits: [0; SUFFIX_LEN],
        };
        c.load_base();
        c
    }

    fn load_base(&mut self) {
        let b = self.bases[self.base];
        self.buf[..b.len()].copy_from_slice(b);
        for (i, &d) in self.digits.iter().enumerate() {
            self.buf[b.len() + i] = SUFFIX[d];
        }
    }

    /// The current candidate (bytes, length); advances the odometer, last character fastest.
    #[inline]
    fn next(&mut self) -> ([u8; N], usize) {
        let len = self.bases[self.base].len() + SUFFIX_LEN;
        let current = (self.buf, len);
        let mut pos = SUFFIX_LEN;
        loop {
            if pos == 0 {
                self.base = (self.base + 1) % self.bases.len();
                self.load_base();
                break;
            }
            pos -= 1;
            self.digits[pos] = (self.digits[pos] + 1) % SUFFIX.len();
            let at = self.bases[self.base].len() + pos;
            self.buf[at] = SUFFIX[self.digits[pos]];
            if self.digits[pos] != 0 {
                break;
            }
        }
        current
    }
}

/// 2^24-bit filter on the digest's first word, holding a few thousand targets.
struct Bitmap(Vec<u64>);

impl Bitmap {
    fn new(targets: &[u32]) -> Self {
        let mut bits = vec![0u64; 1 << (BITMAP_BITS - 6)];
        for &t in targets {
            let i = t & ((1 << BITMAP_BITS) - 1);
            bits[(i >> 6) as usize] |= 1 << (i & 63);
        }
        Bitmap(bits)
    }

    #[inline]
    fn hit(&self, word: u32) -> bool {
        let i = word & ((1 << BITMAP_BITS) - 1);
        self.0[(i >> 6) as usize] >> (i & 63) & 1 != 0
    }
}

/// The multi-buffer types, one block or two, as the bench drives them.
trait Lanes {
    fn new() -> Self;
    fn set_bytes(&mut self, lane: usize, bytes: &[u8]) -> bool;
    fn hash(&self, out: &mut [[u32; 4]; LANES]);
    fn hash_with(&self, kernel: Kernel, out: &mut [[u32; 4]; LANES]);
}

macro_rules! lanes {
    ($t:ty) => {
        impl Lanes for $t {
            #[inline]
            fn new() -> Self {
                <$t>::new()
            }
            #[inline]
            fn set_bytes(&mut self, lane: usize, bytes: &[u8]) -> bool {
                <$t>::set_bytes(self, lane, bytes)
            }
            #[inline]
            fn hash(&self, out: &mut [[u32; 4]; LANES]) {
                <$t>::hash(self, out)
            }
            #[inline]
            fn hash_with(&self, kernel: Kernel, out: &mut [[u32; 4]; LANES]) {
                <$t>::hash_with(self, kernel, out)
            }
        }
    };
}
lanes!(Blocks);
lanes!(Blocks2);

/// `n` candidates through one kernel; returns the number of bitmap hits.
fn run_kernel<L: Lanes, const N: usize>(
    bases: &'static [&'static [u8]],
    kernel: Kernel,
    n: usize,
    bitmap: &Bitmap,
) -> u64 {
    let mut gen = Candidates::<N>::new(bases);
    let mut blocks = L::new();
    let mut out = [[0u32; 4]; LANES];
    let mut hits = 0;
    for _ in 0..n / LANES {
        for lane in 0..LANES {
            let (buf, len) = gen.next();
            blocks.set_bytes(lane, &buf[..len]);
        }
        blocks.hash_with(kernel, &mut out);
        for d in &out {
            hits += u64::from(bitmap.hit(d[0]));
        }
    }
    hits
}

/// The same through `hash`, which picks the kernel on every call.
fn run_dispatch<L: Lanes, const N: usize>(
    bases: &'static [&'static [u8]],
    n: usize,
    bitmap: &Bitmap,
) -> u64 {
    let mut gen = Candidates::<N>::new(bases);
    let mut blocks = L::new();
    let mut out = [[0u32; 4]; LANES];
    let mut hits = 0;
    for _ in 0..n / LANES {
        for lane in 0..LANES {
            let (buf, len) = gen.next();
            blocks.set_bytes(lane, &buf[..len]);
        }
        blocks.hash(&mut out);
        for d in &out {
            hits += u64::from(bitmap.hit(d[0]));
        }
    }
    hits
}

/// Reference: the `md4` crate, one candidate at a time over its UTF-16LE bytes.
fn run_md4_crate<const N: usize>(
    bases: &'static [&'static [u8]],
    n: usize,
    bitmap: &Bitmap,
) -> u64 {
    let mut gen = Candidates::<N>::new(bases);
    let mut utf16 = [0u8; 128];
    let mut hits = 0;
    for _ in 0..n {
        let (buf, len) = gen.next();
        for (i, &c) in buf[..len].iter().enumerate() {
            utf16[2 * i] = c;
        }
        let d = Md4::digest(&utf16[..2 * len]);
        hits += u64::from(bitmap.hit(u32::from_le_bytes([d[0], d[1], d[2], d[3]])));
    }
    hits
}

/// CPU time of this thread: on a shared machine it counts only the time the bench really ran,
/// which is what "per core" means; wall time is printed beside it.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID exists on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn bench(name: &str, iters: usize, n: usize, mut f: impl FnMut() -> u64) -> u64 {
    let iters = if is_quick() { 1 } else { iters };
    let mut hits = 0;
    let (mut cpu, mut wall) = (Vec::new(), Vec::new());
    for _ in 0..iters {
        let (c, w) = (thread_cpu_time(), Instant::now());
        hits = black_box(f());
        wall.push(w.elapsed());
        cpu.push(thread_cpu_time() - c);
    }
    let (cpu, wall) = (median(cpu), median(wall));
    println!(
        "{name:<36} {:>8.2} M candidates/s per core (cpu {:>8.1} ms, wall {:>8.1} ms, {hits} bitmap hits)",
        n as f64 / cpu.as_secs_f64() / 1e6,
        cpu.as_secs_f64() * 1e3,
        wall.as_secs_f64() * 1e3,
    );
    hits
}

/// Targets: a few thousand unrelated NT hashes plus `planted`, candidates the stream produces.
fn bitmap(planted: &[&str]) -> Bitmap {
    let mut targets: Vec<u32> = (0..4000)
        .map(|i| {
            let d = kensa::hash::md4x::nt(&format!("target-{i}"));
            u32::from_le_bytes([d[0], d[1], d[2], d[3]])
        })
        .collect();
    for planted in planted {
        let d = kensa::hash::md4x::nt(planted);
        targets.push(u32::from_le_bytes([d[0], d[1], d[2], d[3]]));
    }
    Bitmap::new(&targets)
}

/// Every kernel and the dispatch over one candidate stream: `L` holds its candidates, `N` bytes
/// is its longest; checks that all saw the same hits, the planted ones included.
fn bench_lanes<L: Lanes, const N: usize>(
    what: &str,
    bases: &'static [&'static [u8]],
    n: usize,
    bitmap: &Bitmap,
) {
    let mut hits = Vec::new();
    for kernel in Kernel::available() {
        let name = format!("md4x {} kernel{what}", kernel.name());
        hits.push(bench(&name, 5, n, || {
            run_kernel::<L, N>(bases, kernel, n, bitmap)
        }));
    }
    let name = format!(
        "md4x {}::hash ({})",
        std::any::type_name::<L>().rsplit("::").next().unwrap(),
        Kernel::best().name()
    );
    hits.push(bench(&name, 5, n, || {
        run_dispatch::<L, N>(bases, n, bitmap)
    }));
    // Every kernel saw the same candidates: the same hits, including both planted ones.
    assert!(
        hits.windows(2).all(|w| w[0] == w[1]),
        "kernels disagree: {hits:?}"
    );
    assert!(hits[0] >= 2, "planted candidates not found");
}

fn main() {
    let quick = is_quick();
    let n = if quick { 1 << 12 } else { 1 << 24 };
    let n_crate = if quick { 1 << 12 } else { 1 << 22 };

    let short = bitmap(&["Summer0001", "Summer00a0"]);
    bench_lanes::<Blocks, 16>("", BASES, n, &short);
    bench("md4 crate, one at a time", 5, n_crate, || {
        run_md4_crate::<16>(BASES, n_crate, &short)
    });

    let long = bitmap(&[
        "eftnex.ixgfswsf0000002-backup0001",
        "eftnex.ixgfswsf0000002-backup00a0",
    ]);
    let n2 = n / 2;
    bench_lanes::<Blocks2, 64>(", 2 blocks", LONG_BASES, n2, &long);
    bench("md4 crate, 2 blocks, one at a time", 5, n_crate, || {
        run_md4_crate::<64>(LONG_BASES, n_crate, &long)
    });
}
