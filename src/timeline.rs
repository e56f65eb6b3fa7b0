//! Calendar time: dates of a scenario as days since its start, and the reporting periods.
//!
//! The simulation clock counts days from the scenario's `start` (day 0 is its first
//! day); `end` is the last simulated day, so the horizon is `end − start + 1` days.
//! Statistics are kept per **slice**: the pieces into which both the report interval
//! (week, month, quarter, year) and the calendar years cut the statistics window
//! `[warmup, horizon)`. Interval periods, years and the whole window are unions of
//! slices, so every additive quantity is recorded once per slice and summed afterwards.

use jiff::civil::Date;
use jiff::{ToSpan, Unit};

/// Days in a year wherever a rate or an amount is given "per year" (a Julian year).
pub const DAYS_PER_YEAR: f64 = 365.25;

/// How the time series is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interval {
    Week,
    Month,
    Quarter,
    Year,
}

impl Interval {
    /// The accepted spellings, for messages.
    pub const NAMES: &'static str = "week, month, quarter, year";

    /// Parses `week | month | quarter | year`.
    pub fn parse(s: &str) -> Option<Interval> {
        match s {
            "week" => Some(Interval::Week),
            "month" => Some(Interval::Month),
            "quarter" => Some(Interval::Quarter),
            "year" => Some(Interval::Year),
            _ => None,
        }
    }

    /// The start of the calendar period containing `d` (weeks start on Monday).
    fn floor(self, d: Date) -> Date {
        match self {
            Interval::Week => {
                let back = d.weekday().to_monday_zero_offset() as i64;
                d.checked_sub(back.days()).unwrap_or(d)
            }
            Interval::Month => d.first_of_month(),
            Interval::Quarter => {
                let m = ((d.month() - 1) / 3) * 3 + 1;
                Date::new(d.year(), m, 1).unwrap_or(d)
            }
            Interval::Year => d.first_of_year(),
        }
    }

    fn next(self, d: Date) -> Date {
        let span = match self {
            Interval::Week => 1.week(),
            Interval::Month => 1.month(),
            Interval::Quarter => 3.months(),
            Interval::Year => 1.year(),
        };
        d.checked_add(span).unwrap_or(Date::MAX)
    }
}

/// Days from `start` to `d` (negative before the start).
pub fn days_between(start: Date, d: Date) -> i64 {
    start
        .until((Unit::Day, d))
        .map(|s| s.get_days() as i64)
        .unwrap_or(i64::MAX)
}

/// A reporting period: `[start, end)` in simulation days, labelled by its first date.
#[derive(Clone, Debug, PartialEq)]
pub struct Period {
    pub start: f64,
    pub end: f64,
    /// First date of the period within the statistics window.
    pub first_day: Date,
}

impl Period {
    /// Length in days.
    pub fn days(&self) -> f64 {
        self.end - self.start
    }
}

/// A slice of the statistics window and the periods it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    pub start: f64,
    pub end: f64,
    pub interval: usize,
    pub year: usize,
}

/// A period of the results: a report interval, a calendar year (both by position in
/// [`Timeline::intervals`] and [`Timeline::years`]), or the whole window (`total`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodRef {
    Interval(usize),
    Year(usize),
    Total,
}

/// How the periods of a timeline are numbered in results: the report intervals, then the
/// calendar years, then the whole window. The one place that turns a [`PeriodRef`] into
/// a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periods {
    intervals: usize,
    years: usize,
}

impl Periods {
    /// Numbering for `intervals` report intervals and `years` calendar years.
    pub fn new(intervals: usize, years: usize) -> Periods {
        Periods { intervals, years }
    }

    /// The position of period `p`.
    #[inline]
    pub fn index(self, p: PeriodRef) -> usize {
        match p {
            PeriodRef::Interval(i) => i,
            PeriodRef::Year(y) => self.intervals + y,
            PeriodRef::Total => self.intervals + self.years,
        }
    }

    /// Number of periods (intervals + years + 1).
    pub fn count(self) -> usize {
        self.intervals + self.years + 1
    }
}

/// The statistics window cut into interval periods, calendar years and slices.
#[derive(Clone, Debug)]
pub struct Timeline {
    pub start_date: Date,
    pub horizon: f64,
    pub warmup: f64,
    pub intervals: Vec<Period>,
    /// Calendar years, with the year number.
    pub years: Vec<(i16, Period)>,
    pub slices: Vec<Slice>,
}

impl Timeline {
    /// Cuts `[warmup, horizon)` (days after `start`). `horizon` is the number of
    /// simulated days; the caller has checked `0 ≤ warmup < horizon`.
    pub fn new(start: Date, horizon_days: i64, warmup_days: i64, interval: Interval) -> Timeline {
        let day = |d: Date| days_between(start, d) as f64;
        let date = |x: i64| start.checked_add(x.days()).unwrap_or(Date::MAX);
        let horizon = horizon_days as f64;
        let warmup = warmup_days as f64;
        let first = date(warmup_days);
        let last = date(horizon_days); // exclusive

        let cut = |step: &dyn Fn(Date) -> Date, floor: Date| {
            let mut out = Vec::new();
            let mut s = floor;
            while s < last {
                let e = step(s).min(last);
                let from = s.max(first);
                out.push(Period {
                    start: day(from),
                    end: day(e),
                    first_day: from,
                });
                s = e;
            }
            out
        };
        let intervals = cut(&|d| interval.next(d), interval.floor(first));
        let years: Vec<(i16, Period)> = cut(&|d| Interval::Year.next(d), first.first_of_year())
            .into_iter()
            .map(|p| (p.first_day.year(), p))
            .collect();

        let mut bounds: Vec<f64> = intervals
            .iter()
            .map(|p| p.start)
            .chain(years.iter().map(|(_, p)| p.start))
            .chain(std::iter::once(horizon))
            .collect();
        bounds.sort_by(f64::total_cmp);
        bounds.dedup();
        let slices = bounds
            .windows(2)
            .map(|w| Slice {
                start: w[0],
                end: w[1],
                interval: intervals.iter().rposition(|p| p.start <= w[0]).unwrap_or(0),
                year: years
                    .iter()
                    .rposition(|(_, p)| p.start <= w[0])
                    .unwrap_or(0),
            })
            .collect();
        Timeline {
            start_date: start,
            horizon,
            warmup,
            intervals,
            years,
            slices,
        }
    }

    /// How the periods of this timeline are numbered in results.
    pub fn periods(&self) -> Periods {
        Periods::new(self.intervals.len(), self.years.len())
    }

    /// The position of period `p` in results (see [`Periods`]).
    pub fn period(&self, p: PeriodRef) -> usize {
        self.periods().index(p)
    }

    /// The date of simulation day `t` (rounded down).
    pub fn date_of(&self, t: f64) -> Date {
        self.start_date
            .checked_add((t.floor() as i64).days())
            .unwrap_or(Date::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn months_and_years_partition_the_window() {
        let t = Timeline::new(date(2024, 1, 1), 731, 0, Interval::Month);
        assert_eq!(t.intervals.len(), 24);
        assert_eq!(t.years.len(), 2);
        assert_eq!(t.years[1].0, 2025);
        assert_eq!(t.years[0].1.days(), 366.0); // leap year
        assert_eq!(t.slices.len(), 24);
        assert_eq!(t.intervals[1].start, 31.0);
        assert_eq!(t.intervals[1].first_day, date(2024, 2, 1));
        let total: f64 = t.slices.iter().map(|s| s.end - s.start).sum();
        assert_eq!(total, 731.0);
        // results number the 24 months, then the 2 years, then the total
        assert_eq!(t.period(PeriodRef::Interval(3)), 3);
        assert_eq!(t.period(PeriodRef::Year(1)), 25);
        assert_eq!(t.period(PeriodRef::Total), 26);
        assert_eq!(t.periods().count(), 27);
    }

    #[test]
    fn weeks_are_split_at_new_year_and_warmup_is_excluded() {
        // 2024-01-01 is a Monday; warm up 10 days, two years of weeks
        let t = Timeline::new(date(2024, 1, 1), 731, 10, Interval::Week);
        assert_eq!(t.intervals[0].start, 10.0);
        assert_eq!(t.intervals[0].first_day, date(2024, 1, 11));
        // the week containing 2025-01-01 (a Wednesday) is cut by the year boundary
        let ny = days_between(date(2024, 1, 1), date(2025, 1, 1)) as f64;
        assert!(t.slices.iter().any(|s| s.start == ny));
        let s = t.slices.iter().find(|s| s.start == ny).unwrap();
        assert_eq!(t.years[s.year].0, 2025);
        assert!(t.intervals[s.interval].start < ny);
        let total: f64 = t.slices.iter().map(|s| s.end - s.start).sum();
        assert_eq!(total, 721.0);
    }

    #[test]
    fn quarters_start_on_quarter_days() {
        let t = Timeline::new(date(2024, 2, 15), 400, 0, Interval::Quarter);
        assert_eq!(t.intervals[0].first_day, date(2024, 2, 15));
        assert_eq!(t.intervals[1].first_day, date(2024, 4, 1));
        assert_eq!(t.date_of(0.5), date(2024, 2, 15));
    }
}
