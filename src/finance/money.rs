//! Money: [`Euros`], an amount that is not just any float. Amounts keep their sub-cent
//! precision while they are computed and summed (in a fixed order, with compensated
//! summation), and are rounded to cents only when they are written.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

/// An amount in euros (indexed prices, as simulated). Undefined amounts are NaN and are
/// written as an empty cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Euros(pub f64);

impl Euros {
    pub const ZERO: Euros = Euros(0.0);

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

/// Neumaier's compensated sum, in iteration order: deterministic, and exact to far below a
/// cent for the sums of a run (millions of euros over thousands of terms).
impl Sum for Euros {
    fn sum<I: Iterator<Item = Euros>>(iter: I) -> Euros {
        let (mut sum, mut c) = (0.0f64, 0.0f64);
        for Euros(x) in iter {
            let t = sum + x;
            if sum.abs() >= x.abs() {
                c += (sum - t) + x;
            } else {
                c += (x - t) + sum;
            }
            sum = t;
        }
        Euros(sum + c)
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
        let naive: f64 = terms.iter().map(|e| e.0).sum();
        assert_ne!(format!("{naive:.2}"), "1000010000.00");
    }
}
