//! `/dashboard/subscription`: the signed-in member's own digest subscription.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::session::Member;
use crate::app::digests;
use crate::domain::Role;
use crate::web::error::DashError;
use crate::web::i18n::{Tr, switch_links};
use crate::web::state::AppState;
use crate::web::subscription_form::{self, Shown, Values};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/dashboard/subscription").route(web::get().to(page)).route(web::post().to(save)));
}

async fn show(
    state: &AppState,
    member: &Member,
    values: &Values,
    status: StatusCode,
    error: Option<(&'static str, String)>,
    notice: Option<String>,
    next_digest: Option<time::OffsetDateTime>,
) -> Result<HttpResponse, DashError> {
    let tr = Tr(member.locale);
    let lines = crate::app::lines::list(&state.app, member.manufacturer_id)
        .await
        .map_err(DashError::from_app(member.locale))?
        .into_iter()
        .map(|l| (l.id.get(), l.name))
        .collect();
    let shown = Shown {
        locale: member.locale,
        switch: switch_links("/dashboard/subscription", member.locale),
        csrf_token: Some(member.csrf_token.clone()),
        owner: member.role == Role::Owner,
        heading: tr.t("sub-title"),
        action: "/dashboard/subscription".to_owned(),
        values,
        lines: Some(lines),
        notice,
        next_digest,
        unsubscribe_action: None,
    };
    Ok(subscription_form::render(shown, status, error))
}

async fn page(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, DashError> {
    let account = member.account();
    let s = digests::get(&state.app, member.manufacturer_id, Some(&account), member.user_id)
        .await
        .map_err(DashError::from_app(member.locale))?;
    show(&state, &member, &Values::of(&s), StatusCode::OK, None, None, s.next_digest_at).await
}

async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, DashError> {
    let token = form.iter().find(|(k, _)| k == "csrf_token").map(|(_, v)| v.as_str()).unwrap_or_default();
    member.check_form(&req, token)?;
    let values = Values::from_form(&form, None);
    let account = member.account();
    let tr = Tr(member.locale);
    match digests::put(&state.app, member.manufacturer_id, Some(&account), member.user_id, &values.body()).await {
        Ok(s) => {
            show(&state, &member, &Values::of(&s), StatusCode::OK, None, Some(tr.t("sub-saved")), s.next_digest_at)
                .await
        }
        Err(e) => match subscription_form::refusal(tr, &e) {
            Some(err) => show(&state, &member, &values, StatusCode::UNPROCESSABLE_ENTITY, Some(err), None, None).await,
            None => Err(DashError::from_app(member.locale)(e)),
        },
    }
}
