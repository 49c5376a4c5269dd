use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::lines::{self, Changes, Line, NewLineInput};
use crate::domain::Role;
use crate::domain::{FormConfig, LineId};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines").route(web::post().to(create)).route(web::get().to(list)))
        .service(web::resource("/product-lines/{id}").route(web::get().to(get)).route(web::patch().to(update)))
        .service(web::resource("/product-lines/{id}/retire").route(web::post().to(retire)))
        .service(
            web::resource("/product-lines/{id}/form").route(web::get().to(get_form)).route(web::put().to(put_form)),
        )
        .service(
            web::resource("/product-lines/{id}/image")
                .route(web::put().to(put_image))
                .route(web::delete().to(delete_image)),
        );
}

/// A product line as the API shows it.
#[derive(Serialize)]
pub struct LineJson {
    pub id: Uuid,
    pub name: String,
    pub code: String,
    /// The URL the QR symbol encodes, before its host and path are upper-cased for printing.
    pub scan_url: String,
    pub gtin: Option<String>,
    pub sku: Option<String>,
    pub status: String,
    /// The product picture on the scan page, if one was uploaded.
    pub image_url: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
}

impl LineJson {
    pub fn new(l: Line, public_url: &str) -> LineJson {
        LineJson {
            id: l.id.get(),
            scan_url: format!("{public_url}/q/{}", l.code),
            image_url: l.image.as_ref().map(|i| format!("{public_url}/media/{}", i.path)),
            name: l.name,
            code: l.code,
            gtin: l.gtin,
            sku: l.sku,
            status: l.status.as_str().to_owned(),
            created_at: l.created_at,
            retired_at: l.retired_at,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    name: String,
    #[serde(default)]
    gtin: Option<String>,
    #[serde(default)]
    sku: Option<String>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    let CreateBody { name, gtin, sku } = body.into_inner();
    let line = lines::create(&state.app, who.id, NewLineInput { name, gtin, sku }).await?;
    let json = LineJson::new(line, &state.app.settings.public_url);
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/product-lines/{}", json.id))).json(json))
}

async fn list(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let all = lines::list(&state.app, who.id).await?;
    let public = &state.app.settings.public_url;
    Ok(HttpResponse::Ok().json(all.into_iter().map(|l| LineJson::new(l, public)).collect::<Vec<_>>()))
}

async fn get(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let line = lines::get(&state.app, who.id, LineId(*id)).await?;
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.app.settings.public_url)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    #[serde(default)]
    name: Option<String>,
    /// `null` clears the SKU; absent leaves it.
    #[serde(default, with = "double_option")]
    sku: Option<Option<String>>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

async fn update(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    let UpdateBody { name, sku } = body.into_inner();
    let line = lines::update(&state.app, who.id, LineId(*id), Changes { name, sku }).await?;
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.app.settings.public_url)))
}

async fn retire(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    let line = lines::retire(&state.app, who.id, LineId(*id)).await?;
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.app.settings.public_url)))
}

/// The feedback form of a line: categories per kind with labels, and which optional questions it asks.
async fn get_form(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(lines::form(&state.app, who.id, LineId(*id)).await?))
}

async fn put_form(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<FormConfig>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    Ok(HttpResponse::Ok().json(lines::set_form(&state.app, who.id, LineId(*id), body.into_inner()).await?))
}

/// The product picture: the raw JPEG, PNG or WebP file as the body. It is shrunk and re-encoded (no
/// EXIF) for the scan page.
async fn put_image(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    // The API's own 413 (actix's limit answers in plain text, outside the JSON envelope).
    let limit = crate::photos::MAX_FILE_BYTES;
    let body = crate::web::submission::read_limited(body, limit).await.map_err(|e| match e {
        crate::web::submission::ReadError::TooLarge => {
            ApiError::TooLarge(format!("the file is larger than {} MB", limit / (1024 * 1024)))
        }
        crate::web::submission::ReadError::Unreadable(why) => {
            ApiError::BadRequest(format!("the upload could not be read: {why}"))
        }
    })?;
    let line = lines::set_image(&state.app, who.id, LineId(*id), body.into()).await?;
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.app.settings.public_url)))
}

async fn delete_image(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Owner)?;
    lines::clear_image(&state.app, who.id, LineId(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
