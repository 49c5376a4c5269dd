use sea_orm::entity::prelude::*;

/// A responsibility zone: a named team of a manufacturer and the categories it owns.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "zones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub manufacturer_id: Uuid,
    pub name: String,
    /// A JSON array of `kind/key` strings.
    pub categories: String,
    /// A JSON array of line ids; `None` for every line.
    pub product_lines: Option<String>,
    /// Working days within which a report should have its first response.
    pub response_target_days: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
