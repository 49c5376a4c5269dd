//! Digest claims: one row per member and period (a unique key), inserted in the same transaction as the
//! digest's outbox row. Whichever process inserts it queues the mail; every other process, and every
//! re-run, finds the row and sends nothing. Delivery itself (leases, retries) is the outbox's.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StoreError;
use super::entities::digest_claim::{self, Column, Model};
use super::outbox::{self, NewMail};

pub struct NewClaim<'a> {
    pub user_id: Uuid,
    pub manufacturer_id: Uuid,
    pub period_key: &'a str,
    pub period_start: OffsetDateTime,
    pub period_end: OffsetDateTime,
    pub summary: String,
}

/// Claims the period and queues `mail` (when there is one) in one transaction. `Ok(None)`: the period
/// was claimed before, by this or another process, and nothing was queued.
pub async fn claim_and_queue(
    db: &DatabaseConnection,
    claim: NewClaim<'_>,
    mail: Option<NewMail>,
    at: OffsetDateTime,
) -> Result<Option<Option<Uuid>>, StoreError> {
    let txn = super::begin_write(db).await?;
    let id = Uuid::now_v7();
    let inserted = digest_claim::Entity::insert(digest_claim::ActiveModel {
        id: Set(id),
        user_id: Set(claim.user_id),
        manufacturer_id: Set(claim.manufacturer_id),
        period_key: Set(claim.period_key.to_owned()),
        period_start: Set(claim.period_start),
        period_end: Set(claim.period_end),
        outbox_id: Set(None),
        summary: Set(claim.summary),
        created_at: Set(at),
    })
    .on_conflict(OnConflict::columns([Column::UserId, Column::PeriodKey]).do_nothing().to_owned())
    .exec_without_returning(&txn)
    .await?;
    if inserted != 1 {
        txn.rollback().await?;
        return Ok(None);
    }
    let outbox_id = match mail {
        Some(mail) => {
            let outbox_id = outbox::enqueue_at(&txn, mail, at).await?;
            digest_claim::Entity::update_many()
                .col_expr(Column::OutboxId, sea_orm::sea_query::Expr::value(outbox_id))
                .filter(Column::Id.eq(id))
                .exec(&txn)
                .await?;
            Some(outbox_id)
        }
        None => None,
    };
    txn.commit().await?;
    Ok(Some(outbox_id))
}

/// Whether the member's period is claimed already (a cheap check before composing the digest).
pub async fn exists(db: &impl ConnectionTrait, user_id: Uuid, period_key: &str) -> Result<bool, StoreError> {
    Ok(digest_claim::Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::PeriodKey.eq(period_key))
        .one(db)
        .await?
        .is_some())
}

/// The member's latest claimed period: where catching up resumes, and what "changed since the last
/// digest" compares with.
pub async fn latest(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<Model>, StoreError> {
    Ok(digest_claim::Entity::find().filter(Column::UserId.eq(user_id)).order_by_desc(Column::PeriodEnd).one(db).await?)
}

pub async fn for_manufacturer(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(digest_claim::Entity::find()
        .filter(Column::ManufacturerId.eq(manufacturer_id))
        .order_by_asc(Column::PeriodEnd)
        .all(db)
        .await?)
}
