//! Month-aligned weeks of a line's day totals, and how a range of days splits into whole weeks and
//! single days. Every line's comparison of two periods sums about a third of the rows this way:
//! a 28-day period is three or four whole weeks and a few days at its edges, instead of 28 days.
//!
//! A week here is days 1–7, 8–14, 15–21, 22–28 or 29–end of a month (the last one is 0 to 3 days
//! long), not an ISO week: then every week lies inside one UTC month, and `rollups rebuild` and
//! `check`, which work a line and a month at a time, rebuild and compare a month's weeks with its
//! days. The comparison never shows these weeks to anyone; it only adds them up.

use time::{Date, Duration};

use super::rollup::{DayTotal, DayTotals};

/// The first day of the month-aligned week that holds `day`: the 1st, 8th, 15th, 22nd or 29th.
pub fn week_of(day: Date) -> Date {
    let first = (day.day() - 1) / 7 * 7 + 1;
    day.replace_day(first.min(29)).unwrap_or(day)
}

/// The last day of the week that starts on `week` (the month's last day for the 29th).
pub fn last_day_of(week: Date) -> Date {
    let seventh = week.saturating_add(Duration::days(6));
    if week.day() == 29 || seventh.month() != week.month() {
        let mut last = week;
        while let Some(next) = last.next_day().filter(|d| d.month() == week.month()) {
            last = next;
        }
        last
    } else {
        seventh
    }
}

/// Day totals summed into the weeks that hold them, keyed by (line, first day of the week).
pub fn weekly(days: &DayTotals) -> DayTotals {
    let mut out = DayTotals::new();
    for (&(line, day), t) in days {
        let w = out.entry((line, week_of(day))).or_insert_with(DayTotal::default);
        w.measures += t.measures;
        w.human_scans += t.human_scans;
        w.bot_scans += t.bot_scans;
    }
    out.retain(|_, t| !t.is_zero());
    out
}

/// The days `first..=last` as whole weeks and the single days around them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cover {
    /// The first days of the first and last whole week inside the range, both included.
    pub weeks: Option<(Date, Date)>,
    /// Ranges of days, both ends included, that no whole week covers: at most one before the
    /// weeks and one after them (one in all when the range holds no whole week).
    pub days: Vec<(Date, Date)>,
}

pub fn cover(first: Date, last: Date) -> Cover {
    if last < first {
        return Cover { weeks: None, days: Vec::new() };
    }
    // The first whole week: the one starting on `first`, else the next one.
    let mut start = week_of(first);
    if start != first {
        start = last_day_of(start).next_day().unwrap_or(start);
    }
    let mut weeks: Option<(Date, Date)> = None;
    let mut w = start;
    while w <= last && last_day_of(w) <= last {
        weeks = Some((weeks.map_or(w, |(a, _)| a), w));
        match last_day_of(w).next_day() {
            Some(next) => w = next,
            None => break,
        }
    }
    let Some((a, b)) = weeks else {
        return Cover { weeks: None, days: vec![(first, last)] };
    };
    let mut days = Vec::new();
    if first < a {
        days.push((first, a.previous_day().unwrap_or(a)));
    }
    let end = last_day_of(b);
    if end < last {
        days.push((end.next_day().unwrap_or(end), last));
    }
    Cover { weeks: Some((a, b)), days }
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use uuid::Uuid;

    use super::*;
    use crate::domain::rollup::Measures;

    #[test]
    fn weeks_start_on_the_1st_8th_15th_22nd_and_29th() {
        assert_eq!(week_of(date!(2026 - 02 - 01)), date!(2026 - 02 - 01));
        assert_eq!(week_of(date!(2026 - 02 - 07)), date!(2026 - 02 - 01));
        assert_eq!(week_of(date!(2026 - 02 - 08)), date!(2026 - 02 - 08));
        assert_eq!(week_of(date!(2026 - 02 - 28)), date!(2026 - 02 - 22));
        assert_eq!(week_of(date!(2026 - 03 - 31)), date!(2026 - 03 - 29));
        assert_eq!(week_of(date!(2028 - 02 - 29)), date!(2028 - 02 - 29));
        assert_eq!(last_day_of(date!(2026 - 02 - 22)), date!(2026 - 02 - 28));
        assert_eq!(last_day_of(date!(2026 - 03 - 29)), date!(2026 - 03 - 31));
        assert_eq!(last_day_of(date!(2028 - 02 - 29)), date!(2028 - 02 - 29));
        assert_eq!(last_day_of(date!(2026 - 03 - 08)), date!(2026 - 03 - 14));
    }

    /// Every day of the range is covered exactly once, by a whole week or a single day, for
    /// every range of up to 70 days starting on any day of two years.
    #[test]
    fn a_cover_holds_every_day_of_the_range_once() {
        let mut first = date!(2027 - 01 - 01);
        while first < date!(2029 - 01 - 01) {
            for len in 0..70 {
                let last = first + Duration::days(len);
                let c = cover(first, last);
                let mut covered = Vec::new();
                if let Some((a, b)) = c.weeks {
                    let mut w = a;
                    while w <= b {
                        assert_eq!(week_of(w), w);
                        let mut d = w;
                        while d <= last_day_of(w) {
                            covered.push(d);
                            d = d.next_day().unwrap();
                        }
                        w = last_day_of(w).next_day().unwrap();
                    }
                }
                assert!(c.days.len() <= 2);
                for (a, b) in &c.days {
                    let mut d = *a;
                    while d <= *b {
                        covered.push(d);
                        d = d.next_day().unwrap();
                    }
                }
                covered.sort();
                let expected: Vec<Date> = (0..=len).map(|i| first + Duration::days(i)).collect();
                assert_eq!(covered, expected, "{first} + {len}");
            }
            first = first.next_day().unwrap();
        }
    }

    #[test]
    fn a_28_day_period_is_mostly_whole_weeks() {
        let c = cover(date!(2026 - 11 - 06), date!(2026 - 12 - 03));
        assert_eq!(c.weeks, Some((date!(2026 - 11 - 08), date!(2026 - 11 - 29))));
        assert_eq!(
            c.days,
            vec![(date!(2026 - 11 - 06), date!(2026 - 11 - 07)), (date!(2026 - 12 - 01), date!(2026 - 12 - 03))]
        );
        assert_eq!(cover(date!(2026 - 12 - 03), date!(2026 - 12 - 02)), Cover { weeks: None, days: vec![] });
        assert_eq!(
            cover(date!(2026 - 12 - 03), date!(2026 - 12 - 09)),
            Cover { weeks: None, days: vec![(date!(2026 - 12 - 03), date!(2026 - 12 - 09))] }
        );
    }

    #[test]
    fn weekly_sums_days_into_their_weeks() {
        let line = Uuid::from_u128(7);
        let day = |reports, human| DayTotal {
            measures: Measures { reports, ..Measures::default() },
            human_scans: human,
            bot_scans: 0,
        };
        let days: DayTotals = [
            ((line, date!(2026 - 12 - 01)), day(2, 10)),
            ((line, date!(2026 - 12 - 07)), day(1, 0)),
            ((line, date!(2026 - 12 - 08)), day(0, 5)),
        ]
        .into_iter()
        .collect();
        let weeks = weekly(&days);
        assert_eq!(weeks.len(), 2);
        assert_eq!(weeks[&(line, date!(2026 - 12 - 01))], day(3, 10));
        assert_eq!(weeks[&(line, date!(2026 - 12 - 08))], day(0, 5));
    }
}
