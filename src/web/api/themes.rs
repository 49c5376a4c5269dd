//! `GET /product-lines/{id}/themes`: a line's themes (similar comments grouped, with a count, a
//! label and examples) and the phrases rising in the last 7 days of the period.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::themes::{self, LineThemes};
use crate::domain::LineId;
use crate::domain::stats_period::StatsPeriod;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/themes").route(web::get().to(get)));
}

#[derive(Deserialize)]
struct ThemesQuery {
    period: Option<String>,
    from: Option<String>,
    until: Option<String>,
}

#[derive(Serialize)]
struct ExampleJson {
    report_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    excerpt: String,
}

#[derive(Serialize)]
struct ThemeJson {
    count: usize,
    label: String,
    examples: Vec<ExampleJson>,
}

#[derive(Serialize)]
struct RiseJson {
    phrase: String,
    comments: u32,
    baseline_comments: u32,
    score: f64,
    ratio: f64,
}

#[derive(Serialize)]
struct RisingJson {
    #[serde(with = "time::serde::rfc3339")]
    from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    until: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    baseline_from: OffsetDateTime,
    comments: usize,
    baseline_comments: usize,
    capped: bool,
    terms: Vec<RiseJson>,
}

#[derive(Serialize)]
struct ThemesJson {
    product_line_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    until: OffsetDateTime,
    comments: usize,
    capped: bool,
    max_comments: u64,
    themes: Vec<ThemeJson>,
    rising: RisingJson,
}

fn json(id: Uuid, t: LineThemes) -> ThemesJson {
    let r = t.rising;
    ThemesJson {
        product_line_id: id,
        from: t.window.start(),
        until: t.window.end(),
        comments: t.comments,
        capped: t.capped,
        max_comments: themes::MAX_COMMENTS,
        themes: t
            .themes
            .into_iter()
            .map(|th| ThemeJson {
                count: th.count,
                label: th.label,
                examples: th
                    .examples
                    .into_iter()
                    .map(|e| ExampleJson { report_id: e.report_id.get(), created_at: e.created_at, excerpt: e.excerpt })
                    .collect(),
            })
            .collect(),
        rising: RisingJson {
            from: r.window.start(),
            until: r.window.end(),
            baseline_from: r.baseline.start(),
            comments: r.comments,
            baseline_comments: r.baseline_comments,
            capped: r.capped,
            terms: r
                .rises
                .into_iter()
                .map(|x| RiseJson {
                    phrase: x.phrase,
                    comments: x.now,
                    baseline_comments: x.before,
                    score: (x.score * 100.0).round() / 100.0,
                    ratio: (x.ratio * 100.0).round() / 100.0,
                })
                .collect(),
        },
    }
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn get(
    state: web::Data<AppState>,
    who: Manufacturer,
    path: web::Path<Uuid>,
    q: web::Query<ThemesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    // The dashboard's forms send empty fields for "not chosen"; an API client that sends one has
    // made a mistake (the document says a date or a preset), so it is told, not defaulted.
    for (field, value) in [("period", &q.period), ("from", &q.from), ("until", &q.until)] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(ApiError::invalid(field, format!("`{field}` is empty; leave it out for the default")));
        }
    }
    let period = StatsPeriod::parse(q.period.as_deref(), q.from.as_deref(), q.until.as_deref())
        .map_err(|e| ApiError::invalid("period", e.to_string()))?;
    let window = crate::app::dashboard::window(period, OffsetDateTime::now_utc())?;
    let t = themes::line(&state.app, who.id, LineId(id), window).await?;
    Ok(HttpResponse::Ok().json(json(id, t)))
}
