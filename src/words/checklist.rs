//! The checklist's own words: answers, items and their questions, editions, who answers, and
//! what each finding code means.

use super::{circled, pick, pick_str, Lang};
use crate::model::evidence::{AccountStatus, Answer, EditionRules};
use crate::model::{Code, ManagedBy, Severity, SystemKind};

/// はい / いいえ / 判定不能 — Yes / No / Undetermined.
pub fn answer(lang: Lang, a: Answer) -> &'static str {
    match a {
        Answer::Yes => pick(lang, "はい", "Yes"),
        Answer::No => pick(lang, "いいえ", "No"),
        Answer::Undetermined => pick(lang, "判定不能", "Undetermined"),
    }
}

/// The 2-⑦ verdict of one account.
pub fn account_status(lang: Lang, s: AccountStatus) -> &'static str {
    match s {
        AccountStatus::Pass => pick(lang, "合格", "Pass"),
        AccountStatus::Fail => pick(lang, "不合格", "Fail"),
        AccountStatus::Unverified => pick(lang, "未検証", "Unverified"),
        AccountStatus::Skipped => pick(lang, "対象外", "Not audited"),
    }
}

pub fn severity(lang: Lang, s: Severity) -> &'static str {
    match s {
        Severity::Fail => pick(lang, "不合格", "fail"),
        Severity::Warn => pick(lang, "警告", "warning"),
        Severity::Info => pick(lang, "参考", "info"),
    }
}

/// What a finding code means, in plain words.
pub fn code(lang: Lang, c: Code) -> &'static str {
    match c {
        Code::EmptyPassword => pick(lang, "パスワードが空（未設定）です", "The password is empty"),
        Code::TooShort => pick(lang, "パスワードが短すぎます", "The password is too short"),
        Code::NotMixed => pick(
            lang,
            "英字・数字・記号が混在していません",
            "The password does not mix letters, digits and symbols",
        ),
        Code::Guessable => pick(lang, "推定が容易なパスワードです", "The password is easy to guess"),
        Code::DefaultPassword => pick(
            lang,
            "出荷時（初期設定）のパスワードのままです",
            "The password is a factory default",
        ),
        Code::Breached => pick(
            lang,
            "過去に漏えいしたことが知られているパスワードです",
            "The password appears in known data breaches",
        ),
        Code::NoRotation => pick(
            lang,
            "定期的に変更されていません（13文字未満で二要素認証もない場合は必要）",
            "The password is never changed (required below 13 characters without two-factor authentication)",
        ),
        Code::RotationTooLong => pick(
            lang,
            "変更の間隔が長すぎます（最長でも2か月以内）",
            "The password is changed too rarely (at most every 2 months)",
        ),
        Code::LmHashStored => pick(
            lang,
            "LM ハッシュが保存されています（パスワードに関係なく解読できる形式です）",
            "An LM hash is stored (crackable whatever the password)",
        ),
        Code::WeakHashScheme => pick(
            lang,
            "パスワードが弱い方式で保存されています",
            "The password is stored with a weak hash scheme",
        ),
        Code::PlaintextStored => pick(
            lang,
            "パスワードが平文のまま保存されています（ハッシュ化されていません）",
            "The password is stored in cleartext (not hashed)",
        ),
        Code::NonAscii => pick(
            lang,
            "英数字・記号以外の文字（かな・漢字など）を含みます",
            "The password contains characters other than ASCII letters, digits and symbols",
        ),
        Code::ReusedAcrossSystems => pick(
            lang,
            "複数のシステムで同じパスワードが使われています",
            "The same password is used on several systems",
        ),
        Code::ReusedWithinSystem => pick(
            lang,
            "同じシステムの複数のアカウントで同じパスワードが使われています",
            "Several accounts of one system share the same password",
        ),
        Code::PredictableRotation => pick(
            lang,
            "過去のパスワードを少し変えただけです（数字の繰り上げや端の数文字の変更、履歴から判明）",
            "The password is a previous one barely changed (a number bumped or an end edited; from the history)",
        ),
        Code::PasswordAgeExceedsPolicy => pick(
            lang,
            "最後の変更が最長有効期間より前です（有効期間の設定が適用されていません）",
            "The password was last changed longer ago than the enforced maximum age (the setting is not applied)",
        ),
        Code::PolicyMinLength => pick(
            lang,
            "ポリシーの最小文字数が足りません",
            "The policy's minimum length is too low",
        ),
        Code::PolicyComposition => pick(
            lang,
            "ポリシーが英字・数字・記号の混在を必須にしていません",
            "The policy does not require letters, digits and symbols",
        ),
        Code::PolicyRotationTooLong => pick(
            lang,
            "ポリシーの有効期間が長すぎます（最長でも2か月以内）",
            "The policy's maximum password age is too long (at most 2 months)",
        ),
        Code::PolicyNoRotation => pick(
            lang,
            "ポリシーが定期的な変更（有効期間）を強制していません",
            "The policy does not enforce periodic changes",
        ),
        Code::PolicyMaxLengthLt64 => pick(
            lang,
            "ポリシーが64文字未満のパスワードしか許しません",
            "The policy does not allow passwords of 64 characters",
        ),
        Code::PolicyNoLockout => pick(
            lang,
            "ログイン失敗によるアカウントロックアウトが設定されていません（ガイドライン第7.0版で求められる対策）",
            "No account lockout after failed logins is configured (expected by guideline edition 7.0)",
        ),
        Code::NistSingleFactorLt15 => pick(
            lang,
            "NIST は単要素認証のパスワードに15文字以上を求めています",
            "NIST asks for at least 15 characters for single-factor passwords",
        ),
        Code::NistRotationDiscouraged => pick(
            lang,
            "NIST は定期的な変更の強制を推奨していません",
            "NIST advises against forced periodic changes",
        ),
        Code::NistCompositionDiscouraged => pick(
            lang,
            "NIST は文字種の組み合わせ規則を推奨していません",
            "NIST advises against composition rules",
        ),
    }
}

/// A short name of a finding code, for chart labels.
pub fn code_short(lang: Lang, c: Code) -> &'static str {
    match c {
        Code::EmptyPassword => pick(lang, "空のパスワード", "empty"),
        Code::TooShort => pick(lang, "文字数不足", "too short"),
        Code::NotMixed => pick(lang, "文字種の混在なし", "not mixed"),
        Code::Guessable => pick(lang, "推定が容易", "guessable"),
        Code::DefaultPassword => pick(lang, "初期パスワード", "factory default"),
        Code::Breached => pick(lang, "漏えい済み", "breached"),
        Code::NoRotation => pick(lang, "定期変更なし", "never changed"),
        Code::RotationTooLong => pick(lang, "変更間隔が長い", "changed too rarely"),
        Code::LmHashStored => pick(lang, "LM ハッシュ保存", "LM hash stored"),
        Code::WeakHashScheme => pick(lang, "弱い保存方式", "weak hash scheme"),
        Code::PlaintextStored => pick(lang, "平文で保存", "stored in cleartext"),
        Code::NonAscii => pick(lang, "英数記号以外の文字", "non-ASCII"),
        Code::ReusedAcrossSystems => pick(lang, "システム間の使い回し", "reused across systems"),
        Code::ReusedWithinSystem => pick(lang, "システム内の使い回し", "reused within a system"),
        Code::PredictableRotation => pick(lang, "推測可能な変更（履歴）", "predictable rotation"),
        Code::PasswordAgeExceedsPolicy => pick(lang, "有効期間の超過", "older than maximum age"),
        Code::PolicyMinLength => pick(lang, "ポリシー：最小文字数", "policy: minimum length"),
        Code::PolicyComposition => pick(lang, "ポリシー：文字種", "policy: composition"),
        Code::PolicyRotationTooLong => pick(lang, "ポリシー：有効期間", "policy: maximum age"),
        Code::PolicyNoRotation => pick(lang, "ポリシー：変更強制なし", "policy: no rotation"),
        Code::PolicyMaxLengthLt64 => pick(lang, "ポリシー：最大文字数", "policy: maximum length"),
        Code::PolicyNoLockout => pick(lang, "ポリシー：ロックアウトなし", "policy: no lockout"),
        Code::NistSingleFactorLt15 => pick(lang, "NIST：15文字未満", "NIST: under 15"),
        Code::NistRotationDiscouraged => pick(lang, "NIST：定期変更", "NIST: rotation"),
        Code::NistCompositionDiscouraged => pick(lang, "NIST：文字種規則", "NIST: composition"),
    }
}

/// The checklist question of an item id (`2-7`, `2-8`) as the edition in force words it (its
/// file, recorded in the evidence); `None` for an item it does not have, or evidence made before
/// editions were recorded.
pub fn question<'a>(lang: Lang, rules: Option<&'a EditionRules>, item: &str) -> Option<&'a str> {
    let it = rules?.items.iter().find(|i| i.item == item)?;
    Some(pick_str(lang, &it.question.ja, &it.question.en))
}

/// The printed name of an item: `2-7` → `2-⑦`. Japanese keeps the engine's label (`令和7年度版 2-⑦`).
pub fn item_label(lang: Lang, item: &str, engine_label: &str) -> String {
    if lang == Lang::Ja && !engine_label.is_empty() {
        return engine_label.to_string();
    }
    circled(item)
}

/// The checklist edition as printed: its name from the edition file (`令和7年度版` / `FY2025
/// (Reiwa 7) edition`); a provisional edition is marked 「暫定」 with its source, and a user's
/// edition file is named. Without recorded rules, `R7` → 令和7年度版 by the era's numbering.
pub fn edition(lang: Lang, id: &str, rules: Option<&EditionRules>) -> String {
    let Some(r) = rules else {
        return match id.strip_prefix('R').and_then(|n| n.parse::<u32>().ok()) {
            Some(n) if n > 0 => match lang {
                Lang::Ja => format!("令和{n}年度版"),
                Lang::En => format!("FY{} (Reiwa {n}) edition", 2018 + n),
            },
            _ => id.to_string(),
        };
    };
    let mut s = pick_str(lang, &r.name.ja, &r.name.en).to_string();
    if r.provisional {
        s.push_str(provisional(lang));
    }
    if let Some(f) = &r.file {
        match lang {
            Lang::Ja => s.push_str(&format!("（利用者のルールファイル {}）", f.path)),
            Lang::En => s.push_str(&format!(" (the user's rules file {})", f.path)),
        }
    }
    if r.provisional || r.file.is_some() {
        match lang {
            Lang::Ja => s.push_str(&format!(" 出典：{}", r.source)),
            Lang::En => s.push_str(&format!(" — source: {}", r.source)),
        }
    }
    s
}

/// The mark of a provisional edition: 「暫定」 / provisional.
pub fn provisional(lang: Lang) -> &'static str {
    pick(lang, "（暫定）", " (provisional)")
}

/// 医療機関確認用 / 事業者確認用 — For the facility / For the vendor.
pub fn checklist_title(lang: Lang, m: ManagedBy) -> &'static str {
    match m {
        ManagedBy::Institution => pick(lang, "医療機関確認用", "For the facility"),
        ManagedBy::Vendor => pick(lang, "事業者確認用", "For the vendor"),
    }
}

/// Who manages a system: 医療機関 / 事業者.
pub fn managed_by(lang: Lang, m: ManagedBy) -> &'static str {
    match m {
        ManagedBy::Institution => pick(lang, "医療機関", "Facility"),
        ManagedBy::Vendor => pick(lang, "事業者", "Vendor"),
    }
}

pub fn system_kind(lang: Lang, k: SystemKind) -> &'static str {
    match k {
        SystemKind::Server => pick(lang, "サーバ", "Server"),
        SystemKind::TerminalPc => pick(lang, "端末PC", "Terminal PC"),
        SystemKind::NetworkDevice => pick(lang, "ネットワーク機器", "Network device"),
        SystemKind::Application => pick(lang, "アプリケーション", "Application"),
        SystemKind::ExternalService => pick(lang, "外部サービス", "External service"),
    }
}

/// The words of `kensa rules` (the rules of an edition, as text).
pub struct RulesWords {
    pub edition: &'static str,
    pub provisional: &'static str,
    pub source: &'static str,
    pub file: &'static str,
    pub paths: &'static str,
    pub long: &'static str,
    pub mfa: &'static str,
    pub rotation: &'static str,
    pub not_a_path: &'static str,
    pub chars_or_more: &'static str,
    pub classes: &'static str,
    pub max_age: &'static str,
    pub pin: &'static str,
    pub pin_exempt: &'static str,
    pub lockout: &'static str,
    pub lockout_expected: &'static str,
    pub lockout_advisory: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
}

pub fn rules_words(lang: Lang) -> RulesWords {
    match lang {
        Lang::Ja => RulesWords {
            edition: "版",
            provisional: "暫定",
            source: "出典",
            file: "ルールファイル",
            paths: "2-⑦ の合格経路",
            long: "二要素認証なし",
            mfa: "二要素認証あり",
            rotation: "定期変更あり",
            not_a_path: "合格経路ではない",
            chars_or_more: "文字以上",
            classes: "必須の文字種",
            max_age: "有効期間の上限（日）",
            pin: "二要素目を解除する PIN",
            pin_exempt: "文字数の基準なし（免除）",
            lockout: "アカウントロックアウト",
            lockout_expected: "求められる（未設定は警告）",
            lockout_advisory: "参考（未設定は参考情報）",
            yes: "はい",
            no: "いいえ",
        },
        Lang::En => RulesWords {
            edition: "Edition",
            provisional: "Provisional",
            source: "Source",
            file: "Rules file",
            paths: "Ways to pass 2-⑦",
            long: "without two-factor authentication",
            mfa: "with two-factor authentication",
            rotation: "with periodic change",
            not_a_path: "not a way to pass",
            chars_or_more: "characters or more",
            classes: "required classes",
            max_age: "maximum password age (days)",
            pin: "PIN unlocking the second factor",
            pin_exempt: "no length rule (exempt)",
            lockout: "Account lockout",
            lockout_expected: "expected (a warning when missing)",
            lockout_advisory: "advisory (a note when missing)",
            yes: "yes",
            no: "no",
        },
    }
}

/// A character class name (`letter`, `digit`, `symbol`) as printed.
pub fn class_name(lang: Lang, class: &str) -> String {
    super::lookup(
        lang,
        class,
        &[
            ("letter", "英字", "letter"),
            ("digit", "数字", "digit"),
            ("symbol", "記号", "symbol"),
        ],
    )
}
