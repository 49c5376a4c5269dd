use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub manufacturer_id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// Language of the mails this user receives.
    pub locale: String,
    /// Whether this member takes spike alerts; `None` is the role's default (owners and editors do).
    pub alerts: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
