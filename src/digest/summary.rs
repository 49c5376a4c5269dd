//! A period's numbers and quotes, put together for a digest: pure, no I/O.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::domain::period::Period;
use crate::domain::rollup::Measures;
use crate::store::entities::{product_line, report};

/// How many comments per line a digest quotes.
pub const COMMENTS_PER_LINE: usize = 5;

pub struct Comment {
    pub kind: String,
    pub rating: i16,
    pub lot: Option<String>,
    pub text: String,
}

pub struct LineSummary {
    pub name: String,
    pub code: String,
    pub total: usize,
    pub defect: usize,
    pub usability: usize,
    pub praise: usize,
    pub other: usize,
    /// One decimal, e.g. "3.7".
    pub average_rating: String,
    /// Newest first.
    pub comments: Vec<Comment>,
}

pub struct Summary {
    pub manufacturer: String,
    pub period: Period,
    pub total: usize,
    pub lines: Vec<LineSummary>,
}

/// `totals` per line from the statistics rollups; `newest` per line, newest first (only the first
/// reports with a comment are quoted).
pub fn summarise(
    manufacturer: &str,
    period: Period,
    lines: &[product_line::Model],
    totals: &BTreeMap<Uuid, Measures>,
    newest: &BTreeMap<Uuid, Vec<report::Model>>,
) -> Summary {
    let mut summaries: Vec<LineSummary> = lines
        .iter()
        .filter_map(|line| {
            let m = totals.get(&line.id).filter(|m| m.reports > 0)?;
            let count = |n: i64| usize::try_from(n).unwrap_or(0);
            Some(LineSummary {
                name: line.name.clone(),
                code: line.code.clone(),
                total: count(m.reports),
                defect: count(m.defects),
                usability: count(m.usability),
                praise: count(m.praise),
                other: count(m.other),
                average_rating: format!("{:.1}", m.average_rating().unwrap_or(0.0)),
                comments: newest
                    .get(&line.id)
                    .into_iter()
                    .flatten()
                    .filter(|r| !r.comment.is_empty())
                    .take(COMMENTS_PER_LINE)
                    .map(|r| Comment {
                        kind: r.kind.clone(),
                        rating: r.rating,
                        lot: r.lot.clone(),
                        text: r.comment.clone(),
                    })
                    .collect(),
            })
        })
        .collect();
    // Lines with the most reports first: that is where attention goes.
    summaries.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    let total = summaries.iter().map(|l| l.total).sum();
    Summary { manufacturer: manufacturer.to_owned(), period, total, lines: summaries }
}
