//! Experiments: many replications of a model, in parallel, with identical results
//! whatever the number of threads, in memory that does not grow with the replications'
//! time series.
//!
//! Replication `r` always uses the random streams of (seed, r). Replications run on a
//! rayon pool in chunks of a fixed number per thread; each chunk's outcomes are folded
//! into the [`Results`] strictly in replication order, so the thread count changes the
//! wall time and nothing else. The fold of one chunk runs while the pool simulates the
//! next, so at most two chunks of full replications are in memory at once. What is kept across replications is decided by [`crate::stats::aggregate`]: summaries
//! of every cell (exact up to 100 replications), and per replication only the cells
//! [`kept_cells`] declares.

use rayon::prelude::*;

use crate::model::FundingModel;
use crate::model::Model;
use crate::model::sim::{Balance, RepOutcome, SimError, levels_of, simulate_with};
use crate::stats::aggregate::{Aggregate, Kept};
use crate::stats::summary::Summary;
use crate::stats::{LevelIndex, LevelRef, Metric, RepValues};
use crate::timeline::PeriodRef;

pub use crate::scenario::limits::{MAX_REPLICATIONS, MAX_THREADS};

/// Replications per worker thread run before their outcomes are folded in.
const CHUNK_PER_THREAD: usize = 8;

/// Bytes of one chunk's outcomes at most (two chunks are in memory: one folded while the
/// next is simulated): a replication of a long horizon reported by the week is 8 MB, and
/// 16 of them in flight would double a run's memory for no speed.
const CHUNK_BYTES: usize = 64 << 20;

/// How to run an experiment.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub replications: u32,
    pub seed: u64,
    /// Worker threads; `None` lets rayon choose (one per core).
    pub threads: Option<usize>,
}

/// What the replications of an experiment produced, folded in replication order.
#[derive(Clone, Debug)]
pub struct Results {
    stats: Aggregate,
    /// Per replication, the tally of youths.
    pub balances: Vec<Balance>,
    /// Per replication, per service: when each planned capacity step happened (NaN: not
    /// within the horizon).
    pub step_times: Vec<Vec<Vec<f64>>>,
    /// Events processed, summed over replications.
    pub events: u64,
}

impl Results {
    /// No replications yet, for `model`.
    pub fn new(model: &Model) -> Results {
        Results::keeping(model, &Kept::default())
    }

    /// No replications yet, for `model`, keeping the cells `extra` declares per
    /// replication besides those of [`kept_cells`] (what one command alone reads, such as
    /// the decomposition of `savings`).
    pub fn keeping(model: &Model, extra: &Kept) -> Results {
        let levels = LevelIndex::new(model.services.len(), model.segments.len());
        let mut kept = kept_cells(model);
        for &(l, m, p) in extra.cells() {
            kept.cell(l, m, p);
        }
        Results {
            stats: Aggregate::new(levels, model.timeline.periods(), &kept),
            balances: Vec::new(),
            step_times: Vec::new(),
            events: 0,
        }
    }

    /// Folds in the next replication (replications must come in order).
    pub fn add(&mut self, o: RepOutcome) {
        self.stats.add(&o.values);
        self.balances.push(o.balance);
        self.step_times.push(o.step_times);
        self.events += o.events;
    }

    /// Number of replications.
    pub fn replications(&self) -> usize {
        self.stats.replications()
    }

    /// How the levels are numbered.
    pub fn levels(&self) -> LevelIndex {
        self.stats.levels()
    }

    /// `metric` at `level` in `period` over the replications: mean, 95% interval and
    /// percentiles (see [`crate::stats::aggregate`] for what is exact).
    pub fn summary(&self, level: LevelRef, metric: Metric, period: PeriodRef) -> Summary {
        self.stats.summary(level, metric, period)
    }

    /// Every replication's value of `metric` at `level` in `period`, in replication
    /// order (NaN where undefined).
    ///
    /// # Panics
    ///
    /// When the cell is not among those [`kept_cells`] declares: a program error, caught
    /// by any test of the caller.
    pub fn per_rep(&self, level: LevelRef, metric: Metric, period: PeriodRef) -> &[f64] {
        self.stats
            .per_rep(level, metric, period)
            .unwrap_or_else(|| {
                panic!(
                    "{level:?} {} {period:?} is not kept per replication: declare it in experiment::kept_cells",
                    metric.name()
                )
            })
    }
}

/// The cells every run keeps per replication, exactly, besides the summaries of all: the
/// one place to declare a per-replication series.
///
/// - the region's whole window, every metric: the sweep KPIs of `replications.csv`,
///   sweeps and `compare`;
/// - the cost of the region and of each segment per year, under P×Q, for every place, its
///   stranded cost and in trajectory prices: budgets, `costs.csv` and the funding models,
///   savings (paired);
/// - the KPI of each outcome-funded segment per year (its bonus);
/// - each service's over-norm share per year and over the window, and its admissions over
///   the window: the budget's capacity search and the over-norm key number;
/// - the region's over-norm share per year (risk measures).
pub fn kept_cells(model: &Model) -> Kept {
    let mut k = Kept::default();
    let years = (0..model.timeline.years.len()).map(PeriodRef::Year);
    for m in Metric::ALL {
        k.cell(LevelRef::All, m, PeriodRef::Total);
    }
    let regions =
        std::iter::once(LevelRef::All).chain((0..model.segments.len()).map(LevelRef::Segment));
    for level in regions {
        for y in years.clone() {
            for m in [
                Metric::Cost,
                Metric::CostCapacity,
                Metric::CostStranded,
                Metric::CostTrajectory,
            ] {
                k.cell(level, m, y);
            }
        }
    }
    for (segment, fm) in &model.finance.funding {
        if let FundingModel::Outcome(o) = fm {
            for y in years.clone() {
                k.cell(LevelRef::Segment(segment.0 as usize), o.kpi, y);
            }
        }
    }
    for s in 0..model.services.len() {
        let level = LevelRef::Service(s);
        for y in years.clone().chain([PeriodRef::Total]) {
            k.cell(level, Metric::OverNormShare, y);
        }
        k.cell(level, Metric::Admissions, PeriodRef::Total);
    }
    for y in years {
        k.cell(LevelRef::All, Metric::OverNormShare, y);
    }
    k
}

/// Why an experiment could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
    /// A replication could not finish (the first in replication order).
    #[error("replication {rep} stopped")]
    Simulation {
        rep: u64,
        #[source]
        source: SimError,
    },
}

/// Runs the replications of `plan` on `model`. `on_progress` is called with the number
/// of replications finished so far (from worker threads, in any order).
pub fn run(
    model: &Model,
    plan: Plan,
    on_progress: &(dyn Fn(u64) + Sync),
) -> Result<Results, ExperimentError> {
    run_keeping(model, plan, &Kept::default(), on_progress)
}

/// Runs like [`run`], keeping the cells `extra` declares per replication besides those
/// of [`kept_cells`] (see [`Results::keeping`]).
pub fn run_keeping(
    model: &Model,
    plan: Plan,
    extra: &Kept,
    on_progress: &(dyn Fn(u64) + Sync),
) -> Result<Results, ExperimentError> {
    let mut res = Results::keeping(model, extra);
    for_each(model, plan, on_progress, |_, o| res.add(o))?;
    Ok(res)
}

/// Runs the replications of `plan` on `model` and hands each outcome to `each`, in
/// replication order, a chunk at a time; stops at the first replication that fails.
pub fn for_each(
    model: &Model,
    plan: Plan,
    on_progress: &(dyn Fn(u64) + Sync),
    mut each: impl FnMut(u64, RepOutcome),
) -> Result<(), ExperimentError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = plan.threads {
        // more workers than replications would only wait: results do not depend on it
        let reps = usize::try_from(plan.replications)
            .unwrap_or(usize::MAX)
            .max(1);
        builder = builder.num_threads(t.min(reps));
    }
    let pool = builder.build().map_err(|e| ExperimentError::Threads {
        threads: plan.threads.unwrap_or(0),
        message: e.to_string(),
    })?;
    // the recorder's view of the model, prices included, is built once for all replications
    let levels = levels_of(model);
    let done = std::sync::atomic::AtomicU64::new(0);
    let threads = pool.current_num_threads();
    let rep_bytes = RepValues::cells(levels.index(), model.timeline.periods()) * size_of::<f64>();
    let per_thread = (CHUNK_BYTES / (rep_bytes * threads).max(1)).clamp(1, CHUNK_PER_THREAD);
    let chunk = (per_thread * threads) as u64;
    let total = plan.replications as u64;
    let simulate_chunk = |first: u64| {
        let last = (first + chunk).min(total);
        pool.install(|| {
            (first..last)
                .into_par_iter()
                .map(|rep| {
                    let o = simulate_with(model, &levels, plan.seed, rep)
                        .map_err(|source| ExperimentError::Simulation { rep, source });
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    on_progress(n);
                    o
                })
                .collect::<Vec<_>>()
        })
    };
    // a pipeline of two chunks: while this thread folds one chunk's outcomes (in
    // replication order), the pool already simulates the next, so the workers never wait
    // for the fold (beyond 100 replications it adds to a sketch per cell)
    let mut first = 0;
    let mut ready = (total > 0).then(|| simulate_chunk(0));
    while let Some(outcomes) = ready.take() {
        let next = first + outcomes.len() as u64;
        let folded = std::thread::scope(|scope| {
            let ahead = (next < total).then(|| scope.spawn(|| simulate_chunk(next)));
            let mut folded = Ok(());
            for (rep, o) in (first..).zip(outcomes) {
                match o {
                    Ok(o) => each(rep, o),
                    Err(e) => {
                        folded = Err(e);
                        break;
                    }
                }
            }
            ready = ahead.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            folded
        });
        folded?;
        first = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Source};

    fn model() -> Model {
        scenario::load(&Source {
            name: "e.toml".into(),
            text: "[scenario]\nname = \"e\"\nstart = 2024-01-01\nend = 2025-12-31\n\
                   [[inflow]]\nto = \"a\"\nper_year = 200\n\
                   [[service]]\nid = \"a\"\nsegment = \"x\"\nsetting = \"ambulant\"\n\
                   capacity = 10\nlos = { dist = \"exponential\", mean = 20 }\n\
                   queue = { norm = 10 }\ntariff = { per_day = 50.0 }\n"
                .into(),
        })
        .expect("valid")
    }

    #[test]
    fn the_thread_count_changes_nothing_and_outcomes_come_in_order() {
        let m = model();
        let plan = |threads| Plan {
            replications: 37,
            seed: 5,
            threads: Some(threads),
        };
        let (a, b) = (
            run(&m, plan(1), &|_| {}).unwrap(),
            run(&m, plan(2), &|_| {}).unwrap(),
        );
        let cost = |r: &Results| {
            r.per_rep(LevelRef::All, Metric::Cost, PeriodRef::Year(1))
                .to_vec()
        };
        assert_eq!(cost(&a), cost(&b));
        let s = |r: &Results| {
            format!(
                "{:?}",
                r.summary(
                    LevelRef::Service(0),
                    Metric::WaitDaysMean,
                    PeriodRef::Interval(5)
                )
            )
        };
        assert_eq!(s(&a), s(&b));
        assert_eq!(a.events, b.events);
        let mut seen = Vec::new();
        for_each(&m, plan(2), &|_| {}, |rep, o| {
            assert_eq!(o.balance, crate::model::sim::simulate(&m, 5, rep).balance);
            seen.push(rep);
        })
        .unwrap();
        assert_eq!(seen, (0..37).collect::<Vec<u64>>());
    }
}
