//! Responsibility zones: named teams that own categories (on every line or some), the routing of
//! reports to them, and each zone's KPIs. Owners manage zones; every member reads them.

use std::collections::BTreeSet;

use serde_json::Value;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::accounts::Member;
use super::{App, AppError};
use crate::domain::response_kpi::{self, ResponseKpis, Sample};
use crate::domain::zone::{self, Category, Routing, ZoneError};
use crate::domain::{FormConfig, Kind, ManufacturerId, Role, schedule};
use crate::store::{self, zones::Stored, zones::ZoneSpec};

/// The KPI window when none is asked for: four whole weeks.
pub const DEFAULT_KPI_DAYS: i64 = 28;
/// The longest KPI window: a quarter.
pub const MAX_KPI_DAYS: i64 = 92;

/// A zone as the API and the pages show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Zone {
    pub id: Uuid,
    pub name: String,
    /// `kind/key`, sorted.
    pub categories: Vec<String>,
    /// None: every line.
    pub product_lines: Option<Vec<Uuid>>,
    pub members: Vec<Uuid>,
    pub response_target_days: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Zone {
    fn of(s: Stored) -> Zone {
        Zone {
            id: s.zone.id,
            name: s.zone.name,
            categories: serde_json::from_str(&s.zone.categories).unwrap_or_default(),
            product_lines: s.zone.product_lines.as_deref().and_then(|j| serde_json::from_str(j).ok()),
            members: s.members,
            response_target_days: s.zone.response_target_days,
            created_at: s.zone.created_at,
            updated_at: s.zone.updated_at,
        }
    }

    /// The routing rule of this zone (categories stored by this module always parse).
    pub fn routing(&self) -> Routing {
        Routing {
            zone: self.id,
            categories: self.categories.iter().filter_map(|c| Category::parse(c).ok()).collect(),
            product_lines: self.product_lines.clone(),
        }
    }
}

fn invalid(field: &'static str, e: ZoneError) -> AppError {
    AppError::invalid(field, e.to_string())
}

fn ids(v: &Value, field: &'static str, what: &str) -> Result<Vec<Uuid>, AppError> {
    let items = v.as_array().ok_or_else(|| AppError::invalid(field, format!("a list of {what} ids")))?;
    let mut out: Vec<Uuid> = items
        .iter()
        .map(|i| i.as_str().and_then(|s| Uuid::parse_str(s).ok()))
        .collect::<Option<_>>()
        .ok_or_else(|| AppError::invalid(field, format!("a list of {what} ids")))?;
    out.sort();
    out.dedup();
    Ok(out)
}

/// Checks a zone body: the whole zone for a create, or the fields a change names on top of `base`.
/// Every refusal names its field.
pub fn parse(body: &Value, base: Option<&Zone>) -> Result<ZoneSpec, AppError> {
    let obj = body.as_object().ok_or_else(|| AppError::invalid("body", "must be a JSON object"))?;
    const FIELDS: [&str; 5] = ["name", "categories", "product_lines", "members", "response_target_days"];
    if let Some(unknown) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(AppError::invalid(
            "body",
            format!(
                "unknown field `{}`; a zone has {}",
                unknown.chars().take(40).collect::<String>(),
                FIELDS.join(", ")
            ),
        ));
    }
    let name = match (obj.get("name"), base) {
        (Some(Value::String(s)), _) => zone::parse_name(s).map_err(|e| invalid("name", e))?,
        (None, Some(b)) => b.name.clone(),
        _ => return Err(invalid("name", ZoneError::Name)),
    };
    let categories = match (obj.get("categories"), base) {
        (Some(Value::Array(items)), _) => {
            let texts: Vec<&str> = items.iter().map(Value::as_str).collect::<Option<_>>().ok_or_else(|| {
                AppError::invalid("categories", "a list of kind/key strings, e.g. [\"defect/coating\"]")
            })?;
            zone::parse_categories(texts)
                .map_err(|e| invalid("categories", e))?
                .iter()
                .map(Category::as_string)
                .collect()
        }
        (None, Some(b)) => b.categories.clone(),
        _ => return Err(AppError::invalid("categories", "a list of kind/key strings, e.g. [\"defect/coating\"]")),
    };
    let product_lines = match (obj.get("product_lines"), base) {
        (Some(Value::Null), _) => None,
        (Some(v), _) => {
            let lines = ids(v, "product_lines", "product line")?;
            if lines.is_empty() {
                return Err(AppError::invalid("product_lines", "choose at least one line, or null for every line"));
            }
            Some(lines)
        }
        (None, Some(b)) => b.product_lines.clone(),
        (None, None) => None,
    };
    let members = match (obj.get("members"), base) {
        (Some(v), _) => ids(v, "members", "member")?,
        (None, Some(b)) => b.members.clone(),
        (None, None) => Vec::new(),
    };
    let response_target_days = match (obj.get("response_target_days"), base) {
        (Some(v), _) => {
            v.as_i64().and_then(|n| i32::try_from(n).ok()).filter(|n| zone::TARGET_DAYS.contains(n)).ok_or_else(
                || {
                    AppError::invalid(
                        "response_target_days",
                        format!("whole working days from {} to {}", zone::TARGET_DAYS.start(), zone::TARGET_DAYS.end()),
                    )
                },
            )?
        }
        (None, Some(b)) => b.response_target_days,
        (None, None) => zone::DEFAULT_TARGET_DAYS,
    };
    Ok(ZoneSpec { name, categories, product_lines, members, response_target_days })
}

fn owner_only(who: &Member) -> Result<(), AppError> {
    if who.role.allows(Role::Owner) { Ok(()) } else { Err(AppError::Forbidden("only an owner manages zones")) }
}

/// The categories a zone may own: those the forms of its lines offer (every line's when it names
/// none; the default form's when there is no line yet), so a typo is refused rather than routing
/// nothing forever.
async fn check(app: &App, who: ManufacturerId, spec: &ZoneSpec) -> Result<(), AppError> {
    let lines = store::product_lines::list(&app.db, who.get()).await?;
    if let Some(chosen) = &spec.product_lines
        && let Some(unknown) = chosen.iter().find(|id| !lines.iter().any(|l| l.id == **id))
    {
        return Err(AppError::invalid("product_lines", format!("{unknown} is not one of your product lines")));
    }
    let mut forms: Vec<FormConfig> = lines
        .iter()
        .filter(|l| spec.product_lines.as_ref().is_none_or(|ids| ids.contains(&l.id)))
        .map(|l| FormConfig::from_stored(l.form_config.as_deref()))
        .collect();
    if forms.is_empty() {
        forms.push(FormConfig::default());
    }
    let known: BTreeSet<String> = forms
        .iter()
        .flat_map(|f| {
            Kind::ALL.into_iter().flat_map(move |k| {
                f.categories.for_kind(k).iter().map(move |c| super::classify::class_of(k.as_str(), &c.key))
            })
        })
        .collect();
    if let Some(unknown) = spec.categories.iter().find(|c| !known.contains(*c)) {
        return Err(AppError::invalid(
            "categories",
            format!(
                "`{unknown}` is not a category of the zone's lines; they have {}",
                known.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let members = store::users::members(&app.db, who.get()).await?;
    if let Some(unknown) = spec.members.iter().find(|id| !members.iter().any(|m| m.id == **id)) {
        return Err(AppError::invalid("members", format!("{unknown} is not a member of your workspace")));
    }
    Ok(())
}

fn conflict(e: store::StoreError) -> AppError {
    match e {
        store::StoreError::Conflict(_) => AppError::invalid("name", "another zone has this name"),
        store::StoreError::NotFound => AppError::NotFound("zone"),
        e => e.into(),
    }
}

pub async fn create(app: &App, who: &Member, body: &Value) -> Result<Zone, AppError> {
    owner_only(who)?;
    let spec = parse(body, None)?;
    check(app, who.manufacturer_id, &spec).await?;
    let stored = store::zones::create(&app.db, who.manufacturer_id.get(), &spec).await.map_err(conflict)?;
    Ok(Zone::of(stored))
}

pub async fn list(app: &App, who: ManufacturerId) -> Result<Vec<Zone>, AppError> {
    Ok(store::zones::list(&app.db, who.get()).await?.into_iter().map(Zone::of).collect())
}

pub async fn get(app: &App, who: ManufacturerId, id: Uuid) -> Result<Zone, AppError> {
    Ok(Zone::of(store::zones::get(&app.db, who.get(), id).await.map_err(AppError::unless_missing("zone"))?))
}

/// Changes the fields the body names; the others stay.
pub async fn update(app: &App, who: &Member, id: Uuid, body: &Value) -> Result<Zone, AppError> {
    owner_only(who)?;
    let current = get(app, who.manufacturer_id, id).await?;
    let spec = parse(body, Some(&current))?;
    check(app, who.manufacturer_id, &spec).await?;
    Ok(Zone::of(store::zones::update(&app.db, who.manufacturer_id.get(), id, &spec).await.map_err(conflict)?))
}

pub async fn delete(app: &App, who: &Member, id: Uuid) -> Result<(), AppError> {
    owner_only(who)?;
    store::zones::delete(&app.db, who.manufacturer_id.get(), id).await.map_err(AppError::unless_missing("zone"))
}

/// The zones a member is in, by name.
pub async fn of_member(app: &App, who: &Member) -> Result<Vec<Zone>, AppError> {
    let mine = store::zones::of_member(&app.db, who.user_id).await?;
    Ok(list(app, who.manufacturer_id).await?.into_iter().filter(|z| mine.contains(&z.id)).collect())
}

/// One zone's KPIs over the reports of the last `days` days, with their sample sizes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Kpis {
    pub zone_id: Uuid,
    pub name: String,
    pub response_target_days: i32,
    pub days: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub until: OffsetDateTime,
    #[serde(flatten)]
    pub response: ResponseKpis,
    /// Open reports (new or in progress) of any age.
    pub open: u64,
    /// Open reports by age: under 1 day, 1–3, 3–7, 7–30, 30 days and more.
    pub open_by_age: [u64; 5],
}

/// The window a KPI request names, checked.
pub fn kpi_days(days: Option<i64>) -> Result<i64, AppError> {
    let days = days.unwrap_or(DEFAULT_KPI_DAYS);
    if !(1..=MAX_KPI_DAYS).contains(&days) {
        return Err(AppError::invalid("days", format!("a window of 1 to {MAX_KPI_DAYS} days")));
    }
    Ok(days)
}

/// The KPIs of one zone at `now`: time to first response and the share within the zone's target
/// over the reports of the window, and every open report's age. Read from the reports (two columns
/// each, through the manufacturer/created index): a response time belongs to one report, which no
/// rollup keeps.
pub async fn kpis(
    app: &App,
    who: ManufacturerId,
    zone: &Zone,
    days: i64,
    now: OffsetDateTime,
) -> Result<Kpis, AppError> {
    kpis_in(app, who, zone, days, now, &time_zone(app, who).await?).await
}

/// The manufacturer's time zone, where working days are counted.
async fn time_zone(app: &App, who: ManufacturerId) -> Result<jiff::tz::TimeZone, AppError> {
    let m = store::manufacturers::get(&app.db, who.get()).await?;
    Ok(schedule::zone(&m.time_zone).unwrap_or(jiff::tz::TimeZone::UTC))
}

async fn kpis_in(
    app: &App,
    who: ManufacturerId,
    zone: &Zone,
    days: i64,
    now: OffsetDateTime,
    tz: &jiff::tz::TimeZone,
) -> Result<Kpis, AppError> {
    let since = now - Duration::days(days);
    let routing = zone.routing();
    let samples: Vec<Sample> = store::reports::response_times(&app.db, who.get(), &routing, since, now)
        .await?
        .into_iter()
        .map(|(created_at, first_response_at)| Sample { created_at, first_response_at })
        .collect();
    let open = store::reports::open_since(&app.db, who.get(), &routing).await?;
    Ok(Kpis {
        zone_id: zone.id,
        name: zone.name.clone(),
        response_target_days: zone.response_target_days,
        days,
        since,
        until: now,
        response: response_kpi::response(&samples, zone.response_target_days, tz, now),
        open: open.len() as u64,
        open_by_age: response_kpi::open_by_age(open, now),
    })
}

/// The KPIs of each of these zones (the manufacturer's, as [`list`] gives them), in their order.
pub async fn all_kpis(
    app: &App,
    who: ManufacturerId,
    zones: &[Zone],
    days: i64,
    now: OffsetDateTime,
) -> Result<Vec<Kpis>, AppError> {
    let mut out = Vec::new();
    if zones.is_empty() {
        return Ok(out);
    }
    let tz = time_zone(app, who).await?;
    for z in zones {
        out.push(kpis_in(app, who, z, days, now, &tz).await?);
    }
    Ok(out)
}
