//! One strategy as a comparison sees it, read from its run folder's files ([`INPUTS`]):
//! its KPIs per replication and their summaries, its cost per year, its time paths and its
//! services over their norm; and the statistics between strategies (the difference from
//! the first, the saving, dominance). Below the comparison's tables, page and charts,
//! which all read it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::folder::{self, ReadError};
use super::manifest::Manifest;
use super::paths::{self, Paths};
use crate::measure::Metric;
use crate::stats::summary::{Summary, summarise};
use crate::sweep::breach::{Breaches, breaches};
use crate::sweep::{KPIS, Kpi, RunKpis, regret};

/// The files of a run folder that a comparison reads (`paths.csv` may be missing: a folder
/// of an older version then has no time paths).
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
    /// The folder the files are in (or will be written to), for messages.
    pub dir: PathBuf,
    pub values: Vec<String>,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// One strategy as the comparison sees it, read from its run's files.
#[derive(Clone, Debug)]
pub struct Strategy {
    /// The run's name: the short label of legends and tables.
    pub name: String,
    /// Its values on the sweep's axes (none for a plain list of strategies).
    pub values: Vec<String>,
    /// Seed of its run (from `manifest.json`).
    pub seed: u64,
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
    /// Its run's `manifest.json`.
    pub manifest: Manifest,
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
            seed: Some(self.seed),
            values: KPIS
                .iter()
                .zip(&self.reps)
                .map(|(k, v)| (k.name().to_string(), v.clone()))
                .collect(),
        }
    }
}

/// Reads every run's strategy, pairs them with the first, fills in `regret` and
/// summarises every KPI. A file that is missing or does not read as jeugdflow writes it
/// is an error naming the file and the field.
pub fn strategies(runs: &[Compared]) -> Result<Vec<Strategy>, ReadError> {
    let mut out = Vec::with_capacity(runs.len());
    for r in runs {
        let path = |f: &str| r.dir.join(f);
        let bytes = |f: &str| {
            r.files
                .get(f)
                .map(Vec::as_slice)
                .ok_or_else(|| ReadError::new(&path(f), String::new(), "missing"))
        };
        let manifest = folder::run_manifest(bytes("manifest.json")?, &path("manifest.json"))?;
        let summary = folder::summary(bytes("summary.csv")?, &path("summary.csv"))?;
        let reps = folder::replications(bytes("replications.csv")?, &path("replications.csv"))?;
        let paths = match r.files.get("paths.csv") {
            Some(b) => paths::read(b).map_err(|e| {
                ReadError::new(&path("paths.csv"), format!("line {}: ", e.line), e.message)
            })?,
            None => Paths::new(),
        };
        let waits = folder::service_waits(&summary);
        out.push(Strategy {
            name: r.name.clone(),
            values: r.values.clone(),
            seed: manifest.seed,
            reps,
            kpis: Vec::new(),
            cost: folder::region_per_year(&summary, Metric::Cost),
            paths,
            paired: false,
            breaches: breaches(&waits, manifest.flag_over_norm_share),
            manifest,
        });
    }
    let n_of = |s: &Strategy| s.reps[Kpi::Cost.index()].len();
    let (seed0, n0) = out.first().map_or((None, 0), |s| (Some(s.seed), n_of(s)));
    for s in out.iter_mut() {
        s.paired = Some(s.seed) == seed0 && n_of(s) == n0;
    }
    let cost_k = Kpi::Cost.index();
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
    versus_first(strategies, Kpi::Cost)
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
            for k in KPIS.iter().filter(|k| k.per_run()) {
                let v = match k {
                    Kpi::Cost => cost[r],
                    Kpi::RiskWait => wait[r],
                    _ => 0.0,
                };
                reps.push_str(&format!("{name},{r},{},{v}\n", k.name()));
            }
        }
        let manifest = Manifest::example(seed, 3).to_json().unwrap();
        Compared {
            name: name.into(),
            dir: PathBuf::from(name),
            values: Vec::new(),
            files: [
                ("replications.csv".to_string(), reps.into_bytes()),
                ("manifest.json".to_string(), manifest),
                (
                    "summary.csv".to_string(),
                    b"scenario,segment,service,metric,period,mean,ci_low,ci_high,p05,p50,p95,reps\n\
                      a,all,all,cost,2024,5,4,6,,,,3\n"
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
        // a broken file is named with its field, never read as a default
        let mut broken = runs[1].clone();
        let m = String::from_utf8(broken.files["manifest.json"].clone()).unwrap();
        let m = m.replace("\"seed\": 1,", "");
        broken.files.insert("manifest.json".into(), m.into_bytes());
        let e = strategies(&[runs[0].clone(), broken])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "'{}': field 'seed': missing",
                PathBuf::from("cheap/manifest.json").display()
            )
        );
    }
}
