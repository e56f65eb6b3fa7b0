//! Charts comparing strategies (the scenarios of a sweep, or the folders given to
//! `compare`), built from each folder's CSV files rather than from results in memory, so
//! a resumed or merged sweep draws the same charts.

use super::figure::{Layer, Mark, Panel, Sheet, colour, line_in_band, year_axis};
use crate::report::lang::Lang;
use crate::stats::summary::{Summary, summarise};
use crate::sweep::KPIS;

/// What the comparison charts need from one output folder.
#[derive(Clone, Debug)]
pub struct Strategy {
    pub name: String,
    /// Per sweep KPI (in [`KPIS`] order): the summary over replications.
    pub kpis: Vec<Summary>,
    /// System P×Q cost per calendar year: (year, mean, p05, p95).
    pub cost: Vec<(i16, f64, f64, f64)>,
}

/// Why a folder's CSV could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct CsvError {
    pub file: String,
    pub message: String,
}

impl Strategy {
    /// Reads a strategy from the bytes of its `replications.csv` and `summary.csv`.
    pub fn from_csv(name: &str, replications: &[u8], summary: &[u8]) -> Result<Strategy, CsvError> {
        let fail = |file: &str, e: csv::Error| CsvError {
            file: file.to_string(),
            message: e.to_string(),
        };
        let mut per_kpi: Vec<Vec<f64>> = vec![Vec::new(); KPIS.len()];
        for rec in csv::Reader::from_reader(replications).records() {
            let rec = rec.map_err(|e| fail("replications.csv", e))?;
            let metric = rec.get(2).unwrap_or("");
            if let Some(k) = KPIS.iter().position(|m| m.name() == metric) {
                per_kpi[k].push(rec.get(3).unwrap_or("").parse().unwrap_or(f64::NAN));
            }
        }
        let mut buf = Vec::new();
        let kpis = per_kpi
            .iter()
            .map(|v| summarise(v.iter().copied(), &mut buf))
            .collect();
        let mut cost = Vec::new();
        let mut r = csv::Reader::from_reader(summary);
        let headers = r.headers().map_err(|e| fail("summary.csv", e))?.clone();
        let col = |n: &str| headers.iter().position(|h| h == n);
        let (Some(seg), Some(svc), Some(met), Some(per), Some(mean), Some(p05), Some(p95)) = (
            col("segment"),
            col("service"),
            col("metric"),
            col("period"),
            col("mean"),
            col("p05"),
            col("p95"),
        ) else {
            return Err(CsvError {
                file: "summary.csv".into(),
                message: "missing columns".into(),
            });
        };
        let num = |s: Option<&str>| s.unwrap_or("").parse::<f64>().unwrap_or(f64::NAN);
        for rec in r.records() {
            let rec = rec.map_err(|e| fail("summary.csv", e))?;
            if rec.get(seg) != Some("all") || rec.get(svc) != Some("all") {
                continue;
            }
            if rec.get(met) != Some("cost") {
                continue;
            }
            let Ok(year) = rec.get(per).unwrap_or("").parse::<i16>() else {
                continue;
            };
            cost.push((
                year,
                num(rec.get(mean)),
                num(rec.get(p05)),
                num(rec.get(p95)),
            ));
        }
        Ok(Strategy {
            name: name.to_string(),
            kpis,
            cost,
        })
    }
}

/// Every KPI in its own small panel: per strategy the mean and its 95% interval
/// (dot and whisker), strategies told apart by colour.
pub fn kpis(strategies: &[Strategy], lang: Lang) -> Sheet {
    let l = lang.labels();
    let n = strategies.len();
    let ticks: Vec<(f64, String)> = (0..n).map(|i| (i as f64, (i + 1).to_string())).collect();
    let panels = KPIS
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let mut layers = Vec::new();
            for (i, s) in strategies.iter().enumerate() {
                let x = i as f64;
                let v = s.kpis.get(k).copied();
                let (mean, lo, hi) = v.map_or((f64::NAN, f64::NAN, f64::NAN), |v| {
                    (v.mean, v.ci_low, v.ci_high)
                });
                layers.push(Layer::new(
                    Mark::Whiskers {
                        segs: vec![[x, lo, x, hi]],
                    },
                    colour(i),
                    "",
                ));
                layers.push(Layer::new(
                    Mark::Points {
                        xs: vec![x],
                        ys: vec![mean],
                    },
                    colour(i),
                    &format!("{}. {}", i + 1, s.name),
                ));
            }
            Panel {
                title: lang.kpi_label(*m),
                x_desc: String::new(),
                y_desc: String::new(),
                x_range: (-0.6, n as f64 - 0.4),
                x_ticks: ticks.clone(),
                layers,
            }
        })
        .collect();
    Sheet {
        title: l.kpis_title.into(),
        panels,
        cols: 3,
        size: (1000, 60 + 4 * 210),
        lang,
    }
}

/// Total P×Q cost per year per strategy: the mean as a line in a band from p05 to p95
/// over replications. `None` when no strategy has costs.
pub fn cost_fan(strategies: &[Strategy], lang: Lang) -> Option<Sheet> {
    let l = lang.labels();
    let mut years: Vec<i16> = strategies
        .iter()
        .flat_map(|s| s.cost.iter().filter(|c| c.1.is_finite()).map(|c| c.0))
        .collect();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return None;
    }
    // one neutral legend entry says what the coloured bands are
    let mut layers = vec![Layer::new(
        Mark::Band {
            xs: Vec::new(),
            lo: Vec::new(),
            hi: Vec::new(),
        },
        super::figure::GREY,
        l.band_90,
    )];
    for (i, s) in strategies.iter().enumerate() {
        let m = |f: fn(&(i16, f64, f64, f64)) -> f64| s.cost.iter().map(|c| f(c) / 1e6).collect();
        layers.extend(line_in_band(
            s.cost.iter().map(|c| c.0 as f64).collect(),
            m(|c| c.1),
            (m(|c| c.2), m(|c| c.3)),
            colour(i),
            &format!("{}. {}", i + 1, s.name),
        ));
    }
    let (x_range, x_ticks) = year_axis(&years, 0.3);
    Some(Sheet {
        title: l.cost_fan_title.to_string(),
        panels: vec![Panel {
            title: String::new(),
            x_desc: l.year.into(),
            y_desc: l.euro_m.into(),
            x_range,
            x_ticks,
            layers,
        }],
        cols: 1,
        size: super::run::SIZE,
        lang,
    })
}

/// The comparison charts, named.
pub fn sheets(strategies: &[Strategy], lang: Lang) -> Vec<(String, Sheet)> {
    let mut out = vec![("strategies-kpis".to_string(), kpis(strategies, lang))];
    if let Some(fan) = cost_fan(strategies, lang) {
        out.push(("strategies-cost".into(), fan));
    }
    out
}
