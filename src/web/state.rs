use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rand::RngCore;
use sea_orm::DatabaseConnection;
use time::Date;

use crate::app::App;
use crate::config::Settings;
use crate::store::scan_counts::ScanCounter;
use crate::web::metrics::Metrics;

/// Shared by every worker: cheap to clone. The use cases' own context is `app`; the rest is what
/// only the web layer needs.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub scans: ScanCounter,
    pub submissions: Arc<DefaultKeyedRateLimiter<String>>,
    pub daily_key: Arc<DailyKey>,
    pub metrics: Arc<Metrics>,
}

/// Submissions one client may send: by default a burst of 10, then two a minute. Generous for a
/// family behind one home router, useless for a script.
pub fn submission_quota(settings: &Settings) -> Quota {
    let per_minute = NonZeroU32::new(settings.submit_per_minute).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(NonZeroU32::new(settings.submit_burst).unwrap_or(NonZeroU32::MIN))
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> AppState {
        AppState {
            submissions: Arc::new(RateLimiter::keyed(submission_quota(&settings))),
            app: App::new(db, settings),
            scans: ScanCounter::default(),
            daily_key: Arc::new(DailyKey::default()),
            metrics: Arc::new(Metrics::default()),
        }
    }
}

/// A random key that changes at midnight UTC and lives only in memory: client addresses are hashed
/// with it, so nothing stored or logged can be turned back into an address.
#[derive(Default)]
pub struct DailyKey {
    current: Mutex<Option<(Date, [u8; 32])>>,
}

impl DailyKey {
    pub fn for_day(&self, day: Date) -> [u8; 32] {
        let Ok(mut current) = self.current.lock() else { return [0; 32] };
        match *current {
            Some((d, key)) if d == day => key,
            _ => {
                let mut key = [0u8; 32];
                rand::rng().fill_bytes(&mut key);
                *current = Some((day, key));
                key
            }
        }
    }
}
