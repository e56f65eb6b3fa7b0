//! The studio's two kinds of job. A *run* runs one scenario file exactly as `jeugdflow
//! run` does and writes `<out>/<scenario name>/` with the same bytes. A *comparison* runs
//! the baseline and 1–11 strategies with the baseline's seed and replications (common
//! random numbers) — as written, or each in every chosen future of the futures folder
//! (`<road>.<future>`, as a sweep with `futures` runs them) — and writes one folder: each
//! run's folder inside it, and beside them the comparison's files from
//! [`crate::report::comparison::files_in`] (the same as a sweep's, with futures its
//! `robustness.csv`) and its manifest (kind `comparison`, its files listed). Both are checked before they
//! are queued, so a bad request is answered at once, in the page's language; both claim
//! their folder by the output rule ([`crate::report::output::claim`]): only a new place or
//! jeugdflow's own output of the same kind is replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use axum::http::StatusCode;
use serde_json::Value as Json;

use super::Config;
use super::editor::cells;
use super::editor::{Base, scenario_file};
use super::jobs::{Job, Outcome, Progress};
use super::messages::{self as m, NumError};
use super::outputs::{OutKind, out_link};
use super::problems;
use super::safety::{Refusal, check_name, said};
use crate::experiment::{self, Plan};
use crate::model::Model;
use crate::report::comparison::{self, Compared, INPUTS, Place};
use crate::report::lang::Lang;
use crate::report::manifest::{ComparisonManifest, json_bytes};
use crate::report::output::{self, Claim, ClaimError, Kind};
use crate::report::run_folder::{self, Extras, Run};
use crate::scenario::{self, Source};
use crate::sweep::Future;

/// A scenario loaded for a job.
pub struct Loaded {
    pub source: Source,
    pub model: Model,
}

/// Loads scenario `base` of the folder `scenarios`; a scenario with problems is refused
/// (400), as is one whose name cannot name an output folder.
pub fn load(scenarios: &Path, base: &Base, lang: Lang) -> Result<Loaded, Refusal> {
    let source = base.source(scenarios)?;
    let model = scenario::load(&source).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            m::scenario_invalid(lang, base.key(), &problems::scenario_error(lang, &e)),
        )
    })?;
    check_name(&model.name).map_err(|_| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            m::scenario_name_unusable(lang, base.key(), &model.name),
        )
    })?;
    Ok(Loaded { source, model })
}

/// The replications a request asks for, read strictly (`2.5`, `0`, `-1`, text and an
/// empty field are refused, on the field `reps`); none asked: the scenario's own.
pub fn replications(
    config: &Config,
    asked: Option<&Json>,
    model: &Model,
    lang: Lang,
) -> Result<u32, Refusal> {
    let spec = m::NumSpec {
        what: m::What::Replications,
        whole: true,
        min: 1.0,
        above_min: false,
        max: f64::from(config.max_replications),
        below_max: false,
        example: "50",
    };
    let (typed, read) = match asked {
        None | Some(Json::Null) => {
            let n = model.replications;
            (n.to_string(), cells::number(&n.to_string(), &spec))
        }
        Some(Json::Number(n)) => (
            n.to_string(),
            match n.as_f64() {
                Some(x) => cells::number(&format!("{x}"), &spec),
                None => Err(NumError::NotANumber),
            },
        ),
        Some(Json::String(t)) => (t.clone(), cells::number(t, &spec)),
        Some(other) => (other.to_string(), Err(NumError::NotANumber)),
    };
    read.map(|x| x as u32).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            m::replications(lang, &typed, &e, config.max_replications),
        )
        .on("reps")
    })
}

fn internal(lang: Lang, e: impl std::fmt::Display) -> Refusal {
    Refusal::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        m::internal(lang, &e.to_string()),
    )
}

/// Runs `loaded` with `plan` and returns its folder's files, as `jeugdflow run` makes them.
fn run_files(
    loaded: &Loaded,
    plan: Plan,
    lang: Lang,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<(String, Vec<u8>)>, Refusal> {
    let started = Instant::now();
    let results = experiment::run(&loaded.model, plan, progress).map_err(|e| internal(lang, e))?;
    let wall = started.elapsed().as_secs_f64();
    let run = Run::new(&loaded.model, &loaded.source, plan, &results, wall);
    run_folder::files(&run, Extras::new(lang)).map_err(|e| internal(lang, e))
}

/// Claims the output folder `dir` for `kind`, refusing (409, in `lang`) what the output
/// rule refuses: a folder or file jeugdflow did not write, another kind of output.
fn claim(dir: &Path, kind: Kind, lang: Lang) -> Result<Claim, Refusal> {
    output::claim(dir, kind).map_err(|e| refused(dir, &e, lang))
}

fn refused(dir: &Path, e: &ClaimError, lang: Lang) -> Refusal {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match e {
        ClaimError::Unwritable { .. } => internal(lang, e),
        _ => Refusal::new(
            StatusCode::CONFLICT,
            m::not_ours(lang, &name, &e.to_string()),
        ),
    }
}

fn write(claim: &Claim, files: &[(String, Vec<u8>)], lang: Lang) -> Result<(), Refusal> {
    claim
        .write_folder(files)
        .map_err(|e| refused(claim.path(), &e, lang))
}

/// A run checked and ready for the queue: what it is, and its work.
pub struct Prepared {
    pub job: Job,
    /// Units of work (replications).
    pub total: u64,
    pub work: Box<dyn FnOnce(&Progress) -> Outcome + Send>,
}

/// Checks a run of `base` and prepares its work: `<out>/<name>/`, one thread (the queue
/// runs one job per core).
pub fn prepare_run(
    config: &Config,
    base: &Base,
    reps: Option<&Json>,
    lang: Lang,
) -> Result<Prepared, Refusal> {
    let loaded = load(&config.scenarios, base, lang)?;
    let plan = Plan {
        replications: replications(config, reps, &loaded.model, lang)?,
        seed: loaded.model.seed,
        threads: Some(1),
    };
    let name = loaded.model.name.clone();
    let out = claim(&config.out.join(&name), Kind::Run, lang)?;
    Ok(Prepared {
        job: Job {
            kind: OutKind::Run,
            folder: name.clone(),
            roads: vec![name.clone()],
            futures: Vec::new(),
            replications: plan.replications,
            lang,
        },
        total: u64::from(plan.replications),
        work: Box::new(move |p: &Progress| {
            let files = run_files(&loaded, plan, lang, &|n| p.set(n))?;
            write(&out, &files, lang)?;
            Ok(out_link(&[&name, "report.html"]))
        }),
    })
}

/// Most strategies (with the baseline) one comparison holds.
pub const MAX_COMPARED: usize = 12;
/// The folder (inside the scenarios folder) whose files are the futures a comparison may
/// run its roads in, as a sweep's `futures` (the shipped `scenarios/futures/`).
pub const FUTURES: &str = "futures";
/// Most futures one comparison runs its roads in.
pub const MAX_FUTURES: usize = 8;

/// The futures a comparison may run its roads in: the `*.toml` files of
/// `<scenarios>/futures/`, by name.
pub fn future_files(scenarios: &Path) -> Vec<String> {
    super::roads::scenario_files(&scenarios.join(FUTURES))
}

/// Reads future `file` of the futures folder with the checks of a sweep's `futures`;
/// refused in `lang` when it is not there or holds what a future may not change.
fn load_future(scenarios: &Path, file: &str, lang: Lang) -> Result<Future, Refusal> {
    let dir = scenarios.join(FUTURES);
    let path = scenario_file(&dir, file).map_err(|r| match r.status {
        StatusCode::NOT_FOUND => {
            Refusal::new(StatusCode::NOT_FOUND, m::no_such_future(lang, file)).on("futures")
        }
        _ => said(r, lang, file).on("futures"),
    })?;
    crate::sweep::read_future(&path).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            m::scenario_invalid(lang, file, &problems::scenario_error(lang, &e)),
        )
        .on("futures")
    })
}

/// Every road of a comparison in every future (futures slowest, as a sweep lists them:
/// the first road of each future is its baseline), each named `<road>.<future>` like a
/// sweep's point, with its place among roads and futures.
fn in_futures(
    roads: Vec<Loaded>,
    futures: &[Future],
    lang: Lang,
) -> Result<(Vec<Loaded>, Vec<Place>), Refusal> {
    let mut points = Vec::new();
    let mut places = Vec::new();
    for f in futures {
        for l in &roads {
            let mut model =
                scenario::load_point(&l.source, Some(&f.source), &[], None).map_err(|e| {
                    Refusal::new(
                        StatusCode::BAD_REQUEST,
                        m::road_in_future(
                            lang,
                            &l.model.name,
                            &f.name,
                            &problems::scenario_error(lang, &e),
                        ),
                    )
                    .on("futures")
                })?;
            model.name = format!("{}.{}", l.model.name, f.name);
            points.push(Loaded {
                source: l.source.clone(),
                model,
            });
            places.push(Place {
                road: Some(l.model.name.clone()),
                future: Some(f.name.clone()),
            });
        }
    }
    Ok((points, places))
}

/// Checks a comparison of `baseline` and `others` (2 to 12 scenarios in all, distinct
/// names) into the folder `<out>/<name>/`, in each of `futures` (files of the futures
/// folder, at most [`MAX_FUTURES`]; none: each road as written), and prepares its work.
pub fn prepare_compare(
    config: &Config,
    baseline: &Base,
    others: &[Base],
    futures: &[String],
    name: &str,
    reps: Option<&Json>,
    lang: Lang,
) -> Result<Prepared, Refusal> {
    let bad = |msg: String| Refusal::new(StatusCode::BAD_REQUEST, msg);
    check_name(name).map_err(|_| bad(m::bad_name(lang, name)).on("cname"))?;
    let mut all = vec![baseline.clone()];
    all.extend(others.iter().filter(|o| *o != baseline).cloned());
    if !(2..=MAX_COMPARED).contains(&all.len()) {
        return Err(bad(m::compare_count(lang, all.len(), MAX_COMPARED)).on("picks"));
    }
    let mut chosen: Vec<&String> = Vec::new();
    for f in futures {
        if !chosen.contains(&f) {
            chosen.push(f);
        }
    }
    if chosen.len() > MAX_FUTURES {
        return Err(bad(m::futures_count(lang, chosen.len(), MAX_FUTURES)).on("futures"));
    }
    let loaded: Vec<Loaded> = all
        .iter()
        .map(|b| load(&config.scenarios, b, lang))
        .collect::<Result<_, _>>()?;
    let names: Vec<&str> = loaded.iter().map(|l| l.model.name.as_str()).collect();
    if let Some((i, _)) = crate::sweep::first_repeat(&names) {
        return Err(bad(m::same_names(lang, names[i])).on("picks"));
    }
    let roads: Vec<String> = loaded.iter().map(|l| l.model.name.clone()).collect();
    let base = &loaded[0].model;
    let plan = Plan {
        replications: replications(config, reps, base, lang)?,
        seed: base.seed,
        threads: Some(1),
    };
    let futures: Vec<Future> = chosen
        .iter()
        .map(|f| load_future(&config.scenarios, f, lang))
        .collect::<Result<_, _>>()?;
    let (loaded, places) = if futures.is_empty() {
        (loaded, Vec::new())
    } else {
        in_futures(loaded, &futures, lang)?
    };
    let dir: PathBuf = config.out.join(name);
    let out = claim(&dir, Kind::Comparison, lang)?;
    let name = name.to_string();
    let reps = u64::from(plan.replications);
    Ok(Prepared {
        job: Job {
            kind: OutKind::Comparison,
            folder: name.clone(),
            roads,
            futures: futures.iter().map(|f| f.name.clone()).collect(),
            replications: plan.replications,
            lang,
        },
        total: reps * loaded.len() as u64,
        work: Box::new(move |p: &Progress| {
            let mut files = Vec::new();
            let mut compared = Vec::new();
            for (i, l) in loaded.iter().enumerate() {
                let done = i as u64 * reps;
                let run = run_files(l, plan, lang, &|n| p.set(done + n))?;
                let inputs: BTreeMap<String, Vec<u8>> = run
                    .iter()
                    .filter(|(f, _)| INPUTS.contains(&f.as_str()))
                    .cloned()
                    .collect();
                compared.push(Compared {
                    name: l.model.name.clone(),
                    dir: dir.join(&l.model.name),
                    values: Vec::new(),
                    files: inputs,
                });
                files.extend(
                    run.into_iter()
                        .map(|(f, b)| (format!("{}/{f}", l.model.name), b)),
                );
            }
            let own = comparison::files_in(&name, &[], &compared, &places, lang)
                .map_err(|e| internal(lang, e))?;
            let mut listed = vec!["manifest.json".to_string()];
            listed.extend(own.iter().map(|(f, _)| f.clone()));
            let manifest = ComparisonManifest::new(
                compared.iter().map(|c| c.name.clone()).collect(),
                plan.seed,
                plan.replications,
                listed,
            );
            files.push((
                "manifest.json".into(),
                json_bytes(&manifest).map_err(|e| internal(lang, e))?,
            ));
            files.extend(own);
            write(&out, &files, lang)?;
            Ok(out_link(&[&name, "report.html"]))
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_encoded() {
        assert_eq!(out_link(&["a b", "report.html"]), "/out/a%20b/report.html");
        assert_eq!(out_link(&["x-1_2"]), "/out/x-1_2");
    }
}
