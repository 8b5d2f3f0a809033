//! The words of the password statistics (統計: counts only, never a password or a hash) and of
//! the answer list on the workbook's checklist sheets, in Japanese and English.

use super::Lang;

/// Words of the statistics section (md, html) and sheet (xlsx).
pub struct StatsLabels {
    /// The section heading and the sheet name.
    pub heading: &'static str,
    pub note: &'static str,
    // The DPAT/DSInternals-style counts.
    pub accounts: &'static str,
    pub recovered: &'static str,
    pub lm_stored: &'static str,
    pub empty: &'static str,
    pub contains_name: &'static str,
    pub never_expires: &'static str,
    pub shared_accounts: &'static str,
    pub predictable: &'static str,
    // Sub-headings.
    pub h_buckets: &'static str,
    pub h_lengths: &'static str,
    pub h_shared: &'static str,
    pub h_codes: &'static str,
    pub h_history: &'static str,
    // Column heads.
    pub col_range: &'static str,
    pub col_length: &'static str,
    pub col_count: &'static str,
    pub col_group: &'static str,
    pub col_accounts: &'static str,
    pub col_systems: &'static str,
    pub col_scope: &'static str,
    pub col_code: &'static str,
    pub col_finding: &'static str,
    pub col_fail: &'static str,
    pub col_warn: &'static str,
    pub col_change: &'static str,
    /// Length buckets: empty, 1–7, 8–12, 13–14, 15 and more.
    pub buckets: [&'static str; 5],
    /// History changes: the same as before, a number changed, only the ends changed.
    pub changes: [&'static str; 3],
    pub none: &'static str,
}

const JA: StatsLabels = StatsLabels {
    heading: "統計",
    note: "パスワードの傾向を件数だけで示します（平文やハッシュは載せません）。長さの分布は平文が判明したパスワードのみ、共有されたパスワードは使い回しグループの大きい順です。",
    accounts: "アカウント数（対象外を含む）",
    recovered: "平文が判明したパスワード",
    lm_stored: "LMハッシュが保存されたアカウント",
    empty: "空のパスワード",
    contains_name: "アカウント名を含むパスワード",
    never_expires: "無期限のパスワード",
    shared_accounts: "他のアカウントと同じパスワードのアカウント",
    predictable: "履歴から推測できるパスワード",
    h_buckets: "パスワードの長さ（区分）",
    h_lengths: "パスワードの長さ（文字数別）",
    h_shared: "共有されたパスワード（上位）",
    h_codes: "指摘別のアカウント数",
    h_history: "パスワード履歴",
    col_range: "区分",
    col_length: "文字数",
    col_count: "件数",
    col_group: "グループ",
    col_accounts: "アカウント数",
    col_systems: "システム数",
    col_scope: "範囲",
    col_code: "指摘コード",
    col_finding: "指摘",
    col_fail: "不合格",
    col_warn: "警告・参考",
    col_change: "履歴との関係",
    buckets: [
        "空（0文字）",
        "1〜7文字",
        "8〜12文字",
        "13〜14文字",
        "15文字以上",
    ],
    changes: [
        "以前のパスワードと同じ",
        "以前のパスワードの数字だけを変更",
        "以前のパスワードの前後だけを変更",
    ],
    none: "なし",
};

const EN: StatsLabels = StatsLabels {
    heading: "Statistics",
    note: "Password trends as counts only (no plaintext, no hash). Lengths are those of the passwords that became known; shared passwords are the reuse groups, largest first.",
    accounts: "Accounts (out of scope included)",
    recovered: "Passwords recovered",
    lm_stored: "Accounts with an LM hash stored",
    empty: "Empty passwords",
    contains_name: "Passwords containing the account name",
    never_expires: "Passwords that never expire",
    shared_accounts: "Accounts sharing their password with another",
    predictable: "Passwords predictable from the history",
    h_buckets: "Password length (ranges)",
    h_lengths: "Password length (each length)",
    h_shared: "Shared passwords (largest)",
    h_codes: "Accounts per finding",
    h_history: "Password history",
    col_range: "Range",
    col_length: "Length",
    col_count: "Count",
    col_group: "Group",
    col_accounts: "Accounts",
    col_systems: "Systems",
    col_scope: "Scope",
    col_code: "Code",
    col_finding: "Finding",
    col_fail: "Fail",
    col_warn: "Warning / note",
    col_change: "Relation to the history",
    buckets: [
        "empty (0)",
        "1–7 characters",
        "8–12 characters",
        "13–14 characters",
        "15 characters or more",
    ],
    changes: [
        "the same as a previous password",
        "a previous password with a number changed",
        "a previous password with only its ends changed",
    ],
    none: "none",
};

/// The statistics words in `lang`.
pub fn stats_labels(lang: Lang) -> &'static StatsLabels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// `n / total (p%)`, the percentage to one decimal (`-` when there is nothing to divide by).
pub fn share(lang: Lang, n: usize, total: usize) -> String {
    // Tenths of a percent in integers: the same text on every machine.
    let pct = (n * 1000 + total / 2)
        .checked_div(total)
        .map_or_else(|| "-".to_string(), |t| format!("{}.{}%", t / 10, t % 10));
    match lang {
        Lang::Ja => format!("{n} / {total} 件（{pct}）"),
        Lang::En => format!("{n} / {total} ({pct})"),
    }
}

/// The answers a checklist sheet's answer cell offers: はい and いいえ as on the MHLW form, and
/// 判定不能 only where kensa answered it, so the answer as written stays valid until someone
/// decides it.
pub fn answer_choices(lang: Lang, undetermined: bool) -> &'static [&'static str] {
    match (lang, undetermined) {
        (Lang::Ja, false) => &["はい", "いいえ"],
        (Lang::Ja, true) => &["はい", "いいえ", "判定不能"],
        (Lang::En, false) => &["Yes", "No"],
        (Lang::En, true) => &["Yes", "No", "Undetermined"],
    }
}

/// The prompt of the answer list: its title and message.
pub fn answer_prompt(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Ja => (
            "はい・いいえ",
            "「はい」または「いいえ」を選んでください。「いいえ」には目標日を記入します。",
        ),
        Lang::En => ("Yes / No", "Choose Yes or No. A No needs a target date."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_to_one_decimal_and_never_divide_by_zero() {
        assert_eq!(share(Lang::En, 1, 3), "1 / 3 (33.3%)");
        assert_eq!(share(Lang::En, 2, 3), "2 / 3 (66.7%)");
        assert_eq!(share(Lang::Ja, 0, 0), "0 / 0 件（-）");
        assert_eq!(share(Lang::En, 5, 5), "5 / 5 (100.0%)");
    }

    #[test]
    fn the_list_offers_undetermined_only_where_it_is_the_answer() {
        assert_eq!(answer_choices(Lang::Ja, false), ["はい", "いいえ"]);
        assert!(answer_choices(Lang::Ja, true).contains(&"判定不能"));
        assert_eq!(
            answer_choices(Lang::En, true).last(),
            Some(&super::super::answer(
                Lang::En,
                crate::model::evidence::Answer::Undetermined
            ))
        );
        assert_eq!(
            answer_choices(Lang::Ja, true).last(),
            Some(&super::super::answer(
                Lang::Ja,
                crate::model::evidence::Answer::Undetermined
            ))
        );
    }
}
