//! Webhook endpoints: created (with a signing secret shown once), listed, deleted, each with its
//! delivery log; and the SSRF guard that creation and every delivery share.

use std::net::{IpAddr, SocketAddr};

use time::OffsetDateTime;
use uuid::Uuid;

use super::accounts::Member;
use super::{App, AppError};
use crate::domain::webhook::{self, EventType};
use crate::domain::{ManufacturerId, Role};
use crate::store::{self, entities::webhook_delivery, entities::webhook_endpoint};

/// Random bytes in a signing secret (the Standard Webhooks minimum is 24).
const SECRET_BYTES: usize = 32;

#[derive(Clone, Debug, serde::Serialize)]
pub struct Endpoint {
    pub id: Uuid,
    pub url: String,
    pub events: Vec<&'static str>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl Endpoint {
    fn of(m: &webhook_endpoint::Model) -> Endpoint {
        Endpoint {
            id: m.id,
            url: m.url.clone(),
            events: webhook::parse_events_text(&m.events).into_iter().map(EventType::as_str).collect(),
            created_at: m.created_at,
        }
    }
}

/// A new endpoint with its secret, which is shown this once.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Created {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    pub secret: String,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Delivery {
    /// Also the `webhook-id` header.
    pub id: String,
    pub event_type: String,
    /// `queued`, `sending`, `delivered` or `failed` (given up).
    pub status: String,
    pub attempts: i32,
    pub response_status: Option<i32>,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
}

/// The `webhook-id` of a delivery: the same on every retry.
pub fn message_id(delivery: Uuid) -> String {
    format!("msg_{}", delivery.simple())
}

impl Delivery {
    fn of(d: webhook_delivery::Model) -> Delivery {
        Delivery {
            id: message_id(d.id),
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            last_error: d.last_error,
            created_at: d.created_at,
            next_attempt_at: d.next_attempt_at,
            delivered_at: d.delivered_at,
        }
    }
}

fn owner_only(who: &Member) -> Result<(), AppError> {
    if who.role.allows(Role::Owner) { Ok(()) } else { Err(AppError::Forbidden("only an owner manages webhooks")) }
}

/// Why a delivery may not go to a host: it resolves to no address, or to a private one.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("`{0}` does not resolve to an address")]
    Unresolved(String),
    #[error(
        "`{host}` resolves to {ip}, a private, loopback or link-local address (refused unless the operator sets SCANBACK_WEBHOOK_ALLOW_PRIVATE=true)"
    )]
    Private { host: String, ip: IpAddr },
}

/// Checks the addresses a host name (or literal) stands for: every one must be public unless
/// private ones are allowed. Returns them, so the caller connects to exactly what was checked.
pub fn check_addresses(host: &str, addrs: &[SocketAddr], allow_private: bool) -> Result<(), Refused> {
    if addrs.is_empty() {
        return Err(Refused::Unresolved(host.to_owned()));
    }
    if !allow_private && let Some(bad) = addrs.iter().find(|a| webhook::is_private(a.ip())) {
        return Err(Refused::Private { host: host.to_owned(), ip: bad.ip() });
    }
    Ok(())
}

/// Resolves an endpoint URL's host and applies [`check_addresses`].
pub async fn resolve_checked(url: &url::Url, allow_private: bool) -> Result<Vec<SocketAddr>, Refused> {
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']).to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => match tokio::net::lookup_host((host.as_str(), port)).await {
            Ok(found) => found.collect(),
            Err(_) => Vec::new(),
        },
    };
    check_addresses(&host, &addrs, allow_private)?;
    Ok(addrs)
}

pub async fn create(app: &App, who: &Member, url: &str, events: &[String]) -> Result<Created, AppError> {
    owner_only(who)?;
    let allow_private = app.settings.webhook_allow_private;
    let url = webhook::parse_url(url, allow_private).map_err(|why| AppError::invalid("url", why))?;
    if events.is_empty() {
        return Err(AppError::invalid(
            "events",
            "name at least one of report.created, report.status_changed, alert.opened",
        ));
    }
    let mut parsed = Vec::new();
    for e in events {
        parsed.push(EventType::parse(e.trim()).ok_or_else(|| {
            AppError::invalid(
                "events",
                format!("`{e}` is not an event; use report.created, report.status_changed or alert.opened"),
            )
        })?);
    }
    resolve_checked(&url, allow_private).await.map_err(|e| AppError::invalid("url", e.to_string()))?;
    let bytes: [u8; SECRET_BYTES] = rand::random();
    let secret = webhook::secret_from(&bytes);
    let row = store::webhooks::create_endpoint(
        &app.db,
        who.manufacturer_id.get(),
        url.as_str(),
        &webhook::events_text(&parsed),
        &secret,
    )
    .await?;
    Ok(Created { endpoint: Endpoint::of(&row), secret })
}

pub async fn list(app: &App, who: &Member) -> Result<Vec<Endpoint>, AppError> {
    owner_only(who)?;
    Ok(store::webhooks::endpoints(&app.db, who.manufacturer_id.get()).await?.iter().map(Endpoint::of).collect())
}

pub async fn get(app: &App, who: &Member, id: Uuid) -> Result<Endpoint, AppError> {
    owner_only(who)?;
    let row = store::webhooks::endpoint(&app.db, who.manufacturer_id.get(), id)
        .await
        .map_err(AppError::unless_missing("webhook"))?;
    Ok(Endpoint::of(&row))
}

pub async fn delete(app: &App, who: &Member, id: Uuid) -> Result<(), AppError> {
    owner_only(who)?;
    store::webhooks::delete_endpoint(&app.db, who.manufacturer_id.get(), id)
        .await
        .map_err(AppError::unless_missing("webhook"))
}

/// An endpoint's delivery log, newest first.
pub async fn deliveries(app: &App, who: &Member, id: Uuid, limit: u64) -> Result<Vec<Delivery>, AppError> {
    owner_only(who)?;
    let manufacturer: ManufacturerId = who.manufacturer_id;
    store::webhooks::endpoint(&app.db, manufacturer.get(), id).await.map_err(AppError::unless_missing("webhook"))?;
    Ok(store::webhooks::deliveries(&app.db, id, limit.clamp(1, 500)).await?.into_iter().map(Delivery::of).collect())
}
