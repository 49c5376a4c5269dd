//! Statistics rollups kept in the same transaction as the reports, scan counts keyed by a real date,
//! and report indexes that match the list order (newest first, ties by id).

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportRollups {
    Table,
    ProductLineId,
    Grain,
    Bucket,
    Kind,
    Category,
    Lot,
    ManufacturerId,
    Reports,
    Defects,
    Usability,
    Praise,
    Other,
    #[sea_orm(iden = "rating_1")]
    Rating1,
    #[sea_orm(iden = "rating_2")]
    Rating2,
    #[sea_orm(iden = "rating_3")]
    Rating3,
    #[sea_orm(iden = "rating_4")]
    Rating4,
    #[sea_orm(iden = "rating_5")]
    Rating5,
    NpsPromoters,
    NpsPassives,
    NpsDetractors,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ProductLineId,
    ManufacturerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProductLines {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table(ReportRollups::Table)
            .col(uuid(ReportRollups::ProductLineId))
            .col(small_integer(ReportRollups::Grain))
            .col(timestamp_with_time_zone(ReportRollups::Bucket))
            // '' when the dimension is rolled up at this grain, or the report had none: key columns
            // must not be NULL to be unique.
            .col(string_len(ReportRollups::Kind, 16))
            .col(string_len(ReportRollups::Category, 40))
            .col(string_len(ReportRollups::Lot, 32))
            .col(uuid(ReportRollups::ManufacturerId));
        for measure in [
            ReportRollups::Reports,
            ReportRollups::Defects,
            ReportRollups::Usability,
            ReportRollups::Praise,
            ReportRollups::Other,
            ReportRollups::Rating1,
            ReportRollups::Rating2,
            ReportRollups::Rating3,
            ReportRollups::Rating4,
            ReportRollups::Rating5,
            ReportRollups::NpsPromoters,
            ReportRollups::NpsPassives,
            ReportRollups::NpsDetractors,
        ] {
            table.col(big_integer(measure).default(0));
        }
        table
            .primary_key(
                Index::create()
                    .col(ReportRollups::ProductLineId)
                    .col(ReportRollups::Grain)
                    .col(ReportRollups::Bucket)
                    .col(ReportRollups::Kind)
                    .col(ReportRollups::Category)
                    .col(ReportRollups::Lot),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_report_rollups_line")
                    .from(ReportRollups::Table, ReportRollups::ProductLineId)
                    .to(ProductLines::Table, ProductLines::Id)
                    .on_delete(ForeignKeyAction::Restrict),
            );
        manager.create_table(table.to_owned()).await?;
        manager
            .create_index(
                // Every line of a manufacturer over a period (the overview, digests).
                Index::create()
                    .name("ix_report_rollups_manufacturer")
                    .table(ReportRollups::Table)
                    .col(ReportRollups::ManufacturerId)
                    .col(ReportRollups::Grain)
                    .col(ReportRollups::Bucket)
                    .to_owned(),
            )
            .await?;

        // Lists page newest first with ties broken by id: the index carries the tie-breaker, so a
        // page is an index range scan with no sort.
        for (old, new, col) in [
            ("ix_reports_line_created", "ix_reports_line_created_id", Reports::ProductLineId),
            ("ix_reports_manufacturer_created", "ix_reports_manufacturer_created_id", Reports::ManufacturerId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(new)
                        .table(Reports::Table)
                        .col(col)
                        .col(Reports::CreatedAt)
                        .col(Reports::Id)
                        .to_owned(),
                )
                .await?;
            manager.drop_index(Index::drop().name(old).table(Reports::Table).to_owned()).await?;
        }

        // Scan counts: the day becomes a real DATE. The rows keep their values ('YYYY-MM-DD').
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("ALTER TABLE scan_counts ALTER COLUMN day TYPE date USING day::date").await?;
            }
            _ => {
                // SQLite cannot change a column's type: rebuild the table. One call, so every
                // statement runs on the same pooled connection.
                db.execute_unprepared(
                    "CREATE TABLE scan_counts_new (
                        product_line_id uuid_text NOT NULL,
                        day date NOT NULL,
                        lot varchar(32) NOT NULL,
                        human bigint NOT NULL DEFAULT 0,
                        bot bigint NOT NULL DEFAULT 0,
                        PRIMARY KEY (product_line_id, day, lot),
                        CONSTRAINT fk_scan_counts_line FOREIGN KEY (product_line_id)
                            REFERENCES product_lines (id) ON DELETE RESTRICT
                    );
                    INSERT INTO scan_counts_new (product_line_id, day, lot, human, bot)
                        SELECT product_line_id, day, lot, human, bot FROM scan_counts;
                    DROP TABLE scan_counts;
                    ALTER TABLE scan_counts_new RENAME TO scan_counts;",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ReportRollups::Table).to_owned()).await?;
        Ok(())
    }
}
