//! Roads across futures, as a comparison sees them: the table behind a sweep report's heat
//! map, `robustness.csv` and the studio's comparison view ([`Robustness`], [`robustness`]),
//! read from the strategies of a sweep with futures. Definitions in
//! [`crate::sweep::robust`]. Below the comparison's tables and page, which read it.

use super::strategy::Strategy;
use crate::stats::summary::Summary;
use crate::sweep::{Kpi, robust};

/// The measures of `robustness.csv` per road and future: the decision measure first, then
/// the measures a board weighs it against.
pub const METRICS: [Kpi; 11] = [
    Kpi::SavingHarmWeighted,
    Kpi::TimeToCareDaysMean,
    Kpi::WaitDaysMean,
    Kpi::OverNormShare,
    Kpi::OutOfHomeDays,
    Kpi::Cost,
    Kpi::CostStranded,
    Kpi::RiskWait,
    Kpi::RiskBudget,
    Kpi::RiskWorseWait,
    Kpi::RiskWorseCost,
];

/// One road in one future.
#[derive(Clone, Debug)]
pub struct RobustCell {
    /// The strategy (the point of the sweep), by its position in the list given.
    pub strategy: usize,
    /// Its saving net of harm against doing nothing in that future.
    pub decision: Summary,
    /// Its regret in that future (paired per replication with the best road).
    pub regret: Summary,
    /// Whether it stays within the policy limits there (`None`: undefined).
    pub meets: Option<bool>,
}

/// Roads × futures: what the report's heat map and the studio's comparison show.
#[derive(Clone, Debug)]
pub struct Robustness {
    /// The roads, in the order of their numbers.
    pub roads: Vec<String>,
    /// The futures, in the sweep's order.
    pub futures: Vec<String>,
    /// `[road][future]`: the road in that future (`None` when the sweep lacks the point).
    pub cells: Vec<Vec<Option<RobustCell>>>,
    /// Per road: its largest regret over the futures.
    pub max_regret: Vec<f64>,
    /// Per road: the share of futures in which it stays within the limits.
    pub share_meeting: Vec<f64>,
}

/// Whether strategy `s` stays within the policy limits (see [`robust::meets_limits`]).
fn meets(s: &Strategy) -> Option<bool> {
    robust::meets_limits(
        s.kpi(Kpi::TimeToCareDaysMean).mean,
        s.kpi(Kpi::RiskBudget).mean,
    )
}

/// The roads × futures of `strategies`, or `None` when they ran in no futures.
pub fn robustness(strategies: &[Strategy]) -> Option<Robustness> {
    let mut futures: Vec<String> = Vec::new();
    for f in strategies.iter().filter_map(|s| s.future.as_ref()) {
        if !futures.contains(f) {
            futures.push(f.clone());
        }
    }
    if futures.is_empty() {
        return None;
    }
    let n_roads = strategies.iter().map(|s| s.number + 1).max().unwrap_or(0);
    let mut roads = vec![String::new(); n_roads];
    let mut cells: Vec<Vec<Option<RobustCell>>> = vec![vec![None; futures.len()]; n_roads];
    for (i, s) in strategies.iter().enumerate() {
        roads[s.number].clone_from(&s.road);
        let Some(f) = s
            .future
            .as_ref()
            .and_then(|f| futures.iter().position(|x| x == f))
        else {
            continue;
        };
        cells[s.number][f] = Some(RobustCell {
            strategy: i,
            decision: s.kpi(Kpi::SavingHarmWeighted),
            regret: s.kpi(Kpi::Regret),
            meets: meets(s),
        });
    }
    let (max_regret, share_meeting) = cells
        .iter()
        .map(|row| {
            let present: Vec<&RobustCell> = row.iter().flatten().collect();
            let regrets: Vec<f64> = present.iter().map(|c| c.regret.mean).collect();
            let meets: Vec<Option<bool>> = present.iter().map(|c| c.meets).collect();
            robust::robustness(&regrets, &meets)
        })
        .unzip();
    Some(Robustness {
        roads,
        futures,
        cells,
        max_regret,
        share_meeting,
    })
}
