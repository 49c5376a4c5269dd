use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "broadcasts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub manufacturer_id: Uuid,
    pub product_line_id: Uuid,
    pub topic: String,
    pub period_start: TimeDateTimeWithTimeZone,
    pub period_end: TimeDateTimeWithTimeZone,
    pub message_hash: String,
    pub message: String,
    pub recipients: i32,
    pub created_by: Uuid,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
