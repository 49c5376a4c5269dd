use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{Manufacturer, owned_line};
use crate::domain::metrics::{self, Share};
use crate::store::{self, reports::Filter};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/stats").route(web::get().to(stats)));
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

async fn stats(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    q: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let line = owned_line(&state, who, *id).await?;
    let until = parse_day("until", q.until.as_deref())?.unwrap_or_else(|| OffsetDateTime::now_utc().date());
    let from = parse_day("from", q.from.as_deref())?.unwrap_or(until - Duration::days(29));
    if from > until || until - from > Duration::days(366) {
        return Err(ApiError::invalid("from", "the period must start before it ends and span at most 366 days"));
    }
    let start = from.midnight().assume_utc();
    let end = (until + Duration::days(1)).midnight().assume_utc();
    let reports = store::reports::list(
        &state.db,
        who.id,
        &Filter { product_line: Some(line.id), since: Some(start), until: Some(end), ..Default::default() },
    )
    .await?;
    let counts = store::scan_counts::for_line(&state.db, line.id).await?;
    let (from_s, until_s) = (from.to_string(), until.to_string());

    let mut days: BTreeMap<String, Day> = BTreeMap::new();
    let mut lots: BTreeMap<String, Lot> = BTreeMap::new();
    let (mut scans, mut bots) = (0i64, 0i64);
    for c in counts.iter().filter(|c| c.day >= from_s && c.day <= until_s) {
        scans += c.human;
        bots += c.bot;
        let d = days.entry(c.day.clone()).or_insert_with(|| Day { day: c.day.clone(), ..Default::default() });
        d.scans += c.human;
        d.bot_scans += c.bot;
        if !c.lot.is_empty() {
            lots.entry(c.lot.clone()).or_insert_with(|| Lot { lot: c.lot.clone(), ..Default::default() }).scans +=
                c.human;
        }
    }
    let mut by_kind = BTreeMap::new();
    let mut by_category = BTreeMap::new();
    for r in &reports {
        *by_kind.entry(r.kind.clone()).or_insert(0) += 1;
        if let Some(c) = &r.category {
            *by_category.entry(format!("{}/{c}", r.kind)).or_insert(0) += 1;
        }
        let day = r.created_at.date().to_string();
        days.entry(day.clone()).or_insert_with(|| Day { day, ..Default::default() }).reports += 1;
        if let Some(lot) = &r.lot {
            let l = lots.entry(lot.clone()).or_insert_with(|| Lot { lot: lot.clone(), ..Default::default() });
            l.reports += 1;
            if r.kind == "defect" {
                l.defects += 1;
            }
        }
    }
    let ratings: Vec<u8> = reports.iter().filter_map(|r| u8::try_from(r.rating).ok()).collect();
    let recommend: Vec<u8> = reports.iter().filter_map(|r| r.nps.and_then(|n| u8::try_from(n).ok())).collect();
    Ok(HttpResponse::Ok().json(Stats {
        product_line_id: line.id,
        from: from_s,
        until: until_s,
        scans,
        bot_scans: bots,
        reports: reports.len() as u64,
        reports_per_1000_scans: metrics::per_thousand(reports.len() as u64, scans.max(0) as u64),
        average_rating: metrics::mean(&ratings),
        csat: metrics::csat(&ratings),
        nps: metrics::nps(&recommend),
        by_kind,
        by_category,
        by_lot: lots.into_values().collect(),
        by_day: days.into_values().collect(),
    }))
}
