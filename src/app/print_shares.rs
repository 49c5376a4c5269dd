//! Print-share links: a print shop downloads a manufacturer's artwork through one, without an
//! account, until it expires or is revoked.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::{App, AppError};
use crate::artwork::{self, DEFAULT_PROFILE};
use crate::domain::print_share::{self as rules, MAX_LINES};
use crate::domain::{LineId, ManufacturerId, ShareId};
use crate::store::print_shares::{self, NewShare, ShareState};
use crate::store::{self, entities::print_share};

/// A share as the API and the command line show it (never with its token, which only its creation
/// returns).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Share {
    pub id: ShareId,
    pub product_lines: Vec<LineId>,
    pub profile: String,
    pub note: Option<String>,
    #[serde(rename = "status", serialize_with = "state_name")]
    pub state: ShareState,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

fn state_name<S: serde::Serializer>(state: &ShareState, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(state.as_str())
}

impl Share {
    fn new(share: print_share::Model, lines: Vec<uuid::Uuid>) -> Share {
        Share {
            id: ShareId(share.id),
            product_lines: lines.into_iter().map(LineId).collect(),
            state: ShareState::of(&share, store::now()),
            profile: share.profile,
            note: share.note,
            created_at: share.created_at,
            expires_at: share.expires_at,
            revoked_at: share.revoked_at,
        }
    }
}

/// A share just made: the only moment its token and URL exist outside the print shop's hands.
#[derive(Clone, Debug, Serialize)]
pub struct CreatedShare {
    #[serde(flatten)]
    pub share: Share,
    pub token: String,
    pub url: String,
}

/// The link a print shop opens.
pub fn share_url(public_url: &str, token: &str) -> String {
    format!("{}/print/{token}", public_url.trim_end_matches('/'))
}

/// A share as asked for, unchecked.
#[derive(Clone, Debug, Default)]
pub struct ShareRequest {
    pub product_lines: Vec<LineId>,
    pub profile: Option<String>,
    pub expires_in_days: Option<i64>,
    pub note: Option<String>,
}

fn checked(who: ManufacturerId, req: ShareRequest) -> Result<NewShare, AppError> {
    if req.product_lines.is_empty() {
        return Err(AppError::invalid("product_lines", "name at least one product line"));
    }
    if req.product_lines.len() > MAX_LINES {
        return Err(AppError::invalid("product_lines", format!("a link holds at most {MAX_LINES} product lines")));
    }
    let profile =
        artwork::profile(req.profile.as_deref().map(str::trim).filter(|p| !p.is_empty()).unwrap_or(DEFAULT_PROFILE))
            .map_err(|e| AppError::invalid("profile", e.to_string()))?;
    let days = rules::expiry_days(req.expires_in_days).map_err(|m| AppError::invalid("expires_in_days", m))?;
    let note = rules::note(req.note.as_deref()).map_err(|m| AppError::invalid("note", m))?;
    Ok(NewShare {
        manufacturer_id: who.get(),
        line_ids: req.product_lines.into_iter().map(LineId::get).collect(),
        profile: profile.name.clone(),
        note,
        valid_for: Duration::days(days),
    })
}

/// A line that is not the manufacturer's answers "no such product line", like an unknown one.
#[tracing::instrument(skip_all, fields(%who))]
pub async fn create(app: &App, who: ManufacturerId, req: ShareRequest) -> Result<CreatedShare, AppError> {
    let new = checked(who, req)?;
    let created = print_shares::create(&app.db, new).await.map_err(AppError::unless_missing("product line"))?;
    Ok(CreatedShare {
        url: share_url(&app.settings.public_url, &created.token),
        token: created.token,
        share: Share::new(created.share, created.line_ids),
    })
}

/// The manufacturer's links, newest first.
pub async fn list(app: &App, who: ManufacturerId) -> Result<Vec<Share>, AppError> {
    Ok(print_shares::list(&app.db, who.get()).await?.into_iter().map(|(s, l)| Share::new(s, l)).collect())
}

/// Revokes at once (idempotent). `None` is the operator, who may revoke any manufacturer's link.
pub async fn revoke(app: &App, who: Option<ManufacturerId>, id: ShareId) -> Result<Share, AppError> {
    let (share, lines) = print_shares::revoke(&app.db, who.map(ManufacturerId::get), id.get())
        .await
        .map_err(AppError::unless_missing("print share"))?;
    Ok(Share::new(share, lines))
}
