//! evidence.md: the human report as Markdown, with every untrusted string escaped.

use super::doc::{self, Block, Table};
use super::Lang;
use crate::model::evidence::Evidence;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

/// Renders the evidence as Markdown in `lang`.
pub fn render(ev: &Evidence, lang: Lang) -> String {
    let mut out = Vec::new();
    write(ev, lang, &mut out).expect("writing into memory cannot fail");
    String::from_utf8(out).expect("the Markdown is UTF-8")
}

/// Writes the Markdown of [`render`] into `out`, block by block and every table row by row (what
/// it holds besides `out` is one row). The document ends with exactly one newline.
pub fn write(ev: &Evidence, lang: Lang, out: &mut impl Write) -> io::Result<()> {
    let mut out = OneTrailingNewline {
        inner: out,
        held: 0,
    };
    for block in doc::build(ev, lang) {
        match block {
            Block::Title(s) => write!(out, "# {}\n\n", Escaped(&s))?,
            Block::Heading(s) => write!(out, "## {}\n\n", Escaped(&s))?,
            Block::Subheading(s) => write!(out, "### {}\n\n", Escaped(&s))?,
            Block::Para(s) => write!(out, "{}\n\n", escape_block(&s))?,
            Block::Warning(s) => write!(out, "> **{}**\n\n", Escaped(&s))?,
            Block::Fields(fields) => {
                for (k, v) in fields {
                    writeln!(out, "- **{}**: {}", Escaped(&k), Escaped(&v))?;
                }
                out.write_all(b"\n")?;
            }
            Block::Table(t) => table(t, lang, &mut out)?,
            Block::Details(caption, t) => {
                write!(out, "{}\n\n", escape_block(&caption))?;
                table(t, lang, &mut out)?;
            }
        }
    }
    out.finish()
}

/// Passes bytes through but holds back the newlines at the end of what was written so far:
/// [`OneTrailingNewline::finish`] ends the document with one newline where the blocks left several.
struct OneTrailingNewline<W> {
    inner: W,
    /// Newlines written last and not passed on yet.
    held: usize,
}

impl<W: Write> OneTrailingNewline<W> {
    fn finish(mut self) -> io::Result<()> {
        if self.held > 0 {
            self.inner.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl<W: Write> Write for OneTrailingNewline<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let newlines = buf.iter().rev().take_while(|&&b| b == b'\n').count();
        let text = &buf[..buf.len() - newlines];
        if !text.is_empty() {
            for _ in 0..self.held {
                self.inner.write_all(b"\n")?;
            }
            self.held = 0;
            self.inner.write_all(text)?;
        }
        self.held += newlines;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Escapes text for inline Markdown and table cells: markup characters get a backslash, `|`
/// cannot end a cell, and control characters, line breaks included, become visible stand-ins
/// ([`super::visible`]: a cell or list item stays on one line).
pub fn escape(s: &str) -> String {
    Escaped(s).to_string()
}

/// Displays a string as [`escape`] does, without building the escaped copy.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = super::visible(self.0);
        let s = &*shown;
        let mut done = 0;
        for (i, c) in s.char_indices() {
            let markup = matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '&'
            );
            if !markup {
                continue;
            }
            f.write_str(&s[done..i])?;
            f.write_char('\\')?;
            f.write_char(c)?;
            done = i + c.len_utf8();
        }
        f.write_str(&s[done..])
    }
}

/// Like [`escape`], and also neutralises a leading character that would start a list or a heading.
fn escape_block(s: &str) -> String {
    let e = escape(s);
    match e.chars().next() {
        Some('-' | '+' | '=') => format!("\\{e}"),
        Some(c) if c.is_ascii_digit() => {
            // `1. ` or `1) ` would start an ordered list.
            let digits = e.chars().take_while(char::is_ascii_digit).count();
            match e[digits..].chars().next() {
                Some(m @ ('.' | ')')) => format!("{}\\{m}{}", &e[..digits], &e[digits + 1..]),
                _ => e,
            }
        }
        _ => e,
    }
}

/// Writes the table row by row, as its rows are made: at most [`doc::TABLE_ROWS`] rows, then a
/// line saying how many are left out (the workbook, the CSV and the JSON have them all).
fn table(t: Table, lang: Lang, out: &mut impl Write) -> io::Result<()> {
    table_row(out, t.head.iter().map(|h| [h]))?;
    table_row(out, t.head.iter().map(|_| ["---"]))?;
    let mut rows = t.rows;
    let mut shown = 0;
    for r in rows.by_ref().take(doc::TABLE_ROWS) {
        shown += 1;
        table_row(out, r.iter().map(|c| doc::shown_lines(lang, &c.lines)))?;
    }
    out.write_all(b"\n")?;
    let left_out = t
        .total
        .map_or_else(|| rows.count(), |n| n.saturating_sub(shown));
    if left_out > 0 {
        write!(out, "{}\n\n", escape_block(&(t.more)(lang, left_out)))?;
    }
    Ok(())
}

/// One table row, `| a | b |`: each cell's lines escaped and joined by `<br>`.
fn table_row<C, L>(out: &mut impl Write, cells: impl Iterator<Item = C>) -> io::Result<()>
where
    C: IntoIterator<Item = L>,
    L: AsRef<str>,
{
    out.write_all(b"| ")?;
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.write_all(b" | ")?;
        }
        for (j, line) in cell.into_iter().enumerate() {
            if j > 0 {
                out.write_all(b"<br>")?;
            }
            write!(out, "{}", Escaped(line.as_ref()))?;
        }
    }
    out.write_all(b" |\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn pos(hay: &str, needle: &str) -> usize {
        hay.find(needle)
            .unwrap_or_else(|| panic!("missing {needle:?} in:\n{hay}"))
    }

    /// The table row (line) that contains `needle`.
    fn row<'a>(md: &'a str, needle: &str) -> &'a str {
        md.lines()
            .find(|l| l.starts_with('|') && l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle:?}"))
    }

    #[test]
    fn japanese_report_content_and_order() {
        let md = render(&fixture::sample(true), Lang::Ja);
        assert!(md.starts_with("# パスワード監査エビデンス — コロ病院\n"));
        assert!(md.contains("- **確認日**: 2026-11-24"));
        assert!(md.contains("令和7年度版"));
        // Answers first, with question, answer, 確認日, 目標日, 備考.
        let head = row(&md, "確認事項");
        assert_eq!(
            head,
            "| 項目 | 確認事項 | 回答 | 確認日 | 目標日 | 備考 | 内訳 |"
        );
        let r7 = row(&md, "令和7年度版 2-⑦");
        assert!(
            r7.contains("パスワードは英数字、記号が混在した8文字以上とし、定期的に変更している")
        );
        assert!(r7.contains("| いいえ | 2026-11-24 | 2027-03-31 |"));
        assert!(r7.contains("不合格 2、未検証 1、合格 1"));
        let r8 = row(&md, "令和7年度版 2-⑧");
        assert!(r8.contains("複数の機器や外部サービス等で同一のパスワードを設定していない"));
        // The vendor checklist: はい has no 目標日, 判定不能 shows.
        let vendor = &md[pos(&md, "### 事業者確認用")..];
        assert!(vendor.contains("| はい | 2026-11-24 |  |"));
        assert!(vendor.contains("| 判定不能 | 2026-11-24 |  | rt01 未検証 |"));
        let order = [
            "## チェックリストの回答",
            "### 医療機関確認用",
            "### 事業者確認用",
            "## システム別の結果",
            "## 不合格のアカウント",
            "## 未検証のアカウント",
            "## 合格のアカウント",
            "## 対象外のアカウント",
            "## パスワードの使い回し",
            "## パスワードポリシー",
            "## NIST SP 800-63B",
            "## 平文の判明状況",
            "## 漏えいパスワード照会",
            "## 入力エラー",
            "## 入力ファイル",
        ];
        let p: Vec<usize> = order.iter().map(|h| pos(&md, h)).collect();
        assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
        // Failing accounts with reasons in plain words.
        let y = row(&md, "ad01-ntds.txt:4");
        assert!(y.contains("パスワードが短すぎます（10 \\< 13"));
        assert!(y.contains("<br>過去に漏えいしたことが知られているパスワードです"));
        assert!(y.contains("［警告］英数字・記号以外の文字"));
        assert!(y.contains("漏えいあり（1207件）"));
        // Unverified: hash prefix cut to 8 characters.
        let u = row(&md, "rt01-shadow:2");
        assert!(u.contains("| $6$round |"), "{u}");
        assert!(!md.contains("$6$rounds"));
        assert!(row(&md, "WS01$").contains("コンピューターアカウント"));
        assert!(row(&md, "suzuki").contains("13文字以上・英数字記号混在・推定困難"));
        let g = md.lines().find(|l| l.starts_with("| R1 |")).unwrap();
        assert!(g.contains("複数システム間"));
        assert!(g.contains("ad01 / yoshida<br>rt01 / yoshida"));
        assert!(g.contains("ソルトなしハッシュが同一<br>判明した平文を他方のハッシュで検証"));
        let pol = row(&md, "ad01-secedit.inf");
        assert!(pol.contains("4種のうち3種（記号は保証されない）"));
        assert!(pol.contains("| 90 |"));
        assert!(
            pol.contains("ポリシーの有効期間が長すぎます（最長でも2か月以内）（90 \\> 60 days）")
        );
        assert!(
            row(&md, "maximum age 90 days").contains("NIST は定期的な変更の強制を推奨していません")
        );
        assert!(md.contains("Pwned Passwords by haveibeenpwned.com, CC BY 4.0"));
        assert!(row(&md, "bad.txt:7").contains("expected 7 fields, found 3"));
        let input = row(&md, "ad01-ntds.txt | pwdump");
        assert!(input.contains("| 0123456789ab |"));
        assert!(!md.contains("0123456789abc"));
        assert!(!md.contains("不完全です"));
        assert!(md.ends_with("含まれません（ハッシュは先頭8文字まで）。\n"));
    }

    #[test]
    fn english_report() {
        let md = render(&fixture::sample(true), Lang::En);
        assert!(md.starts_with("# Password audit evidence — コロ病院\n"));
        assert!(md.contains("- **Checked on**: 2026-11-24"));
        assert!(md.contains("FY2025 (Reiwa 7) edition"));
        let head = row(&md, "Question");
        assert_eq!(
            head,
            "| Item | Question | Answer | Checked on | Target date | Remarks | Counts |"
        );
        let r7 = row(&md, "| 2-⑦ |");
        assert!(r7.contains("at least 8 characters"));
        assert!(r7.contains("| No | 2026-11-24 | 2027-03-31 |"));
        assert!(row(&md, "| 2-⑧ |").contains("same password is not set"));
        assert!(pos(&md, "### For the facility") < pos(&md, "### For the vendor"));
        assert!(md.contains("| Undetermined |"));
        assert!(md.contains("| Yes |"));
        assert!(row(&md, "ad01-ntds.txt:4").contains("The password is too short (10 \\< 13"));
        assert!(row(&md, "WS01$").contains("machine account"));
        assert!(md.lines().any(|l| l.starts_with("| R1 | across systems |")));
        assert!(md.contains("## Breach check"));
        assert!(md.contains("Attribution**: Pwned Passwords by haveibeenpwned.com, CC BY 4.0"));
        assert!(!md.contains("いいえ"));
        assert!(!md.contains("incomplete. Some input"));
    }

    #[test]
    fn incomplete_evidence_is_flagged_in_both_languages() {
        let ja = render(&fixture::sample(false), Lang::Ja);
        assert!(ja.contains("> **注意：このエビデンスは不完全です。"));
        assert!(pos(&ja, "不完全です") < pos(&ja, "## チェックリストの回答"));
        assert!(ja.contains("- **エビデンスの状態**: 不完全"));
        let en = render(&fixture::sample(false), Lang::En);
        assert!(en.contains("> **Warning: this evidence is incomplete."));
        assert!(
            en.contains("incomplete \\(some lookups failed\\)")
                || en.contains("incomplete (some lookups failed)")
        );
    }

    #[test]
    fn hostile_account_names_cannot_break_tables() {
        let md = render(&fixture::sample(true), Lang::En);
        let evil = row(&md, "pc-01.txt:1");
        // Same number of unescaped cell separators as the header of that table.
        let seps = |l: &str| l.len() - l.replace(" | ", "").len();
        let head = row(&md, "| System | Account | Source | Stored as | Length |");
        assert_eq!(seps(evil), seps(head));
        assert!(evil.contains("\\<script\\>alert(\"x\")\\</script\\>\\|\\`tick\\`␊line2␀␛\\[31m"));
        assert!(!md.contains('\0') && !md.contains('\x1b'));
        assert!(!md.contains("<script>"));
        assert!(!md.contains("\nline2"));
    }

    #[test]
    fn trailing_blank_lines_become_one_newline() {
        let collapse = |parts: &[&str]| {
            let mut out = Vec::new();
            let mut w = OneTrailingNewline {
                inner: &mut out,
                held: 0,
            };
            for p in parts {
                w.write_all(p.as_bytes()).unwrap();
            }
            w.finish().unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(collapse(&["# a\n\n", "b\n\n", "\n", ""]), "# a\n\nb\n");
        assert_eq!(collapse(&["a\n", "\n\n", "\nb", "\n"]), "a\n\n\n\nb\n");
        assert_eq!(collapse(&["a"]), "a");
        assert_eq!(collapse(&[]), "");
        assert_eq!(collapse(&["\n\n"]), "\n");
        let md = render(&fixture::sample(true), Lang::Ja);
        assert!(md.ends_with("。\n"));
    }

    #[test]
    fn escape_rules() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("`x`"), "\\`x\\`");
        assert_eq!(escape("a\r\nb"), "a␍␊b");
        assert_eq!(escape("x\u{2028}\u{85}"), "x\\<U+2028\\>\\<U+0085\\>");
        assert_eq!(escape("svc_backup*"), "svc\\_backup\\*");
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("コロ病院 2-⑦"), "コロ病院 2-⑦");
        assert_eq!(escape_block("- item"), "\\- item");
        assert_eq!(escape_block("12. x"), "12\\. x");
        assert_eq!(escape_block("12 x. y"), "12 x. y");
    }
}
