//! The files of a run folder, as bytes: `summary.csv`, `timeseries.csv`,
//! `schedule_events.csv`, `replications.csv`, `costs.csv`, `paths.csv` (what a comparison
//! of strategies draws over time), `manifest.json`, any extra tables (a budget's),
//! `report.html` and the charts in `plots/` — or, for a lean sweep point
//! ([`Keep::Lean`]), only what a researcher and a comparison read: `summary.csv`,
//! `replications.csv`, `costs.csv`, `paths.csv` and `manifest.json`, with the time series
//! compressed as `timeseries.csv.gz` only when asked ([`Extras::timeseries`]).
//!
//! Every front end that runs a scenario (the `run`, `sweep` and `budget` commands, a future
//! studio) builds its folder here, so they all write exactly the same bytes; the caller only
//! decides where, and writes them with [`super::output::write_atomically`].

use super::html;
use super::lang::Lang;
use super::manifest::Manifest;
use super::plots::{self, PlotError, figure::Sheet};
use super::{csv_out, finance_csv};
use crate::experiment::{Plan, Results};
use crate::finance::{Budget, CapacityNeed};
use crate::model::Model;
use crate::scenario::Source;
use crate::sweep::Member;

/// A finished run, as its folder needs it.
#[derive(Clone, Copy, Debug)]
pub struct Run<'a> {
    pub model: &'a Model,
    /// The scenario file's name (for the manifest; `(built in)` for the default).
    pub source_name: &'a str,
    /// The scenario file's text (its hash goes into the manifest).
    pub source_text: &'a str,
    /// The plan the run was made with: replications, seed, threads.
    pub plan: Plan,
    pub results: &'a Results,
    /// Wall-clock seconds the run took.
    pub wall_seconds: f64,
}

impl<'a> Run<'a> {
    /// The run of `model`, read from `source`, made with `plan`: the one way every front
    /// end (`run`, `sweep`, `budget`, the studio) describes a finished run to its folder.
    pub fn new(
        model: &'a Model,
        source: &'a Source,
        plan: Plan,
        results: &'a Results,
        wall_seconds: f64,
    ) -> Run<'a> {
        Run {
            model,
            source_name: &source.name,
            source_text: &source.text,
            plan,
            results,
            wall_seconds,
        }
    }
}

/// Which files a run folder keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Keep {
    /// Every file: the tables, `schedule_events.csv`, the charts and `report.html`.
    #[default]
    All,
    /// What a sweep's comparison and a researcher read: `summary.csv`, `replications.csv`,
    /// `costs.csv`, `paths.csv` and `manifest.json`; the time series only when the sweep
    /// asks for it (`timeseries = true`), compressed; no charts, no page.
    Lean,
}

/// What a run folder holds beyond the run's own files.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Language of the charts and `report.html`.
    pub lang: Lang,
    /// Which files to keep.
    pub keep: Keep,
    /// Whether a lean folder keeps the time series, compressed as `timeseries.csv.gz` (a
    /// sweep's `timeseries = true`); a full folder always has `timeseries.csv`.
    pub timeseries: bool,
    /// For a sweep point: what determines its results (`sweep_key`, checked by
    /// `--resume`) and its sweep entry, both recorded in `manifest.json`.
    pub sweep: Option<(String, Member)>,
    /// Charts after the run's own (the budget's), named.
    pub sheets: Vec<(String, Sheet)>,
    /// Files after `manifest.json` (the budget's tables), named.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Extras {
    /// Nothing beyond the run's own files, every file kept, charts and page in `lang`.
    pub fn new(lang: Lang) -> Extras {
        Extras {
            lang,
            ..Extras::default()
        }
    }

    /// A sweep's point: `keep` and `timeseries` decide its files, and `key` and `member`
    /// go into its manifest.
    pub fn sweep_point(
        lang: Lang,
        keep: Keep,
        timeseries: bool,
        key: String,
        member: Member,
    ) -> Extras {
        Extras {
            lang,
            keep,
            timeseries,
            sweep: Some((key, member)),
            ..Extras::default()
        }
    }
}

/// Why a run folder's files could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RunFolderError {
    #[error("cannot start the threads that draw the charts")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    #[error(transparent)]
    Plot(#[from] PlotError),
    #[error("cannot write manifest.json")]
    Manifest(#[source] serde_json::Error),
    #[error("cannot compress timeseries.csv")]
    Compress(#[source] std::io::Error),
}

/// `bytes` compressed with gzip (deterministic: no name, no time in the header).
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)?;
    e.finish()
}

/// The files (name, bytes) of a run's folder, in a fixed order; names of charts start with
/// `plots/`. Charts are drawn in parallel while the tables are formatted, on one thread
/// more than the run was given.
pub fn files(run: &Run, extras: Extras) -> Result<Vec<(String, Vec<u8>)>, RunFolderError> {
    let Run {
        model,
        plan,
        results,
        ..
    } = *run;
    let lean = extras.keep == Keep::Lean;
    let series = match (lean, extras.timeseries) {
        (false, _) => Series::Csv,
        (true, true) => Series::Gzip,
        (true, false) => Series::Left,
    };
    let mut sheets = if lean {
        Vec::new()
    } else {
        plots::run::run_sheets(model, results, extras.lang)
    };
    sheets.extend(extras.sheets);
    // the charts are drawn while the tables are formatted, on one thread more than the run
    // was given: on a one-replication run the second core would otherwise sit idle
    let (tables, charts) = match plan.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            // one thread per chart at most: more would only wait
            .num_threads(t.min(sheets.len().max(1)) + 1)
            .build()
            .map_err(RunFolderError::Threads)?
            .install(|| {
                rayon::join(
                    || tables(model, results, series),
                    || plots::render_all(&sheets),
                )
            }),
        None => rayon::join(
            || tables(model, results, series),
            || plots::render_all(&sheets),
        ),
    };
    let charts = charts?;
    let mut files = tables?;
    let threads = plan.threads.unwrap_or_else(rayon::current_num_threads);
    let mut manifest = Manifest::new(
        model,
        run.source_name,
        run.source_text,
        plan.seed,
        threads,
        results,
        run.wall_seconds,
    );
    if let Some((key, member)) = extras.sweep {
        manifest.sweep_key = Some(key);
        manifest.sweep = Some(serde_json::to_value(member).map_err(RunFolderError::Manifest)?);
    }
    let at_manifest = files.len();
    files.extend(extras.files);
    if !lean {
        let page = html::run::page(
            model,
            results,
            plan.replications,
            plan.seed,
            &charts,
            extras.lang,
        );
        files.push(("report.html".into(), html::render(&page).into_bytes()));
    }
    files.extend(plots::files(&charts));
    // the manifest lists every file of the folder, itself included
    let mut names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    names.insert(at_manifest, "manifest.json".into());
    manifest.files = names;
    let json = manifest.to_json().map_err(RunFolderError::Manifest)?;
    files.insert(at_manifest, ("manifest.json".into(), json));
    Ok(files)
}

/// How a run folder keeps the time series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Series {
    /// `timeseries.csv`, with `schedule_events.csv` after it (a full folder).
    Csv,
    /// `timeseries.csv.gz` (a lean folder that asks for it).
    Gzip,
    /// Neither (a lean folder).
    Left,
}

/// The run's tables, in folder order: `summary.csv`, the time series as `series` says,
/// `schedule_events.csv` (in a full folder), `replications.csv`, `costs.csv` and
/// `paths.csv`.
fn tables(
    model: &Model,
    results: &Results,
    series: Series,
) -> Result<Vec<(String, Vec<u8>)>, RunFolderError> {
    let mut files: Vec<(String, Vec<u8>)> =
        vec![("summary.csv".into(), csv_out::summary_csv(model, results))];
    match series {
        Series::Csv => {
            files.push((
                "timeseries.csv".into(),
                csv_out::timeseries_csv(model, results),
            ));
            files.push((
                "schedule_events.csv".into(),
                csv_out::schedule_events_csv(model, results),
            ));
        }
        Series::Gzip => {
            let gz =
                gzip(&csv_out::timeseries_csv(model, results)).map_err(RunFolderError::Compress)?;
            files.push(("timeseries.csv.gz".into(), gz));
        }
        Series::Left => {}
    }
    files.push((
        "replications.csv".into(),
        csv_out::replications_csv(model, results),
    ));
    files.push(("costs.csv".into(), csv_out::costs_csv(model, results)));
    files.push(("paths.csv".into(), super::paths::paths_csv(model, results)));
    Ok(files)
}

/// What `budget` adds to a run folder: `budget.csv`, `capacity.csv`, `budget.xlsx` (those
/// two tables and `costs.csv`, for finance staff) and the chart of the budget against the
/// P×Q cost.
pub fn budget_extras(
    run: &Run,
    confidence: f64,
    budgets: &[Budget],
    target: f64,
    needs: &[CapacityNeed],
    lang: Lang,
) -> Result<Extras, super::xlsx::XlsxFileError> {
    let model = run.model;
    let budget = finance_csv::budget_csv(model, confidence, budgets);
    let capacity = finance_csv::capacity_csv(model, target, needs);
    let overrun = finance_csv::overrun_csv(
        model,
        &crate::finance::overruns(model, run.results, budgets),
    );
    let costs = csv_out::costs_csv(model, run.results);
    let info = vec![
        ("scenario".to_string(), model.name.clone()),
        ("scenario file".to_string(), run.source_name.to_string()),
        ("seed".to_string(), run.plan.seed.to_string()),
        (
            "replications".to_string(),
            run.plan.replications.to_string(),
        ),
        ("confidence".to_string(), format!("{confidence}")),
        ("wait norm share".to_string(), format!("{target}")),
        (
            "made with".to_string(),
            format!("jeugdflow {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    let xlsx = finance_csv::budget_xlsx(&info, &budget, &capacity, &overrun, &costs, lang)?;
    Ok(Extras {
        lang,
        keep: Keep::All,
        timeseries: false,
        sweep: None,
        sheets: vec![(
            "budget-vs-pxq".into(),
            plots::run::budget_vs_pxq(model, run.results, budgets, lang),
        )],
        files: vec![
            ("budget.csv".into(), budget),
            ("capacity.csv".into(), capacity),
            ("overrun.csv".into(), overrun),
            ("budget.xlsx".into(), xlsx),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment;
    use crate::scenario::{self, Source};

    #[test]
    fn a_run_folder_has_the_contracted_files_in_order() {
        let src = Source {
            name: "f.toml".into(),
            text: "[scenario]\nname = \"f\"\nstart = 2024-01-01\nend = 2024-12-31\n\
                   [[inflow]]\nto = \"a\"\nper_year = 100\n\
                   [[service]]\nid = \"a\"\nsegment = \"x\"\nsetting = \"ambulant\"\n\
                   capacity = 20\nlos = { dist = \"exponential\", mean = 30 }\n\
                   tariff = { per_day = 50.0 }\n"
                .into(),
        };
        let model = scenario::load(&src).unwrap();
        let plan = Plan {
            replications: 1,
            seed: 1,
            threads: Some(1),
        };
        let results = experiment::run(&model, plan, &|_| {}).unwrap();
        let run = Run::new(&model, &src, plan, &results, 0.5);
        let member = Member {
            sweep: "s".into(),
            sweep_id: "id".into(),
            index: 1,
            points: 2,
            axes: vec!["a.b".into()],
            values: vec!["3".into()],
            road: None,
            future: None,
        };
        let mut extras = Extras::sweep_point(Lang::Nl, Keep::All, false, "key".into(), member);
        extras.files = vec![("extra.csv".into(), b"x\n".to_vec())];
        let files = files(&run, extras).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names[..9],
            [
                "summary.csv",
                "timeseries.csv",
                "schedule_events.csv",
                "replications.csv",
                "costs.csv",
                "paths.csv",
                "manifest.json",
                "extra.csv",
                "report.html"
            ]
        );
        assert!(names[9..].iter().all(|n| n.starts_with("plots/")));
        assert!(names.contains(&"plots/cost-per-year.svg"), "{names:?}");
        let manifest: serde_json::Value = serde_json::from_slice(&files[6].1).unwrap();
        assert_eq!(manifest["sweep_key"], "key");
        assert_eq!(manifest["sweep"]["index"], 1);
        assert_eq!(manifest["wall_seconds"], 0.5);
    }
}
