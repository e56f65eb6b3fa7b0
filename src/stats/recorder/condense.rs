//! The end of a replication: per-slice cells become one value per (level, metric,
//! period). Services are priced and summed into their segment and the system, then each
//! period (a report interval, a calendar year, the whole window — each a run of slices)
//! sums its slices.

use super::{Cell, Counter, Episodes, Estimated, Recorder};
use crate::measure::{Level, Metric};
use crate::stats::hist::{CostHistogram, WaitHistogram};
use crate::stats::prices::Rates;
use crate::stats::values::RepValues;
use crate::timeline::PeriodRef;

/// Sums over a level's services that are not kept per cell: youths in care and waiting
/// at each slice boundary, and out-of-home days and days waiting for an out-of-home place
/// per slice (index `i * levels + l`).
struct Aggregates {
    snap_occ: Vec<u64>,
    snap_queue: Vec<u64>,
    ooh: Vec<f64>,
    ooh_wait: Vec<f64>,
}

/// A period as a run of slices `[a, b)`, and which new-clients count it uses
/// (0 = interval, 1 = year, 2 = the whole window).
#[derive(Clone, Copy)]
struct Run {
    a: usize,
    b: usize,
    gran: usize,
}

/// The cells of one level summed over one period.
struct PeriodSum {
    cell: Cell,
    ooh_area: f64,
    ooh_wait_area: f64,
    change_load: u32,
}

/// The P×Q cost of a service's slice (volumes × that slice's prices), the cost of every
/// place paid for, used or idle, and the stranded cost of closed places winding down and
/// of freed staff retraining.
fn price(c: &mut Cell, r: &Rates, limited: bool) {
    c.cost_stranded = c.stranded_area * r.stranded_day + c.retrain_area * r.fte_day;
    c.cost = c.occ_area * r.day + c.admissions as f64 * r.admission;
    c.cost_capacity = if limited {
        c.cap_area * (r.day + r.place_day)
    } else {
        c.cost
    };
    c.cost += c.cap_area * r.place_day;
}

impl Recorder<'_> {
    pub(super) fn condense(mut self) -> RepValues {
        let agg = self.aggregate();
        let runs = self.runs();
        let tl = self.tl;
        let periods = tl.periods();
        let mut values = RepValues::undefined(self.lv.index(), periods);
        let n_l = self.n_levels;
        for l in 0..n_l {
            for (p, &run) in runs.iter().enumerate() {
                if run.b > run.a {
                    // days to care are recorded at segments and the system only (NaN at
                    // a service)
                    let p90 = (self.waits.get(p, l), self.to_care.get(p, l));
                    self.period_values(&agg, l, p, run, &mut values, p90);
                }
            }
        }
        values
    }

    /// Prices the services' cells and adds them into their segment and the system.
    fn aggregate(&mut self) -> Aggregates {
        let lv = self.lv;
        let n_s = lv.n_services();
        let n_l = self.n_levels;
        let n_slices = self.tl.slices.len();

        // Aggregate levels: time integrals and snapshots are sums over their services.
        let mut snap_occ = vec![0u64; (n_slices + 1) * n_l];
        let mut snap_queue = vec![0u64; (n_slices + 1) * n_l];
        let mut ooh = vec![0.0; n_slices * n_l];
        let mut ooh_wait = vec![0.0; n_slices * n_l];
        for i in 0..=n_slices {
            for s in 0..n_s {
                let (o, q) = (self.snap_occ[i * n_s + s], self.snap_queue[i * n_s + s]);
                for l in self.levels_of(s) {
                    snap_occ[i * n_l + l] += o as u64;
                    snap_queue[i * n_l + l] += q as u64;
                }
            }
        }
        for i in 0..n_slices {
            for s in 0..n_s {
                if let Some(r) = lv.prices.rates(s, i) {
                    price(&mut self.cells[i * n_l + s], r, lv.limited[s]);
                }
                let c = self.cells[i * n_l + s].clone();
                let cap = if lv.limited[s] { c.cap_area } else { f64::NAN };
                self.cells[i * n_l + s].cap_area = cap;
                for l in self.levels_of(s) {
                    if lv.out_of_home[s] {
                        ooh[i * n_l + l] += c.occ_area;
                        ooh_wait[i * n_l + l] += c.queue_area;
                    }
                    if l != s {
                        self.cells[i * n_l + l].add_service(&c, cap, lv.recruiting[s]);
                    }
                }
            }
        }
        Aggregates {
            snap_occ,
            snap_queue,
            ooh,
            ooh_wait,
        }
    }

    /// The periods in result order (intervals, years, total), each a run of slices.
    fn runs(&self) -> Vec<Run> {
        let tl = self.tl;
        let slices = &tl.slices;
        let n_slices = slices.len();
        let run = |pred: &dyn Fn(usize) -> bool, gran: usize| Run {
            a: (0..n_slices).find(|&i| pred(i)).unwrap_or(0),
            b: (0..n_slices).rfind(|&i| pred(i)).map_or(0, |i| i + 1),
            gran,
        };
        let periods = tl.periods();
        let mut runs = vec![
            Run {
                a: 0,
                b: 0,
                gran: 0
            };
            periods.count()
        ];
        for k in 0..tl.intervals.len() {
            runs[periods.index(PeriodRef::Interval(k))] = run(&|i| slices[i].interval == k, 0);
        }
        for y in 0..tl.years.len() {
            runs[periods.index(PeriodRef::Year(y))] = run(&|i| slices[i].year == y, 1);
        }
        runs[periods.index(PeriodRef::Total)] = Run {
            a: 0,
            b: n_slices,
            gran: 2,
        };
        runs
    }

    /// The cells of level `l` summed over the slices of `run`, in slice order.
    fn sum(&self, agg: &Aggregates, l: usize, run: Run) -> PeriodSum {
        let n_l = self.n_levels;
        let mut sum = Cell::default();
        let mut ooh_area = 0.0;
        let mut ooh_wait_area = 0.0;
        let mut change_load = 0u32;
        for i in run.a..run.b {
            sum.add_slice(&self.cells[i * n_l + l]);
            change_load = change_load.max(self.lv.change_load.get(i).copied().unwrap_or(0));
            ooh_area += agg.ooh[i * n_l + l];
            ooh_wait_area += agg.ooh_wait[i * n_l + l];
        }
        PeriodSum {
            cell: sum,
            ooh_area,
            ooh_wait_area,
            change_load,
        }
    }

    /// Sets every metric of level `l` in period position `p` (the slices of `run`);
    /// `p90` holds its 0.9-quantiles of the wait and of the time to care.
    fn period_values(
        &self,
        agg: &Aggregates,
        l: usize,
        p: usize,
        run: Run,
        values: &mut RepValues,
        (wait_p90, ttc_p90): (f64, f64),
    ) {
        let lv = self.lv;
        let n_s = lv.n_services();
        let n_l = self.n_levels;
        let slices = &self.tl.slices;
        let (a, b) = (run.a, run.b);
        let days = slices[b - 1].end - slices[a].start;
        let PeriodSum {
            cell: sum,
            ooh_area,
            ooh_wait_area,
            change_load,
        } = self.sum(agg, l, run);
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let occupancy = sum.occ_area / days;
        let capacity = sum.cap_area / days;
        // a measure is set only at the levels its row says it is reported at
        let at = if l < n_s {
            Level::Service
        } else if l == lv.all() {
            Level::Region
        } else {
            Level::Segment
        };
        let mut set = |m: Metric, v: f64| {
            if m.measure().reported_at(at) {
                values.set(l, m, p, v);
            }
        };
        set(Metric::Arrivals, sum.arrivals as f64);
        set(Metric::Admissions, sum.admissions as f64);
        set(Metric::Discharges, sum.discharges as f64);
        // youths in care at the start (once, whatever places they hold) and new ones
        let twice = self
            .held_twice
            .get(a * n_l + l)
            .map_or(0, |&n| u64::from(n));
        set(
            Metric::Clients,
            (agg.snap_occ[a * n_l + l] - twice + sum.new_clients[run.gran]) as f64,
        );
        set(Metric::OccupancyMean, occupancy);
        set(Metric::CapacityMean, capacity);
        set(Metric::Utilisation, ratio(occupancy, capacity));
        set(Metric::WaitingMean, sum.queue_area / days);
        set(Metric::WaitingEnd, agg.snap_queue[b * n_l + l] as f64);
        set(
            Metric::WaitDaysMean,
            ratio(sum.wait_sum, sum.admissions as f64),
        );
        set(Metric::WaitDaysP90, wait_p90);
        set(
            Metric::TimeToCareDaysMean,
            ratio(sum.ttc_sum, sum.ttc_n as f64),
        );
        set(Metric::TimeToCareDaysP90, ttc_p90);
        // pathways open at the horizon are estimated in the last slice, so in the periods
        // that end with it
        let estimated = if b == slices.len() {
            self.estimated[l]
        } else {
            Estimated::default()
        };
        set(
            Metric::TimeToCareEstimatedShare,
            ratio(estimated.n as f64, sum.ttc_n as f64),
        );
        set(Metric::TimeToCareLowerBound, estimated.lower_bound as f64);
        set(
            Metric::OverNormShare,
            ratio(sum.over_norm as f64, sum.normed as f64),
        );
        set(Metric::OutOfHomeDays, ooh_area);
        set(Metric::OohWaitDays, ooh_wait_area);
        set(Metric::BlockedDays, sum.blocked_area);
        let counter = |c: Counter| sum.counters[c as usize] as f64;
        set(Metric::Reneged, counter(Counter::Reneged));
        set(Metric::Diverted, counter(Counter::Diverted));
        set(Metric::DivertedPlaced, counter(Counter::Placed));
        set(Metric::Matched, counter(Counter::Matched));
        set(Metric::SecureCareBreaches, counter(Counter::SecureBreach));
        set(Metric::Overflowed, counter(Counter::Overflowed));
        set(Metric::Reentries, counter(Counter::Reentries));
        set(Metric::AgedOut, counter(Counter::AgedOut));
        set(Metric::Moves, counter(Counter::Moves));
        set(Metric::WaitingPeak, sum.waiting_peak as f64);
        if lv.prices.has_rates() {
            set(Metric::Cost, sum.cost);
            set(Metric::CostCapacity, sum.cost_capacity);
            set(Metric::CostStranded, sum.cost_stranded);
        }
        if lv.prices.has_trajectory() {
            set(Metric::CostTrajectory, sum.cost_trajectory);
        }
        if !lv.income.is_empty() && l >= n_s {
            set(Metric::Income, self.income(l - n_s, run));
        }
        let staff = |s: usize| lv.staffed[s] && !lv.recruiting[s];
        let staffed = if l < n_s {
            staff(l)
        } else {
            (0..n_s).any(|s| staff(s) && self.levels_of(s).contains(&l))
        };
        if staffed {
            set(Metric::Fte, sum.fte_area / days);
            set(Metric::Hires, sum.hires);
        }
        if l < n_s && lv.recruiting[l] {
            set(Metric::Families, sum.fte_area / days);
            set(Metric::Recruited, sum.hires);
        } else if l >= n_s && (0..n_s).any(|s| lv.recruiting[s] && self.levels_of(s).contains(&l)) {
            set(Metric::Families, sum.family_area / days);
            set(Metric::Recruited, sum.recruited);
        }
        // the region's own measures (computed here only: the filter above would drop
        // them elsewhere anyway)
        if l == lv.all() {
            set(Metric::MaxChangeLoad, change_load as f64);
            if let Some(idle) = self.family_places_idle(agg, run, days) {
                set(Metric::FamilyPlacesIdle, idle);
            }
            self.episode_values(run, &mut set);
        }
    }

    /// Income from outside over the slices of `run`: segment `g`'s, or the system's for
    /// `g` = the number of segments.
    fn income(&self, g: usize, run: Run) -> f64 {
        let n_g = self.lv.n_segments;
        (run.a..run.b)
            .map(|i| {
                let row = &self.lv.income[i * n_g..(i + 1) * n_g];
                if g < n_g { row[g] } else { row.iter().sum() }
            })
            .sum()
    }

    /// Idle family-like places over the slices of `run` (time-average places minus youths
    /// in care, summed over the family services with a capacity); `None` without any.
    fn family_places_idle(&self, agg: &Aggregates, run: Run, days: f64) -> Option<f64> {
        let lv = self.lv;
        let family: Vec<usize> = (0..lv.n_services())
            .filter(|&s| lv.family[s] && lv.limited[s])
            .collect();
        if family.is_empty() {
            return None;
        }
        let idle: f64 = family
            .iter()
            .map(|&s| {
                let c = self.sum(agg, s, run).cell;
                c.cap_area - c.occ_area
            })
            .sum();
        Some(idle / days)
    }

    /// The system's cost concentration and care-episode metrics over the slices of `run`.
    fn episode_values(&self, run: Run, set: &mut impl FnMut(Metric, f64)) {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let episodes = &self.episodes[run.a..run.b];
        if self.lv.prices.has_rates() {
            let mut cost = CostHistogram::default();
            for ep in episodes {
                cost.merge(&ep.cost);
            }
            set(Metric::CostTop10Share, cost.top_share(0.1));
            set(Metric::CostPerYouthP50, cost.quantile(0.5));
            set(Metric::CostPerYouthP90, cost.quantile(0.9));
        }
        let mut e = Episodes::default();
        let mut ooh_hist = WaitHistogram::default();
        for ep in episodes {
            e.n += ep.n;
            e.moves_sum += ep.moves_sum;
            for (x, y) in e.moves_hist.iter_mut().zip(ep.moves_hist) {
                *x += y;
            }
            e.ooh_sum += ep.ooh_sum;
            if let Some(h) = &ep.ooh_hist {
                ooh_hist.merge(h);
            }
        }
        let n = e.n as f64;
        set(Metric::EpisodeMovesMean, ratio(e.moves_sum as f64, n));
        set(Metric::EpisodeMovesP90, int_quantile(&e.moves_hist, 0.9));
        set(Metric::EpisodeOohDaysMean, ratio(e.ooh_sum, n));
        set(Metric::EpisodeOohDaysP90, ooh_hist.quantile(0.9));
    }
}

/// The `q`-quantile of small integers given by their counts (the smallest value with at
/// least a share `q` at or below it), or NaN when there are none.
fn int_quantile(counts: &[u64], q: f64) -> f64 {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return f64::NAN;
    }
    let mut acc = 0;
    for (v, c) in counts.iter().enumerate() {
        acc += c;
        if acc as f64 >= q * n as f64 {
            return v as f64;
        }
    }
    (counts.len() - 1) as f64
}

impl Cell {
    /// Adds a later slice of the same level: every field summed, the waiting-list peak the
    /// larger. Every field is named, so a new one cannot be left out unseen.
    fn add_slice(&mut self, c: &Cell) {
        let Cell {
            counters,
            blocked_area,
            stranded_area,
            retrain_area,
            fte_area,
            hires,
            family_area,
            recruited,
            cost,
            cost_capacity,
            cost_stranded,
            cost_trajectory,
            waiting_peak,
            arrivals,
            admissions,
            discharges,
            new_clients,
            wait_sum,
            normed,
            over_norm,
            ttc_n,
            ttc_sum,
            occ_area,
            queue_area,
            cap_area,
        } = c;
        for (a, b) in self.counters.iter_mut().zip(counters) {
            *a += b;
        }
        self.blocked_area += blocked_area;
        self.stranded_area += stranded_area;
        self.retrain_area += retrain_area;
        self.fte_area += fte_area;
        self.hires += hires;
        self.family_area += family_area;
        self.recruited += recruited;
        self.cost += cost;
        self.cost_capacity += cost_capacity;
        self.cost_stranded += cost_stranded;
        self.cost_trajectory += cost_trajectory;
        self.waiting_peak = self.waiting_peak.max(*waiting_peak);
        self.arrivals += arrivals;
        self.admissions += admissions;
        self.discharges += discharges;
        for (a, b) in self.new_clients.iter_mut().zip(new_clients) {
            *a += b;
        }
        self.wait_sum += wait_sum;
        self.normed += normed;
        self.over_norm += over_norm;
        self.ttc_n += ttc_n;
        self.ttc_sum += ttc_sum;
        self.occ_area += occ_area;
        self.queue_area += queue_area;
        self.cap_area += cap_area;
    }

    /// Adds a priced service's cell into its segment's or the system's, with its capacity
    /// area `cap` (NaN for an unlimited service). Every field is named: the time integrals,
    /// costs and counters add up; what the recorder writes at every level as it happens (a
    /// referral counts once in its segment, not once per service it passes) does not.
    fn add_service(&mut self, c: &Cell, cap: f64, recruiting: bool) {
        let Cell {
            counters,
            blocked_area,
            stranded_area,
            retrain_area,
            fte_area,
            hires,
            family_area: _,
            recruited: _,
            cost,
            cost_capacity,
            cost_stranded,
            cost_trajectory: _,
            waiting_peak: _,
            arrivals: _,
            admissions: _,
            discharges: _,
            new_clients: _,
            wait_sum: _,
            normed: _,
            over_norm: _,
            ttc_n: _,
            ttc_sum: _,
            occ_area,
            queue_area,
            cap_area: _,
        } = c;
        self.occ_area += occ_area;
        self.queue_area += queue_area;
        self.cap_area += cap;
        self.blocked_area += blocked_area;
        self.stranded_area += stranded_area;
        self.retrain_area += retrain_area;
        self.cost_stranded += cost_stranded;
        // families (a recruiting service's stock) are not staff
        if recruiting {
            self.family_area += fte_area;
            self.recruited += hires;
        } else {
            self.fte_area += fte_area;
            self.hires += hires;
        }
        self.cost += cost;
        self.cost_capacity += cost_capacity;
        for (a, b) in self.counters.iter_mut().zip(counters) {
            *a += b;
        }
    }
}
