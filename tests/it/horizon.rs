//! Youths still waiting at the horizon: they are counted in `waiting_end` and in the
//! balance, and in the time to care with their wait so far plus the wait still ahead
//! (`tests/it/ahead.rs` checks that estimate against longer runs); where nothing tells
//! the wait ahead (nobody was admitted), with their wait so far, counted as lower bounds.

use jeugdflow::experiment::{self, Plan, Results};
use jeugdflow::model::Model;
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::aggregate::Kept;
use jeugdflow::stats::summary::Summary;
use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

/// One leap year (366 days) in one report interval, 16 replications.
const HEAD: &str = "[scenario]\nname = \"t\"\nstart = 2000-01-01\nend = 2000-12-31\n\
                    seed = 5\nreplications = 16\n[report]\ninterval = \"year\"\n";

/// A service of `capacity` places (full at the start) fed by 100 referrals a year, each
/// staying `los`.
fn load(capacity: u32, los: &str) -> Model {
    let text = format!(
        "{HEAD}[[inflow]]\nto = \"s\"\nper_year = 100\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
         capacity = {capacity}\ninitial = {capacity}\nlos = {los}\nqueue = {{ norm = 28 }}\n"
    );
    scenario::load(&Source {
        name: "horizon.toml".into(),
        text,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `m`; every youth who entered has left with a reason or is still in care or
/// waiting (conservation, exact, per replication).
fn run(m: &Model) -> Results {
    let plan = Plan {
        replications: m.replications,
        seed: m.seed,
        threads: Some(2),
    };
    let mut kept = Kept::default();
    for metric in [
        Metric::Arrivals,
        Metric::WaitingEnd,
        Metric::TimeToCareLowerBound,
    ] {
        kept.cell(LevelRef::All, metric, PeriodRef::Total);
    }
    let res = experiment::run_keeping(m, plan, &kept, &|_| {}).expect("runs");
    for b in &res.balances {
        assert!(b.holds(), "{b:?}");
    }
    res
}

fn region(res: &Results, metric: Metric) -> Summary {
    res.summary(LevelRef::All, metric, PeriodRef::Total)
}

#[test]
fn youths_nobody_admits_are_all_waiting_at_the_horizon() {
    // no places: no referral of the year is admitted
    let m = load(0, "{ dist = \"fixed\", value = 10 }");
    let res = run(&m);
    let arrivals = res.per_rep(LevelRef::All, Metric::Arrivals, PeriodRef::Total);
    let waiting = res.per_rep(LevelRef::All, Metric::WaitingEnd, PeriodRef::Total);
    assert_eq!(arrivals, waiting, "everyone referred is still waiting");
    for (b, n) in res.balances.iter().zip(waiting) {
        assert_eq!(b.waiting as f64, *n);
        assert!(b.waiting > 50);
    }
    // no pathway reached care, and nothing tells when one will: each counts in the time
    // to care with its wait so far, a lower bound, and is counted as one
    let bounds = res.per_rep(
        LevelRef::All,
        Metric::TimeToCareLowerBound,
        PeriodRef::Total,
    );
    assert_eq!(bounds, waiting);
    let share = region(&res, Metric::TimeToCareEstimatedShare);
    assert_eq!((share.mean, share.p05), (1.0, 1.0));
    // referred evenly over the year: about half a year waited so far
    let ttc = region(&res, Metric::TimeToCareDaysMean).mean;
    assert!((150.0..215.0).contains(&ttc), "{ttc}");
}

#[test]
fn fewer_places_leave_more_youths_waiting_at_the_horizon_and_care_later() {
    // 100 referrals a year of 36.5 days: 10 youths in care at once; 12 places against 9
    let los = "{ dist = \"exponential\", mean = 36.5 }";
    let (roomy, short) = (load(12, los), load(9, los));
    let (a, b) = (run(&roomy), run(&short));
    let end = |r: &Results| region(r, Metric::WaitingEnd);
    let ttc = |r: &Results| region(r, Metric::TimeToCareDaysMean);
    assert!(
        end(&b).ci_low > end(&a).ci_high,
        "{:?} {:?}",
        end(&a),
        end(&b)
    );
    assert!(
        ttc(&b).ci_low > ttc(&a).ci_high,
        "{:?} {:?}",
        ttc(&a),
        ttc(&b)
    );
    // the youths still waiting are in the balance too
    let waiting: u64 = b.balances.iter().map(|x| x.waiting).sum();
    let at_end: f64 = b
        .per_rep(LevelRef::All, Metric::WaitingEnd, PeriodRef::Total)
        .iter()
        .sum();
    assert_eq!(waiting as f64, at_end);
}
