//! Writing outputs atomically: a folder (temporary folder first, then one rename) or a
//! single file (temporary file, then rename). The only place that writes output bytes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// Writes `bytes` to the file `path`, replacing it if it exists: into a temporary file
/// beside it first, then renamed into place.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    fs::write(&tmp, bytes)
        .and_then(|_| fs::rename(&tmp, path))
        .map_err(|source| FileError {
            path: path.to_path_buf(),
            source,
        })
}

/// Writes `files` (name, bytes) into folder `dir`, replacing it if it exists. The files
/// appear all at once or not at all.
pub fn write_atomically(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), OutputError> {
    let fail = |source| OutputError {
        path: dir.to_path_buf(),
        source,
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
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
        let existed = dir.exists();
        if existed {
            fs::rename(dir, &old)?;
        }
        if let Err(e) = fs::rename(&tmp, dir) {
            if existed {
                let _ = fs::rename(&old, dir);
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
mod tests {
    use super::*;

    #[test]
    fn replaces_a_folder_whole() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("out");
        write_atomically(&dir, &[("a.csv", b"1"), ("plots/x.svg", b"<svg/>")]).unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"1");
        write_atomically(&dir, &[("b.csv", b"2")]).unwrap();
        assert!(!dir.join("a.csv").exists());
        assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"2");
        // nothing temporary is left behind
        let left: Vec<_> = fs::read_dir(base.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn unwritable_place_is_an_error_naming_the_path() {
        let e = write_atomically(Path::new("/proc/jeugdflow-test/out"), &[("a", b"")]).unwrap_err();
        assert!(e.to_string().contains("/proc/jeugdflow-test/out"));
        let e = write_file(Path::new("/proc/jeugdflow-test/a.csv"), b"").unwrap_err();
        assert_eq!(e.to_string(), "cannot write '/proc/jeugdflow-test/a.csv'");
        assert_eq!(e.source.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_file_is_replaced_whole() {
        let base = tempfile::tempdir().unwrap();
        let path = base.path().join("sweep.csv");
        write_file(&path, b"1").unwrap();
        write_file(&path, b"22").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"22");
        let left: Vec<_> = fs::read_dir(base.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }
}
