//! The 0.9-quantiles of one kind of duration (waits, or days to care) per level and
//! period, finished as the slices end.
//!
//! Only the current slice's histogram is kept per level, with one accumulating the
//! current report interval, one the current year and one the whole window: when a slice
//! ends its durations join its interval and its year, and a period that ends with it gets
//! its quantile and is cleared for the next. Memory is four histograms per level, whatever
//! the horizon or the report interval (kept per slice, 30 years by the week took 160 MB
//! per replication). Counts are integers, so the quantiles are those of the same counts
//! merged in any order: the same numbers as merging every slice at the end.

use crate::stats::hist::WaitHistogram;

/// Durations added in `from` join `into` (allocated at first use).
fn merge_into(into: &mut Option<WaitHistogram>, from: &WaitHistogram) {
    into.get_or_insert_with(Default::default).merge(from);
}

/// The 0.9-quantile of `h` (NaN when it holds nothing), and `h` emptied for reuse.
fn finish(h: &mut Option<WaitHistogram>) -> f64 {
    match h {
        Some(h) if !h.is_empty() => {
            let q = h.quantile(0.9);
            h.clear();
            q
        }
        _ => f64::NAN,
    }
}

/// Streaming 0.9-quantiles of one kind of duration.
pub(super) struct P90s {
    n_levels: usize,
    /// Per level: the current slice, interval, year and whole window.
    slice: Vec<Option<WaitHistogram>>,
    interval: Vec<Option<WaitHistogram>>,
    year: Vec<Option<WaitHistogram>>,
    total: Vec<Option<WaitHistogram>>,
    /// Per (period position, level): the quantile, NaN until the period ends or when it
    /// held nothing.
    out: Vec<f64>,
}

/// The periods that end with a slice, by their positions in the results.
#[derive(Clone, Copy)]
pub(super) struct Ending {
    pub(super) interval: Option<usize>,
    pub(super) year: Option<usize>,
    pub(super) total: Option<usize>,
}

impl P90s {
    pub(super) fn new(n_levels: usize, n_periods: usize) -> Self {
        P90s {
            n_levels,
            slice: vec![None; n_levels],
            interval: vec![None; n_levels],
            year: vec![None; n_levels],
            total: vec![None; n_levels],
            out: vec![f64::NAN; n_periods * n_levels],
        }
    }

    /// One duration at `level` in the current slice, by its histogram bin.
    #[inline(always)]
    pub(super) fn add_bin(&mut self, level: usize, bin: usize) {
        self.slice[level]
            .get_or_insert_with(Default::default)
            .add_bin(bin);
    }

    /// One duration (days) at `level` in the current slice.
    #[inline(always)]
    pub(super) fn add(&mut self, level: usize, days: f64) {
        self.slice[level]
            .get_or_insert_with(Default::default)
            .add(days);
    }

    /// The current slice ends, and with it the periods in `ending`.
    pub(super) fn close(&mut self, ending: Ending) {
        let n = self.n_levels;
        for l in 0..n {
            if let Some(h) = &mut self.slice[l]
                && !h.is_empty()
            {
                merge_into(&mut self.interval[l], h);
                merge_into(&mut self.year[l], h);
                h.clear();
            }
            if let Some(p) = ending.interval {
                self.out[p * n + l] = finish(&mut self.interval[l]);
            }
            if let Some(p) = ending.year {
                if let Some(y) = &self.year[l] {
                    merge_into(&mut self.total[l], y);
                }
                self.out[p * n + l] = finish(&mut self.year[l]);
            }
            if let Some(p) = ending.total {
                self.out[p * n + l] = finish(&mut self.total[l]);
            }
        }
    }

    /// The 0.9-quantile at `level` in period position `p` (NaN: none).
    pub(super) fn get(&self, p: usize, level: usize) -> f64 {
        self.out[p * self.n_levels + level]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_get_the_quantile_of_their_slices_and_nothing_else() {
        // one level; periods: intervals 0..3 at positions 0..3, years at 3 and 4, total 5;
        // interval 1 spans the year boundary (two slices)
        let mut p = P90s::new(1, 6);
        let end = |interval, year, total| Ending {
            interval,
            year,
            total,
        };
        for w in 1..=10 {
            p.add(0, f64::from(w));
        }
        p.close(end(Some(0), None, None));
        p.add(0, 100.0);
        p.close(end(None, Some(3), None)); // interval 1's first slice, year 0 ends
        p.add(0, 200.0);
        p.close(end(Some(1), None, None));
        // interval 2 holds nothing
        p.close(end(Some(2), Some(4), Some(5)));
        let mut all = WaitHistogram::default();
        for w in 1..=10 {
            all.add(f64::from(w));
        }
        let first = all.quantile(0.9);
        assert_eq!(p.get(0, 0), first);
        let mut two = WaitHistogram::default();
        two.add(100.0);
        two.add(200.0);
        assert_eq!(p.get(1, 0), two.quantile(0.9));
        assert!(p.get(2, 0).is_nan());
        all.add(100.0);
        assert_eq!(p.get(3, 0), all.quantile(0.9), "year 0: interval 0 and 100");
        let mut y1 = WaitHistogram::default();
        y1.add(200.0);
        assert_eq!(p.get(4, 0), y1.quantile(0.9));
        all.add(200.0);
        assert_eq!(p.get(5, 0), all.quantile(0.9));
    }
}
