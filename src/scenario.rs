//! Scenario files: the TOML schema, and its validation into a [`Model`].
//!
//! Parsing happens in two steps, as in ripgrep's low/high arguments: [`raw`] mirrors the
//! file exactly (every key as written, with its position in the file), then `validate`
//! checks everything, collecting *all* problems — each with file, line, column, the field
//! and what is allowed — and only then builds the [`Model`], which nothing re-checks.

pub mod chain;
mod diag;
mod lenient;
pub mod raw;
mod validate;
pub use validate::scenario::{DEFAULT_FLAG_OVER_NORM_SHARE, folder_name_problem};

pub use diag::{Diagnostic, ScenarioError};

use std::io::Read;
use std::path::Path;

use crate::model::Model;

/// The largest scenario file read (the root and each file it `extends`): a scenario is a
/// text file of a few kB (the largest example is under 20 kB), so 16 MiB is far beyond any
/// real one, yet small enough that `extends = "/dev/zero"` or a wrong path to a big data
/// file is refused at once instead of filling memory.
pub const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// What a scenario file larger than [`MAX_SCENARIO_BYTES`] is told.
pub const TOO_LARGE: &str = "file is larger than 16 MiB; a scenario is a text file of a few kB";

/// Reads at most `cap` bytes of `path`: `Ok(None)` when the file holds more. Reading goes
/// through the cap whatever the file is (a regular file, `/dev/zero`, a FIFO), so nothing
/// larger is ever held in memory.
pub fn read_capped(path: &Path, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// What a file given where a scenario is expected holds instead, with the command that
/// reads it: a region table (CSV, or a workbook) is for `init`. `None`: it may be a
/// scenario (or a sweep, told apart once parsed).
pub fn not_a_scenario(path: &Path, bytes: &[u8]) -> Option<String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let shown = path.display();
    let workbook = matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if workbook {
        return Some(format!(
            "this is a workbook, not a scenario (a TOML text file): if it holds a region \
             table, one row per service, make a scenario of it with `jeugdflow init {shown}` \
             (README, \"Your own region\")"
        ));
    }
    // a region table's header: `service,…` or `service;…` on its first line that is not
    // a comment (a scenario's lines are `key = value` or `[table]`)
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let header = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let table = ext == "csv"
        || (!header.contains('=')
            && header
                .trim_start_matches('\u{feff}')
                .split([',', ';'])
                .next()
                .is_some_and(|c| c.trim().trim_matches('"') == "service")
            && header.contains([',', ';']));
    table.then(|| {
        format!(
            "this is a region table (CSV), not a scenario: make a scenario of it with \
             `jeugdflow init {shown}`, then run that (README, \"Your own region\")"
        )
    })
}

/// The text of a scenario file named `name`, or where its first byte that is not UTF-8 is.
pub(crate) fn utf8_text(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        Diagnostic::at(
            name,
            &before,
            valid,
            "file",
            format!(
                "byte 0x{:02X} is not UTF-8 text: a scenario file must be UTF-8; save it as \
                 UTF-8 (e.g. \"Save as\", encoding UTF-8)",
                bytes[valid]
            ),
        )
    })
}

/// Bounds a scenario's values must keep, shared with the region table's checker, which
/// must never write a scenario that breaks them, and the bounds of a run (replications,
/// threads) that `experiment`, sweep files and the commands' options share.
pub mod limits {
    /// The most replications a run may have (a scenario's `replications`, `--reps`).
    pub const MAX_REPLICATIONS: u32 = 1_000_000;

    /// Most worker threads a run accepts. The largest machines have a few hundred cores; far
    /// more threads than cores only contend (10,000 threads on 2 cores took minutes).
    pub const MAX_THREADS: u16 = 1024;

    /// The most youths or places a count in a scenario may give (`capacity`, `initial`,
    /// `queue.waiting`, a gate's `min_capacity`, …): more than all the youths of the
    /// Netherlands, far beyond any region, and well inside the `u32` the model counts in,
    /// so a count is never clamped silently.
    pub const MAX_COUNT: i64 = 10_000_000;

    /// The largest amount of money a scenario may give as a price (a tariff per day, hour,
    /// admission or place, a trajectory price, a per-capita amount, the cost of an FTE),
    /// euros: no price in youth care comes near it (a year of the most intensive care
    /// costs some hundred thousand euros), and sums of it over millions of youths and days
    /// stay finite.
    pub const MAX_EUROS: f64 = 1e9;

    /// The largest budget a year (a lump sum), euros: more than a hundred times what the
    /// whole country spends on youth care in a year, and sums of it over a century stay
    /// finite.
    pub const MAX_BUDGET_EUROS: f64 = 1e12;

    /// A number as a message shows the value it refuses: as written for ordinary sizes,
    /// in exponent form when it would run to more than 16 digits (`1e300`, not 301 digits).
    pub fn shown(x: f64) -> String {
        if x != 0.0 && x.is_finite() && !(1e-6..1e16).contains(&x.abs()) {
            format!("{x:e}")
        } else {
            x.to_string()
        }
    }
}

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
    /// Reads a scenario file; `builtin:groningen` is the built-in default scenario.
    pub fn read(path: &Path) -> Result<Source, ScenarioError> {
        // the built-in default by the name `extends` knows it by
        if path == Path::new(chain::BUILTIN_EXTENDS) {
            return Ok(Source::builtin());
        }
        Source::read_file(path)
    }

    /// Reads the scenario file at `path`, through [`MAX_SCENARIO_BYTES`]; it must be UTF-8.
    pub(crate) fn read_file(path: &Path) -> Result<Source, ScenarioError> {
        let name = path.display().to_string();
        let fail = |message: String| ScenarioError::Read {
            path: name.clone(),
            message,
        };
        let bytes = read_capped(path, MAX_SCENARIO_BYTES)
            .map_err(|e| fail(e.to_string()))?
            .ok_or_else(|| fail(TOO_LARGE.into()))?;
        if let Some(message) = not_a_scenario(path, &bytes) {
            return Err(ScenarioError::WrongKind {
                path: name,
                message,
            });
        }
        let text = utf8_text(&name, bytes).map_err(|d| ScenarioError::Invalid(vec![d]))?;
        Ok(Source { name, text })
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
    load_point(source, None, overrides, None)
}

/// Parses and validates a scenario as it would be if the file at `path`, somewhere in its
/// chain of `extends`, read `text` (see [`chain::load_chain_replacing`]).
pub fn load_replacing(source: &Source, path: &Path, text: &str) -> Result<Model, ScenarioError> {
    let chain = chain::load_chain_replacing(source, path, text)?;
    let raw = raw::parse(&chain)?;
    validate::validate(&chain, raw)
}

/// Parses and validates a point of a sweep: a scenario in a `future` (a partial scenario
/// merged on top of it, see [`chain::Chain::with_overlay`]), with the overrides written in
/// `sweep_file`, whose problems point at the line of the sweep file where the user
/// wrote the value.
pub fn load_point(
    source: &Source,
    future: Option<&Source>,
    overrides: &[chain::Override],
    sweep_file: Option<&chain::OverrideFile>,
) -> Result<Model, ScenarioError> {
    let mut chain = chain::load_chain(source)?;
    if let Some(f) = future {
        chain = chain.with_overlay(f);
    }
    let chain = chain.with_overrides(&source.name, sweep_file, overrides);
    // what cannot be read is reported with what validation finds in the rest, at once
    let mut read = raw::parse_all(&chain)?;
    let Some(raw) = read.value.take() else {
        return Err(ScenarioError::Invalid(read.problems));
    };
    match validate::validate(&chain, raw) {
        Ok(model) if read.problems.is_empty() => Ok(model),
        Ok(_) => Err(ScenarioError::Invalid(read.problems)),
        Err(ScenarioError::Invalid(more)) => {
            // a key left out is not missing a second time
            let more: Vec<_> = more
                .into_iter()
                .filter(|d| !read.is_consequence(d))
                .collect();
            read.problems.extend(more);
            Err(ScenarioError::Invalid(read.problems))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_tiny_numbers_are_shown_in_exponent_form() {
        assert_eq!(limits::shown(1e300), "1e300");
        assert_eq!(limits::shown(-2.5e20), "-2.5e20");
        assert_eq!(limits::shown(1e-300), "1e-300");
        assert_eq!(limits::shown(4294967297.0), "4294967297");
        assert_eq!(limits::shown(0.5), "0.5");
        assert_eq!(limits::shown(0.0), "0");
    }

    #[test]
    fn a_file_is_read_through_its_cap() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s.toml");
        std::fs::write(&f, "0123456789").unwrap();
        assert_eq!(read_capped(&f, 10).unwrap().unwrap().len(), 10);
        assert!(read_capped(&f, 9).unwrap().is_none());
        #[cfg(unix)]
        assert!(read_capped(Path::new("/dev/zero"), 1000).unwrap().is_none());
    }

    #[test]
    fn the_first_byte_that_is_not_utf8_is_located() {
        let d = utf8_text("x.toml", b"# a\nname = \"caf\xe9\"\n".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 12));
        assert!(d.message.contains("0xE9"), "{}", d.message);
        assert!(d.message.contains("must be UTF-8"), "{}", d.message);
    }
}
