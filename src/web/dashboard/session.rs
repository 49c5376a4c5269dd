// stand-in: replaced by the lead's session module at merge
//
//! Stand-in for the signed-in member, so the statistics pages can be built and tested over HTTP
//! before sessions exist. The real module keeps sessions in the database, checks `csrf_token` on
//! every POST and sends a browser without a session to `/login`; this one only has the shape the
//! pages rely on: `Member { manufacturer_id, locale, csrf_token, role }` as an extractor.
//!
//! It reads a manufacturer's API token from the `X-Stand-In-Token` header (so it grants nothing the
//! token does not already grant through the API), the role from `X-Stand-In-Role` (default owner)
//! and the language from `?lang=` or `Accept-Language`. Without a valid token it answers 303 to
//! `/login`, as the real one will. It accepts every POST's `csrf_token`.

use std::future::Future;
use std::pin::Pin;

use actix_web::error::InternalError;
use actix_web::http::header::LOCATION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, web};

use crate::domain::{Locale, ManufacturerId, Role};
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
    /// Goes into the hidden `csrf_token` field of every form.
    pub csrf_token: String,
    pub role: Role,
}

fn to_login() -> actix_web::Error {
    InternalError::from_response(
        "sign-in required",
        HttpResponse::SeeOther().insert_header((LOCATION, "/login")).finish(),
    )
    .into()
}

impl FromRequest for Member {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned());
        let token = header(TOKEN_HEADER);
        let role = header(ROLE_HEADER).as_deref().map_or(Some(Role::Owner), Role::parse);
        let locale = request_locale(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(role), Some(state)) = (token, role, state) else { return Err(to_login()) };
            match crate::store::manufacturers::authenticate_token(&state.app.db, &token).await {
                Ok(Some(id)) => Ok(Member {
                    manufacturer_id: ManufacturerId(id),
                    locale,
                    csrf_token: STAND_IN_CSRF.to_owned(),
                    role,
                }),
                Ok(None) => Err(to_login()),
                Err(e) => Err(actix_web::error::ErrorInternalServerError(e)),
            }
        })
    }
}
