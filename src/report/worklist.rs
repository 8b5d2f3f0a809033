//! worklist.csv: the remediation worklist (是正計画) for spreadsheets and ticket systems, written
//! with evidence.csv. UTF-8 with BOM, CRLF rows, cells a spreadsheet would run as a formula
//! defused, as in evidence.csv. The header and the codes (`action_code`, `finding_codes`,
//! `severity`, `baseline`) are stable English names; the words are in the report language.

use super::{csv, doc, Lang};
use crate::model::evidence::Evidence;
use std::io::{self, Write};

/// The file's name in the evidence set.
pub const FILE_NAME: &str = "worklist.csv";

/// The header row, in column order.
pub const COLUMNS: [&str; 13] = doc::CSV_COLUMNS;

/// Renders the worklist as CSV (see [`write`]).
pub fn render(ev: &Evidence, lang: Lang) -> String {
    let mut out = Vec::new();
    write(ev, lang, &mut out).expect("writing into memory cannot fail");
    String::from_utf8(out).expect("the CSV is UTF-8")
}

/// Writes the BOM, the header and one row per worklist row, in the worklist's order.
pub fn write(ev: &Evidence, lang: Lang, out: &mut impl Write) -> io::Result<()> {
    out.write_all("\u{FEFF}".as_bytes())?;
    csv::write_row(out, COLUMNS.iter().copied())?;
    for record in doc::csv_records(ev, lang) {
        csv::write_row(out, record.iter().map(String::as_str))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn a_bom_a_stable_header_crlf_rows_and_defused_cells() {
        let mut ev = fixture::sample(true);
        ev.accounts[0].findings = vec![crate::model::Finding::fail(
            crate::model::Code::TooShort,
            "",
        )];
        ev.accounts[0].account = "=cmd|' /C calc'!A0".into();
        for lang in [Lang::Ja, Lang::En] {
            let text = render(&ev, lang);
            let body = text.strip_prefix('\u{FEFF}').expect("BOM");
            let mut lines = body.split("\r\n");
            assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
            assert!(body.ends_with("\r\n") && !body.replace("\r\n", "").contains('\n'));
            assert!(body.contains(",'=cmd|' /C calc'!A0,"), "{body}");
            assert!(!body.contains(",=cmd"));
            let first = lines.next().unwrap();
            assert!(first.starts_with("1,"), "{first}");
            assert!(first.contains(",UNIQUE_PASSWORD_PER_SYSTEM,"), "{first}");
        }
        assert!(render(&ev, Lang::En).contains("Change to a different password on each system"));
    }
}
