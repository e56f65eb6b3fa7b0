//! Comparing strategies, as bytes: a sweep's `sweep.csv` and `differences.csv`, the table of
//! `compare --csv`, and the comparison page (a sweep's `report.html`, `compare --html`)
//! with its charts, and [`files`]: all of a comparison's files at once. The statistics
//! come from [`crate::sweep`]; reading the run folders is the caller's business.

use std::collections::BTreeMap;

use super::csv_table::CsvTable;
use super::html;
use super::lang::Lang;
use super::num;
use super::plots::{self, Chart, PlotError, compare::Strategy};
use crate::stats::summary::summarise;
use crate::sweep::{KPIS, RunKpis, Versus, lower_is_better, paired, point_labels};

/// Columns of `differences.csv`.
pub const DIFFERENCES_COLUMNS: [&str; 7] = [
    "scenario",
    "baseline",
    "metric",
    "mean_diff",
    "ci_low",
    "ci_high",
    "p_better",
];

/// How a `compare --csv` file jeugdflow wrote begins (its first columns; later ones may be
/// added), by which `--csv` recognises a file it may replace.
pub const COMPARE_CSV_MARK: &str = "scenario,baseline,metric,mean,";

/// Columns of the table `compare --csv` writes.
pub const COMPARE_COLUMNS: [&str; 9] = [
    "scenario",
    "baseline",
    "metric",
    "mean",
    "mean_diff",
    "ci_low",
    "ci_high",
    "p_better",
    "paired",
];

/// `sweep.csv`: per point (`names`, with its `values` on the `axes`) and KPI, the summary
/// over replications. `kpis[point][kpi][replication]`, KPIs in the order of [`KPIS`].
pub fn sweep_csv(
    axes: &[String],
    names: &[String],
    values: &[Vec<String>],
    kpis: &[Vec<Vec<f64>>],
) -> Vec<u8> {
    let mut header = vec!["scenario".to_string()];
    header.extend(axes.iter().cloned());
    header.extend(
        ["metric", "mean", "ci_low", "ci_high", "p05", "p95", "reps"]
            .iter()
            .map(|s| s.to_string()),
    );
    let mut w = CsvTable::new(&header);
    let mut buf = Vec::new();
    for ((name, vals), k) in names.iter().zip(values).zip(kpis) {
        for (m, values) in KPIS.iter().zip(k) {
            let s = summarise(values.iter().copied(), &mut buf);
            let mut row = vec![name.clone()];
            row.extend(vals.iter().cloned());
            row.extend([
                m.name().to_string(),
                num(s.mean),
                num(s.ci_low),
                num(s.ci_high),
                num(s.p05),
                num(s.p95),
                s.n.to_string(),
            ]);
            w.row(&row);
        }
    }
    w.into_bytes()
}

/// `differences.csv`: every point after the first against the first (the baseline), per
/// KPI, paired by replication.
pub fn differences_csv(names: &[String], kpis: &[Vec<Vec<f64>>]) -> Vec<u8> {
    let mut w = CsvTable::new(DIFFERENCES_COLUMNS);
    let (Some(base_name), Some(base)) = (names.first(), kpis.first()) else {
        return w.into_bytes();
    };
    for (name, k) in names.iter().zip(kpis).skip(1) {
        for ((m, values), base) in KPIS.iter().zip(k).zip(base) {
            let d = paired(values, base, lower_is_better(*m));
            w.row([
                name.as_str(),
                base_name,
                m.name(),
                &num(d.mean),
                &num(d.ci_low),
                &num(d.ci_high),
                &num(d.p_better),
            ]);
        }
    }
    w.into_bytes()
}

/// The table of `compare --csv`: one row per [`Versus`] of `runs` (the first is the
/// baseline), in the order given.
pub fn compare_csv(runs: &[RunKpis], rows: &[Versus]) -> Vec<u8> {
    let mut w = CsvTable::new(COMPARE_COLUMNS);
    let Some(base) = runs.first() else {
        return w.into_bytes();
    };
    for v in rows {
        w.row([
            runs[v.run].name.as_str(),
            &base.name,
            v.metric.name(),
            &num(v.mean),
            &num(v.diff),
            &num(v.ci_low),
            &num(v.ci_high),
            &num(v.p_better),
            match v.paired {
                None => "",
                Some(true) => "true",
                Some(false) => "false",
            },
        ]);
    }
    w.into_bytes()
}

/// The line under the comparison page's title: how many strategies, and the replications
/// and seed of the first one's `manifest.json` (a sweep's are all the same), when known.
pub fn meta(strategies: usize, manifest: Option<&serde_json::Value>, lang: Lang) -> Vec<String> {
    let l = lang.labels();
    let mut meta = vec![format!("{strategies} {}", l.strategies)];
    if let Some(m) = manifest {
        if let Some(r) = m["replications"].as_u64() {
            meta.push(format!("{r} {}", l.replications));
        }
        if let Some(s) = m["seed"].as_u64() {
            meta.push(format!("{} {s}", l.seed));
        }
    }
    meta
}

/// The comparison page (HTML) and its charts. `links` (text, relative address) lead to
/// each strategy's own report; `chart_files` says whether the charts are also written to
/// `plots/` (a sweep) or only inline (`compare --html`).
pub fn page(
    title: &str,
    meta: Vec<String>,
    strategies: &[Strategy],
    links: Vec<(String, String)>,
    chart_files: bool,
    lang: Lang,
) -> Result<(String, Vec<Chart>), PlotError> {
    let charts = plots::render_all(&plots::compare::sheets(strategies, lang))?;
    let page = html::sweep::page(
        title,
        "",
        meta,
        strategies,
        &charts,
        links,
        chart_files,
        lang,
    );
    Ok((html::render(&page), charts))
}

/// The files of a run folder that [`files`] reads.
pub const INPUTS: [&str; 3] = ["manifest.json", "replications.csv", "summary.csv"];

/// One finished run in a comparison: its name (also its folder's name beside the
/// comparison's files), its values on the axes (none for a plain list of strategies), and
/// the files of its folder named in [`INPUTS`], by name, as the caller read them.
#[derive(Clone, Debug, Default)]
pub struct Compared {
    pub name: String,
    pub values: Vec<String>,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Why a comparison's files could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ComparisonError {
    #[error("'{run}': {source}")]
    Csv {
        run: String,
        #[source]
        source: plots::compare::CsvError,
    },
    #[error(transparent)]
    Plot(#[from] PlotError),
}

/// Everything a comparison of finished runs writes beside their folders, as a sweep does:
/// `sweep.csv`, `differences.csv` (against the first run, paired by replication),
/// `report.html` (linking to `<name>/report.html`) and its charts in `plots/`.
pub fn files(
    title: &str,
    axes: &[String],
    runs: &[Compared],
    lang: Lang,
) -> Result<Vec<(String, Vec<u8>)>, ComparisonError> {
    fn file<'a>(r: &'a Compared, f: &str) -> &'a [u8] {
        r.files.get(f).map_or(&[][..], Vec::as_slice)
    }
    let names: Vec<String> = runs.iter().map(|r| r.name.clone()).collect();
    let values: Vec<Vec<String>> = runs.iter().map(|r| r.values.clone()).collect();
    let labels = point_labels(&names, axes, &values);
    let mut kpis = Vec::with_capacity(runs.len());
    let mut strategies = Vec::with_capacity(runs.len());
    for (r, label) in runs.iter().zip(&labels) {
        let replications = file(r, "replications.csv");
        let csv_error = |e: csv::Error| ComparisonError::Csv {
            run: r.name.clone(),
            source: plots::compare::CsvError {
                file: "replications.csv".into(),
                message: e.to_string(),
            },
        };
        let mut per_metric: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for rec in csv::Reader::from_reader(replications).records() {
            let rec = rec.map_err(csv_error)?;
            let value = rec.get(3).unwrap_or("").parse().unwrap_or(f64::NAN);
            per_metric
                .entry(rec.get(2).unwrap_or("").to_string())
                .or_default()
                .push(value);
        }
        kpis.push(
            KPIS.iter()
                .map(|m| per_metric.remove(m.name()).unwrap_or_default())
                .collect::<Vec<_>>(),
        );
        strategies.push(
            Strategy::from_csv(label, replications, file(r, "summary.csv")).map_err(|source| {
                ComparisonError::Csv {
                    run: r.name.clone(),
                    source,
                }
            })?,
        );
    }
    let manifest = runs
        .first()
        .and_then(|r| serde_json::from_slice::<serde_json::Value>(file(r, "manifest.json")).ok());
    let links = names
        .iter()
        .zip(&labels)
        .map(|(n, l)| (l.clone(), format!("{n}/report.html")))
        .collect();
    let (page, charts) = page(
        title,
        meta(runs.len(), manifest.as_ref(), lang),
        &strategies,
        links,
        true,
        lang,
    )?;
    let mut out = vec![
        (
            "sweep.csv".to_string(),
            sweep_csv(axes, &names, &values, &kpis),
        ),
        (
            "differences.csv".to_string(),
            differences_csv(&names, &kpis),
        ),
        ("report.html".to_string(), page.into_bytes()),
    ];
    out.extend(plots::files(&charts));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Metric;

    #[test]
    fn a_compare_csv_is_recognised_by_its_first_columns() {
        let header = COMPARE_COLUMNS.join(",");
        assert!(header.starts_with(COMPARE_CSV_MARK), "{header}");
        let csv = compare_csv(&[], &[]);
        assert!(csv.starts_with(COMPARE_CSV_MARK.as_bytes()));
    }

    fn kpis(shift: f64) -> Vec<Vec<f64>> {
        KPIS.iter()
            .map(|_| vec![1.0 + shift, 2.0 + shift, 3.0 + shift])
            .collect()
    }

    #[test]
    fn sweep_and_differences_tables() {
        let names = vec!["a-1".to_string(), "a-2".to_string()];
        let values = vec![vec!["30".to_string()], vec!["24".to_string()]];
        let axes = vec!["service.r.capacity".to_string()];
        let k = vec![kpis(0.0), kpis(-1.0)];
        let sweep = String::from_utf8(sweep_csv(&axes, &names, &values, &k)).unwrap();
        let mut lines = sweep.lines();
        assert_eq!(
            lines.next(),
            Some("scenario,service.r.capacity,metric,mean,ci_low,ci_high,p05,p95,reps")
        );
        assert!(lines.next().unwrap().starts_with("a-1,30,clients,2,"));
        assert_eq!(sweep.lines().count(), 1 + 2 * KPIS.len());
        let diff = String::from_utf8(differences_csv(&names, &k)).unwrap();
        assert_eq!(diff.lines().count(), 1 + KPIS.len());
        // lower is better for waits: a-2 is lower in every replication
        assert!(
            diff.contains("\na-2,a-1,wait_days_mean,-1,-1,-1,1\n"),
            "{diff}"
        );
    }

    #[test]
    fn compare_table_marks_the_baseline_and_pairing() {
        let run = |name: &str, seed| RunKpis {
            name: name.into(),
            seed: Some(seed),
            values: [(Metric::WaitDaysMean.name().to_string(), vec![2.0, 4.0])].into(),
        };
        let runs = [run("base", 1), run("other", 2)];
        let rows = crate::sweep::versus_baseline(&runs, &[0, 1]);
        let csv = String::from_utf8(compare_csv(&runs, &rows)).unwrap();
        assert!(csv.starts_with(&format!("{}\n", COMPARE_COLUMNS.join(","))));
        assert!(
            csv.contains("\nbase,base,wait_days_mean,3,0,,,,\n"),
            "{csv}"
        );
        assert!(csv.contains("\nother,base,wait_days_mean,3,0,"), "{csv}");
        assert!(
            csv.lines()
                .all(|l| !l.starts_with("other") || l.ends_with(",false"))
        );
    }
}
