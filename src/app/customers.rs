//! Customers' rights over their personal data (152-FZ arts. 14 and 21, GDPR arts. 15, 17 and 20): an
//! export of everything left with one address, its erasure, and the retention limits the scheduler
//! applies. The manufacturer's API scopes each to its own reports; the operator's command line may
//! act across manufacturers.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::retention::{self, Retention};
use crate::domain::{ManufacturerId, feedback::Email};
use crate::store::{self, customers::Erased};

fn address(email: &str) -> Result<String, AppError> {
    Email::parse(email)
        .map(|e| e.as_str().to_owned())
        .ok_or_else(|| AppError::invalid("email", format!("`{}` is not an email address", email.trim())))
}

/// What an erasure did, as the API and the command line print it.
#[derive(Clone, Debug, Serialize)]
pub struct Erasure {
    pub email: String,
    #[serde(flatten)]
    pub erased: Erased,
}

/// Erases the customer `email` everywhere in `scope` (one manufacturer, or all for the operator):
/// the address on their reports, their comments, the conversation, the photos (rows and files), and
/// the mails to them. The reports stay, anonymous, so every statistic stays as it was.
pub async fn erase(app: &App, scope: Option<ManufacturerId>, email: &str) -> Result<Erasure, AppError> {
    let email = address(email)?;
    let scope = scope.map(ManufacturerId::get);
    let ids: Vec<Uuid> =
        store::customers::reports_of(&app.db, scope, &email).await?.into_iter().map(|r| r.id).collect();
    let erased = store::customers::erase(&app.db, scope, &email, &ids).await?;
    if !erased.files.is_empty() {
        let dir = app.settings.data_dir.clone();
        let files = erased.files.clone();
        tokio::task::spawn_blocking(move || store::photo_files::remove(&dir, &files))
            .await
            .map_err(|e| anyhow::anyhow!("removing photo files failed: {e}"))?;
    }
    tracing::info!(reports = erased.reports, photos = erased.photos, mails = erased.mails, "customer data erased");
    // Themes quote comments: none of the erased may be shown from memory.
    app.themes.clear();
    Ok(Erasure { email, erased })
}

#[derive(Clone, Debug, Serialize)]
pub struct ExportedPhoto {
    pub position: i16,
    /// Where the manufacturer's API serves it.
    pub url: String,
    /// The file under the data folder (for the operator).
    pub file: String,
    pub width: i32,
    pub height: i32,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExportedMessage {
    /// `out`: from the manufacturer; `in`: the customer's answer.
    pub direction: String,
    pub body: String,
    pub channel: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExportedReport {
    pub id: Uuid,
    pub manufacturer_id: Uuid,
    pub manufacturer: String,
    pub product_line_id: Uuid,
    pub product_line: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub kind: String,
    pub category: Option<String>,
    pub rating: i16,
    pub recommend: Option<i16>,
    pub usage_period: Option<String>,
    pub comment: String,
    pub email: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub locale: String,
    pub status: String,
    pub consent_text: Option<String>,
    pub consent_locale: Option<String>,
    pub photos: Vec<ExportedPhoto>,
    pub conversation: Vec<ExportedMessage>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Export {
    pub email: String,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: OffsetDateTime,
    /// Oldest first.
    pub reports: Vec<ExportedReport>,
}

/// Everything left with `email` in `scope`: each report with its photos and conversation.
pub async fn export(app: &App, scope: Option<ManufacturerId>, email: &str) -> Result<Export, AppError> {
    let email = address(email)?;
    let rows = store::customers::reports_of(&app.db, scope.map(ManufacturerId::get), &email).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut photos = store::reports::photos_by_report(&app.db, &ids).await?;
    let mut conversations = store::customers::replies_of(&app.db, &ids).await?;
    let mut manufacturers: HashMap<Uuid, String> = HashMap::new();
    let mut lines: HashMap<Uuid, String> = HashMap::new();
    let mut reports = Vec::with_capacity(rows.len());
    for r in rows {
        if let Entry::Vacant(e) = manufacturers.entry(r.manufacturer_id) {
            e.insert(store::manufacturers::get(&app.db, r.manufacturer_id).await?.name);
        }
        if let Entry::Vacant(e) = lines.entry(r.product_line_id) {
            e.insert(store::product_lines::get(&app.db, r.manufacturer_id, r.product_line_id).await?.name);
        }
        let photos = photos
            .remove(&r.id)
            .unwrap_or_default()
            .into_iter()
            .map(|p| ExportedPhoto {
                position: p.position,
                url: format!("/api/v1/reports/{}/photos/{}", r.id, p.position),
                file: p.path,
                width: p.width,
                height: p.height,
            })
            .collect();
        let conversation = conversations
            .remove(&r.id)
            .unwrap_or_default()
            .into_iter()
            .map(|m| ExportedMessage {
                direction: m.direction,
                body: m.body,
                channel: m.channel,
                created_at: m.created_at,
            })
            .collect();
        reports.push(ExportedReport {
            id: r.id,
            manufacturer_id: r.manufacturer_id,
            manufacturer: manufacturers.get(&r.manufacturer_id).cloned().unwrap_or_default(),
            product_line_id: r.product_line_id,
            product_line: lines.get(&r.product_line_id).cloned().unwrap_or_default(),
            created_at: r.created_at,
            kind: r.kind,
            category: r.category,
            rating: r.rating,
            recommend: r.nps,
            usage_period: r.usage_period,
            comment: r.comment,
            email: r.email,
            lot: r.lot,
            serial: r.serial,
            locale: r.locale,
            status: r.status,
            consent_text: r.consent_text,
            consent_locale: r.consent_locale,
            photos,
            conversation,
        });
    }
    Ok(Export { email, exported_at: store::now(), reports })
}

pub async fn retention(app: &App, who: ManufacturerId) -> Result<Retention, AppError> {
    Ok(store::customers::retention(&app.db, who.get()).await?)
}

/// Changes the limits from a JSON object: `email_retention_months` (1-120), `text_retention_months`
/// (1-120, or null to keep text). A field left out keeps its value.
pub async fn set_retention(app: &App, who: ManufacturerId, body: &Value) -> Result<Retention, AppError> {
    let Some(fields) = body.as_object() else {
        return Err(AppError::invalid("body", "must be a JSON object"));
    };
    if let Some(unknown) =
        fields.keys().find(|k| !matches!(k.as_str(), "email_retention_months" | "text_retention_months"))
    {
        return Err(AppError::invalid("body", format!("unknown field `{unknown}`")));
    }
    let months = |field: &'static str, v: &Value| -> Result<u16, AppError> {
        v.as_i64()
            .ok_or_else(|| "must be a whole number of months".to_owned())
            .and_then(retention::months)
            .map_err(|m| AppError::invalid(field, m))
    };
    let mut r = store::customers::retention(&app.db, who.get()).await?;
    if let Some(v) = fields.get("email_retention_months") {
        r.email_retention_months = months("email_retention_months", v)?;
    }
    if let Some(v) = fields.get("text_retention_months") {
        r.text_retention_months = if v.is_null() { None } else { Some(months("text_retention_months", v)?) };
    }
    store::customers::set_retention(&app.db, who.get(), r).await?;
    Ok(r)
}

/// What one retention run erased.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RetentionRun {
    /// Addresses erased because their last contact was longer ago than the limit.
    pub addresses: u64,
    /// Reports those addresses were on.
    pub reports: u64,
    /// Comments and messages of the conversation erased under the text limit.
    pub comments: u64,
    pub messages: u64,
}

impl RetentionRun {
    pub fn did_work(&self) -> bool {
        *self != RetentionRun::default()
    }
}

/// Addresses a retention run looks at per read: bounds its memory whatever the number of reports.
const ADDRESSES_PER_PAGE: u64 = 200;

/// Applies every manufacturer's limits as of `at`. Idempotent, and safe from several processes: each
/// step is a conditional update of what is still there.
pub async fn run_once(app: &App, at: OffsetDateTime) -> Result<RetentionRun, AppError> {
    let mut run = RetentionRun::default();
    for m in store::manufacturers::list(&app.db).await? {
        let limits = store::customers::retention(&app.db, m.id).await?;
        let cutoff = retention::months_before(at, limits.email_retention_months);
        let mut after: Option<String> = None;
        loop {
            let page = store::customers::expired_addresses(&app.db, m.id, cutoff, after.as_deref(), ADDRESSES_PER_PAGE)
                .await?;
            for (email, ids) in &page.addresses {
                run.reports += store::customers::erase_address(&app.db, m.id, email, ids).await?;
                run.addresses += 1;
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        if let Some(months) = limits.text_retention_months {
            let (comments, messages) =
                store::customers::erase_text_before(&app.db, m.id, retention::months_before(at, months)).await?;
            run.comments += comments;
            run.messages += messages;
        }
    }
    app.themes.clear();
    Ok(run)
}
