//! `/r/{token}`: the customer reads the manufacturer's answer and writes back, without an account,
//! cookie or script. The token in the link is the only key (it came in the reply mail).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::{AppError, replies};
use crate::domain::Locale;
use crate::web::error::PageError;
use crate::web::i18n::{LangLink, Tr, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/r/{token}").route(web::get().to(show)).route(web::post().to(answer)));
}

struct Shown {
    outgoing: bool,
    at: String,
    paragraphs: Vec<String>,
}

#[derive(Template)]
#[template(path = "reply.html")]
struct ReplyPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    heading: String,
    comment: String,
    from_label: String,
    answer_label: String,
    messages: Vec<Shown>,
    action: String,
    draft: String,
    notice: Option<String>,
    error: Option<String>,
}

/// `?lang=` wins, else the language the customer reported in.
fn locale_for(req: &HttpRequest, thread: &replies::Thread) -> Locale {
    req.query_string()
        .split('&')
        .filter_map(|p| p.strip_prefix("lang="))
        .find_map(Locale::parse)
        .unwrap_or(thread.locale)
}

fn page(
    req: &HttpRequest,
    token: &str,
    thread: &replies::Thread,
    status: StatusCode,
    draft: String,
    notice: Option<String>,
    error: Option<String>,
) -> HttpResponse {
    let locale = locale_for(req, thread);
    let tr = Tr(locale);
    let who = &thread.manufacturer;
    let page = ReplyPage {
        lang: locale.tag(),
        tr,
        switch: switch_links(&format!("/r/{token}"), locale),
        heading: tr.t_str("answer-title", "product", &thread.product),
        comment: thread.comment.clone(),
        from_label: tr.t_str("answer-from", "manufacturer", who),
        answer_label: tr.t_str("answer-label", "manufacturer", who),
        messages: thread
            .messages
            .iter()
            .map(|m| Shown {
                outgoing: m.outgoing,
                at: m.at.date().to_string(),
                paragraphs: m.body.split("\n\n").map(str::to_owned).collect(),
            })
            .collect(),
        action: format!("/r/{token}?lang={}", locale.tag()),
        draft,
        notice,
        error,
    };
    pages::render(status, locale, &page)
}

fn gone(req: &HttpRequest, status: StatusCode) -> HttpResponse {
    let locale = crate::web::i18n::request_locale(req);
    pages::message(status, locale, "answer-gone-title", "answer-gone-body", None)
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let locale = crate::web::i18n::request_locale(&req);
    match replies::open(&state.app, &token).await.map_err(|e| PageError::unexpected(locale, e))? {
        replies::Opened::Live(thread) => Ok(page(&req, &token, &thread, StatusCode::OK, String::new(), None, None)),
        replies::Opened::Expired => Ok(gone(&req, StatusCode::GONE)),
        replies::Opened::Unknown => Ok(gone(&req, StatusCode::NOT_FOUND)),
    }
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    message: String,
}

async fn answer(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    let locale = crate::web::i18n::request_locale(&req);
    let thread = match replies::open(&state.app, &token).await.map_err(|e| PageError::unexpected(locale, e))? {
        replies::Opened::Live(thread) => thread,
        replies::Opened::Expired => return Ok(gone(&req, StatusCode::GONE)),
        replies::Opened::Unknown => return Ok(gone(&req, StatusCode::NOT_FOUND)),
    };
    match replies::answer_by_link(&state.app, &token, &form.message).await {
        Ok(_) => {
            let thread = match replies::open(&state.app, &token).await.map_err(|e| PageError::unexpected(locale, e))? {
                replies::Opened::Live(t) => t,
                _ => thread,
            };
            let tr = Tr(locale_for(&req, &thread));
            let notice = tr.t_str("answer-sent", "manufacturer", &thread.manufacturer);
            Ok(page(&req, &token, &thread, StatusCode::OK, String::new(), Some(notice), None))
        }
        Err(e @ AppError::Invalid { .. }) => {
            let message = e.refusal_text(Tr(locale_for(&req, &thread))).unwrap_or_default();
            Ok(page(&req, &token, &thread, StatusCode::UNPROCESSABLE_ENTITY, form.message.clone(), None, Some(message)))
        }
        Err(e) => Err(PageError::unexpected(locale, e)),
    }
}
