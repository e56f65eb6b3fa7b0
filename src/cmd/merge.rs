//! `jeugdflow merge`: combines the output folders of a sweep's shards into one result,
//! identical to running the sweep on one machine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use jeugdflow::report::lang::Lang;
use jeugdflow::sweep::Member;

use super::common::InvalidInput;
use super::common::folders::{read_manifest, write_folder, write_sweep_outputs};

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

/// The points found in the shard folders, by index (the first folder of a point wins),
/// and the first point's entry; every point must belong to the same sweep.
fn find_points(dirs: &[PathBuf]) -> Result<(Member, Points)> {
    let mut members = Points::new();
    let mut first: Option<Member> = None;
    for d in dirs {
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
    Ok((first, members))
}

/// Copies a run folder's files and those of its `plots/` into `target`, atomically.
fn copy_folder(dir: &Path, target: &Path) -> Result<()> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (sub, prefix) in [(dir.to_path_buf(), ""), (dir.join("plots"), "plots/")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries.into_iter().filter(|p| p.is_file()) {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((format!("{prefix}{n}"), std::fs::read(&p)?));
        }
    }
    write_folder(target, &files)?;
    Ok(())
}

/// Checks that the shards hold every point of one sweep, gathers their folders in `out`
/// and writes the sweep's own files there.
pub fn exec(args: &Args) -> Result<ExitCode> {
    let out = &args.out;
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
    write_sweep_outputs(out, &first.sweep, &first.axes, &names, &values, args.lang)?;
    println!(
        "{}: merged {} scenarios into {}",
        first.sweep,
        names.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
