use sea_orm::entity::prelude::*;

/// Units a production lot of a line produced, as the manufacturer entered them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lot_volumes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub product_line_id: Uuid,
    /// Upper-case, as `domain::Lot` keeps it.
    #[sea_orm(primary_key, auto_increment = false)]
    pub lot: String,
    pub units_produced: i64,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
