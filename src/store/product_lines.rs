//! Product lines and their durable codes.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::entities::product_line::{self, Model};
use super::{StoreError, is_unique_violation, now};
use crate::domain::{Code, Gtin, LineStatus, ProductName};

pub struct NewLine {
    pub name: ProductName,
    pub sku: Option<String>,
    pub gtin: Option<Gtin>,
}

/// Inserts a line with a fresh code. A code collision (one in billions) is retried with another code;
/// a GTIN already in use is a conflict the caller reports.
#[tracing::instrument(skip_all, fields(%manufacturer_id))]
pub async fn create(db: &DatabaseConnection, manufacturer_id: Uuid, line: NewLine) -> Result<Model, StoreError> {
    for _ in 0..8 {
        let code = Code::generate(&mut rand::rng());
        let model = product_line::ActiveModel {
            id: Set(Uuid::now_v7()),
            manufacturer_id: Set(manufacturer_id),
            code: Set(code.to_string()),
            name: Set(line.name.as_str().to_owned()),
            sku: Set(line.sku.clone()),
            gtin: Set(line.gtin.as_ref().map(|g| g.as_str().to_owned())),
            status: Set(LineStatus::Active.as_str().to_owned()),
            created_at: Set(now()),
            retired_at: Set(None),
            form_config: Set(None),
            image_path: Set(None),
            image_width: Set(None),
            image_height: Set(None),
        };
        match product_line::Entity::insert(model.clone()).exec(db).await {
            Ok(_) => {
                return product_line::Entity::find()
                    .filter(product_line::Column::Code.eq(code.as_str()))
                    .one(db)
                    .await?
                    .ok_or(StoreError::NotFound);
            }
            Err(e) if is_unique_violation(&e) => {
                if let Some(gtin) = &line.gtin {
                    let taken = product_line::Entity::find()
                        .filter(product_line::Column::Gtin.eq(gtin.as_str()))
                        .one(db)
                        .await?;
                    if taken.is_some() {
                        return Err(StoreError::Conflict("a product line with this GTIN already exists".into()));
                    }
                }
                tracing::warn!("code collision, retrying with a new code");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Unexpected(anyhow::anyhow!("could not find an unused code after 8 attempts")))
}

pub async fn list(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<Model>, StoreError> {
    Ok(product_line::Entity::find()
        .filter(product_line::Column::ManufacturerId.eq(manufacturer_id))
        .order_by_asc(product_line::Column::CreatedAt)
        .order_by_asc(product_line::Column::Id)
        .all(db)
        .await?)
}

/// What a list of lines by name shows: no form, picture or dates, which a comparison of every
/// line would otherwise decode 500 times per request (the forms are a few kilobytes each).
#[derive(Clone, Debug, PartialEq, Eq, sea_orm::DerivePartialModel)]
#[sea_orm(entity = "product_line::Entity")]
pub struct Named {
    pub id: Uuid,
    pub name: String,
    pub code: String,
    pub status: String,
}

/// Every line of a manufacturer by name and code, in the order of [`list`].
pub async fn list_named(db: &DatabaseConnection, manufacturer_id: Uuid) -> Result<Vec<Named>, StoreError> {
    Ok(product_line::Entity::find()
        .filter(product_line::Column::ManufacturerId.eq(manufacturer_id))
        .order_by_asc(product_line::Column::CreatedAt)
        .order_by_asc(product_line::Column::Id)
        .into_partial_model::<Named>()
        .all(db)
        .await?)
}

/// A line of this manufacturer. Another manufacturer's line is `NotFound`, never "forbidden", so ids
/// reveal nothing.
pub async fn get(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<Model, StoreError> {
    product_line::Entity::find_by_id(id)
        .filter(product_line::Column::ManufacturerId.eq(manufacturer_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn find_by_code(db: &DatabaseConnection, code: &Code) -> Result<Option<Model>, StoreError> {
    Ok(product_line::Entity::find().filter(product_line::Column::Code.eq(code.as_str())).one(db).await?)
}

/// The line with this GTIN, retired or not: a printed Digital Link keeps resolving.
pub async fn find_by_gtin(db: &DatabaseConnection, gtin: &Gtin) -> Result<Option<Model>, StoreError> {
    Ok(product_line::Entity::find().filter(product_line::Column::Gtin.eq(gtin.as_str())).one(db).await?)
}

pub struct Changes {
    pub name: Option<ProductName>,
    pub sku: Option<Option<String>>,
}

pub async fn update(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
    changes: Changes,
) -> Result<Model, StoreError> {
    let line = get(db, manufacturer_id, id).await?;
    let mut active = line.into_active_model();
    if let Some(name) = changes.name {
        active.name = Set(name.into_inner());
    }
    if let Some(sku) = changes.sku {
        active.sku = Set(sku);
    }
    Ok(active.update(db).await?)
}

/// Replaces the line's form settings (validated by the caller).
pub async fn set_form(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
    form: &crate::domain::FormConfig,
) -> Result<Model, StoreError> {
    let line = get(db, manufacturer_id, id).await?;
    let json = serde_json::to_string(form).map_err(|e| StoreError::Unexpected(e.into()))?;
    let mut active = line.into_active_model();
    active.form_config = Set(Some(json));
    Ok(active.update(db).await?)
}

/// Points the line at a new picture (already written), or at none. Returns the line and the picture
/// it pointed at before, whose file the caller removes once this has committed. Read and write in
/// one writing transaction, so two uploads at once cannot both believe they replaced the same file
/// (which would leave the other's file on disk).
pub async fn set_image(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
    image: Option<(String, u32, u32)>,
) -> Result<(Model, Option<String>), StoreError> {
    let txn = super::begin_write(db).await?;
    let line = product_line::Entity::find_by_id(id)
        .filter(product_line::Column::ManufacturerId.eq(manufacturer_id))
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let previous = line.image_path.clone();
    let mut active = line.into_active_model();
    let (path, w, h) = match image {
        Some((p, w, h)) => (Some(p), Some(w as i32), Some(h as i32)),
        None => (None, None, None),
    };
    active.image_path = Set(path);
    active.image_width = Set(w);
    active.image_height = Set(h);
    let line = active.update(&txn).await?;
    txn.commit().await?;
    Ok((line, previous))
}

/// Retiring keeps the code resolving (the page says the line is no longer made); it is idempotent.
pub async fn retire(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<Model, StoreError> {
    let line = get(db, manufacturer_id, id).await?;
    if line.status == LineStatus::Retired.as_str() {
        return Ok(line);
    }
    let mut active = line.into_active_model();
    active.status = Set(LineStatus::Retired.as_str().to_owned());
    active.retired_at = Set(Some(now()));
    Ok(active.update(db).await?)
}

/// Every line, oldest first, of one manufacturer or (operator's bulk export) of all of them.
pub async fn list_all(db: &DatabaseConnection, manufacturer_id: Option<Uuid>) -> Result<Vec<Model>, StoreError> {
    let mut q = product_line::Entity::find();
    if let Some(m) = manufacturer_id {
        q = q.filter(product_line::Column::ManufacturerId.eq(m));
    }
    Ok(q.order_by_asc(product_line::Column::ManufacturerId)
        .order_by_asc(product_line::Column::CreatedAt)
        .order_by_asc(product_line::Column::Id)
        .all(db)
        .await?)
}
