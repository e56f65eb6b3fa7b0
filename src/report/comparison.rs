//! Comparing strategies, as bytes: a sweep's `sweep.csv`, `differences.csv`,
//! `robustness.csv` (roads across futures) and `comparison.xlsx`, the table of `compare
//! --csv`, and the comparison page (a sweep's `report.html`, `compare --html`) with its
//! charts — and [`files`]/[`files_in`]: all of a comparison's files at once, the functions
//! the sweep, merge, compare and the studio use.
//!
//! Everything is read from the compared runs' files ([`INPUTS`]), never from results in
//! memory, so a resumed, merged or lean sweep gives the same comparison. The statistics
//! come from [`crate::sweep`]; reading the run folders is the caller's business.

mod robustness;
mod tables;
mod workbook;

pub use super::robustness::{METRICS as ROBUSTNESS_METRICS, RobustCell, Robustness, robustness};
pub use super::strategy::{
    Compared, INPUTS, Place, Strategy, dominated, savings, strategies, strategies_in, versus_first,
    wilson,
};
pub use robustness::{ROBUSTNESS_COLUMNS, robustness_csv};
pub use tables::{
    COMPARE_COLUMNS, COMPARE_CSV_MARK, DIFFERENCES_COLUMNS, compare_csv, differences_csv, sweep_csv,
};
pub use workbook::{compare_xlsx, comparison_xlsx};

use super::folder::ReadError;
use super::html;
use super::lang::Lang;
use super::plots::{self, Chart, PlotError};

/// A point of a sweep as its folder is listed: its name (its folder), its values on the
/// axes, and in a sweep with futures the road it follows and the future it ran in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listed {
    pub name: String,
    pub values: Vec<String>,
    pub road: Option<String>,
    pub future: Option<String>,
}

impl Listed {
    /// Where it stands among roads and futures.
    pub fn place(&self) -> Place {
        Place {
            road: self.road.clone(),
            future: self.future.clone(),
        }
    }
}

/// Why a comparison's files could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ComparisonError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Plot(#[from] PlotError),
    #[error(transparent)]
    Xlsx(#[from] super::xlsx::XlsxFileError),
}

/// The line under the comparison page's title: how many strategies, and the replications
/// and seed of the first one's `manifest.json` (a sweep's are all the same).
pub fn meta(strategies: &[Strategy], lang: Lang) -> Vec<String> {
    let l = lang.labels();
    let mut meta = vec![format!("{} {}", strategies.len(), l.strategies)];
    if let Some(m) = strategies.first().map(|s| &s.manifest) {
        meta.push(format!("{} {}", m.replications, l.replications));
        meta.push(format!("{} {}", l.seed, m.seed));
    }
    meta
}

/// The comparison page (HTML) and its charts. `links` (text, relative address) lead to
/// each strategy's own report; `chart_files` says whether the charts are also written to
/// `plots/` (a sweep) or only inline (`compare --html`).
pub fn page(
    title: &str,
    meta: Vec<String>,
    axes: &[String],
    strategies: &[Strategy],
    links: Vec<(String, String)>,
    chart_files: bool,
    lang: Lang,
) -> Result<(String, Vec<Chart>), PlotError> {
    let mut futures: Vec<String> = Vec::new();
    for f in strategies.iter().filter_map(|s| s.future.as_ref()) {
        if !futures.contains(f) {
            futures.push(f.clone());
        }
    }
    let charts = plots::render_all(&plots::compare::sheets(strategies, &futures, lang))?;
    let page = html::sweep::page(
        title,
        meta,
        axes,
        strategies,
        &charts,
        links,
        chart_files,
        lang,
    );
    Ok((html::render(&page), charts))
}

/// The `info` lines of a comparison's workbook.
fn info(title: &str, strategies: &[Strategy]) -> Vec<(String, String)> {
    let mut info = vec![("comparison".to_string(), title.to_string())];
    if let Some(m) = strategies.first().map(|s| &s.manifest) {
        info.push(("seed".to_string(), m.seed.to_string()));
        info.push(("replications".to_string(), m.replications.to_string()));
    }
    if let Some(b) = strategies.first() {
        info.push(("baseline".to_string(), b.name.clone()));
    }
    for (i, s) in strategies.iter().enumerate() {
        info.push((format!("scenario {}", i + 1), s.name.clone()));
    }
    info.push((
        "made with".to_string(),
        format!("jeugdflow {}", env!("CARGO_PKG_VERSION")),
    ));
    info
}

/// Whether a run's folder has a `report.html` to link to: its manifest lists one (a lean
/// sweep point has none).
fn has_page(s: &Strategy) -> bool {
    s.manifest.files.iter().any(|f| f == "report.html")
}

/// Everything a comparison of finished runs writes beside their folders, as a sweep
/// without futures does (see [`files_in`]).
pub fn files(
    title: &str,
    axes: &[String],
    runs: &[Compared],
    lang: Lang,
) -> Result<Vec<(String, Vec<u8>)>, ComparisonError> {
    files_in(title, axes, runs, &[], lang)
}

/// Everything a comparison of finished runs writes beside their folders, as a sweep does:
/// `sweep.csv`, `differences.csv` (against each run's baseline, paired by replication),
/// with futures (`places`, one per run; none without) `robustness.csv`,
/// `comparison.xlsx` (the tables), `report.html` (linking to `<name>/report.html` for the
/// runs that have one) and its charts in `plots/`.
pub fn files_in(
    title: &str,
    axes: &[String],
    runs: &[Compared],
    places: &[Place],
    lang: Lang,
) -> Result<Vec<(String, Vec<u8>)>, ComparisonError> {
    let strategies = strategies_in(runs, places)?;
    let links = strategies
        .iter()
        .filter(|s| has_page(s))
        .map(|s| (s.name.clone(), format!("{}/report.html", s.name)))
        .collect();
    let (page, charts) = page(
        title,
        meta(&strategies, lang),
        axes,
        &strategies,
        links,
        true,
        lang,
    )?;
    let sweep = sweep_csv(axes, &strategies);
    let differences = differences_csv(&strategies);
    let robust = robustness_csv(&strategies);
    let xlsx = comparison_xlsx(
        &info(title, &strategies),
        &sweep,
        &differences,
        robust.as_deref(),
        lang,
    )?;
    let mut out = vec![
        ("sweep.csv".to_string(), sweep),
        ("differences.csv".to_string(), differences),
    ];
    if let Some(r) = robust {
        out.push(("robustness.csv".to_string(), r));
    }
    out.extend([
        ("comparison.xlsx".to_string(), xlsx),
        ("report.html".to_string(), page.into_bytes()),
    ]);
    out.extend(plots::files(&charts));
    Ok(out)
}

/// `comparison.xlsx` for `compare`: the info lines of `strategies` (the first the
/// baseline) and the table of `compare --csv`, with headers in `lang`.
pub fn compare_workbook(
    strategies: &[Strategy],
    compare_csv: &[u8],
    lang: Lang,
) -> Result<Vec<u8>, ComparisonError> {
    let title = strategies
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    Ok(compare_xlsx(&info(&title, strategies), compare_csv, lang)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compare_csv_is_recognised_by_its_first_columns() {
        let header = COMPARE_COLUMNS.join(",");
        assert!(header.starts_with(COMPARE_CSV_MARK), "{header}");
        let csv = compare_csv(&[], &[]);
        assert!(csv.starts_with(COMPARE_CSV_MARK.as_bytes()));
    }
}
