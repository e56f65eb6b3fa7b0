//! A youth's marks: when it last left each level (a service, a segment or care altogether),
//! by which `clients` counts it once per level and period.

/// When a youth last left a level (a service, a segment or care altogether).
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    pub(super) level: u32,
    pub(super) t: f64,
}

impl Mark {
    /// Adds the marks `from` (another episode of the same youth) into `into`, keeping the
    /// later time of each level.
    pub fn merge_into(into: &mut Vec<Mark>, from: &[Mark]) {
        for m in from {
            match into.iter_mut().find(|n| n.level == m.level) {
                Some(n) => n.t = n.t.max(m.t),
                None => into.push(*m),
            }
        }
    }

    /// When the youth of `marks` last left `level` (minus infinity: never).
    #[inline(always)]
    pub(super) fn left(marks: &[Mark], level: usize) -> f64 {
        marks
            .iter()
            .find(|m| m.level as usize == level)
            .map_or(f64::NEG_INFINITY, |m| m.t)
    }
}

/// The other episode of a youth with care alongside, as distinct counting needs it: its
/// marks, and the service where it holds a place now (if any).
pub type Partner<'m> = Option<(&'m [Mark], Option<usize>)>;
