use actix_web::http::header;
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use futures_util::{Stream, TryStreamExt, stream};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::{Manufacturer, owned_line};
use crate::domain::{Cursor, Kind, ReportStatus};
use crate::store::reports::{Filter, Page};
use crate::store::{self, StoreError, entities::report, entities::report_photo};
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
    /// `photos` are this report's own, in upload order.
    fn new(r: report::Model, photos: Vec<report_photo::Model>) -> Self {
        let photos = photos
            .iter()
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
    /// Text, not a number, so that `limit=abc` is a 422 naming the field like `limit=0`.
    limit: Option<String>,
    cursor: Option<String>,
}

/// Reports per page when the client does not say.
const PAGE_DEFAULT: u64 = 50;
/// The largest page: bigger exports are what `format=csv` is for.
const PAGE_MAX: u64 = 500;
/// Rows per database round trip while a CSV export streams.
const CSV_CHUNK: u64 = 1000;

fn parse_limit(raw: Option<&str>) -> Result<u64, ApiError> {
    let Some(raw) = raw else { return Ok(PAGE_DEFAULT) };
    match raw.trim().parse::<u64>() {
        Ok(n) if (1..=PAGE_MAX).contains(&n) => Ok(n),
        _ => Err(ApiError::invalid(
            "limit",
            format!(
                "`{}` is not a page size; use a whole number from 1 to {PAGE_MAX} (default {PAGE_DEFAULT})",
                raw.chars().take(32).collect::<String>()
            ),
        )),
    }
}

enum Format {
    Json,
    Csv,
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
    Ok(HttpResponse::Ok().json(ReportJson::new(report, photos)))
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
    Ok(HttpResponse::Ok().json(ReportJson::new(report, photos)))
}

/// One page of reports as a JSON array (the next page's cursor travels in `Link` and `X-Next-Cursor`),
/// or every matching report as a streamed CSV file.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(
    state: web::Data<AppState>,
    who: Manufacturer,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = match q.format.as_deref() {
        None | Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some(other) => return Err(ApiError::invalid("format", format!("unknown format `{other}`; use json or csv"))),
    };
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
        limit: None,
    };
    let limit = parse_limit(q.limit.as_deref())?;
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => Some(Cursor::parse(c).map_err(|e| ApiError::invalid("cursor", e.to_string()))?),
    };
    match format {
        Format::Json => {
            let page = store::reports::page(&state.db, who.id, &filter, after, limit).await?;
            let ids: Vec<Uuid> = page.reports.iter().map(|r| r.id).collect();
            let mut photos = store::reports::photos_by_report(&state.db, &ids).await?;
            let json: Vec<ReportJson> = page
                .reports
                .into_iter()
                .map(|r| {
                    let own = photos.remove(&r.id).unwrap_or_default();
                    ReportJson::new(r, own)
                })
                .collect();
            let mut res = HttpResponse::Ok();
            if let Some(next) = page.next {
                let cursor = next.encode();
                let url = next_page_url(&state.settings.public_url, &filter, &cursor, limit);
                res.insert_header((header::LINK, format!("<{url}>; rel=\"next\"")));
                res.insert_header(("X-Next-Cursor", cursor));
            }
            Ok(res.json(json))
        }
        // Every matching row: `limit` and `cursor` do not apply to an export.
        Format::Csv => {
            // The first chunk is read before the response starts, so a database that is down
            // answers 500 rather than a 200 with a cut-off file.
            let first = store::reports::page(&state.db, who.id, &filter, None, CSV_CHUNK).await?;
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header(("Content-Disposition", "attachment; filename=\"reports.csv\""))
                .streaming(csv_stream(state.db.clone(), who.id, filter, first)))
        }
    }
}

/// The same filters, the next page's cursor and the same page size, under the public URL.
fn next_page_url(public_url: &str, filter: &Filter, cursor: &str, limit: u64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(line) = filter.product_line {
        query.append_pair("product_line", &line.to_string());
    }
    for (name, at) in [("since", filter.since), ("until", filter.until)] {
        if let Some(text) = at.and_then(|t| t.format(&Rfc3339).ok()) {
            query.append_pair(name, &text);
        }
    }
    if let Some(kind) = filter.kind {
        query.append_pair("kind", kind.as_str());
    }
    if let Some(category) = &filter.category {
        query.append_pair("category", category);
    }
    if let Some(lot) = &filter.lot {
        query.append_pair("lot", lot);
    }
    if let Some(status) = filter.status {
        query.append_pair("status", status.as_str());
    }
    query.append_pair("cursor", cursor);
    query.append_pair("limit", &limit.to_string());
    format!("{public_url}/api/v1/reports?{}", query.finish())
}

/// Where a CSV export stands between two chunks.
enum CsvStep {
    /// The header and the rows already read.
    First(Page),
    /// Read the chunk after this row next.
    After(Cursor),
    Done,
}

/// The export as a stream of chunks, each one page of the same keyset query, so memory stays the
/// same whatever the row count. A database error mid-export is logged and ends the stream with an
/// error, which cuts the response short instead of sending a file that looks complete.
fn csv_stream(
    db: DatabaseConnection,
    manufacturer_id: Uuid,
    filter: Filter,
    first: Page,
) -> impl Stream<Item = Result<Bytes, StoreError>> + 'static {
    stream::try_unfold((db, filter, CsvStep::First(first)), move |(db, filter, step)| async move {
        let (chunk, next) = match step {
            CsvStep::First(page) => {
                let mut chunk = String::from(CSV_HEADER);
                push_csv_rows(&mut chunk, &page.reports);
                (chunk, page.next)
            }
            CsvStep::After(after) => {
                let page = store::reports::page(&db, manufacturer_id, &filter, Some(after), CSV_CHUNK).await?;
                let mut chunk = String::new();
                push_csv_rows(&mut chunk, &page.reports);
                (chunk, page.next)
            }
            CsvStep::Done => return Ok(None),
        };
        let step = next.map_or(CsvStep::Done, CsvStep::After);
        Ok(Some((Bytes::from(chunk), (db, filter, step))))
    })
    .inspect_err(|e| tracing::error!(error = ?e, "CSV export failed part-way; the response is cut short"))
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

const CSV_HEADER: &str = "id,product_line_id,created_at,kind,category,rating,recommend,usage_period,comment,email,lot,serial,locale,status\r\n";

fn push_csv_rows(out: &mut String, reports: &[report::Model]) {
    for r in reports {
        let created = r.created_at.format(&Rfc3339).unwrap_or_default();
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
