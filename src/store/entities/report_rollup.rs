use sea_orm::entity::prelude::*;

/// One cell of the statistics rollups: the counts of the reports of one line that fall into one time
/// bucket and share the cell's dimensions. What the grain means and which dimensions it keeps is
/// defined in `domain::rollup`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_rollups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub product_line_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub grain: i16,
    /// Start of the quarter-hour or UTC day.
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: TimeDateTimeWithTimeZone,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub lot: String,
    pub manufacturer_id: Uuid,
    pub reports: i64,
    pub defects: i64,
    pub usability: i64,
    pub praise: i64,
    pub other: i64,
    pub rating_1: i64,
    pub rating_2: i64,
    pub rating_3: i64,
    pub rating_4: i64,
    pub rating_5: i64,
    pub nps_promoters: i64,
    pub nps_passives: i64,
    pub nps_detractors: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
