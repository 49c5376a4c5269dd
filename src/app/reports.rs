//! Customer reports as a manufacturer works with them: read, page, export, triage.

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use time::OffsetDateTime;

use uuid::Uuid;

use super::{App, AppError};
use crate::domain::{Cursor, Kind, LineId, ManufacturerId, ReportId, ReportStatus};
use crate::store::reports::{Change, Filter};
use crate::store::{self, entities::report, entities::report_photo};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    pub position: i16,
    pub path: String,
    pub thumb_path: String,
    pub width: i32,
    pub height: i32,
}

/// A report with its photos, in upload order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub id: ReportId,
    pub product_line_id: LineId,
    pub kind: Kind,
    pub category: Option<String>,
    pub rating: i16,
    pub recommend: Option<i16>,
    pub usage_period: Option<String>,
    pub comment: String,
    pub email: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub locale: String,
    pub status: ReportStatus,
    /// The member who handles it, if anyone.
    pub assignee_id: Option<Uuid>,
    pub created_at: OffsetDateTime,
    pub photos: Vec<Photo>,
    /// The consent sentence the customer ticked, as shown, and the language it was shown in.
    pub consent_text: Option<String>,
    pub consent_locale: Option<String>,
    /// The classifier's suggestion (a key of the report's kind) when the category is empty or the
    /// comment points elsewhere, and its confidence in thousandths (0–1000).
    pub suggestion: Option<(String, u16)>,
    /// The category is the team's (set or corrected), not the customer's pick.
    pub category_by_team: bool,
    /// The team's first reply or status change (the zones' KPIs).
    pub first_response_at: Option<OffsetDateTime>,
    /// The zones that own the report (id, name): filled where reports are listed for the team.
    pub zones: Vec<(Uuid, String)>,
}

impl Report {
    /// A suggestion below [`crate::domain::classifier::UNSURE_BELOW`]: the team looks at these first.
    pub fn suggestion_unsure(&self) -> bool {
        self.suggestion.as_ref().is_some_and(|(_, p)| f32::from(*p) < crate::domain::classifier::UNSURE_BELOW * 1000.0)
    }
}

impl Report {
    fn new(r: report::Model, photos: Vec<report_photo::Model>) -> Report {
        Report {
            id: ReportId(r.id),
            product_line_id: LineId(r.product_line_id),
            kind: stored_kind(&r.kind),
            status: stored_status(&r.status),
            assignee_id: r.assignee_id,
            suggestion: r.suggested_category.zip(r.suggestion_permille).map(|(c, p)| (c, p.clamp(0, 1000) as u16)),
            category_by_team: r.category_source.as_deref() == Some(store::suggestions::SOURCE_TEAM),
            category: r.category,
            rating: r.rating,
            recommend: r.nps,
            usage_period: r.usage_period,
            comment: r.comment,
            email: r.email,
            lot: r.lot,
            serial: r.serial,
            locale: r.locale,
            created_at: r.created_at,
            consent_text: r.consent_text,
            consent_locale: r.consent_locale,
            first_response_at: r.first_response_at,
            photos: photos
                .into_iter()
                .map(|p| Photo {
                    position: p.position,
                    path: p.path,
                    thumb_path: p.thumb_path,
                    width: p.width,
                    height: p.height,
                })
                .collect(),
            zones: Vec::new(),
        }
    }
}

/// A stored kind or status, read back: the database only holds values the writers wrote, so an
/// unknown one (from a newer version) falls back rather than failing the whole list.
fn stored_kind(kind: &str) -> Kind {
    Kind::parse(kind).unwrap_or(Kind::Other)
}

fn stored_status(status: &str) -> ReportStatus {
    ReportStatus::from_stored(status).unwrap_or(ReportStatus::New)
}

/// One report as an export writes it: the columns of the CSV and nothing else, since an export
/// reads every matching row (a million of them, for a big line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    pub id: ReportId,
    pub product_line_id: LineId,
    pub created_at: OffsetDateTime,
    pub kind: Kind,
    pub category: Option<String>,
    pub rating: i16,
    pub recommend: Option<i16>,
    pub usage_period: Option<String>,
    pub comment: String,
    pub email: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub locale: String,
    pub status: ReportStatus,
}

impl ExportRow {
    fn new(r: store::reports::Exported) -> ExportRow {
        ExportRow {
            id: ReportId(r.id),
            product_line_id: LineId(r.product_line_id),
            created_at: r.created_at,
            kind: stored_kind(&r.kind),
            category: r.category,
            rating: r.rating,
            recommend: r.nps,
            usage_period: r.usage_period,
            comment: r.comment,
            email: r.email,
            lot: r.lot,
            serial: r.serial,
            locale: r.locale,
            status: stored_status(&r.status),
        }
    }
}

/// Which reports a list, a page or an export holds.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub product_line: Option<LineId>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub kind: Option<Kind>,
    pub category: Option<String>,
    pub lot: Option<String>,
    pub status: Option<ReportStatus>,
    /// Text in the comment, any case (Cyrillic included).
    pub text: Option<String>,
    /// Only reports with (true) or without (false) an email.
    pub has_email: Option<bool>,
    /// Only reports with a suggestion, or only those whose suggestion is unsure.
    pub suggestion: Option<SuggestionFilter>,
    /// Only the reports this zone owns.
    pub zone: Option<Uuid>,
}

pub use crate::store::reports::SuggestionFilter;

impl Query {
    fn filter(&self) -> Filter {
        Filter {
            product_line: self.product_line.map(LineId::get),
            since: self.since,
            until: self.until,
            kind: self.kind,
            category: self.category.clone(),
            lot: self.lot.clone(),
            status: self.status,
            text: self.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(store::reports::fold),
            has_email: self.has_email,
            suggestion: self.suggestion,
            zone: None,
            limit: None,
        }
    }
}

pub struct Page {
    /// Newest first, ties by id.
    pub reports: Vec<Report>,
    pub next: Option<Cursor>,
}

/// The store's filter for a query. Another manufacturer's line or zone answers "no such product
/// line" or "no such zone", like an unknown one.
async fn filter_of(app: &App, who: ManufacturerId, query: &Query) -> Result<Filter, AppError> {
    if let Some(line) = query.product_line {
        super::lines::get(app, who, line).await?;
    }
    let mut filter = query.filter();
    if let Some(zone) = query.zone {
        filter.zone = Some(super::zones::get(app, who, zone).await?.routing());
    }
    Ok(filter)
}

/// Each report's zones: the ones that own it by its category, or by its suggestion when it has none.
async fn with_zones(app: &App, who: ManufacturerId, mut reports: Vec<Report>) -> Result<Vec<Report>, AppError> {
    let zones = super::zones::list(app, who).await?;
    if zones.is_empty() {
        return Ok(reports);
    }
    // Parsed once for the whole list, not once per report.
    let routings: Vec<_> = zones.iter().map(|z| (z.routing(), z)).collect();
    for r in &mut reports {
        let routed = crate::domain::zone::Routed {
            product_line: r.product_line_id.get(),
            kind: r.kind,
            category: r.category.as_deref(),
            suggested: r.suggestion.as_ref().map(|(c, _)| c.as_str()),
        };
        r.zones = routings.iter().filter(|(rt, _)| rt.owns(&routed)).map(|(_, z)| (z.id, z.name.clone())).collect();
    }
    Ok(reports)
}

async fn with_photos(app: &App, reports: Vec<report::Model>) -> Result<Vec<Report>, AppError> {
    let ids: Vec<uuid::Uuid> = reports.iter().map(|r| r.id).collect();
    let mut photos = store::reports::photos_by_report(&app.db, &ids).await?;
    Ok(reports
        .into_iter()
        .map(|r| {
            let own = photos.remove(&r.id).unwrap_or_default();
            Report::new(r, own)
        })
        .collect())
}

/// One page of at most `limit` reports after `after`.
pub async fn page(
    app: &App,
    who: ManufacturerId,
    query: &Query,
    after: Option<Cursor>,
    limit: u64,
) -> Result<Page, AppError> {
    let filter = filter_of(app, who, query).await?;
    let page = store::reports::page(&app.db, who.get(), &filter, after, limit).await?;
    let reports = with_zones(app, who, with_photos(app, page.reports).await?).await?;
    Ok(Page { reports, next: page.next })
}

/// Every matching report, as a stream of chunks of up to `chunk` reports, read by one statement
/// (constant memory whatever the count). The first chunk is read before this returns, so a
/// database that is down is an error here rather than a stream that ends early. The reports come
/// without their photos: an export lists reports, not files.
pub async fn export(
    app: &App,
    who: ManufacturerId,
    query: Query,
    chunk: usize,
) -> Result<impl Stream<Item = Result<Vec<ExportRow>, AppError>> + 'static, AppError> {
    let filter = filter_of(app, who, &query).await?;
    let mut rows = Box::pin(store::reports::export(app.db.clone(), who.get(), filter, chunk));
    // Always one chunk, even an empty one: the reader writes its header with the first.
    let first = rows.next().await.transpose()?.unwrap_or_default();
    let reports = |rows: Vec<store::reports::Exported>| rows.into_iter().map(ExportRow::new).collect::<Vec<_>>();
    let first = stream::once(async move { Ok::<_, AppError>(reports(first)) });
    let rest = rows.map(move |chunk| chunk.map(reports).map_err(AppError::from));
    Ok(first.chain(rest).inspect_err(|e| tracing::error!(error = ?e, "report export failed part-way")))
}

pub async fn get(app: &App, who: ManufacturerId, id: ReportId) -> Result<Report, AppError> {
    let report = store::reports::get(&app.db, who.get(), id.get()).await.map_err(AppError::unless_missing("report"))?;
    let report = with_photos(app, vec![report]).await?;
    with_zones(app, who, report).await?.into_iter().next().ok_or(AppError::NotFound("report"))
}

/// Triage: `new` -> `in_progress` -> `resolved` / `wont_fix`, in any order a team works. `actor`
/// is the member who does it (for the history).
pub async fn set_status(
    app: &App,
    who: ManufacturerId,
    actor: Option<Uuid>,
    id: ReportId,
    status: ReportStatus,
) -> Result<Report, AppError> {
    let report = store::reports::set_status(&app.db, who.get(), id.get(), status, actor)
        .await
        .map_err(AppError::unless_missing("report"))?;
    app.webhooks.notify_one();
    let report = with_photos(app, vec![report]).await?;
    with_zones(app, who, report).await?.into_iter().next().ok_or(AppError::NotFound("report"))
}

/// Most reports one bulk action takes (a page of the inbox is far smaller).
pub const BULK_MAX: usize = 500;

fn bulk_ids(ids: &[ReportId]) -> Result<Vec<Uuid>, AppError> {
    if ids.is_empty() {
        return Err(AppError::refused("id", "bulk-error-none"));
    }
    if ids.len() > BULK_MAX {
        return Err(AppError::refused_n("id", "bulk-error-many", "max", BULK_MAX as i64));
    }
    Ok(ids.iter().map(|id| id.get()).collect())
}

/// One status for several reports at once. All or nothing: one id that is not this manufacturer's
/// report changes none of them.
pub async fn set_status_many(
    app: &App,
    who: ManufacturerId,
    actor: Option<Uuid>,
    ids: &[ReportId],
    status: ReportStatus,
) -> Result<usize, AppError> {
    let ids = bulk_ids(ids)?;
    let changed = store::reports::change(&app.db, who.get(), &ids, Change::Status(status), actor)
        .await
        .map_err(AppError::unless_missing("report"))?;
    app.webhooks.notify_one();
    Ok(changed.len())
}

/// Hands reports to a member of the same manufacturer (`None`: to nobody). A member of another
/// manufacturer is "no such member", like an unknown one. All or nothing, like [`set_status_many`].
pub async fn assign(
    app: &App,
    who: ManufacturerId,
    actor: Option<Uuid>,
    ids: &[ReportId],
    assignee: Option<Uuid>,
) -> Result<Vec<Report>, AppError> {
    let ids = bulk_ids(ids)?;
    if let Some(user) = assignee {
        store::users::member(&app.db, who.get(), user).await.map_err(AppError::unless_missing("member"))?;
    }
    let changed = store::reports::change(&app.db, who.get(), &ids, Change::Assignee(assignee), actor)
        .await
        .map_err(AppError::unless_missing("report"))?;
    let changed = with_photos(app, changed).await?;
    with_zones(app, who, changed).await
}

/// How many reports a query selects, per status (whatever status the query itself names).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub by_status: Vec<(ReportStatus, u64)>,
    pub total: u64,
}

impl Counts {
    pub fn of(&self, status: ReportStatus) -> u64 {
        self.by_status.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)
    }
}

pub async fn counts(app: &App, who: ManufacturerId, query: &Query) -> Result<Counts, AppError> {
    let filter = filter_of(app, who, query).await?;
    let rows = store::reports::count_by_status(&app.db, who.get(), &filter).await?;
    let mut by_status: Vec<(ReportStatus, u64)> = ReportStatus::ALL.iter().map(|s| (*s, 0)).collect();
    for (status, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        if let Some(s) = ReportStatus::from_stored(&status)
            && let Some(slot) = by_status.iter_mut().find(|(k, _)| *k == s)
        {
            slot.1 += n;
        }
    }
    let total = by_status.iter().map(|(_, n)| n).sum();
    Ok(Counts { by_status, total })
}

/// Longest internal note.
pub const NOTE_MAX_CHARS: usize = 5000;

/// An internal note: the team's, never the customer's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    /// The author's email, while they are a member.
    pub author: Option<String>,
    pub body: String,
    pub created_at: OffsetDateTime,
}

async fn emails(app: &App, who: ManufacturerId) -> Result<std::collections::HashMap<Uuid, String>, AppError> {
    Ok(store::users::members(&app.db, who.get()).await?.into_iter().map(|u| (u.id, u.email)).collect())
}

pub async fn add_note(
    app: &App,
    who: ManufacturerId,
    author: Option<Uuid>,
    id: ReportId,
    body: &str,
) -> Result<Note, AppError> {
    let body = body.replace("\r\n", "\n").trim().to_owned();
    if body.is_empty() {
        return Err(AppError::refused_n("body", "report-note-invalid", "max", NOTE_MAX_CHARS as i64));
    }
    if body.chars().count() > NOTE_MAX_CHARS {
        return Err(AppError::refused_n("body", "report-note-invalid", "max", NOTE_MAX_CHARS as i64));
    }
    store::reports::get(&app.db, who.get(), id.get()).await.map_err(AppError::unless_missing("report"))?;
    let note = store::report_notes::add(&app.db, id.get(), author, &body).await?;
    let names = emails(app, who).await?;
    Ok(Note {
        id: note.id,
        author: note.author_id.and_then(|a| names.get(&a).cloned()),
        author_id: note.author_id,
        body: note.body,
        created_at: note.created_at,
    })
}

pub async fn notes(app: &App, who: ManufacturerId, id: ReportId) -> Result<Vec<Note>, AppError> {
    store::reports::get(&app.db, who.get(), id.get()).await.map_err(AppError::unless_missing("report"))?;
    let names = emails(app, who).await?;
    Ok(store::report_notes::list(&app.db, id.get())
        .await?
        .into_iter()
        .map(|n| Note {
            id: n.id,
            author: n.author_id.and_then(|a| names.get(&a).cloned()),
            author_id: n.author_id,
            body: n.body,
            created_at: n.created_at,
        })
        .collect())
}

/// What one history row says happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    Status {
        from: Option<ReportStatus>,
        to: Option<ReportStatus>,
    },
    /// Member emails (None: nobody, or a member who has left).
    Assigned {
        from: Option<String>,
        to: Option<String>,
    },
    Note,
    Reply,
    Other(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The member's email; None for the system or a member who has left.
    pub actor: Option<String>,
    pub kind: EventKind,
    pub at: OffsetDateTime,
}

/// A report's history, oldest first: who changed what, when.
pub async fn history(app: &App, who: ManufacturerId, id: ReportId) -> Result<Vec<Event>, AppError> {
    store::reports::get(&app.db, who.get(), id.get()).await.map_err(AppError::unless_missing("report"))?;
    let names = emails(app, who).await?;
    let email = |v: Option<String>| v.and_then(|v| v.parse::<Uuid>().ok()).and_then(|u| names.get(&u).cloned());
    Ok(store::report_events::list(&app.db, id.get())
        .await?
        .into_iter()
        .map(|e| Event {
            actor: e.actor_id.and_then(|a| names.get(&a).cloned()),
            at: e.created_at,
            kind: match e.kind.as_str() {
                "status" => EventKind::Status {
                    from: e.from_value.as_deref().and_then(ReportStatus::from_stored),
                    to: e.to_value.as_deref().and_then(ReportStatus::from_stored),
                },
                "assigned" => EventKind::Assigned { from: email(e.from_value), to: email(e.to_value) },
                "note" => EventKind::Note,
                "reply" => EventKind::Reply,
                other => EventKind::Other(other.to_owned()),
            },
        })
        .collect())
}

/// A photo of a report: the full JPEG or its thumbnail.
pub async fn photo(
    app: &App,
    who: ManufacturerId,
    id: ReportId,
    position: i16,
    thumbnail: bool,
) -> Result<Vec<u8>, AppError> {
    let report = get(app, who, id).await?;
    let p = report.photos.into_iter().find(|p| p.position == position).ok_or(AppError::NotFound("photo"))?;
    let rel = if thumbnail { p.thumb_path } else { p.path };
    let dir = app.settings.data_dir.clone();
    tokio::task::spawn_blocking(move || store::photo_files::read(&dir, &rel))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("photo read task failed: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("photo file unreadable: {e}")))
}
