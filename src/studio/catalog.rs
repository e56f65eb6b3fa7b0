//! What the start page lists: the scenario files of the scenarios folder and the built-in
//! default, each with its description and horizon, whether its results are in the output
//! folder (and still match the file), and its key numbers when they are.

use std::path::Path;

use super::editor::Base;
use crate::report::manifest::sha256_hex;
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
    Current(Vec<(String, f64)>),
    /// Results of an earlier version of the file.
    Stale(Vec<(String, f64)>),
}

/// The metrics the start page shows (system, whole horizon).
pub const KEY_METRICS: [&str; 4] = [
    "wait_days_mean",
    "over_norm_share",
    "waiting_end",
    "out_of_home_days",
];

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
    match scenario::load(&src) {
        Ok(m) => {
            let tl = &m.timeline;
            Entry {
                results: results(&out.join(&m.name), &src.text),
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

/// What run folder `dir` holds for a scenario of text `text`.
fn results(dir: &Path, text: &str) -> Results {
    let Some(manifest) = std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .filter(|m| m["tool"] == "jeugdflow" && m["scenario_sha256"].is_string())
    else {
        return Results::None;
    };
    let numbers = key_numbers(dir);
    if manifest["scenario_sha256"] == sha256_hex(text.as_bytes()).as_str() {
        Results::Current(numbers)
    } else {
        Results::Stale(numbers)
    }
}

/// The [`KEY_METRICS`] of a run folder's `summary.csv` (system level, whole horizon).
pub fn key_numbers(dir: &Path) -> Vec<(String, f64)> {
    let Ok(mut r) = csv::Reader::from_path(dir.join("summary.csv")) else {
        return Vec::new();
    };
    let Ok(h) = r.headers().cloned() else {
        return Vec::new();
    };
    let col = |n: &str| h.iter().position(|x| x == n);
    let (Some(seg), Some(svc), Some(met), Some(per), Some(mean)) = (
        col("segment"),
        col("service"),
        col("metric"),
        col("period"),
        col("mean"),
    ) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for rec in r.records().map_while(Result::ok) {
        let m = rec.get(met).unwrap_or("");
        if rec.get(seg) == Some("all")
            && rec.get(svc) == Some("all")
            && rec.get(per) == Some("total")
            && KEY_METRICS.contains(&m)
            && let Some(v) = rec.get(mean).and_then(|v| v.parse::<f64>().ok())
        {
            found.push((m.to_string(), v));
        }
    }
    found.sort_by_key(|(m, _)| KEY_METRICS.iter().position(|k| k == m));
    found
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
        let sha = sha256_hex(b"text");
        std::fs::write(
            d.join("manifest.json"),
            format!(r#"{{"tool": "jeugdflow", "scenario_sha256": "{sha}"}}"#),
        )
        .unwrap();
        std::fs::write(
            d.join("summary.csv"),
            "scenario,segment,service,metric,period,mean\nx,all,all,waiting_end,total,12.5\n\
             x,all,all,wait_days_mean,total,30\nx,all,all,wait_days_mean,2024,31\n",
        )
        .unwrap();
        let Results::Current(n) = results(&d, "text") else {
            panic!("current")
        };
        assert_eq!(
            n,
            [
                ("wait_days_mean".to_string(), 30.0),
                ("waiting_end".to_string(), 12.5)
            ]
        );
        assert!(matches!(results(&d, "changed"), Results::Stale(_)));
    }
}
