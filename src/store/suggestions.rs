//! What category suggestions read and write: the labelled reports a model learns from, the queue
//! of reports not yet looked at, the suggestions, and the manufacturers' keywords per category.

use std::collections::BTreeMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{category_keyword, report};
use super::{StoreError, now};

/// `category_source` of a category the team set or corrected.
pub const SOURCE_TEAM: &str = "team";

/// One labelled report: its line, kind, category key, comment, and whether the team set it.
#[derive(Clone, Debug)]
pub struct Label {
    pub product_line_id: Uuid,
    pub kind: String,
    pub category: String,
    pub comment: String,
    pub by_team: bool,
}

/// The newest `limit` reports of a manufacturer with a category and a comment, the team's
/// corrections first (so a cap never drops them for customers' picks).
pub async fn labels(db: &DatabaseConnection, manufacturer_id: Uuid, limit: u64) -> Result<Vec<Label>, StoreError> {
    let mut out = Vec::new();
    for team in [true, false] {
        let left = limit.saturating_sub(out.len() as u64);
        if left == 0 {
            break;
        }
        let source = if team {
            report::Column::CategorySource.eq(SOURCE_TEAM)
        } else {
            Condition::any()
                .add(report::Column::CategorySource.is_null())
                .add(report::Column::CategorySource.ne(SOURCE_TEAM))
                .into()
        };
        let rows: Vec<(Uuid, String, String, String)> = report::Entity::find()
            .select_only()
            .column(report::Column::ProductLineId)
            .column(report::Column::Kind)
            .column(report::Column::Category)
            .column(report::Column::Comment)
            .filter(report::Column::ManufacturerId.eq(manufacturer_id))
            .filter(report::Column::Category.is_not_null())
            .filter(report::Column::Category.ne(""))
            .filter(report::Column::Comment.ne(""))
            .filter(source)
            .order_by_desc(report::Column::CreatedAt)
            .limit(left)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(product_line_id, kind, category, comment)| Label {
            product_line_id,
            kind,
            category,
            comment,
            by_team: team,
        }));
    }
    Ok(out)
}

/// Reports the classifier has not looked at yet, oldest first.
pub async fn pending(db: &DatabaseConnection, limit: u64) -> Result<Vec<report::Model>, StoreError> {
    Ok(report::Entity::find()
        .filter(report::Column::SuggestedAt.is_null())
        .order_by_asc(report::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// What the classifier concluded about one report: a suggestion, or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub report_id: Uuid,
    pub category: Option<String>,
    pub permille: Option<i32>,
}

/// Writes the outcomes in one transaction. A report whose category the team set meanwhile keeps
/// no suggestion (the team has decided).
pub async fn save(db: &DatabaseConnection, outcomes: &[Outcome]) -> Result<(), StoreError> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let at = now();
    let txn = super::begin_write(db).await?;
    for o in outcomes {
        report::Entity::update_many()
            .col_expr(report::Column::SuggestedCategory, Expr::value(o.category.clone()))
            .col_expr(report::Column::SuggestionPermille, Expr::value(o.permille))
            .col_expr(report::Column::SuggestedAt, Expr::value(at))
            .filter(report::Column::Id.eq(o.report_id))
            .filter(
                Condition::any()
                    .add(report::Column::CategorySource.is_null())
                    .add(report::Column::CategorySource.ne(SOURCE_TEAM)),
            )
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Puts the newest `limit` open reports of a manufacturer whose category the team has not set
/// back in the queue, so a retrained model's suggestions replace the old ones.
pub async fn requeue(db: &DatabaseConnection, manufacturer_id: Uuid, limit: u64) -> Result<u64, StoreError> {
    let ids: Vec<Uuid> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .filter(report::Column::ManufacturerId.eq(manufacturer_id))
        .filter(report::Column::SuggestedAt.is_not_null())
        .filter(report::Column::Status.is_in(["new", "in_progress"]))
        .filter(
            Condition::any()
                .add(report::Column::CategorySource.is_null())
                .add(report::Column::CategorySource.ne(SOURCE_TEAM)),
        )
        .order_by_desc(report::Column::CreatedAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let res = report::Entity::update_many()
        .col_expr(report::Column::SuggestedAt, Expr::value(Option::<OffsetDateTime>::None))
        .filter(report::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// A manufacturer's keywords: `kind/key` -> words.
pub async fn keywords(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let rows = category_keyword::Entity::find()
        .filter(category_keyword::Column::ManufacturerId.eq(manufacturer_id))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.category, r.keywords.lines().map(str::to_owned).filter(|w| !w.is_empty()).collect()))
        .collect())
}

/// Replaces all of a manufacturer's keywords in one transaction.
pub async fn set_keywords(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
    words: &BTreeMap<String, Vec<String>>,
) -> Result<(), StoreError> {
    let at = now();
    let txn = db.begin().await?;
    category_keyword::Entity::delete_many()
        .filter(category_keyword::Column::ManufacturerId.eq(manufacturer_id))
        .exec(&txn)
        .await?;
    let rows: Vec<category_keyword::ActiveModel> = words
        .iter()
        .filter(|(_, w)| !w.is_empty())
        .map(|(c, w)| category_keyword::ActiveModel {
            manufacturer_id: Set(manufacturer_id),
            category: Set(c.clone()),
            keywords: Set(w.join("\n")),
            updated_at: Set(at),
        })
        .collect();
    if !rows.is_empty() {
        category_keyword::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Whether anything is waiting (for tests and the job's idle check).
pub async fn any_pending<C: ConnectionTrait>(db: &C) -> Result<bool, StoreError> {
    Ok(report::Entity::find().filter(report::Column::SuggestedAt.is_null()).one(db).await?.is_some())
}
