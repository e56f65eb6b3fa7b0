//! `jeugdflow run`: runs a scenario (without one: the built-in default), writes its folder
//! and prints the headline numbers per segment.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use jeugdflow::experiment::{self, Plan, Results};
use jeugdflow::model::Model;
use jeugdflow::report::num;
use jeugdflow::report::run_folder::Extras;
use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

use super::common::{Columns, Progress, RunArgs, write_run};

/// The options of `run`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub run: RunArgs,
}

/// Runs the scenario, writes its folder, prints the headline table.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let p = args.run.prepare()?;
    let opts = &args.run.opts;
    let bar = Progress::new(p.plan.replications as u64, &p.model.name, opts.quiet);
    let started = Instant::now();
    let results = experiment::run(&p.model, p.plan, &|n| bar.set(n))?;
    bar.finish();
    let wall = started.elapsed().as_secs_f64();
    let extras = Extras {
        lang: opts.lang,
        ..Extras::default()
    };
    write_run(&p.run(&results, wall), extras, &p.out)?;
    if !opts.quiet {
        print!(
            "{}",
            headline(&p.model, &results, p.plan, wall, p.out.path())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A short table of headline numbers per segment over the whole horizon, and where the
/// results are.
fn headline(model: &Model, res: &Results, plan: Plan, wall: f64, out: &Path) -> String {
    let tl = &model.timeline;
    let (total, first_year) = (PeriodRef::Total, PeriodRef::Year(0));
    let mean = |level: LevelRef, m: Metric, p: PeriodRef| res.summary(level, m, p).mean;
    let mut lines = vec![format!(
        "{}: {} replications, seed {}, {:.1} s, {:.1} M events/s",
        model.name,
        plan.replications,
        plan.seed,
        wall,
        res.events as f64 / wall.max(1e-9) / 1e6
    )];
    let year0 = tl.years.first().map_or(0, |y| y.0);
    let cols = Columns::new(16, &[12, 12, 12, 14, 16, 14]);
    lines.push(cols.line(
        "segment",
        &[
            format!("clients {year0}"),
            "wait days".into(),
            "over norm".into(),
            "waiting (end)".into(),
            "out-of-home days".into(),
            format!("cost {year0} €M"),
        ],
    ));
    let rows = (0..model.segments.len())
        .map(|g| (model.segments[g].as_str(), LevelRef::Segment(g)))
        .chain(std::iter::once(("all", LevelRef::All)));
    for (name, level) in rows {
        lines.push(cols.line(
            name,
            &[
                num(mean(level, Metric::Clients, first_year).round()),
                num((mean(level, Metric::WaitDaysMean, total) * 10.0).round() / 10.0),
                num((mean(level, Metric::OverNormShare, total) * 1000.0).round() / 1000.0),
                num(mean(level, Metric::WaitingEnd, total).round()),
                num(mean(level, Metric::OutOfHomeDays, total).round()),
                num((mean(level, Metric::Cost, first_year) / 1e5).round() / 10.0),
            ],
        ));
    }
    lines.push(format!("results: {}", out.display()));
    lines.push(format!("report:  {}", out.join("report.html").display()));
    lines.iter().map(|l| format!("{l}\n")).collect()
}
