//! Places over time: a service's capacity path (planned steps, a reduction waiting for
//! its gate), its staff (`fte × caseload`, with monthly hiring rounds, attrition and a
//! lead time before hires are productive) and the capacity lost while a transition
//! window of its segment is open. Capacity never evicts: when places drop below
//! occupancy, admissions stop until discharges bring occupancy under them.

use std::collections::VecDeque;

use super::{Event, Svc, World};
use crate::model::Model;
use crate::stats::Level;
use crate::timeline::DAYS_PER_YEAR;

/// The places of an unlimited service.
const UNLIMITED: u32 = u32::MAX;

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
                fte: s.staff.as_ref().map_or(0.0, |st| st.fte),
                pipeline: VecDeque::new(),
                blocked: 0,
                waiting: 0,
                queues: vec![VecDeque::new(); if s.priority { n_classes } else { 1 }],
            }
        })
        .collect()
}

impl World<'_> {
    /// Puts the planned capacity steps, the first staffing round and the transition
    /// windows on the calendar.
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
        }
        if model.services.iter().any(|s| s.staff.is_some()) {
            self.agenda.schedule(0.0, Event::StaffTick);
        }
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
        let loss = self.loss[self.model.services[s].segment.0 as usize];
        let svc = &mut self.svcs[s];
        svc.cap = if svc.base == UNLIMITED {
            UNLIMITED
        } else {
            ((svc.base as f64) * (1.0 - loss) + 1e-9).floor() as u32
        };
        let cap = svc.reported_cap();
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
    pub(super) fn apply_steps(&mut self, t: f64, s: usize) {
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
            let place = &mut self.svcs[s];
            // attrition over the month just ended
            place.fte -= place.fte * st.attrition_per_year / 12.0;
            let coming: f64 = place.pipeline.iter().map(|(_, f)| f).sum();
            let gap = st.target_fte.at(t) - place.fte - coming;
            let hires = gap.clamp(0.0, st.max_hires_per_month);
            if hires > 1e-12 {
                place.pipeline.push_back((t + st.lead_days, hires));
                self.rec.hires(s, hires);
                let service = s as u16;
                self.agenda
                    .schedule(t + st.lead_days, Event::StaffReady { service });
            }
            self.staff_changed(t, s);
        }
        let next = t + DAYS_PER_YEAR / 12.0;
        if next < self.horizon {
            self.agenda.schedule(next, Event::StaffTick);
        }
    }

    /// Hires of service `s` whose lead time has passed become productive.
    pub(super) fn on_staff_ready(&mut self, t: f64, s: usize) {
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

    /// Transition window `k` opens (`open`) or closes: its segment loses a share of its
    /// places, and referrals to it take longer, while it is open.
    pub(super) fn on_transition(&mut self, t: f64, k: usize, open: bool) {
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
