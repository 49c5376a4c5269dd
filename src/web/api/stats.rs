use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{Manufacturer, owned_line};
use crate::domain::Kind;
use crate::domain::metrics::{self, Share};
use crate::domain::rollup::{Measures, Window};
use crate::store;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/stats").route(web::get().to(stats)))
        .service(web::resource("/stats/lines").route(web::get().to(lines)));
}

#[derive(Deserialize)]
struct StatsQuery {
    /// First day, inclusive (UTC, `YYYY-MM-DD`); default 29 days before `until`.
    from: Option<String>,
    /// Last day, inclusive; default today.
    until: Option<String>,
}

#[derive(Serialize, Default)]
struct Day {
    day: String,
    scans: i64,
    bot_scans: i64,
    reports: u64,
}

#[derive(Serialize, Default)]
struct Lot {
    lot: String,
    scans: i64,
    reports: u64,
    defects: u64,
}

#[derive(Serialize)]
struct Stats {
    product_line_id: Uuid,
    from: String,
    until: String,
    /// Page views by people; link previews, crawlers, HEAD requests and prefetches are in `bot_scans`.
    scans: i64,
    bot_scans: i64,
    reports: u64,
    reports_per_1000_scans: Option<f64>,
    average_rating: Option<f64>,
    csat: Share,
    nps: Share,
    by_kind: BTreeMap<String, u64>,
    /// `kind/category` -> count, with the share of that kind's reports.
    by_category: BTreeMap<String, u64>,
    by_lot: Vec<Lot>,
    by_day: Vec<Day>,
}

fn parse_day(field: &'static str, s: Option<&str>) -> Result<Option<Date>, ApiError> {
    let Some(s) = s else { return Ok(None) };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).map(Some).map_err(|_| ApiError::invalid(field, format!("`{s}` is not a date (YYYY-MM-DD)")))
}

/// The days `from..=until` (UTC) of a query, as a window; at most 366 days.
fn days_window(q: &StatsQuery) -> Result<(Date, Date, Window), ApiError> {
    let until = parse_day("until", q.until.as_deref())?.unwrap_or_else(|| OffsetDateTime::now_utc().date());
    let from = parse_day("from", q.from.as_deref())?.unwrap_or(until - Duration::days(29));
    if from > until || until - from > Duration::days(366) {
        return Err(ApiError::invalid("from", "the period must start before it ends and span at most 366 days"));
    }
    let start = from.midnight().assume_utc();
    let end = (until + Duration::days(1)).midnight().assume_utc();
    let window = Window::new(start, end).map_err(|e| ApiError::invalid("from", e.to_string()))?;
    Ok((from, until, window))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

async fn stats(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    q: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    let (from, until, window) = days_window(&q)?;
    let numbers = store::stats::line(&state.app.db, line.id.get(), window).await?;
    let counts = store::scan_counts::for_line(&state.app.db, line.id.get(), from, until).await?;

    let mut days: BTreeMap<Date, Day> = BTreeMap::new();
    let mut lots: BTreeMap<String, Lot> = BTreeMap::new();
    let (mut scans, mut bots) = (0i64, 0i64);
    for c in &counts {
        scans += c.human;
        bots += c.bot;
        let d = days.entry(c.day).or_insert_with(|| Day { day: c.day.to_string(), ..Default::default() });
        d.scans += c.human;
        d.bot_scans += c.bot;
        if !c.lot.is_empty() {
            lots.entry(c.lot.clone()).or_insert_with(|| Lot { lot: c.lot.clone(), ..Default::default() }).scans +=
                c.human;
        }
    }
    for (day, m) in &numbers.by_day {
        days.entry(*day).or_insert_with(|| Day { day: day.to_string(), ..Default::default() }).reports +=
            count(m.reports);
    }
    for (lot, m) in numbers.by_lot.iter().filter(|(lot, _)| !lot.is_empty()) {
        let l = lots.entry(lot.clone()).or_insert_with(|| Lot { lot: lot.clone(), ..Default::default() });
        l.reports += count(m.reports);
        l.defects += count(m.defects);
    }
    let totals = numbers.totals;
    let by_kind: BTreeMap<String, u64> = Kind::ALL
        .into_iter()
        .filter(|k| totals.by_kind(*k) > 0)
        .map(|k| (k.as_str().to_owned(), count(totals.by_kind(k))))
        .collect();
    let by_category: BTreeMap<String, u64> = numbers
        .by_category
        .iter()
        .filter(|((_, category), m)| !category.is_empty() && m.reports > 0)
        .map(|((kind, category), m)| (format!("{kind}/{category}"), count(m.reports)))
        .collect();
    Ok(HttpResponse::Ok().json(Stats {
        product_line_id: line.id.get(),
        from: from.to_string(),
        until: until.to_string(),
        scans,
        bot_scans: bots,
        reports: count(totals.reports),
        reports_per_1000_scans: metrics::per_thousand(count(totals.reports), count(scans)),
        average_rating: totals.average_rating(),
        csat: totals.csat(),
        nps: totals.nps(),
        by_kind,
        by_category,
        by_lot: lots.into_values().collect(),
        by_day: days.into_values().collect(),
    }))
}

#[derive(Serialize)]
struct Totals {
    scans: i64,
    reports: u64,
    defects: u64,
    /// Defects among all reports.
    defect_share: Share,
    reports_per_1000_scans: Option<f64>,
    average_rating: Option<f64>,
    csat: Share,
    nps: Share,
}

impl Totals {
    fn new(m: Measures, scans: i64) -> Totals {
        Totals {
            scans,
            reports: count(m.reports),
            defects: count(m.defects),
            defect_share: metrics::share(m.defects, m.reports),
            reports_per_1000_scans: metrics::per_thousand(count(m.reports), count(scans)),
            average_rating: m.average_rating(),
            csat: m.csat(),
            nps: m.nps(),
        }
    }
}

#[derive(Serialize)]
struct LineTotals {
    product_line_id: Uuid,
    name: String,
    code: String,
    status: String,
    current: Totals,
    previous: Totals,
}

#[derive(Serialize)]
struct LinesComparison {
    from: String,
    until: String,
    previous_from: String,
    previous_until: String,
    /// Every line, most reports in the period first.
    lines: Vec<LineTotals>,
}

/// Every line's totals for a period against the period of the same length just before it.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn lines(
    state: web::Data<AppState>,
    who: Manufacturer,
    q: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, until, window) = days_window(&q)?;
    let previous = window.previous();
    let (previous_from, previous_until) = (previous.start().date(), previous.end().date() - Duration::days(1));
    let all = store::product_lines::list_named(&state.app.db, who.id.get()).await?;
    let totals = store::stats::lines_over_days(&state.app.db, who.id.get(), previous_from, from, until).await?;
    let mut lines: Vec<LineTotals> = all
        .into_iter()
        .map(|l| {
            let t = totals.get(&l.id).copied().unwrap_or_default();
            LineTotals {
                current: Totals::new(t.current.measures, t.current.human_scans),
                previous: Totals::new(t.previous.measures, t.previous.human_scans),
                product_line_id: l.id,
                name: l.name,
                code: l.code,
                status: l.status,
            }
        })
        .collect();
    lines.sort_by(|a, b| b.current.reports.cmp(&a.current.reports).then_with(|| a.name.cmp(&b.name)));
    Ok(HttpResponse::Ok().json(LinesComparison {
        from: from.to_string(),
        until: until.to_string(),
        previous_from: previous_from.to_string(),
        previous_until: previous_until.to_string(),
        lines,
    }))
}
