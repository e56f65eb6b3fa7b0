//! jeugdflow: a discrete-event simulation of youth-care capacity and flow.
//!
//! Data flows one way:
//!
//! ```text
//! scenario (TOML) ──parse+validate──▶ Model ──▶ experiment (replications, rayon)
//!     ──▶ engine + model::sim (one replication) ──▶ stats ──▶ report (CSV, JSON)
//! ```
//!
//! - [`engine`]: event calendar, random streams, distributions — knows nothing of youth care;
//! - [`timeline`]: dates as simulation days, and the reporting periods;
//! - [`model`]: the validated model and the rules of one replication ([`model::sim`]);
//! - [`scenario`]: the TOML schema and its validation into a [`model::Model`];
//! - [`experiment`]: many replications in parallel, deterministic whatever the threads;
//! - [`stats`]: streaming statistics per replication and summaries across them;
//! - [`report`]: the output files, written atomically.

pub mod engine;
pub mod experiment;
pub mod finance;
pub mod model;
pub mod region;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod sweep;
pub mod timeline;
