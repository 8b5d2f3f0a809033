//! `kensa audit` end to end on the example facility and small facilities written by the tests:
//! the answers and findings, exit codes, errors by file and line, the reports and their files.

use super::{assert_no_secrets, audit_example, start_server, QUICK};
use crate::support::{
    account, audit, code, codes, evidence_json, example, group_of, item, kensa, name, root,
};
use kensa::model::evidence::{AccountStatus, Answer, BreachStatus};
use kensa::model::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

#[test]
fn example_facility_answers_findings_and_reuse() {
    let (o, ev, _d) = audit(&["--manifest", example().to_str().unwrap(), "--hibp", "off"]);
    assert_eq!(
        code(&o),
        1,
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(ev.schema, "kensa/evidence/1");
    assert!(ev.complete);
    assert_eq!(ev.facility, "コロ病院");
    assert_eq!(ev.checked_on, "2026-11-24");
    for id in ["2-7", "2-8"] {
        let it = item(&ev, id);
        assert_eq!(it.answer, Answer::No, "{id}: {it:?}");
        assert_eq!(it.target_date.as_deref(), Some("2027-03-31"));
    }
    assert_eq!(item(&ev, "2-7").label, "令和7年度版 2-⑦");

    // Identical NT hashes on two PCs, the same password behind sha512crypt, bcrypt and in the inventory.
    let a1 = account(&ev, "pc-01", "Administrator");
    assert_eq!(a1.status, AccountStatus::Fail);
    assert!(
        codes(&a1.findings).contains(&Code::Guessable)
            && codes(&a1.findings).contains(&Code::ReusedAcrossSystems)
    );
    let g = group_of(&ev, a1);
    assert_eq!(name(&g.scope), "cross_system");
    assert_eq!(name(&g.severity), "fail");
    let members: BTreeSet<(String, String)> = g
        .members
        .iter()
        .map(|m| (m.system.clone(), m.account.clone()))
        .collect();
    for (s, a) in [
        ("pc-01", "Administrator"),
        ("pc-02", "Administrator"),
        ("linux01", "root"),
        ("web01", "reception"),
        ("net", "rtx1210-admin"),
    ] {
        assert!(
            members.contains(&(s.to_string(), a.to_string())),
            "{s}/{a} not in {members:?}"
        );
    }
    let proofs: BTreeSet<String> = g.links.iter().map(|l| name(&l.evidence)).collect();
    assert!(proofs.contains("identical_unsalted_hash") && proofs.contains("verified_plaintext"));
    // A strong password known only from the NT pot line, found again behind sha512crypt.
    let ly = account(&ev, "linux01", "yamada");
    assert_eq!(name(&ly.recovered_by), "reuse");
    assert_eq!(name(&ly.scheme), "sha512crypt");
    let gy = group_of(&ev, ly);
    assert_eq!(name(&gy.scope), "cross_system");
    assert_eq!(name(&gy.evidence), "verified_plaintext");
    assert_eq!(gy.members.len(), 2);

    // Same plaintext twice in one system: a warning, not a failure.
    let ap = account(&ev, "net", "ap01");
    let g2 = group_of(&ev, ap);
    assert_eq!(name(&g2.scope), "same_system");
    assert_eq!(name(&g2.severity), "warn");
    assert_eq!(name(&g2.evidence), "same_plaintext");
    assert!(codes(&ap.findings).contains(&Code::ReusedWithinSystem));
    assert_eq!(ap.status, AccountStatus::Pass);
    assert_eq!(name(&ap.path), "13+");

    // Recovered only through the pot file: strong, passes 13+.
    let y = account(&ev, "ad01", "yamada");
    assert_eq!(y.status, AccountStatus::Pass, "{y:?}");
    assert!(codes(&y.findings).contains(&Code::ReusedAcrossSystems));
    assert_eq!(name(&y.path), "13+");
    assert_eq!(name(&y.recovered_by), "potfile");
    // A wrong pot line is rejected by re-verification.
    assert!(ev.recovery.potfile_lines_rejected >= 1);
    let s = account(&ev, "ad01", "suzuki");
    assert_eq!(s.status, AccountStatus::Unverified);
    assert!(!s.plaintext_known);
    assert!(codes(&account(&ev, "ad01", "tanaka").findings).contains(&Code::LmHashStored));
    assert!(codes(&account(&ev, "ad01", "taro").findings).contains(&Code::Guessable));
    for (sys, user, reason) in [
        ("ad01", "oldpc", "disabled"),
        ("ad01", "krbtgt", "service_secret"),
        ("ad01", "PC01$", "machine_account"),
        ("linux01", "daemon", "locked"),
        ("linux01", "nobody", "locked"),
        ("linux01", "olduser", "locked"),
    ] {
        let a = account(&ev, sys, user);
        assert_eq!(a.status, AccountStatus::Skipped, "{sys}/{user}");
        assert!(
            name(a.skip_reason.as_ref().expect("a skip reason")).contains(reason)
                || reason == "locked",
            "{a:?}"
        );
    }
    assert_eq!(
        account(&ev, "pc-02", "clerk").status,
        AccountStatus::Unverified
    );
    let guest = account(&ev, "pc-01", "Guest");
    assert!(codes(&guest.findings).contains(&Code::EmptyPassword));
    let nurse = codes(&account(&ev, "pc-01", "nurse01").findings);
    assert!(nurse.contains(&Code::TooShort) && nurse.contains(&Code::NotMixed));
    let ope = account(&ev, "linux01", "ope");
    assert_eq!(name(&ope.scheme), "yescrypt");
    assert_eq!(ope.status, AccountStatus::Fail);
    assert!(codes(&ope.findings).contains(&Code::Guessable));
    let admin = codes(&account(&ev, "web01", "admin").findings);
    assert!(admin.contains(&Code::DefaultPassword) && admin.contains(&Code::WeakHashScheme));
    assert_eq!(account(&ev, "web01", "audit").status, AccountStatus::Fail);
    assert_eq!(account(&ev, "ldap01", "kango").status, AccountStatus::Fail);
    assert_eq!(name(&account(&ev, "ldap01", "pacs").scheme), "ssha");

    // Policies: Windows complexity does not guarantee a symbol; Linux rotates every 90 days.
    let pol = |sys: &str| {
        ev.policies
            .iter()
            .find(|p| p.system == sys)
            .unwrap_or_else(|| panic!("no policy for {sys}"))
    };
    let ad = pol("ad01");
    assert_eq!(name(&ad.status), "fail");
    assert_eq!(ad.effective.min_length, Some(14));
    assert_eq!(ad.effective.max_age_days, Some(42));
    assert!(codes(&ad.findings).contains(&Code::PolicyComposition));
    let lx = pol("linux01");
    assert_eq!(name(&lx.status), "fail");
    assert_eq!(lx.effective.min_length, Some(12));
    assert!(codes(&lx.findings).contains(&Code::PolicyRotationTooLong));

    // Split by who answers.
    let titles: Vec<&str> = ev.checklists.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, vec!["医療機関確認用", "事業者確認用"]);
    assert_eq!(name(&ev.breach_check.mode), "off");
    assert_eq!(
        account(&ev, "ad01", "yamada").breach.status,
        BreachStatus::Unchecked
    );
}

#[test]
fn evidence_is_byte_identical_across_runs_and_files_are_private() {
    let (_, _, d1) = audit(&["--manifest", example().to_str().unwrap(), "--hibp", "off"]);
    let (_, _, d2) = audit(&["--manifest", example().to_str().unwrap(), "--hibp", "off"]);
    // The file itself, all but the facts of the run.
    let strip = |d: &tempfile::TempDir| {
        let mut v = evidence_json(&d.path().join("report"));
        v.as_object_mut().unwrap().remove("run");
        serde_json::to_string(&v).unwrap()
    };
    assert_eq!(strip(&d1), strip(&d2));
    // The bytes up to `run`, its last key (which holds the run's times and the digests of the
    // other reports, which carry those times).
    let raw = |d: &tempfile::TempDir| {
        let t = fs::read_to_string(d.path().join("report/evidence.json")).unwrap();
        let run = t.find("\n  \"run\": {").expect("run is written");
        assert!(!t[run + 3..].contains("\n  \""), "run is the last key");
        t[..run].to_string()
    };
    assert_eq!(raw(&d1), raw(&d2));
    use std::os::unix::fs::PermissionsExt;
    for f in [
        "evidence.json",
        "evidence.md",
        "evidence.html",
        "evidence.csv",
        "evidence.sha256",
    ] {
        let m = fs::metadata(d1.path().join("report").join(f)).unwrap();
        assert_eq!(m.permissions().mode() & 0o777, 0o600, "{f}");
    }
}

#[test]
fn no_output_contains_a_plaintext_or_whole_hash() {
    let server = start_server();
    for lang in ["ja", "en"] {
        let (o, _, d) = audit(&[
            "--manifest",
            example().to_str().unwrap(),
            "--hibp",
            "online",
            "--hibp-url",
            &server.url,
            "--lang",
            lang,
        ]);
        assert_no_secrets("stdout", &String::from_utf8_lossy(&o.stdout));
        assert_no_secrets("stderr", &String::from_utf8_lossy(&o.stderr));
        for e in fs::read_dir(d.path().join("report")).unwrap() {
            let p = e.unwrap().path();
            let text = fs::read_to_string(&p).unwrap();
            assert_no_secrets(&p.display().to_string(), &text);
        }
    }
    let (o, _, d) = audit(&[
        "--manifest",
        root()
            .join("tests/fixtures/compliant/audit.toml")
            .to_str()
            .unwrap(),
        "--hibp",
        "off",
    ]);
    assert_no_secrets("stdout", &String::from_utf8_lossy(&o.stdout));
    for f in [
        "evidence.json",
        "evidence.md",
        "evidence.html",
        "evidence.csv",
    ] {
        assert_no_secrets(
            f,
            &fs::read_to_string(d.path().join("report").join(f)).unwrap(),
        );
    }
}

#[test]
fn quiet_never_hides_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let ad = dir.path().join("ad.txt");
    fs::write(
        &ad,
        "KORO\\a:500:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\nbroken:line\n",
    )
    .unwrap();
    let input = format!("pwdump:{}", ad.display());

    // An input error.
    let (o, ev, _d) = audit(&["--hibp", "off", "--quiet", &input]);
    assert_eq!(code(&o), 2);
    assert!(!ev.complete);
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains(&format!("kensa: {}:2: malformed pwdump line", ad.display())),
        "{err}"
    );
    assert!(err.contains("the evidence is incomplete"), "{err}");

    // Breach lookups that failed on a server that answers (one error per failed lookup).
    let server = start_server();
    server.fail_all(500);
    let (o, _ev, _d) =
        audit_example(&["--hibp-url", &server.url, "--hibp-retries", "0", "--quiet"]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("kensa: breach lookup (sha1): Pwned Passwords range"),
        "{err}"
    );
    assert!(err.contains("HTTP 500"), "{err}");

    // Usage errors.
    let o = kensa(&["audit", "--quiet", "--fail-on", "bogus", &input]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("kensa: error: --fail-on: `bogus`"));
    let o = kensa(&["audit", "--quiet", "--no-such-flag"]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--no-such-flag"));
}

#[test]
fn fail_on_selects_what_makes_exit_1() {
    let m = example();
    let m = m.to_str().unwrap();
    let run =
        |fail_on: &str| code(&audit(&["--manifest", m, "--hibp", "off", "--fail-on", fail_on]).0);
    assert_eq!(run("reuse"), 1);
    assert_eq!(run("weak"), 1);
    assert_eq!(run("policy"), 1);
    assert_eq!(run("none"), 0);
    assert_eq!(run("breached"), 0); // breach check is off: nothing breached is known
    let dir = tempfile::tempdir().unwrap();
    let o = kensa(&[
        "audit",
        "--manifest",
        m,
        "--hibp",
        "off",
        "--fail-on",
        "bogus",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
}

#[test]
fn compliant_facility_answers_yes_yes_and_exits_0() {
    let server = start_server();
    let (o, ev, _d) = audit(&[
        "--manifest",
        root()
            .join("tests/fixtures/compliant/audit.toml")
            .to_str()
            .unwrap(),
        "--hibp-url",
        &server.url,
    ]);
    assert_eq!(
        code(&o),
        0,
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(item(&ev, "2-7").answer, Answer::Yes);
    assert_eq!(item(&ev, "2-8").answer, Answer::Yes);
    assert!(item(&ev, "2-7").target_date.is_none());
    assert!(ev.reuse_groups.is_empty());
    for a in &ev.accounts {
        assert!(
            matches!(a.status, AccountStatus::Pass | AccountStatus::Skipped),
            "{a:?}"
        );
    }
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("はい"));
}

/// Copy the example facility to a temporary directory.
fn copy_example() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for e in fs::read_dir(root().join("examples/koro-hospital")).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
    }
    d
}

#[test]
fn malformed_lines_are_reported_with_file_and_line_and_the_rest_is_audited() {
    let d = copy_example();
    let sam = d.path().join("pc-02-sam.txt");
    let mut text = fs::read_to_string(&sam).unwrap();
    let lines_before = text.lines().count();
    text.push_str("broken-line-without-fields\nbob:1001:zz:nothex:::\n");
    fs::write(&sam, text).unwrap();
    let m = d.path().join("audit.toml");
    let (o, ev, _r) = audit(&[
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        QUICK[0],
        QUICK[1],
    ]);
    assert_eq!(code(&o), 2);
    assert!(!ev.complete);
    let sources: Vec<&str> = ev.input_errors.iter().map(|e| e.source.as_str()).collect();
    assert!(
        sources.contains(&format!("pc-02-sam.txt:{}", lines_before + 1).as_str()),
        "{sources:?}"
    );
    assert!(
        sources.contains(&format!("pc-02-sam.txt:{}", lines_before + 2).as_str()),
        "{sources:?}"
    );
    // The rest of the file and the facility are still audited.
    assert_eq!(
        account(&ev, "pc-02", "Administrator").status,
        AccountStatus::Fail
    );
    assert_eq!(item(&ev, "2-8").answer, Answer::No);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("pc-02-sam.txt:"), "{stderr}");
}

#[test]
fn unreadable_input_and_usage_errors_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("r");
    let o = kensa(&[
        "audit",
        "--hibp",
        "off",
        "--out",
        out.to_str().unwrap(),
        "/nonexistent/file.txt",
    ]);
    assert_eq!(code(&o), 2);
    let o = kensa(&["audit", "--hibp", "off", "--out", out.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing to audit"));
    let o = kensa(&["audit", "--nonsense"]);
    assert_eq!(code(&o), 2);
    let o = kensa(&[
        "audit",
        "--hibp",
        "off",
        "--out",
        out.to_str().unwrap(),
        "nosuchformat:x.txt",
    ]);
    assert_eq!(code(&o), 2);
}

#[test]
fn bare_files_are_systems_named_after_their_stems() {
    let ex = root().join("examples/koro-hospital");
    let (o, ev, _d) = audit(&[
        "--hibp",
        "off",
        ex.join("pc-01-sam.txt").to_str().unwrap(),
        ex.join("pc-02-sam.txt").to_str().unwrap(),
        "--fail-on",
        "reuse",
    ]);
    assert_eq!(code(&o), 1);
    let a = account(&ev, "pc-01-sam", "Administrator");
    let g = group_of(&ev, a);
    assert_eq!(name(&g.scope), "cross_system");
    assert_eq!(name(&g.evidence), "identical_unsalted_hash");
    assert!(ev
        .inputs
        .iter()
        .all(|i| i.format == "pwdump" && i.sha256.len() == 64));
}

#[test]
fn every_finding_code_is_produced_somewhere() {
    // A small facility for the codes the example does not exercise.
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("inv.csv"),
        "system,account,password,mfa\n\
         kiosk,jp,さくらSakura#2931x,false\n\
         kiosk,short,Zx9#kLq2vW,false\n\
         kiosk2,short2,Lm4$pQ8zR1,false\n",
    )
    .unwrap();
    fs::write(d.path().join("kiosk.toml"), "min_length = 10\nrequire = [\"letter\",\"digit\",\"symbol\"]\nmax_age_days = 90\nmax_length = 32\n").unwrap();
    fs::write(
        d.path().join("kiosk2.toml"),
        "min_length = 8\nrequire = [\"letter\",\"digit\",\"symbol\"]\n",
    )
    .unwrap();
    fs::write(
        d.path().join("dir.ldif"),
        "dn: uid=clear,dc=t\nuid: clear\nuserPassword: Qz8#vLw2pRt6&Xn\n",
    )
    .unwrap();
    fs::write(
        d.path().join("audit.toml"),
        "facility = \"t\"\ninputs = [\"inv.csv\"]\n[[system]]\nid = \"kiosk\"\ninputs = [\"policy:kiosk.toml\"]\n[[system]]\nid = \"kiosk2\"\ninputs = [\"kiosk2.toml\"]\n[[system]]\nid = \"ldap\"\ninputs = [\"dir.ldif\"]\n",
    )
    .unwrap();
    let server = start_server();
    let (_, extra, _r) = audit(&[
        "--manifest",
        d.path().join("audit.toml").to_str().unwrap(),
        "--hibp",
        "off",
    ]);
    let (_, ex, _r2) = audit_example(&["--hibp-url", &server.url]);
    let mut seen = BTreeSet::new();
    for ev in [&extra, &ex] {
        let findings = ev
            .accounts
            .iter()
            .flat_map(|a| &a.findings)
            .chain(ev.policies.iter().flat_map(|p| &p.findings))
            .chain(ev.advisories.iter().map(|a| &a.finding));
        // The codes by the names the contract gives them (§4).
        seen.extend(findings.map(|f| name(&f.code)));
    }
    let all = "EMPTY_PASSWORD TOO_SHORT NOT_MIXED GUESSABLE DEFAULT_PASSWORD BREACHED NO_ROTATION \
               ROTATION_TOO_LONG LM_HASH_STORED WEAK_HASH_SCHEME PLAINTEXT_STORED NON_ASCII REUSED_ACROSS_SYSTEMS \
               REUSED_WITHIN_SYSTEM POLICY_MIN_LENGTH POLICY_COMPOSITION POLICY_ROTATION_TOO_LONG \
               POLICY_NO_ROTATION POLICY_MAX_LENGTH_LT64 POLICY_NO_LOCKOUT NIST_SINGLE_FACTOR_LT15 \
               NIST_ROTATION_DISCOURAGED NIST_COMPOSITION_DISCOURAGED";
    let missing: Vec<&str> = all
        .split_whitespace()
        .filter(|c| !seen.contains(*c))
        .collect();
    assert!(missing.is_empty(), "never produced: {missing:?}");
}

#[test]
fn all_formats_are_written_consistent_and_free_of_secrets() {
    let (o, ev, d) = audit_example(&["--hibp", "off", "--format", "all"]);
    assert_eq!(code(&o), 1);
    let dir = d.path().join("report");
    for f in [
        "evidence.json",
        "evidence.md",
        "evidence.html",
        "evidence.csv",
        "evidence.xlsx",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    // The workbook: a zip whose XML parts carry the answers and no secret.
    let file = fs::File::open(dir.join("evidence.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).expect("evidence.xlsx is a zip");
    let mut xml = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = String::new();
        if std::io::Read::read_to_string(&mut part, &mut text).is_ok() {
            assert_no_secrets(&format!("evidence.xlsx:{}", part.name()), &text);
            xml.push_str(&text);
        }
    }
    assert!(xml.contains("医療機関確認用") && xml.contains("事業者確認用"));
    assert!(xml.contains("いいえ"));
    // CSV: BOM, and one row per account at least.
    let csv = fs::read(dir.join("evidence.csv")).unwrap();
    assert_eq!(&csv[..3], b"\xEF\xBB\xBF");
    let csv = String::from_utf8(csv).unwrap();
    for a in &ev.accounts {
        assert!(csv.contains(&a.account));
    }
    // HTML: self-contained, with the answers and charts.
    let html = fs::read_to_string(dir.join("evidence.html")).unwrap();
    assert!(!html.contains("<script") && html.contains("<svg"));
    assert!(html.contains("いいえ"));
}

/// The hidden working directories of a report directory (staging, previous set).
fn hidden(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kensa-"))
        .collect()
}

#[test]
fn out_is_checked_before_the_audit_and_the_evidence_set_is_never_mixed() {
    let tmp = tempfile::tempdir().unwrap();
    let example = example();
    let run = |out: &Path, format: &str| {
        kensa(&[
            "audit",
            "--manifest",
            example.to_str().unwrap(),
            "--hibp",
            "off",
            "--no-progress",
            "-q",
            "--salted-budget",
            "1000000",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    // `--out` naming a file: exit 2 at once, the file untouched.
    let file = tmp.path().join("report.txt");
    fs::write(&file, "not a directory").unwrap();
    let o = run(&file, "all");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 2, "{stderr}");
    assert!(
        stderr.contains("report.txt: --out names an existing file"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a directory");
    // A directory whose parent is a file cannot be created.
    let o = run(&file.join("sub"), "all");
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a directory"));

    // A previous run's whole set.
    let dir = tmp.path().join("report");
    let o = run(&dir, "all");
    assert!(
        matches!(code(&o), 0 | 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let before: BTreeMap<String, Vec<u8>> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    // Five formats, worklist.csv and their SHA-256 list.
    assert_eq!(before.len(), 7, "{:?}", before.keys());

    // A directory in the way of one report: refused before the audit, the previous set intact.
    fs::remove_file(dir.join("evidence.html")).unwrap();
    fs::create_dir(dir.join("evidence.html")).unwrap();
    let o = run(&dir, "all");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 2, "{stderr}");
    assert!(stderr.contains("evidence.html is in the way"), "{stderr}");
    for (name, bytes) in &before {
        if name != "evidence.html" {
            assert_eq!(&fs::read(dir.join(name)).unwrap(), bytes, "{name} changed");
        }
    }
    assert!(hidden(&dir).is_empty(), "{:?}", hidden(&dir));
    fs::remove_dir(dir.join("evidence.html")).unwrap();

    // A run with fewer formats replaces the whole set: no csv or xlsx of the previous run stays
    // beside the new json and md.
    let o = run(&dir, "json,md");
    assert!(
        matches!(code(&o), 0 | 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["evidence.json", "evidence.md", "evidence.sha256"]);
}
