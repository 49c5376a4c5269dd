//! Customers' personal data (152-FZ, GDPR): the consent text a customer agreed to, stored with the
//! report in the language it was shown in, and per manufacturer how long customer emails and free
//! text are kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    ConsentText,
    ConsentLocale,
}

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PrivacySettings {
    Table,
    ManufacturerId,
    EmailRetentionMonths,
    TextRetentionMonths,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut consent_text = text_null(Reports::ConsentText);
        manager.alter_table(Table::alter().table(Reports::Table).add_column(&mut consent_text).to_owned()).await?;
        let mut consent_locale = string_len_null(Reports::ConsentLocale, 16);
        manager.alter_table(Table::alter().table(Reports::Table).add_column(&mut consent_locale).to_owned()).await?;
        // A manufacturer without a row has the defaults (emails 24 months after the last contact,
        // free text kept), so existing workspaces need no backfill.
        manager
            .create_table(
                Table::create()
                    .table(PrivacySettings::Table)
                    .col(uuid(PrivacySettings::ManufacturerId).primary_key())
                    .col(integer(PrivacySettings::EmailRetentionMonths))
                    .col(integer_null(PrivacySettings::TextRetentionMonths))
                    .col(timestamp_with_time_zone(PrivacySettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_privacy_settings_manufacturer")
                            .from(PrivacySettings::Table, PrivacySettings::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PrivacySettings::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Reports::Table).drop_column(Reports::ConsentLocale).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Reports::Table).drop_column(Reports::ConsentText).to_owned()).await
    }
}
