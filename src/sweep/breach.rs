//! Services in trouble behind a region-wide figure. The region's `over_norm_share` counts
//! the waits of youths entering care; a service further down the chain (an assessment
//! after triage, a residential group after a cut) can have most of its admissions over
//! its norm while the region's share stays small. Every report that shows a region figure
//! also names the services worst on mean wait and on over-norm share, and flags those over
//! their norm for more than `[report] flag_over_norm_share` of their admissions.
//!
//! One definition for every output: the figures are the services' `total` rows of
//! `summary.csv` (means over replications), taken from a run's results
//! ([`service_waits`]) or read back from a folder's `summary.csv`
//! (`report::folder::service_waits`); [`breaches`] ranks and flags them.

use crate::experiment::Results;
use crate::model::Model;
use crate::stats::summary::Summary;
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

/// How many services each ranking names.
pub const WORST: usize = 3;

/// One service's waiting over the whole window: the summaries over replications of its
/// mean wait and of its share of admissions over the norm (undefined without a norm).
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceWait {
    /// The service id.
    pub service: String,
    pub segment: String,
    pub wait_days_mean: Summary,
    pub over_norm_share: Summary,
}

/// The services worst on waiting, and those flagged.
#[derive(Clone, Debug, PartialEq)]
pub struct Breaches {
    /// Services with admissions over their norm, highest share first: the [`WORST`], or
    /// every flagged one when more are flagged.
    pub over_norm: Vec<ServiceWait>,
    /// Services whose youths waited at all, longest mean wait first (at most [`WORST`]).
    pub wait: Vec<ServiceWait>,
    /// Every service whose over-norm share is above `flag`, highest first.
    pub flagged: Vec<ServiceWait>,
    /// The share above which a service is flagged (`[report] flag_over_norm_share`).
    pub flag: f64,
}

impl Breaches {
    /// Whether `service` is flagged.
    pub fn is_flagged(&self, service: &str) -> bool {
        self.flagged.iter().any(|s| s.service == service)
    }
}

/// Ranks the services: worst on over-norm share and on mean wait, and flags every
/// service whose mean over-norm share is above `flag`. Services without a norm (or
/// without admissions) are never on the over-norm list; ties keep the services' order.
pub fn breaches(services: &[ServiceWait], flag: f64) -> Breaches {
    let ranked = |key: fn(&ServiceWait) -> f64| {
        let mut v: Vec<&ServiceWait> = services
            .iter()
            .filter(|s| key(s).is_finite() && key(s) > 0.0)
            .collect();
        v.sort_by(|a, b| key(b).total_cmp(&key(a)));
        v.into_iter().cloned().collect::<Vec<_>>()
    };
    let by_share = ranked(|s| s.over_norm_share.mean);
    let flagged: Vec<ServiceWait> = by_share
        .iter()
        .filter(|s| s.over_norm_share.mean > flag)
        .cloned()
        .collect();
    let mut over_norm = by_share;
    over_norm.truncate(WORST.max(flagged.len()));
    let mut wait = ranked(|s| s.wait_days_mean.mean);
    wait.truncate(WORST);
    Breaches {
        over_norm,
        wait,
        flagged,
        flag,
    }
}

/// Every service's waiting over the window after warm-up, from a run's results: the
/// same numbers as its `total` rows of `summary.csv`.
pub fn service_waits(model: &Model, res: &Results) -> Vec<ServiceWait> {
    let total = |s: usize, m: Metric| res.summary(LevelRef::Service(s), m, PeriodRef::Total);
    model
        .services
        .iter()
        .enumerate()
        .map(|(s, svc)| ServiceWait {
            service: svc.id.clone(),
            segment: model.segments[svc.segment.0 as usize].clone(),
            wait_days_mean: total(s, Metric::WaitDaysMean),
            over_norm_share: total(s, Metric::OverNormShare),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::summary::summarise;

    fn wait(service: &str, wait: f64, share: f64) -> ServiceWait {
        let one = |x: f64| summarise(std::iter::once(x), &mut Vec::new());
        ServiceWait {
            service: service.into(),
            segment: "g".into(),
            wait_days_mean: one(wait),
            over_norm_share: one(share),
        }
    }

    #[test]
    fn the_worst_services_are_named_and_those_over_the_flag_flagged() {
        let services = [
            wait("a", 2.0, 0.01),
            wait("b", 208.0, 0.63),
            wait("c", 0.0, 0.0),
            wait("d", 30.0, f64::NAN), // no norm
            wait("e", 12.0, 0.45),
            wait("f", 5.0, 0.1),
        ];
        let b = breaches(&services, 0.2);
        let names = |v: &[ServiceWait]| v.iter().map(|s| s.service.clone()).collect::<Vec<_>>();
        assert_eq!(names(&b.over_norm), ["b", "e", "f"]);
        assert_eq!(names(&b.wait), ["b", "d", "e"]);
        assert_eq!(names(&b.flagged), ["b", "e"]);
        assert!(b.is_flagged("e") && !b.is_flagged("f"));
        // nobody waits: nothing to name
        let calm = breaches(&[wait("a", 0.0, 0.0)], 0.2);
        assert!(calm.over_norm.is_empty() && calm.wait.is_empty() && calm.flagged.is_empty());
    }
}
