//! The customer's side: the feedback page a QR code opens, the submission and the thank-you page.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{LOCATION, USER_AGENT};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::feedback::{self, SubmitError};
use crate::domain::feedback::FieldErrors;
use crate::domain::{Code, CodeError, FeedbackInput, Locale, visitor};
use crate::store::{self, line_cache::CachedLine};
use crate::web::error::PageError;
use crate::web::i18n::{Tr, request_locale, switch_links};
use crate::web::metrics::Refusal;
use crate::web::pages::{self, LineView, Link, MessagePage};
use crate::web::state::AppState;
use crate::web::submission::{self, ReadError, Submission};

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
    cfg.service(web::resource("/media/lines/{name}").route(web::get().to(product_image)))
        .service(web::resource(SHRINK_SCRIPT_PATH).route(web::get().to(shrink_script)));
}

/// The optional photo-shrinking script; the version is in the name so it can be cached for a year.
pub const SHRINK_SCRIPT_PATH: &str = "/static/shrink-photos-v1.js";

async fn shrink_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
        .body(include_str!("../../static/shrink-photos.js"))
}

/// Product pictures. Names are chosen by the server (`<line uuid>-<random>.jpg`) and change with each
/// upload, so they can be cached for a year.
async fn product_image(state: web::Data<AppState>, name: web::Path<String>) -> HttpResponse {
    let ok_name = name.len() <= 80
        && name.ends_with(".jpg")
        && name.trim_end_matches(".jpg").bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    if !ok_name {
        return HttpResponse::NotFound().finish();
    }
    let dir = state.app.settings.data_dir.clone();
    let rel = format!("lines/{name}");
    match web::block(move || store::photo_files::read(&dir, &rel)).await {
        Ok(Ok(bytes)) => HttpResponse::Ok()
            .content_type("image/jpeg")
            .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
            .body(bytes),
        _ => HttpResponse::NotFound().finish(),
    }
}

fn view(line: &CachedLine) -> LineView<'_> {
    LineView {
        code: &line.line.code,
        name: &line.line.name,
        manufacturer: &line.manufacturer,
        retired: line.retired(),
        form: &line.form,
        image: line
            .line
            .image_path
            .as_deref()
            .map(|p| (p, line.line.image_width.unwrap_or(0), line.line.image_height.unwrap_or(0))),
    }
}

async fn find_line(state: &AppState, raw_code: &str, locale: Locale) -> Result<Arc<CachedLine>, PageError> {
    // What the error pages repeat back, built only when there is an error (this is the hot path).
    let shown = || raw_code.chars().take(32).collect::<String>();
    let code = Code::parse(raw_code).map_err(|e| match e {
        CodeError::Mistyped => PageError::MistypedCode { locale, code: shown() },
        CodeError::Malformed => PageError::UnknownCode { locale, code: shown() },
    })?;
    state
        .app
        .lines
        .get(&state.app.db, &code)
        .await
        .map_err(|e| PageError::unexpected(locale, e))?
        .ok_or_else(|| PageError::UnknownCode { locale, code: shown() })
}

/// `lot` and `serial` arrive from a GS1 Digital Link redirect; they travel into the report.
#[derive(serde::Deserialize, Default)]
struct ScanQuery {
    lot: Option<String>,
    serial: Option<String>,
}

fn query(req: &HttpRequest) -> ScanQuery {
    serde_urlencoded::from_str(req.query_string()).unwrap_or_default()
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

#[tracing::instrument(skip_all, fields(code = %path))]
async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let line = find_line(&state, &path, locale).await?;
    let q = query(&req);
    let lot = q.lot.as_deref().map(str::trim).filter(|l| !l.is_empty());
    let headers = req.headers();
    let bot = visitor::is_bot(
        req.method() == actix_web::http::Method::HEAD,
        headers.get(USER_AGENT).and_then(|v| v.to_str().ok()),
        headers.get("sec-purpose").or_else(|| headers.get("purpose")).and_then(|v| v.to_str().ok()),
    );
    // Only lots that could be real are counted per lot; anything else counts against the line.
    let counted_lot = lot.filter(|l| crate::domain::Lot::parse(l).is_ok());
    state.scans.record(line.line.id, today(), counted_lot, bot);
    state.metrics.scan(bot);

    // A serial that could not be stored is not carried into the form (it would only block sending).
    let serial = q.serial.filter(|s| crate::domain::feedback::is_valid_serial(s));
    if lot.is_none() && serial.is_none() {
        let render = || {
            pages::render_bytes(&pages::scan_page(locale, &view(&line), &FeedbackInput::default(), &FieldErrors::new()))
        };
        let body = match line.page_slot(locale) {
            Some(slot) => slot.get_or_init(render).clone(),
            None => render(),
        };
        return Ok(pages::html_bytes(StatusCode::OK, locale, body));
    }
    let form =
        FeedbackInput { lot: lot.unwrap_or("").to_owned(), serial: serial.unwrap_or_default(), ..Default::default() };
    let page = pages::scan_page(locale, &view(&line), &form, &FieldErrors::new());
    Ok(pages::render(StatusCode::OK, locale, &page))
}

fn client_key(state: &AppState, req: &HttpRequest) -> String {
    // The peer, or the client a trusted proxy names: a header a client sets cannot choose its bucket.
    let addr = crate::web::client_addr::client_addr(req);
    visitor::client_key(&state.daily_key.for_day(today()), &addr)
}

#[tracing::instrument(skip_all, fields(code = %path))]
async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let line = find_line(&state, &path, locale).await?;
    let Submission { input, photos, photo_error, text_unreadable } =
        submission::read(&req, payload).await.map_err(|e| match e {
            ReadError::TooLarge => {
                state.metrics.refused(Refusal::TooLarge);
                PageError::TooLarge { locale }
            }
            ReadError::Unreadable(why) => {
                tracing::info!(%why, "unreadable feedback form");
                state.metrics.refused(Refusal::Unreadable);
                PageError::BadRequest { locale }
            }
        })?;
    let refuse = |status: StatusCode, errors: &FieldErrors| {
        let page = pages::scan_page(locale, &view(&line), &input, errors);
        Ok(pages::render(status, locale, &page))
    };

    if text_unreadable {
        state.metrics.refused(Refusal::Unreadable);
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, &FieldErrors::from([("form", "error-text-unreadable")]));
    }
    let client = client_key(&state, &req);
    if let Err(not_until) = state.submissions.check_key(&client) {
        state.metrics.refused(Refusal::RateLimited);
        use governor::clock::Clock;
        let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
        let mut res = refuse(StatusCode::TOO_MANY_REQUESTS, &FieldErrors::from([("form", "error-rate-limited")]))?;
        // Whole seconds, rounded up: a client that waits this long is let in.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        res.headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, actix_web::http::header::HeaderValue::from(seconds.max(1)));
        return Ok(res);
    }
    let reply_page = |reply: bool| {
        let reply = if reply { "&reply=1" } else { "" };
        HttpResponse::SeeOther()
            .insert_header((LOCATION, format!("/q/{}/thanks?lang={}{reply}", line.line.code, locale.tag())))
            .finish()
    };
    let submission = feedback::Submission {
        input: input.clone(),
        photos: photos.into_iter().map(|p| p.bytes).collect(),
        photo_error,
    };
    match feedback::submit(&state.app, &line, submission, &client, locale).await {
        Ok(accepted) => {
            if !accepted.duplicate {
                state.metrics.photo_bytes(accepted.upload_bytes);
            }
            state.metrics.stored(accepted.duplicate);
            Ok(reply_page(accepted.reply))
        }
        Err(SubmitError::Spam) => {
            // The honeypot is invisible to people; tell whoever filled it to send again rather than
            // pretending to accept, so an unlucky autofill never loses a real report silently.
            tracing::info!("honeypot field filled; submission refused");
            state.metrics.refused(Refusal::Honeypot);
            refuse(StatusCode::UNPROCESSABLE_ENTITY, &FieldErrors::from([("form", "error-spam")]))
        }
        Err(SubmitError::Invalid(errors)) => {
            state.metrics.refused(Refusal::Invalid);
            refuse(StatusCode::UNPROCESSABLE_ENTITY, &errors)
        }
        Err(SubmitError::Unexpected(e)) if crate::store::outage::in_chain(e.as_ref()) => {
            // Nothing was stored: the form comes back with what was typed, to be sent again.
            tracing::warn!(error = ?e, "feedback not stored: storage unavailable");
            state.metrics.refused(Refusal::Unavailable);
            let page = refuse(StatusCode::SERVICE_UNAVAILABLE, &FieldErrors::from([("form", "error-unavailable")]))?;
            Ok(crate::web::error::unavailable(page))
        }
        Err(SubmitError::Unexpected(e)) => Err(PageError::unexpected(locale, e)),
    }
}

#[tracing::instrument(skip_all, fields(code = %path))]
async fn thanks(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let line = find_line(&state, &path, locale).await?;
    let tr = Tr(locale);
    let reply = req.query_string().split('&').any(|p| p == "reply=1");
    let who = &line.manufacturer;
    let body =
        tr.t_args("thanks-body", &[("product", line.line.name.clone().into()), ("manufacturer", who.clone().into())]);
    let next = tr.t_str(if reply { "thanks-reply" } else { "thanks-no-reply" }, "manufacturer", who);
    let mut switch = switch_links("", locale);
    if reply {
        for l in &mut switch {
            l.href.push_str("&reply=1");
        }
    }
    let page = MessagePage {
        lang: locale.tag(),
        tr,
        switch,
        heading: tr.t("thanks-title"),
        paragraphs: vec![body, next],
        link: Some(Link { href: format!("/q/{}?lang={}", line.line.code, locale.tag()), label: tr.t("thanks-again") }),
    };
    Ok(pages::render(StatusCode::OK, locale, &page))
}
