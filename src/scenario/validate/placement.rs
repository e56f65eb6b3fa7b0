//! Where a referral is placed besides its own service: matching a referral for a group to
//! a family-like place (`match_to`, and the `accepts` rule each such place carries),
//! secure care (`secure`: a court-ordered youth never goes to an open group's list), and
//! the easy way back of a quick return (`reentry.way_back`).

use std::collections::HashMap;

use crate::model::{Accepts, Service, ServiceId, Target, WayBack};
use crate::scenario::raw::{RawAccepts, RawService, RawWayBack, S};

use super::ctx::{Ctx, Part, Recorded, between, positive};

/// The widest age range a rule may give, years (inflow ages run 0–30 too).
const MAX_AGE: f64 = 30.0;

/// `match_to = ["pleegzorg", "gezinshuis"]`: the family-like places a referral here is
/// placed in first. That each has an `accepts` rule is checked with the network
/// ([`network`]).
pub(super) fn match_to(
    cx: &mut Ctx,
    s: &RawService,
    id: &str,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Result<Vec<ServiceId>, Recorded> {
    let Some(list) = &s.match_to else {
        return Ok(Vec::new());
    };
    let mut out: Vec<ServiceId> = Vec::new();
    let mut ok = true;
    for (k, to) in list.get_ref().iter().enumerate() {
        let field = f(&format!("match_to[{}]", k + 1));
        if to.get_ref() == id {
            cx.err(
                to.span(),
                &field,
                "a referral cannot be matched to the service it was referred to",
            );
            ok = false;
            continue;
        }
        match cx.target(to, &field, index, false) {
            Some(Target::Service(j)) if out.contains(&j) => {
                cx.err(
                    to.span(),
                    &field,
                    format!("\"{}\" is listed twice", to.get_ref()),
                );
                ok = false;
            }
            Some(Target::Service(j)) => out.push(j),
            _ => ok = false,
        }
    }
    if ok { Ok(out) } else { Err(Recorded) }
}

/// `accepts = { age = { min, max }, share, profiles = { mcp = 0.2 } }`: whom a family-like
/// place takes when a referral for a group is matched to it — ages `min` to `max`
/// (inclusive, whole years at placement, as an inflow's `age`) and a share of each
/// profile's youths (`share`, or the profile's own).
pub(super) fn accepts(
    cx: &mut Ctx,
    s: &RawService,
    profiles: &HashMap<String, usize>,
    n_profiles: usize,
    f: &dyn Fn(&str) -> String,
) -> Part<Accepts> {
    let Some(a) = &s.accepts else {
        return Ok(None);
    };
    let a: &RawAccepts = a.get_ref();
    let mut ok = true;
    let share = cx.number(
        Some(&a.share),
        &f("accepts.share"),
        0.0,
        &between("a share", 0.0, 1.0),
        &mut ok,
    );
    let (age_min, age_max) = match &a.age {
        None => (0.0, MAX_AGE + 1.0),
        Some(age) => {
            let age = age.get_ref();
            let lo = cx.number(
                Some(&age.min),
                &f("accepts.age.min"),
                0.0,
                &between("an age", 0.0, MAX_AGE),
                &mut ok,
            );
            let hi = cx.number(
                Some(&age.max),
                &f("accepts.age.max"),
                0.0,
                &between("an age", 0.0, MAX_AGE),
                &mut ok,
            );
            if ok && hi < lo {
                cx.err(
                    age.max.span(),
                    &f("accepts.age.max"),
                    format!("the oldest age ({hi}) is below the youngest ({lo})"),
                );
                ok = false;
            }
            (lo, hi + 1.0)
        }
    };
    let mut by_profile = vec![share; n_profiles.max(1)];
    for (pid, v) in a.profiles.iter().flat_map(|p| p.get_ref()) {
        let field = f(&format!("accepts.profiles.{pid}"));
        let x = cx.number(Some(v), &field, 0.0, &between("a share", 0.0, 1.0), &mut ok);
        match profiles.get(pid) {
            Some(&k) => by_profile[k] = x,
            None => {
                cx.err(v.span(), &field, format!("unknown profile \"{pid}\""));
                ok = false;
            }
        }
    }
    if ok {
        Ok(Some(Accepts {
            age_min,
            age_max,
            share: by_profile,
        }))
    } else {
        Err(Recorded)
    }
}

/// `reentry.way_back = { within, to }`: a youth returning within `within` days goes to
/// `to` (a service), or without it straight back to the care it left.
pub(super) fn way_back(
    cx: &mut Ctx,
    v: Option<&S<RawWayBack>>,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Part<WayBack> {
    let Some(v) = v else {
        return Ok(None);
    };
    let v = v.get_ref();
    let mut ok = true;
    let within_days = cx.number(
        Some(&v.within),
        &f("reentry.way_back.within"),
        0.0,
        &positive("the period of the way back (days)"),
        &mut ok,
    );
    let to = match &v.to {
        None => None,
        Some(t) => match cx.target(t, &f("reentry.way_back.to"), index, false) {
            Some(Target::Service(j)) => Some(j),
            _ => {
                ok = false;
                None
            }
        },
    };
    if ok {
        Ok(Some(WayBack { within_days, to }))
    } else {
        Err(Recorded)
    }
}

/// The placement rules across services, once every service is valid: each place a
/// referral is matched to carries an `accepts` rule, and secure care stays secure — a
/// secure service overflows and diverts only to secure services and matches nobody to a
/// family place (a court-ordered youth never joins an open group's list).
pub(super) fn network(cx: &mut Ctx, raw: &[S<RawService>], services: &[Service]) {
    for (r, s) in raw.iter().zip(services) {
        let r = r.get_ref();
        let f = |k: &str| format!("service '{}'.{k}", s.id);
        if let Some(list) = &r.match_to {
            for (k, (to, j)) in list.get_ref().iter().zip(&s.match_to).enumerate() {
                let target = &services[j.0 as usize];
                if target.accepts.is_none() {
                    cx.err(
                        to.span(),
                        &f(&format!("match_to[{}]", k + 1)),
                        format!(
                            "\"{}\" has no `accepts` rule: a family place says whom it can take, \
                             e.g. accepts = {{ age = {{ min = 0, max = 11 }}, share = 0.4 }}",
                            target.id
                        ),
                    );
                }
            }
        }
        if !s.secure {
            continue;
        }
        let not_secure = |j: ServiceId| !services[j.0 as usize].secure;
        if let (Some(o), Some(ro)) = (s.overflow_to, &r.overflow_to)
            && not_secure(o)
        {
            cx.err(
                ro.span(),
                &f("overflow_to"),
                format!(
                    "\"{}\" is not secure care: a youth referred to secure care is never sent to \
                     an open place's waiting list when it is full; overflow to another service \
                     with secure = true",
                    services[o.0 as usize].id
                ),
            );
        }
        if let (Some(d), Some(rd)) = (&s.divert, &r.divert)
            && not_secure(d.to)
        {
            cx.err(
                rd.get_ref().to.span(),
                &f("divert.to"),
                format!(
                    "\"{}\" is not secure care: referrals to secure care can only be diverted \
                     to another service with secure = true",
                    services[d.to.0 as usize].id
                ),
            );
        }
        if let Some(m) = &r.match_to
            && !s.match_to.is_empty()
        {
            cx.err(
                m.span(),
                &f("match_to"),
                "a referral to secure care is not matched to a family place; remove `match_to` \
                 or `secure`",
            );
        }
    }
}
