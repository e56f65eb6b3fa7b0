//! The time to care still ahead of the pathways open at the horizon, estimated once when
//! the run ends and without a draw, so every other output stays as it was. A pathway
//! still open (its youth waiting, in a referral delay or in an assessment) counts in the
//! time to care of the last period with its time so far plus this estimate.
//!
//! **On a waiting list**, a youth waits for the youths ahead of it — in the order the list
//! admits them: a higher priority class first, then first come first served — to leave
//! the list, and then for one more admission. Over the service's last year its list
//! admitted μ youths a day, and each youth on it gave up at a rate θ a day (give-ups over
//! youth-days on the list). With `j` youths ahead the next one leaves after 1/(μ + jθ)
//! days on average, so a youth with `k` ahead is admitted after Σ_{j=0..k} 1/(μ + jθ)
//! days: (k + 1)/μ by Little's law when nobody gives up, and the mean of the Erlang-A
//! queue (all places busy, exponential patience) when youths do. The youth's own giving
//! up is left out: the estimate is its time to care if it stays. A youth ahead who reaches
//! the age limit before its turn (a known day) leaves the list then and takes no
//! admission.
//!
//! **After an admission to an assessment** come the assessment (its mean stay; for a
//! youth in one now, the mean of what is left of a stay in progress, E\[S²\]/2E\[S\]) and
//! the way on by the routes to care, weighted by their probabilities at the horizon (a
//! way out of care never reaches care): the referral delay of a window open at the
//! horizon, then the back of the next service's list (no wait when a place is free and
//! nobody waits). **A youth in a referral delay** has what is left of it ahead, then the
//! back of the list.
//!
//! **When a service on the way admitted nobody in its last year**, nothing tells how long
//! the wait will be: the pathway counts with its time so far, a lower bound, and is
//! counted in `time_to_care_lower_bound`.
//!
//! Not in the estimate: places or demand after the horizon (the last year's flow goes on),
//! youths of a higher priority who come later and go ahead, and a diversion, overflow or
//! family place on the way. `follow_open_paths` measures what that leaves out: it runs a
//! longer horizon on and compares the estimate with the time to care each youth got.

use super::{Model, SimError, State, World, levels_of};
use crate::engine::Dist;
use crate::model::{Route, Service, Setting, Target};
use crate::stats::RecentFlow;
use crate::timeline::DAYS_PER_YEAR;

/// How fast a service's waiting list moved over its last year.
#[derive(Clone, Copy, Debug)]
struct ListRate {
    /// Admissions per day (μ).
    admit: f64,
    /// Give-ups per youth waiting per day (θ).
    give_up: f64,
}

impl ListRate {
    fn of(flow: Option<RecentFlow>) -> ListRate {
        match flow {
            Some(f) if f.days > 0.0 => ListRate {
                admit: f.admissions as f64 / f.days,
                give_up: if f.waiting_days > 0.0 {
                    f.reneged as f64 / f.waiting_days
                } else {
                    0.0
                },
            },
            _ => ListRate {
                admit: 0.0,
                give_up: 0.0,
            },
        }
    }

    /// The mean days until the next youth leaves the list, with `ahead` youths ahead of
    /// one (`None`: the list admitted nobody).
    fn next(self, ahead: u32) -> Option<f64> {
        (self.admit > 0.0).then(|| 1.0 / (self.admit + f64::from(ahead) * self.give_up))
    }

    /// The mean days to the admission of a youth with `ahead` youths ahead of it.
    fn wait(self, ahead: u32) -> Option<f64> {
        (0..=ahead).try_fold(0.0, |w, j| Some(w + self.next(j)?))
    }
}

/// The length of stay at `svc` of a youth of `profile`.
fn los_of(svc: &Service, profile: u8) -> &Dist {
    svc.los_by_profile
        .get(profile as usize)
        .and_then(|d| d.as_ref())
        .unwrap_or(&svc.los)
}

/// The routes after a stay at `svc` of a youth of `profile`.
fn routes_of(svc: &Service, profile: u8) -> &[Route] {
    svc.next_by_profile
        .get(profile as usize)
        .and_then(|r| r.as_deref())
        .unwrap_or(&svc.next)
}

/// What the estimate needs of the world at time `t`, fixed for all its youths.
struct Ahead {
    t: f64,
    rates: Vec<ListRate>,
    /// Per service: the mean wait of a youth who joins the back of its list now.
    join: Vec<Option<f64>>,
}

/// A pathway open in its segment when [`follow_open_paths`] stopped to estimate it, and
/// what became of it in the run that went on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Followed {
    /// The segment of the service where the pathway entered (its segment).
    pub segment: usize,
    /// Days from its referral to the stop.
    pub so_far: f64,
    /// The estimated days still ahead (`None`: unknown, a service on its way admitted
    /// nobody in its last year).
    pub ahead: Option<f64>,
    /// What it got.
    pub outcome: Outcome,
}

/// What became of a followed pathway by the end of the longer run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Care started, this many days after the referral.
    Care(f64),
    /// It ended without care (the youth gave up, aged out or left care).
    Ended,
    /// Still open at the end of the longer run.
    Open,
}

/// Runs replication `rep` of `model` to day `at`, estimates there the time to care of
/// every pathway open in its segment as a run ending at `at` estimates it, then runs on
/// to the model's horizon, a day at a time, and records what each of those pathways got.
/// The run in pieces is the run of `model` (common random numbers): up to `at` it is a
/// run ending at `at` whenever no rule looks beyond the horizon before it, which
/// `follow_open_paths(short, …)` against `follow_open_paths(long, …)` checks.
pub fn follow_open_paths(
    model: &Model,
    seed: u64,
    rep: u64,
    at: f64,
) -> Result<Vec<Followed>, SimError> {
    let levels = levels_of(model);
    let mut w = World::new(model, &levels, seed, rep);
    let at = at.min(w.horizon);
    w.run_until(at);
    // (youth, when it was born, when its pathway opened, the pathway)
    let mut open: Vec<(u32, f64, f64, Followed)> = w
        .open_path_estimates(at)
        .into_iter()
        .filter_map(|(y, ahead)| {
            let (from, entry) = w.seg_path_open(y)?;
            let followed = Followed {
                segment: model.services[entry].segment.0 as usize,
                so_far: at - from,
                ahead,
                outcome: Outcome::Open,
            };
            Some((y, w.youths[y as usize].born, from, followed))
        })
        .collect();
    let mut day = at;
    while day < w.horizon {
        let next = (day + 1.0).min(w.horizon);
        w.run_until(next);
        for (y, born, from, f) in &mut open {
            if f.outcome != Outcome::Open || w.seg_path_open(*y).is_some_and(|p| p.0 == *from) {
                continue;
            }
            let youth = &w.youths[*y as usize];
            let care = youth.state == State::InCare
                && youth.born == *born
                && youth.admitted >= day
                && model.services[youth.service.0 as usize].setting != Setting::Assessment;
            f.outcome = if care {
                Outcome::Care(youth.admitted - *from)
            } else {
                Outcome::Ended
            };
        }
        day = next;
    }
    if let Some(e) = w.agenda.fault.take() {
        return Err(e);
    }
    Ok(open.into_iter().map(|o| o.3).collect())
}

impl World<'_> {
    /// At the horizon: every open pathway counts in the time to care of the last period
    /// with its time so far plus the estimated time still ahead.
    pub(super) fn estimate_open_paths(&mut self) {
        let t = self.horizon;
        for (y, ahead) in self.open_path_estimates(t) {
            self.paths_at_horizon(t, y, ahead);
        }
    }

    /// The youths who may have an open pathway at `t` (waiting, in a referral delay or in
    /// an assessment) and the estimated days still ahead of each (`None`: unknown).
    fn open_path_estimates(&self, t: f64) -> Vec<(u32, Option<f64>)> {
        let n = self.model.services.len();
        let rates: Vec<ListRate> = (0..n)
            .map(|s| ListRate::of(self.rec.recent_flow(s, t)))
            .collect();
        let join = (0..n)
            .map(|s| {
                let svc = &self.svcs[s];
                if svc.waiting == 0 && svc.occ < svc.cap {
                    Some(0.0)
                } else {
                    rates[s].wait(svc.waiting)
                }
            })
            .collect();
        let est = Ahead { t, rates, join };
        let mut out = Vec::new();
        for s in 0..n {
            self.on_list(&est, s, &mut out);
        }
        for (y, youth) in self.youths.iter().enumerate() {
            let s = youth.service.0 as usize;
            let ahead = match youth.state {
                State::Referred => {
                    let left = (youth.referred + self.delay[s] - t).max(0.0);
                    self.after_arrival(&est, s, youth.profile, 0)
                        .map(|a| a + left)
                }
                State::InCare if self.model.services[s].setting == Setting::Assessment => {
                    let los = los_of(&self.model.services[s], youth.profile);
                    let left = los.second_moment() / (2.0 * los.mean());
                    self.after_assessment(&est, s, youth.profile, 0)
                        .map(|a| a + left)
                }
                _ => continue,
            };
            out.push((y as u32, ahead));
        }
        out
    }

    /// The youths on the lists of service `s`, in the order the lists admit them, and the
    /// days still ahead of each.
    /// A youth who reaches the service's age limit before its turn leaves the list then
    /// (a known day): it takes no admission from those behind it.
    fn on_list(&self, est: &Ahead, s: usize, out: &mut Vec<(u32, Option<f64>)>) {
        let rate = est.rates[s];
        let limit = self.model.services[s].age_limit * DAYS_PER_YEAR;
        let mut wait = Some(0.0);
        let mut ahead = 0;
        for queue in &self.svcs[s].queues {
            for &(y, epoch) in queue {
                let youth = &self.youths[y as usize];
                if youth.epoch != epoch || youth.state != State::Waiting {
                    continue;
                }
                let turn = wait.zip(rate.next(ahead)).map(|(w, d)| w + d);
                if turn.is_none_or(|w| youth.born + limit > est.t + w) {
                    wait = turn;
                    ahead += 1;
                }
                let after = self.after_admission(est, s, youth.profile, 0);
                out.push((y, turn.zip(after).map(|(w, a)| w + a)));
            }
        }
    }

    /// Days from a youth's arrival at `s` (at the back of its list) to its care.
    fn after_arrival(&self, est: &Ahead, s: usize, profile: u8, depth: usize) -> Option<f64> {
        let wait = est.join[s]?;
        Some(self.delay[s] + wait + self.after_admission(est, s, profile, depth)?)
    }

    /// Days from an admission to `s` to care: none, unless `s` is an assessment.
    fn after_admission(&self, est: &Ahead, s: usize, profile: u8, depth: usize) -> Option<f64> {
        let svc = &self.model.services[s];
        if svc.setting != Setting::Assessment {
            return Some(0.0);
        }
        let stay = los_of(svc, profile).mean();
        Some(stay + self.after_assessment(est, s, profile, depth)?)
    }

    /// Days from the end of an assessment at `s` to care, by the routes to care weighted
    /// by their probabilities at the horizon (`None` as well along a loop of assessments).
    fn after_assessment(&self, est: &Ahead, s: usize, profile: u8, depth: usize) -> Option<f64> {
        if depth > self.model.services.len() {
            return None;
        }
        let (mut sum, mut weight) = (0.0, 0.0);
        for route in routes_of(&self.model.services[s], profile) {
            if let Target::Service(d) = route.to {
                let p = route.p.at(est.t);
                if p > 0.0 {
                    sum += p * self.after_arrival(est, d.0 as usize, profile, depth + 1)?;
                    weight += p;
                }
            }
        }
        Some(if weight > 0.0 { sum / weight } else { 0.0 })
    }
}
