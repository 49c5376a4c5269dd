//! Webhook endpoints (owners only): create (the signing secret is in this one answer), list, get,
//! delete, and each endpoint's delivery log.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::{accounts, webhooks};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/webhooks").route(web::get().to(list)).route(web::post().to(create)))
        .service(web::resource("/webhooks/{id}").route(web::get().to(get)).route(web::delete().to(delete)))
        .service(web::resource("/webhooks/{id}/deliveries").route(web::get().to(deliveries)));
}

/// Loosely typed, so that a missing or mistyped field answers 422 naming it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    url: Option<serde_json::Value>,
    events: Option<serde_json::Value>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let url = match &body.url {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => return Err(ApiError::invalid("url", "give the endpoint's https:// URL as a string")),
    };
    let events: Vec<String> = match &body.events {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| ApiError::invalid("events", "give the events as a list of strings"))?,
        _ => return Err(ApiError::invalid("events", "give the events as a list, e.g. [\"report.created\"]")),
    };
    let member = accounts::token_member(&state.app, who.id, who.user).await?;
    let created = webhooks::create(&state.app, &member, &url, &events).await?;
    Ok(HttpResponse::Created().json(created))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let member = accounts::token_member(&state.app, who.id, who.user).await?;
    let found = webhooks::list(&state.app, &member).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "webhooks": found })))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn get(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let member = accounts::token_member(&state.app, who.id, who.user).await?;
    Ok(HttpResponse::Ok().json(webhooks::get(&state.app, &member, *id).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn delete(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let member = accounts::token_member(&state.app, who.id, who.user).await?;
    webhooks::delete(&state.app, &member, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveriesQuery {
    limit: Option<u64>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn deliveries(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    q: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let member = accounts::token_member(&state.app, who.id, who.user).await?;
    let found = webhooks::deliveries(&state.app, &member, *id, q.limit.unwrap_or(100)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "deliveries": found })))
}
