//! The command-line layer: validated options from arguments, runs the library, prints a short
//! summary, and maps the outcome to the exit codes of contract §5.

pub mod args;
mod export;
mod hibp;
mod init;
mod verify;

use crate::breach::online::{CacheOptions, OnlineOptions, OnlineSource};
use crate::breach::{BreachSource, GiveUpReason, Lookup, Query};
use crate::engine::{self, AuditError, AuditOptions};
use crate::input;
use crate::model::evidence::{AccountStatus, Answer, BaselineReport, Evidence};
use crate::model::{Code, Severity};
use crate::recover::wordlists::Wordlists;
use crate::report::{self, Lang, ReportFormat};
use crate::rules::answer::RemarkLang;
use crate::rules::guess::GuessContext;
use crate::rules::{policy, seven};
use args::{AuditArgs, CheckArgs, Cli, Command, PolicyArgs, SourceArgs};
use clap::CommandFactory;
use std::io::{IsTerminal, Write};

/// The outcome of a command, mapped to an exit code in one place (contract §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Evidence complete, nothing selected by `--fail-on` found.
    Clean,
    /// Evidence complete, a selected finding found.
    Findings,
    /// Usage error, unreadable/malformed input, failed lookups.
    Incomplete,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Incomplete => 2,
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let r = match cli.command {
        Command::Audit(a) => audit(*a),
        Command::Policy(p) => policy_cmd(p),
        Command::Check(c) => check(c),
        Command::Hibp(h) => hibp::run(h),
        Command::Verify(v) => verify::run(v),
        Command::Init(i) => init::run(i),
        Command::Export(e) => export::run(e),
        Command::Completions(c) => {
            let mut buf = Vec::new();
            clap_complete::generate(c.shell, &mut args::Cli::command(), "kensa", &mut buf);
            out(&String::from_utf8_lossy(&buf));
            Ok(Outcome::Clean)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(args::Cli::command())
                .render(&mut buf)
                .map_err(|e| format!("cannot render the manual page: {e}"))
                .map(|_| {
                    out(&String::from_utf8_lossy(&buf));
                    Outcome::Clean
                })
        }
    };
    match r {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("kensa: error: {msg}");
            Outcome::Incomplete
        }
    }
}

impl SourceArgs {
    /// The options of an audit over these inputs (dates, language and reuse strictness at their
    /// defaults: the caller sets what it has flags for).
    fn options(&self) -> AuditOptions {
        AuditOptions {
            manifest: self.manifest.clone(),
            files: self.files.clone(),
            wordlists: self.wordlist.clone(),
            default_wordlists: !self.no_default_wordlists,
            potfiles: self.potfile.clone(),
            check_date: None,
            target_date: None,
            strict_reuse: false,
            salted_budget: self.salted_budget,
            salted_total: self.salted_total,
            lang: RemarkLang::Ja,
            today: chrono::Local::now().date_naive().to_string(),
            max_input_size: self.max_input_size,
        }
    }

    /// Size the global thread pool (`--threads`).
    fn init_threads(&self) -> Result<(), String> {
        if let Some(n) = self.threads {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global()
                .map_err(|e| format!("--threads: {e}"))?;
        }
        Ok(())
    }
}

/// Write to stdout, treating a broken pipe as success.
fn out(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(s.as_bytes()).and_then(|_| o.flush());
}

/// What `--fail-on` selects.
#[derive(Debug, Default, Clone, Copy)]
struct FailOn {
    reuse: bool,
    weak: bool,
    breached: bool,
    policy: bool,
    /// Any new failing finding relative to --baseline.
    new: bool,
    /// A new cross-system reuse group relative to --baseline.
    new_reuse: bool,
}

fn parse_fail_on(list: &[String]) -> Result<FailOn, String> {
    let mut f = FailOn::default();
    for item in list.iter().map(|s| s.trim().to_ascii_lowercase()) {
        match item.as_str() {
            "any" => {
                f = FailOn {
                    reuse: true,
                    weak: true,
                    breached: true,
                    policy: true,
                    ..f
                }
            }
            "reuse" => f.reuse = true,
            "weak" => f.weak = true,
            "breached" => f.breached = true,
            "policy" => f.policy = true,
            "new" => f.new = true,
            "new-reuse" | "new_reuse" => f.new_reuse = true,
            "none" => {}
            other => {
                return Err(format!(
                    "--fail-on: `{other}` is not one of any, reuse, weak, breached, policy, new, new-reuse, none"
                ))
            }
        }
    }
    Ok(f)
}

/// Is a finding selected by `--fail-on` present in the evidence (and new relative to the baseline
/// for `new` / `new-reuse`; without a baseline these act as `any` / `reuse`)?
fn selected(ev: &Evidence, f: FailOn, baseline: Option<&BaselineReport>) -> bool {
    let f = match baseline {
        Some(b) => {
            if (f.new && b.counts.new_failing > 0)
                || (f.new_reuse && b.counts.new_cross_system_reuse > 0)
            {
                return true;
            }
            f
        }
        None if f.new => FailOn {
            reuse: true,
            weak: true,
            breached: true,
            policy: true,
            ..f
        },
        None if f.new_reuse => FailOn { reuse: true, ..f },
        None => f,
    };
    let reuse = ev.reuse_groups.iter().any(|g| g.severity == "fail")
        || ev.accounts.iter().any(|a| {
            a.status != AccountStatus::Skipped
                && a.findings.iter().any(|x| x.code == Code::DefaultPassword)
        });
    let weak = ev.accounts.iter().any(|a| {
        a.findings.iter().any(|x| {
            x.severity == Severity::Fail
                && !matches!(
                    x.code,
                    Code::Breached | Code::ReusedAcrossSystems | Code::ReusedWithinSystem
                )
        })
    });
    let breached = ev
        .accounts
        .iter()
        .any(|a| a.findings.iter().any(|x| x.code == Code::Breached));
    let policy = ev.policies.iter().any(|p| p.status == "fail");
    (f.reuse && reuse) || (f.weak && weak) || (f.breached && breached) || (f.policy && policy)
}

fn lang_of(s: &str) -> Result<Lang, String> {
    Lang::from_name(s).ok_or_else(|| format!("--lang: `{s}` is not ja or en"))
}

fn breach_source(a: &AuditArgs) -> Result<Option<Box<dyn BreachSource>>, String> {
    let mut online = false;
    let mut off = false;
    let mut paths = Vec::new();
    for m in &a.hibp {
        match m.as_str() {
            "online" => online = true,
            "off" => off = true,
            p => paths.push(std::path::PathBuf::from(p)),
        }
    }
    if off {
        if a.hibp.len() > 1 {
            return Err("--hibp off cannot be combined with other --hibp values".into());
        }
        return Ok(None);
    }
    if !paths.is_empty() {
        if online {
            return Err(
                "--hibp online and an offline corpus cannot be combined: choose one".into(),
            );
        }
        let src = crate::breach::offline::OfflineSource::open(&paths)?;
        return Ok(Some(Box::new(src)));
    }
    let cache = a.hibp_cache.as_ref().map(|dir| CacheOptions {
        dir: dir.clone(),
        max_age: std::time::Duration::from_secs(a.hibp_cache_max_age.saturating_mul(86_400)),
    });
    let src = OnlineSource::new(OnlineOptions {
        base_url: a.hibp_url.clone(),
        retries: a.hibp_retries,
        cache,
        deadline: a.hibp_deadline.0,
        ..Default::default()
    })?;
    Ok(Some(Box::new(src)))
}

fn audit(a: AuditArgs) -> Result<Outcome, String> {
    let lang = lang_of(&a.lang)?;
    let mut formats = Vec::new();
    for f in &a.format {
        if f.trim().eq_ignore_ascii_case("all") {
            formats.extend(ReportFormat::ALL);
            continue;
        }
        formats.push(ReportFormat::from_name(f).ok_or_else(|| {
            format!("--format: `{f}` is not one of json, md, html, csv, xlsx, all")
        })?);
    }
    let fail_on = parse_fail_on(&a.fail_on)?;
    a.source.init_threads()?;
    let opts = AuditOptions {
        check_date: a.check_date.clone(),
        target_date: a.target_date.clone(),
        strict_reuse: a.strict_reuse,
        lang: if lang == Lang::En {
            RemarkLang::En
        } else {
            RemarkLang::Ja
        },
        ..a.source.options()
    };
    let corpora: Vec<std::path::PathBuf> = a
        .hibp
        .iter()
        .filter(|m| !matches!(m.as_str(), "online" | "off"))
        .map(std::path::PathBuf::from)
        .collect();
    check_paths(&opts, &corpora)?;
    check_out_dir(&a.out)?;
    let baseline = match &a.baseline {
        Some(p) => Some(crate::baseline::load(p)?),
        None => None,
    };
    let breach = breach_source(&a)?;
    let show_progress = !a.quiet && !a.no_progress && std::io::stderr().is_terminal();
    let progress = Progress::new(show_progress);
    let started = std::time::Instant::now();
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut ev = match engine::audit(&opts, breach.as_deref(), &|p, d, t| progress.tick(p, d, t)) {
        Ok(ev) => ev,
        Err(AuditError::Usage(m)) => return Err(m),
    };
    progress.clear();
    ev.run = Some(crate::model::evidence::Run {
        started_at,
        duration_ms: started.elapsed().as_millis() as u64,
        breach_requests: breach.as_ref().map_or(0, |b| b.requests()),
        breach_cache_hits: breach.as_ref().map_or(0, |b| b.cache_hits()),
    });
    if let (Some(old), Some(p)) = (&baseline, &a.baseline) {
        let now = crate::baseline::Snapshot::of(&ev);
        ev.baseline = Some(crate::baseline::compare(
            old,
            &p.display().to_string(),
            &now,
        ));
    }
    let written = report::write_reports(&ev, &a.out, &formats, lang)
        .map_err(|e| format!("{}: cannot write the evidence: {e}", a.out.display()))?;
    if let Some(t0) = progress.timings {
        eprintln!("kensa: {:8.3} s  done", t0.elapsed().as_secs_f64());
    }
    if !a.quiet {
        let color = std::io::stdout().is_terminal() && color_allowed();
        out(&summary(&ev, ev.baseline.as_ref(), &written, lang, color));
    }
    // Errors reach stderr whatever --quiet says (it hides the summary and the progress only).
    // When the breach API could not be reached at all, its failed lookups (one per query) are
    // told in one message that says what to do on a closed network; so are the lookups given up
    // at the deadline or when the API stopped answering (each carries the same message).
    let unreachable = breach.as_deref().and_then(|b| b.unreachable());
    let gave_up = breach.as_deref().and_then(|b| b.gave_up());
    for e in &ev.input_errors {
        let folded = engine::is_breach_error(e)
            && (unreachable.is_some() || gave_up.as_ref().is_some_and(|g| g.message == e.message));
        if !folded {
            eprintln!(
                "kensa: {}: {}",
                report::visible(&e.source),
                report::visible(&e.message)
            );
        }
    }
    if let (Some(why), Some(b)) = (&unreachable, &breach) {
        // No answer at all, and perhaps the deadline came first: say both.
        let why = match &gave_up {
            Some(g) if g.reason == GiveUpReason::Deadline => format!("{why}; {}", g.why),
            _ => why.clone(),
        };
        eprintln!(
            "kensa: error: {}",
            unreachable_message(b.as_ref(), &why, &ev)
        );
    } else if let (Some(g), Some(b)) = (&gave_up, &breach) {
        eprintln!(
            "kensa: error: {}",
            gave_up_message(b.as_ref(), g, a.hibp_deadline, &ev)
        );
    }
    Ok(if !ev.complete {
        eprintln!(
            "kensa: the evidence is incomplete ({} problems; see input_errors)",
            ev.input_errors.len()
        );
        Outcome::Incomplete
    } else if selected(&ev, fail_on, ev.baseline.as_ref()) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// A `--max-input-size` value: bytes, or a number with a binary `K`, `M`, `G` or `T` suffix
/// (`KiB`, `MB`… are read alike).
pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(digits);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{s}` is not a size (bytes, or a number with K, M, G or T)"))?;
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("`{s}`: unknown unit (use K, M, G or T)")),
    };
    n.checked_mul(1u64 << shift)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{s}` is not a size kensa can use"))
}

/// Before any work: every input, pot file, wordlist and offline corpus (`corpora`) can be opened.
/// Each one that cannot is printed with its path; the error ends the command (exit 2).
fn check_paths(opts: &AuditOptions, corpora: &[std::path::PathBuf]) -> Result<(), String> {
    let mut problems = engine::unreadable_inputs(opts).map_err(|AuditError::Usage(m)| m)?;
    problems.extend(corpora.iter().filter_map(|p| {
        // An offline corpus is read piece by piece (mapped or streamed): no size limit.
        engine::cannot_open(p, true, None).map(|why| format!("{}: cannot read: {why}", p.display()))
    }));
    for p in &problems {
        eprintln!("kensa: {p}");
    }
    match problems.len() {
        0 => Ok(()),
        1 => Err("an input cannot be read (nothing was read or written)".into()),
        n => Err(format!(
            "{n} inputs cannot be read (nothing was read or written)"
        )),
    }
}

/// Before any work: `--out` is a directory kensa can write the evidence into (or one it can
/// create), and no file of the set is in the way — so an audit that may recover passwords for an
/// hour does not end in "cannot write".
fn check_out_dir(out: &std::path::Path) -> Result<(), String> {
    let fail = |why: &str| {
        Err(format!(
            "{}: {why} (nothing was read or written)",
            out.display()
        ))
    };
    match std::fs::metadata(out) {
        Ok(m) if !m.is_dir() => return fail("--out names an existing file, not a directory"),
        Ok(_) => {
            let in_way = report::write::in_the_way(out, &report::SET_FILES);
            if !in_way.is_empty() {
                return fail(&format!(
                    "{} is in the way (not a regular file)",
                    in_way.join(", ")
                ));
            }
            if !writable_dir(out) {
                return fail("the directory is not writable");
            }
        }
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            // Created later: the nearest existing ancestor must be a writable directory.
            let mut up = out.parent();
            while let Some(p) = up.filter(|p| !p.as_os_str().is_empty()) {
                match std::fs::metadata(p) {
                    Ok(m) if m.is_dir() => {
                        return if writable_dir(p) {
                            Ok(())
                        } else {
                            fail(&format!(
                                "cannot create it: {} is not writable",
                                p.display()
                            ))
                        };
                    }
                    Ok(_) => {
                        return fail(&format!(
                            "cannot create it: {} is not a directory",
                            p.display()
                        ))
                    }
                    Err(_) => up = p.parent(),
                }
            }
            if !writable_dir(std::path::Path::new(".")) {
                return fail("cannot create it: the current directory is not writable");
            }
        }
        Err(e) => return fail(&format!("cannot use it: {e}")),
    }
    Ok(())
}

/// Whether files can be created in the directory `p` (write and search permission).
fn writable_dir(p: &std::path::Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path; access(2) only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

/// The one message for a breach API that never answered (no route, DNS failure, connection
/// refused): how many lookups failed, that they are errors (never "not found"), and the two ways
/// to audit on a closed network.
fn unreachable_message(b: &dyn BreachSource, why: &str, ev: &Evidence) -> String {
    format!(
        "no answer from the {}: {why}. Its {} breach lookups are recorded as errors (never as \
         not found) and the evidence is incomplete. On a closed network, audit with `--hibp off` \
         (no breach check) or with an offline copy of Pwned Passwords, `--hibp PATH` (a file or \
         directory from the Pwned Passwords downloader or `kensa hibp download`, or a \
         `kensa hibp index`).",
        b.dataset(),
        ev.breach_check.errors
    )
}

/// The one message for breach lookups given up part-way (the API answered before): at the
/// deadline, or when it stopped answering. How many, that they are errors, and what to do.
fn gave_up_message(
    b: &dyn BreachSource,
    g: &crate::breach::GaveUp,
    deadline: args::Deadline,
    ev: &Evidence,
) -> String {
    let n = ev.breach_check.gave_up.as_ref().map_or(0, |e| e.lookups);
    let of = ev.breach_check.lookups;
    let what = match (g.reason, deadline.0) {
        (GiveUpReason::Deadline, Some(d)) => format!(
            "the breach lookups did not finish within --hibp-deadline {}",
            crate::breach::breaker::describe_duration(d)
        ),
        (GiveUpReason::Deadline, None) => g.why.clone(),
        (GiveUpReason::Unreachable, _) => {
            format!("the {} stopped answering ({})", b.dataset(), g.why)
        }
    };
    let advice = match g.reason {
        GiveUpReason::Deadline => "Allow more time with --hibp-deadline (0: no deadline)",
        GiveUpReason::Unreachable => "Try again later",
    };
    format!(
        "{what}: {n} of {of} breach lookups are recorded as errors (never as not found) and the \
         evidence is incomplete. {advice}; with --hibp-cache DIR the ranges already answered are \
         kept for the next run. Or audit with an offline copy of Pwned Passwords, `--hibp PATH`."
    )
}

fn answer_word(a: Answer, lang: Lang) -> &'static str {
    match (a, lang) {
        (Answer::Yes, Lang::Ja) => "はい",
        (Answer::No, Lang::Ja) => "いいえ",
        (Answer::Undetermined, Lang::Ja) => "判定不能",
        (Answer::Yes, Lang::En) => "yes",
        (Answer::No, Lang::En) => "no",
        (Answer::Undetermined, Lang::En) => "undetermined",
    }
}

/// `NO_COLOR` (any non-empty value) turns colors off (https://no-color.org).
fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// An answer word padded to `width` columns, in green / red / yellow when `color`.
fn answer_cell(a: Answer, lang: Lang, width: usize, color: bool) -> String {
    let w = answer_word(a, lang);
    let pad = " ".repeat(width.saturating_sub(display_width(w)));
    if !color {
        return format!("{w}{pad}");
    }
    let c = match a {
        Answer::Yes => "32",
        Answer::No => "31",
        Answer::Undetermined => "33",
    };
    format!("\x1b[1;{c}m{w}\x1b[0m{pad}")
}

/// Terminal columns of a short string (CJK characters take two).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// The short terminal summary.
fn summary(
    ev: &Evidence,
    baseline: Option<&BaselineReport>,
    written: &[std::path::PathBuf],
    lang: Lang,
    color: bool,
) -> String {
    let mut s = String::new();
    let fac = if ev.facility.is_empty() {
        "-"
    } else {
        &ev.facility
    };
    s.push_str(&format!(
        "kensa {} — {} ({})\n",
        ev.tool.version, fac, ev.checked_on
    ));
    for it in &ev.items {
        let target = it
            .target_date
            .as_ref()
            .map(|t| format!("  目標日 {t}"))
            .unwrap_or_default();
        s.push_str(&format!(
            "  {:<16} {}{}  {}\n",
            it.label,
            answer_cell(it.answer, lang, 8, color),
            target,
            it.remarks
        ));
    }
    let count = |st| ev.accounts.iter().filter(|a| a.status == st).count();
    s.push_str(&format!(
        "  accounts: {} fail, {} unverified, {} pass, {} skipped; reuse groups: {}; breach: {} ({} found)\n",
        count(AccountStatus::Fail),
        count(AccountStatus::Unverified),
        count(AccountStatus::Pass),
        count(AccountStatus::Skipped),
        ev.reuse_groups.len(),
        ev.breach_check.status,
        ev.breach_check.found,
    ));
    if let Some(b) = baseline {
        let new = if color && b.counts.new > 0 {
            format!("\x1b[1;31m{} new\x1b[0m", b.counts.new)
        } else {
            format!("{} new", b.counts.new)
        };
        s.push_str(&format!(
            "  baseline {} ({}): {new} ({} new cross-system reuse groups), {} unchanged, {} resolved\n",
            b.path, b.checked_on, b.counts.new_cross_system_reuse, b.counts.unchanged, b.counts.resolved
        ));
    }
    for p in written {
        s.push_str(&format!("  wrote {}\n", p.display()));
    }
    s
}

/// A progress bar on stderr (hidden when stderr is not a terminal, or with --quiet/--no-progress).
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    phase: std::sync::Mutex<String>,
    /// `KENSA_TIMINGS=1`: each phase's start is written to stderr with the seconds since the run
    /// began (for benchmarks; never anything but phase names and times).
    timings: Option<std::time::Instant>,
}

impl Progress {
    pub(crate) fn new(on: bool) -> Self {
        let bar = if on {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Progress {
            bar,
            phase: std::sync::Mutex::new(String::new()),
            timings: std::env::var_os("KENSA_TIMINGS")
                .filter(|v| !v.is_empty())
                .map(|_| std::time::Instant::now()),
        }
    }
    /// A progress bar for byte counts.
    pub(crate) fn bytes(on: bool, msg: &str) -> Self {
        let p = Progress::new(on);
        p.bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:>12} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        p.bar.set_message(msg.to_string());
        p
    }
    pub(crate) fn tick(&self, phase: &str, done: usize, total: usize) {
        self.set(phase, done as u64, total as u64);
    }
    pub(crate) fn set(&self, phase: &str, done: u64, total: u64) {
        let mut p = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        if *p != phase {
            if let Some(t0) = self.timings {
                eprintln!("kensa: {:8.3} s  {phase}", t0.elapsed().as_secs_f64());
            }
            *p = phase.to_string();
            self.bar.reset();
            self.bar.set_message(phase.to_string());
        }
        self.bar.set_length(total);
        self.bar.set_position(done);
    }
    pub(crate) fn clear(&self) {
        if let Some(t0) = self.timings {
            eprintln!("kensa: {:8.3} s  reports", t0.elapsed().as_secs_f64());
        }
        self.bar.finish_and_clear();
    }
}

fn policy_cmd(p: PolicyArgs) -> Result<Outcome, String> {
    let mut fragments = Vec::new();
    let mut problems = 0;
    for arg in &p.files {
        let (forced, path) = input::split_format(arg)?;
        if std::path::Path::new(path).is_dir() {
            fragments.extend(policy_dir(forced, path, &mut problems)?);
            continue;
        }
        let bytes =
            engine::read_regular(std::path::Path::new(path), engine::DEFAULT_MAX_INPUT_SIZE)
                .map_err(|e| format!("{path}: cannot read: {e}"))?;
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let (text, fmt) = input::decode_input(&bytes, forced, &name);
        if !text.is_text() {
            return Err(format!("{path}: {}", text.binary_message()));
        }
        let fmt = fmt.filter(|f| f.is_policy()).ok_or_else(|| {
            format!("{path}: not a policy file (secedit, netaccounts, login.defs, pwquality.conf, pam, faillock.conf, policy)")
        })?;
        let mut parsed = input::parse(fmt, text.text(), path);
        if text.bad_lines.is_empty() && parsed.errors.is_empty() {
            if let Some(why) = input::nothing_read(fmt, &parsed) {
                parsed.errors.push(crate::model::InputError {
                    source: path.to_string(),
                    message: why.into(),
                });
            }
        }
        for e in text.errors(path).iter().chain(&parsed.errors) {
            eprintln!(
                "kensa: {}: {}",
                report::visible(&e.source),
                report::visible(&e.message)
            );
            problems += 1;
        }
        if let Some(mut f) = parsed.policy {
            f.source = path.to_string();
            fragments.push(f);
        }
    }
    let eff = policy::merge(&fragments, p.mfa, p.rotation_days);
    let v = policy::judge(&eff);
    if p.json {
        let j = serde_json::json!({
            "sources": eff.sources,
            "status": v.status,
            "path": v.path,
            "effective": eff.to_evidence(),
            "findings": v.findings,
            "advisories": v.advisories,
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&j).unwrap_or_default()
        ));
    } else {
        let e = eff.to_evidence();
        let mut s = String::new();
        s.push_str(&format!(
            "sources       {}\n",
            report::visible(&eff.sources.join(", "))
        ));
        s.push_str(&format!(
            "min_length    {}\n",
            e.min_length.map_or("-".into(), |m| m.to_string())
        ));
        s.push_str(&format!(
            "require       {}\n",
            if e.require.is_empty() {
                "-".into()
            } else {
                e.require.join(", ")
            }
        ));
        s.push_str(&format!(
            "max_age_days  {}\n",
            match e.max_age_days {
                Some(d) if d > 0 => d.to_string(),
                Some(_) => "never".into(),
                None => "-".into(),
            }
        ));
        s.push_str(&format!("mfa           {}\n", e.mfa));
        s.push_str(&format!(
            "lockout       {}\n",
            report::text::lockout(
                Lang::En,
                e.lockout_threshold,
                e.lockout_duration_minutes,
                e.lockout_reset_minutes,
            )
            .replace('—', "-")
        ));
        s.push_str(&format!(
            "verdict       {}{}\n",
            v.status,
            v.path.map(|p| format!(" ({p})")).unwrap_or_default()
        ));
        for f in v.findings.iter().chain(&v.advisories) {
            s.push_str(&format!(
                "  {:?} {:<28} {}\n",
                f.severity,
                code_name(f.code),
                f.detail
            ));
        }
        out(&s);
    }
    Ok(if problems > 0 {
        Outcome::Incomplete
    } else if v.status == "fail" {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// A `pwquality.conf.d` directory given to `kensa policy`: its drop-ins as one source.
fn policy_dir(
    forced: Option<input::Format>,
    path: &str,
    problems: &mut usize,
) -> Result<Option<crate::model::PolicyFragment>, String> {
    if forced.is_some_and(|f| f != input::Format::Pwquality) {
        return Err(format!(
            "{path}: a directory is read as pwquality.conf drop-ins only"
        ));
    }
    let d = input::dropin::read(std::path::Path::new(path))
        .map_err(|e| format!("{path}: cannot read: {e}"))?;
    let parsed = input::dropin::parse(&d, path);
    for e in &parsed.errors {
        eprintln!(
            "kensa: {}: {}",
            report::visible(&e.source),
            report::visible(&e.message)
        );
        *problems += 1;
    }
    Ok(parsed.policy)
}

fn code_name(c: Code) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn read_password() -> Result<crate::model::Secret, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let p = rpassword::prompt_password("password: ")
            .map_err(|e| format!("cannot read the password: {e}"))?;
        return Ok(crate::model::Secret::new(p));
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::BufRead::read_line(&mut stdin.lock(), &mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let p = line.trim_end_matches(['\n', '\r']);
    Ok(crate::model::Secret::new(p))
}

fn check(c: CheckArgs) -> Result<Outcome, String> {
    let lang = lang_of(&c.lang)?;
    let pw = read_password()?;
    let lists = Wordlists::builtin();
    let words: Vec<String> = c.context.iter().map(|w| w.to_lowercase()).collect();
    let g = GuessContext {
        account: &c.account,
        context_words: &words,
        lists: &lists,
    };
    let a = seven::assess(pw.expose(), &g);
    let ctx = seven::AccountContext {
        mfa: c.mfa,
        max_age_days: c.rotation_days,
        pin_exempt: false,
        default_applies: true,
        age_exceeded: None,
    };
    let mut v = seven::decide(&a, &ctx);
    let mut breach = "unchecked".to_string();
    let mut lookup_failed = false;
    match c.hibp.as_str() {
        "off" => {}
        "online" => {
            let src = OnlineSource::new(OnlineOptions {
                base_url: c.hibp_url.clone(),
                deadline: c.hibp_deadline.0,
                ..Default::default()
            })?;
            let q = Query::Sha1(crate::hash::sha1(pw.expose()));
            match src.lookup(&[q], &|_| {}).pop() {
                Some(Lookup::Found(n)) => {
                    breach = "found".into();
                    v.path = None;
                    v.findings.push(crate::rules::stored::breached(n, None));
                }
                Some(Lookup::NotFound) => breach = "not_found".into(),
                Some(Lookup::Error(e)) => {
                    breach = "error".into();
                    lookup_failed = true;
                    eprintln!("kensa: breach lookup failed: {e}");
                }
                None => {}
            }
        }
        other => return Err(format!("--hibp: `{other}` is not online or off")),
    }
    let pass = v.path.is_some();
    if c.json {
        let j = serde_json::json!({
            "status": if pass { "pass" } else { "fail" },
            "path": v.path,
            "length": a.length,
            "findings": v.findings,
            "breach": breach,
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&j).unwrap_or_default()
        ));
    } else {
        let verdict = match (pass, lang) {
            (true, Lang::Ja) => "合格",
            (false, Lang::Ja) => "不合格",
            (true, Lang::En) => "pass",
            (false, Lang::En) => "fail",
        };
        let mut s = format!(
            "2-⑦: {verdict}{} (length {})\n",
            v.path.map(|p| format!(" via {p}")).unwrap_or_default(),
            a.length
        );
        for f in &v.findings {
            s.push_str(&format!("  {:<18} {}\n", code_name(f.code), f.detail));
        }
        if breach != "unchecked" {
            s.push_str(&format!("  breach: {breach}\n"));
        }
        out(&s);
    }
    Ok(if lookup_failed {
        Outcome::Incomplete
    } else if pass {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_size_limits_read_with_binary_units() {
        assert_eq!(parse_size("8G"), Ok(8 << 30));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("2 TB"), Ok(2 << 40));
        assert_eq!(
            engine::DEFAULT_MAX_INPUT_SIZE,
            parse_size("8G").unwrap(),
            "the flag's default is the engine's"
        );
        for bad in ["", "G", "0", "8X", "-1", "99999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn answers_are_colored_only_when_asked() {
        assert_eq!(
            answer_cell(Answer::Yes, Lang::Ja, 8, true),
            "\x1b[1;32mはい\x1b[0m    "
        );
        assert!(answer_cell(Answer::No, Lang::Ja, 8, true).starts_with("\x1b[1;31mいいえ"));
        assert!(
            answer_cell(Answer::Undetermined, Lang::Ja, 8, true).starts_with("\x1b[1;33m判定不能")
        );
        assert_eq!(answer_cell(Answer::No, Lang::Ja, 8, false), "いいえ  ");
        assert_eq!(answer_cell(Answer::Yes, Lang::En, 8, false), "yes     ");
    }

    #[test]
    fn fail_on_new_without_baseline_acts_as_any() {
        let f = parse_fail_on(&["new-reuse".into(), "new".into()]).unwrap();
        assert!(f.new && f.new_reuse && !f.reuse);
        let any = parse_fail_on(&["any".into()]).unwrap();
        assert!(any.reuse && any.weak && any.breached && any.policy && !any.new);
        assert!(parse_fail_on(&["newish".into()]).is_err());
    }
}
