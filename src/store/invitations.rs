//! Invitations to join a manufacturer's workspace: a single-use link valid for 7 days.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use time::Duration;
use uuid::Uuid;

use super::entities::invitation::{self, Column, Model};
use super::{StoreError, hash_token, new_token, now};

pub const VALID_FOR: Duration = Duration::days(7);

pub async fn create(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    email: &str,
    role: &str,
    invited_by: Uuid,
) -> Result<String, StoreError> {
    let token = new_token();
    let at = now();
    invitation::Entity::insert(invitation::ActiveModel {
        token_hash: Set(hash_token(&token)),
        manufacturer_id: Set(manufacturer_id),
        email: Set(email.to_owned()),
        role: Set(role.to_owned()),
        invited_by: Set(invited_by),
        created_at: Set(at),
        expires_at: Set(at + VALID_FOR),
        accepted_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// A live, unused invitation.
pub async fn peek(db: &DatabaseConnection, token: &str) -> Result<Option<Model>, StoreError> {
    Ok(invitation::Entity::find_by_id(hash_token(token))
        .filter(Column::AcceptedAt.is_null())
        .filter(Column::ExpiresAt.gt(now()))
        .one(db)
        .await?)
}

/// Uses the invitation up; exactly one caller gets it.
pub async fn accept(db: &impl sea_orm::ConnectionTrait, token: &str) -> Result<Option<Model>, StoreError> {
    let hash = hash_token(token);
    let Some(found) = invitation::Entity::find_by_id(hash.clone())
        .filter(Column::AcceptedAt.is_null())
        .filter(Column::ExpiresAt.gt(now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let done = invitation::Entity::update_many()
        .col_expr(Column::AcceptedAt, Expr::value(now()))
        .filter(Column::TokenHash.eq(hash))
        .filter(Column::AcceptedAt.is_null())
        .exec(db)
        .await?;
    Ok((done.rows_affected == 1).then_some(found))
}

/// Invitations not yet accepted and not expired, newest first.
pub async fn pending(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(invitation::Entity::find()
        .filter(Column::ManufacturerId.eq(manufacturer_id))
        .filter(Column::AcceptedAt.is_null())
        .filter(Column::ExpiresAt.gt(now()))
        .order_by_desc(Column::CreatedAt)
        .all(db)
        .await?)
}
