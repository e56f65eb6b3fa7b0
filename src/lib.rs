//! jeugdflow: a discrete-event simulation of youth-care capacity and flow.
//!
//! Data flows one way:
//!
//! ```text
//! scenario (TOML) ──parse+validate──▶ Model ──▶ experiment (replications, rayon)
//!     ──▶ engine + model::sim (one replication) ──▶ stats ──▶ report (CSV, JSON)
//! ```
//!
//! - [`measure`]: every measure's name, unit, level, direction, format and words, once;
//! - [`engine`]: event calendar, random streams, distributions — knows nothing of youth care;
//! - [`timeline`]: dates as simulation days, and the reporting periods;
//! - [`model`]: the validated model and the rules of one replication ([`model::sim`]);
//! - [`scenario`]: the TOML schema and its validation into a [`model::Model`];
//! - [`experiment`]: many replications in parallel, deterministic whatever the threads;
//! - [`stats`]: streaming statistics per replication and summaries across them;
//! - [`finance`]: budgets, funding models and savings, as rows (no file formats);
//! - [`sweep`]: sweep files, their points and the paired comparison of runs;
//! - [`report`]: every output file as bytes (a run folder whole: [`report::run_folder`]),
//!   written atomically by [`report::output`];
//! - [`studio`]: `jeugdflow serve`, the web app that builds, runs and compares strategies
//!   on all of the above;
//! - [`words`]: lists and counts in words, for every layer's messages.
//!
//! The binary (`src/main.rs`, `src/cmd/`) only parses the command line, calls these and
//! decides where the bytes go.

pub mod engine;
pub mod experiment;
pub mod finance;
pub mod measure;
pub mod model;
pub mod region;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod studio;
pub mod sweep;
pub mod timeline;
pub mod words;
