//! What every section of the schema shares: the context that collects problems, and the
//! checks of values that appear in many places — dates in the horizon, (t) parameters,
//! references to services, routing lists and distributions.

use std::collections::HashMap;
use std::ops::Range;

use jiff::civil::Date;
use toml::value::Datetime;

use crate::engine::Dist;
use crate::model::{Route, ServiceId, Target, TimeFn};
use crate::scenario::chain::Chain;
pub(super) use crate::scenario::limits::{MAX_BUDGET_EUROS, MAX_COUNT, MAX_EUROS, shown};
use crate::scenario::raw::{RawDist, RawNext, RawTime, S};
use crate::scenario::{Diagnostic, ScenarioError};
use crate::timeline::days_between;

use super::horizon;

/// Tolerance on probabilities that must sum to 1.
pub(super) const P_TOLERANCE: f64 = 1e-9;

/// A problem has been recorded in [`Ctx`]; the part it concerns is not built.
pub(super) struct Recorded;

/// An optional key, checked: `Ok(None)` when it is absent, `Err(Recorded)` when it is wrong.
pub(super) type Part<T> = Result<Option<T>, Recorded>;

/// Where the problems of one validation are collected, in the order they are found.
pub(super) struct Ctx<'a> {
    src: &'a Chain,
    problems: Vec<Diagnostic>,
    /// The horizon, once `[scenario]` has been checked (`None` if its date is bad).
    pub(super) start: Option<Date>,
    pub(super) end: Option<Date>,
    /// Where `start` and `end` were written (global offsets): dated values of a farther
    /// file in the chain of `extends` are cut to the horizon rather than refused.
    pub(super) start_at: usize,
    pub(super) end_at: usize,
    /// Dated values cut to the horizon: global offset and field.
    cut: Vec<(usize, String)>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(src: &'a Chain) -> Self {
        Ctx {
            src,
            problems: Vec::new(),
            start: None,
            end: None,
            start_at: 0,
            end_at: 0,
            cut: Vec::new(),
        }
    }

    /// `built` if no problem was found; else every problem found.
    ///
    /// A check that builds nothing has recorded why, so `built` is missing only with
    /// problems; should a check ever fail without a word, that is reported at `span`
    /// rather than lost.
    pub(super) fn checked<T>(
        &mut self,
        built: Option<T>,
        span: Range<usize>,
        field: &str,
    ) -> Result<T, ScenarioError> {
        match built {
            Some(t) if self.problems.is_empty() => return Ok(t),
            Some(_) => {}
            None if !self.problems.is_empty() => {}
            None => self.err(
                span,
                field,
                "could not be checked, and no problem was recorded: a bug in jeugdflow, please report it",
            ),
        }
        Err(ScenarioError::Invalid(std::mem::take(&mut self.problems)))
    }

    /// The optional number `x`, or `default` when it is absent; when `check` finds a
    /// problem it is recorded at the number's place as `field` and `ok` turns false.
    pub(super) fn number(
        &mut self,
        x: Option<&S<f64>>,
        field: &str,
        default: f64,
        check: &dyn Fn(f64) -> Option<String>,
        ok: &mut bool,
    ) -> f64 {
        let Some(x) = x else { return default };
        if let Some(m) = check(*x.get_ref()) {
            self.err(x.span(), field, m);
            *ok = false;
        }
        *x.get_ref()
    }

    /// Records a problem with the value at `span`.
    pub(super) fn err(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        self.problems
            .push(self.src.diag(span.start, field, message.into()));
    }

    /// Records a problem between two values, each given as (span, field, message when
    /// reported there): at the one written nearest the user — an override, then the file
    /// the user named, then the files it extends, nearest first — so that changing one
    /// value in a child file is reported in the child. The message names where the other
    /// value is when it is in another file.
    pub(super) fn conflict(
        &mut self,
        a: (Range<usize>, &str, String),
        b: (Range<usize>, &str, String),
    ) {
        let (here, other) = if self.src.rank(b.0.start) < self.src.rank(a.0.start) {
            (b, a)
        } else {
            (a, b)
        };
        let (fh, _) = self.src.locate(here.0.start);
        let (fo, _) = self.src.locate(other.0.start);
        let mut message = here.2;
        if !std::ptr::eq(fh, fo) {
            message.push_str(&format!(
                " (`{}` is in {})",
                other.1,
                self.src.place(other.0.start)
            ));
        }
        self.err(here.0, here.1, message);
    }

    /// How near the user the file holding global offset `at` is in the chain of
    /// `extends`: 0 for sweep overrides, 1 for the scenario named, more for its bases.
    pub(super) fn rank(&self, at: usize) -> usize {
        self.src.rank(at)
    }

    /// The last simulated day, days from the start (once the horizon is known).
    pub(super) fn last_day(&self) -> Option<f64> {
        Some(days_between(self.start?, self.end?) as f64)
    }

    /// The date of a point of a schedule, trend or window, as days from the start. A date
    /// outside the horizon is a problem, unless it was written in a file farther in the
    /// chain of `extends` than the bound it crosses (a child shortened or moved the
    /// horizon): then it is returned as it is, for the caller to cut to the horizon, and
    /// noted (see [`Ctx::notes`]).
    pub(super) fn point_day(&mut self, v: &S<Datetime>, field: &str) -> Option<f64> {
        let d = self.date(v, field)?;
        let (start, end) = (self.start?, self.end?);
        let at = v.span().start;
        let rank = self.src.rank(at);
        let inherited_before = d < start && rank > self.src.rank(self.start_at);
        let inherited_after = d > end && rank > self.src.rank(self.end_at);
        if inherited_before || inherited_after {
            self.cut.push((at, field.to_string()));
        } else if d < start || d > end {
            self.err(
                v.span(),
                field,
                format!("date {d} is outside the horizon {start} to {end}"),
            );
            return None;
        }
        Some(days_between(start, d) as f64)
    }

    /// Notes for the user (warnings, not problems): the dated values of files further
    /// up the chain of `extends` cut to the horizon, one line per file.
    pub(super) fn notes(&self) -> Vec<String> {
        let (Some(start), Some(end)) = (self.start, self.end) else {
            return Vec::new();
        };
        let mut by_file: Vec<(String, Vec<String>)> = Vec::new();
        for (at, field) in &self.cut {
            let (f, local) = self.src.locate(*at);
            let line =
                crate::scenario::Diagnostic::at(&f.name, &f.text, local, "", String::new()).line;
            let item = format!("{field} (line {line})");
            match by_file.iter_mut().find(|(n, _)| *n == f.name) {
                Some((_, v)) => v.push(item),
                None => by_file.push((f.name.clone(), vec![item])),
            }
        }
        by_file
            .into_iter()
            .map(|(file, items)| {
                format!(
                    "the horizon {start} to {end} ({} and {}) cuts {} dated value{} of {file} \
                     at its bounds — points outside are left out, the path inside is kept: {}",
                    self.src.place(self.start_at),
                    self.src.place(self.end_at),
                    items.len(),
                    if items.len() == 1 { "" } else { "s" },
                    items.join(", ")
                )
            })
            .collect()
    }

    pub(super) fn date(&mut self, v: &S<Datetime>, field: &str) -> Option<Date> {
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

    /// A (t) parameter. `check` returns a message for a bad value.
    pub(super) fn time_fn(
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
                    let at = self.point_day(&p.at, &format!("{pf}.at"));
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
                let out = horizon::clip(&out, self.last_day()?, linear);
                Some(if linear {
                    TimeFn::Linear(out)
                } else {
                    TimeFn::Step(out)
                })
            }
        }
    }

    /// A reference to a service (or `exit` where allowed).
    pub(super) fn target(
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
    pub(super) fn routes(
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

    /// A distribution, with exactly the parameters its kind takes.
    pub(super) fn dist(&mut self, v: &S<RawDist>, field: &str) -> Option<Dist> {
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
        if name == "lognormal" {
            let (mean, sd) = (g(&d.mean), g(&d.sd));
            let ratio = sd / mean;
            // with both positive, only the spread can fail: σ² = ln(1 + (sd/mean)²)
            // overflows for a huge ratio, which a sampler cannot take
            if mean.is_finite() && sd.is_finite() && mean > 0.0 && ratio > MAX_LOGNORMAL_CV {
                let span = d.sd.as_ref().map_or_else(|| v.span(), |x| x.span());
                self.err(
                    span,
                    field,
                    format!(
                        "lognormal: sd / mean (the coefficient of variation) must be greater \
                         than 0 and at most 1,000, got {} (sd {}, mean {})",
                        shown(ratio),
                        shown(sd),
                        shown(mean)
                    ),
                );
                return None;
            }
        }
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

/// The largest sd / mean of a lognormal: far beyond any stay or wait (a spread of a
/// thousand times the mean), and its σ stays finite for the sampler.
const MAX_LOGNORMAL_CV: f64 = 1_000.0;

/// A check for (t) parameters and numbers: greater than 0.
pub(super) fn positive(what: &'static str) -> impl Fn(f64) -> Option<String> {
    move |x: f64| {
        (!(x.is_finite() && x > 0.0)).then(|| format!("{what} must be greater than 0, got {x}"))
    }
}

/// A check: at least 0.
pub(super) fn non_negative(what: &'static str) -> impl Fn(f64) -> Option<String> {
    move |x: f64| {
        (!(x.is_finite() && x >= 0.0)).then(|| format!("{what} must be at least 0, got {x}"))
    }
}

/// A check: between `lo` and `hi`, both included.
pub(super) fn between(what: &'static str, lo: f64, hi: f64) -> impl Fn(f64) -> Option<String> {
    move |x: f64| {
        (!(x.is_finite() && (lo..=hi).contains(&x)))
            .then(|| format!("{what} must be between {lo} and {hi}, got {x}"))
    }
}

/// "from 0 to 10,000,000": the range of a count, as messages say it.
pub(super) const COUNT_RANGE: &str = "from 0 to 10,000,000";

/// `Some(n)` when `n` is a count of at most [`MAX_COUNT`], at least 0.
pub(super) fn count(n: i64) -> Option<u32> {
    (0..=MAX_COUNT)
        .contains(&n)
        .then(|| u32::try_from(n).ok())
        .flatten()
}

/// A check: from 0 to `hi`, which `range` says in words ("between 0 and 1,000 euros").
pub(super) fn zero_to(
    what: &'static str,
    hi: f64,
    range: &'static str,
) -> impl Fn(f64) -> Option<String> {
    move |x: f64| {
        (!(x.is_finite() && (0.0..=hi).contains(&x)))
            .then(|| format!("{what} must be {range}, got {}", shown(x)))
    }
}

/// A check: an amount of euros (`what`: "a tariff", "a price", …), from 0 to [`MAX_EUROS`].
pub(super) fn euros(what: &'static str) -> impl Fn(f64) -> Option<String> {
    zero_to(what, MAX_EUROS, "between 0 and 1,000,000,000 euros")
}

/// A check: a budget a year, from 0 to [`MAX_BUDGET_EUROS`].
pub(super) fn budget_euros(what: &'static str) -> impl Fn(f64) -> Option<String> {
    zero_to(
        what,
        MAX_BUDGET_EUROS,
        "between 0 and 1,000,000,000,000 euros a year",
    )
}

/// A check: a whole number of places, from 0 to [`MAX_COUNT`].
pub(super) fn whole_places(x: f64) -> Option<String> {
    (!(x.is_finite() && x >= 0.0 && x <= MAX_COUNT as f64 && x.fract() == 0.0)).then(|| {
        format!(
            "capacity must be a whole number of places {COUNT_RANGE}, got {}",
            shown(x)
        )
    })
}

/// Whether `s` can be an id: letters, digits, `-` and `_`.
pub(super) fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Source, chain};

    fn chain() -> Chain {
        chain::load_chain(&Source {
            name: "t.toml".into(),
            text: "a = 1\n".into(),
        })
        .unwrap()
    }

    fn messages(r: Result<u8, ScenarioError>) -> Vec<String> {
        match r {
            Err(ScenarioError::Invalid(d)) => d.into_iter().map(|d| d.message).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn checked_gives_the_part_only_without_problems() {
        let chain = chain();
        let mut cx = Ctx::new(&chain);
        assert_eq!(cx.checked(Some(3u8), 0..1, "a").unwrap(), 3);
        cx.err(0..1, "a", "bad");
        assert_eq!(messages(cx.checked(Some(3u8), 0..1, "a")), ["bad"]);
    }

    #[test]
    fn a_part_missing_without_a_problem_is_reported_not_lost() {
        let chain = chain();
        let mut cx = Ctx::new(&chain);
        let m = messages(cx.checked(None, 0..1, "a"));
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("a bug in jeugdflow"), "{m:?}");
    }
}
