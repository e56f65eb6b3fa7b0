//! Places over time: a service's capacity path (planned steps, a reduction waiting for
//! its gate), its staff (`fte × caseload`, with monthly hiring rounds, attrition and a
//! lead time before hires are productive — random or at their expected values), staff
//! freed by closing places who retrain for another service, the wind-down of closed
//! places (their stranded cost), an open-ended contract whose places follow demand, and
//! the capacity lost while a transition window of its segment is open — more when more
//! segments change at once. Capacity never evicts: when places drop below occupancy,
//! admissions stop until discharges bring occupancy under them.

use rand_distr::{Distribution, Poisson};

use super::{Event, Svc, World};
use crate::engine::{Dist, Rng, Streams};
use crate::model::{Model, Setting, Staff};
use crate::stats::Level;
use crate::timeline::DAYS_PER_YEAR;

/// Days between two looks at a step held back by a go/no-go on waiting: a month, as a
/// programme board meets (a review is a decision moment, not a watch on every referral).
pub const GATE_REVIEW_DAYS: f64 = DAYS_PER_YEAR / 12.0;

/// The places of an unlimited service.
const UNLIMITED: u32 = u32::MAX;
/// Purpose code of the staffing streams (one per service).
const STREAM_STAFF: u32 = 3;
/// The largest share of places a transition window may cost, however many segments
/// change at once.
const MAX_LOSS: f64 = 0.95;
/// Months before the start whose recruits may still be on their way (a lead time of up
/// to five years).
const WARM_MONTHS: u32 = 60;

impl Svc {
    /// Places as reported (0 for an unlimited service).
    #[inline]
    pub(super) fn reported_cap(&self) -> u32 {
        if self.cap == UNLIMITED { 0 } else { self.cap }
    }
}

/// Every service at the start: its places (from staff or the capacity path) and empty
/// waiting lists, one per priority class where it admits by priority.
pub(super) fn places_at_start(model: &Model, n_classes: usize) -> Vec<Svc> {
    model
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
                gate_review: 0.0,
                fte: s.staff.as_ref().map_or(0.0, |st| st.fte),
                pipeline: Vec::new(),
                blocked: 0,
                stranded: 0,
                retraining: Vec::new(),
                waiting: 0,
                queues: vec![
                    std::collections::VecDeque::new();
                    if s.priority { n_classes } else { 1 }
                ],
            }
        })
        .collect()
}

/// The staffing stream of every service (drawn from only by random staffing).
pub(super) fn staff_streams(model: &Model, streams: &Streams) -> Vec<Rng> {
    (0..model.services.len())
        .map(|s| streams.stream(STREAM_STAFF, s as u32))
        .collect()
}

impl World<'_> {
    /// Puts the planned capacity steps, the first staffing round, the first reviews of
    /// open-ended services and the transition windows on the calendar.
    pub(super) fn schedule_capacity_changes(&mut self) {
        let model = self.model;
        for (s, svc) in model.services.iter().enumerate() {
            for (k, step) in svc.steps.iter().enumerate() {
                if step.at < self.horizon {
                    let (service, index) = (s as u16, k as u32);
                    self.agenda
                        .schedule(step.at, Event::Step { service, index });
                }
            }
            if let Some(o) = &svc.open_ended
                && o.review_days < self.horizon
            {
                let service = s as u16;
                self.agenda
                    .schedule(o.review_days, Event::Review { service });
            }
        }
        if model.services.iter().any(|s| s.staff.is_some()) {
            self.agenda.schedule(0.0, Event::StaffTick);
        }
        self.warm_pipelines();
        for (k, tr) in model.transitions.iter().enumerate() {
            let index = k as u32;
            self.agenda
                .schedule(tr.from, Event::TransitionStart { index });
            if tr.to < self.horizon {
                self.agenda.schedule(tr.to, Event::TransitionEnd { index });
            }
        }
    }

    /// Sets the places of `s` from its base and the transition loss of its segment, and
    /// admits from the waiting list if places opened up.
    fn set_capacity(&mut self, t: f64, s: usize) {
        let svc_model = &self.model.services[s];
        let g = svc_model.segment.0 as usize;
        // crisis beds are untouched by a transition unless its window says otherwise
        let loss = if svc_model.setting == Setting::Crisis && !self.loss_crisis[g] {
            0.0
        } else {
            self.loss[g]
        };
        let svc = &mut self.svcs[s];
        svc.cap = if svc.base == UNLIMITED {
            UNLIMITED
        } else {
            ((svc.base as f64) * (1.0 - loss) + 1e-9).floor() as u32
        };
        let cap = svc.reported_cap();
        self.rec.set(t, s, Level::Capacity, cap);
        if let Some(tr) = self.trace.as_mut() {
            tr.places(s, t, cap);
        }
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
    /// gate does not hold waits (and the steps after it with it). A gate on places is
    /// looked at again whenever the other service's places change; a go/no-go on waiting
    /// at a monthly review ([`GATE_REVIEW_DAYS`]) until it holds.
    pub(super) fn apply_steps(&mut self, t: f64, s: usize) {
        let model = self.model;
        let steps = &model.services[s].steps;
        let mut changed = false;
        while let Some(step) = steps.get(self.svcs[s].next_step) {
            if step.at > t {
                break;
            }
            let base = self.svcs[s].base;
            if let Some(g) = step.gate
                && step.value < base
            {
                let other = &self.svcs[g.service.0 as usize];
                let waits_hold = g.max_waiting.is_none_or(|m| other.waiting <= m);
                if other.cap < g.min_capacity || !waits_hold {
                    if !waits_hold {
                        self.review_gate_later(t, s);
                    }
                    break;
                }
            }
            let k = self.svcs[s].next_step;
            self.step_times[s][k] = t;
            if step.value < base && base != UNLIMITED {
                self.places_closed(t, s, base - step.value);
            }
            self.svcs[s].base = step.value;
            self.svcs[s].next_step += 1;
            changed = true;
        }
        if changed {
            self.set_capacity(t, s);
        }
    }

    /// Looks at the held-back step of `s` again a review period after `t` (once: a review
    /// already due later stands), when that is within the horizon.
    fn review_gate_later(&mut self, t: f64, s: usize) {
        if self.svcs[s].gate_review > t {
            return;
        }
        let at = t + GATE_REVIEW_DAYS;
        if at < self.horizon {
            self.svcs[s].gate_review = at;
            let index = self.svcs[s].next_step as u32;
            self.agenda.schedule(
                at,
                Event::Step {
                    service: s as u16,
                    index,
                },
            );
        }
    }

    /// `n` places of `s` close at `t` by plan: their fixed cost runs on while they wind
    /// down, and part of their staff retrains for another service.
    fn places_closed(&mut self, t: f64, s: usize, n: u32) {
        let svc = &self.model.services[s];
        if let Some(c) = svc.tariff.as_ref().and_then(|tr| tr.closing)
            && c.days > 0.0
        {
            self.svcs[s].stranded += n;
            let stranded = self.svcs[s].stranded;
            self.rec.set(t, s, Level::Stranded, stranded);
            if t + c.days < self.horizon {
                let service = s as u16;
                self.agenda
                    .schedule(t + c.days, Event::Unwind { service, places: n });
            }
        }
        if let Some(r) = &svc.release {
            let fte = n as f64 * r.fte_per_place * r.share;
            if fte <= 0.0 {
                return;
            }
            let ready = t + r.retrain_days;
            let to = r.to.0 as usize;
            self.svcs[to].pipeline.push((ready, fte));
            self.svcs[s].retraining.push((ready, fte));
            let retraining: f64 = self.svcs[s].retraining.iter().map(|x| x.1).sum();
            self.rec.set_retraining(t, s, retraining);
            if ready < self.horizon {
                self.agenda
                    .schedule(ready, Event::StaffReady { service: to as u16 });
                self.agenda
                    .schedule(ready, Event::Retrained { service: s as u16 });
            }
        }
    }

    /// The wind-down of `places` closed places of `s` is over.
    pub(super) fn on_unwind(&mut self, t: f64, s: usize, places: u32) {
        let svc = &mut self.svcs[s];
        svc.stranded = svc.stranded.saturating_sub(places);
        let stranded = svc.stranded;
        self.rec.set(t, s, Level::Stranded, stranded);
    }

    /// Staff freed at `s` whose retraining is over leave its books (they are productive
    /// at the service they moved to, by its own `StaffReady`).
    pub(super) fn on_retrained(&mut self, t: f64, s: usize) {
        let svc = &mut self.svcs[s];
        svc.retraining.retain(|&(ready, _)| ready > t);
        let retraining: f64 = svc.retraining.iter().map(|x| x.1).sum();
        self.rec.set_retraining(t, s, retraining);
    }

    /// Re-checks gated steps after capacities changed elsewhere.
    pub(super) fn drain_gates(&mut self, t: f64) {
        while let Some(s) = self.to_gate.pop() {
            self.apply_steps(t, s as usize);
        }
    }

    /// The monthly staffing round: attrition over the month just ended, and hires towards
    /// the target FTE (productive after the lead time).
    pub(super) fn on_staff_tick(&mut self, t: f64) {
        let model = self.model;
        for (s, svc) in model.services.iter().enumerate() {
            let Some(st) = &svc.staff else {
                continue;
            };
            for (ready, fte) in self.staff_round(t, s, st) {
                self.svcs[s].pipeline.push((ready, fte));
                if ready < self.horizon {
                    let service = s as u16;
                    self.agenda.schedule(ready, Event::StaffReady { service });
                }
            }
            self.staff_changed(t, s);
        }
        let next = t + DAYS_PER_YEAR / 12.0;
        if next < self.horizon {
            self.agenda.schedule(next, Event::StaffTick);
        }
    }

    /// One staffing round of service `s`: leavers over the month just ended (taken off
    /// its FTE; none on the start day for staff that follow demand), and the hires it
    /// makes, as (ready time, FTE). Random staffing draws whole leavers (Poisson) and hires
    /// whole FTE, each with its own lead time.
    fn staff_round(&mut self, t: f64, s: usize, st: &Staff) -> Vec<(f64, f64)> {
        let target = self.target_fte(t, s, st);
        let place = &mut self.svcs[s];
        // leavers over the month just ended; for staff that follow demand none at the first
        // round, on the start day (the starting FTE is the staff on that day, and their warm
        // pipeline replaces the months before)
        let rate = if t > 0.0 || st.demand_headroom.is_none() {
            st.attrition_per_year / 12.0
        } else {
            0.0
        };
        let mut hires = Vec::new();
        if st.random {
            let rng = &mut self.staff_rng[s];
            let mean = place.fte * rate;
            let leavers = match Poisson::new(mean) {
                Ok(p) if mean > 0.0 => p.sample(rng).min(place.fte.floor()),
                _ => 0.0,
            };
            place.fte -= leavers;
            let n = match &st.recruit_per_year {
                // a recruitment pipeline: whole recruits, Poisson with the month's mean
                Some(r) => {
                    let mean = r.at(t) / 12.0;
                    match Poisson::new(mean) {
                        Ok(p) if mean > 0.0 => p.sample(rng) as u32,
                        _ => 0,
                    }
                }
                None => {
                    let gap = hiring_gap(st, target, place);
                    gap.clamp(0.0, st.max_hires_per_month).round() as u32
                }
            };
            for _ in 0..n {
                let lead = st.lead.as_ref().map_or(0.0, |d| d.sample(rng));
                hires.push((t + lead, 1.0));
            }
        } else {
            place.fte -= place.fte * rate;
            let n = match &st.recruit_per_year {
                Some(r) => r.at(t) / 12.0,
                None => hiring_gap(st, target, place).clamp(0.0, st.max_hires_per_month),
            };
            if n > 1e-12 {
                hires.push((t + st.lead.as_ref().map_or(0.0, Dist::mean), n));
            }
        }
        let hired: f64 = hires.iter().map(|h| h.1).sum();
        if hired > 0.0 {
            self.rec.hires(s, hired);
        }
        hires
    }

    /// The FTE service `s` hires towards at `t`: its `target_fte`, or — when hiring follows
    /// demand — what its youths in care and waiting need at its caseload × (1 + headroom),
    /// at most `target_fte`.
    fn target_fte(&self, t: f64, s: usize, st: &Staff) -> f64 {
        let ceiling = st.target_fte.at(t);
        match st.demand_headroom {
            Some(h) => {
                let svc = &self.svcs[s];
                let youths = f64::from(svc.occ) + f64::from(svc.waiting);
                (youths * (1.0 + h) / st.caseload).min(ceiling)
            }
            None => ceiling,
        }
    }

    /// A pipeline starts in its steady state: the recruits (or hires) of the months before
    /// the start whose lead time ends after it are on their way, so the stock does not dip
    /// while the first ones are screened or trained. A recruitment pipeline recruits at the
    /// first month's rate; staff that follow demand replace their leavers
    /// (`attrition_per_year / 12` of the FTE a month): Little's law, the pipeline holds a
    /// lead time of leavers. Staff hiring towards a fixed target start with none.
    fn warm_pipelines(&mut self) {
        let model = self.model;
        let month = DAYS_PER_YEAR / 12.0;
        for (s, svc) in model.services.iter().enumerate() {
            let Some(st) = &svc.staff else { continue };
            let mean = match (&st.recruit_per_year, st.demand_headroom) {
                (Some(r), _) => r.at(0.0) / 12.0,
                (None, Some(_)) => st.fte * st.attrition_per_year / 12.0,
                (None, None) => continue,
            };
            if mean <= 0.0 || st.lead.is_none() {
                continue;
            }
            for m in 1..=WARM_MONTHS {
                let started = -(m as f64) * month;
                let coming: Vec<f64> = if st.random {
                    let rng = &mut self.staff_rng[s];
                    let n = match Poisson::new(mean) {
                        Ok(p) if mean > 0.0 => p.sample(rng) as u32,
                        _ => 0,
                    };
                    (0..n)
                        .map(|_| started + st.lead.as_ref().map_or(0.0, |d| d.sample(rng)))
                        .collect()
                } else {
                    vec![started + st.lead.as_ref().map_or(0.0, Dist::mean)]
                };
                let fte = if st.random { 1.0 } else { mean };
                for ready in coming.into_iter().filter(|&r| r > 0.0) {
                    self.svcs[s].pipeline.push((ready, fte));
                    if ready < self.horizon {
                        let service = s as u16;
                        self.agenda.schedule(ready, Event::StaffReady { service });
                    }
                }
            }
        }
    }

    /// Hires (and retrained staff) of service `s` whose lead time has passed become
    /// productive.
    pub(super) fn on_staff_ready(&mut self, t: f64, s: usize) {
        let place = &mut self.svcs[s];
        let mut ready = 0.0;
        place.pipeline.retain(|&(at, fte)| {
            if at <= t {
                ready += fte;
                false
            } else {
                true
            }
        });
        place.fte += ready;
        self.staff_changed(t, s);
    }

    fn staff_changed(&mut self, t: f64, s: usize) {
        let Some(st) = &self.model.services[s].staff else {
            return;
        };
        let fte = self.svcs[s].fte;
        self.rec.set_fte(t, s, fte);
        if let Some(tr) = self.trace.as_mut() {
            tr.fte(s, t, fte);
        }
        let base = staff_places(fte, st.caseload);
        if base != self.svcs[s].base {
            self.svcs[s].base = base;
            self.set_capacity(t, s);
        }
    }

    /// An open-ended service reviews its places: the youths in care and waiting, plus its
    /// headroom (rounded up, at least its minimum). A reduction never evicts.
    pub(super) fn on_review(&mut self, t: f64, s: usize) {
        let Some(o) = &self.model.services[s].open_ended else {
            return;
        };
        let svc = &self.svcs[s];
        let demand = (svc.occ + svc.waiting) as f64 * (1.0 + o.headroom);
        let base = cap_value((demand - 1e-9).ceil()).max(o.min);
        if base != svc.base {
            self.svcs[s].base = base;
            self.set_capacity(t, s);
        }
        if t + o.review_days < self.horizon {
            let service = s as u16;
            self.agenda
                .schedule(t + o.review_days, Event::Review { service });
        }
    }

    /// Transition window `k` opens (`open`) or closes. Every segment with an open window
    /// loses a share of its places and takes referrals later — crisis services only if the
    /// window says so — each the more, the more segments change at once: × (1 + penalty ×
    /// (k − 1)) with k segments in transition.
    pub(super) fn on_transition(&mut self, t: f64, k: usize, open: bool) {
        let model = self.model;
        let g = model.transitions[k].segment.0 as usize;
        self.window[g] = open.then_some(k as u32);
        let concurrent = self.window.iter().filter(|w| w.is_some()).count();
        let load = 1.0 + model.change_load_penalty * concurrent.saturating_sub(1) as f64;
        for g in 0..self.window.len() {
            let (loss, delay, crisis, loss_crisis) = match self.window[g] {
                Some(w) => {
                    let tr = &model.transitions[w as usize];
                    (
                        (tr.capacity_loss * load).min(MAX_LOSS),
                        tr.referral_delay * load,
                        tr.delay_crisis,
                        tr.loss_crisis,
                    )
                }
                None => (0.0, 0.0, false, false),
            };
            let changed = loss != self.loss[g] || loss_crisis != self.loss_crisis[g];
            self.loss[g] = loss;
            self.loss_crisis[g] = loss_crisis;
            for (s, svc) in model.services.iter().enumerate() {
                if svc.segment.0 as usize != g {
                    continue;
                }
                self.delay[s] = if svc.setting == Setting::Crisis && !crisis {
                    0.0
                } else {
                    delay
                };
                if changed {
                    self.set_capacity(t, s);
                }
            }
        }
    }
}

/// The FTE a staffed service `st` still has to hire to reach `target`: the target less its
/// productive FTE and the hires on their way. Hiring that follows demand aims at the
/// productive FTE its youths need, so the hires on its way count net of the leavers
/// expected before they are productive (a lead time of attrition); a fixed target counts
/// the hires on their way in full.
fn hiring_gap(st: &Staff, target: f64, place: &Svc) -> f64 {
    let coming: f64 = place.pipeline.iter().map(|(_, f)| f).sum();
    let leaving = match st.demand_headroom {
        Some(_) => {
            let lead = st.lead.as_ref().map_or(0.0, Dist::mean);
            place.fte * st.attrition_per_year * lead / DAYS_PER_YEAR
        }
        None => 0.0,
    };
    target - place.fte - coming + leaving
}

/// Places given by staff: whole youths, `fte × caseload` rounded down.
fn staff_places(fte: f64, caseload: f64) -> u32 {
    cap_value((fte.max(0.0) * caseload + 1e-9).floor())
}

/// A capacity value from a schedule: whole places, never negative.
fn cap_value(v: f64) -> u32 {
    if v.is_finite() && v > 0.0 {
        v.round().min((UNLIMITED - 1) as f64) as u32
    } else {
        0
    }
}
