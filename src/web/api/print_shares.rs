//! Print-share links for manufacturers: create (the token is shown once), list, revoke.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::Manufacturer;
use super::artwork::DEFAULT_PROFILE;
use crate::artwork;
use crate::domain::print_share::{self as rules, MAX_LINES};
use crate::store;
use crate::store::entities::print_share;
use crate::store::print_shares::{self, NewShare, ShareState};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/print-shares").route(web::post().to(create)).route(web::get().to(list)))
        .service(web::resource("/print-shares/{id}/revoke").route(web::post().to(revoke)));
}

/// A share as the API shows it. `token` and `url` appear only in the answer to its creation: only
/// the token's hash is kept.
#[derive(Serialize)]
pub struct ShareJson {
    pub id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub product_lines: Vec<Uuid>,
    pub profile: String,
    pub note: Option<String>,
    pub status: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

impl ShareJson {
    pub fn new(share: print_share::Model, product_lines: Vec<Uuid>) -> ShareJson {
        ShareJson {
            id: share.id,
            url: None,
            token: None,
            product_lines,
            status: ShareState::of(&share, store::now()).as_str(),
            profile: share.profile,
            note: share.note,
            created_at: share.created_at,
            expires_at: share.expires_at,
            revoked_at: share.revoked_at,
        }
    }
}

/// The link a print shop opens.
pub fn share_url(public_url: &str, token: &str) -> String {
    format!("{}/print/{token}", public_url.trim_end_matches('/'))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    product_lines: Vec<Uuid>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    expires_in_days: Option<i64>,
    #[serde(default)]
    note: Option<String>,
}

/// Everything a new share needs, checked: shared by the API and `scanback print-share create`.
pub fn new_share(
    manufacturer_id: Uuid,
    line_ids: Vec<Uuid>,
    profile: Option<&str>,
    expires_in_days: Option<i64>,
    note: Option<&str>,
) -> Result<NewShare, ApiError> {
    if line_ids.is_empty() {
        return Err(ApiError::invalid("product_lines", "name at least one product line"));
    }
    if line_ids.len() > MAX_LINES {
        return Err(ApiError::invalid("product_lines", format!("a link holds at most {MAX_LINES} product lines")));
    }
    let profile = artwork::profile(profile.map(str::trim).filter(|p| !p.is_empty()).unwrap_or(DEFAULT_PROFILE))
        .map_err(|e| ApiError::invalid("profile", e.to_string()))?;
    let days = rules::expiry_days(expires_in_days).map_err(|m| ApiError::invalid("expires_in_days", m))?;
    let note = rules::note(note).map_err(|m| ApiError::invalid("note", m))?;
    Ok(NewShare { manufacturer_id, line_ids, profile: profile.name.clone(), note, valid_for: Duration::days(days) })
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn create(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: web::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let new =
        new_share(who.id, body.product_lines, body.profile.as_deref(), body.expires_in_days, body.note.as_deref())?;
    let created = print_shares::create(&state.db, new).await.map_err(ApiError::unless_missing("product line"))?;
    let mut json = ShareJson::new(created.share, created.line_ids);
    json.url = Some(share_url(&state.settings.public_url, &created.token));
    json.token = Some(created.token);
    Ok(HttpResponse::Created().json(json))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let shares = print_shares::list(&state.db, who.id).await?;
    let out: Vec<ShareJson> = shares.into_iter().map(|(s, lines)| ShareJson::new(s, lines)).collect();
    Ok(HttpResponse::Ok().json(out))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn revoke(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let (share, lines) =
        print_shares::revoke(&state.db, Some(who.id), *id).await.map_err(ApiError::unless_missing("print share"))?;
    Ok(HttpResponse::Ok().json(ShareJson::new(share, lines)))
}
