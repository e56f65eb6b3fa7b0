//! The results of one replication, and the typed handles that address them.
//!
//! [`RepValues`] holds one number per (level, metric, period). A level is a service, a
//! segment or the whole system ([`LevelRef`]); a period is a report interval, a calendar
//! year or the whole window ([`PeriodRef`]). How handles map to positions is decided
//! here ([`LevelIndex`]) and in [`crate::timeline::Periods`], nowhere else.

use crate::measure::Metric;
use crate::timeline::{PeriodRef, Periods};

/// A level of the results: one service, one segment (`service = all`) or the whole
/// system (`all`/`all`), by position in the model's services and segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelRef {
    Service(usize),
    Segment(usize),
    All,
}

/// How levels are numbered: the services, then the segments, then the whole system. The
/// one place that turns a [`LevelRef`] into a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelIndex {
    services: usize,
    segments: usize,
}

impl LevelIndex {
    /// Numbering for `services` services in `segments` segments.
    pub fn new(services: usize, segments: usize) -> LevelIndex {
        LevelIndex { services, segments }
    }

    /// The position of level `l`.
    #[inline]
    pub fn index(self, l: LevelRef) -> usize {
        match l {
            LevelRef::Service(s) => s,
            LevelRef::Segment(g) => self.services + g,
            LevelRef::All => self.services + self.segments,
        }
    }

    /// Number of levels (services + segments + 1).
    #[inline]
    pub fn count(self) -> usize {
        self.services + self.segments + 1
    }

    /// Number of services.
    #[inline]
    pub fn services(self) -> usize {
        self.services
    }
}

/// The results of one replication: a value per (level, metric, period). Levels are
/// numbered by [`LevelIndex`], periods by [`Periods`].
#[derive(Clone, Debug)]
pub struct RepValues {
    levels: LevelIndex,
    periods: Periods,
    values: Vec<f64>,
}

/// Equal means identical to the bit (so two undefined values are equal).
impl PartialEq for RepValues {
    fn eq(&self, other: &Self) -> bool {
        self.levels == other.levels
            && self.periods == other.periods
            && self.values.len() == other.values.len()
            && self
                .values
                .iter()
                .zip(&other.values)
                .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

impl RepValues {
    /// Undefined (NaN) values for every level, metric and period.
    pub(crate) fn undefined(levels: LevelIndex, periods: Periods) -> RepValues {
        RepValues {
            levels,
            periods,
            values: vec![f64::NAN; RepValues::cells(levels, periods)],
        }
    }

    /// Numbers in one replication's values: one per (level, metric, period).
    pub fn cells(levels: LevelIndex, periods: Periods) -> usize {
        levels.count() * Metric::COUNT * periods.count()
    }

    #[inline]
    fn slot(&self, level: usize, metric: Metric, p: usize) -> usize {
        (level * Metric::COUNT + metric as usize) * self.periods.count() + p
    }

    /// Sets the value of `metric` at level position `level` in period position `p`.
    #[inline]
    pub(crate) fn set(&mut self, level: usize, metric: Metric, p: usize, v: f64) {
        let i = self.slot(level, metric, p);
        self.values[i] = v;
    }

    /// The value of `metric` at `level` in period `p` (NaN when undefined).
    #[inline]
    pub fn at(&self, level: LevelRef, metric: Metric, p: PeriodRef) -> f64 {
        self.get(self.levels.index(level), metric, self.periods.index(p))
    }

    /// The value of `metric` at level position `level` in period position `p` (NaN when
    /// undefined); prefer [`RepValues::at`], which takes typed handles.
    #[inline]
    pub fn get(&self, level: usize, metric: Metric, p: usize) -> f64 {
        self.values[self.slot(level, metric, p)]
    }

    /// Number of periods (intervals + years + 1).
    pub fn n_periods(&self) -> usize {
        self.periods.count()
    }

    /// How this replication's levels are numbered.
    pub fn levels(&self) -> LevelIndex {
        self.levels
    }

    /// How this replication's periods are numbered.
    pub fn periods(&self) -> Periods {
        self.periods
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_handles_address_the_same_cells_as_positions() {
        // 3 services in 2 segments; 12 intervals and 2 years
        let (levels, periods) = (LevelIndex::new(3, 2), Periods::new(12, 2));
        assert_eq!(levels.count(), 6);
        assert_eq!(levels.index(LevelRef::Service(2)), 2);
        assert_eq!(levels.index(LevelRef::Segment(1)), 4);
        assert_eq!(levels.index(LevelRef::All), 5);
        let mut v = RepValues::undefined(levels, periods);
        v.set(4, Metric::Cost, 13, 7.0);
        v.set(5, Metric::Cost, 14, 9.0);
        assert_eq!(
            v.at(LevelRef::Segment(1), Metric::Cost, PeriodRef::Year(1)),
            7.0
        );
        assert_eq!(v.at(LevelRef::All, Metric::Cost, PeriodRef::Total), 9.0);
        assert!(
            v.at(LevelRef::All, Metric::Cost, PeriodRef::Year(1))
                .is_nan()
        );
        assert_eq!(v.n_periods(), 15);
    }
}
