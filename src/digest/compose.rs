//! The digest mail: subject, HTML (table layout, inline CSS, 600 px, readable light and dark) and an
//! equivalent plain-text part, in the reader's language. Every string is put together here, so the
//! templates only lay rows out.

use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use time::OffsetDateTime;

use super::{Change, Digest, Lead, changes, lead};
use crate::domain::{Kind, Locale};
use crate::i18n::Tr;

/// The widest bar, in percent of the chart's bar column: percentages keep the chart inside the
/// card when a phone narrows it below 600 px.
const BAR_MAX_PERCENT: i64 = 100;

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One row of a comparison table: label, now, before, and the change as text (`+3`, `−2`, `=`).
pub struct Row {
    pub label: String,
    pub now: String,
    pub before: String,
    pub delta: String,
    pub url: String,
}

pub struct Bar {
    pub label: String,
    pub count: i64,
    /// Percent of the bar column.
    pub width: i64,
}

pub struct Item {
    pub heading: String,
    pub excerpt: String,
    pub thumbnails: Vec<String>,
    pub url: String,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct Text<'a> {
    v: &'a View,
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct Html<'a> {
    v: &'a View,
}

struct View {
    lang: &'static str,
    title: String,
    period: String,
    empty: Option<String>,
    lead: String,
    col_now: String,
    col_before: String,
    col_change: String,
    totals_heading: String,
    totals: Vec<Row>,
    lines_heading: String,
    lines: Vec<Row>,
    categories_heading: String,
    categories: Vec<Row>,
    chart_heading: String,
    bars: Vec<Bar>,
    lots_heading: String,
    lots: Vec<String>,
    zones_heading: String,
    zones: Vec<Row>,
    newest_heading: String,
    newest: Vec<Item>,
    rising_heading: String,
    rising: Vec<String>,
    changes_heading: String,
    changes: Vec<String>,
    open_inbox: String,
    inbox_url: String,
    footer: String,
    manage: String,
    manage_url: String,
}

fn local(d: &Digest, at: OffsetDateTime) -> String {
    match jiff::Timestamp::from_second(at.unix_timestamp()) {
        Ok(ts) => ts.to_zoned(d.zone.clone()).strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => at.to_string(),
    }
}

fn delta(now: i64, before: i64) -> String {
    match now - before {
        0 => "=".to_owned(),
        d if d > 0 => format!("+{d}"),
        d => format!("\u{2212}{}", -d),
    }
}

fn row(label: String, now: i64, before: i64, url: String) -> Row {
    Row { label, now: now.to_string(), before: before.to_string(), delta: delta(now, before), url }
}

fn kind_label(tr: Tr, kind: Kind) -> String {
    tr.t(&format!("digest-kind-{}", kind.as_str()))
}

fn n(v: i64) -> FluentValue<'static> {
    FluentValue::from(v)
}

fn s(v: &str) -> FluentValue<'static> {
    FluentValue::from(v.to_owned())
}

pub fn compose(d: &Digest, locale: Locale) -> anyhow::Result<Composed> {
    let tr = Tr(locale);
    let m = &d.manufacturer;
    let period = tr.t_args(
        if d.weekly { "digest-period-weekly" } else { "digest-period-daily" },
        &[("start", s(&local(d, d.start))), ("end", s(&local(d, d.end))), ("zone", s(&d.zone_name))],
    );
    let lead_text = match lead(d) {
        Lead::Nothing => tr.t_str("digest-lead-nothing", "manufacturer", m),
        Lead::LotOutOfLine { line, lot } => tr.t_args("digest-lead-lot", &[("line", s(&line)), ("lot", s(&lot))]),
        Lead::DefectsUp { line, now, before } => {
            tr.t_args("digest-lead-defects", &[("line", s(&line)), ("now", n(now)), ("before", n(before))])
        }
        Lead::Total { now, before } => tr.t_args("digest-lead-total", &[("now", n(now)), ("before", n(before))]),
    };
    let subject = format!("{m}: {lead_text}");
    let t = &d.totals;
    let totals = vec![
        row(tr.t("digest-row-reports"), t.now.reports, t.before.reports, d.inbox_url.clone()),
        row(kind_label(tr, Kind::Defect), t.now.defects, t.before.defects, String::new()),
        row(kind_label(tr, Kind::Usability), t.now.usability, t.before.usability, String::new()),
        row(kind_label(tr, Kind::Praise), t.now.praise, t.before.praise, String::new()),
        row(kind_label(tr, Kind::Other), t.now.other, t.before.other, String::new()),
    ];
    let lines = d
        .lines
        .iter()
        .map(|l| {
            let label = tr.t_args(
                "digest-line-row",
                &[("line", s(&l.name)), ("defects", n(l.counts.now.defects)), ("before", n(l.counts.before.defects))],
            );
            row(label, l.counts.now.reports, l.counts.before.reports, l.inbox_url.clone())
        })
        .collect();
    let categories = d
        .categories
        .iter()
        .map(|c| {
            let label = if c.label.is_empty() {
                kind_label(tr, c.kind)
            } else {
                format!("{}: {}", kind_label(tr, c.kind), c.label)
            };
            row(label, c.now, c.before, String::new())
        })
        .collect();
    let max = d.lines.iter().map(|l| l.counts.now.reports).max().unwrap_or(0).max(1);
    let bars = d
        .lines
        .iter()
        .map(|l| Bar {
            label: l.name.clone(),
            count: l.counts.now.reports,
            width: (l.counts.now.reports * BAR_MAX_PERCENT / max).max(i64::from(l.counts.now.reports > 0)),
        })
        .collect();
    let lots = d
        .lots
        .iter()
        .map(|l| {
            tr.t_args(
                "digest-lot-row",
                &[
                    ("line", s(&l.line)),
                    ("lot", s(&l.lot)),
                    ("defects", n(l.defects)),
                    ("units", n(i64::try_from(l.units).unwrap_or(i64::MAX))),
                    ("ppm", s(&format!("{:.0}", l.ppm))),
                ],
            )
        })
        .collect();
    let zones = d
        .zones
        .iter()
        .map(|z| {
            let label = tr.t_args("digest-zone-row", &[("zone", s(&z.name)), ("open", n(z.open))]);
            row(label, z.now, z.before, z.inbox_url.clone())
        })
        .collect();
    let newest = d
        .newest
        .iter()
        .map(|r| {
            let mut heading = format!("{} · {} · {}/5", r.line, kind_label(tr, r.kind), r.rating);
            if !r.category.is_empty() {
                heading.push_str(&format!(" · {}", r.category));
            }
            if let Some(lot) = &r.lot {
                heading.push_str(&format!(" · {}", tr.t_str("digest-lot", "lot", lot)));
            }
            heading.push_str(&format!(" · {}", local(d, r.created_at)));
            Item { heading, excerpt: r.excerpt.clone(), thumbnails: r.thumbnails.clone(), url: r.url.clone() }
        })
        .collect();
    let rising = d
        .rising
        .iter()
        .map(|r| {
            tr.t_args(
                "themes-digest-row",
                &[
                    ("line", s(&r.line)),
                    ("phrase", s(&r.phrase)),
                    ("now", n(i64::from(r.now))),
                    ("before", n(i64::from(r.before))),
                ],
            )
        })
        .collect();
    let changes = changes(d)
        .into_iter()
        .map(|c| match c {
            Change::Reports { now, then } => tr.t_args("digest-change-reports", &[("now", n(now)), ("then", n(then))]),
            Change::Defects { now, then } => tr.t_args("digest-change-defects", &[("now", n(now)), ("then", n(then))]),
            Change::NewlyFlagged(lot) => tr.t_str("digest-change-flagged", "lot", &lot),
            Change::BackInLine(lot) => tr.t_str("digest-change-back", "lot", &lot),
        })
        .collect();
    let view = View {
        lang: locale.tag(),
        title: tr.t_str("digest-title", "manufacturer", m),
        period,
        empty: d.is_empty().then(|| tr.t("digest-empty")),
        lead: lead_text,
        col_now: tr.t("digest-col-now"),
        col_before: tr.t("digest-col-before"),
        col_change: tr.t("digest-col-change"),
        totals_heading: tr.t("digest-totals"),
        totals,
        lines_heading: tr.t("digest-lines"),
        lines,
        categories_heading: tr.t("digest-categories"),
        categories,
        chart_heading: tr.t("digest-chart"),
        bars,
        lots_heading: tr.t("digest-lots"),
        lots,
        zones_heading: tr.t("digest-zones"),
        zones,
        newest_heading: tr.t(if d.zones.is_empty() { "digest-newest" } else { "digest-newest-zones" }),
        newest,
        rising_heading: tr.t("themes-digest-heading"),
        rising,
        changes_heading: tr.t("digest-changes"),
        changes,
        open_inbox: tr.t("digest-open-inbox"),
        inbox_url: d.inbox_url.clone(),
        footer: tr.t_str("digest-footer", "manufacturer", m),
        manage: tr.t("digest-manage"),
        manage_url: d.manage_url.clone(),
    };
    Ok(Composed { subject, text: Text { v: &view }.render()?, html: Html { v: &view }.render()? })
}
