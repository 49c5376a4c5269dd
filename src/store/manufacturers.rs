//! Manufacturers, their owners and their API tokens.

use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{api_token, manufacturer, user};
use super::{StoreError, hash_token, new_password, new_token, now, secrets};
use crate::domain::Locale;

/// What `manufacturer create` hands out. The token and the password are shown once and kept only as
/// hashes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewManufacturer {
    pub manufacturer_id: Uuid,
    pub name: String,
    pub api_token: String,
    pub owner_email: String,
    pub owner_password: String,
}

#[tracing::instrument(skip_all, fields(name = %name))]
pub async fn create(
    db: &DatabaseConnection,
    name: &str,
    owner_email: &str,
    locale: Locale,
) -> Result<NewManufacturer, StoreError> {
    let owner_email = owner_email.trim().to_lowercase();
    let password = new_password();
    let password_hash = secrets::hash_password(&password)?;
    let token = new_token();
    let manufacturer_id = Uuid::now_v7();
    let created_at = now();
    let txn = super::begin_write(db).await?;
    manufacturer::Entity::insert(manufacturer::ActiveModel {
        id: Set(manufacturer_id),
        name: Set(name.trim().to_owned()),
        created_at: Set(created_at),
        time_zone: Set("UTC".to_owned()),
    })
    .exec(&txn)
    .await?;
    let owner_id = Uuid::now_v7();
    user::Entity::insert(user::ActiveModel {
        id: Set(owner_id),
        manufacturer_id: Set(manufacturer_id),
        email: Set(owner_email.clone()),
        password_hash: Set(password_hash),
        role: Set("owner".to_owned()),
        created_at: Set(created_at),
        locale: Set(locale.tag().to_owned()),
        alerts: Set(None),
    })
    .exec(&txn)
    .await
    .map_err(|e| StoreError::from_insert(e, "a user with this email already exists"))?;
    api_token::Entity::insert(api_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        manufacturer_id: Set(manufacturer_id),
        token_hash: Set(hash_token(&token)),
        label: Set("initial".to_owned()),
        created_at: Set(created_at),
        revoked_at: Set(None),
        user_id: Set(Some(owner_id)),
        scopes: Set("read,write".to_owned()),
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(NewManufacturer {
        manufacturer_id,
        name: name.trim().to_owned(),
        api_token: token,
        owner_email,
        owner_password: password,
    })
}

/// Whose a live API token is: its manufacturer, whether it may write, and the member it belongs to.
#[derive(Clone, Debug)]
pub struct TokenHolder {
    pub manufacturer_id: Uuid,
    pub write: bool,
    pub user_id: Option<Uuid>,
    /// The member's role as stored; `None` for a token from before members existed.
    pub role: Option<String>,
}

/// The manufacturer a bearer token acts for and whether it may write, if the token is known and
/// not revoked.
#[tracing::instrument(skip_all)]

pub async fn authenticate_token(db: &DatabaseConnection, token: &str) -> Result<Option<TokenHolder>, StoreError> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    let Some(t) = found else { return Ok(None) };
    // A token acts with its member's role of now: a member demoted after making it loses what the
    // new role does not allow.
    let role = match t.user_id {
        None => None,
        Some(user_id) => match user::Entity::find_by_id(user_id)
            .filter(user::Column::ManufacturerId.eq(t.manufacturer_id))
            .one(db)
            .await?
        {
            Some(u) => Some(u.role),
            None => return Ok(None),
        },
    };
    Ok(Some(TokenHolder {
        manufacturer_id: t.manufacturer_id,
        write: t.scopes.split(',').any(|s| s.trim() == "write"),
        user_id: t.user_id,
        role,
    }))
}

pub async fn get(db: &DatabaseConnection, id: Uuid) -> Result<manufacturer::Model, StoreError> {
    manufacturer::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound)
}

pub async fn list(db: &DatabaseConnection) -> Result<Vec<manufacturer::Model>, StoreError> {
    Ok(manufacturer::Entity::find().all(db).await?)
}

pub async fn owners(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<user::Model>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::ManufacturerId.eq(manufacturer_id))
        .filter(user::Column::Role.eq("owner"))
        .all(db)
        .await?)
}

pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(manufacturer::Entity::find().count(db).await? == 0)
}

/// Sets the zone that new members' digest schedules start in.
pub async fn set_time_zone(db: &DatabaseConnection, id: Uuid, zone: &str) -> Result<manufacturer::Model, StoreError> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let mut active = get(db, id).await?.into_active_model();
    active.time_zone = Set(zone.to_owned());
    Ok(active.update(db).await?)
}
