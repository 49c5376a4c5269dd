//! "Tell everyone affected" from a line page: an editor picks a category and a period, writes the
//! message, sees how many consenting customers it reaches, then sends it. Sending the same message
//! to the same audience again sends nothing new (`app::broadcasts`), so a second click or a reload
//! is harmless.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::{Date, Duration, OffsetDateTime};

use super::session::{Chrome, Member};
use crate::app::AppError;
use crate::app::broadcasts::{self, Audience, MAX_BROADCAST_CHARS};
use crate::domain::{FormConfig, Kind, LineId, Role};
use crate::web::error::DashError;
use crate::web::i18n::Tr;
use crate::web::pages;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/dashboard/lines/{id}/broadcast").route(web::get().to(show)).route(web::post().to(post)),
    );
}

pub struct TopicOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The form as typed, with what was wrong with it; also shown on the line page.
pub struct BroadcastForm {
    pub action: String,
    pub csrf_token: String,
    pub topics: Vec<TopicOption>,
    pub from: String,
    pub until: String,
    pub message: String,
    pub max_chars: usize,
    pub topic_error: Option<String>,
    pub period_error: Option<String>,
    pub message_error: Option<String>,
}

/// The preview: who it reaches, before anything is sent.
pub struct Preview {
    pub recipients: usize,
    pub summary: String,
    pub send_label: String,
}

#[derive(Template)]
#[template(path = "dashboard/broadcast.html")]
struct BroadcastPage {
    chrome: Chrome,
    lang: &'static str,
    tr: Tr,
    title: String,
    query: String,
    nav: &'static str,
    line_href: String,
    line_name: String,
    form: BroadcastForm,
    preview: Option<Preview>,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Fields {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    message: String,
    /// `preview`, `send` or `edit`.
    #[serde(default)]
    step: String,
}

fn topic_options(tr: Tr, form: &FormConfig, chosen: &str) -> Vec<TopicOption> {
    Kind::ALL
        .into_iter()
        .flat_map(|kind| {
            form.categories.for_kind(kind).iter().map(move |c| {
                let value = format!("{}/{}", kind.as_str(), c.key);
                TopicOption {
                    label: format!("{}: {}", super::view::kind_label(tr, kind), c.label(tr.0)),
                    selected: value == chosen,
                    value,
                }
            })
        })
        .collect()
}

/// The form for a line, empty but for the last 28 days (UTC), as the line page shows it.
pub fn blank_form(member: &Member, line: LineId, form: &FormConfig) -> BroadcastForm {
    let today = OffsetDateTime::now_utc().date();
    BroadcastForm {
        action: format!("/dashboard/lines/{line}/broadcast"),
        csrf_token: member.csrf_token.clone(),
        topics: topic_options(Tr(member.locale), form, "defect/"),
        from: (today - Duration::days(27)).to_string(),
        until: today.to_string(),
        message: String::new(),
        max_chars: MAX_BROADCAST_CHARS,
        topic_error: None,
        period_error: None,
        message_error: None,
    }
}

fn typed_form(member: &Member, line: LineId, config: &FormConfig, f: &Fields) -> BroadcastForm {
    BroadcastForm {
        topics: topic_options(Tr(member.locale), config, f.topic.trim()),
        from: f.from.trim().to_owned(),
        until: f.until.trim().to_owned(),
        message: f.message.clone(),
        ..blank_form(member, line, config)
    }
}

fn day(s: &str) -> Option<Date> {
    Date::parse(s.trim(), &time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn parse_line(member: &Member, raw: &str) -> Result<LineId, DashError> {
    raw.parse().map_err(|_| DashError::NotFound { locale: member.locale })
}

struct Context {
    line: crate::app::lines::Line,
    config: FormConfig,
}

async fn context(state: &AppState, member: &Member, id: LineId) -> Result<Context, DashError> {
    let locale = member.locale;
    let line =
        crate::app::lines::get(&state.app, member.manufacturer_id, id).await.map_err(DashError::from_app(locale))?;
    let config =
        crate::app::lines::form(&state.app, member.manufacturer_id, id).await.map_err(DashError::from_app(locale))?;
    Ok(Context { line, config })
}

async fn render(
    state: &AppState,
    member: &Member,
    ctx: Context,
    status: StatusCode,
    form: BroadcastForm,
    preview: Option<Preview>,
    done: Option<String>,
) -> Result<HttpResponse, DashError> {
    let tr = Tr(member.locale);
    let page = BroadcastPage {
        chrome: member.chrome(state, &format!("/dashboard/lines/{}/broadcast", ctx.line.id)).await,
        lang: member.locale.tag(),
        tr,
        title: tr.t("broadcast-title"),
        query: String::new(),
        nav: "line",
        line_href: format!("/dashboard/lines/{}", ctx.line.id),
        line_name: ctx.line.name,
        form,
        preview,
        done,
    };
    Ok(pages::render(status, member.locale, &page))
}

#[tracing::instrument(skip_all, fields(manufacturer = %member.manufacturer_id, line = %path))]
async fn show(state: web::Data<AppState>, member: Member, path: web::Path<String>) -> Result<HttpResponse, DashError> {
    member.require(Role::Editor)?;
    let id = parse_line(&member, &path)?;
    let ctx = context(&state, &member, id).await?;
    let form = blank_form(&member, id, &ctx.config);
    render(&state, &member, ctx, StatusCode::OK, form, None, None).await
}

#[tracing::instrument(skip_all, fields(manufacturer = %member.manufacturer_id, line = %path))]
async fn post(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    path: web::Path<String>,
    fields: web::Form<Fields>,
) -> Result<HttpResponse, DashError> {
    member.check_form(&req, &fields.csrf_token)?;
    member.require(Role::Editor)?;
    let tr = Tr(member.locale);
    let id = parse_line(&member, &path)?;
    let ctx = context(&state, &member, id).await?;
    let mut form = typed_form(&member, id, &ctx.config, &fields);
    if fields.step == "edit" {
        return render(&state, &member, ctx, StatusCode::OK, form, None, None).await;
    }
    let (Some(from), Some(until)) = (day(&fields.from), day(&fields.until)) else {
        form.period_error = Some(tr.t("broadcast-error-dates"));
        return render(&state, &member, ctx, StatusCode::UNPROCESSABLE_ENTITY, form, None, None).await;
    };
    let audience = Audience { line: id, topic: fields.topic.trim().to_owned(), from, until };
    let account = member.account();
    // The preview checks the message too, so what is confirmed is what can be sent.
    let checked = match broadcasts::preview(&state.app, &account, &audience).await {
        Ok(n) => broadcasts::check_message(&fields.message).map(|_| n),
        Err(e) => Err(e),
    };
    let recipients = match checked {
        Ok(n) => n,
        Err(e @ AppError::Invalid { .. }) => {
            let text = e.refusal_text(tr);
            match e {
                AppError::Invalid { field: "topic", .. } => form.topic_error = text,
                AppError::Invalid { field: "message", .. } => form.message_error = text,
                _ => form.period_error = text,
            }
            return render(&state, &member, ctx, StatusCode::UNPROCESSABLE_ENTITY, form, None, None).await;
        }
        Err(e) => return Err(DashError::from_app(member.locale)(e)),
    };
    if fields.step == "send" {
        let sent = broadcasts::send(&state.app, &account, &audience, &fields.message)
            .await
            .map_err(DashError::from_app(member.locale))?;
        let done = if sent.already_sent {
            tr.t_num("broadcast-already-sent", "count", sent.recipients as i64)
        } else {
            tr.t_num("broadcast-sent", "count", sent.recipients as i64)
        };
        return render(&state, &member, ctx, StatusCode::OK, form, None, Some(done)).await;
    }
    let topic = form.topics.iter().find(|t| t.selected).map(|t| t.label.clone()).unwrap_or_default();
    let preview = Preview {
        recipients,
        summary: tr.t_args(
            "broadcast-preview",
            &[
                ("count", (recipients as i64).into()),
                ("topic", topic.into()),
                ("from", form.from.clone().into()),
                ("until", form.until.clone().into()),
            ],
        ),
        send_label: tr.t_num("broadcast-send", "count", recipients as i64),
    };
    render(&state, &member, ctx, StatusCode::OK, form, Some(preview), None).await
}
