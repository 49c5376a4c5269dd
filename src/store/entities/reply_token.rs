use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reply_tokens")]
pub struct Model {
    /// SHA-256 hex of the token in the `/r/{token}` link and the `reply+{token}@` address.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub report_id: Uuid,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
