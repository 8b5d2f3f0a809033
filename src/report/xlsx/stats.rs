//! The statistics sheet (統計 / Statistics): the counts as `label | value`, then each table under
//! its heading, as md and HTML show them (counts only: no password, no hash).

use super::cells::{print_setup, write_cell, Formats, MAX_ROW};
use super::Lang;
use crate::model::evidence::Evidence;
use crate::report::doc;
use crate::words;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Writes the statistics of `ev` on `ws`.
pub(super) fn stats_sheet(
    ws: &mut Worksheet,
    ev: &Evidence,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    print_setup(ws);
    let w = words::stats_labels(lang);
    ws.set_column_width(0, 44.0)?;
    for col in 1..4 {
        ws.set_column_width(col, 16.0)?;
    }
    ws.write_string_with_format(0, 0, w.heading, &f.title)?;
    ws.write_string(1, 0, w.note)?;
    let view = doc::stats_view(ev, lang);
    let mut row = 3;
    for (key, value) in &view.fields {
        ws.write_string_with_format(row, 0, *key, &f.key)?;
        write_cell(ws, row, 1, value, f)?;
        row += 1;
    }
    for (heading, table) in view.tables {
        row += 1;
        ws.write_string_with_format(row, 0, heading, &f.key)?;
        row += 1;
        let table = match table {
            Ok(t) => t,
            Err(none) => {
                ws.write_string(row, 0, none)?;
                row += 1;
                continue;
            }
        };
        for (col, h) in (0u16..).zip(&table.head) {
            ws.write_string_with_format(row, col, *h, &f.header)?;
        }
        // A table here has at most a row per length, code or listed group: far from the limit.
        for cells in table.rows.take((MAX_ROW - row - 1) as usize) {
            row += 1;
            for (col, cell) in (0u16..).zip(&cells) {
                write_cell(ws, row, col, cell, f)?;
            }
        }
        row += 1;
    }
    Ok(())
}
