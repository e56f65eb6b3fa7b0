//! Whole places: a table's occupancy asks for `L / occupancy` places, which is seldom a
//! whole number, so the occupancies a scenario can reach are those of the whole numbers
//! around it. A crisis unit with 6.52 youths in care at 70% needs 9.32 places: 10 places
//! give 65.2%, 9 give 72.5%, and 70% itself is out of reach. `init` names such services,
//! and `calibrate` judges their occupancy against what whole places allow.

use super::check::RegionTable;
use super::solve::Solution;

/// A service whose table occupancy whole places cannot reach.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreachable {
    /// Index of the service in the table.
    pub service: usize,
    /// Youths in care (the caseload `init` derives).
    pub caseload: f64,
    /// The table's occupancy.
    pub occupancy: f64,
    /// The places written, and the occupancy they give.
    pub places: u32,
    pub reached: f64,
    /// The whole numbers of places around `caseload / occupancy`, and their occupancies
    /// (the fewer places' at most 1).
    pub band: Band,
}

/// The whole numbers of places either side of `caseload / occupancy`, and the occupancy
/// each gives: `more` places give the lower occupancy `low`, `fewer` the higher `high`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub exact: f64,
    pub fewer: u32,
    pub more: u32,
    pub low: f64,
    pub high: f64,
}

/// The band of occupancies whole places allow around `occupancy` for `caseload` youths in
/// care (`occupancy` itself when it needs a whole number of places).
pub fn band(caseload: f64, occupancy: f64) -> Band {
    let exact = caseload / occupancy;
    let more = ((exact - 1e-9).ceil()).max(1.0);
    let fewer = ((exact + 1e-9).floor()).max(1.0);
    let low = (caseload / more).min(occupancy);
    let high = (caseload / fewer).clamp(occupancy, 1.0);
    Band {
        exact,
        fewer: fewer as u32,
        more: more as u32,
        low,
        high,
    }
}

/// Relative difference between the table's occupancy and the one the written places give
/// beyond which `init` names a service (1%: at 90% occupancy, 0.9 percentage points).
pub const NOTED: f64 = 0.01;

/// The services of a solved table whose occupancy, with the whole places written, is more
/// than [`NOTED`] off the table's.
pub fn unreachable(table: &RegionTable, sol: &Solution) -> Vec<Unreachable> {
    table
        .services
        .iter()
        .zip(&sol.flows)
        .enumerate()
        .filter_map(|(i, (s, f))| {
            // with a starting list the places are ⌈L⌉ by design and occupancy is no target
            let occupancy = s.occupancy.filter(|_| !s.has_list())?;
            let places = f.capacity?;
            let reached = f.caseload / f64::from(places);
            ((reached - occupancy).abs() > NOTED * occupancy).then(|| Unreachable {
                service: i,
                caseload: f.caseload,
                occupancy,
                places,
                reached,
                band: band(f.caseload, occupancy),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_places_either_side() {
        // the crisis unit of the Lekstroom table: 6.524 youths at 70%
        let b = band(6.524, 0.7);
        assert_eq!((b.fewer, b.more), (9, 10));
        assert!((b.low - 0.6524).abs() < 1e-9 && (b.high - 6.524 / 9.0).abs() < 1e-9);
        // a whole number of places: the band is the occupancy itself
        let b = band(9.0, 0.9);
        assert_eq!((b.fewer, b.more), (10, 10));
        assert!((b.low - 0.9).abs() < 1e-12 && (b.high - 0.9).abs() < 1e-12);
        // fewer places than youths: at most full
        let b = band(0.9, 0.95);
        assert_eq!((b.fewer, b.more), (1, 1));
        assert!(b.high <= 1.0);
    }
}
