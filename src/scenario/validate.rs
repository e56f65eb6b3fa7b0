//! Checks a [`RawFile`] completely and builds the [`Model`].
//!
//! Every problem is collected (not just the first), each pointing at the value at fault.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use jiff::civil::Date;
use toml::value::Datetime;

use super::raw::{RawDist, RawFile, RawTime, S};
use super::{Diagnostic, ScenarioError, Source};
use crate::engine::Dist;
use crate::model::{Inflow, Model, Route, SegmentId, Service, ServiceId, Setting, Target, TimeFn};
use crate::timeline::{Interval, Timeline, days_between};

/// Default number of replications when `[scenario] replications` is absent.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Default seed when `[scenario] seed` is absent.
pub const DEFAULT_SEED: u64 = 1;
/// Tolerance on probabilities that must sum to 1.
const P_TOLERANCE: f64 = 1e-9;

struct Ctx<'a> {
    src: &'a Source,
    problems: Vec<Diagnostic>,
    start: Option<Date>,
    end: Option<Date>,
}

impl<'a> Ctx<'a> {
    fn err(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        self.problems.push(Diagnostic::at(
            &self.src.name,
            &self.src.text,
            span.start,
            field,
            message.into(),
        ));
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
pub fn validate(src: &Source, raw: RawFile) -> Result<Model, ScenarioError> {
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

    let mut services = Vec::new();
    for s in &raw.service {
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
        let mut norm = None;
        if let Some(q) = &s.queue
            && let Some(n) = &q.get_ref().norm
        {
            match positive("the norm (days)")(*n.get_ref()) {
                Some(m) => cx.err(n.span(), &f("queue.norm"), m),
                None => norm = Some(*n.get_ref()),
            }
        }
        let mut next = Vec::new();
        if let Some(list) = &s.next {
            if list.get_ref().is_empty() {
                cx.err(
                    list.span(),
                    &f("next"),
                    "`next` needs at least one branch; omit it to exit after the stay",
                );
            }
            let mut sum = 0.0;
            let mut ok = true;
            for (k, b) in list.get_ref().iter().enumerate() {
                let b = b.get_ref();
                let to = b.to.get_ref();
                let target = if to == "exit" {
                    Some(Target::Exit)
                } else if let Some(&j) = index.get(to) {
                    Some(Target::Service(ServiceId(j as u16)))
                } else {
                    cx.err(
                        b.to.span(),
                        &f(&format!("next[{}].to", k + 1)),
                        format!("unknown service \"{to}\"; use a service id or \"exit\""),
                    );
                    None
                };
                let p = *b.p.get_ref();
                if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
                    cx.err(
                        b.p.span(),
                        &f(&format!("next[{}].p", k + 1)),
                        format!("a probability must be between 0 and 1, got {p}"),
                    );
                    ok = false;
                }
                sum += p;
                if let Some(to) = target {
                    next.push(Route { to, p });
                } else {
                    ok = false;
                }
            }
            if ok && (sum - 1.0).abs() > P_TOLERANCE {
                cx.err(
                    list.span(),
                    &f("next"),
                    format!(
                        "probabilities sum to {}, must be 1",
                        (sum * 1e9).round() / 1e9
                    ),
                );
            }
        }
        let capacity_ok = !matches!(capacity, Some(None));
        match (setting, los) {
            (Some(setting), Some(los)) if capacity_ok => services.push(Service {
                name: s.name.clone().unwrap_or_else(|| id.clone()),
                segment: SegmentId(
                    segments
                        .iter()
                        .position(|g| g == s.segment.get_ref())
                        .unwrap_or(0) as u16,
                ),
                id,
                setting,
                capacity: capacity.flatten(),
                initial,
                los,
                norm,
                next,
            }),
            // the problem is already recorded; keep indices aligned for later checks
            _ => services.push(Service {
                name: id.clone(),
                id,
                segment: SegmentId(0),
                setting: Setting::Ambulant,
                capacity: None,
                initial,
                los: Dist::fixed(1.0).expect("a fixed stay of 1 day is valid"),
                norm: None,
                next,
            }),
        }
    }

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
        if let (Some(to), Some(per_year), Some(trend)) = (to, per_year, trend) {
            inflows.push(Inflow {
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
    let mut reach = vec![false; n];
    let mut todo: VecDeque<usize> = inflows.iter().map(|f| f.to.0 as usize).collect();
    todo.extend((0..n).filter(|&i| services[i].initial > 0));
    while let Some(i) = todo.pop_front() {
        if std::mem::replace(&mut reach[i], true) {
            continue;
        }
        for r in &services[i].next {
            if let Target::Service(j) = r.to
                && r.p > 0.0
            {
                todo.push_back(j.0 as usize);
            }
        }
    }
    let mut exits = vec![false; n];
    loop {
        let mut changed = false;
        for i in 0..n {
            if exits[i] {
                continue;
            }
            let next = &services[i].next;
            let ok = next.is_empty()
                || next.iter().any(|r| {
                    r.p > 0.0
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
    Ok(Model {
        name,
        description: sc.description.clone().unwrap_or_default(),
        timeline,
        seed,
        replications,
        segments,
        services,
        inflows,
    })
}
