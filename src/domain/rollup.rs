//! What the statistics rollups hold, as pure rules: which cells one report adds to, and the counts a
//! cell keeps. The group-commit writer, `rollups rebuild` and `rollups check` all go through
//! [`Tally`], so there is one definition of a rollup and a recomputation can only differ from the
//! stored rows when something was lost or written twice.
//!
//! Grains (see `docs/architecture.md`):
//! - quarter-hour buckets with every dimension (kind, category, lot): exact for any window whose ends
//!   fall on a quarter-hour, which every real time zone's midnight does (offsets are multiples of 15
//!   minutes), so days and weeks in any zone are exact;
//! - UTC days by kind and category, by lot, and in total: long windows read these, about one row per
//!   line and day instead of one per report.

use std::collections::BTreeMap;
use std::ops::{Add, AddAssign};

use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};
use uuid::Uuid;

use super::day_blocks::Span;
use super::feedback::Kind;
use super::metrics::{self, Share};

/// Bucket length of the finest grain.
pub const QUARTER: Duration = Duration::minutes(15);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grain {
    /// Quarter-hour bucket; kind, category and lot kept.
    Quarter,
    /// UTC day; kind and category kept.
    DayCategory,
    /// UTC day; lot kept.
    DayLot,
    /// UTC day; no dimension.
    Day,
}

impl Grain {
    pub const ALL: [Grain; 4] = [Grain::Quarter, Grain::DayCategory, Grain::DayLot, Grain::Day];

    /// The value stored in the `grain` column.
    pub fn code(self) -> i16 {
        match self {
            Grain::Quarter => 0,
            Grain::DayCategory => 1,
            Grain::DayLot => 2,
            Grain::Day => 3,
        }
    }

    pub fn from_code(code: i16) -> Option<Grain> {
        Grain::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The start of the bucket that holds `at`.
    pub fn bucket(self, at: OffsetDateTime) -> OffsetDateTime {
        match self {
            Grain::Quarter => quarter_start(at),
            _ => day_start(at),
        }
    }
}

/// The start of the quarter-hour that holds `at`, in UTC.
pub fn quarter_start(at: OffsetDateTime) -> OffsetDateTime {
    let at = at.to_offset(UtcOffset::UTC);
    let secs = at.unix_timestamp();
    let start = secs - secs.rem_euclid(QUARTER.whole_seconds());
    OffsetDateTime::from_unix_timestamp(start).unwrap_or(at)
}

/// Midnight UTC of the day that holds `at`.
pub fn day_start(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(UtcOffset::UTC).date().with_time(Time::MIDNIGHT).assume_utc()
}

/// The first instant of the UTC month that holds `at`.
pub fn month_start(at: OffsetDateTime) -> OffsetDateTime {
    let day = at.to_offset(UtcOffset::UTC).date();
    day.replace_day(1).unwrap_or(day).with_time(Time::MIDNIGHT).assume_utc()
}

/// The first instant of the month after the one that holds `at`.
pub fn next_month_start(at: OffsetDateTime) -> OffsetDateTime {
    // Day 28 of any month plus 4 days is in the next month.
    let start = month_start(at);
    month_start(start + Duration::days(31))
}

/// What a rollup counts about one report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub product_line_id: Uuid,
    pub manufacturer_id: Uuid,
    pub created_at: OffsetDateTime,
    pub kind: Kind,
    /// `None` or empty when the customer picked none.
    pub category: Option<String>,
    pub lot: Option<String>,
    /// 1–5.
    pub rating: u8,
    /// The 0–10 answer, when it was asked and given.
    pub recommend: Option<u8>,
}

/// The identity of one cell. Dimensions a grain does not keep are empty.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    pub product_line_id: Uuid,
    pub grain: Grain,
    pub bucket: OffsetDateTime,
    pub kind: String,
    pub category: String,
    pub lot: String,
}

/// The counts of a cell, or of any sum of cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measures {
    pub reports: i64,
    pub defects: i64,
    pub usability: i64,
    pub praise: i64,
    pub other: i64,
    /// Reports with rating 1..=5, at index rating - 1.
    pub ratings: [i64; 5],
    pub nps_promoters: i64,
    pub nps_passives: i64,
    pub nps_detractors: i64,
}

impl Measures {
    pub fn of(fact: &Fact) -> Measures {
        let mut m = Measures { reports: 1, ..Measures::default() };
        match fact.kind {
            Kind::Defect => m.defects = 1,
            Kind::Usability => m.usability = 1,
            Kind::Praise => m.praise = 1,
            Kind::Other => m.other = 1,
        }
        if let Some(slot) = usize::from(fact.rating).checked_sub(1).and_then(|i| m.ratings.get_mut(i)) {
            *slot = 1;
        }
        match fact.recommend {
            Some(9..=10) => m.nps_promoters = 1,
            Some(7..=8) => m.nps_passives = 1,
            Some(_) => m.nps_detractors = 1,
            None => {}
        }
        m
    }

    pub fn by_kind(&self, kind: Kind) -> i64 {
        match kind {
            Kind::Defect => self.defects,
            Kind::Usability => self.usability,
            Kind::Praise => self.praise,
            Kind::Other => self.other,
        }
    }

    pub fn rated(&self) -> i64 {
        self.ratings.iter().sum()
    }

    /// CSAT: the share of ratings of 4 or 5, with its sample size.
    pub fn csat(&self) -> Share {
        metrics::csat_from_counts(self.ratings[3] + self.ratings[4], self.rated())
    }

    pub fn average_rating(&self) -> Option<f64> {
        let weighted: i64 = self.ratings.iter().zip(1..).map(|(n, r)| n * r).sum();
        metrics::mean_from_sum(weighted, self.rated())
    }

    pub fn nps(&self) -> Share {
        metrics::nps_from_counts(self.nps_promoters, self.nps_passives, self.nps_detractors)
    }

    pub fn negated(&self) -> Measures {
        Measures {
            reports: -self.reports,
            defects: -self.defects,
            usability: -self.usability,
            praise: -self.praise,
            other: -self.other,
            ratings: self.ratings.map(|r| -r),
            nps_promoters: -self.nps_promoters,
            nps_passives: -self.nps_passives,
            nps_detractors: -self.nps_detractors,
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Measures::default()
    }
}

impl AddAssign for Measures {
    fn add_assign(&mut self, o: Measures) {
        self.reports += o.reports;
        self.defects += o.defects;
        self.usability += o.usability;
        self.praise += o.praise;
        self.other += o.other;
        for (a, b) in self.ratings.iter_mut().zip(o.ratings) {
            *a += b;
        }
        self.nps_promoters += o.nps_promoters;
        self.nps_passives += o.nps_passives;
        self.nps_detractors += o.nps_detractors;
    }
}

impl Add for Measures {
    type Output = Measures;
    fn add(mut self, o: Measures) -> Measures {
        self += o;
        self
    }
}

/// The four cells one report adds to.
pub fn cells(fact: &Fact) -> [CellKey; 4] {
    let category = fact.category.clone().unwrap_or_default();
    let lot = fact.lot.clone().unwrap_or_default();
    let kind = fact.kind.as_str().to_owned();
    let key = |grain: Grain, kind: &str, category: &str, lot: &str| CellKey {
        product_line_id: fact.product_line_id,
        grain,
        bucket: grain.bucket(fact.created_at),
        kind: kind.to_owned(),
        category: category.to_owned(),
        lot: lot.to_owned(),
    };
    [
        key(Grain::Quarter, &kind, &category, &lot),
        key(Grain::DayCategory, &kind, &category, ""),
        key(Grain::DayLot, "", "", &lot),
        key(Grain::Day, "", "", ""),
    ]
}

/// Cells and their counts, summed over any set of reports, in key order (which is also the order
/// upserts take their row locks in, so two writers never deadlock on each other).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cell -> (manufacturer, counts).
    pub cells: BTreeMap<CellKey, (Uuid, Measures)>,
}

impl Tally {
    pub fn add(&mut self, fact: &Fact) {
        let m = Measures::of(fact);
        for key in cells(fact) {
            let entry = self.cells.entry(key).or_insert((fact.manufacturer_id, Measures::default()));
            entry.1 += m;
        }
    }

    /// Takes a report's counts out of its cells (a report that moves to another category leaves
    /// its old cells; cells left at zero are kept and read as zero).
    pub fn remove(&mut self, fact: &Fact) {
        let m = Measures::of(fact);
        for key in cells(fact) {
            let entry = self.cells.entry(key).or_insert((fact.manufacturer_id, Measures::default()));
            entry.1 += m.negated();
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// One line's UTC day as `line_days` keeps it: the day's report counts (its day-total cell) and
/// its scans (summed over lots). Every line's comparison of two periods reads these rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayTotal {
    pub measures: Measures,
    pub human_scans: i64,
    pub bot_scans: i64,
}

impl DayTotal {
    pub fn is_zero(&self) -> bool {
        *self == DayTotal::default()
    }
}

/// (line, UTC day) -> its totals.
pub type DayTotals = BTreeMap<(Uuid, Date), DayTotal>;

impl Tally {
    /// The report counts of `line_days` for these cells: their day-total cells, by line and day
    /// (scans left at zero).
    pub fn day_totals(&self) -> DayTotals {
        self.cells
            .iter()
            .filter(|(k, _)| k.grain == Grain::Day)
            .map(|(k, (_, m))| {
                let day = k.bucket.to_offset(UtcOffset::UTC).date();
                ((k.product_line_id, day), DayTotal { measures: *m, ..DayTotal::default() })
            })
            .collect()
    }
}

/// One difference between stored rollups and a recomputation from raw reports (and, for a day
/// total's scans, from the scan counts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    Cell {
        key: CellKey,
        stored: Measures,
        expected: Measures,
    },
    /// A `line_days` row: one day, or the block of days that starts on `day`.
    Day {
        line: Uuid,
        span: Span,
        day: Date,
        stored: DayTotal,
        expected: DayTotal,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Cell { key: k, stored, expected } => {
                let bucket = k.bucket.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
                write!(
                    f,
                    "line {} {:?} {bucket} kind={:?} category={:?} lot={:?}: stored {} reports, raw reports give {}",
                    k.product_line_id, k.grain, k.kind, k.category, k.lot, stored.reports, expected.reports
                )?;
                if stored.reports == expected.reports {
                    write!(f, " (the counts by kind, rating or recommendation differ)")?;
                }
                Ok(())
            }
            Difference::Day { line, span, day, stored, expected } => {
                let what = match span {
                    Span::Day => "day total",
                    Span::Block => "block total from",
                };
                write!(
                    f,
                    "line {line} {what} {day}: stored {} reports and {}/{} human/bot scans, raw rows give {} and {}/{}",
                    stored.measures.reports,
                    stored.human_scans,
                    stored.bot_scans,
                    expected.measures.reports,
                    expected.human_scans,
                    expected.bot_scans
                )?;
                if stored.measures.reports == expected.measures.reports
                    && (stored.human_scans, stored.bot_scans) == (expected.human_scans, expected.bot_scans)
                {
                    write!(f, " (the counts by kind, rating or recommendation differ)")?;
                }
                Ok(())
            }
        }
    }
}

/// Every cell where `stored` and `expected` disagree; a missing cell counts as zero.
pub fn compare(stored: &Tally, expected: &Tally) -> Vec<Difference> {
    let mut out = Vec::new();
    for (key, (_, exp)) in &expected.cells {
        let got = stored.cells.get(key).map(|c| c.1).unwrap_or_default();
        if got != *exp {
            out.push(Difference::Cell { key: key.clone(), stored: got, expected: *exp });
        }
    }
    for (key, (_, got)) in &stored.cells {
        if !expected.cells.contains_key(key) && !got.is_zero() {
            out.push(Difference::Cell { key: key.clone(), stored: *got, expected: Measures::default() });
        }
    }
    out.sort_by(|a, b| match (a, b) {
        (Difference::Cell { key: x, .. }, Difference::Cell { key: y, .. }) => x.cmp(y),
        _ => std::cmp::Ordering::Equal,
    });
    out
}

/// Every line and day (or block, by `span`) where the stored totals and the recomputed ones
/// disagree; a missing row counts as zero.
pub fn compare_days(span: Span, stored: &DayTotals, expected: &DayTotals) -> Vec<Difference> {
    let mut out = Vec::new();
    for (&(line, day), exp) in expected {
        let got = stored.get(&(line, day)).copied().unwrap_or_default();
        if got != *exp {
            out.push(Difference::Day { line, span, day, stored: got, expected: *exp });
        }
    }
    for (&(line, day), got) in stored {
        if !expected.contains_key(&(line, day)) && !got.is_zero() {
            out.push(Difference::Day { line, span, day, stored: *got, expected: DayTotal::default() });
        }
    }
    out
}

/// A window split into what the day grains answer (whole UTC days) and the quarter-hour edges
/// around it. Both ends must fall on a quarter-hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Whole UTC days `[start, end)`, if the window holds any.
    pub days: Option<(OffsetDateTime, OffsetDateTime)>,
    /// Quarter-hour ranges `[start, end)` not covered by `days`.
    pub quarters: Vec<(OffsetDateTime, OffsetDateTime)>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WindowError {
    #[error("the period must start before it ends")]
    Empty,
    #[error("the period must start and end on a quarter-hour")]
    Unaligned,
}

/// A half-open period of time `[start, end)` whose ends fall on quarter-hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    start: OffsetDateTime,
    end: OffsetDateTime,
}

impl Window {
    pub fn new(start: OffsetDateTime, end: OffsetDateTime) -> Result<Window, WindowError> {
        if start >= end {
            return Err(WindowError::Empty);
        }
        if quarter_start(start) != start || quarter_start(end) != end {
            return Err(WindowError::Unaligned);
        }
        Ok(Window { start: start.to_offset(UtcOffset::UTC), end: end.to_offset(UtcOffset::UTC) })
    }

    /// The window of the same length just before this one.
    pub fn previous(self) -> Window {
        let len = self.end - self.start;
        Window { start: self.start - len, end: self.start }
    }

    pub fn start(self) -> OffsetDateTime {
        self.start
    }

    pub fn end(self) -> OffsetDateTime {
        self.end
    }

    pub fn plan(self) -> Plan {
        let first_day = {
            let d = day_start(self.start);
            if d == self.start { d } else { d + Duration::days(1) }
        };
        let last_day = day_start(self.end);
        if first_day >= last_day {
            return Plan { days: None, quarters: vec![(self.start, self.end)] };
        }
        let mut quarters = Vec::new();
        if self.start < first_day {
            quarters.push((self.start, first_day));
        }
        if last_day < self.end {
            quarters.push((last_day, self.end));
        }
        Plan { days: Some((first_day, last_day)), quarters }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn fact(at: OffsetDateTime, kind: Kind, rating: u8, recommend: Option<u8>) -> Fact {
        Fact {
            product_line_id: Uuid::nil(),
            manufacturer_id: Uuid::nil(),
            created_at: at,
            kind,
            category: Some("coating".into()),
            lot: Some("L1".into()),
            rating,
            recommend,
        }
    }

    #[test]
    fn buckets_are_quarter_hours_and_utc_days() {
        let at = datetime!(2026-03-29 01:44:59.5 +02:00);
        assert_eq!(quarter_start(at), datetime!(2026-03-28 23:30 UTC));
        assert_eq!(day_start(at), datetime!(2026-03-28 00:00 UTC));
        assert_eq!(month_start(at), datetime!(2026-03-01 00:00 UTC));
        assert_eq!(next_month_start(datetime!(2026-01-31 23:59 UTC)), datetime!(2026-02-01 00:00 UTC));
        assert_eq!(next_month_start(datetime!(2026-12-15 00:00 UTC)), datetime!(2027-01-01 00:00 UTC));
    }

    #[test]
    fn one_report_adds_one_to_four_cells_that_keep_their_dimensions() {
        let mut tally = Tally::default();
        tally.add(&fact(datetime!(2026-12-03 10:20 UTC), Kind::Defect, 2, Some(10)));
        assert_eq!(tally.len(), 4);
        let grains: Vec<Grain> = tally.cells.keys().map(|k| k.grain).collect();
        assert_eq!(grains, Grain::ALL.to_vec());
        let quarter = tally.cells.keys().next().unwrap();
        assert_eq!(
            (quarter.kind.as_str(), quarter.category.as_str(), quarter.lot.as_str()),
            ("defect", "coating", "L1")
        );
        assert_eq!(quarter.bucket, datetime!(2026-12-03 10:15 UTC));
        for (_, m) in tally.cells.values() {
            assert_eq!((m.reports, m.defects, m.ratings[1], m.nps_promoters), (1, 1, 1, 1));
        }
    }

    #[test]
    fn measures_give_csat_average_and_nps_like_the_raw_definitions() {
        let at = datetime!(2026-12-03 10:20 UTC);
        let mut m = Measures::default();
        for (r, n) in [(5, Some(10)), (4, Some(9)), (3, Some(8)), (1, Some(6)), (2, None)] {
            m += Measures::of(&fact(at, Kind::Praise, r, n));
        }
        assert_eq!(m.csat(), metrics::csat(&[5, 4, 3, 1, 2]));
        assert_eq!(m.average_rating(), metrics::mean(&[5, 4, 3, 1, 2]));
        assert_eq!(m.nps(), metrics::nps(&[10, 9, 8, 6]));
        assert_eq!(m.praise, 5);
    }

    #[test]
    fn a_window_splits_into_whole_utc_days_and_quarter_hour_edges() {
        // A Moscow day (UTC+3) over two UTC days: 3 hours of edge, no whole day.
        let w = Window::new(datetime!(2026-12-02 21:00 UTC), datetime!(2026-12-03 21:00 UTC)).unwrap();
        assert_eq!(w.plan(), Plan { days: None, quarters: vec![(w.start(), w.end())] });
        let w = Window::new(datetime!(2026-11-01 21:00 UTC), datetime!(2026-12-03 05:45 UTC)).unwrap();
        let plan = w.plan();
        assert_eq!(plan.days, Some((datetime!(2026-11-02 00:00 UTC), datetime!(2026-12-03 00:00 UTC))));
        assert_eq!(
            plan.quarters,
            vec![
                (datetime!(2026-11-01 21:00 UTC), datetime!(2026-11-02 00:00 UTC)),
                (datetime!(2026-12-03 00:00 UTC), datetime!(2026-12-03 05:45 UTC))
            ]
        );
        let days = Window::new(datetime!(2026-11-01 00:00 UTC), datetime!(2026-11-29 00:00 UTC)).unwrap();
        assert!(days.plan().quarters.is_empty());
        assert_eq!(days.previous().start(), datetime!(2026-10-04 00:00 UTC));
        assert_eq!(Window::new(w.end(), w.start()), Err(WindowError::Empty));
        assert_eq!(
            Window::new(datetime!(2026-11-01 00:05 UTC), datetime!(2026-11-02 00:00 UTC)),
            Err(WindowError::Unaligned)
        );
    }

    #[test]
    fn compare_names_missing_extra_and_different_cells() {
        let at = datetime!(2026-12-03 10:20 UTC);
        let mut expected = Tally::default();
        expected.add(&fact(at, Kind::Defect, 2, None));
        let mut stored = expected.clone();
        assert!(compare(&stored, &expected).is_empty());
        stored.add(&fact(at, Kind::Defect, 2, None));
        assert_eq!(compare(&stored, &expected).len(), 4);
        let mut other = Tally::default();
        other.add(&fact(at + Duration::days(1), Kind::Praise, 5, None));
        assert_eq!(compare(&other, &expected).len(), 8);
    }
}
