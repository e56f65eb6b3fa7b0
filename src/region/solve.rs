//! The flow solver: from a region's yearly figures to the inflows, caseloads, capacities
//! and tariffs of a scenario in steady state, by Little's law over the whole network.
//!
//! For service `j` with `N_j` clients in the year (in care on 1 January plus those who
//! started) and mean stay `W_j` years:
//!
//! ```text
//! throughput        λ_j = N_j / (W_j + 1)                      (N = L + λ, L = λW)
//! transfers in      t_j = Σ_i λ_i · p_ij                       (p_ij: `next` of i to j)
//! external inflow   e_j = λ_j − t_j                            ≥ 0, else the figures contradict
//! the flows         λ' = e + Pᵀ λ'   ⇔   (I − Pᵀ) λ' = e      solved by Gaussian elimination
//! caseload          L_j = λ'_j · W_j                           → `initial` = round(L_j)
//! capacity          C_j = ⌈L_j / occupancy_j⌉                  (at least `initial`;
//!                   ⌈L_j⌉ with a starting waiting list, so that it persists)
//! tariff per day    spend_j / (L_j × days of the first year)
//! ```
//!
//! The linear system is what the scenario will do with the inflows written: solving it
//! (rather than trusting `λ`) handles routing cycles (`a → b → a`), checks that every
//! youth can leave care (the matrix is singular exactly when some services only route to
//! each other), and carries any rounding of `e` into the caseloads and prices.

use crate::scenario::limits::{MAX_COUNT, MAX_EUROS};

use super::check::{Col, Dest, MAX_DAYS, Problem, RegionTable, ServiceRow, trim_float};
use super::number::grouped;

/// Days in a year of the scenario's rates.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// Transfers into a service may exceed its throughput by this many youths a year before
/// the figures count as contradictory (rounding in the table); the external inflow is
/// then 0.
pub const ROUNDING_SLACK: f64 = 0.5;

/// The derived flow figures of one service.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// Mean stay, years.
    pub stay_years: f64,
    /// λ from the table: clients / (W + 1), per year.
    pub table_throughput: f64,
    /// Youths a year transferred in from other services (from the table's λ).
    pub transfers_in: f64,
    /// External inflow per year written to the scenario.
    pub external: f64,
    /// The throughput the scenario will have: the solution of `(I − Pᵀ) λ = e`.
    pub throughput: f64,
    /// Mean caseload `λ · W`.
    pub caseload: f64,
    /// Youths in care at the start.
    pub initial: u32,
    /// Places; `None`: no capacity limit (no occupancy given).
    pub capacity: Option<u32>,
    /// Euros per day in care; `None`: no spend given.
    pub tariff_per_day: Option<f64>,
}

/// The solved flows of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// Per service, in table order.
    pub flows: Vec<Flow>,
    /// Days of the first year, over which the tariffs spread the spend.
    pub days: f64,
}

/// Solves the table's flows; `days` is the length of the scenario's first calendar year
/// (365 or 366). Returns every contradiction found.
pub fn flows(table: &RegionTable, days: f64) -> Result<Solution, Vec<Problem>> {
    let n = table.services.len();
    let mut problems = closed_loops(table);
    let w: Vec<f64> = table
        .services
        .iter()
        .map(|s| s.stay_days / DAYS_PER_YEAR)
        .collect();
    let lambda: Vec<f64> = table
        .services
        .iter()
        .zip(&w)
        .map(|(s, w)| s.clients / (w + 1.0))
        .collect();
    let transfers: Vec<f64> = (0..n)
        .map(|j| (0..n).map(|i| lambda[i] * table.p(i, j)).sum())
        .collect();
    for j in 0..n {
        let excess = transfers[j] - lambda[j];
        if excess > ROUNDING_SLACK {
            problems.push(contradiction(table, &lambda, &w, j, excess));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let external: Vec<f64> = (0..n)
        .map(|j| (lambda[j] - transfers[j]).max(0.0))
        .collect();
    let solved = throughputs(table, &external).ok_or_else(|| {
        vec![Problem {
            row: None,
            column: table.place(Col::Next),
            message: "the routing has no steady state (a singular flow system)".into(),
        }]
    })?;
    let flows = (0..n)
        .map(|j| {
            let s = &table.services[j];
            let caseload = solved[j] * w[j];
            let initial = caseload.round() as u32;
            // a starting waiting list persists only when the places are full: admissions
            // are then L / W = λ, and the wait stays list / admissions
            let occupancy = if s.has_list() { Some(1.0) } else { s.occupancy };
            let capacity = occupancy.map(|occ| {
                let c = (caseload / occ - 1e-9).ceil().max(1.0) as u32;
                c.max(initial)
            });
            let tariff_per_day = s
                .spend
                .filter(|x| *x > 0.0)
                .map(|sp| (sp / (caseload * days) * 100.0).round() / 100.0);
            Flow {
                stay_years: w[j],
                table_throughput: lambda[j],
                transfers_in: transfers[j],
                external: external[j],
                throughput: solved[j],
                caseload,
                initial,
                capacity,
                tariff_per_day,
            }
        })
        .collect::<Vec<Flow>>();
    let problems = beyond_limits(table, &flows);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Solution { flows, days })
}

/// Figures derived from cells that each lie in their range but together break a bound of
/// the scenario (youths in care, places, the waiting list, a tariff): each reported at the
/// cell to change, so that `init` never writes a scenario that does not validate.
fn beyond_limits(table: &RegionTable, flows: &[Flow]) -> Vec<Problem> {
    let max = MAX_COUNT as f64;
    let max_text = grouped(max, 0);
    let mut problems = Vec::new();
    for (s, f) in table.services.iter().zip(flows) {
        let mut at = |col: Col, message: String| {
            problems.push(Problem {
                row: Some(s.row),
                column: table.place(col),
                message,
            });
        };
        if f.caseload.round() > max {
            at(
                Col::Clients,
                format!(
                    "{} youths in care at once (throughput × mean stay = {} a year × {} days), \
                     more than the {max_text} a scenario allows; check clients_per_year and \
                     mean_stay_days",
                    grouped(f.caseload, 0),
                    grouped(f.throughput, 1),
                    trim_float(s.stay_days)
                ),
            );
            continue;
        }
        let occupancy = if s.has_list() { Some(1.0) } else { s.occupancy };
        if let Some(occ) = occupancy.filter(|o| (f.caseload / o).ceil() > max) {
            at(
                Col::Occupancy,
                format!(
                    "{} places ({} youths in care / occupancy {}), more than the {max_text} a \
                     scenario allows; occupancy is the share of places in use, e.g. 0.9",
                    grouped((f.caseload / occ).ceil(), 0),
                    grouped(f.caseload, 1),
                    trim_float(occ)
                ),
            );
        }
        if let Some(t) = f
            .tariff_per_day
            .filter(|t| !t.is_finite() || *t > MAX_EUROS)
        {
            at(
                Col::Spend,
                format!(
                    "a tariff of {} euros a day (spend / ({} youths in care × days)), more \
                     than the {} a scenario allows; check spend_per_year against \
                     clients_per_year and mean_stay_days",
                    grouped(t, 2),
                    grouped(f.caseload, 3),
                    grouped(MAX_EUROS, 0)
                ),
            );
        }
        if let (Some((n, waited)), _) = starting_list(s, f.throughput) {
            if n as f64 > max {
                at(
                    Col::MeanWait,
                    format!(
                        "a waiting list of {} youths (admissions × wait), more than the \
                         {max_text} a scenario allows",
                        grouped(n as f64, 0)
                    ),
                );
            } else if !waited.is_finite() || waited > MAX_DAYS {
                at(
                    Col::WaitingNow,
                    format!(
                        "a mean wait of {} days (list / admissions), more than the {} days \
                         a table may give",
                        grouped(waited, 0),
                        grouped(MAX_DAYS, 0)
                    ),
                );
            }
        }
    }
    problems
}

/// The throughputs `λ` with `(I − Pᵀ) λ = e`: every service's admissions per year when
/// `e` youths a year are referred from outside and routed by `next`. `None` when the
/// system is singular (youths that can never leave care).
pub fn throughputs(table: &RegionTable, external: &[f64]) -> Option<Vec<f64>> {
    let n = table.services.len();
    let mut a: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            (0..n)
                .map(|i| f64::from(u8::from(i == j)) - table.p(i, j))
                .collect()
        })
        .collect();
    let mut b = external.to_vec();
    gauss(&mut a, &mut b)
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (in place); `None`
/// when `a` is singular.
pub fn gauss(a: &mut [Vec<f64>], b: &mut [f64]) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for r in col + 1..n {
            let f = a[r][col] / a[col][col];
            if f != 0.0 {
                let (top, rest) = a.split_at_mut(r);
                for (x, p) in rest[0][col..n].iter_mut().zip(&top[col][col..n]) {
                    *x -= f * p;
                }
                b[r] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

/// Services from which no chain of `next` branches leads out of care.
fn closed_loops(table: &RegionTable) -> Vec<Problem> {
    let n = table.services.len();
    // leaves[i]: youths at i can eventually exit
    let mut leaves: Vec<bool> = table
        .services
        .iter()
        .map(|s| s.next.is_empty() || s.next.iter().any(|b| b.to == Dest::Exit && b.p > 0.0))
        .collect();
    loop {
        let mut changed = false;
        for i in 0..n {
            if !leaves[i]
                && table.services[i]
                    .next
                    .iter()
                    .any(|b| matches!(b.to, Dest::Service(j) if b.p > 0.0 && leaves[j]))
            {
                leaves[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let stuck: Vec<&str> = (0..n)
        .filter(|&i| !leaves[i])
        .map(|i| table.services[i].id.as_str())
        .collect();
    (0..n)
        .filter(|&i| !leaves[i])
        .map(|i| Problem {
            row: Some(table.services[i].row),
            column: table.place(Col::Next),
            message: format!(
                "youths sent on from \"{}\" never leave care: {} only route to each other; give one of them a share to exit",
                table.services[i].id,
                stuck.join(", ")
            ),
        })
        .collect()
}

fn contradiction(table: &RegionTable, lambda: &[f64], w: &[f64], j: usize, excess: f64) -> Problem {
    let s = &table.services[j];
    let from: Vec<String> = (0..table.services.len())
        .filter(|&i| table.p(i, j) > 0.0)
        .map(|i| {
            let o = &table.services[i];
            format!(
                "{} (row {}) {:.1} = {:.1} × {}",
                o.id,
                o.row,
                lambda[i] * table.p(i, j),
                lambda[i],
                super::check::trim_float(table.p(i, j))
            )
        })
        .collect();
    let transfers = lambda[j] + excess;
    let needed = (transfers * (w[j] + 1.0)).ceil();
    Problem {
        row: Some(s.row),
        column: table.place(Col::Clients),
        message: format!(
            "\"{}\" takes in {transfers:.1} youths a year from other services ({}) but only {:.1} a year pass through it \
             ({} clients / ({} days / 365.25 + 1)): {excess:.1} a year ({:.1}%) more than its own throughput. \
             Raise its clients_per_year to at least {needed}, shorten its mean_stay_days, or lower the next shares into it",
            s.id,
            from.join(", "),
            lambda[j],
            super::check::trim_float(s.clients),
            super::check::trim_float(s.stay_days),
            100.0 * excess / lambda[j],
        ),
    }
}

/// The waiting list at the start (youths, the mean wait it is in, days) from the table's
/// `waiting_now` and `mean_wait_days`, one derived from the other by Little's law on the
/// list (list = admissions × wait) when only one is given; and how it was found. `None`
/// when the table gives no list.
pub fn starting_list(s: &ServiceRow, throughput: f64) -> (Option<(u64, f64)>, String) {
    if !s.has_list() {
        return (None, String::new());
    }
    let per_day = throughput / DAYS_PER_YEAR;
    match (s.waiting_now, s.mean_wait_days) {
        (Some(n), Some(w)) => (
            Some((n.round() as u64, w)),
            "waiting_now, mean_wait_days".into(),
        ),
        (Some(n), None) if per_day > 0.0 => (
            Some((n.round() as u64, n / per_day)),
            format!(
                "waiting_now; waited = list / admissions = {} / {} a day",
                trim_float(n),
                grouped(per_day, 2)
            ),
        ),
        (None, Some(w)) => {
            let n = (per_day * w).round();
            (
                Some((n as u64, w)),
                format!(
                    "mean_wait_days; waiting = admissions × wait = {} a day × {}",
                    grouped(per_day, 2),
                    trim_float(w)
                ),
            )
        }
        _ => (None, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::check::check;
    use crate::region::table::parse_csv;

    const HEADER: &str = "service,name,segment,setting,clients_per_year,spend_per_year,mean_stay_days,stay_cv,occupancy,wait_norm_days,next,min_age,max_age,growth_per_year";

    fn table(rows: &str) -> RegionTable {
        let text = format!("{HEADER}\n{rows}");
        check(&parse_csv("t.csv", text.as_bytes()).unwrap()).unwrap()
    }

    /// Three services with a cycle (a → b → a), worked by hand:
    ///
    /// - a: 300 clients, stay 0.2 year → λ = 300 / 1.2 = 250; L = 50; next b 0.4
    /// - b: 330 clients, stay 1 year   → λ = 330 / 2 = 165;   L = 165; next c 0.5, a 0.2
    /// - c: 126 clients, stay 0.5 year → λ = 126 / 1.5 = 84;  L = 42
    ///
    /// transfers in: a 0.2 × 165 = 33, b 0.4 × 250 = 100, c 0.5 × 165 = 82.5, so the
    /// external inflows are 217, 65 and 1.5. Capacities: a ⌈50 / 0.8⌉ = 63, b ⌈165 /
    /// 0.75⌉ = 220, c none. Tariff of a: €1,830,000 / (50 × 366 days) = €100 a day.
    #[test]
    fn three_services_with_a_cycle_match_the_hand_computation() {
        let t = table(
            "a,,s,ambulant,300,1830000,73.05,,0.8,,b:0.4 exit:0.6,,,\n\
             b,,s,residential,330,,365.25,,0.75,,c:0.5 a:0.2 exit:0.3,,,\n\
             c,,t,ambulant,126,,182.625,,,,,,,\n",
        );
        let sol = flows(&t, 366.0).unwrap();
        let f = &sol.flows;
        let close = |x: f64, y: f64| (x - y).abs() < 1e-9;
        for (j, (lam, tin, ext, l)) in [
            (250.0, 33.0, 217.0, 50.0),
            (165.0, 100.0, 65.0, 165.0),
            (84.0, 82.5, 1.5, 42.0),
        ]
        .into_iter()
        .enumerate()
        {
            assert!(close(f[j].table_throughput, lam), "λ {j}: {:?}", f[j]);
            assert!(close(f[j].transfers_in, tin), "t {j}: {:?}", f[j]);
            assert!(close(f[j].external, ext), "e {j}: {:?}", f[j]);
            assert!(close(f[j].throughput, lam), "solved λ {j}: {:?}", f[j]);
            assert!(close(f[j].caseload, l), "L {j}: {:?}", f[j]);
        }
        assert_eq!(
            f.iter()
                .map(|x| (x.initial, x.capacity))
                .collect::<Vec<_>>(),
            [(50, Some(63)), (165, Some(220)), (42, None)]
        );
        assert_eq!(f[0].tariff_per_day, Some(100.0));
        assert_eq!(f[1].tariff_per_day, None);
    }

    #[test]
    fn transfers_beyond_throughput_name_the_services_and_the_excess() {
        // a sends 0.5 × 250 = 125 a year to b, whose throughput is 100 / 1.0 ... = 50
        let t = table(
            "a,,s,ambulant,300,,73.05,,,,b:0.5 exit:0.5,,,\n\
             b,,s,ambulant,100,,365.25,,,,,,,\n",
        );
        let p = flows(&t, 365.0).unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].row, Some(3));
        let m = &p[0].message;
        assert!(m.contains("\"b\" takes in 125.0 youths a year"), "{m}");
        assert!(m.contains("a (row 2) 125.0 = 250.0 × 0.5"), "{m}");
        assert!(m.contains("only 50.0 a year pass through it"), "{m}");
        assert!(m.contains("75.0 a year (150.0%) more"), "{m}");
        assert!(m.contains("at least 250"), "{m}");
    }

    #[test]
    fn a_closed_loop_is_named() {
        let t = table(
            "a,,s,ambulant,300,,30,,,,b:1,,,\n\
             b,,s,ambulant,300,,30,,,,a:1,,,\n\
             c,,s,ambulant,100,,30,,,,a:0.1 exit:0.9,,,\n",
        );
        let p = flows(&t, 365.0).unwrap_err();
        let rows: Vec<_> = p.iter().filter_map(|x| x.row).collect();
        assert!(rows.contains(&2) && rows.contains(&3), "{p:?}");
        assert!(
            p[0].message.contains("a, b only route to each other"),
            "{p:?}"
        );
    }

    #[test]
    fn gauss_solves_and_detects_singular_systems() {
        let mut a = vec![vec![2.0, 1.0], vec![1.0, 3.0]];
        let mut b = vec![3.0, 5.0];
        let x = gauss(&mut a, &mut b).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
        let mut a = vec![vec![1.0, -1.0], vec![-1.0, 1.0]];
        assert!(gauss(&mut a, &mut [0.0, 0.0]).is_none());
    }
}
