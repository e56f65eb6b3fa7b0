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
use crate::sweep::{KPIS, Kpi, RunKpis, robust};

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

/// Where a compared run stands in a sweep with futures: the road it follows and the future
/// it ran in (both `None` for a plain list of strategies, which is one road each in one
/// future).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Place {
    pub road: Option<String>,
    pub future: Option<String>,
}

/// One strategy as the comparison sees it, read from its run's files.
#[derive(Clone, Debug)]
pub struct Strategy {
    /// The run's name: the short label of legends and tables.
    pub name: String,
    /// The road it follows (its name without the future; the name without futures).
    pub road: String,
    /// The future it ran in, in a sweep with futures.
    pub future: Option<String>,
    /// Its number and colour in every chart and table: the position of its road among
    /// the roads, from 0 (so a road keeps them in every future and in any order of rows).
    pub number: usize,
    /// Its values on the sweep's axes (none for a plain list of strategies).
    pub values: Vec<String>,
    /// Seed of its run (from `manifest.json`).
    pub seed: u64,
    /// Per KPI (in [`KPIS`] order), per replication (the measures against the other runs
    /// filled in by the comparison).
    pub reps: Vec<Vec<f64>>,
    /// Per KPI: the summary over replications.
    pub kpis: Vec<Summary>,
    /// The name of its baseline: the first run of its future (of the comparison without
    /// futures), doing nothing.
    pub baseline: String,
    /// Whether it is that baseline.
    pub is_baseline: bool,
    /// Per KPI: its difference from its baseline — mean and 95% interval, paired per
    /// replication when [`Strategy::paired`], else Welch's; `(0, NaN, NaN)` for the baseline.
    pub diff: Vec<(f64, f64, f64)>,
    /// The region's P×Q cost per calendar year: (year, mean, ci_low, ci_high).
    pub cost: Vec<(i16, f64, f64, f64)>,
    /// Its time paths (`paths.csv`; empty when the folder has none).
    pub paths: Paths,
    /// Whether it is compared replication by replication with its baseline (same seed and
    /// replications).
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

    /// Its saving against its baseline: the baseline's P×Q cost over the window minus its
    /// own (positive: cheaper), with its 95% interval.
    pub fn saving(&self) -> (f64, f64, f64) {
        let (m, lo, hi) = self.diff[Kpi::Cost.index()];
        (-m, -hi, -lo)
    }
}

/// Reads one run's strategy (its measures against the others not yet filled in).
fn read(r: &Compared, place: &Place) -> Result<Strategy, ReadError> {
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
    Ok(Strategy {
        name: r.name.clone(),
        road: place.road.clone().unwrap_or_else(|| r.name.clone()),
        future: place.future.clone(),
        number: 0,
        values: r.values.clone(),
        seed: manifest.seed,
        reps,
        kpis: Vec::new(),
        baseline: String::new(),
        is_baseline: false,
        diff: Vec::new(),
        cost: folder::region_per_year(&summary, Metric::Cost),
        paths,
        paired: false,
        breaches: breaches(&waits, manifest.flag_over_norm_share),
        manifest,
    })
}

/// Reads every run's strategy as one comparison without futures: each against the first.
pub fn strategies(runs: &[Compared]) -> Result<Vec<Strategy>, ReadError> {
    strategies_in(runs, &[])
}

/// Reads every run's strategy, each at its `places` (none: a plain list of strategies),
/// pairs each with its baseline — the first run of its future — fills in the measures
/// against the others (saving net of harm and the paired risks against the baseline,
/// `regret` among the roads of its future) and summarises every KPI and its difference from
/// the baseline. A file that is missing or does not read as jeugdflow writes it is an error
/// naming the file and the field.
pub fn strategies_in(runs: &[Compared], places: &[Place]) -> Result<Vec<Strategy>, ReadError> {
    let none = Place::default();
    let mut out = runs
        .iter()
        .enumerate()
        .map(|(i, r)| read(r, places.get(i).unwrap_or(&none)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut roads: Vec<String> = Vec::new();
    for s in out.iter_mut() {
        s.number = roads.iter().position(|r| *r == s.road).unwrap_or_else(|| {
            roads.push(s.road.clone());
            roads.len() - 1
        });
    }
    let n_of = |s: &Strategy| s.reps[Kpi::Cost.index()].len();
    let base_of: Vec<usize> = (0..out.len())
        .map(|i| {
            (0..=i)
                .find(|j| out[*j].future == out[i].future)
                .unwrap_or(i)
        })
        .collect();
    for i in 0..out.len() {
        let b = base_of[i];
        let (seed, n) = (out[b].seed, n_of(&out[b]));
        let s = &mut out[i];
        s.paired = s.seed == seed && n_of(s) == n;
        s.is_baseline = i == b;
    }
    let bases: Vec<usize> = (0..out.len()).filter(|i| base_of[*i] == *i).collect();
    for b in bases {
        let members: Vec<usize> = (0..out.len()).filter(|i| base_of[*i] == b).collect();
        against_baseline(&mut out, b, &members);
    }
    let names: Vec<String> = out.iter().map(|s| s.name.clone()).collect();
    let mut buf = Vec::new();
    for (i, s) in out.iter_mut().enumerate() {
        s.baseline = names[base_of[i]].clone();
        s.kpis = KPIS
            .iter()
            .zip(&s.reps)
            .map(|(k, v)| {
                let mut sum = summarise(v.iter().copied(), &mut buf);
                if k.is_risk_share() {
                    (sum.ci_low, sum.ci_high) = wilson(sum.mean, sum.n);
                }
                sum
            })
            .collect();
    }
    for i in 0..out.len() {
        let b = base_of[i];
        let diff = KPIS
            .iter()
            .map(|k| difference(&out[i], &out[b], *k, i == b))
            .collect();
        out[i].diff = diff;
    }
    Ok(out)
}

/// Fills in the measures against the others of the runs `members` of one future, whose
/// baseline is run `b`: per replication, each paired run's saving net of harm and paired
/// risks against the baseline, and `regret` among them. Runs not paired with the baseline
/// get no values for these (they cannot be compared replication by replication).
fn against_baseline(out: &mut [Strategy], b: usize, members: &[usize]) {
    let base = out[b].reps.clone();
    for &i in members {
        let s = &mut out[i];
        let (d, w, c) = if s.paired {
            (
                robust::decision(&s.reps, &base),
                robust::worse_wait(&s.reps, &base),
                robust::worse_cost(&s.reps, &base),
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        s.reps[Kpi::SavingHarmWeighted.index()] = d;
        s.reps[Kpi::RiskWorseWait.index()] = w;
        s.reps[Kpi::RiskWorseCost.index()] = c;
    }
    let decisions: Vec<Option<Vec<f64>>> = members
        .iter()
        .map(|i| {
            let s = &out[*i];
            s.paired
                .then(|| s.reps[Kpi::SavingHarmWeighted.index()].clone())
        })
        .collect();
    let refs: Vec<Option<&[f64]>> = decisions.iter().map(|d| d.as_deref()).collect();
    for (i, r) in members.iter().zip(robust::regret(&refs)) {
        out[*i].reps[Kpi::Regret.index()] = r;
    }
}

/// Strategy `s`'s KPI `k` minus its baseline `base`'s: mean and 95% interval, paired per
/// replication when `s` is paired with it, else Welch's interval of the difference of
/// means; `(0, NaN, NaN)` for the baseline itself.
fn difference(s: &Strategy, base: &Strategy, k: Kpi, is_base: bool) -> (f64, f64, f64) {
    let (a, b) = (&s.reps[k.index()], &base.reps[k.index()]);
    if is_base {
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

/// Each strategy's KPI `k` minus its baseline's (see [`Strategy::diff`]), in the order
/// given: the reference is each strategy's own baseline, whatever the order of the rows.
pub fn versus_first(strategies: &[Strategy], k: Kpi) -> Vec<(f64, f64, f64)> {
    strategies.iter().map(|s| s.diff[k.index()]).collect()
}

/// Each strategy's saving against its baseline (see [`Strategy::saving`]), in the order
/// given.
pub fn savings(strategies: &[Strategy]) -> Vec<(f64, f64, f64)> {
    strategies.iter().map(Strategy::saving).collect()
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
                    Kpi::OccupancyMean => 10.0,
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
        assert!(s[0].is_baseline && !s[1].is_baseline);
        assert!(s.iter().all(|x| x.baseline == "base"));
        assert_eq!(s.iter().map(|x| x.number).collect::<Vec<_>>(), [0, 1, 2]);
        // nobody waits longer: the saving net of harm is the saving, and cheap is the best
        let d = |i: usize| s[i].reps[Kpi::SavingHarmWeighted.index()].clone();
        assert_eq!((d(0), d(1)), (vec![0.0; 3], vec![3.0, 2.0, 1.0]));
        assert_eq!(s[0].reps[Kpi::Regret.index()], [3.0, 2.0, 1.0]);
        assert_eq!(s[1].reps[Kpi::Regret.index()], [0.0, 0.0, 0.0]);
        assert!(s[2].reps[Kpi::Regret.index()].is_empty());
        assert_eq!(s[1].reps[Kpi::RiskWorseCost.index()], [0.0, 0.0, 0.0]);
        assert_eq!(s[0].cost, [(2024, 5.0, 4.0, 6.0)]);
        let sv = savings(&s);
        assert_eq!(sv[0].0, 0.0);
        assert_eq!(sv[1].0, 2.0);
        assert!(sv[1].1 < 2.0 && sv[1].2 > 2.0);
        assert_eq!(sv[2].0, 9.0, "unpaired: a difference of means");
        assert!(s[0].kpi(Kpi::RiskWait).mean == 0.0 && s[1].kpi(Kpi::RiskWait).mean > 0.6);
        // the differences travel with each strategy: reordering rows keeps the reference
        let reordered = vec![s[2].clone(), s[1].clone(), s[0].clone()];
        assert_eq!(savings(&reordered)[1], sv[1]);
        assert_eq!(savings(&reordered)[2].0, 0.0);
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

    #[test]
    fn each_future_has_its_own_baseline_and_a_road_keeps_its_number() {
        let runs = [
            compared("base.a", 1, [10.0, 10.0, 10.0], [0.0; 3]),
            compared("road.a", 1, [9.0, 9.0, 9.0], [0.0; 3]),
            compared("base.b", 1, [20.0, 20.0, 20.0], [0.0; 3]),
            compared("road.b", 1, [21.0, 21.0, 21.0], [0.0; 3]),
        ];
        let place = |road: &str, future: &str| Place {
            road: Some(road.into()),
            future: Some(future.into()),
        };
        let places = [
            place("base", "a"),
            place("road", "a"),
            place("base", "b"),
            place("road", "b"),
        ];
        let s = strategies_in(&runs, &places).unwrap();
        let bases: Vec<&str> = s.iter().map(|x| x.baseline.as_str()).collect();
        assert_eq!(bases, ["base.a", "base.a", "base.b", "base.b"]);
        assert_eq!(s.iter().map(|x| x.number).collect::<Vec<_>>(), [0, 1, 0, 1]);
        // the road saves 1 in future a and costs 1 more in future b, against its own baseline
        assert_eq!(s[1].saving().0, 1.0);
        assert_eq!(s[3].saving().0, -1.0);
        // regret within each future: the road is best in a, doing nothing in b
        assert_eq!(s[0].kpi(Kpi::Regret).mean, 1.0);
        assert_eq!(s[1].kpi(Kpi::Regret).mean, 0.0);
        assert_eq!(s[2].kpi(Kpi::Regret).mean, 0.0);
        assert_eq!(s[3].kpi(Kpi::Regret).mean, 1.0);
    }
}
