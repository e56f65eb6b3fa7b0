//! Limits with a message: runaway scenarios stop with exit 1 naming the service, the date
//! and the size, before memory runs out; a loop of near-zero stays does not hang; options
//! past their documented limit are refused up front.

use std::fs;
use std::time::{Duration, Instant};

use crate::common::{jeugdflow, s};

const HEAD: &str =
    "[scenario]\nname = \"limit\"\nstart = 2024-01-01\nend = 2024-12-31\nreplications = 2\n";

/// Runs `body` (after a scenario header) and returns exit code, stderr and how long it took.
fn run(body: &str) -> (Option<i32>, String, Duration, bool) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("limit.toml");
    fs::write(&f, format!("{HEAD}{body}")).unwrap();
    let out = dir.path().join("out");
    let started = Instant::now();
    let o = jeugdflow(&["run", s(&f), "--quiet", "--out", s(&out)]);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        started.elapsed(),
        out.exists(),
    )
}

#[test]
fn a_billion_youths_a_year_into_ten_places_stops_with_the_service_date_and_size() {
    let (code, err, took, wrote) = run("[[inflow]]\nto = \"s\"\nper_year = 1e9\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 10\n\
         los = { dist = \"exponential\", mean = 30 }\n");
    assert_eq!(code, Some(1), "{err}");
    for part in [
        "replication 0 stopped: 1,000,000 youths in the system at once on 2024-01-01",
        "max_youths = 1,000,000",
        "most are at 's': 999,990 waiting and 10 in care",
    ] {
        assert!(err.contains(part), "{part}: {err}");
    }
    assert!(took < Duration::from_secs(30), "{took:?}");
    assert!(!wrote, "a stopped run writes nothing");
}

#[test]
fn a_loop_of_near_zero_stays_stops_instead_of_hanging() {
    let (code, err, took, _) = run("[[inflow]]\nto = \"a\"\nper_year = 100\n\
         [[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
         los = { dist = \"fixed\", value = 0.000001 }\nnext = [{ to = \"b\", p = 1.0 }]\n\
         [[service]]\nid = \"b\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
         los = { dist = \"fixed\", value = 0.000001 }\n\
         next = [{ to = \"a\", p = 0.999999 }, { to = \"exit\", p = 0.000001 }]\n");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("time hardly moves"), "{err}");
    assert!(err.contains("more than 100,000 per simulated day"), "{err}");
    assert!(
        err.contains("Most youths are at 'a'") || err.contains("Most youths are at 'b'"),
        "{err}"
    );
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[test]
fn replications_and_threads_past_their_limits_are_refused_up_front() {
    // 10,000 threads on two cores once took minutes to run a scenario of milliseconds
    for (option, value, range) in [
        ("--reps", "2000000", "from 1 to 1,000,000"),
        ("--threads", "9999", "from 1 to 1,024"),
    ] {
        for cmd in ["run", "budget", "savings", "sweep"] {
            let mut args = vec![cmd];
            if cmd == "savings" || cmd == "sweep" {
                args.push("x.toml");
            }
            args.extend([option, value]);
            let o = jeugdflow(&args);
            assert_eq!(o.status.code(), Some(2), "{cmd} {option}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(value) && err.contains(range), "{cmd}: {err}");
        }
    }
}

#[test]
fn a_sweep_past_its_limits_is_refused_up_front_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let base = s(&crate::common::data("small.toml")).to_string();
    let range = "[[sweep.axis]]\npath = \"service.residential.capacity\"\nrange = [20, 40]\n";
    let values: Vec<String> = (1..=32).map(|v| v.to_string()).collect();
    let grid: String = ["residential", "ambulant", "crisis", "foster"]
        .iter()
        .map(|svc| {
            format!(
                "[[sweep.axis]]\npath = \"service.{svc}.capacity\"\nvalues = [{}]\n",
                values.join(", ")
            )
        })
        .collect();
    let cases = [
        (
            "samples = 1e9\n",
            range,
            "sweep.samples must be a whole number from 1 to 100,000, got 1000000000.0",
        ),
        (
            "samples = 1000000000\n",
            range,
            "sweep.samples must be a whole number from 1 to 100,000, got 1000000000",
        ),
        (
            "replications = 1e12\n",
            "",
            "sweep.replications must be a whole number from 1 to 1,000,000, got 1000000000000.0",
        ),
        (
            "",
            grid.as_str(),
            "the sweep has 1,048,576 scenarios (scenario files × futures × grid values × samples), more than the limit of 100,000",
        ),
    ];
    for (k, (key, axes, msg)) in cases.into_iter().enumerate() {
        let f = dir.path().join(format!("{k}.toml"));
        fs::write(&f, format!("[sweep]\nbase = \"{base}\"\n{key}{axes}")).unwrap();
        let out = dir.path().join(format!("out{k}"));
        let started = Instant::now();
        let o = jeugdflow(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{key}: {err}");
        assert!(err.contains(msg), "{key}: {err}");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(!out.exists());
    }
}

#[test]
fn max_youths_is_a_setting_within_its_own_limits() {
    let body = "[[inflow]]\nto = \"s\"\nper_year = 1e6\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 10\n\
         los = { dist = \"exponential\", mean = 30 }\n";
    let (code, err, _, _) = run(&format!("max_youths = 2000\n{body}"));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("2,000 youths in the system at once on 2024-01-01"),
        "{err}"
    );
    let (code, err, _, _) = run(&format!("max_youths = 10\n{body}"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "scenario.max_youths: must be a whole number from 1,000 to 268,435,456, got 10"
        ),
        "{err}"
    );
}

#[test]
fn a_seed_past_what_a_scenario_file_holds_is_refused() {
    // a scenario's `seed` is a TOML integer (at most 2^63 − 1): --seed has the same range
    let o = jeugdflow(&["run", "--seed", "18446744073709551615", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--seed takes a whole number from 0 to 9,223,372,036,854,775,807"),
        "{err}"
    );
}
