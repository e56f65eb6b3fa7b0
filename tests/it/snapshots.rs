//! Snapshots of what a reader of the outputs relies on by name: the header of every CSV
//! file jeugdflow writes (as the commands write them, on small scenarios), and the labels
//! of the report's key numbers and tables, of a comparison's KPIs and of the studio's key
//! numbers, in both languages. A renamed column or label fails here, in one place;
//! `JEUGDFLOW_BLESS=1` rewrites `tests/data/snapshots/*.txt` when the change is meant.

use std::collections::BTreeMap;
use std::path::Path;

use jeugdflow::experiment::{self, Plan};
use jeugdflow::report::html::{Block, run};
use jeugdflow::report::lang::Lang;
use jeugdflow::studio::catalog::key_metrics;
use jeugdflow::sweep::KPIS;

use crate::common::{data, jeugdflow_ok, model, s};

/// Compares `text` with the snapshot `name` (or rewrites it when blessing).
fn snapshot(name: &str, text: &str) {
    let path = data("snapshots").join(name);
    if std::env::var_os("JEUGDFLOW_BLESS").is_some() {
        std::fs::create_dir_all(data("snapshots")).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no snapshot {}; run with JEUGDFLOW_BLESS=1", path.display()));
    assert!(
        want == text,
        "{} changed (JEUGDFLOW_BLESS=1 rewrites it when meant)\n--- snapshot\n{want}--- now\n{text}",
        path.display()
    );
}

/// The first line of every CSV file under `dir`, by file name (a sweep's points share
/// their names: one line each).
fn headers(dir: &Path, out: &mut BTreeMap<String, String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            headers(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let first = text.lines().next().unwrap_or("").to_string();
            if let Some(old) = out.insert(name.clone(), first.clone()) {
                assert_eq!(old, first, "two {name} with different headers");
            }
        }
    }
}

#[test]
fn every_csv_header_is_as_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let t = |n: &str| dir.path().join(n);
    let costs = data("small-costs.toml");
    jeugdflow_ok(&[
        "run",
        s(&costs),
        "--reps",
        "2",
        "--quiet",
        "--out",
        s(&t("run")),
    ]);
    jeugdflow_ok(&[
        "budget",
        s(&costs),
        "--reps",
        "16",
        "--confidence",
        "0.8",
        "--quiet",
        "--out",
        s(&t("budget")),
    ]);
    jeugdflow_ok(&[
        "savings",
        s(&data("small-costs-more-crisis.toml")),
        "--baseline",
        s(&costs),
        "--reps",
        "2",
        "--quiet",
        "--out",
        s(&t("savings")),
    ]);
    let sweep = t("sweep");
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/two.toml")),
        "--reps",
        "2",
        "--quiet",
        "--out",
        s(&sweep),
    ]);
    jeugdflow_ok(&[
        "compare",
        s(&sweep.join("small")),
        s(&sweep.join("mmc")),
        "--csv",
        s(&t("compare.csv")),
    ]);
    let table = data("region/three.csv");
    let three = t("three.toml");
    jeugdflow_ok(&["init", s(&table), "--name", "three", "--out", s(&three)]);
    // calibrate's exit code says whether the table is met; its file is written either way
    crate::common::jeugdflow(&[
        "calibrate",
        s(&three),
        "--against",
        s(&table),
        "--reps",
        "2",
        "--quiet",
        "--out",
        s(&t("calibration")),
    ]);
    let mut all = BTreeMap::new();
    headers(dir.path(), &mut all);
    for want in [
        "summary.csv",
        "timeseries.csv",
        "costs.csv",
        "schedule_events.csv",
        "replications.csv",
        "paths.csv",
        "savings.csv",
        "budget.csv",
        "capacity.csv",
        "sweep.csv",
        "differences.csv",
        "compare.csv",
        "calibration.csv",
    ] {
        assert!(
            all.contains_key(want),
            "{want} was not written: {:?}",
            all.keys()
        );
    }
    let text: String = all.iter().map(|(n, h)| format!("{n}: {h}\n")).collect();
    snapshot("csv-headers.txt", &text);
}

#[test]
fn report_comparison_and_studio_labels_are_as_pinned() {
    let m = model("small-costs.toml");
    let plan = Plan {
        replications: 2,
        seed: 1,
        threads: Some(1),
    };
    let res = experiment::run(&m, plan, &|_| {}).unwrap();
    let mut text = String::new();
    for lang in [Lang::Nl, Lang::En] {
        text.push_str(&format!("== {lang:?}\n"));
        for k in run::key_numbers(&m, &res, lang) {
            text.push_str(&format!("key number: {}\n", k.label));
        }
        let page = run::page(&m, &res, 2, 1, &[], lang);
        for b in page.sections.iter().flat_map(|s| &s.blocks) {
            if let Block::Table(t) = b {
                text.push_str(&format!("table: {}\n", t.header.join(" | ")));
            }
        }
        for k in KPIS {
            text.push_str(&format!("kpi {}: {}\n", k.name(), lang.kpi_label(k)));
        }
        for m in key_metrics() {
            text.push_str(&format!("studio {}: {}\n", m.name(), lang.metric_label(m)));
        }
    }
    snapshot("labels.txt", &text);
}
