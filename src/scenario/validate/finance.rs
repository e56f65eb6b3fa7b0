//! What care costs and how it is paid: a service's `tariff` (P×Q prices) and `[finance]`
//! — indexation and each segment's `[[finance.funding]]` model (P×Q, taakgericht,
//! trajectory, outcome), every key checked against the model it belongs to.

use std::ops::Range;

use crate::model::{
    Closing, Contract, Finance, FundingModel, LumpSum, OUTCOME_KPIS, Outcome, Profile, SegmentId,
    Tariff, TimeFn,
};
use crate::scenario::raw::{RawClosing, RawFinance, RawFunding, RawTariff, RawTime, S};

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
    let closing = match v.closing.as_ref().map(|c| closing(cx, c, f)) {
        Some(Some(c)) => Some(c),
        Some(None) => {
            tariff_ok = false;
            None
        }
        None => None,
    };
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

/// `closing = { fixed_share, days }`, or `closing = { parts = [{ name, share, days }, …] }`:
/// each part a share of the day rate for so many days after a place closes (building,
/// notice periods, social plan). The simulation winds a place down over the longest part
/// at the share that costs the same in all: Σ share × days / max days.
fn closing(cx: &mut Ctx, c: &S<RawClosing>, f: &dyn Fn(&str) -> String) -> Option<Closing> {
    let v = c.get_ref();
    let share_ok = |cx: &mut Ctx, x: &S<f64>, field: &str| {
        let share = *x.get_ref();
        let ok = share.is_finite() && (0.0..=1.0).contains(&share);
        if !ok {
            cx.err(
                x.span(),
                &f(field),
                format!("a share must be between 0 and 1, got {share}"),
            );
        }
        ok.then_some(share)
    };
    let days_ok = |cx: &mut Ctx, x: &S<f64>, field: &str| {
        let days = *x.get_ref();
        let ok = days.is_finite() && (0.0..=36_600.0).contains(&days);
        if !ok {
            cx.err(
                x.span(),
                &f(field),
                format!("the wind-down must be from 0 to 36,600 days, got {days}"),
            );
        }
        ok.then_some(days)
    };
    match (&v.fixed_share, &v.days, &v.parts) {
        (Some(s), Some(d), None) => {
            let share = share_ok(cx, s, "tariff.closing.fixed_share");
            let days = days_ok(cx, d, "tariff.closing.days");
            Some(Closing {
                fixed_share: share?,
                days: days?,
            })
        }
        (None, None, Some(parts)) => {
            let mut ok = !parts.get_ref().is_empty();
            if !ok {
                cx.err(
                    parts.span(),
                    &f("tariff.closing.parts"),
                    "give at least one part: `parts = [{ name = \"building\", share = 0.1, days = 365 }]`",
                );
            }
            let (mut cost, mut longest) = (0.0, 0.0f64);
            for (k, p) in parts.get_ref().iter().enumerate() {
                let p = p.get_ref();
                let field = |x: &str| format!("tariff.closing.parts #{}.{x}", k + 1);
                let share = share_ok(cx, &p.share, &field("share"));
                let days = days_ok(cx, &p.days, &field("days"));
                match (share, days) {
                    (Some(s), Some(d)) => {
                        cost += s * d;
                        longest = longest.max(d);
                    }
                    _ => ok = false,
                }
            }
            ok.then(|| Closing {
                fixed_share: if longest > 0.0 { cost / longest } else { 0.0 },
                days: longest,
            })
        }
        _ => {
            cx.err(
                c.span(),
                &f("tariff.closing"),
                "give either `fixed_share` and `days`, or `parts = [{ name, share, days }, …]` \
                 (a share of the day rate for so many days each: building, notice, social plan)",
            );
            None
        }
    }
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
            let contract = contract(cx, fv, &f);
            if let (Some(g), Some(c)) = (seg, contract) {
                finance.contracts.push((SegmentId(g as u16), c));
            }
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

/// The contract terms of a taakgericht entry, when it gives any (`corridor`,
/// `settle_above`, `settle_below`, `rebase_every`; other models refuse these keys).
fn contract(cx: &mut Ctx, fv: &RawFunding, f: &dyn Fn(&str) -> String) -> Option<Contract> {
    if fv.model.get_ref() != "taakgericht" {
        return None;
    }
    if fv.corridor.is_none()
        && fv.settle_above.is_none()
        && fv.settle_below.is_none()
        && fv.rebase_every.is_none()
    {
        return None;
    }
    let mut ok = true;
    let mut share = |cx: &mut Ctx, v: &Option<S<f64>>, key: &str, default: f64, hi: f64| match v {
        None => default,
        Some(x) => {
            let y = *x.get_ref();
            if y.is_finite() && (0.0..=hi).contains(&y) {
                y
            } else {
                ok = false;
                cx.err(
                    x.span(),
                    &f(key),
                    format!("must be a share between 0 and {hi} (0.05 is 5%), got {y}"),
                );
                default
            }
        }
    };
    // without a corridor the provider carries every difference; with one, the region
    // settles what lies beyond it in full unless the shares say otherwise
    let corridor = share(cx, &fv.corridor, "corridor", f64::INFINITY, 1.0);
    let above = share(cx, &fv.settle_above, "settle_above", 1.0, 1.0);
    let below = share(cx, &fv.settle_below, "settle_below", 1.0, 1.0);
    if fv.corridor.is_none()
        && let Some(x) = fv.settle_above.as_ref().or(fv.settle_below.as_ref())
    {
        ok = false;
        cx.err(
            x.span(),
            &f("corridor"),
            "a settlement applies beyond a corridor: give `corridor` (a share of the lump sum, 0.05 is 5%)",
        );
    }
    let rebase_every = match &fv.rebase_every {
        None => None,
        Some(r) => {
            let n = *r.get_ref();
            if (1..=100).contains(&n) {
                Some(n as u32)
            } else {
                ok = false;
                cx.err(
                    r.span(),
                    &f("rebase_every"),
                    format!("must be a contract period of 1 to 100 years, got {n}"),
                );
                None
            }
        }
    };
    ok.then_some(Contract {
        corridor,
        above,
        below,
        rebase_every,
    })
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
        "taakgericht" => &[
            "budget",
            "per_capita",
            "population",
            "corridor",
            "settle_above",
            "settle_below",
            "rebase_every",
        ],
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
    let given: [(&str, Option<Range<usize>>); 12] = [
        ("budget", fv.budget.as_ref().map(|v| v.span())),
        ("per_capita", fv.per_capita.as_ref().map(|v| v.span())),
        ("population", fv.population.as_ref().map(|v| v.span())),
        ("prices", fv.prices.as_ref().map(|v| v.span())),
        ("kpi", fv.kpi.as_ref().map(|v| v.span())),
        ("target", fv.target.as_ref().map(|v| v.span())),
        ("per_unit", fv.per_unit.as_ref().map(|v| v.span())),
        ("cap", fv.cap.as_ref().map(|v| v.span())),
        ("corridor", fv.corridor.as_ref().map(|v| v.span())),
        ("settle_above", fv.settle_above.as_ref().map(|v| v.span())),
        ("settle_below", fv.settle_below.as_ref().map(|v| v.span())),
        ("rebase_every", fv.rebase_every.as_ref().map(|v| v.span())),
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
