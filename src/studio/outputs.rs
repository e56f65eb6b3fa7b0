//! What the output folder holds, as the studio's home remembers it: every run,
//! comparison, sweep and savings folder jeugdflow wrote (newest first, with its date,
//! roads, replications and report), whether it may be removed (only jeugdflow's own
//! output of its kind and nothing else: [`crate::report::output::remove`]'s rule), and
//! each scenario's last run — on its own, inside a comparison or as a point of a sweep.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use super::messages as m;
use crate::report::folder;
use crate::report::lang::Lang;
use crate::report::output::{self, Kind};

/// What kind of output a folder holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutKind {
    Run,
    Comparison,
    Sweep,
    Savings,
}

impl OutKind {
    fn parse(s: Option<&str>) -> Option<OutKind> {
        match s.unwrap_or("run") {
            "run" => Some(OutKind::Run),
            "comparison" => Some(OutKind::Comparison),
            "sweep" => Some(OutKind::Sweep),
            "savings" => Some(OutKind::Savings),
            _ => None,
        }
    }

    /// The output rule's kind.
    pub fn kind(self) -> Kind {
        match self {
            OutKind::Run => Kind::Run,
            OutKind::Comparison => Kind::Comparison,
            OutKind::Sweep => Kind::Sweep,
            OutKind::Savings => Kind::Savings,
        }
    }
}

/// The address of a file of the output folder, for links.
pub fn out_link(parts: &[&str]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let p: Vec<String> = parts.iter().map(|p| enc(p)).collect();
    format!("/out/{}", p.join("/"))
}

/// One folder of the output folder.
#[derive(Clone, Debug, Serialize)]
pub struct Output {
    /// Its name in the output folder.
    pub folder: String,
    pub kind: OutKind,
    /// When it was written (local time, `yyyy-mm-dd hh:mm`).
    pub when: String,
    #[serde(skip)]
    pub time: Option<SystemTime>,
    /// The roads in it (scenario names; the baseline first in a comparison).
    pub roads: Vec<String>,
    pub replications: Option<u32>,
    /// Its page, if it has one.
    pub report: Option<String>,
    /// Whether the studio may remove it (jeugdflow's own output of its kind, nothing else).
    pub removable: bool,
    /// Why its manifest does not read back, if it does not (in the page's language).
    pub problem: Option<String>,
}

/// A time as the pages show it, in local time.
pub fn local(t: SystemTime) -> String {
    jiff::Timestamp::try_from(t)
        .map(|ts| {
            ts.to_zoned_datetime(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

fn modified(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The output folder `dir` named `name`, if jeugdflow wrote it.
fn output(out: &Path, name: &str, lang: Lang) -> Option<Output> {
    let dir = out.join(name);
    if std::fs::symlink_metadata(&dir).map_or(true, |m| !m.is_dir()) {
        return None;
    }
    let stamp = folder::read_stamp(&dir)
        .ok()
        .filter(folder::Stamp::is_jeugdflow)?;
    let kind = OutKind::parse(stamp.kind.as_deref())?;
    let time = modified(&dir.join("manifest.json"));
    let mut o = Output {
        folder: name.to_string(),
        kind,
        when: time.map(local).unwrap_or_default(),
        time,
        roads: Vec::new(),
        replications: None,
        report: dir
            .join("report.html")
            .is_file()
            .then(|| out_link(&[name, "report.html"])),
        removable: output::check_place(&dir, kind.kind()).is_ok(),
        problem: None,
    };
    let read = match kind {
        OutKind::Run => folder::read_run_manifest(&dir).map(|m| {
            o.roads = vec![m.scenario];
            o.replications = Some(m.replications);
        }),
        OutKind::Comparison => folder::read_comparison_manifest(&dir).map(|m| {
            o.roads = m.scenarios;
            o.replications = Some(m.replications);
        }),
        OutKind::Sweep => folder::read_sweep_manifest(&dir).map(|m| {
            o.roads = run_folders(&dir)
                .iter()
                .filter_map(|d| folder::read_run_manifest(d).ok())
                .map(|m| m.scenario)
                .collect();
            o.replications = Some(m.replications);
        }),
        OutKind::Savings => Ok(()),
    };
    if let Err(e) = read {
        o.problem = Some(m::unreadable(lang, &e));
    }
    Some(o)
}

/// The run folders directly inside `dir`.
fn run_folders(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .filter(|p| {
                    folder::read_stamp(p).is_ok_and(|s| {
                        s.is_jeugdflow() && s.kind.as_deref().unwrap_or("run") == "run"
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every output folder jeugdflow wrote in `out`, newest first.
pub fn list(out: &Path, lang: Lang) -> Vec<Output> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut v: Vec<Output> = names.iter().filter_map(|n| output(out, n, lang)).collect();
    v.sort_by(|a, b| b.time.cmp(&a.time).then(a.folder.cmp(&b.folder)));
    v
}

/// A run of a scenario somewhere in the output folder.
#[derive(Clone, Debug)]
pub struct LastRun {
    /// The run's folder.
    pub dir: PathBuf,
    pub time: Option<SystemTime>,
    /// The comparison or sweep it is part of (its folder), if any.
    pub within: Option<(OutKind, String)>,
}

/// The newest run folder of the scenario named `name` in `out`: its own folder, or its
/// folder inside a comparison or a sweep.
pub fn last_run(outputs: &[Output], out: &Path, name: &str) -> Option<LastRun> {
    let mut best: Option<LastRun> = None;
    let mut consider = |dir: PathBuf, within: Option<(OutKind, String)>| {
        let Ok(m) = folder::read_run_manifest(&dir) else {
            return;
        };
        if m.scenario != name {
            return;
        }
        let time = modified(&dir.join("manifest.json"));
        if best.as_ref().is_none_or(|b| time > b.time) {
            best = Some(LastRun { dir, time, within });
        }
    };
    for o in outputs {
        let dir = out.join(&o.folder);
        match o.kind {
            OutKind::Run => consider(dir, None),
            OutKind::Comparison | OutKind::Sweep if o.roads.iter().any(|r| r == name) => {
                for d in run_folders(&dir) {
                    consider(d, Some((o.kind, o.folder.clone())));
                }
            }
            _ => {}
        }
    }
    best
}

/// The address of the report of a run folder `dir` inside `out`, if it has one.
pub fn report_of(out: &Path, dir: &Path) -> Option<String> {
    let rel = dir.strip_prefix(out).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    refs.push("report.html");
    dir.join("report.html").is_file().then(|| out_link(&refs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::manifest::{ComparisonManifest, Manifest, json_bytes};

    fn run(dir: &Path, scenario: &str) {
        std::fs::create_dir_all(dir).unwrap();
        let mut m = Manifest::example(1, 3);
        m.scenario = scenario.into();
        m.files = vec!["manifest.json".into()];
        std::fs::write(dir.join("manifest.json"), m.to_json().unwrap()).unwrap();
    }

    #[test]
    fn runs_and_comparisons_are_listed_and_a_road_s_last_run_found_anywhere() {
        let out = tempfile::tempdir().unwrap();
        let o = out.path();
        run(&o.join("a"), "a");
        std::thread::sleep(std::time::Duration::from_millis(20));
        run(&o.join("cmp/a"), "a");
        run(&o.join("cmp/b"), "b");
        let m = ComparisonManifest::new(
            vec!["a".into(), "b".into()],
            1,
            3,
            vec!["manifest.json".into()],
        );
        std::fs::write(o.join("cmp/manifest.json"), json_bytes(&m).unwrap()).unwrap();
        std::fs::create_dir(o.join("mine")).unwrap();
        std::fs::write(o.join("mine/notes.txt"), "x").unwrap();
        let list = list(o, Lang::En);
        let folders: Vec<&str> = list.iter().map(|x| x.folder.as_str()).collect();
        assert_eq!(
            folders,
            ["cmp", "a"],
            "newest first; a user's folder is not listed"
        );
        assert_eq!(list[0].roads, ["a", "b"]);
        assert_eq!(list[0].replications, Some(3));
        assert!(list.iter().all(|x| x.removable));
        let last = last_run(&list, o, "a").unwrap();
        assert_eq!(last.within, Some((OutKind::Comparison, "cmp".into())));
        assert!(last_run(&list, o, "nothing").is_none());
        // a user's file inside makes a folder not removable
        std::fs::write(o.join("cmp/b/mine.txt"), "x").unwrap();
        assert!(!super::list(o, Lang::En)[0].removable);
    }
}
