//! Transformation mechanics: capacity cuts that never evict, gated steps, staffing ramps,
//! procurement transitions — on deterministic or closed-form cases.

use jeugdflow::model::Model;
use jeugdflow::model::sim::simulate;
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::Metric;

const HEAD: &str =
    "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2025-12-31\nseed = 3\nreplications = 1\n";

fn load(body: &str) -> Model {
    scenario::load(&Source {
        name: "transform.toml".into(),
        text: format!("{HEAD}{body}"),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn service(m: &Model, id: &str) -> usize {
    m.services.iter().position(|s| s.id == id).unwrap()
}

#[test]
fn a_capacity_cut_below_occupancy_evicts_nobody() {
    // 100 in care with long stays; capacity drops to 50 on 2024-03-01
    let m = load(
        "[[inflow]]\nto = \"r\"\nper_year = 400\n\
         [[service]]\nid = \"r\"\nsegment = \"w\"\nsetting = \"residential\"\ninitial = 100\n\
         capacity = [{ at = 2024-01-01, value = 100 }, { at = 2024-03-01, value = 50 }]\n\
         los = { dist = \"exponential\", mean = 200 }\n",
    );
    let r = service(&m, "r");
    let o = simulate(&m, 3, 0);
    assert!(o.balance.holds());
    assert_eq!(o.balance.over_capacity, 0);
    // March: nobody was sent away, so occupancy is still far above the new 50 places
    let march = o.values.get(r, Metric::OccupancyMean, 2);
    assert!(march > 75.0, "occupancy in March {march}");
    // it reaches the new level only through discharges (mean stay 200 days)
    let dec_2025 = o.values.get(r, Metric::OccupancyMean, 23);
    assert!(dec_2025 <= 50.0 + 1e-9 && dec_2025 > 45.0, "{dec_2025}");
    assert_eq!(o.values.get(r, Metric::CapacityMean, 5), 50.0);
    // the step is recorded as happening on its date
    assert_eq!(o.step_times[r], vec![60.0]);
}

fn gated() -> Model {
    // r's cut to 50 waits until the ambulatory team a has 20 places; a has 10 FTE with a
    // caseload of 1 and hires 2 FTE a month towards 30, productive after 60 days
    load(
        "[[inflow]]\nto = \"r\"\nper_year = 100\n\
         [[inflow]]\nto = \"a\"\nper_year = 50\n\
         [[service]]\nid = \"r\"\nsegment = \"w\"\nsetting = \"residential\"\ncapacity = 100\n\
         los = { dist = \"exponential\", mean = 100 }\n\
         [[service]]\nid = \"a\"\nsegment = \"h\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 60 }\n\
         staff = { fte = 10, caseload = 1, target_fte = 30, max_hires_per_month = 2, lead_days = 60 }\n\
         [[schedule]]\nservice = \"r\"\nparam = \"capacity\"\n\
         points = [{ at = 2024-02-01, value = 50 }]\n\
         gate = { service = \"a\", min_capacity = 20 }\n",
    )
}

#[test]
fn a_gate_delays_its_step_exactly_until_the_gate_holds() {
    let m = gated();
    let o = simulate(&m, 3, 0);
    let r = service(&m, "r");
    // hires of 2 FTE at monthly rounds t = k·365.25/12 (k = 0..4) bring 10 more FTE; the
    // fifth is productive at 4·30.4375 + 60 = 181.75 days: then a has 20 places
    let t = o.step_times[r][0];
    assert!((t - 181.75).abs() < 1e-9, "step happened at {t}");
    // the planned date was 31 days: the gate held it back
    assert_eq!(m.services[r].steps[0].at, 31.0);
}

/// The pilot's go/no-go: r's cut to 50 (planned 1 February 2024) waits until at most
/// `max_waiting` youths wait for the pilot team p. p has 10 places, stays of 30 days (about
/// 122 youths a year), 40 referrals a year, and a starting list of `waiting` youths that
/// drains at about 82 a year.
fn go_no_go(max_waiting: u32, waiting: u32) -> Model {
    go_no_go_with(max_waiting, waiting, 40)
}

/// [`go_no_go`] with `referrals` a year to p.
fn go_no_go_with(max_waiting: u32, waiting: u32, referrals: u32) -> Model {
    load(&format!(
        "[[inflow]]\nto = \"r\"\nper_year = 100\n\
         [[inflow]]\nto = \"p\"\nper_year = {referrals}\n\
         [[service]]\nid = \"r\"\nsegment = \"w\"\nsetting = \"residential\"\ncapacity = 100\n\
         los = {{ dist = \"exponential\", mean = 100 }}\n\
         [[service]]\nid = \"p\"\nsegment = \"h\"\nsetting = \"ambulant\"\ncapacity = 10\n\
         initial = 10\nqueue = {{ waiting = {waiting}, waited = 30 }}\n\
         los = {{ dist = \"fixed\", value = 30 }}\n\
         [[schedule]]\nservice = \"r\"\nparam = \"capacity\"\n\
         points = [{{ at = 2024-02-01, value = 50 }}]\n\
         gate = {{ service = \"p\", max_waiting = {max_waiting} }}\n",
    ))
}

#[test]
fn a_go_no_go_on_waiting_holds_the_step_until_the_pilot_waits_hold() {
    let month = 365.25 / 12.0; // GATE_REVIEW_DAYS: the monthly review
    // a list that is already short: the step happens on its date
    let m = go_no_go(5, 3);
    let r = service(&m, "r");
    assert_eq!(simulate(&m, 3, 0).step_times[r], vec![31.0]);
    // a list of 40 that drains: the step waits for a monthly review at which ≤ 5 wait
    let m = go_no_go(5, 40);
    let o = simulate(&m, 3, 0);
    let t = o.step_times[r][0];
    assert!(t > 31.0 + month - 1e-9, "held back: step at {t}");
    let reviews = (t - 31.0) / month;
    assert!(
        (reviews - reviews.round()).abs() < 1e-9,
        "the step happens at a monthly review, not at {t}"
    );
    // at least 35 of the 40 must have left the list, and p admits at most 10 per 30 days
    // even with no new referrals: not before day 105, so not before the third review
    assert!(t >= 31.0 + 3.0 * month - 1e-9 && t > 105.0, "step at {t}");
    assert!(o.balance.holds());
    // a stricter go/no-go never goes earlier; a list that never drains holds it for good
    let strict = simulate(&go_no_go(0, 40), 3, 0).step_times[r][0];
    assert!(strict >= t, "strict {strict} before {t}");
    let m = go_no_go_with(5, 40, 200);
    let o = simulate(&m, 3, 0);
    assert!(
        o.step_times[r][0].is_nan(),
        "step at {}",
        o.step_times[r][0]
    );
    assert_eq!(o.values.get(r, Metric::CapacityMean, 23), 100.0);
}

#[test]
fn staffing_ramps_no_faster_than_hiring_and_lead_time_allow() {
    let m = gated();
    let o = simulate(&m, 3, 0);
    let a = service(&m, "a");
    let month = 365.25 / 12.0;
    // closed form: productive FTE(t) = 10 + 2·#{k : k·month + 60 ≤ t}, capped at 30
    let fte_at = |t: f64| {
        let k = ((t - 60.0) / month).floor() + 1.0;
        (10.0 + 2.0 * k.clamp(0.0, 10.0)).min(30.0)
    };
    // mean over each calendar month of 2024, by numerical integration of the closed form
    let starts = [
        0.0, 31.0, 60.0, 91.0, 121.0, 152.0, 182.0, 213.0, 244.0, 274.0, 305.0, 335.0, 366.0,
    ];
    for i in 0..12 {
        let (s, e) = (starts[i], starts[i + 1]);
        let n = 20_000;
        let expected: f64 = (0..n)
            .map(|j| fte_at(s + (e - s) * (j as f64 + 0.5) / n as f64))
            .sum::<f64>()
            / n as f64;
        let got = o.values.get(a, Metric::Fte, i);
        assert!(
            (got - expected).abs() < 1e-3,
            "month {}: fte {got} vs {expected}",
            i + 1
        );
    }
    // hires: 2 FTE in each of the first ten monthly rounds, then none
    let hired: f64 = (0..12).map(|i| o.values.get(a, Metric::Hires, i)).sum();
    assert!((hired - 20.0).abs() < 1e-9, "hired {hired}");
    // and capacity follows: 30 places by the end
    assert_eq!(o.values.get(a, Metric::CapacityMean, 23), 30.0);
}

#[test]
fn attrition_is_replaced_by_hiring() {
    let m = load(
        "[[inflow]]\nto = \"a\"\nper_year = 50\n\
         [[service]]\nid = \"a\"\nsegment = \"h\"\nsetting = \"ambulant\"\n\
         los = { dist = \"exponential\", mean = 60 }\n\
         staff = { fte = 20, caseload = 5, attrition_per_year = 0.12, max_hires_per_month = 5, lead_days = 0, random = false }\n",
    );
    let o = simulate(&m, 3, 0);
    // each month 1% leaves and is hired back at once: FTE stays at 20 (within a month's loss)
    let fte = o.values.get(0, Metric::Fte, 23);
    assert!(fte > 19.7 && fte <= 20.0 + 1e-9, "fte {fte}");
    let hired_2025 = o.values.get(0, Metric::Hires, o.values.n_periods() - 2);
    assert!((hired_2025 - 12.0 * 0.2).abs() < 0.05, "hired {hired_2025}");
}

/// One service far over its places (1,000 referrals a year for 100 places held a year
/// each), staffed at 100 FTE × 1 youth, 12% of staff leaving a year, hires productive at
/// once; `follow` adds the staff that follow demand, at most 1.4 hires a month.
fn staffed(follow: bool) -> Model {
    let staff = if follow {
        "staff = { fte = 100, caseload = 1, random = false, target_fte = 1000, \
         demand_headroom = 0.1, max_hires_per_month = 1.4, attrition_per_year = 0.12 }"
    } else {
        "staff = { fte = 100, caseload = 1, random = false, attrition_per_year = 0.12 }"
    };
    load(&format!(
        "[[inflow]]\nto = \"a\"\nper_year = 1000\n\
         [[service]]\nid = \"a\"\nsegment = \"h\"\nsetting = \"ambulant\"\n\
         los = {{ dist = \"fixed\", value = 365 }}\ninitial = 100\n{staff}\n"
    ))
}

#[test]
fn staff_that_follow_demand_grow_no_faster_than_the_market_allows() {
    let m = staffed(true);
    let o = simulate(&m, 3, 0);
    assert!(o.balance.holds());
    // demand is far above the places, so every round hires the most the market allows:
    // 1.4 at the start (no leavers yet), then 1% leaves a month before 1.4 are hired:
    // F_0 = 101.4, F_k = 0.99·F_(k-1) + 1.4 → F_23 = 140 − 38.6 · 0.99^23
    let f23 = 140.0 - 38.6 * 0.99f64.powi(23);
    // the round of month 23 falls at 700.06 days, 1.5 hours into December 2025 (the
    // next, on its last half day, moves the month's mean by less than 0.01)
    let got = o.values.get(0, Metric::Fte, 23);
    assert!((got - f23).abs() < 0.01, "fte {got} vs {f23}");
    // 25 rounds before the horizon (731 days): the last at 730.5 days
    let hired: f64 = (0..24).map(|i| o.values.get(0, Metric::Hires, i)).sum();
    assert!((hired - 25.0 * 1.4).abs() < 1e-9, "hired {hired}");
    // a frozen staff (leavers replaced, no growth) holds 100 places: the staff that
    // follow demand never care for fewer youths, and keep fewer waiting
    let frozen = simulate(&staffed(false), 3, 0);
    assert!(frozen.balance.holds());
    let fte = frozen.values.get(0, Metric::Fte, 23);
    assert!(fte > 99.0 && fte <= 100.0 + 1e-9, "frozen fte {fte}");
    for month in 0..24 {
        let (c, c0) = (
            o.values.get(0, Metric::OccupancyMean, month),
            frozen.values.get(0, Metric::OccupancyMean, month),
        );
        assert!(c >= c0 - 1e-9, "month {month}: {c} in care vs {c0} frozen");
    }
    let w = |o: &jeugdflow::model::sim::RepOutcome| o.values.get(0, Metric::WaitingEnd, 23);
    assert!(
        w(&o) < w(&frozen),
        "waiting {} vs {} frozen",
        w(&o),
        w(&frozen)
    );
}

#[test]
fn a_transition_costs_places_and_delays_referrals() {
    let m = load(
        "[[inflow]]\nto = \"s\"\nper_year = 365.25\n\
         [[service]]\nid = \"s\"\nsegment = \"aanvullend\"\nsetting = \"ambulant\"\ncapacity = 100\n\
         los = { dist = \"exponential\", mean = 20 }\n\
         [[transition]]\nsegment = \"aanvullend\"\nfrom = 2024-04-01\nto = 2024-07-01\n\
         capacity_loss = 0.2\nreferral_delay = 14\n",
    );
    let o = simulate(&m, 3, 0);
    assert!(o.balance.holds());
    // April–June: 80 places; before and after: 100
    assert_eq!(o.values.get(0, Metric::CapacityMean, 1), 100.0);
    for month in 3..6 {
        assert_eq!(o.values.get(0, Metric::CapacityMean, month), 80.0);
    }
    assert_eq!(o.values.get(0, Metric::CapacityMean, 7), 100.0);
    // with ample room, every wait in May is the 14-day referral delay; in September none
    assert!((o.values.get(0, Metric::WaitDaysMean, 4) - 14.0).abs() < 1e-9);
    assert_eq!(o.values.get(0, Metric::WaitDaysMean, 8), 0.0);
    // one segment in transition in Q2 2024
    let all = m.services.len() + m.segments.len();
    assert_eq!(
        o.values
            .get(all, Metric::MaxChangeLoad, o.values.n_periods() - 1),
        1.0
    );
}

#[test]
fn routing_probabilities_can_change_over_time() {
    // until 2025 everyone goes on to x; from 2025 everyone to y
    let m = load(
        "[[inflow]]\nto = \"s\"\nper_year = 730.5\n\
         [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
         los = { dist = \"fixed\", value = 1 }\n\
         next = [{ to = \"x\", p = [{ at = 2024-01-01, value = 1.0 }, { at = 2025-01-01, value = 0.0 }] },\n\
                 { to = \"y\", p = [{ at = 2024-01-01, value = 0.0 }, { at = 2025-01-01, value = 1.0 }] }]\n\
         [[service]]\nid = \"x\"\nsegment = \"g\"\nsetting = \"ambulant\"\nlos = { dist = \"fixed\", value = 1 }\n\
         [[service]]\nid = \"y\"\nsegment = \"g\"\nsetting = \"ambulant\"\nlos = { dist = \"fixed\", value = 1 }\n",
    );
    let o = simulate(&m, 3, 0);
    let (x, y) = (service(&m, "x"), service(&m, "y"));
    let n = o.values.n_periods();
    let (y2024, y2025) = (n - 3, n - 2);
    assert!(o.values.get(x, Metric::Admissions, y2024) > 600.0);
    assert_eq!(o.values.get(y, Metric::Admissions, y2024), 0.0);
    assert!(o.values.get(x, Metric::Admissions, y2025) <= 1.0); // a stay ending on 1 January
    assert!(o.values.get(y, Metric::Admissions, y2025) > 600.0);
}
