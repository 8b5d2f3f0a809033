//! Inline SVG charts for evidence.html, built as plain strings (no crates, no scripts): every chart
//! carries a `<title>` and visible text labels, every label is escaped, and empty data renders a
//! "no data" note instead of dividing by zero.

use super::markup::escape;

/// The colour family of a bar or segment (also shown in the legend).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Fail,
    Warn,
    Pass,
    Muted,
    Neutral,
}

impl Tone {
    /// The fill colour.
    pub fn color(self) -> &'static str {
        match self {
            Tone::Fail => "#c62828",
            Tone::Warn => "#e39b00",
            Tone::Pass => "#2e7d32",
            Tone::Muted => "#9aa5b1",
            Tone::Neutral => "#1f4e79",
        }
    }
}

/// One bar: a label, a count and a colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub tone: Tone,
}

/// One row of a stacked bar chart: a label and one count per series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackRow {
    pub label: String,
    pub values: Vec<usize>,
}

/// Width of every chart in SVG user units (scaled to the page by CSS).
pub const WIDTH: usize = 640;

/// Horizontal bars, one per entry, longest = largest value; the count is printed after each bar.
pub fn hbar_chart(title: &str, bars: &[Bar], no_data: &str) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    if max == 0 {
        return empty(title, no_data);
    }
    let label_w = label_width(bars.iter().map(|b| b.label.as_str()));
    let area = (WIDTH - label_w - 50) as f64;
    let top = 34;
    let row = 24;
    let height = top + row * bars.len() + 8;
    let mut out = open(title, height);
    for (i, b) in bars.iter().enumerate() {
        let y = top + i * row;
        let w = b.value as f64 * area / max as f64;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text>",
            label_w - 8,
            y + 15,
            escape(&b.label)
        ));
        out.push_str(&format!(
            "<rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
            y + 3,
            row - 6,
            b.tone.color(),
            escape(&b.label),
            b.value
        ));
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" class=\"val\">{}</text>",
            label_w as f64 + w + 6.0,
            y + 15,
            b.value
        ));
    }
    out.push_str("</svg>");
    out
}

/// Vertical columns (a histogram), one per entry, labelled below; `x_label` names the axis and
/// `legend` explains the colours.
pub fn column_chart(
    title: &str,
    columns: &[Bar],
    x_label: &str,
    legend: &[(String, Tone)],
    no_data: &str,
) -> String {
    let max = columns.iter().map(|b| b.value).max().unwrap_or(0);
    if max == 0 {
        return empty(title, no_data);
    }
    let left = 16.0;
    let right = 16.0;
    let top = if legend.is_empty() { 40.0 } else { 60.0 };
    let plot_h = 150.0;
    let height = top as usize + plot_h as usize + 44;
    let base = top + plot_h;
    let slot = (WIDTH as f64 - left - right) / columns.len() as f64;
    let bar_w = (slot * 0.8).max(1.0);
    let mut out = open(title, height);
    legend_row(legend, 40, &mut out);
    for (i, c) in columns.iter().enumerate() {
        let h = c.value as f64 * plot_h / max as f64;
        let x = left + i as f64 * slot + (slot - bar_w) / 2.0;
        let cx = x + bar_w / 2.0;
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {}</title></rect>",
            base - h,
            c.tone.color(),
            escape(&c.label),
            c.value
        ));
        if c.value > 0 {
            out.push_str(&format!(
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"val\">{}</text>",
                base - h - 4.0,
                c.value
            ));
        }
        out.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"tick\">{}</text>",
            base + 14.0,
            escape(&c.label)
        ));
    }
    out.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" class=\"axis\"/>",
        WIDTH as f64 - right
    ));
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"lbl\">{}</text>",
        WIDTH / 2,
        height - 6,
        escape(x_label)
    ));
    out.push_str("</svg>");
    out
}

/// Horizontal stacked bars: one row per entry, one segment per series (colours from `series`),
/// bar length proportional to the row's total; the total is printed after each bar.
pub fn stacked_bars(
    title: &str,
    series: &[(String, Tone)],
    rows: &[StackRow],
    no_data: &str,
) -> String {
    let total = |r: &StackRow| r.values.iter().sum::<usize>();
    let max = rows.iter().map(total).max().unwrap_or(0);
    if max == 0 || series.is_empty() {
        return empty(title, no_data);
    }
    let label_w = label_width(rows.iter().map(|r| r.label.as_str()));
    let area = (WIDTH - label_w - 50) as f64;
    let top = 60;
    let row = 24;
    let height = top + row * rows.len() + 8;
    let mut out = open(title, height);
    legend_row(series, 40, &mut out);
    for (i, r) in rows.iter().enumerate() {
        let y = top + i * row;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text>",
            label_w - 8,
            y + 15,
            escape(&r.label)
        ));
        let mut x = label_w as f64;
        for (v, (name, tone)) in r.values.iter().zip(series) {
            if *v == 0 {
                continue;
            }
            let w = *v as f64 * area / max as f64;
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{} — {}: {}</title></rect>",
                y + 3,
                row - 6,
                tone.color(),
                escape(&r.label),
                escape(name),
                v
            ));
            if w >= 16.0 {
                out.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" class=\"seg\">{}</text>",
                    x + w / 2.0,
                    y + 15,
                    v
                ));
            }
            x += w;
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" class=\"val\">{}</text>",
            x + 6.0,
            y + 15,
            total(r)
        ));
    }
    out.push_str("</svg>");
    out
}

/// The opening `<svg>` with its accessible title and the visible heading.
fn open(title: &str, height: usize) -> String {
    let t = escape(title);
    format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{t}\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\">\
         <title>{t}</title><text x=\"0\" y=\"18\" class=\"ttl\">{t}</text>"
    )
}

/// A chart with nothing to draw: its title and the note.
fn empty(title: &str, no_data: &str) -> String {
    let mut out = open(title, 70);
    out.push_str(&format!(
        "<text x=\"{}\" y=\"50\" text-anchor=\"middle\" class=\"nodata\">{}</text></svg>",
        WIDTH / 2,
        escape(no_data)
    ));
    out
}

/// A legend line of coloured squares and names at `y`.
fn legend_row(items: &[(String, Tone)], y: usize, out: &mut String) {
    let mut x = 0.0;
    for (name, tone) in items {
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{}\" class=\"lgd\">{}</text>",
            y - 10,
            tone.color(),
            x + 16.0,
            y,
            escape(name)
        ));
        x += 16.0 + text_width(name) + 18.0;
    }
}

/// Room for the row labels: the widest label, between 60 and 260 units.
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    let widest = labels.map(text_width).fold(0.0, f64::max);
    (widest + 14.0).clamp(60.0, 260.0) as usize
}

/// Estimated width of `s` at 12px: CJK and other wide characters count double.
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 7.0 } else { 12.5 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: usize) -> Bar {
        Bar {
            label: label.into(),
            value,
            tone: Tone::Fail,
        }
    }

    /// The `width` (or `height`) attribute values of the `<rect>`s that carry a `<title>`.
    fn rect_attr(svg: &str, attr: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter(|r| r.contains("><title>"))
            .map(|r| {
                let key = format!(" {attr}=\"");
                let from = r.find(&key).map(|p| p + key.len()).unwrap_or_else(|| {
                    let key = format!("{attr}=\"");
                    r.find(&key).unwrap() + key.len()
                });
                r[from..from + r[from..].find('"').unwrap()]
                    .parse()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn hbar_lengths_are_proportional_and_labelled() {
        let svg = hbar_chart(
            "理由",
            &[bar("短い", 4), bar("漏えい", 2), bar("空", 1)],
            "なし",
        );
        assert!(svg.starts_with("<svg "));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("<title>理由</title>"));
        let w = rect_attr(&svg, "width");
        assert_eq!(w.len(), 3);
        assert!((w[0] / w[1] - 2.0).abs() < 0.01, "{w:?}");
        assert!((w[0] / w[2] - 4.0).abs() < 0.01, "{w:?}");
        assert!(svg.contains(">短い</text>") && svg.contains(">4</text>"));
    }

    #[test]
    fn column_heights_are_proportional() {
        let cols = [bar("7", 3), bar("8", 0), bar("9", 6)];
        let legend = [("8文字未満".to_string(), Tone::Fail)];
        let svg = column_chart("長さ", &cols, "文字数", &legend, "なし");
        let h = rect_attr(&svg, "height");
        assert_eq!(h.len(), 3);
        assert_eq!(h[1], 0.0);
        assert!((h[2] / h[0] - 2.0).abs() < 0.01, "{h:?}");
        assert!(svg.contains(">文字数</text>"));
        assert!(svg.contains(">8文字未満</text>"));
    }

    #[test]
    fn stacked_segments_follow_values() {
        let series = [
            ("pass".to_string(), Tone::Pass),
            ("fail".to_string(), Tone::Fail),
        ];
        let rows = [
            StackRow {
                label: "ad01".into(),
                values: vec![1, 3],
            },
            StackRow {
                label: "rt01".into(),
                values: vec![0, 2],
            },
        ];
        let svg = stacked_bars("systems", &series, &rows, "none");
        let w = rect_attr(&svg, "width");
        // ad01: two segments, rt01: one (zero segments are left out).
        assert_eq!(w.len(), 3);
        assert!((w[1] / w[0] - 3.0).abs() < 0.01, "{w:?}");
        assert!((w[2] / w[0] - 2.0).abs() < 0.01, "{w:?}");
        assert!(svg.contains("<title>ad01 — fail: 3</title>"));
        assert!(svg.contains(">4</text>"), "total of ad01");
    }

    #[test]
    fn empty_data_renders_a_note() {
        for svg in [
            hbar_chart("t", &[], "データなし"),
            hbar_chart("t", &[bar("x", 0)], "データなし"),
            column_chart("t", &[], "x", &[], "データなし"),
            stacked_bars("t", &[("a".into(), Tone::Pass)], &[], "データなし"),
        ] {
            assert!(svg.contains("<title>t</title>"));
            assert!(svg.contains("データなし"));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let evil = "<script>alert(\"x\")</script>&'";
        let svg = hbar_chart(evil, &[bar(evil, 1)], evil);
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
        let svg = stacked_bars(
            "t",
            &[(evil.into(), Tone::Fail)],
            &[StackRow {
                label: evil.into(),
                values: vec![2],
            }],
            "n",
        );
        assert!(!svg.contains("<script"));
        let svg = column_chart("t", &[bar(evil, 1)], evil, &[], "n");
        assert!(!svg.contains("<script"));
    }
}
