//! Experiments: many replications of a model, in parallel, with identical results
//! whatever the number of threads.
//!
//! Replication `r` always uses the random streams of (seed, r); replications run on a
//! rayon pool and their results are put back in replication order before anything is
//! summed, so the thread count changes the wall time and nothing else.

use rayon::prelude::*;

use crate::model::Model;
use crate::model::sim::{Balance, SimError, levels_of, simulate_with};
use crate::stats::RepValues;

/// How to run an experiment.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub replications: u32,
    pub seed: u64,
    /// Worker threads; `None` lets rayon choose (one per core).
    pub threads: Option<usize>,
}

/// The results of all replications, in replication order.
#[derive(Clone, Debug)]
pub struct Results {
    pub reps: Vec<RepValues>,
    pub balances: Vec<Balance>,
    /// Per replication, per service: when each planned capacity step happened (NaN: not
    /// within the horizon).
    pub step_times: Vec<Vec<Vec<f64>>>,
    /// Events processed, summed over replications.
    pub events: u64,
}

/// Why an experiment could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
    /// A replication could not finish (the first in replication order).
    #[error("replication {rep}: {source}")]
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
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = plan.threads {
        builder = builder.num_threads(t);
    }
    let pool = builder.build().map_err(|e| ExperimentError::Threads {
        threads: plan.threads.unwrap_or(0),
        message: e.to_string(),
    })?;
    // the recorder's view of the model, prices included, is built once for all replications
    let levels = levels_of(model);
    let done = std::sync::atomic::AtomicU64::new(0);
    let outcomes: Vec<_> = pool.install(|| {
        (0..plan.replications as u64)
            .into_par_iter()
            .map(|rep| {
                let o = simulate_with(model, &levels, plan.seed, rep)
                    .map_err(|source| ExperimentError::Simulation { rep, source });
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                on_progress(n);
                o
            })
            .collect()
    });
    let outcomes = outcomes.into_iter().collect::<Result<Vec<_>, _>>()?;
    let events = outcomes.iter().map(|o| o.events).sum();
    let mut reps = Vec::with_capacity(outcomes.len());
    let mut balances = Vec::with_capacity(outcomes.len());
    let mut step_times = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        reps.push(o.values);
        balances.push(o.balance);
        step_times.push(o.step_times);
    }
    Ok(Results {
        reps,
        balances,
        step_times,
        events,
    })
}
