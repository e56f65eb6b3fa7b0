//! The scenario file exactly as written: serde structs with `deny_unknown_fields` and the
//! position of every value that validation may complain about.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;
use toml::value::Datetime;

use super::ScenarioError;
use super::chain::Chain;

/// A value with its byte range in the file.
pub type S<T> = Spanned<T>;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub scenario: S<RawScenario>,
    pub report: Option<S<RawReport>>,
    #[serde(default)]
    pub inflow: Vec<S<RawInflow>>,
    #[serde(default)]
    pub service: Vec<S<RawService>>,
    #[serde(default)]
    pub profile: Vec<S<RawProfile>>,
    #[serde(default)]
    pub schedule: Vec<S<RawSchedule>>,
    #[serde(default)]
    pub transition: Vec<S<RawTransition>>,
    pub finance: Option<S<RawFinance>>,
}

/// One `[[schedule]]`: a time path of a service parameter, possibly gated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    pub service: S<String>,
    pub param: S<String>,
    pub points: S<Vec<S<RawPoint>>>,
    pub gate: Option<S<RawGate>>,
}

/// `gate = { service, min_capacity, max_waiting }` (at least one of the last two).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGate {
    pub service: S<String>,
    pub min_capacity: Option<S<i64>>,
    pub max_waiting: Option<S<i64>>,
}

/// One `[[transition]]`: a segment's hybrid procurement window.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransition {
    pub segment: S<String>,
    pub from: S<Datetime>,
    pub to: S<Datetime>,
    pub capacity_loss: Option<S<f64>>,
    pub referral_delay: Option<S<f64>>,
    pub delay_crisis: Option<S<bool>>,
    pub loss_crisis: Option<S<bool>>,
}

/// `staff = { fte, caseload, target_fte, max_hires_per_month, lead_days | lead,
/// attrition_per_year, random }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStaff {
    pub fte: S<f64>,
    pub caseload: S<f64>,
    pub target_fte: Option<S<RawTime>>,
    pub max_hires_per_month: Option<S<f64>>,
    pub lead_days: Option<S<f64>>,
    pub lead: Option<S<RawDist>>,
    pub attrition_per_year: Option<S<f64>>,
    pub random: Option<S<bool>>,
    pub demand_headroom: Option<S<f64>>,
}

/// `recruit = { families, per_family, per_year, lead_days | lead, attrition_per_year,
/// random }`: places from a recruitment pipeline (foster families).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecruit {
    pub families: S<f64>,
    pub per_family: Option<S<f64>>,
    pub per_year: S<RawTime>,
    pub lead_days: Option<S<f64>>,
    pub lead: Option<S<RawDist>>,
    pub attrition_per_year: Option<S<f64>>,
    pub random: Option<S<bool>>,
}

/// `accepts = { age, share, profiles }`: whom a family-like place takes when a referral
/// for a group is matched to it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccepts {
    pub age: Option<S<RawAge>>,
    pub share: S<f64>,
    pub profiles: Option<S<BTreeMap<String, S<f64>>>>,
}

/// `open_ended = { review_days, headroom, min }`: places that follow demand.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpenEnded {
    pub review_days: Option<S<f64>>,
    pub headroom: Option<S<f64>>,
    pub min: Option<S<i64>>,
}

/// `release = { to, fte_per_place, share, retrain_days, fte_cost_per_year }`: staff freed
/// by closing places.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    pub to: S<String>,
    pub fte_per_place: S<f64>,
    pub share: S<f64>,
    pub retrain_days: Option<S<f64>>,
    pub fte_cost_per_year: Option<S<f64>>,
}

/// One `[[profile]]`: a named type of youth.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub id: S<String>,
    pub description: Option<String>,
    pub share: Option<S<f64>>,
    pub priority: Option<S<i64>>,
    /// Per-service overrides of the length of stay: `{ residentieel = { dist = ... } }`.
    pub los: Option<BTreeMap<String, S<RawDist>>>,
    /// Per-service overrides of the routing: `{ crisis = [{ to = ..., p = ... }] }`.
    pub next: Option<BTreeMap<String, S<Vec<S<RawNext>>>>>,
}

/// `[scenario]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: S<String>,
    pub description: Option<String>,
    pub start: S<Datetime>,
    pub end: S<Datetime>,
    pub seed: Option<S<i64>>,
    /// Any TOML value, so that `1e12` gets "a whole number from 1 to 1,000,000".
    pub replications: Option<S<toml::Value>>,
    pub warmup: Option<S<f64>>,
    pub max_concurrent: Option<S<i64>>,
    pub change_load_penalty: Option<S<f64>>,
    pub max_youths: Option<S<i64>>,
}

/// `[report]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub interval: Option<S<String>>,
    pub flag_over_norm_share: Option<S<f64>>,
    pub risk_over_norm_share: Option<S<f64>>,
    pub budget: Option<S<RawTime>>,
}

/// One `[[inflow]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInflow {
    pub to: S<String>,
    pub per_year: S<RawTime>,
    pub trend: Option<S<Vec<S<RawFactor>>>>,
    pub age: Option<S<RawAge>>,
    pub profile: Option<S<String>>,
    pub shift: Option<S<RawShift>>,
}

/// Inflow `shift = { to, share }`: a share of the referrals sent to another service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    pub to: S<String>,
    pub share: S<RawTime>,
}

/// A point of an inflow `trend`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFactor {
    pub at: S<Datetime>,
    pub factor: S<f64>,
}

/// Inflow `age = { min, max }`, years.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAge {
    pub min: S<f64>,
    pub max: S<f64>,
}

/// One `[[service]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub id: S<String>,
    pub name: Option<String>,
    pub segment: S<String>,
    pub setting: S<String>,
    pub capacity: Option<S<RawTime>>,
    pub initial: Option<S<i64>>,
    pub los: S<RawDist>,
    pub queue: Option<S<RawQueue>>,
    pub next: Option<S<Vec<S<RawNext>>>>,
    pub max_stay: Option<S<f64>>,
    pub priority: Option<S<bool>>,
    pub hold_until_next: Option<S<bool>>,
    pub overflow_to: Option<S<String>>,
    pub overflow_from: Option<S<Datetime>>,
    pub divert: Option<S<RawDivert>>,
    pub match_to: Option<S<Vec<S<String>>>>,
    pub accepts: Option<S<RawAccepts>>,
    pub secure: Option<S<bool>>,
    pub recruit: Option<S<RawRecruit>>,
    pub reentry: Option<S<RawReentry>>,
    pub breakdown: Option<S<RawBreakdown>>,
    pub alongside: Option<S<RawAlongside>>,
    pub at_18: Option<S<String>>,
    pub max_age: Option<S<f64>>,
    pub staff: Option<S<RawStaff>>,
    pub open_ended: Option<S<RawOpenEnded>>,
    pub release: Option<S<RawRelease>>,
    pub tariff: Option<S<RawTariff>>,
}

/// `tariff = { per_day, per_hour, hours_per_week, per_admission, per_place_per_year }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTariff {
    pub per_day: Option<S<RawTime>>,
    pub per_hour: Option<S<RawTime>>,
    pub hours_per_week: Option<S<f64>>,
    pub per_admission: Option<S<RawTime>>,
    pub per_place_per_year: Option<S<RawTime>>,
    pub closing: Option<S<RawClosing>>,
}

/// `closing = { fixed_share, days }` or `closing = { parts = [{ name, share, days }, …] }`:
/// the wind-down cost of a place that closes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClosing {
    pub fixed_share: Option<S<f64>>,
    pub days: Option<S<f64>>,
    pub parts: Option<S<Vec<S<RawClosingPart>>>>,
}

/// One part of a closing place's fixed cost: a share of the day rate for a number of days.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClosingPart {
    pub name: S<String>,
    pub share: S<f64>,
    pub days: S<f64>,
}

/// `[finance]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFinance {
    pub indexation_per_year: Option<S<f64>>,
    pub indexation: Option<S<RawIndexation>>,
    #[serde(default)]
    pub funding: Vec<S<RawFunding>>,
    #[serde(default)]
    pub income: Vec<S<RawIncome>>,
    #[serde(default)]
    pub standing: Vec<S<RawStanding>>,
    pub national_money: Option<S<RawNationalMoney>>,
    pub target: Option<S<RawSavingsTarget>>,
}

/// `[finance.indexation]`: the year the prices are of, and a rate per calendar year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndexation {
    pub prices_of: S<i64>,
    /// `{ 2024 = 0.063, 2025 = 0.0496 }`: year → rate.
    pub rates: S<BTreeMap<String, S<f64>>>,
}

/// One `[[finance.standing]]`: a service whose idle places a road pays while it builds
/// them up.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStanding {
    pub service: S<String>,
    pub per_place_per_year: S<RawTime>,
}

/// `[finance.national_money]`: national transformation money for one segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNationalMoney {
    pub segment: S<String>,
    pub when_closing: S<String>,
    pub per_year: S<RawTime>,
}

/// `[finance.target]`: the national savings per year and the region's share.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSavingsTarget {
    pub national: S<RawTime>,
    pub share: S<f64>,
}

/// One `[[finance.income]]`: money a segment receives from outside the region.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncome {
    pub id: S<String>,
    pub segment: S<String>,
    pub per_year: S<RawTime>,
}

/// One `[[finance.funding]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFunding {
    pub segment: S<String>,
    pub model: S<String>,
    /// taakgericht and outcome: euros per year.
    pub budget: Option<S<RawTime>>,
    /// taakgericht per capita: euros per youth per year, and the youth population.
    pub per_capita: Option<S<RawTime>>,
    pub population: Option<S<RawTime>>,
    /// trajectory: price per entry by profile id (`default` for the others).
    pub prices: Option<S<BTreeMap<String, S<RawTime>>>>,
    /// outcome: the KPI, its yearly target, euros per unit and the cap on bonus/malus.
    pub kpi: Option<S<String>>,
    pub target: Option<S<RawTime>>,
    pub per_unit: Option<S<f64>>,
    pub cap: Option<S<f64>>,
    /// taakgericht: the risk corridor (share of the lump sum), the region's shares of an
    /// overrun above it and of an underspend below it, and re-basing every so many years.
    pub corridor: Option<S<f64>>,
    pub settle_above: Option<S<f64>>,
    pub settle_below: Option<S<f64>>,
    pub rebase_every: Option<S<i64>>,
}

/// `queue = { norm, norm_intake, norm_treatment, patience, renege_to, comeback, waiting,
/// waited }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    pub norm: Option<S<f64>>,
    pub waiting: Option<S<i64>>,
    pub waited: Option<S<f64>>,
    pub norm_intake: Option<S<f64>>,
    pub norm_treatment: Option<S<f64>>,
    pub patience: Option<S<RawDist>>,
    pub renege_to: Option<S<String>>,
    pub comeback: Option<S<RawComeback>>,
}

/// `queue.comeback = { p, after, to }`: the need of youths who gave up comes back.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComeback {
    pub p: S<f64>,
    pub after: S<RawDist>,
    pub to: S<String>,
}

/// `divert = { to, share, only_if_free }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDivert {
    pub to: S<String>,
    pub share: S<RawTime>,
    pub only_if_free: Option<bool>,
    pub placed_later: Option<S<RawPlacedLater>>,
}

/// `placed_later = { p, after }`: diverted youths placed after all.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlacedLater {
    pub p: S<f64>,
    pub after: Option<S<RawDist>>,
}

/// `reentry = { p, after, to }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReentry {
    pub p: S<f64>,
    pub after: S<RawDist>,
    pub to: S<String>,
    pub way_back: Option<S<RawWayBack>>,
}

/// `reentry.way_back = { within, to }`: the easy way back of a quick return.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWayBack {
    pub within: S<f64>,
    pub to: Option<S<String>>,
}

/// `alongside = { service, p }`: care in another segment at the same time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlongside {
    pub service: S<String>,
    pub p: S<f64>,
}

/// `breakdown = { per_year, to }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakdown {
    pub per_year: S<f64>,
    pub to: S<String>,
}

/// One branch of `next`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNext {
    pub to: S<String>,
    pub p: S<RawTime>,
}

/// A distribution: `{ dist = "lognormal", mean = 300, sd = 250 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: S<String>,
    pub mean: Option<S<f64>>,
    pub sd: Option<S<f64>>,
    pub cv: Option<S<f64>>,
    pub shape: Option<S<f64>>,
    pub scale: Option<S<f64>>,
    pub value: Option<S<f64>>,
    pub min: Option<S<f64>>,
    pub max: Option<S<f64>>,
    pub quantiles: Option<S<Vec<f64>>>,
}

/// A point of a schedule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    pub at: S<Datetime>,
    pub value: S<f64>,
}

/// A parameter marked (t): a number, a list of points (steps), or
/// `{ points = [...], interpolate = "step" | "linear" }`.
#[derive(Debug)]
pub enum RawTime {
    Const(f64),
    Points {
        points: Vec<S<RawPoint>>,
        interpolate: Option<S<String>>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeTable {
    points: Vec<S<RawPoint>>,
    interpolate: Option<S<String>>,
}

impl<'de> Deserialize<'de> for RawTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number, or a schedule: a list like [{ at = 2026-01-01, value = 300 }] \
                     or a table { points = [...], interpolate = \"linear\" }",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawTime, E> {
                Ok(RawTime::Const(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawTime, E> {
                Ok(RawTime::Const(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawTime, E> {
                Ok(RawTime::Const(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawTime, A::Error> {
                let mut points = Vec::new();
                while let Some(p) = seq.next_element::<S<RawPoint>>()? {
                    points.push(p);
                }
                Ok(RawTime::Points {
                    points,
                    interpolate: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawTime, A::Error> {
                let t = RawTimeTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawTime::Points {
                    points: t.points,
                    interpolate: t.interpolate,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses the TOML of a chain of files (see [`super::chain`]); syntax and type errors
/// become a [`super::Diagnostic`] with file and position.
pub fn parse(chain: &Chain) -> Result<RawFile, ScenarioError> {
    super::chain::parse_merged::<RawFile>(chain)
}

/// [`parse`] that reads on past what it cannot read: the file with those parts left out
/// (`None` when the rest does not read either), and their problems.
pub fn parse_all(chain: &Chain) -> Result<super::chain::Merged<RawFile>, ScenarioError> {
    super::chain::parse_merged_all::<RawFile>(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Chain {
        super::super::chain::load_chain(&super::super::Source {
            name: "t.toml".into(),
            text: text.into(),
        })
        .unwrap()
    }

    #[test]
    fn time_params_accept_number_list_and_table() {
        #[derive(Deserialize)]
        struct T {
            a: RawTime,
            b: RawTime,
            c: RawTime,
        }
        let t: T = toml::from_str(
            "a = 3\nb = [{ at = 2026-01-01, value = 2 }]\nc = { points = [{ at = 2026-01-01, value = 1.5 }], interpolate = \"linear\" }",
        )
        .unwrap();
        assert!(matches!(t.a, RawTime::Const(v) if v == 3.0));
        assert!(matches!(t.b, RawTime::Points { ref points, .. } if points.len() == 1));
        assert!(matches!(
            t.c,
            RawTime::Points {
                interpolate: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = parse(&src(
            "[scenario]\nname = \"x\"\nstart = 2024-01-01\nend = 2025-01-01\nbogus = 1\n",
        ))
        .unwrap_err();
        let ScenarioError::Invalid(d) = e else {
            panic!("expected invalid")
        };
        assert_eq!(d[0].line, 5, "{d:?}");
        assert!(d[0].message.contains("unknown key `bogus`"), "{d:?}");
    }
}
