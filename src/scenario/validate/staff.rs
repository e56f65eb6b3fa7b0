//! A service's `staff = { fte, caseload, target_fte, … }`: capacity as productive FTE ×
//! caseload, with hiring, lead time and attrition — instead of a `capacity`.

use toml::Spanned;

use crate::engine::Dist;
use crate::model::{Service, Staff, TimeFn};
use crate::scenario::raw::{RawService, S};

use super::ctx::{Ctx, Part, Recorded, non_negative};

/// The staff of service `s`, whose checked `initial` youths it must have places for.
pub(super) fn staff(
    cx: &mut Ctx,
    s: &RawService,
    initial: u32,
    f: &dyn Fn(&str) -> String,
) -> Part<Staff> {
    let Some(st) = &s.staff else {
        return Ok(None);
    };
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
    let mut num = |x: &Option<S<f64>>,
                   name: &str,
                   default: f64,
                   ok: &dyn Fn(f64) -> bool,
                   allowed: &str|
     -> f64 {
        match x {
            None => default,
            Some(x) => {
                let val = *x.get_ref();
                if !(val.is_finite() && ok(val)) {
                    cx.err(
                        x.span(),
                        &f(&format!("staff.{name}")),
                        format!("{allowed}, got {val}"),
                    );
                    staff_ok = false;
                }
                val
            }
        }
    };
    let fte = num(
        &Some(Spanned::new(v.fte.span(), *v.fte.get_ref())),
        "fte",
        0.0,
        &|x| x >= 0.0,
        "FTE must be at least 0",
    );
    let caseload = num(
        &Some(Spanned::new(v.caseload.span(), *v.caseload.get_ref())),
        "caseload",
        1.0,
        &|x| x > 0.0,
        "the caseload per FTE must be greater than 0",
    );
    let max_hires = num(
        &v.max_hires_per_month,
        "max_hires_per_month",
        f64::INFINITY,
        &|x| x >= 0.0,
        "hires per month must be at least 0",
    );
    let lead_days = num(
        &v.lead_days,
        "lead_days",
        0.0,
        &|x| x >= 0.0,
        "lead_days must be at least 0",
    );
    let attrition = num(
        &v.attrition_per_year,
        "attrition_per_year",
        0.0,
        &|x| (0.0..=1.0).contains(&x),
        "attrition per year must be between 0 and 1",
    );
    let lead = match (&v.lead, &v.lead_days) {
        (Some(_), Some(d)) => {
            cx.err(
                d.span(),
                &f("staff.lead_days"),
                "give either `lead_days` (a fixed number of days) or `lead` (a distribution), not both",
            );
            staff_ok = false;
            None
        }
        (Some(l), None) => {
            let d = cx.dist(l, &f("staff.lead"));
            if d.is_none() {
                staff_ok = false;
            }
            d
        }
        // no lead time (0 days): productive at once
        (None, _) => Dist::fixed(lead_days).ok(),
    };
    let random = v.random.as_ref().is_none_or(|r| *r.get_ref());
    let target = match &v.target_fte {
        None => Some(TimeFn::Const(fte)),
        Some(t) => cx.time_fn(t, &f("staff.target_fte"), true, &non_negative("target FTE")),
    };
    if let Some(i) = &s.initial {
        let cap0 = (fte * caseload + 1e-9).floor();
        if staff_ok && initial as f64 > cap0 {
            cx.conflict(
                (
                    i.span(),
                    &f("initial"),
                    format!(
                        "{initial} youths in care at the start, but the staff then gives {cap0} places"
                    ),
                ),
                (
                    st.span(),
                    &f("staff"),
                    format!(
                        "the staff gives {cap0} places at the start, fewer than the {initial} \
                         youths in care then (`initial`)"
                    ),
                ),
            );
        }
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
