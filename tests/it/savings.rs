//! The decomposition of a road's money (`savings`): the parts add up to the cost
//! difference, care not delivered is told apart from a structural saving, frictions never
//! save, and the frictiekosten have their parts.

use jeugdflow::experiment::{self, Plan, Results};
use jeugdflow::finance::savings::{self, SavingsRow};
use jeugdflow::model::Model;
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

/// `small-costs.toml` with `extra` TOML added, named `name`.
fn on_small(name: &str, extra: &str) -> Model {
    let text = format!(
        "[scenario]\nname = \"{name}\"\nextends = \"{}\"\n{extra}\n",
        crate::common::data("small-costs.toml").display()
    );
    scenario::load(&Source {
        name: format!("{name}.toml"),
        text,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `model` with `reps` replications of seed 3, keeping what `savings` reads.
fn run(model: &Model, reps: u32) -> Results {
    let plan = Plan {
        replications: reps,
        seed: 3,
        threads: Some(2),
    };
    experiment::run_keeping(model, plan, &savings::kept(model), &|_| {}).expect("runs")
}

/// The mean of `measure` for `segment` in `year`.
fn mean(rows: &[SavingsRow], segment: &str, year: i16, measure: &str) -> f64 {
    rows.iter()
        .find(|r| r.segment == segment && r.year == year && r.measure.name() == measure)
        .unwrap_or_else(|| panic!("no {segment} {year} {measure}"))
        .summary
        .mean
}

/// Asserts the identities of every level and year, to the cent (the written means).
fn adds_up(rows: &[SavingsRow]) {
    let mut keys: Vec<(&str, i16)> = rows.iter().map(|r| (r.segment.as_str(), r.year)).collect();
    keys.dedup();
    for (seg, year) in keys {
        let m = |measure: &str| (mean(rows, seg, year, measure) * 100.0).round();
        let ctx = format!("{seg} {year}");
        assert_eq!(
            m("cost_baseline") - m("cost"),
            m("saving_structural") + m("care_not_delivered") - m("frictiekosten"),
            "{ctx}"
        );
        assert_eq!(
            m("saving"),
            m("saving_structural") - m("frictiekosten"),
            "{ctx}"
        );
        assert_eq!(
            m("saving_cumulative"),
            m("saving_structural_cumulative") - m("frictiekosten_cumulative"),
            "{ctx}"
        );
        assert_eq!(
            m("frictiekosten"),
            m("double_running") + m("stranded") - m("national_money"),
            "{ctx}"
        );
    }
}

#[test]
fn a_road_that_is_only_a_transition_window_saves_nothing_and_withholds_care() {
    // ambulatory care is full with a waiting list; a hybrid year takes 20% of its places
    // and delays referrals by 30 days
    let base = crate::common::model("small-costs.toml");
    let window = on_small(
        "window",
        "[[transition]]\nsegment = \"aanvullend\"\nfrom = 2025-01-01\nto = 2025-12-31\n\
         capacity_loss = 0.2\nreferral_delay = 30\n",
    );
    let (rb, rw) = (run(&base, 12), run(&window, 12));
    let rows = savings::savings((&base, &rb), (&window, &rw));
    adds_up(&rows);
    let pxq_2025 =
        mean(&rows, "aanvullend", 2025, "cost_baseline") - mean(&rows, "aanvullend", 2025, "cost");
    assert!(
        pxq_2025 > 100_000.0,
        "the window cut the P×Q cost: {pxq_2025}"
    );
    // almost all of it is care not delivered: the same youths waited instead
    let cnd = mean(&rows, "aanvullend", 2025, "care_not_delivered");
    assert!(
        cnd > 0.9 * pxq_2025 && cnd <= pxq_2025 * 1.02,
        "{cnd} of {pxq_2025}"
    );
    // the headline saving over the horizon is not positive beyond noise
    let last = rows
        .iter()
        .find(|r| r.segment == "all" && r.year == 2026 && r.measure.name() == "saving_cumulative")
        .unwrap()
        .summary;
    assert!(
        last.mean <= 0.05 * pxq_2025,
        "a transition saved {} of {pxq_2025}",
        last.mean
    );
    // the delay only moved care into 2026 (a negative amount there); the places lost
    // stay care not delivered
    assert!(mean(&rows, "aanvullend", 2026, "care_not_delivered") < 0.0);
    assert!(mean(&rows, "all", 2026, "care_not_delivered_cumulative") > 0.3 * pxq_2025);
}

#[test]
fn a_road_that_only_pays_less_saves_it_all_structurally_and_against_itself_nothing() {
    let base = crate::common::model("small-costs.toml");
    let cheaper = on_small(
        "cheaper",
        "[[service]]\nid = \"residential\"\ntariff = { per_day = 200.0 }\n",
    );
    let (rb, rc) = (run(&base, 4), run(&cheaper, 4));
    let rows = savings::savings((&base, &rb), (&cheaper, &rc));
    adds_up(&rows);
    for year in [2024, 2025, 2026] {
        let diff = mean(&rows, "wonen", year, "cost_baseline") - mean(&rows, "wonen", year, "cost");
        assert!(diff > 0.0);
        // the same youths, the same days: no care withheld
        assert_eq!(mean(&rows, "wonen", year, "care_not_delivered"), 0.0);
        assert!((mean(&rows, "wonen", year, "saving_structural") - diff).abs() < 0.011);
    }
    let same = savings::savings((&base, &rb), (&base, &rb));
    for r in same
        .iter()
        .filter(|r| !r.measure.name().starts_with("cost"))
    {
        assert_eq!(
            r.summary.mean,
            0.0,
            "{} {} {}",
            r.segment,
            r.year,
            r.measure.name()
        );
    }
}

/// Half of the residential referrals go to foster care from 2025 (foster care is unlimited).
const DIVERT: &str = "divert = { to = \"foster\", share = [{ at = 2024-01-01, value = 0.0 }, \
                      { at = 2025-01-01, value = 0.5 }] }\n";

#[test]
fn closing_places_youths_still_need_is_care_not_delivered_and_diverting_them_is_structural() {
    let base = crate::common::model("small-costs.toml");
    // ambulatory care loses 30 of its 150 places from 2025, nobody else takes the youths
    let cut = on_small(
        "cut",
        "[[schedule]]\nservice = \"ambulant\"\nparam = \"capacity\"\n\
         points = [{ at = 2025-01-01, value = 120 }]\n",
    );
    // residential referrals go to foster care instead (foster care is unlimited)
    let diverted = on_small(
        "diverted",
        &format!("[[service]]\nid = \"residential\"\n{DIVERT}"),
    );
    let rb = run(&base, 8);
    let (rc, rd) = (run(&cut, 8), run(&diverted, 8));
    let cut_rows = savings::savings((&base, &rb), (&cut, &rc));
    adds_up(&cut_rows);
    // in 2025 the youths the 30 places no longer take wait; in 2026, as demand falls,
    // the list is worked off and the road pays for that care later (a negative amount)
    let pxq = mean(&cut_rows, "aanvullend", 2025, "cost_baseline")
        - mean(&cut_rows, "aanvullend", 2025, "cost");
    let cnd = mean(&cut_rows, "aanvullend", 2025, "care_not_delivered");
    // (quarters here: a list that grows early in a quarter is read at its mean, a little
    // low)
    assert!(
        pxq > 0.0 && cnd > 0.9 * pxq && cnd <= 1.01 * pxq,
        "{cnd} of {pxq}"
    );
    assert!(mean(&cut_rows, "aanvullend", 2026, "care_not_delivered") < 0.0);
    let structural = mean(
        &cut_rows,
        "aanvullend",
        2026,
        "saving_structural_cumulative",
    );
    assert!(structural.abs() < 0.1 * pxq, "{structural} against {pxq}");
    // the diverted youths are youths the baseline kept waiting for a residential place
    // (25 places from 2025, a growing list): their foster care is care beyond the
    // baseline's (a negative amount), at most what the road pays for foster care more
    let div_rows = savings::savings((&base, &rb), (&diverted, &rd));
    adds_up(&div_rows);
    let foster = base
        .services
        .iter()
        .position(|s| s.id == "foster")
        .expect("foster");
    let foster_more: f64 = [1, 2]
        .iter()
        .map(|&y| {
            let cost = |r: &Results| {
                r.summary(LevelRef::Service(foster), Metric::Cost, PeriodRef::Year(y))
                    .mean
            };
            cost(&rd) - cost(&rb)
        })
        .sum();
    let cnd = mean(&div_rows, "wonen", 2026, "care_not_delivered_cumulative");
    assert!(
        cnd < 0.0 && -cnd <= foster_more,
        "{cnd} against {foster_more} more for foster care"
    );
    // with room in residential care (no list in the baseline) the same diversion takes
    // nobody off a list: the same youths cared for elsewhere, a structural change, with
    // hardly any care withheld or added
    let roomy = "[[service]]\nid = \"residential\"\ncapacity = 60\n";
    let base = on_small("roomy", roomy);
    let diverted = on_small("roomy-diverted", &format!("{roomy}{DIVERT}"));
    let (rb, rd) = (run(&base, 8), run(&diverted, 8));
    let div_rows = savings::savings((&base, &rb), (&diverted, &rd));
    adds_up(&div_rows);
    let pxq: f64 = [2025, 2026]
        .iter()
        .map(|&y| {
            mean(&div_rows, "wonen", y, "cost_baseline") - mean(&div_rows, "wonen", y, "cost")
        })
        .sum();
    let cnd = mean(&div_rows, "wonen", 2026, "care_not_delivered_cumulative");
    assert!(pxq.abs() > 50_000.0, "{pxq}");
    assert!(cnd.abs() < 0.1 * pxq.abs(), "{cnd} of {pxq}");
}

#[test]
fn a_team_built_ahead_is_paid_while_it_stands_idle() {
    // a standing team of 5 youths per FTE that nobody is referred to: every place the road
    // adds stands idle all year and is paid at its standing price
    let team = "[[inflow]]\nto = \"team\"\n\
                per_year = [{ at = 2024-01-01, value = 0 }, { at = 2026-07-01, value = 10 }]\n\
                [[service]]\nid = \"team\"\nsegment = \"hsj\"\nsetting = \"ambulant\"\n\
                los = { dist = \"fixed\", value = 30 }\ntariff = { per_admission = 1000.0 }\n";
    let standing = "[[finance.standing]]\nservice = \"team\"\nper_place_per_year = 36525\n";
    let base = on_small(
        "b",
        &format!("{team}staff = {{ fte = 2, caseload = 5, random = false }}\n{standing}"),
    );
    let road = on_small(
        "r",
        &format!("{team}staff = {{ fte = 4, caseload = 5, random = false }}\n{standing}"),
    );
    let (rb, rr) = (run(&base, 2), run(&road, 2));
    let rows = savings::savings((&base, &rb), (&road, &rr));
    adds_up(&rows);
    for (year, days) in [(2024, 366.0), (2025, 365.0)] {
        // 10 places more, idle, at 36,525 a year = 100 a day
        let dr = mean(&rows, "hsj", year, "double_running");
        assert!((dr - 10.0 * 100.0 * days).abs() < 1e-6, "{year}: {dr}");
        assert_eq!(mean(&rows, "all", year, "double_running"), dr);
        // paid on top of P×Q: the road costs that much more, a friction, not care
        let cost = mean(&rows, "hsj", year, "cost") - mean(&rows, "hsj", year, "cost_baseline");
        assert!((cost - dr).abs() < 0.011, "{cost} {dr}");
        assert_eq!(mean(&rows, "hsj", year, "care_not_delivered"), 0.0);
    }
}

/// A shipped scenario of `scenarios/`.
fn shipped(name: &str) -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    let src = Source::read(&path).expect("shipped scenario");
    scenario::load(&src).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The shipped phasing roads.
const ROADS: [&str; 4] = [
    "fasering-big-bang.toml",
    "fasering-gefaseerd.toml",
    "fasering-ambulant-eerst.toml",
    "fasering-pilot.toml",
];

/// Replications of the shipped-road tests: enough for a paired comparison.
const ROAD_REPS: u32 = 6;

/// The default (the baseline of every road), run once for all tests.
fn default_run() -> &'static (Model, Results) {
    static RUN: std::sync::OnceLock<(Model, Results)> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let m = shipped("groningen.toml");
        let r = run(&m, ROAD_REPS);
        (m, r)
    })
}

/// The headline saving of `road` against the default: per year and summed over the
/// horizon, with the half-widths of their 95% intervals.
fn headline(road: &Model) -> (Vec<(f64, f64)>, (f64, f64)) {
    let (base, rb) = default_run();
    headline_against((base, rb), road, ROAD_REPS)
}

/// [`headline`] against the run `base` of the default, with `reps` replications.
fn headline_against(
    (base, rb): (&Model, &Results),
    road: &Model,
    reps: u32,
) -> (Vec<(f64, f64)>, (f64, f64)) {
    let rows = savings::savings((base, rb), (road, &run(road, reps)));
    let of = |measure: &str| -> Vec<(f64, f64)> {
        rows.iter()
            .filter(|r| r.segment == "all" && r.measure.name() == measure)
            .map(|r| (r.summary.mean, (r.summary.ci_high - r.summary.ci_low) / 2.0))
            .collect()
    };
    let total = *of("saving_cumulative").last().expect("years");
    (of("saving"), total)
}

/// `road` with every transition friction of kind `kind` raised by `factor`: 0 the share
/// of places lost, 1 the referral delay, 2 the change-load penalty.
fn raised(road: &Model, kind: usize, factor: f64) -> Model {
    let mut m = road.clone();
    for t in &mut m.transitions {
        match kind {
            0 => t.capacity_loss = (t.capacity_loss * factor).min(0.9),
            1 => t.referral_delay *= factor,
            _ => {}
        }
    }
    if kind == 2 {
        m.change_load_penalty *= factor;
    }
    m
}

/// Raising friction `kind` of shipped road `road` by `factor` does not raise its headline
/// saving, in any year or over the horizon, beyond the noise of the two estimates: the sum
/// of their 95% intervals' half-widths over the replications.
fn friction_does_not_save(
    road: usize,
    kind: usize,
    factor: f64,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let shipped_road = shipped(ROADS[road]);
    let (years, total) = headline(&shipped_road);
    let (years_up, total_up) = headline(&raised(&shipped_road, kind, factor));
    proptest::prop_assert!(
        total_up.0 <= total.0 + total.1 + total_up.1,
        "{}: friction {kind} × {factor:.2} saves {:.0} against {:.0}",
        ROADS[road],
        total_up.0,
        total.0
    );
    for (y, (a, b)) in years.iter().zip(&years_up).enumerate() {
        proptest::prop_assert!(
            b.0 <= a.0 + a.1 + b.1,
            "{}: year {y}: friction {kind} × {factor:.2} saves {:.0} against {:.0}",
            ROADS[road],
            b.0,
            a.0
        );
    }
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 6,
        failure_persistence: None,
        // A fixed seed: the same six cases on every machine and in CI, so the suite is
        // reproducible; a counterexample another seed finds is kept as a named test below
        // (as `raising_the_capacity_loss_never_saves` and
        // `raising_the_referral_delay_of_the_big_bang_never_saves` were, until their rule
        // was fixed). `frictions_never_save_on_many_cases` draws more, anew each run.
        rng_seed: proptest::test_runner::RngSeed::Fixed(2024),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Raising a transition friction of a shipped road (the share of places lost, the
    /// referral delay or the change-load penalty) never raises its headline saving, in any
    /// year or over the horizon, beyond the noise of the two estimates.
    #[test]
    fn frictions_never_save_on_the_shipped_roads(
        road in 0..ROADS.len(),
        kind in 0usize..3,
        factor in 1.5..3.0f64,
    ) {
        friction_does_not_save(road, kind, factor)?;
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// The same property on 48 cases drawn anew on each run (a few minutes in release):
    /// `cargo test --release --test it -- --ignored frictions_never_save_on_many_cases`.
    /// A failure prints its road, friction and factor: keep it as a named test below.
    #[test]
    #[ignore = "long: 48 cases, drawn anew each run"]
    fn frictions_never_save_on_many_cases(
        road in 0..ROADS.len(),
        kind in 0usize..3,
        factor in 1.5..3.0f64,
    ) {
        friction_does_not_save(road, kind, factor)?;
    }
}

/// The case the property test above found: ambulant eerst with its windows' capacity loss
/// × 2.66 (5% → 13.3%) saved more in 2025 than as shipped (50 replications: headline
/// −€1.47M against −€1.94M), because the intensive ambulatory places it lost took fewer of
/// the youths diverted to them from residential care — youths the baseline kept waiting,
/// so care beyond the baseline's, which the rule read as a structural cost.
#[test]
fn raising_the_capacity_loss_never_saves() {
    let road = shipped("fasering-ambulant-eerst.toml");
    let (years, total) = headline(&road);
    let (years_up, total_up) = headline(&raised(&road, 0, 2.66));
    assert!(total_up.0 <= total.0 + total.1 + total_up.1);
    for (a, b) in years.iter().zip(&years_up) {
        assert!(b.0 <= a.0 + a.1 + b.1, "{} against {}", b.0, a.0);
    }
}

/// A case another seed of the property test found: the big bang with its windows' referral
/// delay × 2.95 (14 → 41 days) saved more in 2026 than as shipped (20 replications, seed
/// 2024: headline −€4.63M against −€7.86M). The youths the longer delay held at the HSJ
/// triage (the network's intake, which every wonen referral passes from 2025) were passed
/// on by the rule along the triage's own `next` only (to the explanatory analysis), not
/// along the wonen profiles' routes to foster care, family homes and groups, and one month
/// late: so residential care's list looked shorter (held back 11,759 youth-days in 2026
/// against 29,930) and its lost places a structural change. Routed by profile in the same
/// interval, the longer delay costs −€8.69M against −€8.82M.
#[test]
fn raising_the_referral_delay_of_the_big_bang_never_saves() {
    // 20 replications: at the property test's 6 the case sits at the edge of the noise
    let base = shipped("groningen.toml");
    let rb = run(&base, 20);
    let road = shipped("fasering-big-bang.toml");
    let (years, total) = headline_against((&base, &rb), &road, 20);
    let (years_up, total_up) = headline_against((&base, &rb), &raised(&road, 1, 2.95), 20);
    assert!(total_up.0 <= total.0 + total.1 + total_up.1);
    for (a, b) in years.iter().zip(&years_up) {
        assert!(b.0 <= a.0 + a.1 + b.1, "{} against {}", b.0, a.0);
    }
}

#[test]
fn the_big_bang_with_doubled_frictions_saves_no_more_than_as_shipped() {
    // issue 25: doubling the big bang's capacity loss and referral delay raised its saving
    // 2024–2030 from €37.5M to €55.8M
    let bb = shipped("fasering-big-bang.toml");
    let doubled = raised(&raised(&bb, 0, 2.0), 1, 2.0);
    let (_, shipped_total) = headline(&bb);
    let (_, doubled_total) = headline(&doubled);
    assert!(
        doubled_total.0 <= shipped_total.0,
        "{doubled_total:?} against {shipped_total:?}"
    );
}

#[test]
fn a_transition_window_on_the_default_saves_nothing_and_withholds_care() {
    // the big bang's four hybrid windows, with no bed closed and nothing built
    let bb = shipped("fasering-big-bang.toml");
    let mut window = shipped("groningen.toml");
    window.name = "window".into();
    window.transitions = bb.transitions.clone();
    let (_, total) = headline(&window);
    assert!(total.0 <= total.1, "{total:?}");
    let (base, rb) = default_run();
    let rows = savings::savings((base, rb), (&window, &run(&window, ROAD_REPS)));
    let cnd = rows
        .iter()
        .find(|r| {
            r.segment == "all"
                && r.year == 2030
                && r.measure.name() == "care_not_delivered_cumulative"
        })
        .unwrap()
        .summary;
    assert!(cnd.ci_low > 10e6, "{cnd:?}");
}
