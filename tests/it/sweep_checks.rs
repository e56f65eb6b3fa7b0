//! Sweep files refused before anything runs (two scenarios of one name, a name that leaves
//! `output/`, an axis on the seed or the replications), `--resume` and `merge` noticing a
//! change in a file a scenario extends, and `merge` refusing a shard given twice.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

/// Writes `text` as `dir/name` and returns its path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let f = dir.join(name);
    fs::write(&f, text).unwrap();
    f
}

/// `base.toml` (a copy of `small.toml`) and `kid.toml`, which extends it and keeps its
/// name unless `kid_name` is given, in `dir`.
fn base_and_kid(dir: &Path, kid_name: Option<&str>) {
    fs::copy(data("small.toml"), dir.join("base.toml")).unwrap();
    let name = kid_name.map_or(String::new(), |n| format!("name = \"{n}\"\n"));
    write(
        dir,
        "kid.toml",
        &format!(
            "[scenario]\nextends = \"base.toml\"\n{name}\n[[service]]\nid = \"crisis\"\ncapacity = 6\n"
        ),
    );
}

/// Asserts exit code 2 with every one of `needles` in stderr and nothing at `out`.
fn refused(o: &Output, needles: &[&str], out: &Path) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in: {err}");
    }
    assert!(!out.exists(), "wrote {}", out.display());
}

#[test]
fn two_scenarios_of_one_name_are_refused_at_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    base_and_kid(d, None);
    let cases = [
        // a child that extends its base and keeps the base's name
        (
            "child",
            "[sweep]\nscenarios = [\"base.toml\",\n  \"kid.toml\"]\nreplications = 2\n",
            "3:3",
            "kid.toml",
        ),
        // the same file listed twice
        (
            "twice",
            "[sweep]\nscenarios = [\"base.toml\", \"base.toml\"]\nreplications = 2\n",
            "2:27",
            "base.toml",
        ),
        // the base also listed among the scenarios
        (
            "both",
            "[sweep]\nbase = \"base.toml\"\nreplications = 2\nscenarios = [\"kid.toml\"]\n",
            "4:14",
            "kid.toml",
        ),
    ];
    for (name, text, at, second) in cases {
        let f = write(d, &format!("{name}.toml"), text);
        let out = d.join(format!("out-{name}"));
        let o = jeugdflow(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
        let place = format!("{}:{at}: sweep.scenarios:", s(&f));
        let files = format!("({} and {})", s(&d.join("base.toml")), s(&d.join(second)));
        let needles = [
            place.as_str(),
            "two scenarios are named 'small'",
            files.as_str(),
            "names must differ",
        ];
        refused(&o, &needles, &out);
        // validate dry-runs the sweep and refuses it alike
        let o = jeugdflow(&["validate", s(&f)]);
        refused(&o, &needles, &out);
    }
    // with its own name the child is a second scenario, and the sweep runs
    base_and_kid(d, Some("kid"));
    let f = d.join("child.toml");
    let out = d.join("named");
    jeugdflow_ok(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
    assert!(out.join("small").is_dir() && out.join("kid").is_dir());
    let diffs = fs::read_to_string(out.join("differences.csv")).unwrap();
    assert!(diffs.lines().any(|l| l.starts_with("kid,")), "{diffs}");
}

/// Runs the binary in `cwd` with `args`.
fn jeugdflow_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn a_sweep_name_that_is_not_one_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("a").join("b");
    fs::create_dir_all(&cwd).unwrap();
    fs::copy(data("small.toml"), cwd.join("small.toml")).unwrap();
    let abs = dir.path().join("abs-escape");
    for (file, name) in [
        ("up.toml", "../../escaped".to_string()),
        ("abs.toml", s(&abs).to_string()),
        ("hidden.toml", ".x".to_string()),
    ] {
        write(
            &cwd,
            file,
            &format!("[sweep]\nname = \"{name}\"\nbase = \"small.toml\"\nreplications = 2\n"),
        );
        // no --out: the sweep's name makes the folder, output/<name>
        let o = jeugdflow_in(&cwd, &["sweep", file, "--quiet"]);
        let place = format!("{file}:2:8: sweep.name:");
        let what = format!("\"{name}\" cannot be an output folder name");
        refused(&o, &[&place, &what, "letters, digits"], &abs);
        let o = jeugdflow_in(&cwd, &["validate", file]);
        refused(&o, &[&place, &what], &abs);
    }
    // nothing written anywhere: not in output/, not above it
    assert!(!cwd.join("output").exists());
    assert!(!dir.path().join("escaped").exists());
    assert!(!dir.path().join("a").join("escaped").exists());
}

#[test]
fn the_seed_and_the_replications_cannot_be_swept() {
    let dir = tempfile::tempdir().unwrap();
    for (key, advice) in [
        ("seed", "`seed = N` in [sweep]"),
        ("replications", "--reps"),
    ] {
        let f = write(
            dir.path(),
            &format!("{key}.toml"),
            &format!(
                "[sweep]\nbase = \"{}\"\nreplications = 2\n\n[[sweep.axis]]\npath = \"scenario.{key}\"\nvalues = [2, 3]\n",
                s(&data("small.toml"))
            ),
        );
        let out = dir.path().join(key);
        let o = jeugdflow(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
        let place = format!("{}:6:8: sweep.axis[1].path:", s(&f));
        let what = format!("\"scenario.{key}\" cannot be swept");
        refused(&o, &[&place, &what, "common random numbers", advice], &out);
        let o = jeugdflow(&["validate", s(&f)]);
        refused(&o, &[&place, &what], &out);
    }
}

/// A sweep of `kid.toml` (extending `base.toml`) over two crisis capacities, in `dir`.
fn chain_sweep(dir: &Path) -> PathBuf {
    base_and_kid(dir, Some("kid"));
    write(
        dir,
        "s.toml",
        "[sweep]\nbase = \"kid.toml\"\nreplications = 2\n\
         [[sweep.axis]]\npath = \"service.crisis.capacity\"\nvalues = [4, 5]\n",
    )
}

/// Changes the crisis inflow in `dir/base.toml` (a file the sweep's scenario extends).
fn change_base(dir: &Path) {
    let base = dir.join("base.toml");
    let text = fs::read_to_string(&base).unwrap();
    assert!(text.contains("per_year = 120"));
    fs::write(&base, text.replace("per_year = 120", "per_year = 180")).unwrap();
}

#[test]
fn resume_reruns_points_whose_extended_file_changed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = chain_sweep(d);
    let out = d.join("out");
    jeugdflow_ok(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
    let before = fs::read(out.join("kid-1").join("summary.csv")).unwrap();
    let o = jeugdflow_ok(&["sweep", s(&f), "--quiet", "--resume", "--out", s(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("skipped 2 of 2"), "unchanged: {err}");
    // only the extended file changes: the points are no longer complete, and run again
    change_base(d);
    let o = jeugdflow_ok(&["sweep", s(&f), "--quiet", "--resume", "--out", s(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no scenario was complete; ran all 2"), "{err}");
    let after = fs::read(out.join("kid-1").join("summary.csv")).unwrap();
    assert_ne!(before, after, "the results are those of the changed base");
    // and they equal a fresh sweep of the changed files
    let fresh = d.join("fresh");
    jeugdflow_ok(&["sweep", s(&f), "--quiet", "--out", s(&fresh)]);
    for file in ["sweep.csv", "differences.csv", "kid-2/summary.csv"] {
        assert_eq!(
            fs::read(out.join(file)).unwrap(),
            fs::read(fresh.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn merge_refuses_shards_run_before_and_after_an_extended_file_changed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = chain_sweep(d);
    let shard = |k: usize| {
        let out = d.join(format!("shard{k}"));
        jeugdflow_ok(&[
            "sweep",
            s(&f),
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--out",
            s(&out),
        ]);
        out
    };
    let one = shard(1);
    change_base(d);
    let two = shard(2);
    let merged = d.join("merged");
    let o = jeugdflow(&["merge", s(&one), s(&two), "--out", s(&merged)]);
    refused(
        &o,
        &[
            "another version of sweep \"s\"",
            "the same sweep name but a different sweep file, scenario files (or files they extend)",
            "only shards of one sweep",
        ],
        &merged,
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("not \"s\""));
    // shards of one version merge
    let one = shard(1);
    jeugdflow_ok(&["merge", s(&one), s(&two), "--out", s(&merged)]);
}

#[test]
fn merge_refuses_a_shard_folder_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let grid = data("sweep/grid.toml");
    let mut shards = Vec::new();
    for k in 1..=2 {
        let out = d.join(format!("shard{k}"));
        jeugdflow_ok(&[
            "sweep",
            s(&grid),
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--out",
            s(&out),
        ]);
        shards.push(out);
    }
    let merged = d.join("merged");
    let (a, b) = (s(&shards[0]), s(&shards[1]));
    let o = jeugdflow(&["merge", a, b, a, "--out", s(&merged)]);
    refused(
        &o,
        &[
            &format!("'{a}' is given twice"),
            "give each shard folder once",
        ],
        &merged,
    );
    // the same folder by another path
    let other = d.join(".").join("shard2");
    let o = jeugdflow(&["merge", a, b, s(&other), "--out", s(&merged)]);
    refused(&o, &["are the same folder"], &merged);
    jeugdflow_ok(&["merge", a, b, "--out", s(&merged)]);
}
