// stand-in: replaced by the lead's session module at merge
//
//! Stand-in for the signed-in member, so the statistics pages can be built and tested over HTTP
//! before sessions exist here. The real module keeps sessions in the database and checks each
//! form's `csrf_token` against the session and the request's origin; this one only has the shape the
//! pages rely on: `Member { manufacturer_id, locale, csrf_token, role }` as an extractor, with
//! `require(role)` and `check_form(req, token)`.
//!
//! It reads a manufacturer's API token from the `X-Stand-In-Token` header (so it grants nothing the
//! token does not already grant through the API), the role from `X-Stand-In-Role` (default owner)
//! and the language from `?lang=` or `Accept-Language`. Without a valid token it sends the browser to
//! `/login`, as the real one does. It accepts every form's `csrf_token`.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::domain::{Locale, ManufacturerId, Role};
use crate::web::error::DashError;
use crate::web::i18n::request_locale;
use crate::web::state::AppState;

pub const TOKEN_HEADER: &str = "X-Stand-In-Token";
pub const ROLE_HEADER: &str = "X-Stand-In-Role";
/// What the stand-in puts in `csrf_token` (the real module: a per-session random token).
pub const STAND_IN_CSRF: &str = "stand-in-csrf-token";

/// The signed-in member of a manufacturer. Everything a handler that takes it loads must be scoped
/// to `manufacturer_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub manufacturer_id: ManufacturerId,
    pub locale: Locale,
    /// Goes into every form as the hidden `csrf_token` field.
    pub csrf_token: String,
    pub role: Role,
}

impl Member {
    /// 403 unless the member's role allows what `needed` may do.
    pub fn require(&self, needed: Role) -> Result<(), DashError> {
        if self.role.allows(needed) { Ok(()) } else { Err(DashError::Forbidden { locale: self.locale }) }
    }

    /// A state-changing form. The stand-in accepts every token; the real module answers 403
    /// (`DashError::BadForm`) unless it is this session's and the request comes from our own pages.
    pub fn check_form(&self, _req: &HttpRequest, _token: &str) -> Result<(), DashError> {
        Ok(())
    }
}

impl FromRequest for Member {
    type Error = DashError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned());
        let token = header(TOKEN_HEADER);
        let role = header(ROLE_HEADER).as_deref().map_or(Some(Role::Owner), Role::parse);
        let locale = request_locale(req);
        let next = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(role), Some(state)) = (token, role, state) else {
                return Err(DashError::SignIn { next });
            };
            match crate::store::manufacturers::authenticate_token(&state.app.db, &token).await {
                Ok(Some(id)) => Ok(Member {
                    manufacturer_id: ManufacturerId(id),
                    locale,
                    csrf_token: STAND_IN_CSRF.to_owned(),
                    role,
                }),
                Ok(None) => Err(DashError::SignIn { next }),
                Err(e) => Err(DashError::Unexpected { locale, source: e.into() }),
            }
        })
    }
}
