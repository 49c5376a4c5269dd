//! Prometheus metrics at `GET /metrics`: counters kept in atomics, so counting costs nothing on the
//! scan path. Only service-wide totals: no per-manufacturer labels leak who uses the service.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::ExposeSecret;

use crate::web::state::AppState;

/// Why a submission was not stored.
#[derive(Clone, Copy)]
pub enum Refusal {
    Invalid,
    RateLimited,
    Honeypot,
    TooLarge,
    Unreadable,
    /// Storage could not take the report (database down, disk full): 503, nothing stored.
    Unavailable,
}

#[derive(Default)]
pub struct Metrics {
    scans_human: AtomicU64,
    scans_bot: AtomicU64,
    reports_stored: AtomicU64,
    reports_duplicate: AtomicU64,
    refused: [AtomicU64; 6],
    photo_upload_bytes: AtomicU64,
}

const REFUSAL_NAMES: [&str; 6] = ["invalid", "rate_limited", "honeypot", "too_large", "unreadable", "unavailable"];

impl Metrics {
    pub fn scan(&self, bot: bool) {
        if bot { &self.scans_bot } else { &self.scans_human }.fetch_add(1, Relaxed);
    }

    pub fn stored(&self, duplicate: bool) {
        if duplicate { &self.reports_duplicate } else { &self.reports_stored }.fetch_add(1, Relaxed);
    }

    /// Bytes of photos received with stored reports (what customers' connections carried).
    pub fn photo_bytes(&self, bytes: u64) {
        self.photo_upload_bytes.fetch_add(bytes, Relaxed);
    }

    pub fn refused(&self, why: Refusal) {
        if let Some(c) = self.refused.get(why as usize) {
            c.fetch_add(1, Relaxed);
        }
    }
}

fn counter(out: &mut String, name: &str, help: &str, samples: &[(&str, u64)]) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    for (labels, value) in samples {
        if labels.is_empty() {
            let _ = writeln!(out, "{name} {value}");
        } else {
            let _ = writeln!(out, "{name}{{{labels}}} {value}");
        }
    }
}

pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    if let Some(expected) = &state.app.settings.metrics_token {
        let given = crate::web::api::auth::bearer_token(req.headers()).unwrap_or_default();
        if !constant_time_eq(given.as_bytes(), expected.expose_secret().as_bytes()) {
            return HttpResponse::Unauthorized()
                .insert_header(("WWW-Authenticate", "Bearer realm=\"metrics\""))
                .content_type("text/plain; charset=utf-8")
                .body("metrics need the token set as metrics_token (Authorization: Bearer ...)\n");
        }
    }
    let m = &state.metrics;
    let mut out = String::with_capacity(2048);
    counter(
        &mut out,
        "scanback_scans_total",
        "Scan page views; bot = link previews, crawlers, HEAD requests and prefetches.",
        &[("kind=\"human\"", m.scans_human.load(Relaxed)), ("kind=\"bot\"", m.scans_bot.load(Relaxed))],
    );
    counter(
        &mut out,
        "scanback_reports_total",
        "Accepted submissions; duplicate = an identical resubmission acknowledged without a second row.",
        &[
            ("outcome=\"stored\"", m.reports_stored.load(Relaxed)),
            ("outcome=\"duplicate\"", m.reports_duplicate.load(Relaxed)),
        ],
    );
    let refused: Vec<(String, u64)> =
        REFUSAL_NAMES.iter().zip(&m.refused).map(|(n, c)| (format!("reason=\"{n}\""), c.load(Relaxed))).collect();
    let refused: Vec<(&str, u64)> = refused.iter().map(|(l, v)| (l.as_str(), *v)).collect();
    counter(&mut out, "scanback_submissions_refused_total", "Submissions answered with an error page.", &refused);
    counter(
        &mut out,
        "scanback_photo_upload_bytes_total",
        "Bytes of photos received with stored reports.",
        &[("", m.photo_upload_bytes.load(Relaxed))],
    );
    let (batches, rows) = state.app.reports.commit_stats();
    counter(&mut out, "scanback_report_commits_total", "Transactions the report writer committed.", &[("", batches)]);
    counter(
        &mut out,
        "scanback_report_rows_committed_total",
        "Reports those transactions carried (rows / commits = group-commit batch size).",
        &[("", rows)],
    );
    let up = u8::from(crate::store::ping(&state.app.db).await.is_ok());
    let _ = writeln!(
        out,
        "# HELP scanback_database_up Whether the database answered this scrape.\n# TYPE scanback_database_up gauge\nscanback_database_up {up}"
    );
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(out)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
