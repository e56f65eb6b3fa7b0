//! Sweeps and comparisons: common random numbers, equality with separate runs, resume,
//! thread-count independence and bad input.

use std::fs;
use std::path::Path;

use jeugdflow::experiment::{self, Plan};
use jeugdflow::scenario::chain::Override;
use jeugdflow::scenario::{self, Source};
use jeugdflow::sweep::{kpi_values, paired, unpaired_half_width};

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

/// The bytes inside a gzip file.
fn gunzip(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn a_sweep_of_scenarios_equals_their_separate_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/two-series.toml")),
        "--quiet",
        "--out",
        s(&out),
    ]);
    for name in ["small", "mmc"] {
        let single = dir.path().join(name);
        let o = jeugdflow(&[
            "run",
            s(&data(&format!("{name}.toml"))),
            "--quiet",
            "--reps",
            "3",
            "--seed",
            "3",
            "--out",
            s(&single),
        ]);
        assert!(o.status.success());
        for f in ["summary.csv", "replications.csv", "costs.csv"] {
            assert_eq!(
                fs::read(out.join(name).join(f)).unwrap(),
                fs::read(single.join(f)).unwrap(),
                "{name}/{f}"
            );
        }
        // asked for (`timeseries = true`), a lean point keeps the time series compressed,
        // the same bytes inside
        assert_eq!(
            gunzip(&out.join(name).join("timeseries.csv.gz")),
            fs::read(single.join("timeseries.csv")).unwrap(),
            "{name}/timeseries.csv.gz"
        );
        let mut kept: Vec<String> = fs::read_dir(out.join(name))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        kept.sort();
        assert_eq!(
            kept,
            [
                "costs.csv",
                "manifest.json",
                "paths.csv",
                "replications.csv",
                "summary.csv",
                "timeseries.csv.gz"
            ]
        );
    }
    let sweep_csv = fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert!(sweep_csv.starts_with("scenario,metric,mean,ci_low,ci_high,p05,p95,reps\n"));
    let diff = fs::read_to_string(out.join("differences.csv")).unwrap();
    assert!(diff.starts_with("scenario,baseline,metric,mean_diff,ci_low,ci_high,p_better\n"));
    assert!(diff.contains("\nmmc,small,wait_days_mean,"));
}

#[test]
fn a_grid_sweep_is_independent_of_threads_and_resumes_to_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let grid = data("sweep/grid.toml");
    for (out, t) in [(&a, "1"), (&b, "2")] {
        jeugdflow_ok(&[
            "sweep",
            s(&grid),
            "--quiet",
            "--threads",
            t,
            "--out",
            s(out),
        ]);
    }
    for f in ["sweep.csv", "differences.csv", "small-3/summary.csv"] {
        assert_eq!(
            fs::read(a.join(f)).unwrap(),
            fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let sweep_csv = fs::read_to_string(a.join("sweep.csv")).unwrap();
    assert!(
        sweep_csv
            .starts_with("scenario,service.residential.capacity,service.ambulant.capacity,metric,")
    );
    assert!(sweep_csv.contains("\nsmall-4,24,140,wait_days_mean,"));

    // an interrupted sweep: one scenario lost (its temporary folder left behind), another
    // from other inputs; resume redoes just those
    let before = fs::read(a.join("sweep.csv")).unwrap();
    fs::rename(a.join("small-2"), a.join(".small-2.tmp-4242")).unwrap();
    let m = a.join("small-3/manifest.json");
    let stale = fs::read_to_string(&m)
        .unwrap()
        .replace("\"sweep_key\": \"", "\"sweep_key\": \"0");
    fs::write(&m, stale).unwrap();
    let kept = fs::metadata(a.join("small-1/summary.csv"))
        .unwrap()
        .modified()
        .unwrap();
    let o = jeugdflow(&["sweep", s(&grid), "--quiet", "--resume", "--out", s(&a)]);
    assert!(o.status.success());
    // and says what it skipped
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("resume: skipped 2 of 4 scenarios already complete (small-1, small-4); ran 2"),
        "{err}"
    );
    assert_eq!(fs::read(a.join("sweep.csv")).unwrap(), before);
    assert!(a.join("small-2/summary.csv").exists());
    let after = fs::metadata(a.join("small-1/summary.csv"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(kept, after, "a complete scenario was run again");
}

#[test]
fn common_random_numbers_make_paired_differences_tight() {
    let src = Source::read(&data("small.toml")).unwrap();
    let base = scenario::load(&src).unwrap();
    let close =
        scenario::load_with(&src, &[Override::new("service.residential.capacity", "28")]).unwrap();
    let run = |m: &jeugdflow::model::Model, seed| {
        experiment::run(
            m,
            Plan {
                replications: 20,
                seed,
                threads: Some(2),
            },
            &|_| {},
        )
        .unwrap()
    };
    let (ra, rb, rc) = (run(&base, 7), run(&close, 7), run(&close, 8));
    // out-of-home days of the whole window
    let k = jeugdflow::sweep::Kpi::from_name("out_of_home_days")
        .expect("a KPI")
        .index();
    let (a, b, c) = (
        &kpi_values(&base, &ra)[k],
        &kpi_values(&close, &rb)[k],
        &kpi_values(&close, &rc)[k],
    );
    let crn = paired(b, a, Some(true));
    let crn_half = (crn.ci_high - crn.ci_low) / 2.0;
    let independent_half = unpaired_half_width(c, a);
    assert!(
        crn_half < 0.5 * independent_half,
        "paired half-width {crn_half} vs independent {independent_half}"
    );
}

#[test]
fn bad_sweeps_exit_with_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unknown-path",
            "[[sweep.axis]]\npath = \"service.nowhere.capacity\"\nvalues = [1]\n",
            "unknown path",
        ),
        (
            "wrong-type",
            "[[sweep.axis]]\npath = \"service.residential.capacity\"\nvalues = [\"many\"]\n",
            "wrong type",
        ),
        (
            "empty-axis",
            "[[sweep.axis]]\npath = \"service.residential.capacity\"\nvalues = []\n",
            "has no values",
        ),
        (
            "timeseries-text",
            "timeseries = \"yes\"\n",
            "3:14: sweep.timeseries: sweep.timeseries must be true or false (without quotes), \
             got \"yes\"",
        ),
    ];
    for (name, axis, msg) in cases {
        let f = dir.path().join(format!("{name}.toml"));
        let text = format!("[sweep]\nbase = \"{}\"\n{axis}", s(&data("small.toml")));
        fs::write(&f, text).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let o = jeugdflow(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(msg), "{name}: {err}");
        assert!(!out.exists(), "{name} wrote output");
    }
}

/// Writes a sweep over `small.toml` with `body` after `[sweep]` and `base`, into `dir`.
fn sweep_file(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let f = dir.join(format!("{name}.toml"));
    let text = format!("[sweep]\nbase = \"{}\"\n{body}", s(&data("small.toml")));
    fs::write(&f, text).unwrap();
    f
}

#[test]
fn an_axis_given_twice_is_refused_naming_both_lines() {
    // two columns of one name, and a point labelled 30 that ran 24
    let dir = tempfile::tempdir().unwrap();
    let f = sweep_file(
        dir.path(),
        "twice",
        "[[sweep.axis]]\npath = \"service.residential.capacity\"\nvalues = [30, 24]\n\
         [[sweep.axis]]\npath = \"service.ambulant.capacity\"\nvalues = [150]\n\
         [[sweep.axis]]\npath = \"service.residential.capacity\"\nvalues = [26]\n",
    );
    let out = dir.path().join("out");
    let o = jeugdflow(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{}:10:8: sweep.axis[3].path:", s(&f))),
        "{err}"
    );
    assert!(
        err.contains("already swept by sweep.axis[1] (line 4)"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_bad_sweep_value_points_at_the_sweep_file_line() {
    // not the base scenario at 1:1 but where the value was written
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // a value of the wrong type (found when merging) and a value the validator
        // refuses (found on the model), each at its place in the list
        (
            "wrong-type",
            "values = [30,\n  \"many\"]",
            "7:3:",
            "wrong type",
        ),
        ("negative", "values = [30, 24,\n   -4]", "7:4:", "capacity"),
    ];
    for (name, values, at, msg) in cases {
        let f = sweep_file(
            dir.path(),
            name,
            &format!("\n[[sweep.axis]]\npath = \"service.residential.capacity\"\n{values}\n"),
        );
        let o = jeugdflow(&[
            "sweep",
            s(&f),
            "--quiet",
            "--out",
            s(&dir.path().join(name)),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(&format!("{}:{at}", s(&f))), "{name}: {err}");
        assert!(err.contains(msg), "{name}: {err}");
        assert!(!err.contains("(override)"), "{name}: {err}");
    }
    // an unknown path points at the axis's path
    let f = sweep_file(
        dir.path(),
        "unknown",
        "[[sweep.axis]]\npath = \"service.nowhere.capacity\"\nvalues = [1]\n",
    );
    let o = jeugdflow(&["sweep", s(&f), "--quiet", "--out", s(&dir.path().join("u"))]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("{}:4:8: service.nowhere.capacity", s(&f))),
        "{err}"
    );
}

#[test]
fn compare_ranks_runs_and_writes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    let o = jeugdflow(&[
        "sweep",
        s(&data("sweep/grid.toml")),
        "--quiet",
        "--out",
        s(&out),
    ]);
    assert!(o.status.success());
    let csv = dir.path().join("cmp.csv");
    jeugdflow_ok(&[
        "compare",
        s(&out.join("small-1")),
        s(&out.join("small-4")),
        "--csv",
        s(&csv),
    ]);
    let text = fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with(
            "scenario,baseline,metric,mean,mean_diff,ci_low,ci_high,p_better,paired\n"
        )
    );
    assert!(text.contains("small-4,small-1,wait_days_mean,"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("small-4,") && l.ends_with(",true"))
    );
    let bad = jeugdflow(&["compare", s(&out.join("small-1")), s(dir.path())]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_shipped_sweeps_are_valid() {
    for (file, n) in [("capacity-x-hiring.toml", 8), ("strategies.toml", 5)] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/sweeps")
            .join(file);
        let spec = jeugdflow::sweep::read(&path).unwrap();
        let names: Vec<String> = spec
            .scenarios
            .iter()
            .map(|s| scenario::load(s).unwrap().name)
            .collect();
        let points = spec.points(&names);
        assert_eq!(points.len(), n, "{file}");
        for p in &points {
            let m = scenario::load_with(&p.source, &p.overrides)
                .unwrap_or_else(|e| panic!("{file}: {}: {e}", p.name));
            if file == "strategies.toml" {
                // every strategy measured against the same limits from policy: the
                // scenarios' own wait limit, not one tuned next to the baseline's share
                assert_eq!(m.risk.over_norm_share, 0.05, "{}", p.name);
                assert!(m.risk.budget.is_some(), "{}", p.name);
                // the demand target is a future, not a road
                assert!(!p.name.starts_with("demand"), "{}", p.name);
            }
        }
    }
}

#[test]
fn shards_merged_equal_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let grid = data("sweep/grid.toml");
    let single = dir.path().join("single");
    let o = jeugdflow(&["sweep", s(&grid), "--quiet", "--out", s(&single)]);
    assert!(o.status.success());
    let mut shards = Vec::new();
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        jeugdflow_ok(&[
            "sweep",
            s(&grid),
            "--quiet",
            "--shard",
            &format!("{k}/3"),
            "--out",
            s(&out),
        ]);
        assert!(
            !out.join("sweep.csv").exists(),
            "a shard alone writes no sweep tables"
        );
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
        "small-2/summary.csv",
        "small-4/paths.csv",
    ] {
        assert_eq!(
            fs::read(single.join(f)).unwrap(),
            fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
    // a lean point keeps no time series unless the sweep asks for it
    let mut kept: Vec<String> = fs::read_dir(single.join("small-4"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [
            "costs.csv",
            "manifest.json",
            "paths.csv",
            "replications.csv",
            "summary.csv"
        ]
    );
    // a missing shard is an error, not a silent partial result
    let o = jeugdflow(&[
        "merge",
        s(&shards[0]),
        s(&shards[1]),
        "--out",
        s(&dir.path().join("partial")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    // named in words (issue 28: it printed "missing scenario numbers: [3]")
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(
            "the shards hold 3 of 4 scenarios of sweep \"grid\": scenario 3 is missing; give the \
             folders of every shard"
        ),
        "{stderr}"
    );
    // folders of another sweep are refused
    let other = dir.path().join("other");
    let o = jeugdflow(&[
        "sweep",
        s(&data("sweep/two.toml")),
        "--quiet",
        "--out",
        s(&other),
    ]);
    assert!(o.status.success());
    let o = jeugdflow(&[
        "merge",
        s(&shards[0]),
        s(&other),
        "--out",
        s(&dir.path().join("mixed")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("only shards of one sweep"));
}

#[test]
fn an_impossible_shard_is_refused() {
    for bad in ["3/2", "0/2", "x/2", "2"] {
        let o = jeugdflow(&["sweep", s(&data("sweep/grid.toml")), "--shard", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn latin_hypercube_samples_use_every_stratum_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lhs.toml");
    fs::write(
        &f,
        format!(
            "[sweep]\nbase = \"{}\"\nsamples = 8\nseed = 5\n\
             [[sweep.axis]]\npath = \"service.crisis.los.mean\"\nrange = [7.0, 21.0]\n\
             [[sweep.axis]]\npath = \"service.residential.capacity\"\nrange = [20, 40]\n\
             [[sweep.axis]]\npath = \"service.ambulant.capacity\"\nvalues = [150, 140]\n",
            s(&data("small.toml"))
        ),
    )
    .unwrap();
    let spec = jeugdflow::sweep::read(&f).unwrap();
    let points = spec.points(&["small".to_string()]);
    assert_eq!(points.len(), 16); // 2 grid values × 8 samples
    let mut strata: Vec<usize> = points[..8]
        .iter()
        .map(|p| {
            let x: f64 = p.overrides[0].value.parse().unwrap();
            assert!((7.0..=21.0).contains(&x));
            ((x - 7.0) / 14.0 * 8.0) as usize
        })
        .collect();
    strata.sort();
    assert_eq!(strata, (0..8).collect::<Vec<_>>());
    for p in &points {
        // whole bounds give whole places
        assert!(
            p.overrides[1].value.parse::<i64>().is_ok(),
            "{:?}",
            p.overrides
        );
        scenario::load_with(&p.source, &p.overrides).unwrap();
    }
    // same seed, same samples
    let again = jeugdflow::sweep::read(&f)
        .unwrap()
        .points(&["small".to_string()]);
    assert_eq!(again[3].overrides, points[3].overrides);
}
