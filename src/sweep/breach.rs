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
//! ([`service_waits_from_summary`]); [`breaches`] ranks and flags them.

use crate::experiment::Results;
use crate::model::Model;
use crate::stats::summary::{Summary, summarise};
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

/// Every service's waiting as a run folder's `summary.csv` holds it (its `total` rows),
/// in the file's order. Cells that are empty or missing read as undefined.
pub fn service_waits_from_summary(summary_csv: &[u8]) -> Result<Vec<ServiceWait>, csv::Error> {
    let mut out: Vec<ServiceWait> = Vec::new();
    let mut rd = csv::Reader::from_reader(summary_csv);
    let headers = rd.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let [
        segment,
        service,
        metric,
        period,
        mean,
        lo,
        hi,
        p05,
        p50,
        p95,
        reps,
    ] = [
        "segment", "service", "metric", "period", "mean", "ci_low", "ci_high", "p05", "p50", "p95",
        "reps",
    ]
    .map(col);
    for rec in rd.records() {
        let rec = rec?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
        let m = get(metric);
        let (sv, sg) = (get(service), get(segment));
        if get(period) != "total" || sv == "all" || sg == "all" {
            continue;
        }
        let is_wait = m == Metric::WaitDaysMean.name();
        if !is_wait && m != Metric::OverNormShare.name() {
            continue;
        }
        let num = |c: Option<usize>| get(c).parse::<f64>().unwrap_or(f64::NAN);
        let summary = Summary {
            mean: num(mean),
            ci_low: num(lo),
            ci_high: num(hi),
            p05: num(p05),
            p50: num(p50),
            p90: f64::NAN,
            p95: num(p95),
            n: get(reps).parse().unwrap_or(0),
        };
        let i = match out.iter().position(|w| w.service == sv) {
            Some(i) => i,
            None => {
                out.push(ServiceWait {
                    service: sv.to_string(),
                    segment: sg.to_string(),
                    wait_days_mean: undefined(),
                    over_norm_share: undefined(),
                });
                out.len() - 1
            }
        };
        if is_wait {
            out[i].wait_days_mean = summary;
        } else {
            out[i].over_norm_share = summary;
        }
    }
    Ok(out)
}

fn undefined() -> Summary {
    summarise(std::iter::empty(), &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_summary_file_gives_the_services_total_rows() {
        let csv = "scenario,segment,service,metric,period,mean,ci_low,ci_high,p05,p50,p95,reps\n\
                   s,hsj,hsj-va,over_norm_share,2024,0.1,,,,,,3\n\
                   s,hsj,hsj-va,over_norm_share,total,0.4183,0.38,0.45,0.2,0.43,0.6,50\n\
                   s,hsj,hsj-va,wait_days_mean,total,12.5,11,14,9,12,16,50\n\
                   s,hsj,all,over_norm_share,total,0,0,0,0,0,0,50\n\
                   s,all,all,over_norm_share,total,0.0014,0,0,0,0,0,50\n\
                   s,x,buitenregio,over_norm_share,total,,,,,,,0\n";
        let w = service_waits_from_summary(csv.as_bytes()).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(
            (w[0].service.as_str(), w[0].segment.as_str()),
            ("hsj-va", "hsj")
        );
        assert_eq!(w[0].over_norm_share.mean, 0.4183);
        assert_eq!(w[0].wait_days_mean.mean, 12.5);
        assert_eq!(w[0].over_norm_share.n, 50);
        assert!(w[1].over_norm_share.mean.is_nan() && w[1].wait_days_mean.mean.is_nan());
    }
}
