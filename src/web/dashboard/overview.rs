//! `/dashboard`: every line for a period against the period before, what got worse first.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::session::Member;
use super::view::{self, ChangeView, MetricCell, MetricRow, PeriodQuery, Picker, Unit};
use crate::app::dashboard::{self, LineRow};
use crate::app::zones;
use crate::domain::LineStatus;
use crate::web::error::DashError;
use crate::web::i18n::Tr;
use crate::web::pages;
use crate::web::state::AppState;

/// One number of a line in both periods.
pub struct LineCell {
    pub key: &'static str,
    pub current: MetricCell,
    pub previous: MetricCell,
    pub change: ChangeView,
}

pub struct LineView {
    pub id: String,
    pub name: String,
    pub href: String,
    pub retired: bool,
    pub worse: bool,
    pub reports: MetricCell,
    pub reports_before: MetricCell,
    pub cells: Vec<LineCell>,
}

#[derive(Template)]
#[template(path = "dashboard/overview.html")]
pub struct OverviewPage {
    pub chrome: super::session::Chrome,
    pub lang: &'static str,
    pub tr: Tr,
    pub title: String,
    pub query: String,
    pub nav: &'static str,
    pub picker: Picker,
    pub metrics: Vec<MetricRow>,
    pub nps_asked: bool,
    pub methods: Vec<String>,
    pub lines: Vec<LineView>,
    /// Each zone's KPIs (the last four weeks, whatever the period picked): empty without zones.
    pub kpis: Vec<super::zones::KpiRow>,
    pub bands: Vec<String>,
    pub kpi_days: i64,
}

fn line_view(tr: Tr, query: &str, row: &LineRow) -> LineView {
    let c = &row.comparison;
    let cell = |key, unit, now, before, change, higher_is_worse| LineCell {
        key,
        current: view::estimate_cell(tr, "current", unit, now),
        previous: view::estimate_cell(tr, "previous", unit, before),
        change: view::change_view(tr, change, higher_is_worse),
    };
    LineView {
        id: row.line.id.to_string(),
        name: row.line.name.clone(),
        href: format!("/dashboard/lines/{}{query}", row.line.id),
        retired: row.line.status == LineStatus::Retired,
        worse: c.clearly_worse(),
        reports: view::count_cell(tr, "current", c.current.reports),
        reports_before: view::count_cell(tr, "previous", c.previous.reports),
        cells: vec![
            cell("per_thousand", Unit::Rate, &c.current.per_thousand, &c.previous.per_thousand, c.per_thousand, true),
            cell("defect_share", Unit::Share, &c.current.defect_share, &c.previous.defect_share, c.defect_share, true),
            cell("csat", Unit::Share, &c.current.csat, &c.previous.csat, c.csat, false),
        ],
    }
}

#[tracing::instrument(skip_all, fields(manufacturer = %member.manufacturer_id))]
pub async fn show(state: web::Data<AppState>, member: Member, req: HttpRequest) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let q = PeriodQuery::from_query_string(req.query_string());
    let (period, _) = q.resolve();
    let window = dashboard::window(period, time::OffsetDateTime::now_utc()).map_err(DashError::from_app(locale))?;
    let overview =
        dashboard::overview(&state.app, member.manufacturer_id, window).await.map_err(DashError::from_app(locale))?;
    let query = view::query_suffix(period);
    let chrome = member.chrome(&state, "/dashboard").await;
    let every = zones::list(&state.app, member.manufacturer_id).await.map_err(DashError::from_app(locale))?;
    let kpis =
        zones::all_kpis(&state.app, member.manufacturer_id, &every, zones::DEFAULT_KPI_DAYS, crate::store::now())
            .await
            .map_err(DashError::from_app(locale))?;
    let page = OverviewPage {
        chrome,
        lang: locale.tag(),
        tr,
        title: tr.t("stats-overview-title"),
        nav: "overview",
        picker: view::picker(tr, "/dashboard", &q, period, window),
        metrics: view::metric_rows(tr, &overview.totals),
        nps_asked: view::nps_asked(&overview.totals),
        methods: view::method_notes(tr),
        lines: overview.lines.iter().map(|row| line_view(tr, &query, row)).collect(),
        kpis: super::zones::kpi_rows(tr, &kpis),
        bands: super::zones::band_labels(tr),
        kpi_days: zones::DEFAULT_KPI_DAYS,
        query,
    };
    Ok(pages::render(StatusCode::OK, locale, &page))
}
