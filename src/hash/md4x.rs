//! Multi-buffer MD4 for NT candidates (placeholder: one lane at a time through the `md4` crate).

use md4::{Digest, Md4};

/// Candidates hashed per call.
pub const LANES: usize = 16;
/// Longest UTF-16LE message (in code units) one MD4 block holds.
pub const MAX_UNITS: usize = 27;

/// LANES message blocks.
#[derive(Clone)]
pub struct Blocks {
    msgs: [([u16; MAX_UNITS], usize); LANES],
}

impl Default for Blocks {
    fn default() -> Self {
        Self::new()
    }
}

impl Blocks {
    pub fn new() -> Self {
        Blocks {
            msgs: [([0; MAX_UNITS], 0); LANES],
        }
    }
    pub fn set_bytes(&mut self, lane: usize, bytes: &[u8]) -> bool {
        if bytes.len() > MAX_UNITS {
            return false;
        }
        for (d, b) in self.msgs[lane].0.iter_mut().zip(bytes) {
            *d = u16::from(*b);
        }
        self.msgs[lane].1 = bytes.len();
        true
    }
    pub fn set_units(&mut self, lane: usize, units: &[u16]) -> bool {
        if units.len() > MAX_UNITS {
            return false;
        }
        self.msgs[lane].0[..units.len()].copy_from_slice(units);
        self.msgs[lane].1 = units.len();
        true
    }
    pub fn set_str(&mut self, lane: usize, s: &str) -> bool {
        let units: Vec<u16> = s.encode_utf16().collect();
        self.set_units(lane, &units)
    }
    #[allow(clippy::should_implement_trait)]
    pub fn hash(&self, out: &mut [[u32; 4]; LANES]) {
        for (o, (m, n)) in out.iter_mut().zip(&self.msgs) {
            let bytes: Vec<u8> = m[..*n].iter().flat_map(|u| u.to_le_bytes()).collect();
            let d: [u8; 16] = Md4::digest(&bytes).into();
            for (i, w) in o.iter_mut().enumerate() {
                *w = u32::from_le_bytes([d[4 * i], d[4 * i + 1], d[4 * i + 2], d[4 * i + 3]]);
            }
        }
    }
}

/// The NT digest of one string.
pub fn nt(s: &str) -> [u8; 16] {
    let bytes: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
    Md4::digest(&bytes).into()
}
