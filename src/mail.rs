//! Outgoing mail: SMTP when `SCANBACK_SMTP_URL` is set, otherwise `.eml` files in the outbox folder
//! (so that a fresh install works without a mail server and nothing is silently dropped).

use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::Settings;

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Mailer> {
        match &settings.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())?
                    .timeout(Some(std::time::Duration::from_secs(30)))
                    .build();
                Ok(Mailer::Smtp(transport))
            }
            None => {
                let dir = settings.outbox_dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("cannot create the outbox folder {}: {e}", dir.display()))?;
                Ok(Mailer::Outbox(AsyncFileTransport::new(dir)))
            }
        }
    }

    pub async fn send(&self, message: Message) -> anyhow::Result<()> {
        match self {
            Mailer::Smtp(t) => {
                t.send(message).await?;
            }
            Mailer::Outbox(t) => {
                t.send(message).await?;
            }
        }
        Ok(())
    }
}
