//! The print shop's side of a print-share link: `GET /print/{token}` lists the shared lines with
//! previews, spec facts and downloads; the files hang below it. No login, no cookies, no script: the
//! unguessable token is the permission, and an expired or revoked link answers 410 naming the
//! manufacturer to ask.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use uuid::Uuid;

use crate::app::lines::{bundle_items, symbol_text};
use crate::artwork::{self, Format, Options, Profile};
use crate::domain::Locale;
use crate::store;
use crate::store::entities::product_line;
use crate::store::print_shares::{self, OpenedShare, ShareState};
use crate::web::error::PageError;
use crate::web::i18n::{LangLink, Tr, request_locale, switch_links};
use crate::web::pages::{self, Link};
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/print/{token}").route(web::get().to(show)).route(web::head().to(show)))
        .service(web::resource("/print/{token}/preview/{file}").route(web::get().to(preview)))
        .service(web::resource("/print/{token}/{file}").route(web::get().to(download)));
}

/// One spec fact, label and value, as the page shows it.
pub struct Fact {
    pub label: String,
    pub value: String,
}

pub struct PrintLine {
    pub name: String,
    pub code: String,
    pub preview_src: String,
    pub preview_alt: String,
    pub downloads: Vec<Link>,
    pub facts: Vec<Fact>,
}

#[derive(Template)]
#[template(path = "print.html")]
pub struct PrintPage {
    pub lang: &'static str,
    pub tr: Tr,
    pub switch: Vec<LangLink>,
    pub title: String,
    pub intro: String,
    pub expires: String,
    pub profile_name: String,
    pub profile_description: String,
    pub bundle_href: String,
    pub lines: Vec<PrintLine>,
}

/// A token as issued is `sbp_` and 24 URL-safe characters; anything far from that shape cannot be
/// one, so it is not even looked up.
fn plausible_token(token: &str) -> bool {
    (8..=100).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The share behind `token`, if it is still open, and its profile.
async fn open(state: &AppState, token: &str, locale: Locale) -> Result<(OpenedShare, &'static Profile), PageError> {
    if !plausible_token(token) {
        return Err(PageError::UnknownShare { locale });
    }
    let opened = print_shares::find_by_token(&state.app.db, token)
        .await
        .map_err(|e| PageError::PrintFailed { locale, source: e.into() })?
        .ok_or(PageError::UnknownShare { locale })?;
    match ShareState::of(&opened.share, store::now()) {
        ShareState::Active => {}
        gone => {
            return Err(PageError::ShareGone {
                locale,
                manufacturer: opened.manufacturer,
                revoked: gone == ShareState::Revoked,
            });
        }
    }
    let profile =
        artwork::profile(&opened.share.profile).map_err(|e| PageError::PrintFailed { locale, source: e.into() })?;
    Ok((opened, profile))
}

fn mm(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn facts(tr: Tr, spec: &artwork::Spec) -> Vec<Fact> {
    let fact = |key: &str, value: String| Fact { label: tr.t(key), value };
    let n = |v: i64| FluentValue::from(v);
    let s = |v: String| FluentValue::from(v);
    let mut out = vec![
        fact("print-fact-url", spec.text.clone()),
        fact(
            "print-fact-symbol",
            tr.t_args(
                "print-fact-symbol-value",
                &[("version", n(i64::from(spec.version))), ("modules", n(spec.modules as i64))],
            ),
        ),
        fact(
            "print-fact-ec",
            tr.t_args(
                "print-fact-ec-value",
                &[("level", s(spec.ec_level.to_string())), ("percent", n(ec_percent(spec.ec_level)))],
            ),
        ),
        fact("print-fact-module", tr.t_args("print-fact-module-value", &[("mm", s(mm(spec.module_mm)))])),
        fact(
            "print-fact-quiet",
            tr.t_args(
                "print-fact-quiet-value",
                &[("modules", n(i64::from(spec.quiet_zone_modules))), ("mm", s(mm(spec.quiet_zone_mm)))],
            ),
        ),
        fact(
            "print-fact-size",
            tr.t_args("print-fact-size-value", &[("total", s(mm(spec.total_mm))), ("min", s(mm(spec.min_total_mm)))]),
        ),
        fact(
            "print-fact-contrast",
            tr.t_args("print-fact-contrast-value", &[("pcs", n(i64::from(spec.min_contrast_pcs)))]),
        ),
    ];
    if spec.inverted {
        out.push(fact("print-fact-polarity", tr.t("print-inverted")));
    }
    out
}

fn ec_percent(level: char) -> i64 {
    match level {
        'L' => 7,
        'M' => 15,
        'Q' => 25,
        _ => 30,
    }
}

fn failed(locale: Locale) -> impl Fn(artwork::ArtworkError) -> PageError {
    move |e| PageError::PrintFailed { locale, source: e.into() }
}

#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let token = path.into_inner();
    let (opened, profile) = open(&state, &token, locale).await?;
    let tr = Tr(locale);
    let base = format!("/print/{token}");
    let mut lines = Vec::with_capacity(opened.lines.len());
    for line in &opened.lines {
        let text = symbol_text(&state.app.settings.public_url, &line.code, line.gtin.as_deref(), None, profile)
            .map_err(failed(locale))?;
        let opts = Options::new(profile);
        let plan = artwork::plan(&text, &opts).map_err(failed(locale))?;
        let mut downloads: Vec<Link> = Format::ALL
            .into_iter()
            .map(|f| Link {
                href: format!("{base}/{}.{}", line.id, f.extension()),
                label: f.extension().to_ascii_uppercase(),
            })
            .collect();
        downloads.push(Link { href: format!("{base}/{}-spec.pdf", line.id), label: tr.t("print-spec-sheet") });
        lines.push(PrintLine {
            name: line.name.clone(),
            code: line.code.clone(),
            preview_src: format!("{base}/preview/{}.svg", line.id),
            preview_alt: tr.t_str("print-preview-alt", "product", &line.name),
            downloads,
            facts: facts(tr, &plan.spec),
        });
    }
    let expires = opened
        .share
        .expires_at
        .format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
        .unwrap_or_default();
    let page = PrintPage {
        lang: locale.tag(),
        tr,
        switch: switch_links(&base, locale),
        title: tr.t_str("print-title", "manufacturer", &opened.manufacturer),
        intro: tr.t_str("print-intro", "manufacturer", &opened.manufacturer),
        expires: tr.t_str("print-expires", "date", &expires),
        profile_name: profile.name.clone(),
        profile_description: profile.description.clone(),
        bundle_href: format!("{base}/bundle.zip"),
        lines,
    };
    let mut res = pages::render(StatusCode::OK, locale, &page);
    private(&mut res);
    Ok(res)
}

/// Link contents must not outlive a revoke in caches, and the links must not be indexed.
fn private(res: &mut HttpResponse) {
    let h = res.headers_mut();
    h.insert(CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("private, no-store"));
    h.insert(
        actix_web::http::header::HeaderName::from_static("x-robots-tag"),
        actix_web::http::header::HeaderValue::from_static("noindex, nofollow"),
    );
}

fn line_of<'a>(opened: &'a OpenedShare, id: &str, locale: Locale) -> Result<&'a product_line::Model, PageError> {
    let id: Uuid = id.parse().map_err(|_| PageError::UnknownShare { locale })?;
    opened.lines.iter().find(|l| l.id == id).ok_or(PageError::UnknownShare { locale })
}

/// What a file name below a link asks for.
enum PrintFile<'a> {
    Bundle,
    Spec(&'a str),
    Art(&'a str, Format),
}

fn parse_file(name: &str) -> Option<PrintFile<'_>> {
    if name == "bundle.zip" {
        return Some(PrintFile::Bundle);
    }
    if let Some(id) = name.strip_suffix("-spec.pdf") {
        return Some(PrintFile::Spec(id));
    }
    let (id, ext) = name.rsplit_once('.')?;
    Some(PrintFile::Art(id, ext.parse().ok()?))
}

fn file_response(content_type: &str, disposition: String, bytes: Vec<u8>) -> HttpResponse {
    let mut res = HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CONTENT_DISPOSITION, disposition))
        .body(bytes);
    private(&mut res);
    res
}

async fn render_blocking<T: Send + 'static>(
    locale: Locale,
    f: impl FnOnce() -> Result<T, artwork::ArtworkError> + Send + 'static,
) -> Result<T, PageError> {
    web::block(f)
        .await
        .map_err(|e| PageError::PrintFailed { locale, source: anyhow::anyhow!("artwork task failed: {e}") })?
        .map_err(failed(locale))
}

#[tracing::instrument(skip_all)]
async fn download(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let (token, file) = path.into_inner();
    let what = parse_file(&file).ok_or(PageError::UnknownShare { locale })?;
    let (opened, profile) = open(&state, &token, locale).await?;
    let public_url = state.app.settings.public_url.clone();
    match what {
        PrintFile::Bundle => {
            let items =
                bundle_items(&public_url, opened.lines.iter().map(|l| (l.code.as_str(), l.gtin.as_deref())), profile)
                    .map_err(failed(locale))?;
            let zip = render_blocking(locale, move || artwork::bundle(&items, &Options::new(profile))).await?;
            let name = format!("scanback-{}.zip", profile.name);
            Ok(file_response("application/zip", format!("attachment; filename=\"{name}\""), zip))
        }
        PrintFile::Spec(id) => {
            let line = line_of(&opened, id, locale)?;
            let text =
                symbol_text(&public_url, &line.code, line.gtin.as_deref(), None, profile).map_err(failed(locale))?;
            let pdf = render_blocking(locale, move || artwork::spec_sheet(&text, &Options::new(profile))).await?;
            let name = format!("scanback-{}-{}-spec.pdf", line.code, profile.name);
            Ok(file_response("application/pdf", format!("attachment; filename=\"{name}\""), pdf))
        }
        PrintFile::Art(id, format) => {
            let line = line_of(&opened, id, locale)?;
            let text =
                symbol_text(&public_url, &line.code, line.gtin.as_deref(), None, profile).map_err(failed(locale))?;
            let art = render_blocking(locale, move || artwork::render(&text, format, &Options::new(profile))).await?;
            let name = format!("scanback-{}-{}.{}", line.code, profile.name, format.extension());
            Ok(file_response(format.content_type(), format!("attachment; filename=\"{name}\""), art.bytes))
        }
    }
}

/// The page's preview: the SVG itself, shown inline (same origin, as the CSP requires).
#[tracing::instrument(skip_all)]
async fn preview(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let (token, file) = path.into_inner();
    let id = file.strip_suffix(".svg").ok_or(PageError::UnknownShare { locale })?;
    let (opened, profile) = open(&state, &token, locale).await?;
    let line = line_of(&opened, id, locale)?;
    let text = symbol_text(&state.app.settings.public_url, &line.code, line.gtin.as_deref(), None, profile)
        .map_err(failed(locale))?;
    let art = artwork::render(&text, Format::Svg, &Options::new(profile)).map_err(failed(locale))?;
    Ok(file_response(Format::Svg.content_type(), "inline".to_owned(), art.bytes))
}
