//! Links in mails, authenticated by their signature instead of a sign-in: the unsubscribe page and its
//! one-click POST (RFC 8058; no CSRF token, since the signed token is the credential and the POST only
//! turns digests off), and report photo thumbnails.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::{AppError, digests};
use crate::domain::Locale;
use crate::web::error::PageError;
use crate::web::i18n::{Tr, switch_links};
use crate::web::pages;
use crate::web::state::AppState;
use crate::web::subscription_form::{self, Shown, Values};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/unsubscribe/alerts/{token}")
            .route(web::get().to(alerts_page))
            .route(web::post().to(alerts_post)),
    )
    .service(web::resource("/unsubscribe/{token}").route(web::get().to(page)).route(web::post().to(post)))
    .route("/photos/{manufacturer}/{report}/{n}", web::get().to(photo));
}

fn not_found(locale: Locale) -> HttpResponse {
    pages::message(StatusCode::NOT_FOUND, locale, "sub-link-gone-title", "sub-link-gone-body", None)
}

fn locale_of(req: &HttpRequest, fallback: &str) -> Locale {
    req.query_string()
        .split('&')
        .filter_map(|p| p.strip_prefix("lang="))
        .find_map(Locale::parse)
        .or_else(|| Locale::parse(fallback))
        .unwrap_or(Locale::DEFAULT)
}

/// What the page shows besides the form's values.
#[derive(Default)]
struct Outcome {
    error: Option<(&'static str, String)>,
    notice: Option<String>,
    next: Option<time::OffsetDateTime>,
}

fn show(
    req: &HttpRequest,
    token: &str,
    s_locale: &str,
    values: &Values,
    status: StatusCode,
    o: Outcome,
) -> HttpResponse {
    let Outcome { error, notice, next } = o;
    let locale = locale_of(req, s_locale);
    let tr = Tr(locale);
    let path = format!("/unsubscribe/{token}");
    let shown = Shown {
        locale,
        switch: switch_links(&path, locale),
        csrf_token: None,
        owner: false,
        heading: tr.t("sub-token-title"),
        action: path.clone(),
        values,
        lines: None,
        notice,
        next_digest: next,
        unsubscribe_action: Some(path),
    };
    subscription_form::render(shown, status, error)
}

async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let fallback = crate::web::i18n::request_locale(&req);
    match digests::by_token(&state.app, &token).await {
        Ok((_, s)) => Ok(show(
            &req,
            &token,
            &s.locale,
            &Values::of(&s),
            StatusCode::OK,
            Outcome { next: s.next_digest_at, ..Outcome::default() },
        )),
        Err(AppError::NotFound(_)) => Ok(not_found(fallback)),
        Err(e) => Err(PageError::unexpected(fallback, e)),
    }
}

/// A POST without the page's cadence field is the one-click unsubscribe (a mail client sends
/// `List-Unsubscribe=One-Click`); with it, the page's form changing the schedule.
async fn post(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let fallback = crate::web::i18n::request_locale(&req);
    let tr = Tr(locale_of(&req, fallback.tag()));
    if !form.iter().any(|(k, _)| k == "cadence") {
        return match digests::unsubscribe(&state.app, &token).await {
            Ok(s) => {
                let notice = Some(Tr(locale_of(&req, &s.locale)).t("sub-unsubscribed"));
                Ok(show(
                    &req,
                    &token,
                    &s.locale,
                    &Values::of(&s),
                    StatusCode::OK,
                    Outcome { notice, ..Outcome::default() },
                ))
            }
            Err(AppError::NotFound(_)) => Ok(not_found(fallback)),
            Err(e) => Err(PageError::unexpected(fallback, e)),
        };
    }
    let (member, current) = match digests::by_token(&state.app, &token).await {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return Ok(not_found(fallback)),
        Err(e) => return Err(PageError::unexpected(fallback, e)),
    };
    let values = Values::from_form(&form, Some(current.product_lines.clone()));
    match digests::put_by_token(&state.app, &token, &values.body()).await {
        Ok(s) => {
            let notice = Some(Tr(locale_of(&req, &s.locale)).t("sub-saved"));
            Ok(show(
                &req,
                &token,
                &s.locale,
                &Values::of(&s),
                StatusCode::OK,
                Outcome { notice, next: s.next_digest_at, error: None },
            ))
        }
        Err(e) => match subscription_form::refusal(tr, &e) {
            Some(err) => Ok(show(
                &req,
                &token,
                &member.locale,
                &values,
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome { error: Some(err), ..Outcome::default() },
            )),
            None => Err(PageError::unexpected(fallback, e)),
        },
    }
}

#[derive(Deserialize)]
struct Sig {
    #[serde(default)]
    sig: String,
}

async fn photo(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid, i16)>,
    q: web::Query<Sig>,
) -> Result<HttpResponse, PageError> {
    let locale = crate::web::i18n::request_locale(&req);
    let (m, r, n) = path.into_inner();
    match digests::signed_photo(&state.app, m, r, n, &q.sig).await {
        Ok(bytes) => Ok(HttpResponse::Ok()
            .content_type("image/jpeg")
            .insert_header(("Cache-Control", "public, max-age=604800, immutable"))
            .insert_header(("Cross-Origin-Resource-Policy", "cross-origin"))
            .body(bytes)),
        Err(AppError::NotFound(_)) => Ok(HttpResponse::NotFound().finish()),
        Err(e) => Err(PageError::unexpected(locale, e)),
    }
}

#[derive(askama::Template)]
#[template(path = "unsubscribe_alerts.html")]
struct AlertsPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<crate::web::i18n::LangLink>,
    heading: String,
    body: String,
    action: Option<String>,
}

fn alerts_answer(token: &str, locale: Locale, body_key: &str, ask: bool) -> HttpResponse {
    let tr = Tr(locale);
    let path = format!("/unsubscribe/alerts/{token}");
    let page = AlertsPage {
        lang: locale.tag(),
        tr,
        switch: crate::web::i18n::switch_links(&path, locale),
        heading: tr.t("alert-unsubscribe-title"),
        body: tr.t(body_key),
        action: ask.then_some(path),
    };
    crate::web::pages::render(StatusCode::OK, locale, &page)
}

/// The page behind an alert mail's unsubscribe link: a button, since a GET (a link scanner, a
/// preview) must change nothing.
async fn alerts_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let fallback = crate::web::i18n::request_locale(&req);
    match crate::app::alerts::unsubscribe_member(&state.app, &token).await {
        Ok(member) => {
            let locale = locale_of(&req, &member.locale);
            Ok(alerts_answer(&token, locale, "alert-unsubscribe-ask", true))
        }
        Err(AppError::NotFound(_)) => Ok(not_found(fallback)),
        Err(e) => Err(PageError::unexpected(fallback, e)),
    }
}

/// One-click (RFC 8058) and the page's button: alerts off at once, no sign-in.
async fn alerts_post(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let fallback = crate::web::i18n::request_locale(&req);
    match crate::app::alerts::unsubscribe(&state.app, &token).await {
        Ok(member) => {
            let locale = locale_of(&req, &member.locale);
            Ok(alerts_answer(&token, locale, "alert-unsubscribed", false))
        }
        Err(AppError::NotFound(_)) => Ok(not_found(fallback)),
        Err(e) => Err(PageError::unexpected(fallback, e)),
    }
}
