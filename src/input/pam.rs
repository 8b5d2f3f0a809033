//! PAM configuration files (`/etc/pam.d/common-password`, `common-auth`, `system-auth`,
//! `password-auth`, `/etc/pam.conf`) as policy sources: the module arguments of pam_pwquality
//! (password quality), pam_faillock and pam_tally2 (account lockout), as pam.d(5) lays lines out.
//!
//! A line is `type control module-path arguments…` (`/etc/pam.conf` puts the service first);
//! `-type` hides load errors; a control is a word or `[value=action …]`; `#` starts a comment
//! anywhere and a line ending in `\` goes on on the next; `@include` lines are left alone. Other
//! modules' lines are read and skipped. pam_pwquality's arguments override pwquality.conf and
//! pam_faillock's override faillock.conf (`rules::linux` combines them).

use super::{error, numbered_lines};
use crate::model::linux::{Faillock, Layer, LinuxSettings, Pwquality};
use crate::model::{ParsedInput, PolicyFragment};

/// Parse a PAM file into the pwquality and lockout settings its module arguments state.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let mut pwq = Pwquality::default();
    let mut fl = Faillock::default();
    for (no, line) in logical_lines(text) {
        let tokens = tokens(&line);
        if tokens.is_empty() || tokens[0].starts_with('@') {
            continue;
        }
        let Some(entry) = entry(&tokens) else {
            out.errors.push(error(
                label,
                no,
                "malformed PAM line: expected `type control module [arguments]` with type auth, account, password or session",
            ));
            continue;
        };
        out.records += 1;
        let module = entry
            .module
            .rsplit('/')
            .next()
            .unwrap_or(entry.module)
            .trim_end_matches(".so");
        let mut bad = |msg: String| out.errors.push(error(label, no, msg));
        match (entry.kind.as_str(), module) {
            ("password", "pam_pwquality") => {
                pwq.in_stack = true;
                pwq.optional |= lets_failures_pass(entry.control);
                for arg in entry.args {
                    if IGNORED_ARGS.iter().any(|p| arg.starts_with(p)) {
                        continue;
                    }
                    let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
                    // pam_pwquality logs an unknown or broken argument and goes on.
                    if let Err(e) = super::pwquality::apply(&mut pwq, name, value) {
                        if super::pwquality::OPTIONS.contains(&name.to_ascii_lowercase().as_str()) {
                            bad(format!("pam_pwquality {e}; the argument is ignored"));
                        }
                    }
                }
            }
            ("auth", "pam_faillock") => {
                fl.in_stack = true;
                for arg in entry.args {
                    let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
                    if let Err(e) = super::faillock::apply(&mut fl, name, value) {
                        bad(format!("pam_faillock {e}; the argument is ignored"));
                    }
                }
            }
            ("auth", "pam_tally2") => {
                let mut t = fl.tally2.unwrap_or_default();
                for arg in entry.args {
                    let parsed = match arg.split_once('=') {
                        Some(("deny", v)) => {
                            v.parse().map(|n| t.deny = Some(n)).map_err(|_| "deny")
                        }
                        Some(("unlock_time", v)) => v
                            .parse()
                            .map(|n| t.unlock_time = Some(n))
                            .map_err(|_| "unlock_time"),
                        _ => Ok(()),
                    };
                    // The option is named, its value is not (it may be anything).
                    if let Err(name) = parsed {
                        bad(format!(
                            "pam_tally2 {name}: the value is not a whole number; the argument is ignored"
                        ));
                    }
                }
                fl.tally2 = Some(t);
            }
            _ => {}
        }
    }
    out.policy = Some(PolicyFragment {
        source: label.to_string(),
        linux: Some(Box::new(LinuxSettings {
            layer: Layer::Pam,
            pwquality: pwq,
            faillock: fl,
        })),
        ..PolicyFragment::default()
    });
    out
}

/// Content looks like a PAM file: every line a module line (or `@include`), at least one.
pub fn sniff(text: &str) -> bool {
    let mut modules = 0;
    for (_, line) in logical_lines(text) {
        let tokens = tokens(&line);
        if tokens.is_empty() || (tokens[0] == "@include" && tokens.len() == 2) {
            continue;
        }
        match entry(&tokens) {
            Some(e) if e.module.contains("pam_") || e.module.ends_with(".so") => modules += 1,
            _ => return false,
        }
    }
    modules > 0
}

/// pam_pwquality arguments that are not libpwquality options (pam_pwquality skips them).
const IGNORED_ARGS: [&str; 8] = [
    "debug",
    "type=",
    "difignore=",
    "reject_username",
    "authtok_type",
    "use_authtok",
    "use_first_pass",
    "try_first_pass",
];

/// The four PAM management groups.
const TYPES: [&str; 4] = ["auth", "account", "password", "session"];

/// One module line.
struct Entry<'a> {
    /// `auth` | `account` | `password` | `session`, lower-cased, without a leading `-`.
    kind: String,
    control: &'a str,
    module: &'a str,
    args: &'a [String],
}

/// The module line `tokens` make, with or without a leading service name (`/etc/pam.conf`).
fn entry(tokens: &[String]) -> Option<Entry<'_>> {
    let is_type = |t: &str| {
        let t = t.strip_prefix('-').unwrap_or(t).to_ascii_lowercase();
        TYPES.contains(&t.as_str()).then_some(t)
    };
    let start = match (tokens.first(), tokens.get(1)) {
        (Some(a), _) if is_type(a).is_some() => 0,
        (Some(_), Some(b)) if is_type(b).is_some() => 1,
        _ => return None,
    };
    let rest = &tokens[start..];
    if rest.len() < 3 {
        return None;
    }
    Some(Entry {
        kind: is_type(&rest[0])?,
        control: &rest[1],
        module: &rest[2],
        args: &rest[3..],
    })
}

/// Controls under which a failed check does not stop the password change: `optional`, and
/// bracketed controls whose default is `ignore`.
fn lets_failures_pass(control: &str) -> bool {
    let c = control.to_ascii_lowercase();
    c == "optional"
        || (c.starts_with('[')
            && c.trim_matches(['[', ']'])
                .split_whitespace()
                .any(|v| v == "default=ignore"))
}

/// Lines with comments cut off and `\`-continued lines joined, each with the number of its first
/// line. As in Linux-PAM, a line that holds a `#` ends the logical line even after a `\`.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (no, raw) in numbered_lines(text) {
        let (line, comment) = match raw.split_once('#') {
            Some((l, _)) => (l, true),
            None => (raw, false),
        };
        let (body, more) = match line.trim_end().strip_suffix('\\') {
            Some(b) if !comment => (b, true),
            _ => (line, false),
        };
        let (first, mut acc) = pending.take().unwrap_or((no, String::new()));
        acc.push(' ');
        acc.push_str(body);
        if more {
            pending = Some((first, acc));
        } else {
            out.push((first, acc));
        }
    }
    out.extend(pending);
    out
}

/// Whitespace-separated tokens; `[…]` (a control, or an argument with spaces) is one token
/// without its brackets' inner spacing changed.
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for c in line.chars() {
        match c {
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' if depth > 0 => {
                depth -= 1;
                cur.push(c);
            }
            c if c.is_whitespace() && depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::linux::Tally2;

    fn read(text: &str) -> (LinuxSettings, ParsedInput) {
        let mut p = parse(text, "common-password");
        let l = p.policy.take().unwrap().linux.unwrap();
        assert_eq!(l.layer, Layer::Pam);
        (*l, p)
    }

    const DEBIAN_PASSWORD: &str = "#\n# /etc/pam.d/common-password - password-related modules common to all services\n\
        #\n# here are the per-package modules (the \"Primary\" block)\n\
        password\trequisite\t\t\tpam_pwquality.so retry=3 minlen=14 minclass=4 enforce_for_root\n\
        password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt\n\
        # here's the fallback if no module succeeds\n\
        password\trequisite\t\t\tpam_deny.so\n\
        password\trequired\t\t\tpam_permit.so\n\
        # and here are more per-package modules (the \"Additional\" block)\n\
        # end of pam-auth-update config\n";

    #[test]
    fn pwquality_arguments_on_a_debian_password_stack() {
        let (l, p) = read(DEBIAN_PASSWORD);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records, 4);
        assert!(l.pwquality.in_stack);
        assert!(!l.pwquality.optional);
        assert_eq!(l.pwquality.minlen, Some(14));
        assert_eq!(l.pwquality.minclass, Some(4));
        assert!(!l.faillock.in_stack);
    }

    #[test]
    fn faillock_and_tally2_on_auth_lines() {
        // RHEL system-auth as authselect writes it with-faillock, and a Debian common-auth.
        let system_auth = "auth        required      pam_env.so\n\
            auth        required      pam_faillock.so preauth silent deny=5 unlock_time=900\n\
            auth        sufficient    pam_unix.so try_first_pass nullok\n\
            auth        [default=die] pam_faillock.so authfail deny=5 unlock_time=900\n\
            auth        required      pam_deny.so\n\
            account     required      pam_faillock.so\n\
            -session    optional      pam_systemd.so\n\
            password    requisite     pam_pwquality.so local_users_only\n";
        let (l, p) = read(system_auth);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert!(l.faillock.in_stack);
        assert_eq!(l.faillock.deny, Some(5));
        assert_eq!(l.faillock.unlock_time, Some(900));
        assert!(l.pwquality.in_stack);
        assert_eq!(l.pwquality.minlen, None);
        let (l, _) = read("auth required pam_tally2.so deny=5 onerr=fail unlock_time=600\n");
        assert_eq!(
            l.faillock.tally2,
            Some(Tally2 {
                deny: Some(5),
                unlock_time: Some(600)
            })
        );
        assert!(!l.faillock.in_stack);
        // A bad value is named by its option only (the value may be anything).
        let (_, p) = read("auth required pam_tally2.so deny=Winter2024! unlock_time=x\n");
        let errs: Vec<&str> = p.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            errs,
            [
                "pam_tally2 deny: the value is not a whole number; the argument is ignored",
                "pam_tally2 unlock_time: the value is not a whole number; the argument is ignored",
            ]
        );
    }

    #[test]
    fn optional_quality_checks_guarantee_nothing() {
        let (l, _) = read("password optional pam_pwquality.so minlen=14\n");
        assert!(l.pwquality.optional);
        let (l, _) = read("password [success=ok default=ignore] pam_pwquality.so minlen=14\n");
        assert!(l.pwquality.optional);
        let (l, _) = read("password [success=ok default=bad] pam_pwquality.so minlen=14\n");
        assert!(!l.pwquality.optional);
    }

    #[test]
    fn pam_conf_continuations_includes_and_errors() {
        let text = "@include common-auth\n\
            passwd password requisite /lib/security/pam_pwquality.so \\\n   minlen=15 dcredit=-1 # note\n\
            password required\n\
            garbage here\n\
            password requisite pam_pwquality.so minlen=abc frobnicate=1 use_authtok\n\
            auth required pam_faillock.so authfail deny=lots\n";
        let (l, p) = read(text);
        assert_eq!(l.pwquality.minlen, Some(15), "the bad minlen is ignored");
        assert_eq!(l.pwquality.dcredit, Some(-1));
        let at: Vec<&str> = p.errors.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(
            at,
            [
                "common-password:4",
                "common-password:5",
                "common-password:6",
                "common-password:7"
            ]
        );
        assert!(p.errors[2].message.starts_with("pam_pwquality minlen:"));
    }

    #[test]
    fn sniff_recognises_pam_files() {
        assert!(sniff(DEBIAN_PASSWORD));
        assert!(sniff(
            "@include common-auth\nauth required pam_faillock.so preauth\n"
        ));
        assert!(sniff("login auth required pam_unix.so\n"));
        assert!(!sniff("@include common-auth\n"));
        assert!(!sniff("minlen = 14\n"));
        assert!(!sniff("deny = 5\n"));
        assert!(!sniff("PASS_MAX_DAYS 90\n"));
        assert!(!sniff("password requisite\n"));
    }
}
