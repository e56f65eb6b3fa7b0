//! The `sweep` and `compare` commands: reading, running, writing and printing. The
//! statistics they use live in the library (`jeugdflow::sweep`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use jeugdflow::experiment::{self, Plan};
use jeugdflow::report::{csv_out, manifest::sha256_hex, num};
use jeugdflow::scenario;
use jeugdflow::stats::Metric;
use jeugdflow::stats::summary::summarise;
use jeugdflow::sweep::{self, KPIS, lower_is_better, paired, unpaired_half_width};

use jeugdflow::report::lang::Lang;
use jeugdflow::report::plots::{self, compare::Strategy};
use jeugdflow::report::{html, output};

use crate::cli::{InvalidInput, Report, progress_bar, write_run};

/// Per KPI, per replication.
type Kpis = Vec<Vec<f64>>;

/// Which part of a sweep this process runs: points with `index % of == part - 1`.
#[derive(Clone, Copy, Debug)]
pub struct Shard {
    pub part: usize,
    pub of: usize,
}

/// Parses `K/N` with 1 ≤ K ≤ N.
pub fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("\"{s}\" is not K/N (e.g. 2/8)"))?;
    let (k, n): (usize, usize) = (
        k.trim()
            .parse()
            .map_err(|_| format!("\"{s}\" is not K/N (e.g. 2/8)"))?,
        n.trim()
            .parse()
            .map_err(|_| format!("\"{s}\" is not K/N (e.g. 2/8)"))?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be between 1 and N"));
    }
    Ok(Shard { part: k, of: n })
}

/// Set by Ctrl-C: the sweep stops after the scenario in flight.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[allow(clippy::too_many_arguments)]
pub fn sweep(
    file: &Path,
    reps: Option<u32>,
    out: Option<PathBuf>,
    threads: Option<usize>,
    resume: bool,
    quiet: bool,
    shard: Option<Shard>,
    lang: Lang,
) -> Result<ExitCode> {
    let spec = sweep::read(file)?;
    let sweep_text = std::fs::read(file).unwrap_or_default();
    // every point is validated before anything runs
    let names: Vec<String> = spec
        .scenarios
        .iter()
        .map(|s| scenario::load(s).map(|m| m.name))
        .collect::<Result<_, _>>()?;
    let points = spec.points(&names);
    let mut models = Vec::with_capacity(points.len());
    for p in &points {
        let mut m = scenario::load_with(&p.source, &p.overrides)?;
        m.name = p.name.clone();
        models.push(m);
    }
    let seed = spec.seed.unwrap_or(models[0].seed);
    let replications = reps.or(spec.replications).unwrap_or(models[0].replications);
    let plan = Plan {
        replications,
        seed,
        threads,
    };
    let out_dir = out.unwrap_or_else(|| PathBuf::from("output").join(&spec.name));
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create output folder '{}'", out_dir.display()))?;

    // what identifies this sweep across shards: its file and every scenario file
    let mut id = sweep_text.clone();
    for src in &spec.scenarios {
        id.extend_from_slice(src.text.as_bytes());
    }
    id.extend_from_slice(format!("seed={seed} reps={replications}").as_bytes());
    let sweep_id = sha256_hex(&id);
    let mine = |i: usize| shard.is_none_or(|sh| i % sh.of == sh.part - 1);
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130); // a second Ctrl-C stops at once
        }
        eprintln!("\ninterrupted: finishing the scenario in flight (Ctrl-C again to stop now)");
    });

    let total =
        (points.iter().enumerate().filter(|(i, _)| mine(*i)).count() as u64) * replications as u64;
    let bar = progress_bar(total, &spec.name, quiet);
    let mut kpis: Vec<Kpis> = Vec::with_capacity(points.len());
    let mut done = 0u64;
    let mut complete = 0usize;
    for (index, (p, model)) in points.iter().zip(&models).enumerate() {
        if !mine(index) {
            continue;
        }
        if INTERRUPTED.load(Ordering::SeqCst) {
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            eprintln!(
                "stopped: {complete} of {} scenarios complete in '{}'; run again with --resume to finish",
                points.len(),
                out_dir.display()
            );
            return Ok(ExitCode::from(130));
        }
        let key = sweep_key(p, seed, replications);
        let dir = out_dir.join(&p.name);
        if resume && let Some(k) = completed(&dir, &key) {
            kpis.push(k);
            complete += 1;
            done += replications as u64;
            if let Some(b) = &bar {
                b.set_position(done);
            }
            continue;
        }
        let started = Instant::now();
        let progress = |n: u64| {
            if let Some(b) = &bar {
                b.set_position(done + n);
            }
        };
        let res = experiment::run(model, plan, &progress)?;
        done += replications as u64;
        let member = SweepMember {
            sweep: spec.name.clone(),
            sweep_id: sweep_id.clone(),
            index,
            points: points.len(),
            axes: spec.axes.iter().map(|a| a.path.clone()).collect(),
            values: p.overrides.iter().map(|o| o.value.clone()).collect(),
        };
        write_run(
            model,
            &p.source,
            plan,
            &res,
            started.elapsed().as_secs_f64(),
            &dir,
            Some((&key, serde_json::to_value(&member).unwrap_or_default())),
            &[],
            &Report {
                lang,
                extra: Vec::new(),
            },
        )?;
        kpis.push(sweep::kpi_values(model, &res));
        complete += 1;
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(sh) = shard {
        if !quiet {
            println!(
                "{}: shard {}/{} done ({complete} of {} scenarios) in {}; combine the shards with `jeugdflow merge`",
                spec.name,
                sh.part,
                sh.of,
                points.len(),
                out_dir.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<String> = points.iter().map(|p| p.name.clone()).collect();
    let values: Vec<Vec<String>> = points
        .iter()
        .map(|p| p.overrides.iter().map(|o| o.value.clone()).collect())
        .collect();
    let axes: Vec<String> = spec.axes.iter().map(|a| a.path.clone()).collect();
    write_tables(&out_dir, &axes, &names, &values, &kpis)?;
    let labels = strategy_labels(&names, &axes, &values);
    write_sweep_report(&out_dir, &spec.name, &names, &labels, lang)?;
    if !quiet {
        println!(
            "{}: {} scenarios × {} replications, seed {} (common random numbers)",
            spec.name,
            points.len(),
            replications,
            seed
        );
        println!("results: {}", out_dir.display());
        println!("report:  {}", out_dir.join("report.html").display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the strategies to compare from their output folders' CSV files.
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

/// The comparison page and its charts for strategies read from `dirs`.
fn comparison(
    title: &str,
    meta: Vec<String>,
    dirs: &[PathBuf],
    names: &[String],
    links: Vec<(String, String)>,
    files: bool,
    lang: Lang,
) -> Result<(String, Vec<plots::Chart>)> {
    let strategies = read_strategies(dirs, names)?;
    let charts = plots::render_all(&plots::compare::sheets(&strategies, lang))?;
    let page = html::sweep::page(title, "", meta, &strategies, &charts, links, files, lang);
    Ok((html::render(&page), charts))
}

/// Each sweep point's label for the report: its folder name and, for points of axes, the
/// values that define it (`small-2 (residential.capacity = 24)`).
fn strategy_labels(names: &[String], axes: &[String], values: &[Vec<String>]) -> Vec<String> {
    names
        .iter()
        .zip(values)
        .map(|(name, vals)| {
            if vals.is_empty() {
                return name.clone();
            }
            let parts: Vec<String> = axes
                .iter()
                .zip(vals)
                .map(|(a, v)| {
                    let mut last: Vec<&str> = a.rsplit('.').take(2).collect();
                    last.reverse();
                    format!("{} = {v}", last.join("."))
                })
                .collect();
            format!("{name} ({})", parts.join(", "))
        })
        .collect()
}

/// One line each: how many strategies, and the replications and seed of the first
/// folder's manifest (a sweep's are all the same).
fn comparison_meta(dirs: &[PathBuf], lang: Lang) -> Vec<String> {
    let l = lang.labels();
    let mut meta = vec![format!("{} {}", dirs.len(), l.strategies)];
    let manifest: Option<serde_json::Value> = dirs
        .first()
        .and_then(|d| std::fs::read(d.join("manifest.json")).ok())
        .and_then(|b| serde_json::from_slice(&b).ok());
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

/// The sweep's `report.html` and `plots/` (comparison charts), beside its scenario
/// folders, from those folders' CSV files.
fn write_sweep_report(
    out_dir: &Path,
    title: &str,
    names: &[String],
    labels: &[String],
    lang: Lang,
) -> Result<()> {
    let dirs: Vec<PathBuf> = names.iter().map(|n| out_dir.join(n)).collect();
    let meta = comparison_meta(&dirs, lang);
    let links = names
        .iter()
        .zip(labels)
        .map(|(n, l)| (l.clone(), format!("{n}/report.html")))
        .collect();
    let (page, charts) = comparison(title, meta, &dirs, labels, links, true, lang)?;
    let files = plots::files(&charts);
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.trim_start_matches("plots/"), b.as_slice()))
        .collect();
    output::write_atomically(&out_dir.join("plots"), &refs)?;
    write_file(&out_dir.join("report.html"), page.as_bytes())
}

/// What a sweep scenario's manifest records about its sweep, so shards can be merged.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
struct SweepMember {
    sweep: String,
    sweep_id: String,
    index: usize,
    points: usize,
    axes: Vec<String>,
    values: Vec<String>,
}

/// `sweep.csv` and `differences.csv` from the per-replication KPIs of every point.
fn write_tables(
    out_dir: &Path,
    axes: &[String],
    names: &[String],
    values: &[Vec<String>],
    kpis: &[Kpis],
) -> Result<()> {
    let mut w = csv_out::writer();
    let mut header = vec!["scenario".to_string()];
    header.extend(axes.iter().cloned());
    header.extend(
        ["metric", "mean", "ci_low", "ci_high", "p05", "p95", "reps"]
            .iter()
            .map(|s| s.to_string()),
    );
    let _ = w.write_record(&header);
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
            let _ = w.write_record(&row);
        }
    }
    let sweep_csv = csv_out::finish(w);
    let mut w = csv_out::writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "metric",
        "mean_diff",
        "ci_low",
        "ci_high",
        "p_better",
    ]);
    for (name, k) in names.iter().zip(kpis).skip(1) {
        for ((m, values), base) in KPIS.iter().zip(k).zip(&kpis[0]) {
            let d = paired(values, base, lower_is_better(*m));
            let _ = w.write_record([
                name.as_str(),
                &names[0],
                m.name(),
                &num(d.mean),
                &num(d.ci_low),
                &num(d.ci_high),
                &num(d.p_better),
            ]);
        }
    }
    let diff_csv = csv_out::finish(w);
    write_file(&out_dir.join("sweep.csv"), &sweep_csv)?;
    write_file(&out_dir.join("differences.csv"), &diff_csv)
}

/// Combines the folders of a sweep's shards into one result, identical to a single run.
pub fn merge(dirs: &[PathBuf], out: &Path, lang: Lang) -> Result<ExitCode> {
    let mut members: BTreeMap<usize, (SweepMember, PathBuf)> = BTreeMap::new();
    let mut first: Option<SweepMember> = None;
    for d in dirs {
        let entries = std::fs::read_dir(d).map_err(|e| {
            InvalidInput(format!("cannot read shard folder '{}': {e}", d.display()))
        })?;
        let mut found = 0;
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            let Some(m) = std::fs::read(p.join("manifest.json"))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| serde_json::from_value::<SweepMember>(v.get("sweep")?.clone()).ok())
            else {
                continue;
            };
            found += 1;
            match &first {
                None => first = Some(m.clone()),
                Some(f) if f.sweep_id != m.sweep_id => {
                    return Err(InvalidInput(format!(
                        "'{}' belongs to sweep \"{}\" (or another version of it), not \"{}\": \
                         only shards of one sweep can be merged",
                        p.display(),
                        m.sweep,
                        f.sweep
                    ))
                    .into());
                }
                Some(_) => {}
            }
            members.entry(m.index).or_insert((m, p));
        }
        if found == 0 {
            return Err(InvalidInput(format!(
                "'{}' holds no scenario of a sweep (no manifest.json with a sweep entry)",
                d.display()
            ))
            .into());
        }
    }
    let Some(first) = first else {
        return Err(InvalidInput("no shard folders given".into()).into());
    };
    let missing: Vec<usize> = (0..first.points)
        .filter(|i| !members.contains_key(i))
        .collect();
    if !missing.is_empty() {
        return Err(InvalidInput(format!(
            "the shards hold {} of {} scenarios of sweep \"{}\"; missing scenario numbers: {:?}",
            members.len(),
            first.points,
            first.sweep,
            missing.iter().map(|i| i + 1).collect::<Vec<_>>()
        ))
        .into());
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder '{}'", out.display()))?;
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut kpis = Vec::new();
    for (m, dir) in members.values() {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = out.join(&name);
        if target != *dir {
            // the folder's files and those of its `plots/`
            let mut files: Vec<(String, Vec<u8>)> = Vec::new();
            for (sub, prefix) in [(dir.clone(), ""), (dir.join("plots"), "plots/")] {
                let Ok(entries) = std::fs::read_dir(&sub) else {
                    continue;
                };
                let mut entries: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                for p in entries.into_iter().filter(|p| p.is_file()) {
                    let n = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    files.push((format!("{prefix}{n}"), std::fs::read(&p)?));
                }
            }
            let refs: Vec<(&str, &[u8])> = files
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            jeugdflow::report::output::write_atomically(&target, &refs)?;
        }
        let reps = read_replications(dir)?;
        kpis.push(
            KPIS.iter()
                .map(|k| reps.get(k.name()).cloned().unwrap_or_default())
                .collect(),
        );
        names.push(name);
        values.push(m.values.clone());
    }
    write_tables(out, &first.axes, &names, &values, &kpis)?;
    let labels = strategy_labels(&names, &first.axes, &values);
    write_sweep_report(out, &first.sweep, &names, &labels, lang)?;
    println!(
        "{}: merged {} scenarios into {}",
        first.sweep,
        names.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// What determines a sweep point's results.
fn sweep_key(p: &sweep::Point, seed: u64, reps: u32) -> String {
    let mut s = p.source.text.clone();
    for o in &p.overrides {
        s.push_str(&format!("\n{} = {}", o.path, o.value));
    }
    s.push_str(&format!(
        "\nseed={seed} reps={reps} version={}",
        env!("CARGO_PKG_VERSION")
    ));
    sha256_hex(s.as_bytes())
}

/// The KPIs of a sweep point already complete in `dir` with the same key.
fn completed(dir: &Path, key: &str) -> Option<Kpis> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).ok()?).ok()?;
    if manifest.get("sweep_key")?.as_str()? != key {
        return None;
    }
    let reps = read_replications(dir).ok()?;
    Some(
        KPIS.iter()
            .map(|m| reps.get(m.name()).cloned().unwrap_or_default())
            .collect(),
    )
}

/// `replications.csv` of a run folder: metric → values by replication.
fn read_replications(dir: &Path) -> Result<BTreeMap<String, Vec<f64>>> {
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

/// Writes a file atomically (temporary file, then rename).
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .with_context(|| format!("cannot write '{}'", path.display()))
}

pub fn compare(
    dirs: &[PathBuf],
    csv_out: Option<&Path>,
    html_out: Option<&Path>,
    lang: Lang,
) -> Result<ExitCode> {
    struct Run {
        name: String,
        seed: Option<u64>,
        reps: BTreeMap<String, Vec<f64>>,
    }
    let mut runs = Vec::new();
    for d in dirs {
        let manifest: serde_json::Value = std::fs::read(d.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                InvalidInput(format!(
                    "'{}' is not a jeugdflow output folder (no readable manifest.json)",
                    d.display()
                ))
            })?;
        runs.push(Run {
            name: manifest["scenario"].as_str().unwrap_or("?").to_string(),
            seed: manifest["seed"].as_u64(),
            reps: read_replications(d)?,
        });
    }
    let base = &runs[0];
    let mut w = csv_out::writer();
    let _ = w.write_record([
        "scenario",
        "baseline",
        "metric",
        "mean",
        "mean_diff",
        "ci_low",
        "ci_high",
        "p_better",
        "paired",
    ]);
    // ranked by mean wait, lowest first
    let wait = Metric::WaitDaysMean.name();
    let mean_of = |r: &Run, m: &str| {
        let v = r.reps.get(m).cloned().unwrap_or_default();
        summarise(v.into_iter(), &mut Vec::new()).mean
    };
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|a, b| mean_of(&runs[*a], wait).total_cmp(&mean_of(&runs[*b], wait)));
    println!(
        "{:<24} {}",
        "KPI (mean, difference with",
        order
            .iter()
            .map(|i| format!(" {:>40}", runs[*i].name))
            .collect::<String>()
    );
    println!(" {} [95% CI])", base.name);
    for m in KPIS {
        let mut line = format!("{:<24}", m.name());
        for &i in &order {
            let r = &runs[i];
            let a = r.reps.get(m.name()).cloned().unwrap_or_default();
            let b = base.reps.get(m.name()).cloned().unwrap_or_default();
            let mean = mean_of(r, m.name());
            let is_paired = r.seed == base.seed && a.len() == b.len();
            let (d, lo, hi, pb) = if i == 0 {
                (0.0, f64::NAN, f64::NAN, f64::NAN)
            } else if is_paired {
                let d = paired(&a, &b, lower_is_better(m));
                (d.mean, d.ci_low, d.ci_high, d.p_better)
            } else {
                let d = mean - mean_of(base, m.name());
                let hw = if a.len() > 1 && b.len() > 1 {
                    unpaired_half_width(&a, &b)
                } else {
                    f64::NAN
                };
                (d, d - hw, d + hw, f64::NAN)
            };
            let cell = if i == 0 {
                num(mean)
            } else {
                format!(
                    "{} ({:+} [{}, {}])",
                    num(mean),
                    num(d).parse::<f64>().unwrap_or(d),
                    num(lo),
                    num(hi)
                )
            };
            line.push_str(&format!(" {cell:>40}"));
            let _ = w.write_record([
                r.name.as_str(),
                &base.name,
                m.name(),
                &num(mean),
                &num(d),
                &num(lo),
                &num(hi),
                &num(pb),
                if i == 0 {
                    ""
                } else if is_paired {
                    "true"
                } else {
                    "false"
                },
            ]);
        }
        println!("{line}");
    }
    if let Some(path) = csv_out {
        write_file(path, &csv_out::finish(w))?;
        println!("written: {}", path.display());
    }
    if let Some(path) = html_out {
        let names: Vec<String> = runs.iter().map(|r| r.name.clone()).collect();
        let meta = comparison_meta(dirs, lang);
        let title = names.join(" · ");
        let (page, _) = comparison(&title, meta, dirs, &names, Vec::new(), false, lang)?;
        write_file(path, page.as_bytes())?;
        println!("written: {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
