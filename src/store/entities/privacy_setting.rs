use sea_orm::entity::prelude::*;

/// How long a manufacturer keeps customers' personal data; no row means the defaults.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub manufacturer_id: Uuid,
    /// A customer's address is erased this many months after the last contact with them.
    pub email_retention_months: i32,
    /// Comments and the conversation are erased this many months after the report; None keeps them.
    pub text_retention_months: Option<i32>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
