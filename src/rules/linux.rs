//! A Linux system's PAM sources combined as PAM reads them, and what the result guarantees in the
//! terms of the policy model.
//!
//! Order: libpwquality reads `pwquality.conf.d/*.conf` in name order, then `pwquality.conf` (whose
//! values override the drop-ins'), and pam_pwquality applies its module arguments last; a file with
//! an option libpwquality rejects stops the reading there, so a bad drop-in keeps pwquality.conf
//! from being read. pam_faillock reads faillock.conf, then its module arguments.
//!
//! Meaning, checked against libpwquality 1.4.5 (python3-pwquality) and Linux-PAM's pam_faillock:
//! - `minlen` is raised to 6 (default 8). Each positive credit lets up to that many characters of its
//!   class count twice, so the shortest accepted password has max(minlen − Σ positive credits,
//!   ⌈minlen / 2⌉) characters, and at least as many as the negative credits require together.
//! - Negative credits require that many characters of the class; `minclass` (at most 4) counts
//!   digits, upper, lower and other ("other" is anything else, a space too).
//! - `enforcing = 0`, or pam_pwquality under an `optional` control, only warns: nothing is guaranteed.
//! - pam_faillock locks after `deny` failures (default 3; 0 = never) within `fail_interval` seconds
//!   (default 900; 0 = no failure counts), for `unlock_time` seconds (default 600; 0 or `never` =
//!   until an administrator resets it). pam_tally2 locks only when `deny` is set.

use crate::model::linux::{Faillock, Layer, LinuxSettings, Pwquality};
use crate::model::{CharClass, PolicyFragment};

/// Replace the Linux sources among `fragments` by what they state together: the first of them
/// carries the combined guarantees, the others only their source. Other fragments are kept as
/// they are, in place.
pub fn combine(fragments: &[PolicyFragment]) -> Vec<PolicyFragment> {
    let Some(first) = fragments.iter().position(|f| f.linux.is_some()) else {
        return fragments.to_vec();
    };
    let mut linux: Vec<&PolicyFragment> = fragments.iter().filter(|f| f.linux.is_some()).collect();
    // Stable: sources of one layer keep their order; drop-in files given one by one go by name.
    linux.sort_by(|a, b| order(a).cmp(&order(b)));
    let settings: Vec<&LinuxSettings> = linux.iter().filter_map(|f| f.linux.as_deref()).collect();
    let combined = guarantees(&settings);
    fragments
        .iter()
        .enumerate()
        .map(|(i, f)| match &f.linux {
            None => f.clone(),
            Some(_) if i == first => PolicyFragment {
                source: f.source.clone(),
                ..combined.clone()
            },
            Some(_) => PolicyFragment {
                source: f.source.clone(),
                ..PolicyFragment::default()
            },
        })
        .collect()
}

/// What Linux settings, in the order PAM reads them, guarantee (a fragment without a source).
pub fn guarantees(settings: &[&LinuxSettings]) -> PolicyFragment {
    let mut pwq = Pwquality::default();
    // Some source states libpwquality settings (a file, or pam_pwquality in the stack).
    let mut read = false;
    // A drop-in stopped libpwquality's reading: pwquality.conf is not read.
    let mut stopped = false;
    let mut fl = Faillock::default();
    for s in settings {
        match s.layer {
            Layer::PwqualityDropIn | Layer::Pwquality => {
                read = true;
                if !stopped {
                    pwq.overlay(&s.pwquality);
                }
                stopped |= s.layer == Layer::PwqualityDropIn && s.pwquality.halted;
            }
            Layer::Faillock => fl.overlay(&s.faillock),
            Layer::Pam => {
                read |= s.pwquality.in_stack;
                pwq.overlay(&s.pwquality);
                fl.overlay(&s.faillock);
            }
        }
    }
    let mut p = PolicyFragment::default();
    if read {
        pwquality_into(&pwq, &mut p);
    }
    lockout_into(&fl, &mut p);
    p
}

/// libpwquality's default `minlen` and its floor.
const DEFAULT_MINLEN: i64 = 8;
const MIN_MINLEN: i64 = 6;
/// pam_faillock's defaults (seconds for times).
const FAILLOCK_DENY: u32 = 3;
const FAILLOCK_UNLOCK_TIME: u64 = 600;
const FAILLOCK_FAIL_INTERVAL: u64 = 900;

/// Length and classes libpwquality guarantees. Nothing is guaranteed when the check only warns.
fn pwquality_into(s: &Pwquality, p: &mut PolicyFragment) {
    if s.enforcing == Some(0) || s.optional {
        return;
    }
    let credits = [s.dcredit, s.ucredit, s.lcredit, s.ocredit];
    if s.minlen.is_some() || credits.iter().any(Option::is_some) {
        let minlen = s.minlen.unwrap_or(DEFAULT_MINLEN).max(MIN_MINLEN);
        let bonus: i64 = credits.iter().flatten().filter(|c| **c > 0).sum();
        let required: i64 = credits
            .iter()
            .flatten()
            .filter(|c| **c < 0)
            .map(|c| -c)
            .sum();
        let shortest = (minlen - bonus).max((minlen + 1) / 2).max(required);
        p.min_length = u32::try_from(shortest).ok();
    }
    let required = |c: Option<i64>| c.is_some_and(|c| c < 0);
    let (d, u, l, o) = (
        required(s.dcredit),
        required(s.ucredit),
        required(s.lcredit),
        required(s.ocredit),
    );
    let minclass = s.minclass.unwrap_or(0).clamp(0, 4);
    if s.minclass.is_some() {
        p.min_class = u32::try_from(minclass).ok();
    }
    let all = minclass >= 4;
    // Without upper and lower only digits and other remain: three classes force a letter.
    let letter = u || l || minclass >= 3;
    for (on, class) in [
        (letter, CharClass::Letter),
        (d || all, CharClass::Digit),
        (o || all, CharClass::Symbol),
        (u || all, CharClass::Upper),
        (l || all, CharClass::Lower),
    ] {
        if on {
            p.require.push(class);
        }
    }
}

/// The lockout pam_faillock (or pam_tally2) applies, when either is in use.
fn lockout_into(f: &Faillock, p: &mut PolicyFragment) {
    if f.in_stack || f.configured {
        let interval = f.fail_interval.unwrap_or(FAILLOCK_FAIL_INTERVAL);
        // With no interval no failure is counted: nothing is ever locked.
        let deny = if interval == 0 {
            0
        } else {
            f.deny.unwrap_or(FAILLOCK_DENY)
        };
        p.lockout_threshold = Some(deny);
        if deny > 0 {
            p.lockout_duration_minutes =
                Some(minutes(f.unlock_time.unwrap_or(FAILLOCK_UNLOCK_TIME)));
            p.lockout_reset_minutes = u32::try_from(interval.div_ceil(60)).ok();
        }
    } else if let Some(t) = f.tally2 {
        let deny = t.deny.unwrap_or(0);
        p.lockout_threshold = Some(deny);
        if deny > 0 {
            p.lockout_duration_minutes = Some(t.unlock_time.map_or(-1, minutes));
        }
    }
}

/// Seconds as whole minutes, rounded up; 0 (never unlocked automatically) is `-1`.
fn minutes(seconds: u64) -> i64 {
    if seconds == 0 {
        -1
    } else {
        i64::try_from(seconds.div_ceil(60)).unwrap_or(i64::MAX)
    }
}

/// Sort key: layer, then (for drop-in files given one by one) the file name.
fn order(f: &PolicyFragment) -> (Layer, &str) {
    let layer = f.linux.as_ref().map_or(Layer::Pam, |l| l.layer);
    let name = match layer {
        Layer::PwqualityDropIn => f.source.rsplit(['/', '\\']).next().unwrap_or(&f.source),
        _ => "",
    };
    (layer, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::linux::Tally2;
    use CharClass::*;

    fn pwq(layer: Layer, p: Pwquality) -> LinuxSettings {
        LinuxSettings {
            layer,
            pwquality: p,
            ..LinuxSettings::default()
        }
    }

    fn conf(minlen: Option<i64>, credits: [Option<i64>; 4], minclass: Option<i64>) -> Pwquality {
        Pwquality {
            minlen,
            dcredit: credits[0],
            ucredit: credits[1],
            lcredit: credits[2],
            ocredit: credits[3],
            minclass,
            ..Pwquality::default()
        }
    }

    fn of(p: Pwquality) -> PolicyFragment {
        guarantees(&[&pwq(Layer::Pwquality, p)])
    }

    #[test]
    fn negative_credits_require_classes() {
        let p = of(conf(Some(14), [Some(-1), Some(-1), None, Some(-2)], None));
        assert_eq!(p.min_length, Some(14));
        assert_eq!(p.require, [Letter, Digit, Symbol, Upper]);
        assert_eq!(p.min_class, None);
    }

    #[test]
    fn positive_credits_shorten_the_minimum() {
        // Oracle (libpwquality 1.4.5): minlen=8 with four credits of 1 accepts "aB3$" (4 chars);
        // minlen=12 accepts 8; minlen=9 dcredit=3 accepts "abc123" (6); minlen=6 dcredit=5 accepts "193".
        let ones = [Some(1); 4];
        assert_eq!(of(conf(Some(8), ones, None)).min_length, Some(4));
        assert_eq!(of(conf(Some(12), ones, None)).min_length, Some(8));
        let d = |n| [Some(n), None, None, None];
        assert_eq!(of(conf(Some(9), d(3), None)).min_length, Some(6));
        assert_eq!(of(conf(Some(6), d(5), None)).min_length, Some(3));
        assert_eq!(
            of(conf(Some(5), [None; 4], None)).min_length,
            Some(6),
            "minlen is raised to 6"
        );
        assert_eq!(
            of(conf(None, d(-1), None)).min_length,
            Some(8),
            "default minlen 8"
        );
        // Oracle: minlen=6 dcredit=-8 rejects 7 digits and accepts 8.
        assert_eq!(of(conf(Some(6), d(-8), None)).min_length, Some(8));
        assert_eq!(of(Pwquality::default()).min_length, None);
    }

    #[test]
    fn minclass_guarantees() {
        let p = of(conf(Some(8), [None; 4], Some(4)));
        assert_eq!(p.min_class, Some(4));
        assert_eq!(p.require, [Letter, Digit, Symbol, Upper, Lower]);
        let p = of(conf(Some(8), [None; 4], Some(3)));
        assert_eq!(p.min_class, Some(3));
        assert_eq!(
            p.require,
            [Letter],
            "3 classes force a letter, not a symbol"
        );
        assert_eq!(of(conf(None, [None; 4], Some(2))).require, []);
        assert_eq!(of(conf(None, [None; 4], Some(9))).min_class, Some(4));
    }

    #[test]
    fn warn_only_guarantees_nothing() {
        let mut p = conf(Some(14), [Some(-1); 4], Some(4));
        p.enforcing = Some(0);
        assert_eq!(of(p.clone()), PolicyFragment::default());
        p.enforcing = None;
        p.optional = true;
        assert_eq!(of(p), PolicyFragment::default());
    }

    #[test]
    fn drop_ins_then_the_main_file_then_module_arguments() {
        // Oracle (libpwquality 1.4.5): pwquality.conf `minlen = 10` with drop-ins 10-a.conf
        // `minlen = 12` and 50-x.conf `minlen = 20, dcredit = -1` reads minlen 10, dcredit -1.
        let a = pwq(Layer::PwqualityDropIn, conf(Some(12), [None; 4], None));
        let x = pwq(
            Layer::PwqualityDropIn,
            conf(Some(20), [Some(-1), None, None, None], None),
        );
        let main = pwq(Layer::Pwquality, conf(Some(10), [None; 4], None));
        let p = guarantees(&[&a, &x, &main]);
        assert_eq!(p.min_length, Some(10));
        assert_eq!(p.require, [Digit]);
        // pam_pwquality's arguments override both.
        let mut args = conf(Some(15), [None; 4], Some(4));
        args.in_stack = true;
        let args = pwq(Layer::Pam, args);
        let p = guarantees(&[&a, &x, &main, &args]);
        assert_eq!(p.min_length, Some(15));
        assert_eq!(p.min_class, Some(4));
    }

    #[test]
    fn a_rejected_drop_in_keeps_the_main_file_unread() {
        // Oracle: drop-ins 10-a.conf `dcredit=-1`, 20-b.conf `typo = 1`, 30-c.conf `ucredit=-1`
        // and pwquality.conf `minlen = 14, minclass = 4` read minlen 8, dcredit -1 and nothing else.
        let mut bad = conf(None, [Some(-1), None, None, None], None);
        bad.halted = true;
        let dir = pwq(Layer::PwqualityDropIn, bad);
        let main = pwq(Layer::Pwquality, conf(Some(14), [None; 4], Some(4)));
        let p = guarantees(&[&dir, &main]);
        assert_eq!(p.min_length, Some(8));
        assert_eq!(p.require, [Digit]);
        assert_eq!(p.min_class, None);
        // The main file's own stop only cuts what follows in it (already left out when read).
        let mut m = conf(Some(14), [None; 4], Some(4));
        m.halted = true;
        let p = guarantees(&[&pwq(Layer::Pwquality, m)]);
        assert_eq!(p.min_length, Some(14));
    }

    #[test]
    fn combine_keeps_every_source_and_other_fragments_in_place() {
        let frag = |source: &str, layer, p: Pwquality| PolicyFragment {
            source: source.into(),
            linux: Some(Box::new(pwq(layer, p))),
            ..PolicyFragment::default()
        };
        let login = PolicyFragment {
            source: "login.defs".into(),
            max_age_days: Some(60),
            ..PolicyFragment::default()
        };
        let out = combine(&[
            frag(
                "pwquality.conf",
                Layer::Pwquality,
                conf(Some(14), [None; 4], None),
            ),
            login.clone(),
            frag(
                "pwquality.conf.d/50-cis.conf",
                Layer::PwqualityDropIn,
                conf(Some(9), [None; 4], Some(4)),
            ),
        ]);
        let sources: Vec<&str> = out.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(
            sources,
            [
                "pwquality.conf",
                "login.defs",
                "pwquality.conf.d/50-cis.conf"
            ]
        );
        assert_eq!(
            out[0].min_length,
            Some(14),
            "the main file overrides the drop-in"
        );
        assert_eq!(out[0].min_class, Some(4));
        assert!(out[0].linux.is_none());
        assert_eq!(out[1], login);
        assert_eq!(out[2].min_length, None);
        assert_eq!(combine(std::slice::from_ref(&login)), [login]);
    }

    fn lockout(f: Faillock, layer: Layer) -> (Option<u32>, Option<i64>, Option<u32>) {
        let s = LinuxSettings {
            layer,
            faillock: f,
            ..LinuxSettings::default()
        };
        let p = guarantees(&[&s]);
        (
            p.lockout_threshold,
            p.lockout_duration_minutes,
            p.lockout_reset_minutes,
        )
    }

    #[test]
    fn faillock_defaults_overrides_and_off() {
        // A faillock.conf that sets nothing says nothing; pam_faillock in the stack uses defaults.
        assert_eq!(
            lockout(Faillock::default(), Layer::Faillock),
            (None, None, None)
        );
        let stack = Faillock {
            in_stack: true,
            ..Faillock::default()
        };
        assert_eq!(
            lockout(stack.clone(), Layer::Pam),
            (Some(3), Some(10), Some(15))
        );
        let cis = Faillock {
            deny: Some(5),
            unlock_time: Some(900),
            configured: true,
            ..Faillock::default()
        };
        assert_eq!(
            lockout(cis.clone(), Layer::Faillock),
            (Some(5), Some(15), Some(15))
        );
        let never = Faillock {
            unlock_time: Some(0),
            fail_interval: Some(30),
            ..cis.clone()
        };
        assert_eq!(
            lockout(never, Layer::Faillock),
            (Some(5), Some(-1), Some(1))
        );
        let off = Faillock {
            deny: Some(0),
            ..cis.clone()
        };
        assert_eq!(lockout(off, Layer::Faillock), (Some(0), None, None));
        let no_interval = Faillock {
            fail_interval: Some(0),
            ..cis.clone()
        };
        assert_eq!(lockout(no_interval, Layer::Faillock), (Some(0), None, None));
        // Module arguments override faillock.conf.
        let conf = LinuxSettings {
            layer: Layer::Faillock,
            faillock: cis,
            ..LinuxSettings::default()
        };
        let args = LinuxSettings {
            layer: Layer::Pam,
            faillock: Faillock {
                deny: Some(10),
                ..stack
            },
            ..LinuxSettings::default()
        };
        let p = guarantees(&[&conf, &args]);
        assert_eq!(p.lockout_threshold, Some(10));
        assert_eq!(p.lockout_duration_minutes, Some(15));
    }

    #[test]
    fn tally2_locks_only_with_deny() {
        let t = |deny, unlock_time| Faillock {
            tally2: Some(Tally2 { deny, unlock_time }),
            ..Faillock::default()
        };
        assert_eq!(lockout(t(None, None), Layer::Pam), (Some(0), None, None));
        assert_eq!(
            lockout(t(Some(5), Some(600)), Layer::Pam),
            (Some(5), Some(10), None)
        );
        assert_eq!(
            lockout(t(Some(5), None), Layer::Pam),
            (Some(5), Some(-1), None)
        );
    }
}
