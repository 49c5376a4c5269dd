//! "Tell everyone affected": a message to every consenting customer who reported a category on a line
//! in a period, sent once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Broadcasts {
    Table,
    Id,
    ManufacturerId,
    ProductLineId,
    /// `kind/category`.
    Topic,
    PeriodStart,
    PeriodEnd,
    /// SHA-256 of the message: the same message for the same reports is sent once.
    MessageHash,
    Message,
    Recipients,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Broadcasts::Table)
                    .col(uuid(Broadcasts::Id).primary_key())
                    .col(uuid(Broadcasts::ManufacturerId))
                    .col(uuid(Broadcasts::ProductLineId))
                    .col(string_len(Broadcasts::Topic, 64))
                    .col(timestamp_with_time_zone(Broadcasts::PeriodStart))
                    .col(timestamp_with_time_zone(Broadcasts::PeriodEnd))
                    .col(string_len(Broadcasts::MessageHash, 64))
                    .col(text(Broadcasts::Message))
                    .col(integer(Broadcasts::Recipients))
                    .col(uuid(Broadcasts::CreatedBy))
                    .col(timestamp_with_time_zone(Broadcasts::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_broadcasts_once")
                    .table(Broadcasts::Table)
                    .col(Broadcasts::ProductLineId)
                    .col(Broadcasts::Topic)
                    .col(Broadcasts::PeriodStart)
                    .col(Broadcasts::PeriodEnd)
                    .col(Broadcasts::MessageHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Broadcasts::Table).to_owned()).await
    }
}
