//! National transformation money: a grant that pays a road's frictiekosten in one segment
//! (the 2024 programme for replacing closed youth care, paid to the coordinating
//! municipality of each landsdeel), when the road qualifies — it winds down the service
//! the grant names. The grant is a specific grant (*specifieke uitkering*): it pays
//! eligible costs and nothing beyond them, so it can lower the frictiekosten to zero but
//! never make a saving.

use crate::model::Model;
use crate::timeline::Period;

/// The grant of one strategy over the years of a comparison.
#[derive(Clone, Debug)]
pub struct Grant {
    /// The position of the grant's segment among the levels of the comparison.
    pub level: usize,
    /// Euros that become available each year of the comparison (nominal, not indexed).
    available: Vec<f64>,
}

impl Grant {
    /// The grant of `model`, when it has one and qualifies for it, over `years` (its own
    /// year index is the second of each triple), paid to the level of its segment in
    /// `segments`.
    pub fn of(model: &Model, years: &[(usize, usize, i16)], segments: &[&str]) -> Option<Grant> {
        let g = model.finance.grant.as_ref().filter(|g| g.qualifies)?;
        let name = model.segments.get(g.segment.0 as usize)?;
        let level = segments.iter().position(|s| s == name)?;
        let available = years
            .iter()
            .map(|&(_, sy, _)| per_year(&g.per_year, &model.timeline.years[sy].1))
            .collect();
        Some(Grant { level, available })
    }

    /// What the grant pays each year against the `eligible` frictiekosten of those years:
    /// as much of them as the money available so far allows, the rest of the money
    /// carried to the next year.
    pub fn income(&self, eligible: &[f64]) -> Vec<f64> {
        let mut left = 0.0;
        self.available
            .iter()
            .zip(eligible)
            .map(|(a, e)| {
                left += a;
                let paid = left.min(e.max(0.0));
                left -= paid;
                paid
            })
            .collect()
    }
}

/// An amount given per calendar year (as a function of time) over `period`: read at the
/// period's middle, for the period's share of its calendar year (a whole year gets the
/// amount itself). Not indexed: programme money and savings targets are nominal.
pub fn per_year(amount: &crate::model::TimeFn, period: &Period) -> f64 {
    let year = period.first_day.year();
    let days = |y: i16| {
        jiff::civil::date(y, 1, 1)
            .until(jiff::civil::date(y + 1, 1, 1))
            .map_or(365.0, |s| s.get_days() as f64)
    };
    amount.at((period.start + period.end) / 2.0) * period.days() / days(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grant_pays_eligible_costs_as_far_as_the_money_goes_and_carries_the_rest() {
        let g = Grant {
            level: 0,
            available: vec![1.0, 1.0, 1.0, 0.0],
        };
        // nothing eligible in the first year: the money waits
        assert_eq!(g.income(&[0.0, 1.5, 3.0, 1.0]), [0.0, 1.5, 1.5, 0.0]);
        // never more than the costs, and never for a negative cost
        assert_eq!(g.income(&[0.5, -2.0, 0.2, 5.0]), [0.5, 0.0, 0.2, 2.3]);
    }
}
