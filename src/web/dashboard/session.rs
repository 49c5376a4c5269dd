//! Who is signed in: the session cookie, looked up in the database on every request, and the checks
//! every state-changing form goes through (the session's CSRF token plus Origin / Sec-Fetch-Site).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use uuid::Uuid;

use crate::app::accounts;
use crate::domain::{Locale, ManufacturerId, Role};
use crate::web::error::DashError;
use crate::web::state::AppState;

pub const SESSION_COOKIE: &str = "scanback_session";
/// A random value tying a sign-in or reset form to the browser that loaded it (no session yet).
pub const FORM_COOKIE: &str = "scanback_form";

/// The signed-in member of a manufacturer. Handlers that take it are signed in; everything they
/// load must be scoped to `manufacturer_id`.
#[derive(Clone, Debug)]
pub struct Member {
    pub user_id: Uuid,
    pub manufacturer_id: ManufacturerId,
    pub email: String,
    pub role: Role,
    pub locale: Locale,
    /// Goes into every form as the hidden `csrf_token` field.
    pub csrf_token: String,
    cookie: String,
}

impl Member {
    /// 403 unless the member's role allows what `needed` may do.
    pub fn require(&self, needed: Role) -> Result<(), DashError> {
        if self.role.allows(needed) { Ok(()) } else { Err(DashError::Forbidden { locale: self.locale }) }
    }

    /// A state-changing form: its `csrf_token` must be this session's and the request must come from
    /// our own pages. Anything else is 403 and changes nothing.
    pub fn check_form(&self, req: &HttpRequest, token: &str) -> Result<(), DashError> {
        if same_origin(req) && constant_time_eq(token.as_bytes(), self.csrf_token.as_bytes()) {
            Ok(())
        } else {
            tracing::info!(user = %self.user_id, "form refused: bad CSRF token or cross-site request");
            Err(DashError::BadForm { locale: self.locale })
        }
    }

    /// The member as the use cases know them.
    pub fn account(&self) -> accounts::Member {
        accounts::Member {
            user_id: self.user_id,
            manufacturer_id: self.manufacturer_id,
            email: self.email.clone(),
            role: self.role,
            locale: self.locale,
        }
    }

    pub fn cookie_value(&self) -> &str {
        &self.cookie
    }

    /// What every dashboard page's header shows: who is signed in where, and the sign-out form.
    /// The signed-in header of the page at `path`.
    pub async fn chrome(&self, state: &AppState, path: &str) -> Chrome {
        let tr = crate::i18n::Tr(self.locale);
        let manufacturer = crate::store::manufacturers::get(&state.app.db, self.manufacturer_id.get())
            .await
            .map(|m| m.name)
            .unwrap_or_default();
        Chrome {
            signed_in_as: tr.t_args(
                "home-signed-in",
                &[
                    ("email", self.email.clone().into()),
                    ("role", self.role.as_str().into()),
                    ("manufacturer", manufacturer.into()),
                ],
            ),
            csrf_token: self.csrf_token.clone(),
            owner: self.role == Role::Owner,
            languages: crate::web::i18n::switch_links(path, self.locale),
        }
    }
}

/// The signed-in part of a dashboard page's header.
pub struct Chrome {
    pub signed_in_as: String,
    pub csrf_token: String,
    pub owner: bool,
    /// The member's language switch: a form that stores their choice.
    pub languages: Vec<crate::web::i18n::LangLink>,
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a POST comes from our own pages. Modern browsers send `Sec-Fetch-Site`, which pages
/// cannot forge: when present it decides. Without it, `Origin` must be ours. `Sec-Fetch-Site` must
/// win because Chromium sends `Origin: null` on a same-origin form POST from a page whose referrer
/// policy is `no-referrer` (every page here). Clients that send neither (curl) must still hold the
/// CSRF token.
pub fn same_origin(req: &HttpRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let Some(state) = req.app_data::<web::Data<AppState>>() else { return false };
        return origin_of(&state.app.settings.public_url).is_some_and(|ours| ours == origin.trim_end_matches('/'));
    }
    true
}

fn origin_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|u| u.origin().ascii_serialization())
}

/// The form check before a session exists: the form cookie set with the page must come back as the
/// form's `csrf_token` field, from our own pages.
pub fn check_sign_in_form(req: &HttpRequest, token: &str, locale: Locale) -> Result<(), DashError> {
    let cookie = req.cookie(FORM_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if same_origin(req) && !cookie.is_empty() && constant_time_eq(cookie.as_bytes(), token.as_bytes()) {
        Ok(())
    } else {
        Err(DashError::BadForm { locale })
    }
}

/// Session and form cookies: HttpOnly, SameSite=Lax, Secure when the public URL is https.
pub fn cookie<'c>(req: &HttpRequest, name: &'c str, value: String, max_age: time::Duration) -> Cookie<'c> {
    let secure =
        req.app_data::<web::Data<AppState>>().is_some_and(|s| s.app.settings.public_url.starts_with("https://"));
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(CookieDuration::seconds(max_age.whole_seconds()))
        .finish()
}

/// A cookie that deletes `name`.
pub fn removal(req: &HttpRequest, name: &'static str) -> Cookie<'static> {
    let mut c = cookie(req, name, String::new(), time::Duration::ZERO);
    c.make_removal();
    c
}

impl FromRequest for Member {
    type Error = DashError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let next = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        let locale = crate::web::i18n::request_locale(req);
        Box::pin(async move {
            let (Some(cookie), Some(state)) = (cookie, state) else {
                return Err(DashError::SignIn { next });
            };
            match accounts::session(&state.app, &cookie).await {
                Ok(Some((m, csrf_token))) => Ok(Member {
                    user_id: m.user_id,
                    manufacturer_id: m.manufacturer_id,
                    email: m.email,
                    role: m.role,
                    locale: m.locale,
                    csrf_token,
                    cookie,
                }),
                Ok(None) => Err(DashError::SignIn { next }),
                Err(e) => Err(DashError::Unexpected { locale, source: e.into() }),
            }
        })
    }
}
