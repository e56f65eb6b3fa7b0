//! Where outputs go, and writing them atomically: the only place that writes output bytes.
//!
//! **The rule: `--out` never destroys what jeugdflow did not write.** Every command that
//! writes (and every later front end: `init`, `calibrate`, the studio) first [`claim`]s its
//! output place for a [`Kind`] of output, before any work, and writes through the
//! [`Claim`], which checks the place again just before replacing it. A place is accepted
//! when it does not exist yet (and can be made), is an empty folder, or holds a previous
//! jeugdflow output of the same kind and nothing else:
//! - a **folder** (`run`, `budget`, a sweep's point, `savings`) is recognised by its
//!   `manifest.json` (`"tool": "jeugdflow"` and its `kind`), and every file in it must be
//!   one the manifest lists (`files`); a sweep folder (`sweep`, a shard, `merge`) holds
//!   its own files and run folders that pass that check;
//! - a **single file** is recognised by its first line (the exact CSV header jeugdflow
//!   writes, [`Kind::Text`]) or, for an HTML page, by jeugdflow's generator tag
//!   ([`Kind::Page`]), or, for an Excel workbook, by jeugdflow's zip comment
//!   ([`Kind::Workbook`], [`stamp_workbook`]).
//!
//! Anything else — a plain file where a folder goes, a folder holding a user's file, another
//! kind of jeugdflow output, a symbolic link as the place, on the way to it or inside it —
//! is refused with a [`ClaimError`] naming the path and what is in the way, and nothing is
//! touched. Links are never followed: the place itself must not be one, no folder on the
//! path given may be one (except the system's own directly under the root, such as macOS's
//! `/tmp`), and a folder holding one is not jeugdflow's. Missing folders on the way are
//! made when the output is written, for a file as for a folder; that they can be made is
//! checked by the claim. Replacing jeugdflow's own output is atomic: the new folder (or
//! file) is written beside it under a temporary name and renamed into place.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What jeugdflow writes at an output place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A run folder: `run`, `budget`, one point of a sweep (`manifest.json` kind `run`).
    Run,
    /// A sweep folder: `sweep` (also one shard of it) and `merge` (kind `sweep`).
    Sweep,
    /// The folder of `savings` (kind `savings`).
    Savings,
    /// A comparison folder of the studio: its runs' folders and the comparison's files
    /// (kind `comparison`).
    Comparison,
    /// A single text file whose first line starts with `first_line` (a CSV header).
    Text { first_line: &'static str },
    /// A single HTML page with jeugdflow's generator tag ([`GENERATOR_TAG`]).
    Page,
    /// A single Excel workbook ending in jeugdflow's zip comment ([`stamp_workbook`]).
    Workbook,
}

/// The tag in the head of every HTML page jeugdflow writes, by which it recognises them.
pub const GENERATOR_TAG: &str = "<meta name=\"generator\" content=\"jeugdflow\">";

impl Kind {
    /// The `kind` recorded in `manifest.json` (folders), or what the file is.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Sweep => "sweep",
            Kind::Savings => "savings",
            Kind::Comparison => "comparison",
            Kind::Text { .. } => "table",
            Kind::Page => "page",
            Kind::Workbook => "workbook",
        }
    }
}

/// Why an output place was refused, or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error(
        "output '{}' is a symbolic link; jeugdflow never writes or deletes through links: give the real path",
        path.display()
    )]
    Link { path: PathBuf },
    #[error(
        "output '{}' lies in '{}', a symbolic link; jeugdflow never writes through links: give the real path (e.g. '{}')",
        path.display(),
        link.display(),
        real.display()
    )]
    LinkedFolder {
        path: PathBuf,
        link: PathBuf,
        real: PathBuf,
    },
    #[error(
        "output '{}' is a file, not a jeugdflow output folder; nothing was written (choose another --out, or move the file)",
        path.display()
    )]
    File { path: PathBuf },
    #[error(
        "output '{}' is a folder, not a file; nothing was written (choose another path)",
        path.display()
    )]
    Folder { path: PathBuf },
    #[error(
        "output '{}' holds '{entry}', which jeugdflow did not write ({why}); it would be deleted, so nothing was written (choose another --out, or move it)",
        path.display()
    )]
    Foreign {
        path: PathBuf,
        entry: String,
        why: &'static str,
    },
    #[error(
        "output '{}' holds a jeugdflow {found} output, not a {want} output; nothing was written (choose another --out)",
        path.display()
    )]
    OtherKind {
        path: PathBuf,
        found: String,
        want: &'static str,
    },
    #[error(
        "output file '{}' exists and was not written by jeugdflow; nothing was written (choose another path, or move it)",
        path.display()
    )]
    ForeignFile { path: PathBuf },
    #[error("cannot write output '{}' in '{}'", path.display(), at.display())]
    Unwritable {
        path: PathBuf,
        at: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// An output place checked for a kind of output; write through it.
#[derive(Clone, Debug)]
pub struct Claim {
    path: PathBuf,
    kind: Kind,
}

/// Checks that `path` may receive output of `kind` (see the module documentation), before
/// any work is done. Touches nothing but a probe folder, made and removed at once, to
/// learn whether the place can be written.
pub fn claim(path: &Path, kind: Kind) -> Result<Claim, ClaimError> {
    check(path, kind)?;
    let parent = parent_of(path);
    probe(path, &parent)?;
    if kind == Kind::Sweep && path.is_dir() {
        // a sweep writes into its folder, not beside it
        probe(path, path)?;
    }
    Ok(Claim {
        path: path.to_path_buf(),
        kind,
    })
}

impl Claim {
    /// The place claimed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `files` (name, bytes) as the claimed folder, replacing it, all at once; the
    /// folder is checked again first (it may have changed while the work ran).
    pub fn write_folder(&self, files: &[(String, Vec<u8>)]) -> Result<(), ClaimError> {
        check(&self.path, self.kind)?;
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        write_atomically(&self.path, &refs).map_err(|e| ClaimError::Unwritable {
            path: self.path.clone(),
            at: parent_of(&self.path),
            source: e.source,
        })
    }

    /// Writes `bytes` as the claimed file, replacing it, its missing parent folders made
    /// first (as a folder's are); checked again first.
    pub fn write_file(&self, bytes: &[u8]) -> Result<(), ClaimError> {
        check(&self.path, self.kind)?;
        let parent = parent_of(&self.path);
        let fail = |source| ClaimError::Unwritable {
            path: self.path.clone(),
            at: parent.clone(),
            source,
        };
        fs::create_dir_all(&parent).map_err(fail)?;
        write_file(&self.path, bytes).map_err(|e| fail(e.source))
    }
}

/// The folder `path` is made in.
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The first folder on the way to `path` (as given) that is a symbolic link, if any — the
/// system's own links directly under the root (`/tmp` on macOS) excepted — with the path
/// it leads to.
fn linked_folder(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let mut ancestors: Vec<&Path> = path
        .ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .collect();
    ancestors.reverse();
    ancestors
        .into_iter()
        .filter(|a| !(a.has_root() && a.parent().is_some_and(|p| p.parent().is_none())))
        .find(|a| fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink()))
        .map(|link| {
            let real = fs::canonicalize(link)
                .map(|r| r.join(path.strip_prefix(link).unwrap_or(path)))
                .unwrap_or_else(|_| path.to_path_buf());
            (link.to_path_buf(), real)
        })
}

/// Whether `path` may receive output of `kind` as it is now.
fn check(path: &Path, kind: Kind) -> Result<(), ClaimError> {
    if let Some((link, real)) = linked_folder(path) {
        return Err(ClaimError::LinkedFolder {
            path: path.to_path_buf(),
            link,
            real,
        });
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        // not there (or a file stands where a folder above it should): the probe says why
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(());
        }
        Err(source) => {
            return Err(ClaimError::Unwritable {
                path: path.to_path_buf(),
                at: parent_of(path),
                source,
            });
        }
    };
    let path_buf = || path.to_path_buf();
    if meta.file_type().is_symlink() {
        return Err(ClaimError::Link { path: path_buf() });
    }
    match kind {
        Kind::Text { first_line } => {
            if meta.is_dir() {
                return Err(ClaimError::Folder { path: path_buf() });
            }
            let head = read_head(path);
            let line = head.split(|b| *b == b'\n').next().unwrap_or(&[]);
            if meta.is_file() && line.starts_with(first_line.as_bytes()) {
                Ok(())
            } else {
                Err(ClaimError::ForeignFile { path: path_buf() })
            }
        }
        Kind::Page => {
            if meta.is_dir() {
                return Err(ClaimError::Folder { path: path_buf() });
            }
            let head = String::from_utf8_lossy(&read_head(path)).into_owned();
            if meta.is_file() && head.contains(GENERATOR_TAG) {
                Ok(())
            } else {
                Err(ClaimError::ForeignFile { path: path_buf() })
            }
        }
        Kind::Workbook => {
            if meta.is_dir() {
                return Err(ClaimError::Folder { path: path_buf() });
            }
            if meta.is_file() && is_stamped_workbook(path) {
                Ok(())
            } else {
                Err(ClaimError::ForeignFile { path: path_buf() })
            }
        }
        Kind::Run | Kind::Sweep | Kind::Savings | Kind::Comparison => {
            if !meta.is_dir() {
                return Err(ClaimError::File { path: path_buf() });
            }
            check_folder(path, path, kind)
        }
    }
}

/// The comment jeugdflow puts at the end of every workbook's zip archive (an `.xlsx` is
/// one), by which it recognises a workbook it wrote.
pub const WORKBOOK_MARK: &[u8] = b"written by jeugdflow";

/// `xlsx` (a zip archive without a comment) with [`WORKBOOK_MARK`] as its archive comment:
/// the comment is the last field of the archive's end record, so it is set by writing its
/// length there and appending it. Spreadsheet programs ignore it. An archive that already
/// has a comment (or is no zip) is returned as it is.
pub fn stamp_workbook(mut xlsx: Vec<u8>) -> Vec<u8> {
    let n = xlsx.len();
    // the end record: signature PK\x05\x06, 22 bytes, the last 2 the comment's length
    if n >= 22 && xlsx[n - 22..n - 18] == *b"PK\x05\x06" && xlsx[n - 2..] == [0, 0] {
        let len = WORKBOOK_MARK.len() as u16;
        xlsx[n - 2..].copy_from_slice(&len.to_le_bytes());
        xlsx.extend_from_slice(WORKBOOK_MARK);
    }
    xlsx
}

/// Whether the file at `path` ends in jeugdflow's workbook comment.
fn is_stamped_workbook(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let mark = WORKBOOK_MARK.len() as i64;
    let mut tail = Vec::new();
    fs::File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::End(-(mark + 22)))?;
            f.read_to_end(&mut tail)
        })
        .is_ok()
        && tail.len() as i64 == mark + 22
        && tail.starts_with(b"PK\x05\x06")
        && tail.ends_with(WORKBOOK_MARK)
}

/// The first 4 KB of a file (empty when it cannot be read).
fn read_head(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = fs::File::open(path) {
        let _ = f.take(4096).read_to_end(&mut buf);
    }
    buf
}

/// The entries of folder `dir` (names, sorted) with their metadata, links not followed.
fn entries(out: &Path, dir: &Path) -> Result<Vec<(String, fs::Metadata)>, ClaimError> {
    let unreadable = |source| ClaimError::Unwritable {
        path: out.to_path_buf(),
        at: dir.to_path_buf(),
        source,
    };
    let mut v = Vec::new();
    for e in fs::read_dir(dir).map_err(unreadable)? {
        let e = e.map_err(unreadable)?;
        let meta = fs::symlink_metadata(e.path()).map_err(unreadable)?;
        v.push((e.file_name().to_string_lossy().into_owned(), meta));
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(v)
}

/// A temporary file or folder of an atomic write (`.name.tmp-PID`, `.name.old-PID`, or
/// `name.tmp-PID` beside a file), left behind by a process that was killed.
fn is_leftover(name: &str) -> bool {
    ["tmp-", "old-"].iter().any(|m| {
        name.rsplit_once('.').is_some_and(|(_, tail)| {
            tail.strip_prefix(m)
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

/// Whether folder `dir` (inside output `out`) holds jeugdflow output of `kind` only.
fn check_folder(out: &Path, dir: &Path, kind: Kind) -> Result<(), ClaimError> {
    let list = entries(out, dir)?;
    if list.is_empty() {
        return Ok(());
    }
    let rel = |name: &str| {
        let p = dir.join(name);
        p.strip_prefix(out)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    let foreign = |name: &str, why| ClaimError::Foreign {
        path: out.to_path_buf(),
        entry: rel(name),
        why,
    };
    if let Some((name, _)) = list.iter().find(|(_, m)| m.file_type().is_symlink()) {
        return Err(foreign(name, "a symbolic link"));
    }
    // a manifest that is not jeugdflow's, or does not read as one, is not ours
    let file = dir.join("manifest.json");
    let manifest = fs::read(&file)
        .ok()
        .and_then(|b| super::folder::stamp(&b, &file).ok())
        .filter(|m| m.is_jeugdflow());
    let Some(manifest) = manifest else {
        let name = list
            .iter()
            .map(|(n, _)| n.as_str())
            .find(|n| *n != "manifest.json")
            .unwrap_or("manifest.json");
        return Err(foreign(name, "no jeugdflow manifest.json beside it"));
    };
    // manifests from before kinds were recorded are run folders
    let found = manifest.kind.as_deref().unwrap_or("run");
    if found != kind.name() {
        return Err(ClaimError::OtherKind {
            path: dir.to_path_buf(),
            found: found.to_string(),
            want: kind.name(),
        });
    }
    let old = manifest.files.is_none();
    let listed: Vec<String> = match manifest.files {
        Some(files) => files,
        None => OLD_RUN_FILES.iter().map(|s| s.to_string()).collect(),
    };
    for (name, meta) in &list {
        let prefix = format!("{name}/");
        if is_leftover(name) || meta.is_file() && listed.contains(name) {
            continue;
        } else if meta.is_dir()
            && (listed.iter().any(|f| f.starts_with(&prefix)) || old && name == "plots")
        {
            check_listed(out, &dir.join(name), &prefix, &listed, old)?;
        } else if meta.is_dir() && matches!(kind, Kind::Sweep | Kind::Comparison) {
            // a sweep's points and a comparison's scenarios are run folders
            check_folder(out, &dir.join(name), Kind::Run)?;
        } else {
            return Err(foreign(name, "not among the files its manifest.json lists"));
        }
    }
    Ok(())
}

/// Whether every entry of `dir` (the folder `prefix` of a jeugdflow folder) is a file its
/// manifest lists (`old`: a manifest without a list, whose `plots/` held charts only).
fn check_listed(
    out: &Path,
    dir: &Path,
    prefix: &str,
    listed: &[String],
    old: bool,
) -> Result<(), ClaimError> {
    for (name, meta) in entries(out, dir)? {
        let full = format!("{prefix}{name}");
        let chart = old && (name.ends_with(".svg") || name.ends_with(".png"));
        if meta.is_file() && (chart || listed.contains(&full)) || is_leftover(&name) {
            continue;
        }
        return Err(ClaimError::Foreign {
            path: out.to_path_buf(),
            entry: dir
                .join(&name)
                .strip_prefix(out)
                .map(|r| r.display().to_string())
                .unwrap_or(full),
            why: if meta.file_type().is_symlink() {
                "a symbolic link"
            } else {
                "not among the files its manifest.json lists"
            },
        });
    }
    Ok(())
}

/// The files of a run folder written before manifests listed them.
const OLD_RUN_FILES: [&str; 9] = [
    "summary.csv",
    "timeseries.csv",
    "schedule_events.csv",
    "replications.csv",
    "costs.csv",
    "manifest.json",
    "budget.csv",
    "capacity.csv",
    "report.html",
];

/// Whether a folder can be made (or replaced) at `path`: a probe folder is made in `at`, or
/// in the nearest folder above it that exists, and removed at once.
fn probe(path: &Path, at: &Path) -> Result<(), ClaimError> {
    let mut base = at.to_path_buf();
    while fs::symlink_metadata(&base).is_err() {
        match base.parent() {
            Some(p) if !p.as_os_str().is_empty() => base = p.to_path_buf(),
            _ => {
                base = PathBuf::from(".");
                break;
            }
        }
    }
    let fail = |base: &Path, source| ClaimError::Unwritable {
        path: path.to_path_buf(),
        at: base.to_path_buf(),
        source,
    };
    if !base.is_dir() {
        return Err(fail(
            &base,
            io::Error::new(io::ErrorKind::NotADirectory, "it is a file, not a folder"),
        ));
    }
    let p = base.join(format!(".jeugdflow-probe-{}", std::process::id()));
    fs::create_dir(&p).map_err(|e| fail(&base, e))?;
    let _ = fs::remove_dir(&p);
    Ok(())
}

/// Why an output folder could not be written (the reason is the error's source).
#[derive(Debug, thiserror::Error)]
#[error("cannot write output folder '{}'", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Why an output file could not be written (the reason is the error's source).
#[derive(Debug, thiserror::Error)]
#[error("cannot write '{}'", path.display())]
pub struct FileError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Whether `path` holds jeugdflow output of `kind` and nothing else, as [`claim`] and
/// [`remove`] see it now (a place that does not exist passes); touches nothing.
pub fn check_place(path: &Path, kind: Kind) -> Result<(), ClaimError> {
    check(path, kind)
}

/// Removes the output folder `path`, only when it holds jeugdflow output of `kind` and
/// nothing else (the rule of [`claim`]): it is renamed aside first, so what is gone is
/// gone at once, then deleted. Anything else is refused with the [`ClaimError`] that
/// says what is in the way, and nothing is touched.
pub fn remove(path: &Path, kind: Kind) -> Result<(), ClaimError> {
    let meta = fs::symlink_metadata(path).map_err(|source| ClaimError::Unwritable {
        path: path.to_path_buf(),
        at: parent_of(path),
        source,
    })?;
    check(path, kind)?;
    if !meta.is_dir() || matches!(kind, Kind::Text { .. } | Kind::Page | Kind::Workbook) {
        return Err(ClaimError::File {
            path: path.to_path_buf(),
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let aside = parent_of(path).join(format!(".{name}.old-{}", std::process::id()));
    let unwritable = |source| ClaimError::Unwritable {
        path: path.to_path_buf(),
        at: parent_of(path),
        source,
    };
    fs::rename(path, &aside).map_err(unwritable)?;
    fs::remove_dir_all(&aside).map_err(unwritable)
}

/// Writes `bytes` to the file `path`, replacing it if it exists: into a temporary file
/// beside it first, then renamed into place. For a place the user chose, go through
/// [`claim`]; this is for files inside a claimed folder.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    fs::write(&tmp, bytes)
        .and_then(|_| fs::rename(&tmp, path))
        .map_err(|source| {
            let _ = fs::remove_file(&tmp);
            FileError {
                path: path.to_path_buf(),
                source,
            }
        })
}

/// Refuses a folder for output whose path (as given) passes through a symbolic link, the
/// rule of [`claim`] for a folder that many outputs go into (the studio's `--out`).
pub fn refuse_linked_folders(path: &Path) -> Result<(), ClaimError> {
    match linked_folder(&path.join("x")) {
        Some((link, real)) => Err(ClaimError::LinkedFolder {
            path: path.to_path_buf(),
            link,
            real: real.parent().map_or(real.clone(), Path::to_path_buf),
        }),
        None => Ok(()),
    }
}

/// Writes `files` (name, bytes) into folder `dir`, replacing it if it exists. The files
/// appear all at once or not at all. For a place the user chose, go through [`claim`];
/// this is for folders inside a claimed one.
pub fn write_atomically(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), OutputError> {
    let fail = |source| OutputError {
        path: dir.to_path_buf(),
        source,
    };
    let parent = parent_of(dir);
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| fail(io::Error::other("not a folder name")))?;
    fs::create_dir_all(&parent).map_err(fail)?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| {
        fs::create_dir(&tmp)?;
        for (file, bytes) in files {
            let path = tmp.join(file);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)?;
            }
            fs::write(path, bytes)?;
        }
        // never follow a link: only a real folder is moved aside (and then deleted)
        let existed = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
        if existed {
            fs::rename(dir, &old)?;
        }
        if let Err(e) = fs::rename(&tmp, dir) {
            if existed && let Err(back) = fs::rename(&old, dir) {
                // say where the user's previous folder is now, never leave it unsaid
                return Err(io::Error::new(
                    e.kind(),
                    format!(
                        "{e}; the previous folder could not be put back ({back}) and is kept \
                         at '{}'",
                        old.display()
                    ),
                ));
            }
            return Err(e);
        }
        if existed {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result.map_err(fail)
}

#[cfg(test)]
mod tests;
