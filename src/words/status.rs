//! The words of the evidence's status: each part of the audit (inputs, recovery, breach check)
//! as complete, incomplete or not performed with its reason, the one summary line, and where the
//! 確認日 came from. Every report and the terminal print these, so a part is called 完了 only
//! where the evidence says `complete`.

use super::{pick, Lang};
use crate::model::evidence::{Completeness, Evidence, Part, PartName};
use crate::model::tags::{DateSource, PartReason, PartStatus};

/// The name of a part of the audit.
pub fn part_name(lang: Lang, p: PartName) -> &'static str {
    match p {
        PartName::Inputs => pick(lang, "入力の読み取り", "Inputs"),
        PartName::Recovery => pick(lang, "パスワード解析", "Password recovery"),
        PartName::BreachCheck => pick(lang, "漏えい照会", "Breach check"),
    }
}

/// A part's status in one word.
pub fn part_status(lang: Lang, s: PartStatus) -> &'static str {
    match s {
        PartStatus::Complete => pick(lang, "完了", "complete"),
        PartStatus::Incomplete => pick(lang, "未完了", "incomplete"),
        PartStatus::NotPerformed => pick(lang, "未実施", "not performed"),
    }
}

/// Why a part is incomplete or was not performed (`count` and `files` as the evidence has them).
pub fn part_reason(lang: Lang, r: PartReason, count: Option<u64>, files: &[String]) -> String {
    let n = count.unwrap_or(0);
    match (r, lang) {
        (PartReason::InputErrors, Lang::Ja) => {
            format!("入力エラー {n} 件（{}）", files.join("、"))
        }
        (PartReason::InputErrors, Lang::En) => {
            format!("{n} input errors ({})", files.join(", "))
        }
        (PartReason::SaltedBudgetExhausted, Lang::Ja) => format!(
            "ソルト付きハッシュ {n} 件は解析の作業量の上限に達し、すべての候補を試せていない"
        ),
        (PartReason::SaltedBudgetExhausted, Lang::En) => format!(
            "the salted work budget ran out before every candidate was tried against {n} salted hashes"
        ),
        (PartReason::SaltedHashesNotTried, Lang::Ja) => format!(
            "ソルト付きハッシュ {n} 件は1回の検証の負荷が上限を超えるなどの理由で候補を試せていない"
        ),
        (PartReason::SaltedHashesNotTried, Lang::En) => format!(
            "{n} salted hashes could not be tried (one verification costs more than allowed, or unreadable parameters)"
        ),
        (PartReason::NoCandidates, _) => pick(
            lang,
            "試す候補なし（辞書・ポットファイルなし）",
            "no candidate to try (no wordlist, no pot file)",
        )
        .into(),
        (PartReason::NoHashes, _) => pick(
            lang,
            "解析するハッシュなし（パスワードはすべて入力に記載）",
            "no hash to recover (every password was given)",
        )
        .into(),
        (PartReason::HibpOff, _) => {
            pick(lang, "--hibp off が指定された", "--hibp off was given").into()
        }
        (PartReason::NoLookups, _) => pick(
            lang,
            "照会するパスワード・NTハッシュなし",
            "no password or NT hash to look up",
        )
        .into(),
        (PartReason::LookupsFailed, Lang::Ja) => format!("照会失敗 {n} 件"),
        (PartReason::LookupsFailed, Lang::En) => format!("{n} lookups failed"),
    }
}

/// One part as the reports print it: `未実施 — --hibp off が指定された`, or `完了`.
pub fn part_line(lang: Lang, p: &Part) -> String {
    let status = part_status(lang, p.status);
    match p.reason {
        Some(r) => format!("{status} — {}", part_reason(lang, r, p.count, &p.files)),
        None => status.to_string(),
    }
}

/// The evidence's status in one line: 完全 only when every part is complete; otherwise 不完全
/// (`complete` is false: inputs not read whole or lookups failed, exit 2), 一部未完了 or
/// 一部未実施, with each part that is not complete.
pub fn completeness_summary(lang: Lang, complete: bool, c: &Completeness) -> String {
    let open: Vec<String> = c
        .parts()
        .into_iter()
        .filter(|(_, p)| p.status != PartStatus::Complete)
        .map(|(name, p)| {
            let sep = pick(lang, "：", ": ");
            format!("{}{sep}{}", part_name(lang, name), part_line(lang, p))
        })
        .collect();
    if open.is_empty() && complete {
        return pick(
            lang,
            "完全（入力の読み取り・パスワード解析・漏えい照会をすべて完了）",
            "complete (every input read whole; recovery and breach check done)",
        )
        .into();
    }
    let head = if !complete {
        pick(lang, "不完全", "incomplete")
    } else if c
        .parts()
        .iter()
        .any(|(_, p)| p.status == PartStatus::Incomplete)
    {
        pick(lang, "一部未完了", "partly incomplete")
    } else {
        pick(lang, "一部未実施", "partly not performed")
    };
    match lang {
        Lang::Ja => format!("{head}（{}）", open.join("／")),
        Lang::En => format!("{head} ({})", open.join("; ")),
    }
}

/// The remark of an item left 判定不能 because account inputs of its scope (`files`) were not
/// read whole: accounts may be missing from the audit.
pub fn remark_inputs_not_read_whole(lang: Lang, files: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "判定不能：読み取りきれなかった入力（{files}）があり、監査できていないアカウントがありうる"
        ),
        Lang::En => format!(
            "undetermined: inputs not read whole ({files}) may hold accounts that were not audited"
        ),
    }
}

/// 2-⑦ remark: passing accounts whose breach lookup failed, so 推定困難 is not shown for them.
pub fn remark_lookups_failed(lang: Lang, n: usize, systems: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "判定不能：漏えい照会に失敗したアカウント {n} 件（{systems}）は、漏えい済みでないことを確認できていない"
        ),
        Lang::En => format!(
            "undetermined: the breach lookup failed for {n} account(s) ({systems}), so they are not shown to be absent from the breach corpus"
        ),
    }
}

/// The label of the line saying where the 確認日 came from.
pub fn date_source_label(lang: Lang) -> &'static str {
    pick(lang, "確認日の指定", "Check date from")
}

/// Where the 確認日 came from, with how many days before the run it lies when known:
/// `マニフェストで指定（実行日の45日前）`.
pub fn date_source(lang: Lang, s: DateSource, days_before_run: Option<i64>) -> String {
    let what = match s {
        DateSource::Manifest => pick(lang, "マニフェストで指定", "set in the manifest"),
        DateSource::CheckDateOption => pick(lang, "--check-date で指定", "set by --check-date"),
        DateSource::Today => pick(lang, "実行日", "the day of the run"),
    };
    match (days_before_run, lang) {
        (Some(d), Lang::Ja) if d > 0 => format!("{what}（実行日の{d}日前）"),
        (Some(d), Lang::Ja) if d < 0 => format!("{what}（実行日の{}日後）", -d),
        (Some(0), Lang::Ja) => format!("{what}（実行日と同じ）"),
        (Some(d), Lang::En) if d > 0 => format!("{what} ({d} days before the run)"),
        (Some(d), Lang::En) if d < 0 => format!("{what} ({} days after the run)", -d),
        (Some(_), Lang::En) => format!("{what} (the day of the run)"),
        _ => what.to_string(),
    }
}

/// `確認日の指定: マニフェストで指定（実行日の45日前）` when the 確認日 was fixed by the manifest or
/// `--check-date` (none when it is the day of the run, or unrecorded).
pub fn date_source_line(ev: &Evidence, lang: Lang) -> Option<(String, String)> {
    let src = ev.checked_on_source.filter(|s| *s != DateSource::Today)?;
    let days = ev.run.as_ref().and_then(|r| r.checked_on_days_before_run);
    Some((
        date_source_label(lang).to_string(),
        date_source(lang, src, days),
    ))
}

/// One line of the evidence's status: its label, its words, and whether what it states is complete
/// (the workbook colours the others).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub key: String,
    pub value: String,
    pub complete: bool,
}

/// The evidence's status: one summary line, then one line per part (inputs, recovery, breach
/// check) saying complete, incomplete or not performed and why. Evidence without the parts
/// (written before they were recorded) says only whether it is incomplete, never 完全.
pub fn status_lines(ev: &Evidence, lang: Lang) -> Vec<StatusLine> {
    let t = super::labels(lang);
    let Some(c) = &ev.completeness else {
        return if ev.complete {
            Vec::new()
        } else {
            vec![StatusLine {
                key: t.evidence_status.to_string(),
                value: t.incomplete.to_string(),
                complete: false,
            }]
        };
    };
    let parts = c.parts();
    let mut out = vec![StatusLine {
        key: t.evidence_status.to_string(),
        value: completeness_summary(lang, ev.complete, c),
        complete: ev.complete && parts.iter().all(|(_, p)| p.status == PartStatus::Complete),
    }];
    for (name, part) in parts {
        out.push(StatusLine {
            key: part_name(lang, name).to_string(),
            value: part_line(lang, part),
            complete: part.status == PartStatus::Complete,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(inputs: Part, recovery: Part, breach_check: Part) -> Completeness {
        Completeness {
            inputs,
            recovery,
            breach_check,
        }
    }

    #[test]
    fn a_breach_check_not_performed_is_never_called_complete() {
        let c = parts(
            Part::complete(),
            Part::complete(),
            Part::because(PartStatus::NotPerformed, PartReason::HibpOff, None),
        );
        let ja = completeness_summary(Lang::Ja, true, &c);
        assert_eq!(
            ja,
            "一部未実施（漏えい照会：未実施 — --hibp off が指定された）"
        );
        assert!(!ja.contains("完了") && !ja.contains("完全"));
        let en = completeness_summary(Lang::En, true, &c);
        assert_eq!(
            en,
            "partly not performed (Breach check: not performed — --hibp off was given)"
        );
        let all = parts(Part::complete(), Part::complete(), Part::complete());
        assert!(completeness_summary(Lang::Ja, true, &all).starts_with("完全"));
    }

    #[test]
    fn incomplete_parts_name_their_reason_and_files() {
        let mut inputs = Part::because(PartStatus::Incomplete, PartReason::InputErrors, Some(2));
        inputs.files = vec!["a.txt".into(), "b.txt".into()];
        let c = parts(
            inputs,
            Part::because(
                PartStatus::Incomplete,
                PartReason::SaltedBudgetExhausted,
                Some(3),
            ),
            Part::complete(),
        );
        assert_eq!(
            completeness_summary(Lang::Ja, false, &c),
            "不完全（入力の読み取り：未完了 — 入力エラー 2 件（a.txt、b.txt）／パスワード解析：未完了 — ソルト付きハッシュ 3 件は解析の作業量の上限に達し、すべての候補を試せていない）"
        );
        // Recovery cut short does not make the evidence incomplete (exit code): 一部未完了.
        let c = parts(Part::complete(), c.recovery, Part::complete());
        assert!(
            completeness_summary(Lang::Ja, true, &c).starts_with("一部未完了（パスワード解析：")
        );
        assert!(completeness_summary(Lang::En, true, &c)
            .starts_with("partly incomplete (Password recovery: incomplete — the salted"));
    }

    #[test]
    fn the_check_date_says_where_it_came_from() {
        assert_eq!(
            date_source(Lang::Ja, DateSource::Manifest, Some(45)),
            "マニフェストで指定（実行日の45日前）"
        );
        assert_eq!(
            date_source(Lang::En, DateSource::CheckDateOption, Some(-2)),
            "set by --check-date (2 days after the run)"
        );
        assert_eq!(date_source(Lang::Ja, DateSource::Today, None), "実行日");
    }
}
