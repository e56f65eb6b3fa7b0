//! `robustness.csv` of a sweep with futures: columns
//! `strategy,future,metric,mean,ci_low,ci_high,regret` — per road, per future and per
//! measure of [`METRICS`], the road's mean over replications and its 95% interval in that
//! future, and its regret there: its shortfall from the best road of that future on that
//! measure (in the measure's better direction; for `saving_harm_weighted`, the decision
//! measure, the paired `regret` of `sweep.csv`). Then per road two rows with `future =
//! all`: `max_regret` (its largest regret on the decision measure over the futures, in
//! `mean` and `regret`) and `share_futures_meeting_limits` (in `mean`). Definitions in
//! [`crate::sweep::robust`].

use super::Strategy;
use crate::measure::{MAX_REGRET, SHARE_FUTURES_MEETING_LIMITS};
use crate::report::csv_table::CsvTable;
use crate::report::num;
use crate::report::robustness::{METRICS, robustness};
use crate::sweep::Kpi;

/// Columns of `robustness.csv`.
pub const ROBUSTNESS_COLUMNS: [&str; 7] = [
    "strategy", "future", "metric", "mean", "ci_low", "ci_high", "regret",
];

/// The regret of strategy `s` on KPI `k` among `peers` (the paired strategies of its
/// future): the best mean minus its own in the KPI's better direction; empty for a KPI
/// that is no goal or an undefined mean. The decision measure's is its paired `regret`.
fn regret_on(s: &Strategy, peers: &[&Strategy], k: Kpi) -> f64 {
    if k == Kpi::SavingHarmWeighted {
        return s.kpi(Kpi::Regret).mean;
    }
    let Some(lower) = k.lower_is_better() else {
        return f64::NAN;
    };
    let x = s.kpi(k).mean;
    let means = peers
        .iter()
        .map(|p| p.kpi(k).mean)
        .filter(|m| m.is_finite());
    let best = if lower {
        means.fold(f64::INFINITY, f64::min)
    } else {
        means.fold(f64::NEG_INFINITY, f64::max)
    };
    if !(x.is_finite() && best.is_finite() && s.paired) {
        return f64::NAN;
    }
    if lower { x - best } else { best - x }
}

/// `robustness.csv` of `strategies`, or `None` when they ran in no futures.
pub fn robustness_csv(strategies: &[Strategy]) -> Option<Vec<u8>> {
    let r = robustness(strategies)?;
    let mut w = CsvTable::new(ROBUSTNESS_COLUMNS);
    for (road, row) in r.cells.iter().enumerate() {
        for (f, cell) in row.iter().enumerate() {
            let Some(cell) = cell else { continue };
            let s = &strategies[cell.strategy];
            let peers: Vec<&Strategy> = strategies
                .iter()
                .filter(|p| p.paired && p.future.as_deref() == Some(&r.futures[f]))
                .collect();
            for k in METRICS {
                let v = s.kpi(k);
                w.row([
                    r.roads[road].as_str(),
                    &r.futures[f],
                    k.name(),
                    &num(v.mean),
                    &num(v.ci_low),
                    &num(v.ci_high),
                    &num(regret_on(s, &peers, k)),
                ]);
            }
        }
        let max = num(r.max_regret[road]);
        w.row([
            r.roads[road].as_str(),
            "all",
            MAX_REGRET.name,
            &max,
            "",
            "",
            &max,
        ]);
        w.row([
            r.roads[road].as_str(),
            "all",
            SHARE_FUTURES_MEETING_LIMITS.name,
            &num(r.share_meeting[road]),
            "",
            "",
            "",
        ]);
    }
    Some(w.into_bytes())
}
