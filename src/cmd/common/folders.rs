//! Output folders for the commands: writing a run's folder (its bytes come from
//! `report::run_folder`) and a sweep's own files, and reading back what earlier runs
//! wrote (`manifest.json`, `replications.csv`, the strategies of a comparison).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use jeugdflow::report::comparison::{self, Compared, Listed, Strategy};
use jeugdflow::report::folder::{self, ReadError};
use jeugdflow::report::lang::Lang;
use jeugdflow::report::manifest::{SweepManifest, json_bytes};
use jeugdflow::report::output::{self, Claim, ClaimError};
use jeugdflow::report::plots::Chart;
use jeugdflow::report::run_folder::{self, Extras, Run};

use super::InvalidInput;

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

/// A folder's file that does not read back as jeugdflow writes it is the user's input
/// (a folder given on the command line): exit code 2, the file and field named.
fn invalid(e: ReadError) -> anyhow::Error {
    InvalidInput(e.to_string()).into()
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
            Err(e) if f == "paths.csv" && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(InvalidInput(format!("cannot read '{}': {e}", p.display())).into());
            }
        }
    }
    Ok(Compared {
        name: name.to_string(),
        dir: dir.to_path_buf(),
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
    comparison::strategies(&runs).map_err(invalid)
}

/// The comparison page (HTML) and its charts for `strategies` (the first the baseline
/// every difference is measured against), their rows in the display `order`, with the
/// replications and seed of the baseline's manifest. The order changes the rows, never the
/// reference: each strategy keeps its colour, number and difference from the baseline.
pub fn comparison_page(
    title: &str,
    strategies: &[Strategy],
    order: &[usize],
    links: Vec<(String, String)>,
    chart_files: bool,
    lang: Lang,
) -> Result<(String, Vec<Chart>)> {
    let meta = comparison::meta(strategies, lang);
    let shown: Vec<Strategy> = order.iter().map(|i| strategies[*i].clone()).collect();
    Ok(comparison::page(
        title,
        meta,
        &[],
        &shown,
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
    // the folder was claimed as a sweep's: a manifest there is a sweep's (or none yet)
    if out_dir.join("manifest.json").exists() {
        let old = folder::read_sweep_manifest(out_dir).map_err(invalid)?;
        for f in old.files {
            if !files.contains(&f) {
                files.push(f);
            }
        }
    }
    manifest.files = files;
    output::write_file(&out_dir.join("manifest.json"), &json_bytes(&manifest)?)?;
    Ok(())
}

/// What a sweep writes beside its scenario folders (the `points` in `out_dir`, with their
/// values on the `axes` and, with futures, their road and future): its `manifest.json`
/// (listing the files that follow), `sweep.csv`, `differences.csv`, with futures
/// `robustness.csv`, `comparison.xlsx`, and the comparison `report.html` with its
/// `plots/` — all from [`comparison::files_in`], drawn from those folders' files (as
/// `merge` and the studio do). A scenario's page is linked when its folder has one
/// (`--keep all`).
pub fn write_sweep_outputs(
    out_dir: &Path,
    title: &str,
    axes: &[String],
    points: &[Listed],
    lang: Lang,
    mut manifest: SweepManifest,
) -> Result<()> {
    let runs = points
        .iter()
        .map(|p| read_compared(&out_dir.join(&p.name), &p.name, &p.values))
        .collect::<Result<Vec<_>>>()?;
    let places: Vec<_> = points.iter().map(Listed::place).collect();
    let files = comparison::files_in(title, axes, &runs, &places, lang)
        .map_err(|e| InvalidInput(e.to_string()))?;
    let (plots, top): (Vec<_>, Vec<_>) = files.iter().partition(|(n, _)| n.starts_with("plots/"));
    manifest.files = std::iter::once("manifest.json".to_string())
        .chain(files.iter().map(|(n, _)| n.clone()))
        .collect();
    manifest.shard = None;
    output::write_file(&out_dir.join("manifest.json"), &json_bytes(&manifest)?)?;
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

/// The services behind a strategy's region figures: from its `summary.csv`, the services
/// over their norm for more than the run's `flag_over_norm_share`, else the highest
/// over-norm share, and the longest mean wait — one line.
pub fn breach_line(s: &Strategy) -> String {
    let (b, name) = (&s.breaches, &s.name);
    let flag = b.flag;
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let over = if b.flagged.is_empty() {
        match b.over_norm.first() {
            Some(s) => format!(
                "none over {} late (highest {} {})",
                pct(flag),
                s.service,
                pct(s.over_norm_share.mean)
            ),
            None => format!("none over {} late", pct(flag)),
        }
    } else {
        let list: Vec<String> = b
            .flagged
            .iter()
            .map(|s| format!("{} {}", s.service, pct(s.over_norm_share.mean)))
            .collect();
        format!("over {} late (!): {}", pct(flag), list.join(", "))
    };
    let wait = b.wait.first().map_or(String::new(), |s| {
        format!(
            "; longest wait {} {:.0} days",
            s.service, s.wait_days_mean.mean
        )
    });
    format!("  {name}: {over}{wait}")
}
