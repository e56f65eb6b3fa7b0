//! Parameters that change over time: a constant, a step schedule or a linear path.

/// A function of simulation time (days). Points are sorted by time; before the first
/// point the first value holds, after the last point the last value.
#[derive(Clone, Debug, PartialEq)]
pub enum TimeFn {
    Const(f64),
    /// Value jumps to `v` at time `t` of each point `(t, v)`.
    Step(Vec<(f64, f64)>),
    /// Value moves linearly between points.
    Linear(Vec<(f64, f64)>),
}

impl TimeFn {
    /// The value at time `t`.
    pub fn at(&self, t: f64) -> f64 {
        match self {
            TimeFn::Const(v) => *v,
            TimeFn::Step(pts) => {
                let i = pts.partition_point(|(at, _)| *at <= t);
                if i == 0 { pts[0].1 } else { pts[i - 1].1 }
            }
            TimeFn::Linear(pts) => {
                let i = pts.partition_point(|(at, _)| *at <= t);
                if i == 0 {
                    pts[0].1
                } else if i == pts.len() {
                    pts[i - 1].1
                } else {
                    let (t0, v0) = pts[i - 1];
                    let (t1, v1) = pts[i];
                    v0 + (v1 - v0) * (t - t0) / (t1 - t0)
                }
            }
        }
    }

    /// The times at which the function changes slope or value.
    pub fn knots(&self) -> &[(f64, f64)] {
        match self {
            TimeFn::Const(_) => &[],
            TimeFn::Step(p) | TimeFn::Linear(p) => p,
        }
    }

    /// The largest value on `[a, b]` (exact for these piecewise forms).
    pub fn max_on(&self, a: f64, b: f64) -> f64 {
        let mut m = self.at(a).max(self.at(b));
        for &(t, v) in self.knots() {
            if t > a && t < b {
                m = m.max(v);
            }
        }
        m
    }

    /// Multiplies every value by `k`.
    pub fn scaled(&self, k: f64) -> TimeFn {
        match self {
            TimeFn::Const(v) => TimeFn::Const(v * k),
            TimeFn::Step(p) => TimeFn::Step(p.iter().map(|(t, v)| (*t, v * k)).collect()),
            TimeFn::Linear(p) => TimeFn::Linear(p.iter().map(|(t, v)| (*t, v * k)).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_and_linear_values() {
        let s = TimeFn::Step(vec![(10.0, 5.0), (20.0, 2.0)]);
        assert_eq!(s.at(0.0), 5.0);
        assert_eq!(s.at(10.0), 5.0);
        assert_eq!(s.at(19.9), 5.0);
        assert_eq!(s.at(20.0), 2.0);
        let l = TimeFn::Linear(vec![(0.0, 1.0), (100.0, 0.5)]);
        assert_eq!(l.at(-5.0), 1.0);
        assert!((l.at(50.0) - 0.75).abs() < 1e-12);
        assert_eq!(l.at(500.0), 0.5);
        assert_eq!(l.max_on(10.0, 20.0), l.at(10.0));
        let bump = TimeFn::Linear(vec![(0.0, 1.0), (5.0, 3.0), (10.0, 1.0)]);
        assert_eq!(bump.max_on(0.0, 10.0), 3.0);
        assert_eq!(TimeFn::Const(2.0).scaled(3.0), TimeFn::Const(6.0));
    }
}
