//! The GS1 Digital Link resolver: `/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]` for product lines
//! with a GTIN, and the resolver description at `/.well-known/gs1resolver`.
//!
//! It follows the GS1-Conformant Resolver standard's conformance criteria: GET, HEAD and OPTIONS;
//! CORS on every answer; 400 for a malformed path, 404 for an unknown GTIN or a link type the item
//! does not have, never 200 for an error; the linkset (RFC 9264) on `?linkType=linkset` or
//! `Accept: application/linkset+json`, with the links of every level up to the GTIN; a `Link` header
//! to the linkset on every answer about a known item, redirects included; one default link per level
//! (the feedback page, with lot and serial carried into the report); the request's query string
//! passed on when redirecting; a trailing slash tolerated (`NormalizePath` trims it before routing).
//! Several links of the requested type that the visitor's language and the `context` parameter do not
//! tell apart are answered with 300 Multiple Choices (a page, or the linkset for a JSON client).
//! Compressed Digital Link URIs (`/ARHKVAdpQg`, or `/01/{gtin}/{compressed}`) are resolved directly,
//! exactly like their uncompressed form, which the `Link` header names with `rel="owl:sameAs"`.

use actix_web::http::header::{ACCEPT, ACCEPT_LANGUAGE, ALLOW, CONTENT_TYPE, LINK, LOCATION, VARY};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use serde_json::{Map, Value, json};

use crate::domain::digital_link::{Candidate, Choice, accept_language, choose};
use crate::domain::digital_link_compression::{self as compression, CompressionError, Expanded};
use crate::domain::{DigitalLink, DigitalLinkError, Gtin, LinkType, RequestedLinkType};
use crate::store::{self, entities::line_link, entities::product_line};
use crate::web::i18n::{LangLink, Tr, request_locale, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

const ALLOWED_METHODS: &str = "GET, HEAD, OPTIONS";
const LINKSET_JSON: &str = "application/linkset+json";
/// GS1's JSON-LD context for linksets, so a linkset can be read as linked data.
const LINKSET_CONTEXT: &str = "https://ref.gs1.org/standards/resolver/linkset-context";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(["/01", "/01/{rest:.*}"]).to(resolve).wrap(cors()))
        .service(web::resource("/.well-known/gs1resolver").to(description).wrap(cors()));
}

/// Fully compressed Digital Link URIs: one path segment of URI-safe base64. Configured after every
/// other route, so that a page's own single-segment path always wins.
pub fn compressed_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/{compressed:[A-Za-z0-9_-]+}").to(resolve_compressed).wrap(cors()));
}

/// Any web page or app may ask the resolver (it serves public facts only) and read the headers that
/// carry its answer.
fn cors() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Access-Control-Allow-Origin", "*"))
        .add(("Access-Control-Allow-Methods", ALLOWED_METHODS))
        .add(("Access-Control-Allow-Headers", "Accept, Accept-Language"))
        .add(("Access-Control-Expose-Headers", "Link, Location, Content-Type"))
}

#[derive(Debug, thiserror::Error)]
pub enum ResolverError {
    #[error("{0}")]
    BadPath(#[from] DigitalLinkError),
    #[error("{0}")]
    BadCompressed(#[from] CompressionError),
    /// GS1 allows more characters in AI 10 than scanback's lots: one rule, the `Lot` type, holds
    /// everywhere, so a lot the feedback form would refuse is refused here.
    #[error("the lot in this link cannot be one of scanback's: {0}")]
    BadLot(#[from] crate::domain::LotError),
    #[error("no product line has the GTIN {0}")]
    UnknownGtin(Gtin),
    #[error("this item has no link of type {requested}; its linkset lists the links it has")]
    LinkTypeNotAvailable { requested: String, linkset_header: String },
    #[error("the resolver answers GET, HEAD and OPTIONS only")]
    MethodNotAllowed,
    #[error("an unexpected error happened; it has been logged")]
    Unexpected(#[from] anyhow::Error),
}

impl From<store::StoreError> for ResolverError {
    fn from(e: store::StoreError) -> ResolverError {
        ResolverError::Unexpected(anyhow::Error::new(e))
    }
}

impl ResponseError for ResolverError {
    fn status_code(&self) -> StatusCode {
        match self {
            ResolverError::BadPath(_) | ResolverError::BadCompressed(_) | ResolverError::BadLot(_) => {
                StatusCode::BAD_REQUEST
            }
            ResolverError::UnknownGtin(_) | ResolverError::LinkTypeNotAvailable { .. } => StatusCode::NOT_FOUND,
            ResolverError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ResolverError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// RFC 9457 problem details: short, machine-readable, and saying what is wrong.
    fn error_response(&self) -> HttpResponse {
        if let ResolverError::Unexpected(e) = self {
            tracing::error!(error = ?e, "GS1 resolver request failed");
        }
        let status = self.status_code();
        let mut res = HttpResponse::build(status);
        res.insert_header((CONTENT_TYPE, "application/problem+json"));
        match self {
            ResolverError::LinkTypeNotAvailable { linkset_header, .. } => {
                res.insert_header((LINK, linkset_header.as_str()));
            }
            ResolverError::MethodNotAllowed => {
                res.insert_header((ALLOW, ALLOWED_METHODS));
            }
            _ => {}
        }
        let body = json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": self.to_string(),
        });
        res.body(body.to_string())
    }
}

/// One link in a linkset: target, type and title always; media type, language and context when known.
struct Target {
    link_type: LinkType,
    href: String,
    title: String,
    media_type: Option<String>,
    hreflang: Option<String>,
    context: Option<String>,
}

/// The links of one level of the request (the serial, the lot, the GTIN), most specific first.
struct Level {
    anchor: String,
    targets: Vec<Target>,
}

/// GET, HEAD and OPTIONS; anything else is refused before anything is looked up.
fn preflight(req: &HttpRequest) -> Result<Option<HttpResponse>, ResolverError> {
    match *req.method() {
        Method::GET | Method::HEAD => Ok(None),
        // A CORS preflight or a client asking what it may do: nothing to look up.
        Method::OPTIONS => Ok(Some(
            HttpResponse::NoContent()
                .insert_header((ALLOW, ALLOWED_METHODS))
                .insert_header(("Access-Control-Max-Age", "86400"))
                .finish(),
        )),
        _ => Err(ResolverError::MethodNotAllowed),
    }
}

#[tracing::instrument(skip_all, fields(path = %req.path()))]
async fn resolve(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ResolverError> {
    if let Some(answer) = preflight(&req)? {
        return Ok(answer);
    }
    // The raw path, still percent-encoded: a `%2F` inside a lot is part of the lot, not a separator.
    let path = req.uri().path();
    match DigitalLink::parse(path) {
        Ok(dl) => answer(&req, &state, dl, None).await,
        // `/01/{gtin}/{compressed}`: the GTIN in the clear, the rest compressed. When the segment
        // does not decompress either, the uncompressed reading's complaint is the one to show.
        Err(e) => match partially_compressed(path).map(|(gtin, rest)| compression::expand_partial(gtin, rest)) {
            Some(Ok(expanded)) => answer(&req, &state, expanded.link.clone(), Some(expanded)).await,
            _ => Err(e.into()),
        },
    }
}

#[tracing::instrument(skip_all, fields(path = %req.path()))]
async fn resolve_compressed(
    req: HttpRequest,
    state: web::Data<AppState>,
    segment: web::Path<String>,
) -> Result<HttpResponse, ResolverError> {
    // Too short to hold a GTIN: some other page that does not exist, not a corrupt Digital Link.
    if segment.len() < compression::MIN_COMPRESSED_GTIN_LEN {
        return Ok(HttpResponse::NotFound().finish());
    }
    if let Some(answer) = preflight(&req)? {
        return Ok(answer);
    }
    let expanded = compression::expand(&segment)?;
    answer(&req, &state, expanded.link.clone(), Some(expanded)).await
}

/// `/01/{gtin}/{segment}` where the segment is URI-safe base64 and not a key qualifier's AI.
fn partially_compressed(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/01/")?;
    let (gtin, segment) = rest.split_once('/')?;
    let is_qualifier = ["22", "10", "21"].contains(&segment);
    (compression::looks_compressed(segment) && !is_qualifier && !segment.contains('/')).then_some((gtin, segment))
}

/// The answer about one item, for its uncompressed path or a compressed URI of it (`expanded`, whose
/// query string comes before the request's own).
async fn answer(
    req: &HttpRequest,
    state: &AppState,
    dl: DigitalLink,
    expanded: Option<Expanded>,
) -> Result<HttpResponse, ResolverError> {
    let raw_query = match &expanded {
        Some(e) if !e.query.is_empty() => {
            let mut q = e.query.join("&");
            if !req.query_string().is_empty() {
                q.push('&');
                q.push_str(req.query_string());
            }
            q
        }
        _ => req.query_string().to_owned(),
    };
    if let Some(lot) = dl.lot() {
        crate::domain::Lot::parse(lot)?;
    }
    let query = Query::parse(&raw_query, &dl);
    let line = store::product_lines::find_by_gtin(&state.app.db, dl.gtin())
        .await?
        .ok_or_else(|| ResolverError::UnknownGtin(dl.gtin().clone()))?;
    let links = store::links::for_line(&state.app.db, line.id).await?;
    let public = state.app.settings.public_url.trim_end_matches('/');
    let levels = levels(public, &dl, &line, &links);
    let mut linkset_header =
        format!("<{public}{}?linkType=linkset>; rel=\"linkset\"; type=\"{LINKSET_JSON}\"", dl.path());
    if let Some(e) = &expanded {
        // The GS1-Conformant Resolver standard: a compressed request names its uncompressed URI.
        linkset_header.push_str(&format!(", <{public}{}>; rel=\"owl:sameAs\"", e.uncompressed()));
    }

    let wanted = match &query.link_type {
        Some(RequestedLinkType::Linkset) => Some(LINKSET_JSON),
        Some(_) => None,
        None => linkset_media_type(req),
    };
    if let Some(media_type) = wanted {
        return Ok(linkset_response(StatusCode::OK, media_type, &levels, &line.name, &linkset_header));
    }

    let link_type = match &query.link_type {
        None => LinkType::DEFAULT_LINK,
        Some(RequestedLinkType::Type(t)) => *t,
        Some(RequestedLinkType::Linkset) => LinkType::DEFAULT_LINK,
        Some(RequestedLinkType::Unknown(raw)) => {
            return Err(ResolverError::LinkTypeNotAvailable { requested: raw.clone(), linkset_header });
        }
    };
    // The most specific level with a link of this type answers (the lot's feedback page before the
    // GTIN's); among several links of the type, the context and the visitor's language decide.
    let Some(candidates) = levels
        .iter()
        .map(|l| l.targets.iter().filter(|t| t.link_type == link_type).collect::<Vec<_>>())
        .find(|candidates| !candidates.is_empty())
    else {
        return Err(ResolverError::LinkTypeNotAvailable { requested: link_type.curie(), linkset_header });
    };
    let described: Vec<Candidate<'_>> = candidates
        .iter()
        .map(|t| Candidate { hreflang: t.hreflang.as_deref(), context: t.context.as_deref() })
        .collect();
    let languages = accept_language(req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let chosen: Vec<&Target> = match choose(&described, &languages, query.context.as_deref()) {
        Choice::One(i) => candidates.get(i).copied().into_iter().collect(),
        Choice::Several(list) => list.iter().filter_map(|i| candidates.get(*i).copied()).collect(),
    };
    match chosen.as_slice() {
        [] => Err(ResolverError::LinkTypeNotAvailable { requested: link_type.curie(), linkset_header }),
        [target] => Ok(HttpResponse::TemporaryRedirect()
            .insert_header((LOCATION, with_query(&target.href, &query.passthrough)))
            .insert_header((LINK, linkset_header))
            .insert_header((VARY, "Accept, Accept-Language"))
            .finish()),
        several => {
            if let Some(media_type) = linkset_media_type(req) {
                return Ok(linkset_response(
                    StatusCode::MULTIPLE_CHOICES,
                    media_type,
                    &levels,
                    &line.name,
                    &linkset_header,
                ));
            }
            let locale = request_locale(req);
            let tr = Tr(locale);
            let page = ChoicesPage {
                lang: locale.tag(),
                tr,
                switch: language_switch(req, locale),
                heading: tr.t_str("choices-heading", "product", &line.name),
                intro: tr.t("choices-intro"),
                choices: several
                    .iter()
                    .map(|t| ChoiceView {
                        href: with_query(&t.href, &query.passthrough),
                        title: t.title.clone(),
                        hreflang: t.hreflang.clone(),
                        media_type: t.media_type.clone(),
                    })
                    .collect(),
            };
            let mut res = pages::render(StatusCode::MULTIPLE_CHOICES, locale, &page);
            let headers = res.headers_mut();
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&linkset_header) {
                headers.insert(LINK, v);
            }
            headers.insert(VARY, actix_web::http::header::HeaderValue::from_static("Accept, Accept-Language"));
            Ok(res)
        }
    }
}

/// The language switch of the choices page: the same request (link type, context...) in another
/// language.
fn language_switch(req: &HttpRequest, locale: crate::domain::Locale) -> Vec<LangLink> {
    let kept: Vec<&str> = req.query_string().split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let mut links = switch_links(req.path(), locale);
    if !kept.is_empty() {
        for l in &mut links {
            l.href = format!("{}?{}&lang={}", req.path(), kept.join("&"), l.tag);
        }
    }
    links
}

fn linkset_response(
    status: StatusCode,
    media_type: &'static str,
    levels: &[Level],
    item_description: &str,
    linkset_header: &str,
) -> HttpResponse {
    let body = linkset(levels, item_description);
    let context =
        format!("<{LINKSET_CONTEXT}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"");
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, media_type))
        .insert_header((LINK, format!("{linkset_header}, {context}")))
        .insert_header((VARY, "Accept, Accept-Language"))
        .body(body.to_string())
}

/// The 300 page: the links of the requested type the visitor can choose from.
#[derive(Template)]
#[template(path = "choices.html")]
struct ChoicesPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    heading: String,
    intro: String,
    choices: Vec<ChoiceView>,
}

struct ChoiceView {
    href: String,
    title: String,
    hreflang: Option<String>,
    media_type: Option<String>,
}

/// The levels of the request, each with its default link (the feedback page, carrying that level's
/// lot and serial) described a second time as `gs1:support`, as the standard asks of default links.
/// The manufacturer's links belong to the line, so to the GTIN level.
fn levels(public: &str, dl: &DigitalLink, line: &product_line::Model, links: &[line_link::Model]) -> Vec<Level> {
    let title = format!("Feedback on {}: report a problem or share what you think", line.name);
    dl.levels()
        .into_iter()
        .map(|level| {
            let feedback = feedback_url(public, &line.code, level.lot(), level.serial());
            let mut targets = vec![
                Target {
                    link_type: LinkType::DEFAULT_LINK,
                    href: feedback.clone(),
                    title: title.clone(),
                    media_type: None,
                    hreflang: None,
                    context: None,
                },
                Target {
                    link_type: LinkType::SUPPORT,
                    href: feedback,
                    title: title.clone(),
                    media_type: Some("text/html".to_owned()),
                    hreflang: None,
                    context: None,
                },
            ];
            if level.levels().len() == 1 {
                targets.extend(links.iter().filter_map(|l| match LinkType::parse(&l.link_type) {
                    Ok(link_type) => Some(Target {
                        link_type,
                        href: l.href.clone(),
                        title: l.title.clone(),
                        media_type: l.media_type.clone(),
                        hreflang: l.lang.clone(),
                        context: l.context.clone(),
                    }),
                    Err(_) => {
                        tracing::warn!(link = %l.id, link_type = %l.link_type, "stored link has an unknown link type");
                        None
                    }
                }));
            }
            Level { anchor: format!("{public}{}", level.path()), targets }
        })
        .collect()
}

/// The feedback page of the line, with the lot and serial number the customer's code carried, so
/// that reports can be split by production lot.
fn feedback_url(public: &str, code: &str, lot: Option<&str>, serial: Option<&str>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(lot) = lot {
        query.append_pair("lot", lot);
    }
    if let Some(serial) = serial {
        query.append_pair("serial", serial);
    }
    let query = query.finish();
    if query.is_empty() { format!("{public}/q/{code}") } else { format!("{public}/q/{code}?{query}") }
}

/// RFC 9264 JSON: one link context object per level, link types as full GS1 vocabulary URIs.
fn linkset(levels: &[Level], item_description: &str) -> Value {
    let contexts: Vec<Value> = levels
        .iter()
        .map(|level| {
            let mut object = Map::new();
            object.insert("anchor".into(), Value::String(level.anchor.clone()));
            object.insert("itemDescription".into(), Value::String(item_description.to_owned()));
            for target in &level.targets {
                let mut link = Map::new();
                link.insert("href".into(), Value::String(target.href.clone()));
                link.insert("title".into(), Value::String(target.title.clone()));
                if let Some(t) = &target.media_type {
                    link.insert("type".into(), Value::String(t.clone()));
                }
                if let Some(lang) = &target.hreflang {
                    link.insert("hreflang".into(), json!([lang]));
                }
                // An extension target attribute: RFC 9264 writes those as arrays.
                if let Some(context) = &target.context {
                    link.insert("context".into(), json!([context]));
                }
                let relation = object.entry(target.link_type.uri()).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = relation {
                    list.push(Value::Object(link));
                }
            }
            Value::Object(object)
        })
        .collect();
    json!({ "linkset": contexts })
}

/// The linkset's media type when the `Accept` header asks for it: `application/linkset+json`, or
/// plain JSON from a client that wants JSON rather than a web page.
fn linkset_media_type(req: &HttpRequest) -> Option<&'static str> {
    let accept = req.headers().get(ACCEPT).and_then(|v| v.to_str().ok())?.to_ascii_lowercase();
    let types: Vec<&str> = accept.split(',').map(|t| t.split(';').next().unwrap_or("").trim()).collect();
    if types.contains(&LINKSET_JSON) {
        Some(LINKSET_JSON)
    } else if types.contains(&"application/json") && !types.contains(&"text/html") {
        Some("application/json")
    } else {
        None
    }
}

/// The request's query string, split into the resolver's own `linkType` and `context` and what is
/// passed on.
struct Query {
    link_type: Option<RequestedLinkType>,
    context: Option<String>,
    /// `key=value` pairs exactly as they came (still encoded), in order.
    passthrough: Vec<String>,
}

impl Query {
    fn parse(raw: &str, dl: &DigitalLink) -> Query {
        let mut link_type = None;
        let mut context = None;
        let mut passthrough = Vec::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let Some((key, value)) = url::form_urlencoded::parse(pair.as_bytes()).next() else {
                continue;
            };
            if key.eq_ignore_ascii_case("linkType") {
                // An instruction to the resolver, not something the target should see.
                link_type.get_or_insert_with(|| RequestedLinkType::parse(&value));
            } else if key == "context" {
                // Which of several links the visitor wants, not something the target should see.
                let value = value.trim();
                if !value.is_empty() {
                    context.get_or_insert_with(|| value.chars().take(64).collect());
                }
            } else if (key == "lot" && dl.lot().is_some()) || (key == "serial" && dl.serial().is_some()) {
                // The path already carries it, and the path is what the code on the product says.
            } else {
                passthrough.push(pair.to_owned());
            }
        }
        Query { link_type, context, passthrough }
    }
}

/// `href` with the passed-on pairs appended to its own query, before any fragment.
fn with_query(href: &str, pairs: &[String]) -> String {
    if pairs.is_empty() {
        return href.to_owned();
    }
    let (base, fragment) = match href.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (href, None),
    };
    let separator = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{base}{separator}{}", pairs.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The resolver description file of the GS1-Conformant Resolver standard.
async fn description(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if req.method() == Method::OPTIONS {
        return HttpResponse::NoContent().insert_header((ALLOW, ALLOWED_METHODS)).finish();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return ResolverError::MethodNotAllowed.error_response();
    }
    let public = state.app.settings.public_url.trim_end_matches('/');
    HttpResponse::Ok().json(json!({
        "name": "scanback GS1 Digital Link resolver",
        "resolverRoot": public,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{ "namespace": crate::domain::digital_link::GS1_VOC, "prefix": "gs1:" }],
        "linkTypeDefaultCanBeLinkset": false,
        "jsonLdContextLocation": LINKSET_CONTEXT,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passed_on_pairs_join_the_target_query_before_the_fragment() {
        let pairs = vec!["a=1".to_owned(), "b=x%20y".to_owned()];
        assert_eq!(with_query("https://t.test/p", &pairs), "https://t.test/p?a=1&b=x%20y");
        assert_eq!(with_query("https://t.test/p?z=0#top", &pairs), "https://t.test/p?z=0&a=1&b=x%20y#top");
        assert_eq!(with_query("https://t.test/p", &[]), "https://t.test/p");
    }

    #[test]
    fn the_feedback_url_carries_lot_and_serial_encoded() {
        assert_eq!(feedback_url("https://s.test", "ABC", None, None), "https://s.test/q/ABC");
        assert_eq!(
            feedback_url("https://s.test", "ABC", Some("L/1&2"), Some("S+1")),
            "https://s.test/q/ABC?lot=L%2F1%262&serial=S%2B1"
        );
    }
}
