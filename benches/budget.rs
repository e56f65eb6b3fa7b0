//! `budget` against `run` on the same scenario and replications (the target:
//! `budget` within 4 times a `run`).
//!
//! - `budget/run`: the replications of a `run` of `tests/data/small-costs.toml` (tariffs
//!   and wait norms; 35 replications, the least `budget` accepts at 90% confidence);
//! - `budget/budget`: what `budget` computes with the same replications: that run, the
//!   budgets and the capacity search (a quarter of the replications per candidate).
//!
//! After the measurements it prints the ratio of the two mean times. With
//! `JEUGDFLOW_BUDGET_ALONE=1` it also sizes the default scenario's services together (what
//! `budget` does) and one at a time, the others at their schedule (the reference), and
//! prints both capacities per service (and alone on other replications, the search's own
//! noise): how much the services' interaction moves the answer.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

use jeugdflow::experiment::{self, Plan, Results};
use jeugdflow::finance::{self, CapacityNeed, Sizing};
use jeugdflow::model::Model;
use jeugdflow::scenario::{self, Source};

const REPS: u32 = 35;

fn small() -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small-costs.toml");
    scenario::load(&Source::read(&path).expect("readable")).expect("valid")
}

fn plans(replications: u32, seed: u64) -> (Plan, Plan) {
    let main = Plan {
        replications,
        seed,
        threads: None,
    };
    // as `jeugdflow budget` does
    let search = Plan {
        replications: (replications / 4).max(5).min(replications),
        ..main
    };
    (main, search)
}

fn run(model: &Model, plan: Plan) -> Results {
    experiment::run(model, plan, &|_| {}).expect("runs")
}

fn budget(model: &Model, replications: u32, seed: u64, sizing: Sizing) -> Vec<CapacityNeed> {
    let (main, search) = plans(replications, seed);
    let res = run(model, main);
    let budgets = finance::budgets(model, &res, 0.9);
    assert!(!budgets.is_empty());
    finance::capacity_needs(model, search, &res, 0.8, sizing, &|_| {}).expect("runs")
}

fn mean_time(f: impl Fn()) -> Duration {
    let start = Instant::now();
    for _ in 0..3 {
        f();
    }
    start.elapsed() / 3
}

fn bench(c: &mut Criterion) {
    let model = small();
    let mut g = c.benchmark_group("budget");
    g.sample_size(10);
    g.bench_function("run", |b| b.iter(|| run(&model, plans(REPS, 1).0)));
    g.bench_function("budget", |b| {
        b.iter(|| budget(&model, REPS, 1, Sizing::Together))
    });
    g.finish();
    let r = mean_time(|| {
        run(&model, plans(REPS, 1).0);
    });
    let b = mean_time(|| {
        budget(&model, REPS, 1, Sizing::Together);
    });
    println!(
        "budget/run ratio on small-costs, {REPS} replications: {:.2} ({:.1} ms against {:.1} ms; target ≤ 4)",
        b.as_secs_f64() / r.as_secs_f64(),
        b.as_secs_f64() * 1e3,
        r.as_secs_f64() * 1e3
    );
    if std::env::var_os("JEUGDFLOW_BUDGET_ALONE").is_some() {
        alone_against_together();
    }
}

/// The default scenario's capacities sized together and one service at a time.
fn alone_against_together() {
    let model = scenario::load(&Source::builtin()).expect("valid");
    let first = |seed, sizing| {
        let needs = budget(&model, REPS, seed, sizing);
        let mut rows: Vec<(String, f64, &'static str)> = Vec::new();
        for n in needs {
            if !rows.iter().any(|r| r.0 == n.service) {
                rows.push((n.service, n.capacity, n.note));
            }
        }
        rows
    };
    let together = first(1, Sizing::Together);
    let alone = first(1, Sizing::Alone);
    // the search's own noise: the same search on other replications
    let alone2 = first(2, Sizing::Alone);
    println!(
        "default scenario, capacity in the first year: together / alone (seed 1) / alone (seed 2)"
    );
    for ((t, a), a2) in together.iter().zip(&alone).zip(&alone2) {
        println!(
            "{:<20} {:>8.1} {:>8.1} {:>8.1} {}",
            t.0, t.1, a.1, a2.1, t.2
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
