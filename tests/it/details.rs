//! The smaller things a careful user notices.

use std::fs;
use std::path::Path;

use crate::common::{data, jeugdflow, jeugdflow_ok, s};

fn help(cmd: &str) -> String {
    String::from_utf8_lossy(&jeugdflow(&[cmd, "--help"]).stdout).into_owned()
}

#[test]
fn each_commands_help_says_what_it_does() {
    let savings = help("savings");
    assert!(
        savings.contains("overrides the baseline's `replications`"),
        "{savings}"
    );
    assert!(
        savings.contains("overrides the baseline's `seed`"),
        "{savings}"
    );
    assert!(savings.contains("default: output/savings"), "{savings}");
    for cmd in ["run", "budget"] {
        let h = help(cmd);
        assert!(!h.contains("savings"), "{cmd}: {h}");
        assert!(h.contains("default: output/<scenario name>"), "{cmd}: {h}");
    }
}

#[test]
fn validate_dry_runs_a_sweep_file_and_counts_in_words() {
    let o = jeugdflow(&[
        "validate",
        s(&data("sweep/grid.toml")),
        s(&data("mm1.toml")),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("(sweep grid: 4 scenarios, each valid)"),
        "{out}"
    );
    assert!(out.contains(", 1 inflow, "), "{out}");
    // a bad value of a sweep is found without running, at its line in the sweep file
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.toml");
    fs::write(
        &f,
        format!(
            "[sweep]\nbase = \"{}\"\n[[sweep.axis]]\npath = \"service.residential.capacity\"\nvalues = [30, -4]\n",
            s(&data("small.toml"))
        ),
    )
    .unwrap();
    let o = jeugdflow(&["validate", s(&f)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("{}:5:", s(&f))), "{err}");
}

#[test]
fn the_phased_strategy_says_when_it_changes_onderwijs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let src = jeugdflow::scenario::Source::read(&root.join("fasering-gefaseerd.toml")).unwrap();
    let m = jeugdflow::scenario::load(&src).unwrap();
    let g = m.segments.iter().position(|x| x == "onderwijs").unwrap();
    let t = m
        .transitions
        .iter()
        .find(|t| t.segment.0 as usize == g)
        .unwrap();
    let (a, b) = (
        m.timeline.date_of(t.from).year(),
        m.timeline.date_of(t.to - 1.0).year(),
    );
    let said = if a == b {
        format!("onderwijs {a}")
    } else {
        format!("onderwijs {a}–{b}")
    };
    assert!(m.description.contains(&said), "{said}: {}", m.description);
}

#[test]
fn the_scenarios_readme_lists_every_shipped_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    for e in fs::read_dir(&root).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            assert!(readme.contains(&format!("`{name}`")), "{name}");
        }
    }
}

#[test]
fn compares_terminal_table_is_narrow_and_rounds_counts() {
    // it was over 200 columns for a handful of runs, with counts to four decimals
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sw");
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/grid.toml")),
        "--quiet",
        "--out",
        s(&out),
    ]);
    let dirs: Vec<String> = (1..=4)
        .map(|k| s(&out.join(format!("small-{k}"))).to_string())
        .collect();
    let mut args = vec!["compare"];
    args.extend(dirs.iter().map(String::as_str));
    let o = jeugdflow(&args);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("services"))
        .collect();
    for l in &table {
        assert!(
            l.chars().count() <= 120,
            "{} columns: {l}",
            l.chars().count()
        );
    }
    // named in words with their unit; days of 100 or more whole, shares in %, euros in € M
    let ooh = table
        .iter()
        .find(|l| l.starts_with("out-of-home days"))
        .unwrap();
    assert!(
        ooh["out-of-home days".len()..]
            .split_whitespace()
            .all(|x| !x.contains('.')),
        "{ooh}"
    );
    let share = table
        .iter()
        .find(|l| l.starts_with("over the norm (% of admissions)"))
        .unwrap();
    assert!(share.trim_end().ends_with('%'), "{share}");
    assert!(table.iter().all(|l| !l.contains("over_norm_share")));
}

/// The names of the runs in the terminal's header line of `compare`, in its order.
fn terminal_order(text: &str) -> Vec<String> {
    text.lines()
        .find(|l| l.trim_start().starts_with("small-"))
        .unwrap()
        .split_whitespace()
        .filter(|w| w.starts_with("small-"))
        .map(str::to_string)
        .collect()
}

#[test]
fn compares_html_names_the_kpis_and_ranks_as_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sw");
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/grid.toml")),
        "--quiet",
        "--out",
        s(&out),
    ]);
    // given worst first: small-4 and small-2 wait longer than small-3 and small-1
    let dirs: Vec<String> = [4, 2, 3, 1]
        .iter()
        .map(|k| s(&out.join(format!("small-{k}"))).to_string())
        .collect();
    let html = dir.path().join("c.html");
    let mut args = vec!["compare"];
    args.extend(dirs.iter().map(String::as_str));
    args.extend(["--html", s(&html)]);
    let o = jeugdflow(&args);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let terminal = terminal_order(&text);
    let page = fs::read_to_string(&html).unwrap();
    let at = |n: &str| page.find(&format!(". {n}<")).unwrap_or(usize::MAX);
    assert!(terminal.iter().all(|n| at(n) < usize::MAX), "{terminal:?}");
    let mut in_page = terminal.clone();
    in_page.sort_by_key(|n| at(n));
    assert_eq!(in_page, terminal, "the page's order");
    assert_eq!(terminal[0], "small-3", "{text}");
    // ranked rows, one reference: the first folder given is the baseline on the page too
    assert!(page.contains("1. small-4<"), "numbered in the order given");
    assert!(
        page.contains("gem. wachttijd (dagen)") && page.contains("tijd tot zorg, gem. (dagen)"),
        "{page}"
    );
}
