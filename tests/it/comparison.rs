//! The comparison of strategies as its readers get it: every chart's text readable (no
//! two text boxes overlap, for twelve strategies), KPI names in the report's language,
//! the risk measures in every table that should have them, and workbooks whose numbers are
//! the CSV's, cell by cell.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use jeugdflow::report::lang::Lang;
use jeugdflow::report::xlsx::header_label;

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

/// A text element's box, estimated from its font size and string length: DejaVu Sans
/// averages about 0.6 em per character (digits 0.64 em); `dy` and `text-anchor` place it.
#[derive(Debug)]
struct TextBox {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn text_boxes(svg: &str) -> Vec<TextBox> {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed SVG");
    let mut out = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let text: String = n.text().unwrap_or("").trim().to_string();
        if text.is_empty() {
            continue;
        }
        let num = |a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok());
        let (x, y, fs) = (
            num("x").unwrap_or(0.0),
            num("y").unwrap_or(0.0),
            num("font-size").unwrap_or(12.0),
        );
        let w = 0.62 * fs * text.chars().count() as f64;
        let (a, b) = match n.attribute("text-anchor").unwrap_or("start") {
            "middle" => (x - w / 2.0, x + w / 2.0),
            "end" => (x - w, x),
            _ => (x, x + w),
        };
        let top = match n.attribute("dy").unwrap_or("") {
            "0.76em" => y,
            "0.5ex" => y - fs / 2.0,
            "-0.5ex" => y - fs,
            _ => y - 0.8 * fs,
        };
        let (mut x0, mut x1, mut y0, mut y1) = (a, b, top, top + fs);
        if let Some(t) = n.attribute("transform")
            && t.starts_with("rotate(270")
        {
            // turned a quarter to the left around (x, y)
            (x0, x1, y0, y1) = (x + (y0 - y), x + (y1 - y), y - (x1 - x), y - (x0 - x));
        }
        out.push(TextBox {
            text,
            x0,
            y0,
            x1,
            y1,
        });
    }
    out
}

/// Pairs of text boxes that overlap by more than a pixel each way.
fn overlaps(boxes: &[TextBox]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let w = a.x1.min(b.x1) - a.x0.max(b.x0);
            let h = a.y1.min(b.y1) - a.y0.max(b.y0);
            if w > 1.0 && h > 1.0 {
                out.push(format!("{:?} and {:?}", a.text, b.text));
            }
        }
    }
    out
}

/// Runs the twelve-strategy sweep once per language into `dir`.
fn twelve(dir: &Path, lang: &str) -> std::path::PathBuf {
    let out = dir.join(format!("twelve-{lang}"));
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/twelve.toml")),
        "--quiet",
        "--lang",
        lang,
        "--out",
        s(&out),
    ]);
    out
}

#[test]
fn no_text_overlaps_in_any_comparison_chart_for_twelve_strategies() {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["nl", "en"] {
        let out = twelve(dir.path(), lang);
        let mut charts = 0;
        let mut bad = Vec::new();
        for e in fs::read_dir(out.join("plots")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "svg") {
                charts += 1;
                let svg = fs::read_to_string(&p).unwrap();
                let boxes = text_boxes(&svg);
                assert!(boxes.len() > 10, "{}: {} texts", p.display(), boxes.len());
                for o in overlaps(&boxes) {
                    bad.push(format!("{}: {o}", p.file_name().unwrap().to_string_lossy()));
                }
            }
        }
        assert_eq!(charts, 5, "trade-off, three path charts, KPIs");
        assert!(
            bad.is_empty(),
            "{lang}: overlapping text:\n{}",
            bad.join("\n")
        );
    }
}

#[test]
fn the_overlap_check_sees_overlapping_text() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg">
        <text x="10" y="10" font-size="12">a long label here</text>
        <text x="40" y="12" font-size="12">another</text>
        <text x="10" y="100" font-size="12" text-anchor="middle" transform="rotate(270, 10, 100)">up</text>
        </svg>"#;
    let b = text_boxes(svg);
    assert_eq!(overlaps(&b).len(), 1);
    // the rotated label is tall and narrow
    assert!(b[2].y1 - b[2].y0 > b[2].x1 - b[2].x0);
}

#[test]
fn the_dutch_comparison_names_every_kpi_in_dutch_and_has_its_risks() {
    let dir = tempfile::tempdir().unwrap();
    let out = twelve(dir.path(), "nl");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    // raw CSV names (with an underscore) only where the page names a scenario key
    let cleaned = html.replace("risk_over_norm_share", "");
    for k in jeugdflow::sweep::KPIS {
        if k.name().contains('_') {
            assert!(
                !cleaned.contains(k.name()),
                "raw name {} in the report",
                k.name()
            );
        }
    }
    for label in [
        "gem. wachttijd (dagen)",
        "kans op wachten boven de norm",
        "kans op budgetoverschrijding",
        "spijt (€ mln)",
        "Niet gedomineerd",
    ] {
        assert!(html.contains(label), "{label}");
    }
    // counts without decimals: no "2.000,0"-like count in the KPI tables
    assert!(!html.contains(",0</td>") || html.contains("%"));
    let sweep = fs::read_to_string(out.join("sweep.csv")).unwrap();
    for m in ["risk_wait", "risk_budget", "regret", "cost"] {
        assert_eq!(
            sweep.matches(&format!(",{m},")).count(),
            12,
            "{m} for every strategy"
        );
    }
    let reps = fs::read_to_string(out.join("small-costs-01/replications.csv")).unwrap();
    assert!(reps.contains(",risk_wait,") && reps.contains(",risk_budget,"));
    assert!(
        !reps.contains(",regret,"),
        "regret needs the other strategies"
    );
    let paths = fs::read_to_string(out.join("small-costs-01/paths.csv")).unwrap();
    assert!(paths.starts_with("scenario,period_start,series,mean,ci_low,ci_high\n"));
    // residential 30 + crisis 4
    assert!(
        paths.contains(",residential_capacity,34,"),
        "{}",
        &paths[..300]
    );
    assert!(paths.contains(",over_norm_limit,0.1,"));
}

/// Every cell of `sheet` equals the CSV's: numbers as numbers, text as text; the header
/// row in words of `lang` (`ci_low` as "95% interval, low").
fn same_as_csv(book: &Path, sheet: &str, csv_file: &Path, lang: Lang) {
    let mut x: Xlsx<_> = calamine::open_workbook(book).expect("the workbook opens");
    let range = x.worksheet_range(sheet).expect("the sheet is there");
    let text = fs::read_to_string(csv_file).unwrap();
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows = 0;
    for (r, rec) in rd.records().enumerate() {
        let rec = rec.unwrap();
        for (c, cell) in rec.iter().enumerate() {
            let got = range.get((r, c));
            if r == 0 {
                let label = header_label(cell, lang);
                assert!(
                    ![
                        "ci_low",
                        "pxq_mean",
                        "frictiekosten_cumulative",
                        "mean_diff"
                    ]
                    .contains(&label.as_str()),
                    "{sheet}: a raw header: {label}"
                );
                assert_eq!(got, Some(&Data::String(label)), "{sheet} header {c}");
                continue;
            }
            match cell.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    assert_eq!(got, Some(&Data::Float(v)), "{sheet} row {r} col {c}")
                }
                _ if cell.is_empty() => {
                    assert!(matches!(got, None | Some(Data::Empty)), "{sheet} {r},{c}")
                }
                _ => assert_eq!(got, Some(&Data::String(cell.into())), "{sheet} {r},{c}"),
            }
        }
        rows += 1;
    }
    assert!(rows > 1, "{sheet} has data");
    assert_eq!(range.height(), rows, "{sheet}: no extra rows");
}

#[test]
fn workbooks_hold_the_numbers_of_their_csv_cell_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    let out = twelve(dir.path(), "en");
    let book = out.join("comparison.xlsx");
    same_as_csv(&book, "sweep", &out.join("sweep.csv"), Lang::En);
    same_as_csv(&book, "differences", &out.join("differences.csv"), Lang::En);
    let mut x: Xlsx<_> = calamine::open_workbook(&book).unwrap();
    assert_eq!(x.sheet_names(), ["info", "sweep", "differences"]);
    let info = x.worksheet_range("info").unwrap();
    let cells: Vec<String> = info.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(cells.contains(&"seed".to_string()) && cells.contains(&"5".to_string()));
    assert!(cells.contains(&"replications".to_string()));

    // budget.xlsx beside budget.csv
    let b = dir.path().join("budget");
    jeugdflow_ok(&[
        "budget",
        s(&data("small-costs.toml")),
        "--quiet",
        "--reps",
        "35",
        "--out",
        s(&b),
    ]);
    for (sheet, f) in [
        ("budget", "budget.csv"),
        ("capacity", "capacity.csv"),
        ("costs", "costs.csv"),
    ] {
        same_as_csv(&b.join("budget.xlsx"), sheet, &b.join(f), Lang::Nl);
    }

    // savings.xlsx beside savings.csv
    let sv = dir.path().join("savings");
    jeugdflow_ok(&[
        "savings",
        s(&data("small-costs-more-crisis.toml")),
        "--baseline",
        s(&data("small-costs.toml")),
        "--quiet",
        "--reps",
        "3",
        "--out",
        s(&sv),
    ]);
    same_as_csv(
        &sv.join("savings.xlsx"),
        "savings",
        &sv.join("savings.csv"),
        Lang::Nl,
    );
    // and a road × year sheet: the saving and the frictiekosten per year, as rows
    let mut x: Xlsx<_> = calamine::open_workbook(sv.join("savings.xlsx")).unwrap();
    assert_eq!(x.sheet_names(), ["info", "savings", "per jaar"]);
    let per_year = x.worksheet_range("per jaar").unwrap();
    let labels: Vec<String> = (1..per_year.height())
        .filter_map(|r| per_year.get((r, 1)).map(|d| d.to_string()))
        .collect();
    assert!(labels.contains(&"besparing".to_string()), "{labels:?}");
    assert!(labels.contains(&"frictiekosten, cumulatief".to_string()));
    assert_eq!(per_year.get((0, 2)), Some(&Data::Float(2024.0)));

    // compare --csv writes the same table as a workbook beside it
    let csv = dir.path().join("cmp.csv");
    jeugdflow_ok(&[
        "compare",
        s(&out.join("small-costs-01")),
        s(&out.join("small-costs-12")),
        "--csv",
        s(&csv),
    ]);
    let table = fs::read_to_string(&csv).unwrap();
    assert!(
        table.contains("\nsmall-costs-12,small-costs-01,regret,"),
        "{table}"
    );
    assert!(table.contains("\nsmall-costs-12,small-costs-01,risk_wait,"));
    same_as_csv(&dir.path().join("cmp.xlsx"), "compare", &csv, Lang::Nl);

    // the workbook is jeugdflow's: a second run replaces it; a user's workbook is refused
    let again = jeugdflow(&[
        "compare",
        s(&out.join("small-costs-01")),
        s(&out.join("small-costs-12")),
        "--csv",
        s(&csv),
    ]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let users = dir.path().join("users.xlsx");
    fs::write(&users, b"PK\x03\x04 a user's workbook").unwrap();
    let o = jeugdflow(&[
        "compare",
        s(&out.join("small-costs-01")),
        s(&out.join("small-costs-12")),
        "--xlsx",
        s(&users),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(fs::read(&users).unwrap(), b"PK\x03\x04 a user's workbook");
}

/// The text of every cell of every row of the first table whose caption starts with
/// `caption`, tags stripped: per row, its cells.
fn table_rows(page: &str, caption: &str) -> Vec<Vec<String>> {
    let at = page
        .find(&format!("<caption>{caption}"))
        .unwrap_or_else(|| panic!("no table '{caption}'"));
    let table = &page[at..at + page[at..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(2) // the caption and the header
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|c| {
                    // the value, without the interval below it
                    let c = c.split("<span class=\"ci\">").next().unwrap_or("");
                    let mut text = String::new();
                    let mut in_tag = false;
                    for ch in c.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            _ if !in_tag => text.push(ch),
                            _ => {}
                        }
                    }
                    text.trim().to_string()
                })
                .collect()
        })
        .collect()
}

#[test]
fn compare_measures_every_output_against_one_baseline() {
    // the issue: the page took the road with the shortest wait as its "basis", so the
    // terminal and the CSV quoted one saving and the page another
    let dir = tempfile::tempdir().unwrap();
    let out = twelve(dir.path(), "en");
    // given so that ranking by wait reorders them: the baseline is not the shortest wait
    let runs = ["small-costs-12", "small-costs-01", "small-costs-06"];
    let csv = dir.path().join("cmp.csv");
    let html = dir.path().join("cmp.html");
    let mut args = vec!["compare"];
    let dirs: Vec<String> = runs.iter().map(|r| s(&out.join(r)).to_string()).collect();
    args.extend(dirs.iter().map(String::as_str));
    args.extend(["--csv", s(&csv), "--html", s(&html), "--lang", "en"]);
    let o = jeugdflow_ok(&args);
    let terminal = String::from_utf8_lossy(&o.stdout);
    assert!(terminal.contains("small-costs-12 (baseline)"), "{terminal}");
    // every line of the terminal within 120 columns, the services' lines wrapped too
    let widest = terminal
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    assert!(widest <= 120, "{widest} columns:\n{terminal}");
    let table = fs::read_to_string(&csv).unwrap();
    let saving_in_csv = |run: &str| -> f64 {
        let line = table
            .lines()
            .find(|l| l.starts_with(&format!("{run},small-costs-12,cost,")))
            .unwrap_or_else(|| panic!("{run}: {table}"));
        -line.split(',').nth(4).unwrap().parse::<f64>().unwrap()
    };
    let page = fs::read_to_string(&html).unwrap();
    let rows = table_rows(&page, "Places and money");
    assert_eq!(rows.len(), 3);
    for (i, run) in runs.iter().enumerate() {
        let row = rows
            .iter()
            .find(|r| r[0] == format!("{}. {run}", i + 1))
            .unwrap_or_else(|| panic!("{run}: {rows:?}"));
        // the saving column: € M with one decimal, against the same baseline as the CSV
        let want = format!("{:.1}", saving_in_csv(run) / 1e6);
        let want = if want == "-0.0" {
            "0.0".to_string()
        } else {
            want
        };
        assert_eq!(row[3], want, "{run}: page {row:?}");
    }
    // the baseline is marked as the baseline on the page, whatever its rank
    assert!(page.contains("baseline"));
    // the rows are ranked by mean wait, as on the terminal, with the numbers kept
    let order: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    // (the table continues below when the runs do not fit in 120 columns)
    let ranked: Vec<&str> = terminal
        .lines()
        .take_while(|l| !l.starts_with("services"))
        .filter(|l| l.trim_start().starts_with("small-costs"))
        .flat_map(|l| {
            l.split_whitespace()
                .filter(|w| w.starts_with("small-costs"))
        })
        .collect();
    let page_names: Vec<&str> = order
        .iter()
        .map(|o| o.split(". ").nth(1).unwrap())
        .collect();
    assert_eq!(page_names, ranked);
}
