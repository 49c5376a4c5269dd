//! The JSON API for manufacturers, under `/api/v1`, with bearer tokens.

pub(crate) mod artwork;
mod auth;
mod broadcasts;
mod digests;
mod links;
mod lots;
mod openapi;
pub mod print_shares;
mod product_lines;
pub(crate) mod reports;
mod stats;

use actix_web::web;

pub use auth::Manufacturer;

use crate::web::error::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            // A span and a log line per API call. The public scan path goes without: it is the hot
            // path, and its failures are logged where they are turned into pages.
            .wrap(tracing_actix_web::TracingLogger::default())
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
            .configure(digests::routes)
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

fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(64 * 1024).error_handler(|err, _req| {
        ApiError::BadRequest(format!("the request body is not valid JSON for this call: {err}")).into()
    })
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _req| ApiError::BadRequest(format!("invalid query string: {err}")).into())
}

fn path_config() -> web::PathConfig {
    // A malformed id can never name an existing resource.
    web::PathConfig::default().error_handler(|_err, _req| ApiError::NotFound("resource").into())
}
