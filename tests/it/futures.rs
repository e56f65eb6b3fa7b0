//! Roads across futures: a sweep's `futures` merged on top of every scenario, every road in
//! every future on common random numbers, each measured against doing nothing in the same
//! future, `robustness.csv`, and shards merged into the same bytes as one machine.

use std::fs;
use std::path::Path;

use jeugdflow::scenario::{self, Source};

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

/// The rows of a CSV file (header first), split on commas (the test files hold no quotes).
fn rows(path: &Path) -> Vec<Vec<String>> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// Runs the small futures sweep into `out`.
fn futures_sweep(out: &Path, extra: &[&str]) {
    let file = data("sweep/futures.toml");
    let mut args = vec!["sweep", s(&file), "--quiet", "--out", s(out)];
    args.extend(extra);
    jeugdflow_ok(&args);
}

#[test]
fn every_road_runs_in_every_future_against_its_own_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("futures");
    futures_sweep(&out, &[]);
    // a point per road and future, future slowest, named <road>.<future>
    for p in [
        "small-costs.busy",
        "small-road.busy",
        "small-costs.slow",
        "small-road.slow",
    ] {
        assert!(out.join(p).join("replications.csv").is_file(), "{p}");
    }
    // sweep.csv says the future of each point
    let sweep = rows(&out.join("sweep.csv"));
    assert_eq!(sweep[0][..3], ["scenario", "future", "metric"]);
    assert!(
        sweep
            .iter()
            .any(|r| r[0] == "small-road.slow" && r[1] == "slow")
    );
    // differences: each road against doing nothing in the same future
    let diff = rows(&out.join("differences.csv"));
    let pairs: Vec<(String, String)> = diff[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert!(pairs.contains(&("small-road.busy".into(), "small-costs.busy".into())));
    assert!(pairs.contains(&("small-road.slow".into(), "small-costs.slow".into())));
    assert!(
        pairs
            .iter()
            .all(|(a, b)| a.starts_with("small-road") && b.starts_with("small-costs.")),
        "a baseline is never measured against another future's: {pairs:?}"
    );
    // no row of an undefined difference
    assert!(diff[1..].iter().all(|r| !r[3].is_empty()), "{diff:?}");
    // the future's overlay took effect: longer stays in `slow` fill residential care more
    let occ = |p: &str| -> f64 {
        rows(&out.join(p).join("summary.csv"))
            .iter()
            .find(|r| r[2] == "residential" && r[3] == "occupancy_mean" && r[4] == "total")
            .map(|r| r[5].parse().unwrap())
            .unwrap()
    };
    assert!(occ("small-costs.slow") > occ("small-costs.busy"));
    // robustness.csv: per road, future and measure, then the two rows over all futures
    let robust = rows(&out.join("robustness.csv"));
    assert_eq!(
        robust[0],
        [
            "strategy", "future", "metric", "mean", "ci_low", "ci_high", "regret"
        ]
    );
    let n_metrics = jeugdflow::report::comparison::ROBUSTNESS_METRICS.len();
    assert_eq!(robust.len(), 1 + 2 * (2 * n_metrics + 2));
    let find = |road: &str, future: &str, metric: &str| {
        robust
            .iter()
            .find(|r| r[0] == road && r[1] == future && r[2] == metric)
            .unwrap_or_else(|| panic!("{road} {future} {metric}"))
            .clone()
    };
    for road in ["small-costs", "small-road"] {
        let max = find(road, "all", "max_regret");
        let regrets: Vec<f64> = ["busy", "slow"]
            .iter()
            .map(|f| find(road, f, "saving_harm_weighted")[6].parse().unwrap())
            .collect();
        let m: f64 = max[3].parse().unwrap();
        assert!(
            (m - regrets.iter().cloned().fold(f64::MIN, f64::max)).abs() < 1e-3,
            "max regret is the largest regret over the futures: {max:?} {regrets:?}"
        );
        assert!(
            regrets.iter().all(|r| *r >= -1e-6),
            "regret is a shortfall: {regrets:?}"
        );
        let share: f64 = find(road, "all", "share_futures_meeting_limits")[3]
            .parse()
            .unwrap();
        assert!((0.0..=1.0).contains(&share));
    }
    // doing nothing saves nothing against itself, in every future
    for f in ["busy", "slow"] {
        assert_eq!(find("small-costs", f, "saving_harm_weighted")[3], "0");
    }
    // the same regret in sweep.csv and robustness.csv
    let regret_sweep = sweep
        .iter()
        .find(|r| r[0] == "small-road.busy" && r[2] == "regret")
        .unwrap()[3]
        .clone();
    assert_eq!(
        regret_sweep,
        find("small-road", "busy", "saving_harm_weighted")[6]
    );
    // the report shows the roads across the futures
    let page = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("class=\"strategies heat\""), "a heat map");
    assert!(page.contains("Toekomst: busy") && page.contains("Toekomst: slow"));
    assert!(out.join("plots/strategies-tradeoff-busy.svg").is_file());
}

#[test]
fn a_futures_sweep_sharded_and_merged_equals_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    futures_sweep(&single, &[]);
    let mut shards = Vec::new();
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        futures_sweep(&out, &["--shard", &format!("{k}/3")]);
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|p| s(p)));
    args.extend(["--out", s(&merged)]);
    jeugdflow_ok(&args);
    for f in [
        "manifest.json",
        "sweep.csv",
        "differences.csv",
        "robustness.csv",
        "comparison.xlsx",
        "report.html",
        "plots/strategies-waiting-slow.svg",
        "small-road.slow/summary.csv",
        "small-costs.busy/replications.csv",
    ] {
        assert_eq!(
            fs::read(single.join(f)).unwrap(),
            fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
    // and resumed: a deleted point runs again, the rest is skipped, the same bytes result
    fs::remove_dir_all(single.join("small-road.busy")).unwrap();
    let before = fs::read(merged.join("robustness.csv")).unwrap();
    let o = jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/futures.toml")),
        "--resume",
        "--quiet",
        "--out",
        s(&single),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("skipped 3 of 4"), "{err}");
    assert_eq!(fs::read(single.join("robustness.csv")).unwrap(), before);
}

#[test]
fn a_future_is_merged_key_by_key_and_may_not_change_the_road() {
    // key by key: the slow future changes the mean of the stay, not its spread
    let road = Source::read(&data("small-costs.toml")).unwrap();
    let slow = Source::read(&data("sweep/futures/slow.toml")).unwrap();
    let m = scenario::load_point(&road, Some(&slow), &[], None).unwrap();
    let plain = scenario::load(&road).unwrap();
    let res = |m: &jeugdflow::model::Model| {
        let i = m
            .services
            .iter()
            .position(|s| s.id == "residential")
            .unwrap();
        m.services[i].los.mean()
    };
    assert_eq!(res(&m), 360.0);
    assert_eq!(res(&plain), 300.0);
    // a future that sets a road's plan or the comparison's terms is refused, at its line
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    fs::write(
        &bad,
        "[scenario]\nseed = 3\n\n[[schedule]]\nservice = \"residential\"\nparam = \"capacity\"\n\
         points = [{ at = 2025-01-01, value = 10 }]\n\n[report]\nbudget = 1e6\n",
    )
    .unwrap();
    let sweep = dir.path().join("sweep.toml");
    fs::write(
        &sweep,
        format!(
            "[sweep]\nbase = \"{}\"\nfutures = [\"bad.toml\"]\n",
            s(&data("small.toml"))
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = jeugdflow(&["sweep", s(&sweep), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    for want in [
        "bad.toml:2:1: scenario.seed: a future may not set `scenario.seed`",
        "bad.toml:4:3: schedule: a future may not set `schedule`",
        "bad.toml:9:2: report: a future may not set `report`",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert!(!out.exists(), "nothing written");
    // two futures of one name are refused naming both lines
    let sweep2 = dir.path().join("sweep2.toml");
    fs::write(
        &sweep2,
        format!(
            "[sweep]\nbase = \"{}\"\nfutures = [\n  \"{}\",\n  \"{}\",\n]\n",
            s(&data("small.toml")),
            s(&data("sweep/futures/slow.toml")),
            s(&data("sweep/futures/slow.toml"))
        ),
    )
    .unwrap();
    let o = jeugdflow(&["validate", s(&sweep2)]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("two futures are named \"slow\" (line 4)"),
        "{err}"
    );
}

#[test]
fn the_shipped_roads_x_futures_sweep_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/sweeps/roads-x-futures.toml");
    let spec = jeugdflow::sweep::read(&path).unwrap();
    assert!(spec.futures.len() >= 4, "at least four futures");
    let names = spec.scenario_names().unwrap();
    assert!(
        !names.iter().any(|n| n.starts_with("demand")),
        "demand is a future, not a road: {names:?}"
    );
    let points = spec.points(&names);
    assert_eq!(points.len(), names.len() * spec.futures.len());
    for p in &points {
        let m = spec.load(p).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert!(m.risk.budget.is_some(), "{}: the region's budget", p.name);
    }
    // every future's header gives its source or range
    for f in &spec.futures {
        let header: String = f
            .source
            .text
            .lines()
            .take_while(|l| l.starts_with('#') || l.is_empty())
            .collect();
        assert!(
            header.contains("domain-figures") || header.contains("seed"),
            "{}: no source in its header",
            f.name
        );
    }
}
