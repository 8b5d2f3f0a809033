//! The byte-mutation engine: a seeded generator and the mutations applied to a parent input
//! (bit flips, interesting bytes and tokens, insertions and deletions, chunk duplication, splices
//! from other fixtures, long runs, line-level edits, re-encoding as UTF-16).

/// A small, fast, seeded generator (xorshift64*); the same seed gives the same campaign.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that small seeds still start far apart.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
    /// A length biased towards small values: 1, 2, 4 … up to `max`.
    pub fn small_len(&mut self, max: usize) -> usize {
        let bits = self.below(9);
        (1 + self.below(1 << bits)).min(max.max(1))
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Bytes that make parsers take unusual paths.
const BYTES: &[u8] = &[
    0x00, 0xFF, 0xFE, 0x7F, 0x80, 0xC0, 0xC3, 0xE3, 0xEF, 0xBB, 0xBF, b'\n', b'\r', b'\t', b' ',
    b':', b'$', b',', b'"', b'=', b'#', b';', b'[', b']', b'{', b'}', b'\\', b'*', b'!', b'-',
    b'+', b'.', b'/', b'0', b'9', b'a', b'F', b'x', b'\'',
];

/// Tokens of the formats kensa reads (and numbers at the edges of the integer types).
const TOKENS: &[&str] = &[
    "$6$",
    "$5$",
    "$1$",
    "$y$",
    "$2b$",
    "$2y$05$",
    "$apr1$",
    "$argon2id$v=19$m=1024,t=1,p=1$",
    "$pbkdf2-sha256$",
    "$scrypt$",
    "$7$",
    "$NT$",
    "$LM$",
    "{SSHA}",
    "{SHA}",
    "{CRYPT}",
    "{MD5}",
    "$HEX[",
    "$HEX[]",
    "$HEX[41]",
    "$hex[41]",
    "]",
    "::",
    ":::",
    "::: (status=Enabled)",
    " (status=Disabled)",
    " (pwdLastSet=never)",
    " (pwdLastSet=2025-10-01 09:00)",
    "_history0",
    "\\",
    "$:",
    "aad3b435b51404eeaad3b435b51404ee",
    "31d6cfe0d16ae931b73c59d7e0c089c0",
    "8846f7eaee8fb117ad06bdd830b7586c",
    "\r\n",
    "\n\n",
    "\u{feff}",
    "\u{3000}",
    "コロ病院",
    "システム",
    "二要素認証",
    "はい",
    "\"\"",
    "\",\"",
    "system,account,password,mfa\n",
    "system,account,hash\n",
    "[System Access]\r\n",
    "[Unicode]\r\nUnicode=yes\r\n",
    "MinimumPasswordLength = ",
    "MaximumPasswordAge = -1",
    "PasswordComplexity = 1",
    "PASS_MAX_DAYS\t",
    "minlen = ",
    "dcredit = -1",
    "minclass = 4",
    "enforce_for_root",
    "min_length = ",
    "require = [\"letter\", \"digit\", \"symbol\"]",
    "max_age_days = ",
    "[[system]]\nid = \"x\"\n",
    "inputs = [\"",
    "dn: ",
    "userPassword: ",
    "userPassword:: ",
    "userPassword:< file:///etc/passwd",
    "\n ",
    "-1",
    "0",
    "1",
    "99999",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "9223372036854775807",
    "340282366920938463463374607431768211456",
    "1e308",
    "NaN",
    "+1",
    "0x10",
    "0018A45C4D1DEF81644B54AB7F969B88D65:",
    "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:",
    "8846F7EAEE8FB117AD06BDD830B7586C:",
    ":0\r\n",
    ":1\r\n",
];

/// The separators mutations like to land next to.
const SEPARATORS: &[u8] = b"\n:,=$\"[]{} \t;";

/// Applies a stack of 1 to 16 random mutations to `data` (kept at most `max_len` bytes);
/// `donors` are other inputs to splice from.
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>, donors: &[Vec<u8>], max_len: usize) {
    let n = 1 << rng.below(5);
    for _ in 0..n.min(16) {
        one(rng, data, donors, max_len);
        if data.len() > max_len {
            data.truncate(max_len);
        }
    }
}

/// A position in `data` (or its end), often next to a separator.
fn pos(rng: &mut Rng, data: &[u8]) -> usize {
    let p = rng.below(data.len() + 1);
    if rng.chance(400) {
        if let Some(i) = data[p..].iter().position(|b| SEPARATORS.contains(b)) {
            return p + i + rng.below(2);
        }
    }
    p
}

/// The `[start, end)` of a random line of `data` (with its `\n`).
fn line_at(rng: &mut Rng, data: &[u8]) -> (usize, usize) {
    let p = rng.below(data.len() + 1);
    let start = data[..p]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = data[p..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(data.len(), |i| p + i + 1);
    (start, end)
}

/// A random chunk of `data`: a whole line half of the time.
fn chunk<'a>(rng: &mut Rng, data: &'a [u8]) -> &'a [u8] {
    if data.is_empty() {
        return data;
    }
    if rng.chance(500) {
        let (s, e) = line_at(rng, data);
        return &data[s..e];
    }
    let s = rng.below(data.len());
    let l = rng.small_len(data.len() - s);
    &data[s..s + l]
}

fn one(rng: &mut Rng, data: &mut Vec<u8>, donors: &[Vec<u8>], max_len: usize) {
    match rng.below(20) {
        // Flip a bit.
        0 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        // Overwrite a byte with an interesting one.
        1 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] = *rng.pick(BYTES);
        }
        // Insert an interesting byte.
        2 => {
            let i = pos(rng, data);
            data.insert(i, *rng.pick(BYTES));
        }
        // Delete a run of bytes.
        3 if !data.is_empty() => {
            let i = rng.below(data.len());
            let l = rng.small_len(data.len() - i);
            data.drain(i..i + l);
        }
        // Duplicate a chunk somewhere else.
        4 if !data.is_empty() => {
            let c = chunk(rng, data).to_vec();
            let i = pos(rng, data);
            data.splice(i..i, c);
        }
        // Splice in a chunk of another input (often a whole line of another format).
        5 | 6 if !donors.is_empty() => {
            let d = rng.pick(donors);
            let c = chunk(rng, d).to_vec();
            let i = if rng.chance(300) {
                line_at(rng, data).0
            } else {
                pos(rng, data)
            };
            data.splice(i..i, c);
        }
        // A long run of one byte (a very long line, field or number).
        7 => {
            let l = *rng.pick(&[17usize, 64, 255, 256, 1000, 1025, 4096, 65_536, 300_000]);
            let b = *rng.pick(BYTES);
            let i = pos(rng, data);
            let l = l.min(max_len.saturating_sub(data.len()));
            data.splice(i..i, std::iter::repeat_n(b, l));
        }
        // Insert a token of some format.
        8 | 9 => {
            let t = rng.pick(TOKENS).as_bytes();
            let i = pos(rng, data);
            data.splice(i..i, t.iter().copied());
        }
        // Delete a line.
        10 if !data.is_empty() => {
            let (s, e) = line_at(rng, data);
            data.drain(s..e);
        }
        // Duplicate a line, or swap two.
        11 if !data.is_empty() => {
            let (s, e) = line_at(rng, data);
            let line = data[s..e].to_vec();
            if rng.chance(500) {
                let (s2, _) = line_at(rng, data);
                data.splice(s2..s2, line);
            } else {
                let (s2, e2) = line_at(rng, data);
                if e <= s2 {
                    let other = data[s2..e2].to_vec();
                    data.splice(s2..e2, line);
                    data.splice(s..e, other);
                }
            }
        }
        // Truncate.
        12 if !data.is_empty() => {
            let i = rng.below(data.len());
            data.truncate(i);
        }
        // Replace a run of digits with a number at an edge.
        13 => {
            let p = rng.below(data.len() + 1);
            if let Some(s) = data[p..].iter().position(u8::is_ascii_digit).map(|i| p + i) {
                let e = data[s..]
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .map_or(data.len(), |i| s + i);
                let n = *rng.pick(&[
                    "0",
                    "-1",
                    "4294967296",
                    "18446744073709551616",
                    "99999999999999999999999",
                    "00000000000000000000001",
                    "-0",
                ]);
                data.splice(s..e, n.bytes());
            }
        }
        // Random bytes over a chunk.
        14 if !data.is_empty() => {
            let i = rng.below(data.len());
            let l = rng.small_len(data.len() - i).min(32);
            for b in &mut data[i..i + l] {
                *b = rng.next() as u8;
            }
        }
        // Change the case of a chunk.
        15 if !data.is_empty() => {
            let i = rng.below(data.len());
            let l = rng.small_len(data.len() - i);
            let up = rng.chance(500);
            for b in &mut data[i..i + l] {
                *b = if up {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                };
            }
        }
        // Change line endings: all `\n` to `\r\n`, `\r` alone, or none.
        16 => {
            let mut out = Vec::with_capacity(data.len() + data.len() / 16);
            let how = rng.below(3);
            for &b in data.iter() {
                match (b, how) {
                    (b'\n', 0) => out.extend_from_slice(b"\r\n"),
                    (b'\n', 1) => out.push(b'\r'),
                    (b'\r', 2) => {}
                    _ => out.push(b),
                }
            }
            *data = out;
        }
        // A byte-order mark, or re-encode the whole input as UTF-16 (LE or BE, with BOM).
        17 => {
            if rng.chance(500) {
                const BOMS: [&[u8]; 3] = [&[0xEF, 0xBB, 0xBF], &[0xFF, 0xFE], &[0xFE, 0xFF]];
                let bom = *rng.pick(&BOMS);
                data.splice(0..0, bom.iter().copied());
            } else if let Ok(text) = std::str::from_utf8(data) {
                let le = rng.chance(800);
                let mut out: Vec<u8> = if le {
                    vec![0xFF, 0xFE]
                } else {
                    vec![0xFE, 0xFF]
                };
                for u in text.encode_utf16() {
                    out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
                }
                *data = out;
            }
        }
        // Cross-over: keep a head of this input and the tail of another.
        18 if !donors.is_empty() => {
            let d = rng.pick(donors);
            let i = rng.below(data.len() + 1);
            let j = rng.below(d.len() + 1);
            data.truncate(i);
            data.extend_from_slice(&d[j..]);
        }
        // Insert a multi-byte, a broken or an overlong UTF-8 sequence.
        _ => {
            const SEQS: [&[u8]; 8] = [
                "é".as_bytes(),
                "病".as_bytes(),
                "😀".as_bytes(),
                &[0xE3, 0x81],
                &[0xC0, 0xAF],
                &[0xED, 0xA0, 0x80],
                &[0xF4, 0x90, 0x80, 0x80],
                &[0xE2, 0x80, 0xA8],
            ];
            let seq = *rng.pick(&SEQS);
            let i = pos(rng, data);
            data.splice(i..i, seq.iter().copied());
        }
    }
}
