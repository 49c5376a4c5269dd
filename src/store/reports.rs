//! Customer reports.

use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::report::{self, Model};
use super::{StoreError, now};
use crate::domain::{Locale, NewFeedback};

/// Stores a report. Returns only after the database has committed it, so the thank-you page is never
/// shown for a report that could still be lost.
#[tracing::instrument(skip_all, fields(line = %line_id))]
pub async fn insert(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    line_id: Uuid,
    feedback: &NewFeedback,
    locale: Locale,
) -> Result<Model, StoreError> {
    let model = report::ActiveModel {
        id: Set(Uuid::now_v7()),
        product_line_id: Set(line_id),
        manufacturer_id: Set(manufacturer_id),
        kind: Set(feedback.kind.as_str().to_owned()),
        rating: Set(i16::from(feedback.rating.get())),
        comment: Set(feedback.comment.clone()),
        email: Set(feedback.email.as_ref().map(|e| e.as_str().to_owned())),
        lot: Set(feedback.lot.clone()),
        locale: Set(locale.tag().to_owned()),
        status: Set("new".to_owned()),
        created_at: Set(now()),
    };
    Ok(report::Entity::insert(model).exec_with_returning(db).await?)
}

#[derive(Default)]
pub struct Filter {
    pub product_line: Option<Uuid>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub limit: Option<u64>,
}

/// Reports of one manufacturer, newest first.
pub async fn list(db: &DatabaseConnection, manufacturer_id: Uuid, filter: &Filter) -> Result<Vec<Model>, StoreError> {
    let mut q = report::Entity::find().filter(report::Column::ManufacturerId.eq(manufacturer_id));
    if let Some(line) = filter.product_line {
        q = q.filter(report::Column::ProductLineId.eq(line));
    }
    if let Some(since) = filter.since {
        q = q.filter(report::Column::CreatedAt.gte(since));
    }
    if let Some(until) = filter.until {
        q = q.filter(report::Column::CreatedAt.lt(until));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Id)
        .all(db)
        .await?)
}
