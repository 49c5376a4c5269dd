use sea_orm::entity::prelude::*;

/// One member's digest for one period: inserted once (unique on user and period key) in the same
/// transaction as its outbox row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "digest_claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub manufacturer_id: Uuid,
    pub period_key: String,
    pub period_start: TimeDateTimeWithTimeZone,
    pub period_end: TimeDateTimeWithTimeZone,
    pub outbox_id: Option<Uuid>,
    pub summary: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
