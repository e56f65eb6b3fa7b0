//! `report.html`: one self-contained page — inline CSS and SVG, no scripts, nothing
//! fetched — that prints on A4. A [`Page`] is built by [`run`] (one run or `budget`) or
//! [`sweep`] (a strategy comparison) and written out by [`render`]; every string a user
//! gave (names, descriptions, ids) is escaped here.

pub mod run;
pub mod sweep;

use std::fmt::Write;

use super::lang::Lang;
use super::plots::Chart;

/// A headline number shown up front.
#[derive(Clone, Debug)]
pub struct KeyNumber {
    pub label: String,
    pub value: String,
    pub note: String,
}

/// A table of text cells; the first column is a label, the others are right-aligned.
#[derive(Clone, Debug)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A cell of a [`StrategyTable`]: its value, a smaller line below it (an interval; may be
/// empty) and an optional link (relative address).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub sub: String,
    pub link: Option<String>,
}

impl Cell {
    /// A cell of plain text.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            ..Cell::default()
        }
    }
}

/// A table of strategies: one row per strategy, led by its colour (CSS), cells that wrap
/// rather than scroll so that any number of rows fits the page.
#[derive(Clone, Debug)]
pub struct StrategyTable {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<Cell>)>,
}

/// A cell of a [`HeatTable`]: its value, a smaller line below it, and its shade from 0
/// (lightest) to 1 (darkest), or none for a plain cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeatCell {
    pub text: String,
    pub sub: String,
    pub shade: Option<f64>,
}

/// A heat map as a table: rows led by a colour (like a [`StrategyTable`]), cells shaded
/// from light to dark blue by their value, the text always readable on its shade.
#[derive(Clone, Debug)]
pub struct HeatTable {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<HeatCell>)>,
}

/// A part of a section.
#[derive(Clone, Debug)]
pub enum Block {
    Charts(Vec<Chart>),
    Table(Table),
    Strategies(StrategyTable),
    Heat(HeatTable),
    Paragraph(String),
    /// Links (text, relative address).
    Links(Vec<(String, String)>),
}

/// A titled part of the page.
#[derive(Clone, Debug)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// A whole report page.
#[derive(Clone, Debug)]
pub struct Page {
    pub lang: Lang,
    /// What kind of report (shown above the title).
    pub kind: String,
    pub title: String,
    pub description: String,
    /// Facts about the run in one line each (replications, seed, horizon).
    pub meta: Vec<String>,
    pub key_numbers: Vec<KeyNumber>,
    pub sections: Vec<Section>,
    /// Whether the charts were also written to `plots/` (their captions name the files).
    pub chart_files: bool,
}

/// Escapes text for HTML content and attribute values.
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
:root { --ink: #1b1b1b; --muted: #5a5a5a; --line: #d8d8d8; --accent: #0072b2; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1060px; padding: 24px 28px 48px; line-height: 1.45; font-size: 15px; }
header .kind { color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-size: 12px; margin: 0; }
h1 { font-size: 28px; margin: 4px 0 6px; }
h2 { font-size: 20px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 36px; }
.description { font-size: 16px; margin: 6px 0; max-width: 60em; }
.meta { color: var(--muted); font-size: 13px; margin: 0; padding: 0; list-style: none; }
.meta li { display: inline; } .meta li + li::before { content: " · "; }
.key-numbers { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; margin: 18px 0 8px; }
.key-number { border: 1px solid var(--line); border-left: 5px solid var(--accent); border-radius: 4px; padding: 10px 14px; }
.key-number .label { font-size: 13px; color: var(--muted); }
.key-number .value { font-size: 24px; font-weight: bold; margin: 2px 0; }
.key-number .note { font-size: 12px; color: var(--muted); }
nav ol { columns: 2; column-gap: 40px; font-size: 13px; padding-left: 28px; }
nav li { break-inside: avoid; }
figure.chart { margin: 18px 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; border: 1px solid var(--line); }
figure.chart figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 12px 0 20px; break-inside: auto; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
.table-wrap { overflow-x: auto; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; }
td { white-space: nowrap; }
th { vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
thead th { border-bottom: 2px solid var(--ink); }
tr { break-inside: avoid; }
table.strategies td { white-space: normal; vertical-align: top; }
table.strategies td:first-child { overflow-wrap: anywhere; min-width: 9em; }
table.strategies th { font-size: 12px; }
table.heat td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
table.heat td .ci { color: inherit; opacity: .85; white-space: normal; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px;
  vertical-align: -1px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.ci { display: block; color: var(--muted); font-size: 11px; white-space: nowrap; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; }
  nav { display: none; }
  .key-numbers { grid-template-columns: repeat(4, 1fr); gap: 6px; }
  .key-number .value { font-size: 18px; }
  .table-wrap { overflow: visible; }
  table { font-size: 9px; }
  th, td { padding: 2px 4px; white-space: normal; }
  figure.chart svg { border: none; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The SVG of a chart, ready to inline: without any XML declaration.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// The whole page as HTML.
pub fn render(page: &Page) -> String {
    let l = page.lang.labels();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         {}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n\
         <p class=\"kind\">{}</p>\n<h1>{}</h1>\n",
        l.html_lang,
        super::output::GENERATOR_TAG,
        escape(&page.title),
        escape(&page.kind),
        escape(&page.kind),
        escape(&page.title)
    );
    if !page.description.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"description\">{}</p>",
            escape(&page.description)
        );
    }
    h.push_str("<ul class=\"meta\">");
    for m in &page.meta {
        let _ = write!(h, "<li>{}</li>", escape(m));
    }
    h.push_str("</ul>\n</header>\n<main>\n");
    if !page.key_numbers.is_empty() {
        let _ = writeln!(
            h,
            "<section>\n<h2>{}</h2>\n<div class=\"key-numbers\">",
            escape(l.key_numbers)
        );
        for k in &page.key_numbers {
            let _ = writeln!(
                h,
                "<div class=\"key-number\"><div class=\"label\">{}</div>\
                 <div class=\"value\">{}</div><div class=\"note\">{}</div></div>",
                escape(&k.label),
                escape(&k.value),
                escape(&k.note)
            );
        }
        h.push_str("</div>\n</section>\n");
    }
    let charts: Vec<&Chart> = page
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Charts(c) => Some(c),
            _ => None,
        })
        .flatten()
        .collect();
    if !charts.is_empty() {
        let _ = writeln!(
            h,
            "<nav>\n<h2>{}</h2>\n<ol id=\"chart-list\" data-charts=\"{}\">",
            escape(l.contents),
            charts.len()
        );
        for (subject, links) in contents(&charts) {
            h.push_str("<li>");
            if !subject.is_empty() {
                let _ = write!(h, "{}: ", escape(subject));
            }
            for (i, (kind, name)) in links.iter().enumerate() {
                let _ = write!(
                    h,
                    "{}<a href=\"#chart-{}\">{}</a>",
                    if i > 0 { " · " } else { "" },
                    escape(name),
                    escape(kind)
                );
            }
            h.push_str("</li>\n");
        }
        h.push_str("</ol>\n</nav>\n");
    }
    for s in &page.sections {
        let _ = writeln!(h, "<section>\n<h2>{}</h2>", escape(&s.heading));
        for b in &s.blocks {
            block(&mut h, b, page.chart_files);
        }
        h.push_str("</section>\n");
    }
    let _ = write!(
        h,
        "</main>\n<footer>{} {}</footer>\n</body>\n</html>\n",
        escape(l.printed_from),
        env!("CARGO_PKG_VERSION")
    );
    h
}

/// The list of charts grouped by subject: a title `kind — subject` joins the other charts
/// of its subject (a service's occupancy and waiting charts share a line); a title without
/// ` — ` stands alone. Subjects keep the order of their first chart.
fn contents<'a>(charts: &[&'a Chart]) -> Vec<(&'a str, Vec<(&'a str, &'a str)>)> {
    let mut out: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
    for c in charts {
        let (kind, subject) = c.title.split_once(" — ").unwrap_or((&c.title, ""));
        match out.iter_mut().find(|(s, _)| !s.is_empty() && *s == subject) {
            Some((_, links)) => links.push((kind, &c.name)),
            None => out.push((subject, vec![(kind, &c.name)])),
        }
    }
    out
}

fn block(h: &mut String, b: &Block, chart_files: bool) {
    match b {
        Block::Paragraph(p) => {
            let _ = writeln!(h, "<p>{}</p>", escape(p));
        }
        Block::Links(links) => {
            h.push_str("<ul>\n");
            for (text, href) in links {
                let _ = writeln!(
                    h,
                    "<li><a href=\"{}\">{}</a></li>",
                    escape(href),
                    escape(text)
                );
            }
            h.push_str("</ul>\n");
        }
        Block::Charts(charts) => {
            for c in charts {
                let caption = if chart_files {
                    let n = escape(&c.name);
                    format!("\n<figcaption>plots/{n}.svg · plots/{n}.png</figcaption>")
                } else {
                    String::new()
                };
                let _ = writeln!(
                    h,
                    "<figure class=\"chart\" id=\"chart-{}\">\n{}{caption}\n</figure>",
                    escape(&c.name),
                    inline_svg(&c.svg).trim_end(),
                );
            }
        }
        Block::Strategies(t) => strategy_table(h, t),
        Block::Heat(t) => heat_table(h, t),
        Block::Table(t) => {
            let _ = writeln!(
                h,
                "<div class=\"table-wrap\"><table>\n<caption>{}</caption>",
                escape(&t.caption)
            );
            h.push_str("<thead><tr>");
            for c in &t.header {
                let _ = write!(h, "<th>{}</th>", escape(c));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for r in &t.rows {
                h.push_str("<tr>");
                for c in r {
                    let _ = write!(h, "<td>{}</td>", escape(c));
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody>\n</table></div>\n");
        }
    }
}

/// The opening of a strategy or heat table: the table of `class`, its caption and its
/// header row, up to the body's first row.
fn table_head(h: &mut String, class: &str, caption: &str, header: &[String]) {
    let _ = writeln!(
        h,
        "<table class=\"{class}\">\n<caption>{}</caption>",
        escape(caption)
    );
    h.push_str("<thead><tr>");
    for c in header {
        let _ = write!(h, "<th>{}</th>", escape(c));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
}

/// A [`StrategyTable`]: no wrapper that scrolls; cells wrap.
fn strategy_table(h: &mut String, t: &StrategyTable) {
    table_head(h, "strategies", &t.caption, &t.header);
    for (colour, cells) in &t.rows {
        h.push_str("<tr>");
        for (i, c) in cells.iter().enumerate() {
            h.push_str("<td>");
            if i == 0 {
                let _ = write!(
                    h,
                    "<span class=\"swatch\" style=\"background:{}\"></span>",
                    escape(colour)
                );
            }
            match &c.link {
                Some(href) => {
                    let _ = write!(h, "<a href=\"{}\">{}</a>", escape(href), escape(&c.text));
                }
                None => h.push_str(&escape(&c.text)),
            }
            if !c.sub.is_empty() {
                let _ = write!(h, "<span class=\"ci\">{}</span>", escape(&c.sub));
            }
            h.push_str("</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

/// The background of a heat cell of `shade` (0 to 1: from a light to a dark blue, a
/// sequential scale readable with colour-blindness), and the text colour that reads on it.
fn heat_colours(shade: f64) -> (String, &'static str) {
    let (light, dark) = ((239.0, 243.0, 255.0), (8.0, 69.0, 148.0));
    let t = shade.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    let bg = format!(
        "#{:02x}{:02x}{:02x}",
        mix(light.0, dark.0),
        mix(light.1, dark.1),
        mix(light.2, dark.2)
    );
    (bg, if t > 0.55 { "#ffffff" } else { "#1b1b1b" })
}

/// A [`HeatTable`]: like a strategy table, cells shaded by their value.
fn heat_table(h: &mut String, t: &HeatTable) {
    table_head(h, "strategies heat", &t.caption, &t.header);
    for (colour, cells) in &t.rows {
        h.push_str("<tr>");
        for (i, c) in cells.iter().enumerate() {
            match c.shade {
                Some(x) => {
                    let (bg, fg) = heat_colours(x);
                    let _ = write!(
                        h,
                        "<td style=\"background:{bg};color:{fg}\" data-shade=\"{x:.3}\">"
                    );
                }
                None => h.push_str("<td>"),
            }
            if i == 0 {
                let _ = write!(
                    h,
                    "<span class=\"swatch\" style=\"background:{}\"></span>",
                    escape(colour)
                );
            }
            h.push_str(&escape(&c.text));
            if !c.sub.is_empty() {
                let _ = write!(h, "<span class=\"ci\">{}</span>", escape(&c.sub));
            }
            h.push_str("</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_cells_are_shaded_and_readable() {
        let t = HeatTable {
            caption: "c".into(),
            header: vec!["road".into(), "a".into()],
            rows: vec![(
                "#000000".into(),
                vec![
                    HeatCell {
                        text: "1. x".into(),
                        ..HeatCell::default()
                    },
                    HeatCell {
                        text: "3,2".into(),
                        sub: "<b>".into(),
                        shade: Some(1.0),
                    },
                ],
            )],
        };
        let mut h = String::new();
        heat_table(&mut h, &t);
        assert!(h.contains("background:#084594;color:#ffffff"), "{h}");
        assert!(h.contains("&lt;b&gt;"));
        assert_eq!(heat_colours(0.0), ("#eff3ff".to_string(), "#1b1b1b"));
    }

    #[test]
    fn strategy_tables_escape_colour_text_and_links() {
        let t = StrategyTable {
            caption: "c".into(),
            header: vec!["s".into(), "x".into()],
            rows: vec![(
                "#0072b2\"".into(),
                vec![
                    Cell {
                        text: "a<b".into(),
                        sub: String::new(),
                        link: Some("a b/report.html".into()),
                    },
                    Cell {
                        text: "1,5".into(),
                        sub: "[1,0–2,0]".into(),
                        link: None,
                    },
                ],
            )],
        };
        let mut h = String::new();
        strategy_table(&mut h, &t);
        assert!(h.contains("background:#0072b2&quot;"), "{h}");
        assert!(h.contains("<a href=\"a b/report.html\">a&lt;b</a>"));
        assert!(h.contains("1,5<span class=\"ci\">[1,0–2,0]</span>"));
        assert!(!h.contains("table-wrap"));
    }

    #[test]
    fn charts_of_one_subject_share_a_line_of_contents() {
        let c = |name: &str, title: &str| Chart {
            name: name.into(),
            title: title.into(),
            svg: String::new(),
            png: vec![],
        };
        let charts = [c("a", "A — x"), c("b", "Cost"), c("c", "B — x")];
        let refs: Vec<&Chart> = charts.iter().collect();
        let lines = contents(&refs);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], ("x", vec![("A", "a"), ("B", "c")]));
        assert_eq!(lines[1], ("", vec![("Cost", "b")]));
    }

    #[test]
    fn user_strings_are_escaped_and_charts_listed() {
        let chart = Chart {
            name: "c1".into(),
            title: "T <1>".into(),
            svg: "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 1 1\"><rect/></svg>".into(),
            png: vec![],
        };
        let page = Page {
            lang: Lang::En,
            kind: "Report".into(),
            title: "<script>alert(1)</script>".into(),
            description: "a & b \"c\"".into(),
            meta: vec!["4 replications".into()],
            key_numbers: vec![KeyNumber {
                label: "Peak".into(),
                value: "12".into(),
                note: "<b>".into(),
            }],
            sections: vec![Section {
                heading: "Charts".into(),
                blocks: vec![Block::Charts(vec![chart])],
            }],
            chart_files: true,
        };
        let h = render(&page);
        assert!(!h.contains("<script>"));
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(h.contains("a &amp; b &quot;c&quot;"));
        assert!(!h.contains("<?xml"));
        assert_eq!(h.matches("<svg").count(), 1);
        assert!(h.contains("data-charts=\"1\""));
        assert!(h.contains("@page { size: A4"));
    }
}
