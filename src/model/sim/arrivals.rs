//! How youths enter: those in care at the start, new referrals from the inflows (a
//! non-homogeneous Poisson process per inflow, drawn by thinning), and referral to a
//! service — with diversion to an alternative (and the later placement of a diverted
//! youth when the diversion fails), the extra delay of a segment in a procurement
//! transition, and overflow to another service when one is full.

use rand::{Rng as _, RngExt};
use rand_distr::{Distribution, Exp1};

use super::{Event, State, World};
use crate::engine::rng::unit_of;
use crate::engine::{Rng, Streams};
use crate::model::{Inflow, Model, PlacedLater, ServiceId, TimeFn};
use crate::stats::{Counter, Level};
use crate::timeline::DAYS_PER_YEAR;

/// Purpose codes of the random streams.
const STREAM_INFLOW: u32 = 1;
const STREAM_INITIAL: u32 = 2;
/// Salt of the number that decides whether a referral is shifted (`shift`): a fixed
/// function of the youth's key, so a shift takes no draw from any stream.
const SHIFT_SALT: u64 = 0x7368_6966_7400_0001;

/// Per-inflow state of the non-homogeneous Poisson process (thinning by pieces).
pub(super) struct Source {
    rng: Rng,
    /// Boundaries of the pieces on which the rate bound is recomputed.
    knots: Vec<f64>,
    piece: usize,
    bound: f64,
    /// The rate is constant on the current piece: every candidate is accepted.
    flat: bool,
    /// Time of the next arrival (infinity when there is none before the horizon).
    pub(super) next: f64,
}

/// The arrival process of every inflow, before its first arrival is drawn.
pub(super) fn sources(model: &Model, streams: &Streams) -> Vec<Source> {
    let horizon = model.timeline.horizon;
    model
        .inflows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut knots: Vec<f64> = f
                .per_day
                .knots()
                .iter()
                .chain(f.trend.knots())
                .map(|(t, _)| *t)
                .filter(|t| *t > 0.0 && *t < horizon)
                .collect();
            knots.push(0.0);
            knots.push(horizon);
            knots.sort_by(f64::total_cmp);
            knots.dedup();
            Source {
                rng: streams.stream(STREAM_INFLOW, i as u32),
                knots,
                piece: 0,
                bound: 0.0,
                flat: false,
                next: f64::INFINITY,
            }
        })
        .collect()
}

/// Cumulative profile shares, for drawing a profile.
pub(super) fn share_cdf(model: &Model) -> Vec<f64> {
    let mut acc = 0.0;
    model
        .profiles
        .iter()
        .map(|p| {
            acc += p.share;
            acc
        })
        .collect()
}

/// Draws a profile index by the cumulative shares `cdf` (profile 0 when there is none).
fn draw_profile(cdf: &[f64], rng: &mut Rng) -> u8 {
    if cdf.len() <= 1 {
        return 0;
    }
    let u: f64 = rng.random::<f64>() * cdf[cdf.len() - 1];
    cdf.iter().position(|c| u < *c).unwrap_or(cdf.len() - 1) as u8
}

impl World<'_> {
    /// A youth present at the start (in care or waiting) at a service its `inflow` feeds:
    /// its random key, age and profile drawn from the service's initial stream, in that
    /// order. `None` when the youth limit is reached.
    fn initial_youth(
        &mut self,
        rng: &mut Rng,
        inflow: Option<&Inflow>,
        (amin, amax): (f64, f64),
    ) -> Option<u32> {
        let key = rng.next_u64();
        let age = amin + (amax + 1.0 - amin) * rng.random::<f64>();
        let profile = match inflow.and_then(|f| f.profile) {
            Some(p) => p.0,
            None => draw_profile(&self.share_cdf, rng),
        };
        self.new_youth(key, -age * DAYS_PER_YEAR, profile)
    }

    /// Youths in care at the start, with residual stays from the equilibrium distribution,
    /// and those on the waiting list, their waits so far spread evenly over `waited`. With
    /// care alongside, the services that have it place their youths in care first, so that
    /// some of the other service's `initial` youths are their episodes alongside, and take
    /// from their waiting lists last (see `alongside.rs`).
    pub(super) fn place_initial(&mut self, streams: &Streams) {
        let model = self.model;
        let n = model.services.len();
        let mut rngs: Vec<Rng> = (0..n)
            .map(|s| streams.stream(STREAM_INITIAL, s as u32))
            .collect();
        let paired = |s: usize| model.services[s].alongside.is_some_and(|a| a.p > 0.0);
        let mut taken = vec![0u32; n];
        for s in (0..n).filter(|&s| paired(s)) {
            let first = self.youths.len() as u32;
            if !self.place_in_care(&mut rngs[s], s, model.services[s].initial) {
                return;
            }
            self.pair_initial(streams, s, first, &mut taken);
        }
        let order = (0..n)
            .filter(|&s| !paired(s))
            .chain((0..n).filter(|&s| paired(s)));
        for s in order {
            let rng = &mut rngs[s];
            if !paired(s) && !self.place_in_care(rng, s, model.services[s].initial - taken[s]) {
                return;
            }
            if !self.place_waiting(rng, s) {
                return;
            }
            let svc = &self.svcs[s];
            let cap = svc.reported_cap();
            self.rec.set(0.0, s, Level::Occupancy, svc.occ);
            self.rec.set(0.0, s, Level::Capacity, cap);
            if model.services[s].staff.is_some() {
                self.rec.set_fte(0.0, s, svc.fte);
            }
        }
    }

    /// `count` youths in care at `s` at the start, drawn from `rng`; false when the youth
    /// limit is reached.
    fn place_in_care(&mut self, rng: &mut Rng, s: usize, count: u32) -> bool {
        let model = self.model;
        let inflow = model.inflows.iter().find(|f| f.to.0 as usize == s);
        let (amin, amax) = inflow.map_or((0.0, 17.0), |f| (f.age_min, f.age_max));
        for _ in 0..count {
            let Some(y) = self.initial_youth(rng, inflow, (amin, amax)) else {
                return false;
            };
            self.in_care_at_start(rng, y, s);
        }
        true
    }

    /// Youth `y` is in care at `s` at the start, for the rest of a stay drawn from `rng`
    /// (the equilibrium residual of the service's stay).
    pub(super) fn in_care_at_start(&mut self, rng: &mut Rng, y: u32, s: usize) {
        let svc = &self.model.services[s];
        let remaining = svc.los.sample_residual(rng);
        let remaining = svc.max_stay.map_or(remaining, |m| remaining.min(m));
        self.svcs[s].occ += 1;
        self.balance.initial += 1;
        let youth = &mut self.youths[y as usize];
        youth.service = ServiceId(s as u16);
        youth.state = State::InCare;
        youth.admitted = 0.0;
        youth.costed_to = 0.0;
        self.start_stay(0.0, y, s, remaining);
    }

    /// The starting waiting list of `s`, longest waits at the head, drawn from `rng`; places
    /// free at the start take from it at once. False when the youth limit is reached.
    fn place_waiting(&mut self, rng: &mut Rng, s: usize) -> bool {
        let model = self.model;
        let svc = &model.services[s];
        let inflow = model.inflows.iter().find(|f| f.to.0 as usize == s);
        let (amin, amax) = inflow.map_or((0.0, 17.0), |f| (f.age_min, f.age_max));
        let n = svc.initial_waiting;
        for k in 0..n {
            let Some(y) = self.initial_youth(rng, inflow, (amin, amax)) else {
                return false;
            };
            self.balance.initial += 1;
            let youth = &mut self.youths[y as usize];
            youth.service = ServiceId(s as u16);
            let referred = -svc.initial_waited * (1.0 - (f64::from(k) + 0.5) / f64::from(n));
            youth.referred = referred;
            // their pathways to care opened when they were referred, before the start
            self.paths_refer(referred, y, s, None);
            self.enqueue(0.0, y, s);
        }
        if n > 0 {
            self.fill(0.0, s);
        }
        true
    }

    /// Draws the first arrival of every inflow.
    pub(super) fn start_sources(&mut self) {
        for i in 0..self.sources.len() {
            (self.sources[i].bound, self.sources[i].flat) = self.piece_bound(i);
            self.schedule_arrival(i, 0.0);
        }
    }

    /// Upper bound of inflow `i`'s rate on its current piece, and whether the rate is
    /// constant there. Pieces end at every knot, so each factor is constant or linear on
    /// a piece and its extremes are at the ends.
    fn piece_bound(&self, i: usize) -> (f64, bool) {
        let src = &self.sources[i];
        let f = &self.model.inflows[i];
        let (a, b) = (src.knots[src.piece], src.knots[src.piece + 1]);
        let hi = f.per_day.max_on(a, b) * f.trend.max_on(a, b);
        let mid = (a + b) / 2.0;
        let flat = [a, mid]
            .iter()
            .all(|&t| f.per_day.at(t) * f.trend.at(t) == hi)
            && matches!(f.per_day, TimeFn::Const(_) | TimeFn::Step(_))
            && f.trend.at(a) == f.trend.at(mid);
        (hi, flat)
    }

    /// Draws the next arrival of inflow `i` after time `t` by thinning, into `next`.
    /// Arrivals are kept beside the calendar rather than in it: each inflow has exactly
    /// one pending arrival, so a scan of the few inflows replaces a heap push and pop.
    #[inline(always)]
    fn schedule_arrival(&mut self, i: usize, mut t: f64) {
        let f = &self.model.inflows[i];
        loop {
            let src = &mut self.sources[i];
            let end = src.knots[src.piece + 1];
            if src.bound > 0.0 {
                let e: f64 = Exp1.sample(&mut src.rng);
                t += e / src.bound;
            } else {
                t = end;
            }
            if t >= end {
                if src.piece + 2 >= src.knots.len() {
                    src.next = f64::INFINITY; // past the horizon
                    return;
                }
                src.piece += 1;
                t = end;
                (self.sources[i].bound, self.sources[i].flat) = self.piece_bound(i);
                continue;
            }
            if src.flat {
                self.sources[i].next = t;
                return;
            }
            let rate = f.per_day.at(t) * f.trend.at(t);
            let u: f64 = src.rng.random();
            if u * src.bound <= rate {
                src.next = t;
                return;
            }
        }
    }

    /// The inflow with the earliest pending arrival (lowest index on ties).
    pub(super) fn earliest_source(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, s) in self.sources.iter().enumerate() {
            if s.next.is_finite() && best.is_none_or(|b| s.next < self.sources[b].next) {
                best = Some(i);
            }
        }
        best
    }

    /// A new youth of inflow `i` is referred at `t`; the inflow's next arrival is drawn.
    pub(super) fn on_arrival(&mut self, t: f64, i: usize) {
        let model = self.model;
        let f = &model.inflows[i];
        let key = self.sources[i].rng.next_u64();
        let age = f.age_min + (f.age_max + 1.0 - f.age_min) * self.sources[i].rng.random::<f64>();
        let profile = match f.profile {
            Some(p) => p.0,
            None => draw_profile(&self.share_cdf, &mut self.sources[i].rng),
        };
        // a road may move a share of these referrals to another service (volume between
        // segments)
        let to = match &f.shift {
            Some(sh) if unit_of(key, SHIFT_SALT) < sh.share.at(t) => sh.to.0 as usize,
            _ => f.to.0 as usize,
        };
        if let Some(y) = self.new_youth(key, t - age * DAYS_PER_YEAR, profile) {
            self.balance.arrived += 1;
            self.refer(t, y, to, None);
        }
        self.schedule_arrival(i, t);
    }

    /// Youth `y` is referred to service `s` (from `origin`, or from outside care).
    /// Diversion and overflow may send it elsewhere; otherwise it is admitted or waits.
    /// The youth's pathway to care opens in the segment of the service it was referred
    /// to, wherever it is placed (a diversion, an overflow or a family place elsewhere).
    pub(super) fn refer(&mut self, t: f64, y: u32, mut s: usize, origin: Option<usize>) {
        let model = self.model;
        self.rec.arrival(s, origin);
        self.paths_refer(t, y, s, origin);
        // diversion: a share of referrals goes to the alternative; at a share of 0 (a
        // strategy's diversion not yet begun) nothing is drawn, so the youth's own numbers
        // stay those of a scenario without it (common random numbers)
        if let Some(d) = &model.services[s].divert
            && d.share.at(t) > 0.0
        {
            let share = d.share.at(t);
            let u: f64 = self.youths[y as usize].rng.random();
            let alt = d.to.0 as usize;
            if u < share && (!d.only_if_free || self.has_free_place(alt)) {
                self.rec.event(s, Counter::Diverted);
                if let Some(pl) = &d.placed_later {
                    self.plan_placement(t, y, s, pl);
                }
                // an arrival at the alternative from the service it was referred to: the
                // segment and the system counted this referral once already
                self.rec.arrival(alt, Some(s));
                s = alt;
            }
        }
        self.send(t, y, s, origin);
    }

    /// A diverted youth `y` may be placed at `s`, the service it was diverted from, later
    /// after all: drawn now from its own generator, kept as a token on the youth.
    fn plan_placement(&mut self, t: f64, y: u32, s: usize, pl: &PlacedLater) {
        let youth = &mut self.youths[y as usize];
        if youth.rng.random::<f64>() >= pl.p {
            return;
        }
        let at = t + pl.after.sample(&mut youth.rng);
        if at < self.horizon {
            let epoch = youth.epoch;
            youth.placed_later = Some((epoch, s as u16));
            self.agenda.schedule(at, Event::Placed { youth: y, epoch });
        }
    }

    /// Youth `y`, referred to `s`, goes there: at once, or after the referral delay of a
    /// segment in a procurement transition.
    #[inline(always)]
    pub(super) fn send(&mut self, t: f64, y: u32, s: usize, origin: Option<usize>) {
        let youth = &mut self.youths[y as usize];
        youth.service = ServiceId(s as u16);
        youth.origin = origin.map(|o| ServiceId(o as u16));
        youth.referred = t;
        // a segment in a procurement transition takes longer to take referrals on
        let delay = self.delay[s];
        if delay > 0.0 {
            youth.state = State::Referred;
            youth.epoch = youth.epoch.wrapping_add(1);
            let epoch = youth.epoch;
            self.agenda
                .schedule(t + delay, Event::Delayed { youth: y, epoch });
            return;
        }
        self.place(t, y, s);
    }

    /// A referred youth reaches service `s`: placed in a free family place that takes it
    /// (matching), else overflow if full, else admitted or waiting.
    #[inline(always)]
    pub(super) fn place(&mut self, t: f64, y: u32, mut s: usize) {
        let model = self.model;
        if !model.services[s].match_to.is_empty()
            && let Some(f) = self.family_place(t, y, s)
        {
            self.matched(t, y, s, f);
            return;
        }
        // overflow: when full, go to the overflow service instead of waiting — from the
        // day it applies (see `Service::overflows`); the chain of overflow services is
        // acyclic, checked by validation
        while !self.has_free_place(s) {
            let svc = &model.services[s];
            let Some(o) = svc.overflow_to else {
                break;
            };
            if !svc.overflows(t, &svc.steps[..self.svcs[s].next_step]) {
                break;
            }
            self.rec.event(s, Counter::Overflowed);
            self.paths_overflow(y);
            // an arrival there from the full service: the segment and the system counted
            // this referral once already
            self.rec.arrival(o.0 as usize, Some(s));
            s = o.0 as usize;
        }
        self.youths[y as usize].service = ServiceId(s as u16);
        if self.has_free_place(s) {
            self.admit(t, y, s);
        } else {
            self.enqueue(t, y, s);
        }
    }

    /// Whether `s` admits a youth at once: nobody waits and a place is free.
    #[inline(always)]
    pub(super) fn has_free_place(&self, s: usize) -> bool {
        let svc = &self.svcs[s];
        svc.waiting == 0 && svc.occ < svc.cap
    }
}
