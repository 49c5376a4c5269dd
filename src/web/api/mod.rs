//! The JSON API for manufacturers, under `/api/v1`, with bearer tokens.

mod alerts;
pub(crate) mod artwork;
pub mod auth;
mod broadcasts;
mod classifier;
mod customers;
mod digests;
mod links;
mod lots;
mod members;
mod openapi;
pub mod print_shares;
mod product_lines;
pub(crate) mod reports;
mod stats;
mod themes;
mod webhooks;
mod zones;

use actix_web::web;

pub use auth::Manufacturer;

use crate::web::error::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            // A span and a log line per API call. The public scan path goes without: it is the hot
            // path, and its failures are logged where they are turned into pages.
            .wrap(tracing_actix_web::TracingLogger::default())
            // Answers hold reports, emails and tokens: no shared cache keeps them, no browser stores
            // them. Calls that may be cached (the OpenAPI document, photos) say so themselves.
            .wrap(actix_web::middleware::DefaultHeaders::new().add(("Cache-Control", "private, no-store")))
            .app_data(json_config())
            .app_data(query_config())
            .app_data(path_config())
            .configure(openapi::routes)
            .configure(product_lines::routes)
            .configure(artwork::routes)
            .configure(print_shares::routes)
            .configure(reports::routes)
            .configure(stats::routes)
            .configure(links::routes)
            .configure(broadcasts::routes)
            .configure(lots::routes)
            .configure(members::routes)
            .configure(alerts::routes)
            .configure(webhooks::routes)
            .configure(digests::routes)
            .configure(customers::routes)
            .configure(classifier::routes)
            .configure(zones::routes)
            .configure(themes::routes)
            .default_service(web::to(|| async { Err::<actix_web::HttpResponse, _>(ApiError::NotFound("route")) })),
    );
}

/// A product line of the calling manufacturer; another manufacturer's line is a 404 like an unknown one.
async fn owned_line(
    state: &crate::web::state::AppState,
    who: Manufacturer,
    id: uuid::Uuid,
) -> Result<crate::app::lines::Line, ApiError> {
    Ok(crate::app::lines::get(&state.app, who.id, crate::domain::LineId(id)).await?)
}

/// Largest JSON body any call takes.
const JSON_LIMIT: usize = 64 * 1024;

fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(JSON_LIMIT).error_handler(|err, _req| match err {
        actix_web::error::JsonPayloadError::Overflow { .. }
        | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::TooLarge(format!("the request body is larger than {} KB", JSON_LIMIT / 1024)).into()
        }
        err => ApiError::BadRequest(format!("the request body is not valid JSON: {err}")).into(),
    })
}

/// A JSON object body. `web::Json` would let serde build a struct from an array (`[]` is then a
/// valid, empty PATCH): every call here takes an object, so anything else is a 400.
pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonBody<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned + 'static> actix_web::FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let value = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let web::Json(value) = value.await?;
            if !value.is_object() {
                return Err(ApiError::BadRequest("the request body must be a JSON object, `{...}`".into()).into());
            }
            serde_json::from_value(value)
                .map(JsonBody)
                .map_err(|e| ApiError::BadRequest(format!("the request body does not fit this call: {e}")).into())
        })
    }
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _req| ApiError::BadRequest(format!("invalid query string: {err}")).into())
}

fn path_config() -> web::PathConfig {
    // A malformed id can never name an existing resource.
    web::PathConfig::default().error_handler(|_err, _req| ApiError::NotFound("resource").into())
}
