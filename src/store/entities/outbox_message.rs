use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    /// Display name of the sender (the manufacturer on replies); the address is always `mail_from`'s.
    pub from_name: Option<String>,
    /// `queued`, `sending`, `sent` or `failed` (gave up).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: TimeDateTimeWithTimeZone,
    pub claimed_until: Option<TimeDateTimeWithTimeZone>,
    pub last_error: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub sent_at: Option<TimeDateTimeWithTimeZone>,
    /// Where answers go (`reply+{token}@` the reply domain), when set.
    pub reply_to: Option<String>,
    /// Extra headers as a JSON object of name to value (List-Unsubscribe on digests).
    pub headers: Option<String>,
    /// The manufacturer the mail belongs to, where it belongs to one (`GET /api/v1/outbox`).
    pub manufacturer_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
