//! The people who sign in. A user belongs to one manufacturer with a role (the row is the
//! membership); emails are unique and kept in lower case.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use super::entities::user::{self, Column, Model};
use super::{StoreError, hash_password};

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub async fn find_by_email(db: &DatabaseConnection, email: &str) -> Result<Option<Model>, StoreError> {
    Ok(user::Entity::find().filter(Column::Email.eq(normalise_email(email))).one(db).await?)
}

pub async fn get(db: &DatabaseConnection, id: Uuid) -> Result<Model, StoreError> {
    user::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound)
}

/// Stores a new password (argon2).
pub async fn set_password(db: &DatabaseConnection, id: Uuid, password: &str) -> Result<Model, StoreError> {
    let hash = hash_password(password)?;
    let mut active = get(db, id).await?.into_active_model();
    active.password_hash = Set(hash);
    Ok(active.update(db).await?)
}
