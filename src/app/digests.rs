//! Digest subscriptions and the digest run: which periods are due for whom, what each digest says
//! (from the rollups), and the claim that queues each one exactly once in the outbox.

use std::collections::BTreeMap;

use serde_json::Value;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::accounts::Member;
use super::zones::Zone;
use super::{App, AppError};
use crate::digest::{self, CategoryRow, Digest, Headline, LineRow, LotRow, NewReport, Pair, RisingRow, ZoneRow};
use crate::domain::rollup::Window;
use crate::domain::schedule::{self, Cadence, Period, Schedule, Weekday};
use crate::domain::{Kind, LineId, Locale, ManufacturerId, ReportId, Role};
use crate::store::entities::{manufacturer, subscription, user};
use crate::store::{self, digest_claims::NewClaim, outbox::NewMail};

/// How far back a run looks for periods that fell due while nothing ran. Longer outages lose the
/// older digests (logged), so that a revived installation does not mail weeks of history at once.
pub const CATCH_UP: Duration = Duration::days(8);
/// Newest defect reports a digest shows.
const NEWEST: usize = 5;
/// Rising phrases a digest shows, over every subscribed line.
const RISING: usize = 5;
/// Characters of a comment a digest quotes.
const EXCERPT_CHARS: usize = 200;
/// The server key that signs unsubscribe and photo links.
const LINK_KEY: &str = "links";

/// A subscription as the API and the pages show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Subscription {
    pub member_id: Uuid,
    pub cadence: &'static str,
    pub weekday: &'static str,
    pub hour: i32,
    pub time_zone: String,
    pub product_lines: Option<Vec<Uuid>>,
    pub locale: String,
    pub send_empty: bool,
    /// When the next digest is due (RFC 3339), none when off.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_digest_at: Option<OffsetDateTime>,
}

/// A checked subscription body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Valid {
    pub cadence: Cadence,
    pub weekday: Weekday,
    pub hour: i8,
    pub time_zone: String,
    pub product_lines: Option<Vec<Uuid>>,
    pub locale: Locale,
    pub send_empty: bool,
}

fn text<'a>(body: &'a Value, field: &'static str) -> Result<Option<&'a str>, AppError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(AppError::invalid(field, "must be a string")),
    }
}

/// Checks a subscription body (`PUT .../subscription`, the dashboard form). Every refusal names its
/// field. `weekday` is needed only for a weekly cadence; `product_lines` null or absent means every line.
pub fn parse(body: &Value) -> Result<Valid, AppError> {
    if !body.is_object() {
        return Err(AppError::invalid("body", "must be a JSON object"));
    }
    let cadence = text(body, "cadence")?
        .and_then(Cadence::parse)
        .ok_or_else(|| AppError::invalid("cadence", "choose daily, weekly or off"))?;
    let weekday = match text(body, "weekday")? {
        Some(w) => Weekday::parse(w).ok_or_else(|| AppError::invalid("weekday", "choose monday to sunday"))?,
        None if cadence == Cadence::Weekly => {
            return Err(AppError::invalid("weekday", "a weekly digest needs a weekday"));
        }
        None => Weekday::Monday,
    };
    let hour = body
        .get("hour")
        .and_then(Value::as_i64)
        .filter(|h| (0..=23).contains(h))
        .and_then(|h| i8::try_from(h).ok())
        .ok_or_else(|| AppError::invalid("hour", "a whole hour from 0 to 23"))?;
    let time_zone = text(body, "time_zone")?
        .filter(|z| schedule::zone(z).is_some())
        .ok_or_else(|| AppError::invalid("time_zone", "an IANA time zone such as Europe/Moscow"))?
        .to_owned();
    let product_lines = match body.get("product_lines") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let ids: Option<Vec<Uuid>> =
                items.iter().map(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok())).collect();
            let mut ids = ids.ok_or_else(|| AppError::invalid("product_lines", "null, or a list of line ids"))?;
            if ids.is_empty() {
                return Err(AppError::invalid("product_lines", "choose at least one line, or null for every line"));
            }
            ids.sort();
            ids.dedup();
            Some(ids)
        }
        Some(_) => return Err(AppError::invalid("product_lines", "null, or a list of line ids")),
    };
    let locale = text(body, "locale")?.and_then(Locale::parse).ok_or_else(|| {
        AppError::invalid("locale", format!("one of {}", crate::domain::locale::SUPPORTED.join(", ")))
    })?;
    let send_empty = body
        .get("send_empty")
        .and_then(Value::as_bool)
        .ok_or_else(|| AppError::invalid("send_empty", "true or false"))?;
    Ok(Valid { cadence, weekday, hour, time_zone, product_lines, locale, send_empty })
}

fn schedule_of(s: &subscription::Model) -> Option<Schedule> {
    Some(Schedule {
        cadence: Cadence::parse(&s.cadence)?,
        weekday: Weekday::parse(&s.weekday).unwrap_or(Weekday::Monday),
        hour: i8::try_from(s.hour).ok()?,
        zone: schedule::zone(&s.time_zone)?,
    })
}

fn lines_of(s: &subscription::Model) -> Option<Vec<Uuid>> {
    s.product_lines.as_deref().and_then(|j| serde_json::from_str(j).ok())
}

fn view(s: &subscription::Model, at: OffsetDateTime) -> Subscription {
    let schedule = schedule_of(s);
    Subscription {
        member_id: s.user_id,
        cadence: Cadence::parse(&s.cadence).unwrap_or(Cadence::Off).as_str(),
        weekday: Weekday::parse(&s.weekday).unwrap_or(Weekday::Monday).as_str(),
        hour: s.hour,
        time_zone: s.time_zone.clone(),
        product_lines: lines_of(s),
        locale: s.locale.clone(),
        send_empty: s.send_empty,
        next_digest_at: schedule.and_then(|sc| sc.next_after(at.max(s.schedule_from))).map(|p| p.end),
    }
}

async fn member_of(app: &App, who: ManufacturerId, id: Uuid) -> Result<user::Model, AppError> {
    match store::users::get(&app.db, id).await {
        Ok(u) if u.manufacturer_id == who.get() => Ok(u),
        Ok(_) | Err(store::StoreError::NotFound) => Err(AppError::NotFound("member")),
        Err(e) => Err(e.into()),
    }
}

async fn current(app: &App, member: &user::Model) -> Result<subscription::Model, AppError> {
    let m = store::manufacturers::get(&app.db, member.manufacturer_id).await?;
    Ok(store::subscriptions::get_or_default(&app.db, member, &m.time_zone, store::now()).await?)
}

/// A member's subscription; `actor` is the member asking (their own, or an owner asking for anyone's).
pub async fn get(app: &App, who: ManufacturerId, actor: Option<&Member>, id: Uuid) -> Result<Subscription, AppError> {
    allowed(actor, id)?;
    let member = member_of(app, who, id).await?;
    Ok(view(&current(app, &member).await?, store::now()))
}

fn allowed(actor: Option<&Member>, id: Uuid) -> Result<(), AppError> {
    match actor {
        Some(a) if a.user_id == id || a.role.allows(Role::Owner) => Ok(()),
        Some(_) => Err(AppError::Forbidden("only an owner manages other members' digests")),
        // A manufacturer-wide token (no member behind it) acts for the workspace, like an owner.
        None => Ok(()),
    }
}

/// Replaces a member's subscription with a checked body.
pub async fn put(
    app: &App,
    who: ManufacturerId,
    actor: Option<&Member>,
    id: Uuid,
    body: &Value,
) -> Result<Subscription, AppError> {
    allowed(actor, id)?;
    let valid = parse(body)?;
    let member = member_of(app, who, id).await?;
    if let Some(ids) = &valid.product_lines {
        let known: Vec<Uuid> =
            store::product_lines::list(&app.db, who.get()).await?.into_iter().map(|l| l.id).collect();
        if ids.iter().any(|id| !known.contains(id)) {
            return Err(AppError::invalid("product_lines", "names a line that is not this manufacturer's"));
        }
    }
    let old = current(app, &member).await?;
    let new = subscription::Model {
        user_id: member.id,
        manufacturer_id: member.manufacturer_id,
        cadence: valid.cadence.as_str().to_owned(),
        weekday: valid.weekday.as_str().to_owned(),
        hour: i32::from(valid.hour),
        time_zone: valid.time_zone,
        product_lines: valid.product_lines.map(|ids| serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())),
        locale: valid.locale.tag().to_owned(),
        send_empty: valid.send_empty,
        schedule_from: old.schedule_from,
        updated_at: old.updated_at,
    };
    let changed = new.cadence != old.cadence
        || new.weekday != old.weekday
        || new.hour != old.hour
        || new.time_zone != old.time_zone;
    let at = store::now();
    let saved = store::subscriptions::put(&app.db, new, changed, at).await?;
    Ok(view(&saved, at))
}

pub(crate) async fn link_key(app: &App) -> Result<Vec<u8>, AppError> {
    Ok(store::server_keys::get_or_create(&app.db, LINK_KEY).await?)
}

/// A token `{member}.{signature}` naming one member for one `purpose` (a link in a mail that needs
/// no sign-in): what digest and alert unsubscribe links carry.
pub(crate) fn member_token(key: &[u8], purpose: &str, user_id: Uuid) -> String {
    let id = user_id.simple().to_string();
    let sig = store::sign(key, &format!("{purpose}:{id}"));
    format!("{id}.{sig}")
}

/// The member a [`member_token`] for `purpose` names, if its signature holds.
pub(crate) async fn member_of_token(app: &App, purpose: &str, token: &str) -> Result<user::Model, AppError> {
    let (id, sig) = token.split_once('.').ok_or(AppError::NotFound("link"))?;
    let key = link_key(app).await?;
    if !store::verify_signature(&key, &format!("{purpose}:{id}"), sig) {
        return Err(AppError::NotFound("link"));
    }
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound("link"))?;
    store::users::get(&app.db, id).await.map_err(AppError::unless_missing("link"))
}

/// The signed link of a member's unsubscribe page (also the one-click POST target).
pub async fn unsubscribe_url(app: &App, user_id: Uuid) -> Result<String, AppError> {
    let key = link_key(app).await?;
    Ok(format!("{}/unsubscribe/{}", app.settings.public_url, member_token(&key, "unsubscribe", user_id)))
}

/// The member a signed unsubscribe token names, if the signature holds.
pub async fn unsubscribe_member(app: &App, token: &str) -> Result<user::Model, AppError> {
    member_of_token(app, "unsubscribe", token).await
}

/// One-click unsubscribe (RFC 8058): digests off at once, no sign-in.
pub async fn unsubscribe(app: &App, token: &str) -> Result<Subscription, AppError> {
    let member = unsubscribe_member(app, token).await?;
    current(app, &member).await?;
    let at = store::now();
    store::subscriptions::turn_off(&app.db, member.id, at).await?;
    tracing::info!(member = %member.id, "unsubscribed from digests by link");
    let member_view = current(app, &member).await?;
    Ok(view(&member_view, at))
}

/// The subscription behind a signed link, for its page.
pub async fn by_token(app: &App, token: &str) -> Result<(user::Model, Subscription), AppError> {
    let member = unsubscribe_member(app, token).await?;
    let s = view(&current(app, &member).await?, store::now());
    Ok((member, s))
}

/// The page behind a signed link changes the cadence (and hour, weekday) without signing in.
pub async fn put_by_token(app: &App, token: &str, body: &Value) -> Result<Subscription, AppError> {
    let member = unsubscribe_member(app, token).await?;
    let actor = Member::of(&member);
    put(app, ManufacturerId(member.manufacturer_id), Some(&actor), member.id, body).await
}

/// A signed link to a report photo's thumbnail, for mails (they cannot sign in).
pub fn photo_url(app: &App, key: &[u8], manufacturer: Uuid, report: Uuid, position: i16) -> String {
    let (m, r) = (manufacturer.simple(), report.simple());
    let sig = store::sign(key, &format!("photo:{m}:{r}:{position}"));
    format!("{}/photos/{m}/{r}/{position}?sig={sig}", app.settings.public_url)
}

/// The thumbnail behind a signed photo link.
pub async fn signed_photo(
    app: &App,
    manufacturer: Uuid,
    report: Uuid,
    position: i16,
    sig: &str,
) -> Result<Vec<u8>, AppError> {
    let key = link_key(app).await?;
    let message = format!("photo:{}:{}:{position}", manufacturer.simple(), report.simple());
    if !store::verify_signature(&key, &message, sig) {
        return Err(AppError::NotFound("photo"));
    }
    super::reports::photo(app, ManufacturerId(manufacturer), ReportId(report), position, true).await
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    /// Digests queued in the outbox by this run.
    pub queued: u32,
    /// Periods with no report, recorded without a mail (the subscriber takes no "nothing new" mail).
    pub empty: u32,
    /// Periods another process (or an earlier run) had claimed already.
    pub already: u32,
    /// Due periods older than the catch-up window, not sent.
    pub too_old: u32,
}

/// Every digest due at `at` (catching up what fell due since each member's last one, within
/// [`CATCH_UP`]) is claimed and queued. Safe to run from several processes at once and to re-run.
#[tracing::instrument(skip_all, fields(at = %at))]
pub async fn run(app: &App, at: OffsetDateTime) -> Result<RunReport, AppError> {
    let mut report = RunReport::default();
    let key = link_key(app).await?;
    for m in store::manufacturers::list(&app.db).await? {
        let lines = store::product_lines::list(&app.db, m.id).await?;
        let zones = super::zones::list(app, ManufacturerId(m.id)).await?;
        for member in store::users::members(&app.db, m.id).await? {
            let mine: Vec<&Zone> = zones.iter().filter(|z| z.members.contains(&member.id)).collect();
            // The zone read now, not with the list above: a new member's default subscription takes
            // the workspace's zone as it is when the default is written, even if it changed meanwhile.
            let zone_now = store::manufacturers::get(&app.db, m.id).await?.time_zone;
            let sub = store::subscriptions::get_or_default(&app.db, &member, &zone_now, at).await?;
            let Some(sched) = schedule_of(&sub) else {
                tracing::warn!(member = %member.id, zone = %sub.time_zone, "subscription has an unknown zone; skipped");
                continue;
            };
            let last = store::digest_claims::latest(&app.db, member.id).await?;
            let mut after = sub.schedule_from;
            if let Some(l) = &last {
                after = after.max(l.period_end);
            }
            // Bounded, so a schedule untouched for years costs a year of pure date arithmetic at most.
            let due = sched.due(after.max(at - Duration::days(366)), at);
            let mut headline: Option<Headline> = last.as_ref().and_then(|l| serde_json::from_str(&l.summary).ok());
            for period in due {
                if period.end <= at - CATCH_UP {
                    report.too_old += 1;
                    continue;
                }
                if store::digest_claims::exists(&app.db, member.id, &period.key).await? {
                    report.already += 1;
                    continue;
                }
                let d = gather(app, &key, &m, &lines, &mine, &sub, &sched, &period, headline.clone()).await?;
                let locale = Locale::parse(&sub.locale).unwrap_or(Locale::DEFAULT);
                let mail = if d.is_empty() && !sub.send_empty {
                    None
                } else {
                    let c = digest::compose(&d, locale)?;
                    Some(NewMail {
                        kind: "digest",
                        recipient: member.email.clone(),
                        subject: c.subject,
                        text_body: c.text,
                        html_body: Some(c.html),
                        from_name: None,
                        reply_to: None,
                        headers: vec![
                            ("List-Unsubscribe".to_owned(), format!("<{}>", d.manage_url)),
                            ("List-Unsubscribe-Post".to_owned(), "List-Unsubscribe=One-Click".to_owned()),
                            ("X-Scanback-Period".to_owned(), period.key.clone()),
                        ],
                        manufacturer_id: Some(m.id),
                    })
                };
                let queued_mail = mail.is_some();
                let summary = serde_json::to_string(&d.headline()).unwrap_or_else(|_| "{}".into());
                let claim = NewClaim {
                    user_id: member.id,
                    manufacturer_id: m.id,
                    period_key: &period.key,
                    period_start: period.start,
                    period_end: period.end,
                    summary,
                };
                match store::digest_claims::claim_and_queue(&app.db, claim, mail, at).await? {
                    None => report.already += 1,
                    Some(_) if queued_mail => {
                        tracing::info!(member = %member.id, period = %period.key, "digest queued");
                        report.queued += 1;
                    }
                    Some(_) => report.empty += 1,
                }
                headline = Some(d.headline());
            }
        }
    }
    if report.queued > 0 {
        app.outbox.notify_one();
    }
    Ok(report)
}

/// The reader's zones in the period: reports routed to each now and in the period before, and the
/// open ones (counted from the reports: a zone routes by suggestions too, which no rollup keeps).
async fn zone_rows(app: &App, who: ManufacturerId, mine: &[&Zone], period: &Period) -> Result<Vec<ZoneRow>, AppError> {
    let length = period.end - period.start;
    let mut out = Vec::new();
    for z in mine {
        let count = |since, until| super::reports::Query {
            since: Some(since),
            until: Some(until),
            zone: Some(z.id),
            ..Default::default()
        };
        let now = super::reports::counts(app, who, &count(period.start, period.end)).await?.total;
        let before = super::reports::counts(app, who, &count(period.start - length, period.start)).await?.total;
        let all =
            super::reports::counts(app, who, &super::reports::Query { zone: Some(z.id), ..Default::default() }).await?;
        let open: u64 = all.by_status.iter().filter(|(s, _)| s.is_open()).map(|(_, n)| n).sum();
        let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        out.push(ZoneRow {
            name: z.name.clone(),
            now: as_i64(now),
            before: as_i64(before),
            open: as_i64(open),
            inbox_url: format!("{}&zone={}", inbox_url(&app.settings.public_url, period, None), z.id),
        });
    }
    Ok(out)
}

fn inbox_url(base: &str, period: &Period, line: Option<Uuid>) -> String {
    let from = period.start.date();
    let until = (period.end - Duration::seconds(1)).date();
    let mut url = format!("{base}/dashboard/reports?from={from}&until={until}");
    if let Some(line) = line {
        url.push_str(&format!("&line={line}"));
    }
    url
}

#[allow(clippy::too_many_arguments)]
async fn gather(
    app: &App,
    key: &[u8],
    m: &manufacturer::Model,
    lines: &[store::entities::product_line::Model],
    mine: &[&Zone],
    sub: &subscription::Model,
    sched: &Schedule,
    period: &Period,
    last: Option<Headline>,
) -> Result<Digest, AppError> {
    let base = &app.settings.public_url;
    let who = ManufacturerId(m.id);
    let chosen = lines_of(sub);
    let selected: Vec<_> = lines.iter().filter(|l| chosen.as_ref().is_none_or(|ids| ids.contains(&l.id))).collect();
    let window = Window::new(period.start, period.end).map_err(|e| anyhow::anyhow!("digest window: {e}"))?;
    let previous = window.previous();
    // Rising phrases are week over week whatever the cadence: a daily digest's single day against
    // four weeks would show noise as rises.
    let week =
        Window::new(period.end - Duration::days(7), period.end).map_err(|e| anyhow::anyhow!("digest week: {e}"))?;
    let mut totals = Pair::default();
    let mut rows = Vec::new();
    let mut categories: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    let mut lots = Vec::new();
    let mut labels: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut rising: Vec<RisingRow> = Vec::new();
    let locale = Locale::parse(&sub.locale).unwrap_or(Locale::DEFAULT);
    for line in &selected {
        let form = super::lines::form(app, who, LineId(line.id)).await?;
        for kind in Kind::ALL {
            for c in form.categories.for_kind(kind) {
                labels.entry((kind.as_str().to_owned(), c.key.clone())).or_insert_with(|| c.label(locale).to_owned());
            }
        }
        let now = store::stats::line(&app.db, line.id, window).await?;
        let before = store::stats::line(&app.db, line.id, previous).await?;
        totals.now += now.totals;
        totals.before += before.totals;
        for ((kind, category), c) in &now.by_category {
            categories.entry((kind.clone(), category.clone())).or_default().0 += c.reports;
        }
        for ((kind, category), c) in &before.by_category {
            categories.entry((kind.clone(), category.clone())).or_default().1 += c.reports;
        }
        if now.totals.reports > 0 || before.totals.reports > 0 {
            rows.push(LineRow {
                name: line.name.clone(),
                counts: Pair { now: now.totals, before: before.totals },
                inbox_url: inbox_url(base, period, Some(line.id)),
            });
        }
        // Only lines with comments this period can have a rise: the others cost no read.
        if now.totals.reports > 0 {
            let r = super::themes::rising(app, line.id, week).await?;
            rising.extend(r.rises.into_iter().map(|x| RisingRow {
                line: line.name.clone(),
                phrase: x.phrase,
                now: x.now,
                before: x.before,
                score: x.score,
            }));
        }
        let compared = super::lots::compare(app, who, LineId(line.id)).await?;
        for lot in compared.comparison.flagged() {
            lots.push(LotRow {
                line: line.name.clone(),
                lot: lot.lot.clone(),
                period_defects: now.by_lot.get(&lot.lot).map_or(0, |m| m.defects),
                defects: lot.defects,
                units: lot.units.unwrap_or(0),
                ppm: lot.ppm.unwrap_or(0.0),
                inbox_url: format!("{}&lot={}", inbox_url(base, period, Some(line.id)), lot.lot),
            });
        }
    }
    rows.sort_by(|a, b| b.counts.now.reports.cmp(&a.counts.now.reports).then_with(|| a.name.cmp(&b.name)));
    let mut categories: Vec<CategoryRow> = categories
        .into_iter()
        .filter_map(|((kind, key), (now, before))| {
            let label = labels.get(&(kind.clone(), key.clone())).cloned().unwrap_or(key);
            Some(CategoryRow { kind: Kind::parse(&kind)?, label, now, before })
        })
        .filter(|c| c.now > 0 || c.before > 0)
        .collect();
    categories.sort_by(|a, b| b.now.cmp(&a.now).then_with(|| a.label.cmp(&b.label)));
    rising.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| a.line.cmp(&b.line)).then_with(|| a.phrase.cmp(&b.phrase))
    });
    rising.truncate(RISING);
    // A member of a zone gets that zone's part: its counts, and its newest reports of any kind.
    let zones = zone_rows(app, who, mine, period).await?;
    let newest = if !mine.is_empty() {
        newest_in_zones(app, key, m, lines, mine, period).await?
    } else if totals.now.defects > 0 {
        newest_defects(app, key, m, &selected, period).await?
    } else {
        Vec::new()
    };
    let member_line_filter = if selected.len() == 1 { selected.first().map(|l| l.id) } else { None };
    Ok(Digest {
        manufacturer: m.name.clone(),
        start: period.start,
        end: period.end,
        weekly: period.weekly,
        zone: sched.zone.clone(),
        zone_name: sub.time_zone.clone(),
        totals,
        lines: rows,
        categories,
        lots,
        zones,
        newest,
        rising,
        last,
        inbox_url: inbox_url(base, period, member_line_filter),
        dashboard_url: format!("{base}/dashboard"),
        manage_url: unsubscribe_url(app, sub.user_id).await?,
    })
}

async fn newest_defects(
    app: &App,
    key: &[u8],
    m: &manufacturer::Model,
    selected: &[&store::entities::product_line::Model],
    period: &Period,
) -> Result<Vec<NewReport>, AppError> {
    let names: BTreeMap<Uuid, String> = selected.iter().map(|l| (l.id, l.name.clone())).collect();
    let query = super::reports::Query {
        product_line: if selected.len() == 1 { selected.first().map(|l| LineId(l.id)) } else { None },
        since: Some(period.start),
        until: Some(period.end),
        kind: Some(Kind::Defect),
        ..Default::default()
    };
    let page = super::reports::page(app, ManufacturerId(m.id), &query, None, 50).await?;
    Ok(page.reports.iter().filter_map(|r| new_report(app, key, m, &names, r)).take(NEWEST).collect())
}

/// A report as the digest lists it; none for a line not in `names` (one the reader does not follow).
fn new_report(
    app: &App,
    key: &[u8],
    m: &manufacturer::Model,
    names: &BTreeMap<Uuid, String>,
    r: &super::reports::Report,
) -> Option<NewReport> {
    let line = names.get(&r.product_line_id.get())?.clone();
    Some(NewReport {
        line,
        kind: r.kind,
        category: r.category.clone().unwrap_or_default(),
        rating: r.rating,
        lot: r.lot.clone(),
        excerpt: excerpt(&r.comment),
        created_at: r.created_at,
        thumbnails: r.photos.iter().map(|p| photo_url(app, key, m.id, r.id.get(), p.position)).collect(),
        url: format!("{}/dashboard/reports/{}", app.settings.public_url, r.id.get()),
    })
}

/// The newest reports of the period in the reader's zones, newest first, each once.
async fn newest_in_zones(
    app: &App,
    key: &[u8],
    m: &manufacturer::Model,
    lines: &[store::entities::product_line::Model],
    mine: &[&Zone],
    period: &Period,
) -> Result<Vec<NewReport>, AppError> {
    let names: BTreeMap<Uuid, String> = lines.iter().map(|l| (l.id, l.name.clone())).collect();
    let mut found: Vec<super::reports::Report> = Vec::new();
    for z in mine {
        let query = super::reports::Query {
            since: Some(period.start),
            until: Some(period.end),
            zone: Some(z.id),
            ..Default::default()
        };
        found.extend(super::reports::page(app, ManufacturerId(m.id), &query, None, NEWEST as u64).await?.reports);
    }
    found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.id.get().cmp(&a.id.get())));
    found.dedup_by_key(|r| r.id);
    Ok(found.iter().filter_map(|r| new_report(app, key, m, &names, r)).take(NEWEST).collect())
}

fn excerpt(comment: &str) -> String {
    let mut out: String = comment.chars().take(EXCERPT_CHARS).collect();
    if comment.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// The member behind an API token, if the token has one.
pub async fn actor(app: &App, who: ManufacturerId, user: Option<Uuid>) -> Result<Option<Member>, AppError> {
    let Some(id) = user else { return Ok(None) };
    Ok(Some(Member::of(&member_of(app, who, id).await?)))
}

/// The manufacturer's settings that digests use.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ManufacturerSettings {
    pub id: Uuid,
    pub name: String,
    /// IANA zone new members' digests start in.
    pub time_zone: String,
}

pub async fn manufacturer(app: &App, who: ManufacturerId) -> Result<ManufacturerSettings, AppError> {
    let m = store::manufacturers::get(&app.db, who.get()).await?;
    Ok(ManufacturerSettings { id: m.id, name: m.name, time_zone: m.time_zone })
}

/// Sets the manufacturer's time zone (owners only). Existing subscriptions keep their own zone.
pub async fn set_time_zone(
    app: &App,
    who: ManufacturerId,
    actor: Option<&Member>,
    body: &Value,
) -> Result<ManufacturerSettings, AppError> {
    if let Some(a) = actor
        && !a.role.allows(Role::Owner)
    {
        return Err(AppError::Forbidden("only an owner changes the workspace's settings"));
    }
    if let Some(unknown) = body.as_object().and_then(|o| o.keys().find(|k| k.as_str() != "time_zone")) {
        let unknown: String = unknown.chars().take(40).collect();
        return Err(AppError::invalid("body", format!("unknown field `{unknown}`: only time_zone can be changed")));
    }
    let zone = text(body, "time_zone")?
        .filter(|z| schedule::zone(z).is_some())
        .ok_or_else(|| AppError::invalid("time_zone", "an IANA time zone such as Europe/Moscow"))?;
    let m = store::manufacturers::set_time_zone(&app.db, who.get(), zone).await?;
    Ok(ManufacturerSettings { id: m.id, name: m.name, time_zone: m.time_zone })
}

/// A mail of the outbox as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OutboxMail {
    pub id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub sent_at: Option<OffsetDateTime>,
}

/// The manufacturer's newest mails (digests, invitations, replies), newest first.
pub async fn outbox(app: &App, who: ManufacturerId, limit: u64) -> Result<Vec<OutboxMail>, AppError> {
    Ok(store::outbox::recent_for(&app.db, who.get(), limit.clamp(1, 200))
        .await?
        .into_iter()
        .map(|r| OutboxMail {
            id: r.id,
            kind: r.kind,
            recipient: r.recipient,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            next_attempt_at: r.next_attempt_at,
            sent_at: r.sent_at,
        })
        .collect())
}
