//! Blocks of days: the stretches of a month that start on its 1st, 8th, 15th, 22nd and 29th day,
//! each running to the next such day or to the month's end (seven days, or one to three for the
//! 29th). `line_days` keeps one row per line and block beside its rows per day, so a period of
//! days is read as a few edge days plus the whole blocks between them: a 28-day period is about
//! ten rows instead of 28. Blocks nest in months, so a rebuild of one month recomputes its blocks
//! whole. Pure rules; `store::rollups` writes the rows and `store::stats` reads them.

use time::{Date, Duration};

use super::rollup::{DayTotal, DayTotals};

/// What one `line_days` row covers, as stored in its `span` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Span {
    /// One UTC day.
    Day,
    /// The block that starts on the row's day.
    Block,
}

impl Span {
    pub const ALL: [Span; 2] = [Span::Day, Span::Block];

    /// The value stored in the `span` column: the longest number of days the row covers.
    pub fn code(self) -> i16 {
        match self {
            Span::Day => 1,
            Span::Block => 7,
        }
    }

    pub fn from_code(code: i16) -> Option<Span> {
        Span::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The first day of the block that holds `day`.
pub fn block_of(day: Date) -> Date {
    let first = (day.day() - 1) / 7 * 7 + 1;
    day.replace_day(first).unwrap_or(day)
}

/// The first day after the block that holds `day`.
pub fn block_end(day: Date) -> Date {
    let start = block_of(day);
    let month_end = next_month(start);
    if start.day() == 29 { month_end } else { (start + Duration::days(7)).min(month_end) }
}

fn next_month(day: Date) -> Date {
    let first = day.replace_day(1).unwrap_or(day);
    let later = first + Duration::days(31);
    later.replace_day(1).unwrap_or(later)
}

/// The block totals of day totals: each day's counts added to its block's (keyed by the block's
/// first day).
pub fn block_totals(days: &DayTotals) -> DayTotals {
    let mut out = DayTotals::new();
    for (&(line, day), t) in days {
        let entry: &mut DayTotal = out.entry((line, block_of(day))).or_default();
        entry.measures += t.measures;
        entry.human_scans += t.human_scans;
        entry.bot_scans += t.bot_scans;
    }
    out
}

/// The days `from..=until` as the `line_days` rows that cover each of them exactly once: ranges of
/// day rows and a range of block rows, all inclusive (a block range names the blocks' first days).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cover {
    pub days: Vec<(Date, Date)>,
    pub blocks: Option<(Date, Date)>,
}

impl Cover {
    /// Every range with the span of its rows.
    pub fn ranges(&self) -> impl Iterator<Item = (Span, Date, Date)> + '_ {
        self.days.iter().map(|&(a, b)| (Span::Day, a, b)).chain(self.blocks.map(|(a, b)| (Span::Block, a, b)))
    }
}

/// How to read the days `from..=until`: the whole blocks inside them, and the days before and
/// after those. Empty when `until` is before `from`.
pub fn cover(from: Date, until: Date) -> Cover {
    if until < from {
        return Cover::default();
    }
    let first = if block_of(from) == from { from } else { block_end(from) };
    let mut last = None;
    let mut start = first;
    while start <= until && block_end(start) - Duration::days(1) <= until {
        last = Some(start);
        start = block_end(start);
    }
    let Some(last) = last else {
        return Cover { days: vec![(from, until)], blocks: None };
    };
    let mut days = Vec::new();
    if first > from {
        days.push((from, first - Duration::days(1)));
    }
    let after = block_end(last);
    if after <= until {
        days.push((after, until));
    }
    Cover { days, blocks: Some((first, last)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn blocks_start_on_the_1st_8th_15th_22nd_and_29th_and_end_with_the_month() {
        assert_eq!(block_of(date!(2026 - 11 - 07)), date!(2026 - 11 - 01));
        assert_eq!(block_of(date!(2026 - 11 - 08)), date!(2026 - 11 - 08));
        assert_eq!(block_of(date!(2026 - 11 - 30)), date!(2026 - 11 - 29));
        assert_eq!(block_end(date!(2026 - 11 - 22)), date!(2026 - 11 - 29));
        assert_eq!(block_end(date!(2026 - 11 - 29)), date!(2026 - 12 - 01));
        assert_eq!(block_end(date!(2026 - 12 - 31)), date!(2027 - 01 - 01));
        // February: no 29th block in a common year; a one-day one in a leap year.
        assert_eq!(block_end(date!(2027 - 02 - 22)), date!(2027 - 03 - 01));
        assert_eq!(block_end(date!(2028 - 02 - 29)), date!(2028 - 03 - 01));
    }

    #[test]
    fn a_28_day_period_reads_whole_blocks_between_its_edge_days() {
        let c = cover(date!(2026 - 11 - 04), date!(2026 - 12 - 01));
        assert_eq!(
            c.days,
            vec![(date!(2026 - 11 - 04), date!(2026 - 11 - 07)), (date!(2026 - 12 - 01), date!(2026 - 12 - 01))]
        );
        assert_eq!(c.blocks, Some((date!(2026 - 11 - 08), date!(2026 - 11 - 29))));
        // Shorter than any whole block: days only.
        let c = cover(date!(2026 - 11 - 02), date!(2026 - 11 - 09));
        assert_eq!((c.days, c.blocks), (vec![(date!(2026 - 11 - 02), date!(2026 - 11 - 09))], None));
        assert_eq!(cover(date!(2026 - 11 - 02), date!(2026 - 11 - 01)), Cover::default());
    }

    fn day() -> impl Strategy<Value = Date> {
        (0i64..800).prop_map(|n| date!(2027 - 12 - 01) + Duration::days(n))
    }

    proptest! {
        /// Every day of the period is covered once, and nothing outside it.
        #[test]
        fn a_cover_counts_each_day_of_the_period_once(from in day(), len in 0i64..120) {
            let until = from + Duration::days(len);
            let c = cover(from, until);
            let mut counted = std::collections::BTreeMap::<Date, u32>::new();
            for (span, a, b) in c.ranges() {
                let mut d = a;
                while d <= b {
                    match span {
                        Span::Day => *counted.entry(d).or_default() += 1,
                        Span::Block => {
                            prop_assert_eq!(block_of(d), d);
                            let mut x = d;
                            while x < block_end(d) { *counted.entry(x).or_default() += 1; x += Duration::days(1); }
                        }
                    }
                    d = if span == Span::Block { block_end(d) } else { d + Duration::days(1) };
                }
            }
            let mut d = from;
            while d <= until {
                prop_assert_eq!(counted.remove(&d), Some(1), "day {}", d);
                d += Duration::days(1);
            }
            prop_assert!(counted.is_empty(), "outside the period: {:?}", counted);
            // At most six edge days each side, and at most five blocks per month touched.
            let rows: i64 = c.ranges().map(|(s, a, b)| match s {
                Span::Day => (b - a).whole_days() + 1,
                Span::Block => { let mut n = 0; let mut x = a; while x <= b { n += 1; x = block_end(x); } n }
            }).sum();
            prop_assert!(rows <= 12 + 5 * (len / 28 + 2), "{} rows for {} days", rows, len + 1);
        }
    }
}
