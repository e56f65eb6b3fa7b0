//! The command line: parses arguments, calls the library, prints and writes. No model
//! logic lives here.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use jeugdflow::experiment::{self, Plan};
use jeugdflow::model::Model;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::plots::{self, figure::Sheet};
use jeugdflow::report::{csv_out, html, manifest::Manifest, num, output};
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::Metric;
use jeugdflow::stats::summary::summarise;

/// Discrete-event simulation of youth-care capacity and flow (Dutch jeugdhulp) to 2030.
#[derive(Parser, Debug)]
#[command(name = "jeugdflow", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What `run` and `budget` share: which scenario, and how to run it.
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Scenario file (TOML). Omit to use the built-in default scenario.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    opts: RunOpts,
}

/// How to run (`run`, `budget`, `savings`): replications, seed, output, threads, quiet,
/// language.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct RunOpts {
    /// Number of replications (overrides the scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub reps: Option<u32>,
    /// Base random seed (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder (default: output/<scenario name>; for savings: output/savings).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// No progress bar and no table on the terminal.
    #[arg(long)]
    pub quiet: bool,
    /// Language of the charts and report.html: nl (Nederlands) or en (English).
    #[arg(long, value_enum, default_value_t = Lang::Nl)]
    pub lang: Lang,
}

/// A scenario loaded, with its plan and output folder.
struct Prepared {
    source: Source,
    model: Model,
    plan: Plan,
    out_dir: PathBuf,
}

impl RunArgs {
    fn prepare(&self) -> Result<Prepared> {
        let (source, model) = load(self.scenario.as_ref())?;
        let o = &self.opts;
        let plan = Plan {
            replications: o.reps.unwrap_or(model.replications),
            seed: o.seed.unwrap_or(model.seed),
            threads: o.threads.map(usize::from),
        };
        let out_dir = o
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output").join(&model.name));
        Ok(Prepared {
            source,
            model,
            plan,
            out_dir,
        })
    }
}

/// A progress bar on stderr, only when it is a terminal and not `quiet`.
pub(crate) fn progress_bar(total: u64, name: &str, quiet: bool) -> Option<ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} replications ({per_sec}), {elapsed} (eta {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b.set_message(name.to_string());
        b
    })
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario (without one: the built-in Groningen default) and write its outputs.
    Run(RunArgs),
    /// Run a sweep: scenario files and/or axes of parameter overrides, with common
    /// random numbers; writes one folder per scenario, sweep.csv and differences.csv.
    Sweep {
        /// Sweep file (TOML).
        file: PathBuf,
        /// Number of replications (overrides the sweep's `replications`).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        reps: Option<u32>,
        /// Output folder (default: output/<sweep name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core). Results do not depend on it.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        threads: Option<u16>,
        /// Skip scenarios whose results are already complete in the output folder.
        #[arg(long)]
        resume: bool,
        /// Run only part K of N of the scenarios (for a cluster job array); combine the
        /// parts with `jeugdflow merge`.
        #[arg(long, value_parser = crate::sweep_cmd::parse_shard)]
        shard: Option<crate::sweep_cmd::Shard>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Language of the charts and report.html: nl (Nederlands) or en (English).
        #[arg(long, value_enum, default_value_t = Lang::Nl)]
        lang: Lang,
    },
    /// Estimate taakgericht budgets per segment and year: the budget that covers the
    /// simulated cost with the given confidence, and the capacity (and its lump sum) each
    /// service needs to admit the target share of youths within its wait norm.
    Budget {
        #[command(flatten)]
        run: RunArgs,
        /// Confidence that the budget covers the cost (0 < c < 1).
        #[arg(long, default_value_t = 0.9, value_parser = parse_fraction)]
        confidence: f64,
        /// Target share of admissions within the wait norm (0 < s < 1).
        #[arg(long, default_value_t = 0.8, value_parser = parse_fraction)]
        wait_norm_share: f64,
    },
    /// Compare phasing strategies with a baseline on cost per year: the saving, and the
    /// frictiekosten of paying for more places than the baseline while old and new care
    /// run side by side.
    /// All runs share the baseline's seed and replications (common random numbers).
    Savings {
        /// Strategy scenario files (TOML), e.g. scenarios/fasering-*.toml.
        #[arg(required = true)]
        strategies: Vec<PathBuf>,
        /// Baseline scenario (default: the built-in Groningen scenario); its seed and
        /// replications are used for every run.
        #[arg(long)]
        baseline: Option<PathBuf>,
        #[command(flatten)]
        opts: RunOpts,
    },
    /// Combine the output folders of a sweep's shards into one result.
    Merge {
        /// Shard output folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder of the combined sweep.
        #[arg(long, required = true)]
        out: PathBuf,
        /// Language of the sweep's charts and report.html: nl or en.
        #[arg(long, value_enum, default_value_t = Lang::Nl)]
        lang: Lang,
    },
    /// Compare the KPIs of run folders side by side, against the first (paired by
    /// replication when they share seed and replications).
    Compare {
        /// Output folders of `run` or sweep scenarios; the first is the baseline.
        #[arg(required = true, num_args = 2..)]
        dirs: Vec<PathBuf>,
        /// Also write the comparison as CSV to this file.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Also write the comparison as a self-contained HTML report (charts inline) to
        /// this file.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Language of the HTML report: nl (Nederlands) or en (English).
        #[arg(long, value_enum, default_value_t = Lang::Nl)]
        lang: Lang,
    },
    /// Check scenario files and report every problem with file, line and column.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Marks an error as the user's input at fault (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// Parses the command line and runs the command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run_scenario(&args),
        Command::Validate { files } => validate(&files),
        Command::Sweep {
            file,
            reps,
            out,
            threads,
            resume,
            shard,
            quiet,
            lang,
        } => crate::sweep_cmd::sweep(
            &file,
            reps,
            out,
            threads.map(usize::from),
            resume,
            quiet,
            shard,
            lang,
        ),
        Command::Merge { dirs, out, lang } => crate::sweep_cmd::merge(&dirs, &out, lang),
        Command::Budget {
            run,
            confidence,
            wait_norm_share,
        } => budget(&run, confidence, wait_norm_share),
        Command::Savings {
            strategies,
            baseline,
            opts,
        } => crate::savings_cmd::savings_command(&strategies, baseline.as_ref(), &opts),
        Command::Compare {
            dirs,
            csv,
            html,
            lang,
        } => crate::sweep_cmd::compare(&dirs, csv.as_deref(), html.as_deref(), lang),
    }
}

pub(crate) fn load(path: Option<&PathBuf>) -> Result<(Source, Model)> {
    let source = match path {
        Some(p) => Source::read(p)?,
        None => Source::builtin(),
    };
    let model = scenario::load(&source)?;
    for w in model.warnings() {
        eprintln!("warning: {}: {w}", source.name);
    }
    Ok((source, model))
}

fn run_scenario(args: &RunArgs) -> Result<ExitCode> {
    let Prepared {
        source,
        model,
        plan,
        out_dir,
    } = args.prepare()?;
    let bar = progress_bar(plan.replications as u64, &model.name, args.opts.quiet);
    let started = Instant::now();
    let progress = |n: u64| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    };
    let results = experiment::run(&model, plan, &progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let wall = started.elapsed().as_secs_f64();
    let report = Report {
        lang: args.opts.lang,
        extra: Vec::new(),
    };
    write_run(
        &model,
        &source,
        plan,
        &results,
        wall,
        &out_dir,
        None,
        &[],
        &report,
    )?;
    if !args.opts.quiet {
        print_headline(&model, &results, plan, wall, &out_dir);
    }
    Ok(ExitCode::SUCCESS)
}

/// What a run folder's charts and `report.html` need beyond the results.
pub(crate) struct Report {
    pub lang: Lang,
    /// Charts after the run's own (the budget's), named.
    pub extra: Vec<(String, Sheet)>,
}

/// Writes the output folder of one run (or one sweep point) atomically: the CSV files,
/// `manifest.json`, the charts in `plots/` and `report.html`.
/// `extra` files (name, bytes) are written into the same folder.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_run(
    model: &Model,
    source: &Source,
    plan: Plan,
    results: &experiment::Results,
    wall: f64,
    out_dir: &std::path::Path,
    sweep: Option<(&str, serde_json::Value)>,
    extra: &[(&str, &[u8])],
    report: &Report,
) -> Result<()> {
    let mut sheets = plots::run::run_sheets(model, results, report.lang);
    sheets.extend(report.extra.iter().cloned());
    // charts are drawn in parallel, on no more threads than the run was given
    let charts = match plan.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .context("cannot start the threads that draw the charts")?
            .install(|| plots::render_all(&sheets))?,
        None => plots::render_all(&sheets)?,
    };
    let page = html::run::page(
        model,
        results,
        plan.replications,
        plan.seed,
        &charts,
        report.lang,
    );
    let report_html = html::render(&page);
    let plot_files = plots::files(&charts);
    let threads = plan.threads.unwrap_or_else(rayon::current_num_threads);
    let summary = csv_out::summary_csv(model, results);
    let timeseries = csv_out::timeseries_csv(model, results);
    let schedule_events = csv_out::schedule_events_csv(model, results);
    let replications = csv_out::replications_csv(model, results);
    let costs = csv_out::costs_csv(model, results);
    let mut manifest = Manifest::new(
        model,
        &source.name,
        &source.text,
        plan.seed,
        threads,
        results,
        wall,
    );
    if let Some((key, member)) = sweep {
        manifest.sweep_key = Some(key.to_string());
        manifest.sweep = Some(member);
    }
    let manifest = manifest.to_json();
    let mut files: Vec<(&str, &[u8])> = vec![
        ("summary.csv", &summary),
        ("timeseries.csv", &timeseries),
        ("schedule_events.csv", &schedule_events),
        ("replications.csv", &replications),
        ("costs.csv", &costs),
        ("manifest.json", &manifest),
    ];
    files.extend_from_slice(extra);
    files.push(("report.html", report_html.as_bytes()));
    files.extend(plot_files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    output::write_atomically(out_dir, &files)
        .context("the run finished but its results could not be saved")
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!("\"{s}\" must be a number strictly between 0 and 1")),
    }
}

fn budget(args: &RunArgs, confidence: f64, target: f64) -> Result<ExitCode> {
    let Prepared {
        source,
        model,
        plan,
        out_dir,
    } = args.prepare()?;
    if model.services.iter().all(|s| s.tariff.is_none()) {
        return Err(InvalidInput(format!(
            "{}: no service has a `tariff`, so there is no cost to budget",
            source.name
        ))
        .into());
    }
    let started = Instant::now();
    let results = experiment::run(&model, plan, &|_| {})?;
    let budgets = jeugdflow::finance::budgets(&model, &results, confidence);
    // the capacity search runs many candidates: a quarter of the replications (at least 5)
    let search = Plan {
        replications: (plan.replications / 4).max(5).min(plan.replications),
        ..plan
    };
    let needs = jeugdflow::finance::capacity_needs(&model, search, target)?;
    let wall = started.elapsed().as_secs_f64();
    let budget_csv = jeugdflow::finance::budget_csv(&model, confidence, &budgets);
    let report = Report {
        lang: args.opts.lang,
        extra: vec![(
            "budget-vs-pxq".into(),
            plots::run::budget_vs_pxq(&model, &results, &budgets, args.opts.lang),
        )],
    };
    let capacity_csv = jeugdflow::finance::capacity_csv(&model, target, &needs);
    write_run(
        &model,
        &source,
        plan,
        &results,
        wall,
        &out_dir,
        None,
        &[("budget.csv", &budget_csv), ("capacity.csv", &capacity_csv)],
        &report,
    )?;
    let quiet = args.opts.quiet;
    if !quiet {
        println!(
            "{}: taakgericht budget covering the P×Q cost with {:.0}% confidence, € million ({} replications)",
            model.name,
            confidence * 100.0,
            plan.replications
        );
        let years: Vec<i16> = model.timeline.years.iter().map(|y| y.0).collect();
        print!("{:<16}", "segment");
        for y in &years {
            print!(" {y:>16}");
        }
        println!();
        let segs: Vec<&String> = budgets.iter().map(|b| &b.segment).collect();
        let mut seen: Vec<&String> = Vec::new();
        for seg in segs {
            if seen.contains(&seg) {
                continue;
            }
            seen.push(seg);
            print!("{seg:<16}");
            for b in budgets.iter().filter(|b| &b.segment == seg) {
                let m = |x: jeugdflow::finance::money::Euros| {
                    if x.is_finite() {
                        format!("{:.1}", x.millions())
                    } else {
                        "–".into()
                    }
                };
                print!(
                    " {:>16}",
                    format!("{} (P×Q {})", m(b.budget), m(b.pxq_mean))
                );
            }
            println!();
        }
        println!("results: {}", out_dir.display());
        println!("report:  {}", out_dir.join("report.html").display());
    }
    Ok(ExitCode::SUCCESS)
}

/// A short table of headline numbers per segment over the whole horizon.
fn print_headline(
    model: &Model,
    res: &experiment::Results,
    plan: Plan,
    wall: f64,
    out: &std::path::Path,
) {
    let tl = &model.timeline;
    let total = tl.intervals.len() + tl.years.len();
    let first_year = tl.intervals.len();
    let mut buf = Vec::new();
    let mut mean = |level: usize, m: Metric, p: usize| {
        summarise(res.reps.iter().map(|r| r.get(level, m, p)), &mut buf).mean
    };
    println!(
        "{}: {} replications, seed {}, {:.1} s, {:.1} M events/s",
        model.name,
        plan.replications,
        plan.seed,
        wall,
        res.events as f64 / wall.max(1e-9) / 1e6
    );
    let year0 = tl.years.first().map_or(0, |y| y.0);
    println!(
        "{:<16} {:>12} {:>12} {:>12} {:>14} {:>16} {:>14}",
        "segment",
        format!("clients {year0}"),
        "wait days",
        "over norm",
        "waiting (end)",
        "out-of-home days",
        format!("cost {year0} €M")
    );
    let n_s = model.services.len();
    let rows = (0..model.segments.len())
        .map(|g| (model.segments[g].as_str(), n_s + g))
        .chain(std::iter::once(("all", n_s + model.segments.len())));
    for (name, level) in rows {
        println!(
            "{:<16} {:>12} {:>12} {:>12} {:>14} {:>16} {:>14}",
            name,
            num(mean(level, Metric::Clients, first_year).round()),
            num((mean(level, Metric::WaitDaysMean, total) * 10.0).round() / 10.0),
            num((mean(level, Metric::OverNormShare, total) * 1000.0).round() / 1000.0),
            num(mean(level, Metric::WaitingEnd, total).round()),
            num(mean(level, Metric::OutOfHomeDays, total).round()),
            num((mean(level, Metric::Cost, first_year) / 1e5).round() / 10.0),
        );
    }
    println!("results: {}", out.display());
    println!("report:  {}", out.join("report.html").display());
}

fn validate(files: &[PathBuf]) -> Result<ExitCode> {
    let mut bad = 0;
    for f in files {
        match Source::read(f).and_then(|s| scenario::load(&s)) {
            Ok(m) => {
                for w in m.warnings() {
                    eprintln!("warning: {}: {w}", f.display());
                }
                println!(
                    "ok: {} ({}: {} services in {} segments, {} inflows, {} to {})",
                    f.display(),
                    m.name,
                    m.services.len(),
                    m.segments.len(),
                    m.inflows.len(),
                    m.timeline.start_date,
                    m.timeline.date_of(m.timeline.horizon - 1.0)
                )
            }
            Err(e) => {
                bad += 1;
                eprintln!("error: {}: {e}", f.display());
            }
        }
    }
    if bad > 0 {
        Err(InvalidInput(format!(
            "{bad} of {} scenario file{} invalid",
            files.len(),
            if files.len() == 1 { " is" } else { "s are" }
        ))
        .into())
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
