//! `/dashboard/keywords`: the cold-start keywords of category suggestions, one text box per category
//! (a keyword a line), for the team to read and for editors and owners to change; the same use case
//! as `PUT /api/v1/category-keywords`. A refused form comes back (422) with what was typed.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::session::Member;
use crate::app::{AppError, classify};
use crate::domain::Role;
use crate::web::error::DashError;
use crate::web::i18n::{LangLink, Tr, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

/// Form fields are `kw:` and the category, `kw:defect/handle`.
const PREFIX: &str = "kw:";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/dashboard/keywords").route(web::get().to(page)).route(web::post().to(save)));
}

struct Row {
    field: String,
    /// An element id: the category with `/` made safe.
    id: String,
    label: String,
    words: String,
}

#[derive(Template)]
#[template(path = "account/keywords.html")]
struct KeywordsPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    owner: bool,
    can_edit: bool,
    rows: Vec<Row>,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    member: &Member,
    status: StatusCode,
    typed: Option<(BTreeMap<String, String>, String)>,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let (categories, _) = super::zones::categories(state, member).await?;
    let stored = classify::keywords(&state.app, member.manufacturer_id).await.map_err(DashError::from_app(locale))?;
    let (typed, error) = match typed {
        Some((t, e)) => (Some(t), Some(e)),
        None => (None, None),
    };
    let rows = categories
        .into_iter()
        .map(|(category, label)| {
            let words = match &typed {
                Some(t) => t.get(&category).cloned().unwrap_or_default(),
                None => stored.get(&category).map(|w| w.join("\n")).unwrap_or_default(),
            };
            Row { field: format!("{PREFIX}{category}"), id: format!("kw-{}", category.replace('/', "-")), label, words }
        })
        .collect();
    let page = KeywordsPage {
        lang: locale.tag(),
        tr,
        switch: switch_links("/dashboard/keywords", locale),
        csrf_token: member.csrf_token.clone(),
        owner: member.role == Role::Owner,
        can_edit: member.role.allows(Role::Editor),
        rows,
        error,
    };
    Ok(pages::render(status, locale, &page))
}

async fn page(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, DashError> {
    render(&state, &member, StatusCode::OK, None).await
}

async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    body: web::Bytes,
) -> Result<HttpResponse, DashError> {
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    let mut csrf = String::new();
    for (k, v) in url::form_urlencoded::parse(&body) {
        if k == "csrf_token" {
            csrf = v.into_owned();
        } else if let Some(category) = k.strip_prefix(PREFIX) {
            typed.insert(category.to_owned(), v.into_owned());
        }
    }
    member.check_form(&req, &csrf)?;
    member.require(Role::Editor)?;
    // Every category of the page is sent, so an emptied box removes that category's keywords; the
    // keywords of categories the page does not show (set through the API for a category no form
    // offers now) stay.
    let stored =
        classify::keywords(&state.app, member.manufacturer_id).await.map_err(DashError::from_app(member.locale))?;
    let mut words: BTreeMap<String, Vec<String>> = stored.into_iter().filter(|(c, _)| !typed.contains_key(c)).collect();
    words.extend(
        typed
            .iter()
            .map(|(c, text)| {
                (c.clone(), text.lines().map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect())
            })
            .filter(|(_, w): &(String, Vec<String>)| !w.is_empty()),
    );
    match classify::set_keywords(&state.app, member.manufacturer_id, words).await {
        Ok(_) => Ok(HttpResponse::SeeOther().insert_header((LOCATION, "/dashboard/keywords")).finish()),
        Err(e @ AppError::Invalid { .. }) => {
            let text = e.refusal_text(Tr(member.locale)).unwrap_or_else(|| e.to_string());
            render(&state, &member, StatusCode::UNPROCESSABLE_ENTITY, Some((typed, text))).await
        }
        Err(e) => Err(DashError::from_app(member.locale)(e)),
    }
}
