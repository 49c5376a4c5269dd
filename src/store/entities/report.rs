use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub product_line_id: Uuid,
    pub manufacturer_id: Uuid,
    pub kind: String,
    pub rating: i16,
    pub comment: String,
    pub email: Option<String>,
    pub lot: Option<String>,
    pub locale: String,
    pub status: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub category: Option<String>,
    pub nps: Option<i16>,
    pub usage_period: Option<String>,
    pub serial: Option<String>,
    pub fingerprint: Option<String>,
    /// The member who handles it; scoped like the report (a member of the same manufacturer).
    pub assignee_id: Option<Uuid>,
    /// `comment` in lower case (Unicode), for case-insensitive search on both databases.
    pub comment_folded: String,
    /// The consent sentence exactly as the customer saw it next to the tick box, and its language:
    /// what they agreed to, kept with the report (152-FZ, GDPR). None without an email.
    pub consent_text: Option<String>,
    pub consent_locale: Option<String>,
    /// What the classifier suggests (a key of the report's kind), when the category is empty or the
    /// comment points elsewhere; written by the classifier job, after the report is committed.
    pub suggested_category: Option<String>,
    /// The suggestion's confidence in thousandths.
    pub suggestion_permille: Option<i32>,
    /// When the classifier looked at the report (`None`: not yet; the job's queue).
    pub suggested_at: Option<TimeDateTimeWithTimeZone>,
    /// `team` when a member set or corrected the category (a label the model learns from at full
    /// weight); `None`: the customer's own pick.
    pub category_source: Option<String>,
    /// The team's first response: the first reply sent or the first status change (the KPIs).
    pub first_response_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
