//! Breach lookups end to end: `kensa audit` and `kensa check` against a real range server on
//! 127.0.0.1 that answers, fails or hangs, and against offline corpora (sorted files, kensa
//! indexes, downloaded prefix directories) that must give the same hits.

use super::{audit_example, breach_rows, start_server, QUICK};
use crate::support::{
    account, audit, code, codes, example, kensa, kensa_stdin, name, range_server,
};
use kensa::model::evidence::{AccountStatus, BreachStatus, Evidence, GiveUpReason};
use kensa::model::tags::{PartReason, PartStatus};
use kensa::model::Code;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Output;

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
    assert!(ev.complete);
    assert_eq!(name(&ev.breach_check.mode), "online");
    assert_eq!(name(&ev.breach_check.status), "complete");
    assert!(ev.breach_check.attribution.contains("CC BY 4.0"));
    // SHA-1 of a recovered plaintext.
    let ope = account(&ev, "linux01", "ope");
    assert_eq!(ope.breach.status, BreachStatus::Found);
    assert_eq!(ope.breach.count, Some(2413945));
    assert!(codes(&ope.findings).contains(&Code::Breached));
    // NT hash with no plaintext: mode=ntlm, and the account fails.
    let s = account(&ev, "ad01", "suzuki");
    assert!(!s.plaintext_known);
    assert_eq!(s.breach.status, BreachStatus::Found);
    assert_eq!(name(&s.breach.via), "ntlm");
    assert_eq!(s.status, AccountStatus::Fail);
    assert!(codes(&s.findings).contains(&Code::Breached));
    // Not in the corpus.
    assert_eq!(
        account(&ev, "ad01", "yamada").breach.status,
        BreachStatus::NotFound
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
    let (o, ev, _d) = audit_example(&["--hibp-url", &server.url, "--hibp-retries", "1"]);
    assert_eq!(code(&o), 2);
    assert!(!ev.complete);
    assert_eq!(name(&ev.breach_check.status), "incomplete");
    let c = ev.completeness.as_ref().expect("completeness");
    assert_eq!(c.breach_check.status, PartStatus::Incomplete);
    assert_eq!(c.breach_check.reason, Some(PartReason::LookupsFailed));
    assert_eq!(c.breach_check.count, Some(ev.breach_check.errors as u64));
    let (_, statuses) = breach_outcome(&ev);
    assert!(statuses.contains(&BreachStatus::Error));
    assert!(!statuses.contains(&BreachStatus::NotFound), "{statuses:?}");
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
        assert!(!ev.complete);
        assert_eq!(name(&ev.breach_check.status), "incomplete");
        let (_, statuses) = breach_outcome(&ev);
        assert!(statuses.contains(&BreachStatus::Error), "{statuses:?}");
        assert!(!statuses.contains(&BreachStatus::NotFound), "{statuses:?}");
        let failed = ev.breach_check.errors;
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
fn breach_outcome(ev: &Evidence) -> (Vec<String>, Vec<BreachStatus>) {
    let messages = ev
        .input_errors
        .iter()
        .filter(|e| e.source.starts_with("breach lookup ("))
        .map(|e| e.message.clone())
        .collect();
    let statuses = ev.accounts.iter().map(|a| a.breach.status).collect();
    (messages, statuses)
}

#[test]
fn a_breach_api_that_stops_answering_is_given_up_at_the_deadline_in_one_message() {
    let server = start_server();
    // Three ranges are answered, then nothing: without a deadline each hanging range would
    // cost 5 × 20 s (shared by 8 workers), minutes for this facility.
    server.misbehave(Some(range_server::Misbehaviour::HangAfter(3)));
    let t = std::time::Instant::now();
    let (o, ev, _d) = audit_example(&["--hibp-url", &server.url, "--hibp-deadline", "3s"]);
    let took = t.elapsed();
    assert!(took < std::time::Duration::from_secs(90), "{took:?}");
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!ev.complete);
    let b = &ev.breach_check;
    assert_eq!(name(&b.status), "incomplete");
    let g = b.gave_up.as_ref().unwrap_or_else(|| panic!("{b:?}"));
    assert_eq!(g.reason, GiveUpReason::Deadline, "{b:?}");
    let detail = "not completed: the deadline of 3s for breach lookups was reached";
    assert_eq!(g.detail, detail);
    // Every failed lookup failed for the deadline, with that one message (no prefix in it).
    let (messages, statuses) = breach_outcome(&ev);
    assert_eq!(g.lookups, b.errors);
    assert_eq!(messages.len(), b.errors);
    assert!(messages.len() > 1 && messages.iter().all(|m| m == detail));
    assert!(statuses.contains(&BreachStatus::Error), "{statuses:?}");
    let answered = b.lookups - b.errors;
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
    assert!(lines[0].contains(&format!("{} of {} breach lookups", b.errors, b.lookups)));
    assert!(lines[0].contains("--hibp PATH") && lines[0].contains("--hibp-cache"));
    assert!(lines[1].contains("the evidence is incomplete"));
}

#[test]
fn a_breach_api_that_never_answers_is_one_message_naming_the_deadline() {
    let server = start_server();
    server.misbehave(Some(range_server::Misbehaviour::Hang));
    let t = std::time::Instant::now();
    let (o, ev, _d) = audit_example(&[
        "--hibp-url",
        &server.url,
        "--hibp-deadline",
        "2s",
        "--quiet",
    ]);
    assert!(t.elapsed() < std::time::Duration::from_secs(90));
    assert_eq!(code(&o), 2);
    let b = &ev.breach_check;
    let g = b.gave_up.as_ref().unwrap_or_else(|| panic!("{b:?}"));
    assert_eq!(g.reason, GiveUpReason::Deadline, "{b:?}");
    assert_eq!(g.lookups, b.errors);
    assert_eq!(b.errors, b.lookups);
    let (_, statuses) = breach_outcome(&ev);
    assert!(
        !statuses.contains(&BreachStatus::NotFound) && !statuses.contains(&BreachStatus::Found)
    );
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
fn breach_map(ev: &Evidence) -> Vec<(String, String, BreachStatus, Option<u64>)> {
    ev.accounts
        .iter()
        .map(|a| {
            (
                a.system.to_string(),
                a.account.clone(),
                a.breach.status,
                a.breach.count,
            )
        })
        .collect()
}

/// The example audited online against a fresh range server (quick recovery budget).
fn online_example() -> (range_server::RangeServer, Evidence, tempfile::TempDir) {
    let server = start_server();
    let (_, ev, d) = audit_example(&["--hibp-url", &server.url]);
    (server, ev, d)
}

#[test]
fn offline_sorted_files_and_index_give_the_same_hits_as_online() {
    let (_server, online, _d0) = online_example();
    let d = tempfile::tempdir().unwrap();
    let (sha1, ntlm) = sorted_corpora(d.path());
    let (o, offline, _d1) = audit_example(&[
        "--hibp",
        sha1.to_str().unwrap(),
        "--hibp",
        ntlm.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(name(&offline.breach_check.mode), "offline");
    assert_eq!(name(&offline.breach_check.status), "complete");
    assert!(offline.breach_check.dataset.contains("ordered-by-hash"));
    assert!(offline.breach_check.date.is_some());
    assert_eq!(breach_map(&online), breach_map(&offline));
    assert_eq!(online.breach_check.found, offline.breach_check.found);
    assert!(offline.breach_check.found >= 3);

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
    let (_, indexed, _d2) = audit_example(&[
        "--hibp",
        si.to_str().unwrap(),
        "--hibp",
        ni.to_str().unwrap(),
    ]);
    assert_eq!(breach_map(&online), breach_map(&indexed));

    // A corpus of one mode only: lookups of the other mode are errors, never not_found.
    let (o, half, _d3) = audit_example(&["--hibp", sha1.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        account(&half, "ad01", "suzuki").breach.status,
        BreachStatus::Error
    );

    // An NTLM corpus alone answers for known plaintexts too, by their NT hash: the shadow account
    // whose plaintext is recovered is looked up by NT(plaintext), and the audit is complete.
    let (o, nt_only, _d4) = audit_example(&["--hibp", ntlm.to_str().unwrap()]);
    assert_ne!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(name(&nt_only.breach_check.status), "complete");
    let root = account(&nt_only, "linux01", "root");
    assert!(root.plaintext_known);
    assert_eq!(root.breach.status, BreachStatus::Found);
    assert_eq!(name(&root.breach.via), "ntlm");
    assert!(codes(&root.findings).contains(&Code::Breached));
    for a in &nt_only.accounts {
        if a.plaintext_known && a.status != AccountStatus::Skipped {
            assert!(
                matches!(
                    a.breach.status,
                    BreachStatus::Found | BreachStatus::NotFound
                ),
                "{a:?}"
            );
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
    let (o, dirs, _d1) = audit_example(&[
        "--hibp",
        d.path().join("sha1").to_str().unwrap(),
        "--hibp",
        d.path().join("ntlm").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(breach_map(&online), breach_map(&dirs));

    // Online with a cache: the second run is answered from disk.
    let cache = d.path().join("cache");
    let c = cache.to_str().unwrap();
    let (_, first, _d2) = audit_example(&["--hibp-url", &server.url, "--hibp-cache", c]);
    let (_, second, _d3) = audit_example(&["--hibp-url", &server.url, "--hibp-cache", c]);
    let run = |ev: &Evidence| ev.run.clone().expect("the run's facts");
    assert!(run(&first).breach_requests > 0);
    assert_eq!(run(&second).breach_requests, 0);
    assert!(run(&second).breach_cache_hits > 0);
    assert_eq!(breach_map(&online), breach_map(&second));
}
