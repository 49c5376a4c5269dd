//! The digest mail: plain text and HTML alternatives from askama templates.

use askama::Template;
use lettre::Message;
use lettre::message::MultiPart;
use uuid::Uuid;

use super::summary::{LineSummary, Summary};

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    manufacturer: &'a str,
    period_label: String,
    total: usize,
    lines: &'a [LineSummary],
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    manufacturer: &'a str,
    period_label: String,
    total: usize,
    lines: &'a [LineSummary],
}

fn period_label(summary: &Summary) -> String {
    let p = summary.period;
    match p.cadence {
        crate::domain::period::Cadence::Daily => format!("Reports received on {} (UTC)", p.start),
        crate::domain::period::Cadence::Weekly => {
            format!("Reports received in the week of {} to {} (UTC)", p.start, p.start + time::Duration::days(6))
        }
    }
}

/// The Message-ID is derived from the delivery row, so a retried delivery carries the same id and
/// receiving systems can drop a duplicate.
pub fn message(summary: &Summary, to: &str, from: &str, delivery_id: Uuid) -> anyhow::Result<Message> {
    let label = period_label(summary);
    let text = DigestText { manufacturer: &summary.manufacturer, period_label: label.clone(), total: summary.total, lines: &summary.lines }
        .render()?;
    let html = DigestHtml { manufacturer: &summary.manufacturer, period_label: label, total: summary.total, lines: &summary.lines }
        .render()?;
    let domain = from.rsplit_once('@').map_or("localhost", |(_, d)| d.trim_end_matches('>'));
    let subject = format!(
        "scanback: {} new report{} for {} ({})",
        summary.total,
        if summary.total == 1 { "" } else { "s" },
        summary.manufacturer,
        summary.period.start
    );
    Ok(Message::builder()
        .from(from.parse()?)
        .to(to.parse()?)
        .subject(subject)
        .message_id(Some(format!("<digest-{delivery_id}@{domain}>")))
        .multipart(MultiPart::alternative_plain_html(text, html))?)
}

