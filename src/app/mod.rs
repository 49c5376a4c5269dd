//! The use cases: the one place that API handlers, dashboard handlers and CLI commands call. Each
//! function checks its input with the domain's rules, talks to the store, keeps caches right, and
//! answers with domain values or an [`AppError`]. Nothing here knows about HTTP.

pub mod accounts;
pub mod alerts;
pub mod broadcasts;
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
pub mod webhooks;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

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
        }
    }
}
