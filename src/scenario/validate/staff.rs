//! A service's `staff = { fte, caseload, target_fte, … }`: capacity as productive FTE ×
//! caseload, with hiring (towards a target, or following demand), lead time and attrition
//! — instead of a `capacity`; and `recruit = { families, per_family, per_year, … }`, places
//! from a recruitment pipeline of foster families, the same stock with a flow of recruits
//! instead of hiring towards a target.

use crate::engine::Dist;
use crate::model::{Service, Staff, TimeFn};
use crate::scenario::raw::{RawDist, RawRecruit, RawService, S};

use super::ctx::{Ctx, Part, Recorded, between, non_negative, positive};

/// The staff of service `s`, whose checked `initial` youths it must have places for.
pub(super) fn staff(
    cx: &mut Ctx,
    s: &RawService,
    initial: u32,
    f: &dyn Fn(&str) -> String,
) -> Part<Staff> {
    let Some(st) = &s.staff else {
        return match &s.recruit {
            Some(r) => recruit(cx, s, r, initial, f),
            None => Ok(None),
        };
    };
    if let Some(r) = &s.recruit {
        cx.err(
            r.span(),
            &f("recruit"),
            "give either `staff` (hired towards a target) or `recruit` (a flow of recruits), not both",
        );
        return Err(Recorded);
    }
    let mut staff_ok = true;
    let v = st.get_ref();
    if s.capacity.is_some() {
        cx.err(
            st.span(),
            &f("staff"),
            "give either `capacity` or `staff` (capacity = productive FTE × caseload), not both",
        );
        staff_ok = false;
    }
    let mut number =
        |x: Option<&S<f64>>, key: &str, default: f64, check: &dyn Fn(f64) -> Option<String>| {
            cx.number(
                x,
                &f(&format!("staff.{key}")),
                default,
                check,
                &mut staff_ok,
            )
        };
    let fte = number(Some(&v.fte), "fte", 0.0, &non_negative("FTE"));
    let caseload = number(
        Some(&v.caseload),
        "caseload",
        1.0,
        &positive("the caseload per FTE"),
    );
    let max_hires = number(
        v.max_hires_per_month.as_ref(),
        "max_hires_per_month",
        f64::INFINITY,
        &non_negative("hires per month"),
    );
    let lead_days = number(
        v.lead_days.as_ref(),
        "lead_days",
        0.0,
        &non_negative("lead_days"),
    );
    let attrition = number(
        v.attrition_per_year.as_ref(),
        "attrition_per_year",
        0.0,
        &between("attrition per year", 0.0, 1.0),
    );
    let demand_headroom = v.demand_headroom.as_ref().map(|h| {
        number(
            Some(h),
            "demand_headroom",
            0.0,
            &between("the headroom", 0.0, 10.0),
        )
    });
    let lead = lead(
        cx,
        (&v.lead, &v.lead_days),
        lead_days,
        "staff",
        f,
        &mut staff_ok,
    );
    let random = v.random.as_ref().is_none_or(|r| *r.get_ref());
    let target = match &v.target_fte {
        None => Some(TimeFn::Const(fte)),
        Some(t) => cx.time_fn(t, &f("staff.target_fte"), true, &non_negative("target FTE")),
    };
    if staff_ok {
        initial_fits(
            cx,
            s,
            st.span(),
            (fte, caseload),
            initial,
            ("staff", "the staff"),
            f,
        );
    }
    match target {
        Some(target_fte) if staff_ok => Ok(Some(Staff {
            fte,
            caseload,
            target_fte,
            max_hires_per_month: max_hires,
            lead,
            attrition_per_year: attrition,
            random,
            demand_headroom,
            recruit_per_year: None,
        })),
        _ => Err(Recorded),
    }
}

/// The lead time of a hire or recruit: `lead_days` (fixed) or `lead` (a distribution), not
/// both; none is 0 days.
fn lead(
    cx: &mut Ctx,
    (lead, lead_days): (&Option<S<RawDist>>, &Option<S<f64>>),
    days: f64,
    key: &str,
    f: &dyn Fn(&str) -> String,
    ok: &mut bool,
) -> Option<Dist> {
    match (lead, lead_days) {
        (Some(_), Some(d)) => {
            cx.err(
                d.span(),
                &f(&format!("{key}.lead_days")),
                "give either `lead_days` (a fixed number of days) or `lead` (a distribution), not both",
            );
            *ok = false;
            None
        }
        (Some(l), None) => {
            let d = cx.dist(l, &f(&format!("{key}.lead")));
            if d.is_none() {
                *ok = false;
            }
            d
        }
        // no lead time (0 days): productive at once
        (None, _) => Dist::fixed(days).ok(),
    }
}

/// The youths in care at the start fit the places the stock gives then: `n` (FTE or
/// families) × `per` (caseload or places per family), rounded down.
fn initial_fits(
    cx: &mut Ctx,
    s: &RawService,
    span: std::ops::Range<usize>,
    (n, per): (f64, f64),
    initial: u32,
    (key, what): (&str, &str),
    f: &dyn Fn(&str) -> String,
) {
    let Some(i) = &s.initial else { return };
    let cap0 = (n * per + 1e-9).floor();
    if initial as f64 > cap0 {
        cx.conflict(
            (
                i.span(),
                &f("initial"),
                format!(
                    "{initial} youths in care at the start, but {what} then gives {cap0} places"
                ),
            ),
            (
                span,
                &f(key),
                format!(
                    "{what} gives {cap0} places at the start, fewer than the {initial} youths in \
                     care then (`initial`)"
                ),
            ),
        );
    }
}

/// `recruit = { families, per_family, per_year, lead_days | lead, attrition_per_year,
/// random }`: places = active families × places per family; each month families stop
/// (attrition) and recruits arrive (`per_year` / 12, each active after its lead time).
fn recruit(
    cx: &mut Ctx,
    s: &RawService,
    r: &S<RawRecruit>,
    initial: u32,
    f: &dyn Fn(&str) -> String,
) -> Part<Staff> {
    let v = r.get_ref();
    let mut ok = true;
    for (given, key) in [
        (s.capacity.is_some(), "capacity"),
        (s.open_ended.is_some(), "open_ended"),
    ] {
        if given {
            cx.err(
                r.span(),
                &f("recruit"),
                format!("the places of a recruiting service follow its families; give `recruit` or `{key}`, not both"),
            );
            ok = false;
        }
    }
    let mut number =
        |x: Option<&S<f64>>, key: &str, default: f64, check: &dyn Fn(f64) -> Option<String>| {
            cx.number(x, &f(&format!("recruit.{key}")), default, check, &mut ok)
        };
    let families = number(
        Some(&v.families),
        "families",
        0.0,
        &non_negative("families"),
    );
    let per_family = number(
        v.per_family.as_ref(),
        "per_family",
        1.0,
        &positive("the places per family"),
    );
    let lead_days = number(
        v.lead_days.as_ref(),
        "lead_days",
        0.0,
        &non_negative("lead_days"),
    );
    let attrition = number(
        v.attrition_per_year.as_ref(),
        "attrition_per_year",
        0.0,
        &between("attrition per year", 0.0, 1.0),
    );
    let lead = lead(
        cx,
        (&v.lead, &v.lead_days),
        lead_days,
        "recruit",
        f,
        &mut ok,
    );
    let per_year = cx.time_fn(
        &v.per_year,
        &f("recruit.per_year"),
        true,
        &non_negative("recruits per year"),
    );
    let random = v.random.as_ref().is_none_or(|r| *r.get_ref());
    if ok {
        initial_fits(
            cx,
            s,
            r.span(),
            (families, per_family),
            initial,
            ("recruit", "the families"),
            f,
        );
    }
    match per_year {
        Some(per_year) if ok => Ok(Some(Staff {
            fte: families,
            caseload: per_family,
            target_fte: TimeFn::Const(0.0),
            max_hires_per_month: f64::INFINITY,
            lead,
            attrition_per_year: attrition,
            random,
            demand_headroom: None,
            recruit_per_year: Some(per_year),
        })),
        _ => Err(Recorded),
    }
}

/// Staff freed by closing places (`release.to`) can only move to a staffed service.
pub(super) fn release_targets(cx: &mut Ctx, raw: &[S<RawService>], services: &[Service]) {
    for (r, s) in raw.iter().zip(services) {
        if let (Some(rel), Some(raw_rel)) = (&s.release, &r.get_ref().release)
            && services[rel.to.0 as usize].staff.is_none()
        {
            cx.err(
                raw_rel.get_ref().to.span(),
                &format!("service '{}'.release.to", s.id),
                format!(
                    "\"{}\" has no `staff`: freed staff can only move to a service whose places follow its staff",
                    services[rel.to.0 as usize].id
                ),
            );
        }
    }
}
