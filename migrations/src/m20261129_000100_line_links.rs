//! Links a manufacturer adds to a product line (instructions, recall status, product registration...),
//! served by the GS1 Digital Link resolver next to the default link, the feedback page.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LineLinks {
    Table,
    Id,
    ProductLineId,
    ManufacturerId,
    LinkType,
    Href,
    Title,
    Lang,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProductLines {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LineLinks::Table)
                    .col(uuid(LineLinks::Id).primary_key())
                    .col(uuid(LineLinks::ProductLineId))
                    .col(uuid(LineLinks::ManufacturerId))
                    // A CURIE such as `gs1:instructions`.
                    .col(string_len(LineLinks::LinkType, 64))
                    .col(text(LineLinks::Href))
                    .col(string_len(LineLinks::Title, 200))
                    .col(string_len_null(LineLinks::Lang, 35))
                    .col(timestamp_with_time_zone(LineLinks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_line_links_product_line")
                            .from(LineLinks::Table, LineLinks::ProductLineId)
                            .to(ProductLines::Table, ProductLines::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_line_links_manufacturer")
                            .from(LineLinks::Table, LineLinks::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The resolver reads every link of one line on each scan.
        manager
            .create_index(
                Index::create()
                    .name("ix_line_links_product_line")
                    .table(LineLinks::Table)
                    .col(LineLinks::ProductLineId)
                    .col(LineLinks::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LineLinks::Table).to_owned()).await
    }
}
