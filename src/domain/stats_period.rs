//! The period every dashboard page shows, as the period picker sends it, and the calendar pieces the
//! pages need: which UTC days of scan counts belong to a period, and its ISO weeks.
//!
//! A preset ("the last 28 days") ends now, rounded up to the next quarter-hour so the reports of the
//! current quarter-hour are in it (rollup windows start and end on quarter-hours). A date range
//! covers whole UTC days, both ends included.

use time::{Date, Duration, OffsetDateTime, Time, Weekday};

use super::rollup::{QUARTER, Window, WindowError, quarter_start};

/// Longest date range the picker accepts (a leap year).
pub const MAX_DAYS: i64 = 366;

/// The presets the picker offers, in days.
pub const PRESETS: [u16; 3] = [7, 28, 90];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsPeriod {
    /// The last `n` days, ending now.
    Last(u16),
    /// Whole UTC days `from..=until`.
    Dates { from: Date, until: Date },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("not one of the offered periods")]
    UnknownPreset,
    #[error("not a date (YYYY-MM-DD)")]
    BadDate(&'static str),
    #[error("a date range needs both a first and a last day")]
    Missing(&'static str),
    #[error("the first day is after the last day")]
    Reversed,
    #[error("a date range spans at most 366 days")]
    TooLong,
}

impl PeriodError {
    /// The picker field to point at.
    pub fn field(self) -> &'static str {
        match self {
            PeriodError::UnknownPreset => "period",
            PeriodError::BadDate(f) | PeriodError::Missing(f) => f,
            PeriodError::Reversed | PeriodError::TooLong => "from",
        }
    }
}

fn parse_date(field: &'static str, s: &str) -> Result<Date, PeriodError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &format).map_err(|_| PeriodError::BadDate(field))
}

fn filled(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl StatsPeriod {
    pub const DEFAULT: StatsPeriod = StatsPeriod::Last(28);

    /// From the picker's fields: `period` is `7d`, `28d`, `90d` or `dates` (then `from` and `until`
    /// are required). Without `period`, dates given are a date range and nothing is the default.
    pub fn parse(period: Option<&str>, from: Option<&str>, until: Option<&str>) -> Result<StatsPeriod, PeriodError> {
        let (from, until) = (filled(from), filled(until));
        match filled(period) {
            None if from.is_none() && until.is_none() => return Ok(StatsPeriod::DEFAULT),
            None | Some("dates") => {}
            Some(p) => {
                let days: u16 = p.strip_suffix('d').and_then(|d| d.parse().ok()).ok_or(PeriodError::UnknownPreset)?;
                if !PRESETS.contains(&days) {
                    return Err(PeriodError::UnknownPreset);
                }
                return Ok(StatsPeriod::Last(days));
            }
        }
        let from = parse_date("from", from.ok_or(PeriodError::Missing("from"))?)?;
        let until = parse_date("until", until.ok_or(PeriodError::Missing("until"))?)?;
        if from > until {
            return Err(PeriodError::Reversed);
        }
        if (until - from).whole_days() + 1 > MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(StatsPeriod::Dates { from, until })
    }

    /// The window this period covers at `now`. Only a hand-made `Dates` whose `from` is after its
    /// `until` fails ([`StatsPeriod::parse`] never makes one).
    pub fn window(self, now: OffsetDateTime) -> Result<Window, WindowError> {
        let (start, end) = match self {
            StatsPeriod::Last(days) => {
                let end = quarter_start(now) + QUARTER;
                (end - Duration::days(i64::from(days.max(1))), end)
            }
            StatsPeriod::Dates { from, until } => (
                from.with_time(Time::MIDNIGHT).assume_utc(),
                (until + Duration::days(1)).with_time(Time::MIDNIGHT).assume_utc(),
            ),
        };
        Window::new(start, end)
    }

    /// The query string that selects this period (empty for the default), for links that keep it.
    pub fn query(self) -> String {
        match self {
            p if p == StatsPeriod::DEFAULT => String::new(),
            StatsPeriod::Last(days) => format!("period={days}d"),
            StatsPeriod::Dates { from, until } => format!("period=dates&from={from}&until={until}"),
        }
    }

    /// The picker's `period` value.
    pub fn key(self) -> String {
        match self {
            StatsPeriod::Last(days) => format!("{days}d"),
            StatsPeriod::Dates { .. } => "dates".to_owned(),
        }
    }
}

/// The UTC days whose scan counts belong to `window`: those whose midnight lies inside it. Scans are
/// counted per UTC day, so a window that starts or ends inside a day takes that day whole at the
/// end and leaves it out at the start; previous and current periods follow the same rule.
pub fn scan_days(window: Window) -> Option<(Date, Date)> {
    let start = window.start();
    let first = if start.time() == Time::MIDNIGHT { start.date() } else { start.date() + Duration::days(1) };
    let last_instant = window.end() - Duration::nanoseconds(1);
    let last = last_instant.date();
    (first <= last).then_some((first, last))
}

/// An ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u8,
}

impl IsoWeek {
    pub fn of(day: Date) -> IsoWeek {
        let (year, week, _) = day.to_iso_week_date();
        IsoWeek { year, week }
    }

    pub fn monday(self) -> Date {
        Date::from_iso_week_date(self.year, self.week, Weekday::Monday).unwrap_or(Date::MIN)
    }

    /// `2026-W49`.
    pub fn label(self) -> String {
        format!("{}-W{:02}", self.year, self.week)
    }
}

/// Every ISO week that holds a day of `window` (UTC), oldest first. The first and last weeks may be
/// cut by the window.
pub fn weeks(window: Window) -> Vec<IsoWeek> {
    let first = window.start().date();
    let last = (window.end() - Duration::nanoseconds(1)).date();
    let mut out = Vec::new();
    let mut monday = IsoWeek::of(first).monday();
    while monday <= last {
        out.push(IsoWeek::of(monday));
        monday += Duration::weeks(1);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_picker_accepts_presets_and_date_ranges_and_names_the_bad_field() {
        assert_eq!(StatsPeriod::parse(None, None, None), Ok(StatsPeriod::DEFAULT));
        assert_eq!(StatsPeriod::parse(Some(""), Some(" "), None), Ok(StatsPeriod::DEFAULT));
        assert_eq!(StatsPeriod::parse(Some("7d"), Some("2026-01-01"), None), Ok(StatsPeriod::Last(7)));
        assert_eq!(StatsPeriod::parse(Some("90d"), None, None), Ok(StatsPeriod::Last(90)));
        assert_eq!(StatsPeriod::parse(Some("5d"), None, None), Err(PeriodError::UnknownPreset));
        assert_eq!(
            StatsPeriod::parse(Some("dates"), Some("2026-11-01"), Some("2026-11-30")),
            Ok(StatsPeriod::Dates { from: date!(2026 - 11 - 01), until: date!(2026 - 11 - 30) })
        );
        assert_eq!(
            StatsPeriod::parse(None, Some("2026-11-01"), Some("2026-11-01")),
            Ok(StatsPeriod::Dates { from: date!(2026 - 11 - 01), until: date!(2026 - 11 - 01) })
        );
        assert_eq!(StatsPeriod::parse(Some("dates"), Some("2026-11-01"), None), Err(PeriodError::Missing("until")));
        assert_eq!(
            StatsPeriod::parse(Some("dates"), Some("1.11.2026"), Some("2026-11-02")).map_err(PeriodError::field),
            Err("from")
        );
        assert_eq!(StatsPeriod::parse(None, Some("2026-11-02"), Some("2026-11-01")), Err(PeriodError::Reversed));
        assert_eq!(StatsPeriod::parse(None, Some("2025-01-01"), Some("2025-12-31")).map(|_| ()), Ok(()));
        assert_eq!(StatsPeriod::parse(None, Some("2024-01-01"), Some("2024-12-31")).map(|_| ()), Ok(()));
        assert_eq!(StatsPeriod::parse(None, Some("2024-01-01"), Some("2025-01-01")), Err(PeriodError::TooLong));
    }

    #[test]
    fn presets_end_at_the_next_quarter_hour_and_dates_cover_whole_utc_days() {
        let now = datetime!(2026-12-03 14:49:51 UTC);
        let w = StatsPeriod::Last(28).window(now).unwrap();
        assert_eq!((w.start(), w.end()), (datetime!(2026-11-05 15:00 UTC), datetime!(2026-12-03 15:00 UTC)));
        assert_eq!(w.previous().start(), datetime!(2026-10-08 15:00 UTC));
        let d = StatsPeriod::Dates { from: date!(2026 - 11 - 01), until: date!(2026 - 11 - 03) }.window(now).unwrap();
        assert_eq!((d.start(), d.end()), (datetime!(2026-11-01 00:00 UTC), datetime!(2026-11-04 00:00 UTC)));
        assert_eq!(StatsPeriod::Last(7).query(), "period=7d");
        assert_eq!(StatsPeriod::DEFAULT.query(), "");
        assert_eq!(
            StatsPeriod::Dates { from: date!(2026 - 11 - 01), until: date!(2026 - 11 - 03) }.query(),
            "period=dates&from=2026-11-01&until=2026-11-03"
        );
    }

    #[test]
    fn scan_days_are_the_days_whose_midnight_is_inside_the_window() {
        let now = datetime!(2026-12-03 14:49:51 UTC);
        assert_eq!(
            scan_days(StatsPeriod::Last(28).window(now).unwrap()),
            Some((date!(2026 - 11 - 06), date!(2026 - 12 - 03)))
        );
        let d = StatsPeriod::Dates { from: date!(2026 - 11 - 01), until: date!(2026 - 11 - 03) }.window(now).unwrap();
        assert_eq!(scan_days(d), Some((date!(2026 - 11 - 01), date!(2026 - 11 - 03))));
        assert_eq!(scan_days(d.previous()), Some((date!(2026 - 10 - 29), date!(2026 - 10 - 31))));
        let short = Window::new(datetime!(2026-12-03 01:00 UTC), datetime!(2026-12-03 02:00 UTC)).unwrap();
        assert_eq!(scan_days(short), None);
    }

    #[test]
    fn iso_weeks_start_on_monday_and_cross_years() {
        // 2026-12-31 is a Thursday: week 53 of 2026. 2027-01-04 is the Monday of 2027-W01.
        assert_eq!(IsoWeek::of(date!(2026 - 12 - 31)), IsoWeek { year: 2026, week: 53 });
        assert_eq!(IsoWeek::of(date!(2027 - 01 - 03)), IsoWeek { year: 2026, week: 53 });
        assert_eq!(IsoWeek { year: 2027, week: 1 }.monday(), date!(2027 - 01 - 04));
        assert_eq!(IsoWeek { year: 2026, week: 49 }.label(), "2026-W49");
        let w = StatsPeriod::Dates { from: date!(2026 - 12 - 20), until: date!(2027 - 01 - 05) }
            .window(datetime!(2027-01-10 00:00 UTC))
            .unwrap();
        let labels: Vec<String> = weeks(w).into_iter().map(IsoWeek::label).collect();
        // Sunday 20 Dec is in W51; Tuesday 5 Jan in 2027-W01.
        assert_eq!(labels, ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]);
    }
}
