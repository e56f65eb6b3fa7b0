//! One replication of a [`Model`]: the rules of the youth-care world on the engine.
//!
//! Youths arrive by Poisson inflows, may be diverted to an alternative or overflow to
//! another service when one is full, wait in a list (first come first served, or by
//! profile priority), may give up waiting, stay for a drawn length of stay (cut to
//! `max_stay`), may break down and move, are routed to another service — keeping their
//! place until it admits them when the service holds beds — or leave care, by discharge,
//! by giving up or by ageing out, and may return later.
//!
//! The rules live by family, one file each:
//! - `sim/arrivals.rs`: youths in care at the start, inflows, referral, diversion, the
//!   referral delay of a transition, overflow;
//! - `sim/admission.rs`: waiting lists, priority, admission and the start of a stay, giving
//!   up waiting (reneging);
//! - `sim/discharge.rs`: stay ends, routing, bed blocking, breakdowns, ageing out, exits and
//!   re-entry;
//! - `sim/capacity.rs`: places over time — capacity steps and their gates, staff (with
//!   staff freed by closing places), open-ended contracts, transition windows and their
//!   change load;
//! - `sim/pathway.rs`: a youth's pathway to care in its segment and in care as a whole
//!   (time to care, and norm breaches by waiting, giving up or overflow);
//! - `sim/ahead.rs`: the time to care still ahead of the pathways open at the horizon;
//! - `sim/event.rs`: the events and their packing for the calendar;
//! - `sim/planned.rs`: the road a scenario plans — this loop without youths, tracing
//!   every service's places and FTE.
//!
//! This file holds the world and its event loop.
//!
//! Random numbers follow the youth: each youth gets its own generator, seeded from the
//! stream of the inflow it came from, and draws its stays, routes, patience and returns
//! from it. Two scenarios that share a seed therefore see the same youths with the same
//! needs (common random numbers), even when capacities reorder events.
//!
//! Events that may have been overtaken (a stay end after a breakdown, a renege after an
//! admission) carry the youth's `epoch` at scheduling time; the youth's epoch changes at
//! every change of state, so stale events are recognised and ignored.

mod admission;
mod ahead;
mod alongside;
mod arrivals;
mod capacity;
mod cost;
mod discharge;
mod event;
mod matching;
mod pathway;
mod planned;

use std::collections::VecDeque;

use super::{Model, ServiceId, Setting};
use crate::engine::rng::{rng_from_key, unit_of};
use crate::engine::{Calendar, Rng, ScheduleError, Streams};
use crate::model::pricing;
use crate::stats::{Levels, Mark, Recorder, RepValues};
pub use ahead::{Followed, Outcome, follow_open_paths};
use arrivals::Source;
use event::{Event, MAX_YOUTHS, Packed};
use pathway::Path;
pub use planned::{Planned, PlannedPath, planned};

/// Events between two checks of the pace of simulated time ([`World::check_pace`]).
const PACE_CHECK: u64 = 1 << 20;

/// The tally of youths of one replication (or, summed, of a run — the manifest's `youths`
/// writes it with its field names): everyone who entered is accounted for, and every exit
/// has one reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Balance {
    /// Youths in care or on a waiting list at the start.
    pub initial: u64,
    /// Youths who arrived from outside during the run.
    pub arrived: u64,
    /// Returns to care of youths who had left (each return is an entry).
    pub reentered: u64,
    /// Episodes of care alongside started during the run (`alongside`): each is an entry
    /// of its own and leaves with its own reason (not written when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub alongside: u64,
    /// Exits after a completed stay (routed to `exit`).
    pub discharged: u64,
    /// Exits from a waiting list (gave up, `renege_to = "exit"`).
    pub reneged: u64,
    /// Exits at the age limit.
    pub aged_out: u64,
    /// Youths in care at the end (counted from the youths themselves).
    #[serde(rename = "in_care_at_end")]
    pub in_care: u64,
    /// Youths on a waiting list at the end (not holding a place elsewhere).
    #[serde(rename = "waiting_at_end")]
    pub waiting: u64,
    /// Admissions made while the service was already full: a self-check inside the
    /// engine, always 0 (tests assert it), not written to the manifest.
    #[serde(skip)]
    pub over_capacity: u64,
}

impl Balance {
    /// Whether entries equal exits by reason plus those still in the system.
    pub fn holds(&self) -> bool {
        self.initial + self.arrived + self.reentered + self.alongside
            == self.discharged + self.reneged + self.aged_out + self.in_care + self.waiting
    }
}

impl std::ops::AddAssign for Balance {
    /// Adds another replication's tally, field by field.
    fn add_assign(&mut self, o: Balance) {
        let Balance {
            initial,
            arrived,
            reentered,
            alongside,
            discharged,
            reneged,
            aged_out,
            in_care,
            waiting,
            over_capacity,
        } = o;
        self.initial += initial;
        self.arrived += arrived;
        self.reentered += reentered;
        self.alongside += alongside;
        self.discharged += discharged;
        self.reneged += reneged;
        self.aged_out += aged_out;
        self.in_care += in_care;
        self.waiting += waiting;
        self.over_capacity += over_capacity;
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
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

/// Why a replication could not finish. A validated model never causes either; a model
/// built by hand may.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SimError {
    /// A rule asked for an event before the clock (or at no time at all).
    #[error("the model breaks an invariant that validation guarantees: {0}")]
    Schedule(#[from] ScheduleError),
    /// More youths in the system at once than the model's `max_youths` (or than a packed
    /// event can name): a runaway waiting list or inflow, stopped before memory runs out.
    #[error(
        "{} youths in the system at once on {date}, the limit (max_youths = {}); most are \
         at '{service}': {} waiting and {} in care. No real region holds that many: \
         check the inflows, capacities and youths in care at the start, or raise \
         `max_youths` in [scenario]",
        grouped(*alive), grouped(*limit), grouped(*waiting), grouped(*in_care)
    )]
    TooManyYouths {
        alive: u64,
        limit: u64,
        date: String,
        service: String,
        in_care: u64,
        waiting: u64,
    },
    /// Far more events per simulated day than any region makes: time hardly moves (a loop
    /// of near-zero stays).
    #[error(
        "{} events by {date}, the last million of them at more than {} per simulated day: \
         time hardly moves. \
         Most youths are at '{service}'; look for a loop that comes back to it with \
         durations near zero: stays (`los`), patience before giving up (`patience`, \
         `renege_to`) or a breakdown rate far above one a day (`breakdown`)",
        grouped(*events), grouped(*limit)
    )]
    NoProgress {
        events: u64,
        limit: u64,
        date: String,
        service: String,
    },
}

/// `n` with a comma between thousands (1,000,000), for messages.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Runs replication `rep` of `model` with base seed `seed`: for tests and benchmarks on
/// models known to run to the end. No command calls it; they call [`simulate_with`], which
/// returns the error instead.
///
/// # Panics
///
/// On any [`SimError`] — including those a validated scenario can cause
/// ([`SimError::TooManyYouths`] from a runaway inflow, or time that hardly moves), not only
/// a broken invariant.
pub fn simulate(model: &Model, seed: u64, rep: u64) -> RepOutcome {
    simulate_with(model, &levels_of(model), seed, rep).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs replication `rep` of `model` with base seed `seed`, given the recorder's view of
/// the model (built once per model by [`levels_of`]).
pub fn simulate_with(
    model: &Model,
    levels: &Levels,
    seed: u64,
    rep: u64,
) -> Result<RepOutcome, SimError> {
    let mut w = World::new(model, levels, seed, rep);
    w.run();
    w.finish()
}

/// The recorder's view of a model, with its prices per slice.
pub fn levels_of(model: &Model) -> Levels {
    let services = &model.services;
    Levels {
        prices: pricing::price_table(model),
        seg_of: services.iter().map(|s| s.segment.0).collect(),
        n_segments: model.segments.len(),
        norm: services
            .iter()
            .map(|s| s.norm.unwrap_or(f64::NAN))
            .collect(),
        pathway_norm: services.iter().map(|s| s.pathway_norm).collect(),
        out_of_home: services.iter().map(|s| s.setting.out_of_home()).collect(),
        family: services
            .iter()
            .map(|s| s.setting == Setting::Family)
            .collect(),
        recruiting: services
            .iter()
            .map(|s| {
                s.staff
                    .as_ref()
                    .is_some_and(|st| st.recruit_per_year.is_some())
            })
            .collect(),
        income: income_per_slice(model),
        limited: services
            .iter()
            .map(|s| s.capacity.is_some() || s.staff.is_some())
            .collect(),
        staffed: services.iter().map(|s| s.staff.is_some()).collect(),
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

/// Income per slice and segment (`[slice * segments + segment]`), euros; empty when the
/// model has no `[[finance.income]]`.
fn income_per_slice(model: &Model) -> Vec<f64> {
    let income = &model.finance.income;
    if income.is_empty() {
        return Vec::new();
    }
    let n_g = model.segments.len();
    let slices = &model.timeline.slices;
    let mut out = vec![0.0; slices.len() * n_g];
    for (i, sl) in slices.iter().enumerate() {
        for inc in income {
            out[i * n_g + inc.segment.0 as usize] += inc.over(sl.start, sl.end);
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Free,
    /// On the waiting list of `service` (and holding a place at `held`, if any).
    Waiting,
    /// Referred to `service` but not there yet (the referral delay of a transition); may
    /// hold a place at `held` meanwhile.
    Referred,
    /// In care at `service`, treatment ongoing.
    InCare,
    /// Left care; will return (reentry).
    Away,
}

struct Youth {
    rng: Rng,
    state: State,
    epoch: u32,
    profile: u8,
    /// The service the youth is referred to, waits for or is in care at; while away,
    /// the one it left (meaningless while free).
    service: ServiceId,
    /// Place still held at this service while waiting for `service` (bed blocking).
    held: Option<ServiceId>,
    /// The service the youth came from (for transfers); `None` from outside care.
    origin: Option<ServiceId>,
    /// When the youth was referred to its current service.
    referred: f64,
    /// When the youth was admitted to the place it occupies (its current or held service).
    admitted: f64,
    /// Birth, in simulation days (negative: before the start).
    born: f64,
    /// Breakdown moves and out-of-home days in the current care episode.
    moves: u32,
    ooh_days: f64,
    /// Euros spent on the youth so far in the current calendar year (P×Q, indexed), over
    /// all its episodes (see `sim/cost.rs`).
    year_cost: f64,
    /// Up to when the stay cost of the place it holds is in `year_cost`.
    costed_to: f64,
    /// Its pathway to care in the segment it last entered, and in care as a whole.
    seg_path: Path,
    care_path: Path,
    /// A placement still to come after a failed diversion: (token, service).
    placed_later: Option<(u32, u16)>,
    /// Away from care with a return (re-entry) on the calendar.
    returning: bool,
    /// Where a return on the calendar goes (its way back, or the re-entry service).
    return_to: u16,
    /// The youth's needs as a number in [0, 1), fixed for life (lower is lighter): a family
    /// place whose rule takes a share `x` of the youth's profile takes it when `need < x`.
    need: f64,
    marks: Vec<Mark>,
    /// The slot of the youth's other episode (care alongside), or [`NO_PARTNER`].
    partner: u32,
    /// This slot is an episode alongside its youth's (the partner), not a youth of its own.
    companion: bool,
}

/// No partner episode (see `sim/alongside.rs`).
const NO_PARTNER: u32 = u32::MAX;

/// Salt of a youth's `need` (a fixed function of its random key).
const NEED_SALT: u64 = 0x6E65_6564_7300_0001;

struct Svc {
    occ: u32,
    /// Places now: `base` less any transition loss.
    cap: u32,
    /// Places before transition losses (from the capacity path or the staff).
    base: u32,
    /// Index of the next planned capacity step (earlier ones happened).
    next_step: usize,
    /// When a step held back by a go/no-go on waiting is looked at again (0: none due).
    gate_review: f64,
    /// Productive FTE and hires on their way (ready time, FTE), for staffed services.
    fte: f64,
    pipeline: Vec<(f64, f64)>,
    /// Youths whose stay ended but who keep the place (bed blocking).
    blocked: u32,
    /// Closed places still costing their fixed part (winding down).
    stranded: u32,
    /// FTE freed here and retraining for another service: (ready time, FTE).
    retraining: Vec<(f64, f64)>,
    /// Valid entries on the waiting lists.
    waiting: u32,
    /// One FIFO list per priority class (highest first); entries carry the youth's epoch
    /// so that youths who left the list meanwhile are skipped.
    queues: Vec<VecDeque<(u32, u32)>>,
}

/// The calendar, and the first thing that went wrong (the run's result is then that
/// error, never numbers).
struct Agenda {
    cal: Calendar<Packed>,
    fault: Option<SimError>,
}

impl Agenda {
    /// Schedules `event` at `t`; a time the calendar refuses is kept as the run's fault.
    #[inline]
    fn schedule(&mut self, t: f64, event: Event) {
        if let Err(e) = self.cal.schedule(t, event.pack()) {
            self.fail(e.into());
        }
    }

    #[cold]
    fn fail(&mut self, e: SimError) {
        self.fault.get_or_insert(e);
    }
}

struct World<'m> {
    model: &'m Model,
    horizon: f64,
    agenda: Agenda,
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
    /// Per family-like service: the services whose referrals are matched to it, in model
    /// order (empty for most).
    pull_from: Vec<Vec<u16>>,
    /// Share of places lost per segment (transition windows open now).
    loss: Vec<f64>,
    /// Whether the open window of each segment also costs crisis places.
    loss_crisis: Vec<bool>,
    /// The transition window open now, per segment.
    window: Vec<Option<u32>>,
    /// Extra referral delay per service (days), from its segment's open window.
    delay: Vec<f64>,
    /// Random hiring and attrition, one stream per service.
    staff_rng: Vec<Rng>,
    /// Whether care alongside starts at any service, and its draws, one stream per service.
    has_alongside: bool,
    alongside_rng: Vec<Rng>,
    /// When each planned capacity step happened, per service (NaN: not yet).
    step_times: Vec<Vec<f64>>,
    arrivals_processed: u64,
    balance: Balance,
    /// The most youths at once: the model's limit, at most what a packed event can name.
    max_youths: usize,
    /// Events processed when the pace of time is checked next, and the time of the last check.
    next_pace_check: u64,
    last_pace_check: f64,
    /// Every change of places and FTE, when the planned road is traced ([`planned`]).
    trace: Option<Box<planned::Trace>>,
}

impl<'m> World<'m> {
    fn new(model: &'m Model, levels: &'m Levels, seed: u64, rep: u64) -> Self {
        let streams = Streams::new(seed, rep);
        let horizon = model.timeline.horizon;
        let rec = Recorder::new(&model.timeline, levels);
        let boundaries: Vec<f64> = rec.boundaries().collect();
        let (class_of, n_classes) = admission::priority_classes(model);
        let mut w = World {
            model,
            horizon,
            agenda: Agenda {
                cal: Calendar::new(),
                fault: None,
            },
            rec,
            youths: Vec::new(),
            free: Vec::new(),
            svcs: capacity::places_at_start(model, n_classes),
            class_of,
            share_cdf: arrivals::share_cdf(model),
            sources: arrivals::sources(model, &streams),
            boundaries,
            next_boundary: 0,
            to_fill: Vec::new(),
            to_gate: Vec::new(),
            pull_from: matching::pull_from(model),
            loss: vec![0.0; model.segments.len()],
            loss_crisis: vec![false; model.segments.len()],
            window: vec![None; model.segments.len()],
            delay: vec![0.0; model.services.len()],
            staff_rng: capacity::staff_streams(model, &streams),
            has_alongside: model
                .services
                .iter()
                .any(|s| s.alongside.is_some_and(|a| a.p > 0.0)),
            alongside_rng: (0..model.services.len() as u32)
                .map(|s| streams.stream(alongside::STREAM_ALONGSIDE, s))
                .collect(),
            step_times: model
                .services
                .iter()
                .map(|s| vec![f64::NAN; s.steps.len()])
                .collect(),
            arrivals_processed: 0,
            balance: Balance::default(),
            max_youths: usize::try_from(model.limits.max_youths)
                .unwrap_or(MAX_YOUTHS)
                .min(MAX_YOUTHS),
            next_pace_check: PACE_CHECK,
            last_pace_check: 0.0,
            trace: None,
        };
        w.place_initial(&streams);
        // the first slice opens before anything else happens at time 0
        w.schedule_boundary();
        w.start_sources();
        w.schedule_capacity_changes();
        w
    }

    /// A new youth born at `born` with its own generator (and needs) from its random `key`,
    /// in a recycled slot if there is one; `None` (and the run stopped) when no more fit in
    /// a packed event.
    #[inline(always)]
    fn new_youth(&mut self, key: u64, born: f64, profile: u8) -> Option<u32> {
        let rng = rng_from_key(key);
        let need = unit_of(key, NEED_SALT);
        match self.free.pop() {
            Some(i) => {
                // the slot is reset in place: its marks list keeps its allocation, and the
                // epoch runs on, so events still pending for the slot's previous youth can
                // never match the new one
                let y = &mut self.youths[i as usize];
                y.rng = rng;
                y.state = State::Free;
                y.epoch = y.epoch.wrapping_add(1);
                y.profile = profile;
                y.service = ServiceId(0);
                y.held = None;
                y.origin = None;
                y.referred = 0.0;
                y.admitted = 0.0;
                y.born = born;
                y.moves = 0;
                y.ooh_days = 0.0;
                y.year_cost = 0.0;
                y.costed_to = 0.0;
                y.seg_path = Path::NONE;
                y.care_path = Path::NONE;
                y.placed_later = None;
                y.returning = false;
                y.return_to = 0;
                y.need = need;
                y.marks.clear();
                y.partner = NO_PARTNER;
                y.companion = false;
                Some(i)
            }
            None if self.youths.len() < self.max_youths => {
                self.youths.push(Youth {
                    rng,
                    state: State::Free,
                    epoch: 0,
                    profile,
                    service: ServiceId(0),
                    held: None,
                    origin: None,
                    referred: 0.0,
                    admitted: 0.0,
                    born,
                    moves: 0,
                    ooh_days: 0.0,
                    year_cost: 0.0,
                    costed_to: 0.0,
                    seg_path: Path::NONE,
                    care_path: Path::NONE,
                    placed_later: None,
                    returning: false,
                    return_to: 0,
                    need,
                    marks: Vec::new(),
                    partner: NO_PARTNER,
                    companion: false,
                });
                Some((self.youths.len() - 1) as u32)
            }
            None => {
                let e = self.too_many_youths();
                self.stop(e);
                None
            }
        }
    }

    /// The error of a run that reached its limit of youths, naming the service most of them
    /// are at (waiting or in care).
    #[cold]
    fn too_many_youths(&self) -> SimError {
        let (s, svc) = self
            .svcs
            .iter()
            .enumerate()
            .max_by_key(|(i, s)| {
                (
                    u64::from(s.waiting) + u64::from(s.occ),
                    std::cmp::Reverse(*i),
                )
            })
            .unwrap_or((0, &self.svcs[0]));
        SimError::TooManyYouths {
            alive: self.youths.len() as u64,
            limit: self.max_youths as u64,
            date: self
                .model
                .timeline
                .date_of(self.agenda.cal.now())
                .to_string(),
            service: self.model.services[s].id.clone(),
            waiting: svc.waiting as u64,
            in_care: svc.occ as u64,
        }
    }

    /// Every [`PACE_CHECK`] events: stops the run when those events took less simulated
    /// time than the model's events per day allow, naming the service most youths are at.
    #[cold]
    fn check_pace(&mut self, t: f64) {
        let events = self.agenda.cal.processed() + self.arrivals_processed;
        let limit = self.model.limits.max_events_per_day;
        let days = t - std::mem::replace(&mut self.last_pace_check, t);
        if PACE_CHECK as f64 <= limit as f64 * days {
            return;
        }
        let busiest = (0..self.svcs.len())
            .max_by_key(|s| {
                let svc = &self.svcs[*s];
                (svc.occ + svc.waiting, std::cmp::Reverse(*s))
            })
            .unwrap_or(0);
        let e = SimError::NoProgress {
            events,
            limit,
            date: self.model.timeline.date_of(t).to_string(),
            service: self.model.services[busiest].id.clone(),
        };
        self.stop(e);
    }

    /// Ends the run at once with `e` as its result: nothing happens before a horizon of
    /// minus infinity.
    #[cold]
    fn stop(&mut self, e: SimError) {
        self.agenda.fail(e);
        self.horizon = f64::NEG_INFINITY;
    }

    fn schedule_boundary(&mut self) {
        if let Some(&t) = self.boundaries.get(self.next_boundary) {
            self.next_boundary += 1;
            self.agenda.schedule(t, Event::Slice);
        }
    }

    fn run(&mut self) {
        self.run_until(f64::INFINITY);
    }

    /// Runs the events before `until` (or the horizon, if sooner): a run in pieces is the
    /// run in one (`ahead::follow_open_paths` looks at the world between them).
    fn run_until(&mut self, until: f64) {
        let mut first = self.earliest_source();
        loop {
            let end = self.horizon.min(until);
            let arrival = first.map_or(f64::INFINITY, |i| self.sources[i].next);
            // ties go to the calendar: events scheduled earlier run first
            if arrival < end && self.agenda.cal.peek_time().is_none_or(|t| arrival < t) {
                let i = first.unwrap_or(0);
                self.agenda.cal.advance_to(arrival);
                self.arrivals_processed += 1;
                self.on_arrival(arrival, i);
                self.drain_fills(arrival);
                first = self.earliest_source();
                self.pace(arrival);
                continue;
            }
            let Some((t, ev)) = self.agenda.cal.pop_before(end) else {
                break;
            };
            self.dispatch(t, ev.unpack());
            self.drain_fills(t);
            self.pace(t);
        }
        self.agenda.cal.advance_to(self.horizon.min(until));
    }

    /// Checks the pace of time every [`PACE_CHECK`] events.
    #[inline(always)]
    fn pace(&mut self, t: f64) {
        if self.agenda.cal.processed() + self.arrivals_processed >= self.next_pace_check {
            self.next_pace_check += PACE_CHECK;
            self.check_pace(t);
        }
    }

    /// Runs the rule of event `ev` at time `t`; youth events only while still current.
    #[inline(always)]
    fn dispatch(&mut self, t: f64, ev: Event) {
        match ev {
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
                    let s = self.youths[youth as usize].service.0 as usize;
                    self.place(t, youth, s);
                }
            }
            Event::Step { service, .. } => self.apply_steps(t, service as usize),
            Event::StaffTick => self.on_staff_tick(t),
            Event::StaffReady { service } => self.on_staff_ready(t, service as usize),
            Event::TransitionStart { index } => self.on_transition(t, index as usize, true),
            Event::TransitionEnd { index } => self.on_transition(t, index as usize, false),
            Event::Slice => {
                if self.rec.year_begins() {
                    self.close_years(t);
                }
                self.rec.boundary(t);
                if self.has_alongside {
                    self.count_held_twice();
                }
                self.schedule_boundary();
            }
            Event::Placed { youth, epoch } => self.on_placed(t, youth, epoch),
            Event::Review { service } => self.on_review(t, service as usize),
            Event::Unwind { service, places } => self.on_unwind(t, service as usize, places),
            Event::Retrained { service } => self.on_retrained(t, service as usize),
        }
    }

    #[inline]
    fn current(&self, y: u32, epoch: u32) -> bool {
        self.youths[y as usize].epoch == epoch
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

    fn finish(mut self) -> Result<RepOutcome, SimError> {
        if let Some(e) = self.agenda.fault.take() {
            return Err(e);
        }
        let events = self.agenda.cal.processed() + self.arrivals_processed;
        let mut b = self.balance;
        for y in &self.youths {
            match y.state {
                State::InCare => b.in_care += 1,
                State::Waiting | State::Referred if y.held.is_some() => b.in_care += 1,
                State::Waiting | State::Referred => b.waiting += 1,
                State::Free | State::Away => {}
            }
        }
        self.balance = b;
        self.close_years(self.horizon);
        self.estimate_open_paths();
        let values = self.rec.finish(self.horizon);
        Ok(RepOutcome {
            values,
            balance: self.balance,
            step_times: self.step_times,
            events,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Source as ScenarioSource};

    fn load(text: &str) -> Model {
        scenario::load(&ScenarioSource {
            name: "t.toml".into(),
            text: text.into(),
        })
        .expect("valid scenario")
    }

    const SMALL: &str = "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2024-12-31\n\
        seed = 1\nreplications = 1\n\
        [[inflow]]\nto = \"s\"\nper_year = 100\n\
        [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 5\n\
        los = { dist = \"exponential\", mean = 30 }\n\
        [[transition]]\nsegment = \"g\"\nfrom = 2024-03-01\nto = 2024-06-01\n\
        capacity_loss = 0.2\n";

    #[test]
    fn an_event_before_the_clock_is_an_error_not_a_silent_move() {
        let mut m = load(SMALL);
        assert!(simulate_with(&m, &levels_of(&m), 1, 0).is_ok());
        // validation keeps windows inside the horizon; one built by hand before day 0
        // (or at no day at all) cannot be scheduled
        for from in [-5.0, f64::NAN] {
            m.transitions[0].from = from;
            let err = simulate_with(&m, &levels_of(&m), 1, 0).unwrap_err();
            assert!(
                matches!(err, SimError::Schedule(e) if e.now == 0.0),
                "{err}"
            );
        }
    }
}
