//! `[[schedule]]`: a service's capacity over time as dated points, each step possibly
//! gated (see [`super::transitions::gate`]), merged into the service's capacity steps.

use std::collections::HashMap;

use crate::model::{CapacityStep, Service, TimeFn};
use crate::scenario::raw::RawFile;

use super::ctx::{Ctx, whole_places};
use super::transitions;

/// Checks every `[[schedule]]` and adds its steps to the service it names.
///
/// `services` is by entry number (`None` where the `[[service]]` has a problem), as is
/// `index`: a bad service before the one named cannot shift which one is meant.
pub(super) fn schedules(
    cx: &mut Ctx,
    raw: &RawFile,
    index: &HashMap<String, usize>,
    services: &mut [Option<Service>],
) {
    for (k, sc) in raw.schedule.iter().enumerate() {
        let v = sc.get_ref();
        let f = |x: &str| format!("schedule #{}.{x}", k + 1);
        let Some(&si) = index.get(v.service.get_ref()) else {
            cx.err(
                v.service.span(),
                &f("service"),
                format!("unknown service \"{}\"", v.service.get_ref()),
            );
            continue;
        };
        if v.param.get_ref() != "capacity" {
            cx.err(v.param.span(), &f("param"), format!("cannot schedule \"{}\" here; allowed: capacity (other parameters take a schedule in place)", v.param.get_ref()));
            continue;
        }
        let gate = transitions::gate(cx, v.gate.as_ref(), si, index, &f);
        let raw_points = v.points.get_ref();
        let v_points_span = v.points.span();
        let mut prev: Option<f64> = None;
        let mut pts = Vec::new();
        if v.points.get_ref().is_empty() {
            cx.err(
                v.points.span(),
                &f("points"),
                "a schedule needs at least one point",
            );
        }
        for (j, p) in v.points.get_ref().iter().enumerate() {
            let p = p.get_ref();
            let pf = f(&format!("points[{}]", j + 1));
            let value = *p.value.get_ref();
            if let Some(m) = whole_places(value) {
                cx.err(p.value.span(), &format!("{pf}.value"), m);
            }
            if let Some(t) = cx.point_day(&p.at, &format!("{pf}.at")) {
                if prev.is_some_and(|q| t <= q) {
                    cx.err(
                        p.at.span(),
                        &format!("{pf}.at"),
                        "schedule points must be in strictly increasing date order",
                    );
                }
                prev = Some(t);
                pts.push((t, value));
            }
        }
        // a point dated before the start was written in a file farther in the chain of
        // `extends` (in the user's own it is an error): a reduction planned before the start
        // the child chose, which its base's `initial` may exceed, as a scheduled one may
        let cut_before_start = pts.first().is_some_and(|&(t, _)| t < 0.0);
        let pts = cx
            .last_day()
            .map_or(pts.clone(), |last| super::horizon::clip(&pts, last, false));
        // checked on the entry as written, so even a service with problems of its own
        // gets this one
        if raw
            .service
            .get(si)
            .is_some_and(|s| s.get_ref().staff.is_some())
        {
            cx.err(v.service.span(), &f("service"), "the capacity of a staffed service follows its staff; schedule `staff.target_fte` instead");
            continue;
        }
        if raw
            .service
            .get(si)
            .is_some_and(|s| s.get_ref().recruit.is_some())
        {
            cx.err(v.service.span(), &f("service"), "the capacity of a recruiting service follows its families; schedule `recruit.per_year` instead");
            continue;
        }
        if raw
            .service
            .get(si)
            .is_some_and(|s| s.get_ref().open_ended.is_some())
        {
            cx.err(
                v.service.span(),
                &f("service"),
                "the places of an open-ended service follow demand at each review; they cannot be scheduled",
            );
            continue;
        }
        if let Some(svc) = services.get_mut(si).and_then(Option::as_mut) {
            // before the first point the service's own capacity holds; a point at the
            // start (a step a base planned before the start its child chose) replaces it
            let start = match (&svc.capacity, pts.first()) {
                (None, Some(&(_, v))) => Some(v),
                (Some(TimeFn::Const(_)), Some(&(t, v))) if t <= 0.0 => Some(v),
                _ => None,
            };
            if let Some(v) = start {
                svc.capacity = Some(TimeFn::Const(v));
                // the same rule as for `capacity`: no fewer places than youths in care
                if f64::from(svc.initial) > v && !cut_before_start {
                    let at = raw_points
                        .iter()
                        .find(|p| *p.get_ref().value.get_ref() == v)
                        .map_or(v_points_span.clone(), |p| p.get_ref().value.span());
                    cx.err(
                        at,
                        &f("points"),
                        format!(
                            "{v} places at the start (the schedule gives service '{}' its \
                             capacity from the start), fewer than the {} youths in care then \
                             (`initial`)",
                            svc.id, svc.initial
                        ),
                    );
                }
            }
            svc.steps.extend(
                pts.iter()
                    .filter(|(t, _)| *t > 0.0)
                    .map(|&(at, v)| CapacityStep {
                        at,
                        value: v.max(0.0) as u32,
                        gate,
                    }),
            );
            svc.steps.sort_by(|a, b| a.at.total_cmp(&b.at));
        }
    }
}
