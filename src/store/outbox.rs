//! The outbox: every mail scanback sends is a row here first. A deliverer claims due rows with a
//! lease, sends them, and marks them sent; a failure is retried with exponential backoff. The
//! Message-ID comes from the row id, so a retry is the same message. The one window for a duplicate
//! is a crash between the SMTP server's acceptance and the "sent" mark: the lease then expires and
//! the row is sent again, with the same Message-ID.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::entities::outbox_message::{self, Column, Model};
use super::{StoreError, now};

/// How long a claim lasts before another deliverer may take the row over.
pub const LEASE: Duration = Duration::minutes(5);
/// Attempts before a message is given up (about a day and a half of retries).
pub const MAX_ATTEMPTS: i32 = 12;

/// A mail to send.
#[derive(Clone, Debug)]
pub struct NewMail {
    /// What it is (`password_reset`, `lockout`, `invitation`, `reply`, `digest`, ...), for the log.
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    pub from_name: Option<String>,
    pub reply_to: Option<String>,
    /// Extra headers (List-Unsubscribe and List-Unsubscribe-Post on digests).
    pub headers: Vec<(String, String)>,
    /// The manufacturer the mail belongs to, so `GET /api/v1/outbox` shows it to them.
    pub manufacturer_id: Option<Uuid>,
}

pub async fn enqueue(db: &impl sea_orm::ConnectionTrait, mail: NewMail) -> Result<Uuid, StoreError> {
    enqueue_at(db, mail, now()).await
}

/// Queues a mail due at `at` (a run acting as of another instant, `digest run --at`, queues it then).
pub async fn enqueue_at(
    db: &impl sea_orm::ConnectionTrait,
    mail: NewMail,
    at: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let headers = if mail.headers.is_empty() {
        None
    } else {
        let map: serde_json::Map<String, serde_json::Value> =
            mail.headers.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect();
        Some(serde_json::Value::Object(map).to_string())
    };
    outbox_message::Entity::insert(outbox_message::ActiveModel {
        id: Set(id),
        kind: Set(mail.kind.to_owned()),
        recipient: Set(mail.recipient),
        subject: Set(mail.subject),
        text_body: Set(mail.text_body),
        html_body: Set(mail.html_body),
        from_name: Set(mail.from_name),
        status: Set("queued".to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        claimed_until: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
        reply_to: Set(mail.reply_to),
        headers: Set(headers),
        manufacturer_id: Set(mail.manufacturer_id),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

fn claimable(at: OffsetDateTime) -> Condition {
    Condition::any()
        .add(Condition::all().add(Column::Status.eq("queued")).add(Column::NextAttemptAt.lte(at)))
        .add(Condition::all().add(Column::Status.eq("sending")).add(Column::ClaimedUntil.lt(at)))
}

/// Claims up to `limit` due messages for this deliverer. A row is claimed by exactly one caller (a
/// conditional UPDATE), whatever the number of processes.
pub async fn claim(db: &DatabaseConnection, limit: u64) -> Result<Vec<Model>, StoreError> {
    claim_at(db, limit, now()).await
}

/// [`claim`] with the clock given: `digest run --at` delivers as of its instant, so that retries and
/// backoff follow simulated time in tests and catch-up runs.
pub async fn claim_at(db: &DatabaseConnection, limit: u64, at: OffsetDateTime) -> Result<Vec<Model>, StoreError> {
    let candidates: Vec<Uuid> = outbox_message::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(claimable(at))
        .order_by_asc(Column::NextAttemptAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for id in candidates {
        let done = outbox_message::Entity::update_many()
            .col_expr(Column::Status, Expr::value("sending"))
            .col_expr(Column::ClaimedUntil, Expr::value(at + LEASE))
            .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
            .filter(Column::Id.eq(id))
            .filter(claimable(at))
            .exec(db)
            .await?;
        if done.rows_affected == 1
            && let Some(row) = outbox_message::Entity::find_by_id(id).one(db).await?
        {
            claimed.push(row);
        }
    }
    Ok(claimed)
}

pub async fn mark_sent(db: &DatabaseConnection, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
    outbox_message::Entity::update_many()
        .col_expr(Column::Status, Expr::value("sent"))
        .col_expr(Column::SentAt, Expr::value(at))
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<OffsetDateTime>::None))
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The wait before attempt `attempts + 1`: a minute, doubling, at most six hours.
pub fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let minutes = 1i64 << std::cmp::min(exp, 9);
    std::cmp::min(Duration::minutes(minutes), Duration::hours(6))
}

/// Records a failed attempt: queued again after the backoff, or given up after [`MAX_ATTEMPTS`].
pub async fn mark_failed(
    db: &DatabaseConnection,
    row: &Model,
    error: &str,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let give_up = row.attempts >= MAX_ATTEMPTS;
    outbox_message::Entity::update_many()
        .col_expr(Column::Status, Expr::value(if give_up { "failed" } else { "queued" }))
        .col_expr(Column::NextAttemptAt, Expr::value(at + backoff(row.attempts)))
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<OffsetDateTime>::None))
        .col_expr(Column::LastError, Expr::value(error.chars().take(2000).collect::<String>()))
        .filter(Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(())
}

/// The newest messages, for the operator and the API.
pub async fn recent(db: &DatabaseConnection, limit: u64) -> Result<Vec<Model>, StoreError> {
    Ok(outbox_message::Entity::find().order_by_desc(Column::CreatedAt).limit(limit).all(db).await?)
}

/// The newest messages of one manufacturer, newest first.
pub async fn recent_for(db: &DatabaseConnection, manufacturer_id: Uuid, limit: u64) -> Result<Vec<Model>, StoreError> {
    Ok(outbox_message::Entity::find()
        .filter(Column::ManufacturerId.eq(manufacturer_id))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(5), Duration::minutes(16));
        assert_eq!(backoff(12), Duration::hours(6));
    }
}
