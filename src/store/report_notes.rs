//! Internal notes on reports: the manufacturer's team only. Nothing that faces the customer reads
//! this table.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::entities::report_note::{self, Model};
use super::{StoreError, now, report_events};

/// Adds a note and its history row. The caller has checked that the report is the manufacturer's.
pub async fn add(
    db: &DatabaseConnection,
    report_id: Uuid,
    author: Option<Uuid>,
    body: &str,
) -> Result<Model, StoreError> {
    let txn = super::begin_write(db).await?;
    let at = now();
    let note = report_note::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(report_id),
        author_id: Set(author),
        body: Set(body.to_owned()),
        created_at: Set(at),
    }
    .insert(&txn)
    .await?;
    report_events::record(&txn, report_id, author, "note", None, Some(note.id.to_string()), at).await?;
    txn.commit().await?;
    Ok(note)
}

/// A report's notes, oldest first.
pub async fn list(db: &DatabaseConnection, report_id: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(report_note::Entity::find()
        .filter(report_note::Column::ReportId.eq(report_id))
        .order_by_asc(report_note::Column::CreatedAt)
        .order_by_asc(report_note::Column::Id)
        .all(db)
        .await?)
}
