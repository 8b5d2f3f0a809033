//! Linux PAM password settings as one source states them (libpwquality options, pam_faillock and
//! pam_tally2 options), kept raw: what a setting means can depend on another file (credits in a
//! drop-in shorten the `minlen` of pwquality.conf), so a system's sources are combined in the order
//! PAM reads them (`rules::linux`) before anything is judged.

/// Where a source stands in the order PAM reads it; a later layer overrides an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Layer {
    /// `pwquality.conf.d/*.conf`: libpwquality reads these first, in name order.
    #[default]
    PwqualityDropIn,
    /// `pwquality.conf`, read after its drop-ins (its values override theirs).
    Pwquality,
    /// `faillock.conf`.
    Faillock,
    /// Module arguments on PAM lines: pam_pwquality and pam_faillock apply them after their files.
    Pam,
}

/// The Linux settings of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinuxSettings {
    pub layer: Layer,
    pub pwquality: Pwquality,
    pub faillock: Faillock,
}

/// libpwquality options that decide which passwords are accepted; `None` = not set by this source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pwquality {
    pub minlen: Option<i64>,
    pub dcredit: Option<i64>,
    pub ucredit: Option<i64>,
    pub lcredit: Option<i64>,
    pub ocredit: Option<i64>,
    pub minclass: Option<i64>,
    pub enforcing: Option<i64>,
    /// libpwquality stopped reading at a line it rejects (an unknown option, a bad number): the
    /// files it would read after this one (pwquality.conf after a drop-in) are not read either.
    pub halted: bool,
    /// A `password` line of a PAM file calls pam_pwquality.
    pub in_stack: bool,
    /// ... with a control under which a failed check does not stop the change (`optional`).
    pub optional: bool,
}

impl Pwquality {
    /// Apply `later` over `self`: each option `later` sets replaces this one's.
    pub fn overlay(&mut self, later: &Pwquality) {
        for (mine, theirs) in [
            (&mut self.minlen, later.minlen),
            (&mut self.dcredit, later.dcredit),
            (&mut self.ucredit, later.ucredit),
            (&mut self.lcredit, later.lcredit),
            (&mut self.ocredit, later.ocredit),
            (&mut self.minclass, later.minclass),
            (&mut self.enforcing, later.enforcing),
        ] {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
        self.halted |= later.halted;
        self.in_stack |= later.in_stack;
        self.optional |= later.optional;
    }
}

/// pam_faillock options (times in seconds, as pam_faillock reads them); `None` = not set here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faillock {
    pub deny: Option<u32>,
    /// `0` (or `never`) = a locked account is not unlocked automatically.
    pub unlock_time: Option<u64>,
    pub fail_interval: Option<u64>,
    /// An `auth` line of a PAM file calls pam_faillock.
    pub in_stack: bool,
    /// A faillock.conf sets at least one option: pam_faillock is taken to be in use.
    pub configured: bool,
    /// An `auth` line calls pam_tally2 instead (no file; no lockout unless `deny` is set).
    pub tally2: Option<Tally2>,
}

impl Faillock {
    /// Apply `later` over `self`: each option `later` sets replaces this one's.
    pub fn overlay(&mut self, later: &Faillock) {
        if later.deny.is_some() {
            self.deny = later.deny;
        }
        if later.unlock_time.is_some() {
            self.unlock_time = later.unlock_time;
        }
        if later.fail_interval.is_some() {
            self.fail_interval = later.fail_interval;
        }
        self.in_stack |= later.in_stack;
        self.configured |= later.configured;
        if self.tally2.is_none() {
            self.tally2 = later.tally2;
        }
    }
}

/// pam_tally2 module arguments (seconds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally2 {
    pub deny: Option<u32>,
    pub unlock_time: Option<u64>,
}
