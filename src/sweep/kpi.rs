//! The KPIs a comparison of strategies shows: a list ([`KPIS`]), not fixed columns, each
//! with its unit, its group in the report and which direction is better; their values per
//! replication from one run ([`kpi_values`]); and the measures of risk — `risk_wait`,
//! `risk_budget` (per run, as 0/1 per replication) and `regret` (across the runs of one
//! comparison, [`regret`]).
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
//! - `regret`, per replication: the strategy's P×Q cost over the window minus the cost of
//!   the cheapest strategy of the comparison that meets the wait norm in that replication;
//!   replications in which none meets it are left out. Only runs paired with the first
//!   (same seed and replications) take part.

use crate::experiment::Results;
use crate::finance::funding::year_costs;
use crate::model::pricing;
use crate::model::{FundingModel, Model};
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

/// What a KPI's numbers are, for how they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Youths, events or places: whole numbers.
    Count,
    /// Days (a mean wait, days out of home).
    Days,
    /// A share between 0 and 1, shown as a percentage.
    Share,
    /// Euros.
    Euros,
}

/// Where a KPI appears in the comparison report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Wait,
    OutOfHome,
    Flow,
    Cost,
    Risk,
}

impl Group {
    /// The groups, in the report's order.
    pub const ALL: [Group; 5] = [
        Group::Wait,
        Group::OutOfHome,
        Group::Flow,
        Group::Cost,
        Group::Risk,
    ];
}

/// One KPI of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kpi {
    /// A metric of the region over the whole window.
    Metric(Metric),
    /// Share of replications that miss the wait norm in some year.
    RiskWait,
    /// Share of replications in which the region's cost exceeds its budget in some year.
    RiskBudget,
    /// Mean cost above the cheapest strategy that meets the wait norm (a comparison's).
    Regret,
}

/// The KPIs, in the order of `sweep.csv`, `differences.csv` and `replications.csv`.
pub const KPIS: [Kpi; 18] = [
    Kpi::Metric(Metric::Clients),
    Kpi::Metric(Metric::WaitingPeak),
    Kpi::Metric(Metric::WaitDaysMean),
    Kpi::Metric(Metric::WaitDaysP90),
    Kpi::Metric(Metric::TimeToCareDaysMean),
    Kpi::Metric(Metric::TimeToCareDaysP90),
    Kpi::Metric(Metric::OverNormShare),
    Kpi::Metric(Metric::OutOfHomeDays),
    Kpi::Metric(Metric::Overflowed),
    Kpi::Metric(Metric::Reneged),
    Kpi::Metric(Metric::BlockedDays),
    Kpi::Metric(Metric::Reentries),
    Kpi::Metric(Metric::AgedOut),
    Kpi::Metric(Metric::MaxChangeLoad),
    Kpi::Metric(Metric::Cost),
    Kpi::RiskWait,
    Kpi::RiskBudget,
    Kpi::Regret,
];

impl Kpi {
    /// The name in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Kpi::Metric(m) => m.name(),
            Kpi::RiskWait => "risk_wait",
            Kpi::RiskBudget => "risk_budget",
            Kpi::Regret => "regret",
        }
    }

    /// The KPI of a CSV name.
    pub fn from_name(s: &str) -> Option<Kpi> {
        KPIS.iter().copied().find(|k| k.name() == s)
    }

    /// Its position in [`KPIS`].
    pub fn index(self) -> usize {
        KPIS.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// What its numbers are.
    pub fn unit(self) -> Unit {
        match self {
            Kpi::Metric(
                Metric::WaitDaysMean
                | Metric::WaitDaysP90
                | Metric::TimeToCareDaysMean
                | Metric::TimeToCareDaysP90,
            ) => Unit::Days,
            Kpi::Metric(Metric::OutOfHomeDays | Metric::BlockedDays) => Unit::Days,
            Kpi::Metric(Metric::OverNormShare) | Kpi::RiskWait | Kpi::RiskBudget => Unit::Share,
            Kpi::Metric(Metric::Cost) | Kpi::Regret => Unit::Euros,
            Kpi::Metric(_) => Unit::Count,
        }
    }

    /// Where it appears in the report.
    pub fn group(self) -> Group {
        match self {
            Kpi::Metric(
                Metric::WaitingPeak
                | Metric::WaitDaysMean
                | Metric::WaitDaysP90
                | Metric::TimeToCareDaysMean
                | Metric::TimeToCareDaysP90
                | Metric::OverNormShare
                | Metric::Reneged,
            ) => Group::Wait,
            Kpi::Metric(Metric::OutOfHomeDays | Metric::Overflowed | Metric::BlockedDays) => {
                Group::OutOfHome
            }
            Kpi::Metric(Metric::Cost) => Group::Cost,
            Kpi::RiskWait | Kpi::RiskBudget | Kpi::Regret => Group::Risk,
            Kpi::Metric(_) => Group::Flow,
        }
    }

    /// Whether a lower value is better; `None` for a volume that is not a goal
    /// (`clients`).
    pub fn lower_is_better(self) -> Option<bool> {
        (!matches!(self, Kpi::Metric(Metric::Clients))).then_some(true)
    }

    /// Whether one run's replications give its value (all but `regret`, which needs the
    /// other strategies): those are in `replications.csv`.
    pub fn per_run(self) -> bool {
        self != Kpi::Regret
    }
}

/// Every replication's value of `metric` at `level` in `period`, in replication order.
fn per_rep(res: &Results, level: LevelRef, metric: Metric, period: PeriodRef) -> Vec<f64> {
    res.per_rep(level, metric, period).to_vec()
}

/// Per KPI (in [`KPIS`] order), per replication: the values one run gives (NaN for
/// `regret`, which a comparison fills in with [`regret`]).
pub fn kpi_values(model: &Model, res: &Results) -> Vec<Vec<f64>> {
    KPIS.iter()
        .map(|k| match k {
            Kpi::Metric(m) => per_rep(res, LevelRef::All, *m, PeriodRef::Total),
            Kpi::RiskWait => risk_wait(model, res),
            Kpi::RiskBudget => risk_budget(model, res),
            Kpi::Regret => vec![f64::NAN; res.replications()],
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

/// `regret` of each run, per replication, from each run's per-replication `cost` (P×Q over
/// the window) and `risk_wait` (0: meets the wait norm). `paired[i]` says whether run `i`
/// shares the first run's seed and replications; only paired runs take part, the others
/// get no values. A replication in which no paired run meets the norm is NaN for all.
pub fn regret(cost: &[Vec<f64>], risk_wait: &[Vec<f64>], paired: &[bool]) -> Vec<Vec<f64>> {
    let n = cost.first().map_or(0, Vec::len);
    let mut out: Vec<Vec<f64>> = paired
        .iter()
        .map(|p| if *p { vec![f64::NAN; n] } else { Vec::new() })
        .collect();
    for r in 0..n {
        let best = cost
            .iter()
            .zip(risk_wait)
            .zip(paired)
            .filter(|((c, w), p)| **p && c.len() == n && w.get(r) == Some(&0.0))
            .map(|((c, _), _)| c[r])
            .filter(|c| c.is_finite())
            .min_by(f64::total_cmp);
        let Some(best) = best else { continue };
        for (i, c) in cost.iter().enumerate() {
            if paired[i] && c.len() == n {
                out[i][r] = c[r] - best;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for k in KPIS {
            assert_eq!(Kpi::from_name(k.name()), Some(k));
            assert_eq!(KPIS[k.index()], k);
        }
        assert_eq!(Kpi::RiskWait.unit(), Unit::Share);
        assert_eq!(Kpi::Metric(Metric::Clients).unit(), Unit::Count);
        assert_eq!(Kpi::Regret.group(), Group::Risk);
        assert!(!Kpi::Regret.per_run() && Kpi::RiskBudget.per_run());
        assert_eq!(Kpi::Metric(Metric::Clients).lower_is_better(), None);
        // every group has a KPI
        for g in Group::ALL {
            assert!(KPIS.iter().any(|k| k.group() == g), "{g:?}");
        }
    }

    #[test]
    fn regret_is_the_cost_above_the_cheapest_run_that_meets_the_norm() {
        // three runs, three replications; run 2 is not paired
        let cost = vec![
            vec![100.0, 100.0, 100.0],
            vec![90.0, 120.0, 95.0],
            vec![50.0, 50.0, 50.0],
        ];
        let risk = vec![
            vec![0.0, 0.0, 1.0],
            vec![1.0, 0.0, 1.0],
            vec![0.0, 0.0, 0.0],
        ];
        let r = regret(&cost, &risk, &[true, true, false]);
        // rep 0: only run 0 meets the norm (run 2 does not take part)
        assert_eq!(r[0][0], 0.0);
        assert_eq!(r[1][0], -10.0, "cheaper, because it missed the norm");
        // rep 1: both meet it, run 0 is cheapest
        assert_eq!((r[0][1], r[1][1]), (0.0, 20.0));
        // rep 2: none meets it
        assert!(r[0][2].is_nan() && r[1][2].is_nan());
        assert!(r[2].is_empty());
    }
}
