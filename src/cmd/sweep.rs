//! `jeugdflow sweep`: runs every point of a sweep file with common random numbers, one run
//! folder each, then writes `sweep.csv`, `differences.csv`, `comparison.xlsx` and the
//! comparison report.
//! `--resume` skips points already complete; `--shard K/N` runs one part for a cluster
//! (combined with `jeugdflow merge`); Ctrl-C stops after the point in flight. A point's
//! folder is lean unless `--keep all` (see `report::run_folder::Keep`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use jeugdflow::experiment::{self, Plan};
use jeugdflow::model::Model;
use jeugdflow::report::comparison::Listed;
use jeugdflow::report::folder;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::manifest::{SweepManifest, sha256_hex};
use jeugdflow::report::output::Kind;
use jeugdflow::report::run_folder::{Extras, Keep, Run};
use jeugdflow::sweep::{self, Member, Point, Sweep};

use super::common::folders::{
    breach_line, read_strategies, start_sweep_folder, write_sweep_outputs,
};
use super::common::{Progress, claim, values, write_run};

/// The options of `sweep`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Sweep file (TOML).
    pub file: PathBuf,
    /// Number of replications (overrides the sweep's `replications`), 1 to 1,000,000.
    #[arg(long, value_parser = values::reps, allow_hyphen_values = true)]
    pub reps: Option<u32>,
    /// Output folder (default: output/<sweep name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads, 1 to 1,024 (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = values::threads, allow_hyphen_values = true)]
    pub threads: Option<u16>,
    /// Skip scenarios whose results are already complete in the output folder.
    #[arg(long)]
    pub resume: bool,
    /// Run only part K of N of the scenarios (for a cluster job array); combine the
    /// parts with `jeugdflow merge`.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// What each scenario's folder keeps: `lean` (summary.csv, replications.csv, costs.csv,
    /// paths.csv, manifest.json; timeseries.csv.gz with `timeseries = true` in [sweep]) or
    /// `all` (also timeseries.csv, schedule_events.csv, the charts and report.html, as `run`
    /// writes them).
    #[arg(long, value_enum, default_value_t = Keep::Lean)]
    pub keep: Keep,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Language of the charts and report.html: nl (Nederlands) or en (English).
    #[arg(long, value_enum, default_value_t = Lang::Nl)]
    pub lang: Lang,
}

/// Which part of a sweep this process runs: points with `index % of == part - 1`.
#[derive(Clone, Copy, Debug)]
pub struct Shard {
    pub part: usize,
    pub of: usize,
}

impl Shard {
    /// Whether point `index` belongs to this part (every point without a shard).
    fn holds(shard: Option<Shard>, index: usize) -> bool {
        shard.is_none_or(|sh| index % sh.of == sh.part - 1)
    }
}

/// Parses `K/N` with 1 ≤ K ≤ N.
fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("\"{s}\" is not K/N (e.g. 2/8)"))?;
    let (k, n): (usize, usize) = (
        k.trim()
            .parse()
            .map_err(|_| format!("\"{s}\" is not K/N (e.g. 2/8)"))?,
        n.trim()
            .parse()
            .map_err(|_| format!("\"{s}\" is not K/N (e.g. 2/8)"))?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be between 1 and N"));
    }
    Ok(Shard { part: k, of: n })
}

/// Set by Ctrl-C: the sweep stops after the scenario in flight.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A sweep read and validated: its points, their models, and how they run.
struct Loaded {
    spec: Sweep,
    points: Vec<Point>,
    models: Vec<Model>,
    plan: Plan,
    /// Identifies the sweep across shards (see [`Member::sweep_id`]).
    sweep_id: String,
    /// Per point, what determines its results (see [`point_key`]).
    keys: Vec<String>,
}

/// Reads the sweep file and validates every point before anything runs.
fn load(args: &Args) -> Result<Loaded> {
    let spec = sweep::read(&args.file)?;
    let sweep_text = std::fs::read(&args.file)
        .with_context(|| format!("cannot read sweep file '{}'", args.file.display()))?;
    let names = spec.scenario_names()?;
    let points = spec.points(&names);
    let mut models = Vec::with_capacity(points.len());
    for p in &points {
        let mut m = spec.load(p)?;
        m.name = p.name.clone();
        models.push(m);
    }
    let seed = spec.seed.unwrap_or(models[0].seed);
    let replications = args
        .reps
        .or(spec.replications)
        .unwrap_or(models[0].replications);
    // what identifies this sweep across shards: its file and every scenario file, with
    // the files each extends
    let chains: Vec<String> = spec
        .scenarios
        .iter()
        .map(sweep::chain_text)
        .collect::<Result<_, _>>()?;
    let mut id = sweep_text;
    for chain in &chains {
        id.extend_from_slice(chain.as_bytes());
    }
    // a sweep without futures keeps the id it had before futures existed
    for f in &spec.futures {
        id.extend_from_slice(format!("\n\0future {} {}\n", f.name, f.source.text.len()).as_bytes());
        id.extend_from_slice(f.source.text.as_bytes());
    }
    id.extend_from_slice(format!("seed={seed} reps={replications}").as_bytes());
    let plan = Plan {
        replications,
        seed,
        threads: args.threads.map(usize::from),
    };
    let keys = points
        .iter()
        .map(|p| {
            let future = p.future.map(|f| spec.futures[f].source.text.as_str());
            point_key(&chains[p.scenario], future, p, plan)
        })
        .collect();
    Ok(Loaded {
        sweep_id: sha256_hex(&id),
        spec,
        points,
        models,
        plan,
        keys,
    })
}

/// Runs the sweep (or its shard), writes a folder per point and the sweep's own files.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let Loaded {
        spec,
        points,
        models,
        plan,
        sweep_id,
        keys,
    } = load(args)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&spec.name));
    claim(&out_dir, Kind::Sweep)?;
    let mut manifest = SweepManifest::new(
        &spec.name,
        &sweep_id,
        points.len(),
        plan.seed,
        plan.replications,
        Vec::new(),
    );
    manifest.shard = args.shard.map(|sh| format!("{}/{}", sh.part, sh.of));
    start_sweep_folder(&out_dir, manifest)?;
    // without a handler (one is already set) Ctrl-C simply ends the process
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130); // a second Ctrl-C stops at once
        }
        eprintln!("\ninterrupted: finishing the scenario in flight (Ctrl-C again to stop now)");
    });
    let reps = plan.replications as u64;
    let mine = (0..points.len())
        .filter(|i| Shard::holds(args.shard, *i))
        .count() as u64;
    let bar = Progress::new(mine * reps, &spec.name, args.quiet);
    let mut finished = 0usize;
    let mut done = 0u64;
    let mut skipped: Vec<&str> = Vec::new();
    for (index, (p, model)) in points.iter().zip(&models).enumerate() {
        if !Shard::holds(args.shard, index) {
            continue;
        }
        if INTERRUPTED.load(Ordering::SeqCst) {
            bar.finish();
            eprintln!(
                "stopped: {} of {} scenarios complete in '{}'; run again with --resume to finish",
                finished,
                points.len(),
                out_dir.display()
            );
            return Ok(ExitCode::from(130));
        }
        let key = keys[index].clone();
        let dir = out_dir.join(&p.name);
        let out = claim(&dir, Kind::Run)?;
        let series = args.keep == Keep::Lean && spec.timeseries;
        if args.resume && completed(&dir, &key, series) {
            finished += 1;
            skipped.push(&p.name);
            done += reps;
            bar.set(done);
            continue;
        }
        let started = Instant::now();
        let res = experiment::run(model, plan, &|n| bar.set(done + n))
            .with_context(|| format!("scenario '{}' of the sweep", p.name))?;
        done += reps;
        let member = Member {
            sweep: spec.name.clone(),
            sweep_id: sweep_id.clone(),
            index,
            points: points.len(),
            axes: spec.axes.iter().map(|a| a.path.clone()).collect(),
            values: p.overrides.iter().map(|o| o.value.clone()).collect(),
            road: p.future.map(|_| p.road.clone()),
            future: spec.future_name(p).map(str::to_string),
        };
        let run = Run::new(
            model,
            &p.source,
            plan,
            &res,
            started.elapsed().as_secs_f64(),
        );
        let extras = Extras::sweep_point(args.lang, args.keep, spec.timeseries, key, member);
        write_run(&run, extras, &out)?;
        finished += 1;
    }
    bar.finish();
    if args.resume {
        eprintln!("{}", resume_note(&skipped, finished));
    }
    finish(args, &spec, &points, plan, finished, &out_dir, &sweep_id)
}

/// What `--resume` did: the scenarios it found complete and skipped (the first ten by
/// name), and how many it ran.
fn resume_note(skipped: &[&str], of: usize) -> String {
    const NAMED: usize = 10;
    let ran = of - skipped.len();
    if skipped.is_empty() {
        return format!("resume: no scenario was complete; ran all {of}");
    }
    let mut names = skipped[..skipped.len().min(NAMED)].join(", ");
    if skipped.len() > NAMED {
        names.push_str(&format!(" and {} more", skipped.len() - NAMED));
    }
    format!(
        "resume: skipped {} of {of} scenarios already complete ({names}); ran {ran}",
        skipped.len()
    )
}

/// After the points: a shard says what it did; a whole sweep writes its own files.
fn finish(
    args: &Args,
    spec: &Sweep,
    points: &[Point],
    plan: Plan,
    finished: usize,
    out_dir: &Path,
    sweep_id: &str,
) -> Result<ExitCode> {
    if let Some(sh) = args.shard {
        if finished == 0 {
            // a job array may have more tasks than the sweep has scenarios: such a shard is
            // empty but valid, and `merge` takes it
            eprintln!(
                "{}: shard {}/{} holds no scenario (the sweep has {}); its folder '{}' merges as an empty shard",
                spec.name,
                sh.part,
                sh.of,
                points.len(),
                out_dir.display()
            );
        }
        if !args.quiet {
            println!(
                "{}: shard {}/{} done ({} of {} scenarios) in {}; combine the shards with `jeugdflow merge`",
                spec.name,
                sh.part,
                sh.of,
                finished,
                points.len(),
                out_dir.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<String> = points.iter().map(|p| p.name.clone()).collect();
    let listed: Vec<Listed> = points
        .iter()
        .map(|p| Listed {
            name: p.name.clone(),
            values: p.overrides.iter().map(|o| o.value.clone()).collect(),
            road: p.future.map(|_| p.road.clone()),
            future: spec.future_name(p).map(str::to_string),
        })
        .collect();
    let axes: Vec<String> = spec.axes.iter().map(|a| a.path.clone()).collect();
    let manifest = SweepManifest::new(
        &spec.name,
        sweep_id,
        points.len(),
        plan.seed,
        plan.replications,
        Vec::new(),
    );
    write_sweep_outputs(out_dir, &spec.name, &axes, &listed, args.lang, manifest)?;
    if !args.quiet {
        println!(
            "{}: {} scenarios × {} replications, seed {} (common random numbers)",
            spec.name,
            points.len(),
            plan.replications,
            plan.seed
        );
        println!("services (share of admissions over their norm):");
        let dirs: Vec<PathBuf> = names.iter().map(|n| out_dir.join(n)).collect();
        for s in read_strategies(&dirs, &names)? {
            println!("{}", breach_line(&s));
        }
        println!("results: {}", out_dir.display());
        println!("report:  {}", out_dir.join("report.html").display());
    }
    Ok(ExitCode::SUCCESS)
}

/// What determines a sweep point's results: the text of its scenario and of every file
/// that scenario extends (`chain`, from [`sweep::chain_text`]), the text of its future,
/// its overrides, seed, replications and the version of jeugdflow.
fn point_key(chain: &str, future: Option<&str>, p: &Point, plan: Plan) -> String {
    let mut s = chain.to_string();
    if let Some(f) = future {
        s.push_str(&format!("\n\0future {}\n{f}", f.len()));
    }
    for o in &p.overrides {
        s.push_str(&format!("\n{} = {}", o.path, o.value));
    }
    s.push_str(&format!(
        "\nseed={} reps={} version={}",
        plan.seed,
        plan.replications,
        env!("CARGO_PKG_VERSION")
    ));
    sha256_hex(s.as_bytes())
}

/// Whether a sweep point is already complete in `dir` with the same key (and its
/// `replications.csv` is there for the comparison, and `timeseries.csv.gz` when the sweep
/// asks for it in a lean folder: `series`).
fn completed(dir: &Path, key: &str, series: bool) -> bool {
    folder::read_run_manifest(dir).is_ok_and(|m| m.sweep_key.as_deref() == Some(key))
        && dir.join("replications.csv").is_file()
        && (!series || dir.join("timeseries.csv.gz").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_points_and_bad_ones_are_refused() {
        let sh = parse_shard("2/3").unwrap();
        let held: Vec<usize> = (0..7).filter(|i| Shard::holds(Some(sh), *i)).collect();
        assert_eq!(held, [1, 4]);
        assert!(Shard::holds(None, 5));
        assert_eq!(
            parse_shard("3/2").unwrap_err(),
            "shard 3/2: K must be between 1 and N"
        );
        assert!(parse_shard("x").unwrap_err().contains("is not K/N"));
        assert!(parse_shard("0/0").is_err());
    }
}
