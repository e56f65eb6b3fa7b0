//! What each segment costs per calendar year under P×Q and under its funding model, per
//! replication, so that every model is compared on the same simulated futures (paired).

use super::money::Euros;
use super::pricing;
use crate::experiment::Results;
use crate::model::{Contract, FundingModel, LumpSum, Model};
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
    /// A taakgericht lump sum under a contract (corridor, re-basing): the lump sum before
    /// the settlement; `funded` is what the region pays after it.
    pub lump: Option<Vec<Euros>>,
}

impl YearCosts {
    /// Per replication: funded − P×Q, the provider's result on the segment (a lump sum's
    /// surplus, or a loss when negative); 0 under P×Q.
    pub fn surplus(&self) -> Vec<Euros> {
        self.funded
            .iter()
            .zip(&self.pxq)
            .map(|(f, c)| *f - *c)
            .collect()
    }

    /// Per replication: what the region pays beyond the lump sum under a contract's
    /// settlement (its share of an overrun beyond the corridor), or gets back (negative).
    pub fn settlement(&self) -> Option<Vec<Euros>> {
        self.lump
            .as_ref()
            .map(|l| self.funded.iter().zip(l).map(|(f, l)| *f - *l).collect())
    }
}

/// What the region pays against a lump sum `lump` when the care given is worth `pxq`
/// (P×Q), under contract `c`: within the corridor the lump sum; beyond it, the lump sum
/// plus the region's share of the overrun beyond the corridor, or less its share of the
/// underspend beyond it.
pub fn settle(lump: f64, pxq: f64, c: &Contract) -> f64 {
    let band = c.corridor * lump.abs();
    let over = pxq - lump;
    if over > band {
        lump + c.above * (over - band)
    } else if -over > band {
        lump - c.below * (-over - band)
    } else {
        lump
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

/// Applies contract `c` to a taakgericht segment's `years` (in order), replication by
/// replication: re-bases the lump sum at the start of each contract period after the first
/// (last year's P×Q cost, brought to the new year's prices and length, then held in real
/// terms), and settles each year's difference with the P×Q cost beyond the corridor.
fn contract_years(model: &Model, c: &Contract, years: &mut [YearCosts]) {
    let tl = &model.timeline;
    let n = years.first().map_or(0, |y| y.pxq.len());
    // per year: the index at its middle times its days (what a yearly amount scales by)
    let weight: Vec<f64> = tl
        .years
        .iter()
        .map(|(_, p)| pricing::over_period(&model.finance, p, |_| 1.0))
        .collect();
    for y in years.iter_mut() {
        y.lump = Some(y.funded.clone());
    }
    for r in 0..n {
        // the lump sum of the current contract period, per unit of `weight`
        let mut rebased: Option<f64> = None;
        for k in 0..years.len() {
            if let Some(every) = c.rebase_every
                && k > 0
                && k % every as usize == 0
                && weight[k - 1] > 0.0
            {
                rebased = Some(years[k - 1].pxq[r].value() / weight[k - 1]);
            }
            let lump = match rebased {
                Some(per_unit) => per_unit * weight[k],
                None => years[k].funded[r].value(),
            };
            let paid = settle(lump, years[k].pxq[r].value(), c);
            if let Some(l) = years[k].lump.as_mut() {
                l[r] = Euros::new(lump);
            }
            years[k].funded[r] = Euros::new(paid);
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
                    lump: None,
                })
        })
        .collect();
    let mut segs = segs;
    let n_years = tl.years.len();
    for (seg, c) in &model.finance.contracts {
        let g = seg.0 as usize;
        if matches!(fm_of(g), FundingModel::Taakgericht(_)) {
            contract_years(model, c, &mut segs[g * n_years..(g + 1) * n_years]);
        }
    }
    // the region pays what its segments' models pay, summed in segment order (compensated)
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
        lump: None,
    });
    let mut out: Vec<YearCosts> = all.collect();
    out.extend(segs);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corridor_leaves_the_provider_the_band_and_settles_beyond_it() {
        let c = Contract {
            corridor: 0.1,
            above: 0.5,
            below: 0.25,
            rebase_every: None,
        };
        // within ±10% of the lump sum of 100: the lump sum
        assert_eq!(settle(100.0, 108.0, &c), 100.0);
        assert_eq!(settle(100.0, 92.0, &c), 100.0);
        // 30 over: 10 in the band (provider), half of the other 20 paid by the region
        assert_eq!(settle(100.0, 130.0, &c), 110.0);
        // 30 under: a quarter of the 20 beyond the band comes back to the region
        assert_eq!(settle(100.0, 70.0, &c), 95.0);
        // no corridor: the provider carries every difference
        let none = Contract {
            corridor: f64::INFINITY,
            ..c
        };
        assert_eq!(settle(100.0, 1000.0, &none), 100.0);
    }
}
