//! `jeugdflow init` and `jeugdflow calibrate` as a region's analyst runs them: a table
//! solved by hand, the scenario it renders reproducing the table when run, xlsx and CSV
//! giving the same scenario, and every bad table in `tests/data/region/bad/` refused with
//! exit code 2, its places named and nothing written.
//!
//! Each bad table starts with `# Expect: …` lines, each a fragment its message must hold;
//! the whole message is pinned in `NAME.stderr` beside it (`JEUGDFLOW_BLESS=1` rewrites
//! those snapshots after a deliberate wording change).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{check_stderr_snapshot, data, jeugdflow, s};

/// The scenario `init` writes for `table` (into `dir`), with its exit code checked.
pub(crate) fn init(table: &Path, dir: &Path, name: &str) -> String {
    let out = dir.join(format!("{name}.toml"));
    let o = jeugdflow(&[
        "init",
        s(table),
        "--name",
        name,
        "--start",
        "2024-01-01",
        "--out",
        s(&out),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    fs::read_to_string(&out).expect("init wrote the scenario")
}

/// The `[[service]]` (or `[[inflow]]`, by `to`) table of `id` in a scenario's text.
pub(crate) fn entry<'a>(doc: &'a toml::Table, array: &str, key: &str, id: &str) -> &'a toml::Table {
    doc[array]
        .as_array()
        .expect("an array of tables")
        .iter()
        .filter_map(|v| v.as_table())
        .find(|t| t[key].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no {array} with {key} = {id}"))
}

pub(crate) fn num(v: &toml::Value) -> f64 {
    v.as_float()
        .or_else(|| v.as_integer().map(|i| i as f64))
        .expect("a number")
}

/// `tests/data/region/three.csv`, worked by hand (the figures are ten times those of the
/// solver's unit test, and run through the binary):
///
/// - a: 3,000 clients, stay 73.05 days = 0.2 year → λ = 3,000 / 1.2 = 2,500; L = 500;
///   capacity ⌈500 / 0.8⌉ = 625; tariff €18,300,000 / (500 × 366) = €100 a day
/// - b: 3,300 clients, stay 1 year → λ = 1,650; L = 1,650; capacity ⌈1,650 / 0.75⌉ = 2,200
/// - c: 1,260 clients, stay 0.5 year → λ = 840; L = 420; no capacity (no occupancy)
///
/// transfers in: a 0.2 × 1,650 = 330, b 0.4 × 2,500 = 1,000, c 0.5 × 1,650 = 825; so the
/// external inflows are 2,170, 650 and 15 a year.
#[test]
fn three_services_solve_as_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let text = init(&data("region/three.csv"), dir.path(), "three");
    let doc: toml::Table = text.parse().expect("init writes TOML");
    for (id, inflow, initial, capacity) in [
        ("a", 2170.0, 500.0, Some(625.0)),
        ("b", 650.0, 1650.0, Some(2200.0)),
        ("c", 15.0, 420.0, None),
    ] {
        let i = entry(&doc, "inflow", "to", id);
        assert!((num(&i["per_year"]) - inflow).abs() < 1e-9, "{id}: {i:?}");
        let sv = entry(&doc, "service", "id", id);
        assert_eq!(num(&sv["initial"]), initial, "{id}");
        assert_eq!(sv.get("capacity").map(num), capacity, "{id}");
    }
    let a = entry(&doc, "service", "id", "a");
    assert_eq!(num(&a["tariff"]["per_day"]), 100.0);
    assert!(entry(&doc, "service", "id", "b").get("tariff").is_none());
    // each derivation beside its number
    assert!(
        text.contains("# a: λ 2,500.0 − 330.0 transferred in = 2,170.0 a year"),
        "{text}"
    );
    assert!(text.contains("⌈500.0 / 0.8⌉"), "{text}");
    let v = jeugdflow(&["validate", s(&dir.path().join("three.toml"))]);
    assert_eq!(v.status.code(), Some(0), "{v:?}");
}

/// Reads `calibration.csv` into (service, segment, measure, target, simulated).
pub(crate) fn calibration_rows(path: &Path) -> Vec<(String, String, String, f64, f64)> {
    let text = fs::read_to_string(path).expect("calibration.csv written");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("service,segment,measure,target,simulated,ci_low,ci_high,diff_pct")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 8, "{l}");
            (
                f[0].into(),
                f[1].into(),
                f[2].into(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_rendered_scenario_reproduces_the_table_within_5_percent() {
    let dir = tempfile::tempdir().unwrap();
    let table = data("region/three.csv");
    init(&table, dir.path(), "three");
    let scenario = dir.path().join("three.toml");
    let out = dir.path().join("cal");
    let o = jeugdflow(&[
        "calibrate",
        s(&scenario),
        "--against",
        s(&table),
        "--quiet",
        "--out",
        s(&out),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{o:?}");
    let rows = calibration_rows(&out.join("calibration.csv"));
    // per service: clients, spend (a only), occupancy (a, b); per segment: clients
    let measures: Vec<(&str, &str)> = rows.iter().map(|r| (r.0.as_str(), r.2.as_str())).collect();
    assert_eq!(
        measures,
        [
            ("a", "clients"),
            ("a", "spend"),
            ("a", "occupancy"),
            ("b", "clients"),
            ("b", "occupancy"),
            ("all", "clients"),
            ("c", "clients"),
            ("all", "clients"),
        ]
    );
    for (service, segment, measure, target, simulated) in &rows {
        let diff = (simulated - target) / target;
        assert!(
            diff.abs() <= 0.05,
            "{service} {segment} {measure}: {simulated} against {target}"
        );
    }
    assert_eq!(rows[0].3, 3000.0);
    assert_eq!(rows[1].3, 18_300_000.0);
}

#[test]
fn calibrate_exits_1_when_a_figure_is_off_and_never_replaces_a_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    init(&data("region/three.csv"), dir.path(), "three");
    let scenario = dir.path().join("three.toml");
    // the same services with a's clients 20% higher than the scenario was made for
    let text = fs::read_to_string(data("region/three.csv")).unwrap();
    let off = dir.path().join("off.csv");
    fs::write(
        &off,
        text.replace(
            "a,Ambulant A,s,ambulant,3000",
            "a,Ambulant A,s,ambulant,3600",
        ),
    )
    .unwrap();
    let out = dir.path().join("cal");
    let args = |t: &Path, tol: &'static str| {
        jeugdflow(&[
            "calibrate",
            s(&scenario),
            "--against",
            s(t),
            "--quiet",
            "--out",
            s(&out),
            "--tolerance",
            tol,
        ])
    };
    let o = args(&off, "0.05");
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("a ") && l.contains("clients"))
        .expect("a's clients in the table");
    assert!(line.ends_with("OFF"), "{line}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("differ from the table by more than ±5%"),
        "{o:?}"
    );
    // the file is written all the same, and the next run replaces it
    let rows = calibration_rows(&out.join("calibration.csv"));
    assert_eq!(rows[0].3, 3600.0);
    // a wider tolerance accepts it (a's clients are about 2,950 of 3,600: -18%)
    assert_eq!(args(&off, "0.25").status.code(), Some(0));
    // a calibration.csv the user wrote is never replaced
    fs::write(out.join("calibration.csv"), "my notes\n").unwrap();
    let o = args(&data("region/three.csv"), "0.05");
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("was not written by jeugdflow"),
        "{o:?}"
    );
    assert_eq!(
        fs::read_to_string(out.join("calibration.csv")).unwrap(),
        "my notes\n"
    );
    // a table whose services are not the scenario's is refused before running
    let other = dir.path().join("other.csv");
    fs::write(
        &other,
        text.replace("\nc,Care C,t", "\nd,Care D,t")
            .replace("c:0.5", "d:0.5"),
    )
    .unwrap();
    let o = args(&other, "0.05");
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("service \"d\" (table row 4) is not in the scenario"),
        "{o:?}"
    );
}

#[test]
fn init_never_overwrites_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mine.toml");
    fs::write(&out, "# my scenario\n").unwrap();
    let o = jeugdflow(&["init", s(&data("region/three.csv")), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("already exists"),
        "{o:?}"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "# my scenario\n");
}

/// Writes the CSV `table` as an .xlsx workbook, numbers as numbers (as a spreadsheet
/// holds them) and comment lines left out.
fn to_xlsx(table: &Path, xlsx: &Path) {
    let text = fs::read_to_string(table).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (r, line) in text.lines().filter(|l| !l.starts_with('#')).enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(x) => sheet.write_number(r, c, x).map(|_| ()),
                Err(_) if cell.is_empty() => Ok(()),
                Err(_) => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    wb.save(xlsx).unwrap();
}

#[test]
fn xlsx_gives_the_same_scenario_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = data("region/three.csv");
    let xlsx = dir.path().join("three.xlsx");
    to_xlsx(&csv, &xlsx);
    let from_csv = init(&csv, dir.path(), "from-csv");
    let from_xlsx = init(&xlsx, dir.path(), "from-xlsx");
    // only the name and the table's file name may differ
    let same = |t: &str| {
        t.replace("three.xlsx", "three.csv")
            .replace("from-xlsx", "from-csv")
    };
    assert_eq!(same(&from_xlsx), from_csv);
    // a bad cell in a workbook is named by row and column letter too
    let bad = dir.path().join("bad.csv");
    let text = fs::read_to_string(&csv)
        .unwrap()
        .replace(",3300,", ",many,");
    fs::write(&bad, text).unwrap();
    let bad_xlsx = dir.path().join("bad.xlsx");
    to_xlsx(&bad, &bad_xlsx);
    let o = jeugdflow(&["init", s(&bad_xlsx), "--out", s(&dir.path().join("x.toml"))]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("row 3, column E (clients_per_year): \"many\" is not a number"),
        "{stderr}"
    );
    assert!(!dir.path().join("x.toml").exists());
}

#[test]
fn every_bad_table_is_refused_with_its_places_and_nothing_written() {
    let dir = data("region/bad");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "found {}", files.len());
    let bless = std::env::var_os("JEUGDFLOW_BLESS").is_some();
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# Expect: "))
            .collect();
        assert!(!expected.is_empty(), "{name} states what it expects");
        let out = tmp.path().join("x.toml");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
            .current_dir(&dir)
            .args(["init", &name, "--out", s(&out)])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).to_string();
        if o.status.code() != Some(2) {
            failures.push(format!("{name}: exit {:?}, expected 2\n{stderr}", o.status));
        }
        if out.exists() || fs::read_dir(tmp.path()).unwrap().next().is_some() {
            failures.push(format!("{name}: something was written"));
        }
        for e in &expected {
            if !stderr.contains(&format!("{name}: ")) || !stderr.contains(e) {
                failures.push(format!("{name}: expected \"{e}\" in\n{stderr}"));
            }
        }
        if stderr.contains("panicked") {
            failures.push(format!("{name}: panicked\n{stderr}"));
        }
        check_stderr_snapshot(&path, &name, &stderr, bless, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `tests/data/region/waits.csv`: a starts with 100 waiting (its wait derived by Little's
/// law on the list: 100 / (2,500 / 365.25) = 14.6 days), b with a 60-day mean wait (its
/// list 1,600 / 365.25 × 60 = 263). Both are full from the start, so the lists and waits
/// persist through the year instead of melting away.
#[test]
fn a_starting_waiting_list_persists_through_the_calibration_year() {
    let dir = tempfile::tempdir().unwrap();
    let table = data("region/waits.csv");
    let text = init(&table, dir.path(), "waits");
    assert!(
        text.contains("queue = { norm = 28, waiting = 100, waited = 14.6 }"),
        "{text}"
    );
    assert!(
        text.contains("queue = { waiting = 263, waited = 60.0 }"),
        "{text}"
    );
    assert!(text.contains("capacity = 500 "), "{text}");
    let out = dir.path().join("cal");
    let o = jeugdflow(&[
        "calibrate",
        s(&dir.path().join("waits.toml")),
        "--against",
        s(&table),
        "--quiet",
        "--reps",
        "40",
        "--out",
        s(&out),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let rows = calibration_rows(&out.join("calibration.csv"));
    let find = |svc: &str, m: &str| {
        rows.iter()
            .find(|r| r.0 == svc && r.2 == m)
            .unwrap_or_else(|| panic!("{svc} {m} in {rows:?}"))
    };
    assert_eq!(find("a", "waiting_list").3, 100.0);
    assert_eq!(find("b", "mean_wait_days").3, 60.0);
    // the occupancy is not a target where the list sets the capacity
    assert!(rows.iter().all(|r| r.2 != "occupancy"), "{rows:?}");
    // the segment's clients count the moves still waiting on 1 January as new
    assert!((find("all", "clients").3 - 4355.0).abs() < 1.0, "{rows:?}");
}

/// A run's 2024 `clients` and `cost` per segment, from its `summary.csv`.
fn segment_2024(summary: &Path) -> Vec<(String, String, f64)> {
    let text = fs::read_to_string(summary).expect("summary.csv written");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let wanted = f[2] == "all" && f[1] != "all" && f[4] == "2024";
            (wanted && (f[3] == "clients" || f[3] == "cost"))
                .then(|| (f[1].to_string(), f[3].to_string(), f[5].parse().unwrap()))
        })
        .collect()
}

/// `scenarios/groningen.csv` is the table behind the default: `init` on it gives a
/// scenario whose first simulated year has the default's own clients and spend in every
/// calibrated segment within ±2% (40 replications of one year each; bovenregionaal, 87
/// youths, within ±5%: one replication's count varies by about 8%).
#[test]
fn groningen_csv_rebuilds_the_default_within_2_percent() {
    let dir = tempfile::tempdir().unwrap();
    let table = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/groningen.csv");
    let out = dir.path().join("init.toml");
    let o = jeugdflow(&[
        "init",
        s(&table),
        "--start",
        "2024-01-01",
        "--end",
        "2024-12-31",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let default = dir.path().join("default.toml");
    fs::write(
        &default,
        "[scenario]\nname = \"default\"\nextends = \"builtin:groningen\"\nend = 2024-12-31\n",
    )
    .unwrap();
    let mut runs = Vec::new();
    for (scenario, folder) in [(&out, "init"), (&default, "default")] {
        let folder = dir.path().join(folder);
        let o = jeugdflow(&[
            "run",
            s(scenario),
            "--reps",
            "40",
            "--quiet",
            "--out",
            s(&folder),
        ]);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        runs.push(segment_2024(&folder.join("summary.csv")));
    }
    let (init, default) = (&runs[0], &runs[1]);
    // the table's spend is of 2023, at 2023 prices, and so are init's tariffs; the
    // default's are 2023 prices indexed into 2024: compare its cost at 2023 prices
    let builtin = jeugdflow::scenario::load(&jeugdflow::scenario::Source::builtin()).unwrap();
    let to_2024 = jeugdflow::finance::pricing::index(&builtin.finance, 183.0);
    let default: Vec<(String, String, f64)> = default
        .iter()
        .map(|(seg, m, v)| {
            let v = if m == "cost" { v / to_2024 } else { *v };
            (seg.clone(), m.clone(), v)
        })
        .collect();
    let default = &default;
    assert_eq!(
        default.len(),
        12,
        "six segments × clients, cost: {default:?}"
    );
    for (segment, metric, want) in default {
        let got = init
            .iter()
            .find(|r| &r.0 == segment && &r.1 == metric)
            .unwrap_or_else(|| panic!("{segment} {metric} in {init:?}"))
            .2;
        let tolerance = if segment == "bovenregionaal" {
            0.05
        } else {
            0.02
        };
        assert!(
            (got / want - 1.0).abs() <= tolerance,
            "{segment} {metric}: init's scenario {got:.0}, the default {want:.0}"
        );
    }
}
