//! `jeugdflow run`: runs a scenario (without one: the built-in default), writes its folder
//! and prints the headline numbers per segment.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use jeugdflow::experiment::{self, Plan, Results};
use jeugdflow::measure::Metric;
use jeugdflow::model::Model;
use jeugdflow::report::headline::headlines;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::num;
use jeugdflow::report::run_folder::Extras;
use jeugdflow::sweep::breach::{Breaches, ServiceWait, breaches, service_waits};

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
    write_run(&p.run(&results, wall), Extras::new(opts.lang), &p.out)?;
    if !opts.quiet {
        print!(
            "{}",
            headline(&p.model, &results, p.plan, wall, p.out.path())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A short table of headline numbers per segment over the whole horizon (the figures of
/// `report.html`, see `report::headline`), the services worst on waiting, and where the
/// results are.
fn headline(model: &Model, res: &Results, plan: Plan, wall: f64, out: &Path) -> String {
    let mut lines = vec![format!(
        "{}: {} replications, seed {}, {:.1} s, {:.1} M events/s",
        model.name,
        plan.replications,
        plan.seed,
        wall,
        res.events as f64 / wall.max(1e-9) / 1e6
    )];
    let year0 = model.timeline.years.first().map_or(0, |y| y.0);
    // the measures' English names, from the table of measures
    let en = |m: Metric| Lang::En.metric_name(m);
    let header = [
        format!("{} {year0}", en(Metric::Clients)),
        en(Metric::WaitDaysMean).to_string(),
        en(Metric::TimeToCareDaysMean).to_string(),
        en(Metric::OverNormShare).to_string(),
        en(Metric::WaitingEnd).to_string(),
        en(Metric::OutOfHomeDays).to_string(),
        format!("{} {year0} €M", en(Metric::Cost)),
    ];
    // each column two wider than its header, so that headers of words stay apart
    let widths: Vec<usize> = header
        .iter()
        .map(|h| (h.chars().count() + 2).max(12))
        .collect();
    let cols = Columns::new(16, &widths);
    lines.push(cols.line("segment", &header));
    for h in headlines(model, res) {
        lines.push(cols.line(
            &h.name,
            &[
                num(h.clients_first_year.mean.round()),
                num((h.wait_days_mean.mean * 10.0).round() / 10.0),
                num((h.time_to_care_days_mean.mean * 10.0).round() / 10.0),
                num((h.over_norm_share.mean * 1000.0).round() / 1000.0),
                num(h.waiting_end.mean.round()),
                num(h.out_of_home_days.mean.round()),
                num((h.cost_first_year.mean / 1e5).round() / 10.0),
            ],
        ));
    }
    lines.extend(services_lines(&breaches(
        &service_waits(model, res),
        model.flag_over_norm_share,
    )));
    lines.push(format!("results: {}", out.display()));
    lines.push(format!("report:  {}", out.join("report.html").display()));
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The services behind the region's figures: worst on over-norm share (flagged above
/// `[report] flag_over_norm_share`) and on mean wait.
fn services_lines(b: &Breaches) -> Vec<String> {
    let share = |s: &ServiceWait| {
        let flag = if b.is_flagged(&s.service) { " (!)" } else { "" };
        format!("{} {:.3}{flag}", s.service, s.over_norm_share.mean)
    };
    let wait = |s: &ServiceWait| format!("{} {:.1}", s.service, s.wait_days_mean.mean);
    let list = |v: Vec<String>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    vec![
        format!(
            "services over norm (share of admissions; (!) above {}): {}",
            b.flag,
            list(b.over_norm.iter().map(share).collect())
        ),
        format!(
            "services by mean wait (days): {}",
            list(b.wait.iter().map(wait).collect())
        ),
    ]
}
