//! The discrete-event engine: an event calendar, a clock in days, and random streams.
//!
//! This module knows nothing about youth care. It offers three building blocks that any
//! simulation model can use:
//! - [`Calendar`]: a priority queue of events ordered by (time, insertion sequence), so
//!   that events at the same time run in the order they were scheduled, and that refuses
//!   an event before its clock ([`ScheduleError`]);
//! - [`rng`]: random streams derived from (seed, replication, purpose) only, never from
//!   thread order, so results are byte-identical whatever the thread count;
//! - [`dist`]: the distributions a model draws durations from, including the stationary
//!   residual (equilibrium) distribution used to start a run "in the present".

mod calendar;
pub mod dist;
pub mod rng;

pub use calendar::{Calendar, ScheduleError};
pub use dist::{Dist, DistError};
pub use rng::{Rng, Streams};
