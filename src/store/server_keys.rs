//! Keys shared by every process on one database, created by whichever process needs one first.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

use super::entities::server_key::{self, Column};
use super::{StoreError, now, secrets};

/// The key named `name`: read, or created at random (an insert that ignores a concurrent one) and read.
pub async fn get_or_create(db: &DatabaseConnection, name: &str) -> Result<Vec<u8>, StoreError> {
    if let Some(k) = server_key::Entity::find_by_id(name.to_owned()).one(db).await? {
        return Ok(k.secret.into_bytes());
    }
    server_key::Entity::insert(server_key::ActiveModel {
        name: Set(name.to_owned()),
        secret: Set(secrets::new_key()),
        created_at: Set(now()),
    })
    .on_conflict(OnConflict::column(Column::Name).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let key = server_key::Entity::find_by_id(name.to_owned()).one(db).await?.ok_or(StoreError::NotFound)?;
    Ok(key.secret.into_bytes())
}
