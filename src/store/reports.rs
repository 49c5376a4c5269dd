//! Customer reports.

use std::collections::HashMap;

use futures_util::{Stream, StreamExt};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DerivePartialModel, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

use super::entities::report::{self, Model};
use super::entities::report_photo;
use super::report_writer::NewReport;
use super::webhooks::NewEvent;
use super::{StoreError, now};
use crate::domain::rollup::Fact;
use crate::domain::webhook::EventType;
use crate::domain::zone::Routing;
use crate::domain::{Cursor, Kind, Locale, NewFeedback, ReportStatus};

fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// A photo already written to the data directory.
pub struct StoredPhoto {
    pub path: String,
    pub thumb_path: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// The rows for one report, ready for the [`super::report_writer::ReportWriter`].
pub fn build(
    id: Uuid,
    manufacturer_id: Uuid,
    line_id: Uuid,
    feedback: &NewFeedback,
    locale: Locale,
    fingerprint: Option<String>,
    photos: Vec<StoredPhoto>,
) -> NewReport {
    let created_at = now();
    let fact = Fact {
        product_line_id: line_id,
        manufacturer_id,
        created_at,
        kind: feedback.kind,
        category: feedback.category.clone().filter(|c| !c.is_empty()),
        lot: feedback.lot.clone().filter(|l| !l.is_empty()),
        rating: feedback.rating.get(),
        recommend: feedback.recommend,
    };
    let report = report::ActiveModel {
        id: Set(id),
        product_line_id: Set(line_id),
        manufacturer_id: Set(manufacturer_id),
        kind: Set(feedback.kind.as_str().to_owned()),
        rating: Set(i16::from(feedback.rating.get())),
        comment: Set(feedback.comment.clone()),
        email: Set(feedback.email.as_ref().map(|e| e.as_str().to_owned())),
        lot: Set(feedback.lot.clone()),
        locale: Set(locale.tag().to_owned()),
        status: Set("new".to_owned()),
        created_at: Set(created_at),
        category: Set(feedback.category.clone()),
        nps: Set(feedback.recommend.map(i16::from)),
        usage_period: Set(feedback.usage.map(str::to_owned)),
        serial: Set(feedback.serial.clone()),
        fingerprint: Set(fingerprint),
        assignee_id: Set(None),
        comment_folded: Set(feedback.comment.to_lowercase()),
        consent_text: Set(None),
        consent_locale: Set(None),
        // The classifier job fills these after the commit (its queue: `suggested_at` is NULL).
        suggested_category: Set(None),
        suggestion_permille: Set(None),
        suggested_at: Set(None),
        category_source: Set(None),
        first_response_at: Set(None),
    };
    let photos = photos
        .into_iter()
        .enumerate()
        .map(|(i, p)| report_photo::ActiveModel {
            id: Set(Uuid::now_v7()),
            report_id: Set(id),
            position: Set(i as i16),
            path: Set(p.path),
            thumb_path: Set(p.thumb_path),
            width: Set(p.width as i32),
            height: Set(p.height as i32),
            bytes: Set(p.bytes as i64),
            created_at: Set(created_at),
        })
        .collect();
    let event = NewEvent {
        manufacturer_id,
        event_type: EventType::ReportCreated,
        // No customer email: a webhook receiver is another system, and the address was given for an
        // answer from the manufacturer, not for forwarding.
        data: serde_json::json!({
            "id": id,
            "product_line_id": line_id,
            "kind": feedback.kind.as_str(),
            "category": feedback.category,
            "rating": feedback.rating.get(),
            "comment": feedback.comment,
            "lot": feedback.lot,
            "serial": feedback.serial,
            "has_email": feedback.email.is_some(),
            "created_at": rfc3339(created_at),
        }),
        at: created_at,
    };
    NewReport { report, photos, fact, event }
}

/// Seconds in one de-duplication window.
pub const DEDUPE_WINDOW_SECS: i64 = 600;

/// The keys under which a submission with this content fingerprint is stored now, and under which it
/// was stored in the previous window. The unique index on (line, key) stops two identical
/// submissions racing each other; checking the previous window too catches a resubmission just
/// after a window boundary.
pub fn dedupe_keys(fingerprint: &str, at: OffsetDateTime) -> [String; 2] {
    let window = at.unix_timestamp().div_euclid(DEDUPE_WINDOW_SECS);
    [format!("{fingerprint}:{window}"), format!("{fingerprint}:{}", window - 1)]
}

/// Whether the same submission from the same client was stored recently (a double tap, a form sent
/// again after a slow network).
pub async fn is_duplicate(db: &DatabaseConnection, line_id: Uuid, keys: &[String]) -> Result<bool, StoreError> {
    let n = report::Entity::find()
        .filter(report::Column::ProductLineId.eq(line_id))
        .filter(report::Column::Fingerprint.is_in(keys.iter().cloned()))
        .count(db)
        .await?;
    Ok(n > 0)
}

#[derive(Default)]
pub struct Filter {
    pub product_line: Option<Uuid>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub kind: Option<Kind>,
    pub category: Option<String>,
    pub lot: Option<String>,
    pub status: Option<ReportStatus>,
    /// Reports whose comment contains this text, compared case-insensitively (already folded with
    /// [`fold`]).
    pub text: Option<String>,
    /// Only reports with (true) or without (false) an email to answer.
    pub has_email: Option<bool>,
    pub suggestion: Option<SuggestionFilter>,
    /// Only the reports this zone owns (`domain::zone::Routing::owns`, as SQL).
    pub zone: Option<Routing>,
    /// At most this many rows from [`list`]; [`page`] takes its own limit and ignores this one.
    pub limit: Option<u64>,
}

/// The reports of one manufacturer that `filter` selects, newest first, ties broken by id: the one
/// order both [`list`] and [`page`] use, so a cursor continues exactly where a page ended.
fn filtered(manufacturer_id: Uuid, filter: &Filter) -> Select<report::Entity> {
    let mut q = report::Entity::find().filter(report::Column::ManufacturerId.eq(manufacturer_id));
    if let Some(line) = filter.product_line {
        q = q.filter(report::Column::ProductLineId.eq(line));
    }
    // In UTC, like every stored `created_at`: SQLite compares these as RFC 3339 text, so an instant
    // written with another offset would compare by its digits, not by the time it names.
    if let Some(since) = filter.since {
        q = q.filter(report::Column::CreatedAt.gte(since.to_offset(UtcOffset::UTC)));
    }
    if let Some(until) = filter.until {
        q = q.filter(report::Column::CreatedAt.lt(until.to_offset(UtcOffset::UTC)));
    }
    if let Some(kind) = filter.kind {
        q = q.filter(report::Column::Kind.eq(kind.as_str()));
    }
    if let Some(category) = &filter.category {
        q = q.filter(report::Column::Category.eq(category.as_str()));
    }
    if let Some(lot) = &filter.lot {
        q = q.filter(report::Column::Lot.eq(lot.as_str()));
    }
    if let Some(status) = filter.status {
        q = q.filter(report::Column::Status.eq(status.as_str()));
    }
    q = with_text_and_email(q, filter);
    q.order_by_desc(report::Column::CreatedAt).order_by_desc(report::Column::Id)
}

/// How text search folds case, at write time (`comment_folded`) and for the searched text alike:
/// Unicode lower case, so `РУЧКА` finds `ручка` on SQLite too, whose `lower()` folds ASCII only.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// Which suggestions a list keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestionFilter {
    /// Any report with a suggested category.
    Any,
    /// A suggestion below the confidence threshold: the reports a person should look at first.
    Unsure,
}

impl SuggestionFilter {
    pub fn parse(s: &str) -> Option<SuggestionFilter> {
        match s {
            "any" => Some(SuggestionFilter::Any),
            "unsure" => Some(SuggestionFilter::Unsure),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionFilter::Any => "any",
            SuggestionFilter::Unsure => "unsure",
        }
    }
}

/// The condition of [`Routing::owns`]: a category the zone owns, or, on a report without one, a
/// suggestion it owns; on the zone's lines, when it names some.
fn owned_by(zone: &Routing) -> Condition {
    let mut categories = Condition::any();
    for c in &zone.categories {
        let none = Condition::any().add(report::Column::Category.is_null()).add(report::Column::Category.eq(""));
        let suggested = Condition::all().add(none).add(report::Column::SuggestedCategory.eq(c.key.as_str()));
        let key = Condition::any().add(report::Column::Category.eq(c.key.as_str())).add(suggested);
        categories = categories.add(Condition::all().add(report::Column::Kind.eq(c.kind.as_str())).add(key));
    }
    if zone.categories.is_empty() {
        // A zone owns at least one category; should one have none, it owns nothing rather than all.
        categories = categories.add(report::Column::Id.is_null());
    }
    let mut cond = Condition::all().add(categories);
    if let Some(lines) = &zone.product_lines {
        cond = cond.add(report::Column::ProductLineId.is_in(lines.iter().copied()));
    }
    cond
}

/// The conditions of `filter` beyond its columns (suggestion, zone, text, email), on any query over
/// reports.
fn with_text_and_email<Q: QueryFilter>(mut q: Q, filter: &Filter) -> Q {
    if let Some(zone) = &filter.zone {
        q = q.filter(owned_by(zone));
    }
    match filter.suggestion {
        Some(SuggestionFilter::Any) => q = q.filter(report::Column::SuggestedCategory.is_not_null()),
        Some(SuggestionFilter::Unsure) => {
            let below = (crate::domain::classifier::UNSURE_BELOW * 1000.0).round() as i32;
            q = q
                .filter(report::Column::SuggestedCategory.is_not_null())
                .filter(report::Column::SuggestionPermille.lt(below))
        }
        None => {}
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) {
        // `%` and `_` typed by a person are literal text, not patterns.
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        q = q.filter(report::Column::CommentFolded.like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
    }
    match filter.has_email {
        Some(true) => q = q.filter(report::Column::Email.is_not_null()).filter(report::Column::Email.ne("")),
        Some(false) => {
            q = q.filter(Condition::any().add(report::Column::Email.is_null()).add(report::Column::Email.eq("")))
        }
        None => {}
    }
    q
}

/// How many reports `filter` selects in each status (the status filter itself is ignored, so the
/// inbox can show every tab's count). Counted from the reports themselves: the inbox's counts must
/// equal its list under any filter (text included), which no rollup can answer.
pub async fn count_by_status(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    filter: &Filter,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut q = report::Entity::find()
        .select_only()
        .column(report::Column::Status)
        .column_as(report::Column::Id.count(), "n")
        .filter(report::Column::ManufacturerId.eq(manufacturer_id));
    if let Some(line) = filter.product_line {
        q = q.filter(report::Column::ProductLineId.eq(line));
    }
    if let Some(since) = filter.since {
        q = q.filter(report::Column::CreatedAt.gte(since.to_offset(UtcOffset::UTC)));
    }
    if let Some(until) = filter.until {
        q = q.filter(report::Column::CreatedAt.lt(until.to_offset(UtcOffset::UTC)));
    }
    if let Some(kind) = filter.kind {
        q = q.filter(report::Column::Kind.eq(kind.as_str()));
    }
    if let Some(category) = &filter.category {
        q = q.filter(report::Column::Category.eq(category.as_str()));
    }
    if let Some(lot) = &filter.lot {
        q = q.filter(report::Column::Lot.eq(lot.as_str()));
    }
    q = with_text_and_email(q, filter);
    Ok(q.group_by(report::Column::Status).into_tuple::<(String, i64)>().all(db).await?)
}

/// Reports of one manufacturer, newest first (all of them unless `filter.limit` says otherwise).
pub async fn list(db: &DatabaseConnection, manufacturer_id: Uuid, filter: &Filter) -> Result<Vec<Model>, StoreError> {
    let mut q = filtered(manufacturer_id, filter);
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.all(db).await?)
}

/// One page of [`list`]: at most `limit` reports after `after`, and the cursor of the next page when
/// there is one.
pub struct Page {
    pub reports: Vec<Model>,
    pub next: Option<Cursor>,
}

/// Keyset pagination over the order of [`list`]: rows strictly after the cursor's `(created_at, id)`,
/// so rows added while a client pages never shift, repeat or hide others. One row more than asked
/// for tells whether a next page exists.
#[tracing::instrument(skip_all, fields(manufacturer = %manufacturer_id, limit))]
pub async fn page(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    filter: &Filter,
    after: Option<Cursor>,
    limit: u64,
) -> Result<Page, StoreError> {
    let limit = limit.max(1);
    let mut q = filtered(manufacturer_id, filter);
    if let Some(c) = after {
        // `(created_at, id) < (c, id)` spelled out. The redundant `created_at <= c` is what makes it an
        // index range on (…, created_at, id) in both databases: without it PostgreSQL walks the index
        // from the newest row and filters, so a deep page costs as much as all pages before it.
        q = q.filter(report::Column::CreatedAt.lte(c.created_at)).filter(
            Condition::any()
                .add(report::Column::CreatedAt.lt(c.created_at))
                .add(Condition::all().add(report::Column::CreatedAt.eq(c.created_at)).add(report::Column::Id.lt(c.id))),
        );
    }
    let mut reports = q.limit(limit.saturating_add(1)).all(db).await?;
    let more = reports.len() as u64 > limit;
    reports.truncate(limit as usize);
    let next = if more { reports.last().map(|r| Cursor::new(r.created_at, r.id)) } else { None };
    Ok(Page { reports, next })
}

/// The columns of a report an export writes (the CSV's), and no more: an export reads every
/// matching row, and each column left out is one less value decoded a million times (the consent
/// text alone is longer than most comments).
#[derive(Clone, Debug, PartialEq, Eq, DerivePartialModel)]
#[sea_orm(entity = "report::Entity")]
pub struct Exported {
    pub id: Uuid,
    pub product_line_id: Uuid,
    pub created_at: OffsetDateTime,
    pub kind: String,
    pub category: Option<String>,
    pub rating: i16,
    pub nps: Option<i16>,
    pub usage_period: Option<String>,
    pub comment: String,
    pub email: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub locale: String,
    pub status: String,
}

/// Every report `filter` selects, in the order of [`list`], read by one statement and handed out
/// in chunks of at most `chunk` rows. A task owns the statement's row stream and passes chunks
/// over a channel that holds two, so memory stays at a few chunks whatever the count, and a
/// reader that goes away (a client that disconnects) ends the statement. An error ends the stream
/// with that error, never silently.
pub fn export(
    db: DatabaseConnection,
    manufacturer_id: Uuid,
    filter: Filter,
    chunk: usize,
) -> impl Stream<Item = Result<Vec<Exported>, StoreError>> + Send + 'static {
    let chunk = chunk.max(1);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<Exported>, StoreError>>(2);
    tokio::spawn(async move {
        let rows = match filtered(manufacturer_id, &filter).into_partial_model::<Exported>().stream(&db).await {
            Ok(rows) => rows,
            Err(e) => {
                let _ = tx.send(Err(e.into())).await;
                return;
            }
        };
        futures_util::pin_mut!(rows);
        let mut batch = Vec::with_capacity(chunk);
        while let Some(row) = rows.next().await {
            match row {
                Ok(r) => {
                    batch.push(r);
                    if batch.len() == chunk
                        && tx.send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(chunk)))).await.is_err()
                    {
                        return;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e.into())).await;
                    return;
                }
            }
        }
        if !batch.is_empty() {
            let _ = tx.send(Ok(batch)).await;
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) }).fuse()
}

/// Photos of the given reports, in upload order.
pub async fn photos(db: &DatabaseConnection, report_ids: &[Uuid]) -> Result<Vec<report_photo::Model>, StoreError> {
    if report_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(report_photo::Entity::find()
        .filter(report_photo::Column::ReportId.is_in(report_ids.iter().copied()))
        .order_by_asc(report_photo::Column::ReportId)
        .order_by_asc(report_photo::Column::Position)
        .all(db)
        .await?)
}

/// Photos of the given reports, grouped by report in one pass, each group in upload order. Reports
/// without photos have no entry.
pub async fn photos_by_report(
    db: &DatabaseConnection,
    report_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<report_photo::Model>>, StoreError> {
    let mut grouped: HashMap<Uuid, Vec<report_photo::Model>> = HashMap::new();
    for photo in photos(db, report_ids).await? {
        grouped.entry(photo.report_id).or_default().push(photo);
    }
    Ok(grouped)
}

/// What a triage action changes on reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Status(ReportStatus),
    /// A member of the same manufacturer (the caller checks that), or nobody.
    Assignee(Option<Uuid>),
}

/// Applies `change` to each of these reports of this manufacturer in one transaction, writing one
/// history row per report that actually changed. An id that is not this manufacturer's report
/// changes nothing at all: `NotFound`. Answers the reports as they are now, in the order asked.
#[tracing::instrument(skip_all, fields(manufacturer = %manufacturer_id, n = ids.len()))]
pub async fn change(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    ids: &[Uuid],
    change: Change,
    actor: Option<Uuid>,
) -> Result<Vec<Model>, StoreError> {
    let txn = super::begin_write(db).await?;
    let mut found = report::Entity::find()
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .filter(report::Column::Id.is_in(ids.iter().copied()))
        .all(&txn)
        .await?;
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if found.len() != unique.len() {
        return Err(StoreError::NotFound);
    }
    let at = now();
    let mut out = Vec::with_capacity(found.len());
    let mut events = Vec::new();
    for row in found.drain(..) {
        let (kind, from, to) = match change {
            Change::Status(status) => ("status", Some(row.status.clone()), Some(status.as_str().to_owned())),
            Change::Assignee(user) => ("assigned", row.assignee_id.map(|u| u.to_string()), user.map(|u| u.to_string())),
        };
        if from == to {
            out.push(row);
            continue;
        }
        let report_id = row.id;
        if let Change::Status(status) = change {
            events.push(NewEvent {
                manufacturer_id,
                event_type: EventType::ReportStatusChanged,
                data: serde_json::json!({
                    "id": report_id,
                    "product_line_id": row.product_line_id,
                    "from": row.status,
                    "to": status.as_str(),
                    "actor_id": actor,
                    "changed_at": rfc3339(at),
                }),
                at,
            });
        }
        let mut active = row.into_active_model();
        match change {
            Change::Status(status) => {
                // Before the status moves: the stamp is for a report still new.
                stamp_first_response(&txn, report_id, at).await?;
                active.status = Set(status.as_str().to_owned());
            }
            Change::Assignee(user) => active.assignee_id = Set(user),
        }
        // The row as stored (RETURNING), the stamp included.
        out.push(active.update(&txn).await?);
        super::report_events::record(&txn, report_id, actor, kind, from, to, at).await?;
    }
    // In the change's transaction: a committed status change always has its deliveries queued.
    super::webhooks::enqueue(&txn, &events).await?;
    txn.commit().await?;
    out.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(out)
}

/// Stamps a report's first response (the KPIs): the first reply or status change of a report nobody
/// had handled. Call it before the change moves the status. A statement of its own, so a reply
/// committed meanwhile keeps its earlier stamp; a report handled before stamps were kept (not new,
/// never stamped) stays unknown rather than late.
pub(crate) async fn stamp_first_response<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    report::Entity::update_many()
        .col_expr(report::Column::FirstResponseAt, sea_orm::sea_query::Expr::value(at.to_offset(UtcOffset::UTC)))
        .filter(report::Column::Id.eq(id))
        .filter(report::Column::FirstResponseAt.is_null())
        .filter(report::Column::Status.eq(ReportStatus::New.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves a report of this manufacturer to another triage status, with a history row.
pub async fn set_status(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
    status: ReportStatus,
    actor: Option<Uuid>,
) -> Result<Model, StoreError> {
    change(db, manufacturer_id, &[id], Change::Status(status), actor).await?.pop().ok_or(StoreError::NotFound)
}

/// Reports assigned to a member who is leaving become nobody's.
pub async fn unassign_member<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<u64, StoreError> {
    let res = report::Entity::update_many()
        .col_expr(report::Column::AssigneeId, sea_orm::sea_query::Expr::value(Option::<Uuid>::None))
        .filter(report::Column::AssigneeId.eq(user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// One report of this manufacturer.
pub async fn get(db: &DatabaseConnection, manufacturer_id: Uuid, id: Uuid) -> Result<Model, StoreError> {
    report::Entity::find_by_id(id)
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A report by id, whoever's it is (for the customer's answer link, which carries no manufacturer).
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<Model>, StoreError> {
    Ok(report::Entity::find_by_id(id).one(db).await?)
}

/// Sets a report's category as the team decided it: the label the classifier learns from. The
/// report's counts move to the new category's rollup cells, its suggestion is cleared (the team
/// has decided) and a history row records the change, all in one transaction. The same category
/// again still marks it as the team's (a confirmation is a label too).
#[tracing::instrument(skip_all, fields(manufacturer = %manufacturer_id))]
pub async fn set_category(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    id: Uuid,
    category: &str,
    actor: Option<Uuid>,
) -> Result<Model, StoreError> {
    use sea_orm::DatabaseBackend;
    use sea_orm::sea_query::LockType;

    use super::entities::product_line;
    let txn = super::begin_write(db).await?;
    let row = report::Entity::find_by_id(id)
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // As the scan counter does: wait for a rollup rebuild of this line rather than move counts
        // in cells it is replacing.
        let _: Vec<Uuid> = product_line::Entity::find()
            .select_only()
            .column(product_line::Column::Id)
            .filter(product_line::Column::Id.eq(row.product_line_id))
            .lock(LockType::KeyShare)
            .into_tuple()
            .all(&txn)
            .await?;
    }
    let before = row.category.clone().filter(|c| !c.is_empty());
    let fact = |category: Option<String>| -> Result<Fact, StoreError> {
        Ok(Fact {
            product_line_id: row.product_line_id,
            manufacturer_id,
            created_at: row.created_at,
            kind: Kind::parse(&row.kind)
                .ok_or_else(|| anyhow::anyhow!("a stored report has the unknown kind `{}`", row.kind))?,
            category,
            lot: row.lot.clone().filter(|l| !l.is_empty()),
            rating: u8::try_from(row.rating).unwrap_or(0),
            recommend: row.nps.and_then(|n| u8::try_from(n).ok()),
        })
    };
    let at = now();
    if before.as_deref() != Some(category) {
        super::rollups::recategorise(&txn, &fact(before.clone())?, &fact(Some(category.to_owned()))?).await?;
        super::report_events::record(&txn, id, actor, "category", before, Some(category.to_owned()), at).await?;
    }
    let mut active = row.into_active_model();
    active.category = Set(Some(category.to_owned()));
    active.category_source = Set(Some(super::suggestions::SOURCE_TEAM.to_owned()));
    active.suggested_category = Set(None);
    active.suggestion_permille = Set(None);
    active.suggested_at = Set(Some(at));
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

/// When each report a zone owns that came in `[since, until)` was created and first responded to,
/// oldest first: the KPIs' samples, two columns a row.
pub async fn response_times(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    zone: &Routing,
    since: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<Vec<(OffsetDateTime, Option<OffsetDateTime>)>, StoreError> {
    Ok(report::Entity::find()
        .select_only()
        .column(report::Column::CreatedAt)
        .column(report::Column::FirstResponseAt)
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .filter(report::Column::CreatedAt.gte(since.to_offset(UtcOffset::UTC)))
        .filter(report::Column::CreatedAt.lt(until.to_offset(UtcOffset::UTC)))
        .filter(owned_by(zone))
        // Handled before first responses were kept (not new, never stamped): when is unknown, so
        // such a report is neither a time nor a miss.
        .filter(
            Condition::any()
                .add(report::Column::FirstResponseAt.is_not_null())
                .add(report::Column::Status.eq(ReportStatus::New.as_str())),
        )
        .order_by_asc(report::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?)
}

/// When each open report (new or in progress) a zone owns was created: the KPIs' age bands.
pub async fn open_since(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    zone: &Routing,
) -> Result<Vec<OffsetDateTime>, StoreError> {
    let open: Vec<&str> = ReportStatus::ALL.into_iter().filter(|s| s.is_open()).map(ReportStatus::as_str).collect();
    Ok(report::Entity::find()
        .select_only()
        .column(report::Column::CreatedAt)
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .filter(report::Column::Status.is_in(open))
        .filter(owned_by(zone))
        .into_tuple()
        .all(db)
        .await?)
}
