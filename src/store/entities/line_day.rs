use sea_orm::entity::prelude::*;

/// One product line's UTC day, or block of days (`span`, see `domain::day_blocks`): its report
/// counts (equal to the line's day-total rollup cells) and its scans (the sum of its scan-count rows
/// over lots). Kept by the report writer and the scan
/// counter in their transactions; see `store::rollups`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "line_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub product_line_id: Uuid,
    /// `Span::code`: 1 for a day, 7 for the block that starts on `day`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub span: i16,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: time::Date,
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
    pub human: i64,
    pub bot: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
