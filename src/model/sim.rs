//! One replication of a [`Model`]: the rules of the youth-care world on the engine.
//!
//! Youths arrive by Poisson inflows, wait in a FIFO list when a service is full, stay for
//! a drawn length of stay and are then routed to another service or out of care. Random
//! numbers follow the youth: each youth gets its own generator, seeded from the stream of
//! the inflow it came from, and draws its stays and routes from it. Two scenarios that
//! share a seed therefore see the same youths with the same needs (common random
//! numbers), even when capacities make events happen in a different order.

use std::collections::VecDeque;

use rand::{Rng as _, RngExt};

use super::{Model, Target, TimeFn};
use crate::engine::rng::rng_from_key;
use crate::engine::{Calendar, Dist, Rng, Streams};
use crate::stats::{Levels, Mark, Recorder, RepValues};

/// Purpose codes of the random streams.
const STREAM_INFLOW: u32 = 1;
const STREAM_INITIAL: u32 = 2;

const NO_SERVICE: u16 = u16::MAX;
const UNLIMITED: u32 = u32::MAX;

/// The tally of youths of one replication: everyone who entered is accounted for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balance {
    /// Youths in care at the start.
    pub initial: u64,
    /// Youths who arrived from outside during the run.
    pub arrived: u64,
    /// Youths who left care (routed to `exit`).
    pub discharged: u64,
    /// Youths in care at the end (counted from the youths themselves).
    pub in_care: u64,
    /// Youths on a waiting list at the end.
    pub waiting: u64,
    /// Admissions made while the service was already full: a self-check, always 0.
    pub over_capacity: u64,
}

impl Balance {
    /// Whether entries equal exits plus those still in the system.
    pub fn holds(&self) -> bool {
        self.initial + self.arrived == self.discharged + self.in_care + self.waiting
    }
}

/// What one replication produced.
#[derive(Clone, Debug)]
pub struct RepOutcome {
    pub values: RepValues,
    pub balance: Balance,
    /// Events processed by the calendar.
    pub events: u64,
}

#[derive(Clone, Copy, Debug)]
enum Event {
    StayEnd { youth: u32 },
    Capacity { service: u16, value: u32 },
    Slice,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Free,
    Waiting,
    InCare,
}

struct Youth {
    rng: Rng,
    state: State,
    service: u16,
    /// The service the youth came from (for transfers), or `NO_SERVICE`.
    origin: u16,
    /// When the youth was referred to its current service.
    referred: f64,
    /// Age at the start of the run, days (negative: born later).
    #[allow(dead_code)]
    age0: f64,
    marks: Vec<Mark>,
}

struct Svc {
    occ: u32,
    cap: u32,
    queue: VecDeque<u32>,
}

/// Per-inflow state of the non-homogeneous Poisson process (thinning by pieces).
struct Source {
    rng: Rng,
    /// Boundaries of the pieces on which the rate bound is recomputed.
    knots: Vec<f64>,
    piece: usize,
    bound: f64,
    /// The rate is constant on the current piece: every candidate is accepted.
    flat: bool,
    /// Time of the next arrival (infinity when there is none before the horizon).
    next: f64,
}

/// Runs replication `rep` of `model` with base seed `seed`.
pub fn simulate(model: &Model, seed: u64, rep: u64) -> RepOutcome {
    let levels = levels_of(model);
    let mut w = World::new(model, &levels, seed, rep);
    w.run();
    w.finish()
}

/// The recorder's view of a model.
pub fn levels_of(model: &Model) -> Levels {
    Levels {
        seg_of: model.services.iter().map(|s| s.segment.0).collect(),
        n_segments: model.segments.len(),
        norm: model
            .services
            .iter()
            .map(|s| s.norm.unwrap_or(f64::NAN))
            .collect(),
        out_of_home: model
            .services
            .iter()
            .map(|s| s.setting.out_of_home())
            .collect(),
        limited: model
            .services
            .iter()
            .map(|s| s.capacity.is_some())
            .collect(),
    }
}

struct World<'m> {
    model: &'m Model,
    horizon: f64,
    cal: Calendar<Event>,
    rec: Recorder<'m>,
    youths: Vec<Youth>,
    free: Vec<u32>,
    svcs: Vec<Svc>,
    sources: Vec<Source>,
    boundaries: Vec<f64>,
    next_boundary: usize,
    arrivals_processed: u64,
    balance: Balance,
}

impl<'m> World<'m> {
    fn new(model: &'m Model, levels: &'m Levels, seed: u64, rep: u64) -> Self {
        let streams = Streams::new(seed, rep);
        let horizon = model.timeline.horizon;
        let rec = Recorder::new(&model.timeline, levels);
        let boundaries: Vec<f64> = rec.boundaries().collect();
        let svcs = model
            .services
            .iter()
            .map(|s| Svc {
                occ: 0,
                cap: s
                    .capacity
                    .as_ref()
                    .map_or(UNLIMITED, |c| cap_value(c.at(0.0))),
                queue: VecDeque::new(),
            })
            .collect();
        let sources = model
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
            .collect();
        let mut w = World {
            model,
            horizon,
            cal: Calendar::new(),
            rec,
            youths: Vec::new(),
            free: Vec::new(),
            svcs,
            sources,
            boundaries,
            next_boundary: 0,
            arrivals_processed: 0,
            balance: Balance::default(),
        };
        w.place_initial(&streams);
        for i in 0..w.sources.len() {
            (w.sources[i].bound, w.sources[i].flat) = w.piece_bound(i);
            w.schedule_arrival(i, 0.0);
        }
        for (s, svc) in model.services.iter().enumerate() {
            if let Some(cap) = &svc.capacity {
                for &(t, v) in cap.knots() {
                    if t > 0.0 && t < horizon {
                        w.cal.schedule(
                            t,
                            Event::Capacity {
                                service: s as u16,
                                value: cap_value(v),
                            },
                        );
                    }
                }
            }
        }
        w.schedule_boundary();
        w
    }

    /// Youths in care at the start, with residual stays from the equilibrium distribution.
    fn place_initial(&mut self, streams: &Streams) {
        for (s, svc) in self.model.services.iter().enumerate() {
            let mut rng = streams.stream(STREAM_INITIAL, s as u32);
            let (amin, amax) = self
                .model
                .inflows
                .iter()
                .find(|f| f.to.0 as usize == s)
                .map_or((0.0, 17.0), |f| (f.age_min, f.age_max));
            for _ in 0..svc.initial {
                let key = rng.next_u64();
                let age0 = (amin + (amax + 1.0 - amin) * rng.random::<f64>()) * 365.25;
                let y = self.new_youth(rng_from_key(key), age0);
                let remaining = svc.los.sample_residual(&mut rng);
                let youth = &mut self.youths[y as usize];
                youth.state = State::InCare;
                youth.service = s as u16;
                youth.referred = 0.0;
                self.svcs[s].occ += 1;
                self.cal.schedule(remaining, Event::StayEnd { youth: y });
                self.balance.initial += 1;
            }
            self.report_level(0.0, s);
        }
    }

    fn new_youth(&mut self, rng: Rng, age0: f64) -> u32 {
        let youth = Youth {
            rng,
            state: State::Free,
            service: NO_SERVICE,
            origin: NO_SERVICE,
            referred: 0.0,
            age0,
            marks: Vec::new(),
        };
        match self.free.pop() {
            Some(i) => {
                let old = std::mem::replace(&mut self.youths[i as usize], youth);
                // keep the allocation of the marks list
                let mut marks = old.marks;
                marks.clear();
                self.youths[i as usize].marks = marks;
                i
            }
            None => {
                self.youths.push(youth);
                (self.youths.len() - 1) as u32
            }
        }
    }

    fn schedule_boundary(&mut self) {
        if let Some(&t) = self.boundaries.get(self.next_boundary) {
            self.next_boundary += 1;
            self.cal.schedule(t, Event::Slice);
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
    fn schedule_arrival(&mut self, i: usize, mut t: f64) {
        let f = &self.model.inflows[i];
        loop {
            let src = &mut self.sources[i];
            let end = src.knots[src.piece + 1];
            if src.bound > 0.0 {
                let e: f64 = rand_distr::Distribution::sample(&rand_distr::Exp1, &mut src.rng);
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

    fn run(&mut self) {
        let mut first = self.earliest_source();
        loop {
            let arrival = first.map_or(f64::INFINITY, |i| self.sources[i].next);
            // ties go to the calendar: events scheduled earlier run first
            if arrival < self.horizon && self.cal.peek_time().is_none_or(|t| arrival < t) {
                let i = first.unwrap_or(0);
                self.cal.advance_to(arrival);
                self.arrivals_processed += 1;
                self.on_arrival(arrival, i);
                first = self.earliest_source();
                continue;
            }
            let Some((t, ev)) = self.cal.pop_before(self.horizon) else {
                break;
            };
            match ev {
                Event::StayEnd { youth } => self.on_stay_end(t, youth),
                Event::Capacity { service, value } => self.on_capacity(t, service as usize, value),
                Event::Slice => {
                    self.rec.boundary(t);
                    self.schedule_boundary();
                }
            }
        }
        self.cal.advance_to(self.horizon);
    }

    /// The inflow with the earliest pending arrival (lowest index on ties).
    fn earliest_source(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, s) in self.sources.iter().enumerate() {
            if s.next.is_finite() && best.is_none_or(|b| s.next < self.sources[b].next) {
                best = Some(i);
            }
        }
        best
    }

    fn on_arrival(&mut self, t: f64, i: usize) {
        let f = &self.model.inflows[i];
        let src = &mut self.sources[i];
        let key = src.rng.next_u64();
        let age = f.age_min + (f.age_max + 1.0 - f.age_min) * src.rng.random::<f64>();
        let to = f.to.0 as usize;
        let y = self.new_youth(rng_from_key(key), age * 365.25 - t);
        self.balance.arrived += 1;
        self.refer(t, y, to, None);
        self.schedule_arrival(i, t);
    }

    /// Youth `y` is referred to service `s` (from `origin`, or from outside).
    fn refer(&mut self, t: f64, y: u32, s: usize, origin: Option<usize>) {
        self.rec.arrival(s, origin);
        let youth = &mut self.youths[y as usize];
        youth.service = s as u16;
        youth.origin = origin.map_or(NO_SERVICE, |o| o as u16);
        youth.referred = t;
        let svc = &self.svcs[s];
        if svc.queue.is_empty() && svc.occ < svc.cap {
            self.admit(t, y, s);
        } else {
            youth.state = State::Waiting;
            self.svcs[s].queue.push_back(y);
        }
        self.report_level(t, s);
    }

    fn admit(&mut self, t: f64, y: u32, s: usize) {
        let los: &Dist = &self.model.services[s].los;
        let youth = &mut self.youths[y as usize];
        youth.state = State::InCare;
        let stay = los.sample(&mut youth.rng);
        let origin = (youth.origin != NO_SERVICE).then_some(youth.origin as usize);
        self.rec
            .admission(s, origin, t - youth.referred, &youth.marks);
        self.svcs[s].occ += 1;
        self.cal.schedule(t + stay, Event::StayEnd { youth: y });
    }

    fn on_stay_end(&mut self, t: f64, y: u32) {
        let s = self.youths[y as usize].service as usize;
        let target = self.route(y, s);
        let dest = match target {
            Target::Service(d) => Some(d.0 as usize),
            Target::Exit => None,
        };
        let youth = &mut self.youths[y as usize];
        // a youth leaving care for good needs no memory of where it was
        let marks = dest.is_some().then_some(&mut youth.marks);
        self.rec.discharge(t, s, dest, marks);
        self.svcs[s].occ -= 1;
        self.fill(t, s);
        match dest {
            Some(d) => self.refer(t, y, d, Some(s)),
            None => {
                self.balance.discharged += 1;
                let youth = &mut self.youths[y as usize];
                youth.state = State::Free;
                youth.service = NO_SERVICE;
                self.free.push(y);
            }
        }
    }

    /// Draws where youth `y` goes after a stay at `s`.
    fn route(&mut self, y: u32, s: usize) -> Target {
        let routes = &self.model.services[s].next;
        match routes.len() {
            0 => Target::Exit,
            1 => routes[0].to,
            _ => {
                let u: f64 = self.youths[y as usize].rng.random();
                let mut acc = 0.0;
                for r in routes {
                    acc += r.p;
                    if u < acc {
                        return r.to;
                    }
                }
                routes[routes.len() - 1].to
            }
        }
    }

    /// Admits from the waiting list of `s` while there is room.
    fn fill(&mut self, t: f64, s: usize) {
        while self.svcs[s].occ < self.svcs[s].cap {
            let Some(y) = self.svcs[s].queue.pop_front() else {
                break;
            };
            self.admit(t, y, s);
        }
        self.report_level(t, s);
    }

    fn on_capacity(&mut self, t: f64, s: usize, value: u32) {
        self.svcs[s].cap = value;
        self.fill(t, s);
    }

    #[inline]
    fn report_level(&mut self, t: f64, s: usize) {
        let svc = &self.svcs[s];
        let cap = if svc.cap == UNLIMITED { 0 } else { svc.cap };
        self.rec.level(t, s, svc.occ, svc.queue.len() as u32, cap);
    }

    fn finish(mut self) -> RepOutcome {
        let events = self.cal.processed() + self.arrivals_processed;
        let mut b = self.balance;
        for y in &self.youths {
            match y.state {
                State::InCare => b.in_care += 1,
                State::Waiting => b.waiting += 1,
                State::Free => {}
            }
        }
        self.balance = b;
        let values = self.rec.finish(self.horizon);
        RepOutcome {
            values,
            balance: self.balance,
            events,
        }
    }
}

/// A capacity value from a schedule: whole places, never negative.
fn cap_value(v: f64) -> u32 {
    if v.is_finite() && v > 0.0 {
        v.round().min((UNLIMITED - 1) as f64) as u32
    } else {
        0
    }
}
