//! The systems: one row per system, and the same grouped by who manages them (the facility or
//! each vendor).

use super::policies::policy_style;
use super::{count_cell, yes_no, Block, Cell, Lang, Style, Table};
use crate::model::evidence::{Evidence, SystemSummary};
use crate::model::tags::PolicyStatus;
use crate::model::ManagedBy;
use crate::words::{self, Labels};
use std::borrow::Cow;
use std::collections::BTreeSet;

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

pub(super) fn systems<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
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
pub(super) fn vendors<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
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
