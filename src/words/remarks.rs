//! The checklist remarks (備考) `rules::answer` writes into the evidence (the item labels it gives,
//! `令和7年度版 2-⑦`, come from the edition file, `rules::edition`).

use super::{pick, Lang};

/// The remark of an item with no in-scope account: 判定不能 when inputs with errors may hold
/// accounts that were not read (`unread`), else 対象外 (rules.md).
pub fn remark_nothing_in_scope(lang: Lang, unread: bool) -> &'static str {
    if unread {
        pick(
            lang,
            "判定不能（監査できたアカウントなし。入力エラーのある入力にアカウントが含まれうる）",
            "undetermined (no account could be audited; inputs with errors may hold accounts that were not read)",
        )
    } else {
        pick(
            lang,
            "対象外（監査対象のアカウントなし）",
            "not applicable (no account in scope)",
        )
    }
}

/// What joins the parts of one remark.
pub fn remark_sep(lang: Lang) -> &'static str {
    pick(lang, "、", "; ")
}

/// 2-⑦: `n` accounts fail, on `systems`.
pub fn remark_failing_accounts(lang: Lang, n: usize, systems: &str) -> String {
    match lang {
        Lang::Ja => format!("基準を満たさないアカウント {n} 件（{systems}）"),
        Lang::En => format!("{n} accounts fail ({systems})"),
    }
}

/// 2-⑦: the password policies of `systems` fail.
pub fn remark_failing_policies(lang: Lang, systems: &str) -> String {
    match lang {
        Lang::Ja => format!("基準を満たさないパスワードポリシー（{systems}）"),
        Lang::En => format!("password policy fails ({systems})"),
    }
}

/// 2-⑦, beside failures: `n` accounts unverified, on `systems`.
pub fn remark_unverified(lang: Lang, n: usize, systems: &str) -> String {
    match lang {
        Lang::Ja => format!("未検証 {n} 件（{systems}）"),
        Lang::En => format!("{n} unverified ({systems})"),
    }
}

/// 2-⑦ 判定不能: no failure, but `n` accounts on `systems` could not be verified.
pub fn remark_undetermined(lang: Lang, n: usize, systems: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "不合格は見つからないが、パスワードを確認できず準拠ポリシーもないアカウント {n} 件（{systems}）"
        ),
        Lang::En => format!(
            "no failure found, but {n} accounts could not be verified and no compliant policy covers them ({systems})"
        ),
    }
}

/// 2-⑦ はい: all `n` accounts pass.
pub fn remark_all_pass(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("全 {n} アカウントが基準を満たす"),
        Lang::En => format!("all {n} accounts meet the requirement"),
    }
}

/// 2-⑧: `n` failing reuse groups (`ids`) on `systems`.
pub fn remark_reuse_groups(lang: Lang, n: usize, ids: &str, systems: &str) -> String {
    match lang {
        Lang::Ja => format!("同一パスワードの使い回し {n} 組（{ids}; {systems}）"),
        Lang::En => format!("{n} reuse groups ({ids}; {systems})"),
    }
}

/// 2-⑧: `n` factory-default passwords on `systems`.
pub fn remark_defaults(lang: Lang, n: usize, systems: &str) -> String {
    match lang {
        Lang::Ja => format!("初期パスワードのまま {n} 件（{systems}）"),
        Lang::En => format!("{n} factory-default passwords ({systems})"),
    }
}

/// 2-⑧ はい: no reuse among `n` accounts.
pub fn remark_no_reuse(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("{n} アカウントで使い回しなし"),
        Lang::En => format!("no reuse among {n} accounts"),
    }
}

/// 2-⑧ はい, appended: `n` accounts were compared by identical hashes only.
pub fn remark_compared_by_hash(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("（うち {n} 件はパスワード不明のため、ハッシュの一致でのみ確認）"),
        Lang::En => format!(" ({n} with unknown passwords were compared only by identical hashes)"),
    }
}

/// 2-⑧ はい, appended: sharing within one system is a warning.
pub fn remark_within_system_warned(lang: Lang) -> &'static str {
    pick(
        lang,
        "。同一システム内の共有は警告として記載",
        "; sharing within one system is listed as a warning",
    )
}
