//! "Never replace what jeugdflow did not write", for the commands that write one file or a
//! small folder (`init`, `calibrate`): the one place these checks live, so that they can
//! be switched to the library's own rule (`report::output`) in one edit.

use std::path::Path;

use anyhow::{Context, Result};

use super::InvalidInput;

/// Refuses `path` when anything is there: `init` never overwrites a file.
pub fn refuse_existing(path: &Path, what_to_do: &str) -> Result<()> {
    if path.symlink_metadata().is_ok() {
        return Err(InvalidInput(format!(
            "{} already exists; jeugdflow never overwrites a file: {what_to_do}",
            path.display()
        ))
        .into());
    }
    Ok(())
}

/// Refuses folder `dir` unless it is absent or holds only files named in `own`, each
/// starting with its line (the CSV header jeugdflow writes there): a folder jeugdflow
/// wrote may be replaced, nothing else.
pub fn refuse_foreign_folder(dir: &Path, own: &[(&str, &str)]) -> Result<()> {
    let Ok(meta) = dir.symlink_metadata() else {
        return Ok(());
    };
    let refuse = |why: String| -> anyhow::Error {
        InvalidInput(format!(
            "{} {why}; jeugdflow replaces only a folder it wrote: choose another --out",
            dir.display()
        ))
        .into()
    };
    if !meta.is_dir() {
        return Err(refuse("is not a folder".into()));
    }
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read '{}'", dir.display()))?;
    for e in entries {
        let e = e.with_context(|| format!("cannot read '{}'", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((_, first)) = own.iter().find(|(n, _)| *n == name) else {
            return Err(refuse(format!(
                "holds \"{name}\", which jeugdflow did not write"
            )));
        };
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if text.lines().next() != Some(*first) {
            return Err(refuse(format!(
                "holds a \"{name}\" that jeugdflow did not write"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_never_overwritten() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.toml");
        assert!(refuse_existing(&p, "").is_ok());
        std::fs::write(&p, "").unwrap();
        let e = refuse_existing(&p, "choose another --out").unwrap_err();
        assert!(e.downcast_ref::<InvalidInput>().is_some());
        assert!(e.to_string().contains("x.toml already exists"), "{e}");
    }

    #[test]
    fn only_a_folder_of_own_files_may_be_replaced() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("out");
        let own = [("a.csv", "x,y")];
        assert!(refuse_foreign_folder(&dir, &own).is_ok());
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a.csv"), "x,y\n1,2\n").unwrap();
        assert!(refuse_foreign_folder(&dir, &own).is_ok());
        std::fs::write(dir.join("a.csv"), "mine\n").unwrap();
        let e = refuse_foreign_folder(&dir, &own).unwrap_err().to_string();
        assert!(
            e.contains("a \"a.csv\" that jeugdflow did not write"),
            "{e}"
        );
        std::fs::write(dir.join("a.csv"), "x,y\n").unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        let e = refuse_foreign_folder(&dir, &own).unwrap_err().to_string();
        assert!(e.contains("holds \"notes.txt\""), "{e}");
        let file = d.path().join("f");
        std::fs::write(&file, "").unwrap();
        assert!(refuse_foreign_folder(&file, &own).is_err());
    }
}
