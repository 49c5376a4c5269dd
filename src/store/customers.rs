//! A customer's personal data across the tables that hold it, found by their address: read for an
//! export, erased on request or when a retention limit passes, and the limits themselves.
//!
//! What is personal here: the address (`reports.email`, the recipient of mails to the customer), what
//! they wrote (`reports.comment`, the conversation in `report_replies`) and their photos
//! (`report_photos` and the files). What stays is what statistics are made of (kind, category,
//! rating, lot, dates) and the rollups, which never held any of it.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{
    outbox_message, privacy_setting, reply_token, report, report_photo, report_reply, webhook_delivery,
};
use super::{StoreError, begin_write, now};
use crate::domain::retention::Retention;

/// Ids are handed to `IN (...)` in pieces of this many (SQLite allows 32,766 parameters).
const CHUNK: usize = 500;

/// What one erasure removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    /// Reports whose address, comment, conversation and photos were removed (the reports stay).
    pub reports: u64,
    pub replies: u64,
    pub photos: u64,
    /// Mails to the customer: not yet sent (deleted) and sent (their address and text removed).
    pub mails: u64,
    /// Photo files to remove from the data folder once the transaction has committed.
    #[serde(skip)]
    pub files: Vec<String>,
}

fn email_is(col: report::Column, email: &str) -> sea_orm::sea_query::Expr {
    // Addresses are stored as typed; a person asking to be erased may type theirs in another case.
    Expr::expr(Func::lower(Expr::col(col))).eq(email.trim().to_lowercase())
}

/// Every report left with `email`, of one manufacturer or (the operator) of all, oldest first.
pub async fn reports_of(
    db: &DatabaseConnection,
    manufacturer: Option<Uuid>,
    email: &str,
) -> Result<Vec<report::Model>, StoreError> {
    let mut q = report::Entity::find().filter(email_is(report::Column::Email, email));
    if let Some(m) = manufacturer {
        q = q.filter(report::Column::ManufacturerId.eq(m));
    }
    let mut rows = q.all(db).await?;
    rows.sort_by_key(|r| (r.created_at, r.id));
    Ok(rows)
}

/// The conversations of `reports`, oldest first per report.
pub async fn replies_of(
    db: &DatabaseConnection,
    reports: &[Uuid],
) -> Result<HashMap<Uuid, Vec<report_reply::Model>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<report_reply::Model>> = HashMap::new();
    for chunk in reports.chunks(CHUNK) {
        let rows =
            report_reply::Entity::find().filter(report_reply::Column::ReportId.is_in(chunk.to_vec())).all(db).await?;
        for r in rows {
            out.entry(r.report_id).or_default().push(r);
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|r| (r.created_at, r.id));
    }
    Ok(out)
}

/// Erases the customer `email` from the reports `ids` and from the mails sent or to be sent to them
/// (of `manufacturer`, or of everyone), in one transaction: the address, the comment, the
/// conversation, the private reply links and the photo rows. The reports keep what statistics are
/// made of, and the rollups are not touched, so every number stays as it was.
pub async fn erase(
    db: &DatabaseConnection,
    manufacturer: Option<Uuid>,
    email: &str,
    ids: &[Uuid],
) -> Result<Erased, StoreError> {
    let txn = begin_write(db).await?;
    let mut erased = Erased::default();
    for chunk in ids.chunks(CHUNK) {
        let chunk = chunk.to_vec();
        let photos =
            report_photo::Entity::find().filter(report_photo::Column::ReportId.is_in(chunk.clone())).all(&txn).await?;
        erased.photos += photos.len() as u64;
        erased.files.extend(photos.into_iter().flat_map(|p| [p.path, p.thumb_path]));
        report_photo::Entity::delete_many()
            .filter(report_photo::Column::ReportId.is_in(chunk.clone()))
            .exec(&txn)
            .await?;
        erased.replies += report_reply::Entity::delete_many()
            .filter(report_reply::Column::ReportId.is_in(chunk.clone()))
            .exec(&txn)
            .await?
            .rows_affected;
        reply_token::Entity::delete_many()
            .filter(reply_token::Column::ReportId.is_in(chunk.clone()))
            .exec(&txn)
            .await?;
        erased.reports += report::Entity::update_many()
            .col_expr(report::Column::Email, Expr::value(Option::<String>::None))
            .col_expr(report::Column::Comment, Expr::value(String::new()))
            .col_expr(report::Column::CommentFolded, Expr::value(String::new()))
            // The de-duplication key hashed the address with the rest of the form.
            .col_expr(report::Column::Fingerprint, Expr::value(Option::<String>::None))
            .filter(report::Column::Id.is_in(chunk))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    erased.mails = erase_mails(&txn, manufacturer, email).await?;
    for id in ids {
        erase_webhook_comment(&txn, *id).await?;
    }
    txn.commit().await?;
    Ok(erased)
}

/// `report.created` carries the comment (never the address): the copies queued, and the log of
/// those delivered, lose it. What a receiver already got is the receiver's to erase.
async fn erase_webhook_comment(conn: &impl ConnectionTrait, report_id: Uuid) -> Result<(), StoreError> {
    let rows = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EventType.eq("report.created"))
        .filter(webhook_delivery::Column::Payload.contains(format!("\"id\":\"{report_id}\"")))
        .all(conn)
        .await?;
    for row in rows {
        let Ok(mut body) = serde_json::from_str::<serde_json::Value>(&row.payload) else { continue };
        if body["data"]["id"] != serde_json::json!(report_id) {
            continue;
        }
        body["data"]["comment"] = serde_json::Value::String(String::new());
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Payload, Expr::value(body.to_string()))
            .filter(webhook_delivery::Column::Id.eq(row.id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Mails to `email`: those not sent yet are deleted (an answer to an erased report must not go
/// out); those sent keep their row for the outbox log, without the address or the text.
async fn erase_mails(conn: &impl ConnectionTrait, manufacturer: Option<Uuid>, email: &str) -> Result<u64, StoreError> {
    let to = || {
        let recipient = Expr::expr(Func::lower(Expr::col(outbox_message::Column::Recipient)));
        let mut c = sea_orm::Condition::all().add(recipient.eq(email.trim().to_lowercase()));
        if let Some(m) = manufacturer {
            c = c.add(outbox_message::Column::ManufacturerId.eq(m));
        }
        c
    };
    let deleted = outbox_message::Entity::delete_many()
        .filter(to())
        .filter(outbox_message::Column::Status.ne("sent"))
        .exec(conn)
        .await?
        .rows_affected;
    let scrubbed = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::Recipient, Expr::value("erased"))
        .col_expr(outbox_message::Column::Subject, Expr::value(String::new()))
        .col_expr(outbox_message::Column::TextBody, Expr::value(String::new()))
        .col_expr(outbox_message::Column::HtmlBody, Expr::value(Option::<String>::None))
        .col_expr(outbox_message::Column::ReplyTo, Expr::value(Option::<String>::None))
        .filter(to())
        .filter(outbox_message::Column::Status.eq("sent"))
        .exec(conn)
        .await?
        .rows_affected;
    Ok(deleted + scrubbed)
}

/// A manufacturer's limits (the defaults without a row).
pub async fn retention(db: &impl ConnectionTrait, manufacturer: Uuid) -> Result<Retention, StoreError> {
    Ok(match privacy_setting::Entity::find_by_id(manufacturer).one(db).await? {
        Some(row) => Retention {
            email_retention_months: u16::try_from(row.email_retention_months).unwrap_or(u16::MAX),
            text_retention_months: row.text_retention_months.map(|m| u16::try_from(m).unwrap_or(u16::MAX)),
        },
        None => Retention::default(),
    })
}

pub async fn set_retention(db: &DatabaseConnection, manufacturer: Uuid, r: Retention) -> Result<(), StoreError> {
    let row = privacy_setting::ActiveModel {
        manufacturer_id: Set(manufacturer),
        email_retention_months: Set(i32::from(r.email_retention_months)),
        text_retention_months: Set(r.text_retention_months.map(i32::from)),
        updated_at: Set(now()),
    };
    let txn = db.begin().await?;
    privacy_setting::Entity::delete_by_id(manufacturer).exec(&txn).await?;
    privacy_setting::Entity::insert(row).exec_without_returning(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// One page of the addresses whose retention has run out (see [`expired_addresses`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpiredPage {
    /// Each address due for erasure (folded to lower case) with its reports.
    pub addresses: Vec<(String, Vec<Uuid>)>,
    /// The last address this page looked at, due or not: where the next page starts. `None` when
    /// nothing was left to look at.
    pub next: Option<String>,
}

/// The manufacturer's addresses (compared in lower case) whose last contact, their newest report or
/// message, is before `cutoff`, in address order after `after`, looking at up to `limit` addresses.
/// Only an address with a report older than the cutoff can be due, so the candidates come from that
/// range of reports alone, and each candidate's reports are found by the index on the folded
/// address: a run reads what may be due, not every report that has an address.
pub async fn expired_addresses(
    db: &DatabaseConnection,
    manufacturer: Uuid,
    cutoff: OffsetDateTime,
    after: Option<&str>,
    limit: u64,
) -> Result<ExpiredPage, StoreError> {
    let cutoff = cutoff.to_offset(time::UtcOffset::UTC);
    // The same expression as `ix_reports_manufacturer_email`, so that index answers it.
    let folded = || Expr::expr(Func::lower(Expr::col(report::Column::Email)));
    let mut q = report::Entity::find()
        .select_only()
        .column_as(folded(), "address")
        .distinct()
        .filter(report::Column::ManufacturerId.eq(manufacturer))
        .filter(report::Column::CreatedAt.lt(cutoff))
        .filter(report::Column::Email.is_not_null())
        .filter(report::Column::Email.ne(""));
    if let Some(after) = after {
        q = q.filter(folded().gt(after));
    }
    let candidates: Vec<String> = q.order_by_asc(folded()).limit(limit).into_tuple().all(db).await?;
    let Some(next) = candidates.last().cloned() else { return Ok(ExpiredPage::default()) };
    let rows: Vec<(Uuid, String, OffsetDateTime)> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .column_as(folded(), "address")
        .column(report::Column::CreatedAt)
        .filter(report::Column::ManufacturerId.eq(manufacturer))
        .filter(folded().is_in(candidates))
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let mut last_message: HashMap<Uuid, OffsetDateTime> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let replies: Vec<(Uuid, Option<OffsetDateTime>)> = report_reply::Entity::find()
            .select_only()
            .column(report_reply::Column::ReportId)
            .column_as(report_reply::Column::CreatedAt.max(), "last")
            .filter(report_reply::Column::ReportId.is_in(chunk.to_vec()))
            .group_by(report_reply::Column::ReportId)
            .into_tuple()
            .all(db)
            .await?;
        last_message.extend(replies.into_iter().filter_map(|(report, at)| Some((report, at?))));
    }
    let mut by_address: BTreeMap<String, (OffsetDateTime, Vec<Uuid>)> = BTreeMap::new();
    for (id, address, created_at) in rows {
        let last = last_message.get(&id).map_or(created_at, |m| Ord::max(*m, created_at));
        let e = by_address.entry(address).or_insert((last, Vec::new()));
        e.0 = Ord::max(e.0, last);
        e.1.push(id);
    }
    let addresses =
        by_address.into_iter().filter(|(_, (last, _))| *last < cutoff).map(|(a, (_, ids))| (a, ids)).collect();
    Ok(ExpiredPage { addresses, next: Some(next) })
}

/// Removes `email` from the reports `ids` and from the manufacturer's mails to it: the address only
/// (the retention of addresses); what the customer wrote follows the text limit.
pub async fn erase_address(
    db: &DatabaseConnection,
    manufacturer: Uuid,
    email: &str,
    ids: &[Uuid],
) -> Result<u64, StoreError> {
    let txn = begin_write(db).await?;
    let mut n = 0;
    for chunk in ids.chunks(CHUNK) {
        reply_token::Entity::delete_many()
            .filter(reply_token::Column::ReportId.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
        n += report::Entity::update_many()
            .col_expr(report::Column::Email, Expr::value(Option::<String>::None))
            .col_expr(report::Column::Fingerprint, Expr::value(Option::<String>::None))
            .filter(report::Column::Id.is_in(chunk.to_vec()))
            .filter(report::Column::ManufacturerId.eq(manufacturer))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    erase_mails(&txn, Some(manufacturer), email).await?;
    txn.commit().await?;
    Ok(n)
}

/// Erases what customers wrote on `manufacturer`'s reports made before `cutoff`: comments and the
/// conversation. Returns how many comments and how many messages were erased.
pub async fn erase_text_before(
    db: &DatabaseConnection,
    manufacturer: Uuid,
    cutoff: OffsetDateTime,
) -> Result<(u64, u64), StoreError> {
    let cutoff = cutoff.to_offset(time::UtcOffset::UTC);
    let old: Vec<Uuid> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .filter(report::Column::ManufacturerId.eq(manufacturer))
        .filter(report::Column::CreatedAt.lt(cutoff))
        .into_tuple()
        .all(db)
        .await?;
    let txn = begin_write(db).await?;
    let (mut comments, mut messages) = (0, 0);
    for chunk in old.chunks(CHUNK) {
        comments += report::Entity::update_many()
            .col_expr(report::Column::Comment, Expr::value(String::new()))
            .col_expr(report::Column::CommentFolded, Expr::value(String::new()))
            .filter(report::Column::Id.is_in(chunk.to_vec()))
            .filter(report::Column::Comment.ne(""))
            .exec(&txn)
            .await?
            .rows_affected;
        messages += report_reply::Entity::delete_many()
            .filter(report_reply::Column::ReportId.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    txn.commit().await?;
    Ok((comments, messages))
}
