//! Digests: what happened in a period, mailed to each manufacturer's owners. Safe to run from several
//! processes at once and to re-run: every (recipient, period) is claimed in the database, sent once and
//! recorded; a failed delivery stays claimable and is retried by the next run.

mod compose;
mod summary;

use std::collections::BTreeMap;

use sea_orm::DatabaseConnection;
use time::OffsetDateTime;

pub use summary::{LineSummary, Summary, summarise};

use crate::config::Settings;
use crate::domain::Locale;
use crate::domain::period::{Cadence, Period};
use crate::domain::rollup::Window;
use crate::mail::Mailer;
use crate::store::{self, reports::Filter};

/// Newest reports per line read to find the few with a comment that a digest quotes.
const QUOTE_CANDIDATES: u64 = 50;

/// Which period a run reports on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The last complete day: what a scheduled run sends.
    Due,
    /// The current day so far, regardless of schedule (`digest run --now`).
    Now,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    pub sent: u32,
    pub failed: u32,
    /// Already sent for this period, or being sent by another process.
    pub skipped: u32,
    /// Manufacturers with no report in the period: no mail is sent.
    pub empty: u32,
}

impl RunReport {
    pub fn did_work(&self) -> bool {
        self.sent + self.failed > 0
    }
}

/// One pass over every manufacturer. Returns what it did; errors for one recipient do not stop the
/// others.
#[tracing::instrument(skip_all, fields(mode = ?mode))]
pub async fn run_once(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    mode: Mode,
    at: OffsetDateTime,
) -> anyhow::Result<RunReport> {
    let period = match mode {
        Mode::Due => Period::last_complete(Cadence::Daily, at),
        Mode::Now => Period::containing(Cadence::Daily, at),
    };
    let mut report = RunReport::default();
    for manufacturer in store::manufacturers::list(db).await? {
        let window = Window::new(period.starts_at(), period.ends_at())?;
        let totals = store::stats::lines(db, manufacturer.id, window).await?;
        if totals.values().all(|m| m.reports == 0) {
            report.empty += 1;
            continue;
        }
        let lines = store::product_lines::list(db, manufacturer.id).await?;
        let mut newest = BTreeMap::new();
        for line in totals.keys() {
            let filter = Filter {
                product_line: Some(*line),
                since: Some(period.starts_at()),
                until: Some(period.ends_at()),
                limit: Some(QUOTE_CANDIDATES),
                ..Default::default()
            };
            newest.insert(*line, store::reports::list(db, manufacturer.id, &filter).await?);
        }
        let summary = summarise(&manufacturer.name, period, &lines, &totals, &newest);
        for owner in store::manufacturers::owners(db, manufacturer.id).await? {
            let Some(delivery) = store::digests::claim(db, manufacturer.id, &owner.email, period).await? else {
                report.skipped += 1;
                continue;
            };
            let locale = Locale::parse(&owner.locale).unwrap_or(Locale::DEFAULT);
            let outcome = match compose::message(&summary, &owner.email, &settings.mail_from, locale, delivery.id) {
                Ok(message) => mailer.send(message).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(()) => {
                    store::digests::mark_sent(db, delivery.id).await?;
                    tracing::info!(recipient = %owner.email, period = %period.key(), "digest sent");
                    report.sent += 1;
                }
                Err(e) => {
                    tracing::warn!(recipient = %owner.email, error = %e, "digest delivery failed; will retry");
                    store::digests::mark_failed(db, delivery.id, &format!("{e:#}")).await?;
                    report.failed += 1;
                }
            }
        }
    }
    Ok(report)
}
