//! Helpers shared by the integration tests.

use std::path::PathBuf;

use jeugdflow::experiment::{self, Plan, Results};
use jeugdflow::model::Model;
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::summary::Summary;
use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

/// Path of a file under `tests/data`.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Loads a scenario under `tests/data`.
pub fn model(name: &str) -> Model {
    let src = Source::read(&data(name)).expect("test scenario exists");
    scenario::load(&src).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Runs a model with its own seed and replications on two threads, keeping what
/// `finance::savings` reads.
pub fn run_for_savings(model: &Model) -> Results {
    experiment::run_keeping(
        model,
        Plan {
            replications: model.replications,
            seed: model.seed,
            threads: Some(2),
        },
        &jeugdflow::finance::savings::kept(model),
        &|_| {},
    )
    .expect("experiment runs")
}

/// Runs a model with its own seed and replications on two threads.
pub fn run(model: &Model) -> Results {
    experiment::run(
        model,
        Plan {
            replications: model.replications,
            seed: model.seed,
            threads: Some(2),
        },
        &|_| {},
    )
    .expect("experiment runs")
}

/// Every replication's values of a model run with its own seed and replications, for
/// tests that need cells the results do not keep per replication.
pub fn rep_values(model: &Model) -> Vec<jeugdflow::stats::RepValues> {
    let mut out = Vec::new();
    let plan = Plan {
        replications: model.replications,
        seed: model.seed,
        threads: Some(2),
    };
    experiment::for_each(model, plan, &|_| {}, |_, o| out.push(o.values)).expect("experiment runs");
    out
}

/// The level at position `level` of the results: the services, the segments, then `all`.
pub fn level_ref(model: &Model, level: usize) -> LevelRef {
    let (services, segments) = (model.services.len(), model.segments.len());
    if level < services {
        LevelRef::Service(level)
    } else if level < services + segments {
        LevelRef::Segment(level - services)
    } else {
        LevelRef::All
    }
}

/// The summary over replications of `metric` at level position `level` for the whole window.
pub fn total(model: &Model, res: &Results, level: usize, metric: Metric) -> Summary {
    res.summary(level_ref(model, level), metric, PeriodRef::Total)
}

/// Half-width of the 95% interval divided by t: the standard error of the mean.
pub fn std_error(s: &Summary) -> f64 {
    (s.ci_high - s.mean) / jeugdflow::stats::summary::t975(s.n - 1)
}

/// Runs the jeugdflow binary with `args`.
pub fn jeugdflow(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// Runs the jeugdflow binary with `args` and asserts that it succeeded (its stderr in
/// the failure message).
pub fn jeugdflow_ok(args: &[&str]) -> std::process::Output {
    let o = jeugdflow(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A path as `&str` for command lines.
pub fn s(p: &std::path::Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// Compares `stderr` with the pinned message beside `case` (its `.stderr` file), or
/// rewrites that file when `bless` (`JEUGDFLOW_BLESS=1`); a difference or a missing file
/// is added to `failures`.
pub fn check_stderr_snapshot(
    case: &std::path::Path,
    name: &str,
    stderr: &str,
    bless: bool,
    failures: &mut Vec<String>,
) {
    let snap = case.with_extension("stderr");
    if bless {
        std::fs::write(&snap, stderr).unwrap();
        return;
    }
    match std::fs::read_to_string(&snap) {
        Ok(s) if s == stderr => {}
        Ok(s) => failures.push(format!(
            "{name}: message changed\n--- snapshot\n{s}--- now\n{stderr}"
        )),
        Err(_) => failures.push(format!(
            "{name}: no snapshot {}; run with JEUGDFLOW_BLESS=1",
            snap.display()
        )),
    }
}

/// A run's `manifest.json` as jeugdflow writes it (every field), with `seed` and
/// `replications`, for tests that build a comparison's inputs by hand.
pub fn run_manifest_json(seed: u64, replications: u32) -> Vec<u8> {
    let m = serde_json::json!({
        "tool": "jeugdflow", "version": "0", "kind": "run", "scenario": "x",
        "scenario_file": "x.toml", "scenario_sha256": "0", "seed": seed,
        "replications": replications, "threads": 1, "start": "2024-01-01",
        "end": "2025-12-31", "warmup_days": 0.0, "events_processed": 0, "wall_seconds": 0.0,
        "flag_over_norm_share": 0.2,
        "youths": {
            "initial": 0, "arrived": 0, "reentered": 0, "discharged": 0, "reneged": 0,
            "aged_out": 0, "in_care_at_end": 0, "waiting_at_end": 0,
            "balanced_in_every_replication": true
        },
        "files": ["manifest.json", "summary.csv", "replications.csv"]
    });
    serde_json::to_vec_pretty(&m).expect("JSON")
}
