//! evidence.csv: one row per finding for spreadsheets; UTF-8 with BOM, RFC 4180.
//!
//! Rows, in order: one per (account, finding); one per policy finding; one per reuse group (one
//! per group, not per member: every member already has its row with its `REUSED_*` finding, and
//! the group row gives the group's systems, vendors and members in one place); with a baseline,
//! one per finding resolved since. The `kind` column tells them apart.
//!
//! Codes, states, ids and dates are stable names like the JSON's; only the `detail` follows the
//! report language. Cells that a spreadsheet would run as a formula are prefixed with a single
//! quote: account names are untrusted input.

use super::doc;
use super::Lang;
use crate::model::evidence::Evidence;
use std::io::{self, Write};

/// The header row, in column order. `salted_skipped` (added later): why nothing was verified
/// against the account's salted hash, its stable name (`account.salted.skipped`) then the same in
/// English words with the cost of one try. `baseline` (added later): the finding's state
/// against `--baseline` (`new`, `unchanged`; `resolved` rows follow the accounts), empty without.
/// Then `kind`, `system_name`, `vendor`, `item`, `finding_id` and `due_date` (see
/// [`doc::FINDING_COLUMNS`]).
pub const COLUMNS: [&str; 19] = doc::FINDING_COLUMNS;

/// Renders the evidence as CSV: BOM, header, then one CRLF-terminated row per (account, finding);
/// an account without findings gets one row with empty code, severity and detail. The policy
/// findings and the reuse groups follow, then, with a baseline, the findings resolved since.
pub fn render(ev: &Evidence, lang: Lang) -> String {
    let mut out = Vec::new();
    write(ev, lang, &mut out).expect("writing into memory cannot fail");
    String::from_utf8(out).expect("the CSV is UTF-8")
}

/// Writes the CSV of [`render`] into `out`, row by row: the rows are those of
/// [`doc::finding_table`].
pub fn write(ev: &Evidence, lang: Lang, out: &mut impl Write) -> io::Result<()> {
    out.write_all("\u{FEFF}".as_bytes())?;
    let table = doc::finding_table(ev, lang);
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
        let s = render(&ev, Lang::En);
        let body = s.strip_prefix('\u{FEFF}').expect("BOM");
        let rows = parse(body);
        assert_eq!(rows[0], COLUMNS);
        let accounts: usize = ev.accounts.iter().map(|a| a.findings.len().max(1)).sum();
        let policies: usize = ev.policies.iter().map(|p| p.findings.len()).sum();
        assert_eq!(rows.len() - 1, accounts + policies + ev.reuse_groups.len());
        // The account rows first, then the policies', then the groups'.
        let kinds: Vec<&str> = rows[1..].iter().map(|r| r[13].as_str()).collect();
        assert!(kinds[..accounts].iter().all(|k| *k == "account"));
        assert!(kinds[accounts..accounts + policies]
            .iter()
            .all(|k| *k == "policy"));
        assert_eq!(kinds[accounts + policies..], ["reuse"]);
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
                "",
                "account",
                "院内ドメイン",
                "",
                "2-7",
                "ad01/yoshida/TOO_SHORT",
                "2027-03-31"
            ]
        );
        // A warning is not due; an account without a finding has no item, id or date.
        assert_eq!(yoshida[3][16..], ["2-7", "ad01/yoshida/NON_ASCII", ""]);
        assert_eq!(yoshida[3][6], "NON_ASCII");
        assert_eq!(yoshida[3][7], "warn");
        // An account without findings: one row, empty code.
        let suzuki = rows.iter().find(|r| r[1] == "suzuki").unwrap();
        assert_eq!(&suzuki[4..10], ["pass", "13+", "", "", "", "not_found"]);
        assert_eq!(suzuki[13..], ["account", "院内ドメイン", "", "", "", ""]);
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
    fn policy_and_reuse_rows_carry_system_vendor_item_id_and_due_date() {
        let ev = fixture::sample(true);
        let rows = parse(render(&ev, Lang::Ja).trim_start_matches('\u{FEFF}'));
        let policy: Vec<_> = rows.iter().filter(|r| r[13] == "policy").collect();
        assert_eq!(policy.len(), 2);
        assert_eq!(
            policy[0],
            &vec![
                "ad01",
                "",
                "ad01-secedit.inf",
                "",
                "fail",
                "",
                "POLICY_ROTATION_TOO_LONG",
                "fail",
                "90 > 60 days",
                "",
                "",
                "",
                "",
                "policy",
                "院内ドメイン",
                "",
                "2-7",
                "ad01/policy/POLICY_ROTATION_TOO_LONG",
                "2027-03-31"
            ]
        );
        let reuse = rows.iter().find(|r| r[13] == "reuse").unwrap();
        assert_eq!(reuse[0], "ad01 rt01");
        assert_eq!(
            reuse[6..9],
            ["REUSED_ACROSS_SYSTEMS", "fail", "ad01/yoshida rt01/yoshida"]
        );
        assert_eq!(reuse[10], "R1");
        // Names and vendors of every system of the group; 2-⑧; due as it fails.
        assert_eq!(
            reuse[14..],
            [
                "院内ドメイン; ルータ",
                "MedNet Systems",
                "2-8",
                "reuse/ad01/yoshida",
                "2027-03-31"
            ]
        );
        // The vendor's system: its vendor on its account rows.
        let rt = rows
            .iter()
            .find(|r| r[0] == "rt01" && r[13] == "account")
            .unwrap();
        assert_eq!(rt[14..16], ["ルータ", "MedNet Systems"]);
        // Ids are unique per finding.
        let ids: Vec<&str> = rows[1..]
            .iter()
            .map(|r| r[17].as_str())
            .filter(|i| !i.is_empty())
            .collect();
        let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), distinct.len());
        // The same evidence gives the same rows in either language but the detail.
        let en = parse(render(&ev, Lang::En).trim_start_matches('\u{FEFF}'));
        assert_eq!(en.len(), rows.len());
        assert!(en
            .iter()
            .zip(&rows)
            .all(|(a, b)| a[..8] == b[..8] && a[9..] == b[9..]));
    }

    #[test]
    fn baseline_column_is_appended_and_resolved_findings_follow() {
        // Without a baseline: the column is there, empty on every row.
        let rows = parse(render(&fixture::sample(true), Lang::En).trim_start_matches('\u{FEFF}'));
        assert_eq!(rows[0][12], "baseline");
        assert!(rows[1..].iter().all(|r| r[12].is_empty()));
        assert_eq!(
            rows[0][13..],
            [
                "kind",
                "system_name",
                "vendor",
                "item",
                "finding_id",
                "due_date"
            ]
        );

        let ev = crate::report::doc::baseline_tests::compared();
        let rows = parse(render(&ev, Lang::En).trim_start_matches('\u{FEFF}'));
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
        assert!(rows[n - 2..].iter().all(|r| r[13] == "resolved"));
        // What identified them, as the ids of the rows they were; resolved, nothing is due.
        assert_eq!(rows[n - 2][16..], ["2-7", "rt01/admin/GUESSABLE", ""]);
        assert_eq!(
            rows[n - 1][16..],
            ["2-7", "ad01/policy/POLICY_MIN_LENGTH", ""]
        );
        // Policy and reuse rows of the current run carry their state too.
        let policy = rows.iter().find(|r| r[13] == "policy").unwrap();
        assert!(
            ["new", "unchanged"].contains(&policy[12].as_str()),
            "{policy:?}"
        );
        let reuse = rows.iter().find(|r| r[13] == "reuse").unwrap();
        assert_eq!(reuse[12], "unchanged");
        assert_eq!(rows.iter().filter(|r| r[12] == "resolved").count(), 2);
    }

    #[test]
    fn hostile_names_are_quoted_and_defused() {
        let ev = fixture::sample(true);
        let rows = parse(render(&ev, Lang::En).trim_start_matches('\u{FEFF}'));
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
