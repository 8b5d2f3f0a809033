//! Tests of the words: every language has every word, and the words read as the reports print them.

use super::values::grouped;
use super::*;
use crate::model::evidence::{Answer, BreachStatus, SaltedSkip, SaltedWork};
use crate::model::tags::{BreachCheckStatus, PassPath, PolicyStatus, Proof, ReuseScope};
use crate::model::{Code, ManagedBy, Scheme, SkipReason};

#[test]
fn every_code_has_distinct_words_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = code(lang, c);
            assert!(!s.is_empty());
            assert!(seen.insert(s), "duplicate description {s}");
        }
    }
    for c in Code::ALL {
        assert_ne!(code(Lang::Ja, c), code(Lang::En, c));
        assert!(!code(Lang::En, c).contains('の'));
    }
}

#[test]
fn every_code_has_a_distinct_short_name() {
    for lang in [Lang::Ja, Lang::En] {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = code_short(lang, c);
            assert!(!s.is_empty() && s.chars().count() <= 24, "{s}");
            assert!(seen.insert(s), "duplicate short name {s}");
        }
    }
    assert_eq!(code_short(Lang::Ja, Code::TooShort), "文字数不足");
}

#[test]
fn answers_and_titles() {
    assert_eq!(answer(Lang::Ja, Answer::Yes), "はい");
    assert_eq!(answer(Lang::Ja, Answer::No), "いいえ");
    assert_eq!(answer(Lang::Ja, Answer::Undetermined), "判定不能");
    assert_eq!(answer(Lang::En, Answer::Undetermined), "Undetermined");
    assert_eq!(
        checklist_title(Lang::Ja, ManagedBy::Institution),
        "医療機関確認用"
    );
    assert_eq!(checklist_title(Lang::Ja, ManagedBy::Vendor), "事業者確認用");
    assert_eq!(
        checklist_title(Lang::En, ManagedBy::Institution),
        "For the facility"
    );
    assert_eq!(
        checklist_title(Lang::En, ManagedBy::Vendor),
        "For the vendor"
    );
    assert_eq!(labels(Lang::Ja).checked_on, "確認日");
    assert_eq!(labels(Lang::Ja).target_date, "目標日");
    assert_eq!(labels(Lang::Ja).remarks, "備考");
}

#[test]
fn questions_come_from_the_recorded_edition() {
    let rules = crate::model::evidence::EditionRules {
        id: "X".into(),
        name: ja_en("令和9年度版", "FY2027 (Reiwa 9) edition"),
        provisional: true,
        source: "a source".into(),
        items: vec![crate::model::evidence::EditionItem {
            item: "2-7".into(),
            label: ja_en("令和9年度版 2-⑦", "2-⑦"),
            question: ja_en("質問", "question"),
        }],
        paths: vec![crate::model::evidence::EditionPath {
            path: PassPath::Len13,
            description: ja_en("13文字以上", "13 or more"),
            min_length: None,
            classes: Vec::new(),
            max_age_days: None,
        }],
        file: None,
    };
    assert_eq!(question(Lang::Ja, Some(&rules), "2-7"), Some("質問"));
    assert_eq!(question(Lang::En, Some(&rules), "2-7"), Some("question"));
    assert_eq!(question(Lang::En, Some(&rules), "2-8"), None);
    assert_eq!(question(Lang::En, None, "2-7"), None);
    assert_eq!(
        pass_path_in(Lang::Ja, PassPath::Len13, Some(&rules)),
        "13文字以上"
    );
    assert_eq!(
        pass_path_in(Lang::En, PassPath::Len8Mfa, Some(&rules)),
        pass_path(Lang::En, PassPath::Len8Mfa)
    );
    assert_eq!(
        edition(Lang::Ja, "X", Some(&rules)),
        "令和9年度版（暫定） 出典：a source"
    );
    assert_eq!(
        edition(Lang::En, "X", Some(&rules)),
        "FY2027 (Reiwa 9) edition (provisional) — source: a source"
    );
    let confirmed = crate::model::evidence::EditionRules {
        provisional: false,
        ..rules
    };
    assert_eq!(edition(Lang::Ja, "X", Some(&confirmed)), "令和9年度版");
}

fn ja_en(ja: &str, en: &str) -> crate::model::evidence::JaEn {
    crate::model::evidence::JaEn {
        ja: ja.into(),
        en: en.into(),
    }
}

#[test]
fn item_labels_and_editions() {
    assert_eq!(item_label(Lang::En, "2-7", "令和7年度版 2-⑦"), "2-⑦");
    assert_eq!(item_label(Lang::En, "2-8", ""), "2-⑧");
    assert_eq!(
        item_label(Lang::Ja, "2-8", "令和7年度版 2-⑧"),
        "令和7年度版 2-⑧"
    );
    assert_eq!(item_label(Lang::Ja, "x", ""), "x");
    assert_eq!(edition(Lang::Ja, "R7", None), "令和7年度版");
    assert_eq!(edition(Lang::En, "R7", None), "FY2025 (Reiwa 7) edition");
    assert_eq!(edition(Lang::En, "2030", None), "2030");
}

#[test]
fn closed_sets_translate() {
    assert_eq!(
        skip_reason(Lang::Ja, SkipReason::Machine),
        "コンピューターアカウント（ドメインが管理する乱数）"
    );
    assert_eq!(skip_reason(Lang::En, SkipReason::Disabled), "disabled");
    assert_eq!(
        reuse_scope(Lang::Ja, ReuseScope::CrossSystem),
        "複数システム間"
    );
    assert_eq!(
        reuse_proof(Lang::En, Proof::SamePlaintext),
        "identical plaintexts"
    );
    assert!(
        !verdict(Lang::Ja, PolicyStatus::Unknown).contains("unknown"),
        "every policy status is translated"
    );
    assert_eq!(
        pass_path(Lang::En, PassPath::Len13),
        "13 or more characters, mixed, hard to guess"
    );
    assert_eq!(
        breach(Lang::Ja, BreachStatus::Found, Some(12)),
        "漏えいあり（12件）"
    );
    assert_eq!(breach(Lang::En, BreachStatus::NotFound, None), "not found");
    assert_eq!(
        breach_check_status(Lang::Ja, BreachCheckStatus::Incomplete),
        "未完了（一部の照会が失敗）"
    );
    assert_eq!(
        char_class(Lang::Ja, "3-of-4"),
        "4種のうち3種（記号は保証されない）"
    );
    assert_eq!(
        lockout(Lang::Ja, Some(5), Some(15), Some(15)),
        "5回の失敗でロック（15分間、15分で回数をリセット）"
    );
    assert_eq!(
        lockout(Lang::En, Some(5), Some(-1), None),
        "locked after 5 failures (until an administrator unlocks)"
    );
    assert_eq!(lockout(Lang::En, Some(0), None, None), "off (threshold 0)");
    assert_eq!(lockout(Lang::Ja, None, None, None), "—");
    assert_eq!(
        counts(Lang::Ja, Some(2), Some(1), None, None),
        "不合格 2、未検証 1"
    );
    assert_eq!(
        counts(Lang::En, None, None, None, Some(1)),
        "reuse groups 1"
    );
    assert_eq!(
        finding(Lang::En, Code::TooShort, "7 < 8"),
        "The password is too short (7 < 8)"
    );
    assert_eq!(
        finding(Lang::Ja, Code::TooShort, ""),
        "パスワードが短すぎます"
    );
}

#[test]
fn durations_in_a_human_unit() {
    // One unit is 80 ns.
    let secs = |s: f64| (s * 1e9 / crate::hash::NANOS_PER_UNIT as f64) as u64;
    assert_eq!(duration(Lang::En, 20_000_000), "1.6 s");
    assert_eq!(duration(Lang::Ja, 20_000_000), "1.6秒");
    assert_eq!(duration(Lang::En, 1), "0.1 µs");
    assert_eq!(duration(Lang::Ja, 100_000), "8.0ミリ秒");
    assert_eq!(duration(Lang::En, 10_000_000), "800 ms");
    assert_eq!(duration(Lang::En, secs(75.5)), "1.3 min");
    assert_eq!(duration(Lang::En, secs(40.0 * 3600.0)), "40 h");
    assert_eq!(duration(Lang::Ja, secs(3.0 * 86_400.0)), "3.0日");
    assert_eq!(duration(Lang::En, u64::MAX), "46,763 years");
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(1000), "1,000");
    assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
}

#[test]
fn salted_skips_in_words_name_the_cost_never_the_hash() {
    let w = |skipped, cost, params: Option<&str>| SaltedWork {
        tries: 0,
        cost,
        complete: false,
        skipped,
        params: params.map(Into::into),
    };
    let tried = w(None, 900, None);
    assert_eq!(
        salted_skipped(Lang::En, Scheme::Bcrypt, &tried, 20_000_000),
        None
    );
    let bomb = w(
        Some(SaltedSkip::CostExceedsBudget),
        943_718_400,
        Some("cost=20"),
    );
    assert_eq!(
        salted_skipped(Lang::En, Scheme::Bcrypt, &bomb, 20_000_000).unwrap(),
        "not verified: bcrypt cost=20 takes ≈ 1.3 min of one core per try, more than the \
         budget per hash (--salted-budget 20,000,000 units ≈ 1.6 s)"
    );
    assert_eq!(
        salted_skipped(Lang::Ja, Scheme::Bcrypt, &bomb, 20_000_000).unwrap(),
        "照合せず: bcrypt cost=20 は1回の照合に1コアで約1.3分かかり、ハッシュごとの上限\
         （--salted-budget 20,000,000単位 ≈ 1.6秒）を超える"
    );
    let memory = w(
        Some(SaltedSkip::MemoryExceedsLimit),
        1 << 40,
        Some("m=4294967295,t=1,p=1"),
    );
    for lang in [Lang::Ja, Lang::En] {
        let s = salted_skipped(lang, Scheme::Argon2, &memory, 20_000_000).unwrap();
        assert!(
            s.contains("argon2 m=4294967295,t=1,p=1") && s.contains("1 GiB"),
            "{s}"
        );
    }
    let malformed = w(Some(SaltedSkip::Malformed), u64::MAX, None);
    assert_eq!(
        salted_skipped(Lang::En, Scheme::Sha512crypt, &malformed, 1).unwrap(),
        "not verified: the sha512crypt hash's cost parameters cannot be read"
    );
}
