//! A service's `staff = { fte, caseload, target_fte, … }`: capacity as productive FTE ×
//! caseload, with hiring, lead time and attrition — instead of a `capacity`.

use toml::Spanned;

use crate::model::{Staff, TimeFn};
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
    let target = match &v.target_fte {
        None => Some(TimeFn::Const(fte)),
        Some(t) => cx.time_fn(t, &f("staff.target_fte"), true, &non_negative("target FTE")),
    };
    if let Some(i) = &s.initial {
        let cap0 = (fte * caseload + 1e-9).floor();
        if staff_ok && initial as f64 > cap0 {
            cx.err(
                i.span(),
                &f("initial"),
                format!(
                    "{initial} youths in care at the start, but the staff then gives {cap0} places"
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
            lead_days,
            attrition_per_year: attrition,
        })),
        _ => Err(Recorded),
    }
}
