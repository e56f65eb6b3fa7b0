//! Output folders for the commands: writing a run's folder (its bytes come from
//! `report::run_folder`) and a sweep's own files, and reading back what earlier runs
//! wrote (`manifest.json`, `replications.csv`, the strategies of a comparison).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use jeugdflow::report::comparison;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::manifest::{SweepManifest, json_bytes};
use jeugdflow::report::output::{self, Claim, ClaimError};
use jeugdflow::report::plots::{self, Chart, compare::Strategy};
use jeugdflow::report::run_folder::{self, Extras, Run};
use jeugdflow::sweep::{KPIS, point_labels};

use super::InvalidInput;

/// A run folder's KPIs: per KPI (in the order of [`KPIS`]), per replication.
pub type Kpis = Vec<Vec<f64>>;

/// Writes the output folder of one run (or one sweep point) atomically: the files
/// `report::run_folder` makes of it.
pub fn write_run(run: &Run, extras: Extras, out: &Claim) -> Result<()> {
    let files = run_folder::files(run, extras)?;
    write_folder(out, &files).context("the run finished but its results could not be saved")
}

/// Writes `files` (name, bytes) as the claimed folder, replacing it, all at once.
pub fn write_folder(out: &Claim, files: &[(String, Vec<u8>)]) -> Result<(), ClaimError> {
    out.write_folder(files)
}

/// The `manifest.json` of folder `dir`, when it is there and JSON.
pub fn read_manifest(dir: &Path) -> Option<serde_json::Value> {
    std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
}

/// `replications.csv` of a run folder: metric → values by replication.
pub fn read_replications(dir: &Path) -> Result<BTreeMap<String, Vec<f64>>> {
    let path = dir.join("replications.csv");
    let mut r = csv::Reader::from_path(&path)
        .map_err(|e| InvalidInput(format!("cannot read '{}': {e}", path.display())))?;
    let mut out: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| InvalidInput(format!("'{}': {e}", path.display())))?;
        let metric = rec.get(2).unwrap_or("").to_string();
        let value = rec.get(3).unwrap_or("").parse::<f64>().unwrap_or(f64::NAN);
        out.entry(metric).or_default().push(value);
    }
    Ok(out)
}

/// The KPIs of a run folder, from its `replications.csv` (none for a KPI it lacks).
pub fn read_kpis(dir: &Path) -> Result<Kpis> {
    let reps = read_replications(dir)?;
    Ok(KPIS
        .iter()
        .map(|m| reps.get(m.name()).cloned().unwrap_or_default())
        .collect())
}

/// The strategies to compare, from their output folders' CSV files, named `names`.
fn read_strategies(dirs: &[PathBuf], names: &[String]) -> Result<Vec<Strategy>> {
    dirs.iter()
        .zip(names)
        .map(|(d, name)| {
            let read = |f: &str| {
                let p = d.join(f);
                std::fs::read(&p)
                    .map_err(|e| InvalidInput(format!("cannot read '{}': {e}", p.display())))
            };
            let s = Strategy::from_csv(name, &read("replications.csv")?, &read("summary.csv")?)
                .map_err(|e| InvalidInput(format!("'{}': {e}", d.display())))?;
            Ok(s)
        })
        .collect()
}

/// The comparison page (HTML) and its charts for the run folders `dirs`, shown as
/// `names`, with the replications and seed of the first folder's manifest.
pub fn comparison_page(
    title: &str,
    dirs: &[PathBuf],
    names: &[String],
    links: Vec<(String, String)>,
    chart_files: bool,
    lang: Lang,
) -> Result<(String, Vec<Chart>)> {
    let manifest = dirs.first().and_then(|d| read_manifest(d));
    let meta = comparison::meta(dirs.len(), manifest.as_ref(), lang);
    let strategies = read_strategies(dirs, names)?;
    Ok(comparison::page(
        title,
        meta,
        &strategies,
        links,
        chart_files,
        lang,
    )?)
}

/// Makes the sweep folder `out_dir` (claimed) ready for points: writes its
/// `manifest.json` first, keeping the files an earlier manifest there listed, so that an
/// interrupted sweep, a shard without points and a folder being resumed are all recognised
/// as jeugdflow's.
pub fn start_sweep_folder(out_dir: &Path, mut manifest: SweepManifest) -> Result<()> {
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create output folder '{}'", out_dir.display()))?;
    let mut files = vec!["manifest.json".to_string()];
    if let Some(old) = read_manifest(out_dir).filter(|m| m["kind"] == "sweep") {
        for f in old["files"].as_array().into_iter().flatten() {
            if let Some(f) = f.as_str().filter(|f| !files.iter().any(|x| x == f)) {
                files.push(f.to_string());
            }
        }
    }
    manifest.files = files;
    output::write_file(&out_dir.join("manifest.json"), &json_bytes(&manifest)?)?;
    Ok(())
}

/// What a sweep writes beside its scenario folders (`names` in `out_dir`, with their
/// `values` on the `axes` and their `kpis`): its `manifest.json` (listing the files that
/// follow), `sweep.csv`, `differences.csv`, and the comparison `report.html` with its
/// `plots/`, drawn from those folders' CSV files. A scenario's page is linked when its
/// folder has one (`--keep all`).
#[allow(clippy::too_many_arguments)]
pub fn write_sweep_outputs(
    out_dir: &Path,
    title: &str,
    axes: &[String],
    names: &[String],
    values: &[Vec<String>],
    kpis: &[Kpis],
    lang: Lang,
    mut manifest: SweepManifest,
) -> Result<()> {
    let sweep_csv = comparison::sweep_csv(axes, names, values, kpis);
    let differences_csv = comparison::differences_csv(names, kpis);
    let labels = point_labels(names, axes, values);
    let dirs: Vec<PathBuf> = names.iter().map(|n| out_dir.join(n)).collect();
    let links = names
        .iter()
        .zip(&labels)
        .filter(|(n, _)| out_dir.join(n).join("report.html").is_file())
        .map(|(n, l)| (l.clone(), format!("{n}/report.html")))
        .collect();
    let (page, charts) = comparison_page(title, &dirs, &labels, links, true, lang)?;
    let files = plots::files(&charts);
    manifest.files = [
        "manifest.json",
        "sweep.csv",
        "differences.csv",
        "report.html",
    ]
    .into_iter()
    .map(String::from)
    .chain(files.iter().map(|(n, _)| n.clone()))
    .collect();
    manifest.shard = None;
    output::write_file(&out_dir.join("manifest.json"), &json_bytes(&manifest)?)?;
    output::write_file(&out_dir.join("sweep.csv"), &sweep_csv)?;
    output::write_file(&out_dir.join("differences.csv"), &differences_csv)?;
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.trim_start_matches("plots/"), b.as_slice()))
        .collect();
    output::write_atomically(&out_dir.join("plots"), &refs)?;
    output::write_file(&out_dir.join("report.html"), page.as_bytes())?;
    Ok(())
}
