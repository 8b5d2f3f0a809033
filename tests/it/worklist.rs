//! The remediation worklist (是正計画) end to end: privileged accounts flagged and listed first,
//! cross-system reuse next, per-system due dates, the baseline state, the edition's wording, in
//! worklist.csv, the md/html section and the workbook's sheet, and `kensa verify` over the file.

use crate::support::*;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

const QUICK: [&str; 4] = ["--hibp", "off", "--salted-budget", "1000000"];
const ALL: &str = "json,md,html,csv,xlsx";

/// The example facility copied, `net` given a due date of its own.
fn facility() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fac = dir.path().join("facility");
    fs::create_dir(&fac).unwrap();
    for e in fs::read_dir(example_dir()).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, fac.join(p.file_name().unwrap())).unwrap();
    }
    let m = fac.join("audit.toml");
    let text = fs::read_to_string(&m).unwrap().replace(
        "vendor = \"NetCare\"\n",
        "vendor = \"NetCare\"\ntarget_date = \"2026-12-31\"\n",
    );
    fs::write(&m, text).unwrap();
    (dir, fac)
}

fn run(fac: &Path, out: &Path, extra: &[&str]) -> kensa::model::evidence::Evidence {
    let m = fac.join("audit.toml");
    let mut a = QUICK.to_vec();
    a.extend([
        "--manifest",
        m.to_str().unwrap(),
        "--quiet",
        "--format",
        ALL,
    ]);
    a.extend_from_slice(extra);
    let (o, ev) = audit_into(out, &a);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    ev
}

/// worklist.csv as header and records (a small RFC 4180 reader; the BOM and CRLF checked).
fn worklist_csv(out: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(out.join("worklist.csv")).unwrap();
    let body = text.strip_prefix('\u{FEFF}').expect("a BOM");
    assert!(body.ends_with("\r\n"));
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = body.chars().peekable();
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
                assert_eq!(chars.next(), Some('\n'), "CRLF rows");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    let head = rows.remove(0);
    (head, rows)
}

fn col(head: &[String], name: &str) -> usize {
    head.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The parts of an xlsx file by name.
fn parts(xlsx: &Path) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(fs::File::open(xlsx).unwrap()).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            out.insert(f.name().to_string(), s);
        }
    }
    out
}

#[test]
fn the_example_worklist_lists_privileged_accounts_then_cross_system_reuse() {
    let (dir, fac) = facility();
    let out = dir.path().join("r");
    let ev = run(&fac, &out, &[]);

    // Privileged: the built-in Administrators (RID 500), root and the application's admin.
    let privileged: Vec<(String, String)> = ev
        .accounts
        .iter()
        .filter(|a| a.privileged)
        .map(|a| (a.system.to_string(), a.account.clone()))
        .collect();
    for (s, a) in [
        ("pc-01", "Administrator"),
        ("pc-02", "Administrator"),
        ("linux01", "root"),
        ("web01", "admin"),
    ] {
        assert!(
            privileged.contains(&(s.into(), a.into())),
            "{s}/{a}: {privileged:?}"
        );
    }
    assert!(!account(&ev, "pc-01", "Guest").privileged);
    assert!(!account(&ev, "pc-01", "nurse01").privileged);
    let json = evidence_json(&out);
    assert!(account_json(&json, "pc-01", "nurse01")
        .get("privileged")
        .is_none());
    // Due dates: net's own, the facility's for the others.
    let date = |id: &str| {
        ev.systems
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .target_date
            .clone()
    };
    assert_eq!(date("net").as_deref(), Some("2026-12-31"));
    assert_eq!(date("pc-01").as_deref(), Some("2027-03-31"));

    let (head, rows) = worklist_csv(&out);
    assert_eq!(head, kensa::report::worklist::COLUMNS);
    let [prio, system, vendor, account, privileged_at, severity, codes, action, action_code, due, state] =
        [
            "priority",
            "system",
            "vendor",
            "account",
            "privileged",
            "severity",
            "finding_codes",
            "action",
            "action_code",
            "target_date",
            "baseline",
        ]
        .map(|n| col(&head, n));
    assert!(rows.len() > 10, "{rows:?}");
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[prio], (i + 1).to_string());
        assert!(r[state].is_empty(), "no baseline, no state");
    }
    // privileged rows, then cross-system reuse, then failures, then warnings.
    let tier = |r: &Vec<String>| {
        if r[privileged_at] == "true" && !r[action_code].starts_with("UNIQUE_") {
            0
        } else if r[action_code] == "UNIQUE_PASSWORD_PER_SYSTEM" {
            1
        } else if r[severity] == "fail" {
            2
        } else {
            3
        }
    };
    let tiers: Vec<u8> = rows.iter().map(tier).collect();
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{tiers:?}");
    assert!(tiers.contains(&1) && tiers.contains(&2), "{tiers:?}");
    let first: Vec<(&str, &str)> = rows
        .iter()
        .take_while(|r| tier(r) == 0)
        .map(|r| (r[system].as_str(), r[account].as_str()))
        .collect();
    for want in [
        ("pc-01", "Administrator"),
        ("pc-02", "Administrator"),
        ("linux01", "root"),
        ("web01", "admin"),
    ] {
        assert!(first.contains(&want), "{want:?} not first: {first:?}");
    }
    // Inside a tier: by system.
    let systems: Vec<&str> = rows
        .iter()
        .filter(|r| tier(r) == 2)
        .map(|r| r[system].as_str())
        .collect();
    assert!(systems.windows(2).all(|w| w[0] <= w[1]), "{systems:?}");
    // A cross-system group names its systems and how many accounts share the password.
    let cross = rows.iter().find(|r| tier(r) == 1).unwrap();
    assert_eq!(cross[action], "機器ごとに異なるパスワードに変更");
    assert!(cross[account].contains("アカウント"), "{cross:?}");
    assert!(cross[codes].contains("REUSED_ACROSS_SYSTEMS"));
    // Reuse findings are not repeated on the account rows.
    for r in rows
        .iter()
        .filter(|r| !r[action_code].starts_with("UNIQUE_"))
    {
        assert!(!r[codes].contains("REUSED_"), "{r:?}");
    }
    // One row per (account, action): a short, guessable password is one change.
    let mut seen = std::collections::BTreeSet::new();
    for r in &rows {
        if !r[action_code].starts_with("UNIQUE_") && !r[action_code].starts_with("POLICY_") {
            assert!(
                seen.insert((&r[system], &r[account], &r[action_code])),
                "{r:?}"
            );
        }
    }
    let change = rows
        .iter()
        .find(|r| r[action_code] == "CHANGE_PASSWORD" && r[codes].contains(' '))
        .expect("a row merging several findings");
    assert!(
        change[action].starts_with("13文字以上の推定困難なパスワードに変更"),
        "{change:?}"
    );
    // Policy rows, with the edition's number.
    assert!(rows.iter().any(|r| r[account] == "ポリシー"));
    // Vendors and due dates.
    for r in &rows {
        match r[system].as_str() {
            "net" => {
                assert_eq!(r[vendor], "NetCare");
                assert_eq!(r[due], "2026-12-31");
            }
            "linux01" | "web01" => assert_eq!(r[vendor], "MedNet Systems"),
            "pc-01" | "pc-02" | "ad01" | "ldap01" => {
                assert_eq!(r[vendor], "医療機関");
                assert_eq!(r[due], "2027-03-31");
            }
            _ => {}
        }
    }

    // md and html: the section, privileged rows first.
    let md = fs::read_to_string(out.join("evidence.md")).unwrap();
    let at = md.find("## 是正計画").expect("the md section");
    let first_row = &md[at..][md[at..].find("| 1 |").unwrap()..];
    assert!(first_row.lines().next().unwrap().contains("特権"));
    let html = fs::read_to_string(out.join("evidence.html")).unwrap();
    assert!(html.contains(">是正計画</h2>"));
    assert!(html.contains("機器ごとに異なるパスワードに変更"));

    // The workbook: 是正計画 right after the checklist sheets (one per vendor), with filter and
    // frozen head.
    let p = parts(&out.join("evidence.xlsx"));
    let wb = &p["xl/workbook.xml"];
    let names: Vec<&str> = wb
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(
        names[..4],
        [
            "医療機関確認用",
            "事業者確認用 (MedNet Systems)",
            "事業者確認用 (NetCare)",
            "是正計画"
        ]
    );
    let sheet = &p["xl/worksheets/sheet4.xml"];
    assert!(sheet.contains("<autoFilter"), "an autofilter");
    assert!(sheet.contains("state=\"frozen\""), "a frozen header");
    let strings = &p["xl/sharedStrings.xml"];
    for s in ["順位", "対応", "対応コード", "UNIQUE_PASSWORD_PER_SYSTEM"] {
        assert!(strings.contains(s), "{s}");
    }

    // In the evidence set: the SHA-256 list, run.reports, and `kensa verify`.
    let sums = fs::read_to_string(out.join("evidence.sha256")).unwrap();
    assert!(sums.contains("  worklist.csv\n"), "{sums}");
    let reports = &ev.run.as_ref().unwrap().reports;
    assert!(reports.iter().any(|r| r.path == "worklist.csv"));
    let o = kensa(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let path = out.join("worklist.csv");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("NetCare", "NetKare")).unwrap();
    let o = kensa(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stdout(&o).contains("worklist.csv"), "{}", stdout(&o));
}

#[test]
fn the_worklist_comes_with_the_csv_and_in_english_with_en() {
    let (dir, fac) = facility();
    let out = dir.path().join("en");
    let m = fac.join("audit.toml");
    let mut a = QUICK.to_vec();
    a.extend(["--manifest", m.to_str().unwrap(), "--quiet", "--lang", "en"]);
    a.extend(["--format", "json,csv"]);
    let (o, _) = audit_into(&out, &a);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let (head, rows) = worklist_csv(&out);
    assert_eq!(head, kensa::report::worklist::COLUMNS);
    let action = col(&head, "action");
    assert!(rows
        .iter()
        .any(|r| r[action] == "Change to a different password on each system"));
    assert!(rows.iter().all(|r| !r[action].contains("パスワード")));
    assert!(rows.iter().any(|r| r[col(&head, "vendor")] == "Facility"));
    // Without csv among the formats, no worklist.csv.
    let out = dir.path().join("md");
    let mut a = QUICK.to_vec();
    a.extend([
        "--manifest",
        m.to_str().unwrap(),
        "--quiet",
        "--format",
        "json,md",
    ]);
    let (o, _) = audit_into(&out, &a);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(!out.join("worklist.csv").exists());
    assert!(fs::read_to_string(out.join("evidence.md"))
        .unwrap()
        .contains("## 是正計画"));
}

#[test]
fn the_worklist_follows_the_edition_and_the_baseline() {
    let (dir, fac) = facility();
    // R7 offers periodic change as the alternative where the policy lacks it; R8 never does.
    let r7 = dir.path().join("r7");
    run(&fac, &r7, &[]);
    let r8 = dir.path().join("r8");
    run(&fac, &r8, &["--edition", "R8"]);
    let (head, rows8) = worklist_csv(&r8);
    let action = col(&head, "action");
    for r in &rows8 {
        for word in ["定期", "使用期間"] {
            assert!(!r[action].contains(word), "{r:?}");
        }
    }
    let (_, rows7) = worklist_csv(&r7);
    assert!(
        rows7
            .iter()
            .any(|r| r[action].contains("定期") || r[action].contains("使用期間")),
        "{rows7:?}"
    );
    let md8 = fs::read_to_string(r8.join("evidence.md")).unwrap();
    let section = &md8[md8.find("## 是正計画").unwrap()..];
    let section = &section[..3 + section[3..].find("\n## ").unwrap()];
    assert!(!section.contains("定期"), "{section}");

    // With a baseline: pc-02's new `temp` account is new, the rest unchanged.
    let sam = fac.join("pc-02-sam.txt");
    let text = fs::read_to_string(&sam).unwrap();
    fs::write(
        &sam,
        text + "temp:1002:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n",
    )
    .unwrap();
    let second = dir.path().join("second");
    let old = r7.join("evidence.json");
    run(&fac, &second, &["--baseline", old.to_str().unwrap()]);
    let (head, rows) = worklist_csv(&second);
    let [account, state] = ["account", "baseline"].map(|n| col(&head, n));
    let temp: Vec<&Vec<String>> = rows.iter().filter(|r| r[account] == "temp").collect();
    assert!(!temp.is_empty());
    assert!(temp.iter().all(|r| r[state] == "new"), "{temp:?}");
    assert!(rows
        .iter()
        .any(|r| r[account] == "Administrator" && r[state] == "unchanged"));
    assert!(rows
        .iter()
        .all(|r| r[state] == "new" || r[state] == "unchanged"));
    let md = fs::read_to_string(second.join("evidence.md")).unwrap();
    let section = &md[md.find("## 是正計画").unwrap()..];
    assert!(section.contains("新規"));
}
