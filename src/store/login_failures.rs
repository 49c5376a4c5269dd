//! Failed sign-ins, counted per account and per client address, so guessing is slowed down whichever
//! one an attacker varies.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::login_failure::{self, Column};
use super::{StoreError, now};

pub async fn record(db: &DatabaseConnection, keys: &[String]) -> Result<(), StoreError> {
    let at = now();
    let rows =
        keys.iter().map(|k| login_failure::ActiveModel { id: Set(Uuid::now_v7()), key: Set(k.clone()), at: Set(at) });
    login_failure::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// How many failures `key` had since `since`, and the oldest of them (when the lock lifts).
pub async fn since(
    db: &DatabaseConnection,
    key: &str,
    since: OffsetDateTime,
) -> Result<(u64, Option<OffsetDateTime>), StoreError> {
    let q = login_failure::Entity::find().filter(Column::Key.eq(key)).filter(Column::At.gte(since));
    let n = q.clone().count(db).await?;
    let oldest = q.order_by_asc(Column::At).one(db).await?.map(|f| f.at);
    Ok((n, oldest))
}

/// A successful sign-in clears the account's failures (not the address's: one good password must not
/// reset a guessing campaign against other accounts).
pub async fn clear(db: &DatabaseConnection, key: &str) -> Result<(), StoreError> {
    login_failure::Entity::delete_many().filter(Column::Key.eq(key)).exec(db).await?;
    Ok(())
}

/// Forgets failures older than `before` (they no longer count).
pub async fn prune(db: &DatabaseConnection, before: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(login_failure::Entity::delete_many().filter(Column::At.lt(before)).exec(db).await?.rows_affected)
}
