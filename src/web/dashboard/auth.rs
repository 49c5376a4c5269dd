//! Signing in and out, and resetting a forgotten password: the pages and their forms.

use actix_web::http::StatusCode;
use actix_web::http::header::{LOCATION, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::session::{self, FORM_COOKIE, Member, SESSION_COOKIE, check_sign_in_form};
use crate::app::{AppError, accounts};
use crate::domain::{Locale, visitor};
use crate::store::sessions::ABSOLUTE;
use crate::web::error::DashError;
use crate::web::i18n::{LangLink, Tr, request_locale, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(landing))
        .service(web::resource("/login").route(web::get().to(login_page)).route(web::post().to(login)))
        .route("/logout", web::post().to(logout))
        .route("/dashboard/language", web::post().to(set_language))
        .service(web::resource("/reset").route(web::get().to(reset_page)).route(web::post().to(reset_request)))
        .service(web::resource("/reset/{token}").route(web::get().to(new_password_page)).route(web::post().to(reset)));
}

#[derive(Template)]
#[template(path = "account/landing.html")]
struct Landing {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
}

/// What scanback is, and the way in. No cookie, no script, nothing from elsewhere.
async fn landing(req: HttpRequest) -> HttpResponse {
    let locale = request_locale(&req);
    pages::render(
        StatusCode::OK,
        locale,
        &Landing { lang: locale.tag(), tr: Tr(locale), switch: switch_links("/", locale) },
    )
}

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    next: String,
    email: String,
    error: Option<String>,
}

/// Where to go after signing in: only our own dashboard pages, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/dashboard") && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/dashboard".to_owned(),
    }
}

/// A form page with a fresh form cookie, which the POST must send back as `csrf_token`.
fn with_form_cookie(req: &HttpRequest, status: StatusCode, page: impl FnOnce(String) -> HttpResponse) -> HttpResponse {
    let token = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32)
        .unwrap_or_else(crate::store::new_token);
    let mut res = page(token.clone());
    *res.status_mut() = status;
    let _ = res.add_cookie(&session::cookie(req, FORM_COOKIE, token, time::Duration::hours(1)));
    res
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(req: HttpRequest, q: web::Query<NextQuery>) -> HttpResponse {
    let locale = request_locale(&req);
    let next = safe_next(q.next.as_deref());
    login_form(&req, StatusCode::OK, locale, next, String::new(), None)
}

fn login_form(
    req: &HttpRequest,
    status: StatusCode,
    locale: Locale,
    next: String,
    email: String,
    error: Option<String>,
) -> HttpResponse {
    with_form_cookie(req, status, |csrf_token| {
        let page = LoginPage {
            lang: locale.tag(),
            tr: Tr(locale),
            switch: switch_links("/login", locale),
            csrf_token,
            next,
            email,
            error,
        };
        pages::render(StatusCode::OK, locale, &page)
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: Option<String>,
}

fn client(state: &AppState, req: &HttpRequest) -> String {
    let addr = crate::web::client_addr::client_addr(req);
    visitor::client_key(&state.daily_key.for_day(time::OffsetDateTime::now_utc().date()), &addr)
}

pub(crate) fn signed_in_response(req: &HttpRequest, to: &str, cookie: String) -> HttpResponse {
    let mut res = HttpResponse::SeeOther().insert_header((LOCATION, to.to_owned())).finish();
    let _ = res.add_cookie(&session::cookie(req, SESSION_COOKIE, cookie, ABSOLUTE));
    let _ = res.add_removal_cookie(&session::removal(req, FORM_COOKIE));
    res
}

async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, DashError> {
    let locale = request_locale(&req);
    let form = form.into_inner();
    check_sign_in_form(&req, &form.csrf_token, locale)?;
    let next = safe_next(form.next.as_deref());
    let email = form.email.trim().chars().take(320).collect::<String>();
    let tr = Tr(locale);
    match accounts::sign_in(&state.app, &email, &form.password, &client(&state, &req)).await {
        Ok(done) => Ok(signed_in_response(&req, &next, done.cookie)),
        Err(accounts::SignInError::Invalid) => {
            Ok(login_form(&req, StatusCode::UNAUTHORIZED, locale, next, email, Some(tr.t("login-invalid"))))
        }
        Err(accounts::SignInError::Locked { until }) => {
            let wait = (until - crate::store::now()).whole_seconds().max(1);
            let shown = until.format(time::macros::format_description!("[hour]:[minute]")).unwrap_or_default();
            let message = tr.t_args("login-locked", &[("until", shown.into()), ("minutes", ((wait + 59) / 60).into())]);
            let mut res = login_form(&req, StatusCode::TOO_MANY_REQUESTS, locale, next, email, Some(message));
            res.headers_mut().insert(RETRY_AFTER, wait.into());
            Ok(res)
        }
        Err(accounts::SignInError::Unexpected(e)) => Err(DashError::Unexpected { locale, source: e }),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &form.csrf_token)?;
    accounts::sign_out(&state.app, member.cookie_value()).await.map_err(DashError::from_app(member.locale))?;
    let mut res = HttpResponse::SeeOther().insert_header((LOCATION, "/login")).finish();
    let _ = res.add_removal_cookie(&session::removal(&req, SESSION_COOKIE));
    Ok(res)
}

#[derive(Template)]
#[template(path = "account/reset_request.html")]
struct ResetRequestPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    email: String,
    sent: bool,
}

async fn reset_page(req: HttpRequest) -> HttpResponse {
    let locale = request_locale(&req);
    reset_request_form(&req, locale, false)
}

fn reset_request_form(req: &HttpRequest, locale: Locale, sent: bool) -> HttpResponse {
    with_form_cookie(req, StatusCode::OK, |csrf_token| {
        let page = ResetRequestPage {
            lang: locale.tag(),
            tr: Tr(locale),
            switch: switch_links("/reset", locale),
            csrf_token,
            email: String::new(),
            sent,
        };
        pages::render(StatusCode::OK, locale, &page)
    })
}

#[derive(Deserialize)]
struct ResetRequestForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf_token: String,
}

/// The same answer whether or not the address has an account.
async fn reset_request(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<ResetRequestForm>,
) -> Result<HttpResponse, DashError> {
    let locale = request_locale(&req);
    check_sign_in_form(&req, &form.csrf_token, locale)?;
    accounts::request_reset(&state.app, form.email.trim()).await.map_err(DashError::from_app(locale))?;
    Ok(reset_request_form(&req, locale, true))
}

#[derive(Template)]
#[template(path = "account/new_password.html")]
struct NewPasswordPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    heading: String,
    action: String,
    csrf_token: String,
    error: Option<String>,
}

pub(crate) fn new_password_form(
    req: &HttpRequest,
    status: StatusCode,
    locale: Locale,
    action: &str,
    heading: String,
    error: Option<String>,
) -> HttpResponse {
    with_form_cookie(req, status, |csrf_token| {
        let page = NewPasswordPage {
            lang: locale.tag(),
            tr: Tr(locale),
            switch: switch_links(action, locale),
            heading,
            action: action.to_owned(),
            csrf_token,
            error,
        };
        pages::render(StatusCode::OK, locale, &page)
    })
}

fn reset_gone(locale: Locale) -> HttpResponse {
    pages::message(StatusCode::GONE, locale, "reset-gone-title", "reset-gone-body", None)
}

async fn new_password_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, DashError> {
    let locale = request_locale(&req);
    if !accounts::reset_link_is_live(&state.app, &token).await.map_err(DashError::from_app(locale))? {
        return Ok(reset_gone(locale));
    }
    Ok(new_password_form(
        &req,
        StatusCode::OK,
        locale,
        &format!("/reset/{token}"),
        Tr(locale).t("reset-new-title"),
        None,
    ))
}

#[derive(Deserialize)]
struct NewPasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    csrf_token: String,
}

/// The message a refused password shows, in the page's language; `None` if the password is fine.
pub(crate) fn password_error(tr: Tr, password: &str, confirm: &str) -> Option<String> {
    accounts::password_problem(password, confirm).map(|problem| match problem {
        accounts::PasswordProblem::TooShort => {
            tr.t_num("password-too-short", "min", accounts::MIN_PASSWORD_CHARS as i64)
        }
        accounts::PasswordProblem::TooLong => tr.t_num("password-too-long", "max", accounts::MAX_PASSWORD_CHARS as i64),
        accounts::PasswordProblem::Mismatch => tr.t("password-mismatch"),
    })
}

async fn reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<NewPasswordForm>,
) -> Result<HttpResponse, DashError> {
    let locale = request_locale(&req);
    check_sign_in_form(&req, &form.csrf_token, locale)?;
    match accounts::reset_password(&state.app, &token, &form.password, &form.confirm).await {
        Ok(done) => Ok(signed_in_response(&req, "/dashboard", done.cookie)),
        Err(AppError::NotFound(_)) => Ok(reset_gone(locale)),
        Err(e) => match password_error(Tr(locale), &form.password, &form.confirm) {
            Some(message) => Ok(new_password_form(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                locale,
                &format!("/reset/{token}"),
                Tr(locale).t("reset-new-title"),
                Some(message),
            )),
            None => Err(DashError::from_app(locale)(e)),
        },
    }
}

#[derive(Deserialize)]
struct LanguageForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    back: String,
}

/// Stores the member's language, then shows the page they were on in it.
async fn set_language(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &form.csrf_token)?;
    // Only our own workspace pages: never an open redirect.
    let back = if form.back.starts_with("/dashboard") && !form.back.contains("//") && !form.back.contains('\\') {
        form.back.as_str()
    } else {
        "/dashboard"
    };
    if let Some(locale) = Locale::parse(&form.locale) {
        accounts::set_locale(&state.app, &member.account(), locale)
            .await
            .map_err(DashError::from_app(member.locale))?;
    }
    Ok(HttpResponse::SeeOther().insert_header((LOCATION, back.to_owned())).finish())
}
