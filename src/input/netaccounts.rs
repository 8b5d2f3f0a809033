//! `net accounts` (or `net accounts /domain`) as printed by English or Japanese Windows: the local
//! or domain password and lockout policy, for systems where a vendor can run a command but not
//! `secedit /export`.
//!
//! The output is `label:  value` lines. English labels are matched by their words; Japanese
//! Windows translates them (「ロックアウトのしきい値」「ロックアウト期間 (分)」「パスワード有効期間 (日数)」 …)
//! and the translations have changed between versions, so Japanese labels are matched by their key
//! words (しきい値, 監視, 履歴, 最長/最短/変更禁止 + 期間, 長/文字数). Values are numbers or a word for
//! "none": `Never`, `Unlimited`, `None` / なし, 無制限, 無期限, しない, 無効.
//!
//! `net accounts` does not show whether complexity is required: pair it with a secedit export
//! for the composition of passwords.

use super::{error, numbered_lines};
use crate::model::{ParsedInput, PolicyFragment};

/// The settings one `net accounts` output shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetAccounts {
    /// Minimum password length.
    pub min_length: Option<u32>,
    /// Maximum password age in days; `Some(-1)` = `Unlimited` (passwords never expire).
    pub max_age_days: Option<i64>,
    /// Minimum password age in days.
    pub min_age_days: Option<i64>,
    /// Passwords remembered; `Some(0)` = `None`.
    pub history: Option<u32>,
    pub lockout: Lockout,
}

/// The account lockout settings (guideline 第7.0版 expects lockout), named and valued as the
/// policy fragment's lockout fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lockout {
    /// Failed logons that lock an account; `Some(0)` = `Never` (accounts are never locked).
    pub threshold: Option<u32>,
    /// How long a locked account stays locked, in minutes; `Some(-1)` = `Never` (until an
    /// administrator unlocks it).
    pub duration_minutes: Option<i64>,
    /// Lockout observation window: minutes after which the count of failed logons starts again.
    pub reset_minutes: Option<u32>,
}

/// Read a `net accounts` output: its settings, the number of settings read, and the lines whose
/// value could not be read (line number, message).
pub fn read(text: &str) -> (NetAccounts, usize, Vec<(usize, String)>) {
    let mut out = NetAccounts::default();
    let mut records = 0;
    let mut errors = Vec::new();
    for (no, line) in numbered_lines(text) {
        let Some((setting, value)) = split(line) else {
            continue;
        };
        let Some(setting) = Setting::of(setting) else {
            continue;
        };
        records += 1;
        let value = Value::of(value);
        let bad = |what: &str| format!("{}: {what}", setting.name());
        match (setting, value) {
            (Setting::ForceLogoff | Setting::Role, _) => {}
            (Setting::MinLength, Value::Number(n)) => match u32::try_from(n) {
                Ok(n) => out.min_length = Some(n),
                Err(_) => errors.push((no, bad("not a length"))),
            },
            (Setting::MinLength, Value::Nothing) => out.min_length = Some(0),
            (Setting::MaxAge, Value::Number(n)) => {
                out.max_age_days = Some(if n <= 0 { -1 } else { n })
            }
            (Setting::MaxAge, Value::Nothing) => out.max_age_days = Some(-1),
            (Setting::MinAge, Value::Number(n)) => out.min_age_days = Some(n.max(0)),
            (Setting::MinAge, Value::Nothing) => out.min_age_days = Some(0),
            (Setting::History, Value::Number(n)) => match u32::try_from(n) {
                Ok(n) => out.history = Some(n),
                Err(_) => errors.push((no, bad("not a count"))),
            },
            (Setting::History, Value::Nothing) => out.history = Some(0),
            (Setting::LockoutThreshold, Value::Number(n)) => match u32::try_from(n) {
                Ok(n) => out.lockout.threshold = Some(n),
                Err(_) => errors.push((no, bad("not a count"))),
            },
            (Setting::LockoutThreshold, Value::Nothing) => out.lockout.threshold = Some(0),
            (Setting::LockoutDuration, Value::Number(n)) => {
                out.lockout.duration_minutes = Some(if n < 0 { -1 } else { n })
            }
            (Setting::LockoutDuration, Value::Nothing) => out.lockout.duration_minutes = Some(-1),
            (Setting::LockoutWindow, Value::Number(n)) => match u32::try_from(n) {
                Ok(n) => out.lockout.reset_minutes = Some(n),
                Err(_) => errors.push((no, bad("not a number of minutes"))),
            },
            (Setting::LockoutWindow, Value::Nothing) => out.lockout.reset_minutes = Some(0),
            (_, Value::Other) => errors.push((no, bad("the value is not a number"))),
        }
    }
    (out, records, errors)
}

/// Parse a `net accounts` output into the policy model: minimum length, maximum age and the
/// account lockout (threshold, duration, observation window).
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let (n, records, errors) = read(text);
    ParsedInput {
        records,
        accounts: Vec::new(),
        policy: Some(PolicyFragment {
            source: label.to_string(),
            min_length: n.min_length,
            max_age_days: n.max_age_days,
            lockout_threshold: n.lockout.threshold,
            lockout_duration_minutes: n.lockout.duration_minutes,
            lockout_reset_minutes: n.lockout.reset_minutes,
            ..PolicyFragment::default()
        }),
        errors: errors
            .into_iter()
            .map(|(no, m)| error(label, no, m))
            .collect(),
    }
}

/// Content looks like `net accounts`: at least three of its password and lockout settings.
pub fn sniff(text: &str) -> bool {
    let mut seen = [false; Setting::ALL.len()];
    for (_, line) in numbered_lines(text).take(100) {
        if let Some(s) = split(line).and_then(|(s, _)| Setting::of(s)) {
            seen[s as usize] = true;
        }
    }
    Setting::ALL
        .iter()
        .filter(|s| s.is_policy() && seen[**s as usize])
        .count()
        >= 3
}

/// The settings `net accounts` prints, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setting {
    ForceLogoff,
    MinAge,
    MaxAge,
    MinLength,
    History,
    LockoutThreshold,
    LockoutDuration,
    LockoutWindow,
    Role,
}

impl Setting {
    const ALL: [Setting; 9] = [
        Setting::ForceLogoff,
        Setting::MinAge,
        Setting::MaxAge,
        Setting::MinLength,
        Setting::History,
        Setting::LockoutThreshold,
        Setting::LockoutDuration,
        Setting::LockoutWindow,
        Setting::Role,
    ];

    /// The setting a label names, English (by its words, any case) or Japanese (by key words).
    fn of(label: &str) -> Option<Setting> {
        let l = label.trim().to_lowercase();
        let has = |w: &str| l.contains(w);
        Some(if has("force user logoff") || has("強制ログオフ") {
            Setting::ForceLogoff
        } else if has("computer role") || has("役割") {
            Setting::Role
        } else if has("lockout") || has("ロックアウト") {
            if has("threshold") || has("しきい値") || has("閾値") {
                Setting::LockoutThreshold
            } else if has("observation")
                || has("window")
                || has("監視")
                || has("観察")
                || has("リセット")
                || has("ウィンドウ")
            {
                Setting::LockoutWindow
            } else if has("duration") || has("期間") || has("継続") {
                Setting::LockoutDuration
            } else {
                return None;
            }
        } else if has("password history") || (has("パスワード") && has("履歴")) {
            Setting::History
        } else if has("minimum password length") {
            Setting::MinLength
        } else if has("maximum password age") {
            Setting::MaxAge
        } else if has("minimum password age") {
            Setting::MinAge
        } else if has("パスワード") {
            if has("期間") || has("有効期限") {
                if has("最短") || has("最小") || has("変更禁止") {
                    Setting::MinAge
                } else {
                    Setting::MaxAge
                }
            } else if has("長") || has("文字数") {
                Setting::MinLength
            } else {
                return None;
            }
        } else {
            return None;
        })
    }

    /// A setting of the password or lockout policy (not the logoff time or the computer role).
    fn is_policy(self) -> bool {
        !matches!(self, Setting::ForceLogoff | Setting::Role)
    }

    /// The English label, for messages.
    fn name(self) -> &'static str {
        match self {
            Setting::ForceLogoff => "Force user logoff how long after time expires?",
            Setting::MinAge => "Minimum password age (days)",
            Setting::MaxAge => "Maximum password age (days)",
            Setting::MinLength => "Minimum password length",
            Setting::History => "Length of password history maintained",
            Setting::LockoutThreshold => "Lockout threshold",
            Setting::LockoutDuration => "Lockout duration (minutes)",
            Setting::LockoutWindow => "Lockout observation window (minutes)",
            Setting::Role => "Computer role",
        }
    }
}

/// A setting's value.
enum Value {
    Number(i64),
    /// `Never`, `Unlimited`, `None`, `No` / なし, 無制限, 無期限, しない, 無し, 無効.
    Nothing,
    Other,
}

impl Value {
    fn of(v: &str) -> Value {
        let v = v.trim();
        if let Ok(n) = v.parse::<i64>() {
            return Value::Number(n);
        }
        let lower = v.to_ascii_lowercase();
        if ["never", "unlimited", "none", "no"].contains(&lower.as_str())
            || [
                "なし",
                "無制限",
                "無期限",
                "しない",
                "無し",
                "なし。",
                "無効",
            ]
            .contains(&v)
        {
            Value::Nothing
        } else {
            Value::Other
        }
    }
}

/// `label: value` at the last colon (ASCII or full-width); `None` for a line without one.
fn split(line: &str) -> Option<(&str, &str)> {
    let i = line.rfind([':', '：'])?;
    let colon = line[i..].chars().next()?.len_utf8();
    Some((&line[..i], &line[i + colon..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `net accounts` on an English Windows member server (as quoted in public notes; see
    /// tests/fixtures/windows/README.md).
    const SERVER: &str = "\r\nForce user logoff how long after time expires?:       Never\r\n\
        Minimum password age (days):                          1\r\n\
        Maximum password age (days):                          Unlimited\r\n\
        Minimum password length:                              8\r\n\
        Length of password history maintained:                24\r\n\
        Lockout threshold:                                    5\r\n\
        Lockout duration (minutes):                           30\r\n\
        Lockout observation window (minutes):                 30\r\n\
        Computer role:                                        SERVER\r\n\
        The command completed successfully.\r\n\r\n";

    #[test]
    fn reads_english_output() {
        let (n, records, errors) = read(SERVER);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records, 9);
        assert_eq!(
            n,
            NetAccounts {
                min_length: Some(8),
                max_age_days: Some(-1),
                min_age_days: Some(1),
                history: Some(24),
                lockout: Lockout {
                    threshold: Some(5),
                    duration_minutes: Some(30),
                    reset_minutes: Some(30),
                },
            }
        );
        let p = parse(SERVER, "pc01.txt");
        let pol = p.policy.unwrap();
        assert_eq!((pol.min_length, pol.max_age_days), (Some(8), Some(-1)));
        assert_eq!(
            (
                pol.lockout_threshold,
                pol.lockout_duration_minutes,
                pol.lockout_reset_minutes
            ),
            (Some(5), Some(30), Some(30))
        );
        assert_eq!(pol.source, "pc01.txt");
        assert!(!pol.complexity_3of4 && pol.require.is_empty());
    }

    #[test]
    fn reads_never_and_none_words() {
        let text =
            "The request will be processed at a domain controller for domain koro.local.\n\n\
            Force user logoff how long after time expires?:       Never\n\
            Minimum password age (days):                          0\n\
            Maximum password age (days):                          42\n\
            Minimum password length:                              0\n\
            Length of password history maintained:                None\n\
            Lockout threshold:                                    Never\n\
            Lockout duration (minutes):                           Never\n\
            Lockout observation window (minutes):                 30\n\
            Computer role:                                        PRIMARY\n";
        let (n, _, errors) = read(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(n.max_age_days, Some(42));
        assert_eq!(n.min_length, Some(0));
        assert_eq!(n.history, Some(0));
        assert_eq!(n.lockout.threshold, Some(0), "Never = never locked");
        assert_eq!(
            n.lockout.duration_minutes,
            Some(-1),
            "Never = until unlocked"
        );
        assert!(sniff(text));
    }

    #[test]
    fn reads_japanese_labels_by_key_words() {
        // Labels as shown by Japanese Windows and Japanese write-ups (full-width colons too).
        let text = "強制ログオフまでの時間 (分):                 なし\r\n\
            パスワードの最短有効期間 (日):               0\r\n\
            パスワードの最長有効期間 (日):               無制限\r\n\
            パスワードの最短必要長:                      12\r\n\
            保持するパスワードの履歴の数：               なし\r\n\
            ロックアウトのしきい値:                      5\r\n\
            ロックアウト期間 (分):                       30\r\n\
            ロックアウトの監視ウィンドウ (分):           15\r\n\
            コンピューターの役割:                        WORKSTATION\r\n\
            コマンドは正常に終了しました。\r\n";
        let (n, records, errors) = read(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records, 9);
        assert_eq!(
            n,
            NetAccounts {
                min_length: Some(12),
                max_age_days: Some(-1),
                min_age_days: Some(0),
                history: Some(0),
                lockout: Lockout {
                    threshold: Some(5),
                    duration_minutes: Some(30),
                    reset_minutes: Some(15),
                },
            }
        );
        assert!(sniff(text));
        // Other wordings seen in Japanese write-ups.
        for (label, want) in [
            // A Windows 10 Home capture (tests/fixtures/windows/README.md).
            ("強制ログオフまでの時間 (分)", Setting::ForceLogoff),
            ("パスワード変更禁止期間 (日数)", Setting::MinAge),
            ("パスワード有効期間 (日数)", Setting::MaxAge),
            ("パスワードの最短有効期間 (日)", Setting::MinAge),
            ("パスワードの有効期間 (日)", Setting::MaxAge),
            ("最小パスワード長", Setting::MinLength),
            ("パスワードの最小文字数", Setting::MinLength),
            ("パスワード履歴の長さ", Setting::History),
            (
                "アカウント ロックアウトのしきい値",
                Setting::LockoutThreshold,
            ),
            ("アカウント ロックアウト期間 (分)", Setting::LockoutDuration),
            (
                "ロックアウト カウンターのリセット (分)",
                Setting::LockoutWindow,
            ),
        ] {
            assert_eq!(Setting::of(label), Some(want), "{label}");
        }
    }

    #[test]
    fn bad_values_are_errors_and_other_lines_are_ignored() {
        let text = "C:\\> net accounts\nMinimum password length: eight\nMaximum password age (days): 90\nLockout threshold: -3\n";
        let p = parse(text, "x.txt");
        let msgs: Vec<(&str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.source.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            msgs,
            [
                (
                    "x.txt:2",
                    "Minimum password length: the value is not a number"
                ),
                ("x.txt:4", "Lockout threshold: not a count"),
            ]
        );
        assert_eq!(p.policy.unwrap().max_age_days, Some(90));
        assert!(sniff(text));
        assert!(
            !sniff("Minimum password length: 8\nLockout threshold: 5\n"),
            "two settings are not enough"
        );
    }

    #[test]
    fn sniff_rejects_other_formats() {
        assert!(sniff(SERVER));
        assert!(!sniff("[System Access]\nMinimumPasswordLength = 8\n"));
        assert!(!sniff("PASS_MAX_DAYS 90\nPASS_MIN_LEN 8\n"));
        assert!(!sniff("minlen = 12\n"));
    }
}
