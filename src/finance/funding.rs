//! What each segment costs per calendar year under P×Q and under its funding model, per
//! replication, so that every model is compared on the same simulated futures (paired).

use super::money::Euros;
use crate::experiment::Results;
use crate::model::{FundingModel, LumpSum, Model};
use crate::stats::Metric;
use crate::timeline::Period;

/// One segment (or `all`, the region) in one calendar year: per replication, in
/// replication order, the P×Q cost and what its funding model pays (euros, indexed).
#[derive(Clone, Debug)]
pub struct YearCosts {
    /// A segment label, or `all`.
    pub segment: String,
    pub year: i16,
    /// The segment's funding model (`pxq` when none is given); for `all`, `funded` when
    /// some segment is not P×Q, else `pxq`.
    pub model: &'static str,
    pub pxq: Vec<Euros>,
    /// What the funding model pays; equal to `pxq` under P×Q.
    pub funded: Vec<Euros>,
}

impl YearCosts {
    /// Per replication: funded − P×Q (a lump sum's surplus, or deficit when negative).
    pub fn surplus(&self) -> Vec<Euros> {
        self.funded
            .iter()
            .zip(&self.pxq)
            .map(|(f, c)| *f - *c)
            .collect()
    }
}

/// A yearly amount (euros per year at time `t`) over `period`, indexed at its midpoint.
fn per_year(model: &Model, period: &Period, euros_per_year: impl Fn(f64) -> f64) -> Euros {
    let mid = (period.start + period.end) / 2.0;
    Euros(euros_per_year(mid) * period.days() / 365.25 * model.finance.index(mid))
}

/// What funding model `fm` pays for segment level `level` in year period `p` of one
/// replication, given its P×Q cost.
fn funded(
    model: &Model,
    fm: &FundingModel,
    rep: &crate::stats::RepValues,
    level: usize,
    p: usize,
    period: &Period,
) -> Euros {
    let metric = |m: Metric| Euros(rep.get(level, m, p));
    match fm {
        FundingModel::Pxq => metric(Metric::Cost),
        FundingModel::Taakgericht(LumpSum::Budget(b)) => per_year(model, period, |t| b.at(t)),
        FundingModel::Taakgericht(LumpSum::Capacity) => metric(Metric::CostCapacity),
        FundingModel::Taakgericht(LumpSum::PerCapita {
            per_capita,
            population,
        }) => per_year(model, period, |t| per_capita.at(t) * population.at(t)),
        FundingModel::Trajectory { .. } => metric(Metric::CostTrajectory),
        FundingModel::Outcome(o) => {
            let base = per_year(model, period, |t| o.budget.at(t));
            let mid = (period.start + period.end) / 2.0;
            let kpi = rep.get(level, o.kpi, p);
            let bonus = if kpi.is_finite() {
                let limit = o.cap * base.0;
                ((o.target.at(mid) - kpi) * o.per_unit).clamp(-limit, limit)
            } else {
                0.0
            };
            base + Euros(bonus)
        }
    }
}

/// Costs per level (`all` first, then each segment) and calendar year. Empty when no
/// service has a tariff.
pub fn year_costs(model: &Model, res: &Results) -> Vec<YearCosts> {
    if model.services.iter().all(|s| s.tariff.is_none()) {
        return Vec::new();
    }
    let tl = &model.timeline;
    let n_int = tl.intervals.len();
    let n_s = model.services.len();
    let fm_of = |g: usize| {
        model
            .finance
            .funding
            .iter()
            .find(|(s, _)| s.0 as usize == g)
            .map(|(_, m)| m)
            .unwrap_or(&FundingModel::Pxq)
    };
    let any_funded = (0..model.segments.len()).any(|g| !matches!(fm_of(g), FundingModel::Pxq));
    let cost_at = |level: usize, p: usize| -> Vec<Euros> {
        res.reps
            .iter()
            .map(|r| Euros(r.get(level, Metric::Cost, p)))
            .collect()
    };
    // each segment's years, segment by segment (the output order after `all`)
    let segs: Vec<YearCosts> = model
        .segments
        .iter()
        .enumerate()
        .flat_map(|(g, name)| {
            let (fm, level) = (fm_of(g), n_s + g);
            tl.years.iter().enumerate().map(move |(y, (year, period))| {
                let p = n_int + y;
                YearCosts {
                    segment: name.clone(),
                    year: *year,
                    model: fm.name(),
                    pxq: cost_at(level, p),
                    funded: res
                        .reps
                        .iter()
                        .map(|r| funded(model, fm, r, level, p, period))
                        .collect(),
                }
            })
        })
        .collect();
    // the region pays what its segments' models pay, summed in segment order (compensated)
    let n_years = tl.years.len();
    let all = tl.years.iter().enumerate().map(|(y, (year, _))| YearCosts {
        segment: "all".into(),
        year: *year,
        model: if any_funded { "funded" } else { "pxq" },
        pxq: cost_at(n_s + model.segments.len(), n_int + y),
        funded: (0..res.reps.len())
            .map(|r| {
                segs.iter()
                    .skip(y)
                    .step_by(n_years)
                    .map(|s| s.funded[r])
                    .sum()
            })
            .collect(),
    });
    let mut out: Vec<YearCosts> = all.collect();
    out.extend(segs);
    out
}
