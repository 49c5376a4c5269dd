//! Digest subscriptions per member, the manufacturer's time zone, the claims that make one digest per
//! member and period hold across processes, the signing key of unsubscribe and photo links, and two
//! additive outbox columns: extra headers (List-Unsubscribe) and the manufacturer a mail belongs to
//! (for `GET /api/v1/outbox`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
    TimeZone,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    UserId,
    ManufacturerId,
    Cadence,
    Weekday,
    Hour,
    TimeZone,
    ProductLines,
    Locale,
    SendEmpty,
    ScheduleFrom,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DigestClaims {
    Table,
    Id,
    UserId,
    ManufacturerId,
    PeriodKey,
    PeriodStart,
    PeriodEnd,
    OutboxId,
    Summary,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServerKeys {
    Table,
    Name,
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Headers,
    ManufacturerId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut zone = string_len(Manufacturers::TimeZone, 64);
        zone.default("UTC");
        manager.alter_table(Table::alter().table(Manufacturers::Table).add_column(&mut zone).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(uuid(Subscriptions::UserId).primary_key())
                    .col(uuid(Subscriptions::ManufacturerId))
                    .col(string_len(Subscriptions::Cadence, 8))
                    .col(string_len(Subscriptions::Weekday, 10))
                    .col(integer(Subscriptions::Hour))
                    .col(string_len(Subscriptions::TimeZone, 64))
                    // A JSON array of line ids; NULL = every line.
                    .col(text_null(Subscriptions::ProductLines))
                    .col(string_len(Subscriptions::Locale, 8))
                    .col(boolean(Subscriptions::SendEmpty))
                    // Periods that ended before this instant are never due: a new or changed schedule
                    // does not send the past.
                    .col(timestamp_with_time_zone(Subscriptions::ScheduleFrom))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscriptions_user")
                            .from(Subscriptions::Table, Subscriptions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscriptions_manufacturer")
                            .from(Subscriptions::Table, Subscriptions::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DigestClaims::Table)
                    .col(uuid(DigestClaims::Id).primary_key())
                    .col(uuid(DigestClaims::UserId))
                    .col(uuid(DigestClaims::ManufacturerId))
                    .col(string_len(DigestClaims::PeriodKey, 32))
                    .col(timestamp_with_time_zone(DigestClaims::PeriodStart))
                    .col(timestamp_with_time_zone(DigestClaims::PeriodEnd))
                    // NULL: the period was empty and the subscriber takes no "nothing new" mail.
                    .col(uuid_null(DigestClaims::OutboxId))
                    // The period's headline numbers (JSON), for "what changed since the last digest".
                    .col(text(DigestClaims::Summary))
                    .col(timestamp_with_time_zone(DigestClaims::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // The claim: one row per member and period, whatever the number of processes.
        manager
            .create_index(
                Index::create()
                    .name("ux_digest_claims_user_period")
                    .table(DigestClaims::Table)
                    .col(DigestClaims::UserId)
                    .col(DigestClaims::PeriodKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_digest_claims_user_end")
                    .table(DigestClaims::Table)
                    .col(DigestClaims::UserId)
                    .col(DigestClaims::PeriodEnd)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServerKeys::Table)
                    .col(string_len(ServerKeys::Name, 32).primary_key())
                    .col(string_len(ServerKeys::Secret, 128))
                    .col(timestamp_with_time_zone(ServerKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let mut headers = text_null(Outbox::Headers);
        manager.alter_table(Table::alter().table(Outbox::Table).add_column(&mut headers).to_owned()).await?;
        let mut owner = uuid_null(Outbox::ManufacturerId);
        manager.alter_table(Table::alter().table(Outbox::Table).add_column(&mut owner).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DigestClaims::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Subscriptions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ServerKeys::Table).to_owned()).await?;
        for col in [Outbox::Headers, Outbox::ManufacturerId] {
            manager.alter_table(Table::alter().table(Outbox::Table).drop_column(col).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Manufacturers::Table).drop_column(Manufacturers::TimeZone).to_owned())
            .await
    }
}
