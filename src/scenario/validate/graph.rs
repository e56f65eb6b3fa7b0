//! The network as a whole, once every service is valid: each service is reached (by an
//! inflow, a link from another service, or its `initial` youths), overflow chains end, and
//! from each service youths can leave care.

use std::collections::VecDeque;

use crate::model::{Inflow, Patience, Service, Target};
use crate::scenario::raw::{RawService, S};

use super::ctx::Ctx;

/// Checks the network of `services` (which match `raw` entry by entry).
pub(super) fn check(cx: &mut Ctx, raw: &[S<RawService>], services: &[Service], inflows: &[Inflow]) {
    let reach = reachable(services, inflows);
    overflow_cycles(cx, raw, services);
    let exits = can_leave(services);
    for ((s, reach), exits) in raw.iter().zip(reach).zip(exits) {
        let s = s.get_ref();
        let id = s.id.get_ref();
        if !reach {
            cx.err(
                s.id.span(),
                &format!("service '{id}'"),
                "is never reached: no inflow goes to it, no `next` with p > 0 leads to it, and it has no `initial` youths",
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

/// Every way a youth can move from one service to another.
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
    e.extend(
        svc.reentry
            .as_ref()
            .filter(|r| r.p > 0.0)
            .map(|r| r.to.0 as usize),
    );
    e.extend(svc.breakdown.as_ref().map(|b| b.to.0 as usize));
    if let Some(Patience {
        renege_to: Target::Service(j),
        ..
    }) = &svc.patience
    {
        e.push(j.0 as usize);
    }
    e
}

/// Which services youths can get to: from the inflows and the youths in care at the start.
fn reachable(services: &[Service], inflows: &[Inflow]) -> Vec<bool> {
    let n = services.len();
    let mut reach = vec![false; n];
    let mut todo: VecDeque<usize> = inflows.iter().map(|f| f.to.0 as usize).collect();
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

/// From which services youths can leave care: a chain of `next` branches with p > 0 leads
/// to exit (or a service has no `next`: the stay ends in exit).
fn can_leave(services: &[Service]) -> Vec<bool> {
    let n = services.len();
    let mut exits = vec![false; n];
    loop {
        let mut changed = false;
        for i in 0..n {
            if exits[i] {
                continue;
            }
            let svc = &services[i];
            let next = &svc.next;
            let ok = next.is_empty()
                || next
                    .iter()
                    .chain(svc.next_by_profile.iter().flatten().flatten())
                    .any(|r| {
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
