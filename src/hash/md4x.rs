//! Multi-buffer MD4 for NT candidates: LANES messages of one or two blocks hashed at once (AVX-512, AVX2 or SSE2, scalar elsewhere).
//!
//! Guessing NT passwords is MD4 over short UTF-16LE strings: one 64-byte block up to 27 code
//! units ([`Blocks`]), two blocks from 28 to 59 ([`Blocks2`]). Hashing one candidate at a time
//! through the `md4` crate leaves the CPU's vector units idle; here the candidates are laid out
//! word-major so one SIMD register holds the same message word of 4, 8 or 16 candidates, and the
//! 48 MD4 steps run on all of them at once.

use zeroize::Zeroize;

/// Candidates hashed per call.
pub const LANES: usize = 16;

/// Longest UTF-16LE message (bytes) one MD4 block holds: 55, i.e. 27 UTF-16 code units.
pub const MAX_UNITS: usize = 27;

/// Shortest message [`Blocks2`] holds: 28 code units (56 bytes), the first whose padding and
/// length no longer fit in one block.
pub const MIN_UNITS2: usize = MAX_UNITS + 1;

/// Longest message two MD4 blocks hold: 128 bytes less the 0x80 byte and the 8-byte length
/// leave 119, i.e. 59 UTF-16 code units.
pub const MAX_UNITS2: usize = 59;

/// One block's 16 message words, word-major: `[w][lane]`.
type Words = [[u32; LANES]; 16];

/// LANES MD4 message blocks stored word-major (words[w][lane]) so SIMD loads one word of every lane.
///
/// Every lane always holds a complete, padded block (a fresh `Blocks` is LANES empty
/// passwords), so a lane that was not set this round still hashes to something valid.
/// The candidates are wiped on drop, like the crate's other plaintexts.
#[derive(Clone)]
#[repr(C, align(64))]
pub struct Blocks {
    words: Words,
}

/// LANES two-block MD4 messages (candidates of [`MIN_UNITS2`]..=[`MAX_UNITS2`] code units),
/// stored word-major like [`Blocks`], one block after the other.
///
/// Every lane is hashed as two blocks, state = compress(compress(INIT, block 1), block 2), so a
/// lane holds only a message whose padding ends in the second block: 28 to 59 code units;
/// `set_*` refuse anything else. A fresh `Blocks2` is LANES messages of 28 NUL code units.
/// The candidates are wiped on drop.
#[derive(Clone)]
#[repr(C, align(64))]
pub struct Blocks2 {
    words: [Words; 2],
}

/// The first bytes of a one-block message, one code unit each, as message words: the part
/// shared by every suffix [`Blocks::set_prefixed`] puts after it. Wiped on drop.
#[derive(Clone)]
pub struct Prefix {
    words: [u32; 14],
    len: usize,
}

impl Prefix {
    /// The prefix `bytes`; None if longer than MAX_UNITS.
    pub fn new(bytes: &[u8]) -> Option<Prefix> {
        if bytes.len() > MAX_UNITS {
            return None;
        }
        let mut words = [0u32; 14];
        for (i, &c) in bytes.iter().enumerate() {
            words[i / 2] |= u32::from(c) << (16 * (i & 1));
        }
        Some(Prefix {
            words,
            len: bytes.len(),
        })
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        self.words.zeroize();
    }
}

/// The MD4 implementations; [`Blocks::hash`] uses [`Kernel::best`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// Portable: one lane after the other, plain `u32` arithmetic. The reference (the compiler
    /// vectorizes its lane loop where it can, SSE2 or NEON).
    Scalar,
    /// x86_64 SSE2 (part of the x86_64 baseline): 4 lanes per register.
    Sse2,
    /// x86_64 AVX2, detected at run time: 8 lanes per register.
    Avx2,
    /// x86_64 AVX-512F, detected at run time: all 16 lanes in one register, with a rotate
    /// instruction and each round function in one three-input logic instruction.
    Avx512,
}

impl Kernel {
    /// The fastest kernel this CPU runs.
    pub fn best() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        {
            // std caches the CPUID result: after the first call this is one atomic load.
            if std::is_x86_feature_detected!("avx512f") {
                return Kernel::Avx512;
            }
            if std::is_x86_feature_detected!("avx2") {
                return Kernel::Avx2;
            }
            Kernel::Sse2
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            Kernel::Scalar
        }
    }

    /// Can this CPU run the kernel?
    pub fn is_available(self) -> bool {
        match self {
            Kernel::Scalar => true,
            Kernel::Sse2 => cfg!(target_arch = "x86_64"),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => std::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => std::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            Kernel::Avx2 | Kernel::Avx512 => false,
        }
    }

    /// The kernels this CPU runs, slowest first.
    pub fn available() -> Vec<Kernel> {
        [Kernel::Scalar, Kernel::Sse2, Kernel::Avx2, Kernel::Avx512]
            .into_iter()
            .filter(|k| k.is_available())
            .collect()
    }

    /// Short lower-case name, for reports.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Scalar => "scalar",
            Kernel::Sse2 => "sse2",
            Kernel::Avx2 => "avx2",
            Kernel::Avx512 => "avx512",
        }
    }
}

impl Default for Blocks {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Blocks {
    fn drop(&mut self) {
        self.words.zeroize();
    }
}

impl Blocks {
    /// LANES empty passwords (each lane hashes to NT("")).
    pub fn new() -> Self {
        // The empty message's block: the 0x80 terminator in byte 0, bit length 0, zeros.
        let mut words = [[0; LANES]; 16];
        words[0] = [0x80; LANES];
        Blocks { words }
    }

    /// Lane `lane` := UTF-16LE of `bytes`, each byte one code unit (zero-extended: ASCII, or Latin-1 as hashcat's NT kernel reads bytes), MD4 padding and bit length written. Returns false (lane untouched) if bytes.len() > MAX_UNITS.
    ///
    /// Panics if `lane >= LANES`.
    #[inline]
    pub fn set_bytes(&mut self, lane: usize, bytes: &[u8]) -> bool {
        let n = bytes.len();
        if n > MAX_UNITS {
            return false;
        }
        self.write_units(lane, bytes);
        true
    }

    /// Lane := the given UTF-16 code units. false if units.len() > MAX_UNITS.
    ///
    /// Any units are accepted, unpaired surrogates included: NT hashes whatever Windows stored.
    /// Panics if `lane >= LANES`.
    #[inline]
    pub fn set_units(&mut self, lane: usize, units: &[u16]) -> bool {
        let n = units.len();
        if n > MAX_UNITS {
            return false;
        }
        self.write_units(lane, units);
        true
    }

    /// Lane := UTF-16LE of a &str (encode_utf16). false if too long.
    ///
    /// Panics if `lane >= LANES`.
    pub fn set_str(&mut self, lane: usize, s: &str) -> bool {
        let mut units = [0u16; MAX_UNITS];
        let mut n = 0;
        for u in s.encode_utf16() {
            if n == MAX_UNITS {
                return false;
            }
            units[n] = u;
            n += 1;
        }
        self.set_units(lane, &units[..n])
    }

    /// MD4 of every lane; out[lane] = the 16-byte digest as four little-endian u32 words (digest bytes = words[i].to_le_bytes() concatenated).
    // The agreed API name; Blocks is not a std::hash::Hash value and does not pretend to be.
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn hash(&self, out: &mut [[u32; 4]; LANES]) {
        self.hash_with(Kernel::best(), out);
    }

    /// [`Blocks::hash`] through a chosen kernel (benchmarks, tests, forcing one path).
    ///
    /// Panics if the CPU cannot run `kernel` (see [`Kernel::is_available`]).
    #[inline]
    pub fn hash_with(&self, kernel: Kernel, out: &mut [[u32; 4]; LANES]) {
        hash_words(kernel, std::array::from_ref(&self.words), out);
    }

    /// Lane := `prefix` followed by the bytes of `suffix`, each byte one code unit (as
    /// [`Blocks::set_bytes`] of their concatenation). The prefix's words are computed once, so
    /// many suffixes of one prefix cost a copy of 14 words and a few bytes each. false (lane
    /// untouched) if together they are longer than MAX_UNITS.
    ///
    /// Panics if `lane >= LANES`.
    #[inline]
    pub fn set_prefixed(&mut self, lane: usize, prefix: &Prefix, suffix: &[u8]) -> bool {
        let n = prefix.len + suffix.len();
        if n > MAX_UNITS {
            return false;
        }
        assert!(lane < LANES, "lane {lane} out of 0..{LANES}");
        let mut w = prefix.words;
        for (i, &c) in suffix.iter().enumerate() {
            let k = prefix.len + i;
            w[k / 2] |= u32::from(c) << (16 * (k & 1));
        }
        w[n / 2] |= 0x80 << (16 * (n & 1));
        for (row, x) in self.words[..14].iter_mut().zip(w) {
            row[lane] = x;
        }
        self.words[14][lane] = (n * 16) as u32;
        self.words[15][lane] = 0;
        true
    }

    /// The code units lane `lane` holds (what `set_*` wrote), read back from the block and its
    /// length word: a caller can recover a candidate on a hit without keeping its own copy.
    ///
    /// Panics if `lane >= LANES`.
    pub fn lane_units(&self, lane: usize) -> impl Iterator<Item = u16> + '_ {
        read_units(&self.words, lane)
    }

    /// `out` := lane `lane` as bytes, one per code unit: the inverse of [`Blocks::set_bytes`].
    /// Returns false, `out` left empty, if a unit is above 0xFF (set with `set_units`/`set_str`).
    ///
    /// Panics if `lane >= LANES`.
    pub fn lane_bytes_into(&self, lane: usize, out: &mut Vec<u8>) -> bool {
        units_to_bytes(self.lane_units(lane), out)
    }

    /// Lane := `units` (at most MAX_UNITS of them, bytes or UTF-16), padded.
    #[inline]
    fn write_units<T: Copy + Into<u32>>(&mut self, lane: usize, units: &[T]) {
        debug_assert!(units.len() <= MAX_UNITS);
        write_lane(&mut self.words, lane, units);
    }
}

impl Default for Blocks2 {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Blocks2 {
    fn drop(&mut self) {
        self.words.zeroize();
    }
}

impl Blocks2 {
    /// LANES messages of 28 NUL code units, the shortest two-block message.
    pub fn new() -> Self {
        let mut b = Blocks2 {
            words: [[[0; LANES]; 16]; 2],
        };
        // 28 zero units fill words 0-13 of block 1; the 0x80 terminator opens word 14.
        b.words[0][14] = [0x80; LANES];
        b.words[1][14] = [(MIN_UNITS2 * 16) as u32; LANES];
        b
    }

    /// Lane `lane` := UTF-16LE of `bytes`, each byte one code unit, as [`Blocks::set_bytes`].
    /// Returns false (lane untouched) unless `MIN_UNITS2 <= bytes.len() <= MAX_UNITS2`.
    ///
    /// Panics if `lane >= LANES`.
    #[inline]
    pub fn set_bytes(&mut self, lane: usize, bytes: &[u8]) -> bool {
        if !(MIN_UNITS2..=MAX_UNITS2).contains(&bytes.len()) {
            return false;
        }
        write_lane(self.rows_mut(), lane, bytes);
        true
    }

    /// Lane := the given UTF-16 code units (any, unpaired surrogates included). false (lane
    /// untouched) unless `MIN_UNITS2 <= units.len() <= MAX_UNITS2`.
    ///
    /// Panics if `lane >= LANES`.
    #[inline]
    pub fn set_units(&mut self, lane: usize, units: &[u16]) -> bool {
        if !(MIN_UNITS2..=MAX_UNITS2).contains(&units.len()) {
            return false;
        }
        write_lane(self.rows_mut(), lane, units);
        true
    }

    /// Lane := UTF-16LE of a &str (encode_utf16). false if it is not 28 to 59 code units.
    ///
    /// Panics if `lane >= LANES`.
    pub fn set_str(&mut self, lane: usize, s: &str) -> bool {
        let mut units = [0u16; MAX_UNITS2];
        let mut n = 0;
        for u in s.encode_utf16() {
            if n == MAX_UNITS2 {
                return false;
            }
            units[n] = u;
            n += 1;
        }
        let ok = self.set_units(lane, &units[..n]);
        units.zeroize();
        ok
    }

    /// MD4 of every lane, as [`Blocks::hash`].
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn hash(&self, out: &mut [[u32; 4]; LANES]) {
        self.hash_with(Kernel::best(), out);
    }

    /// [`Blocks2::hash`] through a chosen kernel.
    ///
    /// Panics if the CPU cannot run `kernel` (see [`Kernel::is_available`]).
    #[inline]
    pub fn hash_with(&self, kernel: Kernel, out: &mut [[u32; 4]; LANES]) {
        hash_words(kernel, &self.words, out);
    }

    /// The code units lane `lane` holds, as [`Blocks::lane_units`].
    ///
    /// Panics if `lane >= LANES`.
    pub fn lane_units(&self, lane: usize) -> impl Iterator<Item = u16> + '_ {
        read_units(self.rows(), lane)
    }

    /// `out` := lane `lane` as bytes, one per code unit, as [`Blocks::lane_bytes_into`].
    ///
    /// Panics if `lane >= LANES`.
    pub fn lane_bytes_into(&self, lane: usize, out: &mut Vec<u8>) -> bool {
        units_to_bytes(self.lane_units(lane), out)
    }

    /// Both blocks' words as one 32-word message.
    fn rows(&self) -> &[[u32; LANES]; 32] {
        self.words.as_flattened().try_into().expect("2 x 16 rows")
    }

    fn rows_mut(&mut self) -> &mut [[u32; LANES]; 32] {
        self.words
            .as_flattened_mut()
            .try_into()
            .expect("2 x 16 rows")
    }
}

/// Lane `lane` of an R-word message (R = 16 per block) := `units` (bytes or UTF-16) padded: the
/// 0x80 byte right after the message (the low byte of the next unit), zeros, the bit length in
/// words. All R words are written, so nothing of a longer previous candidate remains.
///
/// Each word is computed in registers and stored once: assembling the block in a scratch
/// buffer first (narrow stores read back as wider loads) stalled on store forwarding, and
/// a variable-length copy into it became a call to memcpy; each cost as much as the hash.
#[inline]
fn write_lane<T: Copy + Into<u32>, const R: usize>(
    rows: &mut [[u32; LANES]; R],
    lane: usize,
    units: &[T],
) {
    // The message, its 0x80 byte and the 8-byte length fit in R words.
    debug_assert!(2 * units.len() + 9 <= 4 * R);
    assert!(lane < LANES, "lane {lane} out of 0..{LANES}");
    let pairs = units.chunks_exact(2);
    let last = match *pairs.remainder() {
        [u] => u.into() | (0x80 << 16),
        _ => 0x80,
    };
    let mut message = rows[..R - 2].iter_mut();
    // `pairs` first in the zip: it runs out first (at most R/2 - 3 pairs for R - 2 rows), and
    // zip then takes no row from `message`.
    for (p, row) in pairs.zip(message.by_ref()) {
        row[lane] = p[0].into() | (p[1].into() << 16);
    }
    if let Some(row) = message.next() {
        row[lane] = last;
    }
    for row in message {
        row[lane] = 0;
    }
    rows[R - 2][lane] = (units.len() * 16) as u32;
    rows[R - 1][lane] = 0;
}

/// The code units of lane `lane` of an R-word message written by [`write_lane`]: as many as
/// the bit length in word R-2 says, two per word, low half first.
fn read_units<const R: usize>(
    rows: &[[u32; LANES]; R],
    lane: usize,
) -> impl Iterator<Item = u16> + '_ {
    assert!(lane < LANES, "lane {lane} out of 0..{LANES}");
    let n = (rows[R - 2][lane] / 16) as usize;
    (0..n).map(move |i| (rows[i / 2][lane] >> (16 * (i % 2))) as u16)
}

/// `out` := `units` as bytes; false and `out` empty if one is above 0xFF.
fn units_to_bytes(units: impl Iterator<Item = u16>, out: &mut Vec<u8>) -> bool {
    out.clear();
    for u in units {
        match u8::try_from(u) {
            Ok(b) => out.push(b),
            Err(_) => {
                out.zeroize();
                return false;
            }
        }
    }
    true
}

/// MD4 of every lane of B-block messages through `kernel`: per lane, state = INIT, then
/// state = compress(state, block) for each block.
///
/// Panics if the CPU cannot run `kernel`.
#[inline]
fn hash_words<const B: usize>(kernel: Kernel, words: &[Words; B], out: &mut [[u32; 4]; LANES]) {
    match kernel {
        Kernel::Scalar => hash_scalar(words, out),
        #[cfg(target_arch = "x86_64")]
        Kernel::Sse2 => {
            // SAFETY: SSE2 is part of the x86_64 baseline, every x86_64 CPU has it.
            unsafe { sse2::hash(words, out) }
        }
        #[cfg(target_arch = "x86_64")]
        Kernel::Avx2 => {
            assert!(kernel.is_available(), "this CPU has no AVX2");
            // SAFETY: AVX2 support was just checked at run time.
            unsafe { avx2::hash(words, out) }
        }
        #[cfg(target_arch = "x86_64")]
        Kernel::Avx512 => {
            assert!(kernel.is_available(), "this CPU has no AVX-512F");
            // SAFETY: AVX-512F support was just checked at run time.
            unsafe { avx512::hash(words, out) }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Kernel::Sse2 | Kernel::Avx2 | Kernel::Avx512 => panic!("{} needs x86_64", kernel.name()),
    }
}

/// Convenience: the 16-byte NT digest of one &str (any length; beyond two blocks through the `md4` crate).
pub fn nt(s: &str) -> [u8; 16] {
    let mut units = [0u16; MAX_UNITS2];
    let mut n = 0;
    for u in s.encode_utf16() {
        if n == MAX_UNITS2 {
            units.zeroize();
            return nt_long(s);
        }
        units[n] = u;
        n += 1;
    }
    // One lane is enough: the scalar compression of that lane alone, not a 16-lane round.
    let h = if n <= MAX_UNITS {
        let mut b = Blocks::new();
        b.set_units(0, &units[..n]);
        scalar_lane(std::array::from_ref(&b.words), 0)
    } else {
        let mut b = Blocks2::new();
        b.set_units(0, &units[..n]);
        scalar_lane(&b.words, 0)
    };
    units.zeroize();
    let mut out = [0u8; 16];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// NT of a string too long for two blocks: the `md4` crate, fed in stack-sized pieces.
fn nt_long(s: &str) -> [u8; 16] {
    use md4::{Digest, Md4};
    let mut h = Md4::new();
    let mut buf = [0u8; 64];
    let mut len = 0;
    for u in s.encode_utf16() {
        buf[len..len + 2].copy_from_slice(&u.to_le_bytes());
        len += 2;
        if len == buf.len() {
            h.update(buf);
            len = 0;
        }
    }
    h.update(&buf[..len]);
    buf.zeroize();
    h.finalize().into()
}

const INIT: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
const K2: u32 = 0x5A82_7999;
const K3: u32 = 0x6ED9_EBA1;

/// The scalar path: each lane on its own, block after block.
///
/// With [`compress`] inlined, the lane loop is plain enough for the compiler to vectorize it
/// (SSE2 on x86_64, NEON on aarch64): about twice the speed of one lane at a time.
fn hash_scalar<const B: usize>(words: &[Words; B], out: &mut [[u32; 4]; LANES]) {
    *out = [INIT; LANES];
    for block in words {
        for (lane, state) in out.iter_mut().enumerate() {
            *state = compress(*state, &std::array::from_fn(|w| block[w][lane]));
        }
    }
}

/// MD4 of one lane of B-block messages, block after block.
#[inline]
fn scalar_lane<const B: usize>(words: &[Words; B], lane: usize) -> [u32; 4] {
    words.iter().fold(INIT, |state, block| {
        compress(state, &std::array::from_fn(|w| block[w][lane]))
    })
}

/// One MD4 compression (RFC 1320): `state` updated by the padded block `m`, written plainly:
/// the reference the SIMD kernels follow.
#[inline(always)]
fn compress(state: [u32; 4], m: &[u32; 16]) -> [u32; 4] {
    let [mut a, mut b, mut c, mut d] = state;
    let f = |x: u32, y: u32, z: u32| z ^ (x & (y ^ z));
    let g = |x: u32, y: u32, z: u32| ((x & (y | z)) | (y & z)).wrapping_add(K2);
    let h = |x: u32, y: u32, z: u32| (x ^ y ^ z).wrapping_add(K3);
    // One step: a := (a + round function + message word) <<< s.
    let st = |a: u32, fx: u32, w: u32, s: u32| a.wrapping_add(fx).wrapping_add(w).rotate_left(s);
    for i in [0, 4, 8, 12] {
        a = st(a, f(b, c, d), m[i], 3);
        d = st(d, f(a, b, c), m[i + 1], 7);
        c = st(c, f(d, a, b), m[i + 2], 11);
        b = st(b, f(c, d, a), m[i + 3], 19);
    }
    for i in [0, 1, 2, 3] {
        a = st(a, g(b, c, d), m[i], 3);
        d = st(d, g(a, b, c), m[i + 4], 5);
        c = st(c, g(d, a, b), m[i + 8], 9);
        b = st(b, g(c, d, a), m[i + 12], 13);
    }
    for i in [0, 2, 1, 3] {
        a = st(a, h(b, c, d), m[i], 3);
        d = st(d, h(a, b, c), m[i + 8], 9);
        c = st(c, h(d, a, b), m[i + 4], 11);
        b = st(b, h(c, d, a), m[i + 12], 15);
    }
    [
        state[0].wrapping_add(a),
        state[1].wrapping_add(b),
        state[2].wrapping_add(c),
        state[3].wrapping_add(d),
    ]
}

/// The 48 MD4 steps on `GROUP` registers of `W` lanes at once, once per block, for the x86 kernels.
///
/// Expands inside a module that defines `V` (the register type), `W` (lanes per register),
/// `GROUP` (registers interleaved: independent chains hide each step's latency) and the
/// helpers `splat add rotl load store4` and the round functions `fun_f fun_g fun_h` (from
/// `md4_bool_fns!` or the module's own), all compiled for the module's feature.
#[cfg(target_arch = "x86_64")]
macro_rules! md4_simd {
    ($feature:literal) => {
        /// MD4 of every lane of the B-block messages `blocks` into `out`: per lane,
        /// state = INIT, then state = compress(state, block) for each block.
        ///
        /// # Safety
        /// The CPU must support the module's target feature.
        #[target_feature(enable = $feature)]
        pub(super) unsafe fn hash<const B: usize>(
            blocks: &[Words; B],
            out: &mut [[u32; 4]; LANES],
        ) {
            const _: () = assert!(LANES % (W * GROUP) == 0);
            let k2 = splat(K2);
            let k3 = splat(K3);
            for first in (0..LANES).step_by(W * GROUP) {
                let mut a = [splat(INIT[0]); GROUP];
                let mut b = [splat(INIT[1]); GROUP];
                let mut c = [splat(INIT[2]); GROUP];
                let mut d = [splat(INIT[3]); GROUP];
                // For B = 1 the loop and the saved state (INIT constants) fold away: the same
                // code as a one-block kernel.
                for words in blocks {
                    // A macro, not a closure, so the loads stay in this function's target feature.
                    macro_rules! m {
                        ($w:expr, $g:expr) => {
                            // SAFETY: first + g * W + W <= LANES: `first` steps by W * GROUP below
                            // LANES, a multiple of it, and g < GROUP.
                            unsafe { load(&words[$w], first + $g * W) }
                        };
                    }
                    let (a0, b0, c0, d0) = (a, b, c, d);
                    macro_rules! step {
                        (F, $a:ident, $b:ident, $c:ident, $d:ident, $w:expr, $s:literal) => {
                            for g in 0..GROUP {
                                let t = add($a[g], m!($w, g));
                                let f = fun_f($b[g], $c[g], $d[g]);
                                $a[g] = rotl::<$s, { 32 - $s }>(add(t, f));
                            }
                        };
                        (G, $a:ident, $b:ident, $c:ident, $d:ident, $w:expr, $s:literal) => {
                            for g in 0..GROUP {
                                let t = add($a[g], add(m!($w, g), k2));
                                let f = fun_g($b[g], $c[g], $d[g]);
                                $a[g] = rotl::<$s, { 32 - $s }>(add(t, f));
                            }
                        };
                        (H, $a:ident, $b:ident, $c:ident, $d:ident, $w:expr, $s:literal) => {
                            for g in 0..GROUP {
                                let t = add($a[g], add(m!($w, g), k3));
                                let f = fun_h($b[g], $c[g], $d[g]);
                                $a[g] = rotl::<$s, { 32 - $s }>(add(t, f));
                            }
                        };
                    }
                    // Written out with literal word indices: a loop over i stays a loop (the body is
                    // large), and then every load needs its address computed at run time.
                    // (Three macros, not one with repetitions: `$(...)*` cannot nest in md4_simd.)
                    macro_rules! round1 {
                        ($i:expr) => {
                            step!(F, a, b, c, d, $i, 3);
                            step!(F, d, a, b, c, $i + 1, 7);
                            step!(F, c, d, a, b, $i + 2, 11);
                            step!(F, b, c, d, a, $i + 3, 19);
                        };
                    }
                    macro_rules! round2 {
                        ($i:expr) => {
                            step!(G, a, b, c, d, $i, 3);
                            step!(G, d, a, b, c, $i + 4, 5);
                            step!(G, c, d, a, b, $i + 8, 9);
                            step!(G, b, c, d, a, $i + 12, 13);
                        };
                    }
                    macro_rules! round3 {
                        ($i:expr) => {
                            step!(H, a, b, c, d, $i, 3);
                            step!(H, d, a, b, c, $i + 8, 9);
                            step!(H, c, d, a, b, $i + 4, 11);
                            step!(H, b, c, d, a, $i + 12, 15);
                        };
                    }
                    round1!(0);
                    round1!(4);
                    round1!(8);
                    round1!(12);
                    round2!(0);
                    round2!(1);
                    round2!(2);
                    round2!(3);
                    round3!(0);
                    round3!(2);
                    round3!(1);
                    round3!(3);
                    for g in 0..GROUP {
                        a[g] = add(a[g], a0[g]);
                        b[g] = add(b[g], b0[g]);
                        c[g] = add(c[g], c0[g]);
                        d[g] = add(d[g], d0[g]);
                    }
                }
                for g in 0..GROUP {
                    store4([a[g], b[g], c[g], d[g]], out, first + g * W);
                }
            }
        }
    };
}

/// MD4's round functions of x, y, z from the module's `and or xor` (SSE2 and AVX2 have no
/// three-input logic instruction): F = x ? y : z, G = majority, H = x ^ y ^ z.
///
/// In every step x is the newest state word, so each function is arranged so x enters last:
/// the terms of the two older words do not wait for it.
#[cfg(target_arch = "x86_64")]
macro_rules! md4_bool_fns {
    ($feature:literal) => {
        #[inline]
        #[target_feature(enable = $feature)]
        unsafe fn fun_f(x: V, y: V, z: V) -> V {
            xor(z, and(x, xor(y, z)))
        }
        #[inline]
        #[target_feature(enable = $feature)]
        unsafe fn fun_g(x: V, y: V, z: V) -> V {
            or(and(x, or(y, z)), and(y, z))
        }
        #[inline]
        #[target_feature(enable = $feature)]
        unsafe fn fun_h(x: V, y: V, z: V) -> V {
            xor(x, xor(y, z))
        }
    };
}

/// SSE2 kernel: 4 lanes per register.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use super::{Words, INIT, K2, K3, LANES};
    use std::arch::x86_64::*;

    type V = __m128i;
    const W: usize = 4;
    /// Four chains (all 16 lanes in one pass): measured ~20% faster than two, although the
    /// 16 state registers plus temporaries spill some of them to the stack.
    const GROUP: usize = 4;

    md4_simd!("sse2");
    md4_bool_fns!("sse2");

    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn splat(x: u32) -> V {
        _mm_set1_epi32(x as i32)
    }
    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn add(a: V, b: V) -> V {
        _mm_add_epi32(a, b)
    }
    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn and(a: V, b: V) -> V {
        _mm_and_si128(a, b)
    }
    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn or(a: V, b: V) -> V {
        _mm_or_si128(a, b)
    }
    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn xor(a: V, b: V) -> V {
        _mm_xor_si128(a, b)
    }
    /// Rotate left by L (R = 32 - L): SSE2 and AVX2 have no vector rotate.
    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn rotl<const L: i32, const R: i32>(x: V) -> V {
        _mm_or_si128(_mm_slli_epi32::<L>(x), _mm_srli_epi32::<R>(x))
    }
    /// Lanes `lane..lane + W` of one message-word row, unchecked: the kernel's addresses are
    /// constants once unrolled, and a bounds check per load would cost as much as the load.
    ///
    /// Safety: `lane + W <= LANES`.
    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn load(row: &[u32; LANES], lane: usize) -> V {
        debug_assert!(lane + W <= LANES);
        // SAFETY: lanes lane..lane + W are inside `row` (caller's contract): 16 readable
        // bytes; loadu has no alignment requirement.
        unsafe { _mm_loadu_si128(row.as_ptr().add(lane).cast()) }
    }
    /// Transpose the state registers a, b, c, d (one word of 4 lanes each) into 4 digests.
    #[inline]
    #[target_feature(enable = "sse2")]
    unsafe fn store4(s: [V; 4], out: &mut [[u32; 4]; LANES], lane: usize) {
        let ab_lo = _mm_unpacklo_epi32(s[0], s[1]); // a0 b0 a1 b1
        let ab_hi = _mm_unpackhi_epi32(s[0], s[1]); // a2 b2 a3 b3
        let cd_lo = _mm_unpacklo_epi32(s[2], s[3]);
        let cd_hi = _mm_unpackhi_epi32(s[2], s[3]);
        let rows = [
            _mm_unpacklo_epi64(ab_lo, cd_lo), // a0 b0 c0 d0
            _mm_unpackhi_epi64(ab_lo, cd_lo),
            _mm_unpacklo_epi64(ab_hi, cd_hi),
            _mm_unpackhi_epi64(ab_hi, cd_hi),
        ];
        for (dst, row) in out[lane..lane + W].iter_mut().zip(rows) {
            // SAFETY: `dst` is one [u32; 4], 16 writable bytes; storeu has no alignment requirement.
            unsafe { _mm_storeu_si128((dst as *mut [u32; 4]).cast(), row) }
        }
    }
}

/// AVX2 kernel: 8 lanes per register, two chains interleaved (16 lanes per pass; one chain
/// twice measured the same: the kernel is bound by ALU throughput, not step latency).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{Words, INIT, K2, K3, LANES};
    use std::arch::x86_64::*;

    type V = __m256i;
    const W: usize = 8;
    const GROUP: usize = 2;

    md4_simd!("avx2");
    md4_bool_fns!("avx2");

    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn splat(x: u32) -> V {
        _mm256_set1_epi32(x as i32)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn add(a: V, b: V) -> V {
        _mm256_add_epi32(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn and(a: V, b: V) -> V {
        _mm256_and_si256(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn or(a: V, b: V) -> V {
        _mm256_or_si256(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn xor(a: V, b: V) -> V {
        _mm256_xor_si256(a, b)
    }
    /// Rotate left by L (R = 32 - L): AVX2 has no vector rotate (that is AVX-512's vprold).
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn rotl<const L: i32, const R: i32>(x: V) -> V {
        _mm256_or_si256(_mm256_slli_epi32::<L>(x), _mm256_srli_epi32::<R>(x))
    }
    /// Lanes `lane..lane + W` of one message-word row, unchecked: the kernel's addresses are
    /// constants once unrolled, and a bounds check per load would cost as much as the load.
    ///
    /// Safety: `lane + W <= LANES`.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn load(row: &[u32; LANES], lane: usize) -> V {
        debug_assert!(lane + W <= LANES);
        // SAFETY: lanes lane..lane + W are inside `row` (caller's contract): 32 readable
        // bytes; loadu has no alignment requirement.
        unsafe { _mm256_loadu_si256(row.as_ptr().add(lane).cast()) }
    }
    /// Transpose the state registers a, b, c, d (one word of 8 lanes each) into 8 digests.
    /// The unpacks work within 128-bit halves, so each result holds lane j low, lane j+4 high.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn store4(s: [V; 4], out: &mut [[u32; 4]; LANES], lane: usize) {
        let ab_lo = _mm256_unpacklo_epi32(s[0], s[1]); // a0 b0 a1 b1 | a4 b4 a5 b5
        let ab_hi = _mm256_unpackhi_epi32(s[0], s[1]); // a2 b2 a3 b3 | a6 b6 a7 b7
        let cd_lo = _mm256_unpacklo_epi32(s[2], s[3]);
        let cd_hi = _mm256_unpackhi_epi32(s[2], s[3]);
        let rows = [
            _mm256_unpacklo_epi64(ab_lo, cd_lo), // a0 b0 c0 d0 | a4 b4 c4 d4
            _mm256_unpackhi_epi64(ab_lo, cd_lo),
            _mm256_unpacklo_epi64(ab_hi, cd_hi),
            _mm256_unpackhi_epi64(ab_hi, cd_hi),
        ];
        let (low, high) = out[lane..lane + W].split_at_mut(W / 2);
        for ((lo, hi), row) in low.iter_mut().zip(high).zip(rows) {
            // SAFETY: `lo` and `hi` are each one [u32; 4], 16 writable bytes; storeu has no
            // alignment requirement.
            unsafe {
                _mm_storeu_si128((lo as *mut [u32; 4]).cast(), _mm256_castsi256_si128(row));
                _mm_storeu_si128(
                    (hi as *mut [u32; 4]).cast(),
                    _mm256_extracti128_si256::<1>(row),
                );
            }
        }
    }
}

/// AVX-512F kernel: all 16 lanes in one register, one chain. Each step is shorter than with
/// AVX2: the round function is one `vpternlogd`, the rotation one `vprold`.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{Words, INIT, K2, K3, LANES};
    use std::arch::x86_64::*;

    type V = __m512i;
    const W: usize = 16;
    const GROUP: usize = 1;

    md4_simd!("avx512f");

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn splat(x: u32) -> V {
        _mm512_set1_epi32(x as i32)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn add(a: V, b: V) -> V {
        _mm512_add_epi32(a, b)
    }
    /// F = x ? y : z. A `vpternlogd` immediate is the function's truth table, bit x:y:z
    /// (x the most significant): here 0b1100_1010.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn fun_f(x: V, y: V, z: V) -> V {
        _mm512_ternarylogic_epi32::<0xCA>(x, y, z)
    }
    /// G = majority of x, y, z: truth table 0b1110_1000.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn fun_g(x: V, y: V, z: V) -> V {
        _mm512_ternarylogic_epi32::<0xE8>(x, y, z)
    }
    /// H = x ^ y ^ z: truth table 0b1001_0110.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn fun_h(x: V, y: V, z: V) -> V {
        _mm512_ternarylogic_epi32::<0x96>(x, y, z)
    }
    /// Rotate left by L in one instruction (`vprold`); R = 32 - L is what the shift-and-or
    /// kernels need, unused here.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn rotl<const L: i32, const R: i32>(x: V) -> V {
        _mm512_rol_epi32::<L>(x)
    }
    /// Lanes `lane..lane + W` of one message-word row (the whole row: W = LANES), unchecked
    /// like the other kernels' loads.
    ///
    /// Safety: `lane + W <= LANES`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn load(row: &[u32; LANES], lane: usize) -> V {
        debug_assert!(lane + W <= LANES);
        // SAFETY: lanes lane..lane + W are inside `row` (caller's contract): 64 readable
        // bytes; loadu has no alignment requirement.
        unsafe { _mm512_loadu_si512(row.as_ptr().add(lane).cast()) }
    }
    /// Transpose the state registers a, b, c, d (one word of 16 lanes each) into 16 digests.
    /// The unpacks work within 128-bit blocks, so row j holds lanes j, j+4, j+8, j+12, one per
    /// block; a 4x4 transpose of the blocks (`vshufi32x4`) then gathers lanes 4k..4k+3 in
    /// output register k.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn store4(s: [V; 4], out: &mut [[u32; 4]; LANES], lane: usize) {
        let ab_lo = _mm512_unpacklo_epi32(s[0], s[1]); // a0 b0 a1 b1 | a4 b4 a5 b5 | ...
        let ab_hi = _mm512_unpackhi_epi32(s[0], s[1]); // a2 b2 a3 b3 | a6 b6 a7 b7 | ...
        let cd_lo = _mm512_unpacklo_epi32(s[2], s[3]);
        let cd_hi = _mm512_unpackhi_epi32(s[2], s[3]);
        let r0 = _mm512_unpacklo_epi64(ab_lo, cd_lo); // lane 0 | lane 4 | lane 8 | lane 12
        let r1 = _mm512_unpackhi_epi64(ab_lo, cd_lo); // lanes 1, 5, 9, 13
        let r2 = _mm512_unpacklo_epi64(ab_hi, cd_hi); // lanes 2, 6, 10, 14
        let r3 = _mm512_unpackhi_epi64(ab_hi, cd_hi); // lanes 3, 7, 11, 15

        // shuffle_i32x4::<imm>(x, y): blocks x[imm 0:1], x[imm 2:3], y[imm 4:5], y[imm 6:7].
        let r01_lo = _mm512_shuffle_i32x4::<0b01_00_01_00>(r0, r1); // lanes 0 4 | 1 5
        let r23_lo = _mm512_shuffle_i32x4::<0b01_00_01_00>(r2, r3); // lanes 2 6 | 3 7
        let r01_hi = _mm512_shuffle_i32x4::<0b11_10_11_10>(r0, r1); // lanes 8 12 | 9 13
        let r23_hi = _mm512_shuffle_i32x4::<0b11_10_11_10>(r2, r3); // lanes 10 14 | 11 15
        let rows = [
            _mm512_shuffle_i32x4::<0b10_00_10_00>(r01_lo, r23_lo), // lanes 0 1 2 3
            _mm512_shuffle_i32x4::<0b11_01_11_01>(r01_lo, r23_lo), // lanes 4 5 6 7
            _mm512_shuffle_i32x4::<0b10_00_10_00>(r01_hi, r23_hi), // lanes 8 9 10 11
            _mm512_shuffle_i32x4::<0b11_01_11_01>(r01_hi, r23_hi), // lanes 12 13 14 15
        ];
        for (dst, row) in out[lane..lane + W].chunks_exact_mut(4).zip(rows) {
            // SAFETY: `dst` is four [u32; 4], 64 contiguous writable bytes; storeu has no
            // alignment requirement.
            unsafe { _mm512_storeu_si512(dst.as_mut_ptr().cast(), row) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_prefixed_equals_set_bytes_of_the_concatenation() {
        let mut one = Blocks::new();
        let mut two = Blocks::new();
        let text = b"Sato.Hanako2025!Kensa#xyzABCDEFG";
        let whole = Prefix::new(&text[..MAX_UNITS]).unwrap();
        for n in 0..=MAX_UNITS {
            for cut in [0, n / 2, n] {
                let lane = (n + cut) % LANES;
                // A longer candidate first, so stale words would show.
                assert!(one.set_bytes(lane, &text[..MAX_UNITS]));
                assert!(two.set_prefixed(lane, &whole, &[]));
                let p = Prefix::new(&text[..cut]).unwrap();
                assert!(one.set_bytes(lane, &text[..n]));
                assert!(two.set_prefixed(lane, &p, &text[cut..n]));
                assert!(
                    one.lane_units(lane).eq(two.lane_units(lane)),
                    "n={n} cut={cut}"
                );
                let mut d1 = [[0u32; 4]; LANES];
                let mut d2 = [[0u32; 4]; LANES];
                one.hash(&mut d1);
                two.hash(&mut d2);
                assert_eq!(d1, d2, "n={n} cut={cut}");
            }
        }
        let p = Prefix::new(&text[..20]).unwrap();
        assert!(!two.set_prefixed(0, &p, &text[..8]));
        assert!(Prefix::new(&text[..MAX_UNITS + 1]).is_none());
    }
    use md4::{Digest, Md4};

    /// Reference: the md4 crate over the UTF-16LE bytes of `units`.
    fn reference(units: &[u16]) -> [u8; 16] {
        let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        Md4::digest(&bytes).into()
    }

    fn digest_bytes(words: &[u32; 4]) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    type KernelFn<const B: usize> = fn(&[Words; B], &mut [[u32; 4]; LANES]);

    /// Every kernel this CPU can run for B-block messages, called directly (not through the dispatch).
    fn kernels<const B: usize>() -> Vec<(&'static str, KernelFn<B>)> {
        let mut k: Vec<(&'static str, KernelFn<B>)> = vec![("scalar", hash_scalar::<B>)];
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: SSE2 is part of the x86_64 baseline.
            k.push(("sse2", |b, o| unsafe { sse2::hash(b, o) }));
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: only pushed after AVX2 was detected.
                k.push(("avx2", |b, o| unsafe { avx2::hash(b, o) }));
            } else {
                eprintln!("no AVX2 on this CPU: AVX2 kernel not tested");
            }
            if std::is_x86_feature_detected!("avx512f") {
                // SAFETY: only pushed after AVX-512F was detected.
                k.push(("avx512", |b, o| unsafe { avx512::hash(b, o) }));
            } else {
                eprintln!("no AVX-512F on this CPU: AVX-512 kernel not tested");
            }
        }
        k
    }

    /// Hash `words` with every kernel and check each lane against `want[lane]` (md4 crate).
    fn check_kernels<const B: usize>(words: &[Words; B], want: &[[u8; 16]; LANES], what: &str) {
        for (name, kernel) in kernels::<B>() {
            let mut out = [[0u32; 4]; LANES];
            kernel(words, &mut out);
            for (lane, (got, want)) in out.iter().zip(want).enumerate() {
                assert_eq!(
                    hex::encode(digest_bytes(got)),
                    hex::encode(want),
                    "{name} kernel, {B} block(s), lane {lane}, {what}"
                );
            }
        }
    }

    /// Check a lane-by-lane result of the public API against `want`.
    fn check_out(out: &[[u32; 4]; LANES], want: &[[u8; 16]; LANES], what: &str) {
        for (lane, (got, want)) in out.iter().zip(want).enumerate() {
            assert_eq!(digest_bytes(got), *want, "lane {lane}, {what}");
        }
    }

    /// Hash `b` with every kernel, directly and through `hash`/`hash_with`, against `want`.
    fn check_all(b: &Blocks, want: &[[u8; 16]; LANES], what: &str) {
        check_kernels(std::array::from_ref(&b.words), want, what);
        let mut out = [[0u32; 4]; LANES];
        b.hash(&mut out);
        check_out(&out, want, &format!("dispatch, {what}"));
        for k in Kernel::available() {
            b.hash_with(k, &mut out);
            check_out(&out, want, &format!("hash_with({}), {what}", k.name()));
        }
    }

    /// [`check_all`] for two-block messages.
    fn check_all2(b: &Blocks2, want: &[[u8; 16]; LANES], what: &str) {
        check_kernels(&b.words, want, what);
        let mut out = [[0u32; 4]; LANES];
        b.hash(&mut out);
        check_out(&out, want, &format!("Blocks2 dispatch, {what}"));
        for k in Kernel::available() {
            b.hash_with(k, &mut out);
            check_out(
                &out,
                want,
                &format!("Blocks2 hash_with({}), {what}", k.name()),
            );
        }
    }

    /// Arbitrary UTF-16 code units: unpaired surrogates, NULs, the top of the range, anything.
    fn random_units(rng: &mut Rng, len: usize) -> Vec<u16> {
        (0..len)
            .map(|_| match rng.below(5) {
                0 => 0xD800 + rng.below(0x800) as u16,
                1 => 0xFF80 + rng.below(0x80) as u16,
                2 => 0,
                _ => rng.next() as u16,
            })
            .collect()
    }

    /// xorshift64*: deterministic pseudo-random bytes without a dev-dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn known_vectors() {
        assert_eq!(
            hex::encode(nt("password")),
            "8846f7eaee8fb117ad06bdd830b7586c"
        );
        assert_eq!(hex::encode(nt("")), "31d6cfe0d16ae931b73c59d7e0c089c0");
        let mut b = Blocks::new();
        let mut want = [reference(&[]); LANES];
        for lane in (0..LANES).step_by(3) {
            assert!(b.set_bytes(lane, b"password"));
            want[lane] = reference(&"password".encode_utf16().collect::<Vec<_>>());
        }
        assert_eq!(hex::encode(want[0]), "8846f7eaee8fb117ad06bdd830b7586c");
        // Untouched lanes of a fresh Blocks are the empty password.
        assert_eq!(hex::encode(want[1]), "31d6cfe0d16ae931b73c59d7e0c089c0");
        check_all(&b, &want, "known vectors");
    }

    #[test]
    fn every_length_every_lane() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // Each round puts a different length in each lane, so all 28 lengths meet every lane.
        for round in 0..=MAX_UNITS {
            let mut b = Blocks::new();
            let mut want = [[0u8; 16]; LANES];
            for (lane, want) in want.iter_mut().enumerate() {
                let len = (round + lane) % (MAX_UNITS + 1);
                let ascii: Vec<u8> = (0..len).map(|_| 0x20 + rng.below(95) as u8).collect();
                assert!(b.set_bytes(lane, &ascii));
                *want = reference(&ascii.iter().map(|&c| u16::from(c)).collect::<Vec<_>>());
            }
            check_all(&b, &want, &format!("ascii, round {round}"));
        }
    }

    #[test]
    fn latin1_bytes_are_code_units() {
        let mut rng = Rng(42);
        for _ in 0..50 {
            let mut b = Blocks::new();
            let mut want = [[0u8; 16]; LANES];
            for (lane, want) in want.iter_mut().enumerate() {
                let len = rng.below(MAX_UNITS + 1);
                let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                assert!(b.set_bytes(lane, &bytes));
                // Byte 0xE9 is U+00E9 'é': Latin-1 widened, as hashcat's NT kernel reads bytes.
                let latin1: String = bytes.iter().map(|&c| char::from(c)).collect();
                *want = nt(&latin1);
                assert_eq!(
                    *want,
                    reference(&bytes.iter().map(|&c| u16::from(c)).collect::<Vec<_>>())
                );
            }
            check_all(&b, &want, "latin-1 bytes");
        }
    }

    #[test]
    fn units_and_strs_beyond_the_bmp() {
        let mut rng = Rng(7);
        let samples = [
            "pässwörd",
            "パスワード",
            "🔑🔑🔑",
            "a😀b",
            "密码123456",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢𝔘𝔫𝔦𝔠𝔬𝔡a", // 13 non-BMP chars + 1 = 27 units, a full block
        ];
        for _ in 0..20 {
            let mut b = Blocks::new();
            let mut want = [[0u8; 16]; LANES];
            for (lane, want) in want.iter_mut().enumerate() {
                if lane % 2 == 0 {
                    let s = samples[rng.below(samples.len())];
                    assert!(b.set_str(lane, s), "{s} fits");
                    *want = reference(&s.encode_utf16().collect::<Vec<_>>());
                    assert_eq!(*want, nt(s));
                } else {
                    // Arbitrary units, unpaired surrogates included.
                    let len = rng.below(MAX_UNITS + 1);
                    let units: Vec<u16> = (0..len)
                        .map(|_| match rng.below(4) {
                            0 => 0xD800 + rng.below(0x800) as u16,
                            1 => 0xFF80 + rng.below(0x80) as u16,
                            _ => rng.next() as u16,
                        })
                        .collect();
                    assert!(b.set_units(lane, &units));
                    *want = reference(&units);
                }
            }
            check_all(&b, &want, "units and strs");
        }
    }

    #[test]
    fn shorter_candidate_overwrites_longer() {
        let mut b = Blocks::new();
        for lane in 0..LANES {
            assert!(b.set_bytes(lane, &[0xFF; MAX_UNITS]));
        }
        let mut want = [reference(&[0xFF; MAX_UNITS]); LANES];
        check_all(&b, &want, "full lanes");
        for (lane, want) in want.iter_mut().enumerate() {
            let len = lane % 5;
            let s = "abcd";
            match lane % 3 {
                0 => assert!(b.set_bytes(lane, &s.as_bytes()[..len])),
                1 => assert!(b.set_str(lane, &s[..len])),
                _ => assert!(b.set_units(lane, &s.encode_utf16().take(len).collect::<Vec<_>>())),
            }
            *want = reference(&s.encode_utf16().take(len).collect::<Vec<_>>());
        }
        check_all(&b, &want, "shorter after longer");
    }

    #[test]
    fn too_long_leaves_lane_untouched() {
        let mut b = Blocks::new();
        assert!(b.set_bytes(3, b"kept"));
        assert!(!b.set_bytes(3, &[b'x'; MAX_UNITS + 1]));
        assert!(!b.set_units(3, &[0x41; MAX_UNITS + 1]));
        assert!(!b.set_str(3, &"y".repeat(MAX_UNITS + 1)));
        // 14 surrogate pairs: 14 chars but 28 units.
        assert!(!b.set_str(3, &"😀".repeat(14)));
        let mut want = [reference(&[]); LANES];
        want[3] = reference(&[0x6B, 0x65, 0x70, 0x74]);
        check_all(&b, &want, "rejected candidates");
    }

    #[test]
    fn nt_of_long_strings() {
        for len in [MAX_UNITS, MAX_UNITS + 1, 31, 32, 33, 63, 64, 100, 257] {
            let s: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            assert_eq!(
                nt(&s),
                reference(&s.encode_utf16().collect::<Vec<_>>()),
                "{len}"
            );
            let wide = "€".repeat(len);
            assert_eq!(
                nt(&wide),
                reference(&wide.encode_utf16().collect::<Vec<_>>())
            );
        }
        assert_eq!(nt("Password1"), crate::hash::nt("Password1"));
        // Around the two-block path's bounds, and non-BMP strings whose unit count is odd or even.
        for len in (MIN_UNITS2 - 1..=MAX_UNITS2 + 2).chain([119, 120]) {
            let s: String = (0..len)
                .map(|i| char::from(b'!' + (i % 90) as u8))
                .collect();
            let want = reference(&s.encode_utf16().collect::<Vec<_>>());
            assert_eq!(nt(&s), want, "{len}");
            let mut md4 = Md4::new();
            md4.update(
                s.encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<_>>(),
            );
            assert_eq!(nt(&s), <[u8; 16]>::from(md4.finalize()), "{len}");
        }
        for n in 13..=31 {
            let s = format!("{}x", "😀".repeat(n));
            let want = reference(&s.encode_utf16().collect::<Vec<_>>());
            assert_eq!(nt(&s), want, "{n} emoji + x");
            let s = "😀".repeat(n);
            assert_eq!(nt(&s), reference(&s.encode_utf16().collect::<Vec<_>>()));
        }
    }

    #[test]
    fn two_blocks_every_length_every_lane() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        let lengths = MAX_UNITS2 - MIN_UNITS2 + 1;
        let mut back = Vec::new();
        // Each round puts a different length in each lane, so all 32 lengths meet every lane.
        for round in 0..lengths {
            let mut b = Blocks2::new();
            let mut want = [[0u8; 16]; LANES];
            let mut sent = Vec::new();
            for (lane, want) in want.iter_mut().enumerate() {
                let len = MIN_UNITS2 + (round + lane) % lengths;
                let ascii: Vec<u8> = (0..len).map(|_| 0x20 + rng.below(95) as u8).collect();
                assert!(b.set_bytes(lane, &ascii));
                *want = reference(&ascii.iter().map(|&c| u16::from(c)).collect::<Vec<_>>());
                sent.push(ascii);
            }
            check_all2(&b, &want, &format!("ascii, round {round}"));
            for (lane, sent) in sent.iter().enumerate() {
                assert!(b.lane_bytes_into(lane, &mut back));
                assert_eq!(back, *sent, "lane {lane} read back");
                assert!(b.lane_units(lane).eq(sent.iter().map(|&c| u16::from(c))));
            }
        }
    }

    #[test]
    fn two_blocks_units_bytes_and_strs() {
        let mut rng = Rng(0x5851_F42D_4C95_7F2D);
        let samples = [
            "correct horse battery staple, and then some", // 43 ASCII
            "eftnex.ixgfswsf0000002a1b2c",                 // 27: too short for Blocks2
            "eftnex.ixgfswsf0000002a1b2c3",                // 28
            "pässwörd pässwörd pässwörd pässwörd",         // 35
            "パスワードパスワードパスワードパスワードパスワードパスワード", // 30
            "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑",                // 14 pairs: 28 units
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢𝔘𝔫𝔦𝔠𝔬𝔡𝔢𝔘𝔫𝔦𝔠𝔬𝔡𝔢𝔘𝔫𝔦𝔠𝔬𝔡𝔢𝔘a",              // 29 pairs + 1: 59 units
        ];
        for round in 0..40 {
            let mut b = Blocks2::new();
            let mut want = [[0u8; 16]; LANES];
            let mut sent = Vec::new();
            for (lane, want) in want.iter_mut().enumerate() {
                let units: Vec<u16> = match (lane + round) % 3 {
                    0 => {
                        let s = samples[rng.below(samples.len())];
                        let units: Vec<u16> = s.encode_utf16().collect();
                        let fits = (MIN_UNITS2..=MAX_UNITS2).contains(&units.len());
                        assert_eq!(b.set_str(lane, s), fits, "{s}");
                        if !fits {
                            assert!(b.set_units(lane, &random_units(&mut rng, MIN_UNITS2)));
                            *want = reference(&b.lane_units(lane).collect::<Vec<_>>());
                            sent.push(b.lane_units(lane).collect());
                            continue;
                        }
                        assert_eq!(nt(s), reference(&units));
                        units
                    }
                    1 => {
                        let len = MIN_UNITS2 + rng.below(MAX_UNITS2 - MIN_UNITS2 + 1);
                        let units = random_units(&mut rng, len);
                        assert!(b.set_units(lane, &units));
                        units
                    }
                    _ => {
                        // Latin-1 bytes widened, NUL and 0xFF included.
                        let len = MIN_UNITS2 + rng.below(MAX_UNITS2 - MIN_UNITS2 + 1);
                        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                        assert!(b.set_bytes(lane, &bytes));
                        bytes.iter().map(|&c| u16::from(c)).collect()
                    }
                };
                *want = reference(&units);
                sent.push(units);
            }
            check_all2(&b, &want, &format!("units, bytes and strs, round {round}"));
            let mut bytes = Vec::new();
            for (lane, sent) in sent.iter().enumerate() {
                assert_eq!(b.lane_units(lane).collect::<Vec<_>>(), *sent, "lane {lane}");
                let latin1 = sent.iter().all(|&u| u <= 0xFF);
                assert_eq!(b.lane_bytes_into(lane, &mut bytes), latin1, "lane {lane}");
                if latin1 {
                    assert!(bytes.iter().map(|&c| u16::from(c)).eq(sent.iter().copied()));
                } else {
                    assert!(bytes.is_empty());
                }
            }
        }
    }

    #[test]
    fn two_blocks_shorter_overwrites_longer_and_bounds() {
        let mut b = Blocks2::new();
        // A fresh Blocks2 is 28 NUL units in every lane.
        let mut want = [reference(&[0; MIN_UNITS2]); LANES];
        check_all2(&b, &want, "fresh");
        assert!(b.lane_units(7).eq([0; MIN_UNITS2]));
        for lane in 0..LANES {
            assert!(b.set_units(lane, &[0xFFFF; MAX_UNITS2]));
        }
        want = [reference(&[0xFFFF; MAX_UNITS2]); LANES];
        check_all2(&b, &want, "full lanes");
        let s = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (lane, want) in want.iter_mut().enumerate() {
            let len = MIN_UNITS2 + lane % 5;
            match lane % 3 {
                0 => assert!(b.set_bytes(lane, &s.as_bytes()[..len])),
                1 => assert!(b.set_str(lane, &s[..len])),
                _ => assert!(b.set_units(lane, &s.encode_utf16().take(len).collect::<Vec<_>>())),
            }
            *want = reference(&s.encode_utf16().take(len).collect::<Vec<_>>());
        }
        check_all2(&b, &want, "shorter after longer");
        // Out of range: the lane keeps its candidate.
        let kept: Vec<u16> = b.lane_units(3).collect();
        assert!(!b.set_bytes(3, &[b'x'; MIN_UNITS2 - 1]));
        assert!(!b.set_bytes(3, &[b'x'; MAX_UNITS2 + 1]));
        assert!(!b.set_bytes(3, b""));
        assert!(!b.set_units(3, &[0x41; MIN_UNITS2 - 1]));
        assert!(!b.set_units(3, &[0x41; MAX_UNITS2 + 1]));
        assert!(!b.set_str(3, &"y".repeat(MAX_UNITS2 + 1)));
        assert!(!b.set_str(3, "short"));
        // 30 surrogate pairs: 30 chars but 60 units.
        assert!(!b.set_str(3, &"😀".repeat(30)));
        assert_eq!(b.lane_units(3).collect::<Vec<_>>(), kept);
        check_all2(&b, &want, "rejected candidates");
    }

    #[test]
    fn lane_read_back_one_block() {
        let mut rng = Rng(0xA076_1D64_78BD_642F);
        let mut b = Blocks::new();
        let mut out = vec![0xAA];
        // A fresh Blocks holds empty passwords.
        assert!(b.lane_bytes_into(0, &mut out));
        assert!(out.is_empty());
        assert_eq!(b.lane_units(LANES - 1).count(), 0);
        for _ in 0..20 {
            let mut sent = Vec::new();
            for lane in 0..LANES {
                let len = rng.below(MAX_UNITS + 1);
                let units: Vec<u16> = if lane % 2 == 0 {
                    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                    assert!(b.set_bytes(lane, &bytes));
                    bytes.iter().map(|&c| u16::from(c)).collect()
                } else {
                    let units = random_units(&mut rng, len);
                    assert!(b.set_units(lane, &units));
                    units
                };
                sent.push(units);
            }
            for (lane, sent) in sent.iter().enumerate() {
                assert_eq!(b.lane_units(lane).collect::<Vec<_>>(), *sent, "lane {lane}");
                let latin1 = sent.iter().all(|&u| u <= 0xFF);
                assert_eq!(b.lane_bytes_into(lane, &mut out), latin1, "lane {lane}");
                if latin1 {
                    assert!(out.iter().map(|&c| u16::from(c)).eq(sent.iter().copied()));
                } else {
                    assert!(out.is_empty());
                }
            }
        }
        assert!(b.set_str(4, "pässwörd😀"));
        let units: Vec<u16> = b.lane_units(4).collect();
        assert_eq!(String::from_utf16(&units).unwrap(), "pässwörd😀");
        assert!(!b.lane_bytes_into(4, &mut out));
        assert!(b.set_bytes(4, "pässwörd".as_bytes()));
        assert!(b.lane_bytes_into(4, &mut out));
        assert_eq!(out, "pässwörd".as_bytes());
    }

    #[test]
    #[should_panic(expected = "lane 16 out of 0..16")]
    fn lane_read_back_checks_the_lane() {
        let _ = Blocks2::new().lane_units(LANES);
    }

    #[test]
    fn kernel_dispatch() {
        let all = Kernel::available();
        assert_eq!(all[0], Kernel::Scalar);
        assert!(all.contains(&Kernel::best()));
        assert_eq!(*all.last().unwrap(), Kernel::best());
        let mut b = Blocks::new();
        b.set_str(5, "Summer2024!");
        let mut want = [[0u32; 4]; LANES];
        b.hash_with(Kernel::Scalar, &mut want);
        let mut b2 = Blocks2::new();
        b2.set_str(5, "eftnex.ixgfswsf0000002Summer2024!");
        let mut want2 = [[0u32; 4]; LANES];
        b2.hash_with(Kernel::Scalar, &mut want2);
        assert_eq!(
            digest_bytes(&want2[5]),
            nt("eftnex.ixgfswsf0000002Summer2024!")
        );
        for k in all {
            let mut out = [[0u32; 4]; LANES];
            b.hash_with(k, &mut out);
            assert_eq!(out, want, "{}", k.name());
            b2.hash_with(k, &mut out);
            assert_eq!(out, want2, "{} two blocks", k.name());
        }
    }
}
