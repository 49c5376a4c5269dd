//! Production lots of a line: volumes entered per lot, and every lot compared (reports, defects,
//! defects per million units, the p-chart flag), over all time.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Manufacturer;
use crate::app::lots::{self, LotVolume};
use crate::domain::LineId;
use crate::domain::Role;
use crate::domain::spc::NoChart;
use crate::web::error::ApiError;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/product-lines/{id}/lots").route(web::get().to(list)))
        .service(web::resource("/product-lines/{id}/lots/{lot}").route(web::put().to(put)));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VolumeBody {
    units_produced: i64,
}

#[derive(Serialize)]
struct VolumeJson {
    lot: String,
    units_produced: u64,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
}

impl From<LotVolume> for VolumeJson {
    fn from(v: LotVolume) -> VolumeJson {
        VolumeJson { lot: v.lot.as_str().to_owned(), units_produced: v.units_produced, updated_at: v.updated_at }
    }
}

/// Sets the units a lot produced (replacing an earlier value). The lot is case-insensitive and kept
/// upper-case; a `/` in it is sent as `%2F`.
#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn put(
    state: web::Data<AppState>,
    who: Manufacturer,
    path: web::Path<(Uuid, String)>,
    body: super::JsonBody<VolumeBody>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::Editor)?;
    let (id, lot) = path.into_inner();
    let saved = lots::set_volume(&state.app, who.id, LineId(id), &lot, body.units_produced).await?;
    Ok(HttpResponse::Ok().json(VolumeJson::from(saved)))
}

#[derive(Serialize)]
struct LotJson {
    lot: String,
    reports: i64,
    defects: i64,
    units_produced: Option<u64>,
    /// Defect reports per million units produced.
    ppm: Option<f64>,
    /// The lot's p-chart upper control limit, in PPM.
    upper_limit_ppm: Option<f64>,
    above_upper_limit: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    units_updated_at: Option<OffsetDateTime>,
}

#[derive(Serialize)]
struct LotsJson {
    product_line_id: Uuid,
    /// `ok`, or why there is no p-chart: `no_volumes`, `one_lot`.
    chart: &'static str,
    /// The p-chart's centre line p̄ (all lots with volumes together), in PPM.
    centre_ppm: Option<f64>,
    /// Flagged lots first, then by PPM, then by defects.
    lots: Vec<LotJson>,
    reports_without_lot: i64,
    defects_without_lot: i64,
}

fn per_million(rate: f64) -> f64 {
    (rate * 1_000_000.0 * 1000.0).round() / 1000.0
}

#[tracing::instrument(skip_all, fields(manufacturer = %who.id))]
async fn list(state: web::Data<AppState>, who: Manufacturer, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let found = lots::compare(&state.app, who.id, LineId(*id)).await?;
    let updated = |lot: &str| found.volumes.iter().find(|v| v.lot.as_str() == lot).map(|v| v.updated_at);
    let lots = found
        .comparison
        .lots
        .iter()
        .map(|l| LotJson {
            units_updated_at: updated(&l.lot),
            lot: l.lot.clone(),
            reports: l.reports,
            defects: l.defects,
            units_produced: l.units,
            ppm: l.ppm.map(|p| (p * 1000.0).round() / 1000.0),
            upper_limit_ppm: l.upper.map(per_million),
            above_upper_limit: l.above,
        })
        .collect();
    let (chart, centre_ppm) = match found.comparison.centre {
        Ok(p) => ("ok", Some(per_million(p))),
        Err(NoChart::NoVolumes) => ("no_volumes", None),
        Err(NoChart::OneLot) => ("one_lot", None),
    };
    Ok(HttpResponse::Ok().json(LotsJson {
        product_line_id: *id,
        chart,
        centre_ppm,
        lots,
        reports_without_lot: found.without_lot_reports,
        defects_without_lot: found.without_lot_defects,
    }))
}
