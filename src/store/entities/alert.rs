use sea_orm::entity::prelude::*;

/// One spike of one line, kind and category: opened once, closed when a later run no longer sees it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub manufacturer_id: Uuid,
    pub product_line_id: Uuid,
    pub kind: String,
    /// '' for reports without a category.
    pub category: String,
    pub window_start: TimeDateTimeWithTimeZone,
    pub window_end: TimeDateTimeWithTimeZone,
    pub count: i64,
    pub expected: f64,
    pub probability: f64,
    pub opened_at: TimeDateTimeWithTimeZone,
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
