//! What the start page lists: the scenario files of the scenarios folder and the built-in
//! default, each with its description and horizon, whether its results are in the output
//! folder (and still match the file), and its key numbers when they are.

use std::path::Path;

use super::editor::Base;
use crate::measure::Metric;
use crate::report::folder;
use crate::report::manifest::{Manifest, sha256_hex};
use crate::scenario::{self, Source};

/// One scenario on the start page.
#[derive(Clone, Debug)]
pub struct Entry {
    pub base: Base,
    /// The file name (or the built-in default's name).
    pub file: String,
    /// The scenario's name (its output folder), when it validates.
    pub name: Option<String>,
    pub description: String,
    /// First and last simulated day.
    pub horizon: Option<(String, String)>,
    /// The scenario's own replications.
    pub replications: u32,
    /// Why it does not validate (the first lines of `validate`'s message).
    pub problem: Option<String>,
    pub results: Results,
}

/// What the output folder holds for a scenario.
#[derive(Clone, Debug, Default)]
pub enum Results {
    #[default]
    None,
    /// Results of this file as it is now, with their key numbers (metric, mean).
    Current(Vec<(Metric, f64)>),
    /// Results of an earlier version of the file.
    Stale(Vec<(Metric, f64)>),
    /// A jeugdflow folder whose files do not read back: why (file and field).
    Unreadable(String),
}

/// The metrics the start page shows (system, whole horizon): those the table of measures
/// marks as key numbers, in its order.
pub fn key_metrics() -> impl Iterator<Item = Metric> {
    Metric::ALL.into_iter().filter(|m| m.measure().key_number)
}

/// The scenarios of the folder `scenarios` (its `*.toml` files, by name) after the built-in
/// default, with what the folder `out` holds for each.
pub fn list(scenarios: &Path, out: &Path) -> Vec<Entry> {
    let mut files: Vec<String> = std::fs::read_dir(scenarios)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out_list = vec![entry(Base::Builtin, Source::builtin(), out)];
    for f in files {
        let base = Base::File(f.clone());
        match Source::read(&scenarios.join(&f)) {
            Ok(src) => out_list.push(entry(base, src, out)),
            Err(e) => out_list.push(Entry {
                base,
                file: f,
                name: None,
                description: String::new(),
                horizon: None,
                replications: 0,
                problem: Some(e.to_string()),
                results: Results::None,
            }),
        }
    }
    out_list
}

fn entry(base: Base, src: Source, out: &Path) -> Entry {
    let file = match &base {
        Base::Builtin => src.name.clone(),
        Base::File(f) => f.clone(),
    };
    let builtin = base == Base::Builtin;
    match scenario::load(&src) {
        Ok(m) => {
            let tl = &m.timeline;
            Entry {
                results: results(&out.join(&m.name), &src.text, builtin),
                base,
                file,
                name: Some(m.name.clone()),
                description: m.description.clone(),
                horizon: Some((
                    tl.start_date.to_string(),
                    tl.date_of(tl.horizon - 1.0).to_string(),
                )),
                replications: m.replications,
                problem: None,
            }
        }
        Err(e) => Entry {
            base,
            file,
            name: None,
            description: String::new(),
            horizon: None,
            replications: 0,
            problem: Some(e.to_string().lines().take(4).collect::<Vec<_>>().join("\n")),
            results: Results::None,
        },
    }
}

/// What run folder `dir` holds for a scenario of text `text`, the built-in default when
/// `builtin`: nothing when there is no jeugdflow folder, or when it holds the results of
/// the other of the two that share a name and so a folder (the default and a file of its
/// name: the manifest's `scenario_file` says whose they are); its key numbers, current or
/// stale; or why it cannot be read.
fn results(dir: &Path, text: &str, builtin: bool) -> Results {
    if !folder::read_stamp(dir).is_ok_and(|s| s.is_jeugdflow()) {
        return Results::None;
    }
    let read = || -> Result<(Manifest, Vec<(Metric, f64)>), folder::ReadError> {
        let manifest = folder::read_run_manifest(dir)?;
        Ok((manifest, key_numbers(dir)?))
    };
    match read() {
        Ok((m, _)) if (m.scenario_file == scenario::DEFAULT_SCENARIO_NAME) != builtin => {
            Results::None
        }
        Ok((m, numbers)) if m.scenario_sha256 == sha256_hex(text.as_bytes()) => {
            Results::Current(numbers)
        }
        Ok((_, numbers)) => Results::Stale(numbers),
        Err(e) => Results::Unreadable(e.to_string()),
    }
}

/// The [`key_metrics`] of a run folder's `summary.csv` (the region, whole horizon), in the
/// table's order.
pub fn key_numbers(dir: &Path) -> Result<Vec<(Metric, f64)>, folder::ReadError> {
    let file = dir.join("summary.csv");
    let rows = folder::summary(&folder::read(&file)?, &file)?;
    Ok(folder::region_totals(&rows, |m| m.measure().key_number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_scenarios_are_listed_after_the_default() {
        let out = tempfile::tempdir().unwrap();
        let list = list(Path::new("scenarios"), out.path());
        assert_eq!(list[0].base, Base::Builtin);
        assert_eq!(list[0].name.as_deref(), Some("groningen"));
        assert_eq!(
            list[0].horizon,
            Some(("2024-01-01".into(), "2030-12-31".into()))
        );
        assert!(list.iter().any(|e| e.file == "fasering-big-bang.toml"));
        assert!(list.iter().all(|e| matches!(e.results, Results::None)));
    }

    #[test]
    fn results_are_current_or_stale() {
        let out = tempfile::tempdir().unwrap();
        let d = out.path().join("x");
        std::fs::create_dir(&d).unwrap();
        let mut m = Manifest::example(1, 3);
        m.scenario_sha256 = sha256_hex(b"text");
        std::fs::write(d.join("manifest.json"), m.to_json().unwrap()).unwrap();
        std::fs::write(
            d.join("summary.csv"),
            "scenario,segment,service,metric,period,mean,ci_low,ci_high,p05,p50,p95,reps\n\
             x,all,all,waiting_end,total,12.5,,,,,,3\n\
             x,all,all,wait_days_mean,total,30,,,,,,3\nx,all,all,wait_days_mean,2024,31,,,,,,3\n",
        )
        .unwrap();
        let Results::Current(n) = results(&d, "text", false) else {
            panic!("current")
        };
        assert_eq!(
            n,
            [(Metric::WaitingEnd, 12.5), (Metric::WaitDaysMean, 30.0)]
        );
        assert!(matches!(results(&d, "changed", false), Results::Stale(_)));
        // the built-in default of the same name does not take a file's results for its own
        assert!(matches!(results(&d, "text", true), Results::None));
        // a folder of jeugdflow's that does not read back says why
        std::fs::write(d.join("summary.csv"), "x\n").unwrap();
        let Results::Unreadable(why) = results(&d, "text", false) else {
            panic!("unreadable")
        };
        assert!(
            why.contains("summary.csv") && why.contains("line 1"),
            "{why}"
        );
    }
}
