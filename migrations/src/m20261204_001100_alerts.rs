//! Spike alerts and webhooks: per-manufacturer alert thresholds, a per-member choice to take alerts,
//! the alerts themselves (one row per spike, unique per line, kind, category and window), webhook
//! endpoints and their deliveries (a sibling of the mail outbox with the same claim, lease and
//! backoff columns).

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
enum Users {
    Table,
    /// NULL: the role's default (owners and editors take alerts, viewers do not).
    Alerts,
}

#[derive(DeriveIden)]
enum AlertSettings {
    Table,
    ManufacturerId,
    MinCount,
    Threshold,
    WindowHours,
    CooldownHours,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Alerts {
    Table,
    Id,
    ManufacturerId,
    ProductLineId,
    Kind,
    /// '' for reports without a category.
    Category,
    WindowStart,
    WindowEnd,
    Count,
    Expected,
    Probability,
    OpenedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    ManufacturerId,
    Url,
    /// Comma-separated event types.
    Events,
    /// `whsec_` + base64; kept as is, since signing needs it.
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    /// Also the `webhook-id` header: the same on every retry.
    Id,
    EndpointId,
    ManufacturerId,
    EventType,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastError,
    ResponseStatus,
    CreatedAt,
    DeliveredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Users::Table).add_column(boolean_null(Users::Alerts)).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AlertSettings::Table)
                    .col(uuid(AlertSettings::ManufacturerId).primary_key())
                    .col(integer(AlertSettings::MinCount))
                    .col(double(AlertSettings::Threshold))
                    .col(integer(AlertSettings::WindowHours))
                    .col(integer(AlertSettings::CooldownHours))
                    .col(timestamp_with_time_zone(AlertSettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_alert_settings_manufacturer")
                            .from(AlertSettings::Table, AlertSettings::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alerts::Table)
                    .col(uuid(Alerts::Id).primary_key())
                    .col(uuid(Alerts::ManufacturerId))
                    .col(uuid(Alerts::ProductLineId))
                    .col(string_len(Alerts::Kind, 16))
                    .col(string_len(Alerts::Category, 64))
                    .col(timestamp_with_time_zone(Alerts::WindowStart))
                    .col(timestamp_with_time_zone(Alerts::WindowEnd))
                    .col(big_integer(Alerts::Count))
                    .col(double(Alerts::Expected))
                    .col(double(Alerts::Probability))
                    .col(timestamp_with_time_zone(Alerts::OpenedAt))
                    .col(timestamp_with_time_zone_null(Alerts::ClosedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_alerts_line")
                            .from(Alerts::Table, Alerts::ProductLineId)
                            .to(ProductLines::Table, ProductLines::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_alerts_once")
                    .table(Alerts::Table)
                    .col(Alerts::ProductLineId)
                    .col(Alerts::Kind)
                    .col(Alerts::Category)
                    .col(Alerts::WindowEnd)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_alerts_manufacturer")
                    .table(Alerts::Table)
                    .col(Alerts::ManufacturerId)
                    .col(Alerts::OpenedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoints::Table)
                    .col(uuid(WebhookEndpoints::Id).primary_key())
                    .col(uuid(WebhookEndpoints::ManufacturerId))
                    .col(text(WebhookEndpoints::Url))
                    .col(string_len(WebhookEndpoints::Events, 255))
                    .col(string_len(WebhookEndpoints::Secret, 128))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_endpoints_manufacturer")
                            .from(WebhookEndpoints::Table, WebhookEndpoints::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_endpoints_manufacturer")
                    .table(WebhookEndpoints::Table)
                    .col(WebhookEndpoints::ManufacturerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(uuid(WebhookDeliveries::Id).primary_key())
                    .col(uuid(WebhookDeliveries::EndpointId))
                    .col(uuid(WebhookDeliveries::ManufacturerId))
                    .col(string_len(WebhookDeliveries::EventType, 32))
                    .col(text(WebhookDeliveries::Payload))
                    .col(string_len(WebhookDeliveries::Status, 16))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::ClaimedUntil))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(integer_null(WebhookDeliveries::ResponseStatus))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::DeliveredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_endpoint")
                            .from(WebhookDeliveries::Table, WebhookDeliveries::EndpointId)
                            .to(WebhookEndpoints::Table, WebhookEndpoints::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_due")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::Status)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_endpoint")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::EndpointId)
                    .col(WebhookDeliveries::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookDeliveries::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
            Alerts::Table.into_iden(),
            AlertSettings::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Users::Alerts).to_owned()).await
    }
}
