use sea_orm::entity::prelude::*;

/// A manufacturer's spike-alert thresholds; no row means the defaults.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub manufacturer_id: Uuid,
    pub min_count: i32,
    pub threshold: f64,
    pub window_hours: i32,
    pub cooldown_hours: i32,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
