//! The reuse groups: accounts that share a password, with the proofs and the links between them.

use super::table::{both, sheet};
use super::{baseline, Block, Cell, Lang, Medium, Style, Table};
use crate::model::evidence::Evidence;
use crate::model::Severity;
use crate::words::{self, Labels};

/// One row per reuse group: scope, severity, proofs (the strongest first), members and links.
pub(crate) fn reuse_table(ev: &Evidence, lang: Lang, medium: Medium) -> Table<'_> {
    let t = words::labels(lang);
    let x = words::workbook_labels(lang);
    let states = baseline::states(ev);
    let with_state = states.is_some();
    let rows = ev.reuse_groups.iter().map(move |g| {
        let proof = std::iter::once(words::reuse_proof(lang, g.evidence)).chain(
            g.proofs
                .iter()
                .filter(|p| **p != g.evidence)
                .map(|p| words::reuse_proof(lang, *p)),
        );
        // In a bundle, the accounts outside it that share the password are counted, never named.
        let members = g
            .members
            .iter()
            .map(|m| format!("{} / {}", m.system, m.account))
            .chain(
                (g.outside_members > 0).then(|| words::outside_members(lang, g.outside_members)),
            );
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
        let mut row = vec![
            Cell::text(g.id.as_str()),
            Cell::text(words::reuse_scope(lang, g.scope)),
            Cell::text(words::severity(lang, g.severity)).style(severity_style(g.severity)),
            Cell::lines(proof),
            Cell::text(g.systems.join(t.list_sep)),
            Cell::number(g.members.len()),
            Cell::lines(members),
            Cell::lines(links),
            Cell::text(if g.default_password { t.yes } else { t.dash }),
        ];
        if let Some(s) = &states {
            let members = g
                .members
                .iter()
                .map(|m| (m.system.as_str(), m.account.as_str()));
            row.push(baseline::state_cell(lang, s.reuse(members)));
        }
        row
    });
    let mut cols = vec![
        both(t.col_group),
        both(t.col_scope),
        both(t.col_severity),
        both(t.col_proof),
        sheet(t.col_systems),
        sheet(x.col_member_count),
        both(t.col_members),
        both(t.col_links),
        both(t.col_default_password),
    ];
    if with_state {
        cols.push(both(words::baseline_labels(lang).col_state));
    }
    Table::select(medium, &cols, rows)
}

pub(super) fn reuse<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
    out.push(Block::Heading(t.h_reuse.to_string()));
    if ev.reuse_groups.is_empty() {
        out.push(Block::Para(t.none.to_string()));
        return;
    }
    out.push(Block::Para(t.reuse_note.to_string()));
    out.push(Block::Table(reuse_table(ev, lang, Medium::Report)));
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Fail => Style::No,
        Severity::Warn => Style::Warn,
        Severity::Info => Style::Undetermined,
    }
}
