//! The comparison with an earlier audit (`--baseline`): the section with its counts and the
//! findings resolved since (they are in no other table), and the state cell (新規 / 継続) the
//! finding tables add. Without a baseline nothing here shows, and no table changes.

use super::table::{both, sheet};
use super::{Block, Cell, Lang, Medium, Style, Table};
use crate::baseline::{State, States};
use crate::model::evidence::{AccountEvidence, BaselineEntry, Evidence};
use crate::model::{Code, Severity};
use crate::words::{self, Labels};

/// The states of the evidence's findings, when a baseline was given.
pub(super) fn states(ev: &Evidence) -> Option<States> {
    ev.baseline.as_ref().map(States::of)
}

/// A state, marked: new as a warning, resolved as good news.
pub(super) fn state_cell<'a>(lang: Lang, s: State) -> Cell<'a> {
    let c = Cell::text(words::baseline_state(lang, s));
    match s {
        State::New => c.style(Style::Warn),
        State::Resolved => c.style(Style::Yes),
        State::Unchanged => c,
    }
}

/// The state of an account's findings: one word when they all stand alike, else one line per
/// finding (`新規: 漏えい済み`). Empty for an account without findings.
pub(super) fn account_state<'a>(states: &States, a: &AccountEvidence, lang: Lang) -> Cell<'a> {
    let each: Vec<(State, Code)> = a
        .findings
        .iter()
        .map(|f| {
            (
                states.account(&a.system, &a.account, f.code.as_str()),
                f.code,
            )
        })
        .collect();
    state_of_findings(&each, lang)
}

/// The state of some findings (each with its code): one word when they all stand alike, else
/// one line per finding. Empty for none.
pub(super) fn state_of_findings<'a>(each: &[(State, Code)], lang: Lang) -> Cell<'a> {
    let Some((first, _)) = each.first() else {
        return Cell::text("");
    };
    if each.iter().all(|(s, _)| s == first) {
        return state_cell(lang, *first);
    }
    let lines = each.iter().map(|(s, f)| {
        format!(
            "{}: {}",
            words::baseline_state(lang, *s),
            words::code_short(lang, *f)
        )
    });
    let c = Cell::lines(lines);
    if each.iter().any(|(s, _)| *s == State::New) {
        c.style(Style::Warn)
    } else {
        c
    }
}

/// The findings of the earlier evidence that are gone: kind, system, account (the members of a
/// reuse group), the finding in words, its severity then, and (workbook) its code.
pub(crate) fn resolved_table(ev: &Evidence, lang: Lang, medium: Medium) -> Table<'_> {
    let t = words::labels(lang);
    let x = words::workbook_labels(lang);
    let resolved = ev.baseline.iter().flat_map(|b| &b.resolved);
    let rows = resolved.map(move |e| {
        let (account, finding) = if e.kind == "reuse" {
            let members = e
                .members
                .iter()
                .map(|m| format!("{} / {}", m.system, m.account))
                .collect();
            (members, reuse_words(lang, e))
        } else {
            (
                e.account.clone().into_iter().collect::<Vec<_>>(),
                code_words(lang, e.code.as_deref().unwrap_or_default()),
            )
        };
        let severity = match e.severity.as_str() {
            "fail" => words::severity(lang, Severity::Fail),
            "warn" => words::severity(lang, Severity::Warn),
            "info" => words::severity(lang, Severity::Info),
            other => other,
        };
        vec![
            state_cell(lang, State::Resolved),
            Cell::text(words::baseline_kind(lang, &e.kind)),
            Cell::text(e.system.clone().unwrap_or_default()),
            Cell::lines(account),
            Cell::text(finding),
            Cell::text(severity.to_string()),
            Cell::text(e.code.clone().unwrap_or_default()),
        ]
    });
    Table::select(
        medium,
        &[
            both(words::baseline_labels(lang).col_state),
            both(t.col_kind),
            both(t.col_system),
            both(t.col_account),
            both(t.col_finding),
            both(t.col_severity),
            sheet(x.col_codes),
        ],
        rows,
    )
}

/// A finding code in short words (the code itself when this kensa does not know it: the earlier
/// evidence may come from another version).
fn code_words(lang: Lang, code: &str) -> String {
    Code::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .map_or_else(|| code.to_string(), |c| words::code_short(lang, *c).into())
}

/// A reuse group as it was: its id then and its scope.
fn reuse_words(lang: Lang, e: &BaselineEntry) -> String {
    let code = match e.scope.as_deref() {
        Some("cross_system") => Code::ReusedAcrossSystems,
        _ => Code::ReusedWithinSystem,
    };
    format!(
        "{} {}",
        e.group.as_deref().unwrap_or_default(),
        words::code_short(lang, code)
    )
}

/// The section: what was compared, the counts, and the resolved findings.
pub(super) fn baseline<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
    let Some(b) = &ev.baseline else {
        return;
    };
    let w = words::baseline_labels(lang);
    out.push(Block::Heading(w.heading.to_string()));
    out.push(Block::Para(w.note.to_string()));
    let n = |n: usize| n.to_string();
    out.push(Block::Fields(vec![
        (w.file.to_string(), b.path.clone()),
        (w.checked_on.to_string(), b.checked_on.clone()),
        (
            words::baseline_state(lang, State::New).to_string(),
            n(b.counts.new),
        ),
        (
            words::baseline_state(lang, State::Unchanged).to_string(),
            n(b.counts.unchanged),
        ),
        (
            words::baseline_state(lang, State::Resolved).to_string(),
            n(b.counts.resolved),
        ),
        (w.new_failing.to_string(), n(b.counts.new_failing)),
        (
            w.new_cross_system_reuse.to_string(),
            n(b.counts.new_cross_system_reuse),
        ),
    ]));
    out.push(Block::Subheading(w.resolved_heading.to_string()));
    if b.resolved.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Para(w.resolved_note.to_string()));
    out.push(Block::Table(resolved_table(ev, lang, Medium::Report)));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::baseline::{compare, Snapshot};
    use crate::model::Finding;
    use crate::report::doc::{build, policies_table, reuse_table, Block};
    use crate::report::fixture;

    /// The sample evidence compared with an earlier one: yoshida's BREACHED is new (the earlier
    /// run did not have it), the policy's POLICY_MIN_LENGTH and an account's GUESSABLE are
    /// resolved, and everything else is unchanged.
    pub(crate) fn compared() -> Evidence {
        let mut old = fixture::sample(true);
        let y = old
            .accounts
            .iter_mut()
            .find(|a| a.account == "yoshida" && &*a.system == "ad01")
            .unwrap();
        y.findings.retain(|f| f.code != Code::Breached);
        let admin = old
            .accounts
            .iter_mut()
            .find(|a| a.account == "admin")
            .unwrap();
        admin
            .findings
            .push(Finding::fail(Code::Guessable, "wordlist"));
        old.policies[0]
            .findings
            .push(Finding::fail(Code::PolicyMinLength, "8 < 13"));
        let mut ev = fixture::sample(true);
        ev.baseline = Some(compare(
            &Snapshot::of(&old),
            "old/evidence.json",
            &Snapshot::of(&ev),
        ));
        ev
    }

    fn texts(row: &[Cell]) -> Vec<String> {
        row.iter().map(|c| c.lines.join("|")).collect()
    }

    #[test]
    fn the_section_counts_and_lists_what_was_resolved() {
        let ev = compared();
        let blocks = build(&ev, Lang::Ja);
        let at = blocks
            .iter()
            .position(|b| matches!(b, Block::Heading(h) if h == "前回との比較"))
            .expect("the baseline section");
        let Block::Fields(fields) = &blocks[at + 2] else {
            panic!("no counts")
        };
        let get = |k: &str| fields.iter().find(|(f, _)| f == k).unwrap().1.clone();
        assert_eq!(get("比較したエビデンス"), "old/evidence.json");
        assert_eq!(get("新規"), "1");
        assert_eq!(get("解消"), "2");
        assert_eq!(get("新規の不合格指摘"), "1");
        let Some(Block::Table(t)) = blocks.into_iter().nth(at + 5) else {
            panic!("no resolved table")
        };
        assert_eq!(
            t.head,
            ["前回比", "種別", "システム", "アカウント", "指摘", "重大度"]
        );
        let rows: Vec<Vec<String>> = t.rows.map(|r| texts(&r)).collect();
        assert_eq!(
            rows,
            [
                [
                    "解消",
                    "アカウント",
                    "rt01",
                    "admin",
                    "推定が容易",
                    "不合格"
                ],
                [
                    "解消",
                    "ポリシー",
                    "ad01",
                    "",
                    "ポリシー：最小文字数",
                    "不合格"
                ],
            ]
            .map(|r| r.map(String::from).to_vec())
        );
        // The workbook adds the code.
        let sheet = resolved_table(&ev, Lang::En, Medium::Sheet);
        let rows: Vec<Vec<String>> = sheet.rows.map(|r| texts(&r)).collect();
        assert_eq!(rows[1].last().unwrap(), "POLICY_MIN_LENGTH");
        assert_eq!(rows[1][0], "resolved");
    }

    #[test]
    fn finding_tables_carry_the_state_only_with_a_baseline() {
        let ev = compared();
        let mut tables = build(&ev, Lang::Ja).into_iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        });
        // The first account table after the section is the failing accounts'.
        let t = tables
            .find(|t| t.head.first() == Some(&"システム") && t.head.contains(&"前回比"))
            .expect("an account table with the state column");
        let col = t.head.iter().position(|h| *h == "前回比").unwrap();
        assert_eq!(col, t.head.len() - 1);
        let rows: Vec<Vec<String>> = t.rows.map(|r| texts(&r)).collect();
        let yoshida = rows
            .iter()
            .find(|r| r[0] == "ad01" && r[1] == "yoshida")
            .unwrap();
        // TOO_SHORT, BREACHED (new), REUSED_ACROSS_SYSTEMS, NON_ASCII: one line per finding.
        assert_eq!(
            yoshida[col],
            "継続: 文字数不足|新規: 漏えい済み|継続: システム間の使い回し|継続: 英数記号以外の文字"
        );
        let evil = rows.iter().find(|r| r[0] == "pc-01").unwrap();
        assert_eq!(evil[col], "継続");

        let p = policies_table(&ev, Lang::En, Medium::Report);
        assert_eq!(*p.head.last().unwrap(), "Baseline");
        let rows: Vec<Vec<String>> = p.rows.map(|r| texts(&r)).collect();
        assert_eq!(rows[0].last().unwrap(), "unchanged");
        let r = reuse_table(&ev, Lang::En, Medium::Sheet);
        assert_eq!(*r.head.last().unwrap(), "Baseline");
        let rows: Vec<Vec<String>> = r.rows.map(|r| texts(&r)).collect();
        assert_eq!(rows[0].last().unwrap(), "unchanged");

        // Without a baseline: no section, no column anywhere.
        let plain = fixture::sample(true);
        for b in build(&plain, Lang::Ja) {
            match b {
                Block::Heading(h) => assert_ne!(h, "前回との比較"),
                Block::Table(t) => assert!(!t.head.contains(&"前回比"), "{:?}", t.head),
                _ => {}
            }
        }
        let p = policies_table(&plain, Lang::En, Medium::Sheet);
        assert!(!p.head.contains(&"Baseline"));
    }
}
