//! The tables of a run folder — `summary.csv`, `timeseries.csv`, `schedule_events.csv`,
//! `replications.csv` and `costs.csv` — as bytes: tidy tables, one row per quantity.

use super::csv_table::CsvTable;
use super::{LevelName, Num, level_names};
use crate::experiment::Results;
use crate::model::Model;
use crate::stats::summary::{Summary, summarise};
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

/// Columns of `summary.csv`.
pub const SUMMARY_COLUMNS: [&str; 12] = [
    "scenario", "segment", "service", "metric", "period", "mean", "ci_low", "ci_high", "p05",
    "p50", "p95", "reps",
];

/// Columns of `timeseries.csv`.
pub const TIMESERIES_COLUMNS: [&str; 10] = [
    "scenario",
    "period_start",
    "segment",
    "service",
    "metric",
    "mean",
    "ci_low",
    "ci_high",
    "p05",
    "p95",
];

/// `summary.csv`: per level, metric and period (each calendar year, then `total`).
pub fn summary_csv(model: &Model, res: &Results) -> Vec<u8> {
    let mut w = CsvTable::new(SUMMARY_COLUMNS);
    let tl = &model.timeline;
    let mut buf = Vec::with_capacity(res.replications());
    let levels: Vec<LevelName> = level_names(model);
    for ln in &levels {
        for m in Metric::ALL {
            if m.system_only() && ln.segment != "all" {
                continue;
            }
            let years = tl
                .years
                .iter()
                .enumerate()
                .map(|(i, (y, _))| (PeriodRef::Year(i), y.to_string()));
            let total = std::iter::once((PeriodRef::Total, "total".to_string()));
            for (p, label) in years.chain(total) {
                let s = res.summary(ln.level, m, p);
                summary_row(
                    &mut w,
                    [&model.name, &ln.segment, &ln.service, m.name(), &label],
                    &s,
                );
            }
        }
        // the year each planned capacity step of a service really happened
        if let LevelRef::Service(svc) = ln.level {
            for k in 0..model.services[svc].steps.len() {
                let st = summarise(
                    res.step_times
                        .iter()
                        .map(|r| decimal_year(model, r[svc][k])),
                    &mut buf,
                );
                let name = format!("capacity_step_{}_year", k + 1);
                summary_row(
                    &mut w,
                    [&model.name, &ln.segment, &ln.service, &name, "total"],
                    &st,
                );
            }
        }
    }
    w.into_bytes()
}

/// One row of `summary.csv`: its `keys` (scenario, segment, service, metric, period), then
/// the summary `s`.
fn summary_row(w: &mut CsvTable, keys: [&str; 5], s: &Summary) {
    let [a, b, c, d, e] = keys;
    w.row([
        a,
        b,
        c,
        d,
        e,
        Num::new(s.mean).as_str(),
        Num::new(s.ci_low).as_str(),
        Num::new(s.ci_high).as_str(),
        Num::new(s.p05).as_str(),
        Num::new(s.p50).as_str(),
        Num::new(s.p95).as_str(),
        &s.n.to_string(),
    ]);
}

/// Columns of `schedule_events.csv`.
pub const SCHEDULE_COLUMNS: [&str; 6] =
    ["scenario", "rep", "service", "param", "planned", "actual"];

/// `schedule_events.csv`: when each planned capacity step happened, per replication
/// (`actual` is empty when the step did not happen within the horizon).
pub fn schedule_events_csv(model: &Model, res: &Results) -> Vec<u8> {
    let mut w = CsvTable::new(SCHEDULE_COLUMNS);
    let tl = &model.timeline;
    for (rep, times) in res.step_times.iter().enumerate() {
        for (s, svc) in model.services.iter().enumerate() {
            for (k, step) in svc.steps.iter().enumerate() {
                let actual = times[s][k];
                let actual = if actual.is_finite() {
                    tl.date_of(actual).to_string()
                } else {
                    String::new()
                };
                w.row([
                    model.name.as_str(),
                    &rep.to_string(),
                    &svc.id,
                    "capacity",
                    &tl.date_of(step.at).to_string(),
                    &actual,
                ]);
            }
        }
    }
    w.into_bytes()
}

/// The decimal year of simulation day `t` (2027.5 is mid-2027), NaN if undefined.
fn decimal_year(model: &Model, t: f64) -> f64 {
    if !t.is_finite() {
        return f64::NAN;
    }
    let d = model.timeline.date_of(t);
    let days = if d.in_leap_year() { 366.0 } else { 365.0 };
    d.year() as f64 + (d.day_of_year() as f64 - 1.0 + t.fract()) / days
}

/// `timeseries.csv`: per level, metric and report interval.
pub fn timeseries_csv(model: &Model, res: &Results) -> Vec<u8> {
    let mut w = CsvTable::new(TIMESERIES_COLUMNS);
    let tl = &model.timeline;
    let dates: Vec<String> = tl
        .intervals
        .iter()
        .map(|p| p.first_day.to_string())
        .collect();
    for ln in level_names(model) {
        for m in Metric::ALL {
            if m.system_only() && ln.segment != "all" {
                continue;
            }
            for (p, date) in dates.iter().enumerate() {
                let s = res.summary(ln.level, m, PeriodRef::Interval(p));
                w.row([
                    model.name.as_str(),
                    date,
                    &ln.segment,
                    &ln.service,
                    m.name(),
                    Num::new(s.mean).as_str(),
                    Num::new(s.ci_low).as_str(),
                    Num::new(s.ci_high).as_str(),
                    Num::new(s.p05).as_str(),
                    Num::new(s.p95).as_str(),
                ]);
            }
        }
    }
    w.into_bytes()
}

/// Columns of `replications.csv`.
pub const REPLICATIONS_COLUMNS: [&str; 4] = ["scenario", "rep", "metric", "value"];

/// `replications.csv`: the sweep KPIs per replication (`scenario,rep,metric,value`), the
/// input of paired comparisons; `risk_wait` and `risk_budget` as 1 (missed, overrun) or 0
/// (empty when undefined), so that their mean is the risk. Values are written exactly (shortest round-trip form), so a
/// resumed sweep computes the same statistics as an uninterrupted one.
pub fn replications_csv(model: &Model, res: &Results) -> Vec<u8> {
    let mut w = CsvTable::new(REPLICATIONS_COLUMNS);
    let values = crate::sweep::kpi_values(model, res);
    for rep in 0..res.replications() {
        for (m, v) in crate::sweep::KPIS.iter().zip(&values) {
            if !m.per_run() {
                continue;
            }
            let x = v[rep];
            let value = if x.is_finite() {
                format!("{x}")
            } else {
                String::new()
            };
            w.row([model.name.as_str(), &rep.to_string(), m.name(), &value]);
        }
    }
    w.into_bytes()
}

/// Columns of `costs.csv`.
pub const COSTS_COLUMNS: [&str; 9] = [
    "scenario",
    "segment",
    "year",
    "funding_model",
    "mean",
    "ci_low",
    "ci_high",
    "p50",
    "p90",
];

/// Columns of `savings.csv` (written by `finance_csv`; read back by `folder`).
pub const SAVINGS_COLUMNS: [&str; 8] = [
    "strategy", "baseline", "segment", "year", "measure", "mean", "ci_low", "ci_high",
];

/// `costs.csv`: per segment (and `all`) and calendar year, what the care costs under P×Q
/// (`pxq`) and what the segment's funding model pays (`taakgericht`, `trajectory`,
/// `outcome`; for `all`, `funded`: what the segments' models pay together), with the
/// `surplus` (funded − P×Q, paired per replication: the provider's result) of every level
/// that is not P×Q, and the `settlement` (paid − lump sum) of a taakgericht contract with a
/// corridor or re-basing. Euros, rounded to cents only here. Only the header when no
/// service has a tariff.
pub fn costs_csv(model: &Model, res: &Results) -> Vec<u8> {
    let mut w = CsvTable::new(COSTS_COLUMNS);
    use crate::finance::money::Euros;
    let cents = |x: f64| Euros::new(x).cents();
    let mut buf = Vec::new();
    for c in crate::finance::funding::year_costs(model, res) {
        let euros = |v: &[Euros]| v.iter().map(|e| e.value()).collect::<Vec<f64>>();
        let mut rows = vec![("pxq", summarise(euros(&c.pxq).into_iter(), &mut buf))];
        if c.model != crate::finance::funding::FundingKind::Pxq {
            rows.push((
                c.model.name(),
                summarise(euros(&c.funded).into_iter(), &mut buf),
            ));
            rows.push((
                "surplus",
                summarise(euros(&c.surplus()).into_iter(), &mut buf),
            ));
            if let Some(st) = c.settlement() {
                rows.push(("settlement", summarise(euros(&st).into_iter(), &mut buf)));
            }
        }
        for (name, s) in rows {
            w.row([
                model.name.as_str(),
                &c.segment,
                &c.year.to_string(),
                name,
                &cents(s.mean),
                &cents(s.ci_low),
                &cents(s.ci_high),
                &cents(s.p50),
                &cents(s.p90),
            ]);
        }
    }
    w.into_bytes()
}
