//! `[scenario]` and `[report]`: the output name, the horizon, seed, replications, warm-up
//! and parallelism, the reporting interval and the risk settings of a comparison.

use crate::model::{Limits, RiskSettings};
use crate::scenario::raw::{RawReport, RawScenario, S};
use crate::timeline::{Interval, days_between};

use super::ctx::{Ctx, MAX_BUDGET_EUROS};

/// Default number of replications when `[scenario] replications` is absent.
const DEFAULT_REPLICATIONS: u32 = 10;
/// Default seed when `[scenario] seed` is absent.
const DEFAULT_SEED: u64 = 1;
/// The longest horizon, in years and days (`end` − `start` + 1).
const MAX_HORIZON_YEARS: i64 = 100;
const MAX_HORIZON_DAYS: i64 = MAX_HORIZON_YEARS * 366;

/// The checked keys of `[scenario]` (its dates go into [`Ctx`], which needs them to
/// check every date after).
pub(super) struct Settings {
    pub(super) name: String,
    /// Days from `start` to `end` inclusive (0 when a date is bad).
    pub(super) horizon_days: i64,
    pub(super) seed: u64,
    pub(super) replications: u32,
    pub(super) warmup: i64,
}

/// Why `name` cannot name an output folder (`output/<name>`), or `None` when it can: only
/// letters, digits, '-', '_' and '.', not starting with '.', so that it stays one folder
/// inside `output/` (also the rule for a sweep's name).
pub fn folder_name_problem(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    (!ok).then(|| {
        format!("\"{name}\" cannot be an output folder name; use letters, digits, '-', '_' and '.'")
    })
}

/// `[scenario]` without `max_concurrent`, which is checked later (see [`max_concurrent`]).
pub(super) fn settings(cx: &mut Ctx, sc: &RawScenario) -> Settings {
    let name = sc.name.get_ref().clone();
    if let Some(message) = folder_name_problem(&name) {
        cx.err(sc.name.span(), "scenario.name", message);
    }
    cx.start = cx.date(&sc.start, "scenario.start");
    cx.end = cx.date(&sc.end, "scenario.end");
    cx.start_at = sc.start.span().start;
    cx.end_at = sc.end.span().start;
    let mut horizon_days = 0i64;
    if let (Some(s), Some(e)) = (cx.start, cx.end) {
        if e < s {
            cx.err(
                sc.end.span(),
                "scenario.end",
                format!("end {e} is before start {s}; `end` is the last simulated day"),
            );
            cx.end = None;
        } else if days_between(s, e) + 1 > MAX_HORIZON_DAYS {
            cx.err(
                sc.end.span(),
                "scenario.end",
                format!(
                    "end {e} is {} years after start {s}; the horizon is at most {MAX_HORIZON_YEARS} years",
                    e.year() - s.year()
                ),
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
    let max = i64::from(crate::scenario::limits::MAX_REPLICATIONS);
    let replications = match &sc.replications {
        None => DEFAULT_REPLICATIONS,
        Some(v) => match v.get_ref().as_integer() {
            Some(n) if (1..=max).contains(&n) => n as u32,
            _ => {
                cx.err(
                    v.span(),
                    "scenario.replications",
                    format!(
                        "must be a whole number from 1 to 1,000,000, got {}",
                        v.get_ref()
                    ),
                );
                1
            }
        },
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
                cx.conflict(
                    (
                        v.span(),
                        "scenario.warmup",
                        format!(
                            "warmup ({w} days) must be shorter than the horizon ({horizon_days} days)"
                        ),
                    ),
                    (
                        sc.end.span(),
                        "scenario.end",
                        format!(
                            "the horizon ({horizon_days} days) must be longer than the warmup ({w} days)"
                        ),
                    ),
                );
                0
            } else {
                w as i64
            }
        }
    };
    Settings {
        name,
        horizon_days,
        seed,
        replications,
        warmup,
    }
}

/// `[report] interval`, a month if not given.
pub(super) fn interval(cx: &mut Ctx, report: Option<&S<RawReport>>) -> Interval {
    let mut interval = Interval::Month;
    if let Some(r) = report
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
    interval
}

/// Default of `[report] flag_over_norm_share`: a service is flagged when more than a
/// fifth of its admissions waited longer than its norm.
pub const DEFAULT_FLAG_OVER_NORM_SHARE: f64 = 0.2;

/// `[report] flag_over_norm_share`, a share from 0 to 1 (default
/// [`DEFAULT_FLAG_OVER_NORM_SHARE`]).
pub(super) fn flag_over_norm_share(cx: &mut Ctx, report: Option<&S<RawReport>>) -> f64 {
    let Some(v) = report.and_then(|r| r.get_ref().flag_over_norm_share.as_ref()) else {
        return DEFAULT_FLAG_OVER_NORM_SHARE;
    };
    let x = *v.get_ref();
    if (0.0..=1.0).contains(&x) {
        x
    } else {
        cx.err(
            v.span(),
            "report.flag_over_norm_share",
            format!("a share from 0 to 1 (0.2 flags a service when more than 20% of its admissions waited longer than its norm), got {x}"),
        );
        DEFAULT_FLAG_OVER_NORM_SHARE
    }
}

/// `[scenario] change_load_penalty`: how much the frictions of a transition window grow
/// for every other segment changing at the same time (0, the default: not at all).
pub(super) fn change_load_penalty(cx: &mut Ctx, sc: &RawScenario) -> f64 {
    match &sc.change_load_penalty {
        None => 0.0,
        Some(v) if v.get_ref().is_finite() && (0.0..=10.0).contains(v.get_ref()) => *v.get_ref(),
        Some(v) => {
            cx.err(
                v.span(),
                "scenario.change_load_penalty",
                format!("must be between 0 and 10, got {}", v.get_ref()),
            );
            0.0
        }
    }
}

/// `[scenario] max_concurrent`, how many segments may change at once before a warning.
pub(super) fn max_concurrent(cx: &mut Ctx, sc: &RawScenario) -> u32 {
    match &sc.max_concurrent {
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
    }
}

/// `[scenario] max_youths`: youths in the system at once at which a replication stops
/// (from 1,000 to what a packed event can name); the other limits at their defaults.
pub(super) fn limits(cx: &mut Ctx, sc: &RawScenario) -> Limits {
    let mut limits = Limits::default();
    if let Some(v) = &sc.max_youths {
        match *v.get_ref() {
            n @ 1_000..=268_435_456 => limits.max_youths = n as u64,
            n => cx.err(
                v.span(),
                "scenario.max_youths",
                format!("must be a whole number from 1,000 to 268,435,456, got {n}"),
            ),
        }
    }
    limits
}

/// `[report] risk_over_norm_share` (a share, default 0.05) and `[report] budget` (t,
/// euros per year), what the risk measures of a comparison are measured against.
pub(super) fn risk(cx: &mut Ctx, report: Option<&S<RawReport>>) -> RiskSettings {
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
            (!(x.is_finite() && x > 0.0 && x <= MAX_BUDGET_EUROS)).then(|| {
                format!(
                    "a budget must be a positive number of euros per year, at most \
                     1,000,000,000,000, got {x}"
                )
            })
        };
        risk.budget = cx.time_fn(b, "report.budget", true, &positive);
    }
    risk
}
