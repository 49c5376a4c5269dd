//! Scan counting that never slows the page: views are tallied in memory and written in one
//! transaction per second. A crash loses at most the last second of counts (documented in the
//! README); reports are never batched this way.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::sea_query::{Expr, LockType, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::StoreError;
use super::entities::product_line;
use super::entities::scan_count::{self, Column};
use super::rollups::DayPart;
use crate::domain::rollup::DayTotals;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    line: Uuid,
    day: time::Date,
    lot: String,
}

#[derive(Clone, Default)]
pub struct ScanCounter {
    pending: Arc<Mutex<HashMap<Key, (i64, i64)>>>,
}

impl ScanCounter {
    /// Called on every page view: no allocation unless the scan carries a lot.
    pub fn record(&self, line: Uuid, day: time::Date, lot: Option<&str>, bot: bool) {
        let key = Key { line, day, lot: lot.unwrap_or("").to_owned() };
        if let Ok(mut pending) = self.pending.lock() {
            let entry = pending.entry(key).or_default();
            if bot {
                entry.1 += 1;
            } else {
                entry.0 += 1;
            }
        }
    }

    /// Writes everything tallied so far. Returns how many rows were touched. On failure the counts
    /// are put back so the next flush retries them.
    pub async fn flush(&self, db: &DatabaseConnection) -> Result<usize, StoreError> {
        let taken: HashMap<Key, (i64, i64)> = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return Ok(0),
        };
        if taken.is_empty() {
            return Ok(0);
        }
        match write(db, &taken).await {
            Ok(()) => Ok(taken.len()),
            Err(e) => {
                if let Ok(mut p) = self.pending.lock() {
                    for (k, (h, b)) in taken {
                        let entry = p.entry(k).or_default();
                        entry.0 += h;
                        entry.1 += b;
                    }
                }
                Err(e)
            }
        }
    }

    /// Flushes once a second until the runtime shuts down.
    pub fn spawn_flusher(&self, db: DatabaseConnection) {
        let counter = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = counter.flush(&db).await {
                    tracing::warn!(error = %e, "writing scan counts failed; will retry");
                }
            }
        });
    }
}

async fn write(db: &DatabaseConnection, counts: &HashMap<Key, (i64, i64)>) -> Result<(), StoreError> {
    let txn = super::begin_write(db).await?;
    let mut days: DayTotals = BTreeMap::new();
    for (key, (human, bot)) in counts {
        let t = days.entry((key.line, key.day)).or_default();
        t.human_scans += human;
        t.bot_scans += bot;
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // A rollup rebuild holds its line `FOR UPDATE` while it recomputes the line's day totals
        // from the scan counts: wait for it rather than add to rows it is replacing. In id order,
        // so two flushes never wait on each other crosswise.
        let lines: BTreeSet<Uuid> = counts.keys().map(|k| k.line).collect();
        let _: Vec<Uuid> = product_line::Entity::find()
            .select_only()
            .column(product_line::Column::Id)
            .filter(product_line::Column::Id.is_in(lines))
            .order_by_asc(product_line::Column::Id)
            .lock(LockType::KeyShare)
            .into_tuple()
            .all(&txn)
            .await?;
    }
    for (key, (human, bot)) in counts {
        let row = scan_count::ActiveModel {
            product_line_id: Set(key.line),
            day: Set(key.day),
            lot: Set(key.lot.clone()),
            human: Set(*human),
            bot: Set(*bot),
        };
        scan_count::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([Column::ProductLineId, Column::Day, Column::Lot])
                    .value(Column::Human, Expr::cust("scan_counts.human + excluded.human"))
                    .value(Column::Bot, Expr::cust("scan_counts.bot + excluded.bot"))
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    super::rollups::write_days(&txn, &days, DayPart::Scans).await?;
    txn.commit().await?;
    Ok(())
}

/// Counts of one line for the days `from..=until`, oldest day first.
pub async fn for_line(
    db: &DatabaseConnection,
    line: Uuid,
    from: time::Date,
    until: time::Date,
) -> Result<Vec<scan_count::Model>, StoreError> {
    Ok(scan_count::Entity::find()
        .filter(Column::ProductLineId.eq(line))
        .filter(Column::Day.gte(from))
        .filter(Column::Day.lte(until))
        .order_by_asc(Column::Day)
        .order_by_asc(Column::Lot)
        .all(db)
        .await?)
}

/// (human, bot) scans per line for the days `from..=until`, summed over lots.
pub async fn per_line(
    db: &DatabaseConnection,
    lines: &[Uuid],
    from: time::Date,
    until: time::Date,
) -> Result<HashMap<Uuid, (i64, i64)>, StoreError> {
    let mut out = HashMap::new();
    for chunk in lines.chunks(500) {
        let rows: Vec<(Uuid, i64, i64)> = scan_count::Entity::find()
            .select_only()
            .column(Column::ProductLineId)
            .column_as(Expr::cust("CAST(SUM(human) AS BIGINT)"), "human")
            .column_as(Expr::cust("CAST(SUM(bot) AS BIGINT)"), "bot")
            .filter(Column::ProductLineId.is_in(chunk.iter().copied()))
            .filter(Column::Day.gte(from))
            .filter(Column::Day.lte(until))
            .group_by(Column::ProductLineId)
            .into_tuple()
            .all(db)
            .await?;
        for (line, human, bot) in rows {
            out.insert(line, (human, bot));
        }
    }
    Ok(out)
}
