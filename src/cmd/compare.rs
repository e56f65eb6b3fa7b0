//! `jeugdflow compare`: the KPIs of run folders side by side, ranked by mean wait, each
//! against the first folder (`regret` among the folders paired with the first);
//! optionally as CSV (with a workbook of the same table beside it), as a workbook, and
//! as a self-contained HTML report.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use jeugdflow::report::lang::Lang;
use jeugdflow::report::output::Kind;
use jeugdflow::report::{comparison, num};
use jeugdflow::sweep::{KPIS, RunKpis, Versus, rank_by_wait, versus_baseline};

use super::common::folders::{comparison_page, read_manifest, read_strategies};
use super::common::{Columns, InvalidInput, claim};

/// The options of `compare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output folders of `run` or sweep scenarios; the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    pub dirs: Vec<PathBuf>,
    /// Also write the comparison as CSV to this file, and the same table as an Excel
    /// workbook beside it (same name, `.xlsx`) unless `--xlsx` says where.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Also write the comparison as an Excel workbook (`info` and `compare` sheets) to
    /// this file.
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// Also write the comparison as a self-contained HTML report (charts inline) to
    /// this file.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Language of the HTML report: nl (Nederlands) or en (English).
    #[arg(long, value_enum, default_value_t = Lang::Nl)]
    pub lang: Lang,
}

/// Reads the folders, prints the table, writes the CSV and HTML asked for.
pub fn exec(args: &Args) -> Result<ExitCode> {
    // the files asked for are checked before anything is read
    let csv = args
        .csv
        .as_deref()
        .map(|p| {
            claim(
                p,
                Kind::Text {
                    first_line: comparison::COMPARE_CSV_MARK,
                },
            )
        })
        .transpose()?;
    let html = args
        .html
        .as_deref()
        .map(|p| claim(p, Kind::Page))
        .transpose()?;
    let xlsx = args
        .xlsx
        .clone()
        .or_else(|| args.csv.as_ref().map(|p| p.with_extension("xlsx")))
        .map(|p| claim(&p, Kind::Workbook))
        .transpose()?;
    let mut names = Vec::new();
    for d in &args.dirs {
        let manifest = read_manifest(d).ok_or_else(|| {
            InvalidInput(format!(
                "'{}' is not a jeugdflow output folder (no readable manifest.json)",
                d.display()
            ))
        })?;
        names.push(manifest["scenario"].as_str().unwrap_or("?").to_string());
    }
    let strategies = read_strategies(&args.dirs, &names)?;
    let runs: Vec<RunKpis> = strategies.iter().map(|s| s.run_kpis()).collect();
    let order = rank_by_wait(&runs);
    let rows = versus_baseline(&runs, &order);
    print!("{}", table(&runs, &order, &rows));
    let table_csv = comparison::compare_csv(&runs, &rows);
    if let Some(out) = &csv {
        out.write_file(&table_csv)?;
        println!("written: {}", out.path().display());
    }
    if let Some(out) = &xlsx {
        let manifest = args.dirs.first().and_then(|d| read_manifest(d));
        let book = comparison::compare_workbook(&strategies, manifest.as_ref(), &table_csv)
            .map_err(|e| InvalidInput(e.to_string()))?;
        out.write_file(&book)?;
        println!("written: {}", out.path().display());
    }
    if let Some(out) = &html {
        let title = names.join(" · ");
        let (page, _) = comparison_page(&title, &args.dirs, &names, Vec::new(), false, args.lang)?;
        out.write_file(page.as_bytes())?;
        println!("written: {}", out.path().display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal table: a column per run in `order`, a line per KPI; the baseline's cell is
/// its mean, the others' their mean and difference with its 95% interval.
fn table(runs: &[RunKpis], order: &[usize], rows: &[Versus]) -> String {
    let cols = Columns::new(24, &[40]);
    let names: Vec<&str> = order.iter().map(|i| runs[*i].name.as_str()).collect();
    // the first header cell is wider than its column: one more space before the names
    let mut out = format!(
        "{:<24} {}\n",
        "KPI (mean, difference with",
        cols.cells(&names)
    );
    out.push_str(&format!(" {} [95% CI])\n", runs[0].name));
    for (m, cells) in KPIS.iter().zip(rows.chunks(order.len().max(1))) {
        let cells: Vec<String> = cells
            .iter()
            .map(|v| {
                if v.run == 0 {
                    num(v.mean)
                } else {
                    format!(
                        "{} ({:+} [{}, {}])",
                        num(v.mean),
                        num(v.diff).parse::<f64>().unwrap_or(v.diff),
                        num(v.ci_low),
                        num(v.ci_high)
                    )
                }
            })
            .collect();
        out.push_str(&cols.line(m.name(), &cells));
        out.push('\n');
    }
    out
}
