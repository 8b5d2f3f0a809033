//! Scheduled jobs end to end: `--fail-on undetermined`, the baseline state in every report, errors
//! on stderr whatever `--quiet` says, and the README's job script, cron line and systemd units
//! run or checked as written.

use crate::support::{
    audit_into, code, evidence_json, example_dir, fixtures, kensa, stderr, stdout,
};
use kensa::model::evidence::Answer;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fast, offline audit options.
const QUICK: [&str; 4] = ["--hibp", "off", "--salted-budget", "1000000"];

/// A sha512crypt hash of a long random password no wordlist holds: an account nobody can verify.
const STRONG_SHADOW: &str = "alice:$6$Qw3rTy7u$zpi2LleXhca5NhZ6Cw8IT/Mz/qqepsB5ZbESjnVDJpVB9nIz/iZ9TZUU5/QTxcGCnG9SaZBatwhS3Vh2gDNrD/:19700:0:99999:7:::\n";

/// A copy of the example facility in a fresh temp dir; returns (dir, facility folder).
fn facility_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fac = dir.path().join("facility");
    fs::create_dir(&fac).unwrap();
    for e in fs::read_dir(example_dir()).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, fac.join(p.file_name().unwrap())).unwrap();
    }
    (dir, fac)
}

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = QUICK.to_vec();
    a.extend_from_slice(extra);
    a
}

#[test]
fn fail_on_undetermined_exits_1_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let shadow = dir.path().join("srv-shadow");
    fs::write(&shadow, STRONG_SHADOW).unwrap();
    let input = format!("shadow:{}", shadow.display());
    let run = |fail_on: Option<&str>, out: &str| {
        let mut a = args(&[&input]);
        if let Some(f) = fail_on {
            a.extend(["--fail-on", f]);
        }
        audit_into(&dir.path().join(out), &a)
    };
    // Unverified, no policy: 2-⑦ is 判定不能, and nothing fails.
    let (o, ev) = run(None, "r0");
    assert!(ev.complete);
    let answers: Vec<Answer> = ev.items.iter().map(|i| i.answer).collect();
    assert_eq!(answers, [Answer::Undetermined, Answer::Yes]);
    assert_eq!(code(&o), 0, "the default `any` keeps its meaning");
    let (o, _) = run(Some("undetermined"), "r1");
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let (o, _) = run(Some("reuse,undetermined"), "r2");
    assert_eq!(code(&o), 1);
    let (o, _) = run(Some("reuse"), "r3");
    assert_eq!(code(&o), 0);

    // A facility that answers はい to both: nothing undetermined, exit 0.
    let m = fixtures("compliant/audit.toml");
    let (o, ev) = audit_into(
        &dir.path().join("c"),
        &args(&[
            "--manifest",
            m.to_str().unwrap(),
            "--fail-on",
            "undetermined",
        ]),
    );
    let answers: Vec<Answer> = ev.items.iter().map(|i| i.answer).collect();
    assert_eq!(answers, [Answer::Yes, Answer::Yes]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // The help names it, and an unknown value lists it.
    let help = stdout(&kensa(&["help", "audit"]));
    assert!(help.contains("undetermined"), "{help}");
    let o = kensa(&["audit", "--fail-on", "undecided", &input]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("undetermined, new"), "{}", stderr(&o));
}

#[test]
fn quiet_never_hides_an_error_of_any_command() {
    let dir = tempfile::tempdir().unwrap();
    let d = |p: &str| dir.path().join(p).display().to_string();
    let shadow = d("srv-shadow");
    fs::write(&shadow, STRONG_SHADOW).unwrap();
    let a_file = d("a-file");
    fs::write(&a_file, "not a directory").unwrap();
    let missing = d("missing-shadow");
    let out = d("out");
    let input = format!("shadow:{shadow}");
    let cases: Vec<(Vec<String>, String)> = vec![
        // An input that cannot be read.
        (
            vec!["audit".into(), format!("shadow:{missing}")],
            missing.clone(),
        ),
        // A manifest that is not there.
        (
            vec!["audit".into(), "--manifest".into(), d("none.toml")],
            d("none.toml"),
        ),
        // A baseline that is not there.
        (
            vec![
                "audit".into(),
                "--baseline".into(),
                d("old.json"),
                input.clone(),
            ],
            d("old.json"),
        ),
        // A wordlist, an offline corpus.
        (
            vec![
                "audit".into(),
                "--wordlist".into(),
                d("words"),
                input.clone(),
            ],
            d("words"),
        ),
        // The reports cannot be written where --out says.
        (
            vec![
                "audit".into(),
                input.clone(),
                "--out".into(),
                a_file.clone(),
            ],
            a_file.clone(),
        ),
        // The hashcat export.
        (
            vec![
                "export".into(),
                "hashcat".into(),
                format!("shadow:{missing}"),
                "-o".into(),
                d("crack"),
            ],
            missing.clone(),
        ),
    ];
    for (mut a, names) in cases {
        a.push("--quiet".into());
        if a[0] == "audit" {
            a.extend(["--hibp".into(), "off".into()]);
            if !a.contains(&"--out".to_string()) {
                a.extend(["--out".into(), out.clone()]);
            }
        }
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = kensa(&a);
        assert_eq!(code(&o), 2, "{a:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{a:?}: {}", stdout(&o));
        assert!(stderr(&o).contains(&names), "{a:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("kensa: "), "{a:?}: {}", stderr(&o));
    }
    // A bad --hibp corpus, with --quiet before the subcommand's other options.
    let corpus = d("corpus");
    let o = kensa(&["audit", "--quiet", "--hibp", &corpus, "--out", &out, &input]);
    assert_eq!(code(&o), 2);
    assert!(
        o.stdout.is_empty() && stderr(&o).contains(&corpus),
        "{}",
        stderr(&o)
    );
}

#[test]
fn baseline_state_reaches_every_report() {
    let (dir, fac) = facility_copy();
    let m = fac.join("audit.toml");
    let m = m.to_str().unwrap();
    let first = dir.path().join("r1");
    let (o, _) = audit_into(&first, &args(&["--manifest", m, "--quiet"]));
    assert_eq!(code(&o), 1, "{}", stderr(&o));

    // pc-02's Administrator is gone (its findings resolved), a weak `temp` account is new.
    let sam = fac.join("pc-02-sam.txt");
    let text = fs::read_to_string(&sam).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with("Administrator:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(
        &sam,
        kept + "temp:1002:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n",
    )
    .unwrap();
    let second = dir.path().join("r2");
    let old = first.join("evidence.json");
    let (o, ev) = audit_into(
        &second,
        &args(&[
            "--manifest",
            m,
            "--baseline",
            old.to_str().unwrap(),
            "--format",
            "all",
            "--quiet",
        ]),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let b = ev.baseline.as_ref().unwrap();
    assert!(b.counts.new > 0 && b.counts.resolved > 0, "{:?}", b.counts);

    let md = fs::read_to_string(second.join("evidence.md")).unwrap();
    assert!(md.contains("## 前回との比較"), "{md}");
    assert!(md.contains("### 解消した指摘"));
    let resolved_line = md
        .lines()
        .find(|l| l.contains("| pc-02 | Administrator |") && l.starts_with("| 解消"))
        .unwrap_or_else(|| panic!("no resolved row for pc-02/Administrator:\n{md}"));
    assert!(resolved_line.contains("アカウント"), "{resolved_line}");
    let temp_row = md
        .lines()
        .find(|l| l.starts_with("| pc-02 | temp |"))
        .unwrap();
    assert!(temp_row.trim_end().ends_with("| 新規 |"), "{temp_row}");
    let html = fs::read_to_string(second.join("evidence.html")).unwrap();
    assert!(html.contains("前回との比較") && html.contains("<td class=\"warn k\">新規</td>"));

    let csv = fs::read_to_string(second.join("evidence.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(",salted_skipped,baseline,kind,"),
        "{header}"
    );
    // The state, then the kind of row.
    assert!(csv
        .lines()
        .any(|l| l.starts_with("pc-02,temp,") && l.contains(",new,account,")));
    assert!(csv
        .lines()
        .any(|l| l.starts_with("pc-02,Administrator,") && l.contains(",resolved,resolved,")));
    // The baseline sheet is the workbook's last.
    let xlsx = fs::read(second.join("evidence.xlsx")).unwrap();
    assert!(xlsx.len() > 1000);
    let names = sheet_names(&second.join("evidence.xlsx"));
    assert_eq!(
        names.last().map(String::as_str),
        Some("前回比"),
        "{names:?}"
    );

    // The same run without a baseline keeps the CSV column, empty, and no section.
    let third = dir.path().join("r3");
    audit_into(&third, &args(&["--manifest", m, "--quiet"]));
    let md = fs::read_to_string(third.join("evidence.md")).unwrap();
    assert!(!md.contains("前回"));
    let json = evidence_json(&third);
    assert!(json.get("baseline").is_none());
}

/// The sheet names of a workbook (its `xl/workbook.xml`).
fn sheet_names(xlsx: &Path) -> Vec<String> {
    let f = fs::File::open(xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(f).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut xml).unwrap();
    xml.split("<sheet name=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// The README's "A scheduled job" section.
fn job_section() -> String {
    let readme = fs::read_to_string(crate::support::root().join("README.md")).unwrap();
    let start = readme.find("### A scheduled job").expect("the section");
    let end = start + readme[start..].find("\n### ").unwrap();
    readme[start..end].to_string()
}

/// The code blocks of `section` fenced as ```` ```tag ````.
fn blocks(section: &str, tag: &str) -> Vec<String> {
    let fence = format!("```{tag}\n");
    section
        .split(&fence)
        .skip(1)
        .map(|b| b[..b.find("```").unwrap()].to_string())
        .collect()
}

#[test]
fn readme_job_script_runs_as_written() {
    let script_text = blocks(&job_section(), "sh").remove(0);
    assert!(script_text.starts_with("#!/bin/sh\n"));
    let (dir, fac) = facility_copy();
    let script = dir.path().join("kensa-weekly");
    fs::write(&script, &script_text).unwrap();
    let run = |extra: &[&str]| {
        let o = Command::new("sh")
            .arg(&script)
            .args(["--salted-budget", "1000000"])
            .args(extra)
            .env("KENSA", env!("CARGO_BIN_EXE_kensa"))
            .env("KENSA_DIR", &fac)
            .env("KENSA_HIBP", "off")
            .output()
            .unwrap();
        let last = fs::read_link(fac.join("last")).ok();
        (o, last)
    };
    // First run: no baseline yet; the example facility fails (new acts as any): exit 1, and the
    // complete evidence becomes the baseline.
    let (o, last1) = run(&[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", stderr(&o));
    let last1 = last1.expect("last points at the first run");
    assert!(last1.starts_with("runs"), "{last1:?}");
    assert!(evidence_json(&fac.join(&last1))["baseline"].is_null());

    // Second run: compared with the first, nothing new: exit 0, the baseline moves on.
    let (o, last2) = run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let last2 = last2.unwrap();
    assert_ne!(last1, last2);
    let ev = evidence_json(&fac.join(&last2));
    assert_eq!(ev["baseline"]["counts"]["new"], 0);
    assert!(ev["baseline"]["path"]
        .as_str()
        .unwrap()
        .ends_with("last/evidence.json"));

    // An input gains a malformed line: exit 2, told on stderr, and that run is no baseline.
    let sam = fac.join("pc-02-sam.txt");
    let mut text = fs::read_to_string(&sam).unwrap();
    text.push_str("broken line\n");
    fs::write(&sam, text).unwrap();
    let (o, last3) = run(&[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("pc-02-sam.txt:3"), "{}", stderr(&o));
    assert_eq!(
        last3.unwrap(),
        last2,
        "incomplete evidence is never the baseline"
    );
    // Every run was kept.
    assert_eq!(fs::read_dir(fac.join("runs")).unwrap().count(), 3);
}

#[test]
fn readme_cron_line_units_and_flags_are_valid() {
    let section = job_section();
    // Every option the section names exists.
    let help = stdout(&kensa(&["help", "audit"]));
    let mut named = 0;
    for word in section.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let flag = word.strip_prefix("--");
        // `--now` is systemctl's.
        let flag = flag.filter(|f| *f != "now");
        if let Some(flag) = flag.filter(|f| f.starts_with(|c: char| c.is_ascii_lowercase())) {
            named += 1;
            assert!(
                help.contains(&format!("--{flag}")),
                "--{flag} is not an option"
            );
        }
    }
    assert!(named >= 8, "{named}");
    // Every --fail-on value of the section's table is accepted (exit 0 or 1, not a usage error).
    let values: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .flat_map(|l| l[..l.find(" |").unwrap()].split(", "))
        .map(|v| v.trim_matches('`').trim_end_matches("` (default)"))
        .collect();
    assert!(
        values.contains(&"undetermined") && values.len() == 9,
        "{values:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let shadow = dir.path().join("srv-shadow");
    fs::write(&shadow, STRONG_SHADOW).unwrap();
    let input = format!("shadow:{}", shadow.display());
    for v in values {
        let (o, _) = audit_into(&dir.path().join(v), &args(&["--fail-on", v, &input]));
        assert!(code(&o) <= 1, "--fail-on {v}: {}", stderr(&o));
    }

    // The cron line: five time fields, then the script the section installs.
    let cron = blocks(&section, "cron").remove(0);
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert_eq!(&fields[..5], ["0", "6", "*", "*", "1"]);
    assert_eq!(fields.last(), Some(&"/usr/local/bin/kensa-weekly"));
    assert!(section.contains("A script for the job, `/usr/local/bin/kensa-weekly`"));

    // The units, checked by systemd itself where it is installed (with ExecStart pointing at a
    // script that exists here).
    let ini = blocks(&section, "ini").remove(0);
    let (service, timer) =
        ini.split_at(ini.find("# /etc/systemd/system/kensa-audit.timer").unwrap());
    assert!(service.contains("ExecStart=/usr/local/bin/kensa-weekly\n"));
    let analyze = Command::new("systemd-analyze").arg("--version").output();
    if analyze.is_ok_and(|o| o.status.success()) {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("kensa-weekly");
        fs::write(&script, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        let service = service.replace("/usr/local/bin/kensa-weekly", script.to_str().unwrap());
        fs::write(dir.path().join("kensa-audit.service"), service).unwrap();
        fs::write(dir.path().join("kensa-audit.timer"), timer).unwrap();
        let o = Command::new("systemd-analyze")
            .arg("verify")
            .args(["kensa-audit.service", "kensa-audit.timer"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }
}
