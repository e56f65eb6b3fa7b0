//! A fixed-size histogram of waiting times, for percentiles without storing every wait.
//!
//! Bin 0 holds waits of exactly zero (admitted at once — often the majority), bin 1 waits
//! under a quarter of an hour; above that, bins are 3% wide on a log scale, up to about
//! a hundred years. Percentiles interpolate linearly inside a bin, so their relative
//! error is below 3%.

const FLOOR: f64 = 1.0 / 64.0;
const LOG_STEP: f64 = 1.03;
const LOG_BINS: usize = 495;
/// Number of bins.
pub const BINS: usize = 2 + LOG_BINS;

/// Counts of waits per bin.
#[derive(Clone)]
pub struct WaitHistogram {
    counts: Box<[u32; BINS]>,
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

fn bin_of(w: f64) -> usize {
    if w <= 1e-9 {
        0
    } else if w < FLOOR {
        1
    } else {
        let k = ((w / FLOOR).ln() / LOG_STEP.ln()) as usize;
        2 + k.min(LOG_BINS - 1)
    }
}

fn bin_bounds(b: usize) -> (f64, f64) {
    match b {
        0 => (0.0, 0.0),
        1 => (0.0, FLOOR),
        _ => {
            let k = (b - 2) as i32;
            (FLOOR * LOG_STEP.powi(k), FLOOR * LOG_STEP.powi(k + 1))
        }
    }
}

impl WaitHistogram {
    /// Adds one wait (days).
    #[inline]
    pub fn add(&mut self, w: f64) {
        self.counts[bin_of(w)] += 1;
        self.total += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_their_values() {
        for w in [0.0, 0.01, 0.3, 1.0, 13.99, 14.0, 30.0, 365.0, 5000.0] {
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
