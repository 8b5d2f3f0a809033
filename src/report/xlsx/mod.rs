//! evidence.xlsx: the two checklist sheets (医療機関確認用・事業者確認用) laid out like the MHLW
//! checklist (one item per row, dates as dates, the answer as a はい/いいえ list), then accounts,
//! reuse groups, policies, inputs and statistics, for people who work in Excel.
//!
//! Every cell is written as a string or a number, never a formula: account names are untrusted
//! input and a name like `=cmd|…` must stay text. The output is deterministic: the document's
//! creation time is the evidence's `checked_on`, so the same evidence gives the same bytes.

mod cells;
mod sheets;
mod stats;
mod worklist;

use super::Lang;
use crate::model::evidence::{Checklist, Evidence};
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

    for (name, sheet) in checklist_sheets(ev, lang) {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        let mut extra = Vec::new();
        if let Some(v) = &sheet.vendor {
            extra.push((words::share_labels(lang).vendor_name.to_string(), v.clone()));
        }
        extra.extend(words::share_fields(ev, lang));
        checklist_sheet(
            ws,
            ev,
            sheet.managed_by,
            sheet.checklist,
            &extra,
            lang,
            t,
            x,
            &f,
        )?;
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
    let ws = wb.add_worksheet();
    ws.set_name(words::stats_labels(lang).heading)?;
    stats::stats_sheet(ws, ev, lang, &f)?;
    // Only with --baseline, and last: the other sheets keep their places.
    if ev.baseline.is_some() {
        let ws = wb.add_worksheet();
        ws.set_name(words::baseline_labels(lang).sheet)?;
        baseline_sheet(ws, ev, lang, x, &f)?;
    }

    wb.save_to_buffer()
}

/// The sheet names of the workbook of `ev` in `lang`, in order: 医療機関確認用 (not in a bundle
/// for one vendor), one 事業者確認用 per vendor (`事業者確認用 (NetCare)`; the aggregate
/// 事業者確認用 for evidence without per-vendor lists), then 是正計画, accounts, reuse groups, policies,
/// inputs and statistics (with `--baseline`, one more follows: 前回比, the comparison and the findings resolved
/// since).
pub fn sheet_names(ev: &Evidence, lang: Lang) -> Vec<String> {
    let x = words::workbook_labels(lang);
    checklist_sheets(ev, lang)
        .into_iter()
        .map(|(name, _)| name)
        .chain(
            [
                words::worklist_labels(lang).sheet,
                x.sheet_accounts,
                x.sheet_reuse,
                x.sheet_policies,
                x.sheet_inputs,
                words::stats_labels(lang).heading,
            ]
            .map(String::from),
        )
        .collect()
}

/// One checklist sheet to write: who answers it, its checklist (none: 対象システムなし) and the
/// 事業者名 of a per-vendor sheet.
struct ChecklistSheet<'a> {
    managed_by: ManagedBy,
    checklist: Option<&'a Checklist>,
    vendor: Option<String>,
}

/// The checklist sheets with their names. The 医療機関確認用 and 事業者確認用 sheets are always
/// there (saying 対象システムなし when empty), as on the MHLW form, except that a bundle for one
/// vendor has no 医療機関確認用.
fn checklist_sheets(ev: &Evidence, lang: Lang) -> Vec<(String, ChecklistSheet<'_>)> {
    let mut out = Vec::new();
    if ev.scope.is_none() {
        out.push((
            words::checklist_title(lang, ManagedBy::Institution).to_string(),
            ChecklistSheet {
                managed_by: ManagedBy::Institution,
                checklist: ev
                    .checklists
                    .iter()
                    .find(|c| c.managed_by == ManagedBy::Institution),
                vendor: None,
            },
        ));
    }
    let title = words::checklist_title(lang, ManagedBy::Vendor);
    if ev.vendor_checklists.is_empty() {
        out.push((
            title.to_string(),
            ChecklistSheet {
                managed_by: ManagedBy::Vendor,
                checklist: ev
                    .checklists
                    .iter()
                    .find(|c| c.managed_by == ManagedBy::Vendor),
                vendor: None,
            },
        ));
    }
    for ck in &ev.vendor_checklists {
        let vendor = words::vendor_shown(lang, ck.vendor.as_deref());
        let taken: Vec<&str> = out.iter().map(|(n, _)| n.as_str()).collect();
        let name = vendor_sheet_name(title, &vendor, &taken);
        out.push((
            name,
            ChecklistSheet {
                managed_by: ManagedBy::Vendor,
                checklist: Some(ck),
                vendor: Some(vendor),
            },
        ));
    }
    out
}

/// `事業者確認用 (NetCare)` as Excel accepts a sheet name: at most 31 characters (the vendor's
/// name cut to fit), none of `[]:*?/\` (each becomes `_`), no `'` at either end, and unlike the
/// names `taken` (Excel compares them without case; a number is added).
fn vendor_sheet_name(title: &str, vendor: &str, taken: &[&str]) -> String {
    let clean: String = vendor
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'');
    for n in 1.. {
        let suffix = if n == 1 {
            ")".to_string()
        } else {
            format!(") {n}")
        };
        let room =
            MAX_SHEET_NAME.saturating_sub(title.chars().count() + 2 + suffix.chars().count());
        let cut: String = clean.chars().take(room).collect();
        let name = format!("{title} ({}{suffix}", cut.trim_end());
        if !taken
            .iter()
            .any(|t| t.to_lowercase() == name.to_lowercase())
        {
            return name;
        }
    }
    unreachable!("some number makes the name unique")
}

/// Excel's limit on a sheet name, in characters.
const MAX_SHEET_NAME: usize = 31;

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
        let b = cells(&p, 9);
        assert_eq!(b["A1"], "前回との比較");
        assert_eq!(b["B3"], "old/evidence.json");
        assert_eq!((b["A7"].as_str(), b["B7"].as_str()), ("解消", "2"));
        let r = row_of(&b, 'G', "POLICY_MIN_LENGTH");
        assert_eq!(b[&format!("A{r}")], "解消");
        assert_eq!(b[&format!("B{r}")], "ポリシー");
        // Without a baseline: eight sheets, as before.
        let p = parts(&render(&fixture::sample(true), Lang::Ja));
        assert!(!p.contains_key("xl/worksheets/sheet9.xml"));
        assert_ne!(cells(&p, 4).get("N1").map(String::as_str), Some("前回比"));
    }

    #[test]
    fn a_zip_with_every_sheet_in_both_languages() {
        let ev = fixture::sample(true);
        assert_eq!(
            sheet_names(&ev, Lang::Ja),
            [
                "医療機関確認用",
                "事業者確認用 (MedNet Systems)",
                "是正計画",
                "アカウント",
                "使い回し",
                "ポリシー",
                "入力",
                "統計"
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
            assert_eq!(names, sheet_names(&ev, lang));
            for i in 1..=8 {
                assert!(p.contains_key(&format!("xl/worksheets/sheet{i}.xml")));
            }
        }
        assert_eq!(sheet_names(&ev, Lang::En)[0], "For the facility");
        assert_eq!(
            sheet_names(&ev, Lang::En)[1],
            "For the vendor (MedNet Systems)"
        );
        assert_eq!(sheet_names(&ev, Lang::En)[2], "Worklist");
        assert_eq!(sheet_names(&ev, Lang::En)[3], "Accounts");
    }

    #[test]
    fn one_vendor_sheet_per_vendor_with_its_name_and_names_excel_accepts() {
        let mut ev = fixture::sample(true);
        let mut other = ev.vendor_checklists[0].clone();
        other.vendor = Some("Net/Care: [保守]*株式会社ネットケア・メディカルサービス".into());
        let mut unnamed = other.clone();
        unnamed.vendor = None;
        ev.vendor_checklists.push(other);
        ev.vendor_checklists.push(unnamed);
        let names = sheet_names(&ev, Lang::Ja);
        assert_eq!(names[1], "事業者確認用 (MedNet Systems)");
        assert_eq!(names[2], "事業者確認用 (Net_Care_ _保守__株式会社ネット)");
        assert_eq!(names[3], "事業者確認用 (事業者名未記入)");
        for n in &names {
            assert!(n.chars().count() <= 31, "{n}");
        }
        let p = parts(&render(&ev, Lang::Ja));
        let third = cells(&p, 3);
        assert_eq!(
            third[&format!("B{}", row_of(&third, 'A', "事業者名"))],
            "Net/Care: [保守]*株式会社ネットケア・メディカルサービス"
        );
        let fourth = cells(&p, 4);
        assert_eq!(
            fourth[&format!("B{}", row_of(&fourth, 'A', "事業者名"))],
            "事業者名未記入"
        );
        assert_eq!(cells(&p, 6)["B1"], "アカウント");
        // The same name twice, and names equal but for case, stay apart.
        assert_eq!(
            vendor_sheet_name("事業者確認用", "netcare", &["事業者確認用 (NetCare)"]),
            "事業者確認用 (netcare) 2"
        );
        let long = "x".repeat(40);
        let first = vendor_sheet_name("事業者確認用", &long, &[]);
        let second = vendor_sheet_name("事業者確認用", &long, &[&first]);
        assert_ne!(first, second);
        assert!(second.chars().count() <= 31 && first.chars().count() == 31);
        // A bundle has no 医療機関確認用 sheet; its vendor sheet says what it covers.
        ev.scope = Some(crate::model::evidence::Scope {
            vendor: "MedNet Systems".into(),
        });
        ev.vendor_checklists.truncate(1);
        ev.masked_accounts = true;
        assert_eq!(
            sheet_names(&ev, Lang::Ja)[0],
            "事業者確認用 (MedNet Systems)"
        );
        let p = parts(&render(&ev, Lang::Ja));
        let first = cells(&p, 1);
        assert!(first[&format!("B{}", row_of(&first, 'A', "対象範囲"))].contains("MedNet Systems"));
        assert!(first.contains_key(&format!("B{}", row_of(&first, 'A', "アカウント名"))));
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
        // Dates as Excel serial days (2026-11-24, 2027-03-31).
        assert_eq!(inst[&format!("D{r7}")], "46350");
        assert_eq!(inst[&format!("E{r7}")], "46477");
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
    fn dates_are_dates_and_the_answer_is_a_list() {
        let ev = fixture::sample(true);
        let p = parts(&render(&ev, Lang::Ja));
        let sheet = &p["xl/worksheets/sheet1.xml"];
        let inst = cells(&p, 1);
        let r7 = row_of(&inst, 'A', "令和7年度版 2-⑦");
        // 2026-11-24 and 2027-03-31 as Excel serial days, not strings.
        assert_eq!(inst[&format!("D{r7}")], "46350");
        assert_eq!(inst[&format!("E{r7}")], "46477");
        let c = &sheet[sheet.find(&format!("<c r=\"D{r7}\"")).unwrap()..];
        assert!(!c[..c.find("</c>").unwrap()].contains("t=\"s\""));
        assert!(
            p["xl/styles.xml"].contains("formatCode=\"yyyy\\-mm\\-dd\"")
                || p["xl/styles.xml"].contains("formatCode=\"yyyy-mm-dd\"")
        );
        // The 確認日 of the header block too.
        assert_eq!(inst[&format!("B{}", row_of(&inst, 'A', "確認日"))], "46350");
        // The answer cells offer はい and いいえ; 判定不能 only where it is the answer.
        assert!(sheet.contains(&format!("sqref=\"C{r7}\"")), "{sheet}");
        assert!(sheet.contains("<formula1>\"はい,いいえ\"</formula1>"));
        let vendor = &p["xl/worksheets/sheet2.xml"];
        assert!(vendor.contains("<formula1>\"はい,いいえ,判定不能\"</formula1>"));
        let en = parts(&render(&ev, Lang::En));
        assert!(en["xl/worksheets/sheet1.xml"].contains("<formula1>\"Yes,No\"</formula1>"));
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
        ev.vendor_checklists.clear();
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
        ev.vendor_checklists.clear();
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
