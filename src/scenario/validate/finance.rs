//! What care costs and how it is paid: a service's `tariff` (P×Q prices) and `[finance]`
//! — indexation and each segment's `[[finance.funding]]` model (P×Q, taakgericht,
//! trajectory, outcome), every key checked against the model it belongs to.

use std::ops::Range;

use crate::model::{
    Closing, Finance, FundingModel, LumpSum, OUTCOME_KPIS, Outcome, Profile, SegmentId, Tariff,
    TimeFn,
};
use crate::scenario::raw::{RawFinance, RawFunding, RawTariff, RawTime, S};

use super::ctx::{Ctx, MAX_EUROS, Part, Recorded, budget_euros, euros, zero_to};
use super::transformation;

/// A service's `tariff = { per_day, per_hour, hours_per_week, per_admission, … }`.
pub(super) fn tariff(
    cx: &mut Ctx,
    t: Option<&S<RawTariff>>,
    f: &dyn Fn(&str) -> String,
) -> Part<Tariff> {
    let Some(t) = t else {
        return Ok(None);
    };
    let mut tariff_ok = true;
    let v = t.get_ref();
    let money = euros("a tariff");
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
    let closing = v.closing.as_ref().map(|c| {
        let c = c.get_ref();
        let share = *c.fixed_share.get_ref();
        if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
            cx.err(
                c.fixed_share.span(),
                &f("tariff.closing.fixed_share"),
                format!("a share must be between 0 and 1, got {share}"),
            );
            tariff_ok = false;
        }
        let days = *c.days.get_ref();
        if !(days.is_finite() && days >= 0.0) {
            cx.err(
                c.days.span(),
                &f("tariff.closing.days"),
                format!("the wind-down must be at least 0 days, got {days}"),
            );
            tariff_ok = false;
        }
        Closing {
            fixed_share: share,
            days,
        }
    });
    if !tariff_ok {
        return Err(Recorded);
    }
    Ok(Some(Tariff {
        per_day,
        per_hour,
        hours_per_week,
        per_admission,
        per_place_per_year,
        closing,
    }))
}

/// `[finance]`: indexation, one funding model per segment, and the money of a
/// transformation (see [`super::transformation`]).
pub(super) fn finance(
    cx: &mut Ctx,
    fin: Option<&S<RawFinance>>,
    segments: &[String],
    profiles: &[Profile],
    index: &std::collections::HashMap<String, usize>,
) -> Finance {
    let mut finance = Finance::default();
    if let Some(fin) = fin {
        let v = fin.get_ref();
        finance.indexation = transformation::indexation(cx, v);
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
            let model = funding_model(cx, fv, &f, profiles);
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
        finance.standing = transformation::standing(cx, v, index);
        finance.grant = transformation::national_money(cx, v, segments, index);
        finance.target = transformation::target(cx, v);
    }
    finance
}

/// A check: `what` is at least 0 (`unit` names what it counts, with a leading space).
fn at_least_zero(what: &'static str, unit: &'static str) -> impl Fn(f64) -> Option<String> {
    move |x: f64| {
        (!(x.is_finite() && x >= 0.0)).then(|| format!("{what} must be at least 0{unit}, got {x}"))
    }
}

/// The funding model of one `[[finance.funding]]` entry, with every key checked against
/// the model it belongs to.
fn funding_model(
    cx: &mut Ctx,
    fv: &RawFunding,
    f: &dyn Fn(&str) -> String,
    profiles: &[Profile],
) -> Option<FundingModel> {
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
        "pxq" => Some(FundingModel::Pxq),
        "taakgericht" => taakgericht(cx, fv, f),
        "trajectory" => trajectory(cx, fv, f, profiles),
        _ => outcome(cx, fv, f),
    };
    ok.then_some(model?)
}

/// taakgericht: a lump sum from a `budget`, or `per_capita` × `population`, or neither
/// (every place paid for).
fn taakgericht(cx: &mut Ctx, fv: &RawFunding, f: &dyn Fn(&str) -> String) -> Option<FundingModel> {
    let budget = fv
        .budget
        .as_ref()
        .map(|b| cx.time_fn(b, &f("budget"), true, &budget_euros("a budget")));
    let per_capita = fv
        .per_capita
        .as_ref()
        .map(|b| cx.time_fn(b, &f("per_capita"), true, &euros("a per-capita amount")));
    let population = fv.population.as_ref().map(|b| {
        cx.time_fn(
            b,
            &f("population"),
            true,
            &zero_to("a population", 1e9, "between 0 and 1,000,000,000 youths"),
        )
    });
    let model = match (budget, per_capita, population) {
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
    };
    Some(model)
}

/// trajectory: a price per entry, by profile (`default` for profiles not named).
fn trajectory(
    cx: &mut Ctx,
    fv: &RawFunding,
    f: &dyn Fn(&str) -> String,
    profiles: &[Profile],
) -> Option<FundingModel> {
    let mut ok = true;
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
    let prices = prices?;
    ok.then_some(FundingModel::Trajectory { prices })
}

/// outcome: a budget with a bonus or malus per unit of a KPI against its yearly target.
fn outcome(cx: &mut Ctx, fv: &RawFunding, f: &dyn Fn(&str) -> String) -> Option<FundingModel> {
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
        .and_then(|b| cx.time_fn(b, &f("budget"), true, &budget_euros("a budget")));
    let target = fv
        .target
        .as_ref()
        .and_then(|b| cx.time_fn(b, &f("target"), true, &at_least_zero("a target", "")));
    let kpi = fv.kpi.as_ref().and_then(|k| {
        let m = OUTCOME_KPIS
            .iter()
            .copied()
            .find(|m| m.name() == k.get_ref());
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
        if x.is_finite() && (0.0..=MAX_EUROS).contains(&x) {
            Some(x)
        } else {
            cx.err(
                v.span(),
                &f("per_unit"),
                format!("must be between 0 and 1,000,000,000 euros per unit, got {x}"),
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
    Some(FundingModel::Outcome(Outcome {
        budget: budget?,
        kpi: kpi?,
        target: target?,
        per_unit: per_unit?,
        cap: cap?,
    }))
}
