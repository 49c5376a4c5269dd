//! `/dashboard`: where a member lands after signing in.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::session::Member;
use crate::store;
use crate::web::error::DashError;
use crate::web::i18n::{LangLink, Tr, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard", web::get().to(home));
}

#[derive(Template)]
#[template(path = "account/home.html")]
struct Home {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    signed_in_as: String,
    csrf_token: String,
    owner: bool,
}

async fn home(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let manufacturer = store::manufacturers::get(&state.app.db, member.manufacturer_id.get())
        .await
        .map_err(|e| DashError::Unexpected { locale, source: e.into() })?;
    let signed_in_as = tr.t_args(
        "home-signed-in",
        &[
            ("email", member.email.clone().into()),
            ("role", member.role.as_str().into()),
            ("manufacturer", manufacturer.name.into()),
        ],
    );
    let page = Home {
        lang: locale.tag(),
        tr,
        switch: switch_links("/dashboard", locale),
        signed_in_as,
        csrf_token: member.csrf_token.clone(),
        owner: member.role == crate::domain::Role::Owner,
    };
    Ok(pages::render(StatusCode::OK, locale, &page))
}
