//! Responsibility zones: list, create, get, change, delete (owners change, every member reads), and
//! a zone's KPIs.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::accounts::token_member;
use crate::app::zones;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/zones").route(web::get().to(list)).route(web::post().to(create)))
        .service(
            web::resource("/zones/{zone_id}")
                .route(web::get().to(get))
                .route(web::patch().to(update))
                .route(web::delete().to(delete)),
        )
        .service(web::resource("/zones/{zone_id}/kpis").route(web::get().to(kpis)));
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(serde_json::json!({ "zones": zones::list(&state.app, who.id).await? })))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    Ok(HttpResponse::Created().json(zones::create(&state.app, &member, &body).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn get(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(zones::get(&state.app, who.id, *id).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn update(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    Ok(HttpResponse::Ok().json(zones::update(&state.app, &member, *id, &body).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn delete(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    zones::delete(&state.app, &member, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KpiQuery {
    /// Text, so that `days=abc` is a 422 naming the field like `days=0`.
    days: Option<String>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn kpis(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    q: web::Query<KpiQuery>,
) -> Result<HttpResponse, ApiError> {
    let days = match q.days.as_deref() {
        None => None,
        Some(d) => Some(
            d.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::invalid("days", format!("a window of 1 to {} days", zones::MAX_KPI_DAYS)))?,
        ),
    };
    let days = zones::kpi_days(days)?;
    let zone = zones::get(&state.app, who.id, *id).await?;
    Ok(HttpResponse::Ok().json(zones::kpis(&state.app, who.id, &zone, days, crate::store::now()).await?))
}
