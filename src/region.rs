//! Any region in one command: a region's yearly figures per service (a CSV file or an
//! Excel workbook) become a calibrated scenario, and a scenario's first year is checked
//! against such a table.
//!
//! - [`table`] reads a `.csv` or a sheet of an `.xlsx` into text cells with their row and
//!   column;
//! - [`number`] writes numbers for messages and reads them as a spreadsheet writes them
//!   ([`number::read`]: `1.500`, `€ 1.500`, `15%`), deciding a file's decimal mark and
//!   refusing a cell that could mean two things;
//! - [`check`] validates every row and column at once into a [`RegionTable`];
//! - [`solve`] derives inflows, caseloads, capacities and tariffs by Little's law over
//!   the whole flow (a linear system over `next`), and finds figures that contradict
//!   each other;
//! - [`write`](mod@write) renders the scenario text with each derivation beside its number;
//! - [`calibrate`] compares a simulated first year with the table.
//!
//! Nothing here writes files or runs replications: the commands do (`jeugdflow init`,
//! `jeugdflow calibrate`).

pub mod calibrate;
pub mod check;
pub mod number;
pub mod places;
pub mod solve;
pub mod table;
pub mod write;

pub use check::{Col, Problem, RegionTable, TableError};
pub use solve::{Flow, Solution};
pub use write::InitOptions;

use std::path::Path;

/// Why a region table could not be used. Every variant is the user's input at fault.
#[derive(Debug, thiserror::Error)]
pub enum RegionError {
    /// The file could not be read as a table.
    #[error("cannot read region table '{path}': {message}")]
    Read { path: String, message: String },
    /// The table was read but has problems; all of them are listed.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A scenario and a table that do not describe the same services.
    #[error("{scenario} does not match the region table {table}:{}", list(.problems))]
    Mismatch {
        scenario: String,
        table: String,
        problems: Vec<String>,
    },
}

fn list(p: &[String]) -> String {
    p.iter().map(|x| format!("\n  {x}")).collect()
}

/// Reads and checks a table and solves its flows, with `days` in the year whose spend
/// the tariffs spread. Every problem — of a cell, a column or between rows — comes back
/// at once.
pub fn load(
    path: &Path,
    sheet: Option<&str>,
    days: f64,
) -> Result<(RegionTable, Solution), RegionError> {
    let raw = table::read(path, sheet)?;
    solve_raw(&raw, days)
}

/// [`load`] for a table already read.
pub fn solve_raw(raw: &table::RawTable, days: f64) -> Result<(RegionTable, Solution), RegionError> {
    let (table, mut problems) = check::check_rows(raw);
    let solution = match &table {
        Some(t) => match solve::flows(t, days) {
            Ok(s) => Some(s),
            Err(p) => {
                problems.extend(p);
                None
            }
        },
        None => None,
    };
    match (table, solution) {
        (Some(t), Some(s)) if problems.is_empty() => Ok((t, s)),
        _ => Err(TableError::of(raw, problems).into()),
    }
}

/// Reads, checks and solves a table (its first sheet, for a workbook) and renders its
/// scenario text.
pub fn init_text(path: &Path, options: &InitOptions) -> Result<String, RegionError> {
    let days = write::days_in_year(write::calibration_year(options.start));
    let (table, sol) = load(path, None, days)?;
    Ok(write::render(&table, &sol, options))
}
