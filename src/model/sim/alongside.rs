//! Care alongside (`alongside = { service, p }`): a youth admitted to a service with an
//! `alongside` also starts, with probability `p` drawn from the service's own stream, an
//! episode at the other service that runs at the same time. The episode is a youth slot of
//! its own — its place, waiting list, stay, routes and cost follow that service's rules —
//! linked to the youth's slot (its *partner*), which it reads for two things only:
//!
//! - distinct counting: `clients` counts a youth once per level and period, whichever of
//!   its two episodes is in care there (the recorder is given the partner's marks and the
//!   place it holds, and the places held twice at each slice start);
//! - the cost per youth-year: the episode's cost is added to its youth's year.
//!
//! A youth has at most one episode alongside at a time, and an episode alongside starts none
//! of its own. It enters from its youth's service (crossing its segment's border, not the
//! region's: `alongside` in the tally), and when it leaves care it ends — its youth's own
//! returns to care are the youth's. A youth who leaves care for good while its episode
//! alongside runs keeps its slot (and its year's cost) until that episode ends.

use rand::{Rng as _, RngExt};

use super::{NO_PARTNER, State, World, Youth};
use crate::engine::Streams;
use crate::model::{Alongside, ServiceId};
use crate::stats::Mark;

/// Purpose codes of the streams of care alongside (one per service): during the run, and
/// for the youths in care at the start.
pub(super) const STREAM_ALONGSIDE: u32 = 4;
const STREAM_ALONGSIDE_START: u32 = 5;

/// The place a youth holds now (in care, or kept while waiting elsewhere), if any.
#[inline]
pub(super) fn holding(state: State, service: ServiceId, held: Option<ServiceId>) -> Option<usize> {
    match state {
        State::InCare => Some(service.0 as usize),
        State::Waiting | State::Referred => held.map(|h| h.0 as usize),
        State::Free | State::Away => None,
    }
}

impl World<'_> {
    /// Youth `y` was admitted to `s` at `t`, which has care alongside `a`: with probability
    /// `a.p` (the service's own stream) an episode alongside starts, referred to `a.to` from
    /// `s`. A youth with an episode alongside running, or an episode alongside itself,
    /// starts none (and draws nothing).
    pub(super) fn start_alongside(&mut self, t: f64, y: u32, s: usize, a: Alongside) {
        let youth = &self.youths[y as usize];
        if youth.companion || youth.partner != NO_PARTNER {
            return;
        }
        let (born, profile, need) = (youth.born, youth.profile, youth.need);
        let rng = &mut self.alongside_rng[s];
        if rng.random::<f64>() >= a.p {
            return;
        }
        let key = rng.next_u64();
        let Some(c) = self.new_youth(key, born, profile) else {
            return;
        };
        self.link(y, c, need);
        self.balance.alongside += 1;
        self.refer(t, c, a.to.0 as usize, Some(s));
    }

    /// Episode `c` runs alongside youth `y` (whose `need` it shares).
    fn link(&mut self, y: u32, c: u32, need: f64) {
        let ep = &mut self.youths[c as usize];
        ep.companion = true;
        ep.partner = y;
        ep.need = need;
        self.youths[y as usize].partner = c;
    }

    /// The youths in care at `s` at the start: with the probability of `s`'s `alongside`,
    /// each also is in care at the other service at the start, as one of its `initial`
    /// youths (while there are any left: `taken` counts them). Only when a service has care
    /// alongside: else nothing is drawn and the start is as before.
    pub(super) fn pair_initial(
        &mut self,
        streams: &Streams,
        s: usize,
        first: u32,
        taken: &mut [u32],
    ) {
        let model = self.model;
        let Some(a) = model.services[s].alongside.filter(|a| a.p > 0.0) else {
            return;
        };
        let to = a.to.0 as usize;
        let mut rng = streams.stream(STREAM_ALONGSIDE_START, s as u32);
        for y in first..self.youths.len() as u32 {
            let youth = &self.youths[y as usize];
            if youth.state != State::InCare || youth.service.0 as usize != s {
                continue;
            }
            if rng.random::<f64>() >= a.p || taken[to] >= model.services[to].initial {
                continue;
            }
            let (born, profile) = (youth.born, youth.profile);
            let key = rng.next_u64();
            let Some(c) = self.new_youth(key, born, profile) else {
                return;
            };
            let need = self.youths[y as usize].need;
            self.link(y, c, need);
            taken[to] += 1;
            let svc = &model.services[to];
            let remaining = svc.los.sample_residual(&mut rng);
            let remaining = svc.max_stay.map_or(remaining, |m| remaining.min(m));
            self.svcs[to].occ += 1;
            self.balance.initial += 1;
            let ep = &mut self.youths[c as usize];
            ep.service = ServiceId(to as u16);
            ep.state = State::InCare;
            ep.admitted = 0.0;
            ep.costed_to = 0.0;
            self.start_stay(0.0, c, to, remaining);
        }
    }

    /// Youth `y` leaves care for good: its slot is freed and its year recorded — unless an
    /// episode alongside still runs (then both wait for that episode's end). An episode
    /// alongside that ends adds its year's cost and its marks to its youth's.
    pub(super) fn retire(&mut self, y: u32) {
        let youth = &mut self.youths[y as usize];
        youth.state = State::Free;
        let partner = youth.partner;
        if partner == NO_PARTNER {
            self.free.push(y);
            self.close_youth_year(y);
            return;
        }
        if !youth.companion {
            // its episode alongside runs on: the youth's slot and year wait for it
            return;
        }
        youth.partner = NO_PARTNER;
        youth.companion = false;
        let euros = std::mem::take(&mut youth.year_cost);
        let marks = std::mem::take(&mut youth.marks);
        let owner = &mut self.youths[partner as usize];
        owner.year_cost += euros;
        owner.partner = NO_PARTNER;
        Mark::merge_into(&mut owner.marks, &marks);
        let owner_left = owner.state == State::Free;
        let ep = &mut self.youths[y as usize];
        ep.marks = marks;
        ep.marks.clear();
        self.free.push(y);
        if owner_left {
            self.free.push(partner);
            self.close_youth_year(partner);
        }
    }

    /// At a year's end: the cost of each episode alongside so far is added to its youth's
    /// year (counted up to `t`), before the years are recorded.
    pub(super) fn alongside_years(&mut self, t: f64) {
        for c in 0..self.youths.len() as u32 {
            let ep = &self.youths[c as usize];
            if !ep.companion {
                continue;
            }
            if let Some(s) = holding(ep.state, ep.service, ep.held) {
                self.accrue(t, c, s);
            }
            let ep = &mut self.youths[c as usize];
            let euros = std::mem::take(&mut ep.year_cost);
            let owner = ep.partner;
            self.youths[owner as usize].year_cost += euros;
        }
    }

    /// As a slice starts: each youth holding places with both its episodes, so that the
    /// recorder counts it once at the levels the two places share.
    pub(super) fn count_held_twice(&mut self) {
        for c in 0..self.youths.len() {
            let ep = &self.youths[c];
            if !ep.companion {
                continue;
            }
            let owner = &self.youths[ep.partner as usize];
            if let (Some(a), Some(b)) = (
                holding(ep.state, ep.service, ep.held),
                holding(owner.state, owner.service, owner.held),
            ) {
                self.rec.held_twice(a, b);
            }
        }
    }
}

/// The partner of youth `y` as the recorder needs it for distinct counting: its marks and
/// the place it holds (`None`: no episode alongside).
#[inline(always)]
pub(super) fn partner_of(youths: &[Youth], y: u32) -> Option<(&[Mark], Option<usize>)> {
    let p = youths[y as usize].partner;
    if p == NO_PARTNER {
        return None;
    }
    let q = &youths[p as usize];
    Some((q.marks.as_slice(), holding(q.state, q.service, q.held)))
}
