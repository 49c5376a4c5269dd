//! Links a manufacturer adds to a product line (instructions, recall status, product registration...),
//! offered by the GS1 Digital Link resolver next to the feedback page. The rules live in
//! [`crate::app::links`]; these handlers only read and write JSON.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::links::{self, LinkInput};
use crate::domain::LineId;
use crate::domain::Role;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/links").route(web::post().to(create)).route(web::get().to(list)))
        .service(web::resource("/product-lines/{id}/links/{link_id}").route(web::delete().to(delete)));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    link_type: String,
    href: String,
    title: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    hreflang: Option<String>,
    #[serde(default, rename = "type")]
    media_type: Option<String>,
    #[serde(default)]
    context: Option<String>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id, line = %id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    let b = body.into_inner();
    let input = LinkInput {
        link_type: b.link_type,
        href: b.href,
        title: b.title,
        lang: b.lang,
        hreflang: b.hreflang,
        media_type: b.media_type,
        context: b.context,
    };
    let link = links::create(&state.app, who.id, LineId(*id), input).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/product-lines/{}/links/{}", link.product_line_id, link.id)))
        .json(link))
}

async fn list(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(links::list(&state.app, who.id, LineId(*id)).await?))
}

async fn delete(
    state: web::Data<AppState>,
    who: Manufacturer,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    let (line_id, link_id) = path.into_inner();
    links::delete(&state.app, who.id, LineId(line_id), link_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
