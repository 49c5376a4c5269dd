//! The cold-start seeds of category suggestions: keywords per category (`kind/key`), which the
//! manufacturer edits. Each category's own labels are seeds anyway and are not listed here.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};

use super::Manufacturer;
use crate::app::classify;
use crate::domain::Role;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/category-keywords").route(web::get().to(get)).route(web::put().to(put)));
}

/// `{"defect/handle": ["горячая", "hot"], ...}`
async fn get(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(classify::keywords(&state.app, who.id).await?))
}

/// Replaces every keyword; the suggestions learn them within seconds.
async fn put(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<BTreeMap<String, Vec<String>>>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    Ok(HttpResponse::Ok().json(classify::set_keywords(&state.app, who.id, body.into_inner()).await?))
}
