//! Webhook endpoints and their deliveries. A delivery is a sibling of the mail outbox's rows, with
//! the same lifecycle (queued, claimed with a lease, retried with the outbox's backoff, given up
//! after as many attempts): it has its own table because it carries an endpoint and a response
//! status instead of a recipient and a subject, and an endpoint's log is one indexed read.
//! Deliveries are written in the transaction of what they report (a report's commit, a status
//! change, an alert), so an event is queued exactly when its cause is stored.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::webhook_delivery::{self, Column, Model};
use super::entities::webhook_endpoint;
use super::outbox::{LEASE, MAX_ATTEMPTS, backoff};
use super::{StoreError, now};
use crate::domain::webhook::{EventType, parse_events_text};

/// An event to deliver to every endpoint of the manufacturer that takes its type.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub manufacturer_id: Uuid,
    pub event_type: EventType,
    /// The `data` object of the body.
    pub data: serde_json::Value,
    pub at: OffsetDateTime,
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Queues each event for every endpoint that takes it, in the caller's transaction. Returns the
/// number of deliveries queued.
pub async fn enqueue(db: &impl ConnectionTrait, events: &[NewEvent]) -> Result<usize, StoreError> {
    if events.is_empty() {
        return Ok(0);
    }
    let mut manufacturers: Vec<Uuid> = events.iter().map(|e| e.manufacturer_id).collect();
    manufacturers.sort_unstable();
    manufacturers.dedup();
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::ManufacturerId.is_in(manufacturers))
        .all(db)
        .await?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let at = now();
    let mut rows = Vec::new();
    for event in events {
        let body = serde_json::json!({
            "type": event.event_type.as_str(),
            "timestamp": rfc3339(event.at),
            "data": event.data,
        })
        .to_string();
        for ep in endpoints.iter().filter(|ep| {
            ep.manufacturer_id == event.manufacturer_id && parse_events_text(&ep.events).contains(&event.event_type)
        }) {
            rows.push(webhook_delivery::ActiveModel {
                id: Set(Uuid::now_v7()),
                endpoint_id: Set(ep.id),
                manufacturer_id: Set(ep.manufacturer_id),
                event_type: Set(event.event_type.as_str().to_owned()),
                payload: Set(body.clone()),
                status: Set("queued".to_owned()),
                attempts: Set(0),
                next_attempt_at: Set(at),
                claimed_until: Set(None),
                last_error: Set(None),
                response_status: Set(None),
                created_at: Set(at),
                delivered_at: Set(None),
            });
        }
    }
    let n = rows.len();
    for chunk in rows.chunks(200) {
        webhook_delivery::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(db).await?;
    }
    Ok(n)
}

pub async fn create_endpoint(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    url: &str,
    events: &str,
    secret: &str,
) -> Result<webhook_endpoint::Model, StoreError> {
    let id = Uuid::now_v7();
    webhook_endpoint::Entity::insert(webhook_endpoint::ActiveModel {
        id: Set(id),
        manufacturer_id: Set(manufacturer_id),
        url: Set(url.to_owned()),
        events: Set(events.to_owned()),
        secret: Set(secret.to_owned()),
        created_at: Set(now()),
    })
    .exec_without_returning(db)
    .await?;
    webhook_endpoint::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound)
}

pub async fn endpoints(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
) -> Result<Vec<webhook_endpoint::Model>, StoreError> {
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::ManufacturerId.eq(manufacturer_id))
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .all(db)
        .await?)
}

/// One endpoint of this manufacturer (another manufacturer's is not found).
pub async fn endpoint(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
) -> Result<webhook_endpoint::Model, StoreError> {
    webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::ManufacturerId.eq(manufacturer_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Deletes the endpoint and its log; deliveries still queued for it go with it.
pub async fn delete_endpoint(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<(), StoreError> {
    let txn = super::begin_write(db).await?;
    let found = webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::ManufacturerId.eq(manufacturer_id))
        .one(&txn)
        .await?;
    if found.is_none() {
        return Err(StoreError::NotFound);
    }
    // Explicitly, since SQLite enforces ON DELETE CASCADE only with foreign keys on.
    webhook_delivery::Entity::delete_many().filter(Column::EndpointId.eq(id)).exec(&txn).await?;
    webhook_endpoint::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// An endpoint's deliveries, newest first.
pub async fn deliveries(db: &DatabaseConnection, endpoint_id: Uuid, limit: u64) -> Result<Vec<Model>, StoreError> {
    Ok(webhook_delivery::Entity::find()
        .filter(Column::EndpointId.eq(endpoint_id))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

fn claimable(at: OffsetDateTime) -> Condition {
    Condition::any()
        .add(Condition::all().add(Column::Status.eq("queued")).add(Column::NextAttemptAt.lte(at)))
        .add(Condition::all().add(Column::Status.eq("sending")).add(Column::ClaimedUntil.lt(at)))
}

/// A claimed delivery with where it goes.
pub struct Claimed {
    pub delivery: Model,
    pub url: String,
    pub secret: String,
}

/// Claims up to `limit` deliveries due at `at`, exactly like the mail outbox: each row by exactly one
/// caller (a conditional UPDATE), whatever the number of processes.
pub async fn claim(db: &DatabaseConnection, limit: u64, at: OffsetDateTime) -> Result<Vec<Claimed>, StoreError> {
    let candidates: Vec<Uuid> = webhook_delivery::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(claimable(at))
        .order_by_asc(Column::NextAttemptAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let mut endpoints: BTreeMap<Uuid, Option<webhook_endpoint::Model>> = BTreeMap::new();
    let mut claimed = Vec::new();
    for id in candidates {
        let done = webhook_delivery::Entity::update_many()
            .col_expr(Column::Status, Expr::value("sending"))
            .col_expr(Column::ClaimedUntil, Expr::value(at + LEASE))
            .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
            .filter(Column::Id.eq(id))
            .filter(claimable(at))
            .exec(db)
            .await?;
        if done.rows_affected != 1 {
            continue;
        }
        let Some(row) = webhook_delivery::Entity::find_by_id(id).one(db).await? else { continue };
        let endpoint = match endpoints.get(&row.endpoint_id) {
            Some(e) => e.clone(),
            None => {
                let e = webhook_endpoint::Entity::find_by_id(row.endpoint_id).one(db).await?;
                endpoints.insert(row.endpoint_id, e.clone());
                e
            }
        };
        // The endpoint was deleted meanwhile: its deliveries went with it.
        if let Some(ep) = endpoint {
            claimed.push(Claimed { delivery: row, url: ep.url, secret: ep.secret });
        }
    }
    Ok(claimed)
}

pub async fn mark_delivered(
    db: &DatabaseConnection,
    id: Uuid,
    status: u16,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    webhook_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value("delivered"))
        .col_expr(Column::DeliveredAt, Expr::value(at))
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<OffsetDateTime>::None))
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .col_expr(Column::ResponseStatus, Expr::value(i32::from(status)))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: queued again after the outbox's backoff, or given up after as many
/// attempts as a mail.
pub async fn mark_failed(
    db: &DatabaseConnection,
    row: &Model,
    error: &str,
    status: Option<u16>,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let give_up = row.attempts >= MAX_ATTEMPTS;
    webhook_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value(if give_up { "failed" } else { "queued" }))
        .col_expr(Column::NextAttemptAt, Expr::value(at + backoff(row.attempts)))
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<OffsetDateTime>::None))
        .col_expr(Column::LastError, Expr::value(error.chars().take(2000).collect::<String>()))
        .col_expr(Column::ResponseStatus, Expr::value(status.map(i32::from)))
        .filter(Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(())
}
