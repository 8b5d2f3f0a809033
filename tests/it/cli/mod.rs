//! End-to-end tests of `kensa audit`, `check` and `policy`: the real binary on fixture facilities
//! made by independent tools (tests/fixtures/facility-gen/generate.py), with a real range server
//! on 127.0.0.1.

mod audit;
mod breach;
mod commands;

use crate::support::{audit, example, range_server, root};
use kensa::model::evidence::Evidence;
use std::fs;
use std::process::Output;

/// A small recovery budget for tests whose assertions do not depend on deep salted recovery.
const QUICK: [&str; 2] = ["--salted-budget", "1000000"];

/// `kensa audit` of the example facility with `args` and the small recovery budget.
fn audit_example(args: &[&str]) -> (Output, Evidence, tempfile::TempDir) {
    let manifest = example();
    let mut a = vec!["--manifest", manifest.to_str().unwrap()];
    a.extend_from_slice(args);
    a.extend_from_slice(&QUICK);
    audit(&a)
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
