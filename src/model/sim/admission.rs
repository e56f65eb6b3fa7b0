//! How youths get a place: waiting lists (first come first served, or by profile
//! priority), admission when a place is free and the start of a stay (its length, and
//! what may cut it short), and giving up waiting (reneging) after a drawn patience.
//! Youths who reach the age limit while waiting leave the list (see
//! `discharge.rs`); limits years away are checked when they reach its head.

use rand_distr::{Distribution, Exp1};

use super::alongside::partner_of;
use super::discharge::Exit;
use super::{Event, State, World};
use crate::model::pricing;
use crate::model::{Model, Service, Target};
use crate::stats::{Counter, Level};
use crate::timeline::DAYS_PER_YEAR;

/// Age limits further than this (days) after a youth joins a waiting list are checked at
/// admission instead of being scheduled.
const AGE_LOOKAHEAD: f64 = 2.0 * DAYS_PER_YEAR;

/// The priority class of each profile at services that admit by priority (distinct
/// profile priorities, highest first), and the number of classes.
pub(super) fn priority_classes(model: &Model) -> (Vec<usize>, usize) {
    let mut prios: Vec<i32> = model.profiles.iter().map(|p| p.priority).collect();
    prios.sort_unstable_by(|a, b| b.cmp(a));
    prios.dedup();
    let class_of: Vec<usize> = model
        .profiles
        .iter()
        .map(|p| prios.iter().position(|q| *q == p.priority).unwrap_or(0))
        .collect();
    (class_of, prios.len().max(1))
}

impl World<'_> {
    /// Youth `y` joins the waiting list of `s` (in its priority class), with its patience
    /// and, if near, its age limit on the calendar.
    #[inline(always)]
    pub(super) fn enqueue(&mut self, t: f64, y: u32, s: usize) {
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
        if youth.held.is_none()
            && let Some(p) = &svc_model.patience
        {
            let wait = p.dist.sample(&mut youth.rng);
            self.agenda
                .schedule(t + wait, Event::Renege { youth: y, epoch });
        }
        // A youth reaching the age limit while on the list leaves it then. Limits years
        // away are not put on the calendar (they would crowd it with events that almost
        // never fire); they are checked when the youth reaches the head of the list.
        self.schedule_age_out(t, y, s, t + AGE_LOOKAHEAD);
        if svc_model.secure {
            // a youth who needs secure care and waits for it: a breach of its own
            self.rec.event(s, Counter::SecureBreach);
        }
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
            self.agenda
                .schedule(at.max(t), Event::AgeOut { youth: y, epoch });
        }
    }

    /// Admits from the waiting lists of `s` while there is room.
    pub(super) fn fill(&mut self, t: f64, s: usize) {
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
        // a family place nobody waits for takes a youth waiting for a group it is matched to
        if !self.pull_from[s].is_empty() && self.has_free_place(s) {
            self.pull_matches(t, s);
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

    /// Admits youth `y` to service `s`, which has a free place.
    #[inline(always)]
    pub(super) fn admit(&mut self, t: f64, y: u32, s: usize) {
        // a place kept at the previous service is released first, so the youth is never
        // in two places and its marks show it was in care until now
        if let Some(held) = self.youths[y as usize].held.take() {
            self.release(t, y, held.0 as usize, Some(s), true);
            self.to_fill.push(held.0);
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
        let origin = youth.origin.map(|o| o.0 as usize);
        let youth = &self.youths[y as usize];
        let partner = partner_of(&self.youths, y);
        self.rec.admission(
            s,
            origin,
            t - youth.referred,
            (&youth.marks, partner),
            youth.profile,
        );
        self.paths_admit(t, y, s);
        let youth = &mut self.youths[y as usize];
        youth.state = State::InCare;
        youth.admitted = t;
        youth.costed_to = t;
        if let Some(tr) = &svc.tariff {
            youth.year_cost += pricing::admission_cost(tr, &model.finance, t);
        }
        let place = &mut self.svcs[s];
        if place.occ >= place.cap {
            self.balance.over_capacity += 1;
        }
        place.occ += 1;
        let occ = place.occ;
        self.rec.set(t, s, Level::Occupancy, occ);
        self.start_stay(t, y, s, stay);
        if let Some(a) = svc.alongside
            && a.p > 0.0
        {
            self.start_alongside(t, y, s, a);
        }
    }

    /// Schedules the end of a stay of `stay` days starting at `t`, and what may cut it
    /// short: a breakdown, or reaching the age limit.
    #[inline(always)]
    pub(super) fn start_stay(&mut self, t: f64, y: u32, s: usize, stay: f64) {
        let model = self.model;
        let svc = &model.services[s];
        let youth = &mut self.youths[y as usize];
        youth.epoch = youth.epoch.wrapping_add(1);
        let epoch = youth.epoch;
        let end = t + stay;
        self.agenda
            .schedule(end, Event::StayEnd { youth: y, epoch });
        if let Some(b) = &svc.breakdown {
            let e: f64 = Exp1.sample(&mut youth.rng);
            let at = t + e / b.per_day;
            if at < end {
                self.agenda
                    .schedule(at, Event::Breakdown { youth: y, epoch });
            }
        }
        self.schedule_age_out(t, y, s, end);
    }

    /// Youth `y` gives up waiting: it leaves the list for `renege_to`, another service or
    /// out of care.
    pub(super) fn on_renege(&mut self, t: f64, y: u32) {
        let model = self.model;
        let youth = &mut self.youths[y as usize];
        if youth.state != State::Waiting {
            return;
        }
        let s = youth.service.0 as usize;
        youth.epoch = youth.epoch.wrapping_add(1); // invalidates its waiting-list entry
        self.svcs[s].waiting -= 1;
        self.rec.event(s, Counter::Reneged);
        self.paths_give_up(y);
        let w = self.svcs[s].waiting;
        self.rec.set(t, s, Level::Waiting, w);
        match model.services[s].patience.as_ref().map(|p| p.renege_to) {
            Some(Target::Service(d)) => self.refer(t, y, d.0 as usize, Some(s)),
            Some(Target::Exit) | None => self.leave(t, y, s, Exit::Reneged),
        }
    }
}
