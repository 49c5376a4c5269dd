use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Manufacturer, owned_line};
use crate::domain::{Kind, ReportStatus};
use crate::store::{self, entities::report, entities::report_photo, reports::Filter};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reports").route(web::get().to(list)))
        .service(web::resource("/reports/{id}").route(web::get().to(get)).route(web::patch().to(update)))
        .service(web::resource("/reports/{id}/photos/{position}").route(web::get().to(photo)));
}

#[derive(Serialize)]
struct PhotoJson {
    url: String,
    thumbnail_url: String,
    width: i32,
    height: i32,
}

#[derive(Serialize)]
struct ReportJson {
    id: Uuid,
    product_line_id: Uuid,
    kind: String,
    category: Option<String>,
    rating: i16,
    recommend: Option<i16>,
    usage_period: Option<String>,
    comment: String,
    email: Option<String>,
    lot: Option<String>,
    serial: Option<String>,
    locale: String,
    status: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    photos: Vec<PhotoJson>,
}

impl ReportJson {
    fn new(r: report::Model, photos: &[report_photo::Model]) -> Self {
        let photos = photos
            .iter()
            .filter(|p| p.report_id == r.id)
            .map(|p| PhotoJson {
                url: format!("/api/v1/reports/{}/photos/{}", r.id, p.position),
                thumbnail_url: format!("/api/v1/reports/{}/photos/{}?size=thumbnail", r.id, p.position),
                width: p.width,
                height: p.height,
            })
            .collect();
        ReportJson {
            id: r.id,
            product_line_id: r.product_line_id,
            kind: r.kind,
            category: r.category,
            rating: r.rating,
            recommend: r.nps,
            usage_period: r.usage_period,
            comment: r.comment,
            email: r.email,
            lot: r.lot,
            serial: r.serial,
            locale: r.locale,
            status: r.status,
            created_at: r.created_at,
            photos,
        }
    }
}

#[derive(Deserialize)]
struct ListQuery {
    product_line: Option<Uuid>,
    format: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    since: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    until: Option<OffsetDateTime>,
    kind: Option<String>,
    category: Option<String>,
    lot: Option<String>,
    status: Option<String>,
    limit: Option<u64>,
}

fn parse_status(s: &str) -> Result<ReportStatus, ApiError> {
    ReportStatus::parse(s).ok_or_else(|| {
        let valid: Vec<&str> = ReportStatus::ALL.iter().map(|s| s.as_str()).collect();
        ApiError::invalid("status", format!("unknown status `{s}`; use one of {}", valid.join(", ")))
    })
}

async fn get(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let report = store::reports::get(&state.db, who.id, *id).await.map_err(ApiError::unless_missing("report"))?;
    let photos = store::reports::photos(&state.db, &[report.id]).await?;
    Ok(HttpResponse::Ok().json(ReportJson::new(report, &photos)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    status: String,
}

/// Triage: `new` -> `triaged` -> `answered` / `closed`, in any order a team works.
async fn update(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: web::Json<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    let status = parse_status(body.status.trim())?;
    let report =
        store::reports::set_status(&state.db, who.id, *id, status).await.map_err(ApiError::unless_missing("report"))?;
    let photos = store::reports::photos(&state.db, &[report.id]).await?;
    Ok(HttpResponse::Ok().json(ReportJson::new(report, &photos)))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(
    state: web::Data<AppState>,
    who: Manufacturer,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    if let Some(line) = q.product_line {
        // Another manufacturer's line answers 404 like an unknown one.
        owned_line(&state, who, line).await?;
    }
    let kind = match q.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            ApiError::invalid("kind", format!("unknown kind `{k}`; use defect, usability, praise or other"))
        })?),
    };
    let filter = Filter {
        product_line: q.product_line,
        since: q.since,
        until: q.until,
        kind,
        category: q.category.clone(),
        lot: q.lot.clone(),
        status: q.status.as_deref().map(parse_status).transpose()?,
        limit: Some(q.limit.unwrap_or(1000).clamp(1, 10_000)),
    };
    let reports = store::reports::list(&state.db, who.id, &filter).await?;
    match q.format.as_deref() {
        None | Some("json") => {
            let ids: Vec<Uuid> = reports.iter().map(|r| r.id).collect();
            let photos = store::reports::photos(&state.db, &ids).await?;
            let json: Vec<ReportJson> = reports.into_iter().map(|r| ReportJson::new(r, &photos)).collect();
            Ok(HttpResponse::Ok().json(json))
        }
        Some("csv") => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", "attachment; filename=\"reports.csv\""))
            .body(to_csv(&reports))),
        Some(other) => Err(ApiError::invalid("format", format!("unknown format `{other}`; use json or csv"))),
    }
}

#[derive(Deserialize)]
struct PhotoQuery {
    size: Option<String>,
}

async fn photo(
    state: web::Data<AppState>,
    who: Manufacturer,
    path: web::Path<(Uuid, i16)>,
    q: web::Query<PhotoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, position) = path.into_inner();
    let report = store::reports::get(&state.db, who.id, id).await.map_err(ApiError::unless_missing("report"))?;
    let photos = store::reports::photos(&state.db, &[report.id]).await?;
    let p = photos.into_iter().find(|p| p.position == position).ok_or(ApiError::NotFound("photo"))?;
    let rel = if q.size.as_deref() == Some("thumbnail") { p.thumb_path } else { p.path };
    let dir = state.settings.data_dir.clone();
    let bytes = web::block(move || store::photo_files::read(&dir, &rel))
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("photo read task failed: {e}")))?
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("photo file unreadable: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .body(bytes))
}

fn to_csv(reports: &[report::Model]) -> String {
    let mut out = String::from(
        "id,product_line_id,created_at,kind,category,rating,recommend,usage_period,comment,email,lot,serial,locale,status\r\n",
    );
    for r in reports {
        let created = r.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        let fields = [
            r.id.to_string(),
            r.product_line_id.to_string(),
            created,
            r.kind.clone(),
            r.category.clone().unwrap_or_default(),
            r.rating.to_string(),
            r.nps.map(|n| n.to_string()).unwrap_or_default(),
            r.usage_period.clone().unwrap_or_default(),
            r.comment.clone(),
            r.email.clone().unwrap_or_default(),
            r.lot.clone().unwrap_or_default(),
            r.serial.clone().unwrap_or_default(),
            r.locale.clone(),
            r.status.clone(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// RFC 4180 quoting, plus a leading apostrophe on text a spreadsheet would run as a formula
/// (customer comments are untrusted).
fn csv_field(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
