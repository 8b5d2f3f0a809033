//! Every human-readable string of the reports, in Japanese and English, in one place.
//!
//! Renderers never spell out words themselves: they ask here. Lookups of engine strings (paths,
//! scopes, skip reasons…) fall back to the raw string when the value is unknown, so a new value in
//! the evidence still shows up instead of disappearing.

use super::Lang;
use crate::model::evidence::{AccountStatus, Answer, BreachStatus, SaltedSkip, SaltedWork};
use crate::model::tags::{
    BreachCheckStatus, BreachMode, Method, PassPath, PolicyStatus, Proof, ReuseScope,
};
use crate::model::{Code, ManagedBy, Scheme, Severity, SkipReason, SystemKind};

/// Labels, headings and fixed sentences of the human reports.
pub struct Labels {
    pub doc_title: &'static str,
    pub subtitle: &'static str,
    pub facility: &'static str,
    pub checked_on: &'static str,
    pub target_date: &'static str,
    pub remarks: &'static str,
    pub edition: &'static str,
    pub tool: &'static str,
    pub run_started: &'static str,
    pub run_duration: &'static str,
    pub evidence_status: &'static str,
    pub complete: &'static str,
    pub incomplete: &'static str,
    pub incomplete_note: &'static str,
    pub no_secrets_note: &'static str,

    pub h_answers: &'static str,
    pub col_item: &'static str,
    pub col_question: &'static str,
    pub col_answer: &'static str,
    pub col_counts: &'static str,
    pub count_failing: &'static str,
    pub count_unverified: &'static str,
    pub count_passing: &'static str,
    pub count_groups: &'static str,

    pub h_checklists: &'static str,
    pub checklists_note: &'static str,
    pub checklist_systems: &'static str,

    pub h_systems: &'static str,
    pub col_system: &'static str,
    pub col_name: &'static str,
    pub col_kind: &'static str,
    pub col_managed_by: &'static str,
    pub col_vendor: &'static str,
    pub col_mfa: &'static str,
    pub col_accounts: &'static str,
    pub col_failing: &'static str,
    pub col_unverified: &'static str,
    pub col_passing: &'static str,
    pub col_skipped: &'static str,
    pub col_policy: &'static str,

    pub h_failing: &'static str,
    pub failing_note: &'static str,
    pub h_unverified: &'static str,
    pub unverified_note: &'static str,
    pub h_passing: &'static str,
    pub h_skipped: &'static str,
    pub col_account: &'static str,
    pub col_source: &'static str,
    pub col_scheme: &'static str,
    pub col_length: &'static str,
    pub col_recovered_by: &'static str,
    pub col_reasons: &'static str,
    pub col_findings: &'static str,
    pub col_breach: &'static str,
    pub col_reuse_group: &'static str,
    pub col_hash_prefix: &'static str,
    pub col_path: &'static str,
    pub col_skip_reason: &'static str,
    pub warning_prefix: &'static str,
    pub info_prefix: &'static str,

    pub h_reuse: &'static str,
    pub reuse_note: &'static str,
    pub col_group: &'static str,
    pub col_scope: &'static str,
    pub col_severity: &'static str,
    pub col_proof: &'static str,
    pub col_members: &'static str,
    pub col_default_password: &'static str,
    pub col_links: &'static str,

    pub h_recovery: &'static str,
    pub recovery_note: &'static str,
    pub recovered_total: &'static str,
    pub candidates_unsalted: &'static str,
    pub salted_hashes: &'static str,
    pub salted_verifications: &'static str,
    pub cross_verifications: &'static str,
    pub potfile_matched: &'static str,
    pub potfile_rejected: &'static str,
    pub potfile_skipped: &'static str,

    pub h_policies: &'static str,
    pub col_sources: &'static str,
    pub col_status: &'static str,
    pub col_min_length: &'static str,
    pub col_require: &'static str,
    pub col_max_age: &'static str,
    pub col_max_length: &'static str,
    pub col_lockout: &'static str,
    pub never_expires: &'static str,

    pub h_advisories: &'static str,
    pub advisories_note: &'static str,
    pub col_finding: &'static str,
    pub col_detail: &'static str,

    pub h_breach: &'static str,
    pub breach_mode: &'static str,
    pub breach_status: &'static str,
    pub breach_lookups: &'static str,
    pub breach_found: &'static str,
    pub breach_errors: &'static str,
    pub breach_gave_up: &'static str,
    pub breach_dataset: &'static str,
    pub breach_date: &'static str,
    pub breach_attribution: &'static str,

    pub h_input_errors: &'static str,
    pub col_location: &'static str,
    pub col_message: &'static str,

    pub h_inputs: &'static str,
    pub col_file: &'static str,
    pub col_format: &'static str,
    pub col_encoding: &'static str,
    pub col_sha256: &'static str,
    pub col_size: &'static str,
    pub col_systems: &'static str,
    pub col_records: &'static str,
    pub col_errors: &'static str,

    pub h_vendors: &'static str,
    pub vendors_note: &'static str,
    pub facility_managed: &'static str,
    pub col_policy_failing: &'static str,
    pub col_reuse_groups: &'static str,

    pub h_charts: &'static str,
    pub chart_reasons: &'static str,
    pub chart_lengths: &'static str,
    pub chart_length_axis: &'static str,
    pub chart_systems: &'static str,
    pub chart_no_data: &'static str,
    pub len_short: &'static str,
    pub len_mid: &'static str,
    pub len_long: &'static str,

    pub none: &'static str,
    pub dash: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub list_sep: &'static str,
}

const JA: Labels = Labels {
    doc_title: "パスワード監査エビデンス",
    subtitle: "医療機関等におけるサイバーセキュリティ対策チェックリスト 2-⑦・2-⑧",
    facility: "医療機関名",
    checked_on: "確認日",
    target_date: "目標日",
    remarks: "備考",
    edition: "チェックリスト",
    tool: "ツール",
    run_started: "実行開始",
    run_duration: "所要時間（ミリ秒）",
    evidence_status: "エビデンスの状態",
    complete: "完全（すべての入力を読み取り、漏えい照会も完了）",
    incomplete: "不完全",
    incomplete_note: "注意：このエビデンスは不完全です。読み取れなかった入力、または失敗した漏えい照会があります。回答は確認できた範囲に基づくもので、入力エラーと漏えい照会の結果を確認のうえ再実行してください。",
    no_secrets_note: "このレポートにはパスワードの平文もハッシュ全体も含まれません（ハッシュは先頭8文字まで）。",

    h_answers: "チェックリストの回答",
    col_item: "項目",
    col_question: "確認事項",
    col_answer: "回答",
    col_counts: "内訳",
    count_failing: "不合格",
    count_unverified: "未検証",
    count_passing: "合格",
    count_groups: "使い回しグループ",

    h_checklists: "医療機関確認用・事業者確認用",
    checklists_note: "同じ回答を、システムを管理する者（医療機関または事業者）ごとに分けたものです。",
    checklist_systems: "対象システム",

    h_systems: "システム別の結果",
    col_system: "システム",
    col_name: "名称",
    col_kind: "種別",
    col_managed_by: "確認区分",
    col_vendor: "事業者",
    col_mfa: "二要素認証",
    col_accounts: "アカウント数",
    col_failing: "不合格",
    col_unverified: "未検証",
    col_passing: "合格",
    col_skipped: "対象外",
    col_policy: "ポリシー",

    h_failing: "不合格のアカウント（2-⑦）",
    failing_note: "次のアカウントはパスワードが 2-⑦ の要件を満たしていません。",
    h_unverified: "未検証のアカウント",
    unverified_note: "ハッシュのみで平文が判明せず、強制されたポリシーでも要件が保証されないため、判定できなかったアカウントです。",
    h_passing: "合格のアカウント",
    h_skipped: "対象外のアカウント",
    col_account: "アカウント",
    col_source: "出典",
    col_scheme: "保存方式",
    col_length: "文字数",
    col_recovered_by: "平文の判明方法",
    col_reasons: "理由",
    col_findings: "指摘",
    col_breach: "漏えい照会",
    col_reuse_group: "使い回し",
    col_hash_prefix: "ハッシュ先頭",
    col_path: "合格の根拠",
    col_skip_reason: "対象外の理由",
    warning_prefix: "［警告］",
    info_prefix: "［参考］",

    h_reuse: "パスワードの使い回し（2-⑧）",
    reuse_note: "同じパスワードが設定されているアカウントのグループです。複数システムにまたがるグループは 2-⑧ の不合格です。",
    col_group: "グループ",
    col_scope: "範囲",
    col_severity: "重大度",
    col_proof: "同一と判断した根拠",
    col_members: "メンバー",
    col_default_password: "初期パスワード",
    col_links: "各リンクの根拠",

    h_recovery: "平文の判明状況",
    recovery_note: "ハッシュから平文を確かめた方法と作業量です（平文そのものは記載しません）。",
    recovered_total: "平文が判明したアカウント",
    candidates_unsalted: "ソルトなしハッシュに試した候補数",
    salted_hashes: "ソルト付きハッシュ数",
    salted_verifications: "ソルト付きハッシュの照合回数（実施／上限）",
    cross_verifications: "アカウント間の照合回数",
    potfile_matched: "ポットファイルの一致行",
    potfile_rejected: "ポットファイルの不一致行（不採用）",
    potfile_skipped: "ポットファイルの照合しなかった行（1回の照合がハッシュごとの上限を超える）",

    h_policies: "パスワードポリシー",
    col_sources: "設定の出典",
    col_status: "判定",
    col_min_length: "最小文字数",
    col_require: "必須の文字種",
    col_max_age: "有効期間（日）",
    col_max_length: "最大文字数",
    col_lockout: "アカウントロックアウト",
    never_expires: "無期限",

    h_advisories: "NIST SP 800-63B に基づく参考指摘",
    advisories_note: "参考情報です。チェックリストの回答には影響しません。",
    col_finding: "指摘",
    col_detail: "詳細",

    h_breach: "漏えいパスワード照会",
    breach_mode: "方式",
    breach_status: "状態",
    breach_lookups: "照会数",
    breach_found: "漏えいあり",
    breach_errors: "エラー",
    breach_gave_up: "打ち切り",
    breach_dataset: "データセット",
    breach_date: "データセットの日付",
    breach_attribution: "出典",

    h_input_errors: "入力エラー",
    col_location: "場所",
    col_message: "内容",

    h_inputs: "入力ファイル",
    col_file: "ファイル",
    col_format: "形式",
    col_encoding: "文字コード",
    col_sha256: "SHA-256（先頭12桁）",
    col_size: "サイズ（バイト）",
    col_systems: "システム",
    col_records: "レコード数",
    col_errors: "エラー数",

    h_vendors: "事業者別の結果",
    vendors_note: "システムを管理する者（医療機関または事業者）ごとにまとめたものです。",
    facility_managed: "医療機関（自院管理）",
    col_policy_failing: "ポリシー不合格",
    col_reuse_groups: "使い回しグループ",

    h_charts: "グラフで見る結果",
    chart_reasons: "不合格の理由（該当アカウント数）",
    chart_lengths: "判明したパスワードの文字数の分布",
    chart_length_axis: "文字数",
    chart_systems: "システム別の判定（アカウント数）",
    chart_no_data: "データなし",
    len_short: "8文字未満",
    len_mid: "8〜12文字",
    len_long: "13文字以上",

    none: "なし",
    dash: "—",
    yes: "あり",
    no: "なし",
    list_sep: "、",
};

const EN: Labels = Labels {
    doc_title: "Password audit evidence",
    subtitle: "MHLW cybersecurity checklist for medical institutions, items 2-⑦ and 2-⑧",
    facility: "Facility",
    checked_on: "Checked on",
    target_date: "Target date",
    remarks: "Remarks",
    edition: "Checklist",
    tool: "Tool",
    run_started: "Run started",
    run_duration: "Duration (ms)",
    evidence_status: "Evidence status",
    complete: "complete (every input read, every breach lookup done)",
    incomplete: "incomplete",
    incomplete_note: "Warning: this evidence is incomplete. Some input could not be read whole or some breach lookups failed. The answers rest on what could be checked; review the input errors and the breach check, then run the audit again.",
    no_secrets_note: "This report contains no plaintext password and no whole hash (at most the first 8 characters of a hash).",

    h_answers: "Checklist answers",
    col_item: "Item",
    col_question: "Question",
    col_answer: "Answer",
    col_counts: "Counts",
    count_failing: "failing",
    count_unverified: "unverified",
    count_passing: "passing",
    count_groups: "reuse groups",

    h_checklists: "For the facility / for the vendor",
    checklists_note: "The same answers, split by who manages the systems (the facility or its vendor).",
    checklist_systems: "Systems",

    h_systems: "Results by system",
    col_system: "System",
    col_name: "Name",
    col_kind: "Kind",
    col_managed_by: "Checked by",
    col_vendor: "Vendor",
    col_mfa: "Two-factor",
    col_accounts: "Accounts",
    col_failing: "Failing",
    col_unverified: "Unverified",
    col_passing: "Passing",
    col_skipped: "Not audited",
    col_policy: "Policy",

    h_failing: "Failing accounts (2-⑦)",
    failing_note: "The passwords of these accounts do not meet item 2-⑦.",
    h_unverified: "Unverified accounts",
    unverified_note: "Only a hash is known for these accounts, nothing recovered the password, and no enforced policy guarantees the requirements, so they could not be decided.",
    h_passing: "Passing accounts",
    h_skipped: "Accounts not audited",
    col_account: "Account",
    col_source: "Source",
    col_scheme: "Stored as",
    col_length: "Length",
    col_recovered_by: "Password known from",
    col_reasons: "Reasons",
    col_findings: "Findings",
    col_breach: "Breach check",
    col_reuse_group: "Reuse",
    col_hash_prefix: "Hash prefix",
    col_path: "Why it passes",
    col_skip_reason: "Why not audited",
    warning_prefix: "[warning] ",
    info_prefix: "[info] ",

    h_reuse: "Password reuse (2-⑧)",
    reuse_note: "Groups of accounts that share one password. A group spanning several systems fails item 2-⑧.",
    col_group: "Group",
    col_scope: "Scope",
    col_severity: "Severity",
    col_proof: "Proof of identity",
    col_members: "Members",
    col_default_password: "Factory default",
    col_links: "How each link was proved",

    h_recovery: "Password recovery",
    recovery_note: "How passwords were established from hashes and how much work it took (the passwords themselves are never shown).",
    recovered_total: "Accounts with a known password",
    candidates_unsalted: "Candidates tried on unsalted hashes",
    salted_hashes: "Salted hashes",
    salted_verifications: "Salted-hash verifications (done / budget)",
    cross_verifications: "Cross-account verifications",
    potfile_matched: "Pot-file lines matched",
    potfile_rejected: "Pot-file lines rejected (did not verify)",
    potfile_skipped: "Pot-file lines not verified (one verification over the budget per hash)",

    h_policies: "Password policies",
    col_sources: "Sources",
    col_status: "Verdict",
    col_min_length: "Minimum length",
    col_require: "Required character classes",
    col_max_age: "Maximum age (days)",
    col_max_length: "Maximum length",
    col_lockout: "Account lockout",
    never_expires: "never",

    h_advisories: "NIST SP 800-63B advisories",
    advisories_note: "For information only: these never change a checklist answer.",
    col_finding: "Finding",
    col_detail: "Detail",

    h_breach: "Breach check",
    breach_mode: "Mode",
    breach_status: "Status",
    breach_lookups: "Lookups",
    breach_found: "Found in breaches",
    breach_errors: "Errors",
    breach_gave_up: "Given up",
    breach_dataset: "Dataset",
    breach_date: "Dataset date",
    breach_attribution: "Attribution",

    h_input_errors: "Input errors",
    col_location: "Location",
    col_message: "Message",

    h_inputs: "Inputs",
    col_file: "File",
    col_format: "Format",
    col_encoding: "Encoding",
    col_sha256: "SHA-256 (first 12)",
    col_size: "Size (bytes)",
    col_systems: "Systems",
    col_records: "Records",
    col_errors: "Errors",

    h_vendors: "Results by vendor",
    vendors_note: "The systems grouped by who manages them (the facility or a vendor).",
    facility_managed: "Facility (managed in house)",
    col_policy_failing: "Failing policies",
    col_reuse_groups: "Reuse groups",

    h_charts: "Results at a glance",
    chart_reasons: "Why accounts fail (number of accounts)",
    chart_lengths: "Length of the recovered passwords",
    chart_length_axis: "characters",
    chart_systems: "Verdicts by system (number of accounts)",
    chart_no_data: "No data",
    len_short: "under 8",
    len_mid: "8 to 12",
    len_long: "13 or more",

    none: "None",
    dash: "—",
    yes: "yes",
    no: "no",
    list_sep: ", ",
};

/// The labels of `lang`.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

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

/// The checklist question of an item id (`2-7`, `2-8`); `None` for an item kensa does not know.
pub fn question(lang: Lang, item: &str) -> Option<&'static str> {
    match item {
        "2-7" => Some(pick(
            lang,
            "パスワードは英数字、記号が混在した8文字以上とし、定期的に変更している。※二要素認証、または13文字以上の場合は定期的な変更は不要",
            "Passwords are at least 8 characters long, mix letters, digits and symbols, and are changed periodically. (No periodic change is needed with two-factor authentication or with 13 or more characters.)",
        )),
        "2-8" => Some(pick(
            lang,
            "パスワードの使い回しを禁止している（複数の機器や外部サービス等で同一のパスワードを設定していない）。",
            "Password reuse is prohibited (the same password is not set on several devices or external services).",
        )),
        _ => None,
    }
}

/// The printed name of an item: `2-7` → `2-⑦`. Japanese keeps the engine's label (`令和7年度版 2-⑦`).
pub fn item_label(lang: Lang, item: &str, engine_label: &str) -> String {
    if lang == Lang::Ja && !engine_label.is_empty() {
        return engine_label.to_string();
    }
    circled(item)
}

/// The checklist edition: `R7` → 令和7年度版 / FY2025 (Reiwa 7) edition.
pub fn edition(lang: Lang, e: &str) -> String {
    match e.strip_prefix('R').and_then(|n| n.parse::<u32>().ok()) {
        Some(n) if n > 0 => match lang {
            Lang::Ja => format!("令和{n}年度版"),
            Lang::En => format!("FY{} (Reiwa {n}) edition", 2018 + n),
        },
        _ => e.to_string(),
    }
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

/// A system's policy verdict.
pub fn verdict(lang: Lang, v: PolicyStatus) -> &'static str {
    match v {
        PolicyStatus::Pass => pick(lang, "合格", "Pass"),
        PolicyStatus::Fail => pick(lang, "不合格", "Fail"),
        PolicyStatus::Unknown => pick(
            lang,
            "判定不能（文字数・文字種の設定なし）",
            "Unknown (no length or composition setting)",
        ),
        PolicyStatus::None => pick(lang, "ポリシー情報なし", "No policy source"),
    }
}

/// Why an account passes 2-⑦ (`account.path`).
pub fn pass_path(lang: Lang, p: PassPath) -> &'static str {
    match p {
        PassPath::Len13 => pick(
            lang,
            "13文字以上・英数字記号混在・推定困難",
            "13 or more characters, mixed, hard to guess",
        ),
        PassPath::Len8Mfa => pick(
            lang,
            "8文字以上・英数字記号混在・推定困難、かつ二要素認証",
            "8 or more characters, mixed, hard to guess, with two-factor authentication",
        ),
        PassPath::Len8Rotation => pick(
            lang,
            "8文字以上・英数字記号混在・推定困難、かつ2か月以内の定期変更",
            "8 or more characters, mixed, hard to guess, changed at least every 2 months",
        ),
        PassPath::Policy => pick(
            lang,
            "強制されたパスワードポリシーが要件を保証",
            "guaranteed by the enforced password policy",
        ),
        PassPath::PinExempt => pick(
            lang,
            "ICカード等を解除する PIN（二要素認証の一部として対象外）",
            "PIN unlocking an IC card or certificate (exempt as part of two-factor authentication)",
        ),
    }
}

/// How a plaintext became known (`account.recovered_by`).
pub fn recovered_by(lang: Lang, r: Method) -> &'static str {
    match r {
        Method::Given => pick(lang, "入力に平文で記載", "given in the input"),
        Method::Potfile => pick(
            lang,
            "解析結果（ポットファイル）",
            "cracking results (pot file)",
        ),
        Method::Wordlist => pick(lang, "辞書との照合", "wordlist match"),
        Method::Context => pick(
            lang,
            "施設名・人名などの語との照合",
            "context words (facility, people, products)",
        ),
        Method::Lm => pick(
            lang,
            "LMハッシュの解析結果（大文字・小文字はNTハッシュで確認）",
            "from the LM hash (letter case found against the NT hash)",
        ),
        Method::Reuse => pick(
            lang,
            "他のアカウントのパスワードと一致",
            "matched another account's password",
        ),
        Method::EmptyHash => pick(
            lang,
            "空のパスワードのハッシュ",
            "hash of the empty password",
        ),
    }
}

/// The line that stands for a system's password-history entries in the human reports.
pub fn history_entries(lang: Lang, system: &str, n: usize) -> String {
    match lang {
        Lang::Ja => format!(
            "{system}: パスワード履歴 {n} 件（使い回しと推測可能な変更の確認に使用。アカウントとしては判定しない。一覧は evidence.json / evidence.csv）"
        ),
        Lang::En => format!(
            "{system}: {n} password-history entries (used to find reuse and predictable rotation; not judged as accounts; listed in evidence.json / evidence.csv)"
        ),
    }
}

/// Why an account is not audited (`account.skip_reason`).
pub fn skip_reason(lang: Lang, r: SkipReason) -> &'static str {
    match r {
        SkipReason::Locked => pick(
            lang,
            "ロックされている（パスワードでログインできない）",
            "locked (cannot log in with a password)",
        ),
        SkipReason::NoPassword => pick(
            lang,
            "パスワードが設定されていない",
            "no password credential",
        ),
        SkipReason::Disabled => pick(lang, "無効化されている", "disabled"),
        SkipReason::Machine => pick(
            lang,
            "コンピューターアカウント（ドメインが管理する乱数）",
            "machine account (a random secret managed by the domain)",
        ),
        SkipReason::History => pick(
            lang,
            "パスワード履歴（過去のパスワード）",
            "password history entry (an old password)",
        ),
        SkipReason::ServiceSecret => pick(
            lang,
            "サービス用の秘密情報（krbtgt など）",
            "service secret (krbtgt and the like)",
        ),
    }
}

/// A breach lookup result, with the count when found.
pub fn breach(lang: Lang, status: BreachStatus, count: Option<u64>) -> String {
    match status {
        BreachStatus::Found => match (lang, count) {
            (Lang::Ja, Some(n)) => format!("漏えいあり（{n}件）"),
            (Lang::En, Some(n)) => format!("found ({n} times)"),
            _ => pick(lang, "漏えいあり", "found").to_string(),
        },
        BreachStatus::NotFound => pick(lang, "該当なし", "not found").to_string(),
        BreachStatus::Unchecked => pick(lang, "未照会", "not checked").to_string(),
        BreachStatus::Error => pick(lang, "照会エラー", "lookup failed").to_string(),
    }
}

/// How the breach check ran.
pub fn breach_mode(lang: Lang, m: BreachMode) -> &'static str {
    match m {
        BreachMode::Online => pick(
            lang,
            "オンライン（Pwned Passwords API）",
            "online (Pwned Passwords API)",
        ),
        BreachMode::Offline => pick(
            lang,
            "オフライン（手元のデータセット）",
            "offline (local dataset)",
        ),
        BreachMode::Off => pick(lang, "実施せず", "off"),
    }
}

/// Why the breach lookups were given up (`breach_check.gave_up`), with how many: `deadline` |
/// `unreachable`.
pub fn breach_gave_up(lang: Lang, g: &crate::model::evidence::BreachGaveUp) -> String {
    use crate::model::evidence::GiveUpReason;
    let n = g.lookups;
    match (g.reason, lang) {
        (GiveUpReason::Deadline, Lang::Ja) => {
            format!("照会の期限（--hibp-deadline）に達した: {n} 件の照会はエラー")
        }
        (GiveUpReason::Unreachable, Lang::Ja) => {
            format!("API から応答がない: {n} 件の照会はエラー")
        }
        (GiveUpReason::Deadline, Lang::En) => {
            format!("deadline for lookups (--hibp-deadline) reached: {n} lookups are errors")
        }
        (GiveUpReason::Unreachable, Lang::En) => {
            format!("no answer from the API: {n} lookups are errors")
        }
    }
}

/// How far the breach check got.
pub fn breach_check_status(lang: Lang, s: BreachCheckStatus) -> &'static str {
    match s {
        BreachCheckStatus::Complete => pick(lang, "完了", "complete"),
        BreachCheckStatus::Incomplete => pick(
            lang,
            "未完了（一部の照会が失敗）",
            "incomplete (some lookups failed)",
        ),
        BreachCheckStatus::Skipped => pick(lang, "実施せず", "skipped"),
    }
}

/// A reuse group's scope.
pub fn reuse_scope(lang: Lang, s: ReuseScope) -> &'static str {
    match s {
        ReuseScope::CrossSystem => pick(lang, "複数システム間", "across systems"),
        ReuseScope::SameSystem => pick(lang, "同一システム内", "within one system"),
    }
}

/// A kind of proof that two accounts share a password.
pub fn reuse_proof(lang: Lang, p: Proof) -> &'static str {
    match p {
        Proof::IdenticalUnsaltedHash => pick(
            lang,
            "ソルトなしハッシュが同一",
            "identical unsalted hashes",
        ),
        Proof::VerifiedPlaintext => pick(
            lang,
            "判明した平文を他方のハッシュで検証",
            "a known password verified against the other hash",
        ),
        Proof::SamePlaintext => pick(lang, "平文が同一", "identical plaintexts"),
    }
}

/// A required character class of a policy (`letter`, `digit`, `symbol`, `upper`, `lower`, `3-of-4`).
/// A policy's required character classes as one phrase (`none` when it requires none).
pub fn required_classes(lang: Lang, require: &[String]) -> String {
    let t = labels(lang);
    if require.is_empty() {
        return t.none.to_string();
    }
    require
        .iter()
        .map(|c| char_class(lang, c))
        .collect::<Vec<_>>()
        .join(t.list_sep)
}

pub fn char_class(lang: Lang, c: &str) -> String {
    lookup(
        lang,
        c,
        &[
            ("letter", "英字", "letter"),
            ("digit", "数字", "digit"),
            ("symbol", "記号", "symbol"),
            ("upper", "英大文字", "upper case"),
            ("lower", "英小文字", "lower case"),
            (
                "3-of-4",
                "4種のうち3種（記号は保証されない）",
                "3 of 4 categories (no symbol guaranteed)",
            ),
        ],
    )
}

/// A policy's account lockout in words (`effective.lockout_*`): a dash when no source says,
/// "off" for a threshold of 0, else the threshold with the duration and reset time when known.
pub fn lockout(
    lang: Lang,
    threshold: Option<u32>,
    duration_minutes: Option<i64>,
    reset_minutes: Option<u32>,
) -> String {
    let Some(n) = threshold else {
        return labels(lang).dash.to_string();
    };
    if n == 0 {
        return pick(lang, "なし（しきい値 0）", "off (threshold 0)").to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    match (lang, duration_minutes) {
        (Lang::Ja, Some(d)) if d < 0 => parts.push("管理者が解除するまで".into()),
        (Lang::Ja, Some(d)) => parts.push(format!("{d}分間")),
        (Lang::En, Some(d)) if d < 0 => parts.push("until an administrator unlocks".into()),
        (Lang::En, Some(d)) => parts.push(format!("for {d} min")),
        (_, None) => {}
    }
    if let Some(r) = reset_minutes {
        parts.push(match lang {
            Lang::Ja => format!("{r}分で回数をリセット"),
            Lang::En => format!("count reset after {r} min"),
        });
    }
    match lang {
        Lang::Ja if parts.is_empty() => format!("{n}回の失敗でロック"),
        Lang::Ja => format!("{n}回の失敗でロック（{}）", parts.join("、")),
        Lang::En if parts.is_empty() => format!("locked after {n} failures"),
        Lang::En => format!("locked after {n} failures ({})", parts.join("; ")),
    }
}

/// The answer counts of an item: `不合格 12、未検証 3、合格 9`.
pub fn counts(
    lang: Lang,
    failing: Option<usize>,
    unverified: Option<usize>,
    passing: Option<usize>,
    groups: Option<usize>,
) -> String {
    let t = labels(lang);
    let parts: Vec<String> = [
        (t.count_failing, failing),
        (t.count_unverified, unverified),
        (t.count_passing, passing),
        (t.count_groups, groups),
    ]
    .iter()
    .filter_map(|(label, n)| n.map(|n| format!("{label} {n}")))
    .collect();
    parts.join(t.list_sep)
}

/// A finding in plain words: the code's meaning, then the engine's detail.
pub fn finding(lang: Lang, code_: Code, detail: &str) -> String {
    let meaning = code(lang, code_);
    if detail.is_empty() {
        meaning.to_string()
    } else {
        match lang {
            Lang::Ja => format!("{meaning}（{detail}）"),
            Lang::En => format!("{meaning} ({detail})"),
        }
    }
}

/// Why kensa verified nothing against an account's salted hash, in words, naming the cost of one
/// try in time (`account.salted.skipped`); `None` when it could try.
pub fn salted_skipped(lang: Lang, scheme: Scheme, w: &SaltedWork, budget: u64) -> Option<String> {
    let scheme = scheme.as_str();
    let what = match &w.params {
        Some(p) => format!("{scheme} {p}"),
        None => scheme.to_string(),
    };
    Some(match (w.skipped?, lang) {
        (SaltedSkip::CostExceedsBudget, Lang::Ja) => format!(
            "照合せず: {what} は1回の照合に1コアで約{}かかり、ハッシュごとの上限（--salted-budget {}単位 ≈ {}）を超える",
            duration(lang, w.cost),
            grouped(budget),
            duration(lang, budget)
        ),
        (SaltedSkip::CostExceedsBudget, Lang::En) => format!(
            "not verified: {what} takes ≈ {} of one core per try, more than the budget per hash (--salted-budget {} units ≈ {})",
            duration(lang, w.cost),
            grouped(budget),
            duration(lang, budget)
        ),
        (SaltedSkip::MemoryExceedsLimit, Lang::Ja) => format!(
            "照合せず: {what} は1回の照合に kensa の上限（{}）を超えるメモリが必要",
            MEMORY_LIMIT
        ),
        (SaltedSkip::MemoryExceedsLimit, Lang::En) => format!(
            "not verified: {what} needs more memory per try than kensa allows itself ({})",
            MEMORY_LIMIT
        ),
        (SaltedSkip::Malformed, Lang::Ja) => {
            format!("照合せず: {scheme} ハッシュのパラメータを読み取れない")
        }
        (SaltedSkip::Malformed, Lang::En) => {
            format!("not verified: the {scheme} hash's cost parameters cannot be read")
        }
    })
}

/// [`crate::hash::MAX_MEMORY`] in words.
const MEMORY_LIMIT: &str = "1 GiB";

/// `units` of salted work as time of one core on the reference machine
/// ([`crate::hash::NANOS_PER_UNIT`]): `8.0 ms`, `1.6 s`, `4.4 min`, `2.1 h`, `3.5 days`,
/// `46,763 years`.
pub fn duration(lang: Lang, units: u64) -> String {
    let secs = units as f64 * crate::hash::NANOS_PER_UNIT as f64 / 1e9;
    let (n, ja, en) = if secs < 1e-3 {
        (secs * 1e6, "マイクロ秒", " µs")
    } else if secs < 1.0 {
        (secs * 1e3, "ミリ秒", " ms")
    } else if secs < 60.0 {
        (secs, "秒", " s")
    } else if secs < 3600.0 {
        (secs / 60.0, "分", " min")
    } else if secs < 2.0 * 86_400.0 {
        (secs / 3600.0, "時間", " h")
    } else if secs < 2.0 * 365.0 * 86_400.0 {
        (secs / 86_400.0, "日", " days")
    } else {
        (secs / (365.25 * 86_400.0), "年", " years")
    };
    let n = if n < 10.0 {
        format!("{n:.1}")
    } else {
        grouped(n.round() as u64)
    };
    format!("{n}{}", pick(lang, ja, en))
}

/// `20000000` → `20,000,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pick(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// Looks `key` up in `(key, ja, en)` rows; an unknown key is shown as it is.
fn lookup(lang: Lang, key: &str, rows: &[(&str, &str, &str)]) -> String {
    rows.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ja, en)| pick_str(lang, ja, en).to_string())
        .unwrap_or_else(|| key.to_string())
}

fn pick_str<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// `2-7` → `2-⑦` (circled numbers 1–20); anything else unchanged.
fn circled(item: &str) -> String {
    if let Some((head, n)) = item.rsplit_once('-') {
        if let Ok(n @ 1..=20) = n.parse::<u32>() {
            if let Some(c) = char::from_u32(0x2460 + n - 1) {
                return format!("{head}-{c}");
            }
        }
    }
    item.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_CODES: [Code; 25] = [
        Code::EmptyPassword,
        Code::TooShort,
        Code::NotMixed,
        Code::Guessable,
        Code::DefaultPassword,
        Code::Breached,
        Code::NoRotation,
        Code::RotationTooLong,
        Code::LmHashStored,
        Code::WeakHashScheme,
        Code::PlaintextStored,
        Code::NonAscii,
        Code::ReusedAcrossSystems,
        Code::ReusedWithinSystem,
        Code::PredictableRotation,
        Code::PasswordAgeExceedsPolicy,
        Code::PolicyMinLength,
        Code::PolicyComposition,
        Code::PolicyRotationTooLong,
        Code::PolicyNoRotation,
        Code::PolicyMaxLengthLt64,
        Code::PolicyNoLockout,
        Code::NistSingleFactorLt15,
        Code::NistRotationDiscouraged,
        Code::NistCompositionDiscouraged,
    ];

    #[test]
    fn every_code_has_distinct_words_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            let mut seen = std::collections::HashSet::new();
            for c in ALL_CODES {
                let s = code(lang, c);
                assert!(!s.is_empty());
                assert!(seen.insert(s), "duplicate description {s}");
            }
        }
        for c in ALL_CODES {
            assert_ne!(code(Lang::Ja, c), code(Lang::En, c));
            assert!(!code(Lang::En, c).contains('の'));
        }
    }

    #[test]
    fn every_code_has_a_distinct_short_name() {
        for lang in [Lang::Ja, Lang::En] {
            let mut seen = std::collections::HashSet::new();
            for c in ALL_CODES {
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
    fn questions_quote_the_checklist() {
        assert!(question(Lang::Ja, "2-7")
            .unwrap()
            .starts_with("パスワードは英数字、記号が混在した8文字以上とし、定期的に変更している"));
        assert!(question(Lang::Ja, "2-8")
            .unwrap()
            .contains("複数の機器や外部サービス等で同一のパスワードを設定していない"));
        assert!(question(Lang::En, "2-8").unwrap().contains("same password"));
        assert_eq!(question(Lang::En, "9-9"), None);
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
        assert_eq!(edition(Lang::Ja, "R7"), "令和7年度版");
        assert_eq!(edition(Lang::En, "R7"), "FY2025 (Reiwa 7) edition");
        assert_eq!(edition(Lang::En, "2030"), "2030");
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
}
