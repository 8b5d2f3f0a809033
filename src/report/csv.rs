//! evidence.csv: one row per (account, finding) for spreadsheets; UTF-8 with BOM, RFC 4180.
//!
//! The CSV is language-neutral (stable codes, like the JSON). Cells that a spreadsheet would run
//! as a formula are prefixed with a single quote: account names are untrusted input.

use super::doc;
use crate::model::evidence::Evidence;
use std::io::{self, Write};

/// The header row, in column order. `salted_skipped` (added later): why nothing was verified
/// against the account's salted hash, its stable name (`account.salted.skipped`) then the same in
/// English words with the cost of one try. `baseline` (last, added later): the finding's state
/// against `--baseline` (`new`, `unchanged`; `resolved` rows follow the accounts), empty without.
pub const COLUMNS: [&str; 13] = doc::FINDING_COLUMNS;

/// Renders the evidence as CSV: BOM, header, then one CRLF-terminated row per (account, finding);
/// an account without findings gets one row with empty code, severity and detail. With a
/// baseline, the findings resolved since follow, one row each.
pub fn render(ev: &Evidence) -> String {
    let mut out = Vec::new();
    write(ev, &mut out).expect("writing into memory cannot fail");
    String::from_utf8(out).expect("the CSV is UTF-8")
}

/// Writes the CSV of [`render`] into `out`, row by row: the rows are those of
/// [`doc::finding_table`].
pub fn write(ev: &Evidence, out: &mut impl Write) -> io::Result<()> {
    out.write_all("\u{FEFF}".as_bytes())?;
    let table = doc::finding_table(ev);
    write_row(out, table.head.iter().copied())?;
    for row in table.rows {
        // Every cell of these rows is one line.
        write_row(
            out,
            row.iter().map(|c| c.lines.first().map_or("", |l| &**l)),
        )?;
    }
    Ok(())
}

/// Quotes one cell per RFC 4180 and defuses spreadsheet formulas (`=`, `+`, `-`, `@`); control
/// characters (tab and CR included) are made visible first ([`super::visible`]).
pub fn cell(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 3);
    write_cell(&mut out, s).expect("writing into memory cannot fail");
    String::from_utf8(out).expect("a cell of a str is UTF-8")
}

/// Writes [`cell`]`(s)` into `out`, control characters made visible first ([`super::visible`]).
fn write_cell(out: &mut impl Write, s: &str) -> io::Result<()> {
    let shown = super::visible(s);
    let s = &*shown;
    let formula = s.starts_with(['=', '+', '-', '@']);
    let quoted = s.contains([',', '"', '\r', '\n']);
    if quoted {
        out.write_all(b"\"")?;
    }
    if formula {
        out.write_all(b"'")?;
    }
    if quoted {
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                out.write_all(b"\"\"")?;
            }
            out.write_all(part.as_bytes())?;
        }
        out.write_all(b"\"")
    } else {
        out.write_all(s.as_bytes())
    }
}

/// Writes one row: the cells quoted, comma-separated, CRLF-terminated.
pub(crate) fn write_row<'a>(
    out: &mut impl Write,
    cells: impl Iterator<Item = &'a str>,
) -> io::Result<()> {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_cell(out, c)?;
    }
    out.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    /// A small RFC 4180 reader for the tests: fields may be quoted, quotes doubled, CRLF rows.
    fn parse(s: &str) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let mut row = vec![];
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') => {
                    assert_eq!(chars.next(), Some('\n'));
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        assert!(
            field.is_empty() && row.is_empty(),
            "last row not terminated"
        );
        rows
    }

    #[test]
    fn bom_header_and_one_row_per_finding() {
        let ev = fixture::sample(true);
        let s = render(&ev);
        let body = s.strip_prefix('\u{FEFF}').expect("BOM");
        let rows = parse(body);
        assert_eq!(rows[0], COLUMNS);
        let expected: usize = ev.accounts.iter().map(|a| a.findings.len().max(1)).sum();
        assert_eq!(rows.len() - 1, expected);
        assert!(rows.iter().all(|r| r.len() == COLUMNS.len()));
        let yoshida: Vec<_> = rows
            .iter()
            .filter(|r| r[0] == "ad01" && r[1] == "yoshida")
            .collect();
        assert_eq!(yoshida.len(), 4);
        assert_eq!(
            yoshida[0],
            &vec![
                "ad01",
                "yoshida",
                "ad01-ntds.txt:4",
                "nt",
                "fail",
                "",
                "TOO_SHORT",
                "fail",
                "10 < 13 without two-factor or rotation ≤ 60 days",
                "found:1207",
                "R1",
                "",
                ""
            ]
        );
        assert_eq!(yoshida[3][6], "NON_ASCII");
        assert_eq!(yoshida[3][7], "warn");
        // An account without findings: one row, empty code.
        let suzuki = rows.iter().find(|r| r[1] == "suzuki").unwrap();
        assert_eq!(&suzuki[4..10], ["pass", "13+", "", "", "", "not_found"]);
        let skipped = rows.iter().find(|r| r[1] == "WS01$").unwrap();
        assert_eq!(skipped[4], "skipped");
        let unverified = rows.iter().find(|r| r[1] == "admin").unwrap();
        assert_eq!(unverified[4], "unverified");
        assert_eq!(unverified[9], "unchecked");
        // Nothing tried against its hash: the stable name, then why in words with the cost.
        assert_eq!(
            unverified[11],
            "cost_exceeds_budget: not verified: sha512crypt rounds=999999999 takes ≈ 4.8 min of \
             one core per try, more than the budget per hash (--salted-budget 100,000 units ≈ \
             8.0 ms)"
        );
        // The hash prefix is not a CSV column at all.
        assert!(!s.contains("$6$rounds"));
    }

    #[test]
    fn baseline_column_is_appended_and_resolved_findings_follow() {
        // Without a baseline: the column is there, empty on every row.
        let rows = parse(render(&fixture::sample(true)).trim_start_matches('\u{FEFF}'));
        assert_eq!(rows[0].last().unwrap(), "baseline");
        assert!(rows[1..].iter().all(|r| r[12].is_empty()));

        let ev = crate::report::doc::baseline_tests::compared();
        let rows = parse(render(&ev).trim_start_matches('\u{FEFF}'));
        assert!(rows.iter().all(|r| r.len() == COLUMNS.len()));
        let state = |sys: &str, acct: &str, code: &str| {
            rows.iter()
                .find(|r| r[0] == sys && r[1] == acct && r[6] == code)
                .map(|r| r[12].clone())
        };
        assert_eq!(state("ad01", "yoshida", "BREACHED").unwrap(), "new");
        assert_eq!(state("ad01", "yoshida", "TOO_SHORT").unwrap(), "unchanged");
        // A row without a finding has no state.
        assert_eq!(state("ad01", "suzuki", "").unwrap(), "");
        // The resolved ones come last, with what identified them.
        let n = rows.len();
        assert_eq!(rows[n - 2][..2], ["rt01", "admin"]);
        assert_eq!(rows[n - 2][6..8], ["GUESSABLE", "fail"]);
        assert_eq!(rows[n - 2][4], "", "no verdict: the finding is gone");
        assert_eq!(rows[n - 1][..2], ["ad01", ""]);
        assert_eq!(rows[n - 1][6], "POLICY_MIN_LENGTH");
        assert!(rows[n - 2..].iter().all(|r| r[12] == "resolved"));
        assert_eq!(rows.iter().filter(|r| r[12] == "resolved").count(), 2);
    }

    #[test]
    fn hostile_names_are_quoted_and_defused() {
        let ev = fixture::sample(true);
        let rows = parse(render(&ev).trim_start_matches('\u{FEFF}'));
        let evil = rows
            .iter()
            .find(|r| r[0] == "pc-01" && r[6] == "EMPTY_PASSWORD")
            .unwrap();
        assert_eq!(evil[1], super::super::visible(fixture::EVIL_NAME));
        assert_eq!(evil[1], "<script>alert(\"x\")</script>|`tick`␊line2␀␛[31m");
        assert_eq!(evil[9], "error");
        let formula = rows.iter().find(|r| r[5] == "8+mfa").unwrap();
        assert_eq!(formula[1], format!("'{}", fixture::FORMULA_NAME));
    }

    #[test]
    fn cell_quoting_rules() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        // Control characters are made visible: a line break cannot split a row, a NUL or an
        // escape sequence cannot hide.
        assert_eq!(cell("two\nlines"), "two␊lines");
        assert_eq!(cell("ad\0min\x1b[2J"), "ad␀min␛[2J");
        assert_eq!(cell("a,\r\n"), "\"a,␍␊\"");
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "␉x");
        assert_eq!(cell("=a,b"), "\"'=a,b\"");
        assert_eq!(cell(""), "");
        assert_eq!(cell("a=b"), "a=b");
    }
}
