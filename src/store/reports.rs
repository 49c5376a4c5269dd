//! Customer reports.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

use super::entities::report::{self, Model};
use super::entities::report_photo;
use super::report_writer::NewReport;
use super::{StoreError, now};
use crate::domain::rollup::Fact;
use crate::domain::{Cursor, Kind, Locale, NewFeedback, ReportStatus};

/// A photo already written to the data directory.
pub struct StoredPhoto {
    pub path: String,
    pub thumb_path: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// The rows for one report, ready for the [`super::report_writer::ReportWriter`].
pub fn build(
    id: Uuid,
    manufacturer_id: Uuid,
    line_id: Uuid,
    feedback: &NewFeedback,
    locale: Locale,
    fingerprint: Option<String>,
    photos: Vec<StoredPhoto>,
) -> NewReport {
    let created_at = now();
    let fact = Fact {
        product_line_id: line_id,
        manufacturer_id,
        created_at,
        kind: feedback.kind,
        category: feedback.category.clone().filter(|c| !c.is_empty()),
        lot: feedback.lot.clone().filter(|l| !l.is_empty()),
        rating: feedback.rating.get(),
        recommend: feedback.recommend,
    };
    let report = report::ActiveModel {
        id: Set(id),
        product_line_id: Set(line_id),
        manufacturer_id: Set(manufacturer_id),
        kind: Set(feedback.kind.as_str().to_owned()),
        rating: Set(i16::from(feedback.rating.get())),
        comment: Set(feedback.comment.clone()),
        email: Set(feedback.email.as_ref().map(|e| e.as_str().to_owned())),
        lot: Set(feedback.lot.clone()),
        locale: Set(locale.tag().to_owned()),
        status: Set("new".to_owned()),
        created_at: Set(created_at),
        category: Set(feedback.category.clone()),
        nps: Set(feedback.recommend.map(i16::from)),
        usage_period: Set(feedback.usage.map(str::to_owned)),
        serial: Set(feedback.serial.clone()),
        fingerprint: Set(fingerprint),
    };
    let photos = photos
        .into_iter()
        .enumerate()
        .map(|(i, p)| report_photo::ActiveModel {
            id: Set(Uuid::now_v7()),
            report_id: Set(id),
            position: Set(i as i16),
            path: Set(p.path),
            thumb_path: Set(p.thumb_path),
            width: Set(p.width as i32),
            height: Set(p.height as i32),
            bytes: Set(p.bytes as i64),
            created_at: Set(created_at),
        })
        .collect();
    NewReport { report, photos, fact }
}

/// Seconds in one de-duplication window.
pub const DEDUPE_WINDOW_SECS: i64 = 600;

/// The keys under which a submission with this content fingerprint is stored now, and under which it
/// was stored in the previous window. The unique index on (line, key) stops two identical
/// submissions racing each other; checking the previous window too catches a resubmission just
/// after a window boundary.
pub fn dedupe_keys(fingerprint: &str, at: OffsetDateTime) -> [String; 2] {
    let window = at.unix_timestamp().div_euclid(DEDUPE_WINDOW_SECS);
    [format!("{fingerprint}:{window}"), format!("{fingerprint}:{}", window - 1)]
}

/// Whether the same submission from the same client was stored recently (a double tap, a form sent
/// again after a slow network).
pub async fn is_duplicate(db: &DatabaseConnection, line_id: Uuid, keys: &[String]) -> Result<bool, StoreError> {
    let n = report::Entity::find()
        .filter(report::Column::ProductLineId.eq(line_id))
        .filter(report::Column::Fingerprint.is_in(keys.iter().cloned()))
        .count(db)
        .await?;
    Ok(n > 0)
}

#[derive(Default)]
pub struct Filter {
    pub product_line: Option<Uuid>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub kind: Option<Kind>,
    pub category: Option<String>,
    pub lot: Option<String>,
    pub status: Option<ReportStatus>,
    /// At most this many rows from [`list`]; [`page`] takes its own limit and ignores this one.
    pub limit: Option<u64>,
}

/// The reports of one manufacturer that `filter` selects, newest first, ties broken by id: the one
/// order both [`list`] and [`page`] use, so a cursor continues exactly where a page ended.
fn filtered(manufacturer_id: Uuid, filter: &Filter) -> Select<report::Entity> {
    let mut q = report::Entity::find().filter(report::Column::ManufacturerId.eq(manufacturer_id));
    if let Some(line) = filter.product_line {
        q = q.filter(report::Column::ProductLineId.eq(line));
    }
    // In UTC, like every stored `created_at`: SQLite compares these as RFC 3339 text, so an instant
    // written with another offset would compare by its digits, not by the time it names.
    if let Some(since) = filter.since {
        q = q.filter(report::Column::CreatedAt.gte(since.to_offset(UtcOffset::UTC)));
    }
    if let Some(until) = filter.until {
        q = q.filter(report::Column::CreatedAt.lt(until.to_offset(UtcOffset::UTC)));
    }
    if let Some(kind) = filter.kind {
        q = q.filter(report::Column::Kind.eq(kind.as_str()));
    }
    if let Some(category) = &filter.category {
        q = q.filter(report::Column::Category.eq(category.as_str()));
    }
    if let Some(lot) = &filter.lot {
        q = q.filter(report::Column::Lot.eq(lot.as_str()));
    }
    if let Some(status) = filter.status {
        q = q.filter(report::Column::Status.eq(status.as_str()));
    }
    q.order_by_desc(report::Column::CreatedAt).order_by_desc(report::Column::Id)
}

/// Reports of one manufacturer, newest first (all of them unless `filter.limit` says otherwise).
pub async fn list(db: &DatabaseConnection, manufacturer_id: Uuid, filter: &Filter) -> Result<Vec<Model>, StoreError> {
    let mut q = filtered(manufacturer_id, filter);
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.all(db).await?)
}

/// One page of [`list`]: at most `limit` reports after `after`, and the cursor of the next page when
/// there is one.
pub struct Page {
    pub reports: Vec<Model>,
    pub next: Option<Cursor>,
}

/// Keyset pagination over the order of [`list`]: rows strictly after the cursor's `(created_at, id)`,
/// so rows added while a client pages never shift, repeat or hide others. One row more than asked
/// for tells whether a next page exists.
#[tracing::instrument(skip_all, fields(manufacturer = %manufacturer_id, limit))]
pub async fn page(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    filter: &Filter,
    after: Option<Cursor>,
    limit: u64,
) -> Result<Page, StoreError> {
    let limit = limit.max(1);
    let mut q = filtered(manufacturer_id, filter);
    if let Some(c) = after {
        // `(created_at, id) < (c, id)` spelled out. The redundant `created_at <= c` is what makes it an
        // index range on (…, created_at, id) in both databases: without it PostgreSQL walks the index
        // from the newest row and filters, so a deep page costs as much as all pages before it.
        q = q.filter(report::Column::CreatedAt.lte(c.created_at)).filter(
            Condition::any()
                .add(report::Column::CreatedAt.lt(c.created_at))
                .add(Condition::all().add(report::Column::CreatedAt.eq(c.created_at)).add(report::Column::Id.lt(c.id))),
        );
    }
    let mut reports = q.limit(limit.saturating_add(1)).all(db).await?;
    let more = reports.len() as u64 > limit;
    reports.truncate(limit as usize);
    let next = if more { reports.last().map(|r| Cursor::new(r.created_at, r.id)) } else { None };
    Ok(Page { reports, next })
}

/// Photos of the given reports, in upload order.
pub async fn photos(db: &DatabaseConnection, report_ids: &[Uuid]) -> Result<Vec<report_photo::Model>, StoreError> {
    if report_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(report_photo::Entity::find()
        .filter(report_photo::Column::ReportId.is_in(report_ids.iter().copied()))
        .order_by_asc(report_photo::Column::ReportId)
        .order_by_asc(report_photo::Column::Position)
        .all(db)
        .await?)
}

/// Photos of the given reports, grouped by report in one pass, each group in upload order. Reports
/// without photos have no entry.
pub async fn photos_by_report(
    db: &DatabaseConnection,
    report_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<report_photo::Model>>, StoreError> {
    let mut grouped: HashMap<Uuid, Vec<report_photo::Model>> = HashMap::new();
    for photo in photos(db, report_ids).await? {
        grouped.entry(photo.report_id).or_default().push(photo);
    }
    Ok(grouped)
}

/// Moves a report of this manufacturer to another triage status.
pub async fn set_status(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
    status: ReportStatus,
) -> Result<Model, StoreError> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let mut active = get(db, manufacturer_id, id).await?.into_active_model();
    active.status = Set(status.as_str().to_owned());
    Ok(active.update(db).await?)
}

/// One report of this manufacturer.
pub async fn get(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<Model, StoreError> {
    report::Entity::find_by_id(id)
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}
