//! "Tell everyone affected": after a fix (e.g. "the coating problem is fixed in lots from L2703"), an
//! editor writes once to every consenting customer who reported that category on a line in a period.
//! A preview shows how many it reaches; the same message is sent once, however often it is posted.

use time::{Date, OffsetDateTime};

use super::accounts::Member;
use super::{App, AppError};
use crate::domain::{Kind, LineId, Locale, Role};
use crate::i18n::Tr;
use crate::store::{self, outbox::NewMail};

/// Longest message to everyone affected.
pub const MAX_BROADCAST_CHARS: usize = 5000;

/// Who a message goes to: a line, a `kind/category` and the days `from..=until` (UTC).
#[derive(Clone, Debug)]
pub struct Audience {
    pub line: LineId,
    pub topic: String,
    pub from: Date,
    pub until: Date,
}

struct Checked {
    kind: Kind,
    category: String,
    start: OffsetDateTime,
    end: OffsetDateTime,
}

fn check(a: &Audience) -> Result<Checked, AppError> {
    let (kind, category) = a
        .topic
        .split_once('/')
        .and_then(|(k, c)| Some((Kind::parse(k.trim())?, c.trim().to_owned())))
        .filter(|(_, c)| !c.is_empty())
        .ok_or_else(|| AppError::refused("topic", "broadcast-error-topic"))?;
    if a.from > a.until {
        return Err(AppError::refused("from", "broadcast-error-period"));
    }
    Ok(Checked {
        kind,
        category,
        start: a.from.midnight().assume_utc(),
        end: (a.until + time::Duration::days(1)).midnight().assume_utc(),
    })
}

/// How many customers the message would reach.
pub async fn preview(app: &App, who: &Member, audience: &Audience) -> Result<usize, AppError> {
    let c = check(audience)?;
    super::lines::get(app, who.manufacturer_id, audience.line).await?;
    let to = store::broadcasts::recipients(
        &app.db,
        who.manufacturer_id.get(),
        audience.line.get(),
        c.kind,
        &c.category,
        c.start,
        c.end,
    )
    .await?;
    Ok(to.len())
}

/// The message as it will be sent (trimmed), if it may be.
pub fn check_message(message: &str) -> Result<&str, AppError> {
    let message = message.trim();
    if message.is_empty() || message.chars().count() > MAX_BROADCAST_CHARS {
        return Err(AppError::refused_n("message", "broadcast-error-message", "max", MAX_BROADCAST_CHARS as i64));
    }
    Ok(message)
}

/// What a send did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    pub recipients: usize,
    /// The same message for the same audience went out before; nothing new was sent.
    pub already_sent: bool,
}

pub async fn send(app: &App, who: &Member, audience: &Audience, message: &str) -> Result<Sent, AppError> {
    if !who.role.allows(Role::Editor) {
        return Err(AppError::Forbidden("only editors and owners write to customers"));
    }
    let c = check(audience)?;
    let message = check_message(message)?;
    let line = super::lines::get(app, who.manufacturer_id, audience.line).await?;
    let to = store::broadcasts::recipients(
        &app.db,
        who.manufacturer_id.get(),
        line.id.get(),
        c.kind,
        &c.category,
        c.start,
        c.end,
    )
    .await?;
    let manufacturer = store::manufacturers::get(&app.db, who.manufacturer_id.get()).await?.name;
    let txn = store::begin_write(&app.db).await.map_err(store::StoreError::from)?;
    let recorded = store::broadcasts::record(
        &txn,
        store::broadcasts::NewBroadcast {
            manufacturer_id: who.manufacturer_id.get(),
            line: line.id.get(),
            topic: &audience.topic,
            start: c.start,
            end: c.end,
            message,
            recipients: i32::try_from(to.len()).unwrap_or(i32::MAX),
            created_by: who.user_id,
        },
    )
    .await;
    match recorded {
        Ok(_) => {}
        Err(store::StoreError::Conflict(_)) => {
            drop(txn);
            let earlier =
                store::broadcasts::earlier(&app.db, line.id.get(), &audience.topic, c.start, c.end, message).await?;
            let recipients = earlier.map_or(0, |b| usize::try_from(b.recipients).unwrap_or(0));
            return Ok(Sent { recipients, already_sent: true });
        }
        Err(e) => return Err(e.into()),
    }
    for (email, locale) in &to {
        let tr = Tr(Locale::parse(locale).unwrap_or(Locale::DEFAULT));
        let args = [("manufacturer", manufacturer.clone().into()), ("product", line.name.clone().into())];
        store::outbox::enqueue(
            &txn,
            NewMail {
                kind: "broadcast",
                recipient: email.clone(),
                subject: tr.t_args("mail-broadcast-subject", &args),
                text_body: format!("{message}\n\n{}", tr.t_args("mail-broadcast-footer", &args)),
                html_body: None,
                from_name: Some(manufacturer.clone()),
                reply_to: None,
                headers: Vec::new(),
                manufacturer_id: None,
            },
        )
        .await?;
    }
    txn.commit().await.map_err(store::StoreError::from)?;
    app.outbox.notify_one();
    Ok(Sent { recipients: to.len(), already_sent: false })
}
