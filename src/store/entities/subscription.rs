use sea_orm::entity::prelude::*;

/// A member's digest subscription. A member without a row has the default one (daily at 08:00 in the
/// manufacturer's zone), written the first time a run or a page reads it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub manufacturer_id: Uuid,
    pub cadence: String,
    pub weekday: String,
    pub hour: i32,
    pub time_zone: String,
    /// JSON array of line ids; `None` = every line.
    pub product_lines: Option<String>,
    pub locale: String,
    pub send_empty: bool,
    pub schedule_from: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
