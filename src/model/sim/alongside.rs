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
            self.in_care_at_start(&mut rng, c, to);
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

#[cfg(test)]
mod tests {
    use crate::measure::Metric;
    use crate::model::Model;
    use crate::model::sim::{levels_of, simulate};
    use crate::scenario::{self, Source};
    use crate::timeline::PeriodRef;

    fn load(text: &str) -> Model {
        scenario::load(&Source {
            name: "t.toml".into(),
            text: text.into(),
        })
        .expect("valid scenario")
    }

    /// A group `w` (segment wonen) whose youths all get ambulatory care `a` (segment
    /// aanvullend) alongside: 20 in the group at the start, 50 at `a` (of whom the
    /// group's 20 when `p` = 1), and 400 referrals a year to the group; places to spare.
    fn pair(p: f64) -> Model {
        pair_with(p, 50)
    }

    /// [`pair`] with `a_initial` youths at `a` at the start.
    fn pair_with(p: f64, a_initial: u32) -> Model {
        load(&format!(
            "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2024-12-31\nseed = 1\n\
             replications = 1\n\
             [[inflow]]\nto = \"w\"\nper_year = 400\n\
             [[service]]\nid = \"w\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
             capacity = 1000\ninitial = 20\nlos = {{ dist = \"fixed\", value = 30 }}\n\
             tariff = {{ per_day = 100.0 }}\n\
             alongside = {{ service = \"a\", p = {p} }}\n\
             [[service]]\nid = \"a\"\nsegment = \"aanvullend\"\nsetting = \"ambulant\"\n\
             capacity = 1000\ninitial = {a_initial}\nlos = {{ dist = \"fixed\", value = 60 }}\n\
             tariff = {{ per_day = 50.0 }}\n"
        ))
    }

    /// With p = 1 every admission to the group starts exactly one episode alongside, and
    /// a youth in both counts once in the region and once in each segment: the region's
    /// clients are youths (50 at the start, of whom 20 in the group too, plus each
    /// referral), not episodes.
    #[test]
    fn every_admission_starts_one_episode_alongside_and_a_youth_counts_once() {
        let m = pair(1.0);
        let lv = levels_of(&m);
        let o = simulate(&m, 7, 0);
        assert!(o.balance.holds(), "{:?}", o.balance);
        assert_eq!(o.balance.over_capacity, 0);
        let v = &o.values;
        let year = m.timeline.period(PeriodRef::Year(0));
        let get = |l: usize, metric: Metric| v.get(l, metric, year);
        let referred = get(lv.all(), Metric::Arrivals);
        assert!(referred > 300.0, "{referred} referrals");
        // one episode alongside per admission to the group during the run
        assert_eq!(o.balance.alongside as f64, referred);
        assert_eq!(get(0, Metric::Admissions), referred);
        assert_eq!(o.balance.initial, 70);
        let (wonen, aanvullend) = (lv.segment(0), lv.segment(1));
        assert_eq!(get(wonen, Metric::Clients), 20.0 + referred);
        assert_eq!(get(aanvullend, Metric::Clients), 50.0 + referred);
        assert_eq!(get(lv.all(), Metric::Clients), 50.0 + referred);
        // an episode alongside enters its segment from the group, not the region
        assert_eq!(get(aanvullend, Metric::Arrivals), referred);
        assert_eq!(get(lv.all(), Metric::Admissions), referred);
    }

    /// At the start, no more youths are paired than the other service has in care: with
    /// 5 there, 5 of the group's 20 are paired and the region starts with 20 youths.
    #[test]
    fn pairs_at_the_start_take_at_most_the_other_services_initial_youths() {
        let m = pair_with(1.0, 5);
        let lv = levels_of(&m);
        let o = simulate(&m, 7, 0);
        assert!(o.balance.holds(), "{:?}", o.balance);
        assert_eq!(o.balance.initial, 25);
        let year = m.timeline.period(PeriodRef::Year(0));
        let get = |l: usize, metric: Metric| o.values.get(l, metric, year);
        let referred = get(lv.all(), Metric::Arrivals);
        assert_eq!(get(lv.segment(1), Metric::Clients), 5.0 + referred);
        assert_eq!(get(lv.all(), Metric::Clients), 20.0 + referred);
    }

    /// At p = 0 nothing is drawn and nobody is paired: each youth at `a` at the start is
    /// one of its own, so the region counts 70 youths at the start.
    #[test]
    fn at_p_zero_each_episode_is_a_youth_of_its_own() {
        let m = pair(0.0);
        let lv = levels_of(&m);
        let o = simulate(&m, 7, 0);
        let year = m.timeline.period(PeriodRef::Year(0));
        let referred = o.values.get(lv.all(), Metric::Arrivals, year);
        assert_eq!(o.balance.alongside, 0);
        let clients = o.values.get(lv.all(), Metric::Clients, year);
        assert_eq!(clients, 70.0 + referred);
    }

    /// A youth-year adds the episode alongside: 30 days in the group at €100 and 60 days
    /// of ambulatory care at €50 are €6,000 for a youth referred before November, where
    /// the group alone is €3,000.
    #[test]
    fn a_youth_year_adds_the_episode_alongside() {
        for (p, want) in [(1.0, 6000.0), (0.0, 3000.0)] {
            let m = pair(p);
            let v = simulate(&m, 7, 0).values;
            let year = m.timeline.period(PeriodRef::Year(0));
            let p50 = v.get(levels_of(&m).all(), Metric::CostPerYouthP50, year);
            assert!(
                (p50 / want - 1.0).abs() < 0.05,
                "p = {p}: median youth-year €{p50}, not €{want}"
            );
        }
    }

    /// A youth moves from the group to `a` (`next`) while its episode alongside is still
    /// there: every youth in care is in `a`'s segment all the time (its episode alongside
    /// runs its 60 days from the admission to the group; the youth is 30 days in the group
    /// and 30 at `a`), so in every month and year the region's clients are the segment's
    /// and the service's — counted at admission and at the months' starts alike.
    #[test]
    fn a_youth_joining_its_episode_alongside_is_still_one_youth() {
        let m = load(
            "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2025-12-31\nseed = 1\n\
             replications = 1\n\
             [[inflow]]\nto = \"w\"\nper_year = 400\n\
             [[service]]\nid = \"w\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
             capacity = 1000\nlos = { dist = \"fixed\", value = 30 }\n\
             next = [{ to = \"a\", p = 1.0 }]\n\
             alongside = { service = \"a\", p = 1.0 }\n\
             [[service]]\nid = \"a\"\nsegment = \"aanvullend\"\nsetting = \"ambulant\"\n\
             capacity = 1000\ninitial = 50\nlos = { dist = \"fixed\", value = 60 }\n",
        );
        let lv = levels_of(&m);
        for rep in 0..3 {
            let o = simulate(&m, 11, rep);
            assert!(o.balance.holds(), "{:?}", o.balance);
            let v = &o.values;
            for p in 0..m.timeline.periods().count() {
                let clients = |l: usize| v.get(l, Metric::Clients, p);
                let region = clients(lv.all());
                assert!(region > 0.0);
                assert_eq!(region, clients(lv.segment(1)), "period {p:?}");
                assert_eq!(region, clients(1), "period {p:?}");
                assert_eq!(clients(lv.segment(0)), clients(0), "period {p:?}");
            }
        }
    }

    /// Conservation with places short: lists, giving up, returns to care, a route into
    /// the service of the care alongside and youths paired at the start — every episode
    /// that entered left with a reason or is still in care or waiting, no admission went
    /// beyond the places, and the region never counts more youths than its segments' sum.
    #[test]
    fn conservation_holds_with_care_alongside_and_places_short() {
        let m = load(
            "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2026-12-31\nseed = 1\n\
             replications = 1\n\
             [[inflow]]\nto = \"w\"\nper_year = 120\n\
             [[inflow]]\nto = \"a\"\nper_year = 150\n\
             [[service]]\nid = \"w\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
             capacity = 10\ninitial = 10\nhold_until_next = true\n\
             los = { dist = \"exponential\", mean = 40 }\n\
             queue = { patience = { dist = \"exponential\", mean = 60 }, renege_to = \"exit\" }\n\
             next = [{ to = \"a\", p = 0.4 }, { to = \"exit\", p = 0.6 }]\n\
             reentry = { p = 0.3, after = { dist = \"exponential\", mean = 50 }, to = \"w\" }\n\
             tariff = { per_day = 100.0 }\n\
             alongside = { service = \"a\", p = 0.6 }\n\
             [[service]]\nid = \"a\"\nsegment = \"aanvullend\"\nsetting = \"ambulant\"\n\
             capacity = 15\ninitial = 15\nlos = { dist = \"exponential\", mean = 50 }\n\
             queue = { patience = { dist = \"exponential\", mean = 40 }, renege_to = \"exit\" }\n\
             reentry = { p = 0.3, after = { dist = \"exponential\", mean = 30 }, to = \"a\" }\n\
             tariff = { per_day = 50.0 }\n",
        );
        let lv = levels_of(&m);
        for rep in 0..20 {
            let o = simulate(&m, 5, rep);
            let b = o.balance;
            assert!(b.holds(), "replication {rep}: {b:?}");
            assert_eq!(b.over_capacity, 0);
            assert!(b.alongside > 50, "{b:?}");
            for p in 0..m.timeline.periods().count() {
                let clients = |l: usize| o.values.get(l, Metric::Clients, p);
                let (w, a, all) = (
                    clients(lv.segment(0)),
                    clients(lv.segment(1)),
                    clients(lv.all()),
                );
                assert!(all <= w + a && all >= w.max(a), "{p:?}: {all} of {w} + {a}");
            }
        }
    }
}
