//! The `jeugdflow` binary: a thin shell around the library. The commands are in `cmd.rs`
//! and `cmd/`; here only the exit code: 0 success, 2 invalid input, 1 anything else.

mod cmd;

use std::process::ExitCode;

use jeugdflow::scenario::ScenarioError;

fn main() -> ExitCode {
    match cmd::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let invalid = e.chain().any(|c| {
                c.downcast_ref::<ScenarioError>().is_some()
                    || c.downcast_ref::<cmd::InvalidInput>().is_some()
            });
            if invalid {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
