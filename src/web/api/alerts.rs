//! Spike alerts: the list of open and past spikes, the manufacturer's thresholds, and who takes
//! alerts.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::{accounts, alerts};
use crate::domain::spike::Thresholds;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/alerts").route(web::get().to(list)))
        .service(web::resource("/alert-settings").route(web::get().to(get_settings)).route(web::put().to(put_settings)))
        .service(web::resource("/members/{id}/alerts").route(web::put().to(put_member)));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    limit: Option<u64>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(
    state: web::Data<AppState>,
    who: Manufacturer,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", format!("{limit} is not from 1 to 500")));
    }
    let found = alerts::list(&state.app, who.id, q.status.as_deref(), limit).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "alerts": found })))
}

fn settings_json(t: &Thresholds, members: Vec<alerts::Recipient>) -> serde_json::Value {
    serde_json::json!({
        "min_count": t.min_count,
        "threshold": t.threshold,
        "window_hours": t.window.whole_hours(),
        "cooldown_hours": t.cooldown.whole_hours(),
        "members": members,
    })
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn get_settings(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let t = alerts::thresholds(&state.app, who.id).await?;
    let members = alerts::members(&state.app, who.id).await?;
    Ok(HttpResponse::Ok().json(settings_json(&t, members)))
}

/// Every field is optional: what is left out keeps its value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsBody {
    #[serde(default, deserialize_with = "not_null")]
    min_count: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    threshold: Option<f64>,
    #[serde(default, deserialize_with = "not_null")]
    window_hours: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    cooldown_hours: Option<i64>,
}

/// A field that may be left out but, when present, is a value: `null` is refused, not read as
/// "keep" (the document says integer or number).
fn not_null<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Present, and maybe `null`: `Some(None)` is an explicit `null`, `None` a field left out.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn put_settings(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<SettingsBody>,
) -> Result<HttpResponse, ApiError> {
    let member = accounts::token_member(&state.app, who.id, who.user).await?;
    let now = alerts::thresholds(&state.app, who.id).await?;
    let t = alerts::set_thresholds(
        &state.app,
        &member,
        body.min_count.unwrap_or(i64::from(now.min_count)),
        body.threshold.unwrap_or(now.threshold),
        body.window_hours.unwrap_or(now.window.whole_hours()),
        body.cooldown_hours.unwrap_or(now.cooldown.whole_hours()),
    )
    .await?;
    let members = alerts::members(&state.app, who.id).await?;
    Ok(HttpResponse::Ok().json(settings_json(&t, members)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberBody {
    /// `null` follows the role again; left out is refused (the field is required).
    #[serde(default, deserialize_with = "present")]
    alerts: Option<Option<bool>>,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn put_member(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<MemberBody>,
) -> Result<HttpResponse, ApiError> {
    let member = accounts::token_member(&state.app, who.id, who.user).await?;
    let Some(choice) = body.alerts else {
        return Err(ApiError::invalid("alerts", "required: true, false, or null to follow the member's role"));
    };
    let r = alerts::set_member_choice(&state.app, &member, *id, choice).await?;
    Ok(HttpResponse::Ok().json(r))
}
