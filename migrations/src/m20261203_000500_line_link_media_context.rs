//! A manufacturer's link gets a media type (`text/html`, `application/pdf`...) and a GS1 resolver
//! context, both optional. Its language stays in `lang`, which the API also calls `hreflang`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LineLinks {
    Table,
    MediaType,
    Context,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE. RFC 6838 names are at most 127 + 1 + 127 characters.
        for col in [string_len_null(LineLinks::MediaType, 255), string_len_null(LineLinks::Context, 64)] {
            let mut col = col;
            manager.alter_table(Table::alter().table(LineLinks::Table).add_column(&mut col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [LineLinks::Context, LineLinks::MediaType] {
            manager.alter_table(Table::alter().table(LineLinks::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
