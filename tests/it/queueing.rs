//! The engine against closed-form queueing results. Tolerances come from the replication
//! confidence interval: the theoretical value must lie within 3 standard errors of the
//! simulated mean.

use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

use crate::common::{model, run, std_error, total};

/// Erlang-C: probability that an arrival waits in an M/M/c queue with offered load `a`.
fn erlang_c(c: u32, a: f64) -> f64 {
    // Erlang-B by the stable recursion, then C = B / (1 − ρ(1 − B))
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    let rho = a / c as f64;
    b / (1.0 - rho * (1.0 - b))
}

fn assert_close(what: &str, sim: &jeugdflow::stats::summary::Summary, theory: f64) {
    let se = std_error(sim);
    assert!(
        (sim.mean - theory).abs() <= 3.0 * se,
        "{what}: simulated {:.4} (95% CI {:.4}–{:.4}, se {se:.4}) vs theory {theory:.4}",
        sim.mean,
        sim.ci_low,
        sim.ci_high
    );
}

#[test]
fn erlang_c_reference_value() {
    // textbook: c = 2, a = 1 → C = 1/3
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn mmc_mean_wait_matches_erlang_c_and_littles_law_holds() {
    let m = model("mmc.toml");
    let res = run(&m);
    let (lambda, mu, c) = (9.0, 1.0, 10u32);
    let a = lambda / mu;
    let pw = erlang_c(c, a);
    let wq = pw / (c as f64 * mu - lambda);
    let station = 0;

    let wait = total(&m, &res, station, Metric::WaitDaysMean);
    assert_close("M/M/10 mean wait (days)", &wait, wq);

    // Little's law for those in care: L = λ·W = a
    let occ = total(&m, &res, station, Metric::OccupancyMean);
    assert_close("M/M/10 mean occupancy", &occ, a);
    let util = total(&m, &res, station, Metric::Utilisation);
    assert_close("M/M/10 utilisation", &util, a / c as f64);

    // Little's law for the waiting list: Lq = λ·Wq
    let lq = total(&m, &res, station, Metric::WaitingMean);
    assert_close("M/M/10 mean waiting list", &lq, lambda * wq);

    // P(wait > t) = C·exp(−(cμ − λ)t): share over the 0.5-day norm
    let over = total(&m, &res, station, Metric::OverNormShare);
    assert_close(
        "M/M/10 share waiting over 0.5 day",
        &over,
        pw * (-(c as f64 * mu - lambda) * 0.5).exp(),
    );

    // the 90th percentile of the wait: solve C·exp(−(cμ−λ)t) = 0.1
    let p90 = total(&m, &res, station, Metric::WaitDaysP90);
    let t90 = (pw / 0.1).ln() / (c as f64 * mu - lambda);
    // sampling noise plus the histogram's resolution (bins 3% wide)
    let tol = 3.0 * std_error(&p90) + 0.03 * t90;
    assert!(
        (p90.mean - t90).abs() <= tol,
        "M/M/10 p90 wait {} vs {t90} ± {tol}",
        p90.mean
    );
}

#[test]
fn mm1_mean_wait_and_queue_length() {
    let m = model("mm1.toml");
    let res = run(&m);
    let (lambda, mu) = (0.8, 1.0);
    let rho = lambda / mu;
    let wq = rho / (mu - lambda);
    let wait = total(&m, &res, 0, Metric::WaitDaysMean);
    assert_close("M/M/1 mean wait (days)", &wait, wq);
    let lq = total(&m, &res, 0, Metric::WaitingMean);
    assert_close("M/M/1 mean waiting list", &lq, rho * rho / (1.0 - rho));
    let occ = total(&m, &res, 0, Metric::OccupancyMean);
    assert_close("M/M/1 busy fraction", &occ, rho);
}

#[test]
fn every_replication_conserves_youths() {
    for name in ["mmc.toml", "small.toml"] {
        let m = model(name);
        let res = run(&m);
        for (r, b) in res.balances.iter().enumerate() {
            assert!(b.holds(), "{name} replication {r}: {b:?}");
            assert!(b.arrived > 0, "{name}: no arrivals");
        }
        // the system-level flows agree with the youths' own tally (warmup 0 for small)
        if m.timeline.warmup == 0.0 {
            let at = |metric| res.per_rep(LevelRef::All, metric, PeriodRef::Total);
            for (r, b) in res.balances.iter().enumerate() {
                assert_eq!(at(Metric::Arrivals)[r], b.arrived as f64);
                assert_eq!(at(Metric::Discharges)[r], b.discharged as f64);
                assert_eq!(at(Metric::WaitingEnd)[r], b.waiting as f64);
            }
        }
    }
}
