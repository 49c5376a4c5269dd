//! Aggregation of a period's reports: pure, no I/O.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::domain::period::Period;
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

/// `reports` newest first, as the store returns them.
pub fn summarise(
    manufacturer: &str,
    period: Period,
    lines: &[product_line::Model],
    reports: &[report::Model],
) -> Summary {
    let mut by_line: BTreeMap<Uuid, Vec<&report::Model>> = BTreeMap::new();
    for r in reports {
        by_line.entry(r.product_line_id).or_default().push(r);
    }
    let mut summaries: Vec<LineSummary> = lines
        .iter()
        .filter_map(|line| {
            let rs = by_line.get(&line.id)?;
            let count = |k: &str| rs.iter().filter(|r| r.kind == k).count();
            let sum: i64 = rs.iter().map(|r| i64::from(r.rating)).sum();
            Some(LineSummary {
                name: line.name.clone(),
                code: line.code.clone(),
                total: rs.len(),
                defect: count("defect"),
                usability: count("usability"),
                praise: count("praise"),
                other: count("other"),
                average_rating: format!("{:.1}", sum as f64 / rs.len() as f64),
                comments: rs
                    .iter()
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
    Summary { manufacturer: manufacturer.to_owned(), period, total: reports.len(), lines: summaries }
}
