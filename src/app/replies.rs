//! Closing the loop: an editor answers a customer who left an email; the customer answers back
//! through a private link or by replying to the mail, and the answer lands on the report.

use uuid::Uuid;

use super::accounts::Member;
use super::{App, AppError};
use crate::domain::inbound::{self, FOOTER_MARK};
use crate::domain::{Locale, ReportId, ReportStatus, Role};
use crate::i18n::Tr;
use crate::store::replies::TokenState;
use crate::store::{self, outbox::NewMail};

/// Longest message either side may write.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

fn checked_message(field: &'static str, text: &str) -> Result<String, AppError> {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::refused(field, "message-error-empty"));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::refused_n(field, "message-error-long", "max", MAX_MESSAGE_CHARS as i64));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(AppError::refused(field, "message-error-chars"));
    }
    Ok(text.to_owned())
}

/// Mails `message` to the customer of `report` in the report's language, from the manufacturer's
/// name, with a private answer link (30 days) and, when a reply domain is set, a `reply+{token}@`
/// address. The report moves to `status`, or to "in progress".
#[tracing::instrument(skip_all, fields(%report))]
pub async fn send_reply(
    app: &App,
    who: &Member,
    report: ReportId,
    message: &str,
    status: Option<ReportStatus>,
) -> Result<(), AppError> {
    if !who.role.allows(Role::Editor) {
        return Err(AppError::Forbidden("only editors and owners answer customers"));
    }
    let message = checked_message("message", message)?;
    let row = store::reports::get(&app.db, who.manufacturer_id.get(), report.get())
        .await
        .map_err(AppError::unless_missing("report"))?;
    let Some(email) = row.email.clone() else {
        return Err(AppError::refused("message", "reply-error-no-email"));
    };
    let line = store::product_lines::get(&app.db, who.manufacturer_id.get(), row.product_line_id).await?;
    let manufacturer = store::manufacturers::get(&app.db, who.manufacturer_id.get()).await?.name;
    let tr = Tr(Locale::parse(&row.locale).unwrap_or(Locale::DEFAULT));

    let txn = store::begin_write(&app.db).await.map_err(store::StoreError::from)?;
    let token = store::replies::create_token(&txn, row.id).await?;
    let url = format!("{}/r/{token}", app.settings.public_url);
    let reply_to = app.settings.reply_domain.as_ref().map(|d| format!("reply+{token}@{d}"));
    let excerpt: String = row.comment.chars().take(300).collect();
    let args = [
        ("manufacturer", manufacturer.clone().into()),
        ("product", line.name.clone().into()),
        ("url", url.into()),
        ("excerpt", excerpt.into()),
    ];
    let footer = if reply_to.is_some() { "mail-reply-footer-mail" } else { "mail-reply-footer-link" };
    let body = format!("{message}\n\n{FOOTER_MARK}\n{}", tr.t_args(footer, &args));
    let outbox_id = store::outbox::enqueue(
        &txn,
        NewMail {
            kind: "reply",
            recipient: email,
            subject: tr.t_args("mail-reply-subject", &args),
            text_body: body,
            html_body: None,
            from_name: Some(manufacturer),
            reply_to,
            headers: Vec::new(),
            manufacturer_id: Some(who.manufacturer_id.get()),
        },
    )
    .await?;
    let status = status.unwrap_or(ReportStatus::AFTER_REPLY);
    store::replies::record_sent(&txn, row.id, who.user_id, &message, outbox_id, status).await?;
    let at = store::now();
    store::report_events::record(&txn, row.id, Some(who.user_id), "reply", None, None, at).await?;
    if row.status != status.as_str() {
        let from = Some(row.status.clone());
        store::report_events::record(
            &txn,
            row.id,
            Some(who.user_id),
            "status",
            from,
            Some(status.as_str().to_owned()),
            at,
        )
        .await?;
    }
    txn.commit().await.map_err(store::StoreError::from)?;
    app.outbox.notify_one();
    Ok(())
}

/// One message of a conversation, as either side sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// From the manufacturer (`true`) or the customer.
    pub outgoing: bool,
    pub body: String,
    pub at: time::OffsetDateTime,
}

/// What the customer's answer page shows.
#[derive(Clone, Debug)]
pub struct Thread {
    pub report: ReportId,
    pub manufacturer: String,
    pub product: String,
    pub locale: Locale,
    pub comment: String,
    pub messages: Vec<Message>,
}

pub enum Opened {
    Live(Box<Thread>),
    /// The link is older than 30 days.
    Expired,
    Unknown,
}

/// The conversation a customer's link opens.
pub async fn open(app: &App, token: &str) -> Result<Opened, AppError> {
    let report_id = match store::replies::token_state(&app.db, token).await? {
        TokenState::Live(r) => r,
        TokenState::Expired => return Ok(Opened::Expired),
        TokenState::Unknown => return Ok(Opened::Unknown),
    };
    let Some(report) = store::reports::find(&app.db, report_id).await? else { return Ok(Opened::Unknown) };
    let line = store::product_lines::get(&app.db, report.manufacturer_id, report.product_line_id).await?;
    let manufacturer = store::manufacturers::get(&app.db, report.manufacturer_id).await?.name;
    let messages = conversation(app, ReportId(report.id)).await?;
    Ok(Opened::Live(Box::new(Thread {
        report: ReportId(report.id),
        manufacturer,
        product: line.name,
        locale: Locale::parse(&report.locale).unwrap_or(Locale::DEFAULT),
        comment: report.comment,
        messages,
    })))
}

/// Every message of a report's conversation, oldest first (no internal notes: those are never here).
pub async fn conversation(app: &App, report: ReportId) -> Result<Vec<Message>, AppError> {
    Ok(store::replies::for_report(&app.db, report.get())
        .await?
        .into_iter()
        .map(|r| Message { outgoing: r.direction == "out", body: r.body, at: r.created_at })
        .collect())
}

/// The customer writes back through the link.
pub async fn answer_by_link(app: &App, token: &str, text: &str) -> Result<ReportId, AppError> {
    let TokenState::Live(report) = store::replies::token_state(&app.db, token).await? else {
        return Err(AppError::NotFound("answer link"));
    };
    let text = checked_message("message", text)?;
    store::replies::record_answer(&app.db, report, &text, "link").await?;
    Ok(ReportId(report))
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the message cannot be read as an email: {0}")]
    Unreadable(String),
    #[error(
        "the message matches no report: it is not addressed to a live reply+TOKEN@ address and its \
         In-Reply-To/References name no scanback reply of the last 30 days; nothing was stored"
    )]
    NoMatch,
    #[error("the message has no text of its own besides the quoted mail; nothing was stored")]
    Empty,
    #[error(transparent)]
    App(#[from] AppError),
}

/// `scanback mail ingest`: one RFC 5322 message (a customer's answer to a reply) attached to its
/// report, found through the reply address or the Message-ID of our mail, quoted text trimmed.
pub async fn ingest(app: &App, raw: &[u8]) -> Result<ReportId, IngestError> {
    let message = read_message(raw, app.settings.reply_domain.as_deref())?;
    let mut report: Option<Uuid> = None;
    for token in &message.reply_tokens {
        if let TokenState::Live(r) = store::replies::token_state(&app.db, token).await.map_err(AppError::from)? {
            report = Some(r);
            break;
        }
    }
    if report.is_none() {
        for id in &message.mail_ids {
            if let Some(r) = store::replies::report_of_mail(&app.db, *id).await.map_err(AppError::from)? {
                report = Some(r);
                break;
            }
        }
    }
    let report = report.ok_or(IngestError::NoMatch)?;
    let text = message.text.ok_or(IngestError::Empty)?;
    let text = checked_message("message", &text).map_err(|_| IngestError::Empty)?;
    store::replies::record_answer(&app.db, report, &text, "mail").await.map_err(AppError::from)?;
    Ok(ReportId(report))
}

/// What an incoming mail says, before anything is looked up: the reply tokens of its recipients
/// (in header order), the Message-IDs it answers, and its own text without the quoted mail.
#[derive(Debug)]
pub struct IncomingMessage {
    pub reply_tokens: Vec<String>,
    pub mail_ids: Vec<Uuid>,
    pub text: Option<String>,
}

/// Parses one RFC 5322 message. Pure (no database), so the fuzz targets (fuzz/) reach it.
pub fn read_message(raw: &[u8], reply_domain: Option<&str>) -> Result<IncomingMessage, IngestError> {
    use mailparse::MailHeaderMap;
    let mail = mailparse::parse_mail(raw).map_err(|e| IngestError::Unreadable(e.to_string()))?;
    let headers = &mail.headers;
    let reply_tokens = match reply_domain {
        Some(domain) => ["To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"]
            .iter()
            .flat_map(|h| headers.get_all_values(h))
            .flat_map(|v| inbound::addresses(&v))
            .filter_map(|address| inbound::reply_token(&address, domain))
            .collect(),
        None => Vec::new(),
    };
    let mail_ids = ["In-Reply-To", "References"]
        .iter()
        .flat_map(|h| headers.get_all_values(h))
        .flat_map(|v| inbound::outbox_ids(&v))
        .collect();
    let text = body_text(&mail).map(|t| inbound::without_quote(&t));
    Ok(IncomingMessage { reply_tokens, mail_ids, text })
}

/// The first text/plain part (or, failing that, text/html with its tags removed).
fn body_text(mail: &mailparse::ParsedMail<'_>) -> Option<String> {
    fn find(m: &mailparse::ParsedMail<'_>, mime: &str) -> Option<String> {
        if m.subparts.is_empty() && m.ctype.mimetype == mime {
            return m.get_body().ok();
        }
        m.subparts.iter().find_map(|p| find(p, mime))
    }
    find(mail, "text/plain").or_else(|| {
        find(mail, "text/html").map(|html| {
            let mut out = String::new();
            let mut in_tag = false;
            for c in html.replace("<br>", "\n").replace("</p>", "\n").chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out
        })
    })
}
