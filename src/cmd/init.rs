//! `jeugdflow init`: a region's table (CSV or Excel) to a calibrated scenario file. Options,
//! the path and the terminal table only; reading, checking, solving and the scenario text
//! are in [`jeugdflow::region`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use jiff::civil::Date;

use jeugdflow::region::check::trim_float;
use jeugdflow::region::write::{self, InitOptions, grouped};
use jeugdflow::region::{self, RegionTable, Solution, places};
use jeugdflow::report::output::Kind;
use jeugdflow::scenario::{self, Source};
use jeugdflow::words::count;

use super::common::own::refuse_existing;
use super::common::{Columns, InvalidInput, claim, values};

/// The options of `init`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The region's table: a .csv file or an .xlsx workbook (first sheet, or --sheet), one
    /// row per service (columns: see README, "Your own region").
    pub table: PathBuf,
    /// The sheet of an .xlsx workbook that holds the table (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The scenario's name (its output folder; default: the table's file name).
    #[arg(long)]
    pub name: Option<String>,
    /// First simulated day, 2025-01-01 or 1-1-2025 (default: the next 1 January). The
    /// first whole calendar year from it reproduces the table.
    #[arg(long, value_parser = values::date)]
    pub start: Option<Date>,
    /// Last simulated day, 2030-12-31 or 31-12-2030 (default: 2030-12-31).
    #[arg(long, value_parser = values::date)]
    pub end: Option<Date>,
    /// The scenario file to write (default: scenarios/<name>.toml); never overwritten.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Checks and solves the table, writes the scenario, prints the derived flows.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let name = match &args.name {
        Some(n) => n.clone(),
        None => args
            .table
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if name.is_empty()
        || name.starts_with('.')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(InvalidInput(format!(
            "\"{name}\" cannot be a scenario name; give --name with letters, digits, '-', '_' and '.'"
        ))
        .into());
    }
    let start = args.start.unwrap_or_else(next_first_of_january);
    let end = match args.end {
        Some(e) => e,
        None => Date::new(2030, 12, 31).context("the default end date")?,
    };
    let year = write::calibration_year(start);
    let year_end = Date::new(year, 12, 31).context("the calibration year")?;
    if end < year_end {
        return Err(InvalidInput(format!(
            "--end {end} must be on or after {year_end}: the scenario reproduces the table's \
             figures in {year}, the first whole calendar year from --start {start}"
        ))
        .into());
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("scenarios").join(format!("{name}.toml")));
    // stricter than the library's rule, which would replace a file jeugdflow wrote: a
    // scenario is edited by hand after `init`, so an existing one is never replaced; the
    // claim checks that the place can be written before any work
    refuse_existing(&out, "choose another --out or --name, or remove it")?;
    let place = claim(
        &out,
        Kind::Text {
            first_line: write::FIRST_LINE,
        },
    )?;
    let options = InitOptions {
        name,
        start,
        end,
        table_label: args.table.file_name().map_or_else(
            || args.table.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        ),
    };
    let (table, sol) = region::load(
        &args.table,
        args.sheet.as_deref(),
        write::days_in_year(year),
    )
    .map_err(|e| InvalidInput(e.to_string()))?;
    let text = write::render(&table, &sol, &options);
    // the generated file must be a valid scenario: a failure here is jeugdflow's bug
    scenario::load(&Source {
        name: out.display().to_string(),
        text: text.clone(),
    })
    .map_err(|e| anyhow!("the generated scenario does not validate (please report this): {e}"))?;
    if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder '{}'", dir.display()))?;
    }
    place.write_file(text.as_bytes())?;
    print!(
        "{}",
        summary(&table, &sol, &options, year, &out, &args.table)
    );
    Ok(ExitCode::SUCCESS)
}

/// The next 1 January from today (today when it is one).
fn next_first_of_january() -> Date {
    let today = jiff::ZonedDateTime::now().date();
    if today.month() == 1 && today.day() == 1 {
        today
    } else {
        Date::new(today.year() + 1, 1, 1).unwrap_or(today)
    }
}

/// What `init` prints: the derived flows per service and how to check them.
fn summary(
    t: &RegionTable,
    sol: &Solution,
    o: &InitOptions,
    year: i16,
    out: &Path,
    table: &Path,
) -> String {
    let mut lines = vec![format!(
        "{}: {} in {}; {year} reproduces the table",
        match &t.sheet {
            Some(s) => format!("{}, sheet \"{s}\"", o.table_label),
            None => o.table_label.clone(),
        },
        count(t.services.len(), "service"),
        count(t.segments().len(), "segment")
    )];
    let cols = Columns::new(22, &[10, 10, 9, 9, 10]);
    lines.push(cols.line(
        "service",
        &["λ / year", "inflow", "initial", "capacity", "€ / day"],
    ));
    for (s, f) in t.services.iter().zip(&sol.flows) {
        lines.push(cols.line(
            &s.id,
            &[
                grouped(f.throughput, 1),
                grouped(f.external, 1),
                f.initial.to_string(),
                f.capacity.map_or("–".into(), |c| c.to_string()),
                f.tariff_per_day.map_or("–".into(), |r| format!("{r:.2}")),
            ],
        ));
    }
    for u in places::unreachable(t, sol) {
        let b = u.band;
        let other = if u.places == b.more {
            format!("{} places would give {:.3}", b.fewer, b.high)
        } else {
            format!("{} places would give {:.3}", b.more, b.low)
        };
        lines.push(format!(
            "note: {}: occupancy {} cannot be reached with whole places: {} youths in care need \
             {:.2} places; {} places give {:.3} ({other}); calibrate judges it against what \
             whole places allow",
            t.services[u.service].id,
            trim_float(u.occupancy),
            grouped(u.caseload, 2),
            b.exact,
            u.places,
            u.reached
        ));
    }
    lines.push(format!("written: {}", out.display()));
    lines.push(format!(
        "check it: jeugdflow calibrate {} --against {}",
        out.display(),
        table.display()
    ));
    lines.iter().map(|l| format!("{l}\n")).collect()
}
