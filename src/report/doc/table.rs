//! The cells and tables every report is made of: typed cells (text or number, with a style) and
//! tables whose columns say which medium shows them, so one row builder serves every format.

use crate::words::Lang;
use std::borrow::Cow;
use std::fmt;

/// A table: its column heads, and its rows made one at a time as they are read.
pub(crate) struct Table<'a> {
    pub head: Vec<&'static str>,
    pub rows: Rows<'a>,
    /// The line after a human report's table cut at `TABLE_ROWS`: how many rows are left out and
    /// where they all are (by default the workbook, the CSV and the JSON).
    pub more: fn(Lang, usize) -> String,
    /// How many rows the table has, when known without making them: a human report then makes
    /// only the rows it shows (a worklist of a large domain has a row per account).
    pub total: Option<usize>,
}

/// The rows of a [`Table`], each made when it is read.
pub(crate) type Rows<'a> = Box<dyn Iterator<Item = Vec<Cell<'a>>> + 'a>;

impl<'a> Table<'a> {
    pub(super) fn new(
        head: &[&'static str],
        rows: impl Iterator<Item = Vec<Cell<'a>>> + 'a,
    ) -> Table<'a> {
        Table {
            head: head.to_vec(),
            rows: Box::new(rows),
            more: crate::words::rows_left_out,
            total: None,
        }
    }
}

/// Which medium shows a column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Show {
    Both,
    Report,
    Sheet,
}

impl Show {
    fn shows(self, medium: Medium) -> bool {
        match self {
            Show::Both => true,
            Show::Report => medium == Medium::Report,
            Show::Sheet => medium == Medium::Sheet,
        }
    }
}

/// A column shown in every medium.
pub(super) fn both(head: &'static str) -> (&'static str, Show) {
    (head, Show::Both)
}

/// A column only the workbook shows (codes, full hashes: for filtering, too wide to print).
pub(super) fn sheet(head: &'static str) -> (&'static str, Show) {
    (head, Show::Sheet)
}

impl<'a> Table<'a> {
    /// The columns of `cols` that `medium` shows, and the same cells of each row: one row
    /// builder serves every medium.
    pub(super) fn select(
        medium: Medium,
        cols: &[(&'static str, Show)],
        rows: impl Iterator<Item = Vec<Cell<'a>>> + 'a,
    ) -> Table<'a> {
        let keep: Vec<bool> = cols.iter().map(|(_, s)| s.shows(medium)).collect();
        let head = cols
            .iter()
            .filter(|(_, s)| s.shows(medium))
            .map(|(h, _)| *h)
            .collect();
        let rows = rows.map(move |row| {
            row.into_iter()
                .zip(&keep)
                .filter_map(|(c, k)| k.then_some(c))
                .collect()
        });
        Table {
            head,
            rows: Box::new(rows),
            more: crate::words::rows_left_out,
            total: None,
        }
    }
}

impl fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("head", &self.head)
            .finish_non_exhaustive()
    }
}

/// A table cell: one or more lines, what kind of value it is, and a style hint (`Yes`, `Fail`,
/// …) that HTML maps to a CSS class and the workbook to a fill. The lines borrow from the
/// evidence where they can.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Cell<'a> {
    pub lines: Vec<Cow<'a, str>>,
    pub kind: Kind,
    pub style: Option<Style>,
}

/// What a cell holds: text, or a number (its one line is the number written out) that a
/// spreadsheet stores as a number so it sorts and sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Kind {
    #[default]
    Text,
    Number(i64),
}

/// How a cell is marked: an answer (yes / no / undetermined), a failure or a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Yes,
    No,
    Undetermined,
    Fail,
    Warn,
}

impl Style {
    /// The CSS class of the style in the HTML report.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Style::Yes => "yes",
            Style::No => "no",
            Style::Undetermined => "undetermined",
            Style::Fail => "fail",
            Style::Warn => "warn",
        }
    }
}

/// Where a table is shown: the reports (md and html) or the workbook; some columns are only in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Medium {
    Report,
    Sheet,
}

impl<'a> Cell<'a> {
    pub(crate) fn text(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell {
            lines: vec![s.into()],
            ..Cell::default()
        }
    }
    pub(crate) fn lines<S: Into<Cow<'a, str>>>(lines: impl IntoIterator<Item = S>) -> Cell<'a> {
        Cell {
            lines: lines.into_iter().map(Into::into).collect(),
            ..Cell::default()
        }
    }
    /// A number cell (a count, a size, a number of days).
    pub(crate) fn number(n: impl TryInto<i64> + Copy + ToString) -> Cell<'a> {
        let text = Cell::text(n.to_string());
        match n.try_into() {
            Ok(n) => Cell {
                kind: Kind::Number(n),
                ..text
            },
            Err(_) => text,
        }
    }
    pub(crate) fn style(mut self, style: Style) -> Cell<'a> {
        self.style = Some(style);
        self
    }
}
