//! The sheets: the two checklists laid out like the MHLW form, then accounts, reuse groups,
//! policies and inputs, each from the rows the reports print.

use super::cells::{cut, print_setup, shown, table, write_cell, write_date, Formats, MAX_ROW};
use super::Lang;
use crate::model::evidence::{Answer, Checklist, Evidence};
use crate::model::ManagedBy;
use crate::report::doc::{self, Cell, Medium, Style, Table};
use crate::words::{self, Labels, WorkbookLabels};
use rust_xlsxwriter::{DataValidation, Worksheet, XlsxError};

/// A checklist sheet: title, the header block, then one row per item (or 対象システムなし).
#[allow(clippy::too_many_arguments)]
pub(super) fn checklist_sheet(
    ws: &mut Worksheet,
    ev: &Evidence,
    managed_by: ManagedBy,
    checklist: Option<&Checklist>,
    // 事業者名 of a per-vendor sheet, and what a bundle covers or masks (`words::share_fields`).
    extra: &[(String, String)],
    lang: Lang,
    t: &Labels,
    x: &WorkbookLabels,
    f: &Formats,
) -> Result<(), XlsxError> {
    print_setup(ws);
    let title = words::checklist_title(lang, managed_by);
    ws.write_string_with_format(0, 0, format!("{} — {title}", t.doc_title), &f.title)?;
    ws.write_string(1, 0, t.subtitle)?;

    let systems = match checklist {
        Some(c) if !c.systems.is_empty() => c.systems.join(t.list_sep),
        _ => x.no_systems.to_string(),
    };
    let mut block: Vec<(String, Cell)> = vec![
        (t.facility.into(), Cell::text(&ev.facility)),
        (t.checked_on.into(), Cell::text(&ev.checked_on)),
    ];
    if let Some((key, value)) = words::date_source_line(ev, lang) {
        block.push((key, Cell::text(value)));
    }
    block.extend([
        (
            t.edition.into(),
            Cell::text(words::edition(lang, &ev.edition, ev.edition_rules.as_ref())),
        ),
        (
            x.tool_version.into(),
            Cell::text(format!("{} {}", ev.tool.name, ev.tool.version)),
        ),
    ]);
    // The summary and each part, as md and html print them: green only when complete.
    for l in words::status_lines(ev, lang) {
        let style = if l.complete {
            Style::Yes
        } else {
            Style::Undetermined
        };
        block.push((l.key, Cell::text(l.value).style(style)));
    }
    block.extend(extra.iter().map(|(k, v)| (k.clone(), Cell::text(v))));
    block.push((t.checklist_systems.into(), Cell::text(systems)));
    let mut row = 3;
    for (key, value) in block {
        ws.write_string_with_format(row, 0, &key, &f.key)?;
        if key == t.checked_on {
            write_date(ws, row, 1, &value, f)?;
        } else {
            write_cell(ws, row, 1, &value, f)?;
        }
        row += 1;
    }
    if !ev.complete {
        ws.write_string_with_format(row, 1, t.incomplete_note, &f.amber)?;
        row += 1;
    }
    row += 1;

    let widths = [16.0, 60.0, 12.0, 12.0, 12.0, 40.0, 26.0];
    for (col, w) in (0u16..).zip(widths) {
        ws.set_column_width(col, w)?;
    }
    let Some(checklist) = checklist.filter(|c| !c.systems.is_empty() || !c.items.is_empty()) else {
        ws.write_string_with_format(row, 0, x.no_systems, &f.amber)?;
        return Ok(());
    };
    // The rows md and html print, from the same view: one item per row as on the MHLW form
    // (項目, 確認事項, はい・いいえ, 確認日, 目標日, 備考), kensa's counts last.
    let answers = doc::answer_views(&checklist.items, ev.edition_rules.as_ref(), lang);
    table(
        ws,
        row,
        doc::answers_table(answers.clone(), lang, Medium::Sheet),
        &[],
        x,
        f,
    )?;
    for (r, a) in (row + 1..).zip(&answers) {
        answer_cells(ws, r, a, lang, f)?;
    }
    Ok(())
}

/// The cells of one answer row a person fills in on the MHLW form: 確認日 and 目標日 as dates, and
/// the answer as a list (はい / いいえ, and 判定不能 where that is kensa's answer, so the answer
/// as written stays valid until someone decides it).
fn answer_cells(
    ws: &mut Worksheet,
    row: u32,
    a: &doc::AnswerView,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    write_date(ws, row, 3, &Cell::text(a.checked_on.as_str()), f)?;
    write_date(ws, row, 4, &Cell::text(a.target_date.as_str()), f)?;
    let choices = words::answer_choices(lang, a.answer == Answer::Undetermined);
    let (title, message) = words::answer_prompt(lang);
    let list = DataValidation::new()
        .allow_list_strings(choices)?
        .set_input_title(title)?
        .set_input_message(message)?;
    ws.add_data_validation(row, 2, row, 2, &list)?;
    Ok(())
}

/// The sheets that hold one table: accounts, reuse groups and policies, each with its rows as the
/// reports make them, its column widths and how many columns stay in view when scrolling.
pub(super) fn data_sheets(
    ev: &Evidence,
    lang: Lang,
) -> [(&'static str, Table<'_>, &'static [f64], u16); 3] {
    let x = words::workbook_labels(lang);
    [
        (
            x.sheet_accounts,
            doc::accounts_sheet_table(ev, lang),
            &[
                14.0, 22.0, 22.0, 12.0, 10.0, 30.0, 24.0, 50.0, 18.0, 10.0, 8.0, 16.0, 24.0,
            ],
            2,
        ),
        (
            x.sheet_reuse,
            doc::reuse_table(ev, lang, Medium::Sheet),
            &[10.0, 16.0, 10.0, 36.0, 20.0, 10.0, 36.0, 50.0, 12.0],
            1,
        ),
        (
            x.sheet_policies,
            doc::policies_table(ev, lang, Medium::Sheet),
            &[
                14.0, 28.0, 14.0, 30.0, 10.0, 28.0, 12.0, 10.0, 10.0, 24.0, 24.0, 50.0,
            ],
            1,
        ),
    ]
}

/// A sheet of one table: its header and first `frozen` columns frozen.
pub(super) fn data_sheet(
    ws: &mut Worksheet,
    rows: Table<'_>,
    widths: &[f64],
    frozen: u16,
    x: &WorkbookLabels,
    f: &Formats,
) -> Result<(), XlsxError> {
    print_setup(ws);
    table(ws, 0, rows, widths, x, f)?;
    ws.set_freeze_panes(1, frozen)?;
    Ok(())
}

/// The inputs with their SHA-256 and size, then input errors and the breach check below.
pub(super) fn inputs_sheet(
    ws: &mut Worksheet,
    ev: &Evidence,
    lang: Lang,
    t: &Labels,
    x: &WorkbookLabels,
    f: &Formats,
) -> Result<(), XlsxError> {
    print_setup(ws);
    let widths = [30.0, 14.0, 12.0, 68.0, 14.0, 20.0, 12.0, 12.0];
    let inputs = doc::inputs_table(ev, lang, Medium::Sheet);
    let mut row = table(ws, 0, inputs, &widths, x, f)?;
    ws.set_freeze_panes(1, 1)?;

    if !ev.input_errors.is_empty() && row < MAX_ROW - 2 {
        row += 2;
        ws.write_string_with_format(row, 0, t.h_input_errors, &f.key)?;
        row += 1;
        // Below the inputs, without a filter of its own: a sheet has one autofilter.
        let errors = doc::input_errors_table(ev, lang);
        for (col, h) in (0u16..).zip(&errors.head) {
            ws.write_string_with_format(row, col, *h, &f.header)?;
        }
        for cells in errors.rows {
            if row >= MAX_ROW - 12 {
                break;
            }
            row += 1;
            for (col, cell) in (0u16..).zip(&cells) {
                write_cell(ws, row, col, cell, f)?;
            }
        }
    }

    if row < MAX_ROW - 11 {
        row += 2;
        ws.write_string_with_format(row, 0, t.h_breach, &f.key)?;
        for (key, value) in doc::breach_fields(ev, lang) {
            row += 1;
            ws.write_string_with_format(row, 0, key, &f.key)?;
            ws.write_string(row, 1, cut(&shown(&value)))?;
        }
    }
    Ok(())
}

/// The comparison with `--baseline`: what was compared and the counts, then the findings
/// resolved since (the other sheets carry the state of the findings still there).
pub(super) fn baseline_sheet(
    ws: &mut Worksheet,
    ev: &Evidence,
    lang: Lang,
    x: &WorkbookLabels,
    f: &Formats,
) -> Result<(), XlsxError> {
    print_setup(ws);
    let Some(b) = &ev.baseline else {
        return Ok(());
    };
    let w = words::baseline_labels(lang);
    let state = |s| words::baseline_state(lang, s);
    use crate::baseline::State;
    let block = [
        (w.file, Cell::text(b.path.as_str())),
        (w.checked_on, Cell::text(b.checked_on.as_str())),
        (state(State::New), Cell::number(b.counts.new)),
        (state(State::Unchanged), Cell::number(b.counts.unchanged)),
        (state(State::Resolved), Cell::number(b.counts.resolved)),
        (w.new_failing, Cell::number(b.counts.new_failing)),
        (
            w.new_cross_system_reuse,
            Cell::number(b.counts.new_cross_system_reuse),
        ),
    ];
    ws.write_string_with_format(0, 0, w.heading, &f.title)?;
    let mut row = 2;
    for (key, value) in block {
        ws.write_string_with_format(row, 0, key, &f.key)?;
        write_cell(ws, row, 1, &value, f)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, w.resolved_heading, &f.key)?;
    row += 1;
    let widths = [10.0, 14.0, 16.0, 30.0, 30.0, 10.0, 26.0];
    table(
        ws,
        row,
        doc::resolved_table(ev, lang, Medium::Sheet),
        &widths,
        x,
        f,
    )?;
    Ok(())
}
