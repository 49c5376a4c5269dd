//! The OpenAPI 3.1 document of this API, maintained by hand next to the handlers and served as is.
//! `tests/api/openapi.rs` calls every operation it lists against the running app.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};

const DOCUMENT: &str = include_str!("openapi.json");

pub fn routes(cfg: &mut web::ServiceConfig) {
    // No `Manufacturer` extractor: the description of the API is public.
    cfg.service(web::resource("/openapi.json").route(web::get().to(document)));
}

async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/json"))
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .body(DOCUMENT)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_json_and_openapi_3_1() {
        let doc: serde_json::Value = serde_json::from_str(super::DOCUMENT).expect("openapi.json is JSON");
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")));
    }
}
