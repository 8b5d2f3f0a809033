//! Recovery end to end on tests/fixtures/recovery (made by generate.py there with libpass and
//! impacket): LM halves and case toggling, password history, pot plaintexts as hashcat's NT
//! kernel read them, pot plaintexts joined against other hashes, a wrong pot line, reuse behind
//! a salted hash, the salted budget reported per hash, and hashes whose one verification is over
//! the budget never tried.

use crate::support::{account, account_json, evidence, evidence_json, fixtures, name};
use kensa::model::evidence::{AccountEvidence, AccountStatus, Evidence, SaltedSkip};
use kensa::model::{Code, Severity};
use std::fs;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> String {
    fixtures("recovery")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn audit(extra: &[&str]) -> (Output, Evidence, tempfile::TempDir) {
    let manifest = fixture("audit.toml");
    let pot = fixture("cracked.potfile");
    let mut args = vec!["--manifest", &manifest, "--potfile", &pot, "--hibp", "off"];
    args.extend_from_slice(extra);
    crate::support::audit(&args)
}

fn findings(a: &AccountEvidence) -> Vec<(Code, Severity)> {
    a.findings.iter().map(|f| (f.code, f.severity)).collect()
}

fn has(a: &AccountEvidence, code: Code, severity: Severity) -> bool {
    findings(a).iter().any(|&(c, s)| c == code && s == severity)
}

#[test]
fn recovery_joins_lm_history_and_hashcat_readings() {
    let (o, ev, dir) = audit(&[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(ev.input_errors.is_empty());

    // LM halves from the pot give the upper-case plaintext; the case comes from the NT hash.
    let ito = account(&ev, "ad01", "ito");
    assert!(ito.plaintext_known);
    assert_eq!(name(&ito.recovered_by), "lm");
    assert_eq!(ito.length, Some(10));
    assert!(has(ito, Code::LmHashStored, Severity::Fail), "{ito:?}");

    // A whole LM hash in john's `$LM$` form: the same way to the NT plaintext.
    let endo = account(&ev, "ad01", "endo");
    assert_eq!(name(&endo.recovered_by), "lm");
    assert!(has(endo, Code::LmHashStored, Severity::Fail), "{endo:?}");

    // A $HEX[] plaintext that is not UTF-8, read as hashcat's NT kernel read it.
    let mori = account(&ev, "ad01", "mori");
    assert_eq!(name(&mori.recovered_by), "potfile");
    assert_eq!(mori.length, Some(14));

    // A pot plaintext filed under a hash of another kind still joins by its NT digest.
    let ueda = account(&ev, "ad01", "ueda");
    assert_eq!(name(&ueda.recovered_by), "potfile");

    // A pot line whose plaintext does not verify is not trusted.
    let noda = account(&ev, "ad01", "noda");
    assert!(!noda.plaintext_known);
    assert_eq!(noda.status, AccountStatus::Unverified);
    assert_eq!(ev.recovery.potfile_lines_rejected, 1);
    assert_eq!(ev.recovery.potfile_lines_matched, 10);

    // History: a number bumped fails when rotation is the only way to pass; an end changed on a
    // 13+ password is a warning. `_history0` is the previous password (secretsdump leaves the
    // current one out); the first entry that matches is named.
    let sato = account(&ev, "ad01", "sato");
    assert_eq!(sato.status, AccountStatus::Fail);
    assert!(
        has(sato, Code::PredictableRotation, Severity::Fail),
        "{sato:?}"
    );
    let detail = &sato
        .findings
        .iter()
        .find(|f| f.code == Code::PredictableRotation)
        .unwrap()
        .detail;
    assert!(detail.contains("history entry 0"), "{detail}");
    let kato = account(&ev, "ad01", "kato");
    assert_eq!(kato.status, AccountStatus::Pass);
    assert_eq!(name(&kato.path), "13+");
    assert!(
        has(kato, Code::PredictableRotation, Severity::Warn),
        "{kato:?}"
    );
    // History entries are joined but never audited as people.
    for h in ["sato_history0", "sato_history1", "kato_history1"] {
        let a = account(&ev, "ad01", h);
        assert_eq!(a.status, AccountStatus::Skipped);
        assert_eq!(name(&a.skip_reason), "password_history");
        assert!(findings(a).is_empty());
    }
    let abe = account(&ev, "ad01", "abe");
    assert!(
        !has(abe, Code::PredictableRotation, Severity::Warn)
            && !has(abe, Code::PredictableRotation, Severity::Fail)
    );

    // Reuse behind a salted hash: abe's plaintext (known from the pot) verified against root's
    // sha512crypt, a known plaintext tried before any wordlist.
    let root = account(&ev, "linux02", "root");
    assert_eq!(name(&root.recovered_by), "reuse");
    let salted = root.salted.as_ref().expect("salted work");
    let tries = salted.tries;
    assert!((1..=10).contains(&tries), "{tries} tries");
    // sha512crypt at 1000 rounds: 3610 NT-hash units (hash::cost, calibrated in BENCHMARKS.md).
    assert_eq!(salted.cost, 3610);
    // Tried: the key is left out of the row.
    let json = evidence_json(&dir.path().join("report"));
    assert!(account_json(&json, "linux02", "root")["salted"]
        .get("skipped")
        .is_none());
    let groups = &ev.reuse_groups;
    assert_eq!(groups.len(), 1);
    assert_eq!(name(&groups[0].scope), "cross_system");
    assert_eq!(name(&groups[0].evidence), "verified_plaintext");

    // No plaintext in anything written or printed.
    let secrets = [
        "Xq7#mPz2025",
        "Xq7#mPz2024",
        "Tm4$vLq9wRz8kP",
        "Hm7!Kz3qBn",
        "HM7!KZ3",
        "Qm3!rZ8pWx",
        "QM3!RZ8PWX",
        "Rv5&wXq2Lm8t",
        "Qw9!rT5yUi0p",
        "Lp3%oK8iJu7h",
        "R\u{fc}lez",
        "WrongGuess",
    ];
    let mut texts = vec![
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    ];
    for f in fs::read_dir(dir.path().join("report")).unwrap() {
        texts.push(String::from_utf8_lossy(&fs::read(f.unwrap().path()).unwrap()).into_owned());
    }
    for t in &texts {
        for s in secrets {
            assert!(!t.contains(s), "a plaintext reached the output");
        }
    }
}

#[test]
fn salted_work_is_bounded_by_the_audit_budget_and_reported() {
    let (_, ev, _dir) = audit(&["--salted-total", "0"]);
    let root = account(&ev, "linux02", "root");
    assert!(!root.plaintext_known);
    let salted = root.salted.as_ref().expect("salted work");
    assert_eq!(salted.tries, 0);
    assert!(!salted.complete);
    assert_eq!(ev.recovery.salted_units, 0);
    assert_eq!(ev.recovery.salted_total, 0);
    // The unsalted joins do not depend on the salted budget.
    assert_eq!(name(&account(&ev, "ad01", "ito").recovered_by), "lm");
    assert_eq!(name(&account(&ev, "ad01", "abe").recovered_by), "potfile");
}

/// Cost bombs (issue 11): shadow lines whose one verification takes minutes (bcrypt cost 20) or
/// hours (sha512crypt rounds=999999999), each named by a pot line. Nothing is verified against
/// them, pot lines included (one such line used to stall the audit), and the evidence and the
/// reports say why with the cost; cheap hashes named by the same pot file are still verified.
#[test]
fn a_hash_whose_one_verification_is_over_the_budget_is_never_tried() {
    let dir = tempfile::tempdir().unwrap();
    let bcrypt20 = "$2b$20$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123.";
    let rounds =
        "$6$rounds=999999999$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/\
                  UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.";
    // libxcrypt's (tests/fixtures/hashes/vectors.tsv): `パスワード1!`, in no wordlist.
    let cheap_bcrypt = "$2a$04$56/GFEJU.W0IPwV.P4Rlkufo5G2th4OqzuCH1jZpyfsDwGSov3Iv6";
    let cheap_sha = "$6$rounds=1000$/0nXEFPqIWOyawSE$40yxxkpK56/aU.MBPNZGkKcpf7Mu1X0Tt7zjhxwT/\
                     bANiDS4btfhvQnleR8Sm3D1NtXIMNwYLsBZGU56o9JcM0";
    let shadow = dir.path().join("bombs");
    fs::write(
        &shadow,
        format!(
            "root:{bcrypt20}:19000:0:99999:7:::\nsvc:{rounds}:19000:0:99999:7:::\n\
             kiosk:{cheap_bcrypt}:19000:0:99999:7:::\nclerk:{cheap_sha}:19000:0:99999:7:::\n"
        ),
    )
    .unwrap();
    let pot = dir.path().join("cracked.pot");
    fs::write(
        &pot,
        format!(
            "{bcrypt20}:Winter2024\n{rounds}:Winter2024\n{cheap_bcrypt}:パスワード1!\n\
             {cheap_sha}:パスワード1!\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("report");
    let started = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(["audit", "--hibp", "off", "--no-progress", "--potfile"])
        .arg(&pot)
        .arg(format!("shadow:{}", shadow.display()))
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kensa");
    // One verification of the bcrypt line alone takes over a minute of one core.
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the audit is still running after 60 s: a cost bomb was verified");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    let ev = evidence(&out, &o);

    for (user, params, cost) in [
        ("root", "cost=20", 900u64 << 20),
        ("svc", "rounds=999999999", 3_609_999_996),
    ] {
        let a = account(&ev, "bombs", user);
        assert!(!a.plaintext_known, "{user}");
        assert_eq!(a.status, AccountStatus::Unverified, "{user}");
        let w = a
            .salted
            .as_ref()
            .unwrap_or_else(|| panic!("{user}: salted"));
        assert_eq!(w.tries, 0, "{user}: not one verification");
        assert!(!w.complete, "{user}");
        assert_eq!(w.skipped, Some(SaltedSkip::CostExceedsBudget), "{user}");
        assert_eq!(w.params.as_deref(), Some(params), "{user}");
        assert_eq!(w.cost, cost, "{user}");
        assert!(w.cost > ev.recovery.salted_budget);
    }
    for user in ["kiosk", "clerk"] {
        let a = account(&ev, "bombs", user);
        assert_eq!(name(&a.recovered_by), "potfile", "{user}");
        assert!(a.salted.is_none(), "{user}: known before salted work");
    }
    let r = &ev.recovery;
    assert_eq!(r.potfile_lines_matched, 2);
    assert_eq!(r.potfile_lines_skipped, 2);
    assert_eq!(r.potfile_lines_rejected, 0);
    assert_eq!(r.salted_verifications, 0);

    // The reports say why in words, with the cost in time; never the hash.
    let md = fs::read_to_string(out.join("evidence.md")).unwrap();
    assert!(
        md.contains("照合せず: bcrypt cost=20 は1回の照合に1コアで約1.3分かかり"),
        "{md}"
    );
    assert!(md.contains("照合せず: sha512crypt rounds=999999999 は1回の照合に1コアで約4.8分"));
    let csv = fs::read_to_string(out.join("evidence.csv")).unwrap();
    assert!(csv.contains(
        "cost_exceeds_budget: not verified: bcrypt cost=20 takes ≈ 1.3 min of one core per try, \
         more than the budget per hash (--salted-budget 100,000,000 units ≈ 8.0 s)"
    ));
    for f in fs::read_dir(&out).unwrap() {
        let path = f.unwrap().path();
        let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
        for h in [bcrypt20, rounds, cheap_bcrypt, cheap_sha] {
            assert!(!text.contains(&h[h.len() - 20..]), "{}", path.display());
        }
        assert!(!text.contains("Winter2024") && !text.contains("パスワード1!"));
    }
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("abcdefghijklmnopqrstuu"), "{stderr}");

    // The rule follows --salted-budget: at 100 units even the cheap hashes are over it, and the
    // pot file no longer verifies them either.
    let out2 = dir.path().join("report2");
    let o = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args([
            "audit",
            "--hibp",
            "off",
            "--no-progress",
            "--salted-budget",
            "100",
        ])
        .arg("--potfile")
        .arg(&pot)
        .arg(format!("shadow:{}", shadow.display()))
        .arg("--out")
        .arg(&out2)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let ev = evidence(&out2, &o);
    for user in ["kiosk", "clerk"] {
        let a = account(&ev, "bombs", user);
        assert!(
            !a.plaintext_known,
            "{user}: one try costs more than 100 units"
        );
        assert_eq!(
            a.salted.as_ref().and_then(|w| w.skipped),
            Some(SaltedSkip::CostExceedsBudget),
            "{user}"
        );
    }
    assert_eq!(ev.recovery.potfile_lines_skipped, 4);
}

#[test]
fn pot_lines_naming_one_salted_hash_get_what_its_budget_buys_in_file_order() {
    // libxcrypt's (tests/fixtures/hashes/vectors.tsv): `パスワード1!`; one try costs 16 × 900 units,
    // so a budget of 30,000 buys two verifications of it.
    let bcrypt = "$2a$04$56/GFEJU.W0IPwV.P4Rlkufo5G2th4OqzuCH1jZpyfsDwGSov3Iv6";
    let dir = tempfile::tempdir().unwrap();
    let shadow = dir.path().join("kiosk");
    fs::write(&shadow, format!("kiosk:{bcrypt}:19000:0:99999:7:::\n")).unwrap();
    let run = |pot_lines: &[&str]| -> Evidence {
        let pot = dir.path().join("cracked.pot");
        let text: String = pot_lines
            .iter()
            .map(|p| format!("{bcrypt}:{p}\n"))
            .collect();
        fs::write(&pot, text).unwrap();
        let out = dir.path().join("report");
        let o = Command::new(env!("CARGO_BIN_EXE_kensa"))
            .args(["audit", "--hibp", "off", "--no-progress", "-q"])
            .args([
                "--no-default-wordlists",
                "--salted-budget",
                "30000",
                "--potfile",
            ])
            .arg(&pot)
            .arg(format!("shadow:{}", shadow.display()))
            .arg("--out")
            .arg(&out)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        evidence(&out, &o)
    };
    let counts = |ev: &Evidence| {
        let r = &ev.recovery;
        (
            r.potfile_lines_matched,
            r.potfile_lines_rejected,
            r.potfile_lines_skipped,
        )
    };
    // Four wrong lines first: two are tried, the rest (the right one included) are not.
    let ev = run(&["wrong-1", "wrong-2", "wrong-3", "wrong-4", "パスワード1!"]);
    assert_eq!(counts(&ev), (0, 2, 3));
    // The right one second: found on the second try; the lines after it need no try.
    let ev = run(&[
        "wrong-1",
        "パスワード1!",
        "wrong-3",
        "パスワード1!",
        "wrong-5",
    ]);
    assert_eq!(counts(&ev), (2, 3, 0));
    let a = account(&ev, "kiosk", "kiosk");
    assert!(a.plaintext_known);
    assert_eq!(name(&a.recovered_by), "potfile");
}
