//! Every human-language word kensa prints, in Japanese and English, in one place below `rules/`:
//! the reports, the checklist remarks and the terminal ask here and never spell words themselves.
//! It imports nothing but `model`.

mod checklist;
mod details;
mod labels;
mod print;
mod remarks;
mod share;
mod stats;
mod status;
mod terminal;
mod values;
mod worklist;

pub use checklist::*;
pub use details::*;
pub use labels::*;
pub use print::*;
pub use remarks::*;
pub use share::*;
pub use stats::*;
pub use status::*;
pub use terminal::*;
pub use values::*;
pub use worklist::*;

/// The language of the human-readable output (md, html, xlsx, remarks, terminal). JSON and CSV are
/// language-neutral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// Parses a `--lang` name: `ja` or `en` (case-insensitive).
    pub fn from_name(name: &str) -> Option<Lang> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Some(Lang::Ja),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The BCP 47 tag (`ja`, `en`), as used in the HTML `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

pub(crate) fn pick(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// Looks `key` up in `(key, ja, en)` rows; an unknown key is shown as it is.
pub(crate) fn lookup(lang: Lang, key: &str, rows: &[(&str, &str, &str)]) -> String {
    rows.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ja, en)| pick_str(lang, ja, en).to_string())
        .unwrap_or_else(|| key.to_string())
}

pub(crate) fn pick_str<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// `2-7` → `2-⑦` (circled numbers 1–20); anything else unchanged.
pub(crate) fn circled(item: &str) -> String {
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
mod tests;
