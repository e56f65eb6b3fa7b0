//! `[[service]]`: ids and segment labels first, so that any entry can refer to any other;
//! then each service — setting, capacity, initial youths, length of stay and other
//! distributions, the queue, where youths go next and the other links between services
//! (overflow, diversion, re-entry, breakdown), and the age limit. A service's `staff` is
//! checked in [`super::staff`], its `tariff` in [`super::finance`].

use crate::timeline::DAYS_PER_YEAR;
use std::collections::HashMap;

use crate::engine::Dist;
use crate::model::{
    Breakdown, CapacityStep, Divert, Patience, Reentry, Route, SegmentId, Service, ServiceId,
    Setting, Target, TimeFn,
};
use crate::scenario::raw::{RawFile, RawService, S};

use super::ctx::{Ctx, Part, Recorded, positive, valid_id, whole_places};
use super::{finance, staff};

/// Age limit when `at_18 = "continue"` and no `max_age` is given: verlengde jeugdhulp
/// can run to 23.
const DEFAULT_MAX_AGE: f64 = 23.0;

/// How the other sections refer to services and segments.
pub(super) struct Ids {
    /// Service id → its entry number: the position of its `[[service]]`, from 0, whether
    /// or not the entry itself is valid.
    pub(super) index: HashMap<String, usize>,
    /// Segment labels, in order of first appearance.
    pub(super) segments: Vec<String>,
}

/// The ids and segment labels of every `[[service]]`, and that there is one.
pub(super) fn ids(cx: &mut Ctx, raw: &RawFile) -> Ids {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut segments: Vec<String> = Vec::new();
    for (i, s) in raw.service.iter().enumerate() {
        let s = s.get_ref();
        let id = s.id.get_ref();
        if !valid_id(id) || id == "exit" || id == "all" {
            cx.err(
                s.id.span(),
                &format!("service #{}.id", i + 1),
                format!("\"{id}\" is not a usable id; use letters, digits, '-' and '_' (not \"exit\" or \"all\")"),
            );
        } else if index.insert(id.clone(), i).is_some() {
            cx.err(
                s.id.span(),
                &format!("service '{id}'.id"),
                format!("duplicate service id \"{id}\""),
            );
        }
        let seg = s.segment.get_ref();
        if !valid_id(seg) || seg == "all" {
            cx.err(
                s.segment.span(),
                &format!("service '{id}'.segment"),
                format!("\"{seg}\" is not a usable segment label; use letters, digits, '-' and '_' (not \"all\")"),
            );
        } else if !segments.contains(seg) {
            segments.push(seg.clone());
        }
    }
    if raw.service.is_empty() {
        cx.err(
            raw.scenario.span(),
            "service",
            "a scenario needs at least one [[service]]",
        );
    }
    Ids { index, segments }
}

/// Every `[[service]]`, by entry number: `None` for an entry with a problem (recorded).
/// `los_over` and `next_over` are the `[[profile]]` overrides, by entry number too.
pub(super) fn services(
    cx: &mut Ctx,
    raw: &[S<RawService>],
    ids: &Ids,
    los_over: Vec<Vec<Option<Dist>>>,
    next_over: Vec<Vec<Option<Vec<Route>>>>,
) -> Vec<Option<Service>> {
    raw.iter()
        .zip(los_over)
        .zip(next_over)
        .map(|((s, los_by_profile), next_by_profile)| {
            service(cx, s.get_ref(), ids, los_by_profile, next_by_profile)
        })
        .collect()
}

/// One service, checked key by key in the order of the problems reported.
fn service(
    cx: &mut Ctx,
    s: &RawService,
    ids: &Ids,
    los_by_profile: Vec<Option<Dist>>,
    next_by_profile: Vec<Option<Vec<Route>>>,
) -> Option<Service> {
    let index = &ids.index;
    let id = s.id.get_ref().clone();
    let f = |k: &str| format!("service '{id}'.{k}");
    let setting = Setting::parse(s.setting.get_ref());
    if setting.is_none() {
        cx.err(
            s.setting.span(),
            &f("setting"),
            format!(
                "unknown setting \"{}\"; allowed: {}",
                s.setting.get_ref(),
                Setting::NAMES
            ),
        );
    }
    let capacity = s
        .capacity
        .as_ref()
        .map(|c| cx.time_fn(c, &f("capacity"), false, &whole_places));
    let initial = initial(cx, s, &capacity, &f);
    let los = cx.dist(&s.los, &f("los"));
    let max_stay =
        s.max_stay
            .as_ref()
            .and_then(|v| match positive("max_stay (days)")(*v.get_ref()) {
                Some(m) => {
                    cx.err(v.span(), &f("max_stay"), m);
                    None
                }
                None => Some(*v.get_ref()),
            });
    let queue = queue(cx, s, &id, index, &f);
    let priority = match &s.priority {
        Some(p) => *p.get_ref(),
        None => setting == Some(Setting::Crisis),
    };
    let hold_until_next = s.hold_until_next.as_ref().is_some_and(|h| *h.get_ref());
    let overflow_to = overflow_to(cx, s, &id, index, &f);
    let divert = divert(cx, s, &id, index, &f);
    let reentry = reentry(cx, s, index, &f);
    let breakdown = breakdown(cx, s, &id, index, &f);
    let age_limit = age_limit(cx, s, &f);
    let tariff = finance::tariff(cx, s.tariff.as_ref(), &f);
    let staff = staff::staff(cx, s, initial, &f);
    let next = match &s.next {
        None => Some(Vec::new()),
        Some(list) => cx.routes(list, &f("next"), index),
    };
    // every key is checked; build the service only if all are right
    let capacity = match capacity {
        Some(None) => return None,
        c => c.flatten(),
    };
    let (
        Some(setting),
        Some(los),
        Some(next),
        Ok((norm, patience)),
        Ok(overflow_to),
        Ok(divert),
        Ok(reentry),
        Ok(breakdown),
        Ok(tariff),
        Ok(staff),
    ) = (
        setting,
        los,
        next,
        queue,
        overflow_to,
        divert,
        reentry,
        breakdown,
        tariff,
        staff,
    )
    else {
        return None;
    };
    let steps = capacity
        .as_ref()
        .map(|c| {
            c.knots()
                .iter()
                .filter(|(t, _)| *t > 0.0)
                .map(|&(at, v)| CapacityStep {
                    at,
                    value: v as u32,
                    gate: None,
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Service {
        name: s.name.clone().unwrap_or_else(|| id.clone()),
        segment: SegmentId(
            ids.segments
                .iter()
                .position(|g| g == s.segment.get_ref())
                .unwrap_or(0) as u16,
        ),
        id,
        setting,
        capacity,
        initial,
        los,
        los_by_profile,
        max_stay,
        norm,
        patience,
        priority,
        hold_until_next,
        overflow_to,
        divert,
        next,
        next_by_profile,
        reentry,
        breakdown,
        age_limit,
        steps,
        staff,
        tariff,
    })
}

/// `initial`: youths in care at the start, no more than the capacity then.
fn initial(
    cx: &mut Ctx,
    s: &RawService,
    capacity: &Option<Option<TimeFn>>,
    f: &dyn Fn(&str) -> String,
) -> u32 {
    let initial = match &s.initial {
        None => 0,
        Some(v) if (0..=10_000_000).contains(v.get_ref()) => *v.get_ref() as u32,
        Some(v) => {
            cx.err(
                v.span(),
                &f("initial"),
                format!(
                    "must be a whole number of youths, at least 0, got {}",
                    v.get_ref()
                ),
            );
            0
        }
    };
    if let (Some(Some(cap)), Some(v)) = (capacity, &s.initial) {
        let c0 = cap.at(0.0);
        if initial as f64 > c0 {
            cx.err(
                v.span(),
                &f("initial"),
                format!("{initial} youths in care at the start, but the capacity then is {c0}"),
            );
        }
    }
    initial
}

/// `queue = { norm, patience, renege_to }`: the norm and who gives up waiting.
fn queue(
    cx: &mut Ctx,
    s: &RawService,
    id: &str,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Result<(Option<f64>, Option<Patience>), Recorded> {
    let mut norm = None;
    let mut patience = None;
    let mut queue_ok = true;
    if let Some(q) = &s.queue {
        let q = q.get_ref();
        if let Some(n) = &q.norm {
            match positive("the norm (days)")(*n.get_ref()) {
                Some(m) => cx.err(n.span(), &f("queue.norm"), m),
                None => norm = Some(*n.get_ref()),
            }
        }
        match (&q.patience, &q.renege_to) {
            (None, Some(r)) => {
                cx.err(
                    r.span(),
                    &f("queue.renege_to"),
                    "`renege_to` needs `patience` (how long youths wait before giving up)",
                );
                queue_ok = false;
            }
            (Some(pd), r) => {
                let dist = cx.dist(pd, &f("queue.patience"));
                let to = match r {
                    None => Some(Target::Exit),
                    Some(r) if r.get_ref() == id => {
                        cx.err(
                            r.span(),
                            &f("queue.renege_to"),
                            "youths who give up waiting cannot be referred to the same service",
                        );
                        None
                    }
                    Some(r) => cx.target(r, &f("queue.renege_to"), index, true),
                };
                match (dist, to) {
                    (Some(dist), Some(renege_to)) => patience = Some(Patience { dist, renege_to }),
                    _ => queue_ok = false,
                }
            }
            (None, None) => {}
        }
    }
    if queue_ok {
        Ok((norm, patience))
    } else {
        Err(Recorded)
    }
}

/// `overflow_to`: another service to go to when this one is full.
fn overflow_to(
    cx: &mut Ctx,
    s: &RawService,
    id: &str,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Part<ServiceId> {
    match &s.overflow_to {
        None => Ok(None),
        Some(o) if o.get_ref() == id => {
            cx.err(
                o.span(),
                &f("overflow_to"),
                "a service cannot overflow to itself",
            );
            Err(Recorded)
        }
        Some(o) => match cx.target(o, &f("overflow_to"), index, false) {
            Some(Target::Service(x)) => Ok(Some(x)),
            _ => Err(Recorded),
        },
    }
}

/// `divert = { to, share, only_if_free }`: a share of referrals sent elsewhere.
fn divert(
    cx: &mut Ctx,
    s: &RawService,
    id: &str,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Part<Divert> {
    match &s.divert {
        None => Ok(None),
        Some(d) => {
            let dv = d.get_ref();
            let to = if dv.to.get_ref() == id {
                cx.err(
                    dv.to.span(),
                    &f("divert.to"),
                    "a service cannot divert to itself",
                );
                None
            } else {
                cx.target(&dv.to, &f("divert.to"), index, false)
            };
            let share = cx.time_fn(&dv.share, &f("divert.share"), true, &|x| {
                (!(x.is_finite() && (0.0..=1.0).contains(&x)))
                    .then(|| format!("a share must be between 0 and 1, got {x}"))
            });
            match (to, share) {
                (Some(Target::Service(to)), Some(share)) => Ok(Some(Divert {
                    to,
                    share,
                    only_if_free: dv.only_if_free.unwrap_or(false),
                })),
                _ => Err(Recorded),
            }
        }
    }
}

/// `reentry = { p, after, to }`: a return to care after exit.
fn reentry(
    cx: &mut Ctx,
    s: &RawService,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Part<Reentry> {
    match &s.reentry {
        None => Ok(None),
        Some(r) => {
            let rv = r.get_ref();
            let p = *rv.p.get_ref();
            let p_ok = p.is_finite() && (0.0..=1.0).contains(&p);
            if !p_ok {
                cx.err(
                    rv.p.span(),
                    &f("reentry.p"),
                    format!("a probability must be between 0 and 1, got {p}"),
                );
            }
            let after = cx.dist(&rv.after, &f("reentry.after"));
            let to = cx.target(&rv.to, &f("reentry.to"), index, false);
            match (p_ok, after, to) {
                (true, Some(after), Some(Target::Service(to))) => {
                    Ok(Some(Reentry { p, after, to }))
                }
                _ => Err(Recorded),
            }
        }
    }
}

/// `breakdown = { per_year, to }`: a placement ending early, the youth moving on.
fn breakdown(
    cx: &mut Ctx,
    s: &RawService,
    id: &str,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Part<Breakdown> {
    match &s.breakdown {
        None => Ok(None),
        Some(b) => {
            let bv = b.get_ref();
            let rate = *bv.per_year.get_ref();
            let rate_ok = rate.is_finite() && rate > 0.0;
            if !rate_ok {
                cx.err(
                    bv.per_year.span(),
                    &f("breakdown.per_year"),
                    format!("the breakdown rate per year must be greater than 0, got {rate}"),
                );
            }
            let to = if bv.to.get_ref() == id {
                cx.err(
                    bv.to.span(),
                    &f("breakdown.to"),
                    "a broken-down placement must move the youth to another service",
                );
                None
            } else {
                cx.target(&bv.to, &f("breakdown.to"), index, false)
            };
            match (rate_ok, to) {
                (true, Some(Target::Service(to))) => Ok(Some(Breakdown {
                    per_day: rate / DAYS_PER_YEAR,
                    to,
                })),
                _ => Err(Recorded),
            }
        }
    }
}

/// `at_18` and `max_age`: the age at which care here ends.
fn age_limit(cx: &mut Ctx, s: &RawService, f: &dyn Fn(&str) -> String) -> f64 {
    let continue_after_18 = match &s.at_18 {
        None => true,
        Some(a) => match a.get_ref().as_str() {
            "continue" => true,
            "exit" => false,
            other => {
                cx.err(
                    a.span(),
                    &f("at_18"),
                    format!("unknown value \"{other}\"; allowed: continue, exit"),
                );
                true
            }
        },
    };
    match &s.max_age {
        None if continue_after_18 => DEFAULT_MAX_AGE,
        None => 18.0,
        Some(m) => {
            let x = *m.get_ref();
            if !continue_after_18 {
                cx.err(
                    m.span(),
                    &f("max_age"),
                    "`max_age` applies only with at_18 = \"continue\"",
                );
            } else if !(x.is_finite() && (18.0..=30.0).contains(&x)) {
                cx.err(
                    m.span(),
                    &f("max_age"),
                    format!("max_age must be between 18 and 30 years, got {x}"),
                );
            }
            x
        }
    }
}
