//! `jeugdflow calibrate`: a scenario's first whole simulated year against a region table.
//! Options, paths, the terminal table and the exit code only; the comparison and
//! `calibration.csv` are in [`jeugdflow::region::calibrate`].

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use jeugdflow::experiment::{self, Plan};
use jeugdflow::region::calibrate::{self, Calibration, Measure, Verdict};
use jeugdflow::region::write::{days_in_year, grouped};
use jeugdflow::region::{self};
use jeugdflow::report::output::Kind;

use super::common::{Columns, InvalidInput, Progress, claim, load, values};

/// The options of `calibrate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (TOML), e.g. one written by `jeugdflow init`.
    pub scenario: PathBuf,
    /// The region table (.csv or .xlsx) to compare the first whole simulated year with.
    #[arg(long)]
    pub against: PathBuf,
    /// The sheet of an .xlsx workbook that holds the table (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Number of replications (overrides the scenario's `replications`).
    #[arg(long, value_parser = values::reps_two, allow_hyphen_values = true)]
    pub reps: Option<u32>,
    /// Largest accepted difference from the table, as a share (0.05 = ±5%); any figure
    /// further off makes the exit code 1.
    #[arg(long, default_value_t = 0.05, value_parser = values::tolerance, allow_hyphen_values = true)]
    pub tolerance: f64,
    /// Output folder for calibration.csv (default: output/<scenario name>-calibration);
    /// only calibration.csv is replaced there, and only one jeugdflow wrote.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Runs the scenario, compares its first whole year with the table, prints the table and
/// writes `calibration.csv`; exit code 1 when any figure is outside the tolerance.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let (source, model) = load(Some(&args.scenario))?;
    // the table's tariffs are spread over the days of the scenario's first whole year
    let days = calibrate::first_whole_year(&model).map_or(365.0, |(y, _)| days_in_year(y));
    let (table, sol) = region::load(&args.against, args.sheet.as_deref(), days)
        .map_err(|e| InvalidInput(e.to_string()))?;
    calibrate::matching(&table, &model, &source.name).map_err(|e| InvalidInput(e.to_string()))?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-calibration", model.name)));
    let out_file = out_dir.join("calibration.csv");
    // the library's rule: only a calibration.csv jeugdflow wrote is replaced; the rest of
    // the folder is left alone
    let out = claim(
        &out_file,
        Kind::Text {
            first_line: calibrate::HEADER,
        },
    )?;
    let plan = Plan {
        replications: args.reps.unwrap_or(model.replications),
        seed: model.seed,
        threads: None,
    };
    let bar = Progress::new(u64::from(plan.replications), &model.name, args.quiet);
    let results = experiment::run(&model, plan, &|n| bar.set(n))?;
    bar.finish();
    let cal = calibrate::compare(&table, &sol, &model, &results, &source.name)
        .map_err(|e| InvalidInput(e.to_string()))?;
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create folder '{}'", out_dir.display()))?;
    out.write_file(&calibrate::calibration_csv(&cal))
        .context("the calibration ran but could not be saved")?;
    println!(
        "{}: {} against {} ({} replications, seed {}, tolerance ±{}%)",
        source.name,
        cal.year,
        table.label(),
        plan.replications,
        plan.seed,
        args.tolerance * 100.0
    );
    let (text, off) = lines(&cal, args.tolerance);
    print!("{text}");
    print!("{}", notes(&cal, args.tolerance, plan.replications));
    println!("written: {}", out_file.display());
    if off > 0 {
        eprintln!(
            "error: {off} of {} figures differ from the table by more than ±{}% and more than \
             chance or whole places explain",
            cal.rows.len(),
            args.tolerance * 100.0
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal table, and how many figures are outside the tolerance.
fn lines(c: &Calibration, tol: f64) -> (String, usize) {
    let cols = Columns::new(12, &[14, 14, 25, 8]);
    let mut out = format!(
        "{:<22} {:<16} {:<15}{} ok\n",
        "service",
        "segment",
        "measure",
        cols.cells(&["target", "simulated", "95% interval", "diff"])
    );
    let mut off = 0;
    for r in &c.rows {
        let d = decimals(r.measure);
        let verdict = r.judge(tol);
        let ok = verdict.ok();
        off += usize::from(!ok);
        let shown = |x: f64| {
            if x.is_finite() {
                grouped(x, d)
            } else {
                "–".into()
            }
        };
        out.push_str(&format!(
            "{:<22} {:<16} {:<15}{} {}\n",
            r.service,
            r.segment,
            r.measure.name(),
            cols.cells(&[
                shown(r.target),
                shown(r.simulated),
                format!("{} – {}", shown(r.ci_low), shown(r.ci_high)),
                r.diff_pct().map_or("–".into(), |x| format!("{x:+.1}%")),
            ]),
            match verdict {
                Verdict::Within => "ok",
                Verdict::WholePlaces(_) => "ok (whole places)",
                Verdict::Chance(_) => "ok (chance)",
                Verdict::Off => "OFF",
            }
        ));
    }
    (out, off)
}

/// Why a figure further off than the tolerance passes: whole places, or a year's chance.
fn notes(c: &Calibration, tol: f64, reps: u32) -> String {
    let mut out = String::new();
    for r in &c.rows {
        let what = if r.service == "all" {
            format!("segment {} {}", r.segment, r.measure.name())
        } else {
            format!("{} {}", r.service, r.measure.name())
        };
        match r.judge(tol) {
            Verdict::WholePlaces(b) => out.push_str(&format!(
                "{what}: {:.3} needs {:.2} places; whole places give {:.3} ({} places) to {:.3} \
                 ({} places), and {:.3} is within ±{}% of that\n",
                r.target,
                b.exact,
                b.low,
                b.more,
                b.high,
                b.fewer,
                r.simulated,
                tol * 100.0
            )),
            Verdict::Chance(spread) => out.push_str(&format!(
                "{what}: {} is {:+.1}% off, within what chance gives a figure this small: one \
                 simulated year varies by ±{} (1.96 standard deviations over {reps} replications)\n",
                grouped(r.simulated, decimals(r.measure)),
                r.diff_pct().unwrap_or(0.0),
                grouped(spread, decimals(r.measure)),
            )),
            _ => {}
        }
    }
    out
}

/// Decimals of a measure on the terminal.
fn decimals(m: Measure) -> usize {
    match m {
        Measure::Occupancy => 3,
        Measure::MeanWait | Measure::WaitingList => 1,
        _ => 0,
    }
}
