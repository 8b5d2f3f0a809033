//! The terminal's words (`kensa audit`'s summary, `kensa check`), and the finding details the
//! engine and `check` both write, so each is spelled once.

use super::{pick, Lang};
use crate::model::evidence::{Answer, Via};

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

/// The detail of a `BREACHED` finding (English, as every detail in the evidence): how often the
/// password is in the corpus and which form was looked up.
pub fn breached_detail(count: u64, via: Via) -> String {
    format!(
        "in the Pwned Passwords corpus ({count} times, {} lookup)",
        via.as_str()
    )
}
