//! The validated model: services, inflows and the rules of the youth-care world.
//!
//! A [`Model`] is built once from a scenario file (see [`crate::scenario`]) and never
//! changes: every id is resolved to an index, every date to a day number, every
//! distribution to its sampler. [`sim`] runs one replication of it.

pub mod sim;
mod timefn;

pub use timefn::TimeFn;

use crate::engine::Dist;
use crate::timeline::Timeline;

/// Index of a service in [`Model::services`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceId(pub u16);

/// Index of a segment in [`Model::segments`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub u16);

/// Where a youth receives care: the setting decides what counts as out-of-home.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    Ambulant,
    Residential,
    Crisis,
    Assessment,
}

impl Setting {
    /// The accepted spellings, for messages.
    pub const NAMES: &'static str = "ambulant, residential, crisis, assessment";

    /// Parses the scenario spelling.
    pub fn parse(s: &str) -> Option<Setting> {
        match s {
            "ambulant" => Some(Setting::Ambulant),
            "residential" => Some(Setting::Residential),
            "crisis" => Some(Setting::Crisis),
            "assessment" => Some(Setting::Assessment),
            _ => None,
        }
    }

    /// A stay in this setting is an out-of-home placement (uithuisplaatsing).
    pub fn out_of_home(self) -> bool {
        matches!(self, Setting::Residential | Setting::Crisis)
    }
}

/// Where a youth goes after a stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Service(ServiceId),
    Exit,
}

/// One branch of the routing after a stay.
#[derive(Clone, Debug)]
pub struct Route {
    pub to: Target,
    pub p: f64,
}

/// One kind of care with its own capacity and waiting list.
#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub segment: SegmentId,
    pub setting: Setting,
    /// Places over time (a step function); `None` is unlimited.
    pub capacity: Option<TimeFn>,
    /// Youths in care at the start, with residual stays from the equilibrium distribution.
    pub initial: u32,
    /// Length of stay, days.
    pub los: Dist,
    /// Wait-time norm, days (treeknorm), if the service has one.
    pub norm: Option<f64>,
    /// Routing after the stay; probabilities sum to 1.
    pub next: Vec<Route>,
}

/// A Poisson stream of new referrals.
#[derive(Clone, Debug)]
pub struct Inflow {
    pub to: ServiceId,
    /// Referrals per day (the scenario's per-year rate / 365.25), as a function of time.
    pub per_day: TimeFn,
    /// Multiplier on the rate, linear between its points.
    pub trend: TimeFn,
    /// Age at referral, years: uniform on `[min, max + 1)`.
    pub age_min: f64,
    pub age_max: f64,
}

/// A whole validated scenario.
#[derive(Clone, Debug)]
pub struct Model {
    pub name: String,
    pub description: String,
    pub timeline: Timeline,
    pub seed: u64,
    pub replications: u32,
    pub segments: Vec<String>,
    pub services: Vec<Service>,
    pub inflows: Vec<Inflow>,
}

impl Model {
    /// The segment of a service.
    pub fn segment_of(&self, s: ServiceId) -> SegmentId {
        self.services[s.0 as usize].segment
    }
}
