//! evidence.html: one self-contained, printable page (inline CSS, no scripts, no external assets).

use super::doc::{self, Block, Table};
use super::markup::Escaped;
use super::svg::{self, Bar, StackRow, Tone};
use super::Lang;
use crate::model::evidence::{AccountStatus, Evidence};
use crate::words::{self, Labels};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Renders the evidence as a complete HTML document in `lang`: the facts of the run, the two
/// answers as prominent cards, the split checklists, three inline SVG charts, then every table.
pub fn render(ev: &Evidence, lang: Lang) -> String {
    let mut out = Vec::new();
    write(ev, lang, &mut out).expect("writing into memory cannot fail");
    String::from_utf8(out).expect("the HTML is UTF-8")
}

/// Writes the document of [`render`] into `out`, section by section and every table row by row:
/// what it holds besides `out` is one row, whatever the number of accounts.
///
/// Every section heading (h2) gets an id, in document order, and the table of contents links to
/// each: the answers, the split checklists and the charts written here, then the headings of the
/// structure [`doc::body`] decides.
pub fn write(ev: &Evidence, lang: Lang, out: &mut impl Write) -> io::Result<()> {
    let t = words::labels(lang);
    let head = doc::head(ev, lang);
    let title = head
        .iter()
        .find_map(|b| match b {
            Block::Title(s) => Some(s.as_str()),
            _ => None,
        })
        .unwrap_or(t.doc_title);
    out.write_all(b"<!DOCTYPE html>\n")?;
    write!(out, "<html lang=\"{}\">\n<head>\n", lang.tag())?;
    out.write_all(b"<meta charset=\"utf-8\">\n")?;
    out.write_all(b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")?;
    writeln!(out, "<title>{}</title>", Escaped(title))?;
    out.write_all(b"<style>\n")?;
    out.write_all(CSS.as_bytes())?;
    out.write_all(b"</style>\n</head>\n<body>\n<main>\n<header class=\"doc-head\">\n")?;
    for b in head {
        block(b, lang, &mut Ids::default(), out)?;
    }
    out.write_all(b"</header>\n")?;
    let views = doc::checklist_views(ev, lang);
    let body = doc::body(ev, lang);
    let mut contents = vec![t.h_answers.to_string()];
    if !views.is_empty() {
        contents.push(t.h_checklists.to_string());
    }
    contents.push(t.h_charts.to_string());
    contents.extend(body.iter().filter_map(|b| match b {
        Block::Heading(h) => Some(h.clone()),
        _ => None,
    }));
    let mut ids = Ids::default();
    answers(ev, lang, t, &mut ids, out)?;
    checklists(views, lang, t, &mut ids, out)?;
    signature(lang, out)?;
    toc(lang, &contents, out)?;
    charts(ev, lang, t, &mut ids, out)?;
    for b in body {
        block(b, lang, &mut ids, out)?;
    }
    out.write_all(b"</main>\n</body>\n</html>\n")
}

/// The ids of the section headings, `sec-1`, `sec-2`, … in document order: the table of
/// contents, written before the sections, links to the same numbers.
#[derive(Default)]
struct Ids(usize);

impl Ids {
    fn next(&mut self) -> String {
        self.0 += 1;
        section_id(self.0)
    }
}

/// The id of the `n`th section heading (from 1).
fn section_id(n: usize) -> String {
    format!("sec-{n}")
}

/// The table of contents: a link to every section heading, in order.
fn toc(lang: Lang, contents: &[String], out: &mut impl Write) -> io::Result<()> {
    let p = words::print_labels(lang);
    write!(
        out,
        "<nav class=\"toc\" aria-label=\"{t}\">\n<p class=\"toc-title\">{t}</p>\n<ol>\n",
        t = Escaped(p.toc)
    )?;
    for (i, h) in contents.iter().enumerate() {
        writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            section_id(i + 1),
            Escaped(h)
        )?;
    }
    out.write_all(b"</ol>\n</nav>\n")
}

/// The signature block after the answers: blank boxes for who reviewed the results, when, and
/// their department, to fill in by hand on the printed report.
fn signature(lang: Lang, out: &mut impl Write) -> io::Result<()> {
    let p = words::print_labels(lang);
    write!(
        out,
        "<section class=\"sign\">\n<p class=\"sign-title\">{}</p>\n<p class=\"sign-note\">{}</p>\n<table class=\"sign\">\n<tbody>\n<tr>",
        Escaped(p.sign_title),
        Escaped(p.sign_note)
    )?;
    for k in [p.sign_reviewer, p.sign_date, p.sign_department] {
        write!(out, "<th>{}</th><td></td>", Escaped(k))?;
    }
    out.write_all(b"</tr>\n</tbody>\n</table>\n</section>\n")
}

const CSS: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --blue: #1f4e79; --line: #b7c3d0;
        --yes: #2e7d32; --no: #c62828; --und: #b26a00; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic",
       YuGothic, Meiryo, "Noto Sans JP", sans-serif;
       font-size: 14px; line-height: 1.55; color: var(--ink); background: #fff; margin: 0; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px; }
h1 { font-size: 1.7em; margin: 0 0 0.2em; color: var(--blue); border-bottom: 3px solid var(--blue);
     padding-bottom: 0.2em; }
h1 + p { margin: 0 0 0.6em; color: #4a5866; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; color: var(--blue); border-bottom: 1px solid #c8d3df;
     padding-bottom: 0.1em; }
h3 { font-size: 1.05em; margin: 1.1em 0 0.3em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 1px 16px; margin: 0.4em 0; }
dt { font-weight: bold; color: #3a4654; }
dd { margin: 0; overflow-wrap: anywhere; }
.doc-head dl { grid-template-columns: max-content auto max-content auto; font-size: 0.92em; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; font-size: 0.86em; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
td.k, td.n { white-space: nowrap; }
td.n { text-align: right; }
td.w { overflow-wrap: anywhere; }
p.more { margin: -0.6em 0 1em; font-size: 0.9em; color: #3a4654; }
details.rows > summary { cursor: pointer; color: var(--blue); font-weight: bold; margin: 0.3em 0; }
nav.toc { border: 1px solid var(--line); border-radius: 4px; padding: 4px 14px; margin: 1em 0;
          background: #f6f8fa; }
nav.toc .toc-title { font-weight: bold; color: var(--blue); margin: 0.2em 0; }
nav.toc ol { columns: 2; column-gap: 28px; margin: 0.2em 0 0.3em; padding-left: 1.6em; }
nav.toc a { color: var(--blue); text-decoration: none; }
section.sign { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
section.sign .sign-title { font-weight: bold; margin: 0; }
section.sign .sign-note { margin: 0.1em 0 0.3em; font-size: 0.9em; color: #4a5866; }
table.sign { width: 100%; }
table.auto { width: auto; min-width: 40%; }
table.sign th { width: 6em; white-space: nowrap; }
table.sign td { height: 2.4em; background: #fff !important; }
th { background: #e3eaf2; font-weight: bold; }
th.k { white-space: nowrap; }
tr:nth-child(even) td { background: #f6f8fa; }
td.yes { background: #e3f4e1 !important; color: #1b5e20; font-weight: bold; }
td.no, td.fail { background: #fde8e8 !important; color: #8b1a1a; }
td.no { font-weight: bold; }
td.undetermined, td.warn { background: #fff5d6 !important; color: #6b4e00; }
table.answers td:nth-child(1), table.answers td:nth-child(3), table.answers td:nth-child(4), table.answers td:nth-child(5),
table.answers th:nth-child(4), table.answers th:nth-child(5) { white-space: nowrap; }
table.answers td.yes, table.answers td.no, table.answers td.undetermined { background: none !important; }
.badge { display: inline-block; padding: 0.1em 0.8em; border-radius: 999px; color: #fff; font-weight: bold;
         white-space: nowrap; }
.badge.yes { background: var(--yes); }
.badge.no { background: var(--no); }
.badge.undetermined { background: var(--und); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; }
.card { border: 2px solid var(--line); border-left-width: 10px; border-radius: 6px; padding: 10px 14px;
        break-inside: avoid; page-break-inside: avoid; }
.card.yes { border-color: var(--yes); background: #f3faf2; }
.card.no { border-color: var(--no); background: #fdf3f3; }
.card.undetermined { border-color: var(--und); background: #fff9ea; }
.card-head { display: flex; justify-content: space-between; align-items: center; gap: 12px; }
.card .item { font-size: 1.3em; font-weight: bold; }
.card .badge { font-size: 1.5em; padding: 0.05em 0.9em; }
.card .question { margin: 0.5em 0; font-size: 0.92em; color: #333; }
.card dl.meta { grid-template-columns: max-content auto; font-size: 0.95em; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 10px 24px; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
svg.chart { width: 100%; height: auto; max-width: 640px; display: block; font-family: inherit; }
svg.chart text { font-size: 12px; fill: #1a1a1a; }
svg.chart .ttl { font-size: 14px; font-weight: bold; fill: var(--blue); }
svg.chart .val { font-weight: bold; }
svg.chart .seg { fill: #fff; font-weight: bold; font-size: 11px; }
svg.chart .tick { font-size: 11px; }
svg.chart .nodata { fill: #666; font-style: italic; }
svg.chart .axis { stroke: #555; stroke-width: 1; }
.warning { border: 2px solid #c62828; background: #fdecea; color: #8b1a1a; padding: 8px 12px;
           font-weight: bold; }
@page { size: A4; margin: 14mm 12mm 16mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
@media print {
  body { font-size: 9.5pt; line-height: 1.45; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 16pt; }
  h2 { font-size: 12pt; }
  h3 { font-size: 10.5pt; }
  table { font-size: 8pt; }
  th, td { padding: 2px 4px; }
  thead { display: table-header-group; }
  tr, td, th { page-break-inside: avoid; break-inside: avoid; }
  h2, h3, section.checklists dl { page-break-after: avoid; break-after: avoid; }
  .cards { grid-template-columns: 1fr 1fr; }
  .chart-grid { grid-template-columns: 1fr; }
  svg.chart { max-width: 150mm; }
  /* Paper shows what the screen folds: the rows of a folded table, without the toggle. */
  details.rows::details-content { content-visibility: visible; display: contents; }
  details.rows > summary { list-style: none; cursor: auto; color: inherit;
                           page-break-after: avoid; break-after: avoid; }
  details.rows > summary::-webkit-details-marker { display: none; }
  nav.toc { break-inside: avoid; page-break-inside: avoid; }
  nav.toc a { color: inherit; }
}
"#;

fn block(b: Block, lang: Lang, ids: &mut Ids, out: &mut impl Write) -> io::Result<()> {
    match b {
        Block::Title(s) => writeln!(out, "<h1>{}</h1>", Escaped(&s)),
        Block::Heading(s) => writeln!(out, "<h2 id=\"{}\">{}</h2>", ids.next(), Escaped(&s)),
        Block::Subheading(s) => writeln!(out, "<h3>{}</h3>", Escaped(&s)),
        Block::Para(s) => writeln!(out, "<p>{}</p>", Escaped(&s)),
        Block::Warning(s) => writeln!(out, "<p class=\"warning\">{}</p>", Escaped(&s)),
        Block::Fields(fields) => {
            out.write_all(b"<dl>\n")?;
            for (k, v) in fields {
                writeln!(out, "<dt>{}</dt><dd>{}</dd>", Escaped(&k), Escaped(&v))?;
            }
            out.write_all(b"</dl>\n")
        }
        Block::Table(t) => table(t, lang, out),
        Block::Details(caption, t) => {
            // Folded on screen; the print style opens it, so paper shows the rows.
            writeln!(
                out,
                "<details class=\"rows\">\n<summary>{}</summary>",
                Escaped(&caption)
            )?;
            table(t, lang, out)?;
            out.write_all(b"</details>\n")
        }
    }
}

/// The overall answers as cards: item, a large はい/いいえ/判定不能 badge, the question, 確認日,
/// 目標日, 備考 and the counts.
fn answers(
    ev: &Evidence,
    lang: Lang,
    t: &Labels,
    ids: &mut Ids,
    out: &mut impl Write,
) -> io::Result<()> {
    out.write_all(b"<section class=\"answers\">\n")?;
    write!(
        out,
        "<h2 id=\"{}\">{}</h2>\n<div class=\"cards\">\n",
        ids.next(),
        Escaped(t.h_answers)
    )?;
    for a in doc::answer_views(&ev.items, ev.edition_rules.as_ref(), lang) {
        write!(
            out,
            "<article class=\"card {c}\">\n<div class=\"card-head\"><span class=\"item\">{}</span>{}</div>\n<p class=\"question\">{}</p>\n<dl class=\"meta\">",
            Escaped(&a.item),
            badge(a.style.class(), a.answer_text),
            Escaped(&a.question),
            c = a.style.class(),
        )?;
        let dash = |s: &str| {
            if s.is_empty() {
                t.dash.to_string()
            } else {
                s.to_string()
            }
        };
        for (k, v) in [
            (t.checked_on, dash(&a.checked_on)),
            (t.target_date, dash(&a.target_date)),
            (t.remarks, dash(&a.remarks)),
            (t.col_counts, dash(&a.counts)),
        ] {
            write!(out, "<dt>{}</dt><dd>{}</dd>", Escaped(k), Escaped(&v))?;
        }
        out.write_all(b"</dl>\n</article>\n")?;
    }
    out.write_all(b"</div>\n</section>\n")
}

/// 医療機関確認用 / 事業者確認用: the same answers per who manages the systems, as compact tables.
fn checklists(
    views: Vec<doc::ChecklistView>,
    lang: Lang,
    t: &Labels,
    ids: &mut Ids,
    out: &mut impl Write,
) -> io::Result<()> {
    if views.is_empty() {
        return Ok(());
    }
    write!(
        out,
        "<section class=\"checklists\">\n<h2 id=\"{}\">{}</h2>\n<p>{}</p>\n",
        ids.next(),
        Escaped(t.h_checklists),
        Escaped(t.checklists_note)
    )?;
    for ck in views {
        write!(out, "<h3>{}</h3>\n<dl>\n", Escaped(&ck.title))?;
        if let Some(v) = &ck.vendor {
            writeln!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                Escaped(crate::words::share_labels(lang).vendor_name),
                Escaped(v)
            )?;
        }
        write!(
            out,
            "<dt>{}</dt><dd>{}</dd>\n</dl>\n",
            Escaped(t.checklist_systems),
            Escaped(&ck.systems)
        )?;
        out.write_all(b"<table class=\"answers\">\n<thead><tr>")?;
        for h in [
            t.col_item,
            t.col_question,
            t.col_answer,
            t.checked_on,
            t.target_date,
            t.remarks,
            t.col_counts,
        ] {
            write!(out, "<th>{}</th>", Escaped(h))?;
        }
        out.write_all(b"</tr></thead>\n<tbody>\n")?;
        for a in ck.answers {
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                Escaped(&a.item),
                Escaped(&a.question),
                a.style.class(),
                badge(a.style.class(), a.answer_text),
                Escaped(&a.checked_on),
                Escaped(&a.target_date),
                Escaped(&a.remarks),
                Escaped(&a.counts)
            )?;
        }
        out.write_all(b"</tbody>\n</table>\n")?;
    }
    out.write_all(b"</section>\n")
}

/// The three charts: failures by reason, lengths of the recovered passwords, systems by verdict.
fn charts(
    ev: &Evidence,
    lang: Lang,
    t: &Labels,
    ids: &mut Ids,
    out: &mut impl Write,
) -> io::Result<()> {
    let reasons: Vec<Bar> = doc::failure_reasons(ev)
        .into_iter()
        .map(|(code, n)| Bar {
            label: words::code_short(lang, code).to_string(),
            value: n,
            tone: Tone::Fail,
        })
        .collect();
    let legend = [
        (t.len_short.to_string(), Tone::Fail),
        (t.len_mid.to_string(), Tone::Warn),
        (t.len_long.to_string(), Tone::Pass),
    ];
    let series = [
        (
            words::account_status(lang, AccountStatus::Pass).to_string(),
            Tone::Pass,
        ),
        (
            words::account_status(lang, AccountStatus::Fail).to_string(),
            Tone::Fail,
        ),
        (
            words::account_status(lang, AccountStatus::Unverified).to_string(),
            Tone::Warn,
        ),
        (
            words::account_status(lang, AccountStatus::Skipped).to_string(),
            Tone::Muted,
        ),
    ];
    let systems: Vec<StackRow> = doc::system_verdicts(ev)
        .into_iter()
        .map(|(label, v)| StackRow {
            label,
            values: v.to_vec(),
        })
        .collect();
    let figures = [
        svg::hbar_chart(t.chart_reasons, &reasons, t.chart_no_data),
        svg::column_chart(
            t.chart_lengths,
            &length_columns(&doc::recovered_lengths(ev)),
            t.chart_length_axis,
            &legend,
            t.chart_no_data,
        ),
        svg::stacked_bars(t.chart_systems, &series, &systems, t.chart_no_data),
    ];
    write!(
        out,
        "<section class=\"charts\">\n<h2 id=\"{}\">{}</h2>\n<div class=\"chart-grid\">\n",
        ids.next(),
        Escaped(t.h_charts)
    )?;
    for f in figures {
        writeln!(out, "<figure>{f}</figure>")?;
    }
    out.write_all(b"</div>\n</section>\n")
}

/// Histogram columns of password lengths (`lengths`: how many passwords have each length): one
/// per length from min(shortest, 8) to max(longest, 13), capped at 24 (the last column then
/// counts 24 and more); coloured by band.
fn length_columns(lengths: &BTreeMap<usize, usize>) -> Vec<Bar> {
    const CAP: usize = 24;
    let (Some((&lo, _)), Some((&hi, _))) = (lengths.first_key_value(), lengths.last_key_value())
    else {
        return Vec::new();
    };
    let first = lo.min(8);
    let last = hi.clamp(13, CAP);
    (first..=last)
        .map(|n| {
            let value = if n == CAP {
                lengths.range(CAP..).map(|(_, c)| c).sum()
            } else {
                lengths.get(&n).copied().unwrap_or(0)
            };
            let tone = match n {
                0..=7 => Tone::Fail,
                8..=12 => Tone::Warn,
                _ => Tone::Pass,
            };
            let label = if n == CAP && hi > CAP {
                format!("{CAP}+")
            } else {
                n.to_string()
            };
            Bar { label, value, tone }
        })
        .collect()
}

fn badge(class: &str, text: &str) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        Escaped(class),
        Escaped(text)
    )
}

/// Writes the table row by row, as its rows are made: at most [`doc::TABLE_ROWS`] rows and
/// [`doc::CELL_LINES`] lines a cell, then a line saying how many rows are left out (the workbook,
/// the CSV and the JSON have them all).
fn table(t: Table, lang: Lang, out: &mut impl Write) -> io::Result<()> {
    // A table of a few columns (counts per system) is as wide as its content, not the page.
    match t.head.len() <= 4 {
        true => out.write_all(b"<table class=\"auto\">\n<thead><tr>")?,
        false => out.write_all(b"<table>\n<thead><tr>")?,
    }
    // A short head (システム, アカウント) stays whole above a narrow column of ids, unless
    // the table has so many columns that whole heads would not fit across the page.
    let few = t.head.len() <= 9;
    for h in &t.head {
        match few && (h.chars().count() <= 5 || (h.is_ascii() && !h.contains(' '))) {
            true => write!(out, "<th class=\"k\">{}</th>", Escaped(h))?,
            false => write!(out, "<th>{}</th>", Escaped(h))?,
        }
    }
    out.write_all(b"</tr></thead>\n<tbody>\n")?;
    let mut rows = t.rows;
    let mut shown = 0;
    for row in rows.by_ref().take(doc::TABLE_ROWS) {
        shown += 1;
        out.write_all(b"<tr>")?;
        for c in row {
            let classes: Vec<&str> = c
                .style
                .map(|s| s.class())
                .into_iter()
                .chain(fit(&c))
                .collect();
            if classes.is_empty() {
                out.write_all(b"<td>")?;
            } else {
                write!(out, "<td class=\"{}\">", Escaped(&classes.join(" ")))?;
            }
            for (i, line) in doc::shown_lines(lang, &c.lines).iter().enumerate() {
                if i > 0 {
                    out.write_all(b"<br>")?;
                }
                write!(out, "{}", Escaped(line))?;
            }
            out.write_all(b"</td>")?;
        }
        out.write_all(b"</tr>\n")?;
    }
    out.write_all(b"</tbody>\n</table>\n")?;
    let left_out = t
        .total
        .map_or_else(|| rows.count(), |n| n.saturating_sub(shown));
    if left_out > 0 {
        let more = (t.more)(lang, left_out);
        writeln!(out, "<p class=\"more\">{}</p>", Escaped(&more))?;
    }
    Ok(())
}

/// How a cell's text may wrap: a number (`n`) and a short token such as an id, an account, a
/// system, a code or a file:line (`k`) never break; a very long token (`w`) breaks anywhere
/// rather than widen the table past the page; other text wraps between words (Japanese text,
/// which has no spaces, between characters).
fn fit(c: &doc::Cell) -> Option<&'static str> {
    /// Longer ASCII tokens than this are not kept whole: no column of a printed page is wider.
    const TOKEN: usize = 32;
    /// Japanese words up to this many characters (a verdict, a short label) are kept whole.
    const WORD: usize = 8;
    if matches!(c.kind, doc::Kind::Number(_)) {
        return Some("n");
    }
    let token = |l: &str| !l.is_empty() && !l.contains(char::is_whitespace);
    if c.lines.is_empty() || !c.lines.iter().all(|l| token(l)) {
        return None;
    }
    let short = |l: &str| {
        let n = l.chars().count();
        n <= WORD || (l.is_ascii() && n <= TOKEN)
    };
    if c.lines.iter().all(|l| short(l)) {
        Some("k")
    } else if c.lines.iter().all(|l| l.is_ascii()) {
        Some("w")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{self, EVIL_NAME};

    fn pos(hay: &str, needle: &str) -> usize {
        hay.find(needle)
            .unwrap_or_else(|| panic!("missing {needle:?}"))
    }

    /// The section headings of a document: (id, escaped text), in order.
    fn headings(html: &str) -> Vec<(String, String)> {
        html.split("<h2 id=\"")
            .skip(1)
            .map(|x| {
                let (id, rest) = x.split_once("\">").unwrap();
                (
                    id.to_string(),
                    rest.split("</h2>").next().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Where the section heading `text` starts.
    fn h2_pos(html: &str, text: &str) -> usize {
        let (id, _) = headings(html)
            .into_iter()
            .find(|(_, h)| h == text)
            .unwrap_or_else(|| panic!("no heading {text:?}"));
        pos(html, &format!("<h2 id=\"{id}\">"))
    }

    const EVIL_ESCAPED: &str =
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|`tick`␊line2␀␛[31m";

    #[test]
    fn self_contained_and_escaped() {
        for lang in [Lang::Ja, Lang::En] {
            let html = render(&fixture::sample(true), lang);
            assert!(html.ends_with("</html>\n"));
            assert!(html.contains("<meta charset=\"utf-8\">"));
            assert!(html.contains("<style>"));
            let lower = html.to_ascii_lowercase();
            for banned in [
                "<script",
                "<link",
                "<img",
                "<iframe",
                "<object",
                "<embed",
                "<base",
                "<meta http",
                "@import",
                "url(",
                "javascript:",
            ] {
                assert!(!lower.contains(banned), "{banned}");
            }
            // No tag refers to anything outside the file (account names may quote URLs as
            // text, escaped): no src/href, no URL and no event handler in any tag.
            for tag in lower
                .split('<')
                .skip(1)
                .map(|r| r.split('>').next().unwrap())
            {
                // The table of contents links within the page, to a heading's id.
                let tag = match tag.strip_prefix("a href=\"#sec-") {
                    Some(rest) => {
                        let (n, end) = rest.split_once('"').unwrap();
                        assert!(n.parse::<usize>().is_ok() && end.is_empty(), "<{tag}>");
                        "a"
                    }
                    None => tag,
                };
                for banned in ["src=", "href=", "http:", "https:", "//", "xmlns"] {
                    assert!(!tag.contains(banned), "{banned} in <{tag}>");
                }
                assert!(
                    !tag.split_whitespace().skip(1).any(|a| a.starts_with("on")),
                    "event handler in <{tag}>"
                );
            }
            assert!(html.contains(EVIL_ESCAPED));
            assert_eq!(
                html.matches("<table").count(),
                html.matches("</table>").count()
            );
            assert_eq!(html.matches("<tr>").count(), html.matches("</tr>").count());
            assert_eq!(
                html.matches("<svg ").count(),
                html.matches("</svg>").count()
            );
            assert_eq!(
                html.matches("<section").count(),
                html.matches("</section>").count()
            );
        }
        let ja = render(&fixture::sample(true), Lang::Ja);
        assert!(ja.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
        assert!(ja.contains("<title>パスワード監査エビデンス — コロ病院</title>"));
        assert!(ja.contains("@page { size: A4;"));
        assert!(ja.contains("\"Noto Sans CJK JP\", \"Hiragino Sans\""));
        assert!(ja.contains("thead { display: table-header-group; }"));
    }

    #[test]
    fn answers_come_before_everything_else() {
        for lang in [Lang::Ja, Lang::En] {
            let t = words::labels(lang);
            let html = render(&fixture::sample(false), lang);
            let first_h2 = pos(&html, "<h2 ");
            assert_eq!(first_h2, h2_pos(&html, t.h_answers));
            let answers = pos(&html, "<section class=\"answers\">");
            assert!(answers < first_h2 + 1 || answers < first_h2);
            // Both answers, with their badges, before any table, chart or other section.
            let cards_end = pos(&html, "</section>");
            assert_eq!(
                html[answers..cards_end]
                    .matches("<article class=\"card")
                    .count(),
                2
            );
            for later in [pos(&html, "<table"), pos(&html, "<svg ")] {
                assert!(cards_end < later);
            }
            for later in [
                t.h_checklists,
                t.h_charts,
                t.h_systems,
                t.h_vendors,
                t.h_failing,
            ] {
                assert!(cards_end < h2_pos(&html, later), "{later}");
            }
            // The summary page: the answers, the split checklists, then the signature block and
            // the table of contents, before the charts and the details.
            let sign = pos(&html, "<section class=\"sign\">");
            let toc = pos(&html, "<nav class=\"toc\"");
            assert!(h2_pos(&html, t.h_checklists) < sign && sign < toc);
            assert!(toc < h2_pos(&html, t.h_charts));
            // Only the title, the facts of the run and the incomplete warning precede them.
            let before = &html[pos(&html, "<main>")..answers];
            assert!(before.contains("<h1>") && before.contains("class=\"warning\""));
            assert!(!before.contains("<h2") && !before.contains("<table"));
        }
    }

    #[test]
    fn answer_cards_show_badges_dates_and_remarks() {
        let ja = render(&fixture::sample(false), Lang::Ja);
        let cards = &ja[pos(&ja, "<section class=\"answers\">")..];
        let cards = &cards[..pos(cards, "</section>")];
        assert!(cards.contains(
            "<article class=\"card no\">\n<div class=\"card-head\"><span class=\"item\">令和7年度版 2-⑦</span><span class=\"badge no\">いいえ</span></div>"
        ));
        assert!(cards.contains("パスワードの使い回しを禁止している"));
        assert!(cards.contains("<dt>確認日</dt><dd>2026-11-24</dd><dt>目標日</dt><dd>2027-03-31</dd><dt>備考</dt><dd>ad01 に不合格 1 件</dd>"));
        assert!(cards.contains("<dt>内訳</dt><dd>不合格 2、未検証 1、合格 1</dd>"));
        // The vendor checklist: はい and 判定不能 badges, no 目標日 for はい.
        let vendor = &ja[pos(&ja, "<h3>事業者確認用 (MedNet Systems)</h3>")..];
        assert!(vendor.contains(
            "<td class=\"yes\"><span class=\"badge yes\">はい</span></td><td>2026-11-24</td><td></td>"
        ));
        assert!(vendor.contains("<span class=\"badge undetermined\">判定不能</span></td><td>2026-11-24</td><td></td><td>rt01 未検証</td>"));
        assert!(
            pos(&ja, "<h3>医療機関確認用</h3>")
                < pos(&ja, "<h3>事業者確認用 (MedNet Systems)</h3>")
        );
        assert!(ja.contains("<p class=\"warning\">注意：このエビデンスは不完全です。"));
        assert!(ja.contains("<dd>Pwned Passwords by haveibeenpwned.com, CC BY 4.0</dd>"));

        let en = render(&fixture::sample(true), Lang::En);
        assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(en.contains("<span class=\"badge no\">No</span>"));
        assert!(en.contains("<span class=\"badge undetermined\">Undetermined</span>"));
        assert!(en.contains("<h3>For the facility</h3>"));
        assert!(en.contains("The password is empty"));
        assert!(!en.contains("class=\"warning\""));
        assert!(!en.contains("はい"));
    }

    #[test]
    fn three_charts_with_titles_and_data() {
        let ja = render(&fixture::sample(true), Lang::Ja);
        let charts = &ja[pos(&ja, "<section class=\"charts\">")..];
        let charts = &charts[..pos(charts, "</section>")];
        assert_eq!(charts.matches("<svg ").count(), 3);
        assert_eq!(ja.matches("<svg ").count(), 3);
        let t = words::labels(Lang::Ja);
        for title in [t.chart_reasons, t.chart_lengths, t.chart_systems] {
            assert!(
                charts.contains(&format!("<title>{title}</title>")),
                "{title}"
            );
            assert!(
                charts.contains(&format!("aria-label=\"{title}\"")),
                "{title}"
            );
        }
        // Failing accounts of the sample: yoshida@ad01 (too short, breached, reused), the
        // hostile pc-01 account (empty), yoshida@rt01 (reused): reuse counts 2.
        assert!(charts.contains("<title>システム間の使い回し: 2</title>"));
        assert!(charts.contains("<title>空のパスワード: 1</title>"));
        assert!(
            !charts.contains("英数記号以外の文字"),
            "warnings are not failures"
        );
        // Recovered lengths 10 and 16; systems with their verdict segments.
        assert!(charts.contains("<title>10: 1</title>") && charts.contains("<title>16: 1</title>"));
        assert!(charts.contains("<title>ad01 — 合格: 1</title>"));
        assert!(charts.contains(">13文字以上</text>"));
        assert!(!charts.contains("データなし"));
    }

    #[test]
    fn hostile_names_are_escaped_in_tables_and_charts() {
        let mut ev = fixture::sample(true);
        let evil = format!("{EVIL_NAME}&'");
        for s in &mut ev.systems {
            if s.id == "pc-01" {
                s.id = evil.clone();
            }
        }
        for a in &mut ev.accounts {
            if &*a.system == "pc-01" {
                a.system = evil.as_str().into();
            }
        }
        let html = render(&ev, Lang::Ja);
        assert!(!html.to_ascii_lowercase().contains("<script"));
        let escaped = format!("{EVIL_ESCAPED}&amp;&#39;");
        let charts = &html[pos(&html, "<section class=\"charts\">")..];
        let (charts, tables) = charts.split_at(pos(charts, "</section>"));
        assert!(
            charts.contains(&format!(">{escaped}</text>")),
            "chart label"
        );
        assert!(charts.contains(&format!("<title>{escaped} — 不合格: 1</title>")));
        assert!(
            tables.contains(&format!("<td>{escaped}</td>")),
            "systems table"
        );
        // The hostile account name itself, in the failing accounts table.
        assert!(tables.contains(&format!("<td>{EVIL_ESCAPED}</td>")));
    }

    #[test]
    fn empty_evidence_charts_say_no_data() {
        let mut ev = fixture::sample(true);
        ev.accounts.clear();
        ev.systems.clear();
        let html = render(&ev, Lang::En);
        assert_eq!(html.matches("<svg ").count(), 3);
        assert_eq!(html.matches(">No data</text>").count(), 3);
        assert!(!html.contains("NaN") && !html.contains("inf\""));
    }

    #[test]
    fn length_columns_bins_and_bands() {
        let length_columns = |lengths: &[usize]| {
            let mut counts = BTreeMap::new();
            for &n in lengths {
                *counts.entry(n).or_default() += 1;
            }
            super::length_columns(&counts)
        };
        assert!(length_columns(&[]).is_empty());
        let cols = length_columns(&[10, 10, 16]);
        let labels: Vec<&str> = cols.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels.first(), Some(&"8"));
        assert_eq!(labels.last(), Some(&"16"));
        assert_eq!(cols.iter().map(|c| c.value).sum::<usize>(), 3);
        assert_eq!(cols.iter().find(|c| c.label == "10").unwrap().value, 2);
        assert_eq!(cols[0].tone, Tone::Warn);
        assert_eq!(cols.last().unwrap().tone, Tone::Pass);
        let cols = length_columns(&[0, 5, 40, 30]);
        assert_eq!(cols[0].label, "0");
        assert_eq!(cols[0].tone, Tone::Fail);
        let last = cols.last().unwrap();
        assert_eq!((last.label.as_str(), last.value), ("24+", 2));
        assert_eq!(cols.len(), 25);
    }

    #[test]
    fn same_sections_as_markdown_plus_charts() {
        for lang in [Lang::Ja, Lang::En] {
            let ev = fixture::sample(false);
            let html = render(&ev, lang);
            let md = crate::report::markdown::render(&ev, lang);
            let h2 = |s: &str, open: &str, close: &str| -> Vec<String> {
                s.split(open)
                    .skip(1)
                    .map(|x| x.split(close).next().unwrap().to_string())
                    .collect()
            };
            let charts = super::super::markup::escape(words::labels(lang).h_charts);
            let html_heads: Vec<String> = headings(&html)
                .into_iter()
                .map(|(_, h)| h)
                .filter(|h| *h != charts)
                .collect();
            let md_heads: Vec<String> = h2(&md, "\n## ", "\n");
            assert_eq!(html_heads, md_heads);
            assert!(html_heads.len() >= 15);
        }
    }

    #[test]
    fn contents_link_every_heading_in_order() {
        for lang in [Lang::Ja, Lang::En] {
            let html = render(&fixture::sample(true), lang);
            let heads = headings(&html);
            let nav = &html[pos(&html, "<nav class=\"toc\"")..];
            let nav = &nav[..pos(nav, "</nav>")];
            let links: Vec<(String, String)> = nav
                .split("<li><a href=\"#")
                .skip(1)
                .map(|x| {
                    let (id, rest) = x.split_once("\">").unwrap();
                    (
                        id.to_string(),
                        rest.split("</a>").next().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(links, heads, "one link per heading, same text, same order");
            let ids: std::collections::BTreeSet<&String> = heads.iter().map(|(id, _)| id).collect();
            assert_eq!(ids.len(), heads.len(), "ids are unique");
            assert!(heads.len() >= 15);
        }
    }

    #[test]
    fn print_style_numbers_pages_and_keeps_ids_whole() {
        let ja = render(&fixture::sample(true), Lang::Ja);
        assert!(ja.contains("@bottom-center { content: counter(page) \" / \" counter(pages);"));
        assert!(ja.contains("td.k, td.n { white-space: nowrap; }"));
        assert!(ja.contains("tr, td, th { page-break-inside: avoid; break-inside: avoid; }"));
        assert!(ja.contains("details.rows::details-content { content-visibility: visible;"));
        // The signature block: three blank boxes to fill in by hand.
        let sign = &ja[pos(&ja, "<section class=\"sign\">")..];
        let sign = &sign[..pos(sign, "</section>")];
        assert!(sign.contains(
            "<tr><th>確認者</th><td></td><th>確認日</th><td></td><th>所属</th><td></td></tr>"
        ));
        let en = render(&fixture::sample(true), Lang::En);
        assert!(en.contains("<th>Reviewed by</th><td></td><th>Date</th><td></td>"));
        // Ids, accounts and file:line cells are kept whole; sentences wrap.
        assert!(ja.contains("<td class=\"k\">ad01</td><td class=\"k\">yoshida</td>"));
        assert!(ja.contains("<td class=\"k\">ad01-ntds.txt:4</td>"));
    }

    #[test]
    fn cells_keep_tokens_whole_and_wrap_sentences() {
        let cell = |lines: &[&'static str]| doc::Cell::lines(lines.iter().copied());
        assert_eq!(fit(&cell(&["ad01"])), Some("k"));
        assert_eq!(fit(&cell(&["KORO\\yamada", "ad01-ntds.txt:12"])), Some("k"));
        assert_eq!(fit(&cell(&["不合格"])), Some("k"));
        assert_eq!(fit(&doc::Cell::number(12)), Some("n"));
        assert_eq!(fit(&cell(&["the password is too short"])), None);
        assert_eq!(
            fit(&cell(&["ロックされている（パスワードでログインできない）"])),
            None
        );
        assert_eq!(fit(&cell(&[""])), None);
        let long = "a".repeat(40);
        assert_eq!(fit(&doc::Cell::text(long)), Some("w"));
    }

    #[test]
    fn long_tables_stop_with_what_is_left_out() {
        let head = ["a", "b"];
        let rows = (0..doc::TABLE_ROWS + 7).map(|i| {
            let many = (0..9).map(|j| format!("m{i}-{j}"));
            vec![doc::Cell::number(i), doc::Cell::lines(many)]
        });
        let mut out = Vec::new();
        let t = doc::Table {
            head: head.to_vec(),
            rows: Box::new(rows),
            more: words::rows_left_out,
            total: None,
        };
        table(t, Lang::Ja, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert_eq!(html.matches("<tr>").count(), 1 + doc::TABLE_ROWS);
        assert!(html.contains(&format!("<td class=\"n\">{}</td>", doc::TABLE_ROWS - 1)));
        assert!(!html.contains(&format!(">{}</td>", doc::TABLE_ROWS)));
        assert!(html.ends_with(
            "<p class=\"more\">ほか 7 件は evidence.xlsx / evidence.csv を参照（全件は evidence.json にも記録）</p>\n"
        ));
        // A cell of nine lines shows the first four and how many more.
        let keep = doc::CELL_LINES - 1;
        assert!(html.contains(&format!("m0-{}<br>…ほか {} 件</td>", keep - 1, 9 - keep)));
        assert!(!html.contains(&format!("m0-{keep}<")));
    }

    #[test]
    fn a_table_of_known_length_makes_only_the_rows_it_shows() {
        let made = std::rc::Rc::new(std::cell::Cell::new(0));
        let count = made.clone();
        let rows = (0..1000).map(move |i| {
            count.set(count.get() + 1);
            vec![doc::Cell::number(i)]
        });
        let t = doc::Table {
            head: vec!["n"],
            rows: Box::new(rows),
            more: words::rows_left_out,
            total: Some(1000),
        };
        let mut out = Vec::new();
        table(t, Lang::En, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert_eq!(made.get(), doc::TABLE_ROWS);
        assert!(
            html.contains(&format!("{} more: see", 1000 - doc::TABLE_ROWS)),
            "{html}"
        );
    }
}
