use sea_orm::entity::prelude::*;

/// One product line's month-aligned week (see `domain::line_weeks`): the sums of its `line_days` rows of
/// that week, keyed by the week's first day. Kept with `line_days` by the same writers; see
/// `store::rollups`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "line_weeks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub product_line_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub week: time::Date,
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
