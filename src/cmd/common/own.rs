//! `init`'s stricter rule beside the library's (`report::output::claim`): a scenario file
//! is edited by hand after it is written, so `init` never replaces one, not even its own.

use std::path::Path;

use anyhow::Result;

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
}
