//! The accounts: the failing, unverified, passing and skipped tables of the reports, the workbook's
//! one table of every account and the CSV's rows per finding, all made of the same columns.

use super::{baseline, codes, findings, Block, Cell, Lang, Style, Table, FIRST_ROWS, TABLE_ROWS};
use crate::model::evidence::{
    AccountEvidence, AccountStatus, BreachStatus, EditionRules, Evidence,
};
use crate::model::{Code, Severity, SkipReason};
use crate::words::{self, Labels};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

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
    accounts_table(
        ev,
        lang,
        ev.accounts.iter(),
        &with_baseline(ev, lang, &cols),
    )
}

/// `cols`, and the baseline state last when the audit was compared with an earlier one.
fn with_baseline(
    ev: &Evidence,
    lang: Lang,
    cols: &[(&'static str, Col)],
) -> Vec<(&'static str, Col)> {
    let mut cols = cols.to_vec();
    if ev.baseline.is_some() {
        cols.push((words::baseline_labels(lang).col_state, Col::Baseline));
    }
    cols
}

/// One row per (account, finding) in stable names, language-neutral like the JSON: the rows of
/// evidence.csv. An account without findings has one row with empty code, severity and detail.
pub(crate) fn finding_table<'a>(ev: &'a Evidence) -> Table<'a> {
    let budget = ev.recovery.salted_budget;
    let states = baseline::states(ev);
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
        let states = &states;
        let row = move |code: &'static str, severity: &'static str, detail: &'a str| {
            let state = match &states {
                Some(s) if !code.is_empty() => s.account(&a.system, &a.account, code).as_str(),
                _ => "",
            };
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
                Cell::text(state),
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
    Table::new(&FINDING_COLUMNS, rows.chain(resolved_rows(ev)))
}

/// The findings `--baseline` had that are gone, as rows of [`finding_table`] in state `resolved`:
/// an account's with its system, account and code; a policy's with its system and code; a reuse
/// group's with its id then and its members (`system/account`, space-separated) as the detail.
fn resolved_rows(ev: &Evidence) -> impl Iterator<Item = Vec<Cell<'_>>> {
    let resolved = ev.baseline.iter().flat_map(|b| &b.resolved);
    resolved.map(|e| {
        let members = e
            .members
            .iter()
            .map(|m| format!("{}/{}", m.system, m.account))
            .collect::<Vec<_>>()
            .join(" ");
        let mut row = vec![Cell::text(""); FINDING_COLUMNS.len()];
        row[0] = Cell::text(e.system.as_deref().unwrap_or_default());
        row[1] = Cell::text(e.account.as_deref().unwrap_or_default());
        row[6] = Cell::text(e.code.as_deref().unwrap_or_default());
        row[7] = Cell::text(e.severity.as_str());
        row[8] = Cell::text(members);
        row[10] = Cell::text(e.group.as_deref().unwrap_or_default());
        row[12] = Cell::text(crate::baseline::State::Resolved.as_str());
        row
    })
}

/// The columns of [`finding_table`]. `salted_skipped` (added later): why nothing was verified
/// against the account's salted hash. `baseline` (last, added later): `new`, `unchanged` or
/// `resolved` against `--baseline`, empty without one (and on a row without a finding).
/// Columns are only ever appended, so scripts that read them by position keep working.
pub(crate) const FINDING_COLUMNS: [&str; 13] = [
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
    "baseline",
];

pub(super) fn failing<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
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
    let section = Section {
        heading: t.h_failing,
        note: Some(t.failing_note),
        when_none: Some(t.none),
    };
    status_section(ev, lang, AccountStatus::Fail, section, &cols, out);
}

pub(super) fn unverified<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
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
    let section = Section {
        heading: t.h_unverified,
        note: Some(t.unverified_note),
        when_none: Some(t.none),
    };
    status_section(ev, lang, AccountStatus::Unverified, section, &cols, out);
}

pub(super) fn passing<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
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
    let section = Section {
        heading: t.h_passing,
        note: None,
        // No passing account: the section is left out.
        when_none: None,
    };
    status_section(ev, lang, AccountStatus::Pass, section, &cols, out);
}

/// The words around one status's table of accounts.
struct Section {
    heading: &'static str,
    /// A paragraph above the table.
    note: Option<&'static str>,
    /// What the section says when no account has the status (`None`: the section is left out).
    when_none: Option<&'static str>,
}

/// The accounts of one status as a section: heading, note and table, with the columns `cols`.
fn status_section<'a>(
    ev: &'a Evidence,
    lang: Lang,
    status: AccountStatus,
    s: Section,
    cols: &[(&'static str, Col)],
    out: &mut Vec<Block<'a>>,
) {
    let empty = with_status(ev, status).next().is_none();
    if empty && s.when_none.is_none() {
        return;
    }
    out.push(Block::Heading(s.heading.to_string()));
    if empty {
        out.extend(s.when_none.map(|w| Block::Para(w.to_string())));
        return;
    }
    out.extend(s.note.map(|n| Block::Para(n.to_string())));
    let cols = with_baseline(ev, lang, cols);
    let n = with_status(ev, status).count();
    if n <= TABLE_ROWS {
        let rows = with_status(ev, status);
        out.push(Block::Table(accounts_table(ev, lang, rows, &cols)));
        return;
    }
    // Too long to read or print: counts per system, and for the failing accounts the first rows
    // by system and account; every account is in the workbook, the CSV and the JSON.
    if status != AccountStatus::Fail {
        out.push(Block::Para(words::accounts_counted(lang, n)));
        out.push(Block::Table(counts_table(
            lang,
            with_status(ev, status),
            |_| None,
        )));
        out.push(Block::Para(words::accounts_listed_elsewhere(lang, n)));
        return;
    }
    out.push(Block::Para(words::failing_counted(lang, n)));
    let by_code = |a: &AccountEvidence| -> Option<Vec<&'static str>> {
        let codes: BTreeSet<Code> = a
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Fail)
            .map(|f| f.code)
            .collect();
        Some(
            codes
                .into_iter()
                .map(|c| words::code_short(lang, c))
                .collect(),
        )
    };
    out.push(Block::Table(counts_table(
        lang,
        with_status(ev, status),
        by_code,
    )));
    let mut first: Vec<&AccountEvidence> = with_status(ev, status).collect();
    first.sort_by(|a, b| (&*a.system, &a.account).cmp(&(&*b.system, &b.account)));
    first.truncate(FIRST_ROWS);
    out.push(Block::Details(
        words::first_rows(lang, FIRST_ROWS),
        accounts_table(ev, lang, first.into_iter(), &cols),
    ));
    out.push(Block::Para(words::rows_left_out(lang, n - FIRST_ROWS)));
}

/// How many of `accounts` each system has, in all and (when `kinds` names the kinds an account
/// falls under, such as its finding codes) per kind: one row per system in id order, one column
/// per kind, the most frequent first. Marked as failures when the accounts fail.
fn counts_table<'a, 'e>(
    lang: Lang,
    accounts: impl Iterator<Item = &'e AccountEvidence>,
    kinds: impl Fn(&AccountEvidence) -> Option<Vec<&'static str>>,
) -> Table<'a> {
    let p = words::print_labels(lang);
    let mut total: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per: BTreeMap<(&str, &'static str), usize> = BTreeMap::new();
    let mut per_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut fail = false;
    for a in accounts {
        fail |= a.status == AccountStatus::Fail;
        *total.entry(&*a.system).or_default() += 1;
        for k in kinds(a).unwrap_or_default() {
            *per_kind.entry(k).or_default() += 1;
            *per.entry((&*a.system, k)).or_default() += 1;
        }
    }
    let mut order: Vec<(&'static str, usize)> = per_kind.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kinds: Vec<&'static str> = order.into_iter().map(|(k, _)| k).collect();
    let head: Vec<&'static str> = [p.col_system, p.col_total]
        .into_iter()
        .chain(kinds.iter().copied())
        .collect();
    let style = if fail { Style::Fail } else { Style::Warn };
    let rows: Vec<Vec<Cell<'a>>> = total
        .iter()
        .map(|(system, n)| {
            let mut row = vec![Cell::text(system.to_string()), Cell::number(*n)];
            for k in &kinds {
                let c = per.get(&(*system, *k)).copied().unwrap_or(0);
                row.push(super::count_cell(c, style));
            }
            row
        })
        .collect();
    Table::new(&head, rows.into_iter())
}

/// A password-history entry (a domain dumped with -history has twenty a person): counted per
/// system in the human reports; every one is still in evidence.json and evidence.csv.
fn is_history(a: &AccountEvidence) -> bool {
    a.skip_reason == Some(SkipReason::History)
}

pub(super) fn skipped<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
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
    let n = listed().count();
    if n <= TABLE_ROWS {
        out.push(Block::Table(accounts_table(ev, lang, listed(), &cols)));
        return;
    }
    out.push(Block::Para(words::accounts_counted(lang, n)));
    let reason = |a: &AccountEvidence| {
        Some(
            a.skip_reason
                .map(|r| words::skip_reason(lang, r))
                .into_iter()
                .collect(),
        )
    };
    out.push(Block::Table(counts_table(lang, listed(), reason)));
    out.push(Block::Para(words::accounts_listed_elsewhere(lang, n)));
}

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
    /// How the findings stand against `--baseline` (新規 / 継続).
    Baseline,
}

/// A table of `accounts` with the columns `cols` (head, column), made a row at a time.
fn accounts_table<'a>(
    ev: &Evidence,
    lang: Lang,
    accounts: impl Iterator<Item = &'a AccountEvidence> + 'a,
    cols: &[(&'static str, Col)],
) -> Table<'a> {
    let budget = ev.recovery.salted_budget;
    let rules = ev.edition_rules.clone();
    let head: Vec<&'static str> = cols.iter().map(|(h, _)| *h).collect();
    let cols: Vec<Col> = cols.iter().map(|(_, c)| *c).collect();
    let states = baseline::states(ev).unwrap_or_default();
    let rows = accounts.map(move |a| {
        cols.iter()
            .map(|c| match c {
                Col::Baseline => baseline::account_state(&states, a, lang),
                c => account_cell(a, *c, lang, budget, rules.as_ref()),
            })
            .collect()
    });
    Table::new(&head, rows)
}

/// The cell of account `a` in column `col`.
fn account_cell<'a>(
    a: &'a AccountEvidence,
    col: Col,
    lang: Lang,
    budget: u64,
    rules: Option<&EditionRules>,
) -> Cell<'a> {
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
                .map(|p| words::pass_path_in(lang, p, rules))
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
        // Made by the table, which holds the comparison.
        Col::Baseline => Cell::text(""),
    }
}

/// The accounts with `status`, in evidence order.
pub(super) fn with_status(
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
