//! `jeugdflow compare`: the KPIs of run folders side by side, ranked by mean wait, each
//! against the first folder (`regret` among the folders paired with the first);
//! optionally as CSV (with a workbook of the same table beside it), as a workbook, and
//! as a self-contained HTML report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use jeugdflow::report::comparison;
use jeugdflow::report::folder;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::output::Kind;
use jeugdflow::scenario::DEFAULT_SCENARIO_NAME;
use jeugdflow::sweep::{KPIS, RunKpis, Versus, first_repeat, rank_by_wait, versus_baseline};

use super::common::folders::{breach_line, comparison_page, read_strategies};
use super::common::{Columns, InvalidInput, claim, refuse_repeats};

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
    refuse_repeats(&args.dirs, "run folder")?;
    // the files asked for are checked before anything is read: each its own file, and
    // each one jeugdflow may write
    let xlsx_path = args
        .xlsx
        .clone()
        .or_else(|| args.csv.as_ref().map(|p| p.with_extension("xlsx")));
    distinct_outputs(&[
        ("--csv", args.csv.as_deref()),
        (
            if args.xlsx.is_some() {
                "--xlsx"
            } else {
                "the workbook beside --csv"
            },
            xlsx_path.as_deref(),
        ),
        ("--html", args.html.as_deref()),
    ])?;
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
    let xlsx = xlsx_path.map(|p| claim(&p, Kind::Workbook)).transpose()?;
    let mut names = Vec::new();
    let mut files = Vec::new();
    for d in &args.dirs {
        let stamp = folder::read_stamp(d).map_err(|e| {
            InvalidInput(format!(
                "'{}' is not a jeugdflow output folder: {e}",
                d.display()
            ))
        })?;
        match stamp.kind.as_deref() {
            Some("run") | None => {}
            Some("sweep") => {
                return Err(InvalidInput(format!(
                    "'{}' is a sweep folder: compare the run folders inside it (one per \
                     scenario, e.g. '{}'), or read its sweep.csv and differences.csv",
                    d.display(),
                    d.join("<scenario>").display()
                ))
                .into());
            }
            Some(kind) => {
                return Err(InvalidInput(format!(
                    "'{}' holds jeugdflow's {kind} output, not a run: compare folders written \
                     by `run` (or the scenario folders of a sweep)",
                    d.display()
                ))
                .into());
            }
        }
        let manifest = folder::read_run_manifest(d).map_err(|e| InvalidInput(e.to_string()))?;
        names.push(manifest.scenario);
        files.push(manifest.scenario_file);
    }
    let names = told_apart(&names, &files, &args.dirs);
    let strategies = read_strategies(&args.dirs, &names)?;
    let runs: Vec<RunKpis> = strategies.iter().map(|s| s.run_kpis()).collect();
    let order = rank_by_wait(&runs);
    let rows = versus_baseline(&runs, &order);
    print!("{}", table(&runs, &order, &rows));
    // the region's figures can hide a service in trouble: name it, per run
    println!("services (share of admissions over their norm):");
    for i in &order {
        println!("{}", breach_line(&strategies[*i]));
    }
    let table_csv = comparison::compare_csv(&runs, &rows);
    if let Some(out) = &csv {
        out.write_file(&table_csv)?;
        println!("written: {}", out.path().display());
    }
    if let Some(out) = &xlsx {
        let book = comparison::compare_workbook(&strategies, &table_csv)
            .map_err(|e| InvalidInput(e.to_string()))?;
        out.write_file(&book)?;
        println!("written: {}", out.path().display());
    }
    if let Some(out) = &html {
        // ranked as on the terminal (by mean wait), the title in the order given
        let title = names.join(" · ");
        let ranked: Vec<String> = order.iter().map(|i| names[*i].clone()).collect();
        let dirs: Vec<PathBuf> = order.iter().map(|i| args.dirs[*i].clone()).collect();
        let (page, _) = comparison_page(&title, &dirs, &ranked, Vec::new(), false, args.lang)?;
        out.write_file(page.as_bytes())?;
        println!("written: {}", out.path().display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The runs' names, each that more than one run has told apart by where it came from: the
/// built-in default as `groningen (built in)`, a file as `groningen (scenarios/x.toml)`,
/// and runs of one file by their folders.
fn told_apart(names: &[String], files: &[String], dirs: &[PathBuf]) -> Vec<String> {
    let count = |n: &str, of: &[String]| of.iter().filter(|x| x.as_str() == n).count();
    let by_file: Vec<String> = names
        .iter()
        .zip(files)
        .map(|(n, f)| {
            if count(n, names) == 1 {
                n.clone()
            } else if f == DEFAULT_SCENARIO_NAME {
                format!("{n} (built in)")
            } else if f.is_empty() {
                n.clone()
            } else {
                format!("{n} ({f})")
            }
        })
        .collect();
    by_file
        .iter()
        .zip(dirs)
        .map(|(n, d)| {
            if count(n, &by_file) == 1 {
                n.clone()
            } else {
                format!("{n} [{}]", d.display())
            }
        })
        .collect()
}

/// Refuses two outputs that name the same file (`--csv` and `--html` both `x.out`, or
/// `--csv x.xlsx` and the workbook written beside it): the second would overwrite the
/// first.
fn distinct_outputs(outputs: &[(&str, Option<&Path>)]) -> Result<(), InvalidInput> {
    let given: Vec<(&str, &Path)> = outputs
        .iter()
        .filter_map(|(what, p)| p.map(|p| (*what, p)))
        .collect();
    let files: Vec<PathBuf> = given
        .iter()
        .map(|(_, p)| std::path::absolute(p).unwrap_or(p.into()))
        .collect();
    match first_repeat(&files) {
        Some((first, second)) => Err(InvalidInput(format!(
            "{} and {} name the same file '{}': give each output its own file; nothing was \
             written",
            given[first].0,
            given[second].0,
            given[second].1.display()
        ))),
        None => Ok(()),
    }
}

/// A number for the terminal: whole for counts and days of 100 or more, then more
/// decimals the smaller it is (three for a share), so that a column stays narrow.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let a = x.abs();
    let d = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{x:.d$}");
    // no "-0" or "-0.000"
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".into()
    } else {
        s
    }
}

/// The terminal table: a column per run in `order`, a line per KPI; the baseline's cell is
/// its mean, the others' their mean and difference with its 95% interval. Numbers are
/// rounded for reading (`--csv` has them in full) and each column is as wide as its
/// widest cell.
fn table(runs: &[RunKpis], order: &[usize], rows: &[Versus]) -> String {
    let names: Vec<&str> = order.iter().map(|i| runs[*i].name.as_str()).collect();
    let lines: Vec<Vec<String>> = rows
        .chunks(order.len().max(1))
        .map(|cells| {
            cells
                .iter()
                .map(|v| {
                    if v.run == 0 {
                        short(v.mean)
                    } else {
                        let sign = if v.diff > 0.0 { "+" } else { "" };
                        format!(
                            "{} ({sign}{} [{}, {}])",
                            short(v.mean),
                            short(v.diff),
                            short(v.ci_low),
                            short(v.ci_high)
                        )
                    }
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..names.len())
        .map(|c| {
            lines
                .iter()
                .filter_map(|l| l.get(c))
                .map(|x| x.chars().count())
                .chain(std::iter::once(names[c].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let cols = Columns::new(24, &widths);
    // the first header cell is wider than its column: one more space before the names
    let mut out = format!(
        "{:<24} {}\n",
        "KPI (mean, difference with",
        cols.cells(&names)
    );
    out.push_str(&format!(" {} [95% CI])\n", runs[0].name));
    for (m, cells) in KPIS.iter().zip(&lines) {
        out.push_str(&cols.line(m.name(), cells));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{short, told_apart};
    use std::path::PathBuf;

    #[test]
    fn one_name_one_scenario() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let dirs: Vec<PathBuf> = ["a", "b", "c"].iter().map(PathBuf::from).collect();
        assert_eq!(
            told_apart(
                &s(&["groningen", "groningen", "big-bang"]),
                &s(&[
                    "scenarios/groningen.toml (built in)",
                    "scenarios/groningen.toml",
                    "scenarios/fasering-big-bang.toml"
                ]),
                &dirs
            ),
            [
                "groningen (built in)",
                "groningen (scenarios/groningen.toml)",
                "big-bang"
            ]
        );
        // one file run twice: told apart by folder
        assert_eq!(
            told_apart(&s(&["x", "x"]), &s(&["x.toml", "x.toml"]), &dirs[..2]),
            ["x (x.toml) [a]", "x (x.toml) [b]"]
        );
    }

    #[test]
    fn terminal_numbers_are_short() {
        assert_eq!(short(91233.2281), "91233");
        assert_eq!(short(26.2439), "26.2");
        assert_eq!(short(1.5), "1.50");
        assert_eq!(short(0.2718), "0.272");
        assert_eq!(short(-0.0001), "0");
        assert_eq!(short(f64::NAN), "");
    }
}
