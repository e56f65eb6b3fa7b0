//! The binary as users run it: commands, exit codes, outputs and determinism.

use std::fs;
use std::path::Path;

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

#[test]
fn run_writes_the_contracted_files_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("small");
    jeugdflow_ok(&["run", s(&data("small.toml")), "--quiet", "--out", s(&out)]);
    let summary = fs::read_to_string(out.join("summary.csv")).unwrap();
    let header = summary.lines().next().unwrap();
    assert_eq!(
        header,
        "scenario,segment,service,metric,period,mean,ci_low,ci_high,p05,p50,p95,reps"
    );
    let ts = fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert_eq!(
        ts.lines().next().unwrap(),
        "scenario,period_start,segment,service,metric,mean,ci_low,ci_high,p05,p95"
    );
    // every metric appears for every level, with years and total
    for m in [
        "arrivals",
        "admissions",
        "discharges",
        "clients",
        "occupancy_mean",
        "capacity_mean",
        "utilisation",
        "waiting_mean",
        "waiting_end",
        "wait_days_mean",
        "wait_days_p90",
        "over_norm_share",
        "out_of_home_days",
    ] {
        for lvl in ["all,all", "wonen,all", "wonen,residential", "hsj,crisis"] {
            for period in ["2024", "2026", "total"] {
                let key = format!("small,{lvl},{m},{period},");
                assert!(summary.contains(&key), "missing {key}");
            }
        }
    }
    // quarterly time series from 2024-01-01 to 2026-10-01
    assert!(ts.contains("small,2024-01-01,all,all,clients,"));
    assert!(ts.contains("small,2026-10-01,wonen,residential,occupancy_mean,"));
    assert!(!ts.contains("small,2027-01-01"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["replications"], 4);
    assert_eq!(manifest["seed"], 3);
    assert_eq!(manifest["youths"]["balanced_in_every_replication"], true);
    assert!(manifest["events_processed"].as_u64().unwrap() > 1000);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn one_thread_and_two_threads_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let scen = data("small.toml");
    for (out, t) in [(&a, "1"), (&b, "2")] {
        let o = jeugdflow(&[
            "run",
            s(&scen),
            "--quiet",
            "--reps",
            "6",
            "--threads",
            t,
            "--out",
            s(out),
        ]);
        assert!(o.status.success());
    }
    for f in ["summary.csv", "timeseries.csv"] {
        assert_eq!(
            fs::read(a.join(f)).unwrap(),
            fs::read(b.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    // and a different seed gives different numbers
    let c = dir.path().join("c");
    let o = jeugdflow(&[
        "run",
        s(&scen),
        "--quiet",
        "--reps",
        "6",
        "--seed",
        "99",
        "--out",
        s(&c),
    ]);
    assert!(o.status.success());
    assert_ne!(
        fs::read(a.join("summary.csv")).unwrap(),
        fs::read(c.join("summary.csv")).unwrap()
    );
}

#[test]
fn the_builtin_default_is_named_as_extends_names_it() {
    let v = jeugdflow(&["validate", "builtin:groningen"]);
    let out = String::from_utf8_lossy(&v.stdout);
    assert!(v.status.success() && out.contains("(groningen:"), "{out}");
}

#[test]
fn every_shipped_scenario_validates_and_runs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for e in fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        n += 1;
        let v = jeugdflow(&["validate", s(&p)]);
        assert!(
            v.status.success(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&v.stderr)
        );
        let out = tempfile::tempdir().unwrap();
        let o = jeugdflow(&[
            "run",
            s(&p),
            "--quiet",
            "--reps",
            "2",
            "--out",
            s(&out.path().join("r")),
        ]);
        assert!(
            o.status.success(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        let m: serde_json::Value =
            serde_json::from_slice(&fs::read(out.path().join("r/manifest.json")).unwrap()).unwrap();
        assert_eq!(
            m["youths"]["balanced_in_every_replication"],
            true,
            "{}",
            p.display()
        );
    }
    assert!(n >= 1);
}

#[test]
fn run_without_a_scenario_uses_the_built_in_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("default");
    let o = jeugdflow_ok(&["run", "--reps", "2", "--out", s(&out)]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("results:"), "{stdout}");
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["scenario"], "groningen");
    assert!(m["scenario_file"].as_str().unwrap().contains("built in"));
}

#[test]
fn bad_command_lines_exit_with_2() {
    let missing = jeugdflow(&["run", "/nonexistent/scenario.toml", "--quiet"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("/nonexistent/scenario.toml"), "{err}");
    for args in [
        vec!["run", "--reps", "0"],
        vec!["run", "--threads", "0"],
        vec!["run", "--reps", "many"],
        vec!["frobnicate"],
        vec!["validate"],
    ] {
        let o = jeugdflow(&args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let v = jeugdflow(&["validate", "/nonexistent.toml"]);
    assert_eq!(v.status.code(), Some(2));
}

#[test]
fn an_impossible_output_is_refused_up_front_with_2_naming_the_path_once() {
    let dir = tempfile::tempdir().unwrap();
    // a file where the output's parent folder should be
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, "not a folder").unwrap();
    let out = blocker.join("run");
    // a million replications would take hours: refused before any of them runs
    let started = std::time::Instant::now();
    let o = jeugdflow(&[
        "run",
        s(&data("small.toml")),
        "--quiet",
        "--reps",
        "1000000",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(started.elapsed().as_secs() < 20, "the run went ahead");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(s(&out)), "{err}");
    assert_eq!(
        err.matches("Not a directory").count() + err.matches("not a folder").count(),
        1,
        "{err}"
    );
    // a place the system never lets anyone write
    let o = jeugdflow(&[
        "budget",
        s(&data("small-costs.toml")),
        "--quiet",
        "--out",
        "/proc/jeugdflow/out",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot write output '/proc/jeugdflow/out'")
    );
}

#[test]
fn validate_warns_when_too_many_segments_change_at_once() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let o = jeugdflow(&["validate", s(&dir.join("fasering-big-bang.toml"))]);
    assert!(o.status.success(), "a warning is not an error");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning:") && err.contains("max_concurrent = 2"),
        "{err}"
    );
    let o = jeugdflow(&["validate", s(&dir.join("fasering-gefaseerd.toml"))]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("warning:"));
}

#[test]
fn validate_warns_when_two_names_differ_only_in_case() {
    // small.toml has segments wonen (twice), hsj and aanvullend: one `wonen` becomes `Wonen`
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(crate::common::data("small.toml")).unwrap();
    let f = dir.path().join("cases.toml");
    fs::write(
        &f,
        text.replacen("segment = \"wonen\"", "segment = \"Wonen\"", 1),
    )
    .unwrap();
    let o = jeugdflow(&["validate", s(&f)]);
    assert!(o.status.success(), "a warning is not an error");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("segments 'Wonen' and 'wonen' differ only in case"),
        "{err}"
    );
    let o = jeugdflow(&["validate", s(&crate::common::data("small.toml"))]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("differ only in case"));
}

/// Every file under `dir`, by path relative to it, sorted.
fn folder_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            out.extend(
                folder_files(&p)
                    .into_iter()
                    .map(|(n, b)| (format!("{name}/{n}"), b)),
            );
        } else {
            out.push((name, fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// A manifest without the fields that depend on the clock.
fn manifest_without_wall_time(bytes: &[u8]) -> serde_json::Value {
    let mut m: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    m.as_object_mut().unwrap().remove("wall_seconds");
    m
}

/// The library assembles a run folder; the binary only writes it. A front end that calls
/// `report::run_folder::files` (a studio) gets the same bytes as `jeugdflow run`.
#[test]
fn the_library_builds_the_same_run_folder_as_the_command() {
    use jeugdflow::experiment::{self, Plan};
    use jeugdflow::report::run_folder::{self, Extras, Run};
    use jeugdflow::scenario::{self, Source};

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("small");
    let scen = data("small.toml");
    jeugdflow_ok(&[
        "run",
        s(&scen),
        "--quiet",
        "--reps",
        "2",
        "--threads",
        "1",
        "--out",
        s(&out),
    ]);

    let src = Source::read(&scen).unwrap();
    let model = scenario::load(&src).unwrap();
    let plan = Plan {
        replications: 2,
        seed: model.seed,
        threads: Some(1),
    };
    let results = experiment::run(&model, plan, &|_| {}).unwrap();
    let run = Run {
        model: &model,
        source_name: &src.name,
        source_text: &src.text,
        plan,
        results: &results,
        wall_seconds: 0.0,
    };
    let mut built = run_folder::files(&run, Extras::default()).unwrap();
    built.sort();
    let written = folder_files(&out);
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&built), names(&written));
    assert!(built.len() > 10, "CSV, manifest, report and charts");
    for ((name, a), (_, b)) in built.iter().zip(&written) {
        if name == "manifest.json" {
            assert_eq!(manifest_without_wall_time(a), manifest_without_wall_time(b));
        } else {
            assert!(a == b, "{name} differs between the library and the command");
        }
    }
}
