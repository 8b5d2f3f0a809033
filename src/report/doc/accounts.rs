//! The accounts: the failing, unverified, passing and skipped tables of the reports, the workbook's
//! one table of every account and the CSV's rows per finding, all made of the same columns.

use super::{baseline, codes, findings, Block, Cell, Lang, Style, Table, FIRST_ROWS, TABLE_ROWS};
use crate::model::evidence::{
    AccountEvidence, AccountStatus, BreachStatus, EditionRules, Evidence,
};
use crate::model::tags::ReuseScope;
use crate::model::{Code, Finding, Severity, SkipReason};
use crate::rules;
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

/// One row per finding in stable names, like the JSON: the rows of evidence.csv. First the
/// accounts, one row per (account, finding) (an account without findings has one row with empty
/// code, severity and detail); then the policies, one row per policy finding; then the reuse
/// groups, one row per group (its members are already rows of their own, each with its `REUSED_*`
/// finding: the group row is the group itself, its systems, vendors and members); then, with a
/// baseline, the findings resolved since. The `detail` follows `lang` ([`detail_of`]); codes,
/// states and ids never do.
pub(crate) fn finding_table<'a>(ev: &'a Evidence, lang: Lang) -> Table<'a> {
    let budget = ev.recovery.salted_budget;
    let states = std::rc::Rc::new(baseline::states(ev));
    let places = std::rc::Rc::new(Places::of(ev));
    let (s1, p1) = (states.clone(), places.clone());
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
        let (states, places) = (&s1, &p1);
        let row = move |f: Option<&'a Finding>| {
            let code = f.map_or("", |f| f.code.as_str());
            let state = match &**states {
                Some(s) if !code.is_empty() => s.account(&a.system, &a.account, code).as_str(),
                _ => "",
            };
            let mut row = Vec::with_capacity(FINDING_COLUMNS.len());
            row.extend([
                Cell::text(&*a.system),
                Cell::text(a.account.as_str()),
                Cell::text(a.source.as_str()),
                Cell::text(a.scheme.as_str()),
                Cell::text(a.status.as_str()),
                Cell::text(a.path.map(|p| p.as_str()).unwrap_or_default()),
                Cell::text(code),
                Cell::text(f.map_or("", |f| f.severity.as_str())),
                Cell::text(f.map_or(Cow::Borrowed(""), |f| detail_of(lang, f))),
                Cell::text(breach.clone()),
                Cell::text(a.reuse_group.as_deref().unwrap_or_default()),
                Cell::text(salted_skipped.clone()),
                Cell::text(state),
            ]);
            let id = f.map(|_| format!("{}/{}/{code}", a.system, a.account));
            row.extend(places.tail("account", &a.system, f.map(|f| (f.code, f.severity)), id));
            row
        };
        let rows: Vec<Vec<Cell<'a>>> = if a.findings.is_empty() {
            vec![row(None)]
        } else {
            a.findings.iter().map(|f| row(Some(f))).collect()
        };
        rows
    });
    let rows = rows
        .chain(policy_rows(ev, lang, states.clone(), places.clone()))
        .chain(reuse_rows(ev, states, places.clone()))
        .chain(resolved_rows(ev, places));
    Table::new(&FINDING_COLUMNS, rows)
}

/// The `detail` of a finding in the report's language (the English of the evidence for `en`, or
/// for a finding read back from an older evidence.json).
fn detail_of<'a>(lang: Lang, f: &'a Finding) -> Cow<'a, str> {
    words::detail(lang, f)
}

/// One row per policy finding: the system, the sources as the `source` (`; `-separated), the
/// policy's verdict and pass path, the finding.
fn policy_rows<'a>(
    ev: &'a Evidence,
    lang: Lang,
    states: std::rc::Rc<Option<crate::baseline::States>>,
    places: std::rc::Rc<Places<'a>>,
) -> impl Iterator<Item = Vec<Cell<'a>>> + 'a {
    ev.policies.iter().flat_map(move |p| {
        let (states, places) = (states.clone(), places.clone());
        p.findings.iter().map(move |f| {
            let code = f.code.as_str();
            let state = match &*states {
                Some(s) => s.policy(&p.system, code).as_str(),
                None => "",
            };
            let mut row = vec![Cell::text(""); BASE_COLUMNS];
            row[0] = Cell::text(p.system.as_str());
            row[2] = Cell::text(p.sources.join("; "));
            row[4] = Cell::text(p.status.as_str());
            row[5] = Cell::text(p.path.map(|p| p.as_str()).unwrap_or_default());
            row[6] = Cell::text(code);
            row[7] = Cell::text(f.severity.as_str());
            row[8] = Cell::text(detail_of(lang, f));
            row[12] = Cell::text(state);
            let id = format!("{}/policy/{code}", p.system);
            row.extend(places.tail("policy", &p.system, Some((f.code, f.severity)), Some(id)));
            row
        })
    })
}

/// One row per reuse group: its systems (space-separated) as the `system`, its members
/// (`system/account`, space-separated) as the `detail`, its id as the `reuse_group`. Its id is
/// `reuse/` and its first member (`system/account`, the least in order): stable while that member
/// stays in the group, unlike the group's number.
fn reuse_rows<'a>(
    ev: &'a Evidence,
    states: std::rc::Rc<Option<crate::baseline::States>>,
    places: std::rc::Rc<Places<'a>>,
) -> impl Iterator<Item = Vec<Cell<'a>>> + 'a {
    ev.reuse_groups.iter().map(move |g| {
        let code = match g.scope {
            ReuseScope::CrossSystem => Code::ReusedAcrossSystems,
            ReuseScope::SameSystem => Code::ReusedWithinSystem,
        };
        let state = match &*states {
            Some(s) => s
                .reuse(
                    g.members
                        .iter()
                        .map(|m| (m.system.as_str(), m.account.as_str())),
                )
                .as_str(),
            None => "",
        };
        let members = g
            .members
            .iter()
            .map(|m| format!("{}/{}", m.system, m.account))
            .collect::<Vec<_>>();
        let first = g
            .members
            .iter()
            .map(|m| (m.system.as_str(), m.account.as_str()))
            .min();
        let mut row = vec![Cell::text(""); BASE_COLUMNS];
        row[0] = Cell::text(g.systems.join(" "));
        row[6] = Cell::text(code.as_str());
        row[7] = Cell::text(g.severity.as_str());
        row[8] = Cell::text(members.join(" "));
        row[10] = Cell::text(g.id.as_str());
        row[12] = Cell::text(state);
        let id = first.map(|(s, a)| format!("reuse/{s}/{a}"));
        row.extend(places.tail_of(
            "reuse",
            g.systems.iter().map(String::as_str),
            Some((code, g.severity)),
            id,
        ));
        row
    })
}

/// The findings `--baseline` had that are gone, as rows of [`finding_table`] in state `resolved`:
/// an account's with its system, account and code; a policy's with its system and code; a reuse
/// group's with its id then and its members (`system/account`, space-separated) as the detail.
/// Their id is the one the finding had ([`finding_table`]); nothing is due.
fn resolved_rows<'a>(
    ev: &'a Evidence,
    places: std::rc::Rc<Places<'a>>,
) -> impl Iterator<Item = Vec<Cell<'a>>> + 'a {
    let resolved = ev.baseline.iter().flat_map(|b| &b.resolved);
    resolved.map(move |e| {
        let members = e
            .members
            .iter()
            .map(|m| format!("{}/{}", m.system, m.account))
            .collect::<Vec<_>>()
            .join(" ");
        let mut row = vec![Cell::text(""); BASE_COLUMNS];
        row[0] = Cell::text(e.system.as_deref().unwrap_or_default());
        row[1] = Cell::text(e.account.as_deref().unwrap_or_default());
        row[6] = Cell::text(e.code.as_deref().unwrap_or_default());
        row[7] = Cell::text(e.severity.as_str());
        row[8] = Cell::text(members);
        row[10] = Cell::text(e.group.as_deref().unwrap_or_default());
        row[12] = Cell::text(crate::baseline::State::Resolved.as_str());
        let code = e
            .code
            .as_deref()
            .and_then(|c| Code::ALL.iter().copied().find(|k| k.as_str() == c));
        let system = e.system.as_deref().unwrap_or_default();
        let (item, id) = match (e.kind.as_str(), e.members.first()) {
            ("reuse", Some(m)) => (Some("2-8"), format!("reuse/{}/{}", m.system, m.account)),
            ("policy", _) => (
                code.and_then(rules::item::checklist_item),
                format!("{system}/policy/{}", e.code.as_deref().unwrap_or_default()),
            ),
            _ => (
                code.and_then(rules::item::checklist_item),
                format!(
                    "{system}/{}/{}",
                    e.account.as_deref().unwrap_or_default(),
                    e.code.as_deref().unwrap_or_default()
                ),
            ),
        };
        let systems: Vec<&str> = match e.kind.as_str() {
            "reuse" => {
                let set: BTreeSet<&str> = e.members.iter().map(|m| m.system.as_str()).collect();
                set.into_iter().collect()
            }
            _ => vec![system],
        };
        if e.kind == "reuse" {
            row[0] = Cell::text(systems.join(" "));
        }
        let mut tail = places.tail_of("resolved", systems.iter().copied(), None, Some(id));
        tail[3] = Cell::text(item.unwrap_or_default());
        row.extend(tail);
        row
    })
}

/// What the trailing columns of [`finding_table`] need: each system's display name and vendor,
/// and the 目標日 of each item.
struct Places<'a> {
    systems: BTreeMap<&'a str, &'a crate::model::evidence::SystemSummary>,
    ev: &'a Evidence,
}

impl<'a> Places<'a> {
    fn of(ev: &'a Evidence) -> Places<'a> {
        Places {
            systems: ev.systems.iter().map(|s| (s.id.as_str(), s)).collect(),
            ev,
        }
    }

    /// The trailing columns of a row on one system, as [`Self::tail_of`] makes them but borrowed
    /// from the evidence (a row per account and finding: a million rows must not allocate each).
    fn tail(
        &self,
        kind: &'static str,
        system: &str,
        finding: Option<(Code, Severity)>,
        id: Option<String>,
    ) -> [Cell<'a>; 6] {
        let s = self.systems.get(system).copied();
        let (item, due) = self.item_and_due(finding, s);
        [
            Cell::text(kind),
            Cell::text(s.and_then(|s| s.name.as_deref()).unwrap_or_default()),
            Cell::text(s.and_then(|s| s.vendor.as_deref()).unwrap_or_default()),
            Cell::text(item.unwrap_or_default()),
            Cell::text(id.unwrap_or_default()),
            Cell::text(due),
        ]
    }

    /// The checklist item of a finding's code, and its due date on `system` when it fails.
    fn item_and_due(
        &self,
        finding: Option<(Code, Severity)>,
        system: Option<&'a crate::model::evidence::SystemSummary>,
    ) -> (Option<&'static str>, &'a str) {
        let item = finding.and_then(|(c, _)| rules::item::checklist_item(c));
        let due = match (finding, item) {
            (Some((_, Severity::Fail)), Some(item)) => due_date(self.ev, system, item),
            _ => "",
        };
        (item, due)
    }

    /// The trailing columns (`kind`, `system_name`, `vendor`, `item`, `finding_id`, `due_date`) of
    /// a row on `systems`: their names and distinct vendors, `; `-separated; the item of the
    /// finding's code; its due date when it fails.
    fn tail_of<'s>(
        &self,
        kind: &'static str,
        systems: impl Iterator<Item = &'s str>,
        finding: Option<(Code, Severity)>,
        id: Option<String>,
    ) -> Vec<Cell<'a>> {
        let mut names = Vec::new();
        let mut vendors: Vec<&str> = Vec::new();
        let mut first = None;
        for id in systems {
            first.get_or_insert_with(|| id.to_string());
            let Some(s) = self.systems.get(id) else {
                continue;
            };
            if let Some(n) = s.name.as_deref() {
                names.push(n);
            }
            if let Some(v) = s.vendor.as_deref() {
                if !vendors.contains(&v) {
                    vendors.push(v);
                }
            }
        }
        let first = first
            .as_deref()
            .and_then(|id| self.systems.get(id).copied());
        let (item, due) = self.item_and_due(finding, first);
        vec![
            Cell::text(kind),
            Cell::text(names.join("; ")),
            Cell::text(vendors.join("; ")),
            Cell::text(item.unwrap_or_default()),
            Cell::text(id.unwrap_or_default()),
            Cell::text(due),
        ]
    }
}

/// The date a failing finding of `item` on `system` is due: the system's 目標日 (its own, else the
/// facility's), or for evidence without one per system, the 目標日 of the item.
fn due_date<'a>(
    ev: &'a Evidence,
    system: Option<&'a crate::model::evidence::SystemSummary>,
    item: &str,
) -> &'a str {
    system
        .and_then(|s| s.target_date.as_deref())
        .or_else(|| {
            ev.items
                .iter()
                .find(|it| it.item == item)
                .and_then(|it| it.target_date.as_deref())
        })
        .unwrap_or_default()
}

/// The columns of [`finding_table`] before those added with policy and reuse rows.
const BASE_COLUMNS: usize = 13;

/// The columns of [`finding_table`]. `salted_skipped` (added later): why nothing was verified
/// against the account's salted hash. `baseline` (added later): `new`, `unchanged` or
/// `resolved` against `--baseline`, empty without one (and on a row without a finding). Added
/// with the policy and reuse rows: `kind` (`account`, `policy`, `reuse`, `resolved`),
/// `system_name` and `vendor` (from the manifest; `; `-separated on a reuse row), `item` (`2-7` or
/// `2-8`, empty for advisories and rows without a finding), `finding_id` (`system/account/CODE`,
/// `system/policy/CODE`, `reuse/system/account` after the group's first member: the same on every
/// run of the same inputs) and `due_date` (the 目標日 of a failing finding, else empty).
/// Columns are only ever appended, so scripts that read them by position keep working.
pub(crate) const FINDING_COLUMNS: [&str; 19] = [
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
    "kind",
    "system_name",
    "vendor",
    "item",
    "finding_id",
    "due_date",
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
