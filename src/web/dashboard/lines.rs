//! `/dashboard/lines/{id}`: one line's numbers, reports by category by week, the Pareto chart of
//! defect categories, lots compared (PPM, p-chart), the newest reports; production volumes are
//! entered here. Also the photos of reports for signed-in members.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;

use super::charts::{self, BarChart, Column, PChart, PInput, ParetoChart, ParetoInput};
use super::format;
use super::session::Member;
use super::view::{self, MetricRow, PeriodQuery, Picker};
use crate::app::AppError;
use crate::app::dashboard::{self, CategoryKey, LinePage};
use crate::app::reports::Report;
use crate::domain::spc::NoChart;
use crate::domain::{FormConfig, Kind, LineId, LineStatus, Locale, Lot, Role};
use crate::web::error::DashError;
use crate::web::i18n::Tr;
use crate::web::pages;
use crate::web::state::AppState;

/// Series of the weekly chart: the largest categories, the rest together.
const WEEKLY_SERIES: usize = 6;
/// Lots listed on the page (the API lists all).
const LOTS_SHOWN: usize = 50;
/// Characters of a comment shown in the list of newest reports.
const COMMENT_CHARS: usize = 240;
/// Long side of a thumbnail as shown.
const THUMB_SHOWN: i32 = 96;

pub struct LegendItem {
    pub colour: &'static str,
    pub label: String,
}

pub struct WeekRow {
    pub label: String,
    pub cells: Vec<String>,
    pub total: String,
}

pub struct WeeklyView {
    pub chart: BarChart,
    pub desc: String,
    pub legend: Vec<LegendItem>,
    pub headers: Vec<String>,
    pub rows: Vec<WeekRow>,
}

pub struct ParetoRow {
    pub label: String,
    pub count: String,
    pub share: String,
    pub cumulative: String,
}

pub struct ParetoView {
    pub chart: ParetoChart,
    pub desc: String,
    pub rows: Vec<ParetoRow>,
}

pub struct LotRow {
    pub lot: String,
    pub reports: String,
    pub defects: String,
    pub units: String,
    pub ppm: String,
    pub upper: String,
    pub raw_ppm: String,
    pub raw_upper: String,
    pub above: bool,
    pub status: String,
}

pub struct PChartView {
    pub chart: PChart,
    pub desc: String,
    pub centre: String,
}

pub struct LotsView {
    pub chart: Option<PChartView>,
    pub no_chart: Option<String>,
    pub alerts: Vec<String>,
    pub rows: Vec<LotRow>,
    pub more: Option<String>,
    pub without_lot: Option<String>,
}

pub struct Thumb {
    pub src: String,
    pub href: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

pub struct ReportItem {
    pub href: String,
    pub when: String,
    pub what: String,
    pub rating: String,
    pub lot: Option<String>,
    pub comment: String,
    pub thumbs: Vec<Thumb>,
}

pub struct ThemeExample {
    pub href: String,
    pub excerpt: String,
}

pub struct ThemeItem {
    pub label: String,
    pub count: String,
    pub examples: Vec<ThemeExample>,
}

pub struct RiseItem {
    pub phrase: String,
    pub now: String,
    pub before: String,
}

pub struct ThemesView {
    pub themes: Vec<ThemeItem>,
    pub capped: Option<String>,
    pub rises: Vec<RiseItem>,
    pub rising_hint: String,
}

fn themes_view(tr: Tr, t: &crate::app::themes::LineThemes) -> ThemesView {
    let max = crate::app::themes::MAX_COMMENTS as i64;
    ThemesView {
        themes: t
            .themes
            .iter()
            .map(|th| ThemeItem {
                label: th.label.clone(),
                count: tr.t_num("themes-count", "count", th.count as i64),
                examples: th
                    .examples
                    .iter()
                    .map(|e| ThemeExample {
                        href: format!("/dashboard/reports/{}", e.report_id),
                        excerpt: e.excerpt.clone(),
                    })
                    .collect(),
            })
            .collect(),
        capped: (t.capped || t.rising.capped).then(|| tr.t_num("themes-capped", "max", max)),
        rises: t
            .rising
            .rises
            .iter()
            .map(|r| RiseItem {
                phrase: r.phrase.clone(),
                now: count(tr, i64::from(r.now)),
                before: count(tr, i64::from(r.before)),
            })
            .collect(),
        rising_hint: tr.t_args(
            "themes-rising-hint",
            &[
                ("now", FluentValue::from(count(tr, t.rising.comments as i64))),
                ("before", FluentValue::from(count(tr, t.rising.baseline_comments as i64))),
            ],
        ),
    }
}

/// The volume form as typed, and what was wrong with it.
#[derive(Default)]
pub struct VolumeForm {
    pub lot: String,
    pub units: String,
    pub lot_error: Option<String>,
    pub units_error: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/line.html")]
pub struct LinePageView {
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
    pub code: String,
    pub retired: bool,
    pub weekly: Option<WeeklyView>,
    pub pareto: Option<ParetoView>,
    pub lots: LotsView,
    pub can_edit: bool,
    pub csrf_token: String,
    pub volume_action: String,
    pub volume: VolumeForm,
    pub saved: Option<String>,
    pub newest: Vec<ReportItem>,
    pub themes: ThemesView,
    /// "Tell everyone affected", for editors and owners.
    pub broadcast: Option<super::broadcast::BroadcastForm>,
}

fn count(tr: Tr, n: i64) -> String {
    format::integer(tr.0, n)
}

fn category_text(tr: Tr, form: &FormConfig, key: &CategoryKey) -> String {
    format!("{}: {}", view::kind_label(tr, key.0), view::category_label(tr, form, key.0, &key.1))
}

fn weekly_view(tr: Tr, page: &LinePage) -> Option<WeeklyView> {
    if page.weeks.iter().all(|w| w.total == 0) {
        return None;
    }
    // Largest categories first; ties by kind and key so the order is stable.
    let mut ranked: Vec<(&CategoryKey, i64)> = page.categories.iter().map(|(k, n)| (k, *n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let overflow = ranked.len() > WEEKLY_SERIES;
    let named: Vec<&CategoryKey> =
        ranked.iter().take(if overflow { WEEKLY_SERIES - 1 } else { WEEKLY_SERIES }).map(|(k, _)| *k).collect();
    let mut headers: Vec<String> = named.iter().map(|k| category_text(tr, &page.form, k)).collect();
    if overflow {
        headers.push(tr.t("stats-other-categories"));
    }
    let series_of = |counts: &BTreeMap<CategoryKey, i64>| -> Vec<i64> {
        let mut values: Vec<i64> = named.iter().map(|k| counts.get(*k).copied().unwrap_or(0)).collect();
        if overflow {
            values.push(counts.iter().filter(|(k, _)| !named.contains(k)).map(|(_, n)| *n).sum());
        }
        values
    };
    let columns: Vec<Column> = page
        .weeks
        .iter()
        .map(|w| {
            let label = w.week.label();
            Column {
                values: series_of(&w.counts)
                    .into_iter()
                    .zip(&headers)
                    .map(|(n, h)| (n, format!("{label}, {h}: {}", count(tr, n))))
                    .collect(),
                label: format!("W{:02}", w.week.week),
            }
        })
        .collect();
    // Named categories in palette order; "all other categories" always in the neutral grey.
    let colours: Vec<&'static str> = (0..headers.len())
        .map(|i| if overflow && i + 1 == headers.len() { charts::OTHERS } else { charts::PALETTE[i % WEEKLY_SERIES] })
        .collect();
    let chart = charts::stacked(&columns, &colours, &|v| count(tr, v as i64));
    let legend = headers.iter().zip(&colours).map(|(h, colour)| LegendItem { colour, label: h.clone() }).collect();
    let rows: Vec<WeekRow> = page
        .weeks
        .iter()
        .map(|w| WeekRow {
            label: tr.t_args(
                "stats-week-label",
                &[
                    ("week", FluentValue::from(w.week.label())),
                    ("monday", FluentValue::from(w.week.monday().to_string())),
                ],
            ),
            cells: series_of(&w.counts).into_iter().map(|n| count(tr, n)).collect(),
            total: count(tr, w.total),
        })
        .collect();
    let busiest = page.weeks.iter().max_by_key(|w| (w.total, std::cmp::Reverse(w.week)));
    let desc = tr.t_args(
        "stats-weekly-desc",
        &[
            ("first", FluentValue::from(page.weeks.first().map(|w| w.week.label()).unwrap_or_default())),
            ("last", FluentValue::from(page.weeks.last().map(|w| w.week.label()).unwrap_or_default())),
            ("busiest", FluentValue::from(busiest.map(|w| w.week.label()).unwrap_or_default())),
            ("max", FluentValue::from(count(tr, busiest.map_or(0, |w| w.total)))),
        ],
    );
    Some(WeeklyView { chart, desc, legend, headers, rows })
}

fn pareto_view(tr: Tr, page: &LinePage) -> Option<ParetoView> {
    let first = page.pareto.first()?;
    let total: i64 = page.pareto.iter().map(|b| b.count).sum();
    let label = |key: &str| view::category_label(tr, &page.form, Kind::Defect, key);
    let inputs: Vec<ParetoInput> = page
        .pareto
        .iter()
        .map(|b| {
            let name = label(&b.key);
            ParetoInput {
                bar_title: format!("{name}: {}", count(tr, b.count)),
                point_title: format!("{name}: {}", format::percent(tr.0, b.cumulative)),
                label: name,
                count: b.count,
                cumulative: b.cumulative,
            }
        })
        .collect();
    let chart = charts::pareto(&inputs, &|v| count(tr, v as i64), &|s| {
        format::percent_sign(tr.0, format::decimal(tr.0, s * 100.0, 0))
    });
    let rows = page
        .pareto
        .iter()
        .map(|b| ParetoRow {
            label: label(&b.key),
            count: count(tr, b.count),
            share: format::percent(tr.0, b.share),
            cumulative: format::percent(tr.0, b.cumulative),
        })
        .collect();
    let desc = tr.t_args(
        "stats-pareto-desc",
        &[
            ("top", FluentValue::from(label(&first.key))),
            ("share", FluentValue::from(format::percent(tr.0, first.share))),
            ("total", FluentValue::from(count(tr, total))),
        ],
    );
    Some(ParetoView { chart, desc, rows })
}

fn ppm_text(tr: Tr, rate: f64) -> String {
    format::decimal(tr.0, rate * 1_000_000.0, 0)
}

fn lots_view(tr: Tr, page: &LinePage) -> LotsView {
    let lots = &page.lots;
    let points = &lots.comparison.lots;
    let alerts = lots
        .comparison
        .flagged()
        .map(|l| {
            tr.t_args(
                "stats-lot-alert",
                &[
                    ("lot", FluentValue::from(l.lot.clone())),
                    ("defects", FluentValue::from(count(tr, l.defects))),
                    ("units", FluentValue::from(l.units.map(|u| format::unsigned(tr.0, u)).unwrap_or_default())),
                    ("ppm", FluentValue::from(l.rate.map(|r| ppm_text(tr, r)).unwrap_or_default())),
                    ("limit", FluentValue::from(l.upper.map(|r| ppm_text(tr, r)).unwrap_or_default())),
                ],
            )
        })
        .collect();
    let (chart, no_chart) = match lots.comparison.centre {
        Ok(centre) => {
            let mut on_chart: Vec<&crate::domain::spc::LotPoint> = points.iter().filter(|l| l.rate.is_some()).collect();
            on_chart.sort_by(|a, b| a.lot.cmp(&b.lot));
            let inputs: Vec<PInput> = on_chart
                .iter()
                .map(|l| {
                    let (rate, upper) = (l.rate.unwrap_or(0.0), l.upper.unwrap_or(1.0));
                    PInput {
                        label: l.lot.clone(),
                        rate,
                        upper,
                        above: l.above,
                        title: tr.t_args(
                            "stats-pchart-point",
                            &[
                                ("lot", FluentValue::from(l.lot.clone())),
                                ("ppm", FluentValue::from(ppm_text(tr, rate))),
                                ("limit", FluentValue::from(ppm_text(tr, upper))),
                            ],
                        ),
                    }
                })
                .collect();
            let above = on_chart.iter().filter(|l| l.above).count();
            let units: u64 = on_chart.iter().filter_map(|l| l.units).sum();
            let defects: i64 = on_chart.iter().map(|l| l.defects).sum();
            let desc = tr.t_args(
                "stats-pchart-desc",
                &[
                    ("lots", FluentValue::from(on_chart.len() as i64)),
                    ("above", FluentValue::from(above as i64)),
                    ("centre", FluentValue::from(ppm_text(tr, centre))),
                ],
            );
            let centre_text = tr.t_args(
                "stats-pchart-centre",
                &[
                    ("centre", FluentValue::from(ppm_text(tr, centre))),
                    ("lots", FluentValue::from(on_chart.len() as i64)),
                    ("units", FluentValue::from(format::unsigned(tr.0, units))),
                    ("defects", FluentValue::from(count(tr, defects))),
                ],
            );
            let chart = charts::p_chart(&inputs, centre, &|r| ppm_text(tr, r));
            (Some(PChartView { chart, desc, centre: centre_text }), None)
        }
        Err(NoChart::NoVolumes) => (None, Some(tr.t("stats-pchart-none"))),
        Err(NoChart::OneLot) => (None, Some(tr.t("stats-pchart-one"))),
    };
    let dash = || "—".to_owned();
    let rows = points
        .iter()
        .take(LOTS_SHOWN)
        .map(|l| LotRow {
            lot: l.lot.clone(),
            reports: count(tr, l.reports),
            defects: count(tr, l.defects),
            units: l.units.map_or_else(dash, |u| format::unsigned(tr.0, u)),
            ppm: l.ppm.map_or_else(dash, |p| format::decimal(tr.0, p, 0)),
            upper: l.upper.map_or_else(dash, |u| ppm_text(tr, u)),
            raw_ppm: l.ppm.map(|p| format!("{p:.3}")).unwrap_or_default(),
            raw_upper: l.upper.map(|u| format!("{:.3}", u * 1_000_000.0)).unwrap_or_default(),
            above: l.above,
            status: if l.above {
                tr.t("stats-lot-above")
            } else if l.upper.is_some() {
                tr.t("stats-lot-within")
            } else if l.units.is_none() {
                tr.t("stats-lot-no-volume")
            } else {
                String::new()
            },
        })
        .collect();
    let more =
        (points.len() > LOTS_SHOWN).then(|| tr.t_num("stats-lots-more", "count", (points.len() - LOTS_SHOWN) as i64));
    let without_lot = (lots.without_lot_reports > 0).then(|| {
        tr.t_args(
            "stats-lots-without",
            &[
                ("reports", FluentValue::from(lots.without_lot_reports)),
                ("defects", FluentValue::from(lots.without_lot_defects)),
            ],
        )
    });
    LotsView { chart, no_chart, alerts, rows, more, without_lot }
}

fn thumb_size(w: i32, h: i32) -> (i32, i32) {
    if w <= 0 || h <= 0 {
        return (THUMB_SHOWN, THUMB_SHOWN);
    }
    if w >= h { (THUMB_SHOWN, (h * THUMB_SHOWN / w).max(1)) } else { ((w * THUMB_SHOWN / h).max(1), THUMB_SHOWN) }
}

fn report_item(tr: Tr, form: &FormConfig, r: &Report) -> ReportItem {
    let mut comment: String = r.comment.chars().take(COMMENT_CHARS).collect();
    if r.comment.chars().count() > COMMENT_CHARS {
        comment.push('…');
    }
    let what = match r.category.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => format!("{} · {}", view::kind_label(tr, r.kind), view::category_label(tr, form, r.kind, c)),
        None => view::kind_label(tr, r.kind),
    };
    ReportItem {
        href: format!("/dashboard/reports/{}", r.id),
        when: format!("{} {:02}:{:02} UTC", r.created_at.date(), r.created_at.hour(), r.created_at.minute()),
        what,
        rating: tr.t_num("stats-rating", "rating", i64::from(r.rating)),
        lot: r.lot.clone().filter(|l| !l.is_empty()),
        comment,
        thumbs: r
            .photos
            .iter()
            .map(|p| {
                let (width, height) = thumb_size(p.width, p.height);
                let path = format!("/dashboard/reports/{}/photos/{}", r.id, p.position);
                ReportItem::thumb(tr, path, p.position, width, height)
            })
            .collect(),
    }
}

impl ReportItem {
    fn thumb(tr: Tr, path: String, position: i16, width: i32, height: i32) -> Thumb {
        Thumb {
            src: format!("{path}?size=thumbnail"),
            alt: tr.t_num("stats-photo-alt", "n", i64::from(position) + 1),
            href: path,
            width,
            height,
        }
    }
}

fn parse_line(locale: Locale, raw: &str) -> Result<LineId, DashError> {
    raw.parse().map_err(|_| DashError::NotFound { locale })
}

async fn render(
    state: &AppState,
    member: &Member,
    id: LineId,
    q: &PeriodQuery,
    volume: VolumeForm,
    saved: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let (period, _) = q.resolve();
    let window = dashboard::window(period, time::OffsetDateTime::now_utc()).map_err(DashError::from_app(locale))?;
    let page =
        dashboard::line(&state.app, member.manufacturer_id, id, window).await.map_err(DashError::from_app(locale))?;
    let themes = crate::app::themes::line(&state.app, member.manufacturer_id, id, window)
        .await
        .map_err(DashError::from_app(locale))?;
    let query = view::query_suffix(period);
    let path = format!("/dashboard/lines/{id}");
    let chrome = member.chrome(state, &path).await;
    let view = LinePageView {
        chrome,
        lang: locale.tag(),
        tr,
        title: page.line.name.clone(),
        nav: "line",
        picker: view::picker(tr, &path, q, period, window),
        metrics: view::metric_rows(tr, &page.comparison),
        nps_asked: view::nps_asked(&page.comparison),
        methods: view::method_notes(tr),
        code: page.line.code.clone(),
        retired: page.line.status == LineStatus::Retired,
        weekly: weekly_view(tr, &page),
        pareto: pareto_view(tr, &page),
        lots: lots_view(tr, &page),
        can_edit: member.role.allows(Role::Editor),
        csrf_token: member.csrf_token.clone(),
        volume_action: format!("{path}/lots{query}"),
        volume,
        saved,
        newest: page.newest.iter().map(|r| report_item(tr, &page.form, r)).collect(),
        themes: themes_view(tr, &themes),
        broadcast: member.role.allows(Role::Editor).then(|| super::broadcast::blank_form(member, id, &page.form)),
        query,
    };
    Ok(pages::render(status, locale, &view))
}

#[tracing::instrument(skip_all, fields(manufacturer = %member.manufacturer_id, line = %path))]
pub async fn show(
    state: web::Data<AppState>,
    member: Member,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, DashError> {
    let id = parse_line(member.locale, &path)?;
    let q = PeriodQuery::from_query_string(req.query_string());
    let saved = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == "saved")
        .and_then(|(_, v)| Lot::parse(&v).ok())
        .map(|lot| Tr(member.locale).t_str("stats-volume-saved", "lot", lot.as_str()));
    render(&state, &member, id, &q, VolumeForm::default(), saved, StatusCode::OK).await
}

/// The volume form's fields; `csrf_token` is checked against the session (`Member::check_form`).
#[derive(Deserialize)]
pub struct VolumeFields {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub lot: String,
    #[serde(default)]
    pub units_produced: String,
}

/// `10 000`, `10,000` and `10000` are the same number; anything else is not a whole number.
fn parse_units(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '_')).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[tracing::instrument(skip_all, fields(manufacturer = %member.manufacturer_id, line = %path))]
pub async fn set_volume(
    state: web::Data<AppState>,
    member: Member,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<VolumeFields>,
) -> Result<HttpResponse, DashError> {
    let locale = member.locale;
    let tr = Tr(locale);
    let id = parse_line(locale, &path)?;
    member.require(Role::Editor)?;
    member.check_form(&req, &form.csrf_token)?;
    let q = PeriodQuery::from_query_string(req.query_string());
    let mut typed = VolumeForm {
        lot: form.lot.trim().to_owned(),
        units: form.units_produced.trim().to_owned(),
        ..Default::default()
    };
    // Both fields are checked first, so both mistakes are named at once.
    let units = parse_units(&form.units_produced).filter(|u| (1..=crate::app::lots::MAX_UNITS).contains(u));
    if Lot::parse(&form.lot).is_err() {
        typed.lot_error = Some(tr.t("error-lot-invalid"));
    }
    if units.is_none() {
        typed.units_error = Some(tr.t("stats-volume-error-units"));
    }
    if let (None, None, Some(units)) = (&typed.lot_error, &typed.units_error, units) {
        match crate::app::lots::set_volume(&state.app, member.manufacturer_id, id, &form.lot, units).await {
            Ok(saved) => {
                let (period, _) = q.resolve();
                let period_query = period.query();
                let sep = if period_query.is_empty() { "" } else { "&" };
                let location = format!("/dashboard/lines/{id}?{period_query}{sep}saved={}#lots", saved.lot.as_str());
                return Ok(HttpResponse::SeeOther().insert_header((LOCATION, location)).finish());
            }
            Err(AppError::Invalid { field: "lot", .. }) => typed.lot_error = Some(tr.t("error-lot-invalid")),
            Err(AppError::Invalid { .. }) => typed.units_error = Some(tr.t("stats-volume-error-units")),
            Err(e) => return Err(DashError::from_app(locale)(e)),
        }
    }
    render(&state, &member, id, &q, typed, None, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_accept_grouped_digits_only() {
        assert_eq!(parse_units("10000"), Some(10_000));
        assert_eq!(parse_units("10 000"), Some(10_000));
        assert_eq!(parse_units("10,000"), Some(10_000));
        assert_eq!(parse_units("1.5"), None);
        assert_eq!(parse_units("-3"), None);
        assert_eq!(parse_units(""), None);
        assert_eq!(parse_units("ten"), None);
    }

    #[test]
    fn thumbnails_keep_their_aspect_ratio() {
        assert_eq!(thumb_size(320, 160), (96, 48));
        assert_eq!(thumb_size(160, 320), (48, 96));
        assert_eq!(thumb_size(0, 0), (96, 96));
    }
}
