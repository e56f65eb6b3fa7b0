//! Comparing a scenario's first whole simulated year with a region table: clients, spend
//! and occupancy per service (and mean wait and waiting list where the table gives
//! them), clients and spend per segment.
//!
//! **How a figure is judged.** The table is one year of one region: a figure passes when
//! the simulated mean is within `--tolerance` of it (default ±5%), or — for a small
//! service, whose year varies by chance more than that — within 1.96 standard deviations
//! of one simulated year (the spread over replications: where 95% of single years fall).
//! An occupancy that whole places cannot reach (see [`super::places`]) is judged against
//! the occupancies of the whole numbers of places either side of it.
//!
//! A segment's clients are distinct youths, so its target is not the sum of its services'
//! clients: youths moving between services of one segment are counted once, and the
//! target is `Σ N_j − Σ λ_i · p_ij` over services `i, j` of the segment (the table's
//! clients less the moves within it).

use crate::experiment::Results;
use crate::model::Model;
use crate::stats::summary::t975;
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;

use super::RegionError;
use super::check::RegionTable;
use super::places::{self, Band};
use super::solve::Solution;
use super::write::{days_in_year, starting_list};

/// The header of `calibration.csv` (contract).
pub const HEADER: &str = "service,segment,measure,target,simulated,ci_low,ci_high,diff_pct";

/// What is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Distinct youths in care in the year (`clients_per_year`).
    Clients,
    /// Euros in the year (`spend_per_year` against the simulated `cost`).
    Spend,
    /// Share of places in use (`occupancy` against `utilisation`).
    Occupancy,
    /// Mean wait of youths admitted in the year, days (`mean_wait_days`).
    MeanWait,
    /// Youths on the waiting list (`waiting_now` against the year's mean list).
    WaitingList,
}

impl Measure {
    /// The name in `calibration.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Clients => "clients",
            Measure::Spend => "spend",
            Measure::Occupancy => "occupancy",
            Measure::MeanWait => "mean_wait_days",
            Measure::WaitingList => "waiting_list",
        }
    }

    fn metric(self) -> Metric {
        match self {
            Measure::Clients => Metric::Clients,
            Measure::Spend => Metric::Cost,
            Measure::Occupancy => Metric::Utilisation,
            Measure::MeanWait => Metric::WaitDaysMean,
            Measure::WaitingList => Metric::WaitingMean,
        }
    }
}

/// One comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// A service id, or `all` for the segment.
    pub service: String,
    pub segment: String,
    pub measure: Measure,
    pub target: f64,
    /// Mean over replications, and its 95% interval (NaN when undefined).
    pub simulated: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Standard deviation of one simulated year (over replications; 0 when unknown).
    pub year_sd: f64,
    /// For an occupancy: the whole places around the table's figure, when they cannot
    /// reach it exactly.
    pub places: Option<Band>,
}

/// Why a figure passes, or that it does not.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// Within the tolerance of the table's figure.
    Within,
    /// Within the tolerance of what whole places allow (the band's occupancies).
    WholePlaces(Band),
    /// Further off than the tolerance, but within 1.96 standard deviations of one
    /// simulated year (this many): chance, for a figure as small as this.
    Chance(f64),
    /// Off.
    Off,
}

impl Verdict {
    pub fn ok(self) -> bool {
        self != Verdict::Off
    }
}

/// How many standard deviations of one simulated year a table's figure may lie from the
/// simulated mean and still pass as chance (95% of years fall within them).
pub const YEAR_Z: f64 = 1.96;

impl Row {
    /// `100 × (simulated − target) / target`; `None` when the target is 0 or nothing
    /// was simulated.
    pub fn diff_pct(&self) -> Option<f64> {
        (self.target != 0.0 && self.simulated.is_finite())
            .then(|| 100.0 * (self.simulated - self.target) / self.target)
    }

    /// Within `tolerance` (a share, 0.05 = ±5%) of the table's figure. A target of 0 is
    /// met by a simulated value that rounds to 0.
    pub fn within(&self, tolerance: f64) -> bool {
        if self.target == 0.0 {
            return self.simulated.is_finite() && self.simulated.abs() < 0.5;
        }
        self.diff_pct()
            .is_some_and(|d| d.abs() <= tolerance * 100.0 + 1e-9)
    }

    /// The verdict at `tolerance` (see the module documentation for the rule).
    pub fn judge(&self, tolerance: f64) -> Verdict {
        if self.within(tolerance) {
            return Verdict::Within;
        }
        if self.target == 0.0 || !self.simulated.is_finite() {
            return Verdict::Off;
        }
        let allowed = tolerance * self.target.abs() * (1.0 + 1e-9);
        let (lo, hi) = self
            .places
            .map_or((self.target, self.target), |b| (b.low, b.high));
        let off = (lo - self.simulated).max(self.simulated - hi).max(0.0);
        match self.places {
            Some(b) if off <= allowed => return Verdict::WholePlaces(b),
            _ => {}
        }
        let spread = YEAR_Z * self.year_sd;
        if self.year_sd.is_finite() && off <= spread {
            Verdict::Chance(spread)
        } else {
            Verdict::Off
        }
    }
}

/// A scenario's first whole year against a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub year: i16,
    pub rows: Vec<Row>,
}

/// The first whole calendar year of the statistics window: (year, its position in
/// [`crate::timeline::Timeline::years`]).
pub fn first_whole_year(model: &Model) -> Option<(i16, usize)> {
    model
        .timeline
        .years
        .iter()
        .enumerate()
        .find_map(|(k, (y, p))| {
            let whole = p.first_day.month() == 1
                && p.first_day.day() == 1
                && (p.days() - days_in_year(*y)).abs() < 1e-9;
            whole.then_some((*y, k))
        })
}

/// Checks that `model` can be compared with `table` before anything runs: it has a whole
/// calendar year, and every service of the table with the same segment. Returns the
/// year and, per table row, the scenario's service index; every mismatch at once.
pub fn matching(
    table: &RegionTable,
    model: &Model,
    scenario: &str,
) -> Result<((i16, usize), Vec<usize>), RegionError> {
    let mut problems = Vec::new();
    let year = first_whole_year(model);
    if year.is_none() {
        problems.push(
            "the scenario holds no whole calendar year after its warmup to compare with the table's year"
                .to_string(),
        );
    }
    let mut services = Vec::new();
    for s in &table.services {
        match model.services.iter().position(|m| m.id == s.id) {
            None => problems.push(format!(
                "service \"{}\" (table row {}) is not in the scenario",
                s.id, s.row
            )),
            Some(i) => {
                let seg = &model.segments[model.services[i].segment.0 as usize];
                if *seg != s.segment {
                    problems.push(format!(
                        "service \"{}\" is in segment \"{}\" in the table (row {}) but in \"{seg}\" in the scenario",
                        s.id, s.segment, s.row
                    ));
                }
                services.push(i);
            }
        }
    }
    match year {
        Some(y) if problems.is_empty() => Ok((y, services)),
        _ => Err(RegionError::Mismatch {
            scenario: scenario.to_string(),
            table: table.file.clone(),
            problems,
        }),
    }
}

/// The table's target for a segment's clients: its services' clients less the moves
/// between them (λ_i · p_ij for i, j in the segment), as a youth who moves within a
/// segment counts once there — except the moves still waiting on 1 January (left care
/// the year before, so new to the segment this year): a starting list's share that came
/// from within the segment.
pub fn segment_clients(table: &RegionTable, sol: &Solution, segment: &str) -> f64 {
    let member = |j: usize| table.services[j].segment == segment;
    let into = |j: usize| -> f64 {
        (0..table.services.len())
            .filter(|&i| member(i))
            .map(|i| sol.flows[i].table_throughput * table.p(i, j))
            .sum()
    };
    let moves: f64 = (0..table.services.len())
        .filter(|&j| member(j))
        .map(|j| {
            let f = &sol.flows[j];
            let list = starting_list(&table.services[j], f.throughput)
                .0
                .map_or(0.0, |(n, _)| n as f64);
            let inside = into(j);
            inside - list * (inside / f.table_throughput).min(1.0)
        })
        .sum();
    let clients: f64 = (0..table.services.len())
        .filter(|&j| member(j))
        .map(|j| table.services[j].clients)
        .sum();
    clients - moves
}

/// Compares `results` of `model` with the table (whose flows `sol` solved): per service
/// clients, spend, occupancy, mean wait and waiting list where the table gives them; per
/// segment clients and spend.
pub fn compare(
    table: &RegionTable,
    sol: &Solution,
    model: &Model,
    results: &Results,
    scenario: &str,
) -> Result<Calibration, RegionError> {
    let ((year, k), services) = matching(table, model, scenario)?;
    let period = PeriodRef::Year(k);
    // a table's spend is at its year's prices, a scenario's tariffs at the prices they are
    // given in: the simulated cost is compared at those (divided by the scenario's index
    // in that year; 1 for a scenario `init` wrote)
    let (_, y) = &model.timeline.years[k];
    let deflate = crate::finance::pricing::index(&model.finance, (y.start + y.end) / 2.0);
    let sim = |level: LevelRef, m: Measure| {
        let s = results.summary(level, m.metric(), period);
        let k = if m == Measure::Spend { deflate } else { 1.0 };
        // the 95% interval is mean ± t · sd / √n: one year's sd from it
        let year_sd = if s.n >= 2 && s.ci_high.is_finite() && s.ci_low.is_finite() {
            (s.ci_high - s.ci_low) / 2.0 * (s.n as f64).sqrt() / t975(s.n - 1)
        } else {
            0.0
        };
        (s.mean / k, s.ci_low / k, s.ci_high / k, year_sd / k)
    };
    let mut rows = Vec::new();
    let mut push = |service: &str,
                    segment: &str,
                    measure,
                    target,
                    (simulated, ci_low, ci_high, year_sd),
                    places: Option<Band>| {
        rows.push(Row {
            service: service.to_string(),
            segment: segment.to_string(),
            measure,
            target,
            simulated,
            ci_low,
            ci_high,
            year_sd,
            places,
        })
    };
    for seg in table.segments() {
        let members: Vec<usize> = (0..table.services.len())
            .filter(|&j| table.services[j].segment == seg)
            .collect();
        for &j in &members {
            let s = &table.services[j];
            let level = LevelRef::Service(services[j]);
            let given = [
                (Measure::Clients, Some(s.clients)),
                (Measure::Spend, s.spend),
                // with a starting list the service is full by design (see solve)
                (Measure::Occupancy, s.occupancy.filter(|_| !s.has_list())),
                (Measure::MeanWait, s.mean_wait_days),
                (Measure::WaitingList, s.waiting_now),
            ];
            for (m, target) in given {
                if let Some(t) = target {
                    let band = (m == Measure::Occupancy)
                        .then(|| places::band(sol.flows[j].caseload, t))
                        .filter(|b| b.fewer != b.more);
                    push(&s.id, seg, m, t, sim(level, m), band);
                }
            }
        }
        let Some(g) = model.segments.iter().position(|x| x == seg) else {
            continue;
        };
        let level = LevelRef::Segment(g);
        push(
            "all",
            seg,
            Measure::Clients,
            segment_clients(table, sol, seg),
            sim(level, Measure::Clients),
            None,
        );
        let spend: Option<f64> = members.iter().map(|&j| table.services[j].spend).sum();
        if let Some(sp) = spend {
            push(
                "all",
                seg,
                Measure::Spend,
                sp,
                sim(level, Measure::Spend),
                None,
            );
        }
    }
    Ok(Calibration { year, rows })
}

fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// `calibration.csv` (contract: [`HEADER`]).
pub fn calibration_csv(c: &Calibration) -> Vec<u8> {
    let mut out = String::from(HEADER);
    out.push('\n');
    for r in &c.rows {
        let d = r.diff_pct().map_or(String::new(), |d| num(d, 2));
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            r.service,
            r.segment,
            r.measure.name(),
            num(r.target, 4),
            num(r.simulated, 4),
            num(r.ci_low, 4),
            num(r.ci_high, 4),
            d
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(target: f64, simulated: f64) -> Row {
        Row {
            service: "a".into(),
            segment: "s".into(),
            measure: Measure::Clients,
            target,
            simulated,
            ci_low: simulated,
            ci_high: simulated,
            year_sd: 0.0,
            places: None,
        }
    }

    #[test]
    fn differences_and_tolerance() {
        assert_eq!(row(200.0, 210.0).diff_pct(), Some(5.0));
        assert!(row(200.0, 210.0).within(0.05));
        assert!(!row(200.0, 210.5).within(0.05));
        assert!(row(200.0, 190.0).within(0.05));
        assert_eq!(row(0.0, 0.2).diff_pct(), None);
        assert!(row(0.0, 0.2).within(0.05));
        assert!(!row(0.0, 3.0).within(0.05));
        assert!(!row(10.0, f64::NAN).within(0.5));
    }

    #[test]
    fn small_figures_are_judged_by_chance_and_whole_places() {
        // 17 youths a year: one simulated year varies by 2 (sd), so 19 is chance at ±5%
        let mut r = row(17.0, 19.0);
        assert_eq!(r.judge(0.05), Verdict::Off);
        r.year_sd = 1.2;
        assert_eq!(r.judge(0.05), Verdict::Chance(1.96 * 1.2));
        // a large service's sd is no excuse for being 20% off
        let mut big = row(3000.0, 3600.0);
        big.year_sd = 45.0;
        assert_eq!(big.judge(0.05), Verdict::Off);
        // 70% occupancy with 6.524 youths: 10 places give 65.2%, which whole places allow
        let mut occ = row(0.7, 0.652);
        occ.measure = Measure::Occupancy;
        assert_eq!(occ.judge(0.05), Verdict::Off);
        let band = places::band(6.524, 0.7);
        occ.places = Some(band);
        assert_eq!(occ.judge(0.05), Verdict::WholePlaces(band));
        // but not 10% below what 10 places give
        occ.simulated = 0.58;
        assert_eq!(occ.judge(0.05), Verdict::Off);
    }

    #[test]
    fn the_csv_has_the_contract_header_and_empty_cells_for_undefined_values() {
        let c = Calibration {
            year: 2024,
            rows: vec![row(200.0, 210.0), row(5.0, f64::NAN)],
        };
        let text = String::from_utf8(calibration_csv(&c)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], HEADER);
        assert_eq!(lines[1], "a,s,clients,200,210,210,210,5");
        assert_eq!(lines[2], "a,s,clients,5,,,,");
    }
}
