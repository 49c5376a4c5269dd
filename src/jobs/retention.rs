//! The retention limits inside `serve`: every `retention_check_seconds` (an hour by default) each
//! manufacturer's limits are applied, as `scanback customer retention` does once. The first run
//! comes at start, so a service restarted daily still applies them. With the interval at 0 there is
//! no job: something else runs `scanback customer retention` (and test apps run it when they ask).

use std::time::Duration;

use crate::app::{App, customers};

pub fn spawn(app: App) {
    if app.settings.retention_check_seconds == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(app.settings.retention_check_seconds));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match customers::run_once(&app, crate::store::now()).await {
                Ok(r) if r.did_work() => tracing::info!(?r, "retention limits applied"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "applying the retention limits failed; the next run retries"),
            }
        }
    });
}
