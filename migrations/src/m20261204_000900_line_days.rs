//! One row per product line and UTC day: the day's report counts (the same numbers as the line's
//! day-total rollup cell) and its scans (the sum of its scan-count rows over lots). Every line's
//! comparison of two periods reads these, about 28 rows per line and period, by a range of the
//! primary key, instead of summing rollup cells and scan counts spread over far more rows.
//!
//! Filled here from the rollups and scan counts already stored; from then on the report writer and
//! the scan counter keep it in their own transactions, and `scanback rollups rebuild` / `check`
//! recompute and compare it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const MEASURES: &str = "reports, defects, usability, praise, other, rating_1, rating_2, rating_3, rating_4, \
                        rating_5, nps_promoters, nps_passives, nps_detractors";

fn columns(id: &str, day: &str) -> String {
    let measures: String = MEASURES.split(", ").map(|m| format!("{m} bigint NOT NULL DEFAULT 0,\n")).collect();
    format!(
        "product_line_id {id} NOT NULL,
         day {day} NOT NULL,
         {measures}
         human bigint NOT NULL DEFAULT 0,
         bot bigint NOT NULL DEFAULT 0,"
    )
}

fn fill(day_of_bucket: &str) -> String {
    let zeros: String = MEASURES.split(", ").map(|_| "0, ").collect();
    let sums: String = MEASURES.split(", ").map(|m| format!("SUM({m}), ")).collect();
    format!(
        "INSERT INTO line_days (product_line_id, day, {MEASURES}, human, bot)
         SELECT product_line_id, day, {sums} SUM(human), SUM(bot) FROM (
             SELECT product_line_id, {day_of_bucket} AS day, {MEASURES}, 0 AS human, 0 AS bot
                 FROM report_rollups WHERE grain = 3
             UNION ALL
             SELECT product_line_id, day, {zeros} human, bot FROM scan_counts
         ) AS t GROUP BY product_line_id, day"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                // INCLUDE: the comparison is an index-only scan once VACUUM has marked the pages
                // visible (`rollups rebuild` ends with one).
                db.execute_unprepared(&format!(
                    "CREATE TABLE line_days (
                        {}
                        CONSTRAINT pk_line_days PRIMARY KEY (product_line_id, day) INCLUDE ({MEASURES}, human, bot),
                        CONSTRAINT fk_line_days_line FOREIGN KEY (product_line_id)
                            REFERENCES product_lines (id) ON DELETE RESTRICT
                    )",
                    columns("uuid", "date")
                ))
                .await?;
                db.execute_unprepared(&fill("(bucket AT TIME ZONE 'UTC')::date")).await?;
                db.execute_unprepared("ANALYZE line_days").await?;
            }
            _ => {
                // WITHOUT ROWID: the rows are stored in key order, so one line's days are adjacent
                // and a range of them is read without a second lookup per row. `day` is
                // 'YYYY-MM-DD' text, as sqlx writes a date; buckets are RFC 3339 text.
                db.execute_unprepared(&format!(
                    "CREATE TABLE line_days (
                        {}
                        PRIMARY KEY (product_line_id, day),
                        CONSTRAINT fk_line_days_line FOREIGN KEY (product_line_id)
                            REFERENCES product_lines (id) ON DELETE RESTRICT
                    ) WITHOUT ROWID",
                    columns("uuid_text", "date")
                ))
                .await?;
                db.execute_unprepared(&fill("date(bucket)")).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP TABLE line_days").await?;
        Ok(())
    }
}
