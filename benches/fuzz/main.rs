//! A fuzz harness for every parser kensa has, on the stable toolchain: a seeded byte-mutation
//! engine over the real fixtures (tests/fixtures, examples) and hand-written seeds with marked
//! secrets, checking on every execution that nothing panics, nothing takes longer than the time
//! bound, every error names `file:line`, no error shows a secret, and the breach corpora answer
//! like a reference.
//!
//! ```text
//! cargo bench --bench fuzz -- [--execs N] [--seed S] [--target NAME]... [--max-ms MS] [--out DIR]
//! cargo bench --bench fuzz -- --target NAME --replay FILE   # one input, its problems printed
//! cargo bench --bench fuzz -- --list                        # the targets
//! benches/fuzz/run.sh                      # the campaign: 1e6 executions per target
//! ```
//! Under `cargo test --all-targets` (no `--bench` argument) it runs a smoke pass of 2,000
//! executions per target with a fixed seed, and fails on any finding.
//!
//! The input formats are taken from `input::Format::ALL`, so a format added to kensa is fuzzed
//! without a change here (seeded from the fixtures detected as that format).

mod mutate;
mod seeds;
mod targets;

use mutate::Rng;
use seeds::{Fixtures, Secrets};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use targets::{Exec, Kind, Problem, Target};

/// The longest input the mutations make.
const MAX_LEN: usize = 16 << 10;
/// Inputs kept per target (new behaviours replace old ones at random beyond this).
const MAX_CORPUS: usize = 4096;
/// An execution running this long is a hang: the input is written out and the process aborts.
const HARD_LIMIT: Duration = Duration::from_secs(60);

/// The last panic's message and place, written by the panic hook.
static PANIC: Mutex<Option<String>> = Mutex::new(None);
/// What runs now (target and input), for the watchdog; and when it started (ms since
/// `EPOCH`, 0 = nothing).
static CURRENT: Mutex<(String, Vec<u8>)> = Mutex::new((String::new(), Vec::new()));
static STARTED_MS: AtomicU64 = AtomicU64::new(0);

struct Options {
    execs: u64,
    seed: u64,
    targets: Vec<String>,
    max: Duration,
    out: PathBuf,
    list: bool,
    /// Run these inputs once through the chosen targets and print what they show.
    replay: Vec<PathBuf>,
}

fn options() -> Result<Options, String> {
    // `cargo bench` passes `--bench`; under `cargo test` there is no argument: a smoke run.
    let mut o = Options {
        execs: 2_000,
        seed: 1,
        targets: Vec::new(),
        max: Duration::from_secs(1),
        out: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz"),
        list: false,
        replay: Vec::new(),
    };
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--execs" => o.execs = number(&value("--execs")?)?,
            "--seed" => o.seed = number(&value("--seed")?)?,
            "--target" => o.targets.push(value("--target")?),
            "--max-ms" => o.max = Duration::from_millis(number(&value("--max-ms")?)?),
            "--out" => o.out = PathBuf::from(value("--out")?),
            "--list" => o.list = true,
            "--replay" => o.replay.push(PathBuf::from(value("--replay")?)),
            other => return Err(format!("fuzz: unknown argument `{other}`")),
        }
    }
    Ok(o)
}

/// `1000000` or `1e6`.
fn number(s: &str) -> Result<u64, String> {
    s.parse::<u64>()
        .ok()
        .or_else(|| {
            s.parse::<f64>()
                .ok()
                .filter(|f| *f >= 0.0)
                .map(|f| f as u64)
        })
        .ok_or_else(|| format!("fuzz: `{s}` is not a number"))
}

/// One unique finding: its first input (shrunk) and how often it was seen.
struct Finding {
    target: String,
    problem: Problem,
    input: Vec<u8>,
    seen: u64,
}

/// Counts of one target's run.
struct Row {
    target: String,
    execs: u64,
    secs: f64,
    corpus: usize,
    behaviours: usize,
    findings: usize,
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::Builder::new()
        .prefix("kensa-fuzz-")
        .tempdir_in(if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        })
        .expect("scratch directory");
    let fixtures = Fixtures::load(root);
    let mut secrets = Secrets::new();
    secrets.add_scan_list(&root.join("tests/fixtures/secrets.txt"));
    for (_, bytes, format) in &fixtures.files {
        if let Some(f) = format {
            secrets.add_parsed(*f, bytes);
        }
    }
    let mut all = targets::all(&fixtures, root, scratch.path());
    if o.list {
        for t in &all {
            println!("{}", t.name());
        }
        return;
    }
    all.retain(|t| o.targets.is_empty() || o.targets.iter().any(|n| t.name() == *n));
    // Every seed of every target, to splice from.
    let mut donors: Vec<Vec<u8>> = fixtures.all();
    for t in &all {
        donors.extend(t.seeds());
    }

    std::panic::set_hook(Box::new(|info| {
        *PANIC.lock().unwrap_or_else(|p| p.into_inner()) = Some(info.to_string());
    }));
    let epoch = Instant::now();
    let out = o.out.clone();
    std::thread::spawn(move || watchdog(epoch, &out));

    if !o.replay.is_empty() {
        let mut any = false;
        for t in all.iter_mut() {
            for p in &o.replay {
                let input = std::fs::read(p).expect("read the input to replay");
                let name = t.name();
                let (exec, took) = once(t.as_mut(), &name, &input, &secrets, epoch);
                println!("[{name}] {} ({} ms)", p.display(), took.as_millis());
                for pr in &exec.problems {
                    any = true;
                    println!("  {}: {}", pr.kind.as_str(), pr.detail);
                }
            }
        }
        std::process::exit(i32::from(any));
    }
    println!(
        "kensa fuzz: seed {}, {} executions per target, time bound {} ms, {} targets",
        o.seed,
        o.execs,
        o.max.as_millis(),
        all.len()
    );
    let mut rows = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    for (i, t) in all.iter_mut().enumerate() {
        let row = run(
            t.as_mut(),
            &o,
            o.seed.wrapping_mul(1000).wrapping_add(i as u64),
            &donors,
            &secrets,
            epoch,
            &mut findings,
        );
        println!(
            "  {:<20} {:>9} execs {:>8.1} s {:>9.0} /s  corpus {:>4}  behaviours {:>5}  findings {}",
            row.target,
            row.execs,
            row.secs,
            row.execs as f64 / row.secs.max(1e-9),
            row.corpus,
            row.behaviours,
            row.findings
        );
        rows.push(row);
    }
    let total: u64 = rows.iter().map(|r| r.execs).sum();
    let secs: f64 = rows.iter().map(|r| r.secs).sum();
    println!("  {:<20} {total:>9} execs {secs:>8.1} s", "total");
    let _ = std::fs::create_dir_all(&o.out);
    let (known, new): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| known_issue(f).is_some());
    if !known.is_empty() {
        println!(
            "{} known findings (reported to the parser's owner; see KNOWN in benches/fuzz/main.rs):",
            known.len()
        );
        for f in &known {
            print_finding(f, &o.out, known_issue(f));
        }
    }
    if new.is_empty() {
        println!("no new findings");
        return;
    }
    println!("{} new findings:", new.len());
    for f in &new {
        print_finding(f, &o.out, None);
    }
    // `exit` runs no destructor: remove the scratch directory first.
    drop(all);
    let _ = scratch.close();
    std::process::exit(1);
}

/// Findings already reported to the owner of the parser, waiting for a fix that is not a one-line
/// change: (target, kind, start of the finding's key, note). They are listed, not failed on.
const KNOWN: &[(&str, Kind, &str, &str)] = &[];

fn known_issue(f: &Finding) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(t, k, key, _)| {
            *t == f.target && *k == f.problem.kind && f.problem.key.starts_with(key)
        })
        .map(|(_, _, _, note)| *note)
}

fn print_finding(f: &Finding, out: &Path, note: Option<&str>) {
    let n = FINDING_NO.fetch_add(1, Ordering::Relaxed);
    let file = out.join(format!(
        "{}-{}-{n}.bin",
        file_name(&f.target),
        f.problem.kind.as_str()
    ));
    let _ = std::fs::write(&file, &f.input);
    println!(
        "- [{}] {}: {} (seen {} times){}\n    input ({} bytes, {}): {}",
        f.target,
        f.problem.kind.as_str(),
        clip(&f.problem.detail, 400),
        f.seen,
        note.map(|n| format!("\n    known: {n}"))
            .unwrap_or_default(),
        f.input.len(),
        file.display(),
        clip(&hex::encode(&f.input), 400),
    );
}

static FINDING_NO: AtomicU64 = AtomicU64::new(0);

/// At most `max` bytes of `s` (whole characters), with the length when cut.
fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes)", &s[..cut], s.len())
}

fn file_name(target: &str) -> String {
    target
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Runs one target for its share of the executions.
fn run(
    t: &mut dyn Target,
    o: &Options,
    seed: u64,
    donors: &[Vec<u8>],
    secrets: &Secrets,
    epoch: Instant,
    findings: &mut Vec<Finding>,
) -> Row {
    let name = t.name();
    let execs = ((o.execs as f64) * t.scale()).ceil().max(1.0) as u64;
    let mut rng = Rng::new(seed);
    let mut corpus: Vec<Vec<u8>> = t.seeds();
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    let mut behaviours: HashSet<u64> = HashSet::new();
    // Finding key -> index in `findings`.
    let mut seen: BTreeMap<(Kind, String), usize> = BTreeMap::new();
    let first_finding = findings.len();
    let start = Instant::now();
    let seeds = corpus.len() as u64;
    for n in 0..execs {
        let input = if n < seeds {
            corpus[n as usize].clone()
        } else {
            let mut input = corpus[rng.below(corpus.len())].clone();
            mutate::mutate(&mut rng, &mut input, donors, MAX_LEN);
            input
        };
        let (exec, elapsed) = once(t, &name, &input, secrets, epoch);
        let mut problems = exec.problems;
        if elapsed > o.max {
            // Timed again twice: a busy machine must not make a finding.
            let best = (0..2)
                .map(|_| once(t, &name, &input, secrets, epoch).1)
                .min()
                .unwrap_or(elapsed);
            if best > o.max {
                problems.push(Problem::new(
                    Kind::Slow,
                    "slow",
                    format!(
                        "took {} ms (bound {} ms)",
                        best.as_millis(),
                        o.max.as_millis()
                    ),
                ));
            }
        }
        for p in problems {
            let key = (p.kind, p.key.clone());
            match seen.get(&key) {
                Some(&i) => findings[i].seen += 1,
                None => {
                    seen.insert(key, findings.len());
                    findings.push(Finding {
                        target: name.clone(),
                        problem: p,
                        input: input.clone(),
                        seen: 1,
                    });
                }
            }
        }
        if behaviours.insert(exec.signature) {
            if corpus.len() < MAX_CORPUS {
                corpus.push(input);
            } else {
                let i = rng.below(corpus.len());
                corpus[i] = input;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    // Shrink each new finding's input while it still shows the same problem.
    for f in &mut findings[first_finding..] {
        if f.problem.kind != Kind::Slow {
            f.input = shrink(t, &name, &f.input, &f.problem, secrets, epoch);
            // The problem as the shrunk input shows it.
            let (exec, _) = once(t, &name, &f.input, secrets, epoch);
            if let Some(p) = exec
                .problems
                .into_iter()
                .find(|p| p.kind == f.problem.kind && p.key == f.problem.key)
            {
                f.problem = p;
            }
        }
    }
    Row {
        target: name,
        execs,
        secs,
        corpus: corpus.len(),
        behaviours: behaviours.len(),
        findings: findings.len() - first_finding,
    }
}

/// One execution under `catch_unwind`, timed; a panic becomes a problem.
fn once(
    t: &mut dyn Target,
    name: &str,
    input: &[u8],
    secrets: &Secrets,
    epoch: Instant,
) -> (Exec, Duration) {
    {
        let mut cur = CURRENT.lock().unwrap_or_else(|p| p.into_inner());
        if cur.0 != name {
            cur.0 = name.to_string();
        }
        cur.1.clear();
        cur.1.extend_from_slice(input);
    }
    STARTED_MS.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
    let t0 = Instant::now();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| t.exec(input, secrets)));
    let elapsed = t0.elapsed();
    STARTED_MS.store(0, Ordering::SeqCst);
    let exec = r.unwrap_or_else(|_| {
        let msg = PANIC
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .unwrap_or_else(|| "panic".into());
        // The place: `panicked at FILE:LINE:COL:`.
        let key = msg.lines().next().unwrap_or("").to_string();
        Exec {
            signature: 0,
            problems: vec![Problem::new(Kind::Panic, key, msg)],
        }
    });
    (exec, elapsed)
}

/// Deletes chunks of `input` (halves, quarters … single bytes) while the same problem remains.
fn shrink(
    t: &mut dyn Target,
    name: &str,
    input: &[u8],
    problem: &Problem,
    secrets: &Secrets,
    epoch: Instant,
) -> Vec<u8> {
    let same = |t: &mut dyn Target, cand: &[u8]| {
        once(t, name, cand, secrets, epoch)
            .0
            .problems
            .iter()
            .any(|p| p.kind == problem.kind && p.key == problem.key)
    };
    let mut cur = input.to_vec();
    let mut tries = 0;
    let mut size = cur.len().div_ceil(2).max(1);
    while size >= 1 && tries < 4000 {
        let mut at = 0;
        while at < cur.len() && tries < 4000 {
            let mut cand = cur.clone();
            cand.drain(at..(at + size).min(cur.len()));
            tries += 1;
            if same(t, &cand) {
                cur = cand;
            } else {
                at += size;
            }
        }
        if size == 1 {
            break;
        }
        size = size.div_ceil(2);
    }
    cur
}

/// Aborts the process when one execution passes [`HARD_LIMIT`], writing its input out first.
fn watchdog(epoch: Instant, out: &Path) {
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let started = STARTED_MS.load(Ordering::SeqCst);
        if started == 0 {
            continue;
        }
        let now = epoch.elapsed().as_millis() as u64 + 1;
        if now.saturating_sub(started) < HARD_LIMIT.as_millis() as u64 {
            continue;
        }
        let cur = CURRENT.lock().unwrap_or_else(|p| p.into_inner());
        let _ = std::fs::create_dir_all(out);
        let file = out.join(format!("{}-hang.bin", file_name(&cur.0)));
        let _ = std::fs::write(&file, &cur.1);
        eprintln!(
            "fuzz: [{}] hang: one execution ran over {} s; input ({} bytes) in {}: {}",
            cur.0,
            HARD_LIMIT.as_secs(),
            cur.1.len(),
            file.display(),
            hex::encode(&cur.1[..cur.1.len().min(512)])
        );
        std::process::abort();
    }
}
