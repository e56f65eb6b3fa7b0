//! A youth's pathway to care, at two levels: in the segment it last entered (from the
//! referral into the segment) and in care as a whole (from the referral into care). A
//! pathway opens at the referral, takes its *intake* at the first admission, and ends
//! when the youth is admitted to a service that is not an assessment — the start of care,
//! when its time to care is recorded and judged against the norms of the service where
//! it entered. Giving up waiting ends an open pathway as a breach of the norm; an overflow
//! (an out-of-region or wrong-but-available place) counts as a breach when it happens.
//! A pathway belongs to the segment of the service the youth was referred to, wherever
//! the youth is placed: an overflow, a diversion or a family place matched to a referral
//! for a group ends it in that segment (a referral to JeugdzorgPlus placed elsewhere counts
//! in bovenregionaal).

use super::World;
use crate::model::Setting;
use crate::stats::Scope;

/// One pathway to care; `from` is NaN when none is open.
#[derive(Clone, Copy, Debug)]
pub(super) struct Path {
    /// When the youth was referred into the segment (or into care).
    from: f64,
    /// When it was first admitted on this pathway (NaN: not yet).
    intake: f64,
    /// The service where the pathway entered: its norms judge it.
    entry: u16,
    /// The breach was counted already (an overflow): only the time to care is left.
    breached: bool,
}

impl Path {
    /// No open pathway (youths in care at the start, and after care started).
    pub(super) const NONE: Path = Path {
        from: f64::NAN,
        intake: f64::NAN,
        entry: 0,
        breached: false,
    };

    /// A pathway opened at `t` by a referral to service `entry`.
    #[inline]
    fn open(t: f64, entry: usize) -> Path {
        Path {
            from: t,
            intake: f64::NAN,
            entry: entry as u16,
            breached: false,
        }
    }

    #[inline]
    fn is_open(&self) -> bool {
        !self.from.is_nan()
    }
}

impl World<'_> {
    /// Youth `y` is referred to `s` at `t`, from `origin` (`None`: from outside care): a
    /// referral from outside opens both pathways, one from another segment opens the
    /// segment's.
    #[inline(always)]
    pub(super) fn paths_refer(&mut self, t: f64, y: u32, s: usize, origin: Option<usize>) {
        let services = &self.model.services;
        let youth = &mut self.youths[y as usize];
        match origin {
            None => {
                youth.care_path = Path::open(t, s);
                youth.seg_path = Path::open(t, s);
            }
            Some(o) if services[o].segment != services[s].segment => {
                youth.seg_path = Path::open(t, s);
            }
            Some(_) => {}
        }
    }

    /// Youth `y` is admitted to `s` at `t`: the first admission of an open pathway is its
    /// intake; an admission to care (not an assessment) ends it with its time to care.
    #[inline(always)]
    pub(super) fn paths_admit(&mut self, t: f64, y: u32, s: usize) {
        let youth = &mut self.youths[y as usize];
        if !(youth.seg_path.is_open() || youth.care_path.is_open()) {
            return;
        }
        let care = self.model.services[s].setting != Setting::Assessment;
        for (path, scope) in [
            (&mut youth.seg_path, Scope::Segment),
            (&mut youth.care_path, Scope::Care),
        ] {
            if !path.is_open() {
                continue;
            }
            if path.intake.is_nan() {
                path.intake = t;
            }
            if care {
                self.rec.care_started(
                    scope,
                    path.entry as usize,
                    path.intake - path.from,
                    t - path.from,
                    !path.breached,
                );
                *path = Path::NONE;
            }
        }
    }

    /// Youth `y` gave up waiting: its open pathways end as breaches (counted once).
    pub(super) fn paths_give_up(&mut self, y: u32) {
        let youth = &mut self.youths[y as usize];
        for (path, scope) in [
            (&mut youth.seg_path, Scope::Segment),
            (&mut youth.care_path, Scope::Care),
        ] {
            if path.is_open() && !path.breached {
                self.rec.breach(scope, path.entry as usize);
            }
            *path = Path::NONE;
        }
    }

    /// Youth `y` overflows from a full service: a breach of its open pathways; their time
    /// to care runs on in the segment of the referral, wherever the youth is placed.
    pub(super) fn paths_overflow(&mut self, y: u32) {
        let youth = &mut self.youths[y as usize];
        for (path, scope) in [
            (&mut youth.seg_path, Scope::Segment),
            (&mut youth.care_path, Scope::Care),
        ] {
            if path.is_open() && !path.breached {
                self.rec.breach(scope, path.entry as usize);
                path.breached = true;
            }
        }
    }

    /// At the horizon `t`, youth `y`'s open pathways count in the time to care with their
    /// time so far plus `ahead`, the estimated time still ahead (`None`: unknown; the time
    /// so far, a lower bound).
    pub(super) fn paths_at_horizon(&mut self, t: f64, y: u32, ahead: Option<f64>) {
        let youth = &self.youths[y as usize];
        for (path, scope) in [
            (youth.seg_path, Scope::Segment),
            (youth.care_path, Scope::Care),
        ] {
            if path.is_open() {
                let to_care = t - path.from + ahead.unwrap_or(0.0);
                self.rec
                    .care_estimated(scope, path.entry as usize, to_care, ahead.is_none());
            }
        }
    }

    /// When youth `y`'s open pathway in its segment was opened, and the service where it
    /// entered (`None`: no open pathway).
    pub(super) fn seg_path_open(&self, y: u32) -> Option<(f64, usize)> {
        let path = &self.youths[y as usize].seg_path;
        path.is_open().then_some((path.from, path.entry as usize))
    }

    /// Youth `y` leaves care (or the waiting list) without care starting: nothing is left
    /// to record of its pathways.
    #[inline]
    pub(super) fn paths_close(&mut self, y: u32) {
        let youth = &mut self.youths[y as usize];
        youth.seg_path = Path::NONE;
        youth.care_path = Path::NONE;
    }
}
