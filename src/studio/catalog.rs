//! What the start page lists: the scenario files of the scenarios folder and the built-in
//! default, each with its description and horizon, whether the studio may change it in
//! place (its own roads), and its last run wherever it ran — on its own, in a comparison
//! or in a sweep —, whether that run still matches the file and the files it extends,
//! and its key numbers.

use std::path::Path;
use std::time::SystemTime;

use super::editor::Base;
use super::messages as m;
use super::outputs::{self, LastRun, OutKind, Output};
use super::problems;
use super::roads;
use crate::measure::Metric;
use crate::report::folder;
use crate::report::lang::Lang;
use crate::report::manifest::{Manifest, sha256_hex};
use crate::scenario::{self, Source, chain};

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
    /// Why it does not validate: the first problem `validate` finds, in the page's language.
    pub problem: Option<String>,
    /// A road the studio saved (and nobody changed since): it may be changed in place.
    pub own: bool,
    pub results: Results,
}

/// The last run of a scenario.
#[derive(Clone, Debug)]
pub struct Ran {
    /// Key numbers (metric, mean), in the table's order.
    pub numbers: Vec<(Metric, f64)>,
    /// Made from the file as it is now, and the files it extends as they are now.
    pub current: bool,
    /// When (local time).
    pub when: String,
    /// The comparison or sweep it ran in, if any (its folder).
    pub within: Option<(OutKind, String)>,
    /// Its report.
    pub report: Option<String>,
}

/// What the output folder holds for a scenario.
#[derive(Clone, Debug, Default)]
pub enum Results {
    #[default]
    None,
    /// Its last run.
    Ran(Ran),
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
pub fn list(scenarios: &Path, out: &Path, lang: Lang) -> Vec<Entry> {
    let outputs = outputs::list(out, lang);
    let mut list = vec![entry(Base::Builtin, Source::builtin(), out, &outputs, lang)];
    for f in roads::scenario_files(scenarios) {
        let base = Base::File(f.clone());
        match Source::read(&scenarios.join(&f)) {
            Ok(src) => list.push(entry(base, src, out, &outputs, lang)),
            Err(e) => list.push(Entry {
                base,
                file: f,
                name: None,
                description: String::new(),
                horizon: None,
                replications: 0,
                problem: Some(problems::scenario_error(lang, &e)),
                own: false,
                results: Results::None,
            }),
        }
    }
    list
}

fn entry(base: Base, src: Source, out: &Path, outputs: &[Output], lang: Lang) -> Entry {
    let file = match &base {
        Base::Builtin => src.name.clone(),
        Base::File(f) => f.clone(),
    };
    let builtin = base == Base::Builtin;
    let own = roads::is_own(&src.text);
    match scenario::load(&src) {
        Ok(m) => {
            let tl = &m.timeline;
            let results = outputs::last_run(outputs, out, &m.name).map_or(Results::None, |last| {
                results(out, &last, &src, builtin, lang)
            });
            Entry {
                results,
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
                own,
            }
        }
        Err(e) => Entry {
            base,
            file,
            name: None,
            description: String::new(),
            horizon: None,
            replications: 0,
            problem: Some(problems::scenario_error(lang, &e)),
            own,
            results: Results::None,
        },
    }
}

/// The newest change of the files of `src`'s chain of `extends` (none for the built-in).
fn chain_changed(src: &Source) -> Option<SystemTime> {
    let chain = chain::load_chain(src).ok()?;
    chain
        .files()
        .filter_map(|f| std::fs::metadata(&f.name).and_then(|m| m.modified()).ok())
        .max()
}

/// What the run `last` of scenario `src` (the built-in default when `builtin`) holds:
/// nothing when it holds the results of the other of the two that share a name and so a
/// folder (the default and a file of its name: the manifest's `scenario_file` says whose
/// they are); its key numbers, and whether they are still current — made from this text,
/// and no file of the chain changed after it.
fn results(out: &Path, last: &LastRun, src: &Source, builtin: bool, lang: Lang) -> Results {
    let read = || -> Result<(Manifest, Vec<(Metric, f64)>), folder::ReadError> {
        let manifest = folder::read_run_manifest(&last.dir)?;
        Ok((manifest, key_numbers(&last.dir)?))
    };
    match read() {
        Ok((m, _)) if (m.scenario_file == scenario::DEFAULT_SCENARIO_NAME) != builtin => {
            Results::None
        }
        Ok((m, numbers)) => {
            let same_text = m.scenario_sha256 == sha256_hex(src.text.as_bytes());
            let newer = chain_changed(src).is_some_and(|c| last.time.is_none_or(|t| c > t));
            Results::Ran(Ran {
                numbers,
                current: same_text && !newer,
                when: last.time.map(outputs::local).unwrap_or_default(),
                within: last.within.clone(),
                report: outputs::report_of(out, &last.dir),
            })
        }
        Err(e) => Results::Unreadable(m::unreadable(lang, &e)),
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
        let list = list(Path::new("scenarios"), out.path(), Lang::Nl);
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
        m.scenario = "x".into();
        m.scenario_sha256 = sha256_hex(b"text");
        std::fs::write(d.join("manifest.json"), m.to_json().unwrap()).unwrap();
        std::fs::write(
            d.join("summary.csv"),
            "scenario,segment,service,metric,period,mean,ci_low,ci_high,p05,p50,p95,reps\n\
             x,all,all,waiting_end,total,12.5,,,,,,3\n\
             x,all,all,wait_days_mean,total,30,,,,,,3\nx,all,all,wait_days_mean,2024,31,,,,,,3\n",
        )
        .unwrap();
        let outs = outputs::list(out.path(), Lang::En);
        let last = outputs::last_run(&outs, out.path(), "x").unwrap();
        let src = |t: &str| Source {
            name: "(nowhere)".into(),
            text: t.into(),
        };
        let Results::Ran(r) = results(out.path(), &last, &src("text"), false, Lang::En) else {
            panic!("ran")
        };
        assert!(r.current);
        assert_eq!(
            r.numbers,
            [(Metric::WaitingEnd, 12.5), (Metric::WaitDaysMean, 30.0)]
        );
        let Results::Ran(r) = results(out.path(), &last, &src("changed"), false, Lang::En) else {
            panic!("ran")
        };
        assert!(!r.current);
        // the built-in default of the same name does not take a file's results for its own
        assert!(matches!(
            results(out.path(), &last, &src("text"), true, Lang::En),
            Results::None
        ));
        // a folder of jeugdflow's that does not read back says why
        std::fs::write(d.join("summary.csv"), "x\n").unwrap();
        let Results::Unreadable(why) = results(out.path(), &last, &src("text"), false, Lang::En)
        else {
            panic!("unreadable")
        };
        assert!(
            why.contains("summary.csv") && why.contains("line 1"),
            "{why}"
        );
        // and on a Dutch page in Dutch, naming the file
        let Results::Unreadable(why) = results(out.path(), &last, &src("text"), false, Lang::Nl)
        else {
            panic!("unreadable")
        };
        assert!(
            why.ends_with(
                "/summary.csv’ is niet te lezen: beschadigd, of geschreven door een \
                           andere versie van jeugdflow. Draai opnieuw om het te vervangen."
            ),
            "{why}"
        );
    }
}
