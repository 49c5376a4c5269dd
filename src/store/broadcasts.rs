//! Messages to everyone affected by a problem: who they go to, and the record that makes a second
//! click send nothing.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{broadcast, report};
use super::{StoreError, hash_token, now};
use crate::domain::Kind;

/// Each consenting customer (an email is only stored with consent) who reported `kind/category` on
/// the line in `[start, end)`, once per address, with the language of their latest report.
pub async fn recipients(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    line: Uuid,
    kind: Kind,
    category: &str,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows: Vec<(Option<String>, String)> = report::Entity::find()
        .select_only()
        .column(report::Column::Email)
        .column(report::Column::Locale)
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .filter(report::Column::ProductLineId.eq(line))
        .filter(report::Column::Kind.eq(kind.as_str()))
        .filter(report::Column::Category.eq(category))
        .filter(report::Column::Email.is_not_null())
        .filter(report::Column::CreatedAt.gte(start))
        .filter(report::Column::CreatedAt.lt(end))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<(String, String)> = Vec::new();
    for (email, locale) in rows {
        let Some(email) = email.map(|e| e.trim().to_lowercase()) else { continue };
        match out.iter_mut().find(|(e, _)| *e == email) {
            Some(existing) => existing.1 = locale,
            None => out.push((email, locale)),
        }
    }
    Ok(out)
}

pub struct NewBroadcast<'a> {
    pub manufacturer_id: Uuid,
    pub line: Uuid,
    pub topic: &'a str,
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
    pub message: &'a str,
    pub recipients: i32,
    pub created_by: Uuid,
}

/// Records the broadcast; `Conflict` when the same message for the same reports was sent before.
pub async fn record(conn: &impl ConnectionTrait, b: NewBroadcast<'_>) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    broadcast::Entity::insert(broadcast::ActiveModel {
        id: Set(id),
        manufacturer_id: Set(b.manufacturer_id),
        product_line_id: Set(b.line),
        topic: Set(b.topic.to_owned()),
        period_start: Set(b.start),
        period_end: Set(b.end),
        message_hash: Set(hash_token(b.message)),
        message: Set(b.message.to_owned()),
        recipients: Set(b.recipients),
        created_by: Set(b.created_by),
        created_at: Set(now()),
    })
    .exec_without_returning(conn)
    .await
    .map_err(|e| StoreError::from_insert(e, "already sent"))?;
    Ok(id)
}

/// The earlier broadcast of the same message, for saying how many it reached.
pub async fn earlier(
    db: &DatabaseConnection,
    line: Uuid,
    topic: &str,
    start: OffsetDateTime,
    end: OffsetDateTime,
    message: &str,
) -> Result<Option<broadcast::Model>, StoreError> {
    Ok(broadcast::Entity::find()
        .filter(broadcast::Column::ProductLineId.eq(line))
        .filter(broadcast::Column::Topic.eq(topic))
        .filter(broadcast::Column::PeriodStart.eq(start))
        .filter(broadcast::Column::PeriodEnd.eq(end))
        .filter(broadcast::Column::MessageHash.eq(hash_token(message)))
        .one(db)
        .await?)
}
