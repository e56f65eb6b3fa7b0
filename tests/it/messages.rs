//! Issue 28, items 3, 4 and 6: every wrong input named in words, each case a command line
//! with the message it must give (exit code 2, nothing written) — a file of the wrong kind
//! pointed to the command that reads it, command-line numbers, dates and shares read as a
//! Dutch user writes them or refused with an example, one run folder given twice to
//! `compare`, and the built-in default told apart from a file of the same name.
//!
//! The scenario and region-table cases are in `tests/data/invalid/` (`misspelt_id.toml`)
//! and `tests/data/region/bad/` with their snapshots; the output places in `output.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

/// Runs `args`, asserts exit code 2 and that stderr holds every one of `want`; returns
/// stderr.
fn refused(args: &[&str], want: &[&str]) -> String {
    let o = jeugdflow(args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
    for w in want {
        assert!(stderr.contains(w), "{args:?}: expected {w:?} in\n{stderr}");
    }
    for parser in [
        "invalid digit",
        "failed to parse",
        "key with no value",
        "expected `sweep`",
        "is not UTF-8",
        "tip: to pass",
        "panicked",
    ] {
        assert!(
            !stderr.contains(parser),
            "{args:?}: a parser's words: {stderr}"
        );
    }
    stderr
}

fn root(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A region table, a workbook or a sweep given where a scenario is expected, and a
/// scenario where a sweep or a table is: each named for what it is, with the command that
/// reads it (before issue 28: "key with no value, expected `=`", "byte 0x86 is not UTF-8",
/// "sweep: unknown key `finance`, expected `sweep`").
#[test]
fn a_file_of_the_wrong_kind_is_named_with_the_command_that_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = root("scenarios/groningen.csv");
    let toml = root("scenarios/groningen.toml");
    let sweep = root("scenarios/sweeps/strategies.toml");
    let xlsx = dir.path().join("lekstroom.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "service").unwrap();
    wb.save(&xlsx).unwrap();
    // a table under a name that does not say so
    let renamed = dir.path().join("table.toml");
    fs::copy(data("region/three.csv"), &renamed).unwrap();
    let out = dir.path().join("out");
    let table =
        "this is a region table (CSV), not a scenario: make a scenario of it with `jeugdflow init";
    for args in [
        vec!["run", s(&csv), "--quiet", "--out", s(&out)],
        vec!["validate", s(&csv)],
        vec!["run", s(&renamed), "--quiet", "--out", s(&out)],
        vec!["calibrate", s(&csv), "--against", s(&csv), "--out", s(&out)],
    ] {
        refused(&args, &[table]);
    }
    refused(
        &["run", s(&xlsx), "--quiet", "--out", s(&out)],
        &[
            "lekstroom.xlsx: this is a workbook, not a scenario (a TOML text file): if it holds a \
             region table, one row per service, make a scenario of it with `jeugdflow init",
        ],
    );
    refused(
        &["sweep", s(&toml), "--quiet", "--out", s(&out)],
        &[
            "groningen.toml: this is a scenario file (it has [scenario]), not a sweep: run it \
             with `jeugdflow run",
            "a sweep file has a [sweep] table naming its scenarios, e.g. base = \"groningen.toml\"",
        ],
    );
    refused(
        &["run", s(&sweep), "--quiet", "--out", s(&out)],
        &[
            "strategies.toml: this is a sweep file (it has [sweep]), not a scenario: run it with \
           `jeugdflow sweep",
        ],
    );
    for args in [
        vec!["init", s(&toml), "--out", s(&dir.path().join("x.toml"))],
        vec![
            "calibrate",
            s(&toml),
            "--against",
            s(&toml),
            "--out",
            s(&out),
        ],
    ] {
        refused(
            &args,
            &[
                "this is a scenario or sweep file (TOML), not a region table: run a scenario with \
               `jeugdflow run FILE`",
            ],
        );
    }
    assert!(!out.exists() && !dir.path().join("x.toml").exists());
}

/// A misspelt id in a file that extends the default: "did you mean", and the file's other
/// problems listed with it (before: only "service: missing key `segment`").
#[test]
fn a_misspelt_id_is_named_with_every_other_problem_of_the_file() {
    let stderr = refused(
        &["validate", s(&data("invalid/misspelt_id.toml"))],
        &[
            "3 problems in the scenario",
            "misspelt_id.toml:11:6: service.id: \"residentiel\" is not a service of \
             scenarios/groningen.toml (built in), which this file extends, so this [[service]] \
             adds a new one, which needs segment, setting and los too; did you mean \
             \"residentieel\"?",
            "misspelt_id.toml:8:16: scenario.replications: must be a whole number from 1 to \
             1,000,000, got \"ten\"",
            "misspelt_id.toml:16:12: service 'crisis'.capacity: capacity must be a whole number \
             of places from 0 to 10,000,000, got -5",
        ],
    );
    assert!(!stderr.contains("missing key `segment`"), "{stderr}");
    // serde's first error no longer hides the others: a wrong type, an unknown key and a
    // validation problem, each at its line
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("three.toml");
    fs::write(
        &f,
        "[scenario]\nname = \"x\"\nextends = \"builtin:groningen\"\nbogus = 1\n\n\
         [[service]]\nid = \"crisis\"\nhold_until_next = \"yes\"\ncapacity = -1\n",
    )
    .unwrap();
    refused(
        &["validate", s(&f)],
        &[
            "3 problems in the scenario",
            "three.toml:4:1: scenario.bogus: unknown key `bogus`",
            "three.toml:8:19:",
            "three.toml:9:12: service 'crisis'.capacity",
        ],
    );
}

/// Command-line numbers, dates and shares: refused in words with an example (before:
/// "invalid digit found in string", "use '-- -5'", "failed to parse four digit integer as
/// year", `--tolerance 5%` refused).
#[test]
fn command_line_values_are_refused_with_an_example() {
    let small = s(&data("small.toml")).to_string();
    let three = s(&data("region/three.csv")).to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = s(&dir.path().join("out")).to_string();
    for (args, want) in [
        (
            vec!["run", &small, "--reps", "-5", "--out", &out],
            "\"-5\" is negative: --reps takes a whole number from 1 to 1,000,000, e.g. --reps 200",
        ),
        (
            vec!["run", &small, "--reps", "1e3x", "--out", &out],
            "\"1e3x\" is not a number: --reps takes a whole number from 1 to 1,000,000, e.g. \
             --reps 200 (thousands may be written 1.000 or 1,000)",
        ),
        (
            vec!["run", &small, "--reps", "2,5", "--out", &out],
            "\"2,5\" is not a whole number",
        ),
        (
            vec!["sweep", &small, "--threads", "0", "--out", &out],
            "0 is less than 1: --threads takes a whole number from 1 to 1,024",
        ),
        (
            vec!["init", &three, "--start", "31-02-2025", "--out", &out],
            "\"31-02-2025\": month 2 of 2025 has no day 31; write a date as 2025-01-01 or as \
             day-month-year, 1-1-2025 or 01-01-2025",
        ),
        (
            vec!["init", &three, "--end", "1-1-30", "--out", &out],
            "\"1-1-30\" has no year of four digits",
        ),
        (
            vec!["calibrate", &small, "--against", &three, "--tolerance", "5"],
            "\"5\" is not a share: for 5% write --tolerance 5% (or 0.05)",
        ),
        (
            vec!["budget", &small, "--confidence", "nine", "--out", &out],
            "--confidence takes a share more than 0 and less than 1, e.g. --confidence 0.9, \
             --confidence 0,9 or --confidence 90%",
        ),
    ] {
        refused(&args, &[want]);
    }
    assert!(!dir.path().join("out").exists());
}

/// The same values as a Dutch user writes them are read: `--reps 1e1` is 10,
/// `--start 1-1-2024` and `01-01-2024` are 2024-01-01, `--tolerance 5%` is 0.05.
#[test]
fn command_line_values_are_read_as_a_dutch_user_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    jeugdflow_ok(&[
        "run",
        s(&data("small.toml")),
        "--reps",
        "1e1",
        "--quiet",
        "--out",
        s(&out),
    ]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["replications"], 10);
    let three = data("region/three.csv");
    let mut written = Vec::new();
    for (k, start) in ["2024-01-01", "1-1-2024", "01-01-2024", "1/1/2024"]
        .iter()
        .enumerate()
    {
        let f = dir.path().join(format!("t{k}.toml"));
        jeugdflow_ok(&[
            "init",
            s(&three),
            "--name",
            "t",
            "--start",
            start,
            "--end",
            "31-12-2026",
            "--out",
            s(&f),
        ]);
        written.push(fs::read_to_string(&f).unwrap());
    }
    assert!(written[0].contains("end = 2026-12-31"), "{}", written[0]);
    assert!(written.windows(2).all(|w| w[0] == w[1]));
    let scenario = dir.path().join("t0.toml");
    let cal = dir.path().join("cal");
    let o = jeugdflow(&[
        "calibrate",
        s(&scenario),
        "--against",
        s(&three),
        "--tolerance",
        "5%",
        "--quiet",
        "--out",
        s(&cal),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{o:?}");
    assert!(stdout.contains("tolerance ±5%"), "{stdout}");
}

/// Two runs of the small scenario: `a` (2 replications) and `b` (3), in `dir`.
fn two_runs(dir: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (dir.join("a"), dir.join("b"));
    for (out, reps) in [(&a, "2"), (&b, "3")] {
        jeugdflow_ok(&[
            "run",
            s(&data("small.toml")),
            "--quiet",
            "--reps",
            reps,
            "--out",
            s(out),
        ]);
    }
    (a, b)
}

/// `compare A A` compared a run with itself; `merge` refused the same (issue 28).
#[test]
fn compare_refuses_one_folder_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_runs(dir.path());
    let csv = dir.path().join("c.csv");
    refused(
        &["compare", s(&a), s(&b), s(&a), "--csv", s(&csv)],
        &[&format!(
            "'{}' is given twice: give each run folder once",
            a.display()
        )],
    );
    let again = a.join("..").join("a");
    refused(
        &["compare", s(&a), s(&again)],
        &[&format!(
            "'{}' and '{}' are the same folder: give each run folder once",
            a.display(),
            again.display()
        )],
    );
    assert!(!csv.exists());
}

/// The built-in default and `scenarios/groningen.toml` are both named "groningen":
/// `compare` tells their runs apart by where they came from (issue 28: "groningen" twice).
#[test]
fn compare_tells_the_built_in_default_from_a_file_of_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let (builtin, file) = (dir.path().join("builtin"), dir.path().join("file"));
    let toml = root("scenarios/groningen.toml");
    let fast = ["--reps", "2", "--quiet"];
    let mut args = vec!["run", "builtin:groningen", "--out", s(&builtin)];
    args.extend(fast);
    jeugdflow_ok(&args);
    let mut args = vec!["run", s(&toml), "--out", s(&file)];
    args.extend(fast);
    jeugdflow_ok(&args);
    let csv = dir.path().join("c.csv");
    let o = jeugdflow_ok(&["compare", s(&builtin), s(&file), "--csv", s(&csv)]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    // the terminal names both runs, told apart (in its title and its columns)
    assert!(
        stdout.contains("groningen (built in)")
            && stdout.contains(&format!("groningen ({})", toml.display())),
        "{stdout}"
    );
    let table = fs::read_to_string(&csv).unwrap();
    assert!(table.contains("groningen (built in)"), "{table}");
}
