//! Guessability (推定困難でない): wordlists, context words, sequences, keyboard walks, dates, zxcvbn.
//!
//! rules.md 2-⑦ step 4. Every check runs on the lower-cased password and, where it makes sense, on
//! de-leeted variants (`@→a $→s 0→o 1→i|l 3→e 4→a 5→s 7→t !→i`). Details never quote the password.

use crate::model::{Facts, GuessWhy, Guesses};
use crate::recover::wordlists::{Wordlists, KEYBOARD_TXT};
use std::collections::HashSet;
use std::sync::OnceLock;

/// What the password is checked against besides itself.
pub struct GuessContext<'a> {
    pub account: &'a str,
    /// Facility, people and product names from the manifest (lower-case).
    pub context_words: &'a [String],
    pub lists: &'a Wordlists,
}

/// One reason a password is guessable. `fail` is false only for date-like runs (a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuessReason {
    /// Stable short key: `wordlist`, `default`, `context_word`, `username`, `word_plus_suffix`,
    /// `sequence`, `repeat`, `keyboard_walk`, `date`, `zxcvbn`.
    pub kind: &'static str,
    /// The reason as facts (one reason; with zxcvbn, its estimate), which `words` says in either
    /// language; never the password.
    pub why: Guesses,
    pub fail: bool,
}

impl GuessReason {
    /// The reason in English words.
    pub fn detail(&self) -> String {
        crate::words::english(&Facts::Guessable(self.why)).unwrap_or_default()
    }
}

/// Minimum length of a context word, account name or base word that counts.
pub const MIN_WORD_LEN: usize = 4;
/// zxcvbn scores at or below this are guessable (score 1 = fewer than 10^6 guesses).
pub const ZXCVBN_MAX_WEAK_SCORE: u8 = 1;
/// A sequence/repeat/keyboard walk "dominates" when it covers at least this share (in percent).
pub const DOMINANT_PERCENT: usize = 60;

/// Every reason `password` (already NFKC-normalised) is guessable; empty when none applies.
pub fn assess(password: &str, ctx: &GuessContext<'_>) -> Vec<GuessReason> {
    let mut out = Vec::new();
    if password.is_empty() {
        return out;
    }
    let lower = password.to_lowercase();
    // Structural checks look at a bounded prefix so a pathological input stays cheap.
    let lower_chars: Vec<char> = lower.chars().take(STRUCT_MAX_CHARS).collect();
    let lower_b: String = lower_chars.iter().collect();
    let vars = variants(&lower_b);

    if let Some(v) = vars.iter().find(|v| ctx.lists.contains(&v.text)) {
        out.push(fail(
            "wordlist",
            if v.deleeted {
                GuessWhy::WordlistLeet
            } else {
                GuessWhy::Wordlist
            },
        ));
    }
    if !out.iter().any(|r| r.kind == "wordlist") && inserted_into_common(&lower_chars, ctx.lists) {
        out.push(fail("wordlist", GuessWhy::WordlistInserted));
    }
    if is_default(password, ctx.lists) {
        out.push(fail("default", GuessWhy::Default));
    }

    let ctx_words: Vec<String> = ctx
        .context_words
        .iter()
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().count() >= MIN_WORD_LEN)
        .collect();
    if ctx_words
        .iter()
        .any(|w| vars.iter().any(|v| v.text.contains(w.as_str())))
    {
        out.push(fail("context_word", GuessWhy::ContextWord));
    }

    let user = user_part(ctx.account).to_lowercase();
    if user.chars().count() >= MIN_WORD_LEN && vars.iter().any(|v| v.text.contains(&user)) {
        out.push(fail("username", GuessWhy::Username));
    }

    if word_plus_affix(&lower_chars, ctx.lists, &ctx_words) {
        out.push(fail("word_plus_suffix", GuessWhy::WordPlusAffix));
    }

    let (seq, rep) = sequence_or_repeat(&lower_chars);
    if seq {
        out.push(fail("sequence", GuessWhy::Sequence));
    }
    if rep {
        out.push(fail("repeat", GuessWhy::Repeat));
    }

    if keyboard_walk(&lower_chars) {
        out.push(fail("keyboard_walk", GuessWhy::KeyboardWalk));
    }

    if has_date(&lower_chars) {
        out.push(GuessReason {
            kind: "date",
            why: Guesses::default().with(GuessWhy::Date),
            fail: false,
        });
    }

    let mut inputs: Vec<&str> = Vec::with_capacity(ctx.context_words.len() + 2);
    inputs.push(ctx.account);
    let user_raw = user_part(ctx.account);
    if user_raw != ctx.account {
        inputs.push(user_raw);
    }
    inputs.extend(ctx.context_words.iter().map(String::as_str));
    inputs.retain(|s| !s.is_empty());
    let entropy = zxcvbn::zxcvbn(password, &inputs);
    let score = u8::from(entropy.score());
    if score <= ZXCVBN_MAX_WEAK_SCORE {
        out.push(GuessReason {
            kind: "zxcvbn",
            why: Guesses::default().zxcvbn(score, entropy.guesses_log10()),
            fail: true,
        });
    }
    out
}

/// Is `password` a known factory default (vendor lists)? Compared case-sensitively and lower-cased.
pub fn is_default(password: &str, lists: &Wordlists) -> bool {
    !password.is_empty()
        && (lists.defaults.contains(password) || lists.is_default(&password.to_lowercase()))
}

/// Account names that ship with devices and systems (admin, root, manager, …): a vendor-default
/// password on such an account is a factory default left unchanged.
pub fn is_default_account(account: &str) -> bool {
    const NAMES: &[&str] = &[
        "admin",
        "administrator",
        "root",
        "manager",
        "user",
        "guest",
        "support",
        "service",
        "operator",
        "super",
        "superuser",
        "sysadmin",
        "sysadm",
        "setup",
        "cisco",
        "ubnt",
        "pi",
        "enable",
        "sa",
        "system",
        "sys",
        "maint",
        "maintenance",
        "tech",
        "installer",
        "default",
        "monitor",
        "security",
        "netadmin",
        "webadmin",
        "console",
        "master",
        "owner",
    ];
    let u = user_part(account).to_ascii_lowercase();
    NAMES.contains(&u.as_str())
}

/// The user part of an account name: `DOMAIN\user` → `user`, `user@realm` → `user`.
pub fn user_part(account: &str) -> &str {
    let a = account.rsplit('\\').next().unwrap_or(account);
    match a.split_once('@') {
        Some((u, _)) if !u.is_empty() => u,
        _ => a,
    }
}

// ---------------------------------------------------------------------------------------------
// helpers

/// Structural checks look at most at this many characters.
const STRUCT_MAX_CHARS: usize = 256;

/// Longest base word considered by the word + suffix check.
const MAX_WORD_LEN: usize = 64;

fn fail(kind: &'static str, why: GuessWhy) -> GuessReason {
    GuessReason {
        kind,
        why: Guesses::default().with(why),
        fail: true,
    }
}

/// A lower-cased form of the password to compare against words.
struct Variant {
    text: String,
    deleeted: bool,
}

/// The lower-cased string plus its de-leeted forms (1→i and 1→l; symbols only), de-duplicated.
fn variants(lower: &str) -> Vec<Variant> {
    let mut out = vec![Variant {
        text: lower.to_string(),
        deleeted: false,
    }];
    for text in deleet_all(lower) {
        if !out.iter().any(|v| v.text == text) {
            out.push(Variant {
                text,
                deleeted: true,
            });
        }
    }
    out
}

/// De-leeted forms of `s` (not including `s` itself unless no character changed).
fn deleet_all(s: &str) -> [String; 3] {
    [
        s.chars().map(|c| deleet(c, 'i')).collect(),
        s.chars().map(|c| deleet(c, 'l')).collect(),
        s.chars()
            .map(|c| match c {
                '@' => 'a',
                '$' => 's',
                '!' => 'i',
                c => c,
            })
            .collect(),
    ]
}

fn deleet(c: char, one: char) -> char {
    match c {
        '@' | '4' => 'a',
        '$' | '5' => 's',
        '0' => 'o',
        '1' => one,
        '3' => 'e',
        '7' => 't',
        '!' => 'i',
        c => c,
    }
}

/// A base word (from the lists, or a context word) with only digits/symbols added before and/or
/// after it (`Password2025!`, `Sakura123`, `p4ssw0rd!!`, `2025koro`), also after de-leeting the word.
fn word_plus_affix(chars: &[char], lists: &Wordlists, ctx_words: &[String]) -> bool {
    let n = chars.len();
    let not_letter = |c: &char| !c.is_alphabetic();
    let lead = chars.iter().take_while(|c| not_letter(c)).count();
    let trail = chars.iter().rev().take_while(|c| not_letter(c)).count();
    if lead == n {
        return false; // no letters at all
    }
    let is_base = |w: &str| {
        w.chars().count() >= MIN_WORD_LEN
            && w.chars().all(|c| c.is_alphabetic())
            && (lists.is_base_word(w) || ctx_words.iter().any(|c| c == w))
    };
    for start in 0..=lead {
        for end in (n - trail..=n).rev() {
            if end < start + MIN_WORD_LEN || end > start + MAX_WORD_LEN || (start == 0 && end == n)
            {
                continue;
            }
            let core: String = chars[start..end].iter().collect();
            if is_base(&core) || deleet_all(&core).iter().any(|d| is_base(d)) {
                return true;
            }
        }
    }
    false
}

/// The letters alone, when digits/symbols sit between them (`Pass@word1` → `password`), form a listed password of at
/// least 6 letters that makes up at least 60 % of the password.
fn inserted_into_common(chars: &[char], lists: &Wordlists) -> bool {
    let letters: String = chars.iter().filter(|c| c.is_alphabetic()).collect();
    let n = letters.chars().count();
    let first = chars.iter().position(|c| c.is_alphabetic());
    let last = chars.iter().rposition(|c| c.is_alphabetic());
    let contiguous = matches!((first, last), (Some(f), Some(l)) if l + 1 - f == n);
    if n < 6 || n * 100 < chars.len() * DOMINANT_PERCENT || contiguous {
        return false; // contiguous letters are the word + suffix check's job
    }
    lists.contains(&letters)
}

/// (sequence, repeat): does an ascending/descending run or a repeat dominate the password, or the
/// password without its trailing digits/symbols? `i`, `l`, `!`, `|` also count as `1` and `o` as `0`
/// when looking for digit sequences (`i234567&9`).
fn sequence_or_repeat(chars: &[char]) -> (bool, bool) {
    let digitised: Vec<char> = chars
        .iter()
        .map(|&c| match c {
            'i' | 'l' | '!' | '|' => '1',
            'o' => '0',
            c => c,
        })
        .collect();
    let mut seq = false;
    let mut rep = false;
    for s in [chars, &digitised[..]] {
        let trail = s
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit() || c.is_ascii_punctuation() || **c == ' ')
            .count();
        let core = &s[..s.len() - trail];
        for t in [s, core] {
            let (q, r) = dominated(t);
            seq |= q;
            rep |= r;
        }
    }
    (seq, rep)
}

/// Sequence/repeat domination of one string: runs of ≥ 3 cover ≥ 60 % of it and either one run is
/// ≥ 4 long or the runs cover everything; or the whole string is one block repeated.
fn dominated(s: &[char]) -> (bool, bool) {
    let n = s.len();
    if n < MIN_WORD_LEN {
        return (false, false);
    }
    let mut seq_mask = vec![false; n];
    let mut rep_mask = vec![false; n];
    let mut longest = 0;
    // ascending / descending runs within one class (digits or ASCII letters)
    let mut i = 0;
    while i + 1 < n {
        let step = step_of(s[i], s[i + 1]);
        let mut j = i + 1;
        if step != 0 {
            while j + 1 < n && step_of(s[j], s[j + 1]) == step {
                j += 1;
            }
            if j - i + 1 >= 3 {
                seq_mask[i..=j].iter_mut().for_each(|m| *m = true);
                longest = longest.max(j - i + 1);
            }
        }
        i = j.max(i + 1);
        if step != 0 {
            // the last character of a run can start a run in the other direction
            i = j;
        }
    }
    // runs of one repeated character
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && s[j + 1] == s[i] {
            j += 1;
        }
        if j - i + 1 >= 3 {
            rep_mask[i..=j].iter_mut().for_each(|m| *m = true);
            longest = longest.max(j - i + 1);
        }
        i = j + 1;
    }
    let seq_cov = seq_mask.iter().filter(|m| **m).count();
    let rep_cov = rep_mask.iter().filter(|m| **m).count();
    let cov = seq_mask
        .iter()
        .zip(&rep_mask)
        .filter(|(a, b)| **a || **b)
        .count();
    let mut seq = false;
    let mut rep = false;
    if cov * 100 >= n * DOMINANT_PERCENT && (longest >= 4 || cov == n) {
        if seq_cov >= rep_cov {
            seq = true;
        } else {
            rep = true;
        }
    }
    // one block repeated: `abcabc`, `abab`, `passpass`
    if (1..=n / 2).any(|p| n.is_multiple_of(p) && (p..n).all(|k| s[k] == s[k - p])) {
        rep = true;
    }
    (seq, rep)
}

/// +1 / -1 when `b` follows / precedes `a` in the same class (digits or ASCII letters), else 0.
fn step_of(a: char, b: char) -> i32 {
    let same_class = (a.is_ascii_digit() && b.is_ascii_digit())
        || (a.is_ascii_lowercase() && b.is_ascii_lowercase());
    if !same_class {
        return 0;
    }
    match b as i32 - a as i32 {
        1 => 1,
        -1 => -1,
        _ => 0,
    }
}

/// Lower-cased keyboard walks of length 4..=12 (from `wordlists/keyboard.txt`, also without
/// `--no-default-wordlists`: walks are a rule, not a list).
fn keyboard_set() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        KEYBOARD_TXT
            .lines()
            .map(|l| l.trim_end_matches('\r').to_lowercase())
            .filter(|l| l.chars().count() >= 4)
            .collect()
    })
}

/// Keyboard walks of length ≥ 4 cover ≥ 60 % of the password (as typed, or with US-shifted
/// symbols mapped back to their keys: `!qaz@wsx` → `1qaz2wsx`).
fn keyboard_walk(chars: &[char]) -> bool {
    let unshifted: Vec<char> = chars.iter().map(|&c| unshift_us(c)).collect();
    [chars, &unshifted[..]].iter().any(|s| {
        let n = s.len();
        if n < 4 {
            return false;
        }
        let set = keyboard_set();
        let mut mask = vec![false; n];
        for i in 0..n {
            for len in 4..=12.min(n - i) {
                let sub: String = s[i..i + len].iter().collect();
                if set.contains(&sub) {
                    mask[i..i + len].iter_mut().for_each(|m| *m = true);
                }
            }
        }
        mask.iter().filter(|m| **m).count() * 100 >= n * DOMINANT_PERCENT
    })
}

fn unshift_us(c: char) -> char {
    const SHIFTED: &str = "!@#$%^&*()_+{}|:\"<>?~";
    const PLAIN: &str = "1234567890-=[]\\;',./`";
    match SHIFTED.chars().position(|s| s == c) {
        Some(i) => PLAIN.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// A run of ≥ 6 ASCII digits that is a date: a 6-digit run as YYMMDD, an 8-digit window of a run
/// as YYYYMMDD, MMDDYYYY or DDMMYYYY (years 1900–2099).
fn has_date(chars: &[char]) -> bool {
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let run: Vec<u32> = chars[i..j].iter().filter_map(|c| c.to_digit(10)).collect();
        if run.len() == 6 && is_date(2000 + num(&run[0..2]), num(&run[2..4]), num(&run[4..6])) {
            return true;
        }
        if run.len() >= 8 && run.windows(8).any(date8) {
            return true;
        }
        i = j;
    }
    false
}

fn date8(d: &[u32]) -> bool {
    let plausible = |y: u32| (1900..=2099).contains(&y);
    let (y, m, dd) = (num(&d[0..4]), num(&d[4..6]), num(&d[6..8]));
    if plausible(y) && is_date(y, m, dd) {
        return true;
    }
    let y2 = num(&d[4..8]);
    plausible(y2)
        && (is_date(y2, num(&d[0..2]), num(&d[2..4])) || is_date(y2, num(&d[2..4]), num(&d[0..2])))
}

fn num(d: &[u32]) -> u32 {
    d.iter().fold(0, |acc, x| acc * 10 + x)
}

fn is_date(y: u32, m: u32, d: u32) -> bool {
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> &'static Wordlists {
        static L: OnceLock<Wordlists> = OnceLock::new();
        L.get_or_init(Wordlists::builtin)
    }

    fn kinds_with(
        pw: &str,
        account: &str,
        ctx_words: &[&str],
        lists: &Wordlists,
    ) -> Vec<&'static str> {
        let words: Vec<String> = ctx_words.iter().map(|s| s.to_string()).collect();
        let ctx = GuessContext {
            account,
            context_words: &words,
            lists,
        };
        let reasons = assess(pw, &ctx);
        for r in &reasons {
            assert!(!r.detail().contains(pw), "detail quotes the password");
        }
        reasons.iter().map(|r| r.kind).collect()
    }

    fn kinds(pw: &str, account: &str, ctx_words: &[&str]) -> Vec<&'static str> {
        kinds_with(pw, account, ctx_words, lists())
    }

    fn guessable(pw: &str, account: &str, ctx_words: &[&str]) -> bool {
        let words: Vec<String> = ctx_words.iter().map(|s| s.to_string()).collect();
        let ctx = GuessContext {
            account,
            context_words: &words,
            lists: lists(),
        };
        assess(pw, &ctx).iter().any(|r| r.fail)
    }

    #[test]
    fn mhlw_public_vectors_are_all_guessable() {
        let ctx = ["koro"];
        for pw in [
            "Administrator",
            "12345678",
            "pa$$w0rd",
            "i234567&9",
            "qwerty",
            "7410",
            "KoroHospital",
            "KoroTaro",
        ] {
            assert!(guessable(pw, "taro", &ctx), "{pw} must be guessable");
        }
    }

    #[test]
    fn mhlw_vectors_fail_for_the_expected_reasons() {
        let k = kinds("Administrator", "taro", &[]);
        assert!(k.contains(&"wordlist"), "{k:?}");
        let k = kinds("12345678", "taro", &[]);
        assert!(k.contains(&"wordlist") && k.contains(&"sequence"), "{k:?}");
        assert!(kinds("pa$$w0rd", "taro", &[]).contains(&"wordlist"));
        assert!(kinds("i234567&9", "taro", &[]).contains(&"sequence"));
        assert!(kinds("qwerty", "taro", &[]).contains(&"keyboard_walk"));
        assert!(kinds("7410", "taro", &[]).contains(&"keyboard_walk"));
        assert!(kinds("KoroHospital", "x", &["koro"]).contains(&"context_word"));
        assert!(kinds("KoroTaro", "x", &["koro"]).contains(&"context_word"));
    }

    #[test]
    fn structure_checks_work_without_any_wordlist() {
        let empty = Wordlists::empty();
        assert!(kinds_with("i234567&9", "x", &[], &empty).contains(&"sequence"));
        assert!(kinds_with("7410", "x", &[], &empty).contains(&"keyboard_walk"));
        assert!(kinds_with("!QAZ@wsx", "x", &[], &empty).contains(&"keyboard_walk"));
        assert!(kinds_with("1qaz2wsx3edc", "x", &[], &empty).contains(&"keyboard_walk"));
        assert!(kinds_with("147258369", "x", &[], &empty).contains(&"keyboard_walk"));
        assert!(kinds_with("KoroTaro", "x", &["koro"], &empty).contains(&"context_word"));
        assert!(!kinds_with("Administrator", "x", &[], &empty).contains(&"wordlist"));
    }

    #[test]
    fn random_passwords_pass() {
        for pw in ["Vq7#tLm2$eRw9!", "x9%Gh2&kLp", "Tq8!mZ3@vB"] {
            let k = kinds(pw, "taro", &["koro"]);
            assert!(k.is_empty(), "{pw}: {k:?}");
        }
        let k = kinds("Kensa-Tr0ub4dor&3x", "yamada", &["koro", "taro"]);
        assert!(k.is_empty(), "{k:?}");
        // only what genuinely applies: the manifest names the product "kensa"
        let k = kinds("Kensa-Tr0ub4dor&3x", "yamada", &["kensa"]);
        assert_eq!(k, ["context_word"]);
    }

    #[test]
    fn word_plus_suffix_with_capital_and_leet() {
        for pw in [
            "Password2025!",
            "Sakura123",
            "P4ssw0rd!!",
            "Hospital2025#",
            "2025sakura",
        ] {
            assert!(kinds(pw, "x", &[]).contains(&"word_plus_suffix"), "{pw}");
        }
        let k = kinds("Koro2025!", "x", &["koro"]);
        assert!(
            k.contains(&"word_plus_suffix") && k.contains(&"context_word"),
            "{k:?}"
        );
        // a word inside other letters is not "word + suffix"
        assert!(!kinds("Sakurax123", "x", &[]).contains(&"word_plus_suffix"));
    }

    #[test]
    fn username_uses_the_user_part() {
        assert!(kinds("Xy!yamada#2Qz", r"KORO\Yamada", &[]).contains(&"username"));
        assert!(kinds("Xy!yamada#2Qz", "yamada@koro.local", &[]).contains(&"username"));
        // short account names do not count
        assert!(!kinds("Xy!abc#2QzWw9", "abc", &[]).contains(&"username"));
        assert_eq!(user_part(r"DOM\u"), "u");
        assert_eq!(user_part("plain"), "plain");
    }

    #[test]
    fn context_words_are_found_after_deleeting() {
        assert!(kinds("K0r0-Zq8#mW2x", "x", &["koro"]).contains(&"context_word"));
        // context words shorter than 4 are ignored
        assert!(!kinds("Zq8#abcW2xPt", "x", &["abc"]).contains(&"context_word"));
    }

    #[test]
    fn sequences_and_repeats() {
        assert!(kinds("abcdefgh", "x", &[]).contains(&"sequence"));
        assert!(kinds("98765432", "x", &[]).contains(&"sequence"));
        assert!(kinds("Abcdef2025!", "x", &[]).contains(&"sequence"));
        assert!(kinds("aaaa", "x", &[]).contains(&"repeat"));
        assert!(kinds("abcabc", "x", &[]).contains(&"repeat"));
        assert!(kinds("zzzzzzzz1!", "x", &[]).contains(&"repeat"));
        assert!(!kinds("Tq8!mZ3@vB", "x", &[]).contains(&"sequence"));
    }

    #[test]
    fn dates_are_a_warning_only() {
        let words = Vec::new();
        let ctx = GuessContext {
            account: "x",
            context_words: &words,
            lists: lists(),
        };
        let r = assess("Qz#19850412mW", &ctx);
        let date = r.iter().find(|r| r.kind == "date").expect("date found");
        assert!(!date.fail);
        assert!(kinds("Qz#850412!mWv", "x", &[]).contains(&"date"));
        assert!(kinds("Qz#04121985!mW", "x", &[]).contains(&"date"));
        assert!(!kinds("12345678", "x", &[]).contains(&"date"));
        assert!(!kinds("Qz#123456!mWv", "x", &[]).contains(&"date"));
    }

    #[test]
    fn defaults_are_reported() {
        assert!(is_default("calvin", lists()));
        assert!(is_default("CALVIN", lists()));
        assert!(!is_default("", lists()));
        assert!(!is_default("Vq7#tLm2$eRw9!", lists()));
        assert!(kinds("ubnt", "x", &[]).contains(&"default"));
    }

    #[test]
    fn symbols_inserted_into_a_common_password() {
        assert!(kinds("Pass@word1", "x", &[]).contains(&"wordlist"));
        assert!(kinds("Drag-on!99", "x", &[]).contains(&"wordlist"));
        // a passphrase of two place names is not a listed password
        assert!(!kinds("Tokyo_Osaka_2025", "x", &[]).contains(&"wordlist"));
    }

    #[test]
    fn random_printable_passwords_are_rarely_flagged() {
        // xorshift64: deterministic printable-ASCII passwords of the lengths the rules care about
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let words = vec!["koro".to_string(), "taro".to_string()];
        let ctx = GuessContext {
            account: "yamada",
            context_words: &words,
            lists: lists(),
        };
        for len in [8usize, 10, 13] {
            let mut flagged = 0;
            for _ in 0..300 {
                let pw: String = (0..len)
                    .map(|_| char::from(33 + (next() % 94) as u8))
                    .collect();
                if assess(&pw, &ctx).iter().any(|r| r.fail) {
                    flagged += 1;
                }
            }
            assert!(
                flagged <= 3,
                "length {len}: {flagged} of 300 random passwords flagged"
            );
        }
    }

    #[test]
    fn long_inputs_stay_fast() {
        let t = std::time::Instant::now();
        for pw in ["1".repeat(5000), "a".repeat(5000), "!@#$".repeat(1000)] {
            assert!(guessable(&pw, "x", &[]));
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn zxcvbn_flags_weak_and_spares_strong() {
        assert!(kinds("letmein1", "x", &[]).contains(&"zxcvbn"));
        assert!(!kinds("Vq7#tLm2$eRw9!", "x", &[]).contains(&"zxcvbn"));
        assert!(kinds("", "x", &[]).is_empty());
    }
}
