//! The facts behind a finding's detail (the numbers and the kind of reason), held as typed data
//! so `words::details` can say them in Japanese or English. The English detail stored in
//! evidence.json is rendered from these same facts, so the two languages cannot drift.
//!
//! Everything here is `Copy` and inline: a million-account audit builds millions of findings, and
//! the facts must not add a heap allocation to each one.

use super::{PasswordSet, Scheme};
use crate::model::tags::Via;

/// Character classes as a set (letters, digits, symbols); named in that order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Classes(pub u8);

impl Classes {
    pub const LETTER: u8 = 1;
    pub const DIGIT: u8 = 2;
    pub const SYMBOL: u8 = 4;

    pub fn with(self, bit: u8) -> Self {
        Classes(self.0 | bit)
    }
    /// The classes in the set, in the order letters, digits, symbols.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        [Self::LETTER, Self::DIGIT, Self::SYMBOL]
            .into_iter()
            .filter(move |b| self.0 & b != 0)
    }
}

/// A short text held inline (an edition id such as `R7`): at most [`Tag::CAP`] bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag {
    len: u8,
    bytes: [u8; Tag::CAP],
}

impl Tag {
    pub const CAP: usize = 15;

    /// `s` inline, or `None` when it is longer than [`Tag::CAP`] bytes.
    pub fn new(s: &str) -> Option<Tag> {
        if s.len() > Self::CAP {
            return None;
        }
        let mut bytes = [0u8; Self::CAP];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Some(Tag {
            len: s.len() as u8,
            bytes,
        })
    }
    pub fn as_str(&self) -> &str {
        // Copied whole from a `&str` in `new`.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl std::fmt::Debug for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Why a password (or a policy's minimum length) is too short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShortOf {
    /// Below the edition's floor (8): no path can hold.
    Floor,
    /// A PIN unlocking the second factor, below the PIN minimum.
    Pin,
    /// Below the two-factor path's minimum, with two-factor authentication.
    Mfa,
    /// Below the long path's minimum without two-factor authentication, in an edition where
    /// periodic change is no longer a way to pass (its id).
    NoRotationPath(Tag),
    /// Below the rotation path's minimum, with rotation enforced.
    Rotation,
    /// Below the long path's minimum with neither two-factor nor rotation within `max_days`.
    NoWay { max_days: u32 },
}

/// One reason a password is guessable (`rules::guess`), in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum GuessWhy {
    Wordlist = 0,
    WordlistLeet,
    WordlistInserted,
    Default,
    ContextWord,
    Username,
    WordPlusAffix,
    Sequence,
    Repeat,
    KeyboardWalk,
    Date,
    Zxcvbn,
}

impl GuessWhy {
    pub const ALL: [GuessWhy; 12] = [
        GuessWhy::Wordlist,
        GuessWhy::WordlistLeet,
        GuessWhy::WordlistInserted,
        GuessWhy::Default,
        GuessWhy::ContextWord,
        GuessWhy::Username,
        GuessWhy::WordPlusAffix,
        GuessWhy::Sequence,
        GuessWhy::Repeat,
        GuessWhy::KeyboardWalk,
        GuessWhy::Date,
        GuessWhy::Zxcvbn,
    ];
}

/// The reasons a password is guessable, as a set, and the zxcvbn estimate when it is one of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guesses {
    set: u16,
    /// zxcvbn's score (0–4).
    pub score: u8,
    /// zxcvbn's log10 of the guesses, as `f64` bits (kept exact so the detail prints as before).
    log10_bits: u64,
}

impl Guesses {
    pub fn with(mut self, why: GuessWhy) -> Self {
        self.set |= 1 << why as u8;
        self
    }
    /// With the zxcvbn reason and its estimate.
    pub fn zxcvbn(self, score: u8, log10: f64) -> Self {
        let mut g = self.with(GuessWhy::Zxcvbn);
        g.score = score;
        g.log10_bits = log10.to_bits();
        g
    }
    /// Both sets of reasons (the zxcvbn estimate of whichever has it).
    pub fn union(self, other: Guesses) -> Self {
        let mut g = if other.has(GuessWhy::Zxcvbn) {
            other
        } else {
            self
        };
        g.set = self.set | other.set;
        g
    }
    pub fn has(&self, why: GuessWhy) -> bool {
        self.set & (1 << why as u8) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.set == 0
    }
    pub fn log10(&self) -> f64 {
        f64::from_bits(self.log10_bits)
    }
    /// The reasons in the order the checks run.
    pub fn iter(self) -> impl Iterator<Item = GuessWhy> {
        GuessWhy::ALL.into_iter().filter(move |w| self.has(*w))
    }
    /// Only the reasons in `keep`.
    pub fn only(mut self, keep: impl Fn(GuessWhy) -> bool) -> Self {
        for w in GuessWhy::ALL {
            if !keep(w) {
                self.set &= !(1 << w as u8);
            }
        }
        self
    }
}

/// How a current password follows from one in its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HistoryChange {
    Same,
    Incremented,
    EndsChanged,
}

/// The facts of one finding's detail. `Text` is a detail known only as its English words (a
/// finding read back from an evidence.json, or built by a test); every other kind is rendered in
/// either language by `words::detail`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facts {
    #[default]
    Text,
    Empty,
    FactoryDefault,
    Guessable(Guesses),
    NonAscii,
    /// `len` characters, `min` asked.
    TooShort {
        len: u32,
        min: u32,
        of: ShortOf,
    },
    /// The classes missing, of the classes the path in view asks for.
    NotMixed {
        missing: Classes,
        asked: Classes,
    },
    /// An enforced maximum age of `days` above the edition's `max_days` (account or policy).
    RotationTooLong {
        days: i64,
        max_days: u32,
    },
    NoRotation,
    LmStored,
    PlaintextStored,
    WeakScheme(Scheme),
    Breached {
        count: u64,
        via: Via,
    },
    /// The NIST advisory for one account: a single-factor password of `len` < 15 characters.
    NistShort {
        len: u32,
    },
    /// A member of reuse group `R{group}` with `others` other members on `systems` systems
    /// (`None`: all on this system).
    Reused {
        group: u32,
        others: u32,
        systems: Option<u32>,
    },
    /// The current password follows from history entry `index`; `only_rotation`: rotation is
    /// its only way to pass 2-⑦.
    Predictable {
        change: HistoryChange,
        index: u32,
        only_rotation: bool,
    },
    /// The password is older than the enforced maximum age: last set on `last`, `age_days` before
    /// the check date (`None` when never set).
    AgeExceeded {
        last: PasswordSet,
        age_days: Option<u32>,
        max_days: u32,
        only_rotation: bool,
    },
    /// Policy: a maximum length below 64 (NIST advisory).
    PolicyMaxLength {
        max: u32,
    },
    /// Policy: rotation is enforced (NIST advisory); `allowed`: the checklist edition still
    /// counts it as a way to pass.
    PolicyRotation {
        allowed: bool,
    },
    /// Policy: composition rules are enforced (NIST advisory).
    PolicyComposition,
    /// Policy: no source configures lockout.
    PolicyNoLockout,
    /// Policy: lockout is off (threshold 0).
    PolicyLockoutOff,
    /// Policy: single-factor minimum below 15 (NIST advisory).
    PolicySingleFactor,
    /// Policy: Windows `PasswordComplexity = 1` (3 of 4 categories) does not guarantee a symbol.
    PolicyComplexity3of4,
    /// Policy: classes the policy does not require.
    PolicyMissing {
        missing: Classes,
    },
    /// Policy: a minimum length of `len` below `min`.
    PolicyMinLength {
        len: u32,
        min: u32,
        of: ShortOf,
    },
    /// Policy: no maximum age is enforced.
    PolicyNoRotation,
}
