//! The content of the human reports as plain blocks, built once and rendered as Markdown or HTML.
//!
//! Text here is unescaped: every renderer escapes every string it prints (account names, file
//! names and details are untrusted input).
//!
//! The rows of a table are made as the renderer reads them: a table of a million accounts is
//! written one row at a time, never held whole.

use super::Lang;
use crate::model::evidence::{
    AccountEvidence, AccountStatus, Answer, BreachStatus, Evidence, Item, SystemSummary,
    HIBP_ATTRIBUTION,
};
use crate::model::tags::PolicyStatus;
use crate::model::{Code, Finding, ManagedBy, Severity, SkipReason};
use crate::words::{self, Labels};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

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
}

/// A table: its column heads, and its rows made one at a time as they are read.
pub(crate) struct Table<'a> {
    pub head: Vec<&'static str>,
    pub rows: Rows<'a>,
}

/// The rows of a [`Table`], each made when it is read.
pub(crate) type Rows<'a> = Box<dyn Iterator<Item = Vec<Cell<'a>>> + 'a>;

impl<'a> Table<'a> {
    fn new(head: &[&'static str], rows: impl Iterator<Item = Vec<Cell<'a>>> + 'a) -> Table<'a> {
        Table {
            head: head.to_vec(),
            rows: Box::new(rows),
        }
    }
}

/// Which medium shows a column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    Both,
    Report,
    Sheet,
}

impl Show {
    fn shows(self, medium: Medium) -> bool {
        match self {
            Show::Both => true,
            Show::Report => medium == Medium::Report,
            Show::Sheet => medium == Medium::Sheet,
        }
    }
}

/// A column shown in every medium.
fn both(head: &'static str) -> (&'static str, Show) {
    (head, Show::Both)
}

/// A column only the workbook shows (codes, full hashes: for filtering, too wide to print).
fn sheet(head: &'static str) -> (&'static str, Show) {
    (head, Show::Sheet)
}

impl<'a> Table<'a> {
    /// The columns of `cols` that `medium` shows, and the same cells of each row: one row
    /// builder serves every medium.
    fn select(
        medium: Medium,
        cols: &[(&'static str, Show)],
        rows: impl Iterator<Item = Vec<Cell<'a>>> + 'a,
    ) -> Table<'a> {
        let keep: Vec<bool> = cols.iter().map(|(_, s)| s.shows(medium)).collect();
        let head = cols
            .iter()
            .filter(|(_, s)| s.shows(medium))
            .map(|(h, _)| *h)
            .collect();
        let rows = rows.map(move |row| {
            row.into_iter()
                .zip(&keep)
                .filter_map(|(c, k)| k.then_some(c))
                .collect()
        });
        Table {
            head,
            rows: Box::new(rows),
        }
    }
}

impl fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("head", &self.head)
            .finish_non_exhaustive()
    }
}

/// A table cell: one or more lines, what kind of value it is, and a style hint (`Yes`, `Fail`,
/// …) that HTML maps to a CSS class and the workbook to a fill. The lines borrow from the
/// evidence where they can.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Cell<'a> {
    pub lines: Vec<Cow<'a, str>>,
    pub kind: Kind,
    pub style: Option<Style>,
}

/// What a cell holds: text, or a number (its one line is the number written out) that a
/// spreadsheet stores as a number so it sorts and sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Kind {
    #[default]
    Text,
    Number(i64),
}

/// How a cell is marked: an answer (yes / no / undetermined), a failure or a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Yes,
    No,
    Undetermined,
    Fail,
    Warn,
}

impl Style {
    /// The CSS class of the style in the HTML report.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Style::Yes => "yes",
            Style::No => "no",
            Style::Undetermined => "undetermined",
            Style::Fail => "fail",
            Style::Warn => "warn",
        }
    }
}

/// Where a table is shown: the reports (md and html) or the workbook; some columns are only in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Medium {
    Report,
    Sheet,
}

impl<'a> Cell<'a> {
    pub(crate) fn text(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell {
            lines: vec![s.into()],
            ..Cell::default()
        }
    }
    pub(crate) fn lines<S: Into<Cow<'a, str>>>(lines: impl IntoIterator<Item = S>) -> Cell<'a> {
        Cell {
            lines: lines.into_iter().map(Into::into).collect(),
            ..Cell::default()
        }
    }
    /// A number cell (a count, a size, a number of days).
    pub(crate) fn number(n: impl TryInto<i64> + Copy + ToString) -> Cell<'a> {
        let text = Cell::text(n.to_string());
        match n.try_into() {
            Ok(n) => Cell {
                kind: Kind::Number(n),
                ..text
            },
            Err(_) => text,
        }
    }
    pub(crate) fn style(mut self, style: Style) -> Cell<'a> {
        self.style = Some(style);
        self
    }
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
    systems(ev, lang, t, &mut out);
    vendors(ev, lang, t, &mut out);
    failing(ev, lang, t, &mut out);
    unverified(ev, lang, t, &mut out);
    passing(ev, lang, t, &mut out);
    skipped(ev, lang, t, &mut out);
    reuse(ev, lang, t, &mut out);
    policies(ev, lang, t, &mut out);
    advisories(ev, lang, t, &mut out);
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

/// One checklist answer as printed: the item, its question, the answer and its dates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnswerView {
    pub item: String,
    pub question: String,
    pub answer: Answer,
    /// はい / いいえ / 判定不能 (or the English words).
    pub answer_text: &'static str,
    /// Yes | No | Undetermined: the style of the answer (its CSS class in HTML).
    pub style: Style,
    pub checked_on: String,
    /// For いいえ and 判定不能 (empty for はい).
    pub target_date: String,
    pub remarks: String,
    pub counts: String,
}

/// The answers of `items` as printed.
pub(crate) fn answer_views(items: &[Item], lang: Lang) -> Vec<AnswerView> {
    items
        .iter()
        .map(|it| AnswerView {
            item: words::item_label(lang, &it.item, &it.label),
            question: words::question(lang, &it.item)
                .unwrap_or_default()
                .to_string(),
            answer: it.answer,
            answer_text: words::answer(lang, it.answer),
            style: answer_style(it.answer),
            checked_on: it.checked_on.clone(),
            // As the evidence records it: いいえ and 判定不能 both carry one (an item not yet
            // confirmed はい is answered いいえ on the MHLW form, which asks for a 目標日).
            target_date: it.target_date.clone().unwrap_or_default(),
            remarks: it.remarks.clone(),
            counts: words::counts(lang, it.failing, it.unverified, it.passing, it.groups),
        })
        .collect()
}

/// One of the split checklists (医療機関確認用 / 事業者確認用) as printed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChecklistView {
    pub title: String,
    /// The systems it covers, joined (or なし).
    pub systems: String,
    pub answers: Vec<AnswerView>,
}

/// The split checklists as printed, in the evidence's order.
pub(crate) fn checklist_views(ev: &Evidence, lang: Lang) -> Vec<ChecklistView> {
    let t = words::labels(lang);
    ev.checklists
        .iter()
        .map(|ck| ChecklistView {
            title: words::checklist_title(lang, ck.managed_by).to_string(),
            systems: if ck.systems.is_empty() {
                t.none.to_string()
            } else {
                ck.systems.join(t.list_sep)
            },
            answers: answer_views(&ck.items, lang),
        })
        .collect()
}

/// Failing accounts per finding code: how many failing accounts carry each code with severity
/// `fail` (an account counts once per code), most frequent first.
pub(crate) fn failure_reasons(ev: &Evidence) -> Vec<(Code, usize)> {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for a in with_status(ev, AccountStatus::Fail) {
        let codes: BTreeSet<Code> = a
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Fail)
            .map(|f| f.code)
            .collect();
        for c in codes {
            *counts.entry(c).or_default() += 1;
        }
    }
    let mut out: Vec<(Code, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// How many of the passwords that became known have each length (never the passwords).
pub(crate) fn recovered_lengths(ev: &Evidence) -> BTreeMap<usize, usize> {
    let mut counts = BTreeMap::new();
    let lengths = ev
        .accounts
        .iter()
        .filter(|a| a.plaintext_known)
        .filter_map(|a| a.length);
    for n in lengths {
        *counts.entry(n).or_default() += 1;
    }
    counts
}

/// Per system, in the systems table's order: `[pass, fail, unverified, skipped]` account counts.
pub(crate) fn system_verdicts(ev: &Evidence) -> Vec<(String, [usize; 4])> {
    grouped_systems(ev)
        .into_iter()
        .map(|s| {
            (
                s.id.clone(),
                [s.passing, s.failing, s.unverified, s.skipped],
            )
        })
        .collect()
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
        (t.edition.to_string(), words::edition(lang, &ev.edition)),
        (
            t.tool.to_string(),
            format!("{} {}", ev.tool.name, ev.tool.version),
        ),
    ];
    if let Some(run) = &ev.run {
        fields.push((t.run_started.to_string(), run.started_at.clone()));
        fields.push((t.run_duration.to_string(), run.duration_ms.to_string()));
    }
    let status = if ev.complete {
        t.complete
    } else {
        t.incomplete
    };
    fields.push((t.evidence_status.to_string(), status.to_string()));
    out.push(Block::Fields(fields));
    if !ev.complete {
        out.push(Block::Warning(t.incomplete_note.to_string()));
    }
}

fn answers(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
    out.push(Block::Heading(t.h_answers.to_string()));
    out.push(Block::Table(answers_table(
        answer_views(&ev.items, lang),
        lang,
        Medium::Report,
    )));
}

fn checklists(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
    if ev.checklists.is_empty() {
        return;
    }
    out.push(Block::Heading(t.h_checklists.to_string()));
    out.push(Block::Para(t.checklists_note.to_string()));
    for ck in checklist_views(ev, lang) {
        out.push(Block::Subheading(ck.title));
        out.push(Block::Fields(vec![(
            t.checklist_systems.to_string(),
            ck.systems,
        )]));
        out.push(Block::Table(answers_table(
            ck.answers,
            lang,
            Medium::Report,
        )));
    }
}

/// The answers as a table; the workbook heads the answer column はい・いいえ like the MHLW form.
pub(crate) fn answers_table<'a>(views: Vec<AnswerView>, lang: Lang, medium: Medium) -> Table<'a> {
    let t = words::labels(lang);
    let answer = match medium {
        Medium::Report => t.col_answer,
        Medium::Sheet => words::workbook_labels(lang).col_answer,
    };
    let rows = views.into_iter().map(|v| {
        vec![
            Cell::text(v.item),
            Cell::text(v.question),
            Cell::text(v.answer_text).style(v.style),
            Cell::text(v.checked_on),
            Cell::text(v.target_date),
            Cell::text(v.remarks),
            Cell::text(v.counts),
        ]
    });
    Table::new(
        &[
            t.col_item,
            t.col_question,
            answer,
            t.checked_on,
            t.target_date,
            t.remarks,
            t.col_counts,
        ],
        rows,
    )
}

fn systems<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_systems.to_string()));
    if ev.systems.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    let rows = grouped_systems(ev).into_iter().map(move |s| {
        vec![
            Cell::text(s.id.as_str()),
            Cell::text(s.name.as_deref().unwrap_or_default()),
            Cell::text(words::system_kind(lang, s.kind)),
            Cell::text(words::managed_by(lang, s.managed_by)),
            Cell::text(s.vendor.as_deref().unwrap_or_default()),
            Cell::text(yes_no(t, s.mfa)),
            Cell::text(s.accounts.to_string()),
            count_cell(s.failing, Style::Fail),
            count_cell(s.unverified, Style::Undetermined),
            Cell::text(s.passing.to_string()),
            Cell::text(s.skipped.to_string()),
            Cell::text(words::verdict(lang, s.policy)).style(policy_style(s.policy)),
        ]
    });
    out.push(Block::Table(Table::new(
        &[
            t.col_system,
            t.col_name,
            t.col_kind,
            t.col_managed_by,
            t.col_vendor,
            t.col_mfa,
            t.col_accounts,
            t.col_failing,
            t.col_unverified,
            t.col_passing,
            t.col_skipped,
            t.col_policy,
        ],
        rows,
    )));
}

/// The systems grouped by who manages them: the facility's own first, then each vendor.
fn vendors<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    if ev.systems.is_empty() {
        return;
    }
    out.push(Block::Heading(t.h_vendors.to_string()));
    out.push(Block::Para(t.vendors_note.to_string()));
    let mut groups: Vec<((ManagedBy, String), Vec<&SystemSummary>)> = Vec::new();
    for s in grouped_systems(ev) {
        let key = group_key(s);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(s),
            None => groups.push((key, vec![s])),
        }
    }
    let rows = groups.into_iter().map(move |((managed_by, vendor), list)| {
        let ids: BTreeSet<&str> = list.iter().map(|s| s.id.as_str()).collect();
        let sum = |f: fn(&SystemSummary) -> usize| list.iter().map(|s| f(s)).sum::<usize>();
        let policy_failing = ev
            .policies
            .iter()
            .filter(|p| p.status == PolicyStatus::Fail && ids.contains(&*p.system))
            .count();
        let reuse_groups = ev
            .reuse_groups
            .iter()
            .filter(|g| g.members.iter().any(|m| ids.contains(&*m.system)))
            .count();
        let who = match (managed_by, vendor.is_empty()) {
            (ManagedBy::Institution, true) => t.facility_managed.to_string(),
            (_, true) => t.dash.to_string(),
            (_, false) => vendor,
        };
        vec![
            Cell::text(words::managed_by(lang, managed_by)),
            Cell::text(who),
            Cell::lines(list.iter().map(|s| system_name(s))),
            Cell::text(sum(|s| s.accounts).to_string()),
            count_cell(sum(|s| s.failing), Style::Fail),
            count_cell(sum(|s| s.unverified), Style::Undetermined),
            Cell::text(sum(|s| s.passing).to_string()),
            Cell::text(sum(|s| s.skipped).to_string()),
            count_cell(policy_failing, Style::Fail),
            count_cell(reuse_groups, Style::Fail),
        ]
    });
    out.push(Block::Table(Table::new(
        &[
            t.col_managed_by,
            t.col_vendor,
            t.col_systems,
            t.col_accounts,
            t.col_failing,
            t.col_unverified,
            t.col_passing,
            t.col_skipped,
            t.col_policy_failing,
            t.col_reuse_groups,
        ],
        rows,
    )));
}

/// The systems ordered by who manages them (facility first, then vendors by name), stable inside.
fn grouped_systems(ev: &Evidence) -> Vec<&SystemSummary> {
    let mut list: Vec<&SystemSummary> = ev.systems.iter().collect();
    list.sort_by_key(|s| group_key(s));
    list
}

fn group_key(s: &SystemSummary) -> (ManagedBy, String) {
    (s.managed_by, s.vendor.clone().unwrap_or_default())
}

/// `id (name)`, or the id alone.
fn system_name(s: &SystemSummary) -> Cow<'_, str> {
    match s.name.as_deref() {
        Some(n) if !n.is_empty() && n != s.id => Cow::Owned(format!("{} ({n})", s.id)),
        _ => Cow::Borrowed(&s.id),
    }
}

fn failing<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_failing.to_string()));
    if with_status(ev, AccountStatus::Fail).next().is_none() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Para(t.failing_note.to_string()));
    let cols = [
        (t.col_system, Col::System),
        (t.col_account, Col::Account),
        (t.col_source, Col::Source),
        (t.col_scheme, Col::Scheme),
        (t.col_length, Col::Length),
        (t.col_reasons, Col::FailReasons),
        (t.col_breach, Col::Breach),
        (t.col_reuse_group, Col::ReuseGroup),
    ];
    let rows = with_status(ev, AccountStatus::Fail);
    out.push(Block::Table(accounts_table(ev, lang, rows, &cols)));
}

fn unverified<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_unverified.to_string()));
    if with_status(ev, AccountStatus::Unverified).next().is_none() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Para(t.unverified_note.to_string()));
    let cols = [
        (t.col_system, Col::System),
        (t.col_account, Col::Account),
        (t.col_source, Col::Source),
        (t.col_scheme, Col::Scheme),
        (t.col_hash_prefix, Col::HashPrefix),
        (t.col_findings, Col::Why),
        (t.col_breach, Col::Breach),
        (t.col_reuse_group, Col::ReuseGroup),
    ];
    let rows = with_status(ev, AccountStatus::Unverified);
    out.push(Block::Table(accounts_table(ev, lang, rows, &cols)));
}

fn passing<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    if with_status(ev, AccountStatus::Pass).next().is_none() {
        return;
    }
    out.push(Block::Heading(t.h_passing.to_string()));
    let cols = [
        (t.col_system, Col::System),
        (t.col_account, Col::Account),
        (t.col_source, Col::Source),
        (t.col_scheme, Col::Scheme),
        (t.col_path, Col::Path),
        (t.col_recovered_by, Col::RecoveredBy),
        (t.col_findings, Col::Findings),
        (t.col_breach, Col::Breach),
        (t.col_reuse_group, Col::ReuseGroup),
    ];
    let rows = with_status(ev, AccountStatus::Pass);
    out.push(Block::Table(accounts_table(ev, lang, rows, &cols)));
}

/// A password-history entry (a domain dumped with -history has twenty a person): counted per
/// system in the human reports; every one is still in evidence.json and evidence.csv.
fn is_history(a: &AccountEvidence) -> bool {
    a.skip_reason == Some(SkipReason::History)
}

fn skipped<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    if with_status(ev, AccountStatus::Skipped).next().is_none() {
        return;
    }
    out.push(Block::Heading(t.h_skipped.to_string()));
    let mut history: BTreeMap<&str, usize> = BTreeMap::new();
    for a in with_status(ev, AccountStatus::Skipped).filter(|a| is_history(a)) {
        *history.entry(&*a.system).or_default() += 1;
    }
    for (system, n) in history {
        out.push(Block::Para(words::history_entries(lang, system, n)));
    }
    let listed = || with_status(ev, AccountStatus::Skipped).filter(|a| !is_history(a));
    if listed().next().is_none() {
        return;
    }
    let cols = [
        (t.col_system, Col::System),
        (t.col_account, Col::Account),
        (t.col_source, Col::Source),
        (t.col_skip_reason, Col::SkipReason),
    ];
    out.push(Block::Table(accounts_table(ev, lang, listed(), &cols)));
}

/// Every account, one row each, for the workbook: its verdict, why, breach result and reuse group.
pub(crate) fn accounts_sheet_table(ev: &Evidence, lang: Lang) -> Table<'_> {
    let t = words::labels(lang);
    let cols = [
        (t.col_system, Col::System),
        (t.col_account, Col::Account),
        (t.col_source, Col::Source),
        (t.col_scheme, Col::Scheme),
        (t.col_status, Col::Status),
        (t.col_path, Col::Path),
        (words::workbook_labels(lang).col_codes, Col::Codes),
        (t.col_reasons, Col::Why),
        (t.col_breach, Col::Breach),
        (t.col_reuse_group, Col::ReuseGroup),
        (t.col_length, Col::Length),
        (t.col_recovered_by, Col::RecoveredBy),
        (t.col_skip_reason, Col::SkipReason),
    ];
    accounts_table(ev, lang, ev.accounts.iter(), &cols)
}

/// One row per (account, finding) in stable names, language-neutral like the JSON: the rows of
/// evidence.csv. An account without findings has one row with empty code, severity and detail.
pub(crate) fn finding_table<'a>(ev: &'a Evidence) -> Table<'a> {
    let budget = ev.recovery.salted_budget;
    let rows = ev.accounts.iter().flat_map(move |a| {
        let breach = match (a.breach.status, a.breach.count) {
            (BreachStatus::Found, Some(n)) => Cow::Owned(format!("found:{n}")),
            (s, _) => Cow::Borrowed(s.as_str()),
        };
        // Why nothing was verified against the salted hash: its stable name, then the same in
        // English words with the cost of one try.
        let salted_skipped = a
            .salted
            .as_deref()
            .and_then(|w| {
                let words = words::salted_skipped(Lang::En, a.scheme, w, budget)?;
                Some(format!("{}: {words}", w.skipped?.as_str()))
            })
            .unwrap_or_default();
        let row = move |code: &'static str, severity: &'static str, detail: &'a str| {
            vec![
                Cell::text(&*a.system),
                Cell::text(a.account.as_str()),
                Cell::text(a.source.as_str()),
                Cell::text(a.scheme.as_str()),
                Cell::text(a.status.as_str()),
                Cell::text(a.path.map(|p| p.as_str()).unwrap_or_default()),
                Cell::text(code),
                Cell::text(severity),
                Cell::text(detail),
                Cell::text(breach.clone()),
                Cell::text(a.reuse_group.as_deref().unwrap_or_default()),
                Cell::text(salted_skipped.clone()),
            ]
        };
        let rows: Vec<Vec<Cell<'a>>> = if a.findings.is_empty() {
            vec![row("", "", "")]
        } else {
            a.findings
                .iter()
                .map(|f| row(f.code.as_str(), f.severity.as_str(), &f.detail))
                .collect()
        };
        rows
    });
    Table::new(&FINDING_COLUMNS, rows)
}

/// The columns of [`finding_table`]. `salted_skipped` (last, added later): why nothing was
/// verified against the account's salted hash.
pub(crate) const FINDING_COLUMNS: [&str; 12] = [
    "system",
    "account",
    "source",
    "scheme",
    "status",
    "path",
    "code",
    "severity",
    "detail",
    "breach",
    "reuse_group",
    "salted_skipped",
];

/// A column of an account table: every table of accounts, in every medium, is made of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    System,
    Account,
    Source,
    Scheme,
    /// The verdict, marked like an answer.
    Status,
    Path,
    Codes,
    Findings,
    /// The findings, marked failing.
    FailReasons,
    /// Why nothing was tried against the hash (if so), then the findings.
    Why,
    Breach,
    ReuseGroup,
    Length,
    RecoveredBy,
    SkipReason,
    HashPrefix,
}

/// A table of `accounts` with the columns `cols` (head, column), made a row at a time.
fn accounts_table<'a>(
    ev: &Evidence,
    lang: Lang,
    accounts: impl Iterator<Item = &'a AccountEvidence> + 'a,
    cols: &[(&'static str, Col)],
) -> Table<'a> {
    let budget = ev.recovery.salted_budget;
    let head: Vec<&'static str> = cols.iter().map(|(h, _)| *h).collect();
    let cols: Vec<Col> = cols.iter().map(|(_, c)| *c).collect();
    let rows = accounts.map(move |a| {
        cols.iter()
            .map(|c| account_cell(a, *c, lang, budget))
            .collect()
    });
    Table::new(&head, rows)
}

/// The cell of account `a` in column `col`.
fn account_cell(a: &AccountEvidence, col: Col, lang: Lang, budget: u64) -> Cell<'_> {
    let t = words::labels(lang);
    match col {
        Col::System => Cell::text(&*a.system),
        Col::Account => Cell::text(a.account.as_str()),
        Col::Source => Cell::text(a.source.as_str()),
        Col::Scheme => Cell::text(a.scheme.as_str()),
        Col::Status => {
            let c = Cell::text(words::account_status(lang, a.status));
            match a.status {
                AccountStatus::Pass => c.style(Style::Yes),
                AccountStatus::Fail => c.style(Style::No),
                AccountStatus::Unverified => c.style(Style::Undetermined),
                AccountStatus::Skipped => c,
            }
        }
        Col::Path => Cell::text(
            a.path
                .map(|p| words::pass_path(lang, p))
                .unwrap_or_default(),
        ),
        Col::Codes => Cell::text(codes(&a.findings)),
        Col::Findings => Cell::lines(findings(lang, t, &a.findings)),
        Col::FailReasons => Cell::lines(findings(lang, t, &a.findings)).style(Style::Fail),
        Col::Why => {
            // Why nothing was tried against the hash comes before the findings.
            let skipped = a
                .salted
                .as_deref()
                .and_then(|w| words::salted_skipped(lang, a.scheme, w, budget));
            Cell::lines(skipped.into_iter().chain(findings(lang, t, &a.findings)))
        }
        Col::Breach => Cell::text(words::breach(lang, a.breach.status, a.breach.count)),
        Col::ReuseGroup => Cell::text(a.reuse_group.as_deref().unwrap_or_default()),
        Col::Length => a.length.map_or_else(|| Cell::text(""), Cell::number),
        Col::RecoveredBy => Cell::text(
            a.recovered_by
                .map(|r| words::recovered_by(lang, r))
                .unwrap_or_default(),
        ),
        Col::SkipReason => Cell::text(
            a.skip_reason
                .map(|r| words::skip_reason(lang, r))
                .unwrap_or_default(),
        ),
        Col::HashPrefix => Cell::text(hash_prefix(a)),
    }
}

fn reuse<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_reuse.to_string()));
    if ev.reuse_groups.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Para(t.reuse_note.to_string()));
    out.push(Block::Table(reuse_table(ev, lang, Medium::Report)));
}

/// One row per reuse group: scope, severity, proofs (the strongest first), members and links.
pub(crate) fn reuse_table(ev: &Evidence, lang: Lang, medium: Medium) -> Table<'_> {
    let t = words::labels(lang);
    let x = words::workbook_labels(lang);
    let rows = ev.reuse_groups.iter().map(move |g| {
        let proof = std::iter::once(words::reuse_proof(lang, g.evidence)).chain(
            g.proofs
                .iter()
                .filter(|p| **p != g.evidence)
                .map(|p| words::reuse_proof(lang, *p)),
        );
        let members = g
            .members
            .iter()
            .map(|m| format!("{} / {}", m.system, m.account));
        let links = g.links.iter().map(|l| {
            format!(
                "{} / {} ↔ {} / {}: {}",
                l.from.system,
                l.from.account,
                l.to.system,
                l.to.account,
                words::reuse_proof(lang, l.evidence)
            )
        });
        vec![
            Cell::text(g.id.as_str()),
            Cell::text(words::reuse_scope(lang, g.scope)),
            Cell::text(words::severity(lang, g.severity)).style(severity_style(g.severity)),
            Cell::lines(proof),
            Cell::text(g.systems.join(t.list_sep)),
            Cell::number(g.members.len()),
            Cell::lines(members),
            Cell::lines(links),
            Cell::text(if g.default_password { t.yes } else { t.dash }),
        ]
    });
    Table::select(
        medium,
        &[
            both(t.col_group),
            both(t.col_scope),
            both(t.col_severity),
            both(t.col_proof),
            sheet(t.col_systems),
            sheet(x.col_member_count),
            both(t.col_members),
            both(t.col_links),
            both(t.col_default_password),
        ],
        rows,
    )
}

fn policies<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_policies.to_string()));
    if ev.policies.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Table(policies_table(ev, lang, Medium::Report)));
}

/// One row per system's effective policy: its verdict, how it passed, its settings and findings.
pub(crate) fn policies_table(ev: &Evidence, lang: Lang, medium: Medium) -> Table<'_> {
    let t = words::labels(lang);
    let rows = ev.policies.iter().map(move |p| {
        let e = &p.effective;
        let max_age = match e.max_age_days {
            None => Cell::text(t.dash),
            Some(d) if d <= 0 => Cell::text(t.never_expires),
            Some(d) => Cell::number(d),
        };
        vec![
            Cell::text(&*p.system),
            Cell::lines(p.sources.iter().map(String::as_str)),
            Cell::text(words::verdict(lang, p.status)).style(policy_style(p.status)),
            Cell::text(
                p.path
                    .map(|x| words::pass_path(lang, x))
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
        ]
    });
    Table::select(
        medium,
        &[
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
        ],
        rows,
    )
}

fn advisories<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_advisories.to_string()));
    if ev.advisories.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Para(t.advisories_note.to_string()));
    let rows = ev.advisories.iter().map(move |a| {
        vec![
            Cell::text(&*a.system),
            Cell::text(a.account.as_deref().unwrap_or_default()),
            Cell::text(words::code(lang, a.finding.code)),
            Cell::text(a.finding.detail.as_str()),
        ]
    });
    out.push(Block::Table(Table::new(
        &[t.col_system, t.col_account, t.col_finding, t.col_detail],
        rows,
    )));
}

fn recovery(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
    let r = &ev.recovery;
    out.push(Block::Heading(t.h_recovery.to_string()));
    out.push(Block::Para(t.recovery_note.to_string()));
    let total: usize = r.recovered.values().sum();
    let mut fields = vec![(t.recovered_total.to_string(), total.to_string())];
    for (method, n) in &r.recovered {
        fields.push((
            format!("· {}", words::recovered_by(lang, *method)),
            n.to_string(),
        ));
    }
    fields.extend([
        (
            t.candidates_unsalted.to_string(),
            r.candidates_unsalted.to_string(),
        ),
        (t.salted_hashes.to_string(), r.salted_hashes.to_string()),
        (
            t.salted_verifications.to_string(),
            format!("{} / {}", r.salted_verifications, r.salted_budget),
        ),
        (
            t.cross_verifications.to_string(),
            r.cross_verifications.to_string(),
        ),
        (
            t.potfile_matched.to_string(),
            r.potfile_lines_matched.to_string(),
        ),
        (
            t.potfile_rejected.to_string(),
            r.potfile_lines_rejected.to_string(),
        ),
    ]);
    if r.potfile_lines_skipped > 0 {
        fields.push((
            t.potfile_skipped.to_string(),
            r.potfile_lines_skipped.to_string(),
        ));
    }
    out.push(Block::Fields(fields));
}

fn breach_check(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
    out.push(Block::Heading(t.h_breach.to_string()));
    out.push(Block::Fields(breach_fields(ev, lang)));
}

/// The facts of the breach check (mode, status, counts, dataset, attribution) as `label: value`.
pub(crate) fn breach_fields(ev: &Evidence, lang: Lang) -> Vec<(String, String)> {
    let t = words::labels(lang);
    let b = &ev.breach_check;
    let attribution = if b.attribution.is_empty() {
        HIBP_ATTRIBUTION.to_string()
    } else {
        b.attribution.clone()
    };
    let mut fields = vec![
        (
            t.breach_mode.to_string(),
            words::breach_mode(lang, b.mode).to_string(),
        ),
        (
            t.breach_status.to_string(),
            words::breach_check_status(lang, b.status).to_string(),
        ),
        (t.breach_lookups.to_string(), b.lookups.to_string()),
        (t.breach_found.to_string(), b.found.to_string()),
        (t.breach_errors.to_string(), b.errors.to_string()),
    ];
    if let Some(g) = &b.gave_up {
        fields.push((t.breach_gave_up.to_string(), words::breach_gave_up(lang, g)));
    }
    if !b.dataset.is_empty() {
        fields.push((t.breach_dataset.to_string(), b.dataset.clone()));
    }
    if let Some(d) = &b.date {
        fields.push((t.breach_date.to_string(), d.clone()));
    }
    fields.push((t.breach_attribution.to_string(), attribution));
    fields
}

fn input_errors<'a>(ev: &'a Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_input_errors.to_string()));
    if ev.input_errors.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Table(input_errors_table(ev, lang)));
}

/// One row per input error: where, and what (marked failing).
pub(crate) fn input_errors_table(ev: &Evidence, lang: Lang) -> Table<'_> {
    let t = words::labels(lang);
    let rows = ev.input_errors.iter().map(|e| {
        vec![
            Cell::text(e.source.as_str()),
            Cell::text(e.message.as_str()).style(Style::Fail),
        ]
    });
    Table::new(&[t.col_location, t.col_message], rows)
}

fn inputs<'a>(ev: &'a Evidence, lang: Lang, t: &'static Labels, out: &mut Vec<Block<'a>>) {
    out.push(Block::Heading(t.h_inputs.to_string()));
    if ev.inputs.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Table(inputs_table(ev, lang, Medium::Report)));
}

/// One row per input file: format, encoding, SHA-256 (the reports print its first 12 digits, the
/// workbook all of it), size, systems, records and errors.
pub(crate) fn inputs_table(ev: &Evidence, lang: Lang, medium: Medium) -> Table<'_> {
    let t = words::labels(lang);
    let rows = ev.inputs.iter().map(move |i| {
        vec![
            Cell::text(i.path.as_str()),
            Cell::text(i.format.as_str()),
            Cell::text(i.encoding.map_or("-", |e| e.as_str())),
            Cell::text(i.sha256.chars().take(12).collect::<String>()),
            Cell::text(i.sha256.as_str()),
            Cell::number(i.size),
            Cell::text(i.systems.join(t.list_sep)),
            Cell::number(i.records),
            count_cell(i.errors, Style::Fail),
        ]
    });
    Table::select(
        medium,
        &[
            both(t.col_file),
            both(t.col_format),
            both(t.col_encoding),
            (t.col_sha256, Show::Report),
            sheet("SHA-256"),
            both(t.col_size),
            both(t.col_systems),
            both(t.col_records),
            both(t.col_errors),
        ],
        rows,
    )
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
            format!("{prefix}{}", words::finding(lang, f.code, &f.detail))
        })
        .collect()
}

/// The accounts with `status`, in evidence order.
fn with_status(
    ev: &Evidence,
    status: AccountStatus,
) -> impl Iterator<Item = &AccountEvidence> + Clone {
    ev.accounts.iter().filter(move |a| a.status == status)
}

/// At most 8 characters of the stored hash, whatever the evidence holds.
fn hash_prefix(a: &AccountEvidence) -> &str {
    let p = a.hash_prefix.as_deref().unwrap_or_default();
    match p.char_indices().nth(8) {
        Some((end, _)) => &p[..end],
        None => p,
    }
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

fn answer_style(a: Answer) -> Style {
    match a {
        Answer::Yes => Style::Yes,
        Answer::No => Style::No,
        Answer::Undetermined => Style::Undetermined,
    }
}

fn policy_style(v: PolicyStatus) -> Style {
    match v {
        PolicyStatus::Pass => Style::Yes,
        PolicyStatus::Fail => Style::No,
        PolicyStatus::Unknown | PolicyStatus::None => Style::Undetermined,
    }
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Fail => Style::No,
        Severity::Warn => Style::Warn,
        Severity::Info => Style::Undetermined,
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

/// A number, or a dash when there is none.
fn opt_number<'a>(t: &Labels, v: Option<u32>) -> Cell<'a> {
    v.map_or_else(|| Cell::text(t.dash), Cell::number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

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
        let views = answer_views(&ev.items, Lang::Ja);
        assert_eq!(views[1].answer_text, "判定不能");
        assert_eq!(views[1].target_date, "2027-03-31");
        ev.items[1].answer = Answer::Yes;
        ev.items[1].target_date = None;
        assert_eq!(answer_views(&ev.items, Lang::Ja)[1].target_date, "");
    }
}
