//! `jeugdflow compare`: the KPIs of run folders side by side, ranked by mean wait, each
//! against one baseline — the first folder, or `--baseline` — in every output: the
//! terminal, the CSV (with a workbook of the same table beside it), the workbook and the
//! self-contained HTML report. Ranking reorders the rows, never the reference.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use jeugdflow::report::comparison;
use jeugdflow::report::folder;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::output::Kind;
use jeugdflow::scenario::DEFAULT_SCENARIO_NAME;
use jeugdflow::sweep::{KPIS, Kpi, RunKpis, Versus, first_repeat, rank_by_wait, versus_baseline};

use super::common::folders::{breach_line, comparison_page, read_strategies};
use super::common::{InvalidInput, claim, refuse_repeats};

/// The options of `compare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output folders of `run` or sweep scenarios; the first is the baseline unless
    /// `--baseline` names another.
    #[arg(required = true, num_args = 1..)]
    pub dirs: Vec<PathBuf>,
    /// The folder every other is measured against (default: the first folder); it may be
    /// one of the folders listed or another.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
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
    let dirs = with_baseline_first(&args.dirs, args.baseline.as_deref())?;
    let mut names = Vec::new();
    let mut files = Vec::new();
    for d in &dirs {
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
    let names = told_apart(&names, &files, &dirs);
    let strategies = read_strategies(&dirs, &names)?;
    let runs: Vec<RunKpis> = strategies.iter().map(|s| s.run_kpis()).collect();
    let order = rank_by_wait(&runs);
    let rows = versus_baseline(&runs, &order);
    print!("{}", table(&runs, &order, &rows));
    // the region's figures can hide a service in trouble: name it, per run
    println!("services (share of admissions over their norm):");
    for i in &order {
        for line in wrap(&breach_line(&strategies[*i]), WIDTH) {
            println!("{line}");
        }
    }
    let table_csv = comparison::compare_csv(&runs, &rows);
    if let Some(out) = &csv {
        out.write_file(&table_csv)?;
        println!("written: {}", out.path().display());
    }
    if let Some(out) = &xlsx {
        let book = comparison::compare_workbook(&strategies, &table_csv, args.lang)
            .map_err(|e| InvalidInput(e.to_string()))?;
        out.write_file(&book)?;
        println!("written: {}", out.path().display());
    }
    if let Some(out) = &html {
        // rows ranked as on the terminal (by mean wait), measured against the same
        // baseline; the title in the order given
        let title = names.join(" · ");
        let (page, _) = comparison_page(&title, &strategies, &order, Vec::new(), false, args.lang)?;
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

/// The folders with the baseline first: `--baseline` when given (and not repeated where
/// it is also listed), else the first folder. Two folders at least.
fn with_baseline_first(dirs: &[PathBuf], baseline: Option<&Path>) -> Result<Vec<PathBuf>> {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out: Vec<PathBuf> = Vec::new();
    if let Some(b) = baseline {
        out.push(b.to_path_buf());
        out.extend(dirs.iter().filter(|d| canon(d) != canon(b)).cloned());
    } else {
        out.extend(dirs.iter().cloned());
    }
    if out.len() < 2 {
        return Err(InvalidInput(
            "compare needs two folders at least: a baseline and a folder to measure against it"
                .into(),
        )
        .into());
    }
    Ok(out)
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

/// The widest the terminal table gets, in characters.
const WIDTH: usize = 120;

/// `text` cut at spaces into lines of at most `width` characters (a word longer than that
/// stands alone), the lines after the first indented by four spaces more than the first.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let lead = text.len() - text.trim_start().len();
    let indent = " ".repeat(lead + 4);
    let mut lines: Vec<String> = Vec::new();
    let mut line = text[..lead].to_string();
    for word in text.split_whitespace() {
        let bare = line.trim().is_empty();
        if !bare && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, indent.clone()));
        } else if !bare {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// A KPI's value for the terminal, in its unit: euros in € mln, shares in %, days with a
/// decimal below 100, counts whole (as the report writes them, in English).
fn value(k: Kpi, x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = Lang::En.kpi_value(k, x);
    // no "-0" or "-0.0%"
    if s.starts_with('-') && s[1..].chars().all(|c| !c.is_ascii_digit() || c == '0') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A difference for the terminal: signed, in the KPI's unit.
fn signed(k: Kpi, x: f64) -> String {
    let v = value(k, x);
    if x > 0.0 && !v.is_empty() && v.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{v}")
    } else {
        v
    }
}

/// The terminal table: a column per run in `order`, two lines per KPI — the mean, and
/// below it the difference from the baseline (`runs[0]`) with its 95% interval — the
/// KPI's name and unit in the first column. Numbers in each KPI's unit (euros in € mln,
/// shares in %); `--csv` has them in full. When the runs do not fit in 120 characters,
/// the table continues with the next runs below.
fn table(runs: &[RunKpis], order: &[usize], rows: &[Versus]) -> String {
    let n = order.len().max(1);
    let label = |k: &Kpi| Lang::En.kpi_label(*k);
    let first = KPIS
        .iter()
        .map(|k| label(k).chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    // per run (in `order`): the header and the two lines of every KPI
    let cells: Vec<(String, Vec<(String, String)>)> = (0..n)
        .map(|c| {
            let i = order.get(c).copied().unwrap_or(0);
            let head = if i == 0 {
                format!("{} (baseline)", runs[i].name)
            } else {
                runs[i].name.clone()
            };
            let lines = rows
                .chunks(n)
                .zip(KPIS)
                .map(|(per_run, k)| {
                    let v = &per_run[c];
                    let mean = value(k, v.mean);
                    let diff = if v.run == 0 {
                        String::new()
                    } else {
                        let ci = if v.ci_low.is_finite() && v.ci_high.is_finite() {
                            format!(" [{}, {}]", value(k, v.ci_low), value(k, v.ci_high))
                        } else {
                            String::new()
                        };
                        format!("{}{ci}", signed(k, v.diff))
                    };
                    (mean, diff)
                })
                .collect();
            (head, lines)
        })
        .collect();
    let widths: Vec<usize> = cells
        .iter()
        .map(|(h, l)| {
            l.iter()
                .flat_map(|(a, b)| [a.chars().count(), b.chars().count()])
                .chain([h.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = format!(
        "{} runs against the baseline {}: mean, and below it the difference with its 95%\n\
         interval; columns ranked by mean wait\n",
        runs.len(),
        runs.first().map_or("", |r| r.name.as_str())
    );
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        let mut used = first + 2 + widths[start];
        while end < n && used + 2 + widths[end] <= WIDTH {
            used += 2 + widths[end];
            end += 1;
        }
        let part = &widths[start..end];
        let line = |text: &str, row: &dyn Fn(usize) -> String| {
            let mut l = format!("{text:<first$}");
            for (c, w) in part.iter().enumerate() {
                l.push_str(&format!("  {:>w$}", row(start + c)));
            }
            l.trim_end().to_string() + "\n"
        };
        out.push('\n');
        out.push_str(&line("", &|c| cells[c].0.clone()));
        for (r, k) in KPIS.iter().enumerate() {
            out.push_str(&line(label(k), &|c| cells[c].1[r].0.clone()));
            let diffs = line("", &|c| cells[c].1[r].1.clone());
            if !diffs.trim().is_empty() {
                out.push_str(&diffs);
            }
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn terminal_numbers_are_in_their_unit() {
        assert_eq!(value(Kpi::Cost, 1_597_705_894.0), "1,597.7");
        assert_eq!(signed(Kpi::Cost, -20_245_042.0), "-20.2");
        assert_eq!(value(Kpi::OverNormShare, 0.838), "83.8%");
        assert_eq!(signed(Kpi::RiskWait, 0.1), "+10.0%");
        assert_eq!(value(Kpi::WaitDaysMean, 98.64), "98.6");
        assert_eq!(value(Kpi::Clients, 91233.2281), "91,233");
        assert_eq!(value(Kpi::WaitDaysMean, -0.0001), "0.0");
        assert_eq!(signed(Kpi::WaitDaysMean, 0.0001), "0.0");
        assert_eq!(value(Kpi::WaitDaysMean, f64::NAN), "");
    }

    #[test]
    fn long_lines_wrap_within_the_width_and_keep_every_word() {
        let text = "  fasering-big-bang: over 20% late (!): aanvullend 100%, onderwijs 98%, residentieel 83%, gezinshuis 46%, crisis 32%, pleegzorg 31%; longest wait onderwijs 151 days";
        let lines = wrap(text, 60);
        assert!(
            lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 60),
            "{lines:?}"
        );
        assert!(lines[0].starts_with("  fasering-big-bang:"));
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.starts_with("      ") && !l.starts_with("       "))
        );
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&lines.join(" ")), words(text));
        assert_eq!(wrap("short", 60), ["short"]);
    }

    #[test]
    fn the_terminal_table_stays_within_120_columns() {
        let run = |name: &str, wait: f64| RunKpis {
            name: name.into(),
            seed: Some(1),
            values: KPIS
                .iter()
                .map(|k| {
                    let v = if *k == Kpi::WaitDaysMean { wait } else { 1.5e9 };
                    (k.name().to_string(), vec![v, v * 1.01, v * 0.99])
                })
                .collect(),
        };
        let runs: Vec<RunKpis> = (0..7)
            .map(|i| run(&format!("fasering-strategy-{i}"), 100.0 - i as f64))
            .collect();
        let order = rank_by_wait(&runs);
        let rows = versus_baseline(&runs, &order);
        let t = table(&runs, &order, &rows);
        for l in t.lines() {
            assert!(
                l.chars().count() <= WIDTH,
                "{} wide: {l}",
                l.chars().count()
            );
        }
        // every run is there, the baseline marked, costs in € mln
        for r in &runs {
            assert!(t.contains(&r.name), "{t}");
        }
        assert!(t.contains("fasering-strategy-0 (baseline)"));
        assert!(t.contains("1,500.0"), "{t}");
        assert!(!t.contains("1500000000"));
    }
}
