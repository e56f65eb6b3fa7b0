//! The pathway rules, each on a tiny scenario whose answer is computed by hand: time to care
//! along a pathway with assessment steps, giving up and overflow as norm breaches, no
//! transition delay on crisis, frictions that grow with the change load, diversions that
//! fail, random staffing, staff freed by closing places, stranded costs and open-ended
//! contracts.

use jeugdflow::model::Model;
use jeugdflow::model::sim::{RepOutcome, simulate};
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::Metric;

use crate::common::std_error;

/// 2024–2025 in months: periods 0–23 are the months, 24 and 25 the years, 26 the total.
const HEAD: &str =
    "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2025-12-31\nseed = 3\nreplications = 1\n";
const TOTAL: usize = 26;
const Y2024: usize = 24;

fn load(body: &str) -> Model {
    scenario::load(&Source {
        name: "pathway.toml".into(),
        text: format!("{HEAD}{body}"),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run(m: &Model) -> RepOutcome {
    let o = simulate(m, m.seed, 0);
    assert!(o.balance.holds(), "{:?}", o.balance);
    assert_eq!(o.balance.over_capacity, 0);
    o
}

fn service(m: &Model, id: &str) -> usize {
    m.services.iter().position(|s| s.id == id).unwrap()
}

fn segment(m: &Model, name: &str) -> usize {
    m.services.len() + m.segments.iter().position(|g| g == name).unwrap()
}

fn all(m: &Model) -> usize {
    m.services.len() + m.segments.len()
}

/// Triage (14 days) and an explanatory analysis (42 days), both assessments with room for
/// everyone, then care: every pathway takes exactly 56 days to care.
fn assessed(norms: &str) -> Model {
    load(&format!(
        "[[inflow]]\nto = \"triage\"\nper_year = 365.25\n\
         [[service]]\nid = \"triage\"\nsegment = \"hsj\"\nsetting = \"assessment\"\n\
         los = {{ dist = \"fixed\", value = 14 }}\nqueue = {{ {norms} }}\nnext = [{{ to = \"va\", p = 1.0 }}]\n\
         [[service]]\nid = \"va\"\nsegment = \"hsj\"\nsetting = \"assessment\"\n\
         los = {{ dist = \"fixed\", value = 42 }}\nnext = [{{ to = \"care\", p = 1.0 }}]\n\
         [[service]]\nid = \"care\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\n\
         los = {{ dist = \"fixed\", value = 10 }}\n"
    ))
}

#[test]
fn time_to_care_counts_the_assessment_steps_that_the_entry_wait_hides() {
    let m = assessed("norm_intake = 28, norm_treatment = 42");
    let o = run(&m);
    let (hsj, system) = (segment(&m, "hsj"), all(&m));
    for level in [hsj, system] {
        // nobody waits for a place, yet care starts 14 + 42 = 56 days after the referral
        // (in 2024: the pathways still in an assessment at the horizon count in 2025 and
        // the whole window with an estimate, `tests/it/ahead.rs`)
        assert_eq!(o.values.get(level, Metric::WaitDaysMean, TOTAL), 0.0);
        assert_eq!(o.values.get(level, Metric::TimeToCareDaysMean, Y2024), 56.0);
        let p90 = o.values.get(level, Metric::TimeToCareDaysP90, Y2024);
        assert!(
            (56.0..=57.0).contains(&p90),
            "p90 {p90} (bins of 1 day here)"
        );
        // intake at once (≤ 28 days), but 56 days from intake to treatment > 42: every
        // pathway breaks the treeknorm's second stage
        assert_eq!(o.values.get(level, Metric::OverNormShare, TOTAL), 1.0);
    }
    // time to care belongs to segments and the system, not to a service
    assert!(
        o.values
            .get(service(&m, "care"), Metric::TimeToCareDaysMean, TOTAL)
            .is_nan()
    );
    // with ten weeks for the second stage, nobody breaks it
    let m = assessed("norm_intake = 28, norm_treatment = 70");
    let o = run(&m);
    assert_eq!(o.values.get(all(&m), Metric::OverNormShare, TOTAL), 0.0);
    // one norm alone judges the whole time to care: 56 > 50
    let m = assessed("norm = 50");
    let o = run(&m);
    assert_eq!(o.values.get(all(&m), Metric::OverNormShare, TOTAL), 1.0);
}

#[test]
fn giving_up_and_overflow_are_breaches_at_the_service_the_segment_and_the_system() {
    // a admits everyone at once; b has no places and everybody gives up after 3 days;
    // the crisis unit c has no places and places everybody out of region ("out")
    let m = load(
        "[[inflow]]\nto = \"a\"\nper_year = 365.25\n\
         [[inflow]]\nto = \"b\"\nper_year = 182.625\n\
         [[inflow]]\nto = \"c\"\nper_year = 100\n\
         [[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
         los = { dist = \"fixed\", value = 5 }\nqueue = { norm = 10 }\n\
         [[service]]\nid = \"b\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 0\n\
         los = { dist = \"fixed\", value = 5 }\n\
         queue = { norm = 10, patience = { dist = \"fixed\", value = 3 }, renege_to = \"exit\" }\n\
         [[service]]\nid = \"c\"\nsegment = \"g\"\nsetting = \"crisis\"\ncapacity = 0\n\
         los = { dist = \"fixed\", value = 5 }\nqueue = { norm = 1 }\noverflow_to = \"out\"\n\
         [[service]]\nid = \"out\"\nsegment = \"x\"\nsetting = \"residential\"\n\
         los = { dist = \"fixed\", value = 5 }\n",
    );
    let o = run(&m);
    let v = |l: usize, metric: Metric| o.values.get(l, metric, TOTAL);
    let (a, b, c) = (service(&m, "a"), service(&m, "b"), service(&m, "c"));
    // at the services: everyone who gave up or overflowed broke the norm
    assert_eq!(v(b, Metric::OverNormShare), 1.0);
    assert_eq!(v(c, Metric::OverNormShare), 1.0);
    assert_eq!(v(a, Metric::OverNormShare), 0.0);
    let (served, gave_up, overflowed) = (
        v(a, Metric::Admissions),
        v(b, Metric::Reneged),
        v(c, Metric::Overflowed),
    );
    assert!(served > 500.0 && gave_up > 250.0 && overflowed > 100.0);
    let share = (gave_up + overflowed) / (served + gave_up + overflowed);
    // the segment and the system judge pathways: the same breaches over the same youths
    for level in [segment(&m, "g"), all(&m)] {
        let got = v(level, Metric::OverNormShare);
        assert!((got - share).abs() < 1e-12, "{got} vs {share}");
    }
    // nobody waits for care in g; the overflowed youths reach care at once, out of
    // region: their time to care (0) counts in g, the segment they were referred to
    // (not where it was sent), and in the system (in 2024: those waiting at b at the
    // horizon count in the last year with their wait so far, b admitting nobody)
    let y2024 = |l: usize| o.values.get(l, Metric::TimeToCareDaysMean, Y2024);
    assert_eq!(y2024(segment(&m, "g")), 0.0);
    assert_eq!(y2024(all(&m)), 0.0);
    assert_eq!(
        v(segment(&m, "g"), Metric::TimeToCareLowerBound),
        v(b, Metric::WaitingEnd)
    );
    // nobody is referred to segment x: no pathway starts there, whoever it admits
    assert!(v(segment(&m, "x"), Metric::TimeToCareDaysMean).is_nan());
    assert!(v(segment(&m, "x"), Metric::OverNormShare).is_nan());
    assert_eq!(v(segment(&m, "x"), Metric::Admissions), overflowed);
}

fn crisis_in_transition(delay_crisis: &str) -> Model {
    load(&format!(
        "[[inflow]]\nto = \"amb\"\nper_year = 365.25\n\
         [[inflow]]\nto = \"crisis\"\nper_year = 100\n\
         [[service]]\nid = \"amb\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\n\
         los = {{ dist = \"fixed\", value = 5 }}\n\
         [[service]]\nid = \"crisis\"\nsegment = \"hsj\"\nsetting = \"crisis\"\n\
         los = {{ dist = \"fixed\", value = 5 }}\n\
         [[transition]]\nsegment = \"hsj\"\nfrom = 2024-01-01\nto = 2025-12-31\n\
         referral_delay = 14\n{delay_crisis}"
    ))
}

#[test]
fn a_transition_never_delays_crisis_unless_the_window_says_so() {
    let m = crisis_in_transition("");
    let o = run(&m);
    let (amb, crisis) = (service(&m, "amb"), service(&m, "crisis"));
    assert_eq!(o.values.get(amb, Metric::WaitDaysMean, Y2024), 14.0);
    assert_eq!(o.values.get(crisis, Metric::WaitDaysMean, Y2024), 0.0);
    let m = crisis_in_transition("delay_crisis = true\n");
    let o = run(&m);
    assert_eq!(o.values.get(crisis, Metric::WaitDaysMean, Y2024), 14.0);
}

fn two_windows(penalty: f64) -> Model {
    // segment g changes April–June, segment h May–July: two at once in May and June
    load(&format!(
        "change_load_penalty = {penalty:?}\n\
         [[inflow]]\nto = \"s\"\nper_year = 365.25\n\
         [[inflow]]\nto = \"r\"\nper_year = 365.25\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 100\n\
         los = {{ dist = \"exponential\", mean = 20 }}\n\
         [[service]]\nid = \"r\"\nsegment = \"h\"\nsetting = \"ambulant\"\ncapacity = 100\n\
         los = {{ dist = \"exponential\", mean = 20 }}\n\
         [[transition]]\nsegment = \"g\"\nfrom = 2024-04-01\nto = 2024-07-01\n\
         capacity_loss = 0.1\nreferral_delay = 10\n\
         [[transition]]\nsegment = \"h\"\nfrom = 2024-05-01\nto = 2024-08-01\n\
         capacity_loss = 0.1\nreferral_delay = 10\n"
    ))
}

#[test]
fn frictions_grow_with_the_number_of_segments_changing_at_once() {
    // penalty 1: with two segments in transition each loses 0.1 × (1 + 1 × 1) = 20% of
    // its places and delays referrals 10 × 2 = 20 days
    let m = two_windows(1.0);
    let o = run(&m);
    let (s, r) = (service(&m, "s"), service(&m, "r"));
    let cap = |svc: usize, month: usize| o.values.get(svc, Metric::CapacityMean, month);
    // months 3..7 are April..August
    assert_eq!(
        [cap(s, 3), cap(s, 4), cap(s, 5), cap(s, 6)],
        [90.0, 80.0, 80.0, 100.0]
    );
    assert_eq!(
        [cap(r, 3), cap(r, 4), cap(r, 5), cap(r, 6), cap(r, 7)],
        [100.0, 80.0, 80.0, 90.0, 100.0]
    );
    // April's admissions were referred in April with one segment changing: 10 days;
    // June's were referred from 12 May on, with two: 20 days (room for all, always)
    let wait = |month: usize| o.values.get(s, Metric::WaitDaysMean, month);
    assert_eq!(wait(3), 10.0);
    assert_eq!(wait(5), 20.0);
    // without the penalty, concurrent windows cost what they cost alone
    let m = two_windows(0.0);
    let o = run(&m);
    assert_eq!(o.values.get(s, Metric::CapacityMean, 4), 90.0);
    assert_eq!(o.values.get(s, Metric::WaitDaysMean, 5), 10.0);
}

fn diverted(p: f64, amb_days: f64) -> Model {
    // every referral to the residential group is diverted to intensive ambulatory care;
    // a share p of them is placed in the group after all, 10 days after the diversion
    load(&format!(
        "[[inflow]]\nto = \"r\"\nper_year = 365.25\n\
         [[service]]\nid = \"r\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
         los = {{ dist = \"fixed\", value = 20 }}\n\
         divert = {{ to = \"amb\", share = 1.0, placed_later = {{ p = {p:?}, after = {{ dist = \"fixed\", value = 10 }} }} }}\n\
         [[service]]\nid = \"amb\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\n\
         los = {{ dist = \"fixed\", value = {amb_days:?} }}\n"
    ))
}

#[test]
fn a_failed_diversion_places_the_youth_where_it_was_diverted_from() {
    // p = 1, ambulatory care of 30 days: each youth is placed on day 10 of it
    let m = diverted(1.0, 30.0);
    let o = run(&m);
    let (r, amb) = (service(&m, "r"), service(&m, "amb"));
    let v = |l: usize, metric: Metric| o.values.get(l, metric, TOTAL);
    let (div, placed) = (v(r, Metric::Diverted), v(r, Metric::DivertedPlaced));
    // every diversion fails, except those whose placement falls after the horizon (the
    // last 10 days: about 10 youths)
    assert!(
        div > 650.0 && div - placed >= 0.0 && div - placed <= 30.0,
        "{div} {placed}"
    );
    // the placed are the group's only admissions, and nobody is diverted twice
    assert_eq!(v(r, Metric::Admissions), placed);
    // each spends 10 days in ambulatory care (not 30), then 20 days out of home
    let amb_days = v(amb, Metric::OccupancyMean) * 731.0;
    assert!(
        (amb_days / div - 10.0).abs() < 0.2,
        "{} days",
        amb_days / div
    );
    let ooh = v(r, Metric::OutOfHomeDays);
    assert!((ooh / placed - 20.0).abs() < 0.5, "{} days", ooh / placed);
    // ambulatory care of 5 days: the youths have left care when the placement comes, and
    // come back (a new entry each)
    let m = diverted(1.0, 5.0);
    let o = run(&m);
    let placed = o.values.get(r, Metric::DivertedPlaced, TOTAL);
    assert_eq!(o.balance.reentered as f64, placed);
    assert_eq!(o.values.get(r, Metric::Admissions, TOTAL), placed);
}

#[test]
fn diverted_youths_are_placed_later_with_the_configured_probability() {
    let m = diverted(0.25, 30.0);
    let (mut div, mut placed) = (0.0, 0.0);
    for rep in 0..4 {
        let o = simulate(&m, m.seed, rep);
        assert!(o.balance.holds());
        let r = service(&m, "r");
        // the same youths count: those diverted at least 10 days before the end
        div += o.values.get(r, Metric::Diverted, Y2024);
        placed += o.values.get(r, Metric::DivertedPlaced, Y2024);
    }
    // placements in 2024 come from diversions 10 days earlier: the first 10 days of 2024
    // have none, so compare with the diversions of the rest of the year
    let n = div * (366.0 - 10.0) / 366.0;
    let se = (0.25f64 * 0.75 / n).sqrt();
    let share = placed / n;
    assert!((share - 0.25).abs() < 4.0 * se, "{share} (se {se})");
}

#[test]
fn random_staffing_replaces_the_leavers_it_draws() {
    // 50 FTE losing 12% a year, replaced with a lead time of 30–60 days
    let m = load(
        "[[inflow]]\nto = \"a\"\nper_year = 50\n\
         [[service]]\nid = \"a\"\nsegment = \"h\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 60 }\n\
         staff = { fte = 50, caseload = 1, attrition_per_year = 0.12, max_hires_per_month = 10, lead = { dist = \"uniform\", min = 30, max = 60 } }\n",
    );
    let runs: Vec<RepOutcome> = (0..40).map(|rep| simulate(&m, 3, rep)).collect();
    // replications differ (whole leavers drawn), the same replication does not
    assert_ne!(runs[0].values, runs[1].values);
    assert_eq!(runs[2].values, simulate(&m, 3, 2).values);
    // hires replace leavers: per replication-year, 12% of the productive FTE
    let hires: Vec<f64> = runs
        .iter()
        .map(|o| o.values.get(0, Metric::Hires, 25))
        .collect();
    let fte: f64 = runs
        .iter()
        .map(|o| o.values.get(0, Metric::Fte, 25))
        .sum::<f64>()
        / runs.len() as f64;
    let s = jeugdflow::stats::summary::summarise(hires.iter().copied(), &mut Vec::new());
    let expected = 0.12 * fte;
    assert!(
        (s.mean - expected).abs() < 3.0 * std_error(&s) + 0.2,
        "hires {} ± {} vs {expected}",
        s.mean,
        std_error(&s)
    );
    // whole people: every replication hires a whole number of FTE
    assert!(hires.iter().all(|h| h.fract() == 0.0));
}

#[test]
fn random_lead_times_fall_within_their_range() {
    // 10 FTE hire 10 more at once on day 0, each productive 92–120 days later
    let m = load(
        "[[inflow]]\nto = \"a\"\nper_year = 50\n\
         [[service]]\nid = \"a\"\nsegment = \"h\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 60 }\n\
         staff = { fte = 10, caseload = 1, target_fte = 20, max_hires_per_month = 10, lead = { dist = \"uniform\", min = 92, max = 120 } }\n",
    );
    let o = run(&m);
    let fte = |month: usize| o.values.get(0, Metric::Fte, month);
    // January–March (to day 91): none ready yet; from May (day 121): all
    assert_eq!([fte(0), fte(1), fte(2)], [10.0, 10.0, 10.0]);
    assert!(fte(3) > 10.0 && fte(3) < 20.0, "April {}", fte(3));
    assert_eq!(fte(4), 20.0);
    assert_eq!(o.values.get(0, Metric::Hires, 0), 10.0);
}

#[test]
fn closing_places_frees_staff_for_the_team_and_leaves_stranded_costs() {
    // 40 group places close on 1 March (day 60): half an FTE per place retrains for the
    // ambulatory team in 30 days; the fixed half of the €100 day tariff runs on 61 days
    let m = load(
        "[[inflow]]\nto = \"r\"\nper_year = 100\n\
         [[inflow]]\nto = \"amb\"\nper_year = 50\n\
         [[service]]\nid = \"r\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
         capacity = [{ at = 2024-01-01, value = 100 }, { at = 2024-03-01, value = 60 }]\n\
         los = { dist = \"exponential\", mean = 30 }\n\
         tariff = { per_day = 100.0, closing = { fixed_share = 0.5, days = 61 } }\n\
         release = { to = \"amb\", fte_per_place = 1.0, share = 0.5, retrain_days = 30, fte_cost_per_year = 36525.0 }\n\
         [[service]]\nid = \"amb\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 60 }\n\
         staff = { fte = 10, caseload = 1, random = false }\n",
    );
    let o = run(&m);
    let (r, amb) = (service(&m, "r"), service(&m, "amb"));
    let fte = |month: usize| o.values.get(amb, Metric::Fte, month);
    // 40 places × 1 FTE × 0.5 = 20 FTE, productive on day 90 (the last day of March)
    assert_eq!([fte(0), fte(1)], [10.0, 10.0]);
    assert!(
        (fte(2) - (10.0 * 30.0 + 30.0) / 31.0).abs() < 1e-9,
        "{}",
        fte(2)
    );
    assert_eq!(fte(3), 30.0);
    assert_eq!(o.values.get(amb, Metric::CapacityMean, 3), 30.0);
    // stranded: 40 places × €50 a day from day 60 to 121, and 20 FTE × €100 a day
    // retraining from day 60 to 90
    let stranded = |month: usize| o.values.get(r, Metric::CostStranded, month);
    assert!((stranded(2) - (40.0 * 50.0 * 31.0 + 20.0 * 100.0 * 30.0)).abs() < 1e-6);
    assert!((stranded(3) - 40.0 * 50.0 * 30.0).abs() < 1e-6);
    assert_eq!(stranded(4), 0.0);
    assert_eq!(stranded(1), 0.0);
    // the segment and the system carry it too
    let total = 40.0 * 50.0 * 61.0 + 20.0 * 100.0 * 30.0;
    assert!((o.values.get(all(&m), Metric::CostStranded, TOTAL) - total).abs() < 1e-6);
}

#[test]
fn open_ended_places_follow_demand_at_each_review() {
    let body = |min: &str| {
        format!(
            "[[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
             initial = 100\ncapacity = 200\nlos = {{ dist = \"fixed\", value = 1000000 }}\n\
             open_ended = {{ review_days = 31, headroom = 0.1{min} }}\n"
        )
    };
    // 100 in care at the first review (1 February): 100 × 1.1 = 110 places
    let m = load(&body(""));
    let o = run(&m);
    assert_eq!(o.values.get(0, Metric::CapacityMean, 0), 200.0);
    assert_eq!(o.values.get(0, Metric::CapacityMean, 1), 110.0);
    let m = load(&body(", min = 150"));
    let o = run(&m);
    assert_eq!(o.values.get(0, Metric::CapacityMean, 1), 150.0);
}

/// A residential group of 100 places at €100 a day whose closing places cost half the day
/// rate for 61 days; `closes` cuts it to 60 places on 1 March 2024.
fn closing_group(closes: bool) -> Model {
    let capacity = if closes {
        "[{ at = 2024-01-01, value = 100 }, { at = 2024-03-01, value = 60 }]"
    } else {
        "100"
    };
    load(&format!(
        "[[inflow]]\nto = \"r\"\nper_year = 100\n\
         [[service]]\nid = \"r\"\nsegment = \"wonen\"\nsetting = \"residential\"\n\
         capacity = {capacity}\nlos = {{ dist = \"exponential\", mean = 30 }}\n\
         tariff = {{ per_day = 100.0, closing = {{ fixed_share = 0.5, days = 61 }} }}\n"
    ))
}

#[test]
fn frictiekosten_count_the_stranded_cost_of_closing_places() {
    use jeugdflow::finance::savings::savings;
    let (base, cut) = (closing_group(false), closing_group(true));
    let (rb, rc) = (
        crate::common::run_for_savings(&base),
        crate::common::run_for_savings(&cut),
    );
    let rows = savings((&base, &rb), (&cut, &rc));
    let find = |seg: &str, year: i16, measure: &str| {
        rows.iter()
            .find(|r| r.segment == seg && r.year == year && r.measure.name() == measure)
            .unwrap_or_else(|| panic!("no {seg} {year} {measure}"))
            .summary
            .mean
    };
    // 40 places × €50 a day from 1 March (day 60) to day 121, none in the baseline; fewer
    // places than the baseline: no double running
    let stranded = 40.0 * 50.0 * 61.0;
    for seg in ["wonen", "all"] {
        assert!(
            (find(seg, 2024, "stranded") - stranded).abs() < 1e-6,
            "{seg}"
        );
        assert_eq!(find(seg, 2024, "double_running"), 0.0);
        assert!((find(seg, 2024, "frictiekosten_cumulative") - stranded).abs() < 1e-6);
        assert_eq!(find(seg, 2025, "stranded"), 0.0);
        assert!((find(seg, 2025, "frictiekosten_cumulative") - stranded).abs() < 1e-6);
    }
}

/// `b` has no places: every youth referred to it gives up after 10 days and leaves care;
/// with `comeback` its need returns with probability `p` 30 days later at the more
/// intensive service `c` (no limit, stays of 5 days, one youth in care at the start).
fn gave_up(comeback: &str) -> Model {
    load(&format!(
        "[[inflow]]\nto = \"b\"\nper_year = 365.25\n\
         [[service]]\nid = \"b\"\nsegment = \"g\"\nsetting = \"ambulant\"\ncapacity = 0\n\
         los = {{ dist = \"fixed\", value = 5 }}\n\
         queue = {{ norm = 10, patience = {{ dist = \"fixed\", value = 10 }}{comeback} }}\n\
         [[service]]\nid = \"c\"\nsegment = \"h\"\nsetting = \"crisis\"\ninitial = 1\n\
         los = {{ dist = \"fixed\", value = 5 }}\n"
    ))
}

#[test]
fn the_need_of_a_youth_who_gave_up_comes_back_more_intensive() {
    let back = ", comeback = { p = 0.3, after = { dist = \"fixed\", value = 30 }, to = \"c\" }";
    let m = gave_up(back);
    let o = run(&m); // the balance holds: initial + arrived + re-entered = ... (in `run`)
    let (b, c) = (service(&m, "b"), service(&m, "c"));
    let v = |l: usize, metric: Metric| o.values.get(l, metric, TOTAL);
    // everyone referred to b gives up; nobody comes back to b
    assert_eq!(v(b, Metric::Admissions), 0.0);
    assert_eq!(v(b, Metric::Reentries), 0.0);
    // those who gave up by 1 December 2025 (day 700) are back by day 730, before the
    // horizon (731 days); of the next day's, some: 0.3 × R returns expected (+ 2)
    let left: f64 = (0..23).map(|k| o.values.get(b, Metric::Reneged, k)).sum();
    let came_back = v(c, Metric::Reentries);
    let sd = (left * 0.3 * 0.7).sqrt();
    assert!(
        (came_back - 0.3 * left).abs() <= 4.0 * sd + 2.0,
        "{came_back} came back of {left} who gave up (expected 30% ± {sd:.1})"
    );
    // they are cared for at c, each a referral of its own
    assert_eq!(v(c, Metric::Admissions), came_back);
    assert!(came_back > 100.0 && o.balance.reentered as f64 == came_back);
    // at zero the lever changes nothing: the same draws, the same results
    let none = run(&gave_up(""));
    let zero = run(&gave_up(
        ", comeback = { p = 0, after = { dist = \"fixed\", value = 30 }, to = \"c\" }",
    ));
    for metric in [Metric::Reneged, Metric::Admissions, Metric::Cost] {
        for l in [b, c] {
            let (x, y) = (
                none.values.get(l, metric, TOTAL),
                zero.values.get(l, metric, TOTAL),
            );
            assert!(
                x == y || (x.is_nan() && y.is_nan()),
                "{metric:?}: {x} vs {y}"
            );
        }
    }
}
