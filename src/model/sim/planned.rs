//! The road a scenario plans, drawn by the model's own rules: one replication of the
//! event loop without youths (no inflows, nobody in care or waiting at the start) and
//! with staffing at its expected values, tracing every service's places and productive
//! FTE as they change. Capacity steps (and the gates they wait for), staff hired towards
//! the target under the hiring cap and productive after the lead time, attrition, staff
//! freed by closing places, and the places a transition window costs all act exactly as
//! in a run; only what depends on youths does not happen (an open-ended service's places
//! follow demand, so without youths they fall to its minimum: [`PlannedPath::follows_demand`]).
//!
//! Front ends (the studio's charts and timeline) read the path here instead of
//! re-computing it: there is one set of capacity rules.

use super::{SimError, World, levels_of};
use crate::model::Model;

/// One service's planned path, by day from the start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlannedPath {
    /// Places at day 0 and after every change (transition losses included), each the
    /// first day of a new value.
    pub places: Vec<(f64, u32)>,
    /// Productive FTE at day 0 and after every change; empty for a service without staff.
    pub fte: Vec<(f64, f64)>,
    /// No limit on places (neither `capacity` nor `staff`).
    pub unlimited: bool,
    /// Places that follow demand (`open_ended`): only the starting places are planned.
    pub follows_demand: bool,
}

/// The planned paths of a model's services, and when each planned capacity step happened
/// (NaN: not within the horizon; a gated step may happen after its planned day).
#[derive(Clone, Debug, Default)]
pub struct Planned {
    /// In the model's service order.
    pub services: Vec<PlannedPath>,
    /// Per service, in the order of [`crate::model::Service::steps`].
    pub step_times: Vec<Vec<f64>>,
}

/// Where the event loop writes the changes it makes while tracing.
#[derive(Debug, Default)]
pub(super) struct Trace {
    places: Vec<Vec<(f64, u32)>>,
    fte: Vec<Vec<(f64, f64)>>,
}

impl Trace {
    fn push<T: PartialEq + Copy>(list: &mut Vec<(f64, T)>, t: f64, v: T) {
        match list.last_mut() {
            Some(last) if last.1 == v => {}
            Some(last) if last.0 == t => last.1 = v,
            _ => list.push((t, v)),
        }
        // a change undone on the same day leaves two equal values in a row
        if list.len() >= 2 && list[list.len() - 2].1 == v {
            list.pop();
        }
    }

    /// Service `s` has `places` from `t` on.
    pub(super) fn places(&mut self, s: usize, t: f64, places: u32) {
        Trace::push(&mut self.places[s], t, places);
    }

    /// Service `s` has `fte` productive FTE from `t` on.
    pub(super) fn fte(&mut self, s: usize, t: f64, fte: f64) {
        Trace::push(&mut self.fte[s], t, fte);
    }
}

/// The model as planned: no youths, staffing at its expected values.
fn without_youths(model: &Model) -> Model {
    let mut m = model.clone();
    m.inflows.clear();
    for s in &mut m.services {
        s.initial = 0;
        s.initial_waiting = 0;
        s.reentry = None;
        s.alongside = None;
        if let Some(st) = &mut s.staff {
            st.random = false;
        }
    }
    m
}

/// The planned path of every service of `model` (see the module documentation).
pub fn planned(model: &Model) -> Result<Planned, SimError> {
    let m = without_youths(model);
    let levels = levels_of(&m);
    let mut w = World::new(&m, &levels, 0, 0);
    let mut trace = Trace {
        places: vec![Vec::new(); m.services.len()],
        fte: vec![Vec::new(); m.services.len()],
    };
    for (s, svc) in w.svcs.iter().enumerate() {
        trace.places(s, 0.0, svc.reported_cap());
        if m.services[s].staff.is_some() {
            trace.fte(s, 0.0, svc.fte);
        }
    }
    w.trace = Some(Box::new(trace));
    w.run();
    let trace = w.trace.take().map(|t| *t).unwrap_or_default();
    let outcome = w.finish()?;
    let services = m
        .services
        .iter()
        .enumerate()
        .map(|(s, svc)| PlannedPath {
            places: trace.places.get(s).cloned().unwrap_or_default(),
            fte: trace.fte.get(s).cloned().unwrap_or_default(),
            unlimited: svc.capacity.is_none() && svc.staff.is_none() && svc.open_ended.is_none(),
            follows_demand: svc.open_ended.is_some(),
        })
        .collect();
    Ok(Planned {
        services,
        step_times: outcome.step_times,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Source};

    fn load(text: &str) -> Model {
        scenario::load(&Source {
            name: "t.toml".into(),
            text: text.into(),
        })
        .expect("valid scenario")
    }

    const HEAD: &str = "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2025-12-31\n\
        [[inflow]]\nto = \"a\"\nper_year = 1000\n";

    #[test]
    fn steps_gates_and_windows_make_the_places_path() {
        let m = load(&format!(
            "{HEAD}[[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"residential\"\n\
             capacity = 100\ninitial = 40\nlos = {{ dist = \"exponential\", mean = 300 }}\n\
             [[service]]\nid = \"b\"\nsegment = \"h\"\nsetting = \"ambulant\"\ncapacity = 10\n\
             initial = 5\nlos = {{ dist = \"exponential\", mean = 30 }}\n\
             [[schedule]]\nservice = \"b\"\nparam = \"capacity\"\n\
             points = [{{ at = 2024-07-01, value = 30 }}]\n\
             [[schedule]]\nservice = \"a\"\nparam = \"capacity\"\n\
             points = [{{ at = 2024-03-01, value = 80 }}]\n\
             gate = {{ service = \"b\", min_capacity = 25 }}\n\
             [[transition]]\nsegment = \"g\"\nfrom = 2025-01-01\nto = 2025-03-31\n\
             capacity_loss = 0.1\n"
        ));
        let p = planned(&m).unwrap();
        // the reduction waits for b to reach 25 places (on 1 July), then the window costs
        // 10% of a's places from 1 January to 31 March 2025
        let jul = 182.0;
        let jan = 366.0;
        assert_eq!(
            p.services[0].places,
            [(0.0, 100), (jul, 80), (jan, 72), (jan + 89.0, 80)]
        );
        assert_eq!(p.services[1].places, [(0.0, 10), (jul, 30)]);
        assert_eq!(p.step_times[0], [jul]);
        assert!(p.services[0].fte.is_empty());
    }

    #[test]
    fn staff_grows_under_the_hiring_cap_after_the_lead_time() {
        let m = load(&format!(
            "{HEAD}[[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
             los = {{ dist = \"exponential\", mean = 100 }}\n\
             staff = {{ fte = 10, caseload = 5, target_fte = 20, max_hires_per_month = 1, \
             lead_days = 90, attrition_per_year = 0.0 }}\n"
        ));
        let p = planned(&m).unwrap();
        let path = &p.services[0];
        assert_eq!(path.places[0], (0.0, 50));
        // nobody hired is productive before the lead time: the first hire on day 0 counts
        // from day 90, then one more a month, ten in all
        assert_eq!(path.fte[1], (90.0, 11.0));
        let last = path.fte.last().unwrap();
        assert!((last.1 - 20.0).abs() < 1e-9, "{last:?}");
        assert!(
            last.0 > 90.0 + 8.5 * 30.0,
            "ten hires take nine months: {last:?}"
        );
        assert_eq!(path.places.last().unwrap().1, 100);
        // a wider cap reaches the target sooner, never later
        let fast = load(&format!(
            "{HEAD}[[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
             los = {{ dist = \"exponential\", mean = 100 }}\n\
             staff = {{ fte = 10, caseload = 5, target_fte = 20, max_hires_per_month = 5, \
             lead_days = 90, attrition_per_year = 0.0 }}\n"
        ));
        let q = planned(&fast).unwrap();
        assert!(q.services[0].fte.last().unwrap().0 < last.0);
    }
}
