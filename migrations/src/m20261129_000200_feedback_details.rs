//! Richer reports (category, recommendation score, usage time, serial, de-duplication fingerprint),
//! photos, per-line form settings, daily scan counts, and the language of a user's mails.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ProductLineId,
    Category,
    Nps,
    UsagePeriod,
    Serial,
    Fingerprint,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Locale,
}

#[derive(DeriveIden)]
enum ProductLines {
    Table,
    Id,
    FormConfig,
    ImagePath,
    ImageWidth,
    ImageHeight,
}

#[derive(DeriveIden)]
enum ReportPhotos {
    Table,
    Id,
    ReportId,
    Position,
    Path,
    ThumbPath,
    Width,
    Height,
    Bytes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScanCounts {
    Table,
    ProductLineId,
    Day,
    Lot,
    Human,
    Bot,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            string_len_null(Reports::Category, 40),
            small_integer_null(Reports::Nps),
            string_len_null(Reports::UsagePeriod, 16),
            string_len_null(Reports::Serial, 32),
            string_len_null(Reports::Fingerprint, 64),
        ] {
            let mut col = col;
            manager.alter_table(Table::alter().table(Reports::Table).add_column(&mut col).to_owned()).await?;
        }
        manager
            .create_index(
                // One report per line, client, content and ten-minute window, even when a double tap
                // sends the same form twice at once (NULL fingerprints never collide).
                Index::create()
                    .name("ux_reports_line_fingerprint")
                    .table(Reports::Table)
                    .col(Reports::ProductLineId)
                    .col(Reports::Fingerprint)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The language of the mails a user receives.
        manager
            .alter_table(
                Table::alter().table(Users::Table).add_column(string_len(Users::Locale, 8).default("en")).to_owned(),
            )
            .await?;
        // Settings of the line's feedback form, and the product picture its page shows.
        for col in [
            text_null(ProductLines::FormConfig),
            string_null(ProductLines::ImagePath),
            integer_null(ProductLines::ImageWidth),
            integer_null(ProductLines::ImageHeight),
        ] {
            manager.alter_table(Table::alter().table(ProductLines::Table).add_column(col).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReportPhotos::Table)
                    .col(uuid(ReportPhotos::Id).primary_key())
                    .col(uuid(ReportPhotos::ReportId))
                    .col(small_integer(ReportPhotos::Position))
                    .col(string(ReportPhotos::Path))
                    .col(string(ReportPhotos::ThumbPath))
                    .col(integer(ReportPhotos::Width))
                    .col(integer(ReportPhotos::Height))
                    .col(big_integer(ReportPhotos::Bytes))
                    .col(timestamp_with_time_zone(ReportPhotos::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_photos_report")
                            .from(ReportPhotos::Table, ReportPhotos::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_photos_report")
                    .table(ReportPhotos::Table)
                    .col(ReportPhotos::ReportId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ScanCounts::Table)
                    .col(uuid(ScanCounts::ProductLineId))
                    .col(string_len(ScanCounts::Day, 10))
                    // '' when the scan carried no lot: a key column must not be NULL to be unique.
                    .col(string_len(ScanCounts::Lot, 32))
                    .col(big_integer(ScanCounts::Human).default(0))
                    .col(big_integer(ScanCounts::Bot).default(0))
                    .primary_key(
                        Index::create().col(ScanCounts::ProductLineId).col(ScanCounts::Day).col(ScanCounts::Lot),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_scan_counts_line")
                            .from(ScanCounts::Table, ScanCounts::ProductLineId)
                            .to(ProductLines::Table, ProductLines::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ScanCounts::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ReportPhotos::Table).to_owned()).await?;
        Ok(())
    }
}
