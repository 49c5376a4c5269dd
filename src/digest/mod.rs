//! Digest content and composition, pure: the use case (`app::digests`) reads the numbers from the
//! rollups and hands them here as a [`Digest`]; this module decides what matters most (the subject),
//! what changed since the last digest, and renders the HTML and plain-text parts in the reader's
//! language.

mod compose;

pub use compose::{Composed, compose};

use time::OffsetDateTime;

use crate::domain::Kind;
use crate::domain::rollup::Measures;

/// One comparison row: this period and the one before, each with its sample size (reports).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pair {
    pub now: Measures,
    pub before: Measures,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineRow {
    pub name: String,
    pub counts: Pair,
    /// The inbox filtered to this line and period.
    pub inbox_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryRow {
    pub kind: Kind,
    /// The category's label in the reader's language ('' = none given).
    pub label: String,
    pub now: i64,
    pub before: i64,
}

/// A lot above its p-chart control limit.
#[derive(Clone, Debug, PartialEq)]
pub struct LotRow {
    pub line: String,
    pub lot: String,
    /// Defect reports in this period.
    pub period_defects: i64,
    pub defects: i64,
    pub units: u64,
    pub ppm: f64,
    pub inbox_url: String,
}

/// One of the reader's responsibility zones: its reports this period and the one before, and how
/// many of its reports are open now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneRow {
    pub name: String,
    pub now: i64,
    pub before: i64,
    pub open: i64,
    /// The inbox filtered to this zone and period.
    pub inbox_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReport {
    pub line: String,
    pub kind: Kind,
    pub category: String,
    pub rating: i16,
    pub lot: Option<String>,
    pub excerpt: String,
    pub created_at: OffsetDateTime,
    /// Signed, hosted thumbnail URLs (never attachments).
    pub thumbnails: Vec<String>,
    pub url: String,
}

/// A phrase whose share of a line's comments rose in this period against the 28 days before.
#[derive(Clone, Debug, PartialEq)]
pub struct RisingRow {
    pub line: String,
    pub phrase: String,
    /// Comments with the phrase in this period, and in the 28 days before.
    pub now: u32,
    pub before: u32,
    /// G², for ordering across lines.
    pub score: f64,
}

/// What the previous digest said, kept with its claim as JSON, so the next one can say what changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Headline {
    pub reports: i64,
    pub defects: i64,
    /// "line / lot" of every lot out of line then.
    pub flagged_lots: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Digest {
    pub manufacturer: String,
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
    pub weekly: bool,
    /// The reader's zone, for showing the period in local time.
    pub zone: jiff::tz::TimeZone,
    pub zone_name: String,
    pub totals: Pair,
    /// Lines with reports in either period, most reports first.
    pub lines: Vec<LineRow>,
    /// Most reports first.
    pub categories: Vec<CategoryRow>,
    pub lots: Vec<LotRow>,
    /// The reader's zones (none when the reader is in no zone).
    pub zones: Vec<ZoneRow>,
    /// Newest first: the reader's zones' reports when the reader is in a zone, else defect reports.
    pub newest: Vec<NewReport>,
    /// Rising phrases of the subscribed lines, highest G² first.
    pub rising: Vec<RisingRow>,
    /// The last digest this reader got, if any.
    pub last: Option<Headline>,
    pub inbox_url: String,
    pub dashboard_url: String,
    /// The page where the reader changes or stops digests (signed link, no sign-in).
    pub manage_url: String,
}

impl Digest {
    pub fn is_empty(&self) -> bool {
        self.totals.now.reports == 0
    }

    pub fn headline(&self) -> Headline {
        Headline {
            reports: self.totals.now.reports,
            defects: self.totals.now.defects,
            flagged_lots: self.lots.iter().map(|l| format!("{} / {}", l.line, l.lot)).collect(),
        }
    }
}

/// The most important change, which the subject names. In order: a lot out of line that got defect
/// reports in this period (the most first), the line whose defect reports grew most, then the total
/// against the previous period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lead {
    Nothing,
    LotOutOfLine { line: String, lot: String },
    DefectsUp { line: String, now: i64, before: i64 },
    Total { now: i64, before: i64 },
}

pub fn lead(d: &Digest) -> Lead {
    if d.is_empty() {
        return Lead::Nothing;
    }
    if let Some(l) = d.lots.iter().filter(|l| l.period_defects > 0).max_by_key(|l| l.period_defects) {
        return Lead::LotOutOfLine { line: l.line.clone(), lot: l.lot.clone() };
    }
    let rise = d
        .lines
        .iter()
        .map(|l| (l.counts.now.defects - l.counts.before.defects, l))
        .filter(|(rise, _)| *rise > 0)
        .max_by_key(|(rise, _)| *rise);
    if let Some((_, l)) = rise {
        return Lead::DefectsUp { line: l.name.clone(), now: l.counts.now.defects, before: l.counts.before.defects };
    }
    Lead::Total { now: d.totals.now.reports, before: d.totals.before.reports }
}

/// Lines of "what changed since the last digest" (lots newly out of line or back in line), as keys
/// and arguments for the reader's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    NewlyFlagged(String),
    BackInLine(String),
    Reports { now: i64, then: i64 },
    Defects { now: i64, then: i64 },
}

pub fn changes(d: &Digest) -> Vec<Change> {
    let Some(last) = &d.last else { return Vec::new() };
    let now = d.headline();
    let mut out = vec![
        Change::Reports { now: now.reports, then: last.reports },
        Change::Defects { now: now.defects, then: last.defects },
    ];
    out.extend(now.flagged_lots.iter().filter(|l| !last.flagged_lots.contains(l)).cloned().map(Change::NewlyFlagged));
    out.extend(last.flagged_lots.iter().filter(|l| !now.flagged_lots.contains(l)).cloned().map(Change::BackInLine));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest() -> Digest {
        let m = |reports, defects| Measures { reports, defects, ..Measures::default() };
        Digest {
            manufacturer: "Acme".into(),
            start: OffsetDateTime::UNIX_EPOCH,
            end: OffsetDateTime::UNIX_EPOCH + time::Duration::days(1),
            weekly: false,
            zone: jiff::tz::TimeZone::UTC,
            zone_name: "UTC".into(),
            totals: Pair { now: m(10, 6), before: m(5, 2) },
            lines: vec![
                LineRow {
                    name: "Pan".into(),
                    counts: Pair { now: m(4, 3), before: m(1, 1) },
                    inbox_url: String::new(),
                },
                LineRow {
                    name: "Pot".into(),
                    counts: Pair { now: m(6, 3), before: m(4, 2) },
                    inbox_url: String::new(),
                },
            ],
            categories: Vec::new(),
            lots: Vec::new(),
            zones: Vec::new(),
            newest: Vec::new(),
            rising: Vec::new(),
            last: None,
            inbox_url: String::new(),
            dashboard_url: String::new(),
            manage_url: String::new(),
        }
    }

    #[test]
    fn the_lead_is_a_lot_out_of_line_with_new_defects_then_the_biggest_defect_rise() {
        let mut d = digest();
        assert_eq!(lead(&d), Lead::DefectsUp { line: "Pan".into(), now: 3, before: 1 });
        d.lots.push(LotRow {
            line: "Pot".into(),
            lot: "L7".into(),
            period_defects: 0,
            defects: 3,
            units: 100,
            ppm: 30000.0,
            inbox_url: String::new(),
        });
        // Out of line, but nothing new on it this period: not the news.
        assert_eq!(lead(&d), Lead::DefectsUp { line: "Pan".into(), now: 3, before: 1 });
        d.lots[0].period_defects = 2;
        assert_eq!(lead(&d), Lead::LotOutOfLine { line: "Pot".into(), lot: "L7".into() });
        d.totals.now = Measures::default();
        assert_eq!(lead(&d), Lead::Nothing);
    }

    #[test]
    fn changes_compare_with_the_last_digest() {
        let mut d = digest();
        assert!(changes(&d).is_empty());
        d.last = Some(Headline { reports: 3, defects: 1, flagged_lots: vec!["Pan / A".into()] });
        assert_eq!(
            changes(&d),
            vec![
                Change::Reports { now: 10, then: 3 },
                Change::Defects { now: 6, then: 1 },
                Change::BackInLine("Pan / A".into())
            ]
        );
    }

    #[test]
    fn rising_phrases_are_in_both_parts_in_the_readers_language() {
        let mut d = digest();
        d.rising.push(RisingRow {
            line: "Pan".into(),
            phrase: "ручка <b>греется".into(),
            now: 7,
            before: 1,
            score: 12.0,
        });
        for (tag, heading, row) in [
            ("en", "Rising words", "Pan: “ручка <b>греется” in 7 comments in the last 7 days, 1 in the 4 weeks before"),
            (
                "ru",
                "Чаще, чем раньше",
                "Pan: «ручка <b>греется» — в 7 отзывах за последние 7 дней, за 4 недели до этого — в 1",
            ),
        ] {
            let c = compose(&d, crate::domain::Locale::parse(tag).unwrap()).unwrap();
            assert!(c.text.contains(heading) && c.text.contains(row), "{tag}: {}", c.text);
            assert!(c.html.contains(heading) && c.html.contains("ручка &#60;b&#62;греется"), "{tag}: {}", c.html);
            assert!(!c.html.contains("ручка <b>"), "{tag}: the phrase is escaped");
        }
        d.rising.clear();
        assert!(!compose(&d, crate::domain::Locale::DEFAULT).unwrap().text.contains("Rising words"));
    }
}
