//! `--out` never destroys what jeugdflow did not write: every command that writes refuses a
//! plain file, a folder holding a user's file, a link, and a folder holding a link that
//! points out of it — up front, with exit code 2, touching nothing — and replaces its own
//! earlier output.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

/// A command line that writes to `out` (the last argument).
struct Command {
    name: &'static str,
    args: Vec<String>,
}

/// Every command that writes, each with a small input, writing to `out`.
fn commands(dir: &Path, out: &Path) -> Vec<Command> {
    let small = s(&data("small.toml")).to_string();
    let costs = s(&data("small-costs.toml")).to_string();
    let more = s(&data("small-costs-more-crisis.toml")).to_string();
    let grid = s(&data("sweep/grid.toml")).to_string();
    let (run_a, run_b) = (dir.join("run-a"), dir.join("run-b"));
    let o = s(out).to_string();
    let c = |name, args: &[&str]| Command {
        name,
        args: args.iter().map(|a| a.to_string()).collect(),
    };
    vec![
        c(
            "run",
            &["run", &small, "--quiet", "--reps", "2", "--out", &o],
        ),
        c(
            "budget",
            &["budget", &costs, "--quiet", "--reps", "35", "--out", &o],
        ),
        c(
            "sweep",
            &["sweep", &grid, "--quiet", "--reps", "2", "--out", &o],
        ),
        c(
            "savings",
            &[
                "savings",
                &more,
                "--baseline",
                &costs,
                "--quiet",
                "--reps",
                "2",
                "--out",
                &o,
            ],
        ),
        c("merge", &["merge", s(&dir.join("shard")), "--out", &o]),
        c(
            "compare --csv",
            &["compare", s(&run_a), s(&run_b), "--csv", &o],
        ),
        c(
            "compare --html",
            &["compare", s(&run_a), s(&run_b), "--html", &o],
        ),
    ]
}

/// Inputs the commands read: two run folders and a one-shard sweep.
fn inputs(dir: &Path) {
    runs(dir);
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/grid.toml")),
        "--quiet",
        "--reps",
        "2",
        "--shard",
        "1/1",
        "--out",
        s(&dir.join("shard")),
    ]);
}

/// Two run folders of the small scenario: `run-a` (2 replications) and `run-b` (3).
fn runs(dir: &Path) {
    for (name, reps) in [("run-a", "2"), ("run-b", "3")] {
        jeugdflow_ok(&[
            "run",
            s(&data("small.toml")),
            "--quiet",
            "--reps",
            reps,
            "--out",
            s(&dir.join(name)),
        ]);
    }
}

fn run(c: &Command) -> (Option<i32>, String) {
    let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
    let o = jeugdflow(&args);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every file under `dir`, with its bytes (links not followed).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                todo.push(p);
            } else if m.is_file() {
                out.push((p.clone(), fs::read(&p).unwrap()));
            } else {
                out.push((
                    p.clone(),
                    fs::read_link(&p)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                        .into_bytes(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_command_refuses_what_is_not_its_own_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("precious.txt"), "mine").unwrap();
    let folder_kind = |name: &str| !name.starts_with("compare");
    for (k, cmd) in commands(dir.path(), Path::new("x")).iter().enumerate() {
        let case = |what: &str| dir.path().join(format!("{k}-{what}"));
        let mut places: Vec<(PathBuf, &str)> = Vec::new();
        // a plain file of the user's
        let file = case("file");
        fs::write(&file, "my own notes\n").unwrap();
        let why = if folder_kind(cmd.name) {
            "is a file"
        } else {
            "was not written by jeugdflow"
        };
        places.push((file, why));
        if folder_kind(cmd.name) {
            // a folder holding a user's file
            let thesis = case("thesis");
            fs::create_dir(&thesis).unwrap();
            fs::write(thesis.join("chapter1.tex"), "mine").unwrap();
            places.push((thesis, "chapter1.tex"));
        } else {
            places.push((case("folder"), "is a folder"));
            fs::create_dir(case("folder")).unwrap();
        }
        #[cfg(unix)]
        {
            // a link as the place, to a folder or file the user keeps elsewhere
            let link = case("link");
            std::os::unix::fs::symlink(&outside, &link).unwrap();
            places.push((link.clone(), "symbolic link"));
            // a link on the way to the place (issue 28: `--out link/sub` wrote through it)
            places.push((
                link.join("sub"),
                "a symbolic link; jeugdflow never writes through links",
            ));
            if folder_kind(cmd.name) {
                // jeugdflow's own earlier output with a link inside pointing out of it
                let own = case("own");
                let first = commands(dir.path(), &own).remove(k);
                let (code, err) = run(&first);
                assert_eq!(code, Some(0), "{}: {err}", cmd.name);
                std::os::unix::fs::symlink(&outside, own.join("data")).unwrap();
                places.push((
                    own,
                    "'data', which jeugdflow did not write (a symbolic link)",
                ));
            }
        }
        for (place, what) in places {
            let before = snapshot(dir.path());
            let c = commands(dir.path(), &place).remove(k);
            let (code, err) = run(&c);
            assert_eq!(
                code,
                Some(2),
                "{} over {}: {err}",
                cmd.name,
                place.display()
            );
            assert!(
                err.contains(s(&place)),
                "{}: the message names the place: {err}",
                cmd.name
            );
            assert!(
                err.contains(what),
                "{}: the message says what is in the way ({what}): {err}",
                cmd.name
            );
            assert_eq!(
                snapshot(dir.path()),
                before,
                "{} over {} touched something",
                cmd.name,
                place.display()
            );
        }
    }
}

#[test]
fn every_command_replaces_its_own_earlier_output() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    for (k, cmd) in commands(dir.path(), Path::new("x")).iter().enumerate() {
        // missing parent folders are made, for a file as for a folder (issue 28: `compare
        // --html sub/dir/x.html` printed its table, then failed)
        let deep = dir.path().join(format!("{k}-new/sub/dir/out"));
        let (code, err) = run(&commands(dir.path(), &deep).remove(k));
        assert_eq!(code, Some(0), "{} into missing folders: {err}", cmd.name);
        assert!(deep.exists(), "{}", cmd.name);
        let out = dir.path().join(format!("{k}-out"));
        for round in 0..2 {
            let c = commands(dir.path(), &out).remove(k);
            let (code, err) = run(&c);
            assert_eq!(code, Some(0), "{} round {round}: {err}", cmd.name);
        }
    }
    // another kind of jeugdflow output is refused: savings over a run, run over savings,
    // a sweep over a run
    for (cmd, over) in [(3, 0), (0, 3), (2, 0)] {
        let out = dir.path().join(format!("{over}-out"));
        let (code, err) = run(&commands(dir.path(), &out).remove(cmd));
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("holds a jeugdflow"), "{err}");
    }
    // run and budget write the same kind of folder: one replaces the other
    let out = dir.path().join("0-out");
    let (code, err) = run(&commands(dir.path(), &out).remove(1));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.join("budget.csv").exists());
    let (code, _) = run(&commands(dir.path(), &out).remove(0));
    assert_eq!(code, Some(0));
    assert!(!out.join("budget.csv").exists());
}

#[test]
fn an_empty_shard_is_a_valid_mergeable_result() {
    // more shards than the grid's 4 scenarios: shards 5 to 6 hold nothing and still merge
    let dir = tempfile::tempdir().unwrap();
    let grid = data("sweep/grid.toml");
    let mut shards = Vec::new();
    for k in 1..=6 {
        let out = dir.path().join(format!("shard{k}"));
        let o = jeugdflow_ok(&[
            "sweep",
            s(&grid),
            "--quiet",
            "--shard",
            &format!("{k}/6"),
            "--out",
            s(&out),
        ]);
        if k > 4 {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("holds no scenario (the sweep has 4)"), "{err}");
            let m: serde_json::Value =
                serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
            assert_eq!(
                (m["kind"].as_str(), m["shard"].as_str()),
                (Some("sweep"), Some(format!("{k}/6").as_str()))
            );
        }
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|p| s(p)));
    args.extend(["--out", s(&merged)]);
    jeugdflow_ok(&args);
    let single = dir.path().join("single");
    let o = jeugdflow(&["sweep", s(&grid), "--quiet", "--out", s(&single)]);
    assert!(o.status.success());
    for f in ["manifest.json", "sweep.csv", "differences.csv"] {
        assert_eq!(
            fs::read(single.join(f)).unwrap(),
            fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
    // an empty shard of another sweep is refused
    let other = dir.path().join("other");
    let o = jeugdflow(&[
        "sweep",
        s(&data("sweep/two.toml")),
        "--quiet",
        "--shard",
        "3/3",
        "--out",
        s(&other),
    ]);
    assert!(o.status.success());
    let o = jeugdflow(&[
        "merge",
        s(&shards[0]),
        s(&shards[1]),
        s(&shards[2]),
        s(&shards[3]),
        s(&other),
        "--out",
        s(&dir.path().join("mixed")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("only shards of one sweep"));
}

#[test]
fn compare_refuses_two_outputs_in_one_file_before_writing_either() {
    let dir = tempfile::tempdir().unwrap();
    runs(dir.path());
    let (a, b) = (dir.path().join("run-a"), dir.path().join("run-b"));
    let same = dir.path().join("same.out");
    let book = dir.path().join("book.xlsx");
    for (args, names) in [
        (
            vec!["--csv", s(&same), "--html", s(&same)],
            "--csv and --html",
        ),
        // `--csv book.xlsx` would put the CSV where its own workbook goes
        (
            vec!["--csv", s(&book)],
            "--csv and the workbook beside --csv",
        ),
    ] {
        let before = snapshot(dir.path());
        let mut cmd = vec!["compare", s(&a), s(&b)];
        cmd.extend(args);
        let o = jeugdflow(&cmd);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(names) && err.contains("same file"), "{err}");
        assert_eq!(snapshot(dir.path()), before, "nothing written: {err}");
    }
}

#[test]
fn compare_says_a_sweep_folder_is_not_a_run() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    let (run, sweep) = (dir.path().join("run-a"), dir.path().join("shard"));
    let o = jeugdflow(&["compare", s(&run), s(&sweep)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is a sweep folder") && err.contains(s(&sweep)),
        "{err}"
    );
}

/// jeugdflow reads its folders back field by field: a broken manifest, summary or
/// replications file given to `compare` or `merge` is invalid input (exit code 2) named by
/// its file and field, never read as a default.
#[test]
fn a_broken_folder_is_named_by_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    let (a, b) = (dir.path().join("run-a"), dir.path().join("run-b"));
    let manifest = a.join("manifest.json");
    let good = fs::read_to_string(&manifest).unwrap();
    let compare = || jeugdflow(&["compare", s(&a), s(&b)]);
    let cases: [(&str, String, &str); 3] = [
        (
            "seed",
            good.replace("\"seed\": ", "\"seedless\": "),
            "field 'seed': missing",
        ),
        (
            "replications",
            good.replace("\"replications\": 2", "\"replications\": \"two\""),
            "field 'replications': string \"two\"",
        ),
        ("json", good[..good.len() / 2].to_string(), "not JSON"),
    ];
    for (what, text, says) in cases {
        fs::write(&manifest, text).unwrap();
        let o = compare();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(s(&manifest)) && err.contains(says),
            "{what}: {err}"
        );
    }
    fs::write(&manifest, &good).unwrap();
    // an unreadable number in summary.csv is named by line and column
    let summary = b.join("summary.csv");
    let text = fs::read_to_string(&summary).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    cells[5] = "lots".into();
    lines[1] = cells.join(",");
    fs::write(&summary, lines.join("\n") + "\n").unwrap();
    let o = compare();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("summary.csv': line 2, column 'mean'"), "{err}");
    // a shard point whose manifest lost its replications: merge says so (it was 0 once)
    let shard = dir.path().join("shard");
    let point = fs::read_dir(&shard)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("manifest.json").is_file() && p.is_dir())
        .unwrap();
    let pm = point.join("manifest.json");
    let t = fs::read_to_string(&pm).unwrap();
    let start = t.find("\"replications\"").unwrap();
    let end = start + t[start..].find('\n').unwrap() + 1;
    fs::write(&pm, format!("{}{}", &t[..start], &t[end..])).unwrap();
    let out = dir.path().join("merged");
    let o = jeugdflow(&["merge", s(&shard), "--out", s(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(s(&pm)) && err.contains("field 'replications': missing"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}
