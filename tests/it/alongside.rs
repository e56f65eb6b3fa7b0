//! Care alongside (`alongside = { service, p }`) as users run it: off (absent or p = 0) the
//! outputs are byte for byte those of the scenario without the key; on, the manifest's
//! tally counts the episodes alongside as entries of their own and balances.

use std::fs;

use crate::common::{data, jeugdflow_ok, s};

/// `tests/data/small.toml` with `line` added to its residential group.
fn small_with(line: &str) -> String {
    let text = fs::read_to_string(data("small.toml")).unwrap();
    let at = "id = \"residential\"\n";
    assert!(text.contains(at));
    text.replacen(at, &format!("{at}{line}\n"), 1)
}

/// Runs `text` (as `name.toml` in `dir`) with 3 replications and returns its output folder.
fn run(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let file = dir.join(format!("{name}.toml"));
    fs::write(&file, text).unwrap();
    let out = dir.join(name);
    jeugdflow_ok(&["run", s(&file), "--reps", "3", "--out", s(&out), "--quiet"]);
    out
}

fn manifest_youths(out: &std::path::Path) -> serde_json::Value {
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    m["youths"].clone()
}

#[test]
fn care_alongside_at_zero_changes_no_byte_and_on_it_balances() {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::read_to_string(data("small.toml")).unwrap();
    let without = run(dir.path(), "without", &base);
    let zero = run(
        dir.path(),
        "zero",
        &small_with("alongside = { service = \"ambulant\", p = 0.0 }"),
    );
    let mut compared = 0;
    for entry in fs::read_dir(&without).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "csv") {
            let name = path.file_name().unwrap();
            assert_eq!(
                fs::read(&path).unwrap(),
                fs::read(zero.join(name)).unwrap(),
                "{name:?} differs at p = 0"
            );
            compared += 1;
        }
    }
    assert!(compared >= 5, "{compared} CSV files compared");
    assert_eq!(manifest_youths(&without), manifest_youths(&zero));
    assert!(manifest_youths(&without).get("alongside").is_none());

    let on = run(
        dir.path(),
        "on",
        &small_with("alongside = { service = \"ambulant\", p = 0.5 }"),
    );
    let youths = manifest_youths(&on);
    assert!(
        youths["alongside"].as_u64().is_some_and(|n| n > 0),
        "{youths}"
    );
    assert_eq!(youths["balanced_in_every_replication"], true, "{youths}");
    assert_ne!(
        fs::read(without.join("summary.csv")).unwrap(),
        fs::read(on.join("summary.csv")).unwrap()
    );
}
