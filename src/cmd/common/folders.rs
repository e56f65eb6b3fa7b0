//! Output folders for the commands: writing a run's folder (its bytes come from
//! `report::run_folder`) and a sweep's own files, and reading back what earlier runs
//! wrote (`manifest.json`, `replications.csv`, the strategies of a comparison).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use jeugdflow::report::comparison;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::output::{self, OutputError};
use jeugdflow::report::plots::{self, Chart, compare::Strategy};
use jeugdflow::report::run_folder::{self, Extras, Run};
use jeugdflow::sweep::{KPIS, point_labels};

use super::InvalidInput;

/// A run folder's KPIs: per KPI (in the order of [`KPIS`]), per replication.
pub type Kpis = Vec<Vec<f64>>;

/// Writes the output folder of one run (or one sweep point) atomically: the files
/// `report::run_folder` makes of it.
pub fn write_run(run: &Run, extras: Extras, out_dir: &Path) -> Result<()> {
    let files = run_folder::files(run, extras)?;
    write_folder(out_dir, &files).context("the run finished but its results could not be saved")
}

/// Writes `files` (name, bytes) into folder `dir`, replacing it, all at once.
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    output::write_atomically(dir, &refs)
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

/// What a sweep writes beside its scenario folders (`names` in `out_dir`, with their
/// `values` on the `axes` and their `kpis`): `sweep.csv`, `differences.csv`, and the
/// comparison `report.html` with its `plots/`, drawn from those folders' CSV files.
pub fn write_sweep_outputs(
    out_dir: &Path,
    title: &str,
    axes: &[String],
    names: &[String],
    values: &[Vec<String>],
    kpis: &[Kpis],
    lang: Lang,
) -> Result<()> {
    let sweep_csv = comparison::sweep_csv(axes, names, values, kpis);
    let differences_csv = comparison::differences_csv(names, kpis);
    output::write_file(&out_dir.join("sweep.csv"), &sweep_csv)?;
    output::write_file(&out_dir.join("differences.csv"), &differences_csv)?;
    let labels = point_labels(names, axes, values);
    let dirs: Vec<PathBuf> = names.iter().map(|n| out_dir.join(n)).collect();
    let links = names
        .iter()
        .zip(&labels)
        .map(|(n, l)| (l.clone(), format!("{n}/report.html")))
        .collect();
    let (page, charts) = comparison_page(title, &dirs, &labels, links, true, lang)?;
    let files = plots::files(&charts);
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.trim_start_matches("plots/"), b.as_slice()))
        .collect();
    output::write_atomically(&out_dir.join("plots"), &refs)?;
    output::write_file(&out_dir.join("report.html"), page.as_bytes())?;
    Ok(())
}
