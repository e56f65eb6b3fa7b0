//! The part of a road's lower P×Q cost that is care not delivered, per replication, segment
//! and year: the rule behind `care_not_delivered` (and so behind `saving_structural`,
//! the rest of the P×Q difference).
//!
//! **The rule.** At each service and in each report interval, the road is compared with
//! the baseline on common random numbers, in youths:
//!
//! - `Δcare` — the baseline's youths in care (mean occupancy) minus the road's;
//! - `held` — youths the road holds back from this care that the baseline gave it:
//!   - every referral the road did not admit beyond the baseline (referrals, less those
//!     diverted to their planned alternative, minus admissions: youths still waiting or
//!     in a referral delay, youths who gave up, youths who overflowed elsewhere because
//!     the service was full) counts for the stay it would have had — it decays with the
//!     service's mean stay (realised in the baseline: care days per admission);
//!   - a youth still waiting (or in a referral delay) counts for as long as it waits;
//!   - youths held back from a service upstream reach this one later, or never: each
//!     admission the upstream service held back (fewer admissions as far as its own
//!     `held` grew, not a list shortened by referrals sent elsewhere) would have left it
//!     at the end of its stay, so it is held back here then — in the same interval, the
//!     services taken upstream first — by the upstream's routing share: its `next`, or
//!     a profile's override of it, weighted by the profiles of its referrals (see
//!     `savings/routes.rs`; the HSJ triage sends the wonen profiles to foster care, family
//!     homes and groups). Admissions it makes up later release them. Only youths held
//!     back are passed on: care an upstream service gives beyond the baseline's does
//!     not make the care that follows it count as care beyond the baseline's (it is
//!     structural there — the cautious side for a road's saving). So a youth in a
//!     referral delay (or on a list) upstream is held back here as it would be on this
//!     service's own list: the youths a longer delay keeps upstream are missing from the
//!     list here, and passed on to it as held back.
//!
//! - youths a service diverts to its planned alternative beyond the baseline's count
//!   there as youths the road no longer holds back, as far as the baseline kept them
//!   waiting where they were referred (the road's shorter list there, less any care
//!   it gives there beyond the baseline's): the alternative's care for them is care
//!   beyond the baseline's, not a dearer structure. Diverting youths the baseline cared
//!   for where they were referred stays structural.
//!
//! When `Δcare` and `held` are both positive, the smaller is care not delivered: the road
//! has fewer youths in care because youths it should care for are waiting, gave up,
//! were sent elsewhere for want of a place, or are still on their way. When both are
//! negative, the road cares for youths the baseline held back (a shorter list, care a
//! delay pushed into the next year): care beyond the baseline's, a negative amount.
//! Otherwise nothing: fewer youths in care with nobody held back is care not needed
//! there (diverted, shorter, routed elsewhere) — the structural part. Places paid per
//! place (`per_place_per_year`) are matched the same way; care paid per admission is not
//! delivered by the admissions held back in the interval (a linear count, exact by
//! conservation).
//!
//! Every amount is valued at the baseline's own prices of that slice (the daily cost of
//! the care waited for, indexed). Youths who gave up, youths still waiting at the horizon
//! and care slipping past it are inside `held` and need no rule of their own; a youth who
//! gave up and comes back later, heavier, is a new referral where it comes back — its
//! care counts where it is delivered (a cost of the road), and its wait there is held
//! back like any other.

use super::routes::Routes;
use crate::experiment::Results;
use crate::finance::money::Euros;
use crate::finance::pricing;
use crate::model::Model;
use crate::stats::aggregate::Kept;
use crate::stats::{LevelRef, Metric};
use crate::timeline::{DAYS_PER_YEAR, PeriodRef};

/// What the decomposition reads per service and report interval, per replication.
const READS: [Metric; 7] = [
    Metric::OccupancyMean,
    Metric::CapacityMean,
    Metric::Arrivals,
    Metric::Diverted,
    Metric::Overflowed,
    Metric::Admissions,
    Metric::Reneged,
];

/// The cells a run must keep per replication for [`super::savings`] (besides
/// [`crate::experiment::kept_cells`]): per service and report interval, the volumes of
/// `READS`, and the productive FTE of a staffed service.
pub fn kept(model: &Model) -> Kept {
    let mut k = Kept::default();
    for (s, svc) in model.services.iter().enumerate() {
        for i in 0..model.timeline.intervals.len() {
            let at = |k: &mut Kept, m| k.cell(LevelRef::Service(s), m, PeriodRef::Interval(i));
            for m in READS {
                at(&mut k, m);
            }
            if svc.staff.is_some() {
                at(&mut k, Metric::Fte);
            }
        }
    }
    k
}

/// The standing price of service `s` (euros per place per year, over time), if the
/// scenario pays its places while they stand idle.
fn standing_price(model: &Model, s: usize) -> Option<&crate::model::TimeFn> {
    model
        .finance
        .standing
        .iter()
        .find(|(id, _)| id.0 as usize == s)
        .map(|(_, p)| p)
}

/// A pair of matched years and intervals of two runs of the same calendar.
pub(super) struct Calendar {
    /// (baseline year index, strategy year index, year).
    pub years: Vec<(usize, usize, i16)>,
    /// Per baseline interval: the strategy's interval with the same first day and length.
    intervals: Vec<Option<usize>>,
    /// Per baseline slice: its position in `years`, if the year is shared.
    slice_year: Vec<Option<usize>>,
}

impl Calendar {
    /// The years and intervals `b` and `s` share.
    pub fn new(b: &Model, s: &Model) -> Calendar {
        let (tb, ts) = (&b.timeline, &s.timeline);
        let years: Vec<(usize, usize, i16)> = tb
            .years
            .iter()
            .enumerate()
            .filter_map(|(by, (year, _))| {
                let sy = ts.years.iter().position(|(y, _)| y == year)?;
                Some((by, sy, *year))
            })
            .collect();
        let intervals = tb
            .intervals
            .iter()
            .map(|p| {
                ts.intervals
                    .iter()
                    .position(|q| q.first_day == p.first_day && q.days() == p.days())
            })
            .collect();
        let slice_year = tb
            .slices
            .iter()
            .map(|sl| years.iter().position(|y| y.0 == sl.year))
            .collect();
        Calendar {
            years,
            intervals,
            slice_year,
        }
    }
}

/// Care not delivered and double running of one replication, per level and shared year:
/// `[level][year]`, the levels being the baseline's segments (by position) in the order
/// given to [`Pair::new`].
pub(super) struct RepParts {
    pub care_not_delivered: Vec<Vec<Euros>>,
    pub double_running: Vec<Vec<Euros>>,
}

/// A service of the baseline and its namesake in the strategy, with the level its
/// amounts go to.
struct Matched {
    b: usize,
    s: usize,
    level: usize,
}

/// The decomposition of one strategy against one baseline.
pub(super) struct Pair<'a> {
    bm: &'a Model,
    br: &'a Results,
    sm: &'a Model,
    sr: &'a Results,
    cal: &'a Calendar,
    services: Vec<Matched>,
    /// Per matched service: where its youths go next.
    routes: Routes<'a>,
    /// The matched services upstream first (along `routes`; a cycle in index order), and
    /// each one's place in that order.
    order: Vec<usize>,
    rank: Vec<usize>,
    /// Per matched service: the matched service the strategy diverts its referrals to.
    diverts: Vec<Option<usize>>,
    levels: usize,
    prices: crate::stats::PriceTable,
}

impl<'a> Pair<'a> {
    /// `level_of(segment name)` gives the level of a baseline segment's amounts (or none
    /// when the strategy lacks the segment); `levels` is their number.
    pub fn new(
        baseline: (&'a Model, &'a Results),
        strategy: (&'a Model, &'a Results),
        cal: &'a Calendar,
        level_of: &dyn Fn(&str) -> Option<usize>,
        levels: usize,
    ) -> Pair<'a> {
        let (bm, br) = baseline;
        let (sm, sr) = strategy;
        let services: Vec<Matched> = bm
            .services
            .iter()
            .enumerate()
            .filter_map(|(b, svc)| {
                let s = sm.services.iter().position(|x| x.id == svc.id)?;
                let level = level_of(&bm.segments[svc.segment.0 as usize])?;
                Some(Matched { b, s, level })
            })
            .collect();
        let matched_b: Vec<usize> = services.iter().map(|m| m.b).collect();
        let routes = Routes::new(bm, &matched_b);
        let order = routes.order();
        let mut rank = vec![0; order.len()];
        for (i, &j) in order.iter().enumerate() {
            rank[j] = i;
        }
        let diverts = services
            .iter()
            .map(|m: &Matched| {
                let to = sm.services[m.s].divert.as_ref()?.to.0 as usize;
                let id = &sm.services[to].id;
                services.iter().position(|x| &bm.services[x.b].id == id)
            })
            .collect();
        Pair {
            bm,
            br,
            sm,
            sr,
            cal,
            services,
            routes,
            order,
            rank,
            diverts,
            levels,
            prices: pricing::price_table(bm),
        }
    }

    /// The parts of replication `r`.
    pub fn rep(&self, r: usize) -> RepParts {
        let n_years = self.cal.years.len();
        let mut out = RepParts {
            care_not_delivered: vec![vec![Euros::ZERO; n_years]; self.levels],
            double_running: vec![vec![Euros::ZERO; n_years]; self.levels],
        };
        let tb = &self.bm.timeline;
        let stays: Vec<f64> = self.services.iter().map(|m| self.stay(r, m)).collect();
        // per service: the youths the road holds back from its care, still missing there
        let mut held = vec![0.0; self.services.len()];
        // per service: admissions it held back, still within the stay they missed (they
        // flow on to the next service as that stay ends), and youths passed on to it
        // along a route that goes back in `order`, for the next interval
        let mut admitted = vec![0.0; self.services.len()];
        let mut pending = vec![0.0; self.services.len()];
        let mut waiting = vec![0.0; self.services.len()];
        // per service: youths it diverted beyond the baseline, still in their stay at the
        // alternative
        let mut sent = vec![0.0; self.services.len()];
        for (bi, period) in tb.intervals.iter().enumerate() {
            let Some(si) = self.cal.intervals[bi] else {
                continue;
            };
            let mid = (period.start + period.end) / 2.0;
            let mut volumes: Vec<Volumes> = self
                .services
                .iter()
                .zip(waiting.iter_mut())
                .map(|(m, w)| self.volumes(r, m, bi, si, w))
                .collect();
            // youths passed on along a route that goes back in the order (a cycle) in the
            // last interval
            for (v, p) in volumes.iter_mut().zip(pending.iter_mut()) {
                v.growth += std::mem::take(p);
            }
            for &j in &self.order {
                let v = &mut volumes[j];
                let missing = carry(&mut held[j], v.growth, period.days(), stays[j]);
                // youths still waiting (or in a referral delay) are held back for as long
                // as they wait, whatever their counterfactual stay
                v.held = if missing < 0.0 {
                    missing
                } else {
                    missing.max(v.waiting)
                };
                // fewer admissions flow on only as far as they were held back (a list that
                // is shorter because referrals went elsewhere sends nobody more onward),
                // and admissions made up later only as far as they were held back before
                let flow = matched(v.admitted_less, v.growth).max(-admitted[j]);
                let before = admitted[j];
                carry(&mut admitted[j], flow, period.days(), stays[j]);
                admitted[j] = admitted[j].max(0.0);
                // youths a service did not admit because it held them back would have left
                // it at the end of their stay and gone on to the next service: those whose
                // missed stay ended in the interval are youths the next service did not
                // get to admit
                let out = (before + flow - admitted[j]).max(0.0);
                if out > 0.0 {
                    self.routes.each(j, mid, |k, q| {
                        if self.rank[k] > self.rank[j] {
                            volumes[k].growth += q * out;
                        } else {
                            pending[k] += q * out;
                        }
                    });
                }
            }
            self.diverted_beyond(&mut volumes, &mut sent, period.days(), &stays);
            for (k, sl) in tb.slices.iter().enumerate() {
                if sl.interval != bi {
                    continue;
                }
                let Some(y) = self.cal.slice_year[k] else {
                    continue;
                };
                let days = sl.end - sl.start;
                let share = days / period.days().max(1e-9);
                for (m, v) in self.services.iter().zip(&volumes) {
                    let Some(rates) = self.prices.rates(m.b, k) else {
                        continue;
                    };
                    out.care_not_delivered[m.level][y] +=
                        Euros::new(v.care_not_delivered(rates, days, share));
                    if let (Some(idle), Some(price)) = (v.idle, standing_price(self.sm, m.s)) {
                        let mid = (sl.start + sl.end) / 2.0;
                        let per_day =
                            price.at(mid) * pricing::index(&self.sm.finance, mid) / DAYS_PER_YEAR;
                        out.double_running[m.level][y] += Euros::new(idle * per_day * days);
                    }
                }
            }
        }
        out
    }

    /// Youths a service diverts beyond the baseline's, whom the baseline held back on its
    /// list, are care beyond the baseline's where they are cared for: at the alternative.
    /// At the service they were referred to, the road's shorter list (a negative `held`)
    /// has no care there to match; as far as it is not matched there, the youths the
    /// road diverted beyond the baseline's and still in their stay at the alternative
    /// (`sent`, carried with the alternative's stay) count there as youths the road no
    /// longer holds back: their days lower its `held`, their admissions its `growth`
    /// (for care paid per admission), in the proportion of them the baseline held back.
    fn diverted_beyond(&self, volumes: &mut [Volumes], sent: &mut [f64], days: f64, stays: &[f64]) {
        for (j, to) in self.diverts.iter().enumerate() {
            let Some(k) = *to else {
                continue;
            };
            let v = &volumes[j];
            let inflow = v.diverted_more;
            let spare = if v.held < 0.0 {
                matched(v.occ.0 - v.occ.1, v.held) - v.held
            } else {
                0.0
            };
            let there = carry(&mut sent[j], inflow, days, stays[k]);
            sent[j] = sent[j].max(0.0);
            if there <= 0.0 || spare <= 0.0 {
                continue;
            }
            let beyond = spare.min(there);
            volumes[k].held -= beyond;
            volumes[k].beyond += inflow.max(0.0) * beyond / there;
        }
    }

    /// The baseline's mean stay at service `m` in replication `r`, realised (youth-days
    /// in care per admission over the window: breakdowns and bed blocking included), at
    /// most the window; infinite when nobody is admitted.
    fn stay(&self, r: usize, m: &Matched) -> f64 {
        let tb = &self.bm.timeline;
        let (mut days, mut admitted) = (0.0, 0.0);
        for (i, p) in tb.intervals.iter().enumerate() {
            let at = |metric| {
                let v = self
                    .br
                    .per_rep(LevelRef::Service(m.b), metric, PeriodRef::Interval(i))[r];
                if v.is_finite() { v } else { 0.0 }
            };
            days += at(Metric::OccupancyMean) * p.days();
            admitted += at(Metric::Admissions);
        }
        let window = tb.horizon - tb.warmup;
        if admitted > 0.0 {
            (days / admitted).min(window)
        } else {
            f64::INFINITY
        }
    }

    /// Service `m`'s volumes in baseline interval `bi` (the strategy's `si`) of
    /// replication `r`; `waiting` carries the Δ of youths waiting or in a referral delay
    /// from interval to interval.
    fn volumes(&self, r: usize, m: &Matched, bi: usize, si: usize, waiting: &mut f64) -> Volumes {
        let at = |res: &Results, s: usize, metric: Metric, i: usize| {
            let v = res.per_rep(LevelRef::Service(s), metric, PeriodRef::Interval(i))[r];
            if v.is_finite() { v } else { 0.0 }
        };
        // referrals not admitted in the interval: referrals (less those diverted to the
        // planned alternative) minus admissions; a youth who overflowed elsewhere because
        // the service was full did not get the care it was referred for
        let unmet = |res: &Results, s: usize, i: usize| {
            at(res, s, Metric::Arrivals, i)
                - at(res, s, Metric::Diverted, i)
                - at(res, s, Metric::Admissions, i)
        };
        let growth = unmet(self.sr, m.s, si) - unmet(self.br, m.b, bi);
        // youths who gave up or overflowed are no longer waiting
        let left = |res: &Results, s: usize, i: usize| {
            at(res, s, Metric::Reneged, i) + at(res, s, Metric::Overflowed, i)
        };
        let gave_up = left(self.sr, m.s, si) - left(self.br, m.b, bi);
        let before = *waiting;
        *waiting += growth - gave_up;
        let occ = (
            at(self.br, m.b, Metric::OccupancyMean, bi),
            at(self.sr, m.s, Metric::OccupancyMean, si),
        );
        let cap = (
            at(self.br, m.b, Metric::CapacityMean, bi),
            at(self.sr, m.s, Metric::CapacityMean, si),
        );
        // places the strategy builds beyond the baseline's and that stand idle: a staffed
        // service's places are its FTE × caseload, which a transition's loss of places
        // does not touch (the staff are paid all the same)
        let idle = standing_price(self.sm, m.s).map(|_| {
            let places = |model: &Model, res: &Results, s: usize, i: usize, cap: f64| match &model
                .services[s]
                .staff
            {
                Some(st) => at(res, s, Metric::Fte, i) * st.caseload,
                None => cap,
            };
            let extra =
                places(self.sm, self.sr, m.s, si, cap.1) - places(self.bm, self.br, m.b, bi, cap.0);
            (extra - (occ.1 - occ.0)).clamp(0.0, extra.max(0.0))
        });
        Volumes {
            occ,
            cap,
            diverted_more: at(self.sr, m.s, Metric::Diverted, si)
                - at(self.br, m.b, Metric::Diverted, bi),
            beyond: 0.0,
            admitted_less: at(self.br, m.b, Metric::Admissions, bi)
                - at(self.sr, m.s, Metric::Admissions, si),
            growth,
            waiting: (before + *waiting) / 2.0,
            held: 0.0,
            idle,
        }
    }
}

/// Youths held back from a service's care and still missing from it: each youth the road
/// did not admit (`growth` over an interval of `days`) would have been in care for a stay
/// (exponential, mean `stay`); `held` carries the count from interval to interval and
/// is left at the interval's end. Returns the interval's mean.
fn carry(held: &mut f64, growth: f64, days: f64, stay: f64) -> f64 {
    if !stay.is_finite() || days <= 0.0 {
        *held += growth;
        return *held - growth / 2.0;
    }
    let x = days / stay;
    let decay = (-x).exp();
    let kept = (1.0 - decay) / x; // mean of e^(−t/stay) over the interval
    // a steady inflow of growth/days: at the end, growth·(1 − e^−x)/x; on average over the
    // interval, growth·(1 − (1 − e^−x)/x)/x
    let inflow_end = growth * (1.0 - decay) / x;
    let inflow_mean = growth * (1.0 - kept) / x;
    let mean = *held * kept + inflow_mean;
    *held = *held * decay + inflow_end;
    mean
}

/// One service in one interval: the baseline's and the road's volumes (`.0`, `.1`).
struct Volumes {
    /// Mean youths in care.
    occ: (f64, f64),
    /// Mean places.
    cap: (f64, f64),
    /// Referrals the road diverted to the alternative beyond the baseline's.
    diverted_more: f64,
    /// Admissions of youths diverted here beyond the baseline's whom the baseline held
    /// back where they were referred: care beyond the baseline's.
    beyond: f64,
    /// The baseline's admissions minus the road's.
    admitted_less: f64,
    /// Youths the road did not admit in the interval beyond the baseline: its own
    /// referrals not admitted, and its share of those held back upstream whose missed
    /// stay there ended.
    growth: f64,
    /// Mean Δ of youths waiting here or in a referral delay to here.
    waiting: f64,
    /// Mean youths held back and still missing from care here.
    held: f64,
    /// Places built beyond the baseline's standing idle (a standing service), mean.
    idle: Option<f64>,
}

impl Volumes {
    /// Care not delivered over a slice of `days` days, `share` of the interval, at `rates`.
    fn care_not_delivered(&self, rates: &crate::stats::Rates, days: f64, share: f64) -> f64 {
        let care = matched(self.occ.0 - self.occ.1, self.held);
        let places = matched(self.cap.0 - self.cap.1, self.held);
        (rates.day * care + rates.place_day * places) * days
            + rates.admission * (self.growth - self.beyond) * share
    }
}

/// The part of a shortfall `gap` (baseline − road) matched by `unmet` (road − baseline):
/// the smaller when both are positive, the larger (nearer zero) when both are negative,
/// else zero.
fn matched(gap: f64, unmet: f64) -> f64 {
    if gap > 0.0 && unmet > 0.0 {
        gap.min(unmet)
    } else if gap < 0.0 && unmet < 0.0 {
        gap.max(unmet)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortfall_is_care_not_delivered_only_as_far_as_youths_wait_for_it() {
        // 10 fewer in care, 4 more not admitted: 4 of the 10 waited
        assert_eq!(matched(10.0, 4.0), 4.0);
        assert_eq!(matched(3.0, 4.0), 3.0);
        // fewer in care but fewer waiting too: care not needed here (structural)
        assert_eq!(matched(10.0, -4.0), 0.0);
        // more in care, fewer waiting: care beyond the baseline's
        assert_eq!(matched(-10.0, -4.0), -4.0);
        // more in care, more waiting (more referred here): structural
        assert_eq!(matched(-10.0, 4.0), 0.0);
        assert_eq!(matched(0.0, 4.0), 0.0);
    }
}
