//! The network as a whole, once every service is valid: each service is reached (by an
//! inflow, a link from another service, or its `initial` youths), overflow chains end, and
//! from each service youths can leave care.

use std::collections::VecDeque;

use crate::model::{Inflow, Patience, Route, Service, Target};
use crate::scenario::raw::{RawProfile, RawService, S};

use super::ctx::Ctx;

/// Checks the network of `services` (which match `raw` entry by entry), with the routes
/// of each of the `profiles`.
pub(super) fn check(
    cx: &mut Ctx,
    raw: &[S<RawService>],
    profiles: &[S<RawProfile>],
    services: &[Service],
    inflows: &[Inflow],
) {
    let reach = reachable(services, inflows);
    overflow_cycles(cx, raw, services);
    profiles_can_leave(cx, profiles, services);
    // any branch of any profile counts here: a profile's own routes are checked apart
    let exits = can_leave(services, None);
    for ((s, reach), exits) in raw.iter().zip(reach).zip(exits) {
        let s = s.get_ref();
        let id = s.id.get_ref();
        // a service paid per place that no youth reaches is a fixed cost of its own (a
        // prevention team in the voorveld): its places cost whether used or not
        let fixed_cost = s
            .tariff
            .as_ref()
            .is_some_and(|t| t.get_ref().per_place_per_year.is_some());
        if !reach && !fixed_cost {
            cx.err(
                s.id.span(),
                &format!("service '{id}'"),
                "is never reached: no inflow goes to it, no `next` with p > 0 leads to it, and it has no `initial` youths (a service paid only per place, `per_place_per_year`, may stand as a fixed cost)",
            );
        }
        if !exits {
            cx.err(
                s.id.span(),
                &format!("service '{id}'.next"),
                "youths here can never leave care: no chain of `next` branches with p > 0 leads to \"exit\"",
            );
        }
    }
}

/// Every way a youth can move from one service to another (or start care at another, with
/// care alongside).
fn edges(svc: &Service) -> Vec<usize> {
    let routes = svc
        .next
        .iter()
        .chain(svc.next_by_profile.iter().flatten().flatten());
    let mut e: Vec<usize> = routes
        .filter(|r| r.p.max_on(0.0, f64::INFINITY) > 0.0)
        .filter_map(|r| match r.to {
            Target::Service(j) => Some(j.0 as usize),
            Target::Exit => None,
        })
        .collect();
    e.extend(svc.overflow_to.map(|o| o.0 as usize));
    e.extend(svc.divert.as_ref().map(|d| d.to.0 as usize));
    e.extend(svc.match_to.iter().map(|m| m.0 as usize));
    if let Some(r) = svc.reentry.as_ref().filter(|r| r.p > 0.0) {
        e.push(r.to.0 as usize);
        e.extend(r.way_back.and_then(|w| w.to).map(|j| j.0 as usize));
    }
    e.extend(svc.breakdown.as_ref().map(|b| b.to.0 as usize));
    // care alongside reaches its service (the youth itself stays where it is)
    e.extend(svc.alongside.filter(|a| a.p > 0.0).map(|a| a.to.0 as usize));
    if let Some(Patience {
        renege_to: Target::Service(j),
        ..
    }) = &svc.patience
    {
        e.push(j.0 as usize);
    }
    if let Some(c) = svc
        .patience
        .as_ref()
        .and_then(|p| p.comeback.as_ref())
        .filter(|c| c.p > 0.0)
    {
        e.push(c.to.0 as usize);
    }
    e
}

/// Which services youths can get to: from the inflows and the youths in care at the start.
fn reachable(services: &[Service], inflows: &[Inflow]) -> Vec<bool> {
    let n = services.len();
    let mut reach = vec![false; n];
    let mut todo: VecDeque<usize> = inflows.iter().map(|f| f.to.0 as usize).collect();
    todo.extend(
        inflows
            .iter()
            .filter_map(|f| f.shift.as_ref())
            .map(|s| s.to.0 as usize),
    );
    todo.extend((0..n).filter(|&i| services[i].initial > 0));
    while let Some(i) = todo.pop_front() {
        if std::mem::replace(&mut reach[i], true) {
            continue;
        }
        todo.extend(edges(&services[i]));
    }
    reach
}

/// Overflow chains must end: a cycle would send a youth round for ever when all are full.
fn overflow_cycles(cx: &mut Ctx, raw: &[S<RawService>], services: &[Service]) {
    let n = services.len();
    for (i, (svc, s)) in services.iter().zip(raw).enumerate() {
        let mut at = svc.overflow_to;
        let mut steps = 0;
        while let Some(j) = at {
            if j.0 as usize == i {
                let o = s.get_ref().overflow_to.as_ref().map_or(0..0, |o| o.span());
                cx.err(
                    o,
                    &format!("service '{}'.overflow_to", svc.id),
                    "overflow services form a cycle back to this service",
                );
                break;
            }
            steps += 1;
            if steps > n {
                break;
            }
            at = services[j.0 as usize].overflow_to;
        }
    }
}

/// The same rule for the youths of each profile, on the routes they follow: the profile's
/// `next` where it overrides a service's, the service's own elsewhere. A problem is
/// reported at an override, as a cycle with no way out that the service-level routes do
/// not have must pass through one.
fn profiles_can_leave(cx: &mut Ctx, profiles: &[S<RawProfile>], services: &[Service]) {
    for (pi, p) in profiles.iter().enumerate() {
        let exits = can_leave(services, Some(pi));
        let p = p.get_ref();
        let pid = p.id.get_ref();
        for (svc, exits) in services.iter().zip(exits) {
            let written = p.next.as_ref().and_then(|n| n.get(&svc.id));
            let own = svc.next_by_profile.get(pi).is_some_and(Option::is_some);
            if let (false, true, Some(list)) = (exits, own, written) {
                cx.err(
                    list.span(),
                    &format!("profile '{pid}'.next.{}", svc.id),
                    format!(
                        "youths of profile '{pid}' at service '{}' can never leave care: no \
                         chain of `next` branches with p > 0 (this profile's where it gives \
                         them, the service's elsewhere) leads to \"exit\"",
                        svc.id
                    ),
                );
            }
        }
    }
}

/// The routes out of `svc`: whether there are none (the stay ends in exit), and each
/// branch — of profile `profile` (its own where it has them, else the service's), or with
/// `None` the service's and every profile's.
fn routes(svc: &Service, profile: Option<usize>) -> (bool, Vec<&Route>) {
    match profile {
        None => (
            svc.next.is_empty(),
            svc.next
                .iter()
                .chain(svc.next_by_profile.iter().flatten().flatten())
                .collect(),
        ),
        Some(k) => {
            let r = svc
                .next_by_profile
                .get(k)
                .and_then(Option::as_ref)
                .unwrap_or(&svc.next);
            (r.is_empty(), r.iter().collect())
        }
    }
}

/// From which services youths (of `profile`, see [`routes`]) can leave care: a chain of
/// branches with p > 0 leads to exit (or a service has no `next`: the stay ends in exit).
fn can_leave(services: &[Service], profile: Option<usize>) -> Vec<bool> {
    let n = services.len();
    let mut exits = vec![false; n];
    loop {
        let mut changed = false;
        for i in 0..n {
            if exits[i] {
                continue;
            }
            let (none, out) = routes(&services[i], profile);
            let ok = none
                || out.iter().any(|r| {
                    r.p.max_on(0.0, f64::INFINITY) > 0.0
                        && match r.to {
                            Target::Exit => true,
                            Target::Service(j) => exits[j.0 as usize],
                        }
                });
            if ok {
                exits[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    exits
}
