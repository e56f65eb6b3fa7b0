//! The one progress bar: on stderr, only when it is a terminal and the command is not
//! `--quiet`. The library reports progress through a callback; only here is indicatif.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Replications done out of a total, shown as a bar (or nothing at all).
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar for `total` replications named `name`; hidden when `quiet` or when stderr is
    /// not a terminal.
    pub fn new(total: u64, name: &str, quiet: bool) -> Progress {
        Progress((!quiet && std::io::stderr().is_terminal()).then(|| {
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
        }))
    }

    /// Shows `done` replications.
    pub fn set(&self, done: u64) {
        if let Some(b) = &self.0 {
            b.set_position(done);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
