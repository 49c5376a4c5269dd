//! Members and API tokens through the API: the same use cases as `/dashboard/members` and
//! `/dashboard/tokens`, for the member the token belongs to. Reading needs a member's token;
//! changing anything needs an owner's read-write token.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::accounts::token_member;
use crate::app::members::{self, MemberRow, PendingInvitation, TokenRow};
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/members").route(web::get().to(list)))
        .service(web::resource("/members/invitations").route(web::post().to(invite)))
        .service(
            web::resource("/members/{member_id}").route(web::patch().to(change_role)).route(web::delete().to(remove)),
        )
        .service(web::resource("/tokens").route(web::get().to(tokens)).route(web::post().to(create_token)))
        .service(web::resource("/tokens/{token_id}").route(web::delete().to(revoke_token)));
}

#[derive(Serialize)]
struct MemberJson {
    id: Uuid,
    email: String,
    role: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    joined_at: OffsetDateTime,
}

impl From<MemberRow> for MemberJson {
    fn from(m: MemberRow) -> MemberJson {
        MemberJson { id: m.id, email: m.email, role: m.role.as_str(), joined_at: m.joined_at }
    }
}

#[derive(Serialize)]
struct InvitationJson {
    email: String,
    role: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
}

impl From<PendingInvitation> for InvitationJson {
    fn from(i: PendingInvitation) -> InvitationJson {
        InvitationJson { email: i.email, role: i.role.as_str(), expires_at: i.expires_at }
    }
}

async fn list(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    let (all, pending) = members::list(&state.app, &member).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "members": all.into_iter().map(MemberJson::from).collect::<Vec<_>>(),
        "invitations": pending.into_iter().map(InvitationJson::from).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InviteBody {
    email: String,
    role: String,
}

/// Mails the invitee a single-use link valid for 7 days.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn invite(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<InviteBody>,
) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    let invitation = members::invite(&state.app, &member, &body.email, &body.role).await?;
    Ok(HttpResponse::Created().json(InvitationJson::from(invitation)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleBody {
    role: String,
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn change_role(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
    body: super::JsonBody<RoleBody>,
) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    members::change_role(&state.app, &member, *id, &body.role).await?;
    let (all, _) = members::list(&state.app, &member).await?;
    let changed = all.into_iter().find(|m| m.id == *id).ok_or(ApiError::NotFound("member"))?;
    Ok(HttpResponse::Ok().json(MemberJson::from(changed)))
}

/// Their sessions end and their tokens stop working at once.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn remove(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    members::remove(&state.app, &member, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize)]
struct TokenJson {
    id: Uuid,
    label: String,
    /// The member the token acts for; absent for tokens from before members existed.
    member_email: Option<String>,
    scopes: Vec<&'static str>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    revoked: bool,
}

fn scopes(write: bool) -> Vec<&'static str> {
    if write { vec!["read", "write"] } else { vec!["read"] }
}

impl From<TokenRow> for TokenJson {
    fn from(t: TokenRow) -> TokenJson {
        TokenJson {
            id: t.id,
            label: t.label,
            member_email: t.owner_email,
            scopes: scopes(t.write),
            created_at: t.created_at,
            revoked: t.revoked,
        }
    }
}

async fn tokens(state: web::Data<AppState>, who: Manufacturer) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    let all = members::tokens(&state.app, &member).await?;
    Ok(HttpResponse::Ok().json(all.into_iter().map(TokenJson::from).collect::<Vec<_>>()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    label: String,
    /// `["read"]` or `["read", "write"]`.
    scopes: Vec<String>,
}

/// A token for the calling member. The secret is in this answer only.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn create_token(
    state: web::Data<AppState>,
    who: Manufacturer,
    body: super::JsonBody<TokenBody>,
) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    let mut write = false;
    for s in &body.scopes {
        match s.as_str() {
            "read" => {}
            "write" => write = true,
            other => return Err(ApiError::invalid("scopes", format!("`{other}` is not a scope: use read or write"))),
        }
    }
    if !body.scopes.iter().any(|s| s == "read") {
        return Err(ApiError::invalid("scopes", "every token reads: include \"read\""));
    }
    let (id, token) = members::create_token(&state.app, &member, &body.label, write).await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({
        "id": id,
        "label": body.label.trim(),
        "scopes": scopes(write),
        "token": token,
    })))
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn revoke_token(
    state: web::Data<AppState>,
    who: Manufacturer,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let member = token_member(&state.app, who.id, who.user).await?;
    members::revoke_token(&state.app, &member, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
