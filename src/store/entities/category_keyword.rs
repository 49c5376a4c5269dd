use sea_orm::entity::prelude::*;

/// A manufacturer's keywords for one category (`kind/key`), one per line: the cold-start seeds of
/// its category suggestions, beside the category's own labels.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "category_keywords")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub manufacturer_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: String,
    pub keywords: String,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
