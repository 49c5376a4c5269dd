use std::future::Future;
use std::pin::Pin;

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
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else {
                return Err(ApiError::Unauthorized);
            };
            match crate::store::manufacturers::authenticate_token(&state.app.db, &token).await? {
                Some(id) => Ok(Manufacturer { id: ManufacturerId(id) }),
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}
