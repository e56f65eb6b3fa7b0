//! Distributions of durations (lengths of stay, patience, delays), in days.
//!
//! Each distribution is built from the parameters a user writes (mean and sd, mean and
//! cv, …), converted once to the natural parameters of the sampler. Besides ordinary
//! draws, every distribution can draw from its **stationary residual distribution**
//! (the equilibrium or "forward recurrence" distribution, density `(1 − F(x)) / E[S]`):
//! the remaining stay of someone found in care at a random moment of a steady state.
//! This is drawn exactly as `U · S*`, where `S*` is the length-biased stay (density
//! `x f(x) / E[S]`) and `U` is uniform on (0, 1).

use rand::RngExt;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Weibull};
use statrs::function::gamma::gamma as gamma_fn;

use super::Rng;

/// A validated distribution of non-negative durations.
#[derive(Clone, Debug)]
pub struct Dist {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Exponential {
        mean: f64,
    },
    LogNormal {
        mean: f64,
        sd: f64,
        draw: LogNormal<f64>,
        biased: LogNormal<f64>,
    },
    Gamma {
        mean: f64,
        cv: f64,
        draw: Gamma<f64>,
        biased: Gamma<f64>,
    },
    Weibull {
        shape: f64,
        scale: f64,
        draw: Weibull<f64>,
        biased: Gamma<f64>,
    },
    Fixed {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Values at equally spaced probabilities 0, 1/(n−1), …, 1; linear in between.
    Empirical {
        quantiles: Vec<f64>,
    },
}

/// Why a set of parameters does not describe a distribution.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A parameter must be a finite number above zero.
    #[error("`{0}` must be a number greater than 0, got {1}")]
    NotPositive(&'static str, f64),
    /// A parameter must be a finite number at least zero.
    #[error("`{0}` must be a number of at least 0, got {1}")]
    Negative(&'static str, f64),
    /// `max` must not be below `min`.
    #[error("`max` ({max}) must be at least `min` ({min})")]
    Reversed { min: f64, max: f64 },
    /// Empirical quantiles need at least two non-decreasing values.
    #[error("`quantiles` needs at least 2 values in non-decreasing order, each at least 0")]
    BadQuantiles,
    /// A fixed zero duration or all-zero quantiles: the mean would be zero.
    #[error("the mean duration must be greater than 0")]
    ZeroMean,
}

fn positive(name: &'static str, v: f64) -> Result<f64, DistError> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(DistError::NotPositive(name, v))
    }
}

fn non_negative(name: &'static str, v: f64) -> Result<f64, DistError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(DistError::Negative(name, v))
    }
}

impl Dist {
    /// Exponential with the given mean.
    pub fn exponential(mean: f64) -> Result<Dist, DistError> {
        let mean = positive("mean", mean)?;
        Ok(Dist {
            kind: Kind::Exponential { mean },
        })
    }

    /// Lognormal with the given mean and standard deviation (of the duration itself, not
    /// of its logarithm): σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2.
    pub fn lognormal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        let mean = positive("mean", mean)?;
        let sd = positive("sd", sd)?;
        let s2 = (1.0 + (sd / mean).powi(2)).ln();
        let sigma = s2.sqrt();
        let mu = mean.ln() - s2 / 2.0;
        let draw = LogNormal::new(mu, sigma).map_err(|_| DistError::NotPositive("sd", sd))?;
        // x·f(x) of a lognormal is again lognormal, with μ + σ².
        let biased =
            LogNormal::new(mu + s2, sigma).map_err(|_| DistError::NotPositive("sd", sd))?;
        Ok(Dist {
            kind: Kind::LogNormal {
                mean,
                sd,
                draw,
                biased,
            },
        })
    }

    /// Gamma with the given mean and coefficient of variation: shape k = 1/cv², scale
    /// θ = mean/k.
    pub fn gamma(mean: f64, cv: f64) -> Result<Dist, DistError> {
        let mean = positive("mean", mean)?;
        let cv = positive("cv", cv)?;
        let k = 1.0 / (cv * cv);
        let theta = mean / k;
        let draw = Gamma::new(k, theta).map_err(|_| DistError::NotPositive("cv", cv))?;
        // x·f(x) of Gamma(k, θ) is Gamma(k + 1, θ).
        let biased = Gamma::new(k + 1.0, theta).map_err(|_| DistError::NotPositive("cv", cv))?;
        Ok(Dist {
            kind: Kind::Gamma {
                mean,
                cv,
                draw,
                biased,
            },
        })
    }

    /// Weibull with the given shape k and scale λ.
    pub fn weibull(shape: f64, scale: f64) -> Result<Dist, DistError> {
        let shape = positive("shape", shape)?;
        let scale = positive("scale", scale)?;
        let draw =
            Weibull::new(scale, shape).map_err(|_| DistError::NotPositive("shape", shape))?;
        // If X is length-biased Weibull then (X/λ)^k ~ Gamma(1 + 1/k, 1).
        let biased = Gamma::new(1.0 + 1.0 / shape, 1.0)
            .map_err(|_| DistError::NotPositive("shape", shape))?;
        Ok(Dist {
            kind: Kind::Weibull {
                shape,
                scale,
                draw,
                biased,
            },
        })
    }

    /// Always the same duration.
    pub fn fixed(value: f64) -> Result<Dist, DistError> {
        let value = positive("value", value)?;
        Ok(Dist {
            kind: Kind::Fixed { value },
        })
    }

    /// Uniform between `min` and `max`.
    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        let min = non_negative("min", min)?;
        let max = non_negative("max", max)?;
        if max < min {
            return Err(DistError::Reversed { min, max });
        }
        if max == 0.0 {
            return Err(DistError::ZeroMean);
        }
        Ok(Dist {
            kind: Kind::Uniform { min, max },
        })
    }

    /// Empirical distribution given by its quantiles at equally spaced probabilities
    /// (first value at p = 0, last at p = 1), linear in between.
    pub fn empirical(quantiles: Vec<f64>) -> Result<Dist, DistError> {
        if quantiles.len() < 2
            || quantiles.iter().any(|q| !q.is_finite() || *q < 0.0)
            || quantiles.windows(2).any(|w| w[1] < w[0])
        {
            return Err(DistError::BadQuantiles);
        }
        if quantiles.iter().all(|q| *q == 0.0) {
            return Err(DistError::ZeroMean);
        }
        Ok(Dist {
            kind: Kind::Empirical { quantiles },
        })
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        match &self.kind {
            Kind::Exponential { mean } => *mean,
            Kind::LogNormal { mean, .. } | Kind::Gamma { mean, .. } => *mean,
            Kind::Weibull { shape, scale, .. } => scale * gamma_fn(1.0 + 1.0 / shape),
            Kind::Fixed { value } => *value,
            Kind::Uniform { min, max } => (min + max) / 2.0,
            Kind::Empirical { quantiles } => {
                let n = (quantiles.len() - 1) as f64;
                quantiles
                    .windows(2)
                    .map(|w| (w[0] + w[1]) / 2.0)
                    .sum::<f64>()
                    / n
            }
        }
    }

    /// The second moment E\[S²\] (so the variance is `second_moment − mean²`).
    pub fn second_moment(&self) -> f64 {
        match &self.kind {
            Kind::Exponential { mean } => 2.0 * mean * mean,
            Kind::LogNormal { mean, sd, .. } => sd * sd + mean * mean,
            Kind::Gamma { mean, cv, .. } => mean * mean * (1.0 + cv * cv),
            Kind::Weibull { shape, scale, .. } => scale * scale * gamma_fn(1.0 + 2.0 / shape),
            Kind::Fixed { value } => value * value,
            Kind::Uniform { min, max } => (min * min + min * max + max * max) / 3.0,
            Kind::Empirical { quantiles } => {
                // each segment [a, b] has mass 1/n and E[X²] = (a² + ab + b²)/3 within it
                let n = (quantiles.len() - 1) as f64;
                quantiles
                    .windows(2)
                    .map(|w| (w[0] * w[0] + w[0] * w[1] + w[1] * w[1]) / 3.0)
                    .sum::<f64>()
                    / n
            }
        }
    }

    /// One draw.
    #[inline(always)]
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        match &self.kind {
            Kind::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Kind::LogNormal { draw, .. } => draw.sample(rng),
            Kind::Gamma { draw, .. } => draw.sample(rng),
            Kind::Weibull { draw, .. } => draw.sample(rng),
            Kind::Fixed { value } => *value,
            Kind::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Kind::Empirical { quantiles } => {
                let n = quantiles.len() - 1;
                let x = rng.random::<f64>() * n as f64;
                let i = (x as usize).min(n - 1);
                let f = x - i as f64;
                quantiles[i] + f * (quantiles[i + 1] - quantiles[i])
            }
        }
    }

    /// One draw from the stationary residual (equilibrium) distribution: the remaining
    /// duration of a stay in progress at a random moment of a steady state.
    pub fn sample_residual(&self, rng: &mut Rng) -> f64 {
        let biased = match &self.kind {
            // memoryless: the residual is the distribution itself
            Kind::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                return e * mean;
            }
            Kind::LogNormal { biased, .. } => biased.sample(rng),
            Kind::Gamma { biased, .. } => biased.sample(rng),
            Kind::Weibull {
                shape,
                scale,
                biased,
                ..
            } => scale * biased.sample(rng).powf(1.0 / shape),
            Kind::Fixed { value } => *value,
            Kind::Uniform { min, max } => length_biased_linear(*min, *max, rng.random()),
            Kind::Empirical { quantiles } => {
                // pick a segment with weight ∝ its mean (all segments have equal mass),
                // then a point in it with density ∝ x
                let total: f64 = quantiles.windows(2).map(|w| w[0] + w[1]).sum();
                let mut target = rng.random::<f64>() * total;
                let mut seg = quantiles.len() - 2;
                for (i, w) in quantiles.windows(2).enumerate() {
                    let weight = w[0] + w[1];
                    if target < weight {
                        seg = i;
                        break;
                    }
                    target -= weight;
                }
                length_biased_linear(quantiles[seg], quantiles[seg + 1], rng.random())
            }
        };
        rng.random::<f64>() * biased
    }
}

/// Inverse CDF of the density ∝ x on [a, b].
fn length_biased_linear(a: f64, b: f64, u: f64) -> f64 {
    if b <= a {
        a
    } else {
        (a * a + u * (b * b - a * a)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Streams;

    fn all() -> Vec<(&'static str, Dist)> {
        vec![
            ("exponential", Dist::exponential(30.0).unwrap()),
            ("lognormal", Dist::lognormal(300.0, 250.0).unwrap()),
            ("gamma", Dist::gamma(120.0, 0.6).unwrap()),
            ("gamma-small-shape", Dist::gamma(50.0, 1.5).unwrap()),
            ("weibull", Dist::weibull(1.5, 100.0).unwrap()),
            ("fixed", Dist::fixed(28.0).unwrap()),
            ("uniform", Dist::uniform(10.0, 50.0).unwrap()),
            (
                "empirical",
                Dist::empirical(vec![5.0, 30.0, 60.0, 200.0, 900.0]).unwrap(),
            ),
        ]
    }

    /// Checks a sample mean against its expectation with a 5-sigma tolerance.
    fn check(name: &str, what: &str, draws: &[f64], expected: f64, variance: f64) {
        let n = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / n;
        let tol = 5.0 * (variance / n).sqrt() + 1e-9;
        assert!(
            (mean - expected).abs() <= tol,
            "{name} {what}: sample mean {mean}, expected {expected} ± {tol}"
        );
        assert!(draws.iter().all(|d| *d >= 0.0 && d.is_finite()), "{name}");
    }

    #[test]
    fn draws_match_the_configured_mean() {
        let mut rng = Streams::new(11, 0).stream(9, 0);
        for (name, d) in all() {
            let draws: Vec<f64> = (0..100_000).map(|_| d.sample(&mut rng)).collect();
            let var = d.second_moment() - d.mean().powi(2);
            check(name, "draw", &draws, d.mean(), var);
        }
    }

    #[test]
    fn parameter_conversion_matches_the_user_parameters() {
        assert!((Dist::lognormal(300.0, 250.0).unwrap().mean() - 300.0).abs() < 1e-9);
        let sd2 = {
            let d = Dist::lognormal(300.0, 250.0).unwrap();
            d.second_moment() - d.mean().powi(2)
        };
        assert!((sd2.sqrt() - 250.0).abs() < 1e-9);
        // Weibull with shape 1 is exponential with mean = scale
        assert!((Dist::weibull(1.0, 40.0).unwrap().mean() - 40.0).abs() < 1e-9);
        // empirical mean of a uniform-like table
        assert!((Dist::empirical(vec![0.0, 10.0]).unwrap().mean() - 5.0).abs() < 1e-12);
    }

    #[test]
    fn residual_draws_match_the_equilibrium_mean() {
        // E[residual] = E[S²] / (2 E[S]); E[residual²] = E[S³]/(3E[S]) is not needed:
        // bound the variance by E[S*²] ≤ a generous multiple.
        let mut rng = Streams::new(12, 0).stream(9, 1);
        for (name, d) in all() {
            let draws: Vec<f64> = (0..200_000).map(|_| d.sample_residual(&mut rng)).collect();
            let expected = d.second_moment() / (2.0 * d.mean());
            let n = draws.len() as f64;
            let m = draws.iter().sum::<f64>() / n;
            let var = draws.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
            check(name, "residual", &draws, expected, var);
        }
    }

    #[test]
    fn rejects_bad_parameters() {
        assert_eq!(
            Dist::exponential(0.0).unwrap_err(),
            DistError::NotPositive("mean", 0.0)
        );
        assert!(Dist::lognormal(10.0, -1.0).is_err());
        assert!(Dist::gamma(-1.0, 1.0).is_err());
        assert!(Dist::uniform(5.0, 1.0).is_err());
        assert!(Dist::empirical(vec![3.0, 1.0]).is_err());
        assert!(Dist::empirical(vec![1.0]).is_err());
        assert!(Dist::fixed(f64::NAN).is_err());
    }
}
