//! Digest deliveries: the record that makes "one digest per recipient and period" hold across
//! restarts, crashes and several processes sharing one database.
//!
//! Life of a row: `pending` (inserted; insert conflicts are ignored so every process agrees on one
//! row) -> `sending` (claimed by exactly one process through a conditional UPDATE) -> `sent`, or
//! `failed` (retried by the next run). A claim older than [`STALE_CLAIM`] is presumed to belong to a
//! crashed process and may be taken over: delivery is at least once, and the Message-ID derived from
//! the row id lets mail systems drop the rare duplicate.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use time::Duration;
use uuid::Uuid;

use super::entities::digest_delivery::{self, Column, Model};
use super::{StoreError, now};
use crate::domain::period::Period;

pub const STALE_CLAIM: Duration = Duration::minutes(15);

/// Makes sure the delivery row exists, then tries to claim it. `Some` means this process now owns the
/// delivery and must send it; `None` means it was sent already or another process is sending it.
#[tracing::instrument(skip_all, fields(%manufacturer_id, period = %period.key()))]
pub async fn claim(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    recipient: &str,
    period: Period,
) -> Result<Option<Model>, StoreError> {
    let at = now();
    let row = digest_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        manufacturer_id: Set(manufacturer_id),
        recipient: Set(recipient.to_owned()),
        period_key: Set(period.key()),
        period_start: Set(period.starts_at()),
        period_end: Set(period.ends_at()),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        claimed_at: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        created_at: Set(at),
    };
    digest_delivery::Entity::insert(row)
        .on_conflict_do_nothing_on([Column::ManufacturerId, Column::Recipient, Column::PeriodKey])
        .exec(db)
        .await?;
    let Some(existing) = digest_delivery::Entity::find()
        .filter(Column::ManufacturerId.eq(manufacturer_id))
        .filter(Column::Recipient.eq(recipient))
        .filter(Column::PeriodKey.eq(period.key()))
        .one(db)
        .await?
    else {
        return Err(StoreError::NotFound);
    };
    let claimable = Condition::any()
        .add(Column::Status.is_in(["pending", "failed"]))
        .add(Condition::all().add(Column::Status.eq("sending")).add(Column::ClaimedAt.lt(at - STALE_CLAIM)));
    let result = digest_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value("sending"))
        .col_expr(Column::ClaimedAt, Expr::value(at))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.eq(existing.id))
        .filter(claimable)
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    Ok(digest_delivery::Entity::find_by_id(existing.id).one(db).await?)
}

pub async fn mark_sent(db: &DatabaseConnection, id: Uuid) -> Result<(), StoreError> {
    digest_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value("sent"))
        .col_expr(Column::SentAt, Expr::value(now()))
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn mark_failed(db: &DatabaseConnection, id: Uuid, error: &str) -> Result<(), StoreError> {
    digest_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value("failed"))
        .col_expr(Column::LastError, Expr::value(error.chars().take(2000).collect::<String>()))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn for_manufacturer(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(digest_delivery::Entity::find().filter(Column::ManufacturerId.eq(manufacturer_id)).all(db).await?)
}
