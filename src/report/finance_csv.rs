//! The finance tables as bytes: `budget.csv` and `capacity.csv` (from `budget`) and
//! `savings.csv` (from `savings`), and their workbooks `budget.xlsx` and `savings.xlsx`
//! (made from the CSV bytes, so the numbers are the same). `finance` computes the rows;
//! only this module knows their columns and how euros are written (cents).

use super::csv_table::CsvTable;
use super::lang::Lang;
use super::xlsx::{self, Look, Pivot, Table, XlsxFileError};
use crate::finance::money::Euros;
use crate::finance::savings::SavingsRow;
use crate::finance::{Budget, CapacityNeed, Overrun};
use crate::model::Model;

/// Columns of `budget.csv`.
pub const BUDGET_COLUMNS: [&str; 8] = [
    "scenario",
    "segment",
    "year",
    "confidence",
    "budget",
    "ci_low",
    "ci_high",
    "pxq_mean",
];

/// Columns of `capacity.csv`.
pub const CAPACITY_COLUMNS: [&str; 7] = [
    "scenario",
    "service",
    "year",
    "target_share",
    "capacity",
    "budget",
    "note",
];

/// Columns of `overrun.csv`.
pub const OVERRUN_COLUMNS: [&str; 8] = [
    "scenario", "segment", "year", "model", "p_over", "overrun", "region", "provider",
];

/// Columns of `savings.csv` (defined beside the run's tables, which the folder reader
/// also reads).
pub use super::csv_out::SAVINGS_COLUMNS;

/// `budget.csv`: per segment and year, the budget covering the cost with `confidence`.
pub fn budget_csv(model: &Model, confidence: f64, budgets: &[Budget]) -> Vec<u8> {
    let mut w = CsvTable::new(BUDGET_COLUMNS);
    for b in budgets {
        w.row([
            model.name.as_str(),
            &b.segment,
            &b.year.to_string(),
            &format!("{confidence}"),
            &b.budget.cents(),
            &b.ci_low.cents(),
            &b.ci_high.cents(),
            &b.pxq_mean.cents(),
        ]);
    }
    w.into_bytes()
}

/// `capacity.csv`: per service and year, the capacity that admits the `target` share within
/// the norm and what it costs; empty with a note when the service is not sized (staffed,
/// or missing the target even at 200%).
pub fn capacity_csv(model: &Model, target: f64, needs: &[CapacityNeed]) -> Vec<u8> {
    let mut w = CsvTable::new(CAPACITY_COLUMNS);
    for n in needs {
        w.row([
            model.name.as_str(),
            &n.service,
            &n.year.to_string(),
            &format!("{target}"),
            &if n.capacity.is_finite() {
                format!("{}", n.capacity)
            } else {
                String::new()
            },
            &n.budget.cents(),
            n.note,
        ]);
    }
    w.into_bytes()
}

/// `overrun.csv`: per segment, year and funding model, who carries an overrun of the
/// budget (means over replications, euros).
pub fn overrun_csv(model: &Model, overruns: &[Overrun]) -> Vec<u8> {
    let mut w = CsvTable::new(OVERRUN_COLUMNS);
    for o in overruns {
        w.row([
            model.name.as_str(),
            &o.segment,
            &o.year.to_string(),
            o.model,
            &format!("{}", o.p_over),
            &o.overrun.cents(),
            &o.region.cents(),
            &o.provider.cents(),
        ]);
    }
    w.into_bytes()
}

/// `savings.csv`: euros, rounded to cents; a 95% t-interval of the paired values.
pub fn savings_csv(rows: &[SavingsRow]) -> Vec<u8> {
    let cents = |x: f64| Euros::new(x).cents();
    let mut w = CsvTable::new(SAVINGS_COLUMNS);
    for r in rows {
        w.row([
            r.strategy.as_str(),
            &r.baseline,
            &r.segment,
            &r.year.to_string(),
            r.measure.name(),
            &cents(r.summary.mean),
            &cents(r.summary.ci_low),
            &cents(r.summary.ci_high),
        ]);
    }
    w.into_bytes()
}

/// How a cell of the finance tables looks: amounts in euros, shares as percentages,
/// years as years, capacities as whole numbers.
fn look(col: &str, _: &csv::StringRecord, _: &csv::StringRecord) -> Look {
    match col {
        "budget" | "ci_low" | "ci_high" | "pxq_mean" | "mean" | "p50" | "p90" | "overrun"
        | "region" | "provider" => Look::Euros,
        "confidence" | "target_share" | "p_over" => Look::Percent,
        "capacity" => Look::Count,
        "year" => Look::Integer,
        _ => Look::Plain,
    }
}

/// `budget.xlsx`: `info`, then `budget`, `capacity`, `overrun` and `costs` (the run's
/// `costs.csv`), headers in `lang`.
pub fn budget_xlsx(
    info: &[(String, String)],
    budget: &[u8],
    capacity: &[u8],
    overrun: &[u8],
    costs: &[u8],
    lang: Lang,
) -> Result<Vec<u8>, XlsxFileError> {
    let t = |sheet, csv| Table {
        sheet,
        csv,
        look: &look,
    };
    xlsx::workbook(
        info,
        &[
            t("budget", budget),
            t("capacity", capacity),
            t("overrun", overrun),
            t("costs", costs),
        ],
        lang,
    )
}

/// The measures of `savings.csv` on the sheet of a road's savings per year, in its order,
/// with their words: the saving, the frictiekosten, and (where `savings.csv` has them) the
/// target and the gap to it.
const PER_YEAR: [(&str, &str, &str); 6] = [
    ("saving", "besparing", "saving"),
    (
        "saving_cumulative",
        "besparing, cumulatief",
        "saving, cumulative",
    ),
    (
        "frictiekosten_cumulative",
        "frictiekosten, cumulatief",
        "frictiekosten, cumulative",
    ),
    ("frictiekosten", "frictiekosten", "frictiekosten"),
    (
        "target",
        "doel (Hervormingsagenda)",
        "target (Hervormingsagenda)",
    ),
    ("target_gap", "tekort op het doel", "gap to the target"),
];

/// `savings.xlsx`: `info`, then `savings` (the long table of `savings.csv`) and a sheet of
/// each road's region-wide savings per year — the saving, the frictiekosten, the target
/// and the gap as rows, the years as columns — with headers and labels in `lang`.
pub fn savings_xlsx(
    info: &[(String, String)],
    savings: &[u8],
    lang: Lang,
) -> Result<Vec<u8>, XlsxFileError> {
    let keep = |r: &csv::StringRecord, h: &csv::StringRecord| {
        xlsx::field("segment", r, h) == "all"
            && PER_YEAR.iter().any(|m| m.0 == xlsx::field("measure", r, h))
    };
    let label = |key: &str, v: &str| match PER_YEAR.iter().find(|m| key == "measure" && m.0 == v) {
        Some((_, nl, en)) => match lang {
            Lang::Nl => nl.to_string(),
            Lang::En => en.to_string(),
        },
        None => v.to_string(),
    };
    let sheet = match lang {
        Lang::Nl => "per jaar",
        Lang::En => "per year",
    };
    xlsx::workbook_with(
        info,
        &[Table {
            sheet: "savings",
            csv: savings,
            look: &look,
        }],
        &[Pivot {
            sheet,
            csv: savings,
            row_key: &["strategy", "measure"],
            col: "year",
            value: "mean",
            keep: &keep,
            label: &label,
            look: Look::Euros,
        }],
        lang,
    )
}
