//! One language per report: the example facility's ja evidence.md and evidence.html hold no
//! English sentence, its en ones no Japanese outside the names the manifest gives, and
//! `kensa policy` / `kensa check` print wholly in the `--lang` asked for.

use crate::support::{audit, code, example, kensa, kensa_stdin, root, stdout};
use kensa::model::evidence::Evidence;
use kensa::model::Code;

/// Words that stay as they are in a Japanese report: proper nouns, the attribution the breach
/// corpus's licence asks for, and command-line options.
const PROPER_NOUNS: [&str; 8] = [
    "Pwned Passwords by haveibeenpwned.com, CC BY 4.0",
    "NIST SP 800-63B",
    "Pwned Passwords",
    "zxcvbn",
    "HIBP",
    "PasswordComplexity",
    "pwdLastSet=never",
    "--hibp off",
];

/// The names a report may print whatever its language: system ids and names, vendors, account
/// names, file names, reuse group ids, finding codes, scheme names and the facility.
fn names(ev: &Evidence) -> Vec<String> {
    let mut n: Vec<String> = PROPER_NOUNS.iter().map(|s| s.to_string()).collect();
    n.push(ev.facility.clone());
    for s in &ev.systems {
        n.push(s.id.to_string());
        n.extend(s.name.clone());
        n.extend(s.vendor.clone());
    }
    for a in &ev.accounts {
        n.push(a.account.to_string());
        n.push(a.scheme.as_str().to_string());
        n.push(a.source.to_string());
    }
    for i in &ev.inputs {
        n.push(i.path.to_string());
    }
    for g in &ev.reuse_groups {
        n.push(g.id.to_string());
    }
    n.extend(Code::ALL.iter().map(|c| c.as_str().to_string()));
    // Longest first, so a name inside a longer one is not cut out of it first.
    n.retain(|s| !s.is_empty());
    n.sort_by_key(|s| std::cmp::Reverse(s.len()));
    n
}

/// The text of an HTML page: tags, styles and scripts dropped, entities read, one line per
/// element.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        for skip in ["<style", "<script"] {
            if rest.starts_with(skip) {
                let close = format!("</{}>", &skip[1..]);
                rest = rest.find(&close).map_or("", |j| &rest[j..]);
            }
        }
        rest = rest.find('>').map_or("", |j| &rest[j + 1..]);
        out.push('\n');
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A run of two or more ASCII words separated by spaces (an English phrase) in `line`.
fn english_run(line: &str) -> Option<String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || "'-./".contains(c);
    let mut words: Vec<&str> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let start = rest.find(|c: char| is_word(c)).unwrap_or(rest.len());
        let gap = &rest[..start];
        // Words stay in one run only across spaces and light punctuation.
        if !(gap.contains(' ') && gap.chars().all(|c| " ,;:()".contains(c))) {
            if run.len() >= 2 {
                words = run.clone();
                break;
            }
            run.clear();
        }
        rest = &rest[start..];
        let end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        let w = &rest[..end];
        if w.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2 {
            run.push(w);
        } else if !w.is_empty() {
            if run.len() >= 2 {
                words = run.clone();
                break;
            }
            run.clear();
        }
        rest = &rest[end..];
    }
    if words.is_empty() && run.len() >= 2 {
        words = run;
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// The lines of `text` (names cut out) that hold an English phrase.
fn english_lines(text: &str, names: &[String]) -> Vec<String> {
    let mut t = text.to_string();
    for n in names {
        t = t.replace(n.as_str(), "＿");
    }
    t.lines()
        .filter_map(|l| english_run(l).map(|w| format!("«{w}» in: {}", l.trim())))
        .collect()
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32, 0x3040..=0x30FF | 0x4E00..=0x9FFF | 0xFF01..=0xFF5E | 0x3000..=0x303F)
    })
}

#[test]
fn the_finder_sees_english_phrases_and_spares_japanese() {
    assert_eq!(
        english_run("9 < 13 without two-factor"),
        Some("without two-factor".into())
    );
    assert_eq!(english_run("推定が容易（アカウント名を含む）"), None);
    assert_eq!(english_run("zxcvbn スコア 1/4"), None);
    assert!(english_run("（the password is empty）").is_some());
    let n = vec!["ad01".to_string(), "linux01".to_string()];
    assert!(english_lines("| ad01, linux01 | 不合格 |", &n).is_empty());
}

#[test]
fn a_japanese_report_holds_no_english_sentence() {
    let m = example();
    let (o, ev, dir) = audit(&[
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--lang",
        "ja",
        "--format",
        "json,md,html",
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let names = names(&ev);
    let md = std::fs::read_to_string(dir.path().join("report/evidence.md")).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report/evidence.html")).unwrap();
    // The details are in Japanese: the phrases the issue names.
    assert!(
        md.contains("R2：他の4アカウント（5システム）と同じパスワード"),
        "{md}"
    );
    assert!(
        md.contains("単要素認証のパスワードが15文字未満（9文字）"),
        "{md}"
    );
    assert!(md.contains("アカウント名を含む"), "{md}");
    assert!(
        md.contains("zxcvbn スコア 0/4（推定試行回数 約10^1.0）"),
        "{md}"
    );
    let html = html_text(&html);
    assert!(
        html.contains("R2：他の4アカウント（5システム）と同じパスワード"),
        "{html}"
    );
    for (file, text) in [("evidence.md", md), ("evidence.html", html)] {
        let bad = english_lines(&text, &names);
        assert!(
            bad.is_empty(),
            "{file}: English in a ja report:\n{}",
            bad.join("\n")
        );
    }
}

#[test]
fn an_english_report_holds_no_japanese_outside_manifest_names() {
    let m = example();
    let (_, ev, dir) = audit(&[
        "--manifest",
        m.to_str().unwrap(),
        "--hibp",
        "off",
        "--lang",
        "en",
        "--format",
        "json,md,html",
    ]);
    let names = names(&ev);
    let md = std::fs::read_to_string(dir.path().join("report/evidence.md")).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report/evidence.html")).unwrap();
    let html = html_text(&html);
    assert!(
        html.contains("R2: the same password as 4 other accounts on 5 systems"),
        "{html}"
    );
    for (file, text) in [("evidence.md", md), ("evidence.html", html)] {
        let mut t = text.replace("2-⑦", "").replace("2-⑧", "");
        for n in &names {
            t = t.replace(n.as_str(), "_");
        }
        let bad: Vec<&str> = t.lines().filter(|l| has_japanese(l)).collect();
        assert!(
            bad.is_empty(),
            "{file}: Japanese in an en report:\n{}",
            bad.join("\n")
        );
    }
}

/// Words `kensa policy` / `kensa check` may print in Japanese output besides codes and paths.
fn terminal_names() -> Vec<String> {
    let mut n: Vec<String> = PROPER_NOUNS.iter().map(|s| s.to_string()).collect();
    n.extend(Code::ALL.iter().map(|c| c.as_str().to_string()));
    n.push(root().join("examples/koro-hospital").display().to_string());
    n.sort_by_key(|s| std::cmp::Reverse(s.len()));
    n
}

#[test]
fn policy_speaks_the_language_asked() {
    let dir = root().join("examples/koro-hospital");
    let files = [
        dir.join("ad01-secedit.inf"),
        dir.join("linux01-login.defs"),
        dir.join("linux01-pwquality.conf"),
    ];
    for args in [
        vec![files[0].to_str().unwrap()],
        vec![files[1].to_str().unwrap(), files[2].to_str().unwrap()],
    ] {
        // Japanese is the default, as for `audit`.
        let ja = kensa(&[&["policy"][..], &args].concat());
        let ja_flag = kensa(&[&["policy", "--lang", "ja"][..], &args].concat());
        assert_eq!(stdout(&ja), stdout(&ja_flag));
        let text = stdout(&ja);
        assert!(text.contains("判定") && text.contains("不合格"), "{text}");
        let bad = english_lines(&text, &terminal_names());
        assert!(
            bad.is_empty(),
            "English in `kensa policy`:\n{}",
            bad.join("\n")
        );
        let en = stdout(&kensa(&[&["policy", "--lang", "en"][..], &args].concat()));
        assert!(en.contains("verdict       fail"), "{en}");
        assert!(!has_japanese(&en.replace("第7.0版", "")), "{en}");
    }
    let linux = stdout(&kensa(&[
        "policy",
        files[1].to_str().unwrap(),
        files[2].to_str().unwrap(),
    ]));
    assert!(
        linux.contains("最小文字数12。二要素認証も60日以内の定期変更もないため13文字以上が必要"),
        "{linux}"
    );
}

#[test]
fn check_speaks_the_language_asked() {
    let args = ["check", "--account", "taro", "--context", "koro"];
    let ja = kensa_stdin(&args, "Koro2024!\n");
    assert_eq!(code(&ja), 1);
    let text = stdout(&ja);
    assert!(text.starts_with("2-⑦：不合格（9文字）"), "{text}");
    assert!(
        text.contains("施設名・人名・製品名（監査設定に記載）を含む"),
        "{text}"
    );
    let bad = english_lines(&text, &terminal_names());
    assert!(
        bad.is_empty(),
        "English in `kensa check`:\n{}",
        bad.join("\n")
    );
    let en = stdout(&kensa_stdin(
        &[&args[..], &["--lang", "en"]].concat(),
        "Koro2024!\n",
    ));
    assert!(en.starts_with("2-⑦: fail (length 9)"), "{en}");
    assert!(
        en.contains("contains a facility/person/product name from the manifest"),
        "{en}"
    );
    assert!(!has_japanese(&en.replace("2-⑦", "")), "{en}");
    let pass = stdout(&kensa_stdin(&["check"], "Vq7#tLm2$eRw9!\n"));
    assert!(pass.starts_with("2-⑦：合格（13文字以上"), "{pass}");
}
