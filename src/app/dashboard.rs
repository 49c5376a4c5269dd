//! What the dashboard shows: the overview of every line for a period against the period before,
//! and one line's charts. Every number comes from the rollups and the scan counts
//! (`store::stats`, `store::scan_counts`); lists are bounded.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::lines::Line;
use super::lots::Lots;
use super::reports::Report;
use super::{App, AppError};
use crate::domain::rollup::{Measures, Window};
use crate::domain::spc::{self, ParetoBar};
use crate::domain::stats_period::{self, IsoWeek, StatsPeriod};
use crate::domain::trend::{self, Comparison, PeriodMetrics};
use crate::domain::{FormConfig, Kind, LineId, ManufacturerId};
use crate::store;

/// How many of the newest reports the line page lists.
pub const NEWEST_REPORTS: u64 = 10;

/// The window of `period` at `now`.
pub fn window(period: StatsPeriod, now: OffsetDateTime) -> Result<Window, AppError> {
    period.window(now).map_err(|e| AppError::invalid("period", e.to_string()))
}

/// Human scans per line over the scan days of `window` (see `stats_period::scan_days`).
async fn scans(app: &App, lines: &[uuid::Uuid], window: Window) -> Result<BTreeMap<uuid::Uuid, i64>, AppError> {
    let Some((first, last)) = stats_period::scan_days(window) else { return Ok(BTreeMap::new()) };
    let counts = store::scan_counts::per_line(&app.db, lines, first, last).await?;
    Ok(counts.into_iter().map(|(line, (human, _bots))| (line, human)).collect())
}

/// One line of the overview.
#[derive(Clone, Debug, PartialEq)]
pub struct LineRow {
    pub line: Line,
    pub comparison: Comparison,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub window: Window,
    pub previous: Window,
    /// Every line together.
    pub totals: Comparison,
    /// Every line, what got worse first (`trend::worse_first`), ties by name.
    pub lines: Vec<LineRow>,
}

#[tracing::instrument(skip_all, fields(%who))]
pub async fn overview(app: &App, who: ManufacturerId, window: Window) -> Result<Overview, AppError> {
    let previous = window.previous();
    let lines = super::lines::list(app, who).await?;
    let ids: Vec<uuid::Uuid> = lines.iter().map(|l| l.id.get()).collect();
    let now = store::stats::lines(&app.db, who.get(), window).await?;
    let before = store::stats::lines(&app.db, who.get(), previous).await?;
    let scans_now = scans(app, &ids, window).await?;
    let scans_before = scans(app, &ids, previous).await?;

    let (mut all_now, mut all_before) = (Measures::default(), Measures::default());
    let (mut all_scans_now, mut all_scans_before) = (0i64, 0i64);
    let mut rows: Vec<LineRow> = lines
        .into_iter()
        .map(|line| {
            let id = line.id.get();
            let (m_now, m_before) =
                (now.get(&id).copied().unwrap_or_default(), before.get(&id).copied().unwrap_or_default());
            let (s_now, s_before) =
                (scans_now.get(&id).copied().unwrap_or(0), scans_before.get(&id).copied().unwrap_or(0));
            all_now += m_now;
            all_before += m_before;
            all_scans_now += s_now;
            all_scans_before += s_before;
            let comparison =
                Comparison::new(PeriodMetrics::new(&m_now, s_now), PeriodMetrics::new(&m_before, s_before));
            LineRow { line, comparison }
        })
        .collect();
    rows.sort_by(|a, b| trend::worse_first(&a.comparison, &b.comparison).then_with(|| a.line.name.cmp(&b.line.name)));
    Ok(Overview {
        window,
        previous,
        totals: Comparison::new(
            PeriodMetrics::new(&all_now, all_scans_now),
            PeriodMetrics::new(&all_before, all_scans_before),
        ),
        lines: rows,
    })
}

/// A kind and a category key ('' when the customer picked none).
pub type CategoryKey = (Kind, String);

/// Reports of one ISO week (UTC) by kind and category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Week {
    pub week: IsoWeek,
    pub counts: BTreeMap<CategoryKey, i64>,
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinePage {
    pub line: Line,
    /// For the categories' labels.
    pub form: FormConfig,
    pub window: Window,
    pub previous: Window,
    pub comparison: Comparison,
    /// Every ISO week that holds a day of the window, oldest first; the first and last may be cut.
    pub weeks: Vec<Week>,
    /// Reports in the window by kind and category.
    pub categories: BTreeMap<CategoryKey, i64>,
    /// Defect reports in the window by category key, largest first.
    pub pareto: Vec<ParetoBar<String>>,
    /// Lots over all time.
    pub lots: Lots,
    /// The newest reports in the window, newest first (at most [`NEWEST_REPORTS`]).
    pub newest: Vec<Report>,
}

#[tracing::instrument(skip_all, fields(%who, %id))]
pub async fn line(app: &App, who: ManufacturerId, id: LineId, window: Window) -> Result<LinePage, AppError> {
    let line = super::lines::get(app, who, id).await?;
    let form = super::lines::form(app, who, id).await?;
    let previous = window.previous();
    let now = store::stats::line(&app.db, id.get(), window).await?;
    let before = store::stats::line(&app.db, id.get(), previous).await?;
    let scans_now = scans(app, &[id.get()], window).await?.get(&id.get()).copied().unwrap_or(0);
    let scans_before = scans(app, &[id.get()], previous).await?.get(&id.get()).copied().unwrap_or(0);
    let comparison =
        Comparison::new(PeriodMetrics::new(&now.totals, scans_now), PeriodMetrics::new(&before.totals, scans_before));

    let mut weeks: Vec<Week> =
        stats_period::weeks(window).into_iter().map(|week| Week { week, counts: BTreeMap::new(), total: 0 }).collect();
    for ((day, kind, category), m) in store::stats::line_by_day_and_category(&app.db, id.get(), window).await? {
        let Some(kind) = Kind::parse(&kind) else { continue };
        let of_day = IsoWeek::of(day);
        let Some(week) = weeks.iter_mut().find(|w| w.week == of_day) else { continue };
        *week.counts.entry((kind, category)).or_default() += m.reports;
        week.total += m.reports;
    }
    let categories: BTreeMap<CategoryKey, i64> = now
        .by_category
        .iter()
        .filter_map(|((kind, category), m)| Some(((Kind::parse(kind)?, category.clone()), m.reports)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let pareto = spc::pareto(
        categories.iter().filter(|((kind, _), _)| *kind == Kind::Defect).map(|((_, c), n)| (c.clone(), *n)),
    );
    let lots = super::lots::compare(app, who, id).await?;
    let query = super::reports::Query {
        product_line: Some(id),
        since: Some(window.start()),
        until: Some(window.end()),
        ..Default::default()
    };
    let newest = super::reports::page(app, who, &query, None, NEWEST_REPORTS).await?.reports;
    Ok(LinePage { line, form, window, previous, comparison, weeks, categories, pareto, lots, newest })
}
