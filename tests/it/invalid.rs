//! Every invalid scenario in `tests/data/invalid/` is rejected with exit code 2, a
//! message naming file, line, column and field, and nothing written.
//!
//! Each file's first line says which field the message must name and what it must say.
//! The whole message is also pinned in `NAME.stderr` next to it; run the tests with
//! `JEUGDFLOW_BLESS=1` to rewrite those snapshots after a deliberate wording change.

use std::fs;
use std::process::Command;

use crate::common::{check_stderr_snapshot, data};

fn expectation(text: &str) -> (String, String) {
    let first = text.lines().next().unwrap_or("");
    let rest = first
        .strip_prefix("# Invalid: the validator must name `")
        .expect("first line states the expectation");
    let (field, msg) = rest.split_once("` and say: ").expect("field and message");
    (field.to_string(), msg.to_string())
}

#[test]
fn every_invalid_scenario_is_rejected_with_its_place_and_field() {
    let dir = data("invalid");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "expected the invalid cases, found {}",
        files.len()
    );
    let bless = std::env::var_os("JEUGDFLOW_BLESS").is_some();
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        // lossy: one case is a file that is not UTF-8
        let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
        let (field, msg) = expectation(&text);
        let out = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
            .current_dir(&dir)
            .args(["validate", &name])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let code = out.status.code();
        // `FILE:LINE:COL:` — the scenario itself, or a file it extends
        let located = stderr.lines().any(|l| {
            let l = l.trim_start();
            l.split_once(".toml").is_some_and(|(_, rest)| {
                let rest = rest.trim_start_matches(" (built in)");
                let mut parts = rest.splitn(4, ':');
                let _ = parts.next();
                let line = parts.next().and_then(|x| x.parse::<usize>().ok());
                let col = parts.next().and_then(|x| x.parse::<usize>().ok());
                line.is_some_and(|l| l > 1) && col.is_some()
            })
        });
        if code != Some(2) {
            failures.push(format!("{name}: exit code {code:?}, expected 2\n{stderr}"));
        } else if !located {
            failures.push(format!("{name}: no 'FILE:LINE:COL' in\n{stderr}"));
        } else if !stderr.contains(&field) || !stderr.contains(&msg) {
            failures.push(format!(
                "{name}: expected field `{field}` and \"{msg}\" in\n{stderr}"
            ));
        } else if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
            failures.push(format!("{name}: panicked\n{stderr}"));
        }
        check_stderr_snapshot(&path, &name, &stderr, bless, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_invalid_scenario_writes_nothing_when_run() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("result");
    let st = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .args(["run", "--quiet", "--out"])
        .arg(&target)
        .arg(data("invalid/next_sum.toml"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(!target.exists());
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = "[scenario]\nname = \"two\"\nstart = 2024-01-01\nend = 2024-12-31\nreplications = 0\n\n[[inflow]]\nto = \"a\"\nper_year = 10\n\n[[service]]\nid = \"a\"\nsegment = \"x\"\nsetting = \"ambulant\"\nlos = { dist = \"exponential\", mean = -1 }\n";
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("two.toml");
    fs::write(&f, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .arg("validate")
        .arg(&f)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("2 problems"), "{stderr}");
    assert!(stderr.contains("two.toml:5:"), "{stderr}");
    assert!(stderr.contains("two.toml:15:"), "{stderr}");
}

/// A scenario is read through a cap (16 MiB): `/dev/zero` as the file or as what it
/// extends is refused at once, exit 2, instead of filling memory.
#[cfg(unix)]
#[test]
fn an_endless_file_is_refused_at_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let child = dir.path().join("child.toml");
    fs::write(
        &child,
        "# extends an endless file\n[scenario]\nextends = \"/dev/zero\"\n",
    )
    .unwrap();
    for (file, place) in [
        (
            child.as_path(),
            "child.toml:3:11: scenario.extends: cannot read \"/dev/zero\"",
        ),
        (std::path::Path::new("/dev/zero"), "'/dev/zero'"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
            .arg("validate")
            .arg(file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(place), "{stderr}");
        assert!(
            stderr.contains("file is larger than 16 MiB; a scenario is a text file of a few kB"),
            "{stderr}"
        );
    }
}

/// A region table too is read through a cap (64 MiB).
#[cfg(unix)]
#[test]
fn an_endless_region_table_is_refused_at_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("zero.csv");
    std::os::unix::fs::symlink("/dev/zero", &table).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .arg("init")
        .arg(&table)
        .arg("--out")
        .arg(dir.path().join("zero.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("file is larger than 64 MiB"), "{stderr}");
    assert!(!dir.path().join("zero.toml").exists());
}
