//! The time to care still ahead of pathways open at the horizon (`model::sim::ahead`),
//! against what the same youths get when the same run goes on (common random numbers:
//! the run to the horizon and the longer run share their history up to it, checked
//! pathway by pathway).

use jeugdflow::model::Model;
use jeugdflow::model::sim::{Followed, Outcome, follow_open_paths, simulate};
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::Metric;

fn load(name: &str, text: String) -> Model {
    scenario::load(&Source {
        name: name.into(),
        text,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// One list of `capacity` places (full at the start, 80 waiting) fed by 520 referrals a
/// year staying 36.5 days (52 places' worth): with 40 places the list grows; with
/// `patience`, youths give up after 365 days on average. The run ends on `end`.
fn queue(capacity: u32, end: &str, patience: bool) -> Model {
    let patience = if patience {
        ", patience = { dist = \"exponential\", mean = 365 }, renege_to = \"exit\""
    } else {
        ""
    };
    load(
        "ahead.toml",
        format!(
            "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = {end}\nseed = 9\n\
             replications = 1\n[report]\ninterval = \"year\"\n\
             [[inflow]]\nto = \"s\"\nper_year = 520\n\
             [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
             capacity = {capacity}\ninitial = {capacity}\n\
             los = {{ dist = \"exponential\", mean = 36.5 }}\n\
             queue = {{ norm = 28, waiting = 80, waited = 30{patience} }}\n"
        ),
    )
}

/// The pathways open at the horizon of `short`, followed on in `long` (the same scenario
/// run longer), in replications `0..reps`: the same pathways with the same estimates in
/// both (the same history), and in `long` what each got.
fn follow(short: &Model, long: &Model, reps: u64) -> Vec<Followed> {
    let at = short.timeline.horizon;
    let mut all = Vec::new();
    for rep in 0..reps {
        let s = follow_open_paths(short, short.seed, rep, at).expect("runs");
        let l = follow_open_paths(long, short.seed, rep, at).expect("runs");
        assert_eq!(s.len(), l.len(), "replication {rep}");
        for (a, b) in s.iter().zip(&l) {
            assert_eq!(a.outcome, Outcome::Open, "nothing after the horizon");
            assert_eq!(
                (a.segment, a.so_far, a.ahead),
                (b.segment, b.so_far, b.ahead),
                "replication {rep}"
            );
        }
        all.extend(l);
    }
    all
}

/// Over the pathways that reached care in the longer run: the mean estimated time to care
/// (time so far + time ahead), the mean time to care they got, and how many.
fn estimate_and_actual(f: &[Followed]) -> (f64, f64, usize) {
    let cared: Vec<(f64, f64)> = f
        .iter()
        .filter_map(|p| match p.outcome {
            Outcome::Care(got) => Some((p.so_far + p.ahead.expect("known"), got)),
            _ => None,
        })
        .collect();
    let n = cared.len() as f64;
    let est = cared.iter().map(|c| c.0).sum::<f64>() / n;
    let got = cared.iter().map(|c| c.1).sum::<f64>() / n;
    (est, got, cared.len())
}

#[test]
fn the_estimate_of_the_time_to_care_ahead_is_what_the_youths_get_when_the_run_goes_on() {
    let (short, long) = (
        queue(40, "2025-12-31", false),
        queue(40, "2027-12-31", false),
    );
    let f = follow(&short, &long, 40);
    assert!(f.len() > 40 * 160, "a list at the horizon: {}", f.len());
    // the estimate never undercuts the time so far
    assert!(f.iter().all(|p| p.ahead.is_some_and(|a| a > 0.0)));
    // nobody gives up: all but those who reach the age limit first reach care, on average
    // when the list's pace of the last year (Little's law) says
    let (est, got, n) = estimate_and_actual(&f);
    assert!(n * 50 > f.len() * 49, "{n} of {}", f.len());
    assert!(
        (est - got).abs() < 0.03 * got,
        "estimated {est:.1}, got {got:.1}"
    );
}

#[test]
fn with_giving_up_the_estimate_is_the_time_to_care_of_a_youth_who_stays() {
    let (short, long) = (queue(40, "2025-12-31", true), queue(40, "2027-12-31", true));
    let f = follow(&short, &long, 40);
    let (est, got, n) = estimate_and_actual(&f);
    assert!(n < f.len() && n * 10 > f.len() * 7, "{n} of {}", f.len());
    // the give-ups ahead shorten the wait (Erlang-A); those who reach care are those who
    // stayed, the estimate is the time to care of one who stays: within 5%
    assert!(
        (est - got).abs() < 0.05 * got,
        "estimated {est:.1}, got {got:.1}"
    );
}

#[test]
fn fewer_places_leave_more_youths_waiting_and_a_longer_estimated_time_to_care() {
    let at_end = |capacity: u32| {
        let m = queue(capacity, "2025-12-31", true);
        let f: Vec<Followed> = (0..8)
            .flat_map(|rep| follow_open_paths(&m, m.seed, rep, m.timeline.horizon).expect("runs"))
            .collect();
        let mean = f
            .iter()
            .map(|p| p.so_far + p.ahead.expect("known"))
            .sum::<f64>()
            / f.len() as f64;
        (f.len(), mean)
    };
    let (n40, t40) = at_end(40);
    let (n36, t36) = at_end(36);
    assert!(n36 > n40, "{n36} waiting against {n40}");
    assert!(t36 > t40, "{t36:.1} days against {t40:.1}");
}

#[test]
fn a_service_that_admits_nobody_leaves_a_lower_bound_only() {
    let m = queue(0, "2025-12-31", true);
    let f = follow_open_paths(&m, m.seed, 0, m.timeline.horizon).expect("runs");
    assert!(!f.is_empty());
    assert!(f.iter().all(|p| p.ahead.is_none() && p.so_far >= 0.0));
}

#[test]
fn nobody_open_at_the_horizon_leaves_every_figure_as_it_was() {
    // 80 places for 52 places' worth: the starting list is gone within days
    let m = queue(80, "2025-12-31", false);
    let (all, total) = (
        m.services.len() + m.segments.len(),
        m.timeline.periods().count() - 1,
    );
    for rep in 0..8 {
        assert!(
            follow_open_paths(&m, m.seed, rep, m.timeline.horizon)
                .expect("runs")
                .is_empty()
        );
        // nothing recorded at the horizon: the share estimated is 0, and every other
        // figure is the run's own
        let v = simulate(&m, m.seed, rep).values;
        assert_eq!(v.get(all, Metric::TimeToCareEstimatedShare, total), 0.0);
        assert_eq!(v.get(all, Metric::TimeToCareLowerBound, total), 0.0);
        assert!(v.get(all, Metric::TimeToCareDaysMean, total) > 0.0);
    }
}

/// The default's estimate at the end of 2030 against two more years of the same run
/// (seed 2024, 20 replications): the README's table ("Unmet need"). Run with
/// `cargo test --release --test it default_estimate -- --ignored --nocapture`.
#[test]
#[ignore = "a figure for the README: the default to 2032, 40 runs"]
fn default_estimate_against_two_more_years() {
    let at_2030 = |end: &str| {
        load(
            "mine.toml",
            format!(
                "[scenario]\nname = \"groningen\"\nextends = \"builtin:groningen\"\n\
                 end = {end}\nseed = 2024\nreplications = 20\n"
            ),
        )
    };
    let (short, long) = (at_2030("2030-12-31"), at_2030("2032-12-31"));
    let f = follow(&short, &long, 20);
    println!(
        "segment | open at end-2030 | so far | estimated | cared by 2032 | estimated (cared) | got | bias | ended | still open"
    );
    for (g, name) in short.segments.iter().enumerate() {
        let mine: Vec<&Followed> = f.iter().filter(|p| p.segment == g).collect();
        if mine.is_empty() {
            continue;
        }
        let n = mine.len() as f64;
        let mean = |x: &dyn Fn(&Followed) -> f64| mine.iter().map(|p| x(p)).sum::<f64>() / n;
        let so_far = mean(&|p| p.so_far);
        let est = mean(&|p| p.so_far + p.ahead.unwrap_or(0.0));
        let cared: Vec<Followed> = mine.iter().copied().copied().collect();
        let (ce, cg, cn) = estimate_and_actual(&cared);
        let ended = mine.iter().filter(|p| p.outcome == Outcome::Ended).count();
        let open = mine.iter().filter(|p| p.outcome == Outcome::Open).count();
        println!(
            "{name} | {:.0} | {so_far:.1} | {est:.1} | {:.1}% | {ce:.1} | {cg:.1} | {:+.1} ({:+.1}%) | {:.1}% | {:.1}%",
            n / 20.0,
            100.0 * cn as f64 / n,
            ce - cg,
            100.0 * (ce - cg) / cg,
            100.0 * ended as f64 / n,
            100.0 * open as f64 / n,
        );
    }
}
