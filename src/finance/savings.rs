//! The savings view: a road's money against the baseline, per segment and year, paired
//! per replication (both run with the same seed: common random numbers), split into what
//! a finance officer can book and what he cannot.
//!
//! Per replication, segment and year (euros, indexed):
//!
//! - `cost_baseline − cost = saving_structural + care_not_delivered − frictiekosten`,
//!   exactly, where `cost` is what the year costs the region: the P×Q cost of the care
//!   given, plus the frictiekosten (double running, stranded cost) less national
//!   transformation money received;
//! - `care_not_delivered`: the P×Q cost that falls only because youths got less or later
//!   care than in the baseline (the rule is in [`decompose`]); a harm, never a saving;
//! - `saving_structural`: the rest of the P×Q difference — the same youths cared for in a
//!   cheaper or shorter way;
//! - `frictiekosten = double_running + stranded − national_money`: idle places the road
//!   builds beyond the baseline's and pays while they fill, the fixed costs of closed
//!   places winding down and of freed staff retraining beyond the baseline's, less the
//!   national transformation money the road qualifies for (never more than those costs);
//! - the headline `saving = saving_structural − frictiekosten`.

pub mod decompose;
mod routes;

use super::grant;
use super::money::{Euros, RunningSum};
use crate::experiment::Results;
use crate::model::Model;
use crate::stats::summary::{Summary, summarise};
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;
use decompose::{Calendar, Pair};

pub use decompose::kept;

/// A measure of `savings.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// What the year costs the region under the strategy: P×Q + frictiekosten.
    Cost,
    /// What it costs under the baseline.
    CostBaseline,
    /// The headline: structural saving − frictiekosten.
    Saving,
    /// The headline summed over the years so far.
    SavingCumulative,
    /// The P×Q difference less care not delivered.
    SavingStructural,
    SavingStructuralCumulative,
    /// P×Q that falls because youths got less or later care (negative: more care).
    CareNotDelivered,
    CareNotDeliveredCumulative,
    /// Double running + stranded − national money.
    Frictiekosten,
    /// Idle places built beyond the baseline's, paid while they fill (≥ 0).
    DoubleRunning,
    /// The strategy's stranded cost beyond the baseline's.
    Stranded,
    /// National transformation money received (≥ 0; lowers the frictiekosten).
    NationalMoney,
    /// Frictiekosten summed over the years so far.
    FrictiekostenCumulative,
    /// The region's share of the Hervormingsagenda savings that year (`all` only).
    Target,
    /// Target − structural saving (`all` only; positive: short of the target).
    TargetGap,
}

impl Measure {
    /// Every measure, in output order.
    pub const ALL: [Measure; 15] = [
        Measure::Cost,
        Measure::CostBaseline,
        Measure::Saving,
        Measure::SavingCumulative,
        Measure::SavingStructural,
        Measure::SavingStructuralCumulative,
        Measure::CareNotDelivered,
        Measure::CareNotDeliveredCumulative,
        Measure::Frictiekosten,
        Measure::DoubleRunning,
        Measure::Stranded,
        Measure::NationalMoney,
        Measure::FrictiekostenCumulative,
        Measure::Target,
        Measure::TargetGap,
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
            Measure::SavingStructural => "saving_structural",
            Measure::SavingStructuralCumulative => "saving_structural_cumulative",
            Measure::CareNotDelivered => "care_not_delivered",
            Measure::CareNotDeliveredCumulative => "care_not_delivered_cumulative",
            Measure::Frictiekosten => "frictiekosten",
            Measure::DoubleRunning => "double_running",
            Measure::Stranded => "stranded",
            Measure::NationalMoney => "national_money",
            Measure::FrictiekostenCumulative => "frictiekosten_cumulative",
            Measure::Target => "target",
            Measure::TargetGap => "target_gap",
        }
    }

    /// Whether the measure is only given for the region (`all`).
    pub fn region_only(self) -> bool {
        matches!(self, Measure::Target | Measure::TargetGap)
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

/// One replication at one level in one year: the amounts every measure is made of.
#[derive(Clone, Copy, Debug, Default)]
struct Parts {
    pxq: Euros,
    pxq_baseline: Euros,
    stranded: Euros,
    stranded_baseline: Euros,
    care_not_delivered: Euros,
    double_running: Euros,
    national_money: Euros,
}

impl Parts {
    fn add(&mut self, o: &Parts) {
        self.pxq += o.pxq;
        self.pxq_baseline += o.pxq_baseline;
        self.stranded += o.stranded;
        self.stranded_baseline += o.stranded_baseline;
        self.care_not_delivered += o.care_not_delivered;
        self.double_running += o.double_running;
        self.national_money += o.national_money;
    }

    /// Double running + stranded beyond the baseline's − national money.
    fn frictiekosten(&self) -> Euros {
        self.double_running + (self.stranded - self.stranded_baseline) - self.national_money
    }

    /// The P×Q difference less care not delivered.
    fn structural(&self) -> Euros {
        (self.pxq_baseline - self.pxq) - self.care_not_delivered
    }
}

/// Of replication `r` of `res` at `level` in year `y`: the P×Q cost and the stranded cost.
fn year_cost(res: &Results, r: usize, level: LevelRef, y: usize) -> (Euros, Euros) {
    let at = |m: Metric| res.per_rep(level, m, PeriodRef::Year(y))[r];
    // a model without closing places has no stranded cost
    let stranded = at(Metric::CostStranded);
    (
        Euros::new(at(Metric::Cost)),
        Euros::new(if stranded.is_nan() { 0.0 } else { stranded }),
    )
}

/// The savings of `strategy` against `baseline`, per level (`all`, then the baseline's
/// segments the strategy also has) and calendar year both cover. Both results must come
/// from the same seed and number of replications, run keeping the cells of [`kept`].
///
/// Double running is counted per service and summed, so one segment's cuts do not hide
/// another's. Cumulative measures are compensated running sums. Written to cents, the
/// parts add up: see `balance`.
pub fn savings(baseline: (&Model, &Results), strategy: (&Model, &Results)) -> Vec<SavingsRow> {
    let (bm, br) = baseline;
    let (sm, sr) = strategy;
    let n = br.replications().min(sr.replications());
    let cal = Calendar::new(bm, sm);
    let segs: Vec<&str> = bm
        .segments
        .iter()
        .map(String::as_str)
        .filter(|g| level_of(sm, g).is_some())
        .collect();
    let seg_index = |name: &str| segs.iter().position(|g| *g == name);
    let pair = Pair::new(baseline, strategy, &cal, &seg_index, segs.len());
    let money = grant::Grant::of(sm, &cal.years, &segs);
    // per segment (in `segs` order), per year, per replication
    let mut seg_parts: Vec<Vec<Vec<Parts>>> =
        vec![vec![vec![Parts::default(); n]; cal.years.len()]; segs.len()];
    for r in 0..n {
        let rp = pair.rep(r);
        for (g, name) in segs.iter().enumerate() {
            let (Some(bl), Some(sl)) = (level_of(bm, name), level_of(sm, name)) else {
                continue;
            };
            for (y, &(by, sy, _)) in cal.years.iter().enumerate() {
                let (pxq, stranded) = year_cost(sr, r, sl, sy);
                let (pxq_baseline, stranded_baseline) = year_cost(br, r, bl, by);
                seg_parts[g][y][r] = Parts {
                    pxq,
                    pxq_baseline,
                    stranded,
                    stranded_baseline,
                    care_not_delivered: rp.care_not_delivered[g][y],
                    double_running: rp.double_running[g][y],
                    national_money: Euros::ZERO,
                };
            }
        }
        // national transformation money pays the frictiekosten of its segment, year by
        // year, as far as the money goes
        if let Some(money) = &money {
            let g = money.level;
            let eligible: Vec<f64> = seg_parts[g]
                .iter()
                .map(|year| {
                    let p = &year[r];
                    (p.double_running + (p.stranded - p.stranded_baseline)).value()
                })
                .collect();
            for (y, paid) in money.income(&eligible).into_iter().enumerate() {
                seg_parts[g][y][r].national_money = Euros::new(paid);
            }
        }
    }
    // the region: its own P×Q (which counts segments the baseline lacks) and the
    // segments' sums of the rest
    let mut all = vec![vec![Parts::default(); n]; cal.years.len()];
    for (y, &(by, sy, _)) in cal.years.iter().enumerate() {
        for (r, p) in all[y].iter_mut().enumerate() {
            for sp in &seg_parts {
                p.add(&sp[y][r]);
            }
            (p.pxq, p.stranded) = year_cost(sr, r, LevelRef::All, sy);
            (p.pxq_baseline, p.stranded_baseline) = year_cost(br, r, LevelRef::All, by);
        }
    }
    let target = |y: usize| {
        bm.finance
            .target
            .as_ref()
            .map(|t| t.per_year(&bm.timeline.years[cal.years[y].0].1))
    };
    let mut out = Vec::new();
    let levels = std::iter::once(("all", &all)).chain(segs.iter().copied().zip(&seg_parts));
    for (seg, values) in levels {
        let mut sums = [RunningSum::default(); 4].map(|s| vec![s; n]);
        for (y, year_vals) in values.iter().enumerate() {
            let target = if seg == "all" { target(y) } else { None };
            let mut cols: Vec<Vec<f64>> = vec![Vec::with_capacity(n); Measure::ALL.len()];
            for (r, p) in year_vals.iter().enumerate() {
                let (structural, cnd, friction) =
                    (p.structural(), p.care_not_delivered, p.frictiekosten());
                let saving = structural - friction;
                for (k, x) in [saving, structural, cnd, friction].into_iter().enumerate() {
                    sums[k][r].add(x);
                }
                let vals = [
                    p.pxq + p.stranded + p.double_running - p.national_money,
                    p.pxq_baseline + p.stranded_baseline,
                    saving,
                    sums[0][r].total(),
                    structural,
                    sums[1][r].total(),
                    cnd,
                    sums[2][r].total(),
                    friction,
                    p.double_running,
                    p.stranded - p.stranded_baseline,
                    p.national_money,
                    sums[3][r].total(),
                    Euros::new(target.unwrap_or(f64::NAN)),
                    Euros::new(target.unwrap_or(f64::NAN)) - structural,
                ];
                for (c, v) in cols.iter_mut().zip(vals) {
                    c.push(v.value());
                }
            }
            let mut buf = Vec::new();
            let mut rows: Vec<SavingsRow> = Measure::ALL
                .into_iter()
                .zip(&cols)
                .filter(|(m, _)| !m.region_only() || target.is_some())
                .map(|(measure, col)| SavingsRow {
                    strategy: sm.name.clone(),
                    baseline: bm.name.clone(),
                    segment: seg.to_string(),
                    year: cal.years[y].2,
                    measure,
                    summary: summarise(col.iter().copied(), &mut buf),
                })
                .collect();
            balance(&mut rows);
            out.extend(rows);
        }
    }
    out
}

/// Makes the written means of one level and year add up to the cent: each part is
/// rounded to cents on its own, and the measures defined by the others are written as
/// the sum of the written parts — `frictiekosten = double_running + stranded −
/// national_money`, `saving_structural = cost_baseline − cost − care_not_delivered +
/// frictiekosten`, `saving = saving_structural − frictiekosten` (and the cumulative
/// `saving_cumulative = saving_structural_cumulative − frictiekosten_cumulative`). Each
/// such mean moves by at most a few cents from the mean of its own replications; the
/// intervals are those of its own replications.
fn balance(rows: &mut [SavingsRow]) {
    let cents = |x: f64| (x * 100.0).round();
    let mean = |rows: &[SavingsRow], m: Measure| {
        rows.iter()
            .find(|r| r.measure == m)
            .map_or(f64::NAN, |r| cents(r.summary.mean))
    };
    let set = |rows: &mut [SavingsRow], m: Measure, c: f64| {
        if let Some(r) = rows.iter_mut().find(|r| r.measure == m)
            && c.is_finite()
        {
            r.summary.mean = c / 100.0;
        }
    };
    use Measure as M;
    let friction =
        mean(rows, M::DoubleRunning) + mean(rows, M::Stranded) - mean(rows, M::NationalMoney);
    set(rows, M::Frictiekosten, friction);
    let structural =
        mean(rows, M::CostBaseline) - mean(rows, M::Cost) - mean(rows, M::CareNotDelivered)
            + friction;
    set(rows, M::SavingStructural, structural);
    set(rows, M::Saving, structural - friction);
    let cumulative =
        mean(rows, M::SavingStructuralCumulative) - mean(rows, M::FrictiekostenCumulative);
    set(rows, M::SavingCumulative, cumulative);
    if let Some(t) = rows.iter().find(|r| r.measure == M::Target) {
        let gap = cents(t.summary.mean) - structural;
        set(rows, M::TargetGap, gap);
    }
}
