//! Benchmarks on the library: parsing, unsalted candidate join, salted verification, whole audit.
//! Run with `cargo bench --bench audit`; figures go to BENCHMARKS.md with the machine and command.
//! (A plain harness keeps the build light; each case reports the median of several runs.
//! Under `cargo test` it runs once on small inputs, so the suite checks that it works.)

use kensa::engine::{audit, AuditOptions};
use kensa::hash;
use kensa::input::{self, Format};
use kensa::model::Scheme;
use kensa::words::Lang;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn bench(name: &str, iters: usize, units: f64, unit: &str, mut f: impl FnMut()) {
    let quick = is_quick();
    let iters = if quick { 1 } else { iters };
    let runs: Vec<Duration> = (0..iters)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    let m = median(runs);
    println!(
        "{name:<40} {:>10.3} ms   {:>14.0} {unit}/s",
        m.as_secs_f64() * 1e3,
        units / m.as_secs_f64()
    );
}

fn pwdump(n: usize) -> String {
    let mut s = String::with_capacity(n * 80);
    for i in 0..n {
        let nt = hex::encode(hash::nt(&format!("pw-{i}-Xy9!")));
        s.push_str(&format!(
            "KORO\\user{i}:{}:aad3b435b51404eeaad3b435b51404ee:{nt}::: (status=Enabled)\n",
            1000 + i
        ));
    }
    s
}

/// `cargo bench` passes `--bench`; under `cargo test` the bench runs once on small inputs.
fn is_quick() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

fn main() {
    let quick = is_quick();
    let n = if quick { 2_000 } else { 100_000 };
    let text = pwdump(n);
    bench("parse pwdump", 5, n as f64, "lines", || {
        black_box(input::parse(Format::Pwdump, &text, "bench.txt"));
    });
    let cands: Vec<String> = (0..n).map(|i| format!("Cand{i}!")).collect();
    bench("NT digest of candidates", 5, n as f64, "hashes", || {
        for c in &cands {
            black_box(hash::digest(Scheme::Nt, c));
        }
    });
    let sha512 = "$6$rounds=5000$saltsaltsalt$6Iy0o1C7Hn0QZxm8j0nKlHnqHkM/SpCDX3EbpTTb1Hz7QYqtkoTMzD1DKRlZa3Ck6ZzL0iBx0Qm8h9mcVv6sy/";
    let k = if quick { 2 } else { 50 };
    bench(
        "sha512crypt verify (5000 rounds)",
        3,
        k as f64,
        "verifies",
        || {
            for _ in 0..k {
                black_box(hash::verify(Scheme::Sha512crypt, "guess", sha512));
            }
        },
    );

    // Whole audit of n NT accounts, offline, default wordlists.
    let dir = std::env::temp_dir().join(format!("kensa-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ntds.txt");
    std::fs::write(&file, pwdump(if quick { 500 } else { 20_000 })).unwrap();
    let opts = AuditOptions {
        manifest: None,
        files: vec![file.to_string_lossy().to_string()],
        wordlists: vec![],
        default_wordlists: true,
        potfiles: vec![],
        check_date: Some("2026-11-24".into()),
        target_date: None,
        strict_reuse: false,
        salted_budget: kensa::recover::DEFAULT_SALTED_BUDGET,
        salted_total: kensa::recover::DEFAULT_SALTED_TOTAL,
        lang: Lang::Ja,
        today: "2026-11-24".into(),
        max_input_size: kensa::engine::DEFAULT_MAX_INPUT_SIZE,
        edition: None,
    };
    bench(
        "whole audit (NT accounts, offline)",
        3,
        if quick { 500.0 } else { 20_000.0 },
        "accounts",
        || {
            black_box(audit(&opts, None, &|_, _, _| {}).unwrap());
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
}
