//! Reports: the CSV and JSON files of a run, its charts and HTML report, and writing
//! them atomically.
//!
//! Exporters are pure: they take results and return bytes. [`run_folder`] assembles a run's
//! whole folder, [`comparison`] a sweep's tables and comparison page, [`savings`] the
//! savings folder; CSV is built with [`csv_table::CsvTable`]. Only [`output`] touches the
//! file system, and it writes into a temporary folder (or file) that is renamed into
//! place, so a failed run never leaves half a result.

pub mod comparison;
pub mod csv_out;
pub mod csv_table;
pub mod finance_csv;
pub mod headline;
pub mod html;
pub mod lang;
pub mod manifest;
pub mod output;
pub mod paths;
pub mod plots;
pub mod run_folder;
pub mod savings;
pub mod xlsx;

use crate::model::Model;
use crate::stats::LevelRef;

/// One row label of the outputs: a service, a segment (`service = all`) or everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelName {
    /// The level of the results.
    pub level: LevelRef,
    pub segment: String,
    pub service: String,
}

/// Levels in output order: `all/all`, then each segment followed by its services.
pub fn level_names(model: &Model) -> Vec<LevelName> {
    let mut out = vec![LevelName {
        level: LevelRef::All,
        segment: "all".into(),
        service: "all".into(),
    }];
    for (g, seg) in model.segments.iter().enumerate() {
        out.push(LevelName {
            level: LevelRef::Segment(g),
            segment: seg.clone(),
            service: "all".into(),
        });
        for (i, s) in model.services.iter().enumerate() {
            if s.segment.0 as usize == g {
                out.push(LevelName {
                    level: LevelRef::Service(i),
                    segment: seg.clone(),
                    service: s.id.clone(),
                });
            }
        }
    }
    out
}

/// Formats a number for CSV: rounded to 4 decimals, shortest form, empty when undefined.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let r = (x * 1e4).round() / 1e4;
    if r == 0.0 { "0".into() } else { format!("{r}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_tidy() {
        assert_eq!(num(f64::NAN), "");
        assert_eq!(num(15962.0), "15962");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(2.0 / 3.0), "0.6667");
    }
}
