//! Streaming statistics of one replication.
//!
//! The recorder sees each arrival, admission, discharge and change of a service's
//! occupancy, waiting list or capacity, and adds it to the current *slice* (see
//! [`crate::timeline`]). Three **levels** are kept: each service, each segment
//! (`service = all`) and the whole system (`all`/`all`).
//!
//! Flows at the segment and system level count crossings of that level's border: a
//! transfer between two services of one segment is an admission of the second service,
//! but not of the segment; the system's arrivals are new referrals only. The waits
//! reported at a level are those of the admissions it counts.
//!
//! At the segment and system level, `over_norm_share` and the time to care come from
//! *pathways* (see `model/sim/pathway.rs`): from the referral into the segment (or into
//! care) to the first admission that is not an assessment, judged against the norms of
//! the service where the pathway entered, with giving up and overflow counted as breaches.
//! At a service, `over_norm_share` judges the wait there against its `norm`, and counts
//! youths who gave up waiting or overflowed there as breaches too.
//!
//! `clients` (distinct youths in care at any time in a period) is computed as the
//! youths in care when the period starts plus the admissions during it of youths not yet
//! in care at that level in that period. Each youth carries [`Mark`]s — when it last left
//! each level — so the check costs a short scan, and nothing is stored per period.

mod ahead;
mod condense;
mod marks;
mod p90;

use super::hist::{CostHistogram, WaitHistogram, bin_of};
use super::norm::PathwayNorm;
use super::prices::PriceTable;
use super::values::{LevelIndex, LevelRef, RepValues};
use crate::timeline::{PeriodRef, Timeline};
use ahead::Estimated;
pub use ahead::RecentFlow;
pub use marks::{Mark, Partner};
use p90::{Ending, P90s};

const NONE: usize = usize::MAX;
/// Granularities: 0 = report interval, 1 = calendar year, 2 = the whole window.
const GRANS: usize = 3;

/// What the recorder needs to know about the services.
#[derive(Clone, Debug)]
pub struct Levels {
    /// Segment index of each service.
    pub seg_of: Vec<u16>,
    pub n_segments: usize,
    /// Wait-time norm per service, days; NaN when the service has none.
    pub norm: Vec<f64>,
    /// Norms of the pathways entering their segment (or care) at each service.
    pub pathway_norm: Vec<Option<PathwayNorm>>,
    /// Whether a stay at the service is an out-of-home placement.
    pub out_of_home: Vec<bool>,
    /// Whether the service is a family-like place (`setting = "family"`).
    pub family: Vec<bool>,
    /// Whether the service's places come from a recruitment pipeline (its staff are
    /// families, reported as `families` and `recruited`, not `fte` and `hires`).
    pub recruiting: Vec<bool>,
    /// Income from outside per slice and segment (`[slice * segments + segment]`), euros;
    /// empty when the model has none.
    pub income: Vec<f64>,
    /// Whether the service has a capacity (else `capacity_mean` is undefined).
    pub limited: Vec<bool>,
    /// Whether the service's capacity comes from staff (else `fte` is undefined).
    pub staffed: Vec<bool>,
    /// Segments in a procurement transition, per slice (the load of its quarter).
    pub change_load: Vec<u32>,
    /// Tariff rates per service and slice, and trajectory prices per segment, profile
    /// and slice; empty parts record no cost.
    pub prices: PriceTable,
}

impl Levels {
    /// Number of services.
    pub fn n_services(&self) -> usize {
        self.seg_of.len()
    }
    /// How levels are numbered: services, then segments, then the whole system.
    #[inline]
    pub fn index(&self) -> LevelIndex {
        LevelIndex::new(self.n_services(), self.n_segments)
    }
    /// Number of levels.
    pub fn count(&self) -> usize {
        self.index().count()
    }
    /// The level of segment `g`.
    #[inline]
    pub fn segment(&self, g: usize) -> usize {
        self.index().index(LevelRef::Segment(g))
    }
    /// The level of the whole system.
    #[inline]
    pub fn all(&self) -> usize {
        self.index().index(LevelRef::All)
    }
}

/// Events counted at the service where they happen; segments and the system sum them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Reneged,
    Diverted,
    Overflowed,
    Reentries,
    AgedOut,
    Moves,
    /// A diverted youth placed after all, at the service it was diverted from.
    Placed,
    /// A referral here placed in a family place instead (matching), at the group.
    Matched,
    /// A youth who needs secure care and waits for it, at the secure service.
    SecureBreach,
}

const COUNTERS: usize = 9;

/// The level of a pathway to care: the segment it entered, or care as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Segment,
    Care,
}

#[derive(Clone, Default)]
struct Cell {
    counters: [u64; COUNTERS],
    blocked_area: f64,
    /// Closed places winding down (place-days), and FTE retraining (FTE-days).
    stranded_area: f64,
    retrain_area: f64,
    fte_area: f64,
    hires: f64,
    /// Segment and system levels: the families of their recruiting services (family-days)
    /// and the families recruited — kept apart from staff.
    family_area: f64,
    recruited: f64,
    /// Euros: P×Q, and every place paid for (capacity-based lump sum).
    cost: f64,
    cost_capacity: f64,
    /// Euros of closed places winding down and of staff retraining (stranded cost).
    cost_stranded: f64,
    /// Euros of trajectory prices for entries into the segment (segment and system levels).
    cost_trajectory: f64,
    /// Largest waiting list in the slice.
    waiting_peak: u64,
    arrivals: u64,
    admissions: u64,
    discharges: u64,
    new_clients: [u64; GRANS],
    wait_sum: f64,
    /// Judged against a norm, and over it (waits at a service, pathways at a segment or
    /// the system; giving up and overflow count as over).
    normed: u64,
    over_norm: u64,
    /// Pathways that reached care, and their days to care summed.
    ttc_n: u64,
    ttc_sum: f64,
    occ_area: f64,
    queue_area: f64,
    cap_area: f64,
}

/// A level that changes in steps (occupancy, waiting list, capacity, blocked places) and
/// its time integral so far.
#[derive(Clone, Copy, Default)]
struct Step {
    value: u32,
    last: f64,
}

/// What a time integral is kept of, per service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Youths in care (holding a place).
    Occupancy,
    /// Youths on the waiting list.
    Waiting,
    /// Places (0 for an unlimited service).
    Capacity,
    /// Youths holding a place after their stay (bed blocking).
    Blocked,
    /// Closed places whose fixed cost still runs (wind-down).
    Stranded,
}

const LEVELS: usize = 5;

/// Per slice: care episodes that included an out-of-home stay and ended in it, and the
/// youth-years closed in it.
#[derive(Clone, Default)]
struct Episodes {
    n: u64,
    moves_sum: u64,
    /// Episodes by number of moves (the last bin holds 31 and more).
    moves_hist: [u64; 32],
    ooh_sum: f64,
    ooh_hist: Option<WaitHistogram>,
    /// Cost of every youth-year closed in the slice (a youth's cost in one calendar year,
    /// all its episodes summed), whatever its settings.
    cost: CostHistogram,
}

/// Per-replication statistics under construction.
pub struct Recorder<'a> {
    tl: &'a Timeline,
    lv: &'a Levels,
    n_levels: usize,
    cur: usize,
    /// Index of the current slice's first cell (`cur * n_levels`; 0 before the first).
    base: usize,
    /// The segment level of each service, and the level of the whole system.
    seg_level: Vec<usize>,
    all_level: usize,
    period_start: [f64; GRANS],
    cells: Vec<Cell>,
    /// 0.9-quantiles per level and period of the waits of admissions, and of the days to
    /// care of the pathways that reached care, finished as the slices end.
    waits: P90s,
    to_care: P90s,
    /// Per service and [`Level`]: the current value and when it last changed.
    track: Vec<[Step; LEVELS]>,
    /// Per service: productive FTE now and when it last changed; the same for FTE
    /// retraining elsewhere.
    fte: Vec<(f64, f64)>,
    retraining: Vec<(f64, f64)>,
    /// Youths waiting now, per level (services, segments, system).
    waiting_now: Vec<u64>,
    /// Occupancy and waiting per service at the start of each slice, and at the end.
    snap_occ: Vec<u32>,
    snap_queue: Vec<u32>,
    /// Per slice: care episodes with an out-of-home stay that ended in it.
    episodes: Vec<Episodes>,
    /// Per level: pathways open at the horizon, whose time to care is estimated.
    estimated: Vec<Estimated>,
    /// Per slice and level: youths holding two places there as the slice starts (care
    /// alongside; empty when nobody does).
    held_twice: Vec<u32>,
}

impl<'a> Recorder<'a> {
    /// A recorder for one replication; statistics start at the first slice boundary.
    pub fn new(tl: &'a Timeline, lv: &'a Levels) -> Self {
        let n_levels = lv.count();
        let n_slices = tl.slices.len();
        let s = lv.n_services();
        Recorder {
            tl,
            lv,
            n_levels,
            cur: NONE,
            base: 0,
            seg_level: lv.seg_of.iter().map(|&g| lv.segment(g as usize)).collect(),
            all_level: lv.all(),
            period_start: [0.0; GRANS],
            cells: vec![Cell::default(); n_slices * n_levels],
            waits: P90s::new(n_levels, tl.periods().count()),
            to_care: P90s::new(n_levels, tl.periods().count()),
            track: vec![[Step::default(); LEVELS]; s],
            fte: vec![(0.0, 0.0); s],
            retraining: vec![(0.0, 0.0); s],
            waiting_now: vec![0; n_levels],
            snap_occ: vec![0; (n_slices + 1) * s],
            snap_queue: vec![0; (n_slices + 1) * s],
            episodes: vec![Episodes::default(); n_slices],
            estimated: vec![Estimated::default(); n_levels],
            held_twice: Vec::new(),
        }
    }

    /// Times of the slice boundaries, in order (the simulation schedules these).
    pub fn boundaries(&self) -> impl Iterator<Item = f64> + '_ {
        self.tl.slices.iter().map(|s| s.start)
    }

    #[inline]
    fn crossing(&self, s: usize, other: Option<usize>) -> (bool, bool) {
        match other {
            None => (true, true),
            Some(o) => (self.lv.seg_of[o] != self.lv.seg_of[s], false),
        }
    }

    #[inline]
    fn levels_of(&self, s: usize) -> [usize; 3] {
        [s, self.seg_level[s], self.all_level]
    }

    /// A youth is referred to service `s`, from service `origin` or from outside.
    #[inline(always)]
    pub fn arrival(&mut self, s: usize, origin: Option<usize>) {
        if self.cur == NONE {
            return;
        }
        let (seg, all) = self.crossing(s, origin);
        let [l0, l1, l2] = self.levels_of(s);
        let base = self.base;
        self.cells[base + l0].arrivals += 1;
        if seg {
            self.cells[base + l1].arrivals += 1;
        }
        if all {
            self.cells[base + l2].arrivals += 1;
        }
    }

    #[inline(always)]
    fn admit_at(&mut self, idx: usize, wait: f64, bin: usize, norm: f64) {
        let c = &mut self.cells[idx];
        c.admissions += 1;
        c.wait_sum += wait;
        if !norm.is_nan() {
            c.normed += 1;
            if wait > norm {
                c.over_norm += 1;
            }
        }
        self.waits.add_bin(idx - self.base, bin);
    }

    /// A youth of profile `profile` referred from `origin` is admitted to `s` after waiting
    /// `wait` days; `marks` are its own, and its other episode's when it has care
    /// alongside (it is a new client at a level where neither is nor was in care).
    #[inline(always)]
    pub fn admission(
        &mut self,
        s: usize,
        origin: Option<usize>,
        wait: f64,
        (marks, partner): (&[Mark], Partner),
        profile: u8,
    ) {
        if self.cur == NONE {
            return;
        }
        let (seg, all) = self.crossing(s, origin);
        let levels = self.levels_of(s);
        let base = self.base;
        let norm = self.lv.norm[s];
        let bin = bin_of(wait);
        self.admit_at(base + levels[0], wait, bin, norm);
        // segments and the system judge pathways, not this wait (see `care_started`)
        if seg {
            self.admit_at(base + levels[1], wait, bin, f64::NAN);
            if self.lv.prices.has_trajectory() {
                self.trajectory_entry(s, profile);
            }
        }
        if all {
            self.admit_at(base + levels[2], wait, bin, f64::NAN);
        }
        // period starts are nested (interval ≥ year ≥ window), so a youth new to the
        // window is new to its year, and new to the year is new to the interval
        let [p_int, p_year, p_all] = self.period_start;
        let (p_marks, p_holds) = partner.unwrap_or((&[], None));
        let p_levels = p_holds.map(|h| self.levels_of(h));
        for level in levels {
            if p_levels.is_some_and(|pl| pl.contains(&level)) {
                // its other episode is in care at this level: not a new client
                continue;
            }
            let left = Mark::left(marks, level).max(Mark::left(p_marks, level));
            if left < p_int {
                let n = &mut self.cells[base + level].new_clients;
                n[0] += 1;
                if left < p_year {
                    n[1] += 1;
                    if left < p_all {
                        n[2] += 1;
                    }
                }
            }
        }
    }

    /// A youth of `profile` entered the segment of service `s`: its trajectory price is
    /// paid (kept out of line: most scenarios price no trajectories).
    #[cold]
    #[inline(never)]
    fn trajectory_entry(&mut self, s: usize, profile: u8) {
        let [_, seg, all] = self.levels_of(s);
        let base = self.base;
        let g = self.lv.seg_of[s] as usize;
        let price = self.lv.prices.trajectory(g, profile as usize, self.cur);
        self.cells[base + seg].cost_trajectory += price;
        self.cells[base + all].cost_trajectory += price;
    }

    /// A stay at `s` ends at `t`; the youth goes to service `dest` or leaves care (`None`).
    /// `marks` is `None` when the youth will never return, so nothing need be remembered.
    #[inline]
    pub fn discharge(
        &mut self,
        t: f64,
        s: usize,
        dest: Option<usize>,
        marks: Option<&mut Vec<Mark>>,
    ) {
        let crossing = self.crossing(s, dest);
        self.discharge_crossing(t, s, crossing, marks);
    }

    /// An episode of care alongside ends at `t` at `s`: it leaves its segment, but its
    /// youth's care in the region is counted by the youth's own episode.
    pub fn discharge_alongside(&mut self, t: f64, s: usize, marks: Option<&mut Vec<Mark>>) {
        self.discharge_crossing(t, s, (true, false), marks);
    }

    /// A stay at `s` ends at `t`, crossing the border of the segment and of the system as
    /// `(seg, all)` say.
    #[inline(always)]
    fn discharge_crossing(
        &mut self,
        t: f64,
        s: usize,
        (seg, all): (bool, bool),
        marks: Option<&mut Vec<Mark>>,
    ) {
        let levels = self.levels_of(s);
        if let Some(marks) = marks {
            for level in levels {
                match marks.iter_mut().find(|m| m.level as usize == level) {
                    Some(m) => m.t = t,
                    None => marks.push(Mark {
                        level: level as u32,
                        t,
                    }),
                }
            }
        }
        if self.cur == NONE {
            return;
        }
        let base = self.base;
        self.cells[base + levels[0]].discharges += 1;
        if seg {
            self.cells[base + levels[1]].discharges += 1;
        }
        if all {
            self.cells[base + levels[2]].discharges += 1;
        }
    }

    /// One `counter` event at service `s`. Giving up and overflow at a service with a
    /// norm are breaches of it.
    #[inline]
    pub fn event(&mut self, s: usize, counter: Counter) {
        if self.cur != NONE {
            let c = &mut self.cells[self.base + s];
            c.counters[counter as usize] += 1;
            if matches!(counter, Counter::Reneged | Counter::Overflowed)
                && !self.lv.norm[s].is_nan()
            {
                c.normed += 1;
                c.over_norm += 1;
            }
        }
    }

    /// The level of a pathway of `scope` that entered at service `entry`, in this slice.
    #[inline]
    fn path_cell(&self, scope: Scope, entry: usize) -> usize {
        let level = match scope {
            Scope::Segment => self.seg_level[entry],
            Scope::Care => self.all_level,
        };
        self.base + level
    }

    /// A pathway of `scope` that entered at service `entry` reached care: `intake_wait`
    /// days after its referral it was first admitted, `to_care` days after it care began.
    /// `judge`: it is judged against its norms (unless its breach was counted already).
    #[inline(always)]
    pub fn care_started(
        &mut self,
        scope: Scope,
        entry: usize,
        intake_wait: f64,
        to_care: f64,
        judge: bool,
    ) {
        if self.cur == NONE {
            return;
        }
        let idx = self.path_cell(scope, entry);
        self.tally_to_care(idx, to_care);
        let c = &mut self.cells[idx];
        if judge && let Some(norm) = &self.lv.pathway_norm[entry] {
            c.normed += 1;
            if norm.broken(intake_wait, to_care) {
                c.over_norm += 1;
            }
        }
    }

    /// One pathway's time to care of `to_care` days in cell `idx`: its count, sum and
    /// histogram (a pathway whose care started, or one estimated at the horizon).
    #[inline(always)]
    fn tally_to_care(&mut self, idx: usize, to_care: f64) {
        let c = &mut self.cells[idx];
        c.ttc_n += 1;
        c.ttc_sum += to_care;
        self.to_care.add(idx - self.base, to_care);
    }

    /// A pathway of `scope` that entered at service `entry` broke its norm before care
    /// began: the youth gave up waiting, or overflowed.
    pub fn breach(&mut self, scope: Scope, entry: usize) {
        if self.cur == NONE || self.lv.pathway_norm[entry].is_none() {
            return;
        }
        let idx = self.path_cell(scope, entry);
        let c = &mut self.cells[idx];
        c.normed += 1;
        c.over_norm += 1;
    }

    /// A youth's year in care cost `euros` (all its episodes in one calendar year, summed;
    /// recorded when the year ends or the youth leaves care for good; for cost
    /// concentration).
    pub fn youth_year_cost(&mut self, euros: f64) {
        if self.cur != NONE {
            self.episodes[self.cur].cost.add(euros);
        }
    }

    /// As the current slice starts, one youth holds places at `a` and `b` (its own and
    /// its episode alongside): at the levels both are in, it is one youth in care, not two
    /// (`clients` counts the youths in care at a period's start).
    pub fn held_twice(&mut self, a: usize, b: usize) {
        if self.cur == NONE {
            return;
        }
        if self.held_twice.is_empty() {
            self.held_twice = vec![0; self.tl.slices.len() * self.n_levels];
        }
        let (la, lb) = (self.levels_of(a), self.levels_of(b));
        for l in la.into_iter().filter(|l| lb.contains(l)) {
            self.held_twice[self.base + l] += 1;
        }
    }

    /// Whether the next slice boundary starts a calendar year (the first slice of the
    /// window starts one): the simulation closes its youths' years there.
    pub fn year_begins(&self) -> bool {
        let slices = &self.tl.slices;
        if self.cur == NONE {
            return true;
        }
        slices
            .get(self.cur + 1)
            .is_some_and(|n| n.year != slices[self.cur].year)
    }

    /// A care episode ended with `moves` breakdown moves and `ooh_days` out of home; only
    /// episodes with an out-of-home stay are kept.
    pub fn episode(&mut self, moves: u32, ooh_days: f64) {
        if self.cur == NONE || ooh_days <= 0.0 {
            return;
        }
        let e = &mut self.episodes[self.cur];
        e.n += 1;
        e.moves_sum += moves as u64;
        e.moves_hist[(moves as usize).min(31)] += 1;
        e.ooh_sum += ooh_days;
        e.ooh_hist
            .get_or_insert_with(Default::default)
            .add(ooh_days);
    }

    /// `level` of service `s` changes to `value` at time `t`. Each quantity is integrated
    /// only when it changes, so an admission costs one multiply-add.
    #[inline(always)]
    pub fn set(&mut self, t: f64, s: usize, level: Level, value: u32) {
        let cur = self.cur;
        let step = &mut self.track[s][level as usize];
        if cur != NONE {
            let area = step.value as f64 * (t - step.last);
            let c = &mut self.cells[self.base + s];
            match level {
                Level::Occupancy => c.occ_area += area,
                Level::Waiting => c.queue_area += area,
                Level::Capacity => c.cap_area += area,
                Level::Blocked => c.blocked_area += area,
                Level::Stranded => c.stranded_area += area,
            }
        }
        let old = step.value;
        *step = Step { value, last: t };
        if level == Level::Waiting && old != value {
            // running totals per level, for the peak of the waiting list; a list that
            // shrinks cannot raise a peak
            let levels = self.levels_of(s);
            if value > old {
                let up = u64::from(value - old);
                for l in levels {
                    let w = &mut self.waiting_now[l];
                    *w += up;
                    if cur != NONE {
                        let c = &mut self.cells[self.base + l];
                        c.waiting_peak = c.waiting_peak.max(*w);
                    }
                }
            } else {
                let down = u64::from(old - value);
                for l in levels {
                    self.waiting_now[l] -= down;
                }
            }
        }
    }

    /// Productive FTE of service `s` changes to `fte` at time `t`.
    pub fn set_fte(&mut self, t: f64, s: usize, fte: f64) {
        let (old, last) = self.fte[s];
        if self.cur != NONE {
            self.cells[self.base + s].fte_area += old * (t - last);
        }
        self.fte[s] = (fte, t);
    }

    /// FTE freed at service `s` and retraining elsewhere change to `fte` at time `t`.
    pub fn set_retraining(&mut self, t: f64, s: usize, fte: f64) {
        let (old, last) = self.retraining[s];
        if self.cur != NONE {
            self.cells[self.base + s].retrain_area += old * (t - last);
        }
        self.retraining[s] = (fte, t);
    }

    /// Service `s` hires `fte` FTE.
    pub fn hires(&mut self, s: usize, fte: f64) {
        if self.cur != NONE {
            self.cells[self.base + s].hires += fte;
        }
    }

    fn flush(&mut self, t: f64) {
        for s in 0..self.fte.len() {
            let f = self.fte[s].0;
            self.set_fte(t, s, f);
            let r = self.retraining[s].0;
            self.set_retraining(t, s, r);
        }
        for s in 0..self.track.len() {
            for level in [
                Level::Occupancy,
                Level::Waiting,
                Level::Capacity,
                Level::Blocked,
                Level::Stranded,
            ] {
                let v = self.track[s][level as usize].value;
                self.set(t, s, level, v);
            }
        }
    }

    fn snapshot(&mut self, idx: usize) {
        let n = self.track.len();
        for (s, tr) in self.track.iter().enumerate() {
            self.snap_occ[idx * n + s] = tr[Level::Occupancy as usize].value;
            self.snap_queue[idx * n + s] = tr[Level::Waiting as usize].value;
        }
    }

    /// The next slice starts at `t`.
    pub fn boundary(&mut self, t: f64) {
        self.flush(t);
        let next = if self.cur == NONE { 0 } else { self.cur + 1 };
        if next >= self.tl.slices.len() {
            return;
        }
        if self.cur != NONE {
            self.close_slice(self.cur);
        }
        self.cur = next;
        self.base = next * self.n_levels;
        self.snapshot(next);
        let base = self.base;
        for l in 0..self.n_levels {
            self.cells[base + l].waiting_peak = self.waiting_now[l];
        }
        let slice = &self.tl.slices[next];
        self.period_start = [
            self.tl.intervals[slice.interval].start,
            self.tl.years[slice.year].1.start,
            self.tl.warmup,
        ];
    }

    /// Slice `i` ends: its durations join their periods, and the periods that end with it
    /// get their percentiles.
    fn close_slice(&mut self, i: usize) {
        let slices = &self.tl.slices;
        let (sl, next) = (&slices[i], slices.get(i + 1));
        let periods = self.tl.periods();
        let ending = Ending {
            interval: next
                .is_none_or(|n| n.interval != sl.interval)
                .then(|| periods.index(PeriodRef::Interval(sl.interval))),
            year: next
                .is_none_or(|n| n.year != sl.year)
                .then(|| periods.index(PeriodRef::Year(sl.year))),
            total: next.is_none().then(|| periods.index(PeriodRef::Total)),
        };
        self.waits.close(ending);
        self.to_care.close(ending);
    }

    /// Ends the replication at time `t` (the horizon) and condenses the statistics.
    pub fn finish(mut self, t: f64) -> RepValues {
        self.flush(t);
        if self.cur != NONE {
            self.close_slice(self.cur);
        }
        let n_slices = self.tl.slices.len();
        self.snapshot(n_slices);
        self.condense()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Metric;
    use crate::timeline::{Interval, Timeline};
    use jiff::civil::date;

    fn lvl(r: &mut Recorder, t: f64, s: usize, occ: u32, queue: u32, cap: u32) {
        r.set(t, s, Level::Occupancy, occ);
        r.set(t, s, Level::Waiting, queue);
        r.set(t, s, Level::Capacity, cap);
    }

    fn setup() -> (Timeline, Levels) {
        // two services in segment 0, one in segment 1; 2024 in months + 2025 Jan..Feb
        let tl = Timeline::new(date(2024, 1, 1), 366 + 59, 0, Interval::Month);
        let lv = Levels {
            seg_of: vec![0, 0, 1],
            n_segments: 2,
            norm: vec![10.0, f64::NAN, f64::NAN],
            pathway_norm: vec![
                Some(PathwayNorm {
                    intake: 10.0,
                    treatment: None,
                }),
                None,
                None,
            ],
            out_of_home: vec![false, true, false],
            family: vec![false; 3],
            recruiting: vec![false; 3],
            income: Vec::new(),
            limited: vec![true, true, false],
            staffed: vec![false; 3],
            change_load: Vec::new(),
            prices: PriceTable::new(tl.slices.len(), 1),
        };
        (tl, lv)
    }

    #[test]
    fn distinct_clients_count_each_youth_once_per_level_and_period() {
        let (tl, mut lv) = setup();
        // segment 0 is paid 1000 euros per trajectory (an entry into it), segment 1 nothing
        lv.prices
            .fill_trajectory(2, |g, _, _| if g == 0 { 1000.0 } else { 0.0 });
        let mut r = Recorder::new(&tl, &lv);
        r.boundary(0.0);
        let mut marks = Vec::new();
        // one youth: service 0 on day 1..5, transfer to service 1 (same segment) day 5..40,
        // then to service 2 (other segment) day 40..50, then back to service 0 day 50..60
        r.arrival(0, None);
        r.admission(0, None, 0.0, (&marks, None), 0);
        lvl(&mut r, 1.0, 0, 1, 0, 10);
        r.discharge(5.0, 0, Some(1), Some(&mut marks));
        lvl(&mut r, 5.0, 0, 0, 0, 10);
        r.arrival(1, Some(0));
        r.admission(1, Some(0), 0.0, (&marks, None), 0);
        lvl(&mut r, 5.0, 1, 1, 0, 10);
        r.boundary(31.0); // February starts
        r.discharge(40.0, 1, Some(2), Some(&mut marks));
        lvl(&mut r, 40.0, 1, 0, 0, 10);
        r.admission(2, Some(1), 0.0, (&marks, None), 0);
        lvl(&mut r, 40.0, 2, 1, 0, 0);
        r.discharge(50.0, 2, Some(0), Some(&mut marks));
        lvl(&mut r, 50.0, 2, 0, 0, 0);
        r.admission(0, Some(2), 12.0, (&marks, None), 0);
        lvl(&mut r, 50.0, 0, 1, 0, 10);
        r.discharge(60.0, 0, None, Some(&mut marks));
        lvl(&mut r, 60.0, 0, 0, 0, 10);
        for t in [
            60.0, 91.0, 121.0, 152.0, 182.0, 213.0, 244.0, 274.0, 305.0, 335.0, 366.0, 397.0,
        ] {
            r.boundary(t);
        }
        let v = r.finish(425.0);
        let total = v.n_periods() - 1;
        let year2024 = v.n_periods() - 3;
        let seg0 = lv.segment(0);
        // Jan: service 0 and 1 each had the youth, segment 0 once, all once
        assert_eq!(v.get(0, Metric::Clients, 0), 1.0);
        assert_eq!(v.get(1, Metric::Clients, 0), 1.0);
        assert_eq!(v.get(seg0, Metric::Clients, 0), 1.0);
        // Feb: youth in service 1 at the start (snapshot), then 2, then back to 0
        assert_eq!(v.get(1, Metric::Clients, 1), 1.0);
        assert_eq!(v.get(0, Metric::Clients, 1), 1.0);
        assert_eq!(v.get(seg0, Metric::Clients, 1), 1.0);
        assert_eq!(v.get(lv.all(), Metric::Clients, 1), 1.0);
        // the year and the total: one youth everywhere
        for p in [year2024, total] {
            for l in [0, 1, 2, seg0, lv.segment(1), lv.all()] {
                assert_eq!(v.get(l, Metric::Clients, p), 1.0, "level {l} period {p}");
            }
        }
        // flows: the system saw one arrival and one discharge; segment 0 was entered twice
        assert_eq!(v.get(lv.all(), Metric::Arrivals, total), 1.0);
        assert_eq!(v.get(lv.all(), Metric::Discharges, total), 1.0);
        assert_eq!(v.get(seg0, Metric::Admissions, total), 2.0);
        assert_eq!(v.get(0, Metric::Admissions, total), 2.0);
        // service 0 has a norm of 10 days: one of two admissions waited 12 days
        assert_eq!(v.get(0, Metric::OverNormShare, total), 0.5);
        assert_eq!(v.get(0, Metric::WaitDaysMean, total), 6.0);
        assert!(v.get(1, Metric::OverNormShare, total).is_nan());
        // trajectory prices: paid on each entry into segment 0 (day 1 and day 50), not
        // for the move within it nor for the entry into segment 1
        assert_eq!(v.get(seg0, Metric::CostTrajectory, 0), 1000.0);
        assert_eq!(v.get(seg0, Metric::CostTrajectory, 1), 1000.0);
        assert_eq!(v.get(seg0, Metric::CostTrajectory, total), 2000.0);
        assert_eq!(v.get(lv.segment(1), Metric::CostTrajectory, total), 0.0);
        assert_eq!(v.get(lv.all(), Metric::CostTrajectory, year2024), 2000.0);
        assert!(v.get(0, Metric::CostTrajectory, total).is_nan());
    }

    #[test]
    fn time_averages_and_capacity() {
        let (tl, lv) = setup();
        let mut r = Recorder::new(&tl, &lv);
        lvl(&mut r, 0.0, 1, 4, 0, 10);
        lvl(&mut r, 0.0, 2, 3, 0, 0);
        r.boundary(0.0);
        lvl(&mut r, 15.5, 1, 2, 6, 10); // half of January at 4, half at 2; 6 waiting
        for t in [31.0, 60.0] {
            r.boundary(t);
        }
        let v = r.finish(91.0);
        assert!((v.get(1, Metric::OccupancyMean, 0) - 3.0).abs() < 1e-12);
        assert!((v.get(1, Metric::WaitingMean, 0) - 3.0).abs() < 1e-12);
        assert_eq!(v.get(1, Metric::WaitingEnd, 0), 6.0);
        assert!((v.get(1, Metric::Utilisation, 0) - 0.3).abs() < 1e-12);
        // out-of-home days: service 1 is residential, 3 youths on average over 31 days
        assert!((v.get(1, Metric::OutOfHomeDays, 0) - 93.0).abs() < 1e-9);
        assert_eq!(v.get(0, Metric::OutOfHomeDays, 0), 0.0);
        // days waiting for it: 6 youths over the second half of January (15.5 days); at
        // segment 0 and the region the same, since no other out-of-home service has a list
        assert!((v.get(1, Metric::OohWaitDays, 0) - 93.0).abs() < 1e-9);
        assert!((v.get(lv.segment(0), Metric::OohWaitDays, 0) - 93.0).abs() < 1e-9);
        assert!((v.get(lv.all(), Metric::OohWaitDays, 0) - 93.0).abs() < 1e-9);
        assert_eq!(v.get(0, Metric::OohWaitDays, 0), 0.0);
        // service 2 is unlimited: no capacity, so neither its segment nor the system has one
        assert!(v.get(2, Metric::CapacityMean, 0).is_nan());
        assert!(v.get(lv.all(), Metric::CapacityMean, 0).is_nan());
        assert!((v.get(lv.segment(0), Metric::CapacityMean, 0) - 10.0).abs() < 1e-12);
        // the snapshot at the start of January counts the 4 + 3 youths in care
        assert_eq!(v.get(lv.all(), Metric::Clients, 0), 7.0);
    }
}
