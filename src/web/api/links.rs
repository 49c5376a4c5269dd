//! Links a manufacturer adds to a product line (instructions, recall status, product registration...),
//! offered by the GS1 Digital Link resolver next to the feedback page.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Manufacturer, owned_line};
use crate::domain::LinkType;
use crate::domain::digital_link::{parse_href, parse_lang, parse_title};
use crate::store::{self, entities::line_link, links::NewLink};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/links").route(web::post().to(create)).route(web::get().to(list)))
        .service(web::resource("/product-lines/{id}/links/{link_id}").route(web::delete().to(delete)));
}

#[derive(Serialize)]
struct LinkJson {
    id: Uuid,
    product_line_id: Uuid,
    link_type: String,
    href: String,
    title: String,
    lang: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

impl From<line_link::Model> for LinkJson {
    fn from(m: line_link::Model) -> LinkJson {
        LinkJson {
            id: m.id,
            product_line_id: m.product_line_id,
            link_type: m.link_type,
            href: m.href,
            title: m.title,
            lang: m.lang,
            created_at: m.created_at,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    link_type: String,
    href: String,
    title: String,
    #[serde(default)]
    lang: Option<String>,
}

fn validate(body: CreateBody) -> Result<NewLink, ApiError> {
    let link_type =
        LinkType::parse_for_manufacturer(&body.link_type).map_err(|e| ApiError::invalid("link_type", e.to_string()))?;
    let href = parse_href(&body.href).map_err(|e| ApiError::invalid("href", e.to_string()))?;
    let title = parse_title(&body.title).map_err(|e| ApiError::invalid("title", e.to_string()))?;
    let lang = match body.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => Some(parse_lang(l).map_err(|e| ApiError::invalid("lang", e.to_string()))?),
    };
    Ok(NewLink { link_type, href, title, lang })
}

/// The line, if it is this manufacturer's; another manufacturer's line is "not found".

#[tracing::instrument(skip_all, fields(manufacturer = %who.id, line = %id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: web::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    let link = validate(body.into_inner())?;
    // Links are served at the line's GS1 Digital Link; without a GTIN nobody could ever reach them.
    if line.gtin.is_none() {
        return Err(ApiError::Conflict(
            "this product line has no GTIN, so it has no GS1 Digital Link to serve links from".into(),
        ));
    }
    let created = store::links::create(&state.app.db, who.id.get(), line.id.get(), link).await?;
    let json = LinkJson::from(created);
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/product-lines/{}/links/{}", line.id.get(), json.id)))
        .json(json))
}

async fn list(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    let links = store::links::for_line(&state.app.db, line.id.get()).await?;
    Ok(HttpResponse::Ok().json(links.into_iter().map(LinkJson::from).collect::<Vec<_>>()))
}

async fn delete(
    state: web::Data<AppState>,
    who: Manufacturer,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (line_id, link_id) = path.into_inner();
    let line = owned_line(&state, who, line_id).await?;
    store::links::delete(&state.app.db, who.id.get(), line.id.get(), link_id)
        .await
        .map_err(ApiError::unless_missing("link"))?;
    Ok(HttpResponse::NoContent().finish())
}
