//! The 是正計画 / Worklist sheet: the remediation worklist's rows as the reports print them, with
//! the finding and action codes to filter on; header bold and frozen, an autofilter over the rows.

use super::cells::Formats;
use super::sheets::data_sheet;
use super::Lang;
use crate::model::evidence::Evidence;
use crate::report::doc::{self, Medium};
use crate::words::{self, WorkbookLabels};
use rust_xlsxwriter::{Workbook, XlsxError};

/// Column widths: priority, system, name, vendor, account, privileged, severity, findings,
/// action, target date, finding codes, action code (and the baseline state).
const WIDTHS: [f64; 13] = [
    6.0, 14.0, 22.0, 18.0, 22.0, 8.0, 10.0, 26.0, 50.0, 12.0, 30.0, 28.0, 14.0,
];

/// Adds the sheet to `wb`.
pub(super) fn worklist_sheet(
    wb: &mut Workbook,
    ev: &Evidence,
    lang: Lang,
    x: &WorkbookLabels,
    f: &Formats,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(words::worklist_labels(lang).sheet)?;
    // The first two columns stay in view: the order and the system.
    data_sheet(
        ws,
        doc::worklist_table(ev, lang, Medium::Sheet),
        &WIDTHS,
        2,
        x,
        f,
    )
}
