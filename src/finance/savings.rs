//! The savings view: what a phasing strategy costs per year against the baseline, paired
//! per replication (both run with the same seed, so common random numbers make the
//! difference sharp), and the *frictiekosten* of the double-running period: in each year
//! that a strategy pays for more places than the baseline (beds still open while the
//! ambulatory teams are built), that extra; summed over the years, per replication.

use super::money::{Euros, RunningSum};
use crate::experiment::Results;
use crate::model::Model;
use crate::stats::summary::{Summary, summarise};
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

/// A measure of `savings.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// The strategy's P×Q cost.
    Cost,
    /// The baseline's P×Q cost.
    CostBaseline,
    /// Baseline − strategy in the year.
    Saving,
    /// The saving summed over the years so far.
    SavingCumulative,
    /// What the strategy pays for places beyond the baseline's in the year (≥ 0).
    DoubleRunning,
    /// Double running summed over the years so far.
    FrictiekostenCumulative,
}

impl Measure {
    /// Every measure, in output order.
    pub const ALL: [Measure; 6] = [
        Measure::Cost,
        Measure::CostBaseline,
        Measure::Saving,
        Measure::SavingCumulative,
        Measure::DoubleRunning,
        Measure::FrictiekostenCumulative,
    ];

    /// The measure named `name` in `savings.csv`, if any.
    pub fn parse(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The name used in `savings.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Cost => "cost",
            Measure::CostBaseline => "cost_baseline",
            Measure::Saving => "saving",
            Measure::SavingCumulative => "saving_cumulative",
            Measure::DoubleRunning => "double_running",
            Measure::FrictiekostenCumulative => "frictiekosten_cumulative",
        }
    }
}

/// One measure of one strategy, level and year, summarised over replications.
#[derive(Clone, Debug)]
pub struct SavingsRow {
    pub strategy: String,
    pub baseline: String,
    /// A segment label, or `all`.
    pub segment: String,
    pub year: i16,
    pub measure: Measure,
    pub summary: Summary,
}

/// Of replication `r` of `res` at `level` in the `y`-th calendar year: the P×Q cost, and
/// the cost of every place paid for, used or not.
fn year_cost(res: &Results, r: usize, level: LevelRef, y: usize) -> (Euros, Euros) {
    let at = |m: Metric| Euros::new(res.per_rep(level, m, PeriodRef::Year(y))[r]);
    (at(Metric::Cost), at(Metric::CostCapacity))
}

/// The level of segment `name` (or `all`) in `model`.
fn level_of(model: &Model, name: &str) -> Option<LevelRef> {
    if name == "all" {
        return Some(LevelRef::All);
    }
    model
        .segments
        .iter()
        .position(|s| s == name)
        .map(LevelRef::Segment)
}

/// Per replication in one year: (strategy cost, baseline cost, double running).
type Paired = (Euros, Euros, Euros);

/// The savings of `strategy` against `baseline`, per level (`all`, then the baseline's
/// segments the strategy also has) and calendar year both cover. Both results must come
/// from the same seed and number of replications.
///
/// Double running is counted per segment (a segment that builds the new while the old
/// still runs) and summed for `all`, so one segment's cuts do not hide another's
/// double running. Cumulative measures are compensated running sums.
pub fn savings(baseline: (&Model, &Results), strategy: (&Model, &Results)) -> Vec<SavingsRow> {
    let (bm, br) = baseline;
    let (sm, sr) = strategy;
    let n = br.replications().min(sr.replications());
    // years both cover: (baseline index, strategy index, year)
    let years: Vec<(usize, usize, i16)> = bm
        .timeline
        .years
        .iter()
        .enumerate()
        .filter_map(|(by, (year, _))| {
            let sy = sm.timeline.years.iter().position(|(y, _)| y == year)?;
            Some((by, sy, *year))
        })
        .collect();
    // per level: per year, per replication
    let segs: Vec<&str> = bm
        .segments
        .iter()
        .map(String::as_str)
        .filter(|g| level_of(sm, g).is_some())
        .collect();
    let per_level = |name: &str| -> Vec<Vec<Paired>> {
        let (Some(bl), Some(sl)) = (level_of(bm, name), level_of(sm, name)) else {
            return Vec::new();
        };
        years
            .iter()
            .map(|&(by, sy, _)| {
                (0..n)
                    .map(|r| {
                        let (cs, places_s) = year_cost(sr, r, sl, sy);
                        let (cb, places_b) = year_cost(br, r, bl, by);
                        let double = (places_s - places_b).value().max(0.0);
                        (cs, cb, Euros::new(double))
                    })
                    .collect()
            })
            .collect()
    };
    let seg_values: Vec<_> = segs.iter().map(|g| per_level(g)).collect();
    let mut all = per_level("all");
    for (y, year_vals) in all.iter_mut().enumerate() {
        for (r, v) in year_vals.iter_mut().enumerate() {
            v.2 = seg_values.iter().map(|sv| sv[y][r].2).sum();
        }
    }
    let mut out = Vec::new();
    let mut buf = Vec::new();
    let levels = std::iter::once(("all", &all)).chain(segs.iter().copied().zip(&seg_values));
    for (seg, values) in levels {
        let mut saved = vec![RunningSum::default(); n];
        let mut friction = vec![RunningSum::default(); n];
        for (&(_, _, year), year_vals) in years.iter().zip(values) {
            let mut cols: [Vec<f64>; 6] = Default::default();
            for (r, &(cs, cb, double)) in year_vals.iter().enumerate() {
                saved[r].add(cb - cs);
                friction[r].add(double);
                let vals = [
                    cs,
                    cb,
                    cb - cs,
                    saved[r].total(),
                    double,
                    friction[r].total(),
                ];
                for (c, v) in cols.iter_mut().zip(vals) {
                    c.push(v.value());
                }
            }
            for (measure, col) in Measure::ALL.into_iter().zip(&cols) {
                out.push(SavingsRow {
                    strategy: sm.name.clone(),
                    baseline: bm.name.clone(),
                    segment: seg.to_string(),
                    year,
                    measure,
                    summary: summarise(col.iter().copied(), &mut buf),
                });
            }
        }
    }
    out
}
