//! evidence.xlsx: the two checklist sheets (医療機関確認用・事業者確認用) laid out like the MHLW
//! checklist, then accounts, reuse groups, policies and inputs, for people who work in Excel.
//!
//! Every cell is written as a string or a number, never a formula: account names are untrusted
//! input and a name like `=cmd|…` must stay text. The output is deterministic: the document's
//! creation time is the evidence's `checked_on`, so the same evidence gives the same bytes.

mod cells;
mod sheets;
mod worklist;

use super::Lang;
use crate::model::evidence::Evidence;
use crate::model::ManagedBy;
use crate::words::{self, Labels};
use cells::{cut, shown, Formats};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};
use sheets::{baseline_sheet, checklist_sheet, data_sheet, data_sheets, inputs_sheet};

/// Renders the evidence as an xlsx workbook (the bytes of `evidence.xlsx`).
///
/// Strings longer than Excel's cell limit are cut and tables longer than a sheet are cut with a
/// note, so this only fails on an internal error of the writer, which panics (no secret is in the
/// message). Use [`try_render`] to get that error instead.
pub fn render(ev: &Evidence, lang: Lang) -> Vec<u8> {
    match try_render(ev, lang) {
        Ok(bytes) => bytes,
        Err(e) => panic!("evidence.xlsx could not be built: {e}"),
    }
}

/// Renders the evidence as an xlsx workbook, returning the writer's error if any.
pub fn try_render(ev: &Evidence, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = words::labels(lang);
    let x = words::workbook_labels(lang);
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(ev, t));

    for managed_by in [ManagedBy::Institution, ManagedBy::Vendor] {
        let ws = wb.add_worksheet();
        ws.set_name(words::checklist_title(lang, managed_by))?;
        let checklist = ev.checklists.iter().find(|c| c.managed_by == managed_by);
        checklist_sheet(ws, ev, managed_by, checklist, lang, t, x, &f)?;
    }
    worklist::worklist_sheet(&mut wb, ev, lang, x, &f)?;
    for (name, rows, widths, frozen) in data_sheets(ev, lang) {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        data_sheet(ws, rows, widths, frozen, x, &f)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(x.sheet_inputs)?;
    inputs_sheet(ws, ev, lang, t, x, &f)?;
    // Only with --baseline, and last: the other sheets keep their places.
    if ev.baseline.is_some() {
        let ws = wb.add_worksheet();
        ws.set_name(words::baseline_labels(lang).sheet)?;
        baseline_sheet(ws, ev, lang, x, &f)?;
    }

    wb.save_to_buffer()
}

/// The sheet names of the workbook in `lang`, in order (with `--baseline`, one more follows:
/// 前回比, the comparison and the findings resolved since).
pub fn sheet_names(lang: Lang) -> [&'static str; 7] {
    let x = words::workbook_labels(lang);
    [
        words::checklist_title(lang, ManagedBy::Institution),
        words::checklist_title(lang, ManagedBy::Vendor),
        words::worklist_labels(lang).sheet,
        x.sheet_accounts,
        x.sheet_reuse,
        x.sheet_policies,
        x.sheet_inputs,
    ]
}

/// Title, author and a creation time fixed to the evidence's date (the bytes stay reproducible).
fn properties(ev: &Evidence, t: &Labels) -> DocProperties {
    let created = ExcelDateTime::parse_from_str(&ev.checked_on)
        .ok()
        .filter(|d| d.to_excel() >= 1.0)
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    let props = DocProperties::new()
        .set_title(t.doc_title)
        .set_subject(t.subtitle)
        .set_author(format!("{} {}", ev.tool.name, ev.tool.version))
        .set_company(cut(&shown(&ev.facility)));
    match created {
        Some(d) => props.set_creation_datetime(&d),
        None => props,
    }
}

#[cfg(test)]
mod tests {
    use super::cells::MAX_CELL_CHARS;
    use super::*;
    use crate::model::evidence::AccountEvidence;
    use crate::report::fixture;
    use std::collections::BTreeMap;
    use std::io::{Cursor, Read};

    const CMD_NAME: &str = "=cmd|' /C calc'!A0";

    /// The workbook's parts by name.
    fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
        let mut out = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            out.insert(f.name().to_string(), s);
        }
        out
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }

    /// The text between `<t…>` and `</t>` of every shared string, in index order.
    fn shared_strings(xml: &str) -> Vec<String> {
        xml.split("<si>")
            .skip(1)
            .map(|si| {
                let start = si.find("<t").unwrap();
                let body = &si[start..];
                let open_end = body.find('>').unwrap() + 1;
                let close = body.find("</t>").unwrap();
                unescape(&body[open_end..close])
            })
            .collect()
    }

    /// The cells of one sheet: reference (`C12`) → shown value; `F` marks a formula cell.
    fn cells(parts: &BTreeMap<String, String>, sheet: usize) -> BTreeMap<String, String> {
        let strings = shared_strings(&parts["xl/sharedStrings.xml"]);
        let xml = &parts[&format!("xl/worksheets/sheet{sheet}.xml")];
        let mut out = BTreeMap::new();
        for c in xml.split("<c r=\"").skip(1) {
            let reference = &c[..c.find('"').unwrap()];
            let end = c.find("</c>").unwrap_or(c.len());
            let body = &c[..end];
            let value = body
                .find("<v>")
                .map(|i| &body[i + 3..body.find("</v>").unwrap()]);
            let shown = if body.contains("<f>") {
                "F".to_string()
            } else if body.contains("t=\"s\"") {
                strings[value.unwrap().parse::<usize>().unwrap()].clone()
            } else {
                value.unwrap_or("").to_string()
            };
            out.insert(reference.to_string(), shown);
        }
        out
    }

    /// The row number of the first cell in column `col` showing `value`.
    fn row_of(cells: &BTreeMap<String, String>, col: char, value: &str) -> String {
        cells
            .iter()
            .find(|(r, v)| r.starts_with(col) && r[1..].parse::<u32>().is_ok() && *v == value)
            .map(|(r, _)| r[1..].to_string())
            .unwrap_or_else(|| panic!("no {value:?} in column {col}"))
    }

    fn with_cmd_account(mut ev: Evidence) -> Evidence {
        let mut a: AccountEvidence = ev.accounts[0].clone();
        a.account = CMD_NAME.into();
        a.source = "+SUM(1,2)".into();
        ev.accounts.push(a);
        ev
    }

    #[test]
    fn a_baseline_adds_a_state_column_and_a_last_sheet() {
        let ev = crate::report::doc::baseline_tests::compared();
        let p = parts(&render(&ev, Lang::Ja));
        let wb = &p["xl/workbook.xml"];
        assert!(wb.contains("<sheet name=\"前回比\""), "{wb}");
        assert!(wb.find("name=\"入力\"").unwrap() < wb.find("name=\"前回比\"").unwrap());
        // The accounts sheet: the state is the last column (N), one line per finding when mixed.
        let accounts = cells(&p, 4);
        assert_eq!(accounts["N1"], "前回比");
        let r = row_of(&accounts, 'B', "yoshida");
        assert!(accounts[&format!("N{r}")].contains("新規: 漏えい済み"));
        // The baseline sheet: counts (numbers) and the resolved findings with their codes.
        let b = cells(&p, 8);
        assert_eq!(b["A1"], "前回との比較");
        assert_eq!(b["B3"], "old/evidence.json");
        assert_eq!((b["A7"].as_str(), b["B7"].as_str()), ("解消", "2"));
        let r = row_of(&b, 'G', "POLICY_MIN_LENGTH");
        assert_eq!(b[&format!("A{r}")], "解消");
        assert_eq!(b[&format!("B{r}")], "ポリシー");
        // Without a baseline: seven sheets, as before.
        let p = parts(&render(&fixture::sample(true), Lang::Ja));
        assert!(!p.contains_key("xl/worksheets/sheet8.xml"));
        assert_ne!(cells(&p, 4).get("N1").map(String::as_str), Some("前回比"));
    }

    #[test]
    fn a_zip_with_every_sheet_in_both_languages() {
        let ev = fixture::sample(true);
        assert_eq!(
            sheet_names(Lang::Ja),
            [
                "医療機関確認用",
                "事業者確認用",
                "是正計画",
                "アカウント",
                "使い回し",
                "ポリシー",
                "入力"
            ]
        );
        for lang in [Lang::Ja, Lang::En] {
            let bytes = render(&ev, lang);
            assert_eq!(&bytes[..4], b"PK\x03\x04");
            let p = parts(&bytes);
            let wb = &p["xl/workbook.xml"];
            let names: Vec<&str> = wb
                .split("<sheet name=\"")
                .skip(1)
                .map(|s| &s[..s.find('"').unwrap()])
                .collect();
            assert_eq!(names, sheet_names(lang));
            for i in 1..=7 {
                assert!(p.contains_key(&format!("xl/worksheets/sheet{i}.xml")));
            }
        }
        assert_eq!(sheet_names(Lang::En)[0], "For the facility");
        assert_eq!(sheet_names(Lang::En)[2], "Worklist");
        assert_eq!(sheet_names(Lang::En)[3], "Accounts");
    }

    #[test]
    fn checklist_sheets_carry_the_answers_and_the_header_block() {
        let ev = fixture::sample(true);
        let p = parts(&render(&ev, Lang::Ja));
        let inst = cells(&p, 1);
        assert_eq!(inst["A1"], "パスワード監査エビデンス — 医療機関確認用");
        assert_eq!(
            inst[&format!("B{}", row_of(&inst, 'A', "医療機関名"))],
            "コロ病院"
        );
        assert_eq!(
            inst[&format!("B{}", row_of(&inst, 'A', "チェックリスト"))],
            "令和7年度版"
        );
        assert_eq!(
            inst[&format!("B{}", row_of(&inst, 'A', "ツールのバージョン"))],
            "kensa 0.1.0"
        );
        assert_eq!(
            inst[&format!("B{}", row_of(&inst, 'A', "対象システム"))],
            "ad01、pc-01"
        );
        let header = row_of(&inst, 'A', "項目");
        for (col, h) in [
            ('B', "確認事項"),
            ('C', "はい・いいえ"),
            ('D', "確認日"),
            ('E', "目標日"),
            ('F', "備考"),
        ] {
            assert_eq!(inst[&format!("{col}{header}")], h);
        }
        let r7 = row_of(&inst, 'A', "令和7年度版 2-⑦");
        assert_eq!(
            inst[&format!("B{r7}")],
            words::question(Lang::Ja, ev.edition_rules.as_ref(), "2-7").unwrap()
        );
        assert_eq!(inst[&format!("C{r7}")], "いいえ");
        assert_eq!(inst[&format!("D{r7}")], "2026-11-24");
        assert_eq!(inst[&format!("E{r7}")], "2027-03-31");
        assert_eq!(inst[&format!("F{r7}")], "ad01 に不合格 1 件");
        assert_eq!(inst[&format!("G{r7}")], "不合格 2、未検証 1、合格 1");
        let r8 = row_of(&inst, 'A', "令和7年度版 2-⑧");
        assert_eq!(r8.parse::<u32>().unwrap(), r7.parse::<u32>().unwrap() + 1);

        let vendor = cells(&p, 2);
        assert_eq!(
            vendor[&format!("C{}", row_of(&vendor, 'A', "令和7年度版 2-⑦"))],
            "はい"
        );
        assert_eq!(
            vendor[&format!("C{}", row_of(&vendor, 'A', "令和7年度版 2-⑧"))],
            "判定不能"
        );

        let en = parts(&render(&ev, Lang::En));
        let en1 = cells(&en, 1);
        let r7 = row_of(&en1, 'A', "2-⑦");
        assert_eq!(en1[&format!("C{r7}")], "No");
        assert_eq!(en1[&format!("C{}", row_of(&en1, 'A', "Item"))], "Yes / No");
    }

    #[test]
    fn answers_are_filled_green_red_amber() {
        let ev = fixture::sample(true);
        let p = parts(&render(&ev, Lang::Ja));
        let styles = &p["xl/styles.xml"];
        for rgb in ["FFC6EFCE", "FFFFC7CE", "FFFFEB9C"] {
            assert!(styles.contains(rgb), "missing fill {rgb}");
        }
        // The No and Undetermined answers use different styles (red vs amber).
        let style_of = |sheet: &str, cell: &str| {
            let i = sheet.find(&format!("<c r=\"{cell}\"")).unwrap();
            let c = &sheet[i..];
            let s = &c[c.find("s=\"").unwrap() + 3..];
            s[..s.find('"').unwrap()].to_string()
        };
        let inst = cells(&p, 1);
        let vendor = cells(&p, 2);
        let no = style_of(
            &p["xl/worksheets/sheet1.xml"],
            &format!("C{}", row_of(&inst, 'A', "令和7年度版 2-⑦")),
        );
        let yes = style_of(
            &p["xl/worksheets/sheet2.xml"],
            &format!("C{}", row_of(&vendor, 'A', "令和7年度版 2-⑦")),
        );
        let undetermined = style_of(
            &p["xl/worksheets/sheet2.xml"],
            &format!("C{}", row_of(&vendor, 'A', "令和7年度版 2-⑧")),
        );
        assert_ne!(no, yes);
        assert_ne!(no, undetermined);
        assert_ne!(yes, undetermined);
    }

    #[test]
    fn data_sheets_have_frozen_filtered_bold_headers() {
        let ev = fixture::sample(true);
        let p = parts(&render(&ev, Lang::Ja));
        for i in 3..=6 {
            let xml = &p[&format!("xl/worksheets/sheet{i}.xml")];
            assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet{i}");
            assert!(xml.contains("state=\"frozen\""), "sheet{i}");
            assert!(xml.contains("<cols>"), "sheet{i}");
        }
        assert!(p["xl/styles.xml"].contains("<b/>"));
        let accounts = cells(&p, 4);
        assert_eq!(accounts["A1"], "システム");
        assert_eq!(accounts["B1"], "アカウント");
        // One row per account, header included.
        assert!(accounts.contains_key(&format!("A{}", ev.accounts.len() + 1)));
        assert!(!accounts.contains_key(&format!("A{}", ev.accounts.len() + 2)));
        let r = row_of(
            &accounts,
            'G',
            "TOO_SHORT, BREACHED, REUSED_ACROSS_SYSTEMS, NON_ASCII",
        );
        assert_eq!(accounts[&format!("A{r}")], "ad01");
        assert_eq!(accounts[&format!("B{r}")], "yoshida");
        assert_eq!(accounts[&format!("E{r}")], "不合格");
        assert_eq!(accounts[&format!("I{r}")], "漏えいあり（1207件）");
        assert_eq!(accounts[&format!("J{r}")], "R1");
        assert_eq!(accounts[&format!("K{r}")], "10");
        assert!(accounts[&format!("H{r}")].contains("パスワードが短すぎます"));
        assert!(accounts[&format!("H{r}")].contains("［警告］"));
        // Control characters shown, never written raw into the XML.
        let evil = row_of(&accounts, 'B', &crate::report::visible(fixture::EVIL_NAME));
        assert_eq!(accounts[&format!("A{evil}")], "pc-01");

        let reuse = cells(&p, 5);
        assert_eq!(reuse["A2"], "R1");
        assert_eq!(reuse["F2"], "2");
        assert_eq!(reuse["G2"], "ad01 / yoshida\nrt01 / yoshida");
        // The proofs as the reports list them, the strongest first.
        assert_eq!(
            reuse["D2"],
            "ソルトなしハッシュが同一\n判明した平文を他方のハッシュで検証"
        );
        assert!(reuse["H2"].contains(" ↔ "));

        let policies = cells(&p, 6);
        assert_eq!(policies["A2"], "ad01");
        assert_eq!(policies["C2"], "不合格");
        // The pass-path column the reports show.
        assert_eq!(policies["D1"], "合格の根拠");
        assert_eq!(policies["E2"], "8");
        assert_eq!(policies["G2"], "90");
        assert_eq!(
            policies["J2"],
            "10回の失敗でロック（30分間、30分で回数をリセット）"
        );
        assert_eq!(
            policies["K2"],
            "POLICY_ROTATION_TOO_LONG, POLICY_COMPOSITION"
        );

        let inputs = cells(&p, 7);
        assert_eq!(inputs["A2"], "ad01-ntds.txt");
        assert_eq!(inputs["C2"], "utf-8");
        assert_eq!(inputs["D2"], ev.inputs[0].sha256);
        assert_eq!(inputs["E2"], "4096");
        assert_eq!(
            inputs[&format!("B{}", row_of(&inputs, 'A', "bad.txt:7"))],
            "expected 7 fields, found 3"
        );
        assert_eq!(
            inputs[&format!("B{}", row_of(&inputs, 'A', "データセットの日付"))],
            "2026-11-01"
        );
    }

    #[test]
    fn hostile_names_stay_strings_never_formulas() {
        let ev = with_cmd_account(fixture::sample(true));
        let p = parts(&render(&ev, Lang::En));
        for (name, xml) in &p {
            assert!(!xml.contains("<f>"), "a formula in {name}");
        }
        let accounts = cells(&p, 4);
        let r = row_of(&accounts, 'B', CMD_NAME);
        assert_eq!(accounts[&format!("C{r}")], "+SUM(1,2)");
        row_of(&accounts, 'B', fixture::FORMULA_NAME);
        // Formula-like text carries Excel's quote prefix, so editing the cell keeps it text.
        assert!(p["xl/styles.xml"].contains("quotePrefix=\"1\""));
        let sheet = &p["xl/worksheets/sheet4.xml"];
        let style = |cell: &str| {
            let c = &sheet[sheet.find(&format!("<c r=\"{cell}\"")).unwrap()..];
            let s = &c[c.find("s=\"").unwrap() + 3..];
            s[..s.find('"').unwrap()].to_string()
        };
        assert_ne!(style(&format!("B{r}")), style(&format!("A{r}")));
        assert!(shared_strings(&p["xl/sharedStrings.xml"]).contains(&CMD_NAME.to_string()));
    }

    #[test]
    fn no_hash_prefix_beyond_what_the_csv_shows() {
        let ev = fixture::sample(true);
        let p = parts(&render(&ev, Lang::Ja));
        for xml in p.values() {
            assert!(!xml.contains("$6$rounds"));
        }
    }

    #[test]
    fn same_evidence_same_bytes_with_a_fixed_creation_date() {
        let ev = fixture::sample(true);
        let a = render(&ev, Lang::Ja);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = render(&ev, Lang::Ja);
        assert!(a == b, "two renders differ");
        let core = &parts(&a)["docProps/core.xml"];
        assert!(core.contains("2026-11-24T00:00:00Z"), "{core}");
        assert!(core.contains("kensa 0.1.0"));
        // An unparsable date still gives a fixed, valid time.
        let mut odd = ev.clone();
        odd.checked_on = "someday".into();
        assert_eq!(render(&odd, Lang::En), render(&odd, Lang::En));
        assert!(
            parts(&render(&odd, Lang::En))["docProps/core.xml"].contains("2000-01-01T00:00:00Z")
        );
    }

    #[test]
    fn an_absent_checklist_says_no_systems_and_incomplete_is_flagged() {
        let mut ev = fixture::sample(false);
        ev.checklists
            .retain(|c| c.managed_by == ManagedBy::Institution);
        let p = parts(&render(&ev, Lang::Ja));
        let vendor = cells(&p, 2);
        assert_eq!(vendor["A1"], "パスワード監査エビデンス — 事業者確認用");
        assert_eq!(
            vendor[&format!("B{}", row_of(&vendor, 'A', "対象システム"))],
            "対象システムなし"
        );
        assert!(vendor.values().filter(|v| *v == "対象システムなし").count() >= 2);
        assert!(!vendor.values().any(|v| v == "項目"));
        let inst = cells(&p, 1);
        let status = &inst[&format!("B{}", row_of(&inst, 'A', "エビデンスの状態"))];
        assert!(status.starts_with("不完全（"), "{status}");
        assert!(
            status.contains("漏えい照会：未完了 — 照会失敗 1 件"),
            "{status}"
        );
        assert_eq!(
            inst[&format!("B{}", row_of(&inst, 'A', "漏えい照会"))],
            "未完了 — 照会失敗 1 件"
        );
        assert_eq!(
            inst[&format!("B{}", row_of(&inst, 'A', "確認日の指定"))],
            "マニフェストで指定"
        );
        assert!(inst
            .values()
            .any(|v| v.starts_with("注意：このエビデンスは不完全です")));
    }

    #[test]
    fn empty_evidence_still_gives_every_sheet_with_headers() {
        let mut ev = fixture::sample(true);
        ev.checklists.clear();
        ev.accounts.clear();
        ev.reuse_groups.clear();
        ev.policies.clear();
        ev.inputs.clear();
        ev.input_errors.clear();
        let p = parts(&try_render(&ev, Lang::En).unwrap());
        for sheet in [1, 2] {
            let c = cells(&p, sheet);
            let at = row_of(&c, 'A', "Systems");
            assert_eq!(c[&format!("B{at}")], "No systems");
        }
        assert_eq!(cells(&p, 4)["B1"], "Account");
        assert!(!cells(&p, 4).contains_key("A2"));
        assert_eq!(cells(&p, 5)["A1"], "Group");
        assert_eq!(cells(&p, 6)["A1"], "System");
        assert_eq!(cells(&p, 7)["D1"], "SHA-256");
    }

    #[test]
    fn overlong_cells_are_cut_to_the_excel_limit() {
        let mut ev = fixture::sample(true);
        ev.accounts[0].account = "あ".repeat(MAX_CELL_CHARS + 10);
        let p = parts(&try_render(&ev, Lang::Ja).unwrap());
        let accounts = cells(&p, 4);
        assert_eq!(accounts["B2"].chars().count(), MAX_CELL_CHARS);
        assert_eq!(cut("abc"), "abc");
    }
}
