//! The spike-alert check inside `serve`: every `alert_check_seconds` (a minute by default), as
//! `scanback alerts run` does once.

use std::time::Duration;

use crate::app::{self, App};

pub fn spawn(app: App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(app.settings.alert_check_seconds));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
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
