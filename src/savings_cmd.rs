//! `jeugdflow savings`: runs the baseline and each strategy with the same seed and
//! replications (common random numbers), writes `savings.csv` and prints the yearly
//! saving and the cumulative frictiekosten per strategy; `plots/savings.*` and
//! `report.html` show the same.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use jeugdflow::experiment::{self, Plan};
use jeugdflow::finance::savings::{SavingsRow, savings, savings_csv};
use jeugdflow::model::Model;
use jeugdflow::report::{html, output, plots, savings as savings_report};

use crate::cli::{InvalidInput, RunOpts, load, progress_bar};

/// Runs the baseline and the strategies, writes the savings folder, prints the table.
pub fn savings_command(
    strategy_files: &[PathBuf],
    baseline: Option<&PathBuf>,
    a: &RunOpts,
) -> Result<ExitCode> {
    let (base_src, base) = load(baseline)?;
    let mut strategies: Vec<Model> = Vec::new();
    for p in strategy_files {
        strategies.push(load(Some(p))?.1);
    }
    for m in std::iter::once(&base).chain(&strategies) {
        if m.services.iter().all(|s| s.tariff.is_none()) {
            return Err(InvalidInput(format!(
                "scenario '{}' has no service with a `tariff`, so there is no cost to compare",
                m.name
            ))
            .into());
        }
    }
    if let Some(dup) = strategies
        .iter()
        .enumerate()
        .find(|(i, m)| strategies[..*i].iter().any(|o| o.name == m.name) || m.name == base.name)
    {
        return Err(InvalidInput(format!(
            "two scenarios are named '{}'; savings.csv tells strategies apart by name",
            dup.1.name
        ))
        .into());
    }
    // every run uses the baseline's seed and replications: common random numbers
    let plan = Plan {
        replications: a.reps.unwrap_or(base.replications),
        seed: a.seed.unwrap_or(base.seed),
        threads: a.threads.map(usize::from),
    };
    let total = plan.replications as u64 * (1 + strategies.len() as u64);
    let bar = progress_bar(total, "savings", a.quiet);
    let run = |m: &Model, offset: u64| {
        experiment::run(m, plan, &|n| {
            if let Some(b) = &bar {
                b.set_position(offset + n);
            }
        })
    };
    let base_res = run(&base, 0)?;
    let mut rows: Vec<SavingsRow> = Vec::new();
    for (i, m) in strategies.iter().enumerate() {
        let res = run(m, plan.replications as u64 * (i as u64 + 1))?;
        rows.extend(savings((&base, &base_res), (m, &res)));
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let out_dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("savings"));
    let csv = savings_csv(&rows);
    let charts = vec![plots::render(
        "savings",
        &savings_report::sheet(&rows, a.lang),
    )?];
    let meta = vec![savings_report::meta(
        1 + strategies.len(),
        plan.replications,
        plan.seed,
        a.lang,
    )];
    let page = savings_report::page(&base.name, meta, &rows, &charts, a.lang);
    let report = html::render(&page);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("savings.csv".into(), csv),
        ("report.html".into(), report.into_bytes()),
    ];
    files.extend(plots::files(&charts));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    output::write_atomically(&out_dir, &refs)
        .context("the runs finished but their results could not be saved")?;
    if !a.quiet {
        print_table(&base_src.name, &base, plan, &rows, &out_dir);
    }
    Ok(ExitCode::SUCCESS)
}

/// Per strategy: the region's saving per year (€ million, 95% interval) and the
/// cumulative frictiekosten at the end.
fn print_table(source: &str, base: &Model, plan: Plan, rows: &[SavingsRow], out: &Path) {
    println!(
        "saving against {} ({source}) per year, € million [95% CI], {} paired replications, seed {}",
        base.name, plan.replications, plan.seed
    );
    let years: Vec<i16> = base.timeline.years.iter().map(|y| y.0).collect();
    print!("{:<28}", "strategy");
    for y in &years {
        print!(" {y:>20}");
    }
    println!(" {:>24}", "frictiekosten (cum.)");
    let m = |x: f64| format!("{:.1}", x / 1e6);
    let mut names: Vec<&str> = rows.iter().map(|r| r.strategy.as_str()).collect();
    names.dedup();
    for name in names {
        let of = |measure: &'static str| {
            rows.iter().filter(move |r| {
                r.strategy == name && r.segment == "all" && r.measure.name() == measure
            })
        };
        print!("{name:<28}");
        for y in &years {
            match of("saving").find(|r| r.year == *y) {
                Some(r) => print!(
                    " {:>20}",
                    format!(
                        "{} [{}, {}]",
                        m(r.summary.mean),
                        m(r.summary.ci_low),
                        m(r.summary.ci_high)
                    )
                ),
                None => print!(" {:>20}", "–"),
            }
        }
        let last = of("frictiekosten_cumulative").next_back();
        println!(" {:>24}", last.map_or("–".into(), |r| m(r.summary.mean)));
    }
    println!("results: {}", out.join("savings.csv").display());
    println!("report:  {}", out.join("report.html").display());
}
