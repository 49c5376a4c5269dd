//! Two indexes the triage reads need: the team's labels, newest first (the classifier retrains on
//! every correction and reads them without walking every report of the manufacturer), and the open
//! reports of a manufacturer (the zones' KPIs and digests count them by status).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    ManufacturerId,
    CategorySource,
    Status,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_reports_manufacturer_source_created")
                    .table(Reports::Table)
                    .col(Reports::ManufacturerId)
                    .col(Reports::CategorySource)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reports_manufacturer_status_created")
                    .table(Reports::Table)
                    .col(Reports::ManufacturerId)
                    .col(Reports::Status)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_reports_manufacturer_status_created", "ix_reports_manufacturer_source_created"] {
            manager.drop_index(Index::drop().name(name).table(Reports::Table).to_owned()).await?;
        }
        Ok(())
    }
}
