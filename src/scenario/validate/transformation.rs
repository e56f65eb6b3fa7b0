//! The money of a transformation in `[finance]`: how prices are indexed
//! (`indexation_per_year` or `[finance.indexation]`), the places a road pays while they
//! stand idle (`[[finance.standing]]`), national transformation money
//! (`[finance.national_money]`) and the savings target (`[finance.target]`).

use std::collections::HashMap;

use jiff::civil::Date;

use crate::model::{
    Indexation, NationalMoney, SavingsTarget, SegmentId, Service, ServiceId, TimeFn,
};
use crate::scenario::raw::{RawFinance, RawIndexation, S};
use crate::timeline::days_between;

use super::ctx::{Ctx, budget_euros, euros};

/// The largest yearly rate of an index, either way.
const MAX_RATE: f64 = 0.5;

/// How prices grow: `indexation_per_year`, or `[finance.indexation]`, or neither (flat).
/// When a scenario and a file it extends give one each, the one nearer the user holds.
pub(super) fn indexation(cx: &mut Ctx, v: &RawFinance) -> Indexation {
    let per_year = |cx: &mut Ctx, i: &S<f64>| {
        let x = *i.get_ref();
        if x.is_finite() && (-MAX_RATE..=MAX_RATE).contains(&x) {
            Indexation::PerYear(x)
        } else {
            cx.err(
                i.span(),
                "finance.indexation_per_year",
                format!("must be a yearly fraction between -0.5 and 0.5 (0.03 is 3%), got {x}"),
            );
            Indexation::default()
        }
    };
    match (&v.indexation_per_year, &v.indexation) {
        (Some(i), Some(y)) => {
            let (ri, ry) = (cx.rank(i.span().start), cx.rank(y.span().start));
            if ri < ry {
                per_year(cx, i)
            } else if ry < ri {
                yearly(cx, y).unwrap_or_default()
            } else {
                cx.err(
                    y.span(),
                    "finance.indexation",
                    "give either `indexation_per_year` (one rate, compounded from the start) \
                     or `[finance.indexation]` (a rate per calendar year from the prices of a \
                     year), not both",
                );
                Indexation::default()
            }
        }
        (Some(i), None) => per_year(cx, i),
        (None, Some(y)) => yearly(cx, y).unwrap_or_default(),
        (None, None) => Indexation::default(),
    }
}

/// `[finance.indexation]`: `prices_of` and `rates = { 2024 = 0.063, … }`, the first rate
/// for the year after `prices_of`, each holding until the next; on the horizon: the
/// factor of each calendar year, stepping on 1 January.
fn yearly(cx: &mut Ctx, y: &S<RawIndexation>) -> Option<Indexation> {
    let v = y.get_ref();
    let f = "finance.indexation";
    let prices_of = *v.prices_of.get_ref();
    if !(1900..=2200).contains(&prices_of) {
        cx.err(
            v.prices_of.span(),
            &format!("{f}.prices_of"),
            format!(
                "must be the year the scenario's prices are of, from 1900 to 2200, got {prices_of}"
            ),
        );
        return None;
    }
    let prices_of = prices_of as i16;
    let mut rates: Vec<(i16, f64)> = Vec::new();
    let mut ok = true;
    for (key, r) in v.rates.get_ref() {
        let field = format!("{f}.rates.{key}");
        let Some(year) = key
            .parse::<i16>()
            .ok()
            .filter(|y| *y > prices_of && *y <= 2300)
        else {
            cx.err(
                r.span(),
                &field,
                format!(
                    "\"{key}\" is not a year after prices_of = {prices_of}; write the rate of \
                     each year from {} on, e.g. `rates = {{ {} = 0.063 }}`",
                    prices_of + 1,
                    prices_of + 1
                ),
            );
            ok = false;
            continue;
        };
        let x = *r.get_ref();
        if !(x.is_finite() && (-MAX_RATE..=MAX_RATE).contains(&x)) {
            cx.err(
                r.span(),
                &field,
                format!("a yearly rate must be between -0.5 and 0.5 (0.063 is 6.3%), got {x}"),
            );
            ok = false;
            continue;
        }
        rates.push((year, x));
    }
    rates.sort_by_key(|(y, _)| *y);
    match rates.first() {
        None if ok => {
            cx.err(
                v.rates.span(),
                &format!("{f}.rates"),
                format!(
                    "give at least the rate of {}, e.g. `rates = {{ {} = 0.063 }}`",
                    prices_of + 1,
                    prices_of + 1
                ),
            );
            return None;
        }
        Some((first, _)) if *first != prices_of + 1 => {
            cx.err(
                v.rates.span(),
                &format!("{f}.rates"),
                format!(
                    "the first rate is for {first}, but prices are of {prices_of}: give the \
                     rate of {} too (each rate holds until the next year given)",
                    prices_of + 1
                ),
            );
            return None;
        }
        _ => {}
    }
    if !ok {
        return None;
    }
    let (start, end) = (cx.start?, cx.end?);
    if start.year() < prices_of {
        cx.err(
            v.prices_of.span(),
            &format!("{f}.prices_of"),
            format!(
                "the horizon starts in {}, before the year the prices are of ({prices_of}); an \
                 index only raises prices: give the prices of {} or earlier",
                start.year(),
                start.year()
            ),
        );
        return None;
    }
    Some(Indexation::Yearly {
        prices_of,
        steps: steps(prices_of, &rates, start, end),
        before: factor(prices_of, &rates, start.year()),
        rates,
    })
}

/// The factor on the prices of `prices_of` in calendar year `year`: the product of
/// (1 + rate) over the years after `prices_of` up to `year`, each year at the rate of
/// the latest year given before or in it.
fn factor(prices_of: i16, rates: &[(i16, f64)], year: i16) -> f64 {
    (prices_of + 1..=year)
        .map(|y| {
            1.0 + rates
                .iter()
                .rev()
                .find(|(from, _)| *from <= y)
                .map_or(0.0, |(_, r)| *r)
        })
        .product()
}

/// The factor of each 1 January after `start` up to `end`, as (days since `start`, factor).
fn steps(prices_of: i16, rates: &[(i16, f64)], start: Date, end: Date) -> Vec<(f64, f64)> {
    (start.year() + 1..=end.year())
        .filter_map(|y| {
            let jan = Date::new(y, 1, 1).ok()?;
            Some((days_between(start, jan) as f64, factor(prices_of, rates, y)))
        })
        .collect()
}

/// `[[finance.standing]]`: per service, its price per place per year while it stands idle.
pub(super) fn standing(
    cx: &mut Ctx,
    v: &RawFinance,
    index: &HashMap<String, usize>,
) -> Vec<(ServiceId, TimeFn)> {
    let mut out: Vec<(ServiceId, TimeFn)> = Vec::new();
    for (k, st) in v.standing.iter().enumerate() {
        let sv = st.get_ref();
        let f = |x: &str| format!("finance.standing #{}.{x}", k + 1);
        let id = match index.get(sv.service.get_ref()) {
            Some(&j) => Some(ServiceId(j as u16)),
            None => {
                cx.err(
                    sv.service.span(),
                    &f("service"),
                    format!("unknown service \"{}\"", sv.service.get_ref()),
                );
                None
            }
        };
        if let Some(id) = id
            && out.iter().any(|(s, _)| *s == id)
        {
            cx.err(
                sv.service.span(),
                &f("service"),
                format!(
                    "service \"{}\" has two standing prices",
                    sv.service.get_ref()
                ),
            );
        }
        let price = cx.time_fn(
            &sv.per_place_per_year,
            &f("per_place_per_year"),
            true,
            &euros("a price per place per year"),
        );
        if let (Some(id), Some(p)) = (id, price) {
            out.push((id, p));
        }
    }
    out
}

/// `[finance.national_money]`: the grant, not yet judged on whether the scenario
/// qualifies (see [`qualify`]).
pub(super) fn national_money(
    cx: &mut Ctx,
    v: &RawFinance,
    segments: &[String],
    index: &HashMap<String, usize>,
) -> Option<NationalMoney> {
    let n = v.national_money.as_ref()?.get_ref();
    let f = |x: &str| format!("finance.national_money.{x}");
    let segment = segments.iter().position(|g| g == n.segment.get_ref());
    if segment.is_none() {
        cx.err(
            n.segment.span(),
            &f("segment"),
            format!(
                "unknown segment \"{}\"; segments are the `segment` labels of services",
                n.segment.get_ref()
            ),
        );
    }
    let service = index.get(n.when_closing.get_ref()).copied();
    if service.is_none() {
        cx.err(
            n.when_closing.span(),
            &f("when_closing"),
            format!(
                "unknown service \"{}\": name the service whose winding down qualifies a road",
                n.when_closing.get_ref()
            ),
        );
    }
    let per_year = cx.time_fn(
        &n.per_year,
        &f("per_year"),
        false,
        &budget_euros("national money"),
    );
    Some(NationalMoney {
        segment: SegmentId(segment? as u16),
        when_closing: ServiceId(service? as u16),
        per_year: per_year?,
        qualifies: false,
    })
}

/// Whether the scenario qualifies for its national money: the service it names has
/// fewer places planned at the end of the horizon than at its start.
pub(super) fn qualify(money: &mut Option<NationalMoney>, services: &[Service], horizon: f64) {
    if let Some(m) = money {
        let svc = &services[m.when_closing.0 as usize];
        let planned = |t: f64| {
            svc.steps
                .iter()
                .filter(|st| st.at <= t)
                .max_by(|a, b| a.at.total_cmp(&b.at))
                .map_or_else(
                    || svc.capacity.as_ref().map_or(f64::INFINITY, |c| c.at(t)),
                    |st| f64::from(st.value),
                )
        };
        m.qualifies = planned(horizon) < planned(0.0);
    }
}

/// `[finance.target]`: the national savings per year and the region's share of them.
pub(super) fn target(cx: &mut Ctx, v: &RawFinance) -> Option<SavingsTarget> {
    let t = v.target.as_ref()?.get_ref();
    let national = cx.time_fn(
        &t.national,
        "finance.target.national",
        true,
        &budget_euros("a national savings target"),
    );
    let share = *t.share.get_ref();
    if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
        cx.err(
            t.share.span(),
            "finance.target.share",
            format!("the region's share must be between 0 and 1 (0.027 is 2.7%), got {share}"),
        );
        return None;
    }
    Some(SavingsTarget {
        national: national?,
        share,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yearly_index_compounds_from_the_year_after_the_prices() {
        let rates = [(2024, 0.063), (2025, 0.0496), (2026, 0.035)];
        assert_eq!(factor(2023, &rates, 2023), 1.0);
        assert_eq!(factor(2023, &rates, 2024), 1.063);
        assert!((factor(2023, &rates, 2025) - 1.063 * 1.0496).abs() < 1e-12);
        // the last rate holds for later years
        let f2030 = 1.063 * 1.0496 * 1.035f64.powi(5);
        assert!((factor(2023, &rates, 2030) - f2030).abs() < 1e-12);
        let start = Date::new(2024, 1, 1).unwrap();
        let st = steps(2023, &rates, start, Date::new(2025, 12, 31).unwrap());
        assert_eq!(st.len(), 1);
        assert_eq!(st[0].0, 366.0);
    }
}
