use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ManufacturerId,
    Email,
    PasswordHash,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    ManufacturerId,
    TokenHash,
    Label,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ProductLines {
    Table,
    Id,
    ManufacturerId,
    Code,
    Name,
    Sku,
    Gtin,
    Status,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ProductLineId,
    ManufacturerId,
    Kind,
    Rating,
    Comment,
    Email,
    Lot,
    Locale,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DigestDeliveries {
    Table,
    Id,
    ManufacturerId,
    Recipient,
    PeriodKey,
    PeriodStart,
    PeriodEnd,
    Status,
    Attempts,
    ClaimedAt,
    SentAt,
    LastError,
    CreatedAt,
}

fn fk(
    name: &str,
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Manufacturers::Table)
                    .col(uuid(Manufacturers::Id).primary_key())
                    .col(string(Manufacturers::Name))
                    .col(timestamp_with_time_zone(Manufacturers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::Id).primary_key())
                    .col(uuid(Users::ManufacturerId))
                    .col(string_uniq(Users::Email))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Role))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_users_manufacturer",
                        Users::Table,
                        Users::ManufacturerId,
                        Manufacturers::Table,
                        Manufacturers::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(uuid(ApiTokens::Id).primary_key())
                    .col(uuid(ApiTokens::ManufacturerId))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(string(ApiTokens::Label))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(&mut fk(
                        "fk_api_tokens_manufacturer",
                        ApiTokens::Table,
                        ApiTokens::ManufacturerId,
                        Manufacturers::Table,
                        Manufacturers::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProductLines::Table)
                    .col(uuid(ProductLines::Id).primary_key())
                    .col(uuid(ProductLines::ManufacturerId))
                    // Unique forever: rows are never deleted, so a code can never be issued twice.
                    .col(string_len_uniq(ProductLines::Code, 16))
                    .col(string(ProductLines::Name))
                    .col(string_null(ProductLines::Sku))
                    .col(string_len_null(ProductLines::Gtin, 14))
                    .col(string_len(ProductLines::Status, 16))
                    .col(timestamp_with_time_zone(ProductLines::CreatedAt))
                    .col(timestamp_with_time_zone_null(ProductLines::RetiredAt))
                    .foreign_key(&mut fk(
                        "fk_product_lines_manufacturer",
                        ProductLines::Table,
                        ProductLines::ManufacturerId,
                        Manufacturers::Table,
                        Manufacturers::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_product_lines_manufacturer")
                    .table(ProductLines::Table)
                    .col(ProductLines::ManufacturerId)
                    .to_owned(),
            )
            .await?;
        // A GTIN identifies one trade item worldwide, so one line per GTIN (NULLs do not collide).
        manager
            .create_index(
                Index::create()
                    .name("ux_product_lines_gtin")
                    .table(ProductLines::Table)
                    .col(ProductLines::Gtin)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(uuid(Reports::Id).primary_key())
                    .col(uuid(Reports::ProductLineId))
                    .col(uuid(Reports::ManufacturerId))
                    .col(string_len(Reports::Kind, 16))
                    .col(small_integer(Reports::Rating))
                    .col(text(Reports::Comment))
                    .col(string_null(Reports::Email))
                    .col(string_len_null(Reports::Lot, 32))
                    .col(string_len(Reports::Locale, 8))
                    .col(string_len(Reports::Status, 16))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_reports_product_line",
                        Reports::Table,
                        Reports::ProductLineId,
                        ProductLines::Table,
                        ProductLines::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_reports_manufacturer",
                        Reports::Table,
                        Reports::ManufacturerId,
                        Manufacturers::Table,
                        Manufacturers::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reports_manufacturer_created")
                    .table(Reports::Table)
                    .col(Reports::ManufacturerId)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reports_line_created")
                    .table(Reports::Table)
                    .col(Reports::ProductLineId)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DigestDeliveries::Table)
                    .col(uuid(DigestDeliveries::Id).primary_key())
                    .col(uuid(DigestDeliveries::ManufacturerId))
                    .col(string(DigestDeliveries::Recipient))
                    .col(string_len(DigestDeliveries::PeriodKey, 32))
                    .col(timestamp_with_time_zone(DigestDeliveries::PeriodStart))
                    .col(timestamp_with_time_zone(DigestDeliveries::PeriodEnd))
                    .col(string_len(DigestDeliveries::Status, 16))
                    .col(integer(DigestDeliveries::Attempts))
                    .col(timestamp_with_time_zone_null(DigestDeliveries::ClaimedAt))
                    .col(timestamp_with_time_zone_null(DigestDeliveries::SentAt))
                    .col(text_null(DigestDeliveries::LastError))
                    .col(timestamp_with_time_zone(DigestDeliveries::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_digest_deliveries_manufacturer",
                        DigestDeliveries::Table,
                        DigestDeliveries::ManufacturerId,
                        Manufacturers::Table,
                        Manufacturers::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // The claim: one row per recipient and period, whichever process inserts it first.
        manager
            .create_index(
                Index::create()
                    .name("ux_digest_deliveries_period")
                    .table(DigestDeliveries::Table)
                    .col(DigestDeliveries::ManufacturerId)
                    .col(DigestDeliveries::Recipient)
                    .col(DigestDeliveries::PeriodKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DigestDeliveries::Table.into_iden(),
            Reports::Table.into_iden(),
            ProductLines::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Users::Table.into_iden(),
            Manufacturers::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
