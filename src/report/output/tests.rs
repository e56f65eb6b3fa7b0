//! Tests of the output rule: what `claim` accepts, refuses, and never touches.

use super::*;

fn manifest(kind: &str, files: &[&str]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "tool": "jeugdflow", "kind": kind, "files": files }))
        .unwrap()
}

/// A run folder as jeugdflow writes it, at `dir`.
fn run_folder(dir: &Path) {
    let files = ["summary.csv", "manifest.json", "plots/a.svg"];
    fs::create_dir_all(dir.join("plots")).unwrap();
    fs::write(dir.join("summary.csv"), "x\n").unwrap();
    fs::write(dir.join("plots/a.svg"), "<svg/>").unwrap();
    fs::write(dir.join("manifest.json"), manifest("run", &files)).unwrap();
}

fn new_files() -> Vec<(String, Vec<u8>)> {
    vec![
        ("manifest.json".into(), manifest("run", &["manifest.json"])),
        ("b.csv".into(), b"2".to_vec()),
    ]
}

#[test]
fn a_new_place_or_an_empty_folder_is_claimed_and_written() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("deep/out");
    let c = claim(&dir, Kind::Run).unwrap();
    assert!(!dir.exists(), "claiming touches nothing");
    c.write_folder(&new_files()).unwrap();
    assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"2");
    let empty = base.path().join("empty");
    fs::create_dir(&empty).unwrap();
    claim(&empty, Kind::Run)
        .unwrap()
        .write_folder(&new_files())
        .unwrap();
    assert!(empty.join("b.csv").exists());
    // no probe or temporary folder is left behind
    let mut left: Vec<_> = fs::read_dir(base.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["deep", "empty"]);
}

#[test]
fn jeugdflow_s_own_folder_is_replaced_whole() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("out");
    run_folder(&dir);
    claim(&dir, Kind::Run)
        .unwrap()
        .write_folder(&new_files())
        .unwrap();
    assert!(!dir.join("summary.csv").exists() && !dir.join("plots").exists());
    assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"2");
    // a folder of an older jeugdflow, whose manifest had no kind and no file list
    let old = base.path().join("old");
    fs::create_dir_all(old.join("plots")).unwrap();
    fs::write(
        old.join("manifest.json"),
        br#"{"tool": "jeugdflow", "scenario": "x"}"#,
    )
    .unwrap();
    fs::write(old.join("timeseries.csv"), "x\n").unwrap();
    fs::write(old.join("plots/system-flows.png"), "png").unwrap();
    claim(&old, Kind::Run).unwrap();
    fs::write(old.join("plots/notes.txt"), "mine").unwrap();
    let e = claim(&old, Kind::Run).unwrap_err();
    assert!(e.to_string().contains("plots/notes.txt"), "{e}");
}

#[test]
fn a_user_s_file_anywhere_in_the_folder_is_refused_and_kept() {
    let base = tempfile::tempdir().unwrap();
    // a folder of the user's own, without a manifest
    let thesis = base.path().join("thesis");
    fs::create_dir(&thesis).unwrap();
    fs::write(thesis.join("chapter1.tex"), "mine").unwrap();
    let e = claim(&thesis, Kind::Run).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "output '{}' holds 'chapter1.tex', which jeugdflow did not write (no jeugdflow \
             manifest.json beside it); it would be deleted, so nothing was written (choose \
             another --out, or move it)",
            thesis.display()
        )
    );
    // a jeugdflow folder with a user's file added, at the top or in plots/
    for extra in ["notes.txt", "plots/notes.txt"] {
        let dir = base.path().join(format!("run-{}", extra.len()));
        run_folder(&dir);
        fs::write(dir.join(extra), "mine").unwrap();
        let c = claim(&dir, Kind::Run);
        assert!(
            matches!(c, Err(ClaimError::Foreign { ref entry, .. }) if entry == extra),
            "{c:?}"
        );
        assert_eq!(fs::read(dir.join(extra)).unwrap(), b"mine");
    }
    // the file appears while the run works: the write checks again and keeps it
    let dir = base.path().join("late");
    let c = claim(&dir, Kind::Run).unwrap();
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("late.txt"), "mine").unwrap();
    assert!(c.write_folder(&new_files()).is_err());
    assert_eq!(fs::read(dir.join("late.txt")).unwrap(), b"mine");
}

#[test]
fn a_plain_file_another_kind_and_links_are_refused() {
    let base = tempfile::tempdir().unwrap();
    let notes = base.path().join("notes.txt");
    fs::write(&notes, "mine").unwrap();
    assert!(matches!(
        claim(&notes, Kind::Run),
        Err(ClaimError::File { .. })
    ));
    assert_eq!(fs::read(&notes).unwrap(), b"mine");
    let sweep = base.path().join("sweep");
    fs::create_dir(&sweep).unwrap();
    fs::write(
        sweep.join("manifest.json"),
        manifest("sweep", &["manifest.json"]),
    )
    .unwrap();
    let e = claim(&sweep, Kind::Run).unwrap_err();
    assert!(
        e.to_string()
            .contains("holds a jeugdflow sweep output, not a run output"),
        "{e}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        // a link as the place: never followed
        let target = base.path().join("target");
        run_folder(&target);
        let link = base.path().join("link");
        symlink(&target, &link).unwrap();
        assert!(matches!(
            claim(&link, Kind::Run),
            Err(ClaimError::Link { .. })
        ));
        // a link inside the folder pointing out of it: the folder is not jeugdflow's
        let outside = base.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("precious.txt"), "mine").unwrap();
        let dir = base.path().join("out");
        run_folder(&dir);
        symlink(&outside, dir.join("plots/data")).unwrap();
        let e = claim(&dir, Kind::Run).unwrap_err();
        assert!(
            e.to_string().contains("'plots/data'") && e.to_string().contains("symbolic link"),
            "{e}"
        );
        assert_eq!(fs::read(outside.join("precious.txt")).unwrap(), b"mine");
        // a dangling link is refused too
        let dangling = base.path().join("dangling");
        symlink(base.path().join("nowhere"), &dangling).unwrap();
        assert!(matches!(
            claim(&dangling, Kind::Page),
            Err(ClaimError::Link { .. })
        ));
        // a link on the way to the place (issue 28: `--out link/sub` wrote through it)
        let real = base.path().join("real");
        fs::create_dir(&real).unwrap();
        let linked = base.path().join("linked");
        symlink(&real, &linked).unwrap();
        for (place, kind) in [
            (linked.join("sub"), Kind::Run),
            (linked.join("a/b/x.html"), Kind::Page),
            (linked.join("x.csv"), Kind::Text { first_line: "a," }),
        ] {
            let e = claim(&place, kind).unwrap_err();
            assert!(matches!(e, ClaimError::LinkedFolder { .. }), "{e}");
            let text = e.to_string();
            assert!(
                text.contains(&format!("lies in '{}', a symbolic link", linked.display()))
                    && text.contains(&format!("(e.g. '{}", real.display())),
                "{text}"
            );
        }
        assert!(refuse_linked_folders(&linked.join("studio")).is_err());
        assert!(refuse_linked_folders(&real.join("studio")).is_ok());
        assert_eq!(fs::read_dir(&real).unwrap().count(), 0, "nothing written");
    }
}

#[test]
fn a_file_s_missing_folders_are_made_when_it_is_written() {
    let base = tempfile::tempdir().unwrap();
    let page = base.path().join("sub/dir/x.html");
    let c = claim(&page, Kind::Page).unwrap();
    assert!(
        !base.path().join("sub").exists(),
        "claiming touches nothing"
    );
    c.write_file(b"<html>").unwrap();
    assert_eq!(fs::read(&page).unwrap(), b"<html>");
}

#[test]
fn a_sweep_folder_holds_its_files_and_run_folders() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("sweep");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("manifest.json"),
        manifest("sweep", &["manifest.json", "sweep.csv"]),
    )
    .unwrap();
    fs::write(dir.join("sweep.csv"), "x\n").unwrap();
    run_folder(&dir.join("point-1"));
    // a write that was killed leaves a temporary folder: jeugdflow's own
    run_folder(&dir.join(".point-2.tmp-1234"));
    claim(&dir, Kind::Sweep).unwrap();
    fs::write(dir.join("point-1/mine.txt"), "mine").unwrap();
    let e = claim(&dir, Kind::Sweep).unwrap_err();
    assert!(e.to_string().contains("point-1/mine.txt"), "{e}");
}

#[test]
fn single_files_are_replaced_only_when_jeugdflow_wrote_them() {
    let base = tempfile::tempdir().unwrap();
    let csv = base.path().join("c.csv");
    let kind = Kind::Text {
        first_line: "scenario,baseline,metric,",
    };
    claim(&csv, kind)
        .unwrap()
        .write_file(b"scenario,baseline,metric,mean\n1\n")
        .unwrap();
    claim(&csv, kind)
        .unwrap()
        .write_file(b"scenario,baseline,metric,mean\n2\n")
        .unwrap();
    fs::write(&csv, "my,own,table\n").unwrap();
    assert!(matches!(
        claim(&csv, kind),
        Err(ClaimError::ForeignFile { .. })
    ));
    let page = base.path().join("p.html");
    fs::write(&page, "<!DOCTYPE html><html><head></head></html>").unwrap();
    assert!(matches!(
        claim(&page, Kind::Page),
        Err(ClaimError::ForeignFile { .. })
    ));
    fs::write(&page, format!("<!DOCTYPE html>\n<head>\n{GENERATOR_TAG}\n")).unwrap();
    claim(&page, Kind::Page).unwrap();
    assert!(matches!(
        claim(base.path(), Kind::Page),
        Err(ClaimError::Folder { .. })
    ));
}

#[test]
fn an_impossible_place_is_refused_up_front_naming_it() {
    let e = claim(Path::new("/proc/jeugdflow-test/out"), Kind::Run).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cannot write output '/proc/jeugdflow-test/out' in '/proc'"),
        "{e}"
    );
    let base = tempfile::tempdir().unwrap();
    let file = base.path().join("file");
    fs::write(&file, "x").unwrap();
    let e = claim(&file.join("out"), Kind::Run).unwrap_err();
    let reason = std::error::Error::source(&e).map(|s| s.to_string());
    assert_eq!(reason.as_deref(), Some("it is a file, not a folder"), "{e}");
}

#[test]
fn leftovers_of_atomic_writes_are_recognised() {
    assert!(is_leftover(".out.tmp-123"));
    assert!(is_leftover(".out.old-9"));
    assert!(is_leftover("sweep.tmp-77"));
    assert!(!is_leftover("notes.tmp-"));
    assert!(!is_leftover("notes.txt"));
    assert!(!is_leftover("x.tmp-12a"));
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

#[test]
fn a_stamped_workbook_is_claimed_and_a_plain_zip_is_not() {
    let base = tempfile::tempdir().unwrap();
    // the smallest zip: its end record alone, without a comment
    let mut empty_zip = b"PK\x05\x06".to_vec();
    empty_zip.extend_from_slice(&[0; 18]);
    let stamped = stamp_workbook(empty_zip.clone());
    assert!(stamped.ends_with(WORKBOOK_MARK));
    assert_eq!(stamped.len(), 22 + WORKBOOK_MARK.len());
    assert_eq!(
        stamp_workbook(stamped.clone()),
        stamped,
        "stamped once only"
    );
    let ours = base.path().join("ours.xlsx");
    fs::write(&ours, &stamped).unwrap();
    assert!(claim(&ours, Kind::Workbook).is_ok());
    let theirs = base.path().join("theirs.xlsx");
    fs::write(&theirs, &empty_zip).unwrap();
    assert!(matches!(
        claim(&theirs, Kind::Workbook),
        Err(ClaimError::ForeignFile { .. })
    ));
    assert!(claim(&base.path().join("new.xlsx"), Kind::Workbook).is_ok());
}

#[test]
fn only_jeugdflow_s_own_folder_of_the_kind_is_removed() {
    let base = tempfile::tempdir().unwrap();
    // a comparison: its files and its runs' folders
    let cmp = base.path().join("cmp");
    run_folder(&cmp.join("a"));
    run_folder(&cmp.join("b"));
    fs::write(cmp.join("report.html"), "<html>").unwrap();
    fs::write(
        cmp.join("manifest.json"),
        manifest("comparison", &["manifest.json", "report.html"]),
    )
    .unwrap();
    // the wrong kind is refused, and so is a folder holding a user's file
    assert!(matches!(
        remove(&cmp, Kind::Run),
        Err(ClaimError::OtherKind { .. })
    ));
    fs::write(cmp.join("a/notes.txt"), "mine").unwrap();
    assert!(matches!(
        remove(&cmp, Kind::Comparison),
        Err(ClaimError::Foreign { .. })
    ));
    assert_eq!(fs::read(cmp.join("a/notes.txt")).unwrap(), b"mine");
    fs::remove_file(cmp.join("a/notes.txt")).unwrap();
    remove(&cmp, Kind::Comparison).unwrap();
    assert!(!cmp.exists());
    // a run folder; a user's folder, a missing one and a link are refused
    let run = base.path().join("run");
    run_folder(&run);
    remove(&run, Kind::Run).unwrap();
    assert!(!run.exists());
    let theirs = base.path().join("theirs");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("data.csv"), "x").unwrap();
    assert!(remove(&theirs, Kind::Run).is_err());
    assert!(theirs.join("data.csv").exists());
    assert!(remove(&base.path().join("nothing"), Kind::Run).is_err());
    #[cfg(unix)]
    {
        let target = base.path().join("target");
        run_folder(&target);
        let link = base.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(
            remove(&link, Kind::Run),
            Err(ClaimError::Link { .. })
        ));
        assert!(target.join("summary.csv").exists());
    }
    // nothing is left aside
    let mut left: Vec<_> = fs::read_dir(base.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["link", "target", "theirs"]);
}
