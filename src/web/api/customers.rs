//! Customers' personal data: an export of one address's reports, its erasure on request, and the
//! retention limits. Owners only: these answer a customer's request, made to the manufacturer.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;

use super::{JsonBody, Manufacturer};
use crate::app::customers;
use crate::domain::Role;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/customers/export").route(web::post().to(export)))
        .service(web::resource("/customers/erase").route(web::post().to(erase)))
        .service(web::resource("/privacy").route(web::get().to(get_privacy)).route(web::put().to(put_privacy)));
}

/// The address goes in the body, never in the URL: URLs end up in logs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Customer {
    email: String,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn export(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: JsonBody<Customer>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    Ok(HttpResponse::Ok().json(customers::export(&state.app, Some(who.id), &body.email).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn erase(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: JsonBody<Customer>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    Ok(HttpResponse::Ok().json(customers::erase(&state.app, Some(who.id), &body.email).await?))
}

async fn get_privacy(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(customers::retention(&state.app, who.id).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn put_privacy(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: JsonBody<Value>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    Ok(HttpResponse::Ok().json(customers::set_retention(&state.app, who.id, &body).await?))
}
