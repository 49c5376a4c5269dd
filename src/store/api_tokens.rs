//! API tokens: each belongs to a member and carries scopes (`read`, or `read,write`). Only the
//! SHA-256 of a token is kept; the token is shown once.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::api_token::{self, Column, Model};
use super::{StoreError, hash_token, new_token, now};

pub async fn create(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    user_id: Uuid,
    label: &str,
    write: bool,
) -> Result<(Model, String), StoreError> {
    let token = new_token();
    let id = Uuid::now_v7();
    api_token::Entity::insert(api_token::ActiveModel {
        id: Set(id),
        manufacturer_id: Set(manufacturer_id),
        token_hash: Set(hash_token(&token)),
        label: Set(label.to_owned()),
        created_at: Set(now()),
        revoked_at: Set(None),
        user_id: Set(Some(user_id)),
        scopes: Set(if write { "read,write" } else { "read" }.to_owned()),
    })
    .exec_without_returning(db)
    .await?;
    let row = api_token::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound)?;
    Ok((row, token))
}

/// A manufacturer's tokens (or one member's), newest first, revoked ones included.
pub async fn list(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    user_id: Option<Uuid>,
) -> Result<Vec<Model>, StoreError> {
    let mut q = api_token::Entity::find().filter(Column::ManufacturerId.eq(manufacturer_id));
    if let Some(u) = user_id {
        q = q.filter(Column::UserId.eq(u));
    }
    Ok(q.order_by_desc(Column::CreatedAt).all(db).await?)
}

/// Revokes one token of the manufacturer (of one member, when `user_id` is given); idempotent.
pub async fn revoke(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    user_id: Option<Uuid>,
    id: Uuid,
) -> Result<(), StoreError> {
    let mut q = api_token::Entity::find_by_id(id).filter(Column::ManufacturerId.eq(manufacturer_id));
    if let Some(u) = user_id {
        q = q.filter(Column::UserId.eq(u));
    }
    q.one(db).await?.ok_or(StoreError::NotFound)?;
    api_token::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Every token of a member who leaves.
pub async fn revoke_for_user(db: &DatabaseConnection, user_id: Uuid) -> Result<(), StoreError> {
    api_token::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now()))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
