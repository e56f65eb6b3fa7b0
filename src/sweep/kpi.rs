//! The KPIs a comparison of strategies shows: a list ([`KPIS`], with each one's format,
//! group and better direction in the table of measures, [`crate::measure`]), not fixed
//! columns; their values per replication from one run ([`kpi_values`]); and the measures of
//! risk of one run against policy limits — `risk_wait`, `risk_budget` (as 0/1 per
//! replication). The measures taken against the other runs of a comparison (the saving net
//! of harm, the paired risks, `regret`) are in [`super::robust`].
//!
//! Definitions (README, "Risk"):
//! - a replication *misses the wait norm* when, in at least one calendar year of the window,
//!   more than `[report] risk_over_norm_share` (default 5%) of the region's admissions
//!   where a norm applies waited beyond their norm; `risk_wait` is 1 in such a replication,
//!   else 0 (undefined when no year has such admissions), so its mean is the share of
//!   replications that miss the norm. A replication *meets the wait norm* when it does not
//!   miss it.
//! - a replication *overruns the budget* when, in at least one calendar year, the region's
//!   P×Q cost exceeds its budget: what the funding models pay (`funded` of `all` in
//!   `costs.csv`) when some segment has a lump sum (taakgericht or outcome), else
//!   `[report] budget` over the year (indexed like tariffs); undefined (empty) when neither
//!   is given or nothing has a tariff.

use crate::experiment::Results;
use crate::finance::funding::year_costs;
pub use crate::measure::{Format, Group, KPIS, Kpi};
use crate::model::pricing;
use crate::model::{FundingModel, Model};
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

/// Every replication's value of `metric` at `level` in `period`, in replication order.
fn per_rep(res: &Results, level: LevelRef, metric: Metric, period: PeriodRef) -> Vec<f64> {
    res.per_rep(level, metric, period).to_vec()
}

/// Per KPI (in [`KPIS`] order), per replication: the values one run gives (NaN for the
/// measures a comparison fills in, see [`Kpi::per_run`]).
pub fn kpi_values(model: &Model, res: &Results) -> Vec<Vec<f64>> {
    KPIS.iter()
        .map(|k| match (k, k.metric()) {
            (_, Some(m)) => per_rep(res, LevelRef::All, m, PeriodRef::Total),
            (Kpi::RiskWait, _) => risk_wait(model, res),
            (Kpi::RiskBudget, _) => risk_budget(model, res),
            _ => vec![f64::NAN; res.replications()],
        })
        .collect()
}

/// Per replication: 1 when the region misses the wait norm in some year, else 0; NaN
/// when no year has admissions where a norm applies.
pub fn risk_wait(model: &Model, res: &Results) -> Vec<f64> {
    let limit = model.risk.over_norm_share;
    let years: Vec<Vec<f64>> = (0..model.timeline.years.len())
        .map(|y| {
            per_rep(
                res,
                LevelRef::All,
                Metric::OverNormShare,
                PeriodRef::Year(y),
            )
        })
        .collect();
    (0..res.replications())
        .map(|r| {
            let shares: Vec<f64> = years.iter().map(|y| y[r]).filter(|x| !x.is_nan()).collect();
            if shares.is_empty() {
                f64::NAN
            } else if shares.iter().any(|s| *s > limit) {
                1.0
            } else {
                0.0
            }
        })
        .collect()
}

/// Per replication: 1 when the region's P×Q cost exceeds its budget in some year, else 0;
/// NaN when there is no budget (no lump sum, no `[report] budget`) or no cost.
pub fn risk_budget(model: &Model, res: &Results) -> Vec<f64> {
    let n = res.replications();
    let undefined = vec![f64::NAN; n];
    let lump = model
        .finance
        .funding
        .iter()
        .any(|(_, fm)| matches!(fm, FundingModel::Taakgericht(_) | FundingModel::Outcome(_)));
    if !lump && model.risk.budget.is_none() {
        return undefined;
    }
    let costs: Vec<_> = year_costs(model, res)
        .into_iter()
        .filter(|c| c.segment == "all")
        .collect();
    if costs.is_empty() {
        return undefined;
    }
    let mut over = vec![false; n];
    let mut defined = vec![false; n];
    for (c, (_, period)) in costs.iter().zip(&model.timeline.years) {
        let fixed = model
            .risk
            .budget
            .as_ref()
            .map(|b| pricing::over_period(&model.finance, period, |t| b.at(t)));
        for r in 0..n {
            let cost = c.pxq[r].value();
            let budget = match (lump, fixed) {
                (true, _) => c.funded[r].value(),
                (false, Some(b)) => b,
                (false, None) => f64::NAN,
            };
            if cost.is_finite() && budget.is_finite() {
                defined[r] = true;
                over[r] |= cost > budget;
            }
        }
    }
    (0..n)
        .map(|r| match (defined[r], over[r]) {
            (false, _) => f64::NAN,
            (true, true) => 1.0,
            (true, false) => 0.0,
        })
        .collect()
}
