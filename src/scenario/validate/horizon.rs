//! Dated values cut to the horizon. A scenario that `extends` another may shorten or
//! lengthen the horizon; the base's schedule points, trend points and transition windows
//! beyond the new horizon are then cut to it (with a note), not refused. A date outside
//! the horizon written in the same file as the horizon (or a nearer one) stays an error.

/// The value at `t` of points `(t, v)` in increasing `t`: the last point at or before `t`
/// (steps) or linear between points (`linear`); the first value before the first point
/// and the last after the last.
fn value_at(points: &[(f64, f64)], t: f64, linear: bool) -> f64 {
    let Some(&(t0, v0)) = points.first() else {
        return f64::NAN;
    };
    if t <= t0 {
        return v0;
    }
    let after = points.iter().position(|&(x, _)| x > t);
    match after {
        None => points[points.len() - 1].1,
        Some(i) => {
            let (a, b) = (points[i - 1], points[i]);
            if linear {
                a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0)
            } else {
                a.1
            }
        }
    }
}

/// Points `(t, v)` in increasing `t` (days from the start, possibly before 0 or after
/// `last`, the last simulated day) cut to `[0, last]`: points outside are dropped, and the
/// value they give at the start (and, when `linear`, at `last`) becomes a point there, so
/// the path inside the horizon is unchanged. Never empty when `points` is not.
pub(super) fn clip(points: &[(f64, f64)], last: f64, linear: bool) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|&(t, _)| (0.0..=last).contains(&t))
        .collect();
    if points.is_empty() || out.len() == points.len() {
        return out;
    }
    let before = points.iter().any(|&(t, _)| t < 0.0);
    if (before && out.first().is_none_or(|p| p.0 > 0.0)) || out.is_empty() {
        out.insert(0, (0.0, value_at(points, 0.0, linear)));
    }
    let after = points.iter().any(|&(t, _)| t > last);
    if linear && after && out.last().is_none_or(|p| p.0 < last) {
        out.push((last, value_at(points, last, linear)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_inside_are_kept_as_they_are() {
        let p = [(0.0, 1.0), (10.0, 2.0)];
        assert_eq!(clip(&p, 20.0, false), p);
        assert_eq!(clip(&p, 20.0, true), p);
        assert!(clip(&[], 20.0, true).is_empty());
    }

    #[test]
    fn steps_beyond_the_end_are_dropped_and_steps_before_the_start_hold_from_it() {
        let p = [(-30.0, 5.0), (-10.0, 6.0), (10.0, 7.0), (40.0, 8.0)];
        assert_eq!(clip(&p, 20.0, false), [(0.0, 6.0), (10.0, 7.0)]);
        // every point after the end: the first value holds throughout
        assert_eq!(clip(&[(30.0, 3.0), (40.0, 4.0)], 20.0, false), [(0.0, 3.0)]);
    }

    #[test]
    fn a_linear_path_is_cut_where_it_crosses_the_horizon() {
        let p = [(-10.0, 0.0), (10.0, 2.0), (30.0, 4.0)];
        let c = clip(&p, 20.0, true);
        assert_eq!(c, [(0.0, 1.0), (10.0, 2.0), (20.0, 3.0)]);
        // the same values on every day inside
        for t in [0.0, 5.0, 10.0, 15.0, 20.0] {
            assert!((value_at(&c, t, true) - value_at(&p, t, true)).abs() < 1e-12);
        }
    }
}
