//! Where the youths a service holds back would have gone after their stay there: the
//! routes along which [`super::decompose`] passes youths held back upstream on to the
//! services that follow.
//!
//! A youth leaving a service goes where its profile's override of the service's `next`
//! says (`[[profile]] next = { service = [...] }`), else by the service's own `next`. So the
//! share of the youths held back at a service that each route takes is the route's
//! probability weighted by the profiles of the youths referred there: of each profile, the
//! share of the referrals the inflows send to the service (at that time: rates, trends and
//! shifts), a profile drawn by the profile shares for an inflow that names none. A service
//! no inflow refers to directly takes the profile shares. The HSJ network's triage of the
//! default is such a service: its youths of the wonen profiles go on to foster care, a
//! family home or a group, the others to the explanatory analysis.

use crate::model::{Model, Target, TimeFn};

/// One branch of a service's routes: to a matched service, with its probability, for
/// one profile (`Some`) or for every profile without an override (`None`).
struct Branch<'a> {
    to: usize,
    p: &'a TimeFn,
    profile: Option<usize>,
}

/// Which part of an inflow's referrals a service receives.
#[derive(Clone, Copy)]
enum Part {
    /// Those not shifted elsewhere.
    Kept,
    /// Those shifted here.
    Shifted,
}

/// The routes of the matched services of one model.
pub(super) struct Routes<'a> {
    model: &'a Model,
    /// Per matched service: its branches.
    branches: Vec<Vec<Branch<'a>>>,
    /// Per matched service: the profiles with an override of its routes.
    overridden: Vec<Vec<usize>>,
    /// Per matched service with a profile's override: the inflows referring to it.
    inflows: Vec<Vec<(usize, Part)>>,
}

impl<'a> Routes<'a> {
    /// The routes of `model`'s services `matched` (model indices, in the decomposition's
    /// order); a route to a service not matched is left out.
    pub fn new(model: &'a Model, matched: &[usize]) -> Routes<'a> {
        let to_matched = |routes: &'a [crate::model::Route], profile: Option<usize>| {
            routes.iter().filter_map(move |route| match route.to {
                Target::Service(to) => {
                    matched
                        .iter()
                        .position(|&b| b == to.0 as usize)
                        .map(|k| Branch {
                            to: k,
                            p: &route.p,
                            profile,
                        })
                }
                Target::Exit => None,
            })
        };
        let branches: Vec<Vec<Branch>> = matched
            .iter()
            .map(|&b| {
                let svc = &model.services[b];
                let overrides = svc
                    .next_by_profile
                    .iter()
                    .enumerate()
                    .filter_map(|(p, r)| Some((p, r.as_deref()?)))
                    .flat_map(|(p, r)| to_matched(r, Some(p)));
                to_matched(&svc.next, None).chain(overrides).collect()
            })
            .collect();
        let overridden = matched
            .iter()
            .map(|&b| {
                let by_profile = &model.services[b].next_by_profile;
                (0..by_profile.len())
                    .filter(|&p| by_profile[p].is_some())
                    .collect()
            })
            .collect();
        let inflows = matched
            .iter()
            .map(|&b| {
                if model.services[b]
                    .next_by_profile
                    .iter()
                    .all(Option::is_none)
                {
                    return Vec::new();
                }
                let mut v = Vec::new();
                for (i, f) in model.inflows.iter().enumerate() {
                    if f.to.0 as usize == b {
                        v.push((i, Part::Kept));
                    }
                    if f.shift.as_ref().is_some_and(|sh| sh.to.0 as usize == b) {
                        v.push((i, Part::Shifted));
                    }
                }
                v
            })
            .collect();
        Routes {
            model,
            branches,
            overridden,
            inflows,
        }
    }

    /// Each route of matched service `j` at time `t`: `f(matched service, share)`.
    pub fn each(&self, j: usize, t: f64, mut f: impl FnMut(usize, f64)) {
        for br in &self.branches[j] {
            let q = br.p.at(t) * self.profile_share(j, br.profile, t);
            if q > 0.0 {
                f(br.to, q);
            }
        }
    }

    /// The share of the youths referred to matched service `j` at `t` that are of
    /// `profile`, or (`None`) of a profile without an override of its routes.
    fn profile_share(&self, j: usize, profile: Option<usize>, t: f64) -> f64 {
        match profile {
            Some(p) => self.share_of(j, p, t),
            None => {
                let overridden: f64 = self.overridden[j]
                    .iter()
                    .map(|&p| self.share_of(j, p, t))
                    .sum();
                (1.0 - overridden).max(0.0)
            }
        }
    }

    /// The share of profile `p` among the referrals the inflows send to matched service
    /// `j` at `t`; the profile's share when none do.
    fn share_of(&self, j: usize, p: usize, t: f64) -> f64 {
        let model = self.model;
        let drawn = model.profiles.get(p).map_or(0.0, |pr| pr.share);
        let (mut all, mut of_p) = (0.0, 0.0);
        for &(i, part) in &self.inflows[j] {
            let f = &model.inflows[i];
            let shifted = f.shift.as_ref().map_or(0.0, |sh| sh.share.at(t));
            let rate = f.per_day.at(t)
                * f.trend.at(t)
                * match part {
                    Part::Kept => 1.0 - shifted,
                    Part::Shifted => shifted,
                };
            all += rate;
            of_p += rate
                * match f.profile {
                    Some(q) => f64::from(u8::from(q.0 as usize == p)),
                    None => drawn,
                };
        }
        if all > 0.0 { of_p / all } else { drawn }
    }

    /// The matched services in an order where every route goes to a later one, as far as
    /// the routes have no cycle (Kahn's algorithm); a cycle is broken at its service of
    /// the lowest index.
    pub fn order(&self) -> Vec<usize> {
        let n = self.branches.len();
        let mut into = vec![0usize; n];
        for b in self.branches.iter().flatten() {
            into[b.to] += 1;
        }
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = (0..n)
                .find(|&j| !done[j] && into[j] == 0)
                .or_else(|| (0..n).find(|&j| !done[j]))
                .unwrap_or(0);
            done[next] = true;
            order.push(next);
            for b in &self.branches[next] {
                into[b.to] = into[b.to].saturating_sub(1);
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Source, load};

    #[test]
    fn the_triage_sends_each_profile_where_it_goes_in_the_share_of_its_referrals() {
        let model = load(&Source::builtin()).unwrap();
        let all: Vec<usize> = (0..model.services.len()).collect();
        let id = |name: &str| model.services.iter().position(|s| s.id == name).unwrap();
        let routes = Routes::new(&model, &all);
        let shares = |t: f64| {
            let mut v = vec![0.0; all.len()];
            routes.each(id("hsj-triage"), t, |k, q| v[k] += q);
            v
        };
        // mid-2026: 560 MCP referrals a year to the analysis, the wonen profiles' 76, 13 and
        // 417 to foster care, family homes and groups (the same trend on all four)
        let mid = |year: i16| {
            let (_, p) = model
                .timeline
                .years
                .iter()
                .find(|(y, _)| *y == year)
                .unwrap();
            (p.start + p.end) / 2.0
        };
        let v = shares(mid(2026));
        let n = 560.0 + 76.0 + 13.0 + 417.0;
        for (to, of) in [
            ("hsj-va", 560.0),
            ("pleegzorg", 76.0),
            ("gezinshuis", 13.0),
            ("residentieel", 417.0),
        ] {
            assert!((v[id(to)] - of / n).abs() < 1e-9, "{to}: {}", v[id(to)]);
        }
        assert!((v.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // in 2024 nobody is referred to the triage: the profile shares (every inflow
        // without a profile is `regulier`, which takes the triage's own `next`)
        let v = shares(mid(2024));
        assert_eq!(v[id("hsj-va")], 1.0);
        assert_eq!(v.iter().sum::<f64>(), 1.0);
        // upstream first
        let order = routes.order();
        let rank = |name: &str| order.iter().position(|&j| j == id(name)).unwrap();
        assert!(rank("hsj-triage") < rank("hsj-va"));
        assert!(rank("hsj-va") < rank("hsj-ambulant"));
        assert!(rank("hsj-triage") < rank("residentieel"));
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, all);
    }
}
