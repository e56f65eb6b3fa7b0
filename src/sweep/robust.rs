//! Roads judged against doing nothing and across futures: the decision measure (the saving
//! net of harm), the risks paired with the baseline of the same future, regret, and the
//! robustness of a road over the futures of a sweep (its maximum regret and the share of
//! futures in which it stays within the policy limits).
//!
//! The definitions follow robust decision making as the EMA Workbench computes it (TU
//! Delft, exploratory modelling under deep uncertainty; its "directed search" tutorial):
//! a policy's *regret* in a scenario is its shortfall from the best policy in that scenario
//! on an outcome, its *maximum regret* the largest over the scenarios, and *satisficing*
//! robustness the share of scenarios in which the outcome meets a threshold. Here a policy
//! is a road, a scenario a future, and every road runs in every future on common random
//! numbers, so a road's shortfall is paired per replication with the best road's.
//!
//! Everything here is computed from the per-replication KPIs a run folder keeps
//! (`replications.csv`), so a resumed or merged sweep gives the same numbers.

use super::Kpi;
use crate::stats::summary::summarise;

/// How much a euro of care not delivered weighs as a harm, on top of not counting as a
/// saving: 1 (the harm is valued at no less than the care withheld). Assumption (E, an estimate): no
/// source values the harm of a late start in euros; seed 002 says problems grow while
/// youths wait, so the weight is not 0.
pub const HARM_WEIGHT: f64 = 1.0;

/// A road is *worse than doing nothing* on waiting in a replication when its mean time to
/// care is longer by more than this many days (a week: below it, a difference is within
/// what a planner would call the same) [E, 3–14 days].
pub const WORSE_WAIT_DAYS: f64 = 7.0;

/// A road is *worse than doing nothing* on cost in a replication when it costs more by more
/// than this share of the baseline's cost (1%, about €2 mln a year for Groningen) [E,
/// 0.5–2%].
pub const WORSE_COST_SHARE: f64 = 0.01;

/// The treeknorm: 4 weeks from referral to intake plus 10 weeks from intake to treatment
/// [domain-figures §2, S9], in days. A road keeps its waits within the policy limit in a
/// future when its mean time to care over the horizon is at most this.
pub const TREEKNORM_DAYS: f64 = 98.0;

/// A road keeps within the budget in a future when at most this share of its replications
/// overrun it in some year (`risk_budget`): the budget then covers its cost with the 90%
/// confidence `jeugdflow budget` sizes a taakgericht budget by.
pub const BUDGET_RISK_TOLERANCE: f64 = 0.10;

/// The values of KPI `k` per replication in `reps` (per KPI, in [`super::KPIS`] order).
fn of(reps: &[Vec<f64>], k: Kpi) -> &[f64] {
    reps.get(k.index()).map_or(&[], Vec::as_slice)
}

/// What the road costs the region per replication: P×Q plus the stranded cost of closing.
fn cost(reps: &[Vec<f64>], r: usize) -> f64 {
    of(reps, Kpi::Cost)[r] + of(reps, Kpi::CostStranded).get(r).copied().unwrap_or(0.0)
}

/// Care not delivered per replication (euros): the road has fewer youths in care than the
/// baseline *because* more of them wait. At the level of the region, over the horizon: with
/// `Δcare` the baseline's mean youths in care minus the road's and `held` the road's mean
/// youths waiting minus the baseline's, the smaller of the two when both are positive (the
/// road cares for fewer because youths wait), the larger (a negative amount: care beyond the
/// baseline's) when both are negative, else 0 (fewer in care with nobody held back is care
/// not needed: diverted, shorter, elsewhere) — the rule of the savings decomposition (issue
/// 25) applied to the region as a whole. Valued at the baseline's mean cost of a youth in
/// care (its P×Q cost over its mean youths in care).
pub fn care_not_delivered(road: &[Vec<f64>], base: &[Vec<f64>]) -> Vec<f64> {
    let n = of(road, Kpi::Cost).len().min(of(base, Kpi::Cost).len());
    (0..n)
        .map(|r| {
            let (occ_b, occ_s) = (
                of(base, Kpi::OccupancyMean)[r],
                of(road, Kpi::OccupancyMean)[r],
            );
            let held = of(road, Kpi::WaitingMean)[r] - of(base, Kpi::WaitingMean)[r];
            let less_care = occ_b - occ_s;
            let youths = if less_care > 0.0 && held > 0.0 {
                less_care.min(held)
            } else if less_care < 0.0 && held < 0.0 {
                less_care.max(held)
            } else {
                0.0
            };
            let per_youth = of(base, Kpi::Cost)[r] / occ_b;
            if youths == 0.0 {
                0.0
            } else {
                youths * per_youth
            }
        })
        .collect()
}

/// **The decision measure** of a comparison, per replication: the road's saving net of harm
/// against `base`, doing nothing in the same future — what the baseline costs (P×Q and
/// stranded cost) minus what the road costs, less its care not delivered
/// ([`care_not_delivered`]) once because it is no saving and [`HARM_WEIGHT`] times more as
/// a harm. Regret, the best road and the robustness of a road are all taken on it; it is
/// the one function to change when the savings decomposition (issue 25:
/// `saving_structural`, `care_not_delivered` per segment and year) is available from a run
/// folder. NaN where an input is undefined; exactly 0 for the baseline itself.
pub fn decision(road: &[Vec<f64>], base: &[Vec<f64>]) -> Vec<f64> {
    let cnd = care_not_delivered(road, base);
    cnd.iter()
        .enumerate()
        .map(|(r, c)| cost(base, r) - cost(road, r) - (1.0 + HARM_WEIGHT) * c)
        .collect()
}

/// 1 in the replications in which `road` is worse than `base` by more than `margin`
/// (lower is better), else 0; NaN where either is undefined.
fn worse_by(road: &[f64], base: &[f64], margin: impl Fn(f64) -> f64) -> Vec<f64> {
    road.iter()
        .zip(base)
        .map(|(a, b)| {
            if !(a.is_finite() && b.is_finite()) {
                f64::NAN
            } else if a - b > margin(*b) {
                1.0
            } else {
                0.0
            }
        })
        .collect()
}

/// `risk_worse_wait` per replication: 1 when the road's mean time to care is more than
/// [`WORSE_WAIT_DAYS`] longer than the baseline's in the same replication.
pub fn worse_wait(road: &[Vec<f64>], base: &[Vec<f64>]) -> Vec<f64> {
    worse_by(
        of(road, Kpi::TimeToCareDaysMean),
        of(base, Kpi::TimeToCareDaysMean),
        |_| WORSE_WAIT_DAYS,
    )
}

/// `risk_worse_cost` per replication: 1 when the road's P×Q and stranded cost is more than
/// [`WORSE_COST_SHARE`] above the baseline's in the same replication.
pub fn worse_cost(road: &[Vec<f64>], base: &[Vec<f64>]) -> Vec<f64> {
    let n = of(road, Kpi::Cost).len().min(of(base, Kpi::Cost).len());
    let (a, b): (Vec<f64>, Vec<f64>) = (0..n).map(|r| (cost(road, r), cost(base, r))).unzip();
    worse_by(&a, &b, |b| WORSE_COST_SHARE * b.abs())
}

/// The mean of the finite values.
fn mean(v: &[f64]) -> f64 {
    summarise(v.iter().copied(), &mut Vec::new()).mean
}

/// `regret` per replication of each road of one future, from their decision measures
/// (higher is better) per replication, all paired: the best road is the one with the
/// highest mean, and a road's regret in replication `r` is the best road's value minus its
/// own. Its mean is the best mean minus the road's (EMA's regret), 0 for the best; single
/// replications can be negative. `None` entries (roads not paired with the baseline) get
/// no values.
pub fn regret(decisions: &[Option<&[f64]>]) -> Vec<Vec<f64>> {
    let best = decisions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|d| (i, mean(d))))
        .filter(|(_, m)| m.is_finite())
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .and_then(|(i, _)| decisions[i]);
    decisions
        .iter()
        .map(|d| match (d, best) {
            (Some(d), Some(best)) => best.iter().zip(*d).map(|(b, x)| b - x).collect(),
            (Some(d), None) => vec![f64::NAN; d.len()],
            (None, _) => Vec::new(),
        })
        .collect()
}

/// Whether a road stays within the policy limits in one future: its mean time to care over
/// the horizon (mean over replications) within the treeknorm ([`TREEKNORM_DAYS`]), and its
/// budget overrun risk at most [`BUDGET_RISK_TOLERANCE`] (a run without a budget passes on
/// waits alone). `None` when the time to care is undefined.
pub fn meets_limits(time_to_care_mean: f64, risk_budget: f64) -> Option<bool> {
    if !time_to_care_mean.is_finite() {
        return None;
    }
    let budget = !risk_budget.is_finite() || risk_budget <= BUDGET_RISK_TOLERANCE + 1e-12;
    Some(time_to_care_mean <= TREEKNORM_DAYS && budget)
}

/// A road's robustness over the futures: the largest of its regrets (one per future; NaN
/// ones left out) and the share of futures in which it meets the limits (`None` ones, with
/// the limits undefined, left out).
pub fn robustness(regrets: &[f64], meets: &[Option<bool>]) -> (f64, f64) {
    let max = regrets
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold(f64::NAN, f64::max);
    let judged: Vec<bool> = meets.iter().filter_map(|m| *m).collect();
    let share = if judged.is_empty() {
        f64::NAN
    } else {
        judged.iter().filter(|m| **m).count() as f64 / judged.len() as f64
    };
    (max, share)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::KPIS;

    /// A run's KPIs per replication: the given ones, every other 0.
    fn run(values: &[(Kpi, [f64; 3])]) -> Vec<Vec<f64>> {
        KPIS.iter()
            .map(|k| {
                values
                    .iter()
                    .find(|(x, _)| x == k)
                    .map_or(vec![0.0; 3], |(_, v)| v.to_vec())
            })
            .collect()
    }

    fn base() -> Vec<Vec<f64>> {
        run(&[
            (Kpi::Cost, [100.0, 100.0, 100.0]),
            (Kpi::OccupancyMean, [10.0, 10.0, 10.0]),
            (Kpi::WaitingMean, [5.0, 5.0, 5.0]),
            (Kpi::TimeToCareDaysMean, [50.0, 50.0, 50.0]),
        ])
    }

    #[test]
    fn a_road_that_changes_nothing_is_the_baseline() {
        let b = base();
        assert_eq!(decision(&b, &b), [0.0, 0.0, 0.0]);
        assert_eq!(worse_wait(&b, &b), [0.0, 0.0, 0.0]);
        assert_eq!(worse_cost(&b, &b), [0.0, 0.0, 0.0]);
    }

    #[test]
    fn a_saving_from_youths_left_waiting_is_no_saving_but_a_harm() {
        let b = base();
        // 2 fewer youths in care, 3 more waiting: 2 youths' care not delivered, at 10 a youth
        let held = run(&[
            (Kpi::Cost, [80.0, 80.0, 80.0]),
            (Kpi::OccupancyMean, [8.0, 8.0, 8.0]),
            (Kpi::WaitingMean, [8.0, 8.0, 8.0]),
        ]);
        assert_eq!(care_not_delivered(&held, &b), [20.0, 20.0, 20.0]);
        // 20 saved on P×Q, all of it care not given: −20 with the harm weighed once more
        assert_eq!(decision(&held, &b), [-20.0, -20.0, -20.0]);
        // the same 20 saved with nobody held back (shorter stays): a structural saving
        let shorter = run(&[
            (Kpi::Cost, [80.0, 80.0, 80.0]),
            (Kpi::OccupancyMean, [8.0, 8.0, 8.0]),
            (Kpi::WaitingMean, [5.0, 5.0, 5.0]),
        ]);
        assert_eq!(decision(&shorter, &b), [20.0, 20.0, 20.0]);
        // stranded cost counts against a road
        let mut stranded = shorter.clone();
        stranded[Kpi::CostStranded.index()] = vec![5.0; 3];
        assert_eq!(decision(&stranded, &b), [15.0, 15.0, 15.0]);
        // more care and fewer waiting: care beyond the baseline's, worth its cost and more
        let more = run(&[
            (Kpi::Cost, [110.0, 110.0, 110.0]),
            (Kpi::OccupancyMean, [11.0, 11.0, 11.0]),
            (Kpi::WaitingMean, [4.0, 4.0, 4.0]),
        ]);
        assert_eq!(decision(&more, &b), [10.0, 10.0, 10.0]);
    }

    #[test]
    fn paired_risks_need_more_than_the_margin() {
        let b = base();
        let road = run(&[
            (Kpi::Cost, [100.5, 102.0, 100.0]),
            (Kpi::TimeToCareDaysMean, [57.0, 57.5, f64::NAN]),
        ]);
        assert_eq!(worse_wait(&road, &b)[..2], [0.0, 1.0]);
        assert!(worse_wait(&road, &b)[2].is_nan());
        assert_eq!(worse_cost(&road, &b), [0.0, 1.0, 0.0]);
    }

    #[test]
    fn regret_is_the_shortfall_from_the_best_road_on_the_mean() {
        let a = [0.0, 0.0, 0.0];
        let b = [10.0, 2.0, 3.0]; // mean 5: the best
        let c = [4.0, 4.0, 4.0];
        let r = regret(&[Some(&a), Some(&b), None, Some(&c)]);
        assert_eq!(r[0], [10.0, 2.0, 3.0]);
        assert_eq!(r[1], [0.0, 0.0, 0.0]);
        assert!(r[2].is_empty());
        assert_eq!(
            r[3],
            [6.0, -2.0, -1.0],
            "a single replication can be negative"
        );
        assert_eq!(mean(&r[3]), 1.0, "the mean is the shortfall of the means");
        // a tie goes to the first road
        let t = regret(&[Some(&c), Some(&c)]);
        assert_eq!((t[0].clone(), t[1].clone()), (vec![0.0; 3], vec![0.0; 3]));
    }

    #[test]
    fn limits_and_robustness_over_futures() {
        assert_eq!(meets_limits(98.0, 0.1), Some(true));
        assert_eq!(meets_limits(98.1, 0.0), Some(false));
        assert_eq!(meets_limits(50.0, 0.15), Some(false));
        assert_eq!(
            meets_limits(50.0, f64::NAN),
            Some(true),
            "no budget: waits alone"
        );
        assert_eq!(meets_limits(f64::NAN, 0.0), None);
        let (max, share) = robustness(&[1.0, f64::NAN, 3.0], &[Some(true), None, Some(false)]);
        assert_eq!((max, share), (3.0, 0.5));
        let (max, share) = robustness(&[], &[]);
        assert!(max.is_nan() && share.is_nan());
    }
}
