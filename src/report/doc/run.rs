//! The facts of the run after the results: how passwords became known, the breach check, and
//! the input files with their errors.

use super::table::{both, sheet, Show};
use super::{count_cell, Block, Cell, Lang, Medium, Style, Table};
use crate::model::evidence::{Evidence, HIBP_ATTRIBUTION};
use crate::words::{self, Labels};

pub(super) fn recovery(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
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

pub(super) fn breach_check(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
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

pub(super) fn input_errors<'a>(ev: &'a Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'a>>) {
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

pub(super) fn inputs<'a>(
    ev: &'a Evidence,
    lang: Lang,
    t: &'static Labels,
    out: &mut Vec<Block<'a>>,
) {
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
