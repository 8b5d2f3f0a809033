//! pwdump / secretsdump (`user:rid:lmhash:nthash:::`): Windows SAM and NTDS accounts with NT and LM hashes.
//!
//! Also what Metasploit prints: Meterpreter `hashdump` and `post/windows/gather/hashdump` (plain
//! pwdump lines, password hints as `user:"hint"` lines), `post/windows/gather/smart_hashdump`
//! (accounts behind `[+] ` and a tab, `user:rid:lm:nt` without the trailing colons when injected,
//! a ` (Hint: "…")` suffix in old versions). impacket's suffixes are read in any order:
//! ` (pwdLastSet=YYYY-MM-DD HH:MM)` (NTDS; `HH:MM:SS` from a SAM), `never` or `N/A`,
//! ` (status=Enabled|Disabled|N/A)` (NTDS `-user-status`) and ` (Enabled=True|False) (Locked=…)
//! (Admin=…)` (SAM `-user-status`).

use super::{error, line_chunks, numbered_lines, LineChunk, LineError};
use crate::model::{HashValue, ParsedInput, PasswordSet, RawAccount, Scheme, Secret, SkipReason};

/// Parse a pwdump or impacket-secretsdump text. A large text is parsed in chunks in parallel;
/// accounts and errors come out in line order all the same.
pub fn parse(text: &str, label: &str) -> ParsedInput {
    parse_chunked(text, label, super::chunk_bytes(text.len()))
}

fn parse_chunked(text: &str, label: &str, chunk: usize) -> ParsedInput {
    use rayon::prelude::*;
    let chunks = line_chunks(text, chunk);
    // Whether a chunk starts inside a section of NT/LM hashes depends on the headers before it.
    let headers: Vec<Option<bool>> = chunks
        .par_iter()
        .map(|c| {
            c.lines()
                .filter_map(|(_, l)| section_header(l).flatten())
                .last()
        })
        .collect();
    let mut in_hashes = true;
    let starts: Vec<bool> = headers
        .iter()
        .map(|h| {
            let start = in_hashes;
            in_hashes = h.unwrap_or(start);
            start
        })
        .collect();
    let parts: Vec<ParsedInput> = chunks
        .into_par_iter()
        .zip(starts)
        .map(|(c, in_hashes)| parse_lines(c, in_hashes, label))
        .collect();
    let mut out = ParsedInput {
        records: parts.iter().map(|p| p.records).sum(),
        accounts: Vec::with_capacity(parts.iter().map(|p| p.accounts.len()).sum()),
        ..ParsedInput::default()
    };
    for mut p in parts {
        out.accounts.append(&mut p.accounts);
        out.errors.append(&mut p.errors);
    }
    out
}

/// The accounts of one chunk, `in_hashes` telling whether it starts in a section of NT/LM hashes.
fn parse_lines(chunk: LineChunk<'_>, in_hashes: bool, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    for (no, line) in data_lines(chunk.lines(), in_hashes) {
        out.records += 1;
        match parse_line(line) {
            Ok(Line::Account(mut acc)) => {
                acc.line = no;
                out.accounts.push(acc);
            }
            Ok(Line::Ignored) => {}
            Err(e) => out.errors.push(error(label, no, e.to_string())),
        }
    }
    out
}

/// Content looks like pwdump: most data lines are `user:rid:32hex:32hex:::`.
pub fn sniff(text: &str) -> bool {
    super::mostly(line_hits(text))
}

/// Of the first 200 data lines, how many are `user:rid:32hex:32hex:::` accounts, and how many
/// there are.
pub(crate) fn line_hits(text: &str) -> (usize, usize) {
    let lines: Vec<(usize, &str)> = data_lines(numbered_lines(text), true).take(200).collect();
    let hits = lines
        .iter()
        .filter(|(_, l)| matches!(parse_line(l), Ok(Line::Account(_))))
        .count();
    (hits, lines.len())
}

/// The empty LM hash: no LM stored.
const EMPTY_LM: &str = "aad3b435b51404eeaad3b435b51404ee";

enum Line {
    Account(RawAccount),
    /// Kerberos keys and cleartext lines of secretsdump: not NT/LM accounts.
    Ignored,
}

/// Numbered lines that may hold accounts (see [`account_text`]): noise and secretsdump sections
/// of other secrets left out. `in_hashes`: the lines start in a section of NT/LM hashes (as a
/// file does).
fn data_lines<'a>(
    lines: impl Iterator<Item = (usize, &'a str)>,
    mut in_hashes: bool,
) -> impl Iterator<Item = (usize, &'a str)> {
    lines.filter_map(move |(no, line)| {
        if let Some(header) = section_header(line) {
            in_hashes = header.unwrap_or(in_hashes);
            return None;
        }
        if !in_hashes {
            return None;
        }
        account_text(line).map(|t| (no, t))
    })
}

/// The part of a line that may hold an account, or `None` for noise. Metasploit's
/// `smart_hashdump` prints accounts with `print_good`: `[+] ` and a tab before the pwdump text;
/// its other `[+]` lines (`Got SYSTEM privilege`, password hints) are noise.
fn account_text(line: &str) -> Option<&str> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix("[+]") {
        let rest = rest.trim_start();
        return (memchr::memchr_iter(b':', rest.as_bytes()).count() >= 3).then_some(rest);
    }
    (!is_noise(t)).then_some(t)
}

/// For a secretsdump `[*] …` header: `Some(Some(true))` when a section of NT/LM hashes starts,
/// `Some(Some(false))` for sections of other secrets (LSA secrets, cached logons, Kerberos keys,
/// cleartext), `Some(None)` for other progress messages; `None` for a line that is no header.
fn section_header(line: &str) -> Option<Option<bool>> {
    let rest = line.trim().strip_prefix("[*]")?.to_ascii_lowercase();
    let hashes = ["local sam hashes", "domain credentials", "dumping ntds"];
    let others = [
        "lsa secrets",
        "cached domain logon",
        "kerberos keys",
        "cleartext password",
        "dpapi",
        "defaultpassword",
    ];
    Some(if hashes.iter().any(|h| rest.contains(h)) {
        Some(true)
    } else if others.iter().any(|o| rest.contains(o)) {
        Some(false)
    } else {
        None
    })
}

/// Blank lines, `#` comments, secretsdump chatter (`[*] Dumping …`, the Impacket banner) and
/// Metasploit's (console prompts, `No users with password hints on this system`).
fn is_noise(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with('#')
        || t.starts_with("[*]")
        || t.starts_with("[-]")
        || t.starts_with("[+]")
        || t.starts_with("[!]")
        || t.starts_with("Impacket v")
        || t.starts_with("meterpreter >")
        || (t.starts_with("msf") && t.contains(" > "))
        || t == "No users with password hints on this system"
}

/// At most this many `:` fields are kept of a line (more is an error anyway).
const MAX_FIELDS: usize = 7;

fn parse_line(line: &str) -> Result<Line, LineError> {
    let (body, suffixes) = strip_suffixes(line.trim())?;
    if is_hint(body) {
        return Ok(Line::Ignored);
    }
    let mut fields = [""; MAX_FIELDS];
    let mut count = 0;
    for f in body.split(':') {
        if count < MAX_FIELDS {
            fields[count] = f;
        }
        count += 1;
    }
    if count == 3 && is_kerberos_key_type(fields[1]) {
        return Ok(Line::Ignored);
    }
    if count >= 3 && fields[1] == "CLEARTEXT" {
        return Ok(Line::Ignored);
    }
    if !(4..=MAX_FIELDS).contains(&count) {
        return Err(LineError::PwdumpFields(count));
    }
    let full_name = fields[0];
    let name = full_name.rsplit('\\').next().unwrap_or(full_name);
    if name.is_empty() {
        return Err(LineError::PwdumpEmptyUser);
    }
    if fields[1].is_empty() || !fields[1].bytes().all(|b| b.is_ascii_digit()) {
        return Err(LineError::PwdumpRid);
    }
    let lm = match check_hash(fields[2]) {
        Ok(None) => None,
        Ok(Some(h)) if h.eq_ignore_ascii_case(EMPTY_LM) => None,
        Ok(Some(h)) => Some(HashValue {
            scheme: Scheme::Lm,
            text: Secret::new(h.to_ascii_lowercase()),
        }),
        Err(()) => return Err(LineError::PwdumpLm),
    };
    let (hash, no_password) = match check_hash(fields[3]) {
        Ok(Some(h)) => (
            Some(HashValue {
                scheme: Scheme::Nt,
                text: Secret::new(h.to_ascii_lowercase()),
            }),
            false,
        ),
        Ok(None) => (None, true),
        Err(()) => return Err(LineError::PwdumpNt),
    };
    let reason = if name.ends_with('$') {
        Some(SkipReason::Machine)
    } else if name.eq_ignore_ascii_case("krbtgt") || starts_with_ignore_case(name, "krbtgt_history")
    {
        Some(SkipReason::ServiceSecret)
    } else if is_history(name) {
        Some(SkipReason::History)
    } else if suffixes.disabled {
        Some(SkipReason::Disabled)
    } else if no_password {
        Some(SkipReason::NoPassword)
    } else {
        None
    };
    Ok(Line::Account(RawAccount {
        name: name.to_string(),
        hash,
        lm,
        skip: reason,
        password_set: suffixes.password_set,
        // Kept for the privileged-account rule (RID 500); digits only, checked above.
        rid: fields[1].parse().ok(),
        ..RawAccount::default()
    }))
}

/// Metasploit's password hint lines, `user:"hint"`: not accounts (and never quoted).
fn is_hint(body: &str) -> bool {
    body.split_once(':')
        .is_some_and(|(_, rest)| rest.len() >= 2 && rest.starts_with('"') && rest.ends_with('"'))
}

/// `s` starts with the ASCII `prefix`, ignoring ASCII case.
fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// What the suffixes after an account's hashes say.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Suffixes {
    /// `(status=Disabled)` (NTDS) or `(Enabled=False)` (SAM).
    disabled: bool,
    /// `(pwdLastSet=…)`; `None` when absent or `N/A`.
    password_set: Option<PasswordSet>,
}

/// Strip the trailing `(name=value)` groups of impacket (in any order) and Metasploit's old
/// ` (Hint: "…")`, and read them. A `pwdLastSet` that is no date is an error.
fn strip_suffixes(mut line: &str) -> Result<(&str, Suffixes), LineError> {
    let mut out = Suffixes::default();
    // A user name cannot hold `"`, so the first ` (Hint: "` starts the hint.
    if line.ends_with("\")") {
        if let Some(i) = line.find(" (Hint: \"") {
            line = line[..i].trim_end();
        }
    }
    while line.ends_with(')') {
        let Some(open) = line.rfind(" (") else { break };
        let group = &line[open + 2..line.len() - 1];
        let Some((key, value)) = group.split_once('=') else {
            break;
        };
        let value = value.trim();
        match key.trim() {
            "status" => out.disabled |= value.eq_ignore_ascii_case("disabled"),
            "Enabled" => out.disabled |= value.eq_ignore_ascii_case("false"),
            "pwdLastSet" => out.password_set = password_set(value)?,
            _ => {}
        }
        line = line[..open].trim_end();
    }
    Ok((line, out))
}

/// secretsdump's `pwdLastSet` value: `YYYY-MM-DD HH:MM` (NTDS, the dumping machine's local time),
/// `YYYY-MM-DD HH:MM:SS` (SAM, UTC), `never` (never set, or must change at the next logon) or `N/A`.
/// Only the day is kept.
fn password_set(value: &str) -> Result<Option<PasswordSet>, LineError> {
    if value.eq_ignore_ascii_case("never") {
        return Ok(Some(PasswordSet::Never));
    }
    if value.eq_ignore_ascii_case("n/a") {
        return Ok(None);
    }
    let b = value.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let d = b.get(r)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0, |n, c| n * 10 + u32::from(c - b'0')))
    };
    let day = (b.len() == 10 || b.get(10).is_some_and(|&c| c == b' ' || c == b'T'))
        .then_some(())
        .filter(|_| b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-'))
        .and_then(|_| Some((num(0..4)?, num(5..7)?, num(8..10)?)))
        .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y as i32, m, d))
        .and_then(PasswordSet::on);
    match day {
        Some(d) => Ok(Some(d)),
        None => Err(LineError::PwdumpLastSet),
    }
}

/// `Ok(None)` for an absent hash (empty or pwdump's `NO PASSWORD****`), `Ok(Some(hex))` for 32
/// hex digits (either case), or `Err`.
fn check_hash(field: &str) -> Result<Option<&str>, ()> {
    if field.is_empty() || field.starts_with("NO PASSWORD") {
        return Ok(None);
    }
    if field.len() == 32 && field.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(Some(field))
    } else {
        Err(())
    }
}

/// impacket's Kerberos key lines: `user:aes256-cts-hmac-sha1-96:hex`, `user:des-cbc-md5:hex`, `user:0x17:hex`.
fn is_kerberos_key_type(field: &str) -> bool {
    let f = field.to_ascii_lowercase();
    f.starts_with("aes") || f.starts_with("des-") || f.starts_with("rc4") || f.starts_with("0x")
}

/// secretsdump `-history`: `user_history3` → `("user", 3)`; `None` for a current account.
pub fn split_history(name: &str) -> Option<(&str, u32)> {
    let i = name.rfind("_history")?;
    let digits = &name[i + "_history".len()..];
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((&name[..i], digits.parse().ok()?))
}

/// secretsdump `-history`: `user_history0`, `user_history12` (the tag in any case).
fn is_history(name: &str) -> bool {
    const TAG: &[u8] = b"_history";
    let b = name.as_bytes();
    // The last `_history` (ASCII case ignored), followed by digits only.
    match (0..=b.len().saturating_sub(TAG.len()))
        .rev()
        .find(|&i| b[i..].len() >= TAG.len() && b[i..i + TAG.len()].eq_ignore_ascii_case(TAG))
    {
        Some(i) => {
            let digits = &b[i + TAG.len()..];
            !digits.is_empty() && digits.iter().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NT: &str = "8846F7EAEE8FB117AD06BDD830B7586C";
    const LM: &str = "e52cac67419a9a224a3b108f3fa6cb6d";

    fn sample() -> String {
        format!(
            "[*] Dumping Domain Credentials (domain\\uid:rid:lmhash:nthash)\r\n\
             Administrator:500:{EMPTY_LM}:{NT}:::\r\n\
             KORO\\yoshida:1104:{LM}:{NT}::: (status=Enabled)\r\n\
             KORO\\old:1105:{EMPTY_LM}:{NT}::: (status=Disabled)\r\n\
             PC01$:1000:{EMPTY_LM}:{NT}:::\r\n\
             krbtgt:502:{EMPTY_LM}:{NT}:::\r\n\
             KORO\\yoshida_history0:1104:{EMPTY_LM}:{NT}:::\r\n\
             Guest:501:{EMPTY_LM}:31d6cfe0d16ae931b73c59d7e0c089c0:::\r\n\
             bad:1106:{EMPTY_LM}:{}:::\r\n\
             short:1107:{EMPTY_LM}\r\n\
             [*] Reading and decrypting hashes from ntds.dit\r\n\
             KORO\\yoshida:aes256-cts-hmac-sha1-96:{NT}{NT}\r\n\
             KORO\\yoshida:des-cbc-md5:0123456789abcdef\r\n\
             last:1108:{EMPTY_LM}:{NT}:::\r\n",
            &NT[..31]
        )
    }

    #[test]
    fn parses_secretsdump_output() {
        let p = parse(&sample(), "ad01.txt");
        let names: Vec<&str> = p.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Administrator",
                "yoshida",
                "old",
                "PC01$",
                "krbtgt",
                "yoshida_history0",
                "Guest",
                "last"
            ]
        );
        let admin = &p.accounts[0];
        assert_eq!(admin.source("ad01.txt"), "ad01.txt:2");
        assert!(admin.lm.is_none());
        let h = admin.hash.as_ref().unwrap();
        assert_eq!(h.scheme, Scheme::Nt);
        assert_eq!(h.text.expose(), NT.to_ascii_lowercase());
        assert_eq!(admin.skip, None);
        let yoshida = &p.accounts[1];
        assert_eq!(yoshida.lm.as_ref().unwrap().text.expose(), LM);
        assert_eq!(yoshida.lm.as_ref().unwrap().scheme, Scheme::Lm);
        assert_eq!(yoshida.skip, None);
        assert_eq!(p.accounts[2].skip, Some(SkipReason::Disabled));
        assert_eq!(p.accounts[3].skip, Some(SkipReason::Machine));
        assert_eq!(p.accounts[4].skip, Some(SkipReason::ServiceSecret));
        assert_eq!(p.accounts[5].skip, Some(SkipReason::History));
        assert_eq!(p.accounts[6].skip, None, "empty NT is kept as a hash");
        assert_eq!(p.accounts[7].line, 14);
        // 14 lines minus the two `[*]` headers.
        assert_eq!(p.records, 12);
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.errors[0].source, "ad01.txt:9");
        assert!(p.errors[0].message.contains("NT hash"));
        assert_eq!(p.errors[1].source, "ad01.txt:10");
        for e in &p.errors {
            assert!(!e
                .message
                .to_ascii_lowercase()
                .contains(&NT[..12].to_ascii_lowercase()));
        }
    }

    #[test]
    fn skips_secretsdump_sections_of_other_secrets() {
        let text = format!(
            "Impacket v0.12.0 - Copyright Fortra, LLC and its affiliated companies\n\
             [*] Target system bootKey: 0x0123\n\
             [*] Dumping local SAM hashes (uid:rid:lmhash:nthash)\n\
             Administrator:500:{EMPTY_LM}:{NT}:::\n\
             [*] Dumping cached domain logon information (domain/username:hash)\n\
             KORO.LOCAL/yoshida:$DCC2$10240#yoshida#0123456789abcdef0123456789abcdef: (2024-01-01 00:00:00)\n\
             [*] Dumping LSA Secrets\n\
             [*] $MACHINE.ACC \n\
             KORO\\PC01$:plain_password_hex:0011\n\
             dpapi_machinekey:0x0123\n\
             [*] Dumping Domain Credentials (domain\\uid:rid:lmhash:nthash)\n\
             [*] Using the DRSUAPI method to get NTDS.DIT secrets\n\
             KORO\\yoshida:1104:{EMPTY_LM}:{NT}::: (pwdLastSet=2024-01-01 10:00) (status=Enabled)\n\
             [*] Cleaning up...\n"
        );
        let p = parse(&text, "dump.txt");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let names: Vec<(&str, usize)> = p
            .accounts
            .iter()
            .map(|a| (a.name.as_str(), a.line))
            .collect();
        assert_eq!(names, [("Administrator", 4), ("yoshida", 13)]);
        assert_eq!(p.accounts[1].skip, None);
        assert_eq!(p.records, 2);
    }

    #[test]
    fn errors_never_quote_hashes() {
        let bad_lm = format!(
            "u:1:{}zz:{NT}:::\nv:2:{EMPTY_LM}:{NT}Z:::\nw:x:{EMPTY_LM}:{NT}:::\n",
            &LM[..30]
        );
        let p = parse(&bad_lm, "f");
        assert_eq!(p.accounts.len(), 0);
        assert_eq!(p.errors.len(), 3);
        for e in &p.errors {
            assert!(
                !e.message.contains(&LM[..8]) && !e.message.contains(&NT[..8]),
                "{e:?}"
            );
        }
    }

    #[test]
    fn sniff_recognises_pwdump_only() {
        assert!(sniff(&sample()));
        assert!(!sniff("root:$6$abc$def:19000:0:99999:7:::\n"));
        assert!(!sniff("admin:$apr1$abc$def\n"));
    }

    #[test]
    fn utf8_bom_is_ignored() {
        let p = parse(
            &format!("\u{feff}Administrator:500:{EMPTY_LM}:{NT}:::\n"),
            "f",
        );
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].name, "Administrator");
    }

    /// Everything about an account a parse gives, to compare parses.
    fn summary(p: &ParsedInput) -> (usize, Vec<String>, Vec<(String, String)>) {
        let accounts = p
            .accounts
            .iter()
            .map(|a| {
                format!(
                    "{} {} {:?} {:?} {:?}",
                    a.name,
                    a.line,
                    a.hash
                        .as_ref()
                        .map(|h| (h.scheme, h.text.expose().to_string())),
                    a.lm.as_ref().map(|h| h.text.expose().to_string()),
                    (a.skip, a.password_set)
                )
            })
            .collect();
        let errors = p
            .errors
            .iter()
            .map(|e| (e.source.clone(), e.message.clone()))
            .collect();
        (p.records, accounts, errors)
    }

    #[test]
    fn chunks_parse_like_one_piece() {
        let mut text = String::from("\u{feff}");
        for i in 0..40 {
            text.push_str(&sample().replace("yoshida", &format!("u{i}")));
            text.push_str(&format!(
                "w{i}:1{i}:{EMPTY_LM}:{NT}::: (pwdLastSet=2025-0{}-1{} 09:00) (status=Enabled)\n",
                i % 9 + 1,
                i % 10
            ));
            if i % 7 == 3 {
                text.push_str("[*] Dumping LSA Secrets\nsecret:1:x\n\n");
            }
            if i % 7 == 5 {
                text.push_str("[*] Dumping local SAM hashes (uid:rid:lmhash:nthash)\n");
            }
        }
        for t in [
            text.clone(),
            text.replace("\r\n", "\n"),
            format!("{text}\n\n"),
            String::new(),
        ] {
            let whole = parse_chunked(&t, "f", usize::MAX);
            for chunk in [1, 2, 17, 100, 1000] {
                let p = parse_chunked(&t, "f", chunk);
                assert_eq!(summary(&p), summary(&whole), "chunk {chunk}");
            }
            let lines: Vec<(usize, &str)> = numbered_lines(&t).collect();
            for chunk in [1, 5, 64] {
                let chunked: Vec<(usize, &str)> = line_chunks(&t, chunk)
                    .into_iter()
                    .flat_map(|c| c.lines())
                    .collect();
                assert_eq!(chunked, lines, "chunk {chunk}");
            }
        }
    }

    fn account(line: &str) -> RawAccount {
        match parse_line(line) {
            Ok(Line::Account(a)) => a,
            Ok(Line::Ignored) => panic!("ignored: {line}"),
            Err(e) => panic!("{e}: {line}"),
        }
    }

    fn day(s: &str) -> Option<PasswordSet> {
        PasswordSet::on(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    /// impacket prints ` (pwdLastSet=…)` before ` (status=…)` (NTDS) or ` (Enabled=…) (Locked=…)
    /// (Admin=…)` (SAM); either may be absent, and other tools reorder them.
    #[test]
    fn secretsdump_suffixes_in_any_order() {
        let base = format!("KORO\\sato:1104:{EMPTY_LM}:{NT}:::");
        let cases = [
            (String::new(), None, None),
            (
                " (pwdLastSet=2025-10-01 09:00)".into(),
                day("2025-10-01"),
                None,
            ),
            (" (status=Enabled)".into(), None, None),
            (
                " (status=Disabled)".into(),
                None,
                Some(SkipReason::Disabled),
            ),
            (
                " (pwdLastSet=2025-10-01 09:00) (status=Enabled)".into(),
                day("2025-10-01"),
                None,
            ),
            (
                " (status=Disabled) (pwdLastSet=2019-02-28 23:59)".into(),
                day("2019-02-28"),
                Some(SkipReason::Disabled),
            ),
            (
                " (pwdLastSet=never) (status=N/A)".into(),
                Some(PasswordSet::Never),
                None,
            ),
            (" (pwdLastSet=N/A) (status=Enabled)".into(), None, None),
            // SAM: seconds, and the Enabled/Locked/Admin groups of -user-status.
            (
                " (pwdLastSet=2024-05-01 12:34:56) (Enabled=False) (Locked=False) (Admin=True)"
                    .into(),
                day("2024-05-01"),
                Some(SkipReason::Disabled),
            ),
            (
                " (pwdLastSet=never) (Enabled=True) (Locked=True) (Admin=False)".into(),
                Some(PasswordSet::Never),
                None,
            ),
        ];
        for (suffix, set, skip) in cases {
            let a = account(&format!("{base}{suffix}"));
            assert_eq!((a.password_set, a.skip), (set, skip), "{suffix}");
            assert_eq!(a.name, "sato");
            assert_eq!(a.hash.unwrap().text.expose(), NT.to_ascii_lowercase());
        }
        for bad in [
            "(pwdLastSet=yesterday)",
            "(pwdLastSet=2025-13-01 00:00)",
            "(pwdLastSet=2025-10-0109:00)",
        ] {
            let e = parse_line(&format!("{base} {bad}")).err().unwrap();
            assert_eq!(e, LineError::PwdumpLastSet, "{bad}");
            assert!(e.to_string().contains("pwdLastSet"), "{bad}: {e}");
        }
    }

    /// Metasploit: Meterpreter `hashdump`, `post/windows/gather/hashdump` (hints as `user:"hint"`)
    /// and `smart_hashdump` (`[+] ` and a tab; injected lines without `:::`; old `(Hint: "…")`).
    #[test]
    fn metasploit_hashdump_variants() {
        let text = format!(
            "meterpreter > hashdump\n\
             Administrator:500:{EMPTY_LM}:{NT}:::\n\
             msf6 post(windows/gather/hashdump) > run\n\
             [*] Dumping password hints...\n\
             \n\
             sato:\"my cat: tama\"\n\
             No users with password hints on this system\n\
             [*] Dumping password hashes...\n\
             [+] \tThis host is a Domain Controller!\n\
             [+] \tsato:\"hint\"\n\
             [+] \tsuzuki:1001:{LM}:{NT}:::\n\
             [+] \tkato:1002:{EMPTY_LM}:{NT}\n\
             [+] \tito:1003:{EMPTY_LM}:{NT}::: (Hint: \"a (b) c\")\n\
             [+] \tbad:1004:{EMPTY_LM}:xyz:::\n\
             [*] Post module execution completed\n"
        );
        assert!(sniff(&text));
        let p = parse(&text, "msf.txt");
        let names: Vec<(&str, usize)> = p
            .accounts
            .iter()
            .map(|a| (a.name.as_str(), a.line))
            .collect();
        assert_eq!(
            names,
            [
                ("Administrator", 2),
                ("suzuki", 11),
                ("kato", 12),
                ("ito", 13)
            ]
        );
        assert!(p.accounts.iter().all(|a| a.skip.is_none()));
        assert_eq!(p.accounts[1].lm.as_ref().unwrap().text.expose(), LM);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!(p.errors[0].source, "msf.txt:14");
        assert!(!p.errors[0].message.contains("hint"));
    }

    #[test]
    fn history_and_service_names_in_any_case() {
        assert!(is_history("sato_history0"));
        assert!(is_history("SATO_HISTORY12"));
        assert!(is_history("a_history_History3"));
        assert!(!is_history("sato_history"));
        assert!(!is_history("sato_history1x"));
        assert!(!is_history("_histor"));
        assert!(!is_history(""));
        let line = |name: &str| format!("{name}:1:{EMPTY_LM}:{NT}:::");
        let skip = |name: &str| match parse_line(&line(name)) {
            Ok(Line::Account(a)) => a.skip,
            _ => panic!("not an account"),
        };
        assert_eq!(skip("KRBTGT"), Some(SkipReason::ServiceSecret));
        assert_eq!(skip("krbtgt_History2"), Some(SkipReason::ServiceSecret));
        assert_eq!(skip("Sato_History2"), Some(SkipReason::History));
        assert_eq!(skip("krbtgtx"), None);
        assert_eq!(skip("ゆ"), None);
    }
}
