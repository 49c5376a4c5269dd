//! Digest subscriptions, the manufacturer's time zone, and the outbox, over the API.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::digests;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/subscription").route(web::get().to(get_mine)).route(web::put().to(put_mine)))
        .service(
            web::resource("/members/{id}/subscription")
                .route(web::get().to(get_member))
                .route(web::put().to(put_member)),
        )
        .service(
            web::resource("/manufacturer")
                .route(web::get().to(get_manufacturer))
                .route(web::patch().to(patch_manufacturer)),
        )
        .service(web::resource("/outbox").route(web::get().to(outbox)));
}

fn me(who: &Manufacturer) -> Result<Uuid, ApiError> {
    who.user.ok_or_else(|| ApiError::Forbidden("this API token belongs to no member".to_owned()))
}

async fn get_mine(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let id = me(&who)?;
    let actor = digests::actor(&state.app, who.id, who.user).await?;
    Ok(HttpResponse::Ok().json(digests::get(&state.app, who.id, actor.as_ref(), id).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn put_mine(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let id = me(&who)?;
    let actor = digests::actor(&state.app, who.id, who.user).await?;
    Ok(HttpResponse::Ok().json(digests::put(&state.app, who.id, actor.as_ref(), id, &body).await?))
}

async fn owner_actor(state: &AppState, who: &Manufacturer) -> Result<Option<crate::app::accounts::Member>, ApiError> {
    let actor = digests::actor(&state.app, who.id, who.user).await?;
    if let Some(a) = &actor
        && !a.role.allows(crate::domain::Role::Owner)
    {
        return Err(ApiError::Forbidden("only an owner manages other members' digests".to_owned()));
    }
    Ok(actor)
}

async fn get_member(
    state: web::Data<AppState>,
    who: Manufacturer,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let actor = owner_actor(&state, &who).await?;
    Ok(HttpResponse::Ok().json(digests::get(&state.app, who.id, actor.as_ref(), path.into_inner()).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn put_member(
    state: web::Data<AppState>,
    who: Manufacturer,
    path: web::Path<Uuid>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let actor = owner_actor(&state, &who).await?;
    Ok(HttpResponse::Ok().json(digests::put(&state.app, who.id, actor.as_ref(), path.into_inner(), &body).await?))
}

async fn get_manufacturer(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(digests::manufacturer(&state.app, who.id).await?))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn patch_manufacturer(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let actor = digests::actor(&state.app, who.id, who.user).await?;
    Ok(HttpResponse::Ok().json(digests::set_time_zone(&state.app, who.id, actor.as_ref(), &body).await?))
}

#[derive(Deserialize)]
struct OutboxQuery {
    limit: Option<u64>,
}

async fn outbox(
    state: web::Data<AppState>,
    who: Manufacturer,
    q: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit", format!("{limit} is not from 1 to 200")));
    }
    Ok(HttpResponse::Ok().json(digests::outbox(&state.app, who.id, limit).await?))
}
