//! `/dashboard/zones`: every zone with its KPIs, and (owners) the forms that add, change and remove
//! zones. Plain POST forms with the session's `csrf_token`; a refused form comes back (422) with what
//! was typed. The KPI table is shared with the overview.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde_json::{Value, json};
use uuid::Uuid;

use super::session::Member;
use crate::app::zones::{self, Kpis, Zone};
use crate::app::{AppError, lines, members};
use crate::domain::response_kpi::AGE_BANDS_DAYS;
use crate::domain::{FormConfig, Kind, Role};
use crate::web::error::DashError;
use crate::web::i18n::{LangLink, Tr, switch_links};
use crate::web::pages;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/dashboard/zones").route(web::get().to(page)).route(web::post().to(create)))
        .route("/dashboard/zones/{id}", web::post().to(update))
        .route("/dashboard/zones/{id}/delete", web::post().to(delete));
}

/// One zone's KPIs as the tables show them.
pub struct KpiRow {
    pub name: String,
    pub inbox_href: String,
    pub target: String,
    pub reports: u64,
    /// "12 answered".
    pub responded: String,
    pub median: String,
    pub p90: String,
    pub within: String,
    pub open: u64,
    pub bands: Vec<u64>,
}

fn hours(tr: Tr, h: Option<f64>) -> String {
    // One decimal, with the reader's decimal separator.
    let decimal = |x: f64| {
        let s = format!("{x:.1}");
        if tr.0.tag() == "ru" { s.replace('.', ",") } else { s }
    };
    match h {
        None => "—".into(),
        Some(h) if h < 48.0 => tr.t_args("zones-hours", &[("hours", decimal(h).into())]),
        Some(h) => tr.t_args("zones-days", &[("days", decimal(h / 24.0).into())]),
    }
}

pub fn kpi_rows(tr: Tr, kpis: &[Kpis]) -> Vec<KpiRow> {
    kpis.iter()
        .map(|k| KpiRow {
            name: k.name.clone(),
            inbox_href: format!("/dashboard/reports?zone={}", k.zone_id),
            target: tr.t_num("zones-target-days", "days", i64::from(k.response_target_days)),
            reports: k.response.reports,
            responded: tr.t_num("zones-responded", "count", i64::try_from(k.response.responded).unwrap_or(i64::MAX)),
            median: hours(tr, k.response.median_hours),
            p90: hours(tr, k.response.p90_hours),
            within: match k.response.within_target_share {
                Some(s) => tr.t_args(
                    "zones-share",
                    &[
                        ("percent", format!("{:.0}", s * 100.0).into()),
                        ("n", i64::try_from(k.response.due).unwrap_or(i64::MAX).into()),
                    ],
                ),
                None => "—".into(),
            },
            open: k.open,
            bands: k.open_by_age.to_vec(),
        })
        .collect()
}

/// The age bands' headings: "< 1 d", "1–3 d", ….
pub fn band_labels(tr: Tr) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    for to in AGE_BANDS_DAYS {
        out.push(if from == 0 {
            tr.t_num("zones-age-under", "days", to)
        } else {
            tr.t_args("zones-age-between", &[("from", from.into()), ("to", to.into())])
        });
        from = to;
    }
    out.push(tr.t_num("zones-age-over", "days", from));
    out
}

struct Choice {
    value: String,
    label: String,
    checked: bool,
}

/// A zone's form: the stored zone, or what was typed into it.
struct ZoneForm {
    /// None: the form that adds a zone.
    id: Option<Uuid>,
    /// Unique element ids per form: the zone's id, or `new`.
    prefix: String,
    name: String,
    summary: String,
    categories: Vec<Choice>,
    lines: Vec<Choice>,
    members: Vec<Choice>,
    target: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/zones.html")]
struct ZonesPage {
    lang: &'static str,
    tr: Tr,
    switch: Vec<LangLink>,
    csrf_token: String,
    owner: bool,
    kpis: Vec<KpiRow>,
    bands: Vec<String>,
    kpi_days: i64,
    zones: Vec<ZoneForm>,
    new_zone: ZoneForm,
}

/// What a submitted form says, by field (checkbox names repeat).
#[derive(Default)]
struct Typed {
    name: String,
    categories: Vec<String>,
    lines: Vec<String>,
    members: Vec<String>,
    target: String,
}

impl Typed {
    fn parse(body: &[u8]) -> (Typed, String) {
        let mut t = Typed::default();
        let mut csrf = String::new();
        for (k, v) in url::form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "name" => t.name = v,
                "categories" => t.categories.push(v),
                "product_lines" => t.lines.push(v),
                "members" => t.members.push(v),
                "response_target_days" => t.target = v,
                "csrf_token" => csrf = v,
                _ => {}
            }
        }
        (t, csrf)
    }

    /// The API's body for the same change: one validation for both.
    fn body(&self) -> Value {
        json!({
            "name": self.name,
            "categories": self.categories,
            // No line ticked: every line.
            "product_lines": if self.lines.is_empty() { Value::Null } else { json!(self.lines) },
            "members": self.members,
            "response_target_days": self.target.trim().parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(self.target)),
        })
    }

    fn of(z: &Zone) -> Typed {
        Typed {
            name: z.name.clone(),
            categories: z.categories.clone(),
            lines: z.product_lines.iter().flatten().map(Uuid::to_string).collect(),
            members: z.members.iter().map(Uuid::to_string).collect(),
            target: z.response_target_days.to_string(),
        }
    }
}

/// What the forms offer: every category of every line (`kind/key` -> "Kind: label"), the lines, the members.
struct Options {
    categories: BTreeMap<String, String>,
    lines: Vec<(Uuid, String)>,
    members: Vec<(Uuid, String)>,
}

async fn options(state: &AppState, member: &Member) -> Result<Options, DashError> {
    let locale = member.locale;
    let (categories, all) = categories(state, member).await?;
    let (people, _) = members::list(&state.app, &member.account()).await.map_err(DashError::from_app(locale))?;
    Ok(Options {
        categories,
        lines: all.into_iter().map(|(l, _)| (l.id.get(), l.name)).collect(),
        members: people.into_iter().map(|m| (m.id, m.email)).collect(),
    })
}

/// Every category the manufacturer's lines offer (the default form's without a line), `kind/key`
/// -> "Kind: label" in the reader's language; and the lines with their forms.
pub(super) async fn categories(
    state: &AppState,
    member: &Member,
) -> Result<(BTreeMap<String, String>, Vec<(lines::Line, FormConfig)>), DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let all = lines::list_with_forms(&state.app, member.manufacturer_id).await.map_err(DashError::from_app(locale))?;
    let default = [FormConfig::default()];
    let forms: Vec<&FormConfig> =
        if all.is_empty() { default.iter().collect() } else { all.iter().map(|(_, f)| f).collect() };
    let mut categories = BTreeMap::new();
    for f in forms {
        for k in Kind::ALL {
            for c in f.categories.for_kind(k) {
                let label = format!("{}: {}", tr.t(&format!("kind-name-{}", k.as_str())), c.label(locale));
                categories.entry(format!("{}/{}", k.as_str(), c.key)).or_insert(label);
            }
        }
    }
    Ok((categories, all))
}

fn form(tr: Tr, o: &Options, id: Option<Uuid>, t: &Typed, error: Option<String>) -> ZoneForm {
    let pick = |items: Vec<(String, String)>, chosen: &[String]| -> Vec<Choice> {
        items.into_iter().map(|(value, label)| Choice { checked: chosen.contains(&value), value, label }).collect()
    };
    let cats: Vec<String> =
        t.categories.iter().map(|c| o.categories.get(c).cloned().unwrap_or_else(|| c.clone())).collect();
    let lines_text = if t.lines.is_empty() {
        tr.t("zones-every-line")
    } else {
        o.lines
            .iter()
            .filter(|(id, _)| t.lines.contains(&id.to_string()))
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    ZoneForm {
        id,
        prefix: id.map_or_else(|| "new".to_owned(), |id| id.to_string()),
        name: t.name.clone(),
        summary: format!("{} — {lines_text}", cats.join(", ")),
        categories: pick(o.categories.iter().map(|(k, l)| (k.clone(), l.clone())).collect(), &t.categories),
        lines: pick(o.lines.iter().map(|(id, n)| (id.to_string(), n.clone())).collect(), &t.lines),
        members: pick(o.members.iter().map(|(id, e)| (id.to_string(), e.clone())).collect(), &t.members),
        target: t.target.clone(),
        error,
    }
}

/// The page; `draft` is a refused form to show again (its zone, or None for the new one) with its message.
async fn render(
    state: &AppState,
    member: &Member,
    status: StatusCode,
    draft: Option<(Option<Uuid>, Typed, String)>,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let all = zones::list(&state.app, member.manufacturer_id).await.map_err(DashError::from_app(locale))?;
    let kpis = zones::all_kpis(&state.app, member.manufacturer_id, &all, zones::DEFAULT_KPI_DAYS, crate::store::now())
        .await
        .map_err(DashError::from_app(locale))?;
    let o = options(state, member).await?;
    let (draft_id, draft_typed, draft_error) = match draft {
        Some((id, t, e)) => (Some(id), Some(t), Some(e)),
        None => (None, None, None),
    };
    let forms = all
        .iter()
        .map(|z| match (&draft_typed, draft_id) {
            (Some(t), Some(Some(id))) if id == z.id => form(tr, &o, Some(z.id), t, draft_error.clone()),
            _ => form(tr, &o, Some(z.id), &Typed::of(z), None),
        })
        .collect();
    let new_zone = match (&draft_typed, draft_id) {
        (Some(t), Some(None)) => form(tr, &o, None, t, draft_error.clone()),
        _ => form(tr, &o, None, &Typed { target: zones_default_target(), ..Typed::default() }, None),
    };
    let page = ZonesPage {
        lang: locale.tag(),
        tr,
        switch: switch_links("/dashboard/zones", locale),
        csrf_token: member.csrf_token.clone(),
        owner: member.role == Role::Owner,
        kpis: kpi_rows(tr, &kpis),
        bands: band_labels(tr),
        kpi_days: zones::DEFAULT_KPI_DAYS,
        zones: forms,
        new_zone,
    };
    Ok(pages::render(status, locale, &page))
}

fn zones_default_target() -> String {
    crate::domain::zone::DEFAULT_TARGET_DAYS.to_string()
}

async fn page(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, DashError> {
    render(&state, &member, StatusCode::OK, None).await
}

/// After a change: back to the page, or the page again with the form as typed and its refusal (422).
async fn after(
    state: &AppState,
    member: &Member,
    id: Option<Uuid>,
    typed: Typed,
    done: Result<(), AppError>,
) -> Result<HttpResponse, DashError> {
    match done {
        Ok(()) => Ok(HttpResponse::SeeOther().insert_header((LOCATION, "/dashboard/zones")).finish()),
        Err(e @ AppError::Invalid { .. }) => {
            let text = e.refusal_text(Tr(member.locale)).unwrap_or_else(|| e.to_string());
            render(state, member, StatusCode::UNPROCESSABLE_ENTITY, Some((id, typed, text))).await
        }
        Err(e) => Err(DashError::from_app(member.locale)(e)),
    }
}

async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    body: web::Bytes,
) -> Result<HttpResponse, DashError> {
    let (typed, csrf) = Typed::parse(&body);
    member.check_form(&req, &csrf)?;
    member.require(Role::Owner)?;
    let done = zones::create(&state.app, &member.account(), &typed.body()).await.map(|_| ());
    after(&state, &member, None, typed, done).await
}

async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DashError> {
    let (typed, csrf) = Typed::parse(&body);
    member.check_form(&req, &csrf)?;
    member.require(Role::Owner)?;
    let done = zones::update(&state.app, &member.account(), *id, &typed.body()).await.map(|_| ());
    after(&state, &member, Some(*id), typed, done).await
}

async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    member: Member,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DashError> {
    let (typed, csrf) = Typed::parse(&body);
    member.check_form(&req, &csrf)?;
    member.require(Role::Owner)?;
    let done = zones::delete(&state.app, &member.account(), *id).await;
    after(&state, &member, Some(*id), typed, done).await
}
