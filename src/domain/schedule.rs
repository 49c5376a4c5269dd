//! Digest schedules and their periods, in the subscriber's time zone. Pure: the zone database is
//! compiled in (jiff's bundled tzdb), so every process and machine computes the same instants.
//!
//! A period ends at the scheduled local hour and starts where the previous period ended, so periods
//! tile time: on a DST change day a daily period is 23 or 25 hours long, and no report is in two
//! digests or in none.

use jiff::civil::{Date, DateTime, Weekday as JiffWeekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }

    pub fn parse(s: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.as_str() == s)
    }

    fn jiff(self) -> JiffWeekday {
        match self {
            Weekday::Monday => JiffWeekday::Monday,
            Weekday::Tuesday => JiffWeekday::Tuesday,
            Weekday::Wednesday => JiffWeekday::Wednesday,
            Weekday::Thursday => JiffWeekday::Thursday,
            Weekday::Friday => JiffWeekday::Friday,
            Weekday::Saturday => JiffWeekday::Saturday,
            Weekday::Sunday => JiffWeekday::Sunday,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    Daily,
    Weekly,
    Off,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
            Cadence::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Cadence> {
        match s {
            "daily" => Some(Cadence::Daily),
            "weekly" => Some(Cadence::Weekly),
            "off" => Some(Cadence::Off),
            _ => None,
        }
    }
}

/// An IANA zone name that the compiled-in database knows, e.g. `Europe/Moscow`.
pub fn zone(name: &str) -> Option<TimeZone> {
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    jiff::tz::db().get(name).ok()
}

#[derive(Clone, Debug)]
pub struct Schedule {
    pub cadence: Cadence,
    /// Used when the cadence is weekly.
    pub weekday: Weekday,
    /// Local hour, 0-23.
    pub hour: i8,
    pub zone: TimeZone,
}

/// One digest's span: `[start, end)`, in UTC. `key` names it for claims: the cadence and the local
/// date of its end, so several processes (and a re-run) agree on which digest is which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
    pub key: String,
    pub weekly: bool,
}

fn to_time(ts: Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ts.as_second()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn to_jiff(at: OffsetDateTime) -> Timestamp {
    Timestamp::from_second(at.unix_timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The instant of local `hour:00` on `date` in `zone`. An hour that a DST change skips gives the first
/// instant after the gap; an hour that repeats gives its first occurrence, so it is sent once.
pub fn local_instant(zone: &TimeZone, date: Date, hour: i8) -> Option<Timestamp> {
    let dt: DateTime = date.at(hour, 0, 0, 0);
    let ambiguous = zone.to_ambiguous_timestamp(dt);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(dt).ok(),
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(dt).ok(),
        AmbiguousOffset::Gap { before, .. } => {
            // Read with the offset in force before the gap, the wall time lies past the change; the
            // change itself (the gap's end) is the last transition at or before that instant.
            let past_gap = before.to_timestamp(dt).ok()?;
            let after_it = past_gap.checked_add(1.nanosecond()).ok()?;
            zone.preceding(after_it).next().map(|t| t.timestamp())
        }
    }
}

impl Schedule {
    fn fires_on(&self, date: Date) -> bool {
        match self.cadence {
            Cadence::Daily => true,
            Cadence::Weekly => date.weekday() == self.weekday.jiff(),
            Cadence::Off => false,
        }
    }

    fn step(&self) -> i64 {
        if self.cadence == Cadence::Weekly { 7 } else { 1 }
    }

    fn period_ending_on(&self, date: Date) -> Option<Period> {
        let end = local_instant(&self.zone, date, self.hour)?;
        let previous = date.checked_sub(self.step().days()).ok()?;
        let start = local_instant(&self.zone, previous, self.hour)?;
        let prefix = if self.cadence == Cadence::Weekly { "weekly" } else { "daily" };
        Some(Period {
            start: to_time(start),
            end: to_time(end),
            key: format!("{prefix}:{date}"),
            weekly: self.cadence == Cadence::Weekly,
        })
    }

    /// Every period whose end lies in `(after, until]`, oldest first: what a run at `until` sends when
    /// the last one ran at `after`. Nothing for a schedule that is off.
    pub fn due(&self, after: OffsetDateTime, until: OffsetDateTime) -> Vec<Period> {
        if self.cadence == Cadence::Off || after >= until {
            return Vec::new();
        }
        let (after_ts, until_ts) = (to_jiff(after), to_jiff(until));
        let first = after_ts.to_zoned(self.zone.clone()).date();
        let last = until_ts.to_zoned(self.zone.clone()).date();
        let mut out = Vec::new();
        let mut date = first.yesterday().unwrap_or(first);
        while date <= last {
            if self.fires_on(date)
                && let Some(p) = self.period_ending_on(date)
                && p.end > after
                && p.end <= until
            {
                out.push(p);
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        out
    }

    /// The next period to end after `at`, for showing the subscriber when the next digest comes.
    pub fn next_after(&self, at: OffsetDateTime) -> Option<Period> {
        self.due(at, at + time::Duration::days(8)).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn daily(zone_name: &str, hour: i8) -> Schedule {
        Schedule { cadence: Cadence::Daily, weekday: Weekday::Monday, hour, zone: zone(zone_name).unwrap() }
    }

    fn ends(s: &Schedule, after: OffsetDateTime, until: OffsetDateTime) -> Vec<OffsetDateTime> {
        s.due(after, until).into_iter().map(|p| p.end).collect()
    }

    #[test]
    fn new_york_spring_forward_sends_a_skipped_hour_at_the_end_of_the_gap() {
        // 2027-03-14 02:00 EST does not exist: clocks jump to 03:00 EDT (07:00 UTC).
        let s = daily("America/New_York", 2);
        assert_eq!(
            ends(&s, datetime!(2027-03-13 00:00 UTC), datetime!(2027-03-16 00:00 UTC)),
            vec![datetime!(2027-03-13 07:00 UTC), datetime!(2027-03-14 07:00 UTC), datetime!(2027-03-15 06:00 UTC)]
        );
    }

    #[test]
    fn new_york_daily_at_eight_is_23_hours_long_on_the_change_day() {
        let s = daily("America/New_York", 8);
        let p = s.due(datetime!(2027-03-14 00:00 UTC), datetime!(2027-03-15 00:00 UTC));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].start, datetime!(2027-03-13 13:00 UTC));
        assert_eq!(p[0].end, datetime!(2027-03-14 12:00 UTC));
        assert_eq!(p[0].key, "daily:2027-03-14");
    }

    #[test]
    fn new_york_fall_back_sends_a_repeated_hour_once() {
        // 2027-11-07 01:00 happens twice (EDT, then EST): the first one counts.
        let s = daily("America/New_York", 1);
        assert_eq!(
            ends(&s, datetime!(2027-11-06 12:00 UTC), datetime!(2027-11-08 12:00 UTC)),
            vec![datetime!(2027-11-07 05:00 UTC), datetime!(2027-11-08 06:00 UTC)]
        );
        let p = s.due(datetime!(2027-11-07 12:00 UTC), datetime!(2027-11-08 12:00 UTC));
        assert_eq!(p[0].end - p[0].start, time::Duration::hours(25));
    }

    #[test]
    fn berlin_spring_forward_and_fall_back() {
        // 2027-03-28 02:00 CET does not exist: 03:00 CEST is 01:00 UTC.
        let s = daily("Europe/Berlin", 2);
        assert_eq!(
            ends(&s, datetime!(2027-03-27 00:00 UTC), datetime!(2027-03-29 12:00 UTC)),
            vec![datetime!(2027-03-27 01:00 UTC), datetime!(2027-03-28 01:00 UTC), datetime!(2027-03-29 00:00 UTC)]
        );
        // 2027-10-31 02:00 happens twice (CEST, then CET): once, at 00:00 UTC.
        assert_eq!(
            ends(&s, datetime!(2027-10-30 12:00 UTC), datetime!(2027-11-01 12:00 UTC)),
            vec![datetime!(2027-10-31 00:00 UTC), datetime!(2027-11-01 01:00 UTC)]
        );
    }

    #[test]
    fn periods_tile_time_without_gaps_or_overlaps() {
        for (name, hour) in [("America/New_York", 2), ("Europe/Berlin", 2), ("Europe/Berlin", 8), ("Asia/Kolkata", 0)] {
            let s = daily(name, hour);
            let periods = s.due(datetime!(2027-01-01 00:00 UTC), datetime!(2028-01-01 00:00 UTC));
            assert!(periods.len() >= 364, "{name}");
            for pair in periods.windows(2) {
                assert_eq!(pair[0].end, pair[1].start, "{name} {hour}");
            }
        }
    }

    #[test]
    fn weekly_fires_on_its_weekday_and_covers_seven_days() {
        let s = Schedule {
            cadence: Cadence::Weekly,
            weekday: Weekday::Monday,
            hour: 9,
            zone: zone("Europe/Moscow").unwrap(),
        };
        let p = s.due(datetime!(2027-03-01 00:00 UTC), datetime!(2027-03-16 00:00 UTC));
        // Mondays 1, 8 and 15 March 2027, 09:00 Moscow = 06:00 UTC.
        assert_eq!(
            p.iter().map(|p| p.end).collect::<Vec<_>>(),
            vec![datetime!(2027-03-01 06:00 UTC), datetime!(2027-03-08 06:00 UTC), datetime!(2027-03-15 06:00 UTC)]
        );
        assert_eq!(p[1].end - p[1].start, time::Duration::days(7));
        assert_eq!(p[1].key, "weekly:2027-03-08");
    }

    #[test]
    fn a_period_is_due_exactly_at_its_end_and_once() {
        let s = daily("UTC", 8);
        assert!(s.due(datetime!(2027-03-01 07:00 UTC), datetime!(2027-03-01 07:59 UTC)).is_empty());
        assert_eq!(s.due(datetime!(2027-03-01 07:00 UTC), datetime!(2027-03-01 08:00 UTC)).len(), 1);
        assert!(s.due(datetime!(2027-03-01 08:00 UTC), datetime!(2027-03-01 09:00 UTC)).is_empty());
    }

    #[test]
    fn off_is_never_due_and_unknown_zones_are_refused() {
        let mut s = daily("UTC", 8);
        s.cadence = Cadence::Off;
        assert!(s.due(datetime!(2027-01-01 00:00 UTC), datetime!(2027-02-01 00:00 UTC)).is_empty());
        assert!(zone("Mars/Olympus").is_none());
        assert!(zone("").is_none());
        assert!(zone("Europe/Moscow").is_some());
    }
}
