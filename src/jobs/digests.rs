//! The digest scheduler inside `serve`: about once a minute, claim and queue every digest that is due
//! (the outbox deliverer sends them). Several processes may run it on one database: the claims make
//! each digest go out once.

use std::time::Duration;

use crate::app::{App, digests};

/// How often the scheduler looks for due digests.
pub const TICK: Duration = Duration::from_secs(60);

pub fn spawn(app: App) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match digests::run(&app, crate::store::now()).await {
                Ok(r) if r.queued > 0 || r.empty > 0 => tracing::info!(?r, "digest run"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the digest run failed; the next tick retries"),
            }
        }
    });
}
