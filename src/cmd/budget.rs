//! `jeugdflow budget`: runs a scenario, estimates taakgericht budgets and the capacity each
//! service needs for its wait norm, writes the run folder with `budget.csv` and
//! `capacity.csv`, and prints the budgets per segment and year.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use jeugdflow::experiment::{self, Plan};
use jeugdflow::finance::money::Euros;
use jeugdflow::finance::{self, Budget, CapacityNeed, Sizing};
use jeugdflow::model::Model;
use jeugdflow::report::run_folder::budget_extras;

use super::common::{Columns, InvalidInput, Progress, RunArgs, require_tariff, values, write_run};

/// The options of `budget`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub run: RunArgs,
    /// Confidence that the budget covers the cost (0 < c < 1). Its 95% interval needs at
    /// least 35 replications at 0.9 (16 at 0.8, 73 at 0.95); fewer are refused.
    #[arg(long, default_value_t = 0.9, value_parser = values::confidence, allow_hyphen_values = true)]
    pub confidence: f64,
    /// Target share of admissions within the wait norm (0 < s < 1).
    #[arg(long, default_value_t = 0.8, value_parser = values::norm_share, allow_hyphen_values = true)]
    pub wait_norm_share: f64,
}

/// Runs the scenario and the capacity search, writes the folder, prints the budgets.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let p = args.run.prepare()?;
    let (confidence, target) = (args.confidence, args.wait_norm_share);
    require_tariff(&p.model, || {
        format!(
            "{}: no service has a `tariff`, so there is no cost to budget",
            p.source.name
        )
    })?;
    let least = finance::min_replications(confidence);
    if p.plan.replications < least {
        return Err(InvalidInput(format!(
            "{}: {} replications give no 95% interval for a budget at {confidence} confidence \
             (budget.csv's ci_low and ci_high); use at least {least} (--reps {least})",
            p.source.name, p.plan.replications
        ))
        .into());
    }
    let started = Instant::now();
    // the capacity search runs several candidates: a quarter of the replications (at least 5),
    // the first ones of the main run, which so gives the scenario's own capacity for free
    let search = Plan {
        replications: (p.plan.replications / 4).max(5).min(p.plan.replications),
        ..p.plan
    };
    let reps = u64::from(p.plan.replications);
    let total = reps + finance::capacity_search_replications(&p.model, search, Sizing::Together);
    let bar = Progress::new(total, &p.model.name, args.run.opts.quiet);
    let results = experiment::run(&p.model, p.plan, &|n| bar.set(n))?;
    let budgets = finance::budgets(&p.model, &results, confidence);
    let needs =
        finance::capacity_needs(&p.model, search, &results, target, Sizing::Together, &|n| {
            bar.set(reps + n)
        })?;
    bar.finish();
    let wall = started.elapsed().as_secs_f64();
    let run = p.run(&results, wall);
    let lang = args.run.opts.lang;
    let extras = budget_extras(&run, confidence, &budgets, target, &needs, lang)?;
    write_run(&run, extras, &p.out)?;
    if !args.run.opts.quiet {
        print!(
            "{}",
            table(
                &p.model,
                &results,
                confidence,
                p.plan,
                &budgets,
                &needs,
                p.out.path()
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Per segment and year: the budget and the mean P×Q cost, € million; and where the
/// results are.
fn table(
    model: &Model,
    results: &jeugdflow::experiment::Results,
    confidence: f64,
    plan: Plan,
    budgets: &[Budget],
    needs: &[CapacityNeed],
    out: &Path,
) -> String {
    let mut lines = vec![format!(
        "{}: taakgericht budget covering the P×Q cost with {:.0}% confidence, € million ({} replications)",
        model.name,
        confidence * 100.0,
        plan.replications
    )];
    let cols = Columns::new(16, &[16]);
    let years: Vec<String> = model
        .timeline
        .years
        .iter()
        .map(|y| y.0.to_string())
        .collect();
    lines.push(cols.line("segment", &years));
    let m = |x: Euros| {
        if x.is_finite() {
            format!("{:.1}", x.millions())
        } else {
            "–".into()
        }
    };
    let m = &m;
    let m2 = |x: Euros| format!("{:.2}", x.millions());
    let mut seen: Vec<&String> = Vec::new();
    for seg in budgets.iter().map(|b| &b.segment) {
        if seen.contains(&seg) {
            continue;
        }
        seen.push(seg);
        let cells: Vec<String> = budgets
            .iter()
            .filter(|b| &b.segment == seg)
            .map(|b| format!("{} (P×Q {})", m(b.budget), m(b.pxq_mean)))
            .collect();
        lines.push(cols.line(seg, &cells));
    }
    lines.push(format!(
        "the region's budget ('all') is the {:.0}% quantile of the region's cost, less than the sum \
         of the segments' budgets: the segments do not all run over in the same future",
        confidence * 100.0
    ));
    // who carries an overrun of the budget in the last year
    let overruns = finance::overruns(model, results, budgets);
    if let Some(last) = overruns.iter().map(|o| o.year).max() {
        lines.push(format!(
            "who carries an overrun of the budget in {last} (mean € million; P×Q: the region pays \
             it all; taakgericht: the provider, beyond a contract's corridor the region its share):"
        ));
        for o in overruns
            .iter()
            .filter(|o| o.year == last && o.model == "taakgericht")
        {
            lines.push(format!(
                "  {}: over the budget in {:.0}% of futures, by {} on average; taakgericht: region {}, provider {}",
                o.segment,
                o.p_over * 100.0,
                m2(o.overrun),
                m2(o.region),
                m2(o.provider)
            ));
        }
    }
    let mut not_sized: Vec<String> = Vec::new();
    for n in needs.iter().filter(|n| !n.note.is_empty()) {
        let line = format!("{} ({})", n.service, n.note);
        if !not_sized.contains(&line) {
            not_sized.push(line);
        }
    }
    if !not_sized.is_empty() {
        lines.push(format!(
            "capacity.csv does not size: {}",
            not_sized.join("; ")
        ));
    }
    lines.push(format!("results: {}", out.display()));
    lines.push(format!("report:  {}", out.join("report.html").display()));
    lines.iter().map(|l| format!("{l}\n")).collect()
}
