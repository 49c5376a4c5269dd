//! Digest periods. A period is a half-open UTC interval identified by its first day, so that several
//! processes agree on which digest is which.

use time::{Date, Duration, OffsetDateTime, Time};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    Daily,
    Weekly,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
        }
    }
    pub fn parse(s: &str) -> Option<Cadence> {
        match s {
            "daily" => Some(Cadence::Daily),
            "weekly" => Some(Cadence::Weekly),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub cadence: Cadence,
    pub start: Date,
}

impl Period {
    /// The period that contains `at`. Weeks start on Monday (ISO 8601).
    pub fn containing(cadence: Cadence, at: OffsetDateTime) -> Period {
        let day = at.to_offset(time::UtcOffset::UTC).date();
        let start = match cadence {
            Cadence::Daily => day,
            Cadence::Weekly => day - Duration::days(i64::from(day.weekday().number_days_from_monday())),
        };
        Period { cadence, start }
    }

    /// The last period that has fully ended at `at`: the one a scheduled digest reports on.
    pub fn last_complete(cadence: Cadence, at: OffsetDateTime) -> Period {
        let current = Period::containing(cadence, at);
        Period { cadence, start: current.start - current.length() }
    }

    pub fn length(self) -> Duration {
        match self.cadence {
            Cadence::Daily => Duration::days(1),
            Cadence::Weekly => Duration::weeks(1),
        }
    }

    pub fn starts_at(self) -> OffsetDateTime {
        self.start.with_time(Time::MIDNIGHT).assume_utc()
    }

    pub fn ends_at(self) -> OffsetDateTime {
        self.starts_at() + self.length()
    }

    /// Stable key, e.g. `daily:2026-11-29`.
    pub fn key(self) -> String {
        format!("{}:{}", self.cadence.as_str(), self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn weeks_start_on_monday_and_days_at_midnight_utc() {
        let sunday_evening = datetime!(2026-11-29 22:30 UTC);
        assert_eq!(Period::containing(Cadence::Weekly, sunday_evening).start, time::macros::date!(2026 - 11 - 23));
        assert_eq!(Period::containing(Cadence::Daily, sunday_evening).start, time::macros::date!(2026 - 11 - 29));
        assert_eq!(Period::last_complete(Cadence::Daily, sunday_evening).start, time::macros::date!(2026 - 11 - 28));
        let moscow = datetime!(2026-11-30 01:30 +3);
        assert_eq!(Period::containing(Cadence::Daily, moscow).start, time::macros::date!(2026 - 11 - 29));
    }
}
