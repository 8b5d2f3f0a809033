//! How the workbook writes a cell and a table: fills by style, the quote prefix on text that looks
//! like a formula, dates as dates, Excel's limits, the print setup.

use crate::report::doc::{Cell, Kind, Style, Table};
use crate::words::WorkbookLabels;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError,
};

/// Writes a bold header row at `start`, then the rows; sets widths, autofilter and frozen header.
/// Rows that do not fit in the sheet are left out with a note. Returns the last row written.
pub(super) fn table(
    ws: &mut Worksheet,
    start: u32,
    table: Table<'_>,
    widths: &[f64],
    x: &WorkbookLabels,
    f: &Formats,
) -> Result<u32, XlsxError> {
    for (col, w) in (0u16..).zip(widths) {
        ws.set_column_width(col, *w)?;
    }
    for (col, h) in (0u16..).zip(&table.head) {
        ws.write_string_with_format(start, col, *h, &f.header)?;
    }
    let last_col = u16::try_from(table.head.len().saturating_sub(1)).unwrap_or(0);
    let mut row = start;
    let mut left_out = 0usize;
    for cells in table.rows {
        if row >= MAX_ROW - 1 {
            left_out += 1;
            continue;
        }
        row += 1;
        for (col, cell) in (0u16..).zip(&cells) {
            write_cell(ws, row, col, cell, f)?;
        }
    }
    ws.autofilter(start, 0, row, last_col)?;
    ws.set_freeze_panes(start + 1, 0)?;
    ws.set_repeat_rows(start, start)?;
    if left_out > 0 {
        row += 1;
        ws.write_string_with_format(row, 0, format!("{left_out} {}", x.more_rows), &f.amber)?;
    }
    Ok(row)
}

/// Writes one cell in the fill of its style: text always as a string (never a formula), its
/// lines made visible and joined by line breaks; numbers as numbers.
pub(super) fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    let fill = Fill::of(cell.style);
    match cell.kind {
        // Exact as a double up to 2^53, far beyond any count or size here.
        Kind::Number(n) if n.unsigned_abs() < 1 << 53 => {
            #[allow(clippy::cast_precision_loss)]
            let n = n as f64;
            ws.write_number_with_format(row, col, n, f.fill(fill, false))?
        }
        _ => {
            let lines: Vec<String> = cell.lines.iter().map(|l| shown(l)).collect();
            let s = lines.join("\n");
            let formula_like = s.starts_with(['=', '+', '-', '@']);
            ws.write_string_with_format(row, col, cut(&s), f.fill(fill, formula_like))?
        }
    };
    Ok(())
}

/// Writes a `YYYY-MM-DD` date as an Excel date (a serial number shown `yyyy-mm-dd`) in the fill
/// of `cell`'s style, so it sorts and compares as a date; anything else (empty, another form) is
/// written as [`write_cell`] writes it.
pub(super) fn write_date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell.lines.first().and_then(|s| date(s)) {
        Some(d) => {
            ws.write_datetime_with_format(row, col, d, &f.dates[Fill::of(cell.style).index()])?;
            Ok(())
        }
        None => write_cell(ws, row, col, cell, f),
    }
}

/// `s` as a date if it is exactly `YYYY-MM-DD` and a day Excel can show (1900 and later).
pub(super) fn date(s: &str) -> Option<ExcelDateTime> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let (y, m, d) = (
        s[..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..].parse().ok()?,
    );
    ExcelDateTime::from_ymd(y, m, d)
        .ok()
        .filter(|d| d.to_excel() >= 1.0)
}

/// The number format of dates: ISO, as every other report writes them.
pub(super) const DATE_FORMAT: &str = "yyyy-mm-dd";

/// Landscape A4, one page wide.
pub(super) fn print_setup(ws: &mut Worksheet) {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
}

/// Cuts a string to Excel's cell limit (on a character boundary).
pub(super) fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Excel's limit on the characters of one cell.
pub(super) const MAX_CELL_CHARS: usize = 32_767;
/// Excel's last row index.
pub(super) const MAX_ROW: u32 = 1_048_575;

/// The fill of a cell: plain, or green / red / amber like the answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    Plain,
    Good,
    Bad,
    Amber,
}

impl Fill {
    /// The index of the fill in the format arrays of [`Formats`].
    fn index(self) -> usize {
        match self {
            Fill::Plain => 0,
            Fill::Good => 1,
            Fill::Bad => 2,
            Fill::Amber => 3,
        }
    }

    /// The fill of a style: answers and failures in the colours HTML gives them.
    fn of(style: Option<Style>) -> Fill {
        match style {
            None => Fill::Plain,
            Some(Style::Yes) => Fill::Good,
            Some(Style::No | Style::Fail) => Fill::Bad,
            Some(Style::Undetermined | Style::Warn) => Fill::Amber,
        }
    }
}

/// `s` with its control characters made visible (an XML part cannot hold most of them at all).
pub(super) fn shown(s: &str) -> String {
    crate::report::visible(s).into_owned()
}

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) key: Format,
    pub(super) header: Format,
    pub(super) amber: Format,
    /// Body cells by [`Fill`] (plain, green, red, amber).
    fills: [Format; 4],
    /// The same with Excel's quote prefix, for text that looks like a formula.
    quoted: [Format; 4],
    /// The same shown as dates ([`DATE_FORMAT`]).
    dates: [Format; 4],
}

impl Formats {
    pub(super) fn new() -> Formats {
        let body = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top)
            .set_text_wrap();
        let colored = |bg: u32, fg: u32| {
            body.clone()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg))
        };
        let fills = [
            body.clone(),
            colored(0xC6EFCE, 0x006100),
            colored(0xFFC7CE, 0x9C0006),
            colored(0xFFEB9C, 0x9C5700),
        ];
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            key: Format::new().set_bold().set_align(FormatAlign::Top),
            header: body
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9D9D9)),
            amber: fills[3].clone(),
            quoted: fills.clone().map(|f| f.set_quote_prefix()),
            dates: fills.clone().map(|f| f.set_num_format(DATE_FORMAT)),
            fills,
        }
    }

    /// The body format with `fill`; quoted (Excel keeps it text even when edited) if `formula_like`.
    fn fill(&self, fill: Fill, formula_like: bool) -> &Format {
        let i = fill.index();
        if formula_like {
            &self.quoted[i]
        } else {
            &self.fills[i]
        }
    }
}
