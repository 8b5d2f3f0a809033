//! `kensa audit`: the options from the arguments, the checks before any work, one
//! [`engine::audit`], the reports written once, the summary, and the exit class.

use super::args::AuditArgs;
use super::progress::Progress;
use super::summary::{color_allowed, gave_up_message, summary, unreachable_message};
use super::{lang_of, out, Outcome};
use crate::breach::online::{CacheOptions, OnlineOptions, OnlineSource};
use crate::breach::{BreachSource, GiveUpReason};
use crate::engine::{self, AuditOptions};
use crate::error::{Error, ExitClass};
use crate::model::evidence::{AccountStatus, Answer, BaselineReport, Evidence};
use crate::model::tags::{DateSource, PolicyStatus};
use crate::model::{Code, Severity};
use crate::report::{self, ReportFormat};
use std::io::IsTerminal;

pub(super) fn run(a: AuditArgs) -> Result<Outcome, Error> {
    let lang = lang_of(&a.lang)?;
    let mut formats = Vec::new();
    for f in &a.format {
        if f.trim().eq_ignore_ascii_case("all") {
            formats.extend(ReportFormat::ALL);
            continue;
        }
        formats.push(ReportFormat::from_name(f).ok_or_else(|| {
            Error::usage(format!(
                "--format: `{f}` is not one of json, md, html, csv, xlsx, all"
            ))
        })?);
    }
    let fail_on = parse_fail_on(&a.fail_on)?;
    a.source.init_threads()?;
    let opts = AuditOptions {
        check_date: a.check_date.clone(),
        target_date: a.target_date.clone(),
        strict_reuse: a.strict_reuse,
        lang,
        edition: crate::rules::edition::Edition::choose(
            a.edition.edition.as_deref(),
            a.edition.rules.as_deref(),
        )?,
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
    if let Some(name) = &a.vendor {
        check_vendor(&opts, name)?;
    }
    let baseline = match &a.baseline {
        Some(p) => Some(crate::baseline::load(p)?),
        None => None,
    };
    let breach = breach_source(&a)?;
    let show_progress = !a.quiet && !a.no_progress && std::io::stderr().is_terminal();
    let progress = Progress::new(show_progress).lang(lang);
    let started = std::time::Instant::now();
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut ev = engine::audit(&opts, breach.as_deref(), &|p, d, t| progress.tick(p, d, t))?;
    progress.clear();
    // A fixed 確認日 is measured against the day of the run; only the run object may say so.
    let days_before_run = ev
        .checked_on_source
        .filter(|s| *s != DateSource::Today)
        .and_then(|_| crate::manifest::days_before(&ev.checked_on, &opts.today));
    ev.run = Some(crate::model::evidence::Run {
        started_at,
        duration_ms: started.elapsed().as_millis() as u64,
        breach_requests: breach.as_ref().map_or(0, |b| b.requests()),
        breach_cache_hits: breach.as_ref().map_or(0, |b| b.cache_hits()),
        checked_on_days_before_run: days_before_run,
        reports: Vec::new(),
    });
    if !a.quiet {
        if let Some(w) = stale_checked_on_warning(&ev, days_before_run) {
            eprintln!("kensa: warning: {w}");
        }
    }
    if let (Some(old), Some(p)) = (&baseline, &a.baseline) {
        let now = crate::baseline::Snapshot::of(&ev);
        ev.baseline = Some(crate::baseline::compare(
            old,
            &p.display().to_string(),
            &now,
        ));
    }
    if !a.quiet {
        if let Some(w) = unnamed_vendor_warning(&ev) {
            eprintln!("kensa: warning: {w}");
        }
    }
    // Cut and masked once, after everything is judged and compared: every report is written
    // from this one evidence.
    if let Some(name) = &a.vendor {
        ev = engine::share::for_vendor(&ev, name).map_err(|e| unknown_vendor(name, &e))?;
    }
    if a.mask_accounts {
        engine::share::mask_accounts(&mut ev);
    }
    let written = report::write_reports(&mut ev, &a.out, &formats, lang).map_err(|e| {
        Error::new(
            ExitClass::Output,
            format!("{}: cannot write the evidence: {e}", a.out.display()),
        )
    })?;
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

/// The warning for a 確認日 the manifest fixes more than [`crate::manifest::STALE_CHECKED_ON_DAYS`]
/// days before the run (`--check-date` is the user's choice for this run: no warning).
fn stale_checked_on_warning(ev: &Evidence, days_before_run: Option<i64>) -> Option<String> {
    let days = days_before_run.filter(|d| *d > crate::manifest::STALE_CHECKED_ON_DAYS)?;
    if ev.checked_on_source != Some(DateSource::Manifest) {
        return None;
    }
    let manifest = ev
        .manifest
        .as_ref()
        .map_or("the manifest".to_string(), |m| {
            report::visible(&m.path).to_string()
        });
    Some(format!(
        "{manifest}: checked_on = {} is {days} days before today; every report of this run \
         carries it as the 確認日. Update checked_on, remove it (the day of the run is \
         then used), or give --check-date.",
        ev.checked_on
    ))
}

/// Vendor-managed systems whose vendor the manifest does not name: their 事業者確認用 has no
/// 事業者名 and no bundle can be made for them.
fn unnamed_vendor_warning(ev: &Evidence) -> Option<String> {
    let unnamed = ev.vendor_checklists.iter().find(|c| c.vendor.is_none())?;
    Some(format!(
        "{}: managed_by = \"vendor\" without a vendor name; their 事業者確認用 is headed 「{}」. \
         Add vendor = \"…\" to each [[system]].",
        unnamed.systems.join(", "),
        crate::words::share_labels(crate::words::Lang::Ja).vendor_not_named
    ))
}

/// Before any work: `--vendor NAME` names a vendor of the manifest (an audit of an hour should
/// not end in a typo). A manifest that cannot be read is left to the audit to report.
fn check_vendor(opts: &AuditOptions, name: &str) -> Result<(), Error> {
    let known: Vec<String> = match &opts.manifest {
        Some(p) => match crate::manifest::Manifest::load(p) {
            Ok(m) => {
                let mut v: Vec<String> = m
                    .systems
                    .iter()
                    .filter(|s| s.managed_by == crate::model::ManagedBy::Vendor)
                    .filter_map(|s| s.vendor.clone())
                    .filter(|v| !v.trim().is_empty())
                    .collect();
                v.sort();
                v.dedup();
                v
            }
            Err(_) => return Ok(()),
        },
        None => Vec::new(),
    };
    if known.iter().any(|k| k == name) {
        Ok(())
    } else {
        Err(unknown_vendor(
            name,
            &engine::share::UnknownVendor { known },
        ))
    }
}

/// `--vendor NAME` names no vendor of the audit: a usage error listing those there are.
fn unknown_vendor(name: &str, e: &engine::share::UnknownVendor) -> Error {
    if e.known.is_empty() {
        Error::usage(format!(
            "--vendor: `{name}` is not a vendor of this audit: no system names a vendor \
             (managed_by = \"vendor\" with vendor = \"…\")"
        ))
    } else {
        Error::usage(format!(
            "--vendor: `{name}` is not a vendor of this audit; the vendors are: {}",
            e.known.join(", ")
        ))
    }
}

/// Before any work: every input, pot file, wordlist and offline corpus (`corpora`) can be opened.
/// Each one that cannot is printed with its path; the error ends the command (exit 2).
pub(super) fn check_paths(
    opts: &AuditOptions,
    corpora: &[std::path::PathBuf],
) -> Result<(), Error> {
    let mut problems = engine::unreadable_inputs(opts)?;
    problems.extend(corpora.iter().filter_map(|p| {
        // An offline corpus is read piece by piece (mapped or streamed): no size limit.
        engine::cannot_open(p, true, None).map(|why| format!("{}: cannot read: {why}", p.display()))
    }));
    for p in &problems {
        eprintln!("kensa: {p}");
    }
    match problems.len() {
        0 => Ok(()),
        1 => Err(Error::new(
            ExitClass::Input,
            "an input cannot be read (nothing was read or written)",
        )),
        n => Err(Error::new(
            ExitClass::Input,
            format!("{n} inputs cannot be read (nothing was read or written)"),
        )),
    }
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
    /// An item answered 判定不能 (undetermined). Not part of `any`: `any` keeps the meaning it
    /// has always had for scheduled jobs (a failing finding), and an undetermined answer is not a
    /// finding but a gap in what could be verified; a job that must not pass on it asks for it.
    undetermined: bool,
}

fn parse_fail_on(list: &[String]) -> Result<FailOn, Error> {
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
            "undetermined" => f.undetermined = true,
            "none" => {}
            other => {
                return Err(Error::usage(format!(
                    "--fail-on: `{other}` is not one of any, reuse, weak, breached, policy, undetermined, new, new-reuse, none"
                )))
            }
        }
    }
    Ok(f)
}

/// Is a finding selected by `--fail-on` present in the evidence (and new relative to the baseline
/// for `new` / `new-reuse`; without a baseline these act as `any` / `reuse`)?
fn selected(ev: &Evidence, f: FailOn, baseline: Option<&BaselineReport>) -> bool {
    // The split checklists count too: a 判定不能 on the vendors' form is one a facility must
    // answer for even when its overall answer is いいえ.
    let undetermined = ev
        .items
        .iter()
        .chain(ev.checklists.iter().flat_map(|c| &c.items))
        .any(|i| i.answer == Answer::Undetermined);
    if f.undetermined && undetermined {
        return true;
    }
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
    let reuse = ev.reuse_groups.iter().any(|g| g.severity == Severity::Fail)
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
    let policy = ev.policies.iter().any(|p| p.status == PolicyStatus::Fail);
    (f.reuse && reuse) || (f.weak && weak) || (f.breached && breached) || (f.policy && policy)
}

fn breach_source(a: &AuditArgs) -> Result<Option<Box<dyn BreachSource>>, Error> {
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
            return Err(Error::usage(
                "--hibp off cannot be combined with other --hibp values",
            ));
        }
        return Ok(None);
    }
    if !paths.is_empty() {
        if online {
            return Err(Error::usage(
                "--hibp online and an offline corpus cannot be combined: choose one",
            ));
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

/// Before any work: `--out` is a directory kensa can write the evidence into (or one it can
/// create), and no file of the set is in the way — so an audit that may recover passwords for an
/// hour does not end in "cannot write".
fn check_out_dir(out: &std::path::Path) -> Result<(), Error> {
    let fail = |why: &str| {
        Err(Error::new(
            ExitClass::Output,
            format!("{}: {why} (nothing was read or written)", out.display()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_new_without_baseline_acts_as_any() {
        let f = parse_fail_on(&["new-reuse".into(), "new".into()]).unwrap();
        assert!(f.new && f.new_reuse && !f.reuse);
        let any = parse_fail_on(&["any".into()]).unwrap();
        assert!(any.reuse && any.weak && any.breached && any.policy && !any.new);
        assert!(parse_fail_on(&["newish".into()]).is_err());
    }

    #[test]
    fn fail_on_undetermined_is_its_own_choice() {
        let any = parse_fail_on(&["any".into()]).unwrap();
        assert!(!any.undetermined, "`any` keeps its meaning");
        let f = parse_fail_on(&["reuse".into(), " Undetermined".into()]).unwrap();
        assert!(f.reuse && f.undetermined && !f.weak);

        let mut ev = crate::report::fixture::sample(true);
        ev.reuse_groups.clear();
        ev.accounts.clear();
        ev.policies.clear();
        let only = FailOn {
            undetermined: true,
            ..FailOn::default()
        };
        for it in &mut ev.items {
            it.answer = Answer::Yes;
        }
        for c in &mut ev.checklists {
            for it in &mut c.items {
                it.answer = Answer::Yes;
            }
        }
        assert!(!selected(&ev, only, None));
        // On the vendors' checklist only: still selected.
        ev.checklists[0].items[0].answer = Answer::Undetermined;
        assert!(selected(&ev, only, None));
        assert!(!selected(&ev, any, None), "`any` does not fail on it");
        ev.checklists[0].items[0].answer = Answer::Yes;
        ev.items[0].answer = Answer::Undetermined;
        assert!(selected(&ev, only, None));
        assert!(!selected(&ev, any, None));
    }
}
