//! A period's numbers with their intervals, compared with the period before, and the order that puts
//! what got worse first.

use std::cmp::Ordering;

use super::intervals::{self, Change, Estimate};
use super::rollup::Measures;

/// The overview numbers of one period, each with its sample size and 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PeriodMetrics {
    /// Human scans (a count, not an estimate).
    pub scans: i64,
    /// Reports (a count).
    pub reports: i64,
    pub defects: i64,
    /// Reports per 1,000 human scans; `n` = scans.
    pub per_thousand: Estimate,
    /// Defect reports among all reports (0..1); `n` = reports.
    pub defect_share: Estimate,
    /// Ratings of 4 or 5 among all ratings (0..1); `n` = ratings.
    pub csat: Estimate,
    /// -100..100; `n` = answers to the recommend question.
    pub nps: Estimate,
}

impl PeriodMetrics {
    pub fn new(m: &Measures, scans: i64) -> PeriodMetrics {
        PeriodMetrics {
            scans,
            reports: m.reports,
            defects: m.defects,
            per_thousand: intervals::per_thousand(m.reports, scans),
            defect_share: intervals::share(m.defects, m.reports),
            csat: intervals::share(m.ratings[3] + m.ratings[4], m.rated()),
            nps: intervals::nps(m.nps_promoters, m.nps_passives, m.nps_detractors),
        }
    }
}

/// One period against the previous one of the same length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    pub current: PeriodMetrics,
    pub previous: PeriodMetrics,
    pub per_thousand: Change,
    pub defect_share: Change,
    pub csat: Change,
    pub nps: Change,
}

fn rise(current: &Estimate, previous: &Estimate) -> Option<f64> {
    Some(current.value? - previous.value?)
}

impl Comparison {
    pub fn new(current: PeriodMetrics, previous: PeriodMetrics) -> Comparison {
        Comparison {
            per_thousand: intervals::change(&current.per_thousand, &previous.per_thousand, true),
            defect_share: intervals::change(&current.defect_share, &previous.defect_share, true),
            csat: intervals::change(&current.csat, &previous.csat, false),
            nps: intervals::change(&current.nps, &previous.nps, false),
            current,
            previous,
        }
    }

    /// Some number moved the bad way and its interval left the previous one behind.
    pub fn clearly_worse(&self) -> bool {
        [self.per_thousand, self.defect_share, self.csat, self.nps].contains(&Change::Worse)
    }

    /// Change of the defect share, in shares (0.05 = five percentage points).
    pub fn defect_share_rise(&self) -> Option<f64> {
        rise(&self.current.defect_share, &self.previous.defect_share)
    }

    /// Change of reports per 1,000 scans.
    pub fn per_thousand_rise(&self) -> Option<f64> {
        rise(&self.current.per_thousand, &self.previous.per_thousand)
    }
}

/// Larger first; unknown last.
fn descending(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// What got worse first: lines with a clear worsening (intervals apart), then by the rise of the
/// defect share, then by the rise of reports per 1,000 scans. Callers break ties by name.
pub fn worse_first(a: &Comparison, b: &Comparison) -> Ordering {
    b.clearly_worse()
        .cmp(&a.clearly_worse())
        .then_with(|| descending(a.defect_share_rise(), b.defect_share_rise()))
        .then_with(|| descending(a.per_thousand_rise(), b.per_thousand_rise()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn measures(reports: i64, defects: i64) -> Measures {
        Measures { reports, defects, other: reports - defects, ratings: [0, 0, 0, 0, reports], ..Measures::default() }
    }

    #[test]
    fn clear_worsening_comes_first_then_the_largest_rise_in_defect_share() {
        // Clearly worse: 3 % -> 30 % defects of 100 reports each (intervals apart).
        let clear =
            Comparison::new(PeriodMetrics::new(&measures(100, 30), 1000), PeriodMetrics::new(&measures(100, 3), 1000));
        // A bigger rise on few reports: 0 % -> 50 % of 10 (too few to flag).
        let small =
            Comparison::new(PeriodMetrics::new(&measures(10, 5), 100), PeriodMetrics::new(&measures(10, 0), 100));
        // Defects fell.
        let better =
            Comparison::new(PeriodMetrics::new(&measures(100, 3), 1000), PeriodMetrics::new(&measures(100, 30), 1000));
        // Nothing reported.
        let empty =
            Comparison::new(PeriodMetrics::new(&Measures::default(), 0), PeriodMetrics::new(&Measures::default(), 0));
        assert!(clear.clearly_worse() && !small.clearly_worse() && !better.clearly_worse());
        assert_eq!(clear.defect_share, Change::Worse);
        assert_eq!(small.defect_share, Change::TooFew);
        assert_eq!(better.defect_share, Change::Better);
        let mut all = [("empty", empty), ("better", better), ("small", small), ("clear", clear)];
        all.sort_by(|a, b| worse_first(&a.1, &b.1).then_with(|| a.0.cmp(b.0)));
        let order: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
        assert_eq!(order, ["clear", "small", "better", "empty"]);
        assert!((small.defect_share_rise().unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_rate_breaks_ties_of_the_defect_share() {
        let same_share_more_reports =
            Comparison::new(PeriodMetrics::new(&measures(20, 10), 1000), PeriodMetrics::new(&measures(10, 5), 1000));
        let same_share =
            Comparison::new(PeriodMetrics::new(&measures(10, 5), 1000), PeriodMetrics::new(&measures(10, 5), 1000));
        assert_eq!(worse_first(&same_share_more_reports, &same_share), Ordering::Less);
        assert!((same_share_more_reports.per_thousand_rise().unwrap() - 10.0).abs() < 1e-9);
    }
}
