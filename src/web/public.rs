//! The customer's side: the feedback page a QR code opens, the submission and the thank-you page.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::domain::{Code, CodeError, FeedbackInput, LineStatus, Locale};
use crate::store::{self, entities::product_line};
use crate::web::error::PageError;
use crate::web::i18n::{Tr, request_locale, switch_links};
use crate::web::pages::{self, LineView, Link, MessagePage};
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // `/Q/` is what the printed symbol carries (upper case fits QR's alphanumeric mode); `/q/` is what
    // people type. Both are served alike.
    for prefix in ["/q", "/Q"] {
        cfg.service(
            web::resource(format!("{prefix}/{{code}}"))
                .route(web::get().to(show))
                .route(web::head().to(show))
                .route(web::post().to(submit)),
        )
        .service(web::resource(format!("{prefix}/{{code}}/thanks")).route(web::get().to(thanks)));
    }
}

struct Line {
    model: product_line::Model,
    manufacturer: String,
}

impl Line {
    fn view(&self) -> LineView<'_> {
        LineView {
            code: &self.model.code,
            name: &self.model.name,
            manufacturer: &self.manufacturer,
            retired: self.model.status == LineStatus::Retired.as_str(),
        }
    }
}

async fn find_line(state: &AppState, raw_code: &str, locale: Locale) -> Result<Line, PageError> {
    let shown: String = raw_code.chars().take(32).collect();
    let code = Code::parse(raw_code).map_err(|e| match e {
        CodeError::Mistyped => PageError::MistypedCode { locale, code: shown.clone() },
        CodeError::Malformed => PageError::UnknownCode { locale, code: shown.clone() },
    })?;
    let model = store::product_lines::find_by_code(&state.db, &code)
        .await
        .map_err(|e| PageError::unexpected(locale, e))?
        .ok_or(PageError::UnknownCode { locale, code: shown })?;
    let manufacturer = store::manufacturers::get(&state.db, model.manufacturer_id)
        .await
        .map_err(|e| PageError::unexpected(locale, e))?
        .name;
    Ok(Line { model, manufacturer })
}

#[tracing::instrument(skip_all, fields(code = %path))]
async fn show(state: web::Data<AppState>, req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let line = find_line(&state, &path, locale).await?;
    let page = pages::scan_page(locale, &line.view(), &FeedbackInput::default(), &Default::default());
    Ok(pages::render(StatusCode::OK, locale, &page))
}

#[tracing::instrument(skip_all, fields(code = %path))]
async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<FeedbackInput>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let line = find_line(&state, &path, locale).await?;
    let input = form.into_inner();
    let feedback = match input.validate() {
        Ok(f) => f,
        Err(errors) => {
            let page = pages::scan_page(locale, &line.view(), &input, &errors);
            return Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, locale, &page));
        }
    };
    store::reports::insert(&state.db, line.model.manufacturer_id, line.model.id, &feedback, locale)
        .await
        .map_err(|e| PageError::unexpected(locale, e))?;
    let reply = if feedback.email.is_some() { "&reply=1" } else { "" };
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/q/{}/thanks?lang={}{reply}", line.model.code, locale.tag())))
        .finish())
}

#[tracing::instrument(skip_all, fields(code = %path))]
async fn thanks(state: web::Data<AppState>, req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let line = find_line(&state, &path, locale).await?;
    let tr = Tr(locale);
    let reply = req.query_string().split('&').any(|p| p == "reply=1");
    let who = &line.manufacturer;
    let body = tr.t_args(
        "thanks-body",
        &[("product", line.model.name.clone().into()), ("manufacturer", who.clone().into())],
    );
    let next = tr.t_str(if reply { "thanks-reply" } else { "thanks-no-reply" }, "manufacturer", who);
    let page = MessagePage {
        lang: locale.tag(),
        tr,
        switch: switch_links("", locale)
            .into_iter()
            .map(|mut l| {
                if reply {
                    l.href.push_str("&reply=1");
                }
                l
            })
            .collect(),
        heading: tr.t("thanks-title"),
        paragraphs: vec![body, next],
        link: Some(Link { href: format!("/q/{}?lang={}", line.model.code, locale.tag()), label: tr.t("thanks-again") }),
    };
    Ok(pages::render(StatusCode::OK, locale, &page))
}

/// Form bodies beyond this are refused before they are parsed: the form has no field that needs more.
pub const FORM_LIMIT_BYTES: usize = 16 * 1024;

pub fn form_config() -> web::FormConfig {
    web::FormConfig::default().limit(FORM_LIMIT_BYTES).error_handler(|err, req| {
        let locale = request_locale(req);
        let page_error = match err {
            actix_web::error::UrlencodedError::Overflow { .. } => PageError::TooLarge { locale },
            other => {
                tracing::info!(error = %other, "unreadable feedback form");
                PageError::BadRequest { locale }
            }
        };
        page_error.into()
    })
}
