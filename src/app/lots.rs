//! Production lots of a line: the volumes a manufacturer enters, and the lots compared by their
//! defect reports (defects per million units, the p-chart; see `domain::spc`).

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{App, AppError};
use crate::domain::spc::{self, LotComparison, LotInput};
use crate::domain::{LineId, Lot, ManufacturerId};
use crate::store;

/// The largest volume accepted for one lot: a typo guard, far above any real production lot.
pub const MAX_UNITS: i64 = 1_000_000_000_000;

/// The units a lot produced, as entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotVolume {
    pub lot: Lot,
    pub units_produced: u64,
    pub updated_at: OffsetDateTime,
}

impl LotVolume {
    fn from_row(row: store::entities::lot_volume::Model) -> Option<LotVolume> {
        Some(LotVolume {
            lot: Lot::parse(&row.lot).ok()?,
            units_produced: u64::try_from(row.units_produced).ok()?,
            updated_at: row.updated_at,
        })
    }
}

/// Checks a lot and a volume as typed (form or API); the errors name `lot` and `units_produced`.
pub fn parse_volume(lot: &str, units: i64) -> Result<(Lot, i64), AppError> {
    let lot = Lot::parse(lot).map_err(|e| AppError::invalid("lot", e.to_string()))?;
    if !(1..=MAX_UNITS).contains(&units) {
        return Err(AppError::invalid(
            "units_produced",
            format!("the units produced must be a whole number from 1 to {MAX_UNITS}"),
        ));
    }
    Ok((lot, units))
}

/// Sets the units a lot of one of the manufacturer's lines produced (replacing an earlier value).
#[tracing::instrument(skip_all, fields(%who, %line))]
pub async fn set_volume(
    app: &App,
    who: ManufacturerId,
    line: LineId,
    lot: &str,
    units: i64,
) -> Result<LotVolume, AppError> {
    super::lines::get(app, who, line).await?;
    let (lot, units) = parse_volume(lot, units)?;
    let row = store::lot_volumes::set(&app.db, line.get(), &lot, units).await?;
    LotVolume::from_row(row).ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("a stored lot volume is invalid")))
}

/// Every lot compared over all time, and the reports that name no lot.
#[derive(Clone, Debug, PartialEq)]
pub struct Lots {
    pub comparison: LotComparison,
    pub volumes: Vec<LotVolume>,
    pub without_lot_reports: i64,
    pub without_lot_defects: i64,
}

/// The lots of one of the manufacturer's lines: every lot with reports or a volume, from the
/// rollups (all time) and the entered volumes.
#[tracing::instrument(skip_all, fields(%who, %line))]
pub async fn compare(app: &App, who: ManufacturerId, line: LineId) -> Result<Lots, AppError> {
    super::lines::get(app, who, line).await?;
    let mut counts = store::stats::line_lots_all_time(&app.db, line.get()).await?;
    let without = counts.remove("").unwrap_or_default();
    let volumes: Vec<LotVolume> =
        store::lot_volumes::for_line(&app.db, line.get()).await?.into_iter().filter_map(LotVolume::from_row).collect();
    let mut inputs: BTreeMap<String, LotInput> = counts
        .into_iter()
        .map(|(lot, m)| (lot.clone(), LotInput { lot, reports: m.reports, defects: m.defects, units: None }))
        .collect();
    for v in &volumes {
        let lot = v.lot.as_str().to_owned();
        inputs.entry(lot.clone()).or_insert(LotInput { lot, reports: 0, defects: 0, units: None }).units =
            Some(v.units_produced);
    }
    Ok(Lots {
        comparison: spc::compare_lots(inputs.into_values().collect()),
        volumes,
        without_lot_reports: without.reports,
        without_lot_defects: without.defects,
    })
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn volumes_are_whole_positive_numbers_and_lots_are_checked() {
        assert!(parse_volume("l1", 1).is_ok_and(|(l, n)| l.as_str() == "L1" && n == 1));
        for (lot, units, field) in [("L1", 0, "units_produced"), ("L1", -5, "units_produced"), ("L 1", 5, "lot")] {
            match parse_volume(lot, units) {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{lot} {units}: {other:?}"),
            }
        }
        assert!(parse_volume("L1", MAX_UNITS + 1).is_err());
    }
}
