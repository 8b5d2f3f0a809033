//! The terminal's words (`kensa audit`'s summary, `kensa check`, `kensa policy`).

use super::{pick, Lang};
use crate::model::evidence::Answer;

/// An answer as the terminal summary prints it (lower case in English).
pub fn terminal_answer(lang: Lang, a: Answer) -> &'static str {
    match a {
        Answer::Yes => pick(lang, "はい", "yes"),
        Answer::No => pick(lang, "いいえ", "no"),
        Answer::Undetermined => pick(lang, "判定不能", "undetermined"),
    }
}

/// An item's target date in the terminal summary (`  目標日 2027-03-31`).
pub fn terminal_target_date(lang: Lang, date: &str) -> String {
    format!("  {} {date}", pick(lang, "目標日", "target date"))
}

/// `kensa check`'s 2-⑦ verdict of one password.
pub fn terminal_check_verdict(lang: Lang, pass: bool) -> &'static str {
    match pass {
        true => pick(lang, "合格", "pass"),
        false => pick(lang, "不合格", "fail"),
    }
}

/// The account counts line of the audit summary.
pub fn terminal_accounts(
    lang: Lang,
    [fail, unverified, pass, skipped]: [usize; 4],
    groups: usize,
    breach: &str,
) -> String {
    match lang {
        Lang::Ja => format!(
            "アカウント：不合格 {fail}、未検証 {unverified}、合格 {pass}、対象外 {skipped}／使い回しグループ：{groups}／漏えい照会：{breach}"
        ),
        Lang::En => format!(
            "accounts: {fail} fail, {unverified} unverified, {pass} pass, {skipped} skipped; reuse groups: {groups}; breach: {breach}"
        ),
    }
}

/// The breach check in the audit summary: not performed, or its status and how many were found.
pub fn terminal_breach(lang: Lang, performed: Option<(&str, usize)>) -> String {
    match (lang, performed) {
        (Lang::Ja, None) => "未実施".into(),
        (Lang::En, None) => "not performed".into(),
        (Lang::Ja, Some((st, n))) => format!("{st}（該当 {n} 件）"),
        (Lang::En, Some((st, n))) => format!("{st} ({n} found)"),
    }
}

/// The baseline line of the audit summary (`new` already colored when asked).
pub fn terminal_baseline(
    lang: Lang,
    path: &str,
    checked_on: &str,
    new: &str,
    [new_cross, unchanged, resolved]: [usize; 3],
) -> String {
    match lang {
        Lang::Ja => format!(
            "前回との比較 {path}（{checked_on}）：新規 {new}（うち複数システムの使い回しグループ {new_cross}）、継続 {unchanged}、解消 {resolved}"
        ),
        Lang::En => format!(
            "baseline {path} ({checked_on}): {new} new ({new_cross} new cross-system reuse groups), {unchanged} unchanged, {resolved} resolved"
        ),
    }
}

/// `wrote PATH` after an audit.
pub fn terminal_wrote(lang: Lang) -> &'static str {
    pick(lang, "出力", "wrote")
}

/// A phase of the progress bar (`read`, `potfile`, `candidates`, `salted`, `cross-check`,
/// `breach`, `judge`, `indexing`, `download`); an unknown phase as it is.
pub fn progress_phase(lang: Lang, phase: &str) -> &str {
    if lang == Lang::En {
        return phase;
    }
    match phase {
        "read" => "読み込み",
        "potfile" => "ポットファイル",
        "candidates" => "候補の照合",
        "salted" => "ソルト付き照合",
        "cross-check" => "相互照合",
        "breach" => "漏えい照会",
        "judge" => "判定",
        "indexing" => "索引作成",
        "download" => "ダウンロード",
        other => other,
    }
}

/// The words of `kensa policy`'s text, one per line key.
pub struct PolicyWords {
    pub sources: &'static str,
    pub min_length: &'static str,
    pub require: &'static str,
    pub max_age: &'static str,
    pub never: &'static str,
    pub mfa: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub lockout: &'static str,
    pub verdict: &'static str,
}

/// `kensa policy`'s line keys and values.
pub fn policy_words(lang: Lang) -> &'static PolicyWords {
    const JA: PolicyWords = PolicyWords {
        sources: "読み込んだ設定",
        min_length: "最小文字数",
        require: "必須の文字種",
        max_age: "最長有効期間（日）",
        never: "無期限",
        mfa: "二要素認証",
        yes: "あり",
        no: "なし",
        lockout: "ロックアウト",
        verdict: "判定",
    };
    const EN: PolicyWords = PolicyWords {
        sources: "sources",
        min_length: "min_length",
        require: "require",
        max_age: "max_age_days",
        never: "never",
        mfa: "mfa",
        yes: "true",
        no: "false",
        lockout: "lockout",
        verdict: "verdict",
    };
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// `kensa check`'s first line: the verdict, the way it passes and the length.
pub fn terminal_check_line(lang: Lang, verdict: &str, path: Option<&str>, length: usize) -> String {
    match (lang, path) {
        (Lang::Ja, Some(p)) => format!("2-⑦：{verdict}（{p}、{length}文字）"),
        (Lang::Ja, None) => format!("2-⑦：{verdict}（{length}文字）"),
        (Lang::En, Some(p)) => format!("2-⑦: {verdict} via {p} (length {length})"),
        (Lang::En, None) => format!("2-⑦: {verdict} (length {length})"),
    }
}

/// `kensa check`'s breach line.
pub fn terminal_check_breach(lang: Lang, breach: &str) -> String {
    let word = match (lang, breach) {
        (Lang::Ja, "found") => "漏えいあり",
        (Lang::Ja, "not_found") => "該当なし",
        (Lang::Ja, "error") => "照会エラー",
        (_, other) => other,
    };
    match lang {
        Lang::Ja => format!("漏えい照会：{word}"),
        Lang::En => format!("breach: {word}"),
    }
}
