//! A compact DDSketch: percentiles across replications with relative accuracy, in a few
//! hundred bytes per cell.
//!
//! The bins are those of `sketches-ddsketch` — the same key of a value and the same value
//! of a key, taken from its [`Config`] — so a quantile is the number that crate answers,
//! to the bit. Only the store differs: the crate keeps a dense run of bins that starts at
//! 128 (1 KB for a single value), while the values of one cell across replications fall
//! in a few dozen bins. Here each side keeps only its occupied bins, as (key, count)
//! pairs sorted by key. Nothing is ever collapsed: a cell whose values span more than the
//! crate's 2,048 bins (18 orders of magnitude at 1%) keeps them all.

use sketches_ddsketch::Config;

/// Occupied bins, sorted by key: (key, count).
#[derive(Clone, Debug, Default)]
struct Bins(Vec<(i32, u32)>);

impl Bins {
    #[inline]
    fn add(&mut self, key: i32) {
        match self.0.binary_search_by_key(&key, |b| b.0) {
            Ok(i) => self.0[i].1 += 1,
            Err(i) => self.0.insert(i, (key, 1)),
        }
    }

    fn count(&self) -> u64 {
        self.0.iter().map(|b| u64::from(b.1)).sum()
    }

    /// The key holding the value of rank `rank` (0 = the lowest key's first value).
    fn key_at_rank(&self, rank: u64) -> i32 {
        let mut n = 0;
        for &(key, c) in &self.0 {
            n += u64::from(c);
            if n > rank {
                return key;
            }
        }
        self.0.last().map_or(0, |b| b.0)
    }
}

/// Values of one cell, sketched.
#[derive(Clone, Debug)]
pub struct Sketch {
    positive: Bins,
    /// Bins of the magnitudes of negative values.
    negative: Bins,
    zeros: u64,
    min: f64,
    max: f64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            positive: Bins::default(),
            negative: Bins::default(),
            zeros: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Sketch {
    /// Adds a finite value.
    #[inline]
    pub fn add(&mut self, config: &Config, v: f64) {
        let tiny = config.min_possible();
        if v > tiny {
            self.positive.add(config.key(v));
        } else if v < -tiny {
            self.negative.add(config.key(-v));
        } else {
            self.zeros += 1;
        }
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) as `sketches-ddsketch` answers it, or `None` when
    /// empty: the value of rank ⌊q·(n−1)⌋ within the relative accuracy, the extremes exact.
    pub fn quantile(&self, config: &Config, q: f64) -> Option<f64> {
        let (neg, pos) = (self.negative.count(), self.positive.count());
        let n = neg + self.zeros + pos;
        if n == 0 || !(0.0..=1.0).contains(&q) {
            return None;
        }
        if q == 0.0 {
            return Some(self.min);
        }
        if q == 1.0 {
            return Some(self.max);
        }
        let rank = (q * (n as f64 - 1.0)) as u64;
        Some(if rank < neg {
            -config.value(self.negative.key_at_rank(neg - rank - 1))
        } else if rank < neg + self.zeros {
            0.0
        } else {
            config.value(self.positive.key_at_rank(rank - neg - self.zeros))
        })
    }

    /// Bytes this sketch holds on the heap.
    #[cfg(test)]
    fn heap_bytes(&self) -> usize {
        (self.positive.0.capacity() + self.negative.0.capacity()) * size_of::<(i32, u32)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sketches_ddsketch::DDSketch;

    fn config() -> Config {
        Config::new(0.01, 2048, 1e-9)
    }

    proptest! {
        /// The same quantiles as `sketches-ddsketch`, to the bit, for values of either
        /// sign, zeros and a spread of 15 orders of magnitude (within the crate's 2,048
        /// bins, beyond which it would collapse its lowest bins and this sketch would not).
        #[test]
        fn answers_as_the_crate_does(
            values in prop::collection::vec(
                prop_oneof![
                    -1e6f64..1e6,
                    Just(0.0),
                    1e-6f64..1e-3,
                    (0.5f64..2.0).prop_map(|x| x * 1e9),
                ],
                1..300,
            ),
        ) {
            let c = config();
            let (mut ours, mut theirs) = (Sketch::default(), DDSketch::new(c));
            for v in &values {
                ours.add(&c, *v);
                theirs.add(*v);
            }
            for q in [0.0, 0.05, 0.25, 0.5, 0.9, 0.95, 1.0] {
                let want = theirs.quantile(q).ok().flatten().map(f64::to_bits);
                prop_assert_eq!(ours.quantile(&c, q).map(f64::to_bits), want, "q {}", q);
            }
        }
    }

    #[test]
    fn a_cell_of_similar_values_takes_a_few_bins_not_a_kilobyte() {
        let c = config();
        let mut s = Sketch::default();
        // 1,000 replications of a value within ±10%: about 20 bins of 1%
        for r in 0..1000u32 {
            s.add(
                &c,
                5000.0 * (0.9 + 0.2 * f64::from((r * 7919) % 1000) / 1000.0),
            );
        }
        assert!(s.positive.0.len() <= 12, "{} bins", s.positive.0.len());
        assert!(s.heap_bytes() <= 256, "{} bytes", s.heap_bytes());
        assert_eq!(
            s.quantile(&c, 0.5).map(|x| (x / 5000.0 - 1.0).abs() < 0.02),
            Some(true)
        );
        assert_eq!(Sketch::default().quantile(&c, 0.5), None);
    }
}
