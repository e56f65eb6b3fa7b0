//! Pricing: the one place that decides how a price becomes euros — at which moment a
//! tariff or a yearly amount is read, how it is indexed (`[finance]
//! indexation_per_year`, compounded from the start of the run, or `[finance.indexation]`,
//! a rate per calendar year from the prices of a given year, stepping on 1 January) and
//! how per-hour and per-year amounts become per-day ones.
//!
//! Two conventions are in use, each for its own outputs, and both live here:
//! - **per slice** ([`price_table`]): the tariff rates and trajectory prices of every
//!   service, segment and profile, read and indexed at the middle of each slice of the
//!   statistics window, built once per model. The recorder multiplies them by the
//!   volumes of the slice (care days, admissions, places) for `cost`, `cost_capacity`
//!   and `cost_trajectory`, and does nothing else with money.
//! - **per youth** ([`stay_cost`], [`admission_cost`]): a youth's cost in a calendar year,
//!   for the cost-concentration metrics (`cost_top10_share`, `cost_per_youth_*`): each
//!   part of a stay (split at the turn of a year) at the rate of its own middle, an
//!   admission at its own moment.
//!
//! Amounts per year over a reporting year (lump sums, outcome budgets, the cost of
//! capacity) are read and indexed at the middle of the year ([`over_period`],
//! [`place_day_cost`]).

use crate::model::{Finance, FundingModel, Indexation, Model, Tariff};
use crate::stats::{PriceTable, Rates};
use crate::timeline::{DAYS_PER_YEAR, Period};

/// The index factor at time `t` (days since the start) on the prices a scenario is given
/// in: with `indexation_per_year`, that rate a year compounded from the start; with a
/// yearly index, the factor of the calendar year `t` is in.
#[inline]
pub fn index(finance: &Finance, t: f64) -> f64 {
    match &finance.indexation {
        Indexation::PerYear(rate) => (1.0 + rate).powf(t / DAYS_PER_YEAR),
        Indexation::Yearly { steps, before, .. } => steps
            .iter()
            .rev()
            .find(|(from, _)| *from <= t)
            .map_or(*before, |(_, k)| *k),
    }
}

/// Euros per day in care at time `t`, before indexation: the day tariff plus the hourly
/// tariff for `hours_per_week` hours a week.
#[inline]
pub fn day_rate(tariff: &Tariff, t: f64) -> f64 {
    tariff.per_day.at(t) + tariff.per_hour.at(t) * tariff.hours_per_week / 7.0
}

/// The prices of `model` per slice: every service's day, admission and place-day rates
/// (when any service has a tariff) and every segment's trajectory price per profile (when
/// any segment is funded per trajectory), read and indexed at the middle of the slice.
pub fn price_table(model: &Model) -> PriceTable {
    let slices = &model.timeline.slices;
    let mid = |i: usize| (slices[i].start + slices[i].end) / 2.0;
    let finance = &model.finance;
    let mut table = PriceTable::new(slices.len(), model.profiles.len());
    if model.services.iter().any(|s| s.tariff.is_some()) {
        table.fill_rates(model.services.len(), |s, i| {
            let t = mid(i);
            let k = index(finance, t);
            let svc = &model.services[s];
            let fte_day = svc
                .release
                .as_ref()
                .map_or(0.0, |r| r.fte_cost_per_year * k / DAYS_PER_YEAR);
            svc.tariff.as_ref().map_or(
                Rates {
                    fte_day,
                    ..Rates::default()
                },
                |tr| Rates {
                    day: day_rate(tr, t) * k,
                    admission: tr.per_admission.at(t) * k,
                    place_day: tr.per_place_per_year.at(t) * k / DAYS_PER_YEAR,
                    stranded_day: tr
                        .closing
                        .map_or(0.0, |c| c.fixed_share * day_rate(tr, t) * k),
                    fte_day,
                },
            )
        });
    }
    let trajectory = |g: usize| {
        finance.funding.iter().rev().find_map(|(seg, f)| match f {
            FundingModel::Trajectory { prices } if seg.0 as usize == g => Some(prices),
            _ => None,
        })
    };
    if (0..model.segments.len()).any(|g| trajectory(g).is_some()) {
        table.fill_trajectory(model.segments.len(), |g, p, i| {
            let t = mid(i);
            trajectory(g)
                .and_then(|prices| prices.get(p))
                .map_or(0.0, |price| price.at(t) * index(finance, t))
        });
    }
    table
}

/// What a stay from `from` to `to` costs (one youth): the care days at the day rate of
/// the stay's middle, indexed there.
#[inline]
pub fn stay_cost(tariff: &Tariff, finance: &Finance, from: f64, to: f64) -> f64 {
    let mid = (from + to) / 2.0;
    (to - from) * day_rate(tariff, mid) * index(finance, mid)
}

/// What an admission at time `t` costs (one youth), indexed at `t`.
#[inline]
pub fn admission_cost(tariff: &Tariff, finance: &Finance, t: f64) -> f64 {
    tariff.per_admission.at(t) * index(finance, t)
}

/// An amount given in euros per year (as a function of time) over `period`: read and
/// indexed at the period's middle, for the period's share of a year.
pub fn over_period(finance: &Finance, period: &Period, euros_per_year: impl Fn(f64) -> f64) -> f64 {
    let mid = (period.start + period.end) / 2.0;
    euros_per_year(mid) * period.days() / DAYS_PER_YEAR * index(finance, mid)
}

/// What one place costs per day over `period` when it is paid for whether used or not:
/// the day rate plus the fixed place cost, read and indexed at the period's middle.
pub fn place_day_cost(tariff: &Tariff, finance: &Finance, period: &Period) -> f64 {
    let mid = (period.start + period.end) / 2.0;
    (day_rate(tariff, mid) + tariff.per_place_per_year.at(mid) / DAYS_PER_YEAR)
        * index(finance, mid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimeFn;

    fn tariff(per_day: f64, per_hour: f64, hours: f64) -> Tariff {
        Tariff {
            per_day: TimeFn::Const(per_day),
            per_hour: TimeFn::Const(per_hour),
            hours_per_week: hours,
            per_admission: TimeFn::Const(500.0),
            per_place_per_year: TimeFn::Const(3652.5),
            closing: None,
        }
    }

    #[test]
    fn prices_are_indexed_from_the_start_and_hours_become_days() {
        let f = Finance {
            indexation: Indexation::PerYear(0.03),
            ..Finance::default()
        };
        assert_eq!(index(&f, 0.0), 1.0);
        assert!((index(&f, 2.0 * DAYS_PER_YEAR) - 1.0609).abs() < 1e-12);
        let t = tariff(100.0, 70.0, 3.5);
        assert_eq!(day_rate(&t, 0.0), 135.0);
        // 10 days from day 0: priced at day 5
        let stay = stay_cost(&t, &f, 0.0, 10.0);
        assert!((stay - 1350.0 * index(&f, 5.0)).abs() < 1e-9);
        assert!(stay > 1350.0);
        assert_eq!(admission_cost(&t, &Finance::default(), 40.0), 500.0);
        // a yearly index steps on 1 January and holds all year
        let y = Finance {
            indexation: Indexation::Yearly {
                prices_of: 2023,
                rates: vec![(2024, 0.063), (2025, 0.0496)],
                steps: vec![(0.0, 1.063), (366.0, 1.063 * 1.0496)],
                before: 1.0,
            },
            ..Finance::default()
        };
        assert_eq!(index(&y, 0.0), 1.063);
        assert_eq!(index(&y, 365.9), 1.063);
        assert_eq!(index(&y, 366.0), 1.063 * 1.0496);
        assert_eq!(index(&y, -1.0), 1.0);
        // a whole year at the middle of the year: day rate plus 10 a day for the place
        let year = Period {
            start: 0.0,
            end: DAYS_PER_YEAR,
            first_day: jiff::civil::date(2024, 1, 1),
        };
        let flat = Finance::default();
        assert!((place_day_cost(&t, &flat, &year) - 145.0).abs() < 1e-12);
        assert!((over_period(&flat, &year, |_| 1000.0) - 1000.0).abs() < 1e-12);
    }
}
