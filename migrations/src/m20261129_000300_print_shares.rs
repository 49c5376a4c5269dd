//! Print-share links: a manufacturer hands a print shop a link to one or more product lines'
//! artwork. Only the SHA-256 of the link's token is stored, so a database dump opens no links.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ProductLines {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PrintShares {
    Table,
    Id,
    ManufacturerId,
    TokenHash,
    Profile,
    Note,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum PrintShareLines {
    Table,
    ShareId,
    ProductLineId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PrintShares::Table)
                    .col(uuid(PrintShares::Id).primary_key())
                    .col(uuid(PrintShares::ManufacturerId))
                    // SHA-256 hex of the token; unique so that a lookup finds exactly one share.
                    .col(string_len_uniq(PrintShares::TokenHash, 64))
                    .col(string_len(PrintShares::Profile, 64))
                    .col(text_null(PrintShares::Note))
                    .col(timestamp_with_time_zone(PrintShares::CreatedAt))
                    .col(timestamp_with_time_zone(PrintShares::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PrintShares::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_print_shares_manufacturer")
                            .from(PrintShares::Table, PrintShares::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_print_shares_manufacturer_created")
                    .table(PrintShares::Table)
                    .col(PrintShares::ManufacturerId)
                    .col(PrintShares::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PrintShareLines::Table)
                    .col(uuid(PrintShareLines::ShareId))
                    .col(uuid(PrintShareLines::ProductLineId))
                    .primary_key(Index::create().col(PrintShareLines::ShareId).col(PrintShareLines::ProductLineId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_print_share_lines_share")
                            .from(PrintShareLines::Table, PrintShareLines::ShareId)
                            .to(PrintShares::Table, PrintShares::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_print_share_lines_product_line")
                            .from(PrintShareLines::Table, PrintShareLines::ProductLineId)
                            .to(ProductLines::Table, ProductLines::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PrintShareLines::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(PrintShares::Table).to_owned()).await?;
        Ok(())
    }
}
