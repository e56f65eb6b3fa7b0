//! One strategy as a comparison sees it, read from its run folder's files ([`INPUTS`]):
//! its KPIs per replication and their summaries, its cost per year, its time paths and its
//! services over their norm; and the statistics between strategies (the difference from
//! the first, the saving, dominance). Below the comparison's tables, page and charts,
//! which all read it.

use std::collections::BTreeMap;

use super::paths::{self, Paths};
use crate::stats::summary::{Summary, summarise};
use crate::sweep::breach::{Breaches, breaches, service_waits_from_summary};
use crate::sweep::{KPIS, Kpi, RunKpis, regret};

/// The files of a run folder that [`files`] reads (`paths.csv` may be missing: a folder of
/// an older version then has no time paths).
pub const INPUTS: [&str; 4] = [
    "manifest.json",
    "replications.csv",
    "summary.csv",
    "paths.csv",
];

/// One finished run in a comparison: its name (also its folder's name beside the
/// comparison's files), its values on the axes (none for a plain list of strategies), and
/// the files of its folder named in [`INPUTS`], by name, as the caller read them.
#[derive(Clone, Debug, Default)]
pub struct Compared {
    pub name: String,
    pub values: Vec<String>,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Why a strategy could not be read from its run's files.
#[derive(Debug, thiserror::Error)]
#[error("'{run}': {file}: {message}")]
pub struct StrategyError {
    pub run: String,
    pub file: String,
    pub message: String,
}

/// One strategy as the comparison sees it, read from its run's files.
#[derive(Clone, Debug)]
pub struct Strategy {
    /// The run's name: the short label of legends and tables.
    pub name: String,
    /// Its values on the sweep's axes (none for a plain list of strategies).
    pub values: Vec<String>,
    /// Seed of its run (from `manifest.json`).
    pub seed: Option<u64>,
    /// Per KPI (in [`KPIS`] order), per replication (`regret` filled in by the comparison).
    pub reps: Vec<Vec<f64>>,
    /// Per KPI: the summary over replications.
    pub kpis: Vec<Summary>,
    /// The region's P×Q cost per calendar year: (year, mean, ci_low, ci_high).
    pub cost: Vec<(i16, f64, f64, f64)>,
    /// Its time paths (`paths.csv`; empty when the folder has none).
    pub paths: Paths,
    /// Whether it is compared replication by replication with the first strategy (same
    /// seed and replications).
    pub paired: bool,
    /// Its services worst on waiting and those over their norm for more than the run's
    /// `[report] flag_over_norm_share` (from `summary.csv`): the region's figures can hide a
    /// service in trouble.
    pub breaches: Breaches,
}

impl Strategy {
    /// The summary of KPI `k`.
    pub fn kpi(&self, k: Kpi) -> Summary {
        self.kpis[k.index()]
    }

    /// The strategy as `compare` ranks it: KPI values by name.
    pub fn run_kpis(&self) -> RunKpis {
        RunKpis {
            name: self.name.clone(),
            seed: self.seed,
            values: KPIS
                .iter()
                .zip(&self.reps)
                .map(|(k, v)| (k.name().to_string(), v.clone()))
                .collect(),
        }
    }
}

/// The region's P×Q cost per year from `summary.csv`.
fn cost_per_year(summary: &[u8]) -> Result<Vec<(i16, f64, f64, f64)>, String> {
    let mut r = csv::Reader::from_reader(summary);
    let headers = r.headers().map_err(|e| e.to_string())?.clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(seg), Some(svc), Some(met), Some(per), Some(mean), Some(lo), Some(hi)) = (
        col("segment"),
        col("service"),
        col("metric"),
        col("period"),
        col("mean"),
        col("ci_low"),
        col("ci_high"),
    ) else {
        return Err("missing columns".into());
    };
    let num = |s: Option<&str>| s.unwrap_or("").parse::<f64>().unwrap_or(f64::NAN);
    let mut cost = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        if rec.get(seg) != Some("all") || rec.get(svc) != Some("all") {
            continue;
        }
        if rec.get(met) != Some("cost") {
            continue;
        }
        let Ok(year) = rec.get(per).unwrap_or("").parse::<i16>() else {
            continue;
        };
        cost.push((year, num(rec.get(mean)), num(rec.get(lo)), num(rec.get(hi))));
    }
    Ok(cost)
}

/// Per KPI, per replication, from `replications.csv` (`scenario,rep,metric,value`).
fn per_replication(replications: &[u8]) -> Result<Vec<Vec<f64>>, csv::Error> {
    let mut out: Vec<Vec<f64>> = vec![Vec::new(); KPIS.len()];
    for rec in csv::Reader::from_reader(replications).records() {
        let rec = rec?;
        if let Some(k) = Kpi::from_name(rec.get(2).unwrap_or("")) {
            out[k.index()].push(rec.get(3).unwrap_or("").parse().unwrap_or(f64::NAN));
        }
    }
    Ok(out)
}

/// Reads every run's strategy, pairs them with the first, fills in `regret` and
/// summarises every KPI.
pub fn strategies(runs: &[Compared]) -> Result<Vec<Strategy>, StrategyError> {
    fn file<'a>(r: &'a Compared, f: &str) -> &'a [u8] {
        r.files.get(f).map_or(&[][..], Vec::as_slice)
    }
    let mut out = Vec::with_capacity(runs.len());
    for r in runs {
        let fail = |file: &str, message: String| StrategyError {
            run: r.name.clone(),
            file: file.to_string(),
            message,
        };
        let reps = per_replication(file(r, "replications.csv"))
            .map_err(|e| fail("replications.csv", e.to_string()))?;
        let cost = cost_per_year(file(r, "summary.csv")).map_err(|e| fail("summary.csv", e))?;
        let paths = match r.files.get("paths.csv") {
            Some(b) => paths::read(b).map_err(|e| fail("paths.csv", e.to_string()))?,
            None => Paths::new(),
        };
        let manifest = serde_json::from_slice::<serde_json::Value>(file(r, "manifest.json")).ok();
        let seed = manifest.as_ref().and_then(|m| m["seed"].as_u64());
        let flag = manifest
            .as_ref()
            .and_then(|m| m["flag_over_norm_share"].as_f64())
            .unwrap_or(crate::scenario::DEFAULT_FLAG_OVER_NORM_SHARE);
        let waits = service_waits_from_summary(file(r, "summary.csv"))
            .map_err(|e| fail("summary.csv", e.to_string()))?;
        out.push(Strategy {
            name: r.name.clone(),
            values: r.values.clone(),
            seed,
            reps,
            kpis: Vec::new(),
            cost,
            paths,
            paired: false,
            breaches: breaches(&waits, flag),
        });
    }
    let n_of = |s: &Strategy| s.reps[Kpi::Metric(crate::stats::Metric::Cost).index()].len();
    let (seed0, n0) = out.first().map_or((None, 0), |s| (s.seed, n_of(s)));
    for s in out.iter_mut() {
        s.paired = s.seed == seed0 && n_of(s) == n0;
    }
    let cost_k = Kpi::Metric(crate::stats::Metric::Cost).index();
    let cost: Vec<Vec<f64>> = out.iter().map(|s| s.reps[cost_k].clone()).collect();
    let wait: Vec<Vec<f64>> = out
        .iter()
        .map(|s| s.reps[Kpi::RiskWait.index()].clone())
        .collect();
    let paired: Vec<bool> = out.iter().map(|s| s.paired).collect();
    for (s, r) in out.iter_mut().zip(regret(&cost, &wait, &paired)) {
        s.reps[Kpi::Regret.index()] = r;
    }
    let mut buf = Vec::new();
    for s in out.iter_mut() {
        s.kpis = KPIS
            .iter()
            .zip(&s.reps)
            .map(|(k, v)| {
                let mut sum = summarise(v.iter().copied(), &mut buf);
                if matches!(k, Kpi::RiskWait | Kpi::RiskBudget) {
                    (sum.ci_low, sum.ci_high) = wilson(sum.mean, sum.n);
                }
                sum
            })
            .collect();
    }
    Ok(out)
}

/// The Wilson score 95% interval of a share `p` observed in `n` replications (a risk is
/// a share of replications: unlike a t-interval it stays within 0 and 1).
pub fn wilson(p: f64, n: usize) -> (f64, f64) {
    if n == 0 || !p.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    let (z, n) = (1.959_963_984_540_054, n as f64);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Each strategy's KPI `k` minus the first strategy's: mean and 95% interval, paired per
/// replication when the strategy is paired with the first, else Welch's interval of the
/// difference of means; `(0, NaN, NaN)` for the first.
pub fn versus_first(strategies: &[Strategy], k: Kpi) -> Vec<(f64, f64, f64)> {
    let Some(base) = strategies.first() else {
        return Vec::new();
    };
    let b = &base.reps[k.index()];
    strategies
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let a = &s.reps[k.index()];
            if i == 0 {
                (0.0, f64::NAN, f64::NAN)
            } else if s.paired {
                let d = crate::sweep::paired(a, b, None);
                (d.mean, d.ci_low, d.ci_high)
            } else {
                let d = s.kpi(k).mean - base.kpi(k).mean;
                let clean = |v: &[f64]| {
                    v.iter()
                        .copied()
                        .filter(|x| !x.is_nan())
                        .collect::<Vec<_>>()
                };
                let (ca, cb) = (clean(a), clean(b));
                let hw = if ca.len() > 1 && cb.len() > 1 {
                    crate::sweep::unpaired_half_width(&ca, &cb)
                } else {
                    f64::NAN
                };
                (d, d - hw, d + hw)
            }
        })
        .collect()
}

/// Each strategy's saving against the first: the first's P×Q cost over the window minus
/// the strategy's (positive: cheaper), with its 95% interval.
pub fn savings(strategies: &[Strategy]) -> Vec<(f64, f64, f64)> {
    versus_first(strategies, Kpi::Metric(crate::stats::Metric::Cost))
        .into_iter()
        .map(|(m, lo, hi)| (-m, -hi, -lo))
        .collect()
}

/// Which points `(x, y)` are dominated when more `x` and less `y` are better: another
/// point is at least as good in both and better in one. Undefined points are neither
/// dominated nor dominating.
pub fn dominated(points: &[(f64, f64)]) -> Vec<bool> {
    let ok = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    points
        .iter()
        .map(|p| {
            ok(p)
                && points
                    .iter()
                    .any(|q| ok(q) && q.0 >= p.0 && q.1 <= p.1 && (q.0 > p.0 || q.1 < p.1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_stay_within_0_and_1() {
        let (lo, hi) = wilson(0.0, 20);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.1611).abs() < 1e-3, "{hi}");
        let (lo, hi) = wilson(1.0, 4);
        assert!(lo > 0.5 && hi == 1.0);
        assert!(wilson(0.5, 0).0.is_nan());
    }

    #[test]
    fn dominance_needs_better_in_one_and_no_worse_in_the_other() {
        let pts = [
            (0.0, 5.0),
            (1.0, 5.0),
            (2.0, 4.0),
            (3.0, 6.0),
            (f64::NAN, 0.0),
        ];
        assert_eq!(dominated(&pts), [true, true, false, false, false]);
        // equal points do not dominate each other
        assert_eq!(dominated(&[(1.0, 1.0), (1.0, 1.0)]), [false, false]);
    }

    fn compared(name: &str, seed: u64, cost: [f64; 3], wait: [f64; 3]) -> Compared {
        let mut reps = String::from("scenario,rep,metric,value\n");
        for r in 0..3 {
            reps.push_str(&format!("{name},{r},cost,{}\n", cost[r]));
            reps.push_str(&format!("{name},{r},risk_wait,{}\n", wait[r]));
        }
        let manifest = format!("{{\"seed\": {seed}, \"replications\": 3}}");
        Compared {
            name: name.into(),
            values: Vec::new(),
            files: [
                ("replications.csv".to_string(), reps.into_bytes()),
                ("manifest.json".to_string(), manifest.into_bytes()),
                (
                    "summary.csv".to_string(),
                    b"scenario,segment,service,metric,period,mean,ci_low,ci_high\n\
                      a,all,all,cost,2024,5,4,6\n"
                        .to_vec(),
                ),
            ]
            .into(),
        }
    }

    #[test]
    fn strategies_pair_fill_in_regret_and_read_the_cost_per_year() {
        let runs = [
            compared("base", 1, [10.0, 10.0, 10.0], [0.0, 0.0, 0.0]),
            compared("cheap", 1, [7.0, 8.0, 9.0], [1.0, 0.0, 1.0]),
            compared("other-seed", 2, [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),
        ];
        let s = strategies(&runs).unwrap();
        assert_eq!(
            s.iter().map(|s| s.paired).collect::<Vec<_>>(),
            [true, true, false]
        );
        // cheap meets the norm only in replication 1, where it is the cheapest
        assert_eq!(s[0].reps[Kpi::Regret.index()], [0.0, 2.0, 0.0]);
        assert_eq!(s[1].reps[Kpi::Regret.index()], [-3.0, 0.0, -1.0]);
        assert!(s[2].reps[Kpi::Regret.index()].is_empty());
        assert_eq!(s[0].cost, [(2024, 5.0, 4.0, 6.0)]);
        let sv = savings(&s);
        assert_eq!(sv[0].0, 0.0);
        assert_eq!(sv[1].0, 2.0);
        assert!(sv[1].1 < 2.0 && sv[1].2 > 2.0);
        assert_eq!(sv[2].0, 9.0, "unpaired: a difference of means");
        assert!(s[0].kpi(Kpi::RiskWait).mean == 0.0 && s[1].kpi(Kpi::RiskWait).mean > 0.6);
    }
}
