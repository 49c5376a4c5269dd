use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_replies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub report_id: Uuid,
    /// `out` (to the customer) or `in` (from the customer).
    pub direction: String,
    pub author_id: Option<Uuid>,
    pub body: String,
    /// How an answer came in: `link` or `mail`.
    pub channel: Option<String>,
    /// The outbox mail of a reply sent; its Message-ID is how a mailed answer finds the report.
    pub outbox_id: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
