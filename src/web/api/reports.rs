use actix_web::http::header;
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::reports::{self, ExportRow, Query, Report};
use crate::domain::Role;
use crate::domain::{Cursor, Kind, LineId, ReportId, ReportStatus};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reports").route(web::get().to(list)))
        .service(web::resource("/reports/{id}").route(web::get().to(get)).route(web::patch().to(update)))
        .service(web::resource("/reports/{id}/notes").route(web::get().to(notes)).route(web::post().to(add_note)))
        .service(web::resource("/reports/{id}/assignee").route(web::put().to(assign)))
        .service(web::resource("/reports/{id}/photos/{position}").route(web::get().to(photo)))
        .service(
            web::resource("/reports/{id}/replies").route(web::get().to(conversation)).route(web::post().to(reply)),
        );
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
    assignee_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    photos: Vec<PhotoJson>,
    consent_text: Option<String>,
    consent_locale: Option<String>,
    /// What the classifier suggests when the category is empty or the comment points elsewhere.
    suggested_category: Option<String>,
    /// 0–1; below 0.5 the suggestion is unsure.
    suggestion_confidence: Option<f32>,
    suggestion_unsure: bool,
    /// `team` when a member set or corrected the category, `customer` for the customer's pick.
    category_source: Option<&'static str>,
    /// The team's first reply or status change.
    #[serde(with = "time::serde::rfc3339::option")]
    first_response_at: Option<OffsetDateTime>,
    /// The responsibility zones that own the report.
    zones: Vec<ZoneRef>,
}

#[derive(Serialize)]
struct ZoneRef {
    id: Uuid,
    name: String,
}

impl ReportJson {
    fn new(r: Report) -> Self {
        let photos = r
            .photos
            .iter()
            .map(|p| PhotoJson {
                url: format!("/api/v1/reports/{}/photos/{}", r.id, p.position),
                thumbnail_url: format!("/api/v1/reports/{}/photos/{}?size=thumbnail", r.id, p.position),
                width: p.width,
                height: p.height,
            })
            .collect();
        let suggestion_unsure = r.suggestion_unsure();
        let category_source = match (&r.category, r.category_by_team) {
            (_, true) => Some("team"),
            (Some(c), false) if !c.is_empty() => Some("customer"),
            _ => None,
        };
        let (suggested_category, suggestion_confidence) = match r.suggestion {
            Some((c, p)) => (Some(c), Some(f32::from(p) / 1000.0)),
            None => (None, None),
        };
        ReportJson {
            suggested_category,
            suggestion_confidence,
            suggestion_unsure,
            category_source,
            id: r.id.get(),
            product_line_id: r.product_line_id.get(),
            kind: r.kind.as_str().to_owned(),
            category: r.category,
            rating: r.rating,
            recommend: r.recommend,
            usage_period: r.usage_period,
            comment: r.comment,
            email: r.email,
            lot: r.lot,
            serial: r.serial,
            locale: r.locale,
            status: r.status.as_str().to_owned(),
            assignee_id: r.assignee_id,
            created_at: r.created_at,
            photos,
            consent_text: r.consent_text,
            consent_locale: r.consent_locale,
            first_response_at: r.first_response_at,
            zones: r.zones.into_iter().map(|(id, name)| ZoneRef { id, name }).collect(),
        }
    }
}

#[derive(Deserialize)]
struct ListQuery {
    product_line: Option<Uuid>,
    format: Option<String>,
    /// Text, parsed by [`instant`], so that a mistake is named in words rather than by serde.
    since: Option<String>,
    until: Option<String>,
    kind: Option<String>,
    category: Option<String>,
    lot: Option<String>,
    status: Option<String>,
    /// Text the comment contains (case-insensitive).
    q: Option<String>,
    /// `true`: only reports that can be answered by email; `false`: only those that cannot.
    has_email: Option<String>,
    /// Text, not a number, so that `limit=abc` is a 422 naming the field like `limit=0`.
    limit: Option<String>,
    cursor: Option<String>,
    /// `any`: reports with a suggested category; `unsure`: those whose suggestion is unsure.
    suggestion: Option<String>,
    /// Only the reports this responsibility zone owns.
    zone: Option<Uuid>,
}

/// Reports per page when the client does not say.
const PAGE_DEFAULT: u64 = 50;
/// The largest page: bigger exports are what `format=csv` is for.
const PAGE_MAX: u64 = 500;
/// Rows per piece of the HTTP body while a CSV export streams (about 180 KB).
const CSV_CHUNK: usize = 1000;

/// An RFC 3339 instant such as `2026-12-03T00:00:00Z`.
fn instant(field: &'static str, raw: &str) -> Result<OffsetDateTime, ApiError> {
    OffsetDateTime::parse(raw.trim(), &Rfc3339).map_err(|_| {
        let shown: String = raw.chars().take(40).collect();
        ApiError::invalid(
            field,
            format!("`{shown}` is not an instant: write it as in RFC 3339 with a time and an offset, e.g. 2026-12-03T00:00:00Z"),
        )
    })
}

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

pub(crate) fn parse_status(s: &str) -> Result<ReportStatus, ApiError> {
    ReportStatus::parse(s).ok_or_else(|| {
        let valid: Vec<&str> = ReportStatus::ALL.iter().map(|s| s.as_str()).collect();
        ApiError::invalid("status", format!("unknown status `{s}`; use one of {}", valid.join(", ")))
    })
}

async fn get(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let report = reports::get(&state.app, who.id, ReportId(*id)).await?;
    Ok(HttpResponse::Ok().json(ReportJson::new(report)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    #[serde(default)]
    status: Option<String>,
    /// The team's category: a label the suggestions learn from.
    #[serde(default)]
    category: Option<String>,
}

/// Triage: `new` -> `in_progress` -> `resolved` / `wont_fix`, in any order a team works; and the
/// category, as the team decides it. Both are checked before either is changed.
async fn update(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    let status = body.status.as_deref().map(|s| parse_status(s.trim())).transpose()?;
    if status.is_none() && body.category.is_none() {
        return Err(ApiError::invalid("status", "send `status`, `category` or both"));
    }
    if let Some(category) = &body.category {
        crate::app::classify::set_category(&state.app, who.id, who.user, ReportId(*id), category).await?;
    }
    let report = match status {
        Some(status) => reports::set_status(&state.app, who.id, who.user, ReportId(*id), status).await?,
        None => reports::get(&state.app, who.id, ReportId(*id)).await?,
    };
    Ok(HttpResponse::Ok().json(ReportJson::new(report)))
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
    let kind = match q.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            ApiError::invalid("kind", format!("unknown kind `{k}`; use defect, usability, praise or other"))
        })?),
    };
    let query = Query {
        zone: q.zone,
        product_line: q.product_line.map(LineId),
        since: q.since.as_deref().map(|s| instant("since", s)).transpose()?,
        until: q.until.as_deref().map(|s| instant("until", s)).transpose()?,
        kind,
        category: q.category.clone(),
        lot: q.lot.clone(),
        status: q.status.as_deref().map(parse_status).transpose()?,
        text: match q.q.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) if t.chars().count() > 200 => {
                return Err(ApiError::invalid("q", "search for at most 200 characters"));
            }
            Some(t) => Some(t.to_owned()),
        },
        has_email: match q.has_email.as_deref() {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => {
                return Err(ApiError::invalid("has_email", format!("`{other}` is not true or false")));
            }
        },
        suggestion: match q.suggestion.as_deref() {
            None => None,
            Some(s) => Some(reports::SuggestionFilter::parse(s).ok_or_else(|| {
                ApiError::invalid(
                    "suggestion",
                    format!(
                        "`{}` is not a suggestion filter; use any or unsure",
                        s.chars().take(32).collect::<String>()
                    ),
                )
            })?),
        },
    };
    let limit = parse_limit(q.limit.as_deref())?;
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => Some(Cursor::parse(c).map_err(|e| ApiError::invalid("cursor", e.to_string()))?),
    };
    match format {
        Format::Json => {
            let page = reports::page(&state.app, who.id, &query, after, limit).await?;
            let mut res = HttpResponse::Ok();
            if let Some(next) = page.next {
                let cursor = next.encode();
                let url = next_page_url(&state.app.settings.public_url, &query, &cursor, limit);
                res.insert_header((header::LINK, format!("<{url}>; rel=\"next\"")));
                res.insert_header(("X-Next-Cursor", cursor));
            }
            Ok(res.json(page.reports.into_iter().map(ReportJson::new).collect::<Vec<_>>()))
        }
        // Every matching row: `limit` and `cursor` do not apply to an export. A database that is
        // down answers 500 here rather than a 200 with a cut-off file.
        Format::Csv => {
            let chunks = reports::export(&state.app, who.id, query, CSV_CHUNK).await?;
            let body = csv_body(chunks);
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header(("Content-Disposition", "attachment; filename=\"reports.csv\""))
                .streaming(body))
        }
    }
}

/// The same filters, the next page's cursor and the same page size, under the public URL.
fn next_page_url(public_url: &str, filter: &Query, cursor: &str, limit: u64) -> String {
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
    if let Some(text) = &filter.text {
        query.append_pair("q", text);
    }
    if let Some(has) = filter.has_email {
        query.append_pair("has_email", if has { "true" } else { "false" });
    }
    if let Some(s) = filter.suggestion {
        query.append_pair("suggestion", s.as_str());
    }
    if let Some(zone) = filter.zone {
        query.append_pair("zone", &zone.to_string());
    }
    query.append_pair("cursor", cursor);
    query.append_pair("limit", &limit.to_string());
    format!("{public_url}/api/v1/reports?{}", query.finish())
}

#[derive(Serialize)]
struct NoteJson {
    id: Uuid,
    author_id: Option<Uuid>,
    body: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

impl NoteJson {
    fn new(n: reports::Note) -> Self {
        NoteJson { id: n.id, author_id: n.author_id, body: n.body, created_at: n.created_at }
    }
}

/// The internal notes of a report, oldest first.
async fn notes(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let notes = reports::notes(&state.app, who.id, ReportId(*id)).await?;
    Ok(HttpResponse::Ok().json(notes.into_iter().map(NoteJson::new).collect::<Vec<_>>()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteBody {
    body: String,
}

async fn add_note(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<NoteBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    let note = reports::add_note(&state.app, who.id, who.user, ReportId(*id), &body.body).await?;
    Ok(HttpResponse::Created().json(NoteJson::new(note)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssigneeBody {
    /// Required, and may be null (nobody): a missing field is a 400, not a silent unassignment.
    #[serde(deserialize_with = "present")]
    user_id: Option<Uuid>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Uuid>, D::Error> {
    Option::<Uuid>::deserialize(d)
}

/// Hands the report to a member of the same manufacturer, or to nobody (`null`). Another
/// manufacturer's member is a 404 like an unknown one.
async fn assign(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<AssigneeBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    let mut changed = reports::assign(&state.app, who.id, who.user, &[ReportId(*id)], body.user_id).await?;
    let report = changed.pop().ok_or(ApiError::NotFound("report"))?;
    Ok(HttpResponse::Ok().json(ReportJson::new(report)))
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
    let thumbnail = match q.size.as_deref() {
        None => false,
        Some("thumbnail") => true,
        Some(other) => {
            let other: String = other.chars().take(32).collect();
            return Err(ApiError::invalid(
                "size",
                format!("`{other}` is not a size: use size=thumbnail, or leave it out"),
            ));
        }
    };
    let bytes = reports::photo(&state.app, who.id, ReportId(id), position, thumbnail).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .body(bytes))
}

const CSV_HEADER: &str = "id,product_line_id,created_at,kind,category,rating,recommend,usage_period,comment,email,lot,serial,locale,status\r\n";

/// The CSV of an export's chunks of rows: the header with the first chunk (there is always one),
/// then one piece of body per chunk.
pub(crate) fn csv_body<E>(
    chunks: impl futures_util::Stream<Item = Result<Vec<ExportRow>, E>>,
) -> impl futures_util::Stream<Item = Result<Bytes, E>> {
    let mut first = true;
    chunks.map_ok(move |rows| {
        let mut chunk = Vec::with_capacity(256 * rows.len());
        if std::mem::take(&mut first) {
            chunk.extend_from_slice(CSV_HEADER.as_bytes());
        }
        push_csv_rows(&mut chunk, &rows);
        Bytes::from(chunk)
    })
}

/// Appends one CSV record per report. Every field is written straight into `out` (no string per
/// field or row): an export writes a million rows.
fn push_csv_rows(out: &mut Vec<u8>, reports: &[ExportRow]) {
    use std::io::Write as _;
    let mut uuid = Uuid::encode_buffer();
    for r in reports {
        out.extend_from_slice(r.id.get().hyphenated().encode_lower(&mut uuid).as_bytes());
        out.push(b',');
        out.extend_from_slice(r.product_line_id.get().hyphenated().encode_lower(&mut uuid).as_bytes());
        out.push(b',');
        // RFC 3339 has no character that needs quoting.
        let _ = r.created_at.format_into(out, &Rfc3339);
        out.push(b',');
        out.extend_from_slice(r.kind.as_str().as_bytes());
        out.push(b',');
        push_csv_field(out, r.category.as_deref().unwrap_or_default());
        let _ = write!(out, ",{},", r.rating);
        if let Some(n) = r.recommend {
            let _ = write!(out, "{n}");
        }
        out.push(b',');
        for field in [r.usage_period.as_deref().unwrap_or_default(), &r.comment, r.email.as_deref().unwrap_or_default()]
        {
            push_csv_field(out, field);
            out.push(b',');
        }
        for field in [r.lot.as_deref().unwrap_or_default(), r.serial.as_deref().unwrap_or_default(), &r.locale] {
            push_csv_field(out, field);
            out.push(b',');
        }
        out.extend_from_slice(r.status.as_str().as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// RFC 4180 quoting, plus a leading apostrophe on text a spreadsheet would run as a formula
/// (customer comments are untrusted).
fn push_csv_field(out: &mut Vec<u8>, value: &str) {
    let guard = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if value.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        if guard {
            out.push(b'\'');
        }
        for piece in value.split_inclusive('"') {
            out.extend_from_slice(piece.as_bytes());
            if piece.ends_with('"') {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        if guard {
            out.push(b'\'');
        }
        out.extend_from_slice(value.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    fn csv_field(value: &str) -> String {
        let mut out = Vec::new();
        super::push_csv_field(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("=A1,\"x\""), "\"'=A1,\"\"x\"\"\"");
        assert_eq!(csv_field("\"\""), "\"\"\"\"\"\"");
        assert_eq!(csv_field(""), "");
    }
}

#[derive(Serialize)]
struct MessageJson {
    /// `out`: from the manufacturer; `in`: the customer's answer.
    direction: &'static str,
    body: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

/// The conversation with the customer, oldest first (internal notes never appear here).
async fn conversation(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let report = reports::get(&state.app, who.id, ReportId(*id)).await?;
    let messages = crate::app::replies::conversation(&state.app, report.id).await?;
    Ok(HttpResponse::Ok().json(
        messages
            .into_iter()
            .map(|m| MessageJson { direction: if m.outgoing { "out" } else { "in" }, body: m.body, created_at: m.at })
            .collect::<Vec<_>>(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyBody {
    message: String,
    #[serde(default)]
    status: Option<String>,
}

/// Answers the customer by mail (the report's language, the manufacturer's name as sender).
async fn reply(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<ReplyBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    let status = body.status.as_deref().map(|s| parse_status(s.trim())).transpose()?;
    let member = crate::app::accounts::token_member(&state.app, who.id, who.user).await?;
    crate::app::replies::send_reply(&state.app, &member, ReportId(*id), &body.message, status).await?;
    let report = reports::get(&state.app, who.id, ReportId(*id)).await?;
    Ok(HttpResponse::Created().json(ReportJson::new(report)))
}
