//! The price grid the recorder multiplies volumes by: what a day in care, an admission and
//! a place-day cost at each service in each slice, and what an entry into a segment is
//! paid per youth profile and slice (trajectory funding). It is filled once per model by
//! [`crate::model::pricing`], which alone decides how prices are dated and indexed;
//! the recorder only looks prices up.

/// What a day in care, an admission and a place-day cost in one slice (euros, indexed),
/// and what a closed place winding down costs a day and an FTE retraining a day.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    pub day: f64,
    pub admission: f64,
    pub place_day: f64,
    pub stranded_day: f64,
    pub fte_day: f64,
}

/// Prices per slice; empty (no cost recorded) until filled.
#[derive(Clone, Debug, Default)]
pub struct PriceTable {
    n_slices: usize,
    n_profiles: usize,
    /// Per service and slice (`s * n_slices + i`); empty when no service has a tariff.
    rates: Vec<Rates>,
    /// Per segment, profile and slice (`(g * n_profiles + p) * n_slices + i`); empty when
    /// no segment is funded per trajectory, 0 for segments that are not.
    trajectory: Vec<f64>,
}

impl PriceTable {
    /// An empty table for `n_slices` slices and `n_profiles` youth profiles (at least 1).
    pub fn new(n_slices: usize, n_profiles: usize) -> PriceTable {
        PriceTable {
            n_slices,
            n_profiles: n_profiles.max(1),
            rates: Vec::new(),
            trajectory: Vec::new(),
        }
    }

    /// Fills the rates of `n_services` services: `rate(s, i)` for service `s` in slice `i`.
    pub fn fill_rates(&mut self, n_services: usize, mut rate: impl FnMut(usize, usize) -> Rates) {
        let n = self.n_slices;
        self.rates = (0..n_services * n).map(|k| rate(k / n, k % n)).collect();
    }

    /// Fills the trajectory prices of `n_segments` segments: `price(g, p, i)` for an entry
    /// into segment `g` of a youth of profile `p` in slice `i`.
    pub fn fill_trajectory(
        &mut self,
        n_segments: usize,
        mut price: impl FnMut(usize, usize, usize) -> f64,
    ) {
        let (n, np) = (self.n_slices, self.n_profiles);
        self.trajectory = (0..n_segments * np * n)
            .map(|k| price(k / (np * n), (k / n) % np, k % n))
            .collect();
    }

    /// Whether any service has a tariff (then every service has rates, zero without one).
    #[inline]
    pub fn has_rates(&self) -> bool {
        !self.rates.is_empty()
    }

    /// Whether any segment is funded per trajectory.
    #[inline]
    pub fn has_trajectory(&self) -> bool {
        !self.trajectory.is_empty()
    }

    /// The rates of service `s` in slice `i`, if the table has rates.
    #[inline]
    pub fn rates(&self, s: usize, i: usize) -> Option<&Rates> {
        self.rates.get(s * self.n_slices + i)
    }

    /// The price of an entry into segment `g` by a youth of profile `p` in slice `i`.
    #[inline]
    pub fn trajectory(&self, g: usize, p: usize, i: usize) -> f64 {
        self.trajectory[(g * self.n_profiles + p) * self.n_slices + i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_prices_are_found_where_they_were_put() {
        let mut t = PriceTable::new(3, 2);
        assert!(!t.has_rates() && !t.has_trajectory());
        assert!(t.rates(0, 0).is_none());
        t.fill_rates(2, |s, i| Rates {
            day: (10 * s + i) as f64,
            ..Rates::default()
        });
        assert_eq!(t.rates(1, 2).map(|r| r.day), Some(12.0));
        t.fill_trajectory(2, |g, p, i| (100 * g + 10 * p + i) as f64);
        assert_eq!(t.trajectory(1, 0, 2), 102.0);
        assert_eq!(t.trajectory(0, 1, 1), 11.0);
    }
}
