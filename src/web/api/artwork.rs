use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Manufacturer;
use crate::artwork::{self, ArtworkError, Format, Options};
use crate::store;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/artwork").route(web::get().to(download)));
}

/// Used when a request names no profile: the most common process, printed packaging.
pub const DEFAULT_PROFILE: &str = "packaging-offset";

#[derive(Deserialize)]
struct ArtworkQuery {
    format: Option<String>,
    size_mm: Option<f64>,
    profile: Option<String>,
    caption: Option<String>,
    #[serde(default)]
    invert: bool,
}

fn artwork_error(e: ArtworkError) -> ApiError {
    let field = match e {
        ArtworkError::TooSmall { .. } | ArtworkError::InvalidSize(_) => "size_mm",
        ArtworkError::UnknownProfile { .. } => "profile",
        ArtworkError::UnknownFormat { .. } => "format",
        _ => return ApiError::Unexpected(anyhow::Error::new(e)),
    };
    ApiError::invalid(field, e.to_string())
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn download(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    q: web::Query<ArtworkQuery>,
) -> Result<HttpResponse, ApiError> {
    let line = store::product_lines::get(&state.db, who.id, *id).await.map_err(|e| match e {
        store::StoreError::NotFound => ApiError::NotFound("product line"),
        other => other.into(),
    })?;
    let format: Format = q.format.as_deref().unwrap_or("svg").parse().map_err(artwork_error)?;
    let profile = artwork::profile(q.profile.as_deref().unwrap_or(DEFAULT_PROFILE)).map_err(artwork_error)?;
    let mut options = Options::new(profile);
    options.size_mm = q.size_mm;
    options.caption = q.caption.clone();
    options.invert = q.invert;
    let text = artwork::encode_url(&state.settings.public_url, &line.code, profile.uppercase_scheme);
    // Rendering is CPU work of a few milliseconds; keep it off the async workers.
    let rendered = web::block(move || artwork::render(&text, format, &options))
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("artwork task failed: {e}")))?
        .map_err(artwork_error)?;
    let filename = format!("scanback-{}-{}.{}", line.code, profile.name, format.extension());
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{filename}\"")))
        .insert_header(("X-Symbol-Version", rendered.spec.version.to_string()))
        .insert_header(("X-Symbol-EC-Level", rendered.spec.ec_level.to_string()))
        .body(rendered.bytes))
}
