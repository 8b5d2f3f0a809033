//! The checklist answers: the overall ones and those of the split checklists (医療機関確認用 /
//! 事業者確認用), as views and as a table.

use super::{Block, Cell, Lang, Medium, Style, Table};
use crate::model::evidence::{Answer, Checklist, EditionRules, Evidence, Item};
use crate::model::ManagedBy;
use crate::words::{self, Labels};

/// One checklist answer as printed: the item, its question, the answer and its dates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnswerView {
    pub item: String,
    pub question: String,
    pub answer: Answer,
    /// はい / いいえ / 判定不能 (or the English words).
    pub answer_text: &'static str,
    /// Yes | No | Undetermined: the style of the answer (its CSS class in HTML).
    pub style: Style,
    pub checked_on: String,
    /// For いいえ and 判定不能 (empty for はい).
    pub target_date: String,
    pub remarks: String,
    pub counts: String,
}

/// The answers of `items` as printed.
pub(crate) fn answer_views(
    items: &[Item],
    rules: Option<&EditionRules>,
    lang: Lang,
) -> Vec<AnswerView> {
    items
        .iter()
        .map(|it| AnswerView {
            item: words::item_label(lang, &it.item, &it.label),
            question: words::question(lang, rules, &it.item)
                .unwrap_or_default()
                .to_string(),
            answer: it.answer,
            answer_text: words::answer(lang, it.answer),
            style: answer_style(it.answer),
            checked_on: it.checked_on.clone(),
            // As the evidence records it: いいえ and 判定不能 both carry one (an item not yet
            // confirmed はい is answered いいえ on the MHLW form, which asks for a 目標日).
            target_date: it.target_date.clone().unwrap_or_default(),
            remarks: it.remarks.clone(),
            counts: words::counts(lang, it.failing, it.unverified, it.passing, it.groups),
        })
        .collect()
}

/// One of the split checklists (医療機関確認用 / 事業者確認用) as printed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChecklistView {
    pub title: String,
    /// The 事業者名 of a per-vendor 事業者確認用 (「事業者名未記入」 when the manifest names none);
    /// `None` for the 医療機関確認用 and for evidence written before the per-vendor lists.
    pub vendor: Option<String>,
    /// The systems it covers, joined (or なし).
    pub systems: String,
    pub answers: Vec<AnswerView>,
}

/// The split checklists as printed: the 医療機関確認用, then one 事業者確認用 per vendor (the
/// aggregate one only in evidence written before the per-vendor lists).
pub(crate) fn checklist_views(ev: &Evidence, lang: Lang) -> Vec<ChecklistView> {
    printed_checklists(ev)
        .map(|(ck, per_vendor)| checklist_view(ev, ck, per_vendor, lang))
        .collect()
}

/// The checklists every format prints, in order, each with whether it is a per-vendor one.
fn printed_checklists(ev: &Evidence) -> impl Iterator<Item = (&Checklist, bool)> {
    let per_vendor = !ev.vendor_checklists.is_empty();
    ev.checklists
        .iter()
        .filter(move |c| !per_vendor || c.managed_by != ManagedBy::Vendor)
        .map(|c| (c, false))
        .chain(ev.vendor_checklists.iter().map(|c| (c, true)))
}

fn checklist_view(ev: &Evidence, ck: &Checklist, per_vendor: bool, lang: Lang) -> ChecklistView {
    let t = words::labels(lang);
    let vendor = per_vendor.then(|| words::vendor_shown(lang, ck.vendor.as_deref()));
    let title = words::checklist_title(lang, ck.managed_by);
    ChecklistView {
        // Named as the workbook names its sheet, so each vendor's table is found by its name.
        title: match &vendor {
            Some(v) => format!("{title} ({v})"),
            None => title.to_string(),
        },
        vendor,
        systems: if ck.systems.is_empty() {
            t.none.to_string()
        } else {
            ck.systems.join(t.list_sep)
        },
        answers: answer_views(&ck.items, ev.edition_rules.as_ref(), lang),
    }
}

/// The answers as a table; the workbook heads the answer column はい・いいえ like the MHLW form.
pub(crate) fn answers_table<'a>(views: Vec<AnswerView>, lang: Lang, medium: Medium) -> Table<'a> {
    let t = words::labels(lang);
    let answer = match medium {
        Medium::Report => t.col_answer,
        Medium::Sheet => words::workbook_labels(lang).col_answer,
    };
    let rows = views.into_iter().map(|v| {
        vec![
            Cell::text(v.item),
            Cell::text(v.question),
            Cell::text(v.answer_text).style(v.style),
            Cell::text(v.checked_on),
            Cell::text(v.target_date),
            Cell::text(v.remarks),
            Cell::text(v.counts),
        ]
    });
    Table::new(
        &[
            t.col_item,
            t.col_question,
            answer,
            t.checked_on,
            t.target_date,
            t.remarks,
            t.col_counts,
        ],
        rows,
    )
}

pub(super) fn answers(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
    out.push(Block::Heading(t.h_answers.to_string()));
    out.push(Block::Table(answers_table(
        answer_views(&ev.items, ev.edition_rules.as_ref(), lang),
        lang,
        Medium::Report,
    )));
}

pub(super) fn checklists(ev: &Evidence, lang: Lang, t: &Labels, out: &mut Vec<Block<'_>>) {
    if ev.checklists.is_empty() {
        return;
    }
    out.push(Block::Heading(t.h_checklists.to_string()));
    out.push(Block::Para(t.checklists_note.to_string()));
    for ck in checklist_views(ev, lang) {
        out.push(Block::Subheading(ck.title));
        let mut fields = Vec::new();
        if let Some(v) = ck.vendor {
            fields.push((words::share_labels(lang).vendor_name.to_string(), v));
        }
        fields.push((t.checklist_systems.to_string(), ck.systems));
        out.push(Block::Fields(fields));
        out.push(Block::Table(answers_table(
            ck.answers,
            lang,
            Medium::Report,
        )));
    }
}

pub(super) fn answer_style(a: Answer) -> Style {
    match a {
        Answer::Yes => Style::Yes,
        Answer::No => Style::No,
        Answer::Undetermined => Style::Undetermined,
    }
}
