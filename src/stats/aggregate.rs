//! Statistics across replications without keeping every replication: an [`Aggregate`] is
//! fed one replication's [`RepValues`] at a time, strictly in replication order, and
//! answers a [`Summary`] per (level, metric, period) — mean, Student-t 95% interval and
//! percentiles — and, for the cells declared [`Kept`], every replication's value.
//!
//! What is exact and what is estimated:
//! - **mean and interval**: always exact. The mean is the sum of the defined values in
//!   replication order divided by their number (the same floating-point operations as
//!   [`summarise`]); the variance is Welford's running update, in replication order.
//! - **percentiles**: exact (R type 7, as [`summarise`]) while there are at most
//!   [`EXACT_REPLICATIONS`] replications, which are then kept whole — fewer when a
//!   replication is so large (a long horizon reported by the week) that 100 of them would
//!   take more than [`EXACT_BYTES`]: then as many as fit. From the next one on
//!   every cell's values go into a DDSketch (the bins of `sketches-ddsketch`, kept
//!   sparsely by `sketch::Sketch`) with relative accuracy
//!   [`SKETCH_ALPHA`]: a percentile is then the value of rank ⌊q·(n−1)⌋ among the defined
//!   values to within ±1% of that value (values within 10⁻⁹ of zero count as zero), and
//!   the variance switches from the kept values' two-pass sum to Welford's update. A run
//!   within the exact phase is therefore identical to the byte to one that summarised all
//!   replications at the end.
//! - **kept cells**: exact per replication (the paired comparisons, budgets and funding
//!   models need them); which cells are kept is declared by the caller
//!   (`experiment::kept_cells`).
//!
//! Memory is flat in replications beyond the exact phase: per cell four numbers and a
//! sketch of 8 bytes per occupied bin (the values of a cell across replications fill a
//! few dozen bins), plus one number per kept cell and replication.

use sketches_ddsketch::Config;

use super::sketch::Sketch;

use super::summary::{Summary, summarise, t975};
use super::values::{LevelIndex, LevelRef, RepValues};
use crate::measure::Metric;
use crate::timeline::{PeriodRef, Periods};

/// Replications whose values are kept whole, so that percentiles are exact.
pub const EXACT_REPLICATIONS: usize = 100;

/// Bytes the replications kept whole may take at most: 128 MB holds 100 replications of
/// up to 167,000 cells (the default scenario, reported by the month, has 59,000; 30 years
/// of it reported by the week have a million, and keep 16).
pub const EXACT_BYTES: usize = 128 << 20;

/// Replications kept whole for exact percentiles, for replications of `cells` numbers.
pub fn exact_replications(cells: usize) -> usize {
    (EXACT_BYTES / (cells * size_of::<f64>()).max(1)).clamp(1, EXACT_REPLICATIONS)
}

/// Relative accuracy of the percentiles beyond the exact phase.
pub const SKETCH_ALPHA: f64 = 0.01;

/// Values closer to zero than this count as zero in a sketch.
const SKETCH_MIN_VALUE: f64 = 1e-9;

/// The crate's bin limit, part of its configuration (the sparse sketch never collapses
/// bins): 2,048 bins of ±1% span 18 orders of magnitude.
const SKETCH_MAX_BINS: u32 = 2048;

const NOT_KEPT: u32 = u32::MAX;

/// The running sums of one cell: defined values, their sum in replication order, and
/// Welford's mean and sum of squared deviations.
#[derive(Clone, Copy, Debug, Default)]
struct Moments {
    n: u32,
    sum: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    #[inline]
    fn add(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        self.sum += x;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
}

/// The cells of a run that are kept per replication, besides the summaries of all.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    cells: Vec<(LevelRef, Metric, PeriodRef)>,
}

impl Kept {
    /// Keeps the value of `metric` at `level` in `period`, per replication (a cell
    /// declared twice is kept once).
    pub fn cell(&mut self, level: LevelRef, metric: Metric, period: PeriodRef) {
        if !self.cells.contains(&(level, metric, period)) {
            self.cells.push((level, metric, period));
        }
    }

    /// The cells kept, in the order declared.
    pub fn cells(&self) -> &[(LevelRef, Metric, PeriodRef)] {
        &self.cells
    }
}

/// Statistics of every (level, metric, period) over the replications added so far.
#[derive(Clone)]
pub struct Aggregate {
    levels: LevelIndex,
    periods: Periods,
    /// Per (level position, metric): its row among the summarised cells, or none for a
    /// metric reported at the whole system only.
    row_of: Vec<u32>,
    /// The summarised (level position, metric) pairs; cell = row × periods + period.
    rows: Vec<(usize, Metric)>,
    reps: usize,
    /// Replications kept whole (see [`exact_replications`]).
    exact_limit: usize,
    moments: Vec<Moments>,
    /// Every replication's cells while within the exact phase.
    exact: Vec<Box<[f64]>>,
    /// Per cell, once beyond [`EXACT_REPLICATIONS`], with the bins of `config`.
    sketches: Vec<Sketch>,
    config: Config,
    /// Per position (level, metric, period): its index in `kept`, or [`NOT_KEPT`].
    kept_index: Vec<u32>,
    /// The position (level, metric, period) of each kept cell.
    kept_at: Vec<(usize, Metric, usize)>,
    /// Per kept cell, the value of every replication.
    kept: Vec<Vec<f64>>,
}

impl std::fmt::Debug for Aggregate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Aggregate")
            .field("replications", &self.reps)
            .field("cells", &self.moments.len())
            .field("kept", &self.kept.len())
            .field("sketched", &!self.sketches.is_empty())
            .finish()
    }
}

impl Aggregate {
    /// An empty aggregate of results numbered by `levels` and `periods`, keeping `kept`
    /// per replication.
    pub fn new(levels: LevelIndex, periods: Periods, kept: &Kept) -> Aggregate {
        let system = levels.index(LevelRef::All);
        let mut row_of = vec![NOT_KEPT; levels.count() * Metric::COUNT];
        let mut rows = Vec::new();
        for level in 0..levels.count() {
            for m in Metric::ALL {
                if m.system_only() && level != system {
                    continue;
                }
                row_of[level * Metric::COUNT + m as usize] = rows.len() as u32;
                rows.push((level, m));
            }
        }
        let mut kept_index = vec![NOT_KEPT; levels.count() * Metric::COUNT * periods.count()];
        let mut kept_at = Vec::new();
        for &(l, m, p) in kept.cells() {
            let (l, p) = (levels.index(l), periods.index(p));
            let i = (l * Metric::COUNT + m as usize) * periods.count() + p;
            if kept_index[i] == NOT_KEPT {
                kept_index[i] = kept_at.len() as u32;
                kept_at.push((l, m, p));
            }
        }
        let cells = rows.len() * periods.count();
        Aggregate {
            levels,
            periods,
            exact_limit: exact_replications(cells),
            moments: vec![Moments::default(); cells],
            row_of,
            rows,
            reps: 0,
            exact: Vec::new(),
            sketches: Vec::new(),
            config: Config::new(SKETCH_ALPHA, SKETCH_MAX_BINS, SKETCH_MIN_VALUE),
            kept_index,
            kept: vec![Vec::new(); kept_at.len()],
            kept_at,
        }
    }

    /// Number of replications added.
    pub fn replications(&self) -> usize {
        self.reps
    }

    /// How the levels are numbered.
    pub fn levels(&self) -> LevelIndex {
        self.levels
    }

    /// Adds the next replication (replications must come in order).
    pub fn add(&mut self, rep: &RepValues) {
        let np = self.periods.count();
        if self.reps == self.exact_limit {
            self.start_sketches();
        }
        let mut row = if self.sketches.is_empty() {
            Vec::with_capacity(self.moments.len())
        } else {
            Vec::new()
        };
        for (r, &(level, m)) in self.rows.iter().enumerate() {
            for p in 0..np {
                let x = rep.get(level, m, p);
                let c = r * np + p;
                self.moments[c].add(x);
                if self.sketches.is_empty() {
                    row.push(x);
                } else if x.is_finite() {
                    self.sketches[c].add(&self.config, x);
                }
            }
        }
        if self.sketches.is_empty() {
            self.exact.push(row.into_boxed_slice());
        }
        for (values, &(level, m, p)) in self.kept.iter_mut().zip(&self.kept_at) {
            values.push(rep.get(level, m, p));
        }
        self.reps += 1;
    }

    /// Moves the kept replications into one sketch per cell and frees them.
    fn start_sketches(&mut self) {
        let config = self.config;
        self.sketches = (0..self.moments.len())
            .map(|c| {
                let mut s = Sketch::default();
                for row in &self.exact {
                    if row[c].is_finite() {
                        s.add(&config, row[c]);
                    }
                }
                s
            })
            .collect();
        self.exact = Vec::new();
    }

    /// The cell of `metric` at `level` in `period` among the summarised ones.
    fn cell(&self, level: LevelRef, metric: Metric, period: PeriodRef) -> Option<usize> {
        let row = self.row_of[self.levels.index(level) * Metric::COUNT + metric as usize];
        (row != NOT_KEPT).then(|| row as usize * self.periods.count() + self.periods.index(period))
    }

    /// The summary over replications of `metric` at `level` in `period` (undefined, with
    /// `n = 0`, when no replication defined it).
    pub fn summary(&self, level: LevelRef, metric: Metric, period: PeriodRef) -> Summary {
        let Some(c) = self.cell(level, metric, period) else {
            return summarise(std::iter::empty(), &mut Vec::new());
        };
        if self.sketches.is_empty() {
            let mut buf = Vec::with_capacity(self.exact.len());
            return summarise(self.exact.iter().map(|row| row[c]), &mut buf);
        }
        let mo = self.moments[c];
        if mo.n == 0 {
            return summarise(std::iter::empty(), &mut Vec::new());
        }
        let n = mo.n as usize;
        let mean = mo.sum / n as f64;
        let (ci_low, ci_high) = if n > 1 {
            let half = t975(n - 1) * (mo.m2 / (n - 1) as f64 / n as f64).sqrt();
            (mean - half, mean + half)
        } else {
            (f64::NAN, f64::NAN)
        };
        let sketch = &self.sketches[c];
        let q = |q: f64| sketch.quantile(&self.config, q).unwrap_or(f64::NAN);
        Summary {
            mean,
            ci_low,
            ci_high,
            p05: q(0.05),
            p50: q(0.5),
            p90: q(0.9),
            p95: q(0.95),
            n,
        }
    }

    /// Every replication's value of a kept cell, in replication order; `None` when the
    /// cell was not declared kept.
    pub fn per_rep(&self, level: LevelRef, metric: Metric, period: PeriodRef) -> Option<&[f64]> {
        let i = (self.levels.index(level) * Metric::COUNT + metric as usize) * self.periods.count()
            + self.periods.index(period);
        match self.kept_index[i] {
            NOT_KEPT => None,
            k => Some(&self.kept[k as usize]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replications of one service in one segment, 2 intervals and 1 year, with `f(r)` as
    /// the cost of the service in interval 0 and NaN in one replication of 7.
    fn fed(n: usize, f: impl Fn(usize) -> f64) -> Aggregate {
        let (levels, periods) = (LevelIndex::new(1, 1), Periods::new(2, 1));
        let mut kept = Kept::default();
        kept.cell(LevelRef::Service(0), Metric::Cost, PeriodRef::Interval(0));
        let mut a = Aggregate::new(levels, periods, &kept);
        for r in 0..n {
            let mut v = RepValues::undefined(levels, periods);
            let x = if r % 7 == 3 { f64::NAN } else { f(r) };
            v.set(0, Metric::Cost, 0, x);
            v.set(2, Metric::Arrivals, 3, r as f64);
            a.add(&v);
        }
        a
    }

    #[test]
    fn up_to_the_exact_limit_the_summary_is_the_summary_of_all_values() {
        let f = |r: usize| ((r * 7919) % 101) as f64 * 1.5 - 20.0;
        let a = fed(EXACT_REPLICATIONS, f);
        let values: Vec<f64> = (0..EXACT_REPLICATIONS)
            .map(|r| if r % 7 == 3 { f64::NAN } else { f(r) })
            .collect();
        let want = summarise(values.iter().copied(), &mut Vec::new());
        let got = a.summary(LevelRef::Service(0), Metric::Cost, PeriodRef::Interval(0));
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        // kept cells give every replication, NaN included, in order
        let kept = a
            .per_rep(LevelRef::Service(0), Metric::Cost, PeriodRef::Interval(0))
            .unwrap();
        assert_eq!(kept.len(), EXACT_REPLICATIONS);
        assert!(
            kept.iter()
                .zip(&values)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        assert!(
            a.per_rep(LevelRef::All, Metric::Cost, PeriodRef::Total)
                .is_none()
        );
        // a metric reported for the system only is undefined elsewhere
        let s = a.summary(
            LevelRef::Service(0),
            Metric::MaxChangeLoad,
            PeriodRef::Total,
        );
        assert_eq!(s.n, 0);
    }

    #[test]
    fn beyond_the_limit_means_are_exact_and_percentiles_within_the_sketch_error() {
        let n = 5 * EXACT_REPLICATIONS + 17;
        let f = |r: usize| 1000.0 + ((r * 7919) % 1009) as f64 - 300.0;
        let a = fed(n, f);
        let mut values: Vec<f64> = (0..n).filter(|r| r % 7 != 3).map(f).collect();
        let want = summarise(values.iter().copied(), &mut Vec::new());
        let got = a.summary(LevelRef::Service(0), Metric::Cost, PeriodRef::Interval(0));
        assert_eq!(got.n, want.n);
        // the same sum in the same order: the same mean to the bit
        assert_eq!(got.mean.to_bits(), want.mean.to_bits());
        assert!((got.ci_high - want.ci_high).abs() < 1e-9 * want.mean);
        values.sort_by(f64::total_cmp);
        for (q, est) in [
            (0.05, got.p05),
            (0.5, got.p50),
            (0.9, got.p90),
            (0.95, got.p95),
        ] {
            let rank = (q * (values.len() - 1) as f64) as usize;
            let exact = values[rank];
            assert!(
                (est - exact).abs() <= SKETCH_ALPHA * exact.abs() + 1e-9,
                "q {q}: {est} vs {exact}"
            );
        }
        // a cell defined in every replication
        let all = a.summary(LevelRef::All, Metric::Arrivals, PeriodRef::Total);
        assert_eq!(all.n, n);
        assert_eq!(all.mean, (n - 1) as f64 / 2.0);
        assert_eq!(a.replications(), n);
        assert_eq!(
            a.per_rep(LevelRef::Service(0), Metric::Cost, PeriodRef::Interval(0))
                .unwrap()
                .len(),
            n
        );
    }

    #[test]
    fn the_default_is_exact_to_100_replications_and_30_years_by_the_week_to_a_few() {
        use crate::scenario::{Source, load};
        let cells = |text: &str| {
            let model = load(&Source {
                name: "t.toml".into(),
                text: text.into(),
            })
            .unwrap();
            let levels = crate::model::sim::levels_of(&model).index();
            Aggregate::new(levels, model.timeline.periods(), &Kept::default())
                .moments
                .len()
        };
        let default = cells(&Source::builtin().text);
        assert_eq!(exact_replications(default), EXACT_REPLICATIONS);
        let long = Source::builtin()
            .text
            .replace("interval = \"month\"", "interval = \"week\"")
            .replace("end = 2030-12-31", "end = 2053-12-31");
        let weekly = cells(&long);
        assert!(weekly > 1_000_000, "{weekly}");
        let kept = exact_replications(weekly);
        assert!((2..=20).contains(&kept), "{kept}");
        assert!(kept * weekly * 8 <= EXACT_BYTES);
        assert_eq!(exact_replications(usize::MAX / 16), 1);
    }

    #[test]
    fn a_cell_never_defined_is_undefined_and_negative_values_are_sketched() {
        let a = fed(2 * EXACT_REPLICATIONS, |r| -(r as f64) - 1.0);
        let none = a.summary(LevelRef::Segment(0), Metric::Cost, PeriodRef::Year(0));
        assert_eq!(none.n, 0);
        assert!(none.mean.is_nan() && none.p05.is_nan());
        let neg = a.summary(LevelRef::Service(0), Metric::Cost, PeriodRef::Interval(0));
        assert!(
            neg.p05 < neg.p50 && neg.p50 < neg.p95 && neg.p95 < 0.0,
            "{neg:?}"
        );
    }
}
