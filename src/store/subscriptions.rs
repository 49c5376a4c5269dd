//! Members' digest subscriptions. A member without a row has the default subscription; it is written
//! when first read, so its `schedule_from` (nothing before it is due) is the moment it was first seen.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StoreError;
use super::entities::subscription::{self, Column, Model};
use super::entities::user;

/// A new member's subscription: daily at 08:00 in the manufacturer's zone, every line, the member's
/// language, no mail for an empty period.
pub fn default_for(member: &user::Model, time_zone: &str, at: OffsetDateTime) -> Model {
    Model {
        user_id: member.id,
        manufacturer_id: member.manufacturer_id,
        cadence: "daily".to_owned(),
        weekday: "monday".to_owned(),
        hour: 8,
        time_zone: time_zone.to_owned(),
        product_lines: None,
        locale: member.locale.clone(),
        send_empty: false,
        schedule_from: at,
        updated_at: at,
    }
}

/// The member's subscription, writing the default one if there is none yet.
pub async fn get_or_default(
    db: &impl ConnectionTrait,
    member: &user::Model,
    time_zone: &str,
    at: OffsetDateTime,
) -> Result<Model, StoreError> {
    if let Some(s) = subscription::Entity::find_by_id(member.id).one(db).await? {
        return Ok(s);
    }
    subscription::Entity::insert(default_for(member, time_zone, at).into_active_model())
        .on_conflict(OnConflict::column(Column::UserId).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    subscription::Entity::find_by_id(member.id).one(db).await?.ok_or(StoreError::NotFound)
}

/// Replaces the subscription (an upsert: a scheduler writing the default at the same moment cannot
/// make it fail). `schedule_changed` moves `schedule_from` to `at`, so that a new cadence, hour or zone
/// never sends periods that ended before the change.
pub async fn put(
    db: &impl ConnectionTrait,
    mut model: Model,
    schedule_changed: bool,
    at: OffsetDateTime,
) -> Result<Model, StoreError> {
    if schedule_changed {
        model.schedule_from = at;
    }
    model.updated_at = at;
    subscription::Entity::insert(model.clone().into_active_model())
        .on_conflict(
            OnConflict::column(Column::UserId)
                .update_columns([
                    Column::Cadence,
                    Column::Weekday,
                    Column::Hour,
                    Column::TimeZone,
                    Column::ProductLines,
                    Column::Locale,
                    Column::SendEmpty,
                    Column::ScheduleFrom,
                    Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(model)
}

/// Turns digests off (one-click unsubscribe).
pub async fn turn_off(db: &impl ConnectionTrait, user_id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
    subscription::Entity::update_many()
        .col_expr(Column::Cadence, sea_orm::sea_query::Expr::value("off"))
        .col_expr(Column::UpdatedAt, sea_orm::sea_query::Expr::value(at))
        .filter(Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
