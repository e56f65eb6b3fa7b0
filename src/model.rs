//! The validated model: services, inflows and the rules of the youth-care world.
//!
//! A [`Model`] is built once from a scenario file (see [`crate::scenario`]) and never
//! changes: every id is resolved to an index, every date to a day number, every
//! distribution to its sampler. [`sim`] runs one replication of it.

pub mod pricing;
pub mod sim;
mod timefn;

pub use crate::stats::PathwayNorm;
pub use timefn::TimeFn;

use crate::engine::Dist;
use crate::stats::Metric;
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
    /// Institutional places: groups, treatment groups, secure care.
    Residential,
    /// Family-like places out of home: foster families and family homes. Out of home, but
    /// not counted among the residential (institutional) places.
    Family,
    Crisis,
    Assessment,
}

impl Setting {
    /// The accepted spellings, for messages.
    pub const NAMES: &'static str = "ambulant, residential, family, crisis, assessment";

    /// Parses the scenario spelling.
    pub fn parse(s: &str) -> Option<Setting> {
        match s {
            "ambulant" => Some(Setting::Ambulant),
            "residential" => Some(Setting::Residential),
            "family" => Some(Setting::Family),
            "crisis" => Some(Setting::Crisis),
            "assessment" => Some(Setting::Assessment),
            _ => None,
        }
    }

    /// A stay in this setting is an out-of-home placement (uithuisplaatsing).
    pub fn out_of_home(self) -> bool {
        matches!(
            self,
            Setting::Residential | Setting::Family | Setting::Crisis
        )
    }

    /// The scenario spelling.
    pub fn name(self) -> &'static str {
        match self {
            Setting::Ambulant => "ambulant",
            Setting::Residential => "residential",
            Setting::Family => "family",
            Setting::Crisis => "crisis",
            Setting::Assessment => "assessment",
        }
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
    /// Probability over time; the branches of one `next` sum to 1 at all times.
    pub p: TimeFn,
}

/// Index of a profile in [`Model::profiles`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileId(pub u8);

/// A named type of youth (e.g. the HSJ-MCP target group): its share of the inflows that
/// do not name a profile, its admission priority, and per-service overrides.
#[derive(Clone, Debug)]
pub struct Profile {
    pub id: String,
    pub share: f64,
    /// Higher is admitted first at services with `priority = true`.
    pub priority: i32,
}

/// Where youths go who give up waiting.
#[derive(Clone, Debug)]
pub struct Patience {
    /// Time a youth is willing to wait, days.
    pub dist: Dist,
    pub renege_to: Target,
    /// The need of a youth who gave up and left care coming back (only with `renege_to`
    /// out of care).
    pub comeback: Option<Comeback>,
}

/// Unmet need comes back: a youth who gave up waiting and left care returns with
/// probability `p`, `after` days (drawn) later, at service `to` — care more intensive than
/// the care it waited for.
#[derive(Clone, Debug)]
pub struct Comeback {
    pub p: f64,
    pub after: Dist,
    pub to: ServiceId,
}

/// Substitution of referrals to another service.
#[derive(Clone, Debug)]
pub struct Divert {
    pub to: ServiceId,
    /// Share of referrals diverted, over time.
    pub share: TimeFn,
    /// Divert only when the alternative has a free place at once.
    pub only_if_free: bool,
    /// Diverted youths placed after all, later, at the service they were diverted from.
    pub placed_later: Option<PlacedLater>,
}

/// The failure of a diversion: with probability `p` a diverted youth is placed at the
/// service it was diverted from, `after` days (drawn) after the diversion — whatever care
/// it is in then ends, or it comes back into care if it had left.
#[derive(Clone, Debug)]
pub struct PlacedLater {
    pub p: f64,
    pub after: Dist,
}

/// Return to care after leaving it.
#[derive(Clone, Debug)]
pub struct Reentry {
    pub p: f64,
    pub after: Dist,
    pub to: ServiceId,
    /// An easy way back: a youth returning within this period goes elsewhere than `to`.
    pub way_back: Option<WayBack>,
}

/// Care alongside (`alongside = { service, p }`): a youth admitted to the service also
/// starts, with probability `p`, an episode at `to` (a service of another segment) that runs
/// at the same time — its own place, waiting list, stay and cost, but the same youth for
/// distinct counting (`clients`) and for the cost per youth-year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Alongside {
    pub to: ServiceId,
    pub p: f64,
}

/// The easy way back (seed 000: "een eenvoudige praktische en administratieve weg terug"):
/// a youth who returns within `within_days` of leaving goes straight to `to` — the care it
/// left when `None` — instead of the route of a new referral.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WayBack {
    pub within_days: f64,
    pub to: Option<ServiceId>,
}

/// Whom a family-like place (a foster family, a family home) can take when a referral for
/// a group is matched to it: youths whose age at placement is in `[age_min, age_max)`
/// years and whose needs a family can carry — a share of each profile's youths.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepts {
    pub age_min: f64,
    pub age_max: f64,
    /// Per profile (in profile order): the share of its youths this place can take.
    pub share: Vec<f64>,
}

/// Placement breakdown: a hazard during the stay that moves the youth elsewhere.
#[derive(Clone, Debug)]
pub struct Breakdown {
    /// Hazard rate per day.
    pub per_day: f64,
    pub to: ServiceId,
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
    /// Per-profile overrides of `los` (indexed by profile).
    pub los_by_profile: Vec<Option<Dist>>,
    /// Longest stay, days (a crisis placement): stays are cut to it.
    pub max_stay: Option<f64>,
    /// Wait-time norm, days (treeknorm), if the service has one.
    pub norm: Option<f64>,
    /// Norms of the pathways that enter their segment (or care) here, if any: the two
    /// stages `norm_intake` + `norm_treatment`, or else `norm` on the whole time to care.
    pub pathway_norm: Option<PathwayNorm>,
    /// Waiting youths may give up.
    pub patience: Option<Patience>,
    /// Youths on the waiting list at the start (`queue.waiting`).
    pub initial_waiting: u32,
    /// The mean wait the starting list is in, days (`queue.waited`): their waits so far
    /// are spread evenly from it down to 0, the longest at the head of the list.
    pub initial_waited: f64,
    /// Admit by profile priority, then first come first served.
    pub priority: bool,
    /// Keep the place after the stay until the next service admits (bed blocking).
    pub hold_until_next: bool,
    /// When full, refer to this service instead of waiting (from when: see
    /// [`Service::overflows`]).
    pub overflow_to: Option<ServiceId>,
    /// `overflow_from`: the day `overflow_to` applies from, days from the start; `None`:
    /// from the day the capacity reaches zero when its path does, else from the start.
    pub overflow_from: Option<f64>,
    pub divert: Option<Divert>,
    /// Family-like places a referral here is placed in first, in order, when one is free
    /// and its [`Accepts`] rule takes the youth (matching, *ombouw*); a youth waiting here
    /// is matched when such a place frees up.
    pub match_to: Vec<ServiceId>,
    /// Whom this place takes when a referral for a group is matched to it.
    pub accepts: Option<Accepts>,
    /// Secure care (JeugdzorgPlus, small-scale secure): youths waiting here are counted as
    /// breaches of their own (`secure_care_breaches`); a secure service overflows or
    /// diverts only to secure services.
    pub secure: bool,
    /// Routing after the stay; probabilities sum to 1.
    pub next: Vec<Route>,
    /// Per-profile overrides of `next` (indexed by profile).
    pub next_by_profile: Vec<Option<Vec<Route>>>,
    pub reentry: Option<Reentry>,
    pub breakdown: Option<Breakdown>,
    /// Care in another segment that a youth admitted here may get at the same time.
    pub alongside: Option<Alongside>,
    /// Age (years) at which care here ends: 18 with `at_18 = "exit"`, else `max_age`.
    pub age_limit: f64,
    /// Capacity changes after the start, in time order (from `capacity` schedules and
    /// `[[schedule]]` entries); a gated reduction waits until its gate holds.
    pub steps: Vec<CapacityStep>,
    /// Capacity from staff (`fte × caseload`), replacing `capacity`.
    pub staff: Option<Staff>,
    /// An open-ended contract: places follow demand at each review.
    pub open_ended: Option<OpenEnded>,
    /// Staff freed by capacity reductions here, part of whom move to another service.
    pub release: Option<Release>,
    /// What the service costs (P×Q), if a tariff is given.
    pub tariff: Option<Tariff>,
}

impl Service {
    /// Whether a full service sends a youth on to its `overflow_to` at day `t`, given the
    /// capacity steps it has taken (`done`): from `overflow_from` when given; else, when
    /// its capacity path reaches zero (a strategy closing it), from the day it has
    /// (before that a full service keeps its waiting list, as without the key: a road
    /// differs from the baseline only once it changes something); else whenever full.
    pub fn overflows(&self, t: f64, done: &[CapacityStep]) -> bool {
        if let Some(from) = self.overflow_from {
            return t >= from;
        }
        let zero_at_start =
            self.staff.is_none() && self.capacity.as_ref().is_some_and(|c| c.at(0.0) < 0.5);
        let closes = self.staff.is_none() && self.steps.iter().any(|st| st.value == 0);
        !closes || zero_at_start || done.iter().any(|st| st.value == 0)
    }
}

/// A service's tariff, in euros. Amounts may change over time and are indexed by
/// `[finance]` (see [`Indexation`]); how they are applied is decided in
/// [`crate::model::pricing`].
#[derive(Clone, Debug)]
pub struct Tariff {
    /// Per day in care.
    pub per_day: TimeFn,
    /// Per hour of care, with `hours_per_week` hours per youth in care.
    pub per_hour: TimeFn,
    pub hours_per_week: f64,
    /// Per admission (an assessment, a crisis intake, a trajectory price).
    pub per_admission: TimeFn,
    /// Fixed cost of a place per year, paid whether it is used or not.
    pub per_place_per_year: TimeFn,
    /// What a place that closes goes on costing while it winds down (stranded cost).
    pub closing: Option<Closing>,
}

/// The wind-down of a place that closes: a share of its day rate (the fixed part: staff
/// on contract, the building) goes on for a number of days after the reduction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Closing {
    /// Share of the day rate that is fixed cost, 0–1.
    pub fixed_share: f64,
    /// Days the fixed cost runs on after a place closes.
    pub days: f64,
}

/// How a segment is paid for (Lekstroom's funding matrix, seed 003).
#[derive(Clone, Debug)]
pub enum FundingModel {
    /// 1b — fee for service: realised volume × tariff.
    Pxq,
    /// 1a — a lump sum per year for the task, whatever the volume.
    Taakgericht(LumpSum),
    /// 2b — a price per trajectory: each entry into the segment is paid by the youth's
    /// profile (euros over time, indexed like tariffs at the middle of the reporting slice
    /// of the entry), however long or heavy it turns out.
    Trajectory {
        /// Price per profile, in profile order.
        prices: Vec<TimeFn>,
    },
    /// 2a — a lump sum with a bonus or malus on one KPI of the segment against a target.
    Outcome(Outcome),
}

/// How a taakgericht lump sum is sized.
#[derive(Clone, Debug)]
pub enum LumpSum {
    /// Given, in euros per year (over time).
    Budget(TimeFn),
    /// Every place paid for, used or idle: capacity × day tariff (+ fixed place cost).
    Capacity,
    /// Per youth in the population: `per_capita` euros a year × `population` youths.
    PerCapita {
        per_capita: TimeFn,
        population: TimeFn,
    },
}

/// Outcome funding: `budget` a year, plus `per_unit` euros for every unit the KPI is
/// better than `target` (a bonus) or minus for every unit worse (a malus), the bonus or
/// malus capped at `cap` × the budget.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub budget: TimeFn,
    /// A segment metric where lower is better (e.g. out-of-home days).
    pub kpi: Metric,
    /// Target per year, in the KPI's unit (over time).
    pub target: TimeFn,
    /// Euros per unit of difference from the target.
    pub per_unit: f64,
    /// The largest bonus or malus as a share of the budget.
    pub cap: f64,
}

/// The KPIs an outcome model may pay on: segment metrics per year where lower is better.
pub const OUTCOME_KPIS: [Metric; 7] = [
    Metric::OutOfHomeDays,
    Metric::WaitDaysMean,
    Metric::OverNormShare,
    Metric::WaitingEnd,
    Metric::Reneged,
    Metric::Reentries,
    Metric::BlockedDays,
];

/// `[finance]`.
#[derive(Clone, Debug, Default)]
pub struct Finance {
    /// How prices grow over time (applied by [`crate::model::pricing::index`]).
    pub indexation: Indexation,
    /// Funding model per segment (segments not listed are P×Q).
    pub funding: Vec<(SegmentId, FundingModel)>,
    /// Income a segment receives from outside the region (`[[finance.income]]`): a
    /// national programme's money, in euros a year, not indexed.
    pub income: Vec<Income>,
    /// The contract terms of a taakgericht segment's lump sum: its risk corridor, the
    /// settlement beyond it, and re-basing between contract periods.
    pub contracts: Vec<(SegmentId, Contract)>,
    /// Services whose places a road pays while they stand idle, when it builds them
    /// beyond the baseline's (teams built ahead of closure): euros per place per year,
    /// over time, indexed like tariffs.
    pub standing: Vec<(ServiceId, TimeFn)>,
    /// National transformation money for a road that winds a service down.
    pub grant: Option<NationalMoney>,
    /// The region's share of the national savings target.
    pub target: Option<SavingsTarget>,
}

/// Money a segment receives from outside (`[[finance.income]]`), e.g. the national
/// programme for replacing closed youth care (Rijksoverheid, 11 Nov 2024: €176M).
#[derive(Clone, Debug)]
pub struct Income {
    pub id: String,
    pub segment: SegmentId,
    /// Euros a year, over time (nominal: not indexed).
    pub per_year: TimeFn,
}

impl Income {
    /// Euros received from `a` to `b` (days): the yearly amount at the middle of the span
    /// × its length in years.
    pub fn over(&self, a: f64, b: f64) -> f64 {
        self.per_year.at((a + b) / 2.0) * (b - a) / crate::timeline::DAYS_PER_YEAR
    }
}

/// The terms of a taakgericht contract (seed 003's "1a"): within `corridor` × the lump sum
/// of it, the provider carries the difference between the lump sum and the P×Q value of
/// the care it gives; beyond it, the region pays `above` of the overrun and takes back
/// `below` of the underspend. Every `rebase_every` years the lump sum is set anew to the
/// last year's P×Q cost and held in real terms for the next contract period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Contract {
    /// Share of the lump sum, ≥ 0 (infinite: no corridor, the provider carries it all).
    pub corridor: f64,
    /// Region's share of an overrun beyond the corridor, 0–1.
    pub above: f64,
    /// Region's share of an underspend beyond the corridor, 0–1.
    pub below: f64,
    /// Years of a contract period after which the lump sum is re-based, if any.
    pub rebase_every: Option<u32>,
}

/// How prices grow: every tariff and amount of a scenario is given at one price level and
/// indexed from it.
#[derive(Clone, Debug, PartialEq)]
pub enum Indexation {
    /// `indexation_per_year`: prices of the run's start, grown by the rate a year,
    /// compounded continuously.
    PerYear(f64),
    /// `[finance.indexation]`: prices of the year `prices_of`, raised on each 1 January by
    /// that year's rate (the last rate given holds for later years), as municipalities
    /// index youth-care contracts.
    Yearly {
        prices_of: i16,
        /// Per calendar year from `prices_of + 1` on, the rate given for it.
        rates: Vec<(i16, f64)>,
        /// From each day (since the run's start), the factor on the prices of
        /// `prices_of`, in time order; `before` holds before the first.
        steps: Vec<(f64, f64)>,
        before: f64,
    },
}

impl Default for Indexation {
    fn default() -> Indexation {
        Indexation::PerYear(0.0)
    }
}

/// National transformation money (`[finance.national_money]`): euros per year (over time,
/// nominal) that pay the frictiekosten of one segment, for a road that winds a service
/// down.
#[derive(Clone, Debug)]
pub struct NationalMoney {
    pub segment: SegmentId,
    /// The service whose winding down qualifies a road (closed youth care).
    pub when_closing: ServiceId,
    pub per_year: TimeFn,
    /// Whether this scenario qualifies: the service the grant names has fewer places
    /// planned at the end than at the start.
    pub qualifies: bool,
}

/// The savings target (`[finance.target]`): the national savings per year (over time,
/// nominal euros) and the region's share of them.
#[derive(Clone, Debug)]
pub struct SavingsTarget {
    pub national: TimeFn,
    pub share: f64,
}

/// What counts as a risk in the comparison of strategies (`[report]`).
#[derive(Clone, Debug)]
pub struct RiskSettings {
    /// `risk_over_norm_share`: a year is a wait risk when more than this share of the
    /// region's admissions (where a norm applies) wait beyond their norm. Default 0.05.
    pub over_norm_share: f64,
    /// `budget`: the region's budget in euros per year (at the scenario's price level,
    /// indexed like tariffs), used for `risk_budget` when no funding model sets a lump sum.
    pub budget: Option<TimeFn>,
}

impl Default for RiskSettings {
    fn default() -> RiskSettings {
        RiskSettings {
            over_norm_share: 0.05,
            budget: None,
        }
    }
}

/// A planned change of a service's places.
#[derive(Clone, Debug)]
pub struct CapacityStep {
    /// Planned time, days.
    pub at: f64,
    pub value: u32,
    /// A reduction waits until this holds.
    pub gate: Option<Gate>,
}

/// A condition on another service: its places are at least `min_capacity`, and (a
/// go/no-go on waiting) at most `max_waiting` youths wait there.
#[derive(Clone, Copy, Debug)]
pub struct Gate {
    pub service: ServiceId,
    pub min_capacity: u32,
    pub max_waiting: Option<u32>,
}

/// Staffing of a service whose capacity is `productive FTE × caseload`.
#[derive(Clone, Debug)]
pub struct Staff {
    /// Productive FTE at the start.
    pub fte: f64,
    /// Youths per productive FTE.
    pub caseload: f64,
    /// The FTE the service hires towards, over time.
    pub target_fte: TimeFn,
    /// Hires per month at most (FTE).
    pub max_hires_per_month: f64,
    /// Days from hiring to being productive: a fixed number, or drawn per hire (`None`:
    /// productive at once).
    pub lead: Option<Dist>,
    /// Share of productive FTE leaving per year (replaced by hiring).
    pub attrition_per_year: f64,
    /// Random staffing: leavers are whole FTE drawn each month (Poisson, with the mean
    /// of `attrition_per_year / 12` × FTE), hires whole FTE, and lead times drawn from
    /// `lead`, from a stream of the replication. Otherwise the expected values.
    pub random: bool,
    /// Hiring that follows demand: the target is the FTE the youths in care and waiting
    /// need × (1 + headroom) at the caseload, at most `target_fte`.
    pub demand_headroom: Option<f64>,
    /// A recruitment pipeline (`recruit`, foster families): instead of hiring towards a
    /// target, this many are recruited a year (over time), whatever the gap; `fte` is then
    /// the active families and `caseload` the places per family.
    pub recruit_per_year: Option<TimeFn>,
}

/// Places that follow demand (an open-ended P×Q contract): every `review_days` the
/// service's places become the youths in care and waiting × (1 + `headroom`), rounded
/// up, but at least `min` places.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpenEnded {
    pub review_days: f64,
    pub headroom: f64,
    pub min: u32,
}

/// Staff freed when places close at a service: `fte_per_place` FTE per place closed, of
/// whom a share `share` retrains for service `to` (a staffed service) and becomes
/// productive there `retrain_days` later; the others leave. While retraining they are
/// paid (`fte_cost_per_year`, indexed), counted as stranded cost of the service they left.
#[derive(Clone, Debug)]
pub struct Release {
    pub to: ServiceId,
    pub fte_per_place: f64,
    pub share: f64,
    pub retrain_days: f64,
    pub fte_cost_per_year: f64,
}

/// A procurement transition of one segment: two contract regimes side by side.
#[derive(Clone, Debug)]
pub struct Transition {
    pub segment: SegmentId,
    /// Window, days: `[from, to)`.
    pub from: f64,
    pub to: f64,
    /// Share of places lost in the window.
    pub capacity_loss: f64,
    /// Extra days before a referral reaches a service of the segment.
    pub referral_delay: f64,
    /// Whether the delay also holds for crisis services (`setting = "crisis"`).
    pub delay_crisis: bool,
    /// Whether crisis services lose places too (crisis beds are untouched by default).
    pub loss_crisis: bool,
}

/// A Poisson stream of new referrals.
#[derive(Clone, Debug)]
pub struct Inflow {
    pub to: ServiceId,
    /// Referrals per day (the scenario's per-year rate / [`crate::timeline::DAYS_PER_YEAR`]),
    /// as a function of time.
    pub per_day: TimeFn,
    /// Multiplier on the rate, linear between its points.
    pub trend: TimeFn,
    /// Age at referral, years: uniform on `[min, max + 1)`.
    pub age_min: f64,
    pub age_max: f64,
    /// The profile of every youth of this inflow; `None` draws one by the profile shares.
    pub profile: Option<ProfileId>,
    /// Volume moved to another service (and segment) by policy: a share of these
    /// referrals (over time) is referred to `shift.to` instead.
    pub shift: Option<Shift>,
}

/// A share of an inflow's referrals (over time) referred to another service instead — a
/// road moving volume between segments ("aanvullende hulp flink omlaag").
#[derive(Clone, Debug)]
pub struct Shift {
    pub to: ServiceId,
    pub share: TimeFn,
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
    /// Youth profiles; a model without any has one implicit profile, `default`.
    pub profiles: Vec<Profile>,
    pub transitions: Vec<Transition>,
    /// Segments in transition per calendar quarter: (first day, load).
    pub change_load: Vec<(f64, u32)>,
    /// The most segments that may change at once before `validate` warns.
    pub max_concurrent: u32,
    /// How much each open transition window's capacity loss and referral delay grow
    /// for every other segment in transition at the same time: × (1 + penalty × (k − 1))
    /// with k segments changing at once.
    pub change_load_penalty: f64,
    pub finance: Finance,
    /// `[report] flag_over_norm_share`: a service whose share of admissions over its
    /// norm is above this is flagged in every report (default 0.2).
    pub flag_over_norm_share: f64,
    /// Notes from validation that do not make the scenario invalid (dated values of a
    /// base file cut to a horizon its child changed); shown with [`Model::warnings`].
    pub notes: Vec<String>,
    /// `[report]` settings that define the risk measures of a comparison.
    pub risk: RiskSettings,
    /// Where a replication stops with an error instead of running out of memory or time.
    pub limits: Limits,
}

/// Sizes no real region reaches: a replication that passes one stops with a message
/// ([`sim::SimError`]) instead of exhausting memory or running without end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Youths in the system at once (in care, waiting, or away before a return):
    /// `[scenario] max_youths`, default [`Limits::MAX_YOUTHS`].
    pub max_youths: u64,
    /// Events per simulated day, on average over a million events (a loop of near-zero
    /// stays passes it at once; the default scenario makes about 90 a day).
    pub max_events_per_day: u64,
}

impl Limits {
    /// The default of `max_youths`: more young people than live in any Dutch youth-care
    /// region, and about 300 MB of memory per replication in flight.
    pub const MAX_YOUTHS: u64 = 1_000_000;
    /// The default events per simulated day: 100,000, a thousand times the default
    /// scenario's pace.
    pub const MAX_EVENTS_PER_DAY: u64 = 100_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_youths: Limits::MAX_YOUTHS,
            max_events_per_day: Limits::MAX_EVENTS_PER_DAY,
        }
    }
}

impl Model {
    /// Things worth a warning that do not make the scenario invalid: dated values of a
    /// base cut to the horizon ([`Model::notes`]), more segments in a procurement
    /// transition at once than `max_concurrent` ("grenzen aan het verandervermogen"), and
    /// names that differ only in case.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = self.notes.clone();
        out.extend(self.change_load_warning());
        out.extend(self.case_warnings());
        out
    }

    /// Warnings for two services (or two segments) whose names differ only in case: the
    /// files named after them in an output folder (its charts) are one file on the disks
    /// of Windows and macOS, where the second replaces the first.
    fn case_warnings(&self) -> Vec<String> {
        let services: Vec<&str> = self.services.iter().map(|s| s.id.as_str()).collect();
        let segments: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        for (what, names) in [("services", services), ("segments", segments)] {
            for (i, a) in names.iter().enumerate() {
                if let Some(b) = names[..i].iter().find(|b| b.eq_ignore_ascii_case(a)) {
                    out.push(format!(
                        "{what} '{b}' and '{a}' differ only in case: their charts in an output \
                         folder are one file on Windows and macOS; give them names that differ \
                         in more than case"
                    ));
                }
            }
        }
        out
    }

    /// The warning when more segments are in transition at once than `max_concurrent`.
    fn change_load_warning(&self) -> Option<String> {
        let max = self.change_load.iter().map(|x| x.1).max().unwrap_or(0);
        if max <= self.max_concurrent {
            return None;
        }
        let quarters: Vec<String> = self
            .change_load
            .iter()
            .filter(|(_, l)| *l > self.max_concurrent)
            .map(|(t, l)| format!("{} ({l})", self.timeline.date_of(*t)))
            .collect();
        Some(format!(
            "up to {max} segments are in a procurement transition at once, more than \
             max_concurrent = {}: quarters starting {}",
            self.max_concurrent,
            quarters.join(", ")
        ))
    }
}
