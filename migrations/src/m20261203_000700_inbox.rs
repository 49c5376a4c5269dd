//! The inbox: statuses new / in progress / resolved / won't fix (the old triage states mapped onto
//! them), assignment to a member, internal notes, the history of every change, and a case-folded copy
//! of the comment for text search (SQLite's `lower()` folds ASCII only, so Cyrillic needs it).

use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ManufacturerId,
    AssigneeId,
    Comment,
    CommentFolded,
}

#[derive(DeriveIden)]
enum ReportNotes {
    Table,
    Id,
    ReportId,
    AuthorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReportEvents {
    Table,
    Id,
    ReportId,
    ActorId,
    Kind,
    FromValue,
    ToValue,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

/// Old triage state -> new status. Kept here as data: a released migration never changes, even if
/// the domain's names do.
const STATUS_MAP: [(&str, &str); 3] = [("triaged", "in_progress"), ("answered", "in_progress"), ("closed", "resolved")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new) in STATUS_MAP {
            let update = Query::update()
                .table(Reports::Table)
                .value(Alias::new("status"), new)
                .and_where(Expr::col(Alias::new("status")).eq(old))
                .to_owned();
            manager.exec_stmt(update).await?;
        }

        let mut assignee = uuid_null(Reports::AssigneeId);
        manager.alter_table(Table::alter().table(Reports::Table).add_column(&mut assignee).to_owned()).await?;
        let mut folded = text(Reports::CommentFolded);
        folded.default("");
        manager.alter_table(Table::alter().table(Reports::Table).add_column(&mut folded).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reports_manufacturer_assignee")
                    .table(Reports::Table)
                    .col(Reports::ManufacturerId)
                    .col(Reports::AssigneeId)
                    .to_owned(),
            )
            .await?;
        backfill_folded(manager).await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportNotes::Table)
                    .col(uuid(ReportNotes::Id).primary_key())
                    .col(uuid(ReportNotes::ReportId))
                    // Null once the author is no longer a member: the note stays.
                    .col(uuid_null(ReportNotes::AuthorId))
                    .col(text(ReportNotes::Body))
                    .col(timestamp_with_time_zone(ReportNotes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_notes_report")
                            .from(ReportNotes::Table, ReportNotes::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_notes_author")
                            .from(ReportNotes::Table, ReportNotes::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_notes_report")
                    .table(ReportNotes::Table)
                    .col(ReportNotes::ReportId)
                    .col(ReportNotes::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportEvents::Table)
                    .col(uuid(ReportEvents::Id).primary_key())
                    .col(uuid(ReportEvents::ReportId))
                    .col(uuid_null(ReportEvents::ActorId))
                    .col(string_len(ReportEvents::Kind, 16))
                    .col(string_len_null(ReportEvents::FromValue, 64))
                    .col(string_len_null(ReportEvents::ToValue, 64))
                    .col(timestamp_with_time_zone(ReportEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_events_report")
                            .from(ReportEvents::Table, ReportEvents::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_events_actor")
                            .from(ReportEvents::Table, ReportEvents::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_events_report")
                    .table(ReportEvents::Table)
                    .col(ReportEvents::ReportId)
                    .col(ReportEvents::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ReportEvents::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ReportNotes::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("ix_reports_manufacturer_assignee").table(Reports::Table).to_owned())
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE reports DROP COLUMN assignee_id").await?;
        db.execute_unprepared("ALTER TABLE reports DROP COLUMN comment_folded").await?;
        for (old, new) in [("triaged", "in_progress"), ("closed", "resolved"), ("closed", "wont_fix")] {
            let update = Query::update()
                .table(Reports::Table)
                .value(Alias::new("status"), old)
                .and_where(Expr::col(Alias::new("status")).eq(new))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        Ok(())
    }
}

/// `comment_folded` = the comment in lower case, as Rust folds it (Unicode, the same function the
/// application uses when it writes a report). `lower()` is right for ASCII on both databases; the
/// other comments are folded here, one distinct text at a time.
async fn backfill_folded(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared("UPDATE reports SET comment_folded = lower(comment)").await?;
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT DISTINCT comment FROM reports"))
        .await?;
    for row in rows {
        let comment: String = row.try_get("", "comment")?;
        if comment.is_ascii() {
            continue;
        }
        let update = Query::update()
            .table(Reports::Table)
            .value(Reports::CommentFolded, comment.to_lowercase())
            .and_where(Expr::col(Reports::Comment).eq(comment))
            .to_owned();
        manager.exec_stmt(update).await?;
    }
    Ok(())
}
