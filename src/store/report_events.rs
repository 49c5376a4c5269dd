//! The history of a report: one row per change (status, assignment, note, reply), with who made it.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StoreError;
use super::entities::report_event::{self, Model};

/// Writes one history row; call it in the transaction that makes the change.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    report_id: Uuid,
    actor: Option<Uuid>,
    kind: &str,
    from: Option<String>,
    to: Option<String>,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    report_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(report_id),
        actor_id: Set(actor),
        kind: Set(kind.to_owned()),
        from_value: Set(from),
        to_value: Set(to),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A report's history, oldest first. The caller has checked that the report is the manufacturer's.
pub async fn list<C: ConnectionTrait>(db: &C, report_id: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(report_event::Entity::find()
        .filter(report_event::Column::ReportId.eq(report_id))
        .order_by_asc(report_event::Column::CreatedAt)
        .order_by_asc(report_event::Column::Id)
        .all(db)
        .await?)
}
