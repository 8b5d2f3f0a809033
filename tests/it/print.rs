//! Reports that scale and print: a facility of many accounts gets counts per system and the first
//! failing accounts instead of every row, the HTML has a table of contents whose links resolve,
//! page numbers and a signature block in print, and the CSV still lists every account.

use crate::support::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The rows of the failing accounts' table a long report still shows (`doc::FIRST_ROWS`).
const FIRST_ROWS: usize = 10;

/// An inventory of 60 + 50 failing accounts on two systems and 25 passing ones on a third.
fn many_accounts(dir: &std::path::Path) -> std::path::PathBuf {
    let mut csv = String::from("system,account,password\n");
    // Written in reverse, so the report's order by system and account is its own.
    for i in (0..60).rev() {
        writeln!(csv, "sysa,user{i:02},koro1").unwrap();
    }
    for i in 0..50 {
        writeln!(csv, "sysb,clerk{i:02},abc{i}").unwrap();
    }
    for i in 0..25 {
        writeln!(csv, "sysc,dr{i:02},Vt{i}#qL9!mZr4@Wx{}kP", i * 7).unwrap();
    }
    let path = dir.join("inventory.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// The text between `from` and the next `to` after it.
fn between<'a>(hay: &'a str, from: &str, to: &str) -> &'a str {
    let start = hay.find(from).unwrap_or_else(|| panic!("missing {from:?}"));
    let rest = &hay[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn a_long_failing_table_becomes_counts_and_its_first_rows() {
    let input = tempfile::tempdir().unwrap();
    let inv = many_accounts(input.path());
    let (o, ev, dir) = audit(&[inv.to_str().unwrap(), "--hibp", "off"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let failing = ev
        .accounts
        .iter()
        .filter(|a| a.status.as_str() == "fail")
        .count();
    assert_eq!(failing, 110);
    let report = dir.path().join("report");
    let html = std::fs::read_to_string(report.join("evidence.html")).unwrap();
    let section = between(&html, "不合格のアカウント（2-⑦）</h2>", "<h2 ");
    assert!(section.contains("<p>不合格 110 件。システム別・指摘別の件数"));
    // Counts per system: sysa has 60, sysb 50, and no row for the passing system.
    assert!(section.contains("<tr><td class=\"k\">sysa</td><td class=\"n\">60</td>"));
    assert!(section.contains("<tr><td class=\"k\">sysb</td><td class=\"n\">50</td>"));
    let counts = between(section, "<table", "</table>");
    assert!(!counts.contains("sysc"));
    // The first rows, by system and account, folded on screen.
    let rows = between(section, "<details class=\"rows\">", "</details>");
    assert!(rows.contains("<summary>先頭 10 件（システム・アカウント順）</summary>"));
    assert_eq!(rows.matches("<tr>").count(), 1 + FIRST_ROWS);
    let first: Vec<&str> = rows
        .split("<tr><td class=\"k\">sysa</td><td class=\"k\">")
        .skip(1)
        .map(|r| r.split('<').next().unwrap())
        .collect();
    let expected: Vec<String> = (0..FIRST_ROWS).map(|i| format!("user{i:02}")).collect();
    assert_eq!(first, expected);
    assert!(section.contains(&format!(
        "<p>ほか {} 件は evidence.xlsx / evidence.csv を参照（全件は evidence.json にも記録）</p>",
        110 - FIRST_ROWS
    )));
    // The passing accounts are more than a table shows: counts only.
    let passing = between(&html, "合格のアカウント</h2>", "<h2 ");
    assert!(passing.contains("<p>該当 25 件。システム別の件数：</p>"));
    assert!(passing.contains("<td class=\"k\">sysc</td><td class=\"n\">25</td>"));
    assert!(!passing.contains("dr00"));
    assert!(passing.contains("<p>25 件の一覧は evidence.xlsx / evidence.csv を参照"));

    // The Markdown says the same.
    let md = std::fs::read_to_string(report.join("evidence.md")).unwrap();
    assert!(md.contains("不合格 110 件。システム別・指摘別の件数"));
    assert!(md.contains("| sysa | 60 |"));
    assert!(md.contains(&format!("ほか {} 件は evidence.xlsx", 110 - FIRST_ROWS)));
    let md_failing = between(&md, "## 不合格のアカウント（2-⑦）", "\n## ");
    assert!(md_failing.contains("| sysa | user09 |") && !md_failing.contains("| sysa | user10 |"));

    // The CSV keeps every account.
    let csv = std::fs::read_to_string(report.join("evidence.csv")).unwrap();
    let accounts: BTreeSet<&str> = csv
        .lines()
        .skip(1)
        // Account rows only (policy and reuse rows follow them; `kind` is the 14th column).
        .filter(|l| l.split(',').nth(13) == Some("account"))
        .filter_map(|l| {
            let mut f = l.split(',');
            Some((f.next()?, f.next()?))
        })
        .filter(|(s, _)| s.starts_with("sys"))
        .map(|(_, a)| a)
        .collect();
    assert_eq!(accounts.len(), 135);
}

#[test]
fn contents_link_to_headings_and_print_has_page_numbers_and_signature() {
    for lang in ["ja", "en"] {
        let (o, _, dir) = audit(&[
            "--manifest",
            example().to_str().unwrap(),
            "--hibp",
            "off",
            "--lang",
            lang,
        ]);
        assert!(code(&o) <= 1, "{}", stderr(&o));
        let html = std::fs::read_to_string(dir.path().join("report/evidence.html")).unwrap();
        let ids: BTreeSet<&str> = html
            .split(" id=\"")
            .skip(1)
            .map(|r| r.split('"').next().unwrap())
            .collect();
        let nav = between(&html, "<nav class=\"toc\"", "</nav>");
        let links: Vec<&str> = nav
            .split("href=\"#")
            .skip(1)
            .map(|r| r.split('"').next().unwrap())
            .collect();
        let h2 = html.matches("<h2 id=\"").count();
        assert_eq!(links.len(), h2, "a link for every section heading");
        assert!(h2 >= 15);
        for l in &links {
            assert!(ids.contains(l), "{l} links to no id");
        }
        assert_eq!(links.iter().collect::<BTreeSet<_>>().len(), links.len());
        // Print: page numbers of the whole, and a signature block after the answers.
        assert!(html.contains("@bottom-center { content: counter(page) \" / \" counter(pages);"));
        let sign = between(&html, "<section class=\"sign\">", "</section>");
        let boxes = if lang == "ja" {
            ["確認者", "確認日", "所属"]
        } else {
            ["Reviewed by", "Date", "Department"]
        };
        for b in boxes {
            assert!(sign.contains(&format!("<th>{b}</th><td></td>")), "{b}");
        }
        assert!(html.find("<section class=\"answers\">") < html.find("<section class=\"sign\">"));
    }
}
