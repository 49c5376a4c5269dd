//! Closing the loop: the manufacturer's replies to customers and the customers' answers, the private
//! links customers answer through, and a Reply-To on outbox mails.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportReplies {
    Table,
    Id,
    ReportId,
    /// `out` (to the customer) or `in` (from the customer).
    Direction,
    AuthorId,
    Body,
    /// Through which channel an answer came: `link` or `mail`; `NULL` for replies sent.
    Channel,
    OutboxId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReplyTokens {
    Table,
    TokenHash,
    ReportId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    ReplyTo,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportReplies::Table)
                    .col(uuid(ReportReplies::Id).primary_key())
                    .col(uuid(ReportReplies::ReportId))
                    .col(string_len(ReportReplies::Direction, 8))
                    .col(uuid_null(ReportReplies::AuthorId))
                    .col(text(ReportReplies::Body))
                    .col(string_len_null(ReportReplies::Channel, 8))
                    .col(uuid_null(ReportReplies::OutboxId))
                    .col(timestamp_with_time_zone(ReportReplies::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_replies_report")
                            .from(ReportReplies::Table, ReportReplies::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_replies_report")
                    .table(ReportReplies::Table)
                    .col(ReportReplies::ReportId)
                    .col(ReportReplies::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_replies_outbox")
                    .table(ReportReplies::Table)
                    .col(ReportReplies::OutboxId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReplyTokens::Table)
                    .col(string_len(ReplyTokens::TokenHash, 64).primary_key())
                    .col(uuid(ReplyTokens::ReportId))
                    .col(timestamp_with_time_zone(ReplyTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ReplyTokens::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reply_tokens_report")
                            .from(ReplyTokens::Table, ReplyTokens::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let mut reply_to = string_null(Outbox::ReplyTo);
        manager.alter_table(Table::alter().table(Outbox::Table).add_column(&mut reply_to).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ReplyTokens::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ReportReplies::Table).to_owned()).await?;
        Ok(())
    }
}
