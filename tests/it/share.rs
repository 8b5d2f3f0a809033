//! One 事業者確認用 per vendor in every format, the bundle for one vendor (`--vendor`), and
//! masked account names (`--mask-accounts`), on the example facility.

use crate::support::*;
use kensa::model::evidence::Evidence;
use kensa::model::ManagedBy;
use std::collections::BTreeSet;
use std::path::Path;

/// The example audited with every format (and `extra`): output, evidence, its directory.
fn example_audit(extra: &[&str]) -> (std::process::Output, Evidence, tempfile::TempDir) {
    let m = example();
    let mut args = vec![
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--format",
        "all",
    ];
    args.extend_from_slice(extra);
    audit(&args)
}

/// The text of every file of the set, the workbook's XML parts unzipped, by name.
fn set_texts(out: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for e in std::fs::read_dir(out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".xlsx") {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&p).unwrap()).unwrap();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                let part = format!("{name}!{}", f.name());
                let mut s = String::new();
                std::io::Read::read_to_string(&mut f, &mut s).unwrap();
                texts.push((part, s));
            }
        } else {
            texts.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    assert!(texts.len() > 6, "{texts:?}");
    texts
}

/// The words of `text`, as an account name would stand in it (the style sheet and the
/// manifest's file name left out: `:root`, `audit.toml`).
fn tokens(text: &str) -> BTreeSet<String> {
    let mut t = text.replace("audit.toml", "");
    while let (Some(a), Some(b)) = (t.find("<style>"), t.find("</style>")) {
        t.replace_range(a..b + "</style>".len(), "");
    }
    t.split(|c: char| !(c.is_alphanumeric() || "_-$".contains(c)))
        .map(String::from)
        .collect()
}

/// The sheet names of the workbook in `out`, in order.
fn sheet_names(out: &Path) -> Vec<String> {
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(out.join("evidence.xlsx")).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut xml).unwrap();
    xml.split("<sheet name=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn each_vendor_gets_its_own_checklist_with_its_name_and_systems_in_every_format() {
    let (o, ev, dir) = example_audit(&[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = dir.path().join("report");
    let lists: Vec<(Option<&str>, Vec<&str>)> = ev
        .vendor_checklists
        .iter()
        .map(|c| {
            assert_eq!(c.managed_by, ManagedBy::Vendor);
            (
                c.vendor.as_deref(),
                c.systems.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        lists,
        [
            (Some("MedNet Systems"), vec!["linux01", "web01"]),
            (Some("NetCare"), vec!["net"]),
        ]
    );
    // Each answered from its own systems: NetCare's 2-⑦ names net only.
    let netcare = &ev.vendor_checklists[1].items[0];
    assert!(netcare.remarks.contains("net"), "{}", netcare.remarks);
    assert!(!netcare.remarks.contains("linux01"), "{}", netcare.remarks);
    let mednet = &ev.vendor_checklists[0].items[0];
    assert!(mednet.remarks.contains("linux01") && !mednet.remarks.contains("（net"));
    // The aggregate lists stay as they were.
    assert_eq!(ev.checklists.len(), 2);
    assert_eq!(
        ev.checklists[1].systems,
        ["linux01", "net", "web01"].map(String::from)
    );

    let md = std::fs::read_to_string(out.join("evidence.md")).unwrap();
    assert!(md.contains("- **事業者名**: MedNet Systems\n- **対象システム**: linux01、web01"));
    assert!(md.contains("- **事業者名**: NetCare\n- **対象システム**: net"));
    assert_eq!(md.matches("### 事業者確認用").count(), 2, "{md}");
    assert_eq!(md.matches("### 医療機関確認用").count(), 1);
    let html = std::fs::read_to_string(out.join("evidence.html")).unwrap();
    assert!(html.contains("<dt>事業者名</dt><dd>NetCare</dd>\n<dt>対象システム</dt><dd>net</dd>"));
    assert!(html.contains("<dt>事業者名</dt><dd>MedNet Systems</dd>"));
    assert_eq!(
        &sheet_names(&out)[..3],
        [
            "医療機関確認用",
            "事業者確認用 (MedNet Systems)",
            "事業者確認用 (NetCare)"
        ]
    );
    let xlsx = set_texts(&out)
        .into_iter()
        .find(|(n, _)| n.ends_with("sharedStrings.xml"))
        .unwrap()
        .1;
    assert!(xlsx.contains(">事業者名<") && xlsx.contains(">NetCare<"));
    // The terminal names each vendor with its answers.
    let s = stdout(&o);
    assert!(s.contains("事業者確認用: MedNet Systems\n") && s.contains("事業者確認用: NetCare\n"));
}

#[test]
fn a_vendor_bundle_holds_no_account_of_other_systems_and_verifies() {
    let (_, full, _full_dir) = example_audit(&[]);
    let (o, ev, dir) = example_audit(&["--vendor", "NetCare"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = dir.path().join("report");
    assert_eq!(ev.scope.as_ref().unwrap().vendor, "NetCare");
    assert!(ev.systems.iter().all(|s| s.id == "net"));
    assert!(!ev.accounts.is_empty() && ev.accounts.iter().all(|a| &*a.system == "net"));
    assert_eq!(
        ev.items[0].remarks,
        full.vendor_checklists[1].items[0].remarks
    );
    assert_eq!(
        ev.inputs
            .iter()
            .map(|i| i.path.as_str())
            .collect::<Vec<_>>(),
        ["vendor-inventory.csv"]
    );
    // A group shared with other systems keeps net's members and counts the others.
    let shared = ev
        .reuse_groups
        .iter()
        .find(|g| g.outside_members > 0)
        .expect("net shares a password with another system");
    assert!(shared.members.iter().all(|m| m.system == "net"));
    let whole = full
        .reuse_groups
        .iter()
        .find(|g| g.id == shared.id)
        .unwrap();
    assert_eq!(
        shared.members.len() + shared.outside_members,
        whole.members.len()
    );

    let kept: Vec<&str> = ev.accounts.iter().map(|a| a.account.as_str()).collect();
    let others: BTreeSet<&str> = full
        .accounts
        .iter()
        .filter(|a| &*a.system != "net")
        .map(|a| a.account.as_str())
        .filter(|n| !kept.iter().any(|k| k.contains(n)))
        .collect();
    assert!(others.contains("yamada") && others.contains("Administrator"));
    for (file, text) in set_texts(&out) {
        let words = tokens(&text);
        for n in &others {
            assert!(!words.contains(*n), "{n} in {file}");
        }
        for s in ["linux01-shadow", "ad01-ntds.txt", "pc-01-sam.txt"] {
            assert!(!text.contains(s), "{s} in {file}");
        }
    }
    let md = std::fs::read_to_string(out.join("evidence.md")).unwrap();
    assert!(md.contains("- **対象範囲**: NetCare の管理するシステムのみ"));
    assert!(!md.contains("### 医療機関確認用"));
    assert_eq!(sheet_names(&out)[0], "事業者確認用 (NetCare)");

    let v = kensa(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&v), 0, "{}{}", stdout(&v), stderr(&v));
}

#[test]
fn an_unknown_vendor_is_a_usage_error_listing_the_vendors() {
    let m = example();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = kensa(&[
        "audit",
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--out",
        out.to_str().unwrap(),
        "--vendor",
        "Netcare",
    ]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("`Netcare`") && e.contains("MedNet Systems, NetCare"),
        "{e}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn masked_accounts_leave_no_name_of_the_example_in_any_file() {
    let (_, full, _full_dir) = example_audit(&[]);
    let (o, ev, dir) = example_audit(&["--mask-accounts"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(ev.masked_accounts);
    let out = dir.path().join("report");
    assert_eq!(kensa::engine::share::mask("yamada"), "ya***a");
    assert!(ev.accounts.iter().any(|a| a.account == "ya***a"));
    // `krbtgt` is also a word of the reports: the skip reason 「サービス用の秘密情報（krbtgt など）」.
    let names: BTreeSet<&str> = full
        .accounts
        .iter()
        .map(|a| a.account.as_str())
        .filter(|n| *n != "krbtgt")
        .collect();
    assert!(names.contains("yamada") && names.contains("rtx1210-admin"));
    let mut texts = set_texts(&out);
    texts.push(("stdout".into(), stdout(&o)));
    texts.push(("stderr".into(), stderr(&o)));
    for (file, text) in &texts {
        let words = tokens(text);
        for n in &names {
            assert!(!words.contains(*n), "{n} in {file}");
        }
    }
    let html = std::fs::read_to_string(out.join("evidence.html")).unwrap();
    assert!(
        html.contains("<dt>アカウント名</dt>"),
        "the report says names are masked"
    );
    assert!(stdout(&o).contains("アカウント名: 伏せ字"));
}

#[test]
fn systems_of_a_vendor_not_named_form_one_list_and_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example_dir().join("web01.htpasswd"),
        dir.path().join("web01.htpasswd"),
    )
    .unwrap();
    let manifest = dir.path().join("audit.toml");
    std::fs::write(
        &manifest,
        "facility = \"テスト病院\"\n[[system]]\nid = \"web01\"\nkind = \"application\"\n\
         managed_by = \"vendor\"\ninputs = [\"web01.htpasswd\"]\n",
    )
    .unwrap();
    let (o, ev, out) = audit(&["--manifest", manifest.to_str().unwrap(), "--hibp", "off"]);
    assert!(
        stderr(&o).contains("warning: web01: managed_by = \"vendor\" without a vendor name"),
        "{}",
        stderr(&o)
    );
    assert_eq!(ev.vendor_checklists.len(), 1);
    assert_eq!(ev.vendor_checklists[0].vendor, None);
    assert_eq!(ev.vendor_checklists[0].systems, ["web01"]);
    let md = std::fs::read_to_string(out.path().join("report/evidence.md")).unwrap();
    assert!(md.contains("- **事業者名**: 事業者名未記入"), "{md}");
    // No bundle can be made for it: there is no vendor to name.
    let o = kensa(&[
        "audit",
        "--manifest",
        manifest.to_str().unwrap(),
        "--hibp",
        "off",
        "--out",
        out.path().join("b").to_str().unwrap(),
        "--vendor",
        "事業者名未記入",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("no system names a vendor"),
        "{}",
        stderr(&o)
    );
}
