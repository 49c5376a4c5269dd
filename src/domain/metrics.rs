//! Numbers a product team can act on, always with their sample size.

use serde::Serialize;

/// A share with the count behind it, e.g. CSAT 0.82 of n = 57.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Share {
    pub value: Option<f64>,
    pub n: u64,
}

/// CSAT: the share of ratings of 4 or 5 (the usual top-two-box definition).
pub fn csat(ratings: &[u8]) -> Share {
    let satisfied = ratings.iter().filter(|r| **r >= 4).count() as i64;
    csat_from_counts(satisfied, ratings.len() as i64)
}

/// CSAT from counts: `satisfied` of `n` ratings were 4 or 5.
pub fn csat_from_counts(satisfied: i64, n: i64) -> Share {
    share(satisfied, n)
}

/// `k` of `n`, as a share with its sample size.
pub fn share(k: i64, n: i64) -> Share {
    let n = n.max(0) as u64;
    Share { value: (n > 0).then(|| round3(k as f64 / n as f64)), n }
}

/// Net Promoter Score on -100..100 from 0–10 answers: promoters (9–10) minus detractors (0–6).
pub fn nps(scores: &[u8]) -> Share {
    let promoters = scores.iter().filter(|s| **s >= 9).count() as i64;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as i64;
    nps_from_counts(promoters, scores.len() as i64 - promoters - detractors, detractors)
}

/// NPS from the three buckets' counts.
pub fn nps_from_counts(promoters: i64, passives: i64, detractors: i64) -> Share {
    let n = (promoters + passives + detractors).max(0) as u64;
    Share { value: (n > 0).then(|| round3((promoters - detractors) as f64 / n as f64 * 100.0)), n }
}

/// Reports per 1,000 human scans: a contact rate with economic meaning. `None` without scans.
pub fn per_thousand(reports: u64, scans: u64) -> Option<f64> {
    (scans > 0).then(|| round3(reports as f64 * 1000.0 / scans as f64))
}

pub fn mean(values: &[u8]) -> Option<f64> {
    mean_from_sum(values.iter().map(|v| i64::from(*v)).sum(), values.len() as i64)
}

/// The mean of `n` values that add up to `sum`.
pub fn mean_from_sum(sum: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| round3(sum as f64 / n as f64))
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csat_nps_and_rates_follow_their_definitions() {
        assert_eq!(csat(&[5, 4, 3, 1]), Share { value: Some(0.5), n: 4 });
        assert_eq!(csat(&[]), Share { value: None, n: 0 });
        assert_eq!(nps(&[10, 9, 8, 6, 0]), Share { value: Some(0.0), n: 5 });
        assert_eq!(nps(&[10, 10, 7]), Share { value: Some(66.667), n: 3 });
        assert_eq!(per_thousand(3, 1500), Some(2.0));
        assert_eq!(per_thousand(3, 0), None);
        assert_eq!(mean(&[1, 2, 5]), Some(2.667));
    }
}
