//! The strategy studio behind `jeugdflow serve`: a local web app in which a programme
//! manager builds a phasing strategy from a scenario in tables, saves it as a scenario
//! file, runs it and compares strategies — on the same library as the command line.
//!
//! - [`editor`]: a base scenario's phasing plan as fields, each cell checked strictly,
//!   and the TOML of the differences, checked as `jeugdflow validate` checks it; a road
//!   of the studio opened in place;
//! - [`roads`]: which files are the studio's own, the files that extend one, and the
//!   earlier versions kept when one is replaced;
//! - [`plan`]: a road's planned path per service and its timeline, from the model's own
//!   capacity rules ([`crate::model::sim::planned`]);
//! - [`work`]: runs (the same folder as `jeugdflow run`) and comparisons (common random
//!   numbers, the comparison files of [`crate::report::comparison::files`]);
//! - [`jobs`]: the queue (one job per core at a time, progress, a panic becomes a 500);
//! - [`outputs`]: what the output folder holds (runs, comparisons, sweeps), each
//!   scenario's last run, and which may be removed;
//! - [`safety`]: the token, the Host check, paths inside the two folders;
//! - [`request`], [`api`]: the JSON endpoints and the one way they read a request;
//! - [`catalog`], [`pages`], [`texts`], [`messages`], [`problems`], [`routes`]: what the
//!   pages list and show, in Dutch or English (a file's problems too), and the addresses.
//!
//! The server is axum on tokio. It listens on 127.0.0.1 unless told otherwise (the
//! command refuses another address without a token), caps request bodies, replications
//! and the queue, and stops cleanly on Ctrl-C: no new runs start, running ones finish
//! writing.

pub mod api;
pub mod catalog;
pub mod editor;
pub mod jobs;
pub mod messages;
pub mod outputs;
pub mod pages;
pub mod plan;
pub mod problems;
pub mod request;
pub mod roads;
pub mod routes;
pub mod safety;
pub mod texts;
pub mod work;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;

use jobs::Jobs;

/// How the studio runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The folder of scenario files it lists, reads and saves into.
    pub scenarios: PathBuf,
    /// The folder its results go into.
    pub out: PathBuf,
    /// When set, every request must carry it.
    pub token: Option<String>,
    /// Most replications one run may have.
    pub max_replications: u32,
    /// Jobs running at once (default: one per core).
    pub parallel: usize,
    /// Jobs waiting or running at most; more are refused with 503.
    pub max_waiting: usize,
}

/// Largest request body (JSON) the studio reads: 256 KiB.
pub const MAX_BODY: usize = 256 * 1024;
/// Default cap on replications per run.
pub const MAX_REPLICATIONS: u32 = 1000;

impl Config {
    /// The defaults for folders `scenarios` and `out`: no token, at most
    /// [`MAX_REPLICATIONS`], one job per core, 32 jobs waiting.
    pub fn new(scenarios: PathBuf, out: PathBuf) -> Config {
        Config {
            scenarios,
            out,
            token: None,
            max_replications: MAX_REPLICATIONS,
            parallel: std::thread::available_parallelism().map_or(1, |n| n.get()),
            max_waiting: 32,
        }
    }
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub jobs: Jobs,
    /// Saving is one at a time, so "does it exist?" and writing cannot interleave.
    pub save_lock: Arc<Mutex<()>>,
    port: Arc<AtomicU16>,
}

impl AppState {
    /// The state for `config` (the queue is made here).
    pub fn new(config: Config) -> AppState {
        let jobs = Jobs::new(config.parallel, config.max_waiting);
        AppState {
            config: Arc::new(config),
            jobs,
            save_lock: Arc::default(),
            port: Arc::default(),
        }
    }

    /// The port the studio listens on (for the Host check).
    pub fn port(&self) -> u16 {
        self.port.load(Ordering::Relaxed)
    }
}

/// The studio's routes, with its guard, body cap and panic catcher.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(routes::start))
        .route("/edit", get(routes::edit))
        .route("/road", get(routes::road_page))
        .route("/run", get(routes::run_page))
        .route("/compare", get(routes::compare_page))
        .route("/results", get(routes::results_page))
        .route("/api/scenarios", get(routes::scenarios))
        .route("/api/check", post(api::check))
        .route("/api/save", post(api::save))
        .route("/api/versions", get(api::versions))
        .route("/api/restore", post(api::restore))
        .route("/api/plan", get(api::road))
        .route("/api/runs", post(api::start_run))
        .route("/api/compare", post(api::start_compare))
        .route("/api/jobs/{id}", get(api::job))
        .route("/api/outputs", get(api::list_outputs))
        .route("/api/outputs/remove", post(api::remove_output))
        .route("/out/{*path}", get(routes::out_file))
        .route("/scenarios/{*path}", get(routes::scenario_text))
        .route("/static/studio.css", get(routes::css))
        .route("/static/{name}", get(routes::script))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            safety::guard,
        ))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}

/// Why the studio could not serve.
#[derive(Debug, thiserror::Error)]
pub enum StudioError {
    #[error("cannot start the studio's threads")]
    Runtime(#[source] std::io::Error),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the studio stopped on an error")]
    Serve(#[source] std::io::Error),
}

/// Serves `config` on `addr` until `shutdown` completes (the command passes Ctrl-C);
/// `on_listening` is told the address once the studio listens (port 0 becomes a free
/// port). Queued runs that have not started are dropped; running ones finish writing.
pub fn serve<F>(
    config: Config,
    addr: SocketAddr,
    on_listening: impl FnOnce(SocketAddr),
    shutdown: impl FnOnce() -> F,
) -> Result<(), StudioError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("studio")
        .build()
        .map_err(StudioError::Runtime)?;
    let state = AppState::new(config);
    let result = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StudioError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StudioError::Bind { addr, source })?;
        state.port.store(local.port(), Ordering::Relaxed);
        on_listening(local);
        axum::serve(listener, router(state.clone()))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(StudioError::Serve)?;
        state.jobs.stop(Duration::from_secs(120)).await;
        Ok(())
    });
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

/// Completes on Ctrl-C (and on SIGTERM on Unix).
pub async fn ctrl_c() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async {
                match term.as_mut() {
                    Some(t) => { t.recv().await; }
                    None => std::future::pending::<()>().await,
                }
            } => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
