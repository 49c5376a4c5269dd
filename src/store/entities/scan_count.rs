use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scan_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub product_line_id: Uuid,
    /// UTC day.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: time::Date,
    /// Empty when the scan carried no lot.
    #[sea_orm(primary_key, auto_increment = false)]
    pub lot: String,
    pub human: i64,
    pub bot: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
