//! Responsibility zones (a named team, the categories it owns, optionally on some lines only, its
//! members and its response target), and each report's first response: the instant the KPIs are
//! computed from, written with the reply or status change that is the response, and back-filled
//! here from the replies and the history already kept.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Zones {
    Table,
    Id,
    ManufacturerId,
    Name,
    Categories,
    ProductLines,
    ResponseTargetDays,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ZoneMembers {
    Table,
    ZoneId,
    UserId,
}

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    FirstResponseAt,
}

/// The first reply sent, then the first status change where that came earlier. Two statements,
/// because SQLite's `min(a, b)` is null when either is and PostgreSQL has `least` instead.
const BACKFILL: [&str; 2] = [
    "UPDATE reports SET first_response_at = (SELECT min(r.created_at) FROM report_replies r \
     WHERE r.report_id = reports.id AND r.direction = 'out') \
     WHERE EXISTS (SELECT 1 FROM report_replies r WHERE r.report_id = reports.id AND r.direction = 'out')",
    "UPDATE reports SET first_response_at = (SELECT min(e.created_at) FROM report_events e \
     WHERE e.report_id = reports.id AND e.kind = 'status') \
     WHERE EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = reports.id AND e.kind = 'status' \
     AND (reports.first_response_at IS NULL OR e.created_at < reports.first_response_at))",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Zones::Table)
                    .col(uuid(Zones::Id).primary_key())
                    .col(uuid(Zones::ManufacturerId))
                    .col(string_len(Zones::Name, 100))
                    // `kind/key` strings as a JSON array: read whole with the zone, never queried inside.
                    .col(text(Zones::Categories))
                    // A JSON array of line ids; null for every line.
                    .col(text_null(Zones::ProductLines))
                    .col(integer(Zones::ResponseTargetDays).default(2))
                    .col(timestamp_with_time_zone(Zones::CreatedAt))
                    .col(timestamp_with_time_zone(Zones::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_zones_manufacturer")
                            .from(Zones::Table, Zones::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_zones_manufacturer_name")
                    .table(Zones::Table)
                    .col(Zones::ManufacturerId)
                    .col(Zones::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ZoneMembers::Table)
                    .col(uuid(ZoneMembers::ZoneId))
                    .col(uuid(ZoneMembers::UserId))
                    .primary_key(Index::create().col(ZoneMembers::ZoneId).col(ZoneMembers::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_zone_members_zone")
                            .from(ZoneMembers::Table, ZoneMembers::ZoneId)
                            .to(Zones::Table, Zones::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_zone_members_user")
                            .from(ZoneMembers::Table, ZoneMembers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_zone_members_user")
                    .table(ZoneMembers::Table)
                    .col(ZoneMembers::UserId)
                    .to_owned(),
            )
            .await?;

        let mut first = timestamp_with_time_zone_null(Reports::FirstResponseAt);
        manager.alter_table(Table::alter().table(Reports::Table).add_column(&mut first).to_owned()).await?;
        let db = manager.get_connection();
        for sql in BACKFILL {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Reports::Table).drop_column(Reports::FirstResponseAt).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(ZoneMembers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Zones::Table).to_owned()).await
    }
}
