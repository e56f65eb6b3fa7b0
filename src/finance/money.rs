//! Money: [`Euros`], an amount that is not just any float. Amounts keep their sub-cent
//! precision while they are computed and summed (in a fixed order, with compensated
//! summation), and are rounded to cents only when they are written.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

/// An amount in euros (indexed prices, as simulated). Undefined amounts are NaN and are
/// written as an empty cell. The number inside is reached through [`Euros::new`] and
/// [`Euros::value`] only, so that amounts are not mixed up with other floats by accident.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Euros(f64);

impl Euros {
    pub const ZERO: Euros = Euros(0.0);

    /// An amount of `euros`.
    #[inline]
    pub const fn new(euros: f64) -> Euros {
        Euros(euros)
    }

    /// The amount as a number of euros.
    #[inline]
    pub const fn value(self) -> f64 {
        self.0
    }

    /// Whether the amount is defined.
    pub fn is_finite(self) -> bool {
        self.0.is_finite()
    }

    /// The amount in millions of euros (for charts and terminal tables).
    pub fn millions(self) -> f64 {
        self.0 / 1e6
    }

    /// The amount rounded to cents, as written in CSV (`1234.50`); empty when undefined.
    pub fn cents(self) -> String {
        if self.0.is_finite() {
            format!("{:.2}", self.0)
        } else {
            String::new()
        }
    }
}

impl Add for Euros {
    type Output = Euros;
    fn add(self, o: Euros) -> Euros {
        Euros(self.0 + o.0)
    }
}

impl Sub for Euros {
    type Output = Euros;
    fn sub(self, o: Euros) -> Euros {
        Euros(self.0 - o.0)
    }
}

impl AddAssign for Euros {
    fn add_assign(&mut self, o: Euros) {
        self.0 += o.0;
    }
}

impl Mul<f64> for Euros {
    type Output = Euros;
    fn mul(self, k: f64) -> Euros {
        Euros(self.0 * k)
    }
}

/// A running total of euros with Neumaier's compensation: terms are added in the order
/// given (deterministic), and the total stays exact to far below a cent for the sums of a
/// run (millions of euros over thousands of terms). Read it at any point with
/// [`RunningSum::total`] (cumulative amounts).
#[derive(Clone, Copy, Debug, Default)]
pub struct RunningSum {
    sum: f64,
    c: f64,
}

impl RunningSum {
    /// Adds `x`.
    pub fn add(&mut self, Euros(x): Euros) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.c += (self.sum - t) + x;
        } else {
            self.c += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// The total so far.
    pub fn total(&self) -> Euros {
        Euros(self.sum + self.c)
    }
}

/// A compensated sum ([`RunningSum`]) in iteration order.
impl Sum for Euros {
    fn sum<I: Iterator<Item = Euros>>(iter: I) -> Euros {
        let mut s = RunningSum::default();
        for x in iter {
            s.add(x);
        }
        s.total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_only_at_output() {
        assert_eq!(Euros(1234.5).cents(), "1234.50");
        assert_eq!(Euros(0.125).cents(), "0.12"); // 0.125 is stored just below
        assert_eq!(Euros(f64::NAN).cents(), "");
        assert_eq!((Euros(3.0e6) - Euros(1.0e6)).millions(), 2.0);
    }

    #[test]
    fn compensated_sums_do_not_lose_the_cents() {
        // a large amount and many small ones: plain f64 summation drifts, this does not
        let terms: Vec<Euros> = std::iter::once(Euros(1e9))
            .chain(std::iter::repeat_n(Euros(0.01), 1_000_000))
            .collect();
        let s: Euros = terms.iter().copied().sum();
        assert_eq!(s.cents(), "1000010000.00");
        // a running total read along the way is as exact
        let mut run = RunningSum::default();
        for (k, t) in terms.iter().enumerate() {
            run.add(*t);
            if k == 500_000 {
                assert_eq!(run.total().cents(), "1000005000.00");
            }
        }
        assert_eq!(run.total(), s);
        let naive: f64 = terms.iter().map(|e| e.0).sum();
        assert_ne!(format!("{naive:.2}"), "1000010000.00");
    }
}
