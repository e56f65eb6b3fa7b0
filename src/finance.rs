//! Finance: budgets that cover the simulated cost with a given confidence, and the
//! capacity (and so the lump sum) needed to meet a wait-norm target. [`pricing`] is the
//! one place that turns tariffs and yearly amounts into indexed euros (the simulation's
//! price table included); [`funding`] computes what each funding model pays;
//! [`savings`] compares strategies with a baseline; [`money`] holds [`money::Euros`].
//! These return rows; `report::finance_csv` writes them.

pub mod funding;
pub mod money;
pub mod pricing;
pub mod savings;

use crate::experiment::{self, ExperimentError, Plan, Results};
use crate::model::{Model, TimeFn};
use crate::stats::summary::{quantile_sorted, summarise};
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;
use money::Euros;

/// A budget per segment and year: the `confidence`-quantile of the simulated P×Q cost over
/// replications, with a distribution-free 95% interval for that quantile.
#[derive(Clone, Debug)]
pub struct Budget {
    pub segment: String,
    pub year: i16,
    pub budget: Euros,
    pub ci_low: Euros,
    pub ci_high: Euros,
    pub pxq_mean: Euros,
}

/// The order-statistic 95% interval of the `q`-quantile of sorted values (normal
/// approximation to the binomial ranks), or NaN bounds with too few values.
pub fn quantile_ci(sorted: &[f64], q: f64) -> (f64, f64) {
    let n = sorted.len() as f64;
    if sorted.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    let half = 1.96 * (n * q * (1.0 - q)).sqrt();
    let lo = (n * q - half).floor();
    let hi = (n * q + half).ceil();
    let at = |r: f64| {
        if r < 1.0 || r > n {
            f64::NAN
        } else {
            sorted[r as usize - 1]
        }
    };
    (at(lo), at(hi))
}

/// Budgets per segment (and `all`) and calendar year.
pub fn budgets(model: &Model, res: &Results, confidence: f64) -> Vec<Budget> {
    let tl = &model.timeline;
    let mut out = Vec::new();
    let levels = std::iter::once(("all".to_string(), LevelRef::All)).chain(
        model
            .segments
            .iter()
            .enumerate()
            .map(|(g, name)| (name.clone(), LevelRef::Segment(g))),
    );
    for (segment, level) in levels {
        for (y, (year, _)) in tl.years.iter().enumerate() {
            let mut v: Vec<f64> = res
                .per_rep(level, Metric::Cost, PeriodRef::Year(y))
                .iter()
                .copied()
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            let (ci_low, ci_high) = quantile_ci(&v, confidence);
            out.push(Budget {
                segment: segment.clone(),
                year: *year,
                budget: Euros::new(quantile_sorted(&v, confidence)),
                ci_low: Euros::new(ci_low),
                ci_high: Euros::new(ci_high),
                pxq_mean: Euros::new(summarise(v.iter().copied(), &mut Vec::new()).mean),
            });
        }
    }
    out
}

/// Capacity factors the search tries, of today's capacity.
const FACTORS: [f64; 10] = [0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0];

/// Whether the capacity search sizes service `s`: it has a capacity (not staff), a norm
/// and a tariff.
fn searched(model: &Model, s: usize) -> bool {
    let svc = &model.services[s];
    svc.capacity.is_some() && svc.norm.is_some() && svc.tariff.is_some() && svc.staff.is_none()
}

/// Replications the capacity search runs with `plan` (for a progress bar).
pub fn capacity_search_replications(model: &Model, plan: Plan) -> u64 {
    let services = (0..model.services.len())
        .filter(|s| searched(model, *s))
        .count();
    services as u64 * FACTORS.len() as u64 * u64::from(plan.replications)
}

/// The capacity a service needs, per year, for the share of admissions within the wait
/// norm to reach `target`, and the lump sum that capacity costs.
#[derive(Clone, Debug)]
pub struct CapacityNeed {
    pub service: String,
    pub year: i16,
    pub capacity: f64,
    pub budget: Euros,
}

/// Searches, for every service with a capacity, a norm and a tariff, the smallest
/// capacity (a constant over the horizon, from a grid of 50% to 200% of today's) whose
/// mean share of admissions within the norm reaches `target` in each year. Every
/// candidate runs with the same random numbers (common random numbers), so the search
/// compares like with like. NaN when even 200% does not reach the target.
/// `on_progress` is called with the replications run so far (of
/// [`capacity_search_replications`]).
pub fn capacity_needs(
    model: &Model,
    plan: Plan,
    target: f64,
    on_progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<CapacityNeed>, ExperimentError> {
    let mut done = 0;
    let tl = &model.timeline;
    let mut out = Vec::new();
    for (s, svc) in model.services.iter().enumerate() {
        let (Some(cap), Some(tariff)) = (&svc.capacity, &svc.tariff) else {
            continue;
        };
        if !searched(model, s) {
            continue;
        }
        let base = cap.at(0.0).max(1.0);
        // within-norm share per (factor, year), mean over replications
        let mut shares: Vec<Vec<f64>> = Vec::new();
        let mut caps = Vec::new();
        for f in FACTORS {
            let c = (base * f).round().max(svc.initial as f64);
            let mut m = model.clone();
            let sv = &mut m.services[s];
            sv.capacity = Some(TimeFn::Const(c));
            sv.steps.clear();
            let res = experiment::run(&m, plan, &|n| on_progress(done + n))?;
            done += u64::from(plan.replications);
            let per_year = (0..tl.years.len())
                .map(|y| {
                    let share = res.per_rep(
                        LevelRef::Service(s),
                        Metric::OverNormShare,
                        PeriodRef::Year(y),
                    );
                    1.0 - summarise(share.iter().copied(), &mut Vec::new()).mean
                })
                .collect();
            shares.push(per_year);
            caps.push(c);
        }
        for (y, (year, period)) in tl.years.iter().enumerate() {
            let need = caps
                .iter()
                .zip(&shares)
                .find(|(_, sh)| sh[y].is_nan() || sh[y] >= target)
                .map_or(f64::NAN, |(c, _)| *c);
            let rate = pricing::place_day_cost(tariff, &model.finance, period);
            out.push(CapacityNeed {
                service: svc.id.clone(),
                year: *year,
                capacity: need,
                budget: Euros::new(need * period.days() * rate),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interval_brackets_the_quantile() {
        let v: Vec<f64> = (1..=100).map(|x| x as f64).collect();
        let (lo, hi) = quantile_ci(&v, 0.9);
        assert!(
            lo < 90.0 && hi > 90.0 && lo >= 80.0 && hi <= 97.0,
            "{lo} {hi}"
        );
        assert!(quantile_ci(&[1.0], 0.9).0.is_nan());
    }
}
