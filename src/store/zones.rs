//! Responsibility zones and their members. A zone's categories and lines are stored as JSON text
//! and read whole: routing is decided by `domain::zone`, and the inbox's SQL condition is built from
//! the same parsed zone (see `reports::Filter::zone`).

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::entities::{zone, zone_member};
use super::{StoreError, now};

/// A zone as the manufacturer writes it; the app has checked every field.
#[derive(Clone, Debug)]
pub struct ZoneSpec {
    pub name: String,
    pub categories: Vec<String>,
    pub product_lines: Option<Vec<Uuid>>,
    pub members: Vec<Uuid>,
    pub response_target_days: i32,
}

/// A stored zone and its members' ids.
#[derive(Clone, Debug)]
pub struct Stored {
    pub zone: zone::Model,
    pub members: Vec<Uuid>,
}

fn json(v: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Unexpected(e.into()))
}

async fn set_members(db: &impl ConnectionTrait, zone_id: Uuid, members: &[Uuid]) -> Result<(), StoreError> {
    zone_member::Entity::delete_many().filter(zone_member::Column::ZoneId.eq(zone_id)).exec(db).await?;
    if members.is_empty() {
        return Ok(());
    }
    zone_member::Entity::insert_many(
        members.iter().map(|u| zone_member::ActiveModel { zone_id: Set(zone_id), user_id: Set(*u) }),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn members_of(db: &impl ConnectionTrait, zone_ids: &[Uuid]) -> Result<Vec<zone_member::Model>, StoreError> {
    Ok(zone_member::Entity::find()
        .filter(zone_member::Column::ZoneId.is_in(zone_ids.iter().copied()))
        .order_by_asc(zone_member::Column::UserId)
        .all(db)
        .await?)
}

pub async fn create(db: &DatabaseConnection, manufacturer_id: Uuid, spec: &ZoneSpec) -> Result<Stored, StoreError> {
    let txn = super::begin_write(db).await?;
    let at = now();
    let model = zone::ActiveModel {
        id: Set(Uuid::now_v7()),
        manufacturer_id: Set(manufacturer_id),
        name: Set(spec.name.clone()),
        categories: Set(json(&spec.categories)?),
        product_lines: Set(spec.product_lines.as_ref().map(json).transpose()?),
        response_target_days: Set(spec.response_target_days),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await
    .map_err(|e| StoreError::from_insert(e, "a zone with this name exists"))?;
    set_members(&txn, model.id, &spec.members).await?;
    txn.commit().await?;
    Ok(Stored { zone: model, members: spec.members.clone() })
}

/// Every zone of the manufacturer, by name.
pub async fn list(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<Stored>, StoreError> {
    let zones = zone::Entity::find()
        .filter(zone::Column::ManufacturerId.eq(manufacturer_id))
        .order_by_asc(zone::Column::Name)
        .order_by_asc(zone::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = zones.iter().map(|z| z.id).collect();
    let members = members_of(db, &ids).await?;
    Ok(zones
        .into_iter()
        .map(|z| {
            let mine = members.iter().filter(|m| m.zone_id == z.id).map(|m| m.user_id).collect();
            Stored { zone: z, members: mine }
        })
        .collect())
}

pub async fn get(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<Stored, StoreError> {
    let z = zone::Entity::find_by_id(id)
        .filter(zone::Column::ManufacturerId.eq(manufacturer_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let members = members_of(db, &[id]).await?.into_iter().map(|m| m.user_id).collect();
    Ok(Stored { zone: z, members })
}

pub async fn update(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
    spec: &ZoneSpec,
) -> Result<Stored, StoreError> {
    let txn = super::begin_write(db).await?;
    let found = zone::Entity::find_by_id(id)
        .filter(zone::Column::ManufacturerId.eq(manufacturer_id))
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut active = found.into_active_model();
    active.name = Set(spec.name.clone());
    active.categories = Set(json(&spec.categories)?);
    active.product_lines = Set(spec.product_lines.as_ref().map(json).transpose()?);
    active.response_target_days = Set(spec.response_target_days);
    active.updated_at = Set(now());
    let model = active.update(&txn).await.map_err(|e| StoreError::from_insert(e, "a zone with this name exists"))?;
    set_members(&txn, id, &spec.members).await?;
    txn.commit().await?;
    Ok(Stored { zone: model, members: spec.members.clone() })
}

pub async fn delete(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<(), StoreError> {
    let txn = super::begin_write(db).await?;
    let res = zone::Entity::delete_many()
        .filter(zone::Column::Id.eq(id))
        .filter(zone::Column::ManufacturerId.eq(manufacturer_id))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    // Its members' rows go with it (ON DELETE CASCADE; store::connect turns SQLite's foreign keys on).
    txn.commit().await?;
    Ok(())
}

/// The ids of the zones a member is in.
pub async fn of_member(db: &DatabaseConnection, user_id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    Ok(zone_member::Entity::find()
        .filter(zone_member::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.zone_id)
        .collect())
}
