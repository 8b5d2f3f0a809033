//! The command-line layer: validated options from arguments, runs the library, prints a short
//! summary, and maps the outcome to the exit codes of contract §5.

pub mod args;

use crate::breach::online::{OnlineOptions, OnlineSource};
use crate::breach::{BreachSource, Lookup, Query};
use crate::engine::{self, AuditError, AuditOptions};
use crate::input::{self, Format};
use crate::model::evidence::{AccountStatus, Answer, Evidence};
use crate::model::{Code, Severity};
use crate::recover::wordlists::Wordlists;
use crate::report::{self, Lang, ReportFormat};
use crate::rules::answer::RemarkLang;
use crate::rules::guess::GuessContext;
use crate::rules::{policy, seven};
use args::{AuditArgs, CheckArgs, Cli, Command, PolicyArgs};
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
        Command::Audit(a) => audit(a),
        Command::Policy(p) => policy_cmd(p),
        Command::Check(c) => check(c),
    };
    match r {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("kensa: error: {msg}");
            Outcome::Incomplete
        }
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
                }
            }
            "reuse" => f.reuse = true,
            "weak" => f.weak = true,
            "breached" => f.breached = true,
            "policy" => f.policy = true,
            "none" => {}
            other => {
                return Err(format!(
                    "--fail-on: `{other}` is not one of any, reuse, weak, breached, policy, none"
                ))
            }
        }
    }
    Ok(f)
}

/// Is a finding selected by `--fail-on` present in the evidence?
fn selected(ev: &Evidence, f: FailOn) -> bool {
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

fn breach_source(
    modes: &[String],
    url: &str,
    retries: u32,
) -> Result<Option<Box<dyn BreachSource>>, String> {
    let mut online = false;
    let mut off = false;
    let mut paths = Vec::new();
    for m in modes {
        match m.as_str() {
            "online" => online = true,
            "off" => off = true,
            p => paths.push(p.to_string()),
        }
    }
    if off {
        if online && modes.len() > 1 || !paths.is_empty() {
            return Err("--hibp off cannot be combined with other --hibp values".into());
        }
        return Ok(None);
    }
    if !paths.is_empty() {
        return Err(format!(
            "--hibp {}: offline breach corpora are not supported by this version yet; use --hibp online or --hibp off",
            paths[0]
        ));
    }
    let src = OnlineSource::new(OnlineOptions {
        base_url: url.to_string(),
        retries,
        ..Default::default()
    })?;
    Ok(Some(Box::new(src)))
}

fn audit(a: AuditArgs) -> Result<Outcome, String> {
    let lang = lang_of(&a.lang)?;
    let mut formats = Vec::new();
    for f in &a.format {
        formats.push(
            ReportFormat::from_name(f)
                .ok_or_else(|| format!("--format: `{f}` is not one of json, md, html, csv"))?,
        );
    }
    let fail_on = parse_fail_on(&a.fail_on)?;
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| format!("--threads: {e}"))?;
    }
    let breach = breach_source(&a.hibp, &a.hibp_url, a.hibp_retries)?;
    let opts = AuditOptions {
        manifest: a.manifest.clone(),
        files: a.files.clone(),
        wordlists: a.wordlist.clone(),
        default_wordlists: !a.no_default_wordlists,
        potfiles: a.potfile.clone(),
        check_date: a.check_date.clone(),
        target_date: a.target_date.clone(),
        strict_reuse: a.strict_reuse,
        salted_budget: a.salted_budget,
        lang: if lang == Lang::En {
            RemarkLang::En
        } else {
            RemarkLang::Ja
        },
        today: chrono::Local::now().date_naive().to_string(),
    };
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
    });
    let written = report::write_reports(&ev, &a.out, &formats, lang)
        .map_err(|e| format!("{}: cannot write the evidence: {e}", a.out.display()))?;
    if !a.quiet {
        out(&summary(&ev, &written, lang));
    }
    for e in &ev.input_errors {
        if !a.quiet {
            eprintln!("kensa: {}: {}", e.source, e.message);
        }
    }
    Ok(if !ev.complete {
        if !a.quiet {
            eprintln!(
                "kensa: the evidence is incomplete ({} problems; see input_errors)",
                ev.input_errors.len()
            );
        }
        Outcome::Incomplete
    } else if selected(&ev, fail_on) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
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

/// The short terminal summary.
fn summary(ev: &Evidence, written: &[std::path::PathBuf], lang: Lang) -> String {
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
            "  {:<16} {:<6}{}  {}\n",
            it.label,
            answer_word(it.answer, lang),
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
    for p in written {
        s.push_str(&format!("  wrote {}\n", p.display()));
    }
    s
}

/// A throttled one-line progress display on stderr.
struct Progress {
    on: bool,
    last: std::sync::Mutex<(std::time::Instant, String)>,
}

impl Progress {
    fn new(on: bool) -> Self {
        Progress {
            on,
            last: std::sync::Mutex::new((std::time::Instant::now(), String::new())),
        }
    }
    fn tick(&self, phase: &str, done: usize, total: usize) {
        if !self.on {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let now = std::time::Instant::now();
        if last.1 == phase && now.duration_since(last.0).as_millis() < 100 && done < total {
            return;
        }
        *last = (now, phase.to_string());
        eprint!("\r\x1b[2K{phase}: {done}/{total}");
    }
    fn clear(&self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

fn policy_cmd(p: PolicyArgs) -> Result<Outcome, String> {
    let mut fragments = Vec::new();
    let mut problems = 0;
    for arg in &p.files {
        let (forced, path) = match arg.split_once(':') {
            Some((f, rest)) if !std::path::Path::new(arg).exists() => (
                Some(Format::from_name(f).ok_or_else(|| format!("`{f}` is not a known format"))?),
                rest,
            ),
            _ => (None, arg.as_str()),
        };
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
        let text = input::decode(&bytes).map_err(|e| format!("{path}: {e}"))?;
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let fmt = forced
            .or_else(|| input::detect(&text, &name))
            .filter(|f| f.is_policy())
            .ok_or_else(|| {
                format!("{path}: not a policy file (secedit, login.defs, pwquality.conf, policy)")
            })?;
        let parsed = input::parse(fmt, &text, path);
        for e in &parsed.errors {
            eprintln!("kensa: {}: {}", e.source, e.message);
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
        s.push_str(&format!("sources       {}\n", eff.sources.join(", ")));
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
    };
    let mut v = seven::decide(&a, &ctx);
    let mut breach = "unchecked".to_string();
    let mut lookup_failed = false;
    match c.hibp.as_str() {
        "off" => {}
        "online" => {
            let src = OnlineSource::new(OnlineOptions {
                base_url: c.hibp_url.clone(),
                ..Default::default()
            })?;
            let q = Query::Sha1(crate::hash::sha1(pw.expose()));
            match src.lookup(&[q], &|_| {}).pop() {
                Some(Lookup::Found(n)) => {
                    breach = "found".into();
                    v.path = None;
                    v.findings.push(crate::model::Finding::fail(
                        Code::Breached,
                        format!("in the Pwned Passwords corpus ({n} times)"),
                    ));
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
