//! `jeugdflow savings`: runs the baseline and each strategy with the same seed and
//! replications (common random numbers), writes the savings folder (`savings.csv`,
//! `plots/savings.*`, `report.html`) and prints the yearly saving and the cumulative
//! frictiekosten per strategy.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use jeugdflow::experiment::{self, Plan};
use jeugdflow::finance::savings::{self, Measure, SavingsRow};
use jeugdflow::model::Model;
use jeugdflow::report::savings as savings_report;
use jeugdflow::sweep::first_repeat;

use super::common::folders::write_folder;
use super::common::{Columns, InvalidInput, Progress, RunOpts, claim, load, require_tariff};
use jeugdflow::report::output::Kind;

/// The options of `savings`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Strategy scenario files (TOML), e.g. scenarios/fasering-*.toml.
    #[arg(required = true)]
    pub strategies: Vec<PathBuf>,
    /// Baseline scenario (default: the built-in Groningen scenario); its seed and
    /// replications are used for every run.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub opts: RunOpts,
}

/// Runs the baseline and the strategies, writes the savings folder, prints the table.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let a = &args.opts;
    let (base_src, base) = load(args.baseline.as_deref())?;
    let mut strategies: Vec<Model> = Vec::new();
    for p in &args.strategies {
        strategies.push(load(Some(p))?.1);
    }
    for m in std::iter::once(&base).chain(&strategies) {
        require_tariff(m, || {
            format!(
                "scenario '{}' has no service with a `tariff`, so there is no cost to compare",
                m.name
            )
        })?;
    }
    let names: Vec<&str> = std::iter::once(&base)
        .chain(&strategies)
        .map(|m| m.name.as_str())
        .collect();
    if let Some((_, second)) = first_repeat(&names) {
        return Err(InvalidInput(format!(
            "two scenarios are named '{}'; savings.csv tells strategies apart by name",
            names[second]
        ))
        .into());
    }
    // a strategy of another region (most of its services not in the baseline) compares
    // two different systems
    for (m, path) in strategies.iter().zip(&args.strategies) {
        let shared = m
            .services
            .iter()
            .filter(|s| base.services.iter().any(|b| b.id == s.id))
            .count();
        if 2 * shared < m.services.len() {
            eprintln!(
                "warning: {}: only {shared} of the {} services of scenario '{}' are in the \
                 baseline '{}', so its saving compares two different systems; give the \
                 baseline it was built on with --baseline",
                path.display(),
                m.services.len(),
                m.name,
                base.name
            );
        }
    }
    let out_dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("savings"));
    let out = claim(&out_dir, Kind::Savings)?;
    // every run uses the baseline's seed and replications: common random numbers
    let plan = a.plan(&base);
    let total = plan.replications as u64 * (1 + strategies.len() as u64);
    let bar = Progress::new(total, "savings", a.quiet);
    // each run keeps what the decomposition of the savings reads per replication
    let run = |m: &Model, offset: u64| {
        experiment::run_keeping(m, plan, &savings::kept(m), &|n| bar.set(offset + n))
    };
    let base_res = run(&base, 0)?;
    let mut rows: Vec<SavingsRow> = Vec::new();
    for (i, m) in strategies.iter().enumerate() {
        let res = run(m, plan.replications as u64 * (i as u64 + 1))?;
        rows.extend(savings::savings((&base, &base_res), (m, &res)));
    }
    bar.finish();
    let files = savings_report::files(
        &base.name,
        &rows,
        1 + strategies.len(),
        plan.replications,
        plan.seed,
        a.lang,
    )?;
    write_folder(&out, &files).context("the runs finished but their results could not be saved")?;
    if !a.quiet {
        print!("{}", table(&base_src.name, &base, plan, &rows, &out_dir));
    }
    Ok(ExitCode::SUCCESS)
}

/// Per strategy: the region's saving per year (€ million, 95% interval) and the
/// cumulative frictiekosten at the end; then what the cost difference is made of over the
/// whole period, and the structural saving against the target; and where the results are.
fn table(source: &str, base: &Model, plan: Plan, rows: &[SavingsRow], out: &Path) -> String {
    let mut lines = vec![format!(
        "saving (structural − frictiekosten) against {} ({source}) per year, € million [95% CI], \
         {} paired replications, seed {}",
        base.name, plan.replications, plan.seed
    )];
    let years: Vec<i16> = base.timeline.years.iter().map(|y| y.0).collect();
    let mut widths = vec![20; years.len()];
    widths.push(24);
    let cols = Columns::new(28, &widths);
    let mut header: Vec<String> = years.iter().map(i16::to_string).collect();
    header.push("frictiekosten (cum.)".into());
    lines.push(cols.line("strategy", &header));
    let m = |x: f64| format!("{:.1}", x / 1e6);
    let mut names: Vec<&str> = rows.iter().map(|r| r.strategy.as_str()).collect();
    names.dedup();
    let of = |name: &str, measure: Measure| {
        rows.iter()
            .filter(move |r| r.strategy == name && r.segment == "all" && r.measure == measure)
            .collect::<Vec<_>>()
    };
    for name in &names {
        let mut cells: Vec<String> = years
            .iter()
            .map(
                |y| match of(name, Measure::Saving).iter().find(|r| r.year == *y) {
                    Some(r) => format!(
                        "{} [{}, {}]",
                        m(r.summary.mean),
                        m(r.summary.ci_low),
                        m(r.summary.ci_high)
                    ),
                    None => "–".into(),
                },
            )
            .collect();
        let last = of(name, Measure::FrictiekostenCumulative).last().copied();
        cells.push(last.map_or("–".into(), |r| m(r.summary.mean)));
        lines.push(cols.line(name, &cells));
    }
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    };
    lines.push(format!(
        "over {span}, € million: cost difference = structural saving + care not delivered − \
         frictiekosten; saving = structural − frictiekosten (care not delivered is no saving)"
    ));
    let parts = Columns::new(28, &[14, 14, 14, 14, 14]);
    lines.push(parts.line(
        "strategy",
        &[
            "cost diff.".to_string(),
            "structural".into(),
            "not delivered".into(),
            "frictiekosten".into(),
            "saving".into(),
        ],
    ));
    for name in &names {
        let end = |measure: Measure| {
            of(name, measure)
                .last()
                .map_or("–".into(), |r| m(r.summary.mean))
        };
        let diff: f64 = of(name, Measure::CostBaseline)
            .iter()
            .zip(of(name, Measure::Cost))
            .map(|(b, c)| b.summary.mean - c.summary.mean)
            .sum();
        lines.push(parts.line(
            name,
            &[
                m(diff),
                end(Measure::SavingStructuralCumulative),
                end(Measure::CareNotDeliveredCumulative),
                end(Measure::FrictiekostenCumulative),
                end(Measure::SavingCumulative),
            ],
        ));
    }
    if let Some(first) = names.first() {
        let target = of(first, Measure::Target);
        if !target.is_empty() {
            lines.push(format!(
                "structural saving per year against the target ({}), € million; a shortfall in brackets",
                target
                    .iter()
                    .map(|r| format!("{} {}", r.year, m(r.summary.mean)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            for name in &names {
                let cells: Vec<String> = years
                    .iter()
                    .map(|y| {
                        let at = |measure| of(name, measure).into_iter().find(|r| r.year == *y);
                        match (at(Measure::SavingStructural), at(Measure::TargetGap)) {
                            (Some(s), Some(g)) => {
                                format!("{} ({})", m(s.summary.mean), m(g.summary.mean))
                            }
                            _ => "–".into(),
                        }
                    })
                    .collect();
                lines.push(cols.line(name, &cells));
            }
        }
    }
    lines.push(format!("results: {}", out.join("savings.csv").display()));
    lines.push(format!("report:  {}", out.join("report.html").display()));
    lines.iter().map(|l| format!("{l}\n")).collect()
}
