//! The remediation worklist (是正計画): one row per account and action, per reuse group and per
//! policy finding, saying what to do, for which system and vendor, and by when. Built once from
//! the evidence and rendered in md/html, the workbook (sheet 是正計画) and `worklist.csv`.
//!
//! Findings of one account that call for the same action share a row (too short, not mixed and
//! guessable are one password change); reuse findings are not repeated on the account rows, the
//! group has its own. Rows are ordered privileged accounts first, then reuse across systems, then
//! the other failures, then warnings; inside by system, then account.

use super::table::{both, sheet};
use super::{baseline, Block, Cell, Lang, Medium, Style, Table};
use crate::baseline::{State, States};
use crate::model::evidence::{Evidence, PassPath, ReuseScope, SystemSummary};
use crate::model::{Code, ManagedBy, Severity};
use crate::rules::edition::{self, Class, Edition};
use crate::words::{self, Bar, WorkAction, WorklistLabels};
use std::collections::BTreeMap;

/// Where a row stands in the list (the first sort key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    Privileged,
    CrossSystem,
    Failure,
    Warning,
}

/// What a row is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Subject {
    Account(String),
    /// A reuse group: its id and how many accounts it has.
    Group(String, usize),
    Policy,
}

/// One row of the worklist, before words.
#[derive(Debug, Clone)]
pub(crate) struct WorkRow {
    pub tier: Tier,
    /// The system ids (several for a cross-system reuse group).
    pub systems: Vec<String>,
    pub subject: Subject,
    pub privileged: bool,
    pub severity: Severity,
    pub codes: Vec<Code>,
    pub action: WorkAction,
    /// Every system of the row has two-factor authentication (the shorter length is enough).
    pub mfa: bool,
    /// The earliest target date of the row's systems.
    pub target_date: String,
    /// Against `--baseline`: each finding's state with its code (empty without one).
    pub states: Vec<(State, Code)>,
}

impl WorkRow {
    /// New when any of its findings is new (what needs attention), else unchanged.
    pub fn state(&self) -> Option<State> {
        if self.states.is_empty() {
            None
        } else if self.states.iter().any(|(s, _)| *s == State::New) {
            Some(State::New)
        } else {
            Some(State::Unchanged)
        }
    }
}

/// The thresholds the actions quote, from the edition in force: the numbers the evidence records
/// for its passing paths (a user's edition file included), or for evidence written before they
/// were recorded, those of the built-in edition of that id.
pub(crate) fn bar(ev: &Evidence) -> Bar {
    let ed = Edition::builtin(&ev.edition)
        .or_else(|| Edition::builtin(edition::DEFAULT))
        .expect("the default edition is built in");
    let p = &ed.password;
    let mut bar = Bar {
        long_min: p.long.min_length,
        mfa_min: p.mfa.min_length,
        symbols: p.long.classes.contains(&Class::Symbol),
        rotation_days: p.rotation.path.then_some(p.rotation.max_age_days),
        rotation_min: p.rotation.min_length,
    };
    let recorded = ev.edition_rules.as_ref().map_or(&[][..], |r| &r.paths[..]);
    if !recorded.iter().any(|x| x.min_length.is_some()) {
        return bar;
    }
    for x in recorded {
        match (x.path, x.min_length) {
            (PassPath::Len13, Some(n)) => {
                bar.long_min = n;
                bar.symbols = x.classes.iter().any(|c| c == Class::Symbol.as_str());
            }
            (PassPath::Len8Mfa, Some(n)) => bar.mfa_min = n,
            (PassPath::Len8Rotation, Some(n)) => {
                bar.rotation_min = n;
                bar.rotation_days = x.max_age_days;
            }
            _ => {}
        }
    }
    bar
}

/// What to do about an account finding, or `None` for reuse (the group's row says it) and
/// notes.
fn account_action(code: Code, rotation_path: bool) -> Option<WorkAction> {
    Some(match code {
        Code::EmptyPassword
        | Code::TooShort
        | Code::NotMixed
        | Code::Guessable
        | Code::NonAscii => WorkAction::ChangeStrong,
        Code::NoRotation | Code::RotationTooLong if rotation_path => WorkAction::ChangeOrRotate,
        Code::NoRotation | Code::RotationTooLong => WorkAction::ChangeStrong,
        Code::DefaultPassword => WorkAction::ChangeDefault,
        Code::Breached => WorkAction::ChangeBreached,
        Code::PredictableRotation => WorkAction::ChangeNotDerived,
        Code::PasswordAgeExceedsPolicy => WorkAction::ChangeExpired,
        Code::LmHashStored => WorkAction::DisableLm,
        Code::WeakHashScheme | Code::PlaintextStored => WorkAction::Rehash,
        Code::ReusedAcrossSystems | Code::ReusedWithinSystem => return None,
        _ => WorkAction::Review,
    })
}

fn policy_action(code: Code) -> WorkAction {
    match code {
        Code::PolicyMinLength => WorkAction::PolicyMinLength,
        Code::PolicyComposition => WorkAction::PolicyComposition,
        Code::PolicyRotationTooLong | Code::PolicyNoRotation => WorkAction::PolicyMaxAge,
        Code::PolicyMaxLengthLt64 => WorkAction::PolicyMaxLength,
        Code::PolicyNoLockout => WorkAction::PolicyLockout,
        _ => WorkAction::Review,
    }
}

/// The worklist's rows, in order.
pub(crate) fn worklist_rows(ev: &Evidence) -> Vec<WorkRow> {
    let bar = bar(ev);
    let systems: BTreeMap<&str, &SystemSummary> =
        ev.systems.iter().map(|s| (s.id.as_str(), s)).collect();
    // The facility's date, for evidence whose systems do not carry one.
    let facility_date = ev
        .items
        .iter()
        .find_map(|i| i.target_date.clone())
        .unwrap_or_default();
    let date_of = |id: &str| {
        systems
            .get(id)
            .and_then(|s| s.target_date.clone())
            .unwrap_or_else(|| facility_date.clone())
    };
    let mfa_of = |id: &str| systems.get(id).is_some_and(|s| s.mfa);
    let states = baseline::states(ev);
    let mut rows = Vec::new();

    for a in &ev.accounts {
        // One row per action, its findings in the evidence's order.
        let mut by_action: BTreeMap<WorkAction, Vec<(Code, Severity)>> = BTreeMap::new();
        for f in &a.findings {
            if f.severity == Severity::Info {
                continue;
            }
            if let Some(act) = account_action(f.code, bar.rotation_days.is_some()) {
                by_action.entry(act).or_default().push((f.code, f.severity));
            }
        }
        merge_rotation(&mut by_action, a.length.unwrap_or(0), &bar);
        for (action, found) in by_action {
            let severity = worst(found.iter().map(|(_, s)| *s));
            let tier = match (a.privileged, severity) {
                (true, _) => Tier::Privileged,
                (false, Severity::Fail) => Tier::Failure,
                _ => Tier::Warning,
            };
            let codes: Vec<Code> = found.iter().map(|(c, _)| *c).collect();
            let st = states.as_ref().map_or_else(Vec::new, |s: &States| {
                codes
                    .iter()
                    .map(|c| (s.account(&a.system, &a.account, c.as_str()), *c))
                    .collect()
            });
            rows.push(WorkRow {
                tier,
                systems: vec![a.system.to_string()],
                subject: Subject::Account(a.account.clone()),
                privileged: a.privileged,
                severity,
                codes,
                action,
                mfa: mfa_of(&a.system),
                target_date: date_of(&a.system),
                states: st,
            });
        }
    }

    let privileged: std::collections::BTreeSet<(&str, &str)> = ev
        .accounts
        .iter()
        .filter(|a| a.privileged)
        .map(|a| (&*a.system, a.account.as_str()))
        .collect();
    for g in &ev.reuse_groups {
        if g.severity == Severity::Info {
            continue;
        }
        let (code, action) = match g.scope {
            ReuseScope::CrossSystem => (Code::ReusedAcrossSystems, WorkAction::UniquePerSystem),
            ReuseScope::SameSystem => (Code::ReusedWithinSystem, WorkAction::UniquePerAccount),
        };
        let tier = match (g.scope, g.severity) {
            (ReuseScope::CrossSystem, _) => Tier::CrossSystem,
            (_, Severity::Fail) => Tier::Failure,
            _ => Tier::Warning,
        };
        let mut codes = vec![code];
        if g.default_password {
            codes.push(Code::DefaultPassword);
        }
        let st = states.as_ref().map_or_else(Vec::new, |s| {
            let members = g
                .members
                .iter()
                .map(|m| (m.system.as_str(), m.account.as_str()));
            vec![(s.reuse(members), code)]
        });
        let target_date = g
            .systems
            .iter()
            .map(|s| date_of(s))
            .filter(|d| !d.is_empty())
            .min()
            .unwrap_or_default();
        rows.push(WorkRow {
            tier,
            systems: g.systems.clone(),
            // Every account sharing the password, those a vendor's bundle leaves out included.
            subject: Subject::Group(g.id.clone(), g.members.len() + g.outside_members),
            privileged: g
                .members
                .iter()
                .any(|m| privileged.contains(&(m.system.as_str(), m.account.as_str()))),
            severity: g.severity,
            codes,
            action,
            mfa: !g.systems.is_empty() && g.systems.iter().all(|s| mfa_of(s)),
            target_date,
            states: st,
        });
    }

    for p in &ev.policies {
        for f in p.findings.iter().filter(|f| f.severity != Severity::Info) {
            let st = states.as_ref().map_or_else(Vec::new, |s| {
                vec![(s.policy(&p.system, f.code.as_str()), f.code)]
            });
            rows.push(WorkRow {
                tier: if f.severity == Severity::Fail {
                    Tier::Failure
                } else {
                    Tier::Warning
                },
                systems: vec![p.system.clone()],
                subject: Subject::Policy,
                privileged: false,
                severity: f.severity,
                codes: vec![f.code],
                action: policy_action(f.code),
                mfa: mfa_of(&p.system),
                target_date: date_of(&p.system),
                states: st,
            });
        }
    }

    rows.sort_by(|a, b| {
        (a.tier, &a.systems, subject_key(&a.subject), a.action).cmp(&(
            b.tier,
            &b.systems,
            subject_key(&b.subject),
            b.action,
        ))
    });
    rows
}

/// A password too short that is also changed too seldom is one change, not two rows: the
/// rotation is a way out (R7) only when nothing else is wrong with it and it is long enough for
/// the periodic-change path; otherwise the row says to change it.
fn merge_rotation(
    by_action: &mut BTreeMap<WorkAction, Vec<(Code, Severity)>>,
    length: usize,
    bar: &Bar,
) {
    let Some(strong) = by_action.get(&WorkAction::ChangeStrong) else {
        return;
    };
    let only_length = strong
        .iter()
        .all(|(c, s)| *c == Code::TooShort || *s != Severity::Fail);
    let Some(rotate) = by_action.remove(&WorkAction::ChangeOrRotate) else {
        return;
    };
    if only_length && length >= bar.rotation_min {
        let mut found = by_action
            .remove(&WorkAction::ChangeStrong)
            .unwrap_or_default();
        found.extend(rotate);
        by_action.insert(WorkAction::ChangeOrRotate, found);
    } else if let Some(strong) = by_action.get_mut(&WorkAction::ChangeStrong) {
        strong.extend(rotate);
    }
}

/// Accounts by name, then groups, then the policy of the system.
fn subject_key(s: &Subject) -> (u8, &str) {
    match s {
        Subject::Account(a) => (0, a),
        Subject::Group(id, _) => (1, id),
        Subject::Policy => (2, ""),
    }
}

fn worst(s: impl Iterator<Item = Severity>) -> Severity {
    let mut out = Severity::Info;
    for s in s {
        out = match (out, s) {
            (Severity::Fail, _) | (_, Severity::Fail) => Severity::Fail,
            (Severity::Warn, _) | (_, Severity::Warn) => Severity::Warn,
            _ => Severity::Info,
        };
    }
    out
}

/// A row's words, as every format prints them.
pub(crate) struct RowWords {
    pub system: String,
    pub names: String,
    pub vendor: String,
    pub account: String,
    pub findings: Vec<&'static str>,
    pub action: String,
}

pub(crate) fn row_words(ev: &Evidence, r: &WorkRow, lang: Lang, bar: &Bar) -> RowWords {
    let t = words::labels(lang);
    let w = words::worklist_labels(lang);
    let found: Vec<&SystemSummary> = r
        .systems
        .iter()
        .filter_map(|id| ev.systems.iter().find(|s| &s.id == id))
        .collect();
    // In the order of the systems, each once.
    let mut names: Vec<&str> = Vec::new();
    let mut vendors: Vec<&str> = Vec::new();
    for s in &found {
        if let Some(n) = s.name.as_deref().filter(|n| !names.contains(n)) {
            names.push(n);
        }
        let v = vendor(s, w);
        if !vendors.contains(&v) {
            vendors.push(v);
        }
    }
    RowWords {
        system: r.systems.join(t.list_sep),
        names: names.join(t.list_sep),
        vendor: vendors.join(t.list_sep),
        account: match &r.subject {
            Subject::Account(a) => a.clone(),
            Subject::Group(id, n) => words::worklist_group(lang, id, *n),
            Subject::Policy => w.policy.to_string(),
        },
        findings: r
            .codes
            .iter()
            .map(|c| words::code_short(lang, *c))
            .collect(),
        action: words::work_action(lang, r.action, bar, r.mfa),
    }
}

/// Who acts on a system: its vendor when a vendor manages it, else the facility.
fn vendor<'a>(s: &'a SystemSummary, w: &'static WorklistLabels) -> &'a str {
    match s.managed_by {
        ManagedBy::Vendor => s.vendor.as_deref().unwrap_or(w.vendor_unnamed),
        ManagedBy::Institution => w.facility,
    }
}

/// The worklist as a table: the reports show the words; the workbook adds the codes.
pub(crate) fn worklist_table(ev: &Evidence, lang: Lang, medium: Medium) -> Table<'_> {
    rows_table(ev, lang, medium, worklist_rows(ev))
}

/// The table of `rows` (made by [`worklist_rows`]), its length known to the renderers.
fn rows_table(ev: &Evidence, lang: Lang, medium: Medium, rows: Vec<WorkRow>) -> Table<'_> {
    let w = words::worklist_labels(lang);
    let with_state = ev.baseline.is_some();
    let bar = bar(ev);
    let total = rows.len();
    let cells = rows.into_iter().enumerate().map(move |(i, r)| {
        let words = row_words(ev, &r, lang, &bar);
        let severity = Cell::text(words::severity(lang, r.severity)).style(match r.severity {
            Severity::Fail => Style::Fail,
            _ => Style::Warn,
        });
        let mut row = vec![
            Cell::number(i + 1),
            Cell::text(words.system),
            Cell::text(words.names),
            Cell::text(words.vendor),
            Cell::text(words.account),
            Cell::text(if r.privileged { w.privileged } else { "" }),
            severity,
            Cell::lines(words.findings),
            Cell::text(words.action),
            Cell::text(r.target_date.clone()),
            Cell::text(
                r.codes
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Cell::text(r.action.code()),
        ];
        if with_state {
            row.push(baseline::state_of_findings(&r.states, lang));
        }
        row
    });
    let mut cols = vec![
        both(w.col_priority),
        both(w.col_system),
        both(w.col_system_name),
        both(w.col_vendor),
        both(w.col_account),
        both(w.col_privileged),
        both(w.col_severity),
        both(w.col_findings),
        both(w.col_action),
        both(w.col_target_date),
        sheet(w.col_finding_codes),
        sheet(w.col_action_code),
    ];
    if with_state {
        cols.push(both(words::baseline_labels(lang).col_state));
    }
    let mut table = Table::select(medium, &cols, cells);
    table.total = Some(total);
    table
}

/// The section of md and html: heading, note and table (or a line saying there is nothing to do).
pub(super) fn worklist<'a>(ev: &'a Evidence, lang: Lang, out: &mut Vec<Block<'a>>) {
    let w = words::worklist_labels(lang);
    out.push(Block::Heading(w.heading.to_string()));
    let rows = worklist_rows(ev);
    if rows.is_empty() {
        out.push(Block::Para(w.none.to_string()));
        return;
    }
    out.push(Block::Para(w.note.to_string()));
    let mut table = rows_table(ev, lang, Medium::Report, rows);
    table.more = words::worklist_rows_left_out;
    out.push(Block::Table(table));
}

/// The header of `worklist.csv`: stable English names, whatever the report language.
pub(crate) const CSV_COLUMNS: [&str; 13] = [
    "priority",
    "system",
    "system_name",
    "vendor",
    "account",
    "privileged",
    "severity",
    "finding_codes",
    "findings",
    "action_code",
    "action",
    "target_date",
    "baseline",
];

/// The records of `worklist.csv`: codes and flags stable, the words in `lang`.
pub(crate) fn csv_records(ev: &Evidence, lang: Lang) -> impl Iterator<Item = [String; 13]> + '_ {
    let bar = bar(ev);
    let t = words::labels(lang);
    worklist_rows(ev)
        .into_iter()
        .enumerate()
        .map(move |(i, r)| {
            let w = row_words(ev, &r, lang, &bar);
            [
                (i + 1).to_string(),
                w.system,
                w.names,
                w.vendor,
                w.account,
                r.privileged.to_string(),
                r.severity.as_str().to_string(),
                r.codes
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                w.findings.join(t.list_sep),
                r.action.code().to_string(),
                w.action,
                r.target_date.clone(),
                r.state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            ]
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Finding;
    use crate::report::fixture;

    fn actions(rows: &[WorkRow]) -> Vec<(Tier, String, &'static str)> {
        rows.iter()
            .map(|r| {
                let who = match &r.subject {
                    Subject::Account(a) => a.clone(),
                    Subject::Group(id, _) => id.clone(),
                    Subject::Policy => "policy".into(),
                };
                (
                    r.tier,
                    format!("{}/{who}", r.systems.join("+")),
                    r.action.code(),
                )
            })
            .collect()
    }

    #[test]
    fn the_actions_quote_the_numbers_the_evidence_records_for_its_edition() {
        // Evidence without recorded numbers: the built-in edition of its id.
        let mut ev = fixture::sample(true);
        ev.edition_rules = None;
        let b = bar(&ev);
        assert_eq!((b.long_min, b.mfa_min, b.rotation_days), (13, 8, Some(60)));
        assert!(b.symbols);
        // A user's edition file (here R8's numbers with a 15-character long path): its numbers.
        let mut rules = Edition::builtin("R8").unwrap().clone();
        rules.password.long.min_length = 15;
        ev.edition_rules = Some(rules.to_evidence());
        let b = bar(&ev);
        assert_eq!((b.long_min, b.rotation_days), (15, None));
        assert!(!b.symbols, "R8's long path asks letters and digits only");
        let w = words::work_action(Lang::Ja, WorkAction::ChangeStrong, &b, false);
        assert!(w.contains("15文字以上"), "{w}");
    }

    #[test]
    fn findings_sharing_an_action_share_a_row_and_reuse_has_the_groups_row() {
        let mut ev = fixture::sample(true);
        let y = ev
            .accounts
            .iter_mut()
            .find(|a| a.account == "yoshida" && &*a.system == "ad01")
            .unwrap();
        y.findings.push(Finding::fail(Code::Guessable, "wordlist"));
        let rows = worklist_rows(&ev);
        let yoshida: Vec<&WorkRow> = rows
            .iter()
            .filter(|r| r.subject == Subject::Account("yoshida".into()))
            .collect();
        // TOO_SHORT + NON_ASCII + GUESSABLE: one change; BREACHED its own; R1 not repeated.
        assert_eq!(yoshida.len(), 2, "{yoshida:?}");
        assert_eq!(
            yoshida[0].codes,
            [Code::TooShort, Code::NonAscii, Code::Guessable]
        );
        assert_eq!(yoshida[0].action, WorkAction::ChangeStrong);
        assert_eq!(yoshida[0].severity, Severity::Fail);
        assert_eq!(yoshida[1].codes, [Code::Breached]);
        assert!(rows.iter().all(|r| matches!(r.subject, Subject::Group(..))
            || !r.codes.contains(&Code::ReusedAcrossSystems)));
        // rt01/yoshida's only finding is the reuse: no row of its own.
        assert!(!rows
            .iter()
            .any(|r| r.systems == ["rt01"] && r.subject == Subject::Account("yoshida".into())));
        let group = rows
            .iter()
            .find(|r| r.subject == Subject::Group("R1".into(), 2))
            .unwrap();
        assert_eq!(group.systems, ["ad01", "rt01"]);
        assert_eq!(group.action, WorkAction::UniquePerSystem);
    }

    #[test]
    fn privileged_first_then_cross_system_then_failures_then_warnings() {
        let mut ev = fixture::sample(true);
        // A warning on a privileged account still comes first; rt01's admin is privileged.
        let admin = ev
            .accounts
            .iter_mut()
            .find(|a| a.account == "admin")
            .unwrap();
        admin.privileged = true;
        admin.findings = vec![Finding::warn(Code::WeakHashScheme, "md5crypt")];
        let suzuki = ev
            .accounts
            .iter_mut()
            .find(|a| a.account == "suzuki")
            .unwrap();
        suzuki.findings = vec![Finding::warn(Code::NonAscii, "1")];
        let rows = worklist_rows(&ev);
        let got = actions(&rows);
        assert_eq!(
            got[0],
            (
                Tier::Privileged,
                "rt01/admin".into(),
                "REHASH_STRONG_SCHEME"
            )
        );
        assert_eq!(
            got[1],
            (
                Tier::CrossSystem,
                "ad01+rt01/R1".into(),
                "UNIQUE_PASSWORD_PER_SYSTEM"
            )
        );
        assert_eq!(
            got.last().unwrap(),
            &(Tier::Warning, "ad01/suzuki".into(), "CHANGE_PASSWORD")
        );
        let tiers: Vec<Tier> = rows.iter().map(|r| r.tier).collect();
        assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{tiers:?}");
        // Failures by system, then account, the policy after the accounts of its system.
        let failures: Vec<&(Tier, String, &str)> =
            got.iter().filter(|g| g.0 == Tier::Failure).collect();
        let order: Vec<&str> = failures.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(
            order[..3],
            ["ad01/yoshida", "ad01/yoshida", "ad01/policy"],
            "{order:?}"
        );
        assert!(order.last().unwrap().starts_with("pc-01/"));
        // A group with a privileged member is flagged.
        assert!(!rows[1].privileged);
        ev.accounts
            .iter_mut()
            .find(|a| a.account == "yoshida" && &*a.system == "rt01")
            .unwrap()
            .privileged = true;
        assert!(worklist_rows(&ev)
            .iter()
            .any(|r| r.tier == Tier::CrossSystem && r.privileged));
    }

    #[test]
    fn due_dates_are_the_systems_own_and_a_group_takes_the_earliest() {
        let mut ev = fixture::sample(true);
        for s in &mut ev.systems {
            s.target_date = Some(
                if s.id == "rt01" {
                    "2026-12-31"
                } else {
                    "2027-03-31"
                }
                .into(),
            );
        }
        let rows = worklist_rows(&ev);
        for r in &rows {
            let want = if r.systems.contains(&"rt01".to_string()) {
                "2026-12-31"
            } else {
                "2027-03-31"
            };
            assert_eq!(r.target_date, want, "{r:?}");
        }
        // Evidence from before the field: the items' date.
        let mut old = fixture::sample(true);
        old.items[0].target_date = Some("2027-01-15".into());
        assert!(worklist_rows(&old)
            .iter()
            .all(|r| r.target_date == "2027-01-15"));
    }

    #[test]
    fn the_actions_follow_the_edition_in_force() {
        let mut ev = fixture::sample(true);
        let words = |ev: &Evidence| -> Vec<String> {
            let bar = bar(ev);
            worklist_rows(ev)
                .iter()
                .map(|r| row_words(ev, r, Lang::Ja, &bar).action)
                .collect()
        };
        let r7 = words(&ev);
        assert!(
            r7.contains(
                &"最長使用期間を60日以内に設定（または最小文字数を13以上に設定）".to_string()
            ),
            "{r7:?}"
        );
        ev.edition = "R8".into();
        ev.edition_rules = Some(Edition::builtin("R8").unwrap().to_evidence());
        let r8 = words(&ev);
        assert!(
            r8.iter()
                .all(|w| !w.contains("定期") && !w.contains("使用期間")),
            "{r8:?}"
        );
        assert!(
            r8.contains(&"最小文字数を13以上に設定".to_string()),
            "{r8:?}"
        );
        assert!(r8.iter().any(|w| w.contains("英字と数字")), "{r8:?}");
    }

    #[test]
    fn the_baseline_state_of_each_row() {
        let ev = super::super::baseline_tests::compared();
        let rows = worklist_rows(&ev);
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r.state().is_some()));
        assert!(worklist_rows(&fixture::sample(true))
            .iter()
            .all(|r| r.state().is_none()));
        let table = worklist_table(&ev, Lang::Ja, Medium::Report);
        assert_eq!(table.head.last(), Some(&"前回比"));
    }

    #[test]
    fn a_short_password_without_rotation_is_one_row() {
        let bar = Bar {
            long_min: 13,
            mfa_min: 8,
            symbols: true,
            rotation_days: Some(60),
            rotation_min: 8,
        };
        let merged = |codes: &[(Code, Severity)], length: usize| {
            let mut by: BTreeMap<WorkAction, Vec<(Code, Severity)>> = BTreeMap::new();
            for &(c, s) in codes {
                by.entry(account_action(c, true).unwrap())
                    .or_default()
                    .push((c, s));
            }
            merge_rotation(&mut by, length, &bar);
            by.into_iter()
                .map(|(a, f)| (a, f.into_iter().map(|(c, _)| c).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        let (f, w) = (Severity::Fail, Severity::Warn);
        // 10 characters, mixed, hard to guess, no rotation: 13+ or rotation.
        assert_eq!(
            merged(&[(Code::TooShort, f), (Code::NoRotation, f)], 10),
            [(
                WorkAction::ChangeOrRotate,
                vec![Code::TooShort, Code::NoRotation]
            )]
        );
        // Guessable too, or shorter than the rotation path: only a change helps.
        assert_eq!(
            merged(
                &[
                    (Code::TooShort, f),
                    (Code::Guessable, f),
                    (Code::NoRotation, f)
                ],
                10
            ),
            [(
                WorkAction::ChangeStrong,
                vec![Code::TooShort, Code::Guessable, Code::NoRotation]
            )]
        );
        assert_eq!(
            merged(&[(Code::TooShort, f), (Code::NoRotation, f)], 6)[0].0,
            WorkAction::ChangeStrong
        );
        // A warning does not stand in the way; rotation alone stays as it is.
        assert_eq!(
            merged(
                &[
                    (Code::TooShort, f),
                    (Code::NonAscii, w),
                    (Code::NoRotation, f)
                ],
                9
            )[0]
            .0,
            WorkAction::ChangeOrRotate
        );
        assert_eq!(
            merged(&[(Code::NoRotation, f)], 10),
            [(WorkAction::ChangeOrRotate, vec![Code::NoRotation])]
        );
    }
}
