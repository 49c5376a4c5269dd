//! Pieces every statistics page shows: the key-number table, the period picker, labels.

use fluent_templates::fluent_bundle::FluentValue;
use time::{Duration, OffsetDateTime, Time};

use super::format;
use crate::domain::intervals::{Change, Estimate};
use crate::domain::rollup::Window;
use crate::domain::stats_period::{PRESETS, PeriodError, StatsPeriod};
use crate::domain::trend::Comparison;
use crate::domain::{FormConfig, Kind};
use crate::web::i18n::Tr;

/// The period as the picker's query string sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct PeriodQuery {
    pub period: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

impl PeriodQuery {
    pub fn from_query_string(query: &str) -> PeriodQuery {
        serde_urlencoded::from_str(query).unwrap_or_default()
    }

    /// The period asked for, or the default and the reason the asked one was refused.
    pub fn resolve(&self) -> (StatsPeriod, Option<PeriodError>) {
        match StatsPeriod::parse(self.period.as_deref(), self.from.as_deref(), self.until.as_deref()) {
            Ok(p) => (p, None),
            Err(e) => (StatsPeriod::DEFAULT, Some(e)),
        }
    }
}

/// `?period=…` to append to links, or nothing for the default period.
pub fn query_suffix(period: StatsPeriod) -> String {
    let q = period.query();
    if q.is_empty() { q } else { format!("?{q}") }
}

fn day_text(d: time::Date) -> String {
    d.to_string()
}

fn minute_text(t: OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
}

/// `2026-11-01 – 2026-11-03 UTC` for whole days (last day included), else with times.
pub fn window_text(w: Window) -> String {
    let (start, end) = (w.start(), w.end());
    if start.time() == Time::MIDNIGHT && end.time() == Time::MIDNIGHT {
        let last = (end - Duration::days(1)).date();
        if last == start.date() {
            return format!("{} UTC", day_text(last));
        }
        return format!("{} – {} UTC", day_text(start.date()), day_text(last));
    }
    format!("{} – {} UTC", minute_text(start), minute_text(end))
}

pub struct Preset {
    pub value: String,
    pub label: String,
    pub current: bool,
}

/// The period picker: preset buttons in one GET form, a date range in another (so pressing Enter
/// in a date field submits the dates, not a preset).
pub struct Picker {
    pub action: String,
    pub presets: Vec<Preset>,
    pub dates_current: bool,
    pub from: String,
    pub until: String,
    pub showing: String,
    pub error: Option<String>,
    pub error_field: &'static str,
}

pub fn picker(tr: Tr, action: &str, q: &PeriodQuery, period: StatsPeriod, window: Window) -> Picker {
    let (_, error) = q.resolve();
    let (from, until) = match (error, period) {
        // What was typed stays in the fields, so it can be corrected.
        (Some(_), _) => (q.from.clone().unwrap_or_default(), q.until.clone().unwrap_or_default()),
        (None, StatsPeriod::Dates { from, until }) => (from.to_string(), until.to_string()),
        (None, StatsPeriod::Last(_)) => {
            (window.start().date().to_string(), (window.end() - Duration::nanoseconds(1)).date().to_string())
        }
    };
    Picker {
        action: action.to_owned(),
        presets: PRESETS
            .iter()
            .map(|days| Preset {
                value: format!("{days}d"),
                label: tr.t_num("stats-last-days", "days", i64::from(*days)),
                current: period == StatsPeriod::Last(*days),
            })
            .collect(),
        dates_current: matches!(period, StatsPeriod::Dates { .. }),
        from,
        until,
        showing: tr.t_args(
            "stats-showing",
            &[
                ("current", FluentValue::from(window_text(window))),
                ("previous", FluentValue::from(window_text(window.previous()))),
            ],
        ),
        error: error.map(|e| {
            let key = match e {
                PeriodError::UnknownPreset => "stats-period-error-preset",
                PeriodError::BadDate(_) => "stats-period-error-date",
                PeriodError::Missing(_) => "stats-period-error-missing",
                PeriodError::Reversed => "stats-period-error-reversed",
                PeriodError::TooLong => "stats-period-error-long",
            };
            tr.t(key)
        }),
        error_field: error.map_or("", PeriodError::field),
    }
}

/// One number of one period as shown, with raw values in data attributes for machines.
pub struct MetricCell {
    pub period: &'static str,
    pub value: String,
    pub interval: String,
    pub n: String,
    pub too_few: bool,
    pub raw_value: String,
    pub raw_low: String,
    pub raw_high: String,
    pub raw_n: String,
}

pub struct ChangeView {
    pub class: &'static str,
    pub symbol: &'static str,
    pub label: String,
}

pub struct MetricRow {
    pub key: &'static str,
    pub name: String,
    pub cells: [MetricCell; 2],
    pub change: ChangeView,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Reports per 1,000 scans, two decimals.
    Rate,
    /// A share as a percentage.
    Share,
    /// NPS points, one decimal.
    Points,
}

fn shown(tr: Tr, unit: Unit, x: f64) -> String {
    match unit {
        Unit::Rate => format::decimal(tr.0, x, 2),
        Unit::Share => format::percent(tr.0, x),
        Unit::Points => format::decimal(tr.0, x, 1),
    }
}

fn raw(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.6}")).unwrap_or_default()
}

pub fn estimate_cell(tr: Tr, period: &'static str, unit: Unit, e: &Estimate) -> MetricCell {
    let interval = e
        .interval
        .map(|i| {
            tr.t_args(
                "stats-interval",
                &[
                    ("low", FluentValue::from(shown(tr, unit, i.low))),
                    ("high", FluentValue::from(shown(tr, unit, i.high))),
                ],
            )
        })
        .unwrap_or_default();
    MetricCell {
        period,
        value: e.value.map_or_else(|| "—".to_owned(), |v| shown(tr, unit, v)),
        interval,
        n: tr.t_args("stats-n", &[("n", FluentValue::from(format::unsigned(tr.0, e.n)))]),
        too_few: !e.enough(),
        raw_value: raw(e.value),
        raw_low: raw(e.interval.map(|i| i.low)),
        raw_high: raw(e.interval.map(|i| i.high)),
        raw_n: e.n.to_string(),
    }
}

pub fn count_cell(tr: Tr, period: &'static str, n: i64) -> MetricCell {
    MetricCell {
        period,
        value: format::integer(tr.0, n),
        interval: String::new(),
        n: String::new(),
        too_few: false,
        raw_value: n.to_string(),
        raw_low: String::new(),
        raw_high: String::new(),
        raw_n: String::new(),
    }
}

pub fn change_view(tr: Tr, change: Change, higher_is_worse: bool) -> ChangeView {
    // The arrow shows which way the number moved; the words say whether that is good.
    let up = |worse: bool| if worse == higher_is_worse { "▲" } else { "▼" };
    match change {
        Change::Worse => ChangeView { class: "worse", symbol: up(true), label: tr.t("stats-change-worse") },
        Change::Better => ChangeView { class: "better", symbol: up(false), label: tr.t("stats-change-better") },
        Change::Unclear => ChangeView { class: "unclear", symbol: "", label: tr.t("stats-change-unclear") },
        Change::TooFew => ChangeView { class: "too-few", symbol: "", label: tr.t("stats-too-few") },
    }
}

fn count_change(tr: Tr, now: i64, before: i64) -> ChangeView {
    let diff = now - before;
    let label = if diff > 0 { format!("+{}", format::integer(tr.0, diff)) } else { format::integer(tr.0, diff) };
    ChangeView { class: "count", symbol: "", label }
}

/// The key numbers of a comparison; NPS only when it was asked in one of the periods.
pub fn metric_rows(tr: Tr, c: &Comparison) -> Vec<MetricRow> {
    let (now, before) = (&c.current, &c.previous);
    let mut rows = vec![
        MetricRow {
            key: "scans",
            name: tr.t("stats-scans"),
            cells: [count_cell(tr, "current", now.scans), count_cell(tr, "previous", before.scans)],
            change: count_change(tr, now.scans, before.scans),
        },
        MetricRow {
            key: "reports",
            name: tr.t("stats-reports"),
            cells: [count_cell(tr, "current", now.reports), count_cell(tr, "previous", before.reports)],
            change: count_change(tr, now.reports, before.reports),
        },
        MetricRow {
            key: "per_thousand",
            name: tr.t("stats-per-thousand"),
            cells: [
                estimate_cell(tr, "current", Unit::Rate, &now.per_thousand),
                estimate_cell(tr, "previous", Unit::Rate, &before.per_thousand),
            ],
            change: change_view(tr, c.per_thousand, true),
        },
        MetricRow {
            key: "defect_share",
            name: tr.t("stats-defect-share"),
            cells: [
                estimate_cell(tr, "current", Unit::Share, &now.defect_share),
                estimate_cell(tr, "previous", Unit::Share, &before.defect_share),
            ],
            change: change_view(tr, c.defect_share, true),
        },
        MetricRow {
            key: "csat",
            name: tr.t("stats-csat"),
            cells: [
                estimate_cell(tr, "current", Unit::Share, &now.csat),
                estimate_cell(tr, "previous", Unit::Share, &before.csat),
            ],
            change: change_view(tr, c.csat, false),
        },
    ];
    if nps_asked(c) {
        rows.push(MetricRow {
            key: "nps",
            name: tr.t("stats-nps"),
            cells: [
                estimate_cell(tr, "current", Unit::Points, &now.nps),
                estimate_cell(tr, "previous", Unit::Points, &before.nps),
            ],
            change: change_view(tr, c.nps, false),
        });
    }
    rows
}

pub fn nps_asked(c: &Comparison) -> bool {
    c.current.nps.n > 0 || c.previous.nps.n > 0
}

pub fn kind_label(tr: Tr, kind: Kind) -> String {
    tr.t(&format!("stats-kind-{}", kind.as_str()))
}

/// A category's label in the member's language, from the line's form ('' is "no category"; a key
/// the form no longer has is shown as is).
pub fn category_label(tr: Tr, form: &FormConfig, kind: Kind, key: &str) -> String {
    if key.is_empty() {
        return tr.t("stats-no-category");
    }
    form.categories
        .for_kind(kind)
        .iter()
        .find(|c| c.key == key)
        .map_or_else(|| key.to_owned(), |c| c.label(tr.0).to_owned())
}

/// The method notes under the key numbers.
pub fn method_notes(tr: Tr) -> Vec<String> {
    vec![
        tr.t("stats-method-counts"),
        tr.t("stats-method-wilson"),
        tr.t("stats-method-rate"),
        tr.t("stats-method-nps"),
        tr.t_num("stats-method-few", "min", crate::domain::intervals::MIN_SAMPLE as i64),
        tr.t("stats-method-change"),
    ]
}
