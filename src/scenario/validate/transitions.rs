//! Phasing controls: a schedule step's `gate = { service, min_capacity, max_waiting }` (a
//! reduction waits until another service has grown, and — a go/no-go on waiting — until
//! its waiting list is short enough), and `[[transition]]`, a segment's window of hybrid
//! procurement — with the change load it puts on each quarter.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::model::{Gate, SegmentId, ServiceId, Transition};
use crate::scenario::raw::{RawGate, RawTransition, S};
use crate::timeline::{Interval, Timeline};

use super::ctx::{COUNT_RANGE, Ctx, count};

/// The `gate` of a step of the schedule for service `si` (entry number).
pub(super) fn gate(
    cx: &mut Ctx,
    g: Option<&S<RawGate>>,
    si: usize,
    index: &HashMap<String, usize>,
    f: &dyn Fn(&str) -> String,
) -> Option<Gate> {
    let g = g?;
    let gv = g.get_ref();
    if gv.min_capacity.is_none() && gv.max_waiting.is_none() {
        cx.err(
            g.span(),
            &f("gate"),
            "a gate needs `min_capacity` (places the other service has at least) and/or \
             `max_waiting` (youths waiting there at most), e.g. \
             gate = { service = \"intensief-ambulant\", max_waiting = 40 }",
        );
    }
    let mut whole = |v: &Option<S<i64>>, key: &str, what: &str| -> u32 {
        let Some(v) = v else { return 0 };
        let x = *v.get_ref();
        if count(x).is_none() {
            cx.err(
                v.span(),
                &f(key),
                format!("must be a whole number of {what} {COUNT_RANGE}, got {x}"),
            );
        }
        x.max(0) as u32
    };
    let min = whole(&gv.min_capacity, "gate.min_capacity", "places");
    let max_waiting = gv
        .max_waiting
        .is_some()
        .then(|| whole(&gv.max_waiting, "gate.max_waiting", "youths"));
    match index.get(gv.service.get_ref()) {
        Some(&gi) if gi == si => {
            cx.err(
                gv.service.span(),
                &f("gate.service"),
                "a step cannot be gated on its own service",
            );
            None
        }
        Some(&gi) => Some(Gate {
            service: ServiceId(gi as u16),
            min_capacity: min,
            max_waiting,
        }),
        None => {
            cx.err(
                gv.service.span(),
                &f("gate.service"),
                format!("unknown service \"{}\"", gv.service.get_ref()),
            );
            None
        }
    }
}

/// Every `[[transition]]`: windows within the horizon, at most one at a time per segment.
pub(super) fn transitions(
    cx: &mut Ctx,
    raw: &[S<RawTransition>],
    segments: &[String],
) -> Vec<Transition> {
    let mut transitions: Vec<Transition> = Vec::new();
    for (k, tr) in raw.iter().enumerate() {
        let v = tr.get_ref();
        let f = |x: &str| format!("transition #{}.{x}", k + 1);
        let seg = segments.iter().position(|g| g == v.segment.get_ref());
        if seg.is_none() {
            cx.err(
                v.segment.span(),
                &f("segment"),
                format!(
                    "unknown segment \"{}\"; segments are the `segment` labels of services",
                    v.segment.get_ref()
                ),
            );
        }
        let from = cx.point_day(&v.from, &f("from"));
        let to = cx.point_day(&v.to, &f("to"));
        if let (Some(a), Some(b)) = (from, to)
            && b <= a
        {
            cx.err(v.to.span(), &f("to"), "the window must end after it starts");
        }
        // a window inherited from a base whose horizon this file changed: cut to the
        // horizon (`to` is exclusive, so up to the day after the last), left out when
        // nothing of it is inside
        let horizon = cx.last_day().map_or(0.0, |d| d + 1.0);
        let (from, to) = match (from, to) {
            (Some(a), Some(b)) if b > a && (b <= 0.0 || a >= horizon) => continue,
            (Some(a), Some(b)) => (Some(a.max(0.0)), Some(b.min(horizon))),
            other => other,
        };
        let loss = v.capacity_loss.as_ref().map_or(0.0, |x| *x.get_ref());
        if let Some(x) = &v.capacity_loss
            && !(loss.is_finite() && (0.0..1.0).contains(&loss))
        {
            cx.err(
                x.span(),
                &f("capacity_loss"),
                format!("a share of places lost must be at least 0 and below 1, got {loss}"),
            );
        }
        let delay = v.referral_delay.as_ref().map_or(0.0, |x| *x.get_ref());
        if let Some(x) = &v.referral_delay
            && !(delay.is_finite() && delay >= 0.0)
        {
            cx.err(
                x.span(),
                &f("referral_delay"),
                format!("the delay must be at least 0 days, got {delay}"),
            );
        }
        if let (Some(g), Some(a), Some(b)) = (seg, from, to) {
            if transitions
                .iter()
                .any(|o| o.segment.0 as usize == g && o.from < b && a < o.to)
            {
                cx.err(
                    v.from.span(),
                    &f("from"),
                    format!(
                        "overlaps another transition window of segment \"{}\"",
                        v.segment.get_ref()
                    ),
                );
            }
            transitions.push(Transition {
                segment: SegmentId(g as u16),
                from: a,
                to: b,
                capacity_loss: loss,
                referral_delay: delay,
                delay_crisis: v.delay_crisis.as_ref().is_some_and(|d| *d.get_ref()),
                loss_crisis: v.loss_crisis.as_ref().is_some_and(|d| *d.get_ref()),
            });
        }
    }
    transitions
}

/// Change load: how many segments have a transition window overlapping each calendar
/// quarter, by the quarter's first day.
pub(super) fn change_load(
    start: Date,
    horizon_days: i64,
    transitions: &[Transition],
) -> Vec<(f64, u32)> {
    let quarters = Timeline::new(start, horizon_days, 0, Interval::Quarter);
    quarters
        .intervals
        .iter()
        .map(|q| {
            let mut segs: Vec<u16> = transitions
                .iter()
                .filter(|t| t.from < q.end && q.start < t.to)
                .map(|t| t.segment.0)
                .collect();
            segs.sort_unstable();
            segs.dedup();
            (q.start, segs.len() as u32)
        })
        .collect()
}
