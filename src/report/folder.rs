//! Reading jeugdflow's own output folders back, typed: the inverse of their writers. A run
//! folder's `manifest.json` is read into the [`Manifest`] its writer serialises,
//! `summary.csv` into [`SummaryRow`]s by the writer's [`SUMMARY_COLUMNS`], and
//! `replications.csv` by [`REPLICATIONS_COLUMNS`] into values per KPI. Every command and
//! the studio read folders through here.
//!
//! A field that is missing or malformed is an error that names the file and the field (a
//! JSON key, or a CSV line and column) — never a default. An empty CSV cell is what the
//! writer makes of an undefined number, and reads back as one (NaN). Two absences are
//! part of the format: a sweep point's manifest has a `sweep` entry, a plain run's has
//! none; and [`Stamp`], the identity every output folder's manifest carries (`tool`,
//! `kind`, `files`), has no `kind` and no `files` in a folder of an older version, which
//! [`super::output::claim`] treats as a run folder whose files it knows.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::csv_out::{REPLICATIONS_COLUMNS, SUMMARY_COLUMNS};
use super::manifest::{ComparisonManifest, Manifest, SweepManifest};
use crate::measure::{KPIS, Kpi, Metric};
use crate::stats::summary::Summary;
use crate::sweep::Member;
use crate::sweep::breach::ServiceWait;

/// Why a file of an output folder could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("'{}': {field}{message}", file.display())]
pub struct ReadError {
    /// The file.
    pub file: PathBuf,
    /// Where in it (`field 'seed': `, `line 4, column 'mean': `), or empty.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl ReadError {
    /// An error of `file` at `field` (`field 'x': `, `line 3: `, or empty).
    pub fn new(file: &Path, field: String, message: impl Into<String>) -> ReadError {
        ReadError {
            file: file.to_path_buf(),
            field,
            message: message.into(),
        }
    }
}

/// The identity every output folder's `manifest.json` carries: that jeugdflow wrote it,
/// which kind of output it is, and the files it holds. Read without the rest of the
/// manifest (the kinds differ in it); `kind` and `files` are absent in a folder of an
/// older version.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Stamp {
    pub tool: String,
    pub kind: Option<String>,
    pub files: Option<Vec<String>>,
}

impl Stamp {
    /// Whether jeugdflow wrote the folder.
    pub fn is_jeugdflow(&self) -> bool {
        self.tool == "jeugdflow"
    }
}

/// JSON `bytes` of `file` as `T`; a missing or malformed field is named by its path.
fn json<T: DeserializeOwned>(bytes: &[u8], file: &Path) -> Result<T, ReadError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let mut message = inner.to_string();
        // serde's text ends in "at line L column C": keep it, it helps find the spot
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next())
        {
            let at = if path == "." {
                String::new()
            } else {
                format!("{path}.")
            };
            return ReadError::new(file, format!("field '{at}{field}': "), "missing");
        }
        if inner.is_syntax() || inner.is_eof() {
            return ReadError::new(file, String::new(), format!("not JSON ({message})"));
        }
        if path == "." {
            return ReadError::new(file, String::new(), message);
        }
        message = message.replace("invalid type: ", "");
        ReadError::new(file, format!("field '{path}': "), message)
    })
}

/// The [`Stamp`] of a `manifest.json`.
pub fn stamp(bytes: &[u8], file: &Path) -> Result<Stamp, ReadError> {
    json(bytes, file)
}

/// The [`Stamp`] of folder `dir`, read from its `manifest.json`.
pub fn read_stamp(dir: &Path) -> Result<Stamp, ReadError> {
    let file = dir.join("manifest.json");
    stamp(&read(&file)?, &file)
}

/// A run's `manifest.json` (kind `run`), every field as its writer wrote it.
pub fn run_manifest(bytes: &[u8], file: &Path) -> Result<Manifest, ReadError> {
    let m: Manifest = json(bytes, file)?;
    if m.tool != "jeugdflow" {
        return Err(ReadError::new(
            file,
            "field 'tool': ".into(),
            format!("\"{}\", not \"jeugdflow\"", m.tool),
        ));
    }
    if m.kind != "run" {
        return Err(ReadError::new(
            file,
            "field 'kind': ".into(),
            format!("\"{}\", not \"run\"", m.kind),
        ));
    }
    Ok(m)
}

/// The run manifest of folder `dir`.
pub fn read_run_manifest(dir: &Path) -> Result<Manifest, ReadError> {
    let file = dir.join("manifest.json");
    run_manifest(&read(&file)?, &file)
}

/// A sweep folder's `manifest.json` (kind `sweep`).
pub fn sweep_manifest(bytes: &[u8], file: &Path) -> Result<SweepManifest, ReadError> {
    let m: SweepManifest = json(bytes, file)?;
    if m.kind != "sweep" {
        return Err(ReadError::new(
            file,
            "field 'kind': ".into(),
            format!("\"{}\", not \"sweep\"", m.kind),
        ));
    }
    Ok(m)
}

/// The sweep manifest of folder `dir`.
pub fn read_sweep_manifest(dir: &Path) -> Result<SweepManifest, ReadError> {
    let file = dir.join("manifest.json");
    sweep_manifest(&read(&file)?, &file)
}

/// A comparison folder's `manifest.json` (kind `comparison`).
pub fn comparison_manifest(bytes: &[u8], file: &Path) -> Result<ComparisonManifest, ReadError> {
    let m: ComparisonManifest = json(bytes, file)?;
    if m.kind != "comparison" {
        return Err(ReadError::new(
            file,
            "field 'kind': ".into(),
            format!("\"{}\", not \"comparison\"", m.kind),
        ));
    }
    Ok(m)
}

/// The comparison manifest of folder `dir`.
pub fn read_comparison_manifest(dir: &Path) -> Result<ComparisonManifest, ReadError> {
    let file = dir.join("manifest.json");
    comparison_manifest(&read(&file)?, &file)
}

/// A sweep point's entry of its run manifest (`file`), or `None` for a plain run.
pub fn member(m: &Manifest, file: &Path) -> Result<Option<Member>, ReadError> {
    let Some(v) = &m.sweep else {
        return Ok(None);
    };
    serde_path_to_error::deserialize(v.clone())
        .map(Some)
        .map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            match message
                .strip_prefix("missing field `")
                .and_then(|m| m.split('`').next())
            {
                Some(f) if path == "." => {
                    ReadError::new(file, format!("field 'sweep.{f}': "), "missing")
                }
                _ => ReadError::new(file, format!("field 'sweep.{path}': "), message),
            }
        })
}

/// The bytes of `file`.
pub fn read(file: &Path) -> Result<Vec<u8>, ReadError> {
    std::fs::read(file)
        .map_err(|e| ReadError::new(file, String::new(), format!("cannot read it: {e}")))
}

/// One row of `summary.csv`, as [`super::csv_out::summary_csv`] writes it (an empty
/// number is undefined: NaN).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct SummaryRow {
    pub scenario: String,
    pub segment: String,
    pub service: String,
    pub metric: String,
    pub period: String,
    pub mean: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p05: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub reps: usize,
}

impl SummaryRow {
    /// Whether the row is the region's (`all`/`all`).
    pub fn is_region(&self) -> bool {
        self.segment == "all" && self.service == "all"
    }

    /// The summary it holds (its p90 is not in the file: NaN).
    pub fn summary(&self) -> Summary {
        let n = |x: Option<f64>| x.unwrap_or(f64::NAN);
        Summary {
            mean: n(self.mean),
            ci_low: n(self.ci_low),
            ci_high: n(self.ci_high),
            p05: n(self.p05),
            p50: n(self.p50),
            p90: f64::NAN,
            p95: n(self.p95),
            n: self.reps,
        }
    }
}

/// Checks that a CSV file's header is `columns`, exactly.
fn header(rd: &mut csv::Reader<&[u8]>, columns: &[&str], file: &Path) -> Result<(), ReadError> {
    let h = rd
        .headers()
        .map_err(|e| ReadError::new(file, "line 1: ".into(), e.to_string()))?;
    if h.iter().ne(columns.iter().copied()) {
        return Err(ReadError::new(
            file,
            "line 1: ".into(),
            format!(
                "the columns are '{}', not '{}' as jeugdflow writes them",
                h.iter().collect::<Vec<_>>().join(","),
                columns.join(",")
            ),
        ));
    }
    Ok(())
}

/// A CSV error of `file` (with header `columns`) named by line and column (`line` when the
/// error does not know its own).
fn csv_error_at(e: csv::Error, columns: &[&str], file: &Path, line: u64) -> ReadError {
    let line = e.position().map_or(line, |p| p.line());
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let col = err
                .field()
                .and_then(|i| columns.get(i as usize))
                .map_or(String::new(), |c| format!(", column '{c}'"));
            ReadError::new(file, format!("line {line}{col}: "), err.kind().to_string())
        }
        _ => ReadError::new(file, format!("line {line}: "), e.to_string()),
    }
}

/// A CSV error of `file` (with header `columns`) named by line and column.
fn csv_error(e: csv::Error, columns: &[&str], file: &Path) -> ReadError {
    csv_error_at(e, columns, file, 0)
}

/// The rows of a `summary.csv` (`file` names it in errors).
pub fn summary(bytes: &[u8], file: &Path) -> Result<Vec<SummaryRow>, ReadError> {
    let mut rd = csv::Reader::from_reader(bytes);
    header(&mut rd, &SUMMARY_COLUMNS, file)?;
    rd.deserialize()
        .map(|r| r.map_err(|e| csv_error(e, &SUMMARY_COLUMNS, file)))
        .collect()
}

/// One row of `replications.csv`.
#[derive(Deserialize)]
struct ReplicationRow {
    #[allow(dead_code)]
    scenario: String,
    rep: usize,
    metric: String,
    value: Option<f64>,
}

/// The values of `replications.csv` per KPI (in [`KPIS`] order), per replication (NaN
/// when undefined); `regret`, which no run has alone, is empty. Every KPI the file holds
/// must be one jeugdflow writes there, each with the same replications 0, 1, … in order.
pub fn replications(bytes: &[u8], file: &Path) -> Result<Vec<Vec<f64>>, ReadError> {
    let mut rd = csv::Reader::from_reader(bytes);
    header(&mut rd, &REPLICATIONS_COLUMNS, file)?;
    let mut out: Vec<Vec<f64>> = vec![Vec::new(); KPIS.len()];
    for rec in rd.records() {
        let rec = rec.map_err(|e| csv_error(e, &REPLICATIONS_COLUMNS, file))?;
        let line = rec.position().map_or(0, |p| p.line());
        let row: ReplicationRow = rec
            .deserialize(None)
            .map_err(|e| csv_error_at(e, &REPLICATIONS_COLUMNS, file, line))?;
        let at = |col: &str| format!("line {line}, column '{col}': ");
        let Some(k) = Kpi::from_name(&row.metric).filter(|k| k.per_run()) else {
            return Err(ReadError::new(
                file,
                at("metric"),
                format!("'{}' is not a KPI jeugdflow writes there", row.metric),
            ));
        };
        let v = &mut out[k.index()];
        if row.rep != v.len() {
            return Err(ReadError::new(
                file,
                at("rep"),
                format!(
                    "replication {} of '{}' after {} of them: each KPI has replications \
                     0, 1, … in order",
                    row.rep,
                    row.metric,
                    v.len()
                ),
            ));
        }
        v.push(row.value.unwrap_or(f64::NAN));
    }
    let n = out.iter().map(Vec::len).max().unwrap_or(0);
    if let Some(k) = KPIS
        .iter()
        .find(|k| k.per_run() && out[k.index()].len() != n)
    {
        return Err(ReadError::new(
            file,
            format!("metric '{}': ", k.name()),
            format!(
                "{} replications where the others have {n}",
                out[k.index()].len()
            ),
        ));
    }
    Ok(out)
}

/// Every service's waiting over the window, from its `total` rows (in the file's order):
/// the numbers [`crate::sweep::breach::service_waits`] takes from a run's results.
pub fn service_waits(rows: &[SummaryRow]) -> Vec<ServiceWait> {
    let mut out: Vec<ServiceWait> = Vec::new();
    let undefined = || crate::stats::summary::summarise(std::iter::empty(), &mut Vec::new());
    for r in rows {
        if r.period != "total" || r.service == "all" || r.segment == "all" {
            continue;
        }
        let is_wait = r.metric == Metric::WaitDaysMean.name();
        if !is_wait && r.metric != Metric::OverNormShare.name() {
            continue;
        }
        let i = match out.iter().position(|w| w.service == r.service) {
            Some(i) => i,
            None => {
                out.push(ServiceWait {
                    service: r.service.clone(),
                    segment: r.segment.clone(),
                    wait_days_mean: undefined(),
                    over_norm_share: undefined(),
                });
                out.len() - 1
            }
        };
        if is_wait {
            out[i].wait_days_mean = r.summary();
        } else {
            out[i].over_norm_share = r.summary();
        }
    }
    out
}

/// The region's value of `metric` per calendar year: (year, mean, ci_low, ci_high).
pub fn region_per_year(rows: &[SummaryRow], metric: Metric) -> Vec<(i16, f64, f64, f64)> {
    rows.iter()
        .filter(|r| r.is_region() && r.metric == metric.name())
        .filter_map(|r| {
            let s = r.summary();
            r.period
                .parse::<i16>()
                .ok()
                .map(|y| (y, s.mean, s.ci_low, s.ci_high))
        })
        .collect()
}

/// The region's mean over the whole window of every metric `keep` accepts, in table
/// order.
pub fn region_totals(rows: &[SummaryRow], keep: impl Fn(Metric) -> bool) -> Vec<(Metric, f64)> {
    let mut out: Vec<(Metric, f64)> = rows
        .iter()
        .filter(|r| r.is_region() && r.period == "total")
        .filter_map(|r| Metric::from_name(&r.metric).map(|m| (m, r.summary().mean)))
        .filter(|(m, _)| keep(*m))
        .collect();
    out.sort_by_key(|(m, _)| *m);
    out
}

/// The files of a run folder a comparison reads, read.
#[derive(Clone, Debug)]
pub struct RunFiles {
    pub manifest: Manifest,
    pub summary: Vec<SummaryRow>,
    /// Per KPI, per replication ([`replications`]).
    pub replications: Vec<Vec<f64>>,
}

/// The manifest, `summary.csv` and `replications.csv` of run folder `dir`.
pub fn read_run(dir: &Path) -> Result<RunFiles, ReadError> {
    let manifest = read_run_manifest(dir)?;
    let s = dir.join("summary.csv");
    let r = dir.join("replications.csv");
    Ok(RunFiles {
        manifest,
        summary: summary(&read(&s)?, &s)?,
        replications: replications(&read(&r)?, &r)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_malformed_manifest_field_is_named() {
        let f = Path::new("out/a/manifest.json");
        let e = run_manifest(br#"{"tool": "jeugdflow"}"#, f).unwrap_err();
        assert_eq!(
            e.to_string(),
            "'out/a/manifest.json': field 'version': missing"
        );
        let e = stamp(b"{\"tool\": 3}", f).unwrap_err().to_string();
        assert!(
            e.starts_with("'out/a/manifest.json': field 'tool': integer `3`"),
            "{e}"
        );
        let e = stamp(b"{\"tool\": ", f).unwrap_err().to_string();
        assert!(e.contains("not JSON"), "{e}");
        let s = stamp(br#"{"tool": "jeugdflow", "seed": 1}"#, f).unwrap();
        assert_eq!((s.kind, s.files), (None, None));
    }

    #[test]
    fn summary_rows_read_back_with_empty_cells_undefined_and_bad_ones_named() {
        let f = Path::new("summary.csv");
        let head = SUMMARY_COLUMNS.join(",");
        let ok = format!("{head}\nx,all,all,cost,2024,5,4,6,,,,3\n");
        let rows = summary(ok.as_bytes(), f).unwrap();
        assert_eq!(rows[0].mean, Some(5.0));
        assert!(rows[0].summary().p05.is_nan());
        assert_eq!(
            region_per_year(&rows, Metric::Cost),
            [(2024, 5.0, 4.0, 6.0)]
        );
        let bad = format!("{head}\nx,all,all,cost,2024,5,abc,6,,,,3\n");
        let e = summary(bad.as_bytes(), f).unwrap_err().to_string();
        assert!(
            e.starts_with("'summary.csv': line 2, column 'ci_low': "),
            "{e}"
        );
        let e = summary(b"a,b\n1,2\n", f).unwrap_err().to_string();
        assert!(
            e.contains("line 1") && e.contains("not 'scenario,segment"),
            "{e}"
        );
    }

    #[test]
    fn replications_are_per_kpi_in_order_and_unknown_ones_refused() {
        let f = Path::new("replications.csv");
        let mut ok = String::from("scenario,rep,metric,value\n");
        for r in 0..2 {
            for k in KPIS.iter().filter(|k| k.per_run()) {
                ok.push_str(&format!(
                    "x,{r},{},{}\n",
                    k.name(),
                    if r == 0 { "1" } else { "" }
                ));
            }
        }
        let v = replications(ok.as_bytes(), f).unwrap();
        assert_eq!(v[Kpi::Cost.index()][0], 1.0);
        assert!(v[Kpi::Cost.index()][1].is_nan());
        assert!(v[Kpi::Regret.index()].is_empty());
        let e = replications(b"scenario,rep,metric,value\nx,0,nonsense,1\n", f)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2, column 'metric'") && e.contains("nonsense"),
            "{e}"
        );
        let e = replications(b"scenario,rep,metric,value\nx,1,cost,1\n", f)
            .unwrap_err()
            .to_string();
        assert!(e.contains("column 'rep'"), "{e}");
        let e = replications(b"scenario,rep,metric,value\nx,0,cost,1\n", f)
            .unwrap_err()
            .to_string();
        assert!(e.contains("0 replications where the others have 1"), "{e}");
    }

    #[test]
    fn a_summary_file_gives_the_services_total_rows() {
        let csv = "scenario,segment,service,metric,period,mean,ci_low,ci_high,p05,p50,p95,reps\n\
                   s,hsj,hsj-va,over_norm_share,2024,0.1,,,,,,3\n\
                   s,hsj,hsj-va,over_norm_share,total,0.4183,0.38,0.45,0.2,0.43,0.6,50\n\
                   s,hsj,hsj-va,wait_days_mean,total,12.5,11,14,9,12,16,50\n\
                   s,hsj,all,over_norm_share,total,0,0,0,0,0,0,50\n\
                   s,all,all,over_norm_share,total,0.0014,0,0,0,0,0,50\n\
                   s,x,buitenregio,over_norm_share,total,,,,,,,0\n";
        let w = service_waits(&summary(csv.as_bytes(), Path::new("summary.csv")).unwrap());
        assert_eq!(w.len(), 2);
        assert_eq!(
            (w[0].service.as_str(), w[0].segment.as_str()),
            ("hsj-va", "hsj")
        );
        assert_eq!(w[0].over_norm_share.mean, 0.4183);
        assert_eq!(w[0].wait_days_mean.mean, 12.5);
        assert_eq!(w[0].over_norm_share.n, 50);
        assert!(w[1].over_norm_share.mean.is_nan() && w[1].wait_days_mean.mean.is_nan());
    }
}
