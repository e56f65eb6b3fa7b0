//! The queue runs and comparisons wait in: at most one job per core at a time (a
//! semaphore), each on tokio's blocking pool, with its progress in an atomic counter the
//! pages poll. A job that fails says why with an HTTP status; one that panics becomes a
//! failure with status 500 and a message, and the server goes on serving.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use serde::Serialize;
use tokio::sync::Semaphore;

use super::messages as m;
use super::outputs::{OutKind, local};
use super::safety::Refusal;
use crate::report::lang::Lang;

/// How far a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Queued,
    Running,
    Done,
    Failed,
}

/// What a job is: a run or a comparison, its folder, its roads and replications, and the
/// language its messages are in.
#[derive(Clone, Debug, Serialize)]
pub struct Job {
    pub kind: OutKind,
    /// Its folder in the output folder.
    pub folder: String,
    pub roads: Vec<String>,
    /// The futures a comparison runs its roads in (none: the roads as written).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub futures: Vec<String>,
    pub replications: u32,
    #[serde(skip)]
    pub lang: Lang,
}

/// What the pages see of a job.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub id: u64,
    #[serde(flatten)]
    pub job: Job,
    /// When it was queued (local time).
    pub queued: String,
    pub state: State,
    /// Units done (replications) out of `total`.
    pub done: u64,
    pub total: u64,
    /// Why it failed, or what it made.
    pub message: String,
    /// Where its result is (a page of the output folder), once done.
    pub link: Option<String>,
    /// The HTTP status of a failure (400, 409, 500, …).
    #[serde(skip)]
    pub status: StatusCode,
}

/// A job's counter of units done, shared with the work while it runs.
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<AtomicU64>);

impl Progress {
    /// Sets the units done.
    pub fn set(&self, n: u64) {
        self.0.store(n, Ordering::Relaxed);
    }
}

/// What a job's work returns: where its result is, or why it failed.
pub type Outcome = Result<String, Refusal>;

struct Entry {
    status: Status,
    progress: Progress,
}

/// The queue of jobs.
#[derive(Clone)]
pub struct Jobs {
    table: Arc<Mutex<BTreeMap<u64, Entry>>>,
    next_id: Arc<AtomicU64>,
    permits: Arc<Semaphore>,
    running: Arc<AtomicU64>,
    stopping: Arc<AtomicBool>,
    max_waiting: usize,
}

/// Finished jobs kept for their pages to read.
const KEEP_FINISHED: usize = 200;

impl Jobs {
    /// A queue running at most `parallel` jobs at a time, refusing new ones while
    /// `max_waiting` wait or run.
    pub fn new(parallel: usize, max_waiting: usize) -> Jobs {
        Jobs {
            table: Arc::default(),
            next_id: Arc::new(AtomicU64::new(1)),
            permits: Arc::new(Semaphore::new(parallel.max(1))),
            running: Arc::default(),
            stopping: Arc::default(),
            max_waiting,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Entry>> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, id: u64, f: impl FnOnce(&mut Status)) {
        if let Some(e) = self.lock().get_mut(&id) {
            f(&mut e.status);
        }
    }

    /// Queues `work` (of `total` units, reporting to its [`Progress`]); returns the job's
    /// id, or 503 when too many jobs wait. Must be called inside the tokio runtime.
    pub fn submit<F>(&self, job: Job, total: u64, work: F) -> Result<u64, Refusal>
    where
        F: FnOnce(&Progress) -> Outcome + Send + 'static,
    {
        let id = {
            let mut table = self.lock();
            let waiting = table
                .values()
                .filter(|e| matches!(e.status.state, State::Queued | State::Running))
                .count();
            if waiting >= self.max_waiting {
                return Err(Refusal::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    m::queue_full(job.lang, waiting),
                ));
            }
            let finished: Vec<u64> = table
                .iter()
                .filter(|(_, e)| matches!(e.status.state, State::Done | State::Failed))
                .map(|(id, _)| *id)
                .collect();
            for old in finished
                .iter()
                .take(finished.len().saturating_sub(KEEP_FINISHED))
            {
                table.remove(old);
            }
            let id = self.next_id.fetch_add(1, Ordering::Relaxed);
            table.insert(
                id,
                Entry {
                    status: Status {
                        id,
                        job,
                        queued: local(std::time::SystemTime::now()),
                        state: State::Queued,
                        done: 0,
                        total,
                        message: String::new(),
                        link: None,
                        status: StatusCode::OK,
                    },
                    progress: Progress::default(),
                },
            );
            id
        };
        let jobs = self.clone();
        tokio::spawn(async move { jobs.drive(id, work).await });
        Ok(id)
    }

    async fn drive<F>(self, id: u64, work: F)
    where
        F: FnOnce(&Progress) -> Outcome + Send + 'static,
    {
        let Ok(_permit) = self.permits.clone().acquire_owned().await else {
            return;
        };
        if self.stopping.load(Ordering::SeqCst) {
            self.update(id, |s| {
                s.state = State::Failed;
                s.status = StatusCode::SERVICE_UNAVAILABLE;
                s.message = m::stopping(s.job.lang);
            });
            return;
        }
        let progress = self
            .lock()
            .get(&id)
            .map(|e| e.progress.clone())
            .unwrap_or_default();
        self.update(id, |s| s.state = State::Running);
        self.running.fetch_add(1, Ordering::SeqCst);
        let joined = tokio::task::spawn_blocking(move || work(&progress)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.update(id, |s| match joined {
            Ok(Ok(link)) => {
                s.state = State::Done;
                s.done = s.total;
                s.link = Some(link);
            }
            Ok(Err(r)) => {
                s.state = State::Failed;
                s.status = r.status;
                s.message = r.message;
            }
            Err(e) => {
                s.state = State::Failed;
                s.status = StatusCode::INTERNAL_SERVER_ERROR;
                s.message = m::internal(s.job.lang, &panic_message(e));
            }
        });
    }

    /// The job `id`, with its progress now.
    pub fn status(&self, id: u64) -> Option<Status> {
        let table = self.lock();
        let e = table.get(&id)?;
        let mut s = e.status.clone();
        if s.state == State::Running {
            s.done = e.progress.0.load(Ordering::Relaxed).min(s.total);
        }
        Some(s)
    }

    /// Every job the queue holds (waiting, running, and the last finished ones), newest
    /// first, with its progress now.
    pub fn list(&self) -> Vec<Status> {
        let ids: Vec<u64> = self.lock().keys().rev().copied().collect();
        ids.into_iter().filter_map(|id| self.status(id)).collect()
    }

    /// Stops starting queued jobs and waits (up to `limit`) for the running ones to finish
    /// writing their results.
    pub async fn stop(&self, limit: Duration) {
        self.stopping.store(true, Ordering::SeqCst);
        let started = std::time::Instant::now();
        while self.running.load(Ordering::SeqCst) > 0 && started.elapsed() < limit {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The message of a panicked task.
fn panic_message(e: tokio::task::JoinError) -> String {
    if !e.is_panic() {
        return "the task was cancelled".into();
    }
    let p = e.into_panic();
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            kind: OutKind::Run,
            folder: "x".into(),
            roads: vec!["x".into()],
            futures: Vec::new(),
            replications: 1,
            lang: Lang::En,
        }
    }

    async fn wait(jobs: &Jobs, id: u64) -> Status {
        for _ in 0..500 {
            let s = jobs.status(id).unwrap();
            if matches!(s.state, State::Done | State::Failed) {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("job {id} did not finish");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panic_is_a_500_and_the_queue_goes_on() {
        let jobs = Jobs::new(1, 4);
        let bad = jobs
            .submit(job(), 1, |_| -> Outcome { panic!("boom in replication 3") })
            .unwrap();
        let good = jobs
            .submit(job(), 5, |p| {
                p.set(5);
                Ok("/out/x/report.html".into())
            })
            .unwrap();
        let refused = jobs
            .submit(job(), 1, |_| {
                Err(Refusal::new(StatusCode::CONFLICT, "taken"))
            })
            .unwrap();
        let s = wait(&jobs, bad).await;
        assert_eq!(s.state, State::Failed);
        assert_eq!(s.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(s.message.contains("boom in replication 3"), "{}", s.message);
        let s = wait(&jobs, good).await;
        assert_eq!((s.state, s.done, s.total), (State::Done, 5, 5));
        assert_eq!(s.link.as_deref(), Some("/out/x/report.html"));
        let s = wait(&jobs, refused).await;
        assert_eq!((s.state, s.status), (State::Failed, StatusCode::CONFLICT));
        assert!(jobs.status(999).is_none());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_n_run_at_once_and_the_queue_is_capped() {
        let jobs = Jobs::new(1, 2);
        let gate = Arc::new(AtomicBool::new(false));
        let g = gate.clone();
        let first = jobs
            .submit(job(), 1, move |_| {
                while !g.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(String::new())
            })
            .unwrap();
        let second = jobs.submit(job(), 1, |_| Ok(String::new())).unwrap();
        let third = jobs.submit(job(), 1, |_| Ok(String::new()));
        assert_eq!(third.unwrap_err().status, StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(jobs.status(first).unwrap().state, State::Running);
        assert_eq!(jobs.status(second).unwrap().state, State::Queued);
        gate.store(true, Ordering::SeqCst);
        assert_eq!(wait(&jobs, second).await.state, State::Done);
    }
}
