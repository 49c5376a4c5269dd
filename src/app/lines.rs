//! Product lines: create, read, change, retire, their form and picture, and the text their symbol
//! encodes. Every change invalidates the scan path's cache here, so no caller can forget to.

use time::OffsetDateTime;

use super::{App, AppError};
use crate::artwork::{self, ArtworkError, Profile};
use crate::domain::{FormConfig, Gtin, LineId, LineStatus, Lot, ManufacturerId, ProductName, product::parse_sku};
use crate::store::{self, entities::product_line, product_lines::NewLine};

/// The product picture shown on the scan page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// Relative to the data directory; the name changes with every upload.
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// A product line as the use cases hand it out.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub id: LineId,
    pub manufacturer_id: ManufacturerId,
    /// The durable code (always a valid `Code`).
    pub code: String,
    pub name: String,
    pub sku: Option<String>,
    pub gtin: Option<String>,
    pub status: LineStatus,
    pub created_at: OffsetDateTime,
    pub retired_at: Option<OffsetDateTime>,
    pub image: Option<Image>,
}

impl From<product_line::Model> for Line {
    fn from(m: product_line::Model) -> Line {
        let image = m.image_path.map(|path| Image {
            path,
            width: m.image_width.and_then(|w| u32::try_from(w).ok()).unwrap_or(0),
            height: m.image_height.and_then(|h| u32::try_from(h).ok()).unwrap_or(0),
        });
        Line {
            id: LineId(m.id),
            manufacturer_id: ManufacturerId(m.manufacturer_id),
            status: LineStatus::parse(&m.status).unwrap_or(LineStatus::Active),
            code: m.code,
            name: m.name,
            sku: m.sku,
            gtin: m.gtin,
            created_at: m.created_at,
            retired_at: m.retired_at,
            image,
        }
    }
}

impl Line {
    /// What the line's QR symbol encodes: its scan URL, or with a lot its GS1 Digital Link.
    pub fn symbol_text(&self, public_url: &str, lot: Option<&Lot>, profile: &Profile) -> Result<String, ArtworkError> {
        symbol_text(public_url, &self.code, self.gtin.as_deref(), lot, profile)
    }
}

/// What a symbol encodes for a line's code and GTIN: `https://HOST/Q/CODE`, or with a lot
/// `https://HOST/01/GTIN/10/LOT` (refused for a line without GTIN).
pub fn symbol_text(
    public_url: &str,
    code: &str,
    gtin: Option<&str>,
    lot: Option<&Lot>,
    profile: &Profile,
) -> Result<String, ArtworkError> {
    let segment = lot.map(Lot::path_segment);
    artwork::encode_line(public_url, code, gtin, segment.as_deref(), profile.uppercase_scheme)
}

/// What a bundle needs of one line.
#[derive(Clone, Copy, Debug)]
pub struct BundleLine<'a> {
    pub code: &'a str,
    pub gtin: Option<&'a str>,
    pub name: &'a str,
    /// The line's own total size in mm; `None`: the bundle's.
    pub size_mm: Option<f64>,
}

/// One bundle entry per line, named by its code (unique and file-name safe); each spec sheet is
/// headed with the line's name.
pub fn bundle_items<'a>(
    public_url: &str,
    lines: impl IntoIterator<Item = BundleLine<'a>>,
    profile: &Profile,
) -> Result<Vec<artwork::BundleItem>, ArtworkError> {
    lines
        .into_iter()
        .map(|l| {
            Ok(artwork::BundleItem {
                stem: l.code.to_owned(),
                text: symbol_text(public_url, l.code, l.gtin, None, profile)?,
                caption: None,
                product: Some(l.name.to_owned()),
                size_mm: l.size_mm,
            })
        })
        .collect()
}

/// The caption of a line's piece on a sheet: the product's name as written, then on a line of its
/// own the code (and lot), the characters a person types when the symbol cannot be scanned.
pub fn sheet_caption(name: &str, code: &str, lot: Option<&Lot>) -> String {
    match lot {
        Some(lot) => format!("{name}\n{code} lot {lot}"),
        None => format!("{name}\n{code}"),
    }
}

fn parse_name(s: &str) -> Result<ProductName, AppError> {
    ProductName::parse(s).map_err(|e| AppError::invalid("name", e.to_string()))
}

fn parse_optional_sku(s: Option<&str>) -> Result<Option<String>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_sku(s).map(Some).map_err(|e| AppError::invalid("sku", e.to_string())),
    }
}

/// A new line as a manufacturer describes it, unchecked.
#[derive(Clone, Debug, Default)]
pub struct NewLineInput {
    pub name: String,
    pub gtin: Option<String>,
    pub sku: Option<String>,
}

#[tracing::instrument(skip_all, fields(%who))]
pub async fn create(app: &App, who: ManufacturerId, input: NewLineInput) -> Result<Line, AppError> {
    let name = parse_name(&input.name)?;
    let gtin = match input.gtin.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(g) => Some(Gtin::parse(g).map_err(|e| AppError::invalid("gtin", e.to_string()))?),
    };
    let sku = parse_optional_sku(input.sku.as_deref())?;
    Ok(store::product_lines::create(&app.db, who.get(), NewLine { name, sku, gtin }).await?.into())
}

pub async fn list(app: &App, who: ManufacturerId) -> Result<Vec<Line>, AppError> {
    Ok(store::product_lines::list(&app.db, who.get()).await?.into_iter().map(Line::from).collect())
}

/// Every line with its form, in one read (a form per line would be a read per line).
pub async fn list_with_forms(app: &App, who: ManufacturerId) -> Result<Vec<(Line, FormConfig)>, AppError> {
    Ok(store::product_lines::list(&app.db, who.get())
        .await?
        .into_iter()
        .map(|m| {
            let form = FormConfig::from_stored(m.form_config.as_deref());
            (Line::from(m), form)
        })
        .collect())
}

/// One of the manufacturer's lines; another manufacturer's line is "no such product line".
pub async fn get(app: &App, who: ManufacturerId, id: LineId) -> Result<Line, AppError> {
    Ok(get_model(app, who, id).await?.into())
}

async fn get_model(app: &App, who: ManufacturerId, id: LineId) -> Result<product_line::Model, AppError> {
    store::product_lines::get(&app.db, who.get(), id.get()).await.map_err(AppError::unless_missing("product line"))
}

/// What a PATCH changes: `None` leaves a field; `sku: Some(None)` clears the SKU.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub name: Option<String>,
    pub sku: Option<Option<String>>,
}

pub async fn update(app: &App, who: ManufacturerId, id: LineId, changes: Changes) -> Result<Line, AppError> {
    let name = changes.name.as_deref().map(parse_name).transpose()?;
    let sku = match changes.sku {
        None => None,
        Some(v) => Some(parse_optional_sku(v.as_deref())?),
    };
    let line = store::product_lines::update(&app.db, who.get(), id.get(), store::product_lines::Changes { name, sku })
        .await
        .map_err(AppError::unless_missing("product line"))?;
    app.lines.invalidate(&line.code);
    Ok(line.into())
}

/// Retiring keeps the code resolving and taking reports; retiring twice changes nothing.
pub async fn retire(app: &App, who: ManufacturerId, id: LineId) -> Result<Line, AppError> {
    let line = store::product_lines::retire(&app.db, who.get(), id.get())
        .await
        .map_err(AppError::unless_missing("product line"))?;
    app.lines.invalidate(&line.code);
    Ok(line.into())
}

pub async fn form(app: &App, who: ManufacturerId, id: LineId) -> Result<FormConfig, AppError> {
    Ok(FormConfig::from_stored(get_model(app, who, id).await?.form_config.as_deref()))
}

pub async fn set_form(app: &App, who: ManufacturerId, id: LineId, form: FormConfig) -> Result<FormConfig, AppError> {
    form.validate().map_err(|e| AppError::invalid("categories", e.to_string()))?;
    let line = store::product_lines::set_form(&app.db, who.get(), id.get(), &form)
        .await
        .map_err(AppError::unless_missing("product line"))?;
    app.lines.invalidate(&line.code);
    // The categories are the classifier's classes and seeds.
    app.classifier.labels_changed(who);
    Ok(form)
}

/// The product picture: a JPEG, PNG or WebP file, shrunk and re-encoded without EXIF. Each upload
/// gets a new file name, so the live picture can be cached as immutable; the picture it replaces is
/// removed from disk, and its URL answers 404 from then on.
pub async fn set_image(app: &App, who: ManufacturerId, id: LineId, file: bytes::Bytes) -> Result<Line, AppError> {
    let line = get_model(app, who, id).await?;
    let dir = app.settings.data_dir.clone();
    let line_id = line.id;
    let (path, w, h) = app
        .decode_photo(move || {
            let (jpeg, w, h) =
                crate::photos::product_image(&file).map_err(|e| AppError::invalid("image", e.to_string()))?;
            let path = store::photo_files::save_product_image(&dir, line_id, &jpeg)
                .map_err(|e| AppError::Unexpected(anyhow::anyhow!("cannot write the picture: {e}")))?;
            Ok::<_, AppError>((path, w, h))
        })
        .await
        .map_err(|e| AppError::Unexpected(e.context("image task failed")))??;
    match store::product_lines::set_image(&app.db, who.get(), id.get(), Some((path.clone(), w, h))).await {
        Ok((line, previous)) => {
            app.lines.invalidate(&line.code);
            remove_picture(app, previous).await;
            Ok(line.into())
        }
        Err(e) => {
            // Not committed: no line points at the new file.
            remove_picture(app, Some(path)).await;
            Err(AppError::unless_missing("product line")(e))
        }
    }
}

pub async fn clear_image(app: &App, who: ManufacturerId, id: LineId) -> Result<Line, AppError> {
    let (line, previous) = store::product_lines::set_image(&app.db, who.get(), id.get(), None)
        .await
        .map_err(AppError::unless_missing("product line"))?;
    app.lines.invalidate(&line.code);
    remove_picture(app, previous).await;
    Ok(line.into())
}

/// Removes a picture file no line points at any more (after the commit: a crash in between leaves
/// a stray file, never a line pointing at a missing one).
async fn remove_picture(app: &App, rel: Option<String>) {
    if let Some(rel) = rel {
        let dir = app.settings.data_dir.clone();
        let _ = tokio::task::spawn_blocking(move || store::photo_files::remove(&dir, &[rel])).await;
    }
}
