//! The subscription form, shared by `/dashboard/subscription` (signed in, CSRF) and the signed
//! unsubscribe page (`/unsubscribe/{token}`, no sign-in): its fields, turned into the API's body, and
//! the page that shows it with the values kept on a refusal.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::AppError;
use crate::app::digests::Subscription;
use crate::domain::Locale;
use crate::domain::schedule::Weekday;
use crate::web::i18n::{LangLink, Tr};
use crate::web::pages;

/// What the form holds, as typed.
#[derive(Clone, Debug, Default)]
pub struct Values {
    pub cadence: String,
    pub weekday: String,
    pub hour: String,
    pub time_zone: String,
    pub locale: String,
    pub send_empty: bool,
    /// `None`: every line.
    pub lines: Option<Vec<Uuid>>,
}

impl Values {
    pub fn of(s: &Subscription) -> Values {
        Values {
            cadence: s.cadence.to_owned(),
            weekday: s.weekday.to_owned(),
            hour: s.hour.to_string(),
            time_zone: s.time_zone.clone(),
            locale: s.locale.clone(),
            send_empty: s.send_empty,
            lines: s.product_lines.clone(),
        }
    }

    /// From the posted fields. `lines=all` (or no `lines` field, when the form shows no lines and
    /// `keep_lines` says what they were) means every line; otherwise each `line` field is one id.
    pub fn from_form(pairs: &[(String, String)], keep_lines: Option<Option<Vec<Uuid>>>) -> Values {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
        let lines = match (pairs.iter().find(|(n, _)| n == "lines"), keep_lines) {
            (None, Some(kept)) => kept,
            (Some((_, v)), _) if v == "all" => None,
            _ => Some(pairs.iter().filter(|(n, _)| n == "line").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect()),
        };
        Values {
            cadence: get("cadence"),
            weekday: get("weekday"),
            hour: get("hour"),
            time_zone: get("time_zone"),
            locale: get("locale"),
            send_empty: pairs.iter().any(|(n, v)| n == "send_empty" && !v.is_empty()),
            lines,
        }
    }

    /// The API's body: the use case checks it the same way whichever way it came.
    pub fn body(&self) -> Value {
        let hour = self.hour.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(self.hour.clone()));
        json!({
            "cadence": self.cadence,
            "weekday": if self.weekday.is_empty() { Value::Null } else { Value::String(self.weekday.clone()) },
            "hour": hour,
            "time_zone": self.time_zone,
            "locale": self.locale,
            "send_empty": self.send_empty,
            "product_lines": self.lines.as_ref().map(|ids| ids.iter().map(|i| i.to_string()).collect::<Vec<_>>()),
        })
    }
}

pub struct LineChoice {
    pub id: Uuid,
    pub name: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "account/subscription.html")]
struct Page<'a> {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    /// Signed in: the nav and the CSRF field; on the signed link page, neither.
    csrf_token: String,
    signed_in: bool,
    owner: bool,
    heading: String,
    action: String,
    v: &'a Values,
    weekdays: Vec<(&'static str, String)>,
    hours: Vec<String>,
    locales: Vec<(&'static str, String)>,
    lines: Vec<LineChoice>,
    show_lines: bool,
    all_lines: bool,
    error: Option<String>,
    error_field: &'static str,
    notice: Option<String>,
    next: Option<String>,
    unsubscribe_action: Option<String>,
}

pub struct Shown<'a> {
    pub locale: Locale,
    pub switch: Vec<LangLink>,
    pub csrf_token: Option<String>,
    pub owner: bool,
    pub heading: String,
    pub action: String,
    pub values: &'a Values,
    /// Every line of the workspace, when the page lets the reader choose them.
    pub lines: Option<Vec<(Uuid, String)>>,
    pub notice: Option<String>,
    pub next_digest: Option<time::OffsetDateTime>,
    pub unsubscribe_action: Option<String>,
}

/// The refusal as the form shows it: the field to mark and a message in the reader's language.
pub fn refusal(tr: Tr, e: &AppError) -> Option<(&'static str, String)> {
    match e {
        AppError::Invalid { field, .. } => Some((field, tr.t(&format!("sub-invalid-{}", field.replace('_', "-"))))),
        _ => None,
    }
}

pub fn render(shown: Shown<'_>, status: StatusCode, error: Option<(&'static str, String)>) -> HttpResponse {
    let tr = Tr(shown.locale);
    let chosen = shown.values.lines.clone();
    let page = Page {
        lang: shown.locale.tag(),
        tr,
        switch: shown.switch,
        signed_in: shown.csrf_token.is_some(),
        csrf_token: shown.csrf_token.unwrap_or_default(),
        owner: shown.owner,
        heading: shown.heading,
        action: shown.action,
        v: shown.values,
        weekdays: Weekday::ALL.iter().map(|d| (d.as_str(), tr.t(&format!("sub-weekday-{}", d.as_str())))).collect(),
        hours: (0..24).map(|h| h.to_string()).collect(),
        locales: crate::domain::locale::SUPPORTED
            .iter()
            .map(|tag| (*tag, tr.t(&format!("sub-locale-{tag}"))))
            .collect(),
        show_lines: shown.lines.is_some(),
        all_lines: chosen.is_none(),
        lines: shown
            .lines
            .unwrap_or_default()
            .into_iter()
            .map(|(id, name)| LineChoice { id, name, chosen: chosen.as_ref().is_some_and(|c| c.contains(&id)) })
            .collect(),
        error_field: error.as_ref().map_or("", |(f, _)| f),
        error: error.map(|(_, m)| m),
        notice: shown.notice,
        next: shown.next_digest.map(|t| {
            tr.t_str("sub-next", "at", &t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default())
        }),
        unsubscribe_action: shown.unsubscribe_action,
    };
    pages::render(status, shown.locale, &page)
}
