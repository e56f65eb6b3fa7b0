//! `[[profile]]` and `[[inflow]]`: the types of youth (ids, shares, priorities, and their
//! own stays and routing per service) and the referrals that bring youths in (target,
//! rate, trend, age at referral, profile).

use crate::timeline::DAYS_PER_YEAR;
use std::collections::HashMap;

use crate::engine::Dist;
use crate::model::{Inflow, Profile, ProfileId, Route, ServiceId, Shift, TimeFn};
use crate::scenario::raw::{RawFactor, RawFile, RawInflow, S};

use super::ctx::{Ctx, P_TOLERANCE, non_negative, valid_id};

/// The checked profiles, and their overrides of each service's stay and routing.
pub(super) struct Profiles {
    /// Profile id → its position.
    pub(super) index: HashMap<String, usize>,
    pub(super) list: Vec<Profile>,
    /// `los` overrides by service entry number, then by profile.
    pub(super) los_over: Vec<Vec<Option<Dist>>>,
    /// `next` overrides by service entry number, then by profile.
    pub(super) next_over: Vec<Vec<Option<Vec<Route>>>>,
}

/// Every `[[profile]]`: ids, shares and priorities, then the per-service overrides,
/// checked against the service ids (`index`, by entry number).
pub(super) fn profiles(cx: &mut Ctx, raw: &RawFile, index: &HashMap<String, usize>) -> Profiles {
    let mut profile_index: HashMap<String, usize> = HashMap::new();
    let mut profiles: Vec<Profile> = Vec::new();
    for (i, p) in raw.profile.iter().enumerate() {
        let p = p.get_ref();
        let id = p.id.get_ref();
        if !valid_id(id) {
            cx.err(
                p.id.span(),
                &format!("profile #{}.id", i + 1),
                format!("\"{id}\" is not a usable id; use letters, digits, '-' and '_'"),
            );
        } else if profile_index.insert(id.clone(), i).is_some() {
            cx.err(
                p.id.span(),
                &format!("profile '{id}'.id"),
                format!("duplicate profile id \"{id}\""),
            );
        }
        let share = match &p.share {
            None => 0.0,
            Some(v) => {
                let x = *v.get_ref();
                if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
                    cx.err(
                        v.span(),
                        &format!("profile '{id}'.share"),
                        format!("a share must be between 0 and 1, got {x}"),
                    );
                }
                x
            }
        };
        let priority = match &p.priority {
            None => 0,
            Some(v) if (-1000..=1000).contains(v.get_ref()) => *v.get_ref() as i32,
            Some(v) => {
                cx.err(
                    v.span(),
                    &format!("profile '{id}'.priority"),
                    "priority must be a whole number between -1000 and 1000",
                );
                0
            }
        };
        profiles.push(Profile {
            id: id.clone(),
            share,
            priority,
        });
    }
    if profiles.len() > 200 {
        cx.err(
            raw.profile[200].span(),
            "profile",
            "at most 200 profiles are supported",
        );
    }
    let inflow_without_profile = raw.inflow.iter().any(|f| f.get_ref().profile.is_none());
    if !profiles.is_empty() && inflow_without_profile {
        let sum: f64 = profiles.iter().map(|p| p.share).sum();
        if (sum - 1.0).abs() > P_TOLERANCE {
            cx.err(
                raw.profile[0].span(),
                "profile.share",
                format!(
                    "profile shares sum to {}, must be 1 (inflows without `profile` draw one by these shares)",
                    (sum * 1e9).round() / 1e9
                ),
            );
        }
    }
    // per-service overrides, checked against the service ids
    let n_prof = profiles.len();
    let mut los_over: Vec<Vec<Option<Dist>>> = vec![vec![None; n_prof]; raw.service.len()];
    let mut next_over: Vec<Vec<Option<Vec<Route>>>> = vec![vec![None; n_prof]; raw.service.len()];
    for (pi, p) in raw.profile.iter().enumerate() {
        let p = p.get_ref();
        let pid = p.id.get_ref();
        for (sid, d) in p.los.iter().flatten() {
            let field = format!("profile '{pid}'.los.{sid}");
            match index.get(sid) {
                Some(&si) => los_over[si][pi] = cx.dist(d, &field),
                None => cx.err(d.span(), &field, format!("unknown service \"{sid}\"")),
            }
        }
        for (sid, list) in p.next.iter().flatten() {
            let field = format!("profile '{pid}'.next.{sid}");
            match index.get(sid) {
                Some(&si) => next_over[si][pi] = cx.routes(list, &field, index),
                None => cx.err(list.span(), &field, format!("unknown service \"{sid}\"")),
            }
        }
    }
    Profiles {
        index: profile_index,
        list: profiles,
        los_over,
        next_over,
    }
}

/// Every `[[inflow]]`, referring to services by entry number and to profiles.
pub(super) fn inflows(
    cx: &mut Ctx,
    raw: &[S<RawInflow>],
    index: &HashMap<String, usize>,
    profile_index: &HashMap<String, usize>,
) -> Vec<Inflow> {
    let mut inflows = Vec::new();
    for (i, fl) in raw.iter().enumerate() {
        let fl = fl.get_ref();
        let f = |k: &str| format!("inflow #{}.{k}", i + 1);
        let to = index.get(fl.to.get_ref()).copied();
        if to.is_none() {
            cx.err(
                fl.to.span(),
                &f("to"),
                format!("unknown service \"{}\"", fl.to.get_ref()),
            );
        }
        let per_year = cx.time_fn(
            &fl.per_year,
            &f("per_year"),
            true,
            &non_negative("the rate per year"),
        );
        let trend = trend(cx, fl.trend.as_ref(), &f);
        let (amin, amax) = age(cx, fl, &f);
        let profile = match &fl.profile {
            None => Some(None),
            Some(p) => match profile_index.get(p.get_ref()) {
                Some(&k) => Some(Some(ProfileId(k as u8))),
                None => {
                    cx.err(
                        p.span(),
                        &f("profile"),
                        format!("unknown profile \"{}\"", p.get_ref()),
                    );
                    None
                }
            },
        };
        let shift = shift(cx, fl, to, index, &f);
        if let (Some(to), Some(per_year), Some(trend), Some(profile), Ok(shift)) =
            (to, per_year, trend, profile, shift)
        {
            inflows.push(Inflow {
                profile,
                to: ServiceId(to as u16),
                per_day: per_year.scaled(1.0 / DAYS_PER_YEAR),
                trend,
                age_min: amin,
                age_max: amax,
                shift,
            });
        }
    }
    inflows
}

/// `shift = { to, share }`: a share (t) of the inflow's referrals referred to another
/// service instead (volume moved between segments by a road).
fn shift(
    cx: &mut Ctx,
    fl: &RawInflow,
    own: Option<usize>,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Result<Option<Shift>, ()> {
    let Some(sh) = &fl.shift else {
        return Ok(None);
    };
    let v = sh.get_ref();
    let to = match index.get(v.to.get_ref()) {
        Some(&j) if Some(j) == own => {
            cx.err(
                v.to.span(),
                &f("shift.to"),
                "referrals are shifted to another service than the inflow's own `to`",
            );
            None
        }
        Some(&j) => Some(ServiceId(j as u16)),
        None => {
            cx.err(
                v.to.span(),
                &f("shift.to"),
                format!("unknown service \"{}\"", v.to.get_ref()),
            );
            None
        }
    };
    let share = cx.time_fn(&v.share, &f("shift.share"), true, &|x| {
        (!(x.is_finite() && (0.0..=1.0).contains(&x)))
            .then(|| format!("a share must be between 0 and 1, got {x}"))
    });
    match (to, share) {
        (Some(to), Some(share)) => Ok(Some(Shift { to, share })),
        _ => Err(()),
    }
}

/// `trend = [{ at, factor }, …]`: a factor on the rate, linear between the points.
fn trend(
    cx: &mut Ctx,
    trend: Option<&S<Vec<S<RawFactor>>>>,
    f: &dyn Fn(&str) -> String,
) -> Option<TimeFn> {
    match trend {
        None => Some(TimeFn::Const(1.0)),
        Some(list) => {
            let mut pts: Vec<(f64, f64)> = Vec::new();
            let mut ok = !list.get_ref().is_empty();
            if !ok {
                cx.err(list.span(), &f("trend"), "a trend needs at least one point");
            }
            for (k, p) in list.get_ref().iter().enumerate() {
                let p = p.get_ref();
                let pf = f(&format!("trend[{}]", k + 1));
                let factor = *p.factor.get_ref();
                if let Some(m) = non_negative("the factor")(factor) {
                    cx.err(p.factor.span(), &format!("{pf}.factor"), m);
                    ok = false;
                }
                match cx.point_day(&p.at, &format!("{pf}.at")) {
                    Some(t) => {
                        if let Some(&(prev, _)) = pts.last()
                            && t <= prev
                        {
                            cx.err(
                                p.at.span(),
                                &format!("{pf}.at"),
                                "trend points must be in strictly increasing date order",
                            );
                            ok = false;
                        }
                        pts.push((t, factor));
                    }
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
            Some(TimeFn::Linear(super::horizon::clip(
                &pts,
                cx.last_day()?,
                true,
            )))
        }
    }
}

/// `age = { min, max }` at referral, years: 0 to 17 if not given.
fn age(cx: &mut Ctx, fl: &RawInflow, f: &dyn Fn(&str) -> String) -> (f64, f64) {
    let (mut amin, mut amax) = (0.0, 17.0);
    if let Some(a) = &fl.age {
        let a = a.get_ref();
        let (lo, hi) = (*a.min.get_ref(), *a.max.get_ref());
        if !(lo.is_finite() && (0.0..=30.0).contains(&lo)) {
            cx.err(
                a.min.span(),
                &f("age.min"),
                format!("age must be between 0 and 30 years, got {lo}"),
            );
        } else if !(hi.is_finite() && (0.0..=30.0).contains(&hi)) {
            cx.err(
                a.max.span(),
                &f("age.max"),
                format!("age must be between 0 and 30 years, got {hi}"),
            );
        } else if hi < lo {
            cx.err(
                a.max.span(),
                &f("age.max"),
                format!("age.max ({hi}) must be at least age.min ({lo})"),
            );
        } else {
            (amin, amax) = (lo, hi);
        }
    }
    (amin, amax)
}
