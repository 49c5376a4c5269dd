//! What themes read: the comments of one line in a period, newest first, capped. Only the three
//! columns they need, through the `(product_line_id, created_at, id)` index.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StoreError;
use super::entities::report;

/// One comment: its report, when it came, what it says.
#[derive(Clone, Debug)]
pub struct Comment {
    pub report_id: Uuid,
    pub created_at: OffsetDateTime,
    pub text: String,
}

/// The newest `limit` non-empty comments of a line in `[start, end)`, newest first.
pub async fn comments(
    db: &DatabaseConnection,
    line: Uuid,
    start: OffsetDateTime,
    end: OffsetDateTime,
    limit: u64,
) -> Result<Vec<Comment>, StoreError> {
    let rows: Vec<(Uuid, OffsetDateTime, String)> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .column(report::Column::CreatedAt)
        .column(report::Column::Comment)
        .filter(report::Column::ProductLineId.eq(line))
        .filter(report::Column::CreatedAt.gte(start))
        .filter(report::Column::CreatedAt.lt(end))
        .filter(report::Column::Comment.ne(""))
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(report_id, created_at, text)| Comment { report_id, created_at, text }).collect())
}
