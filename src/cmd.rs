//! The command line: the commands as clap sees them, and the dispatch to their files.
//!
//! Each command lives in `cmd/<name>.rs`: its options (`Args`, whose field docs are the
//! `--help` texts) and `exec`, a thin layer from the parsed options to library calls to
//! output. What several commands share is in [`common`], which uses none of them. No model
//! logic lives here, and no file format: the bytes come from `jeugdflow::report`.
//!
//! To add a command `foo`: write `cmd/foo.rs` with `pub struct Args` and
//! `pub fn exec(args: &Args) -> Result<ExitCode>`, add `mod foo;`, a variant
//! `Foo(foo::Args)` to [`Command`] (its doc comment is the command's help) and its arm in
//! [`run`].

mod budget;
mod calibrate;
mod common;
mod compare;
mod init;
mod merge;
mod run;
mod savings;
mod serve;
mod sweep;
mod validate;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

pub use common::InvalidInput;

/// Discrete-event simulation of youth-care capacity and flow (Dutch jeugdhulp) to 2030.
#[derive(Parser, Debug)]
#[command(name = "jeugdflow", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The commands, in the order `--help` lists them.
#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario (without one: the built-in Groningen default) and write its outputs.
    Run(run::Args),
    /// Run a sweep: scenario files and/or axes of parameter overrides, with common
    /// random numbers; writes one folder per scenario, sweep.csv and differences.csv.
    Sweep(sweep::Args),
    /// Estimate taakgericht budgets per segment and year: the budget that covers the
    /// simulated cost with the given confidence, and the capacity (and its lump sum) each
    /// service needs to admit the target share of youths within its wait norm.
    Budget(budget::Args),
    /// Compare phasing strategies with a baseline on cost per year: the saving, and the
    /// frictiekosten of paying for more places than the baseline while old and new care
    /// run side by side.
    /// All runs share the baseline's seed and replications (common random numbers).
    #[command(
        mut_arg("reps", |a| a.help(
            "Number of replications for every run (overrides the baseline's `replications`), 1 to 1,000,000"
        )),
        mut_arg("seed", |a| a.help("Base random seed for every run (overrides the baseline's `seed`)")),
        mut_arg("out", |a| a.help("Output folder (default: output/savings)"))
    )]
    Savings(savings::Args),
    /// Combine the output folders of a sweep's shards into one result.
    Merge(merge::Args),
    /// Compare the KPIs of run folders side by side, against the first (paired by
    /// replication when they share seed and replications).
    Compare(compare::Args),
    /// Check scenario files and report every problem with file, line and column.
    Validate(validate::Args),
    /// Build a calibrated scenario from a region's own table (CSV or Excel, one row per
    /// service): inflows, caseloads, capacities and tariffs by Little's law over the flow.
    Init(init::Args),
    /// Check a scenario's first whole simulated year against a region table: clients,
    /// spend, occupancy and waits per service and segment; writes calibration.csv and
    /// exits 1 when any figure is outside the tolerance.
    Calibrate(calibrate::Args),
    /// Start the strategy studio: a local web app to build, run and compare phasing
    /// strategies in the browser. Prints `studio: http://HOST:PORT/`; Ctrl-C stops it.
    Serve(serve::Args),
}

/// Parses the command line and runs the command.
pub fn run() -> Result<ExitCode> {
    match Cli::parse().command {
        Command::Run(a) => run::exec(&a),
        Command::Sweep(a) => sweep::exec(&a),
        Command::Budget(a) => budget::exec(&a),
        Command::Savings(a) => savings::exec(&a),
        Command::Merge(a) => merge::exec(&a),
        Command::Compare(a) => compare::exec(&a),
        Command::Validate(a) => validate::exec(&a),
        Command::Init(a) => init::exec(&a),
        Command::Calibrate(a) => calibrate::exec(&a),
        Command::Serve(a) => serve::exec(&a),
    }
}
