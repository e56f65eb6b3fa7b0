//! The savings target a region must reach: its share of the national Hervormingsagenda
//! Jeugd savings, per calendar year, against which `savings` sets each road's structural
//! saving.

use crate::model::SavingsTarget;
use crate::timeline::Period;

impl SavingsTarget {
    /// The region's target over `period` (a calendar year of a run): the national savings
    /// that year × the region's share, for the period's share of the year. Nominal euros.
    pub fn per_year(&self, period: &Period) -> f64 {
        super::grant::per_year(&self.national, period) * self.share
    }
}
