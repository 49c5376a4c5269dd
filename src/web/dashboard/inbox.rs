//! `/dashboard/reports`, the inbox, and `/dashboard/reports/{id}`, one report: filters as a plain GET
//! form, one filter for the list, its counts and the CSV export; triage, assignment, notes and the
//! reply form as POST forms with the session's `csrf_token`. Any member reads; editors and owners
//! change things.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use bytes::Bytes;
use serde::Deserialize;
use time::{Date, OffsetDateTime, Time, UtcOffset};
use uuid::Uuid;

use super::session::Member;
use crate::app::reports::{self, EventKind, Query, Report};
use crate::app::zones::{self, Zone};
use crate::app::{AppError, lines, members, replies};
use crate::domain::{Cursor, FormConfig, Kind, LineId, Locale, ReportId, ReportStatus, Role};
use crate::i18n::Tr;
use crate::web::api::reports::csv_body;
use crate::web::error::DashError;
use crate::web::i18n::{LangLink, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // `bulk` before `{id}`, so that it is not taken for a report id.
    cfg.route("/dashboard/reports", web::get().to(inbox))
        .route("/dashboard/reports.csv", web::get().to(export))
        .route("/dashboard/reports/bulk", web::post().to(bulk))
        .route("/dashboard/reports/{id}", web::get().to(report_page))
        .route("/dashboard/reports/{id}/photos/{n}", web::get().to(photo))
        .route("/dashboard/reports/{id}/status", web::post().to(set_status))
        .route("/dashboard/reports/{id}/assignee", web::post().to(assign))
        .route("/dashboard/reports/{id}/notes", web::post().to(add_note))
        .route("/dashboard/reports/{id}/reply", web::post().to(reply))
        .route("/dashboard/reports/{id}/category", web::post().to(set_category));
}

/// Reports per inbox page.
const PAGE_SIZE: u64 = 50;
/// Reports with an unsure suggestion shown above the list.
const UNSURE_FIRST: u64 = 5;
/// Rows per piece of the HTTP body while the CSV streams.
const CSV_CHUNK: usize = 1000;
/// Characters of a comment shown in the list (the report page shows all of it).
const EXCERPT_CHARS: usize = 160;

/// The inbox's query string, as typed: every field is optional text, and a value that names nothing
/// (a hand-edited URL) is no filter rather than an error page.
#[derive(Clone, Debug, Default, Deserialize)]
struct Params {
    line: Option<String>,
    lot: Option<String>,
    kind: Option<String>,
    category: Option<String>,
    status: Option<String>,
    from: Option<String>,
    until: Option<String>,
    has_email: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    /// `any` or `unsure`: reports with a suggested category, or only the unsure ones.
    suggestion: Option<String>,
    /// A zone's id, or `all`. Absent, a member of exactly one zone sees that zone's reports.
    zone: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn parse_date(v: &Option<String>) -> Option<Date> {
    given(v).and_then(|d| Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok())
}

fn midnight(d: Date) -> OffsetDateTime {
    d.with_time(Time::MIDNIGHT).assume_offset(UtcOffset::UTC)
}

impl Params {
    /// The one filter the list, the counts and the export share. `until` is the last day included.
    fn query(&self) -> Query {
        Query {
            product_line: given(&self.line).and_then(|l| l.parse::<Uuid>().ok()).map(LineId),
            since: parse_date(&self.from).map(midnight),
            until: parse_date(&self.until).and_then(|d| d.next_day()).map(midnight),
            kind: given(&self.kind).and_then(Kind::parse),
            category: given(&self.category).map(str::to_owned),
            lot: given(&self.lot).map(|l| l.to_ascii_uppercase()),
            status: given(&self.status).and_then(ReportStatus::parse),
            text: given(&self.q).map(|q| q.chars().take(200).collect()),
            has_email: match given(&self.has_email) {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
            suggestion: given(&self.suggestion).and_then(reports::SuggestionFilter::parse),
            zone: given(&self.zone).and_then(|z| z.parse::<Uuid>().ok()),
        }
    }

    /// "My zone" by default: a member of exactly one zone who opens the bare inbox (no filter in
    /// the URL) gets it. A link that names other filters (a digest's line and period, an alert's
    /// category) shows what it names in every zone: it may be about what no zone owns. A zone that
    /// is not (or no longer) the manufacturer's is no filter, like any value naming nothing.
    fn with_zone_default(mut self, zones: &[Zone], mine: &[Zone]) -> Params {
        match given(&self.zone) {
            None if self.zone.is_none() && self.encode(None).is_empty() => {
                if let [only] = mine {
                    self.zone = Some(only.id.to_string());
                }
            }
            Some(z) if z != "all" && !zones.iter().any(|known| known.id.to_string() == z) => self.zone = None,
            _ => {}
        }
        self
    }

    /// The filters as a query string (without the cursor), with `status` replaced when given.
    fn encode(&self, status: Option<Option<&str>>) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        let status = match status {
            Some(s) => s.map(str::to_owned),
            None => given(&self.status).map(str::to_owned),
        };
        let fields = [
            ("line", given(&self.line).map(str::to_owned)),
            ("lot", given(&self.lot).map(str::to_owned)),
            ("kind", given(&self.kind).map(str::to_owned)),
            ("category", given(&self.category).map(str::to_owned)),
            ("status", status),
            ("from", given(&self.from).map(str::to_owned)),
            ("until", given(&self.until).map(str::to_owned)),
            ("has_email", given(&self.has_email).map(str::to_owned)),
            ("q", given(&self.q).map(str::to_owned)),
            ("suggestion", given(&self.suggestion).map(str::to_owned)),
            ("zone", given(&self.zone).map(str::to_owned)),
        ];
        for (name, value) in fields {
            if let Some(v) = value {
                out.append_pair(name, &v);
            }
        }
        out.finish()
    }
}

fn when(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    t.format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_default()
}

pub(crate) fn status_label(tr: Tr, s: ReportStatus) -> String {
    tr.t(&format!("status-{}", s.as_str()))
}

fn kind_label(tr: Tr, k: Kind) -> String {
    tr.t(&format!("kind-name-{}", k.as_str()))
}

/// A choice in a `<select>`: value, label, selected.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(options: impl IntoIterator<Item = (String, String)>, current: Option<&str>) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice { selected: current == Some(value.as_str()), value, label })
        .collect()
}

struct Tab {
    href: String,
    label: String,
    current: bool,
}

struct Row {
    id: Uuid,
    received: String,
    line: String,
    kind: String,
    category: String,
    lot: String,
    rating: i16,
    excerpt: String,
    has_email: bool,
    status: String,
    assignee: String,
    /// "suggested: handle (72 %)", or "unsure: …" below the threshold; empty without one.
    suggestion: String,
    unsure: bool,
    /// The zones that own it, by name.
    zones: String,
}

/// A category's label in the reader's language, from the form of the report's line (the key when
/// the form no longer has it).
fn category_label(form: Option<&FormConfig>, kind: Kind, key: &str, locale: Locale) -> String {
    form.and_then(|f| f.categories.for_kind(kind).iter().find(|c| c.key == key))
        .map_or_else(|| key.to_owned(), |c| c.label(locale).to_owned())
}

/// A report whose suggestion is unsure, above the list.
struct FirstRow {
    id: Uuid,
    received: String,
    excerpt: String,
    suggestion: String,
}

/// How a suggestion reads in the inbox and on the report page.
fn suggestion_text(tr: Tr, r: &Report, form: Option<&FormConfig>) -> String {
    match &r.suggestion {
        Some((c, p)) => {
            let key = if r.suggestion_unsure() { "inbox-suggestion-unsure" } else { "inbox-suggestion-sure" };
            let label = category_label(form, r.kind, c, tr.0);
            tr.t_args(key, &[("category", label.into()), ("percent", ((i64::from(*p) + 5) / 10).into())])
        }
        None => String::new(),
    }
}

#[derive(Template)]
#[template(path = "account/inbox.html")]
struct InboxPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    owner: bool,
    can_edit: bool,
    lines: Vec<Choice>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    emails: Vec<Choice>,
    suggestions: Vec<Choice>,
    /// Empty when the manufacturer has no zones.
    zones: Vec<Choice>,
    /// Reports whose suggestion is unsure under the other filters, and the link that shows them.
    unsure: Option<(u64, String)>,
    /// The newest of them, shown above the first page.
    first: Vec<FirstRow>,
    lot: String,
    category: String,
    from: String,
    until: String,
    q: String,
    tabs: Vec<Tab>,
    summary: String,
    rows: Vec<Row>,
    csv_href: String,
    next_href: Option<String>,
    first_href: Option<String>,
    back: String,
    bulk_statuses: Vec<Choice>,
    /// `kind/key` -> "Kind: label": the team's category for the ticked reports of that kind.
    bulk_categories: Vec<Choice>,
    assignees: Vec<Choice>,
}

/// The workspace's members, id -> email.
async fn member_emails(state: &AppState, member: &Member) -> Result<Vec<(Uuid, String)>, DashError> {
    let (all, _) = members::list(&state.app, &member.account()).await.map_err(DashError::from_app(member.locale))?;
    Ok(all.into_iter().map(|m| (m.id, m.email)).collect())
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

#[tracing::instrument(skip_all, fields(manufacturer = %member.manufacturer_id))]
async fn inbox(
    state: web::Data<AppState>,
    member: Member,
    params: web::Query<Params>,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let all_zones = zones::list(&state.app, member.manufacturer_id).await.map_err(DashError::from_app(locale))?;
    let mine = zones::of_member(&state.app, &member.account()).await.map_err(DashError::from_app(locale))?;
    let params = params.into_inner().with_zone_default(&all_zones, &mine);
    let query = params.query();
    let after = given(&params.cursor).and_then(|c| Cursor::parse(c).ok());
    let page = reports::page(&state.app, member.manufacturer_id, &query, after, PAGE_SIZE)
        .await
        .map_err(DashError::from_app(locale))?;
    let counts =
        reports::counts(&state.app, member.manufacturer_id, &query).await.map_err(DashError::from_app(locale))?;
    // The unsure suggestions come first: the newest few of them above the first page of the list,
    // and a link to all of them, whatever else is shown.
    let (unsure, first) = if query.suggestion == Some(reports::SuggestionFilter::Unsure) {
        (None, Vec::new())
    } else {
        let q = Query { suggestion: Some(reports::SuggestionFilter::Unsure), ..query.clone() };
        let n =
            reports::counts(&state.app, member.manufacturer_id, &q).await.map_err(DashError::from_app(locale))?.total;
        let p = Params { suggestion: Some("unsure".into()), cursor: None, ..params.clone() };
        let first = if n > 0 && after.is_none() {
            reports::page(&state.app, member.manufacturer_id, &q, None, UNSURE_FIRST)
                .await
                .map_err(DashError::from_app(locale))?
                .reports
        } else {
            Vec::new()
        };
        ((n > 0).then(|| (n, format!("/dashboard/reports?{}", p.encode(None)))), first)
    };
    // Every line with its form, in one read: the line names, the category labels of both lists and
    // the bulk form's choices.
    let (bulk_categories, line_forms) = super::zones::categories(&state, &member).await?;
    let line_list: Vec<(Uuid, String)> = line_forms.iter().map(|(l, _)| (l.id.get(), l.name.clone())).collect();
    let forms: HashMap<Uuid, FormConfig> = line_forms.into_iter().map(|(l, f)| (l.id.get(), f)).collect();
    let people = member_emails(&state, &member).await?;
    let line_of: HashMap<Uuid, &str> = line_list.iter().map(|(id, n)| (*id, n.as_str())).collect();
    let person: HashMap<Uuid, &str> = people.iter().map(|(id, e)| (*id, e.as_str())).collect();

    let filters = params.encode(None);
    let current_status = query.status.map(ReportStatus::as_str);
    let mut tabs = vec![Tab {
        href: format!("/dashboard/reports?{}", params.encode(Some(None))),
        label: format!("{} ({})", tr.t("inbox-all"), counts.total),
        current: current_status.is_none(),
    }];
    for (s, n) in &counts.by_status {
        tabs.push(Tab {
            href: format!("/dashboard/reports?{}", params.encode(Some(Some(s.as_str())))),
            label: format!("{} ({n})", status_label(tr, *s)),
            current: current_status == Some(s.as_str()),
        });
    }
    let shown = match query.status {
        Some(s) => counts.of(s),
        None => counts.total,
    };
    let summary = tr.t_num("inbox-summary", "count", i64::try_from(shown).unwrap_or(i64::MAX));

    let first: Vec<FirstRow> = first
        .iter()
        .map(|r| FirstRow {
            id: r.id.get(),
            received: when(r.created_at),
            excerpt: excerpt(&r.comment),
            suggestion: suggestion_text(tr, r, forms.get(&r.product_line_id.get())),
        })
        .collect();
    let rows = page
        .reports
        .iter()
        .map(|r| Row {
            id: r.id.get(),
            received: when(r.created_at),
            line: line_of.get(&r.product_line_id.get()).map(|n| (*n).to_owned()).unwrap_or_default(),
            kind: kind_label(tr, r.kind),
            category: r
                .category
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(|c| category_label(forms.get(&r.product_line_id.get()), r.kind, c, locale))
                .unwrap_or_default(),
            lot: r.lot.clone().unwrap_or_default(),
            rating: r.rating,
            excerpt: excerpt(&r.comment),
            has_email: r.email.as_deref().is_some_and(|e| !e.is_empty()),
            status: status_label(tr, r.status),
            assignee: r.assignee_id.and_then(|a| person.get(&a).map(|e| (*e).to_owned())).unwrap_or_default(),
            suggestion: suggestion_text(tr, r, forms.get(&r.product_line_id.get())),
            unsure: r.suggestion_unsure(),
            zones: r.zones.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", "),
        })
        .collect();

    let next_href = page.next.map(|c| {
        let cursor: String =
            url::form_urlencoded::Serializer::new(String::new()).append_pair("cursor", &c.encode()).finish();
        if filters.is_empty() {
            format!("/dashboard/reports?{cursor}")
        } else {
            format!("/dashboard/reports?{filters}&{cursor}")
        }
    });
    let first_href = after.map(|_| format!("/dashboard/reports?{filters}"));
    let any = || (String::new(), tr.t("inbox-any"));
    let current_line = query.product_line.map(|l| l.to_string());
    let status_options = || ReportStatus::ALL.iter().map(|s| (s.as_str().to_owned(), status_label(tr, *s)));
    let mut assignees = vec![Choice { value: String::new(), label: tr.t("inbox-nobody"), selected: false }];
    assignees.extend(people.iter().map(|(id, e)| Choice { value: id.to_string(), label: e.clone(), selected: false }));
    let page = InboxPage {
        lang: locale.tag(),
        tr,
        switch: switch_links("/dashboard/reports", locale),
        csrf_token: member.csrf_token.clone(),
        owner: member.role == Role::Owner,
        can_edit: member.role.allows(Role::Editor),
        lines: choices(
            std::iter::once(any()).chain(line_list.iter().map(|(id, n)| (id.to_string(), n.clone()))),
            Some(current_line.as_deref().unwrap_or("")),
        ),
        kinds: choices(
            std::iter::once(any()).chain(Kind::ALL.iter().map(|k| (k.as_str().to_owned(), kind_label(tr, *k)))),
            Some(query.kind.map_or("", Kind::as_str)),
        ),
        statuses: choices(std::iter::once(any()).chain(status_options()), Some(current_status.unwrap_or(""))),
        emails: choices(
            [any(), ("yes".to_owned(), tr.t("inbox-email-yes")), ("no".to_owned(), tr.t("inbox-email-no"))],
            Some(given(&params.has_email).unwrap_or("")),
        ),
        suggestions: choices(
            [
                any(),
                ("any".to_owned(), tr.t("inbox-suggestion-any")),
                ("unsure".to_owned(), tr.t("inbox-suggestion-unsure-only")),
            ],
            Some(given(&params.suggestion).unwrap_or("")),
        ),
        zones: if all_zones.is_empty() {
            Vec::new()
        } else {
            choices(
                std::iter::once(("all".to_owned(), tr.t("inbox-zone-all")))
                    .chain(all_zones.iter().map(|z| (z.id.to_string(), z.name.clone()))),
                Some(given(&params.zone).unwrap_or("all")),
            )
        },
        unsure,
        first,
        lot: given(&params.lot).unwrap_or_default().to_owned(),
        category: given(&params.category).unwrap_or_default().to_owned(),
        from: parse_date(&params.from).map(|d| d.to_string()).unwrap_or_default(),
        until: parse_date(&params.until).map(|d| d.to_string()).unwrap_or_default(),
        q: given(&params.q).unwrap_or_default().to_owned(),
        tabs,
        summary,
        rows,
        csv_href: format!("/dashboard/reports.csv?{filters}"),
        next_href,
        first_href,
        back: filters,
        bulk_statuses: choices(status_options(), None),
        bulk_categories: choices(bulk_categories, None),
        assignees,
    };
    Ok(pages::render(StatusCode::OK, locale, &page))
}

/// The inbox's filtered reports as CSV: the same filter as the list, every matching row, streamed.
async fn export(
    state: web::Data<AppState>,
    member: Member,
    params: web::Query<Params>,
) -> Result<HttpResponse, DashError> {
    let all_zones =
        zones::list(&state.app, member.manufacturer_id).await.map_err(DashError::from_app(member.locale))?;
    let query = params.into_inner().with_zone_default(&all_zones, &[]).query();
    let chunks = reports::export(&state.app, member.manufacturer_id, query, CSV_CHUNK)
        .await
        .map_err(DashError::from_app(member.locale))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"reports.csv\""))
        .insert_header(("Cache-Control", "no-store"))
        .streaming(csv_body(chunks)))
}

/// The fields of an urlencoded form, repeated names kept (the bulk form's checkboxes).
fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Back to the inbox with the filters it was showing (re-encoded: only our own path, never a URL).
fn back_to_inbox(back: Option<&str>) -> HttpResponse {
    let pairs = form_fields(back.unwrap_or_default().as_bytes());
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(k, _)| k != "cursor") {
        out.append_pair(k, v);
    }
    let q = out.finish();
    let to = if q.is_empty() { "/dashboard/reports".to_owned() } else { format!("/dashboard/reports?{q}") };
    HttpResponse::SeeOther().insert_header((LOCATION, to)).finish()
}

/// The member's id when a use case needs to know who acted.
fn actor(member: &Member) -> Option<Uuid> {
    Some(member.user_id)
}

/// Several reports at once: the checked `id`s get one status (`action=status`), one assignee
/// (`action=assign`) or, those of the category's kind, the team's category (`action=category`, a
/// label the suggestions learn from). Nothing checked changes nothing.
async fn bulk(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    body: Bytes,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let fields = form_fields(&body);
    member.require(Role::Editor)?;
    member.check_form(&req, field(&fields, "csrf_token").unwrap_or_default())?;
    let mut ids = Vec::new();
    for (_, v) in fields.iter().filter(|(k, _)| k == "id") {
        // A malformed id names no report of this workspace.
        ids.push(ReportId(v.trim().parse::<Uuid>().map_err(|_| DashError::NotFound { locale })?));
    }
    let back = field(&fields, "back");
    if ids.is_empty() {
        return Ok(back_to_inbox(back));
    }
    let result = match field(&fields, "action") {
        Some("status") => {
            let Some(status) = field(&fields, "status").and_then(ReportStatus::parse) else {
                return Ok(back_to_inbox(back));
            };
            reports::set_status_many(&state.app, member.manufacturer_id, actor(&member), &ids, status).await.map(|_| ())
        }
        Some("assign") => {
            let assignee = parse_assignee(field(&fields, "assignee"), locale)?;
            reports::assign(&state.app, member.manufacturer_id, actor(&member), &ids, assignee).await.map(|_| ())
        }
        Some("category") => {
            let Some((kind, key)) = field(&fields, "category").and_then(|c| c.split_once('/')) else {
                return Ok(back_to_inbox(back));
            };
            let Some(kind) = Kind::parse(kind) else { return Ok(back_to_inbox(back)) };
            set_categories(&state, &member, &ids, kind, key).await
        }
        _ => return Ok(back_to_inbox(back)),
    };
    match result {
        Ok(()) | Err(AppError::Invalid { .. }) => Ok(back_to_inbox(back)),
        Err(e) => Err(DashError::from_app(locale)(e)),
    }
}

/// The team's category for each of these reports that is of `kind` (reports of another kind keep
/// theirs: a key means something else there). A key the report's line does not offer is refused
/// for that report only.
async fn set_categories(
    state: &AppState,
    member: &Member,
    ids: &[ReportId],
    kind: Kind,
    key: &str,
) -> Result<(), AppError> {
    if ids.len() > reports::BULK_MAX {
        return Err(AppError::refused_n("id", "bulk-error-many", "max", reports::BULK_MAX as i64));
    }
    // Every id first: one that is not this manufacturer's report changes none of them.
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.push(reports::get(&state.app, member.manufacturer_id, *id).await?);
    }
    for report in found.into_iter().filter(|r| r.kind == kind) {
        match crate::app::classify::set_category(&state.app, member.manufacturer_id, actor(member), report.id, key)
            .await
        {
            Ok(()) | Err(AppError::Invalid { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `""` is nobody; anything else must be a member id (another workspace's is "not found" later).
fn parse_assignee(value: Option<&str>, locale: Locale) -> Result<Option<Uuid>, DashError> {
    match value.map(str::trim).unwrap_or_default() {
        "" => Ok(None),
        v => v.parse::<Uuid>().map(Some).map_err(|_| DashError::NotFound { locale }),
    }
}

struct PhotoLine {
    full: String,
    thumbnail: String,
    alt: String,
    width: i32,
    height: i32,
}

#[derive(Template)]
#[template(path = "account/report.html")]
struct ReportPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    owner: bool,
    can_edit: bool,
    id: Uuid,
    heading: String,
    facts: Vec<(String, String)>,
    comment: String,
    photos: Vec<PhotoLine>,
    statuses: Vec<Choice>,
    reply_statuses: Vec<Choice>,
    assignees: Vec<Choice>,
    /// The categories of the report's kind on its line, the suggestion (else the current one)
    /// selected.
    categories: Vec<Choice>,
    notes: Vec<(String, String, String)>,
    history: Vec<(String, String)>,
    /// Replies and the customer's answers, oldest first: (who wrote, when, text).
    conversation: Vec<(String, String, String)>,
    can_reply: bool,
    error: Option<String>,
    message: String,
}

fn history_line(tr: Tr, kind: &EventKind) -> String {
    match kind {
        EventKind::Status { from, to } => {
            let label = |s: &Option<ReportStatus>| s.map(|s| status_label(tr, s)).unwrap_or_else(|| "?".to_owned());
            tr.t_args("history-status", &[("from", label(from).into()), ("to", label(to).into())])
        }
        EventKind::Assigned { to: Some(to), .. } => tr.t_str("history-assigned", "to", to),
        EventKind::Assigned { to: None, .. } => tr.t("history-unassigned"),
        EventKind::Note => tr.t("history-note"),
        EventKind::Reply => tr.t("history-reply"),
        EventKind::Other(kind) => tr.t_str("history-other", "kind", kind),
    }
}

async fn render_report(
    state: &AppState,
    member: &Member,
    id: ReportId,
    status: StatusCode,
    error: Option<String>,
    message: String,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let who = member.manufacturer_id;
    let from_app = DashError::from_app(locale);
    let report: Report = reports::get(&state.app, who, id).await.map_err(&from_app)?;
    let notes = reports::notes(&state.app, who, id).await.map_err(&from_app)?;
    let history = reports::history(&state.app, who, id).await.map_err(&from_app)?;
    // The report was found for this manufacturer above, so its conversation is theirs.
    let conversation = crate::app::replies::conversation(&state.app, id).await.map_err(&from_app)?;
    let line = lines::get(&state.app, who, report.product_line_id).await.map_err(&from_app)?;
    let people = member_emails(state, member).await?;
    let former = tr.t("history-former-member");

    let form = lines::form(&state.app, who, report.product_line_id).await.map_err(&from_app)?;
    let mut facts = vec![
        (tr.t("inbox-line"), line.name.clone()),
        (tr.t("inbox-kind"), kind_label(tr, report.kind)),
        (
            tr.t("inbox-category"),
            report
                .category
                .as_deref()
                .filter(|c| !c.is_empty())
                .map_or_else(|| "—".to_owned(), |c| category_label(Some(&form), report.kind, c, locale)),
        ),
        (tr.t("report-rating"), format!("{} / 5", report.rating)),
    ];
    if report.suggestion.is_some() {
        facts.push((tr.t("report-suggestion"), suggestion_text(tr, &report, Some(&form))));
    }
    if let Some(n) = report.recommend {
        facts.push((tr.t("report-recommend"), format!("{n} / 10")));
    }
    if let Some(u) = &report.usage_period {
        facts.push((tr.t("report-usage"), tr.t(&format!("usage-{u}"))));
    }
    facts.push((tr.t("inbox-lot"), report.lot.clone().unwrap_or_else(|| "—".to_owned())));
    if let Some(s) = &report.serial {
        facts.push((tr.t("report-serial"), s.clone()));
    }
    facts.push((tr.t("report-language"), report.locale.clone()));
    let email = report.email.clone().filter(|e| !e.is_empty());
    facts.push((tr.t("report-email"), email.clone().unwrap_or_else(|| tr.t("report-no-email"))));
    if let Some(text) = &report.consent_text {
        let lang = report.consent_locale.as_deref().unwrap_or("");
        facts.push((tr.t("report-consent"), format!("«{text}» ({lang})")));
    }
    facts.push((tr.t("inbox-status"), status_label(tr, report.status)));
    let assignee_email = report.assignee_id.and_then(|a| people.iter().find(|(id, _)| *id == a)).map(|(_, e)| e);
    facts.push((tr.t("inbox-assignee"), assignee_email.cloned().unwrap_or_else(|| tr.t("inbox-nobody"))));

    let photos = report
        .photos
        .iter()
        .enumerate()
        .map(|(i, p)| PhotoLine {
            full: format!("/dashboard/reports/{}/photos/{}", report.id, p.position),
            thumbnail: format!("/dashboard/reports/{}/photos/{}?size=thumbnail", report.id, p.position),
            alt: tr.t_num("report-photo-alt", "n", (i + 1) as i64),
            width: p.width,
            height: p.height,
        })
        .collect();
    let current = report.status.as_str();
    let status_options = || ReportStatus::ALL.iter().map(|s| (s.as_str().to_owned(), status_label(tr, *s)));
    let mut reply_statuses =
        vec![Choice { value: String::new(), label: tr.t("report-reply-status-default"), selected: true }];
    reply_statuses.extend(choices(status_options(), None));
    let mut assignees =
        vec![Choice { value: String::new(), label: tr.t("inbox-nobody"), selected: report.assignee_id.is_none() }];
    assignees.extend(people.iter().map(|(id, e)| Choice {
        value: id.to_string(),
        label: e.clone(),
        selected: report.assignee_id == Some(*id),
    }));
    let form = lines::form(&state.app, who, report.product_line_id).await.map_err(&from_app)?;
    let picked = report.suggestion.as_ref().map(|(c, _)| c.as_str()).or(report.category.as_deref());
    let categories = form
        .categories
        .for_kind(report.kind)
        .iter()
        .map(|c| Choice {
            value: c.key.clone(),
            label: c.label(locale).to_owned(),
            selected: picked == Some(c.key.as_str()),
        })
        .collect();
    let page = ReportPage {
        categories,
        lang: locale.tag(),
        tr,
        switch: switch_links(&format!("/dashboard/reports/{}", report.id), locale),
        csrf_token: member.csrf_token.clone(),
        owner: member.role == Role::Owner,
        can_edit: member.role.allows(Role::Editor),
        id: report.id.get(),
        heading: tr.t_str("report-title", "date", &when(report.created_at)),
        facts,
        comment: report.comment.clone(),
        photos,
        statuses: choices(status_options(), Some(current)),
        reply_statuses,
        assignees,
        notes: notes
            .into_iter()
            .map(|n| (n.author.unwrap_or_else(|| former.clone()), when(n.created_at), n.body))
            .collect(),
        history: history
            .iter()
            .map(|e| {
                let who = e.actor.clone().unwrap_or_else(|| former.clone());
                (when(e.at), format!("{who}: {}", history_line(tr, &e.kind)))
            })
            .collect(),
        conversation: conversation
            .into_iter()
            .map(|m| {
                let who =
                    if m.outgoing { tr.t("report-conversation-ours") } else { tr.t("report-conversation-theirs") };
                (who, when(m.at), m.body)
            })
            .collect(),
        // The form only accepts an email from a customer who consented to be answered.
        can_reply: email.is_some(),
        error,
        message,
    };
    Ok(pages::render(status, locale, &page))
}

async fn report_page(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DashError> {
    render_report(&state, &member, ReportId(*id), StatusCode::OK, None, String::new()).await
}

#[derive(Deserialize)]
struct PhotoQuery {
    size: Option<String>,
}

async fn photo(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(Uuid, i16)>,
    q: web::Query<PhotoQuery>,
) -> Result<HttpResponse, DashError> {
    let (id, n) = path.into_inner();
    let thumbnail = match q.size.as_deref() {
        None => false,
        Some("thumbnail") => true,
        Some(_) => return Err(DashError::NotFound { locale: member.locale }),
    };
    let bytes = reports::photo(&state.app, member.manufacturer_id, ReportId(id), n, thumbnail)
        .await
        .map_err(DashError::from_app(member.locale))?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .body(bytes))
}

fn to_report(id: Uuid) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((LOCATION, format!("/dashboard/reports/{id}"))).finish()
}

/// A refusal the report page shows (422, the form's text kept), or the error page.
async fn refused(
    state: &AppState,
    member: &Member,
    id: Uuid,
    e: AppError,
    message: String,
) -> Result<HttpResponse, DashError> {
    let tr = Tr(member.locale);
    let text = match &e {
        AppError::Invalid { field: "status", .. } => tr.t("report-invalid-status"),
        AppError::Invalid { field: "category", .. } => tr.t("report-invalid-category"),
        AppError::Invalid { field: "body", .. } => {
            tr.t_num("report-note-invalid", "max", reports::NOTE_MAX_CHARS as i64)
        }
        other => match other.refusal_text(tr) {
            Some(text) => text,
            None => return Err(DashError::from_app(member.locale)(e)),
        },
    };
    render_report(state, member, ReportId(id), StatusCode::UNPROCESSABLE_ENTITY, Some(text), message).await
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    csrf_token: String,
}

async fn set_status(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, DashError> {
    member.require(Role::Editor)?;
    member.check_form(&req, &form.csrf_token)?;
    let Some(status) = ReportStatus::parse(form.status.trim()) else {
        let e = AppError::invalid("status", "unknown status");
        return refused(&state, &member, *id, e, String::new()).await;
    };
    match reports::set_status(&state.app, member.manufacturer_id, actor(&member), ReportId(*id), status).await {
        Ok(_) => Ok(to_report(*id)),
        Err(e) => refused(&state, &member, *id, e, String::new()).await,
    }
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    csrf_token: String,
}

async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<AssignForm>,
) -> Result<HttpResponse, DashError> {
    member.require(Role::Editor)?;
    member.check_form(&req, &form.csrf_token)?;
    let assignee = parse_assignee(Some(&form.assignee), member.locale)?;
    match reports::assign(&state.app, member.manufacturer_id, actor(&member), &[ReportId(*id)], assignee).await {
        Ok(_) => Ok(to_report(*id)),
        Err(e) => refused(&state, &member, *id, e, String::new()).await,
    }
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf_token: String,
}

async fn add_note(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, DashError> {
    member.require(Role::Editor)?;
    member.check_form(&req, &form.csrf_token)?;
    match reports::add_note(&state.app, member.manufacturer_id, actor(&member), ReportId(*id), &form.body).await {
        Ok(_) => Ok(to_report(*id)),
        Err(e) => refused(&state, &member, *id, e, String::new()).await,
    }
}

#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    csrf_token: String,
}

/// The answer to the customer goes through the replies use case (mail, link, status).
async fn reply(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<ReplyForm>,
) -> Result<HttpResponse, DashError> {
    member.require(Role::Editor)?;
    member.check_form(&req, &form.csrf_token)?;
    let status = match form.status.trim() {
        "" => None,
        s => match ReportStatus::parse(s) {
            Some(s) => Some(s),
            None => {
                let e = AppError::invalid("status", "unknown status");
                return refused(&state, &member, *id, e, form.message.clone()).await;
            }
        },
    };
    // Another workspace's report is "not found" here too, whatever the replies module checks.
    reports::get(&state.app, member.manufacturer_id, ReportId(*id))
        .await
        .map_err(DashError::from_app(member.locale))?;
    let who = member.account();
    match replies::send_reply(&state.app, &who, ReportId(*id), &form.message, status).await {
        Ok(()) => Ok(to_report(*id)),
        Err(e) => refused(&state, &member, *id, e, form.message.clone()).await,
    }
}

#[derive(Deserialize)]
struct CategoryForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    csrf_token: String,
}

/// The team's category for a report: a label the suggestions learn from.
async fn set_category(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    form: web::Form<CategoryForm>,
) -> Result<HttpResponse, DashError> {
    member.require(Role::Editor)?;
    member.check_form(&req, &form.csrf_token)?;
    match crate::app::classify::set_category(
        &state.app,
        member.manufacturer_id,
        actor(&member),
        ReportId(*id),
        &form.category,
    )
    .await
    {
        Ok(()) => Ok(to_report(*id)),
        Err(e) => refused(&state, &member, *id, e, String::new()).await,
    }
}
