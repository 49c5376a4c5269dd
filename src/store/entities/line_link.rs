use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "line_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub product_line_id: Uuid,
    pub manufacturer_id: Uuid,
    /// A CURIE such as `gs1:instructions`.
    pub link_type: String,
    pub href: String,
    pub title: String,
    /// A BCP 47 tag; the API calls it `hreflang` as well.
    pub lang: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    /// The target's media type, such as `application/pdf`.
    pub media_type: Option<String>,
    /// The GS1 resolver context the link is for (`?context=`).
    pub context: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
