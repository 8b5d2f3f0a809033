//! `kensa export hashcat` end to end on the fixture of tests/fixtures/export (made by
//! generate.py there from independent tools' hashes): the files, the job sheet, the errors, and a
//! real round trip through hashcat 6.2.6 (CPU, PoCL) back into `kensa audit --potfile`.
//!
//! The hashcat tests print a notice and pass when `hashcat` is not installed, unless
//! `KENSA_REQUIRE_HASHCAT=1` is set.

use crate::support::{evidence, fixtures, have_hashcat, kensa_env, mode_of, name};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Every account of the fixture (each name holds '_', which no hash alphabet has).
const ACCOUNTS: [&str; 16] = [
    "alice_w", "bob_k", "carol_m", "dave_s", "erin_b", "frank_y", "gina_a", "hank_5", "pat_x",
    "ivan_a", "jun_s", "kaori_d", "ken_p", "luna_p", "mio_s", "nao_s",
];
/// Every plaintext of the fixture, and the LM halves of one.
const PLAINS: [&str; 4] = [
    "Tr0ub4dor&3",
    "correct horse battery staple",
    "TR0UB4D",
    "OR&3",
];

/// The files the fixture exports to, with their hash counts.
const EXPECTED: [(&str, u32, usize); 13] = [
    ("1000-nt.txt", 1000, 2),
    ("101-sha1.txt", 101, 1),
    ("111-ssha.txt", 111, 1),
    ("3000-lm.txt", 3000, 1),
    ("500-md5crypt.txt", 500, 1),
    ("1600-apr1.txt", 1600, 1),
    ("1800-sha512crypt.txt", 1800, 1),
    ("3200-bcrypt.txt", 3200, 1),
    ("7400-sha256crypt.txt", 7400, 1),
    ("8900-scrypt-N1024-r8-p1.txt", 8900, 1),
    ("10900-pbkdf2-sha256.txt", 10900, 1),
    ("12000-pbkdf2-sha1.txt", 12000, 1),
    ("12100-pbkdf2-sha512.txt", 12100, 1),
];

fn fixture() -> PathBuf {
    fixtures("export")
}

fn manifest() -> String {
    fixture().join("audit.toml").display().to_string()
}

fn kensa(args: &[&str]) -> Output {
    kensa_env(args, &[("NO_COLOR", "1")])
}

fn export_fixture(dir: &Path) -> Output {
    let d = dir.display().to_string();
    kensa(&[
        "export",
        "hashcat",
        "--manifest",
        &manifest(),
        "--no-default-wordlists",
        "-o",
        &d,
    ])
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn lines(p: &Path) -> Vec<String> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn jobs(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("jobs.json")).unwrap()).unwrap()
}

#[test]
fn export_writes_one_file_per_mode_with_hashes_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let o = export_fixture(&dir);
    let (stdout, stderr) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "stdout {stdout}\nstderr {stderr}");
    assert_eq!(mode_of(&dir), 0o700);

    let mut names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.remove("JOBS.md") && names.remove("jobs.json"));
    let want: BTreeSet<String> = EXPECTED.iter().map(|e| e.0.to_string()).collect();
    assert_eq!(names, want);

    let md = std::fs::read_to_string(dir.join("JOBS.md")).unwrap();
    let j = jobs(&dir);
    let listed: BTreeMap<String, (u64, u64)> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                (f["mode"].as_u64().unwrap(), f["hashes"].as_u64().unwrap()),
            )
        })
        .collect();
    let mut every_hash = Vec::new();
    for (name, mode, count) in EXPECTED {
        let p = dir.join(name);
        assert_eq!(mode_of(&p), 0o600, "{name}");
        let ls = lines(&p);
        assert_eq!(ls.len(), count, "{name}");
        assert_eq!(listed[name], (u64::from(mode), count as u64), "{name}");
        assert!(md.contains(&format!("`{name}`")), "JOBS.md lists {name}");
        assert!(
            md.contains(&format!("hashcat -m {mode} ")),
            "JOBS.md has a command for {name}"
        );
        assert!(stdout.contains(name), "the summary names {name}: {stdout}");
        every_hash.extend(ls);
    }
    // Converted forms, as hashcat parses them.
    assert!(
        lines(&dir.join("10900-pbkdf2-sha256.txt"))[0].starts_with("sha256:1000:ZGphbmdvc2FsdDEy:")
    );
    assert!(lines(&dir.join("12000-pbkdf2-sha1.txt"))[0].starts_with("sha1:1000:"));
    assert!(lines(&dir.join("8900-scrypt-N1024-r8-p1.txt"))[0].starts_with("SCRYPT:1024:8:1:"));
    assert!(lines(&dir.join("1000-nt.txt")).iter().all(|l| l.len() == 32
        && l.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))));

    // Hashes only: no account name, no plaintext, anywhere in the export or the summary (the
    // summary and the job sheet hold no hash either).
    for name in names
        .iter()
        .chain(["JOBS.md".to_string(), "jobs.json".to_string()].iter())
    {
        let body = std::fs::read_to_string(dir.join(name)).unwrap();
        for a in ACCOUNTS {
            assert!(!body.contains(a), "{name} holds an account name");
        }
        for p in PLAINS {
            assert!(!body.contains(p), "{name} holds a plaintext");
        }
    }
    for h in &every_hash {
        for (what, body) in [("JOBS.md", &md), ("stdout", &stdout), ("stderr", &stderr)] {
            assert!(!body.contains(h.as_str()), "{what} holds a whole hash");
        }
    }
    for a in ACCOUNTS {
        assert!(!stdout.contains(a) && !stderr.contains(a));
    }

    // Left out, with a suggestion.
    let left: BTreeMap<String, (String, u64)> = j["not_exported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["scheme"].as_str().unwrap().to_string(),
                (
                    n["reason"].as_str().unwrap().to_string(),
                    n["hashes"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(left["yescrypt"], ("no_hashcat_mode".into(), 1));
    assert_eq!(left["argon2"], ("no_hashcat_mode".into(), 1));
    assert_eq!(left["scrypt"], ("parameters".into(), 1));
    assert!(md.contains("no hashcat mode: 1 hash of yescrypt; try john --format=crypt"));
    assert!(stdout.contains("no hashcat mode: 1 hash of yescrypt; try john --format=crypt"));
    // The way back.
    let back = j["way_back"].as_str().unwrap();
    assert!(back.starts_with("kensa audit --manifest /"), "{back}");
    assert!(back.ends_with("/out/kensa.potfile"), "{back}");
    assert!(md.contains(back) && stdout.contains(back));
    assert!(md.contains("verifies every plaintext"));
    assert!(md.contains("hashes only"));
}

#[test]
fn a_second_export_replaces_its_files_and_leaves_others_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    assert_eq!(export_fixture(&dir).status.code(), Some(0));
    std::fs::write(dir.join("notes.txt"), "mine\n").unwrap();
    std::fs::write(dir.join("kensa.potfile"), "").unwrap();
    // Now only the Windows dump: the files of the other modes go, the user's files stay.
    let d = dir.display().to_string();
    let ntds = fixture().join("ad01-ntds.txt").display().to_string();
    let o = kensa(&[
        "export",
        "hashcat",
        &ntds,
        "--no-default-wordlists",
        "-o",
        &d,
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty());
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let want: BTreeSet<String> = [
        "1000-nt.txt",
        "3000-lm.txt",
        "JOBS.md",
        "jobs.json",
        "notes.txt",
        "kensa.potfile",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names, want);
    assert_eq!(lines(&dir.join("1000-nt.txt")).len(), 2);
}

#[test]
fn usage_and_input_problems_exit_2_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out").display().to_string();

    // No -o.
    let o = kensa(&["export", "hashcat", "--manifest", &manifest()]);
    assert_eq!(o.status.code(), Some(2));
    // Nothing to read.
    let o = kensa(&["export", "hashcat", "-o", &out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("kensa: error: nothing to audit"));
    // A file that is not there.
    let missing = tmp.path().join("missing.txt").display().to_string();
    let o = kensa(&["export", "hashcat", &missing, "-o", &out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains(&format!("kensa: {missing}: cannot read: no such file")),
        "{}",
        text(&o.stderr)
    );
    // A malformed line: named by file and line, the rest is still exported.
    let shadow = tmp.path().join("bad-shadow");
    let good = std::fs::read_to_string(fixture().join("linux01-shadow")).unwrap();
    std::fs::write(
        &shadow,
        format!("{good}broken_u:$9z$abc:20000:0:99999:7:::\n"),
    )
    .unwrap();
    let arg = format!("shadow:{}", shadow.display());
    let o = kensa(&[
        "export",
        "hashcat",
        &arg,
        "--no-default-wordlists",
        "-o",
        &out,
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("kensa: {}:8: ", shadow.display())),
        "{err}"
    );
    assert!(!err.contains("$9z$abc"), "no hash in messages");
    assert_eq!(lines(&tmp.path().join("out/500-md5crypt.txt")).len(), 1);
    // The output directory is a file.
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let f = file.display().to_string();
    let ntds = fixture().join("ad01-ntds.txt").display().to_string();
    let o = kensa(&["export", "hashcat", &ntds, "-o", &f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains(&format!("kensa: error: {f}: cannot write the export")));
}

// ---------------------------------------------------------------------------------------------
// hashcat itself

/// hashcat with what keeps a test run from touching the user's hashcat state: its own pot file
/// and session name, no restore file, no log. hashcat 6.2.6 keeps its own files (kernel cache,
/// dictstat) under the home directory of the password database whatever `$HOME` says; `$HOME`
/// moves PoCL's kernel cache, here to a directory of the build that outlives one run (a cold
/// cache costs about 50 s more).
fn hashcat(dir: &Path, mode: u32, pot: &Path) -> Command {
    // One session name per run: two runs at once under one name stop each other.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hashcat-home");
    std::fs::create_dir_all(&home).unwrap();
    let mut c = Command::new("hashcat");
    c.current_dir(dir)
        .env("HOME", &home)
        .args(["-m", &mode.to_string()])
        .arg("--potfile-path")
        .arg(pot)
        .arg(format!(
            "--session=kensa-test-{}-{mode}-{n}",
            std::process::id()
        ))
        .args([
            "--restore-disable",
            "--logfile-disable",
            "--quiet",
            "--force",
        ]);
    c
}

/// Run with a deadline; the child is killed when it passes.
fn run_for(mut c: Command, limit: Duration) -> Output {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hashcat");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let o = child.wait_with_output().unwrap();
            panic!(
                "hashcat ran past {limit:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// hashcat parses every line of every exported file: `--left` against an empty pot file prints
/// each hash it loaded (no kernels run, so this is quick).
#[test]
fn hashcat_parses_every_exported_file() {
    if !have_hashcat("hashcat_parses_every_exported_file") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    assert_eq!(export_fixture(&dir).status.code(), Some(0));
    let empty = tmp.path().join("empty.pot");
    std::fs::write(&empty, "").unwrap();
    for (name, mode, count) in EXPECTED {
        let mut c = hashcat(&dir, mode, &empty);
        c.args(["--left", name]);
        let o = run_for(c, Duration::from_secs(120));
        let stdout = text(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "-m {mode}: {}", text(&o.stderr));
        let exported: BTreeSet<String> = lines(&dir.join(name)).into_iter().collect();
        let loaded: BTreeSet<String> = stdout
            .lines()
            .filter(|l| exported.contains(*l))
            .map(String::from)
            .collect();
        assert_eq!(
            loaded.len(),
            count,
            "hashcat -m {mode} loads every line of {name} (status {:?}; {} lines of messages)",
            o.status.code(),
            stdout.lines().count()
        );
        assert!(
            !stdout.contains("exception"),
            "-m {mode}: a line hashcat refuses"
        );
    }
}

/// The modes of the round trip, with the words hashcat gets for each (the LM halves for LM; the
/// NT wordlist lacks bob_k's password, so it can only come back through his LM halves).
const ROUND_TRIP: [(u32, &str, &[&str]); 6] = [
    (
        1000,
        "1000-nt.txt",
        &["correct horse battery staple", "Password1"],
    ),
    (3000, "3000-lm.txt", &["TR0UB4D", "OR&3", "PASSWOR"]),
    (500, "500-md5crypt.txt", &["Tr0ub4dor&3"]),
    (1800, "1800-sha512crypt.txt", &["Tr0ub4dor&3"]),
    (3200, "3200-bcrypt.txt", &["Tr0ub4dor&3"]),
    (111, "111-ssha.txt", &["Tr0ub4dor&3"]),
];

/// hashcat on each file, two at a time (2 cores; the first run of a mode compiles its kernel).
/// Returns the pot file, all runs' lines together.
fn crack(dir: &Path, jobs: &[(u32, &str, &[&str])]) -> PathBuf {
    let next = std::sync::Mutex::new(jobs.iter());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(&(mode, file, words)) = next.lock().unwrap().next() else {
                    break;
                };
                let wl = dir.join(format!("words-{mode}.lst"));
                std::fs::write(&wl, words.join("\n") + "\n").unwrap();
                let pot = dir.join(format!("hc-{mode}.pot"));
                let mut c = hashcat(dir, mode, &pot);
                c.args(["-a", "0", file]).arg(&wl);
                let started = Instant::now();
                let o = run_for(c, Duration::from_secs(600));
                eprintln!(
                    "hashcat -m {mode}: {:.1} s, status {:?}",
                    started.elapsed().as_secs_f64(),
                    o.status.code()
                );
                // 0: all cracked; 1: exhausted with some left (the NT file keeps bob_k's hash).
                assert!(
                    matches!(o.status.code(), Some(0 | 1)),
                    "-m {mode}: status {:?}: {}",
                    o.status.code(),
                    String::from_utf8_lossy(&o.stderr)
                );
            });
        }
    });
    let mut all = String::new();
    for (mode, _, _) in jobs {
        all.push_str(&std::fs::read_to_string(dir.join(format!("hc-{mode}.pot"))).unwrap());
    }
    let pot = dir.join("hc.pot");
    std::fs::write(&pot, all).unwrap();
    pot
}

/// `kensa audit` of the fixture with the pot file only (no wordlists, no salted candidates: a
/// salted hash is matched only through the pot line naming it), as account -> (known, how).
fn audit_with_pot(tmp: &Path, pot: &Path) -> BTreeMap<String, (bool, Option<String>)> {
    let report = tmp.join("report");
    let o = kensa(&[
        "audit",
        "--manifest",
        &manifest(),
        "--potfile",
        &pot.display().to_string(),
        "--salted-total",
        "0",
        "--no-default-wordlists",
        "--hibp",
        "off",
        "--format",
        "json",
        "--out",
        &report.display().to_string(),
        "--quiet",
    ]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "audit: {}",
        text(&o.stderr)
    );
    evidence(&report, &o)
        .accounts
        .iter()
        .map(|a| {
            let user = a.account.rsplit('\\').next().unwrap().to_string();
            (user, (a.plaintext_known, a.recovered_by.as_ref().map(name)))
        })
        .collect()
}

#[test]
fn round_trip_through_hashcat() {
    if !have_hashcat("round_trip_through_hashcat") {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    assert_eq!(export_fixture(&dir).status.code(), Some(0));
    // Without the pot file nothing is known: what comes back below comes from hashcat.
    let empty = tmp.path().join("empty.pot");
    std::fs::write(&empty, "").unwrap();
    assert!(audit_with_pot(tmp.path(), &empty)
        .values()
        .all(|(known, _)| !known));

    let pot = crack(&dir, &ROUND_TRIP);
    let got = audit_with_pot(tmp.path(), &pot);
    let potfile = Some("potfile".to_string());
    for a in ["alice_w", "carol_m", "pat_x", "dave_s", "erin_b", "oto_l"] {
        assert_eq!(got[a], (true, potfile.clone()), "{a}");
    }
    // The NT password from the LM halves hashcat found (upper case), its case from the NT hash.
    assert!(got["bob_k"].0, "bob_k");
    assert!(
        matches!(got["bob_k"].1.as_deref(), Some("lm" | "potfile")),
        "{:?}",
        got["bob_k"]
    );
    // In no pot line, but unsalted ({SHA}): the plaintexts found are joined against it.
    assert!(got["jun_s"].0, "jun_s");
    // Salted and not cracked: still unknown (no salted candidates with --salted-total 0).
    for a in [
        "frank_y", "gina_a", "hank_5", "ivan_a", "ken_p", "luna_p", "mio_s", "nao_s",
    ] {
        assert!(!got[a].0, "{a}");
    }
    // A second export leaves out what the pot file verified (and, with salted candidates, the
    // hashes the found plaintexts open too: everything here, the fixture has two passwords).
    let again = tmp.path().join("again");
    let export_again = |salted_total: &str| {
        let o = kensa(&[
            "export",
            "hashcat",
            "--manifest",
            &manifest(),
            "--no-default-wordlists",
            "--potfile",
            &pot.display().to_string(),
            "--salted-total",
            salted_total,
            "-o",
            &again.display().to_string(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let mut names: Vec<String> = jobs(&again)["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        export_again("0"),
        [
            "10900-pbkdf2-sha256.txt",
            "12000-pbkdf2-sha1.txt",
            "12100-pbkdf2-sha512.txt",
            "1600-apr1.txt",
            "7400-sha256crypt.txt",
            "8900-scrypt-N1024-r8-p1.txt",
        ]
    );
    assert_eq!(export_again("1000000000"), Vec::<String>::new());
    assert!(std::fs::read_to_string(again.join("JOBS.md"))
        .unwrap()
        .contains("Nothing to crack"));
    assert!(!again.join("7400-sha256crypt.txt").exists());
    eprintln!("round trip: {:.1} s", started.elapsed().as_secs_f64());
}

/// PBKDF2 through hashcat: the pot line comes back in hashcat's `sha256:…` form, which matches
/// the stored Django hash because recovery keys salted pot lines by `hash::hashcat::canonical`.
#[test]
fn round_trip_pbkdf2_through_hashcat() {
    if !have_hashcat("round_trip_pbkdf2_through_hashcat") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    assert_eq!(export_fixture(&dir).status.code(), Some(0));
    let pot = crack(
        &dir,
        &[(
            10900,
            "10900-pbkdf2-sha256.txt",
            &["correct horse battery staple"],
        )],
    );
    let got = audit_with_pot(tmp.path(), &pot);
    assert_eq!(got["kaori_d"], (true, Some("potfile".to_string())));
}
