//! Replies to customers and their answers, and the private links (`/r/{token}`, `reply+{token}@`)
//! through which a customer answers without an account.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::entities::{reply_token, report, report_reply};
use super::{StoreError, hash_token, new_token, now};
use crate::domain::ReportStatus;

/// How long a customer can answer through a reply's link or address.
pub const LINK_VALID_FOR: Duration = Duration::days(30);

/// A token for one report's answer page and reply address.
pub async fn create_token(conn: &impl ConnectionTrait, report_id: Uuid) -> Result<String, StoreError> {
    // Shorter than an API token: it goes into an email address's local part.
    let token = new_token().trim_start_matches("sbk_").chars().take(32).collect::<String>();
    let at = now();
    reply_token::Entity::insert(reply_token::ActiveModel {
        token_hash: Set(hash_token(&token)),
        report_id: Set(report_id),
        created_at: Set(at),
        expires_at: Set(at + LINK_VALID_FOR),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(token)
}

pub enum TokenState {
    Live(Uuid),
    Expired,
    Unknown,
}

pub async fn token_state(db: &DatabaseConnection, token: &str) -> Result<TokenState, StoreError> {
    Ok(match reply_token::Entity::find_by_id(hash_token(token)).one(db).await? {
        Some(t) if t.expires_at > now() => TokenState::Live(t.report_id),
        Some(_) => TokenState::Expired,
        None => TokenState::Unknown,
    })
}

/// Records a reply sent (its outbox mail already queued in the same transaction) and moves the
/// report to `status`.
pub async fn record_sent(
    conn: &impl ConnectionTrait,
    report_id: Uuid,
    author: Uuid,
    body: &str,
    outbox_id: Uuid,
    status: ReportStatus,
) -> Result<(), StoreError> {
    let at = now();
    report_reply::Entity::insert(report_reply::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(report_id),
        direction: Set("out".to_owned()),
        author_id: Set(Some(author)),
        body: Set(body.to_owned()),
        channel: Set(None),
        outbox_id: Set(Some(outbox_id)),
        created_at: Set(at),
    })
    .exec_without_returning(conn)
    .await?;
    super::reports::stamp_first_response(conn, report_id, at).await?;
    report::Entity::update_many()
        .col_expr(report::Column::Status, Expr::value(status.as_str()))
        .filter(report::Column::Id.eq(report_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Records a customer's answer (`channel`: `link` or `mail`).
pub async fn record_answer(
    db: &DatabaseConnection,
    report_id: Uuid,
    body: &str,
    channel: &str,
) -> Result<(), StoreError> {
    report_reply::Entity::insert(report_reply::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(report_id),
        direction: Set("in".to_owned()),
        author_id: Set(None),
        body: Set(body.to_owned()),
        channel: Set(Some(channel.to_owned())),
        outbox_id: Set(None),
        created_at: Set(now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A report's conversation, oldest first.
pub async fn for_report(db: &DatabaseConnection, report_id: Uuid) -> Result<Vec<report_reply::Model>, StoreError> {
    Ok(report_reply::Entity::find()
        .filter(report_reply::Column::ReportId.eq(report_id))
        .order_by_asc(report_reply::Column::CreatedAt)
        .all(db)
        .await?)
}

/// The report whose reply went out as outbox mail `outbox_id`, if the reply is recent enough to be
/// answered (the same 30 days as its link).
pub async fn report_of_mail(db: &DatabaseConnection, outbox_id: Uuid) -> Result<Option<Uuid>, StoreError> {
    let since: OffsetDateTime = now() - LINK_VALID_FOR;
    Ok(report_reply::Entity::find()
        .filter(report_reply::Column::OutboxId.eq(outbox_id))
        .filter(report_reply::Column::CreatedAt.gt(since))
        .one(db)
        .await?
        .map(|r| r.report_id))
}
