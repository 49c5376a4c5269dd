//! Server-rendered public pages (askama templates under `templates/`).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, VARY};
use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;

use crate::domain::{Kind, Locale};
use crate::domain::feedback::{COMMENT_MAX_CHARS, FeedbackInput, FieldErrors};
use crate::web::i18n::{LangLink, Tr, switch_links};

pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub lang: &'static str,
    pub tr: Tr,
    pub switch: Vec<LangLink>,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub link: Option<Link>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct FieldMessage {
    pub field: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "scan.html")]
pub struct ScanPage {
    pub lang: &'static str,
    pub tr: Tr,
    pub switch: Vec<LangLink>,
    pub title: String,
    pub product: String,
    pub manufacturer: String,
    pub retired: bool,
    pub intro: String,
    pub action: String,
    pub form: FeedbackInput,
    pub errors: Vec<FieldMessage>,
    pub errors_heading: String,
    pub kinds: Vec<Choice>,
    pub ratings: Vec<Choice>,
    pub comment_max: usize,
    pub comment_hint: String,
    pub consent_label: String,
    pub consent_checked: bool,
    pub show_lot_field: bool,
}

impl ScanPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// What the scan page needs to know about the product line.
pub struct LineView<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub manufacturer: &'a str,
    pub retired: bool,
}

/// The feedback form, empty or re-rendered with what was typed and the errors named.
pub fn scan_page(locale: Locale, line: &LineView<'_>, form: &FeedbackInput, errors: &FieldErrors) -> ScanPage {
    let tr = Tr(locale);
    let kinds = Kind::ALL
        .into_iter()
        .map(|k| Choice { value: k.as_str().to_owned(), label: tr.t(&format!("kind-{}", k.as_str())), checked: form.kind == k.as_str() })
        .collect();
    let ratings = (1..=5)
        .map(|n: u8| Choice { value: n.to_string(), label: tr.t(&format!("rating-{n}")), checked: form.rating.trim() == n.to_string() })
        .collect();
    let errors: Vec<FieldMessage> =
        errors.iter().map(|(field, key)| FieldMessage { field, message: tr.t(key) }).collect();
    ScanPage {
        lang: locale.tag(),
        tr,
        switch: switch_links("", locale),
        title: tr.t_str("page-title", "product", line.name),
        product: line.name.to_owned(),
        manufacturer: line.manufacturer.to_owned(),
        retired: line.retired,
        intro: tr.t_str("scan-intro", "manufacturer", line.manufacturer),
        action: format!("/q/{}?lang={}", line.code, locale.tag()),
        form: form.clone(),
        errors_heading: tr.t_num("errors-heading", "count", errors.len() as i64),
        errors,
        kinds,
        ratings,
        comment_max: COMMENT_MAX_CHARS,
        comment_hint: tr.t_num("comment-hint", "max", COMMENT_MAX_CHARS as i64),
        consent_label: tr.t_str("consent-label", "manufacturer", line.manufacturer),
        consent_checked: form.consent.as_deref().is_some_and(|v| !v.is_empty()),
        show_lot_field: true,
    }
}

pub fn html(status: StatusCode, locale: Locale, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((CONTENT_LANGUAGE, locale.tag()))
        .insert_header((VARY, "Accept-Language"))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body)
}

pub fn message(status: StatusCode, locale: Locale, heading_key: &str, body_key: &str, code: Option<&str>) -> HttpResponse {
    let tr = Tr(locale);
    let body = match code {
        Some(code) => tr.t_str(body_key, "code", code),
        None => tr.t(body_key),
    };
    let page = MessagePage {
        lang: locale.tag(),
        tr,
        switch: switch_links("", locale),
        heading: tr.t(heading_key),
        paragraphs: vec![body],
        link: None,
    };
    render(status, locale, &page)
}

/// A message page whose body takes named arguments (e.g. the manufacturer to ask).
pub fn message_with(
    status: StatusCode,
    locale: Locale,
    heading_key: &str,
    body_key: &str,
    args: &[(&'static str, FluentValue<'static>)],
) -> HttpResponse {
    let tr = Tr(locale);
    let page = MessagePage {
        lang: locale.tag(),
        tr,
        switch: switch_links("", locale),
        heading: tr.t(heading_key),
        paragraphs: vec![tr.t_args(body_key, args)],
        link: None,
    };
    render(status, locale, &page)
}

pub fn render(status: StatusCode, locale: Locale, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => html(status, locale, body),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            HttpResponse::InternalServerError().body("internal error")
        }
    }
}
