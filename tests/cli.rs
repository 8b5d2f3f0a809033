//! End-to-end tests: the real `kensa` binary on fixture facilities made by independent tools
//! (tests/fixtures/facility-gen/generate.py), with a real range server on 127.0.0.1.

#[allow(dead_code)]
#[path = "support/range_server.rs"]
mod range_server;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> PathBuf {
    root().join("examples/koro-hospital/audit.toml")
}

fn kensa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run kensa")
}

fn kensa_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut c = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kensa");
    c.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    c.wait_with_output().unwrap()
}

/// Run an audit into a fresh directory; returns (output, evidence, dir).
fn audit(args: &[&str]) -> (Output, Value, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let mut a: Vec<&str> = vec!["audit", "--out", out.to_str().unwrap(), "--no-progress"];
    a.extend_from_slice(args);
    let o = kensa(&a);
    let text = fs::read_to_string(out.join("evidence.json")).unwrap_or_else(|_| {
        panic!(
            "no evidence.json; stderr: {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let v: Value = serde_json::from_str(&text).expect("evidence.json parses");
    (o, v, dir)
}

/// A small recovery budget for tests whose assertions do not depend on deep salted recovery.
const QUICK: [&str; 2] = ["--salted-budget", "1000000"];

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// The account whose system is `sys` and whose name (without a `DOMAIN\` prefix) is `name`.
fn account<'a>(ev: &'a Value, sys: &str, name: &str) -> &'a Value {
    ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["system"] == sys
                && a["account"].as_str().unwrap().rsplit('\\').next().unwrap() == name
        })
        .unwrap_or_else(|| panic!("no account {sys}/{name}"))
}

fn codes(a: &Value) -> BTreeSet<String> {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(ev: &'a Value, id: &str) -> &'a Value {
    ev["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == id)
        .unwrap()
}

fn group_of<'a>(ev: &'a Value, a: &Value) -> &'a Value {
    let id = a["reuse_group"].as_str().expect("in a reuse group");
    ev["reuse_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap()
}

/// Every plaintext and whole hash of the fixtures (hex-encoded in secrets.txt).
fn secrets() -> Vec<String> {
    let text = fs::read_to_string(root().join("tests/fixtures/secrets.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| String::from_utf8(hex::decode(l).expect("hex line")).unwrap())
        .filter(|s| s.len() >= 4)
        .collect()
}

fn assert_no_secrets(label: &str, text: &str) {
    let lower = text.to_lowercase();
    for s in secrets() {
        // Short dictionary words (e.g. "admin") also occur as account names; check those as whole tokens.
        let hit = if s.len() < 8 {
            text.split(|c: char| c.is_whitespace() || "\"',;|<>()[]{}".contains(c))
                .any(|tok| tok == s)
        } else {
            text.contains(&s)
                || (s.chars().all(|c| c.is_ascii_hexdigit()) && lower.contains(&s.to_lowercase()))
        };
        assert!(
            !hit,
            "{label} contains a fixture secret ({} chars)",
            s.len()
        );
    }
}

#[test]
fn example_facility_answers_findings_and_reuse() {
    let (o, ev, _d) = audit(&["--manifest", example().to_str().unwrap(), "--hibp", "off"]);
    assert_eq!(
        code(&o),
        1,
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(ev["schema"], "kensa/evidence/1");
    assert_eq!(ev["complete"], true);
    assert_eq!(ev["facility"], "コロ病院");
    assert_eq!(ev["checked_on"], "2026-11-24");
    for id in ["2-7", "2-8"] {
        let it = item(&ev, id);
        assert_eq!(it["answer"], "no", "{id}: {it}");
        assert_eq!(it["target_date"], "2027-03-31");
    }
    assert_eq!(item(&ev, "2-7")["label"], "令和7年度版 2-⑦");

    // Identical NT hashes on two PCs, the same password behind sha512crypt, bcrypt and in the inventory.
    let a1 = account(&ev, "pc-01", "Administrator");
    assert_eq!(a1["status"], "fail");
    assert!(codes(a1).contains("GUESSABLE") && codes(a1).contains("REUSED_ACROSS_SYSTEMS"));
    let g = group_of(&ev, a1);
    assert_eq!(g["scope"], "cross_system");
    assert_eq!(g["severity"], "fail");
    let members: BTreeSet<(String, String)> = g["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["system"].as_str().unwrap().to_string(),
                m["account"].as_str().unwrap().to_string(),
            )
        })
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
    let proofs: BTreeSet<&str> = g["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["evidence"].as_str().unwrap())
        .collect();
    assert!(proofs.contains("identical_unsalted_hash") && proofs.contains("verified_plaintext"));
    // A strong password known only from the NT pot line, found again behind sha512crypt.
    let ly = account(&ev, "linux01", "yamada");
    assert_eq!(ly["recovered_by"], "reuse");
    assert_eq!(ly["scheme"], "sha512crypt");
    let gy = group_of(&ev, ly);
    assert_eq!(gy["scope"], "cross_system");
    assert_eq!(gy["evidence"], "verified_plaintext");
    assert_eq!(gy["members"].as_array().unwrap().len(), 2);

    // Same plaintext twice in one system: a warning, not a failure.
    let ap = account(&ev, "net", "ap01");
    let g2 = group_of(&ev, ap);
    assert_eq!(g2["scope"], "same_system");
    assert_eq!(g2["severity"], "warn");
    assert_eq!(g2["evidence"], "same_plaintext");
    assert!(codes(ap).contains("REUSED_WITHIN_SYSTEM"));
    assert_eq!(ap["status"], "pass");
    assert_eq!(ap["path"], "13+");

    // Recovered only through the pot file: strong, passes 13+.
    let y = account(&ev, "ad01", "yamada");
    assert_eq!(y["status"], "pass", "{y}");
    assert!(codes(y).contains("REUSED_ACROSS_SYSTEMS"));
    assert_eq!(y["path"], "13+");
    assert_eq!(y["recovered_by"], "potfile");
    // A wrong pot line is rejected by re-verification.
    assert!(ev["recovery"]["potfile_lines_rejected"].as_u64().unwrap() >= 1);
    let s = account(&ev, "ad01", "suzuki");
    assert_eq!(s["status"], "unverified");
    assert_eq!(s["plaintext_known"], false);
    assert!(codes(account(&ev, "ad01", "tanaka")).contains("LM_HASH_STORED"));
    assert!(codes(account(&ev, "ad01", "taro")).contains("GUESSABLE"));
    for (sys, name, reason) in [
        ("ad01", "oldpc", "disabled"),
        ("ad01", "krbtgt", "service_secret"),
        ("ad01", "PC01$", "machine_account"),
        ("linux01", "daemon", "locked"),
        ("linux01", "nobody", "locked"),
        ("linux01", "olduser", "locked"),
    ] {
        let a = account(&ev, sys, name);
        assert_eq!(a["status"], "skipped", "{sys}/{name}");
        assert!(
            a["skip_reason"].as_str().unwrap().contains(reason) || reason == "locked",
            "{a}"
        );
    }
    assert_eq!(account(&ev, "pc-02", "clerk")["status"], "unverified");
    let guest = account(&ev, "pc-01", "Guest");
    assert!(codes(guest).contains("EMPTY_PASSWORD"));
    let nurse = account(&ev, "pc-01", "nurse01");
    assert!(codes(nurse).contains("TOO_SHORT") && codes(nurse).contains("NOT_MIXED"));
    let ope = account(&ev, "linux01", "ope");
    assert_eq!(ope["scheme"], "yescrypt");
    assert_eq!(ope["status"], "fail");
    assert!(codes(ope).contains("GUESSABLE"));
    let admin = account(&ev, "web01", "admin");
    assert!(codes(admin).contains("DEFAULT_PASSWORD") && codes(admin).contains("WEAK_HASH_SCHEME"));
    assert_eq!(account(&ev, "web01", "audit")["status"], "fail");
    assert_eq!(account(&ev, "ldap01", "kango")["status"], "fail");
    assert_eq!(account(&ev, "ldap01", "pacs")["scheme"], "ssha");

    // Policies: Windows complexity does not guarantee a symbol; Linux rotates every 90 days.
    let pol = |sys: &str| {
        ev["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["system"] == sys)
            .unwrap_or_else(|| panic!("no policy for {sys}"))
            .clone()
    };
    let ad = pol("ad01");
    assert_eq!(ad["status"], "fail");
    assert_eq!(ad["effective"]["min_length"], 14);
    assert_eq!(ad["effective"]["max_age_days"], 42);
    assert!(codes(&ad).contains("POLICY_COMPOSITION"));
    let lx = pol("linux01");
    assert_eq!(lx["status"], "fail");
    assert_eq!(lx["effective"]["min_length"], 12);
    assert!(codes(&lx).contains("POLICY_ROTATION_TOO_LONG"));

    // Split by who answers.
    let titles: Vec<&str> = ev["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["医療機関確認用", "事業者確認用"]);
    assert_eq!(ev["breach_check"]["mode"], "off");
    assert_eq!(
        account(&ev, "ad01", "yamada")["breach"]["status"],
        "unchecked"
    );
}

#[test]
fn evidence_is_byte_identical_across_runs_and_files_are_private() {
    let (_, a, d1) = audit(&["--manifest", example().to_str().unwrap(), "--hibp", "off"]);
    let (_, b, d2) = audit(&["--manifest", example().to_str().unwrap(), "--hibp", "off"]);
    let strip = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("run");
        serde_json::to_string(&v).unwrap()
    };
    assert_eq!(strip(&a), strip(&b));
    let raw = |d: &tempfile::TempDir| {
        let t = fs::read_to_string(d.path().join("report/evidence.json")).unwrap();
        t.lines()
            .filter(|l| !l.contains("started_at") && !l.contains("duration_ms"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(raw(&d1), raw(&d2));
    use std::os::unix::fs::PermissionsExt;
    for f in [
        "evidence.json",
        "evidence.md",
        "evidence.html",
        "evidence.csv",
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

fn breach_rows(mode: &str) -> Vec<(String, u64)> {
    fs::read_to_string(root().join("tests/fixtures/breach.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0] == mode).then(|| (f[1].to_string(), f[2].trim().parse().unwrap()))
        })
        .collect()
}

/// A range server on 127.0.0.1 serving tests/fixtures/breach.tsv.
fn start_server() -> range_server::RangeServer {
    let sha1 = breach_rows("sha1");
    let ntlm = breach_rows("ntlm");
    let s: Vec<(&str, u64)> = sha1.iter().map(|(h, c)| (h.as_str(), *c)).collect();
    let n: Vec<(&str, u64)> = ntlm.iter().map(|(h, c)| (h.as_str(), *c)).collect();
    range_server::RangeServer::start(&s, &n)
}

#[test]
fn breach_hits_in_sha1_and_ntlm_mode_through_a_real_range_server() {
    let server = start_server();
    let (o, ev, _d) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp-url",
        &server.url,
    ]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(ev["complete"], true);
    assert_eq!(ev["breach_check"]["mode"], "online");
    assert_eq!(ev["breach_check"]["status"], "complete");
    assert!(ev["breach_check"]["attribution"]
        .as_str()
        .unwrap()
        .contains("CC BY 4.0"));
    // SHA-1 of a recovered plaintext.
    let ope = account(&ev, "linux01", "ope");
    assert_eq!(ope["breach"]["status"], "found");
    assert_eq!(ope["breach"]["count"], 2413945);
    assert!(codes(ope).contains("BREACHED"));
    // NT hash with no plaintext: mode=ntlm, and the account fails.
    let s = account(&ev, "ad01", "suzuki");
    assert_eq!(s["plaintext_known"], false);
    assert_eq!(s["breach"]["status"], "found");
    assert_eq!(s["breach"]["via"], "ntlm");
    assert_eq!(s["status"], "fail");
    assert!(codes(s).contains("BREACHED"));
    // Not in the corpus.
    assert_eq!(
        account(&ev, "ad01", "yamada")["breach"]["status"],
        "not_found"
    );
    // Only 5-character prefixes were sent, one request per distinct prefix.
    let reqs = server.requests();
    assert!(!reqs.is_empty());
    for r in &reqs {
        let tail = r.trim_start_matches("/range/");
        let prefix = tail.split('?').next().unwrap();
        assert_eq!(prefix.len(), 5, "{r}");
    }
    let distinct: BTreeSet<&String> = reqs.iter().collect();
    assert_eq!(distinct.len(), reqs.len(), "a prefix was requested twice");
}

#[test]
fn failed_breach_lookups_are_errors_and_exit_2() {
    let server = start_server();
    server.fail_all(500);
    let (o, ev, _d) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp-url",
        &server.url,
        "--hibp-retries",
        "1",
        QUICK[0],
        QUICK[1],
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(ev["complete"], false);
    assert_eq!(ev["breach_check"]["status"], "incomplete");
    let statuses: BTreeSet<&str> = ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["breach"]["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains("error"));
    assert!(!statuses.contains("not_found"), "{statuses:?}");
}

/// `http://127.0.0.1:PORT` where nothing listens (the port was free a moment ago).
fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}")
}

fn stderr_lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn closed_network_is_one_message_not_one_per_prefix() {
    let url = closed_port_url();
    let m = example();
    let m = m.to_str().unwrap();
    for quiet in [false, true] {
        let mut args = vec![
            "--manifest",
            m,
            "--hibp-url",
            &url,
            "--hibp-retries",
            "0",
            QUICK[0],
            QUICK[1],
        ];
        if quiet {
            args.push("--quiet");
        }
        let (o, ev, _d) = audit(&args);
        // The lookups are still errors, the evidence incomplete, the exit code 2.
        assert_eq!(code(&o), 2);
        assert_eq!(ev["complete"], false);
        assert_eq!(ev["breach_check"]["status"], "incomplete");
        let statuses: BTreeSet<&str> = ev["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["breach"]["status"].as_str().unwrap())
            .collect();
        assert!(statuses.contains("error"), "{statuses:?}");
        assert!(!statuses.contains("not_found"), "{statuses:?}");
        let failed = ev["breach_check"]["errors"].as_u64().unwrap();
        assert!(failed > 1, "{failed}");
        // One message for all of them, naming the way out.
        let lines = stderr_lines(&o);
        let advice: Vec<&String> = lines.iter().filter(|l| l.contains("--hibp off")).collect();
        assert_eq!(advice.len(), 1, "{lines:#?}");
        assert!(
            advice[0].starts_with("kensa: error: no answer from"),
            "{}",
            advice[0]
        );
        assert!(advice[0].contains(&url), "{}", advice[0]);
        assert!(advice[0].contains("--hibp PATH"), "{}", advice[0]);
        assert!(advice[0].contains(&format!("Its {failed} breach lookups")));
        assert!(
            !lines.iter().any(|l| l.contains("breach lookup (")),
            "{lines:#?}"
        );
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert!(lines[1].contains("the evidence is incomplete"));
        if quiet {
            assert!(o.stdout.is_empty());
        }
    }
}

/// The breach errors of the evidence: every lookup error message, and the accounts' statuses.
fn breach_outcome(ev: &Value) -> (Vec<String>, BTreeSet<String>) {
    let messages = ev["input_errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"].as_str().unwrap().starts_with("breach lookup ("))
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    let statuses = ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["breach"]["status"].as_str().unwrap().to_string())
        .collect();
    (messages, statuses)
}

#[test]
fn a_breach_api_that_stops_answering_is_given_up_at_the_deadline_in_one_message() {
    let server = start_server();
    // Three ranges are answered, then nothing: without a deadline each hanging range would
    // cost 5 × 20 s (shared by 8 workers), minutes for this facility.
    server.misbehave(Some(range_server::Misbehaviour::HangAfter(3)));
    let t = std::time::Instant::now();
    let (o, ev, _d) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp-url",
        &server.url,
        "--hibp-deadline",
        "3s",
        QUICK[0],
        QUICK[1],
    ]);
    let took = t.elapsed();
    assert!(took < std::time::Duration::from_secs(90), "{took:?}");
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(ev["complete"], false);
    let b = &ev["breach_check"];
    assert_eq!(b["status"], "incomplete");
    let g = &b["gave_up"];
    assert_eq!(g["reason"], "deadline", "{b}");
    let detail = "not completed: the deadline of 3s for breach lookups was reached";
    assert_eq!(g["detail"], detail);
    // Every failed lookup failed for the deadline, with that one message (no prefix in it).
    let (messages, statuses) = breach_outcome(&ev);
    assert_eq!(g["lookups"], b["errors"]);
    assert_eq!(messages.len() as u64, b["errors"].as_u64().unwrap());
    assert!(messages.len() > 1 && messages.iter().all(|m| m == detail));
    assert!(statuses.contains("error"), "{statuses:?}");
    let answered = b["lookups"].as_u64().unwrap() - b["errors"].as_u64().unwrap();
    assert!((1..=3).contains(&answered), "{answered}");
    // One message on stderr for all of them.
    let lines = stderr_lines(&o);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].starts_with(
            "kensa: error: the breach lookups did not finish within --hibp-deadline 3s: "
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(&format!(
        "{} of {} breach lookups",
        b["errors"], b["lookups"]
    )));
    assert!(lines[0].contains("--hibp PATH") && lines[0].contains("--hibp-cache"));
    assert!(lines[1].contains("the evidence is incomplete"));
}

#[test]
fn a_breach_api_that_never_answers_is_one_message_naming_the_deadline() {
    let server = start_server();
    server.misbehave(Some(range_server::Misbehaviour::Hang));
    let t = std::time::Instant::now();
    let (o, ev, _d) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp-url",
        &server.url,
        "--hibp-deadline",
        "2s",
        "--quiet",
        QUICK[0],
        QUICK[1],
    ]);
    assert!(t.elapsed() < std::time::Duration::from_secs(90));
    assert_eq!(code(&o), 2);
    let b = &ev["breach_check"];
    assert_eq!(b["gave_up"]["reason"], "deadline", "{b}");
    assert_eq!(b["gave_up"]["lookups"], b["errors"]);
    assert_eq!(b["errors"], b["lookups"]);
    let (_, statuses) = breach_outcome(&ev);
    assert!(!statuses.contains("not_found") && !statuses.contains("found"));
    let lines = stderr_lines(&o);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].starts_with("kensa: error: no answer from"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("the deadline of 2s for breach lookups was reached"),
        "{}",
        lines[0]
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn hibp_deadline_syntax() {
    for bad in ["5x", "-1s", "1.5m"] {
        let arg = format!("--hibp-deadline={bad}");
        let o = kensa(&["audit", &arg, "--hibp", "off", "nothing.txt"]);
        assert_eq!(code(&o), 2, "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("--hibp-deadline") && err.contains("90s"),
            "{err}"
        );
    }
    let help = String::from_utf8_lossy(&kensa(&["audit", "--help"]).stdout).to_string();
    assert!(help.contains("--hibp-deadline <DURATION>"), "{help}");
    assert!(help.contains("[default: 10m]"), "{help}");
    assert!(help.contains("4 MiB") && help.contains("origin"), "{help}");
    let help = String::from_utf8_lossy(&kensa(&["check", "--help"]).stdout).to_string();
    assert!(help.contains("--hibp-deadline <DURATION>"), "{help}");
}

#[test]
fn check_online_against_a_hanging_api_ends_at_the_deadline() {
    let server = start_server();
    server.misbehave(Some(range_server::Misbehaviour::Hang));
    let t = std::time::Instant::now();
    let o = kensa_stdin(
        &[
            "check",
            "--json",
            "--hibp",
            "online",
            "--hibp-url",
            &server.url,
            "--hibp-deadline",
            "1s",
        ],
        "Vq7#tLm2$eRw9!\n",
    );
    assert!(t.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(code(&o), 2);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["breach"], "error");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("the deadline of 1s"), "{err}");
    assert!(!err.contains("Vq7#"), "{err}");
    assert_eq!(server.requests().len(), 1);
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
    assert_eq!(ev["complete"], false);
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
    let (o, _ev, _d) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp-url",
        &server.url,
        "--hibp-retries",
        "0",
        "--quiet",
        QUICK[0],
        QUICK[1],
    ]);
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
    assert_eq!(item(&ev, "2-7")["answer"], "yes");
    assert_eq!(item(&ev, "2-8")["answer"], "yes");
    assert!(item(&ev, "2-7")["target_date"].is_null());
    assert!(ev["reuse_groups"].as_array().unwrap().is_empty());
    for a in ev["accounts"].as_array().unwrap() {
        assert!(a["status"] == "pass" || a["status"] == "skipped", "{a}");
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
    assert_eq!(ev["complete"], false);
    let errs = ev["input_errors"].as_array().unwrap();
    let sources: Vec<&str> = errs.iter().map(|e| e["source"].as_str().unwrap()).collect();
    assert!(
        sources.contains(&format!("pc-02-sam.txt:{}", lines_before + 1).as_str()),
        "{sources:?}"
    );
    assert!(
        sources.contains(&format!("pc-02-sam.txt:{}", lines_before + 2).as_str()),
        "{sources:?}"
    );
    // The rest of the file and the facility are still audited.
    assert_eq!(account(&ev, "pc-02", "Administrator")["status"], "fail");
    assert_eq!(item(&ev, "2-8")["answer"], "no");
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
    assert_eq!(g["scope"], "cross_system");
    assert_eq!(g["evidence"], "identical_unsalted_hash");
    let inputs = ev["inputs"].as_array().unwrap();
    assert!(inputs
        .iter()
        .all(|i| i["format"] == "pwdump" && i["sha256"].as_str().unwrap().len() == 64));
}

#[test]
fn check_reads_stdin_and_never_echoes() {
    let o = kensa_stdin(
        &["check", "--account", "taro", "--context", "koro"],
        "pa$$w0rd\n",
    );
    assert_eq!(code(&o), 1);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains("pa$$w0rd"));
    assert!(all.contains("GUESSABLE"), "{all}");
    let o = kensa_stdin(&["check", "--json"], "Vq7#tLm2$eRw9!\n");
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "pass");
    assert_eq!(v["path"], "13+");
    let o = kensa_stdin(&["check", "--mfa", "--json"], "x9%Gh2&kLp\n");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], "8+mfa");
}

#[test]
fn policy_command_judges_secedit_utf16() {
    let inf = root().join("examples/koro-hospital/ad01-secedit.inf");
    assert_eq!(
        &fs::read(&inf).unwrap()[..2],
        &[0xFF, 0xFE],
        "fixture is UTF-16LE with BOM"
    );
    let o = kensa(&["policy", inf.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("POLICY_COMPOSITION") && s.contains("3 of 4"),
        "{s}"
    );
    let o = kensa(&["policy", "--json", inf.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["effective"]["min_length"], 14);
    // [System Access] LockoutBadCount / ResetLockoutCount / LockoutDuration.
    assert_eq!(v["effective"]["lockout_threshold"], 5);
    assert_eq!(v["effective"]["lockout_reset_minutes"], 30);
    assert_eq!(v["effective"]["lockout_duration_minutes"], 30);
}

/// The CIS-hardened Linux server made by tests/fixtures/linux-policy/generate.py (checked there
/// with libpwquality and sha256sum, whose answers are in expected.json).
#[test]
fn linux_policy_cis_hardened_server_reads_whole_and_passes() {
    let fx = root().join("tests/fixtures/linux-policy");
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(fx.join("expected.json")).unwrap()).unwrap();
    let (o, ev, dir) = audit(&[
        "--manifest",
        fx.join("audit.toml").to_str().unwrap(),
        "--hibp",
        "off",
        QUICK[0],
        QUICK[1],
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 0, "{stderr}\n{:#}", ev["input_errors"]);
    assert_eq!(ev["input_errors"], serde_json::json!([]));
    assert_eq!(ev["complete"], true);
    // Every file detected from its content, the drop-in directory as one input.
    let formats: Vec<(&str, &str)> = ev["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert_eq!(i["errors"], 0, "{i}");
            (i["path"].as_str().unwrap(), i["format"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        formats,
        [
            ("cis01/etc/shadow", "shadow"),
            ("cis01/etc/login.defs", "login.defs"),
            ("cis01/etc/security/pwquality.conf", "pwquality.conf"),
            ("cis01/etc/security/pwquality.conf.d", "pwquality.conf"),
            ("cis01/etc/security/faillock.conf", "faillock.conf"),
            ("cis01/etc/pam.d/common-password", "pam"),
            ("cis01/etc/pam.d/common-auth", "pam"),
        ]
    );
    let drop_ins = &ev["inputs"][3];
    assert_eq!(drop_ins["sha256"], expected["dropins"]["sha256"]);
    assert_eq!(drop_ins["size"], expected["dropins"]["size"]);
    assert_eq!(
        drop_ins["records"].as_u64().unwrap() as usize,
        expected["dropins"]["files"].as_array().unwrap().len()
    );
    // The policy as rules.md decides it; the length is what libpwquality read.
    let p = &ev["policies"][0];
    let want = &expected["policy_by_rules_md"];
    assert_eq!(p["system"], "cis01");
    assert_eq!(p["status"], want["status"]);
    assert_eq!(p["path"], want["path"]);
    assert_eq!(p["findings"], serde_json::json!([]));
    assert_eq!(p["sources"].as_array().unwrap().len(), 6);
    assert_eq!(
        p["effective"]["min_length"],
        expected["libpwquality"]["read"]["minlen"]
    );
    for k in [
        "min_length",
        "require",
        "max_age_days",
        "lockout_threshold",
        "lockout_duration_minutes",
        "lockout_reset_minutes",
    ] {
        assert_eq!(p["effective"][k], want[k], "{k}");
    }
    let advisories: Vec<&str> = ev["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["finding"]["code"].as_str().unwrap())
        .collect();
    assert!(!advisories.contains(&"POLICY_NO_LOCKOUT"), "{advisories:?}");
    assert_eq!(item(&ev, "2-7")["answer"], "yes");
    for a in ev["accounts"].as_array().unwrap() {
        assert!(a["status"] == "pass" || a["status"] == "skipped", "{a}");
    }
    // The reports say it in words.
    let md = fs::read_to_string(dir.path().join("report/evidence.md")).unwrap();
    assert!(md.contains("5回の失敗でロック（15分間、15分で回数をリセット）"));
    // kensa verify recomputes the directory's digest.
    let o = kensa(&["verify", dir.path().join("report").to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));

    // The quality settings alone: the same pass, and lockout missing is an advisory only.
    let etc = fx.join("cis01/etc/security");
    let o = kensa(&[
        "policy",
        "--json",
        etc.join("pwquality.conf").to_str().unwrap(),
        etc.join("pwquality.conf.d").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], "13+");
    assert!(v["effective"].get("lockout_threshold").is_none());
    assert!(v["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["code"] == "POLICY_NO_LOCKOUT" && a["severity"] == "info"));
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
    let (_, ex, _r2) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp-url",
        &server.url,
        QUICK[0],
        QUICK[1],
    ]);
    let mut seen = BTreeSet::new();
    for ev in [&extra, &ex] {
        for a in ev["accounts"].as_array().unwrap() {
            seen.extend(codes(a));
        }
        for p in ev["policies"].as_array().unwrap() {
            seen.extend(codes(p));
        }
        for a in ev["advisories"].as_array().unwrap() {
            seen.insert(a["finding"]["code"].as_str().unwrap().to_string());
        }
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

/// The breach fixture as the official downloader's files sorted by full hash, with filler
/// hashes around the real entries (CRLF, like the downloader).
fn sorted_corpora(dir: &std::path::Path) -> (PathBuf, PathBuf) {
    let mut paths = Vec::new();
    for (mode, width) in [("sha1", 40), ("ntlm", 32)] {
        let mut rows: Vec<(String, u64)> = breach_rows(mode);
        for i in 0..2000u64 {
            // Deterministic filler: spread over the whole key space.
            let x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5555;
            let h = format!("{x:016X}{:016X}{x:016X}", !x);
            rows.push((h[..width].to_string(), i + 1));
        }
        rows.sort();
        rows.dedup_by(|a, b| a.0 == b.0);
        let body: String = rows.iter().map(|(h, c)| format!("{h}:{c}\r\n")).collect();
        let p = dir.join(format!("pwned-passwords-{mode}-ordered-by-hash.txt"));
        fs::write(&p, body).unwrap();
        paths.push(p);
    }
    (paths[0].clone(), paths[1].clone())
}

/// (system, account) → breach status and count, for comparing two runs.
fn breach_map(ev: &Value) -> Vec<(String, String, String, Value)> {
    ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["system"].as_str().unwrap().to_string(),
                a["account"].as_str().unwrap().to_string(),
                a["breach"]["status"].as_str().unwrap().to_string(),
                a["breach"]["count"].clone(),
            )
        })
        .collect()
}

/// The example audited online against a fresh range server (quick recovery budget).
fn online_example() -> (range_server::RangeServer, Value, tempfile::TempDir) {
    let server = start_server();
    let (_, ev, d) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp-url",
        &server.url,
        QUICK[0],
        QUICK[1],
    ]);
    (server, ev, d)
}

#[test]
fn offline_sorted_files_and_index_give_the_same_hits_as_online() {
    let (_server, online, _d0) = online_example();
    let m = example();
    let m = m.to_str().unwrap();
    let d = tempfile::tempdir().unwrap();
    let (sha1, ntlm) = sorted_corpora(d.path());
    let (o, offline, _d1) = audit(&[
        "--manifest",
        m,
        "--hibp",
        sha1.to_str().unwrap(),
        "--hibp",
        ntlm.to_str().unwrap(),
        QUICK[0],
        QUICK[1],
    ]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(offline["breach_check"]["mode"], "offline");
    assert_eq!(offline["breach_check"]["status"], "complete");
    assert!(offline["breach_check"]["dataset"]
        .as_str()
        .unwrap()
        .contains("ordered-by-hash"));
    assert!(offline["breach_check"]["date"].is_string());
    assert_eq!(breach_map(&online), breach_map(&offline));
    assert_eq!(
        online["breach_check"]["found"],
        offline["breach_check"]["found"]
    );
    assert!(offline["breach_check"]["found"].as_u64().unwrap() >= 3);

    // The same through kensa indexes.
    let (si, ni) = (d.path().join("sha1.idx"), d.path().join("ntlm.idx"));
    for (src, idx) in [(&sha1, &si), (&ntlm, &ni)] {
        let o = kensa(&[
            "hibp",
            "index",
            src.to_str().unwrap(),
            "-o",
            idx.to_str().unwrap(),
        ]);
        assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = kensa(&["hibp", "info", "--json", si.to_str().unwrap()]);
    assert_eq!(code(&o), 0);
    let info: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(info["mode"], "sha1");
    assert!(info["sources"][0]["path"]
        .as_str()
        .unwrap()
        .contains("ordered-by-hash"));
    let (_, indexed, _d2) = audit(&[
        "--manifest",
        m,
        "--hibp",
        si.to_str().unwrap(),
        "--hibp",
        ni.to_str().unwrap(),
        QUICK[0],
        QUICK[1],
    ]);
    assert_eq!(breach_map(&online), breach_map(&indexed));

    // A corpus of one mode only: lookups of the other mode are errors, never not_found.
    let (o, half, _d3) = audit(&[
        "--manifest",
        m,
        "--hibp",
        sha1.to_str().unwrap(),
        QUICK[0],
        QUICK[1],
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        account(&half, "ad01", "suzuki")["breach"]["status"],
        "error"
    );

    // An NTLM corpus alone answers for known plaintexts too, by their NT hash: the shadow account
    // whose plaintext is recovered is looked up by NT(plaintext), and the audit is complete.
    let (o, nt_only, _d4) = audit(&[
        "--manifest",
        m,
        "--hibp",
        ntlm.to_str().unwrap(),
        QUICK[0],
        QUICK[1],
    ]);
    assert_ne!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(nt_only["breach_check"]["status"], "complete");
    let root = account(&nt_only, "linux01", "root");
    assert_eq!(root["plaintext_known"], true);
    assert_eq!(root["breach"]["status"], "found");
    assert_eq!(root["breach"]["via"], "ntlm");
    assert!(codes(root).contains("BREACHED"));
    for a in nt_only["accounts"].as_array().unwrap() {
        if a["plaintext_known"] == true && a["status"] != "skipped" {
            let st = a["breach"]["status"].as_str().unwrap();
            assert!(st == "found" || st == "not_found", "{a}");
        }
    }
}

#[test]
fn malformed_offline_corpus_is_an_error_naming_the_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("sha1.txt");
    fs::write(&p, "0000000000000000000000000000000000000001:3\r\nFFFF:12\r\n0000000000000000000000000000000000000002:1\r\n").unwrap();
    let o = kensa(&[
        "hibp",
        "index",
        p.to_str().unwrap(),
        "-o",
        d.path().join("x.idx").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("sha1.txt:2"), "{err}");
}

#[test]
fn downloaded_prefix_directory_works_as_a_corpus_and_the_cache_saves_requests() {
    let (server, online, _d0) = online_example();
    let m = example();
    let m = m.to_str().unwrap();
    // The prefixes the audit asked for, per mode.
    let prefixes = |ntlm: bool| -> BTreeSet<String> {
        server
            .requests()
            .iter()
            .filter(|r| r.contains("mode=ntlm") == ntlm)
            .map(|r| {
                r.trim_start_matches("/range/")
                    .split('?')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (sha1_prefixes, ntlm_prefixes) = (prefixes(false), prefixes(true));
    let d = tempfile::tempdir().unwrap();
    // Download just the prefixes the audit needs, mode by mode, into two directories.
    for (mode, flag, prefixes) in [
        ("sha1", None, &sha1_prefixes),
        ("ntlm", Some("--ntlm"), &ntlm_prefixes),
    ] {
        let dir = d.path().join(mode);
        for p in prefixes {
            let mut args = vec![
                "hibp",
                "download",
                "-o",
                dir.to_str().unwrap(),
                "--hibp-url",
                &server.url,
            ];
            let range = format!("{p}-{p}");
            args.extend(["--range", range.as_str()]);
            if let Some(f) = flag {
                args.push(f);
            }
            let o = kensa(&args);
            assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    let (o, dirs, _d1) = audit(&[
        "--manifest",
        m,
        "--hibp",
        d.path().join("sha1").to_str().unwrap(),
        "--hibp",
        d.path().join("ntlm").to_str().unwrap(),
        QUICK[0],
        QUICK[1],
    ]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(breach_map(&online), breach_map(&dirs));

    // Online with a cache: the second run is answered from disk.
    let cache = d.path().join("cache");
    let c = cache.to_str().unwrap();
    let (_, first, _d2) = audit(&[
        "--manifest",
        m,
        "--hibp-url",
        &server.url,
        "--hibp-cache",
        c,
        QUICK[0],
        QUICK[1],
    ]);
    let (_, second, _d3) = audit(&[
        "--manifest",
        m,
        "--hibp-url",
        &server.url,
        "--hibp-cache",
        c,
        QUICK[0],
        QUICK[1],
    ]);
    assert!(first["run"]["breach_requests"].as_u64().unwrap() > 0);
    assert_eq!(second["run"]["breach_requests"], 0);
    assert!(second["run"]["breach_cache_hits"].as_u64().unwrap() > 0);
    assert_eq!(breach_map(&online), breach_map(&second));
}

#[test]
fn all_formats_are_written_consistent_and_free_of_secrets() {
    let (o, ev, d) = audit(&[
        "--manifest",
        example().to_str().unwrap(),
        "--hibp",
        "off",
        "--format",
        "all",
        QUICK[0],
        QUICK[1],
    ]);
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
    for a in ev["accounts"].as_array().unwrap() {
        assert!(csv.contains(a["account"].as_str().unwrap()));
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
    assert_eq!(before.len(), 5, "{:?}", before.keys());

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
    assert_eq!(names, ["evidence.json", "evidence.md"]);
}
