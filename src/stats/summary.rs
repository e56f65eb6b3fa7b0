//! Summaries across replications: mean, Student-t 95% interval and percentiles.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The summary of one quantity over replications. Replications where the quantity is
/// undefined (NaN, e.g. a mean wait in a period without admissions) are left out, and
/// `n` says how many remained.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p05: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub n: usize,
}

/// The two-sided 95% Student-t quantile for `df` degrees of freedom.
///
/// The inverse CDF is an iterative search (a few microseconds); a summary table asks for
/// the same `df` thousands of times in a row, so the last answer is kept per thread.
pub fn t975(df: usize) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    thread_local! {
        static LAST: std::cell::Cell<(usize, f64)> = const { std::cell::Cell::new((0, f64::NAN)) };
    }
    LAST.with(|last| {
        let (d, t) = last.get();
        if d == df {
            return t;
        }
        let t = StudentsT::new(0.0, 1.0, df as f64)
            .map(|t| t.inverse_cdf(0.975))
            .unwrap_or(f64::NAN);
        last.set((df, t));
        t
    })
}

/// The `q`-quantile of sorted values, linear between order statistics (R type 7,
/// numpy's default).
pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    match v.len() {
        0 => f64::NAN,
        1 => v[0],
        n => {
            let h = (n - 1) as f64 * q;
            let i = h.floor() as usize;
            let f = h - i as f64;
            if i + 1 < n {
                v[i] + f * (v[i + 1] - v[i])
            } else {
                v[n - 1]
            }
        }
    }
}

/// Summarises the values of one quantity, one per replication, in replication order.
/// `buf` is scratch space, reused between calls to avoid allocation.
pub fn summarise(values: impl Iterator<Item = f64>, buf: &mut Vec<f64>) -> Summary {
    buf.clear();
    buf.extend(values.filter(|v| !v.is_nan()));
    let n = buf.len();
    if n == 0 {
        return Summary {
            mean: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
            p05: f64::NAN,
            p50: f64::NAN,
            p90: f64::NAN,
            p95: f64::NAN,
            n: 0,
        };
    }
    // two-pass mean and variance in replication order: deterministic and stable
    let mean = buf.iter().sum::<f64>() / n as f64;
    let (ci_low, ci_high) = if n > 1 {
        let var = buf.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t975(n - 1) * (var / n as f64).sqrt();
        (mean - half, mean + half)
    } else {
        (f64::NAN, f64::NAN)
    };
    buf.sort_by(f64::total_cmp);
    Summary {
        mean,
        ci_low,
        ci_high,
        p05: quantile_sorted(buf, 0.05),
        p50: quantile_sorted(buf, 0.5),
        p90: quantile_sorted(buf, 0.9),
        p95: quantile_sorted(buf, 0.95),
        n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t975(1) - 12.706).abs() < 1e-3);
        assert!((t975(9) - 2.262).abs() < 1e-3);
        assert!((t975(1000) - 1.962).abs() < 1e-3);
    }

    #[test]
    fn summary_of_known_values() {
        let mut buf = Vec::new();
        let s = summarise([1.0, 2.0, 3.0, 4.0, f64::NAN].into_iter(), &mut buf);
        assert_eq!(s.n, 4);
        assert_eq!(s.mean, 2.5);
        // sd = 1.2910, se = 0.6455, t(3) = 3.1824 → half width 2.0543
        assert!((s.ci_high - s.mean - 2.0543).abs() < 1e-3);
        assert_eq!(s.p50, 2.5);
        assert!((s.p05 - 1.15).abs() < 1e-12);
        let one = summarise([7.0].into_iter(), &mut buf);
        assert_eq!(one.mean, 7.0);
        assert!(one.ci_low.is_nan());
        assert!(summarise(std::iter::empty(), &mut buf).mean.is_nan());
    }
}
