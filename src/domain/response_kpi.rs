//! The numbers a team's KPI is set on: how fast reports get a first response, what share of them
//! gets one within the manufacturer's target, and how old the open ones are. Each carries its
//! sample size, because a median of three reports is not a median of three hundred.
//!
//! A report's first response is the first thing the team did that the customer or the queue can
//! see: the first reply sent, or the first change of its status (a report without an email can only
//! be answered that way). Notes and assignments are internal and do not count.

use jiff::civil::{DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use time::OffsetDateTime;

/// One report of the period: when it came and when the team first responded.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub created_at: OffsetDateTime,
    pub first_response_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ResponseKpis {
    /// Reports of the period.
    pub reports: u64,
    /// Those with a first response.
    pub responded: u64,
    /// Hours from the report to its first response, over the responded ones (nearest rank).
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Reports whose target has passed, or that were answered before it did: the ones the share
    /// is taken over (a report still within its target is not yet a miss).
    pub due: u64,
    pub within_target: u64,
    /// `within_target / due`, none when nothing is due.
    pub within_target_share: Option<f64>,
}

/// The age bands of open reports, in days: under 1, 1–3, 3–7, 7–30, 30 and more.
pub const AGE_BANDS_DAYS: [i64; 4] = [1, 3, 7, 30];

/// How many open reports fall in each band of [`AGE_BANDS_DAYS`] (five counts).
pub fn open_by_age(created: impl IntoIterator<Item = OffsetDateTime>, now: OffsetDateTime) -> [u64; 5] {
    let mut bands = [0u64; 5];
    for c in created {
        let age = now - c;
        let band = AGE_BANDS_DAYS.iter().position(|d| age < time::Duration::days(*d)).unwrap_or(AGE_BANDS_DAYS.len());
        bands[band] += 1;
    }
    bands
}

/// Nearest-rank percentile of sorted values: the smallest value with at least `p`% of them at or below.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

fn to_jiff(at: OffsetDateTime) -> Timestamp {
    Timestamp::from_second(at.unix_timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn is_weekend(d: jiff::civil::Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// When a report that came at `at` must have had its first response: `days` working days later
/// (Monday to Friday, in the manufacturer's time zone), at the same local time. A report that comes
/// on a weekend starts its clock on Monday at midnight. Public holidays are not known here.
pub fn deadline(at: OffsetDateTime, days: i32, zone: &TimeZone) -> OffsetDateTime {
    let local = zone.to_datetime(to_jiff(at));
    let mut start: DateTime = local;
    while is_weekend(start.date()) {
        start = start.date().checked_add(1.day()).map(|d| d.at(0, 0, 0, 0)).unwrap_or(start);
    }
    let mut date = start.date();
    for _ in 0..days.max(0) {
        date = date.checked_add(1.day()).unwrap_or(date);
        while is_weekend(date) {
            date = date.checked_add(1.day()).unwrap_or(date);
        }
    }
    let due = date.to_datetime(start.time());
    match due.to_zoned(zone.clone()) {
        Ok(z) => OffsetDateTime::from_unix_timestamp(z.timestamp().as_second()).unwrap_or(at),
        Err(_) => at,
    }
}

/// The KPIs of a period's reports, at `now`, for a target of `target_days` working days.
pub fn response(samples: &[Sample], target_days: i32, zone: &TimeZone, now: OffsetDateTime) -> ResponseKpis {
    let mut hours: Vec<f64> = Vec::new();
    let (mut due, mut within) = (0u64, 0u64);
    for s in samples {
        let limit = deadline(s.created_at, target_days, zone);
        match s.first_response_at {
            Some(r) => {
                hours.push(((r - s.created_at).as_seconds_f64() / 3600.0).max(0.0));
                due += 1;
                if r <= limit {
                    within += 1;
                }
            }
            None if limit <= now => due += 1,
            None => {}
        }
    }
    hours.sort_by(f64::total_cmp);
    ResponseKpis {
        reports: samples.len() as u64,
        responded: hours.len() as u64,
        median_hours: percentile(&hours, 50.0),
        p90_hours: percentile(&hours, 90.0),
        due,
        within_target: within,
        within_target_share: (due > 0).then(|| within as f64 / due as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn moscow() -> TimeZone {
        TimeZone::get("Europe/Moscow").unwrap()
    }

    #[test]
    fn the_deadline_counts_working_days_in_the_manufacturers_zone() {
        let z = moscow();
        // Friday 15:00 Moscow (12:00 UTC) + 2 working days = Tuesday 15:00 Moscow.
        assert_eq!(deadline(datetime!(2026-12-04 12:00 UTC), 2, &z), datetime!(2026-12-08 12:00 UTC));
        // Monday + 2 = Wednesday, same time.
        assert_eq!(deadline(datetime!(2026-12-07 09:30 UTC), 2, &z), datetime!(2026-12-09 09:30 UTC));
        // Saturday: the clock starts Monday 00:00 Moscow; + 2 = Wednesday 00:00 Moscow (Tue 21:00 UTC).
        assert_eq!(deadline(datetime!(2026-12-05 10:00 UTC), 2, &z), datetime!(2026-12-08 21:00 UTC));
        // Friday 23:30 Moscow is Friday 20:30 UTC: still Friday where the team works.
        assert_eq!(deadline(datetime!(2026-12-04 20:30 UTC), 1, &z), datetime!(2026-12-07 20:30 UTC));
        // 22:30 UTC on Friday is already Saturday in Moscow.
        assert_eq!(deadline(datetime!(2026-12-04 22:30 UTC), 1, &z), datetime!(2026-12-07 21:00 UTC));
    }

    #[test]
    fn the_deadline_keeps_the_local_time_across_a_dst_change() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // Friday 2026-03-27 10:00 CET (09:00 UTC); Monday 2026-03-30 10:00 is CEST (08:00 UTC).
        assert_eq!(deadline(datetime!(2026-03-27 09:00 UTC), 1, &berlin), datetime!(2026-03-30 08:00 UTC));
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentile(&v, 50.0), Some(5.0));
        assert_eq!(percentile(&v, 90.0), Some(9.0));
        assert_eq!(percentile(&[4.0], 90.0), Some(4.0));
        assert_eq!(percentile(&[1.0, 3.0], 50.0), Some(1.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn kpis_of_a_hand_made_week() {
        let z = moscow();
        let now = datetime!(2026-12-10 12:00 UTC); // Thursday
        let s = |c: OffsetDateTime, r: Option<OffsetDateTime>| Sample { created_at: c, first_response_at: r };
        let samples = [
            // Monday 09:00, answered after 2 h: within.
            s(datetime!(2026-12-07 09:00 UTC), Some(datetime!(2026-12-07 11:00 UTC))),
            // Monday 10:00, answered Thursday 10:00 (72 h), the deadline was Wednesday 10:00: a miss.
            s(datetime!(2026-12-07 10:00 UTC), Some(datetime!(2026-12-10 10:00 UTC))),
            // Monday 12:00, never answered, deadline Wednesday 12:00 has passed: a miss.
            s(datetime!(2026-12-07 12:00 UTC), None),
            // Wednesday 12:00, not answered yet, deadline Friday: not due, not in the share.
            s(datetime!(2026-12-09 12:00 UTC), None),
            // Tuesday 08:00, answered after 24 h: within.
            s(datetime!(2026-12-08 08:00 UTC), Some(datetime!(2026-12-09 08:00 UTC))),
        ];
        let k = response(&samples, 2, &z, now);
        assert_eq!(k.reports, 5);
        assert_eq!(k.responded, 3);
        // Hours 2, 24, 72: median 24 (rank 2 of 3), 90th percentile 72 (rank 3).
        assert_eq!(k.median_hours, Some(24.0));
        assert_eq!(k.p90_hours, Some(72.0));
        assert_eq!((k.due, k.within_target), (4, 2));
        assert_eq!(k.within_target_share, Some(0.5));
    }

    #[test]
    fn open_reports_fall_in_age_bands() {
        let now = datetime!(2026-12-10 12:00 UTC);
        let ages = [0, 23, 24, 71, 72, 24 * 7 - 1, 24 * 7, 24 * 30, 24 * 400];
        let bands = open_by_age(ages.iter().map(|h| now - time::Duration::hours(*h)), now);
        assert_eq!(bands, [2, 2, 2, 1, 2]);
        assert_eq!(response(&[], 2, &moscow(), now), ResponseKpis::default());
    }
}
