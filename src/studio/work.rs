//! The studio's two kinds of job. A *run* runs one scenario file exactly as `jeugdflow
//! run` does and writes `<out>/<scenario name>/` with the same bytes. A *comparison* runs
//! the baseline and 1–11 strategies with the baseline's seed and replications (common
//! random numbers) and writes one folder: each run's folder inside it, and beside them the
//! comparison's files from [`crate::report::comparison::files`] (the same as a sweep's).
//! Both are checked before they are queued, so a bad request is answered at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use axum::http::StatusCode;

use super::Config;
use super::editor::Base;
use super::jobs::{Outcome, Progress};
use super::safety::{Refusal, check_name, may_replace};
use crate::experiment::{self, Plan};
use crate::model::Model;
use crate::report::comparison::{self, Compared, INPUTS};
use crate::report::lang::Lang;
use crate::report::output::write_atomically;
use crate::report::run_folder::{self, Extras, Run};
use crate::scenario::{self, Source};

/// A scenario loaded for a job.
pub struct Loaded {
    pub source: Source,
    pub model: Model,
}

/// Loads scenario `base` of the folder `scenarios`; a scenario with problems is refused
/// with `validate`'s message (400), as is one whose name cannot name an output folder.
pub fn load(scenarios: &Path, base: &Base) -> Result<Loaded, Refusal> {
    let source = base.source(scenarios)?;
    let model = scenario::load(&source)
        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, format!("{}: {e}", base.key())))?;
    check_name(&model.name).map_err(|m| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("{}: its [scenario] name {m}", base.key()),
        )
    })?;
    Ok(Loaded { source, model })
}

/// The replications of a job: those asked for, else the scenario's; at most the studio's
/// cap (400 beyond it).
fn replications(config: &Config, asked: Option<u32>, model: &Model) -> Result<u32, Refusal> {
    let n = asked.unwrap_or(model.replications);
    if n == 0 || n > config.max_replications {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!(
                "{n} replications: the studio runs 1 to {} (use `jeugdflow run --reps` for more)",
                config.max_replications
            ),
        ));
    }
    Ok(n)
}

/// The address of a file of the output folder, for links.
pub fn out_link(parts: &[&str]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let p: Vec<String> = parts.iter().map(|p| enc(p)).collect();
    format!("/out/{}", p.join("/"))
}

fn internal(what: &str, e: impl std::fmt::Display) -> Refusal {
    Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{what}: {e}"))
}

/// Runs `loaded` with `plan` and returns its folder's files, as `jeugdflow run` makes them.
fn run_files(
    loaded: &Loaded,
    plan: Plan,
    lang: Lang,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<(String, Vec<u8>)>, Refusal> {
    let started = Instant::now();
    let results = experiment::run(&loaded.model, plan, progress)
        .map_err(|e| internal("the run could not start", e))?;
    let wall = started.elapsed().as_secs_f64();
    let run = Run::new(&loaded.model, &loaded.source, plan, &results, wall);
    run_folder::files(&run, Extras::new(lang))
        .map_err(|e| internal("the results could not be drawn", e))
}

fn write(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), Refusal> {
    may_replace(dir)?;
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_atomically(dir, &refs).map_err(|e| internal("the results could not be saved", e))
}

/// A run checked and ready for the queue: its units (replications) and its work.
pub struct Prepared {
    pub total: u64,
    pub work: Box<dyn FnOnce(&Progress) -> Outcome + Send>,
}

/// Checks a run of `base` and prepares its work: `<out>/<name>/`, one thread (the queue
/// runs one job per core).
pub fn prepare_run(
    config: &Config,
    base: &Base,
    reps: Option<u32>,
    lang: Lang,
) -> Result<Prepared, Refusal> {
    let loaded = load(&config.scenarios, base)?;
    let plan = Plan {
        replications: replications(config, reps, &loaded.model)?,
        seed: loaded.model.seed,
        threads: Some(1),
    };
    let dir = config.out.join(&loaded.model.name);
    may_replace(&dir)?;
    Ok(Prepared {
        total: plan.replications as u64,
        work: Box::new(move |p: &Progress| {
            let files = run_files(&loaded, plan, lang, &|n| p.set(n))?;
            write(&dir, &files)?;
            Ok(out_link(&[&loaded.model.name, "report.html"]))
        }),
    })
}

/// Most strategies (with the baseline) one comparison holds.
pub const MAX_COMPARED: usize = 12;

/// Checks a comparison of `baseline` and `others` (2 to 12 scenarios in all, distinct
/// names) into the folder `<out>/<name>/` and prepares its work.
pub fn prepare_compare(
    config: &Config,
    baseline: &Base,
    others: &[Base],
    name: &str,
    reps: Option<u32>,
    lang: Lang,
) -> Result<Prepared, Refusal> {
    let bad = |m: String| Refusal::new(StatusCode::BAD_REQUEST, m);
    check_name(name).map_err(|m| bad(format!("comparison name: {m}")))?;
    let mut all = vec![baseline.clone()];
    all.extend(others.iter().filter(|o| *o != baseline).cloned());
    if !(2..=MAX_COMPARED).contains(&all.len()) {
        return Err(bad(format!(
            "{} scenarios: a comparison holds a baseline and 1 to {} strategies",
            all.len(),
            MAX_COMPARED - 1
        )));
    }
    let loaded: Vec<Loaded> = all
        .iter()
        .map(|b| load(&config.scenarios, b))
        .collect::<Result<_, _>>()?;
    let names: Vec<&str> = loaded.iter().map(|l| l.model.name.as_str()).collect();
    if let Some((i, j)) = crate::sweep::first_repeat(&names) {
        // the built-in default and a file of the same name are told apart
        let what = |b: &Base| match b {
            Base::Builtin => "the built-in default".to_string(),
            Base::File(f) => f.clone(),
        };
        return Err(bad(format!(
            "{} and {} are both named \"{}\"; their results would share a folder: give one \
             its own [scenario] name",
            what(&all[i]),
            what(&all[j]),
            names[i]
        )));
    }
    let base = &loaded[0].model;
    let plan = Plan {
        replications: replications(config, reps, base)?,
        seed: base.seed,
        threads: Some(1),
    };
    let dir: PathBuf = config.out.join(name);
    may_replace(&dir)?;
    let name = name.to_string();
    let reps = plan.replications as u64;
    Ok(Prepared {
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
            let manifest = serde_json::json!({
                "tool": "jeugdflow",
                "version": env!("CARGO_PKG_VERSION"),
                "kind": "comparison",
                "baseline": compared[0].name,
                "scenarios": compared.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                "seed": plan.seed,
                "replications": plan.replications,
            });
            files.push((
                "manifest.json".into(),
                serde_json::to_vec_pretty(&manifest).map_err(|e| internal("manifest", e))?,
            ));
            files.extend(
                comparison::files(&name, &[], &compared, lang)
                    .map_err(|e| internal("the comparison could not be made", e))?,
            );
            write(&dir, &files)?;
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
