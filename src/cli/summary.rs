//! The words `kensa` prints on the terminal (the summary after an audit, the breach messages,
//! the text of `kensa policy` and `kensa check`), kept in one place.

use crate::breach::{BreachSource, GiveUpReason};
use crate::model::evidence::{AccountStatus, Answer, BaselineReport, BreachCheckStatus, Evidence};
use crate::model::Code;
use crate::report::{self, Lang};
use crate::rules::{policy, seven};

/// The short terminal summary.
pub(super) fn summary(
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
    // A provisional edition, or a user's rules file, is named before any answer given by it.
    if let Some(r) = ev
        .edition_rules
        .as_ref()
        .filter(|r| r.provisional || r.file.is_some())
    {
        s.push_str(&format!(
            "  {}\n",
            crate::words::edition(lang, &ev.edition, Some(r))
        ));
    }
    for it in &ev.items {
        let target = it
            .target_date
            .as_ref()
            .map(|t| crate::words::terminal_target_date(lang, t))
            .unwrap_or_default();
        s.push_str(&format!(
            "  {:<16} {}{}  {}\n",
            it.label,
            answer_cell(it.answer, lang, 8, color),
            target,
            it.remarks
        ));
    }
    // Each vendor's own 事業者確認用, so a vendor sees its answers without opening a report.
    for ck in &ev.vendor_checklists {
        let vendor = crate::words::vendor_shown(lang, ck.vendor.as_deref());
        s.push_str(&format!(
            "  {}\n",
            crate::words::terminal_vendor(lang, &vendor)
        ));
        for it in &ck.items {
            s.push_str(&format!(
                "    {:<14} {}  {}\n",
                it.label,
                answer_cell(it.answer, lang, 8, color),
                it.remarks
            ));
        }
    }
    for (key, value) in crate::words::share_fields(ev, lang) {
        s.push_str(&format!("  {key}: {value}\n"));
    }
    let count = |st| ev.accounts.iter().filter(|a| a.status == st).count();
    // A breach check not performed found nothing: say so, not "skipped (0 found)".
    let breach = match ev.breach_check.status {
        BreachCheckStatus::Skipped => crate::words::terminal_breach(lang, None),
        st => crate::words::terminal_breach(
            lang,
            Some((terminal_breach_status(lang, st), ev.breach_check.found)),
        ),
    };
    s.push_str(&format!(
        "  {}\n",
        crate::words::terminal_accounts(
            lang,
            [
                count(AccountStatus::Fail),
                count(AccountStatus::Unverified),
                count(AccountStatus::Pass),
                count(AccountStatus::Skipped),
            ],
            ev.reuse_groups.len(),
            &breach,
        )
    ));
    // The same status lines as the reports' header: never 完了 for a part not performed.
    for (key, value) in crate::words::date_source_line(ev, lang).into_iter().chain(
        crate::words::status_lines(ev, lang)
            .into_iter()
            .map(|l| (l.key, l.value)),
    ) {
        s.push_str(&format!("  {key}: {value}\n"));
    }
    if let Some(b) = baseline {
        let new = if color && b.counts.new > 0 {
            format!("\x1b[1;31m{}\x1b[0m", b.counts.new)
        } else {
            b.counts.new.to_string()
        };
        s.push_str(&format!(
            "  {}\n",
            crate::words::terminal_baseline(
                lang,
                &b.path,
                &b.checked_on,
                &new,
                [
                    b.counts.new_cross_system_reuse,
                    b.counts.unchanged,
                    b.counts.resolved
                ],
            )
        ));
    }
    for p in written {
        s.push_str(&format!(
            "  {} {}\n",
            crate::words::terminal_wrote(lang),
            p.display()
        ));
    }
    s
}

/// The one message for a breach API that never answered (no route, DNS failure, connection
/// refused): how many lookups failed, that they are errors (never "not found"), and the two ways
/// to audit on a closed network.
pub(super) fn unreachable_message(b: &dyn BreachSource, why: &str, ev: &Evidence) -> String {
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
pub(super) fn gave_up_message(
    b: &dyn BreachSource,
    g: &crate::breach::GaveUp,
    deadline: super::args::Deadline,
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

/// The breach check's status word of the summary (`complete`, `incomplete`; English as the
/// summary always printed it).
fn terminal_breach_status(lang: Lang, st: BreachCheckStatus) -> &'static str {
    match lang {
        Lang::En => st.as_str(),
        Lang::Ja => crate::words::breach_check_status(lang, st),
    }
}

/// `kensa policy`'s text: the effective policy and its verdict, in `lang`.
pub(super) fn policy_report(
    eff: &policy::Effective,
    v: &policy::PolicyVerdict,
    lang: Lang,
) -> String {
    let w = crate::words::policy_words(lang);
    let e = eff.to_evidence();
    // Keys padded to one column (CJK characters take two).
    let keys = [
        w.sources,
        w.min_length,
        w.require,
        w.max_age,
        w.mfa,
        w.lockout,
        w.verdict,
    ];
    let width = keys.iter().map(|k| display_width(k)).max().unwrap_or(0) + 2;
    let line = |key: &str, value: &str| {
        format!(
            "{key}{}{value}\n",
            " ".repeat(width.saturating_sub(display_width(key)))
        )
    };
    let mut s = String::new();
    s.push_str(&line(w.sources, &report::visible(&eff.sources.join(", "))));
    s.push_str(&line(
        w.min_length,
        &e.min_length.map_or("-".into(), |m| m.to_string()),
    ));
    let require = match lang {
        Lang::En if e.require.is_empty() => "-".into(),
        Lang::En => e.require.join(", "),
        Lang::Ja if e.require.is_empty() => "-".into(),
        Lang::Ja => crate::words::required_classes(lang, &e.require),
    };
    s.push_str(&line(w.require, &require));
    s.push_str(&line(
        w.max_age,
        &match e.max_age_days {
            Some(d) if d > 0 => d.to_string(),
            Some(_) => w.never.into(),
            None => "-".into(),
        },
    ));
    s.push_str(&line(w.mfa, if e.mfa { w.yes } else { w.no }));
    s.push_str(&line(
        w.lockout,
        &crate::words::lockout(
            lang,
            e.lockout_threshold,
            e.lockout_duration_minutes,
            e.lockout_reset_minutes,
        )
        .replace('—', "-"),
    ));
    let verdict = match lang {
        Lang::En => format!(
            "{}{}",
            v.status.as_str(),
            v.path
                .map(|p| format!(" ({})", p.as_str()))
                .unwrap_or_default()
        ),
        Lang::Ja => format!(
            "{}{}",
            crate::words::verdict(lang, v.status),
            v.path
                .map(|p| format!("（{}）", crate::words::pass_path(lang, p)))
                .unwrap_or_default()
        ),
    };
    s.push_str(&line(w.verdict, &verdict));
    for f in v.findings.iter().chain(&v.advisories) {
        match lang {
            Lang::En => s.push_str(&format!(
                "  {:?} {:<28} {}\n",
                f.severity,
                code_name(f.code),
                f.detail
            )),
            Lang::Ja => s.push_str(&format!(
                "  {}{} {:<28} {}：{}\n",
                crate::words::severity(lang, f.severity),
                " ".repeat(
                    6usize.saturating_sub(display_width(crate::words::severity(lang, f.severity)))
                ),
                code_name(f.code),
                crate::words::code(lang, f.code),
                crate::words::detail(lang, f)
            )),
        }
    }
    s
}

/// `kensa check`'s text: the 2-⑦ verdict of one password, its findings and the breach answer.
pub(super) fn check_report(
    pass: bool,
    lang: Lang,
    v: &seven::Verdict,
    length: usize,
    breach: &str,
) -> String {
    let verdict = crate::words::terminal_check_verdict(lang, pass);
    let path = v.path.map(|p| match lang {
        Lang::En => p.as_str(),
        Lang::Ja => crate::words::pass_path(lang, p),
    });
    let mut s = crate::words::terminal_check_line(lang, verdict, path, length);
    s.push('\n');
    for f in &v.findings {
        match lang {
            Lang::En => s.push_str(&format!("  {:<18} {}\n", code_name(f.code), f.detail)),
            Lang::Ja => s.push_str(&format!(
                "  {:<18} {}\n",
                code_name(f.code),
                crate::words::finding_text(lang, f)
            )),
        }
    }
    if breach != "unchecked" {
        s.push_str(&format!(
            "  {}\n",
            crate::words::terminal_check_breach(lang, breach)
        ));
    }
    s
}

pub(super) fn code_name(c: Code) -> &'static str {
    c.as_str()
}

/// `NO_COLOR` (any non-empty value) turns colors off (https://no-color.org).
pub(super) fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// An answer word padded to `width` columns, in green / red / yellow when `color`.
fn answer_cell(a: Answer, lang: Lang, width: usize, color: bool) -> String {
    let w = crate::words::terminal_answer(lang, a);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
