//! The metrics jeugdflow reports, with their output names.

/// A reported quantity. The order here is the order of rows in the outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    Arrivals,
    Admissions,
    Discharges,
    Clients,
    OccupancyMean,
    CapacityMean,
    Utilisation,
    WaitingMean,
    WaitingEnd,
    WaitDaysMean,
    WaitDaysP90,
    TimeToCareDaysMean,
    TimeToCareDaysP90,
    OverNormShare,
    OutOfHomeDays,
    BlockedDays,
    Reneged,
    Diverted,
    DivertedPlaced,
    Overflowed,
    Reentries,
    AgedOut,
    Moves,
    EpisodeMovesMean,
    EpisodeMovesP90,
    EpisodeOohDaysMean,
    EpisodeOohDaysP90,
    WaitingPeak,
    Fte,
    Hires,
    MaxChangeLoad,
    Cost,
    CostCapacity,
    CostStranded,
    CostTrajectory,
    CostTop10Share,
    CostPerYouthP50,
    CostPerYouthP90,
}

impl Metric {
    /// All metrics, in output order.
    pub const ALL: [Metric; 38] = [
        Metric::Arrivals,
        Metric::Admissions,
        Metric::Discharges,
        Metric::Clients,
        Metric::OccupancyMean,
        Metric::CapacityMean,
        Metric::Utilisation,
        Metric::WaitingMean,
        Metric::WaitingEnd,
        Metric::WaitDaysMean,
        Metric::WaitDaysP90,
        Metric::TimeToCareDaysMean,
        Metric::TimeToCareDaysP90,
        Metric::OverNormShare,
        Metric::OutOfHomeDays,
        Metric::BlockedDays,
        Metric::Reneged,
        Metric::Diverted,
        Metric::DivertedPlaced,
        Metric::Overflowed,
        Metric::Reentries,
        Metric::AgedOut,
        Metric::Moves,
        Metric::EpisodeMovesMean,
        Metric::EpisodeMovesP90,
        Metric::EpisodeOohDaysMean,
        Metric::EpisodeOohDaysP90,
        Metric::WaitingPeak,
        Metric::Fte,
        Metric::Hires,
        Metric::MaxChangeLoad,
        Metric::Cost,
        Metric::CostCapacity,
        Metric::CostStranded,
        Metric::CostTrajectory,
        Metric::CostTop10Share,
        Metric::CostPerYouthP50,
        Metric::CostPerYouthP90,
    ];

    /// Number of metrics.
    pub const COUNT: usize = Self::ALL.len();

    /// The name used in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Arrivals => "arrivals",
            Metric::Admissions => "admissions",
            Metric::Discharges => "discharges",
            Metric::Clients => "clients",
            Metric::OccupancyMean => "occupancy_mean",
            Metric::CapacityMean => "capacity_mean",
            Metric::Utilisation => "utilisation",
            Metric::WaitingMean => "waiting_mean",
            Metric::WaitingEnd => "waiting_end",
            Metric::WaitDaysMean => "wait_days_mean",
            Metric::WaitDaysP90 => "wait_days_p90",
            Metric::TimeToCareDaysMean => "time_to_care_days_mean",
            Metric::TimeToCareDaysP90 => "time_to_care_days_p90",
            Metric::OverNormShare => "over_norm_share",
            Metric::OutOfHomeDays => "out_of_home_days",
            Metric::BlockedDays => "blocked_days",
            Metric::Reneged => "reneged",
            Metric::Diverted => "diverted",
            Metric::DivertedPlaced => "diverted_placed",
            Metric::Overflowed => "overflowed",
            Metric::Reentries => "reentries",
            Metric::AgedOut => "aged_out",
            Metric::Moves => "moves",
            Metric::EpisodeMovesMean => "moves_per_episode_mean",
            Metric::EpisodeMovesP90 => "moves_per_episode_p90",
            Metric::EpisodeOohDaysMean => "out_of_home_days_per_episode_mean",
            Metric::EpisodeOohDaysP90 => "out_of_home_days_per_episode_p90",
            Metric::WaitingPeak => "waiting_peak",
            Metric::Fte => "fte",
            Metric::Hires => "hires",
            Metric::MaxChangeLoad => "max_change_load",
            Metric::Cost => "cost",
            Metric::CostCapacity => "cost_capacity",
            Metric::CostStranded => "cost_stranded",
            Metric::CostTrajectory => "cost_trajectory",
            Metric::CostTop10Share => "cost_top10_share",
            Metric::CostPerYouthP50 => "cost_per_youth_p50",
            Metric::CostPerYouthP90 => "cost_per_youth_p90",
        }
    }

    /// Whether the metric is reported for the whole system only (`all`/`all`).
    pub fn system_only(self) -> bool {
        matches!(
            self,
            Metric::EpisodeMovesMean
                | Metric::EpisodeMovesP90
                | Metric::EpisodeOohDaysMean
                | Metric::EpisodeOohDaysP90
                | Metric::MaxChangeLoad
                | Metric::CostTop10Share
                | Metric::CostPerYouthP50
                | Metric::CostPerYouthP90
        )
    }

    /// Looks a metric up by its CSV name.
    pub fn from_name(s: &str) -> Option<Metric> {
        Self::ALL.iter().copied().find(|m| m.name() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        let mut names: Vec<_> = Metric::ALL.iter().map(|m| m.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Metric::COUNT);
    }
}
