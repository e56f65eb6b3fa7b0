//! Statistics: streaming accumulation within a replication, and summaries across them.
//!
//! [`Recorder`] is fed by the simulation as events happen and keeps only per-slice
//! counters and time integrals (memory grows with the number of reporting periods, not
//! with the number of events or youths). At the end of a replication it condenses into
//! [`RepValues`]: one number per (level, metric, period), addressed by [`LevelRef`] and
//! [`crate::timeline::PeriodRef`]. [`summary`] turns the values of
//! all replications into means, Student-t confidence intervals and percentiles;
//! [`aggregate`] does so replication by replication, without keeping them all (exact up to
//! 100 replications, then percentiles from a sketch), and keeps the cells declared
//! [`aggregate::Kept`] per replication.

pub mod aggregate;
mod hist;
mod norm;
mod prices;
mod recorder;
mod sketch;
pub mod summary;
mod values;

pub use crate::measure::Metric;
pub use hist::{CostHistogram, WaitHistogram};
pub use norm::PathwayNorm;
pub use prices::{PriceTable, Rates};
pub use recorder::{Counter, Level, Levels, Mark, RecentFlow, Recorder, Scope};
pub use values::{LevelIndex, LevelRef, RepValues};
