//! Scenario files: the TOML schema, and its validation into a [`Model`].
//!
//! Parsing happens in two steps, as in ripgrep's low/high arguments: [`raw`] mirrors the
//! file exactly (every key as written, with its position in the file), then `validate`
//! checks everything, collecting *all* problems — each with file, line, column, the field
//! and what is allowed — and only then builds the [`Model`], which nothing re-checks.

pub mod chain;
mod diag;
pub mod raw;
mod validate;
pub use validate::scenario::{DEFAULT_FLAG_OVER_NORM_SHARE, folder_name_problem};

pub use diag::{Diagnostic, ScenarioError};

use std::path::Path;

use crate::model::Model;

/// The built-in default scenario (Groningen), compiled into the binary.
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/groningen.toml");
/// The name under which the default scenario appears in messages.
pub const DEFAULT_SCENARIO_NAME: &str = "scenarios/groningen.toml (built in)";

/// A scenario's source text and where it came from.
#[derive(Clone, Debug)]
pub struct Source {
    /// The path as the user gave it (or the built-in name).
    pub name: String,
    pub text: String,
}

impl Source {
    /// Reads a scenario file.
    pub fn read(path: &Path) -> Result<Source, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(Source {
            name: path.display().to_string(),
            text,
        })
    }

    /// The built-in default scenario.
    pub fn builtin() -> Source {
        Source {
            name: DEFAULT_SCENARIO_NAME.to_string(),
            text: DEFAULT_SCENARIO.to_string(),
        }
    }
}

/// Parses and validates a scenario, with the files it `extends`.
pub fn load(source: &Source) -> Result<Model, ScenarioError> {
    load_with(source, &[])
}

/// Parses and validates a scenario with overrides applied last (problems in an override
/// point at a synthetic `path = value` file; see [`load_point`] for a sweep's).
pub fn load_with(source: &Source, overrides: &[chain::Override]) -> Result<Model, ScenarioError> {
    load_point(source, overrides, None)
}

/// Parses and validates a point of a sweep: a scenario with the overrides written in
/// `sweep_file`, whose problems point at the line of the sweep file where the user
/// wrote the value.
pub fn load_point(
    source: &Source,
    overrides: &[chain::Override],
    sweep_file: Option<&chain::OverrideFile>,
) -> Result<Model, ScenarioError> {
    let chain = chain::load_chain(source)?.with_overrides(&source.name, sweep_file, overrides);
    let raw = raw::parse(&chain)?;
    validate::validate(&chain, raw)
}
