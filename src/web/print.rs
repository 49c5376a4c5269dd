//! The print shop's side of a print-share link: `GET /print/{token}` lists the shared lines with
//! previews, spec facts, a size picker and downloads; the files hang below it. No login, no cookies,
//! no script: the unguessable token is the permission, and an expired or revoked link answers 410
//! naming the manufacturer to ask.
//!
//! The size picker is a plain GET form per line (`?size_{line id}=MM`, the other lines' choices
//! kept in hidden fields). It offers the range every format can be made in: from the smallest size
//! that scans with the share's profile up to the largest the files can be made at. The chosen size
//! travels to the downloads as `?size_mm=`; a size outside the range is refused with a message in
//! the visitor's language, on the page (422) and on a download.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use uuid::Uuid;

use crate::app::lines::{BundleLine, bundle_items, symbol_text};
use crate::artwork::{self, ArtworkError, Format, Options, Profile};
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

/// A hidden form field: what the other lines' pickers (and the language switch) chose.
#[derive(Clone)]
pub struct Hidden {
    pub name: String,
    pub value: String,
}

/// One line's size picker.
pub struct SizePicker {
    /// The field's name, `size_{line id}`.
    pub field: String,
    pub min: String,
    pub max: String,
    /// What the field shows: the chosen size, what was typed if refused, or the current size.
    pub value: String,
    pub range: String,
    pub error: Option<String>,
    pub keep: Vec<Hidden>,
}

pub struct PrintLine {
    pub id: String,
    pub name: String,
    pub code: String,
    pub preview_src: String,
    pub preview_alt: String,
    pub downloads: Vec<Link>,
    pub facts: Vec<Fact>,
    pub size: SizePicker,
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
    pub page_href: String,
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

/// An artwork refusal in the visitor's words: a name the print font cannot set is something the
/// manufacturer can change; anything else is our failure.
fn refused(locale: Locale, manufacturer: String) -> impl Fn(ArtworkError) -> PageError {
    move |e| match e {
        ArtworkError::UnsupportedCharacter { ch, .. } => PageError::PrintRefused {
            locale,
            message: Tr(locale).t_args(
                "print-name-unprintable",
                &[
                    ("char", FluentValue::from(artwork::describe_char(ch))),
                    ("manufacturer", FluentValue::from(manufacturer.clone())),
                ],
            ),
        },
        other => PageError::PrintFailed { locale, source: other.into() },
    }
}

/// The field of a line's size picker.
fn size_field(id: &Uuid) -> String {
    format!("size_{id}")
}

/// A size typed into a picker, checked against the range this code can be made in: `Ok(None)` for
/// none, or the message that refuses it.
fn check_size(tr: Tr, raw: Option<&str>, spec: &artwork::Spec, profile: &Profile) -> Result<Option<f64>, String> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let s = |v: String| FluentValue::from(v);
    let (min, max) = (mm(spec.min_total_mm), mm(spec.max_total_mm));
    let size: f64 = match raw.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            let shown: String = raw.chars().take(20).collect();
            return Err(tr.t_args("print-size-invalid", &[("size", s(shown)), ("min", s(min)), ("max", s(max))]));
        }
    };
    let args = [("size", s(mm(size))), ("profile", s(profile.name.clone())), ("min", s(min)), ("max", s(max))];
    if size < spec.min_total_mm - 1e-9 {
        return Err(tr.t_args("print-size-too-small", &args));
    }
    if size > spec.max_total_mm + 1e-9 {
        return Err(tr.t_args("print-size-too-large", &args));
    }
    Ok(Some(size))
}

/// `?size_mm=` for a download link, if a size was chosen.
fn size_query(size: Option<f64>) -> String {
    size.map(|s| format!("?size_mm={}", mm(s))).unwrap_or_default()
}

/// Options for `text` at the size asked for, refused outside this code's range.
fn sized_options(
    locale: Locale,
    raw: Option<&str>,
    text: &str,
    profile: &'static Profile,
) -> Result<Options<'static>, PageError> {
    let opts = Options::new(profile);
    let spec = artwork::plan(text, &opts).map_err(failed(locale))?.spec;
    let size =
        check_size(Tr(locale), raw, &spec, profile).map_err(|message| PageError::PrintRefused { locale, message })?;
    Ok(Options { size_mm: size, ..opts })
}

/// One line's size on the page: the size its picker chose (if valid), the spec at that size, what
/// was typed, and why it was refused.
struct LineSize {
    id: Uuid,
    size: Option<f64>,
    spec: artwork::Spec,
    typed: String,
    error: Option<String>,
}

fn line_size(
    tr: Tr,
    public_url: &str,
    line: &product_line::Model,
    profile: &'static Profile,
    query: &HashMap<String, String>,
) -> Result<LineSize, ArtworkError> {
    let text = symbol_text(public_url, &line.code, line.gtin.as_deref(), None, profile)?;
    let default = artwork::plan(&text, &Options::new(profile))?.spec;
    let typed = query.get(&size_field(&line.id)).cloned().unwrap_or_default();
    let (size, error) = match check_size(tr, Some(&typed), &default, profile) {
        Ok(size) => (size, None),
        Err(message) => (None, Some(message)),
    };
    let spec = match size {
        None => default,
        Some(s) => artwork::plan(&text, &Options { size_mm: Some(s), ..Options::new(profile) })?.spec,
    };
    Ok(LineSize { id: line.id, size, spec, typed, error })
}

#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let token = path.into_inner();
    let (opened, profile) = open(&state, &token, locale).await?;
    let tr = Tr(locale);
    let base = format!("/print/{token}");
    let sizes = opened
        .lines
        .iter()
        .map(|line| line_size(tr, &state.app.settings.public_url, line, profile, &query))
        .collect::<Result<Vec<_>, _>>()
        .map_err(failed(locale))?;
    let lang = query.get("lang").filter(|l| Locale::parse(l).is_some());
    // Valid choices travel into the other lines' forms and into the bundle's link.
    let chosen: Vec<Hidden> =
        sizes.iter().filter_map(|s| s.size.map(|v| Hidden { name: size_field(&s.id), value: mm(v) })).collect();
    let mut lines = Vec::with_capacity(opened.lines.len());
    for (line, s) in opened.lines.iter().zip(sizes) {
        let q = size_query(s.size);
        let mut downloads: Vec<Link> = Format::ALL
            .into_iter()
            .map(|f| Link {
                href: format!("{base}/{}.{}{q}", line.id, f.extension()),
                label: f.extension().to_ascii_uppercase(),
            })
            .collect();
        downloads.push(Link { href: format!("{base}/{}-spec.pdf{q}", line.id), label: tr.t("print-spec-sheet") });
        let field = size_field(&s.id);
        let keep = lang
            .map(|l| Hidden { name: "lang".into(), value: l.clone() })
            .into_iter()
            .chain(chosen.iter().filter(|h| h.name != field).cloned())
            .collect();
        let value = match (&s.error, s.size) {
            (Some(_), _) => s.typed,
            (None, Some(size)) => mm(size),
            (None, None) => mm(s.spec.total_mm),
        };
        let (min, max) = (mm(s.spec.min_total_mm), mm(s.spec.max_total_mm));
        lines.push(PrintLine {
            id: line.id.to_string(),
            name: line.name.clone(),
            code: line.code.clone(),
            preview_src: format!("{base}/preview/{}.svg", line.id),
            preview_alt: tr.t_str("print-preview-alt", "product", &line.name),
            downloads,
            facts: facts(tr, &s.spec),
            size: SizePicker {
                field,
                range: tr.t_args(
                    "print-size-range",
                    &[("min", FluentValue::from(min.clone())), ("max", FluentValue::from(max.clone()))],
                ),
                min,
                max,
                value,
                error: s.error,
                keep,
            },
        });
    }
    let expires = opened
        .share
        .expires_at
        .format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
        .unwrap_or_default();
    let status =
        if lines.iter().any(|l| l.size.error.is_some()) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let bundle_query: Vec<String> = chosen.iter().map(|h| format!("{}={}", h.name, h.value)).collect();
    let bundle_href = if bundle_query.is_empty() {
        format!("{base}/bundle.zip")
    } else {
        format!("{base}/bundle.zip?{}", bundle_query.join("&"))
    };
    let page = PrintPage {
        lang: locale.tag(),
        tr,
        switch: switch_links(&base, locale),
        title: tr.t_str("print-title", "manufacturer", &opened.manufacturer),
        intro: tr.t_str("print-intro", "manufacturer", &opened.manufacturer),
        expires: tr.t_str("print-expires", "date", &expires),
        profile_name: profile.name.clone(),
        profile_description: profile.description.clone(),
        page_href: base.clone(),
        bundle_href,
        lines,
    };
    let mut res = pages::render(status, locale, &page);
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

/// Rendering is CPU work; keep it off the async workers. The outer error is a task that failed.
async fn render_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, artwork::ArtworkError> + Send + 'static,
) -> Result<T, ArtworkError> {
    web::block(f).await.map_err(|e| ArtworkError::Encode(format!("artwork task failed: {e}")))?
}

#[tracing::instrument(skip_all)]
async fn download(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let locale = request_locale(&req);
    let (token, file) = path.into_inner();
    let what = parse_file(&file).ok_or(PageError::UnknownShare { locale })?;
    let (opened, profile) = open(&state, &token, locale).await?;
    let public_url = state.app.settings.public_url.clone();
    let refused = refused(locale, opened.manufacturer.clone());
    match what {
        PrintFile::Bundle => {
            // Each line at the size its picker chose (`size_{id}=`), checked like a single file.
            let mut sized = Vec::with_capacity(opened.lines.len());
            for l in &opened.lines {
                let text =
                    symbol_text(&public_url, &l.code, l.gtin.as_deref(), None, profile).map_err(failed(locale))?;
                let raw = query.get(&size_field(&l.id)).map(String::as_str);
                let size_mm = sized_options(locale, raw, &text, profile)?.size_mm;
                sized.push(BundleLine { code: &l.code, gtin: l.gtin.as_deref(), name: &l.name, size_mm });
            }
            let items = bundle_items(&public_url, sized, profile).map_err(failed(locale))?;
            let zip =
                render_blocking(move || artwork::bundle(&items, &Options::new(profile))).await.map_err(&refused)?;
            let name = format!("scanback-{}.zip", profile.name);
            Ok(file_response("application/zip", format!("attachment; filename=\"{name}\""), zip))
        }
        PrintFile::Spec(id) => {
            let line = line_of(&opened, id, locale)?;
            let text =
                symbol_text(&public_url, &line.code, line.gtin.as_deref(), None, profile).map_err(failed(locale))?;
            let mut opts = sized_options(locale, query.get("size_mm").map(String::as_str), &text, profile)?;
            opts.product = Some(line.name.clone());
            let pdf = render_blocking(move || artwork::spec_sheet(&text, &opts)).await.map_err(&refused)?;
            let name = format!("scanback-{}-{}-spec.pdf", line.code, profile.name);
            Ok(file_response("application/pdf", format!("attachment; filename=\"{name}\""), pdf))
        }
        PrintFile::Art(id, format) => {
            let line = line_of(&opened, id, locale)?;
            let text =
                symbol_text(&public_url, &line.code, line.gtin.as_deref(), None, profile).map_err(failed(locale))?;
            let opts = sized_options(locale, query.get("size_mm").map(String::as_str), &text, profile)?;
            let art = render_blocking(move || artwork::render(&text, format, &opts)).await.map_err(&refused)?;
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
