use std::future::Future;
use std::pin::Pin;

use actix_web::http::Method;
use actix_web::http::header::{AUTHORIZATION, HeaderMap};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::domain::{ManufacturerId, Role};
use crate::web::error::ApiError;
use crate::web::state::AppState;

/// The manufacturer whose bearer token came with the request. Handlers that take it are
/// authenticated; everything they load must be scoped to `Manufacturer::id`.
#[derive(Clone, Copy, Debug)]
pub struct Manufacturer {
    pub id: ManufacturerId,
    /// The member the token belongs to: the author of what it writes (notes, history).
    pub user: Option<uuid::Uuid>,
    /// What the member may do. Tokens from before members existed act as the owner's, as they did.
    pub role: Role,
}

impl Manufacturer {
    /// Refuses with 403 unless the token's member has at least `needed`.
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.role.allows(needed) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the role {} or above; this token's member is {}",
                needed.as_str(),
                self.role.as_str()
            )))
        }
    }
}

/// The token of an `Authorization: Bearer` header. Public for the fuzz targets (fuzz/).
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned())
}

impl FromRequest for Manufacturer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req.headers());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let read_only = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else {
                return Err(ApiError::Unauthorized);
            };
            match crate::store::manufacturers::authenticate_token(&state.app.db, &token).await? {
                // A read-only token reads; anything that changes something needs `write`.
                Some(t) if !t.write && !read_only => Err(ApiError::ReadOnlyToken),
                Some(t) => {
                    let role = match t.role.as_deref() {
                        None => Role::Owner,
                        Some(r) => Role::parse(r).unwrap_or(Role::Viewer),
                    };
                    Ok(Manufacturer { id: ManufacturerId(t.manufacturer_id), user: t.user_id, role })
                }
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}
