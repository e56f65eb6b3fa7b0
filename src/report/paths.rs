//! `paths.csv`: the few time paths a comparison of strategies draws, per report interval —
//! small enough to keep in every run folder, lean sweep points included, so that the
//! comparison never needs the full `timeseries.csv`.
//!
//! Columns `scenario,period_start,series,mean,ci_low,ci_high` (95% Student-t interval of
//! the mean over replications). The series ([`SERIES`]):
//! - `residential_capacity`, `residential_occupancy`: places and youths in care (time
//!   averages) summed over the services whose setting is `residential` or `crisis` and that
//!   have a capacity: institutional places (groups, treatment groups, secure care, crisis
//!   units). The interval of such a sum is the sum of the services' half-widths: an upper
//!   bound of the true one (it assumes the services move together), so the band is never
//!   too narrow;
//! - `family_capacity`, `family_occupancy`: the same over the family-like places (setting
//!   `family`: foster families, family homes), out of home but not institutional;
//! - `waiting_mean`, `wait_days_mean`, `over_norm_share`, `out_of_home_days`: the region's
//!   (`all`/`all`) metrics of the same names;
//! - `over_norm_limit`: the scenario's `[report] risk_over_norm_share`, the share beyond
//!   which a year counts towards `risk_wait` (no interval).

use std::collections::BTreeMap;

use super::Num;
use super::csv_table::CsvTable;
use crate::experiment::Results;
use crate::model::{Model, Setting};
use crate::stats::summary::Summary;
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

/// Columns of `paths.csv`.
pub const PATHS_COLUMNS: [&str; 6] = [
    "scenario",
    "period_start",
    "series",
    "mean",
    "ci_low",
    "ci_high",
];

/// One path of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Series {
    ResidentialCapacity,
    ResidentialOccupancy,
    FamilyCapacity,
    FamilyOccupancy,
    WaitingMean,
    WaitDaysMean,
    OverNormShare,
    OutOfHomeDays,
    OverNormLimit,
}

/// The series of `paths.csv`, in its order.
pub const SERIES: [Series; 9] = [
    Series::ResidentialCapacity,
    Series::ResidentialOccupancy,
    Series::FamilyCapacity,
    Series::FamilyOccupancy,
    Series::WaitingMean,
    Series::WaitDaysMean,
    Series::OverNormShare,
    Series::OutOfHomeDays,
    Series::OverNormLimit,
];

impl Series {
    /// The name in `paths.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Series::ResidentialCapacity => "residential_capacity",
            Series::ResidentialOccupancy => "residential_occupancy",
            Series::FamilyCapacity => "family_capacity",
            Series::FamilyOccupancy => "family_occupancy",
            Series::WaitingMean => "waiting_mean",
            Series::WaitDaysMean => "wait_days_mean",
            Series::OverNormShare => "over_norm_share",
            Series::OutOfHomeDays => "out_of_home_days",
            Series::OverNormLimit => "over_norm_limit",
        }
    }

    fn from_name(s: &str) -> Option<Series> {
        SERIES.iter().copied().find(|x| x.name() == s)
    }
}

/// The summary of `metric` at `level` in report interval `p` over the replications.
fn summary(res: &Results, level: LevelRef, metric: Metric, p: usize) -> Summary {
    res.summary(level, metric, PeriodRef::Interval(p))
}

/// Mean and 95% interval of a sum of `parts`: the sum of the means and of the
/// half-widths (an upper bound of the sum's half-width, whatever the correlation).
fn sum(parts: &[Summary]) -> (f64, f64, f64) {
    if parts.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let mean: f64 = parts.iter().map(|s| s.mean).sum();
    let half: f64 = parts.iter().map(|s| s.ci_high - s.ci_low).sum::<f64>() / 2.0;
    (mean, mean - half, mean + half)
}

/// `paths.csv` of a run.
pub fn paths_csv(model: &Model, res: &Results) -> Vec<u8> {
    let mut w = CsvTable::new(PATHS_COLUMNS);
    let with_places = |keep: fn(Setting) -> bool| -> Vec<usize> {
        model
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| keep(s.setting) && (s.capacity.is_some() || s.staff.is_some()))
            .map(|(i, _)| i)
            .collect()
    };
    let residential = with_places(|s| matches!(s, Setting::Residential | Setting::Crisis));
    let family = with_places(|s| s == Setting::Family);
    for (p, period) in model.timeline.intervals.iter().enumerate() {
        let date = period.first_day.to_string();
        for series in SERIES {
            let (mean, lo, hi) = match series {
                Series::ResidentialCapacity
                | Series::ResidentialOccupancy
                | Series::FamilyCapacity
                | Series::FamilyOccupancy => {
                    let (m, services) = match series {
                        Series::ResidentialCapacity => (Metric::CapacityMean, &residential),
                        Series::ResidentialOccupancy => (Metric::OccupancyMean, &residential),
                        Series::FamilyCapacity => (Metric::CapacityMean, &family),
                        _ => (Metric::OccupancyMean, &family),
                    };
                    let parts: Vec<Summary> = services
                        .iter()
                        .map(|s| summary(res, LevelRef::Service(*s), m, p))
                        .collect();
                    sum(&parts)
                }
                Series::OverNormLimit => (model.risk.over_norm_share, f64::NAN, f64::NAN),
                _ => {
                    let m = match series {
                        Series::WaitingMean => Metric::WaitingMean,
                        Series::WaitDaysMean => Metric::WaitDaysMean,
                        Series::OverNormShare => Metric::OverNormShare,
                        _ => Metric::OutOfHomeDays,
                    };
                    let s = summary(res, LevelRef::All, m, p);
                    (s.mean, s.ci_low, s.ci_high)
                }
            };
            w.row([
                model.name.as_str(),
                &date,
                series.name(),
                Num::new(mean).as_str(),
                Num::new(lo).as_str(),
                Num::new(hi).as_str(),
            ]);
        }
    }
    w.into_bytes()
}

/// One point of a path: the first day of its interval, the mean and its 95% interval.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPoint {
    pub date: jiff::civil::Date,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The paths of one run, read back from `paths.csv`, per series in date order.
pub type Paths = BTreeMap<Series, Vec<PathPoint>>;

/// Why `paths.csv` could not be read.
#[derive(Debug, thiserror::Error)]
#[error("paths.csv, line {line}: {message}")]
pub struct PathsError {
    pub line: u64,
    pub message: String,
}

/// Reads `paths.csv` (unknown series are skipped, so later versions may add some).
pub fn read(bytes: &[u8]) -> Result<Paths, PathsError> {
    let mut out = Paths::new();
    let mut r = csv::Reader::from_reader(bytes);
    let fail = |line: u64, message: String| PathsError { line, message };
    let headers = r.headers().map_err(|e| fail(1, e.to_string()))?.clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(d), Some(s), Some(m), Some(lo), Some(hi)) = (
        col("period_start"),
        col("series"),
        col("mean"),
        col("ci_low"),
        col("ci_high"),
    ) else {
        return Err(fail(
            1,
            format!("needs columns {}", PATHS_COLUMNS.join(",")),
        ));
    };
    for rec in r.records() {
        let rec = rec.map_err(|e| fail(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        // an empty cell is an undefined number, as written; anything else must read
        let num = |c: usize, name: &str| match rec.get(c).unwrap_or("") {
            "" => Ok(f64::NAN),
            x => x
                .parse::<f64>()
                .map_err(|_| fail(line, format!("{name}: '{x}' is not a number"))),
        };
        let Some(series) = Series::from_name(rec.get(s).unwrap_or("")) else {
            continue;
        };
        let date: jiff::civil::Date = rec
            .get(d)
            .unwrap_or("")
            .parse()
            .map_err(|e| fail(line, format!("period_start: {e}")))?;
        out.entry(series).or_default().push(PathPoint {
            date,
            mean: num(m, "mean")?,
            ci_low: num(lo, "ci_low")?,
            ci_high: num(hi, "ci_high")?,
        });
    }
    for v in out.values_mut() {
        v.sort_by_key(|p| p.date);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_adds_means_and_half_widths() {
        let s = |m: f64, h: f64| Summary {
            mean: m,
            ci_low: m - h,
            ci_high: m + h,
            p05: m,
            p50: m,
            p90: m,
            p95: m,
            n: 3,
        };
        assert_eq!(sum(&[s(10.0, 1.0), s(5.0, 0.5)]), (15.0, 13.5, 16.5));
        assert!(sum(&[]).0.is_nan());
    }

    #[test]
    fn paths_read_back_and_skip_unknown_series() {
        let csv = "scenario,period_start,series,mean,ci_low,ci_high\n\
                   a,2024-02-01,waiting_mean,3,2,4\n\
                   a,2024-01-01,waiting_mean,1,,\n\
                   a,2024-01-01,future_series,9,9,9\n";
        let p = read(csv.as_bytes()).unwrap();
        assert_eq!(p.len(), 1);
        let w = &p[&Series::WaitingMean];
        assert_eq!(w[0].date.to_string(), "2024-01-01");
        assert!(w[0].ci_low.is_nan());
        assert_eq!(w[1].mean, 3.0);
        let bad = "scenario,period_start,series,mean,ci_low,ci_high\na,x,waiting_mean,1,1,1\n";
        assert!(
            read(bad.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("line 2")
        );
        let bad =
            "scenario,period_start,series,mean,ci_low,ci_high\na,2024-01-01,waiting_mean,x,1,1\n";
        let e = read(bad.as_bytes()).unwrap_err().to_string();
        assert_eq!(e, "paths.csv, line 2: mean: 'x' is not a number");
    }
}
