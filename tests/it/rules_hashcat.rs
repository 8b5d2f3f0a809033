//! kensa's rule interpreter checked against hashcat itself: every rule of best64.rule, of kensa's
//! rule files and of a set covering every op, applied to ~200 varied words, must give what
//! `hashcat --stdout` gives, line for line. Also checks kensa's rule files against their README.
//!
//! Without `hashcat` on PATH the comparisons print a notice and pass, unless KENSA_REQUIRE_HASHCAT=1
//! (CI sets it after installing hashcat), when they fail.
//!
//! Two things about hashcat 6.2.6's `--stdout` shape these tests:
//! * Order: it does not run every rule on one word before the next word. It takes the rules 256 at
//!   a time (its KERNEL_RULES) and runs each group over the whole batch of words (2048 words here;
//!   our lists are far smaller), words outer and rules inner within the group.
//! * Its `d` and `f` OR the word's copy onto whatever follows the word in its batch buffer, i.e. the
//!   next words (hashcat issue 3596, fixed after 6.2.6), where its crackers see zeros. So when a
//!   rule set has `d` or `f`, each word is followed in the wordlist by a word of NUL bytes that
//!   fills the rest of its 256-byte window, and the NUL words' own lines are skipped.

use crate::support::have_hashcat;
use kensa::recover::rules::{Rule, RuleSet, MAX_LEN};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// hashcat's rule group size in `--stdout` (KERNEL_RULES).
const RULE_GROUP: usize = 256;

const BEST64: &str = "/usr/share/hashcat/rules/best64.rule";

const KENSA_FILES: [&str; 4] = [
    "kensa-context.rule",
    "kensa-name.rule",
    "kensa-light.rule",
    "kensa-login.rule",
];

fn rules_dir() -> PathBuf {
    crate::support::root().join("wordlists/rules")
}

/// A `hashcat` command whose state stays out of the real home: HOME, its data and config folders
/// in `dir` (a scratch folder of the test). Its compiled-kernel cache (and pocl's) goes to one
/// folder under cargo's target/tmp, shared by every run: compiling hashcat's kernel takes tens of
/// seconds of CPU, loading it from the cache about one.
fn hashcat_command(dir: &Path) -> Command {
    let mut cmd = Command::new("hashcat");
    cmd.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join(".local/share"))
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("XDG_CACHE_HOME", shared_cache())
        .stdin(Stdio::null());
    cmd
}

/// The kernel cache, filled once per test binary before any comparison runs hashcat, so
/// concurrent tests only read it.
fn shared_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hashcat-cache");
        std::fs::create_dir_all(&cache).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("w.txt"), "warm\n").unwrap();
        std::fs::write(dir.path().join("r.rule"), ":\n").unwrap();
        // The same environment as hashcat_command, which cannot be used before CACHE is set.
        let _ = Command::new("hashcat")
            .args(["--stdout", "--potfile-disable", "-r", "r.rule", "w.txt"])
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join(".local/share"))
            .env("XDG_CONFIG_HOME", dir.path().join(".config"))
            .env("XDG_CACHE_HOME", &cache)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        cache
    })
}

/// ~200 words: lower, upper and mixed case, digits, symbols, spaces, 0-30 bytes, and a few Latin-1
/// and UTF-8 multibyte words. None holds a line break or NUL (lines and spacers), starts with
/// `$HEX[` (hashcat decodes those) or holds 0x85, 0x09, 0x0B, 0x14, 0x15 (one op away from a line
/// break).
fn words() -> Vec<Vec<u8>> {
    let fixed: &[&[u8]] = &[
        b"",
        b"a",
        b"Z",
        b"1",
        b"!",
        b" ",
        b"ab",
        b"Ab",
        b"aB",
        b"x1",
        b"--",
        b"abc",
        b"password",
        b"Password1",
        b"PASSWORD",
        b"p@ssw0rd",
        b"P@$$w0rd!",
        b"admin",
        b"Admin123!",
        b"root",
        b"letmein",
        b"welcome2024",
        b"qwerty",
        b"iloveyou",
        b"monkey",
        b"dragon",
        b"sunshine",
        b"princess",
        b"football",
        b"abc123",
        b"123456",
        b"12345678",
        b"000000",
        b"0123456789",
        b"9876543210",
        b"hello world",
        b"Hello World",
        b"hELLO wORLD",
        b"jean-paul",
        b"o'brien",
        b"user.name",
        b"first_last",
        b"tokyo-hospital",
        b"sakura",
        b"koro",
        b"MiXeD CaSe",
        b"UPPER CASE",
        b"trailing ",
        b" leading",
        b"a-b-c-d",
        b"@@@",
        b"$$$",
        b"#hashtag",
        b"semi;colon",
        b"~tilde~",
        b"back\\slash",
        b"quote\"d",
        b"it's",
        b"brace{s}",
        b"[brackets]",
        b"x\\x41y",
        b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        b"abcdefghijklmnopqrstuvwxyz0123",
        b"The quick brown fox jumps over",
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$",
        b"aaaaaaaaaa",
        b"AbCdEfGhIj",
        b"sesame",
        b"essential",
        b"assassin",
        b"mississippi",
        b"seesaw",
        b"ease",
        b"iris",
        b"oasis",
        b"olio",
        b"aeiosAEIOS",
        b"@dmin",
        b"Sa$$",
        b"`{|}^_",
        b"caf\xe9",
        b"na\xefve",
        b"Gr\xf6\xdfe",
        b"se\xf1or",
        b"\xc9cole",
        "café".as_bytes(),
        "naïve".as_bytes(),
        "straße".as_bytes(),
        "Größe".as_bytes(),
        "パスワード".as_bytes(),
        "日本語".as_bytes(),
        "пароль".as_bytes(),
        "contraseña".as_bytes(),
        "Ærø".as_bytes(),
        "€uro2024".as_bytes(),
        "emoji😀".as_bytes(),
    ];
    let mut out: Vec<Vec<u8>> = fixed.iter().map(|w| w.to_vec()).collect();
    let stems = [
        "hospital", "clinic", "nurse", "doctor", "kensa", "medical", "patient", "health", "care",
        "system", "summer", "winter", "secret", "company", "office",
    ];
    let mut i = 0usize;
    while out.len() < 200 {
        let stem = stems[i % stems.len()];
        let w = match (i / stems.len()) % 7 {
            0 => stem.to_string(),
            1 => format!("{}{}", stem[..1].to_uppercase(), &stem[1..]),
            2 => stem.to_uppercase(),
            3 => format!("{stem}{}", 1990 + i % 40),
            4 => format!("{}{}!", stem.replace('a', "@").replace('o', "0"), i % 100),
            5 => format!("{stem} {stem} {stem}"),
            _ => format!("{i}{stem}#{}", stem.len()),
        };
        let mut w = w.into_bytes();
        w.truncate(30);
        out.push(w);
        i += 1;
    }
    for w in &out {
        assert!(w.len() <= 30 && !w.starts_with(b"$HEX["));
        assert!(!w
            .iter()
            .any(|b| matches!(b, b'\n' | b'\r' | 0 | 0x85 | 0x09 | 0x0b | 0x14 | 0x15)));
    }
    out
}

/// Words past 30 bytes, up to and past hashcat's length limit, for the op coverage set.
fn long_words() -> Vec<Vec<u8>> {
    [64usize, 100, 127, 128, 200, 254, 255, 256]
        .iter()
        .map(|&n| b"Ab1-xY z".iter().copied().cycle().take(n).collect())
        .collect()
}

/// A wordlist entry: a word whose candidates are compared, or a NUL spacer whose lines are skipped.
enum Entry {
    Word(Vec<u8>),
    Spacer(Vec<u8>),
}

impl Entry {
    fn bytes(&self) -> &[u8] {
        match self {
            Entry::Word(w) | Entry::Spacer(w) => w,
        }
    }
}

/// The wordlist as hashcat gets it: each word, followed by a NUL spacer filling the rest of its
/// 256-byte window (at least 4 bytes) when `spacers`.
fn entries(words: &[Vec<u8>], spacers: bool) -> Vec<Entry> {
    let mut out = Vec::new();
    for w in words {
        out.push(Entry::Word(w.clone()));
        if spacers {
            let padded = w.len().div_ceil(4) * 4;
            out.push(Entry::Spacer(vec![0; (MAX_LEN - padded).max(4)]));
        }
    }
    out
}

/// Whether a rule has `d` or `f`, the ops hashcat 6.2.6's `--stdout` gets wrong without spacers.
/// `Rule`'s text separates ops by spaces and never writes a space as a parameter.
fn doubles(rule: &Rule) -> bool {
    rule.to_string().split(' ').any(|op| op == "d" || op == "f")
}

/// Runs `hashcat --stdout` with `args` in `dir` and returns its stdout as a reader plus the child
/// to wait on.
fn hashcat(
    dir: &Path,
    args: &[&str],
) -> (std::process::Child, BufReader<std::process::ChildStdout>) {
    let mut child = hashcat_command(dir)
        .arg("--stdout")
        .arg("--potfile-disable")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hashcat");
    let stdout = BufReader::with_capacity(1 << 20, child.stdout.take().unwrap());
    (child, stdout)
}

/// Waits for hashcat and returns its stderr, failing on a non-zero exit.
fn finish(mut child: std::process::Child, what: &str) -> String {
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{what}: hashcat failed ({status}): {err}");
    err
}

fn write_wordlist(path: &Path, entries: &[Entry]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for e in entries {
        f.write_all(e.bytes()).unwrap();
        f.write_all(b"\n").unwrap();
    }
    f.flush().unwrap();
}

/// Compares kensa's output for every rule of `rule_text` on every word with hashcat's, in
/// hashcat's order.
fn compare_with_hashcat(name: &str, rule_text: &str, words: &[Vec<u8>]) {
    let set = RuleSet::parse(rule_text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(!set.rules.is_empty(), "{name}: no rules");
    let spacers = set.rules.iter().any(doubles);
    let entries = entries(words, spacers);

    let dir = tempfile::tempdir().unwrap();
    let rule_path = dir.path().join("rules.rule");
    std::fs::write(&rule_path, rule_text).unwrap();
    let word_path = dir.path().join("words.txt");
    write_wordlist(&word_path, &entries);

    let (child, mut stdout) = hashcat(
        dir.path(),
        &[
            "-r",
            rule_path.to_str().unwrap(),
            word_path.to_str().unwrap(),
        ],
    );

    let mut line = Vec::with_capacity(1024);
    let mut out = Vec::with_capacity(MAX_LEN);
    let mut compared = 0usize;
    for (g, group) in set.rules.chunks(RULE_GROUP).enumerate() {
        for (e, entry) in entries.iter().enumerate() {
            for (r, rule) in group.iter().enumerate() {
                line.clear();
                let n = stdout.read_until(b'\n', &mut line).unwrap();
                assert!(
                    n > 0,
                    "{name}: hashcat's output ended early (rule {}, entry {e})",
                    g * RULE_GROUP + r + 1
                );
                assert_eq!(line.pop(), Some(b'\n'), "{name}: unterminated line");
                let Entry::Word(word) = entry else { continue };
                let kept = rule.apply(word, &mut out);
                // Every op in these sets is one hashcat's -r engine runs: nothing is rejected.
                assert!(kept, "{name}: rule `{rule}` rejected entry {e}");
                assert!(
                    !out.contains(&b'\n'),
                    "{name}: rule `{rule}` made a line break from entry {e}; pick other words"
                );
                assert!(
                    line == out,
                    "{name}: rule `{rule}` (rule {} of the set) on entry {e} ({:?}): hashcat {:?}, kensa {:?}",
                    g * RULE_GROUP + r + 1,
                    String::from_utf8_lossy(word),
                    String::from_utf8_lossy(&line),
                    String::from_utf8_lossy(&out),
                );
                compared += 1;
            }
        }
    }
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    assert!(
        rest.is_empty(),
        "{name}: hashcat printed {} more bytes than expected",
        rest.len()
    );
    let err = finish(child, name);
    // hashcat skips a rule it cannot use with a warning; the counts above would catch it too.
    assert!(
        !err.contains("Skipping") && !err.contains("Cannot convert"),
        "{name}: {err}"
    );
    assert_eq!(compared, words.len() * set.rules.len(), "{name}");
    eprintln!(
        "{name}: {} rules x {} words = {compared} candidates equal to hashcat's",
        set.rules.len(),
        words.len()
    );
}

#[test]
fn best64_matches_hashcat() {
    if !have_hashcat("best64_matches_hashcat") {
        return;
    }
    let Ok(text) = std::fs::read_to_string(BEST64) else {
        // It comes with hashcat's package, so CI, which installs that, has it.
        if std::env::var("KENSA_REQUIRE_HASHCAT").as_deref() == Ok("1") {
            panic!("{BEST64} not found but KENSA_REQUIRE_HASHCAT=1");
        }
        eprintln!("best64_matches_hashcat: {BEST64} not found; skipping");
        return;
    };
    compare_with_hashcat("best64.rule", &text, &words());
}

#[test]
fn kensa_rule_files_match_hashcat() {
    if !have_hashcat("kensa_rule_files_match_hashcat") {
        return;
    }
    let words = words();
    for file in KENSA_FILES {
        let text = std::fs::read_to_string(rules_dir().join(file)).unwrap();
        compare_with_hashcat(file, &text, &words);
    }
}

/// Rules covering every op hashcat's -r engine has, with positions inside, at and past the end
/// of the words, and characters ASCII and not.
fn coverage_rules() -> String {
    let positions = ["0", "1", "2", "3", "5", "9", "A", "F", "K", "U", "Z"];
    let pairs = ["0", "1", "2", "4", "7", "A", "Z"];
    let chars = [
        "1", "!", "a", "A", "e", "s", "z", "-", "\\x20", "\\xE9", "\\xC3", "\\x00", "\\xFF",
    ];
    let mut rules: Vec<String> = Vec::new();
    for op in [
        ":", "l", "u", "c", "C", "t", "r", "d", "f", "{", "}", "[", "]", "q", "k", "K", "E",
    ] {
        rules.push(op.into());
    }
    for op in [
        "T", "p", "D", "'", "z", "Z", "L", "R", "+", "-", ".", ",", "y", "Y",
    ] {
        for p in positions {
            rules.push(format!("{op}{p}"));
        }
    }
    for op in ["x", "O", "*"] {
        for a in pairs {
            for b in pairs {
                rules.push(format!("{op}{a}{b}"));
            }
        }
    }
    for op in ["i", "o", "3"] {
        for p in ["0", "1", "2", "5", "U", "Z"] {
            for c in chars {
                rules.push(format!("{op}{p}{c}"));
            }
        }
    }
    for op in ["$", "^", "@", "e"] {
        for c in chars {
            rules.push(format!("{op}{c}"));
        }
    }
    for (x, y) in [
        ("a", "@"),
        ("e", "3"),
        ("s", "$"),
        ("A", "4"),
        ("a", "a"),
        ("\\x20", "_"),
        ("\\xC3", "X"),
        ("\\xE9", "e"),
        ("z", "\\x00"),
    ] {
        rules.push(format!("s{x}{y}"));
    }
    // Ops in sequence, and growth up to the 255-byte limit.
    for r in [
        "c $1 $2 $3",
        "u r",
        "sa@ c",
        "sa@ se3 si1 so0 ss$ c $2 $0 $2 $5 $!",
        "T0 T1 T2 T3",
        "d d",
        "d d d",
        "f f f",
        "q q q",
        "p9 $!",
        "pZ",
        "p5 d",
        "y5 Y5 d",
        "z9 Z9 z9 Z9",
        "E $\\x20 e-",
        "i5\\x20 E",
        "] ] ] d",
        "$a $b $c 30a 31b",
        "{ { } r k K",
        "x24 d O12",
        "'5 p3 '9",
        "D0 D0 D0 ^x ^y",
        "+0 +0 -1 L2 R3",
        ".0 ,1 .2 ,3",
        "l E t C c",
        "d f q D4 r *13",
        "$1$2$3$4$5$6$7$8$9$0$1$2$3$4$5$6$7$8$9$0$1$2$3$4$5$6$7$8$9$0$1",
    ] {
        rules.push(r.into());
    }
    rules.join("\n") + "\n"
}

#[test]
fn every_op_matches_hashcat() {
    if !have_hashcat("every_op_matches_hashcat") {
        return;
    }
    let mut words = words();
    words.extend(long_words());
    compare_with_hashcat("op coverage", &coverage_rules(), &words);
}

/// The reject ops are not in hashcat's -r engine (it refuses rules with them); its -j engine
/// runs them, so each is checked as a -j rule over the words.
#[test]
fn reject_ops_match_hashcat_j() {
    if !have_hashcat("reject_ops_match_hashcat_j") {
        return;
    }
    // Not the empty word: hashcat's `)X` reads before the buffer for it.
    let words: Vec<Vec<u8>> = words().into_iter().filter(|w| !w.is_empty()).collect();
    let dir = tempfile::tempdir().unwrap();
    let word_path = dir.path().join("words.txt");
    write_wordlist(
        &word_path,
        &words.iter().cloned().map(Entry::Word).collect::<Vec<_>>(),
    );
    let mut out = Vec::with_capacity(MAX_LEN);
    // One hashcat run per rule (about a second each), so a few that cover each op.
    for text in ["<5", ">5", "!a", "/ ", "(a", ")s", "=1a", "%2a", "] <4"] {
        let rule = Rule::parse(text).unwrap();
        let mut expected = Vec::new();
        for w in &words {
            if rule.apply(w, &mut out) {
                expected.extend_from_slice(&out);
                expected.push(b'\n');
            }
        }
        let (child, mut stdout) = hashcat(dir.path(), &["-j", text, word_path.to_str().unwrap()]);
        let mut got = Vec::new();
        stdout.read_to_end(&mut got).unwrap();
        finish(child, text);
        assert!(
            got == expected,
            "-j `{text}`: hashcat kept {} lines, kensa {}",
            got.split(|&b| b == b'\n').count(),
            expected.split(|&b| b == b'\n').count()
        );
    }
}

/// The rule counts of kensa's files, as README.md states them (`| `file` | count | ...`).
fn readme_counts() -> Vec<(String, usize)> {
    let readme = std::fs::read_to_string(rules_dir().join("README.md")).unwrap();
    readme
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let file = cells.get(1)?.trim_matches('`');
            let count = cells.get(2)?.parse().ok()?;
            KENSA_FILES
                .contains(&file)
                .then(|| (file.to_string(), count))
        })
        .collect()
}

#[test]
fn kensa_rule_files_parse_with_readme_counts() {
    let counts = readme_counts();
    assert_eq!(counts.len(), KENSA_FILES.len(), "{counts:?}");
    for (file, count) in counts {
        let text = std::fs::read_to_string(rules_dir().join(&file)).unwrap();
        let set = RuleSet::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(set.rules.len(), count, "{file}");
        // Each file opens with comment lines that give the same count.
        assert!(text.starts_with('#'), "{file}");
        assert!(
            text.lines()
                .take_while(|l| l.starts_with('#'))
                .any(|l| l.contains(&format!("{count} rules"))),
            "{file}: header does not state {count} rules"
        );
        // Every rule written once.
        let mut seen = std::collections::HashSet::new();
        for rule in &set.rules {
            assert!(seen.insert(rule.to_string()), "{file}: `{rule}` twice");
        }
        // No d or f: kensa-built candidates and hashcat 6.2.6 agree without spacers.
        assert!(!set.rules.iter().any(doubles), "{file}");
    }
}

#[test]
fn kensa_rule_files_are_what_the_generator_writes() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(rules_dir().join("gen_rules.py"))
        .arg("--out")
        .arg(dir.path())
        .status();
    match status {
        Ok(s) => assert!(s.success(), "gen_rules.py failed: {s}"),
        Err(_) => {
            eprintln!("python3 not found; skipping the generator check");
            return;
        }
    }
    for file in KENSA_FILES {
        let want = std::fs::read(dir.path().join(file)).unwrap();
        let have = std::fs::read(rules_dir().join(file)).unwrap();
        assert!(
            want == have,
            "{file} differs from gen_rules.py's output: rerun it"
        );
    }
}

#[test]
fn kensa_rules_produce_the_documented_candidates() {
    let read = |f: &str| RuleSet::parse(&std::fs::read_to_string(rules_dir().join(f)).unwrap());
    let mut out = Vec::with_capacity(MAX_LEN);
    let mut all = |set: &RuleSet, word: &str| -> Vec<String> {
        set.rules
            .iter()
            .map(|r| {
                assert!(r.apply(word.as_bytes(), &mut out));
                String::from_utf8(out.clone()).unwrap()
            })
            .collect()
    };
    let context = all(&read("kensa-context.rule").unwrap(), "koro");
    assert_eq!(context[..3], ["koro", "Koro", "KORO"]);
    for want in [
        "Koro2025!",
        "koro123",
        "K0r0",
        "k0r0",
        "Koro99",
        "Koro2035#",
        "koro!",
        "k0r0@1",
    ] {
        assert!(context.iter().any(|c| c == want), "missing {want}");
    }
    let name = all(&read("kensa-name.rule").unwrap(), "password");
    for want in [
        "Password2024!",
        "PASSWORD",
        "p@ssw0rd",
        "P@$$w0rd123!",
        "Pa55word#",
    ] {
        assert!(name.iter().any(|c| c == want), "missing {want}");
    }
    let light = all(&read("kensa-light.rule").unwrap(), "SaKura");
    assert_eq!(light[..4], ["SaKura", "sakura", "Sakura", "SAKURA"]);
    assert!(light.iter().any(|c| c == "Sakura2030") && light.iter().any(|c| c == "sakura123!"));
}
