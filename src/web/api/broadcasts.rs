//! "Tell everyone affected" through the API: preview the audience, then send once.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::broadcasts::{self, Audience};
use crate::domain::LineId;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/broadcasts/preview").route(web::post().to(preview)))
        .service(web::resource("/product-lines/{id}/broadcasts").route(web::post().to(send)));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AudienceBody {
    /// `kind/category`, e.g. `defect/coating`.
    topic: String,
    from: String,
    until: String,
    #[serde(default)]
    message: Option<String>,
}

fn day(field: &'static str, s: &str) -> Result<Date, ApiError> {
    Date::parse(s.trim(), &time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| ApiError::invalid(field, format!("`{s}` is not a date (YYYY-MM-DD)")))
}

fn audience(line: Uuid, b: &AudienceBody) -> Result<Audience, ApiError> {
    Ok(Audience {
        line: LineId(line),
        topic: b.topic.clone(),
        from: day("from", &b.from)?,
        until: day("until", &b.until)?,
    })
}

async fn preview(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<AudienceBody>,
) -> Result<HttpResponse, ApiError> {
    let member = crate::app::accounts::token_member(&state.app, who.id, who.user).await?;
    let n = broadcasts::preview(&state.app, &member, &audience(*id, &body)?).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "recipients": n })))
}

async fn send(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<AudienceBody>,
) -> Result<HttpResponse, ApiError> {
    let member = crate::app::accounts::token_member(&state.app, who.id, who.user).await?;
    let message = body.message.clone().unwrap_or_default();
    let sent = broadcasts::send(&state.app, &member, &audience(*id, &body)?, &message).await?;
    Ok(if sent.already_sent { HttpResponse::Ok().json(sent) } else { HttpResponse::Created().json(sent) })
}
