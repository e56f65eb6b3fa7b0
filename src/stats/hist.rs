//! A fixed-size histogram of waiting times, for percentiles without storing every wait.
//!
//! Bin 0 holds waits of exactly zero (admitted at once — often the majority), bin 1 waits
//! under a quarter of an hour. Above that the bins follow the floating-point layout, as in
//! HDR histograms: each doubling of the wait (octave) is cut into 32 equal bins, so a bin
//! is at most 3.1% of its value wide and finding one needs no logarithm — only the
//! exponent and the top five mantissa bits. Percentiles interpolate linearly inside a bin.

/// Waits below 2^MIN_EXP days share bin 1.
const MIN_EXP: i32 = -6;
/// Octaves covered: up to 2^(MIN_EXP + OCTAVES) = 65,536 days.
const OCTAVES: usize = 22;
const SUB_BITS: u32 = 5;
const SUB: usize = 1 << SUB_BITS;
/// Number of bins.
pub const BINS: usize = 2 + OCTAVES * SUB;

/// Counts of waits per bin.
#[derive(Clone)]
pub struct WaitHistogram {
    pub(super) counts: Box<[u32; BINS]>,
    total: u64,
}

impl Default for WaitHistogram {
    fn default() -> Self {
        WaitHistogram {
            counts: Box::new([0; BINS]),
            total: 0,
        }
    }
}

/// The bin of a wait (days).
#[inline]
pub fn bin_of(w: f64) -> usize {
    if w <= 1e-9 {
        return 0;
    }
    let bits = w.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1023;
    if exp < MIN_EXP {
        return 1;
    }
    let octave = ((exp - MIN_EXP) as usize).min(OCTAVES - 1);
    let sub = if exp - MIN_EXP >= OCTAVES as i32 {
        SUB - 1
    } else {
        ((bits >> (52 - SUB_BITS)) & (SUB as u64 - 1)) as usize
    };
    2 + octave * SUB + sub
}

fn bin_bounds(b: usize) -> (f64, f64) {
    match b {
        0 => (0.0, 0.0),
        1 => (0.0, 2f64.powi(MIN_EXP)),
        _ => {
            let octave = (b - 2) / SUB;
            let sub = ((b - 2) % SUB) as f64;
            let base = 2f64.powi(MIN_EXP + octave as i32);
            (
                base * (1.0 + sub / SUB as f64),
                base * (1.0 + (sub + 1.0) / SUB as f64),
            )
        }
    }
}

impl WaitHistogram {
    /// Adds one wait (days).
    #[inline]
    pub fn add(&mut self, w: f64) {
        self.add_bin(bin_of(w));
    }

    /// Adds one wait whose bin (from `bin_of`) is already known.
    #[inline]
    pub fn add_bin(&mut self, bin: usize) {
        self.counts[bin] += 1;
        self.total += 1;
    }

    /// Forgets every wait (keeps the allocation, for reuse).
    pub fn clear(&mut self) {
        self.counts.fill(0);
        self.total = 0;
    }

    /// Adds all counts of another histogram.
    pub fn merge(&mut self, other: &WaitHistogram) {
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a += b;
        }
        self.total += other.total;
    }

    /// Number of waits recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The `q`-quantile (0 ≤ q ≤ 1), or NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let target = q * self.total as f64;
        let mut below = 0.0;
        for (b, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let c = c as f64;
            if below + c >= target {
                let (lo, hi) = bin_bounds(b);
                let f = ((target - below) / c).clamp(0.0, 1.0);
                return lo + f * (hi - lo);
            }
            below += c;
        }
        bin_bounds(BINS - 1).1
    }
}

/// Counts and sums of per-youth costs (in euros) on the same log bins, applied to
/// thousands of euros (up to about €65 million). Gives quantiles and the share of the total
/// taken by the costliest fraction, exact but for the bin where the cut falls.
#[derive(Clone, Default)]
pub struct CostHistogram {
    counts: WaitHistogram,
    sums: Vec<f64>,
    total: f64,
}

impl CostHistogram {
    /// Adds one youth's cost (euros).
    pub fn add(&mut self, euros: f64) {
        let k = euros / 1000.0;
        let b = bin_of(k);
        self.counts.add_bin(b);
        if self.sums.is_empty() {
            self.sums = vec![0.0; BINS];
        }
        self.sums[b] += euros;
        self.total += euros;
    }

    /// Adds another histogram.
    pub fn merge(&mut self, other: &CostHistogram) {
        self.counts.merge(&other.counts);
        if !other.sums.is_empty() {
            if self.sums.is_empty() {
                self.sums = vec![0.0; BINS];
            }
            for (a, b) in self.sums.iter_mut().zip(&other.sums) {
                *a += b;
            }
        }
        self.total += other.total;
    }

    /// The `q`-quantile of the costs (euros), NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        self.counts.quantile(q) * 1000.0
    }

    /// The share of the total cost taken by the costliest `top` fraction of youths.
    pub fn top_share(&self, top: f64) -> f64 {
        let n = self.counts.len() as f64;
        if n == 0.0 || self.total <= 0.0 {
            return f64::NAN;
        }
        let mut remaining = top * n; // youths still to take, costliest first
        let mut taken = 0.0;
        for b in (0..BINS).rev() {
            let c = self.counts.counts[b] as f64;
            if c == 0.0 {
                continue;
            }
            if c <= remaining {
                taken += self.sums[b];
                remaining -= c;
            } else {
                taken += self.sums[b] * remaining / c;
                break;
            }
        }
        taken / self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_their_values() {
        for w in [
            0.0, 0.01, 0.3, 1.0, 13.99, 14.0, 30.0, 365.0, 5000.0, 65535.0,
        ] {
            let (lo, hi) = bin_bounds(bin_of(w));
            assert!(
                w >= lo && (w < hi || (w == 0.0 && hi == 0.0)),
                "{w} in [{lo},{hi})"
            );
        }
    }

    #[test]
    fn quantiles_are_close_to_exact() {
        let mut h = WaitHistogram::default();
        let mut v: Vec<f64> = (0..10_000).map(|i| (i as f64 * 0.731) % 400.0).collect();
        for w in &v {
            h.add(*w);
        }
        v.sort_by(f64::total_cmp);
        let exact = v[(0.9 * v.len() as f64) as usize];
        let est = h.quantile(0.9);
        assert!((est - exact).abs() / exact < 0.03, "{est} vs {exact}");
        assert!(WaitHistogram::default().quantile(0.9).is_nan());
    }

    #[test]
    fn cost_concentration_of_known_costs() {
        let mut h = CostHistogram::default();
        // 90 youths at €1,000 and 10 at €81,000: the top 10% take 81,000·10 / 900,000
        for i in 0..100 {
            h.add(if i < 90 { 1000.0 } else { 81000.0 });
        }
        assert!((h.top_share(0.1) - 0.9).abs() < 1e-12);
        assert!((h.quantile(0.5) - 1000.0).abs() / 1000.0 < 0.04);
        let mut equal = CostHistogram::default();
        for _ in 0..50 {
            equal.add(500.0);
        }
        assert!((equal.top_share(0.1) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn mostly_zero_waits_give_zero_p90() {
        let mut h = WaitHistogram::default();
        for i in 0..100 {
            h.add(if i < 95 { 0.0 } else { 50.0 });
        }
        assert_eq!(h.quantile(0.9), 0.0);
        let mut g = WaitHistogram::default();
        g.merge(&h);
        assert_eq!(g.len(), 100);
    }
}
