//! `comparison.xlsx`: the comparison's tables for finance staff — `sweep.csv`,
//! `differences.csv` and (with futures) `robustness.csv` of a sweep, or the table of
//! `compare --csv` — with each KPI's values shown in its unit (euros, percentages, whole
//! numbers, days) and headers in the report's language. Made from the CSV bytes by
//! [`crate::report::xlsx`], so the numbers are the CSV's.

use crate::measure::{MAX_REGRET, SHARE_FUTURES_MEETING_LIMITS};
use crate::report::lang::Lang;
use crate::report::xlsx::{self, Look, Table, XlsxFileError, field};
use crate::sweep::{Format, Kpi};

/// How a value of KPI (or robustness measure) `metric` looks.
fn look_of(metric: &str) -> Look {
    let format = Kpi::from_name(metric).map(Kpi::format).or_else(|| {
        [&MAX_REGRET, &SHARE_FUTURES_MEETING_LIMITS]
            .iter()
            .find(|m| m.name == metric)
            .map(|m| m.format)
    });
    match format {
        Some(Format::Count) => Look::Count,
        Some(Format::Decimal | Format::Days) => Look::Days,
        Some(Format::Share) => Look::Percent,
        Some(Format::Euros | Format::EurosEach) => Look::Euros,
        None => Look::Plain,
    }
}

/// The look of a comparison table's cell: value columns in the unit of the row's KPI.
fn look(col: &str, row: &csv::StringRecord, header: &csv::StringRecord) -> Look {
    match col {
        "mean" | "mean_diff" | "ci_low" | "ci_high" | "p05" | "p95" => {
            look_of(field("metric", row, header))
        }
        "regret" => Look::Euros,
        "p_better" => Look::Percent,
        "reps" => Look::Count,
        _ => Look::Plain,
    }
}

/// `comparison.xlsx` of a sweep: `info`, `sweep`, `differences` and, with futures,
/// `robustness`.
pub fn comparison_xlsx(
    info: &[(String, String)],
    sweep: &[u8],
    differences: &[u8],
    robustness: Option<&[u8]>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxFileError> {
    let mut tables = vec![
        Table {
            sheet: "sweep",
            csv: sweep,
            look: &look,
        },
        Table {
            sheet: "differences",
            csv: differences,
            look: &look,
        },
    ];
    if let Some(r) = robustness {
        tables.push(Table {
            sheet: "robustness",
            csv: r,
            look: &look,
        });
    }
    xlsx::workbook(info, &tables, lang)
}

/// `comparison.xlsx` of `compare`: `info` and `compare`.
pub fn compare_xlsx(
    info: &[(String, String)],
    compare: &[u8],
    lang: Lang,
) -> Result<Vec<u8>, XlsxFileError> {
    xlsx::workbook(
        info,
        &[Table {
            sheet: "compare",
            csv: compare,
            look: &look,
        }],
        lang,
    )
}
