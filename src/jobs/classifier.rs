//! The classifier job inside `serve`: woken when a report is committed or labels change (and every
//! half minute, for reports another process took), it waits a moment so a burst of corrections
//! costs one retraining, then suggests categories until nothing waits.

use std::time::Duration;

use crate::app::{self, App};

/// Corrections and submissions within this window share one pass.
const DEBOUNCE: Duration = Duration::from_millis(250);
/// The longest a report waits when no wake-up comes (written by another process).
const IDLE: Duration = Duration::from_secs(30);
/// A pause between two batches of a long back-fill.
const BETWEEN_BATCHES: Duration = Duration::from_millis(20);

pub fn spawn(app: App) {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = app.classifier.wake.notified() => {}
                _ = tokio::time::sleep(IDLE) => {}
            }
            tokio::time::sleep(DEBOUNCE).await;
            loop {
                match app::classify::run_once(&app).await {
                    Ok(0) => break,
                    Ok(n) => {
                        tracing::debug!(reports = n, "category suggestions");
                        // A back-fill of thousands leaves the other core's share to requests.
                        tokio::time::sleep(BETWEEN_BATCHES).await;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "category suggestions failed; the next pass retries");
                        break;
                    }
                }
            }
        }
    });
}
