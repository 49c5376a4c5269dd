//! Customer reports as a manufacturer works with them: read, page, export, triage.

use futures_util::{Stream, TryStreamExt, stream};
use time::OffsetDateTime;

use super::{App, AppError};
use crate::domain::{Cursor, Kind, LineId, ManufacturerId, ReportId, ReportStatus};
use crate::store::reports::Filter;
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
    pub created_at: OffsetDateTime,
    pub photos: Vec<Photo>,
}

impl Report {
    fn new(r: report::Model, photos: Vec<report_photo::Model>) -> Report {
        Report {
            id: ReportId(r.id),
            product_line_id: LineId(r.product_line_id),
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Other),
            status: ReportStatus::parse(&r.status).unwrap_or(ReportStatus::New),
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
}

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
            limit: None,
        }
    }
}

pub struct Page {
    /// Newest first, ties by id.
    pub reports: Vec<Report>,
    pub next: Option<Cursor>,
}

/// Another manufacturer's line in the query answers "no such product line", like an unknown one.
async fn check_line(app: &App, who: ManufacturerId, query: &Query) -> Result<(), AppError> {
    if let Some(line) = query.product_line {
        super::lines::get(app, who, line).await?;
    }
    Ok(())
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
    check_line(app, who, query).await?;
    let page = store::reports::page(&app.db, who.get(), &query.filter(), after, limit).await?;
    Ok(Page { reports: with_photos(app, page.reports).await?, next: page.next })
}

/// Every matching report, as a stream of chunks of `chunk` reports (constant memory whatever the
/// count). The first chunk is read before this returns, so a database that is down is an error
/// here rather than a stream that ends early.
pub async fn export(
    app: &App,
    who: ManufacturerId,
    query: Query,
    chunk: u64,
) -> Result<impl Stream<Item = Result<Vec<Report>, AppError>> + 'static, AppError> {
    check_line(app, who, &query).await?;
    let filter = query.filter();
    let first = store::reports::page(&app.db, who.get(), &filter, None, chunk).await?;
    enum Step {
        First(store::reports::Page),
        After(Cursor),
        Done,
    }
    let app = app.clone();
    Ok(stream::try_unfold((app, filter, Step::First(first)), move |(app, filter, step)| async move {
        let page = match step {
            Step::First(page) => page,
            Step::After(after) => store::reports::page(&app.db, who.get(), &filter, Some(after), chunk).await?,
            Step::Done => return Ok(None),
        };
        let next = page.next.map_or(Step::Done, Step::After);
        let reports = page.reports.into_iter().map(|r| Report::new(r, Vec::new())).collect();
        Ok::<_, AppError>(Some((reports, (app, filter, next))))
    })
    .inspect_err(|e| tracing::error!(error = ?e, "report export failed part-way")))
}

pub async fn get(app: &App, who: ManufacturerId, id: ReportId) -> Result<Report, AppError> {
    let report = store::reports::get(&app.db, who.get(), id.get()).await.map_err(AppError::unless_missing("report"))?;
    with_photos(app, vec![report]).await?.into_iter().next().ok_or(AppError::NotFound("report"))
}

/// Triage: `new` -> `triaged` -> `answered` / `closed`, in any order a team works.
pub async fn set_status(
    app: &App,
    who: ManufacturerId,
    id: ReportId,
    status: ReportStatus,
) -> Result<Report, AppError> {
    let report = store::reports::set_status(&app.db, who.get(), id.get(), status)
        .await
        .map_err(AppError::unless_missing("report"))?;
    with_photos(app, vec![report]).await?.into_iter().next().ok_or(AppError::NotFound("report"))
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
