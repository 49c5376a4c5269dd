//! Delivers the outbox: claims due mails, sends them through SMTP (or the `.eml` folder), records the
//! outcome. Safe with several processes on one database: each mail is claimed by one of them.

use std::sync::Arc;
use std::time::Duration;

use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::config::Settings;
use crate::mail::Mailer;
use crate::store::{self, entities::outbox_message::Model};

/// Mails one pass claims at most.
const BATCH: u64 = 50;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Delivered {
    pub sent: u32,
    pub failed: u32,
}

/// The Message-ID of an outbox row: the same on every retry.
pub fn message_id(row_id: uuid::Uuid, settings: &Settings) -> String {
    let host = url::Url::parse(&settings.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "scanback.invalid".to_owned());
    format!("<outbox-{}@{host}>", row_id.simple())
}

fn message(row: &Model, settings: &Settings) -> anyhow::Result<Message> {
    let from: Mailbox = settings.mail_from.parse()?;
    let from = match &row.from_name {
        Some(name) => Mailbox::new(Some(name.clone()), from.email),
        None => from,
    };
    let mut builder = Message::builder()
        .from(from)
        .to(row.recipient.parse()?)
        .subject(row.subject.clone())
        .message_id(Some(message_id(row.id, settings)));
    if let Some(reply_to) = &row.reply_to {
        builder = builder.reply_to(reply_to.parse()?);
    }
    if let Some(headers) = &row.headers {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(headers)?;
        for (name, value) in map {
            let name = HeaderName::new_from_ascii(name).map_err(|e| anyhow::anyhow!("bad header name: {e}"))?;
            builder = builder.raw_header(HeaderValue::new(name, value.as_str().unwrap_or_default().to_owned()));
        }
    }
    Ok(match &row.html_body {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(row.text_body.clone(), html.clone()))?,
        None => builder.header(ContentType::TEXT_PLAIN).body(row.text_body.clone())?,
    })
}

/// One pass: every due mail, claimed, sent and recorded.
pub async fn deliver_once(db: &DatabaseConnection, mailer: &Mailer, settings: &Settings) -> anyhow::Result<Delivered> {
    deliver_at(db, mailer, settings, store::now()).await
}

/// One pass as of `at`: what is due then is claimed, and leases and a failure's backoff count from
/// `at` (`digest run --at` in simulated future time). Never pass an instant before now: a lease that
/// has already expired lets another deliverer send the same mail.
pub async fn deliver_at(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    at: time::OffsetDateTime,
) -> anyhow::Result<Delivered> {
    let mut done = Delivered::default();
    loop {
        let rows = store::outbox::claim_at(db, BATCH, at).await?;
        if rows.is_empty() {
            return Ok(done);
        }
        for row in &rows {
            let outcome = match message(row, settings) {
                Ok(m) => mailer.send(m).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(()) => {
                    store::outbox::mark_sent(db, row.id, at).await?;
                    tracing::info!(kind = %row.kind, id = %row.id, "mail sent");
                    done.sent += 1;
                }
                Err(e) => {
                    tracing::warn!(kind = %row.kind, id = %row.id, attempts = row.attempts, error = %e, "mail delivery failed; will retry");
                    store::outbox::mark_failed(db, row, &format!("{e:#}"), at).await?;
                    done.failed += 1;
                }
            }
        }
    }
}

/// Delivers in the background: at once when `nudge` is notified (a mail was just queued), and every
/// few seconds for retries and for mails queued by other processes.
pub fn spawn(db: DatabaseConnection, mailer: Mailer, settings: Arc<Settings>, nudge: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_once(&db, &mailer, &settings).await {
                tracing::warn!(error = %e, "delivering the outbox failed; will retry");
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), nudge.notified()).await;
        }
    });
}
