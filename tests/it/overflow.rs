//! Issue 28, item 5: `overflow_to` applies from the day a service's capacity reaches zero
//! (or from `overflow_from`), so a road that closes a service sends its referrals elsewhere
//! from its closing, not from the start — and no road differs from the baseline before it
//! changes anything (before: every shipped road "saved" €0.2M in 2024, big bang included,
//! because JeugdzorgPlus overflowed to open groups whenever full from 2024).

use std::fs;
use std::path::Path;

use crate::common::{jeugdflow_ok, s};

/// A service `a` of 5 places with 200 referrals a year and stays of 30 days (16 youths
/// would be in care: it is full from the start), closing to 0 places on 2025-01-01, with
/// `overflow_to = "b"` and `extra` keys.
fn closing(extra: &str) -> String {
    format!(
        "[scenario]\nname = \"closing\"\nstart = 2024-01-01\nend = 2025-12-31\nseed = 7\n\
         replications = 4\n\n[[inflow]]\nto = \"a\"\nper_year = 200\n\n\
         [[service]]\nid = \"a\"\nsegment = \"s\"\nsetting = \"residential\"\n\
         capacity = [{{ at = 2024-01-01, value = 5 }}, {{ at = 2025-01-01, value = 0 }}]\n\
         los = {{ dist = \"exponential\", mean = 30 }}\noverflow_to = \"b\"\n{extra}\n\
         [[service]]\nid = \"b\"\nsegment = \"s\"\nsetting = \"residential\"\n\
         los = {{ dist = \"exponential\", mean = 10 }}\n"
    )
}

/// `a`'s `overflowed` per year (2024, 2025) from a run's summary.csv.
fn overflowed(dir: &Path, text: &str) -> (f64, f64) {
    let f = dir.join("closing.toml");
    fs::write(&f, text).unwrap();
    let out = dir.join("out");
    let _ = fs::remove_dir_all(&out);
    jeugdflow_ok(&["run", s(&f), "--quiet", "--out", s(&out)]);
    let summary = fs::read_to_string(out.join("summary.csv")).unwrap();
    let year = |y: &str| -> f64 {
        summary
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|c| c[2] == "a" && c[3] == "overflowed" && c[4] == y)
            .unwrap_or_else(|| panic!("a overflowed {y}"))[5]
            .parse()
            .unwrap()
    };
    (year("2024"), year("2025"))
}

#[test]
fn overflow_applies_from_the_closing_or_from_overflow_from() {
    let dir = tempfile::tempdir().unwrap();
    // closing on 2025-01-01: full all through 2024, yet nobody overflows before it closes;
    // then every referral does (about 200 a year)
    let (y2024, y2025) = overflowed(dir.path(), &closing(""));
    assert_eq!(y2024, 0.0);
    assert!((150.0..=250.0).contains(&y2025), "{y2025}");
    // from a date given: from 2024-07-01, about half a year of a full service's referrals
    let (y2024, y2025) = overflowed(dir.path(), &closing("overflow_from = 2024-07-01\n"));
    assert!(y2024 > 50.0, "{y2024}");
    assert!((150.0..=250.0).contains(&y2025), "{y2025}");
    // a service that never closes overflows whenever full, from the start (the default's
    // crisis beds to out-of-region placements)
    let never = closing("").replace(
        "capacity = [{ at = 2024-01-01, value = 5 }, { at = 2025-01-01, value = 0 }]",
        "capacity = 5",
    );
    let (y2024, _) = overflowed(dir.path(), &never);
    assert!(y2024 > 100.0, "{y2024}");
}

/// Every shipped road against the built-in baseline (3 replications, common random
/// numbers): the region's saving is exactly 0 in 2024, when none of them has changed
/// anything yet, and the big bang's in 2025 too (it changes everything on 2026-01-01).
#[test]
fn no_road_differs_from_the_baseline_before_it_changes_anything() {
    let dir = tempfile::tempdir().unwrap();
    let roads = [
        "fasering-big-bang",
        "fasering-pilot",
        "fasering-gefaseerd",
        "fasering-ambulant-eerst",
    ];
    let files: Vec<String> = roads
        .iter()
        .map(|r| format!("{}/scenarios/{r}.toml", env!("CARGO_MANIFEST_DIR")))
        .collect();
    let out = dir.path().join("savings");
    let mut args = vec!["savings"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--reps", "3", "--quiet", "--out", s(&out)]);
    jeugdflow_ok(&args);
    let table = fs::read_to_string(out.join("savings.csv")).unwrap();
    let saving = |road: &str, year: &str| -> (f64, f64, f64) {
        let c: Vec<f64> = table
            .lines()
            .find(|l| l.starts_with(&format!("{road},groningen,all,{year},saving,")))
            .unwrap_or_else(|| panic!("{road} {year}"))
            .split(',')
            .skip(5)
            .map(|x| x.parse().unwrap())
            .collect();
        (c[0], c[1], c[2])
    };
    for road in roads {
        assert_eq!(saving(road, "2024"), (0.0, 0.0, 0.0), "{road}");
    }
    assert_eq!(saving("fasering-big-bang", "2025"), (0.0, 0.0, 0.0));
    // and once it has changed something, it differs
    assert_ne!(saving("fasering-big-bang", "2026").0, 0.0);
}
