use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Manufacturer;
use crate::store::{self, entities::report, reports::Filter};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reports").route(web::get().to(list)));
}

#[derive(Serialize)]
struct ReportJson {
    id: Uuid,
    product_line_id: Uuid,
    kind: String,
    rating: i16,
    comment: String,
    email: Option<String>,
    lot: Option<String>,
    locale: String,
    status: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

impl From<report::Model> for ReportJson {
    fn from(r: report::Model) -> Self {
        ReportJson {
            id: r.id,
            product_line_id: r.product_line_id,
            kind: r.kind,
            rating: r.rating,
            comment: r.comment,
            email: r.email,
            lot: r.lot,
            locale: r.locale,
            status: r.status,
            created_at: r.created_at,
        }
    }
}

#[derive(Deserialize)]
struct ListQuery {
    product_line: Option<Uuid>,
    format: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    since: Option<OffsetDateTime>,
    limit: Option<u64>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(state: web::Data<AppState>, who: Manufacturer, q: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    if let Some(line) = q.product_line {
        // Another manufacturer's line answers 404 like an unknown one.
        store::product_lines::get(&state.db, who.id, line).await.map_err(|e| match e {
            store::StoreError::NotFound => ApiError::NotFound("product line"),
            other => other.into(),
        })?;
    }
    let filter = Filter {
        product_line: q.product_line,
        since: q.since,
        until: None,
        limit: Some(q.limit.unwrap_or(1000).clamp(1, 10_000)),
    };
    let reports = store::reports::list(&state.db, who.id, &filter).await?;
    match q.format.as_deref() {
        None | Some("json") => Ok(HttpResponse::Ok().json(reports.into_iter().map(ReportJson::from).collect::<Vec<_>>())),
        Some("csv") => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", "attachment; filename=\"reports.csv\""))
            .body(to_csv(&reports))),
        Some(other) => Err(ApiError::invalid("format", format!("unknown format `{other}`; use json or csv"))),
    }
}

fn to_csv(reports: &[report::Model]) -> String {
    let mut out = String::from("id,product_line_id,created_at,kind,rating,comment,email,lot,locale,status\r\n");
    for r in reports {
        let created = r.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        let fields = [
            r.id.to_string(),
            r.product_line_id.to_string(),
            created,
            r.kind.clone(),
            r.rating.to_string(),
            r.comment.clone(),
            r.email.clone().unwrap_or_default(),
            r.lot.clone().unwrap_or_default(),
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
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
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
