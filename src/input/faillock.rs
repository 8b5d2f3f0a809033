//! `/etc/security/faillock.conf`: the account lockout pam_faillock applies, as faillock.conf(5)
//! and Linux-PAM's pam_faillock define it.
//!
//! Syntax as pwquality.conf: `name = value`, `name value` or a bare flag (`even_deny_root`,
//! `silent`, …); names are case-sensitive; `#` starts a comment anywhere. pam_faillock skips an
//! option it does not know and keeps the default for a number it cannot read; kensa skips the
//! first silently and reports the second. A file that sets any option is taken to mean
//! pam_faillock is in use, with its defaults (deny 3, unlock_time 600 s, fail_interval 900 s)
//! for what the file leaves out; one that sets nothing (the file as Debian and RHEL ship it) says
//! nothing.

use super::{error, numbered_lines, option_line, LineError};
use crate::model::linux::{Faillock, Layer, LinuxSettings};
use crate::model::{InputError, ParsedInput, PolicyFragment};

/// Parse faillock.conf into the lockout settings it states.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let mut f = Faillock::default();
    for (no, line) in numbered_lines(text) {
        let Some((name, value)) = option_line(line) else {
            continue;
        };
        if !OPTIONS.contains(&name) {
            // pam_faillock logs "Unknown option" and goes on.
            continue;
        }
        out.records += 1;
        f.configured = true;
        if let Err(e) = apply(&mut f, name, value) {
            out.errors.push(bad(label, no, &e.to_string()));
        }
    }
    out.policy = Some(PolicyFragment {
        source: label.to_string(),
        linux: Some(Box::new(LinuxSettings {
            layer: Layer::Faillock,
            faillock: f,
            ..LinuxSettings::default()
        })),
        ..PolicyFragment::default()
    });
    out
}

/// Content looks like faillock.conf: option lines only, at least one of them a faillock option
/// (and none a pwquality.conf one).
pub fn sniff(text: &str) -> bool {
    let mut known = false;
    for (_, line) in numbered_lines(text) {
        let Some((name, _)) = option_line(line) else {
            continue;
        };
        if !OPTIONS.contains(&name) {
            return false;
        }
        known |= name != "local_users_only";
    }
    known
}

/// Every option pam_faillock reads from faillock.conf (faillock.conf(5)).
pub(crate) const OPTIONS: [&str; 12] = [
    "dir",
    "audit",
    "silent",
    "no_log_info",
    "local_users_only",
    "nodelay",
    "deny",
    "fail_interval",
    "unlock_time",
    "even_deny_root",
    "root_unlock_time",
    "admin_group",
];

/// pam_faillock's longest interval (seven days, in seconds).
pub(super) const MAX_TIME_INTERVAL: u64 = 604_800;

/// Set a faillock option (in faillock.conf or as a module argument); the error says what is wrong.
pub(crate) fn apply(f: &mut Faillock, name: &str, value: &str) -> Result<(), LineError> {
    match name {
        "deny" => {
            let n = value.parse::<u16>().map_err(|_| LineError::FaillockDeny)?;
            f.deny = Some(u32::from(n));
        }
        "fail_interval" => f.fail_interval = Some(seconds("fail_interval", value, false)?),
        "unlock_time" => f.unlock_time = Some(seconds("unlock_time", value, true)?),
        "root_unlock_time" => {
            seconds("root_unlock_time", value, true)?;
        }
        _ => {}
    }
    Ok(())
}

/// A time in seconds as pam_faillock reads it: up to seven days, or `never` (0) where allowed.
fn seconds(name: &'static str, value: &str, never: bool) -> Result<u64, LineError> {
    if never && value == "never" {
        return Ok(0);
    }
    value
        .parse::<u64>()
        .ok()
        .filter(|n| *n <= MAX_TIME_INTERVAL)
        .ok_or(LineError::FaillockSeconds { name, never })
}

fn bad(label: &str, no: usize, why: &str) -> InputError {
    error(
        label,
        no,
        format!("{why}; pam_faillock keeps its default for it"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Faillock, ParsedInput) {
        let mut p = parse(text, "faillock.conf");
        let l = p.policy.take().unwrap().linux.unwrap();
        assert_eq!(l.layer, Layer::Faillock);
        (l.faillock, p)
    }

    #[test]
    fn cis_faillock_conf_with_bare_flags() {
        let (f, p) = read(
            "# Configuration for locking the user after multiple failed\n\
             # authentication attempts.\n\
             dir = /var/run/faillock\naudit\nsilent\n deny = 5\nfail_interval=900\n\
             unlock_time = 900 # 15 minutes\neven_deny_root\nroot_unlock_time = 60\n\
             admin_group = wheel\nlocal_users_only\nnodelay\nno_log_info\n",
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records, 12);
        assert_eq!(f.deny, Some(5));
        assert_eq!(f.unlock_time, Some(900));
        assert_eq!(f.fail_interval, Some(900));
        assert!(f.configured);
        assert!(!f.in_stack);
    }

    #[test]
    fn the_shipped_file_says_nothing_and_bad_numbers_are_reported() {
        let (f, p) = read("# deny = 3\n# unlock_time = 600\n");
        assert_eq!(f, Faillock::default());
        assert_eq!(p.records, 0);
        let (f, p) = read("deny = five\nunlock_time = never\nfail_interval = 604801\nDeny = 9\n");
        assert_eq!(f.deny, None);
        assert_eq!(f.unlock_time, Some(0));
        assert_eq!(f.fail_interval, None);
        let at: Vec<&str> = p.errors.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(
            at,
            ["faillock.conf:1", "faillock.conf:3"],
            "names are case-sensitive"
        );
    }

    #[test]
    fn sniff_recognises_faillock() {
        assert!(sniff("deny = 5\nunlock_time = 900\neven_deny_root\n"));
        assert!(sniff("# faillock\nsilent\ndeny=4\n"));
        assert!(!sniff("local_users_only\n"));
        assert!(!sniff("deny = 5\nminlen = 14\n"));
        assert!(!sniff("minlen = 14\n"));
        assert!(!sniff("PASS_MAX_DAYS 90\n"));
    }
}
