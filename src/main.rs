//! The `jeugdflow` binary: a thin shell around the library (see `cli.rs`).

mod cli;
mod savings_cmd;
mod sweep_cmd;

use std::process::ExitCode;

use jeugdflow::scenario::ScenarioError;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let invalid = e.chain().any(|c| {
                c.downcast_ref::<ScenarioError>().is_some()
                    || c.downcast_ref::<cli::InvalidInput>().is_some()
            });
            if invalid {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
