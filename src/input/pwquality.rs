//! `/etc/security/pwquality.conf` and its `pwquality.conf.d/*.conf` drop-ins: the options
//! libpwquality (pam_pwquality) reads, as pwquality.conf(5) and libpwquality 1.4.5 define them.
//!
//! Syntax: `name = value`, `name value` or a bare `name` (the flags `enforce_for_root`,
//! `local_users_only`); names are case-insensitive; `#` starts a comment anywhere on a line. Every
//! option of pwquality.conf(5) is accepted; libpwquality stops reading at an option it does not
//! know or a number it cannot read, and so does kensa: the line is an input error and nothing
//! after it (nor, for a drop-in, pwquality.conf) is applied. What the options guarantee is decided
//! in `rules::linux`, once a system's sources are combined.

use super::{error, numbered_lines, option_line, LineError};
use crate::model::linux::{Layer, LinuxSettings, Pwquality};
use crate::model::{InputError, ParsedInput, PolicyFragment};

/// Parse one pwquality.conf (a drop-in when its path is inside a `pwquality.conf.d` directory).
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let mut settings = Pwquality::default();
    read(text, label, &mut settings, &mut out);
    let layer = if in_drop_in_dir(label) {
        Layer::PwqualityDropIn
    } else {
        Layer::Pwquality
    };
    out.policy = Some(fragment(label, layer, settings));
    out
}

/// Parse the drop-in files of a `pwquality.conf.d` directory, `(name, text)` in the order
/// libpwquality reads them, as one source named `label`; lines are `label/name:line`. Reading
/// stops at the first file libpwquality stops in.
pub fn parse_dir(files: &[(String, String)], label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let mut settings = Pwquality::default();
    for (name, text) in files {
        read(text, &format!("{label}/{name}"), &mut settings, &mut out);
        if settings.halted {
            break;
        }
    }
    out.policy = Some(fragment(label, Layer::PwqualityDropIn, settings));
    out
}

/// Content looks like pwquality.conf: option lines only, at least one of them a pwquality option
/// (and none a faillock.conf one).
pub fn sniff(text: &str) -> bool {
    let mut known = false;
    for (_, line) in numbered_lines(text) {
        let Some((name, _)) = option_line(line) else {
            continue;
        };
        if !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return false;
        }
        if super::faillock::OPTIONS.contains(&name) && !OPTIONS.contains(&name) {
            return false;
        }
        known |= OPTIONS.contains(&name) && !SHARED.contains(&name);
    }
    known
}

/// Every option libpwquality 1.4.5 reads (pwquality.conf(5)).
pub(crate) const OPTIONS: [&str; 20] = [
    "difok",
    "minlen",
    "dcredit",
    "ucredit",
    "lcredit",
    "ocredit",
    "minclass",
    "maxrepeat",
    "maxclassrepeat",
    "maxsequence",
    "gecoscheck",
    "dictcheck",
    "usercheck",
    "usersubstr",
    "enforcing",
    "badwords",
    "dictpath",
    "retry",
    "enforce_for_root",
    "local_users_only",
];

/// Options that take a string (any value, or none).
const STRINGS: [&str; 2] = ["badwords", "dictpath"];
/// Flags: set by their name alone (a value is ignored, as libpwquality ignores it).
const FLAGS: [&str; 2] = ["enforce_for_root", "local_users_only"];
/// Options faillock.conf has too (so they tell neither file apart).
const SHARED: [&str; 1] = ["local_users_only"];

/// Apply the options of one file to `settings` until libpwquality would stop reading.
pub(crate) fn read(text: &str, label: &str, settings: &mut Pwquality, out: &mut ParsedInput) {
    for (no, line) in numbered_lines(text) {
        let Some((name, value)) = option_line(line) else {
            continue;
        };
        if let Err(e) = apply(settings, name, value) {
            out.errors.push(stop(label, no, &e.to_string()));
            settings.halted = true;
            return;
        }
        out.records += 1;
    }
}

/// Set option `name` (any case) to `value`; the error says why libpwquality rejects it.
pub(crate) fn apply(s: &mut Pwquality, name: &str, value: &str) -> Result<(), LineError> {
    let lower = name.to_ascii_lowercase();
    let name = lower.as_str();
    let Some(name) = OPTIONS.into_iter().find(|o| *o == name) else {
        // Not quoted: an unknown name may be a password typed on the wrong line.
        return Err(LineError::PwqualityUnknown);
    };
    if STRINGS.contains(&name) || FLAGS.contains(&name) {
        return Ok(());
    }
    let n = integer(value).ok_or(LineError::PwqualityNotNumber(name))?;
    let slot = match name {
        "minlen" => &mut s.minlen,
        "dcredit" => &mut s.dcredit,
        "ucredit" => &mut s.ucredit,
        "lcredit" => &mut s.lcredit,
        "ocredit" => &mut s.ocredit,
        "minclass" => &mut s.minclass,
        "enforcing" => &mut s.enforcing,
        // Checked (a bad number stops libpwquality) but with no bearing on length or classes.
        _ => return Ok(()),
    };
    *slot = Some(n);
    Ok(())
}

/// An integer as libpwquality reads it (strtol base 10, the whole value, within `int`).
fn integer(value: &str) -> Option<i64> {
    // One optional sign, then digits only, as `str::parse` takes them.
    let n: i64 = value.parse().ok()?;
    (n > i64::from(i32::MIN) && n < i64::from(i32::MAX)).then_some(n)
}

/// Is `label` a file inside a `pwquality.conf.d` directory?
fn in_drop_in_dir(label: &str) -> bool {
    let mut parts = label.rsplit(['/', '\\']);
    parts.next();
    parts
        .next()
        .is_some_and(|dir| dir.eq_ignore_ascii_case("pwquality.conf.d"))
}

fn fragment(label: &str, layer: Layer, pwquality: Pwquality) -> PolicyFragment {
    PolicyFragment {
        source: label.to_string(),
        linux: Some(Box::new(LinuxSettings {
            layer,
            pwquality,
            ..LinuxSettings::default()
        })),
        ..PolicyFragment::default()
    }
}

fn stop(label: &str, no: usize, why: &str) -> InputError {
    error(
        label,
        no,
        format!("{why}; libpwquality stops reading here, so nothing after this line is applied"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> (Pwquality, ParsedInput) {
        let mut p = parse(text, "pwquality.conf");
        let f = p.policy.take().unwrap();
        assert_eq!(f.source, "pwquality.conf");
        let l = f.linux.unwrap();
        assert_eq!(l.layer, Layer::Pwquality);
        (l.pwquality, p)
    }

    #[test]
    fn every_option_of_the_man_page_reads_without_error() {
        // As CIS benchmarks and the Debian/RHEL files write them, bare flags included.
        let text = "# pwquality.conf\r\ndifok = 5\r\nminlen = 14\r\ndcredit = -1\r\nucredit = -1\r\n\
            lcredit = -1\r\nocredit = -1\r\nminclass = 4\r\nmaxrepeat = 3\r\nmaxsequence = 3\r\n\
            maxclassrepeat = 4\r\ngecoscheck = 1\r\ndictcheck = 1\r\nusercheck = 1\r\nusersubstr = 4\r\n\
            enforcing = 1\r\nbadwords = koro hospital\r\ndictpath = /usr/share/cracklib/pw_dict\r\n\
            retry = 3\r\nenforce_for_root\r\nlocal_users_only\r\n";
        let (s, p) = settings(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records, 20);
        assert_eq!(s.minlen, Some(14));
        assert_eq!([s.dcredit, s.ucredit, s.lcredit, s.ocredit], [Some(-1); 4]);
        assert_eq!(s.minclass, Some(4));
        assert_eq!(s.enforcing, Some(1));
        assert!(!s.halted);
    }

    #[test]
    fn syntax_as_libpwquality_reads_it() {
        // Oracle (libpwquality 1.4.5): `minlen 14`, `MINCLASS=3`, `dcredit = +2` and an inline
        // comment read as minlen 14, minclass 3, dcredit 2; `enforce_for_root = 0` still sets it.
        let (s, p) =
            settings("  minlen 14 # fourteen\nMINCLASS=3\ndcredit = +2\n\tenforce_for_root = 0\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(
            (s.minlen, s.minclass, s.dcredit),
            (Some(14), Some(3), Some(2))
        );
        assert_eq!(option_line("minlen=14"), Some(("minlen", "14")));
        assert_eq!(option_line("minlen == 14"), Some(("minlen", "= 14")));
        assert_eq!(
            option_line("enforce_for_root"),
            Some(("enforce_for_root", ""))
        );
        assert_eq!(option_line("   # x = 1"), None);
        assert_eq!(integer("-1"), Some(-1));
        assert_eq!(integer("+-1"), None);
        assert_eq!(integer("++1"), None);
        assert_eq!(integer("+7"), Some(7));
        assert_eq!(
            integer("2147483647"),
            None,
            "INT_MAX is rejected as libpwquality does"
        );
        assert_eq!(integer("14 "), None);
        assert_eq!(integer(""), None);
    }

    #[test]
    fn an_unknown_option_or_bad_number_stops_the_reading() {
        // Oracle: `bogus = 3` stops libpwquality before the `minlen = 20` after it;
        // `minlen == 14` is a bad integer and leaves minlen at its default.
        let (s, p) =
            settings("enforce_for_root\nminclass = 4\nminlen 14\nbogus = 3\nminlen = 20\n");
        assert_eq!(s.minlen, Some(14));
        assert!(s.halted);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "pwquality.conf:4");
        assert!(p.errors[0].message.contains("not a pwquality.conf option"));
        assert!(!p.errors[0].message.contains("bogus"));
        let (s, p) = settings("minlen == 14\nminclass = 4\n");
        assert_eq!((s.minlen, s.minclass), (None, None));
        assert_eq!(p.errors[0].source, "pwquality.conf:1");
        assert!(p.errors[0]
            .message
            .starts_with("minlen: the value is not a whole number"));
        let (_, p) = settings("difok = many\n");
        assert_eq!(p.errors.len(), 1);
    }

    #[test]
    fn drop_ins_in_a_directory_or_one_by_one() {
        let files = vec![
            ("10-a.conf".to_string(), "minlen = 12\n".to_string()),
            (
                "20-b.conf".to_string(),
                "typo = 1\nminclass = 4\n".to_string(),
            ),
            ("30-c.conf".to_string(), "ucredit = -1\n".to_string()),
        ];
        let p = parse_dir(&files, "etc/pwquality.conf.d");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "etc/pwquality.conf.d/20-b.conf:1");
        let f = p.policy.unwrap();
        assert_eq!(f.source, "etc/pwquality.conf.d");
        let l = f.linux.unwrap();
        assert_eq!(l.layer, Layer::PwqualityDropIn);
        assert_eq!(l.pwquality.minlen, Some(12));
        assert_eq!(l.pwquality.ucredit, None, "files after a stop are not read");
        assert!(l.pwquality.halted);
        let one = parse(
            "minclass = 4\n",
            "etc/security/pwquality.conf.d/50-cis.conf",
        );
        assert_eq!(
            one.policy.unwrap().linux.unwrap().layer,
            Layer::PwqualityDropIn
        );
    }

    #[test]
    fn sniff_recognises_pwquality() {
        assert!(sniff("# x\nminlen = 12\nminclass = 3\n"));
        assert!(sniff("enforce_for_root\nminclass = 4\n"));
        assert!(sniff("minlen 14\n"));
        assert!(!sniff("local_users_only\n"), "shared with faillock.conf");
        assert!(!sniff("deny = 5\nminlen = 8\n"), "a faillock option");
        assert!(!sniff("min_length = 12\nrequire = [\"letter\"]\n"));
        assert!(!sniff("PASS_MAX_DAYS 60\n"));
        assert!(!sniff("password requisite pam_pwquality.so minlen=14\n"));
    }
}
