//! The use cases: the one place that API handlers, dashboard handlers and CLI commands call. Each
//! function checks its input with the domain's rules, talks to the store, keeps caches right, and
//! answers with domain values or an [`AppError`]. Nothing here knows about HTTP.

pub mod accounts;
pub mod alerts;
pub mod broadcasts;
pub mod classify;
pub mod customers;
pub mod dashboard;
pub mod demo;
pub mod digests;
mod error;
pub mod feedback;
pub mod lines;
pub mod links;
pub mod lots;
pub mod members;
pub mod print_shares;
pub mod replies;
pub mod reports;
pub mod themes;
pub mod webhooks;
pub mod zones;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, Semaphore};

pub use error::AppError;

use crate::config::Settings;
use crate::store::line_cache::LineCache;
use crate::store::report_writer::ReportWriter;

/// What the use cases need: cheap to clone, shared by every worker.
#[derive(Clone)]
pub struct App {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Product lines by code, for the scan path; the use cases that change a line invalidate it.
    pub lines: LineCache,
    /// Group commit for reports (starts its task on the current runtime).
    pub reports: ReportWriter,
    /// Wakes the outbox deliverer when a mail was queued, so it leaves at once.
    pub outbox: Arc<Notify>,
    /// Wakes the webhook deliverer when events were queued.
    pub webhooks: Arc<Notify>,
    /// Photo decodes at once (one per core, [`crate::photos::decode_jobs`]): each may hold up to
    /// [`crate::photos::MAX_DECODE_BYTES`], so this bounds the memory photos can take.
    pub photo_jobs: Arc<Semaphore>,
    /// Category suggestions: models per manufacturer, and the job's wake-up.
    pub classifier: Arc<classify::Classifier>,
    /// Lines' themes computed in the last minute.
    pub themes: Arc<themes::Cache>,
}

impl App {
    pub fn new(db: DatabaseConnection, settings: Settings) -> App {
        App {
            reports: ReportWriter::start(db.clone()),
            db,
            settings: Arc::new(settings),
            lines: LineCache::default(),
            outbox: Arc::new(Notify::new()),
            webhooks: Arc::new(Notify::new()),
            photo_jobs: Arc::new(Semaphore::new(crate::photos::decode_jobs())),
            classifier: Arc::new(classify::Classifier::default()),
            themes: Arc::new(themes::Cache::default()),
        }
    }

    /// Runs one photo decode on the blocking pool once a decode slot is free; requests beyond the
    /// slots wait here, holding only their compressed upload.
    pub(crate) async fn decode_photo<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let permit = Arc::clone(&self.photo_jobs).acquire_owned().await?;
        let out = tokio::task::spawn_blocking(move || {
            let out = job();
            drop(permit);
            out
        })
        .await?;
        Ok(out)
    }
}
