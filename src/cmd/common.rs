//! What the commands share, and nothing that knows one of them: how to run (`RunOpts`,
//! `RunArgs`), loading a scenario with its warnings, the invalid-input error (exit code 2),
//! the progress bar ([`progress`]), reading and writing output folders ([`folders`]),
//! lines of terminal tables ([`table`]), `init`'s never-replace-a-scenario check
//! ([`own`]) and command-line values as a Dutch user writes them ([`values`]).

pub mod folders;
pub mod own;
pub mod progress;
pub mod table;
pub mod values;

use std::path::{Path, PathBuf};

use anyhow::Result;

use jeugdflow::experiment::{Plan, Results};
use jeugdflow::model::Model;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::output::{self, Claim, Kind};
use jeugdflow::report::run_folder::Run;
use jeugdflow::scenario::{self, Source};

pub use folders::write_run;
pub use jeugdflow::experiment::{MAX_REPLICATIONS, MAX_THREADS};
pub use progress::Progress;
pub use table::Columns;

/// Marks an error as the user's input at fault (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// What `run` and `budget` share: which scenario, and how to run it.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML). Omit to use the built-in default scenario.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub opts: RunOpts,
}

/// How to run (`run`, `budget`, `savings`): replications, seed, output, threads, quiet,
/// language.
#[derive(clap::Args, Debug, Clone)]
pub struct RunOpts {
    /// Number of replications (overrides the scenario's `replications`), 1 to 1,000,000.
    #[arg(long, value_parser = values::reps, allow_hyphen_values = true)]
    pub reps: Option<u32>,
    /// Base random seed, 0 to 9,223,372,036,854,775,807 (overrides the scenario's `seed`,
    /// which has the same range, so a seed from a manifest fits either).
    #[arg(long, value_parser = values::seed, allow_hyphen_values = true)]
    pub seed: Option<u64>,
    /// Output folder (default: output/<scenario name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads, 1 to 1,024 (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = values::threads, allow_hyphen_values = true)]
    pub threads: Option<u16>,
    /// No progress bar and no table on the terminal.
    #[arg(long)]
    pub quiet: bool,
    /// Language of the charts and report.html: nl (Nederlands) or en (English).
    #[arg(long, value_enum, default_value_t = Lang::Nl)]
    pub lang: Lang,
}

impl RunOpts {
    /// The plan for `model`: the options' replications and seed, else the model's.
    pub fn plan(&self, model: &Model) -> Plan {
        Plan {
            replications: self.reps.unwrap_or(model.replications),
            seed: self.seed.unwrap_or(model.seed),
            threads: self.threads.map(usize::from),
        }
    }
}

/// A scenario loaded, with its plan and its output folder, claimed.
pub struct Prepared {
    pub source: Source,
    pub model: Model,
    pub plan: Plan,
    pub out: Claim,
}

impl RunArgs {
    /// Loads the scenario (or the built-in default), decides the plan and claims the output
    /// folder (default `output/<scenario name>`) for a run folder, before any work.
    pub fn prepare(&self) -> Result<Prepared> {
        let (source, model) = load(self.scenario.as_deref())?;
        let plan = self.opts.plan(&model);
        let out_dir = self
            .opts
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output").join(&model.name));
        let out = claim(&out_dir, Kind::Run)?;
        Ok(Prepared {
            source,
            model,
            plan,
            out,
        })
    }
}

/// Claims `path` for output of `kind` (see `report::output`) before any work; a place
/// that is refused or cannot be written is the user's to fix (exit code 2).
pub fn claim(path: &Path, kind: Kind) -> Result<Claim> {
    output::claim(path, kind).map_err(|e| {
        // the reason once, after the message
        let reason = std::error::Error::source(&e).map_or(String::new(), |s| format!(": {s}"));
        InvalidInput(format!("{e}{reason}")).into()
    })
}

impl Prepared {
    /// The finished run, as its folder needs it.
    pub fn run<'a>(&'a self, results: &'a Results, wall_seconds: f64) -> Run<'a> {
        Run::new(&self.model, &self.source, self.plan, results, wall_seconds)
    }
}

/// Reads and validates a scenario file (the built-in default without one), printing its
/// warnings on stderr.
pub fn load(path: Option<&Path>) -> Result<(Source, Model)> {
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

/// Refuses a folder given twice (the same folder by two paths too), `what` saying what
/// each should be ("shard folder", "run folder"): `merge` would count its points once and
/// `compare` would compare a run with itself, and the command line is surely not what was
/// meant.
pub fn refuse_repeats(dirs: &[PathBuf], what: &str) -> Result<()> {
    let canon: Vec<PathBuf> = dirs
        .iter()
        .map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()))
        .collect();
    if let Some((first, second)) = jeugdflow::sweep::first_repeat(&canon) {
        let (a, b) = (dirs[first].display(), dirs[second].display());
        let named = if a.to_string() == b.to_string() {
            format!("'{a}' is given twice")
        } else {
            format!("'{a}' and '{b}' are the same folder")
        };
        return Err(InvalidInput(format!("{named}: give each {what} once")).into());
    }
    Ok(())
}

/// Fails with [`InvalidInput`] (the `message`) when no service of `model` has a tariff, so
/// there is no cost to work with.
pub fn require_tariff(model: &Model, message: impl FnOnce() -> String) -> Result<()> {
    if model.services.iter().all(|s| s.tariff.is_none()) {
        return Err(InvalidInput(message()).into());
    }
    Ok(())
}
