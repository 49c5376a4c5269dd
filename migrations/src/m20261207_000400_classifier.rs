//! Suggested categories: each report's suggestion and its confidence (written by the classifier
//! job after the report is committed, never on the submit path), where its category came from (the
//! team's corrections are the labels the model learns from), and each manufacturer's keywords per
//! category for the cold start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    SuggestedCategory,
    SuggestionPermille,
    SuggestedAt,
    CategorySource,
    CreatedAt,
    Status,
}

#[derive(DeriveIden)]
enum CategoryKeywords {
    Table,
    ManufacturerId,
    Category,
    Keywords,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for mut col in [
            string_len_null(Reports::SuggestedCategory, 40),
            // The confidence in thousandths (0–1000): an integer compares and sorts alike on both databases.
            integer_null(Reports::SuggestionPermille),
            timestamp_with_time_zone_null(Reports::SuggestedAt),
            string_len_null(Reports::CategorySource, 16),
        ] {
            manager.alter_table(Table::alter().table(Reports::Table).add_column(&mut col).to_owned()).await?;
        }
        // Reports a team has finished with need no suggestion: they leave the queue at once. Open
        // ones stay in it, so the job back-fills their suggestions in batches after the upgrade.
        let done = Query::update()
            .table(Reports::Table)
            .value(Reports::SuggestedAt, Expr::col(Reports::CreatedAt))
            .and_where(Expr::col(Reports::Status).is_in(["resolved", "wont_fix"]))
            .to_owned();
        manager.exec_stmt(done).await?;
        // The classifier job's queue: reports not yet looked at, oldest first.
        manager
            .create_index(
                Index::create()
                    .name("ix_reports_suggested_at")
                    .table(Reports::Table)
                    .col(Reports::SuggestedAt)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CategoryKeywords::Table)
                    .col(uuid(CategoryKeywords::ManufacturerId))
                    // `kind/key`, e.g. `defect/handle`: keys repeat across kinds.
                    .col(string_len(CategoryKeywords::Category, 64))
                    // The words as the manufacturer typed them, one per line.
                    .col(text(CategoryKeywords::Keywords))
                    .col(timestamp_with_time_zone(CategoryKeywords::UpdatedAt))
                    .primary_key(Index::create().col(CategoryKeywords::ManufacturerId).col(CategoryKeywords::Category))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_category_keywords_manufacturer")
                            .from(CategoryKeywords::Table, CategoryKeywords::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CategoryKeywords::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("ix_reports_suggested_at").table(Reports::Table).to_owned()).await?;
        for col in
            [Reports::CategorySource, Reports::SuggestedAt, Reports::SuggestionPermille, Reports::SuggestedCategory]
        {
            manager.alter_table(Table::alter().table(Reports::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
