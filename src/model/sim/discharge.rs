//! How stays end and youths move on: the end of a stay and the route drawn after it,
//! bed blocking (keeping the place until the next service admits), placement
//! breakdowns, ageing out, leaving care (each exit with one reason) and returning to it
//! later (re-entry, or the need of a youth who gave up waiting coming back), and the
//! placement of a diverted youth after all when its diversion fails — which ends whatever
//! care it is in, or brings it back into care.

use rand::RngExt;

use super::{Agenda, Event, NO_PARTNER, State, World, Youth};
use crate::model::{Comeback, Model, Route, Service, ServiceId, Target};
use crate::stats::{Counter, Level};
use crate::timeline::DAYS_PER_YEAR;

/// Why a youth leaves care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Exit {
    Discharged,
    Reneged,
    AgedOut,
}

impl World<'_> {
    /// Frees the place youth `y` occupies at `s` (discharge towards `dest`, or out of
    /// care). `blocked` says whether the youth was holding the place after its stay.
    #[inline(always)]
    pub(super) fn release(&mut self, t: f64, y: u32, s: usize, dest: Option<usize>, blocked: bool) {
        self.accrue(t, y, s);
        let model = self.model;
        let out_of_home = model.services[s].setting.out_of_home();
        let youth = &mut self.youths[y as usize];
        if out_of_home {
            youth.ooh_days += t - youth.admitted;
        }
        // a youth leaving care without a way back needs no memory of where it was (unless
        // an episode alongside runs, or a failed diversion may still place it: the youth is
        // the same, and counts once per level and period)
        let keep = dest.is_some()
            || model.services[s].reentry.is_some()
            || youth.partner != NO_PARTNER
            || youth.placed_later.is_some();
        let marks = keep.then_some(&mut youth.marks);
        if youth.companion && dest.is_none() {
            // an episode alongside ends: it leaves its segment, not the region's care
            self.rec.discharge_alongside(t, s, marks);
        } else {
            self.rec.discharge(t, s, dest, marks);
        }
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

    /// The stay of youth `y` ends: it leaves care or is referred on, keeping its place
    /// meanwhile at a service that holds beds.
    pub(super) fn on_stay_end(&mut self, t: f64, y: u32) {
        let s = self.youths[y as usize].service.0 as usize;
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
                    self.youths[y as usize].held = Some(ServiceId(s as u16));
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

    /// The placement of youth `y` breaks down: it moves to the breakdown service at once.
    pub(super) fn on_breakdown(&mut self, t: f64, y: u32) {
        let s = self.youths[y as usize].service.0 as usize;
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

    /// Youth `y` reaches the age limit of its service: it leaves care, or the waiting
    /// list (and any place it still holds).
    pub(super) fn on_age_out(&mut self, t: f64, y: u32) {
        let (s, state) = {
            let youth = &self.youths[y as usize];
            (youth.service.0 as usize, youth.state)
        };
        match state {
            State::InCare => {
                self.release(t, y, s, None, false);
                self.fill(t, s);
            }
            State::Waiting | State::Referred => {
                self.leave_list(t, y, None);
            }
            State::Free | State::Away => return,
        }
        self.paths_close(y);
        self.rec.event(s, Counter::AgedOut);
        self.leave(t, y, s, Exit::AgedOut);
    }

    /// Youth `y` returns to care after having left it.
    pub(super) fn on_reenter(&mut self, t: f64, y: u32) {
        let model = self.model;
        let youth = &mut self.youths[y as usize];
        let s = youth.service.0 as usize;
        let svc = &model.services[s];
        if svc.reentry.is_none() && comeback(svc).is_none() {
            return;
        }
        // decided when it left: the re-entry service, or its way back
        let to = youth.return_to as usize;
        youth.moves = 0;
        youth.ooh_days = 0.0;
        youth.returning = false;
        self.balance.reentered += 1;
        self.rec.event(to, Counter::Reentries);
        self.refer(t, y, to, None);
    }

    /// Youth `y` leaves care from service `s` for `reason`; it may come back later.
    #[inline(always)]
    pub(super) fn leave(&mut self, t: f64, y: u32, s: usize, reason: Exit) {
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
        youth.epoch = youth.epoch.wrapping_add(1);
        youth.service = ServiceId(s as u16);
        if youth.companion {
            // an episode alongside ends here; the youth's returns are its own episode's
            youth.placed_later = None;
            self.retire(y);
            return;
        }
        if reason == Exit::Discharged
            && let Some(r) = &model.services[s].reentry
            && youth.rng.random::<f64>() < r.p
        {
            let after = r.after.sample(&mut youth.rng);
            // the easy way back: a quick return goes straight to the care it left (or the
            // way back's own service), not the route of a new referral
            let to = match r.way_back {
                Some(w) if after <= w.within_days => w.to.map_or(s, |j| j.0 as usize),
                _ => r.to.0 as usize,
            };
            if away_until(youth, &mut self.agenda, model, y, t + after, to) {
                return;
            }
        }
        // unmet need comes back: a youth who gave up waiting returns, more intensive
        if reason == Exit::Reneged
            && let Some(c) = comeback(&model.services[s])
            && c.p > 0.0
            && youth.rng.random::<f64>() < c.p
        {
            let after = c.after.sample(&mut youth.rng);
            let to = c.to.0 as usize;
            if away_until(youth, &mut self.agenda, model, y, t + after, to) {
                return;
            }
        }
        if youth.placed_later.is_some() {
            // a failed diversion may still bring it back: keep the slot
            youth.state = State::Away;
            youth.returning = false;
            return;
        }
        self.retire(y);
    }

    /// Youth `y` leaves the waiting list of its service (or its way there, when the
    /// referral is delayed), and the place it still holds elsewhere, if any; `dest` is
    /// where that place's youth goes (`None`: out of care).
    fn leave_list(&mut self, t: f64, y: u32, dest: Option<usize>) {
        let youth = &mut self.youths[y as usize];
        let s = youth.service.0 as usize;
        let queued = youth.state == State::Waiting;
        youth.epoch = youth.epoch.wrapping_add(1); // invalidates its list entry and events
        let held = youth.held.take();
        if queued {
            self.svcs[s].waiting -= 1;
            let w = self.svcs[s].waiting;
            self.rec.set(t, s, Level::Waiting, w);
        }
        if let Some(held) = held {
            self.release(t, y, held.0 as usize, dest, true);
            self.fill(t, held.0 as usize);
        }
    }

    /// A diverted youth's diversion failed (`token` names the planned placement): it is
    /// placed at the service it was diverted from. Care or waiting elsewhere ends; a youth
    /// who had left care comes back (a new entry, if still young enough).
    pub(super) fn on_placed(&mut self, t: f64, y: u32, token: u32) {
        let youth = &mut self.youths[y as usize];
        let Some((tok, to)) = youth.placed_later else {
            return;
        };
        if tok != token {
            return;
        }
        youth.placed_later = None;
        let to = to as usize;
        let (s, state, origin) = (
            youth.service.0 as usize,
            youth.state,
            youth.origin.map(|o| o.0 as usize),
        );
        let origin = match state {
            State::Free => return,
            State::InCare | State::Waiting | State::Referred if s == to => return,
            State::InCare => {
                self.release(t, y, s, Some(to), false);
                self.fill(t, s);
                self.paths_refer(t, y, to, Some(s));
                Some(s)
            }
            State::Waiting | State::Referred => {
                self.leave_list(t, y, Some(to));
                // its pathway to care runs on; into `to`'s segment as a new one
                self.paths_refer(t, y, to, Some(s));
                origin
            }
            State::Away => {
                let age = (t - youth.born) / DAYS_PER_YEAR;
                if age >= self.model.services[to].age_limit {
                    if !youth.returning {
                        self.retire(y);
                    }
                    return;
                }
                youth.moves = 0;
                youth.ooh_days = 0.0;
                youth.returning = false;
                self.balance.reentered += 1;
                self.paths_refer(t, y, to, None);
                None
            }
        };
        self.rec.arrival(to, origin);
        self.rec.event(to, Counter::Placed);
        self.send(t, y, to, origin);
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
}

/// The comeback rule of a service's waiting list, if its youths' need comes back after
/// they gave up.
/// Youth `y` leaves care to come back at `to` at time `at`, if it is still young enough for
/// `to` then: it is away until its `ReEnter`, which is scheduled. Whether it went away.
fn away_until(
    youth: &mut Youth,
    agenda: &mut Agenda,
    model: &Model,
    y: u32,
    at: f64,
    to: usize,
) -> bool {
    let age_at_return = (at - youth.born) / DAYS_PER_YEAR;
    if age_at_return >= model.services[to].age_limit {
        return false;
    }
    youth.state = State::Away;
    youth.returning = true;
    youth.return_to = to as u16;
    let epoch = youth.epoch;
    agenda.schedule(at, Event::ReEnter { youth: y, epoch });
    true
}

fn comeback(svc: &Service) -> Option<&Comeback> {
    svc.patience.as_ref().and_then(|p| p.comeback.as_ref())
}
