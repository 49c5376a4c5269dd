//! Every statistical question, answered from the rollups (never by counting raw reports). A window
//! is split by `domain::rollup::Window::plan` into whole UTC days, read from the day grains (about
//! one row per line and day), and quarter-hour edges, read from the finest grain.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryResult, QuerySelect, Select,
};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::StoreError;
use super::entities::report_rollup::{self, Column, Entity};
use super::entities::{line_day, product_line};
use super::rollups::measures_of;
use crate::domain::day_blocks;
use crate::domain::rollup::{DayTotal, Grain, Measures, Window};

/// One line's numbers over a window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineStats {
    pub totals: Measures,
    /// (kind, category) -> counts; category is '' for reports without one.
    pub by_category: BTreeMap<(String, String), Measures>,
    /// Lot -> counts; '' for reports without a lot.
    pub by_lot: BTreeMap<String, Measures>,
    /// UTC day -> counts.
    pub by_day: BTreeMap<Date, Measures>,
}

/// A row of sums with up to two text keys and a line id, whichever the query selected.
struct Summed {
    a: String,
    b: String,
    line: Option<Uuid>,
    m: Measures,
}

const MEASURE_NAMES: [&str; 13] = [
    "reports",
    "defects",
    "usability",
    "praise",
    "other",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "nps_promoters",
    "nps_passives",
    "nps_detractors",
];

impl FromQueryResult for Summed {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let get = |name: &str| res.try_get::<i64>(pre, name);
        Ok(Summed {
            a: res.try_get::<String>(pre, "a").unwrap_or_default(),
            b: res.try_get::<String>(pre, "b").unwrap_or_default(),
            line: res.try_get::<Uuid>(pre, "line").ok(),
            m: Measures {
                reports: get("reports")?,
                defects: get("defects")?,
                usability: get("usability")?,
                praise: get("praise")?,
                other: get("other")?,
                ratings: [get("rating_1")?, get("rating_2")?, get("rating_3")?, get("rating_4")?, get("rating_5")?],
                nps_promoters: get("nps_promoters")?,
                nps_passives: get("nps_passives")?,
                nps_detractors: get("nps_detractors")?,
            },
        })
    }
}

/// `SUM` of every measure; cast because PostgreSQL sums a BIGINT into a NUMERIC.
fn with_sums(mut q: Select<Entity>) -> Select<Entity> {
    for name in MEASURE_NAMES {
        q = q.column_as(Expr::cust(format!("CAST(SUM({name}) AS BIGINT)")), name);
    }
    q
}

fn in_range(grain: Grain, start: OffsetDateTime, end: OffsetDateTime) -> Condition {
    Condition::all().add(Column::Grain.eq(grain.code())).add(Column::Bucket.gte(start)).add(Column::Bucket.lt(end))
}

/// One line over a window: totals, by kind and category, by lot and by UTC day.
#[tracing::instrument(skip_all, fields(%line))]
pub async fn line(db: &DatabaseConnection, line: Uuid, window: Window) -> Result<LineStats, StoreError> {
    let plan = window.plan();
    let mut out = LineStats::default();
    for (start, end) in &plan.quarters {
        let cells = Entity::find()
            .filter(Column::ProductLineId.eq(line))
            .filter(in_range(Grain::Quarter, *start, *end))
            .all(db)
            .await?;
        for c in cells {
            let m = measures_of(&c);
            out.totals += m;
            *out.by_category.entry((c.kind.clone(), c.category.clone())).or_default() += m;
            *out.by_lot.entry(c.lot.clone()).or_default() += m;
            *out.by_day.entry(c.bucket.date()).or_default() += m;
        }
    }
    if let Some((start, end)) = plan.days {
        let days: Vec<report_rollup::Model> = Entity::find()
            .filter(Column::ProductLineId.eq(line))
            .filter(in_range(Grain::Day, start, end))
            .all(db)
            .await?;
        for d in days {
            let m = measures_of(&d);
            out.totals += m;
            *out.by_day.entry(d.bucket.date()).or_default() += m;
        }
        let categories: Vec<Summed> = with_sums(
            Entity::find()
                .select_only()
                .column_as(Column::Kind, "a")
                .column_as(Column::Category, "b")
                .filter(Column::ProductLineId.eq(line))
                .filter(in_range(Grain::DayCategory, start, end))
                .group_by(Column::Kind)
                .group_by(Column::Category),
        )
        .into_model()
        .all(db)
        .await?;
        for s in categories {
            *out.by_category.entry((s.a, s.b)).or_default() += s.m;
        }
        let lots: Vec<Summed> = with_sums(
            Entity::find()
                .select_only()
                .column_as(Column::Lot, "a")
                .filter(Column::ProductLineId.eq(line))
                .filter(in_range(Grain::DayLot, start, end))
                .group_by(Column::Lot),
        )
        .into_model()
        .all(db)
        .await?;
        for s in lots {
            *out.by_lot.entry(s.a).or_default() += s.m;
        }
    }
    Ok(out)
}

/// Totals of every line of a manufacturer that has reports in the window.
#[tracing::instrument(skip_all, fields(%manufacturer))]
pub async fn lines(
    db: &DatabaseConnection,
    manufacturer: Uuid,
    window: Window,
) -> Result<BTreeMap<Uuid, Measures>, StoreError> {
    let plan = window.plan();
    let mut ranges: Vec<(Grain, OffsetDateTime, OffsetDateTime)> =
        plan.quarters.iter().map(|(s, e)| (Grain::Quarter, *s, *e)).collect();
    if let Some((s, e)) = plan.days {
        ranges.push((Grain::Day, s, e));
    }
    let mut out: BTreeMap<Uuid, Measures> = BTreeMap::new();
    for (grain, start, end) in ranges {
        let rows: Vec<Summed> = with_sums(
            Entity::find()
                .select_only()
                .column_as(Column::ProductLineId, "line")
                .filter(Column::ManufacturerId.eq(manufacturer))
                .filter(in_range(grain, start, end))
                .group_by(Column::ProductLineId),
        )
        .into_model()
        .all(db)
        .await?;
        for s in rows {
            if let Some(line) = s.line {
                *out.entry(line).or_default() += s.m;
            }
        }
    }
    Ok(out)
}

/// One line's counts over a window by UTC day, kind and category (category '' for none): the
/// weekly chart groups these into weeks. Whole days come from the day-by-category grain, the
/// window's edges from quarter-hours.
#[tracing::instrument(skip_all, fields(%line))]
pub async fn line_by_day_and_category(
    db: &DatabaseConnection,
    line: Uuid,
    window: Window,
) -> Result<BTreeMap<(Date, String, String), Measures>, StoreError> {
    let plan = window.plan();
    let mut ranges: Vec<(Grain, OffsetDateTime, OffsetDateTime)> =
        plan.quarters.iter().map(|(s, e)| (Grain::Quarter, *s, *e)).collect();
    if let Some((s, e)) = plan.days {
        ranges.push((Grain::DayCategory, s, e));
    }
    let mut out: BTreeMap<(Date, String, String), Measures> = BTreeMap::new();
    for (grain, start, end) in ranges {
        let cells =
            Entity::find().filter(Column::ProductLineId.eq(line)).filter(in_range(grain, start, end)).all(db).await?;
        for c in cells {
            let m = measures_of(&c);
            *out.entry((c.bucket.to_offset(time::UtcOffset::UTC).date(), c.kind, c.category)).or_default() += m;
        }
    }
    Ok(out)
}

/// Every lot's counts over all time ('' for reports without a lot): lots are compared over their
/// whole life, since their reports keep arriving for as long as the units are in use. One summed
/// read of the day-by-lot grain.
#[tracing::instrument(skip_all, fields(%line))]
pub async fn line_lots_all_time(db: &DatabaseConnection, line: Uuid) -> Result<BTreeMap<String, Measures>, StoreError> {
    let rows: Vec<Summed> = with_sums(
        Entity::find()
            .select_only()
            .column_as(Column::Lot, "a")
            .filter(Column::ProductLineId.eq(line))
            .filter(Column::Grain.eq(Grain::DayLot.code()))
            .group_by(Column::Lot),
    )
    .into_model()
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|s| (s.a, s.m)).collect())
}

/// Reports per (line, kind, category) of every line of a manufacturer over a window (category ''
/// for none): what the spike detector compares. Whole days come from the day-by-category grain,
/// the edges from quarter-hours.
#[tracing::instrument(skip_all, fields(%manufacturer))]
pub async fn by_line_and_category(
    db: &DatabaseConnection,
    manufacturer: Uuid,
    window: Window,
) -> Result<BTreeMap<(Uuid, String, String), i64>, StoreError> {
    let plan = window.plan();
    let mut ranges: Vec<(Grain, OffsetDateTime, OffsetDateTime)> =
        plan.quarters.iter().map(|(s, e)| (Grain::Quarter, *s, *e)).collect();
    if let Some((s, e)) = plan.days {
        ranges.push((Grain::DayCategory, s, e));
    }
    let mut out: BTreeMap<(Uuid, String, String), i64> = BTreeMap::new();
    for (grain, start, end) in ranges {
        let rows: Vec<Summed> = with_sums(
            Entity::find()
                .select_only()
                .column_as(Column::ProductLineId, "line")
                .column_as(Column::Kind, "a")
                .column_as(Column::Category, "b")
                .filter(Column::ManufacturerId.eq(manufacturer))
                .filter(in_range(grain, start, end))
                .group_by(Column::ProductLineId)
                .group_by(Column::Kind)
                .group_by(Column::Category),
        )
        .into_model()
        .all(db)
        .await?;
        for s in rows {
            if let Some(line) = s.line {
                *out.entry((line, s.a, s.b)).or_default() += s.m.reports;
            }
        }
    }
    out.retain(|_, n| *n > 0);
    Ok(out)
}

/// One line's day totals over two adjacent periods of whole UTC days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TwoPeriods {
    /// The days `previous_from..from`.
    pub previous: DayTotal,
    /// The days `from..=until`.
    pub current: DayTotal,
}

struct PeriodRow {
    line: Uuid,
    current: bool,
    total: DayTotal,
}

impl FromQueryResult for PeriodRow {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let summed = Summed::from_query_result(res, pre)?;
        Ok(PeriodRow {
            line: res.try_get(pre, "line")?,
            current: res.try_get::<i32>(pre, "current")? == 1,
            total: DayTotal {
                measures: summed.m,
                human_scans: res.try_get(pre, "human")?,
                bot_scans: res.try_get(pre, "bot")?,
            },
        })
    }
}

/// Every line of `manufacturer`: its report counts and scans for the days `from..=until` and for the
/// days `previous_from..from` before them, in one statement over `line_days`. Each period is read as
/// its whole blocks of days and the edge days around them (`domain::day_blocks::cover`), each piece a
/// key range, about ten rows per line and period instead of one per day; the database sums them.
/// The lines come from a sub-select, not a list of ids: one bound value per piece instead of one per
/// line (2,500 for 500 lines made PostgreSQL's parse and bind cost more than the read). Lines
/// without a row in either period are left out.
#[tracing::instrument(skip_all, fields(%manufacturer))]
pub async fn lines_over_days(
    db: &DatabaseConnection,
    manufacturer: Uuid,
    previous_from: Date,
    from: Date,
    until: Date,
) -> Result<BTreeMap<Uuid, TwoPeriods>, StoreError> {
    let periods =
        [(0, day_blocks::cover(previous_from, from - Duration::days(1))), (1, day_blocks::cover(from, until))];
    let lines = Query::select()
        .column(product_line::Column::Id)
        .from(product_line::Entity)
        .and_where(product_line::Column::ManufacturerId.eq(manufacturer))
        .to_owned();
    // One branch per key range; `current` says which period it belongs to.
    let mut branches = periods.iter().flat_map(|(current, cover)| {
        let lines = &lines;
        cover.ranges().map(move |(span, a, b)| {
            let mut q = Query::select();
            q.from(line_day::Entity)
                .expr_as(Expr::col(line_day::Column::ProductLineId), Alias::new("line"))
                .expr_as(Expr::cust(current.to_string()), Alias::new("current"));
            for name in MEASURE_NAMES.into_iter().chain(["human", "bot"]) {
                q.column(Alias::new(name));
            }
            q.and_where(Expr::col(line_day::Column::ProductLineId).in_subquery(lines.clone()))
                .and_where(line_day::Column::Span.eq(span.code()))
                .and_where(line_day::Column::Day.between(a, b))
                .to_owned()
        })
    });
    let mut out: BTreeMap<Uuid, TwoPeriods> = BTreeMap::new();
    let Some(mut union) = branches.next() else { return Ok(out) };
    union.unions(branches.map(|b| (UnionType::All, b)));
    let mut outer = Query::select();
    outer.from_subquery(union, Alias::new("t")).column(Alias::new("line")).column(Alias::new("current"));
    for name in MEASURE_NAMES.into_iter().chain(["human", "bot"]) {
        outer.expr_as(Expr::cust(format!("CAST(SUM({name}) AS BIGINT)")), Alias::new(name));
    }
    outer.group_by_col(Alias::new("line")).group_by_col(Alias::new("current"));
    let rows = db.query_all_raw(db.get_database_backend().build(&outer)).await?;
    for row in rows {
        let r = PeriodRow::from_query_result(&row, "")?;
        let entry = out.entry(r.line).or_default();
        if r.current {
            entry.current = r.total;
        } else {
            entry.previous = r.total;
        }
    }
    Ok(out)
}
