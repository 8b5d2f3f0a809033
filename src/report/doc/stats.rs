//! Password statistics as DPAT and DSInternals users expect them: how many passwords became known,
//! their lengths, the largest shared passwords, accounts per finding, what the password history
//! shows, and the usual counts (LM hashes, empty passwords, the account name in the password,
//! passwords that never expire). Counts only: never a password, never a hash.
//!
//! Everything is counted in one pass over the accounts (and one over the reuse groups), so a
//! million-account evidence is walked once, not once per code.

use super::{Block, Cell, Lang, Table};
use crate::model::evidence::{AccountEvidence, Evidence};
use crate::model::tags::ReuseScope;
use crate::model::{Code, Severity};
use crate::words::{self, StatsLabels};
use std::collections::BTreeMap;

/// How many of the largest reuse groups the statistics list.
pub(crate) const TOP_SHARED: usize = 10;

/// The counts, from [`Stats::of`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    pub accounts: usize,
    /// Accounts whose plaintext became known.
    pub recovered: usize,
    /// Known passwords per length.
    pub lengths: BTreeMap<usize, usize>,
    /// Known passwords per range: empty, 1–7, 8–12, 13–14, 15+ (the lengths 2-⑦ and NIST name).
    pub buckets: [usize; 5],
    pub lm_stored: usize,
    pub empty: usize,
    /// Passwords that contain the account name (`GUESSABLE` for the username).
    pub contains_name: usize,
    pub never_expires: usize,
    /// Accounts in a reuse group.
    pub shared_accounts: usize,
    /// Accounts per code, [fail, warn or info]: an account counts once per code, under the
    /// strongest severity it has for it.
    pub codes: BTreeMap<Code, [usize; 2]>,
    /// `PREDICTABLE_ROTATION` accounts per change (same, number changed, ends changed) and
    /// [fail, warn].
    pub history: [[usize; 2]; 3],
    /// The largest reuse groups, most accounts first: (group id, accounts, systems, scope).
    pub shared: Vec<(String, usize, usize, ReuseScope)>,
}

/// What the `GUESSABLE` detail says when the password contains the account name (rules/guess.rs).
const CONTAINS_NAME: &str = "contains the account name";

impl Stats {
    /// Counts the evidence in one pass over its accounts.
    pub(crate) fn of(ev: &Evidence) -> Stats {
        let mut s = Stats::default();
        for a in &ev.accounts {
            s.add(a);
        }
        let mut groups: Vec<_> = ev
            .reuse_groups
            .iter()
            .map(|g| (g.id.clone(), g.members.len(), g.systems.len(), g.scope))
            .collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        groups.truncate(TOP_SHARED);
        s.shared = groups;
        s
    }

    fn add(&mut self, a: &AccountEvidence) {
        self.accounts += 1;
        if a.plaintext_known {
            self.recovered += 1;
            if let Some(n) = a.length {
                *self.lengths.entry(n).or_default() += 1;
                self.buckets[bucket(n)] += 1;
            }
        }
        if a.password_never_expires {
            self.never_expires += 1;
        }
        if a.reuse_group.is_some() {
            self.shared_accounts += 1;
        }
        let has = |c: Code| a.findings.iter().any(|f| f.code == c);
        if has(Code::LmHashStored) {
            self.lm_stored += 1;
        }
        if has(Code::EmptyPassword) || (a.plaintext_known && a.length == Some(0)) {
            self.empty += 1;
        }
        if a.findings
            .iter()
            .any(|f| f.code == Code::Guessable && f.detail.contains(CONTAINS_NAME))
        {
            self.contains_name += 1;
        }
        for (i, f) in a.findings.iter().enumerate() {
            // Once per code: the first finding of a code counts, with the strongest severity.
            if a.findings[..i].iter().any(|e| e.code == f.code) {
                continue;
            }
            let fails = a
                .findings
                .iter()
                .any(|e| e.code == f.code && e.severity == Severity::Fail);
            let col = usize::from(!fails);
            self.codes.entry(f.code).or_default()[col] += 1;
            if f.code == Code::PredictableRotation {
                self.history[change(&f.detail)][col] += 1;
            }
        }
    }

    /// Accounts with a `PREDICTABLE_ROTATION` finding.
    pub(crate) fn predictable(&self) -> usize {
        self.history.iter().flatten().sum()
    }
}

/// The range of a length: 0, 1–7, 8–12, 13–14, 15+.
fn bucket(n: usize) -> usize {
    match n {
        0 => 0,
        1..=7 => 1,
        8..=12 => 2,
        13..=14 => 3,
        _ => 4,
    }
}

/// The change a `PREDICTABLE_ROTATION` detail names (rules/rotation.rs): 0 the same password,
/// 1 a number changed, 2 only the ends changed.
fn change(detail: &str) -> usize {
    if detail.contains("incremented") {
        1
    } else if detail.contains("only at its ends") {
        2
    } else {
        0
    }
}

/// The statistics as shown: `label: value` fields, then titled tables. Md, HTML and the workbook
/// show the same.
pub(crate) struct StatsView<'a> {
    pub fields: Vec<(&'static str, Cell<'a>)>,
    /// (sub-heading, table, or the word for none when it has no rows).
    pub tables: Vec<(&'static str, Result<Table<'a>, &'static str>)>,
}

/// The statistics of `ev` in `lang`.
pub(crate) fn stats_view<'a>(ev: &Evidence, lang: Lang) -> StatsView<'a> {
    let s = Stats::of(ev);
    let w = words::stats_labels(lang);
    let fields = vec![
        (w.accounts, Cell::number(s.accounts)),
        (
            w.recovered,
            Cell::text(words::share(lang, s.recovered, s.accounts)),
        ),
        (w.lm_stored, Cell::number(s.lm_stored)),
        (w.empty, Cell::number(s.empty)),
        (w.contains_name, Cell::number(s.contains_name)),
        (w.never_expires, Cell::number(s.never_expires)),
        (w.shared_accounts, Cell::number(s.shared_accounts)),
        (w.predictable, Cell::number(s.predictable())),
    ];
    let buckets = w
        .buckets
        .iter()
        .zip(s.buckets)
        .map(|(b, n)| vec![Cell::text(*b), Cell::number(n)])
        .collect();
    let lengths = s
        .lengths
        .iter()
        .map(|(l, n)| vec![Cell::number(*l), Cell::number(*n)])
        .collect();
    let shared = s
        .shared
        .iter()
        .map(|(id, accounts, systems, scope)| {
            vec![
                Cell::text(id.clone()),
                Cell::number(*accounts),
                Cell::number(*systems),
                Cell::text(words::reuse_scope(lang, *scope)),
            ]
        })
        .collect();
    let mut codes: Vec<_> = s.codes.iter().collect();
    codes.sort_by(|a, b| (b.1[0] + b.1[1]).cmp(&(a.1[0] + a.1[1])).then(a.0.cmp(b.0)));
    let codes = codes
        .into_iter()
        .map(|(c, [fail, warn])| {
            vec![
                Cell::text(c.as_str()),
                Cell::text(words::code_short(lang, *c)),
                Cell::number(*fail),
                Cell::number(*warn),
            ]
        })
        .collect();
    let history = if s.predictable() == 0 {
        Vec::new()
    } else {
        w.changes
            .iter()
            .zip(s.history)
            .map(|(c, [fail, warn])| vec![Cell::text(*c), Cell::number(fail), Cell::number(warn)])
            .collect()
    };
    let table = |head: &[&'static str], rows: Vec<Vec<Cell<'a>>>| {
        if rows.is_empty() {
            Err(w.none)
        } else {
            Ok(Table::new(head, rows.into_iter()))
        }
    };
    let tables = vec![
        (w.h_buckets, table(&[w.col_range, w.col_count], buckets)),
        (w.h_lengths, table(&[w.col_length, w.col_count], lengths)),
        (
            w.h_shared,
            table(
                &[w.col_group, w.col_accounts, w.col_systems, w.col_scope],
                shared,
            ),
        ),
        (
            w.h_codes,
            table(&[w.col_code, w.col_finding, w.col_fail, w.col_warn], codes),
        ),
        (
            w.h_history,
            table(&[w.col_change, w.col_fail, w.col_warn], history),
        ),
    ];
    StatsView { fields, tables }
}

/// The statistics section of md and HTML.
pub(super) fn stats(ev: &Evidence, lang: Lang, out: &mut Vec<Block<'_>>) {
    let w: &StatsLabels = words::stats_labels(lang);
    let view = stats_view(ev, lang);
    out.push(Block::Heading(w.heading.to_string()));
    out.push(Block::Para(w.note.to_string()));
    out.push(Block::Fields(
        view.fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.lines.join("\n")))
            .collect(),
    ));
    for (heading, table) in view.tables {
        out.push(Block::Subheading(heading.to_string()));
        match table {
            Ok(t) => out.push(Block::Table(t)),
            Err(none) => out.push(Block::Para(none.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Finding;
    use crate::report::fixture;

    #[test]
    fn counts_once_per_account_and_code_with_the_strongest_severity() {
        let mut ev = fixture::sample(true);
        let y = ev
            .accounts
            .iter_mut()
            .find(|a| a.account == "yoshida" && &*a.system == "ad01")
            .unwrap();
        y.findings.push(Finding::warn(Code::TooShort, "again"));
        y.findings.push(Finding::warn(
            Code::PredictableRotation,
            "the current password is a previous one with a number incremented or changed (history entry 0)",
        ));
        y.findings.push(Finding::fail(
            Code::Guessable,
            "in a wordlist; contains the account name",
        ));
        y.password_never_expires = true;
        let s = Stats::of(&ev);
        assert_eq!(s.accounts, ev.accounts.len());
        assert_eq!(s.codes[&Code::TooShort], [1, 0]);
        assert_eq!(s.codes[&Code::NonAscii], [0, 1]);
        assert_eq!(s.history, [[0, 0], [0, 1], [0, 0]]);
        assert_eq!(s.predictable(), 1);
        assert_eq!(s.contains_name, 1);
        assert_eq!(s.never_expires, 1);
        assert_eq!(
            s.recovered,
            ev.accounts.iter().filter(|a| a.plaintext_known).count()
        );
        assert_eq!(s.lengths, super::super::recovered_lengths(&ev));
        assert_eq!(
            s.buckets.iter().sum::<usize>(),
            s.lengths.values().sum::<usize>()
        );
        assert_eq!(s.shared[0].0, "R1");
    }

    #[test]
    fn buckets_follow_the_lengths_the_rules_name() {
        assert_eq!(
            [0, 1, 7, 8, 12, 13, 14, 15, 64].map(bucket),
            [0, 1, 1, 2, 2, 3, 3, 4, 4]
        );
        assert_eq!(change("the current password equals a previous password"), 0);
        assert_eq!(
            change("the current password differs from a previous password only at its ends"),
            2
        );
    }

    #[test]
    fn the_section_has_no_password_and_says_none_for_empty_tables() {
        let ev = fixture::sample(true);
        let mut out = Vec::new();
        stats(&ev, Lang::Ja, &mut out);
        assert!(matches!(&out[0], Block::Heading(h) if h == "統計"));
        let history = out
            .iter()
            .position(|b| matches!(b, Block::Subheading(h) if h == "パスワード履歴"))
            .unwrap();
        assert!(matches!(&out[history + 1], Block::Para(p) if p == "なし"));
    }
}
