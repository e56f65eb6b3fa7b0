//! The comparison's CSV tables: `sweep.csv` (per strategy and KPI, the summary over
//! replications), `differences.csv` (each strategy against its baseline — the first, or
//! the first of its future — paired by replication) and the table of `compare --csv`. One
//! row per KPI of [`KPIS`], so a KPI added there is a row here, never a new column.

use super::Strategy;
use crate::report::csv_table::CsvTable;
use crate::report::num;
use crate::sweep::{KPIS, RunKpis, Versus, paired};

/// Columns of `differences.csv`.
pub const DIFFERENCES_COLUMNS: [&str; 7] = [
    "scenario",
    "baseline",
    "metric",
    "mean_diff",
    "ci_low",
    "ci_high",
    "p_better",
];

/// How a `compare --csv` file jeugdflow wrote begins (its first columns; later ones may be
/// added), by which `--csv` recognises a file it may replace.
pub const COMPARE_CSV_MARK: &str = "scenario,baseline,metric,mean,";

/// Columns of the table `compare --csv` writes.
pub const COMPARE_COLUMNS: [&str; 9] = [
    "scenario",
    "baseline",
    "metric",
    "mean",
    "mean_diff",
    "ci_low",
    "ci_high",
    "p_better",
    "paired",
];

/// `sweep.csv`: per strategy (with its future, in a sweep with futures, and its values on
/// the `axes`) and KPI, the summary over replications (`reps` counts the replications in
/// which the KPI is defined).
pub fn sweep_csv(axes: &[String], strategies: &[Strategy]) -> Vec<u8> {
    let futures = strategies.iter().any(|s| s.future.is_some());
    let mut header = vec!["scenario".to_string()];
    if futures {
        header.push("future".to_string());
    }
    header.extend(axes.iter().cloned());
    header.extend(
        ["metric", "mean", "ci_low", "ci_high", "p05", "p95", "reps"]
            .iter()
            .map(|s| s.to_string()),
    );
    let mut w = CsvTable::new(&header);
    for st in strategies {
        for (k, s) in KPIS.iter().zip(&st.kpis) {
            let mut row = vec![st.name.clone()];
            if futures {
                row.push(st.future.clone().unwrap_or_default());
            }
            row.extend(st.values.iter().cloned());
            // a plain list of strategies against axes: pad (never happens in a sweep)
            row.resize(1 + usize::from(futures) + axes.len(), String::new());
            row.extend([
                k.name().to_string(),
                num(s.mean),
                num(s.ci_low),
                num(s.ci_high),
                num(s.p05),
                num(s.p95),
                s.n.to_string(),
            ]);
            w.row(&row);
        }
    }
    w.into_bytes()
}

/// `differences.csv`: every strategy but a baseline against its baseline (the first, or
/// the first of its future), per KPI, paired by replication (only strategies paired with
/// it). A KPI whose difference is undefined in every replication (a budget risk without a
/// budget) has no row.
pub fn differences_csv(strategies: &[Strategy]) -> Vec<u8> {
    let mut w = CsvTable::new(DIFFERENCES_COLUMNS);
    for st in strategies.iter().filter(|s| s.paired && !s.is_baseline) {
        let Some(base) = strategies.iter().find(|b| b.name == st.baseline) else {
            continue;
        };
        for ((k, values), b) in KPIS.iter().zip(&st.reps).zip(&base.reps) {
            let d = paired(values, b, k.lower_is_better());
            if !d.mean.is_finite() {
                continue;
            }
            w.row([
                st.name.as_str(),
                &base.name,
                k.name(),
                &num(d.mean),
                &num(d.ci_low),
                &num(d.ci_high),
                &num(d.p_better),
            ]);
        }
    }
    w.into_bytes()
}

/// The table of `compare --csv`: one row per [`Versus`] of `runs` (the first is the
/// baseline), in the order given.
pub fn compare_csv(runs: &[RunKpis], rows: &[Versus]) -> Vec<u8> {
    let mut w = CsvTable::new(COMPARE_COLUMNS);
    let Some(base) = runs.first() else {
        return w.into_bytes();
    };
    for v in rows {
        w.row([
            runs[v.run].name.as_str(),
            &base.name,
            v.metric.name(),
            &num(v.mean),
            &num(v.diff),
            &num(v.ci_low),
            &num(v.ci_high),
            &num(v.p_better),
            match v.paired {
                None => "",
                Some(true) => "true",
                Some(false) => "false",
            },
        ]);
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Metric;
    use crate::stats::summary::summarise;
    use crate::sweep::Kpi;

    fn strategy(name: &str, value: &str, shift: f64) -> Strategy {
        let reps: Vec<Vec<f64>> = KPIS
            .iter()
            .map(|_| vec![1.0 + shift, 2.0 + shift, 3.0 + shift])
            .collect();
        let mut buf = Vec::new();
        Strategy {
            name: name.into(),
            road: name.into(),
            future: None,
            number: 0,
            baseline: "a-1".into(),
            is_baseline: name == "a-1",
            diff: Vec::new(),
            values: vec![value.into()],
            seed: 1,
            kpis: reps
                .iter()
                .map(|v| summarise(v.iter().copied(), &mut buf))
                .collect(),
            reps,
            cost: Vec::new(),
            paths: Default::default(),
            paired: true,
            breaches: crate::sweep::breach::breaches(&[], 0.2),
            manifest: crate::report::manifest::Manifest::example(1, 3),
        }
    }

    #[test]
    fn sweep_and_differences_tables() {
        let axes = vec!["service.r.capacity".to_string()];
        let s = vec![strategy("a-1", "30", 0.0), strategy("a-2", "24", -1.0)];
        let sweep = String::from_utf8(sweep_csv(&axes, &s)).unwrap();
        let mut lines = sweep.lines();
        assert_eq!(
            lines.next(),
            Some("scenario,service.r.capacity,metric,mean,ci_low,ci_high,p05,p95,reps")
        );
        assert!(lines.next().unwrap().starts_with("a-1,30,clients,2,"));
        assert_eq!(sweep.lines().count(), 1 + 2 * KPIS.len());
        assert!(sweep.contains("\na-2,24,regret,1,"), "{sweep}");
        let diff = String::from_utf8(differences_csv(&s)).unwrap();
        assert_eq!(diff.lines().count(), 1 + KPIS.len());
        // a KPI undefined in every replication has no row
        let mut undefined = s.clone();
        undefined[1].reps[Kpi::RiskBudget.index()] = vec![f64::NAN; 3];
        let diff_u = String::from_utf8(differences_csv(&undefined)).unwrap();
        assert_eq!(diff_u.lines().count(), KPIS.len());
        assert!(!diff_u.contains("risk_budget"), "{diff_u}");
        // lower is better for waits: a-2 is lower in every replication
        assert!(
            diff.contains("\na-2,a-1,wait_days_mean,-1,-1,-1,1\n"),
            "{diff}"
        );
        assert!(diff.contains("\na-2,a-1,risk_wait,-1,"), "{diff}");
    }

    #[test]
    fn compare_table_marks_the_baseline_and_pairing() {
        let run = |name: &str, seed| RunKpis {
            name: name.into(),
            seed: Some(seed),
            values: [(Metric::WaitDaysMean.name().to_string(), vec![2.0, 4.0])].into(),
        };
        let runs = [run("base", 1), run("other", 2)];
        let rows = crate::sweep::versus_baseline(&runs, &[0, 1]);
        let csv = String::from_utf8(compare_csv(&runs, &rows)).unwrap();
        assert!(csv.starts_with(&format!("{}\n", COMPARE_COLUMNS.join(","))));
        assert!(
            csv.contains("\nbase,base,wait_days_mean,3,0,,,,\n"),
            "{csv}"
        );
        assert!(csv.contains("\nother,base,wait_days_mean,3,0,"), "{csv}");
        assert!(
            csv.lines()
                .all(|l| !l.starts_with("other") || l.ends_with(",false"))
        );
        assert_eq!(Kpi::from_name("regret"), Some(Kpi::Regret));
    }
}
