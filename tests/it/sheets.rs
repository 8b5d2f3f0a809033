//! The workbook and the CSV of the example facility as a spreadsheet user meets them: dates that
//! are dates, the はい/いいえ list on the answers, the statistics sheet and section, and the CSV's
//! policy and reuse rows with system name, vendor, item, finding id and due date. The xlsx is read
//! as the zip of XML parts it is, so no spreadsheet library is needed.

use crate::support::{audit, example};
use kensa::model::evidence::Evidence;
use kensa::model::{Code, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::OnceLock;

/// The example audited once per language with every format that has a spreadsheet side, its
/// files read (the tests share the two runs: an audit of the example is slow in a debug build).
struct Run {
    ev: Evidence,
    xlsx: BTreeMap<String, String>,
    csv: String,
    md: String,
}

fn example_run(lang: &str) -> &'static Run {
    static JA: OnceLock<Run> = OnceLock::new();
    static EN: OnceLock<Run> = OnceLock::new();
    let cell = if lang == "ja" { &JA } else { &EN };
    cell.get_or_init(|| {
        let manifest = example();
        let (o, ev, dir) = audit(&[
            "--manifest",
            manifest.to_str().unwrap(),
            "--hibp",
            "off",
            "--format",
            "json,md,csv,xlsx",
            "--lang",
            lang,
        ]);
        assert!(o.status.code().is_some_and(|c| c < 2), "{o:?}");
        let report = dir.path().join("report");
        let read = |f: &str| std::fs::read_to_string(report.join(f)).unwrap();
        Run {
            xlsx: parts(&report.join("evidence.xlsx")),
            csv: read("evidence.csv"),
            md: read("evidence.md"),
            ev,
        }
    })
}

/// The parts of the xlsx by name.
fn parts(path: &Path) -> BTreeMap<String, String> {
    let bytes = std::fs::read(path).unwrap();
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

/// The value of attribute `name` in the text of a tag (after its element name).
fn attr<'x>(tag: &'x str, name: &str) -> Option<&'x str> {
    let key = format!("{name}=\"");
    let at = tag
        .match_indices(&key)
        .find(|(i, _)| *i == 0 || tag.as_bytes()[i - 1] == b' ')?
        .0
        + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// One cell as stored: its value, whether it is a shared string, and its style index.
#[derive(Debug, Clone)]
struct XCell {
    value: String,
    string: bool,
    style: usize,
}

/// The cells of the sheet named `name`: reference → cell (shared strings resolved).
fn sheet(p: &BTreeMap<String, String>, name: &str) -> BTreeMap<String, XCell> {
    let wb = &p["xl/workbook.xml"];
    let names: Vec<String> = wb
        .split("<sheet ")
        .skip(1)
        .map(|s| unescape(attr(s, "name").unwrap()))
        .collect();
    let n = names
        .iter()
        .position(|s| s == name)
        .unwrap_or_else(|| panic!("no sheet {name} in {names:?}"))
        + 1;
    let strings: Vec<String> = p["xl/sharedStrings.xml"]
        .split("<si>")
        .skip(1)
        .map(|si| {
            let body = &si[si.find("<t").unwrap()..];
            unescape(&body[body.find('>').unwrap() + 1..body.find("</t>").unwrap()])
        })
        .collect();
    let xml = &p[&format!("xl/worksheets/sheet{n}.xml")];
    let mut out = BTreeMap::new();
    for c in xml.split("<c ").skip(1) {
        let tag = &c[..c.find('>').unwrap()];
        let reference = attr(tag, "r").unwrap().to_string();
        let style = attr(tag, "s").map_or(0, |s| s.parse().unwrap());
        let string = tag.contains("t=\"s\"");
        let end = c.find("</c>").unwrap_or(c.len());
        let v = c[..end]
            .find("<v>")
            .map(|i| &c[i + 3..i + 3 + c[i + 3..].find("</v>").unwrap()])
            .unwrap_or("");
        let value = if string {
            strings[v.parse::<usize>().unwrap()].clone()
        } else {
            v.to_string()
        };
        out.insert(
            reference,
            XCell {
                value,
                string,
                style,
            },
        );
    }
    out
}

/// The number format of style `s` (`cellXfs` → `numFmts`), or "" for the general format.
fn number_format(p: &BTreeMap<String, String>, s: usize) -> String {
    let styles = &p["xl/styles.xml"];
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(s + 1).unwrap();
    let id = attr(xf, "numFmtId").unwrap();
    styles
        .split("<numFmt ")
        .skip(1)
        .find(|f| attr(f, "numFmtId") == Some(id))
        .map(|f| unescape(attr(f, "formatCode").unwrap()).replace('\\', ""))
        .unwrap_or_default()
}

/// The row number of the cell in column `col` showing `value`.
fn row_of(cells: &BTreeMap<String, XCell>, col: char, value: &str) -> u32 {
    cells
        .iter()
        .find(|(r, c)| r.starts_with(col) && r[1..].parse::<u32>().is_ok() && c.value == value)
        .map(|(r, _)| r[1..].parse().unwrap())
        .unwrap_or_else(|| panic!("no {value:?} in column {col}"))
}

/// Days since 1899-12-30 (Excel's serial day) of `YYYY-MM-DD`, counted independently.
fn serial(date: &str) -> String {
    let y: i64 = date[..4].parse().unwrap();
    let m: i64 = date[5..7].parse().unwrap();
    let d: i64 = date[8..].parse().unwrap();
    // Days from civil (Howard Hinnant), then shifted to Excel's epoch.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let unix = era * 146_097 + doe - 719_468;
    (unix + 25_569).to_string()
}

#[test]
fn checklist_dates_are_dates_and_answers_a_list_in_both_languages() {
    for (lang, answers, undetermined) in [
        ("ja", "\"はい,いいえ\"", "判定不能"),
        ("en", "\"Yes,No\"", "Undetermined"),
    ] {
        let Run { ev, xlsx: p, .. } = example_run(lang);
        assert_eq!(ev.checklists.len(), 2, "the example has both checklists");
        for checklist in &ev.checklists {
            let vendor = checklist.managed_by != kensa::model::ManagedBy::Institution;
            let title = match (lang, vendor) {
                ("ja", false) => "医療機関確認用",
                // One sheet per vendor: the example's first vendor by name.
                ("ja", true) => "事業者確認用 (MedNet Systems)",
                (_, false) => "For the facility",
                (_, true) => "For the vendor (MedNet Systems)",
            };
            let cells = sheet(p, title);
            let header = row_of(
                &cells,
                'D',
                if lang == "ja" {
                    "確認日"
                } else {
                    "Checked on"
                },
            );
            for (i, it) in checklist.items.iter().enumerate() {
                let r = header + 1 + i as u32;
                for (col, date) in [('D', Some(&it.checked_on)), ('E', it.target_date.as_ref())] {
                    let Some(date) = date else { continue };
                    let c = &cells[&format!("{col}{r}")];
                    assert!(!c.string, "{lang} {col}{r} is text: {c:?}");
                    assert_eq!(c.value, serial(date), "{lang} {col}{r}");
                    assert_eq!(number_format(p, c.style), "yyyy-mm-dd", "{lang} {col}{r}");
                }
            }
            // The answer column has the list on each item's row.
            let xml_name = format!("xl/worksheets/sheet{}.xml", 1 + usize::from(vendor));
            let xml = &p[&xml_name];
            let validations: Vec<&str> = xml.split("<dataValidation ").skip(1).collect();
            assert_eq!(validations.len(), checklist.items.len(), "{lang}");
            for (i, v) in validations.iter().enumerate() {
                assert_eq!(attr(v, "type"), Some("list"));
                assert_eq!(
                    attr(v, "sqref").unwrap(),
                    format!("C{}", header + 1 + i as u32)
                );
                let formula =
                    &v[v.find("<formula1>").unwrap() + 10..v.find("</formula1>").unwrap()];
                let undetermined_here =
                    checklist.items[i].answer == kensa::model::evidence::Answer::Undetermined;
                if undetermined_here {
                    assert!(formula.contains(undetermined));
                } else {
                    assert_eq!(formula, answers);
                }
            }
        }
    }
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF rows.
fn csv_rows(s: &str) -> Vec<Vec<String>> {
    let s = s.strip_prefix('\u{FEFF}').expect("BOM");
    let (mut rows, mut row, mut field, mut quoted) = (vec![], vec![], String::new(), false);
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
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_has_policy_and_reuse_rows_with_names_vendors_items_ids_and_dates() {
    let Run { ev, csv, .. } = example_run("ja");
    let rows = csv_rows(csv);
    let head = &rows[0];
    assert_eq!(
        head[12..],
        [
            "baseline",
            "kind",
            "system_name",
            "vendor",
            "item",
            "finding_id",
            "due_date"
        ]
    );
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (kind, sys, name, vendor, item, id, due, code, sev) = (
        col("kind"),
        col("system"),
        col("system_name"),
        col("vendor"),
        col("item"),
        col("finding_id"),
        col("due_date"),
        col("code"),
        col("severity"),
    );
    let body = &rows[1..];
    assert!(body.iter().all(|r| r.len() == head.len()));
    let count = |k: &str| body.iter().filter(|r| r[kind] == k).count();
    let policy_findings: usize = ev.policies.iter().map(|p| p.findings.len()).sum();
    assert!(policy_findings > 0 && !ev.reuse_groups.is_empty());
    assert_eq!(count("policy"), policy_findings);
    assert_eq!(count("reuse"), ev.reuse_groups.len());
    assert_eq!(
        count("account"),
        ev.accounts
            .iter()
            .map(|a| a.findings.len().max(1))
            .sum::<usize>()
    );
    // System names and vendors come from the manifest.
    let names: BTreeMap<&str, (&str, &str)> = ev
        .systems
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                (
                    s.name.as_deref().unwrap_or(""),
                    s.vendor.as_deref().unwrap_or(""),
                ),
            )
        })
        .collect();
    for r in body.iter().filter(|r| r[kind] != "reuse") {
        assert_eq!(
            (r[name].as_str(), r[vendor].as_str()),
            names[r[sys].as_str()]
        );
    }
    let net = body.iter().find(|r| r[sys] == "net").unwrap();
    assert_eq!(net[vendor], "NetCare");
    // Every reuse group: its systems, the vendors of them, 2-⑧.
    for g in &ev.reuse_groups {
        let r = body
            .iter()
            .find(|r| r[kind] == "reuse" && r[col("reuse_group")] == g.id)
            .unwrap();
        assert_eq!(r[sys], g.systems.join(" "));
        assert_eq!(r[item], "2-8");
        assert_eq!(r[sev], g.severity.as_str());
        let vendors: BTreeSet<&str> = g
            .systems
            .iter()
            .filter_map(|s| Some(names[s.as_str()].1).filter(|v| !v.is_empty()))
            .collect();
        let got: BTreeSet<&str> = r[vendor].split("; ").filter(|v| !v.is_empty()).collect();
        assert_eq!(got, vendors, "{}", g.id);
    }
    // Items by code, and a due date exactly on the failing findings of an item answered いいえ.
    let target = |i: &str| {
        ev.items
            .iter()
            .find(|it| it.item == i)
            .and_then(|it| it.target_date.clone())
            .unwrap_or_default()
    };
    for r in body.iter().filter(|r| !r[code].is_empty()) {
        let c = Code::ALL.iter().find(|c| c.as_str() == r[code]).unwrap();
        let want = match c {
            Code::ReusedAcrossSystems | Code::ReusedWithinSystem | Code::DefaultPassword => "2-8",
            c if c.as_str().starts_with("NIST_")
                || matches!(c, Code::PolicyNoLockout | Code::PolicyMaxLengthLt64) =>
            {
                ""
            }
            _ => "2-7",
        };
        assert_eq!(r[item], want, "{r:?}");
        let due_want = if r[sev] == Severity::Fail.as_str() && !want.is_empty() {
            target(want)
        } else {
            String::new()
        };
        assert_eq!(r[due], due_want, "{r:?}");
    }
    assert!(body.iter().any(|r| r[due] == "2027-03-31"));
    // Ids: unique, and the same on a second run of the same inputs.
    let ids: Vec<&str> = body
        .iter()
        .map(|r| r[id].as_str())
        .filter(|i| !i.is_empty())
        .collect();
    assert_eq!(ids.len(), ids.iter().collect::<BTreeSet<_>>().len());
    assert!(ids.contains(&"linux01/policy/POLICY_MIN_LENGTH"), "{ids:?}");
    // The other language's run: the same ids (ids and codes never follow the language).
    let rows2 = csv_rows(&example_run("en").csv);
    let ids2: Vec<&str> = rows2[1..]
        .iter()
        .map(|r| r[id].as_str())
        .filter(|i| !i.is_empty())
        .collect();
    assert_eq!(ids, ids2);
}

#[test]
fn statistics_count_what_the_evidence_holds() {
    let Run {
        ev, xlsx: p, md, ..
    } = example_run("ja");
    // Counted here independently of the report code.
    let total = ev.accounts.len();
    let recovered = ev.accounts.iter().filter(|a| a.plaintext_known).count();
    let has = |a: &kensa::model::evidence::AccountEvidence, c: Code| {
        a.findings.iter().any(|f| f.code == c)
    };
    let lm = ev
        .accounts
        .iter()
        .filter(|a| has(a, Code::LmHashStored))
        .count();
    let empty = ev
        .accounts
        .iter()
        .filter(|a| has(a, Code::EmptyPassword))
        .count();
    let never = ev
        .accounts
        .iter()
        .filter(|a| a.password_never_expires)
        .count();
    let shared = ev
        .accounts
        .iter()
        .filter(|a| a.reuse_group.is_some())
        .count();
    let mut lengths: BTreeMap<usize, usize> = BTreeMap::new();
    for a in ev.accounts.iter().filter(|a| a.plaintext_known) {
        if let Some(n) = a.length {
            *lengths.entry(n).or_default() += 1;
        }
    }
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &ev.accounts {
        let codes: BTreeSet<&str> = a.findings.iter().map(|f| f.code.as_str()).collect();
        for c in codes {
            *per_code.entry(c).or_default() += 1;
        }
    }
    assert!(
        recovered > 0 && lm + empty > 0,
        "the example has something to count"
    );

    let s = sheet(p, "統計");
    let value = |key: &str| s[&format!("B{}", row_of(&s, 'A', key))].value.clone();
    assert_eq!(value("アカウント数（対象外を含む）"), total.to_string());
    let pct = (recovered * 1000 + total / 2) / total;
    assert_eq!(
        value("平文が判明したパスワード"),
        format!("{recovered} / {total} 件（{}.{}%）", pct / 10, pct % 10)
    );
    assert_eq!(value("LMハッシュが保存されたアカウント"), lm.to_string());
    assert_eq!(value("空のパスワード"), empty.to_string());
    assert_eq!(value("無期限のパスワード"), never.to_string());
    assert_eq!(
        value("他のアカウントと同じパスワードのアカウント"),
        shared.to_string()
    );
    // Each length a row (numbers), under its heading.
    let at = row_of(&s, 'A', "パスワードの長さ（文字数別）");
    for (i, (len, n)) in lengths.iter().enumerate() {
        let r = at + 2 + i as u32;
        assert_eq!(s[&format!("A{r}")].value, len.to_string());
        assert_eq!(s[&format!("B{r}")].value, n.to_string());
    }
    // Accounts per code: fail and warning columns add up to the accounts with the code.
    for (code, n) in &per_code {
        let r = row_of(&s, 'A', code);
        let fail: usize = s[&format!("C{r}")].value.parse().unwrap();
        let warn: usize = s[&format!("D{r}")].value.parse().unwrap();
        assert_eq!(fail + warn, *n, "{code}");
    }
    // The largest shared password first, as counts only.
    let biggest = ev
        .reuse_groups
        .iter()
        .map(|g| g.members.len())
        .max()
        .unwrap();
    let r = row_of(&s, 'A', "共有されたパスワード（上位）") + 2;
    assert_eq!(s[&format!("B{r}")].value, biggest.to_string());

    // The same section in the Markdown report; no plaintext of the example anywhere in it.
    let section = &md[md.find("## 統計").expect("a statistics section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    assert!(section.contains(&format!("**LMハッシュが保存されたアカウント**: {lm}")));
    let pot =
        std::fs::read_to_string(crate::support::example_dir().join("cracked.potfile")).unwrap();
    for line in pot.lines().filter(|l| !l.starts_with('#')) {
        if let Some((hash, plain)) = line.split_once(':') {
            assert!(
                plain.len() < 4 || !section.contains(plain),
                "a plaintext in the statistics"
            );
            assert!(!section.contains(hash), "a hash in the statistics");
        }
    }
}

#[test]
fn statistics_count_the_history_findings_by_change_and_severity() {
    // The recovery fixture: one password a number bumped from its history (fail: rotation is its
    // only way to pass), one with an end changed on a 13+ password (warning).
    let dir = crate::support::fixtures("recovery");
    let (manifest, pot) = (dir.join("audit.toml"), dir.join("cracked.potfile"));
    let (o, ev, out) = audit(&[
        "--manifest",
        manifest.to_str().unwrap(),
        "--potfile",
        pot.to_str().unwrap(),
        "--hibp",
        "off",
        "--format",
        "json,md",
        "--lang",
        "en",
    ]);
    assert!(o.status.code().is_some_and(|c| c < 2), "{o:?}");
    // Counted here: per account, the strongest severity of its PREDICTABLE_ROTATION.
    let mut fail = 0;
    let mut warn = 0;
    for a in &ev.accounts {
        let sev: Vec<Severity> = a
            .findings
            .iter()
            .filter(|f| f.code == Code::PredictableRotation)
            .map(|f| f.severity)
            .collect();
        if sev.contains(&Severity::Fail) {
            fail += 1;
        } else if !sev.is_empty() {
            warn += 1;
        }
    }
    assert!(fail > 0 && warn > 0, "the fixture has both");
    let md = std::fs::read_to_string(out.path().join("report/evidence.md")).unwrap();
    let section = &md[md.find("## Statistics").unwrap()..];
    assert!(section.contains(&format!(
        "**Passwords predictable from the history**: {}",
        fail + warn
    )));
    let history = &section[section.find("### Password history").unwrap()..];
    let rows: Vec<Vec<&str>> = history
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| ---"))
        .skip(1)
        .take(3)
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{history}");
    let sum = |col: usize| -> usize { rows.iter().map(|r| r[col].parse::<usize>().unwrap()).sum() };
    assert_eq!((sum(1), sum(2)), (fail, warn));
    // A number bumped is a fail here, an end changed a warning.
    assert_eq!(rows[1][0], "a previous password with a number changed");
    assert_ne!(rows[1][1], "0");
    assert_ne!(rows[2][2], "0");
}
