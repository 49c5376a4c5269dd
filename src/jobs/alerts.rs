//! The spike-alert check inside `serve`: every `alert_check_seconds` (a minute by default), as
//! `scanback alerts run` does once.

use std::time::Duration;

use crate::app::{self, App};

pub fn spawn(app: App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(app.settings.alert_check_seconds));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first check comes one interval after start, not at once: an interval's first tick is
        // immediate, and when the task is first polled late it would check whatever arrived since.
        tick.tick().await;
        loop {
            tick.tick().await;
            match app::alerts::run_once(&app, time::OffsetDateTime::now_utc()).await {
                Ok(r) if r.did_work() => tracing::info!(opened = r.opened, closed = r.closed, "alert check"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the alert check failed; the next one retries"),
            }
        }
    });
}
