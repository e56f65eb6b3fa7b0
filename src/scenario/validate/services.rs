//! `[[service]]`: ids and segment labels first, so that any entry can refer to any other;
//! then each service — setting, capacity, initial youths, length of stay and other
//! distributions, the queue, where youths go next and the other links between services
//! (overflow, diversion, re-entry, breakdown), and the age limit. A service's `staff` is
//! checked in [`super::staff`], its `tariff` in [`super::finance`].

use crate::timeline::DAYS_PER_YEAR;
use std::collections::HashMap;

use crate::engine::Dist;
use crate::model::{
    Breakdown, CapacityStep, Comeback, Divert, OpenEnded, PathwayNorm, Patience, PlacedLater,
    Reentry, Release, Route, SegmentId, Service, ServiceId, Setting, Target, TimeFn,
};
use crate::scenario::raw::{RawFile, RawPlacedLater, RawQueue, RawService, RawTime, S};

use super::ctx::{
    COUNT_RANGE, Ctx, Part, Recorded, between, count, euros, non_negative, positive, valid_id,
    whole_places,
};
use super::{finance, placement, staff};

/// Age limit when `at_18 = "continue"` and no `max_age` is given: verlengde jeugdhulp
/// can run to 23.
const DEFAULT_MAX_AGE: f64 = 23.0;

/// Default share of diverted youths placed later after all: Families First keeps ~75% of
/// children at home a year after the start (domain-figures §5, S17), so ~25% are placed.
const DEFAULT_PLACED_P: f64 = 0.25;
/// Default mean time (days) from diversion to that placement, exponential: 10–20% (15%)
/// are out of home at the end of the ~5-week programme and 25% after a year, so 60% of
/// the placements fall in the first 35 days: 1 − e^(−35/m) = 0.6 gives m ≈ 38.
const DEFAULT_PLACED_MEAN_DAYS: f64 = 38.0;
/// Default review period of an open-ended contract (a quarter) and its headroom.
const DEFAULT_REVIEW_DAYS: f64 = 91.0;
const DEFAULT_HEADROOM: f64 = 0.1;
/// Default retraining time of staff moving from a closing group, and their cost per FTE
/// a year (ambulatory jeugdhulp €78 an hour [domain-figures §3, S13] × ~1,300 billable
/// hours a year [E]).
const DEFAULT_RETRAIN_DAYS: f64 = 120.0;
const DEFAULT_FTE_COST: f64 = 100_000.0;

/// A service's queue rules: its norm, the norms of pathways entering there, its patience,
/// and the waiting list at the start (youths, mean wait).
type QueueRules = (
    Option<f64>,
    Option<PathwayNorm>,
    Option<Patience>,
    (u32, f64),
);

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
    profiles: &HashMap<String, usize>,
    los_over: Vec<Vec<Option<Dist>>>,
    next_over: Vec<Vec<Option<Vec<Route>>>>,
) -> Vec<Option<Service>> {
    raw.iter()
        .zip(los_over)
        .zip(next_over)
        .map(|((s, los_by_profile), next_by_profile)| {
            let overrides = (los_by_profile, next_by_profile);
            service(cx, s.get_ref(), ids, profiles, overrides)
        })
        .collect()
}

/// A service's per-profile overrides of its stay and its routing.
type Overrides = (Vec<Option<Dist>>, Vec<Option<Vec<Route>>>);

/// One service, checked key by key in the order of the problems reported.
fn service(
    cx: &mut Ctx,
    s: &RawService,
    ids: &Ids,
    profiles: &HashMap<String, usize>,
    (los_by_profile, next_by_profile): Overrides,
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
    let open_ended = open_ended(cx, s, &f);
    let release = release(cx, s, &id, index, &f);
    let priority = match &s.priority {
        Some(p) => *p.get_ref(),
        None => setting == Some(Setting::Crisis),
    };
    let hold_until_next = s.hold_until_next.as_ref().is_some_and(|h| *h.get_ref());
    let overflow_to = overflow_to(cx, s, &id, index, &f);
    let overflow_from = overflow_from(cx, s, &f);
    let divert = divert(cx, s, &id, index, &f);
    let match_to = placement::match_to(cx, s, &id, index, &f);
    let accepts = placement::accepts(cx, s, profiles, next_by_profile.len(), &f);
    let secure = s.secure.as_ref().is_some_and(|x| *x.get_ref());
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
        Ok((norm, pathway_norm, patience, (initial_waiting, initial_waited))),
        Ok(open_ended),
        Ok(release),
        Ok(overflow_to),
        Ok(overflow_from),
        Ok(divert),
        Ok(match_to),
        Ok(accepts),
        Ok(reentry),
        Ok(breakdown),
        Ok(tariff),
        Ok(staff),
    ) = (
        setting,
        los,
        next,
        queue,
        open_ended,
        release,
        overflow_to,
        overflow_from,
        divert,
        match_to,
        accepts,
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
        pathway_norm,
        patience,
        initial_waiting,
        initial_waited,
        priority,
        hold_until_next,
        overflow_to,
        overflow_from,
        divert,
        match_to,
        accepts,
        secure,
        next,
        next_by_profile,
        reentry,
        breakdown,
        // set with the network, once every service is known (`alongside.rs`)
        alongside: None,
        age_limit,
        steps,
        staff,
        open_ended,
        release,
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
        Some(v) => match count(*v.get_ref()) {
            Some(n) => n,
            None => {
                cx.err(
                    v.span(),
                    &f("initial"),
                    format!(
                        "must be a whole number of youths {COUNT_RANGE}, got {}",
                        v.get_ref()
                    ),
                );
                0
            }
        },
    };
    if let (Some(Some(cap)), Some(v), Some(c)) = (capacity, &s.initial, &s.capacity) {
        let c0 = cap.at(0.0);
        if initial as f64 > c0 {
            cx.conflict(
                (
                    v.span(),
                    &f("initial"),
                    format!("{initial} youths in care at the start, but the capacity then is {c0}"),
                ),
                (
                    c.span(),
                    &f("capacity"),
                    format!(
                        "{c0} places at the start, fewer than the {initial} youths in care then \
                         (`initial`)"
                    ),
                ),
            );
        }
    }
    initial
}

/// `queue = { norm, norm_intake, norm_treatment, patience, renege_to, comeback, waiting,
/// waited }`: the norms, who gives up waiting (and whose need comes back) and the waiting
/// list at the start.
fn queue(
    cx: &mut Ctx,
    s: &RawService,
    id: &str,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Result<QueueRules, Recorded> {
    let mut norm = None;
    let mut pathway_norm = None;
    let mut patience = None;
    let mut queue_ok = true;
    let mut start = (0, 0.0);
    if let Some(q) = &s.queue {
        let q = q.get_ref();
        match (&q.waiting, &q.waited) {
            (Some(w), _) if count(*w.get_ref()).is_none() => {
                cx.err(
                    w.span(),
                    &f("queue.waiting"),
                    format!(
                        "must be a whole number of youths {COUNT_RANGE}, got {}",
                        w.get_ref()
                    ),
                );
                queue_ok = false;
            }
            (Some(w), Some(d)) => match non_negative("the mean wait (days)")(*d.get_ref()) {
                Some(m) => {
                    cx.err(d.span(), &f("queue.waited"), m);
                    queue_ok = false;
                }
                None => start = (*w.get_ref() as u32, *d.get_ref()),
            },
            (Some(w), None) => {
                cx.err(
                    w.span(),
                    &f("queue.waiting"),
                    "a starting list needs `waited`: the mean wait (days) it is in, e.g. waited = 84",
                );
                queue_ok = false;
            }
            (None, Some(d)) => {
                cx.err(
                    d.span(),
                    &f("queue.waited"),
                    "`waited` is the mean wait of a starting list: give `waiting` (youths on it) too",
                );
                queue_ok = false;
            }
            (None, None) => {}
        }
        if let Some(n) = &q.norm {
            match positive("the norm (days)")(*n.get_ref()) {
                Some(m) => cx.err(n.span(), &f("queue.norm"), m),
                None => norm = Some(*n.get_ref()),
            }
        }
        let mut stage = |v: &Option<S<f64>>, key: &str| {
            let v = v.as_ref()?;
            match positive("the norm (days)")(*v.get_ref()) {
                Some(m) => {
                    cx.err(v.span(), &f(&format!("queue.{key}")), m);
                    queue_ok = false;
                    None
                }
                None => Some(*v.get_ref()),
            }
        };
        let intake = stage(&q.norm_intake, "norm_intake");
        let treatment = stage(&q.norm_treatment, "norm_treatment");
        match (&q.norm_intake, &q.norm_treatment) {
            (Some(a), None) | (None, Some(a)) => {
                cx.err(
                    a.span(),
                    &f("queue"),
                    "give `norm_intake` and `norm_treatment` together (the treeknorm's two \
                     stages: referral to intake, intake to treatment), or neither",
                );
                queue_ok = false;
            }
            _ => {}
        }
        pathway_norm = match (intake, treatment) {
            (Some(intake), Some(tr)) => Some(PathwayNorm {
                intake,
                treatment: Some(tr),
            }),
            _ => norm.map(|n| PathwayNorm {
                intake: n,
                treatment: None,
            }),
        };
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
                let comeback = comeback(cx, q, to, index, f);
                match (dist, to, comeback) {
                    (Some(dist), Some(renege_to), Ok(comeback)) => {
                        patience = Some(Patience {
                            dist,
                            renege_to,
                            comeback,
                        })
                    }
                    _ => queue_ok = false,
                }
            }
            (None, None) => {}
        }
        if let (None, Some(c)) = (&q.patience, &q.comeback) {
            cx.err(
                c.span(),
                &f("queue.comeback"),
                "`comeback` needs `patience` (how long youths wait before giving up)",
            );
            queue_ok = false;
        }
    }
    if queue_ok {
        Ok((norm, pathway_norm, patience, start))
    } else {
        Err(Recorded)
    }
}

/// `queue.comeback = { p, after, to }`: the need of a youth who gave up waiting and left
/// care (`renege_to` out of care) comes back, more intensive.
fn comeback(
    cx: &mut Ctx,
    q: &RawQueue,
    renege_to: Option<Target>,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Part<Comeback> {
    let Some(c) = &q.comeback else {
        return Ok(None);
    };
    if let Some(Target::Service(_)) = renege_to {
        cx.err(
            c.span(),
            &f("queue.comeback"),
            "`comeback` is for youths who give up and leave care; with `renege_to` a service \
             they are cared for there: leave out `renege_to` or `comeback`",
        );
        return Err(Recorded);
    }
    let cv = c.get_ref();
    let p = *cv.p.get_ref();
    let p_ok = p.is_finite() && (0.0..=1.0).contains(&p);
    if !p_ok {
        cx.err(
            cv.p.span(),
            &f("queue.comeback.p"),
            format!("a probability must be between 0 and 1, got {p}"),
        );
    }
    let after = cx.dist(&cv.after, &f("queue.comeback.after"));
    let to = cx.target(&cv.to, &f("queue.comeback.to"), index, false);
    match (p_ok, after, to) {
        (true, Some(after), Some(Target::Service(to))) => Ok(Some(Comeback { p, after, to })),
        _ => Err(Recorded),
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

/// `overflow_from`: the date `overflow_to` applies from (a day of the horizon); only with
/// `overflow_to`.
fn overflow_from(cx: &mut Ctx, s: &RawService, f: &dyn Fn(&str) -> String) -> Part<f64> {
    let Some(d) = &s.overflow_from else {
        return Ok(None);
    };
    if s.overflow_to.is_none() {
        cx.err(
            d.span(),
            &f("overflow_from"),
            "overflow_from says from when `overflow_to` applies: give overflow_to too, e.g. \
             overflow_to = \"residentieel\"",
        );
        return Err(Recorded);
    }
    match cx.point_day(d, &f("overflow_from")) {
        Some(day) => Ok(Some(day)),
        None => Err(Recorded),
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
            let placed_later = placed_later(cx, dv.placed_later.as_ref(), f);
            match (to, share, placed_later) {
                (Some(Target::Service(to)), Some(share), Ok(placed_later)) => Ok(Some(Divert {
                    to,
                    share,
                    only_if_free: dv.only_if_free.unwrap_or(false),
                    placed_later,
                })),
                _ => Err(Recorded),
            }
        }
    }
}

/// `divert.placed_later = { p, after }`: diverted youths placed after all. Without the key,
/// the sourced default (25%, exponential with a mean of 38 days); `p = 0` switches it off.
fn placed_later(
    cx: &mut Ctx,
    v: Option<&S<RawPlacedLater>>,
    f: &dyn Fn(&str) -> String,
) -> Part<PlacedLater> {
    let Some(v) = v else {
        return Ok(Some(PlacedLater {
            p: DEFAULT_PLACED_P,
            after: Dist::exponential(DEFAULT_PLACED_MEAN_DAYS).map_err(|_| Recorded)?,
        }));
    };
    let v = v.get_ref();
    let p = *v.p.get_ref();
    let p_ok = p.is_finite() && (0.0..=1.0).contains(&p);
    if !p_ok {
        cx.err(
            v.p.span(),
            &f("divert.placed_later.p"),
            format!("a probability must be between 0 and 1, got {p}"),
        );
    }
    let after = match &v.after {
        None => Dist::exponential(DEFAULT_PLACED_MEAN_DAYS).ok(),
        Some(a) => cx.dist(a, &f("divert.placed_later.after")),
    };
    match (p_ok, after) {
        (true, _) if p == 0.0 => Ok(None),
        (true, Some(after)) => Ok(Some(PlacedLater { p, after })),
        _ => Err(Recorded),
    }
}

/// `open_ended = { review_days, headroom, min }`: places that follow demand (P×Q without a
/// ceiling on volume), instead of a capacity path or staff.
fn open_ended(cx: &mut Ctx, s: &RawService, f: &dyn Fn(&str) -> String) -> Part<OpenEnded> {
    let Some(o) = &s.open_ended else {
        return Ok(None);
    };
    let v = o.get_ref();
    let mut ok = true;
    if s.staff.is_some() {
        cx.err(
            o.span(),
            &f("open_ended"),
            "a staffed service's places follow its staff; give `open_ended` or `staff`, not both",
        );
        ok = false;
    }
    if let Some(c) = &s.capacity
        && !matches!(c.get_ref(), RawTime::Const(_))
    {
        cx.err(
            c.span(),
            &f("capacity"),
            "an open-ended service's places follow demand; give its starting places as one number",
        );
        ok = false;
    }
    let review_days = cx.number(
        v.review_days.as_ref(),
        &f("open_ended.review_days"),
        DEFAULT_REVIEW_DAYS,
        &|x| {
            (!(x.is_finite() && x >= 1.0))
                .then(|| format!("the review period must be at least 1 day, got {x}"))
        },
        &mut ok,
    );
    let headroom = cx.number(
        v.headroom.as_ref(),
        &f("open_ended.headroom"),
        DEFAULT_HEADROOM,
        &between("the headroom", 0.0, 10.0),
        &mut ok,
    );
    let min = match &v.min {
        None => 0,
        Some(m) => match count(*m.get_ref()) {
            Some(n) => n,
            None => {
                cx.err(
                    m.span(),
                    &f("open_ended.min"),
                    format!(
                        "must be a whole number of places {COUNT_RANGE}, got {}",
                        m.get_ref()
                    ),
                );
                ok = false;
                0
            }
        },
    };
    if ok {
        Ok(Some(OpenEnded {
            review_days,
            headroom,
            min,
        }))
    } else {
        Err(Recorded)
    }
}

/// `release = { to, fte_per_place, share, retrain_days, fte_cost_per_year }`: staff freed
/// when planned steps close places here. That `to` is staffed is checked with the network.
fn release(
    cx: &mut Ctx,
    s: &RawService,
    id: &str,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Part<Release> {
    let Some(r) = &s.release else {
        return Ok(None);
    };
    let v = r.get_ref();
    let mut ok = true;
    let to = if v.to.get_ref() == id {
        cx.err(
            v.to.span(),
            &f("release.to"),
            "staff freed here must move to another service",
        );
        None
    } else {
        cx.target(&v.to, &f("release.to"), index, false)
    };
    let fte_per_place = cx.number(
        Some(&v.fte_per_place),
        &f("release.fte_per_place"),
        0.0,
        &positive("FTE per place"),
        &mut ok,
    );
    let share = cx.number(
        Some(&v.share),
        &f("release.share"),
        0.0,
        &between("a share", 0.0, 1.0),
        &mut ok,
    );
    let retrain_days = cx.number(
        v.retrain_days.as_ref(),
        &f("release.retrain_days"),
        DEFAULT_RETRAIN_DAYS,
        &non_negative("retrain_days"),
        &mut ok,
    );
    let fte_cost_per_year = cx.number(
        v.fte_cost_per_year.as_ref(),
        &f("release.fte_cost_per_year"),
        DEFAULT_FTE_COST,
        &euros("a cost"),
        &mut ok,
    );
    match to {
        Some(Target::Service(to)) if ok => Ok(Some(Release {
            to,
            fte_per_place,
            share,
            retrain_days,
            fte_cost_per_year,
        })),
        _ => Err(Recorded),
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
            let way_back = placement::way_back(cx, rv.way_back.as_ref(), index, f);
            match (p_ok, after, to, way_back) {
                (true, Some(after), Some(Target::Service(to)), Ok(way_back)) => Ok(Some(Reentry {
                    p,
                    after,
                    to,
                    way_back,
                })),
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
