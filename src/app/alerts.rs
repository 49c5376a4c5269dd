//! Spike alerts: the run that looks for spikes (inside `serve` every minute, and `scanback alerts run
//! [--at]`), the thresholds and recipients a manufacturer sets, and the list of alerts.
//!
//! A run is safe to repeat and to run from several processes: each manufacturer's decisions are
//! made in one transaction that holds that manufacturer's lock, and an alert's row, its mails (into
//! the outbox) and its `alert.opened` webhook deliveries are written together, so an alert is either
//! opened with all its messages queued or not at all.

use std::collections::{BTreeMap, BTreeSet};

use time::{Duration, OffsetDateTime, UtcOffset};
use uuid::Uuid;

use super::accounts::Member;
use super::{App, AppError};
use crate::domain::rollup::{QUARTER, Window, quarter_start};
use crate::domain::spike::{self, BASELINE, Decision, Observation, Previous, Thresholds, Verdict};
use crate::domain::webhook::EventType;
use crate::domain::zone::{self, Routed, Routing};
use crate::domain::{Kind, Locale, ManufacturerId, Role};
use crate::i18n::Tr;
use crate::store::entities::{alert, manufacturer, product_line, report, user};
use crate::store::{self, outbox::NewMail, reports::Filter, webhooks::NewEvent};

/// Reports an alert mail lists; the inbox link shows them all.
const REPORTS_LISTED: u64 = 20;

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    pub opened: u32,
    pub closed: u32,
    /// Alert mails queued in the outbox.
    pub mails: u32,
    /// `alert.opened` webhook deliveries queued.
    pub webhooks: u32,
}

impl RunReport {
    pub fn did_work(&self) -> bool {
        self.opened + self.closed > 0
    }
}

/// The windows a run at `at` compares: the last window up to the end of `at`'s quarter-hour (the
/// rollups' finest grain), and the 28 days before it.
fn windows(at: OffsetDateTime, t: &Thresholds) -> Result<(Window, Window), AppError> {
    let end = quarter_start(at) + QUARTER;
    let start = end - t.window;
    let current = Window::new(start, end).map_err(|e| anyhow::anyhow!("alert window: {e}"))?;
    let baseline = Window::new(start - BASELINE, start).map_err(|e| anyhow::anyhow!("baseline window: {e}"))?;
    Ok((current, baseline))
}

/// One pass over every manufacturer as if it were `at`. Errors of one manufacturer are logged and
/// do not stop the others.
#[tracing::instrument(skip_all, fields(at = %at))]
pub async fn run_once(app: &App, at: OffsetDateTime) -> anyhow::Result<RunReport> {
    let at = at.to_offset(UtcOffset::UTC);
    let mut report = RunReport::default();
    let mut failed = 0;
    // Once per run, and before any write transaction: on SQLite the key's first creation would wait
    // on that transaction's lock.
    let link_key = super::digests::link_key(app).await?;
    for m in store::manufacturers::list(&app.db).await? {
        match run_manufacturer(app, &m, at, &link_key, &mut report).await {
            Ok(()) => {}
            Err(e) => {
                failed += 1;
                tracing::warn!(manufacturer = %m.id, error = %e, "the alert run failed for a manufacturer");
            }
        }
    }
    if report.mails > 0 {
        app.outbox.notify_one();
    }
    if report.webhooks > 0 {
        app.webhooks.notify_one();
    }
    anyhow::ensure!(failed == 0, "the alert run failed for {failed} manufacturer(s); see the log");
    Ok(report)
}

/// The human scans of each line, per UTC day, over the baseline and the window.
async fn scans(
    app: &App,
    lines: &BTreeSet<Uuid>,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<BTreeMap<Uuid, Vec<(time::Date, i64)>>, AppError> {
    let mut out = BTreeMap::new();
    for line in lines {
        let rows = store::scan_counts::for_line(&app.db, *line, from.date(), until.date()).await?;
        let mut days: BTreeMap<time::Date, i64> = BTreeMap::new();
        for r in rows {
            *days.entry(r.day).or_default() += r.human;
        }
        out.insert(*line, days.into_iter().collect());
    }
    Ok(out)
}

async fn run_manufacturer(
    app: &App,
    m: &manufacturer::Model,
    at: OffsetDateTime,
    link_key: &[u8],
    report: &mut RunReport,
) -> Result<(), AppError> {
    let t = store::alerts::thresholds(&app.db, m.id).await?;
    let (current, baseline) = windows(at, &t)?;
    let counts = store::stats::by_line_and_category(&app.db, m.id, current).await?;
    let before = store::stats::by_line_and_category(&app.db, m.id, baseline).await?;
    let latest = store::alerts::latest(&app.db, m.id, at, t.cooldown).await?;
    // Praise is never alerted on; every other kind is, by category ('' for none).
    let keys: BTreeSet<store::alerts::Key> = counts
        .keys()
        .filter(|(_, kind, _)| Kind::parse(kind).is_some_and(|k| k != Kind::Praise))
        .chain(latest.iter().filter(|(_, a)| a.closed_at.is_none()).map(|(k, _)| k))
        .cloned()
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let lines: BTreeSet<Uuid> = keys.iter().map(|(l, _, _)| *l).collect();
    let scans = scans(app, &lines, baseline.start(), current.end()).await?;
    let verdicts: BTreeMap<store::alerts::Key, Verdict> = keys
        .into_iter()
        .map(|key| {
            let days = scans.get(&key.0).map(Vec::as_slice).unwrap_or_default();
            let obs = Observation {
                count: counts.get(&key).copied().unwrap_or(0),
                baseline: before.get(&key).copied().unwrap_or(0),
                window_scans: spike::scans_between(days, current.start(), current.end(), at),
                baseline_scans: spike::scans_between(days, baseline.start(), baseline.end(), at),
            };
            (key, spike::judge(&obs, &t))
        })
        .collect();
    if !verdicts.values().any(|v| v.spike) && latest.values().all(|a| a.closed_at.is_some()) {
        return Ok(());
    }

    let txn = store::begin_write(&app.db).await.map_err(store::StoreError::from)?;
    store::alerts::lock_manufacturer(&txn, m.id).await?;
    // Read again under the lock: another process may have decided meanwhile.
    let latest = store::alerts::latest(&txn, m.id, at, t.cooldown).await?;
    let mut opened = Vec::new();
    for (key, verdict) in &verdicts {
        let previous = latest.get(key).map(|a| Previous { opened_at: a.opened_at, open: a.closed_at.is_none() });
        match spike::decide(previous, verdict, at, t.cooldown) {
            Decision::Open => {
                let row = alert::Model {
                    id: Uuid::now_v7(),
                    manufacturer_id: m.id,
                    product_line_id: key.0,
                    kind: key.1.clone(),
                    category: key.2.clone(),
                    window_start: current.start(),
                    window_end: current.end(),
                    count: verdict.count,
                    expected: verdict.expected,
                    probability: verdict.probability,
                    opened_at: at,
                    closed_at: None,
                };
                if let Some(row) = store::alerts::open(&txn, row).await? {
                    opened.push((row, scans.get(&key.0).is_some_and(|d| d.iter().any(|(_, n)| *n > 0))));
                }
            }
            Decision::Close => {
                if let Some(a) = latest.get(key) {
                    store::alerts::close(&txn, a.id, at).await?;
                    report.closed += 1;
                }
            }
            Decision::Nothing => {}
        }
    }
    if !opened.is_empty() {
        let recipients = store::alerts::recipients(&txn, m.id).await?;
        let zones = super::zones::list(app, ManufacturerId(m.id)).await?;
        let routings: Vec<Routing> = zones.iter().map(super::zones::Zone::routing).collect();
        let lines: BTreeMap<Uuid, product_line::Model> =
            store::product_lines::list(&app.db, m.id).await?.into_iter().map(|l| (l.id, l)).collect();
        let mut events = Vec::new();
        for (a, by_scans) in &opened {
            let Some(line) = lines.get(&a.product_line_id) else { continue };
            let reports = spike_reports(app, a).await?;
            let kind = Kind::parse(&a.kind).unwrap_or(Kind::Other);
            let about = Routed { product_line: a.product_line_id, kind, category: Some(&a.category), suggested: None };
            for r in &recipients {
                // A member of a zone gets their zones' spikes (and those no zone owns).
                let mine: Vec<Routing> = zones
                    .iter()
                    .zip(&routings)
                    .filter(|(z, _)| z.members.contains(&r.id))
                    .map(|(_, rt)| rt.clone())
                    .collect();
                if !zone::concerns(&routings, &mine, &about) {
                    continue;
                }
                let locale = Locale::parse(&r.locale).unwrap_or(Locale::DEFAULT);
                let stop = unsubscribe_url(&app.settings.public_url, link_key, r.id);
                let mut mail = compose(app, m, line, a, &reports, *by_scans, &t, locale, &r.email);
                mail.text_body.push_str(&format!("\n{}\n", Tr(locale).t_str("alert-unsubscribe-line", "url", &stop)));
                mail.headers = vec![
                    ("List-Unsubscribe".to_owned(), format!("<{stop}>")),
                    ("List-Unsubscribe-Post".to_owned(), "List-Unsubscribe=One-Click".to_owned()),
                ];
                store::outbox::enqueue(&txn, mail).await?;
                report.mails += 1;
            }
            events.push(NewEvent {
                manufacturer_id: m.id,
                event_type: EventType::AlertOpened,
                data: serde_json::json!(AlertJson::of(a, &app.settings.public_url)),
                at,
            });
            report.opened += 1;
        }
        report.webhooks += u32::try_from(store::webhooks::enqueue(&txn, &events).await?).unwrap_or(u32::MAX);
    }
    txn.commit().await.map_err(store::StoreError::from)?;
    for (a, _) in &opened {
        tracing::info!(alert = %a.id, line = %a.product_line_id, kind = %a.kind, category = %a.category, count = a.count, expected = a.expected, "spike alert opened");
    }
    Ok(())
}

/// The reports of a spike, newest first, for the mail (read for display; the counting was done on
/// the rollups).
async fn spike_reports(app: &App, a: &alert::Model) -> Result<Vec<report::Model>, AppError> {
    let filter = Filter {
        product_line: Some(a.product_line_id),
        since: Some(a.window_start),
        until: Some(a.window_end),
        kind: Kind::parse(&a.kind),
        category: (!a.category.is_empty()).then(|| a.category.clone()),
        limit: Some(REPORTS_LISTED + 1),
        ..Default::default()
    };
    let mut reports = store::reports::list(&app.db, a.manufacturer_id, &filter).await?;
    if a.category.is_empty() {
        reports.retain(|r| r.category.as_deref().is_none_or(str::is_empty));
    }
    Ok(reports)
}

/// The dashboard inbox filtered to the spike's line, kind, category and days.
pub fn inbox_url(public_url: &str, a: &alert::Model) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("line", &a.product_line_id.to_string());
    q.append_pair("kind", &a.kind);
    if !a.category.is_empty() {
        q.append_pair("category", &a.category);
    }
    q.append_pair("from", &a.window_start.date().to_string());
    q.append_pair("until", &(a.window_end - Duration::nanoseconds(1)).date().to_string());
    format!("{public_url}/dashboard/reports?{}", q.finish())
}

/// A decimal in the locale's way of writing it, with one or two significant decimals.
fn decimal(x: f64, locale: Locale) -> String {
    let text = if x >= 10.0 {
        format!("{x:.0}")
    } else if x >= 0.1 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    if locale.tag() == "ru" { text.replace('.', ",") } else { text }
}

/// Thousands grouped: "25,000" in English, "25 000" (no-break space) in Russian.
fn grouped(n: u64, locale: Locale) -> String {
    let digits = n.to_string();
    let sep = if locale.tag() == "ru" { "\u{a0}" } else { "," };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

fn hhmm(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", at.date(), at.hour(), at.minute())
}

// Everything an alert mail says comes in as arguments; grouping them would only rename them.
#[allow(clippy::too_many_arguments)]
fn compose(
    app: &App,
    m: &manufacturer::Model,
    line: &product_line::Model,
    a: &alert::Model,
    reports: &[report::Model],
    by_scans: bool,
    t: &Thresholds,
    locale: Locale,
    to: &str,
) -> NewMail {
    let tr = Tr(locale);
    let kind = tr.t(&format!("kind-name-{}", a.kind));
    let category =
        if a.category.is_empty() { String::new() } else { tr.t_str("alert-category", "category", &a.category) };
    let hours = (a.window_end - a.window_start).whole_hours();
    let expected = decimal(a.expected, locale);
    let subject = tr.t_args(
        "alert-subject",
        &[
            ("count", a.count.into()),
            ("kind", kind.clone().into()),
            ("category", category.clone().into()),
            ("line", line.name.clone().into()),
            ("hours", hours.into()),
            ("expected", expected.clone().into()),
        ],
    );
    let odds = if a.probability < 1e-12 {
        tr.t("alert-odds-tiny")
    } else {
        tr.t_str("alert-odds", "odds", &grouped(spike::one_in(a.probability), locale))
    };
    let mut body = vec![
        tr.t_args(
            "alert-heading",
            &[
                ("manufacturer", m.name.clone().into()),
                ("line", line.name.clone().into()),
                ("code", line.code.clone().into()),
            ],
        ),
        String::new(),
        tr.t_args(
            "alert-summary",
            &[
                ("count", a.count.into()),
                ("kind", kind.into()),
                ("category", category.into()),
                ("hours", hours.into()),
                ("end", hhmm(a.opened_at).into()),
            ],
        ),
        tr.t_args(
            "alert-expected",
            &[("expected", expected.into()), ("by_scans", if by_scans { "yes" } else { "no" }.into())],
        ),
        odds,
        String::new(),
        tr.t("alert-reports-heading"),
    ];
    for r in reports.iter().take(REPORTS_LISTED as usize) {
        let lot = r.lot.as_deref().map(|l| tr.t_str("alert-report-lot", "lot", l)).unwrap_or_default();
        let comment: String = r.comment.chars().take(200).collect();
        let comment = if comment.trim().is_empty() { tr.t("alert-no-comment") } else { comment };
        body.push(format!(
            "- {}",
            tr.t_args(
                "alert-report-line",
                &[
                    ("at", hhmm(r.created_at).into()),
                    ("rating", i64::from(r.rating).into()),
                    ("lot", lot.into()),
                    ("comment", comment.into()),
                ],
            )
        ));
    }
    if reports.len() > REPORTS_LISTED as usize || a.count > REPORTS_LISTED as i64 {
        let more = a.count - REPORTS_LISTED.min(reports.len() as u64) as i64;
        if more > 0 {
            body.push(tr.t_num("alert-reports-more", "count", more));
        }
    }
    body.push(String::new());
    body.push(tr.t_str("alert-inbox", "url", &inbox_url(&app.settings.public_url, a)));
    body.push(String::new());
    body.push(tr.t_args(
        "alert-footer",
        &[("manufacturer", m.name.clone().into()), ("cooldown", t.cooldown.whole_hours().into())],
    ));
    NewMail {
        kind: "alert",
        recipient: to.to_owned(),
        subject,
        text_body: body.join("\n") + "\n",
        html_body: None,
        from_name: None,
        reply_to: None,
        // The run adds the member's one-click unsubscribe (RFC 8058) and its line in the text.
        headers: Vec::new(),
        manufacturer_id: Some(m.id),
    }
}

/// An alert as the API and the `alert.opened` webhook show it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AlertJson {
    pub id: Uuid,
    pub product_line_id: Uuid,
    pub kind: String,
    /// `null` for reports without a category.
    pub category: Option<String>,
    pub count: i64,
    pub expected: f64,
    pub probability: f64,
    /// `open` while the spike is still seen, then `closed`.
    pub status: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    pub window_start: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub window_end: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub inbox_url: String,
}

impl AlertJson {
    pub fn of(a: &alert::Model, public_url: &str) -> AlertJson {
        AlertJson {
            id: a.id,
            product_line_id: a.product_line_id,
            kind: a.kind.clone(),
            category: (!a.category.is_empty()).then(|| a.category.clone()),
            count: a.count,
            expected: (a.expected * 1000.0).round() / 1000.0,
            probability: a.probability,
            status: if a.closed_at.is_some() { "closed" } else { "open" },
            window_start: a.window_start,
            window_end: a.window_end,
            opened_at: a.opened_at,
            closed_at: a.closed_at,
            inbox_url: inbox_url(public_url, a),
        }
    }
}

/// Alerts of a manufacturer, newest first.
pub async fn list(
    app: &App,
    who: ManufacturerId,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<AlertJson>, AppError> {
    let open = match status {
        None => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(_) => return Err(AppError::invalid("status", "use open or closed")),
    };
    Ok(store::alerts::list(&app.db, who.get(), open, limit.clamp(1, 500))
        .await?
        .iter()
        .map(|a| AlertJson::of(a, &app.settings.public_url))
        .collect())
}

/// A member and whether they take alerts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Recipient {
    pub member_id: Uuid,
    pub email: String,
    pub role: &'static str,
    pub alerts: bool,
    /// The member's own choice; `null` follows the role (owners and editors take alerts).
    pub choice: Option<bool>,
}

pub async fn thresholds(app: &App, who: ManufacturerId) -> Result<Thresholds, AppError> {
    Ok(store::alerts::thresholds(&app.db, who.get()).await?)
}

pub async fn members(app: &App, who: ManufacturerId) -> Result<Vec<Recipient>, AppError> {
    Ok(store::users::members(&app.db, who.get())
        .await?
        .iter()
        .map(|u| Recipient {
            member_id: u.id,
            email: u.email.clone(),
            role: Role::parse(&u.role).unwrap_or(Role::Viewer).as_str(),
            alerts: store::alerts::takes_alerts(u),
            choice: u.alerts,
        })
        .collect())
}

fn owner_only(who: &Member) -> Result<(), AppError> {
    if who.role.allows(Role::Owner) { Ok(()) } else { Err(AppError::Forbidden("only an owner changes alert settings")) }
}

pub async fn set_thresholds(
    app: &App,
    who: &Member,
    min_count: i64,
    threshold: f64,
    window_hours: i64,
    cooldown_hours: i64,
) -> Result<Thresholds, AppError> {
    owner_only(who)?;
    let t = Thresholds::parse(min_count, threshold, window_hours, cooldown_hours)
        .map_err(|(field, why)| AppError::invalid(field, why))?;
    store::alerts::set_thresholds(&app.db, who.manufacturer_id.get(), &t).await?;
    Ok(t)
}

/// Whether a member takes alerts (`None`: as their role does).
pub async fn set_member_choice(
    app: &App,
    who: &Member,
    member: Uuid,
    alerts: Option<bool>,
) -> Result<Recipient, AppError> {
    owner_only(who)?;
    let u = store::alerts::set_member_choice(&app.db, who.manufacturer_id.get(), member, alerts)
        .await
        .map_err(AppError::unless_missing("member"))?;
    Ok(Recipient {
        member_id: u.id,
        email: u.email.clone(),
        role: Role::parse(&u.role).unwrap_or(Role::Viewer).as_str(),
        alerts: store::alerts::takes_alerts(&u),
        choice: u.alerts,
    })
}

/// The signed link that stops spike alerts for one member: the RFC 8058 one-click target of their
/// alert mails (digests have their own, which turns digests off).
pub fn unsubscribe_url(public_url: &str, key: &[u8], user_id: Uuid) -> String {
    format!("{public_url}/unsubscribe/alerts/{}", super::digests::member_token(key, UNSUBSCRIBE, user_id))
}

/// What an alert-unsubscribe token is signed for (a digest's token does not stop alerts).
const UNSUBSCRIBE: &str = "unsubscribe-alerts";

/// The member a signed alert-unsubscribe token names, if the signature holds.
pub async fn unsubscribe_member(app: &App, token: &str) -> Result<user::Model, AppError> {
    super::digests::member_of_token(app, UNSUBSCRIBE, token).await
}

/// One-click: this member takes no more spike alerts, at once and without signing in.
pub async fn unsubscribe(app: &App, token: &str) -> Result<user::Model, AppError> {
    let member = unsubscribe_member(app, token).await?;
    let member = store::alerts::set_member_choice(&app.db, member.manufacturer_id, member.id, Some(false)).await?;
    tracing::info!(member = %member.id, "unsubscribed from spike alerts by link");
    Ok(member)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_readers_way() {
        let ru = Locale::parse("ru").unwrap();
        assert_eq!(grouped(25_000, Locale::DEFAULT), "25,000");
        assert_eq!(grouped(1_200_000, ru), "1\u{a0}200\u{a0}000");
        assert_eq!(grouped(999, ru), "999");
        assert_eq!(decimal(0.0179, ru), "0,02");
        assert_eq!(decimal(2.35, Locale::DEFAULT), "2.4");
    }
}
