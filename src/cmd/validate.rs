//! `jeugdflow validate`: checks scenario files and reports every problem with file, line
//! and column; warnings do not fail it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use jeugdflow::scenario::{self, Source};

use super::common::InvalidInput;

/// The options of `validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Checks every file: `ok: …` on stdout for a valid one, its problems on stderr for the
/// others; invalid input (exit code 2) when any is invalid.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let files = &args.files;
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
