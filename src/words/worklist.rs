//! The words of the remediation worklist (是正計画): its section, its columns, and what to do for
//! each action, worded from the numbers of the edition in force (R8 has no periodic-change path,
//! so no action of R8 offers one).

use super::{pick, Lang};

/// The thresholds of the edition in force that the actions quote (`rules::edition::Edition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    /// The shortest password without two-factor authentication (R7, R8: 13).
    pub long_min: usize,
    /// The shortest password with two-factor authentication (8).
    pub mfa_min: usize,
    /// The edition requires symbols besides letters and digits (R7 yes, R8 no).
    pub symbols: bool,
    /// The longest maximum age of the periodic-change path, when that path exists (R7: 60 days;
    /// R8: none).
    pub rotation_days: Option<i64>,
    /// The shortest password the periodic-change path accepts (8).
    pub rotation_min: usize,
}

/// What to do about a finding: one row of the worklist per account and action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkAction {
    /// Too short, not mixed, guessable, empty.
    ChangeStrong,
    /// As `ChangeStrong`, or (editions with the periodic-change path) set the rotation.
    ChangeOrRotate,
    ChangeDefault,
    ChangeBreached,
    ChangeNotDerived,
    ChangeExpired,
    DisableLm,
    Rehash,
    UniquePerSystem,
    UniquePerAccount,
    PolicyMinLength,
    PolicyComposition,
    PolicyMaxAge,
    PolicyMaxLength,
    PolicyLockout,
    Review,
}

impl WorkAction {
    /// The stable code of the action (the CSV's `action_code`, the workbook's column).
    pub fn code(self) -> &'static str {
        match self {
            WorkAction::ChangeStrong => "CHANGE_PASSWORD",
            WorkAction::ChangeOrRotate => "CHANGE_PASSWORD_OR_ROTATE",
            WorkAction::ChangeDefault => "CHANGE_DEFAULT_PASSWORD",
            WorkAction::ChangeBreached => "CHANGE_BREACHED_PASSWORD",
            WorkAction::ChangeNotDerived => "CHANGE_TO_UNRELATED_PASSWORD",
            WorkAction::ChangeExpired => "CHANGE_EXPIRED_PASSWORD",
            WorkAction::DisableLm => "DISABLE_LM_HASH",
            WorkAction::Rehash => "REHASH_STRONG_SCHEME",
            WorkAction::UniquePerSystem => "UNIQUE_PASSWORD_PER_SYSTEM",
            WorkAction::UniquePerAccount => "UNIQUE_PASSWORD_PER_ACCOUNT",
            WorkAction::PolicyMinLength => "POLICY_SET_MIN_LENGTH",
            WorkAction::PolicyComposition => "POLICY_REQUIRE_CLASSES",
            WorkAction::PolicyMaxAge => "POLICY_SET_MAX_AGE",
            WorkAction::PolicyMaxLength => "POLICY_ALLOW_LONG_PASSWORDS",
            WorkAction::PolicyLockout => "POLICY_SET_LOCKOUT",
            WorkAction::Review => "REVIEW",
        }
    }
}

/// What to do, in plain words. `mfa`: the system has two-factor authentication, so the shorter
/// length of that path is enough.
pub fn work_action(lang: Lang, a: WorkAction, bar: &Bar, mfa: bool) -> String {
    let n = if mfa { bar.mfa_min } else { bar.long_min };
    let mix = if bar.symbols {
        pick(lang, "英字・数字・記号", "letters, digits and symbols")
    } else {
        pick(lang, "英字と数字", "letters and digits")
    };
    let ja = lang == Lang::Ja;
    match a {
        WorkAction::ChangeStrong => {
            if ja {
                format!("{n}文字以上の推定困難なパスワードに変更（{mix}を混在）")
            } else {
                format!("Change to a hard-to-guess password of {n}+ characters (mixing {mix})")
            }
        }
        WorkAction::ChangeOrRotate => match (bar.rotation_days, ja) {
            (Some(d), true) => format!(
                "{n}文字以上の推定困難なパスワードに変更（{mix}を混在）、または{d}日以内の定期変更を設定"
            ),
            (Some(d), false) => format!(
                "Change to a hard-to-guess password of {n}+ characters (mixing {mix}), or enforce a change at least every {d} days"
            ),
            // No periodic-change path in this edition: the length is the only way.
            (None, _) => work_action(lang, WorkAction::ChangeStrong, bar, mfa),
        },
        WorkAction::ChangeDefault => pick(
            lang,
            "初期パスワード（工場出荷時・導入時）から変更",
            "Change from the factory default password",
        )
        .into(),
        WorkAction::ChangeBreached => pick(
            lang,
            "漏えい済みのパスワードをやめ、別のパスワードに変更",
            "Change the password: it is in a public breach corpus",
        )
        .into(),
        WorkAction::ChangeNotDerived => pick(
            lang,
            "過去のパスワードから推測できない新しいパスワードに変更",
            "Change to a new password not derived from the previous ones",
        )
        .into(),
        WorkAction::ChangeExpired => pick(
            lang,
            "パスワードを変更し、有効期限の設定が適用されているか確認",
            "Change the password and check that the maximum age is applied",
        )
        .into(),
        WorkAction::DisableLm => pick(
            lang,
            "LMハッシュの保存を無効化（NoLMHash）し、パスワードを変更",
            "Disable LM hash storage (NoLMHash) and change the password",
        )
        .into(),
        WorkAction::Rehash => pick(
            lang,
            "強いハッシュ方式（yescrypt、SHA-512、bcrypt 等）でパスワードを設定し直す",
            "Set the password again with a strong hash scheme (yescrypt, SHA-512, bcrypt)",
        )
        .into(),
        WorkAction::UniquePerSystem => pick(
            lang,
            "機器ごとに異なるパスワードに変更",
            "Change to a different password on each system",
        )
        .into(),
        WorkAction::UniquePerAccount => pick(
            lang,
            "アカウントごとに異なるパスワードに変更",
            "Change to a different password for each account",
        )
        .into(),
        WorkAction::PolicyMinLength => {
            if ja {
                format!("最小文字数を{n}以上に設定")
            } else {
                format!("Set the minimum length to {n} or more")
            }
        }
        WorkAction::PolicyComposition => {
            if ja {
                format!("{mix}の混在を必須に設定")
            } else {
                format!("Require a mix of {mix}")
            }
        }
        WorkAction::PolicyMaxAge => match (bar.rotation_days, ja) {
            (Some(d), true) => format!(
                "最長使用期間を{d}日以内に設定（または最小文字数を{}以上に設定）",
                bar.long_min
            ),
            (Some(d), false) => format!(
                "Set the maximum password age to {d} days or less (or the minimum length to {})",
                bar.long_min
            ),
            (None, _) => work_action(lang, WorkAction::PolicyMinLength, bar, false),
        },
        WorkAction::PolicyMaxLength => pick(
            lang,
            "64文字以上のパスワードを設定できるようにする",
            "Allow passwords of 64 characters or more",
        )
        .into(),
        WorkAction::PolicyLockout => pick(
            lang,
            "ログイン失敗時のアカウントロックアウトを設定",
            "Set account lockout after failed logins",
        )
        .into(),
        WorkAction::Review => pick(
            lang,
            "指摘内容を確認して対処",
            "Review the finding and act on it",
        )
        .into(),
    }
}

/// The words of the worklist's section and columns.
pub struct WorklistLabels {
    pub heading: &'static str,
    pub note: &'static str,
    pub none: &'static str,
    pub sheet: &'static str,
    pub col_priority: &'static str,
    pub col_system: &'static str,
    pub col_system_name: &'static str,
    pub col_vendor: &'static str,
    pub col_account: &'static str,
    pub col_privileged: &'static str,
    pub col_severity: &'static str,
    pub col_findings: &'static str,
    pub col_action: &'static str,
    pub col_target_date: &'static str,
    pub col_action_code: &'static str,
    pub col_finding_codes: &'static str,
    /// The 事業者 cell of a system the facility manages itself.
    pub facility: &'static str,
    /// The 事業者 cell of a vendor's system whose vendor is not named.
    pub vendor_unnamed: &'static str,
    /// The account cell of a policy row.
    pub policy: &'static str,
    /// The 特権 cell of a privileged account (empty otherwise).
    pub privileged: &'static str,
}

const JA: WorklistLabels = WorklistLabels {
    heading: "是正計画",
    note: "指摘ごとの対応です。特権アカウント、機器をまたぐ使い回し、その他の不合格、警告の順に並べています。目標日はシステムごとの目標日（未設定なら施設の目標日）です。",
    none: "是正の必要な指摘はありません。",
    sheet: "是正計画",
    col_priority: "順位",
    col_system: "システム",
    col_system_name: "システム名",
    col_vendor: "事業者",
    col_account: "アカウント",
    col_privileged: "特権",
    col_severity: "重大度",
    col_findings: "指摘",
    col_action: "対応",
    col_target_date: "目標日",
    col_action_code: "対応コード",
    col_finding_codes: "指摘コード",
    facility: "医療機関",
    vendor_unnamed: "事業者",
    policy: "ポリシー",
    privileged: "特権",
};

const EN: WorklistLabels = WorklistLabels {
    heading: "Remediation worklist",
    note: "What to do about each finding: privileged accounts first, then reuse across systems, then other failures, then warnings. The target date is the system's own (else the facility's).",
    none: "Nothing needs remediation.",
    sheet: "Worklist",
    col_priority: "Priority",
    col_system: "System",
    col_system_name: "System name",
    col_vendor: "Vendor",
    col_account: "Account",
    col_privileged: "Privileged",
    col_severity: "Severity",
    col_findings: "Findings",
    col_action: "Action",
    col_target_date: "Target date",
    col_action_code: "Action code",
    col_finding_codes: "Finding codes",
    facility: "Facility",
    vendor_unnamed: "Vendor",
    policy: "Policy",
    privileged: "privileged",
};

pub fn worklist_labels(lang: Lang) -> &'static WorklistLabels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// The account cell of a reuse group's row: its id and how many accounts share the password.
pub fn worklist_group(lang: Lang, id: &str, members: usize) -> String {
    match lang {
        Lang::Ja => format!("{id}（{members}アカウント）"),
        Lang::En => format!("{id} ({members} accounts)"),
    }
}

/// After the worklist cut in a human report: how many rows are left out, and where they all are.
pub fn worklist_rows_left_out(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => {
            format!("ほか {n} 件は worklist.csv / evidence.xlsx の「是正計画」シートを参照")
        }
        Lang::En => format!("{n} more: see worklist.csv / the Worklist sheet of evidence.xlsx"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R7: Bar = Bar {
        long_min: 13,
        mfa_min: 8,
        symbols: true,
        rotation_days: Some(60),
        rotation_min: 8,
    };
    const R8: Bar = Bar {
        long_min: 13,
        mfa_min: 8,
        symbols: false,
        rotation_days: None,
        rotation_min: 8,
    };

    #[test]
    fn actions_quote_the_numbers_of_the_edition() {
        assert_eq!(
            work_action(Lang::Ja, WorkAction::ChangeStrong, &R7, false),
            "13文字以上の推定困難なパスワードに変更（英字・数字・記号を混在）"
        );
        assert!(work_action(Lang::Ja, WorkAction::ChangeStrong, &R7, true).starts_with("8文字以上"));
        let long = Bar { long_min: 15, ..R7 };
        assert_eq!(
            work_action(Lang::Ja, WorkAction::PolicyMinLength, &long, false),
            "最小文字数を15以上に設定"
        );
        assert!(work_action(Lang::Ja, WorkAction::ChangeOrRotate, &R7, false).contains("60日以内"));
    }

    #[test]
    fn no_action_of_an_edition_without_rotation_offers_it() {
        for lang in [Lang::Ja, Lang::En] {
            for a in [WorkAction::ChangeOrRotate, WorkAction::PolicyMaxAge] {
                let s = work_action(lang, a, &R8, false);
                assert!(!s.contains("定期") && !s.contains("every"), "{s}");
                assert!(!s.contains("使用期間") && !s.contains("age"), "{s}");
            }
        }
        assert!(work_action(Lang::Ja, WorkAction::ChangeStrong, &R8, false).contains("英字と数字"));
    }
}
