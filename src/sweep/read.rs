//! Reading a sweep file: its scenarios and axes, every problem located at the line and
//! column of the sweep file where the user wrote the value (an axis given twice names
//! both lines).

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{Axis, AxisAt, Future, Sweep};
use crate::model::sim::grouped;
use crate::scenario::chain::OverrideFile;
use crate::scenario::{Diagnostic, ScenarioError, Source, folder_name_problem};

/// The sweep file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweepFile {
    sweep: Spanned<RawSweep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    name: Option<Spanned<String>>,
    base: Option<Spanned<String>>,
    #[serde(default)]
    scenarios: Vec<Spanned<String>>,
    /// Partial scenario files merged on top of every scenario: the futures every road
    /// runs in.
    #[serde(default)]
    futures: Vec<Spanned<String>>,
    /// A whole number (checked by [`count`], so that `1e12` gets a clear message).
    replications: Option<Spanned<toml::Value>>,
    seed: Option<u64>,
    /// Latin-hypercube samples over the axes given as `range`.
    samples: Option<Spanned<toml::Value>>,
    /// Whether each point's folder keeps the monthly time series (`true` or `false`).
    timeseries: Option<Spanned<toml::Value>>,
    #[serde(default)]
    axis: Vec<Spanned<RawAxis>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAxis {
    path: Spanned<String>,
    values: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    range: Option<Spanned<[toml::Value; 2]>>,
    /// Round sampled values to whole numbers (default: when both bounds are integers).
    integer: Option<bool>,
}

/// Collects the problems of one sweep file.
struct Problems<'a> {
    file: &'a str,
    text: &'a str,
    list: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn at(&mut self, offset: usize, field: &str, message: String) {
        self.list
            .push(Diagnostic::at(self.file, self.text, offset, field, message));
    }
    fn line(&self, offset: usize) -> usize {
        Diagnostic::at(self.file, self.text, offset, "", String::new()).line
    }
}

/// The most scenarios (points) a sweep may have: grid × samples × scenario files.
pub const MAX_POINTS: u64 = 100_000;

/// The whole number `v` of key `key` within `1..=max`, or the problem, at its place.
fn count(p: &mut Problems, key: &str, v: &Spanned<toml::Value>, max: u64) -> Option<u32> {
    match v.get_ref().as_integer() {
        Some(n) if n >= 1 && n as u64 <= max => Some(n as u32),
        _ => {
            p.at(
                v.span().start,
                key,
                format!(
                    "{key} must be a whole number from 1 to {}, got {}",
                    grouped(max),
                    v.get_ref()
                ),
            );
            None
        }
    }
}

/// Reads a sweep file; scenario paths are relative to it. Every problem is reported, each
/// at the place in the sweep file that holds it.
pub fn read(path: &Path) -> Result<Sweep, ScenarioError> {
    let src = Source::read(path)?;
    let file = src.name.clone();
    let top = src.text.parse::<toml::Table>().ok();
    if top
        .as_ref()
        .is_some_and(|t| t.contains_key("scenario") && !t.contains_key("sweep"))
    {
        return Err(ScenarioError::WrongKind {
            path: file.clone(),
            message: format!(
                "this is a scenario file (it has [scenario]), not a sweep: run it with \
                 `jeugdflow run {file}`; a sweep file has a [sweep] table naming its scenarios, \
                 e.g. base = \"{}\" (README, \"Sweeps\")",
                path.file_name()
                    .map_or(file.clone(), |n| n.to_string_lossy().into_owned())
            ),
        });
    }
    let raw: RawSweepFile = toml::from_str(&src.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        ScenarioError::Invalid(vec![Diagnostic::at(
            &file,
            &src.text,
            offset,
            "sweep",
            e.message().trim().replace("unknown field", "unknown key"),
        )])
    })?;
    let mut p = Problems {
        file: &file,
        text: &src.text,
        list: Vec::new(),
    };
    let sweep_at = raw.sweep.span().start;
    let s = raw.sweep.into_inner();
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let listed: Vec<&Spanned<String>> = s.base.iter().chain(&s.scenarios).collect();
    if listed.is_empty() {
        p.at(
            sweep_at,
            "sweep",
            "give `base = \"…\"` and/or `scenarios = [\"…\"]`".into(),
        );
    }
    let mut scenarios = Vec::new();
    let mut scenarios_at = Vec::new();
    for f in listed {
        match Source::read(&dir.join(f.get_ref())) {
            Ok(s) => {
                scenarios.push(s);
                scenarios_at.push(f.span().start);
            }
            Err(e) => p.at(
                f.span().start,
                "sweep.scenarios",
                format!("{e} (paths are relative to the sweep file)"),
            ),
        }
    }
    let futures = futures(&mut p, &dir, &s.futures);
    let max_reps = u64::from(crate::scenario::limits::MAX_REPLICATIONS);
    let replications = s
        .replications
        .as_ref()
        .and_then(|v| count(&mut p, "sweep.replications", v, max_reps));
    let samples = s
        .samples
        .as_ref()
        .and_then(|v| count(&mut p, "sweep.samples", v, MAX_POINTS));
    if let Some(name) = &s.name
        && let Some(message) = folder_name_problem(name.get_ref())
    {
        p.at(name.span().start, "sweep.name", message);
    }
    let timeseries = match &s.timeseries {
        None => false,
        Some(v) => v.get_ref().as_bool().unwrap_or_else(|| {
            p.at(
                v.span().start,
                "sweep.timeseries",
                format!(
                    "sweep.timeseries must be true or false (without quotes), got {}",
                    v.get_ref()
                ),
            );
            false
        }),
    };
    let axes = axes(&mut p, &s.axis, s.samples.is_some());
    if !p.list.is_empty() {
        return Err(ScenarioError::Invalid(p.list));
    }
    let samples = if axes.iter().any(|a| a.range.is_some()) {
        samples.unwrap_or(1)
    } else {
        1
    };
    let points = axes.iter().filter(|a| a.range.is_none()).fold(
        scenarios.len() as u64 * u64::from(samples) * futures.len().max(1) as u64,
        |n, a| n.saturating_mul(a.values.len() as u64),
    );
    if points > MAX_POINTS {
        p.at(
            sweep_at,
            "sweep",
            format!(
                "the sweep has {} scenarios (scenario files × futures × grid values × \
                 samples), more than the limit of {}: split it into several sweeps",
                grouped(points),
                grouped(MAX_POINTS)
            ),
        );
        return Err(ScenarioError::Invalid(p.list));
    }
    let name = s.name.map(Spanned::into_inner).unwrap_or_else(|| {
        path.file_stem()
            .map_or("sweep".into(), |x| x.to_string_lossy().into_owned())
    });
    Ok(Sweep {
        name,
        file,
        source: OverrideFile {
            name: src.name.clone(),
            text: src.text.clone(),
        },
        scenarios,
        scenarios_at,
        futures,
        replications,
        seed: s.seed,
        samples,
        timeseries,
        axes,
    })
}

/// What a future may not hold, by its dotted key, and why: it changes the world the
/// roads run in — demand, the staff market, prices — never the road (its plan), the
/// comparison (seed, horizon, limits) or which scenario a point is.
fn forbidden_in_future(key: &str) -> Option<&'static str> {
    Some(match key {
        "scenario.name" | "scenario.extends" => {
            "a future is merged on top of each scenario of the sweep and keeps its name; \
             the point is named `<scenario>.<future>` after the future's file"
        }
        "scenario.seed" | "scenario.replications" => {
            "every road runs in every future with the sweep's seed and replications (common \
             random numbers); set them in [sweep]"
        }
        "scenario.start" | "scenario.end" | "scenario.warmup" => {
            "every future is measured over the roads' own horizon, so that roads and futures \
             compare over the same years"
        }
        "report" => {
            "the limits a road is judged by are policy, the same in every future: set them \
             in the roads' scenario files or on a sweep axis"
        }
        "schedule" | "transition" | "finance.funding" => {
            "capacity paths, transition windows and funding models are a road's plan: put \
             them in the road's scenario file"
        }
        _ => return None,
    })
}

/// The futures listed in the sweep file: each read (paths relative to the sweep file),
/// named after its file, and checked to hold only what a future may change.
fn futures(p: &mut Problems, dir: &Path, listed: &[Spanned<String>]) -> Vec<Future> {
    let mut out: Vec<Future> = Vec::new();
    for f in listed {
        let at = f.span().start;
        let source = match Source::read(&dir.join(f.get_ref())) {
            Ok(s) => s,
            Err(e) => {
                p.at(
                    at,
                    "sweep.futures",
                    format!("{e} (paths are relative to the sweep file)"),
                );
                continue;
            }
        };
        let name = Path::new(f.get_ref())
            .file_stem()
            .map(|x| x.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(why) = folder_name_problem(&name) {
            p.at(
                at,
                "sweep.futures",
                format!("a future is named after its file, \"{name}\": {why}"),
            );
            continue;
        }
        if let Some(first) = out.iter().find(|x| x.name == name) {
            p.at(
                at,
                "sweep.futures",
                format!(
                    "two futures are named \"{name}\" (line {}): a future is named after its \
                     file, and names the folders of its points; rename one file",
                    p.line(first.at)
                ),
            );
            continue;
        }
        let before = p.list.len();
        check_future(p, &source);
        if p.list.len() == before {
            out.push(Future { name, source, at });
        }
    }
    out
}

/// A future's file on its own (as the studio offers the files of a futures folder): read,
/// named after its file, and checked to hold only what a future may change — the checks a
/// sweep's `futures` get.
pub fn read_future(path: &Path) -> Result<Future, ScenarioError> {
    let source = Source::read(path)?;
    let name = path
        .file_stem()
        .map(|x| x.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut p = Problems {
        file: &source.name,
        text: &source.text,
        list: Vec::new(),
    };
    if let Some(why) = folder_name_problem(&name) {
        p.at(
            0,
            "future",
            format!("a future is named after its file, \"{name}\": {why}"),
        );
    }
    check_future(&mut p, &source);
    if !p.list.is_empty() {
        return Err(ScenarioError::Invalid(p.list));
    }
    Ok(Future {
        name,
        source,
        at: 0,
    })
}

/// Every key of future `f` that a future may not hold, at its line of the future's file.
fn check_future(p: &mut Problems, f: &Source) {
    let table = match toml::de::DeTable::parse(&f.text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_string();
            p.list
                .push(Diagnostic::at(&f.name, &f.text, at, "future", message));
            return;
        }
    };
    for (key, value) in table.iter() {
        let k: &str = key.get_ref();
        let mut keys = vec![(k.to_string(), key.span().start)];
        if let toml::de::DeValue::Table(t) = value.get_ref()
            && matches!(k, "scenario" | "finance")
        {
            keys = t
                .iter()
                .map(|(ck, _)| (format!("{k}.{}", ck.get_ref()), ck.span().start))
                .collect();
        }
        for (key, at) in keys {
            if let Some(why) = forbidden_in_future(&key) {
                p.list.push(Diagnostic::at(
                    &f.name,
                    &f.text,
                    at,
                    &key,
                    format!("a future may not set `{key}`: {why}"),
                ));
            }
        }
    }
}

/// Every axis, checked: values or a range (with `samples`), and no parameter on two axes.
fn axes(p: &mut Problems, raw: &[Spanned<RawAxis>], has_samples: bool) -> Vec<Axis> {
    let mut axes: Vec<Axis> = Vec::new();
    for (k, a) in raw.iter().enumerate() {
        let a = a.get_ref();
        let field = format!("sweep.axis[{}]", k + 1);
        let path = a.path.get_ref().clone();
        let path_at = a.path.span().start;
        if let Some(why) = unswept(&path) {
            p.at(path_at, &format!("{field}.path"), why);
            continue;
        }
        if let Some(first) = axes.iter().position(|x| x.path == path) {
            p.at(
                path_at,
                &format!("{field}.path"),
                format!(
                    "\"{path}\" is already swept by sweep.axis[{}] (line {}): one axis per \
                     parameter, with all its values",
                    first + 1,
                    p.line(axes[first].at.path)
                ),
            );
            continue;
        }
        let mut at = AxisAt {
            path: path_at,
            ..AxisAt::default()
        };
        match (&a.values, &a.range) {
            (Some(values), None) => {
                if values.get_ref().is_empty() {
                    p.at(
                        values.span().start,
                        &format!("{field}.values"),
                        format!("axis \"{path}\" has no values"),
                    );
                    continue;
                }
                at.values = values
                    .get_ref()
                    .iter()
                    .map(|v| {
                        let span = v.span();
                        let written = p.text.get(span.clone()).unwrap_or_default();
                        (span.start, written.to_string())
                    })
                    .collect();
                axes.push(Axis {
                    path,
                    values: values
                        .get_ref()
                        .iter()
                        .map(|v| v.get_ref().to_string())
                        .collect(),
                    range: None,
                    at,
                });
            }
            (None, Some(range)) => {
                at.range = range.span().start;
                let field = format!("{field}.range");
                let [lo_v, hi_v] = range.get_ref();
                let num =
                    |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
                let (Some(lo), Some(hi)) = (num(lo_v), num(hi_v)) else {
                    p.at(at.range, &field, "a range must be two numbers".into());
                    continue;
                };
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    p.at(
                        at.range,
                        &field,
                        "a range must be [low, high] with low ≤ high".into(),
                    );
                    continue;
                }
                if !has_samples {
                    p.at(
                        at.range,
                        &field,
                        format!("axis \"{path}\" has a range: give `samples = N` in [sweep]"),
                    );
                    continue;
                }
                let whole = a.integer.unwrap_or(lo_v.is_integer() && hi_v.is_integer());
                axes.push(Axis {
                    path,
                    values: Vec::new(),
                    range: Some((lo, hi, whole)),
                    at,
                });
            }
            _ => p.at(
                path_at,
                &field,
                format!("axis \"{path}\" needs either `values = [...]` or `range = [low, high]`"),
            ),
        }
    }
    axes
}

/// Why parameter `path` cannot be an axis, or `None` when it can: every point runs with
/// the run's seed and replications, so that replication `r` of every point draws the same
/// youths and the points are paired by common random numbers; an axis on either would be
/// ignored (or, if honoured, would break that pairing).
fn unswept(path: &str) -> Option<String> {
    let (key, instead) = match path {
        "scenario.seed" => ("seed", "`seed = N` in [sweep]"),
        "scenario.replications" => (
            "number of replications",
            "`replications = N` in [sweep] or --reps",
        ),
        _ => return None,
    };
    Some(format!(
        "\"{path}\" cannot be swept: every scenario of a sweep runs with the same {key}, so \
         that the scenarios are paired by common random numbers; set it once with {instead}"
    ))
}
