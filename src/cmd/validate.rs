//! `jeugdflow validate`: checks scenario files (and sweep files: every scenario of the
//! sweep, as `sweep` would before running) and reports problems with file, line and
//! column; warnings do not fail it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use jeugdflow::scenario::{self, ScenarioError, Source};
use jeugdflow::sweep;

use super::common::InvalidInput;

/// The options of `validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario files or sweep files (TOML); a sweep file (one with `[sweep]`) is
    /// dry-run: every scenario of the sweep is built and checked, nothing runs.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Checks every file: `ok: …` on stdout for a valid one, its problems on stderr for the
/// others; invalid input (exit code 2) when any is invalid.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let files = &args.files;
    let mut bad = 0;
    for f in files {
        let checked = match Source::read(f) {
            Ok(src) if is_sweep(&src.text) => check_sweep(f),
            Ok(src) => check_scenario(f, &src),
            Err(e) => Err(e),
        };
        match checked {
            Ok(line) => println!("ok: {} ({line})", f.display()),
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

/// Whether `text` is a sweep file: a TOML table with `[sweep]` and no `[scenario]`.
fn is_sweep(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|t| t.contains_key("sweep") && !t.contains_key("scenario"))
}

/// `n` and the noun, plural unless `n` is 1.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Checks one scenario: what it holds, or its problems.
fn check_scenario(f: &std::path::Path, src: &Source) -> Result<String, ScenarioError> {
    let m = scenario::load(src)?;
    for w in m.warnings() {
        eprintln!("warning: {}: {w}", f.display());
    }
    Ok(format!(
        "{}: {} in {}, {}, {} to {}",
        m.name,
        count(m.services.len(), "service"),
        count(m.segments.len(), "segment"),
        count(m.inflows.len(), "inflow"),
        m.timeline.start_date,
        m.timeline.date_of(m.timeline.horizon - 1.0)
    ))
}

/// Dry-runs a sweep file: every scenario of the sweep built from its file and overrides
/// and validated, problems at the sweep file's line.
fn check_sweep(f: &std::path::Path) -> Result<String, ScenarioError> {
    let spec = sweep::read(f)?;
    let names = spec.scenario_names()?;
    let points = spec.points(&names);
    for p in &points {
        spec.load(p)?;
    }
    Ok(format!(
        "sweep {}: {}, each valid",
        spec.name,
        count(points.len(), "scenario")
    ))
}
