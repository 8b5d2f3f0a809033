//! evidence.html: one self-contained, printable page (inline CSS, no scripts, no external assets).

use super::doc::{self, Block, Table};
use super::{text, Lang};
use crate::model::evidence::Evidence;

/// Renders the evidence as a complete HTML document in `lang`.
pub fn render(ev: &Evidence, lang: Lang) -> String {
    let blocks = doc::build(ev, lang);
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_else(|| text::labels(lang).doc_title.to_string());
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!("<html lang=\"{}\">\n<head>\n", lang.tag()));
    out.push_str("<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&title)));
    out.push_str("<style>\n");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    for block in &blocks {
        match block {
            Block::Title(s) => out.push_str(&format!("<h1>{}</h1>\n", escape(s))),
            Block::Heading(s) => out.push_str(&format!("<h2>{}</h2>\n", escape(s))),
            Block::Subheading(s) => out.push_str(&format!("<h3>{}</h3>\n", escape(s))),
            Block::Para(s) => out.push_str(&format!("<p>{}</p>\n", escape(s))),
            Block::Warning(s) => out.push_str(&format!("<p class=\"warning\">{}</p>\n", escape(s))),
            Block::Fields(fields) => {
                out.push_str("<dl>\n");
                for (k, v) in fields {
                    out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v)));
                }
                out.push_str("</dl>\n");
            }
            Block::Table(t) => table(t, &mut out),
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Escapes text for HTML element content and quoted attribute values: `& < > " '`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", Meiryo, system-ui, sans-serif;
       font-size: 14px; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 0.3em; border-bottom: 3px solid #1f4e79; padding-bottom: 0.2em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; color: #1f4e79; border-bottom: 1px solid #c8d3df; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 0.5em 0; }
dt { font-weight: bold; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #b7c3d0; padding: 4px 6px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #e8eef5; }
tr:nth-child(even) td { background: #f7f9fb; }
td.yes { background: #e3f4e1 !important; color: #1b5e20; font-weight: bold; }
td.no, td.fail { background: #fde8e8 !important; color: #8b1a1a; }
td.no { font-weight: bold; }
td.undetermined, td.warn { background: #fff5d6 !important; color: #6b4e00; }
.warning { border: 2px solid #c62828; background: #fdecea; color: #8b1a1a; padding: 8px 12px;
           font-weight: bold; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  thead { display: table-header-group; }
  tr, td, th { page-break-inside: avoid; break-inside: avoid; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  td.yes, td.no, td.fail, td.undetermined, td.warn, th, .warning {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn table(t: &Table, out: &mut String) {
    out.push_str("<table>\n<thead><tr>");
    for h in &t.head {
        out.push_str(&format!("<th>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in row {
            match c.class {
                Some(class) => out.push_str(&format!("<td class=\"{}\">", escape(class))),
                None => out.push_str("<td>"),
            }
            let lines: Vec<String> = c.lines.iter().map(|l| escape(l)).collect();
            out.push_str(&lines.join("<br>"));
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn escape_script_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("a \"b\" & c"), "a &quot;b&quot; &amp; c");
        assert_eq!(escape("&lt;"), "&amp;lt;");
        assert_eq!(escape("コロ病院"), "コロ病院");
    }

    #[test]
    fn self_contained_and_escaped() {
        let html = render(&fixture::sample(true), Lang::Ja);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
        assert!(html.ends_with("</html>\n"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<style>"));
        for banned in ["<script", "<link", "src=", "href=", "@import", "url("] {
            assert!(!html.contains(banned), "{banned}");
        }
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|`tick`\nline2"));
        assert!(html.contains("<title>パスワード監査エビデンス — コロ病院</title>"));
        assert_eq!(
            html.matches("<table>").count(),
            html.matches("</table>").count()
        );
        assert_eq!(html.matches("<tr>").count(), html.matches("</tr>").count());
    }

    #[test]
    fn same_content_order_as_markdown() {
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
            let html_heads = h2(&html, "<h2>", "</h2>");
            let md_heads: Vec<String> = h2(&md, "\n## ", "\n");
            assert_eq!(html_heads, md_heads);
            assert!(html_heads.len() >= 14);
        }
    }

    #[test]
    fn japanese_and_english_content() {
        let ja = render(&fixture::sample(false), Lang::Ja);
        assert!(ja.contains("<h3>医療機関確認用</h3>"));
        assert!(ja.contains("<h3>事業者確認用</h3>"));
        assert!(ja.contains("<td class=\"no\">いいえ</td><td>2026-11-24</td><td>2027-03-31</td>"));
        assert!(ja.contains("<td class=\"yes\">はい</td>"));
        assert!(ja.contains("<td class=\"undetermined\">判定不能</td>"));
        assert!(ja.contains("<p class=\"warning\">注意：このエビデンスは不完全です。"));
        assert!(ja.contains("<dt>確認日</dt><dd>2026-11-24</dd>"));
        assert!(ja.contains("パスワードの使い回しを禁止している"));
        assert!(ja.contains("<dd>Pwned Passwords by haveibeenpwned.com, CC BY 4.0</dd>"));

        let en = render(&fixture::sample(true), Lang::En);
        assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(en.contains("<h3>For the facility</h3>"));
        assert!(en.contains("<h3>For the vendor</h3>"));
        assert!(en.contains("<td class=\"no\">No</td>"));
        assert!(en.contains("<td class=\"undetermined\">Undetermined</td>"));
        assert!(en.contains("The password is empty"));
        assert!(!en.contains("class=\"warning\""));
        assert!(!en.contains("はい"));
    }
}
