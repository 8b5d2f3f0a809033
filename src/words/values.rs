//! The evidence's values in words: verdicts, pass paths, recovery methods, skip reasons, breach
//! results, reuse groups, policies, counts and durations.

use super::{code, labels, lookup, pick, Lang};
use crate::model::evidence::{BreachStatus, SaltedSkip, SaltedWork};
use crate::model::tags::{
    BreachCheckStatus, BreachMode, Method, PassPath, PolicyStatus, Proof, ReuseScope,
};
use crate::model::{Code, Scheme, SkipReason};

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

/// Why an account passes 2-⑦ (`account.path`), in the words of the edition applied when the
/// evidence records them, else [`pass_path`].
pub fn pass_path_in(
    lang: Lang,
    p: PassPath,
    rules: Option<&crate::model::evidence::EditionRules>,
) -> String {
    rules
        .and_then(|r| r.paths.iter().find(|x| x.path == p))
        .map(|x| super::pick_str(lang, &x.description.ja, &x.description.en).to_string())
        .unwrap_or_else(|| pass_path(lang, p).to_string())
}

/// Why an account passes 2-⑦ (`account.path`), as R7 words it.
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
        BreachMode::Off => pick(lang, "未実施", "off"),
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
        BreachCheckStatus::Skipped => pick(lang, "未実施", "skipped"),
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
pub(crate) fn grouped(n: u64) -> String {
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

/// A finding's state relative to `--baseline`.
pub fn baseline_state(lang: Lang, s: crate::baseline::State) -> &'static str {
    use crate::baseline::State;
    match s {
        State::New => pick(lang, "新規", "new"),
        State::Unchanged => pick(lang, "継続", "unchanged"),
        State::Resolved => pick(lang, "解消", "resolved"),
    }
}

/// What a baseline entry is (`account`, `policy`, `reuse`), in words.
pub fn baseline_kind(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "account" => pick(lang, "アカウント", "account"),
        "policy" => pick(lang, "ポリシー", "policy"),
        _ => pick(lang, "使い回し", "reuse"),
    }
}
