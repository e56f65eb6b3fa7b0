//! Pathways still open at the horizon (see `model/sim/ahead.rs`): their estimated time to
//! care joins the last slice's, counted apart so that a reader sees how much of the
//! figure is estimated; and what the estimate needs of a service's recent flow.

use super::{Counter, Level, NONE, Recorder, Scope};
use crate::timeline::DAYS_PER_YEAR;

/// Pathways of one level whose time to care is estimated at the horizon.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Estimated {
    /// All of them (their time so far plus the time still ahead).
    pub(super) n: u64,
    /// Those whose time ahead is unknown (their service admitted nobody in its last
    /// year), counted with their time so far: a lower bound.
    pub(super) lower_bound: u64,
}

/// What a service's waiting list did over the last year of the window (less when the
/// window is shorter): the flow the time still ahead is estimated from.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RecentFlow {
    /// Days covered.
    pub days: f64,
    /// Admissions.
    pub admissions: u64,
    /// Youths who gave up waiting.
    pub reneged: u64,
    /// Youth-days on the waiting list.
    pub waiting_days: f64,
}

impl Recorder<'_> {
    /// The flow of service `s` over the slices that started in the year before `t` (a
    /// day's slack for a leap year), up to `t`; `None` before the window starts.
    pub fn recent_flow(&self, s: usize, t: f64) -> Option<RecentFlow> {
        if self.cur == NONE {
            return None;
        }
        let since = t - DAYS_PER_YEAR - 1.0;
        let slices = &self.tl.slices;
        let mut f = RecentFlow::default();
        let mut from = t;
        for i in (0..=self.cur).rev() {
            if slices[i].start < since {
                break;
            }
            from = slices[i].start;
            let c = &self.cells[i * self.n_levels + s];
            f.admissions += c.admissions;
            f.reneged += c.counters[Counter::Reneged as usize];
            f.waiting_days += c.queue_area;
        }
        if from < t {
            // the list since it last changed is not in the current slice's area yet
            let step = self.track[s][Level::Waiting as usize];
            f.waiting_days += f64::from(step.value) * (t - step.last).max(0.0);
        }
        f.days = t - from;
        Some(f)
    }

    /// A pathway of `scope` that entered at service `entry` is still open at the horizon:
    /// it counts in the time to care of the current (last) slice with `to_care` days, its
    /// time so far plus the estimated time still ahead (`lower_bound`: the time so far
    /// only, none being known).
    pub fn care_estimated(&mut self, scope: Scope, entry: usize, to_care: f64, lower_bound: bool) {
        if self.cur == NONE {
            return;
        }
        let idx = self.path_cell(scope, entry);
        self.tally_to_care(idx, to_care);
        let e = &mut self.estimated[idx - self.base];
        e.n += 1;
        e.lower_bound += u64::from(lower_bound);
    }
}
