//! End-to-end tests of files as they come from the field: the real `kensa` binary on a Shift_JIS
//! inventory, a dump with one undecodable line and a UTF-16 dump without a BOM
//! (tests/fixtures/field/generate.py), and on input paths that are not there.

use crate::support::{audit_in, evidence, fixtures, item, kensa_in, name};
use kensa::model::evidence::{AccountStatus, Answer, Encoding, Evidence};
use kensa::model::{Code, Severity};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Audit `files` (named relative to tests/fixtures/field) into a fresh directory.
fn audit(files: &[&str]) -> (Output, Evidence, tempfile::TempDir) {
    let mut args = vec!["--hibp", "off"];
    args.extend_from_slice(files);
    audit_in(&fixtures("field"), &args)
}

/// (system, account, source) of every account, in the evidence's order.
fn accounts(ev: &Evidence) -> Vec<(String, String, String)> {
    ev.accounts
        .iter()
        .map(|a| (a.system.to_string(), a.account.clone(), a.source.clone()))
        .collect()
}

/// Every file written under `dir`, as bytes, with its name.
fn written(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(written(&p));
        } else {
            out.push((p.clone(), fs::read(&p).unwrap()));
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_dump_with_one_undecodable_line_loses_that_line_only() {
    let (o, ev, dir) = audit(&["ward-ntds.txt"]);
    // The evidence is incomplete (one input error), every other account is audited.
    assert_eq!(o.status.code(), Some(2));
    assert!(!ev.complete);
    let errors = &ev.input_errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].source, "ward-ntds.txt:4");
    assert_eq!(errors[0].message, "line is not valid UTF-8 text");
    let got = accounts(&ev);
    let want: Vec<(String, String, String)> = [
        ("alice_w", 2),
        ("bob_k", 3),
        ("carol_s", 5),
        ("dave_t", 6),
        ("erin_y", 7),
    ]
    .iter()
    .map(|(n, l)| {
        (
            "ward-ntds".to_string(),
            n.to_string(),
            format!("ward-ntds.txt:{l}"),
        )
    })
    .collect();
    assert_eq!(got, want);
    let carol = &ev.accounts[2];
    assert_eq!(
        carol.status,
        AccountStatus::Fail,
        "the audit went on: {carol:?}"
    );
    let input = &ev.inputs[0];
    assert_eq!(input.format, "pwdump");
    assert_eq!(input.encoding, Some(Encoding::Utf8));
    assert_eq!(input.errors, 1);
    // The line's bytes are quoted nowhere: not on stderr, not in any report.
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("ward-ntds.txt:4: line is not valid UTF-8 text"),
        "{stderr}"
    );
    for (path, bytes) in written(dir.path()).into_iter().chain([
        ("stderr".into(), o.stderr.clone()),
        ("stdout".into(), o.stdout),
    ]) {
        for needle in [
            &b"R\xe9my"[..],
            "Rémy".as_bytes(),
            "R駑y".as_bytes(),
            // The RID as the line has it (bare digits could be part of a digest or a time).
            b":1103:",
        ] {
            assert!(
                !contains(&bytes, needle),
                "{} quotes the line",
                path.display()
            );
        }
    }
}

#[test]
fn a_shift_jis_inventory_keeps_its_japanese_names() {
    let (o, ev, dir) = audit(&["vendor-inventory.csv"]);
    assert!(ev.input_errors.is_empty(), "{:?}", ev.input_errors);
    assert!(ev.complete);
    // Complete; a weak password is a finding.
    assert_eq!(o.status.code(), Some(1));
    let input = &ev.inputs[0];
    assert_eq!(input.format, "inventory");
    assert_eq!(input.encoding, Some(Encoding::ShiftJis));
    assert_eq!(input.records, 4);
    let mut got: Vec<(String, String)> =
        accounts(&ev).into_iter().map(|(s, a, _)| (s, a)).collect();
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("医事会計", "髙橋"),
        ("電子カルテ", "山田太郎"),
        ("電子カルテ", "管理者①"),
        ("ＰＡＣＳ", "ｶﾙﾃ担当"),
    ]
    .iter()
    .map(|(s, a)| (s.to_string(), a.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
    let systems: Vec<&str> = ev.systems.iter().map(|s| s.id.as_str()).collect();
    for s in ["医事会計", "電子カルテ", "ＰＡＣＳ"] {
        assert!(systems.contains(&s), "{systems:?}");
    }
    let find = |user: &str| ev.accounts.iter().find(|a| a.account == user).unwrap();
    // The MFA column in Japanese was read: 10 characters pass with two-factor authentication.
    assert_eq!(name(&find("管理者①").path), "8+mfa");
    assert_eq!(find("髙橋").status, AccountStatus::Fail);
    // The names reach the reports intact; the plaintexts reach nothing.
    let files = written(dir.path());
    let md = files
        .iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "md"))
        .expect("a Markdown report");
    let md = String::from_utf8(md.1.clone()).unwrap();
    for name in ["髙橋", "管理者①", "ｶﾙﾃ担当", "電子カルテ", "shift\\_jis"] {
        assert!(md.contains(name), "the report lacks {name}");
    }
    for (path, bytes) in files
        .into_iter()
        .chain([("stderr".into(), o.stderr), ("stdout".into(), o.stdout)])
    {
        for plain in ["Kt7#vQ2m", "Zx9$Lp4wRt", "hanako2024"] {
            assert!(
                !contains(&bytes, plain.as_bytes()),
                "{} holds a plaintext",
                path.display()
            );
        }
    }
}

#[test]
fn a_utf16_dump_without_a_bom_is_read() {
    let (_, ev, _dir) = audit(&["pc-utf16-sam.txt"]);
    assert!(ev.input_errors.is_empty());
    let input = &ev.inputs[0];
    assert_eq!(
        (input.format.as_str(), input.encoding),
        ("pwdump", Some(Encoding::Utf16Le))
    );
    let names: Vec<String> = accounts(&ev).into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(names, ["Administrator", "Guest", "nurse01"]);
}

#[test]
fn a_missing_path_stops_the_audit_before_any_work() {
    // The example facility with one of its manifest's inputs gone, and options naming files that
    // are not there: each is named, and nothing is audited or written.
    let facility = tempfile::tempdir().unwrap();
    let example = crate::support::example_dir();
    for e in fs::read_dir(&example).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, facility.path().join(p.file_name().unwrap())).unwrap();
    }
    fs::remove_file(facility.path().join("pc-02-sam.txt")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report");
    let started = std::time::Instant::now();
    let o = kensa_in(
        facility.path(),
        &[
            "audit",
            "--manifest",
            "audit.toml",
            "--potfile",
            "no-such.potfile",
            "--wordlist",
            "no-such-words.txt",
            "--hibp",
            "no-such-corpus",
            "--no-progress",
            "--out",
            report.to_str().unwrap(),
            "missing-arg.txt",
        ],
    );
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    for path in [
        "pc-02-sam.txt",
        "no-such.potfile",
        "no-such-words.txt",
        "no-such-corpus",
        "missing-arg.txt",
    ] {
        assert!(
            stderr.contains(&format!("{path}: cannot read: no such file")),
            "{path} not named: {stderr}"
        );
    }
    assert!(stderr.contains("5 inputs cannot be read"), "{stderr}");
    assert!(!report.exists(), "nothing is written");
    // The whole audit of the example takes many seconds; the check takes milliseconds.
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");

    // A wordlist that is a directory, and an export, are checked the same way.
    let o = kensa_in(
        facility.path(),
        &["audit", "--wordlist", ".", "--hibp", "off", "pc-01-sam.txt"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".: cannot read: is a directory"));
    let o = kensa_in(
        facility.path(),
        &[
            "export",
            "hashcat",
            "--manifest",
            "audit.toml",
            "-o",
            "crack",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pc-02-sam.txt: cannot read"));
    assert!(!facility.path().join("crack").exists());
}

/// Audit files written into a fresh directory (name, bytes), with `extra` arguments before the
/// file names; returns the output, the evidence and the directory (the report is in `report`).
fn audit_written(
    files: &[(&str, &[u8])],
    extra: &[&str],
    args: &[&str],
) -> (Output, Evidence, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let mut a = vec![
        "audit",
        "--hibp",
        "off",
        "--no-progress",
        "--format",
        "all",
        "--out",
        "report",
    ];
    a.extend_from_slice(extra);
    a.extend_from_slice(args);
    let o = kensa_in(dir.path(), &a);
    let ev = evidence(&dir.path().join("report"), &o);
    (o, ev, dir)
}

const APR1: &str = "$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/";

#[test]
fn a_password_in_a_hash_field_is_never_echoed() {
    let htpasswd = format!("alice:{APR1}\nbob:$Winter$2024\n");
    let ldif = "dn: uid=carol,dc=koro\nuid: carol\nuserPassword: {Summer}2024!\n";
    let (o, ev, dir) = audit_written(
        &[
            ("web.htpasswd", htpasswd.as_bytes()),
            ("dir.ldif", ldif.as_bytes()),
        ],
        &[],
        &["web.htpasswd", "dir.ldif"],
    );
    assert_eq!(o.status.code(), Some(2));
    let errors: Vec<(&str, &str)> = ev
        .input_errors
        .iter()
        .map(|e| (e.source.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "dir.ldif:3",
                "userPassword: not a hash scheme kensa recognises (the value is not shown)"
            ),
            (
                "web.htpasswd:2",
                "hash field: not a hash scheme kensa recognises (the value is not shown)"
            ),
        ]
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    for (path, bytes) in written(&dir.path().join("report"))
        .into_iter()
        .chain([(PathBuf::from("stderr"), o.stderr.clone())])
    {
        for secret in ["Winter", "Summer"] {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{path:?} shows {secret}: {stderr}"
            );
        }
    }
}

#[test]
fn control_characters_in_names_are_shown_never_written_raw() {
    let htpasswd = format!("ad\0min:{APR1}\nbo\x1b[2Jb:{APR1}\nca\u{85}rol:{APR1}\n");
    let (o, ev, dir) = audit_written(
        &[("web.htpasswd", htpasswd.as_bytes())],
        &[],
        &["web.htpasswd"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The evidence keeps the exact names (JSON escapes them).
    let names: Vec<String> = accounts(&ev).into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(names, ["ad\0min", "bo\x1b[2Jb", "ca\u{85}rol"]);
    let report = dir.path().join("report");
    for (path, bytes) in written(&report) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".xlsx") {
            continue;
        }
        // JSON escapes C0 (`\u0000`) and may carry C1 as it is (valid JSON).
        for raw in ["\0", "\x1b", "\u{85}"] {
            if raw == "\u{85}" && name.ends_with(".json") {
                continue;
            }
            assert!(
                !contains(&bytes, raw.as_bytes()),
                "{name} holds {raw:?} raw"
            );
        }
        // The reports show every name; the SHA-256 list names only the report files.
        if !name.ends_with(".json") && name != "evidence.sha256" {
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("ad␀min"), "{name}");
            assert!(text.contains("bo␛"), "{name}");
            assert!(
                text.contains("ca&lt;U+0085&gt;rol")
                    || text.contains("ca<U+0085>rol")
                    || text.contains("ca\\<U+0085\\>rol"),
                "{name}"
            );
        }
    }
    // The workbook's shared strings show the same stand-ins.
    let xlsx = fs::read(report.join("evidence.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    assert!(
        strings.contains("ad␀min") && !strings.contains("_x0000_"),
        "{strings}"
    );
}

#[test]
fn a_named_pipe_a_device_or_an_oversized_file_stops_the_audit_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ntds.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    fs::write(dir.path().join("big.txt"), vec![b'#'; 2048]).unwrap();
    // kensa is killed if it blocks: the test then fails on the exit status.
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kensa"))
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > std::time::Duration::from_secs(20) {
                child.kill().unwrap();
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        child.wait_with_output().unwrap()
    };
    let o = run(&[
        "audit",
        "--hibp",
        "off",
        "--out",
        "report",
        "--max-input-size",
        "1K",
        "ntds.fifo",
        "/dev/zero",
        "big.txt",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("ntds.fifo: cannot read: not a regular file (a named pipe)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("/dev/zero: cannot read: not a regular file (a character device)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "big.txt: cannot read: 2048 bytes, more than the input size limit of 1024 bytes"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("report").exists());
    // As a pot file, a wordlist, or a policy file too.
    let o = run(&[
        "audit",
        "--hibp",
        "off",
        "--potfile",
        "ntds.fifo",
        "--wordlist",
        "/dev/zero",
        "big.txt",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("ntds.fifo: cannot read: not a regular file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("/dev/zero: cannot read: not a regular file"),
        "{stderr}"
    );
    let o = run(&["policy", "secedit:ntds.fifo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a named pipe"));
}

#[test]
fn a_file_mostly_malformed_is_still_read_by_its_good_lines() {
    let nt = "8846f7eaee8fb117ad06bdd830b7586c";
    let dump = format!(
        "garbage\nmore garbage\nyoshida:1104:aad3b435b51404eeaad3b435b51404ee:{nt}:::\n\
         x:y\nsato:1105:nothex:{nt}:::\n"
    );
    let (o, ev, _dir) = audit_written(&[("export.txt", dump.as_bytes())], &[], &["export.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(ev.inputs[0].format, "pwdump");
    let names: Vec<String> = accounts(&ev).into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(names, ["yoshida"]);
    let sources: Vec<&str> = ev.input_errors.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(
        sources,
        [
            "export.txt:1",
            "export.txt:2",
            "export.txt:4",
            "export.txt:5"
        ]
    );
    // No recognisable line at all: one error naming the file.
    let (o, ev, _dir) = audit_written(&[("notes.txt", b"just\nsome words\n")], &[], &["notes.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let errors = &ev.input_errors;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].source, "notes.txt");
    assert!(errors[0]
        .message
        .starts_with("cannot tell the format from the content"));
}

/// `text` as `iconv -t UTF-16LE` writes it: no byte-order mark.
fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn a_utf16_secedit_without_a_bom_is_read_and_an_empty_one_is_an_error() {
    let inf = "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordAge = 1\r\n\
               MaximumPasswordAge = 42\r\nMinimumPasswordLength = 14\r\nPasswordComplexity = 1\r\n\
               NewAdministratorName = \"管理者\"\r\nNewGuestName = \"ゲスト\"\r\n\
               [Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n";
    let (o, ev, _dir) = audit_written(&[("dc01.inf", &utf16le(inf))], &[], &["dc01.inf"]);
    assert!(
        ev.input_errors.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let input = &ev.inputs[0];
    assert_eq!(
        (input.format.as_str(), input.encoding, input.records),
        ("secedit", Some(Encoding::Utf16Le), 3)
    );
    assert_eq!(ev.policies[0].effective.min_length, Some(14));
    assert_eq!(ev.policies[0].effective.max_age_days, Some(42));

    // No password settings at all: an input error, so the evidence is incomplete.
    let other = "[Unicode]\r\nUnicode=yes\r\n[Event Audit]\r\nAuditLogonEvents = 3\r\n";
    let (o, ev, _dir) = audit_written(&[("dc02.inf", &utf16le(other))], &[], &["dc02.inf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!ev.complete);
    assert_eq!(ev.input_errors[0].source, "dc02.inf");
    assert!(ev.input_errors[0].message.starts_with("no settings found"));
    // `kensa policy` says so too.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("dc02.inf"), utf16le(other)).unwrap();
    let o = kensa_in(dir.path(), &["policy", "dc02.inf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("dc02.inf: no settings found"));
}

/// `(answer, remarks)` of item `id` in the overall answers.
fn answer(ev: &Evidence, id: &str) -> (Answer, String) {
    let it = item(ev, id);
    (it.answer, it.remarks.clone())
}

#[test]
fn no_account_read_is_undetermined_and_no_account_in_scope_is_not_applicable() {
    // An empty export and a file of malformed lines: nothing could be audited, nothing said.
    for (name, bytes) in [
        ("web.htpasswd", &b""[..]),
        ("web.htpasswd", &b"junk\nmore junk\n"[..]),
    ] {
        let (o, ev, _dir) = audit_written(&[(name, bytes)], &[], &[name]);
        assert_eq!(o.status.code(), Some(2));
        assert!(!ev.complete);
        for item in ["2-7", "2-8"] {
            let (a, r) = answer(&ev, item);
            assert_eq!(a, Answer::Undetermined, "{item}: {r}");
            assert!(r.starts_with("判定不能"), "{item}: {r}");
        }
    }
    // Every input read, every account locked: no account in scope, as rules.md says (いいえ, 対象外).
    let shadow = b"daemon:*:19700:0:99999:7:::\nold:!$6$x$y:19700::::::\n";
    let (o, ev, _dir) = audit_written(&[("srv-shadow", shadow)], &[], &["srv-shadow"]);
    assert_eq!(o.status.code(), Some(0));
    for item in ["2-7", "2-8"] {
        assert_eq!(
            answer(&ev, item),
            (Answer::No, "対象外（監査対象のアカウントなし）".into()),
            "{item}"
        );
    }
}

#[test]
fn a_cleartext_user_password_is_a_finding_and_an_inventory_password_is_not() {
    let ldif = "dn: uid=strong,dc=koro\nuid: strong\nuserPassword: Qz8#vLw2pRt6&Xn\n\n\
                dn: uid=tagged,dc=koro\nuid: tagged\nuserPassword: {CLEARTEXT}Winter2024!\n\n\
                dn: uid=hashed,dc=koro\nuid: hashed\nuserPassword: {SSHA}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    let inv = "system,account,password\nrouter,admin,Qz8#vLw2pRt6&Xm\n";
    let (_, ev, _dir) = audit_written(
        &[
            ("dir.ldif", ldif.as_bytes()),
            ("devices.csv", inv.as_bytes()),
        ],
        &[],
        &["dir.ldif", "devices.csv"],
    );
    let finding = |user: &str| -> Option<(Severity, AccountStatus)> {
        let a = ev.accounts.iter().find(|a| a.account == user).unwrap();
        a.findings
            .iter()
            .find(|f| f.code == Code::PlaintextStored)
            .map(|f| (f.severity, a.status))
    };
    // A warning: a strong cleartext password still passes 2-⑦ by its strength.
    assert_eq!(
        finding("strong"),
        Some((Severity::Warn, AccountStatus::Pass))
    );
    assert_eq!(
        finding("tagged"),
        Some((Severity::Warn, AccountStatus::Fail))
    );
    assert_eq!(finding("hashed"), None);
    assert_eq!(
        finding("admin"),
        None,
        "an inventory is a list kept for the audit"
    );
}

#[test]
fn a_quoted_login_defs_value_is_read_as_getdef_reads_it() {
    // shadow-utils' getdef drops the quotes around a value.
    let defs = b"MAIL_DIR /var/mail\nPASS_MAX_DAYS \"45\"\nPASS_MIN_DAYS 0\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("login.defs"), defs).unwrap();
    let o = kensa_in(dir.path(), &["policy", "--json", "login.defs"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["effective"]["max_age_days"], 45, "{stdout}");
}
