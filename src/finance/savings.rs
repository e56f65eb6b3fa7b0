//! The savings view: what a phasing strategy costs per year against the baseline, paired
//! per replication (both run with the same seed, so common random numbers make the
//! difference sharp), and the *frictiekosten* of the double-running period: in each year
//! that a strategy pays for more places than the baseline (beds still open while the
//! ambulatory teams are built), that extra; summed over the years, per replication.

use crate::experiment::Results;
use crate::model::Model;
use crate::stats::Metric;
use crate::stats::summary::{Summary, summarise};

/// The measures of `savings.csv`, in output order.
pub const MEASURES: [&str; 6] = [
    "cost",
    "cost_baseline",
    "saving",
    "saving_cumulative",
    "double_running",
    "frictiekosten_cumulative",
];

/// One measure of one strategy, level and year, summarised over replications.
#[derive(Clone, Debug)]
pub struct SavingsRow {
    pub strategy: String,
    pub baseline: String,
    /// A segment label, or `all`.
    pub segment: String,
    pub year: i16,
    pub measure: &'static str,
    pub summary: Summary,
}

/// Of replication `r` of `res` at `level` in the `y`-th calendar year of `model`: the
/// P×Q cost, and the cost of every place paid for, used or not.
fn year_cost(model: &Model, res: &Results, r: usize, level: usize, y: usize) -> (f64, f64) {
    let p = model.timeline.intervals.len() + y;
    let rep = &res.reps[r];
    (
        rep.get(level, Metric::Cost, p),
        rep.get(level, Metric::CostCapacity, p),
    )
}

/// The recorder level of segment `name` (or `all`) in `model`.
fn level_of(model: &Model, name: &str) -> Option<usize> {
    let n_s = model.services.len();
    if name == "all" {
        return Some(n_s + model.segments.len());
    }
    model
        .segments
        .iter()
        .position(|s| s == name)
        .map(|g| n_s + g)
}

/// The savings of `strategy` against `baseline`, per level (`all`, then the baseline's
/// segments the strategy also has) and calendar year both cover. Both results must come
/// from the same seed and number of replications.
///
/// Double running is counted per segment (a segment that builds the new while the old
/// still runs) and summed for `all`, so one segment's cuts do not hide another's
/// double running.
pub fn savings(baseline: (&Model, &Results), strategy: (&Model, &Results)) -> Vec<SavingsRow> {
    let (bm, br) = baseline;
    let (sm, sr) = strategy;
    let n = br.reps.len().min(sr.reps.len());
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
    // per level: per year, per replication (strategy cost, baseline cost, double running)
    let segs: Vec<&str> = bm
        .segments
        .iter()
        .map(String::as_str)
        .filter(|g| level_of(sm, g).is_some())
        .collect();
    let per_level = |name: &str| -> Vec<Vec<(f64, f64, f64)>> {
        let (Some(bl), Some(sl)) = (level_of(bm, name), level_of(sm, name)) else {
            return Vec::new();
        };
        years
            .iter()
            .map(|&(by, sy, _)| {
                (0..n)
                    .map(|r| {
                        let (cs, places_s) = year_cost(sm, sr, r, sl, sy);
                        let (cb, places_b) = year_cost(bm, br, r, bl, by);
                        (cs, cb, (places_s - places_b).max(0.0))
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
        let mut saved = vec![0.0; n];
        let mut friction = vec![0.0; n];
        for (&(_, _, year), year_vals) in years.iter().zip(values) {
            let mut cols: [Vec<f64>; 6] = Default::default();
            for (r, &(cs, cb, double)) in year_vals.iter().enumerate() {
                saved[r] += cb - cs;
                friction[r] += double;
                let vals = [cs, cb, cb - cs, saved[r], double, friction[r]];
                for (c, v) in cols.iter_mut().zip(vals) {
                    c.push(v);
                }
            }
            for (measure, col) in MEASURES.iter().zip(&cols) {
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
