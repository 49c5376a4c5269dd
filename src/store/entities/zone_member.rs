use sea_orm::entity::prelude::*;

/// A member of a zone's team (a member may be in several zones).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "zone_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub zone_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
