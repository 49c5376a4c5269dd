//! Spike alerts: each manufacturer's thresholds, who takes alerts, and the alerts themselves (one row
//! per spike; the unique key on line, kind, category and window end makes a repeated run a no-op).

use std::collections::BTreeMap;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::entities::alert::{self, Column, Model};
use super::entities::{alert_setting, user};
use super::{StoreError, now};
use crate::domain::Role;
use crate::domain::spike::Thresholds;

/// A manufacturer's thresholds: the stored row, or the defaults.
pub async fn thresholds(db: &impl ConnectionTrait, manufacturer_id: Uuid) -> Result<Thresholds, StoreError> {
    let Some(row) = alert_setting::Entity::find_by_id(manufacturer_id).one(db).await? else {
        return Ok(Thresholds::default());
    };
    Thresholds::parse(
        i64::from(row.min_count),
        row.threshold,
        i64::from(row.window_hours),
        i64::from(row.cooldown_hours),
    )
    .map_err(|(field, why)| StoreError::Unexpected(anyhow::anyhow!("stored alert setting {field} {why}")))
}

pub async fn set_thresholds(db: &DatabaseConnection, manufacturer_id: Uuid, t: &Thresholds) -> Result<(), StoreError> {
    let hours = |d: Duration| i32::try_from(d.whole_hours()).unwrap_or(i32::MAX);
    alert_setting::Entity::insert(alert_setting::ActiveModel {
        manufacturer_id: Set(manufacturer_id),
        min_count: Set(i32::try_from(t.min_count).unwrap_or(i32::MAX)),
        threshold: Set(t.threshold),
        window_hours: Set(hours(t.window)),
        cooldown_hours: Set(hours(t.cooldown)),
        updated_at: Set(now()),
    })
    .on_conflict(
        OnConflict::column(alert_setting::Column::ManufacturerId)
            .update_columns([
                alert_setting::Column::MinCount,
                alert_setting::Column::Threshold,
                alert_setting::Column::WindowHours,
                alert_setting::Column::CooldownHours,
                alert_setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Whether a member takes alerts: their own choice, else their role's default.
pub fn takes_alerts(u: &user::Model) -> bool {
    u.alerts.unwrap_or_else(|| matches!(Role::parse(&u.role), Some(Role::Owner | Role::Editor)))
}

/// The members who take alerts, oldest first.
pub async fn recipients(db: &impl ConnectionTrait, manufacturer_id: Uuid) -> Result<Vec<user::Model>, StoreError> {
    let members = user::Entity::find()
        .filter(user::Column::ManufacturerId.eq(manufacturer_id))
        .order_by_asc(user::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(members.into_iter().filter(takes_alerts).collect())
}

/// Sets (or, with `None`, resets to the role's default) a member's choice.
pub async fn set_member_choice(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    member: Uuid,
    alerts: Option<bool>,
) -> Result<user::Model, StoreError> {
    let done = user::Entity::update_many()
        .col_expr(user::Column::Alerts, sea_orm::sea_query::Expr::value(alerts))
        .filter(user::Column::Id.eq(member))
        .filter(user::Column::ManufacturerId.eq(manufacturer_id))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    super::users::get(db, member).await
}

/// Serialises alert runs of one manufacturer across processes, inside the caller's transaction:
/// on PostgreSQL a `FOR NO KEY UPDATE` lock on the manufacturer's row (which does not hold off the
/// key-share locks that report inserts take); on SQLite the transaction began `IMMEDIATE` and
/// already holds the write lock.
pub async fn lock_manufacturer(txn: &impl ConnectionTrait, manufacturer_id: Uuid) -> Result<(), StoreError> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT id FROM manufacturers WHERE id = $1 FOR NO KEY UPDATE",
            [manufacturer_id.into()],
        ))
        .await?;
    }
    Ok(())
}

pub type Key = (Uuid, String, String);

/// The latest alert of every (line, kind, category) that can still matter at `at`: open ones, and
/// those opened within `cooldown` before it.
pub async fn latest(
    db: &impl ConnectionTrait,
    manufacturer_id: Uuid,
    at: OffsetDateTime,
    cooldown: Duration,
) -> Result<BTreeMap<Key, Model>, StoreError> {
    let rows = alert::Entity::find()
        .filter(Column::ManufacturerId.eq(manufacturer_id))
        .filter(
            Condition::any()
                .add(Column::ClosedAt.is_null())
                .add(Column::OpenedAt.gte(at.to_offset(time::UtcOffset::UTC) - cooldown)),
        )
        .order_by_asc(Column::OpenedAt)
        .all(db)
        .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        out.insert((r.product_line_id, r.kind.clone(), r.category.clone()), r);
    }
    Ok(out)
}

/// Opens an alert; `None` when this very spike (same key and window end) is already stored.
pub async fn open(db: &impl ConnectionTrait, row: Model) -> Result<Option<Model>, StoreError> {
    let id = row.id;
    let insert = alert::Entity::insert(alert::ActiveModel {
        id: Set(row.id),
        manufacturer_id: Set(row.manufacturer_id),
        product_line_id: Set(row.product_line_id),
        kind: Set(row.kind),
        category: Set(row.category),
        window_start: Set(row.window_start),
        window_end: Set(row.window_end),
        count: Set(row.count),
        expected: Set(row.expected),
        probability: Set(row.probability),
        opened_at: Set(row.opened_at),
        closed_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([Column::ProductLineId, Column::Kind, Column::Category, Column::WindowEnd])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if insert == 0 {
        return Ok(None);
    }
    Ok(alert::Entity::find_by_id(id).one(db).await?)
}

pub async fn close(db: &impl ConnectionTrait, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
    alert::Entity::update_many()
        .col_expr(Column::ClosedAt, sea_orm::sea_query::Expr::value(Some(at)))
        .filter(Column::Id.eq(id))
        .filter(Column::ClosedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A manufacturer's alerts, newest first; `open` keeps only open (true) or closed (false) ones.
pub async fn list(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    open: Option<bool>,
    limit: u64,
) -> Result<Vec<Model>, StoreError> {
    let mut q = alert::Entity::find().filter(Column::ManufacturerId.eq(manufacturer_id));
    match open {
        Some(true) => q = q.filter(Column::ClosedAt.is_null()),
        Some(false) => q = q.filter(Column::ClosedAt.is_not_null()),
        None => {}
    }
    Ok(q.order_by_desc(Column::OpenedAt).order_by_desc(Column::Id).limit(limit).all(db).await?)
}
