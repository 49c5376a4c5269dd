//! Links a manufacturer adds to a product line, served by the GS1 Digital Link resolver.

use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::line_link::{self, Model};
use super::{StoreError, now};
use crate::domain::LinkType;

/// A link, already validated by the caller.
pub struct NewLink {
    pub link_type: LinkType,
    pub href: String,
    pub title: String,
    pub lang: Option<String>,
    pub media_type: Option<String>,
    pub context: Option<String>,
}

/// Adds a link to a line. The caller has checked that the line belongs to `manufacturer_id`.
#[tracing::instrument(skip_all, fields(%manufacturer_id, %product_line_id))]
pub async fn create(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    product_line_id: Uuid,
    link: NewLink,
) -> Result<Model, StoreError> {
    let id = Uuid::now_v7();
    let model = line_link::ActiveModel {
        id: Set(id),
        product_line_id: Set(product_line_id),
        manufacturer_id: Set(manufacturer_id),
        link_type: Set(link.link_type.curie()),
        href: Set(link.href),
        title: Set(link.title),
        lang: Set(link.lang),
        created_at: Set(now()),
        media_type: Set(link.media_type),
        context: Set(link.context),
    };
    line_link::Entity::insert(model).exec(db).await?;
    line_link::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound)
}

/// Every link of a line, oldest first: the order the manufacturer added them in is the order the
/// resolver offers them in.
#[tracing::instrument(skip_all, fields(%product_line_id))]
pub async fn for_line(db: &DatabaseConnection, product_line_id: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(line_link::Entity::find()
        .filter(line_link::Column::ProductLineId.eq(product_line_id))
        .order_by_asc(line_link::Column::CreatedAt)
        .order_by_asc(line_link::Column::Id)
        .all(db)
        .await?)
}

/// Deletes one link of one line of this manufacturer; anything else is `NotFound`.
#[tracing::instrument(skip_all, fields(%manufacturer_id, %product_line_id, %link_id))]
pub async fn delete(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    product_line_id: Uuid,
    link_id: Uuid,
) -> Result<(), StoreError> {
    let result = line_link::Entity::delete_many()
        .filter(line_link::Column::Id.eq(link_id))
        .filter(line_link::Column::ProductLineId.eq(product_line_id))
        .filter(line_link::Column::ManufacturerId.eq(manufacturer_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
