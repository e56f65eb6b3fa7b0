//! Checks a [`RawFile`] completely and builds the [`Model`].
//!
//! Every problem is collected (not just the first), each pointing at the value at fault.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use jiff::civil::Date;
use toml::value::Datetime;

use super::chain::Chain;
use super::raw::{RawDist, RawFile, RawFunding, RawNext, RawReport, RawTime, S};
use super::{Diagnostic, ScenarioError};
use crate::engine::Dist;
use crate::model::{
    Breakdown, CapacityStep, Divert, Finance, FundingModel, Gate, Inflow, LumpSum, Model,
    OUTCOME_KPIS, Outcome, Patience, Profile, ProfileId, Reentry, RiskSettings, Route, SegmentId,
    Service, ServiceId, Setting, Staff, Target, Tariff, TimeFn, Transition,
};
use crate::timeline::{Interval, Timeline, days_between};
use toml::Spanned;

/// Default number of replications when `[scenario] replications` is absent.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Default seed when `[scenario] seed` is absent.
pub const DEFAULT_SEED: u64 = 1;
/// Age limit when `at_18 = "continue"` and no `max_age` is given: verlengde jeugdhulp
/// can run to 23.
pub const DEFAULT_MAX_AGE: f64 = 23.0;
/// Tolerance on probabilities that must sum to 1.
const P_TOLERANCE: f64 = 1e-9;

struct Ctx<'a> {
    src: &'a Chain,
    problems: Vec<Diagnostic>,
    start: Option<Date>,
    end: Option<Date>,
}

impl<'a> Ctx<'a> {
    fn err(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        self.problems
            .push(self.src.diag(span.start, field, message.into()));
    }

    fn date(&mut self, v: &S<Datetime>, field: &str) -> Option<Date> {
        let dt = v.get_ref();
        let d = match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => Date::new(d.year as i16, d.month as i8, d.day as i8).ok(),
            _ => None,
        };
        if d.is_none() {
            self.err(
                v.span(),
                field,
                format!("expected a date like 2026-01-01, got {dt}"),
            );
        }
        d
    }

    /// A date inside the horizon, as a simulation day.
    fn day_in_horizon(&mut self, v: &S<Datetime>, field: &str) -> Option<f64> {
        let d = self.date(v, field)?;
        let (start, end) = (self.start?, self.end?);
        if d < start || d > end {
            self.err(
                v.span(),
                field,
                format!("date {d} is outside the horizon {start} to {end}"),
            );
            return None;
        }
        Some(days_between(start, d) as f64)
    }

    /// A (t) parameter. `check` returns a message for a bad value.
    fn time_fn(
        &mut self,
        v: &S<RawTime>,
        field: &str,
        allow_linear: bool,
        check: &dyn Fn(f64) -> Option<String>,
    ) -> Option<TimeFn> {
        match v.get_ref() {
            RawTime::Const(x) => match check(*x) {
                Some(m) => {
                    self.err(v.span(), field, m);
                    None
                }
                None => Some(TimeFn::Const(*x)),
            },
            RawTime::Points {
                points,
                interpolate,
            } => {
                let mut ok = true;
                let linear = match interpolate {
                    None => false,
                    Some(s) => match s.get_ref().as_str() {
                        "step" => false,
                        "linear" if allow_linear => true,
                        "linear" => {
                            self.err(
                                s.span(),
                                &format!("{field}.interpolate"),
                                "this parameter changes in whole steps; only \"step\" is allowed",
                            );
                            ok = false;
                            false
                        }
                        other => {
                            self.err(
                                s.span(),
                                &format!("{field}.interpolate"),
                                format!("unknown interpolation \"{other}\"; allowed: step, linear"),
                            );
                            ok = false;
                            false
                        }
                    },
                };
                if points.is_empty() {
                    self.err(v.span(), field, "a schedule needs at least one point");
                    return None;
                }
                let mut out: Vec<(f64, f64)> = Vec::new();
                for (i, p) in points.iter().enumerate() {
                    let pf = format!("{field}[{}]", i + 1);
                    let p = p.get_ref();
                    let at = self.day_in_horizon(&p.at, &format!("{pf}.at"));
                    if let Some(m) = check(*p.value.get_ref()) {
                        self.err(p.value.span(), &format!("{pf}.value"), m);
                        ok = false;
                    }
                    match at {
                        Some(t) => {
                            if let Some(&(prev, _)) = out.last()
                                && t <= prev
                            {
                                self.err(
                                    p.at.span(),
                                    &format!("{pf}.at"),
                                    "schedule points must be in strictly increasing date order",
                                );
                                ok = false;
                            }
                            out.push((t, *p.value.get_ref()));
                        }
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                Some(if linear {
                    TimeFn::Linear(out)
                } else {
                    TimeFn::Step(out)
                })
            }
        }
    }

    /// A reference to a service (or `exit` where allowed).
    fn target(
        &mut self,
        v: &S<String>,
        field: &str,
        index: &HashMap<String, usize>,
        allow_exit: bool,
    ) -> Option<Target> {
        let to = v.get_ref();
        if to == "exit" && allow_exit {
            Some(Target::Exit)
        } else if let Some(&j) = index.get(to) {
            Some(Target::Service(ServiceId(j as u16)))
        } else {
            let hint = if allow_exit {
                "; use a service id or \"exit\""
            } else {
                ""
            };
            self.err(v.span(), field, format!("unknown service \"{to}\"{hint}"));
            None
        }
    }

    /// A routing list: known targets and probabilities summing to 1.
    fn routes(
        &mut self,
        list: &S<Vec<S<RawNext>>>,
        field: &str,
        index: &HashMap<String, usize>,
    ) -> Option<Vec<Route>> {
        if list.get_ref().is_empty() {
            self.err(
                list.span(),
                field,
                "`next` needs at least one branch; omit it to exit after the stay",
            );
            return None;
        }
        let mut out: Vec<Route> = Vec::new();
        let mut ok = true;
        for (k, b) in list.get_ref().iter().enumerate() {
            let b = b.get_ref();
            let target = self.target(&b.to, &format!("{field}[{}].to", k + 1), index, true);
            let p = self.time_fn(&b.p, &format!("{field}[{}].p", k + 1), true, &|p| {
                (!(p.is_finite() && (0.0..=1.0).contains(&p)))
                    .then(|| format!("a probability must be between 0 and 1, got {p}"))
            });
            match (target, p) {
                (Some(to), Some(p)) => out.push(Route { to, p }),
                _ => ok = false,
            }
        }
        if ok {
            // the sum is piecewise linear in time: checking it at every knot (and at the
            // start) checks it everywhere
            let mut times: Vec<f64> = vec![0.0];
            times.extend(out.iter().flat_map(|r| r.p.knots().iter().map(|k| k.0)));
            for t in times {
                let sum: f64 = out.iter().map(|r| r.p.at(t)).sum();
                if (sum - 1.0).abs() > P_TOLERANCE {
                    let when = self
                        .start
                        .and_then(|s| s.checked_add(jiff::Span::new().days(t as i64)).ok())
                        .filter(|_| t > 0.0)
                        .map(|d| format!(" on {d}"))
                        .unwrap_or_default();
                    self.err(
                        list.span(),
                        field,
                        format!(
                            "probabilities sum to {}{when}, must be 1",
                            (sum * 1e9).round() / 1e9
                        ),
                    );
                    ok = false;
                    break;
                }
            }
        }
        ok.then_some(out)
    }

    fn dist(&mut self, v: &S<RawDist>, field: &str) -> Option<Dist> {
        let d = v.get_ref();
        let name = d.dist.get_ref().as_str();
        let params: [(&str, Option<Range<usize>>); 9] = [
            ("mean", d.mean.as_ref().map(|x| x.span())),
            ("sd", d.sd.as_ref().map(|x| x.span())),
            ("cv", d.cv.as_ref().map(|x| x.span())),
            ("shape", d.shape.as_ref().map(|x| x.span())),
            ("scale", d.scale.as_ref().map(|x| x.span())),
            ("value", d.value.as_ref().map(|x| x.span())),
            ("min", d.min.as_ref().map(|x| x.span())),
            ("max", d.max.as_ref().map(|x| x.span())),
            ("quantiles", d.quantiles.as_ref().map(|x| x.span())),
        ];
        let wants: &[&str] = match name {
            "exponential" => &["mean"],
            "lognormal" => &["mean", "sd"],
            "gamma" => &["mean", "cv"],
            "weibull" => &["shape", "scale"],
            "fixed" => &["value"],
            "uniform" => &["min", "max"],
            "empirical" => &["quantiles"],
            other => {
                self.err(
                    d.dist.span(),
                    &format!("{field}.dist"),
                    format!(
                        "unknown distribution \"{other}\"; allowed: exponential{{mean}}, \
                         lognormal{{mean, sd}}, gamma{{mean, cv}}, weibull{{shape, scale}}, \
                         fixed{{value}}, uniform{{min, max}}, empirical{{quantiles}}"
                    ),
                );
                return None;
            }
        };
        let mut ok = true;
        for (p, span) in &params {
            match (wants.contains(p), span) {
                (false, Some(s)) => {
                    self.err(
                        s.clone(),
                        &format!("{field}.{p}"),
                        format!(
                            "`{p}` is not a parameter of {name}; it takes: {}",
                            wants.join(", ")
                        ),
                    );
                    ok = false;
                }
                (true, None) => {
                    self.err(
                        v.span(),
                        field,
                        format!("{name} needs `{p}` (it takes: {})", wants.join(", ")),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        if !ok {
            return None;
        }
        let g = |x: &Option<S<f64>>| x.as_ref().map_or(f64::NAN, |x| *x.get_ref());
        let result = match name {
            "exponential" => Dist::exponential(g(&d.mean)),
            "lognormal" => Dist::lognormal(g(&d.mean), g(&d.sd)),
            "gamma" => Dist::gamma(g(&d.mean), g(&d.cv)),
            "weibull" => Dist::weibull(g(&d.shape), g(&d.scale)),
            "fixed" => Dist::fixed(g(&d.value)),
            "uniform" => Dist::uniform(g(&d.min), g(&d.max)),
            _ => Dist::empirical(
                d.quantiles
                    .as_ref()
                    .map_or_else(Vec::new, |q| q.get_ref().clone()),
            ),
        };
        match result {
            Ok(dist) => Some(dist),
            Err(e) => {
                // point at the offending parameter when we can tell which it is
                let msg = e.to_string();
                let span = params
                    .iter()
                    .find(|(p, s)| s.is_some() && msg.contains(&format!("`{p}`")))
                    .and_then(|(_, s)| s.clone())
                    .unwrap_or_else(|| v.span());
                self.err(span, field, format!("{name}: {msg}"));
                None
            }
        }
    }
}

fn positive(what: &'static str) -> impl Fn(f64) -> Option<String> {
    move |x: f64| {
        (!(x.is_finite() && x > 0.0)).then(|| format!("{what} must be greater than 0, got {x}"))
    }
}

fn non_negative(what: &'static str) -> impl Fn(f64) -> Option<String> {
    move |x: f64| {
        (!(x.is_finite() && x >= 0.0)).then(|| format!("{what} must be at least 0, got {x}"))
    }
}

fn whole_places(x: f64) -> Option<String> {
    (!(x.is_finite() && x >= 0.0 && x.fract() == 0.0))
        .then(|| format!("capacity must be a whole number of places, at least 0, got {x}"))
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Validates everything and builds the model, or returns every problem found.
pub fn validate(src: &Chain, raw: RawFile) -> Result<Model, ScenarioError> {
    let mut cx = Ctx {
        src,
        problems: Vec::new(),
        start: None,
        end: None,
    };
    let sc = raw.scenario.get_ref();

    // [scenario]
    let name = sc.name.get_ref().clone();
    if name.is_empty()
        || name.starts_with('.')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        cx.err(
            sc.name.span(),
            "scenario.name",
            format!(
                "\"{name}\" cannot be an output folder name; use letters, digits, '-', '_' and '.'"
            ),
        );
    }
    cx.start = cx.date(&sc.start, "scenario.start");
    cx.end = cx.date(&sc.end, "scenario.end");
    let mut horizon_days = 0i64;
    if let (Some(s), Some(e)) = (cx.start, cx.end) {
        if e < s {
            cx.err(
                sc.end.span(),
                "scenario.end",
                format!("end {e} is before start {s}; `end` is the last simulated day"),
            );
            cx.end = None;
        } else {
            horizon_days = days_between(s, e) + 1;
        }
    }
    let seed = match &sc.seed {
        None => DEFAULT_SEED,
        Some(v) if *v.get_ref() >= 0 => *v.get_ref() as u64,
        Some(v) => {
            cx.err(
                v.span(),
                "scenario.seed",
                "seed must be a whole number of at least 0",
            );
            0
        }
    };
    let replications = match &sc.replications {
        None => DEFAULT_REPLICATIONS,
        Some(v) if (1..=1_000_000).contains(v.get_ref()) => *v.get_ref() as u32,
        Some(v) => {
            cx.err(
                v.span(),
                "scenario.replications",
                format!("must be between 1 and 1000000, got {}", v.get_ref()),
            );
            1
        }
    };
    let warmup = match &sc.warmup {
        None => 0,
        Some(v) => {
            let w = *v.get_ref();
            if !(w.is_finite() && w >= 0.0 && w.fract() == 0.0) {
                cx.err(
                    v.span(),
                    "scenario.warmup",
                    format!("warmup must be a whole number of days, at least 0, got {w}"),
                );
                0
            } else if horizon_days > 0 && w as i64 >= horizon_days {
                cx.err(
                    v.span(),
                    "scenario.warmup",
                    format!(
                        "warmup ({w} days) must be shorter than the horizon ({horizon_days} days)"
                    ),
                );
                0
            } else {
                w as i64
            }
        }
    };

    // [report]
    let mut interval = Interval::Month;
    if let Some(r) = &raw.report
        && let Some(i) = &r.get_ref().interval
    {
        match Interval::parse(i.get_ref()) {
            Some(x) => interval = x,
            None => cx.err(
                i.span(),
                "report.interval",
                format!(
                    "unknown interval \"{}\"; allowed: {}",
                    i.get_ref(),
                    Interval::NAMES
                ),
            ),
        }
    }

    // Services: ids first, so references can be resolved in any order.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut segments: Vec<String> = Vec::new();
    for (i, s) in raw.service.iter().enumerate() {
        let s = s.get_ref();
        let id = s.id.get_ref();
        if !valid_id(id) || id == "exit" || id == "all" {
            cx.err(
                s.id.span(),
                &format!("service #{}.id", i + 1),
                format!("\"{id}\" is not a usable id; use letters, digits, '-' and '_' (not \"exit\" or \"all\")"),
            );
        } else if index.insert(id.clone(), i).is_some() {
            cx.err(
                s.id.span(),
                &format!("service '{id}'.id"),
                format!("duplicate service id \"{id}\""),
            );
        }
        let seg = s.segment.get_ref();
        if !valid_id(seg) || seg == "all" {
            cx.err(
                s.segment.span(),
                &format!("service '{id}'.segment"),
                format!("\"{seg}\" is not a usable segment label; use letters, digits, '-' and '_' (not \"all\")"),
            );
        } else if !segments.contains(seg) {
            segments.push(seg.clone());
        }
    }
    if raw.service.is_empty() {
        cx.err(
            raw.scenario.span(),
            "service",
            "a scenario needs at least one [[service]]",
        );
    }

    // Profiles: ids, shares and priorities (their per-service overrides come with the
    // services below).
    let mut profile_index: HashMap<String, usize> = HashMap::new();
    let mut profiles: Vec<Profile> = Vec::new();
    for (i, p) in raw.profile.iter().enumerate() {
        let p = p.get_ref();
        let id = p.id.get_ref();
        if !valid_id(id) {
            cx.err(
                p.id.span(),
                &format!("profile #{}.id", i + 1),
                format!("\"{id}\" is not a usable id; use letters, digits, '-' and '_'"),
            );
        } else if profile_index.insert(id.clone(), i).is_some() {
            cx.err(
                p.id.span(),
                &format!("profile '{id}'.id"),
                format!("duplicate profile id \"{id}\""),
            );
        }
        let share = match &p.share {
            None => 0.0,
            Some(v) => {
                let x = *v.get_ref();
                if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
                    cx.err(
                        v.span(),
                        &format!("profile '{id}'.share"),
                        format!("a share must be between 0 and 1, got {x}"),
                    );
                }
                x
            }
        };
        let priority = match &p.priority {
            None => 0,
            Some(v) if (-1000..=1000).contains(v.get_ref()) => *v.get_ref() as i32,
            Some(v) => {
                cx.err(
                    v.span(),
                    &format!("profile '{id}'.priority"),
                    "priority must be a whole number between -1000 and 1000",
                );
                0
            }
        };
        profiles.push(Profile {
            id: id.clone(),
            share,
            priority,
        });
    }
    if profiles.len() > 200 {
        cx.err(
            raw.profile[200].span(),
            "profile",
            "at most 200 profiles are supported",
        );
    }
    let inflow_without_profile = raw.inflow.iter().any(|f| f.get_ref().profile.is_none());
    if !profiles.is_empty() && inflow_without_profile {
        let sum: f64 = profiles.iter().map(|p| p.share).sum();
        if (sum - 1.0).abs() > P_TOLERANCE {
            cx.err(
                raw.profile[0].span(),
                "profile.share",
                format!(
                    "profile shares sum to {}, must be 1 (inflows without `profile` draw one by these shares)",
                    (sum * 1e9).round() / 1e9
                ),
            );
        }
    }
    // per-service overrides, checked against the service ids
    let n_prof = profiles.len();
    let mut los_over: Vec<Vec<Option<Dist>>> = vec![vec![None; n_prof]; raw.service.len()];
    let mut next_over: Vec<Vec<Option<Vec<Route>>>> = vec![vec![None; n_prof]; raw.service.len()];
    for (pi, p) in raw.profile.iter().enumerate() {
        let p = p.get_ref();
        let pid = p.id.get_ref();
        for (sid, d) in p.los.iter().flatten() {
            let field = format!("profile '{pid}'.los.{sid}");
            match index.get(sid) {
                Some(&si) => los_over[si][pi] = cx.dist(d, &field),
                None => cx.err(d.span(), &field, format!("unknown service \"{sid}\"")),
            }
        }
        for (sid, list) in p.next.iter().flatten() {
            let field = format!("profile '{pid}'.next.{sid}");
            match index.get(sid) {
                Some(&si) => next_over[si][pi] = cx.routes(list, &field, &index),
                None => cx.err(list.span(), &field, format!("unknown service \"{sid}\"")),
            }
        }
    }

    let mut services = Vec::new();
    for (si, s) in raw.service.iter().enumerate() {
        let s = s.get_ref();
        let id = s.id.get_ref().clone();
        let f = |k: &str| format!("service '{id}'.{k}");
        let setting = Setting::parse(s.setting.get_ref());
        if setting.is_none() {
            cx.err(
                s.setting.span(),
                &f("setting"),
                format!(
                    "unknown setting \"{}\"; allowed: {}",
                    s.setting.get_ref(),
                    Setting::NAMES
                ),
            );
        }
        let capacity = s
            .capacity
            .as_ref()
            .map(|c| cx.time_fn(c, &f("capacity"), false, &whole_places));
        let initial = match &s.initial {
            None => 0,
            Some(v) if (0..=10_000_000).contains(v.get_ref()) => *v.get_ref() as u32,
            Some(v) => {
                cx.err(
                    v.span(),
                    &f("initial"),
                    format!(
                        "must be a whole number of youths, at least 0, got {}",
                        v.get_ref()
                    ),
                );
                0
            }
        };
        if let (Some(Some(cap)), Some(v)) = (&capacity, &s.initial) {
            let c0 = cap.at(0.0);
            if initial as f64 > c0 {
                cx.err(
                    v.span(),
                    &f("initial"),
                    format!("{initial} youths in care at the start, but the capacity then is {c0}"),
                );
            }
        }
        let los = cx.dist(&s.los, &f("los"));
        let max_stay =
            s.max_stay
                .as_ref()
                .and_then(|v| match positive("max_stay (days)")(*v.get_ref()) {
                    Some(m) => {
                        cx.err(v.span(), &f("max_stay"), m);
                        None
                    }
                    None => Some(*v.get_ref()),
                });
        let mut norm = None;
        let mut patience = None;
        let mut queue_ok = true;
        if let Some(q) = &s.queue {
            let q = q.get_ref();
            if let Some(n) = &q.norm {
                match positive("the norm (days)")(*n.get_ref()) {
                    Some(m) => cx.err(n.span(), &f("queue.norm"), m),
                    None => norm = Some(*n.get_ref()),
                }
            }
            match (&q.patience, &q.renege_to) {
                (None, Some(r)) => {
                    cx.err(
                        r.span(),
                        &f("queue.renege_to"),
                        "`renege_to` needs `patience` (how long youths wait before giving up)",
                    );
                    queue_ok = false;
                }
                (Some(pd), r) => {
                    let dist = cx.dist(pd, &f("queue.patience"));
                    let to = match r {
                        None => Some(Target::Exit),
                        Some(r) if r.get_ref() == &id => {
                            cx.err(
                                r.span(),
                                &f("queue.renege_to"),
                                "youths who give up waiting cannot be referred to the same service",
                            );
                            None
                        }
                        Some(r) => cx.target(r, &f("queue.renege_to"), &index, true),
                    };
                    match (dist, to) {
                        (Some(dist), Some(renege_to)) => {
                            patience = Some(Patience { dist, renege_to })
                        }
                        _ => queue_ok = false,
                    }
                }
                (None, None) => {}
            }
        }
        let priority = match &s.priority {
            Some(p) => *p.get_ref(),
            None => setting == Some(Setting::Crisis),
        };
        let hold_until_next = s.hold_until_next.as_ref().is_some_and(|h| *h.get_ref());
        let mut links_ok = true;
        let overflow_to = match &s.overflow_to {
            None => None,
            Some(o) if o.get_ref() == &id => {
                cx.err(
                    o.span(),
                    &f("overflow_to"),
                    "a service cannot overflow to itself",
                );
                links_ok = false;
                None
            }
            Some(o) => match cx.target(o, &f("overflow_to"), &index, false) {
                Some(Target::Service(x)) => Some(x),
                _ => {
                    links_ok = false;
                    None
                }
            },
        };
        let divert = match &s.divert {
            None => None,
            Some(d) => {
                let dv = d.get_ref();
                let to = if dv.to.get_ref() == &id {
                    cx.err(
                        dv.to.span(),
                        &f("divert.to"),
                        "a service cannot divert to itself",
                    );
                    None
                } else {
                    cx.target(&dv.to, &f("divert.to"), &index, false)
                };
                let share = cx.time_fn(&dv.share, &f("divert.share"), true, &|x| {
                    (!(x.is_finite() && (0.0..=1.0).contains(&x)))
                        .then(|| format!("a share must be between 0 and 1, got {x}"))
                });
                match (to, share) {
                    (Some(Target::Service(to)), Some(share)) => Some(Divert {
                        to,
                        share,
                        only_if_free: dv.only_if_free.unwrap_or(false),
                    }),
                    _ => {
                        links_ok = false;
                        None
                    }
                }
            }
        };
        let reentry = match &s.reentry {
            None => None,
            Some(r) => {
                let rv = r.get_ref();
                let p = *rv.p.get_ref();
                let p_ok = p.is_finite() && (0.0..=1.0).contains(&p);
                if !p_ok {
                    cx.err(
                        rv.p.span(),
                        &f("reentry.p"),
                        format!("a probability must be between 0 and 1, got {p}"),
                    );
                }
                let after = cx.dist(&rv.after, &f("reentry.after"));
                let to = cx.target(&rv.to, &f("reentry.to"), &index, false);
                match (p_ok, after, to) {
                    (true, Some(after), Some(Target::Service(to))) => {
                        Some(Reentry { p, after, to })
                    }
                    _ => {
                        links_ok = false;
                        None
                    }
                }
            }
        };
        let breakdown = match &s.breakdown {
            None => None,
            Some(b) => {
                let bv = b.get_ref();
                let rate = *bv.per_year.get_ref();
                let rate_ok = rate.is_finite() && rate > 0.0;
                if !rate_ok {
                    cx.err(
                        bv.per_year.span(),
                        &f("breakdown.per_year"),
                        format!("the breakdown rate per year must be greater than 0, got {rate}"),
                    );
                }
                let to = if bv.to.get_ref() == &id {
                    cx.err(
                        bv.to.span(),
                        &f("breakdown.to"),
                        "a broken-down placement must move the youth to another service",
                    );
                    None
                } else {
                    cx.target(&bv.to, &f("breakdown.to"), &index, false)
                };
                match (rate_ok, to) {
                    (true, Some(Target::Service(to))) => Some(Breakdown {
                        per_day: rate / 365.25,
                        to,
                    }),
                    _ => {
                        links_ok = false;
                        None
                    }
                }
            }
        };
        let continue_after_18 = match &s.at_18 {
            None => true,
            Some(a) => match a.get_ref().as_str() {
                "continue" => true,
                "exit" => false,
                other => {
                    cx.err(
                        a.span(),
                        &f("at_18"),
                        format!("unknown value \"{other}\"; allowed: continue, exit"),
                    );
                    true
                }
            },
        };
        let age_limit = match &s.max_age {
            None if continue_after_18 => DEFAULT_MAX_AGE,
            None => 18.0,
            Some(m) => {
                let x = *m.get_ref();
                if !continue_after_18 {
                    cx.err(
                        m.span(),
                        &f("max_age"),
                        "`max_age` applies only with at_18 = \"continue\"",
                    );
                } else if !(x.is_finite() && (18.0..=30.0).contains(&x)) {
                    cx.err(
                        m.span(),
                        &f("max_age"),
                        format!("max_age must be between 18 and 30 years, got {x}"),
                    );
                }
                x
            }
        };
        let mut tariff_ok = true;
        let tariff = s.tariff.as_ref().map(|t| {
            let v = t.get_ref();
            let money = |x: f64| {
                (!(x.is_finite() && x >= 0.0))
                    .then(|| format!("a tariff must be at least 0 euros, got {x}"))
            };
            let mut amount = |x: &Option<S<RawTime>>, name: &str| match x {
                None => TimeFn::Const(0.0),
                Some(x) => match cx.time_fn(x, &f(&format!("tariff.{name}")), true, &money) {
                    Some(v) => v,
                    None => {
                        tariff_ok = false;
                        TimeFn::Const(0.0)
                    }
                },
            };
            let per_day = amount(&v.per_day, "per_day");
            let per_hour = amount(&v.per_hour, "per_hour");
            let per_admission = amount(&v.per_admission, "per_admission");
            let per_place_per_year = amount(&v.per_place_per_year, "per_place_per_year");
            let hours_per_week = match (&v.hours_per_week, &v.per_hour) {
                (Some(h), _) => {
                    let x = *h.get_ref();
                    if !(x.is_finite() && (0.0..=168.0).contains(&x)) {
                        cx.err(
                            h.span(),
                            &f("tariff.hours_per_week"),
                            format!("hours per week must be between 0 and 168, got {x}"),
                        );
                        tariff_ok = false;
                    }
                    x
                }
                (None, Some(p)) => {
                    cx.err(
                        p.span(),
                        &f("tariff.per_hour"),
                        "`per_hour` needs `hours_per_week` (hours of care per youth per week)",
                    );
                    tariff_ok = false;
                    0.0
                }
                (None, None) => 0.0,
            };
            Tariff {
                per_day,
                per_hour,
                hours_per_week,
                per_admission,
                per_place_per_year,
            }
        });
        let mut staff_ok = true;
        let staff = match &s.staff {
            None => None,
            Some(st) => {
                let v = st.get_ref();
                if s.capacity.is_some() {
                    cx.err(st.span(), &f("staff"), "give either `capacity` or `staff` (capacity = productive FTE × caseload), not both");
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
                    Some(t) => {
                        cx.time_fn(t, &f("staff.target_fte"), true, &non_negative("target FTE"))
                    }
                };
                if let Some(i) = &s.initial {
                    let cap0 = (fte * caseload + 1e-9).floor();
                    if staff_ok && initial as f64 > cap0 {
                        cx.err(i.span(), &f("initial"), format!("{initial} youths in care at the start, but the staff then gives {cap0} places"));
                    }
                }
                match target {
                    Some(target_fte) if staff_ok => Some(Staff {
                        fte,
                        caseload,
                        target_fte,
                        max_hires_per_month: max_hires,
                        lead_days,
                        attrition_per_year: attrition,
                    }),
                    _ => {
                        staff_ok = false;
                        None
                    }
                }
            }
        };
        let next = match &s.next {
            None => Some(Vec::new()),
            Some(list) => cx.routes(list, &f("next"), &index),
        };
        let capacity_ok = !matches!(capacity, Some(None));
        match (setting, los, next) {
            (Some(setting), Some(los), Some(next))
                if capacity_ok && queue_ok && links_ok && staff_ok =>
            {
                let flat = capacity.flatten();
                let steps = flat
                    .as_ref()
                    .map(|c| {
                        c.knots()
                            .iter()
                            .filter(|(t, _)| *t > 0.0)
                            .map(|&(at, v)| CapacityStep {
                                at,
                                value: v as u32,
                                gate: None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                services.push(Service {
                    name: s.name.clone().unwrap_or_else(|| id.clone()),
                    segment: SegmentId(
                        segments
                            .iter()
                            .position(|g| g == s.segment.get_ref())
                            .unwrap_or(0) as u16,
                    ),
                    id,
                    setting,
                    capacity: flat,
                    initial,
                    los,
                    los_by_profile: std::mem::take(&mut los_over[si]),
                    max_stay,
                    norm,
                    patience,
                    priority,
                    hold_until_next,
                    overflow_to,
                    divert,
                    next,
                    next_by_profile: std::mem::take(&mut next_over[si]),
                    reentry,
                    breakdown,
                    age_limit,
                    steps,
                    staff,
                    tariff,
                })
            }
            // the problem is already recorded; the model will not be built
            _ => {}
        }
    }

    // [[schedule]]: capacity paths, possibly gated
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
        let gate = match &v.gate {
            None => None,
            Some(g) => {
                let gv = g.get_ref();
                let min = *gv.min_capacity.get_ref();
                if !(0..=10_000_000).contains(&min) {
                    cx.err(
                        gv.min_capacity.span(),
                        &f("gate.min_capacity"),
                        format!("must be a whole number of places, at least 0, got {min}"),
                    );
                }
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
                        min_capacity: min.max(0) as u32,
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
        };
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
            if let Some(t) = cx.day_in_horizon(&p.at, &format!("{pf}.at")) {
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
        if let Some(svc) = services.get_mut(si) {
            if svc.staff.is_some() {
                cx.err(v.service.span(), &f("service"), "the capacity of a staffed service follows its staff; schedule `staff.target_fte` instead");
                continue;
            }
            if svc.capacity.is_none() {
                svc.capacity = pts.first().map(|&(_, v)| TimeFn::Const(v));
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

    // [[transition]]: procurement windows per segment
    let mut transitions: Vec<Transition> = Vec::new();
    for (k, tr) in raw.transition.iter().enumerate() {
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
        let from = cx.day_in_horizon(&v.from, &f("from"));
        let to = cx.day_in_horizon(&v.to, &f("to"));
        if let (Some(a), Some(b)) = (from, to)
            && b <= a
        {
            cx.err(v.to.span(), &f("to"), "the window must end after it starts");
        }
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
            });
        }
    }
    let max_concurrent = match &sc.max_concurrent {
        None => 2,
        Some(v) if (1..=100).contains(v.get_ref()) => *v.get_ref() as u32,
        Some(v) => {
            cx.err(
                v.span(),
                "scenario.max_concurrent",
                format!("must be between 1 and 100, got {}", v.get_ref()),
            );
            2
        }
    };

    // [finance]
    let mut finance = Finance::default();
    if let Some(fin) = &raw.finance {
        let v = fin.get_ref();
        if let Some(i) = &v.indexation_per_year {
            let x = *i.get_ref();
            if !(x.is_finite() && (-0.5..=0.5).contains(&x)) {
                cx.err(
                    i.span(),
                    "finance.indexation_per_year",
                    format!("must be a yearly fraction between -0.5 and 0.5 (0.03 is 3%), got {x}"),
                );
            } else {
                finance.indexation_per_year = x;
            }
        }
        for (k, fu) in v.funding.iter().enumerate() {
            let fv = fu.get_ref();
            let f = |x: &str| format!("finance.funding #{}.{x}", k + 1);
            let seg = segments.iter().position(|g| g == fv.segment.get_ref());
            if seg.is_none() {
                cx.err(
                    fv.segment.span(),
                    &f("segment"),
                    format!(
                        "unknown segment \"{}\"; segments are the `segment` labels of services",
                        fv.segment.get_ref()
                    ),
                );
            }
            let model = funding_model(&mut cx, fv, &f, &profiles);
            if let (Some(g), Some(m)) = (seg, model) {
                if finance.funding.iter().any(|(s, _)| s.0 as usize == g) {
                    cx.err(
                        fv.segment.span(),
                        &f("segment"),
                        format!(
                            "segment \"{}\" has two funding models",
                            fv.segment.get_ref()
                        ),
                    );
                }
                finance.funding.push((SegmentId(g as u16), m));
            }
        }
    }
    let risk = risk_settings(&mut cx, raw.report.as_ref());

    // Inflows
    let mut inflows = Vec::new();
    for (i, fl) in raw.inflow.iter().enumerate() {
        let fl = fl.get_ref();
        let f = |k: &str| format!("inflow #{}.{k}", i + 1);
        let to = index.get(fl.to.get_ref()).copied();
        if to.is_none() {
            cx.err(
                fl.to.span(),
                &f("to"),
                format!("unknown service \"{}\"", fl.to.get_ref()),
            );
        }
        let per_year = cx.time_fn(
            &fl.per_year,
            &f("per_year"),
            true,
            &non_negative("the rate per year"),
        );
        let trend = match &fl.trend {
            None => Some(TimeFn::Const(1.0)),
            Some(list) => {
                let mut pts: Vec<(f64, f64)> = Vec::new();
                let mut ok = !list.get_ref().is_empty();
                if !ok {
                    cx.err(list.span(), &f("trend"), "a trend needs at least one point");
                }
                for (k, p) in list.get_ref().iter().enumerate() {
                    let p = p.get_ref();
                    let pf = f(&format!("trend[{}]", k + 1));
                    let factor = *p.factor.get_ref();
                    if let Some(m) = non_negative("the factor")(factor) {
                        cx.err(p.factor.span(), &format!("{pf}.factor"), m);
                        ok = false;
                    }
                    match cx.day_in_horizon(&p.at, &format!("{pf}.at")) {
                        Some(t) => {
                            if let Some(&(prev, _)) = pts.last()
                                && t <= prev
                            {
                                cx.err(
                                    p.at.span(),
                                    &format!("{pf}.at"),
                                    "trend points must be in strictly increasing date order",
                                );
                                ok = false;
                            }
                            pts.push((t, factor));
                        }
                        None => ok = false,
                    }
                }
                ok.then_some(TimeFn::Linear(pts))
            }
        };
        let (mut amin, mut amax) = (0.0, 17.0);
        if let Some(a) = &fl.age {
            let a = a.get_ref();
            let (lo, hi) = (*a.min.get_ref(), *a.max.get_ref());
            if !(lo.is_finite() && (0.0..=30.0).contains(&lo)) {
                cx.err(
                    a.min.span(),
                    &f("age.min"),
                    format!("age must be between 0 and 30 years, got {lo}"),
                );
            } else if !(hi.is_finite() && (0.0..=30.0).contains(&hi)) {
                cx.err(
                    a.max.span(),
                    &f("age.max"),
                    format!("age must be between 0 and 30 years, got {hi}"),
                );
            } else if hi < lo {
                cx.err(
                    a.max.span(),
                    &f("age.max"),
                    format!("age.max ({hi}) must be at least age.min ({lo})"),
                );
            } else {
                (amin, amax) = (lo, hi);
            }
        }
        let profile = match &fl.profile {
            None => Some(None),
            Some(p) => match profile_index.get(p.get_ref()) {
                Some(&k) => Some(Some(ProfileId(k as u8))),
                None => {
                    cx.err(
                        p.span(),
                        &f("profile"),
                        format!("unknown profile \"{}\"", p.get_ref()),
                    );
                    None
                }
            },
        };
        if let (Some(to), Some(per_year), Some(trend), Some(profile)) =
            (to, per_year, trend, profile)
        {
            inflows.push(Inflow {
                profile,
                to: ServiceId(to as u16),
                per_day: per_year.scaled(1.0 / 365.25),
                trend,
                age_min: amin,
                age_max: amax,
            });
        }
    }

    if !cx.problems.is_empty() {
        return Err(ScenarioError::Invalid(cx.problems));
    }

    // Graph checks: every service reachable, and every service able to reach exit.
    let n = services.len();
    // every way a youth can move from one service to another
    let edges = |svc: &Service| -> Vec<usize> {
        let routes = svc
            .next
            .iter()
            .chain(svc.next_by_profile.iter().flatten().flatten());
        let mut e: Vec<usize> = routes
            .filter(|r| r.p.max_on(0.0, f64::INFINITY) > 0.0)
            .filter_map(|r| match r.to {
                Target::Service(j) => Some(j.0 as usize),
                Target::Exit => None,
            })
            .collect();
        e.extend(svc.overflow_to.map(|o| o.0 as usize));
        e.extend(svc.divert.as_ref().map(|d| d.to.0 as usize));
        e.extend(
            svc.reentry
                .as_ref()
                .filter(|r| r.p > 0.0)
                .map(|r| r.to.0 as usize),
        );
        e.extend(svc.breakdown.as_ref().map(|b| b.to.0 as usize));
        if let Some(Patience {
            renege_to: Target::Service(j),
            ..
        }) = &svc.patience
        {
            e.push(j.0 as usize);
        }
        e
    };
    let mut reach = vec![false; n];
    let mut todo: VecDeque<usize> = inflows.iter().map(|f| f.to.0 as usize).collect();
    todo.extend((0..n).filter(|&i| services[i].initial > 0));
    while let Some(i) = todo.pop_front() {
        if std::mem::replace(&mut reach[i], true) {
            continue;
        }
        todo.extend(edges(&services[i]));
    }
    // overflow chains must end: a cycle would send a youth round for ever when all are full
    for (i, svc) in services.iter().enumerate() {
        let mut at = svc.overflow_to;
        let mut steps = 0;
        while let Some(j) = at {
            if j.0 as usize == i {
                let o = raw.service[i]
                    .get_ref()
                    .overflow_to
                    .as_ref()
                    .map_or(0..0, |o| o.span());
                cx.err(
                    o,
                    &format!("service '{}'.overflow_to", svc.id),
                    "overflow services form a cycle back to this service",
                );
                break;
            }
            steps += 1;
            if steps > n {
                break;
            }
            at = services[j.0 as usize].overflow_to;
        }
    }
    let mut exits = vec![false; n];
    loop {
        let mut changed = false;
        for i in 0..n {
            if exits[i] {
                continue;
            }
            let svc = &services[i];
            let next = &svc.next;
            let ok = next.is_empty()
                || next
                    .iter()
                    .chain(svc.next_by_profile.iter().flatten().flatten())
                    .any(|r| {
                        r.p.max_on(0.0, f64::INFINITY) > 0.0
                            && match r.to {
                                Target::Exit => true,
                                Target::Service(j) => exits[j.0 as usize],
                            }
                    });
            if ok {
                exits[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (i, s) in raw.service.iter().enumerate() {
        let s = s.get_ref();
        let id = s.id.get_ref();
        if !reach[i] {
            cx.err(
                s.id.span(),
                &format!("service '{id}'"),
                "is never reached: no inflow goes to it, no `next` with p > 0 leads to it, and it has no `initial` youths",
            );
        }
        if !exits[i] {
            cx.err(
                s.id.span(),
                &format!("service '{id}'.next"),
                "youths here can never leave care: no chain of `next` branches with p > 0 leads to \"exit\"",
            );
        }
    }
    if !cx.problems.is_empty() {
        return Err(ScenarioError::Invalid(cx.problems));
    }

    let (Some(start), Some(_)) = (cx.start, cx.end) else {
        unreachable!("dates were validated above");
    };
    let timeline = Timeline::new(start, horizon_days, warmup, interval);
    // change load: segments with a transition window overlapping each calendar quarter
    let change_load = {
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
    };
    Ok(Model {
        name,
        description: sc.description.clone().unwrap_or_default(),
        timeline,
        seed,
        replications,
        segments,
        services,
        inflows,
        profiles,
        transitions,
        change_load,
        max_concurrent,
        finance,
        risk,
    })
}

/// `[report] risk_over_norm_share` (a share, default 0.05) and `[report] budget` (t,
/// euros per year), what the risk measures of a comparison are measured against.
fn risk_settings(cx: &mut Ctx, report: Option<&S<RawReport>>) -> RiskSettings {
    let mut risk = RiskSettings::default();
    let Some(r) = report.map(|r| r.get_ref()) else {
        return risk;
    };
    if let Some(v) = &r.risk_over_norm_share {
        let x = *v.get_ref();
        if x.is_finite() && (0.0..1.0).contains(&x) {
            risk.over_norm_share = x;
        } else {
            cx.err(
                v.span(),
                "report.risk_over_norm_share",
                format!(
                    "must be a share at least 0 and below 1 (0.05 is 5% of admissions), got {x}"
                ),
            );
        }
    }
    if let Some(b) = &r.budget {
        let positive = |x: f64| {
            (!(x.is_finite() && x > 0.0))
                .then(|| format!("a budget must be a positive number of euros per year, got {x}"))
        };
        risk.budget = cx.time_fn(b, "report.budget", true, &positive);
    }
    risk
}

/// The funding model of one `[[finance.funding]]` entry, with every key checked against
/// the model it belongs to.
fn funding_model(
    cx: &mut Ctx,
    fv: &RawFunding,
    f: &dyn Fn(&str) -> String,
    profiles: &[Profile],
) -> Option<FundingModel> {
    // `what` must be at least 0 (`unit` names what it counts, with a leading space)
    let at_least_zero = |what: &'static str, unit: &'static str| {
        move |x: f64| {
            (!(x.is_finite() && x >= 0.0))
                .then(|| format!("{what} must be at least 0{unit}, got {x}"))
        }
    };
    let euros = |what: &'static str| at_least_zero(what, " euros");
    let name = fv.model.get_ref().as_str();
    // which optional keys each model takes
    let allowed: &[&str] = match name {
        "pxq" => &[],
        "taakgericht" => &["budget", "per_capita", "population"],
        "trajectory" => &["prices"],
        "outcome" => &["budget", "kpi", "target", "per_unit", "cap"],
        other => {
            cx.err(
                fv.model.span(),
                &f("model"),
                format!(
                    "unknown funding model \"{other}\"; allowed: pxq, taakgericht, trajectory, outcome"
                ),
            );
            return None;
        }
    };
    let given: [(&str, Option<Range<usize>>); 8] = [
        ("budget", fv.budget.as_ref().map(|v| v.span())),
        ("per_capita", fv.per_capita.as_ref().map(|v| v.span())),
        ("population", fv.population.as_ref().map(|v| v.span())),
        ("prices", fv.prices.as_ref().map(|v| v.span())),
        ("kpi", fv.kpi.as_ref().map(|v| v.span())),
        ("target", fv.target.as_ref().map(|v| v.span())),
        ("per_unit", fv.per_unit.as_ref().map(|v| v.span())),
        ("cap", fv.cap.as_ref().map(|v| v.span())),
    ];
    let mut ok = true;
    for (key, span) in given {
        if let Some(span) = span
            && !allowed.contains(&key)
        {
            ok = false;
            let takes = if allowed.is_empty() {
                "no other keys".to_string()
            } else {
                allowed.join(", ")
            };
            cx.err(
                span,
                &f(key),
                format!("`{key}` does not apply to the {name} model, which takes {takes}"),
            );
        }
    }
    let model = match name {
        "pxq" => FundingModel::Pxq,
        "taakgericht" => {
            let budget = fv
                .budget
                .as_ref()
                .map(|b| cx.time_fn(b, &f("budget"), true, &euros("a budget")));
            let per_capita = fv
                .per_capita
                .as_ref()
                .map(|b| cx.time_fn(b, &f("per_capita"), true, &euros("a per-capita amount")));
            let population = fv.population.as_ref().map(|b| {
                cx.time_fn(
                    b,
                    &f("population"),
                    true,
                    &at_least_zero("a population", " youths"),
                )
            });
            match (budget, per_capita, population) {
                (None, None, None) => FundingModel::Taakgericht(LumpSum::Capacity),
                (Some(b), None, None) => FundingModel::Taakgericht(LumpSum::Budget(b?)),
                (None, Some(pc), Some(pop)) => FundingModel::Taakgericht(LumpSum::PerCapita {
                    per_capita: pc?,
                    population: pop?,
                }),
                _ => {
                    cx.err(
                        fv.model.span(),
                        &f("model"),
                        "a taakgericht lump sum is either `budget` (euros per year), or \
                         `per_capita` with `population`, or neither (every place paid for)",
                    );
                    return None;
                }
            }
        }
        "trajectory" => {
            let Some(prices) = &fv.prices else {
                cx.err(
                    fv.model.span(),
                    &f("prices"),
                    "the trajectory model needs `prices = { <profile> = euros, … }` \
                     (`default` for profiles not named)",
                );
                return None;
            };
            let ids: Vec<&str> = if profiles.is_empty() {
                vec!["default"]
            } else {
                profiles.iter().map(|p| p.id.as_str()).collect()
            };
            for (key, v) in prices.get_ref() {
                if key != "default" && !ids.contains(&key.as_str()) {
                    ok = false;
                    cx.err(
                        v.span(),
                        &f(&format!("prices.{key}")),
                        if profiles.is_empty() {
                            format!(
                                "unknown profile \"{key}\"; this scenario has no [[profile]], so its one price is `default`"
                            )
                        } else {
                            format!(
                                "unknown profile \"{key}\"; profiles are: {} (and `default` for the others)",
                                ids.join(", ")
                            )
                        },
                    );
                }
            }
            let mut out = Vec::new();
            for id in &ids {
                let Some(v) = prices
                    .get_ref()
                    .get(*id)
                    .or(prices.get_ref().get("default"))
                else {
                    ok = false;
                    cx.err(
                        prices.span(),
                        &f("prices"),
                        format!("no price for profile \"{id}\"; give one, or a `default`"),
                    );
                    continue;
                };
                out.push(cx.time_fn(v, &f(&format!("prices.{id}")), true, &euros("a price")));
            }
            let prices: Option<Vec<TimeFn>> = out.into_iter().collect();
            FundingModel::Trajectory { prices: prices? }
        }
        _ => {
            // outcome
            let missing = |key: &str, present: bool, cx: &mut Ctx| {
                if !present {
                    cx.err(
                        fv.model.span(),
                        &f(key),
                        format!(
                            "the outcome model needs `{key}` (budget, kpi, target and per_unit; cap is optional)"
                        ),
                    );
                }
                present
            };
            let have = [
                missing("budget", fv.budget.is_some(), cx),
                missing("kpi", fv.kpi.is_some(), cx),
                missing("target", fv.target.is_some(), cx),
                missing("per_unit", fv.per_unit.is_some(), cx),
            ];
            if have.contains(&false) {
                return None;
            }
            let budget = fv
                .budget
                .as_ref()
                .and_then(|b| cx.time_fn(b, &f("budget"), true, &euros("a budget")));
            let target = fv
                .target
                .as_ref()
                .and_then(|b| cx.time_fn(b, &f("target"), true, &at_least_zero("a target", "")));
            let kpi = fv.kpi.as_ref().and_then(|k| {
                let m = OUTCOME_KPIS.iter().copied().find(|m| m.name() == k.get_ref());
                if m.is_none() {
                    cx.err(
                        k.span(),
                        &f("kpi"),
                        format!(
                            "\"{}\" is not a KPI the outcome model pays on; allowed (lower is better): {}",
                            k.get_ref(),
                            OUTCOME_KPIS.map(|m| m.name()).join(", ")
                        ),
                    );
                }
                m
            });
            let per_unit = fv.per_unit.as_ref().and_then(|v| {
                let x = *v.get_ref();
                if x.is_finite() && x >= 0.0 {
                    Some(x)
                } else {
                    cx.err(
                        v.span(),
                        &f("per_unit"),
                        format!("must be at least 0 euros per unit, got {x}"),
                    );
                    None
                }
            });
            let cap = match &fv.cap {
                None => Some(0.1),
                Some(v) => {
                    let x = *v.get_ref();
                    if x.is_finite() && (0.0..=1.0).contains(&x) {
                        Some(x)
                    } else {
                        cx.err(
                            v.span(),
                            &f("cap"),
                            format!("must be a share of the budget between 0 and 1 (0.1 is 10%), got {x}"),
                        );
                        None
                    }
                }
            };
            FundingModel::Outcome(Outcome {
                budget: budget?,
                kpi: kpi?,
                target: target?,
                per_unit: per_unit?,
                cap: cap?,
            })
        }
    };
    ok.then_some(model)
}
