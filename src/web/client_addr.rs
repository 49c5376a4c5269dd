//! The client address every handler and log line uses, worked out once per request: the TCP peer,
//! or with `trusted_proxies` configured the client a trusted proxy names
//! ([`crate::domain::client_addr`]). The forwarded headers are then rewritten to say just that, so
//! actix's `realip_remote_addr()` (which the request logs read) cannot be steered by a client.

use std::net::IpAddr;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, web};

use crate::web::state::AppState;

/// The request's client address, as [`resolve`] found it.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub IpAddr);

const FORWARDED: HeaderName = HeaderName::from_static("forwarded");
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_REAL_IP: HeaderName = HeaderName::from_static("x-real-ip");

fn joined(req: &ServiceRequest, name: &HeaderName) -> Option<String> {
    let values: Vec<&str> = req.headers().get_all(name).filter_map(|v| v.to_str().ok()).collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// Middleware: finds the client address and leaves it in the request's extensions.
pub async fn resolve(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let trusted =
        req.app_data::<web::Data<AppState>>().map(|s| s.app.settings.trusted_proxies.clone()).unwrap_or_default();
    if let Some(peer) = req.peer_addr().map(|a| a.ip()) {
        let client = crate::domain::client_addr::client_ip(
            peer,
            &trusted,
            joined(&req, &FORWARDED).as_deref(),
            joined(&req, &X_FORWARDED_FOR).as_deref(),
        );
        let headers = req.headers_mut();
        headers.remove(FORWARDED);
        headers.remove(X_REAL_IP);
        headers.remove(X_FORWARDED_FOR);
        if client != peer
            && let Ok(v) = HeaderValue::from_str(&client.to_string())
        {
            headers.insert(X_FORWARDED_FOR, v);
        }
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.call(req).await
}

/// The client address of `req` (empty if the connection has none, as in some tests).
pub fn client_addr(req: &HttpRequest) -> String {
    match req.extensions().get::<ClientAddr>() {
        Some(ClientAddr(ip)) => ip.to_string(),
        None => req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
    }
}
