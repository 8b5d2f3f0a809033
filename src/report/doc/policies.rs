//! The password policies (one row per system's effective policy) and the NIST advisories.

use super::table::{both, sheet};
use super::{
    baseline, codes, findings, yes_no, Block, Cell, Lang, Medium, Style, Table, TABLE_ROWS,
};
use crate::baseline::{State, States};
use crate::model::evidence::{Evidence, PolicyEvidence};
use crate::model::tags::PolicyStatus;
use crate::model::Code;
use crate::words::{self, Labels};
use std::collections::BTreeMap;

/// One row per system's effective policy: its verdict, how it passed, its settings and findings.
pub(crate) fn policies_table(ev: &Evidence, lang: Lang, medium: Medium) -> Table<'_> {
    let t = words::labels(lang);
    let states = baseline::states(ev);
    let with_state = states.is_some();
    let rows = ev.policies.iter().map(move |p| {
        let e = &p.effective;
        let max_age = match e.max_age_days {
            None => Cell::text(t.dash),
            Some(d) if d <= 0 => Cell::text(t.never_expires),
            Some(d) => Cell::number(d),
        };
        let mut row = vec![
            Cell::text(&*p.system),
            Cell::lines(p.sources.iter().map(String::as_str)),
            Cell::text(words::verdict(lang, p.status)).style(policy_style(p.status)),
            Cell::text(
                p.path
                    .map(|x| words::pass_path_in(lang, x, ev.edition_rules.as_ref()))
                    .unwrap_or_default(),
            ),
            opt_number(t, e.min_length),
            Cell::text(words::required_classes(lang, &e.require)),
            max_age,
            Cell::text(yes_no(t, e.mfa)),
            opt_number(t, e.max_length),
            Cell::text(words::lockout(
                lang,
                e.lockout_threshold,
                e.lockout_duration_minutes,
                e.lockout_reset_minutes,
            )),
            Cell::text(codes(&p.findings)),
            Cell::lines(findings(lang, t, &p.findings)),
        ];
        if let Some(s) = &states {
            row.push(policy_state(s, p, lang));
        }
        row
    });
    let mut cols = vec![
        both(t.col_system),
        both(t.col_sources),
        both(t.col_status),
        both(t.col_path),
        both(t.col_min_length),
        both(t.col_require),
        both(t.col_max_age),
        both(t.col_mfa),
        both(t.col_max_length),
        both(t.col_lockout),
        sheet(words::workbook_labels(lang).col_codes),
        both(t.col_findings),
    ];
    if with_state {
        cols.push(both(words::baseline_labels(lang).col_state));
    }
    Table::select(medium, &cols, rows)
}

/// How a policy's findings stand against `--baseline`, as for an account's.
fn policy_state<'a>(s: &States, p: &PolicyEvidence, lang: Lang) -> Cell<'a> {
    let each: Vec<(State, Code)> = p
        .findings
        .iter()
        .map(|f| (s.policy(&p.system, f.code.as_str()), f.code))
        .collect();
    baseline::state_of_findings(&each, lang)
}

pub(super) fn policies<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
    out.push(Block::Heading(t.h_policies.to_string()));
    if ev.policies.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Table(policies_table(ev, lang, Medium::Report)));
}

pub(super) fn advisories<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
    out.push(Block::Heading(t.h_advisories.to_string()));
    if ev.advisories.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Para(t.advisories_note.to_string()));
    let per_account = ev.advisories.iter().filter(|a| a.account.is_some()).count();
    if ev.advisories.len() > TABLE_ROWS && per_account > 0 {
        advisory_counts(ev, lang, t, per_account, out);
        return;
    }
    let rows = ev.advisories.iter().map(move |a| {
        vec![
            Cell::text(&*a.system),
            Cell::text(a.account.as_deref().unwrap_or_default()),
            Cell::text(words::code(lang, a.finding.code)),
            Cell::text(words::detail(lang, &a.finding)),
        ]
    });
    out.push(Block::Table(Table::new(
        &[t.col_system, t.col_account, t.col_finding, t.col_detail],
        rows,
    )));
}

/// A long list of advisories as a human report prints it: the system-wide ones listed, the
/// per-account ones counted per system and code (a domain gets one NIST line per short password);
/// every one of them stays in evidence.json.
fn advisory_counts<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    per_account: usize,
    out: &mut Vec<Block<'a>>,
) {
    let system_wide = ev.advisories.iter().filter(|a| a.account.is_none());
    let rows = system_wide.map(move |a| {
        vec![
            Cell::text(&*a.system),
            Cell::text(words::code(lang, a.finding.code)),
            Cell::text(words::detail(lang, &a.finding)),
        ]
    });
    out.push(Block::Table(Table::new(
        &[t.col_system, t.col_finding, t.col_detail],
        rows,
    )));
    let mut counts: BTreeMap<(&str, Code), usize> = BTreeMap::new();
    for a in ev.advisories.iter().filter(|a| a.account.is_some()) {
        *counts.entry((&*a.system, a.finding.code)).or_default() += 1;
    }
    let rows = counts.into_iter().map(move |((system, code), n)| {
        vec![
            Cell::text(system),
            Cell::text(words::code(lang, code)),
            Cell::number(n),
        ]
    });
    out.push(Block::Table(Table::new(
        &[t.col_system, t.col_finding, t.col_accounts],
        rows,
    )));
    out.push(Block::Para(words::advisories_listed_elsewhere(
        lang,
        per_account,
    )));
}

pub(super) fn policy_style(v: PolicyStatus) -> Style {
    match v {
        PolicyStatus::Pass => Style::Yes,
        PolicyStatus::Fail => Style::No,
        PolicyStatus::Unknown | PolicyStatus::None => Style::Undetermined,
    }
}

/// A number, or a dash when there is none.
fn opt_number<'a>(t: &Labels, v: Option<u32>) -> Cell<'a> {
    v.map_or_else(|| Cell::text(t.dash), Cell::number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evidence::Advisory;
    use crate::model::Finding;
    use crate::report::fixture;

    /// The tables of the advisories section, each as rows of cell texts.
    fn tables(ev: &Evidence) -> Vec<Vec<Vec<String>>> {
        let mut out = Vec::new();
        advisories(ev, Lang::Ja, words::labels(Lang::Ja), &mut out);
        out.into_iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(
                    t.rows
                        .map(|r| r.iter().map(|c| c.lines.join("/")).collect())
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn many_per_account_advisories_become_counts_per_system_and_code() {
        let mut ev = fixture::sample(true);
        ev.advisories = vec![Advisory {
            system: "ad01".into(),
            account: None,
            finding: Finding::info(Code::NistCompositionDiscouraged, "composition"),
        }];
        for i in 0..TABLE_ROWS + 5 {
            ev.advisories.push(Advisory {
                system: if i % 5 == 0 { "pc-01" } else { "ad01" }.into(),
                account: Some(format!("u{i}")),
                finding: Finding::info(Code::NistSingleFactorLt15, "short"),
            });
        }
        let t = tables(&ev);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0].len(), 1, "the system-wide advisory is listed: {t:?}");
        let counts: Vec<(&str, &str)> = t[1]
            .iter()
            .map(|r| (r[0].as_str(), r[2].as_str()))
            .collect();
        assert_eq!(counts, [("ad01", "20"), ("pc-01", "5")]);
        // A short list stays one row per advisory, accounts named.
        ev.advisories.truncate(4);
        let t = tables(&ev);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].len(), 4);
        assert_eq!(t[0][1][1], "u0");
    }
}
