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

/// The members of a manufacturer, oldest first.
pub async fn members(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<Model>, StoreError> {
    use sea_orm::QueryOrder;
    Ok(user::Entity::find()
        .filter(Column::ManufacturerId.eq(manufacturer_id))
        .order_by_asc(Column::CreatedAt)
        .all(db)
        .await?)
}

/// One member of this manufacturer.
pub async fn member(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<Model, StoreError> {
    user::Entity::find_by_id(id)
        .filter(Column::ManufacturerId.eq(manufacturer_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Adds a member with a password they chose (an accepted invitation).
pub async fn create(
    db: &impl sea_orm::ConnectionTrait,
    manufacturer_id: Uuid,
    email: &str,
    role: &str,
    password_hash: String,
    locale: &str,
) -> Result<Model, StoreError> {
    let id = Uuid::now_v7();
    user::Entity::insert(user::ActiveModel {
        id: Set(id),
        manufacturer_id: Set(manufacturer_id),
        email: Set(normalise_email(email)),
        password_hash: Set(password_hash),
        role: Set(role.to_owned()),
        created_at: Set(super::now()),
        locale: Set(locale.to_owned()),
        alerts: Set(None),
    })
    .exec_without_returning(db)
    .await
    .map_err(|e| StoreError::from_insert(e, "this address already has an account"))?;
    user::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound)
}

pub async fn set_role(db: &DatabaseConnection, id: Uuid, role: &str) -> Result<Model, StoreError> {
    let mut active = get(db, id).await?.into_active_model();
    active.role = Set(role.to_owned());
    Ok(active.update(db).await?)
}

pub async fn set_locale(db: &DatabaseConnection, id: Uuid, locale: &str) -> Result<(), StoreError> {
    let mut active = get(db, id).await?.into_active_model();
    active.locale = Set(locale.to_owned());
    active.update(db).await?;
    Ok(())
}

pub async fn delete(db: &DatabaseConnection, id: Uuid) -> Result<(), StoreError> {
    // Their reports become nobody's (the column has no foreign key: SQLite cannot add one later);
    // their notes and history rows stay, without an author (ON DELETE SET NULL).
    super::reports::unassign_member(db, id).await?;
    user::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
