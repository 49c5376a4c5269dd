//! `/dashboard/members` and `/dashboard/tokens` (owners manage them), and `/invite/{token}`, where an
//! invitee sets a password and lands signed in.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::auth::{password_error, signed_in_response};
use super::session::{Member, check_sign_in_form};
use crate::app::{AppError, members};
use crate::domain::Role;
use crate::web::error::DashError;
use crate::web::i18n::{LangLink, Tr, request_locale, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/dashboard/members").route(web::get().to(page)).route(web::post().to(invite)))
        .route("/dashboard/members/{id}/role", web::post().to(change_role))
        .route("/dashboard/members/{id}/remove", web::post().to(remove))
        .service(
            web::resource("/dashboard/tokens").route(web::get().to(tokens_page)).route(web::post().to(create_token)),
        )
        .route("/dashboard/tokens/{id}/revoke", web::post().to(revoke_token))
        .service(web::resource("/invite/{token}").route(web::get().to(invite_page)).route(web::post().to(accept)));
}

fn role_label(tr: Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.as_str()))
}

fn date(t: time::OffsetDateTime) -> String {
    t.date().to_string()
}

struct MemberLine {
    id: Uuid,
    email: String,
    role: &'static str,
    role_label: String,
    joined: String,
    is_you: bool,
}

#[derive(Template)]
#[template(path = "account/members.html")]
struct MembersPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    owner: bool,
    members: Vec<MemberLine>,
    pending: Vec<(String, String, String)>,
    roles: Vec<(&'static str, String)>,
    email: String,
    role: &'static str,
    error: Option<String>,
    notice: Option<String>,
}

async fn render_members(
    state: &AppState,
    member: &Member,
    status: StatusCode,
    email: String,
    error: Option<String>,
    notice: Option<String>,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let (all, pending) = members::list(&state.app, &member.account()).await.map_err(DashError::from_app(locale))?;
    let page = MembersPage {
        lang: locale.tag(),
        tr,
        switch: switch_links("/dashboard/members", locale),
        csrf_token: member.csrf_token.clone(),
        owner: member.role == Role::Owner,
        members: all
            .into_iter()
            .map(|m| MemberLine {
                is_you: m.id == member.user_id,
                id: m.id,
                email: m.email,
                role: m.role.as_str(),
                role_label: role_label(tr, m.role),
                joined: date(m.joined_at),
            })
            .collect(),
        pending: pending.into_iter().map(|p| (p.email, role_label(tr, p.role), date(p.expires_at))).collect(),
        roles: Role::ALL.iter().map(|r| (r.as_str(), role_label(tr, *r))).collect(),
        email,
        role: Role::Viewer.as_str(),
        error,
        notice,
    };
    Ok(pages::render(status, locale, &page))
}

async fn page(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, DashError> {
    render_members(&state, &member, StatusCode::OK, String::new(), None, None).await
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf_token: String,
}

/// A refusal the form shows (422, what was typed kept); anything else is an error page.
fn refusal(e: AppError, locale: crate::domain::Locale) -> Result<String, DashError> {
    match e.refusal_text(crate::i18n::Tr(locale)) {
        Some(text) if matches!(e, AppError::Invalid { .. }) => Ok(text),
        _ => Err(DashError::from_app(locale)(e)),
    }
}

async fn invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &form.csrf_token)?;
    member.require(Role::Owner)?;
    let tr = Tr(member.locale);
    match members::invite(&state.app, &member.account(), &form.email, &form.role).await {
        Ok(_) => {
            render_members(&state, &member, StatusCode::OK, String::new(), None, Some(tr.t("members-invited"))).await
        }
        Err(e) => {
            let message = refusal(e, member.locale)?;
            render_members(&state, &member, StatusCode::UNPROCESSABLE_ENTITY, form.email.clone(), Some(message), None)
                .await
        }
    }
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf_token: String,
}

async fn change_role(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &form.csrf_token)?;
    member.require(Role::Owner)?;
    let done = members::change_role(&state.app, &member.account(), *id, &form.role).await;
    back_to_members(&state, &member, done).await
}

/// After a change to a member: back to the list, or the list again with the refusal (422).
async fn back_to_members(
    state: &AppState,
    member: &Member,
    done: Result<(), AppError>,
) -> Result<HttpResponse, DashError> {
    match done {
        Ok(()) => Ok(HttpResponse::SeeOther().insert_header((LOCATION, "/dashboard/members")).finish()),
        Err(e) => {
            let message = refusal(e, member.locale)?;
            render_members(state, member, StatusCode::UNPROCESSABLE_ENTITY, String::new(), Some(message), None).await
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &form.csrf_token)?;
    member.require(Role::Owner)?;
    let done = members::remove(&state.app, &member.account(), *id).await;
    back_to_members(&state, &member, done).await
}

struct TokenLine {
    id: Uuid,
    label: String,
    write: bool,
    owner: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    owner: bool,
    tokens: Vec<TokenLine>,
    created: Option<String>,
    error: Option<String>,
}

async fn render_tokens(
    state: &AppState,
    member: &Member,
    status: StatusCode,
    created: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, DashError> {
    member.require(Role::Owner)?;
    let locale = member.locale;
    let all = members::tokens(&state.app, &member.account()).await.map_err(DashError::from_app(locale))?;
    let page = TokensPage {
        lang: locale.tag(),
        tr: Tr(locale),
        switch: switch_links("/dashboard/tokens", locale),
        csrf_token: member.csrf_token.clone(),
        owner: true,
        tokens: all
            .into_iter()
            .map(|t| TokenLine {
                id: t.id,
                label: t.label,
                write: t.write,
                owner: t.owner_email.unwrap_or_default(),
                created: date(t.created_at),
                revoked: t.revoked,
            })
            .collect(),
        created,
        error,
    };
    let mut res = pages::render(status, locale, &page);
    res.headers_mut()
        .insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    Ok(res)
}

async fn tokens_page(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, DashError> {
    render_tokens(&state, &member, StatusCode::OK, None, None).await
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    write: Option<String>,
    #[serde(default)]
    csrf_token: String,
}

async fn create_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &form.csrf_token)?;
    member.require(Role::Owner)?;
    match members::create_token(&state.app, &member.account(), &form.label, form.write.is_some()).await {
        Ok((_, token)) => render_tokens(&state, &member, StatusCode::OK, Some(token), None).await,
        Err(e) => {
            let message = refusal(e, member.locale)?;
            render_tokens(&state, &member, StatusCode::UNPROCESSABLE_ENTITY, None, Some(message)).await
        }
    }
}

async fn revoke_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &form.csrf_token)?;
    member.require(Role::Owner)?;
    members::revoke_token(&state.app, &member.account(), *id).await.map_err(DashError::from_app(member.locale))?;
    Ok(HttpResponse::SeeOther().insert_header((LOCATION, "/dashboard/tokens")).finish())
}

async fn invite_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, DashError> {
    let locale = request_locale(&req);
    match members::invitation(&state.app, &token).await.map_err(DashError::from_app(locale))? {
        Some(manufacturer) => Ok(super::auth::new_password_form(
            &req,
            StatusCode::OK,
            locale,
            &format!("/invite/{token}"),
            Tr(locale).t_str("invite-title", "manufacturer", &manufacturer),
            None,
        )),
        None => Ok(pages::message(StatusCode::GONE, locale, "invite-gone-title", "invite-gone-body", None)),
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    csrf_token: String,
}

async fn accept(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, DashError> {
    let locale = request_locale(&req);
    check_sign_in_form(&req, &form.csrf_token, locale)?;
    match members::accept(&state.app, &token, &form.password, &form.confirm, locale).await {
        Ok(done) => Ok(signed_in_response(&req, "/dashboard", done.cookie)),
        Err(AppError::NotFound(_)) => {
            Ok(pages::message(StatusCode::GONE, locale, "invite-gone-title", "invite-gone-body", None))
        }
        Err(e) => match password_error(Tr(locale), &form.password, &form.confirm) {
            Some(message) => {
                let manufacturer = members::invitation(&state.app, &token).await.ok().flatten().unwrap_or_default();
                Ok(super::auth::new_password_form(
                    &req,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    locale,
                    &format!("/invite/{token}"),
                    Tr(locale).t_str("invite-title", "manufacturer", &manufacturer),
                    Some(message),
                ))
            }
            None => Err(DashError::from_app(locale)(e)),
        },
    }
}
