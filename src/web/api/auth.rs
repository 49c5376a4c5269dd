use std::future::Future;
use std::pin::Pin;

use actix_web::http::Method;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::domain::ManufacturerId;
use crate::web::error::ApiError;
use crate::web::state::AppState;

/// The manufacturer whose bearer token came with the request. Handlers that take it are
/// authenticated; everything they load must be scoped to `Manufacturer::id`.
#[derive(Clone, Copy, Debug)]
pub struct Manufacturer {
    pub id: ManufacturerId,
    /// The member the token belongs to: the author of what it writes (notes, history).
    pub user: Option<uuid::Uuid>,
}

impl FromRequest for Manufacturer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|t| t.trim().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let read_only = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else {
                return Err(ApiError::Unauthorized);
            };
            match crate::store::manufacturers::authenticate_token(&state.app.db, &token).await? {
                // A read-only token reads; anything that changes something needs `write`.
                Some(t) if !t.write && !read_only => Err(ApiError::ReadOnlyToken),
                Some(t) => Ok(Manufacturer { id: ManufacturerId(t.manufacturer_id), user: t.user_id }),
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}
