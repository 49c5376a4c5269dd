//! Artwork downloads for manufacturers: one line's file or spec sheet, sheets of many codes, and
//! ZIP bundles of every chosen line (the API twin of `scanback artwork --all`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::{Manufacturer, owned_line};
use crate::app::lines::{self, Line};
use crate::artwork::DEFAULT_PROFILE;
use crate::artwork::{self, ArtworkError, Format, Options, Paper, SheetItem};
use crate::domain::Lot;
use crate::domain::lot::parse_lot_list;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/artwork").route(web::get().to(download)))
        .service(web::resource("/artwork/sheet").route(web::get().to(sheet)))
        .service(web::resource("/artwork/bundle").route(web::get().to(bundle)));
}

/// What `format=` may name: an artwork format, or the spec sheet.
#[derive(Clone, Copy)]
enum Download {
    File(Format),
    Spec,
}

fn parse_download(s: &str) -> Result<Download, ApiError> {
    if s.trim().eq_ignore_ascii_case("spec") {
        return Ok(Download::Spec);
    }
    s.parse().map(Download::File).map_err(|_| {
        ApiError::invalid(
            "format",
            format!("unknown artwork format \"{s}\"; valid formats are: svg, png, pdf, eps, spec (the spec sheet)"),
        )
    })
}

#[derive(Deserialize)]
struct ArtworkQuery {
    format: Option<String>,
    size_mm: Option<f64>,
    profile: Option<String>,
    caption: Option<String>,
    #[serde(default)]
    invert: bool,
    lot: Option<String>,
}

/// Maps artwork refusals to the request field a person has to change; `input_field` names the field
/// behind `InvalidInput` (which list, which paper...) for this call.
fn artwork_error(e: ArtworkError, input_field: &'static str) -> ApiError {
    let field = match e {
        ArtworkError::TooSmall { .. } | ArtworkError::InvalidSize(_) => "size_mm",
        ArtworkError::UnknownProfile { .. } => "profile",
        ArtworkError::UnknownFormat { .. } => "format",
        ArtworkError::LotWithoutGtin => "lot",
        ArtworkError::DataTooLong { .. } => input_field,
        ArtworkError::InvalidInput(ref m) => return ApiError::invalid(input_field, m.clone()),
        _ => return ApiError::Unexpected(anyhow::Error::new(e)),
    };
    ApiError::invalid(field, e.to_string())
}

fn load_profile(name: Option<&str>) -> Result<&'static artwork::Profile, ApiError> {
    artwork::profile(name.unwrap_or(DEFAULT_PROFILE)).map_err(|e| artwork_error(e, "profile"))
}

fn parse_lot(raw: Option<&str>) -> Result<Option<Lot>, ApiError> {
    match raw.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(l) => Lot::parse(l).map(Some).map_err(|e| ApiError::invalid("lot", e.to_string())),
    }
}

/// Rendering is CPU work of milliseconds (seconds for big bundles); keep it off the async workers.
async fn blocking<T: Send + 'static>(
    field: &'static str,
    f: impl FnOnce() -> Result<T, ArtworkError> + Send + 'static,
) -> Result<T, ApiError> {
    web::block(f)
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("artwork task failed: {e}")))?
        .map_err(|e| artwork_error(e, field))
}

fn attachment(content_type: &str, filename: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{filename}\"")))
        .body(bytes)
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn download(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    q: web::Query<ArtworkQuery>,
) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    let what = parse_download(q.format.as_deref().unwrap_or("svg"))?;
    let profile = load_profile(q.profile.as_deref())?;
    let lot = parse_lot(q.lot.as_deref())?;
    let text =
        line.symbol_text(&state.app.settings.public_url, lot.as_ref(), profile).map_err(|e| artwork_error(e, "lot"))?;
    let mut options = Options::new(profile);
    options.size_mm = q.size_mm;
    options.caption = q.caption.clone();
    options.invert = q.invert;
    let lot_part = lot.map(|l| format!("-lot-{}", l.as_str().replace('/', "-"))).unwrap_or_default();
    let stem = format!("scanback-{}{lot_part}-{}", line.code, profile.name);
    let (bytes, spec, content_type, filename) = match what {
        Download::File(format) => {
            let a = blocking("format", move || artwork::render(&text, format, &options)).await?;
            (a.bytes, a.spec, format.content_type(), format!("{stem}.{}", format.extension()))
        }
        Download::Spec => {
            let (bytes, spec) = blocking("format", move || {
                let plan = artwork::plan(&text, &options)?;
                Ok((plan.spec_sheet(), plan.spec.clone()))
            })
            .await?;
            (bytes, spec, "application/pdf", format!("{stem}-spec.pdf"))
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{filename}\"")))
        .insert_header(("X-Symbol-Version", spec.version.to_string()))
        .insert_header(("X-Symbol-EC-Level", spec.ec_level.to_string()))
        .insert_header(("X-Symbol-Text", spec.text))
        .body(bytes))
}

/// `lines=ID,ID` (or `all` where allowed). A malformed id can never name a line of this manufacturer,
/// so it answers 404 like another manufacturer's id.
async fn chosen_lines(
    state: &AppState,
    who: Manufacturer,
    raw: Option<&str>,
    allow_all: bool,
) -> Result<Vec<Line>, ApiError> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        ApiError::invalid(
            "lines",
            if allow_all {
                "name the product lines: lines=all or lines=ID,ID"
            } else {
                "name the product lines: lines=ID,ID"
            },
        )
    })?;
    if allow_all && raw.eq_ignore_ascii_case("all") {
        let all = lines::list(&state.app, who.id).await?;
        if all.is_empty() {
            return Err(ApiError::invalid("lines", "there are no product lines yet"));
        }
        return Ok(all);
    }
    let mut out: Vec<Line> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let id: Uuid = part.parse().map_err(|_| ApiError::NotFound("product line"))?;
        if out.iter().any(|l| l.id.get() == id) {
            continue;
        }
        out.push(owned_line(state, who, id).await?);
    }
    if out.is_empty() {
        return Err(ApiError::invalid("lines", "name at least one product line"));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct SheetQuery {
    lines: Option<String>,
    lots: Option<String>,
    paper: Option<String>,
    profile: Option<String>,
    size_mm: Option<f64>,
    #[serde(default)]
    invert: bool,
}

/// A4 or Letter PDF with crop marks: several lines, or one line's lots. Each piece is captioned with
/// its code (and lot), the characters a person types when a code cannot be scanned.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn sheet(
    state: web::Data<AppState>,
    who: Manufacturer,
    q: web::Query<SheetQuery>,
) -> Result<HttpResponse, ApiError> {
    let paper: Paper = q.paper.as_deref().unwrap_or("a4").parse().map_err(|e| artwork_error(e, "paper"))?;
    let profile = load_profile(q.profile.as_deref())?;
    let picked = chosen_lines(&state, who, q.lines.as_deref(), false).await?;
    let base = &state.app.settings.public_url;
    let items: Vec<SheetItem> = match q.lots.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => picked
            .iter()
            .map(|l| Ok(SheetItem { text: l.symbol_text(base, None, profile)?, caption: Some(l.code.clone()) }))
            .collect::<Result<_, ArtworkError>>()
            .map_err(|e| artwork_error(e, "lines"))?,
        Some(lots) => {
            let [line] = picked.as_slice() else {
                return Err(ApiError::invalid(
                    "lots",
                    "lots are for one product line: name exactly one line with lots=",
                ));
            };
            let lots = parse_lot_list(lots).map_err(|m| ApiError::invalid("lots", m))?;
            lots.iter()
                .map(|lot| {
                    Ok(SheetItem {
                        text: line.symbol_text(base, Some(lot), profile)?,
                        caption: Some(format!("{} lot {lot}", line.code)),
                    })
                })
                .collect::<Result<_, ArtworkError>>()
                .map_err(|e| artwork_error(e, "lot"))?
        }
    };
    let mut options = Options::new(profile);
    options.size_mm = q.size_mm;
    options.invert = q.invert;
    let pdf = blocking("lines", move || artwork::sheet(&items, paper, &options)).await?;
    let filename = format!("scanback-sheet-{}-{}.pdf", profile.name, paper.to_string().to_ascii_lowercase());
    Ok(attachment("application/pdf", &filename, pdf))
}

#[derive(Deserialize)]
struct BundleQuery {
    lines: Option<String>,
    profile: Option<String>,
    size_mm: Option<f64>,
    #[serde(default)]
    invert: bool,
}

/// Every chosen line (`lines=all` or `lines=ID,ID`) in every format plus its spec sheet, as one ZIP.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn bundle(
    state: web::Data<AppState>,
    who: Manufacturer,
    q: web::Query<BundleQuery>,
) -> Result<HttpResponse, ApiError> {
    let profile = load_profile(q.profile.as_deref())?;
    let picked = chosen_lines(&state, who, q.lines.as_deref(), true).await?;
    let chosen = picked.iter().map(|l| (l.code.as_str(), l.gtin.as_deref()));
    let items =
        lines::bundle_items(&state.app.settings.public_url, chosen, profile).map_err(|e| artwork_error(e, "lines"))?;
    let mut options = Options::new(profile);
    options.size_mm = q.size_mm;
    options.invert = q.invert;
    let zip = blocking("lines", move || artwork::bundle(&items, &options)).await?;
    Ok(attachment("application/zip", &format!("scanback-artwork-{}.zip", profile.name), zip))
}
