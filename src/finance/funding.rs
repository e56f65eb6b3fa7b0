//! What each segment costs per calendar year under P×Q and under its funding model, per
//! replication, so that every model is compared on the same simulated futures (paired).

use super::money::Euros;
use super::pricing;
use crate::experiment::Results;
use crate::model::{FundingModel, LumpSum, Model};
use crate::stats::{LevelRef, Metric};
use crate::timeline::{Period, PeriodRef};

/// The kind of funding a row of `costs.csv` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FundingKind {
    /// Fee for service: realised volume × tariff.
    Pxq,
    Taakgericht,
    Trajectory,
    Outcome,
    /// The region (`all`) when some segment is not P×Q: what the segments' models pay.
    Funded,
}

impl FundingKind {
    /// The name used in `costs.csv`.
    pub fn name(self) -> &'static str {
        match self {
            FundingKind::Pxq => "pxq",
            FundingKind::Taakgericht => "taakgericht",
            FundingKind::Trajectory => "trajectory",
            FundingKind::Outcome => "outcome",
            FundingKind::Funded => "funded",
        }
    }

    /// The kind of a segment's funding model.
    pub fn of(model: &FundingModel) -> FundingKind {
        match model {
            FundingModel::Pxq => FundingKind::Pxq,
            FundingModel::Taakgericht(_) => FundingKind::Taakgericht,
            FundingModel::Trajectory { .. } => FundingKind::Trajectory,
            FundingModel::Outcome(_) => FundingKind::Outcome,
        }
    }
}

/// One segment (or `all`, the region) in one calendar year: per replication, in
/// replication order, the P×Q cost and what its funding model pays (euros, indexed).
#[derive(Clone, Debug)]
pub struct YearCosts {
    /// A segment label, or `all`.
    pub segment: String,
    pub year: i16,
    /// The segment's funding model ([`FundingKind::Pxq`] when none is given); for `all`,
    /// [`FundingKind::Funded`] when some segment is not P×Q, else P×Q.
    pub model: FundingKind,
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

/// What funding model `fm` pays for a level in calendar year `period` of one replication,
/// given `at`, that replication's value of a metric at that level in that year.
fn funded(model: &Model, fm: &FundingModel, at: &dyn Fn(Metric) -> f64, period: &Period) -> Euros {
    let metric = |m: Metric| Euros::new(at(m));
    let per_year =
        |f: &dyn Fn(f64) -> f64| Euros::new(pricing::over_period(&model.finance, period, f));
    match fm {
        FundingModel::Pxq => metric(Metric::Cost),
        FundingModel::Taakgericht(LumpSum::Budget(b)) => per_year(&|t| b.at(t)),
        FundingModel::Taakgericht(LumpSum::Capacity) => metric(Metric::CostCapacity),
        FundingModel::Taakgericht(LumpSum::PerCapita {
            per_capita,
            population,
        }) => per_year(&|t| per_capita.at(t) * population.at(t)),
        FundingModel::Trajectory { .. } => metric(Metric::CostTrajectory),
        FundingModel::Outcome(o) => {
            let base = per_year(&|t| o.budget.at(t));
            let mid = (period.start + period.end) / 2.0;
            let kpi = at(o.kpi);
            let bonus = if kpi.is_finite() {
                let limit = o.cap * base.value();
                ((o.target.at(mid) - kpi) * o.per_unit).clamp(-limit, limit)
            } else {
                0.0
            };
            base + Euros::new(bonus)
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
    let cost_at = |level: LevelRef, y: usize| -> Vec<Euros> {
        res.per_rep(level, Metric::Cost, PeriodRef::Year(y))
            .iter()
            .map(|x| Euros::new(*x))
            .collect()
    };
    // each segment's years, segment by segment (the output order after `all`)
    let segs: Vec<YearCosts> = model
        .segments
        .iter()
        .enumerate()
        .flat_map(|(g, name)| {
            let (fm, level) = (fm_of(g), LevelRef::Segment(g));
            tl.years
                .iter()
                .enumerate()
                .map(move |(y, (year, period))| YearCosts {
                    segment: name.clone(),
                    year: *year,
                    model: FundingKind::of(fm),
                    pxq: cost_at(level, y),
                    funded: (0..res.replications())
                        .map(|r| {
                            let at = |m: Metric| res.per_rep(level, m, PeriodRef::Year(y))[r];
                            funded(model, fm, &at, period)
                        })
                        .collect(),
                })
        })
        .collect();
    // the region pays what its segments' models pay, summed in segment order (compensated)
    let n_years = tl.years.len();
    let all = tl.years.iter().enumerate().map(|(y, (year, _))| YearCosts {
        segment: "all".into(),
        year: *year,
        model: if any_funded {
            FundingKind::Funded
        } else {
            FundingKind::Pxq
        },
        pxq: cost_at(LevelRef::All, y),
        funded: (0..res.replications())
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
