//! Costs on cases computed by hand.

use jeugdflow::experiment::{self, Plan};
use jeugdflow::model::sim::simulate;
use jeugdflow::scenario::{self, Source};
use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

fn load(extra: &str, service_extra: &str) -> jeugdflow::model::Model {
    let text = format!(
        "[scenario]\nname = \"f\"\nstart = 2024-01-01\nend = 2025-12-31\nseed = 1\nreplications = 2\n\
         [report]\ninterval = \"year\"\n{extra}\n\
         [[service]]\nid = \"home\"\nsegment = \"wonen\"\nsetting = \"residential\"\ncapacity = 15\ninitial = 10\n\
         los = {{ dist = \"fixed\", value = 1000 }}\n{service_extra}\n"
    );
    scenario::load(&Source {
        name: "finance.toml".into(),
        text,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn pxq_pays_the_days_in_care_and_taakgericht_pays_every_place() {
    // ten youths in care at the start (leaving over time), 100 euros a day, 15 places
    let m = load("", "tariff = { per_day = 100.0 }");
    let o = simulate(&m, 1, 0);
    let n = o.values.n_periods();
    for (p, days) in [(n - 3, 366.0), (n - 2, 365.0)] {
        let care_days = o.values.get(0, Metric::OccupancyMean, p) * days;
        assert!(care_days > 100.0);
        assert!((o.values.get(0, Metric::Cost, p) - care_days * 100.0).abs() < 1e-6);
        // paying for capacity pays for every place, used or idle
        assert!((o.values.get(0, Metric::CostCapacity, p) - 15.0 * days * 100.0).abs() < 1e-6);
    }
}

#[test]
fn hours_admissions_and_fixed_place_costs_add_up() {
    // 10 hours a week at 70 euros = 100 euros a day; plus 1,000 a year per place (15 places)
    let m = load(
        "",
        "tariff = { per_hour = 70.0, hours_per_week = 10, per_place_per_year = 1000.0 }",
    );
    let o = simulate(&m, 1, 0);
    let y2025 = o.values.n_periods() - 2;
    let care_days = o.values.get(0, Metric::OccupancyMean, y2025) * 365.0;
    let expected = care_days * 100.0 + 15.0 * 1000.0 * 365.0 / 365.25;
    assert!((o.values.get(0, Metric::Cost, y2025) - expected).abs() < 1e-6);
}

#[test]
fn indexation_compounds_across_the_year_boundary() {
    let m = load(
        "[finance]\nindexation_per_year = 0.03\n",
        "tariff = { per_day = 100.0 }",
    );
    let o = simulate(&m, 1, 0);
    let n = o.values.n_periods();
    // tariffs are indexed at each period's midpoint: 2024 mid = day 183, 2025 mid = day 548.5
    for (p, days, mid) in [(n - 3, 366.0, 183.0), (n - 2, 365.0, 548.5)] {
        let care_days = o.values.get(0, Metric::OccupancyMean, p) * days;
        let expected = care_days * 100.0 * 1.03f64.powf(mid / 365.25);
        assert!((o.values.get(0, Metric::Cost, p) - expected).abs() < 1e-6);
    }
}

#[test]
fn costs_csv_compares_taakgericht_with_pxq() {
    let m = load(
        "[finance]\n[[finance.funding]]\nsegment = \"wonen\"\nmodel = \"taakgericht\"\nbudget = 500000\n",
        "tariff = { per_day = 100.0 }",
    );
    let res = experiment::run(
        &m,
        Plan {
            replications: 2,
            seed: 1,
            threads: Some(1),
        },
        &|_| {},
    )
    .unwrap();
    let csv = String::from_utf8(jeugdflow::report::csv_out::costs_csv(&m, &res)).unwrap();
    assert!(csv.starts_with("scenario,segment,year,funding_model,mean,ci_low,ci_high,p50,p90\n"));
    assert_eq!(m.segments, ["wonen"]);
    let mean_cost = |y: usize| {
        let v = res.per_rep(LevelRef::Segment(0), Metric::Cost, PeriodRef::Year(y));
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(
        csv.contains(&format!("\nf,wonen,2024,pxq,{:.2},", mean_cost(0))),
        "{csv}"
    );
    let budget_2024 = 500000.0 * 366.0 / 365.25;
    assert!(
        csv.contains(&format!("\nf,wonen,2024,taakgericht,{budget_2024:.2},")),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("\nf,all,2025,pxq,{:.2},", mean_cost(1))),
        "{csv}"
    );
}

#[test]
fn the_90th_percentile_budget_covers_about_90_percent_of_fresh_futures() {
    let m =
        scenario::load(&Source::read(&crate::common::data("small-costs.toml")).unwrap()).unwrap();
    let run = |reps, seed| {
        experiment::run(
            &m,
            Plan {
                replications: reps,
                seed,
                threads: Some(2),
            },
            &|_| {},
        )
        .unwrap()
    };
    let (fit, fresh) = (run(60, 11), run(200, 12));
    let budgets = jeugdflow::finance::budgets(&m, &fit, 0.9);
    let total = budgets
        .iter()
        .find(|b| b.segment == "all" && b.year == 2025)
        .unwrap();
    let covered = fresh
        .per_rep(LevelRef::All, Metric::Cost, PeriodRef::Year(1))
        .iter()
        .filter(|x| **x <= total.budget.value())
        .count() as f64
        / 200.0;
    // binomial tolerance for 200 fresh futures, widened for the error of a 60-replication quantile
    let se = (0.9f64 * 0.1 / 200.0).sqrt();
    assert!(
        (covered - 0.9).abs() <= 3.0 * se + 0.04,
        "coverage {covered}"
    );
}

#[test]
fn budget_command_writes_budget_and_capacity_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .args([
            "budget",
            crate::common::data("small-costs.toml").to_str().unwrap(),
            "--reps",
            "35",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = std::fs::read_to_string(out.join("budget.csv")).unwrap();
    assert!(b.starts_with("scenario,segment,year,confidence,budget,ci_low,ci_high,pxq_mean\n"));
    assert!(b.contains("\nsmall-costs,wonen,2025,0.9,"));
    let c = std::fs::read_to_string(out.join("capacity.csv")).unwrap();
    assert!(c.starts_with("scenario,service,year,target_share,capacity,budget,note\n"));
    assert!(c.contains("\nsmall-costs,residential,2024,0.8,"), "{c}");
    for bad in [["--confidence", "1.5"], ["--wait-norm-share", "0"]] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
            .args([
                "budget",
                crate::common::data("small-costs.toml").to_str().unwrap(),
                bad[0],
                bad[1],
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn cost_concentration_is_even_when_every_youth_costs_the_same() {
    let text = "[scenario]\nname = \"c\"\nstart = 2024-01-01\nend = 2024-12-31\nseed = 1\n\
                [[inflow]]\nto = \"s\"\nper_year = 500\n\
                [[service]]\nid = \"s\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
                los = { dist = \"fixed\", value = 10 }\ntariff = { per_day = 100.0 }\n";
    let m = scenario::load(&Source {
        name: "c.toml".into(),
        text: text.into(),
    })
    .unwrap();
    let o = simulate(&m, 1, 0);
    let total = o.values.n_periods() - 1;
    let all = m.services.len() + m.segments.len();
    // every youth-year costs 10 days × €100, but for the few youths still in care when
    // the run ends (their year is cut there, ~14 of ~500): the costliest 10% take just
    // over 10%
    let top = o.values.get(all, Metric::CostTop10Share, total);
    assert!((0.1..0.105).contains(&top), "{top}");
    let p50 = o.values.get(all, Metric::CostPerYouthP50, total);
    assert!((p50 - 1000.0).abs() / 1000.0 < 0.035, "{p50}");
    // and the segment rows do not carry system-only metrics
    assert!(o.values.get(0, Metric::CostTop10Share, total).is_nan());
}

/// A model with a segment `wonen` (service `home`, fed by an inflow of profile `heavy`)
/// and a segment `thuis` (service `amb`, profile `light`), each with a tariff, and the
/// given `[[finance.funding]]` text.
fn two_segments(funding: &str) -> jeugdflow::model::Model {
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2025-12-31\nseed = 3\nreplications = 4\n\
         [report]\ninterval = \"year\"\n\
         [[profile]]\nid = \"light\"\n[[profile]]\nid = \"heavy\"\n\
         [[inflow]]\nto = \"home\"\nper_year = 60\nprofile = \"heavy\"\n\
         [[inflow]]\nto = \"amb\"\nper_year = 200\nprofile = \"light\"\n\
         [[service]]\nid = \"home\"\nsegment = \"wonen\"\nsetting = \"residential\"\ncapacity = 40\n\
         los = {{ dist = \"exponential\", mean = 120 }}\ntariff = {{ per_day = 200.0 }}\n\
         [[service]]\nid = \"amb\"\nsegment = \"thuis\"\nsetting = \"ambulant\"\n\
         los = {{ dist = \"exponential\", mean = 90 }}\ntariff = {{ per_hour = 100.0, hours_per_week = 1.4 }}\n\
         [finance]\n{funding}\n"
    );
    scenario::load(&Source {
        name: "t.toml".into(),
        text,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run_plan(m: &jeugdflow::model::Model) -> experiment::Results {
    experiment::run(
        m,
        Plan {
            replications: m.replications,
            seed: m.seed,
            threads: Some(2),
        },
        &|_| {},
    )
    .unwrap()
}

#[test]
fn a_trajectory_is_paid_once_per_entry_at_its_profiles_price() {
    // wonen pays 30,000 per heavy trajectory; the light price (1,000) must not be used
    let m = two_segments(
        "[[finance.funding]]\nsegment = \"wonen\"\nmodel = \"trajectory\"\nprices = { heavy = 30000, default = 1000 }\n",
    );
    let res = run_plan(&m);
    let costs = jeugdflow::finance::funding::year_costs(&m, &res);
    let wonen_level = m.services.len(); // segment 0 = wonen (first service's segment)
    assert_eq!(m.segments[0], "wonen");
    let n = m.timeline.intervals.len();
    for (y, year) in [2024, 2025].into_iter().enumerate() {
        let c = costs
            .iter()
            .find(|c| c.segment == "wonen" && c.year == year)
            .unwrap();
        assert_eq!(c.model.name(), "trajectory");
        for r in 0..res.replications() {
            // admissions of a segment per year are not kept per replication: run it again
            let rep = simulate(&m, m.seed, r as u64).values;
            let entries = rep.get(wonen_level, Metric::Admissions, n + y);
            assert!(entries > 20.0);
            assert_eq!(
                c.funded[r].value(),
                entries * 30000.0,
                "rep {r} year {year}"
            );
            // the trajectory price does not depend on how long the stay turns out
            assert_ne!(c.funded[r], c.pxq[r]);
        }
    }
    // a segment without a model is paid P×Q; the region is paid the sum of both
    let thuis = costs
        .iter()
        .find(|c| c.segment == "thuis" && c.year == 2025)
        .unwrap();
    assert_eq!(thuis.model.name(), "pxq");
    assert_eq!(thuis.funded, thuis.pxq);
    let all = costs
        .iter()
        .find(|c| c.segment == "all" && c.year == 2025)
        .unwrap();
    let wonen = costs
        .iter()
        .find(|c| c.segment == "wonen" && c.year == 2025)
        .unwrap();
    assert_eq!(all.model.name(), "funded");
    for r in 0..res.replications() {
        assert!(
            (all.funded[r] - (wonen.funded[r] + thuis.funded[r]))
                .value()
                .abs()
                < 1e-6
        );
        assert!((all.pxq[r] - (wonen.pxq[r] + thuis.pxq[r])).value().abs() < 1e-6);
    }
}

#[test]
fn a_per_capita_lump_sum_is_the_population_times_the_amount() {
    let m = two_segments(
        "[[finance.funding]]\nsegment = \"thuis\"\nmodel = \"taakgericht\"\n\
         per_capita = 150\npopulation = [{ at = 2024-01-01, value = 20000 }, { at = 2025-01-01, value = 19000 }]\n",
    );
    let res = run_plan(&m);
    let costs = jeugdflow::finance::funding::year_costs(&m, &res);
    for (year, expected) in [
        (2024, 150.0 * 20000.0 * 366.0 / 365.25),
        (2025, 150.0 * 19000.0 * 365.0 / 365.25),
    ] {
        let c = costs
            .iter()
            .find(|c| c.segment == "thuis" && c.year == year)
            .unwrap();
        assert_eq!(c.model.name(), "taakgericht");
        for (r, f) in c.funded.iter().enumerate() {
            assert!((f.value() - expected).abs() < 1e-6, "{f:?} vs {expected}");
            // the surplus is the lump sum less what P×Q would have paid, per replication
            assert!((c.surplus()[r].value() - (expected - c.pxq[r].value())).abs() < 1e-6);
        }
    }
}

#[test]
fn an_outcome_bonus_follows_the_kpi_and_stops_at_its_cap() {
    assert_eq!(two_segments("").segments[0], "wonen");
    // a target of 10,000 out-of-home days a year and 20 euros a day of difference
    let fund = |target: f64, cap: f64| {
        let m = two_segments(&format!(
            "[[finance.funding]]\nsegment = \"wonen\"\nmodel = \"outcome\"\nbudget = 2000000\n\
             kpi = \"out_of_home_days\"\ntarget = {target}\nper_unit = 20\ncap = {cap}\n"
        ));
        let res = run_plan(&m);
        let c = jeugdflow::finance::funding::year_costs(&m, &res)
            .into_iter()
            .find(|c| c.segment == "wonen" && c.year == 2025)
            .unwrap();
        (res, c)
    };
    let base = 2_000_000.0 * 365.0 / 365.25;
    // uncapped: budget + (target − days) × 20
    let (res, c) = fund(10000.0, 1.0);
    // the outcome KPI of a segment is kept per replication
    let kpi = res.per_rep(
        LevelRef::Segment(0),
        Metric::OutOfHomeDays,
        PeriodRef::Year(1),
    );
    for (r, &days) in kpi.iter().enumerate() {
        assert!(days > 5000.0, "{days}");
        let expected = base + (10000.0 - days) * 20.0;
        assert!(
            (c.funded[r].value() - expected).abs() < 1e-6,
            "{} {expected}",
            c.funded[r].value()
        );
    }
    // far better than target: the bonus stops at 5% of the budget (100,000); at a target of
    // 0 days the malus (over 5,000 days × 20) stops there too
    let (_, c) = fund(1e9, 0.05);
    assert!(
        c.funded
            .iter()
            .all(|f| (f.value() - base * 1.05).abs() < 1e-6)
    );
    let (_, c) = fund(0.0, 0.05);
    assert!(
        c.funded
            .iter()
            .all(|f| (f.value() - base * 0.95).abs() < 1e-6),
        "{:?}",
        c.funded
    );
}

#[test]
fn costs_csv_has_a_surplus_row_for_every_funded_level() {
    let m = two_segments(
        "[[finance.funding]]\nsegment = \"wonen\"\nmodel = \"taakgericht\"\nbudget = 3000000\n",
    );
    let res = run_plan(&m);
    let csv = String::from_utf8(jeugdflow::report::csv_out::costs_csv(&m, &res)).unwrap();
    let row = |seg: &str, fm: &str| -> f64 {
        csv.lines()
            .find(|l| l.starts_with(&format!("t,{seg},2025,{fm},")))
            .unwrap_or_else(|| panic!("no {seg} {fm} row in\n{csv}"))
            .split(',')
            .nth(4)
            .unwrap()
            .parse()
            .unwrap()
    };
    for seg in ["wonen", "all"] {
        let funded = row(
            seg,
            if seg == "all" {
                "funded"
            } else {
                "taakgericht"
            },
        );
        let surplus = row(seg, "surplus");
        assert!((surplus - (funded - row(seg, "pxq"))).abs() < 0.02, "{seg}");
    }
    // the lump sum is more than wonen's P×Q here: a surplus, not a deficit
    assert!(row("wonen", "surplus") > 0.0);
    // a P×Q segment has no surplus row
    assert!(!csv.contains("t,thuis,2025,surplus,"));
}

#[test]
fn savings_are_paired_differences() {
    use jeugdflow::finance::savings::savings;
    let base = crate::common::model("small-costs.toml");
    let more = crate::common::model("small-costs-more-crisis.toml");
    let (rb, rm) = (
        crate::common::run_for_savings(&base),
        crate::common::run_for_savings(&more),
    );
    let find = |rows: &[jeugdflow::finance::savings::SavingsRow], seg: &str, year, measure| {
        rows.iter()
            .find(|r| r.segment == seg && r.year == year && r.measure.name() == measure)
            .unwrap_or_else(|| panic!("no {seg} {year} {measure}"))
            .summary
    };
    // two extra crisis beds: no closing, no standing places, so no frictiekosten; the
    // cost difference is the P×Q difference, replication by replication
    let rows = savings((&base, &rb), (&more, &rm));
    let hsj = base.segments.iter().position(|s| s == "hsj").unwrap();
    for (y, year) in [2024, 2025, 2026].into_iter().enumerate() {
        assert_eq!(find(&rows, "hsj", year, "frictiekosten").mean, 0.0);
        let cost = |r: &jeugdflow::experiment::Results| {
            r.per_rep(LevelRef::Segment(hsj), Metric::Cost, PeriodRef::Year(y))
                .to_vec()
        };
        let diff: f64 = cost(&rb)
            .iter()
            .zip(cost(&rm))
            .map(|(b, m)| b - m)
            .sum::<f64>()
            / rb.replications() as f64;
        let parts = find(&rows, "hsj", year, "saving_structural").mean
            + find(&rows, "hsj", year, "care_not_delivered").mean;
        assert!((parts - diff).abs() < 0.011, "{year}: {parts} {diff}");
        assert!(
            (find(&rows, "hsj", year, "saving").mean
                - find(&rows, "hsj", year, "saving_structural").mean)
                .abs()
                < 0.011
        );
    }
}

#[test]
fn savings_command_writes_a_tidy_table_and_rejects_bad_input() {
    use crate::common::{data, jeugdflow, jeugdflow_ok, s};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sav");
    let o = jeugdflow_ok(&[
        "savings",
        s(&data("small-costs-more-crisis.toml")),
        "--baseline",
        s(&data("small-costs.toml")),
        "--reps",
        "3",
        "--out",
        s(&out),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("more-crisis"), "{stdout}");
    let csv = std::fs::read_to_string(out.join("savings.csv")).unwrap();
    assert!(csv.starts_with("strategy,baseline,segment,year,measure,mean,ci_low,ci_high\n"));
    assert!(csv.contains("\nmore-crisis,small-costs,hsj,2026,frictiekosten_cumulative,"));
    // the same as a chart and a page
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("more-crisis") && report.contains("<svg"));
    assert!(
        std::fs::metadata(out.join("plots/savings.svg"))
            .unwrap()
            .len()
            > 1000
    );
    assert!(
        std::fs::metadata(out.join("plots/savings.png"))
            .unwrap()
            .len()
            > 1000
    );
    // a strategy without tariffs, or a missing file: exit 2 and nothing written
    let out2 = dir.path().join("sav2");
    for strategy in [data("small.toml"), data("no-such-file.toml")] {
        let o = jeugdflow(&[
            "savings",
            s(&strategy),
            "--baseline",
            s(&data("small-costs.toml")),
            "--out",
            s(&out2),
        ]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!out2.exists());
    }
}

/// `budget` on `small-costs.toml` with a service paid per admission only and a staffed
/// service added, in `dir`.
fn budget_in(dir: &std::path::Path, reps: &str) -> (std::process::Output, std::path::PathBuf) {
    let f = dir.join("b.toml");
    let text = format!(
        "[scenario]\nname = \"b\"\nextends = \"{}\"\n\n\
         [[service]]\nid = \"crisis\"\ntariff = {{ per_admission = 1000.0 }}\n\n\
         [[inflow]]\nto = \"team\"\nper_year = 100\n\n\
         [[service]]\nid = \"team\"\nsegment = \"aanvullend\"\nsetting = \"ambulant\"\n\
         los = {{ dist = \"fixed\", value = 30 }}\nstaff = {{ fte = 3, caseload = 5 }}\n\
         queue = {{ norm = 14 }}\ntariff = {{ per_day = 50.0 }}\n",
        crate::common::data("small-costs.toml").display()
    );
    std::fs::write(&f, text).unwrap();
    let out = dir.join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
        .args(["budget", f.to_str().unwrap(), "--reps", reps, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    (o, out)
}

#[test]
fn budget_refuses_too_few_replications_for_its_interval() {
    // at 20 and 30 replications every ci_high used to be empty
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = budget_in(dir.path(), "34");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("use at least 35 (--reps 35)"), "{err}");
    assert!(!out.exists());
}

#[test]
fn budget_tables_hold_up() {
    // every interval filled, and the tables add up
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = budget_in(dir.path(), "35");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // the minimum gives an interval in every row
    let b = std::fs::read_to_string(out.join("budget.csv")).unwrap();
    for row in b.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        assert!(!cells[5].is_empty() && !cells[6].is_empty(), "{row}");
    }
    let c = std::fs::read_to_string(out.join("capacity.csv")).unwrap();
    let rows: Vec<Vec<&str>> = c.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let of = |svc: &str| rows.iter().filter(move |r| r[1] == svc).collect::<Vec<_>>();
    // a service paid per admission has a budget: its admissions at that capacity
    for r in of("crisis") {
        assert!(r[5].parse::<f64>().unwrap() > 0.0, "{r:?}");
    }
    // a staffed service is named with the reason it is not sized
    let team = of("team");
    assert_eq!(team.len(), 3, "{c}");
    assert!(
        team.iter()
            .all(|r| r[4].is_empty() && r[6].trim_matches('"').starts_with("staffed")),
        "{c}"
    );
    assert!(
        stdout.contains("capacity.csv does not size: team (staffed"),
        "{stdout}"
    );
    // the residential capacity follows the scenario's schedule (30 places, 25 from 2025),
    // one factor for the horizon: no year-to-year noise
    let res: Vec<f64> = of("residential")
        .iter()
        .map(|r| r[4].parse().unwrap())
        .collect();
    assert_eq!(res.len(), 3);
    assert!((res[1] / res[0] - 25.0 / 30.0).abs() < 0.01, "{res:?}");
    assert_eq!(res[1], res[2]);
    // the region's budget is not the segments' sum, and the terminal says why
    assert!(
        stdout.contains("less than the sum of the segments' budgets"),
        "{stdout}"
    );
}

#[test]
fn a_strategy_of_another_region_is_warned_about() {
    use crate::common::{data, jeugdflow_ok, s};
    let dir = tempfile::tempdir().unwrap();
    let strategy = data("small-costs-more-crisis.toml");
    let costs = data("small-costs.toml");
    let run = |baseline: Option<&str>, out: &str| {
        let mut args = vec!["savings", s(&strategy)];
        if let Some(b) = baseline {
            args.extend(["--baseline", b]);
        }
        let out = dir.path().join(out);
        args.extend(["--reps", "2", "--quiet", "--out", s(&out)]);
        String::from_utf8_lossy(&jeugdflow_ok(&args).stderr).into_owned()
    };
    let warning = "services of scenario 'more-crisis' are in the baseline";
    let related = run(Some(s(&costs)), "a");
    assert!(!related.contains(warning), "{related}");
    // against the built-in Groningen baseline, whose services it does not have
    let other = run(None, "b");
    assert!(
        other.contains(warning) && other.contains("'groningen"),
        "{other}"
    );
}

#[test]
fn a_yearly_index_steps_on_1_january_from_the_prices_of_its_year() {
    // youths in care at 100 euros a day, in prices of 2023; 10% more in 2024, 5% more on
    // top in 2025
    let m = load(
        "[finance.indexation]\nprices_of = 2023\nrates = { 2024 = 0.10, 2025 = 0.05 }\n",
        "tariff = { per_day = 100.0 }",
    );
    let o = simulate(&m, 1, 0);
    let n = o.values.n_periods();
    for (p, days, factor) in [(n - 3, 366.0, 1.10), (n - 2, 365.0, 1.10 * 1.05)] {
        let care_days = o.values.get(0, Metric::OccupancyMean, p) * days;
        assert!(care_days > 100.0);
        let cost = o.values.get(0, Metric::Cost, p);
        assert!((cost - care_days * 100.0 * factor).abs() < 1e-6, "{cost}");
    }
    // a scenario that extends it with a rate of its own: the nearer one holds
    let dir = tempfile::tempdir().unwrap();
    let child = dir.path().join("child.toml");
    std::fs::write(
        &child,
        "[scenario]\nname = \"child\"\nextends = \"builtin:groningen\"\n\n[finance]\nindexation_per_year = 0.02\n",
    )
    .unwrap();
    let m = scenario::load(&Source::read(&child).unwrap()).unwrap();
    assert_eq!(
        m.finance.indexation,
        jeugdflow::model::Indexation::PerYear(0.02)
    );
}

#[test]
fn a_taakgericht_contract_settles_beyond_its_corridor_and_rebases_on_the_last_year() {
    use jeugdflow::finance::funding::year_costs;
    // a lump sum of 100,000 a year for care worth far more; a 10% corridor, the region
    // pays half of an overrun beyond it; re-based every year on the last year's P×Q
    let m = load(
        "[[finance.funding]]\nsegment = \"wonen\"\nmodel = \"taakgericht\"\nbudget = 100000\n\
         corridor = 0.1\nsettle_above = 0.5\nrebase_every = 1\n",
        "tariff = { per_day = 100.0 }",
    );
    let res = crate::common::run(&m);
    let costs = year_costs(&m, &res);
    let seg: Vec<_> = costs.iter().filter(|c| c.segment == "wonen").collect();
    assert_eq!(seg.len(), 2);
    for r in 0..res.replications() {
        // 2024: the lump sum over 366 days of a 365.25-day year
        let lump = 100_000.0 * 366.0 / 365.25;
        let pxq = seg[0].pxq[r].value();
        assert!(pxq > 1.2 * lump);
        let paid = lump + 0.5 * (pxq - lump - 0.1 * lump);
        assert!((seg[0].funded[r].value() - paid).abs() < 1e-6);
        assert!((seg[0].surplus()[r].value() - (paid - pxq)).abs() < 1e-6);
        let settlement = seg[0].settlement().unwrap()[r].value();
        assert!((settlement - (paid - lump)).abs() < 1e-6);
        // 2025: re-based on 2024's P×Q, for 365 days
        let rebased = pxq * 365.0 / 366.0;
        assert!((seg[1].lump.as_ref().unwrap()[r].value() - rebased).abs() < 1e-6);
    }
    // costs.csv has the settlement next to the surplus
    let csv = String::from_utf8(jeugdflow::report::csv_out::costs_csv(&m, &res)).unwrap();
    assert!(csv.contains("f,wonen,2024,settlement,"), "{csv}");
}
