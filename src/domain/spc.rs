//! Statistical process control for production lots, and the Pareto ordering of defect categories.
//!
//! The p-chart compares lots whose production volume is known: lot i has `nᵢ` units produced and
//! `dᵢ` defect reports, so its defect rate is `pᵢ = dᵢ / nᵢ`. The centre line is the pooled rate
//! `p̄ = Σd / Σn` over those lots, and lot i's upper control limit is `p̄ + 3·√(p̄(1−p̄)/nᵢ)`. A lot
//! above its limit is flagged. Lots without a volume have no rate (reports are not units: a lot's
//! reports say nothing about how many units could have failed), so they are listed but not charted.
//! With fewer than two lots with volumes there is nothing to compare against.

use std::cmp::Ordering;

/// Defects per million units produced; `None` without a volume.
pub fn ppm(defects: i64, units: Option<u64>) -> Option<f64> {
    let units = units.filter(|u| *u > 0)?;
    Some(defects.max(0) as f64 * 1_000_000.0 / units as f64)
}

/// What is known about one lot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotInput {
    pub lot: String,
    pub reports: i64,
    pub defects: i64,
    /// Units produced, when entered.
    pub units: Option<u64>,
}

/// One lot as compared: its numbers, and for lots with a volume its rate and control limits.
#[derive(Clone, Debug, PartialEq)]
pub struct LotPoint {
    pub lot: String,
    pub reports: i64,
    pub defects: i64,
    pub units: Option<u64>,
    /// Defects per million units produced.
    pub ppm: Option<f64>,
    /// `pᵢ = dᵢ / nᵢ`, when the lot is on the chart.
    pub rate: Option<f64>,
    /// Upper control limit of this lot (a rate, 0..1), when the lot is on the chart.
    pub upper: Option<f64>,
    /// Lower control limit (0 when `p̄ − 3σ` is negative), when the lot is on the chart.
    pub lower: Option<f64>,
    /// Above its upper control limit.
    pub above: bool,
}

/// Why there is no p-chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoChart {
    /// No lot has a production volume.
    NoVolumes,
    /// Only one lot has a volume: it would be compared with itself.
    OneLot,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LotComparison {
    /// Flagged lots first, then by PPM (highest first; lots without volume after), then by defects,
    /// then by name.
    pub lots: Vec<LotPoint>,
    /// The pooled rate `p̄` over the lots with volumes, or why there is no chart.
    pub centre: Result<f64, NoChart>,
}

impl LotComparison {
    pub fn flagged(&self) -> impl Iterator<Item = &LotPoint> {
        self.lots.iter().filter(|l| l.above)
    }
}

/// `p̄ ± 3·√(p̄(1−p̄)/n)`, clipped to [0, 1].
pub fn p_limits(p_bar: f64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let p = p_bar.clamp(0.0, 1.0);
    let sigma = (p * (1.0 - p) / n as f64).sqrt();
    ((p - 3.0 * sigma).max(0.0), (p + 3.0 * sigma).min(1.0))
}

pub fn compare_lots(lots: Vec<LotInput>) -> LotComparison {
    let with_volume: Vec<&LotInput> = lots.iter().filter(|l| l.units.is_some_and(|u| u > 0)).collect();
    let centre = match with_volume.len() {
        0 => Err(NoChart::NoVolumes),
        1 => Err(NoChart::OneLot),
        _ => {
            let defects: i64 = with_volume.iter().map(|l| l.defects.max(0)).sum();
            let units: u64 = with_volume.iter().filter_map(|l| l.units).sum();
            Ok(defects as f64 / units as f64)
        }
    };
    let mut points: Vec<LotPoint> = lots
        .into_iter()
        .map(|l| {
            let units = l.units.filter(|u| *u > 0);
            let mut point = LotPoint {
                ppm: ppm(l.defects, units),
                lot: l.lot,
                reports: l.reports,
                defects: l.defects,
                units,
                rate: None,
                upper: None,
                lower: None,
                above: false,
            };
            if let (Ok(p_bar), Some(n)) = (centre, units) {
                let rate = l.defects.max(0) as f64 / n as f64;
                let (lower, upper) = p_limits(p_bar, n);
                point.rate = Some(rate);
                point.upper = Some(upper);
                point.lower = Some(lower);
                point.above = rate > upper;
            }
            point
        })
        .collect();
    points.sort_by(|a, b| {
        b.above
            .cmp(&a.above)
            .then_with(|| match (a.ppm, b.ppm) {
                (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| b.defects.cmp(&a.defects))
            .then_with(|| a.lot.cmp(&b.lot))
    });
    LotComparison { lots: points, centre }
}

/// One bar of a Pareto chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ParetoBar<K> {
    pub key: K,
    pub count: i64,
    /// This bar's share of all counts (0..1).
    pub share: f64,
    /// The share of this bar and every bar before it (0..1); the last bar's is 1.
    pub cumulative: f64,
}

/// Bars sorted by count, largest first (ties by key), each with the cumulative share; zero
/// counts are left out.
pub fn pareto<K: Ord>(items: impl IntoIterator<Item = (K, i64)>) -> Vec<ParetoBar<K>> {
    let mut items: Vec<(K, i64)> = items.into_iter().filter(|(_, n)| *n > 0).collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: i64 = items.iter().map(|(_, n)| n).sum();
    let mut running = 0;
    items
        .into_iter()
        .map(|(key, count)| {
            running += count;
            ParetoBar {
                key,
                count,
                share: count as f64 / total as f64,
                cumulative: if running == total { 1.0 } else { running as f64 / total as f64 },
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn lot(name: &str, reports: i64, defects: i64, units: Option<u64>) -> LotInput {
        LotInput { lot: name.into(), reports, defects, units }
    }

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    #[test]
    fn p_chart_limits_follow_the_formula() {
        // p̄ = 0.01, n = 10,000: σ = sqrt(0.0099 / 10000) = 0.000995, so 0.01 ± 0.002985.
        let (lower, upper) = p_limits(0.01, 10_000);
        assert!(close(upper, 0.012985, 1e-6) && close(lower, 0.007015, 1e-6), "{lower} {upper}");
        // A small lot: the lower limit is cut at 0.
        let (lower, upper) = p_limits(0.01, 100);
        assert!(lower == 0.0 && close(upper, 0.039850, 1e-6), "{lower} {upper}");
        assert_eq!(p_limits(0.0, 500), (0.0, 0.0));
    }

    #[test]
    fn a_lot_above_its_upper_limit_is_flagged_with_its_numbers() {
        let c = compare_lots(vec![
            lot("L1", 12, 10, Some(10_000)),
            lot("L2", 11, 10, Some(5_000)),
            lot("L3", 45, 40, Some(10_000)),
            lot("L4", 3, 3, Some(5_000)),
            lot("NOVOL", 99, 90, None),
        ]);
        // Lots with volumes: Σd = 10 + 10 + 40 + 3 = 63, Σn = 30,000, so p̄ = 0.0021. L2's rate 0.002
        // is under its UCL 0.0021 + 3·sqrt(0.0021·0.9979/5000) = 0.0040422.
        let p_bar = c.centre.unwrap();
        assert!(close(p_bar, 0.0021, 1e-12));
        let names: Vec<&str> = c.lots.iter().map(|l| l.lot.as_str()).collect();
        assert_eq!(names, ["L3", "L2", "L1", "L4", "NOVOL"]);
        let l3 = &c.lots[0];
        assert!(l3.above);
        // UCL(L3) = 0.0021 + 3·sqrt(0.0021·0.9979/10000) = 0.0021 + 3·0.00045778 = 0.0034733 < 0.004.
        assert!(close(l3.upper.unwrap(), 0.0034733, 1e-6), "{:?}", l3.upper);
        assert!(close(c.lots[1].upper.unwrap(), 0.0040422, 1e-6), "{:?}", c.lots[1].upper);
        assert_eq!(l3.ppm, Some(4000.0));
        assert!(c.lots[1..].iter().all(|l| !l.above));
        let novol = c.lots.last().unwrap();
        assert_eq!((novol.ppm, novol.rate, novol.upper), (None, None, None));
        assert_eq!(c.flagged().count(), 1);
    }

    #[test]
    fn a_lot_above_the_centre_line_but_under_its_own_limit_is_not_flagged() {
        // p̄ = 40 / 20,000 = 0.002; B's 0.003 is under 0.002 + 3·sqrt(0.002·0.998/10,000) = 0.0033403.
        let c = compare_lots(vec![lot("A", 10, 10, Some(10_000)), lot("B", 30, 30, Some(10_000))]);
        let b = c.lots.iter().find(|l| l.lot == "B").unwrap();
        assert!(close(b.upper.unwrap(), 0.0033403, 1e-6) && !b.above, "{b:?}");
        assert_eq!(c.flagged().count(), 0);
    }

    #[test]
    fn without_two_lots_with_volumes_there_is_no_chart() {
        assert_eq!(compare_lots(vec![lot("A", 5, 5, None)]).centre, Err(NoChart::NoVolumes));
        let one = compare_lots(vec![lot("A", 5, 5, Some(100)), lot("B", 1, 1, None)]);
        assert_eq!(one.centre, Err(NoChart::OneLot));
        assert!(one.lots.iter().all(|l| !l.above && l.upper.is_none()));
        assert_eq!(one.lots[0].ppm, Some(50_000.0));
        assert_eq!(
            compare_lots(vec![lot("A", 0, 0, Some(0)), lot("B", 0, 0, Some(0))]).centre,
            Err(NoChart::NoVolumes)
        );
    }

    #[test]
    fn ppm_is_defects_per_million_units() {
        assert_eq!(ppm(3, Some(1_500)), Some(2000.0));
        assert_eq!(ppm(3, None), None);
        assert_eq!(ppm(3, Some(0)), None);
    }

    #[test]
    fn pareto_sorts_descending_with_a_cumulative_share() {
        let bars = pareto([("handle", 3), ("coating", 10), ("lid", 0), ("base", 3), ("rust", 4)]);
        let keys: Vec<&str> = bars.iter().map(|b| b.key).collect();
        assert_eq!(keys, ["coating", "rust", "base", "handle"]);
        let cumulative: Vec<f64> = bars.iter().map(|b| b.cumulative).collect();
        // 10/20, 14/20, 17/20, 20/20.
        assert_eq!(cumulative, [0.5, 0.7, 0.85, 1.0]);
        assert_eq!(bars[1].share, 0.2);
        assert!(pareto(Vec::<(&str, i64)>::new()).is_empty());
    }
}
