//! An index on reports by manufacturer, line and time: every list and export of one line filters
//! on both the manufacturer and the line. Without it SQLite (which has no statistics unless
//! ANALYZE ran) took `ix_reports_manufacturer_created_id` for such a query, the first index that
//! matched an equality and the order, and so read every report of the manufacturer, 5,000,000 for a
//! line of 1,000,000, to export that line. With two equalities this index is the one chosen.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    ManufacturerId,
    ProductLineId,
    CreatedAt,
    Id,
}

const NAME: &str = "ix_reports_manufacturer_line_created_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Reports::Table)
                    .col(Reports::ManufacturerId)
                    .col(Reports::ProductLineId)
                    .col(Reports::CreatedAt)
                    .col(Reports::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Reports::Table).to_owned()).await
    }
}
