//! The flow rules on tiny scenarios whose answers are known in closed form. Tolerances
//! come from the replication confidence interval (3 standard errors) or, for shares, from
//! the binomial standard error.

use jeugdflow::experiment::{self, Plan, Results};
use jeugdflow::model::Model;
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::summary::{Summary, summarise};
use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

use crate::common::std_error;

const HEAD: &str = "[scenario]\nname = \"t\"\nstart = 2000-01-01\nend = 2009-12-31\nwarmup = 200\nseed = 11\nreplications = 16\n[report]\ninterval = \"year\"\n";

fn load(body: &str) -> Model {
    let text = format!("{HEAD}{body}");
    scenario::load(&Source {
        name: "flow.toml".into(),
        text,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run(m: &Model) -> Results {
    let res = experiment::run(
        m,
        Plan {
            replications: m.replications,
            seed: m.seed,
            threads: Some(2),
        },
        &|_| {},
    )
    .unwrap();
    for b in &res.balances {
        assert!(b.holds(), "{b:?}");
        assert_eq!(b.over_capacity, 0);
    }
    res
}

fn service(m: &Model, id: &str) -> usize {
    m.services.iter().position(|s| s.id == id).unwrap()
}

fn total(m: &Model, res: &Results, level: usize, metric: Metric) -> Summary {
    crate::common::total(m, res, level, metric)
}

/// The sum over replications of a count metric for the whole window.
fn count(m: &Model, res: &Results, level: usize, metric: Metric) -> f64 {
    let s = total(m, res, level, metric);
    if s.n == 0 { 0.0 } else { s.mean * s.n as f64 }
}

fn assert_near(what: &str, sim: &Summary, theory: f64) {
    let se = std_error(sim);
    assert!(
        (sim.mean - theory).abs() <= 3.0 * se,
        "{what}: simulated {:.4} ± {:.4} (se) vs theory {theory:.4}",
        sim.mean,
        se
    );
}

/// A share observed in `n` trials against `p`, within 4 binomial standard errors.
fn assert_share(what: &str, hits: f64, n: f64, p: f64) {
    let se = (p * (1.0 - p) / n).sqrt();
    let obs = hits / n;
    assert!(
        (obs - p).abs() <= 4.0 * se,
        "{what}: observed {obs:.4} of {n} vs {p:.4} (se {se:.4})"
    );
}

#[test]
fn abandonment_matches_erlang_a() {
    // M/M/10+M: λ = 9/day, μ = 1/day, patience exponential with mean 2 days (θ = 0.5)
    let m = load(
        "[[inflow]]\nto = \"s\"\nper_year = 3287.25\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 10\n\
         los = { dist = \"exponential\", mean = 1 }\n\
         queue = { patience = { dist = \"exponential\", mean = 2 }, renege_to = \"exit\" }\n",
    );
    let res = run(&m);
    let (lambda, mu, theta, c) = (9.0, 1.0, 0.5, 10usize);
    // birth–death chain of the number in the system, truncated far in the tail
    let mut pi = vec![1.0f64];
    for n in 1..400 {
        let death = (n.min(c) as f64) * mu + (n.saturating_sub(c) as f64) * theta;
        pi.push(pi[n - 1] * lambda / death);
    }
    let z: f64 = pi.iter().sum();
    let lq: f64 = pi
        .iter()
        .enumerate()
        .map(|(n, p)| n.saturating_sub(c) as f64 * p / z)
        .sum();
    let p_abandon = theta * lq / lambda;
    let s = service(&m, "s");
    // per replication: reneged / arrivals
    let p = m.timeline.intervals.len() + m.timeline.years.len();
    let share = summarise(
        crate::common::rep_values(&m)
            .iter()
            .map(|r| r.get(s, Metric::Reneged, p) / r.get(s, Metric::Arrivals, p)),
        &mut Vec::new(),
    );
    assert_near("Erlang-A abandonment probability", &share, p_abandon);
    assert_near(
        "Erlang-A mean queue",
        &total(&m, &res, s, Metric::WaitingMean),
        lq,
    );
    // youths who gave up left care with that reason
    let reneged: u64 = res.balances.iter().map(|b| b.reneged).sum();
    assert!(reneged > 0);
}

#[test]
fn overflow_when_full_matches_erlang_b() {
    // M/M/10/10 with overflow to an unlimited service: overflow probability = B(10, 9)
    let m = load(
        "[[inflow]]\nto = \"s\"\nper_year = 3287.25\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"crisis\"\ncapacity = 10\n\
         los = { dist = \"exponential\", mean = 1 }\noverflow_to = \"elsewhere\"\n\
         [[service]]\nid = \"elsewhere\"\nsegment = \"out\"\nsetting = \"residential\"\n\
         los = { dist = \"exponential\", mean = 1 }\n",
    );
    let res = run(&m);
    let mut b = 1.0;
    for k in 1..=10 {
        b = 9.0 * b / (k as f64 + 9.0 * b);
    }
    let s = service(&m, "s");
    let p = m.timeline.intervals.len() + m.timeline.years.len();
    let share = summarise(
        crate::common::rep_values(&m)
            .iter()
            .map(|r| r.get(s, Metric::Overflowed, p) / r.get(s, Metric::Arrivals, p)),
        &mut Vec::new(),
    );
    assert_near("Erlang-B overflow probability", &share, b);
    // nobody ever waits at a service that overflows
    assert_eq!(total(&m, &res, s, Metric::WaitingMean).mean, 0.0);
}

fn tandem(second_capacity: &str) -> Model {
    load(&format!(
        "[[inflow]]\nto = \"a\"\nper_year = 365.25\n\
         [[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"residential\"\ncapacity = 4\n\
         los = {{ dist = \"exponential\", mean = 2 }}\nhold_until_next = true\n\
         next = [{{ to = \"b\", p = 1.0 }}]\n\
         [[service]]\nid = \"b\"\nsegment = \"g\"\nsetting = \"residential\"\n{second_capacity}\n\
         los = {{ dist = \"exponential\", mean = 1.5 }}\n"
    ))
}

#[test]
fn bed_blocking_only_when_the_next_service_is_full() {
    // b has one place and is loaded at 1.5: youths finished at a keep their beds
    let jam = tandem("capacity = 1");
    let res = run(&jam);
    let a = service(&jam, "a");
    let blocked = total(&jam, &res, a, Metric::BlockedDays);
    assert!(blocked.mean > 100.0, "blocked days {}", blocked.mean);
    // blocked youths are in care at a: a's occupancy includes them
    assert!(total(&jam, &res, a, Metric::OccupancyMean).mean > 2.0);
    // with room at b, nobody is ever blocked
    let free = tandem("");
    let res = run(&free);
    assert_eq!(
        count(&free, &res, service(&free, "a"), Metric::BlockedDays),
        0.0
    );
}

#[test]
fn crisis_stays_are_cut_at_max_stay() {
    // uniform stays on [0, 40] cut at 10: E[min(S, 10)] = 10 − 10²/80 = 8.75 days;
    // Little's law: occupancy = λ · 8.75 with λ = 2/day
    let m = load(
        "[[inflow]]\nto = \"c\"\nper_year = 730.5\n\
         [[service]]\nid = \"c\"\nsegment = \"g\"\nsetting = \"crisis\"\n\
         los = { dist = \"uniform\", min = 0, max = 40 }\nmax_stay = 10\n",
    );
    let res = run(&m);
    assert_near(
        "occupancy with stays cut at max_stay",
        &total(&m, &res, service(&m, "c"), Metric::OccupancyMean),
        2.0 * 8.75,
    );
}

#[test]
fn diversion_share_is_as_configured() {
    let m = load(
        "[[inflow]]\nto = \"res\"\nper_year = 500\n\
         [[service]]\nid = \"res\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
         los = { dist = \"exponential\", mean = 30 }\n\
         divert = { to = \"amb\", share = 0.3 }\n\
         [[service]]\nid = \"amb\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 60 }\n",
    );
    let res = run(&m);
    let r = service(&m, "res");
    let diverted = count(&m, &res, r, Metric::Diverted);
    let arrivals = count(&m, &res, r, Metric::Arrivals);
    assert_share("diverted share", diverted, arrivals, 0.3);
    // diverted youths arrive at the alternative
    let amb = count(&m, &res, service(&m, "amb"), Metric::Arrivals);
    assert_eq!(amb, diverted);

    // only_if_free with a full alternative: nobody is diverted
    let m = load(
        "[[inflow]]\nto = \"res\"\nper_year = 500\n\
         [[service]]\nid = \"res\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
         los = { dist = \"exponential\", mean = 30 }\n\
         divert = { to = \"amb\", share = 0.3, only_if_free = true }\n\
         [[service]]\nid = \"amb\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\ncapacity = 0\n\
         los = { dist = \"exponential\", mean = 60 }\n",
    );
    let res = run(&m);
    assert_eq!(count(&m, &res, service(&m, "res"), Metric::Diverted), 0.0);
}

#[test]
fn youths_age_out_at_exactly_18() {
    // referred aged 17.x, stays far longer than a year: everyone leaves at 18, after
    // (18 − age) years, uniform on (0, 1]: mean time in care 0.5 year
    let m = load(
        "[[inflow]]\nto = \"s\"\nper_year = 365.25\nage = { min = 17, max = 17 }\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"residential\"\n\
         los = { dist = \"fixed\", value = 1000 }\nat_18 = \"exit\"\n",
    );
    let res = run(&m);
    let s = service(&m, "s");
    assert_near(
        "occupancy when leaving at 18",
        &total(&m, &res, s, Metric::OccupancyMean),
        365.25 * 0.5,
    );
    let aged: u64 = res.balances.iter().map(|b| b.aged_out).sum();
    let discharged: u64 = res.balances.iter().map(|b| b.discharged).sum();
    assert!(aged > 1000);
    assert_eq!(discharged, 0, "no stay of 1000 days can end before 18");

    // verlengde jeugdhulp: continue to 21 → mean time in care 3.5 years
    let m = load(
        "[[inflow]]\nto = \"s\"\nper_year = 36.525\nage = { min = 17, max = 17 }\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"residential\"\n\
         los = { dist = \"fixed\", value = 5000 }\nat_18 = \"continue\"\nmax_age = 21\n",
    );
    let res = run(&m);
    // λ = 0.1/day; the window (after 200 days of 10 years) holds the steady state after
    // 4 years only, so compare the last full year: occupancy = 0.1 · 3.5 · 365.25
    let last_year = PeriodRef::Year(m.timeline.years.len() - 1);
    let occ = res.summary(
        LevelRef::Service(service(&m, "s")),
        Metric::OccupancyMean,
        last_year,
    );
    assert_near("occupancy when continuing to 21", &occ, 0.1 * 3.5 * 365.25);
}

#[test]
fn return_to_care_happens_with_the_configured_probability() {
    let m = load(
        "[[inflow]]\nto = \"s\"\nper_year = 1000\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 20 }\n\
         reentry = { p = 0.4, after = { dist = \"exponential\", mean = 10 }, to = \"s\" }\n",
    );
    let res = run(&m);
    let s = service(&m, "s");
    let reentries = count(&m, &res, s, Metric::Reentries);
    let discharges = count(&m, &res, s, Metric::Discharges);
    // returns scheduled after the horizon are lost: at most λ·0.4·10 days per rep
    assert_share("returns per discharge", reentries, discharges, 0.4);
    let reentered: u64 = res.balances.iter().map(|b| b.reentered).sum();
    assert!(reentered > 0);
}

#[test]
fn placement_breakdowns_follow_the_hazard() {
    // stays exponential with mean 100 days, breakdown hazard 0.73/year = 0.002/day:
    // P(breakdown before the end) = 0.002 / (0.002 + 0.01) = 1/6
    let m = load(
        "[[inflow]]\nto = \"foster\"\nper_year = 365.25\n\
         [[service]]\nid = \"foster\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
         los = { dist = \"exponential\", mean = 100 }\n\
         breakdown = { per_year = 0.73, to = \"group\" }\n\
         [[service]]\nid = \"group\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
         los = { dist = \"exponential\", mean = 50 }\n",
    );
    let res = run(&m);
    let f = service(&m, "foster");
    let moves = count(&m, &res, f, Metric::Moves);
    let ended = count(&m, &res, f, Metric::Discharges);
    assert_share("breakdowns per ended placement", moves, ended, 1.0 / 6.0);
    // every move is an arrival at the group home
    assert_eq!(
        count(&m, &res, service(&m, "group"), Metric::Arrivals),
        moves
    );
    // per-episode distribution: some episodes had one move
    let all = m.services.len() + m.segments.len();
    assert!(total(&m, &res, all, Metric::EpisodeMovesMean).mean > 0.05);
    assert!(total(&m, &res, all, Metric::EpisodeOohDaysMean).mean > 50.0);
}

fn priority_model(priority: bool) -> Model {
    load(&format!(
        "[[profile]]\nid = \"urgent\"\nshare = 0.5\npriority = 1\n\
         los = {{ s = {{ dist = \"exponential\", mean = 0.5 }} }}\n\
         [[profile]]\nid = \"routine\"\nshare = 0.5\n\
         [[inflow]]\nto = \"s\"\nper_year = 701.28\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 3\n\
         los = {{ dist = \"exponential\", mean = 2 }}\npriority = {priority}\n"
    ))
}

#[test]
fn priority_admits_the_urgent_profile_first() {
    // short urgent stays admitted first (the cμ rule) cut the mean wait of everyone
    let fifo = priority_model(false);
    let prio = priority_model(true);
    let (rf, rp) = (run(&fifo), run(&prio));
    let wf = total(&fifo, &rf, 0, Metric::WaitDaysMean);
    let wp = total(&prio, &rp, 0, Metric::WaitDaysMean);
    let se = (std_error(&wf).powi(2) + std_error(&wp).powi(2)).sqrt();
    assert!(
        wf.mean - wp.mean > 4.0 * se,
        "mean wait FIFO {:.3} vs priority {:.3} (se {se:.3})",
        wf.mean,
        wp.mean
    );
}

#[test]
fn profiles_are_drawn_by_share_and_follow_their_own_routes() {
    let m = load(
        "[[profile]]\nid = \"mcp\"\nshare = 0.25\nnext = { triage = [{ to = \"hsj\", p = 1.0 }] }\n\
         [[profile]]\nid = \"regular\"\nshare = 0.75\n\
         [[inflow]]\nto = \"triage\"\nper_year = 800\n\
         [[service]]\nid = \"triage\"\nsegment = \"toegang\"\nsetting = \"assessment\"\n\
         los = { dist = \"fixed\", value = 7 }\nnext = [{ to = \"regular\", p = 1.0 }]\n\
         [[service]]\nid = \"hsj\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 100 }\n\
         [[service]]\nid = \"regular\"\nsegment = \"aanvullend\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 100 }\n",
    );
    let res = run(&m);
    let hsj = count(&m, &res, service(&m, "hsj"), Metric::Admissions);
    let reg = count(&m, &res, service(&m, "regular"), Metric::Admissions);
    assert_share("share of the mcp profile", hsj, hsj + reg, 0.25);
}
