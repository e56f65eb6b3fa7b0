//! One replication of a [`Model`]: the rules of the youth-care world on the engine.
//!
//! Youths arrive by Poisson inflows, may be diverted to an alternative or overflow to
//! another service when one is full, wait in a list (first come first served, or by
//! profile priority), may give up waiting, stay for a drawn length of stay (cut to
//! `max_stay`), may break down and move, are routed to another service — keeping their
//! place until it admits them when the service holds beds — or leave care, by discharge,
//! by giving up or by ageing out, and may return later.
//!
//! Random numbers follow the youth: each youth gets its own generator, seeded from the
//! stream of the inflow it came from, and draws its stays, routes, patience and returns
//! from it. Two scenarios that share a seed therefore see the same youths with the same
//! needs (common random numbers), even when capacities reorder events.
//!
//! Events that may have been overtaken (a stay end after a breakdown, a renege after an
//! admission) carry the youth's `epoch` at scheduling time; the youth's epoch changes at
//! every change of state, so stale events are recognised and ignored.

use std::collections::VecDeque;

use rand::{Rng as _, RngExt};
use rand_distr::{Distribution, Exp1};

use super::{FundingModel, Model, Route, Service, Target, TimeFn};
use crate::engine::rng::rng_from_key;
use crate::engine::{Calendar, Rng, Streams};
use crate::stats::{Counter, Level, Levels, Mark, Rates, Recorder, RepValues};

/// Purpose codes of the random streams.
const STREAM_INFLOW: u32 = 1;
const STREAM_INITIAL: u32 = 2;

const NO_SERVICE: u16 = u16::MAX;
const UNLIMITED: u32 = u32::MAX;
const DAYS_PER_YEAR: f64 = 365.25;
/// Age limits further than this (days) after a youth joins a waiting list are checked at
/// admission instead of being scheduled.
const AGE_LOOKAHEAD: f64 = 2.0 * DAYS_PER_YEAR;

/// The tally of youths of one replication: everyone who entered is accounted for, and
/// every exit has one reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balance {
    /// Youths in care at the start.
    pub initial: u64,
    /// Youths who arrived from outside during the run.
    pub arrived: u64,
    /// Returns to care of youths who had left (each return is an entry).
    pub reentered: u64,
    /// Exits after a completed stay (routed to `exit`).
    pub discharged: u64,
    /// Exits from a waiting list (gave up, `renege_to = "exit"`).
    pub reneged: u64,
    /// Exits at the age limit.
    pub aged_out: u64,
    /// Youths in care at the end (counted from the youths themselves).
    pub in_care: u64,
    /// Youths on a waiting list at the end (not holding a place elsewhere).
    pub waiting: u64,
    /// Admissions made while the service was already full: a self-check, always 0.
    pub over_capacity: u64,
}

impl Balance {
    /// Whether entries equal exits by reason plus those still in the system.
    pub fn holds(&self) -> bool {
        self.initial + self.arrived + self.reentered
            == self.discharged + self.reneged + self.aged_out + self.in_care + self.waiting
    }
}

/// What one replication produced.
#[derive(Clone, Debug)]
pub struct RepOutcome {
    pub values: RepValues,
    pub balance: Balance,
    /// When each planned capacity step happened, per service in model order (NaN: not
    /// within the horizon).
    pub step_times: Vec<Vec<f64>>,
    /// Events processed (calendar events and arrivals).
    pub events: u64,
}

#[derive(Clone, Copy, Debug)]
enum Event {
    StayEnd {
        youth: u32,
        epoch: u32,
    },
    Breakdown {
        youth: u32,
        epoch: u32,
    },
    Renege {
        youth: u32,
        epoch: u32,
    },
    AgeOut {
        youth: u32,
        epoch: u32,
    },
    ReEnter {
        youth: u32,
        epoch: u32,
    },
    /// A referral delayed by a procurement transition reaches its service.
    Delayed {
        youth: u32,
        epoch: u32,
    },
    /// Planned capacity step `index` of a service.
    Step {
        service: u16,
        index: u32,
    },
    /// Monthly staffing round: attrition and hiring at every staffed service.
    StaffTick,
    /// Hires of a service become productive.
    StaffReady {
        service: u16,
    },
    /// Transition window `index` opens or closes.
    TransitionStart {
        index: u32,
    },
    TransitionEnd {
        index: u32,
    },
    Slice,
}

/// An [`Event`] packed into 8 bytes for the calendar: kind in the top 4 bits, then the
/// youth (28 bits) and its epoch (32 bits), or a service (16 bits) and an index.
#[derive(Clone, Copy, Debug)]
struct Packed(u64);

const YOUTH_BITS: u32 = 28;

impl Event {
    #[inline]
    fn pack(self) -> Packed {
        let two =
            |kind: u64, hi: u32, lo: u32| Packed((kind << 60) | ((hi as u64) << 32) | lo as u64);
        match self {
            Event::StayEnd { youth, epoch } => two(0, youth, epoch),
            Event::Breakdown { youth, epoch } => two(1, youth, epoch),
            Event::Renege { youth, epoch } => two(2, youth, epoch),
            Event::AgeOut { youth, epoch } => two(3, youth, epoch),
            Event::ReEnter { youth, epoch } => two(4, youth, epoch),
            Event::Delayed { youth, epoch } => two(5, youth, epoch),
            Event::Step { service, index } => two(6, service as u32, index),
            Event::StaffTick => two(7, 0, 0),
            Event::StaffReady { service } => two(8, service as u32, 0),
            Event::TransitionStart { index } => two(9, 0, index),
            Event::TransitionEnd { index } => two(10, 0, index),
            Event::Slice => two(11, 0, 0),
        }
    }
}

impl Packed {
    #[inline]
    fn unpack(self) -> Event {
        let hi = ((self.0 >> 32) & ((1 << YOUTH_BITS) - 1)) as u32;
        let lo = self.0 as u32;
        match self.0 >> 60 {
            0 => Event::StayEnd {
                youth: hi,
                epoch: lo,
            },
            1 => Event::Breakdown {
                youth: hi,
                epoch: lo,
            },
            2 => Event::Renege {
                youth: hi,
                epoch: lo,
            },
            3 => Event::AgeOut {
                youth: hi,
                epoch: lo,
            },
            4 => Event::ReEnter {
                youth: hi,
                epoch: lo,
            },
            5 => Event::Delayed {
                youth: hi,
                epoch: lo,
            },
            6 => Event::Step {
                service: hi as u16,
                index: lo,
            },
            7 => Event::StaffTick,
            8 => Event::StaffReady { service: hi as u16 },
            9 => Event::TransitionStart { index: lo },
            10 => Event::TransitionEnd { index: lo },
            _ => Event::Slice,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Free,
    /// On the waiting list of `service` (and holding a place at `held`, if any).
    Waiting,
    /// In care at `service`, treatment ongoing.
    InCare,
    /// Left care; will return (reentry).
    Away,
}

/// Why a youth leaves care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Exit {
    Discharged,
    Reneged,
    AgedOut,
}

struct Youth {
    rng: Rng,
    state: State,
    epoch: u32,
    profile: u8,
    service: u16,
    /// Place still held at this service while waiting for `service` (bed blocking).
    held: u16,
    /// The service the youth came from (for transfers), or `NO_SERVICE`.
    origin: u16,
    /// When the youth was referred to its current service.
    referred: f64,
    /// When the youth was admitted to the place it occupies (its current or held service).
    admitted: f64,
    /// Birth, in simulation days (negative: before the start).
    born: f64,
    /// Breakdown moves and out-of-home days in the current care episode.
    moves: u32,
    ooh_days: f64,
    /// Euros spent on the youth in the current care episode (P×Q, indexed).
    cost: f64,
    marks: Vec<Mark>,
}

struct Svc {
    occ: u32,
    /// Places now: `base` less any transition loss.
    cap: u32,
    /// Places before transition losses (from the capacity path or the staff).
    base: u32,
    /// Index of the next planned capacity step (earlier ones happened).
    next_step: usize,
    /// Productive FTE and hires on their way (ready time, FTE), for staffed services.
    fte: f64,
    pipeline: VecDeque<(f64, f64)>,
    /// Youths whose stay ended but who keep the place (bed blocking).
    blocked: u32,
    /// Valid entries on the waiting lists.
    waiting: u32,
    /// One FIFO list per priority class (highest first); entries carry the youth's epoch
    /// so that youths who left the list meanwhile are skipped.
    queues: Vec<VecDeque<(u32, u32)>>,
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
    let slices = &model.timeline.slices;
    let rates = if model.services.iter().any(|s| s.tariff.is_some()) {
        model
            .services
            .iter()
            .flat_map(|s| {
                slices.iter().map(move |sl| {
                    let mid = (sl.start + sl.end) / 2.0;
                    let index = model.finance.index(mid);
                    s.tariff.as_ref().map_or(Rates::default(), |t| Rates {
                        day: t.day_rate(mid) * index,
                        admission: t.per_admission.at(mid) * index,
                        place_day: t.per_place_per_year.at(mid) * index / DAYS_PER_YEAR,
                    })
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let n_profiles = model.profiles.len().max(1);
    let trajectory = if model
        .finance
        .funding
        .iter()
        .any(|(_, f)| matches!(f, FundingModel::Trajectory { .. }))
    {
        let mut v = vec![0.0; model.segments.len() * n_profiles * slices.len()];
        for (g, f) in &model.finance.funding {
            if let FundingModel::Trajectory { prices } = f {
                for (p, price) in prices.iter().enumerate() {
                    for (i, sl) in slices.iter().enumerate() {
                        let mid = (sl.start + sl.end) / 2.0;
                        v[(g.0 as usize * n_profiles + p) * slices.len() + i] =
                            price.at(mid) * model.finance.index(mid);
                    }
                }
            }
        }
        v
    } else {
        Vec::new()
    };
    Levels {
        rates,
        trajectory,
        n_profiles,
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
            .map(|s| s.capacity.is_some() || s.staff.is_some())
            .collect(),
        staffed: model.services.iter().map(|s| s.staff.is_some()).collect(),
        change_load: model
            .timeline
            .slices
            .iter()
            .map(|sl| {
                model
                    .change_load
                    .iter()
                    .rev()
                    .find(|(q, _)| *q <= sl.start)
                    .map_or(0, |(_, l)| *l)
            })
            .collect(),
    }
}

struct World<'m> {
    model: &'m Model,
    horizon: f64,
    cal: Calendar<Packed>,
    rec: Recorder<'m>,
    youths: Vec<Youth>,
    free: Vec<u32>,
    svcs: Vec<Svc>,
    /// Priority class of each profile at services that admit by priority.
    class_of: Vec<usize>,
    /// Cumulative profile shares, for drawing a profile.
    share_cdf: Vec<f64>,
    sources: Vec<Source>,
    boundaries: Vec<f64>,
    next_boundary: usize,
    /// Services whose places were freed by an admission elsewhere (blocking chains).
    to_fill: Vec<u16>,
    /// Services with a gated step to re-check.
    to_gate: Vec<u16>,
    /// Share of places lost per segment (transition windows open now).
    loss: Vec<f64>,
    /// Extra referral delay per segment (days).
    delay: Vec<f64>,
    /// When each planned capacity step happened, per service (NaN: not yet).
    step_times: Vec<Vec<f64>>,
    arrivals_processed: u64,
    balance: Balance,
}

impl<'m> World<'m> {
    fn new(model: &'m Model, levels: &'m Levels, seed: u64, rep: u64) -> Self {
        let streams = Streams::new(seed, rep);
        let horizon = model.timeline.horizon;
        let rec = Recorder::new(&model.timeline, levels);
        let boundaries: Vec<f64> = rec.boundaries().collect();

        // priority classes: distinct profile priorities, highest first
        let mut prios: Vec<i32> = model.profiles.iter().map(|p| p.priority).collect();
        prios.sort_unstable_by(|a, b| b.cmp(a));
        prios.dedup();
        let class_of: Vec<usize> = model
            .profiles
            .iter()
            .map(|p| prios.iter().position(|q| *q == p.priority).unwrap_or(0))
            .collect();
        let n_classes = prios.len().max(1);
        let mut acc = 0.0;
        let share_cdf = model
            .profiles
            .iter()
            .map(|p| {
                acc += p.share;
                acc
            })
            .collect();

        let svcs: Vec<Svc> = model
            .services
            .iter()
            .map(|s| {
                let base = match (&s.staff, &s.capacity) {
                    (Some(st), _) => staff_places(st.fte, st.caseload),
                    (None, Some(c)) => cap_value(c.at(0.0)),
                    (None, None) => UNLIMITED,
                };
                Svc {
                    occ: 0,
                    cap: base,
                    base,
                    next_step: 0,
                    fte: s.staff.as_ref().map_or(0.0, |st| st.fte),
                    pipeline: VecDeque::new(),
                    blocked: 0,
                    waiting: 0,
                    queues: vec![VecDeque::new(); if s.priority { n_classes } else { 1 }],
                }
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
            class_of,
            share_cdf,
            sources,
            boundaries,
            next_boundary: 0,
            to_fill: Vec::new(),
            to_gate: Vec::new(),
            loss: vec![0.0; model.segments.len()],
            delay: vec![0.0; model.segments.len()],
            step_times: model
                .services
                .iter()
                .map(|s| vec![f64::NAN; s.steps.len()])
                .collect(),
            arrivals_processed: 0,
            balance: Balance::default(),
        };
        w.place_initial(&streams);
        // the first slice opens before anything else happens at time 0
        w.schedule_boundary();
        for i in 0..w.sources.len() {
            (w.sources[i].bound, w.sources[i].flat) = w.piece_bound(i);
            w.schedule_arrival(i, 0.0);
        }
        for (s, svc) in model.services.iter().enumerate() {
            for (k, step) in svc.steps.iter().enumerate() {
                if step.at < horizon {
                    w.cal.schedule(
                        step.at,
                        Event::Step {
                            service: s as u16,
                            index: k as u32,
                        }
                        .pack(),
                    );
                }
            }
        }
        if model.services.iter().any(|s| s.staff.is_some()) {
            w.cal.schedule(0.0, Event::StaffTick.pack());
        }
        for (k, tr) in model.transitions.iter().enumerate() {
            let index = k as u32;
            w.cal
                .schedule(tr.from, Event::TransitionStart { index }.pack());
            if tr.to < horizon {
                w.cal.schedule(tr.to, Event::TransitionEnd { index }.pack());
            }
        }
        w
    }

    /// Youths in care at the start, with residual stays from the equilibrium distribution.
    fn place_initial(&mut self, streams: &Streams) {
        let model = self.model;
        for (s, svc) in model.services.iter().enumerate() {
            let mut rng = streams.stream(STREAM_INITIAL, s as u32);
            let inflow = model.inflows.iter().find(|f| f.to.0 as usize == s);
            let (amin, amax) = inflow.map_or((0.0, 17.0), |f| (f.age_min, f.age_max));
            for _ in 0..svc.initial {
                let key = rng.next_u64();
                let age = amin + (amax + 1.0 - amin) * rng.random::<f64>();
                let profile = match inflow.and_then(|f| f.profile) {
                    Some(p) => p.0,
                    None => draw_profile(&self.share_cdf, &mut rng),
                };
                let y = self.new_youth(rng_from_key(key), -age * DAYS_PER_YEAR, profile);
                let remaining = svc.los.sample_residual(&mut rng);
                let remaining = svc.max_stay.map_or(remaining, |m| remaining.min(m));
                self.svcs[s].occ += 1;
                self.balance.initial += 1;
                let youth = &mut self.youths[y as usize];
                youth.service = s as u16;
                youth.state = State::InCare;
                youth.admitted = 0.0;
                self.start_stay(0.0, y, s, remaining);
            }
            let svc = &self.svcs[s];
            let cap = if svc.cap == UNLIMITED { 0 } else { svc.cap };
            self.rec.set(0.0, s, Level::Occupancy, svc.occ);
            self.rec.set(0.0, s, Level::Capacity, cap);
            if model.services[s].staff.is_some() {
                self.rec.set_fte(0.0, s, svc.fte);
            }
        }
    }

    fn new_youth(&mut self, rng: Rng, born: f64, profile: u8) -> u32 {
        let youth = Youth {
            rng,
            state: State::Free,
            epoch: 0,
            profile,
            service: NO_SERVICE,
            held: NO_SERVICE,
            origin: NO_SERVICE,
            referred: 0.0,
            admitted: 0.0,
            born,
            moves: 0,
            ooh_days: 0.0,
            cost: 0.0,
            marks: Vec::new(),
        };
        match self.free.pop() {
            Some(i) => {
                let old = std::mem::replace(&mut self.youths[i as usize], youth);
                let new = &mut self.youths[i as usize];
                // the epoch runs on, so events still pending for the slot's previous
                // youth can never match the new one
                new.epoch = old.epoch.wrapping_add(1);
                // keep the allocation of the marks list
                let mut marks = old.marks;
                marks.clear();
                new.marks = marks;
                i
            }
            None => {
                // a youth index must fit the 29 bits of a packed event
                assert!(
                    self.youths.len() < (1 << 29),
                    "more than 536 million youths at once"
                );
                self.youths.push(youth);
                (self.youths.len() - 1) as u32
            }
        }
    }

    fn schedule_boundary(&mut self) {
        if let Some(&t) = self.boundaries.get(self.next_boundary) {
            self.next_boundary += 1;
            self.cal.schedule(t, Event::Slice.pack());
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
                self.drain_fills(arrival);
                first = self.earliest_source();
                continue;
            }
            let Some((t, ev)) = self.cal.pop_before(self.horizon) else {
                break;
            };
            match ev.unpack() {
                Event::StayEnd { youth, epoch } => {
                    if self.current(youth, epoch) {
                        self.on_stay_end(t, youth);
                    }
                }
                Event::Breakdown { youth, epoch } => {
                    if self.current(youth, epoch) {
                        self.on_breakdown(t, youth);
                    }
                }
                Event::Renege { youth, epoch } => {
                    if self.current(youth, epoch) {
                        self.on_renege(t, youth);
                    }
                }
                Event::AgeOut { youth, epoch } => {
                    if self.current(youth, epoch) {
                        self.on_age_out(t, youth);
                    }
                }
                Event::ReEnter { youth, epoch } => {
                    if self.current(youth, epoch) {
                        self.on_reenter(t, youth);
                    }
                }
                Event::Delayed { youth, epoch } => {
                    if self.current(youth, epoch) {
                        let s = self.youths[youth as usize].service as usize;
                        self.place(t, youth, s);
                    }
                }
                Event::Step { service, .. } => self.apply_steps(t, service as usize),
                Event::StaffTick => self.on_staff_tick(t),
                Event::StaffReady { service } => self.on_staff_ready(t, service as usize),
                Event::TransitionStart { index } => self.on_transition(t, index as usize, true),
                Event::TransitionEnd { index } => self.on_transition(t, index as usize, false),
                Event::Slice => {
                    self.rec.boundary(t);
                    self.schedule_boundary();
                }
            }
            self.drain_fills(t);
        }
        self.cal.advance_to(self.horizon);
    }

    #[inline]
    fn current(&self, y: u32, epoch: u32) -> bool {
        self.youths[y as usize].epoch == epoch
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
        let model = self.model;
        let f = &model.inflows[i];
        let key = self.sources[i].rng.next_u64();
        let age = f.age_min + (f.age_max + 1.0 - f.age_min) * self.sources[i].rng.random::<f64>();
        let profile = match f.profile {
            Some(p) => p.0,
            None => draw_profile(&self.share_cdf, &mut self.sources[i].rng),
        };
        let to = f.to.0 as usize;
        let y = self.new_youth(rng_from_key(key), t - age * DAYS_PER_YEAR, profile);
        self.balance.arrived += 1;
        self.refer(t, y, to, None);
        self.schedule_arrival(i, t);
    }

    /// Youth `y` is referred to service `s` (from `origin`, or from outside care).
    /// Diversion and overflow may send it elsewhere; otherwise it is admitted or waits.
    fn refer(&mut self, t: f64, y: u32, mut s: usize, origin: Option<usize>) {
        let model = self.model;
        self.rec.arrival(s, origin);
        // diversion: a share of referrals goes to the alternative
        if let Some(d) = &model.services[s].divert {
            let share = d.share.at(t);
            let u: f64 = self.youths[y as usize].rng.random();
            let alt = d.to.0 as usize;
            if u < share && (!d.only_if_free || self.has_free_place(alt)) {
                self.rec.event(s, Counter::Diverted);
                s = alt;
                self.rec.arrival(s, origin);
            }
        }
        let youth = &mut self.youths[y as usize];
        youth.service = s as u16;
        youth.origin = origin.map_or(NO_SERVICE, |o| o as u16);
        youth.referred = t;
        // a segment in a procurement transition takes longer to take referrals on
        let delay = self.delay[model.services[s].segment.0 as usize];
        if delay > 0.0 {
            youth.state = State::Waiting;
            youth.epoch = youth.epoch.wrapping_add(1);
            let epoch = youth.epoch;
            self.cal
                .schedule(t + delay, Event::Delayed { youth: y, epoch }.pack());
            return;
        }
        self.place(t, y, s);
    }

    /// A referred youth reaches service `s`: overflow if full, else admitted or waiting.
    fn place(&mut self, t: f64, y: u32, mut s: usize) {
        let model = self.model;
        // overflow: when full, go to the overflow service instead of waiting (the chain
        // of overflow services is acyclic, checked by validation)
        while !self.has_free_place(s) {
            let Some(o) = model.services[s].overflow_to else {
                break;
            };
            self.rec.event(s, Counter::Overflowed);
            s = o.0 as usize;
            let youth = &self.youths[y as usize];
            let origin = (youth.origin != NO_SERVICE).then_some(youth.origin as usize);
            self.rec.arrival(s, origin);
        }
        self.youths[y as usize].service = s as u16;
        if self.has_free_place(s) {
            self.admit(t, y, s);
        } else {
            self.enqueue(t, y, s);
        }
    }

    #[inline(always)]
    fn has_free_place(&self, s: usize) -> bool {
        let svc = &self.svcs[s];
        svc.waiting == 0 && svc.occ < svc.cap
    }

    fn enqueue(&mut self, t: f64, y: u32, s: usize) {
        let model = self.model;
        let svc_model: &Service = &model.services[s];
        let youth = &mut self.youths[y as usize];
        youth.state = State::Waiting;
        youth.epoch = youth.epoch.wrapping_add(1);
        let epoch = youth.epoch;
        let class = if svc_model.priority {
            self.class_of
                .get(youth.profile as usize)
                .copied()
                .unwrap_or(0)
        } else {
            0
        };
        // patience applies only to youths not holding a place elsewhere
        if youth.held == NO_SERVICE
            && let Some(p) = &svc_model.patience
        {
            let wait = p.dist.sample(&mut youth.rng);
            self.cal
                .schedule(t + wait, Event::Renege { youth: y, epoch }.pack());
        }
        // A youth reaching the age limit while on the list leaves it then. Limits years
        // away are not put on the calendar (they would crowd it with events that almost
        // never fire); they are checked when the youth reaches the head of the list.
        self.schedule_age_out(t, y, s, t + AGE_LOOKAHEAD);
        let svc = &mut self.svcs[s];
        svc.queues[class].push_back((y, epoch));
        svc.waiting += 1;
        let waiting = svc.waiting;
        self.rec.set(t, s, Level::Waiting, waiting);
    }

    /// Schedules the age-out of youth `y` at service `s` if it falls before `until`.
    #[inline]
    fn schedule_age_out(&mut self, t: f64, y: u32, s: usize, until: f64) {
        let youth = &self.youths[y as usize];
        let at = youth.born + self.model.services[s].age_limit * DAYS_PER_YEAR;
        if at < until && at < self.horizon {
            let epoch = youth.epoch;
            self.cal
                .schedule(at.max(t), Event::AgeOut { youth: y, epoch }.pack());
        }
    }

    /// Admits youth `y` to service `s`, which has a free place.
    #[inline(always)]
    fn admit(&mut self, t: f64, y: u32, s: usize) {
        // a place kept at the previous service is released first, so the youth is never
        // in two places and its marks show it was in care until now
        let held = std::mem::replace(&mut self.youths[y as usize].held, NO_SERVICE);
        if held != NO_SERVICE {
            self.release(t, y, held as usize, Some(s), true);
            self.to_fill.push(held);
        }
        let model = self.model;
        let svc = &model.services[s];
        let youth = &mut self.youths[y as usize];
        let los = svc
            .los_by_profile
            .get(youth.profile as usize)
            .and_then(|d| d.as_ref())
            .unwrap_or(&svc.los);
        let stay = los.sample(&mut youth.rng);
        let stay = svc.max_stay.map_or(stay, |m| stay.min(m));
        let origin = (youth.origin != NO_SERVICE).then_some(youth.origin as usize);
        self.rec
            .admission(s, origin, t - youth.referred, &youth.marks, youth.profile);
        youth.state = State::InCare;
        youth.admitted = t;
        if let Some(tr) = &svc.tariff {
            youth.cost += tr.per_admission.at(t) * model.finance.index(t);
        }
        let place = &mut self.svcs[s];
        if place.occ >= place.cap {
            self.balance.over_capacity += 1;
        }
        place.occ += 1;
        let occ = place.occ;
        self.rec.set(t, s, Level::Occupancy, occ);
        self.start_stay(t, y, s, stay);
    }

    /// Schedules the end of a stay of `stay` days starting at `t`, and what may cut it
    /// short: a breakdown, or reaching the age limit.
    #[inline(always)]
    fn start_stay(&mut self, t: f64, y: u32, s: usize, stay: f64) {
        let model = self.model;
        let svc = &model.services[s];
        let youth = &mut self.youths[y as usize];
        youth.epoch = youth.epoch.wrapping_add(1);
        let epoch = youth.epoch;
        let end = t + stay;
        self.cal
            .schedule(end, Event::StayEnd { youth: y, epoch }.pack());
        if let Some(b) = &svc.breakdown {
            let e: f64 = Exp1.sample(&mut youth.rng);
            let at = t + e / b.per_day;
            if at < end {
                self.cal
                    .schedule(at, Event::Breakdown { youth: y, epoch }.pack());
            }
        }
        self.schedule_age_out(t, y, s, end);
    }

    /// Frees the place youth `y` occupies at `s` (discharge towards `dest`, or out of
    /// care). `blocked` says whether the youth was holding the place after its stay.
    #[inline(always)]
    fn release(&mut self, t: f64, y: u32, s: usize, dest: Option<usize>, blocked: bool) {
        let model = self.model;
        let out_of_home = model.services[s].setting.out_of_home();
        let youth = &mut self.youths[y as usize];
        if out_of_home {
            youth.ooh_days += t - youth.admitted;
        }
        if let Some(tr) = &model.services[s].tariff {
            let mid = (youth.admitted + t) / 2.0;
            youth.cost += (t - youth.admitted) * tr.day_rate(mid) * model.finance.index(mid);
        }
        // a youth leaving care without a way back needs no memory of where it was
        let keep = dest.is_some() || model.services[s].reentry.is_some();
        let marks = keep.then_some(&mut youth.marks);
        self.rec.discharge(t, s, dest, marks);
        let svc = &mut self.svcs[s];
        svc.occ -= 1;
        let occ = svc.occ;
        self.rec.set(t, s, Level::Occupancy, occ);
        if blocked {
            svc.blocked -= 1;
            let b = svc.blocked;
            self.rec.set(t, s, Level::Blocked, b);
        }
    }

    fn on_stay_end(&mut self, t: f64, y: u32) {
        let s = self.youths[y as usize].service as usize;
        match self.route(t, y, s) {
            Target::Exit => {
                self.release(t, y, s, None, false);
                self.fill(t, s);
                self.leave(t, y, s, Exit::Discharged);
            }
            Target::Service(d) => {
                let d = d.0 as usize;
                if self.model.services[s].hold_until_next {
                    // keep the place until `d` admits (bed blocking)
                    self.youths[y as usize].held = s as u16;
                    self.svcs[s].blocked += 1;
                    let b = self.svcs[s].blocked;
                    self.rec.set(t, s, Level::Blocked, b);
                    self.refer(t, y, d, Some(s));
                } else {
                    self.release(t, y, s, Some(d), false);
                    self.fill(t, s);
                    self.refer(t, y, d, Some(s));
                }
            }
        }
    }

    fn on_breakdown(&mut self, t: f64, y: u32) {
        let s = self.youths[y as usize].service as usize;
        let Some(b) = &self.model.services[s].breakdown else {
            return;
        };
        let to = b.to.0 as usize;
        self.rec.event(s, Counter::Moves);
        self.youths[y as usize].moves += 1;
        self.release(t, y, s, Some(to), false);
        self.fill(t, s);
        self.refer(t, y, to, Some(s));
    }

    fn on_renege(&mut self, t: f64, y: u32) {
        let model = self.model;
        let youth = &mut self.youths[y as usize];
        if youth.state != State::Waiting {
            return;
        }
        let s = youth.service as usize;
        youth.epoch = youth.epoch.wrapping_add(1); // invalidates its waiting-list entry
        self.svcs[s].waiting -= 1;
        self.rec.event(s, Counter::Reneged);
        let w = self.svcs[s].waiting;
        self.rec.set(t, s, Level::Waiting, w);
        match model.services[s].patience.as_ref().map(|p| p.renege_to) {
            Some(Target::Service(d)) => self.refer(t, y, d.0 as usize, Some(s)),
            Some(Target::Exit) | None => self.leave(t, y, s, Exit::Reneged),
        }
    }

    fn on_age_out(&mut self, t: f64, y: u32) {
        let (s, state) = {
            let youth = &self.youths[y as usize];
            (youth.service as usize, youth.state)
        };
        match state {
            State::InCare => {
                self.release(t, y, s, None, false);
                self.fill(t, s);
            }
            State::Waiting => {
                let youth = &mut self.youths[y as usize];
                youth.epoch = youth.epoch.wrapping_add(1);
                let held = std::mem::replace(&mut youth.held, NO_SERVICE);
                self.svcs[s].waiting -= 1;
                let w = self.svcs[s].waiting;
                self.rec.set(t, s, Level::Waiting, w);
                if held != NO_SERVICE {
                    self.release(t, y, held as usize, None, true);
                    self.fill(t, held as usize);
                }
            }
            State::Free | State::Away => return,
        }
        self.rec.event(s, Counter::AgedOut);
        self.leave(t, y, s, Exit::AgedOut);
    }

    fn on_reenter(&mut self, t: f64, y: u32) {
        let model = self.model;
        let youth = &mut self.youths[y as usize];
        let s = youth.service as usize;
        let Some(r) = &model.services[s].reentry else {
            return;
        };
        let to = r.to.0 as usize;
        youth.moves = 0;
        youth.ooh_days = 0.0;
        youth.cost = 0.0;
        self.balance.reentered += 1;
        self.rec.event(to, Counter::Reentries);
        self.refer(t, y, to, None);
    }

    /// Youth `y` leaves care from service `s` for `reason`; it may come back later.
    fn leave(&mut self, t: f64, y: u32, s: usize, reason: Exit) {
        let model = self.model;
        match reason {
            Exit::Discharged => self.balance.discharged += 1,
            Exit::Reneged => self.balance.reneged += 1,
            Exit::AgedOut => self.balance.aged_out += 1,
        }
        let youth = &mut self.youths[y as usize];
        if youth.ooh_days > 0.0 {
            self.rec.episode(youth.moves, youth.ooh_days);
        }
        if youth.cost > 0.0 {
            self.rec.episode_cost(youth.cost);
        }
        youth.epoch = youth.epoch.wrapping_add(1);
        youth.service = s as u16;
        if reason == Exit::Discharged
            && let Some(r) = &model.services[s].reentry
            && youth.rng.random::<f64>() < r.p
        {
            let after = r.after.sample(&mut youth.rng);
            let age_at_return = (t + after - youth.born) / DAYS_PER_YEAR;
            if age_at_return < model.services[r.to.0 as usize].age_limit {
                youth.state = State::Away;
                let epoch = youth.epoch;
                self.cal
                    .schedule(t + after, Event::ReEnter { youth: y, epoch }.pack());
                return;
            }
        }
        youth.state = State::Free;
        youth.service = NO_SERVICE;
        self.free.push(y);
    }

    /// Draws where youth `y` goes after a stay at `s`.
    fn route(&mut self, t: f64, y: u32, s: usize) -> Target {
        let model = self.model;
        let svc = &model.services[s];
        let youth = &mut self.youths[y as usize];
        let routes: &[Route] = svc
            .next_by_profile
            .get(youth.profile as usize)
            .and_then(|r| r.as_deref())
            .unwrap_or(&svc.next);
        match routes.len() {
            0 => Target::Exit,
            1 => routes[0].to,
            _ => {
                let u: f64 = youth.rng.random();
                let mut acc = 0.0;
                for r in routes {
                    acc += r.p.at(t);
                    if u < acc {
                        return r.to;
                    }
                }
                routes[routes.len() - 1].to
            }
        }
    }

    /// Admits from the waiting lists of `s` while there is room.
    fn fill(&mut self, t: f64, s: usize) {
        let limit = self.model.services[s].age_limit * DAYS_PER_YEAR;
        while self.svcs[s].occ < self.svcs[s].cap && self.svcs[s].waiting > 0 {
            let Some(y) = self.pop_waiting(s) else {
                break;
            };
            if t - self.youths[y as usize].born >= limit {
                // waited past the age limit (beyond the scheduled look-ahead):
                // on_age_out takes it off the list
                self.on_age_out(t, y);
                continue;
            }
            self.svcs[s].waiting -= 1;
            let w = self.svcs[s].waiting;
            self.rec.set(t, s, Level::Waiting, w);
            self.admit(t, y, s);
        }
    }

    /// Fills the services whose places were freed by admissions elsewhere, until no
    /// more admissions follow (a blocking chain unwinds here, without recursion), and
    /// applies gated capacity steps whose gates now hold.
    fn drain_fills(&mut self, t: f64) {
        loop {
            if let Some(s) = self.to_fill.pop() {
                self.fill(t, s as usize);
            } else if !self.to_gate.is_empty() {
                self.drain_gates(t);
            } else {
                break;
            }
        }
    }

    /// The next valid youth on the waiting lists of `s`, highest priority first.
    fn pop_waiting(&mut self, s: usize) -> Option<u32> {
        let youths = &self.youths;
        for q in self.svcs[s].queues.iter_mut() {
            while let Some((y, epoch)) = q.pop_front() {
                let youth = &youths[y as usize];
                if youth.epoch == epoch && youth.state == State::Waiting {
                    return Some(y);
                }
            }
        }
        None
    }

    /// Sets the places of `s` from its base and the transition loss of its segment, and
    /// admits from the waiting list if places opened up.
    fn set_capacity(&mut self, t: f64, s: usize) {
        let loss = self.loss[self.model.services[s].segment.0 as usize];
        let svc = &mut self.svcs[s];
        svc.cap = if svc.base == UNLIMITED {
            UNLIMITED
        } else {
            ((svc.base as f64) * (1.0 - loss) + 1e-9).floor() as u32
        };
        let cap = if svc.cap == UNLIMITED { 0 } else { svc.cap };
        self.rec.set(t, s, Level::Capacity, cap);
        self.fill(t, s);
        // a gate on this service may hold now
        for g in 0..self.svcs.len() {
            if g != s
                && self.model.services[g]
                    .steps
                    .get(self.svcs[g].next_step)
                    .is_some_and(|st| {
                        st.at <= t && st.gate.is_some_and(|x| x.service.0 as usize == s)
                    })
            {
                self.to_gate.push(g as u16);
            }
        }
    }

    /// Applies the planned capacity steps of `s` that are due, in order; a reduction whose
    /// gate does not hold waits (and the steps after it with it).
    fn apply_steps(&mut self, t: f64, s: usize) {
        let model = self.model;
        let steps = &model.services[s].steps;
        let mut changed = false;
        while let Some(step) = steps.get(self.svcs[s].next_step) {
            if step.at > t {
                break;
            }
            if let Some(g) = step.gate
                && step.value < self.svcs[s].base
                && self.svcs[g.service.0 as usize].cap < g.min_capacity
            {
                break;
            }
            let k = self.svcs[s].next_step;
            self.step_times[s][k] = t;
            self.svcs[s].base = step.value;
            self.svcs[s].next_step += 1;
            changed = true;
        }
        if changed {
            self.set_capacity(t, s);
        }
    }

    fn on_staff_tick(&mut self, t: f64) {
        let model = self.model;
        for (s, svc) in model.services.iter().enumerate() {
            let Some(st) = &svc.staff else {
                continue;
            };
            let place = &mut self.svcs[s];
            // attrition over the month just ended
            place.fte -= place.fte * st.attrition_per_year / 12.0;
            let coming: f64 = place.pipeline.iter().map(|(_, f)| f).sum();
            let gap = st.target_fte.at(t) - place.fte - coming;
            let hires = gap.clamp(0.0, st.max_hires_per_month);
            if hires > 1e-12 {
                place.pipeline.push_back((t + st.lead_days, hires));
                self.rec.hires(s, hires);
                self.cal.schedule(
                    t + st.lead_days,
                    Event::StaffReady { service: s as u16 }.pack(),
                );
            }
            self.staff_changed(t, s);
        }
        let next = t + DAYS_PER_YEAR / 12.0;
        if next < self.horizon {
            self.cal.schedule(next, Event::StaffTick.pack());
        }
    }

    fn on_staff_ready(&mut self, t: f64, s: usize) {
        let place = &mut self.svcs[s];
        while let Some(&(ready, fte)) = place.pipeline.front() {
            if ready > t {
                break;
            }
            place.fte += fte;
            place.pipeline.pop_front();
        }
        self.staff_changed(t, s);
    }

    fn staff_changed(&mut self, t: f64, s: usize) {
        let Some(st) = &self.model.services[s].staff else {
            return;
        };
        let fte = self.svcs[s].fte;
        self.rec.set_fte(t, s, fte);
        let base = staff_places(fte, st.caseload);
        if base != self.svcs[s].base {
            self.svcs[s].base = base;
            self.set_capacity(t, s);
        }
    }

    fn on_transition(&mut self, t: f64, k: usize, open: bool) {
        let tr = &self.model.transitions[k];
        let g = tr.segment.0 as usize;
        self.loss[g] = if open { tr.capacity_loss } else { 0.0 };
        self.delay[g] = if open { tr.referral_delay } else { 0.0 };
        for s in 0..self.svcs.len() {
            if self.model.services[s].segment.0 as usize == g {
                self.set_capacity(t, s);
            }
        }
    }

    /// Re-checks gated steps after capacities changed elsewhere.
    fn drain_gates(&mut self, t: f64) {
        while let Some(s) = self.to_gate.pop() {
            self.apply_steps(t, s as usize);
        }
    }

    fn finish(mut self) -> RepOutcome {
        let events = self.cal.processed() + self.arrivals_processed;
        let mut b = self.balance;
        for y in &self.youths {
            match y.state {
                State::InCare => b.in_care += 1,
                State::Waiting if y.held != NO_SERVICE => b.in_care += 1,
                State::Waiting => b.waiting += 1,
                State::Free | State::Away => {}
            }
        }
        self.balance = b;
        let values = self.rec.finish(self.horizon);
        RepOutcome {
            values,
            balance: self.balance,
            step_times: self.step_times,
            events,
        }
    }
}

/// Places given by staff: whole youths, `fte × caseload` rounded down.
fn staff_places(fte: f64, caseload: f64) -> u32 {
    cap_value((fte.max(0.0) * caseload + 1e-9).floor())
}

/// Draws a profile index by the cumulative shares `cdf` (profile 0 when there is none).
fn draw_profile(cdf: &[f64], rng: &mut Rng) -> u8 {
    if cdf.len() <= 1 {
        return 0;
    }
    let u: f64 = rng.random::<f64>() * cdf[cdf.len() - 1];
    cdf.iter().position(|c| u < *c).unwrap_or(cdf.len() - 1) as u8
}

/// A capacity value from a schedule: whole places, never negative.
fn cap_value(v: f64) -> u32 {
    if v.is_finite() && v > 0.0 {
        v.round().min((UNLIMITED - 1) as f64) as u32
    } else {
        0
    }
}
