//! `manifest.json`: what was run, how, and what it took; and what the folder holds. Every
//! output folder has one: a run's ([`Manifest`], kind `run`), a sweep's ([`SweepManifest`],
//! kind `sweep`) and the savings folder's ([`SavingsManifest`], kind `savings`). Its `tool`,
//! `kind` and `files` are how [`super::output::claim`] recognises jeugdflow's own output.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::experiment::Results;
use crate::model::Model;
use crate::model::sim::Balance;

/// The facts needed to reproduce a run and check its bookkeeping. Written by
/// [`Manifest::new`], read back by [`super::folder`] (every field required).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// `run` (see [`super::output::Kind`]).
    pub kind: String,
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
    /// `[report] flag_over_norm_share`, so that `compare` flags services as the run did.
    pub flag_over_norm_share: f64,
    /// What the scenario changes: its procurement transitions, its gated capacity steps
    /// and when its last planned step falls, so that a comparison can flag a road whose
    /// scope differs (absent in folders of earlier versions).
    #[serde(default)]
    pub scope: Scope,
    pub youths: Conservation,
    /// For a sweep scenario: a hash of everything that determines its results (the
    /// scenario files, the overrides, seed and replications), used by `--resume`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep_key: Option<String>,
    /// For a sweep scenario: which sweep, which point, and its axis values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<serde_json::Value>,
    /// Every file of the folder, `manifest.json` included, in the order written.
    pub files: Vec<String>,
}

/// What a scenario changes, as a comparison of roads weighs their scope.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Scope {
    /// Its procurement transitions, in the scenario's order.
    pub transitions: Vec<ScopeTransition>,
    /// The services whose planned capacity steps wait on a gate (go/no-go).
    pub gated: Vec<String>,
    /// The date (YYYY-MM-DD) of its last planned capacity step, if any.
    pub last_step: Option<String>,
}

/// One procurement transition of a scenario.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ScopeTransition {
    pub segment: String,
    /// First and last day (YYYY-MM-DD).
    pub from: String,
    pub to: String,
    /// Days a referral is held back (before the change-load penalty).
    pub referral_delay: f64,
}

impl Scope {
    /// The scope of `model`.
    pub fn of(model: &Model) -> Scope {
        let tl = &model.timeline;
        let date = |t: f64| tl.date_of(t).to_string();
        let mut gated: Vec<String> = Vec::new();
        let mut last: Option<f64> = None;
        for svc in &model.services {
            for step in &svc.steps {
                last = Some(last.map_or(step.at, |l: f64| l.max(step.at)));
                if step.gate.is_some() && !gated.contains(&svc.id) {
                    gated.push(svc.id.clone());
                }
            }
        }
        Scope {
            transitions: model
                .transitions
                .iter()
                .map(|t| ScopeTransition {
                    segment: model.segments[t.segment.0 as usize].clone(),
                    from: date(t.from),
                    to: date((t.to - 1.0).max(t.from)),
                    referral_delay: t.referral_delay,
                })
                .collect(),
            gated,
            last_step: last.map(|t| date(t.max(0.0))),
        }
    }
}

/// The manifest of a sweep folder: a whole sweep, one shard of it (`shard`), or the
/// merge of its shards (identical to the whole sweep's). Read back by [`super::folder`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SweepManifest {
    pub tool: String,
    pub version: String,
    /// `sweep`.
    pub kind: String,
    pub sweep: String,
    /// What identifies the sweep across shards (its files, seed and replications).
    pub sweep_id: String,
    /// Number of scenarios (points) of the whole sweep.
    pub points: usize,
    pub seed: u64,
    pub replications: u32,
    /// `K/N` in a shard's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// The sweep's own files (its scenarios' folders have their own manifests).
    pub files: Vec<String>,
}

/// The manifest of a comparison folder (the studio's): the baseline's and the strategies'
/// run folders inside it, all with the baseline's seed and replications, and the
/// comparison's files beside them. Read back by [`super::folder`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ComparisonManifest {
    pub tool: String,
    pub version: String,
    /// `comparison`.
    pub kind: String,
    /// The baseline's scenario name (its folder).
    pub baseline: String,
    /// Every scenario compared, the baseline first (their folders).
    pub scenarios: Vec<String>,
    pub seed: u64,
    pub replications: u32,
    /// The comparison's own files (its runs' folders have their own manifests).
    pub files: Vec<String>,
}

impl ComparisonManifest {
    /// The manifest of a comparison of `scenarios` (the baseline first) holding `files`.
    pub fn new(
        scenarios: Vec<String>,
        seed: u64,
        replications: u32,
        files: Vec<String>,
    ) -> ComparisonManifest {
        ComparisonManifest {
            tool: "jeugdflow".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: "comparison".into(),
            baseline: scenarios.first().cloned().unwrap_or_default(),
            scenarios,
            seed,
            replications,
            files,
        }
    }
}

/// The manifest of the savings folder.
#[derive(Debug, Serialize)]
pub struct SavingsManifest {
    pub tool: &'static str,
    pub version: &'static str,
    /// `savings`.
    pub kind: &'static str,
    pub baseline: String,
    pub strategies: Vec<String>,
    pub seed: u64,
    pub replications: u32,
    pub files: Vec<String>,
}

/// Pretty JSON bytes of a manifest, with a final line end.
pub fn json_bytes(m: &impl Serialize) -> Result<Vec<u8>, serde_json::Error> {
    let mut v = serde_json::to_vec_pretty(m)?;
    v.push(b'\n');
    Ok(v)
}

impl SweepManifest {
    /// The manifest of sweep `sweep` (id `sweep_id`, `points` scenarios, `seed`,
    /// `replications`) holding `files` of its own.
    pub fn new(
        sweep: &str,
        sweep_id: &str,
        points: usize,
        seed: u64,
        replications: u32,
        files: Vec<String>,
    ) -> SweepManifest {
        SweepManifest {
            tool: "jeugdflow".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: "sweep".into(),
            sweep: sweep.to_string(),
            sweep_id: sweep_id.to_string(),
            points,
            seed,
            replications,
            shard: None,
            files,
        }
    }
}

/// Youths summed over replications: initial, arrived, reentered and alongside (the
/// episodes of care alongside, written only when there are any) add up to discharged,
/// reneged, aged out, in care and waiting.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Conservation {
    /// The replications' tallies summed (written as `initial`, `arrived`, …,
    /// `in_care_at_end`, `waiting_at_end`).
    #[serde(flatten)]
    pub tally: Balance,
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
        Manifest {
            tool: "jeugdflow".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: "run".into(),
            scenario: model.name.clone(),
            scenario_file: scenario_file.to_string(),
            scenario_sha256: sha256_hex(scenario_text.as_bytes()),
            seed,
            replications: res.replications() as u32,
            threads,
            start: tl.start_date.to_string(),
            end: tl.date_of(tl.horizon - 1.0).to_string(),
            warmup_days: tl.warmup,
            events_processed: res.events,
            wall_seconds,
            flag_over_norm_share: model.flag_over_norm_share,
            scope: Scope::of(model),
            youths: Conservation {
                tally: res.balances.iter().fold(Balance::default(), |mut t, b| {
                    t += *b;
                    t
                }),
                balanced_in_every_replication: res.balances.iter().all(|b| b.holds()),
            },
            sweep_key: None,
            sweep: None,
            files: Vec::new(),
        }
    }

    /// Pretty JSON bytes, with a final line end.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        json_bytes(self)
    }
}

#[cfg(test)]
impl Manifest {
    /// A run's manifest for tests of its readers.
    pub fn example(seed: u64, replications: u32) -> Manifest {
        Manifest {
            tool: "jeugdflow".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: "run".into(),
            scenario: "x".into(),
            scenario_file: "x.toml".into(),
            scenario_sha256: sha256_hex(b"x"),
            seed,
            replications,
            threads: 1,
            start: "2024-01-01".into(),
            end: "2024-12-31".into(),
            warmup_days: 0.0,
            events_processed: 0,
            wall_seconds: 0.0,
            flag_over_norm_share: 0.2,
            scope: Scope::default(),
            youths: Conservation {
                tally: Balance::default(),
                balanced_in_every_replication: true,
            },
            sweep_key: None,
            sweep: None,
            files: vec!["manifest.json".into()],
        }
    }
}
