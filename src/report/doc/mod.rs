//! The content of the reports, built once: plain blocks rendered as Markdown or HTML, and the
//! tables whose rows the workbook (xlsx) and the CSV write too. One file per table.
//!
//! Text here is unescaped: every renderer escapes every string it prints (account names, file
//! names and details are untrusted input).
//!
//! The rows of a table are made as the renderer reads them: a table of a million accounts is
//! written one row at a time, never held whole.

mod accounts;
mod answers;
mod baseline;
mod policies;
mod reuse;
mod run;
mod stats;
mod systems;
mod table;
mod worklist;

pub(crate) use accounts::{
    accounts_sheet_table, failure_reasons, finding_table, recovered_lengths, FINDING_COLUMNS,
};
pub(crate) use answers::{answer_views, answers_table, checklist_views, AnswerView, ChecklistView};
pub(crate) use baseline::resolved_table;
#[cfg(test)]
pub(crate) use baseline::tests as baseline_tests;
pub(crate) use policies::policies_table;
pub(crate) use reuse::reuse_table;
pub(crate) use run::{breach_fields, input_errors_table, inputs_table};
pub(crate) use stats::stats_view;
pub(crate) use systems::system_verdicts;
pub(crate) use table::{Cell, Kind, Medium, Style, Table};
pub(crate) use worklist::{csv_records, worklist_table, CSV_COLUMNS};

use super::Lang;
use crate::model::evidence::Evidence;
use crate::model::{Finding, Severity};
use crate::words::{self, Labels};
use accounts::{failing, passing, skipped, unverified};
use answers::{answers, checklists};
use policies::{advisories, policies};
use reuse::reuse;
use run::{breach_check, input_errors, inputs, recovery};
use std::borrow::Cow;
use systems::{systems, vendors};

/// One block of a report, in reading order.
pub(crate) enum Block<'a> {
    /// The document title (h1).
    Title(String),
    /// A section heading (h2).
    Heading(String),
    /// A sub-section heading (h3).
    Subheading(String),
    Para(String),
    /// A prominent warning (incomplete evidence).
    Warning(String),
    /// `label: value` lines.
    Fields(Vec<(String, String)>),
    Table(Table<'a>),
    /// A table folded under a caption on screen (HTML `<details>`), printed open; Markdown shows
    /// the caption above the table.
    Details(String, Table<'a>),
}

/// How many rows a table of the human reports (md, html) shows: past this, a table of accounts
/// becomes counts per system (and the failing accounts' first rows), and any other table stops
/// with a line saying how many rows are left out. The workbook, the CSV and the JSON keep all.
pub(crate) const TABLE_ROWS: usize = 20;

/// How many failing accounts a long failing table still lists, by system and account.
pub(crate) const FIRST_ROWS: usize = 10;

/// How many lines a cell of the human reports shows (a reuse group's members, its links): the
/// last shown line says how many more there are.
pub(crate) const CELL_LINES: usize = 6;

/// The lines a report cell shows: all of `lines`, or when they are more than [`CELL_LINES`],
/// the first ones and a last line saying how many more there are.
pub(crate) fn shown_lines<'c>(lang: Lang, lines: &'c [Cow<'_, str>]) -> Vec<Cow<'c, str>> {
    if lines.len() <= CELL_LINES {
        return lines.iter().map(|l| Cow::Borrowed(&**l)).collect();
    }
    let keep = CELL_LINES - 1;
    let more = words::lines_left_out(lang, lines.len() - keep);
    let first = lines[..keep].iter().map(|l| Cow::Borrowed(&**l));
    first.chain([Cow::Owned(more)]).collect()
}

/// Builds the report content in the order every human report follows.
pub(crate) fn build(ev: &Evidence, lang: Lang) -> Vec<Block<'_>> {
    let t = words::labels(lang);
    let mut out = head(ev, lang);
    answers(ev, lang, t, &mut out);
    checklists(ev, lang, t, &mut out);
    out.extend(body(ev, lang));
    out
}

/// The title and the facts of the run (and the incomplete warning): what comes before the answers.
pub(crate) fn head<'a>(ev: &Evidence, lang: Lang) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    header(ev, lang, words::labels(lang), &mut out);
    out
}

/// Everything after the answers and the split checklists: systems, vendors, accounts, reuse,
/// policies, advisories, recovery, breach check, inputs and the closing notes.
pub(crate) fn body(ev: &Evidence, lang: Lang) -> Vec<Block<'_>> {
    let t = words::labels(lang);
    let mut out = Vec::new();
    // What to do, right after the answers: the first thing a facility acts on.
    worklist::worklist(ev, lang, &mut out);
    // Only with --baseline: first, as what changed is what a scheduled run is read for.
    baseline::baseline(ev, lang, t, &mut out);
    systems(ev, lang, t, &mut out);
    vendors(ev, lang, t, &mut out);
    failing(ev, lang, t, &mut out);
    unverified(ev, lang, t, &mut out);
    passing(ev, lang, t, &mut out);
    skipped(ev, lang, t, &mut out);
    reuse(ev, lang, t, &mut out);
    policies(ev, lang, t, &mut out);
    advisories(ev, lang, t, &mut out);
    stats::stats(ev, lang, &mut out);
    recovery(ev, lang, t, &mut out);
    breach_check(ev, lang, t, &mut out);
    input_errors(ev, lang, t, &mut out);
    inputs(ev, lang, t, &mut out);
    if !ev.complete {
        out.push(Block::Warning(t.incomplete_note.to_string()));
    }
    out.push(Block::Para(t.no_secrets_note.to_string()));
    out
}

fn header(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
    let title = if ev.facility.is_empty() {
        t.doc_title.to_string()
    } else {
        format!("{} — {}", t.doc_title, ev.facility)
    };
    out.push(Block::Title(title));
    out.push(Block::Para(t.subtitle.to_string()));
    let mut fields = vec![
        (t.facility.to_string(), ev.facility.clone()),
        (t.checked_on.to_string(), ev.checked_on.clone()),
    ];
    if let Some(line) = words::date_source_line(ev, lang) {
        fields.push(line);
    }
    fields.extend([
        (
            t.edition.to_string(),
            words::edition(lang, &ev.edition, ev.edition_rules.as_ref()),
        ),
        (
            t.tool.to_string(),
            format!("{} {}", ev.tool.name, ev.tool.version),
        ),
    ]);
    if let Some(run) = &ev.run {
        fields.push((t.run_started.to_string(), run.started_at.clone()));
        fields.push((t.run_duration.to_string(), run.duration_ms.to_string()));
    }
    fields.extend(
        words::status_lines(ev, lang)
            .into_iter()
            .map(|l| (l.key, l.value)),
    );
    fields.extend(words::share_fields(ev, lang));
    out.push(Block::Fields(fields));
    if !ev.complete {
        out.push(Block::Warning(t.incomplete_note.to_string()));
    }
}

/// Each finding in plain words; warnings and notes marked as such.
fn findings(lang: Lang, t: &Labels, list: &[Finding]) -> Vec<String> {
    list.iter()
        .map(|f| {
            let prefix = match f.severity {
                Severity::Fail => "",
                Severity::Warn => t.warning_prefix,
                Severity::Info => t.info_prefix,
            };
            format!("{prefix}{}", words::finding_text(lang, f))
        })
        .collect()
}

/// A count, marked with `style` when it is not zero.
fn count_cell<'a>(n: usize, style: Style) -> Cell<'a> {
    let c = Cell::number(n);
    if n > 0 {
        c.style(style)
    } else {
        c
    }
}

fn yes_no(t: &Labels, b: bool) -> &'static str {
    if b {
        t.yes
    } else {
        t.no
    }
}

/// The finding codes as in the JSON (`TOO_SHORT, BREACHED`): stable names to filter on.
fn codes(list: &[Finding]) -> String {
    list.iter()
        .map(|f| f.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evidence::Answer;
    use crate::model::Code;
    use crate::report::fixture;
    use std::collections::BTreeMap;

    #[test]
    fn one_row_builder_serves_the_reports_and_the_workbook() {
        let ev = fixture::sample(true);
        let report = policies_table(&ev, Lang::En, Medium::Report);
        let sheet = policies_table(&ev, Lang::En, Medium::Sheet);
        let codes_at = report.head.len() - 1;
        assert_eq!(sheet.head.len(), report.head.len() + 1);
        let r: Vec<Vec<Cell>> = report.rows.collect();
        let mut s: Vec<Vec<Cell>> = sheet.rows.collect();
        // The workbook's row is the reports' row with the codes before the findings.
        let codes = s[0].remove(codes_at);
        assert_eq!(s[0], r[0]);
        assert_eq!(
            codes.lines,
            ["POLICY_ROTATION_TOO_LONG, POLICY_COMPOSITION"]
        );
        // Settings are numbers for the workbook, written out the same for md and html.
        assert_eq!(r[0][4].kind, Kind::Number(8));
        assert_eq!(r[0][4].lines, ["8"]);
        assert_eq!(r[0][2].style, Some(Style::No));
        // The inputs: 12 digits of the SHA-256 in the reports, all of it in the workbook.
        let report = inputs_table(&ev, Lang::En, Medium::Report);
        let sheet = inputs_table(&ev, Lang::En, Medium::Sheet);
        assert_eq!(report.head.len(), sheet.head.len());
        let r: Vec<Vec<Cell>> = report.rows.collect();
        let s: Vec<Vec<Cell>> = sheet.rows.collect();
        assert_eq!(r[0][3].lines[0].len(), 12);
        assert_eq!(s[0][3].lines[0], ev.inputs[0].sha256);
    }

    #[test]
    fn failure_reasons_count_failing_accounts_once_per_code() {
        let mut ev = fixture::sample(true);
        // A duplicate finding on one account still counts that account once.
        let y = ev
            .accounts
            .iter_mut()
            .find(|a| a.account == "yoshida" && &*a.system == "ad01")
            .unwrap();
        y.findings.push(Finding::fail(Code::TooShort, "again"));
        let reasons = failure_reasons(&ev);
        assert_eq!(reasons[0], (Code::ReusedAcrossSystems, 2));
        assert!(reasons.contains(&(Code::TooShort, 1)));
        assert!(reasons.contains(&(Code::EmptyPassword, 1)));
        // Warnings are not failure reasons.
        assert!(!reasons.iter().any(|(c, _)| *c == Code::NonAscii));
        assert_eq!(recovered_lengths(&ev), BTreeMap::from([(10, 1), (16, 1)]));
    }

    #[test]
    fn systems_are_grouped_by_who_manages_them() {
        let ev = fixture::sample(true);
        let ids: Vec<String> = system_verdicts(&ev).into_iter().map(|(id, _)| id).collect();
        let rt = ids.iter().position(|i| i == "rt01").unwrap();
        assert_eq!(
            rt,
            ids.len() - 1,
            "the vendor's system comes after the facility's"
        );
        let blocks = build(&ev, Lang::Ja);
        let at = blocks
            .iter()
            .position(|b| matches!(b, Block::Heading(h) if h == "事業者別の結果"))
            .unwrap();
        let Some(Block::Table(t)) = blocks.into_iter().nth(at + 2) else {
            panic!("no vendor table")
        };
        let rows: Vec<Vec<Cell>> = t.rows.collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1].lines, ["医療機関（自院管理）"]);
        assert_eq!(rows[1][0].lines, ["事業者"]);
        assert_eq!(rows[1][1].lines, ["MedNet Systems"]);
        assert!(rows[1][2].lines[0].starts_with("rt01"));
        // R1 spans ad01 and rt01: both groups see it.
        assert_eq!(rows[0][9].lines, ["1"]);
        assert_eq!(rows[1][9].lines, ["1"]);
    }

    #[test]
    fn every_answer_but_yes_shows_the_target_date_the_evidence_records() {
        let mut ev = fixture::sample(true);
        for it in &mut ev.items {
            it.target_date = (it.answer != Answer::Yes).then(|| "2027-03-31".into());
        }
        ev.items[1].answer = Answer::Undetermined;
        let views = answer_views(&ev.items, ev.edition_rules.as_ref(), Lang::Ja);
        assert_eq!(views[1].answer_text, "判定不能");
        assert_eq!(views[1].target_date, "2027-03-31");
        ev.items[1].answer = Answer::Yes;
        ev.items[1].target_date = None;
        assert_eq!(
            answer_views(&ev.items, ev.edition_rules.as_ref(), Lang::Ja)[1].target_date,
            ""
        );
    }
}
