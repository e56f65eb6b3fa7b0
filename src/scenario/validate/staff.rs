//! A service's `staff = { fte, caseload, target_fte, … }`: capacity as productive FTE ×
//! caseload, with hiring, lead time and attrition — instead of a `capacity`.

use crate::engine::Dist;
use crate::model::{Service, Staff, TimeFn};
use crate::scenario::raw::{RawService, S};

use super::ctx::{Ctx, Part, Recorded, between, non_negative, positive};

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
