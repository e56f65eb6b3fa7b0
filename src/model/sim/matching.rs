//! Matching a referral for a group to a family-like place (*ombouw* that places youths):
//! when a youth referred to a service with `match_to` reaches it, it goes to the first
//! listed place that has a free place and whose `accepts` rule takes it — its age at
//! placement within the rule's range and its needs within the share the rule takes of its
//! profile (the youth's `need`, fixed for life, below the share). Otherwise it waits for the
//! group; when a family place frees up and nobody waits for it, it takes the first youth on
//! the lists of the groups matched to it whom its rule takes. The pathway to care stays in
//! the segment of the group's referral.

use super::World;
use crate::model::Model;
use crate::stats::{Counter, Level};
use crate::timeline::DAYS_PER_YEAR;

/// Per service: the services whose referrals are matched to it (`match_to`), in model order.
pub(super) fn pull_from(model: &Model) -> Vec<Vec<u16>> {
    let mut out = vec![Vec::new(); model.services.len()];
    for (g, svc) in model.services.iter().enumerate() {
        for f in &svc.match_to {
            out[f.0 as usize].push(g as u16);
        }
    }
    out
}

impl World<'_> {
    /// Whether the family place `f` takes youth `y` at `t` (its `accepts` rule).
    #[inline]
    fn fits(&self, t: f64, y: u32, f: usize) -> bool {
        let Some(a) = &self.model.services[f].accepts else {
            return false;
        };
        let youth = &self.youths[y as usize];
        let age = (t - youth.born) / DAYS_PER_YEAR;
        let share = a.share.get(youth.profile as usize).copied().unwrap_or(0.0);
        age >= a.age_min && age < a.age_max && youth.need < share
    }

    /// The first place listed in `s`'s `match_to` that can admit youth `y` at once and
    /// takes it, if any.
    pub(super) fn family_place(&self, t: f64, y: u32, s: usize) -> Option<usize> {
        self.model.services[s]
            .match_to
            .iter()
            .map(|f| f.0 as usize)
            .find(|&f| self.has_free_place(f) && self.fits(t, y, f))
    }

    /// Youth `y`, referred to group `g`, is placed in family place `f` (which has a free
    /// place): counted as matched at `g` and as an arrival at `f` from `g`.
    pub(super) fn matched(&mut self, t: f64, y: u32, g: usize, f: usize) {
        self.rec.event(g, Counter::Matched);
        self.rec.arrival(f, Some(g));
        self.youths[y as usize].service = crate::model::ServiceId(f as u16);
        self.admit(t, y, f);
    }

    /// Family place `f` has free places and nobody on its own list: it takes the first
    /// youths its rule takes from the lists of the groups matched to it, while it has room.
    pub(super) fn pull_matches(&mut self, t: f64, f: usize) {
        for k in 0..self.pull_from[f].len() {
            let g = self.pull_from[f][k] as usize;
            while self.has_free_place(f) {
                let Some((class, pos, y)) = self.first_fitting(t, g, f) else {
                    break;
                };
                self.svcs[g].queues[class].remove(pos);
                // the youth's epoch moves on when it is admitted, so its patience and age
                // limit events at `g` are stale
                self.svcs[g].waiting -= 1;
                let w = self.svcs[g].waiting;
                self.rec.set(t, g, Level::Waiting, w);
                self.matched(t, y, g, f);
            }
        }
    }

    /// The first youth on `g`'s lists (highest priority first, then first come) whom
    /// family place `f` takes: (priority class, position, youth).
    fn first_fitting(&self, t: f64, g: usize, f: usize) -> Option<(usize, usize, u32)> {
        for (class, q) in self.svcs[g].queues.iter().enumerate() {
            for (pos, &(y, epoch)) in q.iter().enumerate() {
                let youth = &self.youths[y as usize];
                let current = youth.epoch == epoch && youth.state == super::State::Waiting;
                if current && self.fits(t, y, f) {
                    return Some((class, pos, y));
                }
            }
        }
        None
    }
}
