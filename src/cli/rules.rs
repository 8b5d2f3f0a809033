//! `kensa rules`: the rules of the edition in force (built-in, or a user's file), as text, JSON
//! or the edition file itself.

use super::args::RulesArgs;
use super::{lang_of, out, Outcome};
use crate::error::Error;
use crate::rules::edition::{Class, Edition, PathRule};
use crate::words::{self, Lang};

pub(super) fn run(r: RulesArgs) -> Result<Outcome, Error> {
    let lang = lang_of(&r.lang)?;
    let ed = Edition::choose_or_default(r.edition.edition.as_deref(), r.edition.rules.as_deref())?;
    if r.toml {
        let text = match &r.edition.rules {
            Some(p) => std::fs::read_to_string(p).unwrap_or_default(),
            None => Edition::builtin_text(&ed.id)
                .unwrap_or_default()
                .to_string(),
        };
        out(&text);
    } else if r.json {
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&ed).unwrap_or_default()
        ));
    } else {
        out(&text(&ed, lang));
    }
    Ok(Outcome::Clean)
}

/// The rules as text, one fact a line.
fn text(ed: &Edition, lang: Lang) -> String {
    let w = words::rules_words(lang);
    let yes_no = |b: bool| if b { w.yes } else { w.no };
    let mut s = String::new();
    let name = match lang {
        Lang::Ja => &ed.name.ja,
        Lang::En => &ed.name.en,
    };
    s.push_str(&format!("{}: {} ({name})\n", w.edition, ed.id));
    s.push_str(&format!("{}: {}\n", w.provisional, yes_no(ed.provisional)));
    s.push_str(&format!("{}: {}\n", w.source, ed.source));
    if let Some(f) = &ed.file {
        s.push_str(&format!(
            "{}: {} (SHA-256 {})\n",
            w.file,
            f.path,
            f.sha256.as_deref().unwrap_or_default()
        ));
    }
    let p = &ed.password;
    s.push_str(&format!("{}:\n", w.paths));
    let line = |label: &str, path: &str, r: &PathRule| {
        format!(
            "  {path:<10} {label}: {} {}; {}: {}\n",
            r.min_length,
            w.chars_or_more,
            w.classes,
            classes(lang, &r.classes)
        )
    };
    s.push_str(&line(w.long, "13+", &p.long));
    s.push_str(&line(w.mfa, "8+mfa", &p.mfa));
    if p.rotation.path {
        s.push_str(&format!(
            "  {:<10} {}: {} {}; {}: {}; {}: {}\n",
            "8+rotation",
            w.rotation,
            p.rotation.min_length,
            w.chars_or_more,
            w.classes,
            classes(lang, &p.rotation.classes),
            w.max_age,
            p.rotation.max_age_days
        ));
    } else {
        s.push_str(&format!(
            "  {:<10} {}: {}\n",
            "8+rotation", w.rotation, w.not_a_path
        ));
    }
    let pin = if p.pin.min_length == 0 {
        w.pin_exempt.to_string()
    } else {
        format!("{} {}", p.pin.min_length, w.chars_or_more)
    };
    s.push_str(&format!("  {:<10} {}: {pin}\n", "pin_exempt", w.pin));
    let lockout = if ed.lockout.expected {
        w.lockout_expected
    } else {
        w.lockout_advisory
    };
    s.push_str(&format!("{}: {lockout}\n", w.lockout));
    for (id, t) in [("2-7", &ed.items.seven), ("2-8", &ed.items.eight)] {
        let (label, q) = match lang {
            Lang::Ja => (&t.label.ja, &t.question.ja),
            Lang::En => (&t.label.en, &t.question.en),
        };
        s.push_str(&format!("{id} {label}: {q}\n"));
    }
    s
}

fn classes(lang: Lang, list: &[Class]) -> String {
    let sep = match lang {
        Lang::Ja => "・",
        Lang::En => ", ",
    };
    list.iter()
        .map(|c| words::class_name(lang, c.as_str()))
        .collect::<Vec<_>>()
        .join(sep)
}
