//! Peak memory (RSS) and wall time of whole `jeugdflow` runs, one process each, and the
//! size of sweeps on disk: the figures of the README's Performance and Sweeps sections.
//!
//! ```text
//! cargo bench --bench memory                      # the default at 50, 1,000 and 2,000 replications,
//!                                                 # and the ratio of 1,000 to 50
//! cargo bench --bench memory -- 50 1000 2000 10000
//! cargo bench --bench memory -- sweep scenarios/sweeps/capacity-x-hiring.toml
//! cargo bench --bench memory -- sweep benches/data/sweep-1000.toml
//! ```
//!
//! Each measurement runs the release binary as a child of a fresh copy of this program, so
//! `getrusage(RUSAGE_CHILDREN)` reports that run's peak RSS alone. A sweep also reports
//! the bytes and files it wrote.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Peak RSS in MB and CPU seconds (user + system) of the children waited for so far
/// (Linux reports RSS in KB). CPU time, unlike wall time, does not depend on what else
/// the machine runs.
fn children_usage() -> (f64, f64) {
    // SAFETY: getrusage writes into the struct we pass and reads nothing else.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    if rc != 0 {
        return (f64::NAN, f64::NAN);
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        ru.ru_maxrss as f64 / 1024.0,
        secs(ru.ru_utime) + secs(ru.ru_stime),
    )
}

/// Bytes and files under `dir`.
fn size(dir: &Path) -> (u64, u64) {
    let (mut bytes, mut files) = (0, 0);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                let (b, f) = size(&e.path());
                bytes += b;
                files += f;
            } else {
                bytes += m.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

/// Runs `jeugdflow args…` once (in this process, as its only child) and prints the figures.
fn measure(args: &[String]) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let dest = out.path().join("out");
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .args(args)
        .args(["--quiet", "--out"])
        .arg(&dest)
        .status()
        .expect("jeugdflow runs");
    let secs = started.elapsed().as_secs_f64();
    assert!(status.success(), "jeugdflow {args:?} failed");
    let (bytes, files) = size(&dest);
    let (rss, cpu) = children_usage();
    println!(
        "{:<48} {:>8.1} s wall {:>8.1} s CPU {:>6.0} MB peak RSS {:>8.1} MB written in {files} files",
        args.join(" "),
        secs,
        cpu,
        rss,
        bytes as f64 / 1e6
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let Some(rest) = args.strip_prefix(&["--one".to_string()]) {
        measure(rest);
        return;
    }
    let runs: Vec<Vec<String>> = match args.first().map(String::as_str) {
        Some("sweep") => args[1..]
            .iter()
            .map(|f| vec!["sweep".into(), f.clone()])
            .collect(),
        _ if args.is_empty() => ["50", "1000", "2000"]
            .iter()
            .map(|n| vec!["run".into(), "--reps".into(), n.to_string()])
            .collect(),
        _ => args
            .iter()
            .map(|n| vec!["run".into(), "--reps".into(), n.clone()])
            .collect(),
    };
    let me = std::env::current_exe().expect("the bench knows where it is");
    // (run, wall seconds, CPU seconds); a child's CPU includes the jeugdflow it waited for
    let mut walls = Vec::new();
    for run in runs {
        let started = Instant::now();
        let cpu_before = children_usage().1;
        let status = Command::new(&me)
            .arg("--one")
            .args(&run)
            .status()
            .expect("the bench runs itself");
        assert!(status.success());
        let cpu = children_usage().1 - cpu_before;
        walls.push((run, started.elapsed().as_secs_f64(), cpu));
    }
    // the README's "replications linear" ratio: 1,000 replications against 50
    let wall = |n: &str| {
        walls
            .iter()
            .find(|(r, _, _)| r.len() == 3 && r[0] == "run" && r[2] == n)
            .map(|(_, w, c)| (*w, *c))
    };
    if let (Some((w50, c50)), Some((w1000, c1000))) = (wall("50"), wall("1000")) {
        println!(
            "ratio  1,000 replications / 50 replications of the default: {w1000:.1} s / {w50:.1} s = {:.1} \
             (target ≤ 12)",
            w1000 / w50
        );
        // linear in replications: the CPU a replication costs does not grow with their number
        let (per50, per1000) = (c50 / 50.0, c1000 / 1000.0);
        println!(
            "ratio  CPU per replication, 1,000 against 50: {per1000:.3} s / {per50:.3} s = {:.2} \
             (linear: 1.0 or less)",
            per1000 / per50
        );
    }
}
