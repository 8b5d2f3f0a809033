//! Finding details in Japanese and English, rendered from a finding's typed [`Facts`]. The English
//! rendering is also what `rules` stores as `Finding.detail` in evidence.json, so a report in
//! either language and the evidence say the same facts.

use super::Lang;
use crate::model::{Classes, Facts, Finding, GuessWhy, Guesses, HistoryChange, ShortOf};
use std::borrow::Cow;
use std::fmt::Write;

/// The detail of `f` alone (no label) in `lang`. English is the stored detail as it is; Japanese
/// is rendered from the facts, or falls back to the stored English when the finding carries none
/// (one read back from an older evidence.json).
pub fn detail(lang: Lang, f: &Finding) -> Cow<'_, str> {
    match lang {
        // The evidence keeps the words it always had (`第7.0版`); an English report names the
        // guideline's edition in English.
        Lang::En if f.facts == Facts::PolicyNoLockout => Cow::Borrowed(
            "no policy source configures account lockout (guideline edition 7.0 expects it)",
        ),
        Lang::En => Cow::Borrowed(f.detail.as_str()),
        Lang::Ja => match render(Lang::Ja, &f.facts) {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(f.detail.as_str()),
        },
    }
}

/// A finding in plain words in `lang`: the code's meaning, then its detail.
pub fn finding_text(lang: Lang, f: &Finding) -> String {
    super::finding(lang, f.code, &detail(lang, f))
}

/// The English detail of `facts`, as stored in evidence.json (`None` for [`Facts::Text`]).
pub fn english(facts: &Facts) -> Option<String> {
    render(Lang::En, facts)
}

/// `facts` in `lang`; `None` for [`Facts::Text`], whose words only the stored detail knows.
pub fn render(lang: Lang, facts: &Facts) -> Option<String> {
    let ja = lang == Lang::Ja;
    let s = match *facts {
        Facts::Text => return None,
        Facts::Empty => pick(ja, "0文字", "the password is empty"),
        Facts::FactoryDefault => pick(
            ja,
            "機器・システムの初期パスワード",
            "a factory-default password of a device or system",
        ),
        Facts::Guessable(g) => guesses(ja, g),
        Facts::NonAscii => pick(
            ja,
            "ASCII 以外の文字を含む（文字数には数えるが、どの文字種にも数えない）",
            "contains non-ASCII characters (counted toward length, in no character class)",
        ),
        Facts::TooShort { len, min, of } => short(ja, len, min, of, false),
        Facts::NotMixed { missing, asked } => {
            if ja {
                format!(
                    "{}がない。{}の混在が必要",
                    class_list(ja, missing, "・"),
                    class_list(ja, asked, "・")
                )
            } else {
                let names: Vec<&str> = missing.iter().map(|c| class_name(false, c)).collect();
                format!(
                    "no {} ({} must be mixed)",
                    names.join(", no "),
                    mixed_words(asked)
                )
            }
        }
        Facts::RotationTooLong { days, max_days } => {
            if ja {
                format!("最長有効期間{days}日。{max_days}日以内が必要")
            } else {
                format!("{days} > {max_days} days")
            }
        }
        Facts::NoRotation => pick(
            ja,
            "パスワードの最長有効期間が設定されていない",
            "no enforced maximum password age",
        ),
        Facts::LmStored => pick(
            ja,
            "LM ハッシュが保存されている（パスワードにかかわらず解読できる）",
            "an LM hash is stored: it is crackable whatever the password",
        ),
        Facts::PlaintextStored => pick(
            ja,
            "ハッシュ化されず平文で保存されている（保存先を読める者はパスワードも読める）",
            "stored as cleartext (no hash scheme): whoever can read the store reads the password",
        ),
        Facts::WeakScheme(s) => {
            if ja {
                format!("{} は弱いハッシュ方式", s.as_str())
            } else {
                format!("{} is a weak password hash scheme", s.as_str())
            }
        }
        Facts::Breached { count, via } => {
            if ja {
                format!(
                    "Pwned Passwords に{count}回出現（{} で照会）",
                    via.as_str()
                )
            } else {
                format!(
                    "in the Pwned Passwords corpus ({count} times, {} lookup)",
                    via.as_str()
                )
            }
        }
        Facts::NistShort { len } => {
            if ja {
                format!("単要素認証のパスワードが15文字未満（{len}文字）")
            } else {
                format!("{len} < 15 characters for a single-factor password (NIST SP 800-63B rev. 4)")
            }
        }
        Facts::Reused {
            group,
            others,
            systems,
        } => match (ja, systems) {
            (true, Some(n)) => format!("R{group}：他の{others}アカウント（{n}システム）と同じパスワード"),
            (true, None) => {
                format!("R{group}：同じシステムの他の{others}アカウントと同じパスワード")
            }
            (false, Some(n)) => {
                format!("R{group}: the same password as {others} other accounts on {n} systems")
            }
            (false, None) => {
                format!("R{group}: the same password as {others} other accounts on this system")
            }
        },
        Facts::Predictable {
            change,
            index,
            only_rotation,
        } => {
            let what = match (ja, change) {
                (true, HistoryChange::Same) => "現在のパスワードが過去のパスワードと同じ",
                (true, HistoryChange::Incremented) => {
                    "現在のパスワードは過去のパスワードの数字を増やした・変えただけ"
                }
                (true, HistoryChange::EndsChanged) => {
                    "現在のパスワードは過去のパスワードと両端しか違わない"
                }
                (false, HistoryChange::Same) => "the current password equals a previous password",
                (false, HistoryChange::Incremented) => {
                    "the current password is a previous one with a number incremented or changed"
                }
                (false, HistoryChange::EndsChanged) => {
                    "the current password differs from a previous password only at its ends"
                }
            };
            match (ja, only_rotation) {
                (true, false) => format!("{what}（履歴 {index} 番）"),
                (true, true) => {
                    format!("{what}（履歴 {index} 番）。定期変更が2-⑦の唯一の合格経路")
                }
                (false, false) => format!("{what} (history entry {index})"),
                (false, true) => format!(
                    "{what} (history entry {index}); periodic change is its only way to pass 2-⑦"
                ),
            }
        }
        Facts::AgeExceeded {
            last,
            age_days,
            max_days,
            only_rotation,
        } => {
            let mut s = match (ja, last.date(), age_days) {
                (true, Some(day), Some(age)) => format!(
                    "最終変更 {day}、確認日の{age}日前。最長有効期間{max_days}日を超える"
                ),
                (false, Some(day), Some(age)) => format!(
                    "last changed {day}, {age} days before the check date > maximum age {max_days} days"
                ),
                (true, _, _) => format!(
                    "一度も設定されていない（pwdLastSet=never、または次回ログオン時に変更が必要）：最長有効期間{max_days}日より古い"
                ),
                (false, _, _) => format!(
                    "never set (pwdLastSet=never, or a change is required at the next logon): older than the maximum age of {max_days} days"
                ),
            };
            if only_rotation {
                s.push_str(pick_str(
                    ja,
                    "。定期変更が行われていないため、定期変更による合格経路（8+rotation）は成り立たない",
                    "; rotation is not applied, so 8+rotation does not hold",
                ));
            }
            s
        }
        Facts::PolicyMaxLength { max } => {
            if ja {
                format!("最大文字数{max}（NIST SP 800-63B は64文字以上を認めるよう求める）")
            } else {
                format!("maximum length {max} < 64 (NIST SP 800-63B: allow at least 64)")
            }
        }
        Facts::PolicyRotation { allowed } => match (ja, allowed) {
            (true, true) => "定期変更を強制している。NIST SP 800-63B 第4版は推奨しない（チェックリストでは認められる）".into(),
            (true, false) => "定期変更を強制している。NIST SP 800-63B 第4版は推奨しない（この版では合格の条件にならない）".into(),
            (false, true) => "periodic rotation is enforced; NIST SP 800-63B rev. 4 advises against it (the checklist allows it)".into(),
            (false, false) => "periodic rotation is enforced; NIST SP 800-63B rev. 4 advises against it (this edition no longer counts it as a way to pass)".into(),
        },
        Facts::PolicyComposition => pick(
            ja,
            "文字種の組み合わせ規則を強制している。NIST SP 800-63B 第4版は代わりに文字数と禁止リストを推奨",
            "composition rules are enforced; NIST SP 800-63B rev. 4 advises length and blocklists instead",
        ),
        Facts::PolicyNoLockout => pick(
            ja,
            "どのポリシーもアカウントロックアウトを設定していない（ガイドライン第7.0版が求める対策）",
            "no policy source configures account lockout (guideline 第7.0版 expects it)",
        ),
        Facts::PolicyLockoutOff => pick(
            ja,
            "アカウントロックアウトが無効（しきい値 0）",
            "account lockout is off (threshold 0)",
        ),
        Facts::PolicySingleFactor => pick(
            ja,
            "単要素認証で15文字未満のパスワードを認めている（NIST SP 800-63B 第4版：15文字以上）",
            "single-factor passwords shorter than 15 are accepted (NIST SP 800-63B rev. 4: 15+)",
        ),
        Facts::PolicyComplexity3of4 => pick(
            ja,
            "PasswordComplexity = 1 は4種のうち3種を求めるだけで、記号は保証されない",
            "PasswordComplexity = 1 requires 3 of 4 categories: it does not guarantee a symbol",
        ),
        Facts::PolicyMissing { missing } => {
            if ja {
                format!("{}を必須にしていない", class_list(ja, missing, "・"))
            } else {
                format!("does not require: {}", class_list(ja, missing, ", "))
            }
        }
        Facts::PolicyMinLength { len, min, of } => short(ja, len, min, of, true),
        Facts::PolicyNoRotation => pick(
            ja,
            "パスワードの最長有効期間を強制していない",
            "no maximum password age is enforced",
        ),
    };
    Some(s)
}

fn pick(ja: bool, j: &str, e: &str) -> String {
    pick_str(ja, j, e).to_string()
}

fn pick_str<'a>(ja: bool, j: &'a str, e: &'a str) -> &'a str {
    if ja {
        j
    } else {
        e
    }
}

/// A password (or, with `policy`, a policy's minimum length) of `len` below `min`, and why `min`.
fn short(ja: bool, len: u32, min: u32, of: ShortOf, policy: bool) -> String {
    if ja {
        let head = if policy {
            format!("最小文字数{len}")
        } else {
            format!("{len}文字")
        };
        let why = match of {
            ShortOf::Floor => format!("{min}文字以上が必要"),
            ShortOf::Pin => format!("第2要素を解錠する PIN は{min}文字以上が必要"),
            ShortOf::Mfa => format!("二要素認証があっても{min}文字以上が必要"),
            ShortOf::NoRotationPath(id) => format!(
                "二要素認証がないため{min}文字以上が必要。{}では定期変更は合格の条件にならない",
                id.as_str()
            ),
            ShortOf::Rotation => format!("定期変更があっても{min}文字以上が必要"),
            ShortOf::NoWay { max_days } => {
                format!("二要素認証も{max_days}日以内の定期変更もないため{min}文字以上が必要")
            }
        };
        return format!("{head}。{why}");
    }
    let mut s = String::new();
    if policy {
        s.push_str("minimum length ");
    }
    let _ = write!(s, "{len} < {min}");
    match of {
        // A policy's floor was always said without a unit.
        ShortOf::Floor if policy => {}
        ShortOf::Floor => s.push_str(" characters"),
        ShortOf::Pin => s.push_str(" characters for a PIN unlocking the second factor"),
        ShortOf::Mfa => s.push_str(" with two-factor authentication"),
        ShortOf::NoRotationPath(id) => {
            let _ = write!(
                s,
                " without two-factor authentication; periodic change is no longer a way to pass ({})",
                id.as_str()
            );
        }
        ShortOf::Rotation => s.push_str(" with rotation"),
        ShortOf::NoWay { max_days } => {
            let _ = write!(s, " without two-factor or rotation ≤ {max_days} days");
        }
    }
    s
}

/// The reasons a password is guessable, in the order the checks ran.
fn guesses(ja: bool, g: Guesses) -> String {
    let sep = pick_str(ja, "／", "; ");
    let mut s = String::new();
    for (i, why) in g.iter().enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        match why {
            GuessWhy::Zxcvbn if ja => {
                let _ = write!(
                    s,
                    "zxcvbn スコア {}/4（推定試行回数 約10^{:.1}）",
                    g.score,
                    g.log10()
                );
            }
            GuessWhy::Zxcvbn => {
                let _ = write!(
                    s,
                    "zxcvbn score {} of 4 (about 10^{:.1} guesses)",
                    g.score,
                    g.log10()
                );
            }
            other => s.push_str(guess_words(ja, other)),
        }
    }
    s
}

/// One reason a password is guessable (all but zxcvbn, whose words carry numbers).
pub fn guess_words(ja: bool, why: GuessWhy) -> &'static str {
    match why {
        GuessWhy::Wordlist => pick_str(
            ja,
            "よく使われるパスワードの一覧に含まれる",
            "the whole password is in a common-password wordlist",
        ),
        GuessWhy::WordlistLeet => pick_str(
            ja,
            "文字の置き換え（leet）を戻すと、よく使われるパスワードの一覧に含まれる",
            "in a common-password wordlist after undoing character substitutions (leet)",
        ),
        GuessWhy::WordlistInserted => pick_str(
            ja,
            "よく使われるパスワードに数字や記号を挟んだだけ",
            "a common password with digits/symbols inserted into it",
        ),
        GuessWhy::Default => pick_str(
            ja,
            "機器・システムの初期パスワード（ベンダーの一覧）",
            "a factory-default password of a device or system (vendor lists)",
        ),
        GuessWhy::ContextWord => pick_str(
            ja,
            "施設名・人名・製品名（監査設定に記載）を含む",
            "contains a facility/person/product name from the manifest",
        ),
        GuessWhy::Username => pick_str(ja, "アカウント名を含む", "contains the account name"),
        GuessWhy::WordPlusAffix => pick_str(
            ja,
            "一般的な単語や施設名などに数字・記号を付け足しただけ",
            "a common word or manifest name with only digits/symbols added",
        ),
        GuessWhy::Sequence => pick_str(
            ja,
            "大半が文字や数字の連続（昇順・降順）",
            "dominated by an ascending or descending sequence of letters or digits",
        ),
        GuessWhy::Repeat => pick_str(
            ja,
            "大半が同じ文字や同じ並びの繰り返し",
            "dominated by repeated characters or a repeated block",
        ),
        GuessWhy::KeyboardWalk => pick_str(
            ja,
            "大半がキーボード上の並び順",
            "dominated by a keyboard walk",
        ),
        GuessWhy::Date => pick_str(
            ja,
            "日付のような数字の並びを含む",
            "contains a date-like run of digits",
        ),
        GuessWhy::Zxcvbn => pick_str(
            ja,
            "zxcvbn の推定で試行回数が少ない",
            "zxcvbn estimates few guesses",
        ),
    }
}

/// `letter`/`digit`/`symbol` (English) or 英字/数字/記号.
fn class_name(ja: bool, bit: u8) -> &'static str {
    match bit {
        Classes::LETTER => pick_str(ja, "英字", "letter"),
        Classes::DIGIT => pick_str(ja, "数字", "digit"),
        _ => pick_str(ja, "記号", "symbol"),
    }
}

fn class_list(ja: bool, c: Classes, sep: &str) -> String {
    let names: Vec<&str> = c.iter().map(|b| class_name(ja, b)).collect();
    names.join(sep)
}

/// `letters, digits and symbols`, `letters and digits`, `digits`.
fn mixed_words(c: Classes) -> String {
    let names: Vec<&str> = c
        .iter()
        .map(|b| match b {
            Classes::LETTER => "letters",
            Classes::DIGIT => "digits",
            _ => "symbols",
        })
        .collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tags::Via;
    use crate::model::{Code, PasswordSet, Scheme, Severity, Tag};

    /// One of each kind of facts (with each reason of a guessable password).
    fn every_kind() -> Vec<Facts> {
        let all_guesses = GuessWhy::ALL
            .into_iter()
            .fold(Guesses::default(), |g, w| g.with(w))
            .zxcvbn(1, 4.2);
        let r8 = Tag::new("R8").unwrap();
        let mut v = vec![
            Facts::Empty,
            Facts::FactoryDefault,
            Facts::Guessable(all_guesses),
            Facts::NonAscii,
            Facts::NotMixed {
                missing: Classes(Classes::DIGIT | Classes::SYMBOL),
                asked: Classes(7),
            },
            Facts::RotationTooLong {
                days: 90,
                max_days: 60,
            },
            Facts::NoRotation,
            Facts::LmStored,
            Facts::PlaintextStored,
            Facts::WeakScheme(Scheme::Ssha),
            Facts::Breached {
                count: 3,
                via: Via::Ntlm,
            },
            Facts::NistShort { len: 9 },
            Facts::Reused {
                group: 2,
                others: 4,
                systems: Some(5),
            },
            Facts::Reused {
                group: 3,
                others: 1,
                systems: None,
            },
            Facts::PolicyMaxLength { max: 20 },
            Facts::PolicyRotation { allowed: true },
            Facts::PolicyRotation { allowed: false },
            Facts::PolicyComposition,
            Facts::PolicyNoLockout,
            Facts::PolicyLockoutOff,
            Facts::PolicySingleFactor,
            Facts::PolicyComplexity3of4,
            Facts::PolicyMissing {
                missing: Classes(Classes::SYMBOL),
            },
            Facts::PolicyNoRotation,
        ];
        for change in [
            HistoryChange::Same,
            HistoryChange::Incremented,
            HistoryChange::EndsChanged,
        ] {
            for only_rotation in [false, true] {
                v.push(Facts::Predictable {
                    change,
                    index: 1,
                    only_rotation,
                });
            }
        }
        for (last, age_days) in [
            (PasswordSet::Day(20000), Some(120)),
            (PasswordSet::Never, None),
        ] {
            for only_rotation in [false, true] {
                v.push(Facts::AgeExceeded {
                    last,
                    age_days,
                    max_days: 60,
                    only_rotation,
                });
            }
        }
        for of in [
            ShortOf::Floor,
            ShortOf::Pin,
            ShortOf::Mfa,
            ShortOf::NoRotationPath(r8),
            ShortOf::Rotation,
            ShortOf::NoWay { max_days: 60 },
        ] {
            v.push(Facts::TooShort {
                len: 9,
                min: 13,
                of,
            });
            v.push(Facts::PolicyMinLength {
                len: 9,
                min: 13,
                of,
            });
        }
        v
    }

    /// Two ASCII words in a row (`[a-z]{2,}` separated by a space), outside the proper nouns a
    /// Japanese detail may keep.
    fn english_phrase(ja: &str) -> Option<String> {
        let mut t = ja.to_string();
        for noun in [
            "NIST SP 800-63B",
            "Pwned Passwords",
            "PasswordComplexity = 1",
        ] {
            t = t.replace(noun, "＿");
        }
        let words: Vec<&str> = t
            .split(|c: char| !c.is_ascii_alphabetic() && c != ' ')
            .collect();
        words
            .iter()
            .map(|w| w.trim())
            .find(|w| w.split(' ').filter(|x| x.len() >= 2).count() >= 2)
            .map(str::to_string)
    }

    #[test]
    fn every_kind_reads_in_japanese_and_english() {
        for f in every_kind() {
            let ja = render(Lang::Ja, &f).unwrap();
            let en = english(&f).unwrap();
            assert!(ja.chars().any(|c| c as u32 > 0x3000), "{f:?}: {ja}");
            assert_eq!(english_phrase(&ja), None, "{f:?}: {ja}");
            let en_japanese = en.replace("第7.0版", "");
            assert!(
                !en_japanese.chars().any(|c| (c as u32) >= 0x3000),
                "{f:?}: {en}"
            );
        }
    }

    #[test]
    fn english_keeps_the_words_of_the_evidence() {
        let cases = [
            (
                Facts::NotMixed {
                    missing: Classes(Classes::DIGIT | Classes::SYMBOL),
                    asked: Classes(7),
                },
                "no digit, no symbol (letters, digits and symbols must be mixed)",
            ),
            (
                Facts::TooShort {
                    len: 9,
                    min: 13,
                    of: ShortOf::NoWay { max_days: 60 },
                },
                "9 < 13 without two-factor or rotation ≤ 60 days",
            ),
            (
                Facts::TooShort {
                    len: 12,
                    min: 13,
                    of: ShortOf::NoRotationPath(Tag::new("R8").unwrap()),
                },
                "12 < 13 without two-factor authentication; periodic change is no longer a way to pass (R8)",
            ),
            (
                Facts::PolicyMinLength {
                    len: 6,
                    min: 8,
                    of: ShortOf::Floor,
                },
                "minimum length 6 < 8",
            ),
            (
                Facts::TooShort {
                    len: 6,
                    min: 8,
                    of: ShortOf::Floor,
                },
                "6 < 8 characters",
            ),
            (
                Facts::Guessable(
                    Guesses::default()
                        .with(GuessWhy::Wordlist)
                        .zxcvbn(1, 3.0),
                ),
                "the whole password is in a common-password wordlist; zxcvbn score 1 of 4 (about 10^3.0 guesses)",
            ),
            (
                Facts::PolicyMissing {
                    missing: Classes(Classes::DIGIT | Classes::SYMBOL),
                },
                "does not require: digit, symbol",
            ),
        ];
        for (facts, en) in cases {
            assert_eq!(english(&facts).as_deref(), Some(en));
        }
    }

    #[test]
    fn a_detail_without_facts_falls_back_to_its_english_words() {
        let f = Finding::fail(Code::TooShort, "7 < 8");
        assert_eq!(detail(Lang::Ja, &f), "7 < 8");
        assert_eq!(detail(Lang::En, &f), "7 < 8");
        let r = crate::rules::fail(
            Code::ReusedAcrossSystems,
            Facts::Reused {
                group: 2,
                others: 4,
                systems: Some(5),
            },
        );
        assert_eq!(r.severity, Severity::Fail);
        assert_eq!(
            r.detail,
            "R2: the same password as 4 other accounts on 5 systems"
        );
        assert_eq!(detail(Lang::En, &r), r.detail.as_str());
        assert_eq!(
            detail(Lang::Ja, &r),
            "R2：他の4アカウント（5システム）と同じパスワード"
        );
        assert_eq!(
            finding_text(Lang::Ja, &r),
            "複数のシステムで同じパスワードが使われています（R2：他の4アカウント（5システム）と同じパスワード）"
        );
    }

    #[test]
    fn guessable_reasons_read_as_the_issue_words_them() {
        let g = Guesses::default()
            .with(GuessWhy::Wordlist)
            .with(GuessWhy::Username)
            .zxcvbn(1, 4.2);
        assert_eq!(
            render(Lang::Ja, &Facts::Guessable(g)).unwrap(),
            "よく使われるパスワードの一覧に含まれる／アカウント名を含む／zxcvbn スコア 1/4（推定試行回数 約10^4.2）"
        );
    }

    #[test]
    fn facts_add_no_heap_and_stay_small() {
        // Facts are held inline in every finding: a million findings must not grow by much.
        assert!(
            std::mem::size_of::<Facts>() <= 32,
            "{}",
            std::mem::size_of::<Facts>()
        );
    }
}
