//! A road as the pages draw it: per service its planned path (places, and for a staffed
//! service its productive FTE, target, hiring cap and lead time) from
//! [`crate::model::sim::planned`] — the model's own capacity rules, not a copy of them —
//! and the whole road as a timeline: capacity steps (closings and openings, when they
//! are planned and when they happen if they wait for a gate), transition windows, the
//! start of diversions, and the quarters with more segments changing than the region
//! can manage. Dates are ISO days; the script only draws.

use serde::Serialize;

use crate::model::sim::{Planned, planned};
use crate::model::{Model, TimeFn};
use crate::timeline::Timeline;

/// (ISO date, value).
type Point = (String, f64);

/// One service's planned path and what shapes it.
#[derive(Clone, Debug, Serialize)]
pub struct ServicePlan {
    pub id: String,
    pub name: String,
    pub segment: String,
    pub staffed: bool,
    pub unlimited: bool,
    pub follows_demand: bool,
    /// Youths in care at the start (places below them are refused).
    pub initial: u32,
    /// Places from the start and at every change.
    pub places: Vec<Point>,
    /// Productive FTE (staffed services).
    pub fte: Vec<Point>,
    /// The target FTE the service hires towards (staffed services).
    pub target: Vec<Point>,
    pub caseload: Option<f64>,
    /// FTE hired a month at most (`None`: no cap).
    pub max_hires: Option<f64>,
    /// Mean days from hiring to productive.
    pub lead_days: Option<f64>,
    pub attrition: Option<f64>,
}

/// A planned capacity step.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub service: String,
    pub planned: String,
    /// When it happens: its planned day, or later when it waits for its gate; `None`
    /// when it does not happen within the horizon.
    pub happens: Option<String>,
    pub from: f64,
    pub to: f64,
    /// The service and places it waits for.
    pub gate: Option<(String, u32)>,
}

/// A transition window.
#[derive(Clone, Debug, Serialize)]
pub struct Window {
    pub segment: String,
    pub from: String,
    pub to: String,
    pub capacity_loss: f64,
    pub referral_delay: f64,
}

/// A diversion and its share over time.
#[derive(Clone, Debug, Serialize)]
pub struct Diversion {
    pub service: String,
    pub to: String,
    pub share: Vec<Point>,
    pub only_if_free: bool,
}

/// A whole road.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub name: String,
    pub start: String,
    pub end: String,
    pub segments: Vec<String>,
    pub services: Vec<ServicePlan>,
    pub steps: Vec<Step>,
    pub windows: Vec<Window>,
    pub diversions: Vec<Diversion>,
    /// Segments in a window, per quarter (first day, count), and the most the region
    /// manages at once.
    pub change_load: Vec<Point>,
    pub max_concurrent: u32,
}

fn date(tl: &Timeline, t: f64) -> String {
    tl.date_of(t.max(0.0)).to_string()
}

/// A function of time as its points (a constant: one point at the start).
fn points(tl: &Timeline, f: &TimeFn) -> Vec<Point> {
    match f {
        TimeFn::Const(v) => vec![(date(tl, 0.0), *v)],
        TimeFn::Step(p) | TimeFn::Linear(p) => p.iter().map(|(t, v)| (date(tl, *t), *v)).collect(),
    }
}

/// The plan of `model`; `None` when its replication without youths cannot run (a model
/// `validate` accepted always can).
pub fn plan(model: &Model) -> Option<Plan> {
    let Planned {
        services: paths,
        step_times,
    } = planned(model).ok()?;
    let tl = &model.timeline;
    let name_of = |i: usize| model.services[i].id.clone();
    let services = model
        .services
        .iter()
        .zip(&paths)
        .map(|(s, p)| {
            let st = s.staff.as_ref();
            ServicePlan {
                id: s.id.clone(),
                name: s.name.clone(),
                segment: model.segments[s.segment.0 as usize].clone(),
                staffed: st.is_some(),
                unlimited: p.unlimited,
                follows_demand: p.follows_demand,
                initial: s.initial,
                places: p
                    .places
                    .iter()
                    .map(|(t, v)| (date(tl, *t), f64::from(*v)))
                    .collect(),
                fte: p.fte.iter().map(|(t, v)| (date(tl, *t), *v)).collect(),
                target: st.map(|st| points(tl, &st.target_fte)).unwrap_or_default(),
                caseload: st.map(|st| st.caseload),
                max_hires: st
                    .map(|st| st.max_hires_per_month)
                    .filter(|h| h.is_finite()),
                lead_days: st.map(|st| st.lead.as_ref().map_or(0.0, |d| d.mean())),
                attrition: st.map(|st| st.attrition_per_year),
            }
        })
        .collect();
    let mut steps = Vec::new();
    for (i, s) in model.services.iter().enumerate() {
        let mut before = paths[i].places.first().map_or(0.0, |p| f64::from(p.1));
        for (k, step) in s.steps.iter().enumerate() {
            let when = step_times.get(i).and_then(|v| v.get(k)).copied();
            steps.push(Step {
                service: s.id.clone(),
                planned: date(tl, step.at),
                happens: when.filter(|t| t.is_finite()).map(|t| date(tl, t)),
                from: before,
                to: f64::from(step.value),
                gate: step
                    .gate
                    .map(|g| (name_of(g.service.0 as usize), g.min_capacity)),
            });
            before = f64::from(step.value);
        }
    }
    let windows = model
        .transitions
        .iter()
        .map(|w| Window {
            segment: model.segments[w.segment.0 as usize].clone(),
            from: date(tl, w.from),
            to: date(tl, w.to),
            capacity_loss: w.capacity_loss,
            referral_delay: w.referral_delay,
        })
        .collect();
    let diversions = model
        .services
        .iter()
        .filter_map(|s| {
            let d = s.divert.as_ref()?;
            Some(Diversion {
                service: s.id.clone(),
                to: name_of(d.to.0 as usize),
                share: points(tl, &d.share),
                only_if_free: d.only_if_free,
            })
        })
        .collect();
    Some(Plan {
        name: model.name.clone(),
        start: tl.start_date.to_string(),
        end: date(tl, tl.horizon - 1.0),
        segments: model.segments.clone(),
        services,
        steps,
        windows,
        diversions,
        change_load: model
            .change_load
            .iter()
            .map(|(t, l)| (date(tl, *t), f64::from(*l)))
            .collect(),
        max_concurrent: model.max_concurrent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Source};

    #[test]
    fn the_default_s_road_has_a_path_per_service() {
        let m = scenario::load(&Source::builtin()).unwrap();
        let p = plan(&m).unwrap();
        assert_eq!(p.services.len(), m.services.len());
        let ia = p
            .services
            .iter()
            .find(|s| s.id == "intensief-ambulant")
            .unwrap();
        assert!(ia.staffed && ia.fte.len() > 1, "{ia:?}");
        // 22 FTE × 5: the first staffing round, on day 0, takes a month of attrition
        // (12% a year) off first, as in every run: ⌊22 × 0.99 × 5⌋ = 108 places
        assert_eq!(ia.places[0], ("2024-01-01".to_string(), 108.0));
        assert_eq!(ia.fte[0].1, 22.0 * (1.0 - 0.12 / 12.0));
        assert_eq!(ia.max_hires, Some(1.0));
        let res = p.services.iter().find(|s| s.id == "residentieel").unwrap();
        assert_eq!(res.places[0], ("2024-01-01".to_string(), 475.0));
    }
}
