//! Throughput of the engine, in events per second.
//!
//! - `bare_loop/mm10`: a hand-written M/M/10 loop (a `BinaryHeap` of events, `rand` draws,
//!   running sums) — the bar jeugdflow must reach;
//! - `jeugdflow/mm10`: the same M/M/10 model through the full simulation, statistics
//!   included;
//! - `jeugdflow/groningen`: one replication of the default scenario (2024–2030);
//! - `process/mm10`: the whole `jeugdflow run` process on the M/M/10 scenario (one
//!   replication, `--threads 1 --quiet`): reading, simulating, statistics, every output
//!   file, charts and `report.html`;
//! - `experiment/*`: replications per second of 16 replications on 1 and on 2 threads;
//! - then, measured in one go, the ratios of the README's Performance table: the whole
//!   process against the bare loop (target ≤ 1) and SimPy against the whole process
//!   (target ≥ 150; run only when `python3 -c "import simpy"` works).
//!
//! Throughput is reported per event processed, so the numbers read as events/s.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use jeugdflow::engine::Streams;
use jeugdflow::model::sim::simulate;
use jeugdflow::scenario::{self, Source};

const MM10: &str = include_str!("data/mm10-300k.toml");

/// A bare M/M/10 event loop: returns (events, sum of waits).
fn bare_mm10(arrivals: u64, seed: u64) -> (u64, f64) {
    #[derive(PartialEq)]
    struct T(f64);
    impl Eq for T {}
    impl PartialOrd for T {
        fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for T {
        fn cmp(&self, o: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&o.0)
        }
    }
    let mut rng = Streams::new(seed, 0).stream(1, 0);
    let (lambda, c) = (9.0, 10u32);
    // events: (time, seq, kind) kind 0 = arrival, 1 = departure
    let mut heap: BinaryHeap<Reverse<(T, u64, u8)>> = BinaryHeap::new();
    let mut queue: std::collections::VecDeque<f64> = Default::default();
    let (mut busy, mut seq, mut events, mut made) = (0u32, 0u64, 0u64, 0u64);
    let mut wait_sum = 0.0;
    let e: f64 = Exp1.sample(&mut rng);
    heap.push(Reverse((T(e / lambda), seq, 0)));
    while let Some(Reverse((T(t), _, kind))) = heap.pop() {
        events += 1;
        seq += 1;
        if kind == 0 {
            made += 1;
            if made < arrivals {
                let e: f64 = Exp1.sample(&mut rng);
                heap.push(Reverse((T(t + e / lambda), seq, 0)));
            }
            if busy < c {
                busy += 1;
                let s: f64 = Exp1.sample(&mut rng);
                heap.push(Reverse((T(t + s), seq, 1)));
            } else {
                queue.push_back(t);
            }
        } else if let Some(arrived) = queue.pop_front() {
            wait_sum += t - arrived;
            let s: f64 = Exp1.sample(&mut rng);
            heap.push(Reverse((T(t + s), seq, 1)));
        } else {
            busy -= 1;
        }
        let _: f64 = rng.random(); // one extra draw per event, as the model's routing does
    }
    (events, wait_sum)
}

fn benches(c: &mut Criterion) {
    let mm10 = scenario::load(&Source {
        name: "mm10-300k.toml".into(),
        text: MM10.into(),
    })
    .expect("benchmark scenario is valid");
    let groningen = scenario::load(&Source::builtin()).expect("default scenario is valid");

    let mm10_events = simulate(&mm10, 1, 0).events;
    let groningen_events = simulate(&groningen, 2024, 0).events;
    let (bare_events, _) = bare_mm10(300_000, 1);

    let mut g = c.benchmark_group("bare_loop");
    g.sample_size(10);
    g.throughput(Throughput::Elements(bare_events));
    g.bench_function("mm10", |b| b.iter(|| bare_mm10(300_000, 1)));
    g.finish();

    let mut g = c.benchmark_group("jeugdflow");
    g.sample_size(10);
    g.throughput(Throughput::Elements(mm10_events));
    g.bench_function("mm10", |b| b.iter(|| simulate(&mm10, 1, 0)));
    g.throughput(Throughput::Elements(groningen_events));
    g.bench_function("groningen", |b| b.iter(|| simulate(&groningen, 2024, 0)));
    g.finish();
}

/// Replications per second of a whole experiment on 1 and on 2 threads (parallel
/// efficiency = the ratio), on the small test scenario.
fn experiments(c: &mut Criterion) {
    use jeugdflow::experiment::{Plan, run};
    let small = scenario::load(&Source {
        name: "small.toml".into(),
        text: include_str!("../tests/data/small.toml").into(),
    })
    .expect("test scenario is valid");
    let reps = 16u32;
    let mut g = c.benchmark_group("experiment");
    g.sample_size(10);
    g.throughput(Throughput::Elements(reps as u64));
    for threads in [1usize, 2] {
        g.bench_function(format!("small_16_reps_{threads}_threads"), |b| {
            b.iter(|| {
                run(
                    &small,
                    Plan {
                        replications: reps,
                        seed: 1,
                        threads: Some(threads),
                    },
                    &|_| {},
                )
            })
        });
    }
    g.finish();
}

/// One whole `jeugdflow run` process on the M/M/10 scenario, writing into `out` (a folder
/// jeugdflow made, so it may replace it).
fn process_mm10(out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .args([
            "run",
            concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/mm10-300k.toml"),
        ])
        .args(["--quiet", "--threads", "1", "--out"])
        .arg(out)
        .status()
        .expect("jeugdflow runs");
    assert!(status.success(), "jeugdflow run failed on mm10-300k.toml");
}

fn process(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("mm10");
    let mm10 = scenario::load(&Source {
        name: "mm10-300k.toml".into(),
        text: MM10.into(),
    })
    .expect("benchmark scenario is valid");
    let mut g = c.benchmark_group("process");
    g.sample_size(10);
    g.throughput(Throughput::Elements(simulate(&mm10, 1, 0).events));
    g.bench_function("mm10", |b| b.iter(|| process_mm10(&out)));
    g.finish();
}

/// The median of `n` timings of `f`.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..n)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    t.sort();
    t[n / 2]
}

/// The ratios of the README's Performance table, measured side by side in one go.
fn ratios(_: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("mm10");
    process_mm10(&out); // warm the page cache
    let bare = median(21, || {
        std::hint::black_box(bare_mm10(300_000, 1));
    });
    let whole = median(21, || process_mm10(&out));
    println!(
        "ratio  whole `jeugdflow run` process / bare loop (M/M/10, 300,000 youths): \
         {:.3} s / {:.3} s = {:.2} (target ≤ 1.0)",
        whole.as_secs_f64(),
        bare.as_secs_f64(),
        whole.as_secs_f64() / bare.as_secs_f64()
    );
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/simpy_mm10.py");
    let has_simpy = Command::new("python3")
        .args(["-c", "import simpy"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_simpy {
        println!("ratio  SimPy / jeugdflow: skipped (python3 -m pip install simpy)");
        return;
    }
    let simpy = median(3, || {
        let ok = Command::new("python3")
            .arg(script)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "{script} failed");
    });
    println!(
        "ratio  SimPy process / whole `jeugdflow run` process (same model): \
         {:.3} s / {:.3} s = {:.0} (target ≥ 150)",
        simpy.as_secs_f64(),
        whole.as_secs_f64(),
        simpy.as_secs_f64() / whole.as_secs_f64()
    );
}

criterion_group!(engine, benches, process, experiments, ratios);
criterion_main!(engine);
