//! Group commit for reports. Every submission waits for the commit that contains it (a customer sees
//! the thank-you page only for a report that is on disk), but submissions that arrive while a commit
//! is running share the next transaction, so a burst costs one disk flush instead of one per report.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use sea_orm::{DatabaseConnection, EntityTrait};
use tokio::sync::{mpsc, oneshot};

use super::entities::{report, report_photo};
use super::webhooks::NewEvent;
use super::{StoreError, rollups, webhooks};
use crate::domain::rollup::{Fact, Tally};

/// Most reports one transaction carries; bounds the latency a large burst adds to its first member.
const MAX_BATCH: usize = 128;

pub struct NewReport {
    pub report: report::ActiveModel,
    pub photos: Vec<report_photo::ActiveModel>,
    /// What the report adds to the statistics rollups, upserted in the same transaction.
    pub fact: Fact,
    /// The `report.created` webhook event, queued in the same transaction: an acknowledged report
    /// always has its deliveries queued.
    pub event: NewEvent,
}

struct Job {
    new: NewReport,
    done: oneshot::Sender<Result<(), StoreError>>,
}

#[derive(Clone)]
pub struct ReportWriter {
    jobs: mpsc::Sender<Job>,
    stats: Arc<CommitStats>,
}

#[derive(Default)]
struct CommitStats {
    commits: AtomicU64,
    rows: AtomicU64,
}

impl ReportWriter {
    /// Starts the writer task on the current runtime. It ends when every handle is dropped.
    pub fn start(db: DatabaseConnection) -> ReportWriter {
        let (jobs, rx) = mpsc::channel(4 * MAX_BATCH);
        let stats = Arc::new(CommitStats::default());
        tokio::spawn(run(db, rx, stats.clone()));
        ReportWriter { jobs, stats }
    }

    /// (transactions committed, reports they carried) since start.
    pub fn commit_stats(&self) -> (u64, u64) {
        (self.stats.commits.load(Relaxed), self.stats.rows.load(Relaxed))
    }

    /// Returns once the report is committed; `Err(StoreError::Conflict)` when an identical submission
    /// (same line and de-duplication key) is already stored.
    pub async fn write(&self, new: NewReport) -> Result<(), StoreError> {
        let (done, committed) = oneshot::channel();
        self.jobs
            .send(Job { new, done })
            .await
            .map_err(|_| StoreError::Unexpected(anyhow::anyhow!("the report writer has stopped")))?;
        committed.await.map_err(|_| StoreError::Unexpected(anyhow::anyhow!("the report writer dropped a report")))?
    }
}

async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<Job>, stats: Arc<CommitStats>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let reports: Vec<&NewReport> = batch.iter().map(|j| &j.new).collect();
        match commit(&db, &reports).await {
            Ok(()) => {
                stats.commits.fetch_add(1, Relaxed);
                stats.rows.fetch_add(batch.len() as u64, Relaxed);
                for job in batch.drain(..) {
                    let _ = job.done.send(Ok(()));
                }
            }
            // Storage is unavailable (a database restart, a full disk): every report of the batch
            // fails the same way, and retrying them one by one would hold the queue for a connection
            // timeout each. The callers answer 503; nothing was stored.
            Err(e) if e.is_outage() => {
                tracing::warn!(error = %e, size = batch.len(), "group commit failed: storage unavailable");
                for job in batch.drain(..) {
                    let _ = job.done.send(Err(e.same()));
                }
            }
            Err(e) if batch.len() > 1 => {
                // One bad report must not fail the others: retry each on its own.
                tracing::warn!(error = %e, size = batch.len(), "group commit failed; retrying reports one by one");
                for job in batch.drain(..) {
                    let result = commit(&db, &[&job.new]).await.map_err(duplicate_as_conflict);
                    if result.is_ok() {
                        stats.commits.fetch_add(1, Relaxed);
                        stats.rows.fetch_add(1, Relaxed);
                    }
                    let _ = job.done.send(result);
                }
            }
            Err(e) => {
                let e = duplicate_as_conflict(e);
                for job in batch.drain(..) {
                    let _ = job.done.send(Err(e.same()));
                }
            }
        }
    }
}

impl StoreError {
    /// A copy for each waiting caller: the database error itself where there is one, so that an
    /// outage stays recognisable, a message otherwise.
    fn same(&self) -> StoreError {
        match self {
            StoreError::NotFound => StoreError::NotFound,
            StoreError::Conflict(m) => StoreError::Conflict(m.clone()),
            StoreError::Db(db) => StoreError::Db(db.clone()),
            StoreError::Unexpected(e) => StoreError::Unexpected(anyhow::anyhow!("{e:#}")),
        }
    }
}

/// A unique violation here means the same submission is already stored (its twin won the race).
fn duplicate_as_conflict(e: StoreError) -> StoreError {
    match e {
        StoreError::Db(db) if super::is_unique_violation(&db) => StoreError::Conflict("duplicate".into()),
        other => other,
    }
}

async fn commit(db: &DatabaseConnection, reports: &[&NewReport]) -> Result<(), StoreError> {
    let txn = super::begin_write(db).await?;
    report::Entity::insert_many(reports.iter().map(|r| r.report.clone())).exec_without_returning(&txn).await?;
    let photos: Vec<report_photo::ActiveModel> = reports.iter().flat_map(|r| r.photos.iter().cloned()).collect();
    if !photos.is_empty() {
        report_photo::Entity::insert_many(photos).exec_without_returning(&txn).await?;
    }
    let mut tally = Tally::default();
    for r in reports {
        tally.add(&r.fact);
    }
    rollups::add(&txn, &tally).await?;
    let events: Vec<NewEvent> = reports.iter().map(|r| r.event.clone()).collect();
    webhooks::enqueue(&txn, &events).await?;
    txn.commit().await?;
    Ok(())
}
