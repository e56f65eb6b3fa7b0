//! A youth's cost per calendar year, for cost concentration (`cost_top10_share`,
//! `cost_per_youth_p50`, `cost_per_youth_p90`): everything the youth's stays and
//! admissions cost in one year, summed over all its episodes in that year, whatever the
//! service. A stay that runs over the turn of a year is split there; a youth who leaves
//! care and comes back within the year is one youth-year. A youth-year is recorded when
//! the year ends (or the run does) or when the youth leaves care for good. An episode of
//! care alongside (`sim/alongside.rs`) adds its cost to its youth's year.

use super::World;
use super::alongside::holding;
use crate::model::pricing;

impl World<'_> {
    /// Adds the cost of the place youth `y` holds at `s` from where it was last counted
    /// to `t`.
    #[inline(always)]
    pub(super) fn accrue(&mut self, t: f64, y: u32, s: usize) {
        let model = self.model;
        let youth = &mut self.youths[y as usize];
        if let Some(tr) = &model.services[s].tariff {
            youth.year_cost += pricing::stay_cost(tr, &model.finance, youth.costed_to, t);
        }
        youth.costed_to = t;
    }

    /// Youth `y` leaves care for good (its slot is freed): its year so far is recorded.
    #[inline(always)]
    pub(super) fn close_youth_year(&mut self, y: u32) {
        let youth = &mut self.youths[y as usize];
        let euros = std::mem::take(&mut youth.year_cost);
        if euros > 0.0 {
            self.rec.youth_year_cost(euros);
        }
    }

    /// A calendar year (or the run) ends at `t`: the cost of every youth's year so far is
    /// recorded (the places held are counted up to `t`), and a new year starts at zero.
    /// At the start of the statistics window this only resets: the recorder keeps nothing
    /// before it.
    pub(super) fn close_years(&mut self, t: f64) {
        if self.has_alongside {
            // an episode alongside is part of its youth's year
            self.alongside_years(t);
        }
        for y in 0..self.youths.len() as u32 {
            let youth = &self.youths[y as usize];
            if youth.companion {
                continue;
            }
            if let Some(s) = holding(youth.state, youth.service, youth.held) {
                self.accrue(t, y, s);
            }
            self.close_youth_year(y);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::measure::Metric;
    use crate::model::Model;
    use crate::model::sim::{levels_of, simulate};
    use crate::scenario::{self, Source};
    use crate::timeline::PeriodRef;

    fn load(text: &str) -> Model {
        scenario::load(&Source {
            name: "t.toml".into(),
            text: text.into(),
        })
        .expect("valid scenario")
    }

    fn region(m: &Model, metric: Metric, p: PeriodRef) -> f64 {
        let v = simulate(m, 7, 0).values;
        v.get(levels_of(m).all(), metric, m.timeline.period(p))
    }

    /// Two episodes of one youth in one year are one youth-year: 30 days at €100, away 10
    /// days, back for 30 days at €100 in another segment: €6,000 for most youths (those
    /// referred before November), where a cost per episode gives €3,000.
    #[test]
    fn a_youths_episodes_in_one_year_are_summed() {
        let m = load(
            "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2024-12-31\nseed = 1\n\
             replications = 1\n\
             [[inflow]]\nto = \"a\"\nper_year = 400\n\
             [[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
             capacity = 1000\nlos = { dist = \"fixed\", value = 30 }\n\
             tariff = { per_day = 100.0 }\n\
             reentry = { p = 1.0, after = { dist = \"fixed\", value = 10 }, to = \"b\" }\n\
             [[service]]\nid = \"b\"\nsegment = \"h\"\nsetting = \"ambulant\"\n\
             capacity = 1000\nlos = { dist = \"fixed\", value = 30 }\n\
             tariff = { per_day = 100.0 }\n",
        );
        let p50 = region(&m, Metric::CostPerYouthP50, PeriodRef::Total);
        assert!(
            (p50 / 6000.0 - 1.0).abs() < 0.05,
            "median youth-year €{p50}"
        );
    }

    /// A stay over the turn of a year is split there: youths in care all the time of two
    /// years cost a year of days in each, not their whole stay in the year it ends (and a
    /// stay that has not ended is counted too).
    #[test]
    fn a_stay_over_the_turn_of_the_year_is_split() {
        let m = load(
            "[scenario]\nname = \"t\"\nstart = 2024-01-01\nend = 2025-12-31\nseed = 1\n\
             replications = 1\n\
             [[service]]\nid = \"a\"\nsegment = \"g\"\nsetting = \"residential\"\n\
             capacity = 20\ninitial = 20\nlos = { dist = \"fixed\", value = 1000000 }\n\
             tariff = { per_day = 100.0 }\n",
        );
        for (year, days) in [(0, 366.0), (1, 365.0)] {
            let p50 = region(&m, Metric::CostPerYouthP50, PeriodRef::Year(year));
            let want = days * 100.0;
            assert!(
                (p50 / want - 1.0).abs() < 0.03,
                "year {year}: €{p50}, not €{want}"
            );
        }
        // twenty youths, each costing the same: the costliest 10% take 10%
        let top = region(&m, Metric::CostTop10Share, PeriodRef::Total);
        assert!((top - 0.1).abs() < 0.01, "top 10% share {top}");
    }
}
