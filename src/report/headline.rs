//! The headline figures of a run, per segment and for the region: one definition for every
//! output that shows them — the terminal table of `run`, the key numbers and the segment
//! table of `report.html`. Each figure is the summary over replications of one row of
//! `summary.csv` (its level, metric and period), so a report can never say one thing in
//! its key numbers and another in its tables.

use crate::experiment::Results;
use crate::model::Model;
use crate::stats::summary::Summary;
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

/// One level's headline figures.
#[derive(Clone, Debug)]
pub struct Headline {
    /// The segment, or `all` for the region.
    pub name: String,
    pub level: LevelRef,
    /// `clients` in the first calendar year.
    pub clients_first_year: Summary,
    /// `wait_days_mean`, `over_norm_share`, `waiting_end` and `out_of_home_days` over the
    /// whole window (period `total`).
    pub wait_days_mean: Summary,
    /// `time_to_care_days_mean` and `time_to_care_days_p90` over the whole window.
    pub time_to_care_days_mean: Summary,
    pub time_to_care_days_p90: Summary,
    pub over_norm_share: Summary,
    pub waiting_end: Summary,
    pub out_of_home_days: Summary,
    /// `cost` in the first and the last calendar year.
    pub cost_first_year: Summary,
    pub cost_last_year: Summary,
}

/// The summary over replications of one figure: the same number as `summary.csv`'s row.
pub fn figure(res: &Results, level: LevelRef, m: Metric, p: PeriodRef) -> Summary {
    res.summary(level, m, p)
}

/// Per segment (in the model's order), then the region (`all`).
pub fn headlines(model: &Model, res: &Results) -> Vec<Headline> {
    let years = model.timeline.years.len();
    let last = PeriodRef::Year(years.saturating_sub(1));
    let levels = model
        .segments
        .iter()
        .enumerate()
        .map(|(g, name)| (name.clone(), LevelRef::Segment(g)))
        .chain(std::iter::once(("all".to_string(), LevelRef::All)));
    levels
        .map(|(name, level)| {
            let f = |m: Metric, p: PeriodRef| figure(res, level, m, p);
            Headline {
                name,
                level,
                clients_first_year: f(Metric::Clients, PeriodRef::Year(0)),
                wait_days_mean: f(Metric::WaitDaysMean, PeriodRef::Total),
                time_to_care_days_mean: f(Metric::TimeToCareDaysMean, PeriodRef::Total),
                time_to_care_days_p90: f(Metric::TimeToCareDaysP90, PeriodRef::Total),
                over_norm_share: f(Metric::OverNormShare, PeriodRef::Total),
                waiting_end: f(Metric::WaitingEnd, PeriodRef::Total),
                out_of_home_days: f(Metric::OutOfHomeDays, PeriodRef::Total),
                cost_first_year: f(Metric::Cost, PeriodRef::Year(0)),
                cost_last_year: f(Metric::Cost, last),
            }
        })
        .collect()
}
