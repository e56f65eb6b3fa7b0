//! Output folders for the commands: writing a run's folder (its bytes come from
//! `report::run_folder`) and a sweep's own files, and reading back what earlier runs
//! wrote (`manifest.json`, `replications.csv`, the strategies of a comparison).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use jeugdflow::report::comparison::{self, Compared, Strategy};
use jeugdflow::report::lang::Lang;
use jeugdflow::report::output::{self, OutputError};
use jeugdflow::report::plots::Chart;
use jeugdflow::report::run_folder::{self, Extras, Run};

use super::InvalidInput;

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

/// The files a comparison reads ([`comparison::INPUTS`]) from run folder `dir`, as
/// strategy `name` with `values` on the sweep's axes; `paths.csv` may be missing.
pub fn read_compared(dir: &Path, name: &str, values: &[String]) -> Result<Compared> {
    let mut files = BTreeMap::new();
    for f in comparison::INPUTS {
        let p = dir.join(f);
        match std::fs::read(&p) {
            Ok(b) => {
                files.insert(f.to_string(), b);
            }
            Err(_) if f == "paths.csv" || f == "manifest.json" => {}
            Err(e) => {
                return Err(InvalidInput(format!("cannot read '{}': {e}", p.display())).into());
            }
        }
    }
    Ok(Compared {
        name: name.to_string(),
        values: values.to_vec(),
        files,
    })
}

/// The strategies of the run folders `dirs`, named `names`, as a comparison reads them.
pub fn read_strategies(dirs: &[PathBuf], names: &[String]) -> Result<Vec<Strategy>> {
    let runs = dirs
        .iter()
        .zip(names)
        .map(|(d, n)| read_compared(d, n, &[]))
        .collect::<Result<Vec<_>>>()?;
    comparison::strategies(&runs).map_err(|e| InvalidInput(e.to_string()).into())
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
        &[],
        &strategies,
        links,
        chart_files,
        lang,
    )?)
}

/// What a sweep writes beside its scenario folders (`names` in `out_dir`, with their
/// `values` on the `axes`): `sweep.csv`, `differences.csv`, `comparison.xlsx`, and the
/// comparison `report.html` with its `plots/` — all from [`comparison::files`], drawn from
/// those folders' files (as `merge` and the studio do).
pub fn write_sweep_outputs(
    out_dir: &Path,
    title: &str,
    axes: &[String],
    names: &[String],
    values: &[Vec<String>],
    lang: Lang,
) -> Result<()> {
    let runs = names
        .iter()
        .zip(values)
        .map(|(n, v)| read_compared(&out_dir.join(n), n, v))
        .collect::<Result<Vec<_>>>()?;
    let files =
        comparison::files(title, axes, &runs, lang).map_err(|e| InvalidInput(e.to_string()))?;
    let (plots, top): (Vec<_>, Vec<_>) = files.iter().partition(|(n, _)| n.starts_with("plots/"));
    let refs: Vec<(&str, &[u8])> = plots
        .iter()
        .map(|(n, b)| (n.trim_start_matches("plots/"), b.as_slice()))
        .collect();
    output::write_atomically(&out_dir.join("plots"), &refs)?;
    for (n, b) in top {
        output::write_file(&out_dir.join(n), b)?;
    }
    Ok(())
}
