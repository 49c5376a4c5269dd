//! The manufacturer's dashboard, server-rendered: no JavaScript, no third-party requests, every
//! chart an SVG with a text alternative. Handlers take the signed-in [`session::Member`] and call
//! `app`; the statistics pages read only the rollups (through `app::dashboard`).

mod charts;
mod format;
mod lines;
mod overview;
pub mod session;
mod view;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError, web};

use crate::app::AppError;
use crate::domain::Locale;
use crate::web::i18n::Tr;
use crate::web::pages::{self, Link, MessagePage};

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Single resources rather than a `/dashboard` scope, so the other dashboard pages (sign-in,
    // inbox, members) can register their own beside these.
    cfg.service(web::resource("/dashboard").route(web::get().to(overview::show)))
        .service(web::resource("/dashboard/lines/{id}").route(web::get().to(lines::show)))
        .service(web::resource("/dashboard/lines/{id}/lots").route(web::post().to(lines::set_volume)))
        .service(web::resource("/dashboard/reports/{id}/photos/{position}").route(web::get().to(lines::photo)));
}

/// What a dashboard page answers instead of itself: a short page in the member's language.
#[derive(Debug, thiserror::Error)]
pub enum DashError {
    /// Unknown, malformed or another manufacturer's id (indistinguishable on purpose).
    #[error("not found")]
    NotFound(Locale),
    /// The member's role does not allow this.
    #[error("forbidden")]
    Forbidden(Locale),
    #[error("unexpected: {1}")]
    Unexpected(Locale, anyhow::Error),
}

/// For `map_err`: a use case's error as a dashboard page.
pub fn app_error(locale: Locale) -> impl Fn(AppError) -> DashError {
    move |e| match e {
        AppError::NotFound(_) => DashError::NotFound(locale),
        other => DashError::Unexpected(locale, anyhow::Error::new(other)),
    }
}

impl ResponseError for DashError {
    fn status_code(&self) -> StatusCode {
        match self {
            DashError::NotFound(_) => StatusCode::NOT_FOUND,
            DashError::Forbidden(_) => StatusCode::FORBIDDEN,
            DashError::Unexpected(..) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (locale, heading, body) = match self {
            DashError::NotFound(l) => (*l, "dash-notfound-title", "dash-notfound-body"),
            DashError::Forbidden(l) => (*l, "dash-forbidden-title", "dash-forbidden-body"),
            DashError::Unexpected(l, e) => {
                tracing::error!(error = ?e, "dashboard page failed");
                (*l, "error-title", "dash-error-body")
            }
        };
        let tr = Tr(locale);
        let page = MessagePage {
            lang: locale.tag(),
            tr,
            // The member's language is their setting: no switch here.
            switch: Vec::new(),
            heading: tr.t(heading),
            paragraphs: vec![tr.t(body)],
            link: Some(Link { href: "/dashboard".into(), label: tr.t("dash-back-to-overview") }),
        };
        pages::render(self.status_code(), locale, &page)
    }
}
