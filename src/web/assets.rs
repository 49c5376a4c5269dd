//! The stylesheets, served from our own origin so that the Content-Security-Policy needs no
//! `'unsafe-inline'` for styles. Each URL carries a hash of its content, so a changed stylesheet
//! gets a new URL and the old one may be cached for a year.

use std::sync::LazyLock;

use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

const STYLE: &str = include_str!("../../templates/style.css");
const DASHBOARD: &str =
    concat!(include_str!("../../templates/style.css"), "\n", include_str!("../../templates/dashboard/dashboard.css"));

fn versioned(stem: &str, css: &str) -> String {
    let hash = hex::encode(Sha256::digest(css.as_bytes()));
    format!("/static/{stem}-{}.css", &hash[..16])
}

static STYLE_HREF: LazyLock<String> = LazyLock::new(|| versioned("style", STYLE));
static DASHBOARD_HREF: LazyLock<String> = LazyLock::new(|| versioned("dashboard", DASHBOARD));

/// The public pages' and the account pages' stylesheet.
pub fn style_href() -> &'static str {
    &STYLE_HREF
}

/// The dashboard's stylesheet (the public one plus the dashboard's own rules).
pub fn dashboard_style_href() -> &'static str {
    &DASHBOARD_HREF
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(style_href()).route(web::get().to(|| async { css(STYLE) })))
        .service(web::resource(dashboard_style_href()).route(web::get().to(|| async { css(DASHBOARD) })));
}

fn css(body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
        .body(body)
}
