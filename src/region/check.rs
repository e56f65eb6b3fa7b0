//! Checking a region table: every row and column at once, into a [`RegionTable`] with no
//! text left to interpret.
//!
//! Every problem is collected — a missing column, a cell that is not a number, a negative
//! figure, an occupancy outside 0–1, a `next` to an unknown service or not summing to 1 —
//! each with the row and column a spreadsheet user sees. Figures that contradict each
//! other across rows (more youths transferred into a service than pass through it) are
//! found by [`super::solve`] and reported in the same list.

use std::fmt;

use crate::model::Setting;
use crate::scenario::limits::{MAX_BUDGET_EUROS, MAX_COUNT, shown};

use super::number::grouped;
use super::number::read::{self as numbers, Format, Kind};
pub use super::number::trim_float;
use super::table::{RawRow, RawTable};

mod cells;
use cells::{decimal, number_format, number_hint, number_kind};

/// A column of a region table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Service,
    Name,
    Segment,
    Setting,
    Clients,
    Spend,
    Stay,
    StayCv,
    Occupancy,
    WaitNorm,
    Next,
    MinAge,
    MaxAge,
    Growth,
    WaitingNow,
    MeanWait,
}

impl Col {
    /// Columns every table has (cells of some may be empty), in the contract's order.
    pub const REQUIRED: [Col; 14] = [
        Col::Service,
        Col::Name,
        Col::Segment,
        Col::Setting,
        Col::Clients,
        Col::Spend,
        Col::Stay,
        Col::StayCv,
        Col::Occupancy,
        Col::WaitNorm,
        Col::Next,
        Col::MinAge,
        Col::MaxAge,
        Col::Growth,
    ];
    /// Columns a table may have.
    pub const OPTIONAL: [Col; 2] = [Col::WaitingNow, Col::MeanWait];

    /// The header name.
    pub fn name(self) -> &'static str {
        match self {
            Col::Service => "service",
            Col::Name => "name",
            Col::Segment => "segment",
            Col::Setting => "setting",
            Col::Clients => "clients_per_year",
            Col::Spend => "spend_per_year",
            Col::Stay => "mean_stay_days",
            Col::StayCv => "stay_cv",
            Col::Occupancy => "occupancy",
            Col::WaitNorm => "wait_norm_days",
            Col::Next => "next",
            Col::MinAge => "min_age",
            Col::MaxAge => "max_age",
            Col::Growth => "growth_per_year",
            Col::WaitingNow => "waiting_now",
            Col::MeanWait => "mean_wait_days",
        }
    }

    fn all() -> impl Iterator<Item = Col> {
        Col::REQUIRED.into_iter().chain(Col::OPTIONAL)
    }
}

/// Where a youth goes after a stay: a service (index into [`RegionTable::services`]) or out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dest {
    Service(usize),
    Exit,
}

/// One branch of `next`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Branch {
    pub to: Dest,
    pub p: f64,
}

/// One service's row, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceRow {
    /// Row number in the file, for messages.
    pub row: usize,
    pub id: String,
    pub name: String,
    pub segment: String,
    pub setting: Setting,
    pub clients: f64,
    pub spend: Option<f64>,
    pub stay_days: f64,
    pub stay_cv: f64,
    /// Share of places in use, `0 < x ≤ 1`; `None`: no capacity limit.
    pub occupancy: Option<f64>,
    pub wait_norm_days: Option<f64>,
    /// Routing after a stay; empty means everybody leaves care. Sums to 1 otherwise.
    pub next: Vec<Branch>,
    pub min_age: f64,
    pub max_age: f64,
    pub growth: f64,
    pub waiting_now: Option<f64>,
    pub mean_wait_days: Option<f64>,
}

/// A checked region table.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionTable {
    pub file: String,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    pub services: Vec<ServiceRow>,
    /// The spreadsheet letter of each column present.
    pub columns: Vec<(Col, String)>,
}

impl ServiceRow {
    /// Whether the table gives a waiting list at the start (`waiting_now` or
    /// `mean_wait_days`, more than 0).
    pub fn has_list(&self) -> bool {
        self.waiting_now.is_some_and(|n| n > 0.0) || self.mean_wait_days.is_some_and(|w| w > 0.0)
    }
}

impl RegionTable {
    /// The file as the user named it, with the sheet read for a workbook
    /// (`lekstroom.xlsx, sheet "Diensten"`).
    pub fn label(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{}, sheet \"{s}\"", self.file),
            None => self.file.clone(),
        }
    }

    /// Segments in order of first appearance.
    pub fn segments(&self) -> Vec<&str> {
        let mut segs: Vec<&str> = Vec::new();
        for s in &self.services {
            if !segs.contains(&s.segment.as_str()) {
                segs.push(&s.segment);
            }
        }
        segs
    }

    /// A column's letter and name, for a problem's place.
    pub fn place(&self, c: Col) -> Option<(String, &'static str)> {
        self.columns
            .iter()
            .find(|(x, _)| *x == c)
            .map(|(_, l)| (l.clone(), c.name()))
    }

    /// The probability of going from service `i` to service `j` after a stay.
    pub fn p(&self, i: usize, j: usize) -> f64 {
        self.services[i]
            .next
            .iter()
            .filter(|b| b.to == Dest::Service(j))
            .map(|b| b.p)
            .sum()
    }
}

/// One problem in a table: where (row, column) and what is wrong or allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub row: Option<usize>,
    /// Spreadsheet letter and header name.
    pub column: Option<(String, &'static str)>,
    pub message: String,
}

/// Every problem of one table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct TableError {
    pub file: String,
    /// For a workbook: ` (sheet "Diensten")` and, when the sheet read has none of a region
    /// table's columns, where else to look (see [`sheet_note`]).
    pub sheet: String,
    pub problems: Vec<Problem>,
}

impl TableError {
    /// The problems of table `raw`.
    pub fn of(raw: &RawTable, problems: Vec<Problem>) -> TableError {
        TableError {
            file: raw.file.clone(),
            sheet: sheet_note(raw),
            problems,
        }
    }
}

/// ` (sheet "Blad1")` for a workbook (with its other sheets when this one has none of a
/// region table's columns: a first sheet of notes); empty for CSV.
pub fn sheet_note(raw: &RawTable) -> String {
    let Some(name) = &raw.sheet else {
        return String::new();
    };
    let known = raw
        .header
        .iter()
        .any(|h| Col::all().any(|c| c.name().eq_ignore_ascii_case(h.trim())));
    let others = if known {
        String::new()
    } else {
        super::table::other_sheets(&raw.sheets, name)
    };
    let which = if raw.sheets.first() == Some(name) && raw.sheets.len() > 1 {
        ", the first"
    } else {
        ""
    };
    format!(" (sheet \"{name}\"{which}{others})")
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "{n} problem{} in the region table {}{}:",
            if n == 1 { "" } else { "s" },
            self.file,
            self.sheet
        )?;
        for p in &self.problems {
            write!(f, "\n  {}", self.file)?;
            match (&p.row, &p.column) {
                (Some(r), Some((l, c))) => write!(f, ": row {r}, column {l} ({c})")?,
                (Some(r), None) => write!(f, ": row {r}")?,
                (None, Some((l, c))) => write!(f, ": column {l} ({c})")?,
                (None, None) => {}
            }
            write!(f, ": {}", p.message)?;
        }
        Ok(())
    }
}

/// Collects problems while checking.
pub(crate) struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn at(&mut self, row: usize, column: Option<(String, &'static str)>, message: String) {
        self.list.push(Problem {
            row: Some(row),
            column,
            message,
        });
    }
}

/// The cells of one row, by column.
struct Cells<'a> {
    table: &'a RawTable,
    row: &'a RawRow,
    index: &'a [Option<usize>],
    /// How the file writes its numbers.
    format: &'a Format,
}

impl Cells<'_> {
    fn get(&self, c: Col) -> &str {
        self.index[col_pos(c)]
            .and_then(|i| self.row.cells.get(i))
            .map_or("", |s| s.as_str())
    }

    /// The number of a workbook's number cell in column `c` (text cells and CSV: `None`).
    fn typed(&self, c: Col) -> Option<f64> {
        self.index[col_pos(c)]
            .and_then(|i| self.row.numbers.get(i).copied())
            .flatten()
    }

    fn place(&self, c: Col) -> Option<(String, &'static str)> {
        self.index[col_pos(c)].map(|i| (self.table.letter(i), c.name()))
    }

    /// Whether the table has column `c` (a missing one is reported once, in the header).
    fn has(&self, c: Col) -> bool {
        self.index[col_pos(c)].is_some()
    }
}

fn col_pos(c: Col) -> usize {
    Col::all().position(|x| x == c).unwrap_or(0)
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Checks the header and every row; returns the table, or every problem. Flow
/// contradictions are not checked here (see [`super::solve::flows`]).
pub fn check(raw: &RawTable) -> Result<RegionTable, TableError> {
    match check_rows(raw) {
        (Some(t), p) if p.is_empty() => Ok(t),
        (_, problems) => Err(TableError::of(raw, problems)),
    }
}

/// Checks the header and every row. Returns every problem, and the table whenever the
/// figures the flow depends on (ids, clients, stays, `next`) could all be read — with
/// defaults in place of other broken cells — so that contradictions between rows can be
/// reported in the same list.
pub fn check_rows(raw: &RawTable) -> (Option<RegionTable>, Vec<Problem>) {
    let mut pr = Problems { list: Vec::new() };
    if !raw
        .header
        .iter()
        .any(|h| Col::all().any(|c| c.name().eq_ignore_ascii_case(h.trim())))
    {
        // notes, another table, or a header in another language: one problem, not one
        // per cell
        let first = raw.header.first().map_or("", |h| h.as_str());
        let shown: String = first.chars().take(60).collect();
        let names: Vec<&str> = Col::REQUIRED.iter().map(|c| c.name()).collect();
        pr.at(
            raw.header_row,
            None,
            format!(
                "the first row (\"{shown}\"{}) has none of a region table's columns; the header \
                 names them exactly: {}",
                if shown.len() < first.len() { "…" } else { "" },
                names.join(",")
            ),
        );
        return (None, pr.list);
    }
    let index = header_index(raw, &mut pr);
    let format = number_format(raw, &index);
    // with a column missing, the rows are still checked (each present column's cells), so
    // that every problem comes at once; the table is not built
    let missing_required = Col::REQUIRED.iter().any(|c| index[col_pos(*c)].is_none());
    if raw.rows.is_empty() {
        pr.at(
            raw.header_row,
            None,
            "the table has a header but no rows: one row per service".into(),
        );
    }
    let ids: Vec<&str> = raw
        .rows
        .iter()
        .map(|r| {
            index[col_pos(Col::Service)]
                .and_then(|i| r.cells.get(i))
                .map_or("", |s| s.as_str())
        })
        .collect();
    let mut services = Vec::new();
    let mut flow_ok = !raw.rows.is_empty() && !missing_required;
    for (k, row) in raw.rows.iter().enumerate() {
        let cells = Cells {
            table: raw,
            row,
            index: &index,
            format: &format,
        };
        if row.cells.len() > raw.header.len() {
            pr.at(
                row.row,
                None,
                format!(
                    "the row has {} cells, the header only {}; remove the extra cells or name their column{}",
                    row.cells.len(),
                    raw.header.len(),
                    if raw.separator == Some(',') {
                        " (a number with a decimal comma, such as 1,5, is two cells in a \
                         comma-separated file: write 1.5, or save the file separated by ';' as \
                         a Dutch spreadsheet does)"
                    } else {
                        ""
                    }
                ),
            );
        }
        match check_row(&cells, k, &ids, &mut pr) {
            Some(s) => services.push(s),
            None => flow_ok = false,
        }
    }
    let columns = Col::all()
        .filter_map(|c| index[col_pos(c)].map(|i| (c, raw.letter(i))))
        .collect();
    let table = flow_ok.then(|| RegionTable {
        file: raw.file.clone(),
        sheet: raw.sheet.clone(),
        services,
        columns,
    });
    (table, pr.list)
}

/// Where each column is (by position in [`Col::all`]), with problems for missing,
/// duplicate and unknown columns.
fn header_index(raw: &RawTable, pr: &mut Problems) -> Vec<Option<usize>> {
    let mut index: Vec<Option<usize>> = vec![None; Col::all().count()];
    let known: Vec<&str> = Col::all().map(|c| c.name()).collect();
    for (i, h) in raw.header.iter().enumerate() {
        match Col::all().position(|c| c.name() == h) {
            Some(p) if index[p].is_some() => pr.at(
                raw.header_row,
                Some((raw.letter(i), Col::all().nth(p).map_or("", |c| c.name()))),
                format!("column \"{h}\" appears twice"),
            ),
            Some(p) => index[p] = Some(i),
            None => {
                let hint = known
                    .iter()
                    .find(|k| k.eq_ignore_ascii_case(h.trim()))
                    .map_or(String::new(), |k| format!(" (did you mean \"{k}\"?)"));
                pr.list.push(Problem {
                    row: Some(raw.header_row),
                    column: None,
                    message: format!(
                        "column {} \"{h}\" is not a column of a region table{hint}; the columns are: {}",
                        raw.letter(i),
                        known.join(", ")
                    ),
                })
            }
        }
    }
    let missing: Vec<&str> = Col::REQUIRED
        .iter()
        .filter(|c| index[col_pos(**c)].is_none())
        .map(|c| c.name())
        .collect();
    if !missing.is_empty() {
        pr.at(
            raw.header_row,
            None,
            format!(
                "missing column{} {} (header names exactly as written; cells of optional columns may be empty)",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
        );
    }
    index
}

/// The row's labels: its service id (and whether it is usable and new), segment and
/// setting, each problem recorded at its cell.
fn check_labels(
    c: &Cells,
    k: usize,
    ids: &[&str],
    pr: &mut Problems,
) -> (String, bool, String, Option<Setting>) {
    let row = c.row.row;
    let id = c.get(Col::Service).to_string();
    let id_ok = valid_id(&id) && id != "exit" && id != "all" && !ids[..k].contains(&id.as_str());
    if !c.has(Col::Service) {
        // reported in the header
    } else if !valid_id(&id) || id == "exit" || id == "all" {
        pr.at(
            row,
            c.place(Col::Service),
            format!(
                "\"{id}\" is not a usable service id; use letters, digits, '-' and '_' (not \"exit\" or \"all\")"
            ),
        );
    } else if ids[..k].contains(&id.as_str()) {
        pr.at(
            row,
            c.place(Col::Service),
            format!("service \"{id}\" appears in an earlier row too; one row per service"),
        );
    }
    let segment = c.get(Col::Segment).to_string();
    if c.has(Col::Segment) && (!valid_id(&segment) || segment == "all") {
        pr.at(
            row,
            c.place(Col::Segment),
            format!(
                "\"{segment}\" is not a usable segment label; use letters, digits, '-' and '_' (not \"all\")"
            ),
        );
    }
    let setting = Setting::parse(c.get(Col::Setting));
    if setting.is_none() && c.has(Col::Setting) {
        pr.at(
            row,
            c.place(Col::Setting),
            format!(
                "\"{}\" is not a setting; use one of: {}",
                c.get(Col::Setting),
                Setting::NAMES
            ),
        );
    }
    (id, id_ok, segment, setting)
}

/// The longest stay, wait or norm in a table, days: the longest horizon a scenario may
/// have (100 years); nothing in youth care comes near it.
pub const MAX_DAYS: f64 = 36_600.0;
const MAX_DAYS_TEXT: &str = "36,600";

/// The largest `stay_cv`: the scenario's lognormal takes sd / mean up to 1,000.
const MAX_CV: f64 = 1_000.0;

/// The problem with `x` when it lies outside `lo..=hi` (`unit` with a leading space).
fn beyond(x: f64, what: &str, lo: f64, hi: f64, unit: &str) -> Option<String> {
    (!(lo..=hi).contains(&x)).then(|| {
        format!(
            "{what} must be between {} and {}{unit}, got {}",
            grouped(lo, 0),
            grouped(hi, 0),
            shown(x)
        )
    })
}

/// Checks one row, recording its problems in `pr`. `None` when a figure the flow
/// depends on (id, clients, stay, `next`) is unusable; other broken cells are replaced
/// by defaults (the problem is recorded all the same).
fn check_row(c: &Cells, k: usize, ids: &[&str], pr: &mut Problems) -> Option<ServiceRow> {
    let row = c.row.row;
    let (id, id_ok, segment, setting) = check_labels(c, k, ids, pr);
    // a number cell: (required?, allowed range check)
    let mut num =
        |col: Col, required: bool, check: &dyn Fn(f64) -> Option<String>| -> Option<f64> {
            let s = c.get(col);
            if s.is_empty() {
                if required && c.has(col) {
                    pr.at(
                        row,
                        c.place(col),
                        format!("empty; give {}", number_hint(col, c.format)),
                    );
                }
                return None;
            }
            let kind = number_kind(col).unwrap_or(Kind::Plain);
            let read = match c.typed(col) {
                Some(x) => Ok(x),
                None => numbers::read(s, kind, c.format),
            };
            match read {
                Err(numbers::Unread::TwoWays(why)) => {
                    pr.at(row, c.place(col), why);
                    None
                }
                Err(numbers::Unread::Not(why)) => {
                    pr.at(
                        row,
                        c.place(col),
                        format!("{why}; give {}", number_hint(col, c.format)),
                    );
                    None
                }
                Ok(x) => match check(x) {
                    Some(m) => {
                        pr.at(row, c.place(col), m);
                        None
                    }
                    None => Some(x),
                },
            }
        };
    let clients = num(Col::Clients, true, &|x| {
        if x == 0.0 {
            Some("a service without clients in the year cannot be calibrated; leave it out and add it to the scenario by hand".into())
        } else {
            beyond(x, "clients", 0.0, MAX_COUNT as f64, "")
        }
    });
    let spend = num(Col::Spend, false, &|x| {
        beyond(x, "spend", 0.0, MAX_BUDGET_EUROS, " euros")
    });
    let stay = num(Col::Stay, true, &|x| {
        (!(x > 0.0 && x <= MAX_DAYS)).then(|| {
            format!(
                "the mean stay must be more than 0 days and at most {MAX_DAYS_TEXT} days (100 years), got {}",
                shown(x)
            )
        })
    });
    let cv = num(Col::StayCv, false, &|x| {
        beyond(x, "the coefficient of variation", 0.0, MAX_CV, "")
    });
    let occupancy = num(Col::Occupancy, false, &|x| {
        (!(x > 0.0 && x <= 1.0)).then(|| {
            format!("occupancy is the share of places in use, more than 0 and at most 1 (0.9 or 90%), got {x}; leave it empty for no capacity limit")
        })
    });
    let norm = num(Col::WaitNorm, false, &|x| {
        (!(x > 0.0 && x <= MAX_DAYS)).then(|| {
            format!(
                "the wait norm must be more than 0 days and at most {MAX_DAYS_TEXT} days, got {}",
                shown(x)
            )
        })
    });
    let age = |x: f64| {
        (!(0.0..=30.0).contains(&x)).then(|| format!("age must be between 0 and 30 years, got {x}"))
    };
    let min_age = num(Col::MinAge, false, &age);
    let max_age = num(Col::MaxAge, false, &age);
    let growth = num(Col::Growth, false, &|x| {
        (!(x > -1.0 && x <= 1.0))
            .then(|| format!("growth is a share per year between -1 and 1 (0.02 or 2%), got {x}"))
    });
    let waiting_now = num(Col::WaitingNow, false, &|x| {
        beyond(x, "a waiting list", 0.0, MAX_COUNT as f64, " youths")
    });
    let mean_wait = num(Col::MeanWait, false, &|x| {
        beyond(x, "a wait", 0.0, MAX_DAYS, " days")
    });
    let (lo, hi) = (min_age.unwrap_or(0.0), max_age.unwrap_or(17.0));
    if lo > hi {
        pr.at(
            row,
            c.place(Col::MaxAge),
            format!("max_age ({hi}) must be at least min_age ({lo})"),
        );
    }
    let next = parse_next(c, &id, ids, pr);
    if !id_ok {
        return None;
    }
    let name = match c.get(Col::Name) {
        "" => id.clone(),
        n => n.to_string(),
    };
    Some(ServiceRow {
        row,
        id,
        name,
        segment,
        setting: setting.unwrap_or(Setting::Ambulant),
        clients: clients?,
        spend,
        stay_days: stay?,
        stay_cv: cv.unwrap_or(1.0),
        occupancy,
        wait_norm_days: norm,
        next: next?,
        min_age: lo,
        max_age: hi,
        growth: growth.unwrap_or(0.0),
        waiting_now,
        mean_wait_days: mean_wait,
    })
}

/// Parses `next`: `id:p id:p … exit:p`, separated by spaces; empty means `exit:1`.
fn parse_next(c: &Cells, id: &str, ids: &[&str], pr: &mut Problems) -> Option<Vec<Branch>> {
    let row = c.row.row;
    let text = c.get(Col::Next);
    let mut out = Vec::new();
    let mut ok = true;
    let err = |pr: &mut Problems, m: String| {
        pr.at(row, c.place(Col::Next), m);
    };
    for token in text.split_whitespace() {
        let Some((to, p)) = token.split_once(':') else {
            err(
                pr,
                format!(
                    "\"{token}\" is not a branch; write id:p separated by spaces, e.g. \"ggz:0.15 exit:0.85\""
                ),
            );
            ok = false;
            continue;
        };
        let dest = if to == "exit" {
            Some(Dest::Exit)
        } else {
            ids.iter().position(|x| *x == to).map(Dest::Service)
        };
        let p = numbers::read(p, Kind::Share, c.format);
        match (dest, p) {
            (None, _) => {
                err(
                    pr,
                    format!(
                        "\"{to}\" is not a service of the table (nor \"exit\"); the services are: {}",
                        ids.join(", ")
                    ),
                );
                ok = false;
            }
            (_, Err(why)) => {
                err(
                    pr,
                    format!(
                        "the share in \"{token}\": {}; write e.g. {to}:{} or {to}:15%",
                        why.message(),
                        decimal(0.15, c.format)
                    ),
                );
                ok = false;
            }
            (Some(_), Ok(p)) if !(0.0..=1.0).contains(&p) => {
                err(
                    pr,
                    format!("the probability to \"{to}\" must be between 0 and 1, got {p}"),
                );
                ok = false;
            }
            (Some(_), Ok(_)) if to == id => {
                err(
                    pr,
                    format!(
                        "\"{id}\" routes to itself; a youth who stays on has a longer stay: put it in mean_stay_days"
                    ),
                );
                ok = false;
            }
            (Some(d), Ok(_)) if out.iter().any(|b: &Branch| b.to == d) => {
                err(
                    pr,
                    format!("\"{to}\" appears twice; give one share per destination"),
                );
                ok = false;
            }
            (Some(d), Ok(p)) => out.push(Branch { to: d, p }),
        }
    }
    if ok && !out.is_empty() {
        let sum: f64 = out.iter().map(|b| b.p).sum();
        if (sum - 1.0).abs() > 1e-6 {
            let hint = if sum < 1.0 && !out.iter().any(|b| b.to == Dest::Exit) {
                format!(" (add exit:{})", trim_float(1.0 - sum))
            } else {
                String::new()
            };
            err(
                pr,
                format!(
                    "the probabilities sum to {}, must be 1{hint}",
                    trim_float(sum)
                ),
            );
            ok = false;
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::table::parse_csv;

    const HEADER: &str = "service,name,segment,setting,clients_per_year,spend_per_year,mean_stay_days,stay_cv,occupancy,wait_norm_days,next,min_age,max_age,growth_per_year";

    fn table(rows: &str) -> Result<RegionTable, TableError> {
        let text = format!("{HEADER}\n{rows}");
        check(&parse_csv("t.csv", text.as_bytes()).unwrap())
    }

    #[test]
    fn a_good_row_with_defaults() {
        let t = table("a,,seg,ambulant,100,,30,,,,,,,\n").unwrap();
        let s = &t.services[0];
        assert_eq!(s.name, "a");
        assert_eq!(s.stay_cv, 1.0);
        assert_eq!((s.min_age, s.max_age, s.growth), (0.0, 17.0, 0.0));
        assert!(s.next.is_empty() && s.occupancy.is_none() && s.spend.is_none());
    }

    #[test]
    fn next_resolves_ids_declared_in_later_rows() {
        let t =
            table("a,,s,ambulant,100,,30,,,,b:0.25 exit:0.75,,,\nb,,s,ambulant,50,,30,,,,,,,\n")
                .unwrap();
        assert_eq!(
            t.services[0].next[0],
            Branch {
                to: Dest::Service(1),
                p: 0.25
            }
        );
        assert!((t.p(0, 1) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn every_problem_of_a_row_is_listed_with_its_column() {
        let e = table("a b,,s,home,-5,x,0,,1.5,,c:0.5,12,4,\n").unwrap_err();
        let s = e.to_string();
        for want in [
            "row 2, column A (service)",
            "row 2, column D (setting)",
            "row 2, column E (clients_per_year): clients must be between 0 and 10,000,000, got -5",
            "row 2, column F (spend_per_year): \"x\" is not a number",
            "row 2, column G (mean_stay_days)",
            "row 2, column I (occupancy)",
            "row 2, column K (next): \"c\" is not a service",
            "row 2, column M (max_age): max_age (4) must be at least min_age (12)",
        ] {
            assert!(s.contains(want), "missing {want:?} in\n{s}");
        }
        assert_eq!(e.problems.len(), 8, "{s}");
    }

    #[test]
    fn next_must_sum_to_one_and_says_what_to_add() {
        let e =
            table("a,,s,ambulant,100,,30,,,,b:0.25,,,\nb,,s,ambulant,50,,30,,,,,,,\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("sum to 0.25, must be 1 (add exit:0.75)"),
            "{e}"
        );
    }

    #[test]
    fn missing_and_unknown_columns_are_named() {
        let raw = parse_csv("t.csv", b"service,Name,segment\na b,b,c\n").unwrap();
        let e = check(&raw).unwrap_err();
        let s = e.to_string();
        // the rows are still checked, in the columns that are there, and only there
        assert!(s.contains("row 2, column A (service): \"a b\""), "{s}");
        assert_eq!(e.problems.len(), 3, "{s}");
        assert!(
            s.contains(
                "column B \"Name\" is not a column of a region table (did you mean \"name\"?)"
            ),
            "{s}"
        );
        assert!(
            s.contains("missing columns name, setting, clients_per_year"),
            "{s}"
        );
    }
}
