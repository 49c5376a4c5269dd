//! Print-share links for manufacturers: create (the token is shown once), list, revoke.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::print_shares::{self, ShareRequest};
use crate::domain::Role;
use crate::domain::{LineId, ShareId};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/print-shares").route(web::post().to(create)).route(web::get().to(list)))
        .service(web::resource("/print-shares/{id}/revoke").route(web::post().to(revoke)));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    product_lines: Vec<Uuid>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    expires_in_days: Option<i64>,
    #[serde(default)]
    note: Option<String>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    let CreateBody { product_lines, profile, expires_in_days, note } = body.into_inner();
    let request =
        ShareRequest { product_lines: product_lines.into_iter().map(LineId).collect(), profile, expires_in_days, note };
    let created = print_shares::create(&state.app, who.id, request).await?;
    Ok(HttpResponse::Created().json(created))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let shares = print_shares::list(&state.app, who.id).await?;
    Ok(HttpResponse::Ok().json(shares))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn revoke(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    let share = print_shares::revoke(&state.app, Some(who.id), ShareId(*id)).await?;
    Ok(HttpResponse::Ok().json(share))
}
