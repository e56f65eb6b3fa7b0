//! `jeugdflow merge`: combines the output folders of a sweep's shards into one result,
//! identical to running the sweep on one machine. A shard that ran no scenario (a job array
//! with more tasks than the sweep has scenarios) is recognised by its sweep manifest and
//! adds nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use jeugdflow::report::comparison::Listed;
use jeugdflow::report::folder;
use jeugdflow::report::lang::Lang;
use jeugdflow::report::manifest::{Manifest, SweepManifest};
use jeugdflow::report::output::Kind;
use jeugdflow::sweep::Member;

use super::common::folders::{write_folder, write_sweep_outputs};
use super::common::{InvalidInput, claim, refuse_repeats};

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

/// The points of a sweep found in shard folders: by index, its entry, folder and manifest.
type Points = BTreeMap<usize, (Member, PathBuf, Manifest)>;

/// The sweep entry of folder `dir` when it is a sweep point: `None` for anything that
/// is not a jeugdflow run folder (a shard's own files, a user's folder beside them) or a
/// run that is not a sweep's; an error when a run folder's manifest does not read back.
fn member_of(dir: &Path) -> Result<Option<(Member, Manifest)>> {
    let file = dir.join("manifest.json");
    if !dir.is_dir() || !file.is_file() {
        return Ok(None);
    }
    let stamp = folder::read_stamp(dir).map_err(invalid)?;
    if !stamp.is_jeugdflow() || stamp.kind.as_deref().is_some_and(|k| k != "run") {
        return Ok(None);
    }
    let manifest = folder::read_run_manifest(dir).map_err(invalid)?;
    Ok(folder::member(&manifest, &file)
        .map_err(invalid)?
        .map(|m| (m, manifest)))
}

/// A shard's file that does not read back: the user's input, file and field named.
fn invalid(e: folder::ReadError) -> anyhow::Error {
    InvalidInput(e.to_string()).into()
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

/// The points found in the shard folders, by index (the first folder of a point wins),
/// and the first point's entry; every point must belong to the same sweep.
fn find_points(dirs: &[PathBuf]) -> Result<(Member, Points)> {
    let mut members = Points::new();
    let mut first: Option<Member> = None;
    // sweep ids of shard folders (their own manifests), checked against the points'
    let mut shard_ids: Vec<(PathBuf, String, String)> = Vec::new();
    for d in dirs {
        let is_sweep = folder::read_stamp(d).is_ok_and(|s| s.kind.as_deref() == Some("sweep"));
        if is_sweep {
            let m = folder::read_sweep_manifest(d).map_err(invalid)?;
            shard_ids.push((d.clone(), m.sweep_id, m.sweep));
        }
        let entries = std::fs::read_dir(d).map_err(|e| {
            InvalidInput(format!("cannot read shard folder '{}': {e}", d.display()))
        })?;
        let mut found = 0;
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            let Some((m, manifest)) = member_of(&p)? else {
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
            members.entry(m.index).or_insert((m, p, manifest));
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
fn copy_folder(dir: &Path, manifest: &Manifest, target: &Path) -> Result<()> {
    let out = claim(target, Kind::Run)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for name in &manifest.files {
        let p = dir.join(name);
        // a folder of jeugdflow's holds no links; never copy what one points to
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
            files.push((name.clone(), std::fs::read(&p)?));
        }
    }
    write_folder(&out, &files)?;
    Ok(())
}

/// Checks that the shards hold every point of one sweep, gathers their folders in `out`
/// and writes the sweep's own files there.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let out = &args.out;
    refuse_repeats(&args.dirs, "shard folder")?;
    claim(out, Kind::Sweep)?;
    let (first, members) = find_points(&args.dirs)?;
    let missing: Vec<usize> = (0..first.points)
        .filter(|i| !members.contains_key(i))
        .collect();
    if !missing.is_empty() {
        let numbers: Vec<usize> = missing.iter().map(|i| i + 1).collect();
        return Err(InvalidInput(format!(
            "the shards hold {} of {} scenarios of sweep \"{}\": {} {} missing; give the \
             folders of every shard (run the missing shards first)",
            members.len(),
            first.points,
            first.sweep,
            jeugdflow::words::numbered("scenario", &numbers),
            if numbers.len() == 1 { "is" } else { "are" }
        ))
        .into());
    }
    // seed and replications as the points ran them (every point has them: its manifest
    // was read whole)
    let Some((_, _, point)) = members.values().next() else {
        return Err(InvalidInput("the shard folders hold no scenario".into()).into());
    };
    let manifest = SweepManifest::new(
        &first.sweep,
        &first.sweep_id,
        first.points,
        point.seed,
        point.replications,
        Vec::new(),
    );
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder '{}'", out.display()))?;
    let mut listed = Vec::new();
    for (m, dir, point) in members.values() {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = out.join(&name);
        if target != *dir {
            copy_folder(dir, point, &target)?;
        }
        listed.push(Listed {
            name,
            values: m.values.clone(),
            road: m.road.clone(),
            future: m.future.clone(),
        });
    }
    write_sweep_outputs(out, &first.sweep, &first.axes, &listed, args.lang, manifest)?;
    println!(
        "{}: merged {} scenarios into {}",
        first.sweep,
        listed.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
