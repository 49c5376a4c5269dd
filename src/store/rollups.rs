//! The statistics rollups: written with the reports in the group-commit transaction, and rebuilt or
//! checked from the raw rows. What a cell holds is defined once, in `domain::rollup`.
//!
//! Rebuild and check work one line and one UTC month at a time: every cell of a report lies in the
//! report's month, so a month is a self-contained unit. Each unit is one short transaction, which
//! keeps a rebuild safe beside a running service: on SQLite the unit begins `IMMEDIATE` and so holds
//! the write lock, on PostgreSQL the line's row is locked `FOR UPDATE`, which waits for (and then
//! holds off) report inserts of that line, whose foreign-key check takes a share lock on that row.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    AccessMode, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, IsolationLevel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::StoreError;
use super::entities::report_rollup::{self, Column};
use super::entities::{line_day, product_line, report, scan_count};
use crate::domain::Kind;
use crate::domain::day_blocks::{self, Span};
use crate::domain::rollup::{self, CellKey, DayTotal, DayTotals, Difference, Fact, Grain, Measures, Tally};

/// Rows per INSERT: 19 values each stays far below SQLite's bound-parameter limit.
const ROWS_PER_STATEMENT: usize = 500;

const MEASURES: [Column; 13] = [
    Column::Reports,
    Column::Defects,
    Column::Usability,
    Column::Praise,
    Column::Other,
    Column::Rating1,
    Column::Rating2,
    Column::Rating3,
    Column::Rating4,
    Column::Rating5,
    Column::NpsPromoters,
    Column::NpsPassives,
    Column::NpsDetractors,
];

fn active(key: &CellKey, manufacturer_id: Uuid, m: &Measures) -> report_rollup::ActiveModel {
    let [r1, r2, r3, r4, r5] = m.ratings;
    report_rollup::ActiveModel {
        product_line_id: Set(key.product_line_id),
        grain: Set(key.grain.code()),
        bucket: Set(key.bucket),
        kind: Set(key.kind.clone()),
        category: Set(key.category.clone()),
        lot: Set(key.lot.clone()),
        manufacturer_id: Set(manufacturer_id),
        reports: Set(m.reports),
        defects: Set(m.defects),
        usability: Set(m.usability),
        praise: Set(m.praise),
        other: Set(m.other),
        rating_1: Set(r1),
        rating_2: Set(r2),
        rating_3: Set(r3),
        rating_4: Set(r4),
        rating_5: Set(r5),
        nps_promoters: Set(m.nps_promoters),
        nps_passives: Set(m.nps_passives),
        nps_detractors: Set(m.nps_detractors),
    }
}

pub(crate) fn measures_of(r: &report_rollup::Model) -> Measures {
    Measures {
        reports: r.reports,
        defects: r.defects,
        usability: r.usability,
        praise: r.praise,
        other: r.other,
        ratings: [r.rating_1, r.rating_2, r.rating_3, r.rating_4, r.rating_5],
        nps_promoters: r.nps_promoters,
        nps_passives: r.nps_passives,
        nps_detractors: r.nps_detractors,
    }
}

/// Adds the tally to the stored cells and to the lines' day totals, inside the caller's
/// transaction. Rows go in key order, so concurrent writers (several processes on one PostgreSQL)
/// lock cells in the same order.
pub async fn add<C: ConnectionTrait>(conn: &C, tally: &Tally) -> Result<(), DbErr> {
    write(conn, tally, true).await?;
    write_days(conn, &tally.day_totals(), DayPart::Reports).await
}

/// Moves one report's counts from the cells of `from` to those of `to` (the same report with
/// another category), inside the caller's transaction. Only the cells that keep the category
/// change: the day totals are the same before and after.
pub async fn recategorise<C: ConnectionTrait>(conn: &C, from: &Fact, to: &Fact) -> Result<(), DbErr> {
    let mut tally = Tally::default();
    tally.remove(from);
    tally.add(to);
    tally.cells.retain(|_, (_, m)| !m.is_zero());
    write(conn, &tally, true).await
}

const DAY_MEASURES: [line_day::Column; 13] = [
    line_day::Column::Reports,
    line_day::Column::Defects,
    line_day::Column::Usability,
    line_day::Column::Praise,
    line_day::Column::Other,
    line_day::Column::Rating1,
    line_day::Column::Rating2,
    line_day::Column::Rating3,
    line_day::Column::Rating4,
    line_day::Column::Rating5,
    line_day::Column::NpsPromoters,
    line_day::Column::NpsPassives,
    line_day::Column::NpsDetractors,
];

/// Which half of a day total a writer adds to: the report writer adds report counts, the scan
/// counter adds scans; a rebuild writes whole rows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayPart {
    Reports,
    Scans,
    Whole,
}

fn day_active(line: Uuid, span: Span, day: Date, t: &DayTotal) -> line_day::ActiveModel {
    let m = &t.measures;
    let [r1, r2, r3, r4, r5] = m.ratings;
    line_day::ActiveModel {
        product_line_id: Set(line),
        span: Set(span.code()),
        day: Set(day),
        reports: Set(m.reports),
        defects: Set(m.defects),
        usability: Set(m.usability),
        praise: Set(m.praise),
        other: Set(m.other),
        rating_1: Set(r1),
        rating_2: Set(r2),
        rating_3: Set(r3),
        rating_4: Set(r4),
        rating_5: Set(r5),
        nps_promoters: Set(m.nps_promoters),
        nps_passives: Set(m.nps_passives),
        nps_detractors: Set(m.nps_detractors),
        human: Set(t.human_scans),
        bot: Set(t.bot_scans),
    }
}

fn day_total_of(r: &line_day::Model) -> DayTotal {
    DayTotal {
        measures: Measures {
            reports: r.reports,
            defects: r.defects,
            usability: r.usability,
            praise: r.praise,
            other: r.other,
            ratings: [r.rating_1, r.rating_2, r.rating_3, r.rating_4, r.rating_5],
            nps_promoters: r.nps_promoters,
            nps_passives: r.nps_passives,
            nps_detractors: r.nps_detractors,
        },
        human_scans: r.human,
        bot_scans: r.bot,
    }
}

/// Writes day totals, and the totals of the blocks that hold those days, inside the caller's
/// transaction: `Whole` inserts rows (after a rebuild's delete of whole months, so whole blocks);
/// the other parts add their half to each row, creating it when the day or block has none yet.
pub(crate) async fn write_days<C: ConnectionTrait>(conn: &C, days: &DayTotals, part: DayPart) -> Result<(), DbErr> {
    let blocks = day_blocks::block_totals(days);
    // In key order, as every writer does, so two writers take row locks in the same order.
    let mut keyed: Vec<(Uuid, Span, Date, &DayTotal)> = days
        .iter()
        .map(|(&(line, day), t)| (line, Span::Day, day, t))
        .chain(blocks.iter().map(|(&(line, day), t)| (line, Span::Block, day, t)))
        .collect();
    keyed.sort_by_key(|&(line, span, day, _)| (line, span, day));
    let rows: Vec<line_day::ActiveModel> =
        keyed.into_iter().map(|(line, span, day, t)| day_active(line, span, day, t)).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let insert = line_day::Entity::insert_many(chunk.iter().cloned());
        let added: &[line_day::Column] = match part {
            DayPart::Whole => {
                insert.exec_without_returning(conn).await?;
                continue;
            }
            DayPart::Reports => &DAY_MEASURES,
            DayPart::Scans => &[line_day::Column::Human, line_day::Column::Bot],
        };
        let mut on_conflict =
            OnConflict::columns([line_day::Column::ProductLineId, line_day::Column::Span, line_day::Column::Day]);
        for col in added {
            let name = sea_orm::IdenStatic::as_str(col);
            on_conflict.value(*col, Expr::cust(format!("line_days.{name} + excluded.{name}")));
        }
        insert.on_conflict(on_conflict.to_owned()).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// The day totals of one line for the days `[from, to)`: report counts from `tally` (the line's
/// recomputed cells of those days), scans summed from the scan counts.
async fn recompute_days<C: ConnectionTrait>(
    conn: &C,
    line: Uuid,
    from: Date,
    to: Date,
    tally: &Tally,
) -> Result<DayTotals, StoreError> {
    let mut days = tally.day_totals();
    let scans: Vec<(Date, i64, i64)> = scan_count::Entity::find()
        .select_only()
        .column(scan_count::Column::Day)
        .column_as(Expr::cust("CAST(SUM(human) AS BIGINT)"), "human")
        .column_as(Expr::cust("CAST(SUM(bot) AS BIGINT)"), "bot")
        .filter(scan_count::Column::ProductLineId.eq(line))
        .filter(scan_count::Column::Day.gte(from))
        .filter(scan_count::Column::Day.lt(to))
        .group_by(scan_count::Column::Day)
        .into_tuple()
        .all(conn)
        .await?;
    for (day, human, bot) in scans {
        let t = days.entry((line, day)).or_default();
        t.human_scans += human;
        t.bot_scans += bot;
    }
    days.retain(|_, t| !t.is_zero());
    Ok(days)
}

async fn stored_days<C: ConnectionTrait>(
    conn: &C,
    line: Uuid,
    span: Span,
    from: Date,
    to: Date,
) -> Result<DayTotals, StoreError> {
    let rows = line_day::Entity::find()
        .filter(line_day::Column::ProductLineId.eq(line))
        .filter(line_day::Column::Span.eq(span.code()))
        .filter(line_day::Column::Day.gte(from))
        .filter(line_day::Column::Day.lt(to))
        .all(conn)
        .await?;
    Ok(rows.iter().map(|r| ((r.product_line_id, r.day), day_total_of(r))).collect::<BTreeMap<_, _>>())
}

async fn write<C: ConnectionTrait>(conn: &C, tally: &Tally, accumulate: bool) -> Result<(), DbErr> {
    let rows: Vec<report_rollup::ActiveModel> = tally.cells.iter().map(|(k, (m_id, m))| active(k, *m_id, m)).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let insert = report_rollup::Entity::insert_many(chunk.iter().cloned());
        if accumulate {
            let mut on_conflict = OnConflict::columns([
                Column::ProductLineId,
                Column::Grain,
                Column::Bucket,
                Column::Kind,
                Column::Category,
                Column::Lot,
            ]);
            for col in MEASURES {
                let name = sea_orm::IdenStatic::as_str(&col);
                on_conflict.value(col, Expr::cust(format!("report_rollups.{name} + excluded.{name}")));
            }
            insert.on_conflict(on_conflict.to_owned()).exec_without_returning(conn).await?;
        } else {
            insert.exec_without_returning(conn).await?;
        }
    }
    Ok(())
}

type RawRow = (OffsetDateTime, Uuid, String, Option<String>, Option<String>, i16, Option<i16>);

/// The rollup fact of a stored report.
fn fact_of(line: Uuid, row: RawRow) -> Result<Fact, StoreError> {
    let (created_at, manufacturer_id, kind, category, lot, rating, recommend) = row;
    let kind = Kind::parse(&kind).ok_or_else(|| anyhow::anyhow!("a stored report has the unknown kind `{kind}`"))?;
    Ok(Fact {
        product_line_id: line,
        manufacturer_id,
        created_at,
        kind,
        category: category.filter(|c| !c.is_empty()),
        lot: lot.filter(|l| !l.is_empty()),
        rating: u8::try_from(rating).unwrap_or(0),
        recommend: recommend.and_then(|n| u8::try_from(n).ok()),
    })
}

/// The rollups of one line's reports created in `[start, end)`, computed from the raw rows.
async fn recompute<C: ConnectionTrait>(
    conn: &C,
    line: Uuid,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Result<Tally, StoreError> {
    // SQLite compares timestamps as RFC 3339 text, whose fraction has no fixed width, so text order
    // can be off within one second: ask for a second more on each side and decide here, exactly.
    let rows: Vec<RawRow> = report::Entity::find()
        .select_only()
        .columns([
            report::Column::CreatedAt,
            report::Column::ManufacturerId,
            report::Column::Kind,
            report::Column::Category,
            report::Column::Lot,
            report::Column::Rating,
            report::Column::Nps,
        ])
        .filter(report::Column::ProductLineId.eq(line))
        .filter(report::Column::CreatedAt.gte(start - Duration::seconds(1)))
        .filter(report::Column::CreatedAt.lt(end + Duration::seconds(1)))
        .into_tuple()
        .all(conn)
        .await?;
    let mut tally = Tally::default();
    for row in rows {
        if row.0 < start || row.0 >= end {
            continue;
        }
        tally.add(&fact_of(line, row)?);
    }
    Ok(tally)
}

/// The stored rollups of one line with buckets in `[start, end)`.
async fn stored<C: ConnectionTrait>(
    conn: &C,
    line: Uuid,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Result<Tally, StoreError> {
    let rows = report_rollup::Entity::find()
        .filter(Column::ProductLineId.eq(line))
        .filter(Column::Bucket.gte(start))
        .filter(Column::Bucket.lt(end))
        .all(conn)
        .await?;
    let mut tally = Tally::default();
    for r in rows {
        let Some(grain) = Grain::from_code(r.grain) else {
            return Err(anyhow::anyhow!("a rollup row has the unknown grain {}", r.grain).into());
        };
        let key = CellKey {
            product_line_id: r.product_line_id,
            grain,
            bucket: r.bucket,
            kind: r.kind.clone(),
            category: r.category.clone(),
            lot: r.lot.clone(),
        };
        tally.cells.insert(key, (r.manufacturer_id, measures_of(&r)));
    }
    Ok(tally)
}

/// The UTC months `[start, end)` in which a line has reports or rollups, oldest first.
async fn months(db: &DatabaseConnection, line: Uuid) -> Result<Vec<(OffsetDateTime, OffsetDateTime)>, StoreError> {
    let first_report: Option<OffsetDateTime> = report::Entity::find()
        .select_only()
        .column(report::Column::CreatedAt)
        .filter(report::Column::ProductLineId.eq(line))
        .order_by_asc(report::Column::CreatedAt)
        .into_tuple()
        .one(db)
        .await?;
    let last_report: Option<OffsetDateTime> = report::Entity::find()
        .select_only()
        .column(report::Column::CreatedAt)
        .filter(report::Column::ProductLineId.eq(line))
        .order_by_desc(report::Column::CreatedAt)
        .into_tuple()
        .one(db)
        .await?;
    let first_cell: Option<OffsetDateTime> = report_rollup::Entity::find()
        .select_only()
        .column(Column::Bucket)
        .filter(Column::ProductLineId.eq(line))
        .order_by_asc(Column::Bucket)
        .into_tuple()
        .one(db)
        .await?;
    let last_cell: Option<OffsetDateTime> = report_rollup::Entity::find()
        .select_only()
        .column(Column::Bucket)
        .filter(Column::ProductLineId.eq(line))
        .order_by_desc(Column::Bucket)
        .into_tuple()
        .one(db)
        .await?;
    let (first_scan, last_scan) =
        day_span(db, scan_count::Entity, scan_count::Column::ProductLineId, scan_count::Column::Day, line).await?;
    let (first_day, last_day) =
        day_span(db, line_day::Entity, line_day::Column::ProductLineId, line_day::Column::Day, line).await?;
    let midnight = |d: Date| d.midnight().assume_utc();
    let first =
        [first_report, first_cell, first_scan.map(midnight), first_day.map(midnight)].into_iter().flatten().min();
    let last = [last_report, last_cell, last_scan.map(midnight), last_day.map(midnight)].into_iter().flatten().max();
    let (Some(first), Some(last)) = (first, last) else { return Ok(Vec::new()) };
    // A margin of a day each side: text order on SQLite may put a report a second off (see
    // `recompute`), and an empty month costs one DELETE.
    let mut start = rollup::month_start(first - Duration::days(1));
    let stop = rollup::next_month_start(last + Duration::days(1));
    let mut out = Vec::new();
    while start < stop {
        let end = rollup::next_month_start(start);
        out.push((start, end));
        start = end;
    }
    Ok(out)
}

/// The first and last day a line has rows for in a table keyed by line and day.
async fn day_span<E: EntityTrait>(
    db: &DatabaseConnection,
    _entity: E,
    line_col: E::Column,
    day_col: E::Column,
    line: Uuid,
) -> Result<(Option<Date>, Option<Date>), StoreError> {
    let row: Option<(Option<Date>, Option<Date>)> = E::find()
        .select_only()
        .column_as(day_col.min(), "first")
        .column_as(day_col.max(), "last")
        .filter(line_col.eq(line))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.unwrap_or((None, None)))
}

async fn lock_line(txn: &DatabaseTransaction, line: Uuid) -> Result<(), StoreError> {
    // `FOR UPDATE` on PostgreSQL; SQLite has no row locks (and needs none: see the module comment).
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        let _: Option<Uuid> = product_line::Entity::find_by_id(line)
            .select_only()
            .column(product_line::Column::Id)
            .lock_exclusive()
            .into_tuple()
            .one(txn)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RebuildReport {
    pub lines: usize,
    pub months: usize,
    pub cells: usize,
}

/// Recomputes every rollup from the raw reports. Idempotent; safe while the service runs.
/// `progress(done, total)` is called after each line.
pub async fn rebuild(
    db: &DatabaseConnection,
    mut progress: impl FnMut(usize, usize),
) -> Result<RebuildReport, StoreError> {
    let lines = line_ids(db).await?;
    let mut report = RebuildReport { lines: lines.len(), ..RebuildReport::default() };
    progress(0, lines.len());
    for (i, line) in lines.iter().enumerate() {
        for (start, end) in months(db, *line).await? {
            let txn = super::begin_write(db).await?;
            // PostgreSQL: hold off this line's report inserts (SQLite holds the write lock already).
            lock_line(&txn, *line).await?;
            report_rollup::Entity::delete_many()
                .filter(Column::ProductLineId.eq(*line))
                .filter(Column::Bucket.gte(start))
                .filter(Column::Bucket.lt(end))
                .exec(&txn)
                .await?;
            let (from, to) = (start.date(), end.date());
            line_day::Entity::delete_many()
                .filter(line_day::Column::ProductLineId.eq(*line))
                .filter(line_day::Column::Day.gte(from))
                .filter(line_day::Column::Day.lt(to))
                .exec(&txn)
                .await?;
            let tally = recompute(&txn, *line, start, end).await?;
            write(&txn, &tally, false).await?;
            let days = recompute_days(&txn, *line, from, to, &tally).await?;
            write_days(&txn, &days, DayPart::Whole).await?;
            txn.commit().await?;
            report.months += 1;
            report.cells += tally.len();
        }
        progress(i + 1, lines.len());
    }
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // Fresh statistics for the planner, and (VACUUM) the visibility map that lets the
        // comparison of every line read `line_days` from its covering index alone.
        db.execute_unprepared("VACUUM (ANALYZE) line_days").await?;
        db.execute_unprepared("ANALYZE report_rollups").await?;
    }
    Ok(report)
}

/// Compares the stored rollups with a recomputation from the raw reports. Each line and month is
/// read in one snapshot, so reports arriving meanwhile do not show up as differences.
pub async fn check(
    db: &DatabaseConnection,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<Difference>, StoreError> {
    let lines = line_ids(db).await?;
    let mut differences = Vec::new();
    progress(0, lines.len());
    for (i, line) in lines.iter().enumerate() {
        for (start, end) in months(db, *line).await? {
            let txn = if db.get_database_backend() == DatabaseBackend::Postgres {
                db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
            } else {
                db.begin().await?
            };
            let (from, to) = (start.date(), end.date());
            let stored_cells = stored(&txn, *line, start, end).await?;
            let expected = recompute(&txn, *line, start, end).await?;
            let days = stored_days(&txn, *line, Span::Day, from, to).await?;
            let blocks = stored_days(&txn, *line, Span::Block, from, to).await?;
            let expected_days = recompute_days(&txn, *line, from, to, &expected).await?;
            txn.commit().await?;
            differences.extend(rollup::compare(&stored_cells, &expected));
            differences.extend(rollup::compare_days(Span::Day, &days, &expected_days));
            differences.extend(rollup::compare_days(Span::Block, &blocks, &day_blocks::block_totals(&expected_days)));
        }
        progress(i + 1, lines.len());
    }
    Ok(differences)
}

/// Whether reports exist without any rollup: a database from before rollups, which `open` rebuilds.
pub async fn missing(db: &DatabaseConnection) -> Result<bool, StoreError> {
    let any_report: Option<Uuid> =
        report::Entity::find().select_only().column(report::Column::Id).into_tuple().one(db).await?;
    if any_report.is_none() {
        return Ok(false);
    }
    let any_cell: Option<Uuid> =
        report_rollup::Entity::find().select_only().column(Column::ProductLineId).into_tuple().one(db).await?;
    Ok(any_cell.is_none())
}

async fn line_ids(db: &DatabaseConnection) -> Result<Vec<Uuid>, StoreError> {
    Ok(product_line::Entity::find()
        .select_only()
        .column(product_line::Column::Id)
        .order_by_asc(product_line::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
