//! `jeugdflow merge`: combines the output folders of a sweep's shards into one result,
//! identical to running the sweep on one machine. A shard that ran no scenario (a job array
//! with more tasks than the sweep has scenarios) is recognised by its sweep manifest and
//! adds nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use jeugdflow::report::lang::Lang;
use jeugdflow::report::manifest::SweepManifest;
use jeugdflow::report::output::Kind;
use jeugdflow::sweep::Member;

use super::common::folders::{read_manifest, write_folder, write_sweep_outputs};
use super::common::{InvalidInput, claim};

/// The options of `merge`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Shard output folders.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output folder of the combined sweep.
    #[arg(long, required = true)]
    pub out: PathBuf,
    /// Language of the sweep's charts and report.html: nl or en.
    #[arg(long, value_enum, default_value_t = Lang::Nl)]
    pub lang: Lang,
}

/// The points of a sweep found in shard folders: by index, its entry and folder.
type Points = BTreeMap<usize, (Member, PathBuf)>;

/// The sweep entry of a run folder's manifest, if it is a sweep point.
fn member_of(dir: &Path) -> Option<Member> {
    let manifest = read_manifest(dir)?;
    serde_json::from_value(manifest.get("sweep")?.clone()).ok()
}

/// Why folder `dir` (of sweep `name`) cannot be merged with the points of `first`: another
/// sweep, or the same sweep name with other contents.
fn not_of_sweep(dir: &Path, is: &str, name: &str, first: &Member) -> String {
    let what = if name == first.sweep {
        format!(
            "{is} another version of sweep \"{name}\": the same sweep name but a different \
             sweep file, scenario files (or files they extend), seed or replications"
        )
    } else {
        format!("{is} sweep \"{name}\", not \"{}\"", first.sweep)
    };
    format!(
        "'{}' {what}: only shards of one sweep, run from the same files, can be merged",
        dir.display()
    )
}

/// Refuses a shard folder given twice (the same folder by two paths too): its points
/// would count once, and the command line is surely not what was meant.
fn refuse_repeats(dirs: &[PathBuf]) -> Result<()> {
    let canon: Vec<PathBuf> = dirs
        .iter()
        .map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()))
        .collect();
    if let Some((first, second)) = jeugdflow::sweep::first_repeat(&canon) {
        let (a, b) = (dirs[first].display(), dirs[second].display());
        let named = if a.to_string() == b.to_string() {
            format!("'{a}' is given twice")
        } else {
            format!("'{a}' and '{b}' are the same folder")
        };
        return Err(InvalidInput(format!("{named}: give each shard folder once")).into());
    }
    Ok(())
}

/// The points found in the shard folders, by index (the first folder of a point wins),
/// and the first point's entry; every point must belong to the same sweep.
fn find_points(dirs: &[PathBuf]) -> Result<(Member, Points)> {
    let mut members = Points::new();
    let mut first: Option<Member> = None;
    // sweep ids of shard folders (their own manifests), checked against the points'
    let mut shard_ids: Vec<(PathBuf, String, String)> = Vec::new();
    for d in dirs {
        if let Some(m) = read_manifest(d).filter(|m| m["kind"] == "sweep") {
            let id = m["sweep_id"].as_str().unwrap_or_default().to_string();
            let name = m["sweep"].as_str().unwrap_or_default().to_string();
            shard_ids.push((d.clone(), id, name));
        }
        let entries = std::fs::read_dir(d).map_err(|e| {
            InvalidInput(format!("cannot read shard folder '{}': {e}", d.display()))
        })?;
        let mut found = 0;
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            let Some(m) = member_of(&p) else {
                continue;
            };
            found += 1;
            match &first {
                None => first = Some(m.clone()),
                Some(f) if f.sweep_id != m.sweep_id => {
                    return Err(InvalidInput(not_of_sweep(&p, "belongs to", &m.sweep, f)).into());
                }
                Some(_) => {}
            }
            members.entry(m.index).or_insert((m, p));
        }
        let empty_shard = shard_ids.last().is_some_and(|(s, _, _)| s == d);
        if found == 0 && !empty_shard {
            return Err(InvalidInput(format!(
                "'{}' holds no scenario of a sweep (no manifest.json with a sweep entry)",
                d.display()
            ))
            .into());
        }
    }
    let Some(first) = first else {
        return Err(InvalidInput(
            "the shard folders hold no scenario: every shard is empty".into(),
        )
        .into());
    };
    if let Some((d, _, name)) = shard_ids.iter().find(|(_, id, _)| *id != first.sweep_id) {
        return Err(InvalidInput(not_of_sweep(d, "is a shard of", name, &first)).into());
    }
    Ok((first, members))
}

/// Copies the files a run folder's manifest lists into `target`, atomically (`target`
/// claimed as a run folder first).
fn copy_folder(dir: &Path, target: &Path) -> Result<()> {
    let out = claim(target, Kind::Run)?;
    let listed: Vec<String> = read_manifest(dir)
        .and_then(|m| {
            m["files"].as_array().map(|f| {
                f.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
        })
        .unwrap_or_else(|| listed_by_folder(dir));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for name in listed {
        let p = dir.join(&name);
        // a folder of jeugdflow's holds no links; never copy what one points to
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
            files.push((name, std::fs::read(&p)?));
        }
    }
    write_folder(&out, &files)?;
    Ok(())
}

/// The files of a run folder whose manifest (of an older jeugdflow) lists none: those in
/// it and in its `plots/`, sorted.
fn listed_by_folder(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (sub, prefix) in [(dir.to_path_buf(), ""), (dir.join("plots"), "plots/")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| format!("{prefix}{}", e.file_name().to_string_lossy()))
            .collect();
        names.sort();
        out.extend(names);
    }
    out
}

/// Checks that the shards hold every point of one sweep, gathers their folders in `out`
/// and writes the sweep's own files there.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let out = &args.out;
    refuse_repeats(&args.dirs)?;
    claim(out, Kind::Sweep)?;
    let (first, members) = find_points(&args.dirs)?;
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
    // seed and replications as the points ran them
    let point = members
        .values()
        .next()
        .and_then(|(_, d)| read_manifest(d))
        .unwrap_or_default();
    let manifest = SweepManifest::new(
        &first.sweep,
        &first.sweep_id,
        first.points,
        point["seed"].as_u64().unwrap_or_default(),
        point["replications"].as_u64().unwrap_or_default() as u32,
        Vec::new(),
    );
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder '{}'", out.display()))?;
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (m, dir) in members.values() {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = out.join(&name);
        if target != *dir {
            copy_folder(dir, &target)?;
        }
        names.push(name);
        values.push(m.values.clone());
    }
    write_sweep_outputs(
        out,
        &first.sweep,
        &first.axes,
        &names,
        &values,
        args.lang,
        manifest,
    )?;
    println!(
        "{}: merged {} scenarios into {}",
        first.sweep,
        names.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
