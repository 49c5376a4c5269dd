//! Server-rendered public pages (askama templates under `templates/`).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, VARY};
use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;

use crate::domain::feedback::{COMMENT_MAX_CHARS, FeedbackInput, FieldErrors};
use crate::domain::form::{MAX_PHOTOS, USAGE_PERIODS};
use crate::domain::{FormConfig, Kind, Locale};
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
    pub picture: Option<Picture>,
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
    /// The lot came with the code (GS1 Digital Link): shown, not asked.
    pub known_lot: bool,
    pub lot_hint: String,
    pub category_groups: Vec<CategoryGroup>,
    pub ask_recommend: bool,
    pub recommend: Vec<Choice>,
    pub ask_usage: bool,
    pub usage: Vec<Choice>,
    pub allow_photos: bool,
    pub photos_hint: String,
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
    pub form: &'a FormConfig,
    /// Path under /media/, width, height.
    pub image: Option<(&'a str, i32, i32)>,
}

pub struct Picture {
    pub src: String,
    pub width: i32,
    pub height: i32,
}

pub struct CategoryGroup {
    pub label: String,
    pub options: Vec<Choice>,
}

/// The feedback form, empty or re-rendered with what was typed and the errors named.
pub fn scan_page(locale: Locale, line: &LineView<'_>, form: &FeedbackInput, errors: &FieldErrors) -> ScanPage {
    let tr = Tr(locale);
    let kinds = Kind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: tr.t(&format!("kind-{}", k.as_str())),
            checked: form.kind == k.as_str(),
        })
        .collect();
    let ratings = (1..=5)
        .map(|n: u8| Choice {
            value: n.to_string(),
            label: tr.t(&format!("rating-{n}")),
            checked: form.rating.trim() == n.to_string(),
        })
        .collect();
    let errors_has_lot = errors.contains_key("lot");
    // A serial the link carried that cannot be kept is left out of the form sent again, so the
    // customer is never stuck on a field they cannot see.
    let mut shown = form.clone();
    if errors.contains_key("serial") {
        shown.serial.clear();
    }
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
        picture: line.image.map(|(p, width, height)| Picture { src: format!("/media/{p}"), width, height }),
        intro: tr.t_str("scan-intro", "manufacturer", line.manufacturer),
        action: format!("/q/{}?lang={}", line.code, locale.tag()),
        form: shown,
        errors_heading: tr.t_num("errors-heading", "count", errors.len() as i64),
        errors,
        kinds,
        ratings,
        comment_max: COMMENT_MAX_CHARS,
        comment_hint: tr.t_num("comment-hint", "max", COMMENT_MAX_CHARS as i64),
        consent_label: crate::app::feedback::consent_text(locale, line.manufacturer),
        consent_checked: form.consent.as_deref().is_some_and(|v| !v.is_empty()),
        known_lot: !form.lot.is_empty() && !errors_has_lot,
        lot_hint: line.form.lot_hint(locale).map_or_else(|| tr.t("lot-hint"), str::to_owned),
        category_groups: Kind::ALL
            .into_iter()
            .map(|k| CategoryGroup {
                label: tr.t(&format!("kind-{}", k.as_str())),
                options: line
                    .form
                    .categories
                    .for_kind(k)
                    .iter()
                    .map(|c| Choice {
                        value: c.key.clone(),
                        label: c.label(locale).to_owned(),
                        checked: form.kind == k.as_str() && form.category == c.key,
                    })
                    .collect(),
            })
            .collect(),
        ask_recommend: line.form.ask_recommend,
        recommend: (0..=10)
            .map(|n: u8| Choice {
                value: n.to_string(),
                label: n.to_string(),
                checked: form.recommend.trim() == n.to_string(),
            })
            .collect(),
        ask_usage: line.form.ask_usage,
        usage: USAGE_PERIODS
            .iter()
            .map(|p| Choice { value: (*p).to_owned(), label: tr.t(&format!("usage-{p}")), checked: form.usage == *p })
            .collect(),
        allow_photos: line.form.allow_photos,
        photos_hint: tr.t_num("photos-hint", "max", MAX_PHOTOS as i64),
    }
}

pub fn html(status: StatusCode, locale: Locale, body: String) -> HttpResponse {
    html_bytes(status, locale, bytes::Bytes::from(body))
}

pub fn message(
    status: StatusCode,
    locale: Locale,
    heading_key: &str,
    body_key: &str,
    code: Option<&str>,
) -> HttpResponse {
    match code {
        Some(code) => message_with(status, locale, heading_key, body_key, &[("code", code.to_owned().into())]),
        None => message_with(status, locale, heading_key, body_key, &[]),
    }
}

/// A rendered page kept for reuse; a template that cannot render yields an empty body, logged.
pub fn render_bytes(page: &impl Template) -> bytes::Bytes {
    match page.render() {
        Ok(body) => bytes::Bytes::from(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            bytes::Bytes::new()
        }
    }
}

pub fn html_bytes(status: StatusCode, locale: Locale, body: bytes::Bytes) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((CONTENT_LANGUAGE, locale.tag()))
        .insert_header((VARY, "Accept-Language"))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body)
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

/// A message page whose body is text already in the visitor's language.
pub fn message_text(status: StatusCode, locale: Locale, heading_key: &str, body: String) -> HttpResponse {
    let tr = Tr(locale);
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

pub fn render(status: StatusCode, locale: Locale, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => html(status, locale, body),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            HttpResponse::InternalServerError().body("internal error")
        }
    }
}
