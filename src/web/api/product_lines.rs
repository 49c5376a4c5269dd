use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Manufacturer, owned_line};
use crate::domain::{FormConfig, Gtin, ProductName, product::parse_sku};
use crate::store::{self, entities::product_line, product_lines::NewLine};
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
                .app_data(web::PayloadConfig::new(crate::photos::MAX_FILE_BYTES))
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
    pub fn new(m: product_line::Model, public_url: &str) -> LineJson {
        LineJson {
            id: m.id,
            scan_url: format!("{public_url}/q/{}", m.code),
            name: m.name,
            code: m.code,
            gtin: m.gtin,
            sku: m.sku,
            status: m.status,
            image_url: m.image_path.as_deref().map(|p| format!("{public_url}/media/{p}")),
            created_at: m.created_at,
            retired_at: m.retired_at,
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

fn parse_name(s: &str) -> Result<ProductName, ApiError> {
    ProductName::parse(s).map_err(|e| ApiError::invalid("name", e.to_string()))
}

fn parse_optional_sku(s: Option<&str>) -> Result<Option<String>, ApiError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_sku(s).map(Some).map_err(|e| ApiError::invalid("sku", e.to_string())),
    }
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: web::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let name = parse_name(&body.name)?;
    let gtin = match body.gtin.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(g) => Some(Gtin::parse(g).map_err(|e| ApiError::invalid("gtin", e.to_string()))?),
    };
    let sku = parse_optional_sku(body.sku.as_deref())?;
    let line = store::product_lines::create(&state.db, who.id, NewLine { name, sku, gtin }).await?;
    let json = LineJson::new(line, &state.settings.public_url);
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/product-lines/{}", json.id))).json(json))
}

async fn list(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let lines = store::product_lines::list(&state.db, who.id).await?;
    let public = &state.settings.public_url;
    Ok(HttpResponse::Ok().json(lines.into_iter().map(|l| LineJson::new(l, public)).collect::<Vec<_>>()))
}

async fn get(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.settings.public_url)))
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
    body: web::Json<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let name = body.name.as_deref().map(parse_name).transpose()?;
    let sku = match body.sku {
        None => None,
        Some(v) => Some(parse_optional_sku(v.as_deref())?),
    };
    let line = store::product_lines::update(&state.db, who.id, *id, store::product_lines::Changes { name, sku })
        .await
        .map_err(ApiError::unless_missing("product line"))?;
    state.lines.invalidate(&line.code);
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.settings.public_url)))
}

async fn retire(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let line =
        store::product_lines::retire(&state.db, who.id, *id).await.map_err(ApiError::unless_missing("product line"))?;
    state.lines.invalidate(&line.code);
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.settings.public_url)))
}

/// The feedback form of a line: categories per kind with labels, and which optional questions it asks.
async fn get_form(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    Ok(HttpResponse::Ok().json(FormConfig::from_stored(line.form_config.as_deref())))
}

async fn put_form(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: web::Json<FormConfig>,
) -> Result<HttpResponse, ApiError> {
    let form = body.into_inner();
    form.validate().map_err(|e| ApiError::invalid("categories", e.to_string()))?;
    let line = store::product_lines::set_form(&state.db, who.id, *id, &form)
        .await
        .map_err(ApiError::unless_missing("product line"))?;
    state.lines.invalidate(&line.code);
    Ok(HttpResponse::Ok().json(form))
}

/// The product picture: the raw JPEG, PNG or WebP file as the body. It is shrunk and re-encoded (no
/// EXIF) for the scan page.
async fn put_image(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    let dir = state.settings.data_dir.clone();
    let line_id = line.id;
    let saved = web::block(move || {
        let (jpeg, w, h) =
            crate::photos::product_image(&body).map_err(|e| ApiError::invalid("image", e.to_string()))?;
        let path = store::photo_files::save_product_image(&dir, line_id, &jpeg)
            .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("cannot write the picture: {e}")))?;
        Ok::<_, ApiError>((path, w, h))
    })
    .await
    .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("image task failed: {e}")))??;
    let line = store::product_lines::set_image(&state.db, who.id, line_id, Some(saved))
        .await
        .map_err(ApiError::unless_missing("product line"))?;
    state.lines.invalidate(&line.code);
    Ok(HttpResponse::Ok().json(LineJson::new(line, &state.settings.public_url)))
}

async fn delete_image(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let line = store::product_lines::set_image(&state.db, who.id, *id, None)
        .await
        .map_err(ApiError::unless_missing("product line"))?;
    state.lines.invalidate(&line.code);
    Ok(HttpResponse::NoContent().finish())
}
