//! Delivers webhook events: claims due deliveries, signs them per Standard Webhooks, POSTs them,
//! records the outcome. Safe with several processes on one database: each delivery is claimed by
//! one of them. The SSRF guard is applied again here, to what the endpoint's name resolves to now:
//! the client resolves names through [`GuardedResolver`], so it connects only to addresses that
//! passed the check (a name that changed to a private address since creation is refused).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use sea_orm::DatabaseConnection;
use time::OffsetDateTime;
use tokio::sync::Notify;

use crate::app::webhooks::{check_addresses, message_id, resolve_checked};
use crate::config::Settings;
use crate::domain::webhook;
use crate::store::{self, webhooks::Claimed};

/// Deliveries one pass claims at most.
const BATCH: u64 = 50;
/// How long an endpoint has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Delivered {
    pub delivered: u32,
    pub failed: u32,
}

/// Resolves names and refuses those with a private address (unless allowed), so the connection
/// goes to exactly the addresses that were checked: no gap for a DNS answer that changes between
/// the check and the connect.
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            check_addresses(&host, &addrs, allow_private)?;
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The client every delivery uses: a timeout, no redirects (a redirect could lead anywhere), the
/// guarded resolver, rustls with ring and the webpki roots.
pub fn client(settings: &Settings) -> anyhow::Result<reqwest::Client> {
    // Also the process default, for any other client built without a TLS configuration (reqwest
    // panics then, having no provider of its own); a second call changes nothing.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("scanback-webhooks/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(GuardedResolver { allow_private: settings.webhook_allow_private }))
        .build()?)
}

/// What one attempt came to: the HTTP status if there was an answer, and the error if it failed.
async fn attempt(client: &reqwest::Client, c: &Claimed, allow_private: bool) -> (Option<u16>, Result<(), String>) {
    let Ok(url) = url::Url::parse(&c.url) else {
        return (None, Err(format!("`{}` is not a URL", c.url)));
    };
    // IP literals never reach the resolver: check them (and names, early, for a clear error) here.
    if let Err(e) = resolve_checked(&url, allow_private).await {
        return (None, Err(e.to_string()));
    }
    let id = message_id(c.delivery.id);
    let timestamp = OffsetDateTime::now_utc().unix_timestamp();
    let Some(signature) = webhook::signature(&c.secret, &id, timestamp, &c.delivery.payload) else {
        return (None, Err("the endpoint's secret is not a whsec_ secret".to_owned()));
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(c.delivery.payload.clone())
        .send()
        .await;
    match sent {
        Ok(res) if res.status().is_success() => (Some(res.status().as_u16()), Ok(())),
        Ok(res) => (Some(res.status().as_u16()), Err(format!("the endpoint answered HTTP {}", res.status().as_u16()))),
        Err(e) => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            (None, Err(message))
        }
    }
}

/// One pass: every delivery due at `at`, claimed, sent and recorded. `at` is now except in tests
/// and catch-up runs, which act as if it were later (so that a retry's backoff has passed).
pub async fn deliver_once(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    settings: &Settings,
    at: OffsetDateTime,
) -> anyhow::Result<Delivered> {
    let mut done = Delivered::default();
    loop {
        let claimed = store::webhooks::claim(db, BATCH, at).await?;
        if claimed.is_empty() {
            return Ok(done);
        }
        for c in &claimed {
            let (status, outcome) = attempt(client, c, settings.webhook_allow_private).await;
            match outcome {
                Ok(()) => {
                    store::webhooks::mark_delivered(db, c.delivery.id, status.unwrap_or(200), store::now()).await?;
                    tracing::info!(id = %c.delivery.id, event = %c.delivery.event_type, "webhook delivered");
                    done.delivered += 1;
                }
                Err(e) => {
                    tracing::warn!(id = %c.delivery.id, attempts = c.delivery.attempts, error = %e, "webhook delivery failed; will retry");
                    store::webhooks::mark_failed(db, &c.delivery, &e, status, at).await?;
                    done.failed += 1;
                }
            }
        }
    }
}

/// Delivers in the background: at once when `nudge` is notified, and every few seconds for
/// events queued by the report writer, other processes and retries.
pub fn spawn(db: DatabaseConnection, client: reqwest::Client, settings: Arc<Settings>, nudge: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_once(&db, &client, &settings, store::now()).await {
                tracing::warn!(error = %e, "delivering webhooks failed; will retry");
            }
            let _ = tokio::time::timeout(Duration::from_secs(2), nudge.notified()).await;
        }
    });
}
