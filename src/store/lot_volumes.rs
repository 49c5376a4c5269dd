//! Production volumes per lot, as the manufacturer enters them. Callers check that the line is the
//! manufacturer's (the use cases do) before reading or writing its volumes.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::lot_volume::{self, Column, Entity, Model};
use super::{StoreError, now};
use crate::domain::Lot;

/// Sets (or replaces) the units a lot produced; returns the stored row.
#[tracing::instrument(skip_all, fields(%line, %lot))]
pub async fn set(db: &DatabaseConnection, line: Uuid, lot: &Lot, units: i64) -> Result<Model, StoreError> {
    let row = lot_volume::ActiveModel {
        product_line_id: Set(line),
        lot: Set(lot.as_str().to_owned()),
        units_produced: Set(units),
        updated_at: Set(now()),
    };
    Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::ProductLineId, Column::Lot])
                .update_columns([Column::UnitsProduced, Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Entity::find_by_id((line, lot.as_str().to_owned())).one(db).await?.ok_or(StoreError::NotFound)
}

/// Every lot of a line with a volume, by lot.
pub async fn for_line(db: &DatabaseConnection, line: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(Entity::find().filter(Column::ProductLineId.eq(line)).order_by_asc(Column::Lot).all(db).await?)
}
