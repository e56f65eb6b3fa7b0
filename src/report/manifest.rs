//! `manifest.json`: what was run, how, and what it took.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::experiment::Results;
use crate::model::Model;

/// The facts needed to reproduce a run and check its bookkeeping.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub scenario: String,
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    pub seed: u64,
    pub replications: u32,
    pub threads: usize,
    pub start: String,
    pub end: String,
    pub warmup_days: f64,
    pub events_processed: u64,
    pub wall_seconds: f64,
    pub youths: Conservation,
    /// For a sweep scenario: a hash of everything that determines its results (the
    /// scenario files, the overrides, seed and replications), used by `--resume`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep_key: Option<String>,
    /// For a sweep scenario: which sweep, which point, and its axis values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<serde_json::Value>,
}

/// Youths summed over replications: initial + arrived + reentered = discharged + reneged
/// + aged out + in care + waiting.
#[derive(Debug, Serialize)]
pub struct Conservation {
    pub initial: u64,
    pub arrived: u64,
    pub reentered: u64,
    pub discharged: u64,
    pub reneged: u64,
    pub aged_out: u64,
    pub in_care_at_end: u64,
    pub waiting_at_end: u64,
    pub balanced_in_every_replication: bool,
}

/// SHA-256 of some bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Manifest {
    /// The manifest of a finished run.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        model: &Model,
        scenario_file: &str,
        scenario_text: &str,
        seed: u64,
        threads: usize,
        res: &Results,
        wall_seconds: f64,
    ) -> Manifest {
        let tl = &model.timeline;
        let sum = |f: fn(&crate::model::sim::Balance) -> u64| res.balances.iter().map(f).sum();
        Manifest {
            tool: "jeugdflow",
            version: env!("CARGO_PKG_VERSION"),
            scenario: model.name.clone(),
            scenario_file: scenario_file.to_string(),
            scenario_sha256: sha256_hex(scenario_text.as_bytes()),
            seed,
            replications: res.reps.len() as u32,
            threads,
            start: tl.start_date.to_string(),
            end: tl.date_of(tl.horizon - 1.0).to_string(),
            warmup_days: tl.warmup,
            events_processed: res.events,
            wall_seconds,
            youths: Conservation {
                initial: sum(|b| b.initial),
                arrived: sum(|b| b.arrived),
                reentered: sum(|b| b.reentered),
                discharged: sum(|b| b.discharged),
                reneged: sum(|b| b.reneged),
                aged_out: sum(|b| b.aged_out),
                in_care_at_end: sum(|b| b.in_care),
                waiting_at_end: sum(|b| b.waiting),
                balanced_in_every_replication: res.balances.iter().all(|b| b.holds()),
            },
            sweep_key: None,
            sweep: None,
        }
    }

    /// Pretty JSON bytes, with a final line end.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut v = serde_json::to_vec_pretty(self)?;
        v.push(b'\n');
        Ok(v)
    }
}
