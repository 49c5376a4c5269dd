//! Production volumes per lot: how many units of a line a lot produced, entered by the manufacturer.
//! The line page divides a lot's defect reports by them (defects per million units, the p-chart).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProductLines {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LotVolumes {
    Table,
    ProductLineId,
    Lot,
    UnitsProduced,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LotVolumes::Table)
                    .col(uuid(LotVolumes::ProductLineId))
                    // Upper-cased like every stored lot (`domain::Lot`), so it matches the reports'.
                    .col(string_len(LotVolumes::Lot, 32))
                    .col(big_integer(LotVolumes::UnitsProduced))
                    .col(timestamp_with_time_zone(LotVolumes::UpdatedAt))
                    .primary_key(Index::create().col(LotVolumes::ProductLineId).col(LotVolumes::Lot))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lot_volumes_line")
                            .from(LotVolumes::Table, LotVolumes::ProductLineId)
                            .to(ProductLines::Table, ProductLines::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LotVolumes::Table).to_owned()).await
    }
}
