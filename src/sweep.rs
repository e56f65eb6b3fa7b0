//! Sweeps: many scenarios from one file — a list of scenario files and/or axes of
//! parameter overrides — run with common random numbers and compared with a baseline.
//!
//! Every point of a sweep uses the same seed, so replication `r` of every point draws the
//! same youths with the same needs: differences between points are paired and their
//! confidence intervals are tight. The first point is the baseline.
//!
//! Also here: what a sweep point's manifest records ([`Member`]), the points' labels, and
//! the comparison of runs read back from their folders ([`versus_baseline`]), which the
//! `compare` command prints and `report::comparison` writes.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::Model;
use crate::scenario::chain::{Override, OverrideFile, WrittenAt, load_chain};
use crate::scenario::{self, Diagnostic, ScenarioError, Source};
use crate::stats::summary::{Summary, summarise, t975};

mod kpi;
pub use kpi::{Format, Group, KPIS, Kpi, kpi_values, risk_budget, risk_wait};
pub mod robust;

/// Whether a lower value of KPI `k` is better; `None` for a volume that is not a goal.
pub fn lower_is_better(k: Kpi) -> Option<bool> {
    k.lower_is_better()
}

pub mod breach;
mod read;
pub use read::{MAX_POINTS, read, read_future};

/// One axis of a sweep: a parameter path and the values it takes (a grid axis), or a
/// range sampled by Latin hypercube.
#[derive(Clone, Debug)]
pub struct Axis {
    pub path: String,
    /// Values as TOML source text (empty for a sampled axis).
    pub values: Vec<String>,
    /// `(low, high, whole numbers)` of a sampled axis.
    pub range: Option<(f64, f64, bool)>,
    /// Where the axis was written in the sweep file: byte offsets of its path, and of
    /// each value (with its text as written) or of its range.
    pub at: AxisAt,
}

/// Byte offsets of an axis's parts in the sweep file, so that a problem with one of its
/// values points at the line where the user wrote it.
#[derive(Clone, Debug, Default)]
pub struct AxisAt {
    pub path: usize,
    /// Offset and text as written of each of `values`.
    pub values: Vec<(usize, String)>,
    /// Offset of `range`.
    pub range: usize,
}

/// A future of a sweep: a partial scenario file merged on top of every scenario (like
/// `extends`, its tables key by key), so that every road also runs in that future.
#[derive(Clone, Debug)]
pub struct Future {
    /// Its file's name without the extension: the future's name in folders and tables.
    pub name: String,
    pub source: Source,
    /// Byte offset in the sweep file of where it was listed.
    pub at: usize,
}

/// A validated sweep specification.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub name: String,
    pub file: String,
    /// The sweep file's name and text, where problems with its values are located.
    pub source: OverrideFile,
    pub scenarios: Vec<Source>,
    /// Byte offset in the sweep file of where each of `scenarios` was listed.
    pub scenarios_at: Vec<usize>,
    /// The futures every scenario runs in (none: each scenario once, as written).
    pub futures: Vec<Future>,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    pub axes: Vec<Axis>,
    /// Latin-hypercube samples (1 when no axis is sampled).
    pub samples: u32,
    /// Whether each point's lean folder keeps the monthly time series (`timeseries.csv.gz`);
    /// `--keep all` writes it whatever this says.
    pub timeseries: bool,
}

/// One scenario of a sweep: a scenario file in a future, and the axis values applied to it.
#[derive(Clone, Debug)]
pub struct Point {
    /// Folder and scenario name: `<scenario>` or `<scenario>-<k>`, with `.<future>` after
    /// it in a sweep with futures.
    pub name: String,
    /// The road: the name without the future (the name itself without futures).
    pub road: String,
    /// Which of the sweep's `futures` it runs in.
    pub future: Option<usize>,
    /// Which of the sweep's `scenarios` it is built on.
    pub scenario: usize,
    pub source: Source,
    pub overrides: Vec<Override>,
}

/// What a sweep point's `manifest.json` records about its sweep (its `sweep` entry), so that
/// the folders of a sweep's shards can be merged.
#[derive(Debug, Clone, serde::Serialize, Deserialize, PartialEq)]
pub struct Member {
    /// The sweep's name.
    pub sweep: String,
    /// A hash of everything that defines the sweep: only shards with the same id merge.
    pub sweep_id: String,
    /// The point's number in the sweep, from 0.
    pub index: usize,
    /// How many points the sweep has.
    pub points: usize,
    /// The axes' parameter paths.
    pub axes: Vec<String>,
    /// This point's value on each axis (TOML source text).
    pub values: Vec<String>,
    /// In a sweep with futures: the road (the point's name without its future).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub road: Option<String>,
    /// In a sweep with futures: the future it ran in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub future: Option<String>,
}

impl Sweep {
    /// The `[scenario] name` of each scenario file, each validated; refused when two are
    /// the same (the same file listed twice, a child of a base that keeps its name, …):
    /// a point's folder and its rows are named after it, so the second would overwrite
    /// the first and every difference would read zero. The problem is at the line of the
    /// sweep file that lists the second.
    pub fn scenario_names(&self) -> Result<Vec<String>, ScenarioError> {
        let names: Vec<String> = self
            .scenarios
            .iter()
            .map(|s| scenario::load(s).map(|m| m.name))
            .collect::<Result<_, _>>()?;
        if let Some((first, second)) = first_repeat(&names) {
            let at = self.scenarios_at.get(second).copied().unwrap_or_default();
            return Err(ScenarioError::Invalid(vec![Diagnostic::at(
                &self.source.name,
                &self.source.text,
                at,
                "sweep.scenarios",
                format!(
                    "two scenarios are named '{}' ({} and {}): a scenario's folder and its rows \
                     in sweep.csv are named after its `[scenario] name`, so the names must \
                     differ; give one of them another `name`",
                    names[second], self.scenarios[first].name, self.scenarios[second].name
                ),
            )]));
        }
        Ok(names)
    }

    /// Latin-hypercube values of the sampled axes: per sample, one value per sampled axis
    /// (each axis's range cut into `samples` strata, each stratum used once, the strata
    /// shuffled independently per axis; deterministic from the sweep's seed).
    fn lhs(&self) -> Vec<Vec<Override>> {
        use rand::RngExt;
        let n = self.samples as usize;
        let mut rng = crate::engine::Streams::new(self.seed.unwrap_or(0), 0).stream(99, 0);
        let mut out: Vec<Vec<Override>> = vec![Vec::new(); n];
        for axis in self.axes.iter() {
            let Some((lo, hi, whole)) = axis.range else {
                continue;
            };
            let mut strata: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                let j = rng.random_range(0..=i);
                strata.swap(i, j);
            }
            for (k, stratum) in strata.into_iter().enumerate() {
                let u: f64 = rng.random();
                let x = lo + (hi - lo) * (stratum as f64 + u) / n as f64;
                let value = if whole {
                    format!("{}", x.round() as i64)
                } else {
                    format!("{x}")
                };
                out[k].push(Override {
                    path: axis.path.clone(),
                    at: Some(WrittenAt {
                        path: axis.at.path,
                        value: axis.at.range,
                        text: value.clone(),
                    }),
                    value,
                });
            }
        }
        out
    }

    /// Every point: each future (slowest; none without futures) crossed with each scenario
    /// and the grid of axis values (first axis slowest) and, when axes are sampled, with
    /// each Latin-hypercube sample. The first point of each future is its baseline.
    pub fn points(&self, scenario_names: &[String]) -> Vec<Point> {
        let mut grid: Vec<Vec<Override>> = vec![Vec::new()];
        for axis in self.axes.iter().filter(|a| a.range.is_none()) {
            grid = grid
                .into_iter()
                .flat_map(|g| {
                    axis.values.iter().zip(&axis.at.values).map(move |(v, w)| {
                        let mut g = g.clone();
                        g.push(Override {
                            path: axis.path.clone(),
                            value: v.clone(),
                            at: Some(WrittenAt {
                                path: axis.at.path,
                                value: w.0,
                                text: w.1.clone(),
                            }),
                        });
                        g
                    })
                })
                .collect();
        }
        if self.axes.iter().any(|a| a.range.is_some()) {
            let samples = self.lhs();
            grid = grid
                .into_iter()
                .flat_map(|g| {
                    samples.iter().map(move |s| {
                        let mut g = g.clone();
                        g.extend(s.iter().cloned());
                        g
                    })
                })
                .collect();
        }
        // overrides in the order of the axes, so every point lists them alike
        for g in grid.iter_mut() {
            g.sort_by_key(|o| self.axes.iter().position(|a| a.path == o.path));
        }
        let futures: Vec<Option<usize>> = if self.futures.is_empty() {
            vec![None]
        } else {
            (0..self.futures.len()).map(Some).collect()
        };
        let mut out = Vec::new();
        for future in futures {
            for (scenario, (src, name)) in self.scenarios.iter().zip(scenario_names).enumerate() {
                for (k, g) in grid.iter().enumerate() {
                    let road = if grid.len() == 1 {
                        name.clone()
                    } else {
                        format!("{name}-{:0w$}", k + 1, w = grid.len().to_string().len())
                    };
                    let name = match future {
                        Some(f) => format!("{road}.{}", self.futures[f].name),
                        None => road.clone(),
                    };
                    out.push(Point {
                        name,
                        road,
                        future,
                        scenario,
                        source: src.clone(),
                        overrides: g.clone(),
                    });
                }
            }
        }
        out
    }

    /// Validates point `p` of this sweep: its scenario in its future with its overrides,
    /// problems with an override pointing at the line of the sweep file where it was
    /// written.
    pub fn load(&self, p: &Point) -> Result<Model, ScenarioError> {
        let future = p.future.map(|f| &self.futures[f].source);
        scenario::load_point(&p.source, future, &p.overrides, Some(&self.source))
    }

    /// The name of point `p`'s future, when the sweep has futures.
    pub fn future_name(&self, p: &Point) -> Option<&str> {
        p.future.map(|f| self.futures[f].name.as_str())
    }
}

/// The first item equal to an earlier one: `(earlier, later)` indices.
pub fn first_repeat<T: PartialEq>(items: &[T]) -> Option<(usize, usize)> {
    items
        .iter()
        .enumerate()
        .find_map(|(i, x)| items[..i].iter().position(|y| y == x).map(|j| (j, i)))
}

/// The text that determines what scenario `source` is: its own text and, when it
/// `extends` other files, theirs after it (nearest first), so that a change in a base
/// changes the fingerprint of every scenario built on it. A scenario that extends
/// nothing gives its own text unchanged (fingerprints of such sweeps are as before).
pub fn chain_text(source: &Source) -> Result<String, ScenarioError> {
    let chain = load_chain(source)?;
    let mut text = String::new();
    for (k, f) in chain.files().enumerate() {
        if k > 0 {
            // the length makes the joined text unambiguous
            text.push_str(&format!("\n\0extends {}\n", f.text.len()));
        }
        text.push_str(&f.text);
    }
    Ok(text)
}

/// Each point's label in reports: its name and, for points of axes, the values that define
/// it (`small-2 (residential.capacity = 24)`, the last two parts of each path).
pub fn point_labels(names: &[String], axes: &[String], values: &[Vec<String>]) -> Vec<String> {
    names
        .iter()
        .zip(values)
        .map(|(name, vals)| {
            if vals.is_empty() {
                return name.clone();
            }
            let parts: Vec<String> = axes
                .iter()
                .zip(vals)
                .map(|(a, v)| {
                    let mut last: Vec<&str> = a.rsplit('.').take(2).collect();
                    last.reverse();
                    format!("{} = {v}", last.join("."))
                })
                .collect();
            format!("{name} ({})", parts.join(", "))
        })
        .collect()
}

/// A paired comparison of one KPI: the mean difference (scenario − baseline) over
/// replications, its Student-t 95% interval, and the share of replications in which the
/// scenario did better.
#[derive(Clone, Copy, Debug)]
pub struct Difference {
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p_better: f64,
}

/// Compares per-replication values of a scenario with the baseline's, paired by
/// replication (both must come from the same seed). `lower_better` is `None` when
/// neither direction is better (then `p_better` is undefined).
pub fn paired(scenario: &[f64], baseline: &[f64], lower_better: Option<bool>) -> Difference {
    let d: Vec<f64> = scenario
        .iter()
        .zip(baseline)
        .map(|(a, b)| a - b)
        .filter(|x| !x.is_nan())
        .collect();
    let s: Summary = summarise(d.iter().copied(), &mut Vec::new());
    let p_better = match lower_better {
        Some(lower) if !d.is_empty() => {
            let better = d
                .iter()
                .filter(|x| if lower { **x < 0.0 } else { **x > 0.0 })
                .count();
            better as f64 / d.len() as f64
        }
        _ => f64::NAN,
    };
    Difference {
        mean: s.mean,
        ci_low: s.ci_low,
        ci_high: s.ci_high,
        p_better,
    }
}

/// Half-width of the 95% interval of the difference of two independent means (Welch).
pub fn unpaired_half_width(a: &[f64], b: &[f64]) -> f64 {
    let var = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
    };
    let (va, vb) = (var(a) / a.len() as f64, var(b) / b.len() as f64);
    let df = (va + vb).powi(2) / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    t975(df.floor().max(1.0) as usize) * (va + vb).sqrt()
}

/// One run's KPI values per replication (by metric name), as read back from its folder's
/// `replications.csv`, with its name and seed (from `manifest.json`).
#[derive(Clone, Debug)]
pub struct RunKpis {
    pub name: String,
    pub seed: Option<u64>,
    pub values: BTreeMap<String, Vec<f64>>,
}

impl RunKpis {
    /// The values of KPI `m` by replication (none when the folder lacks it).
    pub fn of(&self, m: Kpi) -> Vec<f64> {
        self.values.get(m.name()).cloned().unwrap_or_default()
    }

    /// The mean of KPI `m` over replications.
    pub fn mean(&self, m: Kpi) -> f64 {
        summarise(self.of(m).into_iter(), &mut Vec::new()).mean
    }
}

/// One KPI of one run against the baseline (the first run).
#[derive(Clone, Copy, Debug)]
pub struct Versus {
    /// Index of the run.
    pub run: usize,
    pub metric: Kpi,
    /// The run's mean.
    pub mean: f64,
    /// Run − baseline, with its 95% interval (0 and undefined bounds for the baseline).
    pub diff: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Share of replications in which the run did better (paired comparisons only).
    pub p_better: f64,
    /// `None` for the baseline; else whether the runs were compared replication by
    /// replication (same seed and replications) or as independent samples (Welch).
    pub paired: Option<bool>,
}

/// The runs' indices ranked by mean wait (`wait_days_mean`), lowest first.
pub fn rank_by_wait(runs: &[RunKpis]) -> Vec<usize> {
    let wait = |i: usize| runs[i].mean(Kpi::WaitDaysMean);
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|a, b| wait(*a).total_cmp(&wait(*b)));
    order
}

/// Every KPI of every run in `order` against the first run: per KPI, then per run. Runs
/// that share the baseline's seed and number of replications are paired by replication;
/// others get Welch's interval of the difference of means.
pub fn versus_baseline(runs: &[RunKpis], order: &[usize]) -> Vec<Versus> {
    let Some(base) = runs.first() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(KPIS.len() * order.len());
    for m in KPIS {
        let b = base.of(m);
        for &i in order {
            let r = &runs[i];
            let a = r.of(m);
            let mean = r.mean(m);
            let is_paired = r.seed == base.seed && a.len() == b.len();
            let (diff, ci_low, ci_high, p_better) = if i == 0 {
                (0.0, f64::NAN, f64::NAN, f64::NAN)
            } else if is_paired {
                let d = paired(&a, &b, lower_is_better(m));
                (d.mean, d.ci_low, d.ci_high, d.p_better)
            } else {
                let d = mean - base.mean(m);
                let hw = if a.len() > 1 && b.len() > 1 {
                    unpaired_half_width(&a, &b)
                } else {
                    f64::NAN
                };
                (d, d - hw, d + hw, f64::NAN)
            };
            out.push(Versus {
                run: i,
                metric: m,
                mean,
                diff,
                ci_low,
                ci_high,
                p_better,
                paired: (i != 0).then_some(is_paired),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Metric;

    #[test]
    fn labels_name_the_last_two_parts_of_each_axis() {
        let names = vec!["a".to_string(), "a-2".to_string()];
        let axes = vec!["service.residential.capacity".to_string(), "x".to_string()];
        let values = vec![vec![], vec!["24".to_string(), "1.5".to_string()]];
        assert_eq!(
            point_labels(&names, &axes, &values),
            ["a", "a-2 (residential.capacity = 24, x = 1.5)"]
        );
    }

    #[test]
    fn the_first_repeat_names_both_places() {
        assert_eq!(first_repeat(&["a", "b", "c"]), None);
        assert_eq!(first_repeat(&["a", "b", "c", "b", "a"]), Some((1, 3)));
        assert_eq!(first_repeat::<u8>(&[]), None);
    }

    #[test]
    fn a_chain_text_holds_every_extended_file_and_only_then_differs() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("base.toml"), "[scenario]\nname = \"b\"\n").unwrap();
        let kid = Source {
            name: dir.join("kid.toml").display().to_string(),
            text: "[scenario]\nextends = \"base.toml\"\n".into(),
        };
        let text = chain_text(&kid).unwrap();
        assert!(text.starts_with(&kid.text) && text.ends_with("name = \"b\"\n"));
        std::fs::write(dir.join("base.toml"), "[scenario]\nname = \"c\"\n").unwrap();
        assert_ne!(chain_text(&kid).unwrap(), text, "a changed base changes it");
        // a scenario that extends nothing is its own text (fingerprints as before)
        let alone = Source {
            name: dir.join("alone.toml").display().to_string(),
            text: "[scenario]\nname = \"a\"\n".into(),
        };
        assert_eq!(chain_text(&alone).unwrap(), alone.text);
    }

    fn run(name: &str, seed: u64, wait: &[f64]) -> RunKpis {
        let mut values = BTreeMap::new();
        values.insert(Metric::WaitDaysMean.name().to_string(), wait.to_vec());
        RunKpis {
            name: name.into(),
            seed: Some(seed),
            values,
        }
    }

    #[test]
    fn runs_are_ranked_by_wait_and_paired_only_with_the_same_seed() {
        let runs = [
            run("base", 1, &[10.0, 20.0, 30.0]),
            run("same-seed", 1, &[9.0, 18.0, 27.0]),
            run("other-seed", 2, &[40.0, 50.0, 60.0]),
        ];
        let order = rank_by_wait(&runs);
        assert_eq!(order, [1, 0, 2]);
        let v = versus_baseline(&runs, &order);
        assert_eq!(v.len(), KPIS.len() * 3);
        let wait: Vec<&Versus> = v.iter().filter(|x| x.metric == Kpi::WaitDaysMean).collect();
        assert_eq!(wait.iter().map(|x| x.run).collect::<Vec<_>>(), order);
        let [same, base, other] = [wait[0], wait[1], wait[2]];
        assert_eq!(base.paired, None);
        assert_eq!((base.diff, base.mean), (0.0, 20.0));
        assert!(base.ci_low.is_nan() && base.p_better.is_nan());
        assert_eq!(same.paired, Some(true));
        assert!((same.diff + 2.0).abs() < 1e-12);
        assert_eq!(same.p_better, 1.0, "better in every replication");
        assert_eq!(other.paired, Some(false));
        assert!((other.diff - 30.0).abs() < 1e-12);
        assert!(other.ci_low < 30.0 && other.ci_high > 30.0 && other.p_better.is_nan());
    }
}
