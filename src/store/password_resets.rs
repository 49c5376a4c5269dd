//! Password-reset links: single use, valid for an hour, stored as SHA-256 of the token.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use time::Duration;
use uuid::Uuid;

use super::entities::password_reset::{self, Column};
use super::{StoreError, hash_token, new_token, now};

pub const VALID_FOR: Duration = Duration::hours(1);

/// A new link's token for `user_id`.
pub async fn create(db: &DatabaseConnection, user_id: Uuid) -> Result<String, StoreError> {
    let token = new_token();
    let at = now();
    password_reset::Entity::insert(password_reset::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        created_at: Set(at),
        expires_at: Set(at + VALID_FOR),
        used_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// The user a live, unused token belongs to (without using it up).
pub async fn peek(db: &DatabaseConnection, token: &str) -> Result<Option<Uuid>, StoreError> {
    let found = password_reset::Entity::find_by_id(hash_token(token))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now()))
        .one(db)
        .await?;
    Ok(found.map(|r| r.user_id))
}

/// Uses the token up: exactly one caller gets `Some` (a conditional UPDATE), even when two submit at
/// once.
pub async fn consume(db: &DatabaseConnection, token: &str) -> Result<Option<Uuid>, StoreError> {
    let Some(user) = peek(db, token).await? else { return Ok(None) };
    let hash = hash_token(token);
    let done = password_reset::Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now()))
        .filter(Column::TokenHash.eq(hash))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((done.rows_affected == 1).then_some(user))
}
