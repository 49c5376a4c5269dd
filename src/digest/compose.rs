//! The digest mail: plain text and HTML alternatives from askama templates, in the recipient's
//! language.

use askama::Template;
use lettre::Message;
use lettre::message::MultiPart;
use uuid::Uuid;

use super::summary::{LineSummary, Summary};
use crate::domain::Locale;
use crate::domain::period::Cadence;
use crate::i18n::Tr;

struct Texts {
    heading: String,
    period_label: String,
    total_line: String,
    footer: String,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    tr: Tr,
    heading: &'a str,
    period_label: &'a str,
    total_line: &'a str,
    footer: &'a str,
    lines: &'a [LineSummary],
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    tr: Tr,
    lang: &'static str,
    heading: &'a str,
    period_label: &'a str,
    total_line: &'a str,
    footer: &'a str,
    lines: &'a [LineSummary],
}

fn texts(tr: Tr, summary: &Summary) -> Texts {
    let p = summary.period;
    let period_label = match p.cadence {
        Cadence::Daily => tr.t_str("digest-period-daily", "date", &p.start.to_string()),
        Cadence::Weekly => tr.t_args(
            "digest-period-weekly",
            &[("start", p.start.to_string().into()), ("end", (p.start + time::Duration::days(6)).to_string().into())],
        ),
    };
    Texts {
        heading: tr.t_str("digest-heading", "manufacturer", &summary.manufacturer),
        period_label,
        total_line: tr.t_args(
            "digest-total",
            &[("count", (summary.total as i64).into()), ("lines", (summary.lines.len() as i64).into())],
        ),
        footer: tr.t_str("digest-footer", "manufacturer", &summary.manufacturer),
    }
}

/// The Message-ID is derived from the delivery row, so a retried delivery carries the same id and
/// receiving systems can drop a duplicate.
pub fn message(summary: &Summary, to: &str, from: &str, locale: Locale, delivery_id: Uuid) -> anyhow::Result<Message> {
    let tr = Tr(locale);
    let t = texts(tr, summary);
    let text = DigestText {
        tr,
        heading: &t.heading,
        period_label: &t.period_label,
        total_line: &t.total_line,
        footer: &t.footer,
        lines: &summary.lines,
    }
    .render()?;
    let html = DigestHtml {
        tr,
        lang: locale.tag(),
        heading: &t.heading,
        period_label: &t.period_label,
        total_line: &t.total_line,
        footer: &t.footer,
        lines: &summary.lines,
    }
    .render()?;
    let domain = from.rsplit_once('@').map_or("localhost", |(_, d)| d.trim_end_matches('>'));
    let subject = tr.t_args(
        "digest-subject",
        &[
            ("count", (summary.total as i64).into()),
            ("manufacturer", summary.manufacturer.clone().into()),
            ("date", summary.period.start.to_string().into()),
        ],
    );
    Ok(Message::builder()
        .from(from.parse()?)
        .to(to.parse()?)
        .subject(subject)
        .message_id(Some(format!("<digest-{delivery_id}@{domain}>")))
        .multipart(MultiPart::alternative_plain_html(text, html))?)
}
