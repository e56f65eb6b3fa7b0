//! The studio's own roads, and the rules for changing a scenario file in place:
//!
//! - **What is the studio's.** A file the studio saves starts with its mark and a
//!   fingerprint of the rest ([`stamped`], written by the editor's writer). Only a file whose fingerprint still matches
//!   its text is the studio's ([`is_own`]): a shipped scenario, a researcher's file, or
//!   a studio file edited by hand since is never replaced — the studio offers a copy.
//! - **Who else is touched.** Saving over a file that other files extend (directly or
//!   through others) changes them too; [`dependants`] finds them and [`changes`] says
//!   what changes in each, so the page can list it before it asks.
//! - **Nothing lost.** Before a file is replaced, its text is kept in
//!   `<scenarios>/.studio-history/<name>/` ([`keep_version`]); [`versions`] lists them
//!   and any can be put back. The history is a hidden folder: the studio lists no file
//!   in it as a scenario and serves none of it as a file.

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use super::editor::write::{MARK, is_own, stamped};
use super::editor::{Base, Editor, Value};
use super::messages as m;
use super::problems;
use crate::report::lang::Lang;
use crate::report::output::write_file;
use crate::scenario::{self, Source, chain};

/// The folder (inside the scenarios folder) that keeps earlier versions of roads.
pub const HISTORY: &str = ".studio-history";
/// Versions kept per road; older ones are removed.
pub const KEEP_VERSIONS: usize = 30;

/// Whether the scenario file `file` of folder `scenarios` is the studio's own (a file
/// that cannot be read is not).
pub fn is_own_file(scenarios: &Path, file: &str) -> bool {
    Source::read(&scenarios.join(file)).is_ok_and(|s| is_own(&s.text))
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The `*.toml` files of folder `scenarios`, by name.
pub fn scenario_files(scenarios: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(scenarios)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The files of folder `scenarios` whose chain of `extends` reaches `file` (directly or
/// through others), by name.
pub fn dependants(scenarios: &Path, file: &str) -> Vec<String> {
    let target = canonical(&scenarios.join(file));
    scenario_files(scenarios)
        .into_iter()
        .filter(|f| f != file)
        .filter(|f| {
            Source::read(&scenarios.join(f))
                .ok()
                .and_then(|src| chain::load_chain(&src).ok())
                .is_some_and(|c| {
                    c.files()
                        .skip(1)
                        .any(|cf| canonical(Path::new(&cf.name)) == target)
                })
        })
        .collect()
}

/// A file that extends the one being saved, and what saving changes in it.
#[derive(Clone, Debug, Serialize)]
pub struct Dependant {
    pub file: String,
    /// Its scenario name.
    pub name: String,
    /// What changes, one line each (field: before → after).
    pub changes: Vec<String>,
    /// Why it would no longer be a valid scenario, if it would not.
    pub broken: Option<String>,
}

/// The values of an editor by a name that does not depend on the order of its tables:
/// `(service name — field, value)` in the editor's order.
fn summary(ed: &Editor, lang: Lang) -> Vec<(String, String)> {
    let show = |v: &Value| match v {
        Value::Text(t) if t.trim().is_empty() => "–".to_string(),
        Value::Text(t) => t.trim().to_string(),
        Value::Flag(b) => if *b { "✓" } else { "–" }.to_string(),
        Value::Rows(rows) => {
            let rows: Vec<String> = rows
                .iter()
                .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
                .map(|r| {
                    r.iter()
                        .map(|c| if c.trim().is_empty() { "·" } else { c.trim() })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            if rows.is_empty() {
                "–".into()
            } else {
                rows.join("; ")
            }
        }
    };
    let mut out = Vec::new();
    for s in &ed.services {
        let mut put = |key: &str, label: String| {
            if let Some(f) = ed.fields.get(key) {
                out.push((format!("{} — {label}", s.name), show(&f.base)));
            }
        };
        for (key, label) in [
            ("capacity", m::field_label(lang, "capacity")),
            ("staff.target_fte", m::field_label(lang, "target_fte")),
            ("divert.to", m::field_label(lang, "divert.to")),
            ("divert.share", m::field_label(lang, "share")),
        ]
        .into_iter()
        .chain(
            super::editor::STAFF_CELLS
                .iter()
                .map(|c| (*c, m::field_label(lang, c))),
        ) {
            let k = if super::editor::STAFF_CELLS.contains(&key) {
                format!("svc.{}.staff.{key}", s.id)
            } else {
                format!("svc.{}.{key}", s.id)
            };
            put(&k, label);
        }
        for (n, k) in ed.slots_of(&s.id).into_iter().enumerate() {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!(" {}", n + 1)
            };
            put(
                &format!("schedule.{k}.points"),
                format!("{}{suffix}", m::field_label(lang, "points")),
            );
            put(
                &format!("schedule.{k}.gate.service"),
                format!("{}{suffix}", m::field_label(lang, "gate.service")),
            );
            put(
                &format!("schedule.{k}.gate.min_capacity"),
                format!("{}{suffix}", m::field_label(lang, "min_capacity")),
            );
        }
    }
    if let Some(f) = ed.fields.get("transitions") {
        out.push((m::field_label(lang, "transitions"), show(&f.base)));
    }
    for (k, inflow) in ed.inflows.iter().enumerate() {
        if let Some(f) = ed.fields.get(&format!("inflow.{k}.trend")) {
            out.push((
                format!(
                    "{} → {}",
                    m::field_label(lang, "trend"),
                    ed.name_of(&inflow.to)
                ),
                show(&f.base),
            ));
        }
    }
    out
}

/// What saving `text` as `file` of folder `scenarios` changes in each of its
/// dependants: the values of the editor's tables that differ, and whether it still
/// validates.
pub fn changes(scenarios: &Path, file: &str, text: &str, lang: Lang) -> Vec<Dependant> {
    let path = scenarios.join(file);
    dependants(scenarios, file)
        .into_iter()
        .map(|d| {
            let base = Base::File(d.clone());
            let before = Editor::load(scenarios, base.clone());
            let after = Editor::load_replacing(scenarios, base.clone(), &path, text);
            let name = before.as_ref().map_or_else(
                |_| d.trim_end_matches(".toml").to_string(),
                |e| e.base_name.clone(),
            );
            match (before, after) {
                (Ok(b), Ok(a)) => {
                    let (b, a) = (summary(&b, lang), summary(&a, lang));
                    let mut changes: Vec<String> = a
                        .iter()
                        .filter(|(label, now)| {
                            b.iter()
                                .find(|(l, _)| l == label)
                                .is_none_or(|(_, was)| was != now)
                        })
                        .map(|(label, now)| {
                            let was = b
                                .iter()
                                .find(|(l, _)| l == label)
                                .map_or("–", |(_, w)| w.as_str());
                            format!("{label}: {was} → {now}")
                        })
                        .collect();
                    if changes.is_empty() {
                        changes.push(m::no_visible_change(lang));
                    }
                    Dependant {
                        file: d,
                        name,
                        changes,
                        broken: None,
                    }
                }
                (_, Err(e)) => Dependant {
                    file: d,
                    name,
                    changes: Vec::new(),
                    // the first problem validate finds in it then, in the page's words
                    broken: Some(
                        base.source(scenarios)
                            .ok()
                            .and_then(|src| scenario::load_replacing(&src, &path, text).err())
                            .map_or_else(
                                || problems::validate_problem(lang, &e.message),
                                |e| problems::scenario_error(lang, &e),
                            ),
                    ),
                },
                (Err(_), Ok(_)) => Dependant {
                    file: d,
                    name,
                    changes: vec![m::repairs(lang)],
                    broken: None,
                },
            }
        })
        .collect()
}

/// The folder of the saved versions of `file`.
fn history_dir(scenarios: &Path, file: &str) -> PathBuf {
    scenarios.join(HISTORY).join(file.trim_end_matches(".toml"))
}

/// An earlier version of a road: its id (the file name in the history) and when it was
/// replaced (local time, `yyyy-mm-dd hh:mm:ss`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Version {
    pub id: String,
    pub when: String,
}

/// Keeps `text` as the newest earlier version of `file`; the oldest beyond
/// [`KEEP_VERSIONS`] are removed.
pub fn keep_version(scenarios: &Path, file: &str, text: &str) -> std::io::Result<()> {
    let dir = history_dir(scenarios, file);
    std::fs::create_dir_all(&dir)?;
    let now = jiff::ZonedDateTime::now();
    let stamp = now.strftime("%Y%m%d-%H%M%S").to_string();
    let mut n = 1;
    let id = loop {
        let id = format!("{stamp}-{n}.toml");
        if !dir.join(&id).exists() {
            break id;
        }
        n += 1;
    };
    write_file(&dir.join(&id), text.as_bytes()).map_err(|e| e.source)?;
    let all = versions(scenarios, file);
    for old in all.iter().skip(KEEP_VERSIONS) {
        let _ = std::fs::remove_file(dir.join(&old.id));
    }
    Ok(())
}

/// The earlier versions of `file`, newest first.
pub fn versions(scenarios: &Path, file: &str) -> Vec<Version> {
    let dir = history_dir(scenarios, file);
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    // yyyymmdd-hhmmss-n: newest first, and version 10 after version 9 of one second
    ids.sort_by_key(|id| {
        let stem = id.trim_end_matches(".toml");
        let (t, n) = stem.rsplit_once('-').unwrap_or((stem, "0"));
        (t.to_string(), n.parse::<u32>().unwrap_or(0))
    });
    ids.reverse();
    ids.into_iter()
        .map(|id| {
            let s = id.as_bytes();
            let when = if s.len() >= 15 && s[8] == b'-' {
                let d = &id;
                format!(
                    "{}-{}-{} {}:{}:{}",
                    &d[0..4],
                    &d[4..6],
                    &d[6..8],
                    &d[9..11],
                    &d[11..13],
                    &d[13..15]
                )
            } else {
                id.clone()
            };
            Version { id, when }
        })
        .collect()
}

/// The text of version `id` of `file` (an id the history lists; anything else is `None`).
pub fn version_text(scenarios: &Path, file: &str, id: &str) -> Option<String> {
    if !versions(scenarios, file).iter().any(|v| v.id == id) {
        return None;
    }
    Source::read(&history_dir(scenarios, file).join(id))
        .ok()
        .map(|s| s.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unchanged_studio_file_is_the_studio_s() {
        let body = "[scenario]\nname = \"x\"\n";
        let text = stamped(body);
        assert!(is_own(&text));
        assert!(!is_own(&text.replace("\"x\"", "\"y\"")), "edited by hand");
        assert!(!is_own(body));
        assert!(!is_own(&format!("# Made in the jeugdflow studio\n{body}")));
        let shipped = std::fs::read_to_string("scenarios/fasering-gefaseerd.toml").unwrap();
        assert!(!is_own(&shipped));
    }

    #[test]
    fn dependants_are_found_through_the_chain_and_versions_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let w = |f: &str, t: &str| std::fs::write(d.join(f), t).unwrap();
        w(
            "a.toml",
            "[scenario]\nname = \"a\"\nextends = \"builtin:groningen\"\n",
        );
        w("b.toml", "[scenario]\nname = \"b\"\nextends = \"a.toml\"\n");
        w("c.toml", "[scenario]\nname = \"c\"\nextends = \"b.toml\"\n");
        w(
            "d.toml",
            "[scenario]\nname = \"d\"\nextends = \"builtin:groningen\"\n",
        );
        assert_eq!(dependants(d, "a.toml"), ["b.toml", "c.toml"]);
        assert!(dependants(d, "c.toml").is_empty());
        // a change in a reaches b and c, and is said in the page's words
        let new = "[scenario]\nname = \"a\"\nextends = \"builtin:groningen\"\n\
                   [[service]]\nid = \"residentieel\"\ncapacity = 480\n";
        let ch = changes(d, "a.toml", new, Lang::Nl);
        assert_eq!(ch.len(), 2);
        let line = ch[0]
            .changes
            .iter()
            .find(|c| c.contains("Plaatsen vanaf de start"))
            .unwrap_or_else(|| panic!("{ch:?}"));
        assert!(line.ends_with("475 → 480"), "{line}");
        // versions: newest first, only listed ids can be read
        keep_version(d, "a.toml", "one").unwrap();
        keep_version(d, "a.toml", "two").unwrap();
        let v = versions(d, "a.toml");
        assert_eq!(v.len(), 2);
        assert_eq!(version_text(d, "a.toml", &v[0].id).as_deref(), Some("two"));
        assert_eq!(version_text(d, "a.toml", &v[1].id).as_deref(), Some("one"));
        assert!(version_text(d, "a.toml", "../../a.toml").is_none());
        assert!(scenario_files(d).iter().all(|f| !f.contains("history")));
    }
}
